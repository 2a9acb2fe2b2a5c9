"""No command echoes a value that could identify a child (the masking policy, issue 10).

Every rule's invalid case of tests/cases/invalid/ is re-run with synthetic identifiers
planted in it: in the offending value itself wherever the rule is about a value the user
typed, and in a comment on the offending line in every case. Every command's error paths
are run with the same identifiers as their input. Neither stdout nor stderr may hold any of
them, in any output format. Every value here is synthetic: invented names, an NHS number
of the 999 test range, HMRC's example NI number, Ofcom drama-range phone numbers, a ZZ
postcode (no such area) and a made-up case-management ID.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .test_validate_cases import _lay_out

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"
BASE = CASES_DIR / "base"
CASES = sorted(p for p in (CASES_DIR / "invalid").iterdir() if p.is_dir())
A = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
TOOL = "audit_tools/mini-audit.yaml"

NAME = "Zebedee Quux"
PLANTED = (
    "Zebedee Quux 999 000 0018 zeb.quux@example.com 07700 900123 ZZ1 1ZZ "
    "QQ 12 34 56 C born 03/04/2015 ZCM-004271"
)
# What must never appear, compared without case: each identifier, and its telling parts.
NEEDLES = (
    "zebedee",
    "quux",
    "999 000 0018",
    "9990000018",
    "000 0018",
    "zeb.quux",
    "@example.com",
    "07700",
    "900123",
    "zz1 1zz",
    "12 34 56",
    "03/04/2015",
    "/04/2015",
    "004271",
)
# The offending value of each rule that is about a value, replaced by a planted identifier.
VALUE_PLANTS: dict[str, list[tuple[str, str, str]]] = {
    "QA001-not-utf8": [],  # bytes: planted below
    "QA002-syntax": [(A, "Good: timely", "Zebedee Quux: 999 000 0018")],
    "QA004-duplicate-key": [
        (A, "overall_grade: good  #<-", "Zebedee Quux: a\nZebedee Quux: b  #<-")
    ],
    "QA005-anchor": [(A, "&t child", "&zebedee-quux-004271 child")],
    "QA011-unknown-kind": [(A, "qa/audits@1", "zebedee-quux-004271@1")],
    "QA101-unknown-key": [(A, "strenghts:", "zebedee-quux-004271:")],
    "QA103-wrong-type": [(A, "auditors: sm-cdale", "auditors: Zebedee Quux")],
    "QA104-impossible-date": [(A, "completed: 2026-02-30", "completed: born 03/04/2015")],
    "QA105-uk-date": [(A, "completed: 01/10/2026", "completed: 03/04/2015")],
    "QA106-grade-misspelt": [(A, "requires_improvment  #<-", "Zebedee Quux  #<-")],
    "QA107-bad-case-code": [(A, "case: CASE-0001", "case: ZCM-004271")],
    "QA202-comment-trigger": [(TOOL, '"never"', '"Zebedee Quux"')],
    "QA301-unknown-tool-version": [(A, "tool: mini-audit@2", "tool: zebedee-quux-004271@2")],
    "QA302-unknown-question": [(A, "plan-typ:", "zeb.quux@example.com:")],
    "QA303-answer-not-an-option": [(A, "cp_plan2", "Zebedee Quux 07700 900123")],
    "QA401-unknown-staff": [(A, "sw-nobody", "zebedee-quux")],
    "QA402-unknown-team": [(A, "child-protecton", "zebedee-quux-004271")],
    "QA411-unknown-service": [("qa.yaml", "safeguardin  #<-", "zebedee-quux  #<-")],
    "QA509-case-list-column": [
        ("cases/2026-09-28.csv", "C-7F3K2Q9M,child-protection,sw-afield", "ZCM-004271,x,zebedee")
    ],
}


def _needles_in(output: str) -> list[str]:
    low = output.lower()
    return [n for n in NEEDLES if n in low]


def _identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home-config"
    home.mkdir(exist_ok=True)
    (home / "identity.txt").write_text(NAME + "\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("QA_IDENTITY_LIST", str(home / "identity.txt"))


def _plant(tmp_path: Path, case: Path) -> tuple[Path, dict]:
    repo, expect = _lay_out(tmp_path, case)
    target = repo / expect["file"]
    if case.name == "QA001-not-utf8":
        target.write_bytes(b"schema: qa/audit@1\nnote: caf\xe9 " + PLANTED.encode() + b"\n")
        return repo, expect
    for rel, old, new in VALUE_PLANTS.get(case.name, []):
        path = repo / rel
        text = path.read_text()
        assert old in text, (case.name, old)
        path.write_text(text.replace(old, new, 1))
    try:
        target.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return repo, expect  # a case about the file's encoding: its bytes stay as they are
    if target.suffix == ".yaml" and b"\0" not in target.read_bytes():
        lines = target.read_text().split("\n")
        n = expect["line"] - 1
        if n < len(lines):
            lines[n] += "  # " + PLANTED if "#" not in lines[n] else " " + PLANTED
        target.write_text("\n".join(lines))
    return repo, expect


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_planted_identifier_in_validate_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run, case: Path, fmt: str
) -> None:
    _identity(tmp_path, monkeypatch)
    repo, expect = _plant(tmp_path, case)
    result = run("validate", "--repo", repo, "--format", fmt, "--strict")
    assert result.exit_code == 1, result.output
    assert expect["code"] in result.output, result.output
    assert _needles_in(result.output) == [], result.output


# --- every command's error paths ------------------------------------------------------------

KEY = "Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"  # a made-up key with plenty of entropy


def _export(tmp_path: Path, heading: str, row: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(f"Case ID,Team,Category,Start Date,Allocated Worker,{heading}\n{row}\n")
    return path


COMMANDS: dict[str, list[str]] = {
    "import-team": ["cases", "import", "EXPORT:1"],
    "import-category": ["cases", "import", "EXPORT:2"],
    "import-start-date": ["cases", "import", "EXPORT:3"],
    "import-worker": ["cases", "import", "EXPORT:4", "--dry-run"],
    "import-heading": ["cases", "import", "EXPORT:5"],
    "sample-raw-id": ["sample", "--month", "2026-10", "--cases", "cases/2026-09-28.csv"],
    "sample-month": ["sample", "--month", "born 03/04/2015"],
    "new-case": ["new", "crib-sheet", "--case", "ZCM-004271", "--team", "assessment"],
    "new-team": ["new", "crib-sheet", "--case", "C-7F3K2Q9M", "--team", "zebedee-quux"],
    "new-worker": ["new", "practice-observation", "--worker", "Zebedee Quux"],
    "actions-spec": ["actions", "done", "ZCM-004271", "A1", "--by", "qa-dlane"],
    "actions-by": ["actions", "verify", A, "A1", "--by", "zebedee-quux"],
    "as-of": ["due", "--as-of", "03/04/2015"],
    "due-person": ["due", "--person", "zebedee-quux"],
    "report-team": ["report", "team", "zebedee-quux"],
    "report-month": ["report", "monthly", "--month", "Zebedee Quux"],
}
EXPORT_ROWS = {
    1: ("Notes", "ZCM-004271,Zebedee Quux,CIN,01/09/2026,,x"),
    2: ("Notes", "ZCM-004271,assessment,Zebedee Quux,01/09/2026,,x"),
    3: ("Notes", "ZCM-004271,assessment,CIN,born 03/04/2015,,x"),
    4: ("Notes", "ZCM-004271,assessment,CIN,01/09/2026,Zebedee Quux,x"),
    5: ("Zebedee Quux 07700 900123", "ZCM-004271,assessment,CIN,01/09/2026,,x"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_planted_identifier_in_command_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run, name: str
) -> None:
    _identity(tmp_path, monkeypatch)
    monkeypatch.setenv("QA_CASE_KEY", KEY)
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    (repo / "cases").mkdir()
    (repo / "cases" / "2026-09-28.csv").write_text(
        "case,team,worker,category,start_date,age_band\n"
        "ZCM-004271,assessment,sw-afield,CIN,2026-03,5-9\n"
    )
    args = list(COMMANDS[name])
    if args[-1].startswith("EXPORT:") or (len(args) > 2 and args[2].startswith("EXPORT:")):
        i = next(j for j, a in enumerate(args) if a.startswith("EXPORT:"))
        heading, row = EXPORT_ROWS[int(args[i].split(":")[1])]
        args[i] = str(_export(tmp_path, heading, row))
        args += ["--as-of", "2026-11-29"]
    result = run(*args, "--repo", repo)
    assert _needles_in(result.output) == [], result.output
    if name not in ("import-worker", "import-heading"):  # these two succeed, masked
        assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
