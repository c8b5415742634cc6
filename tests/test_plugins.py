"""Third-party rules: entry-point plugins, --rules-dir files, and crash isolation."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import ROOT, TELEPHONY_AND_CAP, run_cli

PLUGIN_RULE = '''
from campaign_lint.rule import Problem, rule


@rule("ACME001", "no-weekend-calls", severity="warning")
def no_weekend_calls(campaign, context):
    """Telephony open hours include a weekend day.

    Our works council forbids weekend calls.

    Fails:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                SATURDAY: [{startTime: T09:00, endTime: T12:00}]

    Passes:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T12:00}]
    """
    days = campaign.mapping("/communicationTimeConfig/telephony/openHours/dailyHours")
    for day in ("SATURDAY", "SUNDAY"):
        if days.get(day):
            yield Problem(f"/communicationTimeConfig/telephony/openHours/dailyHours/{day}",
                          f"telephony is open on {day}")
'''

WEEKEND = """\
name: weekend
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: UTC}
  telephony:
    openHours:
      dailyHours:
        SATURDAY: [{startTime: T09:00, endTime: T12:00}]
""" + TELEPHONY_AND_CAP


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """Build and install a real plugin distribution into a private site folder."""
    source = tmp_path_factory.mktemp("acme-plugin")
    (source / "acme_rules.py").write_text(PLUGIN_RULE)
    (source / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "acme-campaign-rules"
        version = "1.0"

        [project.entry-points."campaign_lint.rules"]
        acme = "acme_rules"

        [tool.setuptools]
        py-modules = ["acme_rules"]
        """))
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "--target", str(site), str(source)],
                   check=True, capture_output=True, timeout=300)
    return site


def run_with(site, *args, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]))
    return subprocess.run([sys.executable, "-m", "campaign_lint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_installed_plugin_is_listed_explained_and_run(plugin_site, tmp_path):
    (tmp_path / "c.yaml").write_text(WEEKEND)
    listed = run_with(plugin_site, "rules", "--isolated", cwd=tmp_path)
    assert "ACME001 no-weekend-calls" in listed.stdout
    explained = run_with(plugin_site, "explain", "--isolated", "ACME001", cwd=tmp_path)
    assert "plugin acme-campaign-rules" in explained.stdout
    checked = run_with(plugin_site, "check", "--isolated", "c.yaml", cwd=tmp_path)
    assert "c.yaml:8:19: ACME001 warning: telephony is open on SATURDAY [weekend]" in checked.stdout
    assert checked.returncode == 0  # a warning does not fail by default
    ignored = run_with(plugin_site, "check", "--isolated", "--ignore", "ACME", "c.yaml", cwd=tmp_path)
    assert "ACME001" not in ignored.stdout


def test_rules_dir(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "weekend.py").write_text(PLUGIN_RULE)
    (tmp_path / "c.yaml").write_text(WEEKEND)
    run = run_cli("check", "--isolated", "--format", "json", "--rules-dir", "local", "c.yaml",
                  cwd=tmp_path)
    assert "ACME001" in run.rules()
    (tmp_path / ".campaign-lint.toml").write_text('rules-dirs = ["local"]\n')
    run = run_cli("check", "--format", "json", "c.yaml", cwd=tmp_path)
    assert "ACME001" in run.rules()


def test_a_rules_dirs_module_linked_from_outside_is_refused_not_run(tmp_path):
    # rules-dirs must resolve inside the config's folder; the folder did, but a module in it
    # could be a symlink to a file anywhere, which was imported (helper-53)
    outside, project = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    (project / "local").mkdir(parents=True)
    marker = outside / "ran"
    (outside / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n" + PLUGIN_RULE)
    (project / "local" / "evil.py").symlink_to(outside / "evil.py")
    (project / ".campaign-lint.toml").write_text('rules-dirs = ["local"]\n')
    (project / "c.yaml").write_text(WEEKEND)
    run = run_cli("check", "c.yaml", cwd=project)
    assert run.code == 2 and not marker.exists()
    assert run.err.strip().endswith("rules-dirs: 'local' holds 'evil.py', a link to a file outside the folder of "
                                    "this config file")
    assert "ACME001" in run_cli("check", "--isolated", "--rules-dir", "local", "c.yaml", cwd=project).out
    assert marker.exists()  # named on the command line: the user's own choice, as the README says


def test_rule_id_clash_is_a_config_error(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "clash.py").write_text(PLUGIN_RULE.replace("ACME001", "CC301"))
    run = run_cli("rules", "--isolated", "--rules-dir", str(tmp_path / "local"))
    assert run.code == 2 and "CC301 is defined twice" in run.err


def test_crashing_rule_is_isolated(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "crash.py").write_text(PLUGIN_RULE.replace(
        "days = campaign", "raise KeyError('boom')\n    days = campaign"))
    (tmp_path / "c.yaml").write_text(WEEKEND + "tags: 3\n")
    run = run_cli("check", "--isolated", "--format", "json", "--rules-dir", "local", "c.yaml",
                  cwd=tmp_path)
    crashes = [f for f in run.json()["findings"] if f["rule"] == "CC010"]
    assert len(crashes) == 1
    assert "ACME001" in crashes[0]["message"] and '"weekend"' in crashes[0]["message"]
    assert "KeyError" in crashes[0]["message"]
    assert "CC103" in run.rules()  # the other rules still ran
    assert run.code == 1


def test_rule_cannot_modify_the_campaign(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "mutate.py").write_text(PLUGIN_RULE.replace(
        "days = campaign", "campaign.data['name'] = 'changed'\n    days = campaign"))
    (tmp_path / "c.yaml").write_text(WEEKEND)
    run = run_cli("check", "--isolated", "--format", "json", "--rules-dir", "local", "c.yaml",
                  cwd=tmp_path)
    assert "CC010" in run.rules()
    assert all(f["campaign"]["name"] == "weekend" for f in run.json()["findings"])


def test_broken_rule_file_is_a_config_error(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "bad.py").write_text("import does_not_exist\n")
    run = run_cli("rules", "--isolated", "--rules-dir", str(tmp_path / "local"))
    assert run.code == 2 and "ModuleNotFoundError" in run.err and "bad.py" in run.err


def run_rule_body(tmp_path, body: str, *extra: str):
    """Lint WEEKEND with the example plugin rule whose body starts with ``body``."""
    (tmp_path / "local").mkdir(exist_ok=True)
    (tmp_path / "local" / "acme.py").write_text(PLUGIN_RULE.replace(
        "    days = campaign", textwrap.indent(textwrap.dedent(body), "    ") + "\n    days = campaign"))
    (tmp_path / "c.yaml").write_text(WEEKEND + "tags: 3\n")
    return run_cli("check", "--isolated", "--format", "json", "--rules-dir", "local", *extra,
                   "c.yaml", cwd=tmp_path)


@pytest.mark.parametrize("body,words", [
    ("yield None", "yielded None instead of a Problem"),
    ("yield 'telephony is open'", "instead of a Problem"),
    ("yield Problem(None, 'x')", "pointer is None"),
    ("yield Problem('name', 'x')", "pointer is 'name'"),
    ("yield Problem('/name', None)", "message is None"),
    ("yield Problem('/name', 'x', campaign='c-1')", "campaign is not a Campaign"),
    ("yield Problem('/name', 'x', severity='error')", "severity is not a Severity"),
    ("yield Problem('/name', 'x', properties={'pack': 1})", "properties are not (name, value)"),
    ("import sys\nsys.exit(0)", "SystemExit: 0"),
    ("import sys\nsys.exit('bye')", "SystemExit: bye"),
    ("raise GeneratorExit('odd')", "GeneratorExit: odd"),
    ("class Odd(BaseException):\n    pass\nraise Odd('line one\\nline two')", "Odd: line one\\nline two"),
])
def test_misbehaving_rule_is_cc010_and_the_others_still_run(tmp_path, body, words):
    run = run_rule_body(tmp_path, body)
    assert run.code == 1, run.err
    [crash] = [f for f in run.json()["findings"] if f["rule"] == "CC010"]
    assert "ACME001" in crash["message"] and words in crash["message"], crash["message"]
    assert "\n" not in crash["message"]
    assert (crash["line"], crash["column"]) == (1, 1)
    assert "CC103" in run.rules()  # the built-in rules still ran
    assert "ACME001" not in run.rules()


def test_keyboard_interrupt_in_a_rule_stops_the_run(tmp_path):
    run = run_rule_body(tmp_path, "raise KeyboardInterrupt")
    assert run.code == 130 and run.out == ""


def test_rule_print_never_reaches_stdout(tmp_path):
    run = run_rule_body(tmp_path, "print('debugging', campaign)\nimport sys\nsys.stdout.write('more')")
    assert run.json()["summary"]  # stdout is still one JSON document
    assert "ACME001" in run.rules() and "CC010" not in run.rules()
    assert "debugging" in run.err and "more" in run.err


@pytest.mark.parametrize("body", [
    "campaign.raw['name'] = 'changed'",
    "campaign.data['communicationTimeConfig']['telephony'] = None",
    "campaign.get('/communicationTimeConfig/telephony/openHours/dailyHours/SATURDAY').append({})",
    "campaign.raw['channelSubtypeConfig'].update(sms={})",
    "campaign.raw.setdefault('description', 'x')",
    "campaign.raw['communicationTimeConfig']['telephony']['openHours']['dailyHours']['SATURDAY'][0].pop('endTime')",
    "campaign.raw['communicationTimeConfig']['telephony']['openHours']['dailyHours']['SATURDAY'].sort()",
    "context.options['x'] = 1  # the options are shared by every campaign",
])
def test_rules_cannot_modify_campaigns_deeply(tmp_path, body):
    run = run_rule_body(tmp_path, body)
    crashes = [f for f in run.json()["findings"] if f["rule"] == "CC010"]
    assert len(crashes) == 1 and "read-only" in crashes[0]["message"], run.out
    assert all(f["campaign"]["name"] == "weekend" for f in run.json()["findings"])
    assert "CC103" in run.rules()


def test_read_only_campaigns_still_copy_pickle_and_serialise():
    import copy
    import json
    import pickle

    from campaign_lint.model import freeze

    value = freeze({"a": [1, {"b": (2, 3)}]})
    assert json.loads(json.dumps(value)) == {"a": [1, {"b": [2, 3]}]}
    assert pickle.loads(pickle.dumps(value)) == value
    assert type(pickle.loads(pickle.dumps(value))["a"]).__name__ == "FrozenList"
    assert copy.deepcopy(value) == value and freeze(value) is value
    assert {freeze(["DAY", 1]): "usable as a key, like a tuple"}[freeze(["DAY", 1])]
    mutable = json.loads(json.dumps(value))
    mutable["a"].append(4)  # a plain copy is the rule's own to change
    assert value["a"] == [1, {"b": [2, 3]}]
