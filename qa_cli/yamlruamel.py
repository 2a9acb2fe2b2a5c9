"""ruamel.yaml, set up as :mod:`qa_cli.yamlio` uses it: imported only when a file needs it.

Bulk reading takes libyaml through :mod:`qa_cli.yamlc`; ruamel reads a file only to report
a syntax problem with its position, to place a finding (the round-trip document), or to edit
a file keeping its comments. A run over valid files (a pre-commit hook's `qa validate FILE`)
so never imports ruamel (about 15-25 ms).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import (
    DuplicateKeyError,
    RoundTripConstructor,
    SafeConstructor,
)
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver


class _StrTimestampSafe(SafeConstructor):
    """Safe constructor that leaves timestamps as text for the models to parse and report."""


_StrTimestampSafe.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


class _StrTimestampRoundTrip(RoundTripConstructor):
    """Round-trip constructor that leaves timestamps as text.

    ruamel's own raises a bare ValueError with no position on ``2025-13-01``.
    """


_StrTimestampRoundTrip.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 resolution without re-reading the document's version for every node.

    Measured (benchmarks/bench_validate.py): ruamel's versioned resolver spends most of a
    bulk load asking which YAML version applies; fixing 1.2 and remembering the tag of short
    plain scalars (ids, grades, dates, yes/no) makes loading a return about 2x faster.
    """

    _tags: dict[tuple[str, Any], Any] = {}

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit and implicit[0] and len(value) <= 64:
            key = (value, implicit)
            tag = self._tags.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._tags) < 100_000:
                    self._tags[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


@cache
def fast_yaml() -> YAML:
    """The safe loader (C-accelerated) that reads a file libyaml's path left to ruamel."""
    y = YAML(typ="safe", pure=False)
    y.Resolver = _Yaml12Resolver
    y.Constructor = _StrTimestampSafe
    y.allow_duplicate_keys = False
    return y


def rt_yaml() -> YAML:
    """A round-trip reader and writer: comments, order, quoting and positions kept."""
    y = YAML(typ="rt")
    y.Constructor = _StrTimestampRoundTrip
    y.allow_duplicate_keys = False
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def safe_pure() -> YAML:
    """ruamel's pure-Python safe reader, to walk a text's events."""
    return YAML(typ="safe", pure=True)


__all__ = [
    "CommentedMap",
    "CommentedSeq",
    "DuplicateKeyError",
    "MarkedYAMLError",
    "YAMLError",
    "fast_yaml",
    "rt_yaml",
    "safe_pure",
]
