"""Lessons learned from complaints and members' enquiries (``qa/complaint@1``, App. C)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictInt

from .common import FileModel, Id, IsoDate, QAModel, Text, ToolReturn, nothing_in


class Complaint(ToolReturn):
    schema_: Literal["qa/complaint@1"] = Field(alias="schema")
    ref: Text = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=40)
    manager: Id
    team: Id
    date: IsoDate
    responded: IsoDate | None = None
    # The complaints procedure's stage: 1 local resolution, 2 investigation, 3 review panel;
    # §4.5.2: "a log of the level 2 complaints and above is held".
    level: Literal[1, 2, 3] | None = None
    answers: dict[str, Any] = Field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Just created (`qa new`): nothing answered and no response yet."""
        return nothing_in(self.answers) and self.responded is None and self.level is None


class Compliment(QAModel):
    """One compliment (§4.5.1: "examples of good practice and strengths in service delivery")."""

    date: IsoDate
    team: Id
    about: list[Id] = Field(default_factory=list)  # staff ids, when it names anyone
    source: Literal[
        "child_or_young_person",
        "parent_or_carer",
        "relative",
        "partner_agency",
        "elected_member",
        "other",
    ]
    summary: Text


class ComplimentsLog(FileModel):
    """The year's compliments (``qa/compliments@1``, ``compliments/<YYYY>.yaml``)."""

    schema_: Literal["qa/compliments@1"] = Field(alias="schema")
    year: StrictInt = Field(ge=2000, le=2100)
    compliments: list[Compliment] = Field(default_factory=list)
