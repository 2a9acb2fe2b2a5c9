"""`# qa: disable=QA123` on a line silences those rules on that line; every use is counted.

A suppression is a decision someone made in the file itself, so it stays visible: the summary
counts the findings it silenced and SARIF keeps them as suppressed results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .diagnostics import Diagnostic

# Personal data is never silenced by a comment in the file that holds it: it must be removed
# (qa.yaml privacy.warnings, an IG decision recorded in one place, can lower a rule).
_NEVER_SILENCED = ("QA5",)
_DIRECTIVE = re.compile(r"#\s*qa:\s*disable=([A-Za-z0-9, ]+)")


def disabled_codes(line: str) -> frozenset[str]:
    """The rule codes a line's `# qa: disable=...` comment names (empty when none)."""
    m = _DIRECTIVE.search(line)
    if m is None:
        return frozenset()
    return frozenset(c.strip().upper() for c in m[1].split(",") if c.strip())


def split_suppressed(
    diagnostics: Iterable[Diagnostic], texts: dict[str, str | None]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(kept, suppressed): a finding is suppressed when its line disables its code."""
    lines: dict[str, list[str]] = {}
    kept: list[Diagnostic] = []
    suppressed: list[Diagnostic] = []
    for d in diagnostics:
        text = texts.get(d.path)
        if text is None or "qa:" not in text:
            kept.append(d)
            continue
        file_lines = lines.setdefault(d.path, text.splitlines())
        line = file_lines[d.line - 1] if 0 < d.line <= len(file_lines) else ""
        silenced = d.code in disabled_codes(line) and not d.code.startswith(_NEVER_SILENCED)
        (suppressed if silenced else kept).append(d)
    return kept, suppressed
