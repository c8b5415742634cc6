"""The rule catalogue: the cases each rule must get right, and oracle checks of the
interval logic against brute force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.model import Campaign, Origin
from campaign_lint.registry import Registry

REGISTRY = Registry.load(plugins=False)


def findings(data: dict, select: str, today: str = "2026-11-28") -> list:
    engine = Engine(REGISTRY, Config(), Selection(select=[select]), today=date.fromisoformat(today))
    return [f for f in engine.run([Campaign(data, Origin(path="x.json"))]) if f.rule == select]


def window(channel: str = "telephony", zone: str | None = "America/New_York", **days) -> dict:
    config = {"localTimeZoneConfig": {"defaultTimeZone": zone} if zone else {},
              channel: {"openHours": {"dailyHours": {
                  day: [{"startTime": s, "endTime": e} for s, e in ranges]
                  for day, ranges in days.items()}}}}
    return {"communicationTimeConfig": config}


def periods(*pairs) -> dict:
    return {"communicationTimeConfig": {"telephony": {
        "openHours": {"dailyHours": {}},
        "restrictedPeriods": {"restrictedPeriodList": [
            {"startDate": s, "endDate": e} for s, e in pairs]}}}}


def phone(number: str) -> dict:
    return {"channelSubtypeConfig": {"telephony": {"defaultOutboundConfig": {
        "connectContactFlowId": "f", "connectSourcePhoneNumber": number}}}}


# --- CC202 ------------------------------------------------------------------------

@pytest.mark.parametrize("number,bad", [
    ("+12125550123", False), ("+442071838750", False),
    ("212-555-0123", True), ("+1 212 555 0123", True), ("+0123", True), ("+15551234567", True),
])
def test_cc202_e164(number, bad):
    assert bool(findings(phone(number), "CC202")) == bad


def test_cc202_suggests_the_e164_form():
    [finding] = findings(phone("+1 (212) 555-0123"), "CC202")
    assert "write it as +12125550123" in finding.message


# --- CC204, CC205, CC206, CC207 ----------------------------------------------------------

def amd(enabled, prompt):
    return {"channelSubtypeConfig": {"telephony": {"defaultOutboundConfig": {
        "answerMachineDetectionConfig": {"enableAnswerMachineDetection": enabled,
                                         "awaitAnswerMachinePrompt": prompt}}}}}


@pytest.mark.parametrize("enabled,prompt,bad", [(False, True, True), (True, True, False),
                                                (False, False, False), (True, False, False)])
def test_cc204(enabled, prompt, bad):
    assert bool(findings(amd(enabled, prompt), "CC204")) == bad


@pytest.mark.parametrize("data,bad", [
    ({"name": "x"}, True), ({"channelSubtypeConfig": {}}, True),
    ({"channelSubtypeConfig": {"email": {}}}, False),
    ({"channelSubtypeConfig": []}, False),  # wrong type: CC103's finding, not CC205's
])
def test_cc205(data, bad):
    assert bool(findings(data, "CC205")) == bad


def test_cc206_and_cc207():
    data = dict(window("telephony", MONDAY=[("T09:00", "T17:00")]),
                channelSubtypeConfig={"sms": {}})
    [missing] = findings(data, "CC206")
    assert missing.pointer == "/channelSubtypeConfig/sms" and "any hour" in missing.message
    [orphan] = findings(data, "CC207")
    assert orphan.pointer == "/communicationTimeConfig/telephony"
    assert findings(window("telephony", MONDAY=[]), "CC207") == []  # no channel at all: CC205's job


# --- CC208 -----------------------------------------------------------------------------

def arns(**fields):
    sms = {"connectSourcePhoneNumberArn": fields.get("phone"), "wisdomTemplateArn": fields.get("template")}
    data = {"channelSubtypeConfig": {"sms": {"defaultOutboundConfig": {k: v for k, v in sms.items() if v}}}}
    if "own" in fields:
        data["arn"] = fields["own"]
    if "segment" in fields:
        data["source"] = {"customerProfilesSegmentArn": fields["segment"]}
    return data


PHONE = "arn:aws:connect:us-east-1:123456789012:phone-number/abc"
TEMPLATE = "arn:aws:wisdom:us-east-1:123456789012:message-template/t1/v1"
SEGMENT = "arn:aws:profile:us-east-1:123456789012:domains/d1/segment-definitions/s1"
OWN = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c1"


def test_cc208_clean():
    assert findings(arns(phone=PHONE, template=TEMPLATE, segment=SEGMENT, own=OWN), "CC208") == []


@pytest.mark.parametrize("fields,pointer", [
    ({"phone": PHONE, "template": PHONE}, "wisdomTemplateArn"),
    ({"phone": TEMPLATE, "template": TEMPLATE}, "connectSourcePhoneNumberArn"),
    ({"segment": "arn:aws:profile:us-east-1:123456789012:domains/d1"}, "customerProfilesSegmentArn"),
    ({"own": OWN, "phone": PHONE.replace("us-east-1", "eu-west-2")}, "connectSourcePhoneNumberArn"),
    ({"own": OWN, "template": TEMPLATE.replace("arn:aws:", "arn:aws-cn:")}, "wisdomTemplateArn"),
    ({"phone": PHONE, "template": TEMPLATE, "segment": SEGMENT.replace("us-east-1", "us-west-2")},
     "customerProfilesSegmentArn"),
])
def test_cc208_mismatch(fields, pointer):
    [finding] = findings(arns(**fields), "CC208")
    assert finding.pointer.endswith(pointer)


def test_cc208_no_majority_no_region_verdict():
    data = arns(phone=PHONE, template=TEMPLATE.replace("us-east-1", "us-west-2"))
    assert findings(data, "CC208") == []


# --- CC302, CC303 --------------------------------------------------------------------------

@pytest.mark.parametrize("start,end,bad", [
    ("T17:00", "T09:00", True), ("T09:00", "T09:00", True), ("T23:00", "T24:00", False),
    ("T00:00", "T00:01", False),
])
def test_cc302(start, end, bad):
    assert bool(findings(window(MONDAY=[(start, end)]), "CC302")) == bad


def test_cc302_suggests_the_documented_t23_59_for_midnight():
    [finding] = findings(window(MONDAY=[("T20:00", "T00:00")]), "CC302")
    assert "end at T23:59 for midnight" in finding.message


@pytest.mark.parametrize("start,end,bad_member", [
    ("T08:00", "T24:30", "endTime"), ("T12:75", "T13:00", "startTime"),
    ("T25:00", "T26:00", "startTime"), ("T24:00", "T24:00", "startTime"),
    ("T20:00", "T24:00", None), ("9:00", "T10:00", None),  # 9:00 is CC107's, not ours
])
def test_cc303(start, end, bad_member):
    found = findings(window(MONDAY=[(start, end)]), "CC303")
    assert [f.pointer.rsplit("/", 1)[1] for f in found][:1] == ([bad_member] if bad_member else [])


def test_bad_clock_time_is_one_finding_not_three():
    data = window(MONDAY=[("T09:00", "T12:00"), ("T11:75", "T13:00")])
    engine = Engine(REGISTRY, Config(), Selection(select=["CC3"]), today=date(2026, 11, 28))
    rules = [f.rule for f in engine.run([Campaign(data, Origin())])]
    assert rules == ["CC303"]


# --- CC304 -------------------------------------------------------------------------------

@pytest.mark.parametrize("days,bad", [({}, True), ({"MONDAY": []}, True),
                                      ({"MONDAY": [("T09:00", "T10:00")]}, False)])
def test_cc304(days, bad):
    assert bool(findings(window(**days), "CC304")) == bad


# --- CC306, CC307, CC308 -------------------------------------------------------------------

@pytest.mark.parametrize("text,bad", [("2025-02-30", True), ("2023-02-29", True),
                                      ("2024-02-29", False), ("2025-13-01", True), ("25-1-1", False)])
def test_cc306(text, bad):
    assert bool(findings(periods((text, "2099-01-01")), "CC306")) == bad


@pytest.mark.parametrize("first,second,bad", [
    (("2025-12-24", "2025-12-26"), ("2025-12-26", "2025-12-27"), True),
    (("2025-12-24", "2025-12-25"), ("2025-12-26", "2025-12-27"), False),
    (("2025-12-20", "2025-12-31"), ("2025-12-24", "2025-12-24"), True),
])
def test_cc307(first, second, bad):
    assert bool(findings(periods(first, second), "CC307")) == bad


def test_cc308_uses_pinned_today():
    data = periods(("2026-12-24", "2026-12-26"))
    assert findings(data, "CC308", today="2026-12-26") == []
    [finding] = findings(data, "CC308", today="2026-12-27")
    assert "2026-12-26" in finding.message and finding.severity.name == "INFO"


def test_cc308_today_from_the_command_line(tmp_path):
    from .conftest import run_cli
    import json
    (tmp_path / "c.json").write_text(json.dumps(periods(("2026-12-24", "2026-12-26"))))
    early = run_cli("check", "--isolated", "--format", "json", "--select", "CC308",
                    "--today", "2026-12-01", str(tmp_path / "c.json"))
    late = run_cli("check", "--isolated", "--format", "json", "--select", "CC308",
                   "--today", "2027-01-01", str(tmp_path / "c.json"))
    assert early.rules() == [] and late.rules() == ["CC308"]


# --- CC309, CC310, CC311, CC312 --------------------------------------------------------------

@pytest.mark.parametrize("zone,rule", [
    ("US/Eastern", "CC310"), ("EST5EDT", "CC310"), ("Asia/Calcutta", "CC310"),
    ("America/New_York", None), ("UTC", None), ("Mars/Olympus", "CC309"), ("america/new_york", "CC309"),
])
def test_time_zone_rules(zone, rule):
    data = {"communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": zone}}}
    found = findings(data, "CC309") + findings(data, "CC310")
    assert [f.rule for f in found] == ([rule] if rule else [])


def test_cc310_names_the_canonical_zone():
    data = {"communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": "Asia/Calcutta"}}}
    [finding] = findings(data, "CC310")
    assert '"Asia/Kolkata"' in finding.message


@pytest.mark.parametrize("config,bad", [
    ({}, True), ({"defaultTimeZone": ""}, True), ({"localTimeZoneDetection": ["ZIP_CODE"]}, False),
    ({"defaultTimeZone": "Europe/Paris"}, False),
])
def test_cc311(config, bad):
    data = {"communicationTimeConfig": {"localTimeZoneConfig": config}}
    assert bool(findings(data, "CC311")) == bad


@pytest.mark.parametrize("zone,day,start,bad", [
    ("America/New_York", "SUNDAY", "T02:30", True),
    ("America/New_York", "MONDAY", "T02:30", False),
    ("America/New_York", "SUNDAY", "T03:00", False),
    ("Europe/London", "SUNDAY", "T01:30", True),
    ("Asia/Tokyo", "SUNDAY", "T02:30", False),
    ("UTC", "SUNDAY", "T02:30", False),
])
def test_cc312(zone, day, start, bad):
    data = window(zone=zone, **{day: [(start, "T08:00")]})
    found = findings(data, "CC312")
    assert bool(found) == bad
    if bad:
        assert zone in found[0].message


def test_cc312_end_time_in_gap():
    data = window(zone="America/New_York", SUNDAY=[("T00:00", "T02:15")])
    [finding] = findings(data, "CC312")
    assert finding.pointer.endswith("/endTime")


# --- CC401, CC402, CC403 --------------------------------------------------------------------

def schedule(start, end, refresh=None):
    data = {"schedule": {"startTime": start, "endTime": end}}
    if refresh is not None:
        data["schedule"]["refreshFrequency"] = refresh
    return data


@pytest.mark.parametrize("start,end,bad", [
    ("2027-06-30T00:00:00Z", "2027-06-01T00:00:00Z", True),
    ("2027-06-01T00:00:00Z", "2027-06-01T00:00:00Z", True),
    ("2027-06-01T00:00:00Z", "2027-06-30T00:00:00Z", False),
    ("2027-06-01T02:00:00+02:00", "2027-06-01T01:00:00Z", False),  # offsets are honoured
    (1812153600, 1809475200, True),  # epoch seconds, as botocore accepts
])
def test_cc401(start, end, bad):
    assert bool(findings(schedule(start, end), "CC401")) == bad


def test_cc402_uses_today():
    data = schedule("2026-01-01T00:00:00Z", "2026-11-27T00:00:00Z")
    assert findings(data, "CC402", today="2026-11-27") == []
    assert len(findings(data, "CC402", today="2026-11-28")) == 1


@pytest.mark.parametrize("refresh,bad", [("P0D", True), ("PT0S", True), ("P-1D", True), ("PT12H", False),
                                         ("P1DT-1H", False), ("PT-30M", True), ("twelve hours", False)])
def test_cc403(refresh, bad):
    assert bool(findings(schedule("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", refresh), "CC403")) == bad


# --- CC501, CC502 -----------------------------------------------------------------------------

@pytest.mark.parametrize("override,bad", [
    (None, True), ({"instanceLimitsHandling": "OPT_OUT"}, True),
    ({"instanceLimitsHandling": "OPT_IN"}, False),
    ({"allChannelSubtypes": {"communicationLimitsList": []}}, True),
    ({"allChannelSubtypes": {"communicationLimitsList": [
        {"maxCountPerRecipient": 1, "frequency": 1, "unit": "DAY"}]}}, False),
])
def test_cc501(override, bad):
    data = {"name": "x"} if override is None else {"communicationLimitsOverride": override}
    found = findings(data, "CC501")
    assert bool(found) == bad
    if bad and override and "instanceLimitsHandling" in override:
        assert "recipients may be contacted without limit" in found[0].message
    elif bad:
        assert "documents no default" in found[0].message


def test_cc502_reports_the_dead_limit():
    limits = [{"maxCountPerRecipient": 5, "frequency": 7, "unit": "DAY"},
              {"maxCountPerRecipient": 2, "frequency": 7, "unit": "DAY"}]
    data = {"communicationLimitsOverride": {"allChannelSubtypes": {"communicationLimitsList": limits}}}
    [finding] = findings(data, "CC502")
    assert finding.pointer.endswith("/communicationLimitsList/0")
    assert "limit #2 (2 per 7 DAYS) already allows at most 2 in any 7 DAYS" in finding.message


# --- oracles ---------------------------------------------------------------------------------

def clock(minutes: int) -> str:
    return f"T{minutes // 60:02d}:{minutes % 60:02d}"


ranges_strategy = st.lists(
    st.tuples(st.integers(0, 24 * 60 - 1), st.integers(1, 24 * 60)).map(
        lambda pair: (clock(pair[0]), clock(pair[1]))),
    max_size=5)


@settings(max_examples=300, deadline=None)
@given(ranges_strategy)
def test_open_hours_rules_agree_with_minute_by_minute_expansion(ranges):
    data = window(MONDAY=ranges)
    spans = [(int(s[1:3]) * 60 + int(s[4:]), int(e[1:3]) * 60 + int(e[4:])) for s, e in ranges]
    empty = [i for i, (s, e) in enumerate(spans) if s >= e]
    grid = [set(range(start, end)) for start, end in spans]
    pairs = {(i, j) for i in range(len(grid)) for j in range(len(grid)) if i != j and grid[i] & grid[j]}
    cc302 = sorted(int(f.pointer.rsplit("/", 1)[1]) for f in findings(data, "CC302"))
    assert cc302 == empty
    reported = {int(f.pointer.rsplit("/", 1)[1]) for f in findings(data, "CC301")}
    assert_overlaps_reported(pairs, reported)


def assert_overlaps_reported(pairs: set, reported: set) -> None:
    """Exactly the items that overlap an item listed before them are reported."""
    assert reported == {j for i, j in pairs if i < j}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 24 * 60 - 2), st.integers(1, 240)), min_size=33, max_size=70))
def test_long_lists_of_ranges_name_the_first_earlier_range_each_overlaps(spans):
    # past 32 items overlaps are found in n log n (thousands of items took minutes): the same
    # items, each against the first earlier one it overlaps, as a pair-by-pair comparison
    spans = [(start, min(start + length, 24 * 60)) for start, length in spans]
    ranges = [(clock(start), clock(end)) for start, end in spans]
    expected = {}
    for j, (start, end) in enumerate(spans):
        first = next((i for i in range(j) if start < spans[i][1] and spans[i][0] < end), None)
        if first is not None:
            expected[j] = f"{ranges[first][0]}-{ranges[first][1]};"
    found = {int(f.pointer.rsplit("/", 1)[1]): f.message.split(" overlaps ")[1].split()[0]
             for f in findings(window(MONDAY=ranges), "CC301")}
    assert found == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=5))
def test_restricted_period_overlap_agrees_with_a_day_grid(pairs):
    base = date(2027, 1, 1)
    spans = [(base + timedelta(days=s), base + timedelta(days=s + length)) for s, length in pairs]
    data = periods(*[(s.isoformat(), e.isoformat()) for s, e in spans])
    grid = [{start + timedelta(days=n) for n in range((end - start).days + 1)} for start, end in spans]
    pairs = {(i, j) for i in range(len(grid)) for j in range(len(grid)) if i != j and grid[i] & grid[j]}
    reported = {int(f.pointer.rsplit("/", 1)[1]) for f in findings(data, "CC307")}
    assert_overlaps_reported(pairs, reported)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(sorted(__import__("pytz").common_timezones)),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)))
def test_dst_gaps_agree_with_a_day_by_day_scan(zone_name, start):
    import pytz
    from datetime import datetime
    from campaign_lint.rules.time_zone import skipped_times

    zone = pytz.timezone(zone_name)
    expected = []
    if isinstance(zone, pytz.tzinfo.DstTzInfo):
        day = datetime(start.year, start.month, start.day)
        for _ in range(int(6 * 30.5) + 1):
            expected += _gaps_on(zone, day)
            day += timedelta(days=1)
    assert skipped_times(zone_name, start, 6) == expected


def _gaps_on(zone, midnight):
    """The quarter hours of one day that ``zone`` has no wall-clock time for, as runs
    (``localize`` refuses them): the brute-force answer skipped_times must give."""
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
