"""Findings as data: each has a rule code, a severity, a position, a message and a hint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


FixOp = Literal["replace", "block", "comment"]


@dataclass(frozen=True)
class Fix:
    """The one safe correction of a finding, applied by ``qa fix`` (qa_cli.fix).

    ``replace``: the scalar at ``loc`` becomes ``value``; ``block``: the one-line (flow)
    mapping at ``loc`` is written one key per line; ``comment``: the answer at ``loc`` gets
    a ``comment:`` with a ``TODO`` placeholder (which still fails validation).
    """

    op: FixOp
    loc: tuple[str | int, ...]
    value: str = ""


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    hint: str | None = None
    fix: Fix | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # The safety net of the masking policy: whoever wrote the message, a value the
        # personal-data detectors recognise never reaches a terminal, a CI log or an annotation.
        from ..masking import scrub

        object.__setattr__(self, "message", scrub(self.message) or "")
        object.__setattr__(self, "hint", scrub(self.hint))

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "fixable": self.fix is not None,
        }

    def as_record(self) -> dict[str, object]:
        """:meth:`as_dict` with the fix itself, for the cache (:meth:`from_record` reads it)."""
        out = self.as_dict()
        del out["fixable"]
        out["fix"] = None if self.fix is None else [self.fix.op, list(self.fix.loc), self.fix.value]
        return out

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Diagnostic:
        """A diagnostic from :meth:`as_record` (TypeError/ValueError when it is not one)."""
        data = dict(record)
        raw = data.pop("fix", None)
        fix = None
        if raw is not None:
            op, loc, value = raw
            if op not in ("replace", "block", "comment"):
                raise ValueError(f"unknown fix {op!r}")
            fix = Fix(op, tuple(loc), str(value))
        return cls(**data, fix=fix)


@dataclass
class ValidationReport:
    """What a validation run found, over how many files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    # The relative paths checked (one JUnit test case each) and the findings that a
    # `# qa: disable=` comment silenced (counted in the summary, kept in SARIF).
    checked: list[str] = field(default_factory=list)
    suppressed: list[Diagnostic] = field(default_factory=list)
    # Lines for the summary, e.g. a personal-data rule that qa.yaml lowers to a warning.
    notes: list[str] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    @property
    def fixable(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.fix is not None]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))
