"""`qa form export --eml`: one draft per person, forms attached, no case detail outside them;
`qa form import` reads the forms out of a returned .eml."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

from conftest import AS_OF, snapshot

from tests.acceptance.test_form_import import Form

MONTH = "2026-10"


def _drafts(run, repo: Path) -> dict[str, email.message.EmailMessage]:
    result = run("form", "export", "--month", MONTH, "--eml", "--repo", repo, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return {
        p.stem: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in (repo / "outbox").glob("*.eml")
    }


def test_one_draft_per_person_with_their_forms_and_no_case_detail(demo_repo: Path, run) -> None:
    drafts = _drafts(run, demo_repo)
    assert "tm-pquinn" in drafts and "sm-rsingh" in drafts
    msg = drafts["tm-pquinn"]
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"].startswith("OFFICIAL-SENSITIVE: ")
    names = sorted(p.get_filename() for p in msg.iter_attachments())
    from qa_cli.repository import Repository

    repo = Repository.load(demo_repo)
    theirs = sorted(
        Path(f.rel).stem + ".xlsx"
        for f in repo.of_kind("qa/audit")
        if f.rel.startswith(f"audits/{MONTH}/")
        and "tm-pquinn" in f.model.auditors
        and f.model.status in ("allocated", "in_progress")
    )
    assert names == theirs
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Dear Paul Quinn,") and "1 December 2026" in body
    for m in drafts.values():
        text = m["Subject"] + m.get_body(preferencelist=("plain",)).get_content()
        assert not re.search(r"C-[0-9A-Z]{8}", text), "a case code outside the attachments"
        for sw in ("sw-", "assessment-1", "looked-after"):
            assert sw not in text


def test_the_repository_template_overrides_the_covering_note(demo_repo: Path, run) -> None:
    (demo_repo / "templates").mkdir()
    (demo_repo / "templates" / "form-email.txt.j2").write_text(
        "Hello {{ name }}: {{ forms | length }} form(s).\n"
    )
    msg = _drafts(run, demo_repo)["tm-pquinn"]
    assert (
        msg.get_body(preferencelist=("plain",))
        .get_content()
        .startswith("Hello Paul Quinn: 2 form(s).")
    )
    (demo_repo / "templates" / "form-email.txt.j2").write_text("{{ name.__class__ }} {{ nope }}")
    bad = run("form", "export", "--month", MONTH, "--eml", "--replace", "--repo", demo_repo)
    assert bad.exit_code == 2 and "templates/form-email.txt.j2" in bad.output


def test_import_reads_the_forms_out_of_a_returned_eml(demo_repo: Path, run, tmp_path: Path) -> None:
    draft = _drafts(run, demo_repo)["tm-pquinn"]
    reply = EmailMessage()
    reply["Subject"] = "RE: " + draft["Subject"]
    reply.set_content("Done, thanks.")
    for part in draft.iter_attachments():
        path = tmp_path / part.get_filename()
        path.write_bytes(part.get_content())
        form = Form(path)
        form.fill_all()
        form.save()
        reply.add_attachment(
            path.read_bytes(),
            maintype="application",
            subtype="octet-stream",
            filename=path.name,
        )
    eml = tmp_path / "reply.eml"
    eml.write_bytes(reply.as_bytes())
    result = run("form", "import", eml, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    assert result.output.count("status: returned") == 2
    assert run("validate", "--repo", demo_repo).exit_code == 0
    empty = tmp_path / "empty.eml"
    plain = EmailMessage()
    plain.set_content("Forgot the attachment")
    empty.write_bytes(plain.as_bytes())
    before = snapshot(demo_repo)
    none = run("form", "import", empty, "--repo", demo_repo)
    assert none.exit_code == 1 and "has no Excel form attached" in none.output
    assert snapshot(demo_repo) == before


def test_drafts_already_in_the_folder_are_not_written_over(demo_repo: Path, run) -> None:
    _drafts(run, demo_repo)
    outbox = demo_repo / "outbox"
    drafts = {p.name: p.read_bytes() for p in outbox.glob("*.eml")}
    for form in outbox.glob("*.xlsx"):
        form.unlink()  # the forms were sent; their drafts are still there
    again = run("form", "export", "--month", MONTH, "--eml", "--repo", demo_repo, "--as-of", AS_OF)
    assert again.exit_code == 1, again.output
    assert "draft(s) already in" in again.output and "none was written" in again.output
    assert "were written before it stopped" in again.output  # the forms, said truthfully
    assert {p.name: p.read_bytes() for p in outbox.glob("*.eml")} == drafts
