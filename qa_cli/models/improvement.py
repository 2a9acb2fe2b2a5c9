"""Improvement plans as records: what the QA reports and reviews decide, tracked to done.

* ``qa/improvement@1``: the recommendations of a monthly (§5.2.5) or themed (§5.3.2) report,
  each with an owner and a due date, "progressed by the Practice Mentors and Team Managers".
* ``qa/team-review@1``: the six-monthly structured review of a team (§6.2-6.4): the key
  priorities the Team Manager agrees, and the improvement plan (individuals needing support,
  team sessions, referrals to Service Development).
* ``qa/team-overview@1``: the Team Manager's overview of the findings of all the team's audits
  of a month, reported to the Service Manager, and the team exercise that follows (App. D).

Every tracked item is an :class:`~qa_cli.models.audit.Action`, so `qa actions` (list, done,
verify) and `qa due` treat them like the action plans of returns.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .audit import Action
from .common import CaseCode, FileModel, Id, IsoDate, Month, QAModel, Text


class ImprovementPlan(FileModel):
    """The recommendations of one report as tracked items (never rewritten by the report)."""

    schema_: Literal["qa/improvement@1"] = Field(alias="schema")
    report: Literal["monthly", "themed"]
    month: Month
    theme: Id | None = Field(None, validate_default=True)
    lead: Id
    recommendations: list[Action] = Field(default_factory=list)

    @field_validator("theme")
    @classmethod
    def _theme_for_themed(cls, v: str | None, info: ValidationInfo) -> str | None:
        report = info.data.get("report")
        if report == "themed" and v is None:
            raise PydanticCustomError(
                "qa_theme_missing",
                "a themed report's plan names its theme (the folder themed/<YYYY-MM>-<theme>)",
            )
        if report == "monthly" and v is not None:
            raise PydanticCustomError(
                "qa_theme_extra", "a monthly report's plan has no theme; remove `theme:`"
            )
        return v


class SupportAction(Action):
    """An individual who needs additional support, direction, guidance or training (§6.4)."""

    worker: Id


class TeamReview(FileModel):
    """The six-monthly structured review of a team's quality assurance (§6.2-6.4)."""

    schema_: Literal["qa/team-review@1"] = Field(alias="schema")
    team: Id
    first_month: Month
    last_month: Month
    team_manager: Id
    service_manager: Id
    # §6.3: the causes of any concerns are discussed with the Lead QA Auditor
    lead_auditor: Id | None = None
    held: IsoDate | None = None
    status: Literal["draft", "agreed"] = "draft"
    priorities: list[Text] = Field(default_factory=list)
    support: list[SupportAction] = Field(default_factory=list)
    team_sessions: list[Action] = Field(default_factory=list)
    service_development: list[Action] = Field(default_factory=list)
    # §6.4: findings needing support within the department, discussed by the Service Manager
    # with the Assistant Director for Service Development (changes go into the Service Plan)
    discussed_with_ad: IsoDate | None = None

    def items(self) -> list[Action]:
        return [*self.support, *self.team_sessions, *self.service_development]


class TeamExercise(QAModel):
    """The planned exercise or discussion with the team to raise practice (App. D)."""

    planned: IsoDate | None = None
    held: IsoDate | None = None
    note: Text | None = None


class TeamOverview(FileModel):
    """A Team Manager's overview of all the findings of the team's audits of a month (App. D)."""

    schema_: Literal["qa/team-overview@1"] = Field(alias="schema")
    team: Id
    month: Month
    team_manager: Id
    status: Literal["draft", "completed"] = "draft"
    cases: list[CaseCode] = Field(default_factory=list)
    findings: Text | None = None
    reported_to_service_manager: IsoDate | None = None
    team_exercise: TeamExercise = Field(default_factory=TeamExercise)
    actions: list[Action] = Field(default_factory=list)
