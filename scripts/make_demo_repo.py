#!/usr/bin/env python3
"""Generate ``examples/demo-repo``: a complete synthetic audit repository for "Northbridge".

Northbridge is a fictional borough. Every case code, person and event in the demo is invented:
no real child, family, member of staff, place, postcode, NHS number or date of birth appears.

The generator is deterministic. It uses seeded ``random.Random`` streams and the scenario's
fixed dates ("today" in the story is 2026-11-29), never today's date, so running it twice
gives byte-identical files. The audit tools are copied from the toolkit's ``audit_tools/`` at
generation time and their questions drive the answers, so the demo follows the tools if they
change (run the generator again and commit the result).

Usage::

    python scripts/make_demo_repo.py                 # writes examples/demo-repo
    python scripts/make_demo_repo.py OUT_DIR         # writes somewhere else
    python scripts/make_demo_repo.py --tools DIR     # audit tools from another folder

or, from Python, ``generate(out_dir)``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import random
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "scripts" / "demo"  # the scenario, the phrases and the hand-written records
sys.path.insert(0, str(ROOT))
from qa_cli import calendar as qa_calendar  # noqa: E402  (the toolkit's own working days)


def _data(name: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    loaded: dict[str, Any] = YAML(typ="safe", pure=True).load((DATA / name).read_text("utf-8"))
    return loaded


def _rows(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Records of the data files as the tuples the story code unpacks (fields in file order)."""
    return [tuple(item.values()) for item in items]


S, PH, REC = _data("scenario.yaml"), _data("phrases.yaml"), _data("records.yaml")
DEFAULT_OUT = ROOT / "examples" / "demo-repo"
DEFAULT_TOOLS = ROOT / "audit_tools"

AS_OF = S["as_of"]  # "today" in the scenario
ORGANISATION = S["organisation"]
MARKER = "Northbridge"  # an existing output folder is only replaced if its qa.yaml says this

D = dt.date

# ---------------------------------------------------------------------------------------------
# Writing YAML by hand: block style, comments where they help, no anchors or aliases.
# ---------------------------------------------------------------------------------------------


class Comment:
    """A full-line comment (or, with no text, a blank line) inside a mapping or a list."""

    def __init__(self, text: str | None = None) -> None:
        self.text = text


class Flow:
    """Write a short list or mapping on one line: ``[a, b]`` or ``{k: v}``."""

    def __init__(self, value: Any) -> None:
        self.value = value


class Note:
    """A value with a comment at the end of its line."""

    def __init__(self, value: Any, note: str) -> None:
        self.value = value
        self.note = note


def M(*items: Any) -> dict[Any, Any]:
    """A mapping from ``(key, value)`` pairs and :class:`Comment` objects.

    Pairs whose value is None are left out, so optional keys can be written inline.
    """
    out: dict[Any, Any] = {}
    for item in items:
        if isinstance(item, Comment):
            out[item] = None
            continue
        key, value = item
        if value is None:
            continue
        out[key] = value
    return out


_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|\.inf|\.nan"
    r"|[-+]?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|\d{4}-\d\d?-\d\d?.*)$"
)


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s != s.strip() or any(c in s for c in "\n\t\r"):
        return False
    if s[0] in "-?:,[]{}#&*!|>'\"%@`":
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    return not _RESERVED.match(s)


def _scalar(v: Any, flow: bool = False) -> str:
    if isinstance(v, bool):  # only settings in qa.yaml are true/false; answers are yes/no text
        return "true" if v else "false"
    if v is None:
        raise TypeError("no nulls in audit files: leave the key out instead")
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return v if _plain_ok(v, flow) else json.dumps(v, ensure_ascii=False)
    raise TypeError(f"cannot write {type(v).__name__}")


def _flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_scalar(x, True)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x, True) for x in v) + "]"
    return _scalar(v, True)


def _block(text: str, ind: int) -> list[str]:
    assert text.endswith("\n") and not text.endswith("\n\n"), repr(text)
    assert not text.startswith(" "), repr(text)
    return [(" " * ind + line) if line else "" for line in text[:-1].split("\n")]


def _comment_lines(c: Comment, pad: str) -> list[str]:
    if c.text is None:
        return [""]
    return [pad + ("# " + t if t else "#") for t in c.text.split("\n")]


def _map(d: dict[Any, Any], ind: int) -> list[str]:
    out: list[str] = []
    pad = " " * ind
    for k, v in d.items():
        if isinstance(k, Comment):
            out += _comment_lines(k, pad)
            continue
        note = ""
        if isinstance(v, Note):
            note, v = "  # " + v.note, v.value
        if isinstance(v, Flow):
            out.append(f"{pad}{k}: {_flow(v.value)}{note}")
        elif isinstance(v, dict):
            if not _real(v):
                out.append(f"{pad}{k}: {{}}{note}")
            else:
                out.append(f"{pad}{k}:{note}")
                out += _map(v, ind + 2)
        elif isinstance(v, list):
            if not v:
                out.append(f"{pad}{k}: []{note}")
            else:
                out.append(f"{pad}{k}:{note}")
                out += _seq(v, ind + 2)
        elif isinstance(v, str) and "\n" in v:
            out.append(f"{pad}{k}: |{note}")
            out += _block(v, ind + 2)
        else:
            out.append(f"{pad}{k}: {_scalar(v)}{note}")
    return out


def _seq(items: list[Any], ind: int) -> list[str]:
    out: list[str] = []
    pad = " " * ind
    for it in items:
        if isinstance(it, Comment):
            out += _comment_lines(it, pad)
            continue
        note = ""
        if isinstance(it, Note):
            note, it = "  # " + it.note, it.value
        if isinstance(it, Flow):
            out.append(f"{pad}- {_flow(it.value)}{note}")
        elif isinstance(it, dict):
            sub = _map(it, ind + 2)
            i = next(
                j for j, line in enumerate(sub) if line.strip() and not line.strip().startswith("#")
            )
            sub[i] = pad + "- " + sub[i][ind + 2 :]
            out += sub
        elif isinstance(it, str) and "\n" in it:
            out.append(f"{pad}- |{note}")
            out += _block(it, ind + 2)
        else:
            out.append(f"{pad}- {_scalar(it)}{note}")
    return out


def _real(d: dict[Any, Any]) -> bool:
    return any(not isinstance(k, Comment) for k in d)


def emit(doc: dict[Any, Any]) -> str:
    """The YAML text of a document built from dicts, lists, Comment, Flow and Note."""
    return "\n".join(_map(doc, 0)) + "\n"


def plain(v: Any) -> Any:
    """What a YAML loader gives back for ``v`` (timestamps stay text, as in qa's loader)."""
    if isinstance(v, Note | Flow):
        return plain(v.value)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if not isinstance(k, Comment)}
    if isinstance(v, list):
        return [plain(x) for x in v if not isinstance(x, Comment)]
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def block(lines: Iterable[str], bullet: str = "- ", width: int = 92) -> str:
    """A multi-line text as a bulleted list, wrapped for reading in an editor."""
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(
            line, width=width, initial_indent=bullet, subsequent_indent=" " * len(bullet)
        )
    return "\n".join(out) + "\n"


def para(text: str, width: int = 92) -> str:
    """One paragraph as a wrapped multi-line text."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width=width)) + "\n"


# ---------------------------------------------------------------------------------------------
# Calendar: Monday to Friday, England bank holidays (as qa's own calendar has them).
# ---------------------------------------------------------------------------------------------


def is_working(d: dt.date) -> bool:
    return qa_calendar.is_working_day(d)


def next_working(d: dt.date) -> dt.date:
    return qa_calendar.next_working_day(d)


def prev_working(d: dt.date) -> dt.date:
    while not is_working(d):
        d -= dt.timedelta(days=1)
    return d


def add_wd(d: dt.date, n: int) -> dt.date:
    """``n`` working days after ``d``."""
    return qa_calendar.add_working_days(d, n)


add_months = qa_calendar.add_months


def first_working_day(year: int, month: int) -> dt.date:
    return next_working(dt.date(year, month, 1))


def working_day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    days = [d for d in days if is_working(d)]
    return rng.choice(days)


def clamp_past(d: dt.date, floor: dt.date) -> dt.date:
    """``d``, but not after the last working day before "today", nor before ``floor``."""
    latest = prev_working(AS_OF - dt.timedelta(days=1))
    return max(floor, min(d, latest))


# ---------------------------------------------------------------------------------------------
# The organisation: services, teams, staff (all invented), agencies, auditor pairs.
# ---------------------------------------------------------------------------------------------

SERVICES = _rows(S["services"])

# id, name, service, balanced score card, team manager
TEAMS = _rows(S["teams"])  # id, name, service, balanced score card, team manager
TEAM = {t[0]: t for t in TEAMS}
SERVICE_OF = {t[0]: t[2] for t in TEAMS}
BSC = {t[0] for t in TEAMS if t[3]}
TM_OF = {t[0]: t[4] for t in TEAMS}

TEAM_MANAGER_NAMES = S["team_manager_names"]

SOCIAL_WORKERS = {team: _rows(sws) for team, sws in S["social_workers"].items()}
SENIOR_PRACTITIONERS = set(S["senior_practitioners"])
WORKER_TEAM = {sid: team for team, sws in SOCIAL_WORKERS.items() for sid, _ in sws}

SM_OF = S["sm_of"]
AD = S["ad"]
QA_LEAD = S["qa_lead"]
QA_AUDITOR = S["qa_auditor"]
PARTICIPATION = S["participation"]
IROS = S["iros"]
CP_CHAIRS = S["cp_chairs"]

AGENCIES = _rows(S["agencies"])
AGENCY_AUDITORS = S["agency_auditors"]

# Each Service Manager is paired with Team Managers of their service; a pair never audits the
# Team Manager's own team, and the Balanced Score Card team's manager is not in a pair.
PAIRS = _rows(S["pairs"])
TM_TEAM = {tm: team for team, tm in TM_OF.items()}

TOOL_FOR = S["tool_for"]
CATEGORY_NAME = S["category_name"]


@dataclass
class Person:
    id: str
    name: str
    roles: list[str]
    team: str | None = None
    expertise: list[str] = field(default_factory=list)
    agency: str | None = None


def staff() -> list[Person]:
    both = ["safeguarding", "corporate-parenting"]
    people: list[Person] = [
        Person(AD, "Fiona McAllister", ["assistant_director"], expertise=both),
        Person("sm-rsingh", "Ravi Singh", ["service_manager"], expertise=["safeguarding"]),
        Person(
            "sm-lharding", "Louise Harding", ["service_manager"], expertise=["corporate-parenting"]
        ),
    ]
    for team, _name, service, _bsc, tm in TEAMS:
        people.append(Person(tm, TEAM_MANAGER_NAMES[tm], ["team_manager"], team, [service]))
    for team in TEAM:
        for sid, name in SOCIAL_WORKERS[team]:
            roles = ["social_worker"] + (
                ["senior_practitioner"] if sid in SENIOR_PRACTITIONERS else []
            )
            people.append(Person(sid, name, roles, team))
    people += [
        Person(QA_LEAD, "Esther Brooks", ["qa_lead"], expertise=both),
        Person(QA_AUDITOR, "Alan Banks", ["qa_auditor"], expertise=both),
        Person("iro-swhitlock", "Sarah Whitlock", ["iro"], expertise=["corporate-parenting"]),
        Person("iro-kmensah", "Kofi Mensah", ["iro"], expertise=["corporate-parenting"]),
        Person("cp-chair-nhayes", "Nadia Hayes", ["cp_chair"], expertise=["safeguarding"]),
        Person("cp-chair-tdoyle", "Tom Doyle", ["cp_chair"], expertise=["safeguarding"]),
        Person(PARTICIPATION, "Lily Ferris", ["participation_officer"]),
        Person(
            "pm-cwebb",
            "Carol Webb",
            ["practice_mentor", "agency_auditor"],
            expertise=["safeguarding"],
            agency="childrens-social-care",
        ),
        Person("ag-police-ahartley", "Anna Hartley", ["agency_auditor"], agency="police"),
        Person("ag-health-rkaur", "Rupinder Kaur", ["agency_auditor"], agency="health"),
        Person("ag-education-mfinch", "Mark Finch", ["agency_auditor"], agency="education"),
    ]
    return people


def config_doc(people: list[Person]) -> dict[Any, Any]:
    """qa.yaml, with comments for someone opening it for the first time."""
    teams = []
    for tid, name, service, bsc, tm in TEAMS:
        teams.append(
            M(
                ("id", tid),
                ("name", name),
                ("service", service),
                (
                    "balanced_score_card",
                    Note(True, "in the Balanced Score Card approach: not sampled (App. D)")
                    if bsc
                    else None,
                ),
                ("manager", tm),
            )
        )
    groups = [
        ("Senior managers", lambda p: p.roles[0] in ("assistant_director", "service_manager")),
        ("Team managers (one per team)", lambda p: "team_manager" in p.roles),
        ("Social workers", lambda p: "social_worker" in p.roles),
        (
            "Quality Assurance team: the Lead QA Auditor draws samples, reviews and verifies",
            lambda p: bool({"qa_lead", "qa_auditor"} & set(p.roles)),
        ),
        (
            "Independent Reviewing Officers and Child Protection Chairs",
            lambda p: bool({"iro", "cp_chair"} & set(p.roles)),
        ),
        (
            "Participation officer: meets children during multi-agency audits (App. E 7)",
            lambda p: "participation_officer" in p.roles,
        ),
        (
            "Partner-agency auditors for multi-agency "
            "audits, with no casework involvement (App. E 1)",
            lambda p: "agency_auditor" in p.roles,
        ),
    ]
    staff_items: list[Any] = []
    done: set[str] = set()
    for title, pick in groups:
        members = [p for p in people if pick(p) and p.id not in done]
        if not members:
            continue
        staff_items.append(Comment(title))
        for p in members:
            done.add(p.id)
            staff_items.append(
                M(
                    ("id", p.id),
                    ("name", p.name),
                    ("roles", Flow(p.roles)),
                    ("team", p.team),
                    ("agency", p.agency),
                    ("expertise", Flow(p.expertise) if p.expertise else None),
                )
            )
    assert done == {p.id for p in people}
    pairs = [Flow({"service_manager": sm, "team_manager": tm}) for sm, tm in PAIRS]
    return M(
        Comment(
            "qa.yaml: the settings of the Northbridge demo audit repository.\n"
            "\n"
            "Everything here is synthetic. Northbridge is a fictional borough; the staff are\n"
            "invented people and the cases are random codes. Use it to try qa before setting up\n"
            "your own repository with `qa init`.\n"
            "\n"
            "Every file of the repository starts with a `schema:` line naming its kind and version."
        ),
        ("schema", "qa/config@1"),
        Comment(),
        Comment("The organisation's name, shown on reports."),
        ("organisation", ORGANISATION),
        ("department", "Children's Social Care"),
        Comment(),
        Comment(
            "Service areas. Auditors are given cases "
            '"within their own area of expertise" (App. D):\n'
            "a staff member's `expertise` lists the service areas they audit."
        ),
        ("services", [M(("id", s), ("name", n)) for s, n in SERVICES]),
        Comment(),
        Comment(
            "Teams. Ids appear in file names (crib-sheets/2026-10/assessment-1--C-....yaml).\n"
            "Teams in the Balanced Score Card approach are not sampled for peer audit (App. D)."
        ),
        ("teams", teams),
        Comment(),
        Comment(
            "Staff who audit, are audited, own actions or "
            "review. Never list children or families here.\n"
            "roles: social_worker, senior_practitioner, team_manager, service_manager,\n"
            "       assistant_director, iro, cp_chair, qa_auditor, qa_lead, practice_mentor,\n"
            "       participation_officer, complaints_manager, agency_auditor, business_manager"
        ),
        ("staff", staff_items),
        Comment(),
        Comment("Partner agencies taking part in multi-agency audits (App. E)."),
        ("agencies", [M(("id", a), ("name", n)) for a, n in AGENCIES]),
        Comment(),
        Comment("Audit programmes. Anything left out takes the framework's default."),
        (
            "programmes",
            M(
                (
                    "single_agency",
                    M(
                        (
                            "cases_per_pair",
                            Note(
                                3,
                                "cases per Service Manager + Team Manager pair each month (App. D)",
                            ),
                        ),
                        Comment(
                            "Each pair audits cases of its "
                            "service, never the Team Manager's own team."
                        ),
                        ("pairs", pairs),
                        (
                            "exclude_audited_within_months",
                            Note(12, "a case audited in the last year is not drawn again"),
                        ),
                    ),
                ),
                (
                    "crib_sheet",
                    M(("cases_per_team", Note(2, "App. A: two cases a month per team"))),
                ),
                (
                    "moderation",
                    M(
                        (
                            "share_good_or_better",
                            Note(0.2, "share of Good-or-better returns the QA team reviews"),
                        )
                    ),
                ),
                ("multi_agency", M(("baseline_min", 8), ("baseline_max", 10))),
            ),
        ),
        Comment(),
        Comment(
            "When things fall due. Working days skip weekends and England and Wales bank holidays."
        ),
        (
            "due",
            M(
                ("return_months", Note(2, "returns due two months after allocation (App. D)")),
                (
                    "qa_review_working_days",
                    Note(10, "QA review of Requires Improvement / Inadequate returns"),
                ),
                ("action_default_days", 28),
                (
                    "observation_feedback_working_days",
                    Note(10, "written feedback within two weeks (App. B)"),
                ),
                (
                    "observations_per_year",
                    Note(2, "each social worker observed at least twice a year"),
                ),
            ),
        ),
        Comment(),
        Comment("Audits are kept three years for inspection, then destroyed (App. E 6)."),
        ("retention", M(("years", 3))),
    )


# ---------------------------------------------------------------------------------------------
# Case lists: pseudonymised codes and the minimum fields (App. E 6). No names, no birth dates.
# ---------------------------------------------------------------------------------------------

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_LIST_DATES = S["case_list_dates"]

# team -> [(category, weight)]
TEAM_CATEGORIES = {t: list(w.items()) for t, w in S["team_categories"].items()}
AGE_WEIGHTS = {k: list(w.items()) for k, w in S["age_weights"].items()}


@dataclass
class Case:
    code: str
    team: str
    worker: str
    category: str
    start_date: dt.date
    age_band: str

    def row(self) -> list[str]:
        return [
            self.code,
            self.team,
            self.worker,
            self.category,
            self.start_date.isoformat(),
            self.age_band,
        ]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class CaseBook:
    """Every case of the scenario and the four monthly case lists."""

    def __init__(self) -> None:
        self.rng = random.Random("northbridge/cases")
        self.codes: set[str] = set()
        self.lists: dict[dt.date, list[Case]] = {}
        current: list[Case] = []
        for team in TEAM:
            per_worker = 12 if team not in ("leaving-care",) else 13
            for sid, _ in SOCIAL_WORKERS[team]:
                for _ in range(per_worker + self.rng.randint(-2, 2)):
                    current.append(self._new(team, sid, CASE_LIST_DATES[0], opened_before=True))
        self.lists[CASE_LIST_DATES[0]] = self._sorted(current)
        for prev, date in zip(CASE_LIST_DATES, CASE_LIST_DATES[1:], strict=False):
            current = list(self.lists[prev])
            for team in TEAM:
                churn = 3 if team.startswith("assessment") else 1
                in_team = [c for c in current if c.team == team]
                for c in self.rng.sample(in_team, churn + self.rng.randint(0, 1)):
                    current.remove(c)
                for _ in range(churn + self.rng.randint(0, 1)):
                    sid = self.rng.choice(SOCIAL_WORKERS[team])[0]
                    current.append(self._new(team, sid, date, opened_before=False, since=prev))
            self.lists[date] = self._sorted(current)
        self.by_code = {c.code: c for cases in self.lists.values() for c in cases}

    def _code(self) -> str:
        while True:
            code = "C-" + "".join(self.rng.choice(CROCKFORD) for _ in range(8))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _new(
        self,
        team: str,
        worker: str,
        date: dt.date,
        opened_before: bool,
        since: dt.date | None = None,
    ) -> Case:
        category = _weighted(self.rng, TEAM_CATEGORIES[team])
        if category == "care_leaver":
            band = _weighted(self.rng, AGE_WEIGHTS["care_leaver"])
        else:
            band = _weighted(self.rng, AGE_WEIGHTS["child"])
        if opened_before:
            span = {"CLA": 1500, "care_leaver": 1200, "CP": 420, "CIN": 500, "early_help": 240}[
                category
            ]
            if team.startswith("assessment"):
                span = 100
            start = date - dt.timedelta(days=self.rng.randint(14, span))
        else:
            assert since is not None
            start = since + dt.timedelta(days=self.rng.randint(1, (date - since).days - 1))
        return Case(
            self._code(),
            team,
            worker,
            category,
            next_working(start) if next_working(start) < date else prev_working(start),
            band,
        )

    @staticmethod
    def _sorted(cases: list[Case]) -> list[Case]:
        order = {t: i for i, t in enumerate(TEAM)}
        return sorted(cases, key=lambda c: (order[c.team], c.code))

    def csv_bytes(self, date: dt.date) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["case", "team", "worker", "category", "start_date", "age_band"])
        for c in self.lists[date]:
            w.writerow(c.row())
        return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Audit tools: copied from the toolkit, read for their questions.
# ---------------------------------------------------------------------------------------------


@dataclass
class Q:
    id: str
    text: str
    type: str
    section: str
    required: bool
    options: list[str]
    triggers: list[str]
    applies_if: tuple[str, list[str]] | None


@dataclass
class ToolInfo:
    id: str
    version: int
    kind: str
    sections: list[tuple[str, str, list[Q]]]  # id, title, questions

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def questions(self) -> list[Q]:
        return [q for _, _, qs in self.sections for q in qs]

    def reasons(self) -> dict[str, str]:
        """{question id: its follow-up that only asks the reason of its "no"}: that reason is
        written once, as the comment of the "no" (as `qa validate` and the blank return have it)."""
        by_id = {q.id: q for q in self.questions()}
        out: dict[str, str] = {}
        for q in self.questions():
            base = by_id.get(q.applies_if[0]) if q.applies_if else None
            if q.type == "text" and base and base.triggers and q.applies_if:
                if set(q.applies_if[1]) <= set(base.triggers):
                    out.setdefault(base.id, q.id)
        return out


def load_tools(folder: Path) -> tuple[dict[str, ToolInfo], dict[str, bytes]]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    tools: dict[str, ToolInfo] = {}
    raw: dict[str, bytes] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = path.read_bytes()
        raw[path.name] = data
        doc = yaml.load(data.decode("utf-8-sig"))
        sections = []
        for s in doc["sections"]:
            qs = []
            for q in s["questions"]:
                cri = q.get("comment_required_if")
                cond = q.get("applies_if")
                qs.append(
                    Q(
                        id=q["id"],
                        text=" ".join(str(q["text"]).split()),
                        type=q["type"],
                        section=s["id"],
                        required=q.get("required", True),
                        options=list(q.get("options") or []),
                        triggers=[]
                        if cri is None
                        else ([cri] if isinstance(cri, str) else list(cri)),
                        applies_if=None
                        if cond is None
                        else (
                            cond["question"],
                            [cond["answer"]]
                            if isinstance(cond["answer"], str)
                            else list(cond["answer"]),
                        ),
                    )
                )
            sections.append((s["id"], " ".join(str(s["title"]).split()), qs))
        tools[doc["id"]] = ToolInfo(doc["id"], int(doc["version"]), doc["kind"], sections)
    return tools, raw


# ---------------------------------------------------------------------------------------------
# What auditors find. A theme is a practice issue: the questions it makes "no" (with the
# auditor's comment), the line it adds to areas for improvement, and the action it calls for.
# ---------------------------------------------------------------------------------------------


@dataclass
class Theme:
    id: str
    no: dict[str, list[str]]
    area: str
    action: str
    owner: str  # sw | tm | iro
    categories: frozenset[str] | None = None
    follow: dict[str, list[str]] = field(default_factory=dict)


SAFEGUARDING = frozenset({"CIN", "CP", "early_help"})
CP_ONLY = frozenset({"CP"})
LOOKED_AFTER = frozenset({"CLA", "care_leaver"})


def _theme(t: dict[str, Any]) -> Theme:
    cats = t.get("categories")
    return Theme(**{**t, "categories": frozenset(cats) if cats is not None else None})


THEMES = [_theme(t) for t in PH["themes"]]
THEME = {t.id: t for t in THEMES}

# How a reviewer names each issue in a sentence.
ISSUE = PH["issue"]  # how a reviewer names each issue in a sentence
assert set(ISSUE) == {t.id for t in THEMES if not t.id.startswith("ma-")}

STRENGTHS = {
    k: [(s["text"], set(s.get("not_with", ()))) for s in v] for k, v in PH["strengths"].items()
}
MINOR_AREAS = PH["minor_areas"]

HELP_IMPACT = PH["help_impact"]

VULNERABLE_EXPERIENCE = PH["vulnerable_experience"]


# The same issues in the words used for a young person in care or a care leaver.
YOUNG_PERSON_WORDING = PH["young_person_wording"]
NOT_FOR_CARE_LEAVERS = set(PH["not_for_care_leavers"])
NOT_FOR_UNDER_FIVES = set(PH["not_for_under_fives"])


def young_person(case_category: str, age_band: str) -> bool:
    return case_category == "care_leaver" or (
        case_category == "CLA" and age_band in ("10-15", "16-17")
    )


def theme_ok(theme: Theme, category: str, age_band: str) -> bool:
    if theme.categories is not None and category not in theme.categories:
        return False
    if category == "care_leaver" and theme.id in NOT_FOR_CARE_LEAVERS:
        return False
    return not (age_band == "0-4" and theme.id in NOT_FOR_UNDER_FIVES)


def worded(theme: Theme, category: str, age_band: str) -> Theme:
    """The theme in the words used for the person whose case it is."""
    if young_person(category, age_band) and theme.id in YOUNG_PERSON_WORDING:
        return dataclasses.replace(theme, **YOUNG_PERSON_WORDING[theme.id])
    return theme


def fits(theme: Theme, tool: ToolInfo, category: str, age_band: str = "10-15") -> bool:
    if not theme_ok(theme, category, age_band):
        return False
    ids = {q.id for q in tool.questions()}
    return bool(ids & set(theme.no))


# ---------------------------------------------------------------------------------------------
# Answering a tool's questions for one fictional case.
# ---------------------------------------------------------------------------------------------

GRADES = ["inadequate", "requires_improvement", "good", "outstanding"]
RANK = {g: i for i, g in enumerate(GRADES)}

POSITIVE = PH["positive"]

CRIB_STRATEGY = set(PH["crib_strategy"])
CONFERENCE = set(PH["conference"])
YOUNG_NA = set(PH["young_na"])


@dataclass
class Ctx:
    rng: random.Random
    category: str
    age_band: str
    grade: str | None
    themes: list[Theme]
    had_strategy: bool = False
    nfa: bool = False
    out_of_area: bool = False
    vulnerabilities: list[str] = field(default_factory=lambda: ["none"])
    agency: str | None = None
    checked: dt.date | None = None

    @property
    def service(self) -> str:
        return "corporate-parenting" if self.category in LOOKED_AFTER else "safeguarding"

    @property
    def tier(self) -> str:
        return {
            "outstanding": "high",
            "good": "high",
            "requires_improvement": "mid",
            "inadequate": "low",
        }.get(self.grade or "good", "mid")


def case_ctx(rng: random.Random, case: Case, grade: str | None, themes: list[Theme]) -> Ctx:
    ctx = Ctx(rng, case.category, case.age_band, grade, themes)
    ctx.had_strategy = case.category == "CP" or (case.category == "CIN" and rng.random() < 0.3)
    ctx.nfa = (
        case.category in ("CIN", "early_help")
        and grade in ("good", "outstanding")
        and rng.random() < 0.15
    )
    ctx.out_of_area = case.category in LOOKED_AFTER and rng.random() < 0.3
    if case.category in SAFEGUARDING:
        r = rng.random()
        if case.category == "early_help" and r < 0.6 or r < 0.3:
            ctx.vulnerabilities = ["none"]
        elif r < 0.35:
            ctx.vulnerabilities = ["private_fostering"]
        else:
            pool = ["domestic_abuse", "drug_misuse", "adult_mental_health"]
            ctx.vulnerabilities = sorted(rng.sample(pool, rng.choice([1, 1, 2])), key=pool.index)
    return ctx


def is_na(qid: str, ctx: Ctx) -> bool:
    """Whether a yes/no/na question does not apply to this case."""
    rng, cat = ctx.rng, ctx.category
    young = ctx.age_band == "0-4"
    if qid in YOUNG_NA and young:
        return True
    if qid in CRIB_STRATEGY:
        return not ctx.had_strategy
    if qid == "s47-checks-escalated":
        return not ctx.had_strategy or rng.random() < 0.8
    if qid in CONFERENCE:
        return cat != "CP"
    if qid == "child-updated-on-process":
        return cat in LOOKED_AFTER and rng.random() < 0.5
    if qid in ("risk-reassessed-after-incidents", "new-incidents-discussed"):
        return rng.random() < 0.3
    if qid in ("contingency-plan", "drift-challenged"):
        return (
            cat in LOOKED_AFTER
            and qid == "drift-challenged"
            or (ctx.grade in ("good", "outstanding") and rng.random() < 0.6)
        )
    if qid in ("previous-actions-progressed", "audit-findings-reviewed"):
        return rng.random() < 0.6
    if qid == "risk-escalated-parallel-plan":
        return True
    if qid in ("plan-clear-outcomes", "parents-clear-what-must-change") and cat in LOOKED_AFTER:
        return cat == "care_leaver" or rng.random() < 0.5
    if qid in ("both-parents-included", "parent-visit-purposeful"):
        return cat == "care_leaver"
    if qid == "parent-omission-recorded":
        return True
    if qid == "not-seen-explanation":
        return "seen-alone" not in {t.id for t in ctx.themes}
    if qid.startswith("nfa-"):
        return not ctx.nfa
    if qid == "care-leaver-support":
        return not (cat == "care_leaver" or ctx.age_band == "16-17")
    if qid == "alternatives-to-care-considered":
        return cat == "care_leaver"
    if qid == "family-support":
        return cat == "care_leaver" and rng.random() < 0.5
    if qid == "iro-dispute-resolved":
        return rng.random() < 0.85
    if qid == "children-in-care-council":
        return ctx.age_band in ("0-4", "5-9")
    if qid == "informed-of-closure":
        return True
    if qid == "early-help-offered":
        return rng.random() < 0.3
    if qid == "child-seen-by-agency":
        return ctx.agency == "police" and rng.random() < 0.5
    if qid == "monitoring-forms-discussed":
        return cat not in ("CP", "CLA")
    if qid == "observation-feedback-discussed":
        return rng.random() < 0.3
    return False


def section_grade(overall: str, nos: int, rng: random.Random) -> str:
    r = RANK[overall]
    if nos == 0:
        if overall == "outstanding":
            return "outstanding" if rng.random() < 0.8 else "good"
        if overall == "good":
            return "good" if rng.random() < 0.85 else "outstanding"
        if overall == "requires_improvement":
            return "good" if rng.random() < 0.6 else "requires_improvement"
        return "requires_improvement" if rng.random() < 0.6 else "good"
    if nos == 1:
        if overall == "outstanding":
            return "good"
        if overall == "good":
            return "requires_improvement" if rng.random() < 0.7 else "good"
        if overall == "inadequate":
            return "inadequate" if rng.random() < 0.5 else "requires_improvement"
        return "requires_improvement"
    return GRADES[
        max(
            0,
            min(r, 1)
            - (
                0
                if overall == "good" or (overall == "requires_improvement" and rng.random() < 0.7)
                else 1
            ),
        )
    ]


def _value(raw: Any) -> Any:
    return raw.get("answer") if isinstance(raw, dict) and "answer" in raw else raw


def applies(q: Q, answers: dict[str, Any]) -> bool:
    if q.applies_if is None:
        return True
    base, wanted = q.applies_if
    v = _value(answers.get(base))
    if v is None:
        return False
    if isinstance(v, list):
        return any(x in wanted for x in v)
    return v in wanted


GENERIC_TEXT = PH["generic_text"]


def text_answer(q: Q, ctx: Ctx, follow: dict[str, list[str]], texts: dict[str, Any]) -> str:
    rng = ctx.rng
    if q.id in follow:
        return rng.choice(follow[q.id])
    if q.id in texts:
        v = texts[q.id]
        return v(ctx) if callable(v) else (rng.choice(v) if isinstance(v, list) else v)
    if q.id == "help-impact-summary":
        key = "care_leaver" if ctx.category == "care_leaver" else ctx.service
        if ctx.category == "CLA" and not young_person(ctx.category, ctx.age_band):
            key = "cla-young"
        return rng.choice(HELP_IMPACT[key][ctx.tier])
    if q.id == "vulnerable-child-experience":
        first = next(v for v in ctx.vulnerabilities if v in VULNERABLE_EXPERIENCE)
        return rng.choice(VULNERABLE_EXPERIENCE[first])
    return GENERIC_TEXT


def answer_tool(
    tool: ToolInfo, ctx: Ctx, sections: int | None = None, texts: dict[str, Any] | None = None
) -> dict[Any, Any]:
    """Answers to ``tool`` for the case in ``ctx``, with a comment line naming each section.

    Theme questions are answered "no" with the auditor's comment; questions that do not apply
    to the case are "na"; follow-up questions are answered only when their condition holds.
    """
    rng = ctx.rng
    texts = texts or {}
    no_ids = {qid: c for t in ctx.themes for qid, c in t.no.items()}
    follow = {qid: c for t in ctx.themes for qid, c in t.follow.items()}
    reasons = tool.reasons()
    answers: dict[Any, Any] = {}
    flat: dict[str, Any] = {}
    grade_sections: list[tuple[str, int]] = []
    for si, (_sid, title, qs) in enumerate(tool.sections):
        if sections is not None and si >= sections:
            break
        nos = 0
        header = Comment(title)
        for q in qs:
            if not applies(q, flat):
                continue
            if not q.required and q.type == "text" and rng.random() < 0.5:
                continue
            if q.id in reasons.values():
                continue  # its reason is the comment of the "no" it follows

            value: Any
            comment: str | None = None
            if q.type in ("yes_no", "yes_no_na"):
                if q.id in no_ids:
                    value, comment = "no", rng.choice(no_ids[q.id])
                    if reasons.get(q.id) in follow:
                        comment = rng.choice(follow[reasons[q.id]])
                    nos += 1
                elif q.id == "case-closed-nfa":
                    value = "yes" if ctx.nfa else "no"
                elif q.id == "placed-out-of-area":
                    value = "yes" if ctx.out_of_area else "no"
                elif (
                    q.id in ("risks-reduced", "escalated-with-parallel-plan")
                    and ctx.grade == "inadequate"
                ):
                    value = "no" if q.id == "risks-reduced" else "yes"
                    if q.triggers and value in q.triggers:
                        comment = "Risks remain high: see the areas for improvement."
                elif q.type == "yes_no_na" and is_na(q.id, ctx):
                    value = "na"
                else:
                    value = "yes"
                    if (
                        q.id in POSITIVE
                        and ctx.grade in ("good", "outstanding")
                        and rng.random() < 0.35
                    ):
                        comment = POSITIVE[q.id]
                if value in q.triggers and comment is None:
                    comment = "Not evidenced on the case file; discussed with the team manager."
            elif q.type == "check":
                if q.id in no_ids:
                    sw = "yes" if rng.random() < 0.4 else "no"
                    value = M(
                        ("social_worker", sw),
                        ("manager", "no"),
                        ("comment", rng.choice(no_ids[q.id])),
                        ("checked", ctx.checked),
                    )
                    nos += 1
                elif is_na(q.id, ctx):
                    value = Flow({"social_worker": "na", "manager": "na"})
                else:
                    value = Flow({"social_worker": "yes", "manager": "yes"})
                answers.setdefault(header, None)
                answers[q.id] = value
                flat[q.id] = plain(value)
                continue
            elif q.type == "grade":
                value = section_grade(ctx.grade or "good", nos, rng)
                grade_sections.append((q.id, nos))
            elif q.type == "multi_choice":
                if q.id == "vulnerabilities" and all(v in q.options for v in ctx.vulnerabilities):
                    value = Flow(list(ctx.vulnerabilities))
                else:
                    value = Flow([rng.choice(q.options)])
            elif q.type == "choice":
                value = texts[q.id](ctx) if q.id in texts else rng.choice(q.options)
                if value not in q.options:  # the tool's options changed: stay valid
                    value = q.options[0]
            elif q.type == "text":
                value = text_answer(q, ctx, follow, texts)
            elif q.type == "date":
                value = ctx.checked or AS_OF - dt.timedelta(days=30)
            elif q.type == "number":
                value = texts[q.id](ctx) if q.id in texts else rng.randint(1, 6)
            elif q.type == "staff":
                value = texts[q.id](ctx) if q.id in texts else QA_LEAD
            else:
                continue
            answers.setdefault(header, None)
            answers[q.id] = M(("answer", value), ("comment", comment)) if comment else value
            flat[q.id] = plain(value)
    if ctx.grade is not None and grade_sections:
        _fit_grades(answers, grade_sections, ctx.grade)
    return answers


def _fit_grades(answers: dict[Any, Any], grade_qs: list[tuple[str, int]], overall: str) -> None:
    """Make the section grades agree with the overall grade an auditor gave."""
    grades = {qid: answers[qid] for qid, _ in grade_qs}
    worst = sorted(grade_qs, key=lambda x: (-x[1], [q for q, _ in grade_qs].index(x[0])))
    if overall == "inadequate" and "inadequate" not in grades.values():
        grades[worst[0][0]] = "inadequate"
    if overall == "requires_improvement":
        if not any(RANK[g] <= 1 for g in grades.values()):
            grades[worst[0][0]] = "requires_improvement"
        for qid in grades:
            if grades[qid] == "outstanding":
                grades[qid] = "good"
    if overall == "good":
        for qid in grades:
            if grades[qid] == "inadequate":
                grades[qid] = "requires_improvement"
        if sum(1 for g in grades.values() if RANK[g] >= 2) <= len(grades) / 2:
            for qid, _ in worst[::-1][: len(grades) // 2 + 1]:
                grades[qid] = "good"
    if overall == "outstanding":
        for qid in grades:
            if RANK[grades[qid]] < 2:
                grades[qid] = "good"
        if sum(1 for g in grades.values() if g == "outstanding") <= len(grades) / 2:
            for qid, _ in worst[::-1][: len(grades) // 2 + 1]:
                grades[qid] = "outstanding"
    # Ofsted's limiting judgement (`qa validate` QA451): no section is graded below the
    # overall grade, which is no better than the weakest key line of enquiry.
    for qid in grades:
        if RANK[grades[qid]] < RANK[overall]:
            grades[qid] = overall
    for qid, g in grades.items():
        answers[qid] = g


# ---------------------------------------------------------------------------------------------
# Strengths, areas for improvement and action plans.
# ---------------------------------------------------------------------------------------------


def pick_themes(
    rng: random.Random, tool: ToolInfo, case: Case, n: int, forced: Iterable[str] = ()
) -> list[Theme]:
    chosen = [THEME[t] for t in forced]
    pool = [
        t
        for t in THEMES
        if fits(t, tool, case.category, case.age_band)
        and t not in chosen
        and not t.id.startswith("ma-")
    ]
    rng.shuffle(pool)
    return [
        worded(t, case.category, case.age_band) for t in chosen + pool[: max(0, n - len(chosen))]
    ]


def strengths_text(
    rng: random.Random, category: str, grade: str, themes: list[Theme], age_band: str = "10-15"
) -> str:
    bank = list(STRENGTHS["corporate-parenting" if category in LOOKED_AFTER else "safeguarding"])
    if category == "supervision":
        bank = STRENGTHS["supervision"]
    elif category == "CLA" and not young_person(category, age_band):
        bank = STRENGTHS["cla-young"]
    elif category == "care_leaver":
        bank = STRENGTHS["care_leaver"] + [s for s in bank if "placement" not in s[0]]
    avoid = {t.id for t in themes}
    bank = [s for s, clash in bank if not clash & avoid]
    n = {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}[grade]
    return block(rng.sample(bank, min(n, len(bank))))


def areas_text(rng: random.Random, category: str, themes: list[Theme]) -> str:
    if themes:
        return block(t.area for t in themes)
    bank = MINOR_AREAS["corporate-parenting" if category in LOOKED_AFTER else "safeguarding"]
    return block([rng.choice(bank)])


def owner_of(kind: str, case: Case, rng: random.Random) -> str:
    if kind == "sw":
        return case.worker
    if kind == "iro":
        return IROS[sum(map(ord, case.code)) % len(IROS)]
    return TM_OF[case.team]


def make_actions(
    rng: random.Random,
    themes: list[Theme],
    statuses: list[str],
    case: Case,
    start: dt.date,
    floor: dt.date | None = None,
    reaudit: dt.date | None = None,
    verifier_floor: dt.date | None = None,
) -> list[dict[Any, Any]]:
    """One action per theme, with due dates four weeks on and the given progress."""
    out = []
    for i, (theme, status) in enumerate(zip(themes, statuses, strict=False), start=1):
        due = add_wd(start, rng.randint(15, 25))
        done_on = verified_by = verified_on = None
        if status == "verified":
            lo = add_wd(start, 5)
            done_on = clamp_past(working_day_between(rng, lo, max(lo, add_wd(due, 3))), lo)
        elif status == "done":  # done lately, so not yet verified
            lo = max(add_wd(start, 5), AS_OF - dt.timedelta(days=16))
            done_on = clamp_past(working_day_between(rng, lo, max(lo, add_wd(due, 3))), lo)
        if status == "verified":
            assert done_on is not None
            verified_by = QA_AUDITOR if rng.random() < 0.7 else QA_LEAD
            v = add_wd(max(done_on, verifier_floor or done_on), rng.randint(1, 6))
            verified_on = clamp_past(v, done_on)
        out.append(
            M(
                ("id", f"A{i}"),
                ("action", theme.action),
                ("owner", owner_of(theme.owner, case, rng)),
                ("due", due),
                ("status", status),
                ("done_on", done_on),
                ("verified_by", verified_by),
                ("verified_on", verified_on),
                ("re_audit", reaudit if i == len(themes) and reaudit else None),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Single-agency samples and returns.
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What happens to one allocated return in the story."""

    status: str
    grade: str | None = None
    review: str | None = None  # agree | down | up (a QA review moving the grade one step)
    actions: list[str] = field(default_factory=list)
    moderation: bool = False  # a Good-or-better return picked for QA review
    late: bool = False
    concern: bool = False
    sections: int | None = None  # in progress: how many sections are answered so far
    reaudit: dt.date | None = None
    themes: list[str] = field(default_factory=list)
    window: tuple[dt.date, dt.date] | None = None  # when it was returned, if not the month's usual


def P(status: str, grade: str | None = None, **kw: Any) -> Plan:
    return Plan(status, grade, **kw)


PLANS = {month: [Plan(**p) for p in plans] for month, plans in S["plans"].items()}
COMPLETED_WINDOW = {m: (w["from"], w["to"]) for m, w in S["completed_window"].items()}
LATE_COMPLETED = S["late_completed"]
MODERATION_DRAWN = S["moderation_drawn"]
CONCERN_FOUND = S["concern_found"]


@dataclass
class Allocation:
    case: Case
    sm: str
    tm: str
    tool: ToolInfo
    allocated: dt.date
    due: dt.date

    @property
    def file(self) -> str:
        return f"audits/{self.allocated:%Y-%m}/{self.case.code}--{self.tool.id}.yaml"


def draw(
    month: str, cases: list[Case], tools: dict[str, ToolInfo], seed: int, audited: set[str]
) -> tuple[list[Allocation], list[tuple[Case, str]]]:
    """Draw the month's sample: three cases per pair, from its service, never the TM's team."""
    year, mon = map(int, month.split("-"))
    allocated = first_working_day(year, mon)
    due = next_working(add_months(allocated, 2))
    rng = random.Random(seed)
    order = list(cases)
    rng.shuffle(order)
    need = {pair: 3 for pair in PAIRS}
    allocations: list[Allocation] = []
    excluded: list[tuple[Case, str]] = []
    for case in order:
        service = SERVICE_OF[case.team]
        open_pairs = [p for p in PAIRS if need[p] > 0 and SM_OF[service] == p[0]]
        if not open_pairs:
            if all(n == 0 for n in need.values()):
                break
            continue
        if case.team in BSC:
            excluded.append((case, "team in the Balanced Score Card approach"))
            continue
        takers = [p for p in open_pairs if TM_TEAM[p[1]] != case.team]
        if not takers:
            continue
        if case.code in audited:
            excluded.append((case, "audited in the last 12 months"))
            continue
        pair = max(takers, key=lambda p: (need[p], -PAIRS.index(p)))
        need[pair] -= 1
        allocations.append(
            Allocation(case, pair[0], pair[1], tools[TOOL_FOR[case.category]], allocated, due)
        )
    assert all(n == 0 for n in need.values()), f"{month}: not enough cases to draw"
    # Listed pair by pair, so each pair sees its three cases together.
    allocations.sort(key=lambda a: (PAIRS.index((a.sm, a.tm)), a.case.code))
    return allocations, excluded


def month_name(month: str) -> str:
    return f"{dt.date(int(month[:4]), int(month[5:]), 1):%B %Y}"


def sample_doc(
    month: str,
    list_date: dt.date,
    sha: str,
    seed: int,
    allocations: list[Allocation],
    excluded: list[tuple[Case, str]],
    tools: dict[str, ToolInfo],
    moderation: dict[Any, Any] | None,
) -> dict[Any, Any]:
    allocated = allocations[0].allocated
    drawn = prev_working(allocated - dt.timedelta(days=1))
    tool_refs = {cat: tools[t].ref for cat, t in TOOL_FOR.items()}
    return M(
        Comment(
            f"Single-agency peer audit sample for {month_name(month)} (App. D), drawn by the\n"
            "Lead QA Auditor. The seed, the case list's SHA-256 and the rules let anyone redraw\n"
            "it and see it was not hand-picked. Synthetic demo data: the cases are random codes."
        ),
        ("schema", "qa/sample@1"),
        ("month", month),
        ("programme", "single-agency"),
        ("drawn", drawn),
        ("seed", seed),
        ("case_list", f"cases/{list_date.isoformat()}.csv"),
        ("case_list_sha256", sha),
        (
            "rules",
            M(
                ("cases_per_pair", 3),
                ("exclude_balanced_score_card", True),
                ("exclude_own_team", True),
                ("exclude_audited_within_months", 12),
                ("return_months", 2),
                ("tools", M(*[(cat, ref) for cat, ref in tool_refs.items()])),
            ),
        ),
        (
            "allocations",
            [
                M(
                    ("case", a.case.code),
                    ("team", a.case.team),
                    ("category", a.case.category),
                    ("tool", a.tool.ref),
                    ("auditors", Flow([a.sm, a.tm])),
                    ("allocated", a.allocated),
                    ("due", a.due),
                    ("file", a.file),
                )
                for a in allocations
            ],
        ),
        ("excluded", [M(("case", c.code), ("reason", r)) for c, r in excluded]),
        ("moderation", moderation),
    )


def assign_plans(rng: random.Random, month: str, allocations: list[Allocation]) -> list[Plan]:
    plans = list(PLANS[month])
    assert len(plans) == len(allocations)
    rng.shuffle(plans)
    # A safeguarding concern belongs on a safeguarding case.
    for i, plan in enumerate(plans):
        if plan.concern and allocations[i].case.category not in ("CP", "CIN"):
            j = next(
                j
                for j, a in enumerate(allocations)
                if a.case.category in ("CP", "CIN") and not plans[j].concern
            )
            plans[i], plans[j] = plans[j], plans[i]
            break
    return plans


def review_comment(overall: str, agreed: str, themes: list[Theme], yp: bool = False) -> str:
    name = agreed.replace("_", " ").title()
    issues = [
        ISSUE[t.id].replace("the child", "the young person") if yp else ISSUE[t.id] for t in themes
    ]
    main = " and ".join(issues[:2])
    if agreed == overall:
        if RANK[agreed] >= 2:
            return (
                "Moderation: agreed. The evidence in the answers supports the grade, and the "
                "strengths are specific to this child."
            )
        return (
            f"Agreed. The main concerns are {main}; the actions are proportionate and will be "
            "checked at verification."
            if len(issues) > 1
            else f"Agreed. The main concern is {main}; the action is proportionate and will be "
            "checked at verification."
        )
    if RANK[agreed] < RANK[overall]:
        if not issues:
            return (
                f"Moderated down to {name}: practice is consistently good, but the file does "
                "not yet show the exceptional impact that Outstanding needs. Discussed with the "
                "auditors, who agree."
            )
        return (
            f"Moderated down to {name}: the answers show {main}, and the impact on the child is "
            "greater than the grade given. Discussed with the auditors, who agree."
        )
    return (
        f"Moderated up to {name}: the gaps found are recording issues rather than gaps in the help "
        "the child received. Discussed with the auditors, who agree."
    )


def audit_doc(rng: random.Random, month: str, a: Allocation, plan: Plan) -> dict[Any, Any]:
    case, tool = a.case, a.tool
    n_themes = {
        "outstanding": 0,
        "good": rng.choice([0, 1, 1]) if not plan.actions else len(plan.actions),
        "requires_improvement": max(2, len(plan.actions)),
        "inadequate": max(4, len(plan.actions)),
    }.get(plan.grade or "good", 0)
    if plan.status in ("allocated", "in_progress") and plan.grade is None:
        n_themes = rng.choice([0, 1, 2])
    themes = pick_themes(rng, tool, case, n_themes, plan.themes)
    ctx = case_ctx(rng, case, plan.grade, themes)
    if plan.concern:  # the concern found is about domestic abuse at home
        ctx.vulnerabilities = ["domestic_abuse"]
    statuses = list(plan.actions)
    if statuses:  # one action per issue found
        statuses += [statuses[-1]] * (len(themes) - len(statuses))
    header = Comment(
        f"Single-agency peer audit return (App. D): a {CATEGORY_NAME[case.category]} case of the "
        f"{TEAM[case.team][1]}.\n"
        "Synthetic demo data: the case, the people and the events are fictional."
    )
    status: Any = plan.status
    if plan.status == "allocated" and month == "2026-09":
        status = Note(
            "allocated", f"not returned yet: it was due {a.due.isoformat()}, so it is overdue"
        )
    base = [
        header,
        ("schema", "qa/audit@1"),
        ("tool", tool.ref),
        ("case", case.code),
        ("team", case.team),
        ("social_worker", case.worker),
        ("auditors", Flow([a.sm, a.tm])),
        ("allocated", a.allocated),
        ("due", a.due),
        ("status", status),
    ]
    if plan.status == "allocated":
        return M(
            *base,
            Comment(
                f"Not started. Answer the questions of {tool.ref} below\n"
                f"(see audit_tools/{tool.id}.yaml), then set status: returned."
            ),
            ("answers", {}),
        )
    if plan.status == "in_progress":
        answers = answer_tool(
            tool,
            Ctx(
                rng,
                case.category,
                case.age_band,
                "good",
                themes,
                ctx.had_strategy,
                ctx.nfa,
                ctx.out_of_area,
                ctx.vulnerabilities,
            ),
            sections=plan.sections,
        )
        # No grades yet: the auditors grade when they have read the whole file.
        for key in [k for k in answers if isinstance(k, str) and k.endswith("-grade")]:
            del answers[key]
        return M(
            *base,
            Comment("In progress: the auditors are part way through the file."),
            ("answers", answers),
        )
    assert plan.grade is not None
    if plan.late:
        completed = LATE_COMPLETED[month]
    else:
        lo, hi = plan.window or COMPLETED_WINDOW[month]
        if plan.moderation:
            hi = min(hi, MODERATION_DRAWN[month] - dt.timedelta(days=3))
        if plan.concern:
            lo = add_wd(CONCERN_FOUND, 2)
        completed = working_day_between(rng, lo, hi)
    answers = answer_tool(tool, ctx)
    review = None
    agreed = plan.grade
    if plan.review:
        step = {"agree": 0, "down": -1, "up": 1}[plan.review]
        agreed = GRADES[RANK[plan.grade] + step]
        start = MODERATION_DRAWN[month] if plan.moderation else completed
        rdate = clamp_past(add_wd(start, rng.randint(2, 7)), completed)
        below = RANK[plan.grade] < 2 or RANK[agreed] < 2
        review = M(
            ("reviewer", QA_AUDITOR if rng.random() < 0.65 else QA_LEAD),
            ("date", rdate),
            ("agreed_grade", agreed),
            (
                "comment",
                review_comment(
                    plan.grade, agreed, themes, young_person(case.category, case.age_band)
                ),
            ),
            ("forwarded_to", Flow([AD, a.sm]) if below else None),
        )
    actions = (
        make_actions(
            rng,
            themes,
            statuses,
            case,
            completed,
            reaudit=plan.reaudit,
            verifier_floor=review["date"] if review else None,
        )
        if plan.actions
        else []
    )
    concern = None
    if plan.concern:
        concern = M(
            ("found", CONCERN_FOUND),
            (
                "description",
                para(
                    "Reading the file, the auditors found two "
                    "police notifications of domestic abuse at the "
                    "home in October that are not on the "
                    "chronology and were not discussed with the team "
                    "manager. The child has not been seen alone "
                    "since August. Escalated to the team manager "
                    "the same day for an urgent strategy discussion."
                ),
            ),
            ("escalated_to", TM_OF[case.team]),
            ("escalated_on", CONCERN_FOUND),
        )
    tail: list[Any] = []
    if concern:
        tail = [
            Comment(
                "Found while auditing: escalated at once, outside the monthly cycle; "
                "not yet acknowledged."
            ),
            ("safeguarding_concern", concern),
        ]
    return M(
        *base,
        (
            "completed",
            Note(completed, "returned after the due date") if completed > a.due else completed,
        ),
        ("answers", answers),
        ("overall_grade", plan.grade),
        ("strengths", strengths_text(rng, case.category, plan.grade, themes, case.age_band)),
        ("areas_for_improvement", areas_text(rng, case.category, themes)),
        ("actions", actions or None),
        ("qa_review", review),
        *tail,
    )


# ---------------------------------------------------------------------------------------------
# Supervision crib sheets (App. A): two cases a month per team, Service Manager with the Team
# Manager and the Social Worker.
# ---------------------------------------------------------------------------------------------

CRIB_THEMES_LOOKED_AFTER = PH["crib_themes_looked_after"]


def crib_sheets(
    book: CaseBook, tools: dict[str, ToolInfo], avoid: set[str]
) -> dict[str, dict[Any, Any]]:
    rng = random.Random("northbridge/crib-sheets")
    tool = tools["crib-sheet"]
    out: dict[str, dict[Any, Any]] = {}
    months = [
        ("2026-10", D(2026, 9, 28), D(2026, 10, 5), D(2026, 10, 30)),
        ("2026-11", D(2026, 10, 28), D(2026, 11, 2), D(2026, 11, 27)),
    ]
    for month, list_date, first, last in months:
        for team in TEAM:
            if team in BSC:
                continue
            pool = [c for c in book.lists[list_date] if c.team == team and c.code not in avoid]
            for n, case in enumerate(rng.sample(pool, 2)):
                avoid.add(case.code)
                completed = month == "2026-10" or (n == 0 and team != "leaving-care")
                held = working_day_between(rng, first, last) if completed else None
                allowed = [
                    t
                    for t in THEMES
                    if fits(t, tool, case.category, case.age_band)
                    and (case.category not in LOOKED_AFTER or t.id in CRIB_THEMES_LOOKED_AFTER)
                ]
                themes = rng.sample(allowed, rng.choice([0, 1, 1, 2, 3])) if completed else []
                themes = [worded(t, case.category, case.age_band) for t in themes]
                ctx = case_ctx(rng, case, "good", themes)
                ctx.checked = held
                sm = SM_OF[SERVICE_OF[team]]
                doc = M(
                    Comment(
                        "Supervision crib sheet (App. A): the "
                        "Service Manager goes through the key audit\n"
                        "themes on this case with the Team Manager and the Social Worker.\n"
                        "Synthetic demo data: the case and the people are fictional."
                    ),
                    ("schema", "qa/crib-sheet@1"),
                    ("tool", tool.ref),
                    ("month", month),
                    ("team", team),
                    ("case", case.code),
                    ("social_worker", case.worker),
                    ("team_manager", TM_OF[team]),
                    ("service_manager", sm),
                    (
                        "status",
                        "completed"
                        if completed
                        else Note("allocated", "session booked for later in the month"),
                    ),
                    ("held", held),
                )
                if not completed:
                    doc[
                        Comment(
                            "For each point: social_worker and manager answer yes, no or na; "
                            "explain every no in comment."
                        )
                    ] = None
                    doc["answers"] = {}
                else:
                    doc["answers"] = answer_tool(tool, ctx)
                    if themes:
                        summary = (
                            "Discussed with the social worker and team manager. To follow up:\n"
                            + block(t.area for t in themes)
                        )
                    else:
                        summary = para(
                            "All points checked with the social worker and team manager; "
                            "practice on this case meets the standards. No actions."
                        )
                    doc["summary"] = summary
                    if themes:
                        assert held is not None
                        statuses = [
                            rng.choice(["verified", "verified", "done", "open"])
                            if month == "2026-10"
                            else "open"
                            for _ in themes
                        ]
                        acts = make_actions(rng, themes, statuses, case, held)
                        doc["actions"] = acts
                out[f"crib-sheets/{month}/{team}--{case.code}.yaml"] = doc
    return out


# ---------------------------------------------------------------------------------------------
# Themed audit (§5.3): supervision, October 2026.
# ---------------------------------------------------------------------------------------------


def themed_audit(
    book: CaseBook, tools: dict[str, ToolInfo], avoid: set[str]
) -> dict[str, dict[Any, Any]]:
    rng = random.Random("northbridge/themed")
    tool = tools["themed-supervision"]
    folder = "themed/2026-10-supervision"
    cases = []
    for team in TEAM:
        pool = [c for c in book.lists[D(2026, 9, 28)] if c.team == team and c.code not in avoid]
        if team == "child-protection":
            pool = [c for c in pool if c.category == "CP"]
        case = rng.choice(pool)
        avoid.add(case.code)
        cases.append(case)
    plans = {
        "assessment-1": ("good", [], []),
        "assessment-2": (
            "requires_improvement",
            ["supervision-reflective", "learning-loop"],
            ["done", "open"],
        ),
        "child-protection": (
            "inadequate",
            ["oversight", "drift", "supervision-reflective"],
            ["open", "open", "open"],
        ),
        "child-in-need": ("good", ["identity"], []),
        "looked-after": ("requires_improvement", ["oversight", "identity"], ["done", "open"]),
        "leaving-care": ("good", [], []),
    }
    allocated, due = D(2026, 10, 5), D(2026, 11, 13)
    out: dict[str, dict[Any, Any]] = {}
    for case in cases:
        grade, theme_ids, statuses = plans[case.team]
        themes = [worded(THEME[t], case.category, case.age_band) for t in theme_ids]
        ctx = case_ctx(rng, case, grade, themes)
        completed = working_day_between(rng, D(2026, 10, 19), D(2026, 11, 6))
        review = None
        if RANK[grade] < 2:
            # The QA Auditor reviews the Lead's below-Good returns like any other (§5.2.2).
            review = M(
                ("reviewer", QA_AUDITOR),
                ("date", add_wd(completed, rng.randint(2, 6))),
                ("agreed_grade", grade),
                ("comment", review_comment(grade, grade, themes)),
                ("forwarded_to", Flow([AD, SM_OF[SERVICE_OF[case.team]]])),
            )
        out[f"{folder}/{case.code}--{tool.id}.yaml"] = M(
            Comment(
                "Themed audit return: quality of supervision "
                "(§5.3), completed by the Lead QA Auditor.\n"
                "Synthetic demo data: the case and the people are fictional."
            ),
            ("schema", "qa/audit@1"),
            ("tool", tool.ref),
            ("case", case.code),
            ("team", case.team),
            ("social_worker", case.worker),
            ("auditors", Flow([QA_LEAD])),
            ("allocated", allocated),
            ("due", due),
            ("status", "qa_review" if review else "returned"),
            ("completed", completed),
            ("answers", answer_tool(tool, ctx)),
            ("overall_grade", grade),
            ("strengths", strengths_text(rng, "supervision", grade, themes)),
            ("areas_for_improvement", areas_text(rng, case.category, themes)),
            ("actions", make_actions(rng, themes, statuses, case, completed) if statuses else None),
            ("qa_review", review),
        )
    out[f"{folder}/scope.yaml"] = M(
        Comment(
            "Themed audit (§5.3): the Lead QA Auditor looks at one theme across a few cases,\n"
            "in consultation with the Service Managers, and reports findings and recommendations.\n"
            "Its returns are the <case>--themed-supervision.yaml files in this folder."
        ),
        ("schema", "qa/themed@1"),
        ("theme", "supervision"),
        ("month", "2026-10"),
        ("title", "Quality of case supervision"),
        ("lead", QA_LEAD),
        ("tool", tool.ref),
        ("consulted", Flow(["sm-rsingh", "sm-lharding"])),
        ("cases", [c.code for c in cases]),
        ("report_due", D(2026, 12, 11)),
        (
            "findings",
            para(
                "Six cases, one from each team. Three were "
                "graded Good, two Requires Improvement and one "
                "Inadequate. Supervision was regular in four of "
                "the six cases, but records often list tasks "
                "without reflection, and identity is rarely "
                "discussed. Where risk had not reduced, supervision "
                "did not challenge drift or agree escalation."
            ),
        ),
        (
            "recommendations",
            [
                "Use the reflective supervision template for all case supervision from January.",
                "Make identity, equality and diversity a standing item in case supervision.",
                "Team managers to review audit findings and "
                "monitoring forms in the next supervision after they arrive.",
                "Service Managers to dip-sample two supervision records per team each quarter.",
            ],
        ),
    )
    return out


# ---------------------------------------------------------------------------------------------
# Multi-agency audit (§5.4, App. E): children on a child protection plan for neglect.
# ---------------------------------------------------------------------------------------------

MA_ID = S["ma_id"]
MA_AGENCIES = S["ma_agencies"]
MA_BASE = PH["ma_base"]
CSC_NA = set(PH["csc_na"])

INVOLVEMENT = PH["involvement"]
AGENCY_DID_WELL = PH["agency_did_well"]
AGENCY_MINOR = PH["agency_minor"]
MA_OUTCOMES = PH["ma_outcomes"]


def multi_agency(
    book: CaseBook, tools: dict[str, ToolInfo], avoid: set[str]
) -> dict[str, dict[Any, Any]]:
    rng = random.Random("northbridge/multi-agency")
    tool = tools["multi-agency"]
    folder = f"multi-agency/{MA_ID}"
    pool = [
        c
        for c in book.lists[D(2026, 8, 27)]
        if c.category == "CP" and c.code not in avoid and c.start_date <= D(2026, 3, 31)
    ]
    cases = sorted(rng.sample(pool, 8), key=lambda c: c.code)
    for c in cases:
        avoid.add(c.code)
    out: dict[str, dict[Any, Any]] = {}
    texts: dict[str, Any] = {
        "involvement-summary": lambda ctx: ctx.rng.choice(INVOLVEMENT[ctx.agency]),
        "outcomes-evidence": lambda ctx: MA_OUTCOMES[ctx.tier],
        "agency-did-well": lambda ctx: AGENCY_DID_WELL[ctx.agency],
    }
    ma_themes = [t for t in THEMES if t.id.startswith("ma-")]
    findings = []
    for case, base in zip(cases, MA_BASE, strict=True):
        for agency in MA_AGENCIES:
            grade = base
            if rng.random() < 0.3:
                grade = GRADES[max(0, min(3, RANK[base] + rng.choice([-1, 1])))]
            n = {
                "outstanding": 0,
                "good": rng.choice([0, 1]),
                "requires_improvement": rng.choice([1, 2]),
                "inadequate": 2,
            }[grade]
            allowed = [
                t
                for t in ma_themes
                if not (agency == "childrens-social-care" and t.id == "ma-sharing")
            ]
            themes = rng.sample(allowed, n)
            ctx = Ctx(rng, "CP", case.age_band, grade, themes, had_strategy=True, agency=agency)
            texts["agency-areas-for-improvement"] = lambda ctx, th=themes: (
                " ".join(t.area for t in th) if th else AGENCY_MINOR[ctx.agency]
            )
            answers = answer_tool(tool, ctx, texts=texts)
            types = {q.id: q.type for q in tool.questions()}
            for qid in CSC_NA:  # Children's Social Care does not invite or inform itself
                if agency == "childrens-social-care" and types.get(qid) == "yes_no_na":
                    if answers.get(qid) == "yes":
                        answers[qid] = "na"
            completed = working_day_between(rng, D(2026, 9, 21), D(2026, 10, 9))
            out[f"{folder}/returns/{case.code}--{agency}.yaml"] = M(
                Comment(
                    f"Multi-agency audit return ({MA_ID}): one agency's view of one case "
                    "(App. E).\n"
                    "Synthetic demo data: the case and the people are fictional."
                ),
                ("schema", "qa/agency-return@1"),
                ("tool", tool.ref),
                ("case", case.code),
                ("agency", agency),
                ("auditor", AGENCY_AUDITORS[agency]),
                ("status", "returned"),
                ("completed", completed),
                ("answers", answers),
                ("grade", grade),
                ("strengths", para(AGENCY_DID_WELL[agency])),
                (
                    "areas_for_improvement",
                    block(t.area for t in themes) if themes else para(AGENCY_MINOR[agency]),
                ),
            )
        findings.append((case, base))
    consult_date = D(2026, 10, 14)
    case_findings = []
    summaries = {
        "good": "Agencies worked well together: concerns "
        "were shared promptly and the plan is making a "
        "sustained difference to the child's care.",
        "requires_improvement": "Agencies are involved, but the plan's tasks lack timescales and "
        "attendance at core groups is patchy, so progress is slow.",
        "inadequate": "Neglect has continued for a long time "
        "without escalation; school's concerns were "
        "not shared promptly and health were not at core groups.",
    }
    child_views = [
        'The child said home is "better now" and they like breakfast club; they want to see their '
        "social worker more often.",
        "The child said they get worried when mum is sad, and they like staying at their aunt's.",
        "The child talked about school and football; they did not want to talk about home.",
        "The child drew their house and said the kitchen has food in it now.",
        "The child said nobody told them why the meetings happen; they would like to be asked.",
        "The child said their teacher is the person they talk to when things are hard.",
        "The child said they like their new bed and that their brother still wets his.",
        "The child said it is quieter at home since dad moved out.",
    ]
    rng.shuffle(child_views)
    for i, (case, base) in enumerate(findings):
        young = case.age_band == "0-4"
        child = (
            M(
                ("by", PARTICIPATION),
                (
                    "not_done_reason",
                    "The child is too young to give views "
                    "(age band 0-4); the participation officer "
                    "observed them at nursery with their key worker instead.",
                ),
            )
            if young
            else M(
                ("by", PARTICIPATION),
                ("date", working_day_between(rng, D(2026, 9, 28), consult_date)),
                ("summary", child_views.pop()),
            )
        )
        if i == 2:
            parents = M(
                ("by", QA_AUDITOR),
                (
                    "not_done_reason",
                    "Mother declined a visit and father did not reply to two letters.",
                ),
            )
        else:
            parents = M(
                ("by", QA_AUDITOR),
                ("date", working_day_between(rng, D(2026, 9, 28), consult_date)),
                (
                    "summary",
                    rng.choice(
                        [
                            "Mother said the family support worker "
                            "helped most; she found conferences "
                            "hard to follow.",
                            "Both parents said they understand what "
                            "needs to change and feel listened to.",
                            'Father said professionals "all ask the '
                            'same questions" and he wants one plan.',
                        ]
                    ),
                ),
            )
        if i == 5:
            sw = M(
                ("by", QA_LEAD),
                (
                    "not_done_reason",
                    "The social worker was on leave during the "
                    "audit; the team manager was consulted instead.",
                ),
            )
        else:
            sw = M(
                ("by", QA_LEAD),
                ("date", working_day_between(rng, D(2026, 9, 28), consult_date)),
                (
                    "summary",
                    rng.choice(
                        [
                            "The social worker described good joint "
                            "working with school; health are harder to reach.",
                            "The social worker said caseload "
                            "pressure delayed the chronology update.",
                            "The social worker felt the plan was "
                            "clear but core groups lacked health input.",
                        ]
                    ),
                ),
            )
        case_findings.append(
            M(
                ("case", case.code),
                ("agreed_grade", base),
                ("summary", para(summaries[base])),
                ("consultation", M(("child", child), ("parents", parents), ("social_worker", sw))),
            )
        )
    report = D(2026, 11, 4)
    out[f"{folder}/scope.yaml"] = M(
        Comment(
            "Multi-agency audit (§5.4, App. E): each agency's lead auditor, with no casework\n"
            "involvement, audits their agency's work on "
            "the same cases; findings are agreed together."
        ),
        ("schema", "qa/multi-agency@1"),
        ("id", MA_ID),
        ("title", "Children subject to a child protection plan for neglect"),
        ("cohort", "CP"),
        ("lead", QA_LEAD),
        (
            "terms_of_reference",
            para(
                "How well do agencies identify neglect early, "
                "share information, and work to one plan that "
                "makes a sustained difference for children on a "
                "child protection plan for neglect? Baseline "
                "audit of eight cases, with consultation with children, parents and social workers."
            ),
        ),
        ("tool", tool.ref),
        ("agencies", [M(("agency", ag), ("auditor", AGENCY_AUDITORS[ag])) for ag in MA_AGENCIES]),
        ("cases", [c.code for c in cases]),
        ("pre_meeting", D(2026, 9, 8)),
        ("returns_due", D(2026, 10, 9)),
        ("consultation_meeting", D(2026, 10, 21)),
        ("report_date", report),
    )
    out[f"{folder}/findings.yaml"] = M(
        Comment(
            "Agreed findings of the multi-agency audit, chaired by the Lead QA Auditor (§5.4.2).\n"
            "The action plan is tracked by the Performance Sub-committee at 6 and 12 months."
        ),
        ("schema", "qa/multi-agency-findings@1"),
        ("audit", MA_ID),
        ("agreed_on", D(2026, 10, 21)),
        ("cases", case_findings),
        (
            "key_outcomes",
            [
                "Three of eight cases were graded Good, "
                "four Requires Improvement and one Inadequate.",
                "Schools and nurseries were the most consistent "
                "source of information about the children's daily care.",
                "Health attendance at core groups was the weakest part of inter-agency working.",
                "Where the plan had clear tasks with timescales, "
                "home conditions improved within three months.",
            ],
        ),
        (
            "learning",
            [
                "Neglect drifts when no agency owns the review of progress between conferences.",
                "Concerns held by one agency for weeks "
                "before sharing delay the response for the child.",
                "Children's own views were recorded in only half of the cases.",
            ],
        ),
        (
            "recommendations",
            [
                "Every child protection plan for neglect "
                "gives each agency named tasks with timescales.",
                "Core group invitations go to the named "
                "health visitor or school nurse and their manager.",
                "Agencies share concerns about neglect on "
                "the day, using the agreed referral route.",
                "Re-audit the cohort in twelve months to measure change against this baseline.",
            ],
        ),
        (
            "actions",
            [
                M(
                    ("id", "M1"),
                    (
                        "action",
                        "Add named agency tasks and timescales "
                        "to the child protection plan template.",
                    ),
                    ("owner", "tm-cmorgan"),
                    ("due", D(2026, 11, 30)),
                    ("status", "verified"),
                    ("done_on", D(2026, 11, 16)),
                    ("verified_by", QA_LEAD),
                    ("verified_on", D(2026, 11, 20)),
                ),
                M(
                    ("id", "M2"),
                    (
                        "action",
                        "Send core group invitations to the health visitor and their team lead.",
                    ),
                    ("owner", "health"),
                    ("due", D(2026, 12, 18)),
                    ("status", "done"),
                    ("done_on", D(2026, 11, 24)),
                ),
                M(
                    ("id", "M3"),
                    (
                        "action",
                        "Brief designated safeguarding leads on "
                        "same-day sharing of neglect concerns.",
                    ),
                    ("owner", "education"),
                    ("due", D(2027, 1, 29)),
                    ("status", "open"),
                ),
                M(
                    ("id", "M4"),
                    (
                        "action",
                        "Flag addresses of children on a plan for neglect for attending officers.",
                    ),
                    ("owner", "police"),
                    ("due", D(2027, 1, 29)),
                    ("status", "open"),
                ),
                M(
                    ("id", "M5"),
                    ("action", "Re-audit the cohort against this baseline."),
                    ("owner", QA_LEAD),
                    ("due", D(2027, 10, 29)),
                    ("status", "open"),
                    ("re_audit", D(2027, 10, 1)),
                ),
            ],
        ),
        (
            "reviews",
            [
                M(("months", 6), ("due", add_months(report, 6))),
                M(("months", 12), ("due", add_months(report, 12))),
            ],
        ),
    )
    return out


# ---------------------------------------------------------------------------------------------
# Practice observations (App. B): at least twice a year, written feedback within two weeks.
# ---------------------------------------------------------------------------------------------

OBS_SETTINGS = REC["obs_settings"]
OBS_REPORT = REC["obs_report"]


def observations(tools: dict[str, ToolInfo]) -> dict[str, dict[Any, Any]]:
    rng = random.Random("northbridge/observations")
    tool = tools["practice-observation"]
    workers = [sid for team in TEAM for sid, _ in SOCIAL_WORKERS[team]]
    order = list(workers)
    rng.shuffle(order)
    twice, once = order[:10], order[10:18]  # the last four have not been observed yet this year
    plan: list[tuple[str, dt.date, str]] = []  # worker, observed, feedback state
    for sid in twice:
        plan.append((sid, working_day_between(rng, D(2026, 2, 2), D(2026, 6, 26)), "written"))
        plan.append((sid, working_day_between(rng, D(2026, 7, 6), D(2026, 10, 23)), "written"))
    for sid in once:
        plan.append((sid, working_day_between(rng, D(2026, 1, 12), D(2026, 10, 16)), "written"))
    # Written feedback still missing: two overdue (observed over two weeks ago), one not yet due.
    plan[-1] = (plan[-1][0], D(2026, 10, 29), "missing")
    plan[-2] = (plan[-2][0], D(2026, 11, 5), "missing")
    plan[1] = (plan[1][0], D(2026, 11, 24), "missing")
    out: dict[str, dict[Any, Any]] = {}
    for sid, observed, state in plan:
        team = WORKER_TEAM[sid]
        service = SERVICE_OF[team]
        setting = rng.choice(OBS_SETTINGS[service])
        consent = prev_working(observed - dt.timedelta(days=rng.randint(5, 12)))
        written = add_wd(observed, rng.randint(2, 9)) if state == "written" else None
        texts: dict[str, Any] = {
            "setting": lambda ctx, s=setting: s["setting"],
            "situation": setting["situation"],
            "aim-of-intervention": setting["aim"],
            "those-present": setting["present"],
            "standards-to-be-observed": setting["standards"],
            **OBS_REPORT,
        }
        ctx = Ctx(rng, "CIN", "5-9", "good", [])
        answers = answer_tool(tool, ctx, sections=None if written else 1, texts=texts)
        doc = M(
            Comment(
                "Practice observation (App. B): the line "
                "manager observes the social worker's practice;\n"
                "written feedback follows within two weeks. Synthetic demo data."
            ),
            ("schema", "qa/observation@1"),
            ("tool", tool.ref),
            ("social_worker", sid),
            ("observer", TM_OF[team]),
            ("team", team),
            ("observed", observed),
            ("consent_written", consent),
            ("consent_verbal", "yes"),
            ("feedback_verbal", observed),
            ("feedback_written", written),
        )
        if written is None:
            doc[
                Comment(
                    "Written feedback not yet given: due within 10 working days of the observation."
                )
            ] = None
        doc["answers"] = answers
        out[f"observations/{observed.year}/{sid}--{observed.isoformat()}.yaml"] = doc
    return out


# ---------------------------------------------------------------------------------------------
# Lessons learned from complaints (App. C). The complainant is never named.
# ---------------------------------------------------------------------------------------------

COMPLAINTS = _rows(REC["complaints"])


def complaints(tools: dict[str, ToolInfo]) -> dict[str, dict[Any, Any]]:
    tool = tools["complaint-lessons"]
    questions = {q.id: q for q in tool.questions()}
    out: dict[str, dict[Any, Any]] = {}
    for ref, team, date, responded, who, summary, outcome, actions, cost, lessons in COMPLAINTS:
        values = {
            "complainant": who,
            "summary": para(summary) if len(summary) > 90 else summary,
            "outcome": outcome,
            "actions-taken": Flow(actions) if actions else None,
            "compensation-cost": cost,
            "lessons-learned": para(lessons) if lessons else None,
        }
        # Only what the tool asks, and only options it has, so a changed tool still validates.
        if "outcome" in questions and outcome not in questions["outcome"].options:
            values["outcome"] = questions["outcome"].options[0] if outcome else None
        if "complainant" in questions and who not in questions["complainant"].options:
            values["complainant"] = questions["complainant"].options[-1]
        if actions and "actions-taken" in questions:
            kept = [a for a in actions if a in questions["actions-taken"].options]
            values["actions-taken"] = Flow(kept) if kept else None
            if "compensation" not in kept:
                values["compensation-cost"] = None
        answers = M(*[(k, v) for k, v in values.items() if k in questions])
        doc = M(
            Comment(
                "Lessons learned from a complaint or member's enquiry (App. C).\n"
                "The complainant is never named: the tool records their relationship to the child."
            ),
            ("schema", "qa/complaint@1"),
            ("tool", tool.ref),
            ("ref", ref),
            ("manager", TM_OF[team]),
            ("team", team),
            ("date", date),
            ("responded", responded),
        )
        if responded is None:
            doc[
                Comment(
                    "Not yet responded to: the outcome, actions and lessons are added when it is."
                )
            ] = None
        doc["answers"] = answers
        out[f"complaints/{date.year}/{ref}.yaml"] = doc
    return out


# ---------------------------------------------------------------------------------------------
# README and the driver.
# ---------------------------------------------------------------------------------------------

README = (DATA / "repo-readme.md").read_text("utf-8")

# ---------------------------------------------------------------------------------------------
# Closing the loop (§5.2.2-5.2.3, App. D): after each return, the feedback to practice and the
# managers' outcomes of forwarded returns. Dates follow the return, a few working days apart;
# a step that would fall after AS_OF is not there yet, so `qa due` chases it.
# Each case draws from its own seed so the rest of the demo stays as it was.
# ---------------------------------------------------------------------------------------------

# step: (fewest, most) working days after the step it follows
LOOP_DAYS = {s: (d["fewest"], d["most"]) for s, d in S["loop_days"].items()}
SW_RESPONSES = PH["sw_responses"]
SM_REVIEWS = PH["sm_reviews"]
SM_OUTCOMES = PH["sm_outcomes"]
AD_OUTCOME = PH["ad_outcome"]


def _day(value: Any) -> dt.date:
    return value.value if isinstance(value, Note) else value


def _loop_step(rng: random.Random, after: dt.date | None, step: str) -> dt.date | None:
    if after is None:
        return None
    day = add_wd(after, rng.randint(*LOOP_DAYS[step]))
    return day if day <= AS_OF else None


def close_loop(doc: dict[Any, Any]) -> None:
    """Add the feedback to practice and the managers' outcomes to one returned audit."""
    if doc.get("schema") != "qa/audit@1" or "completed" not in doc:
        return
    rng = random.Random(f"northbridge/loop/{doc['case']}")
    team, worker = doc["team"], doc["social_worker"]
    sm = SM_OF[SERVICE_OF[team]]
    review = doc.get("qa_review")
    if review is not None and "forwarded_to" in review:
        sm_day = _loop_step(rng, review["date"], "sm_outcome")
        ad_day = _loop_step(rng, sm_day, "ad_outcome")
        if sm_day:
            review["service_manager_outcome"] = M(
                ("by", sm), ("date", sm_day), ("outcome", rng.choice(SM_OUTCOMES))
            )
        if ad_day:
            review["assistant_director_outcome"] = M(
                ("by", AD), ("date", ad_day), ("outcome", AD_OUTCOME)
            )
    sent = _loop_step(rng, _day(doc["completed"]), "sent_on")
    if sent is None:
        return
    supervision = _loop_step(rng, sent, "supervision_on")
    sm_review = _loop_step(rng, sent, "sm_review")
    doc["feedback"] = M(
        ("sent_to", Flow([worker, TM_OF[team], sm, QA_LEAD])),
        ("sent_on", sent),
        ("uploaded_on", _loop_step(rng, sent, "uploaded_on")),
        ("supervision_on", supervision),
        ("social_worker_response", rng.choice(SW_RESPONSES) if supervision else None),
        (
            "service_manager_review",
            M(("by", sm), ("date", sm_review), ("comment", rng.choice(SM_REVIEWS)))
            if sm_review
            else None,
        ),
    )


# ---------------------------------------------------------------------------------------------
# IRO and CP Chair monitoring (§4.3.2-4.3.4): a form per conference or review, mid-point
# reviews between them, one with a dispute on the care plan. One row per record: what kind,
# the n-th case of that category in the October case list, the chair, the day, the grades
# (report, practice / plan progress), the questions answered no, and days until sent.
# ---------------------------------------------------------------------------------------------

MONITORING = _rows(REC["monitoring"])
MONITORING_DISPUTE = REC["monitoring_dispute"]
FORM_YES = REC["form_yes"]
MIDPOINT_YES = REC["midpoint_yes"]


def monitoring_docs(book: Any) -> dict[str, dict[Any, Any]]:
    rows = book.lists[D(2026, 10, 28)]
    out: dict[str, dict[Any, Any]] = {}
    for what, category, n, chair, day, first, second, noes, sent in MONITORING:
        case = sorted((c for c in rows if c.category == category), key=lambda c: c.code)[n]
        midpoint = what.endswith("_plan")
        done = first is not None
        yes = MIDPOINT_YES if midpoint else FORM_YES
        answers: dict[Any, Any] = {}
        if done:
            for q in yes:
                answers[q] = (
                    M(("answer", "no"), ("comment", "Not done in time.")) if q in noes else "yes"
                )
            answers["plan-progress" if midpoint else "report-quality"] = first
            if not midpoint:
                answers["child-views"] = (
                    "met_chair_before" if category == "CLA" else "consultation_form"
                )
                answers["practice-quality"] = second
        sent_on = add_wd(day, sent) if done and sent is not None else None
        head = "midpoint" if midpoint else what
        rel = f"monitoring/{day:%Y-%m}/{case.code}--{head}--{day.isoformat()}.yaml"
        out[rel] = M(
            Comment("Synthetic demo data: the case, the people and the events are fictional."),
            ("schema", "qa/midpoint-review@1" if midpoint else "qa/monitoring@1"),
            ("tool", "midpoint-review@1" if midpoint else "conference-review-monitoring@1"),
            ("plan" if midpoint else "meeting", what),
            ("case", case.code),
            ("team", case.team),
            ("social_worker", case.worker),
            ("chair", chair),
            ("reviewed" if midpoint else "held", day),
            ("status", "completed" if done else "allocated"),
            ("answers", answers),
            (
                "dispute",
                M(
                    ("stage", MONITORING_DISPUTE["stage"]),
                    ("raised_on", day),
                    ("about", MONITORING_DISPUTE["about"]),
                )
                if "actions-on-track" in noes
                else None,
            ),
            ("sent_to_manager", sent_on),
        )
    return out


# ---------------------------------------------------------------------------------------------
# Smaller records of issue 13: observation sign-off and practice standards (App. B), a blank
# observation just created (never counted as done), complaint levels (§4.5.2), the year's
# compliments (§4.5.1), and the Team Manager consulted in the multi-agency audit (§5.4.1).
# ---------------------------------------------------------------------------------------------

OBS_STANDARDS = REC["obs_standards"]
BLANK_OBSERVATION = (REC["blank_observation"]["worker"], REC["blank_observation"]["date"])
COMPLAINT_LEVELS = REC["complaint_levels"]
COMPLIMENTS = _rows(REC["compliments"])
TM_CONSULTED = PH["tm_consulted"]


def issue13_records(docs: dict[str, dict[Any, Any]]) -> None:
    """Add the smaller records of issue 13 to the documents built so far."""
    for path, doc in docs.items():
        if doc.get("schema") == "qa/observation@1" and doc.get("feedback_written"):
            i = sum(map(ord, path)) % len(OBS_STANDARDS)
            signed = doc["feedback_written"]
            answers = doc.pop("answers")
            doc["standards"] = Flow(OBS_STANDARDS[i])
            doc["observer_signed"] = signed
            worker_signed = add_wd(signed, 2)
            if worker_signed <= AS_OF:
                doc["social_worker_signed"] = worker_signed
            doc["answers"] = answers
        if doc.get("schema") == "qa/complaint@1" and doc.get("ref") in COMPLAINT_LEVELS:
            answers = doc.pop("answers", None)
            doc["level"] = COMPLAINT_LEVELS[doc["ref"]]
            if answers is not None:
                doc["answers"] = answers
        if doc.get("schema") == "qa/multi-agency-findings@1":
            for c in doc["cases"][:3]:
                c["consultation"]["team_manager"] = M(
                    ("by", QA_LEAD), ("date", D(2026, 10, 21)), ("summary", TM_CONSULTED)
                )
    sid, day = BLANK_OBSERVATION
    team = WORKER_TEAM[sid]
    docs[f"observations/{day.year}/{sid}--{day.isoformat()}.yaml"] = M(
        Comment("Created with `qa new` and not started yet: no report counts it as done."),
        ("schema", "qa/observation@1"),
        ("tool", "practice-observation@1"),
        ("social_worker", sid),
        ("observer", TM_OF[team]),
        ("team", team),
        ("observed", day),
        ("answers", {}),
    )
    docs["compliments/2026.yaml"] = M(
        Comment("Compliments received in 2026 (§4.5.1). Synthetic demo data."),
        ("schema", "qa/compliments@1"),
        ("year", 2026),
        (
            "compliments",
            [
                M(
                    ("date", d),
                    ("team", t),
                    ("about", Flow(a) if a else None),
                    ("source", w),
                    ("summary", x),
                )
                for d, t, a, w, x in COMPLIMENTS
            ],
        ),
    )


# ---------------------------------------------------------------------------------------------
# Improvement plans as records (issue 13, deliverable 7): the reports' recommendations as
# tracked items, a six-monthly team review, the Team Managers' overviews of a month's audits
# (their cases from the month's sample), and multi-agency feedback to practitioners (App. E 7).
# ---------------------------------------------------------------------------------------------

_PLAN_NOTES = {
    "qa/improvement@1": "The recommendations of a report, each tracked to done (§5.2.5, §5.3.2).",
    "qa/team-review@1": "Six-monthly structured review of the team's QA (§6.2-6.4).",
    "qa/team-overview@1": "The Team Manager's overview of the team's audits of a month (App. D).",
}


def _record(schema: str, entry: dict[str, Any]) -> dict[Any, Any]:
    return M(
        Comment(_PLAN_NOTES[schema] + " Synthetic demo data."), ("schema", schema), *entry.items()
    )


def improvement_records(docs: dict[str, dict[Any, Any]]) -> None:
    """Add the improvement plans, team reviews, overviews and practitioner feedback."""
    for e in REC["improvement_plans"]:
        theme = f"-{e['theme']}" if e.get("theme") else ""
        docs[f"improvement/{e['month']}{theme}.yaml"] = _record("qa/improvement@1", e)
    for e in REC["team_reviews"]:
        docs[f"team-reviews/{e['last_month']}/{e['team']}.yaml"] = _record("qa/team-review@1", e)
    for e in REC["team_overviews"]:
        sample = docs[f"samples/{e['month']}.yaml"]
        cases = [a["case"] for a in sample["allocations"] if a["team"] == e["team"]]
        entry = {k: v for k, v in e.items() if k != "status"}
        items = list(entry.items())
        items.insert(3, ("status", e["status"]))
        items.insert(4, ("cases", Flow(cases)))
        docs[f"team-overviews/{e['month']}/{e['team']}.yaml"] = _record(
            "qa/team-overview@1", dict(items)
        )
    scope = docs[f"multi-agency/{MA_ID}/scope.yaml"]
    for e in REC["practitioner_feedback"]:
        case = sorted(scope["cases"])[e["nth"]]
        doc = docs[f"multi-agency/{MA_ID}/returns/{case}--{e['agency']}.yaml"]
        doc["practitioner_feedback"] = M(
            ("to", e["to"]), ("on", e["on"]), ("learning", e.get("learning"))
        )


# Rolling moderation: a later run of `qa moderate` takes in the returns that came in after the
# list was drawn (the late ones), as a round of its own.
MODERATION_ROUNDS = S["moderation_rounds"]


def moderation_rounds(month: str, allocations: list[Any], plans: list[Any]) -> list[Any] | None:
    if month not in MODERATION_ROUNDS:
        return None
    sys.path.insert(0, str(ROOT))
    try:
        from qa_cli.moderation import choose, moderation_seed
    finally:
        sys.path.pop(0)
    late = [(a.case.code, p.grade) for a, p in zip(allocations, plans, strict=True) if p.late]
    always = sorted(c for c, g in late if g in ("requires_improvement", "inadequate"))
    good = sorted(c for c, g in late if g in ("good", "outstanding"))
    seed = moderation_seed(f"{month}:round1", good)
    pick = choose(good, 0.2, random.Random(seed))
    drawn = MODERATION_ROUNDS[month]
    return [
        M(("seed", seed), ("share", 0.2), ("drawn", drawn), ("always", Flow(always)))
        | {"drawn_from": Flow(good), "selected": Flow(pick)}
    ]


REQUIRED_TOOLS = S["required_tools"]


def _yaml_text(doc: dict[Any, Any]) -> bytes:
    text = emit(doc)
    if text.count("\n") and "\t" in text:
        raise AssertionError("tab in output")
    # The file must read back as exactly the data meant, through qa's own loader.
    sys.path.insert(0, str(ROOT))
    try:
        from qa_cli.yamlio import load_text
    finally:
        sys.path.pop(0)
    loaded = load_text(text)
    expected = plain(doc)
    if loaded != expected:
        raise AssertionError(f"YAML does not read back as written:\n{text}")
    return text.encode("utf-8")


def build(tools_dir: Path = DEFAULT_TOOLS) -> dict[str, bytes]:
    """Every file of the demo repository: relative path -> bytes."""
    tools, raw_tools = load_tools(tools_dir)
    missing = [t for t in REQUIRED_TOOLS if t not in tools]
    if missing:
        raise SystemExit(f"audit tools missing from {tools_dir}: {', '.join(missing)}")
    files: dict[str, bytes] = {}
    docs: dict[str, dict[Any, Any]] = {}
    for name, data in raw_tools.items():
        files[f"audit_tools/{name}"] = data
    people = staff()
    docs["qa.yaml"] = config_doc(people)
    book = CaseBook()
    for d in CASE_LIST_DATES:
        files[f"cases/{d.isoformat()}.csv"] = book.csv_bytes(d)

    audited: set[str] = set()
    n_audits = 0
    for month, list_date in [
        ("2026-08", D(2026, 7, 28)),
        ("2026-09", D(2026, 8, 27)),
        ("2026-10", D(2026, 9, 28)),
    ]:
        year, mon = map(int, month.split("-"))
        seed = int(first_working_day(year, mon).strftime("%Y%m%d"))
        allocations, excluded = draw(month, book.lists[list_date], tools, seed, audited)
        audited |= {a.case.code for a in allocations}
        rng = random.Random(f"northbridge/audits/{month}")
        plans = assign_plans(rng, month, allocations)
        for a, plan in zip(allocations, plans, strict=True):
            docs[a.file] = audit_doc(rng, month, a, plan)
            n_audits += 1
        moderation = None
        if month in MODERATION_DRAWN:
            drawn = MODERATION_DRAWN[month]
            moderation = M(
                ("seed", int(drawn.strftime("%Y%m%d"))),
                ("share", 0.2),
                ("drawn", drawn),
                (
                    "selected",
                    Flow(
                        [
                            a.case.code
                            for a, p in zip(allocations, plans, strict=True)
                            if p.moderation
                        ]
                    ),
                ),
                ("rounds", moderation_rounds(month, allocations, plans)),
            )
        sha = hashlib.sha256(files[f"cases/{list_date.isoformat()}.csv"]).hexdigest()
        docs[f"samples/{month}.yaml"] = sample_doc(
            month, list_date, sha, seed, allocations, excluded, tools, moderation
        )
    avoid = set(audited)
    docs.update(crib_sheets(book, tools, avoid))
    docs.update(themed_audit(book, tools, avoid))
    ma = multi_agency(book, tools, avoid)
    docs.update(ma)
    obs = observations(tools)
    docs.update(obs)
    comp = complaints(tools)
    docs.update(comp)
    docs.update(monitoring_docs(book))
    issue13_records(docs)
    improvement_records(docs)
    for path, doc in docs.items():
        close_loop(doc)
        files[path] = _yaml_text(doc)
    files["README.md"] = README.format(
        n_teams=len(TEAMS),
        n_staff=len(people),
        n_audits=n_audits,
        n_agency_returns=sum(1 for p in ma if "/returns/" in p),
        n_obs=len(obs),
        n_complaints=len(comp),
    ).encode("utf-8")
    files[".gitignore"] = (
        b"# qa's local cache\n.qa/\n# forms written by `qa form export`\noutbox/\n"
    )
    return dict(sorted(files.items()))


def generate(out: Path = DEFAULT_OUT, tools_dir: Path = DEFAULT_TOOLS) -> dict[str, bytes]:
    """Write the demo repository to ``out``, replacing an earlier demo there."""
    files = build(tools_dir)
    out = Path(out)
    if out.exists():
        config = out / "qa.yaml"
        if any(out.iterdir()) and not (config.is_file() and MARKER in config.read_text("utf-8")):
            raise SystemExit(
                f"{out} exists and is not a Northbridge demo repository: not replacing it"
            )
        shutil.rmtree(out)
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help="folder to write (default: examples/demo-repo)",
    )
    parser.add_argument(
        "--tools",
        type=Path,
        default=DEFAULT_TOOLS,
        help="folder of audit tools to copy (default: the toolkit's audit_tools/)",
    )
    args = parser.parse_args(argv)
    files = generate(args.out, args.tools)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
