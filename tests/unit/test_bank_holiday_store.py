"""England's bank holidays kept in .qa/cache/bank-holidays.json for a report's next run
(qa_cli.calendar.bank_holidays_kept): the same days as the holidays package gives, and a
damaged, foreign or out-of-date store is never believed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from qa_cli import calendar as cal

STORE = Path(".qa/cache") / cal.HOLIDAYS_NAME
BOXING_DAY_2026 = dt.date(2026, 12, 28)  # a Monday: the substitute day for Boxing Day


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cal._bank_holidays.cache_clear()


def _package_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("asked the holidays package")

    monkeypatch.setattr(holidays, "country_holidays", refuse)


def test_the_years_asked_are_kept_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cal.bank_holidays_kept(tmp_path):
        assert not cal.is_working_day(BOXING_DAY_2026)
        want = cal._bank_holidays(2026)
    stored = json.loads((tmp_path / STORE).read_text())
    assert "2026-12-28" in stored["years"]["2026"]
    cal._bank_holidays.cache_clear()
    _package_refuses(monkeypatch)
    with cal.bank_holidays_kept(tmp_path):
        assert cal._bank_holidays(2026) == want
        assert cal.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    cal._bank_holidays.cache_clear()
    with pytest.raises(AssertionError, match="asked the holidays package"):
        cal._bank_holidays(2026)  # outside: the store is not used


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: "{ not json",
        lambda body: json.dumps({**body, "toolkit": "another"}),
        lambda body: json.dumps({**body, "holidays": "another package"}),
        lambda body: json.dumps({**body, "years": {"2026": ["2027-01-01"]}}),
        lambda body: json.dumps({**body, "years": {"2026": "2026-12-28"}}),
    ],
    ids=["not-json", "foreign-toolkit", "other-package", "wrong-year", "bad-shape"],
)
def test_a_damaged_store_is_not_believed(
    tmp_path: Path, damage: Callable[[dict[str, object]], str]
) -> None:
    with cal.bank_holidays_kept(tmp_path):
        want = cal._bank_holidays(2026)
    store = tmp_path / STORE
    store.write_text(damage(json.loads(store.read_text())))
    cal._bank_holidays.cache_clear()
    with cal.bank_holidays_kept(tmp_path):
        assert cal._bank_holidays(2026) == want
    assert json.loads(store.read_text())["years"]["2026"]  # written again, whole
