"""The hostile corpus as data: what to plant in a copy of the demo repository, what to run,
and what must come out (exit code, the file or option named).

Placeholders in ``args``: ``{repo}`` the repository, ``{world}`` the folder holding it and
``outside/`` (a folder that is not part of it), ``{ret}`` the return planted on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .payloads import (
    CONFIG_PAYLOADS,
    CSV_PAYLOADS,
    EXPORT_PAYLOADS,
    YAML_PAYLOADS,
    far_action_due,
)

AS_OF = "2026-11-29"
RET = "audits/2026-10/C-N65NM2H5--single-agency-safeguarding.yaml"
NEW = "audits/2026-10/zz-planted.yaml"
SAMPLE = "samples/2026-10.yaml"
CONFIG = "qa.yaml"
CASE_LIST = "cases/2026-10-28.csv"
# `qa new` of a practice observation: a write of a new file, used by two cases
NEW_OBSERVATION = (
    "new", "practice-observation", "--worker", "sw-aakhtar", "--auditor", "tm-jpatel",
    "--date", "2026-11-20", "--as-of", AS_OF,
)  # fmt: skip

Plant = bytes | Callable[[str], bytes]


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    exit: int | tuple[int, ...]
    names: str | None  # text the output must hold: the offending file or option
    plant: tuple[tuple[str, Plant], ...] = ()  # path in the repository ("@" = in the world)
    links: tuple[tuple[str, str], ...] = ()  # link in the repository -> target in the world
    condition: str | None = None  # "readonly" or "fulldisk"
    repo_option: bool = True
    env: tuple[tuple[str, str], ...] = field(default=())


CASES: list[Case] = []


def add(case: Case) -> None:
    assert case.id not in {c.id for c in CASES}, case.id
    CASES.append(case)


# Files whose payload `qa validate` reports at the file, with exit 1 (and the others run on).
_VALID_RENDER_CLEAN = {"bom-crlf-valid"}
for name, payload in YAML_PAYLOADS.items():
    expected_exit = 0 if name in _VALID_RENDER_CLEAN else 1
    add(
        Case(
            f"validate-return-{name}",
            ("validate",),
            expected_exit,
            None if expected_exit == 0 else RET,
            plant=((RET, payload),),
        )
    )
    if name not in _VALID_RENDER_CLEAN:
        add(Case(f"validate-newfile-{name}", ("validate",), 1, NEW, plant=((NEW, payload),)))
        add(Case(f"validate-sample-{name}", ("validate",), 1, SAMPLE, plant=((SAMPLE, payload),)))

# A return that fails validation breaks no other command: they leave it out.
for name in ("deep-flow", "far-completed", "merge-key", "utf16-le-no-bom", "nul-bytes"):
    payload = YAML_PAYLOADS[name]
    for cmd in (
        ("due", "--as-of", AS_OF),
        ("due", "--as-of", AS_OF, "--ics", "{world}/outside/due.ics"),
        ("actions", "list", "--as-of", AS_OF),
        ("grades",),
        ("retention", "--as-of", AS_OF),
    ):
        if "--ics" in cmd and name not in ("far-completed", "deep-flow"):
            continue
        # --ics writes its file: outside the snapshot only when it is refused, so these
        # cases write to the world and are checked with exit 0 and no internal problem.
        label = "-".join(c for c in cmd if not c.startswith(("-", "2", "{")))
        label += "-ics" if "--ics" in cmd else ""
        add(Case(f"{label}-with-{name}", cmd, 0, None, plant=((RET, payload),)))
add(
    Case(
        "due-ics-far-action-due",
        ("due", "--as-of", AS_OF, "--ics", "{world}/outside/d.ics"),
        0,
        None,
        plant=((RET, far_action_due),),
    )
)
add(Case("validate-far-action-due", ("validate",), 1, RET, plant=((RET, far_action_due),)))

# An invalid qa.yaml: every command stops with exit 2 naming qa.yaml (validate: exit 1).
_CONFIG_COMMANDS: dict[str, tuple[str, ...]] = {
    "due": ("due", "--as-of", AS_OF),
    "moderate": ("moderate", "--month", "2026-10", "--as-of", AS_OF),
    "sample": ("sample", "--month", "2026-11", "--as-of", AS_OF),
    "new": NEW_OBSERVATION,
    "actions": ("actions", "list", "--as-of", AS_OF),
    "grades": ("grades",),
    "report": ("report", "monthly", "--month", "2026-10", "--as-of", AS_OF),
    "retention": ("retention", "--as-of", AS_OF),
}
for name in CONFIG_PAYLOADS:
    payload = YAML_PAYLOADS[name]
    add(Case(f"validate-config-{name}", ("validate",), 1, "qa.yaml", plant=((CONFIG, payload),)))
    for label, cmd in _CONFIG_COMMANDS.items():
        if name not in ("deep-flow", "merge-key", "nul-bytes", "a-list", "syntax-error") and (
            label not in ("moderate", "due")
        ):
            continue
        add(Case(f"{label}-config-{name}", cmd, 2, "qa.yaml", plant=((CONFIG, payload),)))

# A broken sample file: the commands that read it name it.
for name in ("deep-flow", "merge-key", "far-allocated", "nul-bytes", "syntax-error"):
    payload = YAML_PAYLOADS[name]
    add(
        Case(
            f"moderate-sample-{name}",
            ("moderate", "--month", "2026-10", "--as-of", AS_OF),
            (1, 2),
            "2026-10",
            plant=((SAMPLE, payload),),
        )
    )
    add(
        Case(
            f"verify-sample-{name}",
            ("sample", "--verify", "2026-10"),
            (1, 2),
            "2026-10",
            plant=((SAMPLE, payload),),
        )
    )


def _escaping_file(text: str) -> bytes:
    return text.replace("file: audits/", "file: audits/../../../", 1).encode()


add(
    Case(
        "validate-sample-file-escapes", ("validate",), 1, SAMPLE, plant=((SAMPLE, _escaping_file),)
    )
)

# A broken case list of the repository: `qa sample` names it.
for name, data in CSV_PAYLOADS.items():
    add(
        Case(
            f"sample-caselist-{name}",
            ("sample", "--month", "2026-11", "--as-of", AS_OF, "--cases", CASE_LIST),
            2,
            "2026-10-28.csv",
            plant=((CASE_LIST, data),),
        )
    )

# Hostile exports for `qa cases import` (outside the repository, as they should be).
for name, (file_name, data) in EXPORT_PAYLOADS.items():
    add(
        Case(
            f"cases-import-{name}",
            ("cases", "import", f"{{world}}/outside/{file_name}", "--as-of", AS_OF),
            (1, 2),
            file_name,
            plant=((f"@outside/{file_name}", data),),
            env=(("QA_CASE_KEY", "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"),),
        )
    )

# Options out of range or malformed: refused when read, exit 2, the option named.
_DATED = {
    "due": ("due",),
    "actions-list": ("actions", "list"),
    "sample": ("sample", "--month", "2026-11"),
    "moderate": ("moderate", "--month", "2026-10"),
    "retention": ("retention",),
    "report-monthly": ("report", "monthly", "--month", "2026-10"),
    "new": ("new", "practice-observation", "--worker", "sw-aakhtar", "--auditor", "tm-jpatel"),
}
for label, cmd in _DATED.items():
    for value in ("0001-01-01", "9999-12-31", "yesterday", "2026-02-30"):
        add(Case(f"{label}-as-of-{value}", (*cmd, "--as-of", value), 2, "--as-of"))
_MONTHLY = {
    "sample": ("sample", "--as-of", AS_OF, "--month"),
    "moderate": ("moderate", "--as-of", AS_OF, "--month"),
    "report-monthly": ("report", "monthly", "--as-of", AS_OF, "--month"),
    "grades-from": ("grades", "--from"),
    "verify": ("sample", "--verify"),
}
for label, cmd in _MONTHLY.items():
    for value in ("9999-12", "0000-01", "2026-13", "../x"):
        option = {"grades-from": "--from", "verify": "--verify"}.get(label, "--month")
        add(Case(f"{label}-month-{value.replace('/', '_')}", (*cmd, value), 2, option))
for args, option in (
    (("retention", "--years", "100000"), "--years"),
    (("retention", "--years", "0"), "--years"),
    (("due", "--within", "99999999"), "--within"),
    (("due", "--within", "-1"), "--within"),
    (("report", "complaints", "--year", "99999"), "--year"),
    (("report", "observations", "--year", "0"), "--year"),
    (("report", "team", "--team", "x", "--half", "2026-H3"), "--half"),
    (("sample", "--month", "2026-11", "--programme", "multi-agency", "--size", "0"), "--size"),
    (("moderate", "--month", "2026-10", "--share", "-1"), "--share"),
    (("moderate", "--month", "2026-10", "--share", "7"), "--share"),
    (("new", "practice-observation", "--date", "9999-12-31"), "--date"),
):
    add(Case(f"option-{'-'.join(a.strip('-') for a in args[-2:])}", args, 2, option))

# Ids that would leave the repository or are not names: refused before any path is made.
for value in ("../../../../X", "..", "a/b", "/tmp/x", "x\\y", ".hidden", "a" * 81, "a b"):
    tag = {"..": "dotdot", "a" * 81: "too-long", "a b": "space"}.get(
        value, value.strip("./\\").replace("/", "_").replace("\\", "_") or "dots"
    )
    add(
        Case(
            f"new-theme-{tag}",
            (
                "new",
                "themed-supervision",
                "--theme",
                value,
                "--month",
                "2026-11",
                "--case",
                "C-N65NM2H5",
                "--auditor",
                "qa-abanks",
                "--as-of",
                AS_OF,
            ),
            2,
            "--theme",
        )
    )
    add(
        Case(
            f"new-audit-id-{tag}",
            ("new", "multi-agency", "--audit-id", value, "--as-of", AS_OF),
            2,
            "--audit-id",
        )
    )
    add(
        Case(
            f"sample-audit-id-{tag}",
            (
                "sample",
                "--programme",
                "multi-agency",
                "--month",
                "2026-11",
                "--audit-id",
                value,
                "--as-of",
                AS_OF,
            ),
            2,
            "--audit-id",
        )
    )
for option in ("--worker", "--team", "--agency"):
    add(
        Case(
            f"new-{option.strip('-')}-escape",
            ("new", "practice-observation", option, "../../x", "--as-of", AS_OF),
            2,
            option,
        )
    )

# Path arguments outside the repository, through links, or of the wrong kind.
for target, label in (
    ("/etc/passwd", "etc-passwd"),
    ("{world}/outside", "outside-folder"),
    ("{world}/outside/secret.yaml", "outside-file"),
    ("{repo}/audits/link-out.yaml", "link-to-outside"),
):
    add(
        Case(
            f"validate-path-{label}",
            ("validate", target),
            2,
            "outside the audit repository",
            links=(("audits/link-out.yaml", "outside/secret.yaml"),),
        )
    )
add(Case("validate-path-missing", ("validate", "{repo}/nope.yaml"), 2, "nope.yaml"))
for target, label in (
    ("{world}/outside/secret.yaml", "outside-file"),
    ("{repo}/audits/link-out.yaml", "link-to-outside"),
):
    for sub in (
        ("done", "{target}", "A1"),
        ("verify", "{target}", "A1", "--by", "qa-abanks"),
        ("acknowledge", "{target}", "--by", "qa-abanks"),
    ):
        args = ("actions", *(a.replace("{target}", target) for a in sub), "--as-of", AS_OF)
        add(
            Case(
                f"actions-{sub[0]}-{label}",
                args,
                2,
                "outside the audit repository",
                links=(("audits/link-out.yaml", "outside/secret.yaml"),),
            )
        )
add(
    Case(
        "actions-done-missing",
        ("actions", "done", "nope.yaml", "A1", "--as-of", AS_OF),
        2,
        "no audit return",  # the value given is masked (it could be a case id)
    )
)
add(
    Case(
        "schema-out-is-a-file",
        ("schema", "export", "--out", "{world}/outside/secret.yaml"),
        2,
        "--out",
    )
)
add(
    Case(
        "schema-out-is-a-link",
        ("schema", "export", "--out", "{world}/outside/link"),
        2,
        "--out",
        links=(("@outside/link", "outside"),),
    )
)
add(Case("due-ics-is-a-folder", ("due", "--as-of", AS_OF, "--ics", "{world}/outside"), 2, "--ics"))
add(
    Case(
        "due-ics-is-a-link",
        ("due", "--as-of", AS_OF, "--ics", "{world}/outside/cal.ics"),
        2,
        "--ics",
        links=(("@outside/cal.ics", "outside/secret.yaml"),),
    )
)
add(
    Case(
        "due-ics-no-folder", ("due", "--as-of", AS_OF, "--ics", "{world}/nope/cal.ics"), 2, "--ics"
    )
)
add(
    Case(
        "due-ics-not-a-calendar",
        ("due", "--as-of", AS_OF, "--ics", "{world}/outside/secret.yaml"),
        2,
        "secret.yaml",
    )
)
for label, target, data in (
    ("missing", "{world}/outside/pw", None),
    ("folder", "{world}/outside", None),
    ("huge", "{world}/outside/pw", b"x" * 100_000),
    ("empty", "{world}/outside/pw", b""),
    ("utf16", "{world}/outside/pw", "secret".encode("utf-16-le")),
):
    add(
        Case(
            f"report-password-file-{label}",
            (
                "report",
                "monthly",
                "--month",
                "2026-10",
                "--as-of",
                AS_OF,
                "--password-file",
                target,
            ),
            2,
            "password",
            plant=(("@outside/pw", data),) if data is not None else (),
        )
    )
add(
    Case(
        "cases-import-missing",
        ("cases", "import", "{world}/nope.csv", "--as-of", AS_OF),
        2,
        "nope.csv",
        env=(("QA_CASE_KEY", "synthetic-Vq7#pL2x!Rm9@Tz4$Wn6^Yb8&Hc3*Jd5%"),),
    )
)
add(Case("repo-missing", ("due", "--repo", "{world}/nowhere"), 2, "nowhere", repo_option=False))
add(
    Case(
        "repo-is-a-file",
        ("validate", "--repo", "{world}/outside/secret.yaml"),
        2,
        "is a file",
        repo_option=False,
    )
)

# Links in the repository that lead out: reported or refused, never read or written through.
# `qa validate` reports each at its path (exit 1).
for case_id, link, target in (
    ("validate-link-folder-out", "audits/outside-folder", "outside"),
    ("validate-link-file-out", "audits/2026-10/stolen.yaml", "outside/secret.yaml"),
    ("validate-link-csv-out", "cases/2026-11-01.csv", "outside/secret.yaml"),
    ("validate-link-tool-out", "audit_tools/stolen.yaml", "outside/secret.yaml"),
    ("validate-config-link-out", "qa.yaml", "outside/secret.yaml"),
):
    add(Case(case_id, ("validate",), 1, link, links=((link, target),)))
add(
    Case(
        "sample-caselist-link-out",
        ("sample", "--month", "2026-11", "--as-of", AS_OF, "--cases", "cases/2026-11-01.csv"),
        2,
        "2026-11-01.csv",
        links=(("cases/2026-11-01.csv", "outside/secret.yaml"),),
    )
)
# A command that would write into a folder that is a link out refuses (exit 2), naming it.
for case_id, command, link in (
    ("moderate-qa-folder-link-out", "moderate", ".qa"),
    ("new-into-linked-folder", "new", "observations/2026"),
    ("report-into-linked-folder", "report", "reports"),
):
    named = link.split("/")[0]
    add(Case(case_id, _CONFIG_COMMANDS[command], 2, named, links=((link, "outside"),)))

# Read-only repository and full disk (made by the runner when it can, else skipped).
for label, cmd in (
    ("new", _CONFIG_COMMANDS["new"]),
    ("moderate", _CONFIG_COMMANDS["moderate"]),
    ("sample", _CONFIG_COMMANDS["sample"]),
    ("report", _CONFIG_COMMANDS["report"]),
    ("schema", ("schema", "export")),
):
    add(Case(f"readonly-{label}", cmd, 2, "read-only", condition="readonly"))
    add(Case(f"fulldisk-{label}", cmd, 2, "the disk is full", condition="fulldisk"))
