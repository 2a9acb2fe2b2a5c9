"""Minimal text edits of a YAML file: change a value or add keys, leave every other byte alone.

ruamel's round-trip dump does not reproduce an arbitrary file byte for byte (sequence
indentation, quoting and long lines can change), so an edit here is a splice: the round-trip
parser's node positions locate the value (or the end of the mapping), the new text replaces
exactly that span, and :func:`apply` re-parses the result to check it means what was
intended before anyone writes it.

Works on decoded text with ``\\n`` line ends; :func:`edit_bytes` keeps a file's byte-order
mark and CRLF line ends as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = Sequence[str | int]

# Plain scalars that a YAML 1.2 reader would read as something other than the same text.
_NOT_PLAIN = re.compile(
    r"""^(?:
        ~|null|Null|NULL|true|True|TRUE|false|False|FALSE
        |[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
        |0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    )$""",
    re.VERBOSE,
)
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9_(][A-Za-z0-9 _.,;()/'@+-]*$")


class YamlEditError(Exception):
    """The edit cannot be made as a minimal splice; nothing was changed."""


@dataclass(frozen=True)
class Edit:
    """Set ``path`` (a key of a mapping) to ``value``: replace it if there, else add it."""

    path: tuple[str | int, ...]
    value: Any


def format_scalar(value: Any) -> str:
    """``value`` as YAML text that reads back as the same value (plain when that is safe)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if (
        _SAFE_PLAIN.match(text)
        and not _NOT_PLAIN.match(text)
        and text == text.strip()
        and "\n" not in text
    ):
        return text
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def _compose(text: str) -> Node:
    y = YAML(typ="rt")
    try:
        node = y.compose(text)
    except YAMLError as exc:
        raise YamlEditError(f"the file is not valid YAML: {exc}") from None
    if node is None:
        raise YamlEditError("the file is empty")
    return node


def _child(node: Node, part: str | int) -> tuple[Node | None, Node | None]:
    """(key node, value node) of ``part`` in ``node``; (None, None) when absent."""
    if isinstance(node, MappingNode) and isinstance(part, str):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == part:
                return k, v
        return None, None
    if isinstance(node, SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return None, node.value[part]
        return None, None
    return None, None


def find(text: str, path: Path_) -> Node | None:
    """The node at ``path``, or None."""
    node: Node | None = _compose(text)
    for part in path:
        if node is None:
            return None
        node = _child(node, part)[1]
    return node


def _line_end(text: str, index: int) -> int:
    """Index just after the newline ending the line that holds ``index``."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _last_content_end(node: Node) -> tuple[int, int]:
    """(index, column) where the node's content ends, walking into its last child."""
    while isinstance(node, MappingNode | SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node.end_mark.index, node.end_mark.column


def set_scalar(text: str, path: Path_, value: Any) -> str:
    """Set the key at ``path`` to a scalar: replace the old value's text, or add a line.

    The parent must be a block mapping. An existing value may be any scalar (plain, quoted,
    block); its replacement keeps any comment after it on the line.
    """
    if not path or not isinstance(path[-1], str):
        raise YamlEditError("the path must end with a key")
    parent = find(text, path[:-1])
    if not isinstance(parent, MappingNode):
        raise YamlEditError(f"{'.'.join(map(str, path[:-1])) or 'the file'} is not a mapping")
    key_node, value_node = _child(parent, path[-1])
    new = format_scalar(value)
    if value_node is None:
        return insert_keys(text, path[:-1], [(path[-1], value)])
    if not isinstance(value_node, ScalarNode):
        raise YamlEditError(f"{'.'.join(map(str, path))} is not a single value")
    start, end = value_node.start_mark.index, value_node.end_mark.index
    if value_node.style is None and value_node.value == "" and key_node is not None:
        # `key:` with nothing after it: the value goes right after the colon
        colon = text.index(":", key_node.end_mark.index)
        return text[: colon + 1] + " " + new + text[colon + 1 :]
    if value_node.style in ("|", ">"):
        # A block scalar runs to the start of the next line; replace it with a one-line value
        # but keep the text that follows (the next key, comments).
        old = text[start:end]
        end = start + len(old.rstrip("\n"))
        return text[:start] + new + text[end:]
    if key_node is not None and value_node.start_mark.line != key_node.start_mark.line:
        # value on its own line(s) below the key: put it back on the key's line
        start = key_node.end_mark.index
        colon = text.index(":", start)
        return text[: colon + 1] + " " + new + text[end:]
    return text[:start] + new + text[end:]


def insert_keys(text: str, path: Path_, pairs: Sequence[tuple[str, Any]]) -> str:
    """Add ``key: value`` lines at the end of the block mapping at ``path``.

    The new lines take the indentation of the mapping's keys and go right after the line
    where its last value ends, before any comment or blank line that follows it.
    """
    node = find(text, path)
    if not isinstance(node, MappingNode) or not node.value:
        raise YamlEditError(f"{'.'.join(map(str, path)) or 'the file'} is not a block mapping")
    if node.flow_style:
        raise YamlEditError(
            f"{'.'.join(map(str, path))} is written on one line ({{...}}); "
            "write it as one key per line to let qa edit it"
        )
    for key, _ in pairs:
        if _child(node, key)[1] is not None:
            raise YamlEditError(f"{key} is already there")
    indent = node.value[0][0].start_mark.column
    end_index, end_col = _last_content_end(node)
    at = end_index if end_col == 0 else _line_end(text, end_index)
    if end_col == 0:
        # a block scalar's end takes in the blank lines after it: insert before them
        while at > 1 and text[at - 1] == "\n":
            prev = text.rfind("\n", 0, at - 1) + 1
            if text[prev : at - 1].strip():
                break
            at = prev
    if at > 0 and text[at - 1 : at] != "\n":
        text = text[:at] + "\n" + text[at:]
        at += 1
    lines = "".join(f"{' ' * indent}{k}: {format_scalar(v)}\n" for k, v in pairs)
    return text[:at] + lines + text[at:]


def apply(text: str, edits: Sequence[Edit], load: Any) -> str:
    """Apply edits one by one and check the result means exactly the old data plus the edits.

    ``load`` parses text into plain data (e.g. ``yamlio.load_text``); a result that does not
    parse, or differs anywhere but at the edited paths, raises :class:`YamlEditError`.
    """
    before = load(text)
    if not isinstance(before, dict):
        raise YamlEditError("the file could not be read before the edit")
    expected = json.loads(json.dumps(before, default=str))
    out = text
    for e in edits:
        out = set_scalar(out, e.path, e.value)
        target: Any = expected
        for part in e.path[:-1]:
            target = target[part]
        target[e.path[-1]] = e.value.isoformat() if isinstance(e.value, dt.date) else e.value
    after = load(out)
    if not isinstance(after, dict) or json.loads(json.dumps(after, default=str)) != expected:
        raise YamlEditError("the edited text does not read back as intended; nothing was written")
    return out


def edit_bytes(raw: bytes, edits: Sequence[Edit], load: Any) -> bytes:
    """:func:`apply` on a file's bytes, keeping its byte-order mark and CRLF line ends."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlEditError("the file is not UTF-8 text") from None
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    out = apply(text, edits, load)
    if crlf:
        out = out.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8")
