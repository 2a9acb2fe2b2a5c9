"""The `qa` command line: a thin layer over the library (one module per command group).

Every module of this package that defines ``register(app)`` is a command group; they are
found at start-up, so a new command needs no edit here. Modules keep heavy imports
(pydantic models, openpyxl, jinja2) inside their command functions so `qa --help` is fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from .common import state

app = typer.Typer(
    name="qa",
    help="Quality assurance audits for Children's Social Care, kept as YAML in git.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode="rich",
)

# The order commands are listed in `qa --help`; modules not named here come after.
ORDER = [
    "init",
    "validate",
    "rules",
    "cases",
    "sample",
    "new",
    "moderate",
    "due",
    "actions",
    "grades",
    "report",
    "schema",
    "retention",
]


@app.callback()
def _root(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full error on an internal problem."
    ),
) -> None:
    state.debug = debug


def _register_all() -> None:
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    names = [n for n in names if n != "common"]
    ordered = [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)
    for name in ordered:
        module = importlib.import_module(f"{__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    app()
