"""Working-day arithmetic around England and Wales bank holidays (the due rules depend on it)."""

from __future__ import annotations

import datetime as dt

import pytest

from qa_cli.calendar import (
    add_months,
    add_working_days,
    due_after_months,
    is_working_day,
    month_end,
    next_working_day,
    working_days,
    working_days_between,
)

D = dt.date


def test_ten_working_days_over_christmas_2026() -> None:
    # Fri 18 Dec 2026: Christmas is Fri 25, Boxing Day (Sat 26) is observed on Mon 28,
    # New Year's Day is Fri 1 Jan 2027.
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))  # substitute day for Boxing Day
    assert not is_working_day(D(2027, 1, 1))
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)
    # A naive count that only skips weekends would say 1 January.
    assert add_working_days(D(2026, 12, 18), 10) != D(2027, 1, 1)


def test_ten_working_days_over_easter_2027() -> None:
    # Easter Sunday 2027 is 28 March: Good Friday 26 March, Easter Monday 29 March.
    assert not is_working_day(D(2027, 3, 26))
    assert not is_working_day(D(2027, 3, 29))
    assert add_working_days(D(2027, 3, 24), 10) == D(2027, 4, 9)


def test_early_may_and_spring_bank_holidays() -> None:
    assert not is_working_day(D(2027, 5, 3))  # Early May bank holiday
    assert not is_working_day(D(2027, 5, 31))  # Spring bank holiday
    assert add_working_days(D(2027, 4, 30), 1) == D(2027, 5, 4)


def test_working_days_between_is_the_inverse_of_adding() -> None:
    for start in (D(2026, 12, 18), D(2027, 3, 24), D(2026, 8, 28)):
        for n in (0, 1, 5, 10, 20):
            assert working_days_between(start, add_working_days(start, n)) == n


def test_next_working_day_and_months() -> None:
    assert next_working_day(D(2026, 12, 26)) == D(2026, 12, 29)
    assert next_working_day(D(2026, 12, 29)) == D(2026, 12, 29)
    assert add_months(D(2026, 12, 31), 2) == D(2027, 2, 28)
    # Returns due two months after allocation, on a working day (App. D).
    assert due_after_months(D(2026, 10, 26), 2) == D(2026, 12, 29)
    assert due_after_months(D(2026, 9, 1), 2) == D(2026, 11, 2)  # 1 Nov 2026 is a Sunday
    assert month_end("2027-02") == D(2027, 2, 28)
    assert month_end("2028-02") == D(2028, 2, 29)


def test_negative_working_days_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1)


def test_working_days_lists_the_days_between_without_weekends_or_bank_holidays() -> None:
    # Christmas 2026: Friday 25 and Monday 28 (Boxing Day substitute) are bank holidays.
    days = working_days(dt.date(2026, 12, 23), dt.date(2026, 12, 31))
    assert days == [dt.date(2026, 12, d) for d in (23, 24, 29, 30, 31)]
    assert working_days(dt.date(2026, 12, 26), dt.date(2026, 12, 27)) == []
    assert working_days(dt.date(2026, 12, 31), dt.date(2026, 12, 23)) == []
