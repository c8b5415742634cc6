"""``campaign-lint schema``: the JSON Schema editors validate campaign files with as
people type (VS Code's YAML extension speaks draft-07)."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from .conftest import EXAMPLES, TODAY, run_cli, set_pointer


@pytest.fixture(scope="module")
def schemas():
    printed = {}
    for shape in ("describe", "create"):
        run = run_cli("schema", "--shape", shape)
        assert run.code == 0 and run.err == ""
        printed[shape] = json.loads(run.out)
    return printed


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_the_schema_is_valid_draft_07_and_2020_12(schemas):
    for schema in schemas.values():
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        Draft7Validator.check_schema(schema)
        Draft202012Validator.check_schema(schema)
        assert "x-" not in json.dumps(schema).replace("x-amz", "")  # no private keywords left


def test_patterns_are_anchored_the_ecma_262_way(schemas):
    patterns = list(_patterns(schemas["create"]))
    assert patterns
    for pattern in patterns:
        assert pattern.startswith("^(?:") and pattern.endswith(")$")
        assert not re.search(r"\\[AZz]|\(\?P<", pattern), pattern  # Python-only syntax
        re.compile(pattern)
    assert "^(?:T[0-9]{2}:[0-9]{2})$" in patterns  # the model's T\d{2}:\d{2}, \d as ECMA reads it


def test_default_shape_is_describe_and_output_file(tmp_path, schemas):
    run = run_cli("schema", "-o", str(tmp_path / "s.json"))
    assert run.code == 0 and json.loads((tmp_path / "s.json").read_text()) == schemas["describe"]


def test_clean_examples_are_valid(schemas):
    describe = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    create = yaml.safe_load((EXAMPLES / "clean" / "appointment-reminders.yaml").read_text())
    assert list(Draft7Validator(schemas["describe"]).iter_errors(describe)) == []
    assert list(Draft7Validator(schemas["create"]).iter_errors(create)) == []
    # the shapes differ: a create request is not a describe response
    assert list(Draft7Validator(schemas["describe"]).iter_errors(create))


def test_broken_example_is_rejected_where_the_linter_rejects_it(schemas):
    text = (EXAMPLES / "broken" / "typos.yaml").read_text()
    errors = list(Draft7Validator(schemas["create"]).iter_errors(yaml.safe_load(text)))
    found = {("/" + "/".join(map(str, e.absolute_path)), e.validator) for e in errors}
    assert ("/channelSubtypeConfig/telephony", "additionalProperties") in found  # conectQueueId
    assert ("/channelSubtypeConfig/telephony/capacity", "maximum") in found
    lint = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", "--select", "CC1",
                   str(EXAMPLES / "broken" / "typos.yaml"))
    linted = {f["pointer"] for f in lint.json()["findings"]}
    schema_pointers = {pointer for pointer, _ in found}
    for pointer in linted:  # every structural finding of the linter is an editor error too
        assert pointer in schema_pointers or pointer.rsplit("/", 1)[0] in schema_pointers, pointer


@pytest.mark.parametrize("pointer, value, keyword", [
    ("/communicationTimeConfig/sms/openHours/dailyHours/MONDAY/0/startTime", "09:00", "pattern"),
    ("/communicationTimeConfig/sms/openHours/dailyHours/MONDY", [], "enum"),  # a map key
    ("/channelSubtypeConfig/sms/outboundMode", {"agentless": {}, "progressive": {}}, "maxProperties"),
    ("/channelSubtypeConfig/sms/outboundMode", {}, "minProperties"),
    ("/channelSubtypeConfig/sms/capacity", "0.3", "type"),
    ("/communicationLimitsOverride/allChannelSubtypes/communicationLimitsList/0/unit", "WEEK", "enum"),
])
def test_each_kind_of_structural_mistake_is_an_editor_error(schemas, pointer, value, keyword):
    campaign = copy.deepcopy(yaml.safe_load((EXAMPLES / "clean" / "appointment-reminders.yaml").read_text()))
    set_pointer(campaign, pointer, value)
    errors = list(Draft7Validator(schemas["create"]).iter_errors(campaign))
    assert keyword in {e.validator for e in errors}, [e.message for e in errors]


def test_cloudformation_shape_checks_campaign_resources_of_templates():
    from campaign_lint.sources.parse import parse_json, parse_yaml

    run = run_cli("schema", "--shape", "cloudformation")
    schema = json.loads(run.out)
    Draft7Validator.check_schema(schema)
    Draft202012Validator.check_schema(schema)
    for pattern in _patterns(schema):
        assert "\\w-" not in pattern  # [\w-.] is an error in ECMA-262's unicode mode
    validator = Draft7Validator(schema)

    def errors(path):
        text = path.read_text()
        document = (parse_json(text) if path.suffix == ".json" else parse_yaml(text)[0]).value
        return ["/".join(map(str, e.absolute_path)) for e in validator.iter_errors(document)]

    # intrinsic functions (!If [...], {"Fn::GetAtt": [...]}, !Ref) are accepted where values go
    assert errors(EXAMPLES / "cloudformation" / "clean" / "outbound-campaigns.yaml") == []
    assert errors(EXAMPLES / "cdk" / "clean" / "RemindersStack.template.json") == []
    assert errors(EXAMPLES / "cdk" / "broken" / "RemindersStack.template.json") == [
        "Resources/ReminderCampaignC0FFEE12/Properties/ChannelSubtypeConfig"]
    template = {"Resources": {
        "Queue": {"Type": "AWS::Connect::Queue", "Properties": {"Anything": 1}},
        "C": {"Type": "AWS::ConnectCampaignsV2::Campaign",
              "Properties": {"Name": "x", "ConnectInstanceId": {"Ref": "Instance"}, "Nmae": "typo"}}}}
    assert ["/".join(map(str, e.absolute_path)) for e in validator.iter_errors(template)] == [
        "Resources/C/Properties"]  # the typo; the queue is not a campaign
