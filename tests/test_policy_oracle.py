"""CC701 for default-zone campaigns against a brute-force oracle: every minute of every open
range on every day of the next year, converted into every audience zone."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.policies import load_packs
from campaign_lint.policies.pack import parse_pack

from .conftest import findings_of, run_cli

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
#: zones with daylight saving in either hemisphere, half-hour and 45-minute offsets, a
#: 30-minute DST shift (Lord Howe), fixed offsets, and the US edges (Adak, Honolulu, Phoenix)
ZONES = ["America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "America/Phoenix",
         "America/Adak", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "Etc/GMT+5",
         "Europe/London", "America/St_Johns", "UTC", "Pacific/Pago_Pago", "Pacific/Kiritimati"]
PACKS = load_packs()


def to_utc(zone: str, day: date, minute: int) -> datetime:
    """A wall time as an instant: skipped times with the offset before the change, repeated
    ones as their first occurrence (the project's documented decision)."""
    tz = pytz.timezone(zone)
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    try:
        aware = tz.localize(naive, is_dst=None)
    except pytz.AmbiguousTimeError:
        aware = tz.localize(naive, is_dst=True)
    except pytz.NonExistentTimeError:
        aware = tz.localize(naive, is_dst=False)
    return aware.astimezone(timezone.utc)


def illegal_minutes(pack, zone: str, day_name: str, start: int, end: int, audience: list[str],
                    today: date) -> set[tuple[str, str]]:
    """Every (audience zone, local 'YYYY-MM-DD HH:MM') at which the range is open illegally."""
    found = set()
    for offset in range(365):
        day = today + timedelta(days=offset)
        if DAYS[day.weekday()] != day_name:
            continue
        first, last = to_utc(zone, day, start), to_utc(zone, day, end)
        minute = first
        while minute < last:
            # a pack with a statute clock: the minute must also be legal on that clock
            for other in audience + ([pack.statute_clock] if pack.statute_clock else []):
                local = minute.astimezone(pytz.timezone(other))
                allowed = pack.allowed(DAYS[local.weekday()])
                clock = local.hour * 60 + local.minute
                if allowed is not None and not any(a <= clock < b for a, b in allowed):
                    found.add((other, local.strftime("%Y-%m-%d %H:%M")))
            minute += timedelta(minutes=1)
    return found


def lint(pack: str, zone: str | None, day: str, start: int, end: int, audience: list[str], today: date,
         rule: str = "CC701", own_pack: dict | None = None):
    """Lint one range on ``zone``'s clock (None: callee-local) under a built-in pack, or under
    ``own_pack`` (a pack file's data, id ``pack``) from policy-dirs."""
    def clock(m: int) -> str:
        return f"T{m // 60:02d}:{m % 60:02d}"

    reading = f"defaultTimeZone: {zone}" if zone else "localTimeZoneDetection: [ZIP_CODE]"
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        config = f"audience-zones = {audience!r}\n".replace("'", '"')
        if own_pack is not None:
            (base / "packs").mkdir()
            (base / "packs" / f"{pack}.json").write_text(json.dumps(own_pack))
            config += 'policy-dirs = ["packs"]\n'
        (base / ".campaign-lint.toml").write_text(config)
        (base / "c.yaml").write_text(
            "communicationTimeConfig:\n  localTimeZoneConfig:\n"
            f"    {reading}\n  telephony:\n    openHours:\n      dailyHours:\n"
            f"        {day}: [{{startTime: {clock(start)}, endTime: {clock(end)}}}]\n")
        run = run_cli("check", "--config", str(base / ".campaign-lint.toml"), "--today", today.isoformat(),
                      "--format", "json", "--policy", pack, str(base / "c.yaml"))
    assert run.code in (0, 1), run.err
    return findings_of(run, rule)


def lint_holidays(pack: str, zone: str, day: str, start: int, end: int, audience: list[str], today: date):
    return lint(pack, zone, day, start, end, audience, today, rule="CC703")


@settings(max_examples=10, deadline=None, derandomize=True)
@given(pack=st.sampled_from(["us-tcpa", "us-tx", "fr-demarchage", "ca-crtc"]),
       zone=st.sampled_from(ZONES),
       audience=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
       day=st.sampled_from(DAYS),
       start=st.integers(0, 24 * 60 - 1), length=st.integers(1, 180),
       today=st.dates(date(2026, 1, 1), date(2028, 12, 31)))
def test_default_zone_hours_match_the_minute_by_minute_oracle(pack, zone, audience, day, start, length, today):
    end = min(start + length, 24 * 60)
    findings = lint(pack, zone, day, start, end, audience, today)
    illegal = illegal_minutes(PACKS[pack], zone, day, start, end, audience, today)
    if day in PACKS[pack].banned_days:
        _check_banned_day(pack, zone, day, start, end, audience, today, findings, illegal)
        if not findings:
            return
    assert bool(findings) == bool(illegal), (findings, sorted(illegal)[:5])
    if findings:
        match = re.search(r"reaches (\d\d:\d\d) in (\S+) \(\w+ (\d{4}-\d\d-\d\d)\)", findings[0]["message"])
        assert match, findings[0]["message"]
        assert (match.group(2), f"{match.group(3)} {match.group(1)}") in illegal


def _check_banned_day(pack, zone, day, start, end, audience, today, findings, illegal) -> None:
    """A range on a weekday the pack bans, on the default zone's clock: CC702 when it is a banned
    day for some callee too, else CC701 as on any other day (UTC Sunday 01:00 is Saturday
    evening in the US); never both."""
    banned = lint(pack, zone, day, start, end, audience, today, rule="CC702")
    assert not (findings and banned), (findings, banned)
    assert bool(findings or banned) == bool(illegal), (findings, banned, sorted(illegal)[:5])
    if banned:
        assert any(DAYS[date.fromisoformat(when[:10]).weekday()] in PACKS[pack].banned_days
                   for _, when in illegal)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(pack=st.sampled_from(["us-la", "us-ut", "fr-demarchage", "au-telemarketing"]),
       zone=st.sampled_from(ZONES),
       audience=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
       start=st.integers(0, 24 * 60 - 1), length=st.integers(1, 180),
       today=st.dates(date(2026, 1, 1), date(2028, 12, 31)))
def test_default_zone_hours_on_a_banned_weekday_match_the_oracle(pack, zone, audience, start, length, today):
    day = sorted(PACKS[pack].banned_days)[0]
    end = min(start + length, 24 * 60)
    findings = lint(pack, zone, day, start, end, audience, today)
    _check_banned_day(pack, zone, day, start, end, audience, today, findings,
                      illegal_minutes(PACKS[pack], zone, day, start, end, audience, today))


def holiday_dates_reached(pack, zone: str, day_name: str, start: int, end: int, audience: list[str],
                          today: date) -> set[str]:
    """Campaign dates on which some minute of the range is a banned holiday in some audience zone."""
    holidays = pack.holiday_dates(today - timedelta(days=2), today + timedelta(days=367))
    found = set()
    for offset in range(365):
        day = today + timedelta(days=offset)
        if DAYS[day.weekday()] != day_name:
            continue
        minute, last = to_utc(zone, day, start), to_utc(zone, day, end)
        while minute < last and day.isoformat() not in found:
            # a pack with a statute clock: the minute must also be legal on that clock
            for other in audience + ([pack.statute_clock] if pack.statute_clock else []):
                local = minute.astimezone(pytz.timezone(other)).date()
                if local in holidays and DAYS[local.weekday()] not in pack.banned_days:
                    found.add(day.isoformat())
            minute += timedelta(minutes=15 if last - minute > timedelta(minutes=15) else 1)
    return found


@settings(max_examples=8, deadline=None, derandomize=True)
@given(pack=st.sampled_from(["us-ut", "us-la", "fr-demarchage", "au-telemarketing"]),
       zone=st.sampled_from(ZONES),
       audience=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
       day=st.sampled_from(DAYS[:5]),
       start=st.integers(0, 24 * 60 - 1), length=st.integers(1, 600),
       today=st.dates(date(2026, 1, 1), date(2028, 12, 31)))
def test_default_zone_holidays_match_the_oracle(pack, zone, audience, day, start, length, today):
    """CC703 lists exactly the campaign dates on which the range is open on a callee's holiday."""
    end = min(start + length, 24 * 60)
    if day in PACKS[pack].banned_days:
        return
    expected = holiday_dates_reached(PACKS[pack], zone, day, start, end, audience, today)
    run = lint_holidays(pack, zone, day, start, end, audience, today)
    listed = set(re.findall(r"(\d{4}-\d\d-\d\d) \(", run[0]["message"])) if run else set()
    assert listed == expected


@settings(max_examples=8, deadline=None, derandomize=True)
@given(statute_clock=st.sampled_from(ZONES),
       zone=st.one_of(st.none(), st.sampled_from(ZONES)),
       audience=st.lists(st.sampled_from(ZONES), min_size=1, max_size=2, unique=True),
       day=st.sampled_from(DAYS[:5]),
       start=st.integers(0, 24 * 60 - 1), length=st.integers(1, 600),
       today=st.dates(date(2026, 1, 1), date(2028, 12, 31)))
def test_holidays_on_a_statute_clock_match_the_oracle(statute_clock, zone, audience, day, start, length, today):
    """A pack with a statute clock bans its holidays on that clock too: CC703 lists exactly the
    campaign dates on which the range, on the clock it is written for (the default zone's, or
    each audience zone's for callee-local hours), is on a holiday of a callee's or that clock's date."""
    data = {"id": "acme", "title": "t", "jurisdiction": "j", "covers": ["telemarketing"], "channels": ["voice"],
            "audience": ["US"], "holidays": {"country": "US"}, "statute-clock": statute_clock, "citation": "c",
            "source-url": "https://example.com/", "last-checked": "2026-11-01", "confidence": "high"}
    pack = parse_pack(data, "acme.json")
    end = min(start + length, 24 * 60)
    expected = set()
    for clock in [zone] if zone else audience:  # callee-local: each callee's date is the campaign's
        expected |= holiday_dates_reached(pack, clock, day, start, end, audience if zone else [clock], today)
    run = lint("acme", zone, day, start, end, audience, today, rule="CC703", own_pack=data)
    listed = set(re.findall(r"(\d{4}-\d\d-\d\d) \(", run[0]["message"])) if run else set()
    assert listed == expected, (run, sorted(expected))
