"""Multi-agency audits (App. E): scope, agency returns, and agreed findings with consultation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .audit import Action
from .common import CaseCode, FileModel, Grade, Id, IsoDate, QAModel, Text, ToolRef, ToolReturn


class AgencyAuditor(QAModel):
    agency: Id
    auditor: Id


class PlanReview(QAModel):
    """A review of the multi-agency action plan by the Performance Sub-committee (6/12 months)."""

    months: int = Field(ge=1, le=36)
    due: IsoDate
    done: IsoDate | None = None
    note: Text | None = None


class MultiAgencyScope(FileModel):
    schema_: Literal["qa/multi-agency@1"] = Field(alias="schema")
    id: Id
    title: Text
    cohort: Literal["CIN", "CP", "CLA", "care_leaver", "early_help"]
    lead: Id
    terms_of_reference: Text
    tool: ToolRef
    agencies: list[AgencyAuditor] = Field(min_length=1)
    cases: list[CaseCode] = Field(min_length=1)
    pre_meeting: IsoDate | None = None
    returns_due: IsoDate
    consultation_meeting: IsoDate | None = None
    report_date: IsoDate | None = None


class PractitionerFeedback(QAModel):
    """App. E 7: after the audit the agency auditor meets the practitioner to give feedback on
    the audit and the grades; learning about their own practice goes into their supervision
    and development plan."""

    to: Text  # the practitioner's role in the agency ("the health visitor"), never a name
    on: IsoDate
    learning: Text | None = None


class AgencyReturn(ToolReturn):
    schema_: Literal["qa/agency-return@1"] = Field(alias="schema")
    case: CaseCode
    agency: Id
    auditor: Id
    status: Literal["allocated", "in_progress", "returned"] = "allocated"
    completed: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    grade: Grade | None = None
    strengths: Text | None = None
    areas_for_improvement: Text | None = None
    practitioner_feedback: PractitionerFeedback | None = None


class Consultation(QAModel):
    """A conversation with the child, a parent or the social worker about the help given."""

    by: Id
    date: IsoDate | None = None
    summary: Text | None = None
    not_done_reason: Text | None = None


class Consultations(QAModel):
    child: Consultation | None = None
    parents: Consultation | None = None
    social_worker: Consultation | None = None
    # §5.4.1: consultation "with children, parents and social workers and Team Managers"
    team_manager: Consultation | None = None


class CaseFinding(QAModel):
    case: CaseCode
    agreed_grade: Grade
    summary: Text
    consultation: Consultations = Field(default_factory=Consultations)


class MultiAgencyFindings(FileModel):
    schema_: Literal["qa/multi-agency-findings@1"] = Field(alias="schema")
    audit: Id
    agreed_on: IsoDate
    cases: list[CaseFinding] = Field(min_length=1)
    key_outcomes: list[Text] = Field(default_factory=list)
    learning: list[Text] = Field(default_factory=list)
    recommendations: list[Text] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    reviews: list[PlanReview] = Field(default_factory=list)
