"""Names, never ids, in what a reader sees: teams and staff as qa.yaml names them.

Report builders work with ids (they are the keys of the data); this pass, run on the finished
report data before it is rendered (and before redaction), writes names instead:

- a value that *is* a team id or a staff id becomes the name ("assessment-2" becomes
  "Assessment Team 2");
- a staff id inside prose becomes the name ("escalated to tm-dowusu" becomes "escalated to
  Daniel Owusu").

Repository paths (anything with a ``/``) are left alone: they name files, not people.
"""

from __future__ import annotations

import re
from typing import Any

from ..models.config import Config


class Namer:
    def __init__(self, config: Config | None) -> None:
        staff = {s.id: s.name for s in config.staff} if config else {}
        teams = {t.id: t.name for t in config.teams} if config else {}
        agencies = {a.id: a.name for a in config.agencies} if config else {}
        self.exact: dict[str, str] = {**agencies, **teams, **staff}
        self.staff = staff
        self.seen: dict[str, str] = {}  # a report repeats its texts (a question on every row)
        ids = sorted(staff, key=len, reverse=True)
        self._prose = (
            re.compile(r"(?<![\w/.-])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![\w/-])")
            if ids
            else None
        )

    def text(self, value: str) -> str:
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = self._text(value)
        return found

    def _text(self, value: str) -> str:
        if value in self.exact:
            return self.exact[value]
        if self._prose is None or "/" in value:
            return value
        return self._prose.sub(lambda m: self.staff[m.group(0)], value)

    def __call__(self, value: Any) -> Any:
        """A copy of ``value`` (JSON-like data) with ids written as names; keys unchanged."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return self._items(value)
        return value

    def _items(self, values: list[Any] | tuple[Any, ...]) -> list[Any]:
        """:meth:`__call__` of each item: a data sheet's row of plain values (most of them)
        without a call for each value."""
        seen, out = self.seen, []
        for v in values:
            t = type(v)
            if t is str:
                found = seen.get(v)
                out.append(found if found is not None else self.text(v))
            elif t is int or t is float or t is bool or v is None:
                out.append(v)
            else:
                out.append(self(v))
        return out
