"""A summarised return (qa_cli.reports.loading) is the object pydantic's model_construct
makes of its fields, built without model_construct's walk over every field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from qa_cli.models.audit import AuditReturn, QAReview
from qa_cli.reports.loading import audit_of, constructed

SUMMARY = {
    "kind": "qa/audit",
    "tool": "single-agency-cla@1",
    "case": "C-AAAA1111",
    "team": "looked-after",
    "status": "closed",
    "auditors": ["sm-x", "tm-y"],
    "allocated": "2026-08-03",
    "completed": "2026-09-01",
    "grade": "good",
    "agreed": "requires_improvement",
    "reviewer": "qa-z",
    "concern": None,
}


def test_a_summarised_return_equals_model_construct() -> None:
    audit = audit_of(SUMMARY)
    fields = {k: getattr(audit, k) for k in audit.model_fields_set}
    expected = AuditReturn.model_construct(**fields)
    assert audit == expected and repr(audit) == repr(expected)
    assert audit.model_fields_set == expected.model_fields_set
    review = {"agreed_grade": "good", "reviewer": "qa-z", "forwarded_to": []}
    assert constructed(QAReview, review) == QAReview.model_construct(**review)
    assert audit.due is None and audit.feedback is None  # the unsummarised fields' defaults


def test_a_default_factory_must_be_given() -> None:
    class WithList(BaseModel):
        items: list[str] = Field(default_factory=list)

    with pytest.raises(TypeError, match="default factory"):
        constructed(WithList, {})
    assert constructed(WithList, {"items": ["a"]}).items == ["a"]


def test_each_constructed_model_has_its_own_fields() -> None:
    first = constructed(QAReview, {"agreed_grade": "good", "reviewer": "qa-z", "forwarded_to": []})
    second = constructed(QAReview, {"agreed_grade": "good", "reviewer": "qa-y", "forwarded_to": []})
    assert first.reviewer == "qa-z" and second.reviewer == "qa-y"
    assert first.__dict__ is not second.__dict__
    assert list(first.__dict__) == list(
        QAReview.model_construct(
            **{"agreed_grade": "good", "reviewer": "qa-z", "forwarded_to": []}
        ).__dict__
    )


def test_a_name_that_is_no_field_is_left_out_as_model_construct_leaves_it() -> None:
    given = {"agreed_grade": "good", "reviewer": "qa-z", "forwarded_to": [], "not_a_field": 1}
    made, expected = constructed(QAReview, given), QAReview.model_construct(**given)
    assert made == expected and repr(made) == repr(expected)
    assert "not_a_field" not in made.__dict__
