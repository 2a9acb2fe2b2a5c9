"""`make bench`: the rows of issue 16's table, measured side by side in one run.

    .venv/bin/python benchmarks/run.py [--returns 10000] [--50k] [--rss-only] [--no-peer]

It prints the issue's table (cold validate vs the peer, the second run vs the peer and vs
reading the bytes, one return edited, one file, the monthly report vs a warm validate,
`qa --help` vs a bare Typer app) and then the peak RSS of every command that reads the
repository, each a child process (10,000 returns; ``--50k`` for that table at 50,000).

A valid repository of N returns is generated deterministically from the example repository
and kept under ``benchmarks/.cache/`` (git-ignored) for the next run: each generated return
is a demo return under a new case code, spread over 36 months (``--months``; about 280 a
month at 10,000) ending with the demo's last month, each allocated in its month's sample; a
month before the demo's copies a demo month's returns and sample with its dates moved (the
draw's allocation and due dates as `qa sample` gives them, the others by whole weeks). It
validates with no findings. ``--months 3`` is the stress case: every return in the demo's
three months (3,345 a month at 10,000). The
peer, check-jsonschema, is installed into its own venv there too; when it cannot be
installed (no network) its rows say so and the rest still run. Every command runs as a
child process; its wall time is measured here and its peak RSS comes from ``os.wait4``.
Nothing is asserted: the figures are printed as a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-repo"
CACHE = ROOT / "benchmarks" / ".cache"
BIN = Path(sys.executable).parent
QA = BIN / "qa"
GENERATOR_VERSION = "4"
MONTHS = 36  # months the generated returns are spread over (--months); see RESULTS.md
REPEAT = 1  # runs of the quick measures, the best kept (--repeat)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE = re.compile(r"C-[0-9A-Z]{8}")


@dataclass
class Run:
    seconds: float
    rss_mib: float
    code: int
    cpu: float = 0.0  # user + system seconds of the child (and its workers)


def run(cmd: list[str | Path], cwd: Path | None = None) -> Run:
    """Run ``cmd`` to its end, discarding output; wall time and the child's peak RSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime)


def compile_toolkit(python: Path | None = None) -> None:
    """Byte-compile qa_cli, as installing a package does: with PYTHONDONTWRITEBYTECODE set
    (as on this machine) an editable checkout would otherwise compile every module it
    imports on every run, which no installed qa does (and the peer is installed).
    ``python``: another toolkit's interpreter (``--against``), whose qa_cli is compiled."""
    if python is None:
        package = ROOT / "qa_cli"
        python = Path(sys.executable)
    else:
        where = "import os, qa_cli; print(os.path.dirname(qa_cli.__file__))"
        found = subprocess.run([python, "-c", where], capture_output=True, text=True, check=True)
        package = Path(found.stdout.strip())
    subprocess.run(
        [python, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL
    )


# --- the generated repository ---------------------------------------------------------------


def _demo_fingerprint() -> str:
    h = hashlib.sha256(GENERATOR_VERSION.encode())
    for p in sorted(DEMO.rglob("*")):
        if p.is_file() and ".qa" not in p.relative_to(DEMO).parts:
            h.update(p.relative_to(DEMO).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _allocations(sample_text: str) -> tuple[str, str, str]:
    """A sample's text split into: up to its allocations, the allocations, what follows."""
    head, rest = sample_text.split("\nallocations:\n", 1)
    end = re.search(r"(?m)^\S", rest)
    cut = end.start() if end else len(rest)
    return head + "\nallocations:\n", rest[:cut], rest[cut:]


def _allocation_blocks(allocations: str) -> dict[str, str]:
    """Each allocation of a sample by case code, as its text block."""
    blocks = re.split(r"(?m)^(?=  - case: )", allocations)
    found = {}
    for b in blocks:
        m = _CODE.search(b)
        if b.startswith("  - case: ") and m:
            found[m[0]] = b if b.endswith("\n") else b + "\n"
    return found


def _found(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text`` (the demo's files have it)."""
    m = re.search(pattern, text)
    if m is None:
        raise SystemExit(f"the demo repository lacks {pattern!r}: the generator needs updating")
    return m[1]


def _month_list(last: str, count: int) -> list[str]:
    """``count`` consecutive months (YYYY-MM) ending with ``last``, oldest first."""
    year, month = int(last[:4]), int(last[5:7])
    index = year * 12 + month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


_DATE_OR_MONTH = re.compile(r"(?<![\d-])(?<!cases/)(\d{4}-\d{2})(-\d{2})?(?![\d-])")


@dataclass
class _Shift:
    """How a template month's text becomes another month's: its month string, its month's
    name, the allocation and due dates the draw's rules give that month (first working day;
    ``return_months`` later, on a working day), and every other date moved by whole weeks
    (so a working day stays one, but for bank holidays, moved to the next working day)."""

    template: str
    month: str
    allocated: tuple[dt.date, dt.date]  # the template's, the month's
    due: tuple[dt.date, dt.date]

    @classmethod
    def of(cls, template: str, month: str, sample_head: str) -> _Shift:
        from qa_cli import calendar as cal

        allocated = dt.date.fromisoformat(_found(r"(?m)^  allocated: (\S+)", sample_head))
        due = dt.date.fromisoformat(_found(r"(?m)^  due: (\S+)", sample_head))
        months = int(_found(r"(?m)^  return_months: (\d+)", sample_head))
        new = cal.first_working_day(month)
        return cls(template, month, (allocated, new), (due, cal.due_after_months(new, months)))

    def date(self, day: dt.date) -> dt.date:
        from qa_cli import calendar as cal

        if day == self.allocated[0]:
            return self.allocated[1]
        if day == self.due[0]:
            return self.due[1]
        weeks = round((self.allocated[1] - self.allocated[0]).days / 7)
        moved = day + dt.timedelta(weeks=weeks)
        return cal.next_working_day(moved) if cal.is_working_day(day) else moved

    def text(self, text: str) -> str:
        """``text`` (a return, a sample's part) as it reads in the new month."""
        if self.month == self.template:
            return text

        def one(m: re.Match[str]) -> str:
            if m[2]:
                return self.date(dt.date.fromisoformat(m[0])).isoformat()
            return self.month if m[1] == self.template else m[0]

        name = _month_name(self.template)
        return _DATE_OR_MONTH.sub(one, text).replace(name, _month_name(self.month))


def _month_name(month: str) -> str:
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def _template_month(month: str, demo_months: list[str], k: int) -> str:
    """The demo month whose returns a generated month copies: its own for a demo month;
    for an earlier month the demo's first two in turn (their returns are returned or closed,
    as an old month's are; the demo's last month is still in progress)."""
    if month in demo_months:
        return month
    finished = demo_months[:-1] or demo_months
    return finished[k % len(finished)]


def _new_sample(shift: _Shift, parts: tuple[str, str, str], blocks: list[str]) -> str:
    """A new month's sample from its template's: the rules' dates moved, no history (the
    template's earlier audits are not this month's), the new allocations, no moderation
    draw (it named the template's returns)."""
    head, _, tail = parts
    head = re.sub(r"(?ms)^history:\n.*", "history:\n  audited: {}\n  re_audits: []\n", head)
    tail = tail.split("\nmoderation:\n", 1)[0].rstrip("\n") + "\n"
    return (
        shift.text(head.replace("allocations:\n", ""))
        + "allocations:\n"
        + ("".join(blocks) + shift.text(tail))
    )


def _overviews_cover(dest: Path, extra: dict[str, list[str]]) -> None:
    """A Team Manager's overview of a month covers all the team's audits of it (QA482): the
    generated returns of a demo month with overviews are added to their team's."""
    for month, blocks in extra.items():
        for path in sorted((dest / "team-overviews" / month).glob("*.yaml")):
            text = path.read_text()
            team = _found(r"(?m)^team: (\S+)", text)
            codes = [_found(r"case: (\S+)", b) for b in blocks if f"\n    team: {team}\n" in b]
            head, rest = text.split("\ncases:\n", 1)
            listed = _found(r"^((?:  - .*\n)*)", rest)
            added = "".join(f"  - {c}\n" for c in codes)
            path.write_text(head + "\ncases:\n" + listed + added + rest[len(listed) :])


def generate(dest: Path, n: int, months: int = MONTHS) -> None:
    """A copy of the demo repository with ``n`` returns more, spread evenly over ``months``
    months ending with the demo's last single-agency month, each return allocated in its
    month's sample. A month before the demo's copies a demo month's returns and sample, its
    dates moved (see :class:`_Shift`); ``months`` at most the demo's own puts every return
    in the demo's last ``months`` months."""
    shutil.copytree(DEMO, dest)
    rng = random.Random(16)
    demo_months = sorted(p.name for p in (dest / "audits").iterdir() if p.is_dir())
    templates = {m: sorted((dest / "audits" / m).glob("*.yaml")) for m in demo_months}
    samples = {m: _allocations((dest / "samples" / f"{m}.yaml").read_text()) for m in demo_months}
    blocks = {m: _allocation_blocks(parts[1]) for m, parts in samples.items()}
    targets = _month_list(demo_months[-1], months)
    shifts = {
        m: _Shift.of(t, m, samples[t][0])
        for k, m in enumerate(targets)
        for t in [_template_month(m, demo_months, k)]
    }
    extra: dict[str, list[str]] = {m: [] for m in targets}
    used = {p.name.split("--")[0] for ps in templates.values() for p in ps}
    for i in range(n):
        month = targets[i % len(targets)]
        shift = shifts[month]
        src = templates[shift.template][(i // len(targets)) % len(templates[shift.template])]
        old = new = src.name.split("--")[0]
        while new in used:
            new = "C-" + "".join(rng.choice(ALPHABET) for _ in range(8))
        used.add(new)
        folder = dest / "audits" / month
        folder.mkdir(exist_ok=True)
        (folder / src.name.replace(old, new)).write_text(
            shift.text(src.read_text()).replace(old, new)
        )
        extra[month].append(shift.text(blocks[shift.template][old]).replace(old, new))
    for month in targets:
        shift = shifts[month]
        if month in samples:
            head, allocations, tail = samples[month]
            body = head + allocations + "".join(extra[month]) + tail
        else:
            body = _new_sample(shift, samples[shift.template], extra[month])
        (dest / "samples" / f"{month}.yaml").write_text(body)
    _overviews_cover(dest, extra)
    if n / months > 3_000:  # a month's sample of thousands of returns passes 1 MB
        with (dest / "qa.yaml").open("a") as fh:
            fh.write("\n# the benchmark's months hold thousands of returns each\n")
            fh.write("limits:\n  max_file_bytes: 20000000\n")


def repository(n: int, months: int = MONTHS) -> Path:
    """The cached generated repository of ``n`` returns over ``months`` months, made when
    missing or out of date."""
    dest = CACHE / (f"repo-{n}" if months == MONTHS else f"repo-{n}-{months}m")
    stamp = dest / ".bench-stamp"
    want = _demo_fingerprint()
    if stamp.is_file() and stamp.read_text() == want:
        _own_git(dest)
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    print(f"generating {n:,} returns over {months} months in {dest.relative_to(ROOT)} ...")
    generate(dest, n, months)
    stamp.write_text(want)
    _own_git(dest)
    return dest


def _own_git(dest: Path) -> None:
    """The repository in a git repository of its own, with one commit, as an audit repository
    is: inside this checkout, git's HEAD (which validation keys on) would be the toolkit's,
    and every commit made while the benchmark runs would turn its second run into a first."""
    if (dest / ".git").exists() or shutil.which("git") is None:
        return
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run(["git", *args], cwd=dest, env=env, check=True, capture_output=True)


# --- the peer ---------------------------------------------------------------------------------


def peer() -> Path | None:
    """check-jsonschema in its own venv under the cache; None (with a message) if unavailable."""
    venv = CACHE / "peer-venv"
    exe = venv / "bin" / "check-jsonschema"
    if exe.is_file():
        return exe
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "check-jsonschema"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"peer rows skipped: check-jsonschema could not be installed ({exc})")
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return exe


def peer_command(exe: Path, repo: Path, files: list[Path]) -> list[str | Path]:
    schema = repo / "schemas" / "audit.schema.json"
    candidates = sorted((repo / "schemas").glob("*audit*.json"))
    if not schema.is_file() and candidates:
        schema = candidates[0]
    return [exe, "--schemafile", schema, *files]


# --- the measures -----------------------------------------------------------------------------

BARE_TYPER = """
import typer
app = typer.Typer()
@app.command()
def one() -> None: ...
@app.command()
def two() -> None: ...
app()
"""


def best(cmd: list[str | Path], times: int, cwd: Path | None = None) -> Run:
    runs = [run(cmd, cwd) for _ in range(times)]
    return min(runs, key=lambda r: r.seconds)


def clear_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".qa", ignore_errors=True)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()}; load average (1/5/15 min) {load}"
    )


def row(measure: str, qa: str, other: str, ratio: str) -> None:
    print(f"| {measure} | {qa} | {other} | {ratio} |", flush=True)


def _s(r: Run) -> str:
    return f"{r.seconds:.2f} s"


def _ratio(a: Run, b: Run | None, what: str = "the peer", digits: int = 2) -> str:
    return f"{a.seconds / b.seconds:.{digits}f}x {what}" if b else "peer skipped"


def measure_repo(repo: Path, exe: Path | None, n: int) -> None:
    """The rows measured on one repository: validate cold/warm/one file, report, peer."""
    audits = sorted((repo / "audits").glob("*/*.yaml"))
    one = audits[len(audits) // 2]
    if exe is not None:
        run([QA, "schema", "export", "--repo", repo])
    clear_cache(repo)
    cold = run([QA, "validate", "--repo", repo, "--format", "json"])
    warm = best([QA, "validate", "--repo", repo, "--format", "json"], REPEAT)
    read = run([sys.executable, "-c", _READ_ALL, repo])
    single = _one_edited(one)
    edited = _edited_run(repo, one)
    shutil.rmtree(repo / "reports", ignore_errors=True)
    month = ["--month", one.parent.name, "--as-of", "2027-01-31"]
    first = run([QA, "report", "monthly", *month, "--repo", repo])  # writes the summaries
    report = run([QA, "report", "monthly", *month, "--repo", repo])  # other months summarised
    shutil.rmtree(repo / "reports", ignore_errors=True)
    peer_all = run(peer_command(exe, repo, audits)) if exe else None
    peer_one = run(peer_command(exe, repo, [one])) if exe else None
    tag = f"{n:,} returns"
    peer_s = f"check-jsonschema {_s(peer_all)}" if peer_all else "peer skipped"
    row(f"cold `qa validate`, {tag} (exit {cold.code})", _s(cold), peer_s, _ratio(cold, peer_all))
    row(
        f"second run, nothing changed, {tag}",
        _s(warm),
        f"{peer_s}; reading the bytes {_s(read)}",
        f"{_ratio(warm, peer_all, digits=3)}; {_ratio(warm, read, 'reading', 1)}",
    )
    row(
        f"one return edited, then `qa validate`, {tag} (exit {edited.code})",
        f"{_s(edited)}, {edited.rss_mib:.0f} MiB",
        f"{peer_s}; cold {_s(cold)}",
        f"{_ratio(edited, peer_all)}; {_ratio(edited, cold, 'a cold run')}",
    )
    row(
        f"`qa validate ONE-FILE`, the file just edited, {tag}",
        f"{_s(single)} (CPU {single.cpu:.2f} s), {single.rss_mib:.0f} MiB",
        f"check-jsonschema on one file {_s(peer_one)}" if peer_one else "peer skipped",
        _ratio(single, peer_one),
    )
    row(
        f"`qa report monthly`, first run (reads every file, writes summaries), {tag} "
        f"(exit {first.code})",
        f"{_s(first)}, {first.rss_mib:.0f} MiB",
        f"warm `qa validate` {_s(warm)}; cold {_s(cold)}",
        f"{_ratio(first, warm, 'a warm validate')}; {_ratio(first, cold, 'a cold one')}",
    )
    row(
        f"`qa report monthly`, next run (its month in full, others as summaries), {tag} "
        f"(exit {report.code})",
        f"{_s(report)}, {report.rss_mib:.0f} MiB",
        f"warm `qa validate` {_s(warm)}; cold {_s(cold)}",
        f"{_ratio(report, warm, 'a warm validate')}; {_ratio(report, cold, 'a cold one')}",
    )
    rss = (
        f"validate cold {cold.rss_mib:.0f} MiB, warm {warm.rss_mib:.0f} MiB, "
        f"one file {single.rss_mib:.0f} MiB, report {report.rss_mib:.0f} MiB"
    )
    row(f"peak RSS, {tag}", rss, "", "")


def _one_edited(one: Path) -> Run:
    """`qa validate ONE-FILE` right after the file gained a comment line (a pre-commit hook's
    case: never a run answered whole from the cache); the best of the repeats."""
    return min((_edited_once(QA, one, i) for i in range(REPEAT)), key=lambda r: r.seconds)


def _edited_once(qa: Path, one: Path, i: int) -> Run:
    """``qa validate ONE`` once, right after ``one`` gained a comment line (then restored)."""
    before = one.read_bytes()
    one.write_bytes(before + f"# edited by the benchmark ({i})\n".encode())
    try:
        return run([qa, "validate", one, "--format", "json"])
    finally:
        one.write_bytes(before)


def _edited_run(repo: Path, one: Path) -> Run:
    """`qa validate` of the whole repository after one return gained a comment line."""
    before = one.read_bytes()
    one.write_bytes(before + b"# edited by the benchmark\n")
    try:
        return run([QA, "validate", "--repo", repo, "--format", "json"])
    finally:
        one.write_bytes(before)


_READ_ALL = """
import os, sys
total = 0
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith('.')]
    for name in names:
        if name.endswith('.yaml'):
            with open(os.path.join(folder, name), 'rb') as fh:
                total += len(fh.read())
"""


def measure_help(against: Path | None = None) -> None:
    """`qa --help` and the bare app run in turn, 10 pairs, the best of each: on a shared
    machine two batches run a few seconds apart see different loads (1.1x to 1.5x). With
    ``against`` (another toolkit's `qa`), its `qa --help` runs in turn with them too."""
    bare = CACHE / "bare_typer.py"
    bare.write_text(BARE_TYPER)
    sides: list[list[str | Path]] = [[QA, "--help"], [sys.executable, bare, "--help"]]
    if against is not None:
        sides.append([against, "--help"])
    rounds = [[run(cmd) for cmd in sides] for _ in range(10)]
    fastest = [min((r[k] for r in rounds), key=lambda r: r.seconds) for k in range(len(sides))]
    cpu = [min(r[k].cpu for r in rounds) for k in range(len(sides))]
    typer_app = fastest[1]
    for label, k in [("`qa --help`", 0), (f"`qa --help`, {against}", 2)][: len(sides) - 1]:
        row(
            label,
            f"{_s(fastest[k])} (CPU {cpu[k]:.2f} s)",
            f"bare two-command Typer app {_s(typer_app)} (CPU {cpu[1]:.2f} s)",
            f"{fastest[k].seconds / typer_app.seconds:.2f}x (CPU {cpu[k] / cpu[1]:.2f}x)",
        )


def measure_startup(n: int, layouts: list[int], against: Path | None) -> None:
    """The one-file rows alone (``--startup``): `qa validate ONE-FILE` just edited, in the
    repository of ``n`` returns spread over each of ``layouts`` months, after a whole run
    filled the cache. With ``against`` (another toolkit's `qa`), it runs in turn on a copy
    of its own (each toolkit keeps its own cache), the best of ``--repeat`` each."""
    for months in layouts:
        repo = repository(n, months)
        sides = {QA: repo}
        if against is not None:
            sides[against] = _copy_of(repo, "against")
        rel = _middle_return(repo)
        for qa, copy in sides.items():
            clear_cache(copy)
            run([qa, "validate", "--repo", copy, "--format", "json"])
        runs: dict[Path, list[Run]] = {qa: [] for qa in sides}
        for i in range(REPEAT):
            for qa, copy in sides.items():
                runs[qa].append(_edited_once(qa, copy / rel, i))
        per_month = f"{n:,} returns, {n // months:,} a month"
        best_of = {qa: min(rs, key=lambda r: r.seconds) for qa, rs in runs.items()}
        mine = best_of[QA]
        for qa, r in best_of.items():
            label = "`qa validate ONE-FILE`" + ("" if qa == QA else f" ({qa})")
            ratio = f"{r.seconds / mine.seconds:.2f}x this toolkit's" if qa != QA else ""
            row(
                f"{label}, the file just edited, {per_month}",
                f"{_s(r)} (CPU {min(x.cpu for x in runs[qa]):.2f} s), {r.rss_mib:.0f} MiB",
                "",
                ratio,
            )


def _middle_return(repo: Path) -> str:
    audits = sorted((repo / "audits").glob("*/*.yaml"))
    return audits[len(audits) // 2].relative_to(repo).as_posix()


def _generated(repo: Path) -> Path:
    """``--repo``'s path, if it is a repository this script generated (or a copy of one):
    the RSS table resets it with ``git checkout`` and ``git clean`` after each command that
    writes, which would throw away an auditor's uncommitted work anywhere else."""
    repo = repo.resolve()
    if not (repo / ".bench-stamp").is_file() or not (repo / ".git").is_dir():
        print(
            f"--repo {repo}: not a repository generated by benchmarks/run.py (no .bench-stamp "
            "beside its own .git); the table resets it after each writing command, so give "
            "a generated one, e.g. benchmarks/.cache/repo-10000 or a copy of it",
            file=sys.stderr,
        )
        sys.exit(2)
    return repo


def _copy_of(repo: Path, tag: str) -> Path:
    """A copy of the generated ``repo`` (its .git too) beside it, made once."""
    dest = repo.parent / f"{repo.name}-{tag}"
    stamp = (repo / ".bench-stamp").read_text()
    if not (dest / ".bench-stamp").is_file() or (dest / ".bench-stamp").read_text() != stamp:
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(repo, dest, symlinks=True, ignore=shutil.ignore_patterns(".qa"))
    return dest


# --- peak RSS of every command that reads the repository ------------------------------------

# A child's address space is capped so that a runaway command fails (MemoryError, reported
# as its exit code) instead of taking the shared machine's memory; wall time is capped too.
RSS_CAP_BYTES = 8 * 1024**3
RSS_TIMEOUT_S = 1800


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (RSS_CAP_BYTES, RSS_CAP_BYTES))


def run_capped(cmd: list[str | Path], cwd: Path | None = None) -> Run:
    """:func:`run` with the memory and time caps; a killed run has a negative code."""
    import threading

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_capped,
    )
    timer = threading.Timer(RSS_TIMEOUT_S, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode)


@dataclass
class Command:
    label: str
    argv: list[str | Path]
    writes: bool = False  # the repository is restored from its git commit afterwards
    edit: bool = False  # one return gains a comment line first (an auditor's edit)


def _first(paths: list[Path]) -> Path:
    if not paths:
        raise SystemExit("the generated repository lacks a file the benchmark needs")
    return paths[0]


def _with(audits: list[Path], pattern: str, lacking: str = "\x00") -> Path:
    """The first return whose text matches ``pattern`` and holds no ``lacking``."""
    rx = re.compile(pattern, re.MULTILINE)
    return _first([a for a in audits if rx.search(t := a.read_text()) and lacking not in t])


def _repo_facts(repo: Path) -> dict[str, str]:
    """Months, ids and files of the generated repository the commands are run on."""
    audits = sorted((repo / "audits").glob("*/*.yaml"))
    themed = _first(sorted(p for p in (repo / "themed").iterdir() if p.is_dir()))
    config = (repo / "qa.yaml").read_text()
    staff = re.findall(r"(?m)^  - id: (\S+)\n(?:    .*\n)*?    roles: \[([^\]]*)\]", config)
    return {
        "one": str(audits[len(audits) // 2]),
        "month": audits[-1].parent.name,
        "year": audits[-1].parent.name[:4],
        "quarter": f"{audits[-1].parent.name[:4]}-Q3",
        "returned": str(_with(audits, r"^status: returned", "supervision_on")),
        "action": str(_with(audits, r"^  - id: A1\n(?:    .*\n)*?    status: open")),
        "qa_lead": next(sid for sid, roles in staff if "qa_lead" in roles),
        "team": re.findall(r"(?m)^teams:\n  - id: (\S+)", config)[0],
        "themed_month": themed.name[:7],
        "theme": themed.name[8:],
        "multi_agency": _first(sorted((repo / "multi-agency").iterdir())).name,
        "monitoring": _first(sorted((repo / "monitoring").iterdir())).name,
        "crib_month": _first(sorted((repo / "crib-sheets").iterdir())).name,
    }


def rss_commands(repo: Path) -> list[Command]:
    """Every command that reads the repository (from `qa --help` and ``qa_cli/cli``), with
    arguments that make it do its work on the generated repository. Commands that only read
    qa.yaml or one named file (init, cases, rules, tools diff, schema) are left out."""
    f = _repo_facts(repo)
    day = ["--as-of", "2026-12-01"]
    r = ["--repo", repo]
    out = _out_dir(repo)
    reports: list[tuple[str, list[str]]] = [
        ("monthly", ["--month", f["month"]]),
        ("quarterly", ["--quarter", f["quarter"]]),
        ("annual", ["--year", f["year"]]),
        ("crib-sheets", ["--month", f["crib_month"]]),
        ("themed", ["--theme", f["theme"], "--month", f["themed_month"]]),
        ("team", ["--team", f["team"], "--half", f"{f['year']}-H2"]),
        ("multi-agency", [f["multi_agency"]]),
        ("complaints", ["--year", f["year"]]),
        ("observations", ["--year", f["year"]]),
        ("monitoring", ["--month", f["monitoring"]]),
    ]
    return [
        Command("validate, second run (nothing changed)", [QA, "validate", *r, "-f", "json"]),
        Command("validate, one return edited", [QA, "validate", *r, "-f", "json"], edit=True),
        Command("validate ONE-FILE", [QA, "validate", f["one"], "-f", "json"]),
        Command("validate --no-cache", [QA, "validate", "--no-cache", *r, "-f", "json"]),
        Command("due", [QA, "due", *day, *r, "-f", "json"]),
        Command("actions list", [QA, "actions", "list", *day, *r, "-f", "json"]),
        Command("grades", [QA, "grades", *r, "-f", "json"]),
        Command(
            "moderate --dry-run", [QA, "moderate", "--dry-run", "--month", f["month"], *day, *r]
        ),
        Command("sample --verify MONTH", [QA, "sample", "--verify", f["month"], *day, *r]),
        Command("retention", [QA, "retention", *day, *r]),
        Command("export", [QA, "export", "--out", out / "export", "--no-parquet", *r]),
        Command(
            "form export --month",
            [
                QA,
                "form",
                "export",
                "--month",
                f["month"],
                "--out",
                out / "forms",
                "--replace",
                *day,
                *r,
            ],
        ),
        Command("fix --dry-run", [QA, "fix", "--dry-run", *r]),
        Command(
            "new team-overview",
            [QA, "new", "team-overview", "--team", f["team"], "--month", f["month"], *day, *r],
            writes=True,
        ),
        Command(
            "review", [QA, "review", f["returned"], "--by", f["qa_lead"], *day, *r], writes=True
        ),
        Command("feedback", [QA, "feedback", f["returned"], "supervision", *day, *r], writes=True),
        Command("actions done", [QA, "actions", "done", f["action"], "A1", *day, *r], writes=True),
        *[
            Command(f"report {kind}", [QA, "report", kind, *args, *day, *r], writes=True)
            for kind, args in reports
        ],
    ]


def _out_dir(repo: Path) -> Path:
    """Where export and form export write: beside the repository, one folder for each."""
    return repo.parent / f"{repo.name}-rss-out"


def restore(repo: Path) -> None:
    """The generated repository as committed (its .qa cache kept), after a writing command."""
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
    subprocess.run(["git", "clean", "-fdq"], cwd=repo, check=True)
    shutil.rmtree(_out_dir(repo), ignore_errors=True)


def measure_rss(repo: Path, n: int, only: str | None = None) -> None:
    """Peak RSS (and wall time) of every command, as a table, each a child process (its
    ``ru_maxrss`` from ``wait4``, worker processes included); the cache warm but for the
    first row."""
    commands = [c for c in rss_commands(repo) if only is None or re.search(only, c.label)]
    print(f"\n### Peak RSS of every command, {n:,} returns\n")
    print(f"machine: {machine()}\n")
    print("| command | peak RSS | wall | exit |\n| --- | --- | --- | --- |")
    clear_cache(repo)
    restore(repo)
    _rss_row("validate, cold (no .qa cache)", run_capped([QA, "validate", "--repo", repo]))
    for c in commands:
        if c.edit:
            one = Path(_repo_facts(repo)["one"])
            one.write_bytes(one.read_bytes() + b"# edited by the benchmark\n")
        _rss_row(c.label, run_capped(c.argv))
        if c.writes or c.edit:
            restore(repo)


def _rss_row(label: str, r: Run) -> None:
    over = " **over 1 GB**" if r.rss_mib >= 1024 else ""
    code = "killed (time or memory cap)" if r.code < 0 else str(r.code)
    print(f"| `qa {label}` | {r.rss_mib:,.0f} MiB{over} | {r.seconds:.1f} s | {code} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--returns",
        type=int,
        default=10_000,
        help="returns generated for the issue's table and the peak RSS table (default 10,000)",
    )
    ap.add_argument(
        "--50k",
        dest="rss_returns",
        action="store_const",
        const=50_000,
        help="measure the peak RSS of every command at 50,000 returns (slow) instead",
    )
    ap.add_argument(
        "--rss-returns",
        type=int,
        default=0,
        help="measure the peak RSS of every command at this size (default: --returns)",
    )
    ap.add_argument(
        "--repo",
        type=Path,
        help="measure the peak RSS table on this generated repository (a copy of one under "
        "benchmarks/.cache, with its .git), as it is: to compare two toolkits on the same files",
    )
    ap.add_argument(
        "--months",
        type=int,
        default=MONTHS,
        help=f"months the generated returns are spread over (default {MONTHS}: about 280 a "
        "month at 10,000; 3 puts them all in the demo's three months, the stress case)",
    )
    ap.add_argument("--generate-only", action="store_true", help="generate the repository, stop")
    ap.add_argument("--rss-only", action="store_true", help="only the peak RSS table")
    ap.add_argument("--no-rss", action="store_true", help="leave the peak RSS table out")
    ap.add_argument("--only", help="only the RSS table's commands matching this regex")
    ap.add_argument(
        "--no-peer", action="store_true", help="skip installing and running check-jsonschema"
    )
    ap.add_argument("--repeat", type=int, default=1, help="best of this many quick runs")
    ap.add_argument(
        "--startup",
        action="store_true",
        help="only `qa validate ONE-FILE` (in --months's layout and the 3-month stress layout) "
        "and `qa --help`",
    )
    ap.add_argument(
        "--against",
        type=Path,
        help="with --startup: another toolkit's `qa` executable, run in turn with this one "
        "(on a copy of the repository of its own), for before/after figures side by side",
    )
    args = ap.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.generate_only:
        print(repository(args.returns, args.months))
        return
    compile_toolkit()
    print(f"machine: {machine()}")
    if args.startup:
        if args.against is not None:
            compile_toolkit(args.against.parent / "python")
        print("\n| measure | qa | peer or floor | ratio |\n| --- | --- | --- | --- |")
        measure_startup(args.returns, sorted({args.months, 3}, reverse=True), args.against)
        measure_help(args.against)
        print(f"\nafter the run: {machine()}")
        return
    if not args.rss_only:
        exe = None if args.no_peer else peer()
        print("\n| measure | qa | peer or floor | ratio |\n| --- | --- | --- | --- |")
        measure_repo(repository(args.returns, args.months), exe, args.returns)
        measure_help()
    if not args.no_rss:
        n = args.rss_returns or args.returns
        measure_rss(
            _generated(args.repo) if args.repo else repository(n, args.months), n, args.only
        )
    print(f"\nafter the run: {machine()}")


if __name__ == "__main__":
    main()
