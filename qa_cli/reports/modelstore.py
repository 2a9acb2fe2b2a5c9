"""The models of the files a report reads in full, kept by content: not parsed again.

A report's next run reads the same files in full as its last (its period's returns, the
samples, tools, plans): parsing their YAML and validating their models was most of its
loading. ``.qa/cache/models.jsonl`` keeps each valid file's model as pydantic's JSON, by the
SHA-256 of the file's bytes, and a file whose bytes are stored comes back from that JSON
(validated again by pydantic, in its compiled core: about 50x cheaper than the YAML).

Only a file that loaded cleanly is stored (a valid model; no problem, no values read
forgivingly, no errors): a file with anything to report is loaded as before, so its
findings and notes are the parser's. An entry is kept only when its JSON gives back a model
equal to the one loaded. Like the parse cache it lives beside (:class:`ParsedStore`, whose
indexed one-line-an-entry file it shares): this toolkit's only, anything odd ignored (the
file is then loaded as if the entry were missing), written atomically or not at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import stat
import types
import typing
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel

from ..cache import ParsedStore
from ..models import KINDS
from ..repository import LoadedFile, load_file
from .loading import constructed

M = TypeVar("M", bound=BaseModel)

MODELS_NAME = "models.jsonl"
MODELS_FORMAT = "qa-report-models/1"


class ModelStore(ParsedStore):
    """Valid models by the SHA-256 of their file's bytes: ``KIND@VERSION JSON`` an entry."""

    NAME: ClassVar[str] = MODELS_NAME
    FORMAT: ClassVar[str] = MODELS_FORMAT

    def model(self, sha: str) -> tuple[str, int, BaseModel] | None:
        """The kind, version and model stored for these bytes; None if none (or unusable)."""
        try:
            text = self.entry(sha)
            if text is None:
                return None
            head, check, body = text.split(b" ", 2)
            if int(check, 16) != zlib.crc32(body):
                return None  # damaged
            ref, _, how = head.decode("ascii").partition("+")
            kind, _, version = ref.partition("@")
            model_cls = KINDS[kind][int(version)]
            if how == "built":
                return kind, int(version), rebuilt(model_cls, json.loads(body))
            return kind, int(version), model_cls.model_validate_json(body)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # pydantic's ValidationError is a ValueError

    def keep(self, sha: str, lf: LoadedFile) -> None:
        """Store the model of ``lf`` (just loaded from bytes of this SHA-256) if it loaded
        cleanly and its JSON gives it back: built again without validation when that gives
        an equal model, else validated again when read."""
        m = lf.model
        clean = not (lf.problem or lf.schema_problem or lf.errors or lf.notes)
        if m is None or not clean or lf.kind is None or lf.version is None:
            return
        try:
            body = m.model_dump_json(by_alias=True).encode("utf-8")
            if type(m).model_validate_json(body) != m:
                return
            built = _equal(rebuilt(type(m), json.loads(body)), m)
        except (ValueError, TypeError, AttributeError, KeyError, RecursionError):
            return
        head = f"{lf.kind}@{lf.version}{'+built' if built else ''} {zlib.crc32(body):08x} "
        self.put_entry(sha, head.encode("ascii") + body)


def _equal(a: BaseModel, b: BaseModel) -> bool:
    """Equal models, down to the type of every value (a date is not its text)."""
    return a == b and repr(a) == repr(b)


def load_stored(
    path: Path, root: Path, rel: str, max_bytes: int, store: ModelStore
) -> tuple[LoadedFile, str | None]:
    """:func:`~qa_cli.repository.load_file` (lean) of a file inside ``root`` whose path
    relative to it is ``rel``, from ``store`` when its bytes are stored there; with the
    SHA-256 of the bytes when it was loaded instead (for :meth:`ModelStore.keep`, if the
    caller keeps the file). A link or special file is always loaded (loading says what it
    is)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return load_file(path, root, max_bytes, lean=True), None
        raw = path.read_bytes()
    except OSError:
        return load_file(path, root, max_bytes, lean=True), None
    read = (raw, st.st_mtime_ns)
    if len(raw) > max_bytes:  # over the size limit: loading refuses it with its finding
        return load_file(path, root, max_bytes, lean=True, read=read), None
    sha = hashlib.sha256(raw).hexdigest()
    known = store.model(sha)
    if known is None:
        return load_file(path, root, max_bytes, lean=True, read=read), sha
    kind, version, model = known
    lf = LoadedFile(path=path, rel=rel, kind=kind, version=version, model=model)
    lf._stamp, lf._reparse = (len(raw), st.st_mtime_ns), True  # as a lean load leaves it
    return lf, None


# --- building a stored model again without validating it ------------------------------------

Convert = Callable[[Any], Any]


def rebuilt(cls: type[M], data: dict[str, Any]) -> M:
    """The model ``cls`` of ``data`` (its own JSON, by alias, read back) made as pydantic's
    ``model_construct`` makes one, field by field down the nested models: no validator runs.
    Only for JSON that :meth:`ModelStore.keep` found gives back an equal model."""
    return _builder(cls)(data)


@functools.cache
def _builder(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    fields = [(f.alias or n, n, _converter(f.annotation)) for n, f in cls.model_fields.items()]

    def build(data: dict[str, Any]) -> Any:
        values = {
            name: data[key] if convert is None else convert(data[key])
            for key, name, convert in fields
            if key in data
        }
        return constructed(cls, values)

    return build


def _converter(annotation: Any) -> Convert | None:
    """How a JSON value becomes the field's value (None: as it is)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _converter(args[0])
    if origin in (typing.Union, types.UnionType):
        return _union([a for a in args if a is not type(None)])
    if origin is list and args:
        return _inside(_converter(args[0]), lambda item, v: [item(x) for x in v])
    if origin is dict and len(args) == 2:
        return _inside(_converter(args[1]), lambda item, v: {k: item(x) for k, x in v.items()})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _builder(annotation)
    if annotation is dt.date:
        return dt.date.fromisoformat
    return None


def _inside(item: Convert | None, each: Callable[[Convert, Any], Any]) -> Convert | None:
    """A list's or a mapping's converter from its items' (None when they stay as they are)."""
    if item is None:
        return None
    return lambda v: each(item, v)


def _union(members: list[Any]) -> Convert | None:
    """``X | None`` as ``X`` with None kept; a union of several is left as it is (when one
    holds a model or a date the stored model will not compare equal, and is validated)."""
    if len(members) != 1:
        return None
    one = _converter(members[0])
    if one is None:
        return None

    def optional(v: Any) -> Any:
        return None if v is None else one(v)

    return optional
