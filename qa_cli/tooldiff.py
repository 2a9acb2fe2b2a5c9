"""What a new version of an audit tool changes, and which changes break comparison over time.

Returns name their tool version, and collation across versions joins answers by question id.
A change is *breaking* when answers to the old version can no longer be read the same way
under the new one: a question removed or renamed (its id changed), its choices recoded (an
option removed or renamed), or its scale changed (a different answer type). Wording, guidance,
new questions and new options are listed but do not break.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .models.tool import Question, Tool


@dataclass(frozen=True)
class Change:
    what: str  # removed, renamed, added, scale, choices, wording, ...
    question: str | None
    detail: str
    breaking: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _answer_set(q: Question) -> list[str] | None:
    from .validation.tools import possible_answers

    return possible_answers(q)


def _renames(old: dict[str, Question], new: dict[str, Question]) -> dict[str, str]:
    """Removed ids whose question reappears under a new id with the same text: old -> new."""
    gone = [i for i in old if i not in new]
    added = {" ".join(new[i].text.lower().split()): i for i in new if i not in old}
    out: dict[str, str] = {}
    for i in gone:
        match = added.get(" ".join(old[i].text.lower().split()))
        if match is not None:
            out[i] = match
    return out


def _question_changes(qid: str, a: Question, b: Question) -> list[Change]:
    out: list[Change] = []
    if a.type != b.type:
        out.append(Change("scale", qid, f"answer type {a.type} -> {b.type}", True))
    else:
        before, after = _answer_set(a), _answer_set(b)
        if a.type in ("choice", "multi_choice") and before is not None and after is not None:
            dropped = [o for o in before if o not in after]
            new_opts = [o for o in after if o not in before]
            if dropped:
                out.append(
                    Change(
                        "choices",
                        qid,
                        "options removed or recoded: "
                        + ", ".join(dropped)
                        + (f" (new: {', '.join(new_opts)})" if new_opts else ""),
                        True,
                    )
                )
            elif new_opts:
                out.append(Change("options", qid, "options added: " + ", ".join(new_opts), False))
    if a.text != b.text:
        out.append(Change("wording", qid, "question text reworded", False))
    if a.required != b.required:
        now = "required" if b.required else "optional"
        out.append(Change("required", qid, f"now {now}", False))
    for attr, label in (
        ("guidance", "guidance"),
        ("descriptors", "grade descriptors"),
        ("comment_required_if", "when a comment is required"),
        ("applies_if", "when the question applies"),
        ("line_of_enquiry", "line of enquiry"),
    ):
        if getattr(a, attr) != getattr(b, attr):
            out.append(Change("detail", qid, f"{label} changed", False))
    return out


def diff_tools(old: Tool, new: Tool) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking ones first."""
    qa, qb = old.questions(), new.questions()
    renamed = _renames(qa, qb)
    out: list[Change] = []
    for qid in qa:
        if qid in renamed:
            out.append(Change("renamed", qid, f"id changed to {renamed[qid]}", True))
        elif qid not in qb:
            out.append(Change("removed", qid, "question removed", True))
    targets = set(renamed.values())
    for qid, q in qb.items():
        if qid not in qa and qid not in targets:
            flag = "required" if q.required and q.applies_if is None else "optional"
            out.append(Change("added", qid, f"new {q.type} question ({flag})", False))
    for qid in qa:
        if qid in qb:
            out += _question_changes(qid, qa[qid], qb[qid])
        elif qid in renamed:
            out += _question_changes(renamed[qid], qa[qid], qb[renamed[qid]])
    if old.title != new.title:
        out.append(Change("title", None, f"title: {old.title!r} -> {new.title!r}", False))
    if old.categories != new.categories:
        out.append(Change("categories", None, "case categories changed", False))
    sections_a = [s.id for s in old.sections]
    sections_b = [s.id for s in new.sections]
    if sections_a != sections_b:
        out.append(Change("sections", None, "sections added, removed or reordered", False))
    return sorted(out, key=lambda c: not c.breaking)
