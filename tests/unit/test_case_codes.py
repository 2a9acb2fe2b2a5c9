"""Case codes: the configured length, the legacy 8-character codes unchanged, check digests."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from qa_cli.caselist import collision_odds
from qa_cli.privacy import CROCKFORD, case_check, case_code, code_bits

KEY = b"synthetic-unit-key-Zx8!Qp3@Lm5#Rt7$Vb9%Nc2^"  # made up


def test_eight_characters_are_the_40_bit_codes_older_repositories_hold() -> None:
    # The algorithm before code_length existed, written out independently.
    digest = hmac.new(KEY, b"qa-case-code/1\x00" + b"ZQ12345", hashlib.sha256).digest()
    n = int.from_bytes(digest[:5], "big")
    legacy = "C-" + "".join(CROCKFORD[(n >> s) & 31] for s in range(35, -1, -5))
    assert case_code("zq12345", KEY) == legacy == case_code(" ZQ12345 ", KEY, 8)


def test_thirteen_characters_carry_65_bits() -> None:
    code = case_code("ZQ12345", KEY, 13)
    assert len(code) == 15 and set(code[2:]) <= set(CROCKFORD)
    assert code_bits(13) == 65 >= 64
    # 200 IDs give 200 distinct codes of every length (no truncation to fewer bits).
    assert len({case_code(f"ZQ{i}", KEY, 13) for i in range(200)}) == 200


@pytest.mark.parametrize("length", [7, 17])
def test_lengths_outside_8_to_16_are_refused(length: int) -> None:
    with pytest.raises(ValueError):
        case_code("ZQ1", KEY, length)


def test_the_check_digest_is_keyed_and_independent_of_the_code() -> None:
    assert len(case_check("ZQ1", KEY)) == 16
    assert case_check("ZQ1", KEY) != case_check("ZQ1", b"another-key-Wq2!Er4@Ty6#Ui8$Op0%")
    assert case_check("ZQ1", KEY) not in case_code("ZQ1", KEY, 16)  # another domain label


def test_collision_odds_at_65_bits_are_the_true_ones() -> None:
    assert collision_odds(100_000, 65) == "about 1 in 7,378,771,418"
    assert collision_odds(1_000_000, 65) == "about 1 in 73,787,051"
    assert collision_odds(100_000, 40) == "about 1 in 220"
