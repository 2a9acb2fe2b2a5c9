#!/usr/bin/env python3
"""Generate ``examples/demo-repo``: a complete synthetic audit repository for "Northbridge".

Northbridge is a fictional borough. Every case code, person and event in the demo is invented.
The story is data (``scripts/demo/*.yaml``); this driver plays it through qa's own library,
as the QA team would with the commands: the case lists are imported from (synthetic) exports
(``qa cases import``), each month is drawn (``qa sample``, so ``qa sample --verify`` passes),
blank returns are made (``qa sample`` / ``qa new``), answers are filled in through the
byte-preserving edit path, and the moderation list is drawn (``qa moderate``). Seeded streams
and the scenario's fixed dates ("today" is 2026-11-29), never today's date, make two runs give
the same bytes.

Usage::

    python scripts/make_demo_repo.py            # writes examples/demo-repo
    python scripts/make_demo_repo.py OUT_DIR    # writes somewhere else

or, from Python, ``generate(out_dir)``. See ``scripts/demo/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts" / "demo")]

import story  # noqa: E402
from story import AS_OF, PH, RANK, S, Story  # noqa: E402

from qa_cli import calendar as cal  # noqa: E402
from qa_cli import yamlio  # noqa: E402
from qa_cli.blank import new_return  # noqa: E402
from qa_cli.caselist import CaseRow, import_export, read_case_list  # noqa: E402
from qa_cli.draw import Drawn  # noqa: E402
from qa_cli.moderation import moderate  # noqa: E402
from qa_cli.moderation import record as record_moderation  # noqa: E402
from qa_cli.actions import write_edits  # noqa: E402
from qa_cli.repository import Repository, load_file  # noqa: E402
from qa_cli.sampling import plan_sample, write_plan  # noqa: E402
from qa_cli.themes import scope_text  # noqa: E402
from qa_cli.yamledit import Edit, set_values  # noqa: E402

REC = story.load("records.yaml")
DEFAULT_OUT = ROOT / "examples" / "demo-repo"
MARKER = "Northbridge"  # an existing output folder is only replaced if its qa.yaml says this


class Demo:
    """The repository being written, with what the story needs to know about it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lists: dict[dt.date, list[CaseRow]] = {}
        self.used: set[str] = set()  # cases audited or otherwise taken by the story
        self.counts: dict[str, int] = {}

    def repo(self) -> Repository:
        return Repository.load(self.root, require_config=True)

    def fill(self, rel: str, values: dict[str, Any]) -> None:
        """Set keys (and ``answers:``) of a file through the byte-preserving edit path; the
        file must still be valid for its kind (``actions.write_edits``)."""
        answers = values.pop("answers", {})
        edits = [Edit((k,), v) for k, v in values.items() if v is not None]
        edits += [Edit(("answers", qid), v) for qid, v in answers.items()]
        if edits:
            write_edits(self._repo, load_file(self.root / rel, self.root), edits)

    def write(self, rel: str, head: str, values: dict[str, Any]) -> None:
        """A new file: ``head`` (comment, schema, ...) and ``values`` set in it, written safely."""
        edits = [Edit((k,), v) for k, v in values.items()]
        self._repo.write_new(rel, set_values(head, edits, yamlio.load_text))

    def new(self, tool: str, today: dt.date, **kw: Any) -> str:
        """A blank return made as `qa new` makes it; its path."""
        rel, text = new_return(self._repo, tool, today, **kw)
        self._repo.write_new(rel, text)
        return rel

    def staff(self) -> None:
        self._repo = self.repo()
        self.config = self._repo.config
        self.tools = self._repo.tools
        self.tm = {t.id: str(t.manager) for t in self.config.teams}
        self.sm = {t.id: S["sm_of"][t.service] for t in self.config.teams}

    def unused(self, category: str) -> list[CaseRow]:
        rows = self.lists[max(self.lists)]
        return [r for r in rows if r.category == category and r.case not in self.used]


# --- case lists: a synthetic export each month, imported as `qa cases import` does ----------


def case_lists(d: Demo) -> None:
    spec = S["case_lists"]
    rng = random.Random(spec["seed"])
    workers = {t: [w["name"] for w in ws] for t, ws in S["social_workers"].items()}
    names = {t["id"]: t["name"] for t in S["teams"]}
    serial = iter(range(40001, 99999))

    def new_case(team: str, worker: str, start: dt.date) -> dict[str, Any]:
        w = spec["categories"][team]
        cat = rng.choices(list(w), list(w.values()))[0]
        bands = spec["ages"]["care_leaver" if cat == "care_leaver" else "child"]
        band = rng.choices(list(bands), list(bands.values()))[0]
        return {"Child ID": f"NB{next(serial)}", "Team": names[team], "Social Worker": worker,
                "Category": cat, "Start Date": start, "Age Band": band}  # fmt: skip

    first = spec["dates"][0]
    open_cases = [
        new_case(team, w, first - dt.timedelta(days=rng.randint(14, spec["span"][team])))
        for team in workers
        for w in workers[team]
        for _ in range(spec["per_worker"] + rng.randint(-2, 2))
    ]
    key = spec["key"].encode()
    with tempfile.TemporaryDirectory() as tmp:
        for i, day in enumerate(spec["dates"]):
            if i:
                prev = spec["dates"][i - 1]
                for team, churn in spec["churn"].items():
                    mine = [c for c in open_cases if c["Team"] == names[team]]
                    for c in rng.sample(mine, churn + rng.randint(0, 1)):
                        open_cases.remove(c)
                    for _ in range(churn + rng.randint(0, 1)):
                        start = prev + dt.timedelta(days=rng.randint(1, (day - prev).days - 1))
                        open_cases.append(new_case(team, rng.choice(workers[team]), start))
            export = Path(tmp) / f"export-{day}.csv"
            with export.open("w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, list(open_cases[0]))
                w.writeheader()
                w.writerows(open_cases)
            result = import_export(export, d.config, key, day)
            rel = f"cases/{day}.csv"
            d._repo.write_new(rel, result.text)
            d.lists[day] = read_case_list(d.root / rel, rel)[0]


# --- single-agency months: drawn, filled in, moderated, reviewed ----------------------------


def single_agency(d: Demo, month: dict[str, Any]) -> None:
    name = month["month"]
    repo = d.repo()
    plan = plan_sample(repo, "single-agency", name, month["drawn"])
    write_plan(repo, plan)
    rng = random.Random(f"{S['seed']}/audits/{name}")
    plans = [dict(p) for p in month["plans"]]
    rng.shuffle(plans)
    drawn = list(zip(plan.result.allocations, [r for r, _ in plan.returns], strict=True))
    concern = next((i for i, p in enumerate(plans) if p.get("concern")), None)
    if concern is not None:  # a safeguarding concern belongs on a safeguarding case
        j = next(i for i, (a, _) in enumerate(drawn) if a.case.category in ("CIN", "CP"))
        plans[j], plans[concern] = plans[concern], plans[j]
    d.used |= {a.case.case for a, _ in drawn}
    d.counts["n_audits"] = d.counts.get("n_audits", 0) + len(drawn)
    good: dict[str, tuple[Drawn, dict[str, Any], Story, dt.date]] = {}
    for late in (False, True):
        for (a, rel), p in zip(drawn, plans, strict=True):
            if bool(p.get("late")) == late and p["status"] not in ("allocated",):
                st, completed = audit(d, a, rel, p, month, rng)
                if completed is not None and RANK[p["grade"]] >= 2:
                    good[rel] = (a, p, st, completed)
        moderated = month.get("moderation_round" if late else "moderation")
        if moderated is not None:  # `qa moderate`: a share of the Good-or-better returns
            repo = d.repo()
            record_moderation(repo, moderate(repo, name, moderated), moderated)
    mod = d.repo().samples[(name, "single-agency")].moderation
    for rel, (a, p, st, completed) in good.items():
        if mod is not None and a.case.case in mod.all_selected():
            values = review(d, rel, a, p, st, completed, month["moderation"])
            d.fill(rel, {k: values[k] for k in ("qa_review", "status")})


def audit(
    d: Demo, a: Drawn, rel: str, p: dict[str, Any], month: dict[str, Any], rng: random.Random
) -> tuple[Story, dt.date | None]:
    """Fill one drawn return as far as its plan says (Good-or-better: the review waits for
    the moderation draw); the story and the day it was returned."""
    tool, case, grade = d.tools[a.tool], a.case, p.get("grade")
    n = len(p.get("actions", [])) or (rng.choice([0, 1, 1]) if grade == "good" else 0)
    n = (
        rng.choice([0, 1, 2])
        if grade is None
        else max(n, {"requires_improvement": 2}.get(grade, 0))
    )
    n = max(n, 4) if grade == "inadequate" else n
    themes = story.themes_for(rng, tool, case.category, case.age_band, n, p.get("themes", []))
    st = Story(rng, case.category, case.age_band, grade, themes)
    if p["status"] == "in_progress":
        d.fill(rel, {"status": "in_progress", "answers": story.answers(tool, st, p["sections"])})
        return st, None
    if p.get("concern"):
        st.vulnerabilities = ["domestic_abuse"]
    lo, hi = p.get("window", [month["completed"]["from"], month["completed"]["to"]])
    if p.get("concern"):
        lo = cal.add_working_days(S["concern"]["found"], 2)
    st.checked = month["late_completed"] if p.get("late") else story.working_day(rng, lo, hi)
    values = {"status": "returned", "completed": st.checked, "answers": story.answers(tool, st)}
    values |= {"overall_grade": grade, "strengths": story.strengths(st)}
    values["areas_for_improvement"] = story.areas(st)
    if p.get("concern"):
        values["safeguarding_concern"] = {**S["concern"], "escalated_to": d.tm[case.team]}
        values["safeguarding_concern"]["description"] = story.para(S["concern"]["description"])
    d.fill(rel, values | review(d, rel, a, p, st, st.checked, None))
    return st, st.checked


def review(
    d: Demo, rel: str, a: Drawn, p: dict[str, Any], st: Story, completed: dt.date, drawn: Any
) -> dict[str, Any]:
    """The QA review (below Good, or a moderation pick drawn on ``drawn``), the action plan's
    progress and the feedback loop of a returned audit."""
    rng, case, grade = st.rng, a.case, str(p["grade"])
    values: dict[str, Any] = {"status": "returned" if p["status"] == "qa_review" else p["status"]}
    reviewed = completed
    if (RANK[grade] < 2 and "review" in p) or drawn is not None:
        agreed = story.GRADES[
            RANK[grade] + {"agree": 0, "down": -1, "up": 1}[p.get("review", "agree")]
        ]
        start = drawn or completed
        reviewed = min(cal.add_working_days(start, rng.randint(2, 7)), AS_OF - dt.timedelta(1))
        qa = {"reviewer": S["qa_auditor"] if rng.random() < 0.65 else S["qa_lead"]}
        qa |= {"date": reviewed, "agreed_grade": agreed}
        qa["comment"] = story.review_comment(grade, agreed, st)
        if RANK[grade] < 2 or RANK[agreed] < 2:
            qa["forwarded_to"] = [S["ad"], d.sm[case.team]]
            sm_day = story.after(rng, reviewed, "sm_outcome")
            ad_day = story.after(rng, sm_day, "ad_outcome")
            if sm_day:
                outcome = rng.choice(PH["sm_outcomes"])
                qa["service_manager_outcome"] = {"by": d.sm[case.team], "date": sm_day}
                qa["service_manager_outcome"]["outcome"] = outcome
            if ad_day:
                qa["assistant_director_outcome"] = {"by": S["ad"], "date": ad_day}
                qa["assistant_director_outcome"]["outcome"] = PH["ad_outcome"]
        values["qa_review"] = qa
        values["status"] = "qa_review" if p["status"] == "returned" else p["status"]
    owners = {"sw": case.worker, "tm": d.tm[case.team], "iro": S["iros"][len(rel) % 2]}
    statuses = list(p.get("actions", []))
    statuses += statuses[-1:] * (len(st.themes) - len(statuses))
    if statuses:
        values["actions"] = story.actions(st, statuses, owners, completed, reviewed)
        if p.get("reaudit"):
            values["actions"][-1]["re_audit"] = p["reaudit"]
    values["feedback"] = feedback(rng, completed, [case.worker, d.tm[case.team]], d.sm[case.team])
    return values


def feedback(rng: random.Random, completed: dt.date, to: list[str], sm: str) -> Any:
    sent = story.after(rng, completed, "sent_on")
    if sent is None:
        return None
    out: dict[str, Any] = {"sent_to": [*to, sm, S["qa_lead"]], "sent_on": sent}
    out["uploaded_on"] = story.after(rng, sent, "uploaded_on")
    out["supervision_on"] = story.after(rng, sent, "supervision_on")
    if out["supervision_on"]:
        out["social_worker_response"] = rng.choice(PH["sw_responses"])
    sm_day = story.after(rng, sent, "sm_review")
    if sm_day:
        out["service_manager_review"] = {"by": sm, "date": sm_day}
        out["service_manager_review"]["comment"] = rng.choice(PH["sm_reviews"])
    return {k: v for k, v in out.items() if v is not None}


# --- the other programmes: crib sheets, a themed audit, a multi-agency audit ---------------


def crib_sheets(d: Demo, spec: dict[str, Any]) -> None:
    repo = d.repo()
    plan = plan_sample(repo, "crib-sheet", spec["month"], spec["drawn"])
    write_plan(repo, plan)
    rng = random.Random(f"{S['seed']}/crib-sheets/{spec['month']}")
    for i, (a, (rel, _)) in enumerate(zip(plan.result.allocations, plan.returns, strict=True)):
        d.used.add(a.case.case)
        if i >= spec["completed"]:
            continue  # the session is booked for later in the month
        tool, case = d.tools[a.tool], a.case
        held = story.working_day(rng, spec["held"]["from"], spec["held"]["to"])
        themes = story.themes_for(rng, tool, case.category, case.age_band, rng.randint(0, 2), [])
        st = Story(rng, case.category, case.age_band, None, themes, checked=held)
        values = {"status": "completed", "held": held, "answers": story.answers(tool, st)}
        values["summary"] = story.para(st.pick(PH["crib_summaries"][bool(themes)]))
        owners = {"sw": case.worker, "tm": d.tm[case.team], "iro": S["iros"][i % 2]}
        done = [rng.choice(spec["actions"]) for _ in themes]
        values["actions"] = story.actions(st, done, owners, held, held) or None
        d.fill(rel, values)


def themed(d: Demo, spec: dict[str, Any]) -> None:
    """One case of each team, audited by the Lead QA Auditor against the theme's tool."""
    tool = d.tools[spec["tool"]]
    rng = random.Random(f"{S['seed']}/themed")
    rows = d.lists[max(d.lists)]
    cases = [next(r for r in rows if r.team == t and r.case not in d.used) for t in d.tm]
    folder = f"themed/{spec['month']}-{spec['theme']}"
    (d.root / folder).mkdir(parents=True)
    text = scope_text(tool, spec["theme"], spec["month"], S["qa_lead"], cases[0].case)
    d._repo.write_new(f"{folder}/scope.yaml", text)
    for row, grade in zip(cases, spec["grades"], strict=False):
        d.used.add(row.case)
        rel = d.new(tool.ref, spec["allocated"], case=row.case, month=spec["month"])
        n = {"good": rng.randint(0, 1), "requires_improvement": 2}.get(grade, 3)
        themes = story.themes_for(rng, tool, "supervision", row.age_band, n, [])
        st = Story(rng, "supervision", row.age_band, grade, themes)
        completed = story.working_day(rng, spec["completed"]["from"], spec["completed"]["to"])
        st.checked = completed
        values = {"due": spec["due"], "completed": completed, "answers": story.answers(tool, st)}
        values |= {"status": "returned", "overall_grade": grade}
        values |= {"strengths": story.strengths(st), "areas_for_improvement": story.areas(st)}
        p = {"grade": grade, "status": "returned", "actions": ["open"] * len(themes)}
        p |= {"review": "agree"} if RANK[grade] < 2 else {}
        d.fill(rel, values | review(d, rel, Drawn(row, (), tool.ref), p, st, completed, None))
    d.fill(f"{folder}/scope.yaml", {**spec["scope"], "cases": [r.case for r in cases]})


def multi_agency(d: Demo, spec: dict[str, Any]) -> None:
    repo = d.repo()
    plan = plan_sample(repo, "multi-agency", spec["month"], spec["drawn"], cohort=spec["cohort"],
                       n_cases=len(spec["findings"]["cases"]), audit_id=spec["id"])  # fmt: skip
    write_plan(repo, plan)
    rng = random.Random(f"{S['seed']}/multi-agency")
    grades = dict(zip([a.case.case for a in plan.result.allocations], spec["grades"], strict=True))
    for rel, _ in plan.returns[1:]:
        code, agency = Path(rel).stem.split("--")
        row = next(a.case for a in plan.result.allocations if a.case.case == code)
        grade = story.GRADES[max(0, min(3, RANK[grades[code]] + rng.choice([-1, 0, 0, 1])))]
        tool = d.tools[plan.rules.tools[spec["cohort"]]]
        n = {"good": rng.randint(0, 1), "requires_improvement": 2}.get(grade, 0)
        ids = [t for t in spec["themes"].get(agency, [])]
        themes = story.themes_for(
            rng, tool, agency, row.age_band, n, rng.sample(ids, min(n, len(ids)))
        )
        st = Story(rng, "CP", row.age_band, grade, themes, agency=agency)
        completed = story.working_day(rng, spec["completed"]["from"], spec["completed"]["to"])
        values = {"status": "returned", "completed": completed, "answers": story.answers(tool, st)}
        values |= {"grade": grade, "strengths": story.para(st.pick(PH["texts"]["agency-did-well"]))}
        values["areas_for_improvement"] = story.areas(st)
        d.fill(rel, values)
    d.fill(plan.returns[0][0], spec["scope"])
    found = spec["findings"]
    cases = [{"case": a.case.case, **c} for a, c in zip(plan.result.allocations, found["cases"])]
    rel = f"multi-agency/{spec['id']}/findings.yaml"
    head = f"# {found['intro']}\nschema: qa/multi-agency-findings@1\naudit: {spec['id']}\n"
    d.write(rel, head, {**{k: v for k, v in found.items() if k != "intro"}, "cases": cases})
    d.used |= {a.case.case for a in plan.result.allocations}
    d.counts["n_agency_returns"] = len(plan.returns) - 1


# --- records written from data (records.yaml): a blank as `qa new` makes it, then filled ----


def blank_and_fill(d: Demo, spec: dict[str, Any], r: dict[str, Any]) -> None:
    new = dict(r["new"])
    if isinstance(new.get("case"), dict):  # the n-th unused case of a category
        c = new["case"]
        new["case"] = d.unused(c["category"])[c["nth"]].case
        d.used.add(new["case"])
    d.fill(d.new(spec["tool"], new["date"], **new), dict(r.get("set", {})))


def whole_file(d: Demo, spec: dict[str, Any], r: dict[str, Any]) -> None:
    d.write(r["path"], r["head"], r["set"])


# How each kind of record is made: a kind with a `tool:` is blank_and_fill unless listed here.
MAKERS: dict[str, Callable[[Demo, dict[str, Any], dict[str, Any]], None]] = {
    "compliments": whole_file,
}


# --- the whole repository -----------------------------------------------------------------


def build(out: Path) -> None:
    d = Demo(out)
    (out / "cases").mkdir(parents=True)
    shutil.copy(story.DATA / "qa.yaml", out / "qa.yaml")
    shutil.copytree(ROOT / "audit_tools", out / "audit_tools")
    (out / ".gitignore").write_text(
        "# qa's local cache\n.qa/\n# forms written by `qa form export`\noutbox/\n"
    )
    d.staff()
    case_lists(d)
    for month in S["single_agency"]:
        single_agency(d, month)
    for spec in S["crib_sheets"]:
        crib_sheets(d, spec)
    themed(d, S["themed"])
    multi_agency(d, S["multi_agency"])
    for kind, spec in REC.items():
        for r in spec["records"]:
            MAKERS.get(kind, blank_and_fill)(d, spec, r)
    counts = {"n_teams": len(d.config.teams), "n_staff": len(d.config.staff)}
    counts |= {f"n_{k}": len(v["records"]) for k, v in REC.items()}
    text = (story.DATA / "repo-readme.md").read_text("utf-8").format(**counts, **d.counts)
    (out / "README.md").write_text(text, "utf-8")
    shutil.rmtree(out / ".qa", ignore_errors=True)


def generate(out: Path = DEFAULT_OUT) -> None:
    """Write the demo repository to ``out``, replacing an earlier demo there."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        config = out / "qa.yaml"
        if not (config.is_file() and MARKER in config.read_text("utf-8")):
            raise SystemExit(
                f"{out} exists and is not a Northbridge demo repository: not replacing it"
            )
        shutil.rmtree(out)
    build(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="folder to write")
    args = parser.parse_args(argv)
    generate(args.out)
    print(f"wrote {sum(1 for p in args.out.rglob('*') if p.is_file())} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
