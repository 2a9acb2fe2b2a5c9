"""A loaded repository holds each file's model, not its text (issue 16: memory at 50k).

`Repository.load` reads a file's text again when a rule asks for it (positions, the
privacy scan, suppressions), so the findings must be exactly those of a load that keeps
every text, and a file changed after loading must be refused, never misplaced.
"""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa_cli import repository
from qa_cli.cache import ParsedStore
from qa_cli.errors import QAError
from qa_cli.repository import Repository
from qa_cli.validation.engine import validate_repository

from .test_validate_cases import CASES, _identity_list, _lay_out  # noqa: F401


@contextmanager
def _texts_kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Loading as it was: every loaded file holds its text."""
    eager = repository.load_file

    def keep(*args: object, **kwargs: object) -> repository.LoadedFile:
        kwargs["lean"] = False
        return eager(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(repository, "load_file", keep)
        yield


def _findings(repo: Repository) -> tuple[list[object], list[object]]:
    report = validate_repository(repo)
    return report.diagnostics, report.suppressed


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_invalid_case_has_the_findings_of_a_load_that_keeps_the_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Path
) -> None:
    repo, _ = _lay_out(tmp_path, case)
    lean = _findings(Repository.load(repo, use_cache=False))
    with _texts_kept(monkeypatch):
        full = _findings(Repository.load(repo, use_cache=False))
    assert lean == full
    assert lean[0] or lean[1], "each invalid case has a finding"


@pytest.mark.parametrize("name", ["demo_repo", "mini_repo"])
def test_the_demo_and_mini_repositories_validate_and_read_as_before(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    root: Path = request.getfixturevalue(name)
    target = sorted((root / "audits").glob("*/*.yaml"))[0]
    target.write_text(target.read_text() + "# a note 07700 900123\n")  # a finding to place
    lean_repo = Repository.load(root)  # from the parse cache, as commands load
    with _texts_kept(monkeypatch):
        full_repo = Repository.load(root, use_cache=False)
    assert [f.rel for f in lean_repo.files] == [f.rel for f in full_repo.files]
    for lean, full in zip(lean_repo.files, full_repo.files, strict=True):
        assert lean.text == full.text, lean.rel
        assert lean.data == full.data, lean.rel
        assert lean.model == full.model, lean.rel
    lean_found, full_found = _findings(lean_repo), _findings(full_repo)
    assert lean_found == full_found
    assert any(d.path == target.relative_to(root).as_posix() for d in lean_found[0])


def _held_by_load(root: Path) -> int:
    """Bytes a loaded repository holds (traced allocations alive after loading)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        loaded = Repository.load(root, use_cache=False)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert loaded.files
    return held


def test_a_loaded_repository_does_not_hold_the_texts(
    demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = sum(len(p.read_text(encoding="utf-8")) for p in demo_repo.rglob("*.yaml"))
    lean = _held_by_load(demo_repo)
    with _texts_kept(monkeypatch):
        full = _held_by_load(demo_repo)
    assert full - lean >= 0.9 * texts


def test_a_file_changed_after_loading_is_refused_not_misplaced(mini_repo: Path) -> None:
    loaded = Repository.load(mini_repo)
    lf = next(f for f in loaded.files if f.kind == "qa/audit")
    before = lf.text
    assert before == lf.path.read_text(encoding="utf-8")
    lf.path.write_text(before + "# one more line\n")
    with pytest.raises(QAError) as err:
        _ = lf.text
    assert lf.rel in str(err.value)
    assert "changed" in str(err.value)
    assert err.value.hint and "again" in err.value.hint


def test_short_strings_read_from_the_parse_cache_are_shared_between_files(
    mini_repo: Path,
) -> None:
    Repository.load(mini_repo)  # fills the parse cache
    audits = sorted((mini_repo / "audits").glob("*/*.yaml"))[:2]
    with ParsedStore.open(mini_repo) as store:
        first, second = (store.get(p.read_bytes()) for p in audits)
    assert first is not None and second is not None
    assert first["schema"] == second["schema"]
    assert first["schema"] is second["schema"]
    key = next(k for k in first if k in second)
    assert next(k for k in second if k == key) is key


def test_the_parse_cache_written_a_piece_at_a_time_reads_back_the_same(tmp_path: Path) -> None:
    store = ParsedStore(root=tmp_path)
    odd = {"schema": "qa/x@1", "text": 'a "quoted"\nline, £5 and ”curly”', "n": [1, 2.5, None]}
    raws = [b"one", b"two"]
    store.put(raws[0], odd)
    store.put(raws[1], {"schema": "qa/y@1"})
    store.remember_month(raws[1], "2026-10")
    store.save(prune=False)
    with ParsedStore.open(tmp_path) as again:
        assert again.get(raws[0]) == odd
        assert again.get(raws[1]) == {"schema": "qa/y@1"}
        assert again.months == store.months


def _filled_store(root: Path, n: int) -> list[bytes]:
    store = ParsedStore.open(root)
    raws = [f"file {i}".encode() for i in range(n)]
    for i, raw in enumerate(raws):
        store.put(raw, {"schema": "qa/audit@1", "comment": f"answer {i} " * 300})
    store.save(prune=False)
    return raws


def test_the_parse_cache_is_indexed_not_held_in_memory(tmp_path: Path) -> None:
    raws = _filled_store(tmp_path, 500)
    size = (tmp_path / ".qa" / "cache" / "parsed.jsonl").stat().st_size
    gc.collect()
    tracemalloc.start()
    try:
        store = ParsedStore.open(tmp_path)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    with store:
        assert held < size / 10
        assert store.get(raws[123]) == {"schema": "qa/audit@1", "comment": "answer 123 " * 300}


def test_a_pruned_save_keeps_the_entries_seen_and_the_new_ones(tmp_path: Path) -> None:
    raws = _filled_store(tmp_path, 3)
    store = ParsedStore.open(tmp_path)
    assert store.get(raws[0]) is not None
    store.put(b"new", {"schema": "qa/new@1"})
    store.save(prune=True)
    with ParsedStore.open(tmp_path) as again:
        assert again.get(raws[0]) is not None
        assert again.get(b"new") == {"schema": "qa/new@1"}
        assert again.get(raws[1]) is None and again.get(raws[2]) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short in an entry
        lambda b: b.replace(b"qa-parsed-cache/2", b"qa-parsed-cache/9", 1),  # another format
        lambda b: b"not json\n" + b,
        lambda b: b.replace(b"\ne ", b"\nx", 1),  # a line of no known shape
        lambda b: b"",
    ],
)
def test_a_damaged_or_foreign_parse_cache_is_ignored(tmp_path: Path, damage: object) -> None:
    raws = _filled_store(tmp_path, 3)
    path = tmp_path / ".qa" / "cache" / "parsed.jsonl"
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with ParsedStore.open(tmp_path) as store:
        assert all(store.get(raw) is None for raw in raws)


def test_a_fifo_or_link_planted_as_the_parse_cache_is_never_read(tmp_path: Path) -> None:
    import threading

    raws = _filled_store(tmp_path / "elsewhere", 2)
    folder = tmp_path / ".qa" / "cache"
    folder.mkdir(parents=True)
    (folder / "parsed.jsonl").symlink_to(tmp_path / "elsewhere" / ".qa" / "cache" / "parsed.jsonl")
    with ParsedStore.open(tmp_path) as store:
        assert store.get(raws[0]) is None
    (folder / "parsed.jsonl").unlink()
    os.mkfifo(folder / "parsed.jsonl")  # opening it for reading would wait for a writer
    opened: list[ParsedStore] = []
    worker = threading.Thread(target=lambda: opened.append(ParsedStore.open(tmp_path)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert opened, "opening the store waited on a FIFO"
    with opened[0] as store:
        assert store.get(raws[0]) is None


def test_export_streams_its_tables_and_writes_parquet_in_row_groups(
    demo_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv

    from qa_cli import export

    loaded = Repository.load(demo_repo, require_config=True)
    export.write_export(loaded, tmp_path / "first", parquet=False)  # imports done
    monkeypatch.setattr(export, "PIECE", 2048)  # the demo is small: written in small pieces
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        written = export.write_export(loaded, tmp_path / "csv", parquet=False)
        peak = tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()
    sizes = {p.name: p.stat().st_size for p, _ in written}
    assert peak < max(sizes.values()) / 2, "a table was held whole in memory"
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    monkeypatch.setattr(export, "BATCH", 7)  # many row groups, and a last one cut short
    for path, n in export.write_export(loaded, tmp_path / "both", parquet=True):
        if path.suffix == ".parquet":
            with path.with_suffix(".csv").open(newline="") as fh:
                rows = list(csv.DictReader(fh))
            table = pq.read_table(path)
            assert table.num_rows == n == len(rows)
            first = table.column_names[0]
            assert [str(v) for v in table.column(first).to_pylist()] == [r[first] for r in rows]


def _first_with(root: Path, pattern: str, lacking: str = "\x00") -> Path:
    import re

    rx = re.compile(pattern, re.MULTILINE)
    return next(
        p
        for p in sorted((root / "audits").glob("*/*.yaml"))
        if rx.search(t := p.read_text()) and lacking not in t
    )


def test_a_command_on_a_named_file_loads_it_and_what_it_consults_only(demo_repo: Path) -> None:
    target = _first_with(demo_repo, r"^status: returned")
    lean = Repository.load_for(demo_repo, str(target.relative_to(demo_repo)), demo_repo)
    audits = [f.rel for f in lean.files if f.kind == "qa/audit"]
    assert audits == [target.relative_to(demo_repo).as_posix()]
    assert {f.kind for f in lean.files} >= {"qa/config", "qa/tool", "qa/sample"}
    whole = Repository.load_for(demo_repo, "C-NOTAFILE", demo_repo)  # a code: every file
    assert len(whole.files) > len(lean.files) + 10


@pytest.mark.parametrize(
    "command",
    [
        ("actions", "done", "{spec}", "A1", "--note", "done in supervision"),
        ("review", "{spec}", "--by", "{qa_lead}"),
        ("feedback", "{spec}", "supervision"),
    ],
    ids=["actions-done", "review", "feedback"],
)
def test_a_command_on_a_path_writes_what_it_writes_given_the_case_code(
    run: object, demo_repo: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    import re
    import shutil

    pattern = (
        r"^  - id: A1\n(?:    .*\n)*?    status: open"
        if command[0] == "actions"
        else (r"^status: returned")
    )
    lacking = "supervision_on" if command[0] == "feedback" else "\x00"
    target = _first_with(demo_repo, pattern, lacking)
    rel = target.relative_to(demo_repo).as_posix()
    code = re.search(r"C-[0-9A-Z]{8}", target.name)[0]  # type: ignore[index]
    qa_lead = re.findall(
        r"(?m)^  - id: (\S+)\n(?:    .*\n)*?    roles: \[qa_lead",
        (demo_repo / "qa.yaml").read_text(),
    )[0]
    by_code = tmp_path / "by-code"
    shutil.copytree(demo_repo, by_code)
    outputs = []
    for root, spec in ((demo_repo, rel), (by_code, code)):
        args = [a.format(spec=spec, qa_lead=qa_lead) for a in command]
        result = run(*args, "--as-of", "2026-11-29", "--repo", root)  # type: ignore[operator]
        outputs.append((result.exit_code, result.output.replace(str(root), "ROOT")))
    assert outputs[0][0] == 0, outputs[0][1]
    assert outputs[0] == outputs[1]
    assert (demo_repo / rel).read_bytes() == (by_code / rel).read_bytes()


def _workbook_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts but the one stamped with the time of writing."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_form_export_of_a_month_loads_that_month_and_writes_the_same_forms(
    run: object, demo_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.forms import select

    loads: list[object] = []
    real_load = Repository.load.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Repository], root: Path, paths: object = None, **kw: object) -> Repository:
        loads.append(paths)
        return real_load(cls, root, paths, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Repository, "load", classmethod(spy))
    outputs = []
    for name, folders in (("lean", select.month_folders), ("whole", lambda root, m: None)):
        monkeypatch.setattr(select, "month_folders", folders)
        out = tmp_path / name
        args = ("form", "export", "--month", "2026-10", "--out", out, "--as-of", "2026-11-29")
        result = run(*args, "--repo", demo_repo)  # type: ignore[operator]
        assert result.exit_code == 0, result.output
        written = sorted((p.name, _workbook_parts(p)) for p in out.iterdir())
        outputs.append((result.output.replace(str(out), "OUT"), written))
    assert loads[0] == [
        demo_repo / "audits" / "2026-10",
        demo_repo / "themed" / "2026-10-supervision",
    ]
    assert loads[1] is None
    assert outputs[0] == outputs[1]
    assert outputs[0][1], "the month has open returns"


def test_grades_read_the_answers_only_for_the_question_table(
    run: object, demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.reports import collate, grades

    asked: list[bool] = []
    real = collate.collect

    def spy(repo: Repository, **kw: object) -> list[collate.AuditRec]:
        asked.append(bool(kw.get("answers", True)))
        return real(repo, **kw)  # type: ignore[arg-type]

    def everything(repo: Repository, **kw: object) -> list[collate.AuditRec]:
        return real(repo, **{**kw, "answers": True})  # type: ignore[arg-type]

    for by in grades.BY:
        outputs = []
        for collect in (spy, everything):
            monkeypatch.setattr(grades, "collect", collect)
            result = run("grades", "--by", by, "-f", "json", "--repo", demo_repo)  # type: ignore[operator]
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
        assert outputs[0] == outputs[1], by
    assert asked == [by == "question" for by in grades.BY]


@contextmanager
def _reparses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files whose text is parsed again by a read of ``.data`` (a valid file's data is
    not kept: each read parses the text again)."""
    seen: list[str] = []
    real = repository.LoadedFile.data

    def data(lf: repository.LoadedFile) -> object:
        if lf._reparse:
            seen.append(lf.rel)
        return real.fget(lf)  # type: ignore[attr-defined]

    with monkeypatch.context() as m:
        m.setattr(repository.LoadedFile, "data", property(data, real.fset))
        yield seen


def test_validation_reads_no_valid_files_data_where_its_model_will_do(
    demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.models.audit import AuditReturn
    from qa_cli.models.common import BELOW_GOOD

    repo = Repository.load(demo_repo)
    below = [
        lf.rel
        for lf in repo.files
        if isinstance(lf.model, AuditReturn)
        and lf.model.qa_review is not None
        and (lf.model.qa_review.agreed_grade in BELOW_GOOD or lf.model.overall_grade in BELOW_GOOD)
    ]
    assert below  # QA460 looks at each of these: where `forwarded_to` is, only on a finding
    with _reparses(monkeypatch) as seen:
        report = validate_repository(repo)
    assert not [d for d in report.diagnostics if d.code in ("QA460", "QA462")]
    assert seen == []


def test_a_form_import_parses_its_return_once(
    run: object, demo_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_cli.forms.importer import import_form

    out = tmp_path / "forms"
    args = ("form", "export", "--month", "2026-10", "--out", out, "--repo", demo_repo)
    assert run(*args, "--as-of", "2026-11-29").exit_code == 0  # type: ignore[operator]
    form = sorted(out.glob("*.xlsx"))[0]
    repo = Repository.load(demo_repo)
    with _reparses(monkeypatch) as seen:
        result = import_form(repo, form.read_bytes(), form.name)
    assert result.outcome == "unchanged"
    assert len(seen) == 1, seen  # was 3: the desired values, the edits, the status
