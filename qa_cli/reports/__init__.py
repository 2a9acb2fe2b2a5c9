"""Reports: collation into report data, then Markdown (Jinja) and Excel (openpyxl) renderers.

A report is built as plain data (:class:`Report`: a JSON-like context for the template and a
workbook description), so that redaction, Markdown and Excel all work on the same values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Report:
    """One report, ready to render: ``folder/stem.md`` and ``folder/stem.xlsx``."""

    kind: str  # monthly, themed, team, multi-agency, complaints, observations
    folder: str  # repository-relative, e.g. reports/2026-10
    stem: str  # file name without extension, e.g. monthly
    template: str  # e.g. monthly.md.j2
    context: dict[str, Any]
    workbook: dict[str, Any]  # see qa_cli.reports.excel.write_workbook
    notes: list[str] = field(default_factory=list)  # warnings for the person running it


def plain(value: Any) -> Any:
    """Dataclasses (with their properties), dates and tuples as JSON-like data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attr in vars(type(value)).items():
            if isinstance(attr, property) and not name.startswith("_"):
                out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
