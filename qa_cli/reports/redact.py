"""Redaction for circulation (App. E 6: "circulated ... without the code").

A transform of the report data before it is rendered, so the Markdown and the workbook of one
run say the same thing:

- case codes become "Case 1", "Case 2", ... whatever their case, with or without the hyphen;
- staff ids and names (from qa.yaml) become "Staff A", "Staff B", ... whatever their case,
  with or without the hyphen, and first names and surnames on their own too (greedy: a word
  wrongly hidden costs less than a name left in);
- safeguarding-concern narratives, and any other free text that names a person (a name of
  the identity list, "Mr Quux", "mother Zebedee"...), become a neutral phrase;
- every count below ``privacy.small_numbers`` (default 5) in every table, chart and fact
  becomes "fewer than 5" (0 stays 0: it identifies no one).

Team and service names are kept: they identify no one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..models.config import Config
from ..privacy import Detectors

CASE_CODE = re.compile(
    r"(?<![0-9A-Za-z])[Cc]-?[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{8,16}"
    r"(?![0-9A-Za-z])"
)
NARRATIVE_KEYS = frozenset({"description", "narrative", "concern_text", "details"})
NARRATIVE = "a safeguarding concern (details withheld from the circulated report)"
NAMES_PERSON = "[free text withheld: it names a person]"
# Keys whose numbers are not counts: positions, sizes, years, versions, shares.
NOT_COUNTS = frozenset(
    {"first", "last", "percent_columns", "version", "year", "half", "width", "column", "line"}
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
        return self.label

    def __format__(self, spec: str) -> str:
        return self.label

    def _hidden(self, *_: Any) -> Hidden:
        return Hidden()

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _hidden  # type: ignore[assignment]
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _hidden  # type: ignore[assignment]


_MERMAID = re.compile(r"```mermaid\n.*?```", re.S)


def without_small_charts(markdown: str, threshold: int) -> str:
    """Mermaid charts that would draw a suppressed count are left out, saying why."""
    note = f"_(chart left out of the circulated report: it would show counts below {threshold})_"
    return _MERMAID.sub(lambda m: note if "fewer than" in m.group(0) else m.group(0), markdown)


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
        self, config: Config | None, names: Iterable[str] = (), small_numbers: int | None = None
    ) -> None:
        self.cases: dict[str, str] = {}
        self.people: dict[str, str] = {}  # staff id -> stand-in
        self.threshold = small_numbers or (config.privacy.small_numbers if config else 5)
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

    def _case(self, m: re.Match[str]) -> str:
        found = m.group(0)
        if "-" not in found and not any(ch.isdigit() for ch in found):
            return found  # a word such as "Character", not a code
        code = "C-" + found.upper().removeprefix("C").removeprefix("-")
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
        return value

    def _count(self, value: int) -> Any:
        if not 0 < value < self.threshold:
            return value
        label = f"fewer than {self.threshold}"
        return label if self.as_text else Small(value, label)

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
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return value if key in NOT_COUNTS else self._count(value)
        if isinstance(value, dict):
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
        k, n = raw.get("k"), raw.get("n")
        if isinstance(k, int) and isinstance(n, int):
            counts.append(n - k)
        if "rows" in raw and "percent_columns" in raw:
            self._row_shares(raw, out)
        if not any(0 < c < self.threshold for c in counts):
            return out
        for name, v in raw.items():
            if isinstance(v, float) and 0 <= v <= 1:
                out[self.text(str(name))] = None
        return out

    def _row_shares(self, raw: dict[Any, Any], out: dict[str, Any]) -> None:
        """In a workbook table, a share column beside a suppressed count is emptied."""
        shares = set(raw["percent_columns"])
        for row, new in zip(raw["rows"], out["rows"], strict=True):
            small = any(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v < self.threshold
                for i, v in enumerate(row)
                if i not in shares
            )
            if small:
                for i in shares:
                    if i < len(new):
                        new[i] = None


def _key(text: str) -> str:
    return re.sub(r"[\s._-]+", "", text).casefold()
