"""`qa actions list --format json` names the overdue days as `qa due` does (`days_overdue`)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import AS_OF


def test_days_overdue_matches_qa_due_and_the_old_field_stays(mini_repo, run) -> None:
    def listed() -> list[dict]:
        out = run("actions", "list", "--as-of", AS_OF, "--repo", mini_repo, "-f", "json")
        assert out.exit_code == 0, out.output
        return json.loads(out.output)

    first = listed()[0]  # one action done, so the list has open and done ones
    done = run("actions", "done", first["path"], first["id"], "--as-of", AS_OF, "--repo", mini_repo)
    assert done.exit_code == 0, done.output
    rows = listed()
    today = dt.date.fromisoformat(AS_OF)
    assert any(r["status"] == "open" for r in rows) and any(r["status"] != "open" for r in rows)
    for r in rows:
        if r["status"] == "open":
            assert r["days_overdue"] == (today - dt.date.fromisoformat(r["due"])).days
        else:
            assert r["days_overdue"] is None
        assert r["overdue_days"] == max(r["days_overdue"] or 0, 0)  # the old field, one release
    due = run("due", "--as-of", AS_OF, "--repo", mini_repo, "-f", "json", "--within", "400")
    items = [i for i in json.loads(due.output)["items"] if i["kind"] == "action"]
    assert items
    # an open action is one `qa due` item, with the same count of days
    from_list = {(r["path"], r["due"]): r["days_overdue"] for r in rows if r["status"] == "open"}
    same = [i for i in items if (i["path"], i["due"]) in from_list]
    assert same
    for i in same:
        assert i["days_overdue"] == from_list[(i["path"], i["due"])]
