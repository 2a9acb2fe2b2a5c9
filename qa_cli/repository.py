"""The audit repository: find it, list its files, load them into models, write files.

This module and ``yamlio`` are the only places that read or write the audit folder.
Loading never raises for a bad file: each :class:`LoadedFile` carries either its model or the
problems found, for the validator to report with positions.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlio
from .cache import UNKNOWN, ParsedStore, Stamp, sniff
from .errors import QAError
from .forgiving import Note, forgive
from .models import KINDS
from .models.audit import AuditReturn
from .models.config import Config
from .models.sample import Allocation, Sample
from .models.tool import Tool
from .reporoot import CONFIG_NAME
from .yamlio import YamlProblem

# Folders that hold no audit files: version control, caches, rendered output, templates.
SKIP_DIRS = frozenset({".git", ".qa", ".venv", "reports", "templates", "node_modules", ".github"})
_SCHEMA = re.compile(r"^(qa/[a-z0-9-]+)@(\d+)$")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SchemaProblem:
    """The file's `schema:` key is missing or names an unknown kind or version."""

    code: str
    message: str
    hint: str | None
    loc: tuple[str | int, ...]


@dataclass
class LoadedFile:
    """One YAML file of the repository, loaded as far as it could be."""

    path: Path
    rel: str
    problem: YamlProblem | None = None
    schema_problem: SchemaProblem | None = None
    kind: str | None = None
    version: int | None = None
    model: BaseModel | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Set by validation for a file with errors: its model as far as it validates, and the
    # paths that did not (qa_cli.validation.salvage). Other commands read ``model`` only.
    partial: BaseModel | None = None
    # Values read as the code they mean (a UK date, "Requires Improvement"): qa_cli.forgiving
    notes: list[Note] = field(default_factory=list)
    broken: frozenset[tuple[str | int, ...]] = frozenset()
    # The decoded text: held, or (``_stamp`` set: the file's size and mtime when it was
    # read) read again from ``path`` on each use, so that a loaded repository does not hold
    # every file's text (about 60% of its memory); see :func:`load_file`'s ``lean``.
    _text: str | None = field(default=None, repr=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False)
    # The parsed data: held, or (``_reparse``: a lean file whose model is valid) parsed
    # again from the text on each use; commands read the model, only a few rules the data.
    _data: dict[str, Any] | None = field(default=None, repr=False)
    _reparse: bool = field(default=False, repr=False)

    @property
    def text(self) -> str | None:
        """The file's decoded text (None when it could not be read or decoded)."""
        if self._stamp is None:
            return self._text
        return _read_again(self.path, self.rel, self._stamp)

    @text.setter
    def text(self, value: str | None) -> None:
        self._text, self._stamp = value, None

    @property
    def data(self) -> dict[str, Any] | None:
        """The parsed mapping, dates and spellings read as the model reads them
        (:mod:`qa_cli.forgiving`); None when the file did not parse into a mapping."""
        if not self._reparse:
            return self._data
        text = self.text
        loaded = yamlio.load_text(text) if text is not None else None
        if not isinstance(loaded, dict) or self.kind is None or self.version is None:
            return None  # it parsed when loaded: only a file changed since (refused) lands here
        return forgive(KINDS[self.kind][self.version], loaded)[0]

    @data.setter
    def data(self, value: dict[str, Any] | None) -> None:
        self._data, self._reparse = value, False

    @property
    def checkable(self) -> BaseModel | None:
        """The model validation checks look at: the valid model, or else the partial one."""
        return self.model if self.model is not None else self.partial

    def checkable_as(self, model: type[M]) -> M:
        """:attr:`checkable`, typed; a partial model's broken fields are None."""
        m = self.checkable
        if not isinstance(m, model):
            raise TypeError(f"{self.rel} holds no {model.__name__}")
        return m

    @cached_property
    def roundtrip(self) -> Any:
        """The round-trip document (comments, positions); parsed only when asked."""
        text = self.text
        if text is None or self.problem is not None:
            return None  # a file that failed the fast load (maybe a limit) is not parsed again
        try:
            return yamlio.load_roundtrip(text)
        except Exception:  # positions are a convenience: fall back to line 1
            return None

    def pos(self, loc: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        doc = self.roundtrip
        if doc is None:
            return 1, 1
        return yamlio.position(doc, list(loc), key=key)

    def model_as(self, model: type[M]) -> M:
        """The file's model, typed; a programming error if the file is not of that model."""
        if not isinstance(self.model, model):
            raise TypeError(f"{self.rel} holds no valid {model.__name__}")
        return self.model


def _read_again(path: Path, rel: str, stamp: tuple[int, int]) -> str | None:
    """The text of a file loaded earlier, read again; refused if the file changed since."""
    try:
        mtime = os.stat(path).st_mtime_ns
        raw = path.read_bytes()
    except OSError:
        raw, mtime = b"", -1
    if (len(raw), mtime) != stamp:
        raise QAError(
            f"{rel} changed (or went) while qa was reading the repository, so its findings "
            "could not be placed",
            "run the command again once the file is saved",
        )
    text = yamlio.decode(raw)
    return text if isinstance(text, str) else None


def iter_yaml_files(root: Path) -> Iterator[Path]:
    """Every YAML file of the repository, in a stable order, skipping caches and output.

    Folders are walked without following links. A link (to a file or a folder, of any
    name) that leads outside the repository is listed too, so that loading reports it
    (QA013) instead of reading through it; a link to a folder inside is not followed (its
    files are reached by their real path).
    """
    yield from (Path(p) for p, _ in _listing(root.resolve()))


def yaml_paths(root: Path) -> list[str]:
    """:func:`iter_yaml_files` as text (absolute, ``root`` resolved): no ``Path`` made for
    each file, for a command that touches most files only by a stat."""
    return [p for p, _ in _listing(root.resolve())]


def _listing(root: Path) -> list[tuple[str, bool]]:
    """The paths :func:`iter_yaml_files` lists (``root`` resolved), as text, each with
    whether it is a link; in path order, part by part ("a/x" before "a-b/x"). One
    ``scandir`` a folder and no ``stat`` but for links: this runs once a file."""
    from .pathguard import is_within

    found: list[tuple[str, bool]] = []
    # Depth first, each folder's entries in name order: the order of a sort part by part,
    # with no sort of every path (nor a key made for each). A stack, not recursion: a
    # folder may be nested deeper than Python recurses.
    stack = [_sorted_entries(str(root))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        is_dir = _is_dir(entry)
        if is_dir and (name in SKIP_DIRS or name.startswith(".")):
            continue
        link = entry.is_symlink()
        if link and not is_within(Path(entry.path).resolve(), root):
            found.append((entry.path, True))
        elif link and is_dir:
            continue  # a link to a folder inside: its files are listed where they are
        elif is_dir:
            stack.append(_sorted_entries(entry.path))
        elif name.endswith((".yaml", ".yml")) and not name.startswith(".") and entry.is_file():
            found.append((entry.path, link))
    return found


def _sorted_entries(folder: str) -> Iterator[os.DirEntry[str]]:
    """A folder's entries in name order (none when it cannot be read)."""
    try:
        return iter(sorted(os.scandir(folder), key=_NAME))
    except OSError:
        return iter(())


_NAME = operator.attrgetter("name")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def escaping_link(path: Path, root: Path) -> bool:
    """True when ``path`` is a symbolic link that leads outside the repository ``root``."""
    from .pathguard import is_within

    return path.is_symlink() and not is_within(path.resolve(), root.resolve())


def _classify(data: dict[str, Any]) -> tuple[str | None, int | None, SchemaProblem | None]:
    if "schema" not in data:
        return (
            None,
            None,
            SchemaProblem(
                "QA010",
                "the file has no `schema:` key, so qa cannot tell what kind of file it is",
                "add a first line such as `schema: qa/audit@1` (see docs/file-kinds.md)",
                (),
            ),
        )
    value = data["schema"]
    m = _SCHEMA.match(value) if isinstance(value, str) else None
    kinds = sorted(KINDS)
    if not m:
        return (
            None,
            None,
            SchemaProblem(
                "QA011",
                f"`schema: {value}` is not of the form qa/<kind>@<version>",
                "known kinds: " + ", ".join(f"{k}@1" for k in kinds),
                ("schema",),
            ),
        )
    kind, version = m[1], int(m[2])
    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(kind, kinds, n=1)
        hint = f"did you mean `{close[0]}@1`?" if close else "known kinds: " + ", ".join(kinds)
        return (
            None,
            None,
            SchemaProblem("QA011", f"`{kind}` is not a kind of file qa knows", hint, ("schema",)),
        )
    if version not in KINDS[kind]:
        known = ", ".join(f"{kind}@{v}" for v in sorted(KINDS[kind]))
        return (
            kind,
            None,
            SchemaProblem(
                "QA012",
                f"version {version} of {kind} is not known to this version of qa",
                f"use {known}, or upgrade qa if the file was written by a newer one",
                ("schema",),
            ),
        )
    return kind, version, None


def load_file(
    path: Path,
    root: Path,
    max_bytes: int = yamlio.DEFAULT_MAX_BYTES,
    parsed: ParsedStore | None = None,
    *,
    lean: bool = False,
    read: tuple[bytes, int] | None = None,
) -> LoadedFile:
    """Read and parse one file; problems are recorded on the result, never raised.

    With ``parsed`` (the ``.qa/cache`` store), a file whose bytes were parsed before is
    not parsed again; only a file that parsed into a mapping is stored. A ``lean`` file
    that parsed holds neither its text nor, once its model is valid, its data: about a
    third of the memory a loaded file takes. :attr:`LoadedFile.text` reads the file again
    when asked (and refuses if it changed meanwhile); :attr:`LoadedFile.data` parses it.
    ``read``: the file's bytes and modification time (ns, taken before reading them), when
    the caller has read them already (a regular file inside the repository).
    """
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    lf = LoadedFile(path=path, rel=rel)
    if escaping_link(path, root):
        return _refused_link(lf, root)
    try:
        mtime = read[1] if read else os.stat(path).st_mtime_ns if lean else -1
        raw = read[0] if read else path.read_bytes()
    except OSError as exc:
        lf.problem = YamlProblem("QA009", 1, 1, f"the file could not be read: {exc.strerror}", None)
        return lf
    loaded = _parse(raw, max_bytes, parsed)
    if isinstance(loaded, YamlProblem):
        lf.problem = loaded
        decoded = yamlio.decode(raw) if len(raw) <= max_bytes else None
        lf.text = decoded if isinstance(decoded, str) else None
        return lf
    if lean:  # it parsed, so it decodes: read again when asked (positions, the privacy scan)
        lf._stamp = (len(raw), mtime)
    else:
        text = yamlio.decode(raw)
        lf.text = text if isinstance(text, str) else None
    _build_model(lf, loaded)
    if lean and lf.model is not None:
        lf._data, lf._reparse = None, True
    if parsed is not None and isinstance(lf.model, Sample):
        parsed.remember_month(raw, lf.model.month)  # a selection's next run need not read it
    return lf


def _refused_link(lf: LoadedFile, root: Path) -> LoadedFile:
    """``lf``, a link leading outside the repository, with its QA013 problem."""
    if lf.path.is_relative_to(root.resolve()):
        lf.rel = lf.path.relative_to(root.resolve()).as_posix()
    lf.problem = YamlProblem(
        "QA013",
        1,
        1,
        "this is a symbolic link to a place outside the audit repository; qa does not "
        "read through it",
        "replace the link with the real file (or remove it): audit files live in the repository",
    )
    return lf


def _build_model(lf: LoadedFile, loaded: dict[str, Any]) -> None:
    """The file's kind, version and model (or schema errors) from its parsed data."""
    lf.data = loaded
    lf.kind, lf.version, lf.schema_problem = _classify(loaded)
    if lf.schema_problem is None and lf.kind is not None and lf.version is not None:
        model_cls = KINDS[lf.kind][lf.version]
        # `27/11/2026`, `Requires Improvement`: read as the code they mean, noted for validate
        lf.data, lf.notes = forgive(model_cls, loaded)
        try:
            lf.model = model_cls.model_validate(lf.data)
        except ValidationError as exc:
            lf.errors = [dict(e) for e in exc.errors(include_url=False)]


def _chosen(
    path: Path | str, wanted: frozenset[str], folders: bool = True, link: bool = True
) -> bool:
    """True when ``path`` is one of the ``wanted`` files or lies in one of its folders.

    ``wanted`` holds resolved paths as text (``folders``: some of them are folders). The
    repository's listing follows no folder link, so only a link itself needs resolving
    (string work: this runs once a file; ``link=False`` when the listing says it is none)."""
    real = os.path.realpath(path) if link and os.path.islink(path) else os.path.abspath(path)
    if not folders:
        return real in wanted
    while real not in wanted:
        parent = os.path.dirname(real)
        if parent == real:
            return False
        real = parent
    return True


_MONTH = re.compile(r"(?<!\d)\d{4}-\d{2}(?!\d)")


def _months(root: Path, wanted: set[Path]) -> set[str] | None:
    """The months (``YYYY-MM``) named in the paths of the wanted files, whose samples their
    rules read; None (every sample) when a folder is wanted."""
    months: set[str] = set()
    for w in wanted:
        if w.is_dir():
            return None
        rel = w.relative_to(root).as_posix() if w.is_relative_to(root) else w.as_posix()
        months.update(_MONTH.findall(rel))
    return months


# What a file's stamp letters (``cache.sniff``) say it may be read as, by other files' rules.
_READ_BY_OTHERS = frozenset("tshm")  # tool, sample, themed scope, multi-agency scope
_NOT_ONLY_A_SAMPLE = frozenset("thm")


@dataclass
class _Consulted:
    """Decides which files of the repository a selection's cross-file rules read, mostly
    without reading them: the stamps of ``.qa/cache`` (``index``, fresh for this run)
    say which kinds a file's bytes name, and ``parsed`` remembers the month of each
    sample's bytes. A file without a stamp is read and sniffed; a sample of unknown month
    is loaded when its bytes hold one of the ``months`` (or an escape that could spell
    one): a superset, never fewer files than the rules read."""

    root: str
    months: set[str] | None  # None: every sample (a folder is selected)
    index: Mapping[str, Stamp] | None = None
    parsed: ParsedStore | None = None
    # the stamped files that may be consulted (their letters name a kind others read, or
    # are unknown): any other stamped file is not, known without a look at it
    _maybe: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.index is not None:
            self._maybe = frozenset(
                rel
                for rel, stamp in self.index.items()
                if stamp[3] == UNKNOWN or not _READ_BY_OTHERS.isdisjoint(stamp[3])
            )

    def __call__(self, path: str) -> bool:
        rel = path[len(self.root) + 1 :]
        if os.sep != "/":
            rel = rel.replace(os.sep, "/")
        if rel not in self._maybe and self.index is not None and rel in self.index:
            return False
        stamp = self.index.get(rel) if self.index is not None else None
        raw: bytes | None = None
        tag = stamp[3] if stamp is not None else UNKNOWN
        if tag == UNKNOWN:
            raw = _read(path)
            tag = sniff(raw) if raw is not None else ""
        if not _READ_BY_OTHERS.intersection(tag):
            return False
        if self.months is None or _NOT_ONLY_A_SAMPLE.intersection(tag):
            return True
        return self._of_the_months(path, stamp[2] if stamp is not None else None, raw)

    def _of_the_months(self, path: str, sha: str | None, raw: bytes | None) -> bool:
        """Whether a sample is of one of the months: by the month its bytes were found to
        hold before (known by their SHA-256), else by whether its bytes name one."""
        assert self.months is not None
        if sha is None and self.parsed is not None:
            raw = raw if raw is not None else _read(path)
            sha = hashlib.sha256(raw).hexdigest() if raw is not None else None
        month = self.parsed.month_of(sha) if self.parsed is not None and sha else None
        if month is not None:
            return month in self.months
        raw = raw if raw is not None else _read(path)
        return raw is not None and (b"\\" in raw or any(m.encode() in raw for m in self.months))


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _data_months(files: Iterable[LoadedFile]) -> set[str]:
    """The months the selected files name as their ``month`` (an improvement plan's or a
    team overview's rules read that month's sample)."""
    out: set[str] = set()
    for lf in files:
        # a valid model's month, else the data's (a lean valid file parses its data again)
        value = getattr(lf.model, "month", None) if lf.model else (lf.data or {}).get("month")
        if isinstance(value, str):
            out.add(value.strip())
    return out


def _load_selection(
    root: Path,
    listing: list[tuple[str, bool]],
    wanted: set[Path],
    max_bytes: int,
    parsed: ParsedStore | None,
    index: Mapping[str, Stamp] | None,
) -> list[LoadedFile]:
    """The ``wanted`` files (or those in wanted folders) and the files their rules consult,
    in the repository's order."""
    chosen = frozenset(map(str, wanted))
    folders = any(w.is_dir() for w in wanted)
    if parsed is not None:
        parsed.adding = False  # the named files: just edited, most likely
    picked = {
        p: load_file(Path(p), root, max_bytes, parsed, lean=True)
        for p, link in listing
        # a listed path is absolute and normal already: a set lookup, unless a link or folder
        if (_chosen(p, chosen, folders, link) if folders or link else p in chosen)
    }
    if parsed is not None:
        parsed.adding = True
    months = _months(root, wanted)
    if months is not None:
        months |= _data_months(picked.values())
    consulted = _Consulted(str(root), months, index, parsed)
    with _consulted_loader(root, max_bytes, parsed) as load:
        out: list[LoadedFile] = []
        for p, _ in listing:
            lf = picked.get(p)
            if lf is None and consulted(p):
                lf = load(p)
            if lf is not None:
                out.append(lf)
    return out


@contextmanager
def _consulted_loader(
    root: Path, max_bytes: int, parsed: ParsedStore | None
) -> Iterator[Callable[[str], LoadedFile]]:
    """How a selection's consulted files (qa.yaml's tools, samples, scopes) are loaded: with
    the cache, from the models of ``.qa/cache/models.jsonl`` (the reports' store: a clean
    file's model by the SHA-256 of its bytes, built again without pydantic's validators),
    kept there when loaded afresh; they are the same files run after run, and validating
    them (a month's sample, 12 tools) was most of a one-file run's loading."""
    if parsed is None:
        yield lambda p: load_file(Path(p), root, max_bytes, lean=True)
        return
    from .reports.modelstore import ModelStore, load_stored

    with ModelStore.open(root) as store:

        def load(p: str) -> LoadedFile:
            rel = p[len(str(root)) + 1 :].replace(os.sep, "/")
            lf, sha = load_stored(Path(p), root, rel, max_bytes, store)
            if sha is not None:
                store.keep(sha, lf)
            if isinstance(lf.model, Sample):  # which month it is, for the next selection
                with suppress(OSError):
                    parsed.remember_month(lf.path.read_bytes(), lf.model.month)
            return lf

        yield load
        store.save(prune=False)


def _load_config(
    root: Path, paths: Iterable[Path] | None, parsed: ParsedStore | None
) -> LoadedFile | None:
    """qa.yaml, loaded; when some files are selected and qa.yaml is not one of them, its
    model may come from the model store as the other consulted files' do (its validator is
    the largest pydantic builds: about 25 ms of a one-file run)."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return None
    named = None if paths is None else {p.resolve() for p in paths}
    if parsed is None or named is None or path in named or root in named:
        return load_file(path, root, parsed=parsed)
    with _consulted_loader(root, yamlio.DEFAULT_MAX_BYTES, parsed) as load:
        return load(str(path))


def _max_bytes(config_file: LoadedFile | None) -> int:
    """The size limit of every other file: qa.yaml's, unless it is missing or over it."""
    config = config_file.model if config_file is not None else None
    if not isinstance(config, Config) or (
        config_file is not None and config_file.problem and config_file.problem.code == "QA008"
    ):
        return yamlio.DEFAULT_MAX_BYTES
    return config.limits.max_file_bytes


def _load_files(
    root: Path,
    exactly: Iterable[Path] | None,
    wanted: set[Path] | None,
    max_bytes: int,
    parsed: ParsedStore | None,
    index: Mapping[str, Stamp] | None,
) -> list[LoadedFile]:
    """Every file but qa.yaml, lean: ``exactly`` these, or the ``wanted`` ones (and what their
    rules consult), or (neither) all of them; the garbage collector paused meanwhile."""
    config_path = root / CONFIG_NAME
    with gc_paused():
        if exactly is not None:
            return [
                load_file(p, root, max_bytes, parsed, lean=True)
                for p in exactly
                if p.resolve() != config_path
            ]
        config = str(config_path)
        listing = [(p, link) for p, link in _listing(root) if p != config]
        if wanted is None:
            return [load_file(Path(p), root, max_bytes, parsed, lean=True) for p, _ in listing]
        return _load_selection(root, listing, wanted, max_bytes, parsed, index)


def _parse(raw: bytes, max_bytes: int, parsed: ParsedStore | None) -> dict[str, Any] | YamlProblem:
    stored = parsed.get(raw) if parsed is not None and len(raw) <= max_bytes else None
    if stored is not None:
        return stored
    loaded = yamlio.load_fast(raw, max_bytes)
    if parsed is not None and isinstance(loaded, dict):
        parsed.put(raw, loaded)
    return loaded


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off during a bulk load: loading makes millions of small
    objects and no cycles, so its passes only cost time (about 18% of loading, measured)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def config_error(root: Path, config_file: LoadedFile | None) -> QAError:
    """The one error for a missing or invalid qa.yaml: where the first problem is, and the fix."""
    if config_file is None:
        return QAError(
            f"there is no {CONFIG_NAME} in {root}, so qa cannot read the teams, staff and rules "
            "it needs",
            f"create one with `qa init {root}`, or pass --repo with the folder that holds "
            f"{CONFIG_NAME}",
        )
    from .validation.schema import schema_diagnostics

    found = sorted(schema_diagnostics(config_file))
    first = found[0] if found else None
    where = f"{config_file.rel}:{first.line}:{first.column}" if first else config_file.rel
    what = first.message if first else "the file is not a valid configuration"
    more = f" (and {len(found) - 1} more problem(s))" if len(found) > 1 else ""
    fix = f"{first.hint.rstrip('.')}; then " if first and first.hint else "correct it, then "
    return QAError(
        f"{where}: {what}{more}. {CONFIG_NAME} is not valid, so this command cannot run",
        f"{fix}run `qa validate {CONFIG_NAME}` to check the whole file",
    )


def load_config(root: Path) -> Config:
    """Only qa.yaml, through the same gate as ``Repository.load(require_config=True)``."""
    root = root.resolve()
    path = root / CONFIG_NAME
    config_file = load_file(path, root) if path.is_file() else None
    if config_file is None or not isinstance(config_file.model, Config):
        raise config_error(root, config_file)
    return config_file.model


@dataclass
class Repository:
    """A loaded audit repository: its config, tools and every other file."""

    root: Path
    files: list[LoadedFile]
    config_or_none: Config | None
    config_file: LoadedFile | None

    @property
    def config(self) -> Config:
        """The valid qa.yaml; raises the gate's error when there is none.

        Commands load with ``require_config=True`` so they stop before doing anything; only
        the validator, which reports an invalid qa.yaml as findings, reads ``config_or_none``.
        """
        if self.config_or_none is None:
            raise config_error(self.root, self.config_file)
        return self.config_or_none

    @classmethod
    def load(
        cls,
        root: Path,
        paths: Iterable[Path] | None = None,
        *,
        require_config: bool = False,
        use_cache: bool = True,
        exactly: bool = False,
        index: Mapping[str, Stamp] | None = None,
    ) -> Repository:
        """Load the repository; with ``paths``, only those files (or folders) and the files
        their cross-file rules consult: qa.yaml, tools, scopes and the samples of the months
        the files' paths and ``month`` fields name (every sample when a folder is given).

        With ``require_config`` (every command but ``qa validate``) a missing or invalid
        qa.yaml raises the one :func:`config_error`, before any other file is read. Parsed
        files are reused from ``.qa/cache`` unless ``use_cache`` is False. With ``exactly``,
        ``paths`` already hold what their rules consult: no other file is looked at. With
        ``index`` (``Cache.current``: this run's stamps of ``.qa/cache``), which files a
        selection consults is known without reading the others.
        """
        root = root.resolve()
        paths = list(paths) if paths is not None else None  # read more than once below
        with ParsedStore.open(root) if use_cache else nullcontext() as parsed:
            config_file = _load_config(root, paths, parsed)
            config = (
                config_file.model if config_file and isinstance(config_file.model, Config) else None
            )
            if require_config and config is None:
                raise config_error(root, config_file)
            wanted = {p.resolve() for p in paths} if paths is not None else None
            files = [config_file] if config_file else []
            listed = paths if exactly and paths is not None else None
            files += _load_files(root, listed, wanted, _max_bytes(config_file), parsed, index)
            if parsed is not None:
                # only a load of every file knows which stored parses are no longer needed
                parsed.save(prune=wanted is None)
        repo = cls(root=root, files=files, config_or_none=config, config_file=config_file)
        if wanted is not None:
            chosen = frozenset(map(str, wanted))
            folders = any(w.is_dir() for w in wanted)
            repo.selected = [f for f in files if _chosen(f.path, chosen, folders)]
        else:
            repo.selected = list(files)
        return repo

    @classmethod
    def load_for(
        cls, root: Path, spec: str, cwd: Path, *, require_config: bool = True
    ) -> Repository:
        """The repository as a command on one return needs it: when ``spec`` is the path of
        a file (from ``cwd``, else from ``root``), that file and what its rules consult
        (qa.yaml, tools, scopes, its month's sample); otherwise (a case code, an audit id,
        which only a search of every file finds) the whole repository. At 50,000 returns
        the whole repository is some 700 MB; one return and its consulted files, a tenth."""
        root = root.resolve()
        p = Path(spec)
        for base in (cwd, root):
            named = p if p.is_absolute() else base / p
            if named.is_file():
                return cls.load(root, [named], require_config=require_config)
        return cls.load(root, require_config=require_config)

    selected: list[LoadedFile] = field(default_factory=list)
    # Valid audit returns not loaded, as summaries by path (qa_cli.reports.loading: a report
    # reads its period in full and the other months' returns as these); empty otherwise.
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[LoadedFile]:
        return [f for f in self.files if f.kind == kind and f.model is not None]

    def entries(self, model: type[M]) -> list[tuple[LoadedFile, M]]:
        """Every valid file holding a ``model``, with its typed model, in file order."""
        return [(f, f.model) for f in self.files if isinstance(f.model, model)]

    def models(self, model: type[M]) -> list[M]:
        """Every valid ``model`` of the repository, typed, in file order."""
        return [f.model for f in self.files if isinstance(f.model, model)]

    @cached_property
    def tools(self) -> dict[str, Tool]:
        """Valid tools by reference (``id@version``)."""
        out: dict[str, Tool] = {}
        for tool in self.models(Tool):
            out.setdefault(tool.ref, tool)
        return out

    @cached_property
    def samples(self) -> dict[tuple[str, str], Sample]:
        """Valid samples by (month, programme)."""
        out: dict[tuple[str, str], Sample] = {}
        for s in self.models(Sample):
            out.setdefault((s.month, s.programme), s)
        return out

    @cached_property
    def allocations(self) -> dict[tuple[str, str], dict[str, list[Allocation]]]:
        """Allocations of each sample by case code: {(month, programme): {case: [allocation]}}."""
        out: dict[tuple[str, str], dict[str, list[Allocation]]] = {}
        for key, sample in self.samples.items():
            by_case: dict[str, list[Allocation]] = {}
            for a in sample.allocations:
                by_case.setdefault(a.case, []).append(a)
            out[key] = by_case
        return out

    def audits(self) -> list[tuple[LoadedFile, AuditReturn]]:
        return self.entries(AuditReturn)

    def list_paths(self, folder: str, pattern: str) -> list[str]:
        """Relative paths matching ``pattern`` in ``folder`` (not recursive), sorted."""
        base = self.root / folder
        if not base.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in base.glob(pattern))

    def remove(self, rel: str) -> None:
        """Delete a file or folder of the repository (retention); never outside it."""
        import shutil

        from .pathguard import inside

        target = inside(self.root, rel, rel)
        if target == self.root.resolve():
            raise QAError(f"{rel} is the repository itself; nothing was deleted")
        if target.is_symlink():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()

    def path_for_write(self, rel: str) -> Path:
        """The path of ``rel`` in the repository, refused if it leaves it or is a link."""
        from .pathguard import inside

        return inside(self.root, rel, rel, write=True)

    def write_new(self, rel: str, text: str) -> Path:
        """Create a new file in the repository; refuses to overwrite.

        A YAML file gets the editor's schema line first (see ``editor.with_modeline``).
        """
        from .editor import with_modeline

        text = with_modeline(rel, text)
        path = self.path_for_write(rel)
        try:
            yamlio.write_new(path, text)
        except FileExistsError:
            raise QAError(
                f"{rel} already exists; it was left as it was",
                "nothing is overwritten: move or delete the file first if you mean to replace it",
                exit_code=1,
            ) from None
        return path
