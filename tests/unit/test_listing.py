"""The repository's listing: every YAML file, in path order part by part."""

from __future__ import annotations

from pathlib import Path

from qa_cli.repository import iter_yaml_files

TREE = [
    "a/x.yaml",
    "a-b/x.yaml",
    "a b/x.yaml",
    "a.yaml",
    "a/b/c.yaml",
    "A/z.yml",
    "a/b.yaml",
    "ab.yaml",
    "a/b-c/d.yaml",
    "a/b/a.yaml",
    "_/x.yaml",
    "0/x.yaml",
    "é/x.yaml",
    "a/notes.txt",
    ".hidden/x.yaml",
    "reports/x.yaml",
]


def test_files_are_listed_part_by_part(tmp_path: Path) -> None:
    for rel in TREE:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x: 1\n")
    listed = [p.relative_to(tmp_path.resolve()).as_posix() for p in iter_yaml_files(tmp_path)]
    wanted = [r for r in TREE if r.endswith((".yaml", ".yml")) and r.split("/")[0][0] != "."]
    wanted = [r for r in wanted if not r.startswith("reports/")]
    assert listed == sorted(wanted, key=lambda r: r.split("/"))
