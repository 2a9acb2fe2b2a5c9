"""Answers, texts and dates of the demo's story, from ``phrases.yaml`` and seeded streams.

The driver (``scripts/make_demo_repo.py``) asks this module what an auditor would write for
one return: :func:`answers` for a tool's questions, :func:`themes_for` for the issues found,
:func:`actions` for the action plan. Everything is chosen from the phrase lists with the
``random.Random`` the caller passes, so the same seed always gives the same words.
"""

from __future__ import annotations

import datetime as dt
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qa_cli import calendar as cal
from qa_cli.models.tool import Question, Tool

DATA = Path(__file__).resolve().parent


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load((DATA / name).read_text("utf-8"))
    return data


S, PH = load("scenario.yaml"), load("phrases.yaml")
AS_OF: dt.date = S["as_of"]
GRADES = ["inadequate", "requires_improvement", "good", "outstanding"]
RANK = {g: i for i, g in enumerate(GRADES)}
LOOKED_AFTER = {"CLA", "care_leaver"}
THEMES = {t["id"]: t for t in PH["themes"]}


def block(lines: list[str], width: int = 92) -> str:
    """Bullet points as a block text (``- `` then wrapped, indented lines)."""
    out = [textwrap.fill(x, width, initial_indent="- ", subsequent_indent="  ") for x in lines]
    return "\n".join(out) + "\n"


def para(text: str, width: int = 92) -> str:
    return textwrap.fill(" ".join(text.split()), width) + "\n"


def working_day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    days = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
    return rng.choice([d for d in days if cal.is_working_day(d)] or [lo])


def after(rng: random.Random, day: dt.date | None, step: str) -> dt.date | None:
    """A working day some days after ``day`` (``S.loop_days``); None if it is not past yet."""
    if day is None:
        return None
    lo, hi = S["loop_days"][step]["fewest"], S["loop_days"][step]["most"]
    out = cal.add_working_days(day, rng.randint(lo, hi))
    return out if out < AS_OF else None


@dataclass
class Story:
    """One return's case as the answers see it."""

    rng: random.Random
    category: str  # a case category, or "supervision" / an agency for other tools
    age_band: str = "10-15"
    grade: str | None = None
    themes: list[dict[str, Any]] = field(default_factory=list)
    agency: str | None = None
    checked: dt.date | None = None
    flags: set[str] = field(default_factory=set)
    vulnerabilities: list[str] = field(default_factory=lambda: ["none"])

    def __post_init__(self) -> None:
        r, cat = self.rng.random, self.category
        if cat == "CP" or (cat == "CIN" and r() < 0.3):
            self.flags.add("strategy")
        if cat in ("CIN", "early_help") and self.grade in ("good", "outstanding") and r() < 0.15:
            self.flags.add("nfa")
        if cat in LOOKED_AFTER and r() < 0.3:
            self.flags.add("out_of_area")
        if cat == "care_leaver" or self.age_band == "16-17":
            self.flags.add("leaving_care")
        self.flags |= {t["id"] for t in self.themes}
        if cat in ("CIN", "CP", "early_help") and r() > (0.6 if cat == "early_help" else 0.3):
            pool = PH["vulnerabilities"]
            self.vulnerabilities = sorted(self.rng.sample(pool, self.rng.choice([1, 1, 2])))

    @property
    def keys(self) -> list[str]:
        """What a phrase list may be keyed by, most specific first."""
        service = "corporate-parenting" if self.category in LOOKED_AFTER else "safeguarding"
        tier = {"outstanding": "high", "good": "high", "inadequate": "low"}.get(
            self.grade or "", "mid"
        )
        small = self.category == "CLA" and self.age_band in ("0-4", "5-9")
        young = "cla-young" if small else ""
        return [self.agency or "", self.vulnerabilities[0], young, self.category, service, tier]

    def pick(self, bank: Any) -> Any:
        while isinstance(bank, dict):
            bank = next((bank[k] for k in self.keys if k in bank), bank.get("any"))
        return self.rng.choice(bank) if isinstance(bank, list) else bank


def is_na(q: Question, st: Story) -> bool:
    """Whether a question does not apply to the case (``not_applicable`` in phrases.yaml)."""
    rule = PH["not_applicable"].get(q.id)
    if rule is None:
        return False
    if rule.get("always") or st.category in rule.get("for", ()):
        return True
    if st.age_band in rule.get("ages", ()) or ("only" in rule and st.category not in rule["only"]):
        return True
    if "unless" in rule and rule["unless"] not in st.flags:
        return True
    chance_for = set(rule.get("chance_for", [st.category, st.agency]))
    if {st.category, st.agency} & chance_for and st.grade in rule.get("grades", [st.grade]):
        return st.rng.random() < rule.get("chance", 0)
    return False


def _applies(q: Question, got: dict[str, Any]) -> bool:
    if q.applies_if is None:
        return True
    v = got.get(q.applies_if.question)
    v = v.get("answer") if isinstance(v, dict) and "answer" in v else v
    wanted = q.applies_if.answers()
    return any(x in wanted for x in v) if isinstance(v, list) else v in wanted


def _no(q: Question, st: Story) -> str | None:
    """The auditor's comment when an issue of the story answers ``q`` "no"."""
    for t in st.themes:
        if q.id in t["no"]:
            return str(st.rng.choice(t["no"][q.id]))
    return None


def _yes_no(q: Question, st: Story) -> Any:
    comment = _no(q, st)
    if comment is not None:
        return {"answer": "no", "comment": comment}
    rule = PH["forced_answers"].get(q.id, {})
    positive = PH["positive"].get(q.id) if st.grade in ("good", "outstanding") else None
    if "yes_if" in rule:
        value = "yes" if rule["yes_if"] in st.flags else "no"
    elif st.grade in rule.get("grades", ()):
        value = rule["value"]
    elif q.type == "yes_no_na" and is_na(q, st):
        value = "na"
    elif positive and st.rng.random() < 0.35:
        return {"answer": "yes", "comment": positive}
    else:
        value = "yes"
    if value in q.comment_triggers():
        return {"answer": value, "comment": rule.get("comment", PH["not_evidenced"])}
    return value


def _check(q: Question, st: Story) -> Any:
    comment = _no(q, st)
    if comment is not None:
        sw = "yes" if st.rng.random() < 0.4 else "no"
        return {"social_worker": sw, "manager": "no", "comment": comment, "checked": st.checked}
    v = "na" if is_na(q, st) else "yes"
    return {"social_worker": v, "manager": v}


def _choice(q: Question, st: Story) -> Any:
    if q.type == "multi_choice":
        if all(v in (q.options or []) for v in st.vulnerabilities) and q.id == "vulnerabilities":
            return list(st.vulnerabilities)
        return [st.rng.choice(q.options or [])]
    options = q.options or []
    v = st.pick(PH["texts"][q.id]) if q.id in PH["texts"] else st.rng.choice(options)
    return v if v in options else options[0]


ANSWER = {  # one small function per question type
    "yes_no": _yes_no,
    "yes_no_na": _yes_no,
    "check": _check,
    "choice": _choice,
    "multi_choice": _choice,
    "text": lambda q, st: st.pick(PH["texts"].get(q.id, PH["generic_text"])),
    "date": lambda q, st: st.checked or AS_OF - dt.timedelta(days=30),
    "number": lambda q, st: st.rng.randint(1, 6),
    "staff": lambda q, st: S["qa_lead"],
}


def answers(tool: Tool, st: Story, sections: int | None = None) -> dict[str, Any]:
    """The answers to ``tool`` for the story's case: issues "no", the rest as a case has them.

    With ``sections``, only the first sections (a return in progress, not graded yet)."""
    got: dict[str, Any] = {}
    reasons = {r.id for r in tool.reason_followups().values()}
    graded: list[tuple[str, int]] = []
    for section in tool.sections[:sections]:
        nos = 0
        for q in section.questions:
            if q.id in reasons or not _applies(q, got):
                continue
            if q.type == "grade":
                graded.append((q.id, nos))
                continue
            if not q.required and q.type == "text" and st.rng.random() < 0.5:
                continue
            got[q.id] = ANSWER[q.type](q, st)
            nos += isinstance(got[q.id], dict) and "no" in got[q.id].values()
    if sections is None:
        got.update(section_grades(graded, st))
    return got


def section_grades(graded: list[tuple[str, int]], st: Story) -> dict[str, str]:
    """Section grades no lower than the overall grade, the weakest section equal to it (the
    limiting judgement, QA451), better where nothing was found."""
    overall = RANK[st.grade or "good"]
    out = {q: GRADES[min(3, overall + (nos == 0 and st.rng.random() < 0.4))] for q, nos in graded}
    if out and min(RANK[g] for g in out.values()) > overall:
        worst = max(graded, key=lambda g: g[1])[0]
        out[worst] = GRADES[overall]
    return out


def fits(theme: dict[str, Any], tool: Tool, category: str, age_band: str) -> bool:
    if category not in theme.get("categories", [category]):
        return False
    if category == "care_leaver" and theme["id"] in PH["not_for_care_leavers"]:
        return False
    if age_band == "0-4" and theme["id"] in PH["not_for_under_fives"]:
        return False
    return bool(set(theme["no"]) & set(tool.questions()))


def themes_for(
    rng: random.Random, tool: Tool, category: str, age_band: str, n: int, forced: list[str]
) -> list[dict[str, Any]]:
    """``n`` issues found on the case (``forced`` first), worded for a young person if one."""
    chosen = [THEMES[t] for t in forced]
    pool = [t for t in PH["themes"] if fits(t, tool, category, age_band) and t not in chosen]
    rng.shuffle(pool)
    young = category == "care_leaver" or (category == "CLA" and age_band in ("10-15", "16-17"))
    wording = PH["young_person_wording"] if young else {}
    return [{**t, **wording.get(t["id"], {})} for t in (chosen + pool)[: max(n, len(chosen))]]


def strengths(st: Story) -> str:
    bank = next(PH["strengths"][k] for k in st.keys if k in PH["strengths"])
    found = {t["id"] for t in st.themes}
    ok = [s["text"] for s in bank if not set(s.get("not_with", ())) & found]
    n = {"outstanding": 4, "good": 3, "requires_improvement": 2}.get(st.grade or "", 1)
    return block(st.rng.sample(ok, min(n, len(ok))))


def areas(st: Story) -> str:
    return block([t["area"] for t in st.themes] or [st.pick(PH["minor_areas"])])


def actions(
    st: Story, statuses: list[str], owners: dict[str, str], start: dt.date, floor: dt.date
) -> list[dict[str, Any]]:
    """One action per issue, due four to five weeks on, with the progress the plan says."""
    out = []
    for i, (t, status) in enumerate(zip(st.themes, statuses, strict=False), start=1):
        a: dict[str, Any] = {"id": f"A{i}", "action": t["action"], "owner": owners[t["owner"]]}
        a["due"] = cal.add_working_days(start, st.rng.randint(15, 25))
        a["status"] = status
        if status in ("done", "verified"):
            lo = cal.add_working_days(start, 5)
            if status == "done":  # done lately, so not verified yet
                lo = max(lo, AS_OF - dt.timedelta(days=16))
            hi = min(cal.add_working_days(a["due"], 3), AS_OF - dt.timedelta(days=2))
            a["done_on"] = working_day(st.rng, lo, max(lo, hi))
        if status == "verified":
            a["verified_by"] = S["qa_auditor"] if st.rng.random() < 0.7 else S["qa_lead"]
            day = cal.add_working_days(max(a["done_on"], floor), st.rng.randint(1, 6))
            a["verified_on"] = min(day, AS_OF - dt.timedelta(days=1))
        out.append(a)
    return out


def review_comment(overall: str, agreed: str, st: Story) -> str:
    young = st.category in LOOKED_AFTER and st.age_band != "0-4"
    issues = [PH["issue"][t["id"]] for t in st.themes if t["id"] in PH["issue"]]
    if young:
        issues = [i.replace("the child", "the young person") for i in issues]
    how = "agree" if agreed == overall else ("down" if RANK[agreed] < RANK[overall] else "up")
    if how == "agree":
        how = "agree_good" if RANK[agreed] >= 2 else ("agree_one" if len(issues) < 2 else how)
    elif how == "down" and not issues:
        how = "down_outstanding"
    text: str = PH["review_comments"][how]
    return text.format(main=" and ".join(issues[:2]), grade=agreed.replace("_", " ").title())
