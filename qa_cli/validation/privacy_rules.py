"""The personal-data guard as validation rules (QA5xx)."""

from __future__ import annotations

from ..privacy import mask, scan_text, walk_strings
from ..repository import LoadedFile
from .diagnostics import Diagnostic
from .schema import at

_MESSAGES = {
    "QA501": (
        "this text holds what looks like an NHS number ({found})",
        "remove it: a case is named only by its case code",
    ),
    "QA502": (
        "this text appears to give a date of birth ({found})",
        "remove it: use the age band in the case list instead",
    ),
    "QA503": (
        "this text holds what looks like a postcode ({found})",
        "remove it: addresses are never recorded in the audit repository",
    ),
}
# Kinds whose text is written by the toolkit or the QA team, not about a child.
_SKIP = frozenset({"qa/tool", "qa/config"})


def check_privacy(files: list[LoadedFile]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for lf in files:
        if lf.data is None or lf.kind in _SKIP:
            continue
        for loc, text in walk_strings(lf.data):
            if loc == ("schema",):
                continue
            for code, found in scan_text(text):
                message, hint = _MESSAGES[code]
                out.append(at(lf, code, list(loc), message.format(found=mask(found)), hint))
    return out
