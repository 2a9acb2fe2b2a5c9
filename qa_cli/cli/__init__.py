"""The `qa` command line: a thin layer over the library (one module per command group).

Every module of this package that defines ``register(app)`` holds commands. They are
imported lazily: `qa --help` lists the commands from :data:`COMMANDS` (a name, the module
that registers it, and the one line `qa --help` shows) without importing any command
module, and `qa NAME ...` imports only NAME's module. A new command module needs a row in
:data:`COMMANDS`; ``tests/acceptance/test_cli_lazy.py`` fails until the table matches the
commands the modules register. Modules keep heavy imports (pydantic models, openpyxl,
jinja2) inside their command functions too, so `qa GROUP --help` is fast.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, MutableMapping
from typing import Any, Final, Literal, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from .common import state


class Entry(NamedTuple):
    """A top-level command: the module of this package that registers it, and its line in
    `qa --help` (the first paragraph of its help, as the command itself has it)."""

    module: str
    line: str


# The commands in the order `qa --help` lists them: the order of the month's work, then
# reference. Checked against the modules' real commands by tests/acceptance/test_cli_lazy.py.
COMMANDS: dict[str, Entry] = {
    "init": Entry(
        "init",
        "Create an audit repository: qa.yaml, the framework's audit tools, .gitignore, a CI "
        "check, a pre-commit hook, editor schemas and settings; then `git init` and a first "
        "commit.",
    ),
    "cases": Entry(
        "cases",
        "Case lists: import the case-management export as case codes (`qa cases import`).",
    ),
    "sample": Entry(
        "sample",
        "Draw the month's sample: cases per auditor pair, conflict-free, spread across teams.",
    ),
    "new": Entry(
        "new",
        "Create one blank return (themed audit, observation, complaint, crib sheet, agency "
        "return) or record (improvement plan, team review, team overview).",
    ),
    "form": Entry(
        "form",
        "Excel forms: export blank or partly filled returns, import the filled forms back.",
    ),
    "validate": Entry(
        "validate",
        "Check audit files: YAML, schema, answers against their tool, and cross-file rules.",
    ),
    "fix": Entry(
        "fix",
        "Apply every finding that has one safe correction: UK dates to ISO, grade, status and "
        "option spellings to their codes, staff names to ids, one-line actions to one key per "
        "line, and a missing `comment:` with a TODO for you to fill in.",
    ),
    "due": Entry(
        "due",
        "What is due and overdue, by person: returns, QA reviews, actions, feedback, observations.",
    ),
    "review": Entry(
        "review",
        "Record the QA review of a returned audit, or later the managers' outcomes.",
    ),
    "moderate": Entry(
        "moderate",
        "The moderation sample: every returned RI or Inadequate audit, a seeded share of the rest.",
    ),
    "actions": Entry(
        "actions",
        "Action plans across audits, crib sheets and multi-agency findings: list, done, "
        "verify; acknowledge a safeguarding concern.",
    ),
    "grades": Entry(
        "grades",
        "Collated grades of returned audits, with Good-or-better shares and 95% intervals.",
    ),
    "report": Entry(
        "report",
        "Write a report as Markdown and Excel under reports/ (generated output, overwritten on "
        "each run; recommendations.md is never touched).",
    ),
    "export": Entry(
        "export",
        "Write one long-format table per record type (returns, answers, actions, reviews, "
        "samples, observations, complaints) as CSV, and as Parquet when pyarrow is installed.",
    ),
    "tools": Entry("tools", "Audit tool versions: what a new version changes."),
    "schema": Entry("schema", "JSON Schemas of the file kinds and audit tools, for editors."),
    "rules": Entry(
        "rules",
        "List every validation rule code with its severity and a one-line explanation.",
    ),
    "retention": Entry(
        "retention",
        "List records past the retention period (App. E 6: three years); --purge destroys them.",
    ),
    "feedback": Entry(
        "review",
        "Record one step of the feedback to practice on a returned audit (§5.2.3, App. D).",
    ),
}
# The order of the month's work (the names of COMMANDS, in order).
ORDER = list(COMMANDS)

ROOT_HELP = "Quality assurance audits for Children's Social Care, kept as YAML in git."
MARKUP: Final[Literal["rich"]] = "rich"


_BUILT: dict[str, dict[str, Any]] = {}  # module name -> its click commands, once a process


def _module_commands(module_name: str) -> dict[str, Any]:
    """The click commands (and groups) that the command module ``module_name`` registers."""
    if module_name not in _BUILT:
        import importlib

        from typer.main import get_group

        module = importlib.import_module(f"{__name__}.{module_name}")
        holder = typer.Typer(rich_markup_mode=MARKUP)
        module.register(holder)
        _tidy_help(holder)
        _BUILT[module_name] = dict(get_group(holder).commands)
    return _BUILT[module_name]


class _Commands(MutableMapping[str, Any]):
    """A group's commands by name, each built when first asked for: its module is imported
    then. While ``listing`` (`qa --help`), a command not built yet is a stand-in holding its
    name and line from :data:`COMMANDS`, and no module is imported."""

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        self.built = dict(built)
        self.listing = False

    def __getitem__(self, name: str) -> Any:
        if name in self.built:
            return self.built[name]
        entry = COMMANDS.get(name)
        if entry is None:
            raise KeyError(name)
        if self.listing:
            return TyperCommand(name, help=entry.line, rich_markup_mode=MARKUP)
        for found, command in _module_commands(entry.module).items():
            self.built.setdefault(found, command)
        return self.built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self.built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self.built)

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]


class OrderedGroup(TyperGroup):
    """Lists commands and command groups together in the order of :data:`COMMANDS`."""

    def list_commands(self, ctx: Any) -> list[str]:
        rank = {name: i for i, name in enumerate(COMMANDS)}
        return sorted(self.commands, key=lambda n: (rank.get(n, len(rank)), n))


class LazyGroup(TyperGroup):
    """The `qa` group: its commands are listed from :data:`COMMANDS` and each command's
    module is imported only when that command runs (or completes); `qa --help` imports none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _Commands(self.commands)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        commands = self.commands
        if not isinstance(commands, _Commands):
            return super().format_help(ctx, formatter)
        commands.listing = True
        try:
            return super().format_help(ctx, formatter)
        finally:
            commands.listing = False


def _root_app(cls: type[TyperGroup]) -> typer.Typer:
    """The `qa` app without its commands; ``cls``: its click group's class."""
    return typer.Typer(
        cls=cls,
        name="qa",
        help=ROOT_HELP,
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        add_completion=True,
        rich_markup_mode=MARKUP,
    )


app = _root_app(LazyGroup)


def _version(value: bool) -> None:
    """Print qa's version and, inside an audit repository, the versions of its tools."""
    if not value:
        return
    from pathlib import Path

    from .. import __version__
    from ..versions import repository_tools

    typer.echo(f"qa {__version__}")
    found = repository_tools(Path.cwd())
    if found is not None:
        root, tools = found
        typer.echo(f"audit tools in {root}:")
        for tool_id, versions in tools.items():
            typer.echo(f"  {tool_id} @ " + ", ".join(str(v) for v in versions))
    raise typer.Exit(0)


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full error on an internal problem."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Show qa's version (and, inside an audit repository, its audit tools' versions).",
    ),
) -> None:
    state.debug = debug


def unwrap(doc: str) -> str:
    """A docstring with its hard-wrapped paragraphs joined, so help wraps at any width.

    Paragraphs stay apart; a paragraph with list items or indented lines keeps its lines.
    """
    import inspect
    import re

    list_line = re.compile(r"^\s*([-*]|\d+\.)\s|^\s{2,}")
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    out = []
    for para in paragraphs:
        lines = para.split("\n")
        if any(list_line.match(line) for line in lines[1:]):
            out.append(para)
        else:
            out.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(out)


def _tidy_help(group: typer.Typer) -> None:
    for cmd in group.registered_commands:
        doc = cmd.help or (cmd.callback.__doc__ if cmd.callback else None)
        if doc:
            cmd.help = unwrap(doc)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _tidy_help(sub.typer_instance)


def command_modules() -> list[str]:
    """Every module of this package that may register commands (found on disk, not from
    :data:`COMMANDS`: what the table is checked against)."""
    import pkgutil

    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    # Renderer modules (`*_output`) and shared helpers register no command.
    return [n for n in names if n != "common" and not n.endswith("_output")]


def eager_app() -> typer.Typer:
    """A `qa` app with every command registered at once (as `qa` was before it was lazy), in
    the order of :data:`COMMANDS`: for tests that walk every command's Typer definition."""
    import importlib

    full = _root_app(OrderedGroup)
    full.callback()(_root)
    for name in command_modules():
        register = getattr(importlib.import_module(f"{__name__}.{name}"), "register", None)
        if register is not None:
            register(full)
    _tidy_help(full)
    return full


def main() -> None:
    try:
        app()
    finally:
        # The command is done and the process ends: what it kept (a report's million small
        # objects) is left to the operating system, not walked by the interpreter's last
        # garbage collection (0.1 s of a monthly report's next run at 10,000 returns)
        gc.freeze()
