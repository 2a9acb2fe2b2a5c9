"""One bad file is reported with its place and the run goes on; exports are checked first."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import AS_OF, snapshot


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QA_CASE_KEY", "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_deep_and_merge_files_are_reported_and_the_run_goes_on(demo_repo: Path, run) -> None:
    folder = demo_repo / "audits" / "2026-11"
    folder.mkdir(exist_ok=True)
    (folder / "deep.yaml").write_text("schema: qa/audit@1\nx: " + "[" * 20_000 + "\n")
    (folder / "deeper.yaml").write_text("schema: qa/audit@1\nx:\n" + "{\n" * 20_000)
    (folder / "merge.yaml").write_text("schema: qa/audit@1\n<<: {status: closed}\n")
    (folder / "nul.yaml").write_bytes(b"schema: qa/audit@1\nx: \x00\n")
    (folder / "plain-bad.yaml").write_text("schema: qa/audit@1\n")
    start = time.perf_counter()
    r = run("validate", "--format", "json", "--repo", demo_repo)
    assert time.perf_counter() - start < 30
    assert r.exit_code == 1
    by_file = {}
    for d in json.loads(r.stdout)["diagnostics"]:
        by_file.setdefault(d["path"], set()).add(d["code"])
    assert by_file["audits/2026-11/deep.yaml"] == {"QA015"}
    assert "QA014" in by_file["audits/2026-11/deeper.yaml"]
    assert "QA016" in by_file["audits/2026-11/merge.yaml"]
    assert "QA017" in by_file["audits/2026-11/nul.yaml"]
    assert "QA102" in by_file["audits/2026-11/plain-bad.yaml"], "the run went on"


@pytest.mark.parametrize(
    "command",
    [["due", "--as-of", AS_OF], ["moderate", "--month", "2026-10", "--as-of", AS_OF], ["grades"]],
)
def test_a_deep_qa_yaml_is_a_clean_error_for_every_command(demo_repo: Path, run, command) -> None:
    config = demo_repo / "qa.yaml"
    config.write_text(config.read_text() + "extra: " + "[" * 30_000 + "\n")
    before = snapshot(demo_repo)
    r = run(*command, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "qa.yaml" in r.output and "internal problem" not in r.output
    assert snapshot(demo_repo) == before


def test_a_5mb_csv_cell_names_the_file(demo_repo: Path, run, tmp_path: Path, keyed) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Case ID,Team,Worker,Category\n1," + "x" * 5_000_000 + ",w,CP\n")
    before = snapshot(demo_repo)
    r = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert r.exit_code == 2, r.output
    assert "export.csv:2" in r.output and "over the limit" in r.output
    assert snapshot(demo_repo) == before


def test_an_xlsx_zip_bomb_is_refused_before_opening(
    demo_repo: Path, run, tmp_path: Path, keyed
) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"0" * 40_000_000)
    before = snapshot(demo_repo)
    start = time.perf_counter()
    r = run("cases", "import", bomb, "--as-of", AS_OF, "--repo", demo_repo)
    assert time.perf_counter() - start < 10
    assert r.exit_code == 2, r.output
    assert "bomb.xlsx was not opened" in r.output
    assert snapshot(demo_repo) == before
