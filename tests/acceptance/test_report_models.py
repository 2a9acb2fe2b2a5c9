"""A report's next run takes the files it reads in full from .qa/cache/models.jsonl (by the
SHA-256 of their bytes) instead of parsing them: the report is the same as from a full load,
whatever the store holds (damaged, foreign, from a file since edited within its second)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zlib
from pathlib import Path

import pytest

from qa_cli.cache import toolkit_fingerprint
from qa_cli.reports import modelstore, monthly
from qa_cli.reports.loading import load_for_report
from qa_cli.reports.modelstore import MODELS_NAME, ModelStore, rebuilt
from qa_cli.repository import Repository, load_file
from tests.acceptance.test_report_loading import CASES, Case, _full, _seen

STORE = Path(".qa/cache") / MODELS_NAME
OCTOBER = CASES[2]  # the monthly report of 2026-10, by sample


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the report loads from their bytes (not from the store), as they happen."""
    loaded: list[str] = []
    real = modelstore.load_file

    def counting(path: Path, *args: object, **kwargs: object):  # noqa: ANN202
        loaded.append(Path(path).name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(modelstore, "load_file", counting)
    return loaded


@pytest.mark.parametrize(
    "case", [OCTOBER, CASES[4], CASES[7]], ids=["monthly", "quarterly", "team"]
)
def test_a_report_from_stored_models_equals_a_full_load(
    demo_repo: Path, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    want = _full(demo_repo, case)
    assert _seen(load_for_report(demo_repo, case[2]), case) == want  # writes the store
    assert (demo_repo / STORE).is_file()
    loaded = _loads(monkeypatch)
    warm = load_for_report(demo_repo, case[2])
    assert warm.files and loaded == [], "every file read in full came from the store"
    assert _seen(warm, case) == want


def test_the_store_holds_only_what_reports_read_in_full(demo_repo: Path) -> None:
    load_for_report(demo_repo, OCTOBER[2])
    with ModelStore.open(demo_repo) as store:
        stored = len(store._index)
    repo = load_for_report(demo_repo, OCTOBER[2])
    assert stored == len(repo.files) - 1  # all but qa.yaml, read first and never stored
    assert repo.summaries, "other months' returns are summarised, not read in full"
    summarised = {
        hashlib.sha256((demo_repo / rel).read_bytes()).hexdigest() for rel in repo.summaries
    }
    with ModelStore.open(demo_repo) as store:
        assert not summarised & set(store._index), "a summarised return's model was stored"


def _damage_a_body(text: str) -> str:
    """One stored model's JSON changed, still JSON: its checksum no longer matches."""
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if '"overall_grade":"good"' in line)
    lines[i] = lines[i].replace('"overall_grade":"good"', '"overall_grade":"inadequate"', 1)
    return "".join(lines)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not a store\n",
        lambda text: text + "e " + "0" * 64 + " {truncated",
        lambda text: text.replace("qa-report-models/1", "qa-report-models/0", 1),
        lambda text: text.replace('"toolkit":"', '"toolkit":"another', 1),
        _damage_a_body,
        lambda text: text.replace("qa/audit@1+built ", "qa/nothing@1+built ", 1),
    ],
    ids=["not-a-store", "cut-short", "other-format", "foreign-toolkit", "damaged-body", "bad-kind"],
)
def test_a_damaged_store_changes_nothing(demo_repo: Path, damage) -> None:  # noqa: ANN001
    want = _full(demo_repo, OCTOBER)
    load_for_report(demo_repo, OCTOBER[2])
    store = demo_repo / STORE
    store.write_text(damage(store.read_text("utf-8")), "utf-8")
    assert _seen(load_for_report(demo_repo, OCTOBER[2]), OCTOBER) == want
    assert _seen(load_for_report(demo_repo, OCTOBER[2]), OCTOBER) == want  # rewritten, read


def test_a_return_edited_within_its_second_is_read_again(demo_repo: Path) -> None:
    """Same size, same modification time: the stored model is by content, so not taken."""
    load_for_report(demo_repo, OCTOBER[2])
    before = _full(demo_repo, OCTOBER)
    marker = "areas_for_improvement: |\n  - "
    path = next(
        p
        for p in sorted((demo_repo / "audits/2026-10").glob("*.yaml"))
        if marker in p.read_text() and "status: returned" in p.read_text()
    )
    st, text = path.stat(), path.read_text()
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + ("Q" if text[at] != "Q" else "Z") + text[at + 1 :])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    want = _full(demo_repo, OCTOBER)
    assert want != before  # the edit shows in the report
    assert _seen(load_for_report(demo_repo, OCTOBER[2]), OCTOBER) == want


def test_every_kind_is_built_again_equal_to_its_validated_model() -> None:
    """The store's fast path (no validators) gives each demo file's model exactly, and a
    file whose values were read forgivingly is never stored."""
    demo = Path(__file__).resolve().parents[2] / "examples" / "demo-repo"
    repo = Repository.load(demo, use_cache=False)
    kinds = set()
    for lf in repo.files:
        assert lf.model is not None, lf.rel
        body = lf.model.model_dump_json(by_alias=True)
        again = rebuilt(type(lf.model), json.loads(body))
        assert again == lf.model and repr(again) == repr(lf.model), lf.rel
        kinds.add(lf.kind)
    assert {"qa/audit", "qa/sample", "qa/tool", "qa/config", "qa/crib-sheet"} <= kinds


def test_a_forgiven_file_is_not_stored(tmp_path: Path, mini_repo: Path) -> None:
    audit = next((mini_repo / "audits").rglob("*.yaml"))
    text = audit.read_text()
    assert "allocated: 2026-" in text
    day = text.split("allocated: ", 1)[1][:10]
    uk = dt.date.fromisoformat(day).strftime("%d/%m/%Y")
    audit.write_text(text.replace(f"allocated: {day}", f"allocated: {uk}", 1))
    lf = load_file(audit, mini_repo)
    assert lf.model is not None and lf.notes  # valid, read forgivingly
    store = ModelStore(root=mini_repo)
    store.keep("0" * 64, lf)
    assert store.model("0" * 64) is None
    store.close()


def test_the_monthly_command_reads_the_store_and_writes_the_same_files(
    run, demo_repo: Path
) -> None:
    args = ["report", "monthly", "--month", "2026-10", "--repo", demo_repo, "--as-of", "2026-11-29"]
    out = demo_repo / "reports/2026-10"
    assert run(*args, "--no-cache").exit_code == 0
    holidays = demo_repo / ".qa/cache/bank-holidays.json"
    assert not (demo_repo / STORE).exists() and not holidays.exists()  # --no-cache: none
    reference = (out / "monthly.md").read_bytes()
    for _ in range(2):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert (out / "monthly.md").read_bytes() == reference
    assert (demo_repo / STORE).is_file() and holidays.is_file()
    assert monthly.needs("2026-10")("audits/2026-10/x.yaml", {"allocated": "2026-10-01"})


def _plant_a_grade(text: str) -> str:
    """A stored audit's grade set to one no return may hold, its checksum made to match:
    well formed, so only the cache key can tell it was not written here."""
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if '"overall_grade":"good"' in line)
    tag, sha, kind, _, body = lines[i].split(" ", 4)
    body = body.rstrip("\n").replace('"overall_grade":"good"', '"overall_grade":"bogus"', 1)
    crc = zlib.crc32(body.encode())
    lines[i] = f"{tag} {sha} {kind} {crc:08x} {body}\n"
    return "".join(lines)


def test_a_store_made_with_another_users_key_is_not_trusted(
    demo_repo: Path, tmp_path: Path
) -> None:
    """A store copied into the repository (committed, or from another machine) carries
    models built without validators: without this user's cache key it is foreign."""
    want = _full(demo_repo, OCTOBER)
    before = os.environ.get("XDG_CACHE_HOME")
    try:
        os.environ["XDG_CACHE_HOME"] = str(tmp_path / "elsewhere")
        toolkit_fingerprint.cache_clear()
        load_for_report(demo_repo, OCTOBER[2])  # the store, made with the other key
        store = demo_repo / STORE
        store.write_text(_plant_a_grade(store.read_text("utf-8")), "utf-8")
        planted = _seen(load_for_report(demo_repo, OCTOBER[2]), OCTOBER)
        assert planted != want and "bogus" in planted  # with its own key it would be taken
        os.environ["XDG_CACHE_HOME"] = str(tmp_path / "here")
        toolkit_fingerprint.cache_clear()
        assert _seen(load_for_report(demo_repo, OCTOBER[2]), OCTOBER) == want
        key = tmp_path / "here" / "qa" / "cache-key"
        assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 64
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before
        toolkit_fingerprint.cache_clear()
