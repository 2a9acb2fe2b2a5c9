"""Collation: loaded returns into report data (plain objects, no rendering).

A return counts towards grades once it is returned (``returned``, ``qa_review`` or
``closed``) and has an overall grade. The grade counted is the *moderated* grade: the QA
review's agreed grade where there is one, otherwise the auditor's. Agreement between auditor
and moderator is measured separately, on the returns that had a QA review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..answers import is_blank, split_answer
from ..models.audit import Action, AuditReturn
from ..models.common import BELOW_GOOD, GRADE_NAMES, GRADE_RANK, GRADES
from ..models.tool import Tool
from ..repository import Repository
from ..stats import Agreement, Change, Share, agreement, change, share

COUNTED = ("returned", "qa_review", "closed")
GOOD_OR_BETTER = frozenset({"outstanding", "good"})
BY = ("team", "service", "tool", "auditor", "month", "question")
_MONTH_DIR = re.compile(r"^(?:audits|themed)/(\d{4}-\d{2})(?:/|-)")


@dataclass(frozen=True)
class AnswerRec:
    question: str
    text: str
    type: str
    section: str
    line_of_enquiry: str | None
    value: Any
    comment: str | None
    no_is_concern: bool = False  # the tool asks for an explanation of a "no"


@dataclass
class AuditRec:
    """One audit return, flattened for collation."""

    path: str
    month: str
    audit: AuditReturn
    tool: Tool | None
    tool_kind: str | None
    service: str | None
    answers: list[AnswerRec] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.audit.status in COUNTED and self.audit.overall_grade is not None

    @property
    def grade(self) -> str | None:
        """The moderated grade: the QA review's agreed grade, else the auditor's."""
        a = self.audit
        if a.qa_review is not None:
            return a.qa_review.agreed_grade
        return a.overall_grade


def month_of(rel: str, audit: AuditReturn) -> str:
    """The programme month of a return: its folder (audits/2026-10/), else its allocation."""
    return month_of_path(rel, audit.allocated.isoformat())


def month_of_path(rel: str, allocated: str) -> str:
    """:func:`month_of` from the return's path and its ISO allocation date."""
    m = _MONTH_DIR.match(rel)
    return m[1] if m else allocated[:7]


def _flatten(audit: AuditReturn, tool: Tool | None) -> list[AnswerRec]:
    if tool is None:
        return []
    out = []
    for section in tool.sections:
        for q in section.questions:
            raw = audit.answers.get(q.id)
            if raw is None:
                continue
            value, comment, _ = split_answer(q, raw)
            if is_blank(value) and not comment:
                continue
            out.append(
                AnswerRec(
                    q.id,
                    q.text,
                    q.type,
                    section.title,
                    q.line_of_enquiry or section.line_of_enquiry,
                    value,
                    comment if isinstance(comment, str) else None,
                    "no" in q.comment_triggers(),
                )
            )
    return out


def collect(
    repo: Repository, *, kinds: Iterable[str] | None = None, answers: bool = True
) -> list[AuditRec]:
    """Every valid audit return (``qa/audit``), optionally only of the given tool kinds.

    Without ``answers`` the records' answers are left empty (:func:`answers_of` makes them
    one record at a time: at 50,000 returns, all of them at once take some 2 GB)."""
    wanted = set(kinds) if kinds is not None else None
    teams = repo.config.team_by_id() if repo.config else {}
    out: list[AuditRec] = []
    for lf, audit in repo.audits():
        tool = repo.tools.get(audit.tool)
        kind = tool.kind if tool else None
        if wanted is not None and kind not in wanted:
            continue
        team = teams.get(audit.team)
        out.append(
            AuditRec(
                path=lf.rel,
                month=month_of(lf.rel, audit),
                audit=audit,
                tool=tool,
                tool_kind=kind,
                service=team.service if team else None,
                answers=_flatten(audit, tool) if answers else [],
            )
        )
    out += _summarised(repo, wanted, teams)
    out.sort(key=lambda r: (r.month, r.path))
    return out


def answers_of(rec: AuditRec) -> list[AnswerRec]:
    """The answers of a return, as :func:`collect` gives them."""
    return _flatten(rec.audit, rec.tool)


def _summarised(repo: Repository, wanted: set[str] | None, teams: dict[str, Any]) -> list[AuditRec]:
    """The returns a report did not load (other months'), from their summaries: enough for
    grades, moderation and re-audits, never answers (:mod:`qa_cli.reports.loading`)."""
    from .loading import audit_of

    out = []
    for rel, s in repo.summaries.items():
        audit = audit_of(s)
        tool = repo.tools.get(audit.tool)
        kind = tool.kind if tool else None
        if wanted is not None and kind not in wanted:
            continue
        team = teams.get(audit.team)
        service = team.service if team else None
        out.append(AuditRec(rel, month_of_path(rel, s["allocated"]), audit, tool, kind, service))
    return out


def invalid_files(repo: Repository) -> list[str]:
    """Files that could not be read as a valid model: left out of every report."""
    return [
        f.rel for f in repo.files if f.model is None and (f.problem or f.schema_problem or f.errors)
    ]


# --- grade tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    key: str
    label: str
    n: int
    counts: dict[str, int]
    good_or_better: Share

    @property
    def shares(self) -> dict[str, float | None]:
        return {g: (self.counts[g] / self.n if self.n else None) for g in GRADES}


def grade_row(key: str, label: str, grades: Sequence[str | None]) -> GradeRow:
    counts = {g: sum(1 for x in grades if x == g) for g in GRADES}
    good = sum(1 for x in grades if x in GOOD_OR_BETTER)
    return GradeRow(key, label, len(grades), counts, share(good, len(grades)))


def grades_by_group(
    recs: Iterable[AuditRec],
    keys: Callable[[AuditRec], Iterable[str]],
    label: Callable[[str], str] = str,
) -> list[GradeRow]:
    """One row per key (a record may fall under several keys, e.g. each auditor of a pair)."""
    groups: dict[str, list[str]] = {}
    for r in recs:
        if not r.counted or r.grade is None:
            continue
        for k in keys(r):
            groups.setdefault(k, []).append(r.grade)
    return [grade_row(k, label(k), groups[k]) for k in sorted(groups)]


def question_table(recs: Iterable[AuditRec]) -> list[GradeRow]:
    """Grade questions (sections' judgements) with the grades given to each."""
    groups: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for r in recs:
        if not r.counted:
            continue
        for a in r.answers:
            if a.type == "grade" and a.value in GRADES:
                groups.setdefault(a.question, []).append(a.value)
                labels.setdefault(a.question, a.text)
    return [grade_row(k, labels[k], v) for k, v in sorted(groups.items())]


def table_by(recs: Sequence[AuditRec], by: str, repo: Repository) -> list[GradeRow]:
    """The grade table for one of :data:`BY`."""
    cfg = repo.config
    teams = cfg.team_by_id() if cfg else {}
    services = {s.id: s.name for s in cfg.services} if cfg else {}
    staff = cfg.staff_by_id() if cfg else {}
    if by == "team":
        return grades_by_group(recs, lambda r: [r.audit.team], lambda k: _name(teams.get(k), k))
    if by == "service":
        return grades_by_group(
            recs, lambda r: [r.service or "(unknown)"], lambda k: services.get(k, k)
        )
    if by == "tool":
        return grades_by_group(recs, lambda r: [r.audit.tool], lambda k: _tool_title(repo, k))
    if by == "auditor":
        return grades_by_group(recs, lambda r: r.audit.auditors, lambda k: _name(staff.get(k), k))
    if by == "month":
        return grades_by_group(recs, lambda r: [r.month])
    if by == "question":
        return question_table(recs)
    raise ValueError(f"unknown grouping {by!r}")


def _name(obj: Any, default: str) -> str:
    return getattr(obj, "name", None) or default


def _tool_title(repo: Repository, ref: str) -> str:
    tool = repo.tools.get(ref)
    return tool.title if tool else ref


# --- trend ----------------------------------------------------------------------------------


def shift_month(month: str, delta: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    index = y * 12 + (m - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    out = []
    m = first
    while m <= last:
        out.append(m)
        m = shift_month(m, 1)
    return out


@dataclass(frozen=True)
class Trend:
    month: str
    months: list[GradeRow]  # the six months to ``month``, oldest first
    previous: Change  # this month against the previous month
    rolling: Change  # this month against the six months before it, pooled


def _good(recs: Iterable[AuditRec]) -> Share:
    grades = [r.grade for r in recs if r.counted]
    return share(sum(1 for g in grades if g in GOOD_OR_BETTER), len(grades))


def period_key(by: str) -> Callable[[AuditRec], str | None]:
    """The month a return belongs to: its sample month (``sample``) or the month it was
    completed (``completed``; None while not completed)."""
    if by == "completed":
        return lambda r: r.audit.completed.strftime("%Y-%m") if r.audit.completed else None
    if by == "sample":
        return lambda r: r.month
    raise ValueError(f"unknown period basis {by!r}")


def trend(
    recs: Sequence[AuditRec],
    month: str,
    key: Callable[[AuditRec], str | None] = lambda r: r.month,
) -> Trend:
    window = months_between(shift_month(month, -5), month)
    rows = [grade_row(m, m, [r.grade for r in recs if key(r) == m and r.counted]) for m in window]
    this = _good(r for r in recs if key(r) == month)
    prev = _good(r for r in recs if key(r) == shift_month(month, -1))
    six = set(months_between(shift_month(month, -6), shift_month(month, -1)))
    before = _good(r for r in recs if key(r) in six)
    return Trend(month, rows, change(this, prev), change(this, before))


def honest_change(c: Change, min_n: int) -> dict[str, Any]:
    """A change as report data, withheld when either period has fewer than ``min_n`` returns.

    With a handful of returns a month, "-60 points" is noise that reads like news: below the
    threshold the report says "too few returns to compare" and gives no figure.
    """
    from . import plain

    out: dict[str, Any] = plain(c)
    too_few = c.this.n < min_n or c.before.n < min_n
    out.update(too_few=too_few, min_n=min_n)
    if too_few:
        out.update(diff=None, low=None, high=None, clear=False)
        out["direction"] = "too few returns to compare"
    return out


# --- themes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionTheme:
    question: str
    text: str
    line_of_enquiry: str | None
    no: int
    answered: int
    comments: list[str]

    @property
    def share(self) -> float:
        return self.no / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class EnquiryTheme:
    line_of_enquiry: str
    text: str
    below_good: int
    graded: int
    no: int
    answered: int


def question_themes(recs: Iterable[AuditRec], limit: int = 8) -> list[QuestionTheme]:
    """Closed questions most often answered "no", with the auditors' comments as evidence.

    Only questions whose tool asks for an explanation of a "no" (``comment_required_if: no``)
    count: for others ("Is the child placed out of area?") "no" is not a shortfall.
    """
    seen: dict[str, dict[str, Any]] = {}
    for r in recs:
        if not r.counted:
            continue
        for a in r.answers:
            if a.type not in ("yes_no", "yes_no_na", "check") or a.value not in ("yes", "no"):
                continue
            if not a.no_is_concern:  # "no" is a finding only where the tool asks why
                continue
            s = seen.setdefault(
                a.question,
                {"text": a.text, "loe": a.line_of_enquiry, "no": 0, "n": 0, "comments": []},
            )
            s["n"] += 1
            if a.value == "no":
                s["no"] += 1
                if a.comment and a.comment not in s["comments"]:
                    s["comments"].append(a.comment)
    themes = [
        QuestionTheme(q, s["text"], s["loe"], s["no"], s["n"], s["comments"][:3])
        for q, s in seen.items()
        if s["no"]
    ]
    themes.sort(key=lambda t: (-t.no, -t.share, t.question))
    return themes[:limit]


def enquiry_themes(recs: Iterable[AuditRec], tools: dict[str, Tool]) -> list[EnquiryTheme]:
    """Key lines of enquiry (§5.1) by grade questions below Good and "no" answers.

    Each line is labelled with the text of the return's own tool: two tools may use one id
    for different wording (the looked-after tool's management oversight line also covers
    children placed out of area), and a safeguarding case must not carry the other's label.
    """
    del tools  # the labels come from each return's own tool
    acc: dict[tuple[str, str], list[int]] = {}
    for r in recs:
        if not r.counted:
            continue
        texts = {loe.id: loe.text for loe in r.tool.lines_of_enquiry} if r.tool else {}
        for a in r.answers:
            if not a.line_of_enquiry:
                continue
            key = (a.line_of_enquiry, texts.get(a.line_of_enquiry, a.line_of_enquiry))
            s = acc.setdefault(key, [0, 0, 0, 0])
            if a.type == "grade" and a.value in GRADES:
                s[1] += 1
                s[0] += a.value in BELOW_GOOD
            elif a.value in ("yes", "no") and a.no_is_concern:
                s[3] += 1
                s[2] += a.value == "no"
    out = [EnquiryTheme(k[0], k[1], v[0], v[1], v[2], v[3]) for k, v in acc.items() if v[0] or v[2]]
    out.sort(key=lambda e: (-e.below_good, -e.no, e.line_of_enquiry, e.text))
    return out


def excerpts(recs: Iterable[AuditRec], limit: int = 6, width: int = 160) -> list[dict[str, str]]:
    """Short excerpts of ``areas_for_improvement``: the first point of each, lowest grades first."""
    out = []
    ordered = sorted(
        (r for r in recs if r.counted and r.audit.areas_for_improvement),
        key=lambda r: (GRADE_RANK.get(r.grade or "", 9), r.path),
    )
    for r in ordered:
        text = first_point(r.audit.areas_for_improvement or "", width)
        if text:
            out.append(
                {"case": r.audit.case, "team": r.audit.team, "grade": r.grade or "", "text": text}
            )
        if len(out) >= limit:
            break
    return out


def first_point(text: str, width: int = 160) -> str:
    """The first bullet (or sentence block) of a free-text answer, on one line, shortened."""
    points: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if points:
                break
            continue
        if s[:2] in ("- ", "* ") and points:
            break
        points.append(s[2:] if s[:2] in ("- ", "* ") else s)
    one = " ".join(points)
    return one if len(one) <= width else one[: width - 1].rsplit(" ", 1)[0] + "…"


# --- agreement after moderation -------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    auditor: str
    name: str
    n: int
    agreed: int
    higher: int  # the auditor graded higher (more generously) than moderation
    lower: int  # the auditor graded lower (more harshly)
    mean_difference: float  # in grade steps, auditor minus moderator

    @property
    def direction(self) -> str:
        if self.mean_difference > 0:
            return "more generous"
        if self.mean_difference < 0:
            return "harsher"
        return "in line"


@dataclass(frozen=True)
class Moderation:
    agreement: Agreement
    drift: list[Drift]
    changed: list[dict[str, str]]  # returns whose grade moderation moved


def moderation(recs: Iterable[AuditRec], staff_names: dict[str, str]) -> Moderation:
    pairs: list[tuple[int, int]] = []
    per: dict[str, list[int]] = {}
    changed = []
    for r in recs:
        a = r.audit
        if a.qa_review is None or a.overall_grade is None:
            continue
        mine, theirs = GRADE_RANK[a.overall_grade], GRADE_RANK[a.qa_review.agreed_grade]
        pairs.append((mine - 1, theirs - 1))
        for who in a.auditors:
            per.setdefault(who, []).append(mine - theirs)
        if mine != theirs:
            changed.append(
                {
                    "case": a.case,
                    "team": a.team,
                    "auditor_grade": a.overall_grade,
                    "agreed_grade": a.qa_review.agreed_grade,
                    "reviewer": a.qa_review.reviewer,
                }
            )
    drift = [
        Drift(
            who,
            staff_names.get(who, who),
            len(d),
            sum(1 for x in d if x == 0),
            sum(1 for x in d if x > 0),
            sum(1 for x in d if x < 0),
            sum(d) / len(d),
        )
        for who, d in sorted(per.items())
    ]
    drift.sort(key=lambda x: (-abs(x.mean_difference), x.auditor))
    return Moderation(agreement(pairs, len(GRADES)), drift, changed)


# --- actions --------------------------------------------------------------------------------


def action_rows(recs: Iterable[AuditRec], today: dt.date) -> list[dict[str, Any]]:
    """Every action of the given returns with whether it is overdue on ``today``."""
    out = []
    for r in recs:
        for act in r.audit.actions:
            out.append(action_row(act, today, case=r.audit.case, team=r.audit.team, path=r.path))
    return out


def action_row(act: Action, today: dt.date, **extra: Any) -> dict[str, Any]:
    overdue = act.status == "open" and act.due < today
    return {
        **extra,
        "id": act.id,
        "action": act.action,
        "owner": act.owner,
        "due": act.due.isoformat(),
        "status": act.status,
        "overdue": overdue,
        "days_overdue": (today - act.due).days if overdue else 0,
    }


def grade_name(grade: str | None) -> str:
    return GRADE_NAMES.get(grade or "", "")
