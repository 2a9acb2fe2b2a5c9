"""Themed audits (§5.3): the scope a new themed return needs, and when the next one is due.

`qa new themed-...` writes a return into ``themed/<YYYY-MM>-<theme>/``; the folder's
``scope.yaml`` is what `qa report themed` and `qa validate` read. :func:`ensure_scope` makes it
when it is missing (pre-filled and valid) or adds the new case to it, through the
byte-preserving edit path, so the report works at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import layout
from .blank import comment, scalar
from .errors import QAError
from .models.themed import ThemedScope
from .models.tool import Tool
from .repository import Repository


@dataclass(frozen=True)
class ScopeChange:
    rel: str
    created: bool  # False: the case was added to an existing scope


def scope_text(tool: Tool, theme: str, month: str, lead: str, case: str) -> str:
    """A new ``qa/themed@1`` scope holding one case: valid as it is, with what to fill in."""
    lines = comment(
        f"Themed audit (§5.3): {tool.title}, {month}. The Lead QA Auditor looks at one theme "
        "across a few cases, in consultation with the Operational Senior Managers, and reports "
        "findings and recommendations (§5.3.2). Written by `qa new`; each new return's case is "
        "added to `cases:`."
    )
    lines += [
        "schema: qa/themed@1",
        f"theme: {scalar(theme)}",
        f"month: {month}",
        f"title: {scalar(tool.title)}",
        f"lead: {lead}",
        f"tool: {tool.ref}",
        *comment("Who was consulted: staff ids of the Operational Senior Managers, e.g. [sm-x]"),
        "consulted: []",
        f"cases: [{case}]",
        *comment("The report's findings and recommendations, once the returns are in:"),
        "recommendations: []",
    ]
    return "\n".join(lines) + "\n"


def ensure_scope(
    repo: Repository, return_rel: str, tool: Tool, lead: str, case: str
) -> ScopeChange | None:
    """Make the themed folder's scope, or add ``case`` to it; None when nothing was needed."""
    from .actions import write_edits

    folder = return_rel.split("/")[1]  # <YYYY-MM>-<theme>
    month, theme = folder[:7], folder[8:]
    rel = layout.themed_scope_path(month, theme)
    lf = next((f for f in repo.files if f.rel == rel), None)
    if lf is None:
        repo.write_new(rel, scope_text(tool, theme, month, lead, case))
        return ScopeChange(rel, True)
    if not isinstance(lf.model, ThemedScope):
        raise QAError(
            f"{rel} does not pass validation, so the new case was not added to it",
            f"run `qa validate {rel}`, fix it, and add {case[:4]}... to its `cases:`",
        )
    if case in lf.model.cases:
        return None
    from .yamledit import Edit

    write_edits(repo, lf, [Edit(("cases",), [*lf.model.cases, case])])
    return ScopeChange(rel, False)


def after_new(repo: Repository, rel: str, text: str) -> ScopeChange | None:
    """What `qa new` does after writing a themed return: make or extend the folder's scope."""
    from . import yamlio

    if not rel.startswith("themed/"):
        return None
    data = yamlio.load_text(text)
    assert isinstance(data, dict)  # `qa new` checked the text against its model
    tool = repo.tools[str(data["tool"])]
    return ensure_scope(repo, rel, tool, str(data["auditors"][0]), str(data["case"]))
