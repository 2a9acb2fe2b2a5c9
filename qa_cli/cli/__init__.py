"""The `qa` command line: a thin layer over the library (one module per command group).

Every module of this package that defines ``register(app)`` is a command group; they are
found at start-up, so a new command needs no edit here. Modules keep heavy imports
(pydantic models, openpyxl, jinja2) inside their command functions so `qa --help` is fast.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import typer
from typer.core import TyperGroup

from .common import state

# The order commands are listed in `qa --help`: the order of the month's work, then reference.
# Modules not named here come after, alphabetically.
ORDER = [
    "init",
    "cases",
    "sample",
    "new",
    "form",
    "validate",
    "fix",
    "due",
    "review",
    "moderate",
    "actions",
    "grades",
    "report",
    "export",
    "tools",
    "schema",
    "rules",
    "retention",
]


class OrderedGroup(TyperGroup):
    """Lists commands and command groups together in the ORDER of the month's work."""

    def list_commands(self, ctx: object) -> list[str]:  # click.Context; any will do
        names = list(self.commands)
        rank = {name: i for i, name in enumerate(ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(ORDER)), n))


app = typer.Typer(
    cls=OrderedGroup,
    name="qa",
    help="Quality assurance audits for Children's Social Care, kept as YAML in git.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    rich_markup_mode="rich",
)


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


_LIST_LINE = re.compile(r"^\s*([-*]|\d+\.)\s|^\s{2,}")


def unwrap(doc: str) -> str:
    """A docstring with its hard-wrapped paragraphs joined, so help wraps at any width.

    Paragraphs stay apart; a paragraph with list items or indented lines keeps its lines.
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    out = []
    for para in paragraphs:
        lines = para.split("\n")
        if any(_LIST_LINE.match(line) for line in lines[1:]):
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


def _register_all() -> None:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    # Renderer modules (`*_output`) register no command and import models: not at start-up.
    names = [n for n in names if n != "common" and not n.endswith("_output")]
    ordered = [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)
    for name in ordered:
        module = importlib.import_module(f"{__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    _tidy_help(app)


_register_all()


def main() -> None:
    app()
