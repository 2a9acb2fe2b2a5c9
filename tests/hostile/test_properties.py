"""Property-based tests (hypothesis) of the YAML layer and the byte-preserving edit path.

Example counts are kept modest for CI and recorded in the run's summary line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qa_cli import yamledit, yamlio
from qa_cli.cli import app

from .conftest import COUNTS

BASE = Path(__file__).resolve().parent.parent / "cases" / "base"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# --- random mutations of a valid return never crash `qa validate` ----------------------------

_NASTY = "[]{}:-#&*!|>'\"%@`,?<\t\n\r\x00\x07\ufeff\u2028é漢 "
_pieces = st.one_of(
    st.text(alphabet=_NASTY, min_size=1, max_size=6),
    st.sampled_from(
        [
            "<<: ",
            "&a ",
            "*a",
            "!!python/name:os.system",
            "9999-12-31",
            "- ",
            "\n  ",
            "[" * 80,
            "{" * 80,
            "\t",
            "---\n",
            "...\n",
            "? ",
            "!!binary |",
        ]
    ),
)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    text = (BASE / AUDIT).read_text()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "swap"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(_pieces) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(BASE, repo)
    return repo


@SETTINGS
@given(data=_mutated())
def test_mutated_returns_never_crash_validate(small_repo: Path, data: bytes) -> None:
    path = small_repo / AUDIT
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        r = CliRunner().invoke(
            app, ["validate", "--format", "json", "--repo", str(small_repo)], catch_exceptions=False
        )
    finally:
        path.write_bytes(original)
    assert r.exit_code in (0, 1), r.output[-2000:]
    assert "Traceback" not in r.output and "internal problem" not in r.output
    for d in json.loads(r.stdout)["diagnostics"]:
        assert d["line"] >= 1 and d["column"] >= 1 and d["message"]
    assert path.read_bytes() == original and not list(small_repo.glob(".qa/internal-problems/*"))
    COUNTS["fuzz examples (mutated returns)"] += 1


# --- generated documents: loading changes nothing; an edit changes only its own lines ---------

_key = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)
_scalar = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.()'-]{0,30}", fullmatch=True).map(str.strip),
    st.integers(-1000, 10_000),
    st.booleans(),
    st.dates(min_value=__import__("datetime").date(1990, 1, 1)).map(lambda d: d.isoformat()),
)


@st.composite
def _document(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(text, top-level keys): a block mapping with comments, nested blocks and lists."""
    keys = draw(st.lists(_key, min_size=2, max_size=8, unique=True))
    indent = draw(st.sampled_from([2, 4]))
    lines = ["# generated " + draw(st.text(alphabet="abc #:", max_size=10)), "schema: qa/x@1"]
    keys = [k for k in keys if k != "schema"]
    for k in keys:
        shape = draw(st.sampled_from(["scalar", "scalar", "map", "list", "flow"]))
        comment = draw(st.sampled_from(["", "  # note", "  #"]))
        if shape == "scalar":
            lines.append(f"{k}: {yamledit.format_scalar(draw(_scalar))}{comment}")
        elif shape == "map":
            lines.append(f"{k}:{comment}")
            for sub in draw(st.lists(_key, min_size=1, max_size=3, unique=True)):
                lines.append(f"{' ' * indent}{sub}: {yamledit.format_scalar(draw(_scalar))}")
        elif shape == "list":
            lines.append(f"{k}:")
            for v in draw(st.lists(_scalar, min_size=1, max_size=3)):
                lines.append(f"{' ' * indent}- {yamledit.format_scalar(v)}")
        else:
            items = draw(st.lists(_scalar, max_size=3))
            lines.append(f"{k}: {yamledit.format_value(items)}{comment}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# between", "   # indented comment"])))
    return "\n".join(lines) + "\n", keys


def _as_file(text: str, bom: bool, crlf: bool) -> bytes:
    body = text.replace("\n", "\r\n") if crlf else text
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode()


@SETTINGS
@given(doc=_document(), bom=st.booleans(), crlf=st.booleans())
def test_load_without_change_is_byte_identical(doc: tuple[str, list[str]], bom: bool, crlf: bool):
    raw = _as_file(doc[0], bom, crlf)
    assert isinstance(yamlio.load_fast(raw), dict)
    assert yamledit.edit_bytes(raw, [], yamlio.load_text) == raw
    COUNTS["fuzz examples (load unchanged)"] += 1


@SETTINGS
@given(doc=_document(), value=_scalar, pick=st.integers(0, 100), crlf=st.booleans())
def test_an_edit_changes_only_its_own_lines(
    doc: tuple[str, list[str]], value: object, pick: int, crlf: bool
) -> None:
    text, keys = doc
    data = yamlio.load_text(text)
    assert isinstance(data, dict)
    scalars = [k for k in keys if not isinstance(data[k], dict | list)]
    raw = _as_file(text, False, crlf)
    if scalars:
        key = scalars[pick % len(scalars)]
        new = yamledit.edit_bytes(raw, [yamledit.Edit((key,), value)], yamlio.load_text)
        old_lines, new_lines = raw.split(b"\n"), new.split(b"\n")
        assert len(old_lines) == len(new_lines)
        changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
        start = f"{key}:".encode()
        key_line = next(i for i, line in enumerate(old_lines) if line.startswith(start))
        assert changed in ([], [key_line])
    item = {"case": "C-AAAAAAAA", "n": pick}
    appended = yamledit.edit_bytes(raw, [yamledit.Append(("added",), (item,))], yamlio.load_text)
    old = raw.split(b"\n")
    new = appended.split(b"\n")
    assert [line for line in new if line in old] == old  # every old line, in order, unchanged
    assert (b"\r\n" in appended) == crlf
    COUNTS["fuzz examples (edits)"] += 1
