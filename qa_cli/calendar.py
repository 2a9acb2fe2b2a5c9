"""Working days and due dates: weekends and England and Wales bank holidays.

Bank holidays come from the maintained ``holidays`` package (GB, subdivision ENG, which
England and Wales share), offline: no GOV.UK fetch at run time, and substitute days
(e.g. Boxing Day observed on a Monday) included.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

# Years of bank holidays read from a store (:func:`bank_holidays_kept`), and those asked of
# the ``holidays`` package in this process.
_KEPT: dict[int, frozenset[dt.date]] = {}
_ASKED: dict[int, frozenset[dt.date]] = {}
HOLIDAYS_NAME = "bank-holidays.json"
HOLIDAYS_FORMAT = "qa-bank-holidays/1"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    kept = _KEPT.get(year)
    if kept is not None:
        return kept
    import holidays

    days = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())
    _ASKED[year] = days
    return days


def _holidays_stamp() -> str | None:
    """Which ``holidays`` package is installed (its path, size and time), found without
    importing it; None if it cannot be found."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("holidays")
        origin = spec.origin if spec is not None else None
        st = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return None
    return f"{origin}\0{st.st_size}\0{st.st_mtime_ns}" if st else None


@contextmanager
def bank_holidays_kept(root: Path) -> Iterator[None]:
    """Within: the bank holidays of each year already asked for come from
    ``.qa/cache/bank-holidays.json`` of ``root``, and the years this process asked of the
    ``holidays`` package are added to it after (importing it and asking for three years costs 0.13 s
    of CPU, a third of a warm `qa validate`). Keyed by the toolkit and by the installed
    package's file, so an upgrade of either asks again; anything odd in it is ignored."""
    from .cache import _write, read_store, toolkit_fingerprint

    stamp = _holidays_stamp()
    stored = read_store(root, HOLIDAYS_NAME, HOLIDAYS_FORMAT, "years")
    years = _read_years(stored) if stored is not None and stored.get("holidays") == stamp else {}
    fresh = [y for y in years if y not in _KEPT]
    _KEPT.update({y: years[y] for y in fresh})
    try:
        yield
    finally:
        for y in fresh:
            _KEPT.pop(y, None)
        new = {y: d for y, d in _ASKED.items() if y not in years}
        if new and stamp is not None:
            import json

            both = years | new
            body = {
                "format": HOLIDAYS_FORMAT,
                "toolkit": toolkit_fingerprint(),
                "holidays": stamp,
                "years": {str(y): sorted(d.isoformat() for d in both[y]) for y in sorted(both)},
            }
            _write(root, json.dumps(body), HOLIDAYS_NAME)


def _read_years(stored: dict[str, object]) -> dict[int, frozenset[dt.date]]:
    """The stored years, or none if any entry is not a year's list of its dates."""
    out: dict[int, frozenset[dt.date]] = {}
    years = stored["years"]
    assert isinstance(years, dict)
    try:
        for key, days in years.items():
            year = int(key)
            if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
                return {}
            dates = frozenset(dt.date.fromisoformat(d) for d in days)
            if any(d.year != year for d in dates):
                return {}
            out[year] = dates
    except (ValueError, TypeError):
        return {}
    return out


def bank_holiday_name(day: dt.date) -> str | None:
    import holidays

    return holidays.country_holidays("GB", subdiv="ENG", years=[day.year]).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``day`` (``day`` itself does not count)."""
    if n < 0:
        raise ValueError("n must not be negative")
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every working day from ``start`` to ``end``, both included (empty if end < start)."""
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if is_working_day(d)]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _cal.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def due_after_months(day: dt.date, months: int) -> dt.date:
    """Due date ``months`` after ``day``, moved to the next working day."""
    return next_working_day(add_months(day, months))


def month_end(month: str) -> dt.date:
    """Last day of a ``YYYY-MM`` month."""
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, _cal.monthrange(year, mon)[1])


def first_working_day(month: str) -> dt.date:
    return next_working_day(dt.date(int(month[:4]), int(month[5:7]), 1))


def parse_month(value: str | None, option: str = "--month") -> str:
    """A YYYY-MM option in the plausible range, stripped; QAError (exit 2) otherwise.

    The one month parser: every command's month options (`--month`, `--from`, `--to`,
    `--verify`) and the report builders go through it.
    """
    import re

    from .errors import QAError
    from .masking import masked
    from .models.common import DATE_MAX, DATE_MIN

    text = (value or "").strip()
    m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text)
    if not m:
        raise QAError(
            f"{option}: {masked(value)} is not a month",
            f"write it as YYYY-MM, e.g. {option} 2026-11",
        )
    if not DATE_MIN.year <= int(m[1]) <= DATE_MAX.year:
        raise QAError(
            f"{option} {text} is outside the plausible range",
            f"give a month between {DATE_MIN.year}-01 and {DATE_MAX.year}-12",
        )
    return text
