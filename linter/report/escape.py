"""What every report format does to text that came from a file or from AWS.

Campaign names, keys, file names and exception text are data: printed raw, a
newline forges a new output line (a GitHub annotation, a fake finding), a ``\\r``
or an ANSI escape rewrites the terminal, a NUL makes JUnit XML unparseable, a lone
surrogate makes the output unencodable. Reports pass such text through here.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote as _percent

#: C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides (the "Trojan
#: source" characters), lone surrogates and the XML non-characters U+FFFE/U+FFFF
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: the longest campaign label a report prints, and the longest message
LABEL_LIMIT = 80
MESSAGE_LIMIT = 2000


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with ``...``."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def printable(text: str, limit: int | None = None, keep: str = "") -> str:
    """One line of safe text: control characters shown as ``\\n``, ``\\x1b``, ``\\u202e``
    (except those in ``keep``, for a format that escapes them its own way)."""
    if limit is not None:
        text = shorten(text, limit)
    text = _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return text.replace(LEGACY_COMMAND, "#\\x23[")


#: GitHub's runner takes ``##[error]...`` anywhere in a log line as a workflow command (the
#: legacy form; ``##[stop-commands]x`` even switches off every later annotation), and ``::``
#: at the start of a line after any white space
LEGACY_COMMAND = "##["


def line_safe(line: str) -> str:
    """A printed line that cannot be a workflow command: one that would start with ``::``
    after its leading white space (a file name or campaign name put it there) gets its first
    ``:`` shown as ``\\x3a``."""
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    at = len(line) - len(stripped)
    return line[:at] + "\\x3a" + line[at + 1:]


#: what in a file or campaign name could read as the ``:line:col: RULE`` that follows a path
#: at the start of a text finding (a colon before a digit or any blank, U+00A0 included)
_LIKE_A_PLACE = re.compile(r":[\d\s]")


def not_a_place(text: str) -> str:
    """Printed text that starts a line (a file name, a campaign label): in double quotes when
    it holds what could pass for the ``path:line:col: RULE`` start of a finding, so a file
    named ``a.md:1:1: CC301 error: x.json`` cannot forge one."""
    return '"' + text.replace('"', '\\"') + '"' if _LIKE_A_PLACE.search(text) else text


def label(text: str | None) -> str | None:
    """A campaign label (name, id or ARN) as reports print it: escaped and shortened."""
    return None if text is None else printable(text, LABEL_LIMIT)


def message(text: str) -> str:
    return printable(text, MESSAGE_LIMIT)


def encodable(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with any lone surrogate written as a ``\\udcff``
    escape, so that it can be written as UTF-8 and still reads back as the same string; and
    ``##[`` (only ever inside a string) as ``##\\u005b``, which reads back as the same string
    but is no workflow command in a GitHub log."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace(LEGACY_COMMAND, "##\\u005b")


def relative_path(path: str, root: str) -> str | None:
    """``path`` relative to the repository ``root`` (``/`` separators), None when outside it."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def uri_path(path: str) -> str:
    """A path as the path part of a URI: percent-encoded bytes, ``/`` kept."""
    return _percent(os.fsencode(path), safe="/")
