"""The node tree of a YAML text, with the positions ruamel's round-trip parser gives it.

The byte-preserving edit path (:mod:`qa_cli.yamledit`) needs every node's start and end
mark. ruamel's pure-Python round-trip composer gives them but is slow: about 0.03 s for
one blank return, and the demo generator edits a few hundred. libyaml (ruamel.yaml.clib,
already a dependency) composes the same text about 20 times faster, into the same node
classes, with the same marks except in two places, set right here:

* a plain scalar's ``style`` is ``""`` where ruamel says ``None``;
* ``key:`` with no value: ruamel puts the empty value's marks just after the colon when a
  comment follows on that line and another key of the mapping follows, else at the next
  token (the next key, or where the mapping ends, past blank and comment lines); libyaml
  puts them elsewhere.

(A folded ``>`` scalar's ``value`` is its folded text, where ruamel keeps markers for its
own dumper; the edit path reads only keys' values and whether a value is empty.)

Anything else takes ruamel's own round-trip composer: an empty value that is not a block
mapping's (an empty list item, a flow ``{a: }``, an empty key), a line break other than
``\\n``, a byte-order mark, a last line with no line end, a document marker after an empty
value, any text libyaml refuses
(so the error message is ruamel's), or a missing C extension.
``tests/unit/test_yamlcompose.py`` compares the two trees over every YAML file of the tests,
the demo and the tools, and over variants with comments and blank lines planted.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import StreamMark
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_CLoader: Any
try:
    from ruamel.yaml.cyaml import CBaseLoader as _CLoader
except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency; a build may lack it
    _CLoader = None

# Line breaks libyaml and ruamel count that `\n` counting would not, and the byte-order mark.
_UNUSUAL = re.compile("[\r\x85\u2028\u2029\ufeff]")
# After skipping blanks and comments, an empty value is followed by a key, a dedent or the end.
_SKIP = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*")


def compose(text: str) -> Node | None:
    """The node tree of ``text`` (None if it holds no document), marks as ruamel's.

    Raises ruamel's ``YAMLError`` for text that is not valid YAML."""
    node = _fast(text)
    if node is not None:
        return node
    slow: Node | None = YAML(typ="rt").compose(text)
    return slow


def _fast(text: str) -> Node | None:
    """libyaml's tree made to match ruamel's; None when only ruamel can say."""
    if _CLoader is None or _UNUSUAL.search(text) or not text.endswith("\n"):
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
    except Exception:  # noqa: BLE001 - any refusal: ruamel parses again and words the error
        return None
    finally:
        loader.dispose()
    if not isinstance(node, Node) or not _as_ruamel(text, node):
        return None
    return node


def _as_ruamel(text: str, root: Node) -> bool:
    """Set plain styles and empty values' marks as ruamel gives them; False if one cannot be."""
    # each node with, for a block mapping's value, its key and whether it is the last one
    stack: list[tuple[Node, tuple[Node, bool] | None]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, ScalarNode):
            if node.style == "":
                node.style = None
            if node.style is None and node.value == "":
                mark = _empty_value_mark(text, *key) if key is not None else None
                if mark is None:
                    return False
                node.start_mark = node.end_mark = mark
        elif isinstance(node, SequenceNode):
            stack += [(item, None) for item in node.value]
        elif isinstance(node, MappingNode):
            last = len(node.value) - 1
            stack += [(k, None) for k, _ in node.value]
            stack += [
                (v, None if node.flow_style else (k, i == last))
                for i, (k, v) in enumerate(node.value)
            ]
    return True


def _empty_value_mark(text: str, key: Node, last: bool) -> Any:
    """Where ruamel puts the marks of ``key:``'s empty value (see the module's docstring)."""
    colon = text.find(":", key.end_mark.index)
    if colon < 0 or text[key.end_mark.index : colon].strip():
        return None
    at = colon + 1
    eol = text.find("\n", at)
    rest = text[at : len(text) if eol < 0 else eol].lstrip(" \t")
    if rest and not rest.startswith("#"):  # something else on the line: not a shape known here
        return None
    if not rest or last:  # (ruamel moves the comment of a mapping's last value to what follows)
        skip = _SKIP.match(text, at if not rest else eol)
        at = skip.end() if skip is not None else at
        if text.startswith(("---", "...", "?", ":"), at):  # tokens with a width: ask ruamel
            return None
    line = text.count("\n", 0, at)
    return StreamMark(key.end_mark.name, at, line, at - (text.rfind("\n", 0, at) + 1))
