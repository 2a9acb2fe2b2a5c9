"""Linked tables: the tables of one report that share margins, suppressed as one table.

Secondary suppression table by table (:func:`.suppress.secondary`) keeps each row and column
safe on its own, but a report shows the same returns several ways: grades overall, by team,
by service (each service the sum of its teams), by month; "k of n" beside a count of the same
n. A figure hidden in one table can then be worked out from the others: the quarterly's
"Good or better: 9 of 16" less its 8 Good gives its Outstanding back, a service's "5 of 12"
less its teams gives the other service's returns back.

So a report describes its figures once (:class:`Links`): each figure's value and every place
in the report data that shows it, and the sums that tie figures together (a row total, a
service over its teams, a pair's "rest" n - k). :func:`plan` then hides figures until

- every line holding a hidden figure (the parts of a sum whose total is shown, a table's row
  or column) has at least two hidden, adding up to at least the threshold (the rule each
  table already follows on its own), and
- no such count, nor the rest of a "k of n", is fixed by the figures left shown: the linear
  system of every sum, with the shown figures as constants, leaves each of them free.

:func:`withhold` writes each figure the report shows as a :class:`Figure` (an ``int`` that knows
its figure) in the report data, before the workbook is built from it, so the workbook's cells
are the same objects. They print as themselves in the full report; redaction (:mod:`.redact`)
asks :func:`withheld` of each and writes a withheld one "–" in the Markdown and the workbook
alike, wherever it appears. The plan is worked out on the first question: only a redacted
report pays for it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..models.common import GRADES

Key = Hashable
Place = tuple[MutableMapping[str, Any] | MutableSequence[Any], Any]
_GOOD_OR_BETTER = ("outstanding", "good")


class Figure(int):
    """A count the report shows, tied to its figure of :class:`Links`: itself everywhere,
    and :func:`withheld` when the plan withholds it."""

    links: Links | None = None
    key: Key = None

    def __reduce__(self) -> tuple[type[int], tuple[int]]:
        return int, (int(self),)  # a copy is a plain count


def withheld(value: object) -> bool:
    """Whether ``value`` is a figure the plan of its linked tables withholds, not itself
    small (a small one is labelled "fewer than 5" anyway)."""
    if not isinstance(value, Figure) or value.links is None:
        return False
    return value.key in value.links.planned and not small(value, value.links.threshold)


@dataclass
class Links:
    """The figures of one report and the sums that tie them."""

    value: dict[Key, int] = field(default_factory=dict)
    places: dict[Key, list[Place]] = field(default_factory=dict)
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    lines: list[tuple[Key, ...]] = field(default_factory=list)  # a table's row or column
    threshold: int = 5

    @cached_property
    def planned(self) -> set[Key]:
        """The figures to withhold (:func:`plan`), worked out when first asked."""
        return plan(self, self.threshold)

    def line(self, keys: Iterable[Key]) -> None:
        """Figures a table shows side by side (a row, a column), which its own check
        (:func:`.suppress.secondary`) treats as one line: the plan keeps it satisfied."""
        self.lines.append(tuple(dict.fromkeys(keys)))

    def figure(self, key: Key, value: int, *places: Place) -> Key:
        """A figure (shown at ``places``; none: a figure no table shows, such as a rest).

        A place that holds another value is no place of this figure: it becomes a figure of
        its own, tied to nothing, so marking never changes what the full report shows."""
        if key not in self.value:
            self.value[key] = int(value)
            self.places[key] = []
        for place in places:
            container, index = place
            if container[index] == self.value[key]:
                self.places[key].append(place)
            else:
                self.figure(("apart", key, len(self.value)), container[index], place)
        return key

    def shown(self, key: Key) -> bool:
        return bool(self.places[key])

    def total(self, key: Key, parts: Sequence[Key]) -> None:
        """``key`` is the sum of ``parts``; what they leave out is a figure no table shows
        (returns without a grade, say), unless it is 0."""
        rest = self.value[key] - sum(self.value[p] for p in parts)
        if rest:
            parts = [*parts, self.figure(("rest", key, len(self.sums)), rest)]
        self.sums.append((key, tuple(parts)))

    def pair(self, k: Key, n: Key) -> None:
        """``k`` is shown as "k of n": the rest n - k is a figure too ("7 of 10": 3 were not)."""
        rest = self.figure(("not", k), self.value[n] - self.value[k])
        self.sums.append((n, (k, rest)))

    def grade_row(self, name: Key, row: dict[str, Any], *, counts: bool = True) -> None:
        """A grade row (``collate.grade_row`` after ``plain``): its returns, counts by grade
        (shown when ``counts``) and Good-or-better k of n."""
        gob = row["good_or_better"]
        self.figure((name, "n"), row["n"], (row, "n"), (gob, "n"))
        for g in GRADES:
            self.figure((name, g), row["counts"][g], *([(row["counts"], g)] if counts else []))
        self.figure((name, "gob"), gob["k"], (gob, "k"))
        self.total((name, "n"), [(name, g) for g in GRADES])
        self.total((name, "gob"), [(name, g) for g in _GOOD_OR_BETTER])
        self.pair((name, "gob"), (name, "n"))

    def nest(self, parent: Key, children: Iterable[Key]) -> None:
        """Grade rows ``children`` add up to ``parent``, figure by figure."""
        kids = list(children)
        for f in ("n", *GRADES, "gob"):
            self.total((parent, f), [(c, f) for c in kids])


def small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def _sensitive(links: Links, hidden: set[Key], threshold: int) -> list[Key]:
    """Hidden figures (and figures no table shows) from 1 to ``threshold - 1``."""
    return [
        k
        for k, v in links.value.items()
        if small(v, threshold) and (k in hidden or not links.shown(k))
    ]


def determined(links: Links, hidden: set[Key]) -> set[Key]:
    """The figures not shown (hidden, or never shown) whose value the shown ones fix: the
    sums as linear equations, the shown figures as constants, solved exactly."""
    return set(_solved(links, hidden))


def _solved(links: Links, hidden: set[Key]) -> dict[Key, set[int]]:
    """Each figure :func:`determined` finds, with the sums (indexes) its value comes from."""
    unknown = [k for k in links.value if k in hidden or not links.shown(k)]
    col = {k: i for i, k in enumerate(unknown)}
    rows: list[tuple[dict[int, int], set[int]]] = []
    for n, (total, parts) in enumerate(links.sums):
        row: dict[int, int] = {}
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in col:
                row[col[key]] = row.get(col[key], 0) + sign
        row = {c: v % _P for c, v in row.items() if v % _P}
        if row:
            rows.append((row, {n}))
    pivots = _reduce(rows)
    return {unknown[c]: used for c, (r, used) in pivots.items() if len(r) == 1}


# Elimination over the integers modulo a prime of 61 bits: exact for the 0/1 sums of a report
# (a wrong rank would need a minor divisible by the prime), and much faster than fractions.
_P = (1 << 61) - 1
Row = tuple[dict[int, int], set[int]]  # coefficients by column, the sums combined into it


def _reduce(rows: list[Row]) -> dict[int, Row]:
    """Reduced row echelon form of sparse rows: pivot column -> its row."""
    pivots: dict[int, Row] = {}
    for row, used in rows:
        row, used = dict(row), set(used)
        for c in [c for c in row if c in pivots]:
            if c in row:
                _subtract((row, used), pivots[c], row[c])
        if not row:
            continue
        c = min(row)
        inverse = pow(row[c], -1, _P)
        row = {j: v * inverse % _P for j, v in row.items()}
        for other in pivots.values():
            if c in other[0]:
                _subtract(other, (row, used), other[0][c])
        pivots[c] = (row, used)
    return pivots


def _subtract(row: Row, by: Row, times: int) -> None:
    values = row[0]
    for j, v in by[0].items():
        new = (values.get(j, 0) - times * v) % _P
        if new:
            values[j] = new
        else:
            values.pop(j, None)
    row[1].update(by[1])


def disclosed(links: Links, hidden: set[Key], threshold: int) -> set[Key]:
    """Counts from 1 to ``threshold - 1`` a reader can work out from what is shown."""
    fixed = determined(links, hidden)
    return {k for k in _sensitive(links, hidden, threshold) if k in fixed}


def plan(links: Links, threshold: int) -> set[Key]:
    """The shown figures to hide: the small ones and enough others that none of them, nor
    any figure no table shows, can be worked out (see the module's docstring)."""
    hidden = {k for k, v in links.value.items() if links.shown(k) and small(v, threshold)}
    hidden |= _pairs_withheld(links, threshold)
    while True:
        _lines(links, hidden, threshold)
        leaks = disclosed(links, hidden, threshold)
        if not leaks:
            return hidden
        pick = _breaker(links, hidden, threshold, min(leaks, key=str))
        if pick is None:
            return hidden  # nothing shown is left to hide
        hidden.add(pick)


def _pairs_withheld(links: Links, threshold: int) -> set[Key]:
    """The k of each "k of n" whose rest is small: redaction writes it "–" (suppress.pair_text)."""
    return {
        k
        for key, v in links.value.items()
        if isinstance(key, tuple) and key[:1] == ("not",) and small(v, threshold)
        for k in key[1:]
        if links.shown(k) and links.value[k] > 0
    }


def _lines(links: Links, hidden: set[Key], threshold: int) -> None:
    """Each line (the parts of a sum, a table's row or column) holding a hidden figure, or a
    small one no table shows, gets at least two hidden figures adding up to at least
    ``threshold``, smallest shown one first; repeated until nothing changes."""
    # (a sum whose total no table shows gives nothing back by subtraction: the exact check
    # sees to what it ties)
    lines = [parts for total, parts in links.sums if links.shown(total)] + links.lines
    changed = True
    while changed:
        changed = False
        for parts in lines:
            shut = [p for p in parts if p in hidden or not links.shown(p)]
            if not any(p in hidden or small(links.value[p], threshold) for p in shut):
                continue
            while len(shut) < 2 or sum(links.value[p] for p in shut) < threshold:
                rest = [p for p in parts if p not in shut and links.value[p] > 0]
                if not rest:
                    break
                pick = min(rest, key=lambda p: (links.value[p], parts.index(p)))
                hidden.add(pick)
                shut.append(pick)
                changed = True


def _breaker(links: Links, hidden: set[Key], threshold: int, leak: Key) -> Key | None:
    """A shown figure whose hiding frees ``leak``: of the shown figures of the sums its value
    comes from, the smallest that does; else the smallest of them (the next round goes on)."""
    sums = _solved(links, hidden).get(leak, set())
    used = {k for n in sums for k in (links.sums[n][0], *links.sums[n][1])}
    shown = sorted(
        (k for k in used if links.shown(k) and k not in hidden and links.value[k] > 0),
        key=lambda k: (links.value[k], str(k)),
    )
    for k in shown:
        if leak not in determined(links, hidden | {k}):
            return k
    return shown[0] if shown else None


def mark(links: Links) -> None:
    """Write each figure the report shows as a :class:`Figure`, everywhere it shows it."""
    for key, places in links.places.items():
        for container, index in places:
            value = Figure(container[index])
            value.links, value.key = links, key
            container[index] = value


def threshold_of(config: Any) -> int:
    """``privacy.small_numbers`` of qa.yaml (5 without one)."""
    return int(config.privacy.small_numbers) if config is not None else 5


# --- the linked tables the reports share ------------------------------------------------------


def grades(links: Links, ctx: dict[str, Any], changes: Iterable[dict[str, Any]] = ()) -> None:
    """The report's grade distribution ("all"): its table of counts (``grades``), its
    Good-or-better share, and the ``changes`` against earlier periods, which show this one."""
    links.grade_row("all", ctx["distribution"])
    for g in ctx["grades"]:
        links.figure(("all", g["grade"]), g["count"], (g, "count"))
    for change in changes:
        share(links, "all", change["this"], k=not change["too_few"])


def share(links: Links, name: Key, s: dict[str, Any], *, k: bool = True) -> None:
    """Another place showing the grade row ``name``'s n, and its Good-or-better k unless
    ``k`` is false (a change too small to state shows the returns only)."""
    links.figure((name, "n"), s["n"], (s, "n"))
    links.figure((name, "gob"), s["k"], *([(s, "k")] if k else []))


def grade_rows(
    links: Links, kind: str, rows: list[dict[str, Any]], *, counts: bool = True
) -> list[Key]:
    """Rows by team, by service or by month, each a part of the report's distribution."""
    names: list[Key] = [(kind, r["key"]) for r in rows]
    for name, r in zip(names, rows, strict=True):
        links.grade_row(name, r, counts=counts)
    links.nest("all", names)
    return names


def on_time(links: Links, on: dict[str, Any]) -> None:
    """Returns on time: overall, by pair (which add up to it), by auditor (each the sum of
    the pairs the auditor is in) and by Service Manager (the same rows as their auditor's)."""
    overall = on["overall"]
    links.figure(("due", "all"), overall["due"], (overall, "due"), (overall, "n"))
    links.figure(("on", "all"), overall["k"], (overall, "k"))
    links.pair(("on", "all"), ("due", "all"))
    for kind in ("pairs", "auditors", "service_managers"):
        group = "auditors" if kind == "service_managers" else kind
        for x in on[kind]:
            links.figure(("due", group, x["label"]), x["due"], (x, "due"), (x, "n"))
            links.figure(("on", group, x["label"]), x["on_time"], (x, "on_time"), (x, "k"))
            links.pair(("on", group, x["label"]), ("due", group, x["label"]))
    pairs = [x["label"] for x in on["pairs"]]
    sheet = [("pairs", p) for p in pairs] + [("auditors", x["label"]) for x in on["auditors"]]
    managers = [("auditors", x["label"]) for x in on["service_managers"]]
    for who in (*sheet, *managers):  # each row shows its due and its on time side by side
        links.line([("due", *who), ("on", *who)])
    for f in ("due", "on"):  # the columns of the tables and of the sheet
        links.line([(f, *who) for who in managers])
        links.line([(f, *who) for who in [*managers, *sheet]])
        links.total((f, "all"), [(f, "pairs", p) for p in pairs])
        for a in on["auditors"]:
            mine = [p for p in pairs if a["label"] in p.split(" and ")]
            links.total((f, "auditors", a["label"]), [(f, "pairs", p) for p in mine])


def actions(links: Links, counts: dict[str, Any], done: str = "done") -> None:
    """A report's action counts: open, done (awaiting verification) and verified make the
    total; open ones may be overdue."""
    for f in ("total", "open", "overdue", "verified"):
        links.figure(("actions", f), counts[f], (counts, f))
    links.figure(("actions", "done"), counts[done], (counts, done))
    links.total(("actions", "total"), [("actions", f) for f in ("open", "done", "verified")])


def owners(links: Links, actions: dict[str, Any]) -> None:
    """Actions by owner: each owner's open, done and verified add up to their actions, and
    the owners add up to the report's actions, completed and overdue."""
    fields = ("total", "open", "done", "verified", "overdue")
    for f in ("total", "overdue"):
        links.figure(("actions", f), actions[f], (actions, f))
    links.figure(("actions", "completed"), actions["completed"], (actions, "completed"))
    c = actions["completion"]
    links.figure(("actions", "total"), c["n"], (c, "n"))
    links.figure(("actions", "completed"), c["k"], (c, "k"))
    links.pair(("actions", "completed"), ("actions", "total"))
    for o in actions["owners"]:
        name = ("owner", o["owner"])
        for f in fields:
            links.figure((name, f), o[f], (o, f))
        oc = o["completion"]
        links.figure((name, "total"), oc["n"], (oc, "n"))
        links.figure((name, "completed"), oc["k"], (oc, "k"))
        links.total((name, "total"), [(name, "open"), (name, "done"), (name, "verified")])
        links.total((name, "completed"), [(name, "done"), (name, "verified")])
        links.pair((name, "completed"), (name, "total"))
        links.line([(name, f) for f in fields])  # the owner's row
    for f in ("open", "done", "verified"):  # shown beside the owners in some reports only
        links.figure(("actions", f), sum(o[f] for o in actions["owners"]))
    for f in ("total", "overdue", "completed", "open", "done", "verified"):
        links.total(("actions", f), [(("owner", o["owner"]), f) for o in actions["owners"]])


def themes(links: Links, themes: dict[str, Any]) -> None:
    """Questions answered "no" (k of n) and lines of enquiry (below Good of graded, "no" of
    answered): a line's "no" answers are those of its questions. The list holds the
    questions most often answered "no"; those it leaves out are a rest no table shows."""
    lines: dict[str, list[Key]] = {}
    for q in themes["questions"]:
        _pair_of(links, ("question", q["question"]), q, "no", "answered")
    for e in themes["enquiries"]:
        name = ("enquiry", e["line_of_enquiry"], e["text"])
        _pair_of(links, name, e, "no", "answered")
        _pair_of(links, name, e, "below_good", "graded")
        lines.setdefault(e["line_of_enquiry"], []).append((name, "no"))
    for loe, rows in lines.items():
        total = links.figure(("line of enquiry", loe), sum(links.value[r] for r in rows))
        links.total(total, rows)  # (two tools may word one line two ways: two rows)
        asked = [q for q in themes["questions"] if q["line_of_enquiry"] == loe]
        links.total(total, [(("question", q["question"]), "no") for q in asked])


def _pair_of(links: Links, name: Key, row: dict[str, Any], k: str, n: str) -> None:
    """The "k of n" of ``row`` as two figures of ``name``."""
    links.figure((name, k), row[k], (row, k))
    links.figure((name, n), row[n], (row, n))
    links.pair((name, k), (name, n))


def withhold(links: Links, config: Any) -> None:
    """Mark the figures of ``links`` in the report data; a redacted report withholds those
    the plan says (with the threshold of ``config``), worked out when it first asks."""
    links.threshold = threshold_of(config)
    mark(links)
