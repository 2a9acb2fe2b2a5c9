"""The built wheel (not the checkout) carries and finds its audit tools and templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (whl,) = out.glob("qa_cli-*.whl")
    return whl


def test_wheel_contains_tools_and_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "qa_cli/_data/audit_tools/single-agency-safeguarding.yaml" in names
    assert any(n.startswith("qa_cli/_data/templates/") for n in names)
    assert "qa_cli/scaffold/qa.yaml" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)


def test_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import qa_cli, qa_cli.resources as r; "
        "print(qa_cli.__file__); print(r.toolkit_dir('audit_tools')); "
        "print(r.toolkit_dir('templates'))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert all(line.startswith(str(target)) for line in out[:3]), out
    # and `qa init` from the installed copy lays out the shipped tools
    init = subprocess.run(
        [sys.executable, "-c", "from qa_cli.cli import main; main()", "init", "new-repo"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert init.returncode == 0, init.stderr
    assert (elsewhere / "new-repo" / "audit_tools" / "crib-sheet.yaml").is_file()
