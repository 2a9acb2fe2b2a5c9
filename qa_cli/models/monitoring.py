"""IRO and CP Chair monitoring (§4.3.2-4.3.4): a form per conference or review, mid-point
reviews between them, and the dispute-resolution stage when the IRO challenges a care plan."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from .common import CaseCode, FormStatus, Id, IsoDate, QAModel, Text, ToolReturn

Meeting = Literal[
    "initial_cp_conference", "review_cp_conference", "cla_review", "pathway_plan_review"
]
MEETINGS: tuple[str, ...] = get_args(Meeting)
# Which chair holds which meeting (§4.3.1): CP Chairs conferences, IROs looked-after reviews.
CHAIR_ROLE = {
    "initial_cp_conference": "cp_chair",
    "review_cp_conference": "cp_chair",
    "cla_review": "iro",
    "pathway_plan_review": "iro",
}
# The Local Dispute Resolution Process (§4.3.4), in the order a dispute escalates.
DisputeStage = Literal[
    "informal", "team_manager", "service_manager", "assistant_director", "director", "cafcass"
]
DISPUTE_STAGES: tuple[str, ...] = get_args(DisputeStage)


class MonitoringForm(ToolReturn):
    """One monitoring form, completed by the chair of a CP conference or looked-after review."""

    schema_: Literal["qa/monitoring@1"] = Field(alias="schema")
    meeting: Meeting
    case: CaseCode
    team: Id
    social_worker: Id
    chair: Id
    held: IsoDate
    status: FormStatus = "allocated"
    answers: dict[str, Any] = Field(default_factory=dict)
    # each completed form is sent to the managers for discussion in supervision (§4.3.2)
    sent_to_manager: IsoDate | None = None


class Dispute(QAModel):
    """The IRO's challenge to a care plan and how far it has gone (§4.3.4)."""

    stage: DisputeStage
    raised_on: IsoDate
    about: Text
    resolved_on: IsoDate | None = None
    resolution: Text | None = None


class MidpointReview(ToolReturn):
    """A mid-point review between meetings: is the plan progressing (§4.3.3)?"""

    schema_: Literal["qa/midpoint-review@1"] = Field(alias="schema")
    plan: Literal["cp_plan", "care_plan", "pathway_plan"]
    case: CaseCode
    team: Id
    social_worker: Id
    chair: Id
    reviewed: IsoDate
    last_meeting: IsoDate | None = None
    next_meeting: IsoDate | None = None
    status: FormStatus = "allocated"
    answers: dict[str, Any] = Field(default_factory=dict)
    dispute: Dispute | None = None
    sent_to_manager: IsoDate | None = None
