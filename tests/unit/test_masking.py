"""The masking policy: kind, location and at most two characters; closed values in full."""

from __future__ import annotations

import datetime as dt

from qa_cli.masking import mask_quoted, masked, scrub, shown, shown_date, shown_key


def test_masked_shows_the_kind_and_two_characters_only() -> None:
    assert masked("Zebedee Quux") == "a value starting `Ze…`"
    assert masked("ZCM-004271", "case code") == "a case code starting `ZC…`"
    assert masked("  spaced   out ") == "a value starting `sp…`"
    assert masked("ok") == "a value `ok`"  # two characters identify no one
    assert masked(9990000018) == "a number starting `99…`"
    assert masked(None) == "nothing" and masked("") == "an empty value"
    assert masked(["Zebedee"]) == "a list" and masked({"a": "Zebedee"}) == "a mapping"
    assert masked("x", "NHS number") == "an NHS number `x`"


def test_closed_vocabulary_and_iso_dates_are_shown_in_full() -> None:
    grades = ("good", "inadequate")
    assert shown("good", grades) == "`good`"
    assert shown("Zebedee", grades) == "a value starting `Ze…`"
    assert shown(["x"], {"x"}) == "a list"  # unhashable: masked, not an error
    assert shown_date("2026-10-20") == "`2026-10-20`"
    assert shown_date(dt.date(2026, 10, 20)) == "`2026-10-20`"
    assert shown_date("03/04/2015") == "a value starting `03…`"
    assert shown_key("zebedee-quux", {"strengths"}) == "a key starting `ze…`"


def test_quoted_parts_of_library_messages_are_masked() -> None:
    text = "the key \"Zebedee Quux\" appears twice; `schema: x` and '#'"
    out = mask_quoted(text, {"#"})
    assert "Zebedee" not in out and "schema: x" not in out
    assert "a value starting `Ze…`" in out and "'#'" in out  # a known word stays as written
    assert mask_quoted('add the closing `"` here') == 'add the closing `"` here'


def test_scrub_masks_what_the_detectors_recognise() -> None:
    out = scrub("call 07700 900123 or write to zeb.quux@example.com about 999 000 0018")
    assert out is not None
    assert "900123" not in out and "zeb.quux" not in out and "000 0018" not in out
    assert "a phone number starting `07…`" in out
    assert scrub(None) is None and scrub("nothing to hide") == "nothing to hide"
