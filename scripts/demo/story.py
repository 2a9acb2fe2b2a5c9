"""What an auditor of the demo writes (answers, issues found, actions), chosen from
``phrases.yaml`` with a seeded stream: the same seed always gives the same words."""

from __future__ import annotations

import datetime as dt
import functools
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qa_cli import calendar as cal
from qa_cli.models.tool import Question, Tool

DATA = Path(__file__).resolve().parent


_DATA = (DATA / f"{name}.yaml" for name in ("scenario", "phrases", "records"))
S, PH, REC = (dict(YAML(typ="safe").load(p.read_text("utf-8"))) for p in _DATA)
AS_OF: dt.date = S["as_of"]
GRADES = ["inadequate", "requires_improvement", "good", "outstanding"]
RANK = {g: i for i, g in enumerate(GRADES)}


def block(text: str | list[str]) -> str:
    """One paragraph, or bullet points, as wrapped block text."""
    if isinstance(text, str):
        return textwrap.fill(" ".join(text.split()), 92) + "\n"
    fill = functools.partial(textwrap.fill, width=92, initial_indent="- ", subsequent_indent="  ")
    return "".join(fill(x) + "\n" for x in text)


def working_day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return rng.choice(cal.working_days(lo, hi) or [lo])


def after(rng: random.Random, day: dt.date | None, step: str) -> dt.date | None:
    """Some working days (``loop_days``) after ``day``; None if that is not past yet."""
    out = day and cal.add_working_days(day, rng.randint(*S["loop_days"][step]))
    return out if out and out < AS_OF else None


@dataclass
class Story:
    """One return's case as its answers see it."""

    rng: random.Random
    category: str  # a case category, or "supervision" for a themed audit of supervision
    age_band: str = "10-15"
    grade: str | None = None
    themes: list[dict[str, Any]] = field(default_factory=list)
    agency: str | None = None
    checked: dt.date | None = None
    vulnerabilities: list[str] = field(default_factory=lambda: ["none"])

    def __post_init__(self) -> None:
        self.flags = {t["id"] for t in self.themes}  # facts of the case, from `case_facts`
        for fact, rule in PH["case_facts"].items():
            chance = rule.get(self.category, rule.get(self.age_band, 0))
            if self.grade in rule.get("grades", [self.grade]) and self.rng.random() < chance:
                self.flags.add(fact)
        if "vulnerable" in self.flags:
            pool = PH["vulnerabilities"]
            self.vulnerabilities = sorted(self.rng.sample(pool, self.rng.choice([1, 1, 2])))

    @property
    def keys(self) -> list[str]:
        """What a phrase list may be keyed by, most specific first (see phrases.yaml)."""
        a, v = str(self.agency), self.vulnerabilities[0]
        small = "cla-young" * (self.category == "CLA" and self.age_band in ("0-4", "5-9"))
        service = PH["service_of"].get(self.category, "safeguarding")
        return [a, v, small, self.category, service, PH["tier_of"].get(str(self.grade), "mid")]

    def pick(self, bank: Any) -> Any:
        while isinstance(bank, dict):
            bank = next((bank[k] for k in self.keys if k in bank), bank.get("any"))
        return self.rng.choice(bank) if isinstance(bank, list) else bank


def is_na(q: Question, st: Story) -> bool:
    """Whether a question does not apply to the case (``not_applicable`` in phrases.yaml)."""
    rule, who = PH["not_applicable"].get(q.id, {}), {st.category, st.agency}
    if rule.get("always") or who & set(rule.get("for", ())) or st.age_band in rule.get("ages", ()):
        return True
    if rule.get("unless") not in st.flags | {None} or st.category not in rule.get("only", who):
        return True
    if who & set(rule.get("chance_for", who)) and st.grade in rule.get("grades", [st.grade]):
        return st.rng.random() < rule.get("chance", 0)
    return False


def _no(q: Question, st: Story) -> str | None:
    """The auditor's comment when an issue of the story answers ``q`` "no"."""
    return next((str(st.rng.choice(t["no"][q.id])) for t in st.themes if q.id in t["no"]), None)


def _yes_no(q: Question, st: Story) -> Any:
    if (comment := _no(q, st)) is not None:
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
    if (comment := _no(q, st)) is not None:
        sw = "yes" if st.rng.random() < 0.4 else "no"
        return {"social_worker": sw, "manager": "no", "comment": comment, "checked": st.checked}
    v = "na" if is_na(q, st) else "yes"
    return {"social_worker": v, "manager": v}


def _choice(q: Question, st: Story) -> Any:
    options = q.options or []
    if q.type == "multi_choice":
        return [v for v in st.vulnerabilities if v in options] or [st.rng.choice(options)]
    v = st.pick(PH["texts"][q.id]) if q.id in PH["texts"] else st.rng.choice(options)
    return v if v in options else options[0]


ANSWER = {  # one small function per question type; yes/no questions by default
    "check": _check,
    "choice": _choice,
    "multi_choice": _choice,
    "text": lambda q, st: st.pick(PH["texts"].get(q.id, PH["generic_text"])),
    "date": lambda q, st: st.checked or AS_OF - dt.timedelta(days=30),
}


def answers(tool: Tool, st: Story, sections: int | None = None) -> dict[str, Any]:
    """The answers to ``tool`` for the story's case: its issues "no", the rest as the case has
    them. With ``sections``, only the first sections, ungraded (a return in progress)."""
    got: dict[str, Any] = {}
    reasons = {r.id for r in tool.reason_followups().values()}
    graded: list[tuple[str, int]] = []
    for section in tool.sections[:sections]:
        nos = 0
        for q in section.questions:
            if q.id in reasons or (q.applies_if and not _applies(q.applies_if, got)):
                continue
            if q.type == "grade":
                graded.append((q.id, nos))
            elif q.required or q.type != "text" or st.rng.random() < 0.5:
                got[q.id] = ANSWER.get(q.type, _yes_no)(q, st)
                nos += isinstance(got[q.id], dict) and "no" in got[q.id].values()
    # Section grades no lower than the overall grade, the weakest equal to it (the limiting
    # judgement, QA451), better where nothing was found.
    overall = RANK[st.grade or "good"]
    grades = {q: GRADES[min(3, overall + (n == 0 and st.rng.random() < 0.4))] for q, n in graded}
    if grades and min(RANK[g] for g in grades.values()) > overall:
        grades[max(graded, key=lambda g: g[1])[0]] = GRADES[overall]
    return got | (grades if sections is None else {})


def _applies(rule: Any, got: dict[str, Any]) -> bool:
    v = got.get(rule.question)
    v = v.get("answer") if isinstance(v, dict) else v
    return any(x in rule.answers() for x in v) if isinstance(v, list) else v in rule.answers()


def themes_for(
    rng: random.Random, tool: Tool, category: str, age_band: str, n: int, forced: list[str]
) -> list[dict[str, Any]]:
    """``n`` issues found on the case (``forced`` first), worded for a young person if one."""
    chosen = [t for t in PH["themes"] if t["id"] in forced]
    unfit = PH["unfit_themes"].get(category, []) + PH["unfit_themes"].get(age_band, [])
    fit = [t for t in PH["themes"] if category in t.get("categories", [category])]
    pool = [
        t for t in fit if t["id"] not in unfit + forced and set(t["no"]) & set(tool.questions())
    ]
    rng.shuffle(pool)
    young = category == "care_leaver" or (category == "CLA" and age_band in ("10-15", "16-17"))
    wording = PH["young_person_wording"] if young else {}
    return [{**t, **wording.get(t["id"], {})} for t in (chosen + pool)[: max(n, len(chosen))]]


def strengths(st: Story) -> str:
    bank = next(PH["strengths"][k] for k in st.keys if k in PH["strengths"])
    found = {t["id"] for t in st.themes}
    ok = [s["text"] for s in bank if not set(s.get("not_with", ())) & found]
    n = {"outstanding": 4, "good": 3, "requires_improvement": 2}.get(str(st.grade), 1)
    return block(st.rng.sample(ok, min(n, len(ok))))


def findings(st: Story) -> dict[str, str]:
    areas = [t["area"] for t in st.themes] or [st.pick(PH["minor_areas"])]
    return {"strengths": strengths(st), "areas_for_improvement": block(areas)}


def actions(
    st: Story, statuses: list[str], owners: dict[str, str], start: dt.date, floor: dt.date
) -> list[dict[str, Any]]:
    """One action per issue, due three to five weeks on, with the progress the plan says."""
    out = []
    for i, (t, status) in enumerate(zip(st.themes, statuses, strict=False), start=1):
        a: dict[str, Any] = {"id": f"A{i}", "action": t["action"], "owner": owners[t["owner"]]}
        a |= {"due": cal.add_working_days(start, st.rng.randint(15, 25)), "status": status}
        if status in ("done", "verified"):  # done lately if not verified yet
            lo = cal.add_working_days(start, 5)
            lo = max(lo, AS_OF - dt.timedelta(days=16)) if status == "done" else lo
            hi = min(cal.add_working_days(a["due"], 3), AS_OF - dt.timedelta(days=2))
            a["done_on"] = working_day(st.rng, lo, max(lo, hi))
        if status == "verified":
            a["verified_by"] = st.rng.choice(S["reviewers"])
            day = cal.add_working_days(max(a["done_on"], floor), st.rng.randint(1, 6))
            a["verified_on"] = min(day, AS_OF - dt.timedelta(days=1))
        out.append(a)
    return out


def review_comment(overall: str, agreed: str, st: Story) -> str:
    issues = [PH["issue"][t["id"]] for t in st.themes if t["id"] in PH["issue"]]
    if st.category in ("CLA", "care_leaver") and st.age_band != "0-4":
        issues = [i.replace("the child", "the young person") for i in issues]
    how = "agree" if agreed == overall else ("down" if RANK[agreed] < RANK[overall] else "up")
    if how == "agree":
        how = "agree_good" if RANK[agreed] >= 2 else ("agree_one" if len(issues) < 2 else how)
    elif how == "down" and not issues:
        how = "down_outstanding"
    text: str = PH["review_comments"][how]
    return text.format(main=" and ".join(issues[:2]), grade=agreed.replace("_", " ").title())
