"""Records past the retention period (App. E 6: kept three years for inspection, then destroyed).

Each record's age is counted from its last activity (an audit's completion, QA review or last
verified action; an observation's written feedback; a complaint's response...). A
multi-agency or themed audit is one record: its folder goes as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .calendar import add_months, month_end
from .errors import QAError
from .layout import CASES_DIR, FILE_KINDS, RECORD_FOLDERS, REPORTS_DIR, RETENTION_LOG
from .repository import Repository

LOG_NAME = RETENTION_LOG
# The log names no case: what kind, which month, how many, the SHA-256 of each record's
# bytes (to prove later what was destroyed, without saying what it was), when and by whom.
LOG_FIELDS = ["destroyed_on", "destroyed_by", "kind", "month", "count", "sha256"]
PURGE_ROLES = frozenset({"qa_lead", "information_governance"})
_DATED_CSV = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")
_MONTH_DIR = re.compile(r"^(\d{4}-\d{2})$")
_HALF_DIR = re.compile(r"^(\d{4})-H([12])$")
_YEAR_DIR = re.compile(r"^(\d{4})$")
# Files that are the repository itself, not records.
_NOT_RECORDS = frozenset({"qa.yaml", RETENTION_LOG, ".gitignore", "README.md"})
_NOT_RECORD_DIRS = frozenset({"audit_tools", "templates", "schemas", ".git", ".qa", ".github"})


@dataclass(frozen=True)
class Record:
    path: str  # repository-relative file or folder
    kind: str
    last_activity: dt.date


@dataclass
class Review:
    """What the retention run found: records to destroy, records kept and why, and files a
    person must decide on (strays, unreadable files)."""

    expired: list[Record] = field(default_factory=list)
    held: list[tuple[Record, str]] = field(default_factory=list)  # (record, why kept)
    undecided: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def records(repo: Repository) -> list[Record]:
    """Every record of the repository with the date its retention period runs from."""
    out: list[Record] = []
    folders: dict[str, Record] = {}
    for lf in repo.files:
        fk = FILE_KINDS.get(lf.kind or "")
        last = fk.last_activity(lf.model) if fk is not None else None
        if last is None or lf.kind is None:  # no model, or a kind with no retention date
            continue
        parts = lf.rel.split("/")
        if parts[0] in RECORD_FOLDERS and len(parts) >= 3:
            folder = "/".join(parts[:2])
            prev = folders.get(folder)
            if prev is None or last > prev.last_activity:
                folders[folder] = Record(folder, parts[0], last)
            continue
        out.append(Record(lf.rel, lf.kind.removeprefix("qa/"), last))
    out += folders.values()
    for rel in repo.list_paths(CASES_DIR, "*.csv"):
        m = _DATED_CSV.match(rel.removeprefix(f"{CASES_DIR}/"))
        if m:
            out.append(Record(rel, "case-list", dt.date.fromisoformat(m[1])))
    out += _report_folders(repo)
    return sorted(out, key=lambda r: (r.last_activity, r.path))


def _report_folders(repo: Repository) -> list[Record]:
    """reports/<YYYY-MM>, <YYYY-H1|H2>, <YYYY> by their period; other folders by their files."""
    out = []
    for rel in repo.list_paths(REPORTS_DIR, "*"):
        name = rel.removeprefix(f"{REPORTS_DIR}/")
        m, h, y = _MONTH_DIR.match(name), _HALF_DIR.match(name), _YEAR_DIR.match(name)
        if m:
            out.append(Record(rel, "reports", month_end(m[1])))
        elif h:
            out.append(
                Record(
                    rel,
                    "reports",
                    dt.date(int(h[1]), 6 if h[2] == "1" else 12, 30 if h[2] == "1" else 31),
                )
            )
        elif y:
            out.append(Record(rel, "reports", dt.date(int(y[1]), 12, 31)))
        elif (repo.root / rel).is_dir():
            out.append(Record(rel, "reports", _newest_file(repo.root / rel)))
    return out


def _newest_file(folder: Path) -> dt.date:
    stamps = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    return dt.date.fromtimestamp(max(stamps)) if stamps else dt.date.min


def expired(repo: Repository, today: dt.date, years: int) -> list[Record]:
    """Records whose last activity is more than ``years`` years before ``today``."""
    return [r for r in records(repo) if add_months(r.last_activity, 12 * years) < today]


def review(repo: Repository, today: dt.date, years: int) -> Review:
    """Expired records, minus those under a legal hold or with an open safeguarding concern;
    plus every file no rule covers, for a person to decide."""
    out = Review()
    open_concerns = _open_concerns(repo)
    for r in expired(repo, today, years):
        why = _hold(repo, r, today) or _concern(r, open_concerns)
        if why:
            out.held.append((r, why))
        else:
            out.expired.append(r)
    out.undecided = _undecided(repo, records(repo))
    return out


def _hold(repo: Repository, r: Record, today: dt.date) -> str | None:
    holds = repo.config.retention.legal_holds if repo.config_or_none else []
    for h in holds:
        if h.until is not None and h.until < today:
            continue
        if fnmatch.fnmatch(r.path, h.match) or fnmatch.fnmatch(r.path + "/", h.match):
            until = f" until {h.until}" if h.until else ""
            return f"legal hold by {h.by}{until}: {h.reason}"
    return None


def _open_concerns(repo: Repository) -> set[str]:
    """Paths of returns whose safeguarding concern is not acknowledged or has no outcome."""
    out = set()
    for lf in repo.files:
        concern = getattr(lf.model, "safeguarding_concern", None)
        if concern is not None and (concern.acknowledged_on is None or concern.outcome is None):
            out.add(lf.rel)
    return out


def _concern(r: Record, open_concerns: set[str]) -> str | None:
    if any(p == r.path or p.startswith(r.path + "/") for p in open_concerns):
        return "a safeguarding concern is not yet acknowledged or has no outcome"
    return None


def _undecided(repo: Repository, known: list[Record]) -> list[tuple[str, str]]:
    """Files no retention rule covers: unreadable YAML, stray files of any kind."""
    covered = {r.path for r in known}
    loaded = {lf.rel: lf for lf in repo.files}
    out = []
    for path in sorted(repo.root.rglob("*")):
        rel = path.relative_to(repo.root).as_posix()
        parts = rel.split("/")
        if not path.is_file() or parts[0] in _NOT_RECORD_DIRS or rel in _NOT_RECORDS:
            continue
        if any("/".join(parts[:i]) in covered for i in range(1, len(parts) + 1)):
            continue
        lf = loaded.get(rel)
        if lf is not None and lf.kind == "qa/tool":
            continue
        why = (
            "it could not be read as a record" if lf is not None else "no retention rule covers it"
        )
        out.append((rel, why))
    return out


def check_purger(repo: Repository, by: str | None) -> str:
    """The staff id of who destroys records: a QA lead or an information-governance role."""
    staff = repo.config.staff_by_id()
    if by is None or by not in staff:
        raise QAError(
            "--purge needs --by with your staff id from qa.yaml",
            "the destruction log records who destroyed the records",
        )
    if not PURGE_ROLES & set(staff[by].roles):
        raise QAError(
            f"{by} has no qa_lead or information_governance role, so cannot destroy records",
            "ask the QA lead or the information-governance lead to run the purge",
            exit_code=1,
        )
    return by


def _digest(path: Path) -> str:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    h = hashlib.sha256()
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()


def purge(repo: Repository, items: list[Record], today: dt.date, by: str) -> Path:
    """Delete the records and append them to the destruction log; returns the log's path."""
    log = repo.path_for_write(LOG_NAME)
    existing = log.read_text(encoding="utf-8") if log.is_file() else ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=LOG_FIELDS, lineterminator="\n")
    if not existing:
        writer.writeheader()
    groups: dict[tuple[str, str], list[str]] = {}
    for r in items:
        key = (r.kind, r.last_activity.strftime("%Y-%m"))
        groups.setdefault(key, []).append(_digest(repo.root / r.path))
    for (kind, month), digests in sorted(groups.items()):
        writer.writerow(
            {
                "destroyed_on": today.isoformat(),
                "destroyed_by": by,
                "kind": kind,
                "month": month,
                "count": len(digests),
                "sha256": " ".join(sorted(digests)),
            }
        )
    # The log is written first: if a deletion fails half-way, the log over-reports rather
    # than leaving destroyed records unrecorded.
    yamlio.atomic_write(log, existing + buf.getvalue())
    for r in items:
        repo.remove(r.path)
    return log
