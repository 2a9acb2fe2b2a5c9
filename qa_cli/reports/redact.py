"""Redaction for circulation (App. E 6: "circulated ... without the code").

A transform of the report data before it is rendered, so the Markdown and the workbook of one
run say the same thing:

- case codes become "Case 1", "Case 2", ... whatever their case, with or without the hyphen
  (one written with neither hyphen nor digit, like a word, when the repository holds it);
- staff ids and names (from qa.yaml) become "Staff A", "Staff B", ... whatever their case,
  with or without the hyphen, and first names and surnames on their own too (greedy: a word
  wrongly hidden costs less than a name left in);
- safeguarding-concern narratives, and any other free text that names a person (a name of
  the identity list, "Mr Quux", "mother Zebedee"...), become a neutral phrase;
- every count below ``privacy.small_numbers`` (default 5) in every table, chart and fact
  becomes "fewer than 5" (0 stays 0: it identifies no one), and no such count can be worked
  back from the others: shares, "k of n", totals and tallies follow :mod:`.suppress`.

Team and service names are kept: they identify no one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..models.config import Config
from ..privacy import Detectors
from . import suppress
from .linked import withheld

if TYPE_CHECKING:
    from ..repository import Repository

CASE_CODE = re.compile(
    r"(?<![0-9A-Za-z])[Cc]-?[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{8,16}"
    r"(?![0-9A-Za-z])"
)
HYPHENATED_CODE = re.compile(r"(?<![0-9A-Za-z])C-[0-9A-HJKMNP-TV-Z]{8,16}(?![0-9A-Za-z])")
REDACTED_NOTE = "*Redacted for circulation: case codes and staff names are replaced by stand-ins.*"
NARRATIVE_KEYS = frozenset({"description", "narrative", "concern_text", "details"})
NARRATIVE = "a safeguarding concern (details withheld from the circulated report)"
NAMES_PERSON = "[free text withheld: it names a person]"
# Keys whose numbers are not counts: positions, sizes, years, versions, shares.
# A part and its whole, wherever a mapping holds both: the share and the rest follow.
PAIRS = (
    ("k", "n"),
    ("no", "answered"),
    ("below_good", "graded"),
    ("sent", "total"),
    ("returned", "allocated"),  # the headlines: returns in and outstanding, of those allocated
    ("outstanding", "allocated"),
    ("held", "allocated"),  # crib sheets: sessions held, of those allocated
    ("met", "checked"),  # crib sheets: points met, of those checked
)
NOT_COUNTS = frozenset(
    {
        *("first", "last", "percent_columns", "version", "year", "half", "width", "column"),
        *("line", "per_year", "feedback_days"),  # settings (observations a year, days allowed)
    }
)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")
_RELATIVE = re.compile(
    r"\b(?:mother|father|mum|dad|brother|sister|grandmother|grandfather|nan|grandad|aunt|"
    r"uncle|cousin|son|daughter|stepfather|stepmother|stepdad|stepmum|partner|boyfriend|"
    r"girlfriend|baby|child|sibling)\s+(?!Case\b|Staff\b)[A-Z][a-z]{2,}\b"
)


class Hidden(float):
    """What arithmetic on a suppressed count gives (a share of 3 returns...): shown as "–"."""

    def __new__(cls) -> Hidden:
        return super().__new__(cls, float("nan"))

    def __str__(self) -> str:
        return "–"

    def __format__(self, spec: str) -> str:
        return "–"

    def _hidden(self, *_: Any) -> Hidden:
        return Hidden()

    # Arithmetic keeps it hidden (operators of a float subclass, overridden on purpose).
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _hidden
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _hidden
    __round__ = _hidden  # type: ignore[assignment]


class Small(int):
    """A count below the threshold: compares as itself, shows as "fewer than 5" in the
    Markdown, and any figure computed from it (a share, a sum) shows as "–"."""

    label: str

    def __new__(cls, value: int, label: str) -> Small:
        obj = super().__new__(cls, value)
        obj.label = label
        return obj

    def __str__(self) -> str:
        return suppress.marker(int(self))  # labelled after the tables are checked

    def __format__(self, spec: str) -> str:
        return str(self)

    def _hidden(self, *_: Any) -> Hidden:
        return Hidden()

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _hidden  # type: ignore[assignment]
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _hidden  # type: ignore[assignment]


class Kept(Small):
    """A count withheld across the report's linked tables (:mod:`.linked`): compares as
    itself, shows as "–" once the Markdown's tables are checked."""

    def __str__(self) -> str:
        return suppress.kept_marker(int(self))


_MERMAID = re.compile(r"```mermaid\n.*?```", re.S)


def without_small_charts(markdown: str, threshold: int) -> str:
    """Mermaid charts that would draw a suppressed or withheld figure are left out, saying
    why (a bar of 0 would be false, a bar of the share would give the count away)."""
    note = f"_(chart left out of the circulated report: it would show counts below {threshold})_"

    def one(m: re.Match[str]) -> str:
        chart = m.group(0)
        hides = "fewer than" in chart or suppress.WITHHELD in chart
        hides = hides or "\ue000" in chart or "\ue002" in chart
        return note if hides else chart

    return _MERMAID.sub(one, markdown)


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _loose(text: str) -> str:
    """A pattern for ``text`` in any case, its parts joined by any space, dot, hyphen or none."""
    parts = [re.escape(p) for p in re.split(r"[\s._-]+", text) if p]
    return r"[\s._-]*".join(parts)


class Redactor:
    def __init__(
        self,
        config: Config | None,
        names: Iterable[str] = (),
        small_numbers: int | None = None,
        codes: Iterable[str] = (),
    ) -> None:
        self.cases: dict[str, str] = {}
        # The repository's codes: one written with no hyphen and no digit ("CJTZGFXHQ", as
        # one in 20 codes of 8 characters can be) is told from a word by being one of them.
        self.known_codes = {_code(c) for c in codes}
        self.people: dict[str, str] = {}  # staff id -> stand-in
        self.threshold = small_numbers or (config.privacy.small_numbers if config else 5)
        self.unsafe_shares: set[float] = set()
        self._name_of: dict[str, str] = {}  # a spelling, normalised -> staff id
        staff = config.staff if config else []
        for s in staff:
            self._name_of[_key(s.id)] = s.id
        for s in staff:
            self._name_of.setdefault(_key(s.name), s.id)
            for part in re.split(r"[\s\-']+", s.name):
                if len(part) >= 3:
                    self._name_of.setdefault(_key(part), s.id)
        spellings = [s.id for s in staff] + [s.name for s in staff]
        spellings += [p for s in staff for p in re.split(r"[\s\-']+", s.name) if len(p) >= 3]
        alts = sorted({_loose(x) for x in spellings if x}, key=len, reverse=True)
        self._people_re = (
            re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)
            if alts
            else None
        )
        self._detect = Detectors.build(names=names)

    @classmethod
    def for_repository(cls, repo: Repository) -> Redactor:
        """The redactor of ``repo``: its staff, the identity list, the codes of its case
        lists and of the files loaded."""
        from ..caselist import case_lists
        from ..validation.privacy_rules import identity_names

        # (a valid file keeps its model, not its parsed data: an invalid one, its data)
        found = (
            getattr(lf.model, "case", None) if lf.model is not None else (lf.data or {}).get("case")
            for lf in repo.files
        )
        codes = {code for code in found if isinstance(code, str)}
        for _, path in case_lists(repo.root):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                codes |= set(HYPHENATED_CODE.findall(path.read_text("utf-8")))
        return cls(repo.config, identity_names(repo.root, repo.config), codes=codes)

    def _case(self, m: re.Match[str]) -> str:
        found = m.group(0)
        code = _code(found)
        bare = "-" not in found and not any(ch.isdigit() for ch in found)
        if bare and code not in self.known_codes:
            return found  # a word such as "Character", not a code
        if code not in self.cases:
            self.cases[code] = f"Case {len(self.cases) + 1}"
        return self.cases[code]

    def _person(self, m: re.Match[str]) -> str:
        who = self._name_of.get(_key(m.group(0)))
        if who is None:
            return "Staff"
        if who not in self.people:
            self.people[who] = f"Staff {_letters(len(self.people))}"
        return self.people[who]

    def names_a_person(self, value: str) -> bool:
        """Free text naming someone other than staff: a listed name, an honorific, a relative."""
        return bool(_HONORIFIC.search(value) or _RELATIVE.search(value) or self._detect.scan(value))

    def text(self, value: str) -> str:
        if self.names_a_person(value):
            return NAMES_PERSON
        value = CASE_CODE.sub(self._case, value)
        if self._people_re is not None:
            value = self._people_re.sub(self._person, value)
        value = suppress.tally(value, self.threshold, self.label)
        return suppress.pairs(value, self.threshold, self.label)

    @property
    def label(self) -> str:
        return f"fewer than {self.threshold}"

    def learn_shares(self, value: Any) -> None:
        """Remember every share (value, low, high) of ``value`` whose k or rest is small.

        A workbook table often holds the share without its k ("60%" beside 5 returns): its
        floats are withheld wherever they appear (a safe share of the same value is withheld
        too, which costs a figure, never a child's count)."""
        if isinstance(value, dict):
            for part, whole in PAIRS:
                k, n = value.get(part), value.get(whole)
                if isinstance(k, int) and isinstance(n, int) and not isinstance(k, bool):
                    # 0% and 100% give no count back; any share between does when k or the
                    # rest is small, or when k or n is withheld across linked tables
                    if 0 < k < n and (
                        suppress.small(k, self.threshold)
                        or suppress.small(n - k, self.threshold)
                        or withheld(k)
                        or withheld(n)
                    ):
                        self.unsafe_shares |= {
                            v for v in value.values() if isinstance(v, float) and v == v
                        }
            for v in value.values():
                self.learn_shares(v)
        elif isinstance(value, list | tuple):
            for v in value:
                self.learn_shares(v)

    def markdown(self, text: str) -> str:
        """The rendered Markdown of :meth:`context`: charts, tables, pairs and labels safe,
        and the redaction note of the templates says what "–" means."""
        text = without_small_charts(text, self.threshold)
        text = text.replace(REDACTED_NOTE, f"{REDACTED_NOTE[:-1]} {self.legend}*", 1)
        return suppress.finish(text, self.threshold, self.label)

    @property
    def legend(self) -> str:
        """What the redacted report's marks mean, for its readers."""
        return (
            f"Counts from 1 to {self.threshold - 1} read “{self.label}”; “–” marks a figure "
            "withheld so that none of them can be worked out from the others."
        )

    def _count(self, value: int) -> Any:
        if not 0 < value < self.threshold:
            if withheld(value):  # withheld across the linked tables
                return suppress.WITHHELD if self.as_text else Kept(value, self.label)
            return value
        label = f"fewer than {self.threshold}"
        return label if self.as_text else Small(value, label)

    def figure(self, value: int) -> Any:
        """A count as the redacted Markdown context holds it (a template's own count of a
        list goes through here: "fewer than 5", or "–" when withheld)."""
        return Small(value, self.label) if 0 < value < self.threshold else value

    as_text = True  # the workbook takes the words; the Markdown context takes Small numbers

    def context(self, value: Any) -> Any:
        """The template context redacted: counts stay numbers the template can compare."""
        self.as_text = False
        try:
            return self(value)
        finally:
            self.as_text = True

    def __call__(self, value: Any, key: str = "") -> Any:
        """A copy of ``value`` (JSON-like data) redacted for circulation."""
        if isinstance(value, str):
            return NARRATIVE if key in NARRATIVE_KEYS and value.strip() else self.text(value)
        if isinstance(value, float) and value in self.unsafe_shares:
            return None if self.as_text else Hidden()  # a table's share of a small k or rest
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return value if key in NOT_COUNTS else self._count(value)
        if isinstance(value, dict):
            # (a workbook's facts are no table: a fact that counts part of another is a
            # {"k", "n"} pair, below, and follows the "k of n" rule)
            out = {self.text(str(k)): self(v, str(k)) for k, v in value.items()}
            return self._share(value, out)
        if isinstance(value, list | tuple):
            return [self(v, key) for v in value]
        return value

    def _share(self, raw: dict[Any, Any], out: dict[str, Any]) -> dict[str, Any]:
        """Shares beside a small count ("2 of 3 (67%)", a Wilson interval) would give it away:
        every fraction of a mapping that holds a suppressed count is hidden too."""
        counts = [
            v
            for k, v in raw.items()
            if isinstance(v, int) and not isinstance(v, bool) and k not in NOT_COUNTS
        ]
        for part, whole in PAIRS:  # "7 of 10" gives away the 3 that were not
            k, n = raw.get(part), raw.get(whole)
            if isinstance(k, int) and isinstance(n, int) and not isinstance(k, bool):
                counts.append(n - k if k else 0)
                # the same rule as a "k of n" in the text (suppress.pair_text)
                if suppress.pair_text(k, n, self.threshold, self.label)[0] == suppress.WITHHELD:
                    out[part] = suppress.WITHHELD if self.as_text else Hidden()
        if isinstance(raw.get("rows"), list):
            self._row_shares(raw, out)
        held = any(withheld(v) for v in raw.values())
        # a change of share withholds its difference when either share is withheld
        held = held or any(_share_withheld(out.get(k)) for k in ("this", "before"))
        if not held and not any(0 < c < self.threshold for c in counts):
            return out
        for name, v in raw.items():  # shares, means, kappas: all made from the counts
            if isinstance(v, float):
                out[self.text(str(name))] = suppress.WITHHELD if self.as_text else Hidden()
        return out

    def _row_shares(self, raw: dict[Any, Any], out: dict[str, Any]) -> None:
        """In a workbook table, counts that would give a suppressed one back are withheld
        (rows and columns, :func:`suppress.secondary`), and so is every share in a row that
        holds a suppressed or withheld count."""
        shares = set(raw.get("percent_columns", []))
        rows = [r for r in raw["rows"] if isinstance(r, list | tuple)]
        if len(rows) != len(raw["rows"]):
            return
        more = self._secondary(rows, out["rows"], lambda j: j in shares)
        if out.get("chart") and (more or self._holds_small(rows, shares)):
            out["chart"] = None  # bars of "fewer than 5" would be drawn as nothing, or as 0
        for i, (row, new) in enumerate(zip(rows, out["rows"], strict=True)):
            small = any(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v < self.threshold
                for j, v in enumerate(row)
                if j not in shares
            )
            small = small or any(withheld(v) for v in row)
            if small or any(r == i for r, _ in more):
                for j, v in enumerate(row):  # shares and means made from the row's counts
                    if j in shares or isinstance(v, float):
                        new[j] = None

    def _holds_small(self, rows: list[Any], skip: set[int]) -> bool:
        return any(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v < self.threshold
            for row in rows
            for j, v in enumerate(row)
            if j not in skip
        )

    def _secondary(
        self, rows: list[Any], out: list[Any], skip: Callable[[int], bool]
    ) -> set[tuple[int, int]]:
        """Withhold the cells of ``rows`` (a table or the facts) that would give a small
        count back by subtraction; returns them."""
        grid = [r if isinstance(r, list | tuple) else [] for r in rows]
        more = suppress.rows_hidden(grid, self.threshold, skip, withheld)
        for i, j in more:
            out[i] = list(out[i])
            out[i][j] = suppress.WITHHELD if self.as_text else Hidden()
        return more


def _share_withheld(share: Any) -> bool:
    """Whether a redacted share mapping had its share or its k withheld."""
    if not isinstance(share, dict):
        return False
    return any(
        isinstance(share.get(k), Hidden) or share.get(k) == suppress.WITHHELD
        for k in ("value", "k")
    )


def _code(found: str) -> str:
    """A code as case lists write it: "C-" and capitals, however it was written."""
    return "C-" + found.upper().removeprefix("C").removeprefix("-")


def _key(text: str) -> str:
    return re.sub(r"[\s._-]+", "", text).casefold()
