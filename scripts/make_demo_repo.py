#!/usr/bin/env python3
"""Generate ``examples/demo-repo``: a synthetic audit repository for "Northbridge" (fictional).

The story is data (``scripts/demo/*.yaml``), played through qa's own library as the QA team
would: case lists imported (``qa cases import``), months drawn (``qa sample``: they verify),
blanks made (``qa new``), answers filled in through the byte-preserving edit path, moderation
drawn (``qa moderate``). Seeded streams and fixed dates make two runs give the same bytes.
Usage: ``python scripts/make_demo_repo.py [OUT_DIR]``. See ``scripts/demo/README.md``.
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
from story import AS_OF, PH, RANK, REC, S, Story  # noqa: E402

from qa_cli import actions, blank, caselist, improvement, moderation, safewrite, sampling, yamledit  # noqa: E402
from qa_cli import calendar as cal  # noqa: E402
from qa_cli.draw import Drawn  # noqa: E402
from qa_cli.repository import Repository, load_file, yaml_paths  # noqa: E402
from qa_cli.themes import scope_text  # noqa: E402
from qa_cli.yamlio import load_text  # noqa: E402

DEFAULT_OUT = ROOT / "examples" / "demo-repo"
MARKER = "Northbridge"  # an existing output folder is only replaced if its qa.yaml says this
Values = dict[str, Any]


class Demo:
    """The repository being written, and what the story knows about it."""

    def __init__(self, root: Path) -> None:
        self.root, self.used, self.counts, self.seen = root.resolve(), set[str](), {}, {}
        self.repo = self.load()
        self.tools, config = self.repo.tools, self.repo.config
        self.tm = {t.id: str(t.manager) for t in config.teams}
        self.sm = {t.id: S["sm_of"][t.service] for t in config.teams}
        self.counts |= {"n_teams": len(config.teams), "n_staff": len(config.staff)}

    def load(self) -> Repository:  # as Repository.load, with the files unchanged since reused
        for path in (paths := [Path(p) for p in yaml_paths(self.root)]):
            if self.seen.get(path, (None,))[0] != (raw := path.read_bytes()):
                self.seen[path] = (raw, load_file(path, self.root, lean=True))
        files = sorted((self.seen[p][1] for p in paths), key=lambda lf: lf.rel != "qa.yaml")
        return Repository(self.root, files, files[0].model, files[0], selected=files)

    def fill(self, rel: str, values: Values) -> None:
        """Set keys (and answers) through the byte-preserving edit path; still valid."""
        edits = [yamledit.Edit((k,), v) for k, v in values.items() if k != "answers"]
        edits += [yamledit.Edit(("answers", q), v) for q, v in values.get("answers", {}).items()]
        lf = self.seen.get(path := self.root / rel, (b"", None))[1] or load_file(path, self.root)
        actions.write_edits(self.repo, lf, edits)  # (it reads the file's path and kind only)

    def write(self, rel: str, head: str, values: Values) -> None:  # a new file: head + values
        edits = [yamledit.Edit((k,), v) for k, v in values.items()]
        self.repo.write_new(rel, yamledit.set_values(head, edits, load_text))

    def new(self, spec: Values, today: dt.date, **kw: Any) -> str:
        """A blank as `qa new` makes it (a return of ``spec["tool"]``, or a record); its path."""
        if "record" in spec:  # improvement plans, team reviews, overviews: they read the samples
            request = improvement.RecordRequest(repo := self.load(), today, **kw)
            rel, text = improvement.new_record(repo, spec["record"], request)
        else:
            rel, text = blank.new_return(self.repo, spec["tool"], today, blank.NewOptions(**kw))
        self.repo.write_new(rel, text)
        return rel

    def draw(self, programme: str, month: str, today: dt.date, **kw: Any) -> sampling.SamplePlan:
        """`qa sample`. A crib-sheet draw that would take a case the story has audited takes the
        next seed instead (recorded, so it verifies): one case code, one file."""
        repo, seed = self.load(), None
        while True:
            options = sampling.DrawOptions(seed=seed, **kw)
            plan = sampling.plan_sample(repo, programme, month, today, options)
            drawn, seed = {a.case.case for a in plan.result.allocations}, plan.seed + 1
            if programme != "crib-sheet" or not drawn & self.used:
                break
        sampling.write_plan(repo, plan)
        self.used |= drawn
        return plan

    def unused(self, category: str | None = None, team: str | None = None) -> list[Any]:
        """The newest case list's cases not yet taken by the story (of a category, a team)."""
        rows = caselist.read_case_list(p := caselist.newest_case_list(self.root, AS_OF), p.name)[0]
        return [r for r in rows if r.case not in self.used and category in (None, r.category)
                and team in (None, r.team)]  # fmt: skip


def case_lists(d: Demo) -> None:
    """A synthetic export each month (closed cases with an end date), imported as
    `qa cases import` does: codes from the key, closed cases left out, names dropped."""
    spec, names = S["case_lists"], {t["id"]: t["name"] for t in S["teams"]}
    rng, days, cases = random.Random(spec["seed"]), spec["dates"], list[Values]()
    for team, ws in S["social_workers"].items():
        cats, span = spec["categories"][team], spec["span"][team]
        opened = [-rng.randint(14, span) for _ in range(len(ws) * spec["per_worker"])]
        opened += [rng.randint(1, 91) for _ in range(spec["churn"][team] * 3)]  # new since
        for start in opened:
            cat = rng.choices(list(cats), list(cats.values()))[0]
            ages = spec["ages"]["care_leaver" if cat == "care_leaver" else "child"]
            cases.append({"Child ID": f"NB{40001 + len(cases)}", "Team": names[team],
                          "Social Worker": rng.choice(ws)["name"], "Category": cat,
                          "Start Date": days[0] + dt.timedelta(days=start), "End Date": None,
                          "Age Band": rng.choices(list(ages), list(ages.values()))[0]})  # fmt: skip
        for c in rng.sample(cases[-len(opened) :], spec["churn"][team] * 3):
            c["End Date"] = max(c["Start Date"], days[0]) + dt.timedelta(days=rng.randint(1, 60))
    with tempfile.TemporaryDirectory() as tmp:
        for day in days:
            with (export := Path(tmp) / f"{day}.csv").open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, list(cases[0]))
                writer.writeheader()
                writer.writerows(c for c in cases if c["Start Date"] <= day)
            result = caselist.import_export(export, d.repo.config, spec["key"].encode(), day)
            d.repo.write_new(f"cases/{day}.csv", result.text)


def single_agency(d: Demo, month: Values) -> None:
    """A month drawn, its returns filled in as its plans say, moderated and reviewed."""
    plan = d.draw("single-agency", month["month"], month["drawn"])
    rng = random.Random(f"{S['seed']}/audits/{month['month']}")
    plans = [dict(p) for p in month["plans"]]
    rng.shuffle(plans)
    drawn = list(zip(plan.result.allocations, [r for r, _ in plan.returns], strict=True))
    concern = next((i for i, p in enumerate(plans) if p.get("concern")), None)
    if concern is not None:  # a safeguarding concern belongs on a safeguarding case
        j = next(i for i, (a, _) in enumerate(drawn) if a.case.category in ("CIN", "CP"))
        plans[j], plans[concern] = plans[concern], plans[j]
    d.counts["n_audits"] = d.counts.get("n_audits", 0) + len(drawn)
    good: dict[str, tuple[Drawn, Values, Story, dt.date]] = {}
    for late in (False, True):
        for (a, rel), p in zip(drawn, plans, strict=True):
            if bool(p.get("late")) == late and p["status"] != "allocated":
                st, completed = audit(d, a, rel, p, month, rng)
                if completed is not None and RANK[p["grade"]] >= 2:
                    good[rel] = (a, p, st, completed)
        drawn_on = month.get("moderation_round" if late else "moderation")
        if drawn_on is not None:  # `qa moderate`: a share of the Good-or-better returns
            repo = d.load()
            moderation.record(repo, moderation.moderate(repo, month["month"], drawn_on), drawn_on)
    mod = load_file(d.root / plan.rel, d.root).model.moderation  # the sample, as moderated
    for rel, (a, p, st, completed) in good.items():
        if mod is not None and a.case.case in mod.all_selected():
            values = review(d, rel, a, p, st, completed, month["moderation"])
            d.fill(rel, {k: values[k] for k in ("qa_review", "status")})


def audit(
    d: Demo, a: Drawn, rel: str, p: Values, month: Values, rng: random.Random
) -> tuple[Story, dt.date | None]:
    """Fill one drawn return as far as its plan says (a Good-or-better one's QA review waits
    for the moderation draw); the story and the day it was returned."""
    tool, case, grade = d.tools[a.tool], a.case, p.get("grade")
    n = len(p.get("actions", [])) or (rng.choice([0, 1, 1]) if grade == "good" else 0)
    n = rng.choice([0, 1, 2]) if grade is None else max(n, PH["issues_found"].get(grade, 0))
    themes = story.themes_for(rng, tool, case.category, case.age_band, n, p.get("themes", []))
    st = Story(rng, case.category, case.age_band, grade, themes)
    if p["status"] == "in_progress":
        d.fill(rel, {"status": "in_progress", "answers": story.answers(tool, st, p["sections"])})
        return st, None
    lo, hi = p.get("window", [month["completed"]["from"], month["completed"]["to"]])
    if p.get("concern"):
        st.vulnerabilities = ["domestic_abuse"]
        lo = cal.add_working_days(S["concern"]["found"], 2)
    st.checked = month["late_completed"] if p.get("late") else story.working_day(rng, lo, hi)
    values = {"status": "returned", "completed": st.checked, "answers": story.answers(tool, st)}
    values |= {"overall_grade": grade} | story.findings(st)
    if p.get("concern"):
        concern = S["concern"] | {"description": story.block(S["concern"]["description"])}
        values["safeguarding_concern"] = concern | {"escalated_to": d.tm[case.team]}
    d.fill(rel, values | review(d, rel, a, p, st, st.checked, None))
    return st, st.checked


def review(
    d: Demo, rel: str, a: Drawn, p: Values, st: Story, completed: dt.date, drawn: Any
) -> Values:
    """The QA review (below Good when the plan has one, or a moderation pick drawn on
    ``drawn``), the action plan's progress and the feedback of a returned audit."""
    rng, team, grade = st.rng, a.case.team, str(p["grade"])
    values: Values = {"status": "returned" if p["status"] == "qa_review" else p["status"]}
    reviewed = completed
    if (RANK[grade] < 2 and "review" in p) or drawn is not None:
        agreed = story.GRADES[RANK[grade] + PH["review_steps"][p.get("review", "agree")]]
        day = cal.add_working_days(drawn or completed, rng.randint(2, 7))
        reviewed = min(day, AS_OF - dt.timedelta(1))
        qa = {"reviewer": rng.choice(S["reviewers"]), "date": reviewed, "agreed_grade": agreed}
        qa["comment"] = story.review_comment(grade, agreed, st)
        if RANK[grade] < 2 or RANK[agreed] < 2:  # forwarded; the managers' outcomes (§5.2.2)
            qa["forwarded_to"], day = [S["ad"], d.sm[team]], reviewed
            for who, by, text in (
                ("service_manager", d.sm[team], rng.choice(PH["sm_outcomes"])),
                ("assistant_director", S["ad"], PH["ad_outcome"]),
            ):
                day = story.after(rng, day, who)
                if day:
                    qa[f"{who}_outcome"] = {"by": by, "date": day, "outcome": text}
        values |= {"qa_review": qa, "status": p["status"].replace("returned", "qa_review")}
    owners = {"sw": a.case.worker, "tm": d.tm[team], "iro": S["iros"][len(rel) % 2]}
    statuses = list(p.get("actions", []))
    statuses += statuses[-1:] * (len(st.themes) - len(statuses))
    if statuses:
        values["actions"] = story.actions(st, statuses, owners, completed, reviewed)
        if p.get("reaudit"):
            values["actions"][-1]["re_audit"] = p["reaudit"]
    values["feedback"] = feedback(rng, completed, [a.case.worker, d.tm[team]], d.sm[team])
    return {k: v for k, v in values.items() if v is not None}


def feedback(rng: random.Random, completed: dt.date, to: list[str], sm: str) -> Values | None:
    """The return's feedback to practice, as far as it has gone by "today"."""
    if (sent := story.after(rng, completed, "sent_on")) is None:
        return None
    out: Values = {"sent_to": [*to, sm, S["qa_lead"]], "sent_on": sent}
    out |= {k: story.after(rng, sent, k) for k in ("uploaded_on", "supervision_on", "sm_review")}
    out["social_worker_response"] = out["supervision_on"] and rng.choice(PH["sw_responses"])
    day, comment = out.pop("sm_review"), rng.choice(PH["sm_reviews"])
    if day:
        out["service_manager_review"] = {"by": sm, "date": day, "comment": comment}
    return {k: v for k, v in out.items() if v is not None}


def crib_sheets(d: Demo, spec: Values) -> None:
    """Two cases a month per team, drawn; the sessions held so far filled in."""
    plan = d.draw("crib-sheet", spec["month"], spec["drawn"])
    rng = random.Random(f"{S['seed']}/crib-sheets/{spec['month']}")
    done = list(zip(plan.result.allocations, plan.returns, strict=True))[: spec["completed"]]
    for i, (a, (rel, _)) in enumerate(done):  # the others are booked for later in the month
        tool, case = d.tools[a.tool], a.case
        held = story.working_day(rng, spec["held"]["from"], spec["held"]["to"])
        themes = story.themes_for(rng, tool, case.category, case.age_band, rng.randint(0, 2), [])
        st = Story(rng, case.category, case.age_band, None, themes, checked=held)
        values = {"status": "completed", "held": held, "answers": story.answers(tool, st)}
        values["summary"] = story.block(st.pick(PH["crib_summaries"][bool(themes)]))
        owners = {"sw": case.worker, "tm": d.tm[case.team], "iro": S["iros"][i % 2]}
        statuses = [rng.choice(spec["actions"]) for _ in themes]
        d.fill(rel, values | {"actions": story.actions(st, statuses, owners, held, held)})


def themed(d: Demo, spec: Values) -> None:
    """One case of each team, audited by the Lead QA Auditor against the theme's tool."""
    tool, rng = d.tools[spec["tool"]], random.Random(f"{S['seed']}/themed")
    cases = [d.unused(team=t)[0] for t in d.tm]
    scope = f"themed/{spec['month']}-{spec['theme']}/scope.yaml"
    lead, first = S["qa_lead"], cases[0].case
    d.repo.write_new(scope, scope_text(tool, spec["theme"], spec["month"], lead, first))
    for row, grade in zip(cases, spec["grades"], strict=True):
        d.used.add(row.case)
        rel = d.new({"tool": tool.ref}, spec["allocated"], case=row.case, month=spec["month"])
        n = PH["issues_found"].get(grade, rng.randint(0, 1))
        found = story.themes_for(rng, tool, "supervision", row.age_band, n, [])
        st = Story(rng, "supervision", row.age_band, grade, found)
        st.checked = story.working_day(rng, spec["completed"]["from"], spec["completed"]["to"])
        values = {"status": "returned", "due": spec["due"], "completed": st.checked}
        values |= {"answers": story.answers(tool, st), "overall_grade": grade} | story.findings(st)
        p = {"grade": grade, "status": "returned", "actions": ["open"] * len(st.themes)}
        p |= {"review": "agree"} if RANK[grade] < 2 else {}
        d.fill(rel, values | review(d, rel, Drawn(row, (), tool.ref), p, st, st.checked, None))
    d.fill(scope, spec["scope"] | {"cases": [r.case for r in cases]})


def multi_agency(d: Demo, spec: Values) -> None:
    """A baseline audit of a cohort: drawn, each agency's return filled in, findings agreed."""
    found = spec["findings"]
    plan = d.draw("multi-agency", spec["month"], spec["drawn"], cohort=spec["cohort"],
                  n_cases=len(found["cases"]), audit_id=spec["id"])  # fmt: skip
    rng, tool = random.Random(f"{S['seed']}/multi-agency"), d.tools[plan.rules.tools["CP"]]
    rows = {a.case.case: a.case for a in plan.result.allocations}
    grades = dict(zip(rows, spec["grades"], strict=True))
    for rel, _ in plan.returns[1:]:
        code, agency = Path(rel).stem.split("--")
        row, step = rows[code], rng.choice([-1, 0, 0, 1])  # agencies' grades differ a little
        grade = story.GRADES[max(0, min(3, RANK[grades[code]] + step))]
        n = PH["issues_found"].get(grade, rng.randint(0, 1))
        ids = rng.sample(spec["themes"][agency], min(n, len(spec["themes"][agency])))
        themes_found = story.themes_for(rng, tool, agency, row.age_band, n, ids)
        st = Story(rng, spec["cohort"], row.age_band, grade, themes_found, agency=agency)
        st.checked = story.working_day(rng, spec["completed"]["from"], spec["completed"]["to"])
        values = {"status": "returned", "completed": st.checked, "answers": story.answers(tool, st)}
        values |= {"grade": grade} | story.findings(st)
        values["strengths"] = story.block(st.pick(PH["texts"]["agency-did-well"]))
        met = f"{agency} of case {sorted(grades).index(code)}"  # App. E 7
        values["practitioner_feedback"] = spec["practitioner_feedback"].get(met)
        d.fill(rel, {k: v for k, v in values.items() if v is not None})
    d.fill(plan.returns[0][0], spec["scope"])
    agreed = [{"case": code} | c for code, c in zip(grades, found["cases"], strict=True)]
    head = f"# {found['intro']}\nschema: qa/multi-agency-findings@1\naudit: {spec['id']}\n"
    rel = f"multi-agency/{spec['id']}/findings.yaml"
    d.write(rel, head, {k: v for k, v in found.items() if k != "intro"} | {"cases": agreed})
    d.counts["n_agency_returns"] = len(plan.returns) - 1


def blank_and_fill(d: Demo, spec: Values, r: Values) -> None:
    """A record of records.yaml: its tool's blank (`qa new` with ``new:``), ``set:`` filled in."""
    new = dict(r["new"])
    if isinstance(new.get("case"), dict):  # the n-th unused case of a category
        new["case"] = d.unused(new["case"]["category"])[new["case"]["nth"]].case
        d.used.add(new["case"])
    d.fill(d.new(spec, new.pop("date"), **new), r.get("set", {}))


# How each kind of records.yaml is made: blank_and_fill unless the kind is listed here.
MAKERS: dict[str, Callable[[Demo, Values, Values], None]] = {
    "compliments": lambda d, spec, r: d.write(r["path"], r["head"], r["set"]),  # a whole file
}


@safewrite.unsynced()  # a tree made again from scratch: no file of it needs its own fsync
def build(out: Path) -> None:
    (out / "cases").mkdir(parents=True)
    shutil.copy(story.DATA / "qa.yaml", out / "qa.yaml")
    shutil.copytree(ROOT / "audit_tools", out / "audit_tools")
    shutil.copy(story.DATA / "gitignore", out / ".gitignore")
    d = Demo(out)
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
    d.counts |= {f"n_{k}": len(v["records"]) for k, v in REC.items()}
    text = (story.DATA / "repo-readme.md").read_text("utf-8").format(**d.counts)
    (out / "README.md").write_text(text, "utf-8")
    shutil.rmtree(out / ".qa", ignore_errors=True)  # the cache the loads left


def generate(out: Path = DEFAULT_OUT) -> None:
    """Write the demo repository to ``out``, replacing an earlier demo there."""
    if out.exists() and any(out.iterdir()):
        if not ((config := out / "qa.yaml").is_file() and MARKER in config.read_text("utf-8")):
            raise SystemExit(f"{out} exists and is not a Northbridge demo: not replacing it")
        shutil.rmtree(out)
    build(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help="folder to write")
    generate((args := parser.parse_args(argv)).out)
    print(f"wrote {sum(1 for p in args.out.rglob('*') if p.is_file())} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
