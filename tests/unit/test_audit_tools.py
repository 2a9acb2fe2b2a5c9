"""The framework's audit tools (audit_tools/*.yaml): valid, consistent, true to the framework."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_cli.models.tool import Question, Tool
from qa_cli.validation.tools import possible_answers
from qa_cli.yamlio import load_fast

TOOLS_DIR = Path(__file__).resolve().parents[2] / "audit_tools"
TOOL_FILES = sorted(TOOLS_DIR.glob("*.yaml"))

EXPECTED_IDS = {
    "single-agency-safeguarding",
    "single-agency-cla",
    "crib-sheet",
    "practice-observation",
    "complaint-lessons",
    "themed-supervision",
    "themed-care-plans",
    "themed-decision-making",
    "themed-childs-views",
    "multi-agency",
    "conference-review-monitoring",
    "midpoint-review",
}

# §5.1 key lines of enquiry: one bullet each, by case type.
SECTION_5_1_BULLETS = {"single-agency-safeguarding": 7, "single-agency-cla": 8}


def _load(path: Path) -> Tool:
    data = load_fast(path.read_bytes())
    assert isinstance(data, dict), f"{path.name}: {data}"
    return Tool.model_validate(data)


def _questions(tool: Tool) -> list[Question]:
    return [q for s in tool.sections for q in s.questions]


@pytest.fixture(scope="module")
def tools() -> dict[str, Tool]:
    return {p.stem: _load(p) for p in TOOL_FILES}


def test_every_framework_tool_is_present() -> None:
    assert {p.stem for p in TOOL_FILES} == EXPECTED_IDS


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_tool_validates_and_is_named_after_its_id(path: Path) -> None:
    tool = _load(path)
    assert path.name == f"{tool.id}.yaml"
    assert tool.version == 1
    assert tool.source and tool.description


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_file_starts_with_comment_header_then_schema(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = 0
    while header < len(lines) and lines[header].startswith("#"):
        header += 1
    assert 2 <= header <= 4, f"{path.name}: {header} comment lines before `schema:`"
    assert lines[header] == "schema: qa/tool@1"


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_ids_are_unique(path: Path) -> None:
    tool = _load(path)
    qids = [q.id for q in _questions(tool)]
    assert len(qids) == len(set(qids)), [i for i in qids if qids.count(i) > 1]
    sids = [s.id for s in tool.sections]
    assert len(sids) == len(set(sids))
    assert not set(sids) & set(qids), "a section and a question share an id"
    loe = [x.id for x in tool.lines_of_enquiry]
    assert len(loe) == len(set(loe))


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_follow_ups_name_an_earlier_question_and_a_possible_answer(path: Path) -> None:
    tool = _load(path)
    seen: dict[str, Question] = {}
    for q in _questions(tool):
        if q.applies_if is not None:
            base = seen.get(q.applies_if.question)
            assert base is not None, (
                f"{q.id}: applies_if names `{q.applies_if.question}`, not an earlier question"
            )
            possible = possible_answers(base)
            assert possible is not None, f"{q.id}: {base.id} is an open question ({base.type})"
            for answer in q.applies_if.answers():
                assert answer in possible, f"{q.id}: `{base.id}` cannot be answered `{answer}`"
        seen[q.id] = q


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_comment_triggers_arepossible_answers(path: Path) -> None:
    tool = _load(path)
    for q in _questions(tool):
        triggers = q.comment_triggers()
        if not triggers:
            continue
        possible = possible_answers(q)
        assert possible is not None, f"{q.id}: a comment trigger on an open question"
        for t in triggers:
            assert t in possible, f"{q.id}: comment_required_if `{t}` is not a possible answer"


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_lines_of_enquiry_are_declared(path: Path) -> None:
    tool = _load(path)
    declared = {x.id for x in tool.lines_of_enquiry}
    for s in tool.sections:
        if s.line_of_enquiry is not None:
            assert s.line_of_enquiry in declared, f"section {s.id}: {s.line_of_enquiry}"
        for q in s.questions:
            if q.line_of_enquiry is not None:
                assert q.line_of_enquiry in declared, f"{q.id}: {q.line_of_enquiry}"


@pytest.mark.parametrize("tool_id", sorted(SECTION_5_1_BULLETS))
def test_single_agency_tool_covers_its_5_1_lines_of_enquiry(
    tools: dict[str, Tool], tool_id: str
) -> None:
    tool = tools[tool_id]
    assert tool.kind == "single-agency"
    assert len(tool.lines_of_enquiry) == SECTION_5_1_BULLETS[tool_id]
    # One section per line of enquiry, in the framework's order.
    assert [s.line_of_enquiry for s in tool.sections] == [x.id for x in tool.lines_of_enquiry]
    for s in tool.sections:
        for q in s.questions:
            assert q.line_of_enquiry == s.line_of_enquiry, f"{q.id} is in section {s.id}"


@pytest.mark.parametrize("tool_id", sorted(SECTION_5_1_BULLETS))
def test_single_agency_sections_end_with_a_described_grade(
    tools: dict[str, Tool], tool_id: str
) -> None:
    tool = tools[tool_id]
    for s in tool.sections:
        last = s.questions[-1]
        assert last.type == "grade" and last.id == f"{s.id}-grade", s.id
    for q in _questions(tool):
        if q.type == "grade":
            assert q.descriptors is not None, f"{q.id} has no descriptors"
            assert q.descriptors.outstanding, f"{q.id} has no Outstanding descriptor"


def test_single_agency_tools_have_the_child_seen_alone_follow_up(tools: dict[str, Tool]) -> None:
    for tool_id in SECTION_5_1_BULLETS:
        qs = tools[tool_id].questions()
        assert qs["child-seen-alone"].comment_triggers() == ["no"]
        cond = qs["child-not-seen-alone-reason"].applies_if
        assert cond is not None
        assert (cond.question, cond.answers()) == ("child-seen-alone", ["no"])


def test_themed_tools_end_with_an_overall_described_grade(tools: dict[str, Tool]) -> None:
    themed = [t for t in tools.values() if t.kind == "themed"]
    assert {t.id for t in themed} == {
        "themed-supervision",
        "themed-care-plans",
        "themed-decision-making",
        "themed-childs-views",
    }
    for tool in themed:
        assert 2 <= len(tool.sections) <= 4, tool.id
        last = tool.sections[-1].questions[-1]
        assert last.type == "grade" and last.descriptors is not None, tool.id


def test_multi_agency_sections_are_graded_with_descriptors(tools: dict[str, Tool]) -> None:
    tool = tools["multi-agency"]
    graded = [s for s in tool.sections if s.questions[-1].type == "grade"]
    assert len(graded) >= 5
    for q in _questions(tool):
        if q.type == "grade":
            assert q.descriptors is not None, q.id


def test_crib_sheet_has_all_sixteen_themes_as_checks(tools: dict[str, Tool]) -> None:
    tool = tools["crib-sheet"]
    assert tool.kind == "crib-sheet"
    assert len(tool.sections) == 16
    for n, s in enumerate(tool.sections, start=1):
        assert s.title.startswith(f"{n}. "), s.title
    assert all(q.type == "check" for q in _questions(tool))


def test_complaint_tool_never_records_a_complainant_name(tools: dict[str, Tool]) -> None:
    tool = tools["complaint-lessons"]
    assert tool.kind == "complaint"
    name = re.compile(r"\bnames?\b", re.IGNORECASE)
    for q in _questions(tool):
        assert "name" not in q.id, q.id
        assert not name.search(q.text), q.text
    qs = tool.questions()
    assert qs["complainant"].type == "choice"
    assert qs["outcome"].options == ["upheld", "part_upheld", "not_upheld"]
    cost = qs["compensation-cost"]
    assert cost.type == "number"
    assert cost.applies_if is not None and cost.applies_if.answers() == ["compensation"]


def test_observation_tool_leaves_consent_and_feedback_dates_to_the_header(
    tools: dict[str, Tool],
) -> None:
    tool = tools["practice-observation"]
    assert tool.kind == "observation"
    assert not [q.id for q in _questions(tool) if q.type == "date"]
    assert tool.questions()["setting"].options == [
        "interview_with_service_users",
        "group_work",
        "conference_or_meeting",
        "verbal_presentation",
    ]
