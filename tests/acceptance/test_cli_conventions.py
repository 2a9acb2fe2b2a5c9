"""Command-line conventions: --version, completion, help wrapped cleanly, commands in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_cli.cli import ORDER, app, eager_app

WIDTH = 80


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    return result.output


def all_commands() -> list[tuple[str, ...]]:
    full = eager_app()  # every command's Typer definition (`app` imports them lazily)
    out: list[tuple[str, ...]] = []
    for cmd in full.registered_commands:
        out.append((cmd.name or cmd.callback.__name__,))
    for group in full.registered_groups:
        out.append((group.name,))
        for cmd in group.typer_instance.registered_commands:
            out.append((group.name, cmd.name or cmd.callback.__name__))
    return out


def description(text: str) -> list[list[str]]:
    """The paragraphs of a help screen's description (between the usage line and the boxes)."""
    body = text.split("\n")
    start = next(i for i, line in enumerate(body) if "Usage:" in line) + 1
    paragraphs: list[list[str]] = [[]]
    for line in body[start:]:
        if line.lstrip().startswith(("╭", "│", "╰")):
            break
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_help_wraps_cleanly_at_80_columns(command: tuple[str, ...]) -> None:
    text = help_text(*command)
    assert all(len(line) <= WIDTH for line in text.splitlines())
    for para in description(text):
        for this, following in zip(para, para[1:], strict=False):
            if this.startswith(("-", "*")) or following.startswith(("-", "*", "`qa")):
                continue
            # A line broken early (a hard-wrapped docstring) leaves room for the next word.
            next_word = following.split()[0]
            assert len(this) + 1 + len(next_word) > WIDTH - 4, (this, following)


def test_commands_are_listed_in_the_order_of_the_months_work() -> None:
    text = help_text()
    listed = re.findall(r"^│ ([a-z]+) ", text.split("Commands")[1], flags=re.M)
    known = [name for name in ORDER if name in listed]
    assert [n for n in listed if n in ORDER] == known
    for earlier, later in [("init", "cases"), ("cases", "sample"), ("sample", "validate")]:
        assert listed.index(earlier) < listed.index(later)
    assert listed.index("validate") < listed.index("due") < listed.index("report")


def test_version_and_completion(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_cli import __version__

    monkeypatch.chdir(tmp_path)
    outside = run("--version")
    assert outside.exit_code == 0 and outside.output == f"qa {__version__}\n"
    assert run("init", "repo", "--no-git").exit_code == 0
    monkeypatch.chdir(tmp_path / "repo" / "audits")
    inside = run("--version")
    assert inside.exit_code == 0
    assert "single-agency-safeguarding @ 1" in inside.output
    assert "--install-completion" in help_text()
    # the shell named, not detected from the process tree (a parallel or detached run may
    # have no shell above it)
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    shown = CliRunner().invoke(app, ["--show-completion", "bash"], env={"SHELL": "/bin/bash"})
    assert shown.exit_code == 0 and "complete" in shown.output
