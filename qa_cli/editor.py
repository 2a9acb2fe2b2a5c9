"""Editors out of the box: schema modelines, the committed `schemas/` folder, VS Code settings.

Every YAML file qa creates starts with ``# yaml-language-server: $schema=<relative path>``,
pointing at a JSON Schema committed under ``schemas/`` of the audit repository. The YAML
language server (VS Code's YAML extension, and other editors using it) reads that line, so a
blank return offers its tool's answers and grades, and shows each question's guidance on hover,
with no set-up. `.vscode/settings.json` maps the same schemas by file name, for files written
by hand without the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .models.tool import Tool

SCHEMAS_DIR = "schemas"
MODELINE = "# yaml-language-server: $schema="
_SCHEMA_LINE = re.compile(r"^schema:\s*qa/([a-z0-9-]+@\d+)\s*$", re.M)
_TOOL_LINE = re.compile(r"^tool:\s*([a-z0-9-]+@\d+)\s*$", re.M)
# Kinds whose answers are checked against a tool: their schema is the tool's own.
RETURN_KINDS = frozenset(
    {
        "audit@1",
        "crib-sheet@1",
        "observation@1",
        "complaint@1",
        "agency-return@1",
        "monitoring@1",
        "midpoint-review@1",
    }
)


def schema_name(kind: str, tool: str | None) -> str:
    """The schema file for a file of ``kind`` (``audit@1``) answering ``tool`` (``id@1``)."""
    if kind in RETURN_KINDS and tool:
        return f"tool-{tool}.schema.json"
    return f"{kind}.schema.json"


def schema_name_of_text(text: str) -> str | None:
    """The schema file for a file's text, from its top-level `schema:` and `tool:` lines."""
    kind = _SCHEMA_LINE.search(text)
    if kind is None:
        return None
    tool = _TOOL_LINE.search(text)
    return schema_name(kind[1], tool[1] if tool else None)


def modeline(rel: str, name: str) -> str:
    """The first line of the file at ``rel`` (repository-relative, /-separated)."""
    return f"{MODELINE}{'../' * rel.count('/')}{SCHEMAS_DIR}/{name}"


def with_modeline(rel: str, text: str) -> str:
    """``text`` with the schema line first (unchanged if it has one or names no kind)."""
    if not rel.endswith((".yaml", ".yml")) or text.startswith(MODELINE):
        return text
    name = schema_name_of_text(text)
    return text if name is None else f"{modeline(rel, name)}\n{text}"


def expected_modeline(rel: str, text: str) -> tuple[str, str] | None:
    """(the file's modeline, the one it should have), when it has one that differs."""
    if not text.startswith(MODELINE):
        return None
    first = text.split("\n", 1)[0].rstrip("\r")
    name = schema_name_of_text(text)
    if name is None:
        return None
    wanted = modeline(rel, name)
    return None if first == wanted else (first, wanted)


def _globs(pattern: str) -> str:
    """A layout pattern (``audits/<YYYY-MM>/<case>--<tool>.yaml``) as a glob."""
    return re.sub(r"<[^>]+>", "*", re.sub(r"\[[^\]]*\]", "", pattern))


# Where each tool kind's returns live: the glob for one tool id.
_RETURN_GLOBS = {
    "single-agency": ["audits/*/*--{id}.yaml", "themed/*/*--{id}.yaml"],
    "themed": ["audits/*/*--{id}.yaml", "themed/*/*--{id}.yaml"],
    "crib-sheet": ["crib-sheets/*/*.yaml"],
    "observation": ["observations/*/*.yaml"],
    "complaint": ["complaints/*/*.yaml"],
    "multi-agency": ["multi-agency/*/returns/*.yaml"],
    "monitoring": ["monitoring/*/*--*_conference--*.yaml", "monitoring/*/*--*_review--*.yaml"],
    "midpoint": ["monitoring/*/*--midpoint--*.yaml"],
}


def schema_mapping(tools: Mapping[str, Tool]) -> dict[str, list[str]]:
    """`yaml.schemas` for VS Code: schema path -> the globs of the files it describes.

    Returns map to their tool's newest version (a file's own modeline wins over this); a tool
    kind with several tools sharing one folder (crib sheets...) maps to none of them.
    """
    from .layout import FILE_KINDS

    out: dict[str, list[str]] = {}
    for kind, fk in FILE_KINDS.items():
        name = kind.removeprefix("qa/") + "@1"
        if name not in RETURN_KINDS:
            out[f"{SCHEMAS_DIR}/{name}.schema.json"] = [_globs(fk.pattern)]
    newest: dict[str, Tool] = {}
    for tool in tools.values():
        if tool.id not in newest or tool.version > newest[tool.id].version:
            newest[tool.id] = tool
    claimed: dict[str, list[str]] = {}
    for tool in newest.values():
        for glob in _RETURN_GLOBS.get(tool.kind, []):
            claimed.setdefault(glob.format(id=tool.id), []).append(tool.ref)
    for glob, refs in sorted(claimed.items()):
        if len(refs) == 1:
            out.setdefault(f"{SCHEMAS_DIR}/tool-{refs[0]}.schema.json", []).append(glob)
    return out


def vscode_files(tools: Mapping[str, Tool]) -> dict[str, str]:
    """`.vscode/settings.json` and `.vscode/extensions.json` of an audit repository."""
    settings: dict[str, Any] = {
        "yaml.schemas": schema_mapping(tools),
        "yaml.validate": True,
        "yaml.completion": True,
        "yaml.hover": True,
        "yaml.format.enable": False,
        "[yaml]": {
            "editor.tabSize": 2,
            "editor.insertSpaces": True,
            "editor.quickSuggestions": {"other": True, "comments": False, "strings": True},
        },
        "files.trimTrailingWhitespace": True,
        "files.insertFinalNewline": True,
    }
    extensions = {"recommendations": ["redhat.vscode-yaml"]}
    return {
        ".vscode/settings.json": json.dumps(settings, indent=2) + "\n",
        ".vscode/extensions.json": json.dumps(extensions, indent=2) + "\n",
    }


def schema_files(tools: Mapping[str, Tool]) -> dict[str, str]:
    """The committed schemas: ``schemas/<name>`` -> JSON text (what `qa schema export` writes)."""
    from .schema_export import all_schemas

    return {
        f"{SCHEMAS_DIR}/{name}": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in all_schemas(dict(tools)).items()
    }
