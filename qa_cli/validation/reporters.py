"""Render a validation report as text, JSON, GitHub workflow annotations or JUnit XML."""

from __future__ import annotations

import json
from collections.abc import Callable

from .diagnostics import Diagnostic, ValidationReport
from .rules import RULES
from .sarif import as_sarif

FIXABLE = "fixable with `qa fix`"


def summary(report: ValidationReport) -> str:
    e, w, n = len(report.errors), len(report.warnings), report.files_checked
    checked = f"{n} file{'s' * (n != 1)} checked"
    notes = "".join(f"\nnote: {note}" for note in report.notes)
    if not e and not w:
        text = f"{checked}: no problems found."
    else:
        text = f"{checked}: {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}."
    f = len(report.fixable)
    if f:
        text += f" {f} {FIXABLE} (`qa fix --dry-run` shows the changes first)."
    n = len(report.suppressed)
    if n:
        text += f" {n} finding{'s' * (n != 1)} silenced by `# qa: disable=` comments."
    return text + notes


def hint_text(d: Diagnostic) -> str | None:
    """The hint, saying so when `qa fix` can apply it (as ruff marks its fixable findings)."""
    if d.fix is None:
        return d.hint
    if not d.hint:
        return FIXABLE
    first, sep, rest = d.hint.partition("\n")
    return f"{first} ({FIXABLE}){sep}{rest}"


def text_lines(d: Diagnostic) -> list[str]:
    title = RULES[d.code].title
    lines = [f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} ({title}): {d.message}"]
    hint = hint_text(d)
    if hint:
        first, *rest = hint.split("\n")
        lines.append(f"    how to fix: {first}")
        lines += [f"    {r}" for r in rest]
    return lines


def as_text(report: ValidationReport) -> str:
    out: list[str] = []
    for d in report.sorted():
        out += text_lines(d)
    out.append(summary(report))
    return "\n".join(out) + "\n"


def as_json(report: ValidationReport) -> str:
    return (
        json.dumps(
            {
                "files_checked": report.files_checked,
                "errors": len(report.errors),
                "warnings": len(report.warnings),
                "suppressed": len(report.suppressed),
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


def as_github(report: ValidationReport) -> str:
    """GitHub workflow commands: one annotation per finding, shown on the pull request."""
    out = []
    for d in report.sorted():
        level = "error" if d.severity == "error" else "warning"
        hint = hint_text(d)
        msg = d.message + (f"\nHow to fix: {hint}" if hint else "")
        out.append(
            f"::{level} file={_gh_escape(d.path, True)},line={d.line},col={d.column},"
            f"title={_gh_escape(d.code + ' ' + RULES[d.code].title, True)}::{_gh_escape(msg)}"
        )
    out.append(summary(report))
    return "\n".join(out) + "\n"


def _junit_case(path: str, diags: list[Diagnostic], strict: bool) -> tuple[str, bool]:
    """One file's test case: a <failure> per error (and per warning under --strict)."""
    from xml.sax.saxutils import escape, quoteattr  # imports urllib: only for JUnit output

    failing = [d for d in diags if d.severity == "error" or strict]
    notes = [d for d in diags if d not in failing]
    folder = path.rsplit("/", 1)[0] if "/" in path else "."
    parts = [
        f"    <testcase classname={quoteattr(folder)} name={quoteattr(path)} "
        f"file={quoteattr(path)}>"
    ]
    for d in failing:
        body = escape("\n".join(text_lines(d)))
        kind = quoteattr(f"{d.code} {RULES[d.code].title} ({d.severity})")
        parts.append(
            f"      <failure message={quoteattr(f'line {d.line}: {d.message}')} type={kind}>"
            f"{body}</failure>"
        )
    if notes:
        out = "\n".join(line for d in notes for line in text_lines(d))
        parts.append(f"      <system-out>{escape(out)}</system-out>")
    if len(parts) == 1:
        return parts[0][:-1] + "/>", False
    parts.append("    </testcase>")
    return "\n".join(parts), bool(failing)


def as_junit(report: ValidationReport, strict: bool = False) -> str:
    """JUnit XML: one test case per checked file; it fails when the file has errors.

    Warnings fail their file too under ``strict``; otherwise they are listed in the test
    case's output. The failure count is non-zero exactly when `qa validate` exits 1.
    """
    from xml.sax.saxutils import quoteattr

    by_path: dict[str, list[Diagnostic]] = {p: [] for p in report.checked}
    for d in report.sorted():
        by_path.setdefault(d.path, []).append(d)
    cases, failures = [], 0
    for path, diags in by_path.items():
        text, failed = _junit_case(path, diags, strict)
        cases.append(text)
        failures += failed
    counts = f'tests="{len(cases)}" failures="{failures}" errors="0" skipped="0"'
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites name="qa validate" {counts}>\n'
        f'  <testsuite name="qa validate" {counts}>\n'
        f'    <properties><property name="summary" value={quoteattr(summary(report))}/>'
        "</properties>\n"
        + "\n".join(cases)
        + ("\n" if cases else "")
        + "  </testsuite>\n</testsuites>\n"
    )


def as_markdown(report: ValidationReport, strict: bool = False) -> str:
    """A short Markdown summary (for $GITHUB_STEP_SUMMARY): counts by rule, then by file."""
    out = ["## qa validate", "", summary(report), ""]
    if report.diagnostics:
        by_rule: dict[str, int] = {}
        for d in report.diagnostics:
            by_rule[d.code] = by_rule.get(d.code, 0) + 1
        out += ["| rule | severity | what | findings |", "| --- | --- | --- | --- |"]
        for code, n in sorted(by_rule.items()):
            r = RULES[code]
            out.append(f"| {code} | {r.severity} | {_md(r.title)} | {n} |")
        out += ["", "| file | line | rule | message |", "| --- | --- | --- | --- |"]
        for d in report.sorted():
            out.append(f"| {_md(d.path)} | {d.line} | {d.code} | {_md(d.message)} |")
        out.append("")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


Renderer = Callable[[ValidationReport, bool], str]

FORMATS: dict[str, Renderer] = {
    "text": lambda r, _strict: as_text(r),
    "json": lambda r, _strict: as_json(r),
    "github": lambda r, _strict: as_github(r),
    "junit": as_junit,
    "sarif": as_sarif,
    "markdown": as_markdown,
}
