"""The redaction transform: codes and staff in any form, names of people, small counts."""

from __future__ import annotations

from conftest import one_team_config

from qa_cli.reports.redact import NAMES_PERSON, NARRATIVE, Redactor

CONFIG = one_team_config("Testshire (fictional)", ("s", "S"), ("t", "T"), ("tm-bmoor", "Bea Moor"))


def test_codes_and_staff_in_any_case_with_or_without_the_hyphen() -> None:
    r = Redactor(CONFIG)
    out = r.text("C-7F3K2Q9M, c-7f3k2q9m and C7F3K2Q9M; bea moor, TM-BMOOR, tmbmoor, Moor")
    assert out == "Case 1, Case 1 and Case 1; Staff A, Staff A, Staff A, Staff A"
    assert r.text("Character building") == "Character building"  # no digit, no hyphen


def test_narratives_and_text_naming_people_are_withheld() -> None:
    r = Redactor(CONFIG, names=["Zebedee Quux"])
    data = {"description": "Found bruises.", "text": "Seen with mother Zinnia at home."}
    assert r(data) == {"description": NARRATIVE, "text": NAMES_PERSON}
    assert r.text("zebedee.quux was seen") == NAMES_PERSON
    assert r.text("Mrs Quux attended") == NAMES_PERSON
    assert r.text("The child was seen alone.") == "The child was seen alone."


def test_small_counts_and_the_shares_beside_them() -> None:
    r = Redactor(CONFIG, small_numbers=5)
    table = {"rows": [["T", 3, 0.75], ["U", 12, 0.5], ["V", 0, 0.0]], "percent_columns": [2]}
    # 3 is suppressed; 12, in the same column, is withheld too (a column total elsewhere
    # minus 12 would give the 3 back), and so are the shares of both rows.
    assert r(table) == {
        "rows": [["T", "fewer than 5", None], ["U", "–", None], ["V", 0, 0.0]],
        "percent_columns": [2],
    }
    share = r.context({"k": 2, "n": 9, "value": 0.22})
    assert share["value"] != share["value"] and share["n"] == 9  # withheld (NaN): shown "–"
    small = share["k"]
    assert small < 5 and str(small / 9) == "–" and f"{small * 100:.0f}" == "–"
    assert r.markdown(f"{small} of 9") == "– of 9"
    assert r(0) == 0  # zero identifies no one
