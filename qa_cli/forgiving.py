"""Forgiving, exact input: values a person writes naturally, read as the code they mean.

An auditor writes ``27/11/2026``, ``Requires Improvement`` or ``Returned``. Each has one
meaning, so the file is read with that meaning and a *note* records the change: ``qa
validate`` shows it as a warning whose hint is the exact corrected text, and ``qa fix``
writes it into the file. Nothing here guesses: a value with two readings, or a typo that
only looks close, is left for the validator to report as an error.

* dates: day/month/year (UK order, as ``qa cases import`` reads them) -> ``YYYY-MM-DD``;
* closed values (grades, statuses, answers, options): any case or spacing of a code, and
  the Ofsted wording ("Requires improvement to be good") -> the code;
* staff: a person's name from qa.yaml (any case) -> their staff id (see :func:`staff_by_name`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from .models.common import parse_uk_date

Loc = tuple[str | int, ...]

# Wordings with one meaning that are not just a respelling of the code.
ALIASES: dict[str, str] = {
    "requires_improvement_to_be_good": "requires_improvement",
    "n/a": "na",
    "n_a": "na",
    "not_applicable": "na",
}


@dataclass(frozen=True)
class Note:
    """A value read as something else: where, what was written, and the code it means."""

    code: str  # QA105 (UK date) or QA313 (another spelling of an allowed value)
    loc: Loc
    written: str
    value: str


def closed_value(value: Any, allowed: Sequence[str]) -> str | None:
    """The allowed code ``value`` spells differently (case, spaces, Ofsted wording), or None.

    None also when ``value`` is already allowed, or is not text, or is only *close* to a code.
    """
    if not isinstance(value, str) or value in allowed:
        return None
    key = re.sub(r"[\s\-_]+", "_", value.strip().lower())
    key = ALIASES.get(key, key)
    return key if key in allowed else None


def uk_date(value: Any) -> str | None:
    """``27/11/2026`` -> ``2026-11-27``; None when not a real day/month/year date."""
    parsed = parse_uk_date(value)
    return parsed.isoformat() if parsed is not None else None


def _norm_name(name: str) -> str:
    return " ".join(name.casefold().split())


def staff_by_name(staff: Iterable[Any]) -> dict[str, list[Any]]:
    """Staff of qa.yaml by their name, case- and space-insensitive (a name may be shared)."""
    out: dict[str, list[Any]] = {}
    for s in staff:
        name = getattr(s, "name", None)
        if isinstance(name, str) and name.strip():
            out.setdefault(_norm_name(name), []).append(s)
    return out


def staff_for_name(value: Any, by_name: dict[str, list[Any]]) -> list[Any]:
    """The staff members whose name ``value`` is (usually one; two when names are shared)."""
    if not isinstance(value, str):
        return []
    return by_name.get(_norm_name(value), [])


# --- reading a file's data through its model ----------------------------------------------


_SHAPES: dict[int, tuple[Any, tuple[str, Any]]] = {}  # id -> (annotation kept alive, shape)


def _shape(annotation: Any) -> tuple[str, Any]:
    """What a field holds: ("date", None), ("closed", codes), ("model", cls), ("list", item)."""
    known = _SHAPES.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    shape = _shape_of(annotation)
    _SHAPES[id(annotation)] = (annotation, shape)
    return shape


def _shape_of(annotation: Any) -> tuple[str, Any]:
    if annotation is dt.date:
        return "date", None
    origin = get_origin(annotation)
    if origin is Annotated:
        return _shape(get_args(annotation)[0])
    if origin is Literal:
        codes = [a for a in get_args(annotation) if isinstance(a, str)]
        return ("closed", codes) if codes else ("other", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if origin is list:
        args = get_args(annotation)
        return ("list", args[0]) if args else ("other", None)
    rest = [a for a in get_args(annotation) if a is not type(None)]
    if origin is not None and len(rest) == 1:  # X | None, Annotated[X, ...]
        return _shape(rest[0])
    return "other", None


def _forgive(annotation: Any, value: Any, loc: Loc, notes: list[Note]) -> Any:
    kind, arg = _shape(annotation)
    if kind == "date":
        fixed = uk_date(value)
        if fixed is not None:
            notes.append(Note("QA105", loc, str(value), fixed))
            return fixed
    elif kind == "closed":
        fixed = closed_value(value, arg)
        if fixed is not None:
            notes.append(Note("QA313", loc, str(value), fixed))
            return fixed
    elif kind == "model" and isinstance(value, dict):
        return _forgive_model(arg, value, loc, notes)
    elif kind == "list" and isinstance(value, list):
        return [_forgive(arg, v, (*loc, i), notes) for i, v in enumerate(value)]
    return value


# Each model's fields that may hold a forgivable value, worked out once (a bulk load reads
# the same few models thousands of times): [(key, annotation)].
_PLANS: dict[type[BaseModel], list[tuple[str, Any]]] = {}


def _plan(model_cls: type[BaseModel]) -> list[tuple[str, Any]]:
    plan = _PLANS.get(model_cls)
    if plan is None:
        plan = [
            (info.alias or name, info.annotation)
            for name, info in model_cls.model_fields.items()
            if _shape(info.annotation)[0] != "other"
        ]
        _PLANS[model_cls] = plan
    return plan


def _forgive_model(
    model_cls: type[BaseModel], data: dict[str, Any], at: Loc, notes: list[Note]
) -> dict[str, Any]:
    out = dict(data)
    for key, annotation in _plan(model_cls):
        if key in out:
            out[key] = _forgive(annotation, out[key], (*at, key), notes)
    return out


def forgive(model_cls: type[BaseModel], data: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``data`` with every forgivable value of ``model_cls``'s fields read as its code.

    Returns the data unchanged (the same object) when nothing needed reading differently.
    """
    notes: list[Note] = []
    out = _forgive_model(model_cls, data, (), notes)
    return (out if notes else data), notes
