"""Where the toolkit's own audit tools and report templates are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def toolkit_dir(name: str) -> Path:
    """The shipped folder ``name`` ("audit_tools" or "templates").

    A wheel carries them as ``qa_cli/_data/<name>`` (hatch force-include); an editable install
    or a checkout has them at the top of the source tree instead.
    """
    packaged = Path(str(resources.files("qa_cli"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the toolkit's {name}/ folder is missing from this installation")
