"""The QA review list (App. D): every returned RI or Inadequate audit, plus a seeded share of
Good-or-better ones, recorded in the month's sample file so anyone can re-draw it."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass
from typing import Any

from .errors import QAError
from .layout import sample_path
from .models.common import BELOW_GOOD

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


def moderate(
    repo: Any,
    month: str,
    today: dt.date,
    share: float | None = None,
    seed: int | None = None,
    force: bool = False,
) -> ModerationResult:
    """Draw the month's moderation sample (nothing is written here)."""
    rel = sample_path(month, "single-agency")
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"moderation follows the month's draw: `qa sample --month {month}` first",
        )
    if lf.model is None:
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
    if share is None:
        share = repo.config.programmes.moderation.share_good_or_better
    if not 0 <= share <= 1:
        raise QAError(f"--share {share} is not between 0 and 1", "e.g. --share 0.2 for 20%")
    cases = {a.case for a in sample.allocations}
    always: list[str] = []
    good: list[str] = []
    not_returned: list[str] = []
    ungraded: list[str] = []
    for f, m in repo.audits():
        if not f.rel.startswith(f"audits/{month}/") or m.case not in cases:
            continue
        if not m.at_least("returned"):
            not_returned.append(m.case)
            continue
        grade = m.overall_grade
        if grade in BELOW_GOOD:
            always.append(m.case)
        elif grade in GOOD_OR_BETTER:
            good.append(m.case)
        else:
            ungraded.append(m.case)
    always.sort()
    good.sort()
    if seed is None:
        seed = moderation_seed(month, good)
    selected = choose(good, share, random.Random(seed))
    return ModerationResult(
        month,
        seed,
        share,
        always,
        good,
        selected,
        sorted(not_returned),
        sorted(ungraded),
        rel,
        replaced=sample.moderation is not None,
    )


def restore_dates(node: Any) -> Any:
    """Plain date text back to dates so a round-trip dump writes them unquoted, as they were.

    The round-trip loader keeps timestamps as text (yamlio); dumping that text would quote
    every date. Values that were quoted in the file keep their quoted type and are left alone.
    """
    import re

    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for k in list(node):
            node[k] = restore_dates(node[k])
    elif isinstance(node, CommentedSeq):
        for i, v in enumerate(node):
            node[i] = restore_dates(v)
    elif type(node) is str and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
        try:
            return dt.date.fromisoformat(node)
        except ValueError:
            return node
    return node


def record(repo: Any, result: ModerationResult, today: dt.date) -> None:
    """Write the moderation block into the sample file, keeping its comments and layout."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from . import yamlio

    path = repo.path_for_write(result.sample_rel)
    doc = yamlio.load_roundtrip(path.read_text(encoding="utf-8-sig"))

    def flow(items: list[str]) -> CommentedSeq:
        s = CommentedSeq(items)
        s.fa.set_flow_style()
        return s

    block = CommentedMap()
    block["seed"] = result.seed
    block["share"] = result.share
    block["drawn"] = today
    block["always"] = flow(result.always)
    block["drawn_from"] = flow(result.drawn_from)
    block["selected"] = flow(result.selected)
    restore_dates(doc)
    doc["moderation"] = block
    yamlio.atomic_write(path, yamlio.dump_roundtrip(doc))
