"""The build cache: what a build can reuse from the previous ones.

Everything in it is *content-addressed*: an entry's key is a hash of every
input its value was computed from (file bytes, the generator's own code and
library versions, the settings used), never a file name or a time. A stale
entry therefore cannot be found, only missed: an edit changes the key, and
the work is redone. Values are checked on the way out (a CRC next to each
one); a cache that is corrupt, unreadable, or written by another version of
the generator is discarded whole, with a note, and the build goes on cold.

Two layers: a dict in memory (a ``Builder`` kept by the preview server
reuses the model between rebuilds without reading anything back) over an
SQLite file in the site folder, ``.cache/build.sqlite3`` (git-ignored), that
makes the next ``make site`` fast too. Entries not used by a build are
pruned now and then, so the file does not grow without bound.

The values are pickled Python objects. The file lives in the researcher's
own site folder and is written only by this generator; like the folder's
``templates/``, it is trusted.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
import sys
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from ..content.config import CACHE_DIR


FORMAT = "research-site build cache, format 1"
CACHE_FILE = "build.sqlite3"
_MISSING = object()




LIBRARIES = ("babel", "Jinja2", "Markdown", "MarkupSafe", "PyYAML", "rapidfuzz")  # those that shape the output


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The generator's own code, the libraries that shape its output and the
    Unicode tables: any change to them changes every key."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent  # generator/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for dist, version in library_versions(LIBRARIES).items():
        h.update(f"{dist}={version}".encode())
    h.update(f"{sys.version}|{unicodedata.unidata_version}".encode())
    return h.hexdigest()


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each distribution's version, from the name of its metadata folder
    (``jinja2-3.1.6.dist-info``) on ``sys.path``, the first found as Python
    finds it; ``importlib.metadata`` only for one not found so (it imports
    the email package to read the metadata file: a tenth of a build with
    nothing to do)."""
    wanted = {_normalised(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            stem, _, suffix = entry.rpartition(".")
            if suffix in ("dist-info", "egg-info"):
                name, _, version = stem.partition("-")
                dist = wanted.get(_normalised(name))
                if dist is not None and dist not in found and version:
                    found[dist] = version
    for dist in names:
        if dist not in found:
            import importlib.metadata

            try:
                found[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                found[dist] = "?"
    return {dist: found[dist] for dist in names}


def _normalised(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def pack(value) -> bytes:
    """A value as stored: pickled, then compressed (fast zlib: the cache of a
    corpus of thousands of sources is a third of the size, and written and
    read in less time than the uncompressed bytes take on a slow disk)."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes):
    return pickle.loads(zlib.decompress(blob))


class CacheCorrupt(Exception):
    pass


class _NamesOnly(pickle.Unpickler):
    """Reads plain data (strings, numbers, tuples, dicts) and refuses any class."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"not plain data: {module}.{name}")


class BuildCache:
    """Memory over an optional SQLite file; ``notes`` collects what a user
    should be told (a cache discarded, a cache that cannot be written)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.notes: list[str] = []
        self.memory: dict[tuple[str, str], object] = {}
        self.used: set[tuple[str, str]] = set()
        self.pending: dict[tuple[str, str], bytes] = {}
        self.meta_pending: dict[str, bytes] = {}
        self.db: sqlite3.Connection | None = None
        self.writers: list[int] = []  # processes writing entries in the background
        # output folder -> the files a build of an earlier version wrote there
        # (read before that version's cache is discarded: ``outfolder`` knows
        # such a folder as the generator's own by it).
        self.earlier_outputs: dict[str, frozenset[str]] = {}
        if folder is not None:
            self._open()

    # -- the file ------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.folder / CACHE_FILE if self.folder is not None else None

    def _open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
            stamp = self._read_meta("format")
            code = self._read_meta("code")
            if stamp is None and code is None and not self._count():
                self._write_stamp()
            elif stamp != FORMAT.encode() or code != code_fingerprint().encode():
                self.earlier_outputs = self._earlier_outputs()
                self.discard("it was written by another version of the generator")
        except (sqlite3.Error, OSError, CacheCorrupt) as exc:
            self.discard(f"it cannot be read ({exc})")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is caught (checksums) and discarded
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, crc INTEGER NOT NULL,"
                   " value BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        return db

    def _write_stamp(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT.encode(),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_fingerprint().encode(),))

    def _count(self) -> int:
        return self.db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def _earlier_outputs(self) -> dict[str, frozenset[str]]:
        """The file names of every output manifest in a cache of another
        version (plain names only: nothing else of it is read)."""
        found = {}
        try:
            rows = self.db.execute("SELECT name, value FROM meta WHERE name LIKE 'manifest:%'").fetchall()
            for name, value in rows:
                blob = bytes(value)[4:]
                manifest = _NamesOnly(io.BytesIO(zlib.decompress(blob))).load()
                if isinstance(manifest, dict) and all(isinstance(key, str) for key in manifest):
                    found[name[len("manifest:"):]] = frozenset(manifest)
        except Exception:  # noqa: BLE001 - whatever that version wrote, it is only a hint
            return {}
        return found

    def _read_meta(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else bytes(row[0])

    def discard(self, why: str) -> None:
        """Throw the whole cache away (with a note) and start an empty one."""
        self.memory.clear()
        self.pending.clear()
        self.meta_pending.clear()
        if self.path is None:
            return
        self.notes.append(f"{self._shown()}: the build cache was discarded: {why}; building without it")
        self.close()
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.db = self._connect()
            self._write_stamp()
        except (sqlite3.Error, OSError) as exc:
            self.notes.append(f"{self._shown()}: cannot create the build cache ({exc}); building without it")
            self.db = None

    def _shown(self) -> str:
        try:
            return f"{CACHE_DIR}/{CACHE_FILE}" if self.folder.name == CACHE_DIR else str(self.path)
        except AttributeError:
            return str(self.path)

    # -- entries -------------------------------------------------------------

    def get(self, kind: str, key: str, default=None):
        """The value stored under (kind, key), or ``default``."""
        slot = (kind, key)
        value = self.memory.get(slot, _MISSING)
        if value is _MISSING:
            value = self._load(kind, key)
            if value is _MISSING:
                return default
            self.memory[slot] = value
        self.used.add(slot)
        return value

    def prefetch(self, kind: str, keys) -> None:
        """Read many entries of one kind from the file in one query."""
        if self.db is None:
            return
        wanted = [k for k in keys if (kind, k) not in self.memory]
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self.db.execute(f"SELECT key, crc, value FROM entries WHERE kind = ? AND key IN "
                                       f"({','.join('?' * len(chunk))})", (kind, *chunk)).fetchall()
                for k, crc, blob in rows:
                    self.memory[(kind, k)] = self._unpack(crc, blob)
        except (sqlite3.Error, CacheCorrupt) as exc:
            self.discard(f"it cannot be read ({exc})")

    def _load(self, kind: str, key: str):
        if self.db is None:
            return _MISSING
        try:
            row = self.db.execute("SELECT crc, value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            if row is None:
                return _MISSING
            return self._unpack(*row)
        except (sqlite3.Error, CacheCorrupt) as exc:
            self.discard(f"it cannot be read ({exc})")
            return _MISSING

    @staticmethod
    def _unpack(crc: int, blob: bytes):
        if not isinstance(blob, (bytes, bytearray, memoryview)) or not isinstance(crc, int):
            raise CacheCorrupt("an entry is not what this generator writes")
        blob = bytes(blob)
        if zlib.crc32(blob) != crc:
            raise CacheCorrupt("an entry does not match its checksum")
        try:
            return pickle.loads(zlib.decompress(blob))
        except Exception as exc:  # noqa: BLE001 - any failure to read it back means a bad entry
            raise CacheCorrupt(f"an entry cannot be read: {type(exc).__name__}") from None

    def put(self, kind: str, key: str, value) -> None:
        slot = (kind, key)
        self.memory[slot] = value
        self.used.add(slot)
        if self.db is not None:
            self.pending[slot] = pack(value)

    def put_blobs(self, entries) -> None:
        """``put`` for values pickled by a worker process: ``(kind, key, value,
        blob)``; written at once, so that a cold build of thousands of sources
        does not hold them all (~100 MB) until the end."""
        rows = {}
        for kind, key, value, blob in entries:
            slot = (kind, key)
            self.memory[slot] = value
            self.used.add(slot)
            rows[slot] = blob
        if self.db is not None and rows:
            try:
                _write(self.db, rows, {})
            except sqlite3.Error as exc:
                self.notes.append(f"{self._shown()}: cannot write the build cache ({exc}); the next build may be slower")

    def get_meta(self, name: str, default=None):
        if self.db is None:
            return default
        try:
            blob = self._read_meta(name)
            if blob is None:
                return default
            return self._unpack(int.from_bytes(blob[:4], "big"), blob[4:])
        except (sqlite3.Error, CacheCorrupt) as exc:
            self.discard(f"it cannot be read ({exc})")
            return default

    def put_meta(self, name: str, value) -> None:
        blob = pack(value)
        self.meta_pending[name] = zlib.crc32(blob).to_bytes(4, "big") + blob

    def flush_in_background(self) -> None:
        """Start writing the entries added so far in a forked process (its own
        connection), while this one goes on with the build; ``commit`` waits
        for it. A cold build of thousands of sources adds ~100 MB."""
        if self.db is None or not self.pending or not hasattr(os, "fork"):
            return
        pending, self.pending = self.pending, {}
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            status = 1
            try:
                db = self._connect()
                _write(db, pending, {})
                db.close()
                status = 0
            finally:
                os._exit(status)
        self.writers.append(pid)

    def commit(self) -> None:
        """Write what this build added, in one transaction; prune now and then."""
        failed = False
        for pid in self.writers:
            _, status = os.waitpid(pid, 0)
            failed = failed or status != 0
        self.writers = []
        if self.db is None:
            self.pending.clear()
            self.meta_pending.clear()
            return
        try:
            if self.pending or self.meta_pending:  # a build with nothing to do writes nothing
                _write(self.db, self.pending, self.meta_pending)
        except sqlite3.Error as exc:
            failed = True
            failed_because = exc
        if failed:
            why = f" ({failed_because})" if "failed_because" in locals() else ""
            self.notes.append(f"{self._shown()}: cannot write the build cache{why}; the next build may be slower")
        self.pending.clear()
        self.meta_pending.clear()

    def prune(self) -> None:
        """After a complete build: forget entries it did not use (in memory
        always; in the file when they outnumber the used ones)."""
        self.memory = {slot: value for slot, value in self.memory.items() if slot in self.used}
        if self.db is not None:
            try:
                total = self._count()
                if total > 2 * len(self.used) + 1000:
                    self.db.execute("BEGIN IMMEDIATE")
                    self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))")
                    self.db.execute("DELETE FROM used")
                    self.db.executemany("INSERT OR IGNORE INTO used VALUES (?, ?)", self.used)
                    self.db.execute("DELETE FROM entries WHERE NOT EXISTS "
                                    "(SELECT 1 FROM used WHERE used.kind = entries.kind AND used.key = entries.key)")
                    self.db.execute("COMMIT")
            except sqlite3.Error:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
        self.used = set()

    def take_notes(self) -> tuple[str, ...]:
        """The notes not handed out yet."""
        taken = tuple(self.notes)
        self.notes.clear()
        return taken

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None


def _write(db: sqlite3.Connection, entries: dict, meta: dict) -> None:
    try:
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                       ((k, kk, zlib.crc32(b), b) for (k, kk), b in entries.items()))
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        db.execute("COMMIT")
    except sqlite3.Error:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise


def open_cache(site_root: Path, enabled: bool = True) -> BuildCache:
    """The cache of a site folder (memory only when disabled)."""
    if not enabled or os.environ.get("RESEARCH_SITE_NO_CACHE"):
        return BuildCache(None)
    return BuildCache(site_root / CACHE_DIR)
