"""The validation cache in .qa/cache/: the same findings as a cold run, never a stale one."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import BASE
from conftest import BASE_AUDIT as AUDIT

from qa_cli import cache as qa_cache
from qa_cli import repository

from .test_validate_cases import CASES, _identity_list, _lay_out  # noqa: F401


@pytest.fixture
def repo(base_repo: Path) -> Path:
    return base_repo


def _findings(run, *args: str | Path) -> tuple[int, list[dict[str, object]]]:
    result = run("validate", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def _no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse of the repository fail the test: the answer must come from the cache."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the repository was loaded although nothing changed")

    monkeypatch.setattr(repository.Repository, "load", classmethod(refuse))


def _break_schema_line(path: Path) -> None:
    """The same number of bytes, an unknown kind: QA011."""
    text = path.read_text()
    path.write_text(text.replace("schema: qa/audit@1", "schema: qa/audxt@1"))


def test_second_run_is_answered_from_the_cache_with_the_same_findings(repo, run, monkeypatch):
    _break_schema_line(repo / AUDIT)
    cold = _findings(run, "--repo", repo, "--no-cache")
    assert not (repo / ".qa/cache").exists(), "--no-cache must not write the cache"
    first = _findings(run, "--repo", repo)
    assert first == cold and cold[0] == 1 and {d["code"] for d in cold[1]} == {"QA011"}
    assert (repo / ".qa/cache/validate.json").is_file()
    _no_loading(monkeypatch)
    assert _findings(run, "--repo", repo) == cold


def test_an_edited_file_is_checked_again(repo, run, monkeypatch):
    clean = _findings(run, "--repo", repo)
    assert clean == (0, [])
    _break_schema_line(repo / AUDIT)
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]
    (repo / AUDIT).write_text((BASE / AUDIT).read_text())
    assert _findings(run, "--repo", repo) == clean


def test_an_edit_of_the_same_size_and_mtime_ns_right_after_a_run_is_hashed(repo, run):
    """Edited within the file system's timestamp granularity: size and mtime_ns are equal."""
    path = repo / AUDIT
    path.write_text(path.read_text())  # written just now, as by an editor
    assert _findings(run, "--repo", repo) == (0, [])
    st = path.stat()
    _break_schema_line(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]


def test_an_edit_within_the_same_second_is_seen_by_its_mtime_ns(repo, run):
    """An old file (its stamp trusted) edited twice in one second: the nanoseconds differ."""
    path = repo / AUDIT
    second = 1_700_000_000 * 10**9
    os.utime(path, ns=(second, second + 1_000))
    assert _findings(run, "--repo", repo) == (0, [])
    stored = json.loads((repo / ".qa/cache/validate.json").read_text())
    assert stored["stamps"][AUDIT][1] == second + 1_000, "an old file's stamp is trusted"
    _break_schema_line(path)
    os.utime(path, ns=(second, second + 2_000))
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not json",
        b'{"format": "qa-validate-cache/1"',
        b"[]",
        b'{"format": "another-tool/9", "stamps": {}, "runs": {}}',
    ],
    ids=["binary", "truncated", "not-a-mapping", "other-format"],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(repo, run, content):
    _break_schema_line(repo / AUDIT)
    cold = _findings(run, "--repo", repo, "--no-cache")
    folder = repo / ".qa/cache"
    folder.mkdir(parents=True)
    (folder / "validate.json").write_bytes(content)
    assert _findings(run, "--repo", repo) == cold
    assert json.loads((folder / "validate.json").read_text())["format"] == qa_cache.FORMAT


def test_a_cache_of_another_toolkit_is_never_trusted(repo, run):
    """A planted cache claiming the repository is clean: another toolkit wrote it."""
    _break_schema_line(repo / AUDIT)
    assert _findings(run, "--repo", repo)[0] == 1
    path = repo / ".qa/cache/validate.json"
    stored = json.loads(path.read_text())
    for entry in stored["runs"].values():
        entry["report"]["diagnostics"] = []
    path.write_text(json.dumps({**stored, "toolkit": "0" * 64}))
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]


def test_malformed_entries_are_ignored(repo, run):
    _break_schema_line(repo / AUDIT)
    cold = _findings(run, "--repo", repo)
    path = repo / ".qa/cache/validate.json"
    stored = json.loads(path.read_text())
    for entry in stored["runs"].values():
        entry["report"]["diagnostics"] = [{"path": 3}]
    path.write_text(json.dumps(stored))
    assert _findings(run, "--repo", repo) == cold


def test_a_cache_that_cannot_be_written_is_skipped(repo, run):
    (repo / ".qa").write_text("not a folder")
    _break_schema_line(repo / AUDIT)
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]
    assert (repo / ".qa").read_text() == "not a folder"


def test_one_file_and_the_whole_repository_are_cached_apart(repo, run, monkeypatch):
    whole = _findings(run, "--repo", repo)
    one = _findings(run, repo / AUDIT)
    assert whole == one == (0, [])
    _no_loading(monkeypatch)
    assert _findings(run, repo / AUDIT) == one
    assert _findings(run, "--repo", repo) == whole


def test_a_fifo_or_link_planted_as_the_cache_is_never_read(repo, run, tmp_path):
    folder = repo / ".qa/cache"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "validate.json")  # reading it would block for ever
    os.mkfifo(repo / "audits" / "pipe.txt")  # an input that is no regular file
    assert _findings(run, "--repo", repo) == (0, [])
    (folder / "validate.json").unlink()
    outside = tmp_path / "outside.json"
    outside.write_text('{"planted": true}')
    (folder / "validate.json").symlink_to(outside)
    assert _findings(run, "--repo", repo) == (0, [])
    assert outside.read_text() == '{"planted": true}', "the link's target is never written"


# --- parsed files reused by every command's loading -------------------------------------------


def _load(root: Path, use_cache: bool) -> tuple[repository.Repository, list[object]]:
    from qa_cli.validation.engine import validate_repository

    repo = repository.Repository.load(root, use_cache=use_cache)
    return repo, validate_repository(repo).diagnostics


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_files_from_the_parsed_cache_give_the_findings_of_a_parse(tmp_path, case):
    root, _ = _lay_out(tmp_path, case)
    cold_repo, cold = _load(root, use_cache=False)
    _load(root, use_cache=True)  # fills .qa/cache/parsed.jsonl
    warm_repo, warm = _load(root, use_cache=True)
    assert warm == cold
    assert [(f.rel, f.data, f.kind, f.errors) for f in warm_repo.files] == [
        (f.rel, f.data, f.kind, f.errors) for f in cold_repo.files
    ]


def test_an_unchanged_file_is_not_parsed_again(repo, monkeypatch):
    from qa_cli import yamlio

    first = repository.Repository.load(repo)
    monkeypatch.setattr(yamlio, "load_fast", lambda *a, **k: pytest.fail("parsed again"))
    again = repository.Repository.load(repo)
    assert [(f.rel, f.data) for f in again.files] == [(f.rel, f.data) for f in first.files]
    assert all(f.model is not None for f in again.files)


def test_data_json_cannot_hold_exactly_is_parsed_each_time(repo, monkeypatch):
    from qa_cli import yamlio

    odd = repo / "audits" / "odd.yaml"
    odd.write_text("schema: qa/audit@1\n1: an integer key\n")
    repository.Repository.load(repo)
    calls: list[bytes] = []
    real = yamlio.load_fast
    monkeypatch.setattr(yamlio, "load_fast", lambda raw, *a: calls.append(raw) or real(raw, *a))
    again = repository.Repository.load(repo)
    assert calls == [odd.read_bytes()]
    assert next(f for f in again.files if f.rel == "audits/odd.yaml").data == {
        "schema": "qa/audit@1",
        1: "an integer key",
    }


# --- runs of some files: their reports in selections.json ------------------------------------


def test_a_run_of_one_file_after_a_whole_run_leaves_the_stamps_as_they_were(repo, run, monkeypatch):
    """A pre-commit hook's run: the edited file is hashed, its report goes to selections.json,
    and the whole repository's stamps are not rewritten for it; a repeat is a cache hit."""
    assert _findings(run, "--repo", repo) == (0, [])
    stamps = repo / ".qa/cache/validate.json"
    before = stamps.read_bytes()
    _break_schema_line(repo / AUDIT)
    found = _findings(run, repo / AUDIT)
    assert found[0] == 1 and [d["code"] for d in found[1]] == ["QA011"]
    assert stamps.read_bytes() == before
    assert (repo / ".qa/cache/selections.json").is_file()
    _, every = _findings(run, "--repo", repo, "--no-cache")
    assert every == found[1]
    _no_loading(monkeypatch)
    assert _findings(run, repo / AUDIT) == found


def test_a_first_run_of_one_file_stores_every_stamp(repo, run, monkeypatch):
    """With no cache yet every file is hashed once: their stamps are kept, so the next run
    of one file does not read them all again."""
    for i in range(qa_cache._RESTAMP_AT):  # enough files that the run must keep the stamps
        (repo / "notes" / f"n{i}.txt").parent.mkdir(exist_ok=True)
        (repo / "notes" / f"n{i}.txt").write_text(f"note {i}\n")
    assert _findings(run, repo / AUDIT) == (0, [])
    stored = json.loads((repo / ".qa/cache/validate.json").read_text())
    assert AUDIT in stored["stamps"] and "notes/n0.txt" in stored["stamps"]
    hashed: list[str] = []
    real = qa_cache._content_id
    monkeypatch.setattr(
        qa_cache, "_content_id", lambda root, rel, mode: hashed.append(rel) or real(root, rel, mode)
    )
    (repo / AUDIT).write_text((repo / AUDIT).read_text() + "# edited\n")
    assert _findings(run, repo / AUDIT) == (0, [])
    assert set(hashed) <= {AUDIT, *[r for r, v in stored["stamps"].items() if v[1] == -1]}


@pytest.mark.parametrize(
    "content",
    [
        b"\x00 not json",
        b'{"format": "qa-validate-selections/1"',
        b'{"format": "another-tool/9", "runs": {}}',
    ],
    ids=["binary", "truncated", "other-format"],
)
def test_a_corrupt_or_foreign_selections_file_is_ignored_and_rebuilt(repo, run, content):
    _break_schema_line(repo / AUDIT)
    assert _findings(run, "--repo", repo)[0] == 1
    path = repo / ".qa/cache/selections.json"
    path.write_bytes(content)
    code, found = _findings(run, repo / AUDIT)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]
    assert json.loads(path.read_text())["format"] == qa_cache.SELECTIONS_FORMAT


def test_a_selections_file_of_another_toolkit_is_never_trusted(repo, run):
    """A planted report claiming the file is clean, from another toolkit: not believed."""
    _break_schema_line(repo / AUDIT)
    assert _findings(run, repo / AUDIT)[0] == 1
    path = repo / ".qa/cache/selections.json"
    stored = json.loads(path.read_text())
    for entry in stored["runs"].values():
        entry["report"]["diagnostics"] = []
    path.write_text(json.dumps({**stored, "toolkit": "0" * 64}))
    code, found = _findings(run, repo / AUDIT)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]


@pytest.mark.parametrize(
    "shape",
    [
        lambda size, mtime, sha, tag: [size, mtime, 7, tag],
        lambda size, mtime, sha, tag: [size, mtime, sha, ["t"]],
        lambda size, mtime, sha, tag: [size, mtime, sha],
        lambda size, mtime, sha, tag: {"size": size, "mtime": mtime, "sha": sha},
    ],
    ids=["sha-not-text", "tag-not-text", "three-parts", "a-mapping"],
)
def test_a_malformed_stamp_is_never_trusted(repo, run, shape):
    """A stamp whose size and time match but whose shape is wrong: the file is hashed again
    (a well-formed stamp of that size and time would be believed)."""
    path = repo / AUDIT
    second = 1_700_000_000 * 10**9
    os.utime(path, ns=(second, second))
    assert _findings(run, "--repo", repo) == (0, [])
    _break_schema_line(path)
    os.utime(path, ns=(second, second))
    cache = repo / ".qa/cache/validate.json"
    stored = json.loads(cache.read_text())
    stored["stamps"][AUDIT] = shape(*stored["stamps"][AUDIT])
    cache.write_text(json.dumps(stored))
    code, found = _findings(run, "--repo", repo)
    assert code == 1 and [d["code"] for d in found] == ["QA011"]
