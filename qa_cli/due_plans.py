"""What `qa due` chases of the improvement plans as records (§5.2.5, §5.3.2, §6.2-6.4, App. D).

* the recommendations of a report's plan, and the items of a team review or Team Manager's
  overview: actions, through :func:`qa_cli.due._actions` like any action plan;
* ``team_overview``: the overview of the team's audits of a month, written and reported to the
  Service Manager, then the team exercise held (App. D). A month whose sample allocated cases to
  a team but that has no overview is chased from the first month any overview was written, so
  a repository that does not keep overviews yet gets no backlog;
* ``team_review``: a review still in draft, and each team's next six-monthly review.
"""

from __future__ import annotations

import datetime as dt

from . import layout
from .calendar import add_months, add_working_days, month_end
from .due import _actions, _Builder
from .models.improvement import ImprovementPlan, TeamOverview, TeamReview
from .models.sample import Sample

CaseAudits = dict[str, list[tuple[dt.date, str]]]


def _month_after(month: str, months: int) -> str:
    return add_months(dt.date(int(month[:4]), int(month[5:7]), 1), months).strftime("%Y-%m")


def _plans(b: _Builder, case_audits: CaseAudits) -> None:
    for lf, m in b.repo.entries(ImprovementPlan):
        what = f"the {m.report} report of {m.month}" + (f" ({m.theme})" if m.theme else "")
        _actions(b, lf, m.recommendations, what, None, None, None, case_audits)


def _overview_due(b: _Builder, month: str) -> dt.date:
    """The month's returns fall due ``return_months`` later; the overview follows them."""
    returns_due = month_end(_month_after(month, b.rules.return_months))
    return add_working_days(returns_due, b.rules.team_overview_working_days)


def _overview_steps(b: _Builder, lf_rel: str, m: TeamOverview) -> None:
    due = _overview_due(b, m.month)
    label = f"{m.team}'s audits of {m.month}"
    if m.status != "completed":
        title = f"Write the Team Manager's overview of {label} (App. D)"
    elif m.reported_to_service_manager is None:
        title = f"Report the overview of {label} to the Service Manager"
    elif m.team_exercise.held is None:
        due = m.team_exercise.planned or add_working_days(
            m.reported_to_service_manager, b.rules.team_exercise_working_days
        )
        title = f"Hold the team exercise on the findings of {label} (App. D)"
    else:
        return
    b.add("team_overview", m.team_manager, m.team, due, lf_rel, f"{m.team}@{m.month}", title)


def _overviews(b: _Builder, case_audits: CaseAudits) -> None:
    written: set[tuple[str, str]] = set()
    for lf, m in b.repo.entries(TeamOverview):
        written.add((m.team, m.month))
        _overview_steps(b, lf.rel, m)
        context = f"the overview of {m.team}'s audits of {m.month}"
        _actions(b, lf, m.actions, context, m.team, None, None, case_audits)
    if not written:
        return
    since = min(month for _, month in written)
    for s in b.repo.models(Sample):
        if s.programme != "single-agency" or s.month < since:
            continue
        done = {team for team, month in written if month == s.month}
        for team in sorted({a.team for a in s.allocations} - done):
            manager = b.teams[team].manager if team in b.teams else None
            b.add(
                "team_overview",
                manager,
                team,
                _overview_due(b, s.month),
                layout.team_overview_path(s.month, team),
                f"{team}@{s.month}",
                f"Write the Team Manager's overview of {team}'s audits of {s.month} (App. D): "
                f"`qa new team-overview --team {team} --month {s.month}`",
            )


def _reviews(b: _Builder, case_audits: CaseAudits) -> None:
    last: dict[str, str] = {}
    for lf, m in b.repo.entries(TeamReview):
        context = f"the team review of {m.team} ({m.first_month} to {m.last_month})"
        for key in ("support", "team_sessions", "service_development"):
            _actions(b, lf, getattr(m, key), context, m.team, None, None, case_audits)
        last[m.team] = max(last.get(m.team, m.last_month), m.last_month)
        if m.status != "agreed":
            b.add(
                "team_review",
                m.team_manager,
                m.team,
                add_working_days(month_end(m.last_month), b.rules.team_review_working_days),
                lf.rel,
                f"{m.team}@{m.last_month}",
                f"Agree the priorities and improvement plan of {context} (§6.3-6.4)",
            )
    every = b.rules.team_review_every_months
    if every <= 0:
        return
    for team, month in sorted(last.items()):
        nxt = _month_after(month, every)
        manager = b.teams[team].manager if team in b.teams else None
        b.add(
            "team_review",
            manager,
            team,
            add_working_days(month_end(nxt), b.rules.team_review_working_days),
            layout.team_review_path(nxt, team),
            f"{team}@{nxt}",
            f"Six-monthly review of {team} to {nxt} (§6.2; the last ran to {month}): "
            f"`qa new team-review --team {team} --month {nxt}`",
        )


def due_plans(b: _Builder, case_audits: CaseAudits) -> None:
    """Add the items of improvement plans, team overviews and team reviews to ``b``."""
    _plans(b, case_audits)
    _overviews(b, case_audits)
    _reviews(b, case_audits)
