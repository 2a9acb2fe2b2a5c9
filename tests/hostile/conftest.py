"""Counts of what the hostile corpus and the property tests ran, printed at the end.

Tests add to ``COUNTS``; each test's additions travel with its report, so the summary is
the same in one process and under pytest-xdist (where tests run in worker processes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

COUNTS: Counter[str] = Counter()
_TOTALS: Counter[str] = Counter()
_KEY = "hostile-counts"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    before = COUNTS.copy()
    yield
    added = COUNTS - before
    if added:
        item.user_properties.append((_KEY, dict(added)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        for name, value in report.user_properties:
            if name == _KEY and isinstance(value, dict):
                _TOTALS.update(value)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _TOTALS:
        shown = ", ".join(f"{n} {what}" for what, n in sorted(_TOTALS.items()))
        terminalreporter.write_line(f"hostile corpus and fuzzing: {shown} ran")
