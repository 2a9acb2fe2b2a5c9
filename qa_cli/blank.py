"""Blank, pre-filled returns: every question of the tool, its guidance as a comment, no answers.

An auditor opens the file, reads the guidance (and, for grade questions, what each grade
looks like) right above each question, and types the answer after the colon. The blank is a
valid file of its kind while its status is ``allocated``: ``qa validate`` accepts it.

The text is rendered here rather than dumped from a document so the comments sit exactly where
an auditor needs them; it is parsed back and checked against its model before it is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from . import layout
from .errors import QAError
from .masking import masked
from .models.config import Config, Staff, Team
from .models.tool import CLOSED_ANSWERS, Question, Tool
from .yamledit import typed_scalar

if TYPE_CHECKING:
    from .caselist import CaseRow
    from .repository import Repository

T = TypeVar("T")

WIDTH = 92
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/@+-]*$")
_RESERVED = frozenset({"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"})

Field = tuple[str, Any]
# A field after the answers: (key, value, the comment above it, if any).
TrailerField = tuple[str, Any, str | None]


def scalar(value: Any) -> str:
    """A value as YAML text: plain where safe, JSON-quoted (valid YAML) otherwise."""
    if value is None:
        return ""
    typed = typed_scalar(value)
    if typed is not None:
        return typed
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        if not re.match(r"^\d", text) or re.match(r"^\d{4}-\d{2}(-\d{2})?$", text):
            return text
    return json.dumps(text, ensure_ascii=False)


def comment(text: str, indent: str = "", prefix: str = "", width: int = WIDTH) -> list[str]:
    """Text as wrapped comment lines (`# ...`)."""
    return list(_wrapped(" ".join(str(text).split()), indent, prefix, width))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, indent: str, prefix: str, width: int) -> tuple[str, ...]:
    # Remembered: a sample's blanks repeat the same questions' texts, and wrapping is most
    # of the time it takes to make them.
    if not text:
        return (f"{indent}#",)
    lead = f"{indent}# {prefix}"
    rest = f"{indent}# " + " " * len(prefix)
    return tuple(
        textwrap.wrap(
            text, width=width, initial_indent=lead, subsequent_indent=rest, break_on_hyphens=False
        )
    )


# The guidance comment of a question with an open answer, by its type.
_OPEN_ANSWER = {
    "text": "answer: text (use | and indented lines for several lines)",
    "date": "answer: a date, YYYY-MM-DD",
    "number": "answer: a number",
    "staff": "answer: a staff id from qa.yaml",
}


def _how_to_answer(q: Question) -> str:
    if q.type in ("yes_no", "yes_no_na", "grade"):
        words = " | ".join(CLOSED_ANSWERS[q.type])
        return f"answer: {words}"
    if q.type == "check":
        return "social_worker and manager: yes | no | na"
    if q.type == "choice":
        return "answer one of: " + " | ".join(q.options or [])
    if q.type == "multi_choice":
        return (
            "answer a list of: "
            + ", ".join(q.options or [])
            + " (e.g. ["
            + ((q.options or ["x"])[0])
            + "])"
        )
    return _OPEN_ANSWER.get(q.type, "answer")


def question_lines(q: Question, indent: str = "  ", reason: Question | None = None) -> list[str]:
    """The comment lines and the key of one question; ``reason`` is a follow-up asking only
    the reason of this question's "no": its question is what the comment answers."""
    out = comment(q.text, indent, "Q: ")
    how = _how_to_answer(q)
    triggers = q.comment_triggers()
    if triggers and q.type == "check":
        how += "; if " + " or ".join(triggers) + ", add `comment:` (why, and any action)"
    elif triggers and reason is not None:
        how += (
            "; if "
            + " or ".join(triggers)
            + ", write `answer:` and a `comment:` that says: "
            + " ".join(reason.text.split())
        )
    elif triggers:
        how += "; if " + " or ".join(triggers) + ", write `answer:` and `comment:` saying why"
    if q.applies_if is not None:
        how += (
            f" (only if `{q.applies_if.question}` is " + " or ".join(q.applies_if.answers()) + ")"
        )
    elif not q.required:
        how += " (optional)"
    out += comment(how, indent, "   ")
    if q.guidance:
        out += comment(q.guidance, indent, "   Guidance: ")
    for name, text in q.descriptors.named() if q.descriptors is not None else []:
        out += comment(text, indent, f"   {name}: ")
    if q.type == "check":
        out += [f"{indent}{q.id}:", f"{indent}  social_worker:", f"{indent}  manager:"]
    else:
        out.append(f"{indent}{q.id}:")
    return out


def answers_block(tool: Tool) -> list[str]:
    out = ["answers:"]
    for n, section in enumerate(tool.sections, start=1):
        out.append(f"  # ---- {n}. {section.title} ----")
        if section.guidance:
            out += comment(section.guidance, "  ")
        reasons = tool.reason_followups()
        skip = {r.id for r in reasons.values()}
        for q in section.questions:
            # a follow-up asking only the reason of a "no" is that answer's comment
            if q.id not in skip:
                out += question_lines(q, reason=reasons.get(q.id))
    return out


def render(
    schema: str,
    tool: Tool,
    fields: Sequence[Field],
    trailer: Sequence[TrailerField] = (),
    intro: Sequence[str] = (),
) -> str:
    """The text of a blank return: intro comments, header fields, answers, trailer fields."""
    lines: list[str] = []
    for para in intro:
        lines += comment(para)
    lines += comment(f"{tool.title} ({tool.ref}).")
    if tool.description:
        lines += comment(tool.description)
    lines += comment(
        "Answer after each colon. Refer to people by role (mother, the child), never by name; "
        "no dates of birth, addresses or case numbers. Check with `qa validate`."
    )
    lines.append(f"schema: {schema}")
    lines.append(f"tool: {tool.ref}")
    for key, value in fields:
        lines.append(f"{key}: {scalar(value)}".rstrip())
    lines += answers_block(tool)
    for key, value, note in trailer:
        if note:
            lines += comment(note)
        if key == "actions":
            lines += ACTION_EXAMPLE
        lines.append(f"{key}: {scalar(value) if value != [] else '[]'}".rstrip())
    return "\n".join(lines) + "\n"


# How to write an action: the form `qa actions done/verify` edits and `qa fix` writes.
ACTION_EXAMPLE = [
    "#   - id: A1",
    "#     action: What is to be done",
    "#     owner: <staff id>",
    "#     due: YYYY-MM-DD",
]

AUDIT_TRAILER: list[TrailerField] = [
    (
        "overall_grade",
        None,
        "Overall grade: outstanding | good | requires_improvement | inadequate",
    ),
    ("strengths", None, "Strengths of the practice (use | and indented lines for several lines)"),
    ("areas_for_improvement", None, "Areas for improvement"),
    (
        "actions",
        [],
        "Action plan (needed where action is necessary; always for requires_improvement or "
        "inadequate). Write each action one key per line, in place of []:",
    ),
]

CRIB_SHEET_TRAILER: list[TrailerField] = [
    ("summary", None, "What was discussed and what is to be followed up"),
    ("actions", [], "Actions: write each one key per line, in place of []:"),
]
AGENCY_RETURN_TRAILER: list[TrailerField] = [
    ("grade", None, "Grade: outstanding | good | requires_improvement | inadequate"),
    ("strengths", None, None),
    ("areas_for_improvement", None, None),
]


class Whose(NamedTuple):
    """The case a blank return is about, its team and its social worker."""

    case: str
    team: str
    social_worker: str


def audit_blank(
    tool: Tool,
    whose: Whose,
    *,
    auditors: list[str],
    allocated: dt.date,
    due: dt.date | None,
    intro: Sequence[str] = (),
) -> str:
    """A blank ``qa/audit@1`` return (single-agency peer audit or themed audit)."""
    fields: list[Field] = [
        ("case", whose.case),
        ("team", whose.team),
        ("social_worker", whose.social_worker),
        ("auditors", auditors),
        ("allocated", allocated),
        ("due", due),
        ("status", "allocated"),
        ("completed", None),
    ]
    if due is None:
        fields = [f for f in fields if f[0] != "due"]
    return render("qa/audit@1", tool, fields, AUDIT_TRAILER, intro)


def crib_sheet_blank(
    tool: Tool,
    whose: Whose,
    *,
    month: str,
    team_manager: str,
    service_manager: str,
    intro: Sequence[str] = (),
) -> str:
    fields: list[Field] = [
        ("month", month),
        ("team", whose.team),
        ("case", whose.case),
        ("social_worker", whose.social_worker),
        ("team_manager", team_manager),
        ("service_manager", service_manager),
        ("status", "allocated"),
        ("held", None),
    ]
    return render("qa/crib-sheet@1", tool, fields, CRIB_SHEET_TRAILER, intro)


def agency_return_blank(
    tool: Tool, *, case: str, agency: str, auditor: str, intro: Sequence[str] = ()
) -> str:
    fields: list[Field] = [
        ("case", case),
        ("agency", agency),
        ("auditor", auditor),
        ("status", "allocated"),
        ("completed", None),
    ]
    return render("qa/agency-return@1", tool, fields, AGENCY_RETURN_TRAILER, intro)


def observation_blank(
    tool: Tool,
    *,
    social_worker: str,
    observer: str,
    team: str,
    observed: dt.date,
    intro: Sequence[str] = (),
) -> str:
    fields: list[Field] = [
        ("social_worker", social_worker),
        ("observer", observer),
        ("team", team),
        ("observed", observed),
        ("consent_written", None),
        ("consent_verbal", None),
        ("feedback_verbal", None),
        ("feedback_written", None),
    ]
    return render("qa/observation@1", tool, fields, (), intro)


def complaint_blank(
    tool: Tool, *, ref: str, manager: str, team: str, date: dt.date, intro: Sequence[str] = ()
) -> str:
    fields: list[Field] = [
        ("ref", ref),
        ("manager", manager),
        ("team", team),
        ("date", date),
        ("responded", None),
    ]
    return render("qa/complaint@1", tool, fields, (), intro)


# --- `qa new`: one blank return for work not drawn by `qa sample` ----------------------------


def _latest(tools: dict[str, Tool], name: str) -> Tool:

    if name in tools:
        return tools[name]
    versions = [t for t in tools.values() if t.id == name]
    if not versions:
        import difflib

        ids = sorted({t.id for t in tools.values()})
        close = difflib.get_close_matches(name, ids, n=1)
        raise QAError(
            f"`{name}` is not a tool in audit_tools/",
            f"did you mean `{close[0]}`?" if close else "tools: " + ", ".join(ids),
        )
    return max(versions, key=lambda t: t.version)


@dataclass
class NewOptions:
    """What `qa new` was asked for: its options as given (None where not given)."""

    case: str | None = None
    auditors: Sequence[str] = ()
    worker: str | None = None
    team: str | None = None
    month: str | None = None
    theme: str | None = None
    date: dt.date | None = None
    ref: str | None = None
    agency: str | None = None
    audit_id: str | None = None
    meeting: str | None = None  # monitoring: the meeting (or, for a mid-point review, the plan)


@dataclass(kw_only=True)
class NewRequest(NewOptions):
    """What `qa new` was asked for, with what qa.yaml and the case list tell about it."""

    tool: Tool
    config: Config
    today: dt.date
    month: str = ""  # the option, or today's month

    @property
    def staff(self) -> dict[str, Staff]:
        return self.config.staff_by_id()

    @property
    def teams(self) -> dict[str, Team]:
        return self.config.team_by_id()

    def need(self, value: T | None, option: str, what: str) -> T:
        """The option's value; a usage error naming the option when it is missing."""
        if value is None or value == "" or value == []:
            raise QAError(f"a {self.tool.kind} return needs {option}", f"give {option} ({what})")
        return value

    def person(self, sid: str, option: str) -> str:
        """A staff id of qa.yaml (with a did-you-mean when it is not one)."""
        if sid not in self.staff:
            import difflib

            close = difflib.get_close_matches(sid, sorted(self.staff), n=1)
            raise QAError(
                f"{option}: {masked(sid)} is not a staff id in qa.yaml",
                f"did you mean `{close[0]}`?" if close else "add them to staff:",
            )
        return sid

    def first_auditor(self, what: str) -> str:
        return self.person(
            self.need(self.auditors[0] if self.auditors else None, "--auditor", what), "--auditor"
        )


# A blank return of one tool kind: (path, text, the team it is for, if any).
Made = tuple[str, str, str | None]


def _themed(r: NewRequest) -> Made:
    case = r.need(r.case, "--case", "a case code")
    worker = r.person(r.need(r.worker, "--worker", "the case's social worker id"), "--worker")
    team = r.need(r.team, "--team", "the case's team id")
    leads = list(r.auditors) or sorted(s.id for s in r.config.staff if "qa_lead" in s.roles)
    for a in leads:
        r.person(a, "--auditor")
        if a == worker or r.staff[a].team == team:
            raise QAError(
                f"--auditor {a} works on this case or in its team ({team})",
                "an auditor never audits their own work (App. E 1)",
            )
    theme = r.theme or r.tool.id.removeprefix("themed-")
    rel = layout.themed_return_path(f"{r.month}-{theme}", case, r.tool.id)
    auditors = r.need(leads, "--auditor", "the auditor's staff id")
    text = audit_blank(
        r.tool, Whose(case, team, worker), auditors=auditors, allocated=r.today, due=None
    )
    return rel, text, team


def _crib_sheet(r: NewRequest) -> Made:
    case = r.need(r.case, "--case", "a case code")
    team = r.need(r.team, "--team", "the case's team id")
    worker = r.person(r.need(r.worker, "--worker", "the case's social worker id"), "--worker")
    t = r.teams.get(team)
    if t is None:
        raise QAError(f"--team: {masked(team)} is not a team in qa.yaml", "see teams: in qa.yaml")
    staff = r.staff
    sms = [a for a in r.auditors if a in staff and "service_manager" in staff[a].roles] or sorted(
        s.id for s in r.config.staff if "service_manager" in s.roles and t.service in s.expertise
    )
    tm = next((a for a in r.auditors if a not in sms), None) or t.manager
    if not sms or tm is None:
        raise QAError(
            "a crib sheet needs a Service Manager and a Team Manager",
            "give both with --auditor SM --auditor TM",
        )
    text = crib_sheet_blank(
        r.tool,
        Whose(case, team, worker),
        month=r.month,
        team_manager=r.person(tm, "--auditor"),
        service_manager=r.person(sms[0], "--auditor"),
    )
    return layout.crib_sheet_path(r.month, team, case), text, team


def _observation(r: NewRequest) -> Made:
    worker = r.person(r.need(r.worker, "--worker", "the observed social worker's id"), "--worker")
    team = r.team or r.staff[worker].team
    teams = r.teams
    observer = r.auditors[0] if r.auditors else (teams[team].manager if team in teams else None)
    observer = r.person(r.need(observer, "--auditor", "the observer's staff id"), "--auditor")
    if observer == worker:
        raise QAError(
            "the observer cannot be the observed social worker",
            "give the line manager or supervisor with --auditor",
        )
    day = r.date or r.today
    team = r.need(team, "--team", "the worker's team id")
    text = observation_blank(
        r.tool, social_worker=worker, observer=observer, team=team, observed=day
    )
    return layout.observation_path(day, worker), text, team


def _complaint(r: NewRequest) -> Made:
    ref = r.need(r.ref, "--ref", "the complaint reference, e.g. CMP-2026-041")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}", ref):
        raise QAError(
            f"--ref: {masked(ref)} is not a complaint reference",
            "letters, digits, dots and hyphens, e.g. CMP-2026-041",
        )
    manager = r.first_auditor("the manager completing the form")
    team = r.need(r.team or r.staff[manager].team, "--team", "the team's id")
    day = r.date or r.today
    text = complaint_blank(r.tool, ref=ref, manager=manager, team=team, date=day)
    return layout.complaint_path(day, ref), text, team


def _agency_return(r: NewRequest) -> Made:
    case = r.need(r.case, "--case", "a case code")
    audit_id = r.need(r.audit_id, "--audit-id", "the audit's folder under multi-agency/")
    auditor = r.first_auditor("the agency's lead auditor")
    agency = r.need(r.agency or r.staff[auditor].agency, "--agency", "the agency id")
    if auditor == r.worker:
        raise QAError(
            "the agency auditor works on this case",
            "agency auditors have no casework involvement (App. E 1)",
        )
    text = agency_return_blank(r.tool, case=case, agency=agency, auditor=auditor)
    return layout.agency_return_path(audit_id, case, agency), text, r.team


def _monitoring(r: NewRequest) -> Made:
    from .monitoring import new_monitoring

    return new_monitoring(r)


def _midpoint(r: NewRequest) -> Made:
    from .monitoring import new_midpoint

    return new_midpoint(r)


def _drawn_only(r: NewRequest) -> Made:
    raise QAError(
        f"{r.tool.id} returns are allocated by the monthly draw, not by `qa new`",
        "use `qa sample --month YYYY-MM` (or `--add` to top up a drawn month)",
    )


# One maker per tool kind (a tool's `kind:`); a new kind of return adds one line here.
NEW_RETURN: dict[str, Callable[[NewRequest], Made]] = {
    "single-agency": _drawn_only,
    "themed": _themed,
    "crib-sheet": _crib_sheet,
    "observation": _observation,
    "complaint": _complaint,
    "multi-agency": _agency_return,
    "monitoring": _monitoring,
    "midpoint": _midpoint,
}


def _case_row(repo: Repository, case: str) -> CaseRow | None:
    """The case's row in the newest case list that has it (its team and worker)."""
    from .caselist import case_lists, read_case_list
    from .privacy import CASE_CODE_RE

    if not CASE_CODE_RE.match(case):
        raise QAError(
            f"--case: {masked(case)} is not a case code",
            "case codes look like C-7F3K2Q9M (see cases/*.csv); never a name or ID",
        )
    for _, p in reversed(case_lists(repo.root)):
        rows, _ = read_case_list(p, p.relative_to(repo.root).as_posix())
        row = next((r for r in rows if r.case == case), None)
        if row is not None:
            return row
    return None


def checked(rel: str, text: str) -> str:
    """The text of a new file, read back and checked against its model before it is written.

    A blank that does not load as its kind is a bug in qa, never the user's: stop before
    writing it.
    """
    from pydantic import ValidationError

    from . import yamlio
    from .models import KINDS

    data = yamlio.load_text(text)
    schema = str(data.get("schema", "")) if isinstance(data, dict) else ""
    kind, _, version = schema.partition("@")
    model = KINDS.get(kind, {}).get(int(version) if version.isdigit() else 0)
    try:
        if model is None:
            raise ValueError(f"unknown schema {kind}@{version}")
        model.model_validate(data)
    except (ValidationError, ValueError) as exc:
        raise QAError(
            f"qa made a blank {rel} that does not read back as its kind ({type(exc).__name__}); "
            "nothing was written",
            "report it to the QA tools team with the command you ran",
        ) from None
    return text


def new_return(
    repo: Repository, tool_name: str, today: dt.date, options: NewOptions
) -> tuple[str, str]:
    """(relative path, text) of one blank return, placed as DESIGN §2 says; nothing written.

    A worker or team not given is taken from the case list's row of the case."""
    tool = _latest(repo.tools, tool_name)
    row = _case_row(repo, options.case) if options.case is not None else None
    filled = dataclasses.replace(
        options,
        worker=options.worker or (row.worker if row is not None and row.worker else None),
        team=options.team or (row.team if row is not None else None),
        month=options.month or today.strftime("%Y-%m"),
    )
    request = NewRequest(tool=tool, config=repo.config, today=today, **vars(filled))
    make = NEW_RETURN.get(tool.kind)
    if make is None:
        raise QAError(
            f"qa new does not know tools of kind {tool.kind}",
            "kinds it makes returns for: " + ", ".join(sorted(NEW_RETURN)),
        )
    rel, text, for_team = make(request)
    if for_team is not None and for_team not in request.teams:
        raise QAError(
            f"--team: {masked(for_team)} is not a team in qa.yaml", "see teams: in qa.yaml"
        )
    return rel, checked(rel, text)
