"""The pure-Python YAML loader, for when PyYAML has no libyaml: PyYAML's SafeLoader made to
read a text as the libyaml loader does (the same values, marks and places of errors; the
wording of an error may differ). libyaml is the reference: it is what most users run.

Still read differently, where campaign files have no use for it: directives (libyaml refuses
an unknown ``%FOO`` and reads a tab after ``%YAML``; PyYAML ignores the one and refuses the
other), and a text nested some 500 levels deep or more, refused by both at other places
(PyYAML's recursive composer runs out of stack: "nested too deeply" at 1:1; with libyaml the
builder refuses the 201st level, or libyaml itself the 1,000th).

Imported when the first YAML file is parsed without libyaml (not at start-up).
"""

from __future__ import annotations

import re
from typing import Any, Callable

import yaml
from yaml.scanner import ScannerError

from .parse import _LIBYAML_SURROGATE, _LINE_BREAKS, _TAG_NOT_UTF8, _without_timestamps

#: blanks, line breaks and the end of the text (libyaml's IS_BLANKZ), and line breaks
_BLANKZ = "\0 \t\r\n\x85\u2028\u2029"
_BREAKS = "\r\n\x85\u2028\u2029"
_BLANKS_AND_BREAKS = " \t" + _BREAKS
#: what ends a plain scalar in a flow collection, and what may not follow its ":" there
_FLOW_INDICATORS = ",[]{}"
_AFTER_COLON_IN_FLOW = ",?[]{}"
#: what ends a run of a quoted scalar's characters that are copied as they are
_FLOW_SCALAR_STOPS = "'\"\\\0 \t\r\n\x85\u2028\u2029"
#: the characters of a tag handle (between its "!"s), and of a tag's URI (libyaml's)
_TAG_HANDLE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"
_TAG_URI_CHARS = _TAG_HANDLE_CHARS + ";/?:@&=+$.!~*'()"
_URI_ESCAPE = re.compile("%[0-9A-Fa-f]{2}")
#: how many octets a UTF-8 character takes, by the five top bits of its first octet
_UTF8_WIDTHS = {**dict.fromkeys(range(16), 1), **dict.fromkeys(range(24, 28), 2), 28: 3, 29: 3, 30: 4}


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

    # --- between tokens, and at the end of the text --------------------------------

    def scan_to_next_token(self) -> None:
        """PyYAML's, with the comment recorded where it is skipped, a U+FEFF skipped at the
        start of any line (PyYAML skips only one that starts the text), and a tab skipped in a
        flow collection or where no simple key may start (``a:\\tb``; PyYAML skipped none), as
        libyaml skips them."""
        if self.index == 0 and self.peek() == "\uFEFF":
            self.forward()
        found = False
        while not found:
            if self.column == 0 and self.peek() == "\uFEFF":
                self.forward()
            ch = self.peek()
            while ch == " " or (ch == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.forward()
                ch = self.peek()
            if ch == "#":
                self.comment_offsets.append(self.index)
                while self.peek() not in _LINE_BREAKS:
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    def fetch_stream_end(self) -> None:
        """PyYAML's, with the end of a text that does not end with a line break placed at the
        start of the next line, as libyaml places it, and the simple keys still pending there
        checked as libyaml checks them (PyYAML forgot them): the errors found there agree."""
        if self.column:
            self.line += 1
            self.column = 0
        self.unwind_indent(-1)
        self.remove_possible_simple_key()
        self.stale_possible_simple_keys()
        super().fetch_stream_end()

    # --- plain scalars -------------------------------------------------------------

    def scan_plain(self) -> Any:
        """PyYAML's, with libyaml's rules for a plain scalar in a flow collection: a ``?`` is part
        of it (``[x?y]``) and a ``:`` followed by ``?`` or a flow indicator is an error
        (``[a:,b]``), where PyYAML ended it at either."""
        chunks: list[str] = []
        start_mark = end_mark = self.get_mark()
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            if self.peek() == "#":
                break
            length = self.plain_run(start_mark)
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.tokens.ScalarToken("".join(chunks), True, start_mark, end_mark)

    def plain_run(self, start_mark: Any) -> int:
        """The length of the plain scalar's characters from here to the next blank or the
        indicator that ends them."""
        length, flow = 0, self.flow_level
        while True:
            ch = self.peek(length)
            if ch in _BLANKZ or (flow and ch in _FLOW_INDICATORS):
                return length
            if ch == ":":
                after = self.peek(length + 1)
                if after in _BLANKZ:
                    return length
                if flow and after in _AFTER_COLON_IN_FLOW:
                    self.forward(length)
                    raise ScannerError("while scanning a plain scalar", start_mark, "found unexpected ':'",
                                       self.get_mark())
            length += 1

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        """PyYAML's, with tabs read as libyaml reads them: blanks inside a plain scalar
        (``x \\t y``, ``x\\t# c``), and an error in the indentation of its next line (PyYAML
        refused every tab)."""
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() not in _BREAKS:
            return [whitespaces] if whitespaces else []
        line_break = self.scan_line_break()
        self.allow_simple_key = True
        if self.at_document_indicator():
            return None
        breaks = []
        while (ch := self.peek()) in _BLANKS_AND_BREAKS:
            if ch in _BREAKS:
                breaks.append(self.scan_line_break())
                if self.at_document_indicator():
                    return None
                continue
            if ch == "\t" and self.column < indent:
                raise ScannerError("while scanning a plain scalar", start_mark,
                                   "found a tab character that violates indentation", self.get_mark())
            self.forward()
        chunks = []
        if line_break != "\n":
            chunks.append(line_break)
        elif not breaks:
            chunks.append(" ")
        chunks.extend(breaks)
        return chunks

    def at_document_indicator(self) -> bool:
        """Whether a ``---`` or ``...`` line starts here."""
        return self.prefix(3) in ("---", "...") and self.peek(3) in _BLANKZ

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

    def scan_block_scalar_indicators(self, start_mark: Any) -> tuple[bool | None, int | None]:
        """The chomping and indentation indicators after a block scalar's ``|`` or ``>``, in
        either order. What follows them is :meth:`scan_block_scalar_ignored_line`'s to read:
        libyaml lets a tab or a comment follow them at once, PyYAML only a space."""
        chomping = increment = None
        for _ in range(2):
            ch = self.peek()
            if ch in "+-" and chomping is None:
                chomping = ch == "+"
            elif ch in "0123456789" and increment is None:
                if ch == "0":
                    raise ScannerError("while scanning a block scalar", start_mark,
                                       "expected indentation indicator in the range 1-9, but found 0",
                                       self.get_mark())
                increment = int(ch)
            else:
                break
            self.forward()
        return chomping, increment

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        """PyYAML's, with the comment after the indicators recorded (``note: |  # a comment``),
        and blanks before it that may be tabs, as for libyaml."""
        while self.peek() in " \t":
            self.forward()
        if self.peek() == "#":
            self.comment_offsets.append(self.index)
        return super().scan_block_scalar_ignored_line(start_mark)

    def scan_block_scalar_indentation(self) -> tuple[list[str], int, Any]:
        """PyYAML's; a tab on a line before the first with content is an error for libyaml
        (PyYAML read it as content)."""
        found = super().scan_block_scalar_indentation()
        self.no_tab_in_indentation()
        return found

    def scan_block_scalar_breaks(self, indent: int) -> tuple[list[str], Any]:
        """PyYAML's; a tab before a line's indentation is complete is an error for libyaml."""
        found = super().scan_block_scalar_breaks(indent)
        if self.column < indent:
            self.no_tab_in_indentation()
        return found

    def no_tab_in_indentation(self) -> None:
        if self.peek() == "\t":
            raise ScannerError("while scanning a block scalar", None,
                               "found a tab character where an indentation space is expected", self.get_mark())

    # --- tags ----------------------------------------------------------------------

    def scan_tag(self) -> Any:
        """libyaml's tag scanner: PyYAML's took a comma into a tag (``[!x, y]``), refused a tab
        after one, and split ``!a/b!c`` into a handle and a suffix."""
        start_mark = self.get_mark()
        if self.peek(1) == "<":  # verbatim: !<tag:yaml.org,2002:str>
            self.forward(2)
            handle, suffix = None, self.tag_uri(True, True, start_mark)
            if self.peek() != ">":
                raise ScannerError("while scanning a tag", start_mark, "did not find the expected '>'",
                                   self.get_mark())
            self.forward()
        else:
            length = 1
            while self.peek(length) in _TAG_HANDLE_CHARS:
                length += 1
            if self.peek(length) == "!":
                length += 1
            handle = self.prefix(length)
            self.forward(length)
            if length > 1 and handle[-1] == "!":  # a handle: !! or !name!
                suffix = self.tag_uri(True, False, start_mark)
            else:  # not a handle after all: the first characters of the suffix
                handle, suffix = "!", handle[1:] + self.tag_uri(False, False, start_mark)
                if not suffix:  # the non-specific tag, "!"
                    handle, suffix = None, "!"
        ch = self.peek()
        if ch not in _BLANKZ and not (self.flow_level and ch == ","):
            raise ScannerError("while scanning a tag", start_mark, "did not find expected whitespace or line break",
                               self.get_mark())
        return yaml.tokens.TagToken((handle, suffix), start_mark, self.get_mark())

    def tag_uri(self, required: bool, verbatim: bool, start_mark: Any) -> str:
        """The characters of a tag's URI from here (a flow indicator only in a verbatim tag),
        %-escapes decoded; an error if there are none and some are ``required``."""
        chunks = []
        while True:
            length = 0
            while (ch := self.peek(length)) in _TAG_URI_CHARS or (verbatim and ch in ",[]"):
                length += 1
            chunks.append(self.prefix(length))
            self.forward(length)
            if self.peek() != "%":
                break
            chunks.append(self.tag_uri_escape(start_mark))
        if required and not any(chunks):
            raise ScannerError("while parsing a tag", start_mark, "did not find expected tag URI", self.get_mark())
        return "".join(chunks)

    def tag_uri_escape(self, start_mark: Any) -> str:
        """One character written as %-escaped UTF-8 octets, checked as libyaml checks them; an
        overlong form or a surrogate, which libyaml lets through, is refused (the libyaml loader
        then fails to decode the tag: :func:`parse._parse_yaml` asks this loader where)."""
        octets, start = bytearray(), self.get_mark()
        width = 1
        while len(octets) < width:
            escape = self.prefix(3)
            if not _URI_ESCAPE.fullmatch(escape):
                raise ScannerError("while parsing a tag", start_mark, "did not find URI escaped octet",
                                   self.get_mark())
            octet = int(escape[1:], 16)
            if not octets:
                width = _UTF8_WIDTHS.get(octet >> 3, 0)
                if not width:
                    raise ScannerError("while parsing a tag", start_mark, "found an incorrect leading UTF-8 octet",
                                       self.get_mark())
            elif octet & 0xC0 != 0x80:
                raise ScannerError("while parsing a tag", start_mark, "found an incorrect trailing UTF-8 octet",
                                   self.get_mark())
            octets.append(octet)
            self.forward(3)
        try:
            return octets.decode("utf-8")
        except UnicodeDecodeError:
            raise ScannerError("while parsing a tag", start_mark, _TAG_NOT_UTF8, start) from None

    # --- the parser ----------------------------------------------------------------

    def parse_node(self, block: bool = False, indentless_sequence: bool = False) -> Any:
        """PyYAML's, with an empty node tagged ``!`` (``a: !``) read as libyaml reads it: an
        empty string (PyYAML: null); and an undefined tag handle (``!a!b``) refused after the
        token that follows the node's properties is read, as libyaml refuses it (PyYAML refused
        it first, where libyaml reports an error in that token: ``x: !a!b &a`` then ``n``)."""
        try:
            event = super().parse_node(block, indentless_sequence)
        except yaml.parser.ParserError as error:
            if (error.problem or "").startswith("found undefined tag handle"):
                self.peek_token()  # a scanner error there is libyaml's first
            raise
        if type(event) is yaml.events.ScalarEvent and event.tag == "!" and event.style is None and not event.value:
            event.implicit = (False, False)
        return event

    # The empty nodes of a flow collection (``{a: }``, ``[a: ]``, ``{? : x}``) are placed as
    # libyaml places them, at the token after the indicator (PyYAML: at the indicator's end).

    def parse_flow_mapping_key(self, first: bool = False) -> Any:
        """PyYAML's, with an empty key after ``?`` placed as libyaml places it."""
        tokens = yaml.tokens
        if not self.check_token(tokens.FlowMappingEndToken):
            if not first:
                if self.check_token(tokens.FlowEntryToken):
                    self.get_token()
                else:
                    token = self.peek_token()
                    raise yaml.parser.ParserError("while parsing a flow mapping", self.marks[-1],
                                                  f"expected ',' or '}}', but got {token.id!r}", token.start_mark)
            if self.check_token(tokens.KeyToken):
                self.get_token()
                if not self.check_token(tokens.ValueToken, tokens.FlowEntryToken, tokens.FlowMappingEndToken):
                    self.states.append(self.parse_flow_mapping_value)
                    return self.parse_flow_node()
                self.state = self.parse_flow_mapping_value
                return self.process_empty_scalar(self.peek_token().start_mark)
            if not self.check_token(tokens.FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_empty_value)
                return self.parse_flow_node()
        token = self.get_token()
        self.state = self.states.pop()
        self.marks.pop()
        return yaml.events.MappingEndEvent(token.start_mark, token.end_mark)

    def parse_flow_mapping_value(self) -> Any:
        return self.flow_value(yaml.tokens.FlowMappingEndToken, self.parse_flow_mapping_key)

    def parse_flow_sequence_entry_mapping_key(self) -> Any:
        """PyYAML's, with an empty key after ``?`` placed as libyaml places it; as libyaml does,
        a ``:`` or ``,`` right after the ``?`` is taken with the empty key."""
        tokens = yaml.tokens
        self.get_token()  # the "?"
        if not self.check_token(tokens.ValueToken, tokens.FlowEntryToken, tokens.FlowSequenceEndToken):
            self.states.append(self.parse_flow_sequence_entry_mapping_value)
            return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_value
        token = self.peek_token()
        if isinstance(token, tokens.FlowSequenceEndToken):
            return self.process_empty_scalar(token.start_mark)
        self.get_token()
        return self.process_empty_scalar(token.end_mark)

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        return self.flow_value(yaml.tokens.FlowSequenceEndToken, self.parse_flow_sequence_entry_mapping_end)

    def flow_value(self, end: type, after: Callable[[], Any]) -> Any:
        """The value of an entry of a flow mapping (``end``: the token that closes the
        collection; ``after``: the parser's next state)."""
        if self.check_token(yaml.tokens.ValueToken):
            self.get_token()
            if not self.check_token(yaml.tokens.FlowEntryToken, end):
                self.states.append(after)
                return self.parse_flow_node()
        self.state = after
        return self.process_empty_scalar(self.peek_token().start_mark)


_without_timestamps(Loader)
