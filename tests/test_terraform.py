"""Terraform plans and state (``terraform show -json``), and campaigns of several sources in
one run (cross-campaign rules)."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES, TODAY, findings_of, run_cli

TF = EXAMPLES / "terraform"
ROOT_RESOURCE = "/planned_values/root_module/resources/0/values"
ROOT_ADDRESS = "awscc_connectcampaignsv2_campaign.renewals"


def check(*args):
    return run_cli("check", "--isolated", "--today", TODAY, "--format", "json", *map(str, args))


def plan() -> dict:
    return json.loads((TF / "clean" / "plan.json").read_text())


def test_clean_plan_is_clean_and_both_modules_are_read():
    run = check(TF / "clean")
    assert run.code == 0 and run.json()["findings"] == []
    assert run.json()["summary"]["campaigns"] == 2


def test_broken_plan_findings_at_plan_lines_in_terraform_names():
    run = check(TF / "broken")
    found = [(f["rule"], f["line"], f["column"], f["pointer"].removeprefix(ROOT_RESOURCE))
             for f in run.json()["findings"]]
    assert found == [
        ("CC105", 32, 35, "/channel_subtype_config/telephony/default_outbound_config/ring_timeout"),
        ("CC108", 34, 34, "/channel_subtype_config/telephony/outbound_mode"),
        ("CC309", 61, 38, "/communication_time_config/local_time_zone_config/default_time_zone"),
        ("CC301", 74, 25, "/communication_time_config/telephony/open_hours/daily_hours/0/value/1"),
        ("CC305", 122, 37, "/communication_time_config/telephony/restricted_periods/restricted_period_list/0/start_date"),
    ]
    messages = [f["message"] for f in run.json()["findings"]]
    assert messages[0].startswith("ring_timeout 90 is above the maximum 60")
    # agentless_config is the JSON string "{}": it counts as a set member
    assert "(progressive_config, agentless_config)" in messages[1]
    assert messages[2].startswith('default_time_zone "America/Chicgo"')
    assert {f["campaign"]["name"] for f in run.json()["findings"]} == {ROOT_ADDRESS}
    lines = (TF / "broken" / "plan.json").read_text().splitlines()
    assert '"ring_timeout": 90' in lines[31]


def test_child_module_address_is_the_label(tmp_path):
    data = plan()
    child = data["planned_values"]["root_module"]["child_modules"][0]["resources"][0]["values"]
    child["channel_subtype_config"]["telephony"]["capacity"] = 7
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=1))
    [finding] = check(path).json()["findings"]
    assert finding["campaign"]["name"] == "module.reminders.awscc_connectcampaignsv2_campaign.this"
    assert finding["pointer"].startswith("/planned_values/root_module/child_modules/0/resources/0/values/")
    assert finding["rule"] == "CC105"


def test_values_known_after_apply_are_unknown_not_missing(tmp_path):
    data = plan()
    del data["resource_changes"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    # without after_unknown, the null connect_instance_id is absent: the required property is missing
    assert "CC102" in [f["rule"] for f in check(path).json()["findings"]]
    # with it (the example), it is a value known only after apply: nothing to report
    assert check(TF / "clean").json()["findings"] == []


def test_state_json_is_read_like_a_plan(tmp_path):
    data = plan()
    state = {"format_version": "1.0", "terraform_version": "1.9.8",
             "values": copy.deepcopy(data["planned_values"])}
    state["values"]["root_module"]["child_modules"][0]["resources"][0]["values"]["connect_instance_id"] = "i-2"
    values = state["values"]["root_module"]["resources"][0]["values"]
    values["connect_instance_id"] = "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab"
    values["arn"] = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/2f6d9c1e"
    values["communication_time_config"]["local_time_zone_config"]["default_time_zone"] = "US/Central"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state, indent=1))
    [finding] = [f for f in check(path).json()["findings"] if f["severity"] != "info"]
    assert finding["rule"] == "CC310"
    assert finding["campaign"]["arn"] == values["arn"]


def test_plan_is_not_a_create_request_file(tmp_path):
    data = plan()
    values = data["planned_values"]["root_module"]["resources"][0]["values"]
    values["schedule"] = {"start_time": "2020-01-01T00:00:00Z", "end_time": "2099-01-01T00:00:00Z",
                          "refresh_frequency": None}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    # a past start is normal for a deployed campaign (CC404 is for create-campaign request files)
    assert check(path).json()["findings"] == []


def test_plan_without_campaigns_is_cc002(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "planned_values": {"root_module": {}}}))
    assert [f["rule"] for f in check(path).json()["findings"]] == ["CC002"]


# --- several sources in one run --------------------------------------------------------------

DESCRIBE = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())


def test_template_and_describe_snapshot_of_one_campaign_are_one(tmp_path):
    campaign = DESCRIBE["campaign"]
    (tmp_path / "describe.json").write_text(json.dumps(DESCRIBE))
    template = {"Resources": {"Renewals": {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
        "Name": campaign["name"], "ConnectInstanceId": campaign["connectInstanceId"],
        "ChannelSubtypeConfig": {"Telephony": {
            "Capacity": 0.5, "OutboundMode": {"AgentlessConfig": {}},
            "DefaultOutboundConfig": {"ConnectContactFlowId": "f-1"}}}}}}}
    (tmp_path / "template.json").write_text(json.dumps(template))
    run = check(tmp_path)
    assert not findings_of(run, "CC602") and not findings_of(run, "CC601")


def test_cross_campaign_rules_see_templates_plans_and_api_files_together(tmp_path):
    instance = DESCRIBE["campaign"]["connectInstanceId"]
    (tmp_path / "describe.json").write_text(json.dumps(DESCRIBE))  # telephony capacity 0.5
    template = {"Resources": {"Other": {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
        "Name": "collections", "ConnectInstanceId": instance,
        "ChannelSubtypeConfig": {"Telephony": {
            "Capacity": 0.4, "OutboundMode": {"AgentlessConfig": {}},
            "DefaultOutboundConfig": {"ConnectContactFlowId": "f-1"}}}}}}}
    (tmp_path / "template.json").write_text(json.dumps(template))
    data = plan()
    values = data["planned_values"]["root_module"]["resources"][0]["values"]
    values["connect_instance_id"] = instance
    values["channel_subtype_config"]["telephony"]["capacity"] = 0.3
    data["resource_changes"][0]["change"]["after_unknown"] = {}
    (tmp_path / "plan.json").write_text(json.dumps(data, indent=1))
    run = check(tmp_path)
    # 0.5 + 0.4 + 0.3 > 1.0 only when the three sources are counted together
    assert findings_of(run, "CC601"), run.out


def test_state_with_the_arn_of_a_describe_snapshot_is_one_campaign(tmp_path):
    campaign = DESCRIBE["campaign"]
    (tmp_path / "describe.json").write_text(json.dumps(DESCRIBE))
    data = plan()
    state = {"format_version": "1.0", "values": {"root_module": {
        "resources": [data["planned_values"]["root_module"]["resources"][0]]}}}
    values = state["values"]["root_module"]["resources"][0]["values"]
    values.update(arn=campaign["arn"], name=campaign["name"], connect_instance_id=campaign["connectInstanceId"])
    (tmp_path / "state.json").write_text(json.dumps(state))
    run = check(tmp_path)
    assert not findings_of(run, "CC602") and not findings_of(run, "CC601"), run.out


# --- values known only after apply: property-based -----------------------------------------


def _attribute_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            if item is not None:
                yield (*path, key)
                yield from _attribute_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _attribute_paths(item, (*path, index))


def _mark_unknown(values: dict, unknown: dict, path: tuple) -> None:
    """Make one attribute of a planned resource 'known after apply', as terraform writes it:
    absent from the values, true in after_unknown (nested like the values)."""
    node, marks = values, unknown
    for part in path[:-1]:
        node = node[part]
        if isinstance(part, int):
            while len(marks) <= part:
                marks.append({})
            marks = marks[part]
        else:
            marks = marks.setdefault(part, [] if isinstance(node, list) else {})
    last = path[-1]
    if isinstance(last, int):
        node[last] = None
        while len(marks) <= last:
            marks.append(False)
        marks[last] = True
    else:
        node.pop(last, None)
        marks[last] = True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_values_known_after_apply_give_no_error_or_warning(tmp_path, data):
    document = plan()
    resource = document["planned_values"]["root_module"]["resources"][0]
    change = document["resource_changes"][0]["change"]
    paths = list(_attribute_paths(resource["values"]))
    for path in sorted(data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=5, unique=True)),
                       key=len, reverse=True):
        try:
            _mark_unknown(resource["values"], change["after_unknown"], path)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an ancestor is unknown already
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    serious = [f for f in check(path).json()["findings"] if f["severity"] in ("error", "warning")]
    assert serious == [], json.dumps(change["after_unknown"])


def test_unknown_list_item_keeps_the_positions_of_the_items_after_it(tmp_path):
    document = plan()
    values = document["planned_values"]["root_module"]["resources"][0]["values"]
    change = document["resource_changes"][0]["change"]
    _mark_unknown(values, change["after_unknown"], ("communication_time_config", "telephony", "open_hours",
                                                    "daily_hours", 3))
    _mark_unknown(values, change["after_unknown"], ("communication_time_config", "telephony", "open_hours",
                                                    "daily_hours", 4, "key"))
    values["communication_time_config"]["local_time_zone_config"]["default_time_zone"] = "Mars/Base"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document, indent=1))
    [finding] = [f for f in check(path).json()["findings"] if f["severity"] != "info"]
    assert finding["rule"] == "CC309"


def test_sensitive_values_are_never_shown_in_findings(tmp_path):
    """An attribute Terraform marks sensitive (``sensitive_values``) is written in the plan
    JSON but Terraform never shows it: findings (CI logs, annotations) do not quote it; it is
    a value nothing is said about, like one known only after apply."""
    data = plan()
    resource = data["planned_values"]["root_module"]["resources"][0]
    zone = resource["values"]["communication_time_config"]["local_time_zone_config"]
    zone["default_time_zone"] = "Secret/Zone-1234"
    resource["values"]["channel_subtype_config"]["telephony"]["capacity"] = 7
    resource["sensitive_values"] = {"communication_time_config": {"local_time_zone_config": {
        "default_time_zone": True}}, "channel_subtype_config": True}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=1))
    output = run_cli("check", "--isolated", "--today", TODAY, str(path)).out
    assert "Secret/Zone-1234" not in output and "capacity" not in output
    assert check(path).json()["findings"] == []


# --- Terraform's JSON configuration syntax (*.tf.json, CDK for Terraform's cdk.tf.json) ----------

CONFIG = TF / "config" / "main.tf.json"


def config() -> dict:
    return json.loads(CONFIG.read_text())


def _config_resource(document: dict, name: str = "renewals") -> dict:
    return document["resource"]["awscc_connectcampaignsv2_campaign"][name]


def test_json_configuration_is_read_like_a_plan_at_its_own_lines(tmp_path):
    # cdk.tf.json passed with "no campaign in this file (none of a campaign's members ...)"
    clean = check(CONFIG)
    assert clean.code == 0 and clean.json()["findings"] == [] and clean.json()["summary"]["campaigns"] == 1
    document = config()
    telephony = _config_resource(document)["channel_subtype_config"]["telephony"]
    telephony["capacity"] = 1.5
    telephony["default_outbound_config"]["ring_timeout"] = 90
    _config_resource(document)["communication_time_config"]["local_time_zone_config"]["default_time_zone"] = \
        "America/Chicgo"
    path = tmp_path / "cdk.tf.json"
    path.write_text(json.dumps(document, indent=2))
    run = check(path)
    lines = path.read_text().splitlines()
    found = {(f["rule"], lines[f["line"] - 1].strip().split(":")[0]) for f in run.json()["findings"]}
    assert found == {("CC105", '"capacity"'), ("CC105", '"ring_timeout"'), ("CC309", '"default_time_zone"')}
    messages = sorted(f["message"] for f in run.json()["findings"])
    assert messages[0] == "capacity 1.5 is above the maximum 1"
    assert {f["campaign"]["name"] for f in run.json()["findings"]} == {ROOT_ADDRESS}


def test_json_configuration_lists_meta_arguments_and_escapes(tmp_path):
    body = _config_resource(config())
    body.update({"count": 2, "lifecycle": {"prevent_destroy": True}, "depends_on": ["awscc_connect_queue.q"],
                 "provider": "awscc.east"})
    body["tags"] = [{"key": "note", "value": "costs $${amount}"}]
    document = {"resource": [{"awscc_connectcampaignsv2_campaign": [{"renewals": [body]}]}]}  # lists at each level
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=1))
    run = check(path)
    assert run.code == 0 and run.json()["summary"]["campaigns"] == 1, run.out
    body["communication_time_config"]["local_time_zone_config"]["default_time_zone"] = "Mars/Base $${x}"
    path.write_text(json.dumps(document, indent=1))
    [finding] = findings_of(check(path), "CC309")  # $${ is a literal "${": the value is known
    assert finding["message"].startswith('default_time_zone "Mars/Base ${x}" is not an IANA time zone')


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_terraform_expressions_in_configuration_give_no_error_or_warning(tmp_path, data):
    document = config()
    body = _config_resource(document)
    paths = list(_attribute_paths(body))
    for path in sorted(data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=5, unique=True)),
                       key=len, reverse=True):
        node = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = data.draw(st.sampled_from(["${var.x}", "%{if var.y}a%{endif}", "${jsonencode({})}",
                                                   "prefix-${local.z}"]))
    target = tmp_path / "main.tf.json"
    target.write_text(json.dumps(document))
    serious = [f for f in check(target).json()["findings"] if f["severity"] in ("error", "warning")]
    assert serious == [], json.dumps(body)


def test_hcl_files_are_said_not_to_be_read_whatever_they_hold(tmp_path):
    # a .tf file given by name was parsed as YAML: one passed as "no campaign's members", one
    # with ": " in a string failed as "not valid YAML", by chance
    plain = 'resource "awscc_connectcampaignsv2_campaign" "renewals" {\n  name = "renewals"\n}\n'
    colon = plain.replace('  name = "renewals"', '  tags = [{ key = "team", value = "collections: east" }]')
    for name, text in {"main.tf": plain, "other.tf": colon, "prod.tfvars": 'zone = "x: y"\n'}.items():
        (tmp_path / name).write_text(text)
    run = check(*(tmp_path / name for name in ("main.tf", "other.tf", "prod.tfvars")))
    assert run.code == 0
    assert [(f["rule"], f["severity"], f["line"]) for f in run.json()["findings"]] == [("CC002", "info", 1)] * 3
    assert {f["message"] for f in run.json()["findings"]} == {
        "Terraform configuration in HCL is not read, so its campaigns are not checked: lint `terraform show "
        "-json` of a plan, or the configuration written as .tf.json"}


def test_override_files_are_said_not_to_be_checked_on_their_own(tmp_path):
    # override.tf.json holds parts of resources that Terraform merges into other files' blocks:
    # it was read as whole resources (missing connect_instance_id, no channel: errors, exit 1)
    part = {"resource": {"awscc_connectcampaignsv2_campaign": {"renewals": {"name": "renewals-v2"}}}}
    for name in ("override.tf.json", "prod_override.tf.json"):
        (tmp_path / name).write_text(json.dumps(part))
    run = check(tmp_path / "override.tf.json", tmp_path / "prod_override.tf.json")
    assert run.code == 0
    assert [(f["rule"], f["severity"]) for f in run.json()["findings"]] == [("CC002", "info")] * 2
    assert run.json()["findings"][0]["message"].startswith("a Terraform override file is merged into")


def _with_second_resource(tmp_path, body) -> tuple:
    """The example configuration (one clean campaign, renewals) with a second resource,
    reminders, whose body is ``body``: the path and the JSON of ``check``."""
    document = config()
    document["resource"]["awscc_connectcampaignsv2_campaign"]["reminders"] = body
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=1))
    return path, check(path)


REMINDERS = "awscc_connectcampaignsv2_campaign.reminders"


@pytest.mark.parametrize("body,what", [("${var.campaign}", "a Terraform expression"), ("reminders", "a string"),
                                       (5, "a number"), (True, "a boolean"), ([5], "a number"),
                                       (["${var.campaign}"], "a Terraform expression")])
def test_a_resource_body_terraform_refuses_is_an_error_in_a_campaign_checked(tmp_path, body, what):
    """Terraform 1.11 refuses a body that is neither an object nor a list of objects ("Incorrect
    JSON value type"), an expression too: nothing evaluates it there. Each is a CC103 error at the
    body, and counted as a campaign checked, as CloudFormation Properties that are no object are
    (``Properties: !Sub ...``). An expression body was counted "not checked", a number checked."""
    path, run = _with_second_resource(tmp_path, body)
    [finding] = run.json()["findings"]
    assert (finding["rule"], finding["severity"], finding["campaign"]["name"]) == ("CC103", "error", REMINDERS)
    assert finding["message"] == (
        f"the body of {REMINDERS} is {what}, which Terraform refuses (its JSON syntax wants an object of the "
        "resource's arguments there, or a list of them, and only the arguments' values may be expressions); "
        'write its arguments as an object: {"name": ..., "connect_instance_id": ..., ...}')
    assert json.dumps(body if not isinstance(body, list) else body[0]) in path.read_text().splitlines()[finding["line"] - 1]
    summary = run.json()["summary"]
    assert run.code == 1 and (summary["campaigns"], summary["notChecked"]) == (2, 0)
    assert check_text(path).endswith("in 2 campaigns in 1 file.")


@pytest.mark.parametrize("body", [None, []])
def test_a_resource_body_that_declares_no_block_is_no_campaign(tmp_path, body):
    """Terraform 1.11 reads a null body, as an empty list, as no resource block at all: terraform
    plan shows no such resource. It was a CC102 error ('the resource is missing') counted as a
    campaign checked; it is a CC002 info, and no campaign."""
    path, run = _with_second_resource(tmp_path, body)
    [finding] = run.json()["findings"]
    assert (finding["rule"], finding["severity"]) == ("CC002", "info") and run.code == 0
    assert finding["message"] == (f"the body of {REMINDERS} is {json.dumps(body)}, which Terraform reads as no "
                                  "resource block: it declares no campaign, and none is checked; write its "
                                  "arguments as an object to declare one")
    assert path.read_text().splitlines()[finding["line"] - 1].strip().startswith('"reminders"')
    assert run.json()["summary"]["campaigns"] == 1 and run.json()["summary"]["notChecked"] == 0
    alone = tmp_path / "alone.tf.json"
    alone.write_text(json.dumps({"resource": {"awscc_connectcampaignsv2_campaign": {"renewals": body}}}))
    assert [f["rule"] for f in check(alone).json()["findings"]] == ["CC002"]  # not also "no campaign in this file"


def test_a_null_block_in_a_list_is_a_block_without_arguments(tmp_path):
    """[null] is one block with no arguments, as {} is (terraform plan creates it)."""
    _, as_null = _with_second_resource(tmp_path, [None])
    _, as_empty = _with_second_resource(tmp_path, {})
    assert [(f["rule"], f["message"]) for f in as_null.json()["findings"]] == \
        [(f["rule"], f["message"]) for f in as_empty.json()["findings"]]
    assert ("CC102", 'the resource is missing the required property "name"') in \
        [(f["rule"], f["message"]) for f in as_null.json()["findings"]]
    assert as_null.json()["summary"]["campaigns"] == 2


TYPE = "awscc_connectcampaignsv2_campaign"
#: the spellings of Terraform's JSON syntax that declare the blocks ``first`` and ``second`` under
#: one name: ``document["resource"]`` for each
TWICE = {
    "a list under the name": lambda first, second: {TYPE: {"renewals": [first, second]}},
    "a list at the type level": lambda first, second: {TYPE: [{"renewals": first}, {"renewals": second}]},
    "a list at the resource level": lambda first, second: [{TYPE: {"renewals": first}}, {TYPE: {"renewals": second}}],
}


def _declared_twice(tmp_path, spelling, second=None, name: str = "main.tf.json"):
    """The example configuration whose resource, renewals, is declared again by ``spelling``,
    the second block being ``second`` (by default the first with another name and capacity 7,
    a CC105): the path and the JSON of ``check``."""
    document = config()
    first = _config_resource(document)
    if second is None:
        second = copy.deepcopy(first)
        second["name"] = "renewals-eu"
        second["channel_subtype_config"]["telephony"]["capacity"] = 7
    document["resource"] = TWICE[spelling](first, second)
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=1))
    return path, check(path)


def _first_block_line(lines: list[str]) -> int:
    """The line where the first block of renewals begins: its name's, or its list's first item's."""
    named = next(number for number, line in enumerate(lines, 1) if '"renewals"' in line)
    return named + 1 if lines[named - 1].rstrip().endswith("[") else named


@pytest.mark.parametrize("spelling", TWICE)
def test_a_resource_declared_twice_in_one_file_is_an_error_and_both_are_checked(tmp_path, spelling):
    """Terraform 1.11 refuses a second block of one type and name ("Duplicate resource ... A
    awscc_connectcampaignsv2_campaign resource named "renewals" was already declared"), however
    the JSON syntax spells it. They were read as two campaigns of one address, and the run passed
    but for the second block's own defect. Now a CC004 error at the second block, naming the
    first's line; the second is still checked (its CC105) and counted, as a refused body is."""
    path, run = _declared_twice(tmp_path, spelling)
    lines = path.read_text().splitlines()
    findings = run.json()["findings"]
    assert sorted((f["rule"], f["severity"], f["campaign"]["name"]) for f in findings) == [
        ("CC004", "error", ROOT_ADDRESS), ("CC105", "error", ROOT_ADDRESS)]
    [again] = findings_of(run, "CC004")
    assert again["message"] == (
        f"{ROOT_ADDRESS} is declared a second time (first on line {_first_block_line(lines)}), which Terraform "
        'refuses ("Duplicate resource": one block per type and name in a module, and each item of a list under '
        "a name is a block); give this block a name of its own, or remove it")
    [capacity] = findings_of(run, "CC105")
    assert _first_block_line(lines) < again["line"] < capacity["line"]  # at the second block, before its defect
    assert '"capacity": 7' in lines[capacity["line"] - 1]
    summary = run.json()["summary"]
    assert run.code == 1 and (summary["campaigns"], summary["notChecked"]) == (2, 0)
    [line] = [text for text in check_text(path).splitlines() if " CC004 " in text]
    assert line.startswith(f"{path}:{again['line']}:{again['column']}: CC004 error: ")


@pytest.mark.parametrize("spelling,odd,odd_first,rules", [
    ("a list at the resource level", [], True, ["CC002"]),  # [] and null declare no block: validate passes
    ("a list at the resource level", None, True, ["CC002"]),
    # a body that is no object nor list declares no block: Terraform says only "Incorrect JSON value type"
    ("a list at the resource level", "${var.campaign}", True, ["CC103"]),
    ("a list at the resource level", 5, False, ["CC103"]),
    ("a list under the name", 5, False, ["CC004", "CC103"]),  # an item of a list is a block: Terraform says both
])
def test_only_blocks_terraform_declares_are_declared_twice(tmp_path, spelling, odd, odd_first, rules):
    """What terraform validate says of renewals declared with a body that is no block or a refused one."""
    document = config()
    clean = _config_resource(document)
    document["resource"] = TWICE[spelling](*((odd, clean) if odd_first else (clean, odd)))
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=1))
    assert sorted(f["rule"] for f in check(path).json()["findings"]) == rules


def test_a_resource_in_two_files_of_a_module_is_left_to_terraform(tmp_path):
    """Terraform refuses it too, but campaign-lint reads a file at a time, cannot see the
    module's .tf files, and is given only the changed files by pre-commit: each file is
    checked on its own, and nothing is said about the other (see the README)."""
    (tmp_path / "main.tf.json").write_text(CONFIG.read_text())
    (tmp_path / "eu.tf.json").write_text(json.dumps({"resource": config()["resource"]}, indent=1))
    run = check(tmp_path)
    assert run.code == 0 and run.json()["findings"] == [] and run.json()["summary"]["campaigns"] == 2


def check_text(path) -> str:
    return run_cli("check", "--isolated", "--today", TODAY, str(path)).out.rstrip()


def test_terraform_messages_speak_of_the_resource_not_of_a_templates_properties(tmp_path):
    # "Properties is missing the required property" and "write the rule ids in the template"
    # were CloudFormation's words in Terraform findings
    document = config()
    body = _config_resource(document)
    del body["connect_instance_id"]
    body["tags"] = [{"key": "campaign-lint:ignore", "value": "${var.codes}"}]
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=1))
    messages = {f["rule"]: f["message"] for f in check(path).json()["findings"]}
    assert messages["CC102"] == 'the resource is missing the required property "connect_instance_id"'
    assert messages["CC011"] == ("the campaign-lint:ignore tag's value is not known before deploy (value, a "
                                 "Terraform expression): it suppresses nothing; write the rule ids themselves")


# --- an unknown object or list hides only the findings that read it --------------------------

#: a campaign with defects that have nothing to do with its tags: no caller id, no time zone,
#: an SMS channel without a window, an overlap; ``tags`` last, so that its lines come last
DEFECTIVE = {"resource": {"awscc_connectcampaignsv2_campaign": {"c": {
    "name": "c", "connect_instance_id": "i-1",
    "channel_subtype_config": {
        "telephony": {"outbound_mode": {"predictive_config": {"bandwidth_allocation": 1}},
                      "default_outbound_config": {"connect_contact_flow_id": "f"}},
        "sms": {"outbound_mode": {"agentless_config": {}}, "default_outbound_config": {
            "connect_source_phone_number_arn": "arn:aws:connect:us-east-1:123456789012:phone-number/x",
            "wisdom_template_arn": "arn:aws:wisdom:us-east-1:123456789012:message-template/a/b"}}},
    "communication_time_config": {"local_time_zone_config": {}, "telephony": {"open_hours": {"daily_hours": [
        {"key": "MONDAY", "value": [{"start_time": "T08:00", "end_time": "T12:00"},
                                    {"start_time": "T11:00", "end_time": "T13:00"}]}]}}},
    "tags": [{"key": "team", "value": "x"}]}}}}


def _found(tmp_path, document: dict) -> set[tuple[str, int, int]]:
    target = tmp_path / "main.tf.json"
    target.write_text(json.dumps(document, indent=1))
    return {(f["rule"], f["line"], f["column"]) for f in check(target).json()["findings"]}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(['${merge(local.default_tags, {team = "x"})}', "${var.tags}", "${local.tags}"]))
def test_tags_from_an_expression_hide_only_the_findings_about_tags(tmp_path, expression):
    # "tags": "${merge(...)}", the usual way to set them, hid every finding at the top two
    # levels of the campaign: no caller id, no time zone, SMS at any hour all passed
    known = _found(tmp_path, DEFECTIVE)
    assert {rule for rule, _, _ in known} >= {"CC201", "CC206", "CC209", "CC301", "CC311"}
    document = copy.deepcopy(DEFECTIVE)
    _config_resource(document, "c")["tags"] = expression
    assert _found(tmp_path, document) == {found for found in known if found[0] != "CC209"}


def test_an_unknown_window_or_mode_hides_what_reads_it_and_nothing_else(tmp_path):
    document = copy.deepcopy(DEFECTIVE)
    body = _config_resource(document, "c")
    body["channel_subtype_config"]["sms"]["outbound_mode"]["agentless_config"] = "${jsonencode({})}"
    assert _found(tmp_path, document) == _found(tmp_path, DEFECTIVE)  # nothing reads agentless_config
    body["communication_time_config"]["sms"] = "${var.sms_window}"
    rules = {rule for rule, _, _ in _found(tmp_path, document)}
    assert "CC206" not in rules  # "SMS at any hour": its window is not known
    assert {"CC201", "CC301", "CC311"} <= rules


def test_an_expression_inside_a_channel_hides_nothing_it_cannot_change(tmp_path):
    # "connect_contact_flow_id": "${var.flow_id}" hid the missing caller id of its channel
    document = copy.deepcopy(DEFECTIVE)
    telephony = _config_resource(document, "c")["channel_subtype_config"]["telephony"]
    telephony["default_outbound_config"]["connect_contact_flow_id"] = "${var.flow_id}"
    assert _found(tmp_path, document) == _found(tmp_path, DEFECTIVE)


def test_a_channel_whose_settings_are_not_known_still_has_no_window(tmp_path):
    # an sms channel known only after apply, or written as an expression, gave no "SMS at any
    # hour" (CC206): its unknown settings were read as no channel at all
    data = plan()
    unknown = data["resource_changes"][0]["change"]["after_unknown"]
    unknown["channel_subtype_config"] = {"sms": True}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=1))
    [finding] = check(path).json()["findings"]
    assert (finding["rule"], finding["pointer"]) == ("CC206", f"{ROOT_RESOURCE}/channel_subtype_config/sms")
    assert finding["message"] == ("sms is configured but communication_time_config has no sms window; it may "
                                  "contact people at any hour")
    unknown["communication_time_config"] = {"sms": True}  # a window not known is a window
    path.write_text(json.dumps(data, indent=1))
    assert check(path).json()["findings"] == []
    document = copy.deepcopy(DEFECTIVE)
    _config_resource(document, "c")["channel_subtype_config"]["sms"] = "${var.sms}"
    target = tmp_path / "main.tf.json"
    target.write_text(json.dumps(document, indent=1))
    [finding] = findings_of(check(target), "CC206")
    assert target.read_text().splitlines()[finding["line"] - 1].strip() == '"sms": "${var.sms}"'


def test_a_resource_key_given_twice_is_cc004_without_claiming_the_first_is_dropped(tmp_path):
    # Terraform reads both "resource" keys of one object (both resources are deployed); the
    # message said "only the last one is used", which could lead someone to delete the first
    body = _config_resource(config())
    first = json.dumps({"awscc_connectcampaignsv2_campaign": {"renewals": body}}, indent=1)
    second = json.dumps({"awscc_connectcampaignsv2_campaign": {"reminders": body}}, indent=1)
    path = tmp_path / "main.tf.json"
    path.write_text('{\n "resource": ' + first + ',\n "resource": ' + second + "\n}\n")
    [finding] = findings_of(check(path), "CC004")
    assert finding["message"] == ('key "resource" appears twice in one object (first on line 2); only the last '
                                  "one is checked here, and tools differ on which they use (json.loads keeps the "
                                  "last, Terraform reads both): keep one")
