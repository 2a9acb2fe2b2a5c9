"""Practice observations (``qa/observation@1``, App. B): twice a year per social worker."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import Id, IsoDate, QAModel, ToolRef


class Observation(QAModel):
    schema_: Literal["qa/observation@1"] = Field(alias="schema")
    tool: ToolRef
    social_worker: Id
    observer: Id
    team: Id
    observed: IsoDate
    consent_written: IsoDate | None = None
    consent_verbal: Literal["yes", "no"] | None = None
    feedback_verbal: IsoDate | None = None
    feedback_written: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)

    model_config = QAModel.model_config | {"populate_by_name": True}
