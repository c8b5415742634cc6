"""Terminal manners: when to colour, the colours, control characters shown escaped,
and the source excerpt under a finding (``--show-source``)."""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any, Mapping

from ..model import Severity

COLOR_CHOICES = ("auto", "always", "never")

_RESET = "\x1b[0m"
_STYLES = {"path": "\x1b[1m", "rule": "\x1b[1;31m", "dim": "\x1b[2m", "caret": "\x1b[1;31m",
           Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}


def use_color(choice: str, stream: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour output for ``--color CHOICE`` on ``stream``.

    ``always`` and ``never`` decide. ``auto`` follows the conventions, in this order:
    ``NO_COLOR`` (set and not empty) turns colour off, ``FORCE_COLOR`` (set and not
    empty) turns it on, ``TERM=dumb`` turns it off, and otherwise a terminal gets colour."""
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def cursor_control_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether cursor control (a progress line's "erase line") may be written to the
    terminal: not to ``TERM=dumb`` (Emacs shells, some CI consoles)."""
    env = os.environ if environ is None else environ
    return env.get("TERM") != "dumb"


class Palette:
    """Wraps text in ANSI colours, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool = False):
        self.enabled = enabled

    def __call__(self, style: Any, text: str) -> str:
        if not self.enabled or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


PLAIN = Palette(False)

def escape(text: str) -> str:
    """``text`` with every control, bidirectional and invisible format character shown as an
    escape (``\\x1b``, ``\\r``, ``\\u202e``, ``\\ufeff``): nothing read from a file reaches the
    terminal raw."""
    from .escape import printable

    return printable(text)


def _width(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian characters take two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def source_lines(path: str | None, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The lines of a file for ``--show-source`` (None when it cannot be read again)."""
    if not path or path == "<stdin>":
        return None
    if path not in cache:
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8-sig", errors="replace")
            cache[path] = re.split(r"\r\n|\r|\n", text)  # where the parsers count lines
        except OSError:
            cache[path] = None
    return cache[path]


def excerpt(lines: list[str], line: int, column: int | None, palette: Palette = PLAIN,
            limit: int = 200) -> list[str]:
    """The offending line with a gutter and a caret under the column (ruff's full output)."""
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1]
    column = max(1, min(column or 1, len(text) + 1))
    before = escape(text[:column - 1])
    shown = before + escape(text[column - 1:])
    if len(shown) > limit:  # keep the caret's part of a very long line in view
        start = max(0, len(before) - limit // 2)
        shown, before = "..." + shown[start:start + limit], "..." + before[start:]
    gutter = str(line)
    pad = " " * len(gutter)
    return [palette("dim", f"{pad} |"),
            f"{palette('dim', f'{gutter} |')} {shown}",
            f"{palette('dim', f'{pad} |')} {' ' * _width(before)}{palette('caret', '^')}"]
