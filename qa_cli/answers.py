"""An answer of a return as the tool's question means it: its value, its comment, blank or not.

Shared by validation (which warns where a value was read forgivingly) and the reports (which
count it like any other); kept apart from ``qa_cli.validation`` so that a report does not
import the validator's rules and messages to read its answers.
"""

from __future__ import annotations

from typing import Any

from .forgiving import closed_value, uk_date
from .models.tool import CLOSED_ANSWERS, Question


def split_answer(q: Question, raw: Any) -> tuple[Any, str | None, dict[str, Any] | None]:
    """(answer value, comment, the mapping if the answer was written as one).

    The value is read as the code it means (`No` -> no, `27/11/2026` -> 2026-11-27), so
    reports count it like any other; ``qa validate`` warns where that happened.
    """
    if isinstance(raw, dict):
        if q.type == "check":
            return raw, raw.get("comment"), raw
        return canonical_answer(q, raw.get("answer")), raw.get("comment"), raw
    return canonical_answer(q, raw), None, None


def canonical_answer(q: Question, value: Any) -> Any:
    """``value`` as the code it means for question ``q``, or unchanged."""
    if q.type == "date":
        return uk_date(value) or value
    allowed = CLOSED_ANSWERS.get(q.type) or (q.options or ())
    if not allowed:
        return value
    if isinstance(value, list) and q.type == "multi_choice":
        return [closed_value(v, allowed) or v for v in value]
    return closed_value(value, allowed) or value


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str) and not value.strip():
        return True
    if isinstance(value, list | dict) and not value:
        return True
    if isinstance(value, dict) and all(is_blank(v) for v in value.values()):
        return True
    return False
