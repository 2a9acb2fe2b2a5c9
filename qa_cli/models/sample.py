"""Drawn samples (``qa/sample@1``): the record that shows a sample was not hand-picked."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt

from .common import CaseCode, FileModel, Id, IsoDate, Month, QAModel, RelPath, Text, ToolRef

Programme = Literal["single-agency", "crib-sheet", "multi-agency", "themed"]


class Allocation(QAModel):
    case: CaseCode
    team: Id
    category: Text | None = None
    tool: ToolRef
    auditors: list[Id] = Field(min_length=1)
    allocated: IsoDate
    due: IsoDate
    file: RelPath
    reason: Text | None = None


class Exclusion(QAModel):
    case: CaseCode
    reason: Text


class ModerationRound(QAModel):
    """A later run of `qa moderate` over the returns that came in since the one before."""

    seed: StrictInt
    share: float | None = Field(None, ge=0, le=1)  # None: the month's share
    drawn: IsoDate
    always: list[CaseCode] = Field(default_factory=list)
    drawn_from: list[CaseCode] = Field(default_factory=list)
    selected: list[CaseCode] = Field(default_factory=list)


class Moderation(QAModel):
    seed: StrictInt
    share: float = Field(ge=0, le=1)
    drawn: IsoDate | None = None
    selected: list[CaseCode] = Field(default_factory=list)
    # Written by `qa moderate`: the Requires Improvement / Inadequate returns (always reviewed)
    # and the Good-or-better returns the seeded share was drawn from, so it can be re-drawn.
    always: list[CaseCode] = Field(default_factory=list)
    drawn_from: list[CaseCode] = Field(default_factory=list)
    # Rolling moderation: one round per later run, never re-drawn or removed.
    rounds: list[ModerationRound] = Field(default_factory=list)

    def all_selected(self) -> list[str]:
        """Every Good-or-better return drawn for moderation, over all rounds."""
        return [*self.selected, *(c for r in self.rounds for c in r.selected)]

    def all_always(self) -> list[str]:
        """Every Requires Improvement or Inadequate return on the list, over all rounds."""
        return [*self.always, *(c for r in self.rounds for c in r.always)]


class DrawHistory(QAModel):
    """What the draw read from earlier audits, recorded so ``--verify`` needs nothing else.

    ``audited``: the cases of the case list audited within the exclusion window, with the
    date of their last audit; ``re_audits``: the cases whose re-audit fell due. A later
    audit, or a ``re_audit:`` date added to an earlier return, does not change them.
    Samples written before qa recorded them have no ``history`` block.
    """

    audited: dict[CaseCode, IsoDate] = Field(default_factory=dict)
    re_audits: list[CaseCode] = Field(default_factory=list)


class Sample(FileModel):
    schema_: Literal["qa/sample@1"] = Field(alias="schema")
    month: Month
    programme: Programme = "single-agency"
    drawn: IsoDate
    seed: StrictInt
    case_list: Text | None = None
    case_list_sha256: Text | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    rules: dict[str, Any] = Field(default_factory=dict)
    history: DrawHistory | None = None
    allocations: list[Allocation] = Field(default_factory=list)
    excluded: list[Exclusion] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    moderation: Moderation | None = None
