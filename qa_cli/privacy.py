"""Personal-data detection: text that looks like it names or identifies a child or family.

Cases are named by code only (App. E 6). These detectors are a safety net for what auditors
type: NHS numbers (with their check digit), National Insurance numbers, UK phone numbers,
e-mail addresses, postcodes, dates of birth, case-management IDs (by patterns set in
qa.yaml) and names from an identity list kept outside the repository. Each finding is a
span of the text, so validation can point at its exact line and column, comments and keys
included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# Rule code -> the kind of value, as messages name it.
KINDS: dict[str, str] = {
    "QA501": "NHS number",
    "QA502": "date of birth",
    "QA503": "postcode",
    "QA504": "National Insurance number",
    "QA505": "phone number",
    "QA506": "e-mail address",
    "QA507": "case-management ID",
    "QA508": "name",
}

_B = r"(?<![0-9A-Za-z])"  # no letter or digit just before
_E = r"(?![0-9A-Za-z])"  # ... or just after
_NHS = re.compile(_B + r"(\d{3})[ -]?(\d{3})[ -]?(\d{4})" + _E)
# National Insurance: two letters (not D, F, I, Q* U, V as HMRC allocates, but QQ, the
# documented example prefix, is kept so test values are caught), six digits, A-D.
_NINO = re.compile(
    _B + r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]"
    + _E
    + r"|"
    + _B
    + r"QQ\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]"
    + _E,
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)"
    r"[1-37-9][\d\s\-()]{7,13}\d" + _E
)
# Not inside a URL's path (".../qa-cli@v0.1.0"), not an ssh remote ("git@host:path"); the
# top-level domain is letters.
_EMAIL = re.compile(
    r"(?<![\w./:@%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    r"(?![\w\-])(?!\.?[\w\-])(?!:\S)"
)
_POSTCODE = re.compile(
    _B + r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?)[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}" + _E,
    re.IGNORECASE,
)
_ORDINALS = frozenset({"1st", "2nd", "3rd"} | {f"{d}th" for d in "0456789"})
_POSTCODE_CUE = re.compile(
    r"\b(?:post[ -]?code|p/code|postal (?:district|area|sector))s?\b\W{0,4}"
    r"(?:(?:area|district|sector|of|is|was|in)\W{1,3}){0,3}"
    r"(?P<pc>[A-Z]{1,2}[0-9][A-Z0-9]?(?:[ \t]?[0-9](?:[ABD-HJLNP-UW-Z]{2})?)?)" + _E,
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_WRITTEN_DATE = (
    r"(?:(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MONTHS + r"\.?(?:,?\s+\d{4})?"  # 3rd April 2015
    r"|" + _MONTHS + r"\.?\s+" + _DAY + r"(?:,?\s+\d{4})?"  # April 3, 2015
    r"|" + _MONTHS + r"\.?,?\s+\d{4}"  # April 2015
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"  # 03/04/2015
    r"|\d{4}-\d{2}-\d{2}"  # 2015-04-03
    r"|(?:19|20)\d{2})"  # 2015
)
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    r"(?:\W{0,4}(?:on|in|at|is|was|:)?\W{0,3})"
    r"(?P<date>" + _WRITTEN_DATE + r")" + _E,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One suspected identifier: its rule code and where it is in the text scanned."""

    code: str
    start: int
    end: int

    @property
    def kind(self) -> str:
        return KINDS[self.code]


@dataclass(frozen=True)
class Detectors:
    """The detectors of one repository: the fixed ones plus qa.yaml's patterns and names."""

    case_id_patterns: tuple[re.Pattern[str], ...] = ()
    names: re.Pattern[str] | None = None
    # staff e-mail domains, and staff addresses of qa.yaml, in lower case
    allowed_email_domains: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        case_id_patterns: Iterable[str] = (),
        names: Iterable[str] = (),
        allowed_email_domains: Iterable[str] = (),
    ) -> Detectors:
        listed = sorted({" ".join(n.split()) for n in names if len(n.strip()) >= 3}, key=len)
        names_re = None
        if listed:
            # "Zebedee Quux", "zebedee-quux", "zebedee.quux", "ZEBEDEE_QUUX" alike
            alts = "|".join(re.escape(n).replace(r"\ ", r"[\s._-]+") for n in reversed(listed))
            names_re = re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.IGNORECASE)
        return cls(
            tuple(re.compile(p) for p in case_id_patterns),
            names_re,
            frozenset(d.lower() for d in allowed_email_domains),
        )

    def scan(self, text: str) -> list[Finding]:
        """Every finding in ``text``, in order, overlapping ones dropped."""
        found = list(_fixed(text, self.allowed_email_domains))
        for pattern in self.case_id_patterns:
            found += [
                Finding("QA507", m.start(), m.end()) for m in pattern.finditer(text) if m.group(0)
            ]
        if self.names is not None:
            found += [Finding("QA508", m.start(), m.end()) for m in self.names.finditer(text)]
        return _no_overlaps(found)


# Every fixed detector needs a digit, but e-mail addresses, which need an "@": a line with
# neither (most lines of a return) is skipped without running the eight patterns.
_MAY_IDENTIFY = re.compile(r"[0-9@]")


def _fixed(text: str, allowed_domains: frozenset[str]) -> Iterator[Finding]:
    if not _MAY_IDENTIFY.search(text):
        return
    emails = []
    for m in _EMAIL.finditer(text):
        emails.append((m.start(), m.end()))
        address = m.group(0).lower()
        if address not in allowed_domains and address.rsplit("@", 1)[1] not in allowed_domains:
            yield Finding("QA506", m.start(), m.end())
    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            yield Finding("QA501", m.start(), m.end())
    for m in _NINO.finditer(text):
        yield Finding("QA504", m.start(), m.end())
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        international = digits.removeprefix("00")
        national = international[2:] if international.startswith("44") else digits[1:]
        national = national.removeprefix("0")
        if 9 <= len(national) <= 10 and not nhs_number_valid(digits):
            yield Finding("QA505", m.start(), m.end())
    for m in _DOB.finditer(text):
        yield Finding("QA502", m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        inward = m.group(0)[-3:]
        ordinal = inward.lower() in _ORDINALS and not inward.isupper()  # "B1 3rd" is no postcode
        if not ordinal and not any(s <= m.start() < e for s, e in emails):
            yield Finding("QA503", m.start(), m.end())
    for m in _POSTCODE_CUE.finditer(text):
        yield Finding("QA503", m.start("pc"), m.end("pc"))


def _no_overlaps(found: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out


DEFAULT = Detectors()


def find_spans(text: str, detectors: Detectors = DEFAULT) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every identifier the detectors recognise in ``text``."""
    return [(f.start, f.end, f.kind) for f in detectors.scan(text)]


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# The fixed detectors' findings of a line, by the staff domains allowed and the line's text.
# Most lines with a digit recur from file to file: the tool's guidance comments that `qa
# new` writes into every return ("§4.1.1", "theme 13"), and dated keys. Bounded: emptied
# when full.
_SEEN: dict[tuple[frozenset[str], str], list[Finding]] = {}
_SEEN_MAX = 50_000


def line_findings(text: str, detectors: Detectors = DEFAULT) -> Iterator[tuple[int, int, Finding]]:
    """(line, column, finding), 1-based, for every finding of a whole file's text."""
    only_fixed = not detectors.case_id_patterns and detectors.names is None
    for number, line in enumerate(text.splitlines(), start=1):
        if not only_fixed:
            found = detectors.scan(line)
        elif not _MAY_IDENTIFY.search(line):
            continue
        else:
            found = _fixed_findings(line, detectors.allowed_email_domains)
        for f in found:
            yield number, f.start + 1, f


def _fixed_findings(line: str, allowed: frozenset[str]) -> list[Finding]:
    """``DEFAULT.scan(line)`` with ``allowed`` staff domains, remembered for short lines."""
    key = (allowed, line)
    found = _SEEN.get(key)
    if found is None:
        found = _no_overlaps(list(_fixed(line, allowed)))
        if len(line) <= 400:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            _SEEN[key] = found
    return found


# --- Case codes (App. E 6): a keyed hash of the case-management ID, never the ID itself. ---

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Code lengths (characters after "C-"), 5 bits each: 8 (40 bits) is what repositories made
# before code_length existed use; `qa init` writes 13 (65 bits) for new ones.
CODE_LENGTH_LEGACY = 8
CODE_LENGTH_NEW = 13
CODE_LENGTH_MAX = 16
CASE_CODE_RE = re.compile(r"^C-[0-9A-Z]{8,16}$")
_CODE_DOMAIN = b"qa-case-code/1\x00"
_CHECK_DOMAIN = b"qa-case-check/1\x00"


def normalise_case_id(value: Any) -> str:
    """The case-management ID as the text that is hashed: 12345, 12345.0 and ' 12345 ' agree."""
    if isinstance(value, bool):
        raise ValueError("a case ID cannot be true/false")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\xa0", " ").strip()
    return " ".join(text.split()).upper()


def _digest(domain: bytes, case_id: Any, key: bytes) -> bytes:
    import hmac
    from hashlib import sha256

    return hmac.new(key, domain + normalise_case_id(case_id).encode("utf-8"), sha256).digest()


def case_code(case_id: Any, key: bytes, length: int = CODE_LENGTH_LEGACY) -> str:
    """``C-`` + ``length`` Crockford base32 characters from HMAC-SHA256(key, ID).

    The same ID, key and length always give the same code; without the key the code cannot
    be traced back to the ID. ``5 * length`` bits (8 characters give the 40-bit codes of
    older repositories, unchanged): collisions are checked by the caller.
    """
    if not CODE_LENGTH_LEGACY <= length <= CODE_LENGTH_MAX:
        raise ValueError(f"a case code has 8 to {CODE_LENGTH_MAX} characters, not {length}")
    return "C-" + _base32(_digest(_CODE_DOMAIN, case_id, key), length)


def case_check(case_id: Any, key: bytes) -> str:
    """A second keyed digest of the ID (another domain label than the code's; 16 characters,
    80 bits), kept beside each code in the case list.

    Two different IDs that happen to share a code almost surely differ here, so an import
    can tell "the same child again" from "another child with the same code" without keeping
    the ID. Like the code, it cannot be traced back without the key.
    """
    return _base32(_digest(_CHECK_DOMAIN, case_id, key), 16)


def _base32(digest: bytes, length: int) -> str:
    nbytes = (5 * length + 7) // 8
    n = int.from_bytes(digest[:nbytes], "big") >> (8 * nbytes - 5 * length)
    return "".join(CROCKFORD[(n >> shift) & 31] for shift in range(5 * (length - 1), -1, -5))


def code_bits(length: int) -> int:
    """The bits of a case code of ``length`` characters (5 per base32 character)."""
    return 5 * length
