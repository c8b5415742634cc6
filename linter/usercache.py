"""Files the linter derives once and keeps in the user's cache folder (not the project's).

Each file is two lines we wrote: a JSON header ``{"key": ..., "digest": ...}`` (sha256 of
the second line) and the payload as JSON.
A file whose key or digest does not match, or that does not parse, is ignored (and later
rewritten); writes go through a temporary file and a rename, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from typing import Any

APP = "campaign-lint"
#: a cache file larger than this is not read (the converted schema is about 15 KB)
MAX_BYTES = 8 * 2**20


def user_cache_dir() -> str:
    """The per-user cache folder: ``CAMPAIGN_LINT_CACHE_HOME``, else the platform's
    (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS,
    ``%LOCALAPPDATA%`` on Windows), with ``campaign-lint`` appended."""
    explicit = os.environ.get("CAMPAIGN_LINT_CACHE_HOME")
    if explicit:
        return explicit
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, APP)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(name: str, key: Any) -> Any | None:
    """The payload stored under ``name`` for ``key``, or None (missing, stale or corrupt)."""
    try:
        data = read_regular(os.path.join(user_cache_dir(), name))
        if data is None:
            return None
        header, _, body = data.decode("utf-8").partition("\n")
        stored = json.loads(header)
        if not isinstance(stored, dict) or stored.get("key") != key or stored.get("digest") != digest(body):
            return None
        return json.loads(body)
    except (OSError, ValueError, RecursionError):  # RecursionError: a crafted, deeply nested body
        return None


def read_regular(path: str, max_bytes: int = MAX_BYTES) -> bytes | None:
    """The content of a cache file we wrote: None when ``path`` is not a regular file (a FIFO
    would block the run, a device never ends) or is larger than ``max_bytes``; never read
    through a symbolic link (OSError, as for a missing file)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
            return None
        return handle.read()


def replace_file(path: str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary file did not exist before (never a link planted under a guessable name)
    and only its owner can read it; the rename replaces a link at ``path`` rather than
    following it. Like atomic.write_atomic, without importing tempfile (start-up cost), for
    cache files."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    temp = f"{path}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def store(name: str, key: Any, payload: Any) -> bool:
    """Keep ``payload`` under ``name`` for ``key``; a cache that cannot be written is skipped
    (False)."""
    folder = user_cache_dir()
    body = json.dumps(payload, separators=(",", ":"))
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        replace_file(os.path.join(folder, name),
                     json.dumps({"key": key, "digest": digest(body)}) + "\n" + body)
    except OSError:
        return False
    return True
