"""What leaders ask of the audit programme, from the returns of a period (plain data).

- **On time**: a return is on time when it was completed by its due date (the return's ``due``,
  else ``due.return_months`` after allocation). Returns not completed and not yet due are not
  counted either way; returns not completed and past due count as late. By auditor (each
  auditor of a pair), by pair and by Service Manager (App. D: "managers who fail to complete
  audits on time are identified").
- **Strengths**: the first point of each return's ``strengths``, best grades first.
- **The child's voice**: the questions about the child's wishes and feelings (line of enquiry
  ``wishes-and-feelings``), with their answers and the auditors' comments.
- **Actions**: completion rate (done or verified) and overdue, by owner.
- **Re-audit impact**: cases audited again, the grade before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from ..calendar import due_after_months
from ..models.common import GRADE_NAMES, GRADE_RANK
from ..models.config import Config
from ..stats import share
from . import plain
from .collate import AuditRec, action_rows, first_point
from .sheets import Column, sheet

CHILDS_VOICE = "wishes-and-feelings"


def _due(r: AuditRec, cfg: Config | None) -> dt.date:
    months = cfg.due.return_months if cfg else 2
    return r.audit.due or due_after_months(r.audit.allocated, months)


def _on_time(r: AuditRec, cfg: Config | None, today: dt.date) -> bool | None:
    """True on time, False late, None not yet due (and not completed)."""
    due = _due(r, cfg)
    done = r.audit.completed
    if done is not None:
        return done <= due
    return False if today > due else None


def _rate_rows(groups: dict[str, list[bool]]) -> list[dict[str, Any]]:
    rows = []
    for label, results in groups.items():
        s = share(sum(results), len(results))
        rows.append({"label": label, "due": len(results), "on_time": sum(results), **plain(s)})
    rows.sort(key=lambda x: (x["value"] if x["value"] is not None else 2, x["label"]))
    return rows


def on_time(recs: Iterable[AuditRec], cfg: Config | None, today: dt.date) -> dict[str, Any]:
    """On-time return rates overall, by auditor, by pair and by Service Manager (worst first)."""
    staff = cfg.staff_by_id() if cfg else {}

    def name(sid: str) -> str:
        return staff[sid].name if sid in staff else sid

    by_auditor: dict[str, list[bool]] = {}
    by_pair: dict[str, list[bool]] = {}
    by_sm: dict[str, list[bool]] = {}
    overall: list[bool] = []
    for r in recs:
        result = _on_time(r, cfg, today)
        if result is None:
            continue
        overall.append(result)
        for a in r.audit.auditors:
            by_auditor.setdefault(name(a), []).append(result)
            if a in staff and "service_manager" in staff[a].roles:
                by_sm.setdefault(name(a), []).append(result)
        pair = " and ".join(sorted(name(a) for a in r.audit.auditors))
        by_pair.setdefault(pair, []).append(result)
    return {
        "overall": {"due": len(overall), **plain(share(sum(overall), len(overall)))},
        "auditors": _rate_rows(by_auditor),
        "pairs": _rate_rows(by_pair),
        "service_managers": _rate_rows(by_sm),
    }


def strengths(recs: Iterable[AuditRec], limit: int = 8) -> list[dict[str, str]]:
    """The first point of each return's strengths, best grades first."""
    ordered = sorted(
        (r for r in recs if r.counted and (r.audit.strengths or "").strip()),
        key=lambda r: (-GRADE_RANK.get(r.grade or "", 0), r.path),
    )
    out = []
    for r in ordered[:limit]:
        text = first_point(r.audit.strengths or "")
        out.append(
            {"case": r.audit.case, "team": r.audit.team, "grade": r.grade or "", "text": text}
        )
    return out


def childs_voice(recs: Iterable[AuditRec], comments: int = 3) -> list[dict[str, Any]]:
    """Each question about the child's wishes and feelings: answers counted, comments quoted."""
    rows: dict[str, dict[str, Any]] = {}
    for r in recs:
        if not r.counted:
            continue
        for a in r.answers:
            if a.line_of_enquiry != CHILDS_VOICE:
                continue
            row = rows.setdefault(
                a.question,
                {"question": a.question, "text": a.text, "answers": {}, "comments": []},
            )
            said = [a.comment] if a.comment else []
            if a.type in ("text", "textarea"):
                said.append(str(a.value))  # what the auditor wrote is itself the finding
            else:
                value = GRADE_NAMES.get(str(a.value), str(a.value))
                row["answers"][value] = row["answers"].get(value, 0) + 1
            for text in (" ".join(t.split()) for t in said if t):
                if text not in row["comments"] and len(row["comments"]) < comments:
                    row["comments"].append(text)
    out = list(rows.values())
    for row in out:
        row["summary"] = ", ".join(f"{k}: {v}" for k, v in sorted(row["answers"].items()))
        row["answered"] = sum(row["answers"].values())
    return out


def leaders_block(
    cfg: Config | None, earlier: Sequence[AuditRec], recs: Sequence[AuditRec], today: dt.date
) -> dict[str, Any]:
    """What senior leaders ask of a period's returns: on time, strengths, the child's voice and
    re-audits (against ``earlier``, the returns a case may have had before)."""
    return {
        "on_time": on_time(recs, cfg, today),
        "strengths": strengths(recs),
        "childs_voice": childs_voice(recs),
        "reaudits": reaudit_impact(earlier, recs),
    }


def actions_by_owner(
    recs: Sequence[AuditRec], today: dt.date, names: dict[str, str]
) -> dict[str, Any]:
    """Action completion (done or verified) overall and by owner, with overdue counts."""
    acts = action_rows(recs, today)
    owners: dict[str, dict[str, int]] = {}
    for a in acts:
        o = owners.setdefault(
            a["owner"], {"total": 0, "open": 0, "done": 0, "verified": 0, "overdue": 0}
        )
        o["total"] += 1
        o[a["status"]] += 1
        o["overdue"] += a["overdue"]
    rows = [
        {
            "owner": names.get(k, k),
            **v,
            "completion": plain(share(v["done"] + v["verified"], v["total"])),
        }
        for k, v in owners.items()
    ]
    rows.sort(key=lambda x: (-x["overdue"], -x["open"], x["owner"]))
    completed = sum(1 for a in acts if a["status"] in ("done", "verified"))
    return {
        "total": len(acts),
        "completed": completed,
        "completion": plain(share(completed, len(acts))),
        "overdue": sum(1 for a in acts if a["overdue"]),
        "owners": rows,
    }


def reaudit_impact(all_recs: Sequence[AuditRec], period: Sequence[AuditRec]) -> dict[str, Any]:
    """Cases of the period audited before: the earlier grade against the period's grade."""
    earlier: dict[str, list[AuditRec]] = {}
    for r in all_recs:
        if r.counted and r.grade:
            earlier.setdefault(r.audit.case, []).append(r)
    rows = []
    for r in period:
        if not (r.counted and r.grade):
            continue
        before = [
            e
            for e in earlier.get(r.audit.case, [])
            if e is not r
            and (e.audit.completed or e.audit.allocated) < (r.audit.completed or r.audit.allocated)
        ]
        if not before:
            continue
        prev = max(before, key=lambda e: e.audit.completed or e.audit.allocated)
        step = GRADE_RANK[r.grade] - GRADE_RANK[prev.grade or r.grade]
        rows.append(
            {
                "case": r.audit.case,
                "team": r.audit.team,
                "before": prev.grade,
                "before_month": prev.month,
                "after": r.grade,
                "change": "better" if step > 0 else "worse" if step < 0 else "same",
            }
        )
    return {
        "rows": rows,
        "better": sum(1 for x in rows if x["change"] == "better"),
        "same": sum(1 for x in rows if x["change"] == "same"),
        "worse": sum(1 for x in rows if x["change"] == "worse"),
    }


def _rate_sheet_rows(on: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for kind, key in (("Service Manager", "service_managers"), ("Pair", "pairs")):
        for x in on[key]:
            rows.append([kind, x["label"], x["due"], x["on_time"], x["value"], x["low"], x["high"]])
    for x in on["auditors"]:
        rows.append(
            ["Auditor", x["label"], x["due"], x["on_time"], x["value"], x["low"], x["high"]]
        )
    return rows


_ON_TIME_COLUMNS: list[Column] = [
    ("By", 0),
    ("Who", 1),
    ("Due", 2),
    ("On time", 3),
    ("Share", 4),
    ("95% low", 5),
    ("95% high", 6),
]
_BY_OWNER_COLUMNS: list[Column] = [
    ("Owner", "owner"),
    ("Actions", "total"),
    ("Open", "open"),
    ("Overdue", "overdue"),
    ("Done", "done"),
    ("Verified", "verified"),
    ("Completed", lambda o: o["completion"]["value"]),
]
_STRENGTH_COLUMNS: list[Column] = [
    ("Case", "case"),
    ("Team", "team"),
    ("Grade", lambda x: GRADE_NAMES.get(x["grade"], x["grade"])),
    ("Strength", "text"),
]
_CHILDS_VOICE_COLUMNS: list[Column] = [
    ("Question", "text"),
    ("Answers", "summary"),
    ("What the auditors found", lambda q: "\n".join(q["comments"])),
]
_REAUDIT_COLUMNS: list[Column] = [
    ("Case", "case"),
    ("Team", "team"),
    ("Before", lambda x: GRADE_NAMES.get(x["before"], x["before"])),
    ("Month before", "before_month"),
    ("After", lambda x: GRADE_NAMES.get(x["after"], x["after"])),
    ("Change", "change"),
]


def workbook_sheets(leaders: dict[str, Any], by_owner: dict[str, Any]) -> list[dict[str, Any]]:
    """The workbook sheets of :func:`on_time`, :func:`actions_by_owner`, :func:`strengths`,
    :func:`childs_voice` and :func:`reaudit_impact` (report data, after :func:`plain`)."""
    return [
        sheet(
            "On time",
            _ON_TIME_COLUMNS,
            _rate_sheet_rows(leaders["on_time"]),
            percent=["Share", "95% low", "95% high"],
            percent_columns=[4, 5, 6],  # emptied by redaction beside a small count
        ),
        sheet(
            "Actions by owner",
            _BY_OWNER_COLUMNS,
            by_owner["owners"],
            percent=["Completed"],
            percent_columns=[6],
        ),
        sheet("Strengths", _STRENGTH_COLUMNS, leaders["strengths"], grades=["Grade"]),
        sheet("Child's voice", _CHILDS_VOICE_COLUMNS, leaders["childs_voice"]),
        sheet(
            "Re-audits", _REAUDIT_COLUMNS, leaders["reaudits"]["rows"], grades=["Before", "After"]
        ),
    ]
