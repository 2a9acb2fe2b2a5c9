"""QA206: a published tool version edited in place, found by comparing with git history.

Returns name the tool version they answer, so a version must never change once committed:
changing questions means a new version. The first committed text of the file with the same
version number is the published one; the tool as it is now must mean the same (comments and
layout may differ). Outside git there is no history, and nothing is checked.
"""

from __future__ import annotations

from pydantic import ValidationError

from .. import gitutil, yamlio
from ..models.tool import Tool
from ..repository import LoadedFile, Repository
from .diagnostics import Diagnostic
from .schema import at


def _published(repo: Repository, lf: LoadedFile, tool: Tool) -> tuple[str, Tool] | None:
    """The first committed version of the file with this tool's id and version."""
    for commit, text in gitutil.committed_versions(repo.root, lf.path):
        data = yamlio.load_text(text)
        if not isinstance(data, dict):
            continue
        try:
            old = Tool.model_validate(data)
        except ValidationError:
            continue
        if old.ref == tool.ref:
            return commit, old
    return None


def check_tool_history(repo: Repository, selected: list[LoadedFile]) -> list[Diagnostic]:
    tools = [lf for lf in selected if lf.kind == "qa/tool" and isinstance(lf.model, Tool)]
    if not tools or gitutil.work_tree(repo.root) is None:
        return []
    from ..tooldiff import diff_tools  # only when a tool is checked (~5 ms of an import)

    out: list[Diagnostic] = []
    for lf in tools:
        tool = lf.model
        assert isinstance(tool, Tool)
        found = _published(repo, lf, tool)
        if found is None or found[1].model_dump() == tool.model_dump():
            continue
        commit, old = found
        changes = diff_tools(old, tool)
        said = "; ".join(
            f"{'BREAKING ' if c.breaking else ''}{c.question + ': ' if c.question else ''}"
            f"{c.detail}"
            for c in changes[:3]
        )
        more = f" (and {len(changes) - 3} more)" if len(changes) > 3 else ""
        out.append(
            at(
                lf,
                "QA206",
                ["version"],
                f"{tool.ref} was changed after it was first committed (commit {commit[:10]}): "
                f"{said or 'details changed'}{more}",
                f"returns point at {tool.ref}, so it must stay as published: undo the edit "
                f"(`git checkout {commit[:10]} -- {lf.rel}`), then write the changes as "
                f"`version: {tool.version + 1}` (keep version {tool.version} as "
                f"audit_tools/{tool.id}@{tool.version}.yaml); `qa tools diff` lists them",
            )
        )
    return out
