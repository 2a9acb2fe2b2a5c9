"""Practice observations (``qa/observation@1``, App. B): twice a year per social worker."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field

from .common import Id, IsoDate, ToolReturn, nothing_in

# Practice standards an observation can evidence (App. B: "specific indicators within practice
# standards or the competency framework"): the nine domains of the Professional Capabilities
# Framework (PCF) and the Knowledge and Skills Statement for child and family practitioners (KSS).
PracticeStandard = Literal[
    "pcf_professionalism",
    "pcf_values_and_ethics",
    "pcf_diversity_and_equality",
    "pcf_rights_justice_and_economic_wellbeing",
    "pcf_knowledge",
    "pcf_critical_reflection_and_analysis",
    "pcf_skills_and_interventions",
    "pcf_contexts_and_organisations",
    "pcf_professional_leadership",
    "kss_relationships_and_direct_work",
    "kss_communication",
    "kss_child_development",
    "kss_adult_mental_ill_health_substance_misuse_domestic_abuse",
    "kss_abuse_and_neglect",
    "kss_child_and_family_assessment",
    "kss_analysis_decision_making_planning_and_review",
    "kss_law_and_the_family_and_youth_justice_systems",
    "kss_role_of_supervision_and_research",
    "kss_organisational_context",
]
PRACTICE_STANDARDS: tuple[str, ...] = get_args(PracticeStandard)


class Observation(ToolReturn):
    schema_: Literal["qa/observation@1"] = Field(alias="schema")
    social_worker: Id
    observer: Id
    team: Id
    observed: IsoDate
    consent_written: IsoDate | None = None
    consent_verbal: Literal["yes", "no"] | None = None
    feedback_verbal: IsoDate | None = None
    feedback_written: IsoDate | None = None
    # The practice standards agreed beforehand and evidenced in the session (App. B).
    standards: list[PracticeStandard] = Field(default_factory=list)
    # App. B's "Signature & Date" of the observer and of the social worker.
    observer_signed: IsoDate | None = None
    social_worker_signed: IsoDate | None = None
    answers: dict[str, Any] = Field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Just created (`qa new`): nothing answered, no consent, feedback or signature yet."""
        dates = (self.consent_written, self.feedback_verbal, self.feedback_written)
        signed = (self.observer_signed, self.social_worker_signed)
        return nothing_in(self.answers) and not any((*dates, *signed, self.consent_verbal))
