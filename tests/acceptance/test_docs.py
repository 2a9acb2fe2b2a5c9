"""The documentation keeps up with the code: examples validate, rules and commands are listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_cli import yamlio
from qa_cli.models import KINDS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _yaml_blocks(path: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", path.read_text(), flags=re.S)


EXAMPLES = [b for b in _yaml_blocks(DOCS / "file-kinds.md") if b.startswith("schema:")]


def test_every_kind_has_an_example() -> None:
    kinds = {re.match(r"schema: (qa/[a-z-]+)@", b)[1] for b in EXAMPLES}
    assert kinds == set(KINDS)


@pytest.mark.parametrize("block", EXAMPLES, ids=[b.split("\n")[0] for b in EXAMPLES])
def test_file_kind_examples_are_valid(block: str) -> None:
    data = yamlio.load_text(block)
    assert isinstance(data, dict), data
    kind, version = data["schema"].split("@")
    KINDS[kind][int(version)].model_validate(data)


def test_rules_doc_is_current() -> None:
    from qa_cli.cli.rules import rules_markdown

    text = (DOCS / "rules.md").read_text()
    table = text.split("-->\n", 1)[1].split("\n<!-- end rules-table -->")[0]
    assert table.strip() == rules_markdown().strip(), "regenerate with `qa rules --markdown`"


def _commands() -> list[tuple[str, object]]:
    from qa_cli.cli import eager_app

    app = eager_app()  # every command's Typer definition (the real `qa` imports them lazily)
    out = []
    for cmd in app.registered_commands:
        out.append((cmd.name or cmd.callback.__name__, cmd.callback))
    for group in app.registered_groups:
        out.append((group.name, None))
        for cmd in group.typer_instance.registered_commands:
            out.append((f"{group.name} {cmd.name or cmd.callback.__name__}", cmd.callback))
    return out


def test_every_command_has_help_and_is_documented(run) -> None:
    docs = (ROOT / "README.md").read_text() + "".join(p.read_text() for p in DOCS.glob("*.md"))
    for name, callback in _commands():
        result = run(*name.split(), "--help")
        assert result.exit_code == 0, name
        if callback is not None:
            assert (callback.__doc__ or "").strip(), f"`qa {name}` has no help text"
        assert f"qa {name}" in docs, f"`qa {name}` is not in README.md or docs/"


_CODE = re.compile(r"\bC-[0-9A-HJKMNP-TV-Z]{8,13}\b")
_DEMO_PATH = re.compile(r"\b(?:audits|crib-sheets|multi-agency|themed)/[\w./-]+\.yaml\b")
# The docs' stand-in for "a case": the case of the test cases' base, never one of the demo.
PLACEHOLDER = "C-7F3K2Q9M"


def test_case_codes_and_files_named_in_the_docs_are_the_demos() -> None:
    # The demo is generated; a rebuild that changes its codes must not leave the docs naming
    # cases it no longer has (commands to copy, example output, excerpts of its files).
    demo = ROOT / "examples" / "demo-repo"
    cases = set(_CODE.findall("".join(p.read_text() for p in (demo / "cases").glob("*.csv"))))
    assert any((ROOT / "tests" / "cases" / "base").rglob(f"{PLACEHOLDER}--*.yaml"))
    assert PLACEHOLDER not in cases
    docs = [ROOT / "README.md", ROOT / "scripts" / "demo" / "README.md", *sorted(DOCS.glob("*.md"))]
    for doc in docs:
        text, name = doc.read_text(), doc.relative_to(ROOT)
        for code in sorted(set(_CODE.findall(text)) - {PLACEHOLDER}):
            assert code in cases, f"{name} names {code}, no case of examples/demo-repo"
        for path in sorted(set(_DEMO_PATH.findall(text))):
            if any(code in path for code in cases):
                assert (demo / path).is_file(), f"{name} names {path}, not in examples/demo-repo"


def test_the_readme_command_table_lists_every_command() -> None:
    # The table's first cells: "`qa cases import EXPORT`", "`qa actions list / done / ...`"
    firsts = [
        line.split("|")[1].strip().strip("`")
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("| `qa ")
    ]
    for name, _ in _commands():
        group, _, sub = name.partition(" ")
        rows = [f.split() for f in firsts if f.split()[1] == group]
        assert rows, f"`qa {group}` has no row in README.md's command table"
        if sub:
            assert any(sub in row[2:] for row in rows), f"`qa {name}` is not in the table"
