"""`qa cases import`: pseudonymised case lists from CSV and XLSX exports, and bad exports."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from conftest import snapshot

from qa_cli.caselist import CHECK_HEADER, parse_export_date
from qa_cli.privacy import case_check, case_code

ANNEX = Path("/work/shared/reference/annex-a-sample.xlsx")
KEY = "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"  # made up, strong enough
AS_OF = "2026-11-29"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QA_CASE_KEY", KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _rows(path: Path) -> list[dict[str, str]]:
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# key-fingerprint: hmac-sha256:")  # which key, never the key
    return list(csv.DictReader(lines[1:]))


def _synthetic_people(n: int, seed: int = 7) -> list[dict[str, str]]:
    """Synthetic children made at run time: invented names, dates of birth and IDs."""
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ra", "ven", "tor", "bel", "sun", "dar", "qui"]
    people = []
    for i in range(n):
        name = "".join(rng.choice(syll) for _ in range(3)).title()
        surname = "".join(rng.choice(syll) for _ in range(3)).title() + "ix"
        people.append(
            {
                "id": str(900000 + rng.randrange(10000) * 10 + i % 10),
                "name": f"{name} {surname}",
                "dob": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                f"{rng.randint(2009, 2020)}",
                "address": f"{rng.randint(1, 99)} Zyx Road",
            }
        )
    return people


def _plain_export(path: Path, people: list[dict[str, str]], workers: list[str]) -> None:
    teams = [
        "Assessment Team 1",
        "assessment-2",
        "Child Protection Team",
        "Children Looked After Team",
    ]
    cats = ["CIN", "Early Help", "CP", "CLA"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "Case ID",
                "Child Name",
                "Date of Birth",
                "Address",
                " allocated  TEAM ",
                "Social Worker",
                "Category",
                "Start Date",
            ]
        )
        for i, p in enumerate(people):
            w.writerow(
                [
                    p["id"],
                    p["name"],
                    p["dob"],
                    p["address"],
                    teams[i % 4],
                    workers[i % len(workers)],
                    cats[i % 4],
                    "03/02/2026",
                ]
            )


def test_csv_import_drops_identifying_columns(demo_repo: Path, run, tmp_path: Path) -> None:
    people = _synthetic_people(40)
    export = tmp_path / "export.csv"
    _plain_export(export, people, ["Maya Okafor", "sw-jnowak", "Nobody Known"])
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    out = demo_repo / "cases" / f"{AS_OF}.csv"
    rows = _rows(out)
    assert tuple(rows[0]) == CHECK_HEADER  # with the check digest of each case
    assert len(rows) == 40
    assert {r["category"] for r in rows} == {"CIN", "early_help", "CP", "CLA"}
    assert {r["team"] for r in rows} == {
        "assessment-1",
        "assessment-2",
        "child-protection",
        "looked-after",
    }
    # Worker matched by name and by id; an unknown worker is kept as empty and reported.
    assert {r["worker"] for r in rows} == {"sw-mokafor", "sw-jnowak", ""}
    # ... by kind and two letters only (the masking policy), never by the name.
    assert "a name starting `No…`" in result.output and "worker left empty" in result.output
    assert "Nobody Known" not in result.output
    assert "Child Name" in result.output and "Address" in result.output  # said what it dropped
    assert rows[0]["start_date"] == "2026-02"  # 03/02/2026 read the UK way, kept to the month
    codes = {r["case"] for r in rows}
    assert codes == {case_code(p["id"], KEY.encode()) for p in people}
    # The demo's qa.yaml sets no code_length: 8 characters, as before it existed.
    assert {len(c) for c in codes} == {10}
    assert {r["check"] for r in rows} == {case_check(p["id"], KEY.encode()) for p in people}
    # Nothing that identifies a child is anywhere in the repository.
    everything = b"".join(snapshot(demo_repo).values())
    for p in people:
        for value in (p["name"], p["dob"], p["address"], p["name"].split()[1]):
            assert value.encode() not in everything, value
        assert f",{p['id']},".encode() not in everything


def test_same_id_and_key_give_the_same_code_another_key_does_not() -> None:
    assert case_code("123456", KEY.encode()) == case_code(123456, KEY.encode())
    assert case_code(123456.0, KEY.encode()) == case_code("123456", KEY.encode())
    assert case_code("123456", KEY.encode()) != case_code("123456", b"x" * 40)
    import re

    assert re.fullmatch(r"C-[0-9A-HJKMNP-TV-Z]{8}", case_code("1", KEY.encode()))


def _annex_repo(tmp_path: Path) -> Path:
    root = tmp_path / "annex"
    root.mkdir()
    (root / "qa.yaml").write_text(
        "schema: qa/config@1\norganisation: Test borough (fictional)\n"
        "services:\n  - {id: safeguarding, name: Safeguarding}\n  - {id: cla, name: CLA}\n"
        "teams:\n"
        "  - {id: locality-4-unit-1, name: Locality 4 Unit 1, service: safeguarding}\n"
        "  - {id: cic-1, name: Children in Care Team 1, service: cla}\n"
        "  - {id: cic-2, name: Children in Care Team 2, service: cla}\n"
        "  - {id: cic-3, name: Children in Care Team 3, service: cla}\n"
        "  - {id: leaving-care, name: Leaving care, service: cla}\n"
        "staff:\n  - {id: sw-one, name: Petra Wills, roles: [social_worker]}\n"
        "case_list:\n  team_aliases:\n    leaving-care: [Care Leavers Team]\n"
    )
    return root


@pytest.mark.skipif(not ANNEX.is_file(), reason="the Annex A fixture is not available")
def test_annex_a_workbook(tmp_path: Path, run) -> None:
    root = _annex_repo(tmp_path)
    result = run("cases", "import", ANNEX, "--as-of", "2021-03-31", "--repo", root)
    assert result.exit_code == 0, result.output
    rows = _rows(root / "cases" / "2021-03-31.csv")
    cats = {r["category"] for r in rows}
    assert cats == {"CP", "CLA", "care_leaver"}
    assert "List 1 is not a list of open cases" in result.output
    assert "no allocated team" in result.output  # List 6 is #N/A: reported, not an error
    assert "closed" in result.output  # ended plans and episodes are left out
    assert {r["worker"] for r in rows if r["category"] == "CP"} >= {"sw-one"}  # nbsp in names
    assert all(r["age_band"] for r in rows)
    assert "Date of Birth (used for the age band only)" in result.output


@pytest.mark.skipif(not ANNEX.is_file(), reason="the Annex A fixture is not available")
def test_annex_unknown_team_is_an_error_naming_row_and_column(tmp_path: Path, run) -> None:
    root = _annex_repo(tmp_path)
    text = (
        (root / "qa.yaml")
        .read_text()
        .replace("    leaving-care: [Care Leavers Team]\n", "    leaving-care: [Leaving]\n")
    )
    (root / "qa.yaml").write_text(text)
    before = snapshot(root)
    result = run("cases", "import", ANNEX, "--as-of", "2021-03-31", "--repo", root)
    assert result.exit_code == 1
    assert "sheet 'List 9', row 2, column G (Allocated Team)" in result.output
    assert "team a value starting `Ca…` is not a team in qa.yaml" in result.output
    assert snapshot(root) == before


def test_xlsx_one_sheet_per_list_and_child_on_two_lists(demo_repo: Path, run, tmp_path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "List 6"
    when = dt.datetime
    columns = ["Child Unique ID", "Gender", "Date of Birth", "CIN Start Date", "Allocated Team"]
    ws.append([*columns, "Allocated Worker"])
    name = "Maya\xa0Okafor"  # a worker's name with a no-break space, as exports have them
    ws.append([501, "b) Female", when(2015, 1, 2), when(2026, 1, 5), "Assessment Team 1", name])
    ws.append([502, "a) Male", when(2012, 3, 4), when(2026, 2, 5), "assessment-2", "sw-jnowak"])
    ws7 = wb.create_sheet("List 7")
    ws7.append(
        [
            "Child  unique id",
            "Child Protection Plan Start Date",
            "allocated team",
            "Allocated Worker",
        ]
    )
    ws7.append([501, dt.datetime(2026, 3, 1), "Child Protection Team", "sw-akhan"])
    export = tmp_path / "annex.xlsx"
    wb.save(export)
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    rows = _rows(demo_repo / "cases" / f"{AS_OF}.csv")
    assert len(rows) == 2
    merged = next(r for r in rows if r["case"] == case_code(501, KEY.encode()))
    assert (merged["category"], merged["team"], merged["worker"]) == (
        "CP",
        "child-protection",
        "sw-akhan",
    )
    assert "more than one list" in result.output
    other = next(r for r in rows if r["case"] == case_code(502, KEY.encode()))
    assert other["age_band"] == "10-15"


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (["Name", "Allocated Team"], ["x", "Assessment Team 1"], "no column for the child's ID"),
        (
            ["Case ID", "Team", "Category", "Start Date"],
            ["1", "Nowhere Team", "CIN", "01/02/2026"],
            "row 2, column 2 (Team): team a value starting `No…` is not a team in qa.yaml",
        ),
        (
            ["Case ID", "Team", "Category", "Start Date"],
            ["1", "assessment-1", "CIN", "31/31/2026"],
            "row 2, column 4 (Start Date): a value starting `31…` is not a date",
        ),
        (
            ["Case ID", "Team", "Category"],
            ["1", "assessment-1", "Fostering"],
            "row 2, column 3 (Category): a value starting `Fo…` is not a case category",
        ),
    ],
)
def test_bad_exports_change_nothing(
    demo_repo: Path, run, tmp_path: Path, header, row, message
) -> None:
    export = tmp_path / "bad.csv"
    with export.open("w", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    before = snapshot(demo_repo)
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split())
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert snapshot(demo_repo) == before


def test_duplicate_id_names_both_rows(demo_repo: Path, run, tmp_path: Path) -> None:
    export = tmp_path / "dup.csv"
    export.write_text(
        "Case ID,Team,Category\n77,assessment-1,CIN\n78,assessment-1,CP\n77,assessment-2,CP\n"
    )
    before = snapshot(demo_repo)
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 1
    assert "row 4, column 1 (Case ID): the same case ID is also on row 2" in result.output
    assert snapshot(demo_repo) == before


def test_no_key_is_a_clear_error(demo_repo: Path, run, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("QA_CASE_KEY")
    export = tmp_path / "e.csv"
    export.write_text("Case ID,Team,Category\n1,assessment-1,CIN\n")
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 2
    assert "qa cases keygen" in result.output


def test_keygen_writes_outside_the_repo_and_never_overwrites(
    demo_repo, run, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("QA_CASE_KEY")
    result = run("cases", "keygen", "--repo", demo_repo)
    assert result.exit_code == 0, result.output
    key_file = tmp_path / "config" / "qa" / "case-key"
    key = key_file.read_text()
    assert len(key.strip()) == 64 and (key_file.stat().st_mode & 0o077) == 0
    again = run("cases", "keygen", "--repo", demo_repo)
    assert again.exit_code == 1 and key_file.read_text() == key
    inside = run("cases", "keygen", "--key-file", demo_repo / "key", "--repo", demo_repo)
    assert inside.exit_code == 2 and not (demo_repo / "key").exists()
    export = tmp_path / "e.csv"
    export.write_text("Case ID,Team,Category\n1,assessment-1,CIN\n")
    # the demo's lists were made with another key: starting over with this one is --new-key
    ok = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo, "--new-key")
    assert ok.exit_code == 0, ok.output
    assert (
        case_code("1", key.strip().encode()) in (demo_repo / "cases" / f"{AS_OF}.csv").read_text()
    )


def test_import_refuses_to_overwrite_a_case_list(demo_repo: Path, run, tmp_path) -> None:
    export = tmp_path / "e.csv"
    export.write_text("Case ID,Team,Category\n1,assessment-1,CIN\n")
    before = snapshot(demo_repo)
    result = run("cases", "import", export, "--as-of", "2026-10-28", "--repo", demo_repo)
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert snapshot(demo_repo) == before


def test_export_dates() -> None:
    import datetime as dt

    assert parse_export_date("01/02/2026") == dt.date(2026, 2, 1)
    assert parse_export_date("2026-02-01") == dt.date(2026, 2, 1)
    assert parse_export_date("01/02/2026 00:00") == dt.date(2026, 2, 1)
    assert parse_export_date("1 Feb 2026") == dt.date(2026, 2, 1)
    assert parse_export_date("13/13/2026") is None
    assert parse_export_date("soon") is None


def test_plain_list_without_category_is_an_error(demo_repo: Path, run, tmp_path) -> None:
    export = tmp_path / "e.csv"
    export.write_text("Case ID,Team\n1,assessment-1\n")
    result = run("cases", "import", export, "--as-of", AS_OF, "--repo", demo_repo)
    assert result.exit_code == 1
    assert "cannot tell the cases' category" in result.output
