"""Rules across files: references to qa.yaml, samples, the framework's audit workflow, names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any, TypeVar

from .. import layout
from ..masking import masked
from ..models.audit import Action, AuditReturn
from ..models.common import BELOW_GOOD, parse_tool_ref
from ..models.complaint import Complaint
from ..models.config import QA_ROLES, Config
from ..models.crib_sheet import CribSheet
from ..models.multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from ..models.observation import Observation
from ..models.sample import Sample
from ..models.themed import ThemedScope
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic, Fix
from .improvement_rules import (
    check_improvement,
    check_team_overview,
    check_team_review,
    practitioner_feedback_rule,
)
from .monitoring_rules import check_compliments, check_midpoint, check_monitoring
from .returns import is_complete, looks_returned, soften
from .review_rules import check_after_return
from .salvage import is_broken
from .schema import Role, at, misplaced, name_mismatch, out_of_order
from .tools import _unknown, duplicate_ids

_MONTH_DIR = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Kinds whose cross-file checks also run on a partial model (a file with schema errors),
# each written to skip what depends on a value that did not validate.
PARTIAL_KINDS = frozenset({"qa/audit", "qa/crib-sheet", "qa/agency-return"})


class Refs:
    """The ids qa.yaml defines, for reference checks."""

    def __init__(self, config: Config | None) -> None:
        self.ok = config is not None
        self.staff = {s.id: s for s in config.staff} if config else {}
        self.teams = {t.id: t for t in config.teams} if config else {}
        self.agencies = {a.id for a in config.agencies} if config else set()

    def staff_ref(self, lf: LoadedFile, loc: list[str | int], sid: str | None) -> list[Diagnostic]:
        if not self.ok or sid is None or sid in self.staff:
            return []
        return [_unknown(lf, "QA401", loc, "staff id", sid, set(self.staff))]

    def owner_ref(self, lf: LoadedFile, loc: list[str | int], oid: str | None) -> list[Diagnostic]:
        if not self.ok or oid is None or oid in self.staff or oid in self.agencies:
            return []
        return [
            _unknown(lf, "QA401", loc, "staff or agency id", oid, set(self.staff) | self.agencies)
        ]

    def team_ref(self, lf: LoadedFile, loc: list[str | int], tid: str | None) -> list[Diagnostic]:
        if not self.ok or tid is None or tid in self.teams:
            return []
        return [_unknown(lf, "QA402", loc, "team", tid, set(self.teams))]

    def role_ref(
        self, lf: LoadedFile, loc: list[str | int], who: str | None, role: Role, hint: str
    ) -> list[Diagnostic]:
        """``role.code`` when the staff member ``who`` has none of ``role.roles`` in qa.yaml."""
        s = self.staff.get(who or "")
        if not self.ok or s is None or role.roles & set(s.roles):
            return []
        what = f"`{who}` is not {role.what} in qa.yaml (roles: {', '.join(s.roles)})"
        return [at(lf, role.code, loc, what, hint)]


S = TypeVar("S", ThemedScope, MultiAgencyScope)


def _parts(lf: LoadedFile) -> tuple[str, ...]:
    return PurePosixPath(lf.rel).parts


def _order(
    lf: LoadedFile,
    later: Any,
    earlier: Any,
    later_loc: list[str | int],
    later_name: str,
    earlier_name: str,
) -> list[Diagnostic]:
    hint = f"check both dates: {later_name} cannot come before {earlier_name}"
    return out_of_order(
        lf, later_loc, later, earlier, earlier_name, later_name=later_name, hint=hint
    )


def _verified(lf: LoadedFile, refs: Refs, a: Action, loc: list[str | int]) -> list[Diagnostic]:
    """A verified action names who verified it and when, and that person has a QA role."""
    if a.status != "verified":
        return []
    if a.verified_by is None or a.verified_on is None:
        missing = " and ".join(k for k in ("verified_by", "verified_on") if getattr(a, k) is None)
        return [
            at(
                lf,
                "QA410",
                [*loc, "status"],
                f"action {a.id} is verified but has no {missing}",
                "use `qa actions verify` to record who verified it and when",
            )
        ]
    if (
        refs.ok
        and a.verified_by in refs.staff
        and not (set(refs.staff[a.verified_by].roles) & QA_ROLES)
    ):
        return [
            at(
                lf,
                "QA410",
                [*loc, "verified_by"],
                f"`{a.verified_by}` has no QA role, so cannot verify action {a.id}",
                "the QA Auditor verifies the action taken (App. D): a staff member "
                "with role qa_auditor or qa_lead",
            )
        ]
    return []


def check_actions(
    lf: LoadedFile,
    refs: Refs,
    actions: list[Action],
    base: list[str | int],
    owner_may_be_agency: bool = False,
) -> list[Diagnostic]:
    out = duplicate_ids(
        lf,
        [(a.id, [*base, i, "id"]) for i, a in enumerate(actions) if a.id is not None],
        "action id",
    )
    owner_ref = refs.owner_ref if owner_may_be_agency else refs.staff_ref
    for i, a in enumerate(actions):
        loc: list[str | int] = [*base, i]
        if is_flow(lf, loc):
            out.append(
                at(
                    lf,
                    "QA315",
                    loc,
                    f"action {a.id} is written on one line ({{id: ..., action: ...}})",
                    "write one key per line (id, action, owner, due), as the blank return shows",
                    fix=Fix("block", tuple(loc)),
                )
            )
        out += owner_ref(lf, [*loc, "owner"], a.owner)
        out += refs.staff_ref(lf, [*loc, "verified_by"], a.verified_by)
        out += _verified(lf, refs, a, loc)
        out += _order(lf, a.verified_on, a.done_on, [*loc, "verified_on"], "verified_on", "done_on")
    return out


def _from_key(text: str, key: str | int) -> str:
    """The text from the first line that starts with the top-level ``key:`` (what lies under
    the key is in it); the whole text when there is no such line (e.g. a quoted key).

    Found with ``str.find`` (a ``^key`` search tries every position: 0.4 ms a return)."""
    head = str(key)
    at = 0 if text.startswith(head) else _line_starting(text, head, 0)
    while at >= 0:
        if _COLON.match(text, at + len(head)):
            return text[at:]
        at = _line_starting(text, head, at)
    return text


_COLON = re.compile(r"[ \t]*:")


def _line_starting(text: str, head: str, after: int) -> int:
    """The start of the next line after ``after`` that starts with ``head``, or -1."""
    found = text.find("\n" + head, after)
    return found + 1 if found >= 0 else -1


_FLOW_PAIR = re.compile(r"\[[^\]]*?[:?](?:\s|$)")


def is_flow(lf: LoadedFile, loc: list[str | int]) -> bool:
    """Whether the mapping at ``loc`` is written on one line (``{key: value, ...}``).

    Only a file that may hold one under the key is parsed again for it: a ``{``, or a ``[``
    list holding a ``key: value`` pair or a ``? key`` (``[id: A1]`` is a mapping too);
    libyaml says which mappings are flow ones, the round-trip parser only when it cannot."""
    text = lf.text  # read once: a loaded file may not hold its text
    if text is None or not loc:
        return False
    tail = _from_key(text, loc[0])
    if "{" not in tail and not _FLOW_PAIR.search(tail):
        return False
    flows = _flow_mappings(text)
    if flows is not None:
        return tuple(loc) in flows
    node = lf.roundtrip
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    fa = getattr(node, "fa", None)
    return isinstance(node, dict) and fa is not None and bool(fa.flow_style())


@lru_cache(maxsize=8)
def _flow_mappings(text: str) -> frozenset[tuple[Any, ...]] | None:
    from ..yamlc import flow_mappings

    found = flow_mappings(text)
    return frozenset(found) if found is not None else None


def _intact(lf: LoadedFile, *fields: str) -> bool:
    """Whether none of the top-level ``fields`` failed validation (see validation.salvage)."""
    return not any(is_broken(lf.broken, f) for f in fields)


def _auditors(lf: LoadedFile, refs: Refs, m: AuditReturn) -> list[Diagnostic]:
    """Every auditor is on the staff list, and none audits their own or their team's work."""
    out: list[Diagnostic] = []
    for i, a in enumerate(m.auditors or []):
        out += refs.staff_ref(lf, ["auditors", i], a)
        staff = refs.staff.get(a)
        if staff is not None and (
            a == m.social_worker or (staff.team is not None and staff.team == m.team)
        ):
            why = (
                "is the case's social worker"
                if a == m.social_worker
                else f"is in the case's team ({m.team})"
            )
            out.append(
                at(
                    lf,
                    "QA413",
                    ["auditors", i],
                    f"auditor `{a}` {why}: an auditor never audits their own work",
                    "ask the Lead QA Auditor to reallocate the case (App. E 1)",
                )
            )
    return out


def _review_and_concern(lf: LoadedFile, refs: Refs, m: AuditReturn) -> list[Diagnostic]:
    """The QA review's and the safeguarding concern's people, and the order of their dates."""
    out: list[Diagnostic] = []
    if m.qa_review is not None:
        review = m.qa_review
        out += refs.staff_ref(lf, ["qa_review", "reviewer"], review.reviewer)
        for i, f in enumerate(review.forwarded_to or []):
            out += refs.staff_ref(lf, ["qa_review", "forwarded_to", i], f)
        where: list[str | int] = ["qa_review", "date"]
        out += _order(lf, review.date, m.completed, where, "the QA review date", "completed")
    if m.safeguarding_concern is not None:
        sc = m.safeguarding_concern
        out += refs.staff_ref(lf, ["safeguarding_concern", "escalated_to"], sc.escalated_to)
        out += refs.staff_ref(lf, ["safeguarding_concern", "acknowledged_by"], sc.acknowledged_by)
        where = ["safeguarding_concern", "escalated_on"]
        out += _order(lf, sc.escalated_on, sc.found, where, "escalated_on", "found")
    return out


def _closed(lf: LoadedFile, m: AuditReturn) -> list[Diagnostic]:
    """A closed audit has had its QA review when below Good, and every action verified."""
    if m.status != "closed":
        return []
    out: list[Diagnostic] = []
    grade = m.qa_review.agreed_grade if m.qa_review is not None else m.overall_grade
    below = (m.overall_grade in BELOW_GOOD) or (grade in BELOW_GOOD)
    if below and m.qa_review is None:
        out.append(
            at(
                lf,
                "QA405",
                ["status"],
                "a Requires Improvement or Inadequate audit cannot be closed before its QA review",
                "add the `qa_review:` (reviewer, date, agreed_grade), or set status back",
            )
        )
    pending = [a.id for a in m.actions or [] if a.status != "verified"]
    if pending:
        idx = next(i for i, a in enumerate(m.actions) if a.status != "verified")
        out.append(
            at(
                lf,
                "QA406",
                ["actions", idx, "status"],
                "the audit is closed but action(s) " + ", ".join(pending) + " are not verified",
                "verify them with `qa actions verify`, or set the status back to qa_review",
            )
        )
    return out


def check_audit(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.checkable_as(AuditReturn)
    out: list[Diagnostic] = []
    out += refs.team_ref(lf, ["team"], m.team)
    out += refs.staff_ref(lf, ["social_worker"], m.social_worker)
    out += _auditors(lf, refs, m)
    out += check_actions(lf, refs, m.actions or [], ["actions"])
    out += _review_and_concern(lf, refs, m)
    out += _order(lf, m.completed, m.allocated, ["completed"], "completed", "allocated")
    out += _order(lf, m.due, m.allocated, ["due"], "due", "allocated")
    complete = is_complete(lf)
    trap = not complete and looks_returned(lf, repo.tools.get(m.tool) if m.tool else None)
    done = _audit_completeness(lf, m, complete or trap)
    out += soften(done) if trap else done
    out += _closed(lf, m)
    out += check_after_return(lf, refs, m)
    if _intact(lf, "tool", "case", "allocated"):
        out += _audit_place(repo, lf, m)
    return out


def _audit_completeness(lf: LoadedFile, m: AuditReturn, complete: bool) -> list[Diagnostic]:
    """What a returned audit must have: a completion date; an action plan when below good."""
    if not complete:
        return []
    out: list[Diagnostic] = []
    if m.completed is None and _intact(lf, "completed"):
        out.append(
            at(
                lf,
                "QA409",
                ["status"],
                f"the audit is `{m.status}` but has no `completed` date",
                "add `completed: YYYY-MM-DD`, the day the audit was returned",
            )
        )
    grade = m.qa_review.agreed_grade if m.qa_review is not None else m.overall_grade
    below = (m.overall_grade in BELOW_GOOD) or (grade in BELOW_GOOD)
    if below and not m.actions and _intact(lf, "actions"):
        out.append(
            at(
                lf,
                "QA404",
                ["overall_grade"] if m.overall_grade else ["status"],
                "a Requires Improvement or Inadequate audit needs an action plan",
                "add `actions:` with at least one action (id, action, owner, due) (App. D)",
            )
        )
    return out


_RETURNS_BY_SAMPLE = "returns are created by `qa sample`; check the month folder"


def _in_sample(
    repo: Repository, lf: LoadedFile, m: AuditReturn, parts: tuple[str, ...], tool_id: str
) -> list[Diagnostic]:
    """A return in audits/<month>/ is named after its case and tool, and its sample
    allocates that case with that tool."""
    month = parts[1] if len(parts) == 3 else "?"
    folder = month if _MONTH_DIR.match(month) else m.allocated.strftime("%Y-%m")
    if len(parts) != 3 or not _MONTH_DIR.match(month) or lf.path.stem != f"{m.case}--{tool_id}":
        return [name_mismatch(lf, layout.audit_path(folder, m.case, tool_id), "case")]
    by_case = repo.allocations.get((month, "single-agency"))
    if by_case is None:
        what = f"there is no sample for {month} (samples/{month}.yaml)"
        return [at(lf, "QA403", ["case"], what, _RETURNS_BY_SAMPLE)]
    match = by_case.get(m.case, [])
    if not match:
        what = f"case {m.case} is not in the {month} sample"
        hint = f"check the case code against samples/{month}.yaml"
        return [at(lf, "QA403", ["case"], what, hint)]
    if all(a.tool != m.tool for a in match):
        what = f"the {month} sample allocates {m.case} with {match[0].tool}, not {m.tool}"
        return [at(lf, "QA403", ["tool"], what, "use the tool the sample names")]
    return []


def _in_theme(
    repo: Repository, lf: LoadedFile, m: AuditReturn, parts: tuple[str, ...], tool_id: str
) -> list[Diagnostic]:
    """A return in themed/<folder>/ is named after its case and tool, and is in the scope."""
    if len(parts) != 3 or lf.path.stem != f"{m.case}--{tool_id}":
        folder = parts[1] if len(parts) > 1 else "<YYYY-MM>-<theme>"
        return [name_mismatch(lf, layout.themed_return_path(folder, m.case, tool_id), "case")]
    scope = _scope_in(repo, ThemedScope, "themed", parts[1])
    if scope is not None and m.case not in scope.cases:
        what = f"case {m.case} is not in the themed audit's scope"
        hint = f"check the case code against themed/{parts[1]}/scope.yaml"
        return [at(lf, "QA403", ["case"], what, hint)]
    return []


# Where an audit return may live, by its top folder, and what that place asks of it.
_AUDIT_PLACES = {"audits": _in_sample, "themed": _in_theme}


def _audit_place(repo: Repository, lf: LoadedFile, m: AuditReturn) -> list[Diagnostic]:
    parts = _parts(lf)
    ref = parse_tool_ref(m.tool)
    tool_id = ref[0] if ref else m.tool
    if tool_id not in {t.id for t in repo.tools.values()}:
        return []  # QA301 reports the unknown tool; a file name built from it would echo it
    place = _AUDIT_PLACES.get(parts[0])
    if place is not None:
        return place(repo, lf, m, parts, tool_id)
    return [
        at(
            lf,
            "QA408",
            ["schema"],
            f"an audit return does not belong in {lf.rel}",
            f"audit returns live in audits/<YYYY-MM>/{m.case}--{tool_id}.yaml "
            "(or themed/<folder>/)",
        )
    ]


def _scope_in(repo: Repository, model: type[S], top: str, folder: str) -> S | None:
    """The scope (themed or multi-agency) kept in ``top/folder/``, if there is one."""
    for f, scope in repo.entries(model):
        if _parts(f)[:2] == (top, folder):
            return scope
    return None


def _unknown_tool(lf: LoadedFile, repo: Repository, tool: str) -> list[Diagnostic]:
    """QA301 when a scope names a tool that is not in audit_tools/."""
    if tool in repo.tools:
        return []
    return [
        at(
            lf,
            "QA301",
            ["tool"],
            f"the tool {masked(tool)} is not in audit_tools/",
            "name a tool of audit_tools/ as <id>@<version>",
        )
    ]


def check_sample(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(Sample)
    out: list[Diagnostic] = []
    out += misplaced(lf, layout.sample_path(m.month, m.programme), "month")
    out += duplicate_ids(
        lf,
        [(a.case, ["allocations", i, "case"]) for i, a in enumerate(m.allocations)],
        "case",
        code="QA414",
    )
    for i, a in enumerate(m.allocations):
        loc: list[str | int] = ["allocations", i]
        out += refs.team_ref(lf, [*loc, "team"], a.team)
        for j, sid in enumerate(a.auditors):
            out += refs.staff_ref(lf, [*loc, "auditors", j], sid)
        out += _order(lf, a.due, a.allocated, [*loc, "due"], "due", "allocated")
        if not (repo.root / a.file).is_file():
            out.append(
                at(
                    lf,
                    "QA412",
                    [*loc, "file"],
                    f"the return {a.file} does not exist",
                    "run `qa sample --add --month " + m.month + "` to create missing returns",
                )
            )
    return out


def check_crib_sheet(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.checkable_as(CribSheet)
    out = refs.team_ref(lf, ["team"], m.team)
    for k in ("social_worker", "team_manager", "service_manager"):
        out += refs.staff_ref(lf, [k], getattr(m, k))
    out += check_actions(lf, refs, m.actions or [], ["actions"])
    if not _intact(lf, "month", "team", "case"):
        return out
    out += misplaced(lf, layout.crib_sheet_path(m.month, m.team, m.case), "case")
    return out


def check_observation(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(Observation)
    out = refs.staff_ref(lf, ["social_worker"], m.social_worker)
    out += refs.staff_ref(lf, ["observer"], m.observer)
    out += refs.team_ref(lf, ["team"], m.team)
    out += _order(
        lf, m.feedback_verbal, m.observed, ["feedback_verbal"], "feedback_verbal", "observed"
    )
    out += _order(
        lf, m.feedback_written, m.observed, ["feedback_written"], "feedback_written", "observed"
    )
    out += _order(lf, m.observed, m.consent_written, ["observed"], "observed", "consent_written")
    for signed in ("observer_signed", "social_worker_signed"):
        out += _order(lf, getattr(m, signed), m.observed, [signed], signed, "observed")
    out += misplaced(lf, layout.observation_path(m.observed, m.social_worker), "observed")
    return out


def check_complaint(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(Complaint)
    out = refs.staff_ref(lf, ["manager"], m.manager)
    out += refs.team_ref(lf, ["team"], m.team)
    out += _order(lf, m.responded, m.date, ["responded"], "responded", "date")
    out += misplaced(lf, layout.complaint_path(m.date, m.ref), "ref")
    return out


def check_themed(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(ThemedScope)
    out = refs.staff_ref(lf, ["lead"], m.lead)
    for i, s in enumerate(m.consulted):
        out += refs.staff_ref(lf, ["consulted", i], s)
    out += _unknown_tool(lf, repo, m.tool)
    out += misplaced(lf, layout.themed_scope_path(m.month, m.theme), "theme")
    return out


def check_multi_agency(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(MultiAgencyScope)
    out = refs.staff_ref(lf, ["lead"], m.lead)
    out += _unknown_tool(lf, repo, m.tool)
    for i, a in enumerate(m.agencies):
        if refs.ok and a.agency not in refs.agencies:
            out.append(
                _unknown(lf, "QA411", ["agencies", i, "agency"], "agency", a.agency, refs.agencies)
            )
        out += refs.staff_ref(lf, ["agencies", i, "auditor"], a.auditor)
    out += duplicate_ids(lf, [(c, ["cases", i]) for i, c in enumerate(m.cases)], "case")
    out += misplaced(lf, layout.multi_agency_scope_path(m.id), "id")
    return out


def check_agency_return(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.checkable_as(AgencyReturn)
    out = refs.staff_ref(lf, ["auditor"], m.auditor) + practitioner_feedback_rule(lf, m)
    if not _intact(lf, "case", "agency"):
        return out
    parts = _parts(lf)
    audit_id = parts[1] if len(parts) == 4 and parts[0] == "multi-agency" else "<id>"
    mismatch = misplaced(lf, layout.agency_return_path(audit_id, m.case, m.agency), "case")
    if mismatch:
        return out + mismatch
    scope = _scope_in(repo, MultiAgencyScope, "multi-agency", audit_id)
    if scope is not None:
        if m.case not in scope.cases:
            out.append(
                at(
                    lf,
                    "QA403",
                    ["case"],
                    f"case {m.case} is not in the audit's scope",
                    f"check the case code against multi-agency/{audit_id}/scope.yaml",
                )
            )
        if m.agency not in {a.agency for a in scope.agencies}:
            out.append(
                at(
                    lf,
                    "QA411",
                    ["agency"],
                    f"agency `{m.agency}` is not part of this audit",
                    f"add it to `agencies:` in multi-agency/{audit_id}/scope.yaml",
                )
            )
    return out


def check_findings(repo: Repository, lf: LoadedFile, refs: Refs) -> list[Diagnostic]:
    m = lf.model_as(MultiAgencyFindings)
    out: list[Diagnostic] = []
    out += misplaced(lf, layout.findings_path(m.audit), "audit")
    scope = _scope_in(repo, MultiAgencyScope, "multi-agency", m.audit)
    for i, c in enumerate(m.cases):
        if scope is not None and c.case not in scope.cases:
            out.append(
                at(
                    lf,
                    "QA403",
                    ["cases", i, "case"],
                    f"case {c.case} is not in the audit's scope",
                    f"check the case code against multi-agency/{m.audit}/scope.yaml",
                )
            )
        for who in ("child", "parents", "social_worker", "team_manager"):
            cons = getattr(c.consultation, who)
            if cons is not None:
                out += refs.staff_ref(lf, ["cases", i, "consultation", who, "by"], cons.by)
    out += check_actions(lf, refs, m.actions, ["actions"], owner_may_be_agency=True)
    return out


Check = Callable[[Repository, LoadedFile, Refs], list[Diagnostic]]
# One check per file kind (config and tools are checked for their place only, below).
_CHECKS: dict[str, Check] = {
    "qa/audit": check_audit,
    "qa/sample": check_sample,
    "qa/crib-sheet": check_crib_sheet,
    "qa/observation": check_observation,
    "qa/complaint": check_complaint,
    "qa/themed": check_themed,
    "qa/multi-agency": check_multi_agency,
    "qa/agency-return": check_agency_return,
    "qa/multi-agency-findings": check_findings,
    "qa/compliments": check_compliments,
    "qa/monitoring": check_monitoring,
    "qa/midpoint-review": check_midpoint,
    "qa/improvement": check_improvement,
    "qa/team-review": check_team_review,
    "qa/team-overview": check_team_overview,
}


def check_cross_file(repo: Repository, files: Iterable[LoadedFile]) -> list[Diagnostic]:
    refs = Refs(repo.config_or_none)
    out: list[Diagnostic] = []
    for lf in files:
        if lf.model is None and not (lf.partial is not None and lf.kind in PARTIAL_KINDS):
            continue
        k = lf.kind
        check = _CHECKS.get(k or "")
        if check is not None:
            out += check(repo, lf, refs)
        elif k == "qa/config" and lf.rel != layout.CONFIG:
            out.append(
                at(
                    lf,
                    "QA408",
                    ["schema"],
                    "a qa/config file must be qa.yaml at the top",
                    "keep one qa.yaml at the top of the audit repository",
                )
            )
        elif k == "qa/tool" and _parts(lf)[0] != "audit_tools":
            out.append(
                at(
                    lf,
                    "QA408",
                    ["schema"],
                    "a tool file must be in audit_tools/",
                    "move it to audit_tools/",
                )
            )
    return out
