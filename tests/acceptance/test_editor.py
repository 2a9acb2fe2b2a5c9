"""Editors out of the box: schema lines, committed schemas, VS Code settings, language server."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF

from qa_cli.editor import MODELINE

GRADES = {"outstanding", "good", "requires_improvement", "inadequate"}
BLANK = "themed/2026-11-supervision/C-0TRR1488--themed-supervision.yaml"


def schema_of(repo: Path, rel: str) -> tuple[Path, dict[str, Any]]:
    """The schema a file's first line points at (resolved from the file's folder)."""
    first = (repo / rel).read_text().split("\n", 1)[0]
    assert first.startswith(MODELINE), first
    path = ((repo / rel).parent / first.removeprefix(MODELINE)).resolve()
    return path, json.loads(path.read_text())


def grade_question(repo: Path) -> str:
    from qa_cli import yamlio

    tool = yamlio.load_text((repo / "audit_tools/themed-supervision.yaml").read_text())
    return next(
        q["id"] for s in tool["sections"] for q in s["questions"] if q.get("type") == "grade"
    )


def offered(schema: dict[str, Any], question: str) -> set[str]:
    answer = schema["properties"]["answers"]["properties"][question]
    return {v for option in answer["anyOf"] for v in option.get("enum", [])}


def test_init_writes_schema_lines_schemas_and_vscode_settings(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git").exit_code == 0
    yaml_files = [
        p.relative_to(target).as_posix()
        for p in target.rglob("*.yaml")
        if not p.relative_to(target).as_posix().startswith(".")
    ]
    assert "qa.yaml" in yaml_files and len(yaml_files) > 5
    for rel in yaml_files:
        path, schema = schema_of(target, rel)
        assert path.parent == (target / "schemas").resolve()
    assert schema_of(target, "qa.yaml")[1]["title"] == "qa/config@1"
    extensions = json.loads((target / ".vscode/extensions.json").read_text())
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]
    settings = json.loads((target / ".vscode/settings.json").read_text())
    for schema_path, globs in settings["yaml.schemas"].items():
        assert (target / schema_path).is_file(), schema_path
        assert globs
    assert run("validate", "--repo", target, "--strict").exit_code == 0


def test_a_blank_returns_schema_offers_the_tools_grades(demo_repo: Path, run) -> None:
    assert run("schema", "export", "--repo", demo_repo).exit_code == 0
    created = run(
        "new", "themed-supervision", "--case", "C-0TRR1488", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert created.exit_code == 0, created.output
    path, schema = schema_of(demo_repo, BLANK)
    assert path.name == "tool-themed-supervision@1.schema.json"
    question = grade_question(demo_repo)
    assert offered(schema, question) == GRADES
    # The same schema by file name, for a file without the line (VS Code settings).
    from qa_cli.editor import vscode_files
    from qa_cli.repository import Repository

    settings = json.loads(vscode_files(Repository.load(demo_repo).tools)[".vscode/settings.json"])
    mapped = [
        schema_path
        for schema_path, globs in settings["yaml.schemas"].items()
        if any(fnmatch.fnmatch(BLANK, g) for g in globs)
    ]
    assert mapped == ["schemas/tool-themed-supervision@1.schema.json"]
    assert run("validate", "--repo", demo_repo, "--strict").exit_code == 0


def test_stale_schemas_warn_and_export_refreshes_them(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git").exit_code == 0
    tool = target / "audit_tools/themed-supervision.yaml"
    tool.write_text(tool.read_text().replace("version: 1", "version: 2", 1))
    tool.rename(target / "audit_tools/themed-supervision@2.yaml")
    result = run("validate", "--repo", target, "-f", "json")
    found = {(d["code"], d["path"]) for d in json.loads(result.output)["diagnostics"]}
    assert ("QA701", "schemas/tool-themed-supervision@2.schema.json") in found
    assert result.exit_code == 0, "a stale schema is a warning"
    assert run("validate", "--repo", target, "--strict").exit_code == 1
    export = run("schema", "export", "--repo", target)
    assert export.exit_code == 0 and "1 written" in export.output
    result = run("validate", "--repo", target, "-f", "json")
    assert "QA701" not in result.output


def test_a_wrong_schema_line_is_a_located_warning(tmp_path: Path, run) -> None:
    target = tmp_path / "audits"
    assert run("init", target, "--no-git").exit_code == 0
    config = target / "qa.yaml"
    text = config.read_text()
    config.write_text(text.replace("config@1.schema.json", "audit@1.schema.json", 1))
    result = run("validate", "--repo", target, "-f", "text")
    assert "qa.yaml:1:1: warning QA702" in result.output
    assert "schemas/config@1.schema.json" in result.output


# --- the YAML language server itself, when it is installed -----------------------------------


def language_server() -> str | None:
    return os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")


class Lsp:
    """A minimal LSP client over stdio: requests with ids, answers to the server's requests."""

    def __init__(self, command: str) -> None:
        self.proc = subprocess.Popen(
            [command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.next_id = 0

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while (line := self.proc.stdout.readline().strip()) != b"":
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params: dict[str, Any], timeout: float = 60) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.read()
            if "method" in msg and "id" in msg:  # the server asks: settings, registrations
                items = msg.get("params", {}).get("items", [])
                result = [{"validate": True, "completion": True, "hover": True}] * len(items)
                self.send({"id": msg["id"], "result": result if items else None})
            elif msg.get("id") == self.next_id:
                return msg.get("result")
        raise AssertionError(f"no answer to {method}")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.mark.skipif(language_server() is None, reason="yaml-language-server is not installed")
def test_the_language_server_completes_a_blank_returns_grades(demo_repo: Path, run) -> None:
    assert run("schema", "export", "--repo", demo_repo).exit_code == 0
    created = run(
        "new", "themed-supervision", "--case", "C-0TRR1488", "--as-of", AS_OF, "--repo", demo_repo
    )
    assert created.exit_code == 0
    path = demo_repo / BLANK
    question = grade_question(demo_repo)
    lines = path.read_text().split("\n")
    line = next(i for i, text in enumerate(lines) if text == f"  {question}:")
    lines[line] += " "
    server = Lsp(str(language_server()))
    try:
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": demo_repo.as_uri(),
                "capabilities": {"textDocument": {"completion": {}, "hover": {}}},
            },
        )
        server.send({"method": "initialized", "params": {}})
        doc = {"uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": "\n".join(lines)}
        server.send({"method": "textDocument/didOpen", "params": {"textDocument": doc}})
        result = server.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": path.as_uri()},
                "position": {"line": line, "character": len(lines[line])},
            },
        )
        items = result["items"] if isinstance(result, dict) else result
        labels = {item["label"] for item in items}
        assert GRADES <= labels, labels
        hover = server.request(
            "textDocument/hover",
            {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": 4}},
        )
        assert hover and "contents" in hover
    finally:
        server.close()
