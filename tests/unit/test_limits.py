"""Limits checked before a parser runs: depth, line length, merge keys, encodings, XLSX."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from qa_cli import limits, yamlio

HEAD = "schema: qa/audit@1\n"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (HEAD + "x: " + "[" * 20_000 + "]" * 20_000 + "\n", "QA015", 2),
        (HEAD + "x: " + "[" * 9_000 + "]" * 9_000 + "\n", "QA014", 2),
        (HEAD + "x:\n" + "".join("[\n" for _ in range(20_000)), "QA014", 66),
        (HEAD + "x: " + "{a: " * 3_000 + "1" + "}" * 3_000 + "\n", "QA014", 2),
        (HEAD + "".join(" " * i + f"k{i}:\n" for i in range(100)), "QA014", 66),
        (HEAD + "x:\n" + "- " * 300 + "a\n", "QA014", 3),
        (HEAD + "x:\n  <<: {status: closed}\n", "QA016", 3),
        (HEAD + "<<: {status: closed}\n", "QA016", 2),
        (HEAD + "x: [a, <<]\n", "QA016", 2),  # a plain `<<` is the merge tag even as a value
        (HEAD + "x: a << b\n", None, None),
        (HEAD + "x: a\x00b\n", "QA017", 2),
        (HEAD + "x: " + "w " * 15_000 + "\n", "QA015", 2),
        (HEAD + 'x: "<<: not a key"\n', None, None),
        (HEAD + "x: [1, [2, {a: '[[[[[['}]]  # [[[[\n", None, None),
    ],
)
def test_limits_are_found_before_parsing(text: str, code: str | None, line: int | None) -> None:
    start = time.perf_counter()
    result = yamlio.load_fast(text.encode())
    assert time.perf_counter() - start < 2.0
    if code is None:
        assert isinstance(result, dict)
    else:
        assert isinstance(result, yamlio.YamlProblem), result
        assert (result.code, result.line) == (code, line), result


@pytest.mark.parametrize(
    ("data", "word"),
    [
        ((HEAD + "x: 1\n").encode("utf-16-le"), "UTF-16 text (little-endian, no byte-order"),
        ((HEAD + "x: 1\n").encode("utf-16-be"), "UTF-16 text (big-endian, no byte-order"),
        ((HEAD + "x: 1\n").encode("utf-16"), "UTF-16 (little-endian, with a byte-order mark)"),
        ((HEAD + "x: 1\n").encode("utf-32"), "UTF-32"),
        (b"schema: qa/audit@1\nnote: caf\xe9\n", "not UTF-8 text"),
    ],
)
def test_encodings_are_named_truthfully(data: bytes, word: str) -> None:
    result = yamlio.load_fast(data)
    assert isinstance(result, yamlio.YamlProblem)
    assert result.code == "QA001" and word in result.message
    assert "tab" not in result.message


def test_a_merge_key_never_reaches_the_data() -> None:
    assert isinstance(yamlio.load_text(HEAD + "x:\n  <<: {status: closed}\n"), yamlio.YamlProblem)


def _xlsx(path: Path, sheet: bytes, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compress) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_xlsx_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    bomb = _xlsx(tmp_path / "bomb.xlsx", b"<worksheet>" + b" " * 30_000_000 + b"</worksheet>")
    assert bomb.stat().st_size < 100_000
    problem = limits.xlsx_problem(bomb)
    assert problem is not None and "zip bomb" in problem


def test_xlsx_declared_rows_over_the_limit_are_refused(tmp_path: Path) -> None:
    sheet = b'<worksheet><dimension ref="A1:F2000000"/><sheetData/></worksheet>'
    problem = limits.xlsx_problem(_xlsx(tmp_path / "rows.xlsx", sheet))
    assert problem is not None and "2,000,000 rows" in problem


def test_xlsx_within_limits_passes(tmp_path: Path) -> None:
    sheet = b'<worksheet><dimension ref="A1:F20"/><sheetData/></worksheet>'
    assert limits.xlsx_problem(_xlsx(tmp_path / "ok.xlsx", sheet)) is None
    (tmp_path / "not.xlsx").write_bytes(b"plain text")
    assert "not a valid XLSX" in (limits.xlsx_problem(tmp_path / "not.xlsx") or "")
