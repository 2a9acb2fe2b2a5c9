"""Where each kind of file lives: the canonical paths, and the registry of file kinds.

Every module that writes a file (``blank``, ``sampling``, ``cli/cases``), checks where one
stands (``validation/crossfile``, rule QA408) or reasons about records (``retention``,
``due``, ``actions``) asks this module instead of building paths itself, so the layout of
``docs/repository-layout.md`` is written down once.

A :class:`FileKind` says, for one ``schema:`` kind: its model, the path pattern shown to
users, the path its content says it belongs at (when the content alone decides it), the date
its retention period runs from, and its action plan (for kinds that have one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .models.audit import Action, AuditReturn
from .models.complaint import Complaint, ComplimentsLog
from .models.config import Config
from .models.crib_sheet import CribSheet
from .models.improvement import ImprovementPlan, TeamOverview, TeamReview
from .models.monitoring import MidpointReview, MonitoringForm
from .models.multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from .models.observation import Observation
from .models.sample import Sample
from .models.themed import ThemedScope
from .models.tool import Tool

M = TypeVar("M", bound=BaseModel)

CONFIG = "qa.yaml"
CASES_DIR = "cases"
REPORTS_DIR = "reports"
RETENTION_LOG = "retention-log.csv"

# --- canonical paths (repository-relative, POSIX) -------------------------------------------


def sample_path(month: str, programme: str) -> str:
    """``samples/<YYYY-MM>.yaml`` for single-agency, ``samples/<YYYY-MM>-<programme>.yaml``."""
    suffix = "" if programme == "single-agency" else f"-{programme}"
    return f"samples/{month}{suffix}.yaml"


def audit_path(month: str, case: str, tool_id: str) -> str:
    return f"audits/{month}/{case}--{tool_id}.yaml"


def themed_folder(month: str, theme: str) -> str:
    return f"themed/{month}-{theme}"


def themed_scope_path(month: str, theme: str) -> str:
    return f"{themed_folder(month, theme)}/scope.yaml"


def themed_return_path(folder: str, case: str, tool_id: str) -> str:
    """A themed return inside its audit's folder (``folder`` is ``<YYYY-MM>-<theme>``)."""
    return f"themed/{folder}/{case}--{tool_id}.yaml"


def crib_sheet_path(month: str, team: str, case: str) -> str:
    return f"crib-sheets/{month}/{team}--{case}.yaml"


def observations_folder(year: int) -> str:
    return f"observations/{year}"


def observation_path(observed: dt.date, worker: str) -> str:
    return f"{observations_folder(observed.year)}/{worker}--{observed.isoformat()}.yaml"


def complaint_path(day: dt.date, ref: str) -> str:
    return f"complaints/{day.year}/{ref}.yaml"


def monitoring_path(day: dt.date, case: str, what: str) -> str:
    """``monitoring/<YYYY-MM>/<case>--<meeting or midpoint>--<YYYY-MM-DD>.yaml`` (§4.3.2-3)."""
    return f"monitoring/{day:%Y-%m}/{case}--{what}--{day.isoformat()}.yaml"


def multi_agency_folder(audit_id: str) -> str:
    return f"multi-agency/{audit_id}"


def multi_agency_scope_path(audit_id: str) -> str:
    return f"{multi_agency_folder(audit_id)}/scope.yaml"


def agency_return_path(audit_id: str, case: str, agency: str) -> str:
    return f"{multi_agency_folder(audit_id)}/returns/{case}--{agency}.yaml"


def findings_path(audit_id: str) -> str:
    return f"{multi_agency_folder(audit_id)}/findings.yaml"


def improvement_path(month: str, theme: str | None = None) -> str:
    """``improvement/<YYYY-MM>.yaml`` for a monthly report, ``...-<theme>.yaml`` for a themed."""
    return f"improvement/{month}{'-' + theme if theme else ''}.yaml"


def team_review_path(last_month: str, team: str) -> str:
    return f"team-reviews/{last_month}/{team}.yaml"


def team_overview_path(month: str, team: str) -> str:
    return f"team-overviews/{month}/{team}.yaml"


def case_list_path(day: dt.date) -> str:
    return f"{CASES_DIR}/{day.isoformat()}.csv"


def _month_end(month: str) -> dt.date:
    from .calendar import month_end

    return month_end(month)


# --- the registry of file kinds ---------------------------------------------------------------


@dataclass(frozen=True)
class FileKind(Generic[M]):
    """What qa knows about one kind of file (one ``schema: qa/<kind>@1``)."""

    schema: str
    model: type[M]
    pattern: str
    # The path the file's content says it belongs at; None where the folder decides part of it
    # (audit and agency returns), which the validator checks with the folder's context.
    path: Callable[[M], str] | None = None
    # The dates a record's retention period may run from; the latest known one counts.
    activity: Callable[[M], list[dt.date | None]] | None = None
    # The keys of the lists of actions (tracked items), and what the plan is about (a case
    # code, an audit id, a report or a team), for kinds with a plan.
    action_keys: tuple[str, ...] = ()
    subject: Callable[[M], str] | None = None
    source: str = ""
    # For returns (answers checked against a tool): whether it is far enough along that
    # required answers must be there.
    complete: Callable[[M], bool] | None = None

    def last_activity(self, model: Any) -> dt.date | None:
        """The latest date of the record's activity, or None when it has none (or no rule)."""
        if self.activity is None or not isinstance(model, self.model):
            return None
        known = [d for d in self.activity(model) if d is not None]
        return max(known) if known else None

    def is_complete(self, model: Any) -> bool:
        return self.complete is not None and isinstance(model, self.model) and self.complete(model)

    def action_lists(self, model: Any) -> list[tuple[str, list[Action]]]:
        """(key, its actions) for each list of tracked items of the record, in file order."""
        if not isinstance(model, self.model):
            return []
        return [(key, list(getattr(model, key))) for key in self.action_keys]

    def action_plan(self, model: Any) -> list[Action]:
        return [a for _, plan in self.action_lists(model) for a in plan]


def _audit_activity(m: AuditReturn) -> list[dt.date | None]:
    dates: list[dt.date | None] = [m.allocated, m.completed]
    if m.qa_review is not None:
        dates.append(m.qa_review.date)
    return dates + [a.verified_on or a.done_on for a in m.actions]


def _item_dates(items: list[Action]) -> list[dt.date | None]:
    return [a.verified_on or a.done_on for a in items]


FILE_KINDS: dict[str, FileKind[Any]] = {
    k.schema: k
    for k in (
        FileKind(schema="qa/config", model=Config, pattern=CONFIG),
        FileKind(schema="qa/tool", model=Tool, pattern="audit_tools/<tool>.yaml"),
        FileKind(
            schema="qa/audit",
            model=AuditReturn,
            pattern="audits/<YYYY-MM>/<case>--<tool>.yaml",
            activity=_audit_activity,
            action_keys=("actions",),
            subject=lambda m: m.case,
            source="audit",
            complete=lambda m: m.status in ("returned", "qa_review", "closed"),
        ),
        FileKind(
            schema="qa/sample",
            model=Sample,
            pattern="samples/<YYYY-MM>[-<programme>].yaml",
            path=lambda m: sample_path(m.month, m.programme),
            activity=lambda m: [m.drawn],
        ),
        FileKind(
            schema="qa/crib-sheet",
            model=CribSheet,
            pattern="crib-sheets/<YYYY-MM>/<team>--<case>.yaml",
            path=lambda m: crib_sheet_path(m.month, m.team, m.case),
            activity=lambda m: [m.held, _month_end(m.month)],
            action_keys=("actions",),
            subject=lambda m: m.case,
            source="crib sheet",
            complete=lambda m: m.status == "completed",
        ),
        FileKind(
            schema="qa/themed",
            model=ThemedScope,
            pattern="themed/<YYYY-MM>-<theme>/scope.yaml",
            path=lambda m: themed_scope_path(m.month, m.theme),
            activity=lambda m: [_month_end(m.month), m.report_due],
        ),
        FileKind(
            schema="qa/multi-agency",
            model=MultiAgencyScope,
            pattern="multi-agency/<id>/scope.yaml",
            path=lambda m: multi_agency_scope_path(m.id),
            activity=lambda m: [m.returns_due, m.report_date],
        ),
        FileKind(
            schema="qa/agency-return",
            model=AgencyReturn,
            pattern="multi-agency/<id>/returns/<case>--<agency>.yaml",
            complete=lambda m: m.status == "returned",
        ),
        FileKind(
            schema="qa/multi-agency-findings",
            model=MultiAgencyFindings,
            pattern="multi-agency/<id>/findings.yaml",
            path=lambda m: findings_path(m.audit),
            activity=lambda m: [m.agreed_on, *[r.done or r.due for r in m.reviews]],
            action_keys=("actions",),
            subject=lambda m: m.audit,
            source="multi-agency",
        ),
        FileKind(
            schema="qa/observation",
            model=Observation,
            pattern="observations/<YYYY>/<worker>--<YYYY-MM-DD>.yaml",
            path=lambda m: observation_path(m.observed, m.social_worker),
            activity=lambda m: [m.observed, m.feedback_written],
            complete=lambda m: m.feedback_written is not None,
        ),
        FileKind(
            schema="qa/complaint",
            model=Complaint,
            pattern="complaints/<YYYY>/<ref>.yaml",
            path=lambda m: complaint_path(m.date, m.ref),
            activity=lambda m: [m.date, m.responded],
            complete=lambda m: m.responded is not None,
        ),
        FileKind(
            schema="qa/compliments",
            model=ComplimentsLog,
            pattern="compliments/<YYYY>.yaml",
            path=lambda m: f"compliments/{m.year}.yaml",
            activity=lambda m: [c.date for c in m.compliments],
        ),
        FileKind(
            schema="qa/monitoring",
            model=MonitoringForm,
            pattern="monitoring/<YYYY-MM>/<case>--<meeting>--<YYYY-MM-DD>.yaml",
            path=lambda m: monitoring_path(m.held, m.case, m.meeting),
            activity=lambda m: [m.held, m.sent_to_manager],
            complete=lambda m: m.status == "completed",
        ),
        FileKind(
            schema="qa/midpoint-review",
            model=MidpointReview,
            pattern="monitoring/<YYYY-MM>/<case>--midpoint--<YYYY-MM-DD>.yaml",
            path=lambda m: monitoring_path(m.reviewed, m.case, "midpoint"),
            activity=lambda m: [m.reviewed, m.sent_to_manager],
            complete=lambda m: m.status == "completed",
        ),
        FileKind(
            schema="qa/improvement",
            model=ImprovementPlan,
            pattern="improvement/<YYYY-MM>[-<theme>].yaml",
            path=lambda m: improvement_path(m.month, m.theme),
            activity=lambda m: [_month_end(m.month), *_item_dates(m.recommendations)],
            action_keys=("recommendations",),
            subject=lambda m: f"{m.month} {m.report}" + (f" {m.theme}" if m.theme else ""),
            source="improvement plan",
        ),
        FileKind(
            schema="qa/team-review",
            model=TeamReview,
            pattern="team-reviews/<YYYY-MM>/<team>.yaml",
            path=lambda m: team_review_path(m.last_month, m.team),
            activity=lambda m: [m.held, m.discussed_with_ad, *_item_dates(m.items())],
            action_keys=("support", "team_sessions", "service_development"),
            subject=lambda m: f"{m.team} review to {m.last_month}",
            source="team review",
            complete=lambda m: m.status == "agreed",
        ),
        FileKind(
            schema="qa/team-overview",
            model=TeamOverview,
            pattern="team-overviews/<YYYY-MM>/<team>.yaml",
            path=lambda m: team_overview_path(m.month, m.team),
            activity=lambda m: [
                m.reported_to_service_manager,
                m.team_exercise.held,
                *_item_dates(m.actions),
            ],
            action_keys=("actions",),
            subject=lambda m: f"{m.team} overview {m.month}",
            source="team overview",
            complete=lambda m: m.status == "completed",
        ),
    )
}

# The models of returns: files whose `answers` are checked against the tool they name.
ReturnModel = (
    AuditReturn
    | CribSheet
    | AgencyReturn
    | Observation
    | Complaint
    | MonitoringForm
    | MidpointReview
)
RETURN_MODELS = (
    AuditReturn,
    CribSheet,
    AgencyReturn,
    Observation,
    Complaint,
    MonitoringForm,
    MidpointReview,
)

# Kinds with an action plan (`qa actions`), in the order they are listed.
ACTION_KINDS: tuple[str, ...] = tuple(k for k, fk in FILE_KINDS.items() if fk.action_keys)
# Folders whose files make one record together (retention destroys the folder as a whole).
RECORD_FOLDERS = ("multi-agency", "themed")


def canonical_path(kind: str | None, model: Any) -> str | None:
    """Where a file of ``kind`` holding ``model`` belongs, when its content alone decides it."""
    fk = FILE_KINDS.get(kind or "")
    if fk is None or fk.path is None or not isinstance(model, fk.model):
        return None
    return fk.path(model)
