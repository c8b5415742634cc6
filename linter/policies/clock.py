"""Wall clocks and instants: when is a callee in zone Z inside a pack's legal hours?

Instants are whole minutes since 1970-01-01 UTC (ints), so that checking a year of
days in every zone of an audience is integer arithmetic. A wall time that a DST change
skips is read with the offset before the change (02:30 on a spring-forward night is the
instant the clock shows 03:30); a wall time that happens twice is read as its first
occurrence. These are decisions of this project: the service documents neither.

Zones come from ``campaign_lint.tz``: pytz's own before 2038, and after that a table that
goes on with each zone's current rule (pytz's alone stops at 2037, then has no DST).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Sequence

from .pack import DAYS, Pack

EPOCH = date(1970, 1, 1).toordinal()
DAY = 24 * 60
Interval = tuple[int, int]


@functools.lru_cache(maxsize=None)
def _zone(name: str, year: int):
    """The zone, right through the end of ``year`` (past 2037 too: ``campaign_lint.tz``)."""
    from ..tz import timezone

    return timezone(name, year)


@functools.lru_cache(maxsize=200_000)
def _offset_at(zone: str, utc_day: int) -> int:
    """UTC offset (minutes) of ``zone`` at 00:00 UTC of a day (days since 1970-01-01)."""
    moment = datetime(1970, 1, 1) + timedelta(days=utc_day)
    tz = _zone(zone, moment.year)
    return int(tz.fromutc(moment.replace(tzinfo=tz)).utcoffset().total_seconds() // 60)


@functools.lru_cache(maxsize=65536)
def _exact(zone: str, ordinal: int, minute: int) -> int:
    import pytz

    moment = datetime.fromordinal(ordinal) + timedelta(minutes=minute)
    tz = _zone(zone, moment.year)
    try:
        aware = tz.localize(moment, is_dst=None)
    except pytz.AmbiguousTimeError:
        aware = tz.localize(moment, is_dst=True)
    except pytz.NonExistentTimeError:
        aware = tz.localize(moment, is_dst=False)
    return (ordinal - EPOCH) * DAY + minute - int(aware.utcoffset().total_seconds() // 60)


def steady_offset(zone: str, ordinal: int, margin: int = 1) -> int | None:
    """The zone's UTC offset when it does not change within ``margin`` days around a local
    day (then wall times of that day are plain arithmetic), else None."""
    day = ordinal - EPOCH
    offset = _offset_at(zone, day - margin)
    return offset if offset == _offset_at(zone, day + margin + 1) else None


@functools.lru_cache(maxsize=4096)
def steady_offsets(zone: str, first: int, count: int, margin: int) -> tuple[int | None, ...]:
    """:func:`steady_offset` for ``count`` days from the ordinal ``first``."""
    return tuple(steady_offset(zone, ordinal, margin) for ordinal in range(first, first + count))


@functools.lru_cache(maxsize=4096)
def day_plan(campaign_zone: str, audience_zone: str, first: int, days: int, weekday: int
             ) -> tuple[tuple[int, int | None, int | None], ...]:
    """The days of one weekday (0 = Monday) among ``days`` days from the ordinal ``first``
    that are worth checking, in order, as ``(ordinal, campaign offset, audience offset)``. A day
    with steady offsets is dropped when an earlier day had the same pair (same answer); a day
    around a change of offset has None offsets (it is checked exactly)."""
    ours = steady_offsets(campaign_zone, first, days, 1)
    theirs = steady_offsets(audience_zone, first, days, 4)
    plan, seen = [], set()
    for ordinal in range(first, first + days):
        if (ordinal - 1) % 7 != weekday:
            continue
        pair = (ours[ordinal - first], theirs[ordinal - first])
        if pair[0] is not None and pair[1] is not None:
            if pair in seen:
                continue
            seen.add(pair)
            plan.append((ordinal, pair[0], pair[1]))
        else:
            plan.append((ordinal, None, None))
    return tuple(plan)


@functools.lru_cache(maxsize=1024)
def zone_signature(zone: str, first: int, days: int) -> object:
    """Equal for zones whose clocks agree from ``first`` for ``days`` days (give or take a
    margin): America/Detroit and America/New_York. The offset at the start and the changes
    of offset after it (none for a fixed offset)."""
    from ..tz import transitions

    low = datetime.fromordinal(first - 10)
    high = datetime.fromordinal(first + days + 10)
    changes = tuple((change.when, change.after[:2]) for change in transitions(zone, low, high))
    return (_offset_at(zone, first - 10 - EPOCH), changes)


def to_instant(zone: str, ordinal: int, minute: int) -> int:
    """The instant at which ``zone``'s clock shows ``minute`` (0..1440) of a local day."""
    # a local day lies within the UTC days day-1 .. day+1 (offsets stay within +-14 hours);
    # the same offset at both ends means no change of offset in between
    offset = steady_offset(zone, ordinal)
    if offset is not None:
        return (ordinal - EPOCH) * DAY + minute - offset
    return _exact(zone, ordinal, minute)  # a day around a change of offset


def local_time(zone: str, instant: int) -> datetime:
    """``zone``'s wall clock at an instant."""
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=instant)
    return moment.astimezone(_zone(zone, moment.year))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def first_outside(allowed: Sequence[Interval], start: int, end: int) -> int | None:
    """The first point of ``[start, end)`` outside the merged ``allowed`` intervals."""
    point = start
    for low, high in allowed:
        if point >= end:
            return None
        if high <= point:
            continue
        if low > point:
            return point
        point = high
    return point if point < end else None


def intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """The instants in both lists of sorted, disjoint intervals."""
    found = []
    for low, high in first:
        found += [(max(low, a), min(high, b)) for a, b in second if max(low, a) < min(high, b)]
    return found


def covered(allowed: Sequence[Interval], start: int, end: int) -> int:
    """How much of ``[start, end)`` the merged ``allowed`` intervals cover."""
    return sum(max(0, min(high, end) - max(low, start)) for low, high in allowed)


class LegalHours:
    """A pack's legal instants for callees of one zone, day by day (cached)."""

    def __init__(self, pack: Pack, zone: str, holidays: frozenset[date] = frozenset()):
        self.pack, self.zone, self.holidays = pack, zone, holidays
        self._days: dict[int, list[Interval]] = {}
        self._around: dict[tuple[int, int], list[Interval]] = {}

    def day(self, ordinal: int) -> list[Interval]:
        """Legal instants of one local day of the zone."""
        if ordinal not in self._days:
            local = date.fromordinal(ordinal)
            allowed = self.pack.allowed(DAYS[local.weekday()])
            if local in self.holidays:
                allowed = ()
            elif allowed is None:
                allowed = ((0, DAY),)
            self._days[ordinal] = [(to_instant(self.zone, ordinal, a), to_instant(self.zone, ordinal, b))
                                   for a, b in allowed]
        return self._days[ordinal]

    def around(self, start: int, end: int) -> list[Interval]:
        """Legal instants of every local day that ``[start, end)`` can touch."""
        key = (start // DAY + EPOCH - 1, (end - 1) // DAY + EPOCH + 1)
        if key not in self._around:
            self._around[key] = merge(span for ordinal in range(key[0], key[1] + 1) for span in self.day(ordinal))
        return self._around[key]

    def first_outside(self, start: int, end: int) -> int | None:
        return first_outside(self.around(start, end), start, end)

    def outside(self, start: int, end: int) -> int:
        """Minutes of ``[start, end)`` outside the legal hours."""
        return end - start - covered(self.around(start, end), start, end)


_STEADY: dict[tuple, tuple[int, int] | None] = {}


def steady_breach(pack: Pack, weekday: int, start: int, end: int, campaign_offset: int,
                  audience_offset: int) -> tuple[int, int] | None:
    """For steady offsets: ``(first minute outside, minutes outside)`` of a range
    ``[start, end)`` on a campaign day of ``weekday`` (0 = Monday), counted from that day's
    00:00 UTC, or None when the range is legal. Holidays are not considered (CC703's job).
    Cached: a year of days has only a few offset pairs."""
    key = (pack, weekday, start, end, campaign_offset, audience_offset)
    if key not in _STEADY:
        spans = []
        for shift in range(-2, 3):
            allowed = pack.allowed(DAYS[(weekday + shift) % 7])
            for low, high in ((0, DAY),) if allowed is None else allowed:
                spans.append((shift * DAY + low - audience_offset, shift * DAY + high - audience_offset))
        legal = merge(spans)
        first, last = start - campaign_offset, end - campaign_offset
        outside = first_outside(legal, first, last)
        _STEADY[key] = None if outside is None else (outside, last - first - covered(legal, first, last))
    return _STEADY[key]


def legal_window(pack: Pack, day: date, zone: str, holidays: bool = True
                 ) -> list[tuple[datetime, datetime]]:
    """When a callee in ``zone`` may be contacted on its local date ``day`` under ``pack``.

    Returns UTC-aware ``(start, end)`` pairs (half-open): ``[]`` for a banned day or a
    banned holiday (``holidays=False`` leaves holidays out), the whole local day when the pack
    sets no hours for that weekday. A pack's ``statute-clock`` narrows them to what is inside the
    hours on that clock too, off its banned holidays (El Paso under us-tx: 09:00-20:00 local).
    Convert with ``astimezone`` to draw them on any clock (a zone from
    ``campaign_lint.tz.timezone``: pytz's own has no daylight saving after 2037)."""
    banned = frozenset(pack.holiday_dates(day, day)) if holidays else frozenset()
    spans = LegalHours(pack, zone, banned).day(day.toordinal())
    if pack.statute_clock and spans:  # the hours and holidays hold on the statute's clock too
        # the statute clock's dates around the callee's day (offsets differ by up to 26 hours)
        near = frozenset(pack.holiday_dates(day - timedelta(days=3), day + timedelta(days=3))) if holidays \
            else frozenset()
        statute = LegalHours(pack, pack.statute_clock, near).around(spans[0][0], spans[-1][1])
        spans = intersect(spans, statute)
    origin = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return [(origin + timedelta(minutes=a), origin + timedelta(minutes=b)) for a, b in spans]
