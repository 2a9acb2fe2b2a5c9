"""Write tests/cases/invalid/: one folder per rule, each a change to tests/cases/base/.

Each folder holds the files that replace or add to the base repository, and `expect.yaml`:
the rule code, the file and the line the finding must point at (the line marked `#<-`
in the changed file, or given explicitly). Run this script after changing the base, then
review the diff: the folders are the test data, this script only saves typing them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
OUT = HERE / "invalid"
AUDIT = "audits/2026-09/C-7F3K2Q9M--mini-audit.yaml"
CONFIG = "qa.yaml"
TOOL = "audit_tools/mini-audit.yaml"
SAMPLE = "samples/2026-09.yaml"


def base(rel: str) -> str:
    return (BASE / rel).read_text()


def sub(rel: str, old: str, new: str) -> str:
    text = base(rel)
    assert old in text, (rel, old)
    return text.replace(old, new, 1)


CASES: list[dict] = []


def in_audit(old: str, new: str) -> dict:
    """The files of a case that changes only the base's audit return: ``old`` to ``new``."""
    return {A: sub(A, old, new)}


def case(name, files, *, file=None, line=None, remove=(), strict=False, also=(), at=None):
    """``name`` starts with the rule code the case breaks; ``at``: the text the finding must
    point at, on the marked line (gives the column)."""
    CASES.append(
        dict(
            name=name,
            code=name.split("-")[0],
            files=files,
            file=file,
            line=line,
            remove=list(remove),
            strict=strict,
            also=list(also),
            at=at,
        )
    )


A = AUDIT
case(
    "QA001-not-utf8",
    {"audits/2026-09/notes.yaml": b"schema: qa/audit@1\nnote: caf\xe9\n"},
    file="audits/2026-09/notes.yaml",
    line=2,
)
case(
    "QA001-utf16-no-bom",
    {"audits/2026-09/notes.yaml": "schema: qa/audit@1\nnote: x\n".encode("utf-16-le")},
    file="audits/2026-09/notes.yaml",
    line=1,
)
case(
    "QA014-nested-too-deep",
    {"audits/2026-09/deep.yaml": "schema: qa/audit@1\nnote:\n" + "[" * 5000 + "]" * 5000 + "\n"},
    file="audits/2026-09/deep.yaml",
    line=3,
)
case(
    "QA015-line-too-long",
    {"audits/2026-09/long.yaml": "schema: qa/audit@1\nnote: " + "word " * 5000 + "\n"},
    file="audits/2026-09/long.yaml",
    line=2,
)
case(
    "QA016-merge-key",
    in_audit("completed: 2026-10-20", "<<: {status: closed}  #<-\ncompleted: 2026-10-20"),
)
case(
    "QA017-nul-bytes",
    {"audits/2026-09/binary.yaml": b"schema: qa/audit@1\nnote: a\x00b\n"},
    file="audits/2026-09/binary.yaml",
    line=2,
)
case(
    "QA002-syntax",
    in_audit(
        "strengths: Timely strategy meeting.", "strengths: Good: timely strategy meeting.  #<-"
    ),
)
case("QA003-tab", in_audit("  plan-type: cp-plan", "\tplan-type: cp-plan"), file=A, line=17)
case(
    "QA004-duplicate-key",
    in_audit(
        "overall_grade: requires_improvement",
        "overall_grade: requires_improvement\noverall_grade: good  #<-",
    ),
)
case("QA005-anchor", in_audit("team: child-protection", "team: &t child-protection  #<-"))
case(
    "QA006-empty",
    {"audits/2026-09/empty.yaml": "# nothing here yet\n"},
    file="audits/2026-09/empty.yaml",
    line=1,
)
case(
    "QA007-list",
    {"audits/2026-09/list.yaml": "- schema: qa/audit@1\n- case: C-7F3K2Q9M\n"},
    file="audits/2026-09/list.yaml",
    line=1,
)
case(
    "QA008-too-large",
    {
        CONFIG: base(CONFIG) + "limits:\n  max_file_bytes: 1000\n",
        "audits/2026-09/big.yaml": "schema: qa/audit@1\n"
        + "# padding line to pass the limit\n" * 40,
    },
    file="audits/2026-09/big.yaml",
    line=1,
)
case("QA010-missing-schema", in_audit("schema: qa/audit@1\n", ""), file=A, line=2)
case("QA011-unknown-kind", in_audit("schema: qa/audit@1", "schema: qa/audits@1  #<-"))
case("QA012-unknown-version", in_audit("schema: qa/audit@1", "schema: qa/audit@9  #<-"))
case("QA101-unknown-key", in_audit("strengths:", "strenghts:"), file=A, line=20)
case("QA102-missing-key", in_audit("team: child-protection\n", ""), file=A, line=2)
case("QA103-wrong-type", in_audit("auditors: [sm-cdale, tm-bmoor]", "auditors: sm-cdale  #<-"))
case("QA104-impossible-date", in_audit("completed: 2026-10-20", "completed: 2026-02-30  #<-"))
case(
    "QA601-implausible-date",
    in_audit("completed: 2026-10-20", "completed: 9999-12-31  #<-"),
    also=["QA407"],
)
case(
    "QA602-sample-file-outside",
    {
        SAMPLE: sub(
            SAMPLE,
            "    file: audits/2026-09/C-7F3K2Q9M--mini-audit.yaml",
            "    file: audits/../../../outside.yaml  #<-",
        )
    },
    also=["QA403"],
)
case("QA105-uk-date", in_audit("completed: 2026-10-20", "completed: 01/10/2026  #<-"), strict=True)
case(
    "QA106-grade-misspelt",
    in_audit("overall_grade: requires_improvement", "overall_grade: requires_improvment  #<-"),
)
case("QA107-bad-case-code", in_audit("case: C-7F3K2Q9M", "case: CASE-0001  #<-"), also=["QA408"])
case(
    "QA108-duplicate-staff",
    {CONFIG: sub(CONFIG, "  - id: qa-dlane", "  - id: sm-cdale  #<-")},
    also=["QA401", "QA410", "QA462"],
)
case("QA109-no-auditors", in_audit("auditors: [sm-cdale, tm-bmoor]", "auditors: []  #<-"))
case(
    "QA201-follow-up-later",
    {
        TOOL: sub(
            TOOL, "          question: child-seen-alone", "          question: practice-grade  #<-"
        )
    },
    also=["QA306"],
)
case(
    "QA202-comment-trigger",
    {TOOL: sub(TOOL, 'comment_required_if: "no"', 'comment_required_if: "never"  #<-')},
)
case(
    "QA203-tool-file-name",
    {"audit_tools/mini.yaml": sub(TOOL, "id: mini-audit", "id: mini-audit  #<-")},
    remove=[TOOL],
)
case(
    "QA205-duplicate-tool",
    {"audit_tools/mini-audit@1.yaml": sub(TOOL, "version: 1", "version: 1  #<-")},
)
case(
    "QA301-unknown-tool-version",
    in_audit("tool: mini-audit@1", "tool: mini-audit@2  #<-"),
    also=["QA403"],
)
case(
    "QA302-unknown-question",
    in_audit("  plan-type: cp-plan", "  plan-typ: cp-plan  #<-"),
    also=["QA304"],
)
case("QA303-answer-not-an-option", in_audit("  plan-type: cp-plan", "  plan-type: cp_plan2  #<-"))
case(
    "QA304-required-unanswered",
    in_audit("  practice-grade: requires_improvement", "  practice-grade:  #<-"),
)
case(
    "QA305-comment-required",
    in_audit(
        "  child-seen-alone:\n    answer: no\n"
        "    comment: Seen with the mother on both visits.\n"
        "  not-seen-alone-reason: The child was unwell at the planned visit.\n",
        "  child-seen-alone: no  #<-\n",
    ),
)
case(
    "QA306-follow-up-not-applicable",
    {
        A: sub(
            A,
            "  child-seen-alone:\n    answer: no\n"
            "    comment: Seen with the mother on both visits.\n"
            "  not-seen-alone-reason:",
            "  child-seen-alone: yes\n  not-seen-alone-reason:",
        ).replace("planned visit.", "planned visit.  #<-")
    },
    strict=True,
)
case(
    "QA307-overall-grade-missing",
    {
        A: sub(A, "status: closed", "status: returned  #<-").replace(
            "overall_grade: requires_improvement\n", ""
        )
    },
)
case("QA311-looks-returned", in_audit("status: closed", "status: allocated  #<-"), strict=True)
case(
    "QA313-another-spelling",
    in_audit("overall_grade: requires_improvement", "overall_grade: Requires Improvement  #<-"),
    strict=True,
)
case("QA314-staff-name", in_audit("    owner: sw-afield", "    owner: alex field  #<-"))
case(
    "QA315-action-on-one-line",
    in_audit(
        "  - id: A1\n    action: See the child alone at the next visit.\n"
        "    owner: sw-afield\n    due: 2026-11-15\n    status: verified\n"
        "    done_on: 2026-11-01\n    verified_by: qa-dlane\n    verified_on: 2026-11-03\n",
        "  - {id: A1, action: See the child alone., owner: sw-afield, due: 2026-11-15, "
        "status: verified, done_on: 2026-11-01, verified_by: qa-dlane, "
        "verified_on: 2026-11-03}  #<-\n",
    ),
    strict=True,
)
case("QA401-unknown-staff", in_audit("social_worker: sw-afield", "social_worker: sw-nobody  #<-"))
case("QA402-unknown-team", in_audit("team: child-protection", "team: child-protecton  #<-"))
case(
    "QA403-case-not-in-sample",
    {
        "audits/2026-09/C-AAAAAAAA--mini-audit.yaml": sub(
            A, "case: C-7F3K2Q9M", "case: C-AAAAAAAA  #<-"
        )
    },
)
case(
    "QA404-no-action-plan",
    {
        A: sub(A, base(A)[base(A).index("actions:") : base(A).index("qa_review:")], "").replace(
            "overall_grade: requires_improvement", "overall_grade: requires_improvement  #<-"
        )
    },
)
case(
    "QA405-closed-without-review",
    {
        A: sub(A, base(A)[base(A).index("qa_review:") :], "").replace(
            "status: closed", "status: closed  #<-"
        )
    },
)
case(
    "QA406-closed-unverified",
    in_audit(
        "    status: verified\n    done_on: 2026-11-01\n"
        "    verified_by: qa-dlane\n    verified_on: 2026-11-03\n",
        "    status: done  #<-\n    done_on: 2026-11-01\n",
    ),
)
case(
    "QA407-completed-before-allocated",
    in_audit("completed: 2026-10-20", "completed: 2026-08-20  #<-"),
)
case(
    "QA408-file-name-mismatch",
    {"audits/2026-09/my-audit.yaml": sub(A, "case: C-7F3K2Q9M", "case: C-7F3K2Q9M  #<-")},
    remove=[A],
    also=["QA412"],
)
case(
    "QA409-no-completed-date",
    {A: sub(A, "completed: 2026-10-20\n", "").replace("status: closed", "status: closed  #<-")},
)
case("QA410-verifier-not-qa", in_audit("verified_by: qa-dlane", "verified_by: sw-afield  #<-"))
case(
    "QA411-unknown-service",
    {
        CONFIG: sub(
            CONFIG,
            "    service: safeguarding\n  - id: child-protection",
            "    service: safeguardin  #<-\n  - id: child-protection",
        )
    },
)
case(
    "QA412-return-missing",
    {SAMPLE: sub(SAMPLE, "    file: audits", "    file: audits")},
    remove=[A],
    file=SAMPLE,
    line=14,
    strict=True,
)
case(
    "QA413-conflict-of-interest",
    in_audit("auditors: [sm-cdale, tm-bmoor]", "auditors: [sm-cdale, sw-afield]  #<-"),
    strict=True,
)
case(
    "QA414-duplicate-in-sample",
    {
        SAMPLE: base(SAMPLE)
        + base(SAMPLE)[base(SAMPLE).index("  - case") :].replace(
            "  - case: C-7F3K2Q9M", "  - case: C-7F3K2Q9M  #<-"
        )
    },
)
# Personal data (QA5xx): errors by default, each at its own line and column, in a value,
# a comment, a key or a line of a block scalar. Every value is synthetic: 999 000 0018 is
# an NHS number of the 999 test range, QQ 12 34 56 C is HMRC's example NI number, phone
# numbers are Ofcom's drama ranges, ZZ postcodes do not exist, names are invented.
case(
    "QA451-limiting-judgement",
    {
        TOOL: sub(
            TOOL, "    title: Practice\n", "    title: Practice\n    line_of_enquiry: practice\n"
        ),
        A: sub(A, "overall_grade: requires_improvement", "overall_grade: good  #<-"),
    },
    strict=True,
)
case(
    "QA501-nhs-number",
    in_audit(
        "strengths: Timely strategy meeting.",
        "strengths: Timely strategy meeting for 999 000 0018.  #<-",
    ),
    at="999 000 0018",
)
case(
    "QA502-date-of-birth",
    in_audit(
        "areas_for_improvement: |\n  The child was not seen alone.",
        "areas_for_improvement: |\n  The child was not seen alone.\n"
        "  Child born on the 3rd of April 2015.  #<-",
    ),
    at="born on",
)
case(
    "QA503-postcode",
    in_audit("strengths: Timely strategy meeting.", "strengths: Visit at zz1 1zz went well.  #<-"),
    at="zz1 1zz",
)
case(
    "QA504-ni-number",
    in_audit("# Single-agency audit, September 2026.", "# NI QQ 12 34 56 C  #<-"),
    at="QQ 12",
)
case(
    "QA505-phone-number",
    in_audit("  plan-type: cp-plan", "  plan-type: cp-plan  # mum on 07700 900123  #<-"),
    at="07700",
)
case(
    "QA506-email-address",
    in_audit("strengths:", "zeb.quux@example.com:  #<-"),
    also=["QA101"],
    at="zeb.quux",
)
case(
    "QA507-case-management-id",
    {
        CONFIG: base(CONFIG) + "privacy:\n  case_id_patterns: ['\\bZCM-?\\d{6}\\b']\n",
        A: sub(A, "strengths: Timely strategy meeting.", "strengths: Meeting for ZCM-004271.  #<-"),
    },
    at="ZCM-",
)
case(
    "QA508-listed-name",
    in_audit(
        "    comment: Seen with the mother on both visits.",
        "    comment: Seen with Zebedee Quux on both visits.  #<-",
    ),
    at="Zebedee",
)
case(
    "QA509-case-list-column",
    {
        "cases/2026-09-28.csv": "case,team,worker,category,start_date,age_band,child_name\n"
        "C-7F3K2Q9M,child-protection,sw-afield,CP,2026-03,5-9,Zebedee Quux\n"
    },
    file="cases/2026-09-28.csv",
    line=1,
    also=["QA508"],
    at="child_name",
)

case(
    "QA460-not-forwarded",
    in_audit("  forwarded_to: [ad-efox, sm-cdale]", "  forwarded_to: []  #<-"),
)
case("QA461-reviewer-not-qa", in_audit("  reviewer: qa-dlane", "  reviewer: tm-bmoor  #<-"))
case(
    "QA462-forwarded-without-ad",
    in_audit("  forwarded_to: [ad-efox, sm-cdale]", "  forwarded_to: [sm-cdale]  #<-"),
    strict=True,
)
case(
    "QA463-outcome-by-wrong-role",
    {
        A: base(A) + "  service_manager_outcome:\n    by: ad-efox  #<-\n    date: 2026-10-30\n"
        "    outcome: Discussed with the team.\n"
    },
)
case(
    "QA464-concern-outcome-undated",
    {
        A: base(A) + "safeguarding_concern:\n  found: 2026-10-10\n"
        "  description: Found while auditing; escalated at once.\n"
        "  escalated_to: tm-bmoor\n  escalated_on: 2026-10-10\n  outcome: section_47  #<-\n"
    },
)
case("QA465-feedback-before-sending", {A: base(A) + "feedback:\n  uploaded_on: 2026-10-28  #<-\n"})


case(
    "QA701-stale-editor-schema",
    {"schemas/tool-mini-audit@1.schema.json": "{}\n"},
    file="schemas/tool-mini-audit@1.schema.json",
    line=1,
    strict=True,
)
case(
    "QA702-wrong-schema-line",
    {A: "# yaml-language-server: $schema=../../schemas/sample@1.schema.json\n" + base(A)},
    file=A,
    line=1,
    strict=True,
)


case(
    "QA703-ci-installs-another-toolkit",
    {
        CONFIG: base(CONFIG) + "toolkit:\n  source: qa-cli==0.2.0  #<-\n",
        ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: qa-validate\n"
        "        name: qa validate\n        language: python\n"
        '        additional_dependencies: ["qa-cli==0.1.0"]\n        entry: qa validate\n',
    },
    strict=True,
)

MIDPOINT = "monitoring/2026-11/C-7F3K2Q9M--midpoint--2026-11-18.yaml"
MIDPOINT_TOOL = (HERE.parent.parent / "audit_tools" / "midpoint-review.yaml").read_text()
MIDPOINT_TEXT = """schema: qa/midpoint-review@1
tool: midpoint-review@1
plan: cp_plan
case: C-7F3K2Q9M
team: child-protection
social_worker: sw-afield
chair: tm-bmoor  #<-
reviewed: 2026-11-18
status: allocated
"""
case(
    "QA470-chair-without-role",
    {"audit_tools/midpoint-review.yaml": MIDPOINT_TOOL, MIDPOINT: MIDPOINT_TEXT},
    strict=True,
)
case(
    "QA471-dispute-half-resolved",
    {
        "audit_tools/midpoint-review.yaml": MIDPOINT_TOOL,
        MIDPOINT: MIDPOINT_TEXT.replace("  #<-", "")
        + "dispute:\n  stage: informal\n  raised_on: 2026-11-18\n  about: The plan.\n"
        "  resolved_on: 2026-11-25  #<-\n",
    },
    also=["QA470"],
)

REVIEW = "team-reviews/2026-09/child-protection.yaml"
REVIEW_TEXT = """schema: qa/team-review@1
team: child-protection
first_month: 2026-04
last_month: 2026-09
team_manager: tm-bmoor
service_manager: sm-cdale
status: draft
"""
case(
    "QA480-team-review-agreed-too-early",
    {REVIEW: REVIEW_TEXT.replace("status: draft", "status: agreed  #<-")},
)
OVERVIEW = "team-overviews/2026-09/child-protection.yaml"
OVERVIEW_TEXT = """schema: qa/team-overview@1
team: child-protection
month: 2026-09
team_manager: tm-bmoor
status: draft
cases: [C-7F3K2Q9M]
"""
case(
    "QA481-overview-without-findings",
    {OVERVIEW: OVERVIEW_TEXT.replace("status: draft", "status: completed  #<-")},
)
case(
    "QA482-overview-case-not-sampled",
    {
        OVERVIEW: OVERVIEW_TEXT.replace(
            "cases: [C-7F3K2Q9M]", "cases:\n  - C-7F3K2Q9M\n  - C-AAAAAAAA  #<-"
        )
    },
    strict=True,
    at="C-AAAAAAAA",
)
case(
    "QA483-plan-without-its-report",
    {
        "improvement/2026-08.yaml": "schema: qa/improvement@1\nreport: monthly\n"
        "month: 2026-08  #<-\nlead: qa-dlane\nrecommendations: []\n"
    },
    strict=True,
)
case(
    "QA484-team-review-wrong-role",
    {REVIEW: REVIEW_TEXT.replace("team_manager: tm-bmoor", "team_manager: sm-cdale  #<-")},
    strict=True,
)

case(
    "QA485-practitioner-feedback-too-early",
    {
        "multi-agency/2026-x/returns/C-7F3K2Q9M--health.yaml": "schema: qa/agency-return@1\n"
        "tool: mini-audit@1\ncase: C-7F3K2Q9M\nagency: health\nauditor: tm-bmoor\n"
        "status: in_progress\npractitioner_feedback:\n  to: the health visitor\n"
        "  on: 2026-10-01  #<-\n"
    },
)

case(
    "QA510-code-length",
    {
        CONFIG: base(CONFIG)
        + "\n# This repository was set up for 13-character codes, but its returns carry 8.\n"
        "case_list:\n  code_length: 13\n",
        AUDIT: base(AUDIT),
    },
    file=AUDIT,
    line=4,
    at="C-7F3K2Q9M",
)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for c in CASES:
        folder = OUT / c["name"]
        marked_file, marked_line = c["file"], c["line"]
        for rel, content in c["files"].items():
            path = folder / "files" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
                continue
            path.write_text(content)
            for i, line in enumerate(content.split("\n"), start=1):
                if "#<-" in line and marked_line is None:
                    marked_file, marked_line = rel, i
        assert marked_file and marked_line, c["name"]
        expect = [f"code: {c['code']}", f"file: {marked_file}", f"line: {marked_line}"]
        if c["remove"]:
            expect.append("remove: [" + ", ".join(c["remove"]) + "]")
        if c["strict"]:
            expect.append("strict: true")
        if c["at"]:
            text = c["files"][marked_file]
            marked = text.split("\n")[marked_line - 1]
            expect.append(f"column: {marked.index(c['at']) + 1}")
        if c["also"]:
            expect.append("also: [" + ", ".join(c["also"]) + "]")
        (folder / "expect.yaml").write_text("\n".join(expect) + "\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
