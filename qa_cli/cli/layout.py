"""Tables for the terminal, laid out by rich: no hand padding, nothing cut.

Cells wrap at word boundaries to the console's width; a word too long for its column is
folded onto the next line, never replaced by "…". Piped, the console is wide enough that
nothing wraps at all (:func:`qa_cli.cli.common.fit_console`).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table


def table(*columns: str | tuple[str, dict[str, Any]], **kwargs: Any) -> Table:
    """A table with these columns (a name, or a name and add_column options)."""
    t = Table(box=box.SIMPLE_HEAD, title_justify="left", **kwargs)
    for col in columns:
        name, options = (col, {}) if isinstance(col, str) else col
        t.add_column(name, overflow="fold", **options)
    return t
