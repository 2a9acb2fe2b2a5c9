"""SARIF 2.1.0: the findings in the format code-scanning tools read (GitHub, GitLab, IDEs).

One result per finding, with the rule's title and explanation from the rule registry. Findings
silenced by `# qa: disable=` are kept as results marked suppressed in source, so a reviewer
still sees them.
"""

from __future__ import annotations

import json
from typing import Any

from .diagnostics import Diagnostic, ValidationReport
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS_PAGE = "docs/rules.md of the qa toolkit"


def _rule(code: str) -> dict[str, Any]:
    r = RULES[code]
    return {
        "id": r.code,
        "name": "".join(w.capitalize() for w in r.title.replace("-", " ").split()),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.explanation},
        "defaultConfiguration": {"level": "error" if r.severity == "error" else "warning"},
        "help": {"text": f"{r.explanation} Every rule: `qa rules`, or {DOCS_PAGE}."},
    }


def _result(d: Diagnostic, index: dict[str, int], suppressed: bool) -> dict[str, Any]:
    text = d.message + (f" How to fix: {d.hint}" if d.hint else "")
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": "error" if d.severity == "error" else "warning",
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                }
            }
        ],
    }
    if suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": "# qa: disable"}]
    return result


def as_sarif(report: ValidationReport, strict: bool = False) -> str:
    """The report as one SARIF 2.1.0 run of the `qa` tool."""
    from .. import __version__

    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    results = [_result(d, index, False) for d in report.sorted()]
    results += [_result(d, index, True) for d in sorted(set(report.suppressed))]
    run = {
        "tool": {
            "driver": {
                "name": "qa",
                "version": __version__,
                "rules": [_rule(c) for c in codes],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the audit repository"}}},
        "invocations": [
            {
                "executionSuccessful": True,
                "exitCode": 1 if report.failed(strict) else 0,
            }
        ],
        "results": results,
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
