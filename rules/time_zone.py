"""Time zones: the zone in which open hours are read.

The IANA zone database bundled with pytz decides which zones exist and which
names are backward-compatibility links.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Iterator

from campaign_lint.model import as_sequence, as_str, quote
from campaign_lint.rule import Campaign, Context, Fix, Problem, rule

from ._values import DAYS, time_ranges

ZONE_CONFIG = "/communicationTimeConfig/localTimeZoneConfig"
ZONE_POINTER = f"{ZONE_CONFIG}/defaultTimeZone"
#: links the zone database keeps for names everyone uses; not worth a warning
ACCEPTED_LINKS = frozenset({"UTC", "GMT"})
#: POSIX-style zones that tzdata 2024b turned into links; older databases list them as zones
POSIX_ZONES = {"EST5EDT": "America/New_York", "CST6CDT": "America/Chicago",
               "MST7MDT": "America/Denver", "PST8PDT": "America/Los_Angeles",
               "EST": "America/Panama", "MST": "America/Phoenix", "HST": "Pacific/Honolulu"}


def _zone(campaign: Campaign) -> str | None:
    return as_str(campaign.get(ZONE_POINTER)) or None


@rule("CC309", "unknown-time-zone", "error")
def unknown_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is not a zone of the IANA time zone database.

    Open hours are read in this zone. An unknown zone (``Eastern``,
    ``America/NewYork``, ``GMT+5``) is rejected, or worse, read as something you
    did not mean. Names are case-sensitive. The zone database bundled with pytz
    decides which zones exist.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/NewYork

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
    """
    import pytz

    from campaign_lint.schema import closest, did_you_mean

    zone = _zone(campaign)
    if zone is None or zone in pytz.all_timezones_set:
        return
    hint = did_you_mean(zone, list(pytz.all_timezones))
    guess = closest(zone, list(pytz.all_timezones))  # a guess changes meaning: unsafe
    yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is not an IANA time zone{hint}",
                  fix=Fix(guess, safe=False, title=f"use {guess}") if guess else None)


@functools.lru_cache(maxsize=1)
def zone_links() -> dict[str, str]:
    """Backward-compatibility link -> canonical zone, from the bundled tzdata.zi."""
    import pytz

    links = dict(POSIX_ZONES)
    with pytz.open_resource("tzdata.zi") as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and parts[0] == "L":
                links[parts[2]] = parts[1]
    return links


@rule("CC310", "legacy-time-zone", "warning")
def legacy_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is a deprecated alias (US/Eastern, EST5EDT, Asia/Calcutta).

    These names survive only as backward-compatibility links in the zone
    database. They can be dropped or change meaning (EST5EDT and US/Pacific-New
    did), and some systems reject them. Use the canonical Region/City name the
    message gives.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: US/Eastern

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
    """
    import pytz

    zone = _zone(campaign)
    if zone is None or zone in ACCEPTED_LINKS or zone not in pytz.all_timezones_set:
        return
    canonical = zone_links().get(zone)
    if canonical is not None:
        yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is a deprecated alias; "
                      f"use {quote(canonical)}",
                      fix=Fix(canonical, title=f"use {canonical}"))


@rule("CC311", "no-time-zone", "error")
def no_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Neither defaultTimeZone nor localTimeZoneDetection is set.

    Open hours are wall-clock times: without a zone, nobody can say whose 9 a.m.
    T09:00 is, and recipients on the other coast get calls at 6 a.m. Set a
    defaultTimeZone, and localTimeZoneDetection (ZIP_CODE, AREA_CODE) to use the
    recipient's own zone where it can be found.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig: {}

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/Chicago
            localTimeZoneDetection: [AREA_CODE]
    """
    config = campaign.get(ZONE_CONFIG)
    if not hasattr(config, "get"):
        return  # no communicationTimeConfig, or localTimeZoneConfig missing (CC102)
    if _zone(campaign) is None and not as_sequence(config.get("localTimeZoneDetection")):
        yield Problem(ZONE_CONFIG, "neither defaultTimeZone nor localTimeZoneDetection is set; "
                      "open hours have no time zone")


@rule("CC312", "dst-gap", "warning", options={"months": 12})
def dst_gap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A range starts or ends at a wall-clock time that a DST change skips.

    When clocks spring forward, a stretch of local time does not exist: in
    America/New_York, 02:00-02:59 on the second Sunday of March. A SUNDAY range
    starting at T02:30 has no defined start that day; the service may open an
    hour early, an hour late, or not at all. Checked in defaultTimeZone, for
    every date of that weekday within ``months`` months from today.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
          telephony:
            openHours:
              dailyHours:
                SUNDAY: [{startTime: T02:30, endTime: T06:00}]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T02:30, endTime: T06:00}]
    """
    import pytz

    zone_name = _zone(campaign)
    if zone_name is None or zone_name not in pytz.all_timezones_set:
        return
    gaps = skipped_times(zone_name, context.today, int(context.options["months"]))
    if not gaps:
        return
    for channel, pointer, window in campaign.time_windows():
        for item in time_ranges(window, pointer):
            for member, text, minutes in (("startTime", item.start_text, item.start),
                                          ("endTime", item.end_text, item.end)):
                hit = _in_gap(gaps, item.day, minutes)
                if hit is not None:
                    yield Problem(f"{item.pointer}/{member}",
                                  f"{channel} {item.day} {member} {text} "
                                  f"does not exist in {zone_name} on {hit.isoformat()} "
                                  "(clocks spring forward); move it out of the skipped hour")


def _in_gap(gaps: list, day: str, minutes: int | None):
    if minutes is None or day not in DAYS:
        return None
    for gap_date, first, last in gaps:
        if DAYS[gap_date.weekday()] == day and first <= minutes < last:
            return gap_date
    return None


@functools.lru_cache(maxsize=64)
def skipped_times(zone_name: str, start, months: int) -> list:
    """``(date, first minute, end minute)`` of each skipped wall-clock stretch."""
    import pytz

    zone = pytz.timezone(zone_name)
    if not isinstance(zone, pytz.tzinfo.DstTzInfo):
        return []  # a fixed offset (UTC, Etc/GMT+5) never skips a minute
    one_day, week = timedelta(days=1), timedelta(days=7)
    first = datetime(start.year, start.month, start.day)
    last = first + one_day * int(months * 30.5)

    def offset(day: datetime):
        return zone.utcoffset(day, is_dst=False)

    # Find the weeks whose offset changes, then the days within them. A change
    # between two midnights puts the gap on that day or, for a change at
    # midnight itself, on the next one.
    changed = set()
    week_start = first
    while week_start <= last:
        if offset(week_start) != offset(week_start + week):
            for n in range(8):
                day = week_start + one_day * n
                if offset(day) != offset(day + one_day):
                    changed |= {day, day + one_day}
        week_start += week
    changed = sorted(day for day in changed if first <= day <= last)
    return [gap for day in changed for gap in _gaps_on(zone, day)]


def _gaps_on(zone, midnight: datetime) -> list:
    import pytz

    found, first = [], None
    for minute in range(0, 24 * 60, 15):
        try:
            zone.localize(midnight + timedelta(minutes=minute), is_dst=None)
            if first is not None:
                found.append((midnight.date(), first, minute))
                first = None
        except pytz.NonExistentTimeError:
            first = minute if first is None else first
        except pytz.AmbiguousTimeError:
            pass
    if first is not None:
        found.append((midnight.date(), first, 24 * 60))
    return found
