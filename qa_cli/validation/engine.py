"""Run every check over a repository (or some of its files) and collect one report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..models import KINDS
from ..models.config import Config
from ..repository import LoadedFile, Repository
from .ci_rules import check_ci_files
from .crossfile import check_cross_file
from .diagnostics import ValidationReport
from .editor_rules import check_modelines, check_schemas
from .judgement import check_limiting_judgement
from .privacy_rules import check_privacy, lowered_notes, selected_case_lists
from .returns import check_returns
from .salvage import salvage
from .schema import schema_diagnostics
from .suppress import split_suppressed
from .tool_history import check_tool_history
from .tools import check_config, check_tools


def validate_repository(
    repo: Repository, case_lists: Iterable[Path] | None = None
) -> ValidationReport:
    """All diagnostics for the repository's selected files (cross-file rules see every file).

    ``case_lists``: the ``cases/*.csv`` to check; by default all of them when every file is
    selected, none otherwise.
    """
    if case_lists is None:
        everything = len(repo.selected) == len(repo.files)
        case_lists = selected_case_lists(repo.root, None) if everything else []
    case_lists = list(case_lists)
    selected = repo.selected
    report = ValidationReport(
        files_checked=len(selected) + len(case_lists),
        checked=[lf.rel for lf in selected]
        + [p.relative_to(repo.root).as_posix() for p in case_lists],
    )
    report.notes += lowered_notes(repo.config_or_none)
    config = repo.config_or_none
    staff = config.staff if config is not None else []
    for lf in selected:
        for d in schema_diagnostics(lf, staff):
            report.add(d)
        _salvage(lf)
    if (
        repo.config_file is not None
        and repo.config_file in selected
        and isinstance(repo.config_file.model, Config)
    ):
        for d in check_config(repo.config_file, repo.config_file.model):
            report.add(d)
    for d in check_tools(repo, selected):
        report.add(d)
    for d in check_returns(repo, selected):
        report.add(d)
    for d in check_cross_file(repo, selected):
        report.add(d)
    for d in check_limiting_judgement(repo, selected):
        report.add(d)
    for d in check_privacy(repo, case_lists):
        report.add(d)
    for d in check_tool_history(repo, selected) + check_ci_files(repo, selected):
        report.add(d)
    for d in check_schemas(repo, selected) + check_modelines(selected):
        report.add(d)
    found_in = {d.path for d in report.diagnostics}  # texts may be read again: only these
    report.diagnostics, report.suppressed = split_suppressed(
        report.diagnostics, {lf.rel: lf.text for lf in repo.files if lf.rel in found_in}
    )
    return report


# Kinds checked from a partial model when they fail their schema. Tools, samples and qa.yaml
# feed other files' checks, so a broken one is reported alone rather than half-trusted.
_SALVAGED = frozenset(
    {"qa/audit", "qa/crib-sheet", "qa/agency-return", "qa/observation", "qa/complaint"}
)


def _salvage(lf: LoadedFile) -> None:
    """Give a file that failed its schema a partial model, so the later checks still run."""
    if lf.model is not None or not lf.errors or lf.kind not in _SALVAGED or lf.version is None:
        return
    lf.partial, lf.broken = salvage(KINDS[lf.kind][lf.version], lf.data)


def validate(
    root: Path, paths: Iterable[Path] | None = None
) -> tuple[Repository, ValidationReport]:
    paths = list(paths) if paths is not None else None
    repo = Repository.load(root, paths)
    return repo, validate_repository(repo, selected_case_lists(repo.root, paths))
