"""The file kinds of the audit repository, one model per kind (DESIGN §2.1).

Importing this package imports pydantic and every model; commands that only print help
must not import it at module level.
"""

from __future__ import annotations

from pydantic import BaseModel

from .audit import Action, AuditReturn, QAReview, SafeguardingConcern
from .complaint import Complaint, ComplimentsLog
from .config import Config, Staff, Team
from .crib_sheet import CribSheet
from .improvement import ImprovementPlan, TeamOverview, TeamReview
from .monitoring import MidpointReview, MonitoringForm
from .multi_agency import AgencyReturn, MultiAgencyFindings, MultiAgencyScope
from .observation import Observation
from .sample import Allocation, Sample
from .themed import ThemedScope
from .tool import Question, Tool

# schema name (without version) -> {version: model}
KINDS: dict[str, dict[int, type[BaseModel]]] = {
    "qa/config": {1: Config},
    "qa/tool": {1: Tool},
    "qa/audit": {1: AuditReturn},
    "qa/sample": {1: Sample},
    "qa/crib-sheet": {1: CribSheet},
    "qa/themed": {1: ThemedScope},
    "qa/multi-agency": {1: MultiAgencyScope},
    "qa/agency-return": {1: AgencyReturn},
    "qa/multi-agency-findings": {1: MultiAgencyFindings},
    "qa/observation": {1: Observation},
    "qa/complaint": {1: Complaint},
    "qa/compliments": {1: ComplimentsLog},
    "qa/monitoring": {1: MonitoringForm},
    "qa/midpoint-review": {1: MidpointReview},
    "qa/improvement": {1: ImprovementPlan},
    "qa/team-review": {1: TeamReview},
    "qa/team-overview": {1: TeamOverview},
}

# Kinds whose `answers` are checked against the tool they name.
RETURN_KINDS = frozenset(
    {
        "qa/audit",
        "qa/crib-sheet",
        "qa/observation",
        "qa/complaint",
        "qa/agency-return",
        "qa/monitoring",
        "qa/midpoint-review",
    }
)

__all__ = [
    "KINDS",
    "RETURN_KINDS",
    "Action",
    "AgencyReturn",
    "Allocation",
    "AuditReturn",
    "Complaint",
    "MidpointReview",
    "MonitoringForm",
    "Config",
    "ImprovementPlan",
    "TeamOverview",
    "TeamReview",
    "CribSheet",
    "MultiAgencyFindings",
    "MultiAgencyScope",
    "Observation",
    "QAReview",
    "Question",
    "SafeguardingConcern",
    "Sample",
    "Staff",
    "Team",
    "ThemedScope",
    "Tool",
]
