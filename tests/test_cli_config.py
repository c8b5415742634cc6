"""The command line and configuration: selection, severities, exit codes, formats."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from .conftest import CONSOLE_READY, EXAMPLES, ROOT, TELEPHONY_AND_CAP, TODAY, findings_of, run_cli, run_process

BROKEN = """\
name: broken
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Mars/Olympus}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T09:00, endTime: T12:00}, {startTime: T10:00, endTime: T13:00}]
""" + TELEPHONY_AND_CAP + CONSOLE_READY


@pytest.fixture
def project(tmp_path):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "c.yaml").write_text(BROKEN)
    return tmp_path


def check(project, *args):
    return run_cli("check", "--format", "json", "--today", TODAY, *args, "campaigns", cwd=project)


# --- exit codes and output -------------------------------------------------------

def test_examples_broken_fail_and_clean_pass():
    broken = run_cli("check", "--isolated", "--today", TODAY, str(EXAMPLES / "broken"))
    clean = run_cli("check", "--isolated", "--today", TODAY, str(EXAMPLES / "clean"))
    assert broken.code == 1 and clean.code == 0
    assert clean.out.startswith("No problems found: 2 campaigns in 2 files.")
    lines = broken.out.splitlines()
    assert all(re.match(r"^examples?/|^/", line) or line.startswith(str(EXAMPLES))
               for line in lines[:-1] if not line.startswith("[*] "))  # the --fix hint
    # the typo'd connectQueueId also leaves the progressive mode without a queue (CC212, warning)
    assert re.match(r"^Found \d+ problems \(\d+ errors, 1 warning, 0 info\) in 2 campaigns in 2 files\.$",
                    lines[-1])


@pytest.mark.parametrize("folder", ["clean", "cloudformation/clean", "cdk/clean", "terraform/clean",
                                    "terraform/config"])
def test_clean_examples_pass_as_a_user_runs_them_whatever_the_date(folder, monkeypatch):
    # no --today, no --isolated: examples/.campaign-lint.toml pins the day their holidays (2027)
    # are dated for; without it, from 2027-12-27 on they got CC308 infos for past holidays
    import datetime

    from campaign_lint import engine

    class Later(datetime.date):
        @classmethod
        def today(cls):
            return datetime.date(2031, 3, 1)

    monkeypatch.setattr(engine, "date", Later)  # the day a user runs them, years on
    run = run_cli("check", "--no-cache", f"examples/{folder}", cwd=ROOT)
    assert (run.code, run.err) == (0, "") and run.out.startswith("No problems found"), run.out
    later = run_cli("check", "--no-cache", "--today", "2029-06-01", f"examples/{folder}", cwd=ROOT)
    assert folder == "clean" or "CC308" in later.out  # --today still overrides the pin


def test_text_line_format(project):
    run = run_cli("check", "--today", TODAY, "campaigns", cwd=project)
    assert run.code == 1
    assert ("campaigns/c.yaml:4:42: CC309 error: defaultTimeZone \"Mars/Olympus\" is not an IANA "
            "time zone [broken]") in run.out.splitlines()


def test_json_document_shape(project):
    document = check(project).json()
    assert document["version"] == 1
    assert set(document["summary"]) >= {"files", "campaigns", "error", "warning", "info"}
    assert document["summary"]["files"] == 1 and document["summary"]["campaigns"] == 1
    finding = findings_of(check(project), "CC301")[0]
    assert finding == {
        "rule": "CC301", "name": "open-hours-overlap", "severity": "error",
        "message": finding["message"], "file": "campaigns/c.yaml", "line": 8, "column": 56,
        "pointer": "/communicationTimeConfig/telephony/openHours/dailyHours/MONDAY/1",
        "campaign": {"id": None, "name": "broken", "arn": None},
        "region": None, "suppressed": None,
    }


def test_fail_on_levels(project):
    (project / "campaigns" / "c.yaml").write_text('{"name": "x"}')  # CC002 info only
    assert check(project).code == 0
    assert check(project, "--fail-on", "info").code == 1
    (project / "campaigns" / "c.yaml").write_text(BROKEN)
    assert check(project, "--fail-on", "never").code == 0


def test_output_file_is_written(project):
    run = run_cli("check", "--isolated", "--format", "json", "--output", "report.json",
                  "campaigns", cwd=project)
    assert run.code == 1 and run.out == ""
    assert json.loads((project / "report.json").read_text())["version"] == 1


@pytest.mark.parametrize("args", [["--format", "xml"], ["--fail-on", "fatal"], ["--bogus"],
                                  ["--select", "ZZ9"], ["--today", "tomorrow"]])
def test_usage_errors_exit_2_with_one_line(project, args):
    run = run_cli("check", *args, "campaigns", cwd=project)
    assert run.code == 2
    assert len(run.err.strip().splitlines()) == 1 and run.err.startswith("campaign-lint: error:")


def test_no_command_prints_help_and_exits_2():
    run = run_cli()
    assert run.code == 2


# --- selection --------------------------------------------------------------------

def test_select_and_ignore_by_prefix(project):
    assert sorted(set(check(project).rules())) == ["CC301", "CC309"]
    assert sorted(check(project, "--select", "CC3").rules()) == ["CC301", "CC309"]
    assert check(project, "--select", "CC301").rules() == ["CC301"]
    assert check(project, "--select", "CC2").rules() == []
    assert check(project, "--ignore", "CC301").rules() == ["CC309"]
    # the longest prefix decides: ignore CC3 but select CC309 back
    assert check(project, "--ignore", "CC3", "--extend-select", "CC309").rules() == ["CC309"]


def test_all_selects_everything_and_any_prefix_beats_it(project):
    assert sorted(check(project, "--select", "ALL").rules()) == ["CC301", "CC309"]
    assert check(project, "--select", "ALL", "--ignore", "CC30").rules() == []
    assert check(project, "--select", "ALL", "--ignore", "C").rules() == []
    assert check(project, "--ignore", "ALL", "--extend-select", "CC309").rules() == ["CC309"]


def test_a_rule_name_given_for_an_id_says_which_id(project):
    # said "'OPEN-HOURS-OVERLAP' matches no rule id", in capitals, with no way forward
    run = check(project, "--select", "open-hours-overlap")
    assert run.code == 2 and "open-hours-overlap is the name of CC301: give its id" in run.err


def test_selecting_legal_hours_without_a_policy_pack_says_nothing_is_checked(project):
    # exit 0 and silence: a user could believe calling hours were checked
    run = check(project, "--select", "CC701")
    assert run.code == 0 and "CC701 selected, but no policy pack is" in run.err
    assert "CC7" not in check(project, "--select", "CC701", "--policy", "us-tcpa").err
    assert "policy pack" not in check(project, "--select", "CC3").err


def test_cc001_cannot_be_deselected(project):
    (project / "campaigns" / "c.yaml").write_text("a: [")
    assert check(project, "--ignore", "CC0").rules() == ["CC001"]


def test_config_file_select_severity_and_per_file_ignores(project):
    (project / ".campaign-lint.toml").write_text(
        'ignore = ["CC309"]\n'
        '[severity]\nCC301 = "warning"\n'
        '[per-file-ignores]\n"other/*.yaml" = ["CC3"]\n')
    run = check(project)
    assert run.rules() == ["CC301"]
    assert run.json()["findings"][0]["severity"] == "warning"
    assert run.code == 0  # warnings do not fail by default
    (project / "other").mkdir()
    (project / "other" / "c.yaml").write_text(BROKEN)
    other = run_cli("check", "--format", "json", "other", cwd=project)
    assert other.rules() == []


def test_pyproject_table_found_from_a_subfolder(project):
    (project / "pyproject.toml").write_text('[tool.campaign-lint]\nselect = ["CC309"]\n')
    run = run_cli("check", "--format", "json", "c.yaml", cwd=project / "campaigns")
    assert run.rules() == ["CC309"]


def test_pyproject_without_table_is_passed_over(project):
    (project / "pyproject.toml").write_text('[tool.campaign-lint]\nselect = ["CC309"]\n')
    (project / "campaigns" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    run = run_cli("check", "--format", "json", "c.yaml", cwd=project / "campaigns")
    assert run.rules() == ["CC309"]


def test_explicit_config_and_isolated(project, tmp_path):
    config = tmp_path / "strict.toml"
    config.write_text('select = ["CC301"]\nfail-on = "never"\n')
    assert check(project, "--config", str(config)).rules() == ["CC301"]
    assert check(project, "--config", str(config)).code == 0
    (project / ".campaign-lint.toml").write_text('select = ["CC301"]\n')
    assert sorted(check(project, "--isolated").rules()) == ["CC301", "CC309"]


@pytest.mark.parametrize("config,words", [
    ('selct = ["CC3"]\n', "unknown key 'selct'"),
    ('select = ["CC999"]\n', "'CC999' matches no rule"),
    ('[severity]\nCC301 = "fatal"\n', "unknown severity"),
    ('[severity]\nCC777 = "error"\n', "severity: unknown rule 'CC777'"),
    # a look-alike key: the Kelvin sign lower-cases to k (duplicate-key is CC004)
    ('[severity]\n"duplicate-\u212aey" = "error"\n', "severity: unknown rule 'duplicate-\u212aey'"),
    ('[rule-options.CC301]\nfoo = 1\n', "unknown option 'foo'"),
    # an opt-in rule that is off in this run (no policy pack): its options are still checked
    ('[rule-options.CC704]\nall-capz = true\n', "unknown option 'all-capz'"),
    ('[rule-options.contact-cap]\nall-caps = "yes"\n', "all-caps must be true or false"),
    # 5 meant 5%: accepted, it switched CC213 off (a targetRate is at most 1)
    ('[rule-options.CC213]\nmax-rate = 5\n', "rule-options.CC213.max-rate must be from 0 to 1, not 5"),
    ('[rule-options.CC213]\nmax-rate = -1\n', "max-rate must be from 0 to 1, not -1"),
    ('[rule-options.CC312]\nmonths = 0\n', "months must be from 1 to 1200, not 0"),
    # nan passed every comparison: CC213 off, CC312 a CC010 crash on every campaign
    ('[rule-options.CC213]\nmax-rate = nan\n', "max-rate must be a finite number, not nan"),
    ('[rule-options.CC312]\nmonths = inf\n', "months must be a finite number, not inf"),
    ('fail-on = "sometimes"\n', "fail-on must be one of"),
    # a list was shown as str() of it: not "['error']"
    ('fail-on = ["error"]\n', 'fail-on must be one of error, warning, info, never, not ["error"]'),
    ('select = "CC3"\nignore = [1]\n', "ignore must be a list of strings"),
    ("select = [\n", "not valid TOML"),
    ('rules-dirs = ["nowhere"]\n', "rules directory not found"),
])
def test_config_errors_name_the_problem(project, config, words):
    (project / ".campaign-lint.toml").write_text(config)
    run = check(project)
    assert run.code == 2, run.out
    assert words in run.err
    assert "Traceback" not in run.err


def test_missing_config_file_is_a_usage_error(project):
    run = check(project, "--config", "nope.toml")
    assert run.code == 2 and "nope.toml: config file not found" in run.err


# --- python -m and start-up cost ---------------------------------------------------------

def test_python_dash_m_and_no_boto3_on_the_file_path(tmp_path):
    (tmp_path / "c.yaml").write_text(BROKEN)
    # python -m ends with os._exit (no teardown), so the check runs main() in-process
    code = ("import sys\n"
            "from campaign_lint.cli import main\n"
            "code = main(['check', '--isolated', 'c.yaml'])\n"
            "heavy = sorted(m for m in ('boto3', 'botocore') if m in sys.modules)\n"
            "print('HEAVY', heavy, 'CODE', code)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert "HEAVY [] CODE 1" in done.stdout, done.stdout + done.stderr
    assert "CC309" in done.stdout


def test_python_dash_m_check(tmp_path):
    (tmp_path / "c.yaml").write_text(BROKEN)
    proc = run_process("check", "--isolated", "c.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "CC301" in proc.stdout


# --- rule options -----------------------------------------------------------------------

DST = """\
name: night-shift
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: America/New_York}
  telephony:
    openHours:
      dailyHours:
        SUNDAY: [{startTime: T02:30, endTime: T06:00}]
"""


@pytest.mark.parametrize("table,found", [
    ("", True),                                     # default: 12 months ahead reach March
    ("[rule-options.CC312]\nmonths = 1\n", False),  # one month from 2026-11-28 does not
    ("[rule-options.dst-gap]\nmonths = 1\n", False),  # options by rule name too
    ("[rule-options.cc312]\nmonths = 1\n", False),  # and by id in any case, as select reads ids
])
def test_rule_options_from_config(tmp_path, table, found):
    (tmp_path / "c.yaml").write_text(DST)
    (tmp_path / ".campaign-lint.toml").write_text(table)
    run = run_cli("check", "--format", "json", "--today", TODAY, "--select", "CC312", "c.yaml", cwd=tmp_path)
    assert (run.rules() == ["CC312"]) is found


@pytest.mark.parametrize("key", ["CC312", "cc312", "dst-gap"])
def test_severity_from_config_by_id_in_any_case_or_by_name(tmp_path, key):
    (tmp_path / "c.yaml").write_text(DST)
    (tmp_path / ".campaign-lint.toml").write_text(f'[severity]\n{key} = "error"\n')
    run = run_cli("check", "--format", "json", "--today", TODAY, "--select", "CC312", "c.yaml", cwd=tmp_path)
    assert [f["severity"] for f in run.json()["findings"]] == ["error"]


@pytest.mark.parametrize("table", ['[severity]\nCC312 = "error"\ndst-gap = "info"\n',
                                   "[rule-options.CC312]\nmonths = 1\n[rule-options.cc312]\nmonths = 2\n"])
def test_two_keys_for_one_rule_are_a_config_error(tmp_path, table):
    (tmp_path / "c.yaml").write_text(DST)
    (tmp_path / ".campaign-lint.toml").write_text(table)
    run = run_cli("check", "c.yaml", cwd=tmp_path)
    assert run.code == 2 and "both name CC312; keep one" in run.err, run.err


def test_rule_option_of_the_wrong_type_is_a_config_error(tmp_path):
    (tmp_path / "c.yaml").write_text(DST)
    (tmp_path / ".campaign-lint.toml").write_text('[rule-options.CC312]\nmonths = "twelve"\n')
    run = run_cli("check", "c.yaml", cwd=tmp_path)
    assert run.code == 2 and "rule-options.CC312.months must be a whole number, not 'twelve'" in run.err


def test_unwritable_output_is_a_usage_error(project):
    run = check(project, "--output", str(project / "missing-dir" / "report.json"))
    assert run.code == 2 and "cannot write" in run.err and "Traceback" not in run.err
    run = check(project, "--write-baseline", str(project / "missing-dir" / "b.json"))
    assert run.code == 2 and "cannot write" in run.err


def test_exclude_keeps_files_and_folders_out(project):
    (project / "campaigns" / "legacy").mkdir()
    (project / "campaigns" / "legacy" / "old.yaml").write_text("a: [")
    (project / "campaigns" / "x.generated.json").write_text("{")
    (project / ".campaign-lint.toml").write_text('exclude = ["campaigns/legacy", "*.generated.json"]\n')
    run = check(project)
    assert run.json()["summary"]["files"] == 1 and "CC001" not in run.rules()
    explicit = run_cli("check", "--format", "json", "campaigns/legacy/old.yaml", cwd=project)
    assert explicit.rules() == [] and explicit.code == 0  # pre-commit passes files by name


@pytest.mark.parametrize("table", ['[rule-options]\n"\\n::error file=x::forged" = 5\n',
                                   '[severity]\n"CC301\\u001b[2K" = 5\n',
                                   '[per-file-ignores]\n"a\\nb" = 5\n'])
def test_a_config_error_is_one_line_whatever_the_keys_hold(tmp_path, table):
    config = tmp_path / "lint.toml"
    config.write_text(table)
    run = run_cli("check", "--config", str(config), str(tmp_path))
    assert run.code == 2 and run.out == ""
    assert len(run.err.splitlines()) == 1 and "\x1b" not in run.err, run.err
