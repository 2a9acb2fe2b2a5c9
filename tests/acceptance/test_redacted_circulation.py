"""Reports for circulation (issue 10): refused while personal data is open; on a clean
repository no case code, staff name or id, narrative or small count survives, in any case or
form; password files outside the repository, long enough, never silently trimmed."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import DEMO_REPORTS, snapshot

AS_OF = "2026-11-29"
RETURN = "audits/2026-10/C-0G9TRVFK--single-agency-safeguarding.yaml"
CONCERN = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"


@pytest.fixture(autouse=True)
def _no_identity_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("QA_IDENTITY_LIST", raising=False)


def _monthly(run, repo: Path, *extra: object):  # noqa: ANN202
    return run("report", "monthly", "--month", "2026-10", "--repo", repo, "--as-of", AS_OF, *extra)


def _areas(path: Path) -> str:
    """The start of the file's first area for improvement, as the file writes it."""
    text = path.read_text()
    at = text.index("areas_for_improvement:")
    return text[at : text.index("- ", at) + 2]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_redaction_is_refused_while_personal_data_is_open(demo_repo: Path, run) -> None:
    areas = _areas(demo_repo / RETURN)
    _replace(demo_repo / RETURN, areas, areas + "(NHS 999 000 0018) ")
    before = snapshot(demo_repo)
    result = _monthly(run, demo_repo, "--redact")
    assert result.exit_code == 1, result.output
    assert "personal-data finding(s) are open" in result.output
    assert f"{RETURN}:" in result.output and "NHS number" in result.output
    assert "0018" not in result.output
    assert snapshot(demo_repo) == before  # nothing written


def _forms(code: str) -> list[str]:
    bare = code.replace("-", "")
    return [code, code.lower(), bare, bare.lower()]


def test_a_redacted_report_holds_no_code_name_narrative_or_small_count(
    demo_repo: Path, run
) -> None:
    from qa_cli.repository import Repository

    # Codes and staff written the way people write them: lower case, no hyphen, other case.
    areas = _areas(demo_repo / RETURN)
    _replace(
        demo_repo / RETURN,
        areas,
        areas + "c-0g9trvfk and CN65NM2H5: jaya patel and TM-JPATEL (tmjpatel) to share the plan ",
    )
    result = _monthly(run, demo_repo, "--redact")
    assert result.exit_code == 0, result.output
    md = (demo_repo / "reports/2026-10/monthly-redacted.md").read_text()
    wb = openpyxl.load_workbook(demo_repo / "reports/2026-10/monthly-redacted.xlsx")
    cells = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    xl = "\n".join(str(v) for v in cells if v is not None)
    repo = Repository.load(demo_repo)
    codes = {lf.model.case for lf in repo.files if getattr(lf.model, "case", None)}
    assert len(codes) > 20
    for text in (md, xl):
        low = text.lower()
        for code in codes:
            for form in _forms(code):
                assert form.lower() not in low, form
        for s in repo.config.staff:
            assert s.name.lower() not in low, s.name
            assert not re.search(rf"(?<![a-z0-9]){re.escape(s.id)}(?![a-z0-9])", low), s.id
            assert s.id.replace("-", "") not in low, s.id
        assert "police notifications of domestic abuse" not in text  # the concern's narrative
    # Every count under 5 is "fewer than 5", in the tables and charts of both files.
    assert "fewer than 5" in md and "fewer than 5" in xl
    assert not re.search(r"\|\s*[1-4]\s*\|", md)
    counts = [  # a share of 100% reads back as the integer 1: shares are not counts
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, int) and not isinstance(c.value, bool) and "%" not in c.number_format
    ]
    assert not [v for v in counts if 0 < v < 5]
    # The pie chart of grades would draw the small counts: it is left out, saying why.
    assert "chart left out of the circulated report" in md


def _summary(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["Summary"]
    return {str(r[0]): r[1] for r in ws.iter_rows(max_col=2, values_only=True) if r[0]}


def test_returns_in_follow_the_k_of_n_rule_and_a_bare_code_is_redacted(
    demo_repo: Path, run
) -> None:
    md_path = demo_repo / "reports/2026-10/monthly-redacted.md"
    book = demo_repo / "reports/2026-10/monthly-redacted.xlsx"
    # October's returns in and outstanding are both 5 or more: nothing is small, nothing
    # gives a small count away, so both files show them (5 is not "fewer than 5").
    assert _monthly(run, demo_repo, "--redact").exit_code == 0
    facts = _summary(book)
    allocated, n_in, out = (
        facts[k] for k in ("Cases allocated", "Returns in", "Returns outstanding")
    )
    assert isinstance(n_in, int) and isinstance(out, int) and n_in >= 5 and out >= 5
    assert (
        f"**{allocated}** cases allocated, **{n_in}** returned, **{out}** outstanding"
        in md_path.read_text()
    )
    # All but 3 back in progress: "fewer than 5" in, so the outstanding (allocated - 3) are
    # withheld too, in the Markdown and the workbook alike.
    done = re.compile(r"\nstatus: (returned|qa_review|closed)\n")
    returned = [
        p for p in sorted(demo_repo.glob("audits/2026-10/*.yaml")) if done.search(p.read_text())
    ]
    for path in returned[: len(returned) - 3]:
        path.write_text(done.sub("\nstatus: in_progress\n", path.read_text(), count=1))
    # ... and a code written with neither hyphen nor digit, taken from the demo's case list
    case_list = sorted((demo_repo / "cases").glob("*.csv"))[-1].read_text()
    bare = re.findall(r"C-[A-HJKMNP-TV-Z]{8}\b", case_list)[0].replace("-", "").lower()
    areas = _areas(returned[-1])
    _replace(returned[-1], areas, areas + f"as for {bare}, ")
    assert _monthly(run, demo_repo, "--redact").exit_code == 0
    md, facts = md_path.read_text(), _summary(book)
    assert f"**{allocated}** cases allocated, **fewer than 5** returned, **–** outstanding" in md
    assert (facts["Returns in"], facts["Returns outstanding"]) == ("fewer than 5", "–")
    assert bare not in md.lower()
    # (the areas for improvement are left out of a redacted report: the redactor that
    # would have written them is asked directly)
    from qa_cli.reports.redact import Redactor
    from qa_cli.repository import Repository

    redactor = Redactor.for_repository(Repository.load(demo_repo))
    assert redactor.text(f"as for {bare}, ").startswith("as for Case ")


def test_the_threshold_comes_from_qa_yaml(demo_repo: Path, run) -> None:
    cfg = demo_repo / "qa.yaml"
    cfg.write_text(cfg.read_text() + "privacy:\n  small_numbers: 3\n")
    assert _monthly(run, demo_repo, "--redact").exit_code == 0
    md = (demo_repo / "reports/2026-10/monthly-redacted.md").read_text()
    assert "fewer than 3" in md and "fewer than 5" not in md


@pytest.mark.parametrize(
    ("where", "content", "says"),
    [
        ("inside", "a long enough password\n", "inside the audit repository"),
        ("outside", "qwert\n", "too short (5 characters)"),
        ("outside", " padded password here\n", "starts or ends with a space"),
    ],
)
def test_password_files_are_checked_and_never_trimmed(
    demo_repo: Path, run, tmp_path: Path, where: str, content: str, says: str
) -> None:
    folder = demo_repo if where == "inside" else tmp_path
    pw = folder / "pw.txt"
    pw.write_text(content)
    before = {k: v for k, v in snapshot(demo_repo).items() if k != "pw.txt"}
    result = _monthly(run, demo_repo, "--password-file", pw)
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert content.strip() not in result.output
    after = {k: v for k, v in snapshot(demo_repo).items() if k != "pw.txt"}
    assert after == before


_HIDDEN = ("fewer than 5", "–")


def _lines_with_one_hidden(grid: list[list[str]]) -> list[str]:
    """Rows and columns of count cells where a suppressed cell is the only hidden one beside
    a non-zero count (a total or a neighbour would give it back by subtraction)."""
    bare = [[c.strip("*") for c in r] for r in grid]  # a total in bold is a cell too
    counts = [[c if c in _HIDDEN or c.isdigit() else None for c in r] for r in bare]
    bad = []
    width = max((len(r) for r in counts), default=0)
    lines = [list(r) for r in counts]
    lines += [[r[j] if j < len(r) else None for r in counts] for j in range(width)]
    for line in lines:
        cells = [c for c in line if c is not None]
        shown = [c for c in cells if c not in _HIDDEN and c != "0"]
        if "fewer than 5" in cells and sum(c in _HIDDEN for c in cells) < 2 and shown:
            bad.append(" | ".join(cells))
    return bad


def _md_tables(md: str) -> list[list[list[str]]]:
    tables, block = [], []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|[\s:|-]+", line):
                block.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
        elif block:
            tables.append(block[1:])  # the heading row is no count
            block = []
    return tables


@pytest.mark.parametrize(
    "report",
    [
        ("monthly", "--month", "2026-10"),
        ("quarterly", "--quarter", "2026-Q4"),
        ("team", "--team", "assessment-1", "--half", "2026-H2"),
    ],
)
def test_no_small_count_can_be_worked_back_from_a_redacted_report(
    mini_repo: Path, run, report: tuple[str, ...]
) -> None:
    result = run("report", *report, "--repo", mini_repo, "--as-of", AS_OF, "--redact")
    assert result.exit_code == 0, result.output
    written = sorted(mini_repo.glob("reports/**/*-redacted.*"))
    md = next(p for p in written if p.suffix == ".md").read_text()
    assert "fewer than 5" in md  # the mini repository has small counts
    _assert_nothing_gives_a_small_count_back(
        md, openpyxl.load_workbook(next(p for p in written if p.suffix == ".xlsx"))
    )


def _assert_nothing_gives_a_small_count_back(md: str, wb: openpyxl.Workbook) -> None:
    """No count from 1 to 4 in a redacted report's Markdown or workbook, and none that a
    "k of n", a tally, a table's total or a share beside its n gives back."""
    # An observation that is due is named by its ordinal, never as a "k of n" to withhold
    assert not re.search(r"(?i)practice observation[^\n]* of fewer than", md)
    # "k of n": never a part or a rest from 1 to 4 that a reader could see or subtract.
    for k, n in re.findall(r"(?<![\w.\-/])(?<!than )(\d+) of (\d+)(?![\w\-/%]|\.\w)", md):
        assert not (0 < int(k) < 5 or 0 < int(n) - int(k) < 5 or 0 < int(n) < 5), (k, n)
    # Tallies ("no: 1, yes: 3") and tables: no small count, none that subtraction gives back.
    assert not re.search(r"\w: [1-4](?:,|$)", md, re.M)
    for table in _md_tables(md):
        assert not _lines_with_one_hidden(table), _lines_with_one_hidden(table)
        for row in table:
            if any(c in _HIDDEN[:1] for c in row):
                assert not any(re.search(r"\d%", c) for c in row), row  # no share beside it
    for ws in wb.worksheets:
        grid = [
            ["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)
        ]
        assert not _lines_with_one_hidden(grid), (ws.title, _lines_with_one_hidden(grid))
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if "fewer than 5" in values:
                assert not any(isinstance(v, float) for v in values), (ws.title, values)
            # A share beside its n ("60%" of 5 returns) must not give a small k or rest.
            # (a share of 100% in a percentage cell reads back as the integer 1: not an n)
            ints = [
                c.value
                for c in row
                if isinstance(c.value, int) and not isinstance(c.value, bool) and c.value
                if "%" not in c.number_format
            ]
            for f in (v for v in values if isinstance(v, float) and 0 <= v <= 1):
                for n in ints:
                    k = round(f * n)
                    if abs(f * n - k) < 1e-9:
                        assert not (0 < k < 5 or (k and 0 < n - k < 5)), (ws.title, values)
            for c in row:
                small = isinstance(c.value, int) and 0 < c.value < 5 and "%" not in c.number_format
                assert not small, (ws.title, c.coordinate)


# A number from 1 to 4 standing alone: not in a date, a path, a percentage, a decimal, a
# section number (§4.5.2) or an escaped "13\\." of a theme's title.
_BARE = re.compile(r"(?<![\w.\-/§%\\])[1-4](?![\w%\-/]|\.\d|\\\.)")
# Where the docs allow one: settings and thresholds the report states, references to the
# framework, the redaction legend, and a numbered list's ordinals.
_ALLOWED = [
    re.compile(p, re.M | re.I)
    for p in (
        r"Counts from 1 to \d+ read",
        r"at least \d+ times",
        r"within \d+ working days",
        r"level \d+ and above",
        r"App\. [A-E](?: \d+)?",
        r"^\d+\. ",
        r"^#.*$",  # headings (a theme's number, a month)
    )
]


def _labels(repo: Path) -> list[str]:
    """The repository's own words a report repeats: team names, the tools' questions and
    section titles (a question's "every 3 months" is no count), as written and escaped."""
    from ruamel.yaml import YAML

    from qa_cli.reports.markdown import md_inline

    load = YAML(typ="safe").load

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    words = strings(load((repo / "qa.yaml").read_text())["teams"])
    for tool in sorted((repo / "audit_tools").glob("*.yaml")):
        words += strings(load(tool.read_text()))
    found = {w for w in words if re.search(r"\d", w)}
    return sorted(found | {str(md_inline(w)) for w in found}, key=len, reverse=True)


def _bare_small_numbers(text: str, labels: list[str]) -> list[str]:
    """Each number from 1 to 4 the text shows where the docs allow none, with its context."""
    for label in labels:
        text = text.replace(label, " ")
    for allowed in _ALLOWED:
        text = allowed.sub(" ", text)
    return [text[max(0, m.start() - 60) : m.end() + 20] for m in _BARE.finditer(text)]


@pytest.mark.parametrize("name", sorted({*DEMO_REPORTS, "annual"}))
def test_no_small_count_leaves_any_redacted_report(demo_repo: Path, run, name: str) -> None:
    """Every report kind, over the demo: no count from 1 to 4 in the Markdown or the
    workbook, whether a table, a fact or a template's own sentence shows it (the templates
    count nothing themselves: `tests/unit/test_template_counts.py`)."""
    args, stem = DEMO_REPORTS.get(name) or (["annual", "--year", "2026"], "reports/2026/annual")
    result = run("report", *args, "--repo", demo_repo, "--as-of", AS_OF, "--redact")
    assert result.exit_code == 0, result.output
    md = (demo_repo / f"{stem}-redacted.md").read_text()
    wb = openpyxl.load_workbook(demo_repo / f"{stem}-redacted.xlsx")
    _assert_nothing_gives_a_small_count_back(md, wb)
    labels = _labels(demo_repo)
    assert not _bare_small_numbers(md, labels), _bare_small_numbers(md, labels)
    texts = [v for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    for text in (v for v in texts if isinstance(v, str)):
        assert not _bare_small_numbers(text, labels), text
    assert "nan" not in re.findall(r"[a-z]+", md.lower())  # a withheld figure reads "–"
    if name == "observations":  # a setting is no count: the requirement stays as set
        assert "observed at least 2 times a year" in md
    if name == "multi-agency":  # each consulted "k of n cases", so the rule above applies
        said = re.search(r"Consultation \(App\. E 7\): (.*)", md)
        assert said and said[1].count(" of ") == 4, said


def test_a_repository_template_that_counts_a_list_gets_the_suppressed_figure(
    demo_repo: Path, run
) -> None:
    """A repository's own template still receives the report's lists (templates/README.md):
    when it counts one itself, a redacted report gives it the suppressed figure."""
    own = demo_repo / "templates/complaints.md.j2"
    own.parent.mkdir(exist_ok=True)
    own.write_text(
        "# Complaints\n\nAt level 2 and above: {{ level_2_plus | length }} "
        "({{ 'several' if level_2_plus | count > 1 else 'one' }}); complaints: "
        "{{ complaints | length }}; name: {{ meta.organisation | length }} letters.\n"
    )
    args, stem = DEMO_REPORTS["complaints"]
    assert run("report", *args, "--repo", demo_repo, "--as-of", AS_OF).exit_code == 0
    full = (demo_repo / f"{stem}.md").read_text()
    high, total = re.search(r"and above: (\d+) \(several\); complaints: (\d+);", full).groups()  # type: ignore[union-attr]
    assert 0 < int(high) < 5 <= int(total)  # the demo's: a small count and a larger one
    assert run("report", *args, "--repo", demo_repo, "--as-of", AS_OF, "--redact").exit_code == 0
    md = (demo_repo / f"{stem}-redacted.md").read_text()
    # compared as itself, printed suppressed; a larger count and a string's length unchanged
    assert f"and above: fewer than 5 (several); complaints: {total};" in md
    assert re.search(r"name: \d+ letters", md)


def test_the_monitoring_forms_by_meeting_add_up_without_giving_one_back(
    demo_repo: Path, run
) -> None:
    """The redacted monitoring report shows its forms by meeting as a table with its total
    (the completed forms, the n of "sent to managers"): with 5 looked-after reviews beside
    small counts, the 5 is withheld too, so no subtraction from the total gives one back."""
    folder = demo_repo / "monitoring/2026-11"
    form = next(iter(sorted(folder.glob("*--cla_review--*.yaml"))))
    case = form.name.split("--")[0]
    used = {p.name.split("--")[0] for p in demo_repo.glob("monitoring/*/*.yaml")}
    listed = re.findall(
        r"C-[0-9A-Z]{8}", sorted((demo_repo / "cases").glob("*.csv"))[-1].read_text()
    )
    for new in [c for c in dict.fromkeys(listed) if c not in used][:4]:  # 2 + 4 reviews
        (folder / form.name.replace(case, new)).write_text(form.read_text().replace(case, new))
    args, stem = DEMO_REPORTS["monitoring"]
    assert run("report", *args, "--repo", demo_repo, "--as-of", AS_OF).exit_code == 0
    full = (demo_repo / f"{stem}.md").read_text()
    reviews = int(re.search(r"^- Looked-after review: (\d+)$", full, re.M)[1])  # type: ignore[index]
    assert reviews >= 5 and re.search(r"^- Initial CP conference: [1-4]$", full, re.M)
    assert run("report", *args, "--repo", demo_repo, "--as-of", AS_OF, "--redact").exit_code == 0
    md = (demo_repo / f"{stem}-redacted.md").read_text()
    table = next(t for t in _md_tables(md) if t[0][0] == "Initial CP conference")
    rows = {r[0]: r[1] for r in table}
    assert rows["Looked-after review"] == "–" and rows["**Total**"].strip("*").isdigit(), rows
    assert not _lines_with_one_hidden(table), table
    _assert_nothing_gives_a_small_count_back(
        md, openpyxl.load_workbook(demo_repo / f"{stem}-redacted.xlsx")
    )


def test_the_redactor_knows_the_codes_of_the_case_lists_and_of_the_files(mini_repo: Path) -> None:
    from qa_cli.reports.redact import Redactor
    from qa_cli.repository import Repository

    listed = set(re.findall(r"C-[0-9A-Z]{8}", (mini_repo / "cases/2026-10-28.csv").read_text()))
    repo = Repository.load(mini_repo)
    in_files = {getattr(lf.model, "case", None) for lf in repo.files} - {None}
    assert listed and in_files - listed  # the mini repository's returns name other cases too
    assert Redactor.for_repository(repo).known_codes == listed | in_files


def test_every_k_of_n_of_a_redacted_report_reads_by_one_rule(demo_repo: Path, run) -> None:
    """Parts of a whole read as the Summary's returns in and outstanding do: a small part of
    a whole of 9 or more is "fewer than 5" ("no in fewer than 5 of 16 returns"), any other
    part withheld is "–", and a whole withheld is "–" alone, never "– of –"."""
    reports = [
        ("monthly", "--month", "2026-09"),
        ("quarterly", "--quarter", "2026-Q4"),
        ("team", "--team", "assessment-1", "--half", "2026-H2"),
        ("annual", "--year", "2026"),
    ]
    texts = []
    for report in reports:
        args = (*report, "--repo", demo_repo, "--as-of", AS_OF, "--redact")
        assert run("report", *args).exit_code == 0
    for path in sorted(demo_repo.glob("reports/*/*-redacted.md")):
        texts.append(path.read_text())
    md = "\n".join(texts)
    part = r"(–|fewer than 5|\d+)"
    found = re.findall(rf"(?<![\w.\-/]){part} of {part}(?![\w\-/%]|\.\w)", md)
    assert ("fewer than 5", "16") in found and ("–", "fewer than 5") in found
    for k, n in found:
        assert n != "–", (k, n)  # "– of –" is written "–"
        if k == "fewer than 5":
            assert n.isdigit() and int(n) >= 9, (k, n)  # else its rest could be small too
        if n == "fewer than 5":
            assert k in ("–", "0"), (k, n)
    assert "no in fewer than 5 of 16 returns" in md
    # September: 14 of 15 returned. "– returned" (1 outstanding is small), and the grade
    # table's total, the same 14, withheld with it (15 - 14 would give the 1 back)
    sept = (demo_repo / "reports/2026-09/monthly-redacted.md").read_text()
    assert "**15** cases allocated, **–** returned, **fewer than 5** outstanding" in sept
    assert "| **Total** | **–** |" in sept
