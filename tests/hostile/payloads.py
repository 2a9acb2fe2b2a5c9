"""Hostile and careless file contents, each a function of the valid text it replaces.

Every payload is ``name -> (valid text) -> bytes``: the corpus plants it over a real file
of the fixture repository (a return, qa.yaml, a sample) or as a new file beside them.
"""

from __future__ import annotations

from collections.abc import Callable

Payload = Callable[[str], bytes]


def _after_schema(text: str, insert: str) -> bytes:
    """``insert`` as new lines right after the first line (the `schema:` line)."""
    first, _, rest = text.partition("\n")
    return (first + "\n" + insert + rest).encode()


def _date_to(text: str, key: str, value: str, last: bool = False) -> bytes:
    import re

    found = list(re.finditer(rf"(?m)^(\s*{key}:) \S+", text))
    n = len(found)
    if found:  # the first (or, with ``last``, the last) occurrence
        m = found[-1] if last else found[0]
        new = text[: m.start()] + m.group(1) + " " + value + text[m.end() :]
    if not n:
        new = _after_schema(text, f"{key}: {value}\n").decode()
    return new.encode()


YAML_PAYLOADS: dict[str, Payload] = {
    "deep-flow": lambda t: _after_schema(t, "x: " + "[" * 15_000 + "\n"),
    "deep-flow-lines": lambda t: _after_schema(t, "x:\n" + "{\n" * 20_000),
    "deep-block": lambda t: _after_schema(t, "".join(" " * i + f"k{i}:\n" for i in range(200))),
    "deep-dashes": lambda t: _after_schema(t, "x:\n" + "- " * 2_000 + "a\n"),
    "long-line": lambda t: _after_schema(t, "note: " + "a" * 60_000 + "\n"),
    "merge-key": lambda t: _after_schema(t, "<<: {status: closed}\n"),
    "merge-value": lambda t: _after_schema(t, "x: [a, <<]\n"),
    "anchor-alias": lambda t: _after_schema(t, "a: &x 1\nb: *x\n"),
    "alias-bomb": lambda t: _after_schema(
        t, "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c, *c]\n"
    ),
    "python-tag": lambda t: _after_schema(t, "x: !!python/object/apply:os.system ['true']\n"),
    "unknown-tag": lambda t: _after_schema(t, "x: !secret value\n"),
    "nul-bytes": lambda t: t.encode().replace(b"\n", b"\n\x00", 1),
    "utf16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf16-be-no-bom": lambda t: t.encode("utf-16-be"),
    "utf16-bom": lambda t: t.encode("utf-16"),
    "utf32-bom": lambda t: t.encode("utf-32"),
    "latin1": lambda t: t.encode() + "note: caf\u00e9 na\u00efve\n".encode("latin-1"),
    "empty": lambda t: b"",
    "comments-only": lambda t: b"# nothing here\n# at all\n",
    "a-list": lambda t: b"- a\n- b\n",
    "a-scalar": lambda t: b"just some words\n",
    "tab-indent": lambda t: t.replace("\n  ", "\n\t", 1).encode(),
    "duplicate-key": lambda t: (
        t + next(line for line in t.split("\n") if line.startswith("schema:")) + "\n"
    ).encode(),
    "syntax-error": lambda t: _after_schema(t, "x: [unclosed\ny: }\n"),
    "control-chars": lambda t: _after_schema(t, "x: \x07\x1b[31m\n"),
    "huge-file": lambda t: t.encode() + b"# padding\n" * 120_000,
    "far-completed": lambda t: _date_to(t, "completed", "9999-12-31"),
    "ancient-completed": lambda t: _date_to(t, "completed", "0001-01-01"),
    # the last: in a sample, an allocation's date (the first is its recorded rules')
    "far-allocated": lambda t: _date_to(t, "allocated", "2999-01-01", last=True),
    "bad-schema": lambda t: t.replace("schema:", "schema: qa/nothing@9\nold-schema:", 1).encode(),
    "binary-garbage": lambda t: bytes(range(256)) * 8,
    "bom-crlf-valid": lambda t: b"\xef\xbb\xbf" + t.encode().replace(b"\n", b"\r\n"),
}

CONFIG_PAYLOADS = [
    "deep-flow",
    "deep-block",
    "long-line",
    "merge-key",
    "anchor-alias",
    "python-tag",
    "nul-bytes",
    "utf16-le-no-bom",
    "empty",
    "a-list",
    "syntax-error",
    "bad-schema",
]


def far_action_due(text: str) -> bytes:
    import re

    new, n = re.subn(r"(?m)^(\s+due:) \S+", r"\1 9999-12-31", text, count=1)
    assert n, "the return has an action with a due date"
    return new.encode()


CSV_CASE_LIST = "case,team,worker,category,start_date,age_band\n"
ROW = "C-AAAAAAAA,assessment-1,sw,CIN,2026-01-01,5-9\n"

CSV_PAYLOADS: dict[str, bytes] = {
    "csv-5mb-cell": (
        CSV_CASE_LIST + "C-AAAAAAAA,assessment-1," + "x" * 5_000_000 + ",CIN,2026-01-01,5-9\n"
    ).encode(),
    "csv-open-quote": (CSV_CASE_LIST + '"' + ROW).encode(),
    "csv-bad-header": b"name,dob,address\nA,2010-01-01,x\n",
    "csv-nul": CSV_CASE_LIST.encode() + b"C-AAAAAAAA,\x00,sw,CIN,2026-01-01,5-9\n",
    "csv-utf16": (CSV_CASE_LIST + "C-AAAAAAAA,assessment-1,sw,CIN,2026-01-01,5-9\n").encode(
        "utf-16"
    ),
    "csv-latin1": CSV_CASE_LIST.encode()
    + "C-AAAAAAAA,caf\u00e9,sw,CIN,2026-01-01,5-9\n".encode("latin-1"),
    "csv-short-row": (CSV_CASE_LIST + "C-AAAAAAAA,assessment-1\n").encode(),
    "csv-not-a-code": (CSV_CASE_LIST + "Jane Doe,assessment-1,sw,CIN,2026-01-01,5-9\n").encode(),
    "csv-duplicate": (CSV_CASE_LIST + ROW * 2).encode(),
    "csv-bad-category": (CSV_CASE_LIST + ROW.replace("CIN", "XX")).encode(),
    "csv-empty": b"",
}


def xlsx_bytes(kind: str) -> bytes:
    """A hostile .xlsx made in memory (no file is kept in the repository)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        if kind == "xlsx-bomb":
            zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"0" * 40_000_000)
        elif kind == "xlsx-rows":
            zf.writestr(
                "xl/worksheets/sheet1.xml",
                '<worksheet><dimension ref="A1:F5000000"/><sheetData/></worksheet>',
            )
        else:  # a zip that is no workbook
            zf.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


EXPORT_PAYLOADS: dict[str, tuple[str, bytes]] = {
    "export-xlsx-bomb": ("export.xlsx", b""),
    "export-xlsx-rows": ("export.xlsx", b""),
    "export-xlsx-not-workbook": ("export.xlsx", b""),
    "export-xlsx-not-zip": ("export.xlsx", b"PK\x03\x04 this is not really a zip"),
    "export-xls": ("export.xls", b"\xd0\xcf\x11\xe0 old excel"),
    "export-csv-5mb-cell": ("export.csv", b"Case ID,Team\n1," + b"x" * 5_000_000 + b"\n"),
    "export-csv-open-quote": ("export.csv", b'Case ID,Team\n"1,abc\n'),
    "export-csv-empty": ("export.csv", b""),
    "export-csv-binary": ("export.csv", bytes(range(256)) * 4),
    "export-pdf": ("export.pdf", b"%PDF-1.4"),
}
