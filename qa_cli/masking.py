"""The one masking policy: how any message of any command mentions a value a user typed.

Messages end up in terminals, CI logs and pull-request annotations, which are not restricted.
So a message names the *kind* of value, its *location* (given by the caller: file, line,
column) and at most two of its characters: "a value starting `C-…`". Only values from a
closed vocabulary (grades, statuses, tool ids, staff ids that exist in qa.yaml, rule codes,
question ids...) and ISO dates of process fields (`completed`, `due`...) may be shown in full:
they identify no one. Anything free, unknown or not matching is masked.

Every diagnostic also passes through :func:`scrub`, a safety net that masks anything the
personal-data detectors recognise (an NHS number, an e-mail address...) in a message that
was written without this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

SHOWN_CHARS = 2
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _article(kind: str) -> str:
    if kind[:2].isupper():  # an initialism: "an NHS number", "a UK postcode"
        return "an" if kind[0] in "AEFHILMNORSX" else "a"
    return "an" if kind[:1].lower() in "aeiou" else "a"


def masked(value: Any, kind: str = "value") -> str:
    """``a value starting `C-…``` : the kind and at most two characters of the value."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float):
        kind = "number" if kind == "value" else kind
    text = " ".join(str(value).split())
    if not text:
        return f"an empty {kind}"
    if len(text) <= SHOWN_CHARS:  # two characters identify no one
        return f"{_article(kind)} {kind} `{text}`"
    return f"{_article(kind)} {kind} starting `{text[:SHOWN_CHARS]}…`"


def shown(value: Any, vocabulary: Collection[Any] = (), kind: str = "value") -> str:
    """The value in full when it belongs to ``vocabulary`` (a closed list), else masked."""
    try:
        known = value in vocabulary
    except TypeError:  # an unhashable value looked up in a set
        known = False
    if known and not isinstance(value, bool):
        return f"`{value}`"
    return masked(value, kind)


def shown_date(value: Any, kind: str = "value") -> str:
    """An ISO date or month of a process field in full; anything else masked."""
    if isinstance(value, dt.date):
        return f"`{value.isoformat()}`"
    if isinstance(value, str) and (_ISO_DATE.match(value) or _ISO_MONTH.match(value)):
        return f"`{value}`"
    return masked(value, kind)


_PATH = re.compile(r"^[\w./-]+\.(?:ya?ml|csv|xlsx|eml)$")


def shown_path(value: Any, kind: str = "value") -> str:
    """A file path the user typed: in full, like the locations of every finding, when it is
    made of path characters and ends in a file type qa reads; anything else masked."""
    text = str(value)
    if _PATH.match(text) and ".." not in text.split("/"):
        return f"`{text}`"
    return masked(value, kind)


def shown_key(name: Any, vocabulary: Collection[Any] = ()) -> str:
    """A key: shown when it is a known key name, masked when it is free text."""
    return shown(name, vocabulary, kind="key")


_QUOTED = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'|`([^`\n]*)`")


def mask_quoted(text: str, vocabulary: Collection[str] = ()) -> str:
    """Every quoted part of a message (a key, a value, a line of the file) masked.

    For messages written by libraries (the YAML parser) that quote what they found.
    """

    def one(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None)
        if len(inner) <= SHOWN_CHARS or inner in vocabulary:
            return m.group(0)  # a quote mark, a colon, a known word: as written
        return masked(inner)

    return _QUOTED.sub(one, text)


def scrub(text: str | None) -> str | None:
    """``text`` with every recognisable identifier replaced by its masked form."""
    if not text:
        return text
    from .privacy import find_spans

    spans = find_spans(text)
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end, kind in spans:
        if start < last:
            continue
        out.append(text[last:start])
        out.append(masked(text[start:end], kind))
        last = end
    out.append(text[last:])
    return "".join(out)
