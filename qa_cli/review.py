"""After a return comes in: the QA review, the managers' outcomes, the concern's outcome, and
the feedback to practice (§5.2.2-5.2.3, App. D).

* ``record_review``: the QA Auditor's review: agreed or moderated grade, comment, and (for
  Requires Improvement and Inadequate) whom it was forwarded to.
* ``record_outcome``: the Service Manager's or Assistant Director's outcome of a forwarded
  return.
* ``record_concern_outcome``: what came of a safeguarding concern (strategy discussion, S47...).
* ``record_feedback``: one step of the feedback loop: sent, uploaded, supervision, response,
  the Service Manager's review; on a multi-agency agency return, the feedback meeting with the
  practitioner (App. E 7).

Every edit goes through the byte-preserving path (:mod:`qa_cli.yamledit`, via
:func:`qa_cli.actions.write_edits`): only the new lines differ, and a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamledit
from .actions import EditResult, resolve, staff_member, write_edits
from .errors import QAError
from .models.audit import CONCERN_OUTCOMES, AuditReturn
from .models.common import BELOW_GOOD, GRADE_NAMES, GRADES
from .models.config import QA_ROLES
from .models.multi_agency import AgencyReturn
from .repository import LoadedFile, Repository

OUTCOME_ROLES = {
    "service-manager": ("service_manager_outcome", "service_manager", "Service Manager"),
    "assistant-director": (
        "assistant_director_outcome",
        "assistant_director",
        "Assistant Director",
    ),
}
FEEDBACK_STEPS = ("sent", "uploaded", "supervision", "response", "sm-review", "practitioner")


@dataclass(frozen=True)
class ReviewRequest:
    """What ``qa review`` was asked to record (the QA review itself)."""

    by: str
    grade: str | None
    comment: str | None
    forwarded_to: Sequence[str]
    on: dt.date


def _article(grade: str) -> str:
    return "an" if grade in ("inadequate", "outstanding") else "a"


def _refuse(message: str, hint: str) -> QAError:
    return QAError(message + "; nothing was changed", hint, exit_code=1)


def _audit(repo: Repository, spec: str, cwd: Path | None) -> tuple[LoadedFile, AuditReturn]:
    lf = resolve(repo, spec, cwd)
    if not isinstance(lf.model, AuditReturn):
        raise QAError(
            f"{lf.rel} is a {lf.kind} file, not an audit return",
            "give an audit return (audits/<YYYY-MM>/... or themed/...), or its case code",
        )
    if not lf.model.at_least("returned"):
        raise _refuse(
            f"{lf.rel} is `{lf.model.status}`, not returned yet",
            "a return is reviewed once the auditors have set `status: returned`",
        )
    return lf, lf.model


def _not_before(on: dt.date, earlier: dt.date | None, what: str, lf: LoadedFile) -> None:
    if earlier is not None and on < earlier:
        raise _refuse(
            f"the date {on} is before {what} ({earlier}) in {lf.rel}",
            "give --date with the day it happened (on or after that date)",
        )


def _people(repo: Repository, ids: Sequence[str], option: str) -> list[str]:
    for sid in ids:
        staff_member(repo, sid, "should receive it", option)
    return list(dict.fromkeys(ids))


def suggested_forward(repo: Repository, team: str) -> list[str]:
    """The Assistant Director(s) and the Service Manager of the team's service (§5.2.2)."""
    cfg = repo.config
    if cfg is None:
        return []
    service = cfg.team_by_id().get(team)
    sms = [
        s.id
        for s in cfg.staff
        if s.active
        and "service_manager" in s.roles
        and service is not None
        and service.service in s.expertise
    ]
    ads = [s.id for s in cfg.staff if s.active and "assistant_director" in s.roles]
    return ads[:1] + sms[:1]


def record_review(
    repo: Repository, spec: str, req: ReviewRequest, cwd: Path | None = None
) -> EditResult:
    """Write ``qa_review:`` into a returned audit; ``status: returned`` becomes ``qa_review``."""
    lf, m = _audit(repo, spec, cwd)
    if m.qa_review is not None:
        raise _refuse(
            f"{lf.rel} already has a QA review by {m.qa_review.reviewer} on {m.qa_review.date}",
            "record the managers' outcomes with `qa review CASE --outcome ...`; to change the "
            "review itself, edit the file",
        )
    s = staff_member(repo, req.by, "reviewed the return", "--by")
    if not set(s.roles) & QA_ROLES:
        raise _refuse(
            f"{req.by} has no QA role (qa_auditor or qa_lead)",
            "returns are reviewed by the QA Auditor (App. D): give a QA team member's id",
        )
    grade = req.grade or m.overall_grade
    if grade not in GRADES:
        raise QAError(
            f"--grade {grade!r} is not a grade",
            "give one of " + ", ".join(GRADES) + " (or leave it out to agree the auditor's)",
        )
    _not_before(req.on, m.completed, "the return was completed", lf)
    forwarded = _people(repo, req.forwarded_to, "--forward")
    if (grade in BELOW_GOOD or m.overall_grade in BELOW_GOOD) and not forwarded:
        suggestion = " ".join(f"--forward {p}" for p in suggested_forward(repo, m.team))
        raise QAError(
            f"{_article(grade)} {GRADE_NAMES[grade]} return is forwarded to the Assistant "
            "Director and the Service Manager (§5.2.2), but no --forward was given",
            f"add {suggestion or '--forward ID'} (staff ids from qa.yaml)",
        )
    review: dict[str, Any] = {"reviewer": req.by, "date": req.on, "agreed_grade": grade}
    if req.comment:
        review["comment"] = req.comment
    review["forwarded_to"] = forwarded
    edits = [yamledit.Edit(("qa_review",), review)]
    if m.status == "returned":
        edits.append(yamledit.Edit(("status",), "qa_review"))
    lines = write_edits(repo, lf, edits)
    moderated = grade != m.overall_grade
    word = f"moderated to {GRADE_NAMES[grade]}" if moderated else f"agreed {GRADE_NAMES[grade]}"
    notes = []
    if forwarded:
        notes.append(
            "Next: the Service Manager's outcome, `qa review "
            f"{lf.rel} --outcome service-manager --by ID --comment TEXT` (chased by `qa due`)."
        )
    return EditResult(
        lf.rel, lines, f"QA review of {lf.rel} by {req.by} on {req.on}: {word}.", notes
    )


def record_outcome(
    repo: Repository,
    spec: str,
    role: str,
    by: str,
    outcome: str | None,
    on: dt.date,
    cwd: Path | None = None,
) -> EditResult:
    """The Service Manager's or Assistant Director's outcome of a forwarded return."""
    if role not in OUTCOME_ROLES:
        raise QAError(
            f"--outcome {role!r} is not known",
            "give --outcome service-manager or assistant-director",
        )
    key, staff_role, title = OUTCOME_ROLES[role]
    lf, m = _audit(repo, spec, cwd)
    review = m.qa_review
    if review is None:
        raise _refuse(
            f"{lf.rel} has no QA review yet, so nothing was forwarded",
            "record the QA review first: `qa review CASE --by QA-ID --forward ...`",
        )
    done = getattr(review, key)
    if done is not None:
        raise _refuse(
            f"the {title}'s outcome of {lf.rel} was already recorded by {done.by} on {done.date}",
            "edit the file to correct it",
        )
    s = staff_member(repo, by, "recorded the outcome", "--by")
    if staff_role not in s.roles:
        raise _refuse(
            f"{by} is not {'an' if title[0] in 'AEIOU' else 'a'} {title} in qa.yaml "
            f"(roles: {', '.join(s.roles)})",
            f"give the id of the {title} the return was forwarded to",
        )
    if not outcome:
        raise QAError(
            f"the {title}'s outcome needs --comment",
            "say in a sentence what was discussed and what action was taken (§5.2.2)",
        )
    _not_before(on, review.date, "the QA review", lf)
    value = {"by": by, "date": on, "outcome": outcome}
    lines = write_edits(repo, lf, [yamledit.Edit(("qa_review", key), value)])
    return EditResult(lf.rel, lines, f"{title}'s outcome of {lf.rel} recorded ({by}, {on}).")


def record_concern_outcome(
    repo: Repository,
    spec: str,
    outcome: str,
    on: dt.date,
    note: str | None = None,
    cwd: Path | None = None,
) -> EditResult:
    """What came of the return's safeguarding concern, and when."""
    if outcome not in CONCERN_OUTCOMES:
        raise QAError(
            f"--concern-outcome {outcome!r} is not a known route",
            "give one of " + ", ".join(CONCERN_OUTCOMES),
        )
    lf = resolve(repo, spec, cwd)
    m = lf.model
    sc = getattr(m, "safeguarding_concern", None)
    if sc is None:
        raise _refuse(f"{lf.rel} raises no safeguarding concern", "check the case code or path")
    if sc.outcome is not None:
        raise _refuse(
            f"the concern of {lf.rel} already has its outcome ({sc.outcome}, {sc.outcome_on})",
            "edit the file to correct it",
        )
    _not_before(on, sc.escalated_on, "the concern was escalated", lf)
    edits = [
        yamledit.Edit(("safeguarding_concern", "outcome"), outcome),
        yamledit.Edit(("safeguarding_concern", "outcome_on"), on),
    ]
    if note:
        edits.append(yamledit.Edit(("safeguarding_concern", "outcome_note"), note))
    lines = write_edits(repo, lf, edits)
    said = outcome.replace("_", " ")
    return EditResult(lf.rel, lines, f"Outcome of the concern of {lf.rel}: {said}, on {on}.")


# --- feedback to practice ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackRequest:
    step: str  # one of FEEDBACK_STEPS
    on: dt.date
    to: Sequence[str] = ()
    by: str | None = None
    text: str | None = None


def _fb_sent(repo: Repository, lf: LoadedFile, m: AuditReturn, r: FeedbackRequest) -> list[Any]:
    if not r.to:
        who = [m.social_worker, *_team_manager(repo, m.team), *suggested_forward(repo, m.team)[1:]]
        raise QAError(
            "say whom the audit was sent to with --to (repeat it)",
            "App. D: the social worker, Team Manager and Service Manager, copied to the Lead "
            "Auditor, e.g. " + " ".join(f"--to {p}" for p in who),
        )
    _not_before(r.on, m.completed, "the return was completed", lf)
    return [("sent_to", _people(repo, r.to, "--to")), ("sent_on", r.on)]


def _team_manager(repo: Repository, team: str) -> list[str]:
    t = repo.config.team_by_id().get(team) if repo.config else None
    return [t.manager] if t is not None and t.manager else []


def _after_sent(
    key: str,
) -> Callable[[Repository, LoadedFile, AuditReturn, FeedbackRequest], list[Any]]:
    def step(repo: Repository, lf: LoadedFile, m: AuditReturn, r: FeedbackRequest) -> list[Any]:
        _not_before(r.on, m.feedback.sent_on if m.feedback else None, "it was sent", lf)
        return [(key, r.on)]

    return step


def _fb_response(repo: Repository, lf: LoadedFile, m: AuditReturn, r: FeedbackRequest) -> list[Any]:
    if not r.text:
        raise QAError("the social worker's response needs --text", "quote or summarise it")
    return [("social_worker_response", r.text)]


def _fb_review(repo: Repository, lf: LoadedFile, m: AuditReturn, r: FeedbackRequest) -> list[Any]:
    by = r.by or ""
    s = staff_member(repo, by, "reviewed the audit", "--by")
    if "service_manager" not in s.roles:
        raise _refuse(
            f"{by} is not a Service Manager in qa.yaml",
            "§5.2.3: the Service Manager reviews all cases; give their staff id with --by",
        )
    _not_before(r.on, m.feedback.sent_on if m.feedback else None, "it was sent", lf)
    review: dict[str, Any] = {"by": by, "date": r.on}
    if r.text:
        review["comment"] = r.text
    return [("service_manager_review", review)]


_FEEDBACK: dict[str, tuple[str, Callable[..., list[Any]]]] = {
    "sent": ("sent_on", _fb_sent),
    "uploaded": ("uploaded_on", _after_sent("uploaded_on")),
    "supervision": ("supervision_on", _after_sent("supervision_on")),
    "response": ("social_worker_response", _fb_response),
    "sm-review": ("service_manager_review", _fb_review),
}


def record_feedback(
    repo: Repository, spec: str, req: FeedbackRequest, cwd: Path | None = None
) -> EditResult:
    """Record one step of the feedback to practice under the return's ``feedback:``."""
    if req.step not in FEEDBACK_STEPS:
        raise QAError(
            f"{req.step!r} is not a feedback step", "give one of " + ", ".join(FEEDBACK_STEPS)
        )
    if req.step == "practitioner":
        return _practitioner(repo, spec, req, cwd)
    key, build = _FEEDBACK[req.step]
    lf, m = _audit(repo, spec, cwd)
    fb = m.feedback
    if fb is not None and getattr(fb, key) is not None:
        raise _refuse(f"{lf.rel} already records `feedback.{key}`", "edit the file to correct it")
    if req.step != "sent" and (fb is None or fb.sent_on is None):
        raise _refuse(
            f"{lf.rel} does not record yet that the audit was sent",
            f"record it first: `qa feedback {lf.rel} sent --to ID ...`",
        )
    pairs = build(repo, lf, m, req)
    if fb is None:
        edits = [yamledit.Edit(("feedback",), dict(pairs))]
    else:
        edits = [yamledit.Edit(("feedback", k), v) for k, v in pairs]
    lines = write_edits(repo, lf, edits)
    return EditResult(lf.rel, lines, f"Feedback of {lf.rel}: `{req.step}` recorded ({req.on}).")


def _practitioner(
    repo: Repository, spec: str, req: FeedbackRequest, cwd: Path | None
) -> EditResult:
    """App. E 7: the agency auditor met the practitioner with the audit's feedback and grades."""
    lf = resolve(repo, spec, cwd, kinds=("qa/agency-return",))
    m = lf.model
    if not isinstance(m, AgencyReturn):
        raise QAError(
            f"{lf.rel} is not a multi-agency agency return",
            "give the agency return's path: multi-agency/<id>/returns/<case>--<agency>.yaml",
        )
    if m.status != "returned":
        raise _refuse(f"{lf.rel} is `{m.status}`, not returned yet", "feedback follows the audit")
    if m.practitioner_feedback is not None:
        raise _refuse(f"{lf.rel} already records `practitioner_feedback`", "edit the file")
    if len(req.to) != 1 or not req.to[0].strip():
        raise QAError(
            "say whom the feedback was given to with one --to",
            'the practitioner\'s role in the agency, never a name, e.g. --to "the health visitor"',
        )
    _not_before(req.on, m.completed, "the return was completed", lf)
    fb: dict[str, Any] = {"to": req.to[0].strip(), "on": req.on}
    if req.text:
        fb["learning"] = req.text
    lines = write_edits(repo, lf, [yamledit.Edit(("practitioner_feedback",), fb)])
    return EditResult(
        lf.rel, lines, f"Feedback to the practitioner of {lf.rel} recorded ({req.on})."
    )
