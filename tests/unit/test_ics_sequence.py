"""to_ics: DTSTAMP is the export time; SEQUENCE and LAST-MODIFIED move only when an event changes;
finished items come back once as cancelled."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from qa_cli.due import DueItem
from qa_cli.ics import export_time, to_ics

T1 = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 29, 15, 45, tzinfo=dt.UTC)  # later the same day
T3 = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def item(ref: str, due: dt.date, title: str = "Return for C-AAAA0001") -> DueItem:
    return DueItem("return", "tm-a", "team-a", due, 0, f"audits/x/{ref}.yaml", ref, title)


def by_uid(data: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_sequence_moves_only_for_changed_events_and_finished_ones_are_cancelled() -> None:
    a, b = item("C-AAAA0001", dt.date(2026, 12, 10)), item("C-AAAA0002", dt.date(2026, 12, 11))
    first = to_ics([a, b], T1)
    events = by_uid(first)
    assert {int(e["SEQUENCE"]) for e in events.values()} == {0}
    assert {e.decoded("DTSTAMP") for e in events.values()} == {T1}
    assert {e.decoded("LAST-MODIFIED") for e in events.values()} == {T1}

    # Same day, later: a's due date moved; b unchanged; nothing finished.
    moved = item("C-AAAA0001", dt.date(2026, 12, 17))
    second = by_uid(to_ics([moved, b], T2, previous=first))
    ua, ub = f"{a.uid}@qa-cli.due", f"{b.uid}@qa-cli.due"
    assert int(second[ua]["SEQUENCE"]) == 1 and second[ua].decoded("LAST-MODIFIED") == T2
    assert int(second[ub]["SEQUENCE"]) == 0 and second[ub].decoded("LAST-MODIFIED") == T1
    assert {e.decoded("DTSTAMP") for e in second.values()} == {T2}

    # b is finished: exported once more as cancelled, one sequence on.
    third_bytes = to_ics([moved], T3, previous=to_ics([moved, b], T2, previous=first))
    third = by_uid(third_bytes)
    assert str(third[ub]["STATUS"]) == "CANCELLED" and int(third[ub]["SEQUENCE"]) == 1
    assert int(third[ua]["SEQUENCE"]) == 1 and "STATUS" not in third[ua]
    # A further export keeps it cancelled without moving its sequence again.
    fourth = by_uid(to_ics([moved], T3, previous=third_bytes))
    assert str(fourth[ub]["STATUS"]) == "CANCELLED" and int(fourth[ub]["SEQUENCE"]) == 1
    # If it falls due again, it comes back (not cancelled) with a higher sequence.
    back = by_uid(to_ics([moved, b], T3, previous=third_bytes))
    assert "STATUS" not in back[ub] and int(back[ub]["SEQUENCE"]) == 2


def test_cancelled_events_long_past_are_left_out() -> None:
    old = item("C-AAAA0003", dt.date(2026, 6, 1))
    first = to_ics([old], T1)
    later = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
    assert by_uid(to_ics([], later, previous=first)) == {}


def test_export_time_is_source_date_epoch_when_set() -> None:
    assert export_time({"SOURCE_DATE_EPOCH": str(int(T1.timestamp()))}) == T1
    now = export_time({})
    assert now.tzinfo is not None and abs(now - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
