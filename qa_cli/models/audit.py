"""Audit returns (``qa/audit@1``) and the parts other returns share: actions, reviews, concerns."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from .common import CaseCode, Grade, Id, IsoDate, QAModel, Text, ToolReturn

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


class EscalationOutcome(QAModel):
    """What a manager did with a forwarded return (§5.2.2: Service Managers report back to
    the Assistant Directors with the outcomes of discussions and the actions taken)."""

    by: Id
    date: IsoDate
    outcome: Text


class QAReview(QAModel):
    """The QA Auditor's review of a return: every Requires Improvement or Inadequate one, and
    those drawn for moderation (§5.2.2, App. D). RI and Inadequate are forwarded to the
    Assistant Director and the Service Manager, whose outcomes are recorded here later."""

    reviewer: Id
    date: IsoDate
    agreed_grade: Grade
    comment: Text | None = None
    forwarded_to: list[Id] = Field(default_factory=list)
    service_manager_outcome: EscalationOutcome | None = None
    assistant_director_outcome: EscalationOutcome | None = None


# The usual routes after a child is found at risk (Working Together to Safeguard Children).
ConcernOutcome = Literal[
    "strategy_discussion",
    "section_47",
    "lado_referral",
    "police_referral",
    "child_and_family_assessment",
    "early_help",
    "no_further_action",
]
CONCERN_OUTCOMES: tuple[str, ...] = get_args(ConcernOutcome)


class SafeguardingConcern(QAModel):
    """A child found at risk while auditing: escalated at once, outside the monthly rhythm."""

    found: IsoDate
    description: Text
    escalated_to: Id
    escalated_on: IsoDate
    acknowledged_by: Id | None = None
    acknowledged_on: IsoDate | None = None
    outcome: ConcernOutcome | None = None
    outcome_on: IsoDate | None = None
    outcome_note: Text | None = None


class ManagerReview(QAModel):
    """The Service Manager's review of a returned audit (§5.2.3: "review all cases")."""

    by: Id
    date: IsoDate
    comment: Text | None = None


class Feedback(QAModel):
    """The audit's way back to practice (§5.2.3, App. D): sent to the social worker, Team
    Manager and Service Manager (copied to the Lead Auditor), uploaded to the case record,
    discussed in supervision, answered by the social worker, reviewed by the Service Manager."""

    sent_to: list[Id] = Field(default_factory=list)
    sent_on: IsoDate | None = None
    uploaded_on: IsoDate | None = None
    supervision_on: IsoDate | None = None
    social_worker_response: Text | None = None
    service_manager_review: ManagerReview | None = None


class AuditReturn(ToolReturn):
    schema_: Literal["qa/audit@1"] = Field(alias="schema")
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
    feedback: Feedback | None = None

    def at_least(self, status: str) -> bool:
        return STATUS_ORDER.index(self.status) >= STATUS_ORDER.index(status)
