"""`qa validate` answered from ``.qa/cache`` when no input changed (see :mod:`qa_cli.cache`).

Kept apart from the engine so that a cache hit imports no rules, models or pydantic.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..cache import Cache
from .diagnostics import Diagnostic, ValidationReport


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


def _stamp(path: Path) -> str:
    try:
        st = path.expanduser().stat()
    except OSError:
        return f"{path}:absent"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _outside_inputs(root: Path, cache: Cache | None = None) -> dict[str, str]:
    """What validation reads from outside the repository's files: git's HEAD, and every place
    an identity list may be (the environment's, qa.yaml's, the config folder's)."""
    from .. import gitutil
    from ..reporoot import config_dir

    env = os.environ.get("QA_IDENTITY_LIST", "")
    extra = {"QA_IDENTITY_LIST": _stamp(Path(env)) if env else ""}
    extra["default_list"] = _stamp(config_dir(os.environ) / "identity-list.txt")
    if gitutil.available():
        proc = gitutil._run(root, "rev-parse", "HEAD", check=False)
        extra["git"] = proc.stdout.strip() if proc.returncode == 0 else ""
    named = _named_list(root, cache)
    extra["config_list"] = _stamp(Path(named)) if named is not None else ""
    return extra


def _named_list(root: Path, cache: Cache | None) -> str | None:
    """qa.yaml's ``privacy.identity_list``; remembered in the cache by qa.yaml's hash, so a
    run answered from the cache does not import a YAML parser to read it."""
    import hashlib

    try:
        raw = (root / "qa.yaml").read_bytes()
    except OSError:
        return None
    sha = hashlib.sha256(raw).hexdigest()
    known = cache.memo.get("config_list") if cache is not None else None
    if isinstance(known, list) and len(known) == 2 and known[0] == sha:
        return known[1] if isinstance(known[1], str) else None
    from .. import yamlio

    config = yamlio.load_fast(raw)
    privacy = config.get("privacy") if isinstance(config, dict) else None
    named = privacy.get("identity_list") if isinstance(privacy, dict) else None
    named = named if isinstance(named, str) else None
    if cache is not None:
        cache.memo["config_list"] = [sha, named]
    return named


def validate_cached(
    root: Path,
    paths: list[Path] | None,
    case_lists: list[Path],
    *,
    use_cache: bool = True,
) -> ValidationReport:
    """:func:`validate_repository` of the selection, answered from ``.qa/cache`` when no
    input changed since a run of the same selection (see :mod:`qa_cli.cache`).

    A hit imports no rule, model or parser: only a miss loads them."""
    root = root.resolve()
    if not use_cache:
        from ..repository import Repository
        from .engine import validate_repository

        return validate_repository(Repository.load(root, paths, use_cache=False), case_lists)
    cache = Cache.open(root)
    selection = [
        "all" if paths is None else sorted(p.resolve().as_posix() for p in paths),
        [p.resolve().as_posix() for p in case_lists],
    ]
    selection_key = json.dumps(selection)
    outside = _outside_inputs(root, cache)
    input_key = cache.input_key([selection_key], outside)
    stored = cache.report(selection_key, input_key)
    report = _report_from(stored) if stored is not None else None
    if report is not None:
        return report
    if paths is None:
        from .perfile import validate_by_file

        report = validate_by_file(root, cache, case_lists, outside)
    else:
        from ..repository import Repository
        from .engine import validate_repository

        repo = Repository.load(root, paths, index=cache.current)
        report = validate_repository(repo, case_lists)
        cache.save_selection(selection_key, input_key, _report_dict(report))
        return report
    cache.save(selection_key, input_key, _report_dict(report))
    return report
