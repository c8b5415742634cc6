"""What the policy rules (CC7xx) share: which windows a pack applies to, the two readings of
open hours (callee-local, and the default zone's clock in every audience zone), and how a
campaign's communication limits bound contacts.

The pack data and the clock arithmetic (``campaign_lint.policies``) are imported only by the
functions here, which the rules call only when a pack is selected.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, Iterator, Mapping

from campaign_lint.model import as_mapping, as_number, as_sequence, as_str, is_unknown, pointer_join
from campaign_lint.record import replace
from campaign_lint.rule import Campaign, Problem

from ._values import DAYS, TimeRange, configured_channels, detects_zone, time_ranges

ZONE_CONFIG = "/communicationTimeConfig/localTimeZoneConfig"
LIMITS = "/communicationLimitsOverride"
LIMIT_LIST = f"{LIMITS}/allChannelSubtypes/communicationLimitsList"
AMD = "/channelSubtypeConfig/telephony/defaultOutboundConfig/answerMachineDetectionConfig"
#: how far ahead dates are checked (the issue's "next 365 days from --today")
HORIZON_DAYS = 365


def properties(pack: Any) -> tuple[tuple[str, str], ...]:
    return (("policy", pack.id), ("citation", pack.citation))


def problem(pointer: str, message: str, pack: Any, at_key: bool = False) -> Problem:
    return Problem(pointer, message, at_key=at_key, properties=properties(pack))


def windows(campaign: Campaign, pack: Any) -> Iterator[tuple[str, str, Mapping]]:
    """``(channel, pointer, window)`` for the time windows of the channels the pack covers."""
    subtypes = pack.subtypes()
    for channel, pointer, window in campaign.time_windows():
        if channel in subtypes:
            yield channel, pointer, window


def open_ranges(window: Mapping, pointer: str) -> Iterator[TimeRange]:
    """Well-formed, non-empty ranges on a known day (the rest is CC3xx's business)."""
    for item in time_ranges(window, pointer):
        if item.day in DAYS and item.valid_times and item.start < item.end:
            yield item


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def allowed_text(pack: Any, day: str) -> str:
    allowed = pack.allowed(day)
    if not allowed:
        return f"no hours on {day.title()}"
    return " and ".join(f"{clock(a)}-{clock(b)}" for a, b in allowed) + f" on {day.title()}"


def default_zone(campaign: Campaign) -> str | None:
    """defaultTimeZone when it is a zone of the database (else CC309 reports it)."""
    import pytz

    zone = as_str(campaign.get(f"{ZONE_CONFIG}/defaultTimeZone"))
    return zone if zone in pytz.all_timezones_set else None


# --- CC701 -------------------------------------------------------------------------------------


def callee_local(item: TimeRange, channel: str, pack: Any, why: str = "localTimeZoneDetection"
                 ) -> Problem | None:
    """Open hours read as the callee's own clock: the range must lie inside the pack's hours."""
    from campaign_lint.policies.clock import first_outside, merge

    allowed = pack.allowed(item.day)
    if allowed is None:
        return None
    outside = first_outside(merge(allowed), item.start, item.end)
    if outside is None:
        return None
    return problem(item.pointer, f"{channel} {item.day} {item.label()} is open at {clock(outside)} "
                   f"callee-local time ({why}), outside {pack.id}'s "
                   f"{allowed_text(pack, item.day)} ({pack.citation})", pack)


class DefaultZoneCheck:
    """Open hours read on the default zone's clock, for callees in every audience zone, on
    every day of the horizon. Results depend only on the pack, the zones, the day and the
    range, so they are shared by every campaign of the run."""

    _legal: dict[tuple[Any, str], Any] = {}
    _results: dict[tuple, Any] = {}

    def __init__(self, active: Any, zone: str, today: date):
        self.active, self.zone, self.today = active, zone, today

    def legal(self, audience_zone: str) -> Any:
        from campaign_lint.policies.clock import LegalHours

        key = (self.active.pack, audience_zone)
        if key not in self._legal:
            self._legal[key] = LegalHours(self.active.pack, audience_zone)
        return self._legal[key]

    def first_breach(self, day: str, start: int, end: int, audience_zone: str) -> tuple[int, int] | None:
        """``(minutes outside, first instant outside)`` on the first date the range breaks
        the pack for callees in ``audience_zone``, or None."""
        from campaign_lint.policies.clock import DAY, EPOCH, day_plan, steady_breach, to_instant

        pack = self.active.pack
        plan = day_plan(self.zone, audience_zone, self.today.toordinal(), HORIZON_DAYS, DAYS.index(day))
        for ordinal, ours, theirs in plan:
            if ours is not None and theirs is not None:  # steady offsets: plain arithmetic, cached
                breach = steady_breach(pack, (ordinal - 1) % 7, start, end, ours, theirs)
                if breach is not None:
                    return breach[1], (ordinal - EPOCH) * DAY + breach[0]
                continue
            legal = self.legal(audience_zone)  # a day around a change of offset: exact
            low, high = to_instant(self.zone, ordinal, start), to_instant(self.zone, ordinal, end)
            outside = legal.first_outside(low, high) if low < high else None
            if outside is not None:
                return legal.outside(low, high), outside
        return None

    def breaches(self, day: str, start: int, end: int) -> list[tuple[str, tuple[int, int]]]:
        from campaign_lint.policies.clock import zone_signature

        key = (self.active.pack, self.active.zones, self.zone, self.today, day, start, end)
        if key not in self._results:
            by_clock: dict[object, tuple[int, int] | None] = {}  # zones whose clocks agree agree
            found = []
            for zone in self.active.zones:
                signature = zone_signature(zone, self.today.toordinal(), HORIZON_DAYS)
                if signature not in by_clock:
                    by_clock[signature] = self.first_breach(day, start, end, zone)
                if by_clock[signature] is not None:
                    found.append((zone, by_clock[signature]))
            self._results[key] = found
        return self._results[key]

    def check(self, item: TimeRange, channel: str, why: str = "") -> Problem | None:
        from campaign_lint.policies.clock import local_time

        pack = self.active.pack
        breaches = self.breaches(item.day, item.start, item.end)
        if not breaches:
            return None
        # the zone where most of the range is outside (Honolulu rather than Denver)
        zone, (_, instant) = max(breaches, key=lambda breach: breach[1][0])
        local = local_time(zone, instant)
        weekday = DAYS[local.weekday()]
        others = [z for z, _ in breaches if z != zone]
        more = (f"; also in {', '.join(others[:3])}" + (f" and {len(others) - 3} more zones" if len(others) > 3 else "")
                if others else "")
        return problem(item.pointer, f"{channel} {item.day} {item.label()} on {self.zone}'s clock reaches "
                       f"{local:%H:%M} in {zone} ({weekday.title()} {local.date().isoformat()}), outside {pack.id}'s "
                       f"{allowed_text(pack, weekday)}{why} ({pack.citation}){more}", pack)


class Reading:
    """How a campaign's open hours reach callees under one pack: on the callee's own clock
    (``localTimeZoneDetection`` set, or no usable zone: CC309/CC311 report the zone itself),
    on the default zone's clock in every audience zone, or both."""

    def __init__(self, campaign: Campaign, active: Any, today: date):
        self.active, self.today = active, today
        self.pack = active.pack
        detected = detects_zone(campaign)
        if detected and is_unknown(campaign.get(f"{ZONE_CONFIG}/defaultTimeZone")):
            # a default zone not known here (a template's parameter): the callee-local reading
            # holds whatever it is, so its findings stand (is_unknown says so); the default
            # zone's reading cannot be made. Without a detection nothing is read on any clock.
            self.zone = None
        else:
            self.zone = default_zone(campaign)
        self.local = detected or self.zone is None
        self.default = DefaultZoneCheck(active, self.zone, today) if self.zone else None
        # the pack with its statute's clock as the only audience: callees "there" are that clock
        self.statute = replace(active, zones=(self.pack.statute_clock,)) if self.pack.statute_clock else None

    def written_for(self) -> tuple[str, ...]:
        """The clocks a range is written for, on which a ``statute-clock`` pack reads it: each
        audience zone's for callee-local hours, and the default zone's. The statute's own zone
        too: with a default zone on that clock whose callees lie elsewhere, nothing else
        compares the range with the hours (or the holidays) on that clock."""
        zones = (self.active.zones if self.local else ()) + ((self.zone,) if self.zone else ())
        return tuple(dict.fromkeys(zones))

    def on_statute_clock(self, item: TimeRange, channel: str) -> Problem | None:
        """A pack with a ``statute-clock``: the range read on the clock it is written for (each
        audience zone's for callee-local hours, the default zone's) must also lie inside the
        hours on the statute's clock (El Paso T20:30 is 21:30 in Chicago, past Texas's 21:00)."""
        clock = self.pack.statute_clock
        if clock is None:
            return None
        for zone in self.written_for():
            found = DefaultZoneCheck(self.statute, zone, self.today).check(
                item, channel, f" read on {clock}'s clock" if zone != clock else "")
            if found is not None:
                return found
        return None

    def banned_day_reached(self, item: TimeRange) -> tuple[str, str] | None:
        """For a range on a weekday the pack bans, where it is that banned day for a callee:
        ``("", "")`` on the callee's own clock, ``(weekday, audience zone)`` on the default
        zone's; None when it reaches no callee on a banned day (UTC Sunday 01:00 is Saturday
        evening in the US), or for a range on another weekday. A range reported here is
        CC702's; any other is CC701's and CC703's."""
        from campaign_lint.policies.clock import local_time

        if item.day not in self.pack.banned_days:
            return None
        if self.local:
            return "", ""
        for zone, (_, instant) in self.default.breaches(item.day, item.start, item.end):
            weekday = DAYS[local_time(zone, instant).weekday()]
            if weekday in self.pack.banned_days:
                return weekday, zone
        return None


def outside_hours(campaign: Campaign, active: Any, today: date) -> Iterator[Problem]:
    pack = active.pack
    if pack.hours is None and not pack.banned_days:
        return  # no hours and no banned day: nothing is outside (a caps-only pack)
    reading = Reading(campaign, active, today)
    why = "localTimeZoneDetection" if detects_zone(campaign) else "no usable time zone, read as callee-local"
    for channel, pointer, window in windows(campaign, pack):
        for item in open_ranges(window, pointer):
            if reading.banned_day_reached(item) is not None:
                continue  # CC702
            found = [callee_local(item, channel, pack, why) if reading.local else None,
                     reading.default.check(item, channel) if reading.default else None]
            found = [p for p in found if p is not None]
            yield from found or filter(None, [reading.on_statute_clock(item, channel)])


# --- CC702, CC703 --------------------------------------------------------------------------------


def banned_days(campaign: Campaign, active: Any, today: date) -> Iterator[Problem]:
    pack = active.pack
    reading = Reading(campaign, active, today)
    for channel, pointer, window in windows(campaign, pack):
        days = as_mapping(as_mapping(window.get("openHours")).get("dailyHours"))
        for day, ranges in days.items():
            if day not in pack.banned_days or not as_sequence(ranges):
                continue
            at = pointer_join(pointer, "openHours", "dailyHours", day)
            if reading.local:
                yield problem(at, f"{channel} is open on {day}, a day {pack.id} bans ({pack.citation}); "
                              f"remove {day}", pack, at_key=True)
                continue
            reached = next(filter(None, (reading.banned_day_reached(item) for item in open_ranges(window, pointer)
                                         if item.day == day)), None)
            if reached is not None:
                weekday, zone = reached
                yield problem(at, f"{channel} is open on {day} on {reading.zone}'s clock, which is "
                              f"{weekday.title()} in {zone}, a day {pack.id} bans ({pack.citation}); "
                              f"move or remove those hours", pack, at_key=True)


def open_holidays(campaign: Campaign, active: Any, today: date) -> Iterator[Problem]:
    from ._values import restricted_periods

    pack = active.pack
    # a callee's local date can be up to two days off the campaign's (UTC-11 and UTC+14 are 25 hours apart)
    dates = pack.holiday_dates(today - timedelta(days=2), today + timedelta(days=HORIZON_DAYS + 1))
    if not dates:
        return
    reading = Reading(campaign, active, today)
    zone, callee_local = reading.zone, reading.local
    last = today + timedelta(days=HORIZON_DAYS - 1)
    for channel, pointer, window in windows(campaign, pack):
        ranges = [item for item in open_ranges(window, pointer) if reading.banned_day_reached(item) is None]
        periods = [(p.start, p.end) for p in restricted_periods(window, pointer) if p.start and p.end]

        missed: dict[date, str] = {}
        if callee_local:  # the campaign's date is the callee's date
            open_days = {item.day for item in ranges}
            missed.update((day, name) for day, name in dates.items() if today <= day <= last
                          and DAYS[day.weekday()] in open_days and not _restricted(day, periods))
        if zone is not None:  # the default zone's date need not be the callee's date
            for item in ranges:
                for day, (local, name, where) in _holidays_reached(item, zone, active, dates, today).items():
                    if not _restricted(day, periods) and day not in missed:
                        missed[day] = name if local == day else f"{name} {local.isoformat()} in {where}"
        if reading.statute is not None:  # a statute clock: its dates hold too, as its hours do (CC701)
            for day, (local, name) in _statute_holidays(reading, ranges, dates, today).items():
                if not _restricted(day, periods) and day not in missed:
                    missed[day] = f"{name}{'' if local == day else f' {local.isoformat()}'} on {pack.statute_clock}'s clock"
        if missed:
            listed = ", ".join(f"{day.isoformat()} ({name})" for day, name in sorted(missed.items()))
            yield problem(pointer_join(pointer, "restrictedPeriods"),
                          f"{channel} is open on {len(missed)} holiday{'s' if len(missed) > 1 else ''} "
                          f"{pack.id} bans, with no restricted period: {listed}; add restrictedPeriods "
                          f"({pack.citation})", pack)


def _statute_holidays(reading: Reading, ranges: list[TimeRange], dates: Mapping[date, str], today: date
                      ) -> dict[date, tuple[date, str]]:
    """Campaign dates on which a range, read on each clock it is written for, is open on a banned
    holiday of the statute clock's date: campaign date -> (the statute clock's date, holiday).
    America/Denver SUNDAY T23:00 is Monday 00:00 in Chicago: Memorial Day on Texas's clock."""
    from campaign_lint.policies.clock import zone_signature

    found: dict[date, tuple[date, str]] = {}
    clocks: dict[object, str] = {}  # zones whose clocks agree read a range alike
    for zone in reading.written_for():
        clocks.setdefault(zone_signature(zone, today.toordinal(), HORIZON_DAYS), zone)
    for zone in clocks.values():
        for item in ranges:
            for day, (local, name, _) in _holidays_reached(item, zone, reading.statute, dates, today).items():
                found.setdefault(day, (local, name))
    return found


def _restricted(day: date, periods: list[tuple[date, date]]) -> bool:
    return any(start <= day <= end for start, end in periods)


def _holidays_reached(item: TimeRange, zone: str, active: Any, dates: Mapping[date, str], today: date
                      ) -> dict[date, tuple[date, str, str]]:
    """Campaign dates (``--today`` + 365 days) on which a range on ``zone``'s clock is open on a
    banned holiday of some audience zone: campaign date -> (callee's date, holiday, zone).
    UTC Tuesday 00:00-01:00 is Monday evening in the US: a Monday holiday, reached on Tuesday."""
    from campaign_lint.policies.clock import local_time, to_instant, zone_signature

    pack, found = active.pack, {}
    clocks: dict[object, str] = {}  # one zone per clock: zones whose clocks agree agree on dates
    for zone_name in active.zones:
        clocks.setdefault(zone_signature(zone_name, today.toordinal(), HORIZON_DAYS), zone_name)
    zones = tuple(clocks.values())
    for offset in range(HORIZON_DAYS):
        day = today + timedelta(days=offset)
        if DAYS[day.weekday()] != item.day or not any(day + timedelta(days=d) in dates for d in range(-2, 3)):
            continue
        low, high = to_instant(zone, day.toordinal(), item.start), to_instant(zone, day.toordinal(), item.end)
        for audience_zone in zones:
            first, final = local_time(audience_zone, low).date(), local_time(audience_zone, high - 1).date()
            reached = [first + timedelta(days=n) for n in range((final - first).days + 1)]
            hit = next((d for d in reached if d in dates and DAYS[d.weekday()] not in pack.banned_days), None)
            if hit is not None:
                found[day] = (hit, dates[hit], audience_zone)
                break
    return found


# --- CC704 -----------------------------------------------------------------------------------------


def limit_bound(limit: Mapping, days: int) -> int | None:
    """At most how many contacts one Connect limit allows in any span of ``days`` days."""
    count, frequency = as_number(limit.get("maxCountPerRecipient")), as_number(limit.get("frequency"))
    if count is None or frequency is None or frequency <= 0 or limit.get("unit", "DAY") != "DAY":
        return None
    return int(count) * (math.ceil(days / frequency) if frequency <= days else 1)


def contact_caps(campaign: Campaign, active: Any, all_caps: bool, context: Any = None) -> Iterator[Problem]:
    from campaign_lint.policies.pack import CHANNELS

    pack = active.pack
    subtypes = set(configured_channels(campaign, context))
    own = [as_mapping(item) for item in as_sequence(campaign.get(LIMIT_LIST))]
    handling = as_mapping(campaign.get(LIMITS)).get("instanceLimitsHandling")
    instance = as_sequence(campaign.instance_limits) if handling == "OPT_IN" else ()
    for cap in pack.caps:
        if not (cap.default or all_caps) or not subtypes & {CHANNELS[c] for c in cap.channels}:
            continue
        if cap.when == "answer-machine-detection" and campaign.get(f"{AMD}/enableAnswerMachineDetection") is not True:
            continue
        allowed, days = cap.connect
        bounds = [(b, index) for index, item in enumerate(own) if (b := limit_bound(item, days)) is not None]
        bounds += [(b, None) for item in instance if (b := limit_bound(as_mapping(item), days)) is not None]
        best = min(bounds, key=lambda pair: pair[0]) if bounds else None
        if best is not None and best[0] <= allowed:
            continue
        yield _cap_problem(campaign, pack, cap, best, handling == "OPT_IN")


def _cap_problem(campaign: Campaign, pack: Any, cap: Any, best: tuple[int, int | None] | None,
                 opt_in: bool) -> Problem:
    allowed, days = cap.connect
    span = f"{days} day{'s' if days > 1 else ''}"
    if best is None:
        now, pointer = "no communication limit applies", LIMITS if campaign.get(LIMITS) is not None else ""
    else:
        now = f"the limits allow up to {best[0]} per {span}"
        pointer = f"{LIMIT_LIST}/{best[1]}" if best[1] is not None else f"{LIMITS}/instanceLimitsHandling"
    if opt_in and campaign.instance_limits is None:
        now += " (instanceLimitsHandling OPT_IN: the instance's own limits are not in a file; audit checks them)"
    exact = "" if cap.exact else f"; Connect cannot express this cap exactly: {cap.note}"
    return problem(pointer, f"{pack.id} caps contacts at {cap.label()} ({cap.scope}); {now}: add "
                   f"{{maxCountPerRecipient: {allowed}, frequency: {days}, unit: DAY}} "
                   f"({pack.citation}){exact}", pack)
