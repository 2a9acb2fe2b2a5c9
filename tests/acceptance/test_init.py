"""`qa init`: a new repository validates clean; nothing existing is ever overwritten."""

from __future__ import annotations

from pathlib import Path

from conftest import snapshot


def test_init_then_validate_is_clean(tmp_path: Path, run) -> None:
    target = tmp_path / "audits-repo"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    for rel in (
        "qa.yaml",
        ".gitignore",
        "README.md",
        ".github/workflows/qa.yml",
        ".pre-commit-config.yaml",
        "audits/.gitkeep",
    ):
        assert (target / rel).is_file(), rel
    tools = sorted(p.name for p in (target / "audit_tools").glob("*.yaml"))
    assert "single-agency-safeguarding.yaml" in tools and "crib-sheet.yaml" in tools
    assert "qa.yaml" in (target / "qa.yaml").read_text() or "#" in (target / "qa.yaml").read_text()
    gitignore = (target / ".gitignore").read_text()
    assert ".qa/" in gitignore and "*.key" in gitignore
    assert "\noutbox/\n" in gitignore  # forms from `qa form export` never enter the record
    check = run("validate", "--repo", target, "--strict")
    assert check.exit_code == 0, check.output


def test_init_refuses_a_non_empty_folder(tmp_path: Path, run) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    before = snapshot(tmp_path)
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.output and "--force" in result.output
    assert snapshot(tmp_path) == before


def test_init_force_overwrites_nothing(tmp_path: Path, run) -> None:
    (tmp_path / "qa.yaml").write_text("# my own settings\n")
    (tmp_path / "README.md").write_text("mine\n")
    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "qa.yaml").read_text() == "# my own settings\n"
    assert (tmp_path / "README.md").read_text() == "mine\n"
    assert (tmp_path / "audit_tools" / "crib-sheet.yaml").is_file()
    assert "Left 2 existing file(s)" in result.output


def test_init_on_a_file_is_a_usage_error(tmp_path: Path, run) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    result = run("init", f)
    assert result.exit_code == 2
    assert "is a file" in result.output
