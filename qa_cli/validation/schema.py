"""Turn a file's read, kind and schema problems into diagnostics with positions and hints."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..forgiving import Note, staff_by_name, staff_for_name
from ..masking import mask_quoted, masked, shown, shown_key
from ..models import KINDS
from ..repository import LoadedFile
from .diagnostics import Diagnostic, Fix
from .rules import RULES


def close_matches(word: str, options: Sequence[str]) -> list[str]:
    """The closest of ``options`` to ``word`` (difflib's, imported only when a finding asks:
    its import is 10 ms of every run)."""
    import difflib

    return difflib.get_close_matches(word, options, n=1)


_DISPLAY_GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "requiresimprovement": "requires_improvement",
    "ri": "requires_improvement",
    "inadequate": "inadequate",
}


# Words a parser message may quote that identify no one.
_KNOWN_WORDS = frozenset({"schema", "answers", "actions", "#", "&", "*", "-", ":", "\t"})


def diag(
    lf: LoadedFile,
    code: str,
    line: int,
    column: int,
    message: str,
    hint: str | None,
    fix: Fix | None = None,
) -> Diagnostic:
    return Diagnostic(lf.rel, line, column, code, RULES[code].severity, message, hint, fix)


def at(
    lf: LoadedFile,
    code: str,
    loc: list[str | int] | tuple[str | int, ...],
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
    fix: Fix | None = None,
) -> Diagnostic:
    """A diagnostic pointing at ``loc`` in the file (deepest existing part of the path)."""
    line, column = lf.pos(loc, key=key)
    return diag(lf, code, line, column, message, hint, fix)


@dataclass(frozen=True)
class Role:
    """A role a record asks of a person: the qa.yaml roles that fit, its name, the rule."""

    code: str
    roles: frozenset[str]
    what: str  # e.g. "an IRO"


def out_of_order(
    lf: LoadedFile,
    loc: list[str | int],
    later: Any,
    earlier: Any,
    earlier_name: str,
    *,
    later_name: str | None = None,
    hint: str = "check both dates",
) -> list[Diagnostic]:
    """QA407 when the date at ``loc`` (``later``) comes before ``earlier``; nothing when either
    is missing. ``later_name`` defaults to the key at ``loc``."""
    if later is None or earlier is None or later >= earlier:
        return []
    name = later_name or str(loc[-1])
    return [at(lf, "QA407", loc, f"{name} ({later}) is before {earlier_name} ({earlier})", hint)]


def name_mismatch(lf: LoadedFile, expected: str, key: str) -> Diagnostic:
    """QA408: the file's place disagrees with its content (pointing at ``key``)."""
    return at(
        lf,
        "QA408",
        [key],
        f"the file is {lf.rel} but its content says it should be {expected}",
        f"rename or move the file to {expected}, or correct the content",
    )


def misplaced(lf: LoadedFile, expected: str, key: str) -> list[Diagnostic]:
    """:func:`name_mismatch` unless the file is at ``expected``."""
    return [] if lf.rel == expected else [name_mismatch(lf, expected, key)]


def suggest(value: str, options: list[str] | tuple[str, ...]) -> str | None:
    """Did-you-mean for a value among options, forgiving case, spaces and hyphens."""
    if not isinstance(value, str):
        return None
    norm = re.sub(r"[\s\-]+", "_", value.strip().lower())
    if norm in options:
        return norm
    spaced = value.strip().lower()
    if spaced in _DISPLAY_GRADES and _DISPLAY_GRADES[spaced] in options:
        return _DISPLAY_GRADES[spaced]
    close = close_matches(norm, list(options))
    return close[0] if close else None


def _field_names(lf: LoadedFile, loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at the parent of ``loc``, walking the model's fields."""
    if lf.kind is None or lf.version is None:
        return []
    model: Any = KINDS[lf.kind][lf.version]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields:
            return []
        info = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if info is None:
            return []
        model = _inner_model(info.annotation)
        if model is None:
            return []
    fields = getattr(model, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        stack.extend(getattr(a, "__args__", ()) or ())
    return None


def _path_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]" if out else f"item {part + 1}"
        else:
            out += f".{part}" if out else str(part)
    return out or "the file"


def _clean_loc(lf: LoadedFile, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union-member tags (``str``, ``list[str]``, ...) that are not in the data."""
    out: list[Any] = []
    node: Any = lf.data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(part, str) and (
            part in ("str", "int", "bool", "float", "list", "dict", "function-before", "none")
            or "[" in part
            or part.startswith(("function-", "constrained-", "lax-", "strict-"))
            or part.startswith("literal[")
        ):
            continue
        else:
            out.append(part)
    return tuple(out)


def _quote_hint(value: Any) -> str | None:
    if isinstance(value, bool):
        return (
            f"`{str(value).lower()}` was read as a yes/no switch; if you meant text, "
            "put quotes around it"
        )
    if isinstance(value, int | float):
        return "this was read as a number; if you meant text, put quotes around it"
    if value is None:
        return "the value is empty; write it after the colon, or remove the line"
    return None


def schema_diagnostics(lf: LoadedFile, staff: Sequence[Any] = ()) -> list[Diagnostic]:
    """Diagnostics for a file that could not be read, classified or validated.

    ``staff`` (qa.yaml's) lets a person's name where a staff id belongs be matched (QA314).
    """
    out: list[Diagnostic] = [note_diagnostic(lf, n) for n in lf.notes]
    if lf.problem is not None:
        p = lf.problem
        # The parser's messages quote keys and lines of the file: mask them (issue 10).
        message = mask_quoted(p.message, _KNOWN_WORDS)
        out.append(diag(lf, p.code, p.line, p.column, message, p.hint))
        return out
    if lf.schema_problem is not None:
        sp = lf.schema_problem
        out.append(at(lf, sp.code, sp.loc, mask_quoted(sp.message, _KNOWN_WORDS), sp.hint))
        return out
    by_name = staff_by_name(staff) if lf.errors else {}
    for err in lf.errors:
        named = _staff_name(lf, err, by_name)
        out.append(named if named is not None else _from_pydantic(lf, err))
    return out


def long_date(iso: str) -> str:
    """``2026-11-27`` -> ``27 November 2026``, to show how a day/month/year date was read."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def note_diagnostic(lf: LoadedFile, note: Note) -> Diagnostic:
    """The warning for a value read as the code it means; its fix writes that code."""
    where = _path_text(note.loc)
    fix = Fix("replace", note.loc, note.value)
    if note.code == "QA105":
        # the value is shown only as the ISO date it is read as (the masking policy)
        message = f"{where}: a date written day/month/year, read as {long_date(note.value)}"
    else:
        # another spelling of a code (`Requires Improvement`) names no one: shown as written
        message = f"{where}: `{note.written}` is read as `{note.value}`"
    return at(lf, note.code, note.loc, message, f"write `{note.value}`", fix=fix)


def staff_name_diagnostic(
    lf: LoadedFile, where_: Sequence[str | int], value: Any, by_name: dict[str, list[Any]]
) -> Diagnostic | None:
    """QA314 when ``value`` is the name of someone in qa.yaml: their id is the fix."""
    people = staff_for_name(value, by_name)
    if not people:
        return None
    loc = tuple(where_)
    where = _path_text(loc)
    if len(people) > 1:
        ids = " or ".join(f"`{p.id}`" for p in people)
        return at(
            lf,
            "QA314",
            loc,
            f"{where}: `{value}` is a name; qa.yaml has {len(people)} people of that name",
            f"write the staff id of the one you mean: {ids}",
        )
    p = people[0]
    return at(
        lf,
        "QA314",
        loc,
        f"{where}: `{value}` is a name, not a staff id",
        f"did you mean `{p.id}` ({p.name})? write `{p.id}`",
        fix=Fix("replace", loc, p.id),
    )


def _staff_name(
    lf: LoadedFile, err: dict[str, Any], by_name: dict[str, list[Any]]
) -> Diagnostic | None:
    if err["type"] != "string_pattern_mismatch" or not by_name:
        return None
    return staff_name_diagnostic(lf, _clean_loc(lf, tuple(err["loc"])), err.get("input"), by_name)


@dataclass(frozen=True)
class _Error:
    """One pydantic error, located in the file: what each handler below reads."""

    lf: LoadedFile
    loc: tuple[Any, ...]
    etype: str
    value: Any
    where: str
    msg: str
    ctx: dict[str, Any]


def _extra_key(e: _Error) -> Diagnostic:
    name = str(e.loc[-1]) if e.loc else "?"
    allowed = _field_names(e.lf, e.loc)
    close = close_matches(name, allowed)
    hint = (
        f"did you mean `{close[0]}`?"
        if close
        else ("allowed keys here: " + ", ".join(allowed) if allowed else "remove this key")
    )
    inside = f" (in {_path_text(e.loc[:-1])})" if len(e.loc) > 1 else ""
    what = f"{shown_key(name, allowed)} is not a key this file can have{inside}"
    return at(e.lf, "QA101", e.loc, what, hint, key=True)


def _missing_key(e: _Error) -> Diagnostic:
    name = str(e.loc[-1]) if e.loc else "?"
    parent = e.loc[:-1]
    return at(
        e.lf,
        "QA102",
        parent,
        f"`{name}` is missing" + (f" in {_path_text(parent)}" if parent else ""),
        f"add a line `{name}: ...`",
        key=bool(parent),
    )


def _date_range(e: _Error) -> Diagnostic:
    hint = "check the year: dates are written YYYY-MM-DD and lie between 1970 and 2099"
    return at(e.lf, "QA601", e.loc, f"{e.where}: {e.msg}", hint)


def _rel_path(e: _Error) -> Diagnostic:
    hint = (
        "name a file of the repository relative to its top folder, e.g. "
        "audits/2026-11/C-XXXXXXXX--single-agency-safeguarding.yaml"
    )
    return at(e.lf, "QA602", e.loc, f"{e.where}: {e.msg}", hint)


def _bad_date(e: _Error) -> Diagnostic:
    hint = "write dates as YYYY-MM-DD, e.g. 2026-11-27 for 27 November 2026"
    if e.etype == "qa_date_impossible":
        hint = "check the day and the month; write dates as YYYY-MM-DD"
    return at(e.lf, "QA104", e.loc, f"{e.where}: {e.msg}", hint)


def _not_allowed(e: _Error) -> Diagnostic:
    value = e.value
    expected = re.findall(r"'([^']*)'", e.ctx.get("expected", ""))
    s = suggest(value, expected) if isinstance(value, str) else None
    if s:
        hint = f"did you mean `{s}`?"
    elif isinstance(value, bool | int | float) or value is None:
        hint = (_quote_hint(value) or "") + "; allowed: " + ", ".join(expected)
    else:
        hint = "allowed values: " + ", ".join(expected)
    what = shown(value, expected)
    return at(e.lf, "QA106", e.loc, f"{e.where}: {what} is not one of the allowed values", hint)


def _bad_form(e: _Error) -> Diagnostic:
    pattern = e.ctx.get("pattern", "")
    hint = "use lower-case letters, digits and hyphens, e.g. `sw-jsmith`"
    if "C-" in pattern:
        hint = "a case code looks like C-7F3K2Q9M: never a name or a case-management ID"
    elif "@" in pattern:
        hint = "a tool is named <id>@<version>, e.g. single-agency-safeguarding@1"
    elif "A-Za-z" in pattern:
        hint = "use letters, digits, dots, hyphens or underscores, e.g. A1"
    what = f"{e.where}: {masked(e.value)} is not in the expected form"
    return at(e.lf, "QA107", e.loc, what, hint)


def _not_text(e: _Error) -> Diagnostic:
    what = f"{e.where}: expected text, found {_shown(e.value)}"
    return at(e.lf, "QA103", e.loc, what, _quote_hint(e.value))


def _bad_month(e: _Error) -> Diagnostic:
    hint = "write months as YYYY-MM, e.g. 2026-11"
    return at(e.lf, "QA104", e.loc, f"{e.where}: {e.msg}", hint)


def _out_of_bounds(e: _Error) -> Diagnostic:
    msg = e.msg.removeprefix("Value error, ")
    return at(e.lf, "QA109", e.loc, f"{e.where}: {msg}", None)


_MAPPING = "a mapping (indented `key: value` lines)"
# The kind of value a type error expected, by pydantic's error type.
_EXPECTED = {
    "list_type": "a list (lines starting with `- `)",
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _wrong_type(e: _Error) -> Diagnostic:
    kind = _EXPECTED.get(e.etype)
    what = f"{e.where}: expected {kind}, found {_shown(e.value)}" if kind else f"{e.where}: {e.msg}"
    return at(e.lf, "QA103", e.loc, what, _quote_hint(e.value))


_BOUNDS = (
    "too_short",
    "too_long",
    "greater_than_equal",
    "less_than_equal",
    "greater_than",
    "less_than",
    "value_error",
    "assertion_error",
)
# One handler per pydantic error type; other ``qa_date*`` types are bad dates, the rest are
# type errors (QA103).
_HANDLERS: dict[str, Callable[[_Error], Diagnostic]] = {
    "extra_forbidden": _extra_key,
    "missing": _missing_key,
    "qa_date_range": _date_range,
    "qa_rel_path": _rel_path,
    "literal_error": _not_allowed,
    "enum": _not_allowed,
    "string_pattern_mismatch": _bad_form,
    "qa_text_type": _not_text,
    "string_type": _not_text,
    "qa_month": _bad_month,
    **dict.fromkeys(_BOUNDS, _out_of_bounds),
}


def _from_pydantic(lf: LoadedFile, err: dict[str, Any]) -> Diagnostic:
    loc = _clean_loc(lf, tuple(err["loc"]))
    etype = err["type"]
    e = _Error(
        lf, loc, etype, err.get("input"), _path_text(loc), err.get("msg", ""), err.get("ctx", {})
    )
    handler = _HANDLERS.get(etype) or (_bad_date if etype.startswith("qa_date") else _wrong_type)
    return handler(e)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return masked(value)
