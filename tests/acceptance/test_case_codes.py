"""Case codes of the configured length, and collisions checked against every earlier list.

New repositories (`qa init`) use 13-character (65-bit) codes; repositories without
`case_list.code_length` keep their 8-character codes. Each import refuses a code that an
earlier case list gave to a different case, told apart by the check digest of each row.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import snapshot

from qa_cli.privacy import case_check, case_code

KEY = "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"  # made up, as in the other key tests
# Two synthetic IDs whose 8-character codes are equal under KEY, found by a birthday search
# over "ZQ<n>" (about a million digests, once, outside the suite); asserted below.
SAME_CODE = ("ZQ382606", "ZQ942691")


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QA_CASE_KEY", KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("QA_IDENTITY_LIST", raising=False)


def _export(path: Path, team: str, *ids: str) -> Path:
    rows = "".join(f"{i},{team},CIN,14/03/2026\n" for i in ids)
    path.write_text("Case ID,Team,Category,Start Date\n" + rows)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text().splitlines()[1:]))


def test_a_new_repository_gets_65_bit_codes_with_check_digests(tmp_path: Path, run) -> None:
    repo = tmp_path / "new-repo"
    assert run("init", repo).exit_code == 0
    assert re.search(r"^case_list:\n  code_length: 13$", (repo / "qa.yaml").read_text(), re.M)
    export = _export(tmp_path / "export.csv", "assessment", "ZQ1", "ZQ2", "ZQ3")
    result = run("cases", "import", export, "--as-of", "2026-11-29", "--repo", repo)
    assert result.exit_code == 0, result.output
    rows = _rows(repo / "cases/2026-11-29.csv")
    assert [r["case"] for r in rows] == sorted(
        case_code(i, KEY.encode(), 13) for i in ("ZQ1", "ZQ2", "ZQ3")
    )
    assert all(re.fullmatch(r"C-[0-9A-HJKMNP-TV-Z]{13}", r["case"]) for r in rows)
    assert {r["check"] for r in rows} == {
        case_check(i, KEY.encode()) for i in ("ZQ1", "ZQ2", "ZQ3")
    }
    check = run("validate", "--repo", repo, "--strict")
    assert check.exit_code == 0, check.output
    # The coordinator finds a 13-character code again from the export.
    found = run("cases", "reveal", case_code("ZQ2", KEY.encode(), 13), "--export", export,
                "--repo", repo)  # fmt: skip
    assert found.exit_code == 0, found.output
    assert "case-management ID ZQ2" in found.output


def test_a_code_an_earlier_list_gave_to_another_case_is_refused(
    mini_repo: Path, run, tmp_path: Path
) -> None:
    key = KEY.encode()
    first, second = SAME_CODE
    assert case_code(first, key) == case_code(second, key)  # the collision is real
    assert case_check(first, key) != case_check(second, key)  # ... and the check tells them apart
    a = run("cases", "import", _export(tmp_path / "a.csv", "assessment-1", first, "ZQ7"),
            "--as-of", "2026-11-02", "--repo", mini_repo)  # fmt: skip
    assert a.exit_code == 0, a.output
    # The same child again in a later list is no collision.
    again = run("cases", "import", _export(tmp_path / "b.csv", "assessment-1", first),
                "--as-of", "2026-11-09", "--repo", mini_repo)  # fmt: skip
    assert again.exit_code == 0, again.output
    before = snapshot(mini_repo)
    clash = run("cases", "import", _export(tmp_path / "c.csv", "assessment-1", second),
                "--as-of", "2026-11-16", "--repo", mini_repo)  # fmt: skip
    assert clash.exit_code == 1, clash.output
    text = " ".join(clash.output.split())
    code = case_code(first, key)
    assert f"case code {code} of this export was given to a different case in" in text
    assert "cases/2026-11-02.csv" in text and "nothing was written" in text
    # The odds are the true ones for the cases issued and 40-bit codes (birthday bound).
    assert "8-character (40-bit) codes the chance of this was about 1 in" in text
    assert second not in clash.output and first not in clash.output
    assert snapshot(mini_repo) == before


def test_lists_without_check_digests_are_named_once(mini_repo: Path, run, tmp_path: Path) -> None:
    # The mini repository's case list predates check digests.
    assert "check" not in (mini_repo / "cases/2026-10-28.csv").read_text().splitlines()[0]
    result = run("cases", "import", _export(tmp_path / "a.csv", "assessment-1", "ZQ1"),
                 "--as-of", "2026-11-02", "--repo", mini_repo)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert text.count("have no check column") == 1
    assert "1 earlier case list(s) (cases/2026-10-28.csv)" in text
    assert "not checked for collisions" in text


def test_another_code_length_is_refused_unless_agreed(mini_repo: Path, run, tmp_path: Path) -> None:
    cfg = mini_repo / "qa.yaml"
    cfg.write_text(cfg.read_text() + "\ncase_list:\n  code_length: 13\n")
    before = snapshot(mini_repo)
    export = _export(tmp_path / "a.csv", "assessment-1", "ZQ1")
    refused = run("cases", "import", export, "--as-of", "2026-11-02", "--repo", mini_repo)
    assert refused.exit_code == 1
    text = " ".join(refused.output.split())
    assert "cases/2026-10-28.csv has 8-character case codes" in text and "--new-key" in text
    assert snapshot(mini_repo) == before
    agreed = run("cases", "import", export, "--as-of", "2026-11-02", "--repo", mini_repo,
                 "--new-key")  # fmt: skip
    assert agreed.exit_code == 0, agreed.output
    assert len(_rows(mini_repo / "cases/2026-11-02.csv")[0]["case"]) == 15


@pytest.mark.parametrize("length", [7, 17, "13"])
def test_a_bad_code_length_is_a_config_error(mini_repo: Path, run, length: object) -> None:
    cfg = mini_repo / "qa.yaml"
    cfg.write_text(cfg.read_text() + f"\ncase_list:\n  code_length: {length!r}\n".replace("'", '"'))
    result = run("validate", "--repo", mini_repo)
    assert result.exit_code == 1, result.output
    assert "code_length" in result.output
