"""`qa init`: lay out a new audit repository without ever overwriting a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import editor, gitutil, yamlio
from .ci import ToolkitSource, ci_files
from .errors import QAError
from .resources import toolkit_dir
from .validation.tools import load_toolkit_tools

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
    updated: list[str] = field(default_factory=list)
    source: ToolkitSource | None = None
    git_note: str | None = None
    committed: bool = False


def _scaffold(name: str) -> str:
    return (resources.files("qa_cli") / "scaffold" / name).read_text(encoding="utf-8")


def planned_files(ci: str = "github", source: ToolkitSource | None = None) -> dict[str, str]:
    """Every file a new repository gets, by relative path."""
    recorded = f" {source.text}" if source is not None else ""  # unset: CI fails until it is
    files = {
        "qa.yaml": _scaffold("qa.yaml").replace(" {{toolkit_source}}", recorded),
        ".gitignore": _scaffold("gitignore"),
        "README.md": _scaffold("README.md"),
        **ci_files(ci, source),
    }
    for tool in sorted(toolkit_dir("audit_tools").glob("*.yaml")):
        files[f"audit_tools/{tool.name}"] = tool.read_text(encoding="utf-8")
    files = {rel: editor.with_modeline(rel, text) for rel, text in files.items()}
    tools = load_toolkit_tools()
    files |= editor.schema_files(tools) | editor.vscode_files(tools)
    for folder in FOLDERS:
        files[f"{folder}/.gitkeep"] = ""
    return files


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise QAError(f"{target} is a file, not a folder", "give a new or empty folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise QAError(
            f"{target} is not empty",
            "give a new or empty folder, or add --force to add only the missing files "
            "(existing files are never overwritten)",
            exit_code=1,
        )


def init_repository(
    target: Path,
    force: bool = False,
    *,
    ci: str = "github",
    source: ToolkitSource | None = None,
    git: bool = True,
) -> InitResult:
    """Create the repository at ``target``; with ``force`` fill gaps in a non-empty folder.

    With ``git`` (and git installed, and ``target`` not already in a git repository) the
    folder becomes a git repository with everything in a first commit.
    """
    _check_target(target, force)
    result = InitResult(root=target, source=source)
    for rel, text in planned_files(ci, source).items():
        path = target / rel
        if path.exists():
            result.skipped.append(rel)
            continue
        yamlio.write_new(path, text)
        result.created.append(rel)
    if git:
        result.git_note = gitutil.init_and_commit(
            target, "New audit repository (qa init)", result.created
        )
        result.committed = result.git_note is None
    return result


def update_ci(target: Path, ci: str, source: ToolkitSource) -> InitResult:
    """Record ``source`` in qa.yaml and rewrite the CI and pre-commit files to install it.

    qa.yaml keeps its comments and layout (one edit through ``yamledit``); the CI files are
    generated, so they are replaced whole.
    """
    from . import yamledit

    config = target / "qa.yaml"
    if not config.is_file():
        raise QAError(
            f"{target} has no qa.yaml, so it is not an audit repository",
            "run `qa init DIR` to create one (add --toolkit-source there)",
        )
    raw = config.read_bytes()
    text = raw.decode("utf-8-sig")
    data = yamlio.load_text(text)
    if not isinstance(data, dict):
        raise QAError("qa.yaml cannot be read", "run `qa validate qa.yaml` and fix it first")
    if isinstance(data.get("toolkit"), dict) and "source" in data["toolkit"]:
        new = yamledit.set_scalar(text, ["toolkit", "source"], source.text)
    else:
        new = text.rstrip("\n") + f"\n\ntoolkit:\n  source: {source.text}\n"
    result = InitResult(root=target, source=source)
    yamlio.atomic_write(config, new)
    result.updated.append("qa.yaml")
    for rel, body in ci_files(ci, source).items():
        yamlio.atomic_write(target / rel, body)
        result.updated.append(rel)
    return result
