"""Issue 8, tried again as an attacker on main after the hardening branches landed: each test
is the reproducer of a defect that survived them (see the commit that fixes it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .conftest import CONSOLE_READY, TELEPHONY_AND_CAP, TODAY, run_cli
from .test_audit import aws_env, service  # noqa: F401 - the fake AWS service

FORMATS = ("text", "github", "json", "sarif", "junit", "html")


def campaign(name: str) -> str:
    return f"name: {json.dumps(name)}\nconnectInstanceId: i-1\n" + TELEPHONY_AND_CAP + CONSOLE_READY


def repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def is_workflow_command(line: str) -> bool:
    """What GitHub's runner takes for a command: ``::`` at the start after white space
    (``TrimStart``), or the legacy ``##[`` anywhere in the line."""
    return line.lstrip().startswith("::") or "##[" in line


# --- output: GitHub's runner reads workflow commands out of any log line ------------------

@pytest.mark.parametrize("form", FORMATS)
def test_no_data_becomes_a_workflow_command_in_any_format(tmp_path, form):
    # a campaign named "##[stop-commands]x" made the runner ignore every later annotation of the
    # run (and "##[error]..." anywhere in a line is an annotation); a file whose name starts
    # with " ::error ...::" began a text line that the runner trims and takes for a command
    repo = repository(tmp_path)
    (repo / " ::error file=x.json,line=1::forged.yaml").write_text(campaign("##[stop-commands]tok"))
    (repo / "b.yaml").write_text(campaign("##[error]forged") + "capacity: 1\n")
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--format", form, ".", cwd=repo)
    assert run.code == 1, run.err
    own = re.compile(r"^::(error|warning|notice) file=") if form == "github" else None
    forged = [line for line in run.out.splitlines() + run.err.splitlines()
              if is_workflow_command(line) and not (own and own.match(line) and "##[" not in line)]
    assert forged == []
    if form in ("json", "sarif"):  # the exact strings are kept, just written so the runner skips them
        assert "##[stop-commands]tok" in json.dumps(json.loads(run.out), ensure_ascii=False)
    if form == "text":
        assert "#\\x23[stop-commands]tok" in run.out


#: a Paris window open on Monday mornings, appended to campaign()
MONDAY_HOURS = """\
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Europe/Paris}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T09:00, endTime: T12:00}]
"""


def test_hours_output_cannot_start_a_workflow_command(tmp_path):
    text = campaign("  ::error file=a,line=1::forged") + MONDAY_HOURS + """\
    restrictedPeriods:
      restrictedPeriodList:
        - {name: "::warning::forged", startDate: "2026-12-24", endDate: "2026-12-26"}
"""
    (tmp_path / "c.yaml").write_text(text)
    run = run_cli("hours", "--today", TODAY, str(tmp_path / "c.yaml"))
    assert run.code == 0, run.err
    assert "forged" in run.out
    assert [line for line in run.out.splitlines() if is_workflow_command(line)] == []


# --- a link in a pull request cannot carry files into an ignored or excluded folder ---------

#: a campaign with one error: capacity 5 (CC105)
BROKEN = campaign("renewals").replace("    connectQueueId: q-1\n", "    connectQueueId: q-1\n    capacity: 5\n")


@pytest.mark.parametrize("config, hidden", [
    ('[per-file-ignores]\n"fixtures/**" = ["CC1", "CC2", "CC3", "CC5"]\n', "ignored"),
    ('exclude = ["fixtures"]\n', "excluded"),
])
def test_a_symlinked_folder_cannot_hide_the_files_it_points_to(tmp_path, config, hidden):
    # fixtures/ is ignored by the project's own config; a pull request adds fixtures/x -> ../prod:
    # the walk met prod's files first through the link (fixtures < prod), under names the
    # config ignores, and then skipped the real names as files already linted: a clean run
    repo = repository(tmp_path)
    (repo / ".campaign-lint.toml").write_text(config)
    (repo / "prod").mkdir()
    (repo / "fixtures").mkdir()
    (repo / "prod" / "renewals.yaml").write_text(BROKEN)
    (repo / "fixtures" / "sample.yaml").write_text(BROKEN.replace("renewals", "sample"))
    before = run_cli("check", "--no-cache", "--today", TODAY, "--format", "json", ".", cwd=repo)
    (repo / "fixtures" / "x").symlink_to("../prod")
    after = run_cli("check", "--no-cache", "--today", TODAY, "--format", "json", ".", cwd=repo)
    assert before.code == after.code == 1, after.out
    assert {f["rule"] for f in after.json()["findings"]} == {f["rule"] for f in before.json()["findings"]}
    assert "CC105" in {f["rule"] for f in after.json()["findings"]}


# --- audit --save never writes through a link out of its folder's repository ---------------

def test_save_never_writes_through_a_snapshot_link_that_leads_out_of_the_repository(service, tmp_path):  # noqa: F811
    # snapshots are kept in git; a pull request replaces one with a link to a file of the CI
    # machine (~/.bashrc, a hook): the next scheduled audit --save wrote the snapshot there
    from .test_audit import audit, campaigns, failures

    items = campaigns(2)
    service({"us-east-1": items})
    (tmp_path / "repo").mkdir()
    repo = repository(tmp_path / "repo")
    saved = repo / "account"
    assert audit("--region", "us-east-1", "--save", str(saved)).code == 0
    first, second = sorted((saved / "us-east-1").iterdir())
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=~/bin:$PATH\n")
    first.unlink()
    first.symlink_to(victim)
    kept = repo / "kept.json"  # a link inside the repository is the user's choice: followed
    second.rename(kept)
    second.symlink_to(kept)
    run = audit("--region", "us-east-1", "--save", str(saved))
    [(region, message)] = failures(run)
    assert "leads out of" in message and "cannot save campaign" in message
    assert victim.read_text() == "export PATH=~/bin:$PATH\n" and first.is_symlink()
    assert second.is_symlink() and json.loads(kept.read_text())["campaign"]["name"]


# --- the result cache writes nowhere but its own folder ---------------------------------------

def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_cache_never_creates_folders_through_a_committed_link(tmp_path):
    # a pull request commits .campaign-lint-cache/v5 -> /anywhere: the cache made its shard
    # folders there (it only refused to write the entries)
    (tmp_path / "repo").mkdir()
    repo = repository(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "c.yaml").write_text(BROKEN)
    (repo / ".campaign-lint-cache").mkdir()
    (repo / ".campaign-lint-cache" / "v5").symlink_to(elsewhere)
    reference = run_cli("check", "--no-cache", "--today", TODAY, "c.yaml", cwd=repo)
    for _ in range(2):
        run = run_cli("check", "--today", TODAY, "c.yaml", cwd=repo)
        assert (run.code, run.out) == (reference.code, reference.out) and "CC105" in run.out
    assert _tree(elsewhere) == []


@pytest.mark.parametrize("folder", ["../elsewhere", "link", "ABSOLUTE"])
def test_a_configs_cache_dir_must_stay_in_its_folder(tmp_path, folder):
    # cache-dir = "../elsewhere" in a pull request's config wrote .gitignore, CACHEDIR.TAG (which
    # makes backup tools skip the folder: the home folder, say) and entries anywhere
    (tmp_path / "repo").mkdir()
    repo = repository(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "link").symlink_to(elsewhere)
    (repo / "c.yaml").write_text(BROKEN)
    folder = str(elsewhere) if folder == "ABSOLUTE" else folder
    (repo / ".campaign-lint.toml").write_text(f"cache-dir = {json.dumps(folder)}\n")
    run = run_cli("check", "--today", TODAY, ".", cwd=repo)
    assert run.code == 2 and "cache-dir" in run.err and "outside the folder" in run.err, run.err
    assert run.err.count("\n") == 1
    assert _tree(elsewhere) == []


def test_a_diff_header_cannot_be_split_by_a_file_name(tmp_path):
    # --diff printed "--- a/<name>" raw: a newline in a file name put "::error ...::" at the
    # start of a line of its own in the CI log
    repo = repository(tmp_path)
    name = "a\n::error file=x,line=1::forged\n.yaml"
    (repo / name).write_text(campaign("renewals") + """\
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Europe/Paris}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: "9:00", endTime: T12:00}]
""")
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--diff", ".", cwd=repo)
    assert run.code == 1, run.err
    assert '--- "a/a\\n::error file=x,line=1::forged\\n.yaml"' in run.out.splitlines()
    assert any(line.startswith("+") and "T09:00" in line for line in run.out.splitlines())
    assert [line for line in run.out.splitlines() if is_workflow_command(line)] == []


# --- the structural check matches the model's patterns in linear time -----------------------

@pytest.mark.parametrize("member, value", [
    # the ARN pattern's [^:]+(?:/[^:]+)* backtracked 2**n times: 60 characters took a minute
    ("connectCampaignFlowArn", "arn:aws:connect:us-east-1:123456789012:" + "/a" * 40 + "::"),
    # .*[^\s@]+@... is quadratic or worse in re on a long value without "@" (the email below)
    ("name", "x"),
])
def test_a_value_cannot_make_a_pattern_backtrack_for_ever(tmp_path, member, value):
    import subprocess
    import sys

    data = {"name": "x", "connectInstanceId": "i-1", "channelSubtypeConfig": {"email": {
        "outboundMode": {"agentless": {}},
        "defaultOutboundConfig": {"connectSourceEmailAddress": "a" * 300_000,
                                  "wisdomTemplateArn": "arn:aws:wisdom:us-east-1:123456789012:x"}}}}
    data[member] = value
    (tmp_path / "c.json").write_text(json.dumps(data))
    run = subprocess.run([sys.executable, "-m", "campaign_lint", "check", "--isolated", "--no-cache",
                          "--format", "json", str(tmp_path / "c.json")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    messages = {f["rule"]: f["message"] for f in json.loads(run.stdout)["findings"]}
    assert "CC107" in messages  # reported, as before, now at once


def _model_patterns() -> list[str]:
    from campaign_lint.schema import service_model

    return sorted({shape["pattern"] for shape in service_model()["shapes"].values() if "pattern" in shape})


@pytest.mark.parametrize("pattern", _model_patterns())
def test_the_linear_matcher_agrees_with_re_on_every_model_pattern(pattern):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from campaign_lint.schema import _LONE_SURROGATE, _linear_matcher

    matches = _linear_matcher(pattern)
    if matches is None:  # left to re: it must be one without nested repetition
        assert pattern.startswith("(?!aws:)")
        return
    pieces = st.sampled_from(["arn", ":", "/", "aws", "connect", "us-east-1", "a", "Z", "-", "_", ".", "@",
                              "+", "T", "P", "H", "M", "S", "D", "1", "12", "٣", "²", " ", "\u3000", "\n",
                              "\ud800", "é", "aws:", "\\", "x" * 40])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, max_size=14).map("".join))
    def agree(value):
        expected = re.fullmatch(pattern, value) is not None
        assert matches(_LONE_SURROGATE.sub("\ufffd", value)) == expected

    agree()


# --- a template's tag under a condition that never holds hides nothing ----------------------

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  Never: !Equals [!Ref Env, retired]
Resources:
  Renewals:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: renewals
      ConnectInstanceId: arn:aws:connect:us-east-1:123456789012:instance/i-1
      ChannelSubtypeConfig:
        Telephony:
          Capacity: 5
          ConnectQueueId: q-1
          DefaultOutboundConfig: {ConnectContactFlowId: f-1}
          OutboundMode: {AgentlessConfig: {}}
      Tags: !If
        - Never
        - [{Key: campaign-lint:ignore, Value: CC105 TAGS}]
        - [{Key: campaign-lint:ignore, Value: OTHER}]
"""


@pytest.mark.parametrize("other, suppressed", [
    ("CC2", False),  # was: the first branch's tag (deployed only with Env=retired) suppressed CC105
    ("CC105 CC2", True),  # every branch carries it: suppressed as before
])
def test_a_tag_in_one_fn_if_branch_only_suppresses_nothing(tmp_path, other, suppressed):
    (tmp_path / "t.yaml").write_text(TEMPLATE.replace(" TAGS", "").replace("OTHER", other))
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--format", "json",
                  str(tmp_path / "t.yaml"))
    found = run.json()["findings"]
    [capacity] = [f for f in found if f["rule"] == "CC105"]
    assert (capacity["suppressed"] is not None) is suppressed
    unused = [f["message"] for f in found if f["rule"] == "CC011" and "CC105" in f["message"]]
    assert bool(unused) is not suppressed
    assert all("Fn::If branches only" in message for message in unused)


# --- one odd template never aborts the run ---------------------------------------------------

@pytest.mark.parametrize("first", ['"T00:00"', "true", "5", "{StartTime: T09:00}"])
def test_a_day_given_twice_after_a_wrong_value_is_a_finding_not_an_internal_error(tmp_path, first):
    # found by fuzzing templates: DailyHours [{Key: TUESDAY, Value: "T00:00"}, {Key: TUESDAY,
    # Value: [...]}] appended the second day's ranges to the first one's string: internal error
    text = TEMPLATE.replace(" TAGS", "").replace("OTHER", "CC105").replace("""      Tags: !If""", f"""\
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {{DefaultTimeZone: Europe/Paris}}
        Telephony:
          OpenHours:
            DailyHours:
              - {{Key: TUESDAY, Value: {first}}}
              - {{Key: TUESDAY, Value: [{{StartTime: T09:00, EndTime: T12:00}}]}}
      Tags: !If""")
    (tmp_path / "t.yaml").write_text(text)
    (tmp_path / "other.yaml").write_text(BROKEN)
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--format", "json", str(tmp_path))
    assert run.code == 1 and "internal error" not in run.err, run.err
    found = {(f["file"].rsplit("/", 1)[-1], f["rule"]) for f in run.json()["findings"]}
    assert {("t.yaml", "CC004"), ("t.yaml", "CC103"), ("other.yaml", "CC105")} <= found


# --- a pull request cannot make the walk read nothing ------------------------------------------

def _git_repository(tmp_path: Path) -> Path:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "renewals.yaml").write_text(BROKEN)
    subprocess.run(["git", "-C", str(tmp_path), "add", "campaigns/renewals.yaml"], check=True)
    return tmp_path


@pytest.mark.parametrize("planted", [
    ("campaigns/.gitignore", "*.yaml\n"),  # git still tracks the file; the walk skipped it
    (".gitignore", "campaigns/\n"),
    ("campaigns/pyvenv.cfg", ""),  # an empty file made the folder a "virtual environment"
])
def test_a_planted_file_cannot_make_the_walk_skip_tracked_campaigns(tmp_path, planted):
    repo = _git_repository(tmp_path)
    name, text = planted
    (repo / name).write_text(text)
    (repo / "campaigns" / "untracked.yaml").write_text(BROKEN.replace("renewals", "untracked"))
    run = run_cli("check", "--no-cache", "--today", TODAY, "--format", "json", ".", cwd=repo)
    assert run.code == 1, run.err
    files = {f["file"] for f in run.json()["findings"]}
    assert "campaigns/renewals.yaml" in files
    if name != "campaigns/pyvenv.cfg":  # what git ignores and does not track stays unread
        assert "campaigns/untracked.yaml" not in files


def test_untracked_virtual_environments_and_ignored_files_are_still_skipped(tmp_path):
    repo = _git_repository(tmp_path)
    (repo / "env").mkdir()
    (repo / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (repo / "env" / "data.json").write_text("{not json")
    (repo / ".gitignore").write_text("build/\n")
    (repo / "build").mkdir()
    (repo / "build" / "out.json").write_text("{not json")
    run = run_cli("check", "--no-cache", "--today", TODAY, "--format", "json", ".", cwd=repo)
    assert {f["file"] for f in run.json()["findings"]} == {"campaigns/renewals.yaml"}


# --- file names that read as options (pre-commit appends the staged names to the command) ----

@pytest.mark.parametrize("name, planted", [
    ("--rules-dir=.json", {".json/evil.py": "open('PWNED', 'w').write('code ran')\n"}),
    ("--baseline=bl.json", {}),
    ("--config", {}),
])
def test_a_file_named_like_an_option_is_refused_not_obeyed(tmp_path, name, planted):
    # a committed "--rules-dir=.json" beside .json/evil.py ran evil.py through the hook; a
    # "--baseline=bl.json" beside the attacker's baseline hid every finding of the commit
    repo = repository(tmp_path)
    (repo / "c.yaml").write_text(campaign("renewals") + "communicationTimeConfig:\n  localTimeZoneConfig:\n"
                                 "    defaultTimeZone: Europe/Londn\n")  # CC309
    run_cli("check", "--isolated", "--write-baseline", str(repo / "bl.json"), str(repo / "c.yaml"))
    for path, text in planted.items():
        (repo / path).parent.mkdir(exist_ok=True)
        (repo / path).write_text(text)
    (repo / name).write_text("{}\n")
    run = run_cli("check", "--isolated", name, "c.yaml", cwd=repo)
    assert run.code == 2 and not (repo / "PWNED").exists()
    assert run.err == (f'campaign-lint: error: "{name}" is a file here and also reads as an option; put file '
                       "names after '--' (campaign-lint check [OPTIONS] -- FILE...)\n")
    after_dashes = run_cli("check", "--isolated", "--format", "json", "--", name, "c.yaml", cwd=repo)
    assert after_dashes.code == 1 and not (repo / "PWNED").exists()
    assert "CC309" in {f["rule"] for f in after_dashes.json()["findings"]}
    # an option whose value is not a file here is read as usual
    assert run_cli("check", "--isolated", "--select=CC309", "c.yaml", cwd=repo).code == 1


def test_file_text_in_a_diff_cannot_become_a_workflow_command_or_hide_as_bidi_text(tmp_path):
    # --diff printed the lines around a fix raw: a string holding "::error ...::" or "##[" on a
    # line of its own forged an annotation in the CI log, a bidi mark reached the terminal
    repo = repository(tmp_path)
    (repo / "c.yaml").write_text(campaign("renewals") + """\
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Asia/Calcutta}
description: "hello
    ::error file=README.md,line=1,title=CC999::forged
  ##[add-mask]x \u202e\tdone"
""")
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--diff", "c.yaml", cwd=repo)
    assert run.code == 1, run.err
    lines = run.out.splitlines()
    assert "+  localTimeZoneConfig: {defaultTimeZone: Asia/Kolkata}" in lines
    assert [line for line in lines if is_workflow_command(line)] == []
    assert "     \\x3a:error file=README.md,line=1,title=CC999::forged" in lines
    assert '   #\\x23[add-mask]x \\u202e\tdone"' in lines  # a tab is kept


def test_a_file_name_cannot_forge_the_start_of_a_text_finding(tmp_path):
    # the text format printed the name as is: "README.md:1:1: CC301 error: forged ... .json:1:1:
    # CC205 ..." read, to a person or a problem matcher, as a CC301 error in README.md line 1
    repo = repository(tmp_path)
    forged = "README.md:1:1: CC301 error: forged finding [prod] .yaml"
    spaced = "README.md:\u00a0CC301 error:\u00a0forged.yaml"  # a no-break space after the colon
    for name in (forged, spaced, "plain.yaml", "C:notes.yaml"):  # a colon before a letter is left alone
        (repo / name).write_text(campaign("n").replace("channelSubtypeConfig", "channels"))
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--select", "CC205", ".", cwd=repo)
    lines = sorted(run.out.splitlines()[:-1])
    assert [line.split(": CC205")[0] for line in lines] == [
        f'"{forged}":1:1', f'"{spaced}":1:1', "C:notes.yaml:1:1", "plain.yaml:1:1"]
    assert not any(re.match(r"[^\"]*:\d+:\d+: CC301", line) for line in lines)


def test_the_no_file_found_warning_shows_the_names_escaped(tmp_path):
    # pre-commit passes the staged names; with all of them excluded, the warning printed them
    # raw on stderr: a name holding "\n::error ...::" forged an annotation in the CI log
    repo = repository(tmp_path)
    (repo / ".campaign-lint.toml").write_text('exclude = ["legacy"]\n')
    (repo / "legacy").mkdir()
    name = "legacy/a\n::error file=README.md,line=1::forged\n##[add-mask]x\n\x1b[2J.json"
    (repo / name).write_text("{}")
    run = run_cli("check", "--today", TODAY, name, cwd=repo)
    assert run.code == 0 and run.err.count("\n") == 1, run.err
    assert "no .json, .yaml or .yml file that is not excluded found in" in run.err
    assert not [line for line in run.err.splitlines() if is_workflow_command(line)] and "\x1b" not in run.err


def test_a_campaign_name_cannot_forge_a_finding_at_the_start_of_an_hours_line(tmp_path):
    repo = repository(tmp_path)
    (repo / "h.yaml").write_text(campaign("README.md:1:1: CC301 error: forged") + MONDAY_HOURS)
    run = run_cli("hours", "--isolated", "--ascii", "h.yaml", cwd=repo)
    assert '"README.md:1:1: CC301 error: forged (h.yaml)"' in run.out.splitlines()
    assert not any(line.startswith("README.md:1:1:") for line in run.out.splitlines())


# --- bidi controls and invisible format characters ("Trojan Source", CVE-2021-42574) ---------

#: a right-to-left override, isolates, the Arabic letter mark, a byte order mark, zero-width
#: space/joiner, word joiner, soft hyphen and a tag character (all of Unicode's category Cf)
TROJAN = "\u202e\u2066\u2069\u061c\u200e\ufeff\u200b\u200d\u2060\u00ad\U000e0041"


def _raw_format_characters(text: str) -> list[str]:
    import unicodedata

    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf"]


@pytest.mark.parametrize("form", FORMATS)
def test_no_bidi_or_invisible_character_reaches_any_format_raw(tmp_path, form):
    # a campaign name, a tag key and a value holding U+202E or U+FEFF: text, github, junit and
    # html printed the invisible ones raw (a quoted value "+1212<U+FEFF>5550123" looked like a
    # valid number), json and sarif every one of them (a right-to-left override reorders the
    # rest of a message line in a viewer)
    repo = repository(tmp_path)
    name = f"renewals{TROJAN}gpj.exe"
    text = (campaign("n").replace('name: "n"', f'name: "{name}"')
            .replace("  owner:", f"  owner{TROJAN}: x\n  owner:")
            .replace("{connectContactFlowId: flow-1}",
                     f'{{connectContactFlowId: flow-1, connectSourcePhoneNumber: "+1212{TROJAN}5550123"}}'))
    (repo / f"c{TROJAN}.yaml").write_text(text, encoding="utf-8")
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--format", form, ".", cwd=repo)
    assert run.code == 1, run.err
    assert _raw_format_characters(run.out + run.err) == []
    shown = "\\u202e\\u2066\\u2069\\u061c\\u200e\\ufeff\\u200b\\u200d\\u2060\\xad\\U000e0041"
    if form in ("json", "sarif"):
        document = run.json()
        assert shown in run.out.replace("\\\\", "\\")  # the message, as the text format shows it
    if form == "json":  # data stays exact; the message is text for people, escaped
        tag = next(f for f in document["findings"] if f["rule"] == "CC107" and "tag key" in f["message"])
        assert tag["campaign"]["name"] == name and tag["file"] == f"c{TROJAN}.yaml"
        assert f'"owner{shown}"' in tag["message"]
    elif form == "sarif":
        results = document["runs"][0]["results"]
        assert {r["locations"][0]["logicalLocations"][0]["name"] for r in results} == {name}
        assert any(f'"owner{shown}"' in r["message"]["text"] for r in results)
    else:
        assert shown in run.out


def test_the_escape_shows_format_characters_as_python_writes_them():
    from campaign_lint.report.escape import encodable, printable

    assert printable("a\u202eb\ufeffc\u061cd\U000e0041e\u00adf") == "a\\u202eb\\ufeffc\\u061cd\\U000e0041e\\xadf"
    assert printable("Zürich 東京 👍🏽 é") == "Zürich 東京 👍🏽 é"  # letters, emoji and marks are not format
    text = json.dumps({"k": "a\u202e\ufeff\U000e0041\u2028\x85\x7f 東京"}, ensure_ascii=False)
    assert encodable(text) == '{"k": "a\\u202e\\ufeff\\udb40\\udc41\\u2028\\u0085\\u007f 東京"}'
    assert json.loads(encodable(text)) == json.loads(text)


def test_every_character_escaped_is_one_str_isprintable_refuses():
    # printable() and encodable() skip runs that str.isprintable passes: that must never skip one
    import unicodedata

    from campaign_lint.report.escape import needs_escape

    escaped = [chr(code) for code in range(0x110000) if needs_escape(chr(code))]
    assert not [char for char in escaped if char.isprintable()]
    assert {unicodedata.category(char) for char in escaped} == {"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"}
    assert [char for char in escaped if unicodedata.category(char) == "Cn"] == ["\ufffe", "\uffff"]


def test_errors_on_stderr_and_hours_show_format_characters_escaped(tmp_path):
    repo = repository(tmp_path)
    missing = run_cli("check", "--isolated", f"missing{TROJAN}.yaml", cwd=repo)
    assert missing.code == 2 and _raw_format_characters(missing.err) == []
    assert "missing\\u202e\\u2066" in missing.err
    (repo / "h.yaml").write_text(campaign("n").replace('name: "n"', f'name: "n{TROJAN}"') + MONDAY_HOURS,
                                 encoding="utf-8")
    hours = run_cli("hours", "--isolated", "--today", TODAY, "h.yaml", cwd=repo)
    assert hours.code == 0 and _raw_format_characters(hours.out) == [], hours.err
    assert "n\\u202e\\u2066" in hours.out


#: any text, with the characters that fool a reader (and line breaks, escapes, surrogates) often
_TRICKY = st.text(st.one_of(st.characters(), st.sampled_from(TROJAN + "\u202a\u202b\u202c\u202d\u2067\u200f"
                                                              "\u200c\u0600\u180e\u2064\ufff9\U000e007f"),
                            st.sampled_from("\n\r\x1b\x85\u2028\u2029\x1c\ud800\udcff")), max_size=60)


#: surrogates no path holds: os decodes an undecodable byte as U+DC80-U+DCFF, and only those
_OTHER_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


@settings(max_examples=200, deadline=None)
@given(name=_TRICKY, message=_TRICKY, pointer=_TRICKY,  # a path's lone surrogates are os's: U+DC80-U+DCFF
       path=_TRICKY.filter(bool).map(lambda path: _OTHER_SURROGATE.sub("\udcff", path)))
@example(name=f"a{TROJAN}b", message=f"x\n{TROJAN}", path=f"{TROJAN}.yaml", pointer=f"/{TROJAN}")
def test_any_text_gives_one_line_without_a_raw_format_character(name, message, path, pointer):
    from campaign_lint.engine import Result
    from campaign_lint.model import CampaignRef, Finding, Severity
    from campaign_lint.report import ReportContext, render

    finding = Finding("CC301", "open-hours-overlap", Severity.ERROR, message, path=path, line=3, column=4,
                      pointer=pointer, campaign=CampaignRef(name=name))
    result = Result([finding], files=1, checked=[(path, name)])
    context = ReportContext(rules=[], root="/")
    for form in ("text", "github"):
        finding_line, summary = render(form, result, context).splitlines()  # str.splitlines: every break
        assert _raw_format_characters(finding_line) == []
        assert summary.startswith("Found 1 problem")
    for form in ("junit", "html", "json", "sarif"):
        assert _raw_format_characters(render(form, result, context)) == []


def test_data_cannot_put_a_link_in_a_sarif_message(tmp_path):
    # SARIF (2.1.0 §3.11.6) reads "[text](any URI)" in a plain-text message as an embedded link
    # that a viewer may render clickable: two campaigns named "[Fixed, close this](https://...)"
    # put a link of the name's choosing in the CC602 message and in its related location's
    repo = repository(tmp_path)
    name = "[Fixed, close this](https://evil.example/x)"
    (repo / "a.yaml").write_text(campaign(name))
    (repo / "b.yaml").write_text(campaign(name))
    run = run_cli("check", "--isolated", "--no-cache", "--today", TODAY, "--format", "sarif", ".", cwd=repo)
    assert run.code in (0, 1), run.err
    results = run.json()["runs"][0]["results"]
    duplicate = next(r for r in results if r["ruleId"] == "CC602")
    texts = [r["message"]["text"] for r in results]
    texts += [related["message"]["text"] for related in duplicate["relatedLocations"]]
    assert [text for text in texts if "](" in text] == []
    assert "[Fixed, close this]\\(https://evil.example/x)" in duplicate["message"]["text"]
