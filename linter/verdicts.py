"""Verdicts of pure, library-backed checks, remembered across runs in the user cache folder.

Some checks cost a one-file run more in start-up than in work: judging one caller id with
phonenumbers imports the whole package and compiles its region's patterns (about 30 ms of a
100 ms pre-commit run). A repository's campaigns share a few caller ids, so each verdict is
kept: ``@remembered("e164", library="phonenumbers")`` on a function of one string that returns
a text or None answers from memory when it can, and calls the function otherwise.

Only the function's own result for that exact argument is kept, under a key naming this
tool's version, the library's installed file and the function's file (path, modification
time, size): upgrading or editing any of them starts afresh. Each key has its own file
(``verdicts-e164-<hash of the key>.json``), so two installs used side by side (a pre-commit
environment and a project's virtualenv) do not overwrite each other's; the newest
:data:`KEEP_FILES` files of a check (by when they were last used) are kept, older ones removed
when one is written. A file
is the user's (``usercache``: digest checked, written atomically, owner-only), holds at most
:data:`LIMIT` verdicts (the most recently used) on arguments of up to :data:`MAX_ARGUMENT`
characters, and is written once at the end of a command (:func:`flush`), never by a rule,
merged with what another run wrote to it meanwhile; worker processes (``--jobs``) read it
but do not write it: they send what they used and judged to the main process with each
result (:func:`taken`, :func:`absorb`), which saves it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from typing import Any, Callable

from . import __version__, usercache

#: verdicts kept per check (the newest); a repository has a few caller ids, not thousands
LIMIT = 1024
#: longer arguments are judged but not kept (a file may hold a megabyte where a number goes)
MAX_ARGUMENT = 64
#: files kept per check (one per key: installs, versions); older ones are removed
KEEP_FILES = 4

_MEMOS: list[_Memo] = []


class _Memo:
    def __init__(self, name: str, library: str, source: str | None) -> None:
        self.name = name
        self.library = library
        self.source = source
        self.known: dict[str, Any] | None = None
        #: the arguments this process judged or asked again, the most recent last
        self.used: dict[str, None] = {}
        self.added = False
        self._key: list | None = None

    def forget(self) -> None:
        """Start as a new process would: nothing read, key not computed."""
        self.known, self.used, self.added, self._key = None, {}, False, None

    def key(self) -> list:
        """This tool's version, the library's installed file and the judging function's
        file (an edited check must not answer with its old verdicts); computed once."""
        if self._key is None:
            import importlib.util

            try:
                library = importlib.util.find_spec(self.library).origin
            except (AttributeError, ImportError, ValueError):
                library = None
            self._key = [__version__, _identity(library), _identity(self.source)]
        return self._key

    @property
    def file(self) -> str:
        """This key's file in the user cache folder."""
        named = hashlib.sha256(json.dumps(self.key()).encode("utf-8")).hexdigest()[:16]
        return f"verdicts-{self.name}-{named}.json"

    def table(self) -> dict[str, Any]:
        if self.known is None:
            self.known = self.stored()
        return self.known

    def stored(self) -> dict[str, Any]:
        """The verdicts in this key's file (only texts and None are believed)."""
        stored = usercache.load(self.file, self.key())
        if not isinstance(stored, dict):
            return {}
        return {argument: verdict for argument, verdict in stored.items()
                if verdict is None or isinstance(verdict, str)}

    def save(self) -> None:
        """Write the verdicts this process used, as the most recent, merged with what a run
        beside this one wrote meanwhile. A file that already ends with them is only marked
        as used (its time): files are kept by that time, so an install that only re-uses
        its verdicts keeps its file."""
        if not self.used or self.known is None:
            return
        merged = self.stored()
        if not self.added and list(merged)[-len(self.used):] == list(self.used) and _mark_used(
                os.path.join(usercache.user_cache_dir(), self.file)):
            written = True
        else:  # (also where a file's time cannot be set without following a link: Windows)
            for argument in self.used:
                merged.pop(argument, None)
                merged[argument] = self.known[argument]
            written = usercache.store(self.file, self.key(), dict(list(merged.items())[-LIMIT:]))
        self.used, self.added = {}, False
        if written:
            _remove_old_files(self.name, self.file)


def taken() -> list[tuple[str, list[tuple[str, Any]], bool]]:
    """What this process used since it last said so, and forgets it: per check, the
    arguments in the order used with their verdicts, and whether any was judged anew. A
    worker process (``--jobs``) sends it with each result, for the main process to save."""
    found = []
    for memo in _MEMOS:
        if memo.used and memo.known is not None:
            found.append((memo.name, [(argument, memo.known[argument]) for argument in memo.used],
                          memo.added))
        memo.used, memo.added = {}, False
    return found


def absorb(used_elsewhere: list[tuple[str, list[tuple[str, Any]], bool]]) -> None:
    """Count what a worker process used and judged (:func:`taken`) as used here, so that
    :func:`flush` keeps it and marks the file used."""
    memos = {memo.name: memo for memo in _MEMOS}
    for name, used, added in used_elsewhere:
        memo = memos.get(name)
        if memo is None:
            continue
        table = memo.table()
        for argument, verdict in used:
            table[argument] = verdict
            memo.used.pop(argument, None)
            memo.used[argument] = None  # the most recently used last
        memo.added = memo.added or added


def _mark_used(path: str) -> bool:
    try:
        os.utime(path, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return False
    return True


def _remove_old_files(name: str, current: str) -> None:
    """Remove a check's verdict files beyond the newest :data:`KEEP_FILES` by the time they
    were last written or used (the single file of earlier versions among them); only regular
    files of that name."""
    pattern = re.compile(rf"verdicts-{re.escape(name)}(-[0-9a-f]{{16}})?\.json")
    try:
        with os.scandir(usercache.user_cache_dir()) as entries:
            found = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.path) for entry in entries
                     if pattern.fullmatch(entry.name) and entry.name != current
                     and entry.is_file(follow_symlinks=False)]
        for _, path in sorted(found, reverse=True)[KEEP_FILES - 1:]:
            os.unlink(path)
    except OSError:
        pass


def _identity(path: str | None) -> list | None:
    """A file as its path, modification time and size (None when it cannot be read)."""
    try:
        status = os.stat(path)  # type: ignore[arg-type]
    except (OSError, TypeError, ValueError):
        return None
    return [path, status.st_mtime_ns, status.st_size]


def remembered(name: str, library: str) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Remember a pure function of one string whose verdict is a text or None (see the module)."""
    def decorate(judge: Callable[[str], Any]) -> Callable[[str], Any]:
        memo = _Memo(name, library, getattr(sys.modules.get(judge.__module__), "__file__", None))
        _MEMOS.append(memo)

        @functools.wraps(judge)
        def remembering(argument: str) -> Any:
            table = memo.table()
            used = memo.used
            if argument in table:
                if argument in used:
                    del used[argument]
                used[argument] = None  # the most recently used last
                return table[argument]
            verdict = judge(argument)
            if len(argument) <= MAX_ARGUMENT:
                table[argument] = verdict
                used[argument] = None
                memo.added = True
            return verdict

        remembering.memo = memo  # type: ignore[attr-defined]
        return remembering
    return decorate


def flush() -> None:
    """Write the verdicts added by this process (a cache that cannot be written is skipped)."""
    for memo in _MEMOS:
        memo.save()
