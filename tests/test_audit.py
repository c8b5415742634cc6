"""``campaign-lint audit``: the real boto3 client against the fake service on 127.0.0.1."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest

from campaign_lint.sources.aws import Progress

from .conftest import EXAMPLES, TODAY, findings_of, run_cli, set_pointer
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


def _tagged_account(service) -> dict:
    item = overlapping(make_campaign(1, template=TEMPLATE))
    item["tags"] = {"campaign-lint:ignore": "CC301/CC206"}
    service({"us-east-1": [item]})
    return item


@pytest.mark.parametrize("setting", [["--suppressions", "comments,metadata"], ["--suppressions", "none"], "config"])
def test_campaign_tags_not_honoured_hide_nothing_in_the_account(service, tmp_path, setting):
    _tagged_account(service)
    if setting == "config":  # a compliance team's config: tags are anyone's with TagResource
        (tmp_path / "lint.toml").write_text('suppressions = ["comments"]\n')
        setting = ["--config", str(tmp_path / "lint.toml")]
        why = f'suppressions = ["comments"] in {tmp_path / "lint.toml"}'
    else:
        setting = ["--isolated", *setting]
        why = " ".join(setting[1:])
    run = run_cli("audit", "--today", TODAY, "--format", "json", "--region", "us-east-1", *setting)
    assert run.code == 1 and findings_of(run, "CC301")[0]["suppressed"] is None
    assert findings_of(run, "CC011") == []  # its CC206 is not "unused": the tag is not read
    assert run.err == f"campaign-lint: note: 1 campaign-lint:ignore tag not honoured ({why})\n"


def test_the_baseline_applies_in_the_account_when_no_tag_is_honoured(service, tmp_path):
    _tagged_account(service)
    baseline = tmp_path / "accepted.json"
    assert audit("--region", "us-east-1", "--suppressions", "none", "--write-baseline", str(baseline)).code == 0
    run = audit("--region", "us-east-1", "--suppressions", "none", "--baseline", str(baseline))
    assert run.code == 0 and findings_of(run, "CC301")[0]["suppressed"] == "baseline"
    assert audit("--region", "us-east-1", "--suppressions", "tags").err == ""


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


# --- hostile environments: one-line usage errors, never "internal error" (issue 8, item 6) -------

def usage_error(run, *words):
    assert run.code == 2, (run.code, run.err)
    assert run.err.startswith("campaign-lint: error: ") and len(run.err.strip().splitlines()) == 1
    assert "internal error" not in run.err and "Traceback" not in run.err
    for word in words:
        assert word in run.err
    return run


@pytest.mark.parametrize("text, words", [
    ("region = us-east-1\n[default\n", "cannot load the AWS configuration"),
    ("[profile]\x00\n\xff", "cannot load the AWS configuration"),
])
def test_malformed_aws_config_is_a_usage_error(service, tmp_path, text, words):
    service({"us-east-1": campaigns(1)})
    (tmp_path / "no-config").write_bytes(text.encode("utf-8", "surrogateescape"))
    usage_error(audit("--region", "us-east-1"), words)


def test_invalid_and_unknown_regions_are_usage_errors(service, aws_env):
    service({"us-east-1": campaigns(1)})
    usage_error(audit("--region", "us east 1"), "unknown region 'us east 1'")
    usage_error(audit("--region", "us-esat-1"), "unknown region 'us-esat-1'", "did you mean")
    aws_env.setenv("AWS_DEFAULT_REGION", "../../etc")
    usage_error(audit(), "unknown region '../../etc'")


@pytest.mark.parametrize("option", ["--read-timeout", "--connect-timeout"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_timeouts_must_be_positive(service, option, value):
    service({"us-east-1": campaigns(1)})
    usage_error(audit("--region", "us-east-1", option, value), option, "above 0")


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/", "http://127.0.0.1:99999", "http://[::1"])
def test_bad_endpoint_url_is_a_usage_error(aws_env, tmp_path, url):
    aws_env.setenv("AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2", url)
    usage_error(audit("--region", "us-east-1", "--max-attempts", "1"), "endpoint")
    aws_env.delenv("AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2")
    (tmp_path / "no-config").write_text(f"[default]\nendpoint_url = {url}\n")
    usage_error(audit("--region", "us-east-1", "--max-attempts", "1"), "endpoint")


# --- the audit never passes by reading nothing (issue 8, items 9 and 10) ------------------------

HTML = b"<html><body>Service Unavailable</body></html>"


def truncated(body):
    return body[:len(body) // 2]


@pytest.mark.parametrize("mangle", [lambda b: HTML, lambda b: b"{}", truncated, lambda b: b"[]", lambda b: b"\xff\xfe"],
                         ids=["html", "empty-object", "truncated", "array", "not-utf8"])
def test_a_200_listing_that_is_not_a_listing_is_cc003(service, mangle):
    service({"us-east-1": campaigns(3)}, faults=Faults(mangle={"ListCampaigns": mangle}))
    run = audit("--region", "us-east-1")
    [(region, message)] = failures(run)
    assert region == "us-east-1" and "MalformedResponse" in message and "ListCampaigns" in message
    assert run.code == 1 and run.json()["summary"]["campaigns"] == 0
    assert "no campaign was read" in run.err


@pytest.mark.parametrize("mangle", [lambda b: HTML, lambda b: b"{}", truncated, lambda b: b'{"campaign": null}',
                                    lambda b: b'{"campaign": "x"}', lambda b: b.replace(b"00000", b"99999")],
                         ids=["html", "empty-object", "truncated", "null", "string", "other-campaign"])
def test_a_200_description_without_the_campaign_is_cc003(service, mangle):
    items = campaigns(2)
    service({"us-east-1": items}, faults=Faults(mangle={"DescribeCampaign": mangle}))
    run = audit("--region", "us-east-1")
    found = findings_of(run, "CC003")
    assert sorted(f["campaign"]["id"] for f in found) == sorted(i["id"] for i in items)
    assert all("DescribeCampaign" in f["message"] for f in found)
    assert run.code == 1 and "No problems found" not in run.out


def test_a_200_state_batch_without_states_is_cc003(service):
    service({"us-east-1": campaigns(2)}, faults=Faults(mangle={"GetCampaignStateBatch": lambda b: b"{}"}))
    run = audit("--region", "us-east-1")
    [(_, message)] = failures(run)
    assert "cannot read the state" in message and "MalformedResponse" in message


def test_listing_that_repeats_its_token_ends_with_cc003(service):
    fake = service({"us-east-1": campaigns(3)}, faults=Faults(pagination="repeat"))
    run = audit("--region", "us-east-1")
    [(_, message)] = failures(run)
    assert "nextToken it had returned before" in message
    assert fake.calls["ListCampaigns"] == 2
    assert run.json()["summary"]["campaigns"] == 3  # what was listed is still linted


def test_listing_that_never_ends_stops_at_the_page_cap(service, monkeypatch):
    import campaign_lint.sources.aws as aws

    monkeypatch.setattr(aws, "MAX_PAGES", 7)
    fake = service({"us-east-1": campaigns(3)}, faults=Faults(pagination="endless"))
    run = audit("--region", "us-east-1")
    [(_, message)] = failures(run)
    assert "after 7 pages" in message and run.code == 1
    assert fake.calls["ListCampaigns"] == 7


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
@pytest.mark.parametrize("operations", [("ListCampaigns",), ("DescribeCampaign", "GetCampaignStateBatch",
                                                              "GetInstanceCommunicationLimits")])
def test_max_attempts_is_attempts_in_total_for_every_call(service, operations, mode):
    fake = service({"us-east-1": campaigns(1)},
                   faults=Faults(failing=dict.fromkeys(operations, "InternalServerException")))
    run = audit("--region", "us-east-1", "--max-attempts", "3", "--retry-mode", mode)
    assert {operation: fake.calls[operation] for operation in operations} == dict.fromkeys(operations, 3)
    assert len(failures(run)) == len(operations)
    assert all("InternalServerException" in message for _, message in failures(run))


def test_throttled_calls_are_retried_by_campaign_lint_not_botocore(service):
    fake = service({"us-east-1": campaigns(1)}, faults=Faults(throttle_first={"GetInstanceCommunicationLimits": 2,
                                                                               "GetCampaignStateBatch": 2}))
    assert failures(audit("--region", "us-east-1", "--max-attempts", "3")) == []
    assert fake.calls["GetInstanceCommunicationLimits"] == fake.calls["GetCampaignStateBatch"] == 3
    fake = service({"us-east-1": campaigns(1)}, faults=Faults(throttle_first={"GetInstanceCommunicationLimits": 2}))
    [(_, message)] = failures(audit("--region", "us-east-1", "--max-attempts", "2"))
    assert "ThrottlingException" in message and fake.calls["GetInstanceCommunicationLimits"] == 2


def test_a_region_without_the_service_says_so(service):
    service({"us-east-1": []}, faults=Faults(region_errors={"us-east-2": (403, "AccessDeniedException")}))
    [(region, message)] = failures(audit("--region", "us-east-2"))
    assert region == "us-east-2" and "connectcampaignsv2 is not offered there" in message


def test_instance_without_campaigns_is_a_finding(service):
    service({"us-east-1": campaigns(2), "eu-west-2": campaigns(1, region="eu-west-2")})
    run = audit("--region", "us-east-1", "--region", "eu-west-2", "--instance-id", "instance-typo")
    [finding] = findings_of(run, "CC003")
    assert "no campaign of instance instance-typo in us-east-1, eu-west-2" in finding["message"]
    assert run.code == 1 and "no campaign was read from instance instance-typo" in run.err
    run = audit("--region", "us-east-1", "--region", "eu-west-2", "--instance-id", "instance-1")
    assert failures(run) == [] and run.json()["summary"]["campaigns"] == 3


def test_a_run_that_read_no_campaign_says_so(service):
    service({"us-east-1": []})
    run = audit("--region", "us-east-1")
    assert run.code == 0 and run.json()["findings"] == []
    assert run.err == "campaign-lint: warning: no campaign was read from 1 region; nothing was checked\n"


OPT_IN = "af-south-1"


def test_all_regions_skips_opt_in_regions_the_account_has_not_enabled(service):
    import boto3

    assert OPT_IN in boto3.Session().get_available_regions("connectcampaignsv2")
    rejected = (403, "UnrecognizedClientException")
    service({"us-east-1": campaigns(2)}, faults=Faults(region_errors={OPT_IN: rejected}))
    run = audit("--all-regions")
    assert findings_of(run, "CC003") == [] and run.code == 0
    [skipped] = findings_of(run, "CC006")
    assert skipped["severity"] == "info" and skipped["region"] == OPT_IN
    assert "opt-in region this account has not enabled" in skipped["message"]
    # named explicitly, the region is not skipped: the user asked for it
    [(region, message)] = failures(audit("--region", OPT_IN, "--region", "us-east-1"))
    assert region == OPT_IN and "may not have enabled it" in message
    # credentials that no region accepts are not an opt-in question
    regions = boto3.Session().get_available_regions("connectcampaignsv2")
    service({"us-east-1": campaigns(2)}, faults=Faults(region_errors={r: rejected for r in regions}))
    run = audit("--all-regions")
    assert len(failures(run)) == len(regions) and findings_of(run, "CC006") == [] and run.code == 1


# --- snapshots: state recorded, prune (issue 13, item 11) ----------------------------------------

def essence(run, prefix=""):
    return sorted((f["rule"], f["campaign"]["arn"], f["pointer"], f["message"])
                  for f in run.json()["findings"] if f["rule"].startswith(prefix))


def test_saved_snapshots_give_check_the_same_cross_campaign_findings(service, tmp_path):
    items = campaigns(4)
    for item in items:
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.6
    items[3]["communicationLimitsOverride"] = {"instanceLimitsHandling": "OPT_IN"}
    states = {items[0]["id"]: "Running", items[1]["id"]: "Stopped", items[2]["id"]: "Completed",
              items[3]["id"]: "Paused"}
    service({"us-east-1": items}, states=states, instance_limits={"instance-1": []})
    audited = audit("--region", "us-east-1", "--save", str(tmp_path / "saved"))
    checked = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path / "saved"))
    assert essence(checked) == essence(audited)
    [grouped_finding] = findings_of(audited, "CC601")  # one finding per instance, naming both
    assert {grouped_finding["campaign"]["arn"]} | {r["campaign"]["arn"] for r in grouped_finding["related"]} == {
        items[0]["arn"], items[3]["arn"]}
    assert "instance has no communication limits" in findings_of(checked, "CC501")[0]["message"]
    saved = {json.loads(p.read_text())["campaign"]["id"]: json.loads(p.read_text())
             for p in (tmp_path / "saved").rglob("*.json")}
    assert {ident: doc["state"] for ident, doc in saved.items()} == states


def test_a_snapshot_state_outside_the_model_counts_as_active(tmp_path):
    template = {"campaignLintSnapshot": 1, "state": "Stopped", "campaign": None}
    for index, state in enumerate(["Stopped", "Hibernating"]):
        item = make_campaign(index, template=TEMPLATE)
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.6
        (tmp_path / f"{index}.json").write_text(json.dumps({**template, "state": state, "campaign": item}))
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path))
    assert findings_of(run, "CC601") == []  # one Stopped: the other has the instance alone
    (tmp_path / "0.json").write_text((tmp_path / "0.json").read_text().replace('"Stopped"', '"Running"'))
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path))
    [grouped_finding] = findings_of(run, "CC601")  # an unknown state is not taken as stopped
    assert len(grouped_finding["related"]) == 1


def test_prune_removes_only_snapshots_of_campaigns_gone_or_renamed(service, tmp_path):
    saved = tmp_path / "saved"
    items = campaigns(6)
    service({"us-east-1": items})
    assert audit("--region", "us-east-1", "--save", str(saved)).code == 0
    region = saved / "us-east-1"

    def name(index, label=None):
        return f"{label or f'campaign-{index}'}-{items[index]['id']}.json"

    files = {p.name for p in region.iterdir()}
    assert files == {name(i) for i in range(6)}
    # what campaign-lint did not write, or would not have named so, is never touched
    foreign = {"notes.json": "{}", "hand-written.json": json.dumps({"campaign": items[3]}),
               "copy-of-campaign-3.json": (region / name(3)).read_text()}
    for file, text in foreign.items():
        (region / file).write_text(text)
    outside = tmp_path / "outside.json"  # a symlink with the very name campaign-lint uses
    outside.write_text((region / name(4)).read_text())
    (region / name(4)).unlink()
    (region / name(4)).symlink_to(outside)
    (region / name(5)).write_text(json.dumps({"campaign": items[5]}))  # the marker removed by hand
    (saved / "README.md").write_text("keep me")
    renamed = dict(items[2], name="campaign-2-renamed")
    service({"us-east-1": [items[0], items[1], renamed]})  # 3, 4, 5 deleted; 2 renamed
    run = audit("--region", "us-east-1", "--save", str(saved), "--prune")
    assert run.code == 0
    left = {p.name for p in region.iterdir()}
    assert left == {name(0), name(1), name(2, "campaign-2-renamed"), name(4), name(5)} | set(foreign)
    assert outside.exists() and (region / name(4)).is_symlink()
    assert (saved / "README.md").read_text() == "keep me"
    assert run.err.count("--prune removed") == 2


def test_prune_keeps_everything_when_a_listing_is_incomplete_or_out_of_scope(service, tmp_path):
    saved = tmp_path / "saved"
    items = campaigns(2) + [make_campaign(7, template=TEMPLATE, connectInstanceId="instance-2")]
    service({"us-east-1": items})
    audit("--region", "us-east-1", "--save", str(saved))
    before = sorted(p.name for p in (saved / "us-east-1").iterdir())
    service({"us-east-1": []}, faults=Faults(mangle={"ListCampaigns": truncated}))
    audit("--region", "us-east-1", "--save", str(saved), "--prune")
    service({"us-east-1": [items[2]]})  # instance-1's campaigns are out of scope
    audit("--region", "us-east-1", "--save", str(saved), "--prune", "--instance-id", "instance-2")
    service({"us-east-1": items}, faults=Faults(failing={"DescribeCampaign": "AccessDeniedException"}))
    audit("--region", "us-east-1", "--save", str(saved), "--prune")
    assert sorted(p.name for p in (saved / "us-east-1").iterdir()) == before
    usage_error(audit("--region", "us-east-1", "--prune"), "--prune needs --save")


def test_a_campaign_name_with_a_lone_surrogate_is_saved(service, tmp_path):
    items = campaigns(2)
    items[1]["name"] = "half \ud800 pair"
    service({"us-east-1": items})
    run = audit("--region", "us-east-1", "--save", str(tmp_path / "saved"))
    assert run.code == 0 and failures(run) == [] and run.json()["summary"]["campaigns"] == 2
    saved = [json.loads(p.read_text()) for p in (tmp_path / "saved").rglob("*.json")]
    assert sorted(doc["campaign"]["name"] for doc in saved) == ["campaign-0", "half \ud800 pair"]


# --- Ctrl-C ----------------------------------------------------------------------------------------

def test_ctrl_c_stops_within_a_second_keeping_complete_snapshots(service, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    fake = service({"us-east-1": campaigns(60)}, faults=Faults(latency=0.3))
    saved = tmp_path / "saved"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "campaign_lint", "audit", "--isolated", "--region", "us-east-1",
                             "--max-workers", "4", "--save", str(saved), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        # Ctrl-C while files are saved and calls are in flight
        while (len(list(saved.rglob("*.json"))) < 4 or not fake.in_flight) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.in_flight
        # how the child treats SIGINT when it is sent (for a failure's message: this test has
        # failed rarely under load with the signal having no effect at all)
        status = Path(f"/proc/{proc.pid}/status")
        handling = [line for line in status.read_text().splitlines()
                    if line.startswith(("SigIgn", "SigCgt", "SigBlk"))] if status.exists() else []
        # the audit's worker threads block SIGINT, so the kernel hands it to the main thread
        workers = [task / "status" for task in Path(f"/proc/{proc.pid}/task").iterdir()
                   if task.name != str(proc.pid)]
        blocked = [int(next(line for line in path.read_text().splitlines() if line.startswith("SigBlk"))
                       .split()[1], 16) & 2 for path in workers]
        assert workers and all(blocked), blocked
        pressed = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - pressed
    finally:
        proc.kill()
    assert proc.returncode == 130 and took < 1.0, (proc.returncode, took, err, handling)
    assert err.decode().strip().splitlines()[-1] == "campaign-lint: interrupted" and out == b""
    names = [p.name for p in saved.rglob("*")]
    assert not [n for n in names if n.startswith(".campaign-lint-") or n.endswith(".tmp")]
    snapshots = list(saved.rglob("*.json"))
    assert 4 <= len(snapshots) < 60
    for path in snapshots:  # every file left is whole: parses, with its campaign and state
        document = json.loads(path.read_text())
        assert document["campaign"]["id"] in path.name and document["state"] == "Running"


# --- whatever the service answers, the audit reports it (hypothesis) -------------------------------

def _pointers(value, prefix=""):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{prefix}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{prefix}/{index}")


POINTERS = sorted(p for p in _pointers(TEMPLATE) if p not in ("", "/id"))


_set = set_pointer


def test_any_described_campaign_is_reported_never_a_crash(service):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    values = st.recursive(
        st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
        | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=6)
    fake = service({"us-east-1": campaigns(1)})

    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(POINTERS), values), min_size=1, max_size=3))
    def audit_mutated(changes):
        item = campaigns(1)[0]
        for pointer, value in changes:
            try:
                _set(item, pointer, value)
            except (KeyError, IndexError, TypeError, ValueError):
                pass  # an earlier change removed the path
        fake.campaigns["us-east-1"] = [item]
        run = audit("--region", "us-east-1")
        assert run.code in (0, 1), run.err
        assert "internal error" not in run.err
        report = run.json()  # a valid report, whatever the service said
        # the campaign is linted, or its description is reported as unreadable: never nothing
        assert report["summary"]["campaigns"] + len(findings_of(run, "CC003")) >= 1

    audit_mutated()


# --- adversarial review: defects found after the hardening landed ----------------------------------

def test_max_workers_beyond_what_threads_allow_is_a_usage_error(service):
    service({"us-east-1": campaigns(1)})
    # was "internal error: RuntimeError: can't start new thread", after starting 30,000 threads
    usage_error(audit("--region", "us-east-1", "--max-workers", "100000"), "--max-workers", "256")
    assert audit("--region", "us-east-1", "--max-workers", "256").code == 0


def test_a_listed_summary_without_an_id_is_cc003_and_blocks_prune(service, tmp_path):
    items = campaigns(3)
    fake = service({"us-east-1": items})
    saved = tmp_path / "saved"
    audit("--region", "us-east-1", "--save", str(saved))
    before = sorted(p.name for p in (saved / "us-east-1").iterdir())
    hidden = json.dumps(items[0]["id"]).encode()
    fake.faults.mangle["ListCampaigns"] = lambda body: body.replace(hidden, b"5", 1)
    # was a green run of 2 campaigns, and --prune removed the file of the campaign still there
    run = audit("--region", "us-east-1", "--save", str(saved), "--prune")
    [(region, message)] = failures(run)
    assert "MalformedResponse" in message and "1 campaign summary without an id" in message
    assert run.code == 1 and run.json()["summary"]["campaigns"] == 2
    assert sorted(p.name for p in (saved / "us-east-1").iterdir()) == before


def test_campaigns_whose_state_the_batch_did_not_give_are_cc003(service):
    items = campaigns(3)
    for item in items:
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.6
    fake = service({"us-east-1": items})
    answer = {"successfulRequests": [{"campaignId": items[2]["id"], "state": "Stopped"},
                                     {"campaignId": "not-asked", "state": "Stopped"}],
              "failedRequests": [{"campaignId": items[0]["id"], "failureCode": "UnknownError"}]}
    fake.faults.mangle["GetCampaignStateBatch"] = lambda body: json.dumps(answer).encode()
    # was a green run: campaigns 0 and 1 silently counted as active
    run = audit("--region", "us-east-1")
    found = {f["campaign"]["id"]: f["message"] for f in findings_of(run, "CC003")}
    assert set(found) == {items[0]["id"], items[1]["id"]}
    assert "UnknownError" in found[items[0]["id"]] and "NotAnswered" in found[items[1]["id"]]
    assert all("counted as active" in message for message in found.values())
    [grouped] = findings_of(run, "CC601")  # one finding per instance, naming its campaigns
    assert '"campaign-0" 0.6, "campaign-1" 0.6' in grouped["message"]
    assert "campaign-2" not in grouped["message"]


def test_save_and_prune_never_go_through_a_symlinked_region_folder(service, tmp_path):
    # a repository of snapshots may hold links a stranger added: account/us-east-1 -> elsewhere
    items = campaigns(2)
    service({"us-east-1": items})
    saved, elsewhere = tmp_path / "saved", tmp_path / "elsewhere"
    elsewhere.mkdir()
    audit("--region", "us-east-1", "--save", str(elsewhere))  # real snapshots, of campaigns now gone
    kept = sorted(p.name for p in (elsewhere / "us-east-1").iterdir())
    saved.mkdir()
    (saved / "us-east-1").symlink_to(elsewhere / "us-east-1")
    service({"us-east-1": [make_campaign(7, template=TEMPLATE)]})
    # was: the snapshot written into elsewhere/, and elsewhere's two files pruned
    run = audit("--region", "us-east-1", "--save", str(saved), "--prune")
    [(region, message)] = failures(run)
    assert "is a symbolic link" in message and "cannot save campaign" in message
    assert sorted(p.name for p in (elsewhere / "us-east-1").iterdir()) == kept
    assert "--prune removed" not in run.err


def test_state_and_limits_count_only_beside_the_snapshot_marker(tmp_path):
    # a describe-campaign file with a "state" written beside it is not a snapshot: it was
    # enough to take a campaign out of CC601 (and give CC501 instance limits)
    for index, state in enumerate(["Stopped", "Running"]):
        item = make_campaign(index, template=TEMPLATE)
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.6
        (tmp_path / f"{index}.json").write_text(json.dumps({"state": state, "campaign": item}))
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path))
    [grouped] = findings_of(run, "CC601")  # one finding per instance, naming its campaigns
    assert "2 active campaigns" in grouped["message"] and '"campaign-0" 0.6' in grouped["message"]


@pytest.mark.parametrize("instance", ["", "arn:aws:connect:us-east-1:123456789012:instance/abc", "a" * 257])
def test_an_instance_id_the_api_refuses_is_a_usage_error(service, instance):
    fake = service({"us-east-1": campaigns(1)})
    # was a CC003 "ParamValidationError" (or ValidationException) in every region
    usage_error(audit("--region", "us-east-1", "--instance-id", instance), "--instance-id", "instance ARN")
    assert fake.calls == {}


def test_a_storm_that_lets_nothing_through_is_not_paced_at_the_floor():
    from campaign_lint.sources.aws import Pacer

    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    for _ in range(40):  # every call throttled for two seconds: nothing let through
        clock.now += 0.05
        pause = pacer.throttled()
    # was: rate 0.5 calls/s for every call of the region, 2 s per attempt, one after the
    # other (an audit of 1,000 campaigns in a storm took hours to end in CC003)
    assert pacer.rate is None and pause is None
    before = clock.now
    pacer.wait()
    assert clock.now == before
    pacer.success()  # something is let through again: pacing resumes from what is observed
    for _ in range(30):
        clock.now += 0.1
        pacer.success()
    assert pacer.throttled() is not None and 8 <= pacer.rate <= 12


def test_in_a_storm_every_call_ends_in_cc003_after_its_attempts(service):
    items = campaigns(8)
    fake = service({"us-east-1": items}, faults=Faults(always_throttled={item["id"] for item in items}))
    run = audit("--region", "us-east-1", "--max-attempts", "4")
    assert len(findings_of(run, "CC003")) == 8 and fake.calls["DescribeCampaign"] == 32


def test_ids_that_differ_only_in_unsafe_characters_get_their_own_snapshots(service, tmp_path):
    # the model allows "/" and ":" in a campaign id: both became "-", one file overwrote the other
    items = [make_campaign(1, template=TEMPLATE, id="team/one"), make_campaign(2, template=TEMPLATE, id="team:one"),
             make_campaign(3, template=TEMPLATE)]
    for item in items:
        item["name"] = "same"
    service({"us-east-1": items})
    run = audit("--region", "us-east-1", "--save", str(tmp_path / "saved"))
    assert failures(run) == [] and run.json()["summary"]["campaigns"] == 3
    names = sorted(p.name for p in (tmp_path / "saved" / "us-east-1").iterdir())
    assert names == sorted(["same-team%2Fone.json", "same-team%3Aone.json", f"same-{items[2]['id']}.json"])
    checked = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path / "saved"))
    assert checked.json()["summary"]["campaigns"] == 3


def test_a_campaign_holding_nan_is_not_saved_as_a_file_check_cannot_read(service, tmp_path):
    items = campaigns(2)
    items[0]["channelSubtypeConfig"]["telephony"]["capacity"] = float("nan")
    service({"us-east-1": items})
    # was: a snapshot with a bare NaN, which check then reported as CC001 "not valid JSON"
    run = audit("--region", "us-east-1", "--save", str(tmp_path / "saved"))
    [(_, message)] = failures(run)
    assert f"cannot save campaign {items[0]['id']}: it holds NaN or Infinity" in message
    assert findings_of(run, "CC105") and run.json()["summary"]["campaigns"] == 2
    checked = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path / "saved"))
    assert findings_of(checked, "CC001") == [] and checked.json()["summary"]["campaigns"] == 1
