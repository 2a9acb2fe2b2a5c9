"""`qa due --ics`: an iCalendar file that parses back, with UIDs stable across runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import AS_OF, snapshot
from icalendar import Calendar

from .test_due import ACTIONS, CONCERN, audit_yaml, build_repo


def events(path: Path) -> list[Any]:
    cal = Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def small(tmp_path: Path) -> Path:
    return build_repo(
        tmp_path / "r",
        {
            "audits/a/C-AAAA0080--x.yaml": audit_yaml("C-AAAA0080", status="allocated"),
            "audits/a/C-AAAA0081--x.yaml": audit_yaml("C-AAAA0081", tail=ACTIONS + CONCERN),
        },
    )


def test_ics_parses_back_with_one_event_per_item(run: Any, tmp_path: Path) -> None:
    root = small(tmp_path)
    out = tmp_path / "due.ics"
    r = run("due", "--as-of", AS_OF, "--repo", root, "--ics", out)
    assert r.exit_code == 0, r.output
    assert f"event(s) to {out}" in r.output
    r = run("due", "--as-of", AS_OF, "--repo", root, "-f", "json", "--within", "3650")
    items = json.loads(r.output)["items"]
    evs = events(out)
    assert len(evs) == len(items) > 0
    by_uid = {str(e["UID"]): e for e in evs}
    assert len(by_uid) == len(evs)  # unique
    for item in items:
        e = by_uid[f"{item['uid']}@qa-cli.due"]
        start = e.decoded("DTSTART")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)  # all-day
        assert start.isoformat() == item["due"]
        assert e.decoded("DTEND") == start + dt.timedelta(days=1)
        assert item["title"] in str(e["SUMMARY"])
        assert item["path"] in str(e["DESCRIPTION"])
    first = by_uid[f"{items[0]['uid']}@qa-cli.due"]
    assert items[0]["kind"] == "safeguarding_concern"
    assert str(first["SUMMARY"]).startswith("SAFEGUARDING: ") and int(first["PRIORITY"]) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"VERSION:2.0" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded as RFC 5545 says


def test_uids_are_stable_and_a_reexport_replaces_the_file(
    run: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    root = small(tmp_path)
    out = tmp_path / "due.ics"
    exported = dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(exported.timestamp())))
    run("due", "--as-of", AS_OF, "--repo", root, "--ics", out)
    first = out.read_bytes()
    assert all(e.decoded("DTSTAMP") == exported for e in events(out))  # the export time
    run("due", "--as-of", AS_OF, "--repo", root, "--ics", out)
    assert out.read_bytes() == first  # same day, same time, nothing changed: same file
    before = {str(e["UID"]): e for e in events(out)}
    # a week later, after A1 is done: the other events keep their UIDs and move on DTSTAMP
    run("actions", "done", "C-AAAA0081", "A1", "--as-of", "2026-12-01", "--repo", root)
    later_time = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(later_time.timestamp())))
    run("due", "--as-of", "2026-12-06", "--repo", root, "--ics", out)
    later = {str(e["UID"]): e for e in events(out)}
    assert set(before) & set(later)
    assert len(set(later) - set(before)) == 1  # the verification of A1 is new
    assert all(e.decoded("DTSTAMP") == later_time for e in later.values())
    # A1's open-action event is finished: cancelled, one sequence on, so calendars drop it.
    (cancelled,) = [e for e in later.values() if str(e.get("STATUS")) == "CANCELLED"]
    uid = str(cancelled["UID"])
    assert int(cancelled["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    assert cancelled.decoded("LAST-MODIFIED") == later_time
    assert "A1" in str(cancelled["SUMMARY"])


def test_ics_respects_filters_and_includes_future_items(run: Any, tmp_path: Path) -> None:
    root = small(tmp_path)
    out = tmp_path / "tm-b.ics"
    r = run("due", "--as-of", AS_OF, "--repo", root, "--ics", out, "--person", "tm-b")
    assert r.exit_code == 0, r.output
    evs = events(out)
    # tm-b: the safeguarding concern, its outcome (2 working days later) and action A2 due
    # 10 Dec (beyond no horizon with --ics)
    assert {e.decoded("DTSTART") for e in evs} == {
        dt.date(2026, 11, 25),
        dt.date(2026, 11, 27),
        dt.date(2026, 12, 10),
    }


def test_ics_refuses_to_overwrite_a_file_that_is_not_a_calendar(run: Any, tmp_path: Path) -> None:
    root = small(tmp_path)
    before = snapshot(root)
    r = run("due", "--as-of", AS_OF, "--repo", root, "--ics", root / "qa.yaml")
    assert r.exit_code == 2
    assert "not an iCalendar file" in r.output and "left as it was" in r.output
    r = run("due", "--as-of", AS_OF, "--repo", root, "--ics", root / "audits")
    assert r.exit_code == 2 and "is a folder" in r.output
    assert snapshot(root) == before


def test_demo_repo_ics(run: Any, demo_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.ics"
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "--ics", out, "-f", "json")
    assert r.exit_code == 0
    evs = events(out)
    assert len(evs) >= len(json.loads(r.output)["items"]) > 10
    assert len({str(e["UID"]) for e in evs}) == len(evs)
