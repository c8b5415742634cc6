"""``--fix``, ``--unsafe-fixes`` and ``--diff``: fixes applied at the value's span in the
file's own text, so comments, order and formatting survive."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES, TODAY, run_cli

CHANNEL = """\
name: reminders   # the name
connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
channelSubtypeConfig:
  sms:
    capacity: 0.3
    outboundMode: {agentless: {}}
    defaultOutboundConfig:
      connectSourcePhoneNumberArn: arn:aws:connect:eu-west-2:123456789012:phone-number/5e6f7a8b-1234-4c5d-9e0f-a1b2c3d4e5f6
      wisdomTemplateArn: arn:aws:wisdom:eu-west-2:123456789012:message-template/3c4d5e6f-aaaa-4bbb-8ccc-ddddeeeeffff/7a8b9c0d-1111-4222-8333-444455556666
source:
  eventTrigger:
    customerProfilesDomainArn: arn:aws:profile:eu-west-2:123456789012:domains/clinic-patients
communicationLimitsOverride:
  allChannelSubtypes:
    communicationLimitsList:
      - {maxCountPerRecipient: 2, frequency: 7, unit: DAY}
"""

MESSY_YAML = CHANNEL + """\
communicationTimeConfig:
  localTimeZoneConfig:
    defaultTimeZone: Asia/Calcutta  # legacy name
  sms:
    openHours:
      dailyHours:
        MONDAY: [{startTime: 09:00, endTime: T20:00}]
        TUESDAY:
          - startTime: 9:00     # YAML 1.1 reads this as 540
            endTime: "10:30"
          - {startTime: T11:00, endTime: T12:00}
          # a comment between
          - {startTime: T11:00, endTime: T12:00}  # pasted twice
        WEDNESDAY: [{startTime: T09:00, endTime: T20:00}, {startTime: T09:00, endTime: T20:00}]
"""

FIXED_YAML = CHANNEL + """\
communicationTimeConfig:
  localTimeZoneConfig:
    defaultTimeZone: Asia/Kolkata  # legacy name
  sms:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T09:00, endTime: T20:00}]
        TUESDAY:
          - startTime: T09:00     # YAML 1.1 reads this as 540
            endTime: "T10:30"
          - {startTime: T11:00, endTime: T12:00}
          # a comment between
        WEDNESDAY: [{startTime: T09:00, endTime: T20:00}]
"""


def check(*args: str, cwd=None):
    return run_cli("check", "--isolated", "--today", TODAY, *args, cwd=cwd)


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "reminders.yaml"
    path.write_text(MESSY_YAML)
    return path


def test_fix_rewrites_only_the_values_and_keeps_comments_and_layout(messy):
    before = check(str(messy))
    assert before.code == 1 and before.out.count(" [*] ") == 6  # of 9: CC209, CC210, CC215 have no fix
    assert before.out.splitlines()[-2] == "[*] 6 fixable with --fix (--diff shows the changes)"
    run = check("--fix", "--format", "json", str(messy))
    assert messy.read_text() == FIXED_YAML
    assert run.code == 0 and {f["severity"] for f in run.json()["findings"]} <= {"info"}
    assert run.err == "campaign-lint: fixed 6 problems in 1 file\n"


def test_diff_prints_the_fix_and_changes_nothing(messy, tmp_path):
    run = check("--diff", str(messy))
    assert run.code == 1 and messy.read_text() == MESSY_YAML
    name = str(messy).lstrip("/")  # outside the current folder: named from /, as git diff does
    assert f"--- a/{name}\n+++ b/{name}\n" in run.out
    assert "-    defaultTimeZone: Asia/Calcutta  # legacy name\n" in run.out
    assert "+    defaultTimeZone: Asia/Kolkata  # legacy name\n" in run.out
    assert "-          - {startTime: T11:00, endTime: T12:00}  # pasted twice\n" in run.out
    assert run.err == "campaign-lint: would fix 6 problems in 1 file\n"
    clean = check("--diff", str(EXAMPLES / "clean"))
    assert (clean.code, clean.out) == (0, "")


def test_diff_with_another_format_is_a_usage_error(messy):
    # --diff --format json printed a unified diff where a JSON document was asked for
    run = check("--diff", "--format", "json", str(messy))
    assert run.code == 2 and "--diff prints a unified diff, not --format json" in run.err
    assert messy.read_text() == MESSY_YAML


def test_diff_paths_are_relative_like_git(tmp_path):
    (tmp_path / "c.yaml").write_text(MESSY_YAML)
    run = check("--diff", "c.yaml", cwd=tmp_path)
    assert run.out.startswith("--- a/c.yaml\n+++ b/c.yaml\n")


JSON_CAMPAIGN = (EXAMPLES / "broken" / "overlapping-hours.json").read_text()


@pytest.mark.parametrize("old,new", [
    ("name: reminders   # the name", "name: reminders\t# the name"),  # a tab, which libyaml reads
    ("name: reminders   # the name", "name: reminders\nnote: [x?y]"),  # a "?" in a plain scalar in a flow
    ("name: reminders   # the name", 'name: "remind\u2028ers"'),  # lines that end at \n alone, for editors
    ("name: reminders   # the name", 'name: "remind\x85ers"'),
    ("MONDAY: [{", "MONDAY: [{x: \ufeff, "),  # a U+FEFF's column, on the line of a fix
    ("", "\ufeff\ufeff"),  # two byte order marks: libyaml's offsets leave out the one after the first
])
def test_fixes_apply_where_the_check_found_them(tmp_path, old, new):
    # the fixes' own YAML loader (PyYAML's) refused the first two and counted lines and columns
    # otherwise in the others: nothing was fixed
    path = tmp_path / "c.yaml"
    path.write_text(MESSY_YAML.replace(old, new, 1))
    run = check("--fix", str(path))
    assert run.err == "campaign-lint: fixed 6 problems in 1 file\n"
    assert path.read_text() == FIXED_YAML.replace(old, new, 1)


def test_fix_in_json_keeps_the_layout(tmp_path):
    messy = JSON_CAMPAIGN.replace('"America/Los_Angeles"', '"US/Pacific"').replace(
        '"TUESDAY": [{"startTime": "T08:00", "endTime": "T20:00"}]',
        '"TUESDAY": [{"startTime": "08:00", "endTime": "T20:00"},\n'
        '            {"startTime": "08:00", "endTime": "T20:00"}]')
    path = tmp_path / "c.json"
    path.write_text(messy)
    run = check("--fix", str(path))
    # the two ranges become T08:00 (first round), then one is an exact duplicate (second round)
    assert path.read_text() == JSON_CAMPAIGN
    assert run.err == "campaign-lint: fixed 4 problems in 1 file\n"
    assert [line.split(": ")[1] for line in run.out.splitlines()[:-1]] == ["CC301 error", "CC305 error"]


def test_exact_duplicate_restricted_period_is_removed_from_json(tmp_path):
    one = '{"name": "New Year", "startDate": "2027-12-31", "endDate": "2028-01-02"}'
    text = JSON_CAMPAIGN.replace(
        '{"name": "New Year", "startDate": "2028-01-02", "endDate": "2027-12-31"}',
        f"{one},\n          {one}")
    path = tmp_path / "c.json"
    path.write_text(text)
    check("--fix", str(path))
    assert json.loads(path.read_text())["communicationTimeConfig"]["telephony"]["restrictedPeriods"] == {
        "restrictedPeriodList": [json.loads(one)]}
    assert path.read_text() == text.replace(f"{one},\n          {one}", one)


def test_fix_keeps_a_files_hard_links(tmp_path):
    # a replace gave the fixed name a new file: the other name kept the unfixed text
    path, other = tmp_path / "typos.yaml", tmp_path / "also-typos.yaml"
    path.write_text((EXAMPLES / "broken" / "typos.yaml").read_text())
    os.link(path, other)
    check("--fix", str(path))
    assert '{startTime: "T09:00", endTime: T17:00}' in path.read_text()
    assert other.read_text() == path.read_text() and path.stat().st_nlink == 2


def test_a_guess_is_an_unsafe_fix(tmp_path):
    path = tmp_path / "typos.yaml"
    path.write_text((EXAMPLES / "broken" / "typos.yaml").read_text())
    listed = check(str(path))
    assert "CC309 error" in listed.out and "CC309 [*]" not in listed.out
    assert listed.out.splitlines()[-2] == ("[*] 1 fixable with --fix; 1 more with --fix --unsafe-fixes "
                                           "(--diff shows the changes)")
    check("--fix", str(path))  # the safe fix only: "9:00" -> T09:00
    assert "Europe/Londn" in path.read_text() and '{startTime: "T09:00", endTime: T17:00}' in path.read_text()
    marked = check("--unsafe-fixes", str(path))
    assert "CC309 [*] error" in marked.out
    run = check("--fix", "--unsafe-fixes", str(path))
    assert "defaultTimeZone: Europe/London" in path.read_text() and "CC309" not in run.out


def test_json_output_says_which_findings_have_a_fix(messy):
    findings = check("--format", "json", str(messy)).json()["findings"]
    assert {f["rule"]: f.get("fix") for f in findings}["CC310"] == {"title": "use Asia/Kolkata", "safe": True}
    assert "fix" not in {f["rule"]: f for f in findings}["CC209"]  # no owner tag: nothing to write


def test_a_value_shared_through_a_yaml_alias_is_not_fixed(tmp_path):
    path = tmp_path / "c.yaml"
    text = CHANNEL + """\
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Europe/London}
  sms:
    openHours:
      dailyHours:
        MONDAY: &hours [{startTime: 09:00, endTime: T20:00}]
        TUESDAY: *hours
"""
    path.write_text(text)
    run = check("--fix", str(path))
    assert path.read_text() == text and run.code == 1
    assert run.err == "campaign-lint: fixed 0 problems in 0 files\n"


def test_suppressed_findings_are_not_fixed(tmp_path):
    path = tmp_path / "c.yaml"
    text = MESSY_YAML.replace("Asia/Calcutta  # legacy name", "Asia/Calcutta  # campaign-lint: ignore CC310")
    path.write_text(text)
    check("--fix", str(path))
    assert "Asia/Calcutta" in path.read_text()


def test_permissions_and_byte_order_mark_are_kept(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY_YAML.encode())
    os.chmod(path, 0o640)
    check("--fix", str(path))
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED_YAML.encode()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_a_symlink_out_of_the_repository_is_never_written_through(tmp_path):
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    (outside / "c.yaml").write_text(MESSY_YAML)
    (repo / "c.yaml").symlink_to(outside / "c.yaml")
    run = check("--fix", "c.yaml", cwd=repo)  # the walk does not follow it (CC001 info) ...
    assert (outside / "c.yaml").read_text() == MESSY_YAML and (repo / "c.yaml").is_symlink()
    assert "fixed 0 problems" in run.err
    # ... and --fix refuses it by itself too, whatever names it
    from campaign_lint.fix import fix_files
    from campaign_lint.model import Finding, Fix, Severity

    pointer = "/communicationTimeConfig/localTimeZoneConfig/defaultTimeZone"
    finding = Finding("CC310", "legacy-time-zone", Severity.WARNING, "legacy", str(repo / "c.yaml"),
                      30, 22, pointer, fix=Fix("Asia/Kolkata", target=pointer))
    fixes, refused = fix_files([finding], False, str(repo))
    assert fixes == [] and refused == [
        f"{repo / 'c.yaml'}: not fixed: it is reached through a symlink that leads out of the repository"]


def test_a_symlink_inside_the_repository_fixes_its_target_and_stays_a_link(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "c.yaml").write_text(MESSY_YAML)
    (tmp_path / "c.yaml").symlink_to(tmp_path / "real" / "c.yaml")
    check("--fix", "c.yaml", cwd=tmp_path)
    assert (tmp_path / "c.yaml").is_symlink() and (tmp_path / "real" / "c.yaml").read_text() == FIXED_YAML


def test_fix_refuses_stdin():
    run = run_cli("check", "--isolated", "--fix", "-", stdin=MESSY_YAML)
    assert run.code == 2 and "--fix and --diff work on files" in run.err


# --- property: fixing never adds a finding and removes every fixed one -----------------------

SLOTS = [("T08:00", "T09:30"), ("T10:00", "T12:00"), ("T13:00", "T15:00"), ("T16:00", "T20:00")]
ZONES = {"US/Eastern": "America/New_York", "Asia/Calcutta": "Asia/Kolkata",
         "America/Buenos_Aires": "America/Argentina/Buenos_Aires", "Europe/London": "Europe/London",
         "US/Pacific": "America/Los_Angeles"}
PERIODS = [("2027-12-24", "2027-12-26"), ("2028-01-01", "2028-01-01"), ("2028-04-14", "2028-04-17")]


def _written(time: str, plain: bool) -> str:
    return time[1:] if plain else time


@st.composite
def campaigns(draw):
    """A messy campaign (times without T, exact duplicates, legacy zone names) and the
    campaign it means. Ranges of a day come from disjoint slots, so only the fixes
    can change the findings."""
    zone = draw(st.sampled_from(sorted(ZONES)))
    days_messy, days_meant = {}, {}
    for day in draw(st.lists(st.sampled_from(["MONDAY", "TUESDAY", "FRIDAY"]), unique=True, max_size=3)):
        slots = draw(st.lists(st.sampled_from(SLOTS), unique=True, min_size=1, max_size=3))
        messy = []
        for start, end in slots:
            for _ in range(draw(st.integers(1, 3))):  # written once, or pasted again
                messy.append({"startTime": _written(start, draw(st.booleans())),
                              "endTime": _written(end, draw(st.booleans()) and end != "T24:00")})
        days_messy[day], days_meant[day] = messy, [{"startTime": s, "endTime": e} for s, e in slots]
    periods = draw(st.lists(st.sampled_from(PERIODS), unique=True, max_size=2))
    periods_messy = [{"name": f"p{i}", "startDate": s, "endDate": e}
                     for i, (s, e) in enumerate(periods) for _ in range(draw(st.integers(1, 2)))]
    base = yaml.safe_load(CHANNEL)

    def campaign(zone_name, days, period_list):
        window = {"openHours": {"dailyHours": days}}
        if period_list:
            window["restrictedPeriods"] = {"restrictedPeriodList": period_list}
        return dict(base, communicationTimeConfig={"localTimeZoneConfig": {"defaultTimeZone": zone_name},
                                                   "sms": window})

    meant_periods = [{"name": f"p{i}", "startDate": s, "endDate": e} for i, (s, e) in enumerate(periods)]
    return campaign(zone, days_messy, periods_messy), campaign(ZONES[zone], days_meant, meant_periods)


def _render(data, style: str) -> tuple[str, str]:
    if style == "json":
        return "c.json", json.dumps(data, indent=2)
    return "c.yaml", yaml.safe_dump(data, default_flow_style=None if style == "yaml-mixed" else False,
                                    sort_keys=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=campaigns(), style=st.sampled_from(["json", "yaml-block", "yaml-mixed"]))
def test_fixing_then_relinting_never_adds_a_finding_and_removes_every_fixed_one(tmp_path, pair, style):
    messy, meant = pair
    name, text = _render(messy, style)
    path = tmp_path / name
    path.write_text(text)
    before = check("--format", "json", str(path)).json()["findings"]
    fixed = check("--fix", "--format", "json", str(path))
    after = fixed.json()["findings"]
    assert not any("fix" in f and f["fix"]["safe"] for f in after)  # every safe fix applied
    added = Counter(f["rule"] for f in after) - Counter(f["rule"] for f in before)
    assert not added, added
    reloaded = json.loads(path.read_text()) if name.endswith(".json") else yaml.safe_load(path.read_text())
    assert reloaded == meant  # and nothing but the fixes changed
    fixable = sum(1 for f in before if "fix" in f and f["fix"]["safe"])
    if fixable:  # at least those (a fix can reveal an exact duplicate, fixed in the next round)
        assert int(fixed.err.split()[2]) >= fixable, fixed.err


def test_a_fixed_offset_zone_is_replaced_only_with_unsafe_fixes(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(MESSY_YAML.replace("Asia/Calcutta  # legacy name", "EST  # eastern"))
    check("--fix", str(path))
    assert "defaultTimeZone: EST  # eastern" in path.read_text()  # EST -> New York moves the hours
    check("--fix", "--unsafe-fixes", str(path))
    assert "defaultTimeZone: America/New_York  # eastern" in path.read_text()


def test_a_diff_applies_with_git_apply_and_gives_what_fix_writes(tmp_path):
    import shutil
    import subprocess

    (tmp_path / "c.yaml").write_text(MESSY_YAML)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    patch = check("--diff", "c.yaml", cwd=tmp_path).out
    (tmp_path / "fix.patch").write_text(patch)
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    fixed = tmp_path / "fixed"
    fixed.mkdir()
    shutil.copy(tmp_path / "fix.patch", fixed)
    (fixed / "c.yaml").write_text(MESSY_YAML)
    check("--fix", "c.yaml", cwd=fixed)
    assert (tmp_path / "c.yaml").read_text() == (fixed / "c.yaml").read_text() != MESSY_YAML


APPLY = {"patch": ["patch", "-p1", "--forward", "--batch", "-i"], "git": ["git", "apply"]}


@pytest.mark.parametrize("tool", sorted(APPLY))
@pytest.mark.parametrize("given, run_in, apply_in, header", [
    ("{tmp}/campaigns/c.yaml", "elsewhere", "/", "{tmp_from_root}/campaigns/c.yaml"),
    ("{tmp}/campaigns/c.yaml", ".", "tmp", "campaigns/c.yaml"),
    ("../campaigns/c.yaml", "elsewhere", "/", "{tmp_from_root}/campaigns/c.yaml"),
    ("./campaigns/c.yaml", ".", "tmp", "campaigns/c.yaml"),
], ids=["absolute-outside", "absolute-inside", "dot-dot", "dot"])
def test_a_diff_applies_with_p1_from_the_current_folder_or_from_root(tmp_path, tool, given, run_in, apply_in,
                                                                      header):
    """The reproducer: an absolute path's diff had ``--- /tmp/.../c.yaml``, no ``a/``/``b/``,
    unlike every other diff; ``./`` and ``../`` names were refused by git apply and patch."""
    if shutil.which(APPLY[tool][0]) is None:
        pytest.skip(f"{APPLY[tool][0]} is not on PATH: the diff cannot be applied with it")
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "campaigns" / "c.yaml").write_text(MESSY_YAML)
    names = {"tmp": tmp_path, "tmp_from_root": str(tmp_path).lstrip("/")}
    run = check("--diff", given.format(**names), cwd=tmp_path / run_in)
    assert run.code == 1 and run.out.startswith("--- a/{0}\n+++ b/{0}\n".format(header.format(**names))), run.out
    (tmp_path / "fix.patch").write_text(run.out)
    where = Path("/") if apply_in == "/" else tmp_path
    subprocess.run([*APPLY[tool], str(tmp_path / "fix.patch")], cwd=where, check=True, capture_output=True)
    assert (tmp_path / "campaigns" / "c.yaml").read_text() == FIXED_YAML


@pytest.mark.parametrize("source", ["cloudformation/broken/outbound-campaigns.yaml", "terraform/broken/plan.json"])
def test_templates_and_plans_are_reported_not_fixed(tmp_path, source):
    # README: findings in templates and plans carry no [*] and --fix leaves the file alone
    path = tmp_path / source.rsplit("/", 1)[1]
    original = (EXAMPLES / source).read_text()
    path.write_text(original.replace("America/Chicgo", "Asia/Calcutta").replace("Europe/Lndon", "Asia/Calcutta"))
    before = path.read_text()
    run = check("--format", "json", str(path))
    assert run.json()["findings"] and not [f for f in run.json()["findings"] if f.get("fix")]
    fixed = check("--fix", str(path))
    assert path.read_text() == before and fixed.err.endswith("fixed 0 problems in 0 files\n")
