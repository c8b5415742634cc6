"""Rule fidelity (issue 9): time zones as people name them, severities that match the
evidence, the rules the service documents, and messages in words; plus the built-in rules'
crashes on extreme values (issue 8, item 7)."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.model import Campaign, Origin, Severity
from campaign_lint.registry import Registry
from campaign_lint.rules import _zones

from .conftest import EXAMPLES, TODAY, lint_text, run_cli, run_process

REGISTRY = Registry.load(plugins=False)


def run(data: dict, select: str = "ALL", today: str = TODAY, shape: str | None = None) -> list:
    engine = Engine(REGISTRY, Config(), Selection(select=[select]), today=date.fromisoformat(today))
    if shape is None:
        shape = "Campaign" if "id" in data or "arn" in data else "CreateCampaignRequest"
    return engine.run([Campaign(data, Origin(path="x.json"), shape)])


def findings(data: dict, rule: str, **kwargs) -> list:
    return [f for f in run(data, rule, **kwargs) if f.rule == rule]


def zone_campaign(zone: str, channel: str = "telephony") -> dict:
    return {"communicationTimeConfig": {
        "localTimeZoneConfig": {"defaultTimeZone": zone},
        channel: {"openHours": {"dailyHours": {"MONDAY": [{"startTime": "T09:00", "endTime": "T21:00"}]}}}}}


# --- CC310: the country table decides ----------------------------------------------------------

@pytest.mark.parametrize("zone", ["Europe/Oslo", "Europe/Stockholm", "Europe/Copenhagen",
                                  "Europe/Amsterdam", "Asia/Kuala_Lumpur", "Atlantic/Reykjavik",
                                  "Europe/Kyiv", "America/New_York", "Asia/Kolkata"])
def test_cc310_leaves_country_table_zones_alone(zone):
    assert findings(zone_campaign(zone), "CC310") == []


@pytest.mark.parametrize("zone,meant", [
    ("US/Eastern", "America/New_York"), ("US/Pacific", "America/Los_Angeles"),
    ("EST5EDT", "America/New_York"), ("Asia/Calcutta", "Asia/Kolkata"), ("Europe/Kiev", "Europe/Kyiv"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"), ("Iceland", "Atlantic/Reykjavik"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
])
def test_cc310_names_the_country_table_zone_of_the_same_place(zone, meant):
    [finding] = findings(zone_campaign(zone), "CC310")
    assert f'use "{meant}"' in finding.message


def test_every_legacy_name_gets_a_country_table_replacement():
    import pytz

    table = _zones.country_zones()
    for name in pytz.all_timezones:
        if _zones.is_legacy(name):
            replacement = _zones.replacement(name)
            assert replacement, name
            assert all(part in table for part in replacement.split(" or ")), (name, replacement)
        else:
            assert name in table or _zones.is_fixed_offset(name), name


def test_fixed_offsets_are_not_legacy_names():
    for zone in ("EST", "MST", "HST", "UTC", "GMT", "Etc/GMT-5", "Etc/UTC"):
        assert findings(zone_campaign(zone), "CC310") == [], zone


# --- CC313: fixed offsets for telephony and SMS ------------------------------------------------

@pytest.mark.parametrize("zone,words", [
    ("EST", ["UTC-05:00", "no daylight saving", '"America/New_York"']),
    ("MST", ['"America/Denver" or "America/Phoenix"']),
    ("HST", ['"Pacific/Honolulu"']),
    ("Etc/GMT-5", ["UTC+05:00", "inverted", "5 hours ahead of UTC"]),
    ("Etc/GMT+5", ["UTC-05:00", "5 hours behind UTC", '"America/New_York"']),
    ("UTC", ["UTC+00:00"]),
])
def test_cc313_explains_the_offset_and_names_the_zone_people_mean(zone, words):
    [finding] = findings(zone_campaign(zone, "sms"), "CC313")
    assert finding.severity == Severity.WARNING
    for word in words:
        assert word in finding.message
    assert "America/Panama" not in finding.message  # the old advice kept the bug


def test_cc313_only_for_telephony_and_sms_windows():
    assert findings(zone_campaign("EST", "email"), "CC313") == []
    assert findings(zone_campaign("America/New_York"), "CC313") == []


# --- CC309: what people write ------------------------------------------------------------------

@pytest.mark.parametrize("text,meant", [
    ("PST", "America/Los_Angeles"), ("IST", "Asia/Kolkata"), ("Asia/Mumbai", "Asia/Kolkata"),
    ("New York", "America/New_York"), ("America/NewYork", "America/New_York"),
    ("us/eastern", "America/New_York"), ("Europe/Olso", "Europe/Oslo"), ("Calcutta", "Asia/Kolkata"),
    ("India", "Asia/Kolkata"), ("Eastern Standard Time", "America/New_York"), ("london", "Europe/London"),
])
def test_cc309_suggests_what_people_mean(text, meant):
    found = [f for f in run(zone_campaign(text)) if f.pointer.endswith("/defaultTimeZone")]
    assert [f.rule for f in found] == ["CC309"], found  # one finding, even with a space in it
    assert f'did you mean "{meant}"?' in found[0].message


def test_cc310_for_cet_offers_the_places_people_mean():
    [finding] = findings(zone_campaign("CET"), "CC310")
    assert '"Europe/Paris" or "Europe/Berlin"' in finding.message


@pytest.mark.parametrize("text,meant", [("GMT+5", "Asia/Karachi"), ("UTC+5:30", "Asia/Kolkata"),
                                       ("UTC-05:00", "America/New_York")])
def test_cc309_explains_offsets_written_as_zones(text, meant):
    [finding] = findings(zone_campaign(text), "CC309")
    assert "an offset is not a zone" in finding.message and meant in finding.message


@settings(max_examples=120, deadline=None)
@given(st.one_of(st.text(max_size=25), st.sampled_from(sorted(_zones.COMMON_NAMES)),
                 st.builds(lambda z, n: z[:n] + z[n + 1:], st.sampled_from(sorted(_zones.country_zones())),
                           st.integers(0, 12))))
def test_cc309_never_suggests_a_name_cc310_or_cc313_would_flag(text):
    meant = _zones.suggestion(text)
    for name in (meant or "").split(" or ") if meant else []:
        assert name in _zones.country_zones(), (text, meant)
        assert not _zones.is_legacy(name) and not _zones.is_fixed_offset(name)


def test_suggested_and_replacement_zones_are_country_table_zones():
    texts = [*_zones.COMMON_NAMES.values(), *_zones.SAME_PLACE.values(), *_zones.MEANT_BY_FIXED.values(),
             *_zones.BY_OFFSET.values(), *_zones.BY_HALF_OFFSET.values(), *_zones.POSIX_ZONES.values(),
             *_zones.EUROPEAN_RULE_ZONES.values()]
    for text in texts:
        for name in text.split(" or "):
            assert name in _zones.country_zones(), name


# --- CC311, CC314 ------------------------------------------------------------------------------

def test_cc314_both_zone_settings_is_info_and_cc311_is_quiet():
    data = {"communicationTimeConfig": {"localTimeZoneConfig": {
        "defaultTimeZone": "America/Chicago", "localTimeZoneDetection": ["AREA_CODE"]}}}
    [finding] = findings(data, "CC314")
    assert finding.severity == Severity.INFO and "no fallback order" in finding.message
    assert findings(data, "CC311") == []
    for config in ({"defaultTimeZone": "America/Chicago"}, {"localTimeZoneDetection": ["ZIP_CODE"]}):
        assert findings({"communicationTimeConfig": {"localTimeZoneConfig": config}}, "CC314") == []


def test_cc311_doc_no_longer_recommends_both():
    from campaign_lint.docs import parse_doc

    for example in parse_doc(REGISTRY["CC311"]).passes:
        assert not ("defaultTimeZone" in example and "localTimeZoneDetection" in example), example


# --- CC312 -------------------------------------------------------------------------------------

def window(zone: str, day: str, start: str, end: str, channel: str = "sms") -> dict:
    return {"communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": zone}, channel: {
        "openHours": {"dailyHours": {day: [{"startTime": start, "endTime": end}]}}}}}


@pytest.mark.parametrize("zone", ["America/Santiago", "America/Asuncion", "America/Havana",
                                  "America/New_York", "Europe/London"])
@pytest.mark.parametrize("day", ["SATURDAY", "SUNDAY"])
def test_cc312_never_reports_the_day_bounds(zone, day):
    assert findings(window(zone, day, "T00:00", "T24:00"), "CC312") == []


def test_cc312_still_reports_a_start_inside_the_gap_as_info():
    [finding] = findings(window("America/New_York", "SUNDAY", "T02:30", "T06:00"), "CC312")
    assert finding.severity == Severity.INFO


# --- CC501 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("override,severity", [
    (None, Severity.INFO), ({"allChannelSubtypes": {"communicationLimitsList": []}}, Severity.INFO),
    ({"instanceLimitsHandling": "OPT_OUT"}, Severity.WARNING), ({"instanceLimitsHandling": "OPT_IN"}, None),
])
def test_cc501_severity_follows_the_evidence(override, severity):
    data = {"name": "x"} if override is None else {"communicationLimitsOverride": override}
    found = findings(data, "CC501")
    assert [f.severity for f in found] == ([severity] if severity else [])
    if severity == Severity.INFO:
        assert "documents no default" in found[0].message


def test_cc501_severity_setting_still_wins(tmp_path):
    (tmp_path / ".campaign-lint.toml").write_text('[severity]\nCC501 = "error"\n')
    (tmp_path / "c.yaml").write_text("name: a\nconnectInstanceId: i-1\n")
    result = run_cli("check", "--format", "json", "--select", "CC501", "c.yaml", cwd=tmp_path)
    assert [f["severity"] for f in result.json()["findings"]] == ["error"]


# --- CC502: every dominated limit --------------------------------------------------------------

def limits(*items) -> dict:
    return {"communicationLimitsOverride": {"allChannelSubtypes": {"communicationLimitsList": [
        {"maxCountPerRecipient": c, "frequency": f, "unit": "DAY"} for c, f in items]}}}


@pytest.mark.parametrize("items,dead", [
    ([(3, 7), (5, 1)], [1]), ([(5, 1), (3, 7)], [0]), ([(1, 1), (3, 7)], []),
    ([(2, 7), (2, 7)], [1]), ([(5, 7), (2, 7)], [0]), ([(1, 1), (7, 7)], [1]), ([(1, 1), (8, 7)], [1]),
])
def test_cc502_finds_every_dominated_limit(items, dead):
    found = findings(limits(*items), "CC502")
    assert [int(f.pointer.rsplit("/", 1)[1]) for f in found] == dead


def _most_contacts(count: int, frequency: int, span: int, slots: int = 1) -> int:
    """Brute force: the most contacts any ``span`` days can hold under count-per-frequency, the
    limit holding on any ``frequency`` consecutive days, each day cut into ``slots`` parts
    (1: calendar days; more: windows may start within a day, as rolling 24 hours do)."""
    import itertools

    best, span, frequency = 0, span * slots, frequency * slots
    for days in itertools.product(range(count + 1), repeat=span):
        windows = [sum(days[i:i + frequency]) for i in range(max(1, span - frequency + 1))]
        if max(windows) <= count:
            best = max(best, sum(days))
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 6), st.integers(1, 4))
def test_cc502_agrees_with_brute_force(count_a, frequency_a, count_b, frequency_b):
    found = findings(limits((count_a, frequency_a), (count_b, frequency_b)), "CC502")
    dead = {int(f.pointer.rsplit("/", 1)[1]) for f in found}
    b_dead = _most_contacts(count_a, frequency_a, frequency_b) <= count_b
    a_dead = _most_contacts(count_b, frequency_b, frequency_a) <= count_a
    identical = (count_a, frequency_a) == (count_b, frequency_b)
    assert (1 in dead) == b_dead
    assert (0 in dead) == (a_dead and not identical)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(2, 3))
def test_cc502_verdict_is_the_same_for_rolling_spans(count_a, frequency_a, count_b, frequency_b, slots):
    # CC502 reads a DAY as a calendar day; with windows that may start within a day (half or
    # third days, nearer rolling 24 hours) a limit is dead exactly when it is for calendar days
    dead = {int(f.pointer.rsplit("/", 1)[1])
            for f in findings(limits((count_a, frequency_a), (count_b, frequency_b)), "CC502")}
    b_dead = _most_contacts(count_a, frequency_a, frequency_b, slots) <= count_b
    assert (1 in dead) == b_dead


# --- CC601, CC603, CC201 -----------------------------------------------------------------------

def test_cc601_and_cc603_are_info():
    assert REGISTRY["CC601"].severity == Severity.INFO and REGISTRY["CC603"].severity == Severity.INFO
    assert "documents no arithmetic" in next(iter(_fleet_messages()))


def _fleet_messages():
    campaigns = [Campaign({"name": n, "connectInstanceId": "i-1",
                           "channelSubtypeConfig": {"telephony": {"capacity": 0.7}}}, Origin(path=n))
                 for n in ("a", "b")]
    engine = Engine(REGISTRY, Config(), Selection(select=["CC601"]))
    return [f.message for f in engine.run(campaigns) if f.rule == "CC601"]


def test_cc201_is_silent_when_cc102_reports_the_missing_config():
    data = {"channelSubtypeConfig": {"telephony": {"outboundMode": {"agentless": {}}}}}
    assert findings(data, "CC201") == []
    assert any("defaultOutboundConfig" in f.message for f in findings(data, "CC102"))


# --- the rules the service documents ------------------------------------------------------------

OWNER = "arn:aws:connect:us-east-1:123456789012:instance/i-1"


@pytest.mark.parametrize("tags,bad", [
    (None, True), ({"team": "x"}, True), ({"owner": OWNER}, False),
    ({"owner": "arn:aws:connect:us-east-1:123456789012:instance/i-2"}, True), ({"owner": "me"}, True),
])
def test_cc209_owner_tag(tags, bad):
    data = {"name": "a", "connectInstanceId": "i-1"}
    if tags is not None:
        data["tags"] = tags
    assert bool(findings(data, "CC209")) == bad


@pytest.mark.parametrize("data,bad", [
    ({"type": "MANAGED"}, True), ({}, True), ({"type": "JOURNEY"}, False),
    ({"type": "MANAGED", "connectCampaignFlowArn": OWNER + "/contact-flow/f:1"}, False),
])
def test_cc210_campaign_flow(data, bad):
    assert bool(findings(dict(data, name="a"), "CC210")) == bad


def telephony(mode: dict, queue: str | None = "q-1", **outbound) -> dict:
    config = {"outboundMode": mode, "defaultOutboundConfig": {"connectContactFlowId": "f", **outbound}}
    if queue:
        config["connectQueueId"] = queue
    return {"channelSubtypeConfig": {"telephony": config}}


PREVIEW = {"preview": {"bandwidthAllocation": 1, "timeoutConfig": {"durationInSeconds": 30}}}


def test_cc211_ring_timeout_in_preview():
    assert findings(telephony(PREVIEW, ringTimeout=30), "CC211")[0].severity == Severity.ERROR
    assert findings(telephony(PREVIEW), "CC211") == []
    assert findings(telephony({"progressive": {"bandwidthAllocation": 1}}, ringTimeout=30), "CC211") == []


@pytest.mark.parametrize("mode,queue,bad", [
    ({"progressive": {"bandwidthAllocation": 1}}, None, True), (PREVIEW, None, True),
    ({"predictive": {"bandwidthAllocation": 1}}, "q-1", False), ({"agentless": {}}, None, False),
])
def test_cc212_agent_mode_without_queue(mode, queue, bad):
    assert len(findings(telephony(mode, queue), "CC212")) == (1 if bad else 0)


@pytest.mark.parametrize("rate,bad", [(0.05, True), (0.031, True), (0.03, False), (0.01, False)])
def test_cc213_abandonment_target(rate, bad):
    mode = {"predictive": {"bandwidthAllocation": 1, "pacingStrategies": [{"abandonmentRate": {
        "targetRate": rate, "connectionStartPoint": "GREETING_END", "connectionThresholdSeconds": 2,
        "evaluationWindow": "PT24H"}}]}}
    assert bool(findings(telephony(mode), "CC213")) == bad


def test_cc215_event_trigger_with_time_window():
    source = {"eventTrigger": {"customerProfilesDomainArn": "arn:aws:profile:us-east-1:123456789012:domains/d"}}
    assert findings({"source": source, "communicationTimeConfig": {"localTimeZoneConfig": {}}}, "CC215")
    assert findings({"source": source}, "CC215") == []


def test_cc404_only_for_create_requests():
    data = {"name": "a", "connectInstanceId": "i-1",
            "schedule": {"startTime": "2026-01-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"}}
    [finding] = findings(data, "CC404")
    assert "Campaign start time has already passed" in finding.message
    assert findings(dict(data, id="c-1"), "CC404") == []  # describe output
    later = dict(data, schedule={"startTime": "2026-12-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"})
    assert findings(later, "CC404") == []
    template = Campaign(data, Origin(path="t.yaml", document_pointer="/Resources/Renewals/Properties"),
                        "CreateCampaignRequest")
    engine = Engine(REGISTRY, Config(), Selection(select=["CC404"]), today=date.fromisoformat(TODAY))
    assert engine.run([template]) == []  # a template is redeployed long after its start


def test_examples_clean_set_one_zone_setting_and_stay_clean():
    run_ = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(EXAMPLES / "clean"))
    assert run_.code == 0 and run_.json()["findings"] == []


# --- messages in words (model-driven details) ----------------------------------------------------

def messages(tmp_path, text: str, name: str = "c.yaml") -> list[tuple[str, str]]:
    result = lint_text(tmp_path, text, name)
    return [(f["rule"], f["message"]) for f in result.json()["findings"]]


@pytest.mark.parametrize("member,value,words", [
    ("refreshFrequency", "12 hours", "a duration in days, hours, minutes or seconds such as P1D, PT12H or PT30M"),
    ("startTime", "9am", "clock time THH:MM, e.g. T09:00"),
    ("segment", "arn:aws:profile:useast:1:x",
     "arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/segment-definitions/NAME"),
    ("instance", "i 1", "instance id of letters, digits"),
    ("tag", "bad key", "a valid tag key (letters, digits"),
])
def test_no_message_shows_a_regular_expression(tmp_path, member, value, words):
    text = {
        "refreshFrequency": f"schedule: {{startTime: '2099-01-01T00:00:00Z', endTime: '2099-02-01T00:00:00Z', "
                            f"refreshFrequency: '{value}'}}\n",
        "startTime": "communicationTimeConfig:\n  localTimeZoneConfig: {defaultTimeZone: America/Chicago}\n"
                     f"  telephony: {{openHours: {{dailyHours: {{MONDAY: [{{startTime: '{value}', endTime: T10:00}}]}}}}}}\n",
        "segment": f"source: {{customerProfilesSegmentArn: '{value}'}}\n",
        "instance": "",
        "tag": f"tags: {{'{value}': x}}\n",
    }[member]
    instance = value if member == "instance" else "i-1"
    found = messages(tmp_path, f"name: a\nconnectInstanceId: '{instance}'\n{text}")
    formats = [m for rule, m in found if rule == "CC107"]
    assert len(formats) == 1 and words in formats[0], found
    assert not any(ch in formats[0] for ch in ("\\d", "[a-z", "(?", "]+", "*")), formats[0]


def test_aws_tags_are_system_tags_in_described_campaigns_and_reserved_in_requests(tmp_path):
    tags = "tags: {'aws:cloudformation:stack-name': renewals-stack}\n"
    described = messages(tmp_path, f"id: c-1\narn: arn:aws:connect-campaigns:us-east-1:123456789012:"
                                   f"campaign/c-1\nname: a\nconnectInstanceId: i-1\n{tags}")
    assert not [m for rule, m in described if rule == "CC107"]
    request = messages(tmp_path, f"name: a\nconnectInstanceId: i-1\n{tags}")
    [message] = [m for rule, m in request if rule == "CC107"]
    assert "reserves" in message and "aws:" in message


def test_an_empty_string_is_one_finding(tmp_path):
    found = [(rule, m) for rule, m in messages(tmp_path, "name: a\nconnectInstanceId: ''\n")
             if rule.startswith("CC1")]
    assert [rule for rule, _ in found] == ["CC106"]
    assert "connectInstanceId is empty" in found[0][1]


def test_a_yaml_boolean_where_a_string_belongs_says_quote_it(tmp_path):
    found = messages(tmp_path, "name: a\nconnectInstanceId: i-1\ntags: {country: NO}\n")
    [message] = [m for rule, m in found if rule == "CC103"]
    assert "quote it" in message


# --- update-campaign-* requests ---------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ('{"id": "c-1", "name": "renewals-2027"}', []),
    ('{"id": "c-1", "name": ""}', ["CC106"]),
    ('{"id": "c-1", "communicationLimitsOverride": {"instanceLimitsHandling": "OPT_OUT"}}', ["CC501"]),
    ('{"id": "c-1", "communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": "US/Eastern"}}}',
     ["CC310"]),
    ('{"id": "c-1", "channelSubtypeConfig": {"telephony": {"outboundMode": {"agentless": {}}, '
     '"defaultOutboundConfig": {"connectContactFlowId": "f", "connectSourcePhoneNumber": "+12125550123", '
     '"bogus": 1}}}}', ["CC101"]),
    ('{"id": "c-1", "connectCampaignFlowArn": "arn:aws:connect:us-east-1:123456789012:instance/i/contact-flow/f"}', []),
    ('{"id": "c-1", "source": {"customerProfilesSegmentArn": '
     '"arn:aws:profile:us-east-1:123456789012:domains/d/segment-definitions/s"}}', []),
    ('{"id": "c-1", "schedule": {"startTime": "2020-01-01T00:00:00Z", "endTime": "2020-02-01T00:00:00Z"}}',
     ["CC402"]),
])
def test_update_requests_are_checked_as_their_own_shape(tmp_path, text, expected):
    result = lint_text(tmp_path, text, "update.json")
    assert result.rules() == expected, result.out


def test_update_request_shapes_come_from_the_model():
    from campaign_lint.schema import update_request_shape

    assert update_request_shape({"id": "c", "name": "n"}) == "UpdateCampaignNameRequest"
    assert update_request_shape({"id": "c", "name": "n", "connectInstanceId": "i"}) is None


# --- versions ----------------------------------------------------------------------------------

def test_version_names_botocore_and_the_model():
    from importlib.metadata import version

    proc = run_process("--version")
    assert proc.returncode == 0
    assert f"botocore {version('botocore')}" in proc.stdout and "API 2024-04-23" in proc.stdout


def test_json_and_sarif_carry_the_model_versions(tmp_path):
    from importlib.metadata import version

    (tmp_path / "c.yaml").write_text("name: a\nconnectInstanceId: i-1\n")
    tool = run_cli("check", "--isolated", "--format", "json", str(tmp_path / "c.yaml")).json()["tool"]
    assert tool["botocore"] == version("botocore") and tool["apiVersion"] == "2024-04-23"
    sarif = json.loads(run_cli("check", "--isolated", "--format", "sarif", str(tmp_path / "c.yaml")).out)
    assert sarif["runs"][0]["tool"]["driver"]["properties"]["botocore"] == version("botocore")


# --- issue 8 item 7: no built-in rule crashes on extreme values --------------------------------------

@pytest.mark.parametrize("text", [
    "communicationLimitsOverride: {allChannelSubtypes: {communicationLimitsList: "
    "[{maxCountPerRecipient: 1, frequency: 1, unit: {}}, {maxCountPerRecipient: 2, frequency: 1, unit: {}}]}}\n",
    "communicationLimitsOverride: {allChannelSubtypes: {communicationLimitsList: "
    "[{maxCountPerRecipient: 1, frequency: .nan, unit: DAY}, {maxCountPerRecipient: 2, frequency: .inf, unit: DAY}]}}\n",
    "schedule: {startTime: '9999-12-31T23:00:00-05:00', endTime: '0001-01-01T00:00:00+01:00'}\n",
    "schedule: {startTime: '0001-01-01T00:00:00+01:00', endTime: '9999-12-31T23:59:59-01:00'}\n",
    "communicationTimeConfig:\n  localTimeZoneConfig: {defaultTimeZone: America/New_York}\n"
    "  telephony:\n    openHours: {dailyHours: {SUNDAY: [{startTime: T02:30, endTime: T05:00}]}}\n"
    "    restrictedPeriods: {restrictedPeriodList: [{name: a, startDate: '9999-12-30', endDate: '9999-12-31'},"
    " {name: b, startDate: '9999-12-31', endDate: '9999-12-31'}, {name: c, startDate: '0001-01-01', endDate: '0001-01-01'}]}\n",
])
@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", TODAY])
def test_no_rule_crashes_on_extreme_values(tmp_path, text, today):
    path = tmp_path / "c.yaml"
    path.write_text("name: a\nconnectInstanceId: i-1\n" + text)
    result = run_cli("check", "--isolated", "--today", today, "--format", "json", str(path))
    assert "CC010" not in result.rules(), result.out


def test_frequency_1e999_in_json_does_not_crash(tmp_path):
    text = ('{"name": "a", "connectInstanceId": "i-1", "communicationLimitsOverride": {"allChannelSubtypes":'
            ' {"communicationLimitsList": [{"maxCountPerRecipient": 1, "frequency": 1e999, "unit": "DAY"}]}}}')
    result = lint_text(tmp_path, text, "c.json")
    assert "CC010" not in result.rules() and "CC105" in result.rules()


def test_overlapping_periods_at_the_end_of_the_calendar_are_found():
    data = {"communicationTimeConfig": {"telephony": {"openHours": {"dailyHours": {}}, "restrictedPeriods": {
        "restrictedPeriodList": [{"startDate": "9999-12-30", "endDate": "9999-12-31"},
                                 {"startDate": "9999-12-31", "endDate": "9999-12-31"}]}}}}
    assert len(findings(data, "CC307")) == 1


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("member", ["capacity", "bandwidth", "ringTimeout"])
def test_nan_and_infinities_are_out_of_range_everywhere(value, member):
    config = {"capacity": 0.5, "connectQueueId": "q", "outboundMode": {"progressive": {"bandwidthAllocation": 1}},
              "defaultOutboundConfig": {"connectContactFlowId": "f"}}
    if member == "capacity":
        config["capacity"] = value
    elif member == "bandwidth":
        config["outboundMode"]["progressive"]["bandwidthAllocation"] = value
    else:
        config["defaultOutboundConfig"]["ringTimeout"] = value
    found = [f for f in run({"name": "a", "connectInstanceId": "i-1",
                             "channelSubtypeConfig": {"telephony": config}}) if f.rule.startswith("CC1")]
    assert [f.rule for f in found] == ["CC105"], found


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
                    st.just({}), st.none(), st.text(max_size=4))
DATES = st.one_of(st.dates().map(date.isoformat), st.text(max_size=12),
                  st.datetimes().map(lambda d: d.isoformat() + "Z"),
                  st.sampled_from(["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"]))


@settings(max_examples=80, deadline=None)
@given(count=NUMBERS, frequency=NUMBERS, unit=st.one_of(st.just("DAY"), NUMBERS), rate=NUMBERS,
       start=DATES, end=DATES, first=DATES, last=DATES,
       today=st.sampled_from(["0001-01-01", "9999-12-31", TODAY]))
def test_no_built_in_rule_crashes_on_odd_numbers_and_dates(count, frequency, unit, rate, start, end,
                                                           first, last, today):
    data = {
        "name": "a", "connectInstanceId": "i-1", "schedule": {"startTime": start, "endTime": end},
        "communicationLimitsOverride": {"allChannelSubtypes": {"communicationLimitsList": [
            {"maxCountPerRecipient": count, "frequency": frequency, "unit": unit},
            {"maxCountPerRecipient": frequency, "frequency": count, "unit": "DAY"}]}},
        "channelSubtypeConfig": {"telephony": {"capacity": rate, "outboundMode": {"predictive": {
            "bandwidthAllocation": rate, "pacingStrategies": [{"abandonmentRate": {"targetRate": rate}}]}}}},
        "communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": "America/Santiago"}, "sms": {
            "openHours": {"dailyHours": {"SUNDAY": [{"startTime": "T00:30", "endTime": "T24:00"}]}},
            "restrictedPeriods": {"restrictedPeriodList": [{"startDate": first, "endDate": last},
                                                           {"startDate": last, "endDate": first}]}}},
    }
    crashed = [f.message for f in run(data, today=today) if f.rule == "CC010"]
    assert crashed == []


# --- CC501 in an audit: the instance's own limits decide -----------------------------------------

from .fake_service import make_campaign  # noqa: E402
from .test_audit import TEMPLATE, audit, aws_env, service  # noqa: E402,F401


@pytest.mark.parametrize("instance_limits,severity", [
    ([], "warning"), ([{"maxCountPerRecipient": 3, "frequency": 7, "unit": "DAY"}], "info")])
def test_cc501_absent_handling_in_an_audit(service, instance_limits, severity):  # noqa: F811
    item = make_campaign(1, template=TEMPLATE)
    item["communicationLimitsOverride"] = {}
    service({"us-east-1": [item]}, instance_limits={"instance-1": instance_limits})
    [finding] = [f for f in audit("--region", "us-east-1").json()["findings"] if f["rule"] == "CC501"]
    assert finding["severity"] == severity
