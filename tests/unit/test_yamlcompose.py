"""The fast composer gives the edit path the same tree, marks included, as ruamel's own.

``qa_cli.yamlcompose`` composes with libyaml and sets what differs from ruamel's round-trip
composer (plain styles, empty values' marks). A mark one character off would make an edit
splice the wrong bytes, so every tree is compared in full with ruamel's: over the test
cases, the fixtures, the audit tools, a return of each demo folder, the hostile payloads
and texts with comments and blank lines planted around empty values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qa_cli import yamlcompose, yamledit
from tests.hostile.payloads import YAML_PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-repo"


def _signature(node: Node) -> list[tuple[Any, ...]]:
    """Every node's kind, marks and style, and a scalar's text, in document order."""
    out: list[tuple[Any, ...]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        marks = (n.start_mark.index, n.start_mark.line, n.start_mark.column)
        marks += (n.end_mark.index, n.end_mark.line, n.end_mark.column)
        head = (type(n).__name__, *marks, getattr(n, "style", None), getattr(n, "flow_style", None))
        if isinstance(n, ScalarNode):
            # ruamel keeps its own markers in a folded scalar's text; the edit path never reads it
            out.append((*head, None if n.style == ">" else n.value))
        elif isinstance(n, SequenceNode):
            out.append((*head, len(n.value)))
            stack += reversed(n.value)
        elif isinstance(n, MappingNode):
            out.append((*head, len(n.value)))
            stack += [x for pair in reversed(n.value) for x in reversed(pair)]
    return out


def _ruamel(text: str) -> Node | None:
    try:
        return YAML(typ="rt").compose(text)  # type: ignore[no-any-return]
    except (YAMLError, RecursionError):
        return None


def _files() -> list[Path]:
    folders = [ROOT / "tests" / "cases", ROOT / "tests" / "fixtures", ROOT / "audit_tools"]
    files = [p for f in folders for p in sorted(f.rglob("*.yaml"))]
    # the demo: one file of each folder (its 180 files share a few shapes)
    firsts = {p.parent: p for p in sorted(DEMO.rglob("*.yaml"), reverse=True)}
    return files + sorted(firsts.values())


def _text(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:  # an invalid case: not text the edit path takes
        return None
    return text.replace("\r\n", "\n").removeprefix("\ufeff")


_EMPTY_VALUE = re.compile(r"(?m)^(\s*[\w-]+:)[ ]*$")


def _planted(text: str) -> Iterator[tuple[str, str]]:
    """The text with comments and blank lines planted after each `key:` with nothing after."""
    yield "same-line comment", _EMPTY_VALUE.sub(r"\1  # said nothing", text)
    yield "comment lines below", _EMPTY_VALUE.sub(r"\1\n\n   # a note\n# another\n", text)
    yield "blanks with spaces below", _EMPTY_VALUE.sub(r"\1   \n  \n", text)
    yield "an empty value last", text + "last:\n"
    yield "an empty value last, comments", text + "last:  # why\n  # because\n\n"
    yield "an empty nested value last, comment", text + "last:\n  inner:  # why\nnext: 1\n"


def _cases() -> Iterator[Any]:
    seen: set[str] = set()
    for path in _files():
        text = _text(path)
        if text is not None and text not in seen and path.name != "expect.yaml":
            seen.add(text)
            yield pytest.param(text, id=path.relative_to(ROOT).as_posix())
    ret = str(_text(next(iter(sorted((DEMO / "audits" / "2026-10").glob("*.yaml"))))))
    for name, payload in YAML_PAYLOADS.items():
        try:
            text = payload(ret).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(text) < 100_000:  # (ruamel takes seconds over the huge one)
            yield pytest.param(text, id=f"payload-{name}")
    for name, text in _planted(ret):
        yield pytest.param(text, id=f"planted-{name}")


@pytest.mark.parametrize("text", list(_cases()))
def test_fast_tree_is_ruamels_tree(text: str) -> None:
    fast = yamlcompose._fast(text)
    if fast is None:
        return  # ruamel composes it itself: the same tree by definition
    slow = _ruamel(text)
    assert slow is not None or len(text) > 10_000, "libyaml took a text ruamel refuses"
    if slow is not None:
        assert _signature(fast) == _signature(slow)


def test_demo_returns_take_the_fast_path() -> None:
    # the point of the module: the demo's returns, filled in or blank, compose through libyaml
    for path in sorted(DEMO.glob("audits/*/*.yaml"))[:20]:
        assert yamlcompose._fast(str(_text(path))) is not None, path


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a:\n  -\n  - b\n", "an empty list item"),
        ("a: {b: }\n", "an empty value in a flow mapping"),
        ("a:\r\n  b: 1\r\n", "CRLF line ends"),
        ("\ufeffa: 1\n", "a byte-order mark"),
        ("a:\n...\n", "a document end after an empty value"),
        ("a:\n  b: 1", "no line end at the end"),
        ("a: [unclosed\n", "not valid YAML"),
    ],
)
def test_what_only_ruamel_can_say_goes_to_ruamel(text: str, why: str) -> None:
    assert yamlcompose._fast(text) is None, why
    slow = _ruamel(text)
    if slow is None:
        with pytest.raises(YAMLError):
            yamlcompose.compose(text)
    else:
        composed = yamlcompose.compose(text)
        assert composed is not None and _signature(composed) == _signature(slow)


def test_an_edit_after_an_empty_value_with_a_comment_keeps_every_other_byte() -> None:
    # the shape whose marks libyaml gives elsewhere: `key:` then a comment on its line
    text = "schema: x\nnote:  # to fill in\nstatus: draft\n"
    out = yamledit.set_values(text, [yamledit.Edit(("note",), "seen")], _load)
    assert out == "schema: x\nnote: seen  # to fill in\nstatus: draft\n"


def _load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)
