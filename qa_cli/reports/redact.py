"""Redaction for circulation (App. E 6: "circulated ... without the code").

Case codes become "Case 1", "Case 2", ...; staff ids and staff names (from qa.yaml) become
"Staff A", "Staff B", ... in every string of the report data, keys included, so the Markdown
and the workbook of one run use the same stand-ins. Team and service names are kept: they
identify no one. Name matching is deliberately greedy (first names and surnames on their own
too): a word wrongly hidden costs less than a name left in.
"""

from __future__ import annotations

import re
from typing import Any

from ..models.config import Config

CASE_CODE = re.compile(r"C-[0-9A-Z]{8}")


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


class Redactor:
    def __init__(self, config: Config | None) -> None:
        self.cases: dict[str, str] = {}
        self.people: dict[str, str] = {}  # staff id -> stand-in
        self._name_of: dict[str, str] = {}  # any spelling (id, name, name part) -> staff id
        staff = config.staff if config else []
        for s in staff:
            self._name_of[s.id] = s.id
        for s in staff:
            self._name_of.setdefault(s.name, s.id)
            for part in re.split(r"[\s\-']+", s.name):
                if len(part) >= 3 and part[0].isupper():
                    self._name_of.setdefault(part, s.id)
        ids = sorted(
            (k for k in self._name_of if k in {s.id for s in staff}), key=len, reverse=True
        )
        names = sorted((k for k in self._name_of if k not in ids), key=len, reverse=True)
        parts = []
        if ids:
            parts.append(
                r"(?<![a-z0-9])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![a-z0-9])"
            )
        if names:
            parts.append(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
        self._people_re = re.compile("|".join(parts)) if parts else None

    def _case(self, m: re.Match[str]) -> str:
        code = m.group(0)
        if code not in self.cases:
            self.cases[code] = f"Case {len(self.cases) + 1}"
        return self.cases[code]

    def _person(self, m: re.Match[str]) -> str:
        who = self._name_of[m.group(0)]
        if who not in self.people:
            self.people[who] = f"Staff {_letters(len(self.people))}"
        return self.people[who]

    def text(self, value: str) -> str:
        value = CASE_CODE.sub(self._case, value)
        if self._people_re is not None:
            value = self._people_re.sub(self._person, value)
        return value

    def __call__(self, value: Any) -> Any:
        """A copy of ``value`` (JSON-like data) with every code and staff name replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        return value
