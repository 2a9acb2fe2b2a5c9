"""The CI and pre-commit files of an audit repository, installing the toolkit from a pinned source.

An audit repository's checks run the `qa` toolkit next to audit data, so CI must install exactly
the code the QA team chose: a git URL at a tag or commit, or an exact package version. A floating
source (a branch, an unpinned package name) could run anyone's code. Until a source is set, the
CI step that would install the toolkit fails with a message saying how to set it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from .errors import QAError

PACKAGE = "qa-cli"
# Names that move: a source pinned to one of these is not pinned at all.
_FLOATING = frozenset({"main", "master", "head", "develop", "dev", "trunk", "latest", "stable"})
_VERSION = re.compile(r"^\d+(\.\d+){0,3}((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
_GIT = re.compile(r"^(?:git\+)?(https://[A-Za-z0-9._~:/%-]+?)(?:\.git)?@([A-Za-z0-9._/-]+)$")
_PACKAGE_PIN = re.compile(rf"^{PACKAGE}\s*==\s*(\S+)$")
SOURCE_HINT = (
    "give a git URL at a tag or commit, e.g. git+https://git.example.org/qa/qa-cli@v0.1.0, "
    f"or an exact package version, e.g. {PACKAGE}==0.1.0"
)


@dataclass(frozen=True)
class ToolkitSource:
    """A pinned source of the toolkit: ``git`` (url + ref) or ``package`` (exact version)."""

    kind: str
    url: str | None
    ref: str

    @property
    def pip_spec(self) -> str:
        """What `pip install` is given."""
        if self.kind == "git":
            return f"{PACKAGE} @ git+{self.url}@{self.ref}"
        return f"{PACKAGE}=={self.ref}"

    @property
    def text(self) -> str:
        """The canonical form recorded in qa.yaml (``toolkit.source``)."""
        return f"git+{self.url}@{self.ref}" if self.kind == "git" else f"{PACKAGE}=={self.ref}"


def parse_source(value: str) -> ToolkitSource:
    """Read ``--toolkit-source``; refuse anything not pinned (a branch, a range, no version)."""
    value = value.strip()
    m = _PACKAGE_PIN.match(value)
    if m or _VERSION.match(value):
        version = m[1] if m else value
        if not _VERSION.match(version):
            raise QAError(f"`{value}` is not an exact version of {PACKAGE}", SOURCE_HINT)
        return ToolkitSource("package", None, version)
    m = _GIT.match(value)
    if m is None:
        why = (
            "a version range installs whatever is newest"
            if any(c in value for c in "<>~=*^")
            else "it is neither a git URL at a tag or commit (https only) nor an exact version"
        )
        raise QAError(f"the toolkit source `{value}` is not pinned: {why}", SOURCE_HINT)
    url, ref = m[1], m[2]
    if ref.lower() in _FLOATING or ref.startswith("refs/heads/"):
        raise QAError(
            f"the toolkit source `{value}` names the branch `{ref}`, which moves",
            "pin a tag (e.g. @v0.1.0) or a commit id (40 hex digits) instead",
        )
    return ToolkitSource("git", url, ref)


def _template(name: str) -> str:
    return (resources.files("qa_cli") / "scaffold" / name).read_text(encoding="utf-8")


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


_UNSET_MESSAGE = (
    "The qa toolkit source is not set, so CI cannot install qa. Run `qa init . --update-ci "
    "--toolkit-source git+https://<host>/<org>/qa-cli@<tag>` (or qa-cli==<version>) and "
    "commit the changed files."
)


def install_step(source: ToolkitSource | None, indent: str) -> str:
    """The shell lines that install the toolkit (or fail saying why), indented for YAML."""
    if source is None:
        lines = [f'echo "::error title=qa toolkit not set::{_UNSET_MESSAGE}"', "exit 1"]
    else:
        lines = [f'python -m pip install "{source.pip_spec}"']
    return "\n".join(indent + line for line in lines)


def github_workflow(source: ToolkitSource | None) -> str:
    return _fill(_template("workflow.yml"), {"install": install_step(source, " " * 10)})


def gitlab_ci(source: ToolkitSource | None) -> str:
    if source is None:
        script = f'echo "{_UNSET_MESSAGE}" && exit 1'
    else:
        script = f'python -m pip install "{source.pip_spec}"'
    # single-quoted YAML: the command holds colons and double quotes
    return _fill(_template("gitlab-ci.yml"), {"install": "'" + script.replace("'", "''") + "'"})


def pre_commit_config(source: ToolkitSource | None) -> str:
    """`.pre-commit-config.yaml`: the toolkit's own `qa-validate` hook at the pinned version."""
    head = _template("pre-commit-config.yaml")
    if source is None:
        return head + (
            "  - repo: local\n"
            "    hooks:\n"
            "      - id: qa-validate\n"
            "        name: qa validate (toolkit source not set)\n"
            "        language: fail\n"
            f'        entry: "{_UNSET_MESSAGE}"\n'
            "        files: \\.ya?ml$\n"
        )
    if source.kind == "git":
        return head + (
            f"  - repo: {source.url}\n    rev: {source.ref}\n    hooks:\n      - id: qa-validate\n"
        )
    # A package version has no repository to point at: the same hook, installed from the index.
    return head + (
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: qa-validate\n"
        "        name: qa validate (staged audit files)\n"
        "        language: python\n"
        f'        additional_dependencies: ["{source.pip_spec}"]\n'
        "        entry: qa validate\n"
        "        files: \\.ya?ml$\n"
        "        require_serial: true\n"
    )


CI_FILES = {"github": ".github/workflows/qa.yml", "gitlab": ".gitlab-ci.yml"}


def ci_files(ci: str, source: ToolkitSource | None) -> dict[str, str]:
    """The CI files for ``ci`` (github, gitlab or none) plus the pre-commit config."""
    files = {".pre-commit-config.yaml": pre_commit_config(source)}
    if ci == "github":
        files[CI_FILES["github"]] = github_workflow(source)
    elif ci == "gitlab":
        files[CI_FILES["gitlab"]] = gitlab_ci(source)
    return files
