"""The bulk reader's fast path: libyaml through PyYAML's C parser, with YAML 1.2 semantics.

``yamlio.load_text`` tries this first and falls back to ruamel's safe loader (the reference,
which also says where a problem is) whenever this path is unsure. So the result is either
exactly what ruamel gives or ``None`` ("ask ruamel"):

* **YAML 1.2 resolution**, with ruamel's own 1.2 patterns (``ruamel.yaml.resolver``): ``yes``,
  ``no``, ``on``, ``off`` stay strings, ``017`` is 17, ``1:30`` a string; timestamps stay text
  (the models parse dates and report bad ones); ints and floats are built as ruamel builds them.
* **Duplicate keys**, anything explicitly tagged (``!!set``, ``!foo``), a key that is not a
  plain value (``? [a]``), any parse error: ``None``, so ruamel reports it (QA002, QA004...).

Both readers are libyaml underneath (ruamel.yaml.clib and PyYAML's ``_yaml``), so they
scan and parse alike; what differs, and is replaced here, is resolving and constructing
values in Python, which ruamel does about three times slower. ``tests/unit/test_yamlc.py``
reads every test case and the hostile corpus both ways and compares.
"""

from __future__ import annotations

import re
import sys
from typing import Any

try:  # PyYAML with its C extension; without it every file takes ruamel's path
    from yaml import CSafeLoader as _CLoader
    from yaml import YAMLError as _PyYamlError
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
except ImportError:  # pragma: no cover - PyYAML is a dependency; its C part may be missing
    _CLoader = None

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _rules() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """ruamel's YAML 1.2 implicit resolvers, by the first character they apply to."""
    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, flags, first in _RUAMEL_12:
        for ch in first:
            by_first.setdefault(ch, []).append((tag, re.compile(pattern, flags)))
    return by_first


# ruamel's YAML 1.2 implicit resolvers (``ruamel.yaml.resolver.implicit_resolvers``), copied
# so that reading a file does not import ruamel; tests/unit/test_yamlc.py checks they are its
# own. Each: the tag, the pattern, its flags and the first characters it applies to.
_RUAMEL_12: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (
        "tag:yaml.org,2002:bool",
        "^(?:true|True|TRUE|false|False|FALSE)$",
        re.X | re.U,
        ("t", "T", "f", "F"),
    ),
    (
        "tag:yaml.org,2002:float",
        (
            "^(?:\n"
            "         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n"
            "        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n"
            "        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n"
            "        |[-+]?\\.(?:inf|Inf|INF)\n"
            "        |\\.(?:nan|NaN|NAN))$"
        ),
        re.X | re.U,
        ("-", "+", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "."),
    ),
    (
        "tag:yaml.org,2002:int",
        (
            "^(?:[-+]?0b[0-1_]+\n"
            "        |[-+]?0o?[0-7_]+\n"
            "        |[-+]?[0-9_]+\n"
            "        |[-+]?0x[0-9a-fA-F_]+)$"
        ),
        re.X | re.U,
        ("-", "+", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
    ),
    (
        "tag:yaml.org,2002:merge",
        "^(?:<<)$",
        re.U,
        ("<",),
    ),
    (
        "tag:yaml.org,2002:null",
        ("^(?: ~\n        |null|Null|NULL\n        | )$"),
        re.X | re.U,
        ("~", "n", "N", ""),
    ),
    (
        "tag:yaml.org,2002:timestamp",
        (
            "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n"
            "        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n"
            "        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n"
            "        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n"
            "        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"
        ),
        re.X | re.U,
        ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
    ),
    (
        "tag:yaml.org,2002:value",
        "^(?:=)$",
        re.U,
        ("=",),
    ),
    (
        "tag:yaml.org,2002:yaml",
        "^(?:!|&|\\*)$",
        re.U,
        ("!", "&", "*"),
    ),
)


_ANY = "\x00any"  # the key of resolvers that apply whatever the first character (none in 1.2)
_BY_FIRST = _rules()
_TAG_CACHE: dict[str, str] = {}


def _resolve_plain(value: str) -> str:
    """The tag ruamel's 1.2 resolver gives a plain scalar (remembered for short ones)."""
    tag = _TAG_CACHE.get(value)
    if tag is not None:
        return tag
    tag = _STR
    candidates = _BY_FIRST.get(value[:1], []) + _BY_FIRST.get(_ANY, [])
    for candidate, regexp in candidates:
        if regexp.match(value):
            tag = candidate
            break
    if len(value) <= 64 and len(_TAG_CACHE) < 100_000:
        _TAG_CACHE[value] = tag
    return tag


def _int(value: str) -> int:
    """ruamel's ``construct_yaml_int`` for YAML 1.2."""
    s = value.replace("_", "")
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == "0":
        return 0
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if s.startswith(prefix):
            return sign * int(s[2:], base)
    return sign * int(s)


def _float(value: str) -> float:
    """ruamel's ``construct_yaml_float`` for YAML 1.2."""
    s = value.replace("_", "").lower()
    sign = -1 if s[0] == "-" else 1
    if s[0] in "+-":
        s = s[1:]
    if s == ".inf":
        return sign * float("inf")
    if s == ".nan":
        return float("nan")
    return sign * float(s)


_BOOLS = {"true": True, "false": False}
_intern = sys.intern


class _Unsure(Exception):
    """Something this path does not build exactly as ruamel does: let ruamel read the file."""


_PLAIN = "\x00plain"  # a plain scalar's tag until _scalar resolves it (one call, not two)


def _scalar(node: Any) -> Any:
    tag, value = node.tag, node.value
    if tag == _PLAIN:
        tag = _resolve_plain(value)
    if tag == _STR or tag == _TIMESTAMP:
        # Keys, codes, grades and dates recur in every file: one string object each, not
        # one per file (about a third of a loaded repository's memory).
        return _intern(value) if len(value) <= 40 else value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _INT:
        return _int(value)
    if tag == _FLOAT:
        return _float(value)
    raise _Unsure


def _build(node: Any) -> Any:
    if type(node) is ScalarNode:
        return _scalar(node)
    if type(node) is MappingNode and node.tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Unsure
            key = _scalar(key_node)
            if key in out:
                raise _Unsure  # a duplicate key: ruamel says which and where (QA004)
            out[key] = _build(value_node)
        return out
    if type(node) is SequenceNode and node.tag == _SEQ:
        return [_build(item) for item in node.value]
    raise _Unsure


if _CLoader is not None:

    class _Loader(_CLoader):
        """libyaml's parser and composer, resolving plain scalars as YAML 1.2 does."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is SequenceNode else _MAP


def _flows(node: Any, at: tuple[Any, ...], out: set[tuple[Any, ...]]) -> None:
    """Collect the paths of flow mappings as ruamel's ``fa.flow_style()`` sees them (an
    empty ``{}`` is not one); anything tagged is left to ruamel."""
    if type(node) is not ScalarNode and node.tag not in (_MAP, _SEQ):
        raise _Unsure
    if type(node) is MappingNode:
        if node.flow_style and node.value:
            out.add(at)
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Unsure
            _flows(value_node, (*at, _scalar(key_node)), out)
    elif type(node) is SequenceNode:
        for i, item in enumerate(node.value):
            _flows(item, (*at, i), out)


def flow_mappings(text: str) -> set[tuple[Any, ...]] | None:
    """The paths of the mappings written on one line (``{a: 1}``), or None when unsure."""
    if _CLoader is None:
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        out: set[tuple[Any, ...]] = set()
        if node is not None:
            _flows(node, (), out)
        return out
    except (_PyYamlError, _Unsure, ValueError, KeyError, RecursionError):
        return None
    finally:
        loader.dispose()


def available() -> bool:
    return _CLoader is not None


def load(text: str) -> Any | None:
    """The plain data of ``text`` exactly as ruamel's safe loader builds it, or None when
    this path is unsure (an error, a duplicate key, a tag): then ask ruamel."""
    if _CLoader is None:
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _build(node)
    except (_PyYamlError, _Unsure, ValueError, KeyError, RecursionError):
        return None
    finally:
        loader.dispose()
