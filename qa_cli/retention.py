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
from typing import Any

from . import yamlio
from .calendar import add_months, month_end
from .repository import Repository

LOG_NAME = "retention-log.csv"
LOG_FIELDS = ["destroyed_on", "destroyed_by", "path", "kind", "last_activity"]
_DATED_CSV = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")
_MONTH_DIR = re.compile(r"^(\d{4}-\d{2})$")


@dataclass(frozen=True)
class Record:
    path: str  # repository-relative file or folder
    kind: str
    last_activity: dt.date


def _last_activity(kind: str, m: Any) -> dt.date | None:
    dates: list[dt.date | None] = []
    if kind in ("qa/audit",):
        dates = [m.allocated, m.completed]
        if m.qa_review is not None:
            dates.append(m.qa_review.date)
        dates += [a.verified_on or a.done_on for a in m.actions]
    elif kind == "qa/crib-sheet":
        dates = [m.held, month_end(m.month)]
    elif kind == "qa/observation":
        dates = [m.observed, m.feedback_written]
    elif kind == "qa/complaint":
        dates = [m.date, m.responded]
    elif kind == "qa/sample":
        dates = [m.drawn]
    elif kind == "qa/multi-agency-findings":
        dates = [m.agreed_on] + [r.done or r.due for r in m.reviews]
    elif kind == "qa/multi-agency":
        dates = [m.returns_due, m.report_date]
    elif kind == "qa/themed":
        dates = [month_end(m.month), m.report_due]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def records(repo: Repository) -> list[Record]:
    """Every record of the repository with the date its retention period runs from."""
    out: list[Record] = []
    folders: dict[str, Record] = {}
    for lf in repo.files:
        if lf.model is None or lf.kind in (None, "qa/config", "qa/tool"):
            continue
        last = _last_activity(lf.kind, lf.model)
        if last is None:
            continue
        parts = lf.rel.split("/")
        if parts[0] in ("multi-agency", "themed") and len(parts) >= 3:
            folder = "/".join(parts[:2])
            prev = folders.get(folder)
            if prev is None or last > prev.last_activity:
                folders[folder] = Record(folder, parts[0], last)
            continue
        out.append(Record(lf.rel, lf.kind.removeprefix("qa/"), last))
    out += folders.values()
    for rel in repo.list_paths("cases", "*.csv"):
        m = _DATED_CSV.match(rel.removeprefix("cases/"))
        if m:
            out.append(Record(rel, "case-list", dt.date.fromisoformat(m[1])))
    for rel in repo.list_paths("reports", "*"):
        m = _MONTH_DIR.match(rel.removeprefix("reports/"))
        if m:
            out.append(Record(rel, "reports", month_end(m[1])))
    return sorted(out, key=lambda r: (r.last_activity, r.path))


def expired(repo: Repository, today: dt.date, years: int) -> list[Record]:
    """Records whose last activity is more than ``years`` years before ``today``."""
    return [r for r in records(repo) if add_months(r.last_activity, 12 * years) < today]


def purge(repo: Repository, items: list[Record], today: dt.date, by: str) -> Path:
    """Delete the records and append them to the destruction log; returns the log's path."""
    log = repo.root / LOG_NAME
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
