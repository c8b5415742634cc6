"""Time zones: the zone in which open hours are read.

The IANA zone database bundled with pytz decides which zones exist, which are
the names of places (its country table) and which are fixed offsets; see
``_zones``.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Iterator

from campaign_lint.model import as_str, is_unknown, quote
from campaign_lint.rule import Campaign, Context, Fix, Problem, rule

from . import _zones
from ._values import DAYS, END_OF_DAY, detects_zone, time_ranges

ZONE_CONFIG = "/communicationTimeConfig/localTimeZoneConfig"
ZONE_POINTER = f"{ZONE_CONFIG}/defaultTimeZone"
DETECTION = f"{ZONE_CONFIG}/localTimeZoneDetection"
#: the channels whose windows are legally restricted hours for people
VOICE_AND_TEXT = ("telephony", "sms")


def _zone(campaign: Campaign) -> str | None:
    return as_str(campaign.get(ZONE_POINTER)) or None


def _names(text: str) -> str:
    """``"A"`` or ``"A" or "B"`` for a suggestion that may offer two zones."""
    return " or ".join(quote(part) for part in text.split(" or "))


def _zone_fix(meant: str | None, safe: bool) -> Fix | None:
    """A fix writing the zone a message suggests, when it suggests exactly one."""
    if not meant or " or " in meant:
        return None
    return Fix(meant, safe=safe, title=f"use {meant}")


def _offset_hint(zone: str) -> str:
    """For ``GMT+5``, ``UTC-05:00``, ``+05:30`` and the like: why it is not a zone, and which
    one to use."""
    import re

    match = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", zone.strip(), re.I)
    if not match:
        return ""
    sign, minutes = match.group(1), int(match.group(3) or 0)
    hours = int(match.group(2)) * (1 if sign == "+" else -1)
    meant = _zones.meant_by_offset(hours, minutes)
    offset = f"UTC{sign}{abs(hours):02d}:{minutes:02d}"
    example = f" (for {offset} e.g. {_names(meant)})" if meant else ""
    return ("; an offset is not a zone and has no daylight saving: use the Region/City zone "
            f"of your recipients{example}")


@rule("CC309", "unknown-time-zone", "error")
def unknown_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is not a zone of the IANA time zone database.

    What AWS documents: defaultTimeZone is a "Time Zone Id in the IANA format"
    (the model's TimeZone shape); the service's own list of zones is not
    published.

    What this project decides: the zone database bundled with pytz decides which
    names exist. Names are case-sensitive. An unknown zone (``Eastern``, ``PST``,
    ``America/NewYork``, ``GMT+5``) may be rejected by the service, or read as
    something you did not mean. The message suggests the zone people usually
    mean: common abbreviations, Windows zone ids and city names first (PST:
    America/Los_Angeles, IST: Asia/Kolkata, Asia/Mumbai: Asia/Kolkata, "New
    York": America/New_York), a country with one clock (Norway: Europe/Oslo),
    then close matches of the name, taken to the same place (US/Easten:
    America/New_York). It never suggests a legacy name (CC310) or a fixed
    offset (CC313).

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/NewYork

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: PST

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
    """
    zone = _zone(campaign)
    if zone is None or _zones.exists(zone):
        return
    meant = _zones.suggestion(zone)
    hint = f"; did you mean {_names(meant)}?" if meant else _offset_hint(zone)
    yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is not an IANA time zone{hint}",
                  fix=_zone_fix(meant, safe=False))  # a guess can change meaning


@rule("CC310", "legacy-time-zone", "warning")
def legacy_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is a legacy name (US/Eastern, EST5EDT, Asia/Calcutta).

    What AWS documents: defaultTimeZone is a "Time Zone Id in the IANA
    format"; nothing about legacy names. What the zone database says: names
    outside its country table (zone.tab, zone1970.tab) survive only as
    backward-compatibility links (``backward``) or as POSIX rule zones
    (``EST5EDT``, ``CET``). They can be dropped or change meaning (EST5EDT and
    US/Pacific-New did).

    What this project decides: only names outside the country table are legacy.
    A country-table name is the right name for its country even where the
    database has made it a link because its clocks have matched another zone's
    since 1970 (``Europe/Oslo``, ``Europe/Stockholm``, ``Asia/Kuala_Lumpur``
    since tzdata 2022b): it is never reported. The message gives the
    country-table zone of the same place (Asia/Calcutta: Asia/Kolkata). Fixed
    offsets (EST, UTC, Etc/GMT+5) are CC313's, not this rule's.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: US/Eastern

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: Europe/Oslo
    """
    zone = _zone(campaign)
    if zone is None or not _zones.is_legacy(zone):
        return
    meant = _zones.replacement(zone)
    use = f"; use {_names(meant)}" if meant else ""
    yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is a legacy name kept only for "
                  f"backward compatibility{use}", fix=_zone_fix(meant, safe=True))


@rule("CC313", "fixed-offset-zone", "warning")
def fixed_offset_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is a fixed offset (EST, MST, HST, UTC, Etc/GMT-5) for a telephony or SMS window.

    A fixed-offset zone never observes daylight saving. ``EST`` is UTC-05:00 all
    year: T21:00 "EST" is 22:00 in New York from March to November, after the
    hour that calling laws such as the US TCPA (47 CFR 64.1200(c)(1): 8 a.m. to
    9 p.m. at the called party's location; as quoted in this project's research
    notes of 2026-11, not legal advice) allow. The ``Etc/GMT`` names carry
    a POSIX sign, inverted from the usual one: ``Etc/GMT-5`` is UTC+05:00.

    What AWS documents: defaultTimeZone is an IANA zone id; nothing about fixed
    offsets. What this project decides: for telephony and SMS windows (hours
    that laws restrict) a fixed offset is a warning, with the zone people
    usually mean (EST: America/New_York, MST: America/Denver or America/Phoenix,
    HST: Pacific/Honolulu). Email and WhatsApp windows are left alone.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: EST
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T21:00}]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T21:00}]
    """
    zone = _zone(campaign)
    if zone is None or not _zones.is_fixed_offset(zone):
        return
    channels = [channel for channel, _, _ in campaign.time_windows() if channel in VOICE_AND_TEXT]
    if not channels:
        return
    what, meant = _zones.fixed_offset_text(zone)
    example = f", e.g. {_names(meant)}" if meant else ""
    yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is {what} with no daylight "
                  f"saving, so {' and '.join(channels)} hours shift by an hour for half the year "
                  f"where clocks change; use the Region/City zone of your recipients{example}",
                  fix=_zone_fix(meant, safe=False))  # EST -> America/New_York changes the hours


@rule("CC311", "no-time-zone", "error")
def no_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Neither defaultTimeZone nor localTimeZoneDetection is set.

    Open hours are wall-clock times: without a zone, nobody can say whose 9 a.m.
    T09:00 is, and recipients on the other coast get calls at 6 a.m.

    What AWS documents (LocalTimeZoneConfig): defaultTimeZone is "the timezone
    to use for all recipients"; localTimeZoneDetection lists the "detect methods
    for the recipient timezone" (ZIP_CODE, AREA_CODE). No fallback from one to
    the other is documented. What this project decides: set one of them,
    defaultTimeZone when every recipient shares one zone, localTimeZoneDetection
    when they do not. Setting both is CC314. A localTimeZoneDetection not known
    here (a template's parameter, a Terraform expression) is set, as for CC314
    and CC701-CC703.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig: {}

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [AREA_CODE]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/Chicago
    """
    config = campaign.get(ZONE_CONFIG)
    if not hasattr(config, "get"):
        return  # no communicationTimeConfig, or localTimeZoneConfig missing (CC102)
    if any(context.malformed(campaign, pointer) for pointer in (ZONE_POINTER, DETECTION)):
        return  # not a list (CC103): what it was meant to hold is unknown
    if _zone(campaign) is None and not detects_zone(campaign):
        empty = config.get("defaultTimeZone") == ""  # the model allows it; it names no zone
        yield Problem(ZONE_POINTER if empty else ZONE_CONFIG,
                      "defaultTimeZone is empty and localTimeZoneDetection is not set; open hours "
                      "have no time zone" if empty else "neither defaultTimeZone nor "
                      "localTimeZoneDetection is set; open hours have no time zone")


@rule("CC314", "time-zone-both-set", "info")
def time_zone_both_set(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone and localTimeZoneDetection are both set.

    What AWS documents: defaultTimeZone is "the timezone to use for all
    recipients" and localTimeZoneDetection detects each recipient's zone; which
    one wins, and whether defaultTimeZone is a fallback for recipients whose
    zone cannot be detected, is not documented.

    What has been observed: a production team reports CreateCampaign rejecting
    the pair ("AWS rejects defaultTimeZone together with
    localTimeZoneDetection"); one report, not verified here.

    What this project decides: info, so the choice is made on purpose. Keep the
    one that describes your recipients; do not rely on defaultTimeZone as a
    fallback. A localTimeZoneDetection not known here (``!Ref P`` of a parameter
    without a value, a Terraform expression) is set, like every unknown value:
    the file writes it to detect recipients' zones. CC701-CC703 read it the same
    way (callee-local hours); reading it as possibly empty here would make one
    file both set and unset. One of the wrong type (a String parameter) is
    CC103's alone. A defaultTimeZone not known here is set too.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/Chicago
            localTimeZoneDetection: [AREA_CODE]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [AREA_CODE]
    """
    zone = campaign.get(ZONE_POINTER)
    zone_set = is_unknown(zone) or bool(as_str(zone))  # a zone not known here is set, as _zone() reads
    if zone_set and detects_zone(campaign) and not context.malformed(campaign, DETECTION):
        yield Problem(ZONE_CONFIG, "both defaultTimeZone and localTimeZoneDetection are set; AWS "
                      "documents no fallback order between them (one field report says "
                      "CreateCampaign rejects the pair): keep the one that fits your recipients")


@rule("CC312", "dst-gap", "info", options={"months": 12}, option_ranges={"months": (1, 1200)})
def dst_gap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A range starts or ends at a wall-clock time that a DST change skips.

    When clocks spring forward, a stretch of local time does not exist: in
    America/New_York, 02:00-02:59 on the second Sunday of March. A SUNDAY range
    starting at T02:30 has no defined start that day. Checked in
    defaultTimeZone, for every date of that weekday within ``months`` months
    from today.

    What AWS documents: nothing about daylight saving changes. What has been
    observed from the service: no report yet. What this project decides: info,
    because in most zones the gap lies outside the calling hours of every
    shipped policy pack (US zones: Sunday 02:00-03:00), so it matters mostly
    for round-the-clock SMS or email windows. A ``T00:00`` start or a
    ``T24:00`` end is never reported: they mean "from the start of the day" and
    "to its end" even where clocks change at midnight (America/Santiago), and
    there is nothing to move them to. The changes are those of the zone database
    bundled with pytz, for every date: pytz's own tables end in 2037, and after
    them each zone follows its current rule as its zone file states it (the
    POSIX TZ string the file ends with, as zoneinfo reads it), so a ``--today``
    or ``months`` reaching 2038 and later finds the gaps of those years too
    (America/New_York: 2038-03-14). A rule a country changes later reaches this
    check with a later pytz.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
          sms:
            openHours:
              dailyHours:
                SUNDAY: [{startTime: T02:30, endTime: T06:00}]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/Santiago
          sms:
            openHours:
              dailyHours:
                SUNDAY: [{startTime: T00:00, endTime: T24:00}]
    """
    zone_name = _zone(campaign)
    if zone_name is None or not _zones.exists(zone_name):
        return
    gaps = _gaps_by_day(zone_name, context.today, int(context.options["months"]))
    if not gaps:
        return
    for channel, pointer, window in campaign.time_windows():
        for item in time_ranges(window, pointer):
            for member, text, minutes in (("startTime", item.start_text, item.start),
                                          ("endTime", item.end_text, item.end)):
                if minutes == (0 if member == "startTime" else END_OF_DAY):
                    continue  # the day's own bounds: nothing to move
                hit = _in_gap(gaps, item.day, minutes)
                if hit is not None:
                    yield Problem(f"{item.pointer}/{member}",
                                  f"{channel} {item.day} {member} {text} "
                                  f"does not exist in {zone_name} on {hit.isoformat()} "
                                  "(clocks spring forward); move it out of the skipped hour")


def _in_gap(gaps: dict, day: str, minutes: int | None):
    if minutes is None:
        return None
    for gap_date, first, last in gaps.get(day, ()):
        if first <= minutes < last:
            return gap_date
    return None


@functools.lru_cache(maxsize=64)
def _gaps_by_day(zone_name: str, start, months: int) -> dict:
    """:func:`skipped_times` by weekday name, in date order."""
    by_day: dict = {}
    for gap in skipped_times(zone_name, start, months):
        by_day.setdefault(DAYS[gap[0].weekday()], []).append(gap)
    return by_day


@functools.lru_cache(maxsize=64)
def skipped_times(zone_name: str, start, months: int) -> list:
    """``(date, first minute, end minute)`` of each skipped wall-clock stretch, on the
    quarter-hour grid that wall-clock ranges are written on: a minute ``m`` of a day is
    skipped when the zone has no ``HH:MM`` for it, and a stretch is reported from its
    first skipped quarter hour to the first quarter hour after it that exists."""
    from campaign_lint.tz import transitions

    one_day = timedelta(days=1)
    first = datetime(start.year, start.month, start.day)
    span = one_day * int(max(0, min(months, 1200)) * 30.5)
    latest = datetime(9999, 12, 31) - one_day * 9
    last = latest if first > latest - span else first + span
    found: dict = {}
    # each change is a UTC instant with the offsets before and after it: where the offset
    # grows, the wall clock jumps from instant+before to instant+after and skips what lies
    # between (a fixed offset, UTC or Etc/GMT+5, has no changes and never skips a minute)
    for change in transitions(zone_name, max(first, datetime.min + one_day) - one_day, last + one_day * 2):
        when, before, after = change.when, change.before[0], change.after[0]
        if after <= before or when + after < first or when + before > last + one_day:
            continue
        for day, begin, end in _by_day(when + before, when + after):
            if first <= day <= last:
                found.setdefault(day, []).append((begin, end))
    return [(day.date(), begin, end) for day in sorted(found) for begin, end in _on_grid(found[day])]


def _by_day(begin: datetime, end: datetime) -> Iterator[tuple[datetime, int, int]]:
    """``[begin, end)`` cut at midnights, as (day, first minute, end minute)."""
    day = datetime(begin.year, begin.month, begin.day)
    while day < end:
        low = max(begin, day) - day
        high = min(end, day + timedelta(days=1)) - day
        yield day, _minutes(low), _minutes(high)
        day += timedelta(days=1)


def _minutes(span: timedelta) -> float:
    return span.total_seconds() / 60


def _on_grid(stretches: list) -> list:
    """Skipped stretches of one day as runs of skipped quarter hours."""
    runs, first = [], None
    for minute in range(0, END_OF_DAY, 15):
        skipped = any(begin <= minute < end for begin, end in stretches)
        if skipped and first is None:
            first = minute
        elif not skipped and first is not None:
            runs.append((first, minute))
            first = None
    if first is not None:
        runs.append((first, END_OF_DAY))
    return runs
