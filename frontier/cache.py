"""A disk cache shared by every process that serves the same data (gunicorn workers).

It is only ever an optimisation: a missing, deleted or corrupted cache costs a rebuild and
nothing else. Keys are canonical tuples that include the dataset's content key, so a change
to a data file, a reference table or the code gives new keys instead of stale answers."""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import tempfile
import time
from pathlib import Path

from .plausible import MAX_FILE_BYTES

log = logging.getLogger(__name__)

_CODE_DIR = Path(__file__).resolve().parent
_code_version: str | None = None


def code_version() -> str:
    """Hash of this package's source: results computed by other code are never reused."""
    global _code_version
    if _code_version is None:
        h = hashlib.blake2b(digest_size=12)
        for path in sorted(_CODE_DIR.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        _code_version = h.hexdigest()
    return _code_version


def file_digest(path: Path, memo: "DiskCache | None" = None) -> str:
    """Hash of a file's bytes. With a cache, remembered per (path, size, mtime, inode) like
    git's index, so a warm start does not re-read gigabytes of unchanged data."""
    try:
        st = path.stat()
    except OSError:
        return "<unreadable>"
    if st.st_size > MAX_FILE_BYTES:  # refused unread by the loader: size and time say enough
        return f"<over the size limit: {st.st_size} bytes, mtime {st.st_mtime_ns}>"
    key = ("file-digest", str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if memo is not None:
        known = memo.get(key)
        if isinstance(known, str):
            return known
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return "<unreadable>"
    digest = h.hexdigest()
    if memo is not None:
        memo.set(key, digest)
    return digest


def content_key(paths: list[Path], root: Path | None = None, memo: "DiskCache | None" = None) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(code_version().encode())
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        h.update(name.encode() + b"\0" + file_digest(path, memo).encode() + b"\0")
    return h.hexdigest()


class DiskCache:
    """diskcache.Cache with every failure turned into a miss."""

    def __init__(self, directory: Path | None):
        self.directory = Path(directory) if directory else None
        self._cache = None
        if self.directory is not None:
            self._cache = self._open()

    def _open(self):
        import diskcache

        for attempt in range(2):
            try:
                return diskcache.Cache(str(self.directory), size_limit=4 * 2**30, timeout=5)
            except Exception as exc:  # a corrupted index database: start a fresh cache
                log.warning("cache at %s unusable (%s); rebuilding it", self.directory, exc)
                if attempt == 0:
                    aside = self.directory.with_name(f"{self.directory.name}.broken-{int(time.time())}")
                    try:
                        self.directory.rename(aside)
                        shutil.rmtree(aside, ignore_errors=True)
                    except OSError:
                        shutil.rmtree(self.directory, ignore_errors=True)
        return None

    @property
    def enabled(self) -> bool:
        return self._cache is not None

    def get(self, key):
        if self._cache is None:
            return None
        try:
            return self._cache.get(key, default=None, retry=True)
        except Exception as exc:  # unreadable value file, truncated pickle, locked db ...
            return self._forget(key, exc)

    def _forget(self, key, exc: Exception) -> None:
        log.warning("cache entry unreadable (%s); recomputing", exc)
        try:
            self._cache.delete(key, retry=True)
        except Exception:
            pass
        return None

    def set(self, key, value) -> None:
        if self._cache is None:
            return
        try:
            self._cache.set(key, value, retry=True)
        except Exception as exc:
            log.warning("could not write to the cache (%s)", exc)

    def get_large(self, key):
        """A big value stored with ``set_large``: unpickled straight from its file."""
        if self._cache is None:
            return None
        try:
            handle = self._cache.get(key, default=None, read=True, retry=True)
            if handle is None:
                return None
            with handle:
                return pickle.load(handle)
        except Exception as exc:  # truncated or garbled file: recompute
            return self._forget(key, exc)

    def set_large(self, key, value) -> None:
        """Pickled through a temporary file, never as one bytes object in memory: for a
        million-point dataset that copy alone would be hundreds of megabytes."""
        if self._cache is None:
            return
        try:
            with tempfile.TemporaryFile(dir=self.directory) as tmp:
                pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.seek(0)
                self._cache.set(key, tmp, read=True, retry=True)
        except Exception as exc:
            log.warning("could not write to the cache (%s)", exc)

    def memo(self, key, compute):
        value = self.get(key)
        if value is None:
            value = compute()
            self.set(key, value)
        return value

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
