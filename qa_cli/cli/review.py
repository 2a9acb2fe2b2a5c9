"""`qa review` and `qa feedback`: what happens to a return after it comes in (§5.2.2-5.2.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .common import AsOfOption, RepoOption, console, handle_errors, parse_date_option, repo_root

ReturnArg = typer.Argument(..., help="The return: its file path or its case code (C-XXXXXXXX).")
DateOption = typer.Option(
    None, "--date", help="The day it happened, YYYY-MM-DD (default: --as-of, else today)."
)


def _load(repo: Path | None, spec: str) -> Any:
    """The repository; when ``spec`` is a file's path, only that file and what it consults."""
    from ..errors import QAError
    from ..repository import Repository

    loaded = Repository.load_for(repo_root(repo), spec, Path.cwd(), require_config=False)
    if loaded.config is None:
        raise QAError("qa.yaml could not be read", "run `qa validate qa.yaml` and fix it first")
    return loaded


def _say(result: Any) -> None:
    from .actions import _report

    _report(result)


def _day(date: str | None, as_of: str | None) -> Any:
    return parse_date_option(date, "--date") if date else parse_date_option(as_of)


@handle_errors
def review(
    case: str = ReturnArg,
    by: str | None = typer.Option(
        None, "--by", help="Who reviewed (a QA role), or whose outcome it is (with --outcome)."
    ),
    grade: str | None = typer.Option(
        None,
        "--grade",
        help="The agreed or moderated grade (default: agree the auditor's overall grade).",
    ),
    comment: str | None = typer.Option(
        None, "--comment", help="The review's comment, or the outcome (with --outcome)."
    ),
    forward: list[str] = typer.Option(
        [],
        "--forward",
        help="Staff id it was forwarded to (repeat); required for Requires Improvement and "
        "Inadequate: the Assistant Director and the Service Manager (§5.2.2).",
    ),
    outcome: str | None = typer.Option(
        None,
        "--outcome",
        help="Record a manager's outcome instead: service-manager or assistant-director.",
    ),
    concern_outcome: str | None = typer.Option(
        None,
        "--concern-outcome",
        help="Record what came of the safeguarding concern instead: strategy_discussion, "
        "section_47, lado_referral, police_referral, child_and_family_assessment, early_help, "
        "no_further_action.",
    ),
    date: str | None = DateOption,
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """Record the QA review of a returned audit, or later the managers' outcomes.

    The review (--by a QA Auditor) sets the agreed or moderated grade and whom an RI or
    Inadequate return was forwarded to; `status: returned` becomes `qa_review`. Later,
    `--outcome service-manager --by ID --comment TEXT` (then assistant-director) records what
    the managers did. `qa due` chases each until recorded. Only the new lines of the file
    change; a refusal (exit 1) changes nothing.
    """
    from ..errors import QAError
    from ..review import ReviewRequest, record_concern_outcome, record_outcome, record_review

    loaded = _load(repo, case)
    on = _day(date, as_of)
    if concern_outcome is not None:
        _say(record_concern_outcome(loaded, case, concern_outcome, on, comment, Path.cwd()))
        return
    if by is None:
        raise QAError("--by is needed", "give the staff id of who reviewed (or whose outcome)")
    if outcome is not None:
        _say(record_outcome(loaded, case, outcome, by, comment, on, Path.cwd()))
        return
    req = ReviewRequest(by=by, grade=grade, comment=comment, forwarded_to=forward, on=on)
    _say(record_review(loaded, case, req, Path.cwd()))


@handle_errors
def feedback(
    case: str = ReturnArg,
    step: str = typer.Argument(
        ...,
        help="sent (--to ...), uploaded (to the case record), supervision (discussed), "
        "response (--text: the social worker's), sm-review (--by the Service Manager); on a "
        "multi-agency agency return: practitioner (--to ROLE, --text the learning).",
    ),
    to: list[str] = typer.Option(
        [],
        "--to",
        help="Whom it was sent to (repeat), for `sent`; for `practitioner`, the practitioner's "
        "role (never a name).",
    ),
    by: str | None = typer.Option(None, "--by", help="The Service Manager, for `sm-review`."),
    text: str | None = typer.Option(
        None,
        "--text",
        help="The social worker's response, the Service Manager's comment, or the learning "
        "taken into the practitioner's supervision.",
    ),
    date: str | None = DateOption,
    as_of: str | None = AsOfOption,
    repo: Path | None = RepoOption,
) -> None:
    """Record one step of the feedback to practice on a returned audit (§5.2.3, App. D).

    Sent to the social worker, Team Manager and Service Manager (copied to the Lead Auditor),
    uploaded to the case record, discussed in supervision, the social worker's response, and
    the Service Manager's review. `qa due` chases each step on the clocks of qa.yaml `due:`.
    On a multi-agency agency return (its path), `practitioner` records the agency auditor's
    feedback meeting with the practitioner (App. E 7).
    """
    from ..review import FeedbackRequest, record_feedback

    loaded = _load(repo, case)
    req = FeedbackRequest(step=step, on=_day(date, as_of), to=to, by=by, text=text)
    _say(record_feedback(loaded, case, req, Path.cwd()))
    if step == "sent":
        console.print("Next: `uploaded`, `supervision` and `sm-review` (chased by `qa due`).")


def register(app: typer.Typer) -> None:
    app.command("review")(review)
    app.command("feedback")(feedback)
