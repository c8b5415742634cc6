"""Safe file writes for --output, --write-baseline and --save.

- A regular file (or a new one) is replaced atomically: readers see the old
  contents or the new, never half of either (but for hard-linked files, below). The new file gets the permissions a
  plain ``open()`` would give: the old file's mode, or 0666 minus the umask.
- A symlink is followed: its target is replaced atomically, the link stays.
- Anything else that exists (a device such as /dev/null, a FIFO) is written
  through, never replaced by a regular file; so is a writable file in a folder
  where no new file may be created.
- A file with several hard links is written in place once the new text is safely
  on disk beside it (a replace would give this name a new file and leave the other
  names with the old text; ruff and black write in place too). If the run stops in
  between, the new text is kept in ``.campaign-lint-*.tmp`` beside the file, and a
  failed write (a full disk) says so, naming that file.
- A file that a plain ``open()`` could not write (read-only) is not written.
"""

from __future__ import annotations

import os
import stat
import tempfile


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` without ever destroying what is there."""
    target = os.path.realpath(path)  # a symlink's target, however many links deep
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(21, "is a directory", path)
    if status is not None and not os.access(target, os.W_OK):  # as open() would refuse it
        raise PermissionError(13, "Permission denied", path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_through(target, text)  # a device or FIFO
        return
    try:
        _replace(target, text.encode("utf-8"), status, in_place=status is not None and status.st_nlink > 1)
    except PermissionError:
        if status is None:
            raise
        _write_through(target, text)  # a writable file in a folder we may not create files in


def _write_through(target: str, text: str) -> None:
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


def _replace(target: str, data: bytes, old: os.stat_result | None, in_place: bool = False) -> None:
    """``data`` into a new file beside ``target``, then renamed over it; ``in_place``: then
    copied into ``target`` itself (its hard links keep seeing one file)."""
    folder = os.path.dirname(target)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".campaign-lint-", suffix=".tmp")
    written = False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), stat.S_IMODE(old.st_mode) if old else _default_mode())
            if old is not None and os.geteuid() == 0:  # root rewriting a user's file keeps its owner
                os.fchown(stream.fileno(), old.st_uid, old.st_gid)
            os.fsync(stream.fileno())
        if in_place:
            with open(target, "r+b") as stream:
                written = True  # from here on, the copy beside it is what is safe
                try:
                    stream.write(data)
                    stream.truncate()
                    stream.flush()
                    os.fsync(stream.fileno())
                except OSError as error:  # a full disk: say where the whole text is
                    raise OSError(error.errno, f"{error.strerror or error}; it may be cut short, and "
                                               f"its whole new text is in {temp}") from None
            os.unlink(temp)
        else:
            os.replace(temp, target)
    except BaseException:
        if not written and os.path.lexists(temp):
            os.unlink(temp)
        raise


def _default_mode() -> int:
    """0666 minus the process umask: what ``open(path, "w")`` gives a new file."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def same_file(first: str, second: str) -> bool:
    """True when both paths name one existing file (through links or different spellings)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False
