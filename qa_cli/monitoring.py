"""IRO and CP Chair monitoring (§4.3.2-4.3.4): blank forms for `qa new`, and what `qa due`
chases (a form completed and sent to the managers after each meeting; open disputes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .blank import Field, render
from .errors import QAError
from .layout import monitoring_path
from .models.monitoring import CHAIR_ROLE, MEETINGS

if TYPE_CHECKING:
    from .blank import Made, NewRequest

PLAN_OF_CATEGORY = {"CP": "cp_plan", "CLA": "care_plan", "care_leaver": "pathway_plan"}


def _chair(r: NewRequest, roles: set[str]) -> str:
    chair = r.first_auditor("the IRO or CP Chair who chaired the meeting")
    if not roles & set(r.staff[chair].roles):
        raise QAError(
            f"--auditor {chair} is not an IRO or CP Chair in qa.yaml",
            "monitoring forms are completed by the chair: role iro or cp_chair (§4.3.2)",
        )
    return chair


def _case_and_chair(r: NewRequest) -> tuple[list[Field], str, str, str]:
    """The fields both forms share (the case, its team and social worker, the chair), then
    the case, the team and the chair."""
    case = r.need(r.case, "--case", "a case code")
    worker = r.person(r.need(r.worker, "--worker", "the case's social worker id"), "--worker")
    team = r.need(r.team, "--team", "the case's team id")
    chair = _chair(r, {"iro", "cp_chair"})
    shared = [("case", case), ("team", team), ("social_worker", worker), ("chair", chair)]
    return shared, case, team, chair


def new_monitoring(r: NewRequest) -> Made:
    """A blank monitoring form for one conference or review (§4.3.2)."""
    shared, case, team, chair = _case_and_chair(r)
    roles = set(r.staff[chair].roles)
    meeting = r.meeting or ("cla_review" if "iro" in roles else "review_cp_conference")
    if meeting not in MEETINGS:
        raise QAError(f"--meeting {meeting!r} is not known", "give one of " + ", ".join(MEETINGS))
    if CHAIR_ROLE[meeting] not in roles:
        raise QAError(
            f"--auditor {chair} does not chair a {meeting.replace('_', ' ')}",
            "CP conferences are chaired by a CP Chair, looked-after reviews by an IRO (§4.3.1)",
        )
    held = r.date or r.today
    fields = [("meeting", meeting), *shared, ("held", held), ("status", "allocated")]
    trailer: list[tuple[str, Any, str | None]] = [
        (
            "sent_to_manager",
            None,
            "The day the completed form was sent to the managers for supervision (§4.3.2). "
            "Set status: completed when the form is filled in.",
        )
    ]
    text = render("qa/monitoring@1", r.tool, fields, trailer)
    return monitoring_path(held, case, meeting), text, team


def new_midpoint(r: NewRequest) -> Made:
    """A blank mid-point review of a CP plan or care plan (§4.3.3), with room for a dispute."""
    shared, case, team, chair = _case_and_chair(r)
    plan = r.meeting or ("cp_plan" if "cp_chair" in r.staff[chair].roles else "care_plan")
    if plan not in PLAN_OF_CATEGORY.values():
        raise QAError(
            f"--meeting {plan!r} is not a plan", "give cp_plan, care_plan or pathway_plan"
        )
    reviewed = r.date or r.today
    fields = [
        ("plan", plan),
        *shared,
        ("reviewed", reviewed),
        ("last_meeting", None),
        ("next_meeting", None),
        ("status", "allocated"),
    ]
    trailer: list[tuple[str, Any, str | None]] = [
        (
            "sent_to_manager",
            None,
            "The day the completed review was sent to the managers for supervision (§4.3.3). "
            "If the IRO challenges the care plan (§4.3.4), add dispute: {stage: informal | "
            "team_manager | service_manager | assistant_director | director | cafcass, "
            "raised_on: YYYY-MM-DD, about: ...} and resolved_on / resolution when it ends.",
        )
    ]
    text = render("qa/midpoint-review@1", r.tool, fields, trailer)
    return monitoring_path(reviewed, case, "midpoint"), text, team
