"""The work done for one file, as plain data: read, parse, validate, per-campaign rules.

A :class:`FileResult` is what a worker process sends back and what the result cache keeps:
the file's findings before selection and suppression, its suppression comments, and per
campaign only what the run-scope rules and the report need (the campaign's data, its
structural errors, and its positions packed and compressed).
"""

from __future__ import annotations

import zlib
from array import array
from functools import lru_cache
from binascii import a2b_base64, b2a_base64
from .record import record, field
from typing import Any, Iterator, Mapping

from .model import (REMOVE, Campaign, CampaignRef, Finding, Fix, FrozenDict, FrozenList, Origin, Related, Severity,
                    freeze, pointer_ancestors, pointer_token)
from .sources.parse import Comment


class PackedPositions(Mapping):
    """``pointer -> (line, column)`` kept as one compressed string and an int array.

    Looked up a few times per campaign at most (a tag's place, a run-scope finding), so it
    is never unpacked into a dict: a 10,000-campaign run keeps ~1 KB per campaign, not ~10."""

    __slots__ = ("_keys", "_values", "_size")

    def __init__(self, keys: bytes, values: bytes, size: int):
        self._keys, self._values, self._size = keys, values, size

    @classmethod
    def pack(cls, items: Iterator[tuple[str, tuple[int, int]]]) -> "PackedPositions | None":
        """None when a pointer holds a newline (the separator): keep a dict then."""
        pointers, numbers = [], array("i")
        for pointer, (line, column) in items:
            if "\n" in pointer:
                return None
            pointers.append(pointer)
            numbers.extend((line, column))
        keys = ("\n" + "\n".join(pointers) + "\n").encode("utf-8", "surrogatepass")
        return cls(zlib.compress(keys, 1), numbers.tobytes(), len(pointers))

    def _blobs(self) -> tuple[bytes, bytes]:
        if isinstance(self._keys, str):  # read from the cache: decoded when first needed
            self._keys, self._values = a2b_base64(self._keys), a2b_base64(self._values)
        return self._keys, self._values

    def _index(self, pointer: str) -> int:
        if "\n" in pointer:
            return -1
        try:
            keys = zlib.decompress(self._blobs()[0])
        except (zlib.error, ValueError):
            return -1
        at = keys.find(b"\n" + pointer.encode("utf-8", "surrogatepass") + b"\n")
        index = -1 if at < 0 else keys.count(b"\n", 0, at)
        return index if index < self._size else -1  # "" in an empty table finds "\n\n"

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        index = self._index(pointer)
        if index < 0:
            raise KeyError(pointer)
        numbers = array("i")
        values = self._blobs()[1]
        if len(values) < index * 8 + 8:
            raise KeyError(pointer)
        numbers.frombytes(values[index * 8:index * 8 + 8])
        return numbers[0], numbers[1]

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._index(pointer) >= 0

    def __iter__(self) -> Iterator[str]:
        text = zlib.decompress(self._blobs()[0]).decode("utf-8", "surrogatepass")
        return iter(text[1:-1].split("\n") if self._size else [])

    def __len__(self) -> int:
        return self._size

    def plain(self) -> list:
        """``[compressed keys, numbers, count]`` as JSON can hold them (for the cache)."""
        keys, values = self._blobs()
        return [b2a_base64(keys, newline=False).decode("ascii"),
                b2a_base64(values, newline=False).decode("ascii"), self._size]

    @classmethod
    def from_plain(cls, value: Any) -> "PackedPositions":
        keys, values, size = value
        if type(keys) is not str or type(values) is not str or type(size) is not int \
                or len(values) != 4 * ((8 * size + 2) // 3):
            raise ValueError("positions")
        return cls(keys, values, size)


def _within(positions: Mapping[str, tuple[int, int]], pointer: str) -> Iterator[tuple[str, tuple[int, int]]]:
    """The positions of one campaign of a document: its pointers and its ancestors'."""
    ancestors = set(pointer_ancestors(pointer))
    prefix = pointer + "/"
    for key, where in positions.items():
        if key == pointer or key.startswith(prefix) or key in ancestors:
            yield key, where


def kept_positions(campaign: Campaign, data: Any) -> tuple[list, list]:
    """The value and key positions of every pointer of ``data`` (what is kept of the campaign)
    and of the campaign's ancestors in its document, asked pointer by pointer: a parser may
    compute positions only when asked, so the document's tables are never walked whole."""
    origin = campaign.origin
    base = origin.document_pointer
    ancestors = [(up, True) for up in pointer_ancestors(base) if up != base]
    values, keys = [], []
    for pointer, member in [*ancestors, *((base + p, m or not p) for p, m in _pointers(data))]:
        for table, found, wanted in ((origin.positions, values, True), (origin.key_positions, keys, member)):
            if wanted:  # list items have no key: not asked for
                try:
                    found.append((pointer, table[pointer]))
                except KeyError:
                    pass
    return values, keys


def selected_positions(campaign: Campaign, data: Any, patterns: frozenset[str]) -> tuple[dict, dict]:
    """The value positions a run can still ask for when only ``patterns`` (campaign pointers,
    ``*`` standing for any member or item) can be located: for each matching pointer, the
    position :meth:`Origin.locate` would give it (its own, or its nearest ancestor's when it
    is missing). A pattern ending in ``?`` is located only when its value exists: nothing is
    kept for it otherwise. No key positions: run-scope problems point at values. Asked
    pointer by pointer, so a parser computes only these."""
    origin = campaign.origin
    base = origin.document_pointer
    table = origin.positions
    positions: dict = {}
    for present, parts in _split_patterns(patterns):
        for pointer, found in (_expand(data, parts, "") if "*" in parts else (_follow(data, parts),)):
            if present and not found:
                continue
            full = base + pointer
            while full not in positions:  # the nearest that has a position (a YAML merge's may not)
                try:
                    positions[full] = table[full]
                    break
                except KeyError:
                    if not full:
                        break
                    full = full.rsplit("/", 1)[0] if "/" in full else ""
    return positions, {}


@lru_cache(maxsize=64)
def _split_patterns(patterns: frozenset[str]) -> tuple[tuple[bool, list[str]], ...]:
    """Each pattern as (whether only a present value counts, its tokens): a run asks the
    same few of every campaign."""
    return tuple((pattern.endswith("?"), pattern.rstrip("?").split("/")[1:]) for pattern in sorted(patterns))


def _follow(node: Any, parts: list[str]) -> tuple[str, bool]:
    """:func:`_expand` of a pattern without ``*``: the one pointer it can match."""
    prefix = ""
    for head in parts:
        node = _child(node, head)
        if node is _ABSENT:
            return prefix, False
        prefix = f"{prefix}/{head}"
    return prefix, True


_ABSENT = object()


def _child(node: Any, token: str) -> Any:
    """The member or item a pointer token names, or ``_ABSENT``."""
    name = token.replace("~1", "/").replace("~0", "~") if "~" in token else token
    if isinstance(node, dict) and name in node:
        return node[name]
    if isinstance(node, (list, tuple)) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return _ABSENT


def _expand(node: Any, parts: list[str], prefix: str) -> Iterator[tuple[str, bool]]:
    """For each pointer of ``node`` that matches a pattern's tokens (``*``: every member or
    item), the deepest part of it that exists, and whether that is all of it."""
    if not parts:
        yield prefix, True
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, dict):
            for key, child in node.items():
                yield from _expand(child, rest, f"{prefix}/{pointer_token(key)}")
        elif isinstance(node, (list, tuple)):
            for index, child in enumerate(node):
                yield from _expand(child, rest, f"{prefix}/{index}")
        else:
            yield prefix, False
        return
    child = _child(node, head)
    if child is _ABSENT:
        yield prefix, False
    else:
        yield from _expand(child, rest, f"{prefix}/{head}")


def _pointers(value: Any, pointer: str = "", member: bool = False) -> Iterator[tuple[str, bool]]:
    yield pointer, member
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _pointers(item, f"{pointer}/{pointer_token(key)}", True)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{index}")


def thaw(value: Any) -> Any:
    """A frozen value (mapping proxies, tuples) as plain dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(item) for item in value]
    return value


@record
class CampaignFacts:
    """One campaign as the parent process keeps it."""

    pointer: str
    shape: str
    data: Any
    structure: list
    positions: Mapping[str, tuple[int, int]]
    key_positions: Mapping[str, tuple[int, int]]
    #: what an audit snapshot records beside the campaign (run-scope rules count active ones)
    state: str | None = None
    instance_limits: list | None = None

    @classmethod
    def of(cls, campaign: Campaign, structure: list, members: frozenset[str] | None = None,
           tables: tuple[list, list] | None = None, pointers: frozenset[str] | None = None,
           pack: bool = True) -> "CampaignFacts":
        """What to keep of a campaign: all of it, or only ``members`` (top-level), with the
        positions of what is kept (``tables``: found already), or only of what ``pointers``
        match (:func:`selected_positions`: a few, kept in a dict). ``pack``: compress
        whole position tables (they leave the process); else they stay dicts."""
        origin = campaign.origin
        data = campaign.raw
        if members is not None and isinstance(data, dict):
            data = FrozenDict({key: value for key, value in data.items() if key in members})
        if pointers is not None and tables is None:
            positions, key_positions = selected_positions(campaign, data, pointers)
        else:
            if tables is None:
                tables = kept_positions(campaign, data)
            positions, key_positions = ((pack and PackedPositions.pack(iter(items))) or dict(items)
                                        for items in tables)
        limits = campaign.instance_limits
        return cls(origin.document_pointer, campaign.shape, data, list(structure), positions,
                   key_positions, campaign.state, thaw(limits) if limits is not None else None)

    def campaign(self, path: str) -> Campaign:
        restored = Campaign(self.data, Origin(path=path, document_pointer=self.pointer,
                                              positions=self.positions, key_positions=self.key_positions),
                            self.shape, state=self.state, instance_limits=self.instance_limits)
        restored.raw = None  # rules read the frozen data; the structure travels with the facts
        return restored


@record
class FileResult:
    """Everything one file contributes to a run."""

    path: str
    #: findings before selection and suppression, with the index of their campaign (or None)
    hits: list[tuple[Finding, int | None]] = field(default_factory=list)
    #: the suppression comments (only those that are directives)
    comments: list[Comment] = field(default_factory=list)
    campaigns: list[CampaignFacts] = field(default_factory=list)
    #: False when something in it cannot be kept as JSON (the result is then not cached)
    cacheable: bool = True
    #: a template or plan, loaded: checked by check_files itself, never cached
    loaded: Any = None
    #: from a worker: this file is to be checked in the main process (a template's campaigns
    #: do not travel between processes)
    redo: bool = False
    #: for the result cache: the SHA-256 of the file's content and the result's entry
    digest: str | None = None
    entry: str | None = None


# --- JSON form, for the cache ---------------------------------------------------------


def _plain_json(value: Any, depth: int = 0) -> bool:
    """Only dicts with str keys, lists, str, int, float, bool and None (what JSON gives back)."""
    if depth > 300:
        return False
    kind = type(value)
    if kind is dict or kind is FrozenDict:
        return all(type(k) is str and _plain_json(v, depth + 1) for k, v in value.items())
    if kind is list or kind is FrozenList:
        return all(_plain_json(v, depth + 1) for v in value)
    return kind in (str, int, float, bool) or value is None


def to_plain(result: FileResult) -> dict | None:
    """The JSON form of a result, or None when it cannot be kept faithfully (a finding with
    related places, which only run-scope rules give, is not kept)."""
    if not result.cacheable:
        return None
    campaigns = []
    for facts in result.campaigns:
        tables = [_positions_plain(facts.positions), _positions_plain(facts.key_positions)]
        if None in tables or not _plain_json(facts.data) or not _plain_json(facts.instance_limits):
            return None
        campaigns.append({"pointer": facts.pointer, "shape": facts.shape, "data": facts.data,
                          "structure": [[e.kind, e.pointer, e.message, e.at_key] for e in facts.structure],
                          "positions": tables[0], "key_positions": tables[1],
                          "state": facts.state, "instance_limits": facts.instance_limits})
    if any(f.suppressed is not None or f.path != result.path or f.related for f, _ in result.hits):
        return None
    hits = [[finding_plain(f), index] for f, index in result.hits]
    if None in (hit[0] for hit in hits):
        return None
    comments = [[c.line, c.column, c.text, c.own_line] for c in result.comments]
    return {"path": result.path, "hits": hits, "comments": comments, "campaigns": campaigns}


def _positions_plain(table: Any) -> Any:
    """A packed table as its plain list, a dict of positions as ``[pointers, numbers]``
    (None: neither)."""
    if isinstance(table, PackedPositions):
        return table.plain()
    if type(table) is dict:
        return [list(table), [number for where in table.values() for number in where]]
    return None


def _positions_from_plain(value: Any) -> Mapping[str, tuple[int, int]]:
    if type(value) is not list or len(value) != 2:
        return PackedPositions.from_plain(value)
    pointers, numbers = value
    _check(type(pointers) is list and type(numbers) is list and len(numbers) == 2 * len(pointers))
    _check(set(map(type, pointers)) <= {str} and set(map(type, numbers)) <= {int})
    _check(not numbers or (min(numbers) > 0 and max(numbers) < 2**31))
    return dict(zip(pointers, zip(numbers[::2], numbers[1::2], strict=True), strict=True))


def _ref_plain(ref: CampaignRef | None) -> list | None:
    return None if ref is None else [ref.id, ref.name, ref.arn]


def _ref_from_plain(ref: Any, refs: dict | None = None) -> CampaignRef | None:
    """``refs``: the references made so far (many findings name one campaign)."""
    if ref is None:
        return None
    _check(type(ref) is list and len(ref) == 3)
    key = tuple(ref)
    if refs is not None and key in refs:
        return refs[key]
    made = CampaignRef(*(_text(part) for part in ref))
    if refs is not None:
        refs[key] = made
    return made


def finding_plain(f: Finding) -> list | None:
    """A finding as JSON (every field), or None when it holds what JSON cannot keep."""
    if (f.fix is not None and not _plain_json(f.fix.value) and f.fix.value is not REMOVE) \
            or not all(type(k) is str and type(v) is str for k, v in f.properties):
        return None
    return [f.rule, f.name, int(f.severity), f.message, f.path, f.line, f.column, f.pointer,
            _ref_plain(f.campaign), f.region, f.suppressed, [list(pair) for pair in f.properties],
            [[r.path, r.line, r.column, r.pointer, _ref_plain(r.campaign), r.region] for r in f.related],
            _fix_plain(f.fix)]


def finding_from_plain(plain: Any, rule_ids: Mapping[str, Any], refs: dict | None = None) -> Finding:
    """A finding back from :func:`finding_plain`, every field checked (ValueError if not)."""
    _check(type(plain) is list and len(plain) == 14)
    rule, name, severity, message, path, line, column, pointer, ref, region, suppressed, properties, related, fix \
        = plain
    _check(type(properties) is list and all(type(p) is list and len(p) == 2 for p in properties))
    _check(rule in rule_ids and type(severity) is int and severity in (1, 2, 3) and type(related) is list)
    places = []
    for place in related:
        _check(type(place) is list and len(place) == 6)
        places.append(Related(_text(place[0]), _number(place[1]), _number(place[2]), _text(place[3]),
                              _ref_from_plain(place[4]), _text(place[5])))
    return Finding(rule, _text(name, False), Severity(severity), _text(message, False),
                   path=_text(path), line=_number(line), column=_number(column),
                   pointer=_text(pointer), campaign=_ref_from_plain(ref, refs), region=_text(region),
                   suppressed=_text(suppressed),
                   properties=tuple((_text(k, False), _text(v, False)) for k, v in properties),
                   related=tuple(places), fix=_fix_from_plain(fix))


def _fix_plain(fix: Fix | None) -> list | None:
    if fix is None:
        return None
    value = {"remove": True} if fix.value is REMOVE else {"value": fix.value}
    return [value, fix.safe, fix.title, fix.source, fix.target]


def _fix_from_plain(plain: Any) -> Fix | None:
    if plain is None:
        return None
    _check(type(plain) is list and len(plain) == 5)
    value, safe, title, source, target = plain
    _check(type(value) is dict and (value == {"remove": True} or list(value) == ["value"]))
    _check(type(safe) is bool)
    return Fix(REMOVE if "remove" in value else value["value"], safe, _text(title, False), _text(source),
               _text(target))


def _check(condition: bool) -> None:
    if not condition:
        raise ValueError("not a cache entry this version wrote")


def _text(value: Any, optional: bool = True) -> Any:
    _check(type(value) is str or (optional and value is None))
    return value


def _number(value: Any, optional: bool = True) -> Any:
    _check((optional and value is None) or (type(value) is int and 0 < value < 2**31))
    return value


def _limits(value: Any) -> list | None:
    _check(value is None or type(value) is list)
    return value


def from_plain(plain: Any, path: str, rule_ids: Mapping[str, Any]) -> FileResult:
    """A result back from its JSON form, every field checked: a cache entry that is not
    exactly what :func:`to_plain` writes raises ValueError (and is then ignored)."""
    from .schema import StructuralError

    _check(type(plain) is dict and plain.get("path") == path)
    result = FileResult(path)
    for facts in plain["campaigns"]:  # "data" came from json.loads: plain JSON by construction
        _check(type(facts) is dict)
        structure = []
        for kind, pointer, message, at_key in facts["structure"]:
            _check(type(at_key) is bool)
            structure.append(StructuralError(_text(kind, False), _text(pointer, False),
                                             _text(message, False), at_key))
        result.campaigns.append(CampaignFacts(
            _text(facts["pointer"], False), _text(facts["shape"], False), freeze(facts["data"]), structure,
            _positions_from_plain(facts["positions"]), _positions_from_plain(facts["key_positions"]),
            _text(facts["state"]), _limits(facts["instance_limits"])))
    for finding, index in plain["hits"]:
        _check(index is None or (type(index) is int and 0 <= index < len(result.campaigns)))
        finding = finding_from_plain(finding, rule_ids)
        _check(finding.path == path and finding.suppressed is None and not finding.related)
        result.hits.append((finding, index))
    for line, column, text, own_line in plain["comments"]:
        _check(type(own_line) is bool)
        result.comments.append(Comment(_number(line, False), _number(column, False), _text(text, False), own_line))
    return result
