"""Due items as an iCalendar file (RFC 5545) that Outlook or any calendar can import.

Each item is an all-day event on its due date. Its UID is derived from what the item is
(kind, file, reference, person), never from the run, so importing a newer export updates the
events instead of adding copies. DTSTAMP is the time of the export (a parameter: the CLI passes
the clock, tests a fixed time).

A re-export to the same file reads the earlier one and carries each event's SEQUENCE on: an
event whose content changed gets SEQUENCE + 1 and a new LAST-MODIFIED, so calendars replace
it; an unchanged one keeps both. An event of the earlier export whose item is finished (no
longer due) is written once more with STATUS:CANCELLED and SEQUENCE + 1, so calendars drop it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .due import KIND_NAMES, DueItem

PRODID = "-//qa-cli//Children's Social Care QA due dates//EN"
UID_DOMAIN = "qa-cli.due"


def _description(item: DueItem, names: dict[str, str]) -> str:
    who = item.person or "unassigned"
    if item.person and item.person in names:
        who = f"{names[item.person]} ({item.person})"
    status = (
        f"Overdue by {item.days_overdue} day(s)"
        if item.overdue
        else ("Due today" if item.days_overdue == 0 else f"Due in {-item.days_overdue} day(s)")
    )
    lines = [
        item.title,
        "",
        f"{KIND_NAMES.get(item.kind, item.kind)}: {status} (as of the export).",
        f"Responsible: {who}",
    ]
    if item.team:
        lines.append(f"Team: {item.team}")
    lines.append(f"File: {item.path}")
    return "\n".join(lines)


# A fingerprint of what an event says, to tell a changed event from an unchanged one.
FINGERPRINT = "X-QA-FINGERPRINT"
# Cancelled events are carried this long after their date, then left out.
KEEP_CANCELLED = dt.timedelta(days=90)


@dataclass(frozen=True)
class Earlier:
    """An event of the previous export: its sequence, fingerprint and the event itself."""

    sequence: int
    fingerprint: str
    last_modified: dt.datetime | None
    cancelled: bool
    event: Any


def earlier_events(previous: bytes | None) -> dict[str, Earlier]:
    """The events of an earlier export by UID (empty when there is none or it cannot be read)."""
    from icalendar import Calendar

    if not previous:
        return {}
    try:
        cal = Calendar.from_ical(previous)
    except ValueError:
        return {}
    out: dict[str, Earlier] = {}
    for ev in cal.walk("VEVENT"):
        lm = ev.get("last-modified")
        out[str(ev.get("uid"))] = Earlier(
            sequence=int(ev.get("sequence", 0)),
            fingerprint=str(ev.get(FINGERPRINT, "")),
            last_modified=lm.dt if lm is not None else None,
            cancelled=str(ev.get("status", "")).upper() == "CANCELLED",
            event=ev,
        )
    return out


def _event(item: DueItem, names: dict[str, str]) -> Any:
    from icalendar import Event

    ev = Event()
    ev.add("uid", f"{item.uid}@{UID_DOMAIN}")
    ev.add("dtstart", item.due)
    ev.add("dtend", item.due + dt.timedelta(days=1))
    prefix = "SAFEGUARDING: " if item.kind == "safeguarding_concern" else ""
    ev.add("summary", f"{prefix}{item.title}")
    ev.add("description", _description(item, names))
    ev.add("categories", [KIND_NAMES.get(item.kind, item.kind)])
    ev.add("transp", "TRANSPARENT")  # a deadline, not a meeting: do not block the day
    if item.kind == "safeguarding_concern":
        ev.add("priority", 1)
    return ev


def _fingerprint(ev: Any) -> str:
    return hashlib.sha256(bytes(ev.to_ical())).hexdigest()[:16]


def _stamp(ev: Any, now: dt.datetime, before: Earlier | None, changed: bool) -> None:
    if before is None:
        sequence, modified = 0, now
    else:
        sequence = before.sequence + (1 if changed else 0)
        keep = before.last_modified
        modified = now if changed or keep is None else keep
    ev.add("dtstamp", now)
    ev.add("sequence", sequence)
    ev.add("last-modified", modified)


def _cancelled(before: Earlier, now: dt.datetime) -> Any | None:
    """The earlier event marked cancelled (once); None when it is long past."""
    ev = before.event
    start = ev.decoded("dtstart")
    if isinstance(start, dt.datetime):
        start = start.date()
    if start < now.date() - KEEP_CANCELLED:
        return None
    if before.cancelled:
        return ev
    for key in ("dtstamp", "sequence", "last-modified", "status"):
        ev.pop(key, None)
    ev.add("status", "CANCELLED")
    ev.add("dtstamp", now)
    ev.add("sequence", before.sequence + 1)
    ev.add("last-modified", now)
    return ev


def export_time(environ: dict[str, str]) -> dt.datetime:
    """The time of an export: SOURCE_DATE_EPOCH when set (reproducible output), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def to_ics(
    items: Iterable[DueItem],
    now: dt.datetime,
    *,
    calendar_name: str = "QA due dates",
    names: dict[str, str] | None = None,
    previous: bytes | None = None,
) -> bytes:
    """The items as an iCalendar document (bytes, CRLF line ends as the standard requires).

    ``now`` is the time of the export (timezone-aware); ``previous`` the bytes of the file
    this export replaces, if any, whose sequences it carries on.
    """
    from icalendar import Calendar

    names = names or {}
    earlier = earlier_events(previous)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    seen: set[str] = set()
    for item in items:
        ev = _event(item, names)
        uid = str(ev["uid"])
        seen.add(uid)
        fingerprint = _fingerprint(ev)
        before = earlier.get(uid)
        changed = before is not None and (before.fingerprint != fingerprint or before.cancelled)
        _stamp(ev, now, before, changed)
        ev.add(FINGERPRINT, fingerprint)
        cal.add_component(ev)
    for uid, before in earlier.items():
        if uid not in seen:
            gone = _cancelled(before, now)
            if gone is not None:
                cal.add_component(gone)
    return bytes(cal.to_ical())
