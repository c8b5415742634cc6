"""What every report format does to text that came from a file or from AWS.

Campaign names, keys, file names and exception text are data: printed raw, a
newline forges a new output line (a GitHub annotation, a fake finding), a ``\\r``
or an ANSI escape rewrites the terminal, a NUL makes JUnit XML unparseable, a lone
surrogate makes the output unencodable. Reports pass such text through here.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Callable
from urllib.parse import quote as _percent

#: C0 and C1 controls, DEL, line/paragraph separators, lone surrogates and the XML
#: non-characters U+FFFE/U+FFFF; beyond ASCII, every character of Unicode's category Cf
#: (format) is added by :func:`needs_escape`: the bidirectional marks, embeddings, overrides and
#: isolates of "Trojan Source" (CVE-2021-42574: U+061C, U+200E, U+200F, U+202A-U+202E,
#: U+2066-U+2069), which reorder what a line shows, and the invisible ones (U+00AD, U+200B-U+200D,
#: U+2060, U+FEFF, tag characters ...), which make two different names look the same
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
#: where a character :func:`needs_escape` names may be: a run of anything but printable ASCII
_SUSPECT = re.compile("[^\x20-\x7e]+")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: the longest campaign label a report prints, and the longest message
LABEL_LIMIT = 80
MESSAGE_LIMIT = 2000


def needs_escape(char: str) -> bool:
    """Whether ``char`` is shown escaped: a control character, a line break of its own, a
    lone surrogate, U+FFFE/U+FFFF, or a format character (bidi control or invisible)."""
    return bool(_UNPRINTABLE.match(char)) or unicodedata.category(char) == "Cf"


def _escape(char: str) -> str:
    """``\\n``, ``\\x1b``, ``\\u202e`` or (beyond the BMP) ``\\U000e0041``, as Python writes them."""
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with ``...``."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def printable(text: str, limit: int | None = None, keep: str = "") -> str:
    """One line of safe text: control, bidi and invisible format characters shown as ``\\n``,
    ``\\x1b``, ``\\u202e``, ``\\ufeff`` (except those in ``keep``, for a format that escapes
    them its own way)."""
    if limit is not None:
        text = shorten(text, limit)
    if not text.isprintable():
        text = _SUSPECT.sub(lambda m: _shown(m.group(), keep, _escape), text)
    return text.replace(LEGACY_COMMAND, "#\\x23[")


def _shown(run: str, keep: str, escape: Callable[[str], str]) -> str:
    """A run of characters with those :func:`needs_escape` names escaped. A run that
    ``str.isprintable`` passes has none (it fails every character of categories C and Z
    but the space): that test is fast, and the common case."""
    if run.isprintable():
        return run
    return "".join(escape(char) if char not in keep and needs_escape(char) else char for char in run)


def sarif_text(text: str) -> str:
    """:func:`printable` text for a SARIF plain-text message, in which no embedded link can
    form. SARIF 2.1.0 (§3.11.6) reads ``[text](target)`` in a message as a link, with any URI
    as its target, which a viewer may render clickable: a campaign named ``[Fixed](https://...)``
    would put a link of its choosing in a code-scanning alert. No message of ours holds a link,
    so every ``](`` is written ``]\\(``, which ends no link text."""
    return printable(text).replace("](", "]\\(")


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
    """JSON text (``ensure_ascii=False``) as written: every character that :func:`needs_escape`
    names and ``json.dumps`` leaves raw (a lone surrogate, DEL, a C1 control, U+2028/U+2029, a
    bidi control or invisible format character) as its JSON escape (``\\u202e``, a surrogate
    pair beyond the BMP), so that the text can be written as UTF-8 and reads back as the same
    strings, yet shows no raw bidi override or invisible character to a person who opens the
    file; and ``##[`` (only ever inside a string) as ``##\\u005b``, which reads back as the same
    string but is no workflow command in a GitHub log. Only strings hold such characters: the
    document's own layout is ASCII, its line breaks C0 (escaped by ``json.dumps`` in strings)."""
    text = _BEYOND_ASCII.sub(lambda m: _shown(m.group(), "", _json_escape), text)
    return text.replace(LEGACY_COMMAND, "##\\u005b")


#: what ``json.dumps(..., ensure_ascii=False)`` leaves raw and :func:`encodable` may escape
_BEYOND_ASCII = re.compile("[^\x00-\x7e]+")


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xd800 + (code >> 10):04x}\\u{0xdc00 + (code & 0x3ff):04x}"


def relative_path(path: str, root: str) -> str | None:
    """``path`` relative to the folder ``root`` (``/`` separators), None when outside it (or
    on another drive, on Windows)."""
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive
        return None
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def uri_path(path: str) -> str:
    """A path as the path part of a URI: percent-encoded bytes, ``/`` kept."""
    return _percent(os.fsencode(path), safe="/")
