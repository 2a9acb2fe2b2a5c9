"""``qa.yaml`` (``qa/config@1``): organisation, services, teams, staff and programme settings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictInt, field_validator

from .common import FileModel, Id, IsoDate, QAModel, Text

Role = Literal[
    "social_worker",
    "senior_practitioner",
    "team_manager",
    "service_manager",
    "assistant_director",
    "iro",
    "cp_chair",
    "qa_auditor",
    "qa_lead",
    "practice_mentor",
    "participation_officer",
    "complaints_manager",
    "agency_auditor",
    "business_manager",
    "information_governance",
]
QA_ROLES = frozenset({"qa_auditor", "qa_lead"})
MANAGER_ROLES = frozenset({"team_manager", "service_manager", "assistant_director"})


class Service(QAModel):
    id: Id
    name: Text


class Team(QAModel):
    id: Id
    name: Text
    service: Id
    balanced_score_card: StrictBool = False
    manager: Id | None = None


class Staff(QAModel):
    id: Id
    name: Text
    roles: list[Role] = Field(min_length=1)
    team: Id | None = None
    expertise: list[Id] = Field(default_factory=list)
    agency: Id | None = None
    email: Text | None = None
    active: StrictBool = True


class Agency(QAModel):
    id: Id
    name: Text


class AuditorPair(QAModel):
    service_manager: Id
    team_manager: Id


class SingleAgencyProgramme(QAModel):
    cases_per_pair: StrictInt = Field(3, ge=1, le=20)
    pairs: list[AuditorPair] = Field(default_factory=list)
    # case category -> tool id used for it (CIN, CP, CLA, care_leaver, early_help)
    tools: dict[str, Id] = Field(
        default_factory=lambda: {
            "CIN": "single-agency-safeguarding",
            "CP": "single-agency-safeguarding",
            "CLA": "single-agency-cla",
            "care_leaver": "single-agency-cla",
            "early_help": "single-agency-safeguarding",
        }
    )
    exclude_audited_within_months: StrictInt = Field(12, ge=0)
    exclude_own_team: StrictBool = True


class CribSheetProgramme(QAModel):
    cases_per_team: StrictInt = Field(2, ge=1, le=20)
    tool: Id = "crib-sheet"


class ModerationProgramme(QAModel):
    share_good_or_better: float = Field(0.2, ge=0, le=1)


class MultiAgencyProgramme(QAModel):
    baseline_min: StrictInt = Field(8, ge=1)
    baseline_max: StrictInt = Field(10, ge=1)
    tool: Id = "multi-agency"
    # case category of the baseline cohort when `qa sample --programme multi-agency` is not told
    cohort: Text = "CP"


class Programmes(QAModel):
    single_agency: SingleAgencyProgramme = Field(default_factory=SingleAgencyProgramme)
    crib_sheet: CribSheetProgramme = Field(default_factory=CribSheetProgramme)
    moderation: ModerationProgramme = Field(default_factory=ModerationProgramme)
    multi_agency: MultiAgencyProgramme = Field(default_factory=MultiAgencyProgramme)


class DueRules(QAModel):
    """When things fall due (``qa due``); every rule in one place, each from the framework.

    Working days skip weekends and England and Wales bank holidays (``qa_cli.calendar``).
    """

    # Returns due two months after allocation (App. D: "Two months to complete the audits").
    return_months: StrictInt = Field(2, ge=1, le=12)
    # Requires Improvement / Inadequate returns reviewed by the QA Auditor (§5.2.2, App. D),
    # counted from the date the return was completed.
    qa_review_working_days: StrictInt = Field(10, ge=1)
    # Inadequate returns run on a shorter clock than Requires Improvement, for the QA review
    # and for the managers' outcomes after it.
    qa_review_inadequate_working_days: StrictInt = Field(5, ge=1)
    # The Service Manager reports back the outcome of a forwarded RI / Inadequate return to the
    # Assistant Director (§5.2.2), counted from the QA review; the AD's outcome follows it.
    outcome_working_days: StrictInt = Field(10, ge=1)
    outcome_inadequate_working_days: StrictInt = Field(5, ge=1)
    # A safeguarding concern's outcome (strategy discussion, S47, LADO referral...) is
    # recorded within this many working days of the escalation.
    concern_outcome_working_days: StrictInt = Field(2, ge=1)
    # Feedback to practice (§5.2.3, App. D): the audit sent to the social worker, Team
    # Manager and Service Manager after completion; then uploaded to the case record,
    # discussed in supervision and reviewed by the Service Manager, counted from sending.
    feedback_sent_working_days: StrictInt = Field(5, ge=1)
    feedback_uploaded_working_days: StrictInt = Field(5, ge=1)
    feedback_supervision_working_days: StrictInt = Field(20, ge=1)
    feedback_review_working_days: StrictInt = Field(20, ge=1)
    # IRO / CP Chair monitoring (§4.3.2-4.3.3): each form or mid-point review completed and
    # sent to the managers within this many working days of the meeting.
    monitoring_working_days: StrictInt = Field(5, ge=1)
    # An open dispute on a care plan (§4.3.4) is resolved or moved up a stage within this many.
    dispute_stage_working_days: StrictInt = Field(20, ge=1)
    # Themed audits run bi-monthly (§5.3.1): the next is due this many months after the last.
    themed_every_months: StrictInt = Field(2, ge=0, le=12)
    # App. E 7: after a multi-agency audit each agency auditor meets the practitioner to give
    # feedback, within this many working days of the findings being agreed (or of the return).
    agency_feedback_working_days: StrictInt = Field(20, ge=1)
    # The Team Manager's overview of the team's audits of a month (App. D): written, reported to
    # the Service Manager, within this many working days of the month's returns falling due;
    # the planned team exercise held within team_exercise_working_days of the report.
    team_overview_working_days: StrictInt = Field(10, ge=1)
    team_exercise_working_days: StrictInt = Field(20, ge=1)
    # Each team's structured review of its QA every six months (§6.2); 0 turns the chase off.
    # A review left in draft is chased this many working days after its period ends.
    team_review_every_months: StrictInt = Field(6, ge=0, le=24)
    team_review_working_days: StrictInt = Field(20, ge=1)
    # Default due date of a new action, in calendar days (for tools that write action plans).
    action_default_days: StrictInt = Field(28, ge=1)
    # The QA Auditor verifies an action once it is done (App. D), within this many working days.
    verify_working_days: StrictInt = Field(10, ge=1)
    # Written feedback after a practice observation within two weeks (App. B).
    observation_feedback_working_days: StrictInt = Field(10, ge=1)
    # Each social worker observed at least twice a year (App. B); 0 turns the check off.
    observations_per_year: StrictInt = Field(2, ge=0, le=12)
    # Crib sheets (App. A) are a monthly session: held by the end of their month.
    crib_sheet_by_month_end: StrictBool = True
    # Multi-agency action plans reviewed over 6/12 months (App. E) when findings list no dates.
    multi_agency_review_months: list[StrictInt] = Field(default_factory=lambda: [6, 12])
    # `qa due` shows what is overdue and what falls due within this many days.
    within_days: StrictInt = Field(14, ge=0, le=3660)


class LegalHold(QAModel):
    """Records that must not be destroyed (litigation, an inquiry, a subject access request)."""

    match: Text  # a path glob, e.g. "audits/2026-09/C-7F3K2Q9M--*" or "multi-agency/2026-*"
    reason: Text
    by: Id  # staff id of who placed the hold
    until: IsoDate | None = None  # the hold lapses after this date; none: until removed


class Retention(QAModel):
    years: StrictInt = Field(3, ge=1)
    legal_holds: list[LegalHold] = Field(default_factory=list)


class Limits(QAModel):
    max_file_bytes: StrictInt = Field(1_000_000, ge=1_000)


class ValidationSettings(QAModel):
    """How strict some framework rules of ``qa validate`` are for this service."""

    # Ofsted's limiting judgement (QA451): an overall grade better than the worst graded
    # section of a key line of enquiry is a warning by default; `error` makes it fail.
    limiting_judgement: Literal["warning", "error"] = "warning"


class CaseListSettings(QAModel):
    """How ``qa cases import`` reads an export: extra heading aliases per field."""

    columns: dict[Id, list[Text]] = Field(default_factory=dict)
    key_env: Text = "QA_CASE_KEY"
    # team id -> names the export uses for it, when they differ from the team's name in qa.yaml
    team_aliases: dict[Id, list[Text]] = Field(default_factory=dict)
    # Start dates are kept to the month (Caldicott: the minimum necessary) unless "day".
    start_dates: Literal["month", "day"] = "month"
    # Characters of a case code after "C-", 5 bits each. 8 (40 bits) for repositories made
    # before this setting existed; `qa init` writes 13 (65 bits). Changing it changes every
    # code (see docs/data-protection.md).
    code_length: StrictInt = Field(8, ge=8, le=16)


class ToolkitSettings(QAModel):
    """Where CI and pre-commit install the qa toolkit from (set by `qa init --toolkit-source`)."""

    # A git URL at a tag or commit, or an exact package version (checked by qa_cli.ci).
    source: Text | None = None

    @field_validator("source")
    @classmethod
    def _pinned(cls, value: str | None) -> str | None:
        if value is not None:
            from ..ci import parse_source
            from ..errors import QAError

            try:
                parse_source(value)
            except QAError as exc:
                raise ValueError(f"{exc.message}; {exc.hint}") from None
        return value


class ReportSettings(QAModel):
    """How reports are marked and how cautious their figures are (``qa report``)."""

    # The Government Security Classification marking printed in every report's header and on
    # every page of the workbook (top and bottom).
    protective_marking: Text = "OFFICIAL-SENSITIVE"
    # A change in points between two periods is shown only when both have at least this many
    # returns; below it the report says "too few returns to compare".
    min_returns_to_compare: StrictInt = Field(10, ge=1, le=1000)


PrivacyCode = Literal["QA501", "QA502", "QA503", "QA504", "QA505", "QA506", "QA507", "QA508"]


class PrivacySettings(QAModel):
    """Personal-data detection and redaction (docs/data-protection.md)."""

    # Personal-data rules lowered from an error to a warning (e.g. [QA503]); `qa validate`
    # says so in its summary. Every other personal-data rule fails the run.
    warnings: list[PrivacyCode] = Field(default_factory=list)
    # Regular expressions matching the case-management system's IDs, e.g. '\bLCS-?\d{6,8}\b'.
    case_id_patterns: list[Text] = Field(default_factory=list)
    # A file of names (one per line) of children and family members, kept outside the
    # repository, for the name check; default: identity-list.txt beside the case-code key.
    identity_list: Text | None = None
    # E-mail domains of the organisation's staff, allowed in qa.yaml and returns.
    work_email_domains: list[Text] = Field(default_factory=list)
    # Redacted reports write "fewer than N" for every count below this.
    small_numbers: StrictInt = Field(5, ge=1, le=100)


class Config(FileModel):
    schema_: Literal["qa/config@1"] = Field(alias="schema")
    organisation: Text
    department: Text = "Children's Social Care"
    services: list[Service] = Field(min_length=1)
    teams: list[Team] = Field(min_length=1)
    staff: list[Staff] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    programmes: Programmes = Field(default_factory=Programmes)
    due: DueRules = Field(default_factory=DueRules)
    retention: Retention = Field(default_factory=Retention)
    limits: Limits = Field(default_factory=Limits)
    case_list: CaseListSettings = Field(default_factory=CaseListSettings)
    toolkit: ToolkitSettings = Field(default_factory=ToolkitSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)

    def staff_by_id(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}

    def team_by_id(self) -> dict[str, Team]:
        return {t.id: t for t in self.teams}
