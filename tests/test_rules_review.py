"""Regression tests from an adversarial review of issue 9 (rule fidelity): each test is built
from the reproducer of one defect found after the issue's work landed."""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES, lint_text

FULL = {"arn": "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c1", "name": "A",
        "connectInstanceId": "i-1"}
SCHEDULE = {"startTime": "2026-01-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"}


# --- update-campaign-* requests: only a file's own top-level object is one -----------------------

def test_a_campaign_in_a_list_missing_members_is_not_an_update_request(tmp_path):
    # The second item has only id and schedule, exactly the members of an
    # UpdateCampaignScheduleRequest; in a list of campaigns it is a campaign missing arn,
    # name and connectInstanceId, and must not escape the missing-field checks.
    campaigns = [{"id": "c1", **FULL, "schedule": SCHEDULE}, {"id": "c2", "schedule": SCHEDULE}]
    result = lint_text(tmp_path, json.dumps(campaigns), "campaigns.json")
    missing = sorted(f["message"].rsplit(" ", 1)[-1] for f in result.json()["findings"]
                     if f["rule"] == "CC102" and f["campaign"]["id"] == "c2")
    assert missing == ['"arn"', '"connectInstanceId"', '"name"'], result.out


def test_a_request_file_is_still_an_update_request(tmp_path):
    result = lint_text(tmp_path, json.dumps({"id": "c2", "schedule": SCHEDULE}), "update.json")
    assert result.rules() == [], result.out


# --- CC309: a typo in a zone name is the same place, never a neighbour's --------------------------

def zone_campaign(zone: str) -> str:
    return json.dumps({"name": "a", "connectInstanceId": "i-1", "communicationTimeConfig": {
        "localTimeZoneConfig": {"defaultTimeZone": zone},
        "telephony": {"openHours": {"dailyHours": {"MONDAY": [{"startTime": "T09:00", "endTime": "T20:00"}]}}}}})


@pytest.mark.parametrize("text,meant", [
    ("US/Easten", "America/New_York"),       # was America/Toronto (Canada/Eastern's city)
    ("US/Pacifi", "America/Los_Angeles"),    # was America/Vancouver
    ("Australia/Canbera", "Australia/Sydney"),  # was Australia/Perth, across the continent
    ("Asia/Calcuta", "Asia/Kolkata"),        # was Asia/Qatar
    ("Asia/Sigon", "Asia/Ho_Chi_Minh"),      # was Asia/Yangon
    ("America/Montreal2", "America/Toronto"),  # was America/Monterrey (Mexico)
    ("Brazil/Eat", "America/Sao_Paulo"),     # was Africa/Nairobi
    ("Australia/CT", "Australia/Sydney"),    # was America/Chicago
    ("Easten", "America/New_York"),          # was America/Toronto
    ("est", "America/New_York"),             # was no suggestion (EST is a fixed offset)
    ("Norway", "Europe/Oslo"), ("Germany", "Europe/Berlin"),  # countries with one clock
])
def test_cc309_suggests_the_same_place(tmp_path, text, meant):
    result = lint_text(tmp_path, zone_campaign(text), "c.json", "--select", "CC309")
    [finding] = result.json()["findings"]
    assert finding["message"].endswith(f'did you mean "{meant}"?'), finding["message"]


def test_cc309_names_no_zone_for_a_country_with_several_clocks(tmp_path):
    result = lint_text(tmp_path, zone_campaign("Chile"), "c.json", "--select", "CC309")
    assert "did you mean" not in result.json()["findings"][0]["message"]


def test_a_typo_in_any_legacy_name_suggests_its_own_place():
    import pytz

    from campaign_lint.rules import _zones

    for name in pytz.all_timezones:
        city = name.rsplit("/", 1)[-1]
        if "/" not in name or not _zones.is_legacy(name) or len(city) < 5:
            continue
        cut = len(name) - len(city) // 2  # drop a letter in the middle of the city
        typo = name[:cut] + name[cut + 1:]
        if not _zones.exists(typo):
            assert _zones.suggestion(typo) == _zones.replacement(name), typo


# --- CC313: the offset explained in plain words, and no place guessed for UTC ---------------------

def cc313(tmp_path, zone: str) -> str:
    result = lint_text(tmp_path, zone_campaign(zone), "c.json", "--select", "CC313")
    [finding] = result.json()["findings"]
    return finding["message"]


@pytest.mark.parametrize("zone,said,unsaid", [
    ("Etc/GMT+1", "Etc/GMT+1 is 1 hour behind UTC", "1 hours"),
    ("Etc/GMT-1", "Etc/GMT-1 is 1 hour ahead of UTC", "1 hours"),
    ("Etc/GMT-0", "a fixed UTC+00:00 offset", "0 hours behind"),  # no sign to explain
    ("Etc/GMT+0", "a fixed UTC+00:00 offset", "inverted"),
    ("UTC", "zone of your recipients", "Europe/London"),
    ("Etc/UTC", "zone of your recipients", "Europe/London"),
    ("Zulu", "zone of your recipients", "e.g."),
])
def test_cc313_words(tmp_path, zone, said, unsaid):
    message = cc313(tmp_path, zone)
    assert said in message and unsaid not in message, message
    assert zone.startswith("Etc/GMT") or message.endswith(said)


def test_cc313_still_names_london_for_gmt(tmp_path):
    assert cc313(tmp_path, "GMT").endswith('e.g. "Europe/London"')


# --- crash-freedom: integers too large for a float ------------------------------------------------

@pytest.mark.parametrize("count,frequency", [("1" + "0" * 400, "1"), ("1", "1" + "0" * 400),
                                             ("1" + "0" * 400, "1" + "0" * 400)])
def test_cc502_takes_integers_too_large_for_a_float(tmp_path, count, frequency):
    text = ('{"name": "a", "connectInstanceId": "i-1", "communicationLimitsOverride": {"allChannelSubtypes": '
            '{"communicationLimitsList": [{"maxCountPerRecipient": %s, "frequency": %s, "unit": "DAY"}, '
            '{"maxCountPerRecipient": 1, "frequency": 1, "unit": "DAY"}]}}}' % (count, frequency))
    result = lint_text(tmp_path, text, "c.json")
    assert "CC010" not in result.rules(), result.out
    # 1 per day makes a count of 10**400 per any span dead; frequency 10**400 is out of range
    assert ("CC502" in result.rules()) == (frequency == "1"), result.out


# --- one defect, one finding ----------------------------------------------------------------------

DESCRIBED = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())


@pytest.mark.parametrize("member,value,rule", [
    ("connectCampaignFlowArn", "", "CC106"),         # was CC106 and CC210 ('no connectCampaignFlowArn')
    ("connectCampaignFlowArn", "flow-1", "CC107"),
    ("connectInstanceId", " ", "CC107"),             # was CC107 and CC209 ('runs on  ')
    ("connectInstanceId", "T25:00", "CC107"),
    ("connectInstanceId", "", "CC106"),
])
def test_a_malformed_member_is_one_finding(tmp_path, member, value, rule):
    data = json.loads(json.dumps(DESCRIBED))
    data["campaign"][member] = value
    result = lint_text(tmp_path, json.dumps(data), "c.json")
    assert result.rules() == [rule], result.out


# --- rule docs and messages say what AWS documents ------------------------------------------------

def test_cc212_says_what_the_model_documents_without_a_queue(tmp_path):
    from .conftest import run_cli

    explained = run_cli("explain", "CC212").out
    assert "the queue defined in the contact flow is used" in explained
    text = json.dumps({"name": "a", "connectInstanceId": "i-1", "channelSubtypeConfig": {"telephony": {
        "outboundMode": {"progressive": {"bandwidthAllocation": 1}},
        "defaultOutboundConfig": {"connectContactFlowId": "f", "connectSourcePhoneNumber": "+12125550123"}}}})
    [message] = [f["message"] for f in lint_text(tmp_path, text, "c.json").json()["findings"]
                 if f["rule"] == "CC212"]
    assert "contact flow's queue is then used" in message and "set connectQueueId" in message


@pytest.mark.parametrize("text,rule,said,unsaid", [
    # the refusal is what was observed (a production bug log), not that the campaign "never runs"
    ("name: a\nconnectInstanceId: i-1\nschedule: {startTime: '2027-06-30T00:00:00Z', "
     "endTime: '2027-06-01T00:00:00Z'}\n", "CC401", "reported to refuse such a schedule", "never runs"),
    # what a bandwidth of 0 does is undocumented: the message does not say "never dials"
    ("name: a\nconnectInstanceId: i-1\nchannelSubtypeConfig:\n  telephony:\n    connectQueueId: q\n"
     "    outboundMode: {progressive: {bandwidthAllocation: 0}}\n", "CC203", "is undocumented", "never dials"),
    ("name: a\nconnectInstanceId: i-1\nchannelSubtypeConfig: {}\n", "CC205",
     "nothing says how to contact anyone", "can contact no one"),
    # whether the service takes another region's resource is not documented
    ("arn: arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c1\nname: a\nconnectInstanceId: i-1\n"
     "channelSubtypeConfig:\n  sms:\n    outboundMode: {agentless: {}}\n    defaultOutboundConfig:\n"
     "      connectSourcePhoneNumberArn: arn:aws:connect:eu-west-2:123456789012:phone-number/5e6f7a8b\n",
     "CC208", "AWS does not document using another region's resource", "can only use"),
])
def test_messages_do_not_state_undocumented_service_behaviour_as_fact(tmp_path, text, rule, said, unsaid):
    [message] = [f["message"] for f in lint_text(tmp_path, text).json()["findings"] if f["rule"] == rule]
    assert said in message and unsaid not in message


PREDICTIVE = """\
name: a
connectInstanceId: i-1
channelSubtypeConfig:
  telephony:
    connectQueueId: q-1
    outboundMode:
      predictive:
        bandwidthAllocation: 1
        pacingStrategies:
          - abandonmentRate: {targetRate: 0.03, connectionStartPoint: GREETING_END, connectionThresholdSeconds: 2, evaluationWindow: PT24H}
    defaultOutboundConfig: {connectContactFlowId: f}
"""


@pytest.mark.parametrize("config,said", [
    ("", None),
    ("[rule-options.CC213]\nmax-rate = 0.025\n", "above 0.025 (2.5%, your max-rate)"),  # was '(2%, the US TSR safe harbour)'
])
def test_cc213_names_the_limit_it_applies(tmp_path, config, said):
    from .conftest import TODAY, run_cli

    (tmp_path / "c.yaml").write_text(PREDICTIVE)
    (tmp_path / ".campaign-lint.toml").write_text(config)
    run = run_cli("check", "--format", "json", "--today", TODAY, "--select", "CC213", "c.yaml", cwd=tmp_path)
    messages = [f["message"] for f in run.json()["findings"]]
    assert messages == ([] if said is None else [f"abandonment targetRate 0.03 (3%) is {said}; lower it"])


def test_cc213_default_names_the_safe_harbour(tmp_path):
    text = PREDICTIVE.replace("targetRate: 0.03", "targetRate: 0.05")
    [message] = [f["message"] for f in lint_text(tmp_path, text).json()["findings"] if f["rule"] == "CC213"]
    assert message == ("abandonment targetRate 0.05 (5%) is above 0.03 (3%, the US TSR safe harbour); "
                       "lower it")


def test_the_yaml_boolean_hint_names_what_the_parser_reads_as_booleans(tmp_path):
    text = "name: a\nconnectInstanceId: i-1\ntags: {country: NO, answer: y, fast: on}\n"
    found = lint_text(tmp_path, text).json()["findings"]
    wrong = {f["pointer"]: f["message"] for f in found if f["rule"] == "CC103"}
    assert set(wrong) == {"/tags/country", "/tags/fast"}  # y stays the string "y"
    assert wrong["/tags/country"].endswith(
        "; in YAML, unquoted yes, no, on, off, true and false are booleans: quote it")


def test_cc311_says_an_empty_zone_is_empty_not_unset(tmp_path):
    text = json.dumps({"name": "a", "connectInstanceId": "i-1", "communicationTimeConfig": {
        "localTimeZoneConfig": {"defaultTimeZone": ""}}})
    [finding] = lint_text(tmp_path, text, "c.json", "--select", "CC311").json()["findings"]
    assert finding["message"].startswith("defaultTimeZone is empty and localTimeZoneDetection is not set")
    assert finding["pointer"] == "/communicationTimeConfig/localTimeZoneConfig/defaultTimeZone"


#: a citation of a law or regulation in a rule's doc
LEGAL_CITATION = r"\bCFR\b|U\.S\.C\.|\bStat\.|\bR\.S\.|\bTCPA\b|\bTSR\b|Regulation F"


def _checked_rules() -> list[str]:
    """Every built-in rule with a check function: the engine's own diagnostics (CC0xx,
    declared with no check in ``diagnostics``) report what the loader and runner saw, not
    what AWS documents."""
    from campaign_lint.registry import Registry

    return [rule.id for rule in Registry.load(plugins=False) if rule.check is not None]


@pytest.mark.parametrize("rule_id", _checked_rules())
def test_every_rule_doc_keeps_aws_apart_from_our_decisions(rule_id):
    import re

    from campaign_lint.registry import Registry

    doc = " ".join(Registry.load(plugins=False)[rule_id].check.__doc__.split())
    assert "What AWS documents" in doc and "this project decides" in doc.lower(), rule_id
    if re.search(LEGAL_CITATION, doc) or rule_id.startswith("CC7"):
        # a legal citation (and every policy-pack rule) says when the text was checked,
        # and that it is not advice
        assert re.search(r"20\d\d-\d\d", doc) and "not legal advice" in doc.lower(), rule_id


@pytest.mark.parametrize("rule_id", ["CC001", "CC004"])
def test_the_diagnostics_about_file_formats_keep_aws_apart_too(rule_id):
    # CC001 (unreadable input) and CC004 (duplicate key) judge what AWS tools read, so they say
    # what AWS and the formats' standards document, what has been observed, and what is decided
    from campaign_lint.registry import Registry

    doc = " ".join(Registry.load(plugins=False)[rule_id].doc.split())
    for section in ("What AWS documents", "What has been observed from the service", "What this project decides"):
        assert section in doc, (rule_id, section)
    assert "RFC 8259" in doc and "YAML 1.2" in doc


@pytest.mark.parametrize("text,meant", [("+05:30", "Asia/Kolkata"), ("-05:00", "America/New_York")])
def test_cc309_explains_a_bare_offset(tmp_path, text, meant):
    result = lint_text(tmp_path, zone_campaign(text), "c.json", "--select", "CC309")
    [finding] = result.json()["findings"]
    assert "an offset is not a zone" in finding["message"] and f'"{meant}"' in finding["message"]


@pytest.mark.parametrize("override,start", [
    ({"allChannelSubtypes": {"communicationLimitsList": []}},
     "communicationLimitsList is empty, and instanceLimitsHandling is not set"),
    ({"allChannelSubtypes": {"communicationLimitsList": []}, "instanceLimitsHandling": "OPT_OUT"},
     "instanceLimitsHandling is OPT_OUT and communicationLimitsList is empty:"),
    ({"instanceLimitsHandling": "OPT_OUT"},
     "instanceLimitsHandling is OPT_OUT and there is no communicationLimitsList:"),
    ({}, "no communicationLimitsList, and instanceLimitsHandling is not set"),
])
def test_cc501_says_an_empty_list_is_empty(tmp_path, override, start):
    text = json.dumps({"id": "c-1", "communicationLimitsOverride": override})
    [finding] = lint_text(tmp_path, text, "update.json").json()["findings"]
    assert finding["rule"] == "CC501" and finding["message"].startswith(start), finding["message"]


@pytest.mark.parametrize("windows_id,place", [
    ("China Standard Time", "Asia/Shanghai"), ("Korea Standard Time", "Asia/Seoul"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("E. Australia Standard Time", "Australia/Brisbane"), ("Pakistan Standard Time", "Asia/Karachi"),
    ("Turkey Standard Time", "Europe/Istanbul"), ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central Stndard Time", "America/Chicago"),  # not Central Standard Time (Mexico)
])
def test_a_windows_id_never_suggests_another_continent(windows_id, place):
    # a close match among the Windows ids the table knows named Asia/Kolkata for China,
    # Europe/Paris for Korea and Australia/Sydney for US Eastern
    from campaign_lint.rules import _zones

    assert _zones.suggestion(windows_id) in (None, place), windows_id


@pytest.mark.parametrize("windows_id,place", [
    ("China Standard Time", "Asia/Shanghai"), ("FLE Standard Time", "Europe/Kyiv"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"), ("Nepal Standard Time", "Asia/Kathmandu"),
])
def test_cc309_knows_more_windows_ids(tmp_path, windows_id, place):
    result = lint_text(tmp_path, zone_campaign(windows_id), "c.json", "--select", "CC309")
    assert result.json()["findings"][0]["message"].endswith(f'did you mean "{place}"?')


@pytest.mark.parametrize("value", ["", " []", " 5"])
def test_cc201_leaves_a_default_outbound_config_of_the_wrong_type_to_cc103(tmp_path, value):
    # 'defaultOutboundConfig:' with nothing after it is null in YAML: one finding, CC103
    text = ("name: a\nconnectInstanceId: i-1\nchannelSubtypeConfig:\n  telephony:\n"
            f"    outboundMode: {{agentless: {{}}}}\n    defaultOutboundConfig:{value}\n")
    rules = lint_text(tmp_path, text, "c.yaml", "--select", "CC1,CC201").rules()
    assert rules == ["CC103"], rules


@pytest.mark.parametrize("text", ["type: 5\n", "type: yes\n", "type: null\n"])
def test_an_enum_member_of_the_wrong_type_is_one_finding(tmp_path, text):
    rules = lint_text(tmp_path, "name: a\nconnectInstanceId: i-1\n" + text, "c.yaml", "--select", "CC1").rules()
    assert rules == ["CC103"], rules  # was CC103 and CC104 ('type 5 is not one of MANAGED, JOURNEY')


CLEAN_YAML = (EXAMPLES / "clean" / "appointment-reminders.yaml").read_text()


@pytest.mark.parametrize("member,value,silent", [
    (["channelSubtypeConfig"], None, "CC205"),                 # 'channelSubtypeConfig:' and nothing
    (["channelSubtypeConfig", "sms"], None, "CC205"),
    (["connectCampaignFlowArn"], None, "CC210"),
    (["communicationTimeConfig"], None, "CC206"),
    (["communicationTimeConfig", "sms"], [], "CC206"),
    (["communicationLimitsOverride"], None, "CC501"),
    (["communicationLimitsOverride", "allChannelSubtypes"], None, "CC501"),
    (["tags"], None, "CC209"),
    (["tags", "owner"], 5, "CC209"),
    (["communicationTimeConfig", "localTimeZoneConfig", "defaultTimeZone"], 5, "CC311"),
])
def test_a_value_of_the_wrong_type_is_cc103s_alone(tmp_path, member, value, silent):
    import yaml

    data = yaml.safe_load(CLEAN_YAML)
    parent = data
    for key in member[:-1]:
        parent = parent[key]
    parent[member[-1]] = value
    rules = lint_text(tmp_path, json.dumps(data), "c.json").rules()
    assert "CC103" in rules and silent not in rules, rules


def test_cc212_and_cc311_leave_wrong_types_to_cc103(tmp_path):
    data = json.loads(json.dumps(DESCRIBED))["campaign"]
    data["channelSubtypeConfig"]["telephony"]["connectQueueId"] = 5
    data["communicationTimeConfig"]["localTimeZoneConfig"]["localTimeZoneDetection"] = "AREA_CODE"
    rules = lint_text(tmp_path, json.dumps(data), "c.json").rules()
    assert rules == ["CC103", "CC103"], rules  # was also CC212 and CC311


# --- crash-freedom: any value at any member of a real campaign -----------------------------------

def _members(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _members(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _members(item, (*path, index))


ODD_VALUES = [None, True, 0, -1, 10 ** 400, -(10 ** 400), 1e308, 5e-324, float("nan"), float("inf"), "",
              " ", "T24:00", "T99:99", "9999-12-31", "10000-01-01", "9999-12-31T23:59:59-14:00",
              "0001-01-01T00:00:00+14:00", "P99999999999999999999D", "PT-1H", "EST", "Etc/GMT+5",
              "US/Easten", [], [None], {}, {"x": 1}, "a" * 3000]


def test_no_rule_crashes_on_an_odd_value_at_any_member():
    from datetime import date

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.model import Campaign, Origin
    from campaign_lint.registry import Registry

    registry = Registry.load(plugins=False)
    paths = list(_members(DESCRIBED["campaign"]))[1:]

    @settings(max_examples=60, deadline=None)
    @given(path=st.sampled_from(paths), value=st.sampled_from(ODD_VALUES),
           shape=st.sampled_from(["Campaign", "CreateCampaignRequest"]),
           today=st.sampled_from(["0001-01-01", "2026-11-28", "9999-12-31"]))
    def check(path, value, shape, today):
        data = json.loads(json.dumps(DESCRIBED["campaign"]))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
        engine = Engine(registry, Config(), Selection(select=["ALL"]), today=date.fromisoformat(today))
        twin = json.loads(json.dumps(DESCRIBED["campaign"]))  # the run-wide rules compare two
        found = engine.run([Campaign(data, Origin(path="a.json"), shape),
                            Campaign(twin, Origin(path="b.json"), shape)])
        assert [f.message for f in found if f.rule == "CC010"] == []

    check()


@pytest.mark.parametrize("name,text", [
    ("c.yaml", 'name: a\nconnectInstanceId: i-1\ncommunicationTimeConfig:\n  telephony:\n    openHours:\n'
               '      dailyHours:\n        MONDAY: [{startTime: "T\u0660\u0669:00", endTime: T17:00}]\n'),
    ("t.yaml", "Resources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n    Properties:\n"
               "      Name: c\n      ConnectInstanceId: i-1\n      CommunicationTimeConfig:\n"
               "        Telephony:\n          OpenHours:\n            DailyHours:\n              - Key: MONDAY\n"
               '                Value: [{StartTime: "T\u0660\u0669:00", EndTime: T17:00}]\n'),
])
def test_a_digit_that_is_not_0_to_9_is_refused_as_aws_reads_the_pattern(tmp_path, name, text):
    # the model's T\d{2}:\d{2} is an ECMA-262 (Smithy, JSON Schema) pattern: \d is 0-9 there,
    # while Python's re took Arabic-Indic digits as a valid time (reviewer's observation)
    found = [(f["rule"], f["message"]) for f in lint_text(tmp_path, text, name).json()["findings"]
             if f["rule"] in ("CC107", "CC301", "CC302", "CC303")]  # one defect, one finding
    assert [rule for rule, _ in found] == ["CC107"]
    assert "is not a clock time THH:MM" in found[0][1]


@pytest.mark.parametrize("pattern,ascii_only", [
    (r"T\d{2}:\d{2}", r"T[0-9]{2}:[0-9]{2}"),
    (r"[\d\-+]*", r"[0-9\-+]*"),  # DestinationPhoneNumber: inside a class
    (r"[\d-x]", r"[0-9\-x]"),  # ECMA: the - after a class escape is a literal
    (r"a\\d", r"a\\d"),  # an escaped backslash, then the letter d
    (r"[a-z]{2}-[a-z]+-\d{1,2}:", r"[a-z]{2}-[a-z]+-[0-9]{1,2}:"),
    (r"[a-zA-Z0-9_\-/]*", r"[a-zA-Z0-9_\-/]*"),
])
def test_ascii_digits_rewrites_only_digit_escapes(pattern, ascii_only):
    from campaign_lint.schema import ascii_digits

    assert ascii_digits(pattern) == ascii_only
