"""The sample file of a month: plan a draw, write it with its blank returns, verify, top up.

This is the repository side of sampling. The draw itself is :mod:`qa_cli.draw` (a pure
function of the case list, the rules, the seed and the history it reads); its rules come
from qa.yaml through :mod:`qa_cli.sample_rules`. What the draw reads from the repository
(:class:`DrawInputs`) is recorded in the sample file with the rules, the seed and the case
list's SHA-256, so ``qa sample --verify`` re-draws a month from its file alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import layout
from .caselist import CaseRow
from .draw import (
    ALGORITHM,
    REASON_BSC,
    REASON_NO_WORKER,
    REASON_REAUDIT,
    Drawn,
    DrawResult,
    DrawRules,
    Taker,
    draw,
    reason_audited,
    sample_seed,
)
from .models.audit import AuditReturn
from .models.crib_sheet import CribSheet
from .models.multi_agency import MultiAgencyScope
from .sample_rules import PROGRAMMES, allocation_date, build_rules, month_due

if TYPE_CHECKING:
    from .blank import Whose
    from .models.sample import Sample
    from .models.tool import Tool
    from .repository import LoadedFile, Repository

__all__ = [
    "ALGORITHM",
    "PROGRAMMES",
    "REASON_BSC",
    "REASON_NO_WORKER",
    "REASON_REAUDIT",
    "DrawInputs",
    "DrawResult",
    "DrawRules",
    "Drawn",
    "Taker",
    "allocation_date",
    "build_rules",
    "sample_seed",
    "draw",
    "month_due",
    "DrawOptions",
    "plan_sample",
    "reason_audited",
    "verify_sample",
    "write_plan",
]


def sample_rel(month: str, programme: str) -> str:
    return layout.sample_path(month, programme)


# --- the repository side: history, re-audits, the sample file and its returns ---------------


def _audit_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return ((m.case, m.allocated) for m in repo.models(AuditReturn))


def _crib_sheet_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return ((m.case, month_start(m.month)) for m in repo.models(CribSheet))


def _multi_agency_dates(repo: Repository) -> Iterable[tuple[str, dt.date | None]]:
    return (
        (c, m.pre_meeting or m.returns_due) for m in repo.models(MultiAgencyScope) for c in m.cases
    )


# Where each programme's earlier audits are, as (case, date) pairs, besides its samples.
AUDIT_DATES: dict[str, Callable[[Repository], Iterable[tuple[str, dt.date | None]]]] = {
    "single-agency": _audit_dates,
    "crib-sheet": _crib_sheet_dates,
    "multi-agency": _multi_agency_dates,
}


def month_start(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def history(repo: Repository, programme: str, before: dt.date) -> dict[str, dt.date]:
    """case -> when it was last audited in this programme, counting only what came before."""
    dates: list[tuple[str, dt.date | None]] = [
        (a.case, a.allocated)
        for (_, prog), sample in repo.samples.items()
        if prog == programme
        for a in sample.allocations
    ]
    dates += AUDIT_DATES[programme](repo) if programme in AUDIT_DATES else []
    out: dict[str, dt.date] = {}
    for case, when in dates:
        if when is not None and when < before and (case not in out or out[case] < when):
            out[case] = when
    return out


def reaudits_due(repo: Repository, month: str, before: dt.date) -> list[str]:
    """Cases whose action plan set a re-audit date in the month (or earlier, not yet done)."""
    from .calendar import month_end

    last = month_end(month)
    audited: dict[str, list[dt.date]] = {}
    for _, m in repo.audits():
        if m.allocated < before:
            audited.setdefault(m.case, []).append(m.allocated)
    due: set[str] = set()
    for _, m in repo.audits():
        if m.allocated >= before:
            continue
        for a in m.actions:
            if a.re_audit is None or a.re_audit > last:
                continue
            later = [d for d in audited.get(m.case, []) if d > m.allocated]
            if not later:
                due.add(m.case)
    return sorted(due)


@dataclass(frozen=True)
class DrawInputs:
    """What a draw reads from the repository besides the case list; recorded in the sample.

    ``audited``: the case list's cases audited within the exclusion window, with their last
    audit (the only history the draw looks at); ``re_audits``: the cases whose re-audit falls
    due. ``qa sample --verify`` re-draws from these as recorded, so a later audit or a
    ``re_audit:`` date added to an earlier return does not make a correct month fail.
    """

    audited: dict[str, dt.date]
    re_audits: list[str]

    @classmethod
    def read(cls, repo: Repository, rules: DrawRules, cases: Iterable[CaseRow]) -> DrawInputs:
        """The inputs as the repository holds them now (for a new draw)."""
        from .calendar import add_months

        audited: dict[str, dt.date] = {}
        if rules.exclude_audited_within_months:
            window_start = add_months(rules.allocated, -rules.exclude_audited_within_months)
            on_list = {c.case for c in cases}
            last = history(repo, rules.programme, rules.allocated)
            audited = {c: d for c, d in sorted(last.items()) if c in on_list and d > window_start}
        re_audits = (
            reaudits_due(repo, rules.month, rules.allocated)
            if rules.programme == "single-agency"
            else []
        )
        return cls(audited, re_audits)

    @classmethod
    def recorded(cls, sample: Sample) -> DrawInputs | None:
        """The inputs a sample file recorded; None for a sample drawn before they were."""
        if sample.history is None:
            return None
        return cls(dict(sample.history.audited), list(sample.history.re_audits))

    def render(self) -> list[str]:
        """The ``history:`` block of the sample file."""
        from .blank import comment, scalar

        lines = comment(
            "What the draw read from earlier audits, so that --verify needs nothing else: "
            "the cases audited within the exclusion window (last audit) and the re-audits "
            "that fell due."
        )
        lines.append("history:")
        lines.append("  audited:" if self.audited else "  audited: {}")
        lines += [f"    {case}: {day}" for case, day in self.audited.items()]
        lines.append(f"  re_audits: {scalar(self.re_audits)}")
        return lines


@dataclass
class SamplePlan:
    programme: str
    month: str
    rel: str
    text: str
    render_returns: Callable[[], list[tuple[str, str]]] = field(repr=False)
    result: DrawResult
    rules: DrawRules
    seed: int
    case_list: str
    case_list_sha256: str
    notes: list[str]

    @functools.cached_property
    def returns(self) -> list[tuple[str, str]]:
        """(path, text) of every blank return, made and checked when first asked for: a
        caller that only looks at the draw (to try another seed) does not pay for them."""
        return self.render_returns()


# Where an allocation's return goes, by programme (a multi-agency case: its audit's scope).
FILE_FOR: dict[str, Callable[[DrawRules, Drawn, str | None], str]] = {
    "single-agency": lambda r, d, _: layout.audit_path(r.month, d.case.case, d.tool.split("@")[0]),
    "crib-sheet": lambda r, d, _: layout.crib_sheet_path(r.month, d.case.team, d.case.case),
    "multi-agency": lambda r, d, audit_id: layout.multi_agency_scope_path(str(audit_id)),
}


def _file_for(rules: DrawRules, d: Drawn, audit_id: str | None) -> str:
    return FILE_FOR[rules.programme](rules, d, audit_id)


def _month_name(month: str) -> str:
    return month_start(month).strftime("%B %Y")


def _rules_lines(rules: DrawRules) -> list[str]:
    """The ``rules:`` block of the sample file: everything a re-draw needs from qa.yaml."""
    from .blank import scalar

    lines = ["rules:"]
    for k, v in rules.as_record().items():
        if k == "takers":
            lines.append("  takers:")
            for t in v:
                lines.append(f"    - auditors: {scalar(t['auditors'])}")
                lines.append(f"      teams: {scalar(t['teams'])}")
                lines.append(f"      cases: {t['cases']}")
        elif isinstance(v, dict) and not v:
            lines.append(f"  {k}: {{}}")
        elif isinstance(v, dict):
            lines.append(f"  {k}:")
            lines += [f"    {scalar(kk)}: {scalar(vv)}" for kk, vv in v.items()]
        else:
            lines.append(f"  {k}: {scalar(v)}")
    return lines


def render_sample(
    plan_head: dict[str, Any],
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    notes: list[str],
    inputs: DrawInputs,
) -> str:
    from .blank import comment, scalar

    title = {
        "single-agency": "Single-agency peer audit",
        "crib-sheet": "Crib sheet",
        "multi-agency": "Multi-agency baseline audit",
    }[rules.programme]
    lines = comment(
        f"{title} sample for {_month_name(rules.month)}, drawn by `qa sample` on "
        f"{plan_head['drawn']}. Anyone can re-draw it with `qa sample --verify {rules.month}"
        + ("" if rules.programme == "single-agency" else f" --programme {rules.programme}")
        + "`: the seed, the case list's SHA-256, the rules and the history below give the same "
        "allocations, so the sample was not hand-picked. Do not edit the allocations by hand."
    )
    lines.append("schema: qa/sample@1")
    for k in ("month", "programme", "drawn", "seed", "case_list", "case_list_sha256"):
        lines.append(f"{k}: {scalar(plan_head[k])}")
    lines += _rules_lines(rules)
    lines += inputs.render()
    lines.append("allocations:" if result.allocations else "allocations: []")
    for d, file in zip(result.allocations, files, strict=True):
        lines.append(f"  - case: {d.case.case}")
        lines.append(f"    team: {d.case.team}")
        lines.append(f"    category: {d.case.category}")
        lines.append(f"    tool: {d.tool}")
        lines.append(f"    auditors: {scalar(list(d.auditors))}")
        lines.append(f"    allocated: {rules.allocated}")
        lines.append(f"    due: {rules.due}")
        lines.append(f"    file: {scalar(file)}")
        if d.reason:
            lines.append(f"    reason: {scalar(d.reason)}")
    lines.append("excluded:" if result.excluded else "excluded: []")
    for case, reason in result.excluded:
        lines.append(f"  - case: {case}")
        lines.append(f"    reason: {scalar(reason)}")
    lines.append("notes:" if notes else "notes: []")
    for n in notes:
        lines.append(f"  - {scalar(n)}")
    return "\n".join(lines) + "\n"


@dataclass
class _Batch:
    """The allocations of one draw and where their returns go: what a return maker needs."""

    repo: Repository
    rules: DrawRules
    result: DrawResult
    files: list[str]
    audit_id: str | None

    @property
    def intro(self) -> list[str]:
        month = _month_name(self.rules.month)
        return [f"Drawn by `qa sample` for {month}; due {self.rules.due}."]


def _per_allocation(b: _Batch, make: Callable[[Tool, Drawn], str]) -> list[tuple[str, str]]:
    """One blank return per allocation, at the allocation's file."""
    return [
        (file, make(b.repo.tools[d.tool], d))
        for d, file in zip(b.result.allocations, b.files, strict=True)
    ]


def _whose(d: Drawn) -> Whose:
    """The drawn case, its team and its social worker, as the blank of a case takes them."""
    from .blank import Whose

    return Whose(d.case.case, d.case.team, d.case.worker)


def _audit_returns(b: _Batch) -> list[tuple[str, str]]:
    from .blank import audit_blank

    def make(tool: Tool, d: Drawn) -> str:
        return audit_blank(
            tool,
            _whose(d),
            auditors=list(d.auditors),
            allocated=b.rules.allocated,
            due=b.rules.due,
            intro=b.intro,
        )

    return _per_allocation(b, make)


def _crib_sheet_returns(b: _Batch) -> list[tuple[str, str]]:
    from .blank import crib_sheet_blank

    def make(tool: Tool, d: Drawn) -> str:
        # the pair is (Service Manager, Team Manager), as the crib-sheet rules build it
        return crib_sheet_blank(
            tool,
            _whose(d),
            month=b.rules.month,
            team_manager=d.auditors[1],
            service_manager=d.auditors[0],
            intro=b.intro,
        )

    return _per_allocation(b, make)


def _multi_agency_returns(b: _Batch) -> list[tuple[str, str]]:
    """The audit's scope.yaml, then one blank return per case and agency."""
    from .blank import agency_return_blank, scalar

    if not b.result.allocations:
        return []
    config, rules, audit_id = b.repo.config, b.rules, str(b.audit_id)
    staff = config.staff_by_id()
    tool = b.repo.tools[b.result.allocations[0].tool]
    leads = sorted(s.id for s in config.staff if "qa_lead" in s.roles) or sorted(staff)
    agencies = [(str(staff[a].agency), a) for a in rules.takers[0].auditors]
    scope = [
        "# Multi-agency baseline audit (App. E): drawn by `qa sample --programme multi-agency`.",
        "# Agree the terms of reference and dates at the pre-meeting (App. E 5).",
        "schema: qa/multi-agency@1",
        f"id: {audit_id}",
        f"title: {scalar('Baseline audit: ' + CATEGORY_TITLES.get(rules.cohort or '', ''))}",
        f"cohort: {rules.cohort}",
        f"lead: {leads[0]}",
        "terms_of_reference: To be agreed by the audit group at the pre-meeting (App. E 5).",
        f"tool: {tool.ref}",
        "agencies:",
        *[f"  - agency: {ag}\n    auditor: {a}" for ag, a in agencies],
        "cases:",
        *[f"  - {d.case.case}" for d in b.result.allocations],
        f"returns_due: {rules.due}",
    ]
    out = [(layout.multi_agency_scope_path(audit_id), "\n".join(scope) + "\n")]
    for d in b.result.allocations:
        for ag, a in agencies:
            text = agency_return_blank(tool, case=d.case.case, agency=ag, auditor=a, intro=b.intro)
            out.append((layout.agency_return_path(audit_id, d.case.case, ag), text))
    return out


# One maker of blank returns per programme (the files the sample's allocations point at).
RETURN_MAKERS: dict[str, Callable[[_Batch], list[tuple[str, str]]]] = {
    "single-agency": _audit_returns,
    "crib-sheet": _crib_sheet_returns,
    "multi-agency": _multi_agency_returns,
}


def _returns(
    repo: Repository,
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    audit_id: str | None,
) -> list[tuple[str, str]]:
    """(path, text) of every blank return of the allocations, each read back and checked."""
    from .blank import checked

    made = RETURN_MAKERS[rules.programme](_Batch(repo, rules, result, files, audit_id))
    return [(rel, checked(rel, text)) for rel, text in made]


CATEGORY_TITLES = {
    "CIN": "children in need",
    "CP": "children subject to a child protection plan",
    "CLA": "children looked after",
    "care_leaver": "care leavers",
    "early_help": "early help",
}


def _case_list(
    repo: Repository, cases: str | None, allocated: dt.date
) -> tuple[str, list[CaseRow], str]:
    from pathlib import Path

    from .caselist import newest_case_list, read_case_list

    if cases is None:
        path = newest_case_list(repo.root, allocated)
    else:
        path = Path(cases)
        if not path.is_absolute():
            path = (Path.cwd() / path) if path.exists() else (repo.root / path)
    try:
        rel = path.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        from .errors import QAError

        raise QAError(
            f"{path} is not inside the audit repository",
            "a sample is drawn from a case list of cases/ so anyone can re-draw it; import the "
            "export with `qa cases import` first",
        ) from None
    rows, sha = read_case_list(path, rel)
    return rel, rows, sha


@dataclass(frozen=True)
class DrawOptions:
    """The choices of `qa sample` beyond programme and month; None takes the default: the seed
    from the month and the case list's hash, the newest case list of cases/, the programme's
    cohort and number of cases, a multi-agency audit's id from its month and cohort."""

    seed: int | None = None
    cases: str | None = None
    cohort: str | None = None
    n_cases: int | None = None
    audit_id: str | None = None


def plan_sample(
    repo: Repository,
    programme: str,
    month: str,
    today: dt.date,
    options: DrawOptions | None = None,
) -> SamplePlan:
    """Draw a month's sample and render its file; its blank returns are made when first
    read (``plan.returns``). Nothing is written."""
    o = options or DrawOptions()
    allocated = allocation_date(month, today)
    rules, notes = build_rules(
        repo.config, repo.tools, programme, month, allocated, o.cohort, o.n_cases
    )
    rel_list, rows, sha = _case_list(repo, o.cases, allocated)
    seed = sample_seed(programme, month, sha) if o.seed is None else o.seed
    audit_id = o.audit_id
    if programme == "multi-agency" and audit_id is None:
        audit_id = f"{month}-{(rules.cohort or '').lower().replace('_', '-')}"
    inputs = DrawInputs.read(repo, rules, rows)
    result = draw(rows, rules, random.Random(seed), inputs.audited, inputs.re_audits)
    files = [_file_for(rules, d, audit_id) for d in result.allocations]
    all_notes = notes + result.notes
    head = {
        "month": month,
        "programme": programme,
        "drawn": today,
        "seed": seed,
        "case_list": rel_list,
        "case_list_sha256": sha,
    }
    text = render_sample(head, rules, result, files, all_notes, inputs)
    returns = functools.partial(_returns, repo, rules, result, files, audit_id)
    return SamplePlan(
        programme,
        month,
        sample_rel(month, programme),
        text,
        returns,
        result,
        rules,
        seed,
        rel_list,
        sha,
        all_notes,
    )


def write_plan(repo: Repository, plan: SamplePlan) -> list[str]:
    """Write the sample file, then each blank return; refuses if any of them exists."""
    from .errors import QAError

    existing = [
        rel for rel in [plan.rel] + [r for r, _ in plan.returns] if (repo.root / rel).exists()
    ]
    if existing:
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise QAError(
            f"{existing[0]} already exists"
            + (f" (with {', '.join(existing[1:5])}{more})" if len(existing) > 1 else "")
            + "; nothing was written",
            f"the month was drawn already: `qa sample --verify {plan.month}` checks it, "
            f"`qa sample --add --month {plan.month}` creates missing returns; never re-draw "
            "over returns auditors may have started",
            exit_code=1,
        )
    written = [str(repo.write_new(plan.rel, plan.text).relative_to(repo.root))]
    for rel, text in plan.returns:
        repo.write_new(rel, text)
        written.append(rel)
    return written


@dataclass
class Verification:
    ok: bool
    problems: list[str]
    checked: int
    top_ups: int
    # False for a sample drawn before its history was recorded: re-drawn from the
    # repository as it is now, so a later re-audit or audit can make it differ.
    from_record: bool = True


def _recorded(repo: Repository, month: str, programme: str) -> tuple[LoadedFile, Sample]:
    from .errors import QAError
    from .models.sample import Sample

    rel = sample_rel(month, programme)
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        raise QAError(
            f"there is no {rel}",
            f"draw the month first with `qa sample --month {month}`"
            + ("" if programme == "single-agency" else f" --programme {programme}"),
        )
    if not isinstance(lf.model, Sample):
        raise QAError(f"{rel} is not a valid sample file", f"run `qa validate {rel}` to see why")
    return lf, lf.model


def _recorded_rules(rel: str, s: Sample) -> DrawRules:
    """The rules a sample records; refuses a sample `qa sample` did not draw."""
    from .errors import QAError

    if s.rules.get("algorithm") != ALGORITHM:
        raise QAError(
            f"{rel} was not drawn by `qa sample` (its rules record no algorithm {ALGORITHM}), "
            "so it cannot be re-drawn",
            "samples drawn before qa, or by hand, can only be checked by reading them",
            exit_code=1,
        )
    try:
        return DrawRules.from_record(s.programme, s.month, s.rules)
    except (KeyError, TypeError, ValueError) as exc:
        raise QAError(
            f"{rel}: the recorded rules are incomplete ({exc})",
            "the rules block must stay as `qa sample` wrote it",
            exit_code=1,
        ) from None


def _recorded_case_list(repo: Repository, rel: str, s: Sample) -> tuple[list[CaseRow], str]:
    from .caselist import read_case_list
    from .errors import QAError

    if s.case_list is None:
        raise QAError(f"{rel} records no case list", "it cannot be re-drawn", exit_code=1)
    from .pathguard import inside

    path = inside(repo.root, s.case_list, f"{rel}: case_list")
    if not path.is_file():
        raise QAError(
            f"{rel} was drawn from {s.case_list}, which is not in the repository",
            "restore the case list from git history to verify the sample",
            exit_code=1,
        )
    return read_case_list(path, s.case_list)


_FIELDS = ("case", "team", "category", "tool", "auditors", "allocated", "due", "file", "reason")


def _compare_allocations(
    lf: LoadedFile, s: Sample, rules: DrawRules, result: DrawResult, files: list[str]
) -> tuple[list[str], int]:
    """Differences between the recorded allocations (top-ups aside) and the re-draw."""
    redrawn = [
        (d.case.case, d.case.team, d.case.category, d.tool, list(d.auditors))
        + (rules.allocated, rules.due, f, d.reason)
        for d, f in zip(result.allocations, files, strict=True)
    ]
    original = [a for a in s.allocations if not (a.reason or "").startswith("top-up")]
    recorded = [
        (a.case, a.team, a.category, a.tool, list(a.auditors), a.allocated, a.due, a.file, a.reason)
        for a in original
    ]
    problems: list[str] = []
    for n, (want, got) in enumerate(zip(redrawn, recorded, strict=False), start=1):
        if want != got:
            diffs = [
                f"{k} is {g!s} but the re-draw gives {w!s}"
                for k, w, g in zip(_FIELDS, want, got, strict=True)
                if w != g
            ]
            line = lf.pos(["allocations", s.allocations.index(original[n - 1])])[0]
            problems.append(f"{lf.rel}:{line}: allocation {n} ({got[0]}): " + "; ".join(diffs))
    if len(redrawn) != len(recorded):
        problems.append(
            f"{lf.rel}: {len(recorded)} allocations recorded, the re-draw gives {len(redrawn)}"
        )
    return problems, len(recorded)


def _compare_excluded(rel: str, s: Sample, result: DrawResult) -> list[str]:
    rec_excl = [(e.case, e.reason) for e in s.excluded]
    if rec_excl == result.excluded:
        return []
    extra = sorted(set(rec_excl) - set(result.excluded))
    gone = sorted(set(result.excluded) - set(rec_excl))
    return [
        f"{rel}: the excluded cases differ from the re-draw"
        + (f"; recorded but not re-drawn: {', '.join(c for c, _ in extra[:5])}" if extra else "")
        + (f"; re-drawn but not recorded: {', '.join(c for c, _ in gone[:5])}" if gone else "")
    ]


def verify_sample(repo: Repository, month: str, programme: str) -> Verification:
    """Re-draw a recorded sample from what it records; list every difference.

    The case list (checked against its SHA-256), the rules, the seed and the history the draw
    read are all in the sample file. A sample written before the history was recorded is
    re-drawn with the repository's history as it is now (``from_record`` is then False).
    """
    lf, s = _recorded(repo, month, programme)
    rules = _recorded_rules(lf.rel, s)
    rows, sha = _recorded_case_list(repo, lf.rel, s)
    problems: list[str] = []
    if sha != s.case_list_sha256:
        problems.append(
            f"{s.case_list} has changed since the draw (its SHA-256 is {sha[:12]}..., "
            f"the sample records {str(s.case_list_sha256)[:12]}...)"
        )
    audit_id = None
    if programme == "multi-agency" and s.allocations:
        audit_id = s.allocations[0].file.split("/")[1]
    recorded = DrawInputs.recorded(s)
    inputs = recorded or DrawInputs.read(repo, rules, rows)
    result = draw(rows, rules, random.Random(s.seed), inputs.audited, inputs.re_audits)
    files = [_file_for(rules, d, audit_id) for d in result.allocations]
    differences, checked = _compare_allocations(lf, s, rules, result, files)
    problems += differences + _compare_excluded(lf.rel, s, result)
    top_ups = len(s.allocations) - checked
    return Verification(not problems, problems, checked, top_ups, recorded is not None)


@dataclass
class AddResult:
    created: list[str]
    added: list[Drawn]
    notes: list[str]


def _missing_returns(
    repo: Repository, s: Sample, rows: list[CaseRow], notes: list[str]
) -> list[tuple[str, str]]:
    """Blank returns for allocations whose file is missing (a note when the case is gone)."""
    by_case = {r.case: r for r in rows}
    recorded = (
        DrawRules.from_record(s.programme, s.month, s.rules)
        if s.rules.get("algorithm") == ALGORITHM
        else None
    )
    pending: list[tuple[str, str]] = []
    for a in s.allocations:
        if (repo.root / a.file).exists():
            continue
        row = by_case.get(a.case)
        if row is None:
            notes.append(
                f"{a.file} is missing and {a.case} is not in {s.case_list}: create it by hand"
            )
            continue
        takers, tools = (recorded.takers, recorded.tools) if recorded else ([], {})
        rules = DrawRules(s.programme, s.month, a.allocated, a.due, takers, tools)
        d = Drawn(row, tuple(a.auditors), a.tool, a.reason)
        pending += _returns(repo, rules, DrawResult([d], [], []), [a.file], None)
    return pending


def _top_up(
    repo: Repository, s: Sample, rows: list[CaseRow], today: dt.date, notes: list[str]
) -> tuple[DrawRules, DrawResult]:
    """A draw for the pairs short of their cases, seeded from the sample's seed and the day."""
    allocated = allocation_date(s.month, today)
    rules, more = build_rules(repo.config, repo.tools, s.programme, s.month, allocated)
    notes += more
    result = draw(
        rows,
        rules,
        random.Random(f"{s.seed}/top-up/{allocated}"),
        history(repo, s.programme, allocated),
        (),
        Counter(tuple(a.auditors) for a in s.allocations),
        [a.case for a in s.allocations],
    )
    notes += result.notes
    return rules, result


def _append_allocations(
    repo: Repository,
    lf: LoadedFile,
    rules: DrawRules,
    result: DrawResult,
    files: list[str],
    today: dt.date,
) -> None:
    """Append the top-up's allocations to the sample file (the rest of it kept byte for byte)."""
    from .yamledit import Append, edit_file

    items = tuple(
        {
            "case": d.case.case,
            "team": d.case.team,
            "category": d.case.category,
            "tool": d.tool,
            "auditors": list(d.auditors),
            "allocated": rules.allocated,
            "due": rules.due,
            "file": f,
            "reason": f"top-up on {today}",
        }
        for d, f in zip(result.allocations, files, strict=True)
    )
    edit_file(repo.path_for_write(lf.rel), lf.rel, [Append(("allocations",), items)])


def add_to_sample(repo: Repository, month: str, programme: str, today: dt.date) -> AddResult:
    """Top up a drawn month: create missing returns and draw for pairs short of their cases.

    Existing returns are never touched; new allocations are appended to the sample file
    (comments and formatting kept) with the reason "top-up on <date>", and are not part of
    the seeded draw that ``--verify`` checks.
    """
    from .caselist import read_case_list
    from .errors import QAError

    if programme == "multi-agency":
        raise QAError(
            "--add is not available for the multi-agency programme",
            "create a missing agency return with `qa new multi-agency ...`",
        )
    lf, s = _recorded(repo, month, programme)
    from .pathguard import inside

    rows, _ = (
        read_case_list(inside(repo.root, s.case_list, "case_list"), s.case_list)
        if s.case_list
        else ([], "")
    )
    notes: list[str] = []
    pending = _missing_returns(repo, s, rows, notes)
    rules, result = _top_up(repo, s, rows, today, notes)
    files = [_file_for(rules, d, None) for d in result.allocations]
    pending += _returns(repo, rules, result, files, None)
    clash = [rel for rel, _ in pending if (repo.root / rel).exists()]
    if clash:
        raise QAError(
            f"{clash[0]} already exists; nothing was written",
            "a return is never overwritten: move it aside if it is not wanted",
        )
    if result.allocations:
        _append_allocations(repo, lf, rules, result, files, today)
    for rel, text in pending:
        repo.write_new(rel, text)
    return AddResult([rel for rel, _ in pending], result.allocations, notes)
