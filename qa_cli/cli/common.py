"""What every command shares: the repository option, error handling, the console."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from ..errors import QAError
from ..masking import masked

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

PIPED_WIDTH = 10_000  # piped or redirected: no line is wrapped or cut (grep sees it whole)


def _fit(c: Console) -> None:
    """Lay ``c``'s output out for where it goes: wrapped at word boundaries to the terminal's
    width (``COLUMNS`` wins when set), or, when piped, never wrapped and never cut."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    c.soft_wrap = False
    if columns.isdigit() and int(columns) > 0:
        c.width = int(columns)
    elif c.is_terminal:
        c.width = shutil.get_terminal_size().columns
    else:
        c.width = PIPED_WIDTH


class _LazyConsole:
    """A rich ``Console``, made when first used: a command whose output needs none of rich
    (``--format json``, say) does not import it (about 25 ms of a one-file `qa validate`)."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_made", None)
        object.__setattr__(self, "_fitted", False)

    def made(self) -> Console:
        if self._made is None:
            from rich.console import Console

            made = Console(**self._options)
            if self._fitted:
                _fit(made)
            object.__setattr__(self, "_made", made)
        return cast("Console", self._made)

    def fit(self) -> None:
        """Fit the console to where output goes, now or (not made yet) when it is made."""
        object.__setattr__(self, "_fitted", True)
        if self._made is not None:
            _fit(self._made)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.made(), name, value)


_console = _LazyConsole(highlight=False, soft_wrap=True)
_err_console = _LazyConsole(stderr=True, highlight=False, soft_wrap=True)
console = cast("Console", _console)
err_console = cast("Console", _err_console)


def fit_console() -> None:
    """Lay output out for where it goes (see :func:`_fit`), once the consoles are made."""
    _console.fit()
    _err_console.fit()


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
    from ..reporoot import find_root

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
                f"{name}: {masked(value)} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-30"
            ) from None
    assert day is not None
    if not DATE_MIN <= day <= DATE_MAX:
        raise QAError(f"{name} {day} is outside the plausible range", _range_hint())
    return day


def parse_month_option(value: str | None, name: str = "--month") -> str:
    """A YYYY-MM option in the plausible range, stripped; QAError (exit 2) otherwise."""
    from ..calendar import parse_month

    return parse_month(value, name)


def print_verdict(problems: list[str], mismatch: str, verified: str) -> int:
    """A `--verify` verdict: ``mismatch`` and each problem (exit 1), or ``verified`` (exit 0)."""
    if problems:
        console.print(f"[bold red]does not match[/]: {mismatch}:")
        for p in problems:
            console.print(f"  {p}", markup=False)
        return 1
    console.print(f"[green]verified[/]: {verified}")
    return 0


def report_error(message: str, hint: str | None = None) -> None:
    from rich.markup import escape

    from ..masking import scrub  # the masking policy's safety net for every error message

    # Messages may quote user input: escape it so `[...]` is shown, never read as markup.
    err_console.print(f"[bold red]error:[/] {escape(scrub(message) or '')}", markup=True)
    if hint:
        err_console.print(f"  [bold]how to fix:[/] {escape(scrub(hint) or '')}", markup=True)


def _written_since(mark: int) -> list[str]:
    from ..safewrite import WRITTEN

    return [str(p) for p in WRITTEN[mark:]]


def _changed_note(mark: int) -> str:
    written = _written_since(mark)
    if not written:
        return "no file was changed"
    shown = ", ".join(written[:5]) + (f" and {len(written) - 5} more" if len(written) > 5 else "")
    return f"{len(written)} file(s) were written before it stopped: {shown}"


def _internal(exc: Exception, mark: int, kwargs: dict[str, Any]) -> None:
    from ..problems import write_log

    if state.debug:
        traceback.print_exc(file=sys.stderr)
    repo = kwargs.get("repo")
    log = write_log(exc, sys.argv[1:], repo if isinstance(repo, Path) else None)
    where = f"the details were written to {log}" if log else "the details could not be saved"
    report_error(
        f"sorry: qa hit an internal problem ({type(exc).__name__}) and stopped; "
        f"{_changed_note(mark)}; {where}",
        "please send that file to the QA tools team (run with `qa --debug ...` to see it here)",
    )


def _not_dry_run(kwargs: dict[str, Any]) -> bool:
    return not kwargs.get("dry_run")


def writes(when: Callable[[dict[str, Any]], bool] = _not_dry_run) -> Callable[[F], F]:
    """Hold the repository's write lock (``.qa/lock``) while the command runs.

    ``when`` says from the command's options whether it will write (default: unless
    ``--dry-run``); a second writing command meanwhile stops with "busy" (exit 2).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not when(kwargs):
                return func(*args, **kwargs)
            from ..safewrite import repository_lock

            try:
                root = repo_root(kwargs.get("repo"))
            except QAError:
                return func(*args, **kwargs)  # the command itself says there is no repository
            with repository_lock(root):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def writer(when: Callable[[dict[str, Any]], bool] = _not_dry_run) -> Callable[[F], F]:
    """The decorators of every command that writes: :func:`handle_errors` around
    :func:`writes` (the write lock, held when ``when`` says the command will write)."""

    def decorate(func: F) -> F:
        return handle_errors(writes(when)(func))

    return decorate


def group(help: str) -> typer.Typer:
    """A command group (``qa actions ...``); run bare, it shows its help."""
    return typer.Typer(help=help, no_args_is_help=True)


def handle_errors(func: F) -> F:
    """Print a QAError, an OSError or a bug without a traceback and exit 1, 2 or 3.

    Expected failures (QAError, permission denied, read-only or full disk) exit 2 (or the
    error's own code); a bug writes its traceback to a log file and exits 3. Either way the
    message says truthfully whether a file was written before the failure.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..safewrite import WRITTEN, os_error

        fit_console()
        mark = len(WRITTEN)
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except QAError as exc:
            written = _written_since(mark)
            note = f" ({_changed_note(mark)})" if written else ""
            report_error(exc.message + note, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            report_error(f"interrupted; {_changed_note(mark)}")
            raise typer.Exit(130) from None
        except OSError as exc:  # permission, read-only, disk full: the environment, not a bug
            clean = os_error(exc, exc.filename or "a file", "read or written")
            report_error(f"{clean.message}; {_changed_note(mark)}", clean.hint)
            raise typer.Exit(2) from None
        except Exception as exc:  # a bug: apologise, log the traceback, exit 3
            _internal(exc, mark, kwargs)
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]
