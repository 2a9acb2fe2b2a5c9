"""Audit tools (``qa/tool@1``): versioned sets of questions that returns answer."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, StrictBool, StrictStr, model_validator

from .common import GRADES, FileModel, Id, QAModel, Text, Version

ToolKind = Literal[
    "single-agency",
    "crib-sheet",
    "themed",
    "multi-agency",
    "observation",
    "complaint",
    "monitoring",
    "midpoint",
]
QuestionType = Literal[
    "grade",
    "yes_no",
    "yes_no_na",
    "choice",
    "multi_choice",
    "text",
    "date",
    "number",
    "staff",
    "check",
]
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
Category = Literal["CIN", "CP", "CLA", "care_leaver", "early_help"]
CATEGORIES: tuple[str, ...] = get_args(Category)

# The answers a question of each closed type accepts.
CLOSED_ANSWERS: dict[str, tuple[str, ...]] = {
    "grade": GRADES,
    "yes_no": ("yes", "no"),
    "yes_no_na": ("yes", "no", "na"),
    "check": ("yes", "no", "na"),
}


class Descriptors(QAModel):
    """What each grade looks like for one question: explicit criteria help auditors agree."""

    outstanding: Text | None = None
    good: Text
    requires_improvement: Text
    inadequate: Text

    def named(self) -> list[tuple[str, str]]:
        """(grade name, text) of each descriptor given, best grade first."""
        pairs = (
            ("Outstanding", self.outstanding),
            ("Good", self.good),
            ("Requires Improvement", self.requires_improvement),
            ("Inadequate", self.inadequate),
        )
        return [(name, text) for name, text in pairs if text]


class AppliesIf(QAModel):
    """A follow-up question applies only when an earlier question has one of these answers."""

    question: Id
    answer: StrictStr | list[StrictStr]

    def answers(self) -> list[str]:
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)


class Question(QAModel):
    id: Id
    text: Text
    type: QuestionType
    required: StrictBool = True
    guidance: Text | None = None
    line_of_enquiry: Id | None = None
    options: list[Id] | None = None
    comment_required_if: StrictStr | list[StrictStr] | None = None
    applies_if: AppliesIf | None = None
    descriptors: Descriptors | None = None

    @model_validator(mode="after")
    def _options_fit_type(self) -> Question:
        if self.type in ("choice", "multi_choice") and not self.options:
            raise ValueError(f"a {self.type} question needs `options`")
        if self.type not in ("choice", "multi_choice") and self.options:
            raise ValueError(f"`options` only apply to choice questions, not {self.type}")
        if self.descriptors is not None and self.type != "grade":
            raise ValueError("`descriptors` only apply to grade questions")
        return self

    def comment_triggers(self) -> list[str]:
        c = self.comment_required_if
        if c is None:
            return []
        return [c] if isinstance(c, str) else list(c)


class Section(QAModel):
    id: Id
    title: Text
    line_of_enquiry: Text | None = None
    guidance: Text | None = None
    questions: list[Question] = Field(min_length=1)


class LineOfEnquiry(QAModel):
    id: Id
    text: Text


class Tool(FileModel):
    schema_: Literal["qa/tool@1"] = Field(alias="schema")
    id: Id
    version: Version = Field(ge=1)
    title: Text
    kind: ToolKind
    categories: list[Category] = Field(default_factory=list)
    source: Text | None = None
    description: Text | None = None
    lines_of_enquiry: list[LineOfEnquiry] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def questions(self) -> dict[str, Question]:
        """Every question by id, in order."""
        return {q.id: q for s in self.sections for q in s.questions}

    def reason_of(self, q: Question) -> Question | None:
        """The question whose "no" (or other comment trigger) follow-up ``q`` only asks the
        reason of: a text question that applies exactly when that question needs a comment.

        Such a follow-up asks what the comment must say, so one reason, written once as the
        comment, satisfies both; an answer to the follow-up (as older returns have) counts too.
        """
        cond = q.applies_if
        if q.type != "text" or cond is None:
            return None
        base = self.questions().get(cond.question)
        if base is None or not base.comment_triggers():
            return None
        return base if set(cond.answers()) <= set(base.comment_triggers()) else None

    def reason_followups(self) -> dict[str, Question]:
        """{question id: its reason follow-up} (see :meth:`reason_of`)."""
        out: dict[str, Question] = {}
        for q in self.questions().values():
            base = self.reason_of(q)
            if base is not None:
                out.setdefault(base.id, q)
        return out

    def section_of(self) -> dict[str, str]:
        return {q.id: s.id for s in self.sections for q in s.questions}
