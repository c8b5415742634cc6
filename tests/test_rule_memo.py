"""The rules' memoized helpers give what the straightforward computation gives, and
findings never depend on which campaigns were checked before (issue 12)."""

from __future__ import annotations

import json
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.model import freeze
from campaign_lint.registry import Registry
from campaign_lint.rules import _values
from campaign_lint.rules._values import (calendar_date, clock_minutes, restricted_periods,
                                         time_ranges)
from campaign_lint.rules.outbound import e164_problem
from campaign_lint.sources.files import load_bytes

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

clock_texts = st.one_of(
    st.builds(lambda h, m: f"T{h:02d}:{m:02d}", st.integers(0, 99), st.integers(0, 99)),
    st.text(max_size=7), st.integers(), st.none())
date_texts = st.one_of(
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 32)),
    st.text(max_size=10), st.none())


def reference_minutes(text, is_end):
    if not isinstance(text, str) or not re.fullmatch(r"T(\d{2}):(\d{2})", text):
        return None
    hours, minutes = int(text[1:3]), int(text[4:6])
    if (hours, minutes) == (24, 0):
        return 24 * 60 if is_end else None
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


def reference_date(text):
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@SETTINGS
@given(clock_texts, st.booleans())
def test_clock_minutes_equals_the_straightforward_reading(text, is_end):
    assert clock_minutes(text, is_end) == reference_minutes(text, is_end)
    assert clock_minutes(text, is_end) == reference_minutes(text, is_end)  # from the cache


@SETTINGS
@given(date_texts)
def test_calendar_date_equals_the_straightforward_reading(text):
    assert calendar_date(text) == reference_date(text) == calendar_date(text)


day_ranges = st.lists(st.fixed_dictionaries({"startTime": clock_texts, "endTime": clock_texts}),
                      max_size=3)
windows = st.fixed_dictionaries({
    "openHours": st.fixed_dictionaries({"dailyHours": st.dictionaries(
        st.sampled_from(_values.DAYS), day_ranges, max_size=3)}),
    "restrictedPeriods": st.fixed_dictionaries({"restrictedPeriodList": st.lists(
        st.fixed_dictionaries({"name": st.none() | st.text(max_size=5),
                               "startDate": date_texts, "endDate": date_texts}), max_size=3)}),
})


def plain_ranges(window, pointer):
    return [(f"{pointer}/openHours/dailyHours/{day}/{index}", day,
             reference_minutes(item["startTime"], False), reference_minutes(item["endTime"], True))
            for day, items in window["openHours"]["dailyHours"].items()
            for index, item in enumerate(items)]


def memo_ranges(window, pointer):
    return [(r.pointer, r.day, r.start, r.end) for r in time_ranges(window, pointer)]


@SETTINGS
@given(windows, windows)
def test_memoized_ranges_and_periods_equal_a_fresh_reading(first, second):
    pointer = "/communicationTimeConfig/sms"
    frozen_first, frozen_second = freeze(first), freeze(second)
    for _ in range(2):  # the second round answers from the memo
        assert memo_ranges(frozen_first, pointer) == plain_ranges(first, pointer)
        assert memo_ranges(frozen_second, "/x") == plain_ranges(second, "/x")
        # an equal window read under another pointer gets that pointer's ranges
        assert memo_ranges(freeze(first), "/y") == plain_ranges(first, "/y")
        # a mutable dict is never memoized
        assert memo_ranges(first, pointer) == plain_ranges(first, pointer)
        periods = [(p.pointer, p.name, p.start, p.end) for p in restricted_periods(frozen_first, pointer)]
        assert periods == [
            (f"{pointer}/restrictedPeriods/restrictedPeriodList/{index}", item["name"],
             reference_date(item["startDate"]), reference_date(item["endDate"]))
            for index, item in enumerate(first["restrictedPeriods"]["restrictedPeriodList"])]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["+12125550123", "+1 212 555 0123", "212-555-0123", "+999", "+4420794601",
                        "+442079460123", "", "+"]) | st.text(max_size=14))
def test_cached_e164_problem_equals_a_fresh_check(number):
    assert e164_problem(number) == e164_problem.__wrapped__(number) == e164_problem(number)


ENGINE = Engine(Registry.load(plugins=False), Config(), Selection())


def _campaign(hours: dict, zone: str, periods: list) -> dict:
    return {"name": "c", "connectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
            "channelSubtypeConfig": {"sms": {"outboundMode": {"agentless": {}},
                                             "defaultOutboundConfig": {
                                                 "connectSourcePhoneNumberArn": "arn:aws:connect:us-east-1:1:phone-number/x"}}},
            "communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": zone},
                                        "sms": {"openHours": {"dailyHours": hours},
                                                "restrictedPeriods": {"restrictedPeriodList": periods}}}}


campaigns = st.builds(
    _campaign,
    st.dictionaries(st.sampled_from(_values.DAYS), st.lists(st.fixed_dictionaries({
        "startTime": st.sampled_from(["T00:00", "T02:30", "T09:00", "T12:00", "T24:00", "T12:75"]),
        "endTime": st.sampled_from(["T03:00", "T09:00", "T11:00", "T17:00", "T24:00", "T24:30"])}),
        max_size=3), max_size=3),
    st.sampled_from(["America/New_York", "Europe/London", "UTC", "Mars/Olympus"]),
    st.lists(st.fixed_dictionaries({"startDate": st.sampled_from(["2026-12-24", "2027-01-01", "2026-02-30"]),
                                    "endDate": st.sampled_from(["2026-12-26", "2026-12-31", "x"])}),
             max_size=3))


def _findings(document: dict) -> list:
    loaded = load_bytes(json.dumps(document).encode(), "c.json", "json")
    findings = [(f.rule, f.message, f.line, f.column) for f in ENGINE.run(loaded.campaigns)]
    ENGINE.forget_structure(loaded.campaigns)  # Engine.run keeps them by id, which gets reused
    return findings


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(campaigns, min_size=2, max_size=4))
def test_findings_do_not_depend_on_the_campaigns_checked_before(documents):
    alone = []
    for document in documents:
        _values._READ.clear()  # each campaign checked first, with nothing remembered
        alone.append(_findings(document))
    in_reverse = [_findings(document) for document in reversed(documents)][::-1]
    assert in_reverse == alone


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["2027-06-01T00:00:00Z", "2027-06-01T00:00:00-05:00", "9999-12-31T23:00-05:00",
                        "0001-01-01T01:00+05:00", "2027-13-01T00:00:00Z", ""])
       | st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat())
       | st.text(max_size=12))
def test_cached_schedule_timestamp_equals_a_fresh_reading(text):
    from campaign_lint.rules.schedule import _text_timestamp, timestamp

    assert timestamp(text) == _text_timestamp.__wrapped__(text) == timestamp(text)
