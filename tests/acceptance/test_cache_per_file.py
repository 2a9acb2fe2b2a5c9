"""The per-file findings cache (.qa/cache/files.json): an unchanged return is not read again,
and a run answered partly from it reports exactly what a cold run without a cache reports."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from qa_cli import repository

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini-repo"
RETURN = "audits/2026-10/C-1V7M4J3Y--single-agency-safeguarding.yaml"
OTHER = "audits/2026-10/C-GH4DRBGH--single-agency-cla.yaml"


@pytest.fixture
def repo(mini_repo: Path, no_identity_list: None) -> Path:
    """The mini repository, with no identity list of this machine."""
    shutil.rmtree(mini_repo / ".qa", ignore_errors=True)  # a cache a run left in the fixture
    return mini_repo


def _report(run, repo: Path, *extra: str) -> dict[str, object]:
    out = run("validate", "--repo", repo, "--format", "json", *extra)
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)


def _cold(run, repo: Path) -> dict[str, object]:
    return _report(run, repo, "--no-cache")


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files loaded from now on (relative paths, in order)."""
    seen: list[str] = []
    real = repository.load_file

    def spy(path: Path, root: Path, *args: object, **kwargs: object) -> repository.LoadedFile:
        lf = real(path, root, *args, **kwargs)  # type: ignore[arg-type]
        seen.append(lf.rel)
        return lf

    monkeypatch.setattr(repository, "load_file", spy)
    return seen


def _break_date(path: Path) -> None:
    """An impossible completion date, same number of bytes: a finding in this file only."""
    text = path.read_text()
    start = text.index("completed: ") + len("completed: ")
    path.write_text(text[:start] + "2026-13-45" + text[start + 10 :])


def test_an_edited_return_is_the_only_return_checked_again(repo, run, monkeypatch):
    first = _report(run, repo)
    assert first == _cold(run, repo)
    assert (repo / ".qa/cache/files.json").is_file()
    _break_date(repo / RETURN)
    seen = _parsed(monkeypatch)
    second = _report(run, repo)
    assert RETURN in seen and OTHER not in seen
    assert not [rel for rel in seen if rel.startswith("audits/") and rel != RETURN]
    assert "audit_tools/single-agency-safeguarding.yaml" in seen  # consulted: always read
    assert second == _cold(run, repo)
    assert any(d["path"] == RETURN for d in second["diagnostics"])
    assert second["files_checked"] == first["files_checked"]


def test_a_changed_consulted_file_checks_every_return_again(repo, run, monkeypatch):
    _report(run, repo)
    config = repo / "qa.yaml"
    config.write_text(config.read_text() + "\n# edited\n")
    seen = _parsed(monkeypatch)
    after = _report(run, repo)
    assert OTHER in seen and RETURN in seen
    assert after == _cold(run, repo)


def test_a_new_return_and_a_deleted_one(repo, run):
    _report(run, repo)
    (repo / OTHER).unlink()
    shutil.copy(repo / RETURN, repo / "audits/2026-10/C-ZZZZZZZZ--single-agency-safeguarding.yaml")
    assert _report(run, repo) == _cold(run, repo)
    stored = json.loads((repo / ".qa/cache/files.json").read_text())
    assert OTHER not in stored["entries"]


def test_an_edit_of_the_same_size_within_the_same_second_is_seen(repo, run):
    path = repo / RETURN
    second = 1_700_000_000 * 10**9
    os.utime(path, ns=(second, second + 1_000))
    _report(run, repo)
    _break_date(path)
    os.utime(path, ns=(second, second + 2_000))  # the same second, the same size
    assert path.stat().st_size == (MINI / RETURN).stat().st_size
    after = _report(run, repo)
    assert any(d["path"] == RETURN for d in after["diagnostics"])
    assert after == _cold(run, repo)


def _entries(repo: Path) -> dict[str, dict[str, object]]:
    return json.loads((repo / ".qa/cache/files.json").read_text())["entries"]


def _rewrite(repo: Path, change) -> None:  # noqa: ANN001
    """Change the stored per-file cache and drop the whole-run answer, so it is consulted."""
    path = repo / ".qa/cache/files.json"
    body = json.loads(path.read_text())
    change(body)
    path.write_text(json.dumps(body))
    (repo / ".qa/cache/validate.json").unlink()


def test_a_stale_entry_is_never_trusted(repo, run):
    """An entry whose findings were planted but whose hash or context is another's."""
    _report(run, repo)
    planted = {
        "path": OTHER,
        "line": 1,
        "column": 1,
        "code": "QA011",
        "severity": "error",
        "message": "planted",
        "hint": None,
        "fix": None,
    }

    def stale(body: dict) -> None:
        body["entries"][OTHER]["sha"] = "0" * 64
        body["entries"][OTHER]["diagnostics"] = [planted]
        body["entries"][RETURN]["context"] = "another context"
        body["entries"][RETURN]["diagnostics"] = [dict(planted, path=RETURN)]

    _rewrite(repo, stale)
    after = _report(run, repo)
    assert "planted" not in json.dumps(after)
    assert after == _cold(run, repo)


def test_a_matching_entry_is_what_the_run_reports(repo, run):
    """The converse, so the test above can fail: a matching entry is used as it is."""
    _report(run, repo)

    def plant(body: dict) -> None:
        body["entries"][OTHER]["diagnostics"] = [
            {
                "path": OTHER,
                "line": 3,
                "column": 1,
                "code": "QA011",
                "severity": "error",
                "message": "from the cache",
                "hint": None,
                "fix": None,
            }
        ]

    _rewrite(repo, plant)
    assert "from the cache" in json.dumps(_report(run, repo))


@pytest.mark.parametrize(
    "content",
    [
        b"\x00 not json",
        b'{"format": "qa-file-findings/1", "toolkit": ',
        b'{"format": "qa-file-findings/1", "toolkit": "someone else", "entries": {}}',
        b'{"format": "other/1", "entries": {}}',
        b'{"format": "qa-file-findings/1", "toolkit": "T", "entries": {"x": [1, 2]}}',
    ],
    ids=["binary", "truncated", "foreign-toolkit", "other-format", "malformed-entry"],
)
def test_a_corrupt_or_foreign_store_is_ignored_and_rebuilt(repo, run, content):
    from qa_cli.cache import toolkit_fingerprint

    _report(run, repo)
    _break_date(repo / RETURN)
    (repo / ".qa/cache/files.json").write_bytes(
        content.replace(b'"T"', b'"%s"' % toolkit_fingerprint().encode())
    )
    assert _report(run, repo) == _cold(run, repo)
    assert set(_entries(repo)) >= {RETURN, OTHER}


def test_no_cache_neither_reads_nor_writes_it(repo, run):
    _cold(run, repo)
    assert not (repo / ".qa").exists()


def test_the_identity_list_named_in_qa_yaml_is_watched(repo, run, tmp_path):
    """qa.yaml's identity list is read from the cache's memo while qa.yaml is unchanged, and
    a change to the list (or to which list qa.yaml names) is still seen."""
    listed = tmp_path / "names.txt"
    listed.write_text("")
    other = tmp_path / "other-names.txt"
    other.write_text("Zebedee Quux\n")
    config = repo / "qa.yaml"
    config.write_text(config.read_text() + f"privacy:\n  identity_list: {listed}\n")
    ret = repo / RETURN
    ret.write_text(ret.read_text() + "# spoke with Zebedee Quux\n")
    assert not _codes(_report(run, repo))
    memo = json.loads((repo / ".qa/cache/validate.json").read_text())["memo"]
    assert memo["config_list"][1] == str(listed)
    listed.write_text("Zebedee Quux\n")
    assert "QA508" in _codes(_report(run, repo))
    listed.write_text("")
    assert "QA508" not in _codes(_report(run, repo))
    config.write_text(config.read_text().replace(str(listed), str(other)))
    after = _report(run, repo)
    assert "QA508" in _codes(after)
    assert after == _cold(run, repo)


def _codes(report: dict[str, object]) -> set[str]:
    return {d["code"] for d in report["diagnostics"]}  # type: ignore[union-attr,index]
