"""Small-number suppression for circulated reports, so no figure below the threshold can be
worked out from the others.

Primary suppression writes a count from 1 to ``threshold - 1`` as "fewer than 5". That alone
leaks: a share of 20% of 5 is 1; a total of 12 beside 10 and a suppressed cell gives 2; "7 of
10" tells that 3 were not. So, in a redacted report:

- **pairs** "k of n" (and their shares): when k or n - k is from 1 to ``threshold - 1``, k is
  withheld ("–") whichever it is, so the label itself tells nothing; n below the threshold is
  "fewer than 5";
- **tables**: in every row and every column of counts that holds a suppressed cell, more
  cells are withheld ("–", smallest first) until at least two are and they add up to at least
  the threshold, so no subtraction from a total gives one back (secondary suppression);
- **tallies** such as "no: 1, yes: 3" get the same treatment as a row.

The Markdown is rendered with each suppressed count as a marker that carries its value (see
:func:`marker`), so the tables can be worked on after rendering; every marker then becomes
the label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

WITHHELD = "–"
_MARK = re.compile("\ue000(\\d+)\ue001")
_KEPT = re.compile("\ue002(\\d+)\ue003")  # a count the linked tables withhold (.linked)
_NUMBER = r"(?:\ue000\d+\ue001|\ue002\d+\ue003|\d+)"
# "k of n": not inside a date, a version, a code or a percentage ("of 8." ends a sentence).
_PAIR = re.compile(
    r"(?<![\w.\-/\ue001])(" + _NUMBER + r") of (" + _NUMBER + r")(?![\w\-/%\ue000]|\.\w)"
)
_WITHHELD_WHOLE = re.compile(WITHHELD + " of \ue002\\d+\ue003")
_TALLY = re.compile(r"^(?:[^:,|]+: \d+)(?:, [^:,|]+: \d+)*$")
_SPLIT = re.compile(r"(?<!\\)\|")  # cells: an escaped pipe stays inside its cell
_CELL = re.compile(r"^\s*(\*\*)?(" + _NUMBER + r")(\*\*)?\s*$")


def marker(value: int) -> str:
    """How a suppressed count is rendered in the Markdown until :func:`finish` labels it."""
    return f"\ue000{value}\ue001"


def kept_marker(value: int) -> str:
    """How a count withheld across linked tables (:mod:`.linked`) is rendered in the Markdown
    until :func:`finish` writes it "–" (the tables count it as hidden meanwhile)."""
    return f"\ue002{value}\ue003"


def _value(text: str) -> int:
    m = _MARK.fullmatch(text) or _KEPT.fullmatch(text)
    return int(m[1]) if m else int(text)


def small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def secondary(
    grid: Sequence[Sequence[int | None]],
    threshold: int,
    kept: Collection[tuple[int, int]] = (),
) -> set[tuple[int, int]]:
    """Cells to withhold besides the small ones (and the ``kept`` ones, already withheld),
    so no row or column gives one back.

    ``grid`` holds counts (None where a cell is not a count). Each row and each column that
    holds a hidden cell gets more hidden cells, smallest non-zero first, until it has at
    least two whose sum reaches ``threshold``; repeated until nothing changes.
    """
    cells = {(i, j): v for i, row in enumerate(grid) for j, v in enumerate(row) if v is not None}
    hidden = {c for c, v in cells.items() if small(v, threshold)} | (set(kept) & set(cells))
    primary = set(hidden)
    lines = [[c for c in cells if c[0] == i] for i in range(len(grid))]
    lines += [[c for c in cells if c[1] == j] for j in {c[1] for c in cells}]
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            shut = [c for c in line if c in hidden]
            if not shut:
                continue
            while len(shut) < 2 or sum(cells[c] for c in shut) < threshold:
                rest = [c for c in line if c not in hidden and cells[c] > 0]
                if not rest:
                    break
                pick = min(rest, key=lambda c: (cells[c], c))
                hidden.add(pick)
                shut.append(pick)
                changed = True
    return hidden - primary


def pair_text(k: int, n: int, threshold: int, label: str) -> tuple[str, str]:
    """How "k of n" is written; n is labelled when small. k reads:

    - ``label`` ("fewer than 5") when it is small and n is so large that its rest cannot be
      (n of at least ``2 * threshold - 1``): "no in fewer than 5 of 16 returns";
    - "–" when its rest n - k is small, or when it is small and so could its rest be: "– of
      16" (1 to 4 were not), "– of 6" (any of 1 to 5); "fewer than 5 of 6" would tell that
      the rest is not small, and so that k is 1;
    - itself otherwise (0 identifies no one).

    Each label leaves k at least two values. The Summary's parts of a whole (the monthly's
    returns in and outstanding, of the cases allocated) follow the same rule.
    """
    shown_n = label if small(n, threshold) else str(n)
    if k > 0 and small(n - k, threshold):
        return WITHHELD, shown_n
    if small(k, threshold):
        return (label if n >= 2 * threshold - 1 else WITHHELD), shown_n
    return str(k), shown_n


def pairs(text: str, threshold: int, label: str) -> str:
    """Every "k of n" of a text written by :func:`pair_text` (a withheld one stays so)."""

    def one(m: re.Match[str]) -> str:
        k, n = pair_text(_value(m[1]), _value(m[2]), threshold, label)
        if _KEPT.fullmatch(m[2]):  # the whole withheld: "– of –" says no more than "–"
            return WITHHELD
        return f"{WITHHELD if _KEPT.fullmatch(m[1]) else k} of {n}"

    return _PAIR.sub(one, text) if " of " in text else text


def tally(text: str, threshold: int, label: str) -> str:
    """A tally "no: 1, yes: 3" as a row of counts: small ones labelled, then secondary."""
    if not _TALLY.match(text):
        return text
    parts = [p.rsplit(": ", 1) for p in text.split(", ")]
    counts = [int(v) for _, v in parts]
    more = {j for _, j in secondary([counts], threshold)}
    return ", ".join(
        f"{name}: " + (label if small(v, threshold) else WITHHELD if j in more else str(v))
        for j, ((name, _), v) in enumerate(zip(parts, counts, strict=True))
    )


def rows_hidden(
    rows: Sequence[Sequence[object]],
    threshold: int,
    skip: Callable[[int], bool],
    kept: Callable[[object], bool] = lambda v: False,
) -> set[tuple[int, int]]:
    """Secondary cells of a workbook table: its int cells (not in skipped columns) as counts,
    those ``kept`` already withheld."""
    grid = [
        [
            v if isinstance(v, int) and not isinstance(v, bool) and not skip(j) else None
            for j, v in enumerate(row)
        ]
        for row in rows
    ]
    held = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if kept(v)}
    return secondary(grid, threshold, held)


def finish(markdown: str, threshold: int, label: str) -> str:
    """The rendered Markdown with secondary suppression in every table, pairs and tallies
    written safely, and every marker replaced by ``label``."""
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            lines[i:j] = _table(lines[i:j], threshold)
            i = j
        else:
            i += 1
    text = "\n".join(pairs(line, threshold, label) for line in lines)
    text = _WITHHELD_WHOLE.sub(WITHHELD, text)  # "– of –" says no more than "–"
    return _KEPT.sub(WITHHELD, _MARK.sub(label, text))


def _table(block: list[str], threshold: int) -> list[str]:
    """A Markdown table with secondary suppression over its count cells."""
    body = [n for n in range(1, len(block)) if not _is_rule(block, n)]  # 0 is the heading
    rows = {n: _SPLIT.split(block[n].strip().strip("|")) for n in body}
    grid = [[_value(m[2]) if (m := _CELL.match(cell)) else None for cell in rows[n]] for n in body]
    kept = {
        (r, c) for r, n in enumerate(body) for c, cell in enumerate(rows[n]) if "\ue002" in cell
    }
    more = secondary(grid, threshold, kept)
    if not more:
        return block
    out = list(block)
    for r, c in more:
        n = body[r]
        cells = rows[n]
        m = _CELL.match(cells[c])
        bold = "**" if m and m[1] else ""
        cells[c] = f" {bold}{WITHHELD}{bold} "
        out[n] = "|" + "|".join(cells) + "|"
    return out


def _is_rule(block: list[str], n: int) -> bool:
    return n < len(block) and bool(re.fullmatch(r"\|[\s:|-]+\|?", block[n].strip()))
