"""CI formats (SARIF, JUnit, GitHub), suppressions and baselines."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import CONSOLE_READY, EXAMPLES, ROOT, TELEPHONY_AND_CAP, TODAY, findings_of, run_cli

#: the official OASIS schema: shared/ beside the checkout when there is one, else the copy here
SARIF_SCHEMA = next(p for p in (ROOT.parent / "shared" / "schemas" / "sarif-2.1.0.json",
                                ROOT / "tests" / "fixtures" / "sarif-2.1.0.json") if p.exists())

CAMPAIGN = TELEPHONY_AND_CAP + """\
name: collections
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: America/Chicago}
  telephony:
    openHours:
      dailyHours:
        MONDAY:
          - {startTime: T09:00, endTime: T12:00}
          - {startTime: T11:00, endTime: T14:00}
""" + CONSOLE_READY


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()  # the repository root SARIF URIs are relative to
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "c.yaml").write_text(CAMPAIGN)
    (tmp_path / "campaigns" / "clean.json").write_text((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    return tmp_path


def check(repo, *args, path="campaigns"):
    return run_cli("check", "--isolated", "--today", TODAY, *args, path, cwd=repo)


# --- SARIF ----------------------------------------------------------------------------

def sarif_validator():
    from jsonschema import Draft7Validator
    schema = json.loads(SARIF_SCHEMA.read_text())
    return Draft7Validator(schema)


def test_sarif_is_valid_and_complete(repo):
    run = check(repo, "--format", "sarif")
    assert run.code == 1
    document = json.loads(run.out)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert errors == [], errors[:3]
    driver = document["runs"][0]["tool"]["driver"]
    listed = run_cli("rules", "--isolated", "--format", "json").json()
    assert [r["id"] for r in driver["rules"]] == [r["id"] for r in listed]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    [result] = document["runs"][0]["results"]
    assert result["ruleId"] == "CC301" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "campaigns/c.yaml", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 16, "startColumn": 13}
    assert driver["rules"][result["ruleIndex"]]["id"] == "CC301"


def test_sarif_fingerprints_survive_line_shifts(repo):
    before = json.loads(check(repo, "--format", "sarif").out)["runs"][0]["results"][0]
    (repo / "campaigns" / "c.yaml").write_text("# a new header comment\n\n" + CAMPAIGN)
    after = json.loads(check(repo, "--format", "sarif").out)["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 18
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_sarif_marks_suppressed_results(repo):
    text = CAMPAIGN.replace("T11:00, endTime: T14:00}", "T11:00, endTime: T14:00}  # campaign-lint: ignore CC301 agreed with legal")
    (repo / "campaigns" / "c.yaml").write_text(text)
    run = check(repo, "--format", "sarif")
    assert run.code == 0
    document = json.loads(run.out)
    assert list(sarif_validator().iter_errors(document)) == []
    [result] = document["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "agreed with legal"}]


# --- JUnit --------------------------------------------------------------------------------

def test_junit_parses_with_a_real_junit_parser(repo, tmp_path):
    from junitparser import JUnitXml
    from junitparser import Failure

    run = check(repo, "--format", "junit", "--output", str(tmp_path / "report.xml"))
    assert run.code == 1
    xml = JUnitXml.fromfile(str(tmp_path / "report.xml"))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"campaigns/c.yaml", "campaigns/clean.json"}
    [failing] = list(suites["campaigns/c.yaml"])
    assert isinstance(failing.result[0], Failure)
    assert "CC301" in failing.result[0].type and "overlaps" in failing.result[0].message
    [passing] = list(suites["campaigns/clean.json"])
    assert passing.is_passed and passing.name == "policy-renewals-east: no problems"
    assert xml.failures == 1 and xml.tests == 2


def test_junit_verdict_follows_fail_on(repo, tmp_path):
    from junitparser import JUnitXml

    run = check(repo, "--format", "junit", "--fail-on", "never", "--output", str(tmp_path / "r.xml"))
    assert run.code == 0
    assert JUnitXml.fromfile(str(tmp_path / "r.xml")).failures == 0


# --- GitHub ----------------------------------------------------------------------------------

def test_github_annotations(repo):
    run = check(repo, "--format", "github")
    lines = run.out.splitlines()
    assert lines[0] == ("::error file=campaigns/c.yaml,line=16,col=13,title=CC301::telephony MONDAY "
                        "range T11:00-T14:00 overlaps T09:00-T12:00; merge them or make them meet "
                        "end-to-start [collections]")
    assert lines[-1].startswith("Found 1 problem")


def test_github_format_is_the_default_under_actions(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert check(repo).out.startswith("::error file=campaigns/c.yaml")
    assert check(repo, "--format", "text").out.startswith("campaigns/c.yaml:16:13: CC301")


def test_github_escapes_newlines_and_commas():
    from campaign_lint.model import Finding, Severity
    from campaign_lint.report.github_report import annotation

    finding = Finding("CC301", "x", Severity.WARNING, "a\nb, 100%", path="a,b:c.yaml", line=1, column=2)
    assert annotation(finding) == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=CC301::a%0Ab, 100%25"


# --- suppressions ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["CC301 CC206", "CC206/CC301", "CC206,CC301", "CC3"])
def test_campaign_tag_suppresses(repo, value):
    (repo / "campaigns" / "c.yaml").write_text(CAMPAIGN.replace("tags:\n", f"tags:\n  campaign-lint:ignore: {value}\n"))
    run = check(repo, "--format", "json")
    assert run.code == 0
    [finding] = findings_of(run, "CC301")
    assert finding["suppressed"] == "campaign tag campaign-lint:ignore"
    unused = findings_of(run, "CC011")
    assert [f["message"] for f in unused] == (
        ["suppression of CC206 matches no finding; remove it"] if "CC206" in value else [])


def test_yaml_comment_on_the_line_and_the_line_above(repo):
    same_line = CAMPAIGN.replace("T11:00, endTime: T14:00}", "T11:00, endTime: T14:00}  # campaign-lint: ignore CC301")
    (repo / "campaigns" / "c.yaml").write_text(same_line)
    assert findings_of(check(repo, "--format", "json"), "CC301")[0]["suppressed"] == "comment on line 16"
    above = CAMPAIGN.replace("          - {startTime: T11:00", "          # campaign-lint: ignore CC301, CC302 split shift\n          - {startTime: T11:00")
    (repo / "campaigns" / "c.yaml").write_text(above)
    run = check(repo, "--format", "json")
    assert findings_of(run, "CC301")[0]["suppressed"] == "split shift"
    [unused] = findings_of(run, "CC011")
    assert "CC302" in unused["message"] and unused["line"] == 16


def test_a_comment_reason_is_reported_as_written(repo):
    # the README's example reason came out as "agreed with compliance , ticket 42" (json, SARIF)
    text = CAMPAIGN.replace("T11:00, endTime: T14:00}",
                            "T11:00, endTime: T14:00}  # campaign-lint: ignore CC301 agreed with compliance, ticket 42")
    (repo / "campaigns" / "c.yaml").write_text(text)
    run = check(repo, "--format", "sarif")
    [result] = [r for r in run.json()["runs"][0]["results"] if r["ruleId"] == "CC301"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "agreed with compliance, ticket 42"}]


def test_ignore_file_comment(repo):
    (repo / "campaigns" / "c.yaml").write_text("# campaign-lint: ignore-file CC3 generated\n" + CAMPAIGN)
    run = check(repo, "--format", "json")
    assert run.code == 0 and findings_of(run, "CC301")[0]["suppressed"] == "generated"
    assert "0 errors" not in check(repo).out and "1 suppressed" in check(repo).out


def test_no_suppressions_shows_everything(repo):
    (repo / "campaigns" / "c.yaml").write_text("# campaign-lint: ignore-file CC3\n" + CAMPAIGN)
    run = check(repo, "--format", "json", "--no-suppressions")
    assert run.code == 1 and findings_of(run, "CC301")[0]["suppressed"] is None


def test_unused_suppression_of_an_unselected_rule_is_not_reported(repo):
    (repo / "campaigns" / "c.yaml").write_text("# campaign-lint: ignore-file CC206\n" + CAMPAIGN)
    assert findings_of(check(repo, "--format", "json"), "CC011")
    assert not findings_of(check(repo, "--format", "json", "--ignore", "CC206"), "CC011")


def test_ordinary_comments_are_left_alone(repo):
    (repo / "campaigns" / "c.yaml").write_text("# campaign-lint is great\n# ignore CC301\n" + CAMPAIGN)
    run = check(repo, "--format", "json")
    assert run.rules() == ["CC301"]


# --- baseline ------------------------------------------------------------------------------------

def test_baseline_round_trip(repo):
    written = check(repo, "--write-baseline", "baseline.json")
    assert written.code == 0 and "wrote 1 finding" in written.err
    baseline = json.loads((repo / "baseline.json").read_text())
    assert baseline["findings"][0]["rule"] == "CC301" and "line" not in baseline["findings"][0]
    assert not [p for p in os.listdir(repo)  # no temp file left (the result cache's folder is not one)
                if p.startswith(".campaign-lint-") and p != ".campaign-lint-cache"]

    accepted = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert accepted.code == 0
    assert findings_of(accepted, "CC301")[0]["suppressed"] == "baseline"

    # editing elsewhere in the file keeps the entry valid
    (repo / "campaigns" / "c.yaml").write_text("# header\n\n" + CAMPAIGN)
    assert check(repo, "--baseline", "baseline.json").code == 0

    # a new finding is reported
    (repo / "campaigns" / "c.yaml").write_text(CAMPAIGN.replace("America/Chicago", "America/Chicgo"))
    run = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert run.code == 1 and [f["rule"] for f in run.json()["findings"] if not f["suppressed"]] == ["CC309"]


@pytest.mark.parametrize("spelling", ["./campaigns/c.yaml", "campaigns//c.yaml", "campaigns/../campaigns/c.yaml",
                                      "ABSOLUTE", "FROM-SUBFOLDER"])
def test_a_baseline_holds_however_the_path_is_typed(repo, spelling):
    # each of these reported every accepted finding again, with no CC012 to say why
    check(repo, "--write-baseline", "baseline.json")
    [entry] = json.loads((repo / "baseline.json").read_text())["findings"]
    assert entry["file"] == "campaigns/c.yaml"  # relative to the repository root
    if spelling == "FROM-SUBFOLDER":
        run = run_cli("check", "--isolated", "--today", TODAY, "--baseline", "../baseline.json", "--format", "json",
                      "c.yaml", cwd=repo / "campaigns")
    else:
        path = str(repo / "campaigns" / "c.yaml") if spelling == "ABSOLUTE" else spelling
        run = check(repo, "--baseline", "baseline.json", "--format", "json", path=path)
    assert run.code == 0 and findings_of(run, "CC301")[0]["suppressed"] == "baseline"
    assert not findings_of(run, "CC012")


def test_a_baseline_holds_through_a_linked_folder(repo, tmp_path_factory):
    # the repository reached through a link (macOS /tmp, a CI workspace) keyed the file by
    # its absolute path: every accepted finding came back
    check(repo, "--write-baseline", "baseline.json")
    link = tmp_path_factory.mktemp("elsewhere") / "link"
    link.symlink_to(repo)
    run = run_cli("check", "--isolated", "--today", TODAY, "--baseline", str(link / "baseline.json"),
                  "--format", "json", str(link / "campaigns" / "c.yaml"), cwd=link)
    assert findings_of(run, "CC301")[0]["suppressed"] == "baseline"


def test_a_baseline_written_before_version_2_still_holds(repo):
    # version 1 named files as typed on the command line, read from the current folder
    check(repo, "--write-baseline", "baseline.json")
    document = json.loads((repo / "baseline.json").read_text())
    document["version"] = 1
    document["findings"][0]["file"] = "./campaigns/c.yaml"
    (repo / "baseline.json").write_text(json.dumps(document))
    run = check(repo, "--baseline", "baseline.json", "--format", "json")
    assert findings_of(run, "CC301")[0]["suppressed"] == "baseline"
    (repo / "baseline.json").write_text(json.dumps({**document, "version": 3}))
    run = check(repo, "--baseline", "baseline.json")
    assert run.code == 2 and "version 3 is not one this campaign-lint reads" in run.err


def test_a_stale_entry_is_reported_at_the_path_as_typed(repo):
    check(repo, "--write-baseline", "baseline.json")
    (repo / "campaigns" / "c.yaml").write_text(CAMPAIGN.replace("T09:00, endTime: T12:00", "T09:00, endTime: T10:00"))
    run = run_cli("check", "--isolated", "--today", TODAY, "--baseline", "../baseline.json", "--format", "json",
                  "c.yaml", cwd=repo / "campaigns")
    [stale] = findings_of(run, "CC012")
    assert stale["file"] == "c.yaml"


def test_bad_baseline_is_a_usage_error(repo):
    (repo / "baseline.json").write_text("[1, 2]")
    run = check(repo, "--baseline", "baseline.json")
    assert run.code == 2 and "not a campaign-lint baseline" in run.err
    run = check(repo, "--baseline", "missing.json")
    assert run.code == 2 and "cannot read the baseline" in run.err


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=8)
_ENTRY_FIELDS = ("rule", "file", "region", "campaign", "pointer", "policy", "count")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_JSON, st.dictionaries(st.sampled_from(_ENTRY_FIELDS), _JSON)), max_size=3))
def test_any_baseline_is_used_or_a_one_line_usage_error_never_an_internal_error(repo, entries):
    # entries with a list as rule, an object as campaign or a string as the entry were
    # "internal error: TypeError: unhashable type" (a helper's attack on main)
    (repo / "baseline.json").write_text(json.dumps({"version": 1, "findings": entries}))
    run = check(repo, "--baseline", "baseline.json")
    assert run.code in (0, 1, 2) and "internal error" not in run.err, run.err
    if run.code == 2:
        assert run.err.count("\n") == 1 and "not a campaign-lint baseline" in run.err


def test_trailing_comment_covers_its_own_line_only(repo):
    text = CAMPAIGN.replace("          - {startTime: T09:00, endTime: T12:00}",
                            "          - {startTime: T09:00, endTime: T12:00}  # campaign-lint: ignore CC301")
    (repo / "campaigns" / "c.yaml").write_text(text)
    run = check(repo, "--format", "json")
    assert findings_of(run, "CC301")[0]["suppressed"] is None  # the overlap is on the next line
    assert len(findings_of(run, "CC011")) == 1


def test_rewriting_a_baseline_keeps_accepted_entries(repo):
    check(repo, "--write-baseline", "baseline.json")
    (repo / "campaigns" / "c.yaml").write_text(CAMPAIGN.replace("America/Chicago", "America/Chicgo"))
    check(repo, "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    rules = sorted(e["rule"] for e in json.loads((repo / "baseline.json").read_text())["findings"])
    assert rules == ["CC301", "CC309"]
    assert check(repo, "--baseline", "baseline.json").code == 0


def test_write_baseline_counts_what_it_writes(repo):
    # it said "wrote 1 finding" for a CC011, which a baseline never records
    (repo / "campaigns" / "c.yaml").write_text("# campaign-lint: ignore-file CC206\n"
                                               + CAMPAIGN.replace("T09:00, endTime: T12:00", "T09:00, endTime: T10:00"))
    run = check(repo, "--write-baseline", "baseline.json")
    assert json.loads((repo / "baseline.json").read_text())["findings"] == []
    assert "wrote 0 findings to baseline.json" in run.err


@pytest.mark.parametrize("document, said", [
    ([1], 'the file holds a list, not an object like {"version": 2, "findings": [...]}'),
    ({"version": 2, "findings": 3}, '"findings" must be a list of entries, not a number'),
    ({"version": 2}, '"findings" must be a list of entries, not null'),
    ({"version": 2, "findings": [[1]]}, "an entry must be an object, not a list"),
    ({"version": 2, "findings": [{"rule": 5}]}, "rule of an entry must be a string, not a number"),
    ({"version": 9, "findings": []}, "version 9 is not one this campaign-lint reads (1 or 2)"),
])
def test_a_bad_baseline_says_what_is_wrong_in_the_file_s_terms(repo, document, said):
    # the reason was Python's: "(TypeError: list indices must be integers or slices, not str)",
    # "(KeyError: 'findings')", "not list"
    (repo / "baseline.json").write_text(json.dumps(document))
    run = check(repo, "--baseline", "baseline.json")
    assert run.code == 2
    assert run.err == (f"campaign-lint: error: baseline.json: not a campaign-lint baseline ({said}); "
                       "write one with --write-baseline\n")
