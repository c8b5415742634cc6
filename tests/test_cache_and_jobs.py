"""The result cache and worker processes change nothing but time: the same bytes out with the
cache cold, warm, off, with one job and with several; and the cache invalidates exactly what
it must and trusts nothing it did not write."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from campaign_lint import engine as engine_module
from campaign_lint.cache import CACHEDIR_TAG

from .conftest import EXAMPLES, FIXTURES, ROOT, TODAY, run_cli

CAMPAIGN = {
    "name": "renewals", "connectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
    "channelSubtypeConfig": {"telephony": {
        "capacity": 0.6, "connectQueueId": "q-1", "outboundMode": {"agentless": {}},
        "defaultOutboundConfig": {"connectContactFlowId": "flow-1"}}},
    "communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": "America/New_York"},
                                "telephony": {"openHours": {"dailyHours": {
                                    "MONDAY": [{"startTime": "T09:00", "endTime": "T17:00"}]}}}},
    "communicationLimitsOverride": {"instanceLimitsHandling": "OPT_IN"},
}


def _corpus(folder: Path, count: int = 60) -> Path:
    """Enough files for worker processes: copies of the examples and fixtures, and campaigns
    with cross-campaign findings (capacity, names), suppression tags and comments."""
    folder.mkdir(parents=True, exist_ok=True)
    examples = [p for p in EXAMPLES.rglob("*") if p.is_file()]  # templates and plans too
    for source in [*examples, FIXTURES / "structure.json", FIXTURES / "structure.yaml", FIXTURES / "typos.json"]:
        shutil.copy(source, folder / "-".join(source.relative_to(ROOT).parts))
    for index in range(count):
        campaign = json.loads(json.dumps(CAMPAIGN))
        campaign["name"] = f"renewals-{index % 40}"
        if index % 7 == 0:
            campaign["tags"] = {"campaign-lint:ignore": "CC301 CC314"}
        if index % 4 == 0:
            campaign["channelSubtypeConfig"]["telephony"]["outboundMode"] = {
                "progressive": {"bandwidthAllocation": 0.6}}
        if index % 11 == 0:
            campaign["channelSubtypeConfig"]["telephony"]["conectQueueId"] = "typo"
        if index % 3 == 0:
            hours = campaign["communicationTimeConfig"]["telephony"]["openHours"]["dailyHours"]
            hours["TUESDAY"] = [{"startTime": "T09:00", "endTime": "T12:00"},
                                {"startTime": "T11:00", "endTime": "T13:00"}]
        if index % 13 == 0:  # a safe fix (T09:00) that every path must carry to --fix
            hours = campaign["communicationTimeConfig"]["telephony"]["openHours"]["dailyHours"]
            hours["WEDNESDAY"] = [{"startTime": "09:00", "endTime": "T12:00"}]
        if index % 5 == 0:
            text = ("# campaign-lint: ignore CC301 overlaps reviewed\n"
                    + json.dumps(campaign, indent=1).replace("{", "", 1).rsplit("}", 1)[0])
            (folder / f"c{index:03d}.yaml").write_text(_as_yaml(campaign, text))
        else:
            (folder / f"c{index:03d}.json").write_text(json.dumps(campaign, indent=2))
    return folder


def _as_yaml(campaign: dict, _text: str) -> str:
    import yaml

    body = yaml.safe_dump(campaign, sort_keys=False)
    return body.replace("dailyHours:\n", "dailyHours:  # campaign-lint: ignore CC301\n", 1)


def _check(project: Path, *options: str, output: str = "json") -> str:
    run = run_cli("check", "--today", TODAY, "--format", output, *options, ".", cwd=project)
    assert run.code in (0, 1), run.err
    return run.out


@pytest.fixture
def project(tmp_path):
    folder = _corpus(tmp_path / "repo")
    (folder / ".git").mkdir()  # the project root: the cache goes here
    return folder


def test_output_is_identical_cold_warm_uncached_and_with_workers(project, monkeypatch):
    pooled = []
    original = engine_module._pooled

    def spy(*args):
        pooled.append(args[3])  # (engine, targets, cache, jobs, template)
        return original(*args)

    monkeypatch.setattr(engine_module, "_pooled", spy)
    for output in ("json", "text", "sarif"):
        reference = _check(project, "--no-cache", "--jobs", "1", output=output)
        assert reference.count("CC601") and reference.count("CC602") and reference.count("CC301")
        assert output != "json" or '"fix"' in reference
        shutil.rmtree(project / ".campaign-lint-cache", ignore_errors=True)
        assert _check(project, "--jobs", "1", output=output) == reference  # cold
        assert _check(project, "--jobs", "1", output=output) == reference  # warm
        assert _check(project, "--no-cache", "--jobs", "2", output=output) == reference
        shutil.rmtree(project / ".campaign-lint-cache")
        assert _check(project, "--jobs", "2", output=output) == reference  # cold, in workers
        assert _check(project, "--jobs", "2", output=output) == reference  # warm, in workers
    assert pooled and all(jobs == 2 for jobs in pooled)
    suppressed = json.loads(_check(project))["findings"]
    assert any(f["suppressed"] for f in suppressed)


@pytest.mark.parametrize("kinds", ["comments", "tags,metadata", "none"])
def test_the_suppressions_honoured_are_the_same_with_one_job_and_several(project, monkeypatch, kinds):
    pooled = []
    original = engine_module._pooled
    monkeypatch.setattr(engine_module, "_pooled", lambda *args: pooled.append(args[3]) or original(*args))
    runs = [run_cli("check", "--today", TODAY, "--format", "json", "--no-cache", "--jobs", jobs,
                    "--suppressions", kinds, ".", cwd=project) for jobs in ("1", "2")]
    assert pooled == [2]
    assert runs[0].out == runs[1].out and runs[0].err == runs[1].err
    assert runs[0].err.startswith("campaign-lint: note: ") and len(runs[0].err.splitlines()) == 1
    assert runs[0].out != _check(project, "--no-cache", "--jobs", "1")


def test_the_cache_folder_ignores_itself_and_is_never_linted(project):
    _check(project)
    cache = project / ".campaign-lint-cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert list(cache.rglob("*.cache"))
    assert ".campaign-lint-cache" not in _check(project)


def _entries(project: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in (project / ".campaign-lint-cache").rglob("*.cache")}


IAC = ("examples-cdk", "examples-cloudformation", "examples-terraform")


def _spy_lint(monkeypatch) -> list[str]:
    """The API-shape files that were really linted (not answered from the cache); templates
    and plans are never cached."""
    from campaign_lint.sources import files

    linted = []

    original = files.load_bytes

    def spy(raw, path, kind, **options):
        if not os.path.basename(path).startswith(IAC):
            linted.append(os.path.basename(path))
        return original(raw, path, kind, **options)

    monkeypatch.setattr(files, "load_bytes", spy)
    return linted


def test_a_changed_file_is_linted_again_and_only_it(project, monkeypatch):
    _check(project, "--jobs", "1")
    linted = _spy_lint(monkeypatch)
    assert _check(project, "--jobs", "1") and linted == []
    campaign = json.loads((project / "c001.json").read_text())
    campaign["channelSubtypeConfig"]["telephony"]["capacity"] = 0.05
    (project / "c001.json").write_text(json.dumps(campaign))
    out = json.loads(_check(project, "--jobs", "1"))
    assert linted == ["c001.json"]
    assert out == json.loads(_check(project, "--no-cache", "--jobs", "1"))


@pytest.mark.parametrize("library", ["holidays", "pytz", "phonenumbers", "dateutil", "yaml"])
@pytest.mark.parametrize("changed", ["module file", "folder"])
def test_upgrading_a_library_findings_depend_on_invalidates_every_entry(monkeypatch, library, changed):
    """CC703's holidays, zone data and number metadata come from libraries: a new version of
    one (its files rewritten) must not leave findings from the old one in the cache."""
    import importlib.util

    from campaign_lint import cache
    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.registry import Registry

    engine = Engine(Registry.load(), Config(), Selection())
    before = cache.run_key(engine)
    origin = importlib.util.find_spec(library).origin
    if changed == "folder":  # the files keep their times (a wheel's fixed stamps), the folder is new
        origin = os.path.dirname(origin)
    stat = cache._stat
    monkeypatch.setattr(cache, "_stat", lambda path: [*stat(path)[:2], 1] if path == origin else stat(path))
    assert cache.run_key(engine) != before


@pytest.mark.parametrize("helper", ["_values.py", "_policy.py", "_zones.py"])
def test_a_changed_helper_of_the_rules_invalidates_every_entry(monkeypatch, helper):
    # the rules' helper modules hold no rule: an editable install keeps them in rules/, outside
    # the package folder, and an edited _policy.py kept answering from the cache
    import campaign_lint.rules
    from campaign_lint import cache
    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.registry import Registry

    engine = Engine(Registry.load(), Config(), Selection())
    before = cache.run_key(engine)
    changed = os.path.join(os.path.abspath(campaign_lint.rules.__path__[0]), helper)
    assert os.path.exists(changed)
    stat = cache._stat
    monkeypatch.setattr(cache, "_stat", lambda path: [*stat(path)[:2], 1] if path == changed else stat(path))
    assert cache.run_key(engine) != before


def test_a_changed_module_beside_a_rules_dir_rule_invalidates_every_entry(tmp_path, monkeypatch):
    # a --rules-dir rule may load a helper kept beside it (_shared.py is not a rule file)
    from campaign_lint import cache
    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.registry import Registry

    rules = tmp_path / "lint-rules"
    rules.mkdir()
    (rules / "acme.py").write_text('from campaign_lint.rule import Problem, rule\n\n'
                                   '@rule("ACME1", "acme-name", "info")\ndef acme(campaign, context):\n'
                                   '    """Names.\n\n    Fails:\n\n        name: x\n\n    Passes:\n\n'
                                   '        name: y\n    """\n    yield Problem("/name", "x")\n')
    (rules / "_shared.py").write_text("LIMIT = 3\n")
    engine = Engine(Registry.load([str(rules)]), Config(), Selection())
    before = cache.run_key(engine)
    changed = str(rules / "_shared.py")
    stat = cache._stat
    monkeypatch.setattr(cache, "_stat", lambda path: [*stat(path)[:2], 1] if path == changed else stat(path))
    assert cache.run_key(engine) != before


@pytest.mark.parametrize("change", ["config", "today", "rules-dir", "model"])
def test_what_the_findings_depend_on_invalidates_every_entry(project, monkeypatch, change, tmp_path):
    rules_dir = project / "lint-rules"  # inside the config's folder
    rules_dir.mkdir()
    rule = ('from campaign_lint.rule import Problem, rule\n\n'
            '@rule("ACME1", "acme-name", "info")\ndef acme(campaign, context):\n'
            '    """Names.\n\n    Fails:\n\n        name: x\n\n    Passes:\n\n        name: y\n    """\n'
            '    yield Problem("/name", "MESSAGE")\n')
    (rules_dir / "acme.py").write_text(rule)
    (project / ".campaign-lint.toml").write_text('rules-dirs = ["lint-rules"]\n')
    _check(project, "--jobs", "1")
    linted = _spy_lint(monkeypatch)
    options = []
    if change == "config":
        (project / ".campaign-lint.toml").write_text('rules-dirs = ["lint-rules"]\n[severity]\nCC301 = "warning"\n')
    elif change == "today":
        options = ["--today", "2031-01-01"]
    elif change == "rules-dir":
        (rules_dir / "acme.py").write_text(rule.replace("MESSAGE", "CHANGED MESSAGE"))
        os.utime(rules_dir / "acme.py", ns=(1, 1))
    else:
        from campaign_lint import schema

        model = schema.model_path()
        stat = os.stat(model)
        monkeypatch.setattr(schema, "model_path", lambda: str(project / "model.json.gz"))
        shutil.copy(model, project / "model.json.gz")
        os.utime(project / "model.json.gz", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    run = run_cli("check", "--today", TODAY, "--format", "json", "--jobs", "1", *options, ".", cwd=project)
    assert run.code in (0, 1), run.err
    assert len(linted) == len([p for p in project.iterdir()
                               if p.suffix in (".json", ".yaml") and not p.name.startswith(IAC)])
    if change == "rules-dir":
        assert "CHANGED MESSAGE" in run.out
    if change == "config":
        assert '"severity": "warning"' in run.out


def test_an_unchanged_config_keeps_every_entry(project, monkeypatch):
    _check(project, "--jobs", "1")
    linted = _spy_lint(monkeypatch)
    (project / "unrelated.txt").write_text("x")
    _check(project, "--jobs", "1", "--fail-on", "warning")  # the exit code is not in the key
    assert linted == []


def test_cache_dir_and_no_cache(project):
    (project / ".campaign-lint.toml").write_text('cache-dir = "build/lint-cache"\n')
    _check(project)
    assert list((project / "build" / "lint-cache").rglob("*.cache"))
    assert not (project / ".campaign-lint-cache").exists()
    shutil.rmtree(project / "build")
    _check(project, "--no-cache")
    assert not (project / "build").exists()


@pytest.mark.parametrize("forgery", ["hidden", "forged", "garbage", "truncated", "empty"])
def test_a_cache_file_we_did_not_write_is_ignored(project, forgery):
    reference = _check(project, "--no-cache", "--jobs", "1")
    _check(project, "--jobs", "1")
    (cache,) = _entries(project)
    cache.with_suffix(".run").unlink(missing_ok=True)  # else the run's record answers without the entries
    mac, _, body = cache.read_bytes().partition(b"\n")
    lines = []
    for line in body.splitlines():
        path, digest, day, entry = line.split(b"\t", 3)
        plain = json.loads(entry)
        plain["hits"] = []  # a committed cache that claims the files have no findings
        lines.append(b"\t".join([path, digest, day, json.dumps(plain, separators=(",", ":")).encode()]))
    forged = b"\n".join(lines) + b"\n"
    if forgery == "hidden":  # with the old signature
        cache.write_bytes(mac + b"\n" + forged)
    elif forgery == "forged":  # with a made-up one
        cache.write_bytes(b"0" * 64 + b"\n" + forged)
    elif forgery == "garbage":
        cache.write_bytes(b"\xff\x00" * 50)
    elif forgery == "truncated":  # a disk that filled up, a copy cut short
        cache.write_bytes(cache.read_bytes()[:len(cache.read_bytes()) // 2])
    else:
        cache.write_bytes(b"")
    run = run_cli("check", "--today", TODAY, "--format", "json", "--jobs", "1", ".", cwd=project)
    assert run.out == reference and "Traceback" not in run.err
    assert _check(project, "--jobs", "1") == reference  # and it was written anew


def test_entries_signed_with_another_users_key_are_not_used(project, monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path / "someone-else"))
    _check(project, "--jobs", "1")
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path / "me"))
    linted = _spy_lint(monkeypatch)
    _check(project, "--jobs", "1")
    assert len(linted) == len([p for p in project.iterdir()
                               if p.suffix in (".json", ".yaml") and not p.name.startswith(IAC)])


def test_run_scope_rules_on_kept_members_find_what_they_find_on_whole_campaigns(project):
    from datetime import date

    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection, _one_per_campaign, check_files, kept_members
    from campaign_lint.model import Finding
    from campaign_lint.registry import Registry
    from campaign_lint.sources.files import discover, load_path

    engine = Engine(Registry.load(plugins=False), Config(), Selection(), today=date(2026, 11, 28))
    assert kept_members(engine) is not None  # the built-in run-scope rules: members are pruned
    whole = [c for path in discover([str(project)]) for c in load_path(path).campaigns]
    expected = sorted((hit.finding for hit in engine.run_hits(_one_per_campaign(whole))), key=Finding.sort_key)
    got = sorted((f for f in check_files(engine, [str(project)], suppressions=False).findings
                  if engine.registry[f.rule].scope == "run"), key=Finding.sort_key)
    assert {f.rule for f in expected} == {"CC601", "CC602", "CC603"}
    assert got == expected


def test_a_cache_folder_that_links_elsewhere_is_not_written_through(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".campaign-lint-cache").symlink_to(outside, target_is_directory=True)
    first = _check(project)  # writes the folder's .gitignore, which hides the links from walks
    assert _check(project, "--no-cache") == first == _check(project) and not list(outside.iterdir())
    (project / ".campaign-lint-cache").unlink()
    (project / ".campaign-lint-cache").mkdir()
    for shard in range(256):
        for version in ("v1", "v2", "v3"):
            (project / ".campaign-lint-cache" / version).mkdir(exist_ok=True)
            (project / ".campaign-lint-cache" / version / f"{shard:02x}").symlink_to(outside, target_is_directory=True)
    first = _check(project)  # writes the folder's .gitignore, which hides the links from walks
    assert _check(project, "--no-cache") == first == _check(project) and not list(outside.iterdir())


def _record(project: Path) -> Path:
    (cache,) = _entries(project)
    return cache.with_suffix(".run")


def _without_templates(project: Path) -> None:
    """A run with a template or plan has no record (their options are not file content)."""
    for path in project.iterdir():
        if path.name.startswith(IAC):
            path.unlink()


@pytest.mark.parametrize("forgery", ["hidden", "forged", "truncated", "other-key"])
def test_a_run_record_we_did_not_write_is_ignored(project, forgery, monkeypatch, tmp_path):
    _without_templates(project)
    reference = _check(project, "--no-cache", "--jobs", "1")
    _check(project, "--jobs", "1")
    record = _record(project)
    mac, _, body = record.read_bytes().partition(b"\n")
    key, day, plain = json.loads(body)
    plain["findings"] = []  # a committed record that claims the run found nothing
    if forgery == "hidden":
        record.write_bytes(mac + b"\n" + json.dumps([key, day, plain]).encode())
    elif forgery == "forged":
        record.write_bytes(b"0" * 64 + b"\n" + json.dumps([key, day, plain]).encode())
    elif forgery == "truncated":
        record.write_bytes(record.read_bytes()[:len(record.read_bytes()) // 2])
    else:  # signed by another user
        monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path / "someone-else"))
    run = run_cli("check", "--today", TODAY, "--format", "json", "--jobs", "1", ".", cwd=project)
    assert run.out == reference and "Traceback" not in run.err


def test_a_second_run_is_answered_from_the_runs_record_and_only_while_nothing_changed(project, monkeypatch):
    from campaign_lint import cache

    _without_templates(project)
    (project / ".campaign-lint.toml").write_text("# the project's configuration\n")
    _check(project, "--jobs", "2")  # cold, in workers: entries and the run's record written
    decoded = []
    original = cache.from_plain
    monkeypatch.setattr(cache, "from_plain", lambda *a: decoded.append(a[1]) or original(*a))
    linted = _spy_lint(monkeypatch)
    reference = _check(project, "--no-cache", "--jobs", "1")
    linted.clear()
    assert _check(project, "--jobs", "1") == reference and linted == [] and decoded == []
    # what acts after per-file work is in the record's key, not in the entries' (all reused)
    for options, config in [(["--ignore", "CC011"], None), ([], '[per-file-ignores]\n"c00*" = ["CC602"]\n'),
                            (["--no-suppressions"], None), (["--suppressions", "comments"], None),
                            ([], 'suppressions = ["tags"]\n')]:
        if config:
            (project / ".campaign-lint.toml").write_text(config)
        expected = _check(project, "--no-cache", "--jobs", "1", *options)
        linted.clear()
        assert _check(project, "--jobs", "1", *options) == expected != reference
        assert linted == [], options
        (project / ".campaign-lint.toml").write_text("# the project's configuration\n")
    baseline = project.parent / "baseline.json"  # not a file of the run
    run_cli("check", "--today", TODAY, "--no-cache", "--write-baseline", str(baseline), ".", cwd=project)
    expected = _check(project, "--no-cache", "--jobs", "1", "--baseline", str(baseline))
    linted.clear()
    assert _check(project, "--jobs", "1", "--baseline", str(baseline)) == expected != reference
    assert linted == []
    # one changed file: it alone is linted, the others come from their entries
    decoded.clear()
    campaign = json.loads((project / "c002.json").read_text())
    campaign["name"] = "renewals-1"  # now a duplicate name (CC602, run scope)
    (project / "c002.json").write_text(json.dumps(campaign))
    out = _check(project, "--jobs", "1")
    assert linted == ["c002.json"] and len(decoded) > 40
    linted.clear()
    assert out == _check(project, "--no-cache", "--jobs", "1") != reference


def test_concurrent_runs_leave_a_cache_that_answers_right(project):
    import subprocess
    import sys

    reference = _check(project, "--no-cache", "--jobs", "1")
    command = [sys.executable, "-m", "campaign_lint", "check", "--today", TODAY, "--format", "json", "."]
    runs = [subprocess.Popen(command + (["--jobs", "1"] if index % 2 else []), cwd=project,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for index in range(4)]
    outputs = [run.communicate() for run in runs]
    assert all(out.decode() == reference and b"Traceback" not in err for out, err in outputs)
    assert not [p for p in (project / ".campaign-lint-cache").rglob("*.tmp")]
    assert _check(project, "--jobs", "1") == reference
    _record(project).unlink(missing_ok=True)
    assert _check(project, "--jobs", "1") == reference  # from the entries


def test_a_run_with_a_template_is_never_answered_from_a_record(tmp_path):
    # the template's parameters are options, not file content: a record would answer for
    # another --parameter value
    template = {"Resources": {"Campaign": {"Type": "AWS::ConnectCampaignsV2::Campaign", "Properties": {
        "Name": "renewals", "ConnectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
        "ChannelSubtypeConfig": {"Sms": {"Capacity": 0.5, "DefaultOutboundConfig": {
            "ConnectSourcePhoneNumberArn": "arn:aws:connect:us-east-1:123456789012:phone-number/x",
            "WisdomTemplateArn": "arn:aws:wisdom:us-east-1:123456789012:message-template/y"},
            "OutboundMode": {"AgentlessConfig": {}}}},
        "CommunicationTimeConfig": {"LocalTimeZoneConfig": {"DefaultTimeZone": {"Ref": "Zone"}}}}}},
        "Parameters": {"Zone": {"Type": "String", "Default": "America/New_York"}}}
    project = tmp_path / "repo"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "t.json").write_text(json.dumps(template))
    (project / "c.json").write_text(json.dumps(CAMPAIGN))
    for zone in ("America/New_York", "Mars/Olympus", "America/New_York", "Mars/Olympus"):
        out = _check(project, "--parameter", f"Zone={zone}")
        assert out == _check(project, "--no-cache", "--parameter", f"Zone={zone}")
        assert ('"CC309"' in out) == (zone == "Mars/Olympus")
    assert not list((project / ".campaign-lint-cache").rglob("*.run"))
    (project / "t.json").unlink()
    _check(project)
    assert list((project / ".campaign-lint-cache").rglob("*.run"))


def test_a_fifo_or_a_link_in_place_of_a_cache_file_is_not_read(project, tmp_path):
    """A FIFO would block the run for ever, a link to /dev/zero never ends: each is passed by."""
    from .conftest import run_process

    env = {"CAMPAIGN_LINT_CACHE_HOME": str(tmp_path / "home")}
    arguments = ("check", "--today", TODAY, "--format", "json", "--jobs", "1", ".")
    reference = run_process(*arguments, "--no-cache", cwd=project, env=env).stdout
    run_process(*arguments, cwd=project, env=env)  # writes the key, the entries and the record
    (cache,) = _entries(project)
    for path in (tmp_path / "home" / "result-cache.key", cache, cache.with_suffix(".run")):
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    assert run_process(*arguments, cwd=project, env=env).stdout == reference
    for path in (tmp_path / "home" / "result-cache.key", cache, cache.with_suffix(".run")):
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to("/dev/zero")
    assert run_process(*arguments, cwd=project, env=env).stdout == reference


@pytest.mark.parametrize("whole_run", [True, False])
def test_per_file_policies_follow_the_files_real_place_cache_warm(tmp_path, whole_run):
    # per-file-policies match a file's real path, but entries were kept by the path as given:
    # a link retargeted from other/ to florida/ was answered from the cache without us-fl
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.campaign-lint.per-file-policies]\n"florida/*.json" = ["us-fl"]\n')
    text = (EXAMPLES / "clean" / "renewals-describe.json").read_text()
    early = text.replace('"startTime": "T09:00"', '"startTime": "T06:00"')
    assert early != text
    for folder in ("florida", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c.json").write_text(early)
    (tmp_path / "florida" / "d.json").write_text(early.replace("policy-renewals-east", "policy-renewals-d")
                                                 .replace("2f6d9c1e-4b7a", "3a7e0d2f-5c8b"))
    link = tmp_path / "link.json"
    link.symlink_to("other/c.json")
    targets = ("link.json",) if whole_run else ("link.json", "florida/d.json")

    def cc701(*options):
        run = run_cli("check", "--today", TODAY, "--format", "json", *options, *targets, cwd=tmp_path)
        return {f["file"] for f in run.json()["findings"] if f["rule"] == "CC701"}

    extra = set() if whole_run else {"florida/d.json"}
    assert cc701() == extra and cc701() == extra  # cold, then warm: us-fl does not apply through other/
    link.unlink()
    link.symlink_to("florida/c.json")
    assert cc701("--no-cache") == {"link.json"} | extra
    assert cc701() == {"link.json"} | extra


def test_a_template_is_never_answered_from_the_cache_even_when_it_made_no_campaign(tmp_path):
    # a loop over a parameter without a value makes no campaign; its "not expanded" result was
    # cached like a plain file's and answered again with --parameter Regions=east,west (exit 0)
    (tmp_path / ".git").mkdir()
    (tmp_path / "loop.yaml").write_text("""\
Transform: AWS::LanguageExtensions
Parameters:
  Regions: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Regions:
    - Region
    - !Ref Regions
    - Renewals${Region}:
        Type: AWS::ConnectCampaignsV2::Campaign
        Properties: {Name: !Sub "renewals-${Region}", ConnectInstanceId: i-1}
""")

    def campaigns(*options):
        run = run_cli("check", "--today", TODAY, "--format", "json", *options, "loop.yaml", cwd=tmp_path)
        return run.json()["summary"]["campaigns"]

    assert campaigns() == campaigns() == 0
    assert campaigns("--parameter", "Regions=east,west") == 2


def test_older_formats_entry_files_are_removed_and_nothing_else(project, tmp_path):
    # formats 1-4 kept one file per campaign file, v<N>/<2 hex>/<62 hex>.entry; they are never read
    cache = project / ".campaign-lint-cache"
    old = [cache / "v4" / "ab" / ("c" * 62 + ".entry"), cache / "v1" / "0f" / ("1" * 62 + ".entry"),
           cache / "v4" / "ab" / ("d" * 62 + ".entry.123.0123456789ab.tmp")]
    kept = [cache / "v3" / "ab" / "notes.txt", cache / "v2" / "my-file.entry", cache / "v4x" / "ab" / ("e" * 62 + ".entry")]
    outside = tmp_path / "elsewhere" / "ab"
    outside.mkdir(parents=True)
    (outside / ("f" * 62 + ".entry")).write_text("not ours to remove")
    for path in old + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (cache / "v2" / "cd").symlink_to(outside)  # never followed
    (cache / "CACHEDIR.TAG").write_text(CACHEDIR_TAG)  # every format wrote it
    _check(project, "--jobs", "1")
    assert not (cache / "v4").exists() and not (cache / "v1").exists()
    assert all(path.read_text() == "x" for path in kept)
    assert (outside / ("f" * 62 + ".entry")).exists() and (cache / "v2" / "cd").is_symlink()
    assert list((cache / "v5").glob("*.cache"))


@pytest.mark.parametrize("tag", [None, "Signature: 8a477f597d28d172789f06886806bc55\n# another tool's\n", "link"])
def test_a_cache_dir_that_was_not_our_cache_loses_nothing(project, tmp_path, tag):
    # cache-dir comes from a config a pull request can change: a folder that did not hold this
    # tool's CACHEDIR.TAG before the run is not a cache of ours, whatever its files are named
    folder = project / "data"
    old = folder / "v4" / "ab" / ("c" * 62 + ".entry")
    old.parent.mkdir(parents=True)
    old.write_text("someone's data")
    if tag == "link":
        (tmp_path / "tag").write_text(CACHEDIR_TAG)
        (folder / "CACHEDIR.TAG").symlink_to(tmp_path / "tag")
    elif tag is not None:
        (folder / "CACHEDIR.TAG").write_text(tag)
    (project / ".campaign-lint.toml").write_text('cache-dir = "data"\n')
    _check(project, "--jobs", "1")
    assert list((folder / "v5").glob("*.cache"))  # the cache is used there
    assert old.read_text() == "someone's data"


def test_a_worker_killed_mid_run_ends_the_run_with_one_line_not_a_hang(project):
    # the OOM killer or a signal can end a worker: multiprocessing.Pool then waited forever
    # for its results (CI ran until its time limit); now the run stops with exit 2
    from .conftest import run_process

    rules = project / "lint-rules"
    rules.mkdir()
    (rules / "killer.py").write_text(
        'import os, signal\n\nfrom campaign_lint.rule import rule\n\n'
        '@rule("ACME9", "killed-by-the-system", "info")\ndef killed(campaign, context):\n'
        '    """Ends its process as the OOM killer would, on one campaign.\n\n    Fails:\n\n'
        '        name: doomed\n\n    Passes:\n\n        name: spared\n    """\n'
        '    if campaign.data.get("name") == "doomed":\n'
        '        os.kill(os.getpid(), signal.SIGKILL)\n'
        '    return iter(())\n')
    doomed = json.loads(json.dumps(CAMPAIGN))
    doomed["name"] = "doomed"
    (project / "zz-doomed.json").write_text(json.dumps(doomed))
    run = run_process("check", "--no-cache", "--jobs", "2", "--rules-dir", str(rules), ".", cwd=project)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == ["campaign-lint: error: a worker process ended before sending its results "
                                       "(killed, or out of memory?); --jobs 1 checks in this process"]
    assert run.stdout == ""


def test_a_spawned_worker_that_cannot_start_says_why_in_one_line(project):
    # on Windows workers are spawned (this code forks where it can) and load the rules again:
    # a rule file that failed to load there was "killed, or out of memory?", after the pool's
    # traceback on stderr
    from .conftest import run_process

    rules = project / "lint-rules"
    rules.mkdir()
    (rules / "licensed.py").write_text("import multiprocessing\n\nif multiprocessing.parent_process():\n"
                                       "    raise RuntimeError('no licence server in a worker')\n")
    run = run_process("check", "--no-cache", "--jobs", "2", "--rules-dir", str(rules), ".", cwd=project,
                      spawn=True)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [
        f"campaign-lint: error: a worker process failed to start: {rules / 'licensed.py'}: rule file failed "
        "to load: RuntimeError: no licence server in a worker; --jobs 1 checks in this process"]
    assert run.stdout == ""
    alone = run_process("check", "--no-cache", "--jobs", "1", "--rules-dir", str(rules), ".", cwd=project)
    assert alone.returncode == 1 and alone.stdout and not alone.stderr  # the way out the message gives


def _die_on_three(item: tuple[int, str]) -> int:
    """Work for _pooled: item 3 ends its worker as the OOM killer would (after leaving a mark)."""
    import signal

    number, mark = item
    if number == 3:
        Path(mark).write_text("dying")
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_worker_killed_while_the_caller_is_busy_is_a_worker_lost_too(tmp_path):
    # the pool breaks while the caller handles a result (a template checked in the main
    # process, output written): the next batch's submit raises, not only a pending result
    import time

    from campaign_lint.engine import WorkerLost, _pooled

    class Stub:
        config = selection = today = None

    mark = tmp_path / "dying"
    results = _pooled(Stub(), [(number, str(mark)) for number in range(40)], False, 2,
                      work=_die_on_three, chunk=1)
    with pytest.raises(WorkerLost):
        for number in results:
            if number == 0:
                deadline = time.monotonic() + 30
                while not mark.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(1)  # the executor has seen its worker die


def test_fix_reports_what_is_left_with_the_cache_and_the_workers(project, monkeypatch):
    # after --fix the run checked every file again, in this process and without the cache
    # (twice the work on a large repository); now only the files fixed are linted again
    linted = _spy_lint(monkeypatch)
    shape_files = [p for p in project.iterdir() if p.suffix in (".json", ".yaml", ".yml") and not p.name.startswith(IAC)]
    before = {p.name: p.read_text() for p in shape_files}
    fixed = run_cli("check", "--today", TODAY, "--format", "json", "--jobs", "1", "--fix", ".", cwd=project)
    assert fixed.code in (0, 1), fixed.err
    changed = {p.name for p in shape_files if p.read_text() != before[p.name]}
    assert len(changed) == 7  # c000, c013 ... c052 and the two typos files
    assert {name: linted.count(name) for name in before if name not in changed} == dict.fromkeys(
        before.keys() - changed, 1)
    fresh = run_cli("check", "--today", TODAY, "--format", "json", "--no-cache", "--jobs", "1", ".", cwd=project)
    assert fixed.json()["findings"] == fresh.json()["findings"]

    pooled = []
    original = engine_module._pooled

    def spy(*args):
        pooled.append(args[3])
        return original(*args)

    monkeypatch.setattr(engine_module, "_pooled", spy)
    for path in project.glob("c0*.json"):  # a fix in each of 48 files: enough for two workers
        path.write_text(path.read_text().replace('"startTime": "T09:00"', '"startTime": "09:00"', 1))
    again = run_cli("check", "--today", TODAY, "--format", "json", "--jobs", "2", "--fix", ".", cwd=project)
    assert again.json()["findings"] == fresh.json()["findings"]
    assert pooled == [2, 2]  # the second pass too: only the 48 files fixed, in workers
