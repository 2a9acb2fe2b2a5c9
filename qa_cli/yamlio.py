"""YAML input and output for the audit repository.

Two paths, on purpose:

* ``load_fast`` reads a file in bulk into plain dicts and lists: libyaml through
  :mod:`qa_cli.yamlc`, and ruamel's C-accelerated safe loader (:mod:`qa_cli.yamlruamel`,
  imported only then) for what yamlc leaves to it, such as a syntax error to place. Timestamps
  stay strings (the models parse them and report bad ones with their position). This is the
  path every command takes to read the repository.
* ``load_roundtrip`` keeps comments and positions. It is used to point a finding at a
  line and column, and to edit a file in place (``save_roundtrip``), keeping every comment,
  blank line, key order and quoting.

Problems with a file's bytes or syntax are returned as :class:`YamlProblem` with a rule code
and a 1-based position, never raised as a bare parser exception.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import limits, safewrite, yamlc

if TYPE_CHECKING:
    from ruamel.yaml.error import YAMLError

DEFAULT_MAX_BYTES = 1_000_000

# A cheap pre-filter: only a file with something that could be an anchor or alias is parsed
# event by event to know for sure (free text such as "Mum & Dad" is common).
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:\-?])[&*][^\s,\[\]{}]", re.MULTILINE)


@dataclass(frozen=True)
class YamlProblem:
    """A file that cannot be read as a YAML mapping; positions are 1-based."""

    code: str
    line: int
    column: int
    message: str
    hint: str | None = None


def decode(data: bytes) -> str | YamlProblem:
    """Decode UTF-8 (with or without a byte-order mark) or say truthfully what the bytes are."""
    odd = limits.encoding_problem(data)
    if odd is not None:
        if "NUL" in odd.message:
            return YamlProblem(
                "QA017",
                odd.line,
                odd.column,
                odd.message,
                "this is not a text file (or it was damaged): restore it from git, or "
                "delete it if it does not belong here",
            )
        return YamlProblem(
            "QA001",
            odd.line,
            odd.column,
            odd.message,
            "save the file as UTF-8 in your editor (in Notepad: File > Save As > Encoding: UTF-8)",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return YamlProblem(
            "QA001",
            line,
            column,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read)",
            "save the file as UTF-8 in your editor (in Notepad: File > Save As > Encoding: UTF-8)",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _problem_from_error(exc: YAMLError, text: str) -> YamlProblem:
    from .yamlruamel import DuplicateKeyError

    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    if isinstance(exc, DuplicateKeyError):
        first = exc.context_mark
        key = re.search(r'found duplicate key "([^"]*)"', str(exc))
        name = key.group(1) if key else "a key"
        first_line = first.line + 1 if first is not None else None
        prob = exc.problem_mark
        where = f" (first at line {first_line})" if first_line else ""
        return YamlProblem(
            "QA004",
            (prob.line + 1) if prob else line,
            (prob.column + 1) if prob else column,
            f'the key "{name}" appears twice in the same block{where}',
            "keep one of them: a key may appear only once; merge the two answers into one",
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    lines = text.split("\n")
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in src[: max(column, 1)] or re.search(r"\btabs?\b", str(problem).lower()):
        tab_line = line
        for i, candidate in enumerate(lines, start=1):
            stripped = candidate.lstrip(" ")
            if stripped.startswith("\t"):
                tab_line = i
                break
        return YamlProblem(
            "QA003",
            tab_line,
            1,
            "a tab character is used for indentation; YAML allows only spaces",
            "replace the tab with spaces (two spaces per level); most editors can show tabs",
        )
    opened = _unclosed(exc, lines, line)
    if opened is not None:
        return opened
    message = str(problem).strip()
    hint = "check the indentation and the colon after each key on this line and the one above"
    if "mapping values are not allowed" in message:
        hint = (
            "a value contains ': ' (colon and space); put the whole value in quotes, "
            "or check the indentation of this line"
        )
    elif "could not find expected ':'" in message:
        hint = "a key needs a colon after it (key: value); check this line and the one above"
    elif "found character '\\t'" in message:
        hint = "replace the tab with spaces"
    elif "did not find expected" in message or "expected <block end>" in message:
        hint = "check that this line is indented like the lines around it"
    return YamlProblem("QA002", line, column, f"YAML syntax error: {message}", hint)


# A construct the parser gave up on far from where it starts: point where it was opened.
_OPENERS = {
    "while scanning a quoted scalar": (
        "a quoted value starts here but its closing quote is missing",
        "add the closing {q} at the end of the value on this line",
    ),
    "while parsing a flow sequence": (
        "a list written on one line starts here with `[` but is not closed",
        "add the closing `]` at the end of the list on this line",
    ),
    "while parsing a flow mapping": (
        "a mapping written on one line starts here with `{` but is not closed",
        "add the closing `}}` at the end of it on this line, or write one key per line",
    ),
}


def _unclosed(exc: YAMLError, lines: list[str], gave_up: int) -> YamlProblem | None:
    """A problem at the start of an unclosed quote, list or mapping; None for other errors."""
    context = getattr(exc, "context", None)
    mark = getattr(exc, "context_mark", None)
    if context not in _OPENERS or mark is None:
        return None
    message, hint = _OPENERS[context]
    src = lines[mark.line] if mark.line < len(lines) else ""
    quote = src[mark.column : mark.column + 1]
    where = "the end of the file" if gave_up >= len(lines) else f"line {gave_up}"
    return YamlProblem(
        "QA002",
        mark.line + 1,
        mark.column + 1,
        f"YAML syntax error: {message} (the reader gave up at {where})",
        hint.format(q=f"`{quote}`" if quote in "\"'" and quote else "quote"),
    )


def _first_event(text: str, hit: Callable[[Any], bool], message: str) -> limits.Where | None:
    """Where the first YAML event that ``hit`` picks starts (with ``message``), or None."""
    from .yamlruamel import YAMLError, safe_pure

    y = safe_pure()
    try:
        for event in y.parse(io.StringIO(text)):
            if hit(event):
                mark = event.start_mark
                return limits.Where(mark.line + 1, mark.column + 1, message)
    except YAMLError:
        return None
    return None


def _has_anchor(text: str) -> limits.Where | None:
    """The first anchor or alias, or None; exact, by YAML events."""
    if ("&" not in text and "*" not in text) or not _MAYBE_ANCHOR.search(text):
        return None
    return _first_event(
        text,
        lambda event: getattr(event, "anchor", None) is not None,
        "anchors (&name) and aliases (*name) are not allowed in audit files",
    )


# A plain `<<` anywhere is the merge tag to a YAML reader (even as a value).
_MAYBE_MERGE = re.compile(r"(?:^|[\s\[{,\-?])<<(?:[\s:,\]}]|$)", re.MULTILINE)


def _has_merge_key(text: str) -> limits.Where | None:
    """The first plain ``<<`` (a YAML merge key), or None."""
    if "<<" not in text or not _MAYBE_MERGE.search(text):
        return None
    from ruamel.yaml.events import ScalarEvent

    return _first_event(
        text,
        lambda event: (
            isinstance(event, ScalarEvent) and event.value == "<<" and event.style is None
        ),
        "merge keys (a plain <<) are not allowed in audit files",
    )


# What is refused before the parser runs, in this order: the check, its rule, how to fix it.
_BEFORE_PARSING = (
    (
        limits.long_line,
        "QA015",
        "break the text over several lines (a `|` block keeps line breaks)",
    ),
    (
        limits.nesting,
        "QA014",
        "audit files are a few levels deep: check the brackets and indentation here",
    ),
    (_has_merge_key, "QA016", "write the keys out in full where they are needed"),
    (_has_anchor, "QA005", "write the value out in full where it is needed"),
)


def _refused_before_parsing(text: str) -> YamlProblem | None:
    """A line too long, nesting too deep, a merge key or an anchor, found before parsing."""
    for check, code, hint in _BEFORE_PARSING:
        where = check(text)
        if where is not None:
            return YamlProblem(code, where.line, where.column, where.message, hint)
    return None


def load_fast(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any] | YamlProblem:
    """Parse a file's bytes into a plain mapping, or describe why it cannot be."""
    if len(data) > max_bytes:
        return YamlProblem(
            "QA008",
            1,
            1,
            f"the file is {len(data):,} bytes, over the limit of {max_bytes:,}",
            "split it into smaller files, or raise `limits.max_file_bytes` in qa.yaml",
        )
    text = decode(data)
    if isinstance(text, YamlProblem):
        return text
    return load_text(text)


def load_text(text: str) -> dict[str, Any] | YamlProblem:
    """Parse decoded text into a plain mapping (see :func:`load_fast`)."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.split("\n")
    ):
        return YamlProblem(
            "QA006",
            1,
            1,
            "the file is empty",
            "start it with a `schema:` line, e.g. `schema: qa/audit@1`, or delete it",
        )
    refused = _refused_before_parsing(text)
    if refused is not None:
        return refused
    data = yamlc.load(text)  # libyaml with YAML 1.2 semantics; None: ruamel decides
    if data is None:
        return _load_ruamel(text)
    return _mapping_or_problem(data)


def _load_ruamel(text: str) -> dict[str, Any] | YamlProblem:
    """The reference reader: ruamel's safe loader, whose errors carry positions."""
    from .yamlruamel import YAMLError, fast_yaml

    try:
        data = fast_yaml().load(text)
    except YAMLError as exc:
        return _problem_from_error(exc, text)
    except ValueError as exc:  # defensive: a constructor that slipped past the subclass
        return YamlProblem("QA002", 1, 1, f"YAML could not be read: {exc}", None)
    return _mapping_or_problem(data)


def _mapping_or_problem(data: Any) -> dict[str, Any] | YamlProblem:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        return YamlProblem(
            "QA007",
            1,
            1,
            f"the file holds {kind}, not a mapping of keys to values",
            "each file starts with `schema: qa/<kind>@1` followed by `key: value` lines",
        )
    return data


def load_roundtrip(text: str) -> Any:
    """Parse text keeping comments, order and positions (raises YAMLError on bad input)."""
    from .yamlruamel import rt_yaml

    return rt_yaml().load(text)


def dump_roundtrip(data: Any) -> str:
    """Serialise a round-trip document back to text."""
    from .yamlruamel import rt_yaml

    buf = io.StringIO()
    rt_yaml().dump(data, buf)
    return buf.getvalue()


def position(doc: Any, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
    """1-based line and column of the node at ``loc`` in a round-trip document.

    Walks as deep as the path exists; a missing tail points at its deepest existing parent.
    ``key=True`` points at the key of the last element rather than its value.
    """
    from .yamlruamel import CommentedMap, CommentedSeq

    node = doc
    line, col = 1, 1
    if isinstance(doc, CommentedMap | CommentedSeq) and doc.lc.line is not None:
        line, col = doc.lc.line + 1, doc.lc.col + 1
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            if key and last:
                kl, kc = node.lc.key(part)
            else:
                kl, kc = node.lc.value(part)
            line, col = kl + 1, kc + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            il, ic = node.lc.item(part)
            line, col = il + 1, ic + 1
            node = node[part]
        else:
            break
    return line, col


# The one write path lives in ``safewrite``; these names stay for the modules that use them.
atomic_write = safewrite.atomic_write
write_new = safewrite.write_new


__all__ = [
    "YamlProblem",
    "atomic_write",
    "decode",
    "dump_roundtrip",
    "load_fast",
    "load_roundtrip",
    "load_text",
    "position",
    "write_new",
]
