"""The case-code key (issue 10): refused inside the repository, readable by others or weak;
each case list records the key's fingerprint and another key is refused; `qa cases reveal`
finds a case from an export and writes nothing in the repository; `.gitignore` of `qa init`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import snapshot

AS_OF = "2026-11-29"
KEY = "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"  # made up
OTHER = "synthetic-another-Q3w$E5r^T7y&U9i*O1p(A2s)"  # made up too


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("QA_CASE_KEY", KEY)
    return home


def _export(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "export.csv"
    rows = "".join(f"{i},assessment-1,CIN,14/03/2026\n" for i in ids)
    path.write_text("Case ID,Team,Category,Start Date\n" + rows)
    return path


def _import(run, repo: Path, export: Path, *extra: str):  # noqa: ANN202
    return run("cases", "import", export, "--as-of", AS_OF, "--repo", repo, *extra)


def test_each_list_records_the_fingerprint_and_another_key_is_refused(
    demo_repo: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _import(run, demo_repo, _export(tmp_path, "900001", "900002"))
    assert first.exit_code == 0, first.output
    written = (demo_repo / "cases" / f"{AS_OF}.csv").read_text()
    assert written.startswith("# key-fingerprint: hmac-sha256:") and KEY not in written
    assert ",2026-03," in written  # the start date kept to the month
    monkeypatch.setenv("QA_CASE_KEY", OTHER)
    before = snapshot(demo_repo)
    again = run("cases", "import", _export(tmp_path, "900003"), "--as-of", "2026-12-28",
                "--repo", demo_repo)  # fmt: skip
    assert again.exit_code == 1
    text = " ".join(again.output.split())
    # the first list of the demo already records the key that made it
    assert "is not the one that made cases/2026-07-28.csv" in text and "--new-key" in text
    assert snapshot(demo_repo) == before
    rotated = run("cases", "import", _export(tmp_path, "900003"), "--as-of", "2026-12-28",
                  "--repo", demo_repo, "--new-key")  # fmt: skip
    assert rotated.exit_code == 0, rotated.output
    assert run("validate", "--repo", demo_repo).exit_code == 0  # the fingerprint line is valid


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("k" * 40, "too little entropy"),
        ("abab" * 10, "too little entropy"),
        ("qwerty7", "too short"),
    ],
)
def test_weak_keys_are_refused(
    demo_repo: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, says: str
) -> None:
    monkeypatch.setenv("QA_CASE_KEY", key)
    before = snapshot(demo_repo)
    result = _import(run, demo_repo, _export(tmp_path, "900001"))
    assert result.exit_code == 2 and says in result.output
    assert key not in result.output
    assert snapshot(demo_repo) == before


def test_a_key_file_readable_by_others_is_refused(
    demo_repo: Path, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _config: Path
) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    monkeypatch.delenv("QA_CASE_KEY")
    key_file = _config / "qa" / "case-key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    result = _import(run, demo_repo, _export(tmp_path, "900001"))
    assert result.exit_code == 2 and "can be read by other users" in result.output
    assert "chmod 600" in result.output
    key_file.chmod(0o600)
    assert _import(run, demo_repo, _export(tmp_path, "900001")).exit_code == 0


def test_reveal_finds_the_case_writes_nothing_and_logs_outside_git(
    demo_repo: Path, run, tmp_path: Path, _config: Path
) -> None:
    from qa_cli.privacy import case_code

    export = _export(tmp_path, "900001", "900002", "900003")
    code = case_code("900002", KEY.encode())
    before = snapshot(demo_repo)
    result = run("cases", "reveal", code.lower(), "--export", export, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    assert "case-management ID 900002" in result.output
    assert snapshot(demo_repo) == before
    log = (_config / "qa" / "reveal-log.csv").read_text().splitlines()
    assert log[0] == "when,who,code,found" and log[1].endswith(f",{code},yes")
    assert (_config / "qa" / "reveal-log.csv").stat().st_mode & 0o077 == 0
    missing = run("cases", "reveal", "C-AAAAAAAA", "--export", export, "--repo", demo_repo)
    assert missing.exit_code == 1 and "900" not in missing.output
    inside = demo_repo / "export.csv"
    inside.write_text(export.read_text())
    refused = run("cases", "reveal", code, "--export", inside, "--repo", demo_repo)
    assert refused.exit_code == 2 and "inside the audit repository" in refused.output


def test_init_gitignore_keeps_identity_material_out(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target).exit_code == 0
    if not (target / ".git").is_dir():
        subprocess.run(["git", "init", "-q", str(target)], check=True)
    candidates = [
        "case-key", ".env", "export.xlsx", "reports/2026-10/list.csv", "stray.csv",
        "password.txt", "identity-list.txt", "exports/annex-a.xlsx",
    ]  # fmt: skip
    kept = ["cases/2026-10-28.csv", "reports/2026-10/monthly.xlsx", "qa.yaml"]
    out = subprocess.run(
        ["git", "-C", str(target), "check-ignore", "--no-index", *candidates, *kept],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(out) == sorted(candidates)
