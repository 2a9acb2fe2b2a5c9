"""Reports read only their period (issue 16): the returns of other months as small summaries.

A monthly report compares its month with the six before (Good or better, moderation), finds
earlier audits of its cases (re-audits) and lists every safeguarding concern still open;
a quarter compares itself with the quarter before. None of that needs a return's answers,
actions or text: a **summary** of each return does (its tool, case, team, status, grades,
reviewer, auditors, dates and whether a concern is open). So a report loads in full:

* every file that is not a valid audit return (qa.yaml, tools, samples, plans, crib sheets,
  invalid files: they are few, and the report lists what could not be read);
* the returns its ``needs`` predicate asks for (its period and the returns with a concern
  it lists; a team review the team's; the themed report the themed audits'; the crib-sheet,
  monitoring and programme reports none), and any return whose summary is not known yet
  (read to make it, then dropped if not needed);

and every other return comes in as its summary (:attr:`Repository.summaries`), read from
``.qa/cache/summaries.json``. That store keeps, for each file, its size, modification time,
SHA-256 and summary; a file whose size or time moved is read and hashed again, and its
stored summary used only when the hash is the same (a file modified within two seconds of
the store's writing gets no trusted time). Like the rest of ``.qa/cache`` it is JSON of this
toolkit only, and anything odd in it is ignored: at worst a file is loaded in full, so the
report is the same as from a full load (``tests/acceptance/test_report_loading.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..cache import _write, read_store, toolkit_fingerprint
from ..models.audit import AuditReturn, QAReview
from ..reporoot import CONFIG_NAME
from ..repository import LoadedFile, Repository, gc_paused, yaml_paths

SUMMARIES_NAME = "summaries.json"
SUMMARIES_FORMAT = "qa-report-summaries/1"
AUDIT = "qa/audit"
_RACY_NS = 2_000_000_000  # as the validation cache: a file this fresh gets no trusted time

Summary = dict[str, Any]
Needs = Callable[[str, Summary], bool]  # (path, summary of a valid return) -> load it in full
_KEYS = {
    "kind": str,
    "tool": str,
    "case": str,
    "team": str,
    "status": str,
    "auditors": list,
    "allocated": str,
}
_OPTIONAL = ("grade", "agreed", "reviewer", "completed")


def summarise(lf: LoadedFile) -> Summary:
    """The summary of one loaded file: for a valid return what comparisons read of it;
    for anything else its kind only (such a file is always loaded in full)."""
    m = lf.model
    if not isinstance(m, AuditReturn):
        return {"kind": lf.kind if lf.model is not None else None}
    review, concern = m.qa_review, m.safeguarding_concern
    return {
        "kind": AUDIT,
        "tool": m.tool,
        "case": m.case,
        "team": m.team,
        "status": m.status,
        "auditors": list(m.auditors),
        "allocated": m.allocated.isoformat(),
        "completed": m.completed.isoformat() if m.completed else None,
        "grade": m.overall_grade,
        "agreed": review.agreed_grade if review else None,
        "reviewer": review.reviewer if review else None,
        "concern": None
        if concern is None
        else {
            "found": concern.found.isoformat(),
            "open": concern.acknowledged_on is None,
        },
    }


def is_return(s: object) -> bool:
    """True for the summary of a valid return as :func:`summarise` writes it (so a damaged
    or planted entry is never taken for one)."""
    if not isinstance(s, dict) or s.get("kind") != AUDIT:
        return False
    for k, t in _KEYS.items():
        if not isinstance(s.get(k), t):
            return False
    for k in _OPTIONAL:
        if s.get(k) is not None and not isinstance(s[k], str):
            return False
    for a in s["auditors"]:
        if not isinstance(a, str):
            return False
    concern = s.get("concern", 0)
    ok_concern = concern is None or (
        isinstance(concern, dict)
        and isinstance(concern.get("found"), str)
        and isinstance(concern.get("open"), bool)
    )
    try:
        dt.date.fromisoformat(s["allocated"])
        if s["completed"] is not None:
            dt.date.fromisoformat(s["completed"])
    except ValueError:
        return False
    return ok_concern


def audit_of(s: Summary) -> AuditReturn:
    """The return a summary stands for, holding the summarised fields only: never in a
    report's own period, so nothing reads its answers, actions or texts (those it lacks
    raise an error when read; the concern is left out: reports list a concern from the
    loaded return)."""
    review = None
    if s["agreed"] is not None:  # only the fields summarised: the others are never read
        summarised = {"agreed_grade": s["agreed"], "reviewer": s["reviewer"], "forwarded_to": []}
        review = constructed(QAReview, summarised)
    completed = dt.date.fromisoformat(s["completed"]) if s["completed"] else None
    fields: dict[str, Any] = {
        "tool": s["tool"],
        "case": s["case"],
        "team": s["team"],
        "status": s["status"],
        "auditors": list(s["auditors"]),
        "allocated": dt.date.fromisoformat(s["allocated"]),
        "completed": completed,
        "overall_grade": s["grade"],
        "qa_review": review,
        "safeguarding_concern": None,
        # given, not left to their defaults: pydantic's default factories cost more (it
        # inspects each factory's signature) than all the rest of a summary
        "answers": {},
        "actions": [],
    }
    return constructed(AuditReturn, fields)


M = TypeVar("M", bound=BaseModel)


def constructed(cls: type[M], fields: dict[str, Any]) -> M:
    """``cls.model_construct(**fields)`` (``fields`` by name, not alias) without its walk
    over every field's aliases and defaults, which cost more than the rest of a summary's
    return: an equal object (``tests/unit/test_report_summaries.py`` compares them)."""
    m = cls.__new__(cls)
    template = _layout(cls, tuple(fields))
    if template is None:  # a name that is no field: left out, as model_construct leaves it
        order, defaults = _fields_of(cls, frozenset(fields))
        values = {n: fields[n] if n in fields else defaults[n] for n in order}
    else:
        values = template.copy()  # every field set, in the fields' order: the given ones
        values.update(fields)  # replaced where they stand (two C calls, not a loop)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(fields))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


@functools.cache
def _layout(cls: type[BaseModel], given: tuple[str, ...]) -> dict[str, Any] | None:
    """The ``__dict__`` ``model_construct`` makes on ``cls`` given these fields, in field
    order, with each default in place and None where a given value goes; None when a name
    given is no field of ``cls``."""
    if not set(given) <= cls.model_fields.keys():
        return None
    order, defaults = _fields_of(cls, frozenset(given))
    return {n: defaults.get(n) for n in order}


@functools.cache
def _fields_of(cls: type[BaseModel], given: frozenset[str]) -> tuple[list[str], dict[str, Any]]:
    """The fields ``model_construct`` sets on ``cls`` given these, in order, and the defaults
    of those not given (a default factory's would be one object shared by every instance:
    refused)."""
    if cls.__pydantic_post_init__ or cls.__private_attributes__ or cls.__pydantic_root_model__:
        raise TypeError(f"{cls.__name__} needs model_construct")
    order, defaults = [], {}
    for name, f in cls.model_fields.items():
        if name in given:
            order.append(name)
        elif not f.is_required():
            if f.default_factory is not None:
                raise TypeError(f"{cls.__name__}.{name} has a default factory: give it")
            order.append(name)
            defaults[name] = f.default
    return order, defaults


@dataclass
class SummaryStore:
    """``.qa/cache/summaries.json``: each file's stamp (size, mtime_ns, SHA-256) and summary."""

    root: Path
    files: dict[str, list[Any]] = field(default_factory=dict)
    current: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> SummaryStore:
        store = cls(root=root)
        stored = read_store(root, SUMMARIES_NAME, SUMMARIES_FORMAT, "files")
        if stored is not None:
            store.files = {
                rel: e
                for rel, e in stored["files"].items()
                if isinstance(e, list)
                and len(e) == 4
                and isinstance(e[0], int)
                and isinstance(e[1], int)
                and isinstance(e[2], str)
            }
        return store

    def known(self, rel: str, path: Path | str) -> Summary | None:
        """The stored summary of ``rel`` when its bytes are those it was made from."""
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None  # a link or a special file: loaded, so loading says what it is
        entry = self.files.get(rel)
        if entry is None:
            return None
        size, mtime, sha, summary = entry
        if not isinstance(summary, dict):
            return None
        if (size, mtime) != (st.st_size, st.st_mtime_ns) or mtime < 0:
            try:
                with open(path, "rb") as fh:
                    sha_now = hashlib.sha256(fh.read()).hexdigest()
            except OSError:
                return None
            if sha_now != sha:
                return None
        self.current[rel] = [st.st_size, st.st_mtime_ns, sha, summary]
        return summary

    def add(self, lf: LoadedFile) -> Summary:
        """The summary of a file just loaded, remembered by the bytes it was read from (not
        remembered if the file changed since it was read)."""
        summary = summarise(lf)
        try:
            st = os.lstat(lf.path)
            raw = lf.path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        except OSError:
            return summary
        read_as = lf._stamp
        if raw is not None and (read_as is None or read_as == (st.st_size, st.st_mtime_ns)):
            sha = hashlib.sha256(raw).hexdigest()
            self.current[lf.rel] = [st.st_size, st.st_mtime_ns, sha, summary]
        return summary

    def save(self) -> None:
        """Write this run's entries (files gone are forgotten); nothing when unchanged."""
        now = time.time_ns()
        for entry in self.current.values():
            if entry[1] >= now - _RACY_NS:
                entry[1] = -1
        if self.current == self.files:
            return
        body = {
            "format": SUMMARIES_FORMAT,
            "toolkit": toolkit_fingerprint(),
            "files": self.current,
        }
        _write(self.root, json.dumps(body, separators=(",", ":")), SUMMARIES_NAME)


def no_returns(**options: Any) -> Needs:
    """For a report that reads no audit return itself (crib sheets, monitoring, multi-agency,
    complaints, observations): every return as its summary (due items still see them)."""
    return lambda rel, s: False


def load_for_report(root: Path, needs: Needs | None, *, use_cache: bool = True) -> Repository:
    """The repository as a report reads it: in full without ``needs`` (or ``use_cache``);
    else every file but the valid returns ``needs`` leaves out, which come as summaries.

    A return without a stored summary is read to make one and, when the report does not
    need it, dropped at once: memory holds the period, never the whole repository. The
    period's files are parsed (the parse cache, which holds every file, is not read)."""
    if needs is None or not use_cache:
        return Repository.load(root, require_config=True, use_cache=use_cache)
    from .modelstore import ModelStore, load_stored

    root = root.resolve()
    config, cut = str(root / CONFIG_NAME), len(str(root)) + 1
    # the collector paused from the start: the summaries' JSON alone is 200,000 objects (no
    # cycle), and its passes over them cost more than reading it
    with gc_paused(), ModelStore.open(root) as models:
        repo = Repository.load(root, [], require_config=True, exactly=True, use_cache=False)
        max_bytes = repo.config.limits.max_file_bytes
        store = SummaryStore.open(root)
        for p in yaml_paths(root):
            if p == config:
                continue
            rel = p[cut:].replace(os.sep, "/")
            s = store.known(rel, p)
            if s is None or not is_return(s) or needs(rel, s):
                lf, sha = load_stored(Path(p), root, rel, max_bytes, models)
                s = s if s is not None else store.add(lf)
                if not (is_return(s) and not needs(rel, s)):
                    repo.files.append(lf)
                    if sha is not None:
                        models.keep(sha, lf)
                    continue
            repo.summaries[rel] = s
        store.save()
        # the models of files still as they are (every return's SHA-256 is in the summaries)
        models.seen |= {e[2] for e in store.current.values()}
        models.save(prune=True)
    repo.selected = list(repo.files)
    return repo
