"""`qa validate` for CI: SARIF against its schema, JUnit per file, auto format, suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

HERE = Path(__file__).resolve().parent
# The OASIS SARIF 2.1.0 JSON Schema (a copy of the published file) and a JUnit XSD following
# the Jenkins/Ant format that CI servers read.
SARIF_SCHEMA = HERE.parent / "data" / "sarif-schema-2.1.0.json"
JUNIT_XSD = HERE.parent / "data" / "junit.xsd"
RETURN = "audits/2026-09/C-6DYAX8M5--single-agency-safeguarding.yaml"


def break_return(repo: Path) -> int:
    """Misspell a grade in one return (QA303); the line of the finding."""
    path = repo / RETURN
    text = path.read_text()
    text = text.replace(
        "assessment-and-risk-grade: requires_improvement",
        "assessment-and-risk-grade: requires_improvment",
    )
    path.write_text(text)
    lines = text.splitlines()
    return lines.index("  assessment-and-risk-grade: requires_improvment") + 1


def sarif_schema() -> dict:
    return json.loads(SARIF_SCHEMA.read_text())


def test_sarif_validates_against_the_schema_with_one_result_per_finding(
    demo_repo: Path, run
) -> None:
    import jsonschema

    line = break_return(demo_repo)
    result = run("validate", "--repo", demo_repo, "--format", "sarif")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    jsonschema.validate(doc, sarif_schema())
    (sarif_run,) = doc["runs"]
    results = sarif_run["results"]
    as_json = json.loads(run("validate", "--repo", demo_repo, "--format", "json").output)
    assert len(results) == len(as_json["diagnostics"]) >= 1
    hit = [r for r in results if r["ruleId"] == "QA303"]
    assert hit, results
    loc = hit[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == RETURN
    assert loc["region"]["startLine"] == line
    rules = sarif_run["tool"]["driver"]["rules"]
    assert rules[hit[0]["ruleIndex"]]["id"] == "QA303"
    from qa_cli.validation.rules import RULES

    assert {r["id"] for r in rules} == set(RULES)
    assert rules[hit[0]["ruleIndex"]]["fullDescription"]["text"] == RULES["QA303"].explanation
    assert sarif_run["invocations"][0]["exitCode"] == 1


def test_a_clean_run_is_valid_sarif_with_no_results(demo_repo: Path, run) -> None:
    import jsonschema

    result = run("validate", "--repo", demo_repo, "--format", "sarif")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    jsonschema.validate(doc, sarif_schema())
    assert doc["runs"][0]["results"] == []


def junit(output: str) -> ElementTree.Element:
    import xmlschema

    xmlschema.XMLSchema(JUNIT_XSD).validate(output)
    return ElementTree.fromstring(output)


def test_junit_has_one_test_case_per_checked_file(demo_repo: Path, run) -> None:
    clean = run("validate", "--repo", demo_repo, "--format", "junit")
    assert clean.exit_code == 0
    suite = junit(clean.output).find("testsuite")
    checked = json.loads(run("validate", "--repo", demo_repo, "-f", "json").output)
    assert int(suite.get("tests")) == checked["files_checked"] > 100
    assert len(suite.findall("testcase")) == checked["files_checked"]
    assert suite.get("failures") == "0"

    line = break_return(demo_repo)
    broken = run("validate", "--repo", demo_repo, "--format", "junit")
    assert broken.exit_code == 1
    suite = junit(broken.output).find("testsuite")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [RETURN]
    assert failed[0].get("file") == RETURN  # GitLab links the test case to the file
    assert int(suite.get("failures")) == 1
    failure = failed[0].find("failure")
    assert failure.get("type").startswith("QA303")
    assert f"{RETURN}:{line}:" in failure.text


@pytest.fixture
def warning_only(demo_repo: Path) -> Path:
    """A return whose only finding is a warning (a postcode-like text)."""
    path = demo_repo / RETURN
    text = path.read_text().replace(  # the first comment on an answer
        "    comment: ", "    comment: Strategy meeting held at the office near SW1A 1AA. ", 1
    )
    path.write_text(text)
    config = demo_repo / "qa.yaml"  # personal data is an error unless qa.yaml lowers it
    config.write_text(config.read_text() + "privacy:\n  warnings: [QA503]\n")
    return demo_repo


def test_junit_counts_agree_with_the_exit_code_under_strict(warning_only: Path, run) -> None:
    lenient = run("validate", "--repo", warning_only, "--format", "junit")
    assert lenient.exit_code == 0
    suite = junit(lenient.output).find("testsuite")
    assert suite.get("failures") == "0"
    (case,) = [c for c in suite.findall("testcase") if c.get("name") == RETURN]
    assert "QA503" in case.find("system-out").text and case.find("failure") is None

    strict = run("validate", "--repo", warning_only, "--format", "junit", "--strict")
    assert strict.exit_code == 1
    suite = junit(strict.output).find("testsuite")
    assert suite.get("failures") == "1"
    (case,) = [c for c in suite.findall("testcase") if c.get("name") == RETURN]
    assert case.find("failure").get("type").startswith("QA503")


def test_auto_format_is_github_inside_github_actions(
    demo_repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_return(demo_repo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("validate", "--repo", demo_repo)
    assert result.exit_code == 1
    assert f"::error file={RETURN},line=" in result.output
    monkeypatch.delenv("GITHUB_ACTIONS")
    result = run("validate", "--repo", demo_repo)
    assert "::error" not in result.output and f"{RETURN}:" in result.output


def test_summary_table_is_appended_to_the_step_summary(demo_repo: Path, run) -> None:
    break_return(demo_repo)
    summary = demo_repo.parent / "step-summary.md"
    summary.write_text("earlier step\n")
    result = run("validate", "--repo", demo_repo, "-f", "github", "--summary", summary)
    assert result.exit_code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n## qa validate")
    assert "| QA303 | error | answer does not fit | 1 |" in text
    assert f"| {RETURN} |" in text


def test_a_disable_comment_silences_one_rule_on_its_line_and_is_counted(
    demo_repo: Path, run
) -> None:
    line = break_return(demo_repo)
    path = demo_repo / RETURN
    lines = path.read_text().splitlines()
    lines[line - 1] += "  # qa: disable=QA303"
    path.write_text("\n".join(lines) + "\n")
    result = run("validate", "--repo", demo_repo, "--format", "text")
    assert result.exit_code == 0, result.output
    assert "1 finding silenced by `# qa: disable=` comments" in result.output
    sarif = json.loads(run("validate", "--repo", demo_repo, "-f", "sarif").output)
    (kept,) = sarif["runs"][0]["results"]
    assert kept["ruleId"] == "QA303" and kept["suppressions"][0]["kind"] == "inSource"
    # Another rule on the same line is not silenced.
    lines[line - 1] = lines[line - 1].replace("QA303", "QA101")
    path.write_text("\n".join(lines) + "\n")
    assert run("validate", "--repo", demo_repo).exit_code == 1
