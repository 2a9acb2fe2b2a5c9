"""`qa init`: lay out a new audit repository without ever overwriting a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import yamlio
from .errors import QAError
from .resources import toolkit_dir

FOLDERS = (
    "cases",
    "samples",
    "audits",
    "crib-sheets",
    "themed",
    "multi-agency",
    "observations",
    "complaints",
    "reports",
    "templates",
)


@dataclass
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _scaffold(name: str) -> str:
    return (resources.files("qa_cli") / "scaffold" / name).read_text(encoding="utf-8")


def planned_files() -> dict[str, str]:
    """Every file a new repository gets, by relative path."""
    files = {
        "qa.yaml": _scaffold("qa.yaml"),
        ".gitignore": _scaffold("gitignore"),
        "README.md": _scaffold("README.md"),
        ".github/workflows/qa.yml": _scaffold("workflow.yml"),
        ".pre-commit-config.yaml": _scaffold("pre-commit-config.yaml"),
    }
    for tool in sorted(toolkit_dir("audit_tools").glob("*.yaml")):
        files[f"audit_tools/{tool.name}"] = tool.read_text(encoding="utf-8")
    for folder in FOLDERS:
        files[f"{folder}/.gitkeep"] = ""
    return files


def init_repository(target: Path, force: bool = False) -> InitResult:
    """Create the repository at ``target``; with ``force`` fill gaps in a non-empty folder."""
    if target.exists() and not target.is_dir():
        raise QAError(f"{target} is a file, not a folder", "give a new or empty folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise QAError(
            f"{target} is not empty",
            "give a new or empty folder, or add --force to add only the missing files "
            "(existing files are never overwritten)",
            exit_code=1,
        )
    result = InitResult(root=target)
    for rel, text in planned_files().items():
        path = target / rel
        if path.exists():
            result.skipped.append(rel)
            continue
        yamlio.write_new(path, text)
        result.created.append(rel)
    return result
