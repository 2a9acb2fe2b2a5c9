"""Checks of audit tools and of qa.yaml itself (ids, references inside the file)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..masking import masked
from ..models.config import Config
from ..models.tool import CLOSED_ANSWERS, Question, Tool
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import at


def possible_answers(q: Question) -> list[str] | None:
    """The answers a question can have, or None when it is open (text, number...)."""
    if q.type in CLOSED_ANSWERS:
        return list(CLOSED_ANSWERS[q.type])
    if q.type in ("choice", "multi_choice"):
        return list(q.options or [])
    return None


def duplicate_ids(
    lf: LoadedFile, items: Iterable[tuple[Any, list[str | int]]], what: str, code: str = "QA108"
) -> list[Diagnostic]:
    seen: dict[Any, list[str | int]] = {}
    out: list[Diagnostic] = []
    for ident, loc in items:
        if ident in seen:
            line, _ = lf.pos(seen[ident])
            out.append(
                at(
                    lf,
                    code,
                    loc,
                    f"{what} `{ident}` is used twice (first at line {line})",
                    f"give each {what} its own entry",
                )
            )
        else:
            seen[ident] = loc
    return out


def _impossible(
    lf: LoadedFile, code: str, loc: list[str | int], q: Question, answers: list[str]
) -> list[Diagnostic]:
    """An answer named (in a follow-up's or a comment's condition) that ``q`` cannot have."""
    possible = possible_answers(q)
    if possible is None:
        return []
    return [
        at(
            lf,
            code,
            loc,
            f"`{q.id}` cannot be answered {masked(a)}",
            "possible answers: " + ", ".join(possible),
        )
        for a in answers
        if a not in possible
    ]


def _follow_up(
    lf: LoadedFile,
    q: Question,
    loc: list[str | int],
    questions: dict[str, Question],
    order: dict[str, int],
) -> list[Diagnostic]:
    """A follow-up (``applies_if``) names an earlier question, by an answer it can have."""
    if q.applies_if is None:
        return []
    base = questions.get(q.applies_if.question)
    if base is None or order[base.id] >= order[q.id]:
        what = "is not a question of this tool" if base is None else "comes after it"
        return [
            at(
                lf,
                "QA201",
                [*loc, "applies_if", "question"],
                f"`{q.id}` depends on `{q.applies_if.question}`, which {what}",
                "a follow-up may only name an earlier question of the same tool",
            )
        ]
    where: list[str | int] = [*loc, "applies_if", "answer"]
    return _impossible(lf, "QA201", where, base, q.applies_if.answers())


def _ids(lf: LoadedFile, tool: Tool) -> tuple[list[Diagnostic], dict[str, int]]:
    """Section and question ids used twice, and each question's place in the tool."""
    q_items: list[tuple[str, list[str | int]]] = []
    order: dict[str, int] = {}
    for si, section in enumerate(tool.sections):
        for qi, q in enumerate(section.questions):
            q_items.append((q.id, ["sections", si, "questions", qi, "id"]))
            order.setdefault(q.id, len(order))
    sections: list[tuple[str, list[str | int]]] = [
        (s.id, ["sections", i, "id"]) for i, s in enumerate(tool.sections)
    ]
    out = duplicate_ids(lf, sections, "section id")
    out += duplicate_ids(lf, q_items, "question id")
    return out, order


def check_tool(lf: LoadedFile, tool: Tool, toolkit: dict[str, Tool]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if lf.path.stem not in (tool.id, tool.ref):
        out.append(
            at(
                lf,
                "QA203",
                ["id"],
                f"the tool `{tool.ref}` is in a file named {lf.path.name}",
                f"rename the file to {tool.id}.yaml (or {tool.ref}.yaml for an older version)",
            )
        )
    dups, order = _ids(lf, tool)
    out += dups
    questions = tool.questions()
    for si, section in enumerate(tool.sections):
        for qi, q in enumerate(section.questions):
            loc: list[str | int] = ["sections", si, "questions", qi]
            out += _follow_up(lf, q, loc, questions, order)
            where: list[str | int] = [*loc, "comment_required_if"]
            out += _impossible(lf, "QA202", where, q, q.comment_triggers())
    shipped = toolkit.get(tool.ref)
    if shipped is not None and shipped.model_dump() != tool.model_dump():
        out.append(
            at(
                lf,
                "QA204",
                ["version"],
                f"{tool.ref} differs from the published {tool.ref} of the toolkit",
                f"a published version never changes: give your edited tool `version: "
                f"{tool.version + 1}` (returns already written keep pointing at the old one)",
            )
        )
    return out


def check_tools(repo: Repository, selected: list[LoadedFile]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    first: dict[str, LoadedFile] = {}
    for lf in repo.of_kind("qa/tool"):
        tool = lf.model
        assert isinstance(tool, Tool)
        if tool.ref in first and lf in selected:
            line, _ = first[tool.ref].pos(["id"])
            out.append(
                at(
                    lf,
                    "QA205",
                    ["version"],
                    f"{tool.ref} is also defined in {first[tool.ref].rel} (line {line})",
                    "keep one file per tool version",
                )
            )
        first.setdefault(tool.ref, lf)
        if lf in selected:  # the toolkit's own tools are read only to check a tool
            out += check_tool(lf, tool, load_toolkit_tools())
    return out


_TOOLKIT: dict[str, Tool] | None = None


def load_toolkit_tools() -> dict[str, Tool]:
    """The toolkit's own published tools, by reference (loaded once)."""
    global _TOOLKIT
    if _TOOLKIT is None:
        from .. import yamlio
        from ..resources import toolkit_dir

        out: dict[str, Tool] = {}
        try:
            folder = toolkit_dir("audit_tools")
        except FileNotFoundError:
            folder = None
        if folder is not None:
            for p in sorted(folder.glob("*.yaml")):
                data = yamlio.load_fast(p.read_bytes())
                if isinstance(data, dict):
                    try:
                        t = Tool.model_validate(data)
                    except Exception:
                        continue
                    out[t.ref] = t
        _TOOLKIT = out
    return _TOOLKIT


def check_config(lf: LoadedFile, config: Config) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out += duplicate_ids(
        lf, [(s.id, ["services", i, "id"]) for i, s in enumerate(config.services)], "service id"
    )
    out += duplicate_ids(
        lf, [(t.id, ["teams", i, "id"]) for i, t in enumerate(config.teams)], "team id"
    )
    out += duplicate_ids(
        lf, [(s.id, ["staff", i, "id"]) for i, s in enumerate(config.staff)], "staff id"
    )
    out += duplicate_ids(
        lf, [(a.id, ["agencies", i, "id"]) for i, a in enumerate(config.agencies)], "agency id"
    )
    services = {s.id for s in config.services}
    teams = {t.id for t in config.teams}
    staff = {s.id for s in config.staff}
    agencies = {a.id for a in config.agencies}
    for i, t in enumerate(config.teams):
        if t.service not in services:
            out.append(
                _unknown(lf, "QA411", ["teams", i, "service"], "service", t.service, services)
            )
        if t.manager is not None and t.manager not in staff:
            out.append(_unknown(lf, "QA401", ["teams", i, "manager"], "staff id", t.manager, staff))
    for i, s in enumerate(config.staff):
        if s.team is not None and s.team not in teams:
            out.append(_unknown(lf, "QA402", ["staff", i, "team"], "team", s.team, teams))
        for j, e in enumerate(s.expertise):
            if e not in services:
                out.append(
                    _unknown(lf, "QA411", ["staff", i, "expertise", j], "service", e, services)
                )
        if s.agency is not None and s.agency not in agencies:
            out.append(_unknown(lf, "QA411", ["staff", i, "agency"], "agency", s.agency, agencies))
    for i, pair in enumerate(config.programmes.single_agency.pairs):
        for role in ("service_manager", "team_manager"):
            sid = getattr(pair, role)
            if sid not in staff:
                out.append(
                    _unknown(
                        lf,
                        "QA401",
                        ["programmes", "single_agency", "pairs", i, role],
                        "staff id",
                        sid,
                        staff,
                    )
                )
    return out


def _unknown(
    lf: LoadedFile, code: str, loc: list[str | int], what: str, value: str, known: set[str]
) -> Diagnostic:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f"did you mean `{close[0]}`?" if close else f"add it to qa.yaml, or check the {what}"
    return at(lf, code, loc, f"{masked(value)} is not a {what} in qa.yaml", hint)
