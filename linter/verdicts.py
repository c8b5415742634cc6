"""Verdicts of pure, library-backed checks, remembered across runs in the user cache folder.

Some checks cost a one-file run more in start-up than in work: judging one caller id with
phonenumbers imports the whole package and compiles its region's patterns (about 30 ms of a
100 ms pre-commit run). A repository's campaigns share a few caller ids, so each verdict is
kept: ``@remembered("e164", library="phonenumbers")`` on a function of one string that returns
a text or None answers from memory when it can, and calls the function otherwise.

Only the function's own result for that exact argument is kept, under a key naming this
tool's version, the library's installed file and the function's file (path, modification
time, size): upgrading or editing any of them starts afresh. The file is the user's
(``usercache``: digest checked, written atomically, owner-only), holds at most :data:`LIMIT`
verdicts (the newest) on arguments of up to :data:`MAX_ARGUMENT` characters, and is written
once at the end of a command (:func:`flush`), never by a rule; worker processes (``--jobs``)
read it but do not write it.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable

from . import __version__, usercache

#: verdicts kept per check (the newest); a repository has a few caller ids, not thousands
LIMIT = 1024
#: longer arguments are judged but not kept (a file may hold a megabyte where a number goes)
MAX_ARGUMENT = 64

_MEMOS: list[_Memo] = []


class _Memo:
    def __init__(self, name: str, library: str, source: str | None) -> None:
        self.file = f"verdicts-{name}.json"
        self.library = library
        self.source = source
        self.known: dict[str, Any] | None = None
        self.added = False

    def key(self) -> list:
        """This tool's version, the library's installed file and the judging function's
        file (an edited check must not answer with its old verdicts)."""
        import importlib.util

        try:
            library = importlib.util.find_spec(self.library).origin
        except (AttributeError, ImportError, ValueError):
            library = None
        return [__version__, _identity(library), _identity(self.source)]

    def table(self) -> dict[str, Any]:
        if self.known is None:
            stored = usercache.load(self.file, self.key())
            self.known = {argument: verdict for argument, verdict in stored.items()
                          if verdict is None or isinstance(verdict, str)} if isinstance(stored, dict) else {}
        return self.known

    def save(self) -> None:
        if self.added and self.known is not None:
            newest = list(self.known.items())[-LIMIT:]
            usercache.store(self.file, self.key(), dict(newest))
            self.added = False


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
            if argument in table:
                return table[argument]
            verdict = judge(argument)
            if len(argument) <= MAX_ARGUMENT:
                table[argument] = verdict
                memo.added = True
            return verdict

        remembering.memo = memo  # type: ignore[attr-defined]
        return remembering
    return decorate


def flush() -> None:
    """Write the verdicts added by this process (a cache that cannot be written is skipped)."""
    for memo in _MEMOS:
        memo.save()
