"""`qa export`: the repository as tidy long-format tables for analysts (Power BI, DuckDB, a
regional warehouse), one table per record type, with stable column names and types.

Every table is described by :data:`TABLES`: its columns (name, type, meaning) and a function
that yields its rows from a loaded repository. The column names and types are a promise:
``docs/export.md`` lists them and a test holds the two together. Types are ``string``,
``integer``, ``boolean`` and ``date`` (ISO 8601 in CSV; ``date32`` in Parquet). A missing
value is an empty cell in CSV and a null in Parquet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import QAError
from .layout import FILE_KINDS
from .models.audit import Action, AuditReturn
from .models.complaint import Complaint
from .models.crib_sheet import CribSheet
from .models.multi_agency import MultiAgencyFindings
from .models.observation import Observation
from .models.sample import Sample
from .repository import Repository

Row = dict[str, Any]
BATCH = 65_536  # rows of a Parquet row group: bounds the memory of a large table
PIECE = 65_536  # characters of CSV written at a time


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, boolean, date
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    columns: list[Column]
    rows: Callable[[Repository], Iterator[Row]]


def _s(value: Any) -> str | None:
    """A value as text: lists joined with "; ", mappings as JSON, None stays None."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- rows -------------------------------------------------------------------------------------


def _returns(repo: Repository) -> Iterator[Row]:
    from .reports.collate import collect

    for r in collect(repo, answers=False):
        a = r.audit
        sc = a.safeguarding_concern
        yield {
            "file": r.path,
            "case": a.case,
            "tool": a.tool,
            "tool_kind": r.tool_kind,
            "programme_month": r.month,
            "team": a.team,
            "service": r.service,
            "social_worker": a.social_worker,
            "auditors": _s(a.auditors),
            "allocated": a.allocated,
            "due": a.due,
            "status": a.status,
            "completed": a.completed,
            "auditor_grade": a.overall_grade,
            "agreed_grade": a.qa_review.agreed_grade if a.qa_review else None,
            "grade": r.grade if r.counted else None,
            "counted": r.counted,
            "actions": len(a.actions),
            "safeguarding_concern": sc is not None,
            "concern_found": sc.found if sc else None,
            "concern_acknowledged_on": sc.acknowledged_on if sc else None,
            "strengths": (a.strengths or "").strip() or None,
            "areas_for_improvement": (a.areas_for_improvement or "").strip() or None,
        }


def _answers(repo: Repository) -> Iterator[Row]:
    from .reports.collate import answers_of, collect

    for r in collect(repo, answers=False):  # a return's answers at a time
        for a in answers_of(r):
            yield {
                "file": r.path,
                "case": r.audit.case,
                "tool": r.audit.tool,
                "team": r.audit.team,
                "question": a.question,
                "question_text": a.text,
                "type": a.type,
                "section": a.section,
                "line_of_enquiry": a.line_of_enquiry,
                "value": _s(a.value),
                "comment": a.comment,
            }


def _action_row(rel: str, source: str, case: str | None, team: str | None, x: Action) -> Row:
    return {
        "file": rel,
        "source": source,
        "case": case,
        "team": team,
        "action_id": x.id,
        "action": x.action,
        "owner": x.owner,
        "due": x.due,
        "status": x.status,
        "done_on": x.done_on,
        "verified_by": x.verified_by,
        "verified_on": x.verified_on,
        "re_audit": x.re_audit,
    }


def _actions(repo: Repository) -> Iterator[Row]:
    for lf, a in repo.entries(AuditReturn):
        for x in a.actions:
            yield _action_row(lf.rel, "audit", a.case, a.team, x)
    for lf, c in repo.entries(CribSheet):
        for x in c.actions:
            yield _action_row(lf.rel, "crib-sheet", c.case, c.team, x)
    for lf, f in repo.entries(MultiAgencyFindings):
        for x in f.actions:
            yield _action_row(lf.rel, "multi-agency", None, None, x)
    # the tracked items of improvement plans, team reviews and Team Managers' overviews
    for kind in ("qa/improvement", "qa/team-review", "qa/team-overview"):
        fk = FILE_KINDS[kind]
        for lf in repo.of_kind(kind):
            for x in fk.action_plan(lf.model):
                team = getattr(lf.model, "team", None)
                yield _action_row(lf.rel, kind.removeprefix("qa/"), None, team, x)


def _reviews(repo: Repository) -> Iterator[Row]:
    for lf, a in repo.entries(AuditReturn):
        q = a.qa_review
        if q is None:
            continue
        yield {
            "file": lf.rel,
            "case": a.case,
            "team": a.team,
            "auditor_grade": a.overall_grade,
            "agreed_grade": q.agreed_grade,
            "changed": a.overall_grade is not None and a.overall_grade != q.agreed_grade,
            "reviewer": q.reviewer,
            "date": q.date,
            "forwarded_to": _s(q.forwarded_to),
        }


def _samples(repo: Repository) -> Iterator[Row]:
    for lf, s in repo.entries(Sample):
        selected = set(s.moderation.selected) if s.moderation else set()
        for x in s.allocations:
            yield {
                "file": lf.rel,
                "month": s.month,
                "programme": s.programme,
                "drawn": s.drawn,
                "case": x.case,
                "team": x.team,
                "category": x.category,
                "tool": x.tool,
                "auditors": _s(x.auditors),
                "allocated": x.allocated,
                "due": x.due,
                "return_file": x.file,
                "moderation": x.case in selected,
            }


def _observations(repo: Repository) -> Iterator[Row]:
    for lf, o in repo.entries(Observation):
        yield {
            "file": lf.rel,
            "social_worker": o.social_worker,
            "observer": o.observer,
            "team": o.team,
            "observed": o.observed,
            "consent_written": o.consent_written,
            "consent_verbal": o.consent_verbal,
            "feedback_verbal": o.feedback_verbal,
            "feedback_written": o.feedback_written,
            "setting": _s(o.answers.get("setting")),
        }


def _complaints(repo: Repository) -> Iterator[Row]:
    for lf, c in repo.entries(Complaint):
        yield {
            "file": lf.rel,
            "ref": c.ref,
            "manager": c.manager,
            "team": c.team,
            "date": c.date,
            "responded": c.responded,
            "days_to_respond": (c.responded - c.date).days if c.responded else None,
            "outcome": _s(c.answers.get("outcome")),
            "lessons_learned": _s(c.answers.get("lessons-learned")),
        }


# --- the tables -------------------------------------------------------------------------------


def _cols(*spec: tuple[str, str, str]) -> list[Column]:
    return [Column(*s) for s in spec]


FILE = ("file", "string", "the repository-relative YAML file the row comes from")
CASE = ("case", "string", "the case code (generated; never a real case id)")
TEAM = ("team", "string", "team id from qa.yaml")

TABLES: list[Table] = [
    Table(
        "returns",
        "one row per audit return (single-agency, themed and other audit tools)",
        _cols(
            FILE,
            CASE,
            ("tool", "string", "tool and version, e.g. single-agency-safeguarding@1"),
            ("tool_kind", "string", "single-agency, themed, ..."),
            ("programme_month", "string", "the month of the sample or themed audit, YYYY-MM"),
            TEAM,
            ("service", "string", "service id of the team"),
            ("social_worker", "string", "staff id of the case's social worker"),
            ("auditors", "string", "staff ids of the auditors, joined with '; '"),
            ("allocated", "date", "allocated to the auditors"),
            ("due", "date", "return due (when recorded on the return)"),
            ("status", "string", "allocated, in_progress, returned, qa_review or closed"),
            ("completed", "date", "the auditors completed the return"),
            ("auditor_grade", "string", "the auditors' overall grade"),
            ("agreed_grade", "string", "the grade agreed at QA review"),
            ("grade", "string", "the grade counted in reports (agreed, else the auditors')"),
            ("counted", "boolean", "returned with a grade: counted in grade figures"),
            ("actions", "integer", "number of actions on the return"),
            ("safeguarding_concern", "boolean", "a safeguarding concern was raised"),
            ("concern_found", "date", "when the concern was found"),
            ("concern_acknowledged_on", "date", "when the concern was acknowledged"),
            ("strengths", "string", "the auditors' strengths (free text)"),
            ("areas_for_improvement", "string", "the auditors' areas for improvement"),
        ),
        _returns,
    ),
    Table(
        "answers",
        "one row per answered question of an audit return (long format)",
        _cols(
            FILE,
            CASE,
            ("tool", "string", "tool and version"),
            TEAM,
            ("question", "string", "question id in the tool"),
            ("question_text", "string", "the question as the tool words it"),
            ("type", "string", "yes_no, yes_no_na, grade, text, ..."),
            ("section", "string", "the tool's section title"),
            ("line_of_enquiry", "string", "key line of enquiry id (§5.1)"),
            ("value", "string", "the answer (lists joined with '; ')"),
            ("comment", "string", "the auditor's comment"),
        ),
        _answers,
    ),
    Table(
        "actions",
        "one row per action of an audit return, crib sheet or multi-agency findings",
        _cols(
            FILE,
            (
                "source",
                "string",
                "audit, crib-sheet, multi-agency, improvement, team-review or team-overview",
            ),
            CASE,
            TEAM,
            ("action_id", "string", "the action's id within its file"),
            ("action", "string", "what is to be done"),
            ("owner", "string", "staff (or agency) id responsible"),
            ("due", "date", "when it is due"),
            ("status", "string", "open, done or verified"),
            ("done_on", "date", "when it was done"),
            ("verified_by", "string", "staff id who verified it"),
            ("verified_on", "date", "when it was verified"),
            ("re_audit", "date", "re-audit date set by the action plan"),
        ),
        _actions,
    ),
    Table(
        "reviews",
        "one row per QA review (moderation) of an audit return",
        _cols(
            FILE,
            CASE,
            TEAM,
            ("auditor_grade", "string", "the auditors' grade"),
            ("agreed_grade", "string", "the grade agreed at review"),
            ("changed", "boolean", "moderation changed the grade"),
            ("reviewer", "string", "staff id of the reviewer"),
            ("date", "date", "date of the review"),
            ("forwarded_to", "string", "staff ids it was forwarded to, joined with '; '"),
        ),
        _reviews,
    ),
    Table(
        "samples",
        "one row per case allocated in a drawn sample",
        _cols(
            FILE,
            ("month", "string", "the sample month, YYYY-MM"),
            ("programme", "string", "single-agency, crib-sheet, multi-agency"),
            ("drawn", "date", "when the sample was drawn"),
            CASE,
            TEAM,
            ("category", "string", "case category (CIN, CP, CLA, ...)"),
            ("tool", "string", "tool and version allocated"),
            ("auditors", "string", "staff ids of the auditors, joined with '; '"),
            ("allocated", "date", "allocation date"),
            ("due", "date", "return due"),
            ("return_file", "string", "where the return is (to be) written"),
            ("moderation", "boolean", "selected for moderation"),
        ),
        _samples,
    ),
    Table(
        "observations",
        "one row per practice observation (App. B)",
        _cols(
            FILE,
            ("social_worker", "string", "staff id observed"),
            ("observer", "string", "staff id of the observing manager"),
            TEAM,
            ("observed", "date", "date of the observation"),
            ("consent_written", "date", "written consent"),
            ("consent_verbal", "string", "yes or no"),
            ("feedback_verbal", "date", "verbal feedback given"),
            ("feedback_written", "date", "written feedback given"),
            ("setting", "string", "where the observation took place"),
        ),
        _observations,
    ),
    Table(
        "complaints",
        "one row per complaint with its lessons learned (§4.5.2, App. C)",
        _cols(
            FILE,
            ("ref", "string", "the complaint's reference"),
            ("manager", "string", "staff id of the responding manager"),
            TEAM,
            ("date", "date", "date received"),
            ("responded", "date", "date of the response"),
            ("days_to_respond", "integer", "calendar days from receipt to response"),
            ("outcome", "string", "upheld, part upheld, not upheld"),
            ("lessons_learned", "string", "the lessons learned"),
        ),
        _complaints,
    ),
]


# --- writing ----------------------------------------------------------------------------------


def _redactor(repo: Repository, redact: bool) -> Callable[[Row], Row] | None:
    """With ``redact``, each row redacted with the same stand-ins as ``qa report --redact``;
    refused (before any row is read) while personal data is open, as for reports."""
    if not redact:
        return None
    from .reports.redact import Redactor
    from .validation.privacy_rules import refuse_if_personal_data

    refuse_if_personal_data(repo, "the redacted export")
    r = Redactor.for_repository(repo)
    return lambda row: _redact_row(r, row)


def table_rows(
    repo: Repository, table: Table, redact: Callable[[Row], Row] | None
) -> Iterator[Row]:
    """The rows of one table, one at a time (redacted when asked)."""
    rows = table.rows(repo)
    return rows if redact is None else map(redact, rows)


def _redact_row(r: Any, row: Row) -> Row:
    """Text redacted as in reports (codes, names, narratives); one record's numbers are not
    aggregate counts, so they are kept."""
    return {k: r(v, k) if isinstance(v, str) else v for k, v in row.items()}


def csv_pieces(table: Table, rows: Iterable[Row], counted: list[int]) -> Iterator[str]:
    """The table as CSV text, :data:`PIECE` characters or so at a time; ``counted[0]``
    counts the rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.name for c in table.columns])
    for row in rows:
        w.writerow([_csv_cell(row.get(c.name)) for c in table.columns])
        counted[0] += 1
        if buf.tell() > PIECE:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value  # a spreadsheet opening the CSV must not run a formula
    return value


def parquet_bytes(table: Table, rows: Iterable[Row], counted: list[int] | None = None) -> bytes:
    """The table as Parquet (needs pyarrow: ``pip install 'qa-cli[parquet]'``), built
    :data:`BATCH` rows at a time (one row group each); ``counted[0]`` counts the rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    schema = pa.schema([(c.name, types[c.type]) for c in table.columns])
    buf = io.BytesIO()
    with pq.ParquetWriter(buf, schema) as writer:
        it = iter(rows)
        while True:
            batch = list(itertools.islice(it, BATCH))
            if counted is not None:
                counted[0] += len(batch)
            data = {c.name: [row.get(c.name) for row in batch] for c in table.columns}
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            if len(batch) < BATCH:
                break
    return buf.getvalue()


def have_parquet() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def write_export(
    repo: Repository, out: Path, *, redact: bool = False, parquet: bool | None = None
) -> list[tuple[Path, int]]:
    """Write every table to ``out`` (CSV, and Parquet when pyarrow is there); returns the
    files written with their row counts."""
    from .yamlio import atomic_write

    if out.exists() and not out.is_dir():
        raise QAError(f"--out {out} is a file", "give a folder (it is created when missing)")
    if parquet is None:
        parquet = have_parquet()
    elif parquet and not have_parquet():
        raise QAError(
            "Parquet needs pyarrow, which is not installed",
            "install the extra: pip install 'qa-cli[parquet]', or leave out --parquet",
        )
    redactor = _redactor(repo, redact)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:  # a table at a time, its rows streamed: never all rows in memory
        path, counted = out / f"{table.name}.csv", [0]
        atomic_write(path, csv_pieces(table, table_rows(repo, table, redactor), counted))
        written.append((path, counted[0]))
        if parquet:
            ppath, counted = out / f"{table.name}.parquet", [0]
            atomic_write(ppath, parquet_bytes(table, table_rows(repo, table, redactor), counted))
            written.append((ppath, counted[0]))
    return written
