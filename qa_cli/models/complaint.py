"""Lessons learned from complaints and members' enquiries (``qa/complaint@1``, App. C)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import Id, IsoDate, QAModel, Text, ToolRef


class Complaint(QAModel):
    schema_: Literal["qa/complaint@1"] = Field(alias="schema")
    tool: ToolRef
    ref: Text = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=40)
    manager: Id
    team: Id
    date: IsoDate
    responded: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)

    model_config = QAModel.model_config | {"populate_by_name": True}
