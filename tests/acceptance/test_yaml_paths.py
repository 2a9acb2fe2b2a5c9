"""The C-accelerated bulk reader (``qa_cli.yamlc``) and ruamel's reader give the same result.

``yamlio.load_fast`` takes libyaml through PyYAML first and asks ruamel only when unsure
(errors, duplicate keys, tags). Here every invalid case, every hostile YAML payload and
every file of the demo repository is read both ways, and the findings of `qa validate` over
each invalid case are compared whole, positions included.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from qa_cli import yamlc, yamlio
from qa_cli.repository import Repository
from qa_cli.validation.engine import validate_repository
from qa_cli.validation.privacy_rules import selected_case_lists
from tests.acceptance.test_validate_cases import BASE, CASES, LISTED_NAMES, _lay_out
from tests.hostile.payloads import YAML_PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-repo"
RETURN = next((BASE / "audits").rglob("*.yaml"))


def _same(a: object, b: object) -> bool:
    """Equal data, with NaN equal to itself and types compared (1 is not True or 1.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def _both_ways(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = yamlio.load_fast(raw)
    with monkeypatch.context() as m:
        m.setattr(yamlc, "load", lambda text: None)
        reference = yamlio.load_fast(raw)
    return fast, reference


def test_the_c_path_is_taken_for_ordinary_files() -> None:
    """Without this the comparisons below would compare ruamel with itself."""
    assert yamlc.available()
    text = RETURN.read_text()
    assert yamlc.load(text) is not None


def _inputs() -> list[tuple[str, bytes]]:
    base_text = RETURN.read_text()
    found = [(f"payload:{name}", make(base_text)) for name, make in YAML_PAYLOADS.items()]
    for case in CASES:
        for path in sorted((case / "files").rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".yml"):
                found.append((f"{case.name}:{path.name}", path.read_bytes()))
    for path in sorted(DEMO.rglob("*.yaml")):
        found.append((f"demo:{path.relative_to(DEMO)}", path.read_bytes()))
    return found


def test_every_file_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _inputs()
    assert len(inputs) > 150
    differ = [name for name, raw in inputs if not _same(*_both_ways(raw, monkeypatch))]
    assert differ == []


SCALARS = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "true", "False", "TRUE", "tRue",
    "~", "null", "Null", "NULL", "", "017", "08", "0o17", "0x1F", "0b101", "1_000", "1__2",
    "_1", "+12", "-0", "0o", "0x", "1:30", "190:20:30", "1.5", ".5", "0.", "1e3", "1E3",
    "12e3", "+.5e-3", "1.5e3", ".inf", "-.INF", "+.inf", ".nan", ".NaN", "1.2.3", "1e",
    ".", "2024-01-01", "2024-13-45", "2024-01-01T10:00:00Z", "2024-1-1", "=", "<<",
    "'1'", '"yes"', "!!str 1", "!!int '5'", "!!float 1", "!!bool yes", "!!null x",
    "! 12", "!!binary aGk=", "!secret x", "[1, yes, {b: off}]", "{a: 1, a: 2}",
    '"x\\u2028y"', "|\n  x\n  y\n", ">-\n  a\n  b\n",
]  # fmt: skip


@pytest.mark.parametrize("scalar", SCALARS)
def test_values_resolve_as_yaml_1_2(scalar: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = f"schema: qa/audit@1\nvalue: {scalar}\n".encode()
    fast, reference = _both_ways(raw, monkeypatch)
    assert _same(fast, reference), (fast, reference)


def test_yes_no_on_off_stay_strings() -> None:
    data = yamlc.load("a: yes\nb: no\nc: on\nd: off\ne: 017\nf: 1:30\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": 17, "f": "1:30"}


def test_a_duplicate_key_is_left_to_ruamel_and_reported_where_it_is() -> None:
    text = "schema: qa/audit@1\nstatus: draft\nnotes: x\nstatus: complete\n"
    assert yamlc.load(text) is None
    problem = yamlio.load_text(text)
    assert isinstance(problem, yamlio.YamlProblem)
    assert (problem.code, problem.line, problem.column) == ("QA004", 4, 1)


def _findings(repo: Path) -> list[tuple[object, ...]]:
    report = validate_repository(
        Repository.load(repo, use_cache=False), selected_case_lists(repo, None)
    )
    return [
        (d.path, d.line, d.column, d.code, d.severity, d.message, d.hint)
        for d in sorted(report.diagnostics + report.suppressed)
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_findings_and_positions_are_the_same_both_ways(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-config"
    home.mkdir()
    (home / "identity.txt").write_text(LISTED_NAMES)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("QA_IDENTITY_LIST", str(home / "identity.txt"))
    repo, _ = _lay_out(tmp_path, case)
    fast = _findings(repo)
    with monkeypatch.context() as m:
        m.setattr(yamlc, "load", lambda text: None)
        reference = _findings(repo)
    assert fast == reference
    assert fast  # every invalid case has at least one finding


def _ruamel_flows(doc: object, at: tuple = (), out: set | None = None) -> set:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out = set() if out is None else out
    if isinstance(doc, CommentedMap):
        if doc.fa.flow_style():
            out.add(at)
        for k, v in doc.items():
            _ruamel_flows(v, (*at, k), out)
    elif isinstance(doc, CommentedSeq):
        for i, v in enumerate(doc):
            _ruamel_flows(v, (*at, i), out)
    return out


FLOWS = [
    "a: {x: 1}\nb:\n  - {id: A1}\n  - id: A2\nc: [k: v]\n",
    "a: [? k]\n",
    "a: [{b: {c: 1}}, x]\n",
    "x: {}\n",
    "a: {b: {}}\n",
    "actions:\n  - {id: A1, action: call, owner: sw-x, due: 2026-10-01}\n",
]


def test_one_line_mappings_are_found_as_the_round_trip_parser_finds_them() -> None:
    """QA315 asks libyaml which mappings are written on one line (ruamel when unsure)."""
    texts = FLOWS + [p.read_text() for p in sorted(DEMO.rglob("*.yaml"))]
    compared = 0
    for text in texts:
        found = yamlc.flow_mappings(text)
        if found is None:
            continue
        compared += 1
        assert found == _ruamel_flows(yamlio.load_roundtrip(text)), text[:80]
    assert compared == len(texts)
    assert yamlc.flow_mappings("a: !!omap [x: 1]\n") is None  # tagged: ruamel decides


def test_crib_sheets_and_returns_with_actions_are_checked_without_a_round_trip_parse(
    demo_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA315 (an action on one line) is answered by libyaml: the round-trip parser, 0.3 s
    for a crib sheet, runs only to point at a finding, and the demo has none. Each file
    with actions gets a `{` in an action's text, so the cheap test (no `{` or `[k: v`
    after `actions:`, no one-line mapping) cannot answer alone."""
    for path in [*demo_repo.glob("crib-sheets/*/*.yaml"), *demo_repo.glob("audits/*/*.yaml")]:
        text = path.read_text()
        path.write_text(re.sub(r"\n    action: (?=[A-Z])", "\n    action: see {braces}, ", text))
    repo = Repository.load(demo_repo, [demo_repo / "crib-sheets", demo_repo / "audits"])
    with_actions = [f for f in repo.selected if f.text and "action: see {braces}" in f.text]
    assert any(f.kind == "qa/crib-sheet" for f in with_actions)

    parsed: list[str] = []
    real = yamlio.load_roundtrip

    def spy(text: str) -> object:
        parsed.append(text[:60])
        return real(text)

    monkeypatch.setattr(yamlio, "load_roundtrip", spy)
    assert validate_repository(repo, []).diagnostics == []
    assert parsed == []
