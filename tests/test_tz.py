"""Zone offsets after 2037 (``campaign_lint.tz``): pytz's tables stop at the last change before
2038-01-19, so without the zone file's own rule New York would have no daylight saving from
2038 on. Checked against CPython's zoneinfo reading the same files, against pytz's own table
28 years earlier, and on every zone pytz knows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import pytz
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from campaign_lint import tz

COMMON = sorted(pytz.common_timezones)
#: 28 Gregorian years (7 of them leap years) from 1901 to 2099: the calendar repeats
CYCLE = timedelta(days=28 * 365 + 7)
#: zones whose current rule has held since before 2010, so that pytz's table of 2010-2037 is
#: the rule of every later year too (US since 2007, EU since 1996, Australia and New Zealand
#: since 2008 and 2007; not St Johns: Newfoundland moved its changes from 00:01 to 02:00 in 2011)
STEADY_SINCE_2010 = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                     "America/Anchorage", "America/Adak", "America/Halifax",
                     "Europe/London", "Europe/Berlin", "Europe/Dublin", "Europe/Athens", "Europe/Lisbon",
                     "Australia/Sydney", "Australia/Adelaide", "Australia/Lord_Howe", "Pacific/Auckland",
                     "Pacific/Chatham", "Pacific/Honolulu", "America/Phoenix", "Asia/Kolkata", "UTC"]
#: zones whose table has changes the footer's rule does not give: Ramadan breaks written out
#: until 2086
RAMADAN = {"Asia/Gaza", "Asia/Hebron"}


def zone_file(name: str):
    """CPython's own reading of pytz's file for ``name`` (its 64-bit data and its footer): an
    oracle that needs no system tz database."""
    zoneinfo = pytest.importorskip("zoneinfo")
    with pytz.open_resource(name) as handle:
        return zoneinfo.ZoneInfo.from_file(handle, key=name)


def offset(name: str, instant: datetime) -> timedelta:
    """``name``'s UTC offset at a naive UTC instant, as the rules read it."""
    zone = tz.timezone(name, instant.year)
    return zone.fromutc(instant.replace(tzinfo=zone)).utcoffset()


instants = st.datetimes(datetime(2038, 1, 1), datetime(2090, 12, 31, 23, 59))


@st.composite
def near_changes(draw, zones=COMMON) -> tuple[str, datetime]:
    """A zone and a UTC instant: anywhere in 2038-2090, or within three hours of one of the
    zone's changes of a year (where an offset one hour off would show)."""
    name = draw(st.sampled_from(zones))
    if draw(st.booleans()):
        return name, draw(instants)
    year = draw(st.integers(2038, 2090))
    changes = list(tz.transitions(name, datetime(year, 1, 1), datetime(year, 12, 31, 23)))
    if not changes:
        return name, datetime(year, 7, 1)
    change = changes[draw(st.integers(0, len(changes) - 1))]
    return name, change.when + timedelta(minutes=draw(st.integers(-180, 180)))


@settings(max_examples=400, deadline=None)
@given(near_changes())
def test_offsets_after_2037_are_the_zone_files_as_zoneinfo_reads_them(case):
    name, instant = case
    expected = instant.replace(tzinfo=timezone.utc).astimezone(zone_file(name)).utcoffset()
    assert offset(name, instant) == expected


@settings(max_examples=400, deadline=None)
@given(near_changes(), st.integers(-120, 120))
def test_wall_times_after_2037_exist_once_twice_or_never_as_zoneinfo_says(case, minutes):
    """localize: a wall time that zoneinfo shows at one instant has that instant's offset, one
    it shows twice (the clock went back) is ambiguous, one it never shows (the clock jumped
    over it) does not exist."""
    name, instant = case
    oracle = zone_file(name)
    wall = instant.replace(tzinfo=timezone.utc).astimezone(oracle).replace(tzinfo=None) + timedelta(minutes=minutes)
    candidates = {wall.replace(tzinfo=oracle, fold=fold).utcoffset() for fold in (0, 1)}
    shown = {o for o in candidates
             if (wall - o).replace(tzinfo=timezone.utc).astimezone(oracle).replace(tzinfo=None) == wall}
    zone = tz.timezone(name, wall.year)
    if not shown:
        with pytest.raises(pytz.NonExistentTimeError):
            zone.localize(wall, is_dst=None)
    elif len(shown) == 1:
        assert {zone.localize(wall, is_dst=None).utcoffset()} == shown
    else:
        with pytest.raises(pytz.AmbiguousTimeError):
            zone.localize(wall, is_dst=None)
        assert {zone.localize(wall, is_dst=flag).utcoffset() for flag in (True, False)} == shown


@settings(max_examples=300, deadline=None)
@given(near_changes(STEADY_SINCE_2010))
def test_offsets_after_2037_repeat_pytz_s_own_28_years_earlier(case):
    """Where a zone's rule has not changed since 2010, the same calendar 28 (or 56) years
    earlier has the same offsets, and pytz's own table has them."""
    name, instant = case
    earlier = instant
    while earlier.year >= tz.COMPLETE_BEFORE:
        earlier -= CYCLE
    assume(earlier.year >= 2010)
    pytz_zone = pytz.timezone(name)
    assert offset(name, instant) == pytz_zone.fromutc(earlier.replace(tzinfo=pytz_zone)).utcoffset()


@pytest.mark.parametrize("name", ["Asia/Gaza", "Asia/Hebron", "Europe/Dublin", "Australia/Lord_Howe",
                                  "America/Santiago", "America/Nuuk", "Pacific/Chatham", "Africa/Cairo",
                                  "Asia/Jerusalem", "America/Havana", "Antarctica/Troll", "Australia/Sydney"])
def test_zones_with_odd_rules_agree_with_zoneinfo_until_2100(name):
    """Gaza and Hebron's Ramadan breaks (written out in the file's 64-bit data until 2086, then
    its footer), negative DST (Dublin), half-hour DST (Lord Howe), changes at 24:00, at -1:00,
    at Thursday + 50 hours, DST of two hours (Troll), the southern hemisphere."""
    oracle, instant = zone_file(name), datetime(2038, 1, 1)
    while instant.year < 2100:
        assert offset(name, instant) == instant.replace(tzinfo=timezone.utc).astimezone(oracle).utcoffset(), instant
        instant += timedelta(hours=53)


def test_every_zone_agrees_with_zoneinfo_in_january_and_july_until_2100():
    """Daylight saving in either hemisphere, or none, in every zone pytz knows (links, legacy
    and fixed-offset names included)."""
    for name in pytz.all_timezones:
        oracle = zone_file(name)
        for year in range(2038, 2101):
            for month in (1, 7):
                instant = datetime(year, month, 15, 12)
                assert offset(name, instant) == instant.replace(tzinfo=timezone.utc).astimezone(oracle).utcoffset(), \
                    (name, instant)


def test_before_2038_every_zone_is_pytz_s_own():
    """No cost and no change before 2038: the zone object itself, and a later one extends
    pytz's table without touching it (its first own change comes after 2038-01-19, the end of
    32-bit time that bounds pytz's tables)."""
    for name in pytz.all_timezones:
        assert tz.timezone(name, 2037) is pytz.timezone(name)
        base, later = pytz.timezone(name), tz.timezone(name, 2100)
        if later is base:
            continue
        count = len(base._utc_transition_times)
        assert later._utc_transition_times[:count] == base._utc_transition_times
        assert later._transition_info[:count] == base._transition_info
        assert later._utc_transition_times[count] > datetime(2038, 1, 19, 3, 14, 7), name


def test_the_footer_rule_gives_the_changes_pytz_has_for_2030_to_2037():
    """Every footer with daylight saving is understood, and gives the very changes zic wrote in
    the table for the years both cover (the Ramadan breaks of Gaza and Hebron aside)."""
    checked = 0
    for name in pytz.all_timezones:
        _, footer = tz._read_tzif(name)
        rule = tz._Rule.parse(footer)
        if "," in footer:
            assert rule is not None, (name, footer)
        if rule is None or name in RAMADAN:
            continue
        table = [change.when for change in tz.transitions(name, datetime(2030, 1, 1), datetime(2037, 12, 31, 23))]
        assert [when for when, _ in rule.changes(2030, 2037)] == table, (name, footer)
        checked += 1
    assert checked > 150


@pytest.mark.parametrize("footer,year,changes", [
    ("EST5EDT,M3.2.0,M11.1.0", 2045, [(datetime(2045, 3, 12, 7), True), (datetime(2045, 11, 5, 6), False)]),
    # southern hemisphere: the summer spans the new year
    ("AEST-10AEDT,M10.1.0,M4.1.0/3", 2045, [(datetime(2045, 4, 1, 16), False), (datetime(2045, 9, 30, 16), True)]),
    # hours past 24 and below 0 (RFC 8536): Gaza's Thursday + 50 hours, Nuuk's -1 hour
    ("EET-2EEST,M3.4.4/50,M10.4.4/50", 2045, [(datetime(2045, 3, 25, 0), True), (datetime(2045, 10, 27, 23), False)]),
    ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2045, [(datetime(2045, 3, 26, 1), True), (datetime(2045, 10, 29, 1), False)]),
    # Jn never counts 29 February, n (zero-based) does: both are 1 March and 27 October in 2048
    ("XST3XDT,J60/0,J300/0", 2048, [(datetime(2048, 3, 1, 3), True), (datetime(2048, 10, 27, 2), False)]),
    ("XST3XDT,60/0,300/0", 2048, [(datetime(2048, 3, 1, 3), True), (datetime(2048, 10, 27, 2), False)]),
    # week 5 is the last: the fourth Sunday of March 2045, the fifth of October
    ("CET-1CEST,M3.5.0,M10.5.0/3", 2045, [(datetime(2045, 3, 26, 1), True), (datetime(2045, 10, 29, 1), False)]),
    # daylight saving all year (RFC 8536 3.3.1): the end of one year's is the start of the next's
    ("EST5EDT,0/0,J365/25", 2045, [(datetime(2045, 1, 1, 5), True)]),
])
def test_posix_rules(footer, year, changes):
    rule = tz._Rule.parse(footer)
    found = [(when, kind[1]) for when, kind in rule.changes(year - 1, year + 1) if when.year == year]
    assert found == changes


def test_footers_without_daylight_saving_or_not_understood_leave_the_table_alone():
    for footer in ("", "JST-9", "<+01>-1", "EST5EDT", "EST5EDT,M13.1.0,M11.1.0",
                   "EST5EDT,J0,J365", "EST5EDT,0,366", "garbage"):
        assert tz._Rule.parse(footer) is None, footer


def test_transitions_in_a_window():
    found = list(tz.transitions("America/New_York", datetime(2045, 1, 1), datetime(2045, 12, 31)))
    assert [(c.when, c.before[2], c.after[2]) for c in found] == [
        (datetime(2045, 3, 12, 7), "EST", "EDT"), (datetime(2045, 11, 5, 6), "EDT", "EST")]
    assert list(tz.transitions("Etc/GMT+5", datetime(2045, 1, 1), datetime(2045, 12, 31))) == []
    assert list(tz.transitions("UTC", datetime(1, 1, 1), datetime(9999, 12, 31))) == []


def test_the_last_years_of_the_calendar():
    assert offset("America/New_York", datetime(9999, 7, 1)) == timedelta(hours=-4)
    assert offset("America/New_York", datetime(9999, 12, 31, 23)) == timedelta(hours=-5)
