"""Run every check over a repository (or some of its files) and collect one report."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..models import KINDS
from ..models.config import Config
from ..repository import LoadedFile, Repository
from .ci_rules import check_ci_files
from .crossfile import check_cross_file
from .diagnostics import Diagnostic, ValidationReport
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
    report.diagnostics, report.suppressed = split_suppressed(
        report.diagnostics, {lf.rel: lf.text for lf in repo.files}
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


def _report_dict(report: ValidationReport) -> dict[str, Any]:
    return {
        "diagnostics": [d.as_record() for d in report.diagnostics],
        "suppressed": [d.as_record() for d in report.suppressed],
        "files_checked": report.files_checked,
        "checked": report.checked,
        "notes": report.notes,
    }


def _report_from(stored: dict[str, Any]) -> ValidationReport | None:
    """The stored report, or None when any part of it is not what this toolkit writes."""
    try:
        report = ValidationReport(
            diagnostics=[Diagnostic.from_record(d) for d in stored["diagnostics"]],
            suppressed=[Diagnostic.from_record(d) for d in stored["suppressed"]],
            files_checked=int(stored["files_checked"]),
            checked=[str(c) for c in stored["checked"]],
            notes=[str(n) for n in stored["notes"]],
        )
    except (KeyError, TypeError, ValueError):
        return None
    return report


def _outside_inputs(root: Path) -> dict[str, str]:
    """What validation reads from outside the repository's files: git's HEAD, the identity list."""
    import os

    from .. import gitutil
    from ..repository import CONFIG_NAME, load_file
    from .privacy_rules import identity_list_path

    extra = {"QA_IDENTITY_LIST": os.environ.get("QA_IDENTITY_LIST", "")}
    if gitutil.available():
        proc = gitutil._run(root, "rev-parse", "HEAD", check=False)
        extra["git"] = proc.stdout.strip() if proc.returncode == 0 else ""
    config_path = root / CONFIG_NAME
    config = load_file(config_path, root).model if config_path.is_file() else None
    names = identity_list_path(config if isinstance(config, Config) else None, os.environ)
    try:
        st = names.stat()
        extra["identity_list"] = f"{names}\0{st.st_size}\0{st.st_mtime_ns}"
    except OSError:
        extra["identity_list"] = ""
    return extra


def validate_cached(
    root: Path,
    paths: list[Path] | None,
    case_lists: list[Path],
    *,
    use_cache: bool = True,
) -> ValidationReport:
    """:func:`validate_repository` of the selection, answered from ``.qa/cache`` when no
    input changed since a run of the same selection (see :mod:`qa_cli.cache`)."""
    from ..cache import Cache

    root = root.resolve()
    if not use_cache:
        return validate_repository(Repository.load(root, paths, use_cache=False), case_lists)
    cache = Cache.open(root)
    selection = [
        "all" if paths is None else sorted(p.resolve().as_posix() for p in paths),
        [p.resolve().as_posix() for p in case_lists],
    ]
    selection_key = json.dumps(selection)
    input_key = cache.input_key([selection_key], _outside_inputs(root))
    stored = cache.report(selection_key, input_key)
    report = _report_from(stored) if stored is not None else None
    if report is not None:
        return report
    report = validate_repository(Repository.load(root, paths), case_lists)
    cache.save(selection_key, input_key, _report_dict(report))
    return report
