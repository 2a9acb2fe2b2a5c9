"""The libyaml reader (`qa_cli.yamlc`) stands alone: ruamel is imported only when needed."""

from __future__ import annotations

import subprocess
import sys

from qa_cli import yamlc


def test_the_resolver_table_is_ruamels_own() -> None:
    """yamlc keeps a copy of ruamel's YAML 1.2 resolvers (so reading does not import ruamel):
    the copy must be ruamel's table, tag for tag, pattern for pattern."""
    from ruamel.yaml.resolver import implicit_resolvers

    theirs = [
        (tag, rx.pattern, rx.flags, tuple(first) if first is not None else None)
        for versions, tag, rx, first in implicit_resolvers
        if (1, 2) in versions
    ]
    assert theirs == [(tag, p, flags, first) for tag, p, flags, first in yamlc._RUAMEL_12]


_PROBE = """
import sys
from qa_cli import yamlio
text = sys.argv[1].encode()
print(repr(yamlio.load_fast(text)))
print(sorted(m for m in sys.modules if m.startswith("ruamel")))
"""


def _probe(text: str) -> tuple[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, text], capture_output=True, text=True, check=True
    )
    loaded, modules = out.stdout.strip().split("\n")
    return loaded, modules


def test_reading_a_valid_file_imports_no_ruamel() -> None:
    """ruamel is for problems, positions and edits: a valid file is read by libyaml alone."""
    loaded, modules = _probe("schema: qa/audit@1\nx: [1, yes, 2026-01-02, 0x1f, ~]\n")
    assert loaded == "{'schema': 'qa/audit@1', 'x': [1, 'yes', '2026-01-02', 31, None]}"
    assert modules == "[]"


def test_a_syntax_error_still_gets_ruamels_position() -> None:
    loaded, modules = _probe("schema: qa/audit@1\nx: [1, 2\n")
    assert loaded.startswith("YamlProblem(code='QA002', line=2, column=4")
    assert "ruamel.yaml" in modules
