"""Themed audit scopes (``qa/themed@1``, §5.3): supervision, care plans, decisions, views."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import CaseCode, FileModel, Id, IsoDate, Month, Text, ToolRef


class ThemedScope(FileModel):
    schema_: Literal["qa/themed@1"] = Field(alias="schema")
    theme: Id
    month: Month
    title: Text
    lead: Id
    tool: ToolRef
    consulted: list[Id] = Field(default_factory=list)
    cases: list[CaseCode] = Field(min_length=1)
    report_due: IsoDate | None = None
    findings: Text | None = None
    recommendations: list[Text] = Field(default_factory=list)
