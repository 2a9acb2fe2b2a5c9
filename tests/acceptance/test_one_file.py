"""`qa validate FILE` reads the named file and only what its rules consult, mostly known from
the stamps of .qa/cache without reading the others; its findings are always those of a cold
run of the whole repository without a cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_cli import repository

from .test_cache_per_file import _parsed

RETURN = "audits/2026-10/C-1V7M4J3Y--single-agency-safeguarding.yaml"
CASE = "C-1V7M4J3Y"
SAMPLE = "samples/2026-10.yaml"
TOOL = "audit_tools/single-agency-safeguarding.yaml"


@pytest.fixture
def repo(mini_repo: Path, no_identity_list: None) -> Path:
    """The mini repository, with no identity list of this machine and no cache."""
    return mini_repo


def _json(run, *args: str | Path) -> dict[str, object]:
    out = run("validate", "--format", "json", *args)
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)


def _one(run, repo: Path, rel: str, *extra: str) -> list[object]:
    return _json(run, repo / rel, *extra)["diagnostics"]  # type: ignore[return-value]


def _cold(run, repo: Path, rel: str) -> list[object]:
    """The findings on ``rel`` of a cold serial run of everything, without the cache."""
    every = _json(run, "--repo", repo, "--no-cache")["diagnostics"]
    return [d for d in every if d["path"] == rel]  # type: ignore[index]


def _warm(run, repo: Path) -> None:
    """Fill the cache as a day's work does: the whole repository, then the file alone."""
    _json(run, "--repo", repo)
    _one(run, repo, RETURN)


def _codes(found: list[object]) -> set[str]:
    return {d["code"] for d in found}  # type: ignore[index]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose bytes the consulted-file check reads from now on (their names)."""
    seen: list[str] = []
    real = repository._read

    def spy(path: str) -> bytes | None:
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(repository, "_read", spy)
    return seen


def _loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files loaded from now on, parsed or from the stored models (relative paths)."""
    from qa_cli.reports import modelstore

    seen = _parsed(monkeypatch)
    real = modelstore.load_stored

    def spy(path: Path, root: Path, rel: str, *args: object) -> object:
        seen.append(rel)
        return real(path, root, rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(modelstore, "load_stored", spy)
    return seen


def test_a_warm_run_reads_no_other_file_to_know_what_it_consults(repo, run, monkeypatch):
    _warm(run, repo)
    _edit(repo / RETURN, "status: returned", "status: returned  # edited")
    read, loaded = _read(monkeypatch), _loaded(monkeypatch)
    assert _one(run, repo, RETURN) == _cold(run, repo, RETURN) == []
    assert read == [], "the stamps said which files are consulted"
    first = loaded[: loaded.index("qa.yaml", 1)] if loaded.count("qa.yaml") > 1 else loaded
    assert RETURN in first and SAMPLE in first and TOOL in first
    assert not any(r.startswith("audits/") and r != RETURN for r in first)


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_changed_sample_is_seen(repo, run, cache):
    _warm(run, repo)
    _edit(repo / SAMPLE, f"case: {CASE}", "case: C-ZZZZZZZZ")
    extra = () if cache else ("--no-cache",)
    found = _one(run, repo, RETURN, *extra)
    assert "QA403" in _codes(found)
    assert found == _cold(run, repo, RETURN)


def test_a_tool_edited_to_the_same_size_within_the_second_is_seen(repo, run):
    _warm(run, repo)
    _edit(repo / TOOL, "\nversion: 1\n", "\nversion: 2\n")
    found = _one(run, repo, RETURN)
    assert found and found == _cold(run, repo, RETURN)


def test_a_changed_qa_yaml_is_seen(repo, run):
    _warm(run, repo)
    _edit(repo / "qa.yaml", "id: sw-eosei", "id: sw-eosez")
    found = _one(run, repo, RETURN)
    assert found and found == _cold(run, repo, RETURN)


def test_a_deleted_sample_is_seen(repo, run):
    _warm(run, repo)
    (repo / SAMPLE).unlink()
    found = _one(run, repo, RETURN)
    assert "QA403" in _codes(found)
    assert found == _cold(run, repo, RETURN)


def test_a_new_sample_of_the_month_is_seen(repo, run):
    """A new file that sorts before the month's sample and allocates the month: a whole run
    takes the first sample of a month, so the return is no longer in it."""
    _warm(run, repo)
    text = (repo / SAMPLE).read_text().replace(f"case: {CASE}", "case: C-ZZZZZZZZ")
    (repo / "samples" / "2026-10-a.yaml").write_text(text)
    found = _one(run, repo, RETURN)
    assert "QA403" in _codes(found)
    assert found == _cold(run, repo, RETURN)


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_sample_whose_name_does_not_name_its_month_is_read(repo, run, cache):
    _warm(run, repo)
    moved = repo / "samples" / "current.yaml"
    (repo / SAMPLE).rename(moved)
    _edit(moved, f"case: {CASE}", "case: C-ZZZZZZZZ")
    extra = () if cache else ("--no-cache",)
    found = _one(run, repo, RETURN, *extra)
    assert "QA403" in _codes(found)
    assert found == _cold(run, repo, RETURN)


def test_a_new_return_of_the_month_is_seen_by_its_sample(repo, run):
    """The sample's rules look for each allocated return: deleting one is a finding."""
    _json(run, "--repo", repo)
    _one(run, repo, SAMPLE)
    (repo / RETURN).unlink()
    found = _one(run, repo, SAMPLE)
    assert "QA412" in _codes(found)
    assert found == _cold(run, repo, SAMPLE)


def test_a_stale_stamp_is_never_trusted(repo, run):
    """A stored stamp that says the sample names no consulted kind, for bytes that are not
    the file's any more (size and time moved): the file is read again, not skipped."""
    _warm(run, repo)
    _edit(repo / SAMPLE, f"case: {CASE}", "case: C-ZZZZZZZZ")
    cache = repo / ".qa" / "cache" / "validate.json"
    stored = json.loads(cache.read_text())
    size, mtime, sha, _ = stored["stamps"][SAMPLE]
    stored["stamps"][SAMPLE] = [size + 1, mtime, sha, ""]
    cache.write_text(json.dumps(stored))
    found = _one(run, repo, RETURN)
    assert "QA403" in _codes(found)
    assert found == _cold(run, repo, RETURN)


def test_an_improvement_plan_reads_the_sample_of_the_month_it_names(repo, run):
    """No month in its path: the plan's own `month:` says which sample its rules read."""
    plan = repo / "improvement" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text(
        "schema: qa/improvement@1\nreport: monthly\nmonth: 2026-10\nlead: qa-abanks\n"
        "recommendations: []\n"
    )
    _json(run, "--repo", repo)
    found = _one(run, repo, "improvement/plan.yaml")
    assert found == _cold(run, repo, "improvement/plan.yaml")
    assert "QA483" not in _codes(found), "the month's sample was not read"


def test_validate_keeps_the_parses_a_whole_load_stored(repo, run):
    """A run of `qa validate` reloads only the consulted files (the returns come from
    files.json or a chunk): the returns' stored parses, which reports reuse, stay."""
    from qa_cli.repository import Repository

    def stored() -> int:
        lines = (repo / ".qa" / "cache" / "parsed.jsonl").read_bytes().splitlines()
        return sum(line.startswith(b"e ") for line in lines)

    _json(run, "--repo", repo)
    Repository.load(repo)
    every = stored()
    _edit(repo / SAMPLE, f"case: {CASE}", "case: C-ZZZZZZZZ")
    _json(run, "--repo", repo)
    assert stored() >= every
    _one(run, repo, RETURN)
    assert stored() >= every


def test_a_warm_run_takes_the_consulted_files_models_from_the_store(repo, run, monkeypatch):
    """The consulted files (and qa.yaml) are the same run after run: their models come from
    .qa/cache/models.jsonl (no parse, no validation), the edited file is parsed."""
    _warm(run, repo)
    _edit(repo / RETURN, "status: returned", "status: returned  # edited")
    parsed = _parsed(monkeypatch)
    assert _one(run, repo, RETURN) == []
    assert RETURN in parsed
    assert SAMPLE not in parsed and TOOL not in parsed and "qa.yaml" not in parsed


@pytest.mark.parametrize("damage", ["garbage", "altered"])
def test_a_damaged_model_store_is_not_trusted(repo, run, damage):
    """The sample's stored model altered (its checksum no longer matches) or the store not
    a store at all: the sample is loaded from its file, the findings are a cold run's."""
    _warm(run, repo)
    store = repo / ".qa" / "cache" / "models.jsonl"
    body = store.read_bytes()
    assert f'"case":"{CASE}"'.encode() in body, "the warm runs stored the sample's model"
    if damage == "garbage":
        store.write_bytes(b"\x00 not a store\n")
    else:  # if believed, the return would not be allocated in its sample (QA403)
        store.write_bytes(body.replace(f'"case":"{CASE}"'.encode(), b'"case":"C-ZZZZZZZZ"'))
    _edit(repo / RETURN, "status: returned", "status: returned  # edited")
    found = _one(run, repo, RETURN)
    assert found == _cold(run, repo, RETURN) == []
