"""Blank, pre-filled returns: every question of the tool, its guidance as a comment, no answers.

An auditor opens the file, reads the guidance (and, for grade questions, what each grade
looks like) right above each question, and types the answer after the colon. The blank is a
valid file of its kind while its status is ``allocated``: ``qa validate`` accepts it.

The text is rendered here rather than dumped from a document so the comments sit exactly where
an auditor needs them; it is parsed back and checked against its model before it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from .models.tool import CLOSED_ANSWERS, Question, Tool

WIDTH = 92
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/@+-]*$")
_RESERVED = frozenset({"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"})

Field = tuple[str, Any]


def scalar(value: Any) -> str:
    """A value as YAML text: plain where safe, JSON-quoted (valid YAML) otherwise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        if not re.match(r"^\d", text) or re.match(r"^\d{4}-\d{2}(-\d{2})?$", text):
            return text
    return json.dumps(text, ensure_ascii=False)


def comment(text: str, indent: str = "", prefix: str = "", width: int = WIDTH) -> list[str]:
    """Text as wrapped comment lines (`# ...`)."""
    text = " ".join(str(text).split())
    if not text:
        return [f"{indent}#"]
    lead = f"{indent}# {prefix}"
    rest = f"{indent}# " + " " * len(prefix)
    return textwrap.wrap(
        text, width=width, initial_indent=lead, subsequent_indent=rest, break_on_hyphens=False
    )


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
    return {
        "text": "answer: text (use | and indented lines for several lines)",
        "date": "answer: a date, YYYY-MM-DD",
        "number": "answer: a number",
        "staff": "answer: a staff id from qa.yaml",
    }.get(q.type, "answer")


def question_lines(q: Question, indent: str = "  ") -> list[str]:
    out = comment(q.text, indent, "Q: ")
    how = _how_to_answer(q)
    triggers = q.comment_triggers()
    if triggers and q.type == "check":
        how += "; if " + " or ".join(triggers) + ", add `comment:` (why, and any action)"
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
    if q.descriptors is not None:
        d = q.descriptors
        for name, text in (
            ("Outstanding", d.outstanding),
            ("Good", d.good),
            ("Requires Improvement", d.requires_improvement),
            ("Inadequate", d.inadequate),
        ):
            if text:
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
        for q in section.questions:
            out += question_lines(q)
    return out


def render(
    schema: str,
    tool: Tool,
    fields: Sequence[Field],
    trailer: Sequence[tuple[str, Any, str | None]] = (),
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
        lines.append(f"{key}: {scalar(value) if value != [] else '[]'}".rstrip())
    return "\n".join(lines) + "\n"


AUDIT_TRAILER: list[tuple[str, Any, str | None]] = [
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
        "inadequate). Each action: - {id: A1, action: ..., owner: <staff id>, due: YYYY-MM-DD}",
    ),
]


def audit_blank(
    tool: Tool,
    *,
    case: str,
    team: str,
    social_worker: str,
    auditors: list[str],
    allocated: dt.date,
    due: dt.date | None,
    intro: Sequence[str] = (),
) -> str:
    """A blank ``qa/audit@1`` return (single-agency peer audit or themed audit)."""
    fields: list[Field] = [
        ("case", case),
        ("team", team),
        ("social_worker", social_worker),
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
    *,
    month: str,
    team: str,
    case: str,
    social_worker: str,
    team_manager: str,
    service_manager: str,
    intro: Sequence[str] = (),
) -> str:
    fields: list[Field] = [
        ("month", month),
        ("team", team),
        ("case", case),
        ("social_worker", social_worker),
        ("team_manager", team_manager),
        ("service_manager", service_manager),
        ("status", "allocated"),
        ("held", None),
    ]
    trailer: list[tuple[str, Any, str | None]] = [
        ("summary", None, "What was discussed and what is to be followed up"),
        ("actions", [], "Actions: - {id: A1, action: ..., owner: <staff id>, due: YYYY-MM-DD}"),
    ]
    return render("qa/crib-sheet@1", tool, fields, trailer, intro)


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
    trailer: list[tuple[str, Any, str | None]] = [
        ("grade", None, "Grade: outstanding | good | requires_improvement | inadequate"),
        ("strengths", None, None),
        ("areas_for_improvement", None, None),
    ]
    return render("qa/agency-return@1", tool, fields, trailer, intro)


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
    from .errors import QAError

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


def new_return(
    repo: Any,
    tool_name: str,
    today: dt.date,
    *,
    case: str | None = None,
    auditors: Sequence[str] = (),
    worker: str | None = None,
    team: str | None = None,
    month: str | None = None,
    theme: str | None = None,
    date: dt.date | None = None,
    ref: str | None = None,
    agency: str | None = None,
    audit_id: str | None = None,
) -> tuple[str, str]:
    """(relative path, text) of one blank return, placed as DESIGN §2 says; nothing written."""
    from . import layout
    from .caselist import case_lists, read_case_list
    from .errors import QAError

    config = repo.config
    if config is None:
        raise QAError("qa.yaml has problems", "run `qa validate qa.yaml` and fix what it reports")
    tool = _latest(repo.tools, tool_name)
    staff = config.staff_by_id()
    teams = config.team_by_id()

    def need(value: Any, option: str, what: str) -> Any:
        if value in (None, "", []):
            raise QAError(f"a {tool.kind} return needs {option}", f"give {option} ({what})")
        return value

    def person(sid: str, option: str) -> str:
        if sid not in staff:
            import difflib

            close = difflib.get_close_matches(sid, sorted(staff), n=1)
            raise QAError(
                f"{option} {sid}: not a staff id in qa.yaml",
                f"did you mean `{close[0]}`?" if close else "add them to staff:",
            )
        return sid

    row = None
    if case is not None:
        from .privacy import CASE_CODE_RE

        if not CASE_CODE_RE.match(case):
            raise QAError(
                f"--case {case!r} is not a case code",
                "case codes look like C-7F3K2Q9M (see cases/*.csv); never a name or ID",
            )
        for _, p in reversed(case_lists(repo.root)):
            rows, _ = read_case_list(p, p.relative_to(repo.root).as_posix())
            row = next((r for r in rows if r.case == case), None)
            if row is not None:
                break
    worker = worker or (row.worker if row is not None and row.worker else None)
    team = team or (row.team if row is not None else None)
    month = month or today.strftime("%Y-%m")
    kind = tool.kind
    if kind == "single-agency":
        raise QAError(
            f"{tool.id} returns are allocated by the monthly draw, not by `qa new`",
            "use `qa sample --month YYYY-MM` (or `--add` to top up a drawn month)",
        )
    if kind == "themed":
        case = need(case, "--case", "a case code")
        worker = person(need(worker, "--worker", "the case's social worker id"), "--worker")
        team = need(team, "--team", "the case's team id")
        leads = list(auditors) or sorted(s.id for s in config.staff if "qa_lead" in s.roles)
        for a in leads:
            person(a, "--auditor")
            if a == worker or staff[a].team == team:
                raise QAError(
                    f"--auditor {a} works on this case or in its team ({team})",
                    "an auditor never audits their own work (App. E 1)",
                )
        theme = theme or tool.id.removeprefix("themed-")
        rel = layout.themed_return_path(f"{month}-{theme}", case, tool.id)
        text = audit_blank(
            tool,
            case=case,
            team=team,
            social_worker=worker,
            auditors=need(leads, "--auditor", "the auditor's staff id"),
            allocated=today,
            due=None,
        )
    elif kind == "crib-sheet":
        case = need(case, "--case", "a case code")
        team = need(team, "--team", "the case's team id")
        worker = person(need(worker, "--worker", "the case's social worker id"), "--worker")
        t = teams.get(team)
        if t is None:
            raise QAError(f"--team {team}: not a team in qa.yaml", "see teams: in qa.yaml")
        sms = [a for a in auditors if a in staff and "service_manager" in staff[a].roles] or sorted(
            s.id for s in config.staff if "service_manager" in s.roles and t.service in s.expertise
        )
        tm = next((a for a in auditors if a not in sms), None) or t.manager
        if not sms or tm is None:
            raise QAError(
                "a crib sheet needs a Service Manager and a Team Manager",
                "give both with --auditor SM --auditor TM",
            )
        rel = layout.crib_sheet_path(month, team, case)
        text = crib_sheet_blank(
            tool,
            month=month,
            team=team,
            case=case,
            social_worker=worker,
            team_manager=person(tm, "--auditor"),
            service_manager=person(sms[0], "--auditor"),
        )
    elif kind == "observation":
        worker = person(need(worker, "--worker", "the observed social worker's id"), "--worker")
        team = team or staff[worker].team
        observer = auditors[0] if auditors else (teams[team].manager if team in teams else None)
        observer = person(need(observer, "--auditor", "the observer's staff id"), "--auditor")
        if observer == worker:
            raise QAError(
                "the observer cannot be the observed social worker",
                "give the line manager or supervisor with --auditor",
            )
        day = date or today
        rel = layout.observation_path(day, worker)
        text = observation_blank(
            tool,
            social_worker=worker,
            observer=observer,
            team=need(team, "--team", "the worker's team id"),
            observed=day,
        )
    elif kind == "complaint":
        ref = need(ref, "--ref", "the complaint reference, e.g. CMP-2026-041")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}", ref):
            raise QAError(
                f"--ref {ref!r} is not a complaint reference",
                "letters, digits, dots and hyphens, e.g. CMP-2026-041",
            )
        manager = person(
            need(auditors[0] if auditors else None, "--auditor", "the manager completing the form"),
            "--auditor",
        )
        team = need(team or staff[manager].team, "--team", "the team's id")
        day = date or today
        rel = layout.complaint_path(day, ref)
        text = complaint_blank(tool, ref=ref, manager=manager, team=team, date=day)
    elif kind == "multi-agency":
        case = need(case, "--case", "a case code")
        audit_id = need(audit_id, "--audit-id", "the audit's folder under multi-agency/")
        auditor = person(
            need(auditors[0] if auditors else None, "--auditor", "the agency's lead auditor"),
            "--auditor",
        )
        agency = agency or staff[auditor].agency
        agency = need(agency, "--agency", "the agency id")
        if auditor == worker:
            raise QAError(
                "the agency auditor works on this case",
                "agency auditors have no casework involvement (App. E 1)",
            )
        rel = layout.agency_return_path(audit_id, case, agency)
        text = agency_return_blank(tool, case=case, agency=agency, auditor=auditor)
    else:  # pragma: no cover - every tool kind is handled above
        raise QAError(f"qa new does not know tools of kind {kind}")
    if team is not None and team not in teams:
        raise QAError(f"--team {team}: not a team in qa.yaml", "see teams: in qa.yaml")
    return rel, text
