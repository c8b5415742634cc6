"""Read-only containers that note when a rule reads a value its source cannot know.

A template or plan can leave a whole object or list unknown (``Tags: !GetAtt ...``,
``"tags": "${merge(...)}"``, a ``DailyHours`` item whose ``Key`` is a parameter). A finding
may depend on such a value only if the rule that made it looked at it: the containers on
the way to each unknown value note the pointers of the unknown values read through them,
in a set the campaign owns (``MappedCampaign.touched``). The engine empties the set before
each rule and reads it at each problem the rule yields (see ``Engine.campaign_hits``).

Looking at a member whose value is unknown notes it (``get``, ``[]``, ``in``); so does
listing or comparing a container (``for``, ``keys``, ``items``, ``values``, ``==``, a copy),
which shows every member. The length does not: an unknown item is one item. A map that may hold members not known (a day whose ``Key`` is unknown) is noted
when it is listed, or asked for a member it does not hold: whether that member is there
is not known. A rule that asks ``is_unknown(value)`` of an unknown value handles it (its
findings hold for any value): that value's reading is forgotten, and a finding at the value
itself holds too (an SMS channel whose settings are not known still has no window).
"""

from __future__ import annotations

import itertools
from typing import Any, Iterable, Mapping

from ..model import CHANNELS, FrozenDict, FrozenList, pointer_ancestors, pointer_join, pointer_parts, resolve_pointer


class WatchedDict(FrozenDict):
    """A :class:`FrozenDict` on the way to unknown values (see the module)."""

    __slots__ = ("_touched", "_unknown", "_partial")

    def _whole(self) -> None:
        self._touched.update(self._unknown.values())
        if self._partial is not None:
            self._touched.add(self._partial)

    def _member(self, key: Any) -> None:
        pointer = self._unknown.get(key)
        if pointer is not None:
            self._touched.add(pointer)
        elif self._partial is not None and not dict.__contains__(self, key):
            self._touched.add(self._partial)

    def get(self, key: Any, default: Any = None) -> Any:
        self._member(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        self._member(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: Any) -> bool:
        self._member(key)
        return dict.__contains__(self, key)

    def __len__(self) -> int:  # how many members is known, unless some are not
        if self._partial is not None:
            self._touched.add(self._partial)
        return dict.__len__(self)

    def __reduce__(self) -> tuple:  # a plain copy (pickle): it shows every member
        self._whole()
        return (FrozenDict, (dict(dict.items(self)),))


class WatchedList(FrozenList):
    """A :class:`FrozenList` holding unknown items (see the module)."""

    __slots__ = ("_touched", "_unknown")
    __hash__ = FrozenList.__hash__  # (defining __eq__ below would drop it)

    def _whole(self) -> None:
        self._touched.update(self._unknown.values())

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            self._whole()
        elif isinstance(index, int):
            pointer = self._unknown.get(index if index >= 0 else index + list.__len__(self))
            if pointer is not None:
                self._touched.add(pointer)
        return list.__getitem__(self, index)

    def __reduce__(self) -> tuple:
        self._whole()
        return (FrozenList, (list(list.__iter__(self)),))


def _noting(base: type, name: str) -> Any:
    """``base``'s method ``name``, noting every unknown value of the container first."""
    method = getattr(base, name)

    def noted(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._whole()
        return method(self, *args, **kwargs)

    noted.__name__ = name
    return noted


# whatever shows the members or compares them shows the unknown ones (the length does not:
# an unknown item is one item)
for _name in ("__iter__", "__reversed__", "keys", "values", "items", "copy", "__eq__", "__ne__", "__repr__",
              "__or__", "__ror__"):
    setattr(WatchedDict, _name, _noting(dict, _name))
for _name in ("__iter__", "__reversed__", "__contains__", "index", "count", "copy", "__eq__", "__ne__",
              "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__mul__", "__rmul__", "__repr__"):
    setattr(WatchedList, _name, _noting(list, _name))


def watched(data: Mapping[str, Any], unknown: Mapping[str, bool], touched: set[str]) -> Mapping[str, Any]:
    """``data`` with the containers on the way to each unknown value watched. ``unknown``
    maps the pointer of each value not known to True when the value itself is unknown, or
    to False for a map that may hold members not known (its known members are kept)."""
    ways = {way for pointer in unknown for way in itertools.islice(pointer_ancestors(pointer), 1, None)}
    return _watched(data, "", ways, unknown, touched)


def _watched(value: Any, pointer: str, ways: set[str], unknown: Mapping[str, bool], touched: set[str]) -> Any:
    if pointer not in ways and unknown.get(pointer) is not False:
        if unknown.get(pointer) and hasattr(value, "__dict__"):  # model.is_unknown(value): handled
            value.watched_at = (*getattr(value, "watched_at", ()), (touched, pointer))
        return value
    if isinstance(value, dict):
        result = WatchedDict({key: _watched(item, pointer_join(pointer, key), ways, unknown, touched)
                              for key, item in dict.items(value)})
        result._unknown = {key: pointer_join(pointer, key) for key in dict.keys(value)
                           if unknown.get(pointer_join(pointer, key))}
        result._partial = pointer if unknown.get(pointer) is False else None
    elif isinstance(value, list):
        result = WatchedList([_watched(item, pointer_join(pointer, index), ways, unknown, touched)
                              for index, item in enumerate(list.__iter__(value))])
        result._unknown = {index: pointer_join(pointer, index) for index in range(list.__len__(value))
                           if unknown.get(pointer_join(pointer, index))}
    else:
        return value
    result._touched = touched
    return result


def unknown_values(data: Mapping[str, Any], unknown: Iterable[str], is_unknown: Any) -> dict[str, bool]:
    """The watched pointers of a campaign: each pointer of an unknown value (True), or of a
    map known in part (False: a day or a tag whose key is not known). The whole campaign
    unknown ("") needs no watching."""
    found = {}
    for pointer in unknown:
        if not pointer:
            continue
        value = resolve_pointer(data, pointer)
        if is_unknown(value):
            found[pointer] = True
        elif isinstance(value, dict):
            found[pointer] = False
    return found


# --- what was read, and what it can change --------------------------------------------------


def scope(pointer: str, partial: bool = False) -> tuple[str | None, str | None, str | None]:
    """``(channel, item, index)`` of a pointer: the channel whose settings it is in (under
    communicationTimeConfig or channelSubtypeConfig); the day of the open hours, or ``#periods``
    for the restricted periods; and the range or period in it. Rules go through channels, days,
    ranges and periods one by one: what they read of one says nothing of another (but periods
    and hours are read together: a holiday is closed by a period). A map of days known in part
    (``partial``) has the day ``*``, which is no day."""
    parts = pointer_parts(pointer)
    if len(parts) < 2 or parts[0] not in ("communicationTimeConfig", "channelSubtypeConfig") \
            or parts[1] not in CHANNELS:
        return None, None, None
    if parts[0] == "communicationTimeConfig":
        if parts[2:4] == ["openHours", "dailyHours"]:
            if len(parts) >= 5:
                return parts[1], parts[4], parts[5] if len(parts) >= 6 else None
            if partial and len(parts) == 4:
                return parts[1], "*", None
        if parts[2:4] == ["restrictedPeriods", "restrictedPeriodList"] and len(parts) >= 5:
            return parts[1], PERIODS, parts[4]
    return parts[1], None, None


PERIODS = "#periods"


class Reads:
    """The unknown values a rule has read so far (the ``touched`` of a campaign), and, for each
    channel, whether it read its settings as a whole or only some days; and those it handled."""

    def __init__(self, partial: Iterable[str] = ()):
        self.partial = frozenset(partial)
        self.read: set[str] = set()
        #: the unknown values the rule asked ``is_unknown`` of (see the module)
        self.handled: set[str] = set()
        self._counts: dict[tuple[str | None, str | None, str | None], int] = {}

    def add(self, pointer: str) -> None:
        if pointer not in self.read:
            self.read.add(pointer)
            key = scope(pointer, pointer in self.partial)
            self._counts[key] = self._counts.get(key, 0) + 1

    def update(self, pointers: Iterable[str]) -> None:
        for pointer in pointers:
            self.add(pointer)

    def discard(self, pointer: str) -> None:
        """The rule handles the unknown value at ``pointer`` (it asked ``is_unknown``)."""
        self.handled.add(pointer)
        if pointer in self.read:
            self.read.discard(pointer)
            key = scope(pointer, pointer in self.partial)
            self._counts[key] -= 1
            if not self._counts[key]:
                del self._counts[key]

    def clear(self) -> None:
        self.read.clear()
        self.handled.clear()
        self._counts.clear()

    def __contains__(self, pointer: object) -> bool:
        return pointer in self.read

    def snapshot(self) -> "ReadSoFar":
        return ReadSoFar(frozenset(self._counts), frozenset(self.handled))


class ReadSoFar:
    """What a rule had read when it said something: the scopes of the unknown values, and the
    pointers of those it handled."""

    __slots__ = ("scopes", "handled")

    def __init__(self, scopes: frozenset[tuple[str | None, str | None, str | None]],
                 handled: frozenset[str] = frozenset()):
        self.scopes = scopes
        self.handled = handled

    def changes(self, pointer: str) -> bool:
        """Whether what was read may change a finding at ``pointer``: anything read outside
        every channel, or in its channel as a whole, or in its day (its range, for a finding
        about one range) or among the periods (its period), or any of the periods for a finding
        about the hours (and the other way round)."""
        if not self.scopes:
            return False
        channel, item, index = scope(pointer)
        for read_channel, read_item, read_index in self.scopes:
            if read_channel is None or channel is None:
                return True
            if read_channel != channel:
                continue
            if read_item is None or item is None:
                return True
            if read_item != item:
                if PERIODS in (read_item, item) and "*" not in (read_item, item):
                    return True  # hours and the periods that close them
                continue
            if read_index is None or index is None or read_index == index:
                return True
        return False
