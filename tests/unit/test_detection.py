"""Personal-data detectors: each kind in its common forms, positions, and no false alarms."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from qa_cli.privacy import Detectors, line_findings, nhs_number_valid

ROOT = Path(__file__).resolve().parents[2]


def _bench():  # noqa: ANN202 - the corpus generator lives with the benchmark
    spec = importlib.util.spec_from_file_location(
        "privacy_detection", ROOT / "benchmarks" / "privacy_detection.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def codes(text: str, d: Detectors | None = None) -> list[tuple[str, str]]:
    d = d or Detectors.build([r"\bZCM-?\d{6}\b"], ["Zebedee Quux"])
    return [(f.code, text[f.start : f.end]) for f in d.scan(text)]


@pytest.mark.parametrize(
    ("text", "code", "found"),
    [
        ("for 999 000 0018.", "QA501", "999 000 0018"),
        ("nhs 9990000018", "QA501", "9990000018"),
        ("ni QQ 12 34 56 C", "QA504", "QQ 12 34 56 C"),
        ("ni qq123456c", "QA504", "qq123456c"),
        ("call 07700 900123", "QA505", "07700 900123"),
        ("tel +44 (0)20 7946 0321", "QA505", "+44 (0)20 7946 0321"),
        ("0044 7700 900123", "QA505", "0044 7700 900123"),
        ("(01632) 960123", "QA505", "(01632) 960123"),
        ("mail zeb.quux@example.com now", "QA506", "zeb.quux@example.com"),
        ("visit at zz1 1zz went well", "QA503", "zz1 1zz"),
        ("postcode ZZ9", "QA503", "ZZ9"),
        ("post code area ZZ99 9", "QA503", "ZZ99 9"),
        ("child born 3rd April 2015", "QA502", "born 3rd April 2015"),
        ("born in April 2015", "QA502", "born in April 2015"),
        ("date of birth: April 3, 2015", "QA502", "date of birth: April 3, 2015"),
        ("DOB 03/04/2015", "QA502", "DOB 03/04/2015"),
        ("ref ZCM-004271 closed", "QA507", "ZCM-004271"),
        ("zebedee.quux visited", "QA508", "zebedee.quux"),
        ("ZEBEDEE QUUX visited", "QA508", "ZEBEDEE QUUX"),
    ],
)
def test_each_kind_is_found_with_its_code(text: str, code: str, found: str) -> None:
    assert (code, found) in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "999 000 0019",  # the check digit is wrong
        "completed: 2026-10-20",
        "Strategy meeting on 3 April 2026.",
        "case: C-7F3K2Q9M",
        "item B1 3rd in the list",
        "seen 10 times since April 2025",
        "sha 3f09a1e2b0123456789",
        "Zebedee alone is not a listed name",
    ],
)
def test_ordinary_audit_text_is_not_flagged(text: str) -> None:
    assert codes(text) == []


def test_nhs_check_digit() -> None:
    assert nhs_number_valid("9990000018")
    assert not nhs_number_valid("9990000019") and not nhs_number_valid("1111111111")


def test_findings_point_at_their_line_and_column_inside_block_text() -> None:
    text = "notes: |\n  First line.\n  Then call 07700 900123 today.\n# DOB 03/04/2015\n"
    found = [(line, col, f.code) for line, col, f in line_findings(text, Detectors.build())]
    assert found == [(3, 13, "QA505"), (4, 3, "QA502")]


def test_staff_email_domains_can_be_allowed() -> None:
    d = Detectors.build(allowed_email_domains=["northbridge.example.gov.uk"])
    assert codes("a.b@northbridge.example.gov.uk", d) == []
    assert codes("a.b@example.com", d) == [("QA506", "a.b@example.com")]


def test_generated_corpus_detection_rate_and_no_false_positive_on_the_demo() -> None:
    bench = _bench()
    results = bench.measure(per_kind=60, seed=3)
    for code, (found, planted) in results.items():
        assert found == planted, (code, found, planted)
    flagged, scanned, lines = bench.false_positives()
    assert scanned > 1000 and flagged == 0, lines


def test_collision_odds_are_the_true_ones() -> None:
    from qa_cli.caselist import collision_odds, key_bits, key_fingerprint

    assert collision_odds(100_000, 40) == "about 1 in 220"  # not "one in a billion"
    assert collision_odds(10_000, 40) == "about 1 in 21,993"
    assert key_bits("k" * 40) == 0 and key_bits("ab" * 20) == 40
    fp = key_fingerprint(b"synthetic key")
    assert fp.startswith("hmac-sha256:") and "synthetic" not in fp
    assert fp != key_fingerprint(b"another synthetic key")


def test_a_remembered_line_gives_what_a_scan_gives_for_its_allowed_domains() -> None:
    """Lines recur from file to file (guidance comments, dated keys), so the fixed
    detectors' findings are remembered by line; the allowed staff domains are part of it."""
    line = "  # call 07700 900123 or mail a.b@northbridge.example.gov.uk"
    staff = Detectors.build(allowed_email_domains=["northbridge.example.gov.uk"])
    for _ in range(2):
        assert [f.code for _, _, f in line_findings(line)] == ["QA505", "QA506"]
        assert [f.code for _, _, f in line_findings(line, staff)] == ["QA505"]
    text = (
        "\n".join(
            ln
            for p in sorted((ROOT / "examples" / "demo-repo").rglob("*.yaml"))
            for ln in p.read_text(encoding="utf-8").splitlines()
        )
        + "\n"
        + "\n".join(t for _, t, _, _ in _bench().corpus(per_kind=50, seed=7))
    )
    for d in (Detectors.build(), staff):
        direct = [
            (n, f.start + 1, f) for n, ln in enumerate(text.splitlines(), 1) for f in d.scan(ln)
        ]
        assert list(line_findings(text, d)) == direct
        assert list(line_findings(text, d)) == direct  # the second time from memory
    assert len(direct) >= 300
