"""Returns against the tool version they name: keys, answer types, required and conditional."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic_core import PydanticCustomError

from ..answers import is_blank, split_answer
from ..forgiving import Note, staff_by_name
from ..layout import FILE_KINDS, RETURN_MODELS
from ..masking import masked, shown, shown_key
from ..models.audit import AuditReturn
from ..models.common import GRADES, parse_iso_date, parse_tool_ref
from ..models.multi_agency import AgencyReturn
from ..models.tool import CLOSED_ANSWERS, Question, Tool
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic, Fix
from .salvage import is_broken
from .schema import at, close_matches, note_diagnostic, staff_name_diagnostic, suggest

CHECK_KEYS = ("social_worker", "manager", "comment", "checked")
ANSWER_KEYS = ("answer", "comment")


def is_complete(lf: LoadedFile) -> bool:
    """Whether a return is far enough along that required answers must be there."""
    kind = FILE_KINDS.get(lf.kind or "")
    return kind is not None and kind.is_complete(lf.checkable)


TODO = "TODO"  # the placeholder `qa fix` writes where a person must write a comment


def looks_returned(lf: LoadedFile, tool: Tool | None) -> bool:
    """Whether a return still `allocated` looks complete: the status trap (QA311).

    It does when it has a completion date, an overall grade, or every required question
    that applies answered; an `in_progress` one only when it has a completion date.
    """
    m = lf.checkable
    status = getattr(m, "status", None)
    if m is None or status not in ("allocated", "in_progress"):
        return False
    if _done_date(lf) is not None:
        return True
    if status != "allocated":
        return False
    if getattr(m, "overall_grade", None) is not None or getattr(m, "grade", None) is not None:
        return True
    answers = getattr(m, "answers", None)
    if tool is None or not isinstance(answers, dict) or not answers:
        return False
    return all(
        not is_blank(split_answer(q, answers.get(qid))[0]) or reason_of(tool, q) is not None
        for qid, q in tool.questions().items()
        if q.required and condition_met(tool, q, answers)
    )


# The date a kind fills in only once the work is done: a return's `completed`, a crib sheet's
# `held` (the session). A monitoring form's `held` and a mid-point review's `reviewed` are the
# meeting's date, written by `qa new` before anything is filled in: no sign of completion.
_DONE_DATE = {"qa/crib-sheet": ("held", "a session date")}
# Kinds whose finished status is `completed` (the others are returned).
_COMPLETED_KINDS = frozenset({"qa/crib-sheet", "qa/monitoring", "qa/midpoint-review"})


def _done_date(lf: LoadedFile) -> tuple[str, Any] | None:
    """(what it is, the date) of the kind's completion date when it is filled in, else None."""
    key, what = _DONE_DATE.get(lf.kind or "", ("completed", "a completion date"))
    value = getattr(lf.checkable, key, None)
    return (what, value) if value is not None else None


def soften(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The completeness findings of a return that looks returned but is not: as warnings."""
    return [
        replace(d, severity="warning", message=d.message + " (a warning until it is returned)")
        if d.severity == "error"
        else d
        for d in diagnostics
    ]


def _trap_warning(lf: LoadedFile, m: Any) -> Diagnostic:
    done = _done_date(lf)
    signs = [
        what
        for what, present in (
            (done[0] if done else "", done is not None),
            ("an overall grade", getattr(m, "overall_grade", None) is not None),
        )
        if present
    ] or ["every required answer"]
    finished = "completed" if lf.kind in _COMPLETED_KINDS else "returned"
    return at(
        lf,
        "QA311",
        ["status"],
        f"the return looks complete ({' and '.join(signs)}) but its status is still "
        f"`{m.status}`, so the checks of a finished return are shown as warnings",
        f"set `status: {finished}` when it is finished; the warnings below become errors then",
    )


def reason_of(tool: Tool, q: Question) -> Question | None:
    """See :meth:`Tool.reason_of`: the question whose comment this follow-up asks for."""
    return tool.reason_of(q)


def reason_followups(tool: Tool) -> dict[str, str]:
    """{base question id: its reason follow-up's id} for the tool's reason follow-ups."""
    return {qid: q.id for qid, q in tool.reason_followups().items()}


def condition_met(tool: Tool, q: Question, answers: dict[str, Any]) -> bool:
    """Whether a follow-up question applies, given the other answers."""
    cond = q.applies_if
    if cond is None:
        return True
    base = tool.questions().get(cond.question)
    if base is None:
        return False
    value, _, _ = split_answer(base, answers.get(cond.question))
    wanted = cond.answers()
    if isinstance(value, list):
        return any(v in wanted for v in value)
    return value in wanted


def check_returns(repo: Repository, files: list[LoadedFile]) -> list[Diagnostic]:
    config = repo.config_or_none
    staff_ids = {s.id for s in config.staff} if config else None
    by_name = staff_by_name(config.staff) if config else {}
    out: list[Diagnostic] = []
    for lf in files:
        m = lf.checkable
        if not isinstance(m, RETURN_MODELS):
            continue
        if m.tool is None or not isinstance(m.answers, dict):
            continue  # the tool or the answers did not validate: reported already
        tool = repo.tools.get(m.tool)
        if tool is None:
            out.append(_unknown_tool(repo, lf, m.tool))
            continue
        out.extend(_check_answers(lf, tool, staff_ids, by_name))
    return out


def _unknown_tool(repo: Repository, lf: LoadedFile, ref: str) -> Diagnostic:
    parsed = parse_tool_ref(ref)
    tool_id = parsed[0] if parsed else ref
    versions = sorted(t.version for t in repo.tools.values() if t.id == tool_id)
    if versions:
        hint = f"audit_tools/ has {tool_id} at version(s) " + ", ".join(map(str, versions))
        return at(
            lf, "QA301", ["tool"], f"tool `{ref}` is not in audit_tools/ at that version", hint
        )
    ids = sorted({t.id for t in repo.tools.values()})
    close = close_matches(tool_id, ids)
    hint = f"did you mean `{close[0]}`?" if close else "tools available: " + ", ".join(ids)
    return at(lf, "QA301", ["tool"], f"the tool {masked(tool_id)} is not in audit_tools/", hint)


@dataclass
class _Ctx:
    """What the checks of one return's answers share."""

    lf: LoadedFile
    tool: Tool
    answers: dict[str, Any]
    complete: bool
    staff_ids: set[str] | None
    by_name: dict[str, list[Any]]
    reasons: dict[str, str] = field(default_factory=dict)


def _check_answers(
    lf: LoadedFile, tool: Tool, staff_ids: set[str] | None, by_name: dict[str, list[Any]]
) -> list[Diagnostic]:
    m = lf.checkable
    assert isinstance(m, RETURN_MODELS)  # check_returns passes returns only
    complete = is_complete(lf)
    trap = not complete and looks_returned(lf, tool)
    ctx = _Ctx(lf, tool, m.answers, complete or trap, staff_ids, by_name, reason_followups(tool))
    out = _unknown_questions(ctx)
    checked: list[Diagnostic] = []
    for qid, q in tool.questions().items():
        checked += _check_question(ctx, qid, q)
    checked += _missing_grade(lf, m, ctx.complete)
    if trap:
        out.append(_trap_warning(lf, m))
        checked = soften(checked)
    return out + checked


def _unknown_questions(ctx: _Ctx) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    questions = ctx.tool.questions()
    for key in ctx.answers:
        if key not in questions:
            close = close_matches(str(key), list(questions))
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else (
                    f"the questions of {ctx.tool.ref} are listed in audit_tools/{ctx.tool.id}.yaml"
                )
            )
            out.append(
                at(
                    ctx.lf,
                    "QA302",
                    ["answers", key],
                    f"{shown_key(key)} is not a question of {ctx.tool.ref}",
                    hint,
                    key=True,
                )
            )
    return out


def _not_applicable(ctx: _Ctx, q: Question, loc: list[str | int]) -> list[Diagnostic]:
    cond = q.applies_if
    assert cond is not None
    return [
        at(
            ctx.lf,
            "QA306",
            loc,
            f"`{q.id}` is answered but only applies when `{cond.question}` is "
            + " or ".join(f"`{a}`" for a in cond.answers()),
            f"remove the answer, or check the answer to `{cond.question}`",
        )
    ]


def _mapping_keys(
    ctx: _Ctx, q: Question, mapping: dict[str, Any], loc: list[str | int]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    allowed = CHECK_KEYS if q.type == "check" else ANSWER_KEYS
    for k in mapping:
        if k not in allowed:
            close = close_matches(str(k), list(allowed))
            hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
            out.append(
                at(
                    ctx.lf,
                    "QA303",
                    [*loc, k],
                    f"`{k}` is not part of an answer to `{q.id}`",
                    hint,
                    key=True,
                )
            )
    return out


def _check_question(ctx: _Ctx, qid: str, q: Question) -> list[Diagnostic]:
    raw = ctx.answers.get(qid)
    value, comment, mapping = split_answer(q, raw)
    loc: list[str | int] = ["answers", qid]
    if not condition_met(ctx.tool, q, ctx.answers):
        return [] if is_blank(value) else _not_applicable(ctx, q, loc)
    out = _mapping_keys(ctx, q, mapping, loc) if mapping is not None else []
    if is_blank(value):
        # a reason follow-up is given by the base answer's comment (QA305 asks for it)
        if q.required and ctx.complete and reason_of(ctx.tool, q) is None:
            out.append(
                at(
                    ctx.lf,
                    "QA304",
                    loc if qid in ctx.answers else ["answers"],
                    f"`{qid}` is required but not answered ({_short(q.text)})",
                    _answer_hint(q),
                    key=qid in ctx.answers,
                )
            )
        return out
    if q.type == "check":
        out.extend(_check_check(ctx.lf, q, value, loc))
        triggered = (
            value.get("manager") in q.comment_triggers()
            or value.get("social_worker") in q.comment_triggers()
        )
    else:
        vloc = [*loc, "answer"] if mapping is not None else loc
        written = mapping.get("answer") if mapping is not None else raw
        found = _forgiven(ctx, q, written, value, vloc)
        out += found
        if any(d.severity == "error" for d in found):
            return out  # a staff name: the value is not one the checks below can use
        problem = None if found else _type_problem(q, value, ctx.staff_ids)
        if problem is not None:
            out.append(at(ctx.lf, problem[0], vloc, problem[1], problem[2]))
            return out
        triggered = _matches(value, q.comment_triggers())
    if triggered and ctx.complete and needs_comment(comment):
        if not _reason_given(ctx.reasons, qid, ctx.answers):
            out.append(_comment_required(ctx, qid, value, comment, mapping, loc))
    return out


def _forgiven(
    ctx: _Ctx, q: Question, written: Any, value: Any, vloc: list[str | int]
) -> list[Diagnostic]:
    """QA313/QA105 where an answer was read as the code it means; QA314 for a staff name."""
    if q.type == "staff" and ctx.staff_ids is not None and written not in ctx.staff_ids:
        named = staff_name_diagnostic(ctx.lf, vloc, written, ctx.by_name)
        return [named] if named is not None else []
    if written == value:
        return []
    if isinstance(written, list) and isinstance(value, list) and len(written) == len(value):
        pairs = [
            ((*vloc, i), w, v)
            for i, (w, v) in enumerate(zip(written, value, strict=True))
            if w != v
        ]
    elif isinstance(written, str) and isinstance(value, str):
        pairs = [(tuple(vloc), written, value)]
    else:
        return []
    code = "QA105" if q.type == "date" else "QA313"
    return [note_diagnostic(ctx.lf, Note(code, where, str(w), str(v))) for where, w, v in pairs]


def needs_comment(comment: Any) -> bool:
    """Whether a comment is missing: blank, or still the ``TODO`` placeholder of `qa fix`."""
    if is_blank(comment):
        return True
    return isinstance(comment, str) and comment.strip().upper().startswith(TODO)


def _comment_required(
    ctx: _Ctx,
    qid: str,
    value: Any,
    comment: Any,
    mapping: dict[str, Any] | None,
    loc: list[str | int],
) -> Diagnostic:
    shape = f"{qid}:\n    answer: {_plain(value)}\n    comment: <why, and any action needed>"
    if isinstance(comment, str) and comment.strip():
        return at(
            ctx.lf,
            "QA305",
            [*loc, "comment"],
            f"`{qid}` is answered `{_plain(value)}`; its comment is still the {TODO} placeholder",
            "replace TODO with why, and any action needed",
        )
    fix = Fix("comment", tuple(loc)) if comment is None else None
    return at(
        ctx.lf,
        "QA305",
        loc,
        f"`{qid}` is answered `{_plain(value)}`, which needs a comment saying why",
        "write the reason as its comment:\n  " + shape,
        fix=fix,
    )


def _missing_grade(lf: LoadedFile, m: Any, complete: bool) -> list[Diagnostic]:
    if not complete:
        return []
    if isinstance(m, AuditReturn) and m.overall_grade is None:
        if is_broken(lf.broken, "overall_grade"):
            return []
        return [
            at(
                lf,
                "QA307",
                ["status"],
                "the audit is returned but has no overall grade",
                "add `overall_grade:` (outstanding, good, requires_improvement or inadequate)",
            )
        ]
    if isinstance(m, AgencyReturn) and m.grade is None and not is_broken(lf.broken, "grade"):
        return [
            at(
                lf,
                "QA307",
                ["status"],
                "the agency return is returned but has no grade",
                "add `grade:` (outstanding, good, requires_improvement or inadequate)",
            )
        ]
    return []


def _reason_given(reasons: dict[str, str], qid: str, answers: dict[str, Any]) -> bool:
    """Whether the reason follow-up of ``qid`` is answered (an older return's way)."""
    follow = reasons.get(qid)
    return follow is not None and not is_blank(answers.get(follow))


def _matches(value: Any, triggers: list[str]) -> bool:
    if isinstance(value, list):
        return any(v in triggers for v in value)
    return value in triggers


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("manager") or value.get("social_worker") or "?"
    return str(value)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _answer_hint(q: Question) -> str:
    if q.type in CLOSED_ANSWERS:
        return f"answer one of: {', '.join(CLOSED_ANSWERS[q.type])}"
    if q.options:
        return "answer one of: " + ", ".join(q.options)
    return {
        "text": "write the answer as text",
        "date": "write a date as YYYY-MM-DD",
        "number": "write a number",
        "staff": "write a staff id from qa.yaml",
    }.get(q.type, "")


Problem = tuple[str, str, str | None] | None  # (code, message, hint), or None when it fits


def _closed_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    allowed = CLOSED_ANSWERS[q.type]
    if isinstance(value, str) and value in allowed:
        return None
    if isinstance(value, bool):
        return (
            "QA303",
            f"`{q.id}`: `{str(value).lower()}` is not an answer to this question",
            "write " + " or ".join(allowed) + " (true/false are not used)",
        )
    s = suggest(value, allowed) if isinstance(value, str) else None
    hint = f"did you mean `{s}`?" if s else "answer one of: " + ", ".join(allowed)
    what = "a grade" if q.type == "grade" else "an answer to this question"
    return ("QA303", f"`{q.id}`: {shown(value, allowed)} is not {what}", hint)


def _not_an_option(q: Question, value: Any, opts: list[str]) -> Problem:
    s = suggest(value, opts) if isinstance(value, str) else None
    return (
        "QA303",
        f"`{q.id}`: {shown(value, opts)} is not one of the options",
        f"did you mean `{s}`?" if s else "options: " + ", ".join(opts),
    )


def _choice_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    opts = q.options or []
    if isinstance(value, str) and value in opts:
        return None
    return _not_an_option(q, value, opts)


def _multi_choice_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    opts = q.options or []
    if not isinstance(value, list):
        return (
            "QA303",
            f"`{q.id}`: expected a list of options",
            f"write it as a list, e.g. [{opts[0]}]" if opts else None,
        )
    for item in value:
        if item not in opts:
            return _not_an_option(q, item, opts)
    return None


def _text_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    if isinstance(value, str):
        return None
    quotes = "put quotes around it if you meant the text"
    if isinstance(value, bool):
        return ("QA303", f"`{q.id}`: expected text, found {str(value).lower()}", quotes)
    if isinstance(value, int | float):
        return ("QA303", f"`{q.id}`: expected text, found {masked(value)}", quotes)
    return (
        "QA303",
        f"`{q.id}`: expected text",
        "write the answer on the same line, or as a | block",
    )


def _date_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    try:
        parse_iso_date(value)
    except PydanticCustomError as exc:
        return ("QA303", f"`{q.id}`: {exc.message()}", "write dates as YYYY-MM-DD")
    return None


def _number_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return (
        "QA303",
        f"`{q.id}`: {masked(value)} is not a number",
        "write digits only, e.g. 150 or 150.50 (no £ sign)",
    )


def _staff_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    if not isinstance(value, str):
        return ("QA303", f"`{q.id}`: expected a staff id", "write a staff id from qa.yaml")
    if staff_ids is not None and value not in staff_ids:
        close = close_matches(value, sorted(staff_ids))
        return (
            "QA401",
            f"`{q.id}`: {masked(value, 'value')} is not a staff id in qa.yaml",
            f"did you mean `{close[0]}`?" if close else "add the person to `staff:` in qa.yaml",
        )
    return None


# How a value is checked against its question, by the question's type.
_TYPE_CHECKS: dict[str, Callable[[Question, Any, set[str] | None], Problem]] = {
    "grade": _closed_problem,
    "yes_no": _closed_problem,
    "yes_no_na": _closed_problem,
    "choice": _choice_problem,
    "multi_choice": _multi_choice_problem,
    "text": _text_problem,
    "date": _date_problem,
    "number": _number_problem,
    "staff": _staff_problem,
}


def _type_problem(q: Question, value: Any, staff_ids: set[str] | None) -> Problem:
    """(code, message, hint) when a value does not fit its question, else None."""
    check = _TYPE_CHECKS.get(q.type)
    return check(q, value, staff_ids) if check else None


def _check_check(lf: LoadedFile, q: Question, value: Any, loc: list[str | int]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not isinstance(value, dict):
        return [
            at(
                lf,
                "QA303",
                loc,
                f"`{q.id}`: expected the social worker's and manager's checks",
                "write it as:\n  " + f"{q.id}: {{social_worker: yes, manager: yes}}",
            )
        ]
    for who in ("social_worker", "manager"):
        v = value.get(who)
        if v is None:
            continue
        if v not in CLOSED_ANSWERS["check"]:
            s = suggest(v, CLOSED_ANSWERS["check"]) if isinstance(v, str) else None
            out.append(
                at(
                    lf,
                    "QA303",
                    [*loc, who],
                    f"`{q.id}.{who}`: {shown(v, ('yes', 'no', 'na'))} is not yes, no or na",
                    f"did you mean `{s}`?" if s else "write yes, no or na",
                )
            )
    checked = value.get("checked")
    if checked is not None:
        try:
            parse_iso_date(checked)
        except PydanticCustomError as exc:
            out.append(
                at(
                    lf,
                    "QA303",
                    [*loc, "checked"],
                    f"`{q.id}.checked`: {exc.message()}",
                    "write dates as YYYY-MM-DD",
                )
            )
    comment = value.get("comment")
    if comment is not None and not isinstance(comment, str):
        out.append(
            at(
                lf,
                "QA303",
                [*loc, "comment"],
                f"`{q.id}.comment`: expected text",
                "put quotes around it",
            )
        )
    return out


__all__ = ["GRADES", "check_returns", "condition_met", "is_complete"]
