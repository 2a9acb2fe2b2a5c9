"""Per-file findings in ``.qa/cache/files.json``: an unchanged return is not checked again.

A return's findings depend on its own bytes and on the files its rules consult (qa.yaml,
the tools, the samples, the themed and multi-agency scopes), on what validation reads
from outside the files (the identity lists, git's HEAD) and on the toolkit. So:

* the **context** of a run is the hash of all of those: every input file's content except
  the *leaf* files (returns, crib sheets, observations, complaints, monitoring forms...:
  the kinds no other file's rules read), plus the outside inputs and the toolkit;
* each leaf file's entry holds the SHA-256 of its bytes, the context it was checked in
  and its findings (shown and suppressed); an entry whose hash and context match is
  reused, and the file is neither read nor parsed;
* every other file, and every leaf file without a matching entry, is checked as
  ``qa validate FILES`` checks a selection (with everything its rules consult), together
  with the whole-repository rules (case lists, editor schemas, CI files).

Hashes come from :class:`qa_cli.cache.Cache` (size and ``mtime_ns`` first, the content
when either moved or the file was written too close to the cache). Like the rest of
``.qa/cache``, the file is JSON of this toolkit only; anything odd in it is ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache, Stamp, _write, read_store, toolkit_fingerprint
from . import chunked
from .diagnostics import Diagnostic, ValidationReport

CONFIG = "qa.yaml"
FILES_NAME = "files.json"
FILES_FORMAT = "qa-file-findings/1"


@dataclass
class Entry:
    """One leaf file: the hash of its bytes, the context it was checked in, its findings."""

    sha: str
    context: str
    diagnostics: list[Diagnostic]
    suppressed: list[Diagnostic]


@dataclass
class FileFindings:
    """The per-file store of one repository, as read (or empty)."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> FileFindings:
        store = cls(root=root)
        stored = read_store(root, FILES_NAME, FILES_FORMAT, "entries")
        if stored is None:
            return store
        for rel, raw in stored["entries"].items():
            entry = _entry(raw)
            if entry is not None:
                store.entries[rel] = entry
        return store

    def save(self) -> None:
        body = {
            "format": FILES_FORMAT,
            "toolkit": toolkit_fingerprint(),
            "entries": {
                rel: {
                    "sha": e.sha,
                    "context": e.context,
                    "diagnostics": [d.as_record() for d in e.diagnostics],
                    "suppressed": [d.as_record() for d in e.suppressed],
                }
                for rel, e in sorted(self.entries.items())
            },
        }
        _write(self.root, json.dumps(body, separators=(",", ":")), FILES_NAME)


def _entry(raw: object) -> Entry | None:
    """An entry as this toolkit writes it, or None for anything else."""
    if not isinstance(raw, dict):
        return None
    try:
        sha, context = raw["sha"], raw["context"]
        if not (isinstance(sha, str) and isinstance(context, str)):
            return None
        return Entry(
            sha,
            context,
            [Diagnostic.from_record(d) for d in raw["diagnostics"]],
            [Diagnostic.from_record(d) for d in raw["suppressed"]],
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _is_leaf(rel: str, stamp: Stamp) -> bool:
    """Whether no other file's rules read this one (decided without parsing): a regular
    YAML file whose bytes name none of the consulted kinds (the stamp's sniff, taken when
    its bytes were hashed)."""
    _, _, sha, tag = stamp
    if rel == CONFIG or not rel.endswith((".yaml", ".yml")) or len(sha) != 64:
        return False  # qa.yaml, case lists and other inputs, links, special files
    return tag == ""


def context_key(
    cache: Cache, store: FileFindings, checked: set[str], extra: dict[str, str]
) -> tuple[str, set[str]]:
    """The hash of everything a leaf file's findings depend on besides its own bytes, and
    the leaf files among ``checked`` (relative paths)."""
    h = hashlib.sha256(toolkit_fingerprint().encode())
    h.update(json.dumps(sorted(extra.items())).encode())
    leaves: set[str] = set()
    for rel, stamp in sorted(cache.current.items()):
        if rel in checked and _is_leaf(rel, stamp):
            leaves.add(rel)
        else:
            h.update(f"{rel}\0{stamp[2]}\n".encode())
    return h.hexdigest(), leaves


def validate_by_file(
    root: Path, cache: Cache, case_lists: list[Path], extra: dict[str, str]
) -> ValidationReport:
    """:func:`validate_repository` of every file, reusing the findings of unchanged leaves.

    ``cache`` has its :attr:`~qa_cli.cache.Cache.current` hashes filled in
    (:meth:`~qa_cli.cache.Cache.input_key`).
    """
    from ..repository import iter_yaml_files

    store = FileFindings.open(root)
    every = {p.relative_to(root).as_posix(): p for p in iter_yaml_files(root)}
    context, leaves = context_key(cache, store, set(every), extra)
    reused: dict[str, Entry] = {}
    for rel in leaves:
        entry = store.entries.get(rel)
        if entry is not None and entry.context == context and entry.sha == cache.current[rel][2]:
            reused[rel] = entry
    others = [p for rel, p in every.items() if rel not in leaves]
    todo = [p for rel, p in every.items() if rel in leaves and rel not in reused]
    report = _merged(root, list(every), check_fresh(root, others, todo, case_lists), reused)
    _remember(store, cache, report, leaves, context)
    return report


def check_fresh(
    root: Path, others: list[Path], leaves: list[Path], case_lists: list[Path]
) -> ValidationReport:
    """The findings of ``others`` (with the whole-repository rules) and of ``leaves``, these
    checked a chunk at a time (in worker processes when there are many): a chunk's files
    are dropped once checked, so memory holds the consulted files, one chunk and findings."""
    from ..repository import Repository
    from .engine import validate_repository

    base = Repository.load(root, others, exactly=True)  # parsed.jsonl: each sample's month
    if not base.files:  # no qa.yaml, no tools: nothing to share, one run as before
        return validate_repository(Repository.load(root, use_cache=False), case_lists)
    report = validate_repository(base, case_lists)
    lists = report.checked[len(report.checked) - len(case_lists) :]
    report.checked = report.checked[: len(report.checked) - len(case_lists)]
    for shown, hidden, checked in chunked.runs(base, leaves):
        report.diagnostics += shown
        report.suppressed += hidden
        report.checked += checked
    report.checked += lists
    report.files_checked = len(report.checked)
    return report


def _merged(
    root: Path, every: list[str], fresh: ValidationReport, reused: dict[str, Entry]
) -> ValidationReport:
    """The report of a whole run: the fresh findings plus the reused files' findings, the
    files listed in the order a whole run checks them (qa.yaml first, case lists last)."""
    report = ValidationReport(notes=fresh.notes)
    report.diagnostics = list(fresh.diagnostics)
    report.suppressed = list(fresh.suppressed)
    for entry in reused.values():
        report.diagnostics += entry.diagnostics
        report.suppressed += entry.suppressed
    lists = [rel for rel in fresh.checked if not rel.endswith((".yaml", ".yml"))]
    checked = set(fresh.checked) - set(lists)
    in_order = [rel for rel in every if rel in reused or rel in checked]
    in_order += sorted(checked - set(in_order))  # a file known by another name (a link)
    report.checked = [CONFIG] * (CONFIG in checked) + [r for r in in_order if r != CONFIG] + lists
    report.files_checked = len(report.checked)
    return report


def _remember(
    store: FileFindings,
    cache: Cache,
    report: ValidationReport,
    leaves: set[str],
    context: str,
) -> None:
    """Store each leaf file's findings of this run; forget every other file."""
    shown: dict[str, list[Diagnostic]] = {rel: [] for rel in leaves}
    hidden: dict[str, list[Diagnostic]] = {rel: [] for rel in leaves}
    for d in report.diagnostics:
        if d.path in shown:
            shown[d.path].append(d)
    for d in report.suppressed:
        if d.path in hidden:
            hidden[d.path].append(d)
    store.entries = {
        rel: Entry(cache.current[rel][2], context, shown[rel], hidden[rel]) for rel in leaves
    }
    store.save()
