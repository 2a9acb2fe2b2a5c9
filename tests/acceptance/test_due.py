"""`qa due` and qa_cli.due: each kind of due item, its date, order, filters and formats.

Small repositories are built in tmp_path (every person and case is invented); the demo
repository is checked against an independent reading of its files. Every run passes an
explicit date: nothing depends on today's date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, snapshot

from qa_cli.due import DueItem, due_items, select, summarise
from qa_cli.repository import Repository

D = dt.date
TODAY = D(2026, 11, 29)

CONFIG = """\
schema: qa/config@1
organisation: Testshire (fictional)
services:
  - {id: safeguarding, name: Safeguarding}
teams:
  - {id: team-a, name: Team A, service: safeguarding, manager: tm-a}
  - {id: team-b, name: Team B, service: safeguarding, manager: tm-b}
staff:
  - {id: tm-a, name: Manager Alpha, roles: [team_manager], team: team-a}
  - {id: tm-b, name: Manager Beta, roles: [team_manager], team: team-b}
  - {id: sm-x, name: Service Manager X, roles: [service_manager]}
  - {id: sw-a1, name: Worker A1, roles: [social_worker], team: team-a}
  - {id: sw-b1, name: Worker B1, roles: [social_worker], team: team-b}
  - {id: qa-lead, name: Lead Auditor, roles: [qa_lead]}
  - {id: qa-aud, name: QA Auditor, roles: [qa_auditor]}
  - {id: ag-pol, name: Police Auditor, roles: [agency_auditor], agency: police}
agencies:
  - {id: police, name: Police (fictional)}
due:
{due}
"""


def audit_yaml(
    case: str,
    *,
    status: str = "returned",
    allocated: str = "2026-09-01",
    due: str | None = "2026-11-02",
    completed: str | None = "2026-10-20",
    grade: str | None = "good",
    team: str = "team-b",
    auditors: str = "[sm-x, tm-a]",
    tail: str = "",
) -> str:
    lines = [
        "# an audit return written for a test",
        "schema: qa/audit@1",
        "tool: single-agency-safeguarding@1",
        f"case: {case}",
        f"team: {team}",
        "social_worker: sw-b1",
        f"auditors: {auditors}",
        f"allocated: {allocated}",
    ]
    if due:
        lines.append(f"due: {due}")
    lines.append(f"status: {status}")
    if completed and status not in ("allocated", "in_progress"):
        lines.append(f"completed: {completed}")
    if grade and status not in ("allocated", "in_progress"):
        lines.append(f"overall_grade: {grade}")
    return "\n".join(lines) + "\n" + textwrap.dedent(tail)


def build_repo(root: Path, files: dict[str, str], due: str = "observations_per_year: 0") -> Path:
    """An audit repository with qa.yaml and the given files; every file must load cleanly."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "qa.yaml").write_text(
        CONFIG.replace("{due}", textwrap.indent(due.strip() or "{}", "  ")), encoding="utf-8"
    )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    repo = Repository.load(root)
    bad = [(f.rel, f.problem, f.schema_problem, f.errors) for f in repo.files if f.model is None]
    assert not bad, bad
    return root


def items_of(root: Path, today: dt.date = TODAY) -> list[DueItem]:
    return due_items(Repository.load(root), today)


def only(items: list[DueItem], kind: str) -> list[DueItem]:
    return [i for i in items if i.kind == kind]


# --- each kind of item ------------------------------------------------------------------


def test_return_not_in_is_due_from_each_auditor(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {
            "audits/2026-09/C-AAAA0001--single-agency-safeguarding.yaml": audit_yaml(
                "C-AAAA0001", status="in_progress"
            ),
            "audits/2026-09/C-AAAA0002--single-agency-safeguarding.yaml": audit_yaml("C-AAAA0002"),
        },
    )
    returns = only(items_of(root), "return")
    assert {(i.person, i.ref) for i in returns} == {("sm-x", "C-AAAA0001"), ("tm-a", "C-AAAA0001")}
    for i in returns:
        assert i.due == D(2026, 11, 2)
        assert i.days_overdue == 27
        assert i.team == "team-b"
        assert i.path == "audits/2026-09/C-AAAA0001--single-agency-safeguarding.yaml"
        assert "C-AAAA0001" in i.title


def test_return_due_date_computed_from_allocation_skips_bank_holidays(tmp_path: Path) -> None:
    # No `due:` in the file: two months after 26 Oct is Sat 26 Dec; Mon 28 Dec is the Boxing
    # Day substitute, so the return falls due on Tue 29 Dec 2026.
    root = build_repo(
        tmp_path / "r",
        {
            "audits/2026-10/C-AAAA0003--single-agency-safeguarding.yaml": audit_yaml(
                "C-AAAA0003", status="allocated", allocated="2026-10-26", due=None
            )
        },
    )
    (item,) = {i.due for i in only(items_of(root), "return")}
    assert item == D(2026, 12, 29)


def test_return_months_is_configurable(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {
            "audits/2026-10/C-AAAA0003--single-agency-safeguarding.yaml": audit_yaml(
                "C-AAAA0003", status="allocated", allocated="2026-09-01", due=None
            )
        },
        due="observations_per_year: 0\nreturn_months: 1",
    )
    assert {i.due for i in only(items_of(root), "return")} == {D(2026, 10, 1)}


def test_qa_review_of_ri_and_inadequate_within_working_days(tmp_path: Path) -> None:
    review = """\
    qa_review:
      reviewer: qa-aud
      date: 2026-12-20
      agreed_grade: requires_improvement
    """
    root = build_repo(
        tmp_path / "r",
        {
            # completed Fri 18 Dec 2026: 10 working days over Christmas -> Wed 6 Jan 2027
            "audits/a/C-AAAA0004--x.yaml": audit_yaml(
                "C-AAAA0004", grade="requires_improvement", completed="2026-12-18"
            ),
            # completed Wed 24 Mar 2027; Inadequate runs on the shorter clock (5 working days)
            # over Easter (Good Friday 26 Mar, Easter Monday 29 Mar) -> Fri 2 Apr 2027
            "audits/a/C-AAAA0005--x.yaml": audit_yaml(
                "C-AAAA0005", grade="inadequate", completed="2027-03-24"
            ),
            "audits/a/C-AAAA0006--x.yaml": audit_yaml(
                "C-AAAA0006", grade="requires_improvement", tail=review
            ),
            "audits/a/C-AAAA0007--x.yaml": audit_yaml("C-AAAA0007", grade="good"),
        },
    )
    reviews = {i.ref: i for i in only(items_of(root), "qa_review")}
    assert set(reviews) == {"C-AAAA0004", "C-AAAA0005"}
    assert reviews["C-AAAA0004"].due == D(2027, 1, 6)
    assert reviews["C-AAAA0005"].due == D(2027, 4, 2)
    assert reviews["C-AAAA0004"].person == "qa-lead"
    assert "requires improvement" in reviews["C-AAAA0004"].title


def test_qa_review_working_days_configurable(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {"audits/a/C-AAAA0004--x.yaml": audit_yaml("C-AAAA0004", grade="inadequate")},
        due="observations_per_year: 0\nqa_review_working_days: 3",
    )
    (item,) = only(items_of(root), "qa_review")
    assert item.due == D(2026, 10, 23)  # Tue 20 Oct + 3 working days


# The head of September 2026's sample file; a test adds its allocations or moderation.
SAMPLE_2026_09 = "schema: qa/sample@1\nmonth: 2026-09\ndrawn: 2026-08-28\nseed: 1\n"


def test_moderation_sample_needs_a_qa_review(tmp_path: Path) -> None:
    sample = """\
    moderation:
      seed: 2
      share: 0.2
      selected: [C-AAAA0007]
    """
    root = build_repo(
        tmp_path / "r",
        {
            "samples/2026-09.yaml": SAMPLE_2026_09 + textwrap.dedent(sample),
            "audits/a/C-AAAA0007--x.yaml": audit_yaml("C-AAAA0007", grade="good"),
        },
    )
    (item,) = only(items_of(root), "qa_review")
    assert item.ref == "C-AAAA0007" and "moderation" in item.title


ACTIONS = """\
actions:
  - id: A1
    action: Update the chronology.
    owner: sw-b1
    due: 2026-11-19
  - id: A2
    action: Review the plan.
    owner: tm-b
    due: 2026-12-10
    status: open
  - id: A3
    action: See the child alone.
    owner: sw-b1
    due: 2026-11-01
    status: done
    done_on: 2026-11-02
  - id: A4
    action: Record visits.
    owner: sw-b1
    due: 2026-10-01
    status: verified
    done_on: 2026-10-01
    verified_by: qa-aud
    verified_on: 2026-10-02
"""


def test_actions_open_and_awaiting_verification(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r", {"audits/a/C-AAAA0008--x.yaml": audit_yaml("C-AAAA0008", tail=ACTIONS)}
    )
    acts = {i.ref: i for i in only(items_of(root), "action")}
    assert set(acts) == {"A1", "A2", "A3"}  # A4 is verified: nothing to chase
    assert (acts["A1"].person, acts["A1"].due, acts["A1"].days_overdue) == (
        "sw-b1",
        D(2026, 11, 19),
        10,
    )
    assert acts["A2"].days_overdue == -11 and not acts["A2"].overdue
    # done on Mon 2 Nov: the QA team verifies within 10 working days -> Mon 16 Nov
    assert acts["A3"].person == "qa-lead" and acts["A3"].due == D(2026, 11, 16)
    assert acts["A3"].title.startswith("Verify action A3")


def test_re_audit_listed_until_the_case_is_audited_again(tmp_path: Path) -> None:
    tail = """\
    actions:
      - id: A1
        action: Re-audit after the plan review.
        owner: tm-b
        due: 2026-10-01
        status: verified
        done_on: 2026-10-01
        verified_by: qa-aud
        verified_on: 2026-10-02
        re_audit: 2026-11-20
    """
    files = {"audits/2026-08/C-AAAA0009--x.yaml": audit_yaml("C-AAAA0009", tail=tail)}
    root = build_repo(tmp_path / "r", files)
    (item,) = only(items_of(root), "re_audit")
    assert (item.ref, item.due, item.days_overdue) == ("A1", D(2026, 11, 20), 9)
    assert "C-AAAA0009" in item.title
    files["audits/2026-12/C-AAAA0009--x.yaml"] = audit_yaml(
        "C-AAAA0009", status="allocated", allocated="2026-12-01", due="2027-02-01"
    )
    root = build_repo(tmp_path / "r2", files)
    assert only(items_of(root), "re_audit") == []


def observation(worker: str, observed: str, written: str | None, team: str = "team-a") -> str:
    text = textwrap.dedent(
        f"""\
        schema: qa/observation@1
        tool: practice-observation@1
        social_worker: {worker}
        observer: tm-a
        team: {team}
        observed: {observed}
        """
    )
    return text + (f"feedback_written: {written}\n" if written else "")


def test_feedback_within_ten_working_days(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {
            "observations/2026/sw-a1--2026-12-18.yaml": observation("sw-a1", "2026-12-18", None),
            "observations/2026/sw-a1--2026-06-01.yaml": observation(
                "sw-a1", "2026-06-01", "2026-06-05"
            ),
        },
    )
    (item,) = only(items_of(root, D(2027, 1, 7)), "feedback")
    assert (item.person, item.ref, item.due, item.days_overdue) == (
        "tm-a",
        "sw-a1",
        D(2027, 1, 6),
        1,
    )


def test_observations_twice_a_year_per_social_worker(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "r",
        {
            "observations/2026/sw-a1--2026-03-02.yaml": observation(
                "sw-a1", "2026-03-02", "2026-03-05"
            )
        },
        due="observations_per_year: 2",
    )
    obs = {i.ref: i for i in only(items_of(root), "observation")}
    # sw-b1 never observed in 2026: the first was due by 30 June; the team manager is chased
    assert (obs["sw-b1"].person, obs["sw-b1"].due, obs["sw-b1"].days_overdue) == (
        "tm-b",
        D(2026, 6, 30),
        152,
    )
    # sw-a1 observed once: the second is due by 31 December
    assert (obs["sw-a1"].person, obs["sw-a1"].due) == ("tm-a", D(2026, 12, 31))
    assert set(obs) == {"sw-a1", "sw-b1"}  # managers and QA staff are not social workers


def test_crib_sheet_session_by_month_end(tmp_path: Path) -> None:
    crib = """\
    schema: qa/crib-sheet@1
    tool: crib-sheet@1
    month: 2026-11
    team: team-a
    case: C-AAAA0010
    social_worker: sw-a1
    team_manager: tm-a
    service_manager: sm-x
    status: {status}
    """
    root = build_repo(
        tmp_path / "r",
        {
            "crib-sheets/2026-11/team-a--C-AAAA0010.yaml": textwrap.dedent(crib).replace(
                "{status}", "allocated"
            ),
            "crib-sheets/2026-11/team-a--C-AAAA0011.yaml": textwrap.dedent(crib)
            .replace("{status}", "completed")
            .replace("C-AAAA0010", "C-AAAA0011"),
        },
    )
    (item,) = only(items_of(root), "crib_sheet")
    assert (item.person, item.ref, item.due, item.days_overdue) == (
        "sm-x",
        "C-AAAA0010",
        D(2026, 11, 30),
        -1,
    )


MA_SCOPE = """\
schema: qa/multi-agency@1
id: 2026-test
title: A test audit
cohort: CP
lead: qa-lead
terms_of_reference: Test.
tool: multi-agency@1
agencies:
  - {agency: police, auditor: ag-pol}
cases: [C-AAAA0012]
returns_due: 2026-10-09
"""
MA_RETURN = """\
schema: qa/agency-return@1
tool: multi-agency@1
case: C-AAAA0012
agency: police
auditor: ag-pol
status: in_progress
"""
MA_FINDINGS = """\
schema: qa/multi-agency-findings@1
audit: 2026-test
agreed_on: 2026-11-04
cases:
  - {case: C-AAAA0012, agreed_grade: good, summary: Fine.}
actions:
  - id: M1
    action: Brief officers.
    owner: police
    due: 2026-11-20
"""


def test_multi_agency_reviews_actions_and_agency_returns(tmp_path: Path) -> None:
    files = {
        "multi-agency/2026-test/scope.yaml": MA_SCOPE,
        "multi-agency/2026-test/returns/C-AAAA0012--police.yaml": MA_RETURN,
        "multi-agency/2026-test/findings.yaml": MA_FINDINGS,
    }
    root = build_repo(tmp_path / "r", files)
    items = items_of(root)
    reviews = only(items, "multi_agency_review")
    # no review dates in the findings: 6 and 12 months after 4 Nov 2026 (App. E)
    assert [(i.person, i.due) for i in reviews] == [
        ("qa-lead", D(2027, 5, 4)),
        ("qa-lead", D(2027, 11, 4)),
    ]
    (ret,) = only(items, "return")
    assert (ret.person, ret.due, ret.ref) == ("ag-pol", D(2026, 10, 9), "C-AAAA0012")
    (act,) = only(items, "action")
    assert (act.person, act.due, act.days_overdue) == ("police", D(2026, 11, 20), 9)
    # listed review dates win, and a done review drops out
    files["multi-agency/2026-test/findings.yaml"] = MA_FINDINGS + (
        "reviews:\n  - {months: 6, due: 2027-05-10, done: 2027-05-10}\n"
        "  - {months: 12, due: 2027-11-10}\n"
    )
    root = build_repo(tmp_path / "r2", files)
    assert [(i.ref, i.due) for i in only(items_of(root), "multi_agency_review")] == [
        ("2026-test@12m", D(2027, 11, 10))
    ]


def test_sample_allocation_without_its_return_file(tmp_path: Path) -> None:
    sample = """\
    allocations:
      - case: C-AAAA0013
        team: team-b
        tool: single-agency-safeguarding@1
        auditors: [sm-x, tm-a]
        allocated: 2026-09-01
        due: 2026-11-02
        file: audits/2026-09/C-AAAA0013--single-agency-safeguarding.yaml
    """
    root = build_repo(
        tmp_path / "r", {"samples/2026-09.yaml": SAMPLE_2026_09 + textwrap.dedent(sample)}
    )
    returns = only(items_of(root), "return")
    assert {(i.person, i.path, i.days_overdue) for i in returns} == {
        ("sm-x", "samples/2026-09.yaml", 27),
        ("tm-a", "samples/2026-09.yaml", 27),
    }
    assert "has not been created" in returns[0].title


CONCERN = """\
safeguarding_concern:
  found: 2026-11-25
  description: Found while auditing; escalated at once.
  escalated_to: tm-b
  escalated_on: 2026-11-25
"""


def test_safeguarding_concern_first_until_acknowledged(tmp_path: Path) -> None:
    files = {
        "audits/a/C-AAAA0014--x.yaml": audit_yaml("C-AAAA0014", tail=CONCERN),
        "audits/a/C-AAAA0015--x.yaml": audit_yaml(
            "C-AAAA0015", status="allocated", due="2026-06-01"
        ),
    }
    items = items_of(build_repo(tmp_path / "r", files))
    first = items[0]
    assert first.kind == "safeguarding_concern"
    assert (first.person, first.ref, first.days_overdue) == ("tm-b", "C-AAAA0014", 4)
    assert items[1].kind == "concern_outcome"  # its outcome is chased with it, at the top
    assert items[2].days_overdue > first.days_overdue  # more overdue, still after the concern
    # never left out by the horizon or the person filter's horizon
    assert select(items, within=0)[0].kind == "safeguarding_concern"
    files["audits/a/C-AAAA0014--x.yaml"] = audit_yaml(
        "C-AAAA0014",
        tail=CONCERN + "  acknowledged_by: tm-b\n  acknowledged_on: 2026-11-26\n",
    )
    assert only(items_of(build_repo(tmp_path / "r2", files)), "safeguarding_concern") == []


def test_order_overdue_first_most_overdue_first_then_by_due_date(tmp_path: Path) -> None:
    files = {
        f"audits/a/C-AAAA00{n}--x.yaml": audit_yaml(
            f"C-AAAA00{n}", status="allocated", due=due, auditors="[tm-a]"
        )
        for n, due in (
            ("20", "2026-11-20"),
            ("21", "2026-12-20"),
            ("22", "2026-10-01"),
            ("23", "2026-12-05"),
        )
    }
    items = items_of(build_repo(tmp_path / "r", files))
    assert [i.ref for i in items] == ["C-AAAA0022", "C-AAAA0020", "C-AAAA0023", "C-AAAA0021"]
    assert select(items, within=7) == items[:3]
    assert [i.ref for i in select(items, within=0)] == ["C-AAAA0022", "C-AAAA0020"]


def test_summary_per_manager(tmp_path: Path) -> None:
    files = {
        "audits/a/C-AAAA0030--x.yaml": audit_yaml("C-AAAA0030", status="allocated"),
        "audits/a/C-AAAA0031--x.yaml": audit_yaml("C-AAAA0031", team="team-a", tail=ACTIONS),
    }
    root = build_repo(tmp_path / "r", files)
    repo = Repository.load(root)
    summary = {s.person: s for s in summarise(due_items(repo, TODAY), repo.config)}
    assert summary["tm-a"].overdue_returns == 1 and summary["tm-a"].is_manager
    # sw-b1's overdue action A1 is in team-a's return, but sw-b1 is in team-b
    assert summary["tm-b"].team_overdue == 1
    assert summary["sw-b1"].overdue == 1 and not summary["sw-b1"].is_manager
    order = [s.person for s in summarise(due_items(repo, TODAY), repo.config)]
    assert order.index("tm-a") < order.index("sw-b1")  # managers first


def test_invalid_files_are_skipped_not_fatal(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "r", {})
    (root / "audits").mkdir()
    (root / "audits" / "broken.yaml").write_text("schema: qa/audit@1\ncase: [\n")
    (root / "audits" / "wrong.yaml").write_text("schema: qa/audit@1\ncase: nope\n")
    assert items_of(root) == []


# --- the command ------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return build_repo(
        tmp_path / "r",
        {
            "audits/a/C-AAAA0040--x.yaml": audit_yaml("C-AAAA0040", status="allocated"),
            "audits/a/C-AAAA0041--x.yaml": audit_yaml(
                "C-AAAA0041", team="team-a", tail=ACTIONS + CONCERN
            ),
        },
    )


def test_cli_table_lists_items_and_summary(run: Any, small: Path) -> None:
    r = run("due", "--as-of", "2026-11-29", "--repo", small)
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Safeguarding concerns not yet acknowledged (1)" in out
    assert out.index("Safeguarding concern on C-AAAA0041") < out.index("Overdue (")
    assert "27 days overdue" in out and "Return for C-AAAA0040" in out
    assert "By person" in out and "Manager Alpha" in out


def test_cli_fail_on_overdue(run: Any, small: Path, tmp_path: Path) -> None:
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "--fail-on-overdue")
    assert r.exit_code == 1
    # well before anything falls due: nothing overdue, exit 0
    r = run("due", "--as-of", "2026-09-02", "--repo", small, "--fail-on-overdue")
    assert r.exit_code == 0, r.output
    empty = build_repo(tmp_path / "empty", {})
    r = run("due", "--as-of", "2026-11-29", "--repo", empty, "--fail-on-overdue")
    assert r.exit_code == 0 and "Nothing is due" in r.output


def test_cli_json_csv_md_and_filters(run: Any, small: Path) -> None:
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "-f", "json")
    data = json.loads(r.output)
    kinds = [i["kind"] for i in data["items"]]
    assert kinds[0] == "safeguarding_concern"
    assert {"return", "action"} <= set(kinds)
    assert all(len(i["uid"]) == 32 for i in data["items"])
    assert data["as_of"] == "2026-11-29"
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "-f", "csv", "--person", "sw-b1")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert rows and {row["person"] for row in rows} == {"sw-b1"}
    assert rows[0]["days_overdue"] == "10"
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "-f", "md", "--team", "team-b")
    assert r.output.startswith("# Due and overdue as of 2026-11-29")
    assert "C-AAAA0040" in r.output and "C-AAAA0041" not in r.output
    # A2 falls due on 10 December: in with --within 14, out with --within 7
    r14 = run("due", "--as-of", "2026-11-29", "--repo", small, "-f", "json", "--within", "14")
    r7 = run("due", "--as-of", "2026-11-29", "--repo", small, "-f", "json", "--within", "7")
    refs14 = {i["ref"] for i in json.loads(r14.output)["items"]}
    refs7 = {i["ref"] for i in json.loads(r7.output)["items"]}
    assert "A2" in refs14 and "A2" not in refs7


def test_cli_usage_errors(run: Any, small: Path) -> None:
    before = snapshot(small)
    r = run("due", "--as-of", "29/11/2026", "--repo", small)
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "--person", "nobody")
    assert r.exit_code == 2 and "not a staff or agency id" in r.output
    r = run("due", "--as-of", "2026-11-29", "--repo", small, "--team", "team-z")
    assert r.exit_code == 2 and "team-a" in r.output
    assert "Traceback" not in r.output
    assert snapshot(small) == before


# --- the demo repository, against an independent reading of its files --------------------


def _plain(path: Path) -> dict[str, Any]:
    from qa_cli.yamlio import load_text

    data = load_text(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_demo_repo_lists_what_the_data_holds(run: Any, demo_repo: Path) -> None:
    as_of = D.fromisoformat(AS_OF)
    expect_returns: set[str] = set()
    expect_actions: set[tuple[str, str]] = set()
    expect_concerns: set[str] = set()
    expect_reviews: set[str] = set()
    for path in sorted(demo_repo.rglob("*.yaml")):
        data = _plain(path)
        rel = path.relative_to(demo_repo).as_posix()
        if data.get("schema") == "qa/audit@1":
            if (
                data["status"] in ("allocated", "in_progress")
                and D.fromisoformat(data["due"]) < as_of
            ):
                expect_returns.add(rel)
            sc = data.get("safeguarding_concern")
            if sc and not sc.get("acknowledged_on"):
                expect_concerns.add(rel)
            if (
                data.get("overall_grade") in ("requires_improvement", "inadequate")
                and not data.get("qa_review")
                and data["status"] != "closed"
            ):
                expect_reviews.add(rel)
        # the action plans, and the tracked items of improvement plans and team reviews
        lists = ("actions", "recommendations", "support", "team_sessions", "service_development")
        plan = [a for key in lists if isinstance(data.get(key), list) for a in data[key]]
        for a in plan:
            if not isinstance(a, dict):  # recommendations of a themed scope are plain text
                continue
            if a.get("status", "open") == "open" and D.fromisoformat(a["due"]) < as_of:
                expect_actions.add((rel, a["id"]))
    assert expect_returns and expect_actions and expect_concerns  # the scenario holds them
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "-f", "json")
    assert r.exit_code == 0, r.output
    items = json.loads(r.output)["items"]
    assert items[0]["kind"] == "safeguarding_concern"
    got_returns = {i["path"] for i in items if i["kind"] == "return" and i["days_overdue"] > 0}
    got_actions = {
        (i["path"], i["ref"])
        for i in items
        if i["kind"] == "action" and i["days_overdue"] > 0 and not i["title"].startswith("Verify")
    }
    got_concerns = {i["path"] for i in items if i["kind"] == "safeguarding_concern"}
    got_reviews = {i["path"] for i in items if i["kind"] == "qa_review"}
    assert expect_returns <= got_returns
    assert got_actions == expect_actions
    assert got_concerns == expect_concerns
    assert expect_reviews <= got_reviews
    # overdue items come before the ones not yet due, most overdue first
    urgent = {"safeguarding_concern", "concern_outcome"}
    rest = [i["days_overdue"] for i in items if i["kind"] not in urgent]
    overdue = [d for d in rest if d > 0]
    assert rest[: len(overdue)] == sorted(overdue, reverse=True)
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "--fail-on-overdue")
    assert r.exit_code == 1


def test_demo_repo_re_audits(run: Any, demo_repo: Path) -> None:
    expected: dict[tuple[str, str], str] = {}
    for path in sorted(demo_repo.rglob("*.yaml")):
        data = _plain(path)
        actions = data.get("actions")
        for a in actions if isinstance(actions, list) else []:
            if a.get("re_audit"):
                expected[(path.relative_to(demo_repo).as_posix(), a["id"])] = a["re_audit"]
    assert expected, "the demo holds an action plan with a re-audit date"
    r = run("due", "--as-of", AS_OF, "--repo", demo_repo, "-f", "json", "--within", "3650")
    got = {
        (i["path"], i["ref"]): i["due"]
        for i in json.loads(r.output)["items"]
        if i["kind"] == "re_audit"
    }
    assert got and all(expected[k] == v for k, v in got.items())
