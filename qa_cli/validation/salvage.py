"""A partial model of a file that failed its schema, so the later checks can still run.

``qa validate`` reports every finding of a file in one run: a misspelt grade must not hide
an unknown staff id or a missing comment. When a file does not validate, :func:`salvage`
builds its model field by field: every field that validates keeps its parsed value, a nested
model or list of models is salvaged item by item, and a field that does not validate is set
to None and its path recorded as *broken*. Checks skip only what depends on a broken path.

A partial model is for validation only: other commands keep reading valid files alone.
"""

from __future__ import annotations

from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

Loc = tuple[str | int, ...]


def salvage(model_cls: type[BaseModel], data: Any) -> tuple[BaseModel, frozenset[Loc]]:
    """(partial model, broken paths) for ``data`` against ``model_cls``."""
    broken: set[Loc] = set()
    model = _build(model_cls, data, (), broken)
    return model, frozenset(broken)


def _build(model_cls: type[BaseModel], data: Any, at: Loc, broken: set[Loc]) -> BaseModel:
    if not isinstance(data, dict):
        # Not a mapping at all: a placeholder whose every field is broken keeps the positions
        # of the items after it in their list.
        broken.add(at)
        return model_cls.model_construct(**{name: None for name in model_cls.model_fields})
    try:
        return model_cls.model_validate(data)
    except ValidationError:
        pass
    values: dict[str, Any] = {}
    for name, info in model_cls.model_fields.items():
        key = info.alias or name
        if key not in data:
            if info.is_required():
                broken.add((*at, key))
                values[name] = None
            continue
        values[name] = _field(model_cls, name, info, data[key], (*at, key), broken)
    return model_cls.model_construct(**values)


@cache
def _adapter(model_cls: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model_cls.model_fields[name]
    from typing import Annotated

    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _inner(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model class, is a list of it) for ``X``, ``X | None``, ``list[X]``; else (None, False)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = getattr(annotation, "__origin__", None)
    args = get_args(annotation)
    if origin is list and args:
        inner, _ = _inner(args[0])
        return inner, inner is not None
    for a in args:
        if a is type(None):
            continue
        found = _inner(a)
        if found[0] is not None:
            return found
    return None, False


def _field(
    model_cls: type[BaseModel], name: str, info: FieldInfo, value: Any, at: Loc, broken: set[Loc]
) -> Any:
    try:
        return _adapter(model_cls, name).validate_python(value)
    except ValidationError:
        pass
    inner, is_list = _inner(info.annotation)
    if inner is not None and is_list and isinstance(value, list):
        return [_build(inner, item, (*at, i), broken) for i, item in enumerate(value)]
    if inner is not None and not is_list and isinstance(value, dict):
        return _build(inner, value, at, broken)
    broken.add(at)
    return None


def is_broken(broken: frozenset[Loc], *loc: str | int) -> bool:
    """Whether ``loc`` or a path inside it or above it did not validate."""
    n = len(loc)
    return any(b[:n] == loc or loc[: len(b)] == b for b in broken)
