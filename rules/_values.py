"""Reading clock times, dates and time ranges the way the rules agree on.

A time range is half-open ``[startTime, endTime)`` on one day. Clock times are
``THH:MM`` with hours 00-23 and minutes 00-59; ``T24:00`` is allowed only as an
endTime, meaning the end of the day. Dates are ISO ``YYYY-MM-DD`` calendar dates.
"""

from __future__ import annotations

import re
from campaign_lint.record import field, record
from functools import lru_cache
from datetime import date
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

from campaign_lint.model import (CHANNELS, REMOVE, Fix, FrozenDict, as_mapping, as_sequence, as_str, is_mapping,
                                 is_unknown, pointer_join, quote)

CLOCK = re.compile(r"T(\d{2}):(\d{2})")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
END_OF_DAY = 24 * 60
T = TypeVar("T")


def _plain(value: object) -> str:
    """A well-formed time or date as is; anything else quoted so it stays one line."""
    if isinstance(value, str) and (CLOCK.fullmatch(value) or DATE.fullmatch(value)):
        return value
    return quote(value)


def clock_minutes(text: object, is_end: bool = False) -> int | None:
    """Minutes after midnight for ``T09:30``; None when malformed or out of range."""
    return _clock_minutes(text, is_end) if type(text) is str else None


@lru_cache(maxsize=4096)
def _clock_minutes(text: str, is_end: bool) -> int | None:
    match = CLOCK.fullmatch(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0 and is_end:
        return END_OF_DAY
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def calendar_date(text: object) -> date | None:
    """The date for ``2024-12-25``; None when malformed or not on the calendar."""
    return _calendar_date(text) if type(text) is str else None


@lru_cache(maxsize=4096)
def _calendar_date(text: str) -> date | None:
    match = DATE.fullmatch(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


@record(frozen=True)
class TimeRange:
    pointer: str
    day: str
    start_text: object
    end_text: object
    #: minutes after midnight (None when malformed), read once as every hours rule asks;
    #: they follow from the texts, so they are neither compared nor shown
    start: int | None = field(compare=False, repr=False)
    end: int | None = field(compare=False, repr=False)

    @classmethod
    def of(cls, pointer: str, day: str, start_text: object, end_text: object) -> "TimeRange":
        return cls(pointer, day, start_text, end_text, clock_minutes(start_text),
                   clock_minutes(end_text, is_end=True))

    @property
    def valid_times(self) -> bool:
        return self.start is not None and self.end is not None

    def label(self) -> str:
        return f"{_plain(self.start_text)}-{_plain(self.end_text)}"


#: what was read of a window, by ``(what, id(window), pointer)``; each entry keeps its window
#: alive, so an id cannot be reused while its entry is here
_READ: dict[tuple[str, int, str], tuple[Mapping, tuple]] = {}


def _read_once(what: str, window: Mapping, pointer: str, read: Callable[[Mapping, str], Iterator[T]]) -> tuple[T, ...]:
    """``tuple(read(window, pointer))``, computed once per window: several rules read
    the same window's hours and periods. Only read-only windows are remembered."""
    if type(window) is not FrozenDict:
        return tuple(read(window, pointer))
    key = (what, id(window), pointer)
    seen = _READ.get(key)
    if seen is not None and seen[0] is window:
        return seen[1]
    if len(_READ) >= 256:
        _READ.clear()
    items = tuple(read(window, pointer))
    _READ[key] = (window, items)
    return items


def daily_hours(window: Mapping, window_pointer: str) -> Iterator[tuple[str, str, tuple]]:
    """``(day, pointer, ranges)`` for each day listed in a window's open hours."""
    hours_pointer = pointer_join(window_pointer, "openHours", "dailyHours")
    days = as_mapping(as_mapping(window.get("openHours")).get("dailyHours"))
    for day, ranges in days.items():
        yield day, pointer_join(hours_pointer, day), as_sequence(ranges)


def time_ranges(window: Mapping, window_pointer: str) -> tuple[TimeRange, ...]:
    """Every time range of a window's open hours, by day."""
    return _read_once("hours", window, window_pointer, _time_ranges)


def _time_ranges(window: Mapping, window_pointer: str) -> Iterator[TimeRange]:
    for day, day_pointer, ranges in daily_hours(window, window_pointer):
        for index, item in enumerate(ranges):
            item = as_mapping(item)
            yield TimeRange.of(f"{day_pointer}/{index}", day,  # an index needs no escaping
                               item.get("startTime"), item.get("endTime"))


@record(frozen=True)
class Period:
    pointer: str
    name: str | None
    start_text: object
    end_text: object
    #: the dates (None when malformed), read once as every period rule asks; they follow
    #: from the texts, so they are neither compared nor shown
    start: date | None = field(compare=False, repr=False)
    end: date | None = field(compare=False, repr=False)

    @classmethod
    def of(cls, pointer: str, name: str | None, start_text: object, end_text: object) -> "Period":
        return cls(pointer, name, start_text, end_text, calendar_date(start_text), calendar_date(end_text))

    def label(self) -> str:
        return quote(self.name) if self.name else f"{_plain(self.start_text)}..{_plain(self.end_text)}"


def restricted_periods(window: Mapping, window_pointer: str) -> tuple[Period, ...]:
    """Every restricted period of a window."""
    return _read_once("periods", window, window_pointer, _restricted_periods)


def _restricted_periods(window: Mapping, window_pointer: str) -> Iterator[Period]:
    list_pointer = pointer_join(window_pointer, "restrictedPeriods", "restrictedPeriodList")
    periods = as_sequence(as_mapping(window.get("restrictedPeriods")).get("restrictedPeriodList"))
    for index, item in enumerate(periods):
        item = as_mapping(item)
        yield Period.of(pointer_join(list_pointer, index), as_str(item.get("name")),
                        item.get("startDate"), item.get("endDate"))


def overlapping(campaign: Any, items: Sequence[T], start: Callable[[T], Any], end: Callable[[T], Any]
                ) -> Iterator[tuple[T, T, Fix | None]]:
    """:func:`overlaps` of items of one list (each with its ``pointer``), each pair with the
    fix that deletes the later item when it repeats an earlier one exactly."""
    pairs = list(overlaps(items, start, end))
    removals = _duplicate_removals(campaign, [item.pointer for item in items]) if pairs else {}
    for earlier, later in pairs:
        yield earlier, later, removals.get(later.pointer)


def _duplicate_removals(campaign: Any, pointers: Sequence[str]) -> dict[str, Fix]:
    """Fixes deleting each list item (by pointer, among ``pointers``, the items of one list)
    that is exactly the same as an item listed before it: nothing changes but the repetition.
    One pass over the list, however many of its items overlap."""
    seen: set[Any] = set()
    fixes: dict[str, Fix] = {}
    for pointer in pointers:
        key = _same_key(campaign.get(pointer))
        if key in seen:
            fixes[pointer] = Fix(REMOVE, title="remove the exact duplicate")
        seen.add(key)
    return fixes


def _same_key(value: Any) -> Any:
    """A hashable key equal for equal items: their members for an item of plain values (a
    range, a period), else their JSON text."""
    if type(value) in (dict, FrozenDict) and all(type(v) in (str, int, float, bool) for v in value.values()):
        return tuple(sorted((key, type(v).__name__, v) for key, v in value.items()))
    import json

    return json.dumps(value, sort_keys=True, default=repr)


def overlaps(items: Sequence[T], start: Callable[[T], Any], end: Callable[[T], Any]
             ) -> Iterator[tuple[T, T]]:
    """``(earlier, item)`` for each item that overlaps an item listed before it.

    Intervals are half-open ``[start, end)``. Every overlapping pair is covered:
    its later item is reported, against the first earlier item it overlaps. Linear for a
    handful of items, n log n for long lists (a list of thousands took minutes)."""
    if len(items) > _FEW:
        starts, ends = [start(item) for item in items], [end(item) for item in items]
        for index, earlier in enumerate(_first_overlapped_many(starts, ends)):
            if earlier is not None:
                yield items[earlier], items[index]
        return
    for index, item in enumerate(items):
        for earlier in items[:index]:
            if start(item) < end(earlier) and start(earlier) < end(item):
                yield earlier, item
                break


#: lists up to this long are compared pair by pair
_FEW = 32


def _first_overlapped_many(starts: Sequence[Any], ends: Sequence[Any]) -> list[int | None]:
    """For each interval, the index of the first earlier one it overlaps (None: none), in
    n log n: each interval, in list order, claims the later intervals it overlaps that no
    earlier one claimed. They are found in a segment tree of ends over the intervals sorted
    by start (a prefix of it starts before this one ends; the leftmost leaf there whose end
    is past this one's start is claimed)."""
    from bisect import bisect_left

    count = len(starts)
    order = sorted(range(count), key=starts.__getitem__)
    place = [0] * count
    for position, index in enumerate(order):
        place[index] = position
    sorted_starts = [starts[index] for index in order]
    size = 1
    while size < count:
        size *= 2
    gone = float("-inf")
    tree = [gone] * (2 * size)
    for position, index in enumerate(order):
        tree[size + position] = ends[index]
    for node in range(size - 1, 0, -1):
        tree[node] = max(tree[2 * node], tree[2 * node + 1])

    def remove(position: int) -> None:
        node = size + position
        tree[node] = gone
        node //= 2
        while node:
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
            node //= 2

    def leftmost(node: int, low: int, high: int, limit: int, after: Any) -> int | None:
        """The leftmost position below ``limit`` whose end is past ``after``."""
        if low >= limit or not tree[node] > after:
            return None
        if high - low == 1:
            return low
        middle = (low + high) // 2
        found = leftmost(2 * node, low, middle, limit, after)
        return found if found is not None else leftmost(2 * node + 1, middle, high, limit, after)

    first: list[int | None] = [None] * count
    for index in range(count):
        remove(place[index])  # from now on only later intervals are in the tree
        limit = bisect_left(sorted_starts, ends[index])
        while (position := leftmost(1, 0, size, limit, starts[index])) is not None:
            first[order[position]] = index
            remove(position)
    return first


def whole_campaign(campaign: Any) -> bool:
    """False for an update-campaign-* request file, which holds one part of a campaign:
    rules that report something absent must not report what the request never carries.
    Also False for a template resource whose Properties are missing or no object: CC102
    or CC103 reports that once, instead of every rule reporting each member it lacks."""
    if getattr(campaign, "not_an_object", False):
        return False
    return not str(getattr(campaign, "shape", "")).startswith("UpdateCampaign")


def create_request(campaign: Any) -> bool:
    """A create-campaign request file (no id or arn): not describe output, and not a campaign
    mapped from a template or a Terraform plan (they carry ``mapped_from``)."""
    origin = getattr(campaign, "origin", None)
    return (getattr(campaign, "shape", None) == "CreateCampaignRequest"
            and getattr(campaign, "mapped_from", None) is None
            and not getattr(origin, "document_pointer", "").startswith("/Resources/"))


def configured_channels(campaign: Any, context: Any = None) -> Iterator[str]:
    """The channels channelSubtypeConfig configures, one at a time: each whose settings are an
    object, and each whose settings are not known here (a template's ``!GetAtt``, a Terraform
    expression, a value known after apply). Like any unknown value, those settings are set: the
    channel is there whatever they hold, so what depends only on its being there is said. With
    the rule's ``context``, settings whose type is wrong whatever their value (a String
    parameter: CC103) configure nothing, as a plain string does not."""
    configs = campaign.mapping("/channelSubtypeConfig")
    for channel in CHANNELS:
        config = configs.get(channel)
        if is_mapping(config) or (is_unknown(config) and not (
                context is not None and context.malformed(campaign, f"/channelSubtypeConfig/{channel}"))):
            yield channel


def detects_zone(campaign: Any) -> bool:
    """Whether localTimeZoneDetection is set: a list of methods, or a value not known here (a
    template's parameter without a value, a Terraform expression). Like any unknown value it is
    set, for every rule that reads it (CC311, CC314, CC701-CC703): a file that writes the member
    means to detect recipients' zones, and reading it as possibly empty instead would drop the
    callee-local reading of legal hours, whose breaches a compliance check must show. A
    malformed plain value (a string) is unset (CC103 reports its shape)."""
    value = campaign.get("/communicationTimeConfig/localTimeZoneConfig/localTimeZoneDetection")
    return bool(as_sequence(value)) or is_unknown(value)
