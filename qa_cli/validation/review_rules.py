"""Rules on what follows a return: the QA review, its forwarding and outcomes, the concern's
outcome, and the feedback to practice (§5.2.2-5.2.3, App. D). Codes QA460-QA469."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models.common import BELOW_GOOD
from ..models.config import QA_ROLES
from ..repository import LoadedFile
from .diagnostics import Diagnostic
from .schema import at, out_of_order

if TYPE_CHECKING:
    from .crossfile import Refs

OUTCOME_ROLES = (
    ("service_manager_outcome", "service_manager", "Service Manager"),
    ("assistant_director_outcome", "assistant_director", "Assistant Director"),
)


def _roles(refs: Refs, sid: str | None) -> set[str]:
    s = refs.staff.get(sid or "")
    return set(s.roles) if s is not None else set()


def _forwarded_loc(lf: LoadedFile) -> list[str | int]:
    """Where a finding on ``forwarded_to`` points: the key when the file writes it. Read
    only when there is a finding: a valid file parses its text again on each read of
    ``.data`` (most reviewed returns below Good forward correctly and need no position)."""
    data = lf.data
    present = isinstance(data, dict) and "forwarded_to" in (data.get("qa_review") or {})
    return ["qa_review", "forwarded_to"] if present else ["qa_review"]


def _forwarding(lf: LoadedFile, refs: Refs, m: Any) -> list[Diagnostic]:
    r = m.qa_review
    below = r.agreed_grade in BELOW_GOOD or m.overall_grade in BELOW_GOOD
    if not below:
        return []
    if not r.forwarded_to:
        return [
            at(
                lf,
                "QA460",
                _forwarded_loc(lf),
                "a Requires Improvement or Inadequate return is forwarded to the Assistant "
                "Director and the Service Manager, but `forwarded_to` names nobody",
                "write `forwarded_to: [AD-ID, SM-ID]` (staff ids from qa.yaml) (§5.2.2, App. D)",
            )
        ]
    roles = set().union(*(_roles(refs, p) for p in r.forwarded_to))
    missing = [t for _, role, t in OUTCOME_ROLES if role not in roles]
    if refs.ok and missing:
        return [
            at(
                lf,
                "QA462",
                _forwarded_loc(lf),
                "`forwarded_to` names no " + " and no ".join(missing),
                "App. D: RI and Inadequate returns go to the Assistant Director and the Service "
                "Manager; add their staff ids",
            )
        ]
    return []


def _outcomes(lf: LoadedFile, refs: Refs, r: Any) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for key, role, title in OUTCOME_ROLES:
        o = getattr(r, key)
        if o is None:
            continue
        loc: list[str | int] = ["qa_review", key]
        out += refs.staff_ref(lf, [*loc, "by"], o.by)
        if refs.ok and o.by in refs.staff and role not in _roles(refs, o.by):
            out.append(
                at(
                    lf,
                    "QA463",
                    [*loc, "by"],
                    f"`{o.by}` is not a {title}, so cannot record the {title}'s outcome",
                    f"give the staff id of a {title} (role {role} in qa.yaml)",
                )
            )
        out += out_of_order(lf, [*loc, "date"], o.date, r.date, "the QA review")
    return out


def check_review(lf: LoadedFile, refs: Refs, m: Any) -> list[Diagnostic]:
    """The QA review of one return: reviewer's role, forwarding, managers' outcomes."""
    r = m.qa_review
    if r is None:
        return []
    out: list[Diagnostic] = []
    if refs.ok and r.reviewer in refs.staff and not (_roles(refs, r.reviewer) & QA_ROLES):
        out.append(
            at(
                lf,
                "QA461",
                ["qa_review", "reviewer"],
                f"`{r.reviewer}` has no QA role, so cannot record the QA review",
                "the QA Auditor reviews returns (App. D): role qa_auditor or qa_lead",
            )
        )
    return out + _forwarding(lf, refs, m) + _outcomes(lf, refs, r)


def check_concern(lf: LoadedFile, m: Any) -> list[Diagnostic]:
    sc = m.safeguarding_concern
    if sc is None:
        return []
    if (sc.outcome is None) != (sc.outcome_on is None):
        have, lack = ("outcome", "outcome_on") if sc.outcome else ("outcome_on", "outcome")
        return [
            at(
                lf,
                "QA464",
                ["safeguarding_concern", have],
                f"the concern has `{have}` but no `{lack}`",
                "record both: what came of it and the date (`qa review CASE --concern-outcome`)",
            )
        ]
    return out_of_order(
        lf, ["safeguarding_concern", "outcome_on"], sc.outcome_on, sc.escalated_on, "escalated_on"
    )


def check_feedback(lf: LoadedFile, refs: Refs, m: Any) -> list[Diagnostic]:
    """The feedback to practice: sent to whom, then later steps after it was sent."""
    fb = m.feedback
    if fb is None:
        return []
    out: list[Diagnostic] = []
    for i, p in enumerate(fb.sent_to):
        out += refs.staff_ref(lf, ["feedback", "sent_to", i], p)
    if fb.sent_on is not None and not fb.sent_to:
        out.append(
            at(
                lf,
                "QA465",
                ["feedback", "sent_on"],
                "the audit is recorded as sent, but `sent_to` names nobody",
                "App. D: list the social worker, Team Manager and Service Manager (staff ids)",
            )
        )
    later = [("uploaded_on", fb.uploaded_on), ("supervision_on", fb.supervision_on)]
    if fb.service_manager_review is not None:
        smr = fb.service_manager_review
        out += refs.staff_ref(lf, ["feedback", "service_manager_review", "by"], smr.by)
        later.append(("service_manager_review", smr.date))
    for key, day in later:
        if day is not None and fb.sent_on is None:
            out.append(
                at(
                    lf,
                    "QA465",
                    ["feedback", key],
                    f"`feedback.{key}` is recorded, but not when the audit was sent",
                    "add `sent_on:` and `sent_to:` under `feedback:`",
                )
            )
        else:
            out += out_of_order(lf, ["feedback", key], day, fb.sent_on, "sent_on")
    out += out_of_order(lf, ["feedback", "sent_on"], fb.sent_on, m.completed, "completed")
    return out


def check_after_return(lf: LoadedFile, refs: Refs, m: Any) -> list[Diagnostic]:
    """Every rule of this module for one audit return."""
    return check_review(lf, refs, m) + check_concern(lf, m) + check_feedback(lf, refs, m)
