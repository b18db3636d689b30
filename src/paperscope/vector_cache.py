"""The on-disk vector cache: one SQLite file, shared safely by parallel runs and Dask clients.

Vectors are keyed by (model identity, SHA-256 of the text). Each is stored
with its dimension and a checksum over the model, the key and the bytes
(entries written before that carry a checksum of the bytes alone, still
accepted); the model and key are read back from the row itself, not the
index. So a damaged entry, or an index that points a key at another row, is
recomputed and replaced, never served.

The cache is a convenience, never a reason to fail or to lose work. What
happens when something is wrong (each case warns with a :class:`CacheWarning`
that names the file):

* **Damaged file** (not a database, or damaged pages found while reading or
  writing, confirmed by SQLite's ``quick_check`` on a fresh connection): it is
  moved aside to ``<name>.corrupt`` (``.corrupt.1``, … if that exists) with its
  journal, a new cache is started, and what was not served is computed.
* **Read-only** file or folder: what it holds is served, the rest is computed
  and returned, nothing is written.
* **Locked** by another process for longer than :data:`BUSY_TIMEOUT_S`: the
  run waits that long, then computes without the cache; a healthy cache is
  never moved aside for being busy.
* **A folder** (or a path written as one, ``"cache/"``): the cache is the file
  :data:`CACHE_FILE` inside it.
* **Someone else's file** (a CSV, a BibTeX file, another SQLite database): an
  error; it is never written into nor moved aside.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import warnings
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from .errors import CacheWarning, PaperscopeError

#: Seconds to wait for another process's lock before going on without the cache.
BUSY_TIMEOUT_S = 10.0
#: The file name used inside a folder given as the cache location.
CACHE_FILE = "embeddings.sqlite"
#: A cache file up to this size is checked (SQLite's ``quick_check``, ~0.2 s per 200 MB) when opened:
#: damage that SQLite does not report by itself (an index whose pages are out of order serves some
#: vectors, misses others and lets duplicates pile up on every run) is then set aside too.
CHECK_MAX_BYTES = 1 << 30
# Names of a damaged file that is still taken for a cache (a file of another name that is not a
# SQLite database is the user's, never moved aside).
_CACHE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_COLUMNS = ["model", "key", "dim", "crc", "data"]

# SQLite's primary result codes (the low byte of an extended code).
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SIDE_FILES = ("-journal", "-wal", "-shm")
_SCHEMA = ("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, dim INTEGER, "
           "crc INTEGER, data BLOB, PRIMARY KEY (model, key))")

T = TypeVar("T")


def text_key(text: str) -> str:
    """The cache key of a text: the hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def checksum(model: str, key: str, data: bytes) -> int:
    """CRC-32 over the model identity, the key and the vector's bytes."""
    return zlib.crc32(data, zlib.crc32(f"{model}\0{key}\0".encode()))


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def not_a_cache(path: Path) -> str | None:
    """Why the existing file ``path`` is someone else's, not a cache (None when it is a cache, a damaged
    one by its name, or no file yet): paperscope never writes into it nor moves it aside."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError:
        return None  # missing or unreadable: opening it says what is wrong
    if not head:
        return None
    if head != _SQLITE_MAGIC:
        if path.name == CACHE_FILE or path.suffix.lower() in _CACHE_SUFFIXES:
            return None  # a cache whose first page is damaged: set aside when opened
        return "an existing file that is not an embedding cache (not a SQLite database)"
    probe = None
    try:
        probe = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        tables = {name for (name,) in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if not name.startswith("sqlite_")}
        columns = [row[1] for row in probe.execute("PRAGMA table_info(vectors)")] if "vectors" in tables else None
    except sqlite3.Error:
        return None  # damaged or busy: opening it handles that
    finally:
        if probe is not None:
            probe.close()
    if tables - {"vectors"}:
        return f"a SQLite database of something else (tables {sorted(tables)[:5]})"
    if columns is not None and columns != _COLUMNS:
        return f"a SQLite database whose table 'vectors' is not paperscope's (columns {columns})"
    return None


def _kind(exc: BaseException) -> str:
    """``"corrupt"``, ``"busy"`` or ``"unavailable"`` (read-only, cannot open, disk full, …)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        if code & 0xFF in _CORRUPT:
            return "corrupt"
        if code & 0xFF in _BUSY:
            return "busy"
        return "unavailable"
    message = str(exc).lower()
    if "malformed" in message or "not a database" in message or isinstance(exc, UnicodeDecodeError):
        return "corrupt"
    if "locked" in message or "busy" in message:
        return "busy"
    return "unavailable"


def resolve_cache_path(path: str | os.PathLike[str]) -> Path:
    """The cache file meant by ``path``: the path itself, or :data:`CACHE_FILE` inside an existing
    folder or a path written as a folder (``"cache/"``, created when missing)."""
    as_folder = os.fspath(path).endswith(("/", os.sep))
    path = Path(path)
    if as_folder and not path.exists():
        return path / CACHE_FILE
    if path.is_dir():
        path = path / CACHE_FILE
        if path.is_dir():
            raise PaperscopeError(f"embedding cache {path}: a folder where the cache file should be; "
                                  "pass the path of a file (it is created) or of another folder")
    return path


class EmbeddingCache:
    """Vectors on disk, keyed by (model identity, SHA-256 of the text).

    Parameters
    ----------
    path
        The SQLite file, created with its folder when missing; an existing
        folder means the file :data:`CACHE_FILE` inside it.

    Attributes
    ----------
    path
        The file in use.
    resets
        How many times a damaged file was moved aside during this session.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = resolve_cache_path(path)
        self.resets = 0
        self._db: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None
        self._disabled = self._skip_reads = False
        self._checked = False
        problem = not_a_cache(self.path)
        if problem is not None:
            raise PaperscopeError(f"embedding cache {self.path}: {problem}; paperscope neither writes into nor "
                                  "moves it: pass cache= a new file name or a folder")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._warn(f"its folder cannot be created ({exc}); vectors are computed without it")
            self._disabled = True
            return
        self._run("opening", lambda db: None, None)

    # -- connection ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        existing = self.path.exists() and self.path.stat().st_size > 0
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        # Keys come back as bytes and are compared with the request: a damaged
        # text never raises a decode error, it simply does not match.
        db.text_factory = bytes
        try:
            st = os.stat(self.path)
        except OSError:
            st = None
        self._inode = (st.st_dev, st.st_ino) if st is not None else None
        try:
            db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            # A read-only file that already has the table is fine; anything else is raised.
            if _kind(exc) != "unavailable" or not self._has_table(db):
                db.close()
                raise
        if existing and not self._checked and self.path.stat().st_size <= CHECK_MAX_BYTES:
            self._checked = True  # once per session: a file set aside is replaced by a fresh one
            found = [_text(value) for (value,) in db.execute("PRAGMA quick_check(1)").fetchall()]
            if found != ["ok"]:
                db.close()
                detail = " ".join(found[0].replace("*** in database main ***", "").split())[:200]
                raise sqlite3.DatabaseError(f"database disk image is malformed ({detail})")
        return db

    @staticmethod
    def _has_table(db: sqlite3.Connection) -> bool:
        try:
            return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'vectors'").fetchone() is not None
        except sqlite3.Error:
            return False

    def _run(self, action: str, fn: Callable[[sqlite3.Connection], T], default: T) -> T:
        """Run ``fn`` on the database; on failure handle it (see the module docstring) and return ``default``."""
        if self._disabled or (action == "reading" and self._skip_reads):
            return default
        for attempt in range(3):
            try:
                if self._db is None:
                    self._db = self._connect()
                return fn(self._db)
            except (sqlite3.Error, UnicodeDecodeError) as exc:
                kind = _kind(exc)
                state = self._check_damage() if kind == "corrupt" and attempt < 2 else "healthy"
                if state == "moved":
                    continue  # another process set the damaged file aside: use its fresh one
                if state == "damaged":
                    try:
                        self._set_aside(exc)
                    except OSError as move_error:
                        self._warn(f"it is damaged ({exc}) and cannot be moved aside ({move_error}); "
                                   "vectors are computed without it")
                        self._disable()
                        return default
                    continue  # again, on the fresh file
                if kind == "busy":
                    self._warn(f"it is locked by another process (waited {BUSY_TIMEOUT_S:g} s while "
                               f"{action}); vectors are computed without it")
                    if action == "opening":
                        self._close()
                        self._skip_reads = True  # one more wait, for the write at the end
                elif kind == "corrupt":
                    self._warn(f"SQLite reported damage while {action} ({exc}) that a fresh check does not "
                               "confirm; left in place, vectors computed without it")
                    self._disable()
                elif action == "writing":
                    self._warn(f"cannot be written ({exc}); the new vectors are returned but not stored")
                else:
                    self._warn(f"cannot be used ({exc}); vectors are computed without it")
                    self._disable()
                return default
        return default  # pragma: no cover - the loop always returns

    def _check_damage(self) -> str:
        """``"damaged"``, ``"moved"`` (no longer the file we opened) or ``"healthy"``: a busy file is never damaged."""
        try:
            st = os.stat(self.path)
        except OSError:
            return "healthy"
        if self._inode is not None and (st.st_dev, st.st_ino) != self._inode:
            self._close()
            self._inode = None
            return "moved"
        probe = None
        try:
            probe = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
            rows = probe.execute("PRAGMA quick_check(1)").fetchall()
            return "healthy" if rows == [("ok",)] else "damaged"
        except sqlite3.Error as again:
            return "damaged" if _kind(again) == "corrupt" else "healthy"
        finally:
            if probe is not None:
                probe.close()

    def _disable(self) -> None:
        self._close()
        self._disabled = True

    def _set_aside(self, exc: BaseException) -> None:
        self._close()
        n, target = 0, self.path.with_name(self.path.name + ".corrupt")
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.corrupt.{n}")
        self.path.replace(target)
        # A journal left beside the damaged file belongs to it, not to the new cache.
        for suffix in _SIDE_FILES:
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        self.resets += 1
        self._warn(f"it was damaged ({exc}); moved aside to {target.name} and a new cache started")

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None

    def _warn(self, message: str) -> None:
        warnings.warn(f"embedding cache {self.path}: {message}", CacheWarning, stacklevel=4)

    # -- public -------------------------------------------------------------------------------

    key = staticmethod(text_key)

    @property
    def available(self) -> bool:
        """False once the cache could not be opened or used: everything is computed afresh."""
        return not self._disabled

    def get(self, model: str, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """The valid vectors among ``keys``; damaged or mismatched ones are left out (and so recomputed)."""
        def read(db: sqlite3.Connection) -> dict[str, np.ndarray]:
            found: dict[str, np.ndarray] = {}
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                wanted = set(chunk)
                marks = ",".join("?" * len(chunk))
                # The index finds the rows; model and key are then read back from the rows themselves,
                # so a damaged index that points a key at another row is caught below.
                rows = db.execute(
                    "SELECT model, key, dim, crc, data FROM vectors WHERE rowid IN (SELECT rowid FROM vectors "
                    f"WHERE model = ? AND key IN ({marks}))", [model, *chunk])
                for raw_model, raw_key, d, crc, data in rows:
                    key = _text(raw_key)
                    if (key in wanted and _text(raw_model) == model and d == dim and isinstance(data, bytes)
                            and len(data) == 4 * dim and crc in (checksum(model, key, data), zlib.crc32(data))):
                        found[key] = np.frombuffer(data, dtype="<f4").copy()
            return found

        return self._run("reading", read, {})

    def put(self, model: str, items: dict[str, np.ndarray]) -> bool:
        """Store vectors (float32) in one transaction; whether they were stored."""
        rows = []
        for key, vec in items.items():
            data = np.asarray(vec, dtype="<f4").tobytes()
            rows.append((model, key, len(vec), checksum(model, key, data), data))

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
            return True

        return bool(rows) and self._run("writing", write, False)

    def __len__(self) -> int:
        return self._run("counting", lambda db: db.execute("SELECT count(*) FROM vectors").fetchone()[0], 0)

    def close(self) -> None:
        self._close()
