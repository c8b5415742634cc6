"""Zone offsets for any date: pytz's tables, carried past 2037 as the zone files say.

Every computation of a zone's UTC offset (an instant's wall clock, a wall time's instant,
the changes of offset between two dates) gets its zone from :func:`timezone` here, and
reads a zone's changes only through :func:`transitions`.

Why: pytz reads only the version-1 part of each TZif file it ships, whose transition times
are 32-bit, so its tables stop at the last change before 2038-01-19. After its last
transition pytz keeps that offset forever: no daylight saving in New York from 2038, summer
time all year in Sydney. The same files hold the rest (RFC 8536): a version-2+ part with
64-bit transition times (only Asia/Gaza and Asia/Hebron have changes written out past 2037,
until 2086), and a footer, the POSIX TZ string of the zone's current rule
(``EST5EDT,M3.2.0,M11.1.0``), which holds after the last transition. zoneinfo and the C
library read both; so does this module, and it hands the changes to pytz as extra
entries of its own table, so that ``localize``, ``fromutc`` and ``astimezone`` answer with
pytz's usual semantics on any date.

Why not map a year after 2037 to an earlier one with the same calendar (the Gregorian
calendar repeats every 28 years from 1901 to 2099): the earlier year lies in 2010-2037, and
zones that changed their rules since (Chile, Egypt, Greenland, Gaza, ...) would get the old
ones; nor does it hold from 2100 on (not a leap year). The footer is the zone's current rule.

Cost: dates before 2038 get pytz's own zone objects, untouched. A zone extended for a
later date is built once per century asked for (a few hundred extra table entries, well
under a millisecond).
"""

from __future__ import annotations

import calendar
import functools
import re
import struct
from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta
from typing import Iterator, NamedTuple

import pytz
from pytz.tzinfo import DstTzInfo, memorized_ttinfo

#: pytz's tables hold every change before 2038-01-19 (the end of 32-bit time): a date up to
#: the end of 2037, and the day after it, needs nothing more
COMPLETE_BEFORE = 2038
#: the last year the extended tables reach (datetime ends in 9999)
LAST_YEAR = 9999

_HEADER = struct.Struct(">4s c 15x 6l")
_TIME = r"[+-]?\d{1,3}(?::\d{1,2}){0,2}"
_NAME = r"[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>"
_FOOTER = re.compile(rf"(?P<std>{_NAME})(?P<std_offset>{_TIME})"
                     rf"(?:(?P<dst>{_NAME})(?P<dst_offset>{_TIME})?"
                     rf",(?P<start>[^,/]+)(?:/(?P<start_time>{_TIME}))?"
                     rf",(?P<end>[^,/]+)(?:/(?P<end_time>{_TIME}))?)?")
_DATE = re.compile(r"J(?P<julian>\d{1,3})|(?P<day>\d{1,3})|M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])")


@functools.lru_cache(maxsize=None)
def timezone(name: str, through: int):
    """``name``'s pytz zone, right for instants and wall times up to the end of the year
    ``through`` and the day after. Through 2037 that is pytz's own object; later, one whose
    table goes on with the changes the zone file gives (to the end of the century)."""
    if through < COMPLETE_BEFORE:
        return pytz.timezone(name)
    return _extended(name, min(LAST_YEAR, (through + 1) // 100 * 100 + 99))


class Transition(NamedTuple):
    """A change of offset: the UTC instant (naive) and pytz's ``(utcoffset, dst, tzname)``
    before and after it."""

    when: datetime
    before: tuple
    after: tuple


def transitions(name: str, first: datetime, last: datetime) -> Iterator[Transition]:
    """The changes of ``name``'s offset at UTC instants from ``first`` to ``last`` (naive, both
    included), in order; none for a zone with a fixed offset."""
    zone = timezone(name, last.year)
    if not isinstance(zone, DstTzInfo):
        return
    times, infos = zone._utc_transition_times, zone._transition_info
    for index in range(max(1, bisect_left(times, first)), bisect_right(times, last)):
        yield Transition(times[index], infos[index - 1], infos[index])


# --- the zone file's own answer past pytz's table ---------------------------------------


@functools.lru_cache(maxsize=None)
def _extended(name: str, until: int):
    """pytz's zone with the changes after its table (the file's 64-bit transitions, then its
    footer's rule) added up to the end of ``until``; pytz's zone itself when there are none."""
    base = pytz.timezone(name)
    if not isinstance(base, DstTzInfo):
        return base  # one offset, for ever (UTC, Etc/GMT+5): the footer agrees
    table_end = base._utc_transition_times[-1]
    explicit, footer = _read_tzif(name)
    changes = [(when, kind) for when, kind in explicit if when > table_end]
    rule = _Rule.parse(footer)
    if rule is not None:
        after = changes[-1][0] if changes else table_end
        changes += [(when, kind) for when, kind in rule.changes(after.year, until) if when > after]
    times, infos = list(base._utc_transition_times), list(base._transition_info)
    known: dict[tuple[int, bool, str], tuple] = {}
    for when, kind in changes:
        info = known[kind] if kind in known else known.setdefault(kind, _pytz_info(base, kind, rule))
        if info != infos[-1]:
            times.append(when)
            infos.append(info)
    if len(times) == len(base._utc_transition_times):
        return base
    extended = type(base.zone, (type(base),), {"_utc_transition_times": times, "_transition_info": infos})
    return extended()


def _pytz_info(base, kind: tuple[int, bool, str], rule: "_Rule | None") -> tuple:
    """pytz's ``(utcoffset, dst, tzname)`` for a local time type ``(offset seconds, is DST,
    abbreviation)``: the one pytz's table already has for it (pytz's own idea of its DST
    amount, Europe/Dublin's negative one included), else a new one."""
    offset, is_dst, abbreviation = kind
    same = [info for info in base._transition_info if info[0] == timedelta(seconds=offset) and info[2] == abbreviation]
    if same:
        return next((info for info in reversed(same) if bool(info[1]) == is_dst), same[-1])
    standard = rule.std_offset if rule is not None else offset
    return memorized_ttinfo(offset, offset - standard if is_dst else 0, abbreviation)


@functools.lru_cache(maxsize=None)
def _read_tzif(name: str) -> tuple[tuple[tuple[datetime, tuple[int, bool, str]], ...], str]:
    """The version-2+ transitions of pytz's file for ``name`` that lie after 2037, and its
    footer; nothing for a version-1 file (it has neither)."""
    with pytz.open_resource(name) as handle:
        data = handle.read()
    if data[:4] != b"TZif" or data[4:5] < b"2":
        return (), ""
    counts = _HEADER.unpack_from(data, 0)[2:]
    isut, isstd, leaps, count, types, chars = counts
    at = _HEADER.size + count * 5 + types * 6 + chars + leaps * 8 + isstd + isut  # skip version 1
    isut, isstd, leaps, count, types, chars = _HEADER.unpack_from(data, at)[2:]
    at += _HEADER.size
    times = struct.unpack_from(f">{count}q", data, at)
    indexes = struct.unpack_from(f">{count}B", data, at + 8 * count)
    at += 9 * count
    kinds = [struct.unpack_from(">lBB", data, at + 6 * n) for n in range(types)]
    names = data[at + 6 * types:at + 6 * types + chars]
    at += 6 * types + chars + 12 * leaps + isstd + isut
    footer = data[at:].strip(b"\n").decode("ascii", "replace")

    def abbreviation(start: int) -> str:
        return names[start:names.index(b"\0", start)].decode("ascii", "replace")

    horizon = calendar.timegm((COMPLETE_BEFORE, 1, 1, 0, 0, 0))
    epoch = datetime(1970, 1, 1)
    later = tuple((epoch + timedelta(seconds=when),
                   (kinds[index][0], bool(kinds[index][1]), abbreviation(kinds[index][2])))
                  for when, index in zip(times, indexes, strict=True) if horizon <= when)
    return later, footer


def _seconds(text: str) -> int:
    """``[+-]hh[:mm[:ss]]`` in seconds."""
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


class _Rule(NamedTuple):
    """A footer with daylight saving: ``std`` time, ``dst`` time between the two dates."""

    std_offset: int  # seconds east of UTC (POSIX writes them west: EST5)
    dst_offset: int
    std_name: str
    dst_name: str
    start: str  # a POSIX date: Jn, n or Mm.w.d
    start_time: int  # seconds after local midnight, on the clock before the change
    end: str
    end_time: int

    @classmethod
    def parse(cls, footer: str) -> "_Rule | None":
        """The rule of a footer; None for one without daylight saving (then the last offset of
        the table holds for ever) and for one not understood (the table is left as pytz has it)."""
        match = _FOOTER.fullmatch(footer)
        if match is None or match["dst"] is None:
            return None
        std = -_seconds(match["std_offset"])
        dst = -_seconds(match["dst_offset"]) if match["dst_offset"] else std + 3600
        if not (_valid_date(match["start"]) and _valid_date(match["end"])):
            return None
        return cls(std, dst, match["std"].strip("<>"), match["dst"].strip("<>"), match["start"],
                   _seconds(match["start_time"] or "2"), match["end"], _seconds(match["end_time"] or "2"))

    def changes(self, first: int, last: int) -> list[tuple[datetime, tuple[int, bool, str]]]:
        """The changes of the years ``first`` to ``last``, as (UTC instant, local time type)."""
        found = []
        summer, winter = (self.dst_offset, True, self.dst_name), (self.std_offset, False, self.std_name)
        for year in range(first, last + 1):
            for day, time, before, kind in ((self.start, self.start_time, self.std_offset, summer),
                                            (self.end, self.end_time, self.dst_offset, winter)):
                try:
                    found.append((datetime.combine(_posix_date(day, year), datetime.min.time())
                                  + timedelta(seconds=time - before), kind))
                except OverflowError:  # past 9999-12-31
                    continue
        found.sort(key=lambda change: change[0])
        # a change at the very instant of the next one lasts no time (DST all year: the end of
        # one year's is the start of the next's)
        return [change for change, following in zip(found, found[1:] + [None], strict=True)
                if following is None or following[0] != change[0]]


def _valid_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    if match["julian"]:
        return 1 <= int(match["julian"]) <= 365
    if match["day"]:
        return int(match["day"]) <= 365
    return 1 <= int(match["month"]) <= 12


def _posix_date(text: str, year: int) -> date:
    match = _DATE.fullmatch(text)
    if match["julian"]:  # Jn: 1..365, 29 February never counted
        number = int(match["julian"])
        return date(year, 1, 1) + timedelta(days=number - 1 + (calendar.isleap(year) and number >= 60))
    if match["day"]:  # n: 0..365, 29 February counted
        return date(year, 1, 1) + timedelta(days=int(match["day"]))
    month, week, weekday = int(match["month"]), int(match["week"]), int(match["weekday"])
    first = date(year, month, 1)
    day = 1 + ((weekday - 1) % 7 - first.weekday()) % 7 + 7 * (week - 1)  # POSIX 0 is Sunday
    while day > calendar.monthrange(year, month)[1]:  # week 5: the last one
        day -= 7
    return date(year, month, day)
