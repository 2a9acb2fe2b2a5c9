"""What a form looks like, shared by the writer and the reader: sheet names, labels, words.

Closed answers travel as words a reader knows ("Requires Improvement", "Not applicable") and
come back as the ids the YAML uses; :func:`choices` is the one table for both directions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.common import GRADE_NAMES, GRADES
from ..models.tool import Question

FORMAT = "qa-form@1"
RETURN_SHEET = "Return"
ACTIONS_SHEET = "Actions"
META_SHEET = "qa-form"
LISTS_SHEET = "Lists"

QUESTION_HEADERS = ("Question id", "Question", "Guidance", "Answer", "Comment")
ACTION_HEADERS = ("Id", "Action", "Owner", "Due", "Re-audit")
ANSWER_COL = 4  # D
COMMENT_COL = 5  # E
VALUE_COL = 4  # header-block values sit in the Answer column

# Header-block labels (column A) and the return field each one fills.
LABEL_CASE = "Case code"
LABEL_TOOL = "Tool"
LABEL_COMPLETED = "Completed"
LABEL_GRADE = "Overall grade"
LABEL_STRENGTHS = "Strengths"
LABEL_AREAS = "Areas for improvement"
LABEL_SG_FOUND = "Safeguarding concern: found on"
LABEL_SG_WHAT = "Safeguarding concern: what was found"
LABEL_SG_TO = "Safeguarding concern: escalated to"
LABEL_SG_ON = "Safeguarding concern: escalated on"

YES_NO_WORDS = {"yes": "Yes", "no": "No", "na": "Not applicable"}
CLOSED_TYPES = ("grade", "yes_no", "yes_no_na", "choice")


@dataclass(frozen=True)
class Choice:
    value: str  # as the YAML writes it
    word: str  # as the form shows it


def humanise(option: str) -> str:
    """``adult_mental_health`` -> ``Adult mental health``."""
    text = option.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def grade_choices() -> list[Choice]:
    return [Choice(g, GRADE_NAMES[g]) for g in GRADES]


def choices(q: Question) -> list[Choice] | None:
    """The drop-down of a closed question, in words; None for free answers."""
    if q.type == "grade":
        return grade_choices()
    if q.type == "yes_no":
        return [Choice(v, YES_NO_WORDS[v]) for v in ("yes", "no")]
    if q.type == "yes_no_na":
        return [Choice(v, YES_NO_WORDS[v]) for v in ("yes", "no", "na")]
    if q.type == "choice":
        return [Choice(o, humanise(o)) for o in q.options or []]
    return None


def word_of(q: Question, value: str) -> str:
    for c in choices(q) or []:
        if c.value == value:
            return c.word
    return value


def value_of(options: list[Choice], text: str) -> str | None:
    """The YAML value of a word (or of the value itself), ignoring case; None if not allowed."""
    wanted = " ".join(text.split()).casefold()
    for c in options:
        if wanted in (c.word.casefold(), c.value.casefold()):
            return c.value
    return None
