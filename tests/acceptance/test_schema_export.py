"""`qa schema export`: one schema per kind and per tool, spelling out each tool's answers."""

from __future__ import annotations

import json
from pathlib import Path

from qa_cli.models import KINDS
from qa_cli.models.common import GRADES


def test_export_writes_kind_and_tool_schemas(tmp_path: Path, run) -> None:
    repo = tmp_path / "repo"
    assert run("init", repo).exit_code == 0
    out = tmp_path / "schemas"
    result = run("schema", "export", "--repo", repo, "--out", out)
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.glob("*.json")}
    tools = sorted((repo / "audit_tools").glob("*.yaml"))
    assert len(names) == len(KINDS) + len(tools)
    audit = json.loads((out / "audit@1.schema.json").read_text())
    assert "overall_grade" in audit["properties"]
    tool = json.loads((out / "tool-single-agency-safeguarding@1.schema.json").read_text())
    answers = tool["properties"]["answers"]
    assert answers["additionalProperties"] is False
    from qa_cli.models.tool import Tool
    from qa_cli.yamlio import load_fast

    model = Tool.model_validate(
        load_fast((repo / "audit_tools/single-agency-safeguarding.yaml").read_bytes())
    )
    assert set(answers["properties"]) == set(model.questions())
    grade_q = next(q for q in model.questions().values() if q.type == "grade")
    assert answers["properties"][grade_q.id]["anyOf"][0]["enum"] == list(GRADES)
    assert tool["properties"]["tool"] == {"const": "single-agency-safeguarding@1"}


def test_export_outside_a_repository_is_a_usage_error(tmp_path: Path, run) -> None:
    result = run("schema", "export", "--repo", tmp_path)
    assert result.exit_code == 2
