"""Supervision crib sheets (``qa/crib-sheet@1``, App. A): two cases a month per team."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .audit import Action
from .common import CaseCode, FormStatus, Id, IsoDate, Month, Text, ToolReturn


class CribSheet(ToolReturn):
    schema_: Literal["qa/crib-sheet@1"] = Field(alias="schema")
    month: Month
    team: Id
    case: CaseCode
    social_worker: Id
    team_manager: Id
    service_manager: Id
    status: FormStatus = "allocated"
    held: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    summary: Text | None = None
    actions: list[Action] = Field(default_factory=list)
