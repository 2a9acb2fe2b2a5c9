"""What every command shares: the repository option, error handling, the console."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import QAError

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class _State:
    debug: bool = False


state = _State()

RepoOption = typer.Option(
    None,
    "--repo",
    "-C",
    help="The audit repository (default: the folder holding qa.yaml, from here upwards).",
    file_okay=False,
)
AsOfOption = typer.Option(
    None, "--as-of", help="Act as if today were this date (YYYY-MM-DD); default: today."
)


def repo_root(repo: Path | None) -> Path:
    from ..repository import find_root

    return find_root(repo if repo is not None else Path.cwd())


def _range_hint() -> str:
    from ..models.common import DATE_MAX, DATE_MIN

    return f"give a date between {DATE_MIN} and {DATE_MAX}"


def parse_date_option(value: str | None, name: str = "--as-of") -> Any:
    """A YYYY-MM-DD option as a date in the plausible range, or today's date when not given."""
    import datetime as dt

    from ..models.common import DATE_MAX, DATE_MIN

    day = dt.date.today() if value is None else None
    if value is not None:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise QAError(
                f"{name} {value[:20]!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-30"
            ) from None
    assert day is not None
    if not DATE_MIN <= day <= DATE_MAX:
        raise QAError(f"{name} {day} is outside the plausible range", _range_hint())
    return day


def parse_month_option(value: str | None, name: str = "--month") -> str:
    """A YYYY-MM option in the plausible range, stripped; QAError (exit 2) otherwise."""
    from ..calendar import parse_month

    return parse_month(value, name)


def report_error(message: str, hint: str | None = None) -> None:
    err_console.print(f"[bold red]error:[/] {message}", markup=True)
    if hint:
        err_console.print(f"  [bold]how to fix:[/] {hint}", markup=True)


def handle_errors(func: F) -> F:
    """Print a QAError (or an unexpected error) without a traceback and exit 1 or 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except QAError as exc:
            report_error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            report_error("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: say so plainly, show the traceback only on --debug
            if state.debug:
                traceback.print_exc(file=sys.stderr)
            report_error(
                f"qa hit an internal problem ({type(exc).__name__}) and stopped; each file "
                "qa writes is written whole or not at all, but files it wrote before the "
                "problem are kept",
                "see what changed with `git status`, run again with `qa --debug ...` to see "
                "the details, and report it to the QA tools team",
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
