"""Due items as an iCalendar file (RFC 5545) that Outlook or any calendar can import.

Each item is an all-day event on its due date. Its UID is derived from what the item is
(kind, file, reference, person), never from the run, so importing a newer export updates the
events instead of adding copies; DTSTAMP is the as-of date, so a later export is newer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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


def to_ics(
    items: Iterable[DueItem],
    today: dt.date,
    *,
    calendar_name: str = "QA due dates",
    names: dict[str, str] | None = None,
) -> bytes:
    """The items as an iCalendar document (bytes, CRLF line ends as the standard requires)."""
    from icalendar import Calendar, Event

    names = names or {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    for item in items:
        ev = Event()
        ev.add("uid", f"{item.uid}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", item.due)
        ev.add("dtend", item.due + dt.timedelta(days=1))
        prefix = "SAFEGUARDING: " if item.kind == "safeguarding_concern" else ""
        ev.add("summary", f"{prefix}{item.title}")
        ev.add("description", _description(item, names))
        ev.add("categories", [KIND_NAMES.get(item.kind, item.kind)])
        ev.add("transp", "TRANSPARENT")  # a deadline, not a meeting: do not block the day
        if item.kind == "safeguarding_concern":
            ev.add("priority", 1)
        cal.add_component(ev)
    return bytes(cal.to_ical())
