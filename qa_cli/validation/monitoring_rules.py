"""Rules on service feedback records: IRO and CP Chair monitoring forms and mid-point reviews
(§4.3.2-4.3.4: people, the chair's role, the file's place, dates in order; QA470-QA471) and
the compliments log (§4.5.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..layout import monitoring_path
from ..models.complaint import ComplimentsLog
from ..models.monitoring import CHAIR_ROLE, MidpointReview, MonitoringForm
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import Role, at, misplaced, out_of_order

if TYPE_CHECKING:
    from .crossfile import Refs


def _people(lf: LoadedFile, refs: Refs, m: Any, roles: set[str], what: str) -> list[Diagnostic]:
    out = refs.staff_ref(lf, ["chair"], m.chair) + refs.staff_ref(
        lf, ["social_worker"], m.social_worker
    )
    out += refs.team_ref(lf, ["team"], m.team)
    return out + refs.role_ref(
        lf, ["chair"], m.chair, Role("QA470", frozenset(roles), what), _CHAIRS
    )


_CHAIRS = (
    "§4.3.1: CP conferences are chaired by a CP Chair (cp_chair), looked-after reviews by an "
    "IRO (iro)"
)


def check_monitoring(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(MonitoringForm)
    role = CHAIR_ROLE[m.meeting]
    what = "a CP Chair" if role == "cp_chair" else "an IRO"
    out = _people(lf, refs, m, {role}, what)
    out += out_of_order(lf, ["sent_to_manager"], m.sent_to_manager, m.held, "held")
    return out + misplaced(lf, monitoring_path(m.held, m.case, m.meeting), "held")


def check_midpoint(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(MidpointReview)
    out = _people(lf, refs, m, {"iro", "cp_chair"}, "an IRO or CP Chair")
    out += out_of_order(lf, ["reviewed"], m.reviewed, m.last_meeting, "last_meeting")
    out += out_of_order(lf, ["next_meeting"], m.next_meeting, m.reviewed, "reviewed")
    out += out_of_order(lf, ["sent_to_manager"], m.sent_to_manager, m.reviewed, "reviewed")
    d = m.dispute
    if d is not None:
        out += out_of_order(lf, ["dispute", "resolved_on"], d.resolved_on, d.raised_on, "raised_on")
        if (d.resolved_on is None) != (d.resolution is None):
            have = "resolved_on" if d.resolved_on else "resolution"
            out.append(
                at(
                    lf,
                    "QA471",
                    ["dispute", have],
                    "a resolved dispute needs both `resolved_on` and `resolution`",
                    "§4.3.4: record the day it was resolved and what was agreed",
                )
            )
    return out + misplaced(lf, monitoring_path(m.reviewed, m.case, "midpoint"), "reviewed")


def check_compliments(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(ComplimentsLog)
    out: list[Diagnostic] = []
    for i, c in enumerate(m.compliments):
        out += refs.team_ref(lf, ["compliments", i, "team"], c.team)
        for j, sid in enumerate(c.about):
            out += refs.staff_ref(lf, ["compliments", i, "about", j], sid)
        if c.date.year != m.year:
            out.append(
                at(
                    lf,
                    "QA407",
                    ["compliments", i, "date"],
                    f"a compliment of {c.date} is in the log of {m.year}",
                    f"move it to compliments/{c.date.year}.yaml",
                )
            )
    return out + misplaced(lf, f"compliments/{m.year}.yaml", "year")
