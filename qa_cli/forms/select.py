"""Which returns get a form: named ones, a month's allocations, or a multi-agency audit's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import QAError
from ..masking import masked
from ..models.audit import AuditReturn
from ..models.multi_agency import AgencyReturn, MultiAgencyScope
from ..models.tool import Tool
from ..repository import LoadedFile, Repository

FORM_KINDS = ("qa/audit", "qa/agency-return")
OPEN_STATUSES = ("allocated", "in_progress")
_CASE = re.compile(r"^C-[0-9A-Z]{8,16}$", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """One return to make a form of, with what the form needs besides the file."""

    lf: LoadedFile
    tool: Tool
    due: dt.date | None
    recipients: tuple[str, ...]  # staff ids of the people who fill it in

    @property
    def model(self) -> Any:
        return self.lf.model

    @property
    def case(self) -> str:
        return str(self.model.case)


def _scope_of(repo: Repository, lf: LoadedFile) -> MultiAgencyScope | None:
    for s in repo.of_kind("qa/multi-agency"):
        if lf.rel.startswith(str(PurePosixPath(s.rel).parent) + "/"):
            assert isinstance(s.model, MultiAgencyScope)
            return s.model
    return None


def target(repo: Repository, lf: LoadedFile) -> Target:
    """A target for a loaded return; a :class:`QAError` if it cannot have a form."""
    if lf.kind not in FORM_KINDS:
        raise QAError(
            f"{lf.rel} is a {lf.kind or 'unrecognised'} file; forms are made of audit returns "
            "and agency returns",
            "give an audit return (audits/...) or an agency return (multi-agency/.../returns/...)",
        )
    if lf.model is None:
        raise QAError(
            f"{lf.rel} does not pass validation, so qa will not make a form of it",
            f"run `qa validate {lf.rel}` and fix what it reports first",
        )
    m = lf.model
    assert isinstance(m, AuditReturn | AgencyReturn)  # FORM_KINDS, checked above
    tool = repo.tools.get(m.tool)
    if tool is None:
        raise QAError(
            f"{lf.rel} names tool {m.tool}, which is not in audit_tools/",
            f"run `qa validate {lf.rel}` to see which tools there are",
        )
    if isinstance(m, AgencyReturn):
        scope = _scope_of(repo, lf)
        return Target(lf, tool, scope.returns_due if scope else None, (m.auditor,))
    return Target(lf, tool, m.due, tuple(m.auditors))


def _by_spec(repo: Repository, spec: str, cwd: Path) -> list[LoadedFile]:
    p = Path(spec)
    for base in (cwd, repo.root):
        c = p if p.is_absolute() else base / p
        if c.is_file():
            c = c.resolve()
            for f in repo.files:
                if f.path.resolve() == c:
                    return [f]
            raise QAError(
                f"{spec} is not a file of the audit repository at {repo.root}",
                "give a return inside the repository, or pass --repo DIR",
            )
    if _CASE.match(spec):
        code = spec.upper()
        found = [
            f
            for kind in FORM_KINDS
            for f in repo.of_kind(kind)
            if getattr(f.model, "case", None) == code
        ]
        if found:
            return found
    raise QAError(
        f"no audit return or agency return found for {masked(spec)}",
        "give a return's path (audits/YYYY-MM/C-XXXXXXXX--tool.yaml) or a case code",
    )


def month_folders(root: Path, month: str) -> list[Path]:
    """The folders whose returns :func:`select` takes for ``--month`` (``audits/MONTH``, the
    month's themed audits): a command that needs no other return loads only these."""
    from ..calendar import parse_month

    month = parse_month(month)
    themed = sorted(root.glob(f"themed/{month}-*/")) if (root / "themed").is_dir() else []
    return [f for f in [root / "audits" / month, *themed] if f.is_dir()]


def _month_returns(repo: Repository, month: str) -> list[LoadedFile]:
    from ..calendar import parse_month

    month = parse_month(month)
    prefixes = (f"audits/{month}/", f"themed/{month}-")
    return [f for f in repo.of_kind("qa/audit") if f.rel.startswith(prefixes)]


def _audit_returns(repo: Repository, audit_id: str) -> list[LoadedFile]:
    scopes = [
        s for s in repo.of_kind("qa/multi-agency") if getattr(s.model, "id", None) == audit_id
    ]
    if not scopes:
        known = sorted(str(getattr(s.model, "id", "")) for s in repo.of_kind("qa/multi-agency"))
        raise QAError(
            f"no multi-agency audit {masked(audit_id)} in multi-agency/",
            "audits: " + (", ".join(known) or "none yet"),
        )
    folder = str(PurePosixPath(scopes[0].rel).parent) + "/returns/"
    return [f for f in repo.of_kind("qa/agency-return") if f.rel.startswith(folder)]


def select(
    repo: Repository,
    specs: list[str],
    *,
    month: str | None = None,
    audit: str | None = None,
    auditor: str | None = None,
    agency: str | None = None,
    cwd: Path | None = None,
) -> list[Target]:
    """The returns to export, in path order.

    Named returns are taken whatever their status; a month's or an audit's only while they
    are still open (allocated or in progress).
    """
    if not specs and month is None and audit is None:
        raise QAError(
            "say which returns to make forms of",
            "give a return's path or case code, --month YYYY-MM, or --audit MULTI-AGENCY-ID",
        )
    chosen: dict[str, LoadedFile] = {}
    for spec in specs:
        for f in _by_spec(repo, spec, cwd or Path.cwd()):
            chosen[f.rel] = f
    bulk: list[LoadedFile] = []
    if month is not None:
        bulk += _month_returns(repo, month)
    if audit is not None:
        bulk += _audit_returns(repo, audit)
    for f in bulk:
        if getattr(f.model, "status", None) in OPEN_STATUSES:
            chosen[f.rel] = f
    targets = [target(repo, chosen[rel]) for rel in sorted(chosen)]
    if auditor is not None:
        targets = [t for t in targets if auditor in t.recipients]
    if agency is not None:
        targets = [t for t in targets if getattr(t.model, "agency", None) == agency]
    return targets
