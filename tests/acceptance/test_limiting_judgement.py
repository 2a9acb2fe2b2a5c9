"""Ofsted's limiting judgement (issue 11.7): an overall grade better than the worst graded
section of a key line of enquiry is a warning naming the section; qa.yaml can make it an error."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RETURN = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"


def _plant(demo_repo: Path) -> None:
    # Outstanding overall, every section Good but Inter-agency working (Requires Improvement).
    path = demo_repo / RETURN
    text = path.read_text()
    assert "overall_grade: inadequate" in text
    text = text.replace("overall_grade: inadequate", "overall_grade: outstanding")
    text = re.sub(r"(?m)^(  [a-z-]+-grade): \w+$", r"\1: good", text)
    text = text.replace("  inter-agency-grade: good", "  inter-agency-grade: requires_improvement")
    path.write_text(text)


def _found(run: Any, repo: Path) -> list[dict]:
    result = run("validate", "--repo", repo, "-f", "json", repo / RETURN)
    return [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "QA451"]


def test_overall_better_than_worst_section_is_a_warning_naming_it(demo_repo: Path, run) -> None:
    _plant(demo_repo)
    [d] = _found(run, demo_repo)
    assert d["severity"] == "warning"
    assert "Outstanding" in d["message"] and "'Inter-agency working'" in d["message"]
    assert "(Requires Improvement, `inter-agency-grade`)" in d["message"]
    assert d["hint"].startswith("grade the audit `requires_improvement` overall")
    line = (demo_repo / RETURN).read_text().split("\n").index("overall_grade: outstanding") + 1
    assert d["line"] == line


def test_qa_yaml_makes_it_an_error(demo_repo: Path, run) -> None:
    _plant(demo_repo)
    config = demo_repo / "qa.yaml"
    config.write_text(config.read_text() + "validation:\n  limiting_judgement: error\n")
    [d] = _found(run, demo_repo)
    assert d["severity"] == "error"
    assert run("validate", "--repo", demo_repo).exit_code == 1


def test_overall_no_better_than_worst_section_passes(demo_repo: Path, run) -> None:
    assert _found(run, demo_repo) == []  # inadequate overall over an inadequate section
