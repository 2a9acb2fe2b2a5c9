"""Shared fixtures: a copy of the example repository, the CLI runner, golden-file refresh."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-repo"
MINI = ROOT / "tests" / "fixtures" / "mini-repo"
BASE = ROOT / "tests" / "cases" / "base"  # the validator's small base repository
BASE_AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"  # its one audit return
AS_OF = "2026-11-29"  # the demo scenario's "today"; tests never depend on the real date

# Each report of the demo: its `qa report` arguments and its output's path without the
# extension (.md, .xlsx).
DEMO_REPORTS: dict[str, tuple[list[str], str]] = {
    "monthly": (["monthly", "--month", "2026-10"], "reports/2026-10/monthly"),
    "themed": (
        ["themed", "--theme", "supervision", "--month", "2026-10"],
        "reports/2026-10/themed-supervision",
    ),
    "team": (
        ["team", "--team", "assessment-2", "--half", "2026-H2"],
        "reports/2026-H2/team-assessment-2",
    ),
    "monitoring": (["monitoring", "--month", "2026-11"], "reports/2026-11/monitoring"),
    "multi-agency": (
        ["multi-agency", "2026-cp-neglect"],
        "reports/multi-agency-2026-cp-neglect/multi-agency",
    ),
    "complaints": (["complaints", "--year", "2026"], "reports/2026/complaints"),
    "observations": (["observations", "--year", "2026"], "reports/2026/observations"),
    "quarterly": (["quarterly", "--quarter", "2026-Q3"], "reports/2026-Q3/quarterly"),
    "crib-sheets": (["crib-sheets", "--month", "2026-10"], "reports/2026-10/crib-sheets"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current output instead of comparing.",
    )


_TERMINAL_ENV = ("COLUMNS", "LINES")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: hand each worker this process's terminal size variables, as they are."""
    node.workerinput["qa_terminal_env"] = {k: os.environ.get(k) for k in _TERMINAL_ENV}


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker (started with COLUMNS=80 LINES=24 set), the terminal variables of
    the process that started the run, so output is laid out the same in parallel runs."""
    env = getattr(config, "workerinput", {}).get("qa_terminal_env")
    for key, value in (env or {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _warm_template(source: Path, dest: Path) -> Path:
    """A copy of ``source`` (without any local ``.qa/``) whose parse cache is filled.

    Every command loads the repository, and the first load of a fresh copy parses every
    file (about 0.4 s of CPU for the demo). The parse cache (``.qa/cache/parsed.jsonl``,
    keyed by each file's content) makes that first load as cheap as a second one; a file a
    test changes is parsed again, and tests/acceptance/test_cache.py checks that loads from
    the cache equal parses. Filled once a session, then copied for each test.
    """
    from qa_cli.repository import Repository

    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".qa"))
    Repository.load(dest)
    return dest


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DEMO / "qa.yaml").is_file():
        pytest.skip("examples/demo-repo is not there yet")
    return _warm_template(DEMO, tmp_path_factory.mktemp("template") / "demo-repo")


@pytest.fixture(scope="session")
def _mini_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _warm_template(MINI, tmp_path_factory.mktemp("template") / "mini-repo")


@pytest.fixture
def demo_repo(tmp_path: Path, _demo_template: Path) -> Path:
    """A fresh copy of examples/demo-repo that a test may change."""
    dest = tmp_path / "demo-repo"
    shutil.copytree(_demo_template, dest)
    return dest


@pytest.fixture
def mini_repo(tmp_path: Path, _mini_template: Path) -> Path:
    """A fresh copy of tests/fixtures/mini-repo: small and valid, for fast command tests."""
    dest = tmp_path / "mini-repo"
    shutil.copytree(_mini_template, dest)
    return dest


@pytest.fixture
def no_identity_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No identity list and no configuration folder of this machine: findings are the
    repository's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.delenv("QA_IDENTITY_LIST", raising=False)


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    """A fresh copy of tests/cases/base: one tool, one audit return, valid."""
    dest = tmp_path / "repo"
    shutil.copytree(BASE, dest)
    return dest


@pytest.fixture
def run() -> Callable[..., object]:
    """Invoke the `qa` CLI in-process: run("validate", "--repo", path) -> click Result."""
    from qa_cli.cli import app

    runner = CliRunner()

    def _run(*args: str | Path, input: str | None = None):  # noqa: ANN202
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return _run


def one_team_config(
    organisation: str, service: tuple[str, str], team: tuple[str, str], manager: tuple[str, str]
) -> Any:
    """A qa.yaml's model with one service, one team and its Team Manager, each (id, name)."""
    from qa_cli.models.config import Config

    return Config.model_validate(
        {
            "schema": "qa/config@1",
            "organisation": organisation,
            "services": [{"id": service[0], "name": service[1]}],
            "teams": [{"id": team[0], "name": team[1], "service": service[0]}],
            "staff": [{"id": manager[0], "name": manager[1], "roles": ["team_manager"]}],
        }
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, to show that a command changed nothing.

    The validation cache (``.qa/cache/``, git-ignored, never an auditor's file) is left out.
    """
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".qa/cache/" not in p.as_posix()
    }


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A git identity for commits, and no user or system git configuration (tests of git)."""
    for var, value in {
        "GIT_AUTHOR_NAME": "QA Test",
        "GIT_AUTHOR_EMAIL": "qa-test@example.org",
        "GIT_COMMITTER_NAME": "QA Test",
        "GIT_COMMITTER_EMAIL": "qa-test@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(var, value)
