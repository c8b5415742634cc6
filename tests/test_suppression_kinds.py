"""``suppressions`` / ``--suppressions``: which suppressions that come with the data (campaign
tags, YAML comments, a template's Metadata) a run honours. One not honoured hides nothing and
is no CC011; the run says how many it did not honour; the baseline always applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CONSOLE_READY, EXAMPLES, ROOT, TELEPHONY_AND_CAP, TODAY, Run, run_cli

KINDS = ("tags", "comments", "metadata")
#: each kind's file, and the reason a suppression of that kind gives
FILES = {"tags": "tagged.yaml", "comments": "commented.yaml", "metadata": "template.yaml"}
REASONS = {"tags": "campaign tag campaign-lint:ignore", "comments": "reviewed",
           "metadata": "resource Metadata campaign-lint ignore"}
#: CC301 is found in each file; CC206 is not, so its suppression is a CC011 where honoured
OVERLAP = "        MONDAY: [{startTime: T09:00, endTime: T12:00}, {startTime: T11:00, endTime: T13:00}]"


def _campaign(name: str, comment: str = "", tag: str = "") -> str:
    return (f"name: {name}\nconnectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab\n"
            "communicationTimeConfig:\n  localTimeZoneConfig: {defaultTimeZone: America/New_York}\n"
            f"  telephony:\n    openHours:\n      dailyHours:\n{OVERLAP}{comment}\n"
            + TELEPHONY_AND_CAP + CONSOLE_READY + tag)


def _template() -> str:
    return (EXAMPLES / "cloudformation" / "broken" / "outbound-campaigns.yaml").read_text().replace(
        "    Type: AWS::ConnectCampaignsV2::Campaign\n",
        "    Type: AWS::ConnectCampaignsV2::Campaign\n"
        "    Metadata:\n      campaign-lint:\n        ignore: [CC301, CC206]\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """One file per kind of suppression, each suppressing CC301 (found) and CC206 (not found)."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / FILES["tags"]).write_text(_campaign("tagged", tag="  campaign-lint:ignore: CC301 CC206\n"))
    (folder / FILES["comments"]).write_text(_campaign("commented", "  # campaign-lint: ignore CC301 CC206 reviewed"))
    (folder / FILES["metadata"]).write_text(_template())
    return tmp_path


def _check(project: Path, *options: str) -> Run:
    run = run_cli("check", "--today", TODAY, "--format", "json", "--no-cache", *options, "campaigns", cwd=project)
    assert run.code in (0, 1), run.err
    return run


def _by_kind(run: Run, rule: str) -> dict[str, list]:
    """The ``suppressed`` of each finding of ``rule``, by the kind whose file it is in."""
    found: dict[str, list] = {kind: [] for kind in KINDS}
    for finding in run.json()["findings"]:
        if finding["rule"] == rule:
            kind = next(k for k, name in FILES.items() if finding["file"].endswith(name))
            found[kind].append(finding["suppressed"])
    return found


def _honouring(project: Path, kinds: list[str], where: str, *options: str) -> Run:
    """A run honouring ``kinds``, set in the config or on the command line."""
    if where == "config":
        quoted = ", ".join(f'"{kind}"' for kind in kinds)
        (project / ".campaign-lint.toml").write_text(f"suppressions = [{quoted}]\n")
        return _check(project, *options)
    return _check(project, "--suppressions", ",".join(kinds) or "none", *options)


def test_every_kind_is_honoured_by_default_and_when_all_three_are_named(project):
    run = _check(project)
    named = _check(project, "--suppressions", "tags,comments,metadata")
    assert (run.out, run.err) == (named.out, named.err)
    assert _by_kind(run, "CC301") == {"tags": [REASONS["tags"]], "comments": [REASONS["comments"]],
                                      "metadata": [REASONS["metadata"]] * 2}
    assert {kind: len(found) for kind, found in _by_kind(run, "CC011").items()} == dict.fromkeys(KINDS, 1)
    assert run.err == ""


@pytest.mark.parametrize("where", ["config", "option"])
@pytest.mark.parametrize("off", KINDS)
def test_a_kind_not_honoured_hides_nothing_and_is_no_cc011(project, off, where):
    honoured = [kind for kind in KINDS if kind != off]
    run = _honouring(project, honoured, where)
    suppressed = _by_kind(run, "CC301")
    assert suppressed[off] and set(suppressed[off]) == {None}  # reported, not marked suppressed
    assert all(None not in suppressed[kind] for kind in honoured)
    unused = _by_kind(run, "CC011")
    assert unused[off] == [] and all(len(unused[kind]) == 1 for kind in honoured)


@pytest.mark.parametrize("where", ["config", "option"])
@pytest.mark.parametrize("on", KINDS)
def test_a_kind_honoured_alone_is_the_only_one_that_suppresses(project, on, where):
    run = _honouring(project, [on], where)
    suppressed = _by_kind(run, "CC301")
    assert set(suppressed[on]) == {REASONS[on]}
    assert all(set(suppressed[kind]) == {None} for kind in KINDS if kind != on)
    assert [kind for kind, found in _by_kind(run, "CC011").items() if found] == [on]


@pytest.mark.parametrize("where", ["config", "option"])
def test_none_honoured_the_baseline_still_applies(project, where):
    baseline = project / "baseline.json"
    written = run_cli("check", "--today", TODAY, "--no-cache", "--suppressions", "none",
                      "--write-baseline", str(baseline), "campaigns", cwd=project)
    assert written.code == 0, written.err
    run = _honouring(project, [], where, "--baseline", str(baseline))
    findings = run.json()["findings"]
    assert run.code == 0 and findings and {f["suppressed"] for f in findings} == {"baseline"}
    assert _by_kind(run, "CC011") == dict.fromkeys(KINDS, [])


@pytest.mark.parametrize("options", [("--suppressions", "tags,comments"), ("--no-suppressions",)])
def test_a_malformed_metadata_ignore_not_honoured_is_no_cc011_either(project, options):
    """The reproducer: with Metadata not honoured (or no suppression at all), a template whose
    Metadata ignore is not a list still got "CC011 Metadata campaign-lint must be {ignore: [CC301,
    ...]}", which explain CC011 says a kind not honoured never gets; honoured, it still does."""
    template = project / "campaigns" / FILES["metadata"]
    template.write_text(template.read_text().replace("ignore: [CC301, CC206]", "ignore: 5"))
    honoured = _check(project)
    assert [f["message"] for f in honoured.json()["findings"] if f["rule"] == "CC011"
            and f["file"].endswith(FILES["metadata"])] == [
        "Metadata campaign-lint must be {ignore: [CC301, ...]}; this one is ignored"]
    run = _check(project, *options)
    assert _by_kind(run, "CC011")["metadata"] == []
    if options[0] == "--suppressions":
        assert run.err == ("campaign-lint: note: 1 resource Metadata campaign-lint ignore not honoured "
                           "(--suppressions tags,comments)\n")


def test_the_run_says_once_what_it_did_not_honour_and_why(project):
    run = _honouring(project, ["metadata"], "config")
    assert run.err == ("campaign-lint: note: 1 campaign-lint:ignore tag and 1 campaign-lint suppression "
                       'comment not honoured (suppressions = ["metadata"] in .campaign-lint.toml)\n')
    run = _check(project, "--suppressions", "comments")
    assert run.err == ("campaign-lint: note: 1 campaign-lint:ignore tag and 1 resource Metadata campaign-lint "
                       "ignore not honoured (--suppressions comments)\n")
    text = run_cli("check", "--today", TODAY, "--no-cache", "--suppressions", "tags", "campaigns", cwd=project)
    assert text.err == "campaign-lint: note: 1 campaign-lint suppression comment and 1 resource Metadata " \
                       "campaign-lint ignore not honoured (--suppressions tags)\n"


def test_diff_says_too_what_it_did_not_honour(tmp_path):
    """The reproducer: ``--diff --suppressions comments`` showed the fix of a finding the
    campaign's tag suppresses, and no word why; --fix and a plain check said it on stderr."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "c.yaml").write_text(_campaign("zoned", tag="  campaign-lint:ignore: CC310\n").replace(
        "America/New_York", "US/Eastern"))
    run = run_cli("check", "--today", TODAY, "--no-cache", "--suppressions", "comments", "--diff", "c.yaml",
                  cwd=tmp_path)
    assert run.code == 1 and "+  localTimeZoneConfig: {defaultTimeZone: America/New_York}" in run.out
    assert run.err.splitlines() == ["campaign-lint: would fix 1 problem in 1 file",
                                    "campaign-lint: note: 1 campaign-lint:ignore tag not honoured "
                                    "(--suppressions comments)"]
    assert "US/Eastern" in (tmp_path / "c.yaml").read_text()  # --diff writes nothing


def test_the_note_names_a_config_path_escaped_on_one_line(project, tmp_path):
    folder = tmp_path / "odd\nname\x1b[31m"
    folder.mkdir()
    (folder / "lint.toml").write_text('suppressions = ["comments", "metadata"]\n')
    run = _check(project, "--config", str(folder / "lint.toml"))
    [line] = run.err.splitlines()
    assert line.startswith("campaign-lint: note: 1 campaign-lint:ignore tag not honoured (suppressions = ")
    assert "\\n" in line and "\x1b" not in line and line.endswith('lint.toml)')


@pytest.mark.parametrize("value, said", [
    ('["tag"]', "suppressions: 'tag' is not a kind of suppression; give any of tags, comments, metadata, or "
                "none (the baseline always applies); did you mean \"tags\"?"),
    ('["comments", "baseline"]', "suppressions: 'baseline' is not a kind of suppression; give any of "
                                 "tags, comments, metadata, or none (the baseline always applies)"),
    ('["none", "tags"]', "suppressions: none goes alone"),
    ('"comments, tags"', "suppressions: 'comments, tags' is not a kind of suppression"),
    ("3", "suppressions must be a list of strings"),
])
def test_a_bad_config_value_is_one_line_naming_file_and_key(project, value, said):
    (project / ".campaign-lint.toml").write_text(f"suppressions = {value}\n")
    run = run_cli("check", "--today", TODAY, "campaigns", cwd=project)
    [line] = run.err.splitlines()
    assert run.code == 2 and run.out == ""
    assert line.startswith(f"campaign-lint: error: {project / '.campaign-lint.toml'}: ") and said in line


@pytest.mark.parametrize("command", ["check", "audit"])
@pytest.mark.parametrize("value, said", [
    ("tags,bogus", "--suppressions: 'bogus' is not a kind of suppression"),
    ("none,comments", "--suppressions: none goes alone"),
    (",", "--suppressions ',' names no kind; give any of tags,comments,metadata (comma-separated), or none"),
])
def test_a_bad_option_is_a_usage_error(project, command, value, said):
    run = run_cli(command, "--isolated", "--suppressions", value, *(["campaigns"] if command == "check" else []),
                  cwd=project)
    assert run.code == 2 and run.out == "" and run.err.startswith(f"campaign-lint: error: {said}")
    assert len(run.err.splitlines()) == 1


def test_the_option_overrides_the_config_and_no_suppressions_still_drops_all(project):
    (project / ".campaign-lint.toml").write_text('suppressions = ["comments"]\n')
    run = _check(project, "--suppressions", "tags,comments,metadata")
    assert all(None not in found for found in _by_kind(run, "CC301").values()) and run.err == ""
    dropped = _check(project, "--no-suppressions")
    assert all(set(found) == {None} for found in _by_kind(dropped, "CC301").values())
    assert _by_kind(dropped, "CC011") == dict.fromkeys(KINDS, []) and dropped.err == ""


def test_a_warm_cache_answers_each_setting_with_its_own_findings_and_note(project, monkeypatch):
    from campaign_lint import cache

    def cached(*options: str) -> Run:
        return run_cli("check", "--today", TODAY, "--format", "json", *options, "campaigns", cwd=project)

    decoded: list = []  # entries read: a run answered from its record reads none
    original = cache.from_plain
    monkeypatch.setattr(cache, "from_plain", lambda *a: decoded.append(a[1]) or original(*a))
    (project / "campaigns" / FILES["metadata"]).unlink()  # a run with a template has no record
    for options in [(), ("--suppressions", "comments"), ("--suppressions", "none"), ()]:
        expected = _check(project, *options)
        cached(*options)
        decoded.clear()
        run = cached(*options)
        assert (run.out, run.err) == (expected.out, expected.err) and decoded == [], options
    assert cached("--suppressions", "comments").out != cached().out


def test_explain_cc011_and_the_readme_tell_of_the_setting():
    explained = " ".join(run_cli("explain", "CC011").out.split())
    assert "the `suppressions` setting (or `--suppressions`) names the kinds honoured" in explained
    assert "The baseline always applies" in explained
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Suppressing findings"):readme.index("## Auditing an AWS account")]
    assert "--suppressions KINDS" in section and "**Locking suppressions down in CI.**" in section
    assert "no setting that refuses tags alone" not in readme


def test_the_note_is_printed_under_quiet_too(project):
    # --quiet keeps the findings and drops the summary; the note explains findings a tag used to
    # hide, so it stays (on stderr, where it cannot mix with a machine-read report)
    run = run_cli("check", "--today", TODAY, "--no-cache", "--quiet", "--suppressions", "comments",
                  "campaigns", cwd=project)
    assert run.code == 1, run.err
    assert "note: 1 campaign-lint:ignore tag and 1 resource Metadata campaign-lint ignore not honoured" in run.err
    assert "note:" not in run.out


def test_the_note_names_a_config_in_a_folder_called_dot_dot_x_relative_to_here(tmp_path):
    # '..x' is a folder below the current one: the note showed its config's absolute path, as
    # for a config outside the current folder (its relative path starts with '..')
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "..x"
    folder.mkdir()
    (folder / ".campaign-lint.toml").write_text('suppressions = ["comments"]\n')
    (folder / "c.yaml").write_text(_campaign("tagged", tag="  campaign-lint:ignore: CC301\n"))
    run = run_cli("check", "--today", TODAY, "--no-cache", "..x/c.yaml", cwd=tmp_path)
    assert run.err.endswith('(suppressions = ["comments"] in ..x/.campaign-lint.toml)\n'), run.err


def test_the_json_summary_counts_the_suppressions_not_honoured(project):
    # the stderr note was the only place a script could learn that tags were not honoured
    assert _check(project).json()["summary"]["notHonoured"] == {}
    counted = _check(project, "--suppressions", "comments").json()["summary"]["notHonoured"]
    assert counted == {"tags": 1, "metadata": 1}
