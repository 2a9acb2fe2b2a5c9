"""Types shared by every file kind: dates, grades, ids, strict text, the model base."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from ..masking import masked, shown_date

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

# Dates outside this range are refused everywhere (files and options): no audit, action or
# case list of a children's service is dated before 1970 or after 2099, and far dates make
# date arithmetic (due dates, calendars, retention) overflow.
DATE_MIN = dt.date(1970, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def plausible(day: dt.date) -> dt.date:
    """``day`` if it lies in DATE_MIN..DATE_MAX; else a ``qa_date_range`` error."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError(
            "qa_date_range",
            "{value} is outside the plausible range {low} to {high}",
            {"value": day.isoformat(), "low": DATE_MIN.isoformat(), "high": DATE_MAX.isoformat()},
        )
    return day


def parse_iso_date(value: Any) -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date in the plausible range; errors say how to fix it."""
    if isinstance(value, dt.datetime):
        return plausible(value.date())
    if isinstance(value, dt.date):
        return plausible(value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "qa_date_type",
            "expected a date written as YYYY-MM-DD, found {found}",
            {"found": masked(value)},
        )
    text = value.strip()
    m = _ISO.match(text)
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise PydanticCustomError(
                "qa_date_impossible",
                "{value} is not a real date (that day does not exist in that month)",
                {"value": text},
            ) from None
        return plausible(day)
    if _UK.match(text):
        # day/month/year that is not a real date (a real one is read as UK order first)
        raise PydanticCustomError(
            "qa_date_impossible",
            "{value} is not a real date (read as day/month/year)",
            {"value": masked(text, "date")},
        )
    if len(text) > 10 and _ISO.match(text[:10]):
        raise PydanticCustomError(
            "qa_date_format",
            "{value} has a time as well; only the date is wanted",
            {"value": shown_date(text[:10], "date")},
        )
    raise PydanticCustomError(
        "qa_date_format",
        "{value} is not a date written as YYYY-MM-DD",
        {"value": masked(text)},
    )


def parse_uk_date(value: Any) -> dt.date | None:
    """``27/11/2026``, ``5.11.26`` or ``05-11-2026`` read in UK order (day, month, year).

    Two-digit years are 20yy. None when the text is not of that form or not a real date.
    The one reading of such dates: ``qa validate``/``qa fix`` and ``qa cases import`` agree.
    """
    if not isinstance(value, str):
        return None
    m = _UK.match(value.strip())
    if not m:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    try:
        return dt.date(year, int(m[2]), int(m[1]))
    except ValueError:
        return None


def parse_month(value: Any) -> str:
    """A month as ``YYYY-MM`` text (kept as text: it names folders and files)."""
    if isinstance(value, str):
        m = _MONTH.match(value.strip())
        if m and 1 <= int(m[2]) <= 12:
            if not DATE_MIN.year <= int(m[1]) <= DATE_MAX.year:
                raise PydanticCustomError(
                    "qa_date_range",
                    "{value} is outside the plausible range {low} to {high}",
                    {
                        "value": value.strip(),
                        "low": DATE_MIN.isoformat()[:7],
                        "high": DATE_MAX.isoformat()[:7],
                    },
                )
            return value.strip()
    raise PydanticCustomError(
        "qa_month", "expected a month written as YYYY-MM, found {found}", {"found": masked(value)}
    )


def _strict_text(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        raise PydanticCustomError(
            "qa_text_type",
            "expected text, found {found}",
            {"found": masked(value)},
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
CaseCode = Annotated[
    str, BeforeValidator(_strict_text), Field(pattern=r"^C-[0-9A-Z]{8,16}$")
]  # the length qa.yaml sets is checked by QA510
Version = StrictInt


def nothing_in(value: Any) -> bool:
    """Whether ``value`` holds nothing: None, blank text, or a list / mapping of nothing."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        values = value.values() if isinstance(value, dict) else value
        return all(nothing_in(v) for v in values)
    return False


class QAModel(BaseModel):
    """Base of every file model: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(
        extra="forbid", frozen=False, str_strip_whitespace=False, defer_build=True
    )


# The status of a form a manager or chair fills in (a crib sheet, a monitoring form, a mid-point
# review): allocated until completed.
FormStatus = Literal["allocated", "completed"]


class FileModel(QAModel):
    """Base of the model of a whole file (one per ``schema:`` kind): the key ``schema`` is the
    field ``schema_`` (``schema`` would shadow a BaseModel attribute), settable by either name.
    Each kind narrows ``schema_`` to its own ``Literal``; the field keeps its place, first."""

    schema_: str = Field(alias="schema")

    model_config = QAModel.model_config | {"populate_by_name": True}


def parse_tool_ref(ref: str) -> tuple[str, int] | None:
    """``single-agency-safeguarding@1`` -> ("single-agency-safeguarding", 1)."""
    m = re.match(r"^([a-z0-9][a-z0-9._-]*)@(\d+)$", ref or "")
    if not m:
        return None
    return m[1], int(m[2])


_REL_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def _rel_path(value: Any) -> Any:
    value = _strict_text(value)
    if isinstance(value, str) and (not _REL_PATH.match(value) or ".." in value.split("/")):
        raise PydanticCustomError(
            "qa_rel_path",
            "{value} is not a path inside the repository (folders/file.yaml, no '..')",
            {"value": repr(value[:60])},
        )
    return value


# A file of the repository named inside another file: relative, '/'-separated, never '..'.
RelPath = Annotated[str, BeforeValidator(_rel_path)]

ToolRef = Annotated[
    str,
    BeforeValidator(_strict_text),
    Field(pattern=r"^[a-z0-9][a-z0-9._-]*@\d+$"),
]


class ToolReturn(FileModel):
    """A return: a file filled in against the audit tool (and version) that ``tool`` names,
    second after ``schema``; its answers are checked against that tool."""

    tool: ToolRef
