"""The data that flows through the linter: campaigns in, findings out."""

from __future__ import annotations

import enum
import os
import re
from .record import record, field, replace
from functools import cached_property, lru_cache
from typing import Any, Iterator, Mapping


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r}; use error, warning or info"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


# --- JSON pointers (RFC 6901) -------------------------------------------------


def pointer_token(part: Any) -> str:
    """A key or index as a JSON pointer reference token (RFC 6901: ``~`` and ``/`` escaped)."""
    text = part if type(part) is str else str(part)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def pointer_join(base: str, *parts: Any) -> str:
    """Append reference tokens to a JSON pointer, escaping ``~`` and ``/``."""
    if len(parts) == 1:
        return base + "/" + pointer_token(parts[0])
    return base + "".join(["/" + pointer_token(p) for p in parts])


def pointer_ancestors(pointer: str) -> Iterator[str]:
    """``pointer`` itself, then each pointer that holds it, up to the root ``""`` (a text
    without ``/``, which no pointer is, has only the root above it)."""
    while True:
        yield pointer
        if not pointer:
            return
        pointer = pointer.rsplit("/", 1)[0] if "/" in pointer else ""


def nearest_in(pointer: str, table: Mapping[str, Any]) -> str | None:
    """The first of ``pointer`` and the pointers holding it that ``table`` has, or None."""
    return next((probe for probe in pointer_ancestors(pointer) if probe in table), None)


def pointer_parts(pointer: str) -> list[str]:
    """Split a JSON pointer into its unescaped reference tokens."""
    return list(_split_pointer(pointer))


@lru_cache(maxsize=4096)
def _split_pointer(pointer: str) -> tuple[str, ...]:
    """:func:`pointer_parts` as a tuple, remembered: rules ask the same few pointers of
    every campaign."""
    if not pointer:
        return ()
    if "~" not in pointer:
        return tuple(pointer[1:].split("/"))
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/"))


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at ``pointer``, or None when the path does not exist."""
    node = document
    for part in _split_pointer(pointer):
        kind = type(node)
        if kind is FrozenDict or kind is dict or is_mapping(node):  # (is_mapping's test, inline)
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


# --- Read-only campaign view ----------------------------------------------------


def _read_only(self: Any, *args: Any, **kwargs: Any) -> None:
    raise TypeError(f"{type(self).__name__} is read-only: rules receive campaigns they "
                    "cannot modify (copy it first: dict(value), list(value))")


class FrozenDict(dict):
    """A dict that refuses changes. Reads run at dict speed, ``isinstance(x, dict)``
    holds and ``json.dumps`` works, so parsers can build campaigns read-only from the
    start instead of copying them."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple:  # pickle and copy without __setitem__
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> "FrozenDict":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenDict":
        return self


class FrozenList(list):
    """A list that refuses changes (see :class:`FrozenDict`)."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only
    append = clear = extend = insert = pop = remove = reverse = sort = _read_only

    def __reduce__(self) -> tuple:
        return (FrozenList, (list(self),))

    def __hash__(self) -> int:  # hashable like the tuples campaigns used to hold
        return hash(tuple(self))

    def __copy__(self) -> "FrozenList":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenList":
        return self


def freeze(value: Any) -> Any:
    """A deep read-only version of a JSON-like value: dicts become :class:`FrozenDict`,
    lists and tuples :class:`FrozenList`. A value that is frozen already is returned as
    it is (the parsers build frozen values, so this costs nothing on the file path)."""
    kind = type(value)
    if kind is FrozenDict or kind is FrozenList or kind in _SCALARS:
        return value
    if is_mapping(value):  # scalars, most of a campaign, are kept without a call
        return FrozenDict({k: v if type(v) in _SCALARS else freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return FrozenList([v if type(v) in _SCALARS else freeze(v) for v in value])
    return value


_EMPTY: Mapping[str, Any] = FrozenDict()
#: types that are never mappings: checked before the (slow) abstract ``Mapping`` check
_SCALARS = frozenset({str, int, float, bool, type(None)})
_NOT_MAPPINGS = _SCALARS | {list, tuple, FrozenList}


def is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, answered without the ABC machinery for the types
    campaigns are made of."""
    kind = type(value)
    if kind is FrozenDict or kind is dict:
        return True
    return kind not in _NOT_MAPPINGS and isinstance(value, Mapping)


def as_mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is an object, else an empty one (wrong types are CC103's job)."""
    return value if is_mapping(value) else _EMPTY


def as_sequence(value: Any) -> tuple:
    """``value`` if it is a list, else an empty one."""
    return tuple(value) if isinstance(value, (list, tuple)) else ()


#: how every value a source cannot know begins (a template's parameter, an intrinsic it does
#: not evaluate: ``campaign_lint.sources.cloudformation.Unknown``); a message that quotes one
#: is about a value not known. Its token is drawn anew by each process, so that no text in a
#: file can pass for one (a zone written as the mark silenced CC309)
UNKNOWN_MARK = f"\u2047unknown {os.urandom(6).hex()} "


def is_unknown(value: object) -> bool:
    """Whether a value is one its source could not know (it stands for any value). A rule
    that asks this handles the value: having read it does not hide the rule's findings
    (see ``sources/watched.py``)."""
    if isinstance(value, str) and value.startswith(UNKNOWN_MARK):
        for touched, pointer in getattr(value, "watched_at", ()):
            touched.discard(pointer)
        return True
    return False


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def quote(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: JSON-quoted (one line, escapes visible), shortened; a
    shortened string keeps its closing quote (``"arn:aws:sms-voice:us-e..."``), so that a
    message's quoted values can be told from its words (sources rename only the words)."""
    text = _json_text(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):  # the longest start of the string that fits, never half an escape
        keep = max(limit - 5, 0)
        while keep > 0 and len(_json_text(value[:keep])) > limit - 3:
            keep -= 1
        return _json_text(value[:keep])[:-1] + '..."'
    return _without_half_escape(text[:limit - 3]) + "..."


#: the line breaks ``json.dumps(ensure_ascii=False)`` leaves raw (it escapes those below U+0020)
_RAW_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _json_text(value: Any) -> str:
    """``value`` as JSON text on one line: no character ``str.splitlines`` breaks at."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str).translate(_RAW_BREAKS)


#: a backslash (after an even run of them) that starts an escape cut short at the end
_HALF_ESCAPE = re.compile(r"(?:^|(?<=[^\\]))(?:\\\\)*(\\(?:u[0-9a-fA-F]{0,3})?)$")


def _without_half_escape(text: str) -> str:
    """JSON text cut anywhere, without an escape cut in half at its end (``\\u00``)."""
    half = _HALF_ESCAPE.search(text)
    return text[:half.start(1)] if half else text


CHANNELS = ("telephony", "sms", "email", "whatsApp")


@record(frozen=True)
class Origin:
    """Where a campaign was read from: a file (with the pointer of the campaign in
    the file's document) or an AWS region."""

    path: str | None = None
    document_pointer: str = ""
    region: str | None = None
    #: value positions and key positions, by JSON pointer within the document
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def locate(self, pointer: str, at_key: bool = False) -> tuple[int, int] | None:
        """Line and column (1-based) of the value (or key) at a campaign pointer.

        A pointer that does not exist in the file (a missing member) falls back to
        its nearest existing ancestor."""
        full = self.document_pointer + pointer
        if at_key and full in self.key_positions:
            return self.key_positions[full]
        found = nearest_in(full, self.positions)
        return None if found is None else self.positions[found]


@record(frozen=True)
class CampaignRef:
    """How a finding names its campaign."""

    id: str | None = None
    name: str | None = None
    arn: str | None = None

    def label(self) -> str | None:
        return self.name or self.id or self.arn


class Campaign:
    """A read-only view of one campaign in the API's (camelCase) shape."""

    def __init__(self, data: Mapping[str, Any], origin: Origin, shape: str = "Campaign",
                 state: str | None = None, instance_limits: tuple | None = None):
        #: the campaign, deeply read-only (a rule cannot change what the next one sees)
        self.data: Mapping[str, Any] = freeze(data)
        #: the same read-only value (kept for callers that validated ``raw``)
        self.raw = self.data
        self.origin = origin
        #: the botocore shape this campaign is validated against
        self.shape = shape
        #: the campaign state from AWS (Running, Paused, ...), when known
        self.state = state
        #: the instance's own communication limits (GetInstanceCommunicationLimits), when
        #: known: an empty tuple means the instance has none
        self.instance_limits = freeze(list(instance_limits)) if instance_limits is not None else None

    @cached_property
    def ref(self) -> CampaignRef:
        """The campaign's id, name and ARN (read once: run-scope rules sort and name groups by it)."""
        return CampaignRef(as_str(self.data.get("id")), as_str(self.data.get("name")),
                           as_str(self.data.get("arn")))

    def get(self, pointer: str) -> Any:
        """The value at a JSON pointer, or None."""
        return resolve_pointer(self.data, pointer)

    def mapping(self, pointer: str) -> Mapping[str, Any]:
        return as_mapping(self.get(pointer))

    def channel_configs(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """``(channel, config)`` for each channel subtype configured."""
        return iter(self._channel_configs)

    def time_windows(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """``(channel, pointer, window)`` for each channel's communication time window."""
        return iter(self._time_windows)

    # read once per campaign (its data is read-only): a dozen rules ask for each
    @cached_property
    def _channel_configs(self) -> tuple[tuple[str, Mapping[str, Any]], ...]:
        return tuple(self._each_channel_config())

    @cached_property
    def _time_windows(self) -> tuple[tuple[str, str, Mapping[str, Any]], ...]:
        return tuple(self._each_time_window())

    def _each_channel_config(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        configs = self.mapping("/channelSubtypeConfig")
        for channel in CHANNELS:
            if channel in configs and is_mapping(configs[channel]):
                yield channel, configs[channel]

    def _each_time_window(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        config = self.mapping("/communicationTimeConfig")
        for channel in CHANNELS:
            window = config.get(channel)
            if is_mapping(window):
                yield channel, "/communicationTimeConfig/" + channel, window

    def __repr__(self) -> str:
        return f"Campaign({self.ref.label()!r}, {self.origin.path or self.origin.region})"


@record(frozen=True)
class Problem:
    """What a rule reports: a message about the value at a pointer in one campaign."""

    pointer: str
    message: str
    #: point at the member's key rather than its value (unknown fields)
    at_key: bool = False
    #: for run-wide rules: the campaign the problem is reported on
    campaign: Campaign | None = None
    #: a lower severity than the rule's own for this case (a user's severity setting still wins)
    severity: Severity | None = None
    #: extra facts for machine-readable reports, as (name, value) pairs (policy pack, citation)
    properties: tuple[tuple[str, str], ...] = ()
    #: other places the problem is about, as ``(campaign, pointer)``: a run-wide rule
    #: reports a group (one instance, one queue) once, naming the rest here
    related: tuple[tuple[Campaign, str], ...] = ()
    #: what to write instead of the value at ``pointer`` (None: no automatic fix)
    fix: "Fix | None" = None


@record(frozen=True)
class Fix:
    """A replacement for the value at a problem's pointer (``--fix``).

    ``value`` is the new JSON value (written in the file's own syntax: JSON, or YAML in
    the scalar's own quoting style), or :data:`REMOVE` to delete the list item at the
    pointer. A *safe* fix cannot change what the campaign does (``08:00`` -> ``T08:00``);
    an unsafe one can, and is applied only with ``--unsafe-fixes``."""

    value: Any
    safe: bool = True
    #: what the fix does, in a few words ("write T08:00")
    title: str = ""
    #: a regular expression the value's source text must match in full, when the parsed
    #: value alone does not say what was written (YAML reads ``9:00`` as the number 540)
    source: str | None = None
    #: set by the engine: the value's JSON pointer in the file's document
    target: str | None = None


class _Remove:
    """The type of :data:`REMOVE`: one instance, kept one through pickling (``--jobs``)."""

    def __repr__(self) -> str:
        return "REMOVE"

    def __reduce__(self) -> str:
        return "REMOVE"


#: :attr:`Fix.value` that deletes the list item at the pointer
REMOVE = _Remove()


@record(frozen=True)
class Related:
    """A further place a finding is about (SARIF ``relatedLocations``)."""

    path: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    campaign: CampaignRef | None = None
    region: str | None = None


@record(frozen=True)
class Finding:
    """A problem after the engine has given it a rule, severity and location."""

    rule: str
    name: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    campaign: CampaignRef | None = None
    region: str | None = None
    #: why the finding is suppressed, or None while it counts
    suppressed: str | None = None
    #: extra facts from the rule, as (name, value) pairs (policy pack id, citation)
    properties: tuple[tuple[str, str], ...] = ()
    #: further places the finding is about (the other campaigns of a group)
    related: tuple[Related, ...] = ()
    #: the automatic fix, when the rule offers one (``--fix``)
    fix: Fix | None = field(default=None, compare=False)

    def with_(self, **changes: Any) -> "Finding":
        return replace(self, **changes)

    def sort_key(self) -> tuple:
        return (self.path or "", self.region or "", self.line or 0, self.column or 0,
                self.rule, self.pointer or "", self.message)
