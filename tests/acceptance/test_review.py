"""`qa review` and `qa feedback` on the demo: the QA review, forwarding, the managers' outcomes,
the concern's outcome and the feedback to practice, each chased by `qa due` until recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import AS_OF, snapshot

from qa_cli import yamlio
from qa_cli.calendar import add_working_days
from qa_cli.due import due_items
from qa_cli.repository import Repository

RI = "audits/2026-10/C-Y1C38539--single-agency-safeguarding.yaml"  # returned 2026-11-20, no review
INADEQUATE = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"  # with a concern
TODAY = dt.date.fromisoformat(AS_OF)


def items(root: Path, path: str, kind: str, today: dt.date = TODAY) -> list:
    return [i for i in due_items(Repository.load(root), today) if i.path == path and i.kind == kind]


def data(root: Path, rel: str) -> dict:
    return yamlio.load_fast((root / rel).read_bytes())


def review_ri(run, root: Path, *extra: str):
    return run(
        "review", "C-Y1C38539", "--by", "qa-abanks", "--comment", "Agreed after reading the file.",
        *extra, "--date", "2026-11-24", "--as-of", AS_OF, "--repo", root,
    )  # fmt: skip


def test_review_is_recorded_forwarded_and_outcomes_chased_until_recorded(demo_repo, run) -> None:
    before = (demo_repo / RI).read_text().splitlines()
    assert items(demo_repo, RI, "qa_review")
    result = review_ri(run, demo_repo, "--forward", "ad-fmcallister", "--forward", "sm-rsingh")
    assert result.exit_code == 0, result.output
    after = (demo_repo / RI).read_text().splitlines()
    # only the status line changes; the review is added, everything else kept byte for byte
    assert [x for x in before if x not in after] == ["status: returned"]
    review = data(demo_repo, RI)["qa_review"]
    assert review == {
        "reviewer": "qa-abanks",
        "date": "2026-11-24",
        "agreed_grade": "requires_improvement",
        "comment": "Agreed after reading the file.",
        "forwarded_to": ["ad-fmcallister", "sm-rsingh"],
    }
    assert data(demo_repo, RI)["status"] == "qa_review"
    assert run("validate", "--repo", demo_repo).exit_code == 0
    assert not items(demo_repo, RI, "qa_review")
    # the Service Manager's outcome is chased, 10 working days after the review
    [sm] = items(demo_repo, RI, "outcome")
    assert sm.person == "sm-rsingh" and sm.due == add_working_days(dt.date(2026, 11, 24), 10)
    assert "Service Manager" in sm.title
    assert run("due", "--as-of", "2026-12-09", "--repo", demo_repo).output.count("C-Y1C38539") >= 1
    ok = run(
        "review", RI, "--outcome", "service-manager", "--by", "sm-rsingh",
        "--comment", "Discussed with the team.", "--date", "2026-11-27", "--repo", demo_repo,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    [ad] = items(demo_repo, RI, "outcome")
    assert ad.person == "ad-fmcallister" and ad.due == add_working_days(dt.date(2026, 11, 27), 10)
    ok = run(
        "review", RI, "--outcome", "assistant-director", "--by", "ad-fmcallister",
        "--comment", "Noted.", "--date", "2026-11-28", "--repo", demo_repo,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert not items(demo_repo, RI, "outcome")
    got = data(demo_repo, RI)["qa_review"]
    assert got["service_manager_outcome"]["by"] == "sm-rsingh"
    assert got["assistant_director_outcome"]["date"] == "2026-11-28"
    assert run("validate", "--repo", demo_repo).exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--forward", "sm-rsingh", "--by", "tm-jpatel"), 1, "no QA role"),
        ((), 2, "--forward ad-fmcallister --forward sm-rsingh"),
        (("--forward", "nobody-here"), 2, "not a staff id"),
        (("--grade", "great", "--forward", "sm-rsingh"), 2, "not a grade"),
    ],
)
def test_refused_reviews_change_nothing(demo_repo, run, args, code, says) -> None:
    before = snapshot(demo_repo)
    result = review_ri(run, demo_repo, *args)
    assert result.exit_code == code, result.output
    assert says in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert snapshot(demo_repo) == before


def test_outcome_refused_before_review_or_by_the_wrong_role(demo_repo, run) -> None:
    before = snapshot(demo_repo)
    no_review = run(
        "review", RI, "--outcome", "service-manager", "--by", "sm-rsingh", "--comment", "x",
        "--repo", demo_repo,
    )  # fmt: skip
    assert no_review.exit_code == 1 and "no QA review yet" in no_review.output
    assert snapshot(demo_repo) == before
    review_ri(run, demo_repo, "--forward", "ad-fmcallister", "--forward", "sm-rsingh")
    wrong = run(
        "review", RI, "--outcome", "assistant-director", "--by", "sm-rsingh", "--comment", "x",
        "--repo", demo_repo,
    )  # fmt: skip
    assert wrong.exit_code == 1 and "not an Assistant Director" in wrong.output


def test_empty_forwarded_to_fails_validation_where_it_is(demo_repo, run) -> None:
    review_ri(run, demo_repo, "--forward", "ad-fmcallister", "--forward", "sm-rsingh")
    path = demo_repo / RI
    text = path.read_text().replace("forwarded_to: [ad-fmcallister, sm-rsingh]", "forwarded_to: []")
    path.write_text(text)
    line = text.splitlines().index("  forwarded_to: []") + 1
    result = run("validate", demo_repo / RI, "--repo", demo_repo)
    assert result.exit_code == 1
    assert f"{RI}:{line}:" in result.output and "QA460" in result.output
    # forwarded only to the Service Manager: a warning naming the Assistant Director
    path.write_text(text.replace("forwarded_to: []", "forwarded_to: [sm-rsingh]"))
    warned = run("validate", demo_repo / RI, "--repo", demo_repo)
    assert (
        warned.exit_code == 0
        and "QA462" in warned.output
        and "Assistant Director" in (warned.output)
    )


def test_inadequate_runs_on_the_shorter_configurable_clock(demo_repo) -> None:
    [inad] = items(demo_repo, INADEQUATE, "qa_review")
    [ri] = items(demo_repo, RI, "qa_review")
    assert inad.due == add_working_days(dt.date(2026, 11, 20), 5)
    assert ri.due == add_working_days(dt.date(2026, 11, 20), 10)
    cfg = demo_repo / "qa.yaml"
    cfg.write_text(
        cfg.read_text().replace("\ndue:\n", "\ndue:\n  qa_review_inadequate_working_days: 2\n", 1)
    )
    [inad] = items(demo_repo, INADEQUATE, "qa_review")
    assert inad.due == add_working_days(dt.date(2026, 11, 20), 2)


def test_concern_outcome_chased_at_the_top_until_recorded(demo_repo, run) -> None:
    [item] = items(demo_repo, INADEQUATE, "concern_outcome")
    assert item.person == "tm-dowusu" and item.overdue
    everything = due_items(Repository.load(demo_repo), TODAY)
    assert [i.kind for i in everything[:2]] == ["safeguarding_concern", "concern_outcome"]
    bad = run("review", "C-N65NM2H5", "--concern-outcome", "s47", "--repo", demo_repo)
    assert bad.exit_code == 2 and "section_47" in bad.output
    early = run(
        "review", "C-N65NM2H5", "--concern-outcome", "section_47", "--date", "2026-11-01",
        "--repo", demo_repo,
    )  # fmt: skip
    assert early.exit_code == 1 and "before" in early.output
    ok = run(
        "review", "C-N65NM2H5", "--concern-outcome", "section_47", "--comment",
        "Strategy discussion held; S47 enquiry started.", "--date", "2026-11-13",
        "--repo", demo_repo,
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    sc = data(demo_repo, INADEQUATE)["safeguarding_concern"]
    assert (sc["outcome"], sc["outcome_on"]) == ("section_47", "2026-11-13")
    assert not items(demo_repo, INADEQUATE, "concern_outcome")
    assert run("validate", "--repo", demo_repo).exit_code == 0


def test_feedback_steps_chased_one_by_one(demo_repo, run) -> None:
    # C-6DYAX8M5 was returned on 2026-10-26; make it one whose feedback is not recorded yet
    rel = "audits/2026-09/C-6DYAX8M5--single-agency-safeguarding.yaml"
    path = demo_repo / rel
    text = path.read_text()
    path.write_text(text[: text.index("feedback:\n")] if "feedback:\n" in text else text)
    [sent] = items(demo_repo, rel, "audit_feedback")
    assert sent.person == data(demo_repo, rel)["auditors"][0] and "Send the audit" in sent.title
    before = snapshot(demo_repo)
    early = run("feedback", rel, "uploaded", "--date", "2026-11-20", "--repo", demo_repo)
    assert early.exit_code == 1 and "sent" in early.output
    nobody = run("feedback", rel, "sent", "--repo", demo_repo)
    assert nobody.exit_code == 2 and "--to" in nobody.output
    assert snapshot(demo_repo) == before
    to = ["--to", "sw-aakhtar", "--to", "tm-jpatel", "--to", "sm-rsingh", "--to", "qa-lead-ebrooks"]
    ok = run("feedback", rel, "sent", *to, "--date", "2026-11-02", "--repo", demo_repo)
    assert ok.exit_code == 0, ok.output
    steps = {i.title.split(" C-")[0]: i for i in items(demo_repo, rel, "audit_feedback")}
    assert set(steps) == {
        "Upload to the case record",
        "Discuss in supervision",
        "Service Manager's review of",
    }
    assert steps["Upload to the case record"].person == "tm-jpatel"
    assert steps["Service Manager's review of"].person == "sm-rsingh"
    assert steps["Discuss in supervision"].due == add_working_days(dt.date(2026, 11, 2), 20)
    for args in (
        ("uploaded", "--date", "2026-11-04"),
        ("supervision", "--date", "2026-11-10"),
        ("response", "--text", "I agree with the findings."),
        ("sm-review", "--by", "sm-rsingh", "--date", "2026-11-12"),
    ):
        r = run("feedback", rel, *args, "--repo", demo_repo)
        assert r.exit_code == 0, r.output
    assert not items(demo_repo, rel, "audit_feedback")
    fb = data(demo_repo, rel)["feedback"]
    assert fb["sent_to"][0] == "sw-aakhtar" and fb["uploaded_on"] == "2026-11-04"
    assert fb["service_manager_review"] == {"by": "sm-rsingh", "date": "2026-11-12"}
    assert run("validate", "--repo", demo_repo).exit_code == 0
    again = run("feedback", rel, "uploaded", "--repo", demo_repo)
    assert again.exit_code == 1 and "already" in again.output


def test_feedback_before_sending_fails_validation(demo_repo, run) -> None:
    rel = "audits/2026-09/C-6DYAX8M5--single-agency-safeguarding.yaml"
    path = demo_repo / rel
    text = path.read_text()
    assert "  sent_on: " in text
    lines = [x for x in text.splitlines() if not x.startswith("  sent_on: ")]
    path.write_text("\n".join(lines) + "\n")
    result = run("validate", demo_repo / rel, "--repo", demo_repo)
    assert result.exit_code == 1 and "QA465" in result.output
