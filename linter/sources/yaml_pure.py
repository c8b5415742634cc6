"""The pure-Python YAML loader, for when PyYAML has no libyaml: PyYAML's SafeLoader made to
read a text as the libyaml loader does (the same values, marks and places of errors; the
wording of an error may differ). libyaml is the reference: it is what most users run.

Imported when the first YAML file is parsed without libyaml (not at start-up).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.scanner import ScannerError

from .parse import _LIBYAML_SURROGATE, _LINE_BREAKS, _without_timestamps

#: line breaks
_BREAKS = "\r\n\x85\u2028\u2029"
#: what ends a run of a quoted scalar's characters that are copied as they are
_FLOW_SCALAR_STOPS = "'\"\\\0 \t\r\n\x85\u2028\u2029"


class Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, as JSON would have them, records where the
    scanner skips a comment (a ``#`` inside a string or a block scalar is not a comment, and
    only the scanner knows which is which), and reads what PyYAML and libyaml read differently
    as libyaml does. The methods below replace PyYAML's (5.1-6.0; most unchanged since 3.x)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.comment_offsets: list[int] = []

    # --- the reader ----------------------------------------------------------------

    def forward(self, length: int = 1) -> None:
        """PyYAML's, with a U+FEFF's column counted, as libyaml counts it (PyYAML counts none),
        but for one that starts the text, which libyaml's reader drops: the columns then agree."""
        if self.pointer + length + 1 >= len(self.buffer):
            self.update(length + 1)
        while length:
            ch = self.buffer[self.pointer]
            self.pointer += 1
            self.index += 1
            if ch in "\n\x85\u2028\u2029" or (ch == "\r" and self.buffer[self.pointer] != "\n"):
                self.line += 1
                self.column = 0
            elif ch != "\uFEFF" or self.index > 1:
                self.column += 1
            length -= 1

    # --- between tokens ------------------------------------------------------------

    def scan_to_next_token(self) -> None:
        """PyYAML's, with the comment recorded where it is skipped, and a U+FEFF skipped at the
        start of any line, as libyaml skips it (PyYAML skips only one that starts the text)."""
        if self.index == 0 and self.peek() == "\uFEFF":
            self.forward()
        found = False
        while not found:
            if self.column == 0 and self.peek() == "\uFEFF":
                self.forward()
            while self.peek() == " ":
                self.forward()
            if self.peek() == "#":
                self.comment_offsets.append(self.index)
                while self.peek() not in _LINE_BREAKS:
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    # --- quoted scalars ------------------------------------------------------------

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> list[str]:
        """PyYAML's, with the escapes read by :meth:`scan_escape`."""
        chunks = []
        while True:
            length = 0
            while self.peek(length) not in _FLOW_SCALAR_STOPS:
                length += 1
            if length:
                chunks.append(self.prefix(length))
                self.forward(length)
            ch = self.peek()
            if not double and ch == "'" and self.peek(1) == "'":
                chunks.append("'")
                self.forward(2)
            elif (double and ch == "'") or (not double and ch in '"\\'):
                chunks.append(ch)
                self.forward()
            elif double and ch == "\\":
                chunks.extend(self.scan_escape(start_mark))
            else:
                return chunks

    def scan_escape(self, start_mark: Any) -> list[str]:
        """What the escape at the reader's backslash stands for, with libyaml's errors: an
        unknown escape (``"\\q"``) is reported at its backslash (PyYAML: after it), and an escape
        that is not a character (a surrogate, or beyond U+10FFFF) is refused where it is met
        (PyYAML let a surrogate through, and ``chr`` raised a ValueError for the others)."""
        ch = self.peek(1)
        if ch in self.ESCAPE_REPLACEMENTS:
            self.forward(2)
            return [self.ESCAPE_REPLACEMENTS[ch]]
        if ch in self.ESCAPE_CODES:
            self.forward(2)
            length = self.ESCAPE_CODES[ch]
            for k in range(length):
                if self.peek(k) not in "0123456789ABCDEFabcdef":
                    raise ScannerError("while scanning a double-quoted scalar", start_mark,
                                       f"expected escape sequence of {length} hexadecimal numbers, "
                                       f"but found {self.peek(k)!r}", self.get_mark())
            code = int(self.prefix(length), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise ScannerError("while parsing a quoted scalar", start_mark, _LIBYAML_SURROGATE,
                                   self.get_mark())
            self.forward(length)
            return [chr(code)]
        if ch in _BREAKS:  # an escaped line break
            self.forward()
            self.scan_line_break()
            return self.scan_flow_scalar_breaks(True, start_mark)
        raise ScannerError("while scanning a double-quoted scalar", start_mark,
                           f"found unknown escape character {ch!r}", self.get_mark())

    # --- block scalars -------------------------------------------------------------

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        """PyYAML's, with the comment after the indicators recorded (``note: |  # a comment``)."""
        while self.peek() == " ":
            self.forward()
        if self.peek() == "#":
            self.comment_offsets.append(self.index)
        return super().scan_block_scalar_ignored_line(start_mark)


_without_timestamps(Loader)
