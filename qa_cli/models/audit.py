"""Audit returns (``qa/audit@1``) and the parts other returns share: actions, reviews, concerns."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import CaseCode, Grade, Id, IsoDate, QAModel, Text, ToolRef

AuditStatus = Literal["allocated", "in_progress", "returned", "qa_review", "closed"]
STATUS_ORDER: tuple[str, ...] = ("allocated", "in_progress", "returned", "qa_review", "closed")
ActionStatus = Literal["open", "done", "verified"]
ActionId = str


class Action(QAModel):
    """One line of an action plan; the QA Auditor verifies it once done (App. D)."""

    id: Text = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=20)
    action: Text
    owner: Id
    due: IsoDate
    status: ActionStatus = "open"
    done_on: IsoDate | None = None
    verified_by: Id | None = None
    verified_on: IsoDate | None = None
    note: Text | None = None
    re_audit: IsoDate | None = None


class QAReview(QAModel):
    """The QA Auditor's review of a Requires Improvement or Inadequate return (§5.2.2)."""

    reviewer: Id
    date: IsoDate
    agreed_grade: Grade
    comment: Text | None = None
    forwarded_to: list[Id] = Field(default_factory=list)


class SafeguardingConcern(QAModel):
    """A child found at risk while auditing: escalated at once, outside the monthly rhythm."""

    found: IsoDate
    description: Text
    escalated_to: Id
    escalated_on: IsoDate
    acknowledged_by: Id | None = None
    acknowledged_on: IsoDate | None = None


class AuditReturn(QAModel):
    schema_: Literal["qa/audit@1"] = Field(alias="schema")
    tool: ToolRef
    case: CaseCode
    team: Id
    social_worker: Id
    auditors: list[Id] = Field(min_length=1)
    allocated: IsoDate
    due: IsoDate | None = None
    status: AuditStatus = "allocated"
    completed: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    overall_grade: Grade | None = None
    strengths: Text | None = None
    areas_for_improvement: Text | None = None
    actions: list[Action] = Field(default_factory=list)
    qa_review: QAReview | None = None
    safeguarding_concern: SafeguardingConcern | None = None

    model_config = QAModel.model_config | {"populate_by_name": True}

    def at_least(self, status: str) -> bool:
        return STATUS_ORDER.index(self.status) >= STATUS_ORDER.index(status)
