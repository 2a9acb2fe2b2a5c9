"""Personal-data guard: text that looks like an NHS number, a date of birth or a postcode.

Cases are named by code only (App. E 6). This scan is a safety net for free text typed by
auditors, not a guarantee: it looks for the patterns that slip in most often.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_NHS = re.compile(r"(?<![\dA-Za-z-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\dA-Za-z])")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b")
_DOB = re.compile(
    r"\b(d\.?o\.?b\.?|date of birth|born on|born)\b\W{0,3}(\d{1,2}\b|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def scan_text(text: str) -> Iterator[tuple[str, str]]:
    """(rule code, what was found) for each suspicious pattern in ``text``."""
    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            yield "QA501", m.group(0)
    for m in _DOB.finditer(text):
        yield "QA502", m.group(0)
    for m in _POSTCODE.finditer(text):
        yield "QA503", m.group(0)


def walk_strings(
    data: Any, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string value in a loaded document, with its path."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk_strings(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk_strings(v, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def mask(found: str) -> str:
    """Show where a match is without repeating it in full in logs and CI output."""
    return found[:2] + "*" * max(len(found) - 2, 0)


# --- Case codes (App. E 6): a keyed hash of the case-management ID, never the ID itself. ---

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_CODE_RE = re.compile(r"^C-[0-9A-Z]{8}$")
_CODE_DOMAIN = b"qa-case-code/1\x00"


def normalise_case_id(value: Any) -> str:
    """The case-management ID as the text that is hashed: 12345, 12345.0 and ' 12345 ' agree."""
    if isinstance(value, bool):
        raise ValueError("a case ID cannot be true/false")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\xa0", " ").strip()
    return " ".join(text.split()).upper()


def case_code(case_id: Any, key: bytes) -> str:
    """``C-`` + 8 Crockford base32 characters from HMAC-SHA256(key, ID).

    The same ID and key always give the same code; without the key the code cannot be
    traced back to the ID. 40 bits: collisions are checked by the caller.
    """
    import hmac
    from hashlib import sha256

    digest = hmac.new(key, _CODE_DOMAIN + normalise_case_id(case_id).encode("utf-8"), sha256)
    n = int.from_bytes(digest.digest()[:5], "big")
    chars = [CROCKFORD[(n >> shift) & 31] for shift in range(35, -1, -5)]
    return "C-" + "".join(chars)
