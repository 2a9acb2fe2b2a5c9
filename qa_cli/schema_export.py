"""JSON Schemas of the file kinds and of each audit tool's answers, for editor autocompletion.

An editor with a YAML language server (VS Code's YAML extension, for example) uses them to
suggest keys, show each question's text and guidance on hover, and underline a misspelt grade
while the auditor types, before `qa validate` runs.
"""

from __future__ import annotations

import functools
from typing import Any

from .models import KINDS
from .models.tool import CLOSED_ANSWERS, Question, Tool


@functools.cache
def kind_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, one per file kind and version (built once: the models are
    fixed for a run, and `qa validate` compares them with schemas/ on every run). Callers copy
    before changing a schema."""
    out: dict[str, dict[str, Any]] = {}
    for kind, versions in KINDS.items():
        for version, model in versions.items():
            schema = model.model_json_schema(by_alias=True)
            schema["title"] = f"{kind}@{version}"
            out[f"{kind.removeprefix('qa/')}@{version}.schema.json"] = schema
    return out


def _answer_schema(q: Question) -> dict[str, Any]:
    doc = q.text + (f"\n\n{q.guidance}" if q.guidance else "")
    if q.descriptors is not None:
        doc += "".join(
            f"\n- {grade}: {text}"
            for grade, text in q.descriptors.model_dump().items()
            if text is not None
        )
    value: dict[str, Any]
    if q.type in CLOSED_ANSWERS and q.type != "check":
        value = {"enum": list(CLOSED_ANSWERS[q.type])}
    elif q.type == "choice":
        value = {"enum": list(q.options or [])}
    elif q.type == "multi_choice":
        value = {"type": "array", "items": {"enum": list(q.options or [])}}
    elif q.type == "number":
        value = {"type": "number"}
    elif q.type == "date":
        value = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif q.type == "check":
        tick = {"enum": list(CLOSED_ANSWERS["check"])}
        return {
            "description": doc,
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {
                "social_worker": tick,
                "manager": tick,
                "comment": {"type": "string"},
                "checked": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            },
        }
    else:
        value = {"type": "string"}
    with_comment = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"answer": value, "comment": {"type": "string"}},
    }
    return {"description": doc, "anyOf": [value, with_comment, {"type": "null"}]}


def tool_schema(tool: Tool, kind_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a return answering ``tool``: its kind's schema with the answers spelled out."""
    schema = dict(kind_schema)
    props = dict(schema.get("properties", {}))
    props["tool"] = {"const": tool.ref}
    props["answers"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {q.id: _answer_schema(q) for q in tool.questions().values()},
    }
    schema["properties"] = props
    schema["title"] = f"{tool.title} ({tool.ref})"
    return schema


RETURN_KIND_OF_TOOL = {
    "single-agency": "audit@1",
    "themed": "audit@1",
    "crib-sheet": "crib-sheet@1",
    "observation": "observation@1",
    "complaint": "complaint@1",
    "multi-agency": "agency-return@1",
    "monitoring": "monitoring@1",
    "midpoint": "midpoint-review@1",
}


def all_schemas(tools: dict[str, Tool]) -> dict[str, dict[str, Any]]:
    kinds = kind_schemas()
    out = dict(kinds)
    for ref, tool in sorted(tools.items()):
        base = kinds[f"{RETURN_KIND_OF_TOOL[tool.kind]}.schema.json"]
        out[f"tool-{ref}.schema.json"] = tool_schema(tool, base)
    return out
