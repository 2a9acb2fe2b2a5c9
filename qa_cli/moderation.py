"""The QA review list (App. D): every returned RI or Inadequate audit, plus a seeded share of
Good-or-better ones, recorded in the month's sample file so anyone can re-draw it.

Returns arrive over two months, so moderation is rolling: the first run records the list under
``moderation:``; every later run adds a round under ``moderation.rounds`` holding only the
returns that came in since (every new Requires Improvement or Inadequate one, and a seeded
share of the new Good-or-better ones). Earlier picks are never re-drawn or removed, and each
round records its seed and pool, so :func:`verify` re-draws the whole history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import QAError
from .layout import sample_path
from .models.common import BELOW_GOOD
from .models.sample import Moderation, Sample

if TYPE_CHECKING:
    from .repository import Repository

GOOD_OR_BETTER = frozenset({"good", "outstanding"})


@dataclass
class ModerationResult:
    month: str
    seed: int
    share: float
    always: list[str]
    drawn_from: list[str]
    selected: list[str]
    not_returned: list[str]
    ungraded: list[str]
    sample_rel: str
    replaced: bool = False
    round: int = 0  # 0: the first list; n: the n-th round added later
    earlier: Moderation | None = None  # the block it adds a round to


def moderation_seed(month: str, cases: list[str]) -> int:
    h = hashlib.sha256(("moderation:" + month + ":" + ",".join(cases)).encode()).hexdigest()
    return int(h[:8], 16)


def choose(good: list[str], share: float, rng: random.Random) -> list[str]:
    """A seeded share of the Good-or-better returns: at least one when there are any."""
    if not good or share <= 0:
        return []
    k = min(len(good), max(1, math.ceil(share * len(good))))
    return sorted(rng.sample(sorted(good), k))


def _month_sample(repo: Repository, month: str) -> tuple[Any, Sample]:
    """The month's single-agency sample file and model."""
    rel = sample_path(month, "single-agency")
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"moderation follows the month's draw: `qa sample --month {month}` first",
        )
    if not isinstance(lf.model, Sample):
        raise QAError(f"{rel} is not a valid sample file", f"run `qa validate {rel}` to see why")
    return lf, lf.model


@dataclass
class _Returned:
    """The month's sampled returns by where they stand for moderation."""

    always: list[str] = field(default_factory=list)  # Requires Improvement or Inadequate
    good: list[str] = field(default_factory=list)  # Good or better: the seeded share
    not_returned: list[str] = field(default_factory=list)
    ungraded: list[str] = field(default_factory=list)
    completed: dict[str, dt.date] = field(default_factory=dict)


def _sort_returns(repo: Repository, month: str, sample: Sample) -> _Returned:
    cases = {a.case for a in sample.allocations}
    out = _Returned()
    for f, m in repo.audits():
        if not f.rel.startswith(f"audits/{month}/") or m.case not in cases:
            continue
        if not m.at_least("returned"):
            out.not_returned.append(m.case)
            continue
        out.completed[m.case] = m.completed or m.allocated
        if m.overall_grade in BELOW_GOOD:
            out.always.append(m.case)
        elif m.overall_grade in GOOD_OR_BETTER:
            out.good.append(m.case)
        else:
            out.ungraded.append(m.case)
    for group in (out.always, out.good, out.not_returned, out.ungraded):
        group.sort()
    return out


def considered(mod: Moderation, completed: dict[str, dt.date]) -> set[str]:
    """Every return an earlier run of ``qa moderate`` took into account.

    A list recorded before qa kept its pools (no ``always`` / ``drawn_from``) took in every
    return completed by the day it was drawn.
    """
    seen = set(mod.always) | set(mod.drawn_from) | set(mod.selected)
    if not mod.always and not mod.drawn_from and mod.drawn is not None:
        seen |= {c for c, day in completed.items() if day <= mod.drawn}
    for r in mod.rounds:
        seen |= set(r.always) | set(r.drawn_from)
    return seen


def moderate(
    repo: Repository,
    month: str,
    today: dt.date,
    share: float | None = None,
    seed: int | None = None,
    force: bool = False,
) -> ModerationResult:
    """The month's moderation list, or the next round of it (nothing is written here).

    With no list yet (or ``force``): the first list. Otherwise a round of the returns not taken
    into account before; an empty round means nothing new came in.
    """
    lf, sample = _month_sample(repo, month)
    if share is None:
        share = repo.config.programmes.moderation.share_good_or_better if repo.config else 0.2
    if not 0 <= share <= 1:
        raise QAError(f"--share {share} is not between 0 and 1", "e.g. --share 0.2 for 20%")
    found = _sort_returns(repo, month, sample)
    earlier = None if force else sample.moderation
    n = 0
    if earlier is not None:
        seen = considered(earlier, found.completed)
        found.always = [c for c in found.always if c not in seen]
        found.good = [c for c in found.good if c not in seen]
        n = len(earlier.rounds) + 1
    if seed is None:
        seed = moderation_seed(month if n == 0 else f"{month}:round{n}", found.good)
    selected = choose(found.good, share, random.Random(seed))
    return ModerationResult(
        month,
        seed,
        share,
        found.always,
        found.good,
        selected,
        found.not_returned,
        found.ungraded,
        lf.rel,
        replaced=force and sample.moderation is not None,
        round=n,
        earlier=earlier,
    )


def record(repo: Any, result: ModerationResult, today: dt.date) -> None:
    """Write the list (or add the round) to the sample file through the byte-preserving path.

    Only the new lines appear: a first list is the `moderation:` block, a round is one more
    item of `moderation.rounds`; comments and the rest of the file stay as they were.
    """
    from .yamledit import Append, SetBlock, edit_file

    block: dict[str, Any] = {
        "seed": result.seed,
        "share": result.share,
        "drawn": today,
        "always": list(result.always),
        "drawn_from": list(result.drawn_from),
        "selected": list(result.selected),
    }
    path = repo.path_for_write(result.sample_rel)
    if result.earlier is None:
        edit_file(path, result.sample_rel, [SetBlock(("moderation",), block)])
    else:
        edit_file(path, result.sample_rel, [Append(("moderation", "rounds"), (block,))])


@dataclass
class ModerationCheck:
    """What ``qa moderate --verify`` found: each round re-drawn, pools checked."""

    ok: bool
    rounds: int  # rounds re-drawn (the first list counts as one)
    problems: list[str]
    notes: list[str]


def _pools(mod: Moderation) -> list[tuple[str, Any]]:
    first = ("the first list", mod)
    return [first, *((f"round {i}", r) for i, r in enumerate(mod.rounds, start=1))]


def _check_round(
    name: str, r: Any, share: float, grade_of: dict[str, str], seen: dict[str, str]
) -> list[str]:
    """What is wrong with one round: its draw, its pools, cases in an earlier pool."""
    out: list[str] = []
    redrawn = choose(r.drawn_from, share, random.Random(r.seed))
    if r.selected != redrawn:
        out.append(
            f"{name}: `selected` is not what seed {r.seed} draws from `drawn_from` "
            f"(it draws {', '.join(redrawn) or 'none'})"
        )
    for pool, want in ((r.always, "RI or Inadequate"), (r.drawn_from, "Good or better")):
        for c in pool:
            if grade_of.get(c) != want:
                out.append(f"{name}: {c} is listed as {want}, but is not a returned {want} audit")
            if c in seen:
                out.append(f"{name}: {c} was already in the pool of {seen[c]}")
            seen.setdefault(c, name)
    return out


def verify(repo: Repository, month: str) -> ModerationCheck:
    """Re-draw every round of the month's moderation from its seed and pool; check the pools.

    A round is right when its selection is ``choose(drawn_from, share, seed)``, its pools hold
    only returns of the month graded as the pool says, no case is in two rounds' pools, and the
    rounds are in date order. Returns that came in after the last round are listed as notes.
    """
    lf, sample = _month_sample(repo, month)
    mod = sample.moderation
    if mod is None:
        raise QAError(
            f"{lf.rel} has no moderation list yet", f"draw it with `qa moderate --month {month}`"
        )
    found = _sort_returns(repo, month, sample)
    grade_of = {c: "RI or Inadequate" for c in found.always}
    grade_of |= {c: "Good or better" for c in found.good}
    problems: list[str] = []
    notes: list[str] = []
    seen: dict[str, str] = {}
    last: dt.date | None = None
    for name, r in _pools(mod):
        share = mod.share if getattr(r, "share", None) is None else r.share
        if r is mod and not r.always and not r.drawn_from:
            notes.append(
                "the first list was recorded before qa kept its pools (no `always` / "
                "`drawn_from`), so it cannot be re-drawn; later rounds can"
            )
            seen.update((c, name) for c in r.selected)
        else:
            problems += _check_round(name, r, share, grade_of, seen)
        if r.drawn is not None and last is not None and r.drawn < last:
            problems.append(f"{name} is dated {r.drawn}, before the round before it ({last})")
        last = r.drawn or last
    new = sorted(set(found.always + found.good) - considered(mod, found.completed))
    if new:
        notes.append(
            f"{len(new)} return(s) came in since the last round: run `qa moderate --month {month}`"
        )
    return ModerationCheck(not problems, len(_pools(mod)), problems, notes)
