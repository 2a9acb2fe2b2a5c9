"""The toolkit's report templates are kept compiled beside them (as Python keeps its
``__pycache__``): the same text, a damaged entry compiled again, a repository's own
template never taken from or put in that cache."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from qa_cli.reports import markdown


def _env(toolkit: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(toolkit)), bytecode_cache=markdown._compiled(toolkit)
    )
    env.trim_blocks = True
    return env


def test_a_template_is_kept_compiled_and_a_damaged_entry_compiled_again(tmp_path: Path) -> None:
    toolkit = tmp_path / "templates"
    toolkit.mkdir()
    (toolkit / "t.md.j2").write_text("{% for x in xs %}- {{ x }}\n{% endfor %}")
    assert _env(toolkit).get_template("t.md.j2").render(xs=[1, 2]) == "- 1\n- 2\n"
    kept = list((tmp_path / "__pycache__" / "jinja").iterdir())
    assert len(kept) == 1
    assert _env(toolkit).get_template("t.md.j2").render(xs=[3]) == "- 3\n"  # from the cache
    kept[0].write_bytes(kept[0].read_bytes()[:40] + b"\x00damaged")
    assert _env(toolkit).get_template("t.md.j2").render(xs=[4]) == "- 4\n"
    (toolkit / "t.md.j2").write_text("{{ xs | length }} items")  # the source changed
    assert _env(toolkit).get_template("t.md.j2").render(xs=[4, 5]) == "2 items"


def test_no_cache_where_it_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "__pycache__").write_text("a file, not a folder")
    assert markdown._compiled(tmp_path / "templates") is None


def test_a_repository_template_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "monthly.md.j2").write_text("# {{ meta.month }}\n")

    def refuse(toolkit: Path) -> None:
        raise AssertionError("a repository's template went through the compiled cache")

    monkeypatch.setattr(markdown, "_compiled", refuse)
    assert markdown.render("monthly.md.j2", {"meta": {"month": "2026-10"}}, own) == "# 2026-10\n"
