"""The redaction transform: codes and staff in any form, names of people, small counts."""

from __future__ import annotations

from conftest import one_team_config

from qa_cli.reports.redact import NAMES_PERSON, NARRATIVE, Redactor, Small

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
    assert r.markdown(f"{small} of 9") == "fewer than 5 of 9"  # its rest cannot be small
    assert r(0) == 0  # zero identifies no one


def test_a_code_with_neither_hyphen_nor_digit_is_redacted_when_the_repository_holds_it() -> None:
    # One 8-character code in 20 has no digit (22 of the 32 symbols are letters): written
    # without its hyphen it looks like a word, and only the repository's codes tell it apart.
    r = Redactor(CONFIG, codes=["C-JTZGFXHQ", "C-7F3K2Q9M"])
    out = r.text("Sibling of CJTZGFXHQ (cjtzgfxhq, C-JTZGFXHQ); Character building")
    assert out == "Sibling of Case 1 (Case 1, Case 1); Character building"
    assert Redactor(CONFIG).text("CJTZGFXHQ") == "CJTZGFXHQ"  # no list: a word it may be


def test_returns_in_and_outstanding_are_parts_of_those_allocated() -> None:
    r = Redactor(CONFIG, small_numbers=5)
    # 5 and 10 of 15: nothing small, nothing withheld (5 is not "fewer than 5")
    facts = [["Cases allocated", 15], ["Returns in", {"k": 5, "n": 15}, "count"]]
    facts.append(["Returns outstanding", {"k": 10, "n": 15}, "count"])
    assert r({"facts": facts})["facts"] == facts
    # 3 in of 15: "fewer than 5", and the 12 outstanding (15 - 3) withheld, in both forms
    facts = [["Cases allocated", 15], ["Returns in", {"k": 3, "n": 15}, "count"]]
    facts.append(["Returns outstanding", {"k": 12, "n": 15}, "count"])
    out = r({"facts": facts})["facts"]
    assert [f[1] for f in out] == [15, {"k": "fewer than 5", "n": 15}, {"k": "–", "n": 15}]
    head = r.context({"allocated": 15, "returned": 3, "outstanding": 12, "overdue_returns": 0})
    assert f"{head['allocated']} {head['outstanding']}" == "15 –" and head["returned"] < 5


def test_with_few_allocated_a_small_part_is_withheld_like_its_rest() -> None:
    """Of 6 allocated, "fewer than 5 outstanding" beside "– returned" would say the returns
    are not few, so 5 in and 1 out; 2 in and 4 out read the same (the k-of-n rule)."""
    r = Redactor(CONFIG, small_numbers=5)
    seen = {
        (k, 6 - k): r({"allocated": 6, "returned": k, "outstanding": 6 - k}) for k in range(1, 6)
    }
    assert {(v["returned"], v["outstanding"]) for v in seen.values()} == {("–", "–")}
    # with 9 or more allocated a small part's rest cannot be small: "fewer than 5" is safe
    assert r({"allocated": 9, "returned": 4, "outstanding": 5})["returned"] == "fewer than 5"


def test_crib_sheet_sessions_and_points_are_parts_of_their_whole() -> None:
    """The crib-sheet report's "8 of 10 sessions held" and "198 points met" (of 201 checked)
    follow the k-of-n rule: the rest (2 not held, 3 not met) would be given back."""
    r = Redactor(CONFIG, small_numbers=5)
    sessions = r.context({"allocated": 10, "held": 8})
    assert str(sessions["held"]) == "–" and sessions["allocated"] == 10
    points = r.context({"met": 198, "not_met": 3, "checked": 201})
    assert str(points["met"]) == "–" and points["not_met"] < 5
    assert r.context({"allocated": 10, "held": 10})["held"] == 10  # none not held: shown


def test_settings_are_not_counts() -> None:
    """Observations a year and the days allowed for feedback are settings the report states
    ("observed at least 2 times a year"): never "fewer than 5"."""
    r = Redactor(CONFIG, small_numbers=5)
    meta = r.context({"per_year": 2, "feedback_days": 3, "year": 2026})
    assert (meta["per_year"], meta["feedback_days"]) == (2, 3)
    assert isinstance(r.context({"observed": 2})["observed"], Small)  # a count still is
