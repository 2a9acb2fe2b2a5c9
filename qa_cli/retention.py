"""Records past the retention period (App. E 6: kept three years for inspection, then destroyed).

Each record's age is counted from its last activity (an audit's completion, QA review or last
verified action; an observation's written feedback; a complaint's response...). A
multi-agency or themed audit is one record: its folder goes as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .calendar import add_months, month_end
from .layout import CASES_DIR, FILE_KINDS, RECORD_FOLDERS, REPORTS_DIR, RETENTION_LOG
from .repository import Repository

LOG_NAME = RETENTION_LOG
LOG_FIELDS = ["destroyed_on", "destroyed_by", "path", "kind", "last_activity"]
_DATED_CSV = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")
_MONTH_DIR = re.compile(r"^(\d{4}-\d{2})$")


@dataclass(frozen=True)
class Record:
    path: str  # repository-relative file or folder
    kind: str
    last_activity: dt.date


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
    for rel in repo.list_paths(REPORTS_DIR, "*"):
        m = _MONTH_DIR.match(rel.removeprefix(f"{REPORTS_DIR}/"))
        if m:
            out.append(Record(rel, "reports", month_end(m[1])))
    return sorted(out, key=lambda r: (r.last_activity, r.path))


def expired(repo: Repository, today: dt.date, years: int) -> list[Record]:
    """Records whose last activity is more than ``years`` years before ``today``."""
    return [r for r in records(repo) if add_months(r.last_activity, 12 * years) < today]


def purge(repo: Repository, items: list[Record], today: dt.date, by: str) -> Path:
    """Delete the records and append them to the destruction log; returns the log's path."""
    log = repo.path_for_write(LOG_NAME)
    existing = log.read_text(encoding="utf-8") if log.is_file() else ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=LOG_FIELDS, lineterminator="\n")
    if not existing:
        writer.writeheader()
    for r in items:
        writer.writerow(
            {
                "destroyed_on": today.isoformat(),
                "destroyed_by": by,
                "path": r.path,
                "kind": r.kind,
                "last_activity": r.last_activity.isoformat(),
            }
        )
    # The log is written first: if a deletion fails half-way, the log over-reports rather
    # than leaving destroyed records unrecorded.
    yamlio.atomic_write(log, existing + buf.getvalue())
    for r in items:
        repo.remove(r.path)
    return log
