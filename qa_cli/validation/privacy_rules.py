"""The personal-data guard as validation rules (QA5xx).

Every line of every file is scanned as text, so values, keys, comments and the lines of
block scalars (``|``, ``>``) are all covered and each finding points at its own line and
column. ``qa.yaml`` and the case lists (``cases/*.csv``) are scanned too, and the case lists
are checked against the columns ``qa cases import`` writes.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import QAError
from ..masking import masked, shown
from ..models.config import Config
from ..privacy import KINDS, Detectors, line_findings
from ..repository import Repository
from .diagnostics import Diagnostic, Severity
from .rules import RULES
from .selection import selected_case_lists  # noqa: F401  (re-exported)

HINTS = {
    "QA501": "remove it: a case is named only by its case code",
    "QA502": "remove it: the case list keeps an age band, which is all an audit needs",
    "QA503": "remove it: addresses are never recorded in the audit repository",
    "QA504": "remove it: a case is named only by its case code",
    "QA505": "remove it: contact details stay in the case-management system",
    "QA506": "remove it (staff addresses may be allowed in qa.yaml privacy.work_email_domains)",
    "QA507": "write the case code instead (`qa cases reveal` finds a case from its code)",
    "QA508": "write 'the child', 'the mother', 'the carer'... instead of a name",
}
IDENTITY_LIST_NAME = "identity-list.txt"
CASE_LIST_RULE = "QA509"


def severity(code: str, config: Config | None) -> Severity:
    """The rule's severity, lowered to a warning when qa.yaml privacy.warnings says so."""
    if config is not None and code in config.privacy.warnings:
        return "warning"
    return RULES[code].severity


def lowered_notes(config: Config | None) -> list[str]:
    """One line per personal-data rule qa.yaml lowers to a warning, for the summary."""
    if config is None:
        return []
    return [
        f"{code} ({KINDS[code]}) is only a warning here: qa.yaml privacy.warnings lowers it"
        for code in config.privacy.warnings
    ]


def identity_list_path(config: Config | None, env: Mapping[str, str]) -> Path:
    from ..reporoot import config_dir  # not caselist's (it would import caselist: ~5 ms)

    if env.get("QA_IDENTITY_LIST"):
        return Path(env["QA_IDENTITY_LIST"]).expanduser()
    if config is not None and config.privacy.identity_list:
        return Path(config.privacy.identity_list).expanduser()
    return config_dir(env) / IDENTITY_LIST_NAME


def read_identity_list(path: Path, root: Path) -> list[str]:
    """Names, one per line (``#`` starts a comment); refused inside the repository."""
    if not path.is_file():
        return []
    target, base = path.resolve(), root.resolve()
    if target == base or base in target.parents:
        raise QAError(
            "the identity list is inside the audit repository, where it would be committed",
            "move it out (e.g. beside the case-code key, see docs/data-protection.md) "
            "and delete it from the repository",
        )
    names = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def detectors_for(
    root: Path, config: Config | None, env: Mapping[str, str] | None = None
) -> Detectors:
    env = os.environ if env is None else env
    names = read_identity_list(identity_list_path(config, env), root)
    if config is None:
        return Detectors.build(names=names)
    allowed = list(config.privacy.work_email_domains)
    allowed += [s.email for s in config.staff if s.email]
    return Detectors.build(config.privacy.case_id_patterns, names, allowed)


def _finding(
    rel: str, line: int, column: int, code: str, found: str, config: Config | None
) -> Diagnostic:
    kind = KINDS[code]
    return Diagnostic(
        rel,
        line,
        column,
        code,
        severity(code, config),
        f"this looks like {masked(found, kind)}",
        HINTS[code],
    )


# Values the toolkit writes, not people: a sample's seed (a random 10-digit number passes
# the NHS check digit one time in eleven) and SHA-256 digests.
_MACHINE_VALUE = re.compile(r"^\s*(?:seed|[a-z_]*sha256|[a-z_]*digest):\s*([0-9a-f]+)\s*(?:#|$)")


def machine_value(line: str, start: int) -> bool:
    """Whether the finding at ``start`` lies in a value the toolkit wrote (a seed, a digest)."""
    m = _MACHINE_VALUE.match(line)
    return m is not None and m.start(1) <= start < m.end(1)


def scan_file(rel: str, text: str, detectors: Detectors, config: Config | None) -> list[Diagnostic]:
    lines = text.splitlines()
    return [
        _finding(rel, line, col, f.code, lines[line - 1][f.start : f.end], config)
        for line, col, f in line_findings(text, detectors)
        if not machine_value(lines[line - 1], f.start)
    ]


def check_privacy(
    repo: Repository, case_lists: Iterable[Path] = (), detectors: Detectors | None = None
) -> list[Diagnostic]:
    """Personal-data findings in the selected files and the given case lists."""
    config = repo.config_or_none
    detectors = detectors or detectors_for(repo.root, config)
    out: list[Diagnostic] = []
    for lf in repo.selected:
        text = lf.text  # read once: a loaded file may not hold its text
        if text is not None:
            out += scan_file(lf.rel, text, detectors, config)
            out += check_code_lengths(lf.rel, text, config)
    for path in case_lists:
        rel = path.relative_to(repo.root).as_posix()
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        out += scan_file(rel, text, detectors, config)
        out += check_case_list(rel, text, config)
        out += check_code_lengths(rel, text, config)
    return out


# The literal first (then what may not precede it), so a search skips to each "C-" at once:
# with the look-behind first it tried every position (0.3 ms a return)
_CODE = re.compile(r"C-(?<![0-9A-Za-z-]C-)[0-9A-Z]{8,16}(?![0-9A-Za-z])")


def check_code_lengths(rel: str, text: str, config: Config | None) -> list[Diagnostic]:
    """QA510: every case code of a file has the length qa.yaml case_list.code_length sets."""
    if config is None or "C-" not in text:
        return []
    length = config.case_list.code_length
    # No code spans a line break, so the whole text has the lines' codes: most files have
    # none of another length, and only those are read line by line for the positions.
    if all(len(m.group(0)) - 2 == length for m in _CODE.finditer(text)):
        return []
    return [
        Diagnostic(
            rel,
            line,
            m.start() + 1,
            "QA510",
            "error",
            f"the case code starting `{m.group(0)[:4]}…` has {len(m.group(0)) - 2} characters; "
            f"this repository's codes have {length} (qa.yaml case_list.code_length)",
            "copy the code from the sample or the case list; if qa.yaml's code_length was "
            "changed, set it back (changing it changes every code, see docs/data-protection.md)",
        )
        for line, raw in enumerate(text.splitlines(), start=1)
        if "C-" in raw
        for m in _CODE.finditer(raw)
        if len(m.group(0)) - 2 != length
    ]


# --- case lists hold codes and closed values only ------------------------------------------


def _case_list_problem(rel: str, line: int, column: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic(rel, line, column, CASE_LIST_RULE, "error", message, hint)


def check_case_list(rel: str, text: str, config: Config | None) -> list[Diagnostic]:
    """A case list has exactly the columns `qa cases import` writes, each with closed values."""
    from ..caselist import CHECK_HEADER, HEADER, KEY_LINE

    h = 1 if text.startswith(KEY_LINE) else 0  # the key fingerprint's line comes first
    if h:
        text = "\n" + text.split("\n", 1)[-1]  # blanked, so line numbers stay true
    rows = list(csv.reader(io.StringIO(text, newline="")))
    lines = text.splitlines()
    if len(rows) <= h:
        return [_case_list_problem(rel, 1, 1, "the case list is empty", "import it again")]
    header = [x.strip() for x in rows[h]]
    out = [
        _case_list_problem(
            rel,
            h + 1,
            _field_column(lines[h], i),
            f"column {i + 1} is {shown(heading, CHECK_HEADER, 'heading')}, which a case list "
            "never has (it may hold personal data)",
            "case lists hold " + ", ".join(CHECK_HEADER) + " only: delete the column, or "
            "import the export again with `qa cases import`",
        )
        for i, heading in enumerate(header)
        if heading not in CHECK_HEADER
    ]
    if out or tuple(header) not in (HEADER, CHECK_HEADER):
        return out or [
            _case_list_problem(
                rel, h + 1, 1, "the header is not " + ",".join(CHECK_HEADER), "import it again"
            )
        ]
    for line, rec in enumerate(rows[h + 1 :], start=h + 2):
        if any(v.strip() for v in rec):
            raw = lines[line - 1] if line <= len(lines) else ""
            out += _check_row(rel, line, [v.strip() for v in rec], config, raw, len(header))
    return out


def _field_column(raw: str, index: int) -> int:
    """The 1-based character column where field ``index`` of a CSV line starts."""
    if '"' in raw:
        return 1
    parts = raw.split(",")
    return sum(len(p) + 1 for p in parts[:index]) + 1


def _check_row(
    rel: str, line: int, rec: list[str], config: Config | None, raw: str, width: int = 6
) -> list[Diagnostic]:
    from ..caselist import CATEGORIES, CHECK_RE, valid_age_band, valid_start_date
    from ..privacy import CASE_CODE_RE

    if len(rec) != width:
        return [
            _case_list_problem(
                rel, line, 1, f"expected {width} values, found {len(rec)}", "import it again"
            )
        ]
    teams = {t.id for t in config.teams} if config else None
    staff = {s.id for s in config.staff} if config else None
    checks = [
        (0, "case code", bool(CASE_CODE_RE.match(rec[0])), "a case code such as C-7F3K2Q9M"),
        (1, "team", teams is None or rec[1] in teams, "a team id of qa.yaml"),
        (2, "worker", not rec[2] or staff is None or rec[2] in staff, "a staff id of qa.yaml"),
        (3, "category", rec[3] in CATEGORIES, ", ".join(CATEGORIES)),
        (4, "start date", not rec[4] or valid_start_date(rec[4]), "YYYY-MM or YYYY-MM-DD"),
        (5, "age band", not rec[5] or valid_age_band(rec[5]), "an age band such as 5-9"),
    ]
    if width == 7:
        checks.append((6, "check", bool(CHECK_RE.match(rec[6])), "a check digest"))
    return [
        _case_list_problem(
            rel,
            line,
            _field_column(raw, col),
            f"the {what} column holds {masked(rec[col])}, not {expected}",
            "case lists hold codes and closed values only: import the export again "
            "rather than editing the list",
        )
        for col, what, ok, expected in checks
        if not ok
    ]


def identity_names(root: Path, config: Config | None) -> list[str]:
    """The names of the identity list on this machine (none when there is no list)."""
    return read_identity_list(identity_list_path(config, os.environ), root)


def refuse_if_personal_data(repo: Repository, what: str) -> None:
    """A QAError (exit 1) while any personal-data finding is open in the repository's files.

    A report made for circulation must not be written from files that hold identifiers:
    whatever the redaction misses would travel with it.
    """
    everything = Repository(
        root=repo.root,
        files=repo.files,
        config_or_none=repo.config_or_none,
        config_file=repo.config_file,
    )
    everything.selected = list(repo.files)
    found = sorted(check_privacy(everything, selected_case_lists(repo.root, None)))
    if not found:
        return
    first = found[0]
    raise QAError(
        f"{len(found)} personal-data finding(s) are open in the files this report reads, the "
        f"first at {first.path}:{first.line}:{first.column} "
        f"({KINDS.get(first.code, 'case list')}); {what} was not written",
        "run `qa validate`, remove what it reports (see docs/data-protection.md), then "
        "make the report again",
        exit_code=1,
    )
