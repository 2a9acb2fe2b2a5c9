"""`qa report ...`: the framework's reports in Markdown (Jinja templates) and Excel.

Every report is one row of :data:`REPORTS`: its name, what it is, its own options and the
builder that makes it. The subcommands are made from that table by one function, so a new
report is one new row (with its builder in ``qa_cli/reports/``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..errors import QAError
from . import common

report_app = common.group(
    "Write a report as Markdown and Excel under reports/ (generated output, overwritten "
    "on each run; recommendations.md is never touched)."
)


class By(StrEnum):
    sample = "sample"
    completed = "completed"


@dataclass(frozen=True)
class Param:
    """One option (or argument) of a report: its name in the builder, type and typer default."""

    name: str
    type: Any
    default: Any


@dataclass(frozen=True)
class ReportCommand:
    name: str
    help: str
    build: str  # "module:function" under qa_cli.reports, called build(repo, today=, **options)
    params: list[Param] = field(default_factory=list)
    # "module:function" called with the options: which returns the report reads in full
    # (the others as summaries, qa_cli.reports.loading); None: it reads every file in full
    needs: str | None = None


def _required(name: str, flag: str, help_text: str, kind: type = str) -> Param:
    """A required option of a report command (`--month`, `--team`...)."""
    return Param(name, kind, typer.Option(..., flag, help=help_text))


def _month(help_text: str = "The month, YYYY-MM.") -> Param:
    return _required("month", "--month", help_text)


def _year() -> Param:
    return _required("year", "--year", "The year, YYYY.", int)


BY = Param(
    "by",
    By,
    typer.Option(
        By.sample,
        "--by",
        help="Which returns make the period: 'sample' (drawn in it: tracks a sample to the "
        "end) or 'completed' (completed in it: fixed once the period is over, for leaders).",
    ),
)

BY_PERIOD = Param(
    "by",
    By,
    typer.Option(
        By.completed,
        "--by",
        help="Which returns make the period: 'completed' (completed in it; the default, fixed "
        "once the period is over) or 'sample' (drawn in it).",
    ),
)

REPORTS: list[ReportCommand] = [
    ReportCommand(
        "monthly",
        "Monthly audit report (§5.2.5): headlines, grades, themes, moderation, recommendations.",
        "monthly:build_monthly",
        [
            _month(
                "The month, YYYY-MM (the sample month, or with --by completed the month the "
                "returns were completed)."
            ),
            BY,
        ],
        "monthly:needs",
    ),
    ReportCommand(
        "quarterly",
        "Quarterly report for the Safeguarding Partnership and the Corporate Parenting Board: "
        "trends with intervals, themes, learning, actions, moderation.",
        "period:build_quarterly",
        [
            _required("quarter", "--quarter", "The quarter, YYYY-Qn (e.g. 2026-Q3)."),
            BY_PERIOD,
        ],
        "period:quarter_needs",
    ),
    ReportCommand(
        "annual",
        "Annual report for the Safeguarding Partnership and the Corporate Parenting Board.",
        "period:build_annual",
        [_year(), BY_PERIOD],
        "period:year_needs",
    ),
    ReportCommand(
        "crib-sheets",
        "Monthly crib-sheet report to the Divisional Director (App. A): by theme and by team.",
        "crib_sheets:build_crib_sheets",
        [_month()],
        needs="loading:no_returns",
    ),
    ReportCommand(
        "themed",
        "Themed audit findings and recommendations (§5.3.2).",
        "themed:build_themed",
        [
            _required("theme", "--theme", "The theme, e.g. supervision."),
            _month("The month of the themed audit, YYYY-MM."),
        ],
        needs="themed:needs",
    ),
    ReportCommand(
        "team",
        "Six-monthly structured team review (§6.2): grades per category, common areas, feedback.",
        "team:build_team",
        [
            _required("team_id", "--team", "The team id from qa.yaml."),
            _required("half", "--half", "The half-year, YYYY-H1 or YYYY-H2."),
        ],
        needs="team:needs",
    ),
    ReportCommand(
        "multi-agency",
        "Multi-agency audit report (App. E 5): outcomes, learning, recommendations, action plan.",
        "programmes:build_multi_agency",
        [
            Param(
                "audit_id",
                str,
                typer.Argument(..., help="The multi-agency audit id (its folder name)."),
            )
        ],
        needs="loading:no_returns",
    ),
    ReportCommand(
        "complaints",
        "Annual lessons learned from complaints (§4.5.2, App. C).",
        "programmes:build_complaints",
        [_year()],
        needs="loading:no_returns",
    ),
    ReportCommand(
        "observations",
        "Practice observations for the year (App. B): completed per manager, feedback on time.",
        "programmes:build_observations",
        [_year()],
        needs="loading:no_returns",
    ),
    ReportCommand(
        "monitoring",
        "IRO and CP Chair monitoring (§4.3.2-4.3.4): forms, mid-point reviews, disputes.",
        "monitoring:build_monitoring",
        [_month("The month of the meetings, YYYY-MM.")],
        needs="loading:no_returns",
    ),
]

COMMON = [
    Param("as_of", str | None, common.AsOfOption),
    Param(
        "redact",
        bool,
        typer.Option(
            False,
            "--redact",
            help="Leave case codes and staff names out (for circulation, App. E 6); writes "
            "<name>-redacted.md/.xlsx beside the full report.",
        ),
    ),
    Param(
        "password_file",
        Path | None,
        typer.Option(
            None,
            "--password-file",
            help="Encrypt the workbook with the password on the first line of this file; Excel "
            "asks for it on opening. Send the password separately.",
            dir_okay=False,
        ),
    ),
    Param(
        "no_cache",
        bool,
        typer.Option(
            False,
            "--no-cache",
            help="Read every file in full, without the summaries and parsed files kept in "
            ".qa/cache (the same report, slower).",
        ),
    ),
    Param("repo", Path | None, common.RepoOption),
]


MIN_PASSWORD_CHARS = 12


def _password(path: Path | None, root: Path) -> str | None:
    """The workbook password: the first line of a file outside the repository, as written."""
    if path is None:
        return None
    from ..limits import encoding_problem
    from ..pathguard import input_file, is_within

    if is_within(path.resolve(), root.resolve()):
        raise QAError(
            f"the password file {path} is inside the audit repository, where it could be committed",
            "keep it outside the repository (e.g. in your home folder) and delete this copy",
        )
    raw = input_file(path, "--password-file", 64_000)
    odd = encoding_problem(raw)
    if odd is not None:
        raise QAError(
            f"the password file {path}: {odd.message}",
            "save it as plain UTF-8 text with the password on the first line",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QAError(
            f"the password file {path} could not be read ({exc})",
            "save it as plain UTF-8 text with the password on the first line",
        ) from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if password != password.strip():
        raise QAError(
            f"the password on the first line of {path} starts or ends with a space or a tab",
            "nothing is stripped from a password silently: remove the spaces from the file, "
            "or choose a password without them at its ends",
        )
    if len(password) < MIN_PASSWORD_CHARS:
        raise QAError(
            f"the password in {path} is too short ({len(password)} characters)",
            f"use at least {MIN_PASSWORD_CHARS} characters, e.g. three or four random words",
        )
    return password


def _builder(ref: str) -> Callable[..., Any]:
    import importlib

    module, name = ref.split(":")
    builder: Callable[..., Any] = getattr(importlib.import_module(f"qa_cli.reports.{module}"), name)
    return builder


def _write(
    repo_dir: Path | None,
    build: Callable[[Any], Any],
    redact: bool,
    password_file: Path | None,
    load: Callable[[Path], Any],
    use_cache: bool = True,
) -> None:
    """Load the repository, build the report, write both files, say where they are."""
    from ..safewrite import repository_lock

    root = common.repo_root(repo_dir)
    password = _password(password_file, root)
    with repository_lock(root):
        _build_and_write(root, build, redact, password, load, use_cache)


def _build_and_write(
    root: Path,
    build: Any,
    redact: bool,
    password: str | None,
    load: Callable[[Path], Any],
    use_cache: bool = True,
) -> None:
    from contextlib import nullcontext

    from ..calendar import bank_holidays_kept
    from ..reports.output import write_report
    from ..repository import gc_paused

    repo = load(root)
    # the collector paused: a million objects made and kept to the end, its passes over them
    # were a third of building (cycles are few)
    with gc_paused(), bank_holidays_kept(root) if use_cache else nullcontext():
        report = build(repo)
        paths = write_report(repo, report, redact=redact, password=password)
    for note in report.notes:
        common.err_console.print(f"[yellow]warning:[/] {note}", markup=True)
    for p in paths:
        common.console.print(f"wrote {p.relative_to(root).as_posix()}", markup=False)
    if password is not None:
        common.console.print(
            "the workbook is encrypted; send the password separately", markup=False
        )


def _loader(spec: ReportCommand, options: dict[str, Any], use_cache: bool) -> Any:
    """How the report loads the repository: only its period in full when it says which
    returns it needs (the others as summaries), else every file."""
    needs = _builder(spec.needs)(**options) if spec.needs else None

    def load(root: Path) -> Any:
        from ..reports.loading import load_for_report

        return load_for_report(root, needs, use_cache=use_cache)

    return load


def make_command(spec: ReportCommand) -> Callable[..., None]:
    """The typer command of one report: its own options, then the options every report has."""

    def command(**options: Any) -> None:
        today = common.parse_date_option(options.pop("as_of"))
        redact, password_file = options.pop("redact"), options.pop("password_file")
        repo_dir, use_cache = options.pop("repo"), not options.pop("no_cache")
        options = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in options.items()}
        build, load = _builder(spec.build), _loader(spec, options, use_cache)
        run = lambda r: build(r, today=today, **options)  # noqa: E731
        _write(repo_dir, run, redact, password_file, load, use_cache)

    params = [*spec.params, *COMMON]
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                p.name, inspect.Parameter.KEYWORD_ONLY, default=p.default, annotation=p.type
            )
            for p in params
        ]
    )
    command.__annotations__ = {p.name: p.type for p in params} | {"return": None}
    command.__name__ = spec.name.replace("-", "_")
    command.__doc__ = spec.help
    return common.handle_errors(command)


# One command a report, made when the module is imported (as the other groups' commands are)
for _spec in REPORTS:
    report_app.command(_spec.name)(make_command(_spec))


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
