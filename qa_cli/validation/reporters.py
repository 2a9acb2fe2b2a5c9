"""Render a validation report as text, JSON, GitHub workflow annotations or JUnit XML."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .diagnostics import Diagnostic, Report
from .rules import RULES


def summary(report: Report) -> str:
    e, w = len(report.errors), len(report.warnings)
    if not e and not w:
        return f"{report.files_checked} files checked: no problems found."
    return (
        f"{report.files_checked} files checked: {e} error{'s' * (e != 1)}, "
        f"{w} warning{'s' * (w != 1)}."
    )


def text_lines(d: Diagnostic) -> list[str]:
    title = RULES[d.code].title
    lines = [f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} ({title}): {d.message}"]
    if d.hint:
        first, *rest = d.hint.split("\n")
        lines.append(f"    how to fix: {first}")
        lines += [f"    {r}" for r in rest]
    return lines


def as_text(report: Report) -> str:
    out: list[str] = []
    for d in report.sorted():
        out += text_lines(d)
    out.append(summary(report))
    return "\n".join(out) + "\n"


def as_json(report: Report) -> str:
    return (
        json.dumps(
            {
                "files_checked": report.files_checked,
                "errors": len(report.errors),
                "warnings": len(report.warnings),
                "diagnostics": [d.as_dict() for d in report.sorted()],
            },
            indent=2,
        )
        + "\n"
    )


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def as_github(report: Report) -> str:
    """GitHub workflow commands: one annotation per finding, shown on the pull request."""
    out = []
    for d in report.sorted():
        level = "error" if d.severity == "error" else "warning"
        msg = d.message + (f"\nHow to fix: {d.hint}" if d.hint else "")
        out.append(
            f"::{level} file={_gh_escape(d.path, True)},line={d.line},col={d.column},"
            f"title={_gh_escape(d.code + ' ' + RULES[d.code].title, True)}::{_gh_escape(msg)}"
        )
    out.append(summary(report))
    return "\n".join(out) + "\n"


def as_junit(report: Report) -> str:
    diags = report.sorted()
    cases = []
    for d in diags:
        body = escape(d.message + (f"\nHow to fix: {d.hint}" if d.hint else ""))
        tag = "failure" if d.severity == "error" else "skipped"
        name = quoteattr(f"{d.code} line {d.line}")
        cases.append(
            f"  <testcase classname={quoteattr(d.path)} name={name}>"
            f"<{tag} message={quoteattr(d.message)}>{body}</{tag}></testcase>"
        )
    if not cases:
        cases.append('  <testcase classname="qa" name="validate"/>')
    head = (
        f'<testsuite name="qa validate" tests="{max(len(diags), 1)}" '
        f'failures="{len(report.errors)}" skipped="{len(report.warnings)}">'
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + head
        + "\n"
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )


FORMATS = {"text": as_text, "json": as_json, "github": as_github, "junit": as_junit}
