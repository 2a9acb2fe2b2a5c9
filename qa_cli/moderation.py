"""The QA review list (App. D): every returned RI or Inadequate audit, plus a seeded share of
Good-or-better ones, recorded in the month's sample file so anyone can re-draw it."""

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
from .models.sample import Sample

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


def moderation_seed(month: str, cases: list[str]) -> int:
    h = hashlib.sha256(("moderation:" + month + ":" + ",".join(cases)).encode()).hexdigest()
    return int(h[:8], 16)


def choose(good: list[str], share: float, rng: random.Random) -> list[str]:
    """A seeded share of the Good-or-better returns: at least one when there are any."""
    if not good or share <= 0:
        return []
    k = min(len(good), max(1, math.ceil(share * len(good))))
    return sorted(rng.sample(sorted(good), k))


def _month_sample(repo: Repository, month: str, force: bool) -> tuple[str, Sample]:
    """The month's single-agency sample; refuses when its moderation was drawn already."""
    rel = sample_path(month, "single-agency")
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"moderation follows the month's draw: `qa sample --month {month}` first",
        )
    if not isinstance(lf.model, Sample):
        raise QAError(f"{rel} is not a valid sample file", f"run `qa validate {rel}` to see why")
    sample = lf.model
    if sample.moderation is not None and not force:
        line = lf.pos(["moderation"], key=True)[0]
        raise QAError(
            f"{rel}:{line}: the {month} moderation sample was drawn on "
            f"{sample.moderation.drawn or 'an earlier day'}; nothing was changed",
            "it is kept so it can be re-drawn; pass --force to draw it again (the old one is "
            "replaced, and git keeps the history)",
            exit_code=1,
        )
    return rel, sample


@dataclass
class _Returned:
    """The month's sampled returns by where they stand for moderation."""

    always: list[str] = field(default_factory=list)  # Requires Improvement or Inadequate
    good: list[str] = field(default_factory=list)  # Good or better: the seeded share
    not_returned: list[str] = field(default_factory=list)
    ungraded: list[str] = field(default_factory=list)


def _sort_returns(repo: Repository, month: str, sample: Sample) -> _Returned:
    cases = {a.case for a in sample.allocations}
    out = _Returned()
    for f, m in repo.audits():
        if not f.rel.startswith(f"audits/{month}/") or m.case not in cases:
            continue
        if not m.at_least("returned"):
            out.not_returned.append(m.case)
        elif m.overall_grade in BELOW_GOOD:
            out.always.append(m.case)
        elif m.overall_grade in GOOD_OR_BETTER:
            out.good.append(m.case)
        else:
            out.ungraded.append(m.case)
    for group in (out.always, out.good, out.not_returned, out.ungraded):
        group.sort()
    return out


def moderate(
    repo: Repository,
    month: str,
    today: dt.date,
    share: float | None = None,
    seed: int | None = None,
    force: bool = False,
) -> ModerationResult:
    """Draw the month's moderation sample (nothing is written here)."""
    rel, sample = _month_sample(repo, month, force)
    if share is None:
        share = repo.config.programmes.moderation.share_good_or_better
    if not 0 <= share <= 1:
        raise QAError(f"--share {share} is not between 0 and 1", "e.g. --share 0.2 for 20%")
    found = _sort_returns(repo, month, sample)
    if seed is None:
        seed = moderation_seed(month, found.good)
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
        rel,
        replaced=sample.moderation is not None,
    )


def record(repo: Any, result: ModerationResult, today: dt.date) -> None:
    """Write the moderation block into the sample file through the byte-preserving edit path.

    Only the lines of the `moderation:` block change; comments, the byte-order mark and the
    line ends of the rest of the file stay as they were.
    """
    from .yamledit import SetBlock, edit_file

    block = {
        "seed": result.seed,
        "share": result.share,
        "drawn": today,
        "always": list(result.always),
        "drawn_from": list(result.drawn_from),
        "selected": list(result.selected),
    }
    path = repo.path_for_write(result.sample_rel)
    edit_file(path, result.sample_rel, [SetBlock(("moderation",), block)])
