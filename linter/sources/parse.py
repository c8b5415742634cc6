"""JSON and YAML parsers that remember where every value came from.

Both return :class:`Document` objects: the plain value (dicts, lists, strings,
numbers, booleans, None), the ``line, column`` of every value and every object
key by JSON pointer, and the duplicate keys the file holds (a plain parser would
silently keep one of them).
"""

from __future__ import annotations

import _thread
import bisect
import gc
import itertools
import json
import re
from ..record import record, field
from datetime import date, datetime
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from ..model import FrozenDict, FrozenList, pointer_join, pointer_token

#: What YAML aliases and merge keys may add to a document (values, and characters of
#: text and JSON pointers) before it counts as an alias bomb: this much, or as many
#: values as the file has characters (and 20 times as many characters) if that is more.
#: Plain values are not counted: a long file is not a bomb.
MAX_EXPANDED_NODES = 100_000
MAX_EXPANDED_CHARS = 10_000_000
MAX_DEPTH = 200
#: Python refuses to print integers of more than 4300 digits (CVE-2020-10735)
MAX_INT_DIGITS = 4300
MAX_INT_BITS = 14_280  # 2 ** 14_280 has 4299 digits

_HUGE_INT = f"an integer of more than {MAX_INT_DIGITS} digits is not a campaign value"
_LONE_SURROGATE = ("a \\u escape gives half of a UTF-16 surrogate pair, which is not a "
                   "character; write the character itself or the whole pair")
_YAML_SURROGATE = ("an escaped UTF-16 surrogate (\\ud800-\\udfff) is not a character in YAML; "
                   "write the character itself, or \\U0001F600 style escapes")
_LIBYAML_SURROGATE = "found invalid Unicode character escape code"
_TAG_NOT_UTF8 = "found %-escaped octets that are not a UTF-8 character"
_SURROGATE = re.compile("[\ud800-\udfff]")
#: escapes that can produce a lone surrogate (JSON \ud800, YAML \ud800 or \U0000d800)
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
#: line breaks after which the YAML scanner's line numbers differ from an editor's
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


def _other_breaks(text: str) -> bool:
    """Whether ``text`` holds a line break other than ``\n`` or ``\r\n`` (the regular expression
    alone takes 45 us on a 3 KB file: ``in`` asks first)."""
    if "\r" in text:
        return _OTHER_BREAKS.search(text) is not None
    return "\x85" in text or "\u2028" in text or "\u2029" in text


_LINE_END = re.compile(r"\r\n|\r|\n")
_set = dict.__setitem__
_append = list.append


def _line_starts(text: str) -> list[int]:
    """Offsets where lines begin; lines end at \\n, \\r\\n or \\r, as editors count them."""
    return [0] + [match.end() for match in _LINE_END.finditer(text)]


class _LineIndex:
    """Line and column (1-based) of an offset in a text, as editors count them (lines end at
    ``\\n``, ``\\r\\n`` or ``\\r``): found by counting line breaks in C for the first few
    places asked, all most files need, then from a table of line starts (each count starts at
    the top of the text). ``first_line``: lines before the text (a part of a stream)."""

    def __init__(self, text: str, first_line: int = 0):
        self.text = text
        self.first_line = first_line
        self.starts: list[int] | None = None
        self.counted = 0
        self.countable: bool | None = None  # lines end at \n alone

    def at(self, offset: int) -> tuple[int, int]:
        if self.starts is None:
            if self.countable is None:
                self.countable = "\r" not in self.text
            if self.countable and self.counted < _COUNTED_LOOKUPS:
                self.counted += 1
                line_start = self.text.rfind("\n", 0, offset) + 1
                return self.first_line + self.text.count("\n", 0, line_start) + 1, offset - line_start + 1
            self.starts = _line_starts(self.text)
        line = bisect.bisect_right(self.starts, offset)
        return self.first_line + line, offset - self.starts[line - 1] + 1


def _short(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


class ParseError(Exception):
    """The input is not valid JSON/YAML; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@record(frozen=True)
class Duplicate:
    pointer: str  # the object holding the key twice
    key: str
    line: int
    column: int
    first_line: int


class Comment(NamedTuple):
    line: int
    column: int  # of the "#"
    text: str
    own_line: bool  # nothing but blanks before it on its line


@record
class Document:
    value: Any
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    #: every comment (YAML only, and only when the text mentions campaign-lint)
    comments: list[Comment] = field(default_factory=list)


# --- JSON -----------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class _JsonParser:
    def __init__(self, text: str):
        self.text = text
        self.line_starts = _line_starts(text)
        self.doc = Document(None)
        self.escapes_surrogates = _SURROGATE_ESCAPE.search(text) is not None

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, message: str, offset: int) -> ParseError:
        line, column = self.where(min(offset, len(self.text)))
        return ParseError(message, line, column)

    def skip(self, offset: int) -> int:
        return _WS.match(self.text, offset).end()

    def parse(self) -> Document:
        offset = self.skip(0)
        if offset == len(self.text):
            raise self.fail("the file is empty", offset)
        self.doc.value, offset = self.value(offset, "", 0)
        offset = self.skip(offset)
        if offset != len(self.text):
            raise self.fail("extra data after the JSON value", offset)
        return self.doc

    def value(self, offset: int, pointer: str, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", offset)
        self.doc.positions[pointer] = self.where(offset)
        char = self.text[offset:offset + 1]
        if char == "{":
            return self.object(offset + 1, pointer, depth)
        if char == "[":
            return self.array(offset + 1, pointer, depth)
        if char == '"':
            return self.string(offset)
        number = _NUMBER.match(self.text, offset)
        if number and number.end() > offset:
            text = number.group()
            if number.group(1) or number.group(2):
                return float(text), number.end()
            if len(text) > MAX_INT_DIGITS:
                raise self.fail(_HUGE_INT, offset)
            return int(text), number.end()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, offset):
                return literal, offset + len(word)
        if not char:
            raise self.fail("unexpected end of file; expected a value", offset)
        raise self.fail(f"expected a value, found {self.text[offset:offset + 10]!r}", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            value, end = json.decoder.scanstring(self.text, offset + 1, True)
        except json.JSONDecodeError as error:
            raise self.fail(error.msg.lower(), error.pos) from None
        if self.escapes_surrogates and _SURROGATE.search(value):
            raise self.fail(_LONE_SURROGATE, offset)
        return value, end

    def object(self, offset: int, pointer: str, depth: int) -> tuple[dict, int]:
        result = FrozenDict()
        key_lines: dict[str, int] = {}
        offset = self.skip(offset)
        if self.text.startswith("}", offset):
            return result, offset + 1
        while True:
            if not self.text.startswith('"', offset):
                raise self.fail("expected a double-quoted key", offset)
            key_at = self.where(offset)
            key, offset = self.string(offset)
            offset = self.skip(offset)
            if not self.text.startswith(":", offset):
                raise self.fail(f"expected ':' after key {key!r}", offset)
            child = pointer_join(pointer, key)
            if key in result:
                self.doc.duplicates.append(
                    Duplicate(pointer, key, key_at[0], key_at[1], key_lines[key]))
            self.doc.key_positions[child] = key_at
            value, offset = self.value(self.skip(offset + 1), child, depth + 1)
            _set(result, key, value)  # like json.loads, the last one wins
            key_lines.setdefault(key, key_at[0])
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("}", offset):
                return result, offset + 1
            raise self.fail("expected ',' or '}' in object", offset)

    def array(self, offset: int, pointer: str, depth: int) -> tuple[list, int]:
        result = FrozenList()
        offset = self.skip(offset)
        if self.text.startswith("]", offset):
            return result, offset + 1
        while True:
            value, offset = self.value(offset, pointer_join(pointer, len(result)), depth + 1)
            _append(result, value)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("]", offset):
                return result, offset + 1
            raise self.fail("expected ',' or ']' in array", offset)


def parse_json(text: str) -> Document:
    """Parse one strict JSON document (no NaN, no comments, no trailing commas).

    The values come from the C ``json`` module; line:col are found only for the
    pointers that are asked for (:class:`_JsonPositions`). Anything unusual (an error,
    a duplicate key, NaN, a huge integer, a surrogate escape, deep nesting) goes through
    the position-tracking parser, which says exactly what and where; a stray U+FEFF that
    broke the parse is named (:func:`_stray_mark`)."""
    return _naming_stray_marks(text, _parse_json)


def _naming_stray_marks(text: str, parse: Callable[[str], Any], first_line: int = 0) -> Any:
    """``parse(text)``; when it fails, the error that names a stray U+FEFF that broke it
    (:func:`_stray_mark`) if there is one, else the parser's own."""
    try:
        return parse(text)
    except ParseError as error:
        stray = _stray_mark(text, parse, error, first_line) if "\ufeff" in text else None
        if stray is None:
            raise
        raise stray from error


def _parse_json(text: str) -> Document:
    if _json_depth(text) > MAX_DEPTH or _SURROGATE_ESCAPE.search(text) is not None:
        return _JsonParser(text).parse()
    try:
        value = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_refuse,
                           parse_int=_json_int)
    except (ValueError, RecursionError, _SlowPath):
        return _JsonParser(text).parse()
    if type(value) is list:
        value = _json_list(value)
    locator = _JsonLocator(text)
    return Document(value, _JsonPositions(locator, value, keys=False),
                    _JsonPositions(locator, value, keys=True))


def _json_depth(text: str) -> int:
    """How deeply the brackets of a JSON text nest (at most; brackets in strings aside)."""
    if text.count("{") + text.count("[") <= MAX_DEPTH:
        return 0
    brackets = _JSON_BRACKETS.findall(_JSON_STRING.sub("", text))
    return max(itertools.accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


class _SlowPath(Exception):
    """A fast path (JSON or YAML) met something only the position-tracking parser reports well."""


def _json_object(pairs: list) -> FrozenDict:
    result = FrozenDict(pairs)
    if len(result) != len(pairs):
        raise _SlowPath  # a duplicate key: CC004 needs both places
    if list in map(type, result.values()):  # (a test in C: most objects hold no array)
        for key, item in pairs:
            if type(item) is list:  # arrays arrive as lists: made read-only in place
                dict.__setitem__(result, key, _json_list(item))
    return result


def _json_list(items: list) -> FrozenList:
    if list in map(type, items):
        return FrozenList([_json_list(item) if type(item) is list else item for item in items])
    return FrozenList(items)


def _json_refuse(constant: str) -> Any:
    raise _SlowPath


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _SlowPath
    return int(text)


class _JsonLocator:
    """Offsets of the values and keys of a valid JSON text, by JSON pointer, found on
    demand: a lookup scans only the containers on the pointer's path, and each of them
    only as far as the child it looks for (a later lookup goes on from there)."""

    def __init__(self, text: str):
        self.text = text
        self.values: dict[str, int] = {"": _WS.match(text, 0).end()}
        self.keys: dict[str, int] = {}
        #: where the scan of a container stopped: (the offset of the last child recorded,
        #: whose value is not skipped yet; the next item's index)
        self.stopped: dict[str, tuple[int, int]] = {}
        #: the containers scanned to their end
        self.scanned: set[str] = set()
        self.lines = _LineIndex(text)

    def where(self, offset: int) -> tuple[int, int]:
        return self.lines.at(offset)

    def offset(self, pointer: str, keys: bool = False) -> int | None:
        found = (self.keys if keys else self.values).get(pointer)
        if found is not None or pointer == "" or not pointer.startswith("/"):
            return found
        parent = pointer[:pointer.rindex("/")]
        if parent not in self.scanned and self.offset(parent) is not None:
            self.scan(parent, pointer)
        return (self.keys if keys else self.values).get(pointer)

    def scan(self, pointer: str, wanted: str) -> None:
        """Record where the children of the container at ``pointer`` start, from where its
        last scan stopped up to ``wanted`` (or to its end: the container is then done)."""
        text, start = self.text, self.values[pointer]
        closing = _CLOSING.get(text[start])
        if closing is None:
            self.scanned.add(pointer)
            return
        if pointer in self.stopped:
            offset, index = self.stopped.pop(pointer)
            offset = _NEXT.match(text, self.skip(offset)).end()
        else:
            offset, index = _WS.match(text, start + 1).end(), 0
        while text[offset] != closing:
            if closing == "}":
                plain = _PLAIN_KEY.match(text, offset)
                if plain is not None:  # the key, its colon and the blanks around it, in C
                    key, after = plain.group(1), plain.end()
                else:  # a key with an escape
                    key, after = json.decoder.scanstring(text, offset + 1, True)
                    after = _WS.match(text, _WS.match(text, after).end() + 1).end()  # past the ':'
                child = f"{pointer}/{pointer_token(key)}"
                self.keys[child] = offset
                offset = after
            else:
                child = f"{pointer}/{index}"
                index += 1
            self.values[child] = offset
            if child == wanted:  # the rest waits for a lookup that needs it
                self.stopped[pointer] = (offset, index)
                return
            offset = _NEXT.match(text, self.skip(offset)).end()
        self.scanned.add(pointer)

    def skip(self, offset: int) -> int:
        """The offset just after the value starting at ``offset``: C ``json``'s scanner
        reads it (the text is valid JSON already, and its integers are short)."""
        return _SCAN_ONCE(self.text, offset)[1]


#: one JSON value at an offset -> (value, end), in C
_SCAN_ONCE = json.JSONDecoder().scan_once
_CLOSING = {"{": "}", "[": "]"}
#: places a locator finds by counting line breaks before it builds a table of line starts
_COUNTED_LOOKUPS = 32
#: an object member's key without escapes, its colon and the blanks up to the value
_PLAIN_KEY = re.compile(r'"([^"\\]*)"[ \t\n\r]*:[ \t\n\r]*')
#: after a value: blanks, and a comma with the blanks after it
_NEXT = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")


class _JsonPositions(Mapping):
    """``pointer -> (line, column)`` of the values (or keys) of a JSON document, computed
    when asked for; iterating lists every pointer of the document."""

    def __init__(self, locator: _JsonLocator, value: Any, keys: bool):
        self.locator = locator
        self.value = value
        self.of_keys = keys

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        offset = self.locator.offset(pointer, self.of_keys)
        if offset is None:
            raise KeyError(pointer)
        return self.locator.where(offset)

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self.locator.offset(pointer, self.of_keys) is not None

    def __iter__(self) -> Iterator[str]:
        return (pointer for pointer, member in _pointers(self.value) if member or not self.of_keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _pointers(value: Any, pointer: str = "", member: bool = False) -> Iterator[tuple[str, bool]]:
    """Every pointer of a value, and whether it names an object member (which has a key)."""
    yield pointer, member
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{pointer}/{pointer_token(key)}", True)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{index}")


# --- YAML -----------------------------------------------------------------------

_LINE_BREAKS = "\0\r\n\x85\u2028\u2029"


def _without_timestamps(loader: Any) -> None:
    """Leave unquoted dates as strings, as JSON would have them."""
    import yaml

    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _pure_loader_class():
    from .yaml_pure import Loader

    return Loader


def _libyaml_loader_class():
    """The same loader on libyaml's C scanner, parser and composer (several times faster);
    None when PyYAML was built without libyaml. Comments come from a second pass over
    libyaml's tokens (:func:`_token_comments`), only for text holding a ``#``."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        return None

    class Loader(yaml.CSafeLoader):
        def __init__(self, stream: str):
            super().__init__(stream)
            self.text = stream

        @property
        def comment_offsets(self) -> list[int]:
            return _token_comments(self.text)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            # libyaml's composer asks this (Python) resolver for every scalar's tag, by regular
            # expressions; campaign files repeat the same few scalars, so the answers are kept
            if kind is not scalar_node or len(value) > 100:  # long texts are rarely repeated
                return resolve(self, kind, value, implicit)
            if not implicit[0] and str_tag:  # quoted or a block scalar: no implicit resolver applies
                return str_tag
            tag = resolved.get(value)  # a plain scalar's tag depends on its text alone
            if tag is None:
                if len(resolved) >= _RESOLVED_LIMIT:
                    resolved.clear()
                tag = resolved[value] = resolve(self, kind, value, implicit)
            return tag

    scalar_node = yaml.ScalarNode
    resolve = yaml.CSafeLoader.resolve
    resolved: dict = {}
    # with no path resolvers (none are added), a scalar not resolved implicitly is a str
    str_tag = None if Loader.yaml_path_resolvers else Loader.DEFAULT_SCALAR_TAG
    _without_timestamps(Loader)
    return Loader


#: scalars whose resolved tag is kept (per process, for the libyaml loader)
_RESOLVED_LIMIT = 20_000


def _token_comments(text: str) -> list[int]:
    """Offsets of the ``#`` of every comment: comments lie in the gaps between tokens
    (and after a block scalar's indicator), never inside a token."""
    import yaml

    if "#" not in text:
        return []
    offsets: list[int] = []
    skipped = _skipped(text, yaml.CSafeLoader)
    scanner = yaml.CSafeLoader(text)
    try:
        end = 0
        while scanner.check_token():
            token = scanner.get_token()
            start = token.start_mark.index + skipped
            if start > end:
                _gap_comments(text, end, start, offsets)
            if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
                header = _BLOCK_HEADER.match(text, start)
                if header and header.group(1):
                    offsets.append(header.start(1))
            end = max(end, token.end_mark.index + skipped)
    finally:
        scanner.dispose()
    return offsets


_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]*(#)?")


def _gap_comments(text: str, start: int, end: int, offsets: list[int]) -> None:
    at = text.find("#", start, end)
    while at != -1:
        offsets.append(at)
        stop = at
        while stop < end and text[stop] not in _LINE_BREAKS:
            stop += 1
        at = text.find("#", stop, end)


_LOADERS: dict[bool, Any] = {}
_NAMES_TOOL = re.compile("campaign-lint", re.IGNORECASE)


def _names_tool(text: str) -> bool:
    """Whether ``text`` holds "campaign-lint" in any case (as the directive check reads it).
    Only ``N`` and ``L`` match ``n`` and ``l`` without regard to case, so a text without
    ``n-l`` once lower-cased has none, found in 3 us (the regular expression takes 30)."""
    return "n-l" in text.lower() and _NAMES_TOOL.search(text) is not None


_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_MERGE_TAG = "tag:yaml.org,2002:merge"
_CORE_TAG = "tag:yaml.org,2002:"
_INT_TAG = _CORE_TAG + "int"
_STR_TAG = _CORE_TAG + "str"
_SCALAR_TAGS = frozenset(_CORE_TAG + name for name in
                         ("int", "float", "bool", "null", "timestamp", "binary"))


class _NodeTypes:
    """yaml.nodes, imported when the first YAML file is parsed (not at start-up)."""

    def __getattr__(self, name: str) -> Any:
        import yaml.nodes

        value = getattr(yaml.nodes, name)
        setattr(self, name, value)
        return value


_nodes = _NodeTypes()


class _YamlBuilder:
    """Turns the composer's node graph into plain values with positions.

    The graph shares one node for an anchor and all its aliases, and a merge key
    (``<<: *base``) copies another mapping's pairs: a node met a second time, and
    everything below it, is expansion. Expansion is charged to a budget of nodes and
    characters (the value's text and its JSON pointer, so that a long key repeated
    through aliases is charged for every copy); plain nodes cost nothing."""

    def __init__(self, loader: Any, lines: "_Lines", tag_key: Any = None):
        self.loader = loader
        self.lines = lines
        #: maps an application tag (``!Ref``) to the key of its long form (``Ref``), or None
        self.tag_key = tag_key
        self.doc = Document(None)
        self.seen: set[int] = set()
        self.path: set[int] = set()  # the collections being built, to catch *a inside &a
        self.pair_cache: dict[int, list] = {}
        self.expanded_nodes = 0
        self.expanded_chars = 0
        self.max_nodes = max(MAX_EXPANDED_NODES, len(lines.text))
        self.max_chars = max(MAX_EXPANDED_CHARS, 20 * len(lines.text))
        #: the editor's line of the scanner's line 0, when the scanner counts lines as editors do
        self.line_base = lines.first_line + 1 if lines.exact else None

    def where(self, node: Any) -> tuple[int, int]:
        mark = node.start_mark
        if self.line_base is not None:  # Lines.where, without two calls per node
            return self.line_base + mark.line, mark.column + 1
        return self.lines.where(mark)

    def fail(self, message: str, node: Any) -> ParseError:
        return ParseError(message, *self.where(node))

    def charge(self, node: Any, pointer: str, text: str = "") -> None:
        self.expanded_nodes += 1
        self.expanded_chars += len(pointer) + len(text)
        if self.expanded_nodes > self.max_nodes or self.expanded_chars > self.max_chars:
            raise self.fail(
                f"aliases and merge keys expand to more than {self.max_nodes:,} values or "
                f"{self.max_chars:,} characters (an alias bomb?)", node)

    def build(self, node: Any, pointer: str, depth: int, expanded: bool = False) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", node)
        if not expanded:
            seen = self.seen
            expanded = id(node) in seen
            seen.add(id(node))
        is_scalar = type(node) is _nodes.ScalarNode
        if expanded:
            self.charge(node, pointer, node.value if is_scalar else "")
        if self.line_base is not None:  # where(), inline: this runs for every value
            mark = node.start_mark
            self.doc.positions[pointer] = (self.line_base + mark.line, mark.column + 1)
        else:
            self.doc.positions[pointer] = self.where(node)
        tag = node.tag
        if is_scalar and tag == _STR_TAG and not self.lines.escapes_surrogates:
            return node.value  # most values: what scalar() gives, without the calls
        if tag.startswith("!"):
            key = self.tag_key(tag) if self.tag_key else None
            if key:  # a short form read as its long form: {key: value}
                node = type(node)("!", node.value, node.start_mark, node.end_mark)
                return FrozenDict({key: self.build(node, f"{pointer}/{pointer_token(key)}", depth + 1, expanded)})
            # An application's own tag (CloudFormation's !Ref, GitLab's !reference): its
            # value is kept as plain data and nothing is constructed from the tag.
            if is_scalar:
                return self.checked_text(node.value, node)
        elif not is_scalar and tag not in _COLLECTION_TAGS:
            raise self.fail(f"unsupported YAML tag {tag!r}", node)
        if is_scalar:
            return self.scalar(node)
        if id(node) in self.path:
            raise self.fail("an alias refers to the value that contains it", node)
        self.path.add(id(node))
        if type(node) is _nodes.MappingNode:
            result = self.mapping(node, pointer, depth, expanded)
        else:
            result = FrozenList()
            for index, item in enumerate(node.value):
                _append(result, self.build(item, f"{pointer}/{index}", depth + 1, expanded))
        self.path.discard(id(node))
        return result

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            return self.checked_text(node.value, node)
        if tag == _INT_TAG and len(node.value) > MAX_INT_DIGITS:
            raise self.fail(_HUGE_INT, node)
        try:
            if tag in _SCALAR_TAGS:  # straight to the constructor: nothing kept in a cache
                value = self.loader.yaml_constructors[tag](self.loader, node)
            else:
                value = self.loader.construct_object(node, deep=True)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
            # an explicit tag on a value it cannot describe: !!int x, !!bool maybe
            tag = node.tag.replace(_CORE_TAG, "!!")
            raise self.fail(f"{_short(node.value)} is not a valid {tag} value; "
                            "remove the tag or fix the value", node) from None
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, bytes):
            raise self.fail("binary values are not allowed in a campaign", node)
        if isinstance(value, str):
            return self.checked_text(value, node)
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise self.fail(_HUGE_INT, node)
        return value

    def checked_text(self, value: str, node: Any) -> str:
        if self.lines.escapes_surrogates and _SURROGATE.search(value):
            raise self.fail(_YAML_SURROGATE, node)  # as libyaml does, even for a pair
        return value

    def key(self, node: Any) -> str:
        if node.tag == _STR_TAG and not self.lines.escapes_surrogates:
            return node.value  # what scalar() gives a plain str key, without the calls
        key = self.scalar(node)
        return key if isinstance(key, str) else node.value

    def mapping(self, node: Any, pointer: str, depth: int, expanded: bool) -> dict:
        result = FrozenDict()
        first_line: dict[str, int] = {}
        plain_keys = not self.lines.escapes_surrogates
        line_base = self.line_base
        for key_node, value_node in self.pairs(node, depth):
            # key() and where(), inline for the common case: this runs for every member
            key = key_node.value if plain_keys and key_node.tag == _STR_TAG else self.key(key_node)
            if line_base is not None:
                mark = key_node.start_mark
                key_at = (line_base + mark.line, mark.column + 1)
            else:
                key_at = self.where(key_node)
            if key in first_line:
                self.doc.duplicates.append(Duplicate(pointer, key, *key_at, first_line[key]))
            else:
                first_line[key] = key_at[0]
            child = f"{pointer}/{pointer_token(key)}"
            # a key that is an alias repeats its text in every pointer below it
            expands = expanded or id(key_node) in self.seen
            self.seen.add(id(key_node))
            if expands:
                self.charge(key_node, child, key)
            self.doc.key_positions[child] = key_at
            _set(result, key, self.build(value_node, child, depth + 1, expands))
        return result

    def pairs(self, node: Any, depth: int) -> list:
        """Key/value node pairs of a mapping, with merge keys (``<<: *base``) resolved as
        YAML defines them: the mapping's own keys win, then earlier merged mappings win
        over later ones. Computed once per mapping node, however often it is merged."""
        import yaml

        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or type(key_node) is not _nodes.ScalarNode:
                break
        else:
            return node.value  # the common case: plain keys, no merge
        cached = self.pair_cache.get(id(node))
        if cached is not None:
            return cached
        if depth > MAX_DEPTH:
            raise self.fail("merge keys (<<) nested too deeply, or a mapping merged into "
                            "itself", node)
        own, sources = [], []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                found = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in found:
                    if not isinstance(source, yaml.MappingNode):
                        raise self.fail("a merge key (<<) must refer to a mapping", source)
                    sources.append(source)
            elif not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("a mapping key must be a plain value, not a list or mapping",
                                key_node)
            else:
                own.append((key_node, value_node))
        result = own
        if sources:
            taken = {self.key(key_node) for key_node, _ in own}
            for source in sources:
                for key_node, value_node in self.pairs(source, depth + 1):
                    key = self.key(key_node)
                    if key not in taken:
                        taken.add(key)
                        result.append((key_node, value_node))
        self.pair_cache[id(node)] = result
        return result


def _fast_values(builder: _YamlBuilder, root: Any) -> tuple[Any, list[int]]:
    """The values :class:`_YamlBuilder` builds, for a document whose text has no anchor (so no
    node is met twice), and where they are in a flat list instead of a dict by pointer: no
    pointer is made, and the nodes are not kept (held for the lookups, a stream's nodes made
    the collector's full passes cost several times the parse). Anything less common (a merge
    key, a duplicate key, a key that is not plain text, a tag the builder refuses or
    constructs, a value nested too deeply) raises :class:`_SlowPath`: the document is then built
    by :class:`_YamlBuilder`, which reports it.

    The list holds three numbers per value, in document order (a value, then the values
    inside it): the offset in the text where it starts, where its key starts (-1 without a key:
    a list item, the document, a short form's value), and the number of values it spans,
    itself included. :class:`_YamlPositions` turns offsets into lines and columns."""
    positions: list[int] = []  # (a list takes its numbers faster than an array("q"))
    extend = positions.extend
    scalar, tag_key = builder.scalar, builder.tag_key
    scalar_node, mapping_node = _nodes.ScalarNode, _nodes.MappingNode

    def value(node: Any, depth: int, key_at: int, short_form: bool = False) -> Any:
        if depth > MAX_DEPTH:
            raise _SlowPath
        index = len(positions)
        extend((node.start_mark.index, key_at, 1))
        tag = "!" if short_form else node.tag
        node_type = type(node)
        if node_type is scalar_node:
            if tag == _STR_TAG:
                return node.value
            if tag in _SCALAR_TAGS:
                return scalar(node)
            if tag[0] != "!":
                raise _SlowPath  # a tag the builder refuses or constructs (!!map a, !!python/...)
        elif tag[0] != "!" and tag not in _COLLECTION_TAGS:
            raise _SlowPath
        if tag[0] == "!":
            key = tag_key(tag) if tag_key else None
            if key:  # a short form read as its long form: {key: value}, the value where the tag is
                result: Any = FrozenDict({key: value(node, depth + 1, -1, True)})
                positions[index + 2] = (len(positions) - index) // 3
                return result
            if node_type is scalar_node:
                return node.value  # an application's own tag: the text, nothing constructed
        depth += 1
        if depth > MAX_DEPTH and node.value:
            raise _SlowPath  # the values inside are nested too deeply (those inlined below too)
        if node_type is mapping_node:
            items = []
            for key_node, value_node in node.value:
                if key_node.tag != _STR_TAG or type(key_node) is not scalar_node:
                    raise _SlowPath  # a merge key (<<), or a key that is not plain text
                if value_node.tag == _STR_TAG and type(value_node) is scalar_node:  # value(), inline
                    extend((value_node.start_mark.index, key_node.start_mark.index, 1))
                    items.append((key_node.value, value_node.value))
                else:
                    items.append((key_node.value, value(value_node, depth, key_node.start_mark.index)))
            result = FrozenDict(items)
            if len(result) != len(items):
                raise _SlowPath  # a duplicate key: CC004 needs both places
        else:
            result = FrozenList([value(item, depth, -1) for item in node.value])
        positions[index + 2] = (len(positions) - index) // 3
        return result

    return value(root, 0, -1), positions


#: containers with more values than this get their values' entries listed once, when asked
_FEW_INSIDE = 16
#: a ``~`` in a pointer token that is not ``~0`` or ``~1``
_BAD_ESCAPE = re.compile("~(?![01])")


class _YamlPositions(Mapping):
    """``pointer -> (line, column)`` of the values (or keys) of a document built by
    :func:`_fast_values`, found in its position list when asked, by walking the value
    alongside; iterating lists every pointer that has one."""

    def __init__(self, value: Any, positions: list[int], lines: "_Lines", keys: bool):
        self.value = value
        self.positions = positions
        self.lines = lines
        self.of_keys = keys
        #: for a large container (by its entry): the entries of the values inside it
        self.inside: dict[int, list[int]] = {}
        #: for a large object (by its entry): the place of each member, by key
        self.places: dict[int, dict[str, int]] = {}

    def of_keys_too(self) -> "_YamlPositions":
        """The key positions of the same document, sharing what was listed for lookups."""
        keys = _YamlPositions(self.value, self.positions, self.lines, True)
        keys.inside, keys.places = self.inside, self.places
        return keys

    def entry(self, pointer: str) -> int | None:
        """The index in the list of the entry of the value at ``pointer``, or None."""
        if not pointer:
            return 0
        if pointer[0] != "/":
            return None
        value, index = self.value, 0
        for token in pointer[1:].split("/"):
            if "~" in token:
                if _BAD_ESCAPE.search(token):
                    return None  # as no pointer the full builder keeps has it
                token = token.replace("~1", "/").replace("~0", "~")
            if type(value) is FrozenDict:
                if token not in value:
                    return None
                place, inner = self.place(index, value, token), value[token]
            elif type(value) is FrozenList and token.isascii() and token.isdigit() \
                    and str(int(token)) == token and int(token) < len(value):
                place = int(token)
                inner = value[place]
            else:
                return None
            index, value = self.child(index, len(value), place), inner
        return index

    def place(self, index: int, value: Mapping, key: str) -> int:
        """Where member ``key`` is among the members of the object at entry ``index``."""
        if len(value) <= _FEW_INSIDE:
            return next(place for place, name in enumerate(value) if name == key)
        places = self.places.get(index)
        if places is None:
            places = self.places[index] = {name: place for place, name in enumerate(value)}
        return places[key]

    def child(self, index: int, count: int, place: int) -> int:
        """The entry of the ``place``-th of the ``count`` values inside the container at entry
        ``index``: the values before it skipped by their spans (listed once for a large one:
        a lookup per item of a long list was quadratic)."""
        positions = self.positions
        if count <= _FEW_INSIDE:
            at = index + 3
            for _ in range(place):
                at += 3 * positions[at + 2]
            return at
        entries = self.inside.get(index)
        if entries is None:
            entries, at = [], index + 3
            for _ in range(count):
                entries.append(at)
                at += 3 * positions[at + 2]
            self.inside[index] = entries
        return entries[place]

    def offset(self, pointer: object) -> int | None:
        """Where the value (or key) at ``pointer`` starts in the text, or None."""
        index = self.entry(pointer) if isinstance(pointer, str) else None
        offset = None if index is None else self.positions[index + 1 if self.of_keys else index]
        return None if offset is None or offset < 0 else offset

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        offset = self.offset(pointer)
        if offset is None:
            raise KeyError(pointer)
        return self.lines.offset(offset)

    def __contains__(self, pointer: object) -> bool:
        return self.offset(pointer) is not None  # no line and column worked out to answer it

    def __iter__(self) -> Iterator[str]:
        return (pointer for pointer, _ in _pointers(self.value) if pointer in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _yaml_document(loader: Any, node: Any, lines: "_Lines", tag_key: Any, fast: bool = True) -> Document:
    """The document of one composed node graph: through :func:`_fast_values` when the text
    has no anchor (so no alias), surrogate escape or U+FEFF, and the document nothing unusual,
    else (or when not ``fast``) through :class:`_YamlBuilder`: the same values and positions,
    and its errors."""
    builder = _YamlBuilder(loader, lines, tag_key)
    if node is None:
        return builder.doc
    if fast and not (lines.anchors or lines.escapes_surrogates or lines.byte_order_marks):
        try:
            value, positions = _fast_values(builder, node)
        except (_SlowPath, ParseError):
            pass  # an error is reported as the full builder words and places it
        else:
            values = _YamlPositions(value, positions, lines, False)
            return Document(value, values, values.of_keys_too())
    builder.doc.value = builder.build(node, "", 0)
    return builder.doc


class _Lines:
    """Line and column of a YAML mark as an editor counts them: lines end at ``\n``,
    ``\r\n`` or ``\r`` only (YAML 1.1 also breaks lines at U+0085, U+2028 and U+2029;
    the scanner's own line numbers drift after those)."""

    def __init__(self, text: str, first_line: int = 0, skipped: int = 0):
        self.text = text
        #: lines of the file before ``text`` (a part of a stream, cut at a line start)
        self.first_line = first_line
        #: characters at the start of ``text`` the scanner's offsets leave out (:func:`_skipped`)
        self.skipped = skipped
        self.exact = not _other_breaks(text)
        self.index = _LineIndex(text, first_line)
        self.escapes_surrogates = _SURROGATE_ESCAPE.search(text) is not None
        #: whether the text may hold an anchor (without one, no node is met twice)
        self.anchors = "&" in text
        #: a U+FEFF: neither loader counts the column of one that starts the text, and libyaml's
        #: offsets leave it out (``skipped``): offsets and columns then disagree
        self.byte_order_marks = "\ufeff" in text

    def where(self, mark: Any) -> tuple[int, int]:
        if self.exact:
            return self.first_line + mark.line + 1, mark.column + 1
        return self.offset(mark.index + self.skipped)

    def offset(self, index: int) -> tuple[int, int]:
        return self.index.at(index)


def _comments(text: str, offsets: list[int], lines: _Lines) -> list[Comment]:
    """The comments the scanner skipped, at their ``#``."""
    comments = []
    for offset in offsets:
        end = offset + 1
        while end < len(text) and text[end] not in _LINE_BREAKS:
            end += 1
        line, column = lines.offset(offset)
        before = text[offset - column + 1:offset]
        comments.append(Comment(line, column, text[offset + 1:end].strip(), not before.strip()))
    return comments


_DOCUMENT_START = re.compile(r"^---(?=[ \t\n]|\Z)", re.MULTILINE)


def yaml_stream_parts(text: str, size: int) -> list[tuple[int, int, int]]:
    """A YAML stream cut into parts of about ``size`` characters, each a run of whole
    documents: ``(start, end, lines before start)``. A cut is made only at a ``---`` that
    begins a line, not right after a directive (``%YAML``, ``%TAG``: they belong to the
    document that follows). Both loaders read such a line as a document start or refuse
    the text, so parsed part by part the stream gives the same documents, or a part
    fails (the caller then parses the stream whole, for the error it reports). One part
    when the text is small, or has line breaks other than ``\n`` (positions count them)."""
    if len(text) <= size or "\r" in text or _other_breaks(text):
        return [(0, len(text), 0)]
    parts, start, lines = [], 0, 0
    at = size
    while at < len(text):
        match = _DOCUMENT_START.search(text, at)
        if match is None:
            break
        cut = match.start()
        at = match.end()
        if _after_directive(text, cut):
            continue
        parts.append((start, cut, lines))
        lines += text.count("\n", start, cut)
        start, at = cut, cut + size
    parts.append((start, len(text), lines))
    return parts


def _after_directive(text: str, cut: int) -> bool:
    """Whether the last line before ``cut`` that is not blank or a comment is a directive."""
    end = cut
    while end > 0:
        begin = text.rfind("\n", 0, end - 1) + 1
        line = text[begin:end].strip()
        if line and not line.startswith("#"):
            return line.startswith("%")
        end = begin
    return False


def _get_loader(pure: bool = False) -> Any:
    """The libyaml loader when PyYAML has it (``pure`` not set), else the pure-Python one."""
    if pure not in _LOADERS:
        _LOADERS[pure] = (None if pure else _libyaml_loader_class()) or _pure_loader_class()
    return _LOADERS[pure]


#: parses under way, and whether the collector ran before the first of them began
_PAUSES = {"count": 0, "collecting": False}
_PAUSES_LOCK = _thread.allocate_lock()


def _pause_collector() -> None:
    """The composer's nodes are acyclic but for aliases, and freed by their counts; the cyclic
    collector's full passes over a growing node graph took three quarters of the parse of a
    2 MB document (1.5 s of 2). It waits until the last parse under way is done (threads may
    parse at once), then resumes as it was before the first."""
    with _PAUSES_LOCK:
        if _PAUSES["count"] == 0:
            _PAUSES["collecting"] = gc.isenabled()
            gc.disable()
        _PAUSES["count"] += 1


def _resume_collector() -> None:
    with _PAUSES_LOCK:
        _PAUSES["count"] -= 1
        if _PAUSES["count"] == 0 and _PAUSES["collecting"]:
            gc.enable()


def document_start(text: str, number: int, first_line: int = 0) -> tuple[int, int] | None:
    """Line and column where document ``number`` (0-based) of a YAML stream that parses
    begins: its ``---``, where PyYAML's single-document loaders say "but found another
    document"; its first token when it has no ``---``. Only the events up to it are read.
    None when the stream has fewer documents."""
    import yaml

    loader = _get_loader()(text)
    try:
        seen = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                if seen == number:
                    return _Lines(text, first_line, _skipped(text, type(loader))).where(event.start_mark)
                seen += 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def parse_yaml(text: str, tag_key: Any = None, pure: bool = False, first_line: int = 0) -> list[Document]:
    """Parse every document of a YAML stream, safely (no arbitrary tags). libyaml does
    the scanning when PyYAML has it; ``pure`` forces the pure-Python loader (the results
    are the same, which a test checks).

    ``tag_key`` maps an application tag to a key: the tagged value is then read as
    ``{key: value}`` (CloudFormation's ``!Ref X`` as ``{"Ref": "X"}``). ``first_line``:
    the lines of the file before ``text`` when it is a part of a stream
    (:func:`yaml_stream_parts`), counted into every position. A stray U+FEFF that broke
    the parse is named (:func:`_stray_mark`): the loaders' own words do not name it."""
    return _naming_stray_marks(text, lambda changed: _parse_yaml(changed, tag_key, pure, first_line), first_line)


def _parse_yaml(text: str, tag_key: Any = None, pure: bool = False, first_line: int = 0) -> list[Document]:
    import yaml

    loader = None
    documents = []
    loader_class = _get_loader(pure)
    lines = _Lines(text, first_line, _skipped(text, loader_class))
    _pause_collector()
    try:
        loader = loader_class(text)
        while loader.check_node():
            documents.append(_yaml_document(loader, loader.get_node(), lines, tag_key))
            loader.constructed_objects = {}  # the finished document's values are not needed
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(filter(None, [error.context, error.problem]))
        if error.problem == _LIBYAML_SURROGATE and error.context_mark is not None:
            message, mark = _YAML_SURROGATE, error.context_mark  # as the pure loader says it
        raise ParseError(message or "invalid YAML", *(lines.where(mark) if mark else (1, 1))) from None
    except yaml.reader.ReaderError as error:
        raise ParseError(f"character U+{error.character:04X} is not allowed in YAML",
                         *lines.offset(_reader_offset(text, error.position, loader_class))) from None
    except yaml.YAMLError as error:
        raise ParseError(str(error).splitlines()[0], 1, 1) from None
    except RecursionError:
        raise ParseError("nested too deeply", 1, 1) from None
    except UnicodeDecodeError:  # libyaml's composer, decoding a tag's %-escapes that are no UTF-8
        if not pure:
            _parse_yaml(text, tag_key, True, first_line)  # the pure loader refuses them where they are
        raise ParseError(_TAG_NOT_UTF8, 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()
        _resume_collector()
    # only suppression comments are read, so a text that never names the tool has none worth
    # finding (and libyaml is spared a second pass over the tokens)
    comments = _comments(text, loader.comment_offsets, lines) if _names_tool(text) else []
    for document in documents:
        document.comments = comments
    return documents


def _is_libyaml(loader: type) -> bool:
    """Whether ``loader`` reads with libyaml's C reader (not PyYAML's)."""
    import yaml.reader

    return not issubclass(loader, yaml.reader.Reader)


def _skipped(text: str, loader: type) -> int:
    """How many characters at the start of ``text`` the offsets of ``loader``'s marks leave out:
    libyaml's reader drops a U+FEFF that starts the text, PyYAML's keeps it."""
    return 1 if text.startswith("\ufeff") and _is_libyaml(loader) else 0


def _reader_offset(text: str, position: int, loader: type) -> int:
    """The offset in ``text`` of a reader error's position: libyaml's reader counts the bytes of
    the UTF-8 text, PyYAML's the characters."""
    if not _is_libyaml(loader):
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))


_STRAY_MARK = ("a stray U+FEFF (zero-width no-break space, a byte order mark) here, invisible in most "
               "editors: remove it")


def _stray_mark(text: str, parse: Callable[[str], Any], error: ParseError, first_line: int = 0) -> ParseError | None:
    """After ``text`` failed to parse with ``error``: the error that names a U+FEFF it does not
    parse with (one that is not data in a quoted string, nor where a loader skips a byte order
    mark), or None when none can be shown to be it. Only a failed parse of a text that holds a
    U+FEFF pays for this: first the last U+FEFF at or before the parser's error is taken out
    (one parse more); failing that, with a few U+FEFFs, a binary search over which are kept.
    A text with many (data in strings) is not searched: each step parses the whole text."""
    marks = [match.start() for match in _FEFF.finditer(text)]
    suspect = _mark_before(marks, _offset(text, error, first_line))
    if suspect is not None and _parses(parse, text[:suspect] + text[suspect + 1:]):
        return ParseError(_STRAY_MARK, *_LineIndex(text, first_line).at(suspect))
    if len(marks) > MAX_MARKS_SEARCHED or not _parses(parse, _without_marks(text, marks, 0)):
        return None
    kept, broken = 0, len(marks)  # parses with marks[:kept] kept, fails with marks[:broken]
    while broken - kept > 1:
        middle = (kept + broken) // 2
        if _parses(parse, _without_marks(text, marks, middle)):
            kept = middle
        else:
            broken = middle
    return ParseError(_STRAY_MARK, *_LineIndex(text, first_line).at(marks[kept]))


#: at most this many U+FEFFs are searched one by one (about log2 of it whole parses)
MAX_MARKS_SEARCHED = 64


def _offset(text: str, error: ParseError, first_line: int) -> int | None:
    """The offset in ``text`` of an error's line and column (None when it has none)."""
    if error.line is None or error.column is None:
        return None
    starts = _line_starts(text)
    line = error.line - first_line
    return None if not 1 <= line <= len(starts) else starts[line - 1] + error.column - 1


def _mark_before(marks: list[int], offset: int | None) -> int | None:
    """The last of ``marks`` at or before ``offset``."""
    if offset is None:
        return None
    index = bisect.bisect_right(marks, offset)
    return marks[index - 1] if index else None


_FEFF = re.compile("\ufeff")


def _without_marks(text: str, marks: list[int], kept: int) -> str:
    """``text`` with every U+FEFF but the first ``kept`` of ``marks`` (their offsets) removed."""
    return text[:marks[kept]] + text[marks[kept]:].replace("\ufeff", "") if kept < len(marks) else text


def _parses(parse: Callable[[str], Any], text: str) -> bool:
    try:
        parse(text)
    except ParseError:
        return False
    return True
