"""`qa export`: tidy tables that load back with the repository's counts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from qa_cli.export import TABLES
from qa_cli.models.audit import AuditReturn
from qa_cli.models.complaint import Complaint
from qa_cli.models.crib_sheet import CribSheet
from qa_cli.models.improvement import ImprovementPlan, TeamOverview, TeamReview
from qa_cli.models.multi_agency import MultiAgencyFindings
from qa_cli.models.observation import Observation
from qa_cli.models.sample import Sample
from qa_cli.reports.collate import collect
from qa_cli.repository import Repository

DOCS = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def _expected(repo_dir: Path) -> dict[str, int]:
    repo = Repository.load(repo_dir)
    audits = repo.models(AuditReturn)
    return {
        "returns": len(audits),
        "answers": sum(len(r.answers) for r in collect(repo)),
        "actions": sum(len(a.actions) for a in audits)
        + sum(len(c.actions) for c in repo.models(CribSheet))
        + sum(len(f.actions) for f in repo.models(MultiAgencyFindings))
        + sum(len(p.recommendations) for p in repo.models(ImprovementPlan))
        + sum(len(r.items()) for r in repo.models(TeamReview))
        + sum(len(o.actions) for o in repo.models(TeamOverview)),
        "reviews": sum(1 for a in audits if a.qa_review is not None),
        "samples": sum(len(s.allocations) for s in repo.models(Sample)),
        "observations": len(repo.models(Observation)),
        "complaints": len(repo.models(Complaint)),
    }


def _load_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv_tables_load_back_with_the_repositorys_counts(
    run, demo_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    result = run("export", "--out", out, "--no-parquet", "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    expected = _expected(demo_repo)
    assert all(n > 0 for n in expected.values()), expected
    for table in TABLES:
        rows = _load_csv(out / f"{table.name}.csv")
        assert len(rows) == expected[table.name], table.name
        assert list(rows[0]) == [c.name for c in table.columns]
        for c in table.columns:  # values have their documented type
            values = [r[c.name] for r in rows if r[c.name]]
            if c.type == "date":
                assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values), c.name
            elif c.type == "boolean":
                assert set(values) <= {"true", "false"}, c.name
            elif c.type == "integer":
                assert all(v.lstrip("-").isdigit() for v in values), c.name
    returns = _load_csv(out / "returns.csv")
    assert {r["counted"] for r in returns} == {"true", "false"}
    assert not (out / "returns.parquet").exists()


def test_parquet_tables_are_typed(run, demo_repo: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    out = tmp_path / "export"
    result = run("export", "--out", out, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    expected = _expected(demo_repo)
    for table in TABLES:
        t = pq.read_table(out / f"{table.name}.parquet")
        assert t.num_rows == expected[table.name]
        kinds = {f.name: str(f.type) for f in t.schema}
        for c in table.columns:
            want = {"date": "date32[day]", "boolean": "bool", "integer": "int64"}
            assert kinds[c.name] == want.get(c.type, "string"), (table.name, c.name)


def test_every_column_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for table in TABLES:
        section = text.split(f"### `{table.name}`")[1].split("\n### ")[0]
        for c in table.columns:
            assert f"| `{c.name}` | {c.type} |" in section, (table.name, c.name)


def test_redact_leaves_no_case_code_or_staff_name(run, demo_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run("export", "--out", out, "--redact", "--no-parquet", "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    cfg = Repository.load(demo_repo).config
    assert cfg is not None
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
    assert not re.search(r"C-[0-9A-Z]{8}", text)
    for s in cfg.staff:
        assert s.name not in text and f",{s.id}," not in text
    assert "Case 1" in text and "Staff A" in text


def test_out_that_is_a_file_is_refused(run, demo_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    result = run("export", "--out", target, "--repo", demo_repo)
    assert result.exit_code == 2
    assert "is a file" in result.output and "give a folder" in result.output
    assert target.read_text() == "keep me"
