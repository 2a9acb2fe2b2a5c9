"""Cells of a form into a return's values: words back to ids, dates, staff names, and problems
that name the cell and what is allowed, never what was typed."""

from __future__ import annotations

import datetime as dt

import pytest

from qa_cli.forms import convert
from qa_cli.forms import layout as L
from qa_cli.forms.convert import Desired, Unfit
from qa_cli.forms.reader import Cell, FormData
from qa_cli.models.tool import Question

SECRET = "Kestrel Lane"  # stands for an address typed into the wrong cell
STAFF = {"tm-jpatel": "Jaya Patel", "sm-rsingh": "Ravi Singh"}


def cell(value: object, ref: str = "D14", formula: bool = False) -> Cell:
    return Cell("Return", ref, value, formula)


def q(type_: str, **kw: object) -> Question:
    return Question(id="q-x", text="A question?", type=type_, **kw)


# What a typed cell becomes in the YAML, by case: the question's type, the cell, the value.
CELLS = {
    "na-in-words": ("yes_no_na", "Not applicable", "na"),
    "na-spaced-capitals": ("yes_no_na", " not  APPLICABLE ", "na"),
    "no": ("yes_no", "no", "no"),
    "grade-in-words": ("grade", "Requires Improvement", "requires_improvement"),
    "grade-code": ("grade", "requires_improvement", "requires_improvement"),
    "text-crlf-trimmed": ("text", "  Two\r\nlines  ", "Two\nlines"),
    "text-from-number": ("text", 42, "42"),
    "date-from-datetime": ("date", dt.datetime(2026, 11, 20), "2026-11-20"),
    "date-iso": ("date", "2026-11-20", "2026-11-20"),
    "number-whole": ("number", 150.0, 150),
    "number-thousands": ("number", "1,250.50", 1250.5),
    "staff-by-name": ("staff", "jaya patel", "tm-jpatel"),
    "staff-id": ("staff", "sm-rsingh", "sm-rsingh"),
    "text-empty": ("text", None, None),
}


@pytest.mark.parametrize(("type_", "typed", "value"), list(CELLS.values()), ids=list(CELLS))
def test_cells_become_the_values_the_yaml_holds(type_: str, typed: object, value: object) -> None:
    assert convert.answer_value(q(type_), cell(typed), STAFF) == value


def test_choices_and_multi_choice_use_the_option_words() -> None:
    choice = q("choice", options=["provide_service", "apology"])
    assert L.choices(choice) == [
        L.Choice("provide_service", "Provide service"),
        L.Choice("apology", "Apology"),
    ]
    assert convert.answer_value(choice, cell("Provide service"), STAFF) == "provide_service"
    multi = q("multi_choice", options=["domestic_abuse", "drug_misuse", "none"])
    got = convert.answer_value(multi, cell("Domestic abuse, drug misuse"), STAFF)
    assert got == ["domestic_abuse", "drug_misuse"]


@pytest.mark.parametrize(
    ("type_", "typed", "code"),
    [
        ("yes_no", SECRET, "QA303"),
        ("grade", f"Good - {SECRET}", "QA303"),
        ("date", f"{SECRET} 2026", "QA104"),
        ("date", "01/02/2026", "QA105"),
        ("number", SECRET, "QA303"),
        ("staff", SECRET, "QA401"),
        ("multi_choice", f"none, {SECRET}", "QA303"),
    ],
)
def test_values_that_do_not_fit_name_the_cell_not_the_value(
    type_: str, typed: str, code: str
) -> None:
    question = q(type_, options=["none"]) if type_ == "multi_choice" else q(type_)
    with pytest.raises(Unfit) as info:
        convert.answer_value(question, cell(typed), STAFF)
    problem = info.value.problem
    assert problem.where == "Return!D14" and problem.code == code
    assert SECRET not in problem.message + (problem.hint or "")
    assert "01/02" not in problem.message


def test_a_formula_is_not_taken_as_an_answer() -> None:
    with pytest.raises(Unfit) as info:
        convert.answer_value(q("text"), cell("=HYPERLINK(1)", formula=True), STAFF)
    assert info.value.problem.code == "QA103"


def _form(fields: dict[str, object]) -> FormData:
    form = FormData(name="f.xlsx", meta={}, snapshot={})
    for i, (label, value) in enumerate(fields.items(), start=5):
        form.fields[label] = cell(value, f"D{i}")
    return form


def test_a_safeguarding_concern_needs_all_four_cells() -> None:
    full = {
        L.LABEL_SG_FOUND: dt.datetime(2026, 11, 3),
        L.LABEL_SG_WHAT: "Bruising seen; reported to the team manager.",
        L.LABEL_SG_TO: "Jaya Patel",
        L.LABEL_SG_ON: dt.datetime(2026, 11, 3),
    }
    d = Desired()
    convert.concern(_form(full), {}, STAFF, d)
    assert d.values["safeguarding_concern"] == {
        "found": "2026-11-03",
        "description": "Bruising seen; reported to the team manager.",
        "escalated_to": "tm-jpatel",
        "escalated_on": "2026-11-03",
    }
    missing = dict(full, **{L.LABEL_SG_TO: None})
    d = Desired()
    convert.concern(_form(missing), {}, STAFF, d)
    assert "safeguarding_concern" not in d.values
    assert [(p.where, p.code) for p in d.problems] == [("Return!D7", "QA102")]
    d = Desired()
    convert.concern(_form(dict.fromkeys(full)), {}, STAFF, d)
    assert not d.values and not d.problems


def test_new_actions_are_numbered_after_the_ids_in_use() -> None:
    form = FormData(name="f.xlsx", meta={}, snapshot={})
    for row, (aid, text) in enumerate(
        [(None, "First new."), ("A3", "Typed id."), (None, "Second.")]
    ):
        form.actions.append(
            {
                "Id": Cell("Actions", f"A{row + 5}", aid),
                "Action": Cell("Actions", f"B{row + 5}", text),
                "Owner": Cell("Actions", f"C{row + 5}", "Ravi Singh"),
                "Due": Cell("Actions", f"D{row + 5}", dt.datetime(2027, 1, 8)),
                "Re-audit": Cell("Actions", f"E{row + 5}", None),
            }
        )
    current = [{"id": "A1", "action": "Old.", "owner": "tm-jpatel", "due": "2026-12-01"}]
    d = Desired()
    convert.actions(form, current, STAFF, d)
    assert [a["id"] for a in d.values["actions"]] == ["A1", "A2", "A3", "A4"]
    assert d.values["actions"][1] == {
        "id": "A2",
        "action": "First new.",
        "owner": "sm-rsingh",
        "due": "2027-01-08",
        "status": "open",
    }
