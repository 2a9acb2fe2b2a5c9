"""`qa` imports a command's module only when that command runs: `qa --help` lists every
command from the static table `qa_cli.cli.COMMANDS`, which must match the real commands."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from qa_cli.cli import COMMANDS, app, command_modules, eager_app

# Run `qa ARGS` in a fresh interpreter; print the qa_cli.cli modules it imported.
_PROBE = """
import json, sys
from qa_cli.cli import main
sys.argv = ["qa", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(m for m in sys.modules if m.startswith("qa_cli.cli."))))
"""


def _imported(*args: str) -> tuple[str, set[str]]:
    """The output of `qa ARGS` in a new process, and the command modules it imported."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "100", "PATH": ""},
    )
    out, _, last = proc.stdout.rstrip("\n").rpartition("\n")
    return out, {m.removeprefix("qa_cli.cli.") for m in json.loads(last)}


def _listed(help_text: str) -> list[str]:
    """The command names of a help screen's Commands box, in order."""
    box = help_text.split("Commands", 1)[1]
    rows = [line for line in box.splitlines() if line.startswith("│ ") and line[2] != " "]
    return [line.split()[1] for line in rows]


def _real() -> dict[str, tuple[str, str]]:
    """Each real top-level command: its module and the first paragraph of its help."""
    group = get_command(eager_app())
    out = {}
    for name in group.list_commands(None):  # type: ignore[attr-defined, arg-type]
        cmd = group.commands[name]  # type: ignore[attr-defined]
        callback = cmd.callback if not hasattr(cmd, "commands") else None
        first = inspect.cleandoc(cmd.short_help or cmd.help or "").split("\n\n")[0].strip()
        out[name] = (getattr(callback, "__module__", "").rpartition(".")[2], first)
    return out


def test_qa_help_imports_no_command_module_and_lists_exactly_the_commands() -> None:
    out, imported = _imported("--help")
    modules = set(command_modules())
    assert "validate" in modules and "report" in modules
    assert imported & modules == set(), f"`qa --help` imported {sorted(imported & modules)}"
    assert _listed(out) == list(_real()), "`qa --help` does not list the registered commands"


def test_the_table_matches_every_command_the_modules_register() -> None:
    real = _real()
    assert list(COMMANDS) == list(real), "add (or remove) the command in qa_cli.cli.COMMANDS"
    for name, (module, line) in real.items():
        assert COMMANDS[name].line == line, f"`qa {name}`'s line in COMMANDS is out of date"
        if module:  # a group's callback is typer's: its module is the group's name
            assert COMMANDS[name].module == module, name
        else:
            assert COMMANDS[name].module == name, name


@pytest.mark.parametrize("width", ["80", "200"])
def test_qa_help_is_what_the_eager_app_shows(width: str) -> None:
    env = {"COLUMNS": width}
    lazy = CliRunner().invoke(app, ["--help"], env=env)
    eager = CliRunner().invoke(eager_app(), ["--help"], env=env)
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.output == eager.output


def test_a_group_imports_only_its_own_module() -> None:
    out, imported = _imported("report", "--help")
    assert "monthly" in out
    assert imported & set(command_modules()) == {"report"}


def test_a_command_of_a_module_registering_two_runs() -> None:
    out, imported = _imported("feedback", "--help")
    assert "Record one step of the feedback" in out
    assert imported & set(command_modules()) == {"review"}


def test_a_mistyped_command_is_still_refused_with_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["valdate"])
    assert result.exit_code == 2
    assert "No such command" in result.output and "validate" in result.output
