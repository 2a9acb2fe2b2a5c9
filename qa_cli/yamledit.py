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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlcompose

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


@dataclass(frozen=True)
class Append:
    """Append ``items`` (flat mappings) to the block list at ``path``, made if it is missing."""

    path: tuple[str | int, ...]
    items: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class SetBlock:
    """Set ``path`` (a key of a mapping) to a flat mapping written as an indented block."""

    path: tuple[str | int, ...]
    value: Mapping[str, Any]


Op = Edit | Append | SetBlock


def typed_scalar(value: Any) -> str | None:
    """A boolean, number or date as YAML text; None for any other value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def format_scalar(value: Any, flow: bool = False) -> str:
    """``value`` as YAML text that reads back as the same value (plain when that is safe).

    ``flow``: the text goes inside ``[...]`` or ``{...}``, where a comma ends a plain value."""
    if value is None:
        return "null"
    typed = typed_scalar(value)
    if typed is not None:
        return typed
    text = str(value)
    if (
        _SAFE_PLAIN.match(text)
        and not _NOT_PLAIN.match(text)
        and text == text.strip()
        and "\n" not in text
        and not (flow and "," in text)
    ):
        return text
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(text, ensure_ascii=False)


def format_value(value: Any) -> str:
    """A scalar, or a list of scalars as a flow list ``[a, b]``, as YAML text."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, Mapping):
        raise YamlEditError("a nested mapping cannot be written by a minimal edit")
    return format_scalar(value)


def _block(mapping: Mapping[str, Any], indent: int, first: str = "") -> str:
    """``key: value`` lines at ``indent``; ``first`` prefixes the first line (e.g. ``- ``)."""
    lines = []
    for i, (key, value) in enumerate(mapping.items()):
        lead = " " * indent if i or not first else " " * (indent - len(first)) + first
        lines.append(f"{lead}{format_scalar(key)}: {format_value(value)}\n")
    return "".join(lines)


def _compose(text: str) -> Node:
    try:
        node = yamlcompose.compose(text)
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
        if isinstance(node, MappingNode):
            key, node = last
            if _is_empty_plain(node):  # `key:` and nothing: its marks are at the next token
                return key.end_mark.index, key.end_mark.column
        else:
            node = last
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
    at = _append_at(text, node)
    if at > 0 and text[at - 1 : at] != "\n":
        text = text[:at] + "\n" + text[at:]
        at += 1
    lines = "".join(f"{' ' * indent}{k}: {format_scalar(v)}\n" for k, v in pairs)
    return text[:at] + lines + text[at:]


def _splice_lines(text: str, at: int, lines: str) -> str:
    if at > 0 and text[at - 1 : at] != "\n":
        return text[:at] + "\n" + lines + text[at:]
    return text[:at] + lines + text[at:]


def _parent_mapping(text: str, path: Path_) -> MappingNode:
    if not path or not isinstance(path[-1], str):
        raise YamlEditError("the path must end with a key")
    parent = find(text, path[:-1])
    if not isinstance(parent, MappingNode) or not parent.value or parent.flow_style:
        raise YamlEditError(f"{'.'.join(map(str, path[:-1])) or 'the file'} is not a block mapping")
    return parent


def append_items(text: str, path: Path_, items: Sequence[Mapping[str, Any]]) -> str:
    """Append flat mappings as ``- key: value`` items to the block list at ``path``.

    New items take the indentation of the list's first item and go right after its last
    one; a missing or empty (``[]``) list becomes a block list under its key.
    """
    parent = _parent_mapping(text, path)
    key_node, node = _child(parent, path[-1])
    indent = parent.value[0][0].start_mark.column
    if key_node is None or node is None:
        lines = f"{' ' * indent}{format_scalar(path[-1])}:\n" + "".join(
            _block(item, indent + 4, "- ") for item in items
        )
        return _splice_lines(text, _append_at(text, parent), lines)
    if not isinstance(node, SequenceNode):
        raise YamlEditError(f"{'.'.join(map(str, path))} is not a list")
    if not node.value:
        body = "".join(_block(item, indent + 4, "- ") for item in items)
        start, end = node.start_mark.index, node.end_mark.index
        return text[:start].rstrip(" ") + "\n" + body + text[_line_end(text, end) :]
    if node.flow_style:
        raise YamlEditError(f"{'.'.join(map(str, path))} is written on one line ([...])")
    first = node.value[0]
    dash = text.rfind("-", 0, first.start_mark.index)
    dash_col = dash - (text.rfind("\n", 0, dash) + 1)
    gap = first.start_mark.column - dash_col
    end_index, end_col = _last_content_end(node)
    at = end_index if end_col == 0 else _line_end(text, end_index)
    body = "".join(_block(item, dash_col + gap, "-" + " " * (gap - 1)) for item in items)
    return _splice_lines(text, at, body)


def set_block(text: str, path: Path_, value: Mapping[str, Any]) -> str:
    """Set the key at ``path`` to a flat mapping written as an indented block.

    An existing value (of any form) is replaced from its key's line to the end of its last
    line; comments on other lines stay. A missing key is added at the end of its mapping.
    """
    parent = _parent_mapping(text, path)
    key_node, node = _child(parent, path[-1])
    indent = parent.value[0][0].start_mark.column
    lines = f"{' ' * indent}{format_scalar(path[-1])}:\n" + _block(value, indent + 2)
    if key_node is None or node is None:
        return _splice_lines(text, _append_at(text, parent), lines)
    start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    end_index, end_col = _last_content_end(node) if node.value else (node.end_mark.index, 1)
    end = end_index if end_col == 0 else _line_end(text, end_index)
    if end_col == 0:
        while end > start and text[end - 1] == "\n" and text[end - 2 : end] == "\n\n":
            end -= 1
    return text[:start] + lines + text[end:]


def _expect(expected: dict[str, Any], op: Op) -> None:
    """Apply ``op`` to the plain data the edited text must read back as."""
    plain = json.loads(json.dumps(_data_of(op), default=_iso))
    target: Any = expected
    for part in op.path[:-1]:
        target = target[part]
    key = op.path[-1]
    if isinstance(op, Append):
        current = target.get(key) if isinstance(target, dict) else None
        target[key] = (current or []) + plain
    else:
        target[key] = plain


def _data_of(op: Op) -> Any:
    if isinstance(op, Append):
        return [dict(i) for i in op.items]
    if isinstance(op, SetBlock):
        return dict(op.value)
    return op.value


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _splice(text: str, op: Op) -> str:
    if isinstance(op, Append):
        return append_items(text, op.path, op.items)
    if isinstance(op, SetBlock):
        return set_block(text, op.path, op.value)
    return set_scalar(text, op.path, op.value)


def apply(text: str, edits: Sequence[Op], load: Any) -> str:
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
        out = _splice(out, e)
        _expect(expected, e)
    return _check(out, expected, load)


def _on_bytes(raw: bytes, edit: Callable[[str], str]) -> bytes:
    """``edit`` on a file's text, keeping its byte-order mark and CRLF line ends."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlEditError("the file is not UTF-8 text") from None
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    out = edit(text)
    if crlf:
        out = out.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8")


def _check(out: str, expected: Any, load: Any) -> str:
    after = load(out)
    if not isinstance(after, dict) or json.loads(json.dumps(after, default=str)) != expected:
        raise YamlEditError("the edited text does not read back as intended; nothing was written")
    return out


def edit_bytes(raw: bytes, edits: Sequence[Op], load: Any) -> bytes:
    """:func:`apply` on a file's bytes, keeping its byte-order mark and CRLF line ends."""
    return _on_bytes(raw, lambda text: apply(text, edits, load))


# --- Whole values: mappings, lists and multi-line text (used by `qa form import`) -----------
#
# :func:`set_values` sets keys to any value, not only scalars. It changes as little text as it
# can: where the file already has a block mapping (or list) and the new value keeps all of its
# keys (items), only the entries that differ are rewritten and new ones are added after the
# last; everything else, comments included, stays byte for byte. A value written in flow style
# (``{}``, ``[]``, ``{id: A1, ...}``) is replaced, as flow style again where it fits on a line.


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str


def _same(a: Any, b: Any) -> bool:
    def norm(v: Any) -> str:
        return json.dumps(v, default=str, sort_keys=True, ensure_ascii=False)

    return norm(a) == norm(b)


def _block_text_ok(text: str) -> bool:
    """Whether multi-line text can be a ``|`` block scalar that reads back exactly."""
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    return (
        "\n" in body
        and not body.endswith("\n")
        and not lines[0][:1].isspace()
        and all(ln == ln.rstrip(" \t") for ln in lines)
        and "\r" not in text
        and "\t" not in text
        and all(ch.isprintable() or ch == "\n" for ch in text)
    )


def _inline(value: Any, flow: bool = False) -> str | None:
    """``value`` on one line, or None when it is better (or only possible) as a block."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not flow:
            return None
        parts = [f"{k}: {_inline(v, True)}" for k, v in value.items()]
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if not flow and any(isinstance(v, dict | list) for v in value):
            return None
        return "[" + ", ".join(str(_inline(v, True)) for v in value) + "]"
    if isinstance(value, str) and not flow and _block_text_ok(value):
        return None
    if isinstance(value, str) and any(_needs_escape(ch) for ch in value):
        return "".join(_escape(ch) for ch in json.dumps(value, ensure_ascii=False))
    return format_scalar(value, flow)


def _needs_escape(ch: str) -> bool:
    # YAML reads NEL and the Unicode line separators as line breaks even inside quotes, and
    # refuses some characters outright: write those as escapes so the text reads back exactly
    return ch not in "\n\t" and (not ch.isprintable() or ch in "\x85\u2028\u2029")


def _escape(ch: str) -> str:
    if not _needs_escape(ch):
        return ch
    code = ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _render(value: Any, indent: int) -> tuple[str, list[str]]:
    """(what follows ``key:`` on its line, the lines below it) for a value under a key whose
    entries sit at column ``indent``."""
    inline = _inline(value)
    if inline is not None:
        return " " + inline, []
    pad = " " * (indent + 2)
    if isinstance(value, str):
        body = value[:-1] if value.endswith("\n") else value
        header = " |" if value.endswith("\n") else " |-"
        return header, [pad + ln if ln else "" for ln in body.split("\n")]
    if isinstance(value, dict):
        return "", _mapping_lines(value, indent + 2)
    return "", [ln for item in value for ln in _item_lines(item, indent + 2)]


def _mapping_lines(value: dict[str, Any], indent: int) -> list[str]:
    lines: list[str] = []
    for k, v in value.items():
        head, below = _render(v, indent)
        lines.append(f"{' ' * indent}{k}:{head}")
        lines += below
    return lines


def _item_lines(item: Any, dash: int) -> list[str]:
    """A list item at ``dash`` column: ``- value``, or a mapping whose first key follows ``- ``."""
    if isinstance(item, dict) and item:
        lines = _mapping_lines(item, dash + 2)
        lines[0] = " " * dash + "- " + lines[0][dash + 2 :]
        return lines
    inline = _inline(item, flow=True)
    return [" " * dash + "- " + str(inline)]


def _value_end(text: str, node: Node) -> int:
    """Where a value's own text ends (a block scalar's trailing newlines not included)."""
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        if isinstance(node, MappingNode):
            key, node = last
            if _is_empty_plain(node):  # `key:` and nothing: its marks are at the next token
                return text.index(":", key.end_mark.index) + 1
        else:
            node = last
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        return start + len(text[start:end].rstrip("\n"))
    return end


def _append_at(text: str, node: Node) -> int:
    """Index where lines are added after the last entry of a block collection."""
    end_index, end_col = _last_content_end(node)
    at = end_index if end_col == 0 else _line_end(text, end_index)
    if end_col == 0:
        # a block scalar's end takes in the blank lines after it: insert before them
        while at > 1 and text[at - 1] == "\n":
            prev = text.rfind("\n", 0, at - 1) + 1
            if text[prev : at - 1].strip():
                break
            at = prev
    return at


def _lines_splice(text: str, at: int, lines: list[str]) -> _Splice:
    lead = "" if at == 0 or text[at - 1 : at] == "\n" else "\n"
    return _Splice(at, at, lead + "".join(ln + "\n" for ln in lines))


def _is_empty_plain(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.style is None and node.value == ""


def _replace_value(text: str, key: Node | None, node: Node, value: Any, indent: int) -> _Splice:
    """Replace a value whole: after the key's colon (or at a list item's start)."""
    if key is not None:
        start = text.index(":", key.end_mark.index) + 1
    else:
        start = node.start_mark.index
    old_end = start if _is_empty_plain(node) else _value_end(text, node)
    # a non-empty flow collection stays flow; an empty one ({} or []) grows into a block
    flow = bool(getattr(node, "flow_style", False)) and bool(getattr(node, "value", None))
    inline = _inline(value, flow=flow and isinstance(node, MappingNode | SequenceNode))
    if inline is not None:
        return _Splice(start, old_end, (" " if key is not None else "") + inline)
    eol = text.find("\n", old_end)
    eol = len(text) if eol < 0 else eol
    rest = text[old_end:eol]
    if key is not None:
        head, below = _render(value, indent)
        return _Splice(start, eol, head + rest + "\n" + "\n".join(below))
    lines = _item_lines(value, indent)
    return _Splice(start, eol, lines[0].lstrip(" ")[2:] + rest + "\n" + "\n".join(lines[1:]))


def _plan(
    text: str, key: Node | None, node: Node, old: Any, value: Any, indent: int
) -> list[_Splice]:
    """Splices that turn ``node`` (holding ``old``) into ``value``, touching as little as can be."""
    if _same(old, value):
        return []
    block_map = isinstance(node, MappingNode) and not node.flow_style and node.value
    if block_map and isinstance(value, dict) and isinstance(old, dict) and set(old) <= set(value):
        col = node.value[0][0].start_mark.column
        out: list[_Splice] = []
        for k_node, v_node in node.value:
            k = k_node.value
            out += _plan(text, k_node, v_node, old.get(k), value.get(k), col)
        new = {k: v for k, v in value.items() if k not in old}
        if new:
            out.append(_lines_splice(text, _append_at(text, node), _mapping_lines(new, col)))
        return out
    block_seq = isinstance(node, SequenceNode) and not node.flow_style and node.value
    if block_seq and isinstance(value, list) and isinstance(old, list) and len(old) <= len(value):
        first = node.value[0].start_mark
        line_start = text.rfind("\n", 0, first.index) + 1
        dash = text.rfind("-", line_start, first.index) - line_start
        out = []
        for i, item in enumerate(node.value):
            out += _plan(text, None, item, old[i], value[i], dash)
        extra = [ln for item in value[len(old) :] for ln in _item_lines(item, dash)]
        if extra:
            out.append(_lines_splice(text, _append_at(text, node), extra))
        return out
    if isinstance(node, ScalarNode) and not _is_empty_plain(node) and _inline(value) is not None:
        if node.style not in ("|", ">") and (
            key is None or node.start_mark.line == key.start_mark.line
        ):
            return [_Splice(node.start_mark.index, node.end_mark.index, str(_inline(value)))]
    return [_replace_value(text, key, node, value, indent)]


def set_values(text: str, edits: Sequence[Edit], load: Any) -> str:
    """Set each edit's key to its value (any value), then check the result as :func:`apply` does.

    Each path names a key of a block mapping (the parent must exist); all edits are planned
    on the same text and spliced in from the end, so one call parses the file once.
    """
    before = load(text)
    if not isinstance(before, dict):
        raise YamlEditError("the file could not be read before the edit")
    expected = json.loads(json.dumps(before, default=str))
    root = _compose(text)
    current = before  # what `load` read: the old values the plan compares with
    splices: list[_Splice] = []
    for e in edits:
        *parents, last = e.path
        parent = root
        for part in parents:
            child = _child(parent, part)[1]
            if child is None:
                raise YamlEditError(f"{'.'.join(map(str, parents))} is not in the file")
            parent = child
        if not isinstance(parent, MappingNode) or not isinstance(last, str):
            raise YamlEditError(f"{'.'.join(map(str, e.path))} is not a key of a mapping")
        key_node, value_node = _child(parent, last)
        old: Any = current
        for part in parents:
            old = old[part]
        if value_node is None:
            if parent.flow_style or not parent.value:
                raise YamlEditError(f"{'.'.join(map(str, parents))} is written on one line")
            col = parent.value[0][0].start_mark.column
            lines = _mapping_lines({last: e.value}, col)
            splices.append(_lines_splice(text, _append_at(text, parent), lines))
        else:
            col = key_node.start_mark.column if key_node is not None else 0
            splices += _plan(text, key_node, value_node, old.get(last), e.value, col)
        target: Any = expected
        for part in parents:
            target = target[part]
        target[last] = json.loads(json.dumps(e.value, default=str))
    out = text
    # From the end backwards, so earlier positions stay valid; of two insertions at the same
    # place, the one planned first (e.g. a new answer before a new top-level key) comes first.
    order = sorted(enumerate(splices), key=lambda p: (p[1].start, p[1].end, p[0]), reverse=True)
    for _, s in order:
        out = out[: s.start] + s.text + out[s.end :]
    return _check(out, expected, load)


def set_values_bytes(raw: bytes, edits: Sequence[Edit], load: Any) -> bytes:
    """:func:`set_values` on a file's bytes, keeping its byte-order mark and CRLF line ends."""
    return _on_bytes(raw, lambda text: set_values(text, edits, load))


def edit_file(path: Path, rel: str, edits: Sequence[Op]) -> list[int]:
    """Splice ``edits`` into the file at ``path`` as it is on disk now and write it atomically.

    The one write path for an existing YAML file: the byte-order mark, the line ends and
    every line not edited stay as they were. Returns the 1-based numbers of the lines that
    changed. A file that cannot be edited safely is a :class:`~qa_cli.errors.QAError`
    naming ``rel``, and nothing is written.
    """
    from . import safewrite, yamlio
    from .errors import QAError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise safewrite.os_error(exc, rel, "read") from None
    try:
        new = edit_bytes(raw, edits, yamlio.load_text)
    except YamlEditError as exc:
        raise QAError(
            f"{rel} could not be edited safely: {exc}; nothing was written",
            "make the change by hand in an editor, then run `qa validate`",
        ) from None
    safewrite.atomic_write(path, new)
    return changed_lines(_text(raw), _text(new))


def _text(raw: bytes) -> str:
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    return body.decode("utf-8").replace("\r\n", "\n")


def changed_lines(old: str, new: str) -> list[int]:
    """1-based numbers of the lines of ``new`` that differ from ``old``."""
    import difflib

    sm = difflib.SequenceMatcher(a=old.split("\n"), b=new.split("\n"), autojunk=False)
    lines: list[int] = []
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            lines.extend(range(j1 + 1, j2 + 1))
    return lines


# --- the edits of `qa fix` (qa_cli.fix): each keeps every byte outside the changed value ---


def replace_scalar(text: str, path: Path_, value: Any) -> str:
    """Replace the scalar at ``path`` (a mapping value or a list item, block or flow) with
    ``value``, keeping everything around it: the key, a comment after it, the layout."""
    node = find(text, path)
    if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
        raise YamlEditError(f"{'.'.join(map(str, path))} is not a one-line value")
    new = format_scalar(value)
    start, end = node.start_mark.index, node.end_mark.index
    if node.value == "" and node.style is None:
        raise YamlEditError(f"{'.'.join(map(str, path))} is empty")
    return text[:start] + new + text[end:]


def flow_to_block(text: str, path: Path_) -> str:
    """Rewrite the one-line mapping ``- {id: A1, action: ...}`` at ``path`` (an item of a
    block list) one key per line, each value's text exactly as it was written."""
    node = find(text, path)
    parent = find(text, path[:-1])
    if not isinstance(node, MappingNode) or not node.flow_style or not node.value:
        raise YamlEditError(f"{'.'.join(map(str, path))} is not written on one line")
    if not isinstance(parent, SequenceNode) or parent.flow_style:
        raise YamlEditError(f"{'.'.join(map(str, path))} is not an item of a block list")
    indent = " " * node.start_mark.column
    lines = []
    for key, value in node.value:
        k = text[key.start_mark.index : key.end_mark.index]
        v = text[value.start_mark.index : value.end_mark.index]
        if "\n" in k or "\n" in v or isinstance(value, MappingNode | SequenceNode) and not v:
            raise YamlEditError(f"{'.'.join(map(str, path))} spans several lines")
        lines.append(f"{k}: {v}" if v else f"{k}:")
    start, end = node.start_mark.index, node.end_mark.index
    return text[:start] + ("\n" + indent).join(lines) + text[end:]


def nest_with_key(text: str, path: Path_, key: str, placeholder: str) -> str:
    """Turn ``qid: no`` at ``path`` into ``qid:`` / ``answer: no`` / ``<key>: <placeholder>``
    (the answer's text kept as written), or add ``<key>:`` to an answer already nested."""
    node = find(text, path)
    if isinstance(node, MappingNode):
        if node.flow_style:
            raise YamlEditError(f"{'.'.join(map(str, path))} is written on one line")
        return insert_keys(text, path, [(key, placeholder)])
    parent = find(text, path[:-1])
    key_node, value_node = _child(parent, path[-1]) if parent is not None else (None, None)
    if not isinstance(value_node, ScalarNode) or key_node is None or value_node.style in ("|", ">"):
        raise YamlEditError(f"{'.'.join(map(str, path))} is not a one-line answer")
    if isinstance(parent, MappingNode) and parent.flow_style:
        raise YamlEditError(f"{'.'.join(map(str, path[:-1]))} is written on one line")
    if value_node.start_mark.line != key_node.start_mark.line:
        raise YamlEditError(f"{'.'.join(map(str, path))} is not on its key's line")
    inner = " " * (key_node.start_mark.column + 2)
    answer = text[value_node.start_mark.index : value_node.end_mark.index]
    eol = text.find("\n", value_node.end_mark.index)
    eol = len(text) if eol < 0 else eol
    after = text[value_node.end_mark.index : eol]  # spaces and a comment: stay with the answer
    new = f"\n{inner}answer: {answer}{after}\n{inner}{key}: {format_scalar(placeholder)}"
    colon = text.index(":", key_node.end_mark.index)
    return text[: colon + 1] + new + text[eol:]


def is_flow_mapping(text: str, path: Path_) -> bool:
    """Whether the node at ``path`` is a mapping written on one line (``{key: value}``)."""
    node = find(text, path)
    return isinstance(node, MappingNode) and bool(node.flow_style)


def block_style_bytes(raw: bytes, paths: Sequence[Path_]) -> bytes:
    """The file's bytes with the one-line mappings at ``paths`` written one key per line
    (:func:`flow_to_block`); other paths and every other byte, BOM and CRLF, unchanged."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = (raw[3:] if bom else raw).decode("utf-8")
    except UnicodeDecodeError:
        raise YamlEditError("the file is not UTF-8 text") from None
    crlf = "\r\n" in text
    out = text.replace("\r\n", "\n")
    for path in paths:
        if path and isinstance(path[-1], int) and is_flow_mapping(out, path):
            out = flow_to_block(out, path)
    if crlf:
        out = out.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8")
