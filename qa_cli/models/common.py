"""Types shared by every file kind: dates, grades, ids, strict text, the model base."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

GRADES: tuple[str, ...] = ("outstanding", "good", "requires_improvement", "inadequate")
GRADE_NAMES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires Improvement",
    "inadequate": "Inadequate",
}
# Rank for statistics and comparisons: higher is better.
GRADE_RANK = {"inadequate": 1, "requires_improvement": 2, "good": 3, "outstanding": 4}
BELOW_GOOD = frozenset({"requires_improvement", "inadequate"})

Grade = Literal["outstanding", "good", "requires_improvement", "inadequate"]

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SLASHED = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_iso_date(value: Any) -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date with an error that says how to fix it."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "qa_date_type",
            "expected a date written as YYYY-MM-DD, found {found}",
            {"found": repr(value)},
        )
    text = value.strip()
    m = _ISO.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise PydanticCustomError(
                "qa_date_impossible",
                "{value} is not a real date (that day does not exist in that month)",
                {"value": text},
            ) from None
    if _SLASHED.match(text):
        raise PydanticCustomError(
            "qa_date_ambiguous",
            "{value} is ambiguous: UK and US orders differ (1 February or January 2?)",
            {"value": text},
        )
    if len(text) > 10 and _ISO.match(text[:10]):
        raise PydanticCustomError(
            "qa_date_format",
            "{value} has a time as well; only the date is wanted",
            {"value": text},
        )
    raise PydanticCustomError(
        "qa_date_format", "{value} is not a date written as YYYY-MM-DD", {"value": text}
    )


def parse_month(value: Any) -> str:
    """A month as ``YYYY-MM`` text (kept as text: it names folders and files)."""
    if isinstance(value, str):
        m = _MONTH.match(value.strip())
        if m and 1 <= int(m[2]) <= 12:
            return value.strip()
    raise PydanticCustomError(
        "qa_month", "expected a month written as YYYY-MM, found {found}", {"found": repr(value)}
    )


def _strict_text(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        raise PydanticCustomError(
            "qa_text_type",
            "expected text, found {found}",
            {"found": "nothing" if value is None else repr(value)},
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]
Month = Annotated[str, BeforeValidator(parse_month)]
Text = Annotated[str, BeforeValidator(_strict_text)]
Id = Annotated[
    str,
    BeforeValidator(_strict_text),
    Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80),
]
CaseCode = Annotated[str, BeforeValidator(_strict_text), Field(pattern=r"^C-[0-9A-Z]{8}$")]
Version = StrictInt


class QAModel(BaseModel):
    """Base of every file model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


def parse_tool_ref(ref: str) -> tuple[str, int] | None:
    """``single-agency-safeguarding@1`` -> ("single-agency-safeguarding", 1)."""
    m = re.match(r"^([a-z0-9][a-z0-9._-]*)@(\d+)$", ref or "")
    if not m:
        return None
    return m[1], int(m[2])


ToolRef = Annotated[
    str,
    BeforeValidator(_strict_text),
    Field(pattern=r"^[a-z0-9][a-z0-9._-]*@\d+$"),
]
