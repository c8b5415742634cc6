"""CloudFormation, SAM and CDK templates: detection, CFN structure, mapping, intrinsics,
suppression, and every finding at the template's own line:col."""

from __future__ import annotations

import copy
import json
import os
import sys
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES, ROOT, TODAY, findings_of, run_cli

CFN = EXAMPLES / "cloudformation"
CDK = EXAMPLES / "cdk"
RESOURCE = "/Resources/RenewalsCampaign/Properties"

#: (rule, line, column, pointer under the resource's Properties) of the broken example
BROKEN_CFN = [
    ("CC101", 21, 13, "/ChannelSubtypeConfig/Telephony/OutboundMode/Progressive"),
    ("CC108", 21, 13, "/ChannelSubtypeConfig/Telephony/OutboundMode"),
    ("CC101", 25, 11, "/ChannelSubtypeConfig/Telephony/connectQueueId"),
    ("CC309", 28, 28, "/CommunicationTimeConfig/LocalTimeZoneConfig/DefaultTimeZone"),
    ("CC301", 35, 21, "/CommunicationTimeConfig/Telephony/OpenHours/DailyHours/0/Value/1"),
    ("CC004", 38, 22, "/CommunicationTimeConfig/Telephony/OpenHours/DailyHours/2/Key"),
    ("CC301", 39, 25, "/CommunicationTimeConfig/Telephony/OpenHours/DailyHours/2/Value/0"),
    ("CC305", 42, 46, "/CommunicationTimeConfig/Telephony/RestrictedPeriods/RestrictedPeriodList/0/StartDate"),
    ("CC105", 46, 52, "/CommunicationLimitsOverride/AllChannelsSubtypes/CommunicationLimitList/0/Frequency"),
]


def check(*args: str):
    return run_cli("check", "--isolated", "--today", TODAY, *map(str, args))


def essence(run) -> list[tuple]:
    return [(f["rule"], f["line"], f["column"], f["pointer"]) for f in run.json()["findings"]]


# --- the examples, in every format ----------------------------------------------------------


def test_broken_cloudformation_example_findings_at_template_lines():
    run = check("--format", "json", CFN / "broken")
    assert run.code == 1
    assert essence(run) == [(r, line, col, RESOURCE + p) for r, line, col, p in BROKEN_CFN]
    messages = {f["rule"] + f["pointer"]: f["message"] for f in run.json()["findings"]}
    # CFN terms and did-you-mean in the structural messages
    assert 'did you mean "ProgressiveConfig"?' in messages["CC101" + RESOURCE + BROKEN_CFN[0][3]]
    assert 'did you mean "ConnectQueueId"?' in messages["CC101" + RESOURCE + BROKEN_CFN[2][3]]
    assert messages["CC105" + RESOURCE + BROKEN_CFN[-1][3]].startswith("Frequency 45 is above the maximum 30")
    # a value taken from a parameter's default says so; rules' messages name CFN properties too
    assert messages["CC309" + RESOURCE + BROKEN_CFN[3][3]].startswith('DefaultTimeZone "America/NewYork"')
    assert messages["CC309" + RESOURCE + BROKEN_CFN[3][3]].endswith("(with the default of parameter TimeZone)")
    assert messages["CC301" + RESOURCE + BROKEN_CFN[4][3]].startswith("Telephony MONDAY range")
    assert {f["campaign"]["name"] for f in run.json()["findings"]} == {"renewals"}


def test_broken_cloudformation_example_in_text_github_junit_and_sarif():
    path = str(CFN / "broken" / "outbound-campaigns.yaml")
    expected = [(rule, line, col) for rule, line, col, _ in BROKEN_CFN]
    text = check(path).out.splitlines()
    assert [(ln.split(" ")[1], int(ln.split(":")[1]), int(ln.split(":")[2])) for ln in text[:-1]] == expected
    github = check("--format", "github", path).out.splitlines()
    assert [ln for ln in github if ln.startswith("::error file=")][4].startswith(
        f"::error file={os.path.relpath(path, ROOT)},line=35,col=21,")  # relative to the repository root
    junit = ET.fromstring(check("--format", "junit", path).out)
    assert len(junit.findall(".//failure")) == len(expected)
    sarif = json.loads(check("--format", "sarif", path).out)
    results = sarif["runs"][0]["results"]
    regions = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results]
    assert regions == expected
    assert all(r["properties"]["pointer"].startswith(RESOURCE) for r in results)


@pytest.mark.parametrize("example", [
    CFN / "broken" / "outbound-campaigns.yaml", CDK / "broken" / "RemindersStack.template.json",
    EXAMPLES / "terraform" / "broken" / "plan.json"], ids=["cloudformation", "cdk", "terraform"])
def test_every_format_gives_the_same_findings_at_the_same_places(example):
    path = str(example)
    findings = check("--format", "json", path).json()["findings"]
    expected = [(f["rule"], f["line"], f["column"]) for f in findings]
    assert expected and all(f["pointer"].startswith(("/Resources/", "/planned_values/")) for f in findings)
    text = check(path).out.splitlines()[:-1]
    assert [(ln.split(" ")[1], int(ln.split(":")[1]), int(ln.split(":")[2])) for ln in text] == expected
    github = [ln for ln in check("--format", "github", path).out.splitlines() if ln.startswith("::")]
    assert [tuple(int(part.split("=")[1]) for part in ln.split(",")[1:3]) for ln in github] == \
        [(line, col) for _, line, col in expected]
    junit = ET.fromstring(check("--format", "junit", path).out)  # a failure per error (--fail-on)
    assert len(junit.findall(".//failure")) == sum(f["severity"] == "error" for f in findings)
    results = json.loads(check("--format", "sarif", path).out)["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results] == expected
    assert [r["properties"]["pointer"] for r in results] == [f["pointer"] for f in findings]


def test_clean_examples_are_clean():
    for folder in (CFN / "clean", CDK / "clean", EXAMPLES / "terraform" / "clean"):
        run = check("--format", "json", folder)
        assert run.code == 0, run.out
        # (the CDK example's Metadata accepts CC215 for its event-triggered campaign's hours)
        assert [f for f in run.json()["findings"] if not f["suppressed"]] == [], folder
        assert run.json()["summary"]["campaigns"] >= 1


def test_cdk_synth_template_broken_example():
    run = check("--format", "json", CDK / "broken")
    resource = "/Resources/ReminderCampaignC0FFEE12/Properties"
    assert [(f["rule"], f["line"], f["pointer"].removeprefix(resource)) for f in run.json()["findings"]] == [
        ("CC105", 39, "/ChannelSubtypeConfig/Sms/Capacity"),
        # the domain ARN is a !GetAtt, but an event trigger with hours is one whatever it is
        ("CC215", 74, "/Source/EventTrigger"),
        ("CC310", 85, "/CommunicationTimeConfig/LocalTimeZoneConfig/DefaultTimeZone"),
        ("CC303", 95, "/CommunicationTimeConfig/Sms/OpenHours/DailyHours/0/Value/0/EndTime"),
        ("CC104", 136, "/CommunicationTimeConfig/Sms/OpenHours/DailyHours/5/Key"),
        ("CC106", 159, "/CommunicationLimitsOverride/AllChannelsSubtypes/CommunicationLimitList"),
        ("CC502", 165, "/CommunicationLimitsOverride/AllChannelsSubtypes/CommunicationLimitList/1"),
    ]
    # the name is a literal: findings name the campaign by it
    assert {f["campaign"]["name"] for f in run.json()["findings"]} == {"reminders-sms"}


def test_cdk_template_is_detected_by_content_whatever_its_name(tmp_path):
    text = (CDK / "broken" / "RemindersStack.template.json").read_text()
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "Stack.assets").write_text("{}")
    (tmp_path / "cdk.out" / "Stack.template.json").write_text(text)
    run = check("--format", "json", tmp_path / "cdk.out" / "Stack.template.json")
    assert "CC105" in run.rules()


# --- detection --------------------------------------------------------------------------------


def test_template_without_campaign_is_cc002_info(lint):
    run = lint("Resources:\n  Q:\n    Type: AWS::Connect::Queue\n    Properties: {Name: !Ref N}\n",
               "stack.yaml")
    assert run.rules() == ["CC002"] and run.code == 0
    assert "template without AWS::ConnectCampaignsV2::Campaign" in run.json()["findings"][0]["message"]


def test_sam_template_campaign_is_checked_and_missing_properties_reported(lint):
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12}
Resources:
  Dialer:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, CodeUri: src/}
  Campaign:
    Type: AWS::ConnectCampaignsV2::Campaign
"""
    findings = lint(text, "template.yaml").json()["findings"]
    # one defect, one finding: not also every member it lacks (no channel, owner tag, flow...)
    assert [f["rule"] for f in findings] == ["CC102"]
    finding = findings[0]
    assert (finding["line"], finding["pointer"]) == (9, "/Resources/Campaign/Properties")
    assert finding["message"].startswith("Properties is missing")


@pytest.mark.parametrize("properties,rule,said", [
    ('"renewals"', "CC103", "Properties is not an object (a string)"),
    ("[1, 2]", "CC103", "Properties is not an object (a list)"),
    # a Ref to a String parameter is a string whatever its value: was "No problems found"
    ("!Ref Props", "CC103", "Properties must be an object holding at least Name and "
                            "ConnectInstanceId; parameter Props is a string"),
    ("!Ref Many", "CC103", "parameter Many is a list"),
    # a string pseudo parameter, an SSM String parameter: strings too
    ("!Ref AWS::StackName", "CC103", "AWS::StackName is a string"),
    ("!Ref FromSsm", "CC103", "parameter FromSsm, read from SSM at deploy is a string"),
])
def test_properties_that_are_no_object_are_one_finding(lint, properties, rule, said):
    text = f"""\
Parameters:
  Props: {{Type: String}}
  Many: {{Type: CommaDelimitedList}}
  FromSsm: {{Type: "AWS::SSM::Parameter::Value<String>", Default: /campaigns/props}}
Conditions:
  Prod: !Equals [!Ref Props, prod]
Resources:
  Campaign:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties: {properties}
"""
    run = lint(text, "stack.yaml")
    errors = [f for f in run.json()["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["line"], f["pointer"]) for f in errors] == [(rule, 10, "/Resources/Campaign/Properties")]
    assert said in errors[0]["message"] and run.code == 1


@pytest.mark.parametrize("properties,why", [
    ("\n      Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/campaign.yaml}}",
     "Fn::Transform value"),
    ("!GetAtt Other.Properties", "Fn::GetAtt value"),
])
def test_properties_that_are_wholly_unknown_say_the_campaign_is_not_checked(lint, tmp_path, properties, why):
    # was "No problems found: 1 campaign", as if it had been checked
    text = f"Resources:\n  Campaign:\n    Type: AWS::ConnectCampaignsV2::Campaign\n    Properties: {properties}\n"
    run = lint(text, "stack.yaml")
    [finding] = run.json()["findings"]
    assert finding["rule"] == "CC002" and finding["severity"] == "info" and run.code == 0
    assert finding["message"] == f"Properties are not known here ({why}): this campaign is not checked"
    # and the summary does not count it as checked
    assert run.json()["summary"]["campaigns"] == 0 and run.json()["summary"]["notChecked"] == 1
    text_run = run_cli("check", "--isolated", str(tmp_path / "stack.yaml"))
    assert text_run.out.rstrip().endswith("in 0 campaigns in 1 file (1 campaign not checked).")
    junit = run_cli("check", "--isolated", "--format", "junit", "--ignore", "CC002", str(tmp_path / "stack.yaml"))
    assert junit.code == 0 and "no problems" not in junit.out  # was listed as a passing case


def test_an_if_branch_that_is_wholly_unknown_is_said_to_be_that_branch(lint):
    text = """\
Parameters:
  Env: {Type: String, AllowedValues: [prod, test]}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties: !If [Prod, {Name: a, ConnectInstanceId: i-1}, !GetAtt X.Props]
"""
    report = lint(text, "stack.yaml").json()
    [message] = [f["message"] for f in report["findings"] if f["rule"] == "CC002"]
    assert message == "Properties are not known here (Fn::GetAtt value): this branch of the campaign is not checked"
    assert (report["summary"]["campaigns"], report["summary"]["notChecked"]) == (1, 0)  # the other branch is


def in_a_loop(collection: str, top: str = "", name: str = '!Sub "renewals-${Team}-${Environment}"') -> str:
    """The clean example with its campaign resource inside ``Fn::ForEach::Teams`` (identifier
    ``Team``) over ``collection``; ``top`` is added before Resources (Mappings, Parameters)."""
    text = (CFN / "clean" / "outbound-campaigns.yaml").read_text()
    head, rest = text.split("Resources:\n  RenewalsCampaign:\n")
    body, tail = rest.split("  RenewalsQueueAlarm:\n")
    body = body.replace('Name: !Sub "renewals-${Environment}"', f"Name: {name}").replace(
        "Capacity: !If [IsProd, 0.8, 0.2]", "Capacity: 0.2")  # several campaigns share the instance
    indented = "".join(f"    {line}" if line.strip() else line for line in body.splitlines(keepends=True))
    return ("Transform: AWS::LanguageExtensions\n" + head + top + "Resources:\n  Fn::ForEach::Teams:\n"
            f"    - Team\n    - {collection}\n    - Renewals&{{Team}}:\n" + indented
            + "  RenewalsQueueAlarm:\n" + tail)


ZONES = """\
Mappings:
  Zones:
    east: {Zone: America/New_York}
    west: {Zone: America/Los_Angles}
"""


def test_fn_foreach_campaigns_are_expanded_and_checked_each_at_the_loop_body(lint):
    # was one CC002 at the loop ("not expanded here: they are not checked")
    clean = lint(in_a_loop("[east, west]"), "stack.yaml").json()
    assert clean["findings"] == [] and clean["summary"]["campaigns"] == 2
    text = in_a_loop("[east, west]", ZONES).replace(
        "DefaultTimeZone: America/New_York", "DefaultTimeZone: !FindInMap [Zones, !Ref Team, Zone]")
    report = lint(text, "stack.yaml").json()
    [finding] = report["findings"]  # the east campaign's zone is right
    line = text.splitlines().index("              DefaultTimeZone: !FindInMap [Zones, !Ref Team, Zone]") + 1
    assert (finding["rule"], finding["line"], finding["column"]) == ("CC309", line, 32)
    assert finding["campaign"]["name"] == "renewals-west-test"
    assert finding["message"].startswith('DefaultTimeZone "America/Los_Angles" is not an IANA time zone')
    assert report["summary"]["campaigns"] == 2


def test_a_defect_in_the_loop_body_is_reported_for_each_campaign_the_loop_makes(lint):
    text = in_a_loop("[east, west, north]").replace("{StartTime: T13:00, EndTime: T20:00}",
                                                    "{StartTime: T11:00, EndTime: T20:00}")
    overlaps = findings_of(lint(text, "stack.yaml"), "CC301")
    assert sorted(f["campaign"]["name"] for f in overlaps) == [
        "renewals-east-test", "renewals-north-test", "renewals-west-test"]
    assert len({(f["line"], f["column"]) for f in overlaps}) == 1


def test_loop_copies_with_one_literal_name_are_told_apart_by_logical_id(lint):
    # they were all named "renewals": the same text line, baseline key and SARIF fingerprint
    # for each copy, and CC602 pointed a campaign at its own line
    text = in_a_loop("[east, west]", name="renewals").replace("{StartTime: T13:00, EndTime: T20:00}",
                                                              "{StartTime: T11:00, EndTime: T20:00}")
    overlaps = findings_of(lint(text, "stack.yaml"), "CC301")
    assert sorted(f["campaign"]["name"] for f in overlaps) == ["Renewalseast", "Renewalswest"]
    sarif = lint(text, "stack.yaml", "--format", "sarif").json()
    prints = [r["partialFingerprints"]["campaignLint/v1"] for r in sarif["runs"][0]["results"]
              if r["ruleId"] == "CC301"]
    assert len(set(prints)) == 2
    [duplicate] = findings_of(lint(text, "stack.yaml"), "CC602")
    line = text.splitlines().index("          Name: renewals") + 1
    assert duplicate["message"].endswith(f"stack.yaml:{line})") and 'this one and "Renewalswest" (' in duplicate["message"]
    # a name the loop value makes tells the copies apart by itself: kept
    named = findings_of(lint(in_a_loop("[east, west]").replace("{StartTime: T13:00, EndTime: T20:00}",
                                                              "{StartTime: T11:00, EndTime: T20:00}"),
                             "stack.yaml"), "CC301")
    assert sorted(f["campaign"]["name"] for f in named) == ["renewals-east-test", "renewals-west-test"]


def test_a_loop_over_a_list_parameter_takes_its_default_or_the_value_given(lint):
    top = 'Teams: {Type: CommaDelimitedList, Default: "east,north-1"}\n'
    text = in_a_loop("!Ref Teams", name="!GetAtt Names.Value").replace("Parameters:\n", "Parameters:\n  " + top)
    bad = text.replace("{StartTime: T13:00, EndTime: T20:00}", "{StartTime: T11:00, EndTime: T20:00}")
    run = lint(bad, "stack.yaml", "--format", "text")  # the Name is unknown: named by the logical id
    named = sorted(line.rsplit("[", 1)[1] for line in run.out.splitlines() if " CC301 " in line)
    assert named == ["Renewalseast]", "Renewalsnorth1]"]  # &{Team}: letters and digits only
    given = lint(bad, "stack.yaml", "--format", "text", "--parameter", "Teams=south")
    assert [line.rsplit("[", 1)[1] for line in given.out.splitlines() if " CC301 " in line] == ["Renewalssouth]"]


@pytest.mark.parametrize("loop, why", [
    ("    - Team\n    - !Ref Teams\n", "its collection is not a list known here"),
    ("    - Team\n    - !GetAtt Lists.Teams\n", "its collection is not a list known here"),
    ("    - [Team]\n    - [east]\n", "a loop is [identifier, collection, {key: fragment}]"),
])
def test_a_loop_that_cannot_be_expanded_is_said_not_to_be_checked(lint, loop, why):
    text = in_a_loop("[east]").replace("    - Team\n    - [east]\n", loop).replace(
        "Parameters:\n", "Parameters:\n  Teams: {Type: CommaDelimitedList}\n")
    report = lint(text, "stack.yaml").json()
    [finding] = report["findings"]
    line = text.splitlines().index("  Fn::ForEach::Teams:") + 1
    assert (finding["rule"], finding["severity"], finding["line"], finding["column"]) == ("CC002", "info", line, 3)
    assert finding["message"] == (f"campaign resources inside Fn::ForEach::Teams (AWS::LanguageExtensions) are not "
                                  f"expanded here ({why}): they are not checked")
    # the summary counts the loop as a campaign not checked (its campaigns are not known)
    assert (report["summary"]["campaigns"], report["summary"]["notChecked"]) == (0, 1)


def test_nested_loops_expand_with_both_identifiers(lint):
    text = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Teams:
    - Team
    - [east, west]
    - Fn::ForEach::Channels:
        - Kind
        - [calls, texts]
        - ${Team}${Kind}:
            Type: AWS::ConnectCampaignsV2::Campaign
            Properties:
              Name: !Sub "${Team}-${Kind}"
              ConnectInstanceId: i-1
              CommunicationTimeConfig:
                LocalTimeZoneConfig: {DefaultTimeZone: !Sub "America/${Team}"}
"""
    run = lint(text, "stack.yaml", "--select", "CC309")
    names = sorted(f["campaign"]["name"] for f in findings_of(run, "CC309"))
    assert names == ["east-calls", "east-texts", "west-calls", "west-texts"]
    assert run.json()["summary"]["campaigns"] == 4


def test_loops_stop_at_cloudformations_quota_of_500_resources(lint):
    values = ", ".join(f"t{i}" for i in range(501))
    text = f"""\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Teams:
    - Team
    - [{values}]
    - C${{Team}}: {{Type: AWS::ConnectCampaignsV2::Campaign, Properties: {{Name: !Sub "c-${{Team}}"}}}}
"""
    report = lint(text, "stack.yaml", "--select", "CC002").json()
    [finding] = report["findings"]
    assert finding["message"] == ("Fn::ForEach::Teams: the template would have more than 500 campaign resources, "
                                  "past CloudFormation's quota per template: the rest are not checked")
    assert (report["summary"]["campaigns"], report["summary"]["notChecked"]) == (500, 1)


def test_a_resource_whose_every_if_branch_is_unknown_is_not_checked(lint):
    text = """\
Parameters: {Env: {Type: String, AllowedValues: [prod, test]}}
Conditions: {Prod: !Equals [!Ref Env, prod]}
Resources:
  C: {Type: AWS::ConnectCampaignsV2::Campaign, Properties: !If [Prod, !GetAtt Y.Props, !GetAtt X.Props]}
"""
    summary = lint(text, "stack.yaml").json()["summary"]
    assert (summary["campaigns"], summary["notChecked"]) == (0, 1)


def test_other_resource_types_are_ignored(lint):
    text = (CFN / "clean" / "outbound-campaigns.yaml").read_text().replace(
        "AlarmName: renewals-queue", "AlarmName: {Bad: shape}")
    assert lint(text, "stack.yaml").json()["findings"] == []


def test_short_form_and_long_form_intrinsics_are_read_the_same(lint):
    short = """\
Parameters:
  Zone: {Type: String, Default: Europe/Lndon}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: !Join ["-", [a, !Select [0, !Split [",", "b,c"]]]]
      ConnectInstanceId: !GetAtt Instance.Id
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: !Ref Zone}
"""
    long = {"Parameters": {"Zone": {"Type": "String", "Default": "Europe/Lndon"}},
            "Resources": {"C": {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
                "Name": {"Fn::Join": ["-", ["a", {"Fn::Select": [0, {"Fn::Split": [",", "b,c"]}]}]]},
                "ConnectInstanceId": {"Fn::GetAtt": ["Instance", "Id"]},
                "CommunicationTimeConfig": {"LocalTimeZoneConfig": {"DefaultTimeZone": {"Ref": "Zone"}}}}}}}
    one = lint(short, "short.yaml").json()["findings"]
    other = lint(json.dumps(long, indent=1), "long.json").json()["findings"]
    assert [(f["rule"], f["pointer"]) for f in one] == [(f["rule"], f["pointer"]) for f in other]
    assert "CC309" in [f["rule"] for f in one]
    assert {f["campaign"]["name"] for f in one} == {"a-b"}  # Join/Select/Split of literals is known


# --- intrinsics ---------------------------------------------------------------------------------

#: the start of a template of one campaign resource, C (its properties follow at 6 spaces)
ONE_CAMPAIGN = """\
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i-1
"""

PARAMETERS = """\
Parameters:
  Zone: {Type: String, Default: America/NewYork}
  Ring: {Type: Number, Default: 70}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i-1
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: !Ref Zone}
"""


def test_parameter_default_is_used_and_named(lint):
    [finding] = findings_of(lint(PARAMETERS, "t.yaml"), "CC309")
    assert finding["message"].endswith("(with the default of parameter Zone)")
    assert finding["line"] == 11


def test_ssm_parameter_default_is_a_parameter_name_not_a_value(lint):
    text = PARAMETERS.replace("Zone: {Type: String, Default: America/NewYork}",
                              "Zone: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /contact-center/zone}")
    assert findings_of(lint(text, "t.yaml"), "CC309") == []


def test_parameter_flag_and_files_override_the_default(lint, tmp_path):
    assert findings_of(lint(PARAMETERS, "t.yaml", "--parameter", "Zone=America/New_York"), "CC309") == []
    [finding] = findings_of(lint(PARAMETERS, "t.yaml", "--parameter", "Zone=Mars/Olympus"), "CC309")
    assert "(with parameter Zone as given)" in finding["message"]
    listed = tmp_path / "params.json"
    listed.write_text(json.dumps([{"ParameterKey": "Zone", "ParameterValue": "America/New_York"}]))
    assert findings_of(lint(PARAMETERS, "t.yaml", "--parameters-file", str(listed)), "CC309") == []
    nested = tmp_path / "config.json"
    nested.write_text(json.dumps({"Parameters": {"Zone": "Europe/Pariss"}}))
    [finding] = findings_of(lint(PARAMETERS, "t.yaml", "--parameters-file", str(nested)), "CC309")
    assert '"Europe/Pariss"' in finding["message"]
    # the flag wins over the file
    assert findings_of(lint(PARAMETERS, "t.yaml", "--parameters-file", str(nested),
                            "--parameter", "Zone=Europe/Paris"), "CC309") == []


def test_bad_parameter_flags_are_usage_errors(lint, tmp_path):
    assert lint(PARAMETERS, "t.yaml", "--parameter", "Zone").code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"Zone": 1}')
    run = lint(PARAMETERS, "t.yaml", "--parameters-file", str(bad))
    assert run.code == 2 and "ParameterKey" in run.err and "Traceback" not in run.err


def test_fn_if_checks_each_branch_and_no_value_removes(lint):
    text = """\
Conditions:
  Big: !Equals [!Ref Size, big]
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i-1
      ChannelSubtypeConfig:
        Telephony:
          Capacity: !If [Big, 1.5, 0.5]
          ConnectQueueId: q
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig: {ConnectContactFlowId: f, RingTimeout: !If [Big, !Ref AWS::NoValue, 5]}
"""
    run = lint(text, "t.yaml")
    found = {(f["rule"], f["line"], f["column"], f["pointer"].rsplit("Telephony", 1)[1]) for f in run.json()["findings"]
             if f["rule"].startswith("CC10")}
    # each finding points at its own branch; the NoValue branch removes RingTimeout (no finding)
    assert found == {("CC105", 11, 31, "/Capacity/Fn::If/1"),
                     ("CC105", 14, 102, "/DefaultOutboundConfig/RingTimeout/Fn::If/2")}


def test_what_cloudformation_accepts_and_the_api_refuses_is_reported_in_cfn_terms(lint):
    text = ONE_CAMPAIGN + """\
      Schedule: {StartTime: tomorrow, EndTime: "2099-01-01T00:00:00Z", RefreshFrequency: 12h}
      ChannelSubtypeConfig:
        Telephony:
          ConnectQueueId: q
          OutboundMode:
            PreviewConfig: {BandwidthAllocation: 0.5, TimeoutConfig: {}}
          DefaultOutboundConfig: {ConnectContactFlowId: f}
        Sms:
          OutboundMode: {}
          DefaultOutboundConfig:
            ConnectSourcePhoneNumberArn: arn:aws:connect:us-east-1:123456789012:phone-number/p
            WisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/t/v
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: Europe/London}
        Sms:
          OpenHours:
            DailyHours: [{Key: MONDAY, Value: [{StartTime: T09:00, EndTime: T17:00}]}]
          RestrictedPeriods:
            RestrictedPeriodList: [{Name: "", StartDate: "2027-12-24", EndDate: "2027-12-26"}]
      Tags:
        - {Key: "aws:team", Value: x}
"""
    found = [(f["rule"], f["line"], f["message"]) for f in lint(text, "t.yaml").json()["findings"]
             if f["rule"].startswith("CC10")]
    assert found == [
        ("CC107", 7, 'StartTime "tomorrow" is not an ISO 8601 timestamp (e.g. 2025-01-06T09:00:00Z)'),
        ("CC107", 7, 'RefreshFrequency "12h" is not a duration in days, hours, minutes or seconds such as P1D, PT12H or PT30M'),
        ("CC102", 12, 'TimeoutConfig is missing the required field "DurationInSeconds"'),
        ("CC108", 15, "OutboundMode sets none of its members; set exactly one of: AgentlessConfig"),
        ("CC106", 25, "Name is empty; it must have at least 1 character"),
        ("CC107", 27, found[-1][2]),
    ]
    assert found[-1][2].startswith('tag key "aws:team"') or "aws:team" in found[-1][2]


def test_local_time_zone_detection_scope_is_read_and_checked(lint):
    # in the CloudFormation documentation and cfn-lint 1.58.0's schema; 1.51.0's lacked it (CC101)
    def findings(scope: str) -> list:
        text = ONE_CAMPAIGN + f"""\
      CommunicationTimeConfig:
        LocalTimeZoneConfig:
          LocalTimeZoneDetection: [ZIP_CODE]
          LocalTimeZoneDetectionScope: {scope}
"""
        return [(f["rule"], f["message"]) for f in lint(text, "t.yaml").json()["findings"]
                if f["rule"].startswith("CC10")]

    assert findings("PRIMARY_ONLY") == []
    [(rule, message)] = findings("PRIMARY")
    assert rule == "CC104" and '"PRIMARY" is not one of PRIMARY_ONLY, ALL_AVAILABLE' in message


def email_campaign(address: str) -> str:
    """ONE_CAMPAIGN with an email channel that sends from ``address``."""
    return ONE_CAMPAIGN + f"""\
      ChannelSubtypeConfig:
        Email:
          OutboundMode: {{AgentlessConfig: {{}}}}
          DefaultOutboundConfig:
            ConnectSourceEmailAddress: {address}
            WisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/k/t
"""


def test_pattern_words_are_used_only_where_they_are_true_of_the_cloudformation_pattern(lint):
    # reviewer's reproducer: CloudFormation's email pattern allows only 2-4 letter top-level
    # domains, so "not an email address" was false; a real zone the format refuses, and a
    # text that is no zone (CC309's), are said as the API layer says them
    def findings(zone: str, email: str) -> list:
        text = email_campaign(email) + f"""\
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {{DefaultTimeZone: "{zone}"}}
"""
        return [(f["rule"], f["message"]) for f in lint(text, "t.yaml").json()["findings"]
                if f["rule"] in ("CC107", "CC309")]

    [(rule, email)] = findings("Europe/London", "reminders@example.museum")
    assert rule == "CC107" and "does not match the format ^[" in email and "not an email address" not in email
    [(rule, zone)] = findings("Etc/GMT+5", "reminders@example.com")
    assert rule == "CC107" and "is a zone name the service's format does not allow" in zone
    assert [rule for rule, _ in findings("UTC+5", "reminders@example.com")] == ["CC309"]


@pytest.mark.parametrize("arn,said", [
    # CloudFormation's Arn pattern (^arn:.*$) refuses a line break the API shape allows: the
    # words "is not an ARN like ..." were false of an ARN with one, and the cut quote hid it
    ('"arn:aws:profile:us-east-1:123456789012:domains/d\\n/segment-definitions/s"',
     'holds a line break after "profile:us-east-1:123456789012:domains/d", which the format ^arn:.*$ refuses'),
    # ECMA's $ is the end of the text and its . no line terminator (Python's $ also matched
    # before a final \n, its . a \r): what a YAML | block leaves at the end is refused too
    ('"arn:aws:profile:us-east-1:123456789012:domains/d/segment-definitions/s\\n"',
     'holds a line break after "56789012:domains/d/segment-definitions/s"'),  # its last 40 characters
    ('"arn:aws:profile:us-east-1:123456789012:domains/d/segment-definitions/s\\r"', "holds a line break"),
    # the member's own example, found by its API name (CloudFormation's is PascalCase)
    ("ARN:aws:profile:us-east-1:123456789012:domains/d/segment-definitions/s",
     "is not an ARN like arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/segment-definitions/NAME"),
])
def test_arn_pattern_words_are_true_of_cloudformation_and_name_the_member(lint, arn, said):
    text = ONE_CAMPAIGN + f"""\
      Source: {{CustomerProfilesSegmentArn: {arn}}}
"""
    [message] = [f["message"] for f in lint(text, "t.yaml").json()["findings"] if f["rule"] == "CC107"]
    assert said in message


def test_a_registry_pattern_reads_word_characters_as_ecma_does(lint):
    # CloudFormation's email pattern is [\w-\.]+@...: \w is ASCII in ECMA-262 (Python's is Unicode)
    text = email_campaign("josé@example.com")
    [message] = [f["message"] for f in lint(text, "t.yaml").json()["findings"] if f["rule"] == "CC107"]
    assert message.startswith('ConnectSourceEmailAddress "josé@example.com" does not match the format')


def test_a_duration_the_model_refuses_is_not_called_no_iso_8601_duration(lint):
    # P1W is an ISO 8601 duration; the model's pattern takes days, hours, minutes and seconds only
    text = ONE_CAMPAIGN + "      Schedule: {StartTime: '2027-01-01T00:00:00Z', EndTime: '2027-02-01T00:00:00Z', RefreshFrequency: P1W}\n"
    [message] = [f["message"] for f in lint(text, "t.yaml").json()["findings"] if f["rule"] == "CC107"]
    assert message == ('RefreshFrequency "P1W" is not a duration in days, hours, minutes or seconds '
                       "such as P1D, PT12H or PT30M")


def test_daily_hour_without_key_is_missing_field(lint):
    text = ONE_CAMPAIGN + """\
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: Europe/London}
        Telephony:
          OpenHours:
            DailyHours:
              - Value: [{StartTime: T09:00, EndTime: T17:00}]
"""
    [finding] = findings_of(lint(text, "t.yaml"), "CC102")
    assert finding["line"] == 12 and finding["message"].startswith("DailyHours[0] has no Key")


def test_properties_that_are_unknown_or_removed(lint):
    text = """\
Resources:
  Unknown:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties: !If [Cond, !GetAtt Other.Properties, !GetAtt Another.Properties]
  Removed:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties: !If [Cond, {Name: c, ConnectInstanceId: i-1}, !Ref AWS::NoValue]
"""
    findings = [f for f in lint(text, "t.yaml").json()["findings"] if f["severity"] != "info"]
    assert [(f["rule"], f["pointer"]) for f in findings if f["rule"].startswith("CC10")] == [
        ("CC102", "/Resources/Removed/Properties/Fn::If/2")]  # at the branch that removes them
    assert all("/Unknown/" not in f["pointer"] for f in findings)
    assert [f for f in findings if f["rule"] == "CC102"][0]["message"].startswith("Properties is missing")


def test_fn_if_beyond_three_conditions_is_unknown(lint):
    text = ONE_CAMPAIGN + """\
      ChannelSubtypeConfig:
        Telephony:
          Capacity: !If [A, 0.5, !If [B, 0.5, !If [C, 0.5, !If [D, 0.5, 7]]]]
          ConnectQueueId: q
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig: {ConnectContactFlowId: f, RingTimeout: !If [C, 30, 99]}
"""
    findings = findings_of(lint(text, "t.yaml"), "CC105")
    # A, B and C are checked both ways (8 variants): RingTimeout 99 is found; D is not expanded,
    # so the 7 behind it is not known to be reached and nothing is said about it
    assert [f["pointer"].rsplit("Telephony/", 1)[1] for f in findings] == [
        "DefaultOutboundConfig/RingTimeout/Fn::If/2"]


def test_pseudo_parameters_are_unknown_unless_region_given(lint):
    text = ONE_CAMPAIGN + """\
      Source:
        CustomerProfilesSegmentArn: arn:aws:profile:eu-west-2:123456789012:domains/d/segment-definitions/s
      ChannelSubtypeConfig:
        Sms:
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectSourcePhoneNumberArn: !Sub "arn:${AWS::Partition}:connect:${AWS::Region}:123456789012:phone-number/p-1"
            WisdomTemplateArn: arn:aws:wisdom:eu-west-2:123456789012:message-template/t-1/v-1
"""
    assert findings_of(lint(text, "t.yaml"), "CC208") == []
    [finding] = findings_of(lint(text, "t.yaml", "--region", "us-east-1"), "CC208")
    assert finding["line"] == 13


# --- unknown values: property-based ------------------------------------------------------------

INTRINSICS = st.sampled_from([
    {"Ref": "NoDefault"}, {"Fn::GetAtt": ["Thing", "Arn"]}, {"Fn::ImportValue": "Shared:Value"},
    {"Fn::Sub": "${AWS::StackName}-x"}, {"Ref": "AWS::Region"}, {"Fn::Select": [0, {"Ref": "List"}]},
    {"Fn::If": ["Cond", {"Ref": "NoDefault"}, {"Fn::GetAtt": ["A", "B"]}]},
    {"Fn::Join": ["", [{"Ref": "AWS::AccountId"}, "x"]]}, {"Fn::FindInMap": ["M", {"Ref": "P"}, "k"]},
])
#: intrinsics that may give an object or a list (Fn::Sub, Fn::Join and Fn::ImportValue give a
#: string: one where an object is wanted is an error, as for cfn-lint)
ANY_TYPE_INTRINSICS = st.sampled_from([
    {"Ref": "NoDefault"}, {"Fn::GetAtt": ["Thing", "Arn"]}, {"Fn::Select": [0, {"Ref": "List"}]},
    {"Fn::If": ["Cond", {"Ref": "NoDefault"}, {"Fn::GetAtt": ["A", "B"]}]},
    {"Fn::FindInMap": ["M", {"Ref": "P"}, "k"]},
])


def _literal_paths(value, path=()):
    """Every place in a value where a literal (or a whole object/list) could be an intrinsic."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _literal_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _literal_paths(item, (*path, index))


def _replace(value, path, new):
    node = value
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new


def _value_at(value, path):
    for part in path:
        value = value[part]
    return value


def _replace_some(properties, data, values, most: int, containers=None) -> None:
    """Replace up to ``most`` values (or whole objects/lists, by ``containers`` when given)
    of ``properties`` by drawn ones."""
    paths = list(_literal_paths(properties))
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=most, unique=True))
    for path in sorted(chosen, key=len, reverse=True):
        try:
            whole = isinstance(_value_at(properties, path), (dict, list))
            _replace(properties, path, data.draw(containers if whole and containers is not None else values))
        except (KeyError, IndexError, TypeError):
            continue  # an ancestor was replaced already


CLEAN_TEMPLATES = [json.loads((CDK / "clean" / "RemindersStack.template.json").read_text())]


def _clean_cfn_template():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def long_form(loader, suffix, node):
        key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            return {key: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {key: loader.construct_sequence(node, deep=True)}
        return {key: loader.construct_mapping(node, deep=True)}

    Loader.add_multi_constructor("!", long_form)
    return yaml.load((CFN / "clean" / "outbound-campaigns.yaml").read_text(), Loader=Loader)


CLEAN_TEMPLATES.append(_clean_cfn_template())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_intrinsics_where_values_were_give_no_error_or_warning(tmp_path, data):
    template = copy.deepcopy(data.draw(st.sampled_from(CLEAN_TEMPLATES)))
    campaigns = [r for r in template["Resources"].values() if r["Type"] == "AWS::ConnectCampaignsV2::Campaign"]
    properties = campaigns[0]["Properties"]
    _replace_some(properties, data, INTRINSICS, 6, containers=ANY_TYPE_INTRINSICS)
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=1))
    run = check("--format", "json", path)
    serious = [f for f in run.json()["findings"] if f["severity"] in ("error", "warning")]
    assert serious == [], json.dumps(properties)[:2000]


# --- suppression ------------------------------------------------------------------------------


def test_metadata_ignore_suppresses_and_unused_codes_are_reported(tmp_path):
    text = (CFN / "broken" / "outbound-campaigns.yaml").read_text().replace(
        "    Type: AWS::ConnectCampaignsV2::Campaign\n",
        "    Type: AWS::ConnectCampaignsV2::Campaign\n"
        "    Metadata:\n      campaign-lint:\n        ignore: [CC301, CC206]\n")
    path = tmp_path / "t.yaml"
    path.write_text(text)
    findings = check("--format", "json", path).json()["findings"]
    suppressed = [f for f in findings if f.get("suppressed")]
    assert {f["rule"] for f in suppressed} == {"CC301"} and len(suppressed) == 2
    [unused] = [f for f in findings if f["rule"] == "CC011"]
    assert "CC206" in unused["message"] and unused["line"] == 15


def test_yaml_comment_and_tag_suppress_in_templates(tmp_path):
    text = (CFN / "broken" / "outbound-campaigns.yaml").read_text()
    text = text.replace("EndDate: \"2027-12-24\"}", "EndDate: \"2027-12-24\"}  # campaign-lint: ignore CC305 ok")
    text += "      Tags:\n        - {Key: campaign-lint:ignore, Value: CC309}\n"
    path = tmp_path / "t.yaml"
    path.write_text(text)
    findings = check("--format", "json", path).json()["findings"]
    assert {f["rule"] for f in findings if f.get("suppressed")} == {"CC305", "CC309"}
    assert not findings_of_rule(findings, "CC011")


def findings_of_rule(findings, rule):
    return [f for f in findings if f["rule"] == rule]


def test_baseline_works_for_templates(tmp_path):
    baseline = tmp_path / "baseline.json"
    path = CFN / "broken" / "outbound-campaigns.yaml"
    assert check("--write-baseline", baseline, path).code == 0
    again = check("--format", "json", "--baseline", baseline, path)
    assert again.code == 0 and all(f["suppressed"] == "baseline" for f in again.json()["findings"])


# --- the vendored schema -----------------------------------------------------------------------


def test_vendored_schema_says_where_it_came_from():
    text = (ROOT / "linter" / "data" / "aws-connectcampaignsv2-campaign.json").read_text()
    comment = json.loads(text)["$comment"]
    assert "cfn-lint" in comment and "MIT-0" in comment and "tools/refresh_cfn_schema.py" in comment


def _refresh_tool():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import refresh_cfn_schema as refresh
    finally:
        sys.path.pop(0)
    return refresh


def test_vendored_schema_matches_installed_cfn_lint():
    refresh = _refresh_tool()
    try:
        version, installed = refresh.installed_schema()
    except refresh.NoCfnLint:
        pytest.skip("cfn-lint is not installed in any python3 on PATH")
    ours = json.loads(open(refresh.TARGET, encoding="utf-8").read())
    if refresh.is_older(version, refresh.copied_from(ours)):
        pytest.skip(f"cfn-lint {version} on PATH is older than the vendored copy's "
                    f"{refresh.copied_from(ours)}: its schema is expected to differ")
    assert refresh.without_comment(ours) == installed, (
        f"the vendored schema differs from cfn-lint {version}'s; run tools/refresh_cfn_schema.py")


def test_refresh_never_replaces_the_copy_with_an_older_cfn_lints(monkeypatch, capsys):
    refresh = _refresh_tool()
    before = (ROOT / "linter" / "data" / "aws-connectcampaignsv2-campaign.json").read_bytes()
    copied = refresh.copied_from(json.loads(before))
    assert copied and refresh.is_older("1.9.0", copied) and not refresh.is_older(copied, copied)
    assert refresh.is_older("1.9.9", "1.10.0")  # numerically, not as text
    monkeypatch.setattr(refresh, "installed_schema", lambda python=None: ("1.9.0", {"type": "object"}))
    for argv in ([], ["--check"]):
        assert refresh.main(argv) == 2
        assert "older than the copy's" in capsys.readouterr().err
    assert (ROOT / "linter" / "data" / "aws-connectcampaignsv2-campaign.json").read_bytes() == before


def test_patterns_python_re_cannot_compile_are_translated():
    from campaign_lint.sources.cloudformation import compile_pattern, registry_schema

    email = registry_schema()["definitions"]["EmailAddress"]["pattern"]
    compiled = compile_pattern(email)
    assert compiled is not None
    assert compiled.search("first.last-name+tag@example.co.uk")
    assert not compiled.search("someone@example.online")  # CFN's pattern allows 2-4 letter TLDs
    assert compile_pattern("[unclosed") is None  # skipped, never a crash


def test_email_pattern_finding_is_reported_not_crashed(lint):
    run = lint(email_campaign("not-an-address"), "t.yaml")
    [finding] = findings_of(run, "CC107")
    assert finding["line"] == 11 and finding["message"].startswith("ConnectSourceEmailAddress")


def _imported_after_check(path) -> set[str]:
    import subprocess

    code = ("import sys; from campaign_lint.cli import main; "
            f"main(['check', '--isolated', '--format', 'json', {str(path)!r}]); "
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ), timeout=60)
    return set(done.stderr.split())


def test_no_import_of_cfn_lint_at_run_time_nor_of_the_sources_for_api_files():
    modules = _imported_after_check(CFN / "broken")
    assert "campaign_lint.sources.cloudformation" in modules and "cfnlint" not in modules
    plain = _imported_after_check(EXAMPLES / "clean" / "renewals-describe.json")
    assert not {"campaign_lint.sources.cloudformation", "campaign_lint.sources.terraform"} & plain


# --- any template never crashes -------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 100), st.floats(allow_nan=False, width=32),
                    st.sampled_from(["", "T09:00", "T24:00", "MONDAY", "x", "2027-12-25", "Europe/London"]))
ODD_INTRINSICS = st.sampled_from([
    {"Ref": 5}, {"Ref": "AWS::NoValue"}, {"Fn::If": ["C"]}, {"Fn::If": "C"}, {"Fn::Sub": ["${X}", 3]},
    {"Fn::Sub": "${Missing}"}, {"Fn::Join": ["", "notalist"]}, {"Fn::Select": ["x", []]},
    {"Fn::Select": [9, ["a"]]}, {"Fn::Split": ["", "abc"]}, {"Fn::FindInMap": ["M", "a", "b"]},
    {"Fn::Unknown": 1}, {"Condition": "C"}, {"Ref": "P"}, {"Fn::Base64": "x"},
])
VALUES = st.recursive(SCALARS | ODD_INTRINSICS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["Key", "Value", "StartTime", "EndTime", "DailyHours", "Telephony",
                                     "OpenHours", "OutboundMode", "AgentlessConfig", "Tags", "Name",
                                     "Fn::If", "Ref", "x"]), inner, max_size=3)), max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_template_never_crashes(tmp_path, data):
    template = copy.deepcopy(data.draw(st.sampled_from(CLEAN_TEMPLATES)))
    template["Parameters"] = {"P": {"Type": data.draw(st.sampled_from(["String", "Number", "CommaDelimitedList"])),
                                    "Default": data.draw(SCALARS)}}
    template["Mappings"] = {"M": {"a": {"b": data.draw(VALUES)}}}
    properties = next(r for r in template["Resources"].values()
                      if r["Type"] == "AWS::ConnectCampaignsV2::Campaign")["Properties"]
    _replace_some(properties, data, VALUES, 4)
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    run = check("--format", "json", "--region", "us-east-1", path)
    assert run.code in (0, 1), run.err
    # a rule that crashes on a wrong type (CC010) is that rule's bug, the same for an API file;
    # none may crash on an unknown value (test_intrinsics_where_values_were_give_no_error_or_warning
    # also fails on any CC010)
    assert not [f for f in run.json()["findings"] if f["rule"] == "CC010" and "Unknown" in f["message"]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_fn_foreach_loop_never_crashes_and_is_expanded_or_said_not_checked(tmp_path, data):
    template = copy.deepcopy(data.draw(st.sampled_from(CLEAN_TEMPLATES)))
    template["Parameters"] = {"P": {"Type": data.draw(st.sampled_from(["String", "CommaDelimitedList"])),
                                    "Default": data.draw(SCALARS)}}
    template["Mappings"] = {"M": {"a": {"b": data.draw(VALUES)}}}
    logical_id, resource = next((k, r) for k, r in template["Resources"].items()
                                if r["Type"] == "AWS::ConnectCampaignsV2::Campaign")
    del template["Resources"][logical_id]
    identifier = data.draw(st.sampled_from(["T", "", 5, ["T"], "P"]))
    collection = data.draw(st.one_of(st.lists(SCALARS, max_size=4), VALUES,
                                     st.just({"Ref": "P"}), st.just({"Fn::FindInMap": ["M", "a", "b"]})))
    key = data.draw(st.sampled_from(["C${T}", "C&{T}", "C", "${P}&{T}"]))
    _replace_some(resource["Properties"], data, st.sampled_from([{"Ref": "T"}, {"Fn::Sub": "x-${T}-&{T}"}]), 3)
    loop = [identifier, collection, {key: resource}]
    well_formed = data.draw(st.booleans())
    template["Resources"]["Fn::ForEach::Loop"] = loop if well_formed else data.draw(st.sampled_from([loop[1:], {"x": loop}]))
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    run = check("--format", "json", path)
    assert run.code in (0, 1), run.err
    report = run.json()
    said = [f for f in report["findings"] if f["rule"] == "CC002" and "Fn::ForEach::Loop" in f["message"]
            and "a second time" not in f["message"]]  # a key without ${T}: one campaign, and that said
    if "CC001" in {f["rule"] for f in report["findings"]}:
        return  # a drawn infinity is no JSON: the file is unreadable, which is said
    # a loop is either expanded into campaigns (none for an empty list) or one finding says it was not
    mapped = template["Mappings"]["M"]["a"]["b"]
    empty = collection == [] or (collection == {"Fn::FindInMap": ["M", "a", "b"]} and mapped == [])
    expanded = report["summary"]["campaigns"] > 0 or (well_formed and identifier in ("T", "P") and empty)
    assert expanded != bool(said), (report["summary"], said)
    assert not [f for f in report["findings"] if f["rule"] == "CC010"]


def test_readme_pre_commit_files_pattern_selects_templates_and_plans():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### pre-commit for templates"):]
    pattern = re.compile(re.search(r"files: (\S+)", section).group(1))
    for path in ("templates/campaigns.yaml", "infra/cfn/outbound.json", "cdk.out/RemindersStack.template.json",
                 "stack.template.json", "deploy/tfplan.json", "cloudformation/a/b.yml", "infra/main.tf.json",
                 "cdktf.out/stacks/outbound/cdk.tf.json"):
        assert pattern.search(path), path
    for path in ("package.json", "src/templates.py", ".github/workflows/ci.yaml", "campaigns/renewals.json"):
        assert not pattern.search(path), path


def test_metadata_ignore_refuses_codes_shorter_than_a_rule_prefix(lint):
    """``ignore: [C]`` would switch off every rule of the resource (each id starts with C):
    refused as in comments and tags, and nothing is suppressed by it."""
    text = (CFN / "broken" / "outbound-campaigns.yaml").read_text().replace(
        "    Type: AWS::ConnectCampaignsV2::Campaign\n",
        "    Type: AWS::ConnectCampaignsV2::Campaign\n"
        "    Metadata:\n      campaign-lint:\n        ignore: [C, CC, ALL, CC30]\n")
    findings = lint(text, "t.yaml").json()["findings"]
    assert {f["rule"] for f in findings if f.get("suppressed")} == {"CC301", "CC305", "CC309"}
    assert {"CC004", "CC101", "CC105", "CC108"} <= {f["rule"] for f in findings if not f.get("suppressed")}
    refused = [f for f in findings if f["rule"] == "CC011"]
    assert len(refused) == 3 and all("refused" in f["message"] and f["line"] == 15 for f in refused)


def test_metadata_ignore_takes_codes_as_tags_and_comments_do(lint):
    """``ignore: [cc301]`` suppressed CC301 (codes were upper-cased, tags' and comments' too
    loosely): a code is written in ASCII capitals everywhere, and a word that is none is CC011."""
    text = (CFN / "broken" / "outbound-campaigns.yaml").read_text().replace(
        "    Type: AWS::ConnectCampaignsV2::Campaign\n",
        "    Type: AWS::ConnectCampaignsV2::Campaign\n"
        '    Metadata:\n      campaign-lint:\n        ignore: [cc301, "CC305\\u00a0CC309", "CC305 CC309"]\n')
    findings = lint(text, "t.yaml").json()["findings"]
    assert not [f for f in findings if f.get("suppressed")]
    refused = sorted(f["message"] for f in findings if f["rule"] == "CC011")
    assert refused == ['suppression of "CC305 CC309" refused: give one code per item of the list '
                       "(ignore: [CC301, CC206])",
                       'suppression of "CC305\u00a0CC309" refused: it holds U+00A0 NO-BREAK SPACE; write codes in '
                       "ASCII capitals and digits, separated by spaces or commas",
                       'suppression of "cc301" refused: write rule ids in capitals (CC301)']


def test_resource_condition_makes_the_other_branch_unreachable(lint):
    """A resource with ``Condition: IsProd`` exists only where IsProd is true: the false
    branch of ``Fn::If [IsProd, ...]`` never deploys and is not checked (cfn-lint: W1028)."""
    text = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Size: {Type: String, Default: small}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Big: !Equals [!Ref Size, big]
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Condition: IsProd
    DependsOn: Other
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Name: c
      ConnectInstanceId: i-1
      ChannelSubtypeConfig:
        Telephony:
          Capacity: !If [IsProd, 0.5, 1.5]
          ConnectQueueId: q
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig: {ConnectContactFlowId: f, RingTimeout: !If [Big, 5, 30]}
"""
    found = {(f["rule"], f["line"], f["column"]) for f in lint(text, "t.yaml").json()["findings"]
             if f["rule"].startswith("CC10")}
    assert found == {("CC105", 22, 83)}  # the other condition's branches are still both checked


def test_intrinsic_whose_type_is_known_in_the_wrong_place_is_reported_like_cfn_lint(lint):
    """A Ref to a String or Number parameter, Fn::Sub, Fn::Join and Fn::ImportValue are
    strings, a Ref to a CommaDelimitedList parameter a list, whatever their value: one where
    the schema wants something else fails the deploy (cfn-lint E1016/E1019/E1020/E1022).
    A Ref to a resource and Fn::GetAtt may be anything: nothing is said about them."""
    text = """\
Parameters:
  P: {Type: String}
  N: {Type: Number}
  L: {Type: CommaDelimitedList}
Resources:
  Q:
    Type: AWS::SQS::Queue
  Camp:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: !Ref L
      ConnectInstanceId: !Ref N
      ChannelSubtypeConfig:
        Telephony:
          Capacity: !Ref P
          OutboundMode: !Sub "x${P}"
          DefaultOutboundConfig: !Join ["", [a, !Ref P]]
        Sms: !Ref Q
        Email: !GetAtt Q.Arn
        WhatsApp: !ImportValue foo
      CommunicationTimeConfig:
        LocalTimeZoneConfig:
          DefaultTimeZone: !Ref P
          LocalTimeZoneDetection: !Ref P
        Telephony:
          OpenHours:
            DailyHours: !Ref L
        Sms:
          OpenHours:
            DailyHours: [!Ref N]
      Tags: !Ref P
"""
    every = lint(text, "t.yaml").json()["findings"]
    findings = [f for f in every if f["rule"] == "CC103"]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [
        ("CC103", 11, 13), ("CC103", 16, 25), ("CC103", 17, 34), ("CC103", 20, 19),
        ("CC103", 24, 35), ("CC103", 30, 26), ("CC103", 31, 13)]
    # and what no unknown value can change: the members the resource does not have (an Email
    # window: Email from Fn::GetAtt is configured whatever it holds; WhatsApp, a string, is CC103's)
    assert sorted((f["rule"], f["line"]) for f in every if f["rule"] != "CC103") == [
        ("CC206", 19), ("CC210", 11), ("CC501", 11)]
    by_line = {f["line"]: f["message"] for f in findings}
    assert by_line[11] == "Name must be a string; parameter L is a list"
    assert by_line[16] == "OutboundMode must be an object; Fn::Sub value is a string"
    assert by_line[31] == "Tags must be a list; parameter P is a string"
    assert not any("\u2047" in f["message"] for f in findings)


def test_numbers_and_booleans_written_as_strings_are_converted_as_cloudformation_does(lint):
    """CloudFormation converts "0.5", "30" and "true" to the schema's number, integer and
    boolean (cfn-lint accepts them): no type error, and the converted value is checked."""
    text = """\
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      ChannelSubtypeConfig:
        Telephony:
          Capacity: "0.5"
          ConnectQueueId: q
          OutboundMode: {ProgressiveConfig: {BandwidthAllocation: "1.5"}}
          DefaultOutboundConfig:
            ConnectContactFlowId: f
            RingTimeout: "30"
            AnswerMachineDetectionConfig: {EnableAnswerMachineDetection: "true", AwaitAnswerMachinePrompt: "no"}
"""
    findings = [f for f in lint(text, "t.yaml").json()["findings"] if f["rule"].startswith("CC10")]
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("CC105", 11, 67), ("CC103", 15, 108)]
    assert findings[0]["message"] == "BandwidthAllocation 1.5 is above the maximum 1"


def test_two_tags_with_one_key_are_reported(lint):
    """Tags [{Key: team, Value: a}, {Key: team, Value: b}]: CloudFormation refuses a Key given
    twice (cfn-lint E3024); the tag map of the API shape would silently keep one of them."""
    text = (CFN / "clean" / "outbound-campaigns.yaml").read_text()
    assert "        - {Key: team, Value: collections}\n" in text
    text = text.replace("        - {Key: team, Value: collections}\n",
                        "        - {Key: team, Value: collections}\n        - {Key: team, Value: sales}\n")
    [finding] = [f for f in lint(text, "t.yaml").json()["findings"] if f["severity"] == "error"]
    line = text.splitlines().index("        - {Key: team, Value: sales}") + 1
    assert (finding["rule"], finding["line"], finding["column"]) == ("CC104", line, 17)
    assert finding["message"] == 'Tags[2] has the Key "team" of Tags[1]; CloudFormation refuses a Key given twice'


def test_finding_inside_a_value_an_intrinsic_gives_points_at_the_intrinsic(lint):
    """An item of the list an Fn::Split gives has no place of its own in the template: its
    finding is at the intrinsic (as cfn-lint's W1033), never at the resource's first line."""
    text = """\
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      CommunicationTimeConfig:
        LocalTimeZoneConfig:
          LocalTimeZoneDetection: !Split [",", "ZIP_CODE,AREA_CODEX"]
"""
    [finding] = findings_of(lint(text, "t.yaml"), "CC104")
    assert (finding["line"], finding["column"]) == (9, 35)
    assert finding["pointer"] == "/Resources/C/Properties/CommunicationTimeConfig/LocalTimeZoneConfig/LocalTimeZoneDetection"


def test_no_echo_parameter_value_is_never_shown(lint):
    """A NoEcho parameter is masked by CloudFormation everywhere it would be shown: its value
    (a --parameter from a secrets store, or its Default) is never quoted in a finding."""
    text = """\
Parameters:
  Zone: {Type: String, NoEcho: true, Default: Secret/Zone-1234}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: !Ref Zone}
"""
    for extra in ((), ("--parameter", "Zone=Other/Secret-99")):
        run = lint(text, "t.yaml", *extra)
        assert "Secret" not in run.out and findings_of(run, "CC309") == []


def test_repeated_items_do_not_hide_other_defects_inside_the_list(lint):
    """Tags holding the same aws: tag twice are two defects: the repeat (CloudFormation) and
    the reserved prefix (the API); cfn-lint reports both (E3037, E3024)."""
    text = """\
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      Tags:
        - {Key: "aws:x", Value: v}
        - {Key: "aws:x", Value: v}
"""
    found = {(f["rule"], f["line"]) for f in lint(text, "t.yaml").json()["findings"] if f["rule"].startswith("CC1")}
    assert found == {("CC104", 8), ("CC107", 8)}


def test_a_day_key_from_a_parameter_says_so(lint):
    """The finding on a DailyHours Key (or Tags item) taken from a parameter says which
    value was used, as the finding on any other value does."""
    text = """\
Parameters:
  Day: {Type: String, Default: Monday}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: America/New_York}
        Telephony:
          OpenHours:
            DailyHours:
              - Key: !Ref Day
                Value: [{StartTime: T09:00, EndTime: T17:00}]
      Tags:
        - !Ref Day
"""
    messages = {f["line"]: f["message"] for f in lint(text, "t.yaml").json()["findings"] if f["rule"] < "CC2"}
    assert messages[14].endswith("(with the default of parameter Day)"), messages
    assert messages[17].endswith("(with the default of parameter Day)"), messages


@pytest.mark.parametrize("content", [
    '[{"ParameterKey": "Zone", "ParameterValue": {"a": 1}}]',
    '[{"ParameterKey": "Zone", "ParameterValue": null}]',
    '{"Parameters": {"Zone": {"Ref": "X"}}}',
    '{"Parameters": {"Zone": [["nested"]]}}',
])
def test_parameter_value_that_is_no_text_is_a_usage_error_naming_file_and_key(lint, tmp_path, content):
    """CloudFormation takes parameter values as text: an object or null in a parameters file
    is a mistake to report (one line, the file and the key), not a value to lint."""
    bad = tmp_path / "params.json"
    bad.write_text(content)
    run = lint(PARAMETERS, "t.yaml", "--parameters-file", str(bad))
    assert run.code == 2 and run.out == "", run.out
    [line] = run.err.strip().splitlines()
    assert "params.json" in line and "Zone" in line and "Traceback" not in line


def test_suppression_tag_with_an_unknown_value_suppresses_nothing_and_says_so(lint):
    """Tags: [{Key: campaign-lint:ignore, Value: !Ref Codes}]: the codes are not known before
    deploy, so nothing is suppressed; one CC011 says so (no internal text in any message)."""
    text = """\
Parameters:
  Codes: {Type: String}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: i
      Tags:
        - {Key: "campaign-lint:ignore", Value: !Ref Codes}
"""
    run = lint(text, "t.yaml")
    assert "\u2047" not in run.out
    [warning] = findings_of(run, "CC011")
    assert (warning["line"], warning["column"]) == (10, 48)
    assert warning["message"] == ("the campaign-lint:ignore tag's value is not known before deploy (parameter "
                                  "Codes): it suppresses nothing; write the rule ids themselves")
    assert findings_of(run, "CC205") and not any(f.get("suppressed") for f in run.json()["findings"])


def test_ref_to_a_string_parameter_with_a_number_default_is_a_string(lint):
    """``Default: 12345`` of a String parameter is the text "12345" when referenced (YAML
    reads it as a number; CloudFormation passes text): no 'must be a string'."""
    text = """\
Parameters:
  Q: {Type: String, Default: 12345}
  Flag: {Type: String, Default: true}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: !Ref Q
      ConnectInstanceId: i
      ChannelSubtypeConfig:
        Telephony:
          Capacity: 0.5
          ConnectQueueId: !Ref Q
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectContactFlowId: f
            AnswerMachineDetectionConfig: {EnableAnswerMachineDetection: !Ref Flag}
"""
    assert [f for f in lint(text, "t.yaml").json()["findings"] if f["rule"].startswith("CC1")] == []


# --- conditions that depend on each other ------------------------------------------------------

TWO_CHANNELS = """\
Parameters:
  Env: {{Type: String{allowed}, Default: dev}}
Conditions:
{conditions}
Resources:
  Reminders:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: reminders
      ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
      ChannelSubtypeConfig:
        Telephony: !If
          - Voice
          - OutboundMode: {{AgentlessConfig: {{}}}}
            DefaultOutboundConfig: {{ConnectContactFlowId: f, ConnectSourcePhoneNumber: "+12025550143"}}
          - !Ref AWS::NoValue
        Sms: !If
          - Texts
          - OutboundMode: {{AgentlessConfig: {{}}}}
            DefaultOutboundConfig:
              ConnectSourcePhoneNumberArn: arn:aws:connect:us-east-1:123456789012:phone-number/5e6f7a8b
              WisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/kb/tpl
          - !Ref AWS::NoValue
"""


@pytest.mark.parametrize("conditions, allowed, no_channel", [
    # "prod calls, the rest texts": never neither (was a CC108 error on a correct template)
    ("  Voice: !Equals [!Ref Env, prod]\n  Texts: !Not [!Condition Voice]", "", False),
    ("  Voice: !Equals [prod, !Ref Env]\n  Texts: !Not [!Equals [!Ref Env, prod]]", "", False),
    # two values of one parameter: neither holds for a third value, unless none is allowed
    ("  Voice: !Equals [!Ref Env, prod]\n  Texts: !Equals [!Ref Env, dev]", "", True),
    ("  Voice: !Equals [!Ref Env, prod]\n  Texts: !Equals [!Ref Env, dev]", ", AllowedValues: [dev, prod, test]", True),
    ("  Voice: !Equals [!Ref Env, prod]\n  Texts: !Equals [!Ref Env, dev]", ", AllowedValues: [dev, prod]", False),
    ("  Voice: !Or [!Equals [!Ref Env, prod], !Equals [!Ref Env, test]]\n"
     "  Texts: !And [!Not [!Condition Voice], !Equals [!Ref Env, dev]]", ", AllowedValues: [dev, prod, test]", False),
    # conditions on two parameters are independent: both false can deploy
    ("  Voice: !Equals [!Ref Env, prod]\n  Texts: !Equals [!Ref AWS::Region, us-east-1]", "", True),
])
def test_only_branches_that_can_deploy_together_are_checked(lint, conditions, allowed, no_channel):
    text = TWO_CHANNELS.format(conditions=conditions, allowed=allowed)
    assert bool(findings_of(lint(text, "stack.yaml"), "CC108")) == no_channel
    # a given value decides: Env=staging (allowed or not, as given) opens neither channel
    # for two values of one parameter; prod always opens one
    if "Texts: !Equals [!Ref Env, dev]" in conditions and "AllowedValues" not in allowed:
        assert findings_of(lint(text, "stack.yaml", "--parameter", "Env=staging"), "CC108")
    assert not findings_of(lint(text, "stack.yaml", "--parameter", "Env=prod"), "CC108")


_ENV_VALUES = ["dev", "prod", "test"]
_ATOMS = st.one_of(
    st.builds(lambda p, v: {"Fn::Equals": [{"Ref": p}, v]}, st.sampled_from(["A", "B"]), st.sampled_from(_ENV_VALUES)),
    st.builds(lambda v, p: {"Fn::Equals": [v, {"Ref": p}]}, st.sampled_from(_ENV_VALUES), st.sampled_from(["A", "B"])),
    st.just({"Fn::Equals": [{"Ref": "A"}, {"Ref": "B"}]}))
_EXPRESSIONS = st.recursive(_ATOMS, lambda inner: st.one_of(
    st.builds(lambda x: {"Fn::Not": [x]}, inner),
    st.builds(lambda xs: {"Fn::And": xs}, st.lists(inner, min_size=2, max_size=3)),
    st.builds(lambda xs: {"Fn::Or": xs}, st.lists(inner, min_size=2, max_size=3))), max_leaves=5)


def _truth(node, values):
    """A plain two-valued reading of a condition, for the oracle below."""
    (key, argument), = node.items()
    if key == "Fn::Equals":
        left, right = (values[side["Ref"]] if isinstance(side, dict) else side for side in argument)
        return left == right
    if key == "Fn::Not":
        return not _truth(argument[0], values)
    parts = [_truth(item, values) for item in argument]
    return all(parts) if key == "Fn::And" else any(parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(_EXPRESSIONS, min_size=1, max_size=3), st.lists(st.sampled_from(_ENV_VALUES), min_size=1, unique=True),
       st.lists(st.sampled_from(_ENV_VALUES), min_size=1, unique=True))
def test_the_assignments_kept_are_exactly_those_some_allowed_values_give(expressions, allowed_a, allowed_b):
    from campaign_lint.sources.cloudformation import variants
    from campaign_lint.sources.conditions import ConditionLogic

    names = [f"C{i}" for i in range(len(expressions))]
    template = {"Parameters": {"A": {"Type": "String", "AllowedValues": allowed_a},
                               "B": {"Type": "String", "AllowedValues": allowed_b}},
                "Conditions": dict(zip(names, expressions, strict=True))}
    realized = {tuple(_truth(e, {"A": a, "B": b}) for e in expressions) for a in allowed_a for b in allowed_b}
    logic = ConditionLogic(template, {}, lambda name: None)
    logic.possible(variants(names[-1:]))  # an earlier resource asked about one of them: no matter
    kept = logic.possible(variants(names))
    assert {tuple(assignment[name] for name in names) for assignment in kept} == realized


def _large_condition(size: int, resources: int) -> dict:
    """A template whose condition Big compares 8 parameters in ``size`` Fn::Equals, and
    ``resources`` campaign resources that each use it and a condition of their own."""
    parameters = {f"P{i}": {"Type": "String"} for i in range(8)} | {f"Q{k}": {"Type": "String"} for k in range(resources)}
    conditions = {"Big": {"Fn::Or": [{"Fn::Equals": [{"Ref": f"P{i % 8}"}, "v"]} for i in range(size)]}}
    conditions |= {f"C{k}": {"Fn::Equals": [{"Ref": f"Q{k}"}, "x"]} for k in range(resources)}
    return {"Parameters": parameters, "Conditions": conditions}


def test_one_large_condition_is_evaluated_once_for_all_resources_that_use_it():
    # Big was evaluated again under each valuation of each resource (the memo held whole
    # valuations, and each resource adds a parameter of its own): 20 resources took 70 s
    from campaign_lint.sources.cloudformation import variants
    from campaign_lint.sources.conditions import ConditionLogic

    logic = ConditionLogic(_large_condition(500, 20), {}, lambda name: None)
    assert logic.possible(variants(["Big", "C0"])) == variants(["Big", "C0"])  # each can be either
    first = logic._work
    for k in range(1, 20):
        assert logic.possible(variants(["Big", f"C{k}"])) == variants(["Big", f"C{k}"])
    assert logic._work < 2 * first


def test_a_condition_too_large_to_evaluate_keeps_every_branch():
    from campaign_lint.sources.cloudformation import variants
    from campaign_lint.sources.conditions import MAX_CONDITION_WORK, ConditionLogic

    logic = ConditionLogic(_large_condition(20_000, 1), {}, lambda name: None)  # 256 valuations of it
    assert logic.possible(variants(["Big", "C0"])) == variants(["Big", "C0"])
    assert logic._work <= MAX_CONDITION_WORK + 1
    assert logic.possible(variants(["Big"])) == variants(["Big"])  # later resources: no work at all
    assert logic._work <= MAX_CONDITION_WORK + 1


def test_a_shortened_value_in_a_message_is_quoted_as_written_not_renamed(lint):
    # CC208 quoted "arn:aws:Sms-voice:...": a value cut at 60 characters had no closing quote,
    # so the source renamed the API word "sms" inside it to CloudFormation's "Sms"
    arn = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef"
    text = email_campaign("x@example.com").replace("Email:", "Sms:").replace(
        "ConnectSourceEmailAddress: x@example.com", f"ConnectSourcePhoneNumberArn: {arn}")
    [finding] = findings_of(lint(text, "stack.yaml"), "CC208")
    assert f'ConnectSourcePhoneNumberArn "{arn[:55]}..."' in finding["message"]


@given(st.text(max_size=120), st.integers(min_value=8, max_value=80))
def test_a_quoted_string_is_always_one_closed_json_string_within_its_limit(text, limit):
    from campaign_lint.model import quote

    quoted = quote(text, limit)
    assert len(quoted) <= limit
    read = json.loads(quoted)  # one whole JSON string: no escape cut in half ("\u001...")
    assert read == text or (read.endswith("...") and text.startswith(read[:-3]))


@given(st.lists(st.one_of(st.text(max_size=20), st.integers()), max_size=12), st.integers(min_value=8, max_value=80))
def test_a_shortened_list_never_ends_inside_an_escape(items, limit):
    from campaign_lint.model import quote

    quoted = quote(items, limit)
    assert len(quoted) <= limit
    # the whole text as quote writes it: JSON, with no line break raw (U+0085, U+2028, U+2029)
    whole = json.dumps(items, ensure_ascii=False).translate({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"})
    if quoted.endswith("...") and len(whole) > limit:
        start = quoted[:-3]
        assert whole.startswith(start)
        # every backslash starts a whole escape ("\u001" cut short was shown before "...")
        assert re.fullmatch(r'(?:[^\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*', start)


def test_the_owner_tag_advice_is_worded_for_any_source(lint):
    # CC209 said "add tags.owner = ..." in API terms to template and plan users
    [finding] = findings_of(lint(ONE_CAMPAIGN, "stack.yaml"), "CC209")
    assert finding["message"].endswith("add the tag owner = arn:aws:connect:REGION:ACCOUNT:instance/i-1")


# --- the review of the loop and condition reading: bounded work, every branch that can deploy ---

def _json_template(resources: dict, parameters: dict | None = None, conditions: dict | None = None) -> str:
    return json.dumps({"Transform": "AWS::LanguageExtensions", "Parameters": parameters or {},
                       "Conditions": conditions or {}, "Resources": resources})


def _check_bounded(tmp_path, text: str, *extra: str):
    """The CLI in a fresh interpreter, which must finish within a minute (each case took
    minutes or gigabytes before the fix; finishing at all is what is checked)."""
    from .conftest import run_process

    (tmp_path / "t.json").write_text(text)
    run = run_process("check", "--isolated", "--no-cache", "--today", TODAY, "--format", "json", *extra, "t.json",
                      cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_conditions_that_refer_to_each_other_are_read_once_and_a_cycle_fits_either_value(tmp_path):
    # a cycle hung the run (killed at 60 s); a chain of 7 conditions, each an And of 10
    # references to the one before, took 99 s: each condition is now evaluated once per value
    chain = {"C0": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
    chain.update({f"C{i}": {"Fn::And": [{"Condition": f"C{i - 1}"}] * 10} for i in range(1, 13)})
    chain["Loop"] = {"Fn::Or": [{"Condition": "Loop"}] * 9 + [{"Fn::Equals": [{"Ref": "Env"}, "prod"]}]}
    resource = {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
        "Name": {"Fn::If": ["C12", "a", "b"]}, "ConnectInstanceId": "i-1",
        "ChannelSubtypeConfig": {"Telephony": {"Fn::If": ["Loop", {"Capacity": 7}, {"Capacity": 8}]}}}}
    report = _check_bounded(tmp_path, _json_template({"C": resource}, {"Env": {"Type": "String"}}, chain))
    capacities = sorted(f["message"].split()[1] for f in report["findings"] if f["rule"] == "CC105")
    assert capacities == ["7", "8"]  # the cycle is unknown: both of its branches are checked


def test_a_boolean_allowed_value_is_the_text_cloudformation_compares(lint):
    # AllowedValues: [true, false] read as "True"/"False": "EnableSms = true" never held, so the
    # SMS branch (capacity 1.5) was never checked
    text = TWO_CHANNELS.format(conditions='  Voice: !Equals [!Ref Env, "false"]\n  Texts: !Equals [!Ref Env, "true"]',
                               allowed=", AllowedValues: [true, false]").replace("Default: dev", "Default: false")
    text = text.replace("        Sms: !If\n          - Texts\n          - OutboundMode:",
                        "        Sms: !If\n          - Texts\n          - Capacity: 1.5\n            OutboundMode:")
    assert [f["message"] for f in findings_of(lint(text, "stack.yaml"), "CC105")] == [
        "Capacity 1.5 is above the maximum 1"]
    assert not findings_of(lint(text, "stack.yaml"), "CC108")  # never neither channel


def test_nested_loops_with_an_unknown_inner_collection_stop_and_say_so(tmp_path):
    # four loops of 40 values around a loop over a parameter without a value: 184 s and 4.3 GB
    def loop(level: int) -> dict:
        if level == 4:
            inner = {"C${L0}${L1}${L2}${L3}${Team}": {"Type": "AWS::ConnectCampaignsV2::Campaign",
                                                       "Properties": {"Name": "x"}}}
            return {"Fn::ForEach::Teams": ["Team", {"Ref": "Unknown"}, inner]}
        return {f"Fn::ForEach::L{level}": [f"L{level}", [f"v{i}" for i in range(40)], loop(level + 1)]}

    report = _check_bounded(tmp_path, _json_template(loop(0), {"Unknown": {"Type": "CommaDelimitedList"}}))
    said = sorted(f["message"] for f in report["findings"] if f["rule"] == "CC002")
    assert said == [
        "Fn::ForEach::L0: its loops take more than 5000 iterations in all: the rest are not checked",
        "campaign resources inside Fn::ForEach::Teams (AWS::LanguageExtensions) are not expanded here "
        "(its collection is not a list known here): they are not checked"]


#: a campaign resource a loop over ``Team`` makes (``Camp${Team}``)
TEAM_CAMPAIGN = {"Type": "AWS::ConnectCampaignsV2::Campaign",
                 "Properties": {"Name": {"Fn::Sub": "renewals-${Team}"}, "ConnectInstanceId": "i-1"}}


def _loop_duplicate(lint, resources: dict, campaigns: int) -> dict:
    """The one CC004 of a template of ``resources``, which fails the run and holds ``campaigns``."""
    run = lint(_json_template(resources), "t.json")
    report = run.json()
    assert report["summary"]["campaigns"] == campaigns and run.code == 1
    [finding] = [f for f in report["findings"] if f["rule"] == "CC004"]
    assert finding["severity"] == "error"
    return finding


def test_a_logical_id_that_nested_loops_or_a_plain_resource_already_have_is_checked_once(lint):
    # Camp${Team} inside a loop over regions made Campa and Campb twice (4 campaigns, CC602 about
    # themselves); a loop-made id equal to a plain resource's was checked twice without a word
    inner = {"Fn::ForEach::Inner": ["Team", ["a", "b", "c"], {"Camp${Team}": TEAM_CAMPAIGN}]}
    plain = dict(TEAM_CAMPAIGN, Properties={"Name": "plain", "ConnectInstanceId": "i-1"})
    text = _json_template({"Campc": plain, "Fn::ForEach::Outer": ["Region", ["east", "west"], inner]})
    report = lint(text, "t.json").json()
    assert report["summary"]["campaigns"] == 3  # Campc (plain), Campa, Campb
    assert not [f for f in report["findings"] if f["rule"] == "CC602"]
    # the transform refuses the template, so the stack does not deploy: an error (was a CC002 info,
    # which let CI pass a template that cannot deploy), as CC004 is for a key given twice
    said = sorted((f["rule"], f["severity"], f["message"]) for f in report["findings"] if f["rule"] in ("CC002", "CC004"))
    assert said == [("CC004", "error", f'Fn::ForEach::Inner makes the logical id "{name}" a second time, which the '
                     "AWS::LanguageExtensions transform refuses, so the stack does not deploy; give each resource a "
                     "logical id of its own (that campaign is checked once here)")
                    for name in ("Campa", "Campb", "Campc")]
    assert lint(text, "t.json").code == 1


def test_a_loop_making_the_logical_id_of_another_resource_is_cc004_and_its_campaign_checked(lint):
    # a plain CloudWatch alarm "Campa" and a loop making Camp${Team} over [a, b]: the transform
    # refuses the template (cfn-lint: E0001 ... Duplicate Campa); the loop's Campa was checked
    # without a word (helper-52)
    alarm = {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": "calls"}}
    finding = _loop_duplicate(lint, {"Campa": alarm, "Fn::ForEach::Teams": ["Team", ["a", "b"], {"Camp${Team}": TEAM_CAMPAIGN}]}, 2)
    assert finding["message"] == (
        'Fn::ForEach::Teams makes the logical id "Campa", which another resource of the template has, and the '
        "AWS::LanguageExtensions transform refuses that, so the stack does not deploy; give each resource a "
        "logical id of its own")


def test_a_loop_listing_a_value_twice_is_cc004_and_its_campaign_checked_once(lint):
    # [a, b, a]: the loop makes Campa twice, which the transform refuses (cfn-lint: E0001 ...
    # Duplicate Campa); the repeated value was dropped without a word
    finding = _loop_duplicate(lint, {"Fn::ForEach::Teams": ["Team", ["a", "b", "a"], {"Camp${Team}": TEAM_CAMPAIGN}]}, 2)
    assert finding["message"] == (
        'Fn::ForEach::Teams lists "a" twice in its collection, so it makes its logical ids a second time, which '
        "the AWS::LanguageExtensions transform refuses, so the stack does not deploy; list each value once "
        "(its campaigns are checked once here)")


def test_a_branch_is_kept_whichever_resource_compares_the_parameter_first(lint):
    # the values tried for Env were fixed by the first resource's conditions (prod, other): the
    # second resource's IsStaging then never held and its capacity 1.5 went unreported
    telephony = "{ConnectQueueId: q, OutboundMode: {AgentlessConfig: {}}, DefaultOutboundConfig: {ConnectContactFlowId: f}"
    resources = {
        "ProdOnly": f"    Condition: IsProd\n    Properties: {{Name: prod-only, ConnectInstanceId: i-1, "
                    f"ChannelSubtypeConfig: {{Telephony: {telephony}, Capacity: 0.5}}}}}}\n",
        "Shared": f"    Properties: {{Name: shared, ConnectInstanceId: i-1, "
                  f"ChannelSubtypeConfig: {{Telephony: {telephony}, Capacity: !If [IsStaging, 1.5, 0.5]}}}}}}\n"}
    head = ("Parameters: {Env: {Type: String, Default: dev}}\n"
            "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsStaging: !Equals [!Ref Env, staging]\nResources:\n")
    for order in (["ProdOnly", "Shared"], ["Shared", "ProdOnly"]):
        text = head + "".join(f"  {name}:\n    Type: AWS::ConnectCampaignsV2::Campaign\n{resources[name]}"
                              for name in order)
        found = findings_of(lint(text, "stack.yaml", "--select", "CC105"), "CC105")
        assert [f["campaign"]["name"] for f in found] == ["shared"], order


def test_a_loop_made_campaign_named_like_another_kind_of_resource_is_still_checked(lint):
    campaign = {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
        "Name": {"Fn::Sub": "renewals-${Team}"}, "ConnectInstanceId": "i-1",
        "ChannelSubtypeConfig": {"Telephony": {"Capacity": 1.5}}}}
    text = _json_template({"Campb": {"Type": "AWS::SNS::Topic"},
                           "Fn::ForEach::Teams": ["Team", ["a", "b"], {"Camp${Team}": campaign}]})
    found = findings_of(lint(text, "t.json", "--select", "CC105"), "CC105")
    assert sorted(f["campaign"]["name"] for f in found) == ["renewals-a", "renewals-b"]


# --- an unknown object or list hides only the findings whose rule read it ---------------------

KNOWN_IN_PART = """\
Parameters:
  ExtraDay: {Type: String, AllowedValues: [SATURDAY, SUNDAY]}
  InstanceId: {Type: String}
Resources:
  C:
    Type: AWS::ConnectCampaignsV2::Campaign
    Metadata:
      campaign-lint:
        ignore: [CC209]
    Properties:
      Name: c
      ConnectInstanceId: !Ref InstanceId
      ChannelSubtypeConfig:
        Telephony:
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectContactFlowId: f
      CommunicationTimeConfig:
        LocalTimeZoneConfig:
          DefaultTimeZone: America/Chicago
        Telephony:
          OpenHours:
            DailyHours:
              - Key: MONDAY
                Value: [{StartTime: T09:00, EndTime: T12:00}, {StartTime: T11:00, EndTime: T20:00}]
              - Key: !Ref ExtraDay
                Value: [{StartTime: T09:00, EndTime: T10:00}]
"""


def test_a_day_whose_key_is_a_parameter_leaves_the_known_days_checked(lint):
    # the unknown Key made every finding at the top two levels, and every one inside the
    # day map, disappear: the MONDAY overlap and the missing caller id passed
    report = lint(KNOWN_IN_PART, "stack.yaml").json()
    found = {f["rule"]: f for f in report["findings"]}
    line = KNOWN_IN_PART.splitlines().index(
        "                Value: [{StartTime: T09:00, EndTime: T12:00}, {StartTime: T11:00, EndTime: T20:00}]") + 1
    assert (found["CC301"]["line"], found["CC301"]["message"]) == (
        line, "Telephony MONDAY range T11:00-T20:00 overlaps T09:00-T12:00; merge them or make them meet end-to-start")
    assert "CC201" in found
    # legal hours: the known day's ranges are checked (they were hidden too), the unknown
    # day's (09:00 Chicago is 07:00 in Los Angeles) cannot be
    policy = lint(KNOWN_IN_PART.replace("T11:00, EndTime: T20:00", "T12:00, EndTime: T20:00"), "stack.yaml",
                  "--policy", "us-tcpa").json()
    outside = [f for f in policy["findings"] if f["rule"] == "CC701"]
    assert len(outside) == 2 and all(f["message"].startswith("Telephony MONDAY ") and f["line"] == line
                                     for f in outside)


def test_a_suppression_of_a_finding_about_an_unknown_value_is_not_called_unused(lint):
    # CC011 told the user to remove a Metadata ignore the deployed campaign needs
    # (CC209 quotes the instance id, a parameter without a default)
    report = lint(KNOWN_IN_PART, "stack.yaml").json()
    assert "CC011" not in {f["rule"] for f in report["findings"]}
    given = lint(KNOWN_IN_PART, "stack.yaml", "--parameter", "InstanceId=abc").json()
    assert given["summary"]["suppressed"] == 1 and "CC011" not in {f["rule"] for f in given["findings"]}
    unneeded = KNOWN_IN_PART.replace("ignore: [CC209]", "ignore: [CC209, CC305]")
    [unused] = findings_of(lint(unneeded, "stack.yaml"), "CC011")
    assert "CC305" in unused["message"]


# --- bounded work: what a small hostile template cannot make the linter do ---------------------


def test_nested_fn_sub_that_would_make_billions_of_characters_is_unknown(lint):
    # three levels of 300 references: 2.7 billion characters, a MemoryError after 28 s at 2.7 GB
    value: object = "x" * 100
    for name in "abc":
        value = {"Fn::Sub": ["${%s}" % name * 300, {name: value}]}
    properties = {"Name": value, "ConnectInstanceId": "i-1"}
    text = json.dumps({"Resources": {"Camp": {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": properties}}})
    report = lint(text, "stack.json").json()
    assert report["summary"]["campaigns"] == 1
    assert not [f for f in report["findings"] if "Name" in f["message"]]  # unknown: nothing said of it
    joined = {"Fn::Join": ["", [value["Fn::Sub"][1]["c"]] * 2]}  # 2 x 9 million characters
    properties["Name"] = joined
    assert lint(json.dumps({"Resources": {"Camp": {"Type": "AWS::ConnectCampaignsV2::Campaign",
                                                   "Properties": properties}}}), "stack.json").code in (0, 1)


@pytest.mark.parametrize("order", [range(600), range(599, -1, -1)])
def test_a_long_chain_of_conditions_is_read_without_stopping_the_run(lint, order):
    # 600 conditions naming the next one: RecursionError, an internal error that lost every
    # other file's findings; past 64 links the chain fits either value, as a cycle does
    lines = [f"  C{i}: {{Condition: C{i + 1}}}" for i in order]
    text = ("Parameters:\n  P: {Type: String}\nResources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n"
            "    Properties: {Name: c, ConnectInstanceId: !If [C0, i-1, \"not an id!\"]}\nConditions:\n"
            + "\n".join(lines) + "\n  C600: !Equals [!Ref P, x]\n")
    run = lint(text, "stack.yaml")
    assert run.code in (0, 1) and "internal error" not in run.err
    assert run.json()["summary"]["campaigns"] == 1
    assert "CC107" in run.rules()  # the second branch is checked too


def test_loops_that_read_too_much_stop_and_say_so(lint):
    # an inner loop over one list of 100,000 items was read again for each of 1,000 outer
    # values: 197 s for a 204 KB template
    resource = {"Type": "AWS::ConnectCampaignsV2::Campaign"}
    inner = {"Fn::ForEach::In": ["J", [[0] * 20_000], {"X": resource}]}
    outer = ["Id", {"Fn::Split": [",", ",".join(map(str, range(1000)))]}, inner]
    report = lint(json.dumps({"Resources": {"Fn::ForEach::L": outer}}), "stack.json").json()
    messages = [f["message"] for f in report["findings"] if f["rule"] == "CC002"]
    assert any(m.startswith("Fn::ForEach::L: its loops read more than 200,000 collection values") for m in messages)
    assert report["summary"]["notChecked"] >= 1 and report["summary"]["campaigns"] == 0


def test_a_malformed_loop_deep_in_a_fragment_is_still_said_not_to_be_expanded(lint):
    # only loop fragments are searched for campaign resources now; a malformed loop is read whole
    resource = {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {"Name": "c", "ConnectInstanceId": "i-1"}}
    malformed = {"Fn::ForEach::In": ["J", {"X${J}": resource}]}  # no collection
    report = lint(json.dumps({"Resources": {"Fn::ForEach::L": ["Id", ["a", "b"], malformed]}}), "stack.json").json()
    [finding] = [f for f in report["findings"] if f["rule"] == "CC002"]
    assert "Fn::ForEach::In" in finding["message"] and "a loop is [identifier, collection" in finding["message"]


# --- the review of read tracking: each channel on its own, any kind of check ------------------

def test_an_unknown_day_in_one_channel_hides_nothing_of_another_channel(lint):
    # reads piled up over a rule's whole run: after the telephony window's unknown day, the
    # email window's overlap was dropped too
    email = """\
        Email:
          OpenHours:
            DailyHours:
              - Key: MONDAY
                Value: [{StartTime: T09:00, EndTime: T12:00}, {StartTime: T11:00, EndTime: T20:00}]
"""
    text = KNOWN_IN_PART.replace("T11:00, EndTime: T20:00}]\n              - Key: !Ref ExtraDay",
                                 "T12:00, EndTime: T20:00}]\n              - Key: !Ref ExtraDay") + email
    [overlap] = findings_of(lint(text, "stack.yaml"), "CC301")
    assert overlap["message"].startswith("Email MONDAY range T11:00-T20:00 overlaps")


_PLUGIN_DOC = '''    """No cost-center tag.

    Fails:

        name: x

    Passes:

        name: x
        tags: {cost-center: a}
    """'''
#: two plugin rules that read the tags: one returns a list, one reads campaign.raw
PLUGIN = (
    "from campaign_lint.model import as_mapping\nfrom campaign_lint.rule import Problem, rule\n\n"
    f"@rule('ACME001', 'cost-center-listed', 'warning')\ndef listed(campaign, context):\n{_PLUGIN_DOC}\n"
    "    missing = 'cost-center' not in as_mapping(campaign.get('/tags'))\n"
    "    return [Problem('/name', 'no cost-center tag')] if missing else []\n\n"
    f"@rule('ACME002', 'cost-center-raw', 'warning')\ndef raw(campaign, context):\n{_PLUGIN_DOC}\n"
    "    if 'cost-center' not in as_mapping(campaign.raw.get('tags')):\n"
    "        yield Problem('/name', 'no cost-center tag')\n")


def test_a_plugin_check_that_returns_a_list_or_reads_raw_is_tracked_too(tmp_path):
    # a check returning a list had read the unknown tags before the engine started to note,
    # and campaign.raw was not watched: "no cost-center tag" was reported about unknown tags
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "acme.py").write_text(PLUGIN)
    template = KNOWN_IN_PART.replace("      Name: c\n", "      Name: c\n      Tags: !GetAtt Other.Tags\n")
    (tmp_path / "stack.yaml").write_text(template)
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", "--rules-dir", str(tmp_path / "rules"),
                  str(tmp_path / "stack.yaml"))
    assert run.code in (0, 1) and not [f for f in run.json()["findings"] if f["rule"].startswith("ACME")]
    known = template.replace("      Tags: !GetAtt Other.Tags\n", "      Tags: [{Key: team, Value: a}]\n")
    (tmp_path / "stack.yaml").write_text(known)
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", "--rules-dir", str(tmp_path / "rules"),
                  str(tmp_path / "stack.yaml"))
    assert sorted(f["rule"] for f in run.json()["findings"] if f["rule"].startswith("ACME")) == ["ACME001", "ACME002"]


def test_a_loop_over_a_long_list_parameter_stops_and_says_so(lint):
    # the collection was charged as written (!Ref Big: one value), not as resolved
    values = ",".join(["v"] * 60_000)  # one value once de-duplicated: one iteration each time
    resource = {"Type": "AWS::ConnectCampaignsV2::Campaign"}
    inner = {"Fn::ForEach::In": ["J", {"Ref": "Big"}, {"X": resource}]}  # one id: no quota reached
    template = {"Parameters": {"Big": {"Type": "CommaDelimitedList", "Default": values}},
                "Resources": {"Fn::ForEach::L": ["Id", [f"o{i}" for i in range(1000)], inner]}}
    report = lint(json.dumps(template), "stack.json").json()
    assert any(f["message"].startswith("Fn::ForEach::L: its loops read more than 200,000")
               for f in report["findings"] if f["rule"] == "CC002")


def test_a_baseline_entry_for_a_finding_about_an_unknown_value_is_not_stale(tmp_path):
    # written with --parameter Zone=Mars/Base, the entry was called stale without it, and
    # rewriting the baseline as CC012 advised lost it
    text = KNOWN_IN_PART.replace("DefaultTimeZone: America/Chicago", "DefaultTimeZone: !Ref Zone").replace(
        "Parameters:\n", "Parameters:\n  Zone: {Type: String}\n")
    (tmp_path / "stack.yaml").write_text(text)
    base = ("check", "--isolated", "--today", TODAY, "--format", "json", "--select", "CC309,CC012")
    run_cli(*base, "--parameter", "Zone=Mars/Base", "--write-baseline", str(tmp_path / "bl.json"),
            str(tmp_path / "stack.yaml"), cwd=tmp_path)
    assert [e["rule"] for e in json.loads((tmp_path / "bl.json").read_text())["findings"]] == ["CC309"]
    run = run_cli(*base, "--baseline", str(tmp_path / "bl.json"), str(tmp_path / "stack.yaml"), cwd=tmp_path)
    assert run.json()["findings"] == []


def test_a_missing_owner_tag_is_reported_when_the_instance_id_is_not_known(lint):
    # the message quoted the unknown instance id, so the finding was dropped as about it
    [finding] = findings_of(lint(KNOWN_IN_PART.replace("ignore: [CC209]", "ignore: [CC305]"), "stack.yaml"), "CC209")
    assert finding["message"].endswith("add the tag owner = arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID")


# --- unknown plain values, and one day's hours not known (helper-39's differential attack) ----

def one_campaign(parameters: str, properties: str) -> str:
    """A template with these Parameters and one campaign resource ``C`` with these Properties
    (YAML lines, indented as they stand in the template)."""
    return f"Parameters:\n{parameters}Resources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n" \
           f"    Properties:\n{properties}"


SOUND = one_campaign("  FlowId: {Type: String}\n  Team: {Type: String}\n  Zone: {Type: String}\n", """\
      Name: c1
      ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
      ConnectCampaignFlowArn: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e-aaaa-bbbb-cccc-0123456789ab/contact-flow/8e2f1a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b:1
      ChannelSubtypeConfig:
        Telephony:
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectContactFlowId: !Ref FlowId
        Sms:
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectSourcePhoneNumberArn: !ImportValue shared-sms-number-arn
            WisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/a/b
      CommunicationTimeConfig:
        LocalTimeZoneConfig:
          DefaultTimeZone: America/New_York
        Telephony:
          OpenHours:
            DailyHours:
              - Key: MONDAY
                Value: !GetAtt Hours.Monday
              - Key: TUESDAY
                Value: [{StartTime: T03:00, EndTime: T05:00}, {StartTime: T04:00, EndTime: T06:00}]
      CommunicationLimitsOverride:
        AllChannelsSubtypes:
          CommunicationLimitList:
            - {MaxCountPerRecipient: 3, Frequency: 7, Unit: DAY}
      Tags:
        - {Key: team, Value: !Ref Team}
""")


def test_unknown_plain_values_and_one_unknown_day_hide_nothing_they_cannot_change(lint):
    # each of these passed: a flow id from a parameter hid the missing caller id (CC201); an
    # imported SMS number hid "SMS at any hour" (CC206); an unknown tag value hid the missing
    # owner tag (CC209); MONDAY's hours from !GetAtt hid TUESDAY's overlap and 3 a.m. calls
    report = lint(SOUND, "stack.yaml", "--policy", "us-tcpa", "--today", "2026-06-01").json()
    found = sorted((f["rule"], f["message"].split(" ")[1] if f["rule"] in ("CC301", "CC701") else "")
                   for f in report["findings"])
    assert found == [("CC201", ""), ("CC206", ""), ("CC209", ""), ("CC301", "TUESDAY"),
                     ("CC701", "TUESDAY"), ("CC701", "TUESDAY")]


SMS_SETTINGS = """\
        Sms:
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig:
            ConnectSourcePhoneNumberArn: !ImportValue shared-sms-number-arn
            WisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/a/b
"""


def test_a_channel_whose_settings_are_not_known_still_has_no_window(lint):
    # Sms: !GetAtt gave no "SMS at any hour" (CC206): the unknown settings were read as no channel
    text = SOUND.replace(SMS_SETTINGS, "        Sms: !GetAtt Numbers.Sms\n")
    report = lint(text, "stack.yaml").json()
    [finding] = [f for f in report["findings"] if f["rule"] == "CC206"]
    assert text.splitlines()[finding["line"] - 1].strip() == "Sms: !GetAtt Numbers.Sms"
    assert finding["pointer"] == "/Resources/C/Properties/ChannelSubtypeConfig/Sms"
    assert finding["message"].startswith("Sms is configured but CommunicationTimeConfig has no Sms window")
    # nothing that reads the settings is said (CC201 is the telephony channel's)
    assert sorted({f["rule"] for f in report["findings"]}) == ["CC201", "CC206", "CC209", "CC301"]
    # a window not known is a window: nothing is said of that channel's hours
    windowed = text.replace("        Telephony:\n          OpenHours:", "        Sms: !GetAtt Hours.Sms\n"
                            "        Telephony:\n          OpenHours:")
    assert "CC206" not in {f["rule"] for f in lint(windowed, "stack.yaml").json()["findings"]}


def test_a_channel_whose_settings_are_not_known_hides_no_contact_cap(lint):
    # listing the channels read the unknown Sms settings, and that hid the whole campaign's CC704
    loose = SOUND.replace("MaxCountPerRecipient: 3, Frequency: 7", "MaxCountPerRecipient: 9, Frequency: 1")
    for text in (loose, loose.replace(SMS_SETTINGS, "        Sms: !GetAtt Numbers.Sms\n")):
        [cap] = findings_of(lint(text, "stack.yaml", "--policy", "us-fl", "--today", "2026-06-01"), "CC704")
        assert cap["message"].startswith("us-fl caps contacts at 3 per 24 hours")


def test_an_unknown_zone_detection_is_set_for_every_rule(lint):
    # CC314 read LocalTimeZoneDetection: !Ref P as possibly empty (nothing said) while CC701-CC703
    # read it as set (callee-local hours); now every rule reads it as set, as [ZIP_CODE]
    def zone_findings(detection: str) -> list[tuple[str, int, str]]:
        text = SOUND.replace("Parameters:\n", "Parameters:\n  Detection: {Type: CommaDelimitedList}\n").replace(
            "          DefaultTimeZone: America/New_York\n",
            f"          DefaultTimeZone: America/New_York\n          LocalTimeZoneDetection: {detection}\n")
        report = lint(text, "stack.yaml", "--policy", "us-tcpa,us-la", "--today", "2026-06-01").json()
        return sorted((f["rule"], f["line"], f["message"]) for f in report["findings"]
                      if f["rule"] in ("CC311", "CC314") or f["rule"].startswith("CC7"))

    known = zone_findings("[ZIP_CODE]")
    assert "CC314" in {rule for rule, _, _ in known}
    assert any("callee-local time (LocalTimeZoneDetection)" in message for _, _, message in known)
    assert zone_findings("!Ref Detection") == known
    assert zone_findings("!GetAtt Zones.Detection") == known
    assert zone_findings("[]") != known  # an empty list is unset: the default zone's clock alone


def test_an_unknown_default_zone_gives_no_legal_hours_finding(lint):
    # CC701 read the unknown zone as "no usable time zone" and called 03:00 callee-local
    # hours a breach; with Zone=Asia/Tokyo there is none
    text = SOUND.replace("DefaultTimeZone: America/New_York", "DefaultTimeZone: !Ref Zone")
    report = lint(text, "stack.yaml", "--policy", "us-tcpa", "--today", "2026-06-01").json()
    assert not [f for f in report["findings"] if f["rule"].startswith("CC7")]
    assert "CC301" in {f["rule"] for f in report["findings"]}  # the overlap is one in any zone


def test_an_unknown_default_zone_leaves_the_callee_local_reading_standing(lint):
    # with localTimeZoneDetection set, 03:00 callee-local is a breach whatever the default zone
    # is; the unknown zone hid it with the default zone's reading
    text = SOUND.replace("DefaultTimeZone: America/New_York",
                         "DefaultTimeZone: !Ref Zone\n          LocalTimeZoneDetection: [ZIP_CODE]")
    report = lint(text, "stack.yaml", "--policy", "us-tcpa", "--today", "2026-06-01").json()
    found = [f["message"] for f in report["findings"] if f["rule"] == "CC701"]
    assert found and all("callee-local time (LocalTimeZoneDetection)" in message for message in found)
    assert any(message.startswith("Telephony TUESDAY T03:00-T05:00 is open at 03:00 callee-local") for message in found)
    # and the zone, whatever it is, is set beside the detection (CC314), as for a known zone
    assert "CC314" in {f["rule"] for f in report["findings"]}


def test_a_suppression_whose_rule_read_an_unknown_value_is_not_called_unused(tmp_path):
    # the CDK example accepts CC215 (event trigger with hours); with Source from !GetAtt, CC215
    # cannot say anything, and CC011 told the user to remove the suppression the deploy needs
    template = json.loads((CDK / "clean" / "RemindersStack.template.json").read_text())
    template["Resources"]["ReminderCampaignC0FFEE12"]["Properties"]["Source"] = {"Fn::GetAtt": ["Segments", "Source"]}
    (tmp_path / "stack.json").write_text(json.dumps(template, indent=1))
    run = check("--format", "json", tmp_path / "stack.json")
    assert run.code == 0 and "CC011" not in run.rules()
    # a code whose rule read nothing unknown is still reported unused
    template["Resources"]["ReminderCampaignC0FFEE12"]["Metadata"]["campaign-lint"]["ignore"] = ["CC215", "CC302"]
    (tmp_path / "stack.json").write_text(json.dumps(template, indent=1))
    [unused] = findings_of(check("--format", "json", tmp_path / "stack.json"), "CC011")
    assert "CC302" in unused["message"]


# --- one range at a time (helper-40) -----------------------------------------------------------

RANGES = one_campaign("  P: {Type: String}\n", """\
      Name: c1
      ConnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
      ChannelSubtypeConfig:
        Telephony:
          ConnectQueueId: q1
          OutboundMode: {AgentlessConfig: {}}
          DefaultOutboundConfig: {ConnectContactFlowId: f, ConnectSourcePhoneNumber: "+12025550143"}
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: America/New_York}
        Telephony:
          OpenHours:
            DailyHours:
              - Key: MONDAY
                Value:
                  - {StartTime: T14:00, EndTime: T17:00}
                  - {StartTime: !Ref P, EndTime: T20:00}
                  - {StartTime: T16:00, EndTime: T18:00}
                  - {StartTime: T03:00, EndTime: T04:00}
""")


def test_an_unknown_range_hides_nothing_of_the_other_ranges_of_its_day(lint):
    # the day was read as a whole: range 1's unknown start hid the 3 a.m. range's CC701 and the
    # overlap of range 2 with range 0, which every value of P leaves as they are
    report = lint(RANGES, "stack.yaml", "--policy", "us-tcpa", "--today", "2026-06-01").json()
    found = sorted((f["rule"], f["pointer"].rsplit("/", 1)[1]) for f in report["findings"]
                   if f["rule"] in ("CC301", "CC701"))
    assert found == [("CC301", "2"), ("CC701", "3")]


def test_a_baseline_entry_of_a_rule_that_read_an_unknown_value_is_not_stale(tmp_path):
    # CC301 skipped the range with the unknown start and found nothing: its entry, written with
    # P=T15:00, was called stale (its suppression was already not called unused)
    text = RANGES.replace("                  - {StartTime: T16:00, EndTime: T18:00}\n", "")
    (tmp_path / "stack.yaml").write_text(text)
    base = ("check", "--isolated", "--today", TODAY, "--format", "json", "--select", "CC301,CC012")
    written = run_cli(*base, "--parameter", "P=T15:00", "--write-baseline", str(tmp_path / "bl.json"),
                      str(tmp_path / "stack.yaml"), cwd=tmp_path)
    assert "wrote 1 finding to" in written.err
    run = run_cli(*base, "--baseline", str(tmp_path / "bl.json"), str(tmp_path / "stack.yaml"), cwd=tmp_path)
    assert run.json()["findings"] == []


def test_a_plugin_that_pickles_the_campaign_is_tracked_too(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "acme.py").write_text(PLUGIN.replace("campaign.raw.get('tags')",
                                                              "__import__('pickle').loads(__import__('pickle')"
                                                              ".dumps(campaign.data)).get('tags')"))
    (tmp_path / "stack.yaml").write_text(
        KNOWN_IN_PART.replace("      Name: c\n", "      Name: c\n      Tags: !GetAtt Other.Tags\n"))
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", "--rules-dir", str(tmp_path / "rules"),
                  str(tmp_path / "stack.yaml"))
    assert not [f for f in run.json()["findings"] if f["rule"].startswith("ACME")]


def test_a_value_written_like_the_unknown_mark_is_checked_as_written(lint):
    # messages quoting an unknown value are dropped by the mark they hold; a zone written as
    # that mark ("\u2047unknown 1: x\u2047") silenced CC309 in a template anyone can send
    text = one_campaign("", "      Name: c\n      ConnectInstanceId: i-1\n      CommunicationTimeConfig:\n"
                            '        LocalTimeZoneConfig: {DefaultTimeZone: "\\u2047unknown 1: x\\u2047"}\n')
    [finding] = findings_of(lint(text, "stack.yaml"), "CC309")
    assert finding["message"].startswith('DefaultTimeZone "\u2047unknown 1: x\u2047" is not an IANA time zone')


def test_a_stream_of_templates_is_parsed_twice_not_once_per_template(monkeypatch):
    # each template of a stream parsed the whole stream again for its short forms: 100
    # templates took 13 s (quadratic), and every document kept its own parse alive
    from campaign_lint.sources import files

    template = (EXAMPLES / "cloudformation" / "clean" / "outbound-campaigns.yaml").read_text()
    text = "---\n".join([template] * 30)
    calls = []
    parse = files.parse_yaml
    monkeypatch.setattr(files, "parse_yaml", lambda *args, **kwargs: calls.append(kwargs) or parse(*args, **kwargs))
    loaded = files.load_text(text, "stream.yaml", "yaml")
    assert len(calls) == 2 and calls[1].get("tag_key") is not None
    one = files.load_text(template, "one.yaml", "yaml")
    assert len(loaded.campaigns) == 30 * len(one.campaigns)
    lines = template.count("\n") + 1  # each template after a "---" line
    last, first = loaded.campaigns[-len(one.campaigns)], one.campaigns[0]
    assert last.origin.locate("") == (first.origin.locate("")[0] + 29 * lines, first.origin.locate("")[1])


# --- CC007: CloudFormation reads one template per file ------------------------------------------

CLEAN_TEMPLATE = CFN / "clean" / "outbound-campaigns.yaml"


def template_stream(*parts: str) -> str:
    """YAML documents joined into one stream, each after a ``---`` line (as ``cat`` with
    separators makes it)."""
    return "".join(f"---\n{part}" for part in parts)


def stream_finding(tmp_path, text: str) -> list[dict]:
    path = tmp_path / "stacks.yaml"
    path.write_text(text)
    return findings_of(check("--format", "json", path), "CC007")


def test_a_stream_of_templates_is_an_error_at_the_second_template(tmp_path):
    # aws cloudformation deploy/package and cfn-lint refuse a template file of several
    # documents ("expected a single document in the stream"); it was linted without a word
    clean = CLEAN_TEMPLATE.read_text()
    path = tmp_path / "stacks.yaml"
    path.write_text(template_stream(clean, clean, clean))
    run = check("--format", "json", path)
    [finding] = findings_of(run, "CC007")
    assert run.code == 1 and finding["severity"] == "error"
    # at the second template's ---, where aws cloudformation deploy and cfn-lint point
    assert (finding["line"], finding["column"]) == (clean.count("\n") + 2, 1)
    assert "the stream holds 3 documents (3 of them templates), but CloudFormation reads one template " \
        "per file" in finding["message"] and finding["message"].endswith("put each template in a file of its own")
    single = check("--format", "json", CLEAN_TEMPLATE)
    assert findings_of(single, "CC007") == [] and single.code == 0
    assert check(path).out.rstrip().endswith("in 3 campaigns in 1 file.")  # each template is still checked


@pytest.mark.parametrize("second", ["name: renewals\nconnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab\n",
                                    "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n", "5\n"])
def test_any_second_document_beside_a_template_is_an_error(tmp_path, second):
    clean = CLEAN_TEMPLATE.read_text()
    for order in ((clean, second), (second, clean)):
        [finding] = stream_finding(tmp_path, template_stream(*order))
        assert finding["line"] == order[0].count("\n") + 2 and "the stream holds 2 documents" in finding["message"]


@pytest.mark.parametrize("text,line", [
    ("{template}---\n", "end"),                       # a --- with nothing after it: cfn-lint's E0000 too
    ("{template}---\n# the end\n", "end"),
    ("# stacks\n---\n---\n{template}", 3),           # an empty document before it
])
def test_an_empty_document_beside_a_template_is_an_error(tmp_path, text, line):
    template = CLEAN_TEMPLATE.read_text()
    [finding] = stream_finding(tmp_path, text.format(template=template))
    assert finding["line"] == (template.count("\n") + 1 if line == "end" else line)
    assert finding["message"].endswith("(1 of them a template, 1 empty), but CloudFormation reads one template "
                                       "per file, and aws cloudformation deploy and package and cfn-lint refuse "
                                       "the whole file; remove the empty documents (a --- line with nothing after it)")


@pytest.mark.parametrize("text", ["---\n{template}", "{template}...\n", "%YAML 1.1\n---\n{template}...\n"])
def test_one_template_alone_is_not_reported(tmp_path, text):
    assert stream_finding(tmp_path, text.format(template=CLEAN_TEMPLATE.read_text())) == []


def test_a_stream_of_api_campaigns_is_not_reported(lint):
    campaign = "name: {name}\nconnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab\n"
    run = lint(template_stream(campaign.format(name="a"), campaign.format(name="b")) + "---\n", "campaigns.yaml")
    assert findings_of(run, "CC007") == []


def test_a_stream_of_templates_can_be_ignored_per_file(tmp_path):
    """A pipeline that splits the stream itself turns CC007 off for its files (unlike CC001,
    it does not say that something was not checked)."""
    clean = CLEAN_TEMPLATE.read_text()
    (tmp_path / "split").mkdir()
    (tmp_path / "split" / "stacks.yaml").write_text(template_stream(clean, clean))
    (tmp_path / ".campaign-lint.toml").write_text('[per-file-ignores]\n"split/*.yaml" = ["CC007"]\n')
    run = run_cli("check", "--today", TODAY, "--format", "json", "split", cwd=tmp_path)
    assert findings_of(run, "CC007") == [] and run.code == 0, run.out


def test_document_start_is_where_pyyaml_finds_another_document():
    from campaign_lint.sources.parse import document_start

    assert document_start("a: 1\n---\nb: 2\n", 1) == (2, 1)
    assert document_start("---\na: 1\n", 0) == (1, 1) and document_start("---\na: 1\n", 1) is None
    assert document_start("a: 1\r\n---\r\nb: 2\r\n", 1, first_line=10) == (12, 1)
    assert document_start("%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n", 1) == (5, 1)  # its directive


# --- run-wide rules and unknown values -------------------------------------------------------


def _clean_example(name: str | None = None, tags: str | None = None) -> str:
    """The clean CloudFormation example, with another ``Name`` line and ``Tags`` value."""
    text = (CFN / "clean" / "outbound-campaigns.yaml").read_text()
    if name is not None:
        text = text.replace('      Name: !Sub "renewals-${Environment}"\n', f"      Name: {name}\n")
    if tags is not None:
        text = re.sub(r"      Tags:\n.*?(?=  RenewalsQueueAlarm:)", f"      Tags: {tags}\n", text, flags=re.S)
    return text


def test_a_run_wide_finding_is_the_same_whichever_template_holds_an_unknown_and_comes_first(tmp_path):
    # two templates name their campaign "renewals-test" on one instance; one has Tags from
    # !GetAtt. CC602 was placed on the group's first campaign and hidden when that one held an
    # unknown object: reported for one file order, not for the other
    (tmp_path / "tagged.yaml").write_text(_clean_example())
    (tmp_path / "opaque.yaml").write_text(_clean_example(tags="!GetAtt TagSource.Tags"))
    runs = [check("--format", "json", *(tmp_path / name for name in names))
            for names in (("tagged.yaml", "opaque.yaml"), ("opaque.yaml", "tagged.yaml"))]
    assert essence(runs[0]) == essence(runs[1])
    [duplicate] = findings_of(runs[0], "CC602")
    assert duplicate["file"].endswith("opaque.yaml")  # by place, not by the order files came in


def test_a_run_wide_finding_about_an_unknown_value_is_hidden(tmp_path):
    # a name that is a parameter without a value is no duplicate of anything: nothing is said
    (tmp_path / "known.yaml").write_text(_clean_example())
    (tmp_path / "unknown.yaml").write_text(_clean_example(name="!Ref CampaignName").replace(
        "Parameters:\n", "Parameters:\n  CampaignName:\n    Type: String\n", 1))
    run = check("--format", "json", tmp_path / "known.yaml", tmp_path / "unknown.yaml")
    assert "CC602" not in run.rules()
    given = check("--format", "json", "--parameter", "CampaignName=renewals-test",
                  tmp_path / "known.yaml", tmp_path / "unknown.yaml")
    assert "CC602" in given.rules()


def test_a_suppression_of_a_run_wide_rule_that_read_an_unknown_value_is_not_called_unused(tmp_path):
    # CC602 cannot say whether a name from a parameter without a value duplicates another: the
    # comment that accepts the duplicate once the value is given is in use, not a CC011
    commented = '!Sub "renewals-${Environment}"  # campaign-lint: ignore CC602 CC302 -- agreed'
    (tmp_path / "a.yaml").write_text(_clean_example(name=commented))
    (tmp_path / "b.yaml").write_text(_clean_example(name="!Ref CampaignName").replace(
        "Parameters:\n", "Parameters:\n  CampaignName:\n    Type: String\n", 1))
    paths = (tmp_path / "a.yaml", tmp_path / "b.yaml")
    [unused] = findings_of(check("--format", "json", *paths), "CC011")
    assert "CC302" in unused["message"]  # CC302 read nothing unknown: its comment is unused
    given = check("--format", "json", "--parameter", "CampaignName=renewals-test", *paths).json()
    assert [f["rule"] for f in given["findings"] if f["suppressed"]] == ["CC602"]
    # nor is a baseline entry of CC602 stale while the name is unknown
    baseline = tmp_path / "baseline.json"
    plain = _clean_example()
    (tmp_path / "a.yaml").write_text(plain)
    check("--write-baseline", baseline, "--parameter", "CampaignName=renewals-test", *paths)
    assert "CC602" in baseline.read_text()
    assert "CC012" not in check("--format", "json", "--baseline", baseline, *paths).rules()


def test_a_suppression_of_a_run_wide_rule_is_in_use_while_a_campaign_s_instance_is_unknown(tmp_path):
    # a campaign whose ConnectInstanceId is a parameter without a value is left out of the
    # run-wide rules (it may join any instance's group): the comment that accepts the duplicate
    # name once the value is given was a CC011, and the baseline entry of it a CC012
    commented = '!Sub "renewals-${Environment}"  # campaign-lint: ignore CC602 -- agreed'
    (tmp_path / "a.yaml").write_text(_clean_example(name=commented))
    (tmp_path / "b.yaml").write_text(_clean_example().replace(
        "      ConnectInstanceId: !Ref ConnectInstanceId\n", "      ConnectInstanceId: !Ref Instance\n").replace(
        "Parameters:\n", "Parameters:\n  Instance:\n    Type: String\n", 1))
    paths = (tmp_path / "a.yaml", tmp_path / "b.yaml")
    assert "CC011" not in check("--format", "json", *paths).rules()
    given = check("--format", "json", "--parameter", "Instance=9f1c2d3e-aaaa-bbbb-cccc-0123456789ab", *paths).json()
    assert [f["rule"] for f in given["findings"] if f["suppressed"]] == ["CC602"]
    baseline = tmp_path / "baseline.json"
    (tmp_path / "a.yaml").write_text(_clean_example())
    check("--write-baseline", baseline, "--parameter", "Instance=9f1c2d3e-aaaa-bbbb-cccc-0123456789ab", *paths)
    assert "CC602" in baseline.read_text()
    assert "CC012" not in check("--format", "json", "--baseline", baseline, *paths).rules()


@pytest.mark.parametrize("region, said", [
    ("us-est-1", "--region: unknown region 'us-est-1'; did you mean"),
    ("bad region!", "--region: unknown region 'bad region!' (botocore's endpoint data does not list it"),
])
def test_check_refuses_a_region_botocore_does_not_list_as_audit_does(region, said):
    # check took any --region: a typo made every AWS::Region condition of a template come out
    # as for no real region, with no word; audit already refused the same typo
    run = check("--region", region, CFN / "clean")
    assert run.code == 2 and run.out == "" and run.err.startswith(f"campaign-lint: error: {said}")
    assert check("--region", "eu-west-1", CFN / "clean").code == 0
