"""Zone offsets after 2037 (``campaign_lint.tz``): pytz's tables stop at the last change before
2038-01-19, so without the zone file's own rule New York would have no daylight saving from
2038 on. Checked against CPython's zoneinfo reading the same files, against pytz's own table
28 years earlier, and through the rules that read clocks (CC312, CC701, CC703, the legal
window; the week of ``campaign-lint hours`` in test_hours)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import pytz
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from campaign_lint import tz
from campaign_lint.policies import legal_window, load_packs

from .conftest import findings_of, run_cli

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


# --- the rules that read clocks, on dates pytz alone gets wrong ---------------------------------

GAP = """\
name: dst
communicationTimeConfig:
  localTimeZoneConfig:
    defaultTimeZone: America/New_York
  sms:
    openHours:
      dailyHours:
        SUNDAY: [{startTime: T02:30, endTime: T06:00}]
"""


@pytest.mark.parametrize("today,spring_forward", [("2037-06-01", "2038-03-14"), ("2045-01-01", "2045-03-12"),
                                                  ("2089-11-29", "2090-03-12")])
def test_cc312_finds_the_spring_forward_gap_after_2037(tmp_path, today, spring_forward):
    (tmp_path / "c.yaml").write_text(GAP)
    run = run_cli("check", "--isolated", "--today", today, "--select", "CC312", "--format", "json",
                  str(tmp_path / "c.yaml"))
    [finding] = run.json()["findings"]
    assert f"does not exist in America/New_York on {spring_forward}" in finding["message"]


DEFAULT_ZONE = """\
name: hours
communicationTimeConfig:
  localTimeZoneConfig:
    defaultTimeZone: America/New_York
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T13:00, endTime: T20:00}]
"""


@pytest.mark.parametrize("today,monday", [("2037-11-02", "2038-03-15"), ("2045-06-01", "2045-06-05")])
def test_cc701_sees_new_york_summer_time_after_2037(tmp_path, today, monday):
    """T13:00 in New York is 07:00 in Honolulu while New York is on summer time (UTC-4)."""
    (tmp_path / "c.yaml").write_text(DEFAULT_ZONE)
    run = run_cli("check", "--isolated", "--today", today, "--select", "CC701", "--policy", "us-tcpa",
                  "--format", "json", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC701")
    assert f"reaches 07:00 in Pacific/Honolulu (Monday {monday})" in finding["message"]


def test_cc703_reads_holidays_on_summer_time_after_2037(tmp_path):
    """Phoenix MONDAY T22:30 is Tuesday 00:30 in Chicago in summer (CDT), Monday 23:30 in winter:
    Independence Day, Tuesday 2045-07-04, is reached from Monday; Labor Day, Monday 2045-09-04,
    is not (the range is past Chicago's midnight then), Christmas, Monday 2045-12-25, is."""
    (tmp_path / "c.yaml").write_text(DEFAULT_ZONE.replace("America/New_York", "America/Phoenix")
                                     .replace("T13:00, endTime: T20:00", "T22:30, endTime: T23:00"))
    run = run_cli("check", "--isolated", "--today", "2045-06-01", "--select", "CC703", "--policy", "us-la",
                  "--format", "json", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC703")
    assert "2045-07-03 (Independence Day 2045-07-04 in America/Chicago)" in finding["message"]
    assert "2045-12-25 (Christmas Day)" in finding["message"]
    assert "2045-09-04" not in finding["message"]


def test_the_legal_window_and_the_statute_clock_after_2037():
    """08:00-20:00 in New York is 12:00-24:00 UTC in July 2045 (EDT); us-tx holds on Chicago's
    clock too: 21:00 CDT is 20:00 in Denver (MDT), in 2045 as in 2027."""
    utc, packs = timezone.utc, load_packs()
    assert legal_window(packs["us-fl"], date(2045, 7, 3), "America/New_York") == [
        (datetime(2045, 7, 3, 12, tzinfo=utc), datetime(2045, 7, 4, tzinfo=utc))]
    for year in (2027, 2045):
        [(start, end)] = legal_window(packs["us-tx"], date(year, 7, 6), "America/Denver", holidays=False)
        assert (start.hour, end.hour) == (15, 2), year  # 09:00 and 20:00 MDT (UTC-6)
