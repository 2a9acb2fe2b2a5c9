"""The validation cache in ``.qa/cache/``: a run over unchanged files is not done again.

What it holds (``validate.json``): the toolkit's fingerprint, each input file's stamp
(size, modification time in nanoseconds, SHA-256 and the letters of the consulted kinds its
bytes name, see :func:`sniff`), and for ``qa validate`` of everything the key of its inputs
and its report; ``selections.json`` holds the same for runs of some files (``qa validate
FILE``), so that such a run, which a pre-commit hook makes after every edit, need not
rewrite every file's stamp.
Readers ignore top-level keys they do not know, so a later field (a per-file summary)
can be added without a new format.

* **Keyed by content.** A run's key is the hash of every input file's content (the audit
  files, case lists, schemas, CI files: everything but ``.git``, ``.qa`` and output), the
  selection, the git commit (tool history rules read it), the identity list and the
  toolkit's fingerprint (its version and the stamp of its code). Same key, same findings.
* **Fast path.** A file whose size and ``mtime_ns`` equal the stored ones is taken to have
  the stored hash; any other file is hashed. A file modified less than two seconds before
  the cache was written is stored without a trusted stamp ("racily clean", as git says), so
  a later edit of the same size within the file system's timestamp granularity is hashed,
  never missed.
* **Never trusted blindly.** A cache that is not valid JSON, of another format, written by
  another toolkit, or whose entries are malformed, is ignored (and rewritten after the run).
  It is JSON, never pickle: a cache planted in a repository cannot run code.
* **Written atomically** (a temporary file renamed over the old one); a cache that cannot
  be written (read-only repository, full disk, ``.qa`` a link) is silently skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Self, TypeGuard

from . import __version__

CACHE_DIR = ".qa/cache"
CACHE_NAME = "validate.json"
FORMAT = "qa-validate-cache/2"
# Folders whose files are no input of validation: version control, caches, rendered output.
_NOT_INPUT = frozenset({".git", ".qa", ".venv", "reports", "node_modules", "__pycache__"})
# A file modified this close to the cache's writing gets no trusted stamp (FAT: 2 s).
_RACY_NS = 2_000_000_000
_MAX_SELECTIONS = 16
# A run of some files rewrites every file's stamp only when it hashed at least this many
_RESTAMP_AT = 32
SELECTIONS_NAME = "selections.json"
SELECTIONS_FORMAT = "qa-validate-selections/1"
_MAX_CACHE_BYTES = 256 * 1024 * 1024

Stamp = tuple[int, int, str, str]  # size, mtime_ns (-1: not trusted), sha256, sniff()
UNKNOWN = "?"  # the sniff of a link or special file: not read here, its reader decides

# The kinds other files' rules read, by the letter a stamp records when a file's bytes name
# one (a superset of the files that declare it: found without parsing).
CONSULTED = {
    "t": b"qa/tool@",
    "s": b"qa/sample@",
    "h": b"qa/themed@",
    "m": b"qa/multi-agency@",
    "c": b"qa/config@",
}


def sniff(raw: bytes) -> str:
    """The letters of :data:`CONSULTED` whose kind ``raw`` names anywhere ('' for none)."""
    return "".join(letter for letter, needle in CONSULTED.items() if needle in raw)


def _cache_key_file() -> Path:
    """Where this user's cache key lives: outside every repository, like git's own config."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa" / "cache-key"


def _machine_key() -> bytes:
    """A random key of this user's, made once (mode 0600) and mixed into every cache's
    fingerprint. A cache carries no value checked again when it is read (stored findings;
    models built without validators), so one planted in a repository (committed, copied from
    another machine) must not pass for this user's: without the key it is foreign. Where
    the key can be neither read nor made (no home), a key of this process alone: caches
    are written but never reused, which is slower, never wrong."""
    path = _cache_key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32).hex().encode())
        key = path.read_bytes()
        if len(key) == 64:
            return key
    except (OSError, RuntimeError):  # RuntimeError: Path.home() with no home
        pass
    return os.urandom(32)


@lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """The version of qa, the stamp of its code and this user's cache key: another
    toolkit's (or another machine's) cache is foreign."""
    h = hashlib.sha256(__version__.encode())
    h.update(_machine_key())
    package = Path(__file__).resolve().parent
    for p in sorted(package.rglob("*")):
        if p.suffix in (".py", ".yaml", ".json", ".j2", ".md") and p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _input_files(root: Path) -> list[tuple[str, int, int, int]]:
    """Every input file's path, size, ``mtime_ns`` and mode, from its ``lstat``: links and
    special files are not followed.

    As ``os.walk`` lists them (a link to a folder is listed, not entered), with
    ``os.scandir`` and string paths: this runs once a file of the repository."""
    out: list[tuple[str, int, int, int]] = []
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name in _NOT_INPUT:
                        continue
                    if not entry.is_symlink():
                        stack.append((f"{prefix}{entry.name}/", entry.path))
                        continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            out.append((prefix + entry.name, st.st_size, st.st_mtime_ns, st.st_mode))
    out.sort()
    return out


def _content_id(root: Path, rel: str, mode: int) -> tuple[str, str]:
    """The SHA-256 of a regular file and its :func:`sniff`; for a link, where it points
    (never read through one). ``mode``: the file's ``lstat`` mode."""
    path = root / rel
    if stat.S_ISLNK(mode):
        try:
            target = os.readlink(path)
            seen = os.stat(path)
            return f"link:{target}:{seen.st_size}:{seen.st_mtime_ns}", UNKNOWN
        except OSError:
            return "link:broken", UNKNOWN
    if not stat.S_ISREG(mode):
        return f"special:{mode}", UNKNOWN
    try:
        raw = path.read_bytes()
    except OSError:
        return "unreadable", UNKNOWN
    return hashlib.sha256(raw).hexdigest(), sniff(raw)


@dataclass
class Cache:
    """The cache of one repository, as read (or empty), and what this run found."""

    root: Path
    # As stored: a stamp is trusted only once :meth:`input_key` finds it well formed
    stamps: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: dict[str, Stamp] = field(default_factory=dict)
    # Small facts derived from one file, by that file's SHA-256 (e.g. qa.yaml's identity list)
    memo: dict[str, Any] = field(default_factory=dict)
    hashed: int = 0  # files :meth:`input_key` read to hash (their stamps were no help)
    _selection_runs: dict[str, Any] | None = None

    @property
    def path(self) -> Path:
        return self.root / CACHE_DIR / CACHE_NAME

    @classmethod
    def open(cls, root: Path) -> Cache:
        """The stored cache, or an empty one when it is missing, corrupt, stale or foreign."""
        cache = cls(root=root.resolve())
        stored = _read_json(cache.root, CACHE_NAME)
        if not _trusted(stored):
            return cache
        cache.stamps = stored["stamps"]  # each checked when used (:meth:`input_key`)
        cache.runs = stored["runs"]
        memo = stored.get("memo")
        cache.memo = memo if isinstance(memo, dict) else {}
        return cache

    def input_key(self, selection: list[str], extra: dict[str, str]) -> str:
        """The hash of everything a validation run reads; fills :attr:`current` (and counts
        in :attr:`hashed` the files whose stamps did not say their hash)."""
        self.current = current = {}
        self.hashed = 0
        stamps = self.stamps
        for rel, size, mtime, mode in _input_files(self.root):
            old = stamps.get(rel)
            if (  # a stored stamp of this size and time, well formed (any other is ignored)
                type(old) is list
                and len(old) == 4
                and old[0] == size
                and old[1] == mtime
                and type(old[2]) is str
                and type(old[3]) is str
                and stat.S_ISREG(mode)
            ):
                current[rel] = (size, mtime, old[2], old[3])
                continue
            sha, tag = _content_id(self.root, rel, mode)
            self.hashed += 1
            current[rel] = (size, mtime, sha, tag)
        h = hashlib.sha256(toolkit_fingerprint().encode())
        h.update("".join(f"{rel}\0{v[2]}\n" for rel, v in current.items()).encode())
        h.update(json.dumps([selection, sorted(extra.items())]).encode())
        return h.hexdigest()

    def report(self, selection_key: str, input_key: str) -> dict[str, Any] | None:
        run = self.runs.get(selection_key) or self._selections().get(selection_key)
        if isinstance(run, dict) and run.get("key") == input_key:
            found = run.get("report")
            return found if isinstance(found, dict) else None
        return None

    def _selections(self) -> dict[str, Any]:
        """The stored runs of some files (``qa validate FILE``), read when first asked for."""
        if self._selection_runs is None:
            stored = read_store(self.root, SELECTIONS_NAME, SELECTIONS_FORMAT, "runs")
            self._selection_runs = stored["runs"] if stored is not None else {}
        return self._selection_runs

    def save(self, selection_key: str, input_key: str, report: dict[str, Any]) -> None:
        """Store this run's stamps and report; silently nothing when it cannot be written."""
        runs = {k: v for k, v in self.runs.items() if k != selection_key}
        runs[selection_key] = {"key": input_key, "report": report}
        self._save_stamps(_newest(runs))

    def save_selection(self, selection_key: str, input_key: str, report: dict[str, Any]) -> None:
        """Store the report of a run of some files in ``selections.json``, beside the stamps
        and the whole repository's run. The stamps are written again only when this run had
        to hash many files (a first run, say): a pre-commit hook's `qa validate FILE` hashes
        the files just edited, and rewriting every file's stamp for them cost more than
        hashing them again next time."""
        runs = {k: v for k, v in self._selections().items() if k != selection_key}
        runs[selection_key] = {"key": input_key, "report": report}
        self._selection_runs = runs = _newest(runs)
        body = {"format": SELECTIONS_FORMAT, "toolkit": toolkit_fingerprint(), "runs": runs}
        _write(self.root, json.dumps(body, separators=(",", ":")), SELECTIONS_NAME)
        if self.hashed >= _RESTAMP_AT:
            self._save_stamps({k: v for k, v in self.runs.items() if k != selection_key})

    def _save_stamps(self, runs: dict[str, Any]) -> None:
        now = time.time_ns()
        stamps = {
            rel: [size, mtime if mtime < now - _RACY_NS else -1, sha, tag]
            for rel, (size, mtime, sha, tag) in self.current.items()
        }
        body = {
            "format": FORMAT,
            "toolkit": toolkit_fingerprint(),
            "stamps": stamps,
            "runs": runs,
            "memo": self.memo,
        }
        _write(self.root, json.dumps(body, separators=(",", ":")))


def _newest(runs: dict[str, Any]) -> dict[str, Any]:
    """``runs`` without its oldest entries past :data:`_MAX_SELECTIONS`."""
    while len(runs) > _MAX_SELECTIONS:
        runs.pop(next(iter(runs)))
    return runs


def _trusted(stored: object) -> TypeGuard[dict[str, Any]]:
    """True for a cache of this format and toolkit whose parts have the right shapes (each
    stamp's own shape is checked where it is used)."""
    if not isinstance(stored, dict):
        return False
    if stored.get("format") != FORMAT or stored.get("toolkit") != toolkit_fingerprint():
        return False
    return isinstance(stored.get("stamps"), dict) and isinstance(stored.get("runs"), dict)


def _folder(root: Path) -> Path | None:
    """``.qa/cache`` of ``root``, or None when ``.qa`` or it is a link (never followed)."""
    folder = root / CACHE_DIR
    return None if (root / ".qa").is_symlink() or folder.is_symlink() else folder


def _write(root: Path, text: str, name: str = CACHE_NAME) -> None:
    folder = _folder(root)
    if folder is None:
        return
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def read_store(root: Path, name: str, fmt: str, key: str) -> dict[str, Any] | None:
    """The JSON of the cache file ``name`` when it is of format ``fmt``, made by this toolkit,
    and holds the mapping ``key``; else None (a missing, damaged, stale or foreign file)."""
    stored = _read_json(root, name)
    if (
        isinstance(stored, dict)
        and stored.get("format") == fmt
        and stored.get("toolkit") == toolkit_fingerprint()
        and isinstance(stored.get(key), dict)
    ):
        return stored
    return None


def _read_json(root: Path, name: str) -> object:
    """The JSON of the cache file ``name``, or None: a link (the file, ``.qa`` or
    ``.qa/cache``), a FIFO, a giant or a damaged file is not read."""
    folder = _folder(root)
    if folder is None:
        return None
    path = folder / name
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_CACHE_BYTES:
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


# --- parsed files, by content hash: what every command's loading reuses ---------------------

PARSED_NAME = "parsed.jsonl"
PARSED_FORMAT = "qa-parsed-cache/2"
_MAX_LINE = 256 * 1024 * 1024  # one stored file's data (limits.max_file_bytes may be raised)
_DATE, _DATETIME = "\x00d", "\x00t"
_intern = sys.intern


class _Unstorable(Exception):
    """A parsed value JSON cannot hold exactly (a non-string key, an unusual type)."""


def _plain(value: object) -> object:
    """``value`` as JSON-ready data, dates tagged; raises :class:`_Unstorable` otherwise."""
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith("\x00") for k in value):
            raise _Unstorable
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise _Unstorable


def _tagged(pairs: list[tuple[str, Any]]) -> object:
    """A JSON object as the parser built it: a tagged date, or a mapping whose keys and
    short strings are interned, as ``yamlc`` does (they recur in every file: one object
    each, not one per file, which halves a loaded repository's models)."""
    if len(pairs) == 1:
        key, value = pairs[0]
        if key == _DATE:
            return dt.date.fromisoformat(value)
        if key == _DATETIME:
            return dt.datetime.fromisoformat(value)
    return {_intern(k): _intern(v) if type(v) is str and len(v) <= 40 else v for k, v in pairs}


@dataclass
class ParsedStore:
    """Each file's parsed data by the SHA-256 of its bytes, so an unchanged file is not parsed.

    Only files that parsed into a mapping are stored; a file with a problem is parsed again
    (its finding needs the parser). Like the validation cache: JSON, this toolkit only,
    anything odd ignored, written atomically or not at all.

    The store is one line per entry (``e SHA JSON``, and ``m SHA "MONTH"`` for a sample's
    month) after a header line, and is never held in memory: opening it indexes where each
    entry lies, an entry is read when asked, new entries go to an unnamed spill file, and
    saving copies the entries to keep into a new store. At 50,000 files the store is some
    200 MB, which a loaded repository would otherwise hold beside its models.
    """

    # the store's file and format: a subclass keeps other entries by content the same way
    NAME: ClassVar[str] = PARSED_NAME
    FORMAT: ClassVar[str] = PARSED_FORMAT

    root: Path
    # sha -> the month of the valid sample those bytes hold: which month's rules read it
    months: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    dirty: bool = False
    # No new entry is kept (files just edited, that ``qa validate FILE`` names: keeping one
    # would rewrite the whole store for a parse the next run would not ask for again)
    adding: bool = True
    _index: dict[str, tuple[int, int]] = field(default_factory=dict)  # sha -> offset, length
    _src: BinaryIO | None = None  # the stored file the index points into
    _spill: dict[str, tuple[int, int]] = field(default_factory=dict)  # new entries, in _out
    _out: BinaryIO | None = None

    @classmethod
    def open(cls, root: Path) -> Self:
        store = cls(root=root.resolve())
        folder = _folder(store.root)
        if folder is None:
            return store
        path = folder / cls.NAME
        try:  # never a link (O_NOFOLLOW), never wait on a FIFO (lstat first, O_NONBLOCK)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return store
            flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return store
        src = os.fdopen(fd, "rb")
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and store._indexed(src):
                store._src = src
                return store
        except (OSError, ValueError, RecursionError):
            pass
        src.close()
        store.months, store._index = {}, {}
        return store

    def _indexed(self, src: BinaryIO) -> bool:
        """Index the stored entries; False for a file of another format or toolkit, or damaged."""
        head = json.loads(src.readline(_MAX_LINE))
        if not isinstance(head, dict) or head.get("format") != self.FORMAT:
            return False
        if head.get("toolkit") != toolkit_fingerprint():
            return False
        offset = src.tell()
        for line in iter(lambda: src.readline(_MAX_LINE), b""):
            sha = line[2:66].decode("ascii", "replace")
            if not line.endswith(b"\n") or line[66:67] != b" ":
                return False
            if line.startswith(b"e "):
                self._index[sha] = (offset + 67, len(line) - 68)
            elif line.startswith(b"m "):
                month = json.loads(line[67:])
                if isinstance(month, str):
                    self.months[sha] = month
            offset += len(line)
        return True

    def month_of(self, sha: str) -> str | None:
        """The month of the valid sample whose bytes have this SHA-256, if remembered."""
        return self.months.get(sha)

    def remember_month(self, raw: bytes, month: str) -> None:
        sha = hashlib.sha256(raw).hexdigest()
        self.seen.add(sha)
        if self.months.get(sha) != month:
            self.months[sha] = month
            self.dirty = True

    def _text(self, sha: str) -> bytes | None:
        """The stored JSON of an entry, from the store or the spill file."""
        where = self._index if sha in self._index else self._spill
        fh = self._src if where is self._index else self._out
        if sha not in where or fh is None:
            return None
        offset, length = where[sha]
        fh.seek(offset)
        return fh.read(length)

    def get(self, raw: bytes) -> dict[str, Any] | None:
        try:
            text = self.entry(hashlib.sha256(raw).hexdigest())
            data = json.loads(text, object_pairs_hook=_tagged) if text is not None else None
        except (OSError, ValueError, RecursionError):
            return None
        return data if isinstance(data, dict) else None

    def entry(self, sha: str) -> bytes | None:
        """The stored JSON for the bytes of this SHA-256 (kept on saving), or None."""
        self.seen.add(sha)
        return self._text(sha)

    def put(self, raw: bytes, data: dict[str, Any]) -> None:
        if not self.adding:
            return
        try:
            text = json.dumps(_plain(data), separators=(",", ":")).encode("ascii")
        except (_Unstorable, ValueError, RecursionError):
            return
        self.put_entry(hashlib.sha256(raw).hexdigest(), text)

    def put_entry(self, sha: str, text: bytes) -> None:
        """Keep ``text`` (UTF-8 with no line break: JSON) for the bytes of this SHA-256."""
        self.seen.add(sha)
        if not self.adding or sha in self._index or sha in self._spill:
            return
        try:
            if self._out is None:
                self._out = tempfile.TemporaryFile()  # unnamed: gone however the run ends
            offset = self._out.seek(0, os.SEEK_END)
            self._out.write(b"e " + sha.encode("ascii") + b" " + text + b"\n")
        except OSError:
            return
        self._spill[sha] = (offset + 67, len(text))
        self.dirty = True

    def save(self, *, prune: bool) -> None:
        """Write new entries; ``prune`` (after loading every file) drops the unseen ones."""
        if prune and (set(self._index) | set(self.months)) - self.seen:
            self.dirty = True
        folder = _folder(self.root)
        if self.dirty and folder is not None:
            tmp = folder / f".{self.NAME}.{os.getpid()}.tmp"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with tmp.open("wb") as out:
                    self._copy_into(out, prune)
                os.replace(tmp, folder / self.NAME)
                if self.NAME == PARSED_NAME:  # the earlier, one-JSON format
                    (folder / "parsed.json").unlink(missing_ok=True)
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)
        self.dirty = False
        self.close()

    def close(self) -> None:
        """Close the stored and spill files (saving does too); the store is empty after."""
        for fh in (self._src, self._out):
            if fh is not None:
                fh.close()
        self._src = self._out = None
        self._index, self._spill = {}, {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _copy_into(self, out: BinaryIO, prune: bool) -> None:
        head = {"format": self.FORMAT, "toolkit": toolkit_fingerprint()}
        out.write(json.dumps(head, separators=(",", ":")).encode("ascii") + b"\n")
        for sha in [*self._index, *self._spill]:
            if prune and sha not in self.seen:
                continue
            text = self._text(sha)
            if text is not None:
                out.write(b"e " + sha.encode("ascii") + b" " + text + b"\n")
        for sha, month in self.months.items():
            if not prune or sha in self.seen:
                out.write(f"m {sha} {json.dumps(month)}\n".encode("ascii"))
