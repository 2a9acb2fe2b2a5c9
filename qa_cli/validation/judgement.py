"""Ofsted's limiting judgement (QA451): the overall grade is no better than the worst
graded section of a key line of enquiry.

The framework grades with "the Ofsted grading system" (§5.2.2), and each section of the
single-agency tools is a key line of enquiry (§5.1) with its own grade. In Ofsted's
practice a weakness in one key judgement limits the overall one: a case whose assessment
and risk management requires improvement is not, overall, good or outstanding. A warning by
default (an auditor may have a reason, which belongs in the return); `qa.yaml`
``validation.limiting_judgement: error`` makes it an error.
"""

from __future__ import annotations

from dataclasses import replace

from ..answers import split_answer
from ..models.audit import AuditReturn
from ..models.common import GRADE_NAMES, GRADE_RANK
from ..models.tool import Section, Tool
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import at


def section_grades(tool: Tool, answers: dict[str, object]) -> list[tuple[Section, str, str]]:
    """(section, grade question id, grade) for each graded section of a line of enquiry."""
    out: list[tuple[Section, str, str]] = []
    for section in tool.sections:
        if section.line_of_enquiry is None:
            continue
        for q in section.questions:
            if q.type != "grade":
                continue
            value, _, _ = split_answer(q, answers.get(q.id))
            if isinstance(value, str) and value in GRADE_RANK:
                out.append((section, q.id, value))
    return out


def limiting_judgement(lf: LoadedFile, m: AuditReturn, tool: Tool) -> Diagnostic | None:
    """QA451 when the overall grade is better than the worst section grade, else None."""
    overall = m.overall_grade
    if overall is None or not isinstance(m.answers, dict):
        return None
    graded = section_grades(tool, m.answers)
    if not graded:
        return None
    section, qid, worst = min(graded, key=lambda g: GRADE_RANK[g[2]])
    if GRADE_RANK[overall] <= GRADE_RANK[worst]:
        return None
    return at(
        lf,
        "QA451",
        ["overall_grade"],
        f"the overall grade {GRADE_NAMES[overall]} is better than the grade of the section "
        f"'{section.title}' ({GRADE_NAMES[worst]}, `{qid}`): Ofsted's limiting judgement "
        "keeps the overall grade no better than the weakest key line of enquiry",
        f"grade the audit `{worst}` overall, or check the grade of '{section.title}'",
    )


def check_limiting_judgement(repo: Repository, files: list[LoadedFile]) -> list[Diagnostic]:
    config = repo.config_or_none
    as_error = config is not None and config.validation.limiting_judgement == "error"
    out: list[Diagnostic] = []
    for lf in files:
        m = lf.checkable
        if not isinstance(m, AuditReturn) or m.tool is None:
            continue
        tool = repo.tools.get(m.tool)
        found = limiting_judgement(lf, m, tool) if tool is not None else None
        if found is not None:
            out.append(replace(found, severity="error") if as_error else found)
    return out
