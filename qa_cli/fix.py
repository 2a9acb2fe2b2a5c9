"""`qa fix`: apply every finding that has one safe, unambiguous correction, and only those.

The corrections are those ``qa validate`` marks "fixable with `qa fix`" (a :class:`Fix` on
the diagnostic): a day/month/year date to ISO, another spelling of a grade, status or
option to its code, a staff name to its id, a one-line action to one key per line, and a
missing ``comment:`` added with a ``TODO`` placeholder (which still fails validation: the
reason is for a person to write).

Each file is edited through :mod:`qa_cli.yamledit`'s splices, so every other byte stays;
the result is read back and must mean exactly the old data plus the corrections, or the
file is left alone and said so. A file is written atomically, and only when not a dry run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import yamledit, yamlio
from .validation.diagnostics import Diagnostic, Fix, ValidationReport
from .validation.engine import validate
from .validation.returns import TODO


@dataclass
class FileFix:
    """The corrections of one file: its text before and after, what was applied or not."""

    rel: str
    path: Path
    before: str
    after: str
    applied: list[Diagnostic] = field(default_factory=list)
    refused: str | None = None  # why the file was left as it was

    def diff(self) -> str:
        """A unified diff of the change (empty when nothing changed)."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.rel}",
                tofile=f"b/{self.rel}",
            )
        )


@dataclass
class FixResult:
    """What `qa fix` did (or would do), and what is left for a person."""

    files: list[FileFix]
    remaining: ValidationReport
    written: bool

    @property
    def applied(self) -> int:
        return sum(len(f.applied) for f in self.files if f.refused is None)


def _set(data: Any, loc: Sequence[str | int], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _get(data: Any, loc: Sequence[str | int]) -> Any:
    for part in loc:
        data = data[part]
    return data


def _edit(text: str, fix: Fix) -> str:
    if fix.op == "replace":
        return yamledit.replace_scalar(text, fix.loc, fix.value)
    if fix.op == "block":
        return yamledit.flow_to_block(text, fix.loc)
    return yamledit.nest_with_key(text, fix.loc, "comment", TODO)


def _expect(data: Any, fix: Fix) -> None:
    """What the data must become after ``fix``: the check that nothing else changed."""
    if fix.op == "replace":
        _set(data, fix.loc, fix.value)
    elif fix.op == "comment":
        old = _get(data, fix.loc)
        if isinstance(old, dict):
            old["comment"] = TODO
        else:
            _set(data, fix.loc, {"answer": old, "comment": TODO})


def _load(text: str) -> Any:
    data = yamlio.load_text(text)
    return data if isinstance(data, dict) else None


def fix_text(text: str, fixes: Iterable[Fix]) -> str:
    """``text`` with the fixes spliced in; raises YamlEditError if any cannot be made exactly.

    Replacements go first (they keep every path), then comments, then one-line actions.
    """
    order = {"replace": 0, "comment": 1, "block": 2}
    todo = sorted(set(fixes), key=lambda f: (order[f.op], f.loc.__repr__()))
    before = _load(text)
    if before is None:
        raise yamledit.YamlEditError("the file could not be read before the edit")
    out = text
    for f in todo:
        out = _edit(out, f)
        _expect(before, f)
    if _load(out) != before:
        raise yamledit.YamlEditError("the edited text does not read back as intended")
    return out


def _fix_file(rel: str, path: Path, diagnostics: list[Diagnostic]) -> FileFix:
    raw = path.read_bytes()
    decoded = yamlio.decode(raw)
    text = decoded if isinstance(decoded, str) else ""
    ff = FileFix(rel, path, text, text, applied=diagnostics)
    try:
        ff.after = fix_text(text, [d.fix for d in diagnostics if d.fix is not None])
    except yamledit.YamlEditError as exc:
        ff.refused = str(exc)
        ff.after = text
    return ff


def _encode_like(raw: bytes, text: str) -> bytes:
    """``text`` in the file's own encoding details: byte-order mark and CRLF line ends."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in raw:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def run_fix(
    root: Path,
    paths: Sequence[Path] | None = None,
    *,
    dry_run: bool = False,
    write: Callable[[Path, bytes], None] | None = None,
) -> FixResult:
    """Apply (or with ``dry_run`` only compute) every fix of the given files or all files.

    ``write`` writes one file's bytes (default: an atomic write); the remaining findings are
    those of a fresh validation after writing (or of the first one, on a dry run, minus the
    findings that would be fixed).
    """
    _, report = validate(root, paths)
    by_file: dict[str, list[Diagnostic]] = {}
    for d in report.sorted():
        if d.fix is not None:
            by_file.setdefault(d.path, []).append(d)
    files = [_fix_file(rel, root / rel, ds) for rel, ds in sorted(by_file.items())]
    changed = [f for f in files if f.refused is None and f.after != f.before]
    if dry_run or not changed:
        # a comment fix leaves its finding (the TODO is for a person to replace)
        applied = {id(d) for f in changed for d in f.applied}
        left = [
            replace(d, fix=None) if id(d) in applied else d
            for d in report.diagnostics
            if id(d) not in applied or (d.fix is not None and d.fix.op == "comment")
        ]
        remaining = ValidationReport(left, report.files_checked, report.checked, report.suppressed)
        return FixResult(files, remaining, written=False)
    writer = write or _atomic
    for f in changed:
        writer(f.path, _encode_like(f.path.read_bytes(), f.after))
    _, remaining = validate(root, paths)
    return FixResult(files, remaining, written=True)


def _atomic(path: Path, data: bytes) -> None:
    from .safewrite import atomic_write

    atomic_write(path, data)
