"""Detection rate of the personal-data rules on a generated corpus, and false positives.

    .venv/bin/python benchmarks/privacy_detection.py [--per-kind 400] [--seed 10]

Generates synthetic identifiers of every kind in the forms people write them (spaced,
unspaced, lower case, +44, "3rd April 2015", "born in April 2015"...) inside sentences like
auditors write, scans each sentence with the detectors `qa validate` uses, and counts how
many were found with the right rule code at the right place. It also scans sentences with
nothing identifying (meeting dates, grades, case codes, numbers) and every line of the
demo repository, and counts false positives. Every value is made up at run time: NHS
numbers of the 999 test range, Ofcom drama-range phone numbers, example.* e-mail domains,
invented names. Nothing is written.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_cli.privacy import Detectors, nhs_number_valid  # noqa: E402
from qa_cli.validation.privacy_rules import machine_value  # noqa: E402

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "tor", "bel", "sun", "dar", "qui", "zeb", "ux"]
CASE_ID_PATTERN = r"\bZCM-?\d{6}\b"
TEMPLATES = [
    "{x}",
    "Discussed in supervision; {x} was on the file.",
    "The worker noted {x} during the visit.",
    "Contact: {x}.",
    "Seen at home ({x}) with the carer present",
]
CLEAN = [
    "Strategy meeting held on 3 April 2026 within timescale.",
    "Visit on 2026-10-20; the child was seen alone.",
    "Grade agreed as requires_improvement after moderation.",
    "Case C-7F3K2Q9M was discussed at the panel on 12/10/2026.",
    "Plan reviewed at 6 and 12 months; 3 of 4 actions verified.",
    "Core group met 10 times since April 2025.",
    "The child's views were recorded in 4 of the last 5 visits.",
    "See section 4.2.1 of the framework, item 1234567.",
    "Allocated on 01/09/2026, due 2026-11-02, completed 2026-10-20.",
    "Score 12 out of 20; team 3 of 6 in the service.",
    "Met at 10:30 on Tuesday 3rd November with the IRO.",
    "Version 2.1 of the tool; sample seed recorded.",
]


def _nhs(rng: random.Random) -> str:
    while True:
        digits = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10 and nhs_number_valid(digits + str(check)):
            n = digits + str(check)
            return rng.choice([f"{n[:3]} {n[3:6]} {n[6:]}", n, f"{n[:3]}-{n[3:6]}-{n[6:]}"])


def _nino(rng: random.Random) -> str:
    first, second = rng.choice("ABCEGHJKLMNPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        first, second = "Q", "Q"
    d = [f"{rng.randrange(100):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    spaced = f"{first}{second} {d[0]} {d[1]} {d[2]} {suffix}"
    text = rng.choice([spaced, spaced.replace(" ", "")])
    return text.lower() if rng.random() < 0.2 else text


def _phone(rng: random.Random) -> str:
    mob = f"{rng.randrange(900000, 901000)}"
    land = f"{rng.randrange(960000, 961000)}"
    lon = f"{rng.randrange(0, 1000):03d}"
    return rng.choice([
        f"07700 {mob}", f"07700{mob}", f"+44 7700 {mob}", f"+44 (0)7700 {mob}",
        f"0044 7700 {mob}", f"07700-{mob[:3]}-{mob[3:]}", f"01632 {land}", f"(01632) {land}",
        f"020 7946 0{lon}", f"+44 20 7946 0{lon}", f"020-7946-0{lon}",
    ])  # fmt: skip


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).title()


def _email(rng: random.Random) -> str:
    local = rng.choice([f"{_name(rng)}.{_name(rng)}", f"{_name(rng)}_{rng.randrange(99)}"])
    return f"{local.lower()}@{rng.choice(['example.com', 'example.org', 'mail.example.net'])}"


def _postcode(rng: random.Random) -> str:
    outward = f"{rng.choice(['ZZ', 'QZ', 'XY'])}{rng.randrange(1, 99)}"
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code uses
    inward = f"{rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"
    form = rng.randrange(5)
    if form == 0:
        return f"{outward} {inward}".lower()
    if form == 1:
        return f"{outward}{inward}"
    if form == 2:
        return f"postcode {outward}"  # a district after a cue
    if form == 3:
        return f"post code area {outward} {inward[0]}"  # a sector after a cue
    return f"{outward} {inward}"


def _dob(rng: random.Random) -> str:
    y, m, d = rng.randrange(2006, 2025), rng.randrange(1, 13), rng.randrange(1, 29)
    month = MONTHS[m - 1]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
    return rng.choice([
        f"born on {d}{suffix} {month} {y}", f"born in {month} {y}", f"DOB {d:02d}/{m:02d}/{y}",
        f"D.O.B: {d}/{m}/{y % 100:02d}", f"date of birth: {month} {d}, {y}",
        f"born {y}-{m:02d}-{d:02d}", f"birthday is {d} {month}", f"born {d} {month[:3]} {y}",
        f"Date of Birth {d}.{m}.{y}", f"born on the {d}{suffix} of {month} {y}",
    ])  # fmt: skip


def _case_id(rng: random.Random) -> str:
    n = f"{rng.randrange(10**6):06d}"
    return rng.choice([f"ZCM-{n}", f"ZCM{n}"])


NAMES: list[str] = []


def _listed_name(rng: random.Random) -> str:
    name = rng.choice(NAMES)
    forms = [name, name.lower(), name.upper(), name.replace(" ", "."), name.replace(" ", "-")]
    return rng.choice(forms)


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "QA501": _nhs,
    "QA502": _dob,
    "QA503": _postcode,
    "QA504": _nino,
    "QA505": _phone,
    "QA506": _email,
    "QA507": _case_id,
    "QA508": _listed_name,
}


def corpus(per_kind: int, seed: int) -> Iterator[tuple[str, str, int, int]]:
    """(rule code, sentence, start, end of the planted value) for every generated item."""
    rng = random.Random(seed)
    NAMES[:] = [f"{_name(rng)} {_name(rng)}" for _ in range(50)]
    for code, make in GENERATORS.items():
        for _ in range(per_kind):
            value = make(rng)
            before, after = rng.choice(TEMPLATES).split("{x}")
            yield code, before + value + after, len(before), len(before) + len(value)


def detectors() -> Detectors:
    return Detectors.build([CASE_ID_PATTERN], NAMES)


def measure(per_kind: int = 400, seed: int = 10) -> dict[str, tuple[int, int]]:
    """Rule code -> (found, planted); a finding counts when its code and span match."""
    items = list(corpus(per_kind, seed))
    d = detectors()
    out: dict[str, tuple[int, int]] = {}
    for code, text, start, end in items:
        hit = any(f.code == code and f.start < end and start < f.end for f in d.scan(text))
        found, total = out.get(code, (0, 0))
        out[code] = (found + hit, total + 1)
    return out


def false_positives(d: Detectors | None = None) -> tuple[int, int, list[str]]:
    """(lines flagged, lines scanned, the flagged lines) over the clean sentences and the demo."""
    d = d or Detectors.build()
    lines = list(CLEAN)
    demo = ROOT / "examples" / "demo-repo"
    for path in sorted(demo.rglob("*")):
        if path.suffix in (".yaml", ".csv", ".md") and path.is_file():
            lines += path.read_text(encoding="utf-8").splitlines()
    # as `qa validate` reports them: not in a value the toolkit wrote (a sample's seed, a digest)
    flagged = [
        line for line in lines if any(not machine_value(line, f.start) for f in d.scan(line))
    ]
    return len(flagged), len(lines), flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-kind", type=int, default=400)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    results = measure(args.per_kind, args.seed)
    found = sum(f for f, _ in results.values())
    total = sum(t for _, t in results.values())
    print(f"{'rule':<6} {'found':>6} {'planted':>8} {'rate':>7}")
    for code, (f, t) in results.items():
        print(f"{code:<6} {f:>6} {t:>8} {f / t:>7.1%}")
    print(f"{'all':<6} {found:>6} {total:>8} {found / total:>7.1%}")
    fp, lines, flagged = false_positives()
    print(f"false positives: {fp} of {lines} lines (demo repository and clean sentences)")
    for line in flagged:
        print("  flagged:", line)


if __name__ == "__main__":
    main()
