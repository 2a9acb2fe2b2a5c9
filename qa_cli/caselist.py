"""Case lists: read a case-management export, pseudonymise it, keep the minimum (App. E 6).

An export (CSV or XLSX) from the case-management system goes in; ``cases/<date>.csv`` comes
out with one row per child: case code, team, worker id, category, start date and age band.
Case codes are a keyed hash (HMAC-SHA256) of the case-management ID; the key lives outside
the repository. Names, dates of birth, addresses and every other column are dropped, and the
result says which.

Ofsted Annex A lists are read as local authorities export them: List 6 (children in need),
List 7 (child protection), List 8 (children looked after), List 9 (care leavers), one sheet
per list in one workbook or one file per list. Plain exports with a category column work too.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import QAError
from .masking import masked
from .models.common import parse_uk_date
from .privacy import CASE_CODE_RE, case_check, case_code, code_bits, normalise_case_id
from .reporoot import config_dir

HEADER = ("case", "team", "worker", "category", "start_date", "age_band")
# Lists written since code_length came in add a second keyed digest per case (see
# privacy.case_check), so a later import can tell another child with the same code from the
# same child again. Older lists have HEADER only and stay readable.
CHECK_HEADER = (*HEADER, "check")
CHECK_RE = re.compile(r"^[0-9A-Z]{16}$")
# The export's fields kept in the case list (the case ID becomes the case code).
HEADER_FIELDS = ("case_id", "team", "worker", "category", "start_date", "age_band")
CATEGORIES = ("CIN", "CP", "CLA", "care_leaver", "early_help")
CATEGORY_NAMES = {
    "CIN": "child in need",
    "CP": "child protection",
    "CLA": "child looked after",
    "care_leaver": "care leaver",
    "early_help": "early help",
}
# A child on several lists is one case with the most specific category (every child on a
# CP plan is also a child in need; a looked-after child's CLA episode is what is audited).
PRECEDENCE = ("CLA", "CP", "care_leaver", "CIN", "early_help")
AGE_BANDS = ((0, 4, "0-4"), (5, 9, "5-9"), (10, 15, "10-15"), (16, 17, "16-17"), (18, 25, "18-25"))
MIN_KEY_CHARS = 32
MIN_KEY_BITS = 128  # estimated from the key's characters (Shannon entropy x length)
KEY_LINE = "# key-fingerprint: "  # the first line of a case list: which key made its codes
KEY_FILE_NAME = "case-key"

# Field -> headings that mean it (compared without case, spaces or punctuation).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "case_id": (
        "Child Unique ID",
        "Case ID",
        "Case Reference",
        "Case Ref",
        "Child ID",
        "Person ID",
        "Client ID",
        "ID",
    ),
    "team": ("Allocated Team", "Team", "Team Name"),
    "worker": (
        "Allocated Worker",
        "Social Worker",
        "Allocated Social Worker",
        "Worker",
        "Key Worker",
    ),
    "category": ("Category", "Case Category", "Case Type", "List"),
    "start_date": (
        "CIN Start Date",
        "Child Protection Plan Start Date",
        "Date Started to be Looked After",
        "Start Date",
        "Case Start Date",
        "Episode Start Date",
    ),
    "end_date": (
        "CIN Closure Date",
        "Child Protection Plan End Date",
        "Date Ceased to be Looked After",
        "End Date",
        "Closure Date",
        "Case Closure Date",
    ),
    "date_of_birth": ("Date of Birth", "DOB", "Birth Date"),
    "age_band": ("Age Band",),
    "age": ("Age", "Age of Child (Years)", "Age in Years"),
}
# The start-date heading of each Annex A list tells its category.
_START_HEADING_CATEGORY = {
    "cinstartdate": "CIN",
    "childprotectionplanstartdate": "CP",
    "datestartedtobelookedafter": "CLA",
}
_ANNEX_A_LISTS = {6: "CIN", 7: "CP", 8: "CLA", 9: "care_leaver"}
_CATEGORY_WORDS = {
    "cin": "CIN",
    "childinneed": "CIN",
    "cp": "CP",
    "cpp": "CP",
    "childprotection": "CP",
    "childprotectionplan": "CP",
    "cla": "CLA",
    "lac": "CLA",
    "lookedafter": "CLA",
    "childlookedafter": "CLA",
    "childrenlookedafter": "CLA",
    "lookedafterchild": "CLA",
    "careleaver": "care_leaver",
    "careleavers": "care_leaver",
    "leavingcare": "care_leaver",
    "earlyhelp": "early_help",
    "eh": "early_help",
}
_MISSING = frozenset({"", "#n/a", "n/a", "na", "null", "none", "-", "#ref!", "#value!"})
_LIST_TITLE = re.compile(r"\blist\s*0?(\d{1,2})\b", re.IGNORECASE)


def norm(text: Any) -> str:
    """A heading or name for forgiving comparison: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).replace("\xa0", " ").lower())


def _norm_name(text: str) -> str:
    return " ".join(str(text).replace("\xa0", " ").split()).casefold()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _MISSING)


# --- the key -------------------------------------------------------------------------------


def default_key_file(env: Mapping[str, str]) -> Path:
    return config_dir(env) / KEY_FILE_NAME


def load_key(key_env: str, env: Mapping[str, str], repo_root: Path | None = None) -> bytes:
    """The case-code key: the environment variable, else the key file in the config folder."""
    text = env.get(key_env)
    source = f"the environment variable {key_env}"
    if not text:
        path = default_key_file(env)
        if not path.is_file():
            raise QAError(
                f"no case-code key: {key_env} is not set and there is no key file at {path}",
                "create one with `qa cases keygen` (once, on the machine that imports case "
                f"lists), or set {key_env}; keep the same key every month or the codes change",
            )
        _refuse_inside(path, repo_root)
        _refuse_readable_by_others(path)
        text = path.read_text(encoding="utf-8")
        source = str(path)
    text = text.strip()
    if len(text) < MIN_KEY_CHARS:
        raise QAError(
            f"the case-code key in {source} is too short ({len(text)} characters)",
            f"use at least {MIN_KEY_CHARS} random characters; `qa cases keygen` makes one",
        )
    bits = key_bits(text)
    if bits < MIN_KEY_BITS:
        raise QAError(
            f"the case-code key in {source} has too little entropy (about {bits:.0f} bits; "
            f"at least {MIN_KEY_BITS} are needed): someone could guess it and re-identify "
            "every case",
            "make a random key with `qa cases keygen` (see docs/data-protection.md before "
            "changing the key of a repository that has case lists)",
        )
    return text.encode("utf-8")


def key_bits(text: str) -> float:
    """A rough strength of a key: the Shannon entropy of its characters times its length."""
    import math
    from collections import Counter

    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values()) * n if n else 0.0


def key_fingerprint(key: bytes) -> str:
    """Names the key without revealing it: recorded in every case list the key made."""
    import hmac

    return "hmac-sha256:" + hmac.new(key, b"qa-key-fingerprint/1", hashlib.sha256).hexdigest()[:16]


def list_fingerprint(path: Path) -> str | None:
    """The key fingerprint a case list records on its first line (None for older lists)."""
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    return first[len(KEY_LINE) :].strip() if first.startswith(KEY_LINE) else None


def check_same_key(root: Path, key: bytes, length: int | None = None) -> None:
    """Refuse a key, or a code length, other than the ones that made the earlier case lists
    (exit 1): either would change every case code."""
    mine = key_fingerprint(key)
    for _, path in case_lists(root):
        theirs_length = _code_length_of(path)
        if length is not None and theirs_length is not None and theirs_length != length:
            raise QAError(
                f"cases/{path.name} has {theirs_length}-character case codes but qa.yaml "
                f"case_list.code_length is {length}; nothing was written",
                "another code length changes every case code, so this month's cases would not "
                "match their earlier audits and samples. Set case_list.code_length back to "
                f"{theirs_length}; if the change was agreed with the IG lead (a new start, see "
                "docs/data-protection.md), import with --new-key",
                exit_code=1,
            )
        theirs = list_fingerprint(path)
        if theirs is not None and theirs != mine:
            raise QAError(
                f"this case-code key is not the one that made cases/{path.name} (its key "
                f"fingerprint is {theirs}, this key's is {mine}); nothing was written",
                "with another key every case code changes, so this month's cases would not "
                "match their earlier audits and samples. Use the key that made the earlier "
                "lists (from your secret store, see docs/data-protection.md); if the key was "
                "rotated on purpose with the IG lead, import with --new-key",
                exit_code=1,
            )


def _code_length_of(path: Path) -> int | None:
    """The length of the first case code of a case list (None when it has none)."""
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            first = line.split(",", 1)[0].strip()
            if CASE_CODE_RE.match(first):
                return len(first) - 2
    return None


def check_earlier_lists(root: Path, rows: list[CaseRow]) -> list[str]:
    """Refuse a code an earlier case list gave to a different case (exit 1); notes to show.

    A code is a one-way digest, so the ID cannot be compared; each row's check digest can:
    the same code with another check digest is another child. Lists written before check
    digests existed cannot be told apart and are named in a note instead.
    """
    mine = {r.case: r.check for r in rows}
    issued = set(mine)
    unchecked: list[str] = []
    for _, path in case_lists(root):
        rel = f"cases/{path.name}"
        earlier, _ = read_case_list(path, rel)
        issued.update(r.case for r in earlier)
        if earlier and not earlier[0].check:
            unchecked.append(rel)
            continue
        clash = next((r for r in earlier if r.check != mine.get(r.case, r.check)), None)
        if clash is not None:
            raise QAError(
                f"case code {clash.case} of this export was given to a different case in {rel} "
                "(their check digests differ); nothing was written",
                collision_hint(len(issued | set(mine)), len(clash.case) - 2),
                exit_code=1,
            )
    if not unchecked:
        return []
    return [
        f"{len(unchecked)} earlier case list(s) ({', '.join(unchecked[:3])}"
        + (", ..." if len(unchecked) > 3 else "")
        + ") have no check column (written before it existed), so a code in them could not "
        "be told apart from another case's: they were not checked for collisions with this "
        f"import; with {len(issued):,} codes issued the chance of a collision among them is "
        f"{collision_odds(len(issued), code_bits(len(rows[0].case) - 2))}"
    ]


def import_case_list(
    root: Path, export: Path, config: Any, key: bytes, today: dt.date, new_key: bool = False
) -> ImportResult:
    """Read an export as a case list, checked against every earlier case list.

    Refuses (exit 1) another key or code length (unless ``new_key``) and any code that an
    earlier list gave to a different case. Nothing is written here.
    """
    if not new_key:
        check_same_key(root, key, config.case_list.code_length)
    result = import_export(export, config, key, today)
    result.notes += check_earlier_lists(root, result.rows)
    return result


def _refuse_readable_by_others(path: Path) -> None:
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & 0o077:
        raise QAError(
            f"the case-code key file {path} can be read by other users (mode {mode & 0o777:o})",
            f"make it readable by you only: `chmod 600 {path}`",
        )


def _refuse_inside(path: Path, repo_root: Path | None) -> None:
    if repo_root is None:
        return
    root = repo_root.resolve()
    target = path.resolve()
    if target == root or root in target.parents:
        raise QAError(
            f"the case-code key file {path} is inside the audit repository",
            "the key must never be committed: move it to your config folder "
            "(see `qa cases keygen --help`) and delete it from the repository",
        )


def keygen(env: Mapping[str, str], path: Path | None, repo_root: Path | None) -> Path:
    """Write a new random key to ``path`` (default: the config folder); never overwrites."""
    import secrets

    target = path if path is not None else default_key_file(env)
    _refuse_inside(target, repo_root)
    if target.exists():
        raise QAError(
            f"a key file already exists at {target}; it was left as it was",
            "a new key would change every case code: keep using the existing one",
            exit_code=1,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return target


# --- reading exports -------------------------------------------------------------------------


@dataclass
class Table:
    """One sheet of a workbook or one CSV file: headings and rows with their numbers."""

    source: str
    title: str
    headings: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    xlsx: bool = False

    def where(self, row: int, col: int) -> str:
        heading = self.headings[col] if col < len(self.headings) else "?"
        if self.xlsx:
            from openpyxl.utils import get_column_letter

            return f"{self.source}, row {row}, column {get_column_letter(col + 1)} ({heading})"
        return f"{self.source}, row {row}, column {col + 1} ({heading})"


def read_tables(path: Path) -> list[Table]:
    """Every table of an export: the sheets of an XLSX workbook or the rows of a CSV file."""
    if not path.is_file():
        raise QAError(f"{path} does not exist", "give the path of the exported CSV or XLSX file")
    from .limits import MAX_EXPORT_BYTES

    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise QAError(
            f"{path.name} is {size:,} bytes, over the limit of {MAX_EXPORT_BYTES:,} for an export",
            "export only the lists sampling needs (Annex A lists 6-9), or split the file",
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
    if suffix == ".xls":
        raise QAError(
            f"{path.name} is an old-style .xls workbook, which qa cannot read",
            "open it in Excel and save it as .xlsx (or export it as CSV)",
        )
    raise QAError(f"{path.name}: qa reads .csv and .xlsx exports", "export the list as CSV or XLSX")


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv_rows(text, path.name, dialect)
    return _table(path.name, path.stem, rows, xlsx=False)


def csv_rows(text: str, name: str, dialect: Any = csv.excel) -> list[list[str]]:
    """Every row of a CSV text; a cell over the size limit or a broken quote names the line."""
    from .limits import MAX_CSV_CELL

    csv.field_size_limit(MAX_CSV_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return list(reader)
    except csv.Error as exc:
        detail = str(exc)
        if "field larger than field limit" in detail:
            detail = f"a cell is over the limit of {MAX_CSV_CELL:,} characters"
        raise QAError(
            f"{name}:{reader.line_num}: the CSV file could not be read ({detail})",
            "check the file in a spreadsheet program: a quote may be left open, or a cell "
            "may hold a whole document",
        ) from None


def _read_xlsx(path: Path) -> list[Table]:
    import warnings

    from openpyxl import load_workbook

    from .limits import xlsx_problem

    problem = xlsx_problem(path)
    if problem is not None:
        raise QAError(
            f"{path.name} was not opened: {problem}",
            "open it in Excel and save the case lists only as a new .xlsx (or export CSV)",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise QAError(
            f"{path.name} could not be read as an Excel workbook ({type(exc).__name__})",
            "check it opens in Excel; if it is password-protected, save an unprotected copy "
            "outside the repository",
        ) from None
    try:
        return [
            _table(f"{path.name}, sheet '{ws.title}'", ws.title, ws.iter_rows(values_only=True))
            for ws in wb.worksheets
        ]
    finally:
        wb.close()


def _table(source: str, title: str, rows: Iterable[Any], xlsx: bool = True) -> Table:
    ids = {norm(a) for a in DEFAULT_COLUMNS["case_id"]}
    headings: list[str] | None = None
    header_row = 0
    body: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        values = list(row)
        if headings is None:
            texts = [norm(v) for v in values if v is not None]
            if any(t in ids for t in texts) or (number == 1 and len(texts) >= 2):
                headings = ["" if v is None else str(v).strip() for v in values]
                header_row = number
            elif number >= 10:
                break
            continue
        if all(_missing(v) for v in values):
            continue
        body.append((number, values))
    return Table(source, title, headings or [], header_row, body, xlsx=xlsx)


# --- mapping a table to case rows ------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One case of a case list, as ``qa sample`` reads it."""

    case: str
    team: str
    worker: str
    category: str
    start_date: str
    age_band: str
    check: str = ""  # the second keyed digest (empty in lists written before it existed)


@dataclass
class _Source:
    """A case as read from one table, before lists are merged."""

    case_id: str
    row: CaseRow
    where: str


@dataclass
class ImportResult:
    rows: list[CaseRow]
    text: str
    read: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unknown_workers: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)  # "closed", "no_team": rows

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _Problems:
    """Bad rows are collected so one run shows many of them, then raised together."""

    LIMIT = 12

    def __init__(self) -> None:
        self.items: list[str] = []
        self.count = 0

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.items) < self.LIMIT:
            self.items.append(text)

    def raise_if_any(self, export: str) -> None:
        if not self.items:
            return
        more = (
            f"\n  ... and {self.count - len(self.items)} more"
            if self.count > len(self.items)
            else ""
        )
        raise QAError(
            f"{export}: {self.count} problem(s) in the export; nothing was written\n  "
            + "\n  ".join(self.items)
            + more,
            "correct the export (or the teams and staff in qa.yaml) and import again",
            exit_code=1,
        )


def _aliases(columns: Mapping[str, list[str]]) -> dict[str, list[str]]:
    out = {f: [norm(a) for a in names] for f, names in DEFAULT_COLUMNS.items()}
    for fld, extra in columns.items():
        if fld not in out:
            raise QAError(
                f"qa.yaml: case_list.columns names an unknown field `{fld}`",
                "fields: " + ", ".join(DEFAULT_COLUMNS),
            )
        out[fld] = [norm(a) for a in extra] + out[fld]
    return out


# Headings of personal data an export often has: shown when dropped, so the user sees what
# was left out. Any other heading is free text and masked (it could hold anything).
_KNOWN_HEADINGS = frozenset(
    norm(h)
    for h in (
        "Name",
        "Child Name",
        "Full Name",
        "Forename",
        "First Name",
        "Surname",
        "Last Name",
        "Address",
        "Postcode",
        "Post Code",
        "NHS Number",
        "UPN",
        "ULN",
        "Former UPN",
        "Gender",
        "Sex",
        "Ethnicity",
        "Disability",
        "Legal Status",
        "Placement",
        "Reason for Closure",
        "Notes",
        "Comments",
        "Phone",
        "Email",
        "School",
        "Unique ID",
    )
)


def _heading(heading: str) -> str:
    """A heading as messages show it: in full when it is a known one, else masked."""
    known = {norm(name) for names in DEFAULT_COLUMNS.values() for name in names} | _KNOWN_HEADINGS
    return heading if norm(heading) in known else masked(heading, "heading")


def _locate(table: Table, aliases: dict[str, list[str]]) -> dict[str, int]:
    normed = [norm(h) for h in table.headings]
    found: dict[str, int] = {}
    for fld, names in aliases.items():
        for name in names:
            if name in normed:
                found[fld] = normed.index(name)
                break
    return found


def _table_category(table: Table, cols: dict[str, int]) -> tuple[str | None, str | None]:
    """(category of every row, or None if a column gives it; reason to skip, if any)."""
    m = _LIST_TITLE.search(table.title)
    if m:
        n = int(m[1])
        if n in _ANNEX_A_LISTS:
            return _ANNEX_A_LISTS[n], None
        if "category" not in cols:
            return None, f"Annex A List {n} is not a list of open cases (lists 6 to 9 are read)"
    if "category" in cols:
        return None, None
    if "start_date" in cols:
        heading = norm(table.headings[cols["start_date"]])
        if heading in _START_HEADING_CATEGORY:
            return _START_HEADING_CATEGORY[heading], None
    normed = {norm(h) for h in table.headings}
    if "eligibilitycategory" in normed or "careleaver" in norm(table.title):
        return "care_leaver", None
    return None, "no category column and not recognisable as Annex A list 6, 7, 8 or 9"


def parse_export_date(value: Any) -> dt.date | None:
    """A date from an export (an Excel date, ``dd/mm/yyyy`` (UK), or ISO ``yyyy-mm-dd``) in
    the plausible range; None when it is not a date or outside the range."""
    from .models.common import DATE_MAX, DATE_MIN

    day = _export_date(value)
    return day if day is not None and DATE_MIN <= day <= DATE_MAX else None


def _export_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial day number in an unformatted cell
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    text = str(value).strip()
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)
    uk = parse_uk_date(text)
    if uk is not None:
        return uk
    try:
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        for fmt in ("%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%d-%b-%y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    except ValueError:
        return None
    return None


def age_band(dob: dt.date | None, age: Any, today: dt.date) -> str:
    """The age band on ``today`` from a date of birth (or an age in years)."""
    if dob is not None:
        if dob > today:
            return "unborn"
        years = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    elif isinstance(age, int | float) and not isinstance(age, bool):
        years = int(age)
    elif isinstance(age, str) and re.fullmatch(r"\s*\d{1,2}(\.\d+)?\s*", age):
        years = int(float(age))
    else:
        return ""
    for low, high, band in AGE_BANDS:
        if low <= years <= high:
            return band
    return "26+" if years > 25 else ""


@dataclass
class _People:
    """Teams and staff of qa.yaml, matched forgivingly by id or by name."""

    teams: dict[str, str]
    staff: dict[str, str]
    team_ids: list[str]

    @classmethod
    def of(cls, config: Any) -> _People:
        teams: dict[str, str] = {}
        for t in config.teams:
            teams[norm(t.id)] = t.id
            teams[norm(t.name)] = t.id
        for tid, names in config.case_list.team_aliases.items():
            for name in names:
                teams[norm(name)] = tid
        staff: dict[str, str] = {}
        for s in config.staff:
            staff[_norm_name(s.id)] = s.id
            staff[_norm_name(s.name)] = s.id
        return cls(teams, staff, [t.id for t in config.teams])


class _LeftOut(Exception):
    """A row that is not a case to sample (closed, or no team): counted, not a problem."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _BadRow(Exception):
    """A row the export got wrong: reported with its place, and nothing is written."""


@dataclass
class _Row:
    """One row of a table being read, with the table's columns and the import's context."""

    table: Table
    cols: dict[str, int]
    number: int
    values: list[Any]
    people: _People
    today: dt.date
    result: ImportResult
    code_length: int

    def cell(self, fld: str) -> Any:
        i = self.cols.get(fld)
        return self.values[i] if i is not None and i < len(self.values) else None

    def where(self, fld: str) -> str:
        return self.table.where(self.number, self.cols[fld])

    def date(self, fld: str, shown: Callable[[Any], str], example: str = "") -> dt.date | None:
        """The cell as a date (None when empty); ``shown`` says how a bad value is quoted."""
        raw = self.cell(fld)
        if _missing(raw):
            return None
        day = parse_export_date(raw)
        if day is None:
            raise _BadRow(
                f"{self.where(fld)}: {shown(raw)} is not a date "
                f"(dates are read as dd/mm/yyyy{example})"
            )
        return day


def _open(r: _Row) -> None:
    end = r.date("end_date", masked)
    if end is not None and end <= r.today:
        raise _LeftOut("closed")


def _team(r: _Row) -> str:
    raw = r.cell("team")
    if _missing(raw):
        raise _LeftOut("no_team")
    team = r.people.teams.get(norm(raw))
    if team is None:
        import difflib

        close = difflib.get_close_matches(str(raw), r.people.team_ids, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise _BadRow(
            f"{r.where('team')}: team {masked(raw)} is not a team in qa.yaml{hint}; "
            "add it to `teams:` or map the name in case_list.team_aliases"
        )
    return team


def _worker(r: _Row) -> str:
    raw = r.cell("worker")
    if _missing(raw):
        return ""
    worker = r.people.staff.get(_norm_name(str(raw)), "")
    if not worker:
        name = " ".join(str(raw).replace("\xa0", " ").split())
        r.result.unknown_workers[name] = r.result.unknown_workers.get(name, 0) + 1
    return worker


def _category(r: _Row) -> str:
    raw = r.cell("category")
    cat = _CATEGORY_WORDS.get(norm(raw)) if not _missing(raw) else None
    if cat is None and not _missing(raw) and str(raw).strip() in CATEGORIES:
        cat = str(raw).strip()
    if cat is None:
        raise _BadRow(
            f"{r.where('category')}: {masked(raw)} is not a case category; use CIN, CP, CLA, "
            "care leaver or early help"
        )
    return cat


def _start(r: _Row) -> str:
    start = r.date("start_date", masked, ", e.g. 16/09/2026")
    return start.isoformat() if start is not None else ""


def _band(r: _Row) -> str:
    dob = r.date("date_of_birth", lambda _: "the value")
    raw = r.cell("age_band")
    if not _missing(raw):
        return str(raw).strip()
    return age_band(dob, None if _missing(r.cell("age")) else r.cell("age"), r.today)


def _case_row(r: _Row, category: str | None, key: bytes) -> _Source | None:
    """The row as a case (None when it is left out); a bad value raises :class:`_BadRow`."""
    raw_id = r.cell("case_id")
    if _missing(raw_id):
        raise _BadRow(f"{r.where('case_id')}: the case ID is empty")
    case_id = normalise_case_id(raw_id)
    try:
        _open(r)
        team = _team(r)
    except _LeftOut as out:
        r.result.left_out[out.reason] = r.result.left_out.get(out.reason, 0) + 1
        return None
    worker = _worker(r)
    cat = category or _category(r)
    code = case_code(case_id, key, r.code_length)
    row = CaseRow(code, team, worker, cat, _start(r), _band(r), case_check(case_id, key))
    return _Source(case_id, row, f"{r.table.source}, row {r.number}")


def _columns(
    table: Table, aliases: dict[str, list[str]], result: ImportResult, problems: _Problems
) -> tuple[dict[str, int], str | None] | None:
    """The table's columns and the category of all its rows; None when it is not read."""
    if not table.headings:
        result.skipped.append(f"{table.source}: empty")
        return None
    cols = _locate(table, aliases)
    category, skip = _table_category(table, cols)
    annex_title = _LIST_TITLE.search(table.title)
    if skip is not None and not table.xlsx and not annex_title and "case_id" not in cols:
        skip = None  # a CSV file is the list itself: report its missing columns below

    def no_category(what: str) -> str:
        return (
            f"{table.source}: cannot tell the cases' category: add a `Category` column "
            f"(CIN, CP, CLA, care leaver, early help) or name the {what} List 6/7/8/9"
        )

    if skip is not None:
        if "case_id" in cols and "team" in cols and not annex_title:
            problems.add(no_category("sheet"))
        else:
            result.skipped.append(f"{table.source}: {skip}")
        return None
    missing = [f for f in ("case_id", "team") if f not in cols]
    if not missing and category is None and "category" not in cols:
        problems.add(no_category("file"))
        return None
    if missing:
        names = {"case_id": "the child's ID (e.g. Child Unique ID)", "team": "Allocated Team"}
        problems.add(
            f"{table.source}: no column for "
            + " or ".join(names[f] for f in missing)
            + " (headings found: "
            + ", ".join(_heading(h) for h in table.headings if h)
            + "); add the heading to case_list.columns in qa.yaml if it is named otherwise"
        )
        return None
    return cols, category


def _dropped(table: Table, cols: dict[str, int]) -> list[str]:
    """The headings of the columns not kept, and what the ones read for a moment were for."""
    used = {cols[f] for f in HEADER_FIELDS if f in cols}
    for_band = {cols[f] for f in ("date_of_birth", "age") if f in cols}
    for_filter = {cols["end_date"]} if "end_date" in cols else set()
    dropped = []
    for i, h in enumerate(table.headings):
        if i in used or not h:
            continue
        if i in for_band:
            dropped.append(f"{h} (used for the age band only)")
        elif i in for_filter:
            dropped.append(f"{h} (used to leave out closed cases only)")
        else:
            dropped.append(_heading(h))
    return dropped


def _read_table(
    table: Table,
    cols: dict[str, int],
    category: str | None,
    ctx: _ImportContext,
) -> None:
    ctx.result.read.append(f"{table.source}: {len(table.rows)} row(s)")
    ctx.result.dropped[table.source] = _dropped(table, cols)
    seen: dict[str, int] = {}
    for number, values in table.rows:
        r = _Row(table, cols, number, values, ctx.people, ctx.today, ctx.result, ctx.code_length)
        case_id = normalise_case_id(r.cell("case_id")) if not _missing(r.cell("case_id")) else ""
        if case_id and case_id in seen:
            ctx.problems.add(
                f"{r.where('case_id')}: the same case ID is also on row {seen[case_id]}; "
                "each child should appear once in a list"
            )
            continue
        if case_id:
            seen[case_id] = number
        try:
            source = _case_row(r, category, ctx.key)
        except _BadRow as bad:
            ctx.problems.add(str(bad))
            continue
        if source is not None:
            ctx.sources.setdefault(source.case_id, []).append(source)


@dataclass
class _ImportContext:
    people: _People
    key: bytes
    today: dt.date
    result: ImportResult
    code_length: int
    problems: _Problems = field(default_factory=_Problems)
    sources: dict[str, list[_Source]] = field(default_factory=dict)


def import_export(path: Path, config: Any, key: bytes, today: dt.date) -> ImportResult:
    """Read an export and build the pseudonymised case list (nothing is written here)."""
    aliases = _aliases(config.case_list.columns)
    length = config.case_list.code_length
    ctx = _ImportContext(_People.of(config), key, today, ImportResult(rows=[], text=""), length)
    for table in read_tables(path):
        found = _columns(table, aliases, ctx.result, ctx.problems)
        if found is not None:
            _read_table(table, *found, ctx)
    ctx.problems.raise_if_any(path.name)
    if not ctx.sources:
        raise QAError(
            f"{path.name}: no open, allocated cases were found; nothing was written",
            "check the export holds Annex A lists 6-9 (or a plain list with a category column)",
            exit_code=1,
        )
    result = _merge(ctx.sources, ctx.result, today)
    if config.case_list.start_dates == "month":  # Caldicott: the minimum necessary
        import dataclasses

        result.rows = [dataclasses.replace(r, start_date=r.start_date[:7]) for r in result.rows]
    result.text = case_list_text(result.rows, key_fingerprint(key))
    return result


def _merge(sources: dict[str, list[_Source]], result: ImportResult, today: dt.date) -> ImportResult:
    """One row per child (the most specific category), sorted, as the case list's text."""
    rows: dict[str, CaseRow] = {}
    by_code: dict[str, str] = {}
    for case_id, found in sources.items():
        best = min(found, key=lambda s: PRECEDENCE.index(s.row.category))
        code = best.row.case
        if code in by_code and by_code[code] != case_id:
            raise QAError(
                f"two different case IDs of this export give the same case code {code}; "
                "nothing was written",
                collision_hint(len(sources), len(code) - 2),
                exit_code=1,
            )
        by_code[code] = case_id
        rows[code] = best.row
    result.rows = sorted(rows.values(), key=lambda r: (r.team, r.case))
    result.text = case_list_text(result.rows)
    for r in result.rows:
        result.by_category[r.category] = result.by_category.get(r.category, 0) + 1
    merged = sum(1 for found in sources.values() if len(found) > 1)
    result.notes += _import_notes(result, merged, today)
    return result


def _import_notes(result: ImportResult, merged: int, today: dt.date) -> list[str]:
    notes = []
    if merged:
        notes.append(
            f"{merged} child(ren) on more than one list were kept once, with the most specific "
            "category (CLA, then CP, care leaver, CIN, early help)"
        )
    if result.left_out.get("closed"):
        notes.append(
            f"{result.left_out['closed']} row(s) with an end date on or before {today} (closed) "
            "were left out"
        )
    if result.left_out.get("no_team"):
        notes.append(
            f"{result.left_out['no_team']} row(s) with no allocated team (empty or #N/A) were "
            "left out: a case with no team cannot be allocated for audit"
        )
    if result.unknown_workers:
        n = sum(result.unknown_workers.values())
        notes.append(
            f"{n} case(s) name a worker who is not in qa.yaml's staff; they are kept with the "
            "worker left empty (add the workers to `staff:` and import again to record them)"
        )
    return notes


def valid_start_date(text: str) -> bool:
    """A case list's start date: YYYY-MM (kept to the month) or YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
    except ValueError:
        return False
    return len(text) in (7, 10)


def valid_age_band(text: str) -> bool:
    return text in {band for _, _, band in AGE_BANDS} | {"unborn", "26+"}


def collision_hint(n: int, length: int) -> str:
    """What to do about a collision, with the true odds of one for ``n`` cases."""
    bits = code_bits(length)
    return (
        f"with {n:,} cases and {length}-character ({bits}-bit) codes the chance of this was "
        f"{collision_odds(n, bits)}. Two children must never share a history: with the IG "
        "lead, move to longer codes (case_list.code_length: 13 in qa.yaml) or a new key, and "
        "import with --new-key (every code changes; see docs/data-protection.md)"
    )


def collision_odds(n: int, bits: int) -> str:
    """The chance that ``n`` codes of ``bits`` bits hold a collision, in words ("1 in 220")."""
    import math

    p = -math.expm1(-n * (n - 1) / 2 / 2**bits)
    return "about 1 in " + f"{round(1 / p):,}" if p > 0 else "negligible"


def case_list_text(rows: Iterable[CaseRow], fingerprint: str | None = None) -> str:
    buf = io.StringIO()
    if fingerprint:
        buf.write(f"{KEY_LINE}{fingerprint}\n")
    rows = list(rows)
    checked = any(r.check for r in rows)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CHECK_HEADER if checked else HEADER)
    for r in rows:
        fields = [r.case, r.team, r.worker, r.category, r.start_date, r.age_band]
        w.writerow([*fields, r.check] if checked else fields)
    return buf.getvalue()


# --- reading a repository case list ---------------------------------------------------------


_LIST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.csv$")


def case_lists(root: Path) -> list[tuple[dt.date, Path]]:
    """The repository's case lists (cases/<date>.csv), oldest first."""
    out = []
    from .layout import CASES_DIR

    folder = root / CASES_DIR
    if folder.is_dir():
        for p in folder.iterdir():
            m = _LIST_NAME.match(p.name)
            if m:
                try:
                    out.append((dt.date.fromisoformat(m[1]), p))
                except ValueError:
                    continue
    return sorted(out)


def newest_case_list(root: Path, on_or_before: dt.date) -> Path:
    lists = [p for d, p in case_lists(root) if d <= on_or_before]
    if not lists:
        raise QAError(
            f"no case list dated on or before {on_or_before} in cases/",
            "import this month's export first with `qa cases import EXPORT`, or pass --cases",
        )
    return lists[-1]


def _case_list_text(raw: bytes, rel: str) -> str:
    """A case list's bytes as text: UTF-8 (a BOM allowed), within the limits."""
    from .limits import encoding_problem

    odd = encoding_problem(raw)
    if odd is not None:
        raise QAError(
            f"{rel}:{odd.line}: {odd.message}",
            "case lists are UTF-8 text written by `qa cases import`; import the export again",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QAError(
            f"{rel} is not UTF-8 text", "case lists are written by `qa cases import`"
        ) from None


def read_case_list(path: Path, rel: str) -> tuple[list[CaseRow], str]:
    """The rows of a case list and the SHA-256 of its bytes; problems name the line."""
    if not path.is_file():
        raise QAError(
            f"{rel} does not exist", "give a case list of cases/, e.g. --cases cases/2026-10-28.csv"
        )
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = _case_list_text(raw, rel)
    skip = 1 if text.startswith(KEY_LINE) else 0  # the key fingerprint's line
    if skip:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    reader = iter(csv_rows(text, rel))
    header = next(reader, None)
    columns = tuple(h.strip() for h in header) if header is not None else ()
    if columns not in (HEADER, CHECK_HEADER):
        raise QAError(
            f"{rel}:{1 + skip}: the header is not `{','.join(CHECK_HEADER)}`",
            "case lists are written by `qa cases import`; do not edit their columns",
        )
    rows: list[CaseRow] = []
    seen: set[str] = set()
    for line, rec in enumerate(reader, start=2 + skip):
        if not rec or all(not v.strip() for v in rec):
            continue
        if len(rec) != len(columns):
            raise QAError(
                f"{rel}:{line}: expected {len(columns)} values, found {len(rec)}",
                "each row is " + ",".join(columns),
            )
        row = CaseRow(*(v.strip() for v in rec))
        if not CASE_CODE_RE.match(row.case):
            raise QAError(
                f"{rel}:{line}:1: {masked(row.case)} is not a case code (C- and 8 to 16 "
                "characters)",
                "case lists hold case codes only, written by `qa cases import`",
            )
        if row.case in seen:
            raise QAError(
                f"{rel}:{line}:1: case {row.case} appears twice",
                "each case appears once; import the export again",
            )
        if row.category not in CATEGORIES:
            raise QAError(
                f"{rel}:{line}:4: {masked(row.category)} is not a category",
                "categories: " + ", ".join(CATEGORIES),
            )
        seen.add(row.case)
        rows.append(row)
    return rows, sha


REVEAL_LOG = "reveal-log.csv"


def reveal(
    root: Path, config: Any, code: str, export: Path, env: Mapping[str, str]
) -> tuple[str | None, Path]:
    """The case-management ID of ``code`` in ``export`` (or None), and the log of uses.

    The export must be outside the repository; the log lives beside the key, outside git.
    """
    import getpass

    target = export.resolve()
    base = root.resolve()
    if target == base or base in target.parents:
        raise QAError(
            f"the export {export} is inside the audit repository; it holds children's details",
            "move it out of the repository (and never commit it), then run again",
        )
    if not CASE_CODE_RE.match(code.strip().upper()):
        raise QAError(f"{masked(code)} is not a case code", "give a code such as C-7F3K2Q9M")
    key = load_key(config.case_list.key_env, env, root)
    wanted = code.strip().upper()
    found = None
    for table in read_tables(export):
        cols = _locate(table, _aliases(config.case_list.columns))
        if "case_id" not in cols:
            continue
        for _, values in table.rows:
            i = cols["case_id"]
            raw = values[i] if i < len(values) else None
            if not _missing(raw) and case_code(raw, key, len(wanted) - 2) == wanted:
                found = normalise_case_id(raw)
                break
    log = config_dir(env) / REVEAL_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    new = not log.exists()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if new:
            w.writerow(["when", "who", "code", "found"])
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        w.writerow([when, getpass.getuser(), wanted, "yes" if found else "no"])
    return found, log
