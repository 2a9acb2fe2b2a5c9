"""Checking leaf files (returns, crib sheets, observations...) a chunk at a time.

No leaf file's rules read another leaf file (see :mod:`qa_cli.validation.perfile`), so the
leaves can be checked in chunks against one loaded copy of the files they consult (qa.yaml,
tools, samples, scopes): each chunk's text, data and models are dropped once its findings
are taken, and chunks can run in worker processes. The workers are forked after the
consulted files are loaded, so they share them; each returns its chunk's findings only.
Results come back in chunk order, so a parallel run reports exactly what a serial one does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .. import repository, yamlio
from ..repository import Repository, gc_paused
from .diagnostics import Diagnostic

CHUNK = 250  # files a chunk: small enough to bound memory, large enough to amortise set-up
PARALLEL_FROM = 1_000  # leaf files to check before worker processes pay for their start
Result = tuple[list[Diagnostic], list[Diagnostic], list[str]]

_BASE: Repository | None = None  # the consulted files, inherited by forked workers


def workers() -> int:
    """Worker processes to use: ``QA_WORKERS`` when set, else up to two (one per core)."""
    raw = os.environ.get("QA_WORKERS", "")
    if raw.strip().isdigit():
        return max(1, int(raw))
    return min(2, os.cpu_count() or 1)


def check_chunk(base: Repository, paths: list[Path]) -> Result:
    """Findings (shown, suppressed) and checked paths of ``paths``, with ``base``'s files."""
    from .engine import validate_repository

    config = base.config_or_none
    max_bytes = config.limits.max_file_bytes if config else yamlio.DEFAULT_MAX_BYTES
    with gc_paused():
        files = [repository.load_file(p, base.root, max_bytes) for p in paths]
    repo = Repository(
        root=base.root,
        files=base.files + files,
        config_or_none=base.config_or_none,
        config_file=base.config_file,
    )
    for shared in ("tools", "samples", "allocations"):
        repo.__dict__[shared] = getattr(base, shared)
    repo.selected = files
    report = validate_repository(repo, [])
    return report.diagnostics, report.suppressed, report.checked


def _run(paths: list[Path]) -> Result:
    assert _BASE is not None, "a worker without the consulted files"
    return check_chunk(_BASE, paths)


def runs(base: Repository, leaves: list[Path], n_workers: int | None = None) -> Iterator[Result]:
    """Each chunk's result, in order: in worker processes when there are many leaves."""
    global _BASE
    chunks = [leaves[i : i + CHUNK] for i in range(0, len(leaves), CHUNK)]
    n = workers() if n_workers is None else n_workers
    if n < 2 or len(leaves) < PARALLEL_FROM:
        for chunk in chunks:
            yield check_chunk(base, chunk)
        return
    import multiprocessing

    _BASE = base
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            yield from pool.imap(_run, chunks)
    finally:
        _BASE = None
