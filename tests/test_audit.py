"""``campaign-lint audit``: the real boto3 client against the fake service on 127.0.0.1."""

from __future__ import annotations

import io
import json
import socket

import pytest

from campaign_lint.sources.aws import Progress

from .conftest import EXAMPLES, TODAY, findings_of, run_cli
from .fake_service import FakeConnectCampaigns, Faults, grouped, make_campaign

TEMPLATE = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())["campaign"]


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
                 "AWS_REGION", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return monkeypatch


@pytest.fixture
def service(aws_env):
    services = []

    def start(campaigns, **kwargs):
        fake = FakeConnectCampaigns(campaigns, **kwargs)
        services.append(fake)
        aws_env.setenv("AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2", fake.start())
        return fake

    yield start
    for fake in services:
        fake.stop()


def audit(*args):
    return run_cli("audit", "--isolated", "--today", TODAY, "--format", "json", *args)


def campaigns(count, region="us-east-1", **changes):
    return [make_campaign(i, region=region, template=TEMPLATE, **changes) for i in range(count)]


def overlapping(campaign):
    campaign["communicationTimeConfig"]["telephony"]["openHours"]["dailyHours"]["MONDAY"] = [
        {"startTime": "T09:00", "endTime": "T12:00"}, {"startTime": "T11:00", "endTime": "T13:00"}]
    return campaign


# --- the happy path ------------------------------------------------------------------

def test_audit_finds_what_check_finds_and_names_the_arn(service):
    items = campaigns(3)
    overlapping(items[1])
    fake = service({"us-east-1": items}, states={items[0]["id"]: "Stopped"})
    run = audit("--region", "us-east-1")
    assert run.code == 1 and run.err == ""  # no progress bar: stderr is not a terminal
    [finding] = run.json()["findings"]
    assert finding["rule"] == "CC301" and finding["file"] is None and finding["line"] is None
    assert finding["region"] == "us-east-1"
    assert finding["campaign"]["arn"] == items[1]["arn"]
    assert finding["pointer"] == "/communicationTimeConfig/telephony/openHours/dailyHours/MONDAY/1"
    assert run.json()["summary"]["campaigns"] == 3 and run.json()["summary"]["regions"] == 1
    assert set(fake.calls) == {"ListCampaigns", "DescribeCampaign", "GetCampaignStateBatch",
                               "GetInstanceCommunicationLimits"}  # read-only calls only


def test_text_output_names_campaign_by_arn(service):
    items = campaigns(1)
    overlapping(items[0])
    service({"us-east-1": items})
    run = run_cli("audit", "--isolated", "--today", TODAY, "--region", "us-east-1")
    assert run.out.splitlines()[0].startswith(f"{items[0]['arn']}#/communicationTimeConfig/")
    assert run.out.splitlines()[-1].endswith("in 1 campaign in 1 region.")


def test_pagination_over_more_than_a_thousand_campaigns(service):
    fake = service({"us-east-1": campaigns(1100)})
    run = audit("--region", "us-east-1", "--select", "CC3")
    assert run.code == 0, run.out[:500]
    assert run.json()["summary"]["campaigns"] == 1100
    calls = grouped(fake.requests)
    assert len(calls["ListCampaigns"]) == 22
    assert all(params["maxResults"] == 50 for _, params in calls["ListCampaigns"])
    assert len(calls["DescribeCampaign"]) == 1100
    assert all(1 <= len(params["campaignIds"]) <= 25 for _, params in calls["GetCampaignStateBatch"])
    assert len(calls["GetCampaignStateBatch"]) == 44


def test_instance_filter(service):
    items = campaigns(4) + [make_campaign(9, template=TEMPLATE, connectInstanceId="instance-2")]
    fake = service({"us-east-1": items})
    run = audit("--region", "us-east-1", "--instance-id", "instance-2")
    assert run.json()["summary"]["campaigns"] == 1
    [(_, params)] = grouped(fake.requests)["ListCampaigns"]
    assert params["filters"] == {"instanceIdFilter": {"value": "instance-2", "operator": "Eq"}}


# --- faults ----------------------------------------------------------------------------------

def failures(run):
    return [(f["region"], f["message"]) for f in findings_of(run, "CC003")]


def test_access_denied_region_is_reported_and_the_rest_goes_on(service):
    service({"us-east-1": campaigns(2), "eu-west-2": campaigns(2, region="eu-west-2")},
            faults=Faults(deny_regions={"eu-west-2"}))
    run = audit("--region", "us-east-1", "--region", "eu-west-2", "--select", "CC3")
    [(region, message)] = failures(run)
    assert region == "eu-west-2" and "AccessDeniedException" in message
    assert run.json()["summary"]["campaigns"] == 2 and run.code == 1


def test_throttling_bursts_are_retried(service):
    fake = service({"us-east-1": campaigns(10)},
                   faults=Faults(throttle_first={"DescribeCampaign": 4, "ListCampaigns": 1}))
    run = audit("--region", "us-east-1", "--retry-mode", "standard")
    assert failures(run) == []
    assert fake.calls["DescribeCampaign"] == 14 and run.json()["summary"]["campaigns"] == 10


def test_throttled_after_retries_is_one_finding(service):
    items = campaigns(3)
    service({"us-east-1": items}, faults=Faults(always_throttled={items[2]["id"]}))
    run = audit("--region", "us-east-1", "--max-attempts", "2", "--retry-mode", "standard")
    [finding] = findings_of(run, "CC003")
    assert "ThrottlingException" in finding["message"]
    assert finding["campaign"]["arn"] == items[2]["arn"]
    assert run.json()["summary"]["campaigns"] == 2


def test_internal_errors_are_retried_then_reported(service):
    items = campaigns(3)
    service({"us-east-1": items}, faults=Faults(internal_errors={items[0]["id"]: 2, items[1]["id"]: -1}))
    run = audit("--region", "us-east-1", "--max-attempts", "3", "--retry-mode", "standard")
    [finding] = findings_of(run, "CC003")
    assert "InternalServerException" in finding["message"]
    assert finding["campaign"]["id"] == items[1]["id"]


def test_campaign_deleted_between_list_and_describe(service):
    items = campaigns(3)
    service({"us-east-1": items}, faults=Faults(vanished={items[0]["id"]}))
    run = audit("--region", "us-east-1")
    [finding] = findings_of(run, "CC003")
    assert "deleted between list and describe" in finding["message"]
    assert "ResourceNotFoundException" in finding["message"]


def test_slow_response_past_the_read_timeout(service):
    items = campaigns(2)
    service({"us-east-1": items}, faults=Faults(slow={items[0]["id"]: 3}))
    run = audit("--region", "us-east-1", "--read-timeout", "0.5", "--max-attempts", "1")
    [finding] = findings_of(run, "CC003")
    assert "ReadTimeout" in finding["message"]
    assert run.json()["summary"]["campaigns"] == 1


def test_expired_credentials_are_reported_per_region(service):
    service({"us-east-1": campaigns(1)}, faults=Faults(region_errors={"us-east-1": (403, "ExpiredTokenException")}))
    run = audit("--region", "us-east-1")
    [(region, message)] = failures(run)
    assert "ExpiredTokenException" in message and run.code == 1


def test_audit_sarif_and_junit_name_campaigns_by_arn_and_region(service, tmp_path):
    from jsonschema import Draft7Validator
    from junitparser import JUnitXml

    from .test_ci_outputs import SARIF_SCHEMA

    items = campaigns(2)
    overlapping(items[0])
    service({"us-east-1": items})
    sarif = json.loads(audit("--format", "sarif", "--region", "us-east-1").out)
    assert list(Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).iter_errors(sarif)) == []
    [result] = sarif["runs"][0]["results"]
    [location] = result["locations"]
    assert "physicalLocation" not in location
    assert location["logicalLocations"][0]["fullyQualifiedName"] == items[0]["arn"]
    audit("--format", "junit", "--region", "us-east-1", "--output", str(tmp_path / "r.xml"))
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "r.xml")))
    assert suite.name == "us-east-1" and suite.tests == 2 and suite.failures == 1


def test_unreachable_endpoint(aws_env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    aws_env.setenv("AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2", f"http://127.0.0.1:{port}")
    run = audit("--region", "us-east-1", "--max-attempts", "1", "--connect-timeout", "1")
    [(region, message)] = failures(run)
    assert region == "us-east-1" and "EndpointUnreachable" in message
    assert run.code == 1 and "Traceback" not in run.err


def test_missing_credentials_is_a_usage_error(aws_env):
    aws_env.delenv("AWS_ACCESS_KEY_ID")
    aws_env.delenv("AWS_SECRET_ACCESS_KEY")
    run = audit("--region", "us-east-1")
    assert run.code == 2 and run.err.startswith("campaign-lint: error: no AWS credentials found")
    assert len(run.err.strip().splitlines()) == 1


def test_unknown_profile_and_missing_region_are_usage_errors(aws_env):
    assert "could not be found" in audit("--profile", "nope", "--region", "us-east-1").err
    run = audit()
    assert run.code == 2 and "no region" in run.err


def test_all_regions_comes_from_botocore_endpoint_data(service):
    import boto3
    expected = sorted(boto3.Session().get_available_regions("connectcampaignsv2"))
    fake = service({"us-east-1": campaigns(1)})
    run = audit("--all-regions")
    assert run.json()["summary"]["regions"] == len(expected) >= 2
    assert sorted(region for region, _ in grouped(fake.requests)["ListCampaigns"]) == expected


# --- what the account adds ---------------------------------------------------------------------

def test_states_decide_which_campaigns_count_for_capacity(service):
    items = campaigns(3)
    for item in items:
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.5
    service({"us-east-1": items}, states={items[0]["id"]: "Running", items[1]["id"]: "Paused",
                                           items[2]["id"]: "Stopped"})
    assert findings_of(audit("--region", "us-east-1"), "CC601") == []
    service({"us-east-1": items}, states={items[0]["id"]: "Running", items[1]["id"]: "Running",
                                           items[2]["id"]: "Paused"})
    [grouped_finding] = findings_of(audit("--region", "us-east-1"), "CC601")
    assert "of 3 active campaigns" in grouped_finding["message"] and len(grouped_finding["related"]) == 2


def test_instance_limits_decide_whether_opt_in_is_capped(service):
    item = make_campaign(1, template=TEMPLATE)
    item["communicationLimitsOverride"] = {"instanceLimitsHandling": "OPT_IN"}
    service({"us-east-1": [item]}, instance_limits={"instance-1": []})
    [finding] = findings_of(audit("--region", "us-east-1"), "CC501")
    assert "instance has no communication limits" in finding["message"]
    service({"us-east-1": [item]}, instance_limits={
        "instance-1": [{"maxCountPerRecipient": 3, "frequency": 7, "unit": "DAY"}]})
    assert findings_of(audit("--region", "us-east-1"), "CC501") == []


def test_unknown_union_member_is_one_info_finding(service):
    item = make_campaign(1, template=TEMPLATE)
    item["channelSubtypeConfig"]["telephony"]["outboundMode"] = {"conversational": {"x": 1}}
    service({"us-east-1": [item]})
    run = audit("--region", "us-east-1")
    assert [f["rule"] for f in run.json()["findings"]] == ["CC109"]
    assert '"conversational"' in run.json()["findings"][0]["message"]
    assert run.code == 0


def test_schedule_datetimes_are_linted_like_file_timestamps(service):
    item = make_campaign(1, template=TEMPLATE)
    item["schedule"] = {"startTime": "2025-01-01T00:00:00Z", "endTime": "2025-02-01T00:00:00Z"}
    service({"us-east-1": [item]})
    [finding] = findings_of(audit("--region", "us-east-1"), "CC402")
    assert "2025-02-01" in finding["message"]


def test_campaign_tag_suppression_works_in_the_account(service):
    item = overlapping(make_campaign(1, template=TEMPLATE))
    item["tags"] = {"campaign-lint:ignore": "CC301/CC206"}
    service({"us-east-1": [item]})
    run = audit("--region", "us-east-1")
    assert findings_of(run, "CC301")[0]["suppressed"] == "campaign tag campaign-lint:ignore"
    [unused] = findings_of(run, "CC011")
    assert "CC206" in unused["message"] and unused["campaign"]["arn"] == item["arn"]


def test_save_round_trip(service, tmp_path):
    items = campaigns(3)
    overlapping(items[0])
    items[1]["communicationTimeConfig"]["localTimeZoneConfig"]["defaultTimeZone"] = "US/Eastern"
    items[2]["name"] = "needs/escaping: yes"
    service({"us-east-1": items})
    audited = audit("--region", "us-east-1", "--save", str(tmp_path / "saved"))
    saved = sorted(p.relative_to(tmp_path) for p in (tmp_path / "saved").rglob("*.json"))
    assert len(saved) == 3 and all(p.parts[1] == "us-east-1" for p in saved)
    assert any(p.name.startswith("needs-escaping-yes-") for p in saved)
    checked = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path / "saved"))

    def essence(run):
        return sorted((f["rule"], f["campaign"]["arn"], f["pointer"], f["message"])
                      for f in run.json()["findings"])

    assert essence(checked) == essence(audited)
    assert {"CC301", "CC310", "CC603"} <= {rule for rule, *_ in essence(audited)}
    assert all(f["line"] for f in checked.json()["findings"])


# --- progress and concurrency -------------------------------------------------------------------

def test_concurrency_is_bounded_by_max_workers(service):
    fake = service({"us-east-1": campaigns(24)}, faults=Faults(latency=0.05))
    run = audit("--region", "us-east-1", "--max-workers", "3")
    assert run.json()["summary"]["campaigns"] == 24
    assert 2 <= fake.max_in_flight <= 3


@pytest.mark.parametrize("term", ["xterm-256color", "dumb"])
def test_progress_bar_on_a_terminal(service, tmp_path, term):
    import os

    from .conftest import run_on_pty

    service({"us-east-1": campaigns(5)})
    code, shown = run_on_pty("audit", "--isolated", "--region", "us-east-1", "--format", "json",
                             "--output", str(tmp_path / "r.json"), env=dict(os.environ, TERM=term),
                             stdout_on_pty=False)
    assert code == 0
    assert b"describing campaigns: us-east-1 5/5" in shown
    assert (b"\x1b" in shown) is (term != "dumb")  # TERM=dumb: no escape sequence at all


def test_audit_html_report_draws_every_campaign(service):
    items = campaigns(3)
    service({"us-east-1": [overlapping(items[0]), *items[1:]]})
    page = run_cli("audit", "--isolated", "--today", TODAY, "--region", "us-east-1", "--format", "html")
    assert page.code == 1 and page.out.count('<tr class="finding') == len(
        audit("--region", "us-east-1").json()["findings"])
    assert page.out.count('<article class="campaign">') == 3 and 'data-rule="CC301"' in page.out


def test_progress_draws_only_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(True, stream)
    progress.listed("us-east-1", 2)
    progress.described("us-east-1")
    progress.close()
    assert "us-east-1 1/2" in stream.getvalue() and stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    silent = Progress(False, quiet)
    silent.listed("us-east-1", 2)
    silent.close()
    assert quiet.getvalue() == ""


# --- pacing ----------------------------------------------------------------------------------

class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_is_unpaced_until_throttled_then_tracks_the_allowed_rate():
    from campaign_lint.sources.aws import Pacer

    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    pacer.wait()
    assert clock.slept == []  # no limit known: no waiting
    pacer.throttled()
    assert pacer.rate is None  # one throttle tells nothing about the rate yet
    for _ in range(60):  # the service lets 40 calls a second through
        clock.now += 1 / 40
        pacer.success()
    pacer.throttled()
    assert 38 <= pacer.rate <= 40
    before = clock.now
    for _ in range(10):
        pacer.wait()
    assert clock.now - before == pytest.approx(9 / pacer.rate, rel=0.01)


def test_call_with_retries_policy():
    from botocore.exceptions import ClientError

    from campaign_lint.sources.aws import Pacer, call_with_retries

    def error(code):
        return ClientError({"Error": {"Code": code, "Message": code}}, "DescribeCampaign")

    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    outcomes = [error("ThrottlingException"), error("InternalServerException"), "ok"]

    def call():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert call_with_retries(call, pacer, 3, sleep=clock.sleep) == "ok"
    with pytest.raises(ClientError):  # not retryable: raised at once
        outcomes[:] = [error("AccessDeniedException"), "ok"]
        call_with_retries(call, pacer, 5, sleep=clock.sleep)
    assert outcomes == ["ok"]
    with pytest.raises(ClientError):  # attempts are bounded
        outcomes[:] = [error("ThrottlingException")] * 2 + ["ok"]
        call_with_retries(call, pacer, 2, sleep=clock.sleep)


def test_save_into_a_file_is_a_usage_error(service, tmp_path):
    service({"us-east-1": campaigns(1)})
    (tmp_path / "taken").write_text("not a folder")
    run = audit("--region", "us-east-1", "--save", str(tmp_path / "taken"))
    assert run.code == 2 and "cannot create the --save folder" in run.err


def test_profile_supplies_region_and_credentials(service, aws_env, tmp_path):
    aws_env.delenv("AWS_ACCESS_KEY_ID")
    aws_env.delenv("AWS_SECRET_ACCESS_KEY")
    (tmp_path / "no-config").write_text("[profile audit]\nregion = eu-west-2\n")
    (tmp_path / "no-credentials").write_text("[audit]\naws_access_key_id = AKIDPROFILE\n"
                                             "aws_secret_access_key = secret\n")
    fake = service({"eu-west-2": campaigns(2, region="eu-west-2")})
    run = audit("--profile", "audit")
    assert run.code in (0, 1) and run.json()["summary"]["campaigns"] == 2
    assert {region for region, _ in grouped(fake.requests)["ListCampaigns"]} == {"eu-west-2"}
    aws_env.setenv("AWS_PROFILE", "audit")
    assert audit().json()["summary"]["regions"] == 1
