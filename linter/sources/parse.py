"""JSON and YAML parsers that remember where every value came from.

Both return :class:`Document` objects: the plain value (dicts, lists, strings,
numbers, booleans, None), the ``line, column`` of every value and every object
key by JSON pointer, and the duplicate keys the file holds (a plain parser would
silently keep one of them).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from ..model import pointer_join

#: More YAML nodes than this (after alias expansion) is an alias bomb, not a campaign.
MAX_YAML_NODES = 100_000
MAX_DEPTH = 200


class ParseError(Exception):
    """The input is not valid JSON/YAML; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
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


@dataclass
class Document:
    value: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    #: every comment (YAML only)
    comments: list[Comment] = field(default_factory=list)


# --- JSON -----------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class _JsonParser:
    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.doc = Document(None)

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
            is_float = number.group(1) or number.group(2)
            return (float(text) if is_float else int(text)), number.end()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, offset):
                return literal, offset + len(word)
        if not char:
            raise self.fail("unexpected end of file; expected a value", offset)
        raise self.fail(f"expected a value, found {self.text[offset:offset + 10]!r}", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, offset + 1, True)
        except json.JSONDecodeError as error:
            raise self.fail(error.msg.lower(), error.pos) from None

    def object(self, offset: int, pointer: str, depth: int) -> tuple[dict, int]:
        result: dict[str, Any] = {}
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
            result[key] = value  # like json.loads, the last one wins
            key_lines.setdefault(key, key_at[0])
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("}", offset):
                return result, offset + 1
            raise self.fail("expected ',' or '}' in object", offset)

    def array(self, offset: int, pointer: str, depth: int) -> tuple[list, int]:
        result: list[Any] = []
        offset = self.skip(offset)
        if self.text.startswith("]", offset):
            return result, offset + 1
        while True:
            value, offset = self.value(offset, pointer_join(pointer, len(result)), depth + 1)
            result.append(value)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("]", offset):
                return result, offset + 1
            raise self.fail("expected ',' or ']' in array", offset)


def parse_json(text: str) -> Document:
    """Parse one strict JSON document (no NaN, no comments, no trailing commas)."""
    return _JsonParser(text).parse()


# --- YAML -----------------------------------------------------------------------


def _loader_class():
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that leaves dates as strings, as JSON would have them."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


_LOADER = None
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _YamlBuilder:
    def __init__(self, loader: Any, tag_key: Any = None):
        self.loader = loader
        #: maps an application tag (``!Ref``) to the key of its long form (``Ref``), or None
        self.tag_key = tag_key
        self.doc = Document(None)
        self.nodes = 0

    def build(self, node: Any, pointer: str, depth: int) -> Any:
        import yaml

        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _yaml_error(f"more than {MAX_YAML_NODES} values after expanding aliases "
                              "(an alias bomb?)", node)
        if depth > MAX_DEPTH:
            raise _yaml_error(f"nested more than {MAX_DEPTH} levels deep", node)
        self.doc.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag.startswith("!") and self.tag_key and self.tag_key(node.tag):
            key = self.tag_key(node.tag)  # a short form read as its long form: {key: value}
            node = type(node)("!", node.value, node.start_mark, node.end_mark)
            return {key: self.build(node, pointer_join(pointer, key), depth + 1)}
        if node.tag.startswith("!"):
            # An application's own tag (CloudFormation's !Ref, GitLab's !reference): its
            # value is kept as plain data and nothing is constructed from the tag.
            if isinstance(node, yaml.ScalarNode):
                return node.value
        elif not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise _yaml_error(f"unsupported YAML tag {node.tag!r}", node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, pointer_join(pointer, i), depth + 1)
                    for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: Any) -> Any:
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, bytes):
            raise _yaml_error("binary values are not allowed in a campaign", node)
        return value

    def mapping(self, node: Any, pointer: str, depth: int) -> dict:
        import yaml

        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in self.merged_pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise _yaml_error("a mapping key must be a plain value, not a list or mapping",
                                  key_node)
            key = self.scalar(key_node)
            key = key if isinstance(key, str) else key_node.value
            key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in first_line:
                self.doc.duplicates.append(Duplicate(pointer, key, *key_at, first_line[key]))
            else:
                first_line[key] = key_at[0]
            child = pointer_join(pointer, key)
            self.doc.key_positions[child] = key_at
            result[key] = self.build(value_node, child, depth + 1)
        return result

    @staticmethod
    def merged_pairs(node: Any) -> list:
        """Key/value node pairs, with YAML merge keys (``<<: *base``) expanded."""
        import yaml

        own, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise _yaml_error("a merge key (<<) must refer to a mapping", source)
                    merged.extend(_YamlBuilder.merged_pairs(source))
            else:
                own.append((key_node, value_node))
        own_keys = {k.value for k, _ in own}
        return own + [(k, v) for k, v in merged if k.value not in own_keys]


def _yaml_error(message: str, node: Any) -> ParseError:
    return ParseError(message, node.start_mark.line + 1, node.start_mark.column + 1)


def _comment_in_line(line: str) -> tuple[int, str] | None:
    """``(column, text)`` of the comment on one YAML line, ignoring ``#`` in quoted strings."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index + 1, line[index + 1:].strip()
    return None


def _get_loader():
    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    return _LOADER


def parse_yaml(text: str, tag_key: Any = None) -> list[Document]:
    """Parse every document of a YAML stream, safely (no arbitrary tags).

    ``tag_key`` maps an application tag to a key: the tagged value is then read as
    ``{key: value}`` (CloudFormation's ``!Ref X`` as ``{"Ref": "X"}``)."""
    import yaml

    loader = None
    documents = []
    try:
        loader = _get_loader()(text)
        while loader.check_node():
            node = loader.get_node()
            builder = _YamlBuilder(loader, tag_key)
            builder.doc.value = builder.build(node, "", 0) if node is not None else None
            documents.append(builder.doc)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(filter(None, [error.context, error.problem]))
        raise ParseError(message or "invalid YAML",
                         mark.line + 1 if mark else None,
                         mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        raise ParseError(f"character U+{error.character:04X} is not allowed in YAML",
                         line, column) from None
    except yaml.YAMLError as error:
        raise ParseError(str(error).splitlines()[0]) from None
    except RecursionError:
        raise ParseError("nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    comments = [Comment(number, column, comment, not line[:column - 1].strip())
                for number, line in enumerate(text.splitlines(), 1)
                if "#" in line and (found := _comment_in_line(line)) is not None
                for column, comment in [found]]
    for document in documents:
        document.comments = comments
    return documents


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
