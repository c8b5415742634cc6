"""Start-up: a one-file run imports only what it needs, and `python -m` exits cleanly without
the interpreter's teardown (every byte of the report written, the right exit code)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from campaign_lint.cli import COMMANDS, build_parser
from campaign_lint.registry import plugins_installed

from .conftest import EXAMPLES, ROOT


def _modules_after_check(path, cwd) -> set[str]:
    code = ("import sys, json\n"
            "from campaign_lint.cli import main\n"
            f"code = main(['check', '--isolated', {str(path)!r}])\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                            "CAMPAIGN_LINT_CACHE_HOME": str(cwd / "user-cache")})
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_clean_file_needs_no_jsonschema_no_entry_point_scan_and_no_boto3(tmp_path):
    assert not plugins_installed(), "this test needs an environment without plugins"
    for _ in range(2):  # the first run builds the converted schema and judges the caller id, the second reads both
        modules = _modules_after_check(EXAMPLES / "clean" / "renewals-describe.json", tmp_path)
    # the file has a schedule (CC40x) with timestamps of the common shape and a refresh
    # frequency (CC403 reads its pattern from the user cache, not the gzipped model)
    unneeded = {"jsonschema", "importlib.metadata", "boto3", "botocore", "tempfile", "dateutil", "gzip",
                "difflib", "html", "pytz", "dataclasses", "inspect", "pkgutil", "phonenumbers"}
    assert not unneeded & modules, unneeded & modules


def test_an_invalid_file_still_gets_jsonschema_messages(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"name": "x", "connectInstanceId": 7}))
    assert "jsonschema" in _modules_after_check(tmp_path / "c.json", tmp_path)


def test_python_dash_m_writes_the_whole_report_before_exiting(tmp_path):
    campaigns = [{"name": f"c{i}", "connectInstanceId": "i-1", "conectQueueId": "q"} for i in range(400)]
    (tmp_path / "many.json").write_text(json.dumps(campaigns))
    done = subprocess.run([sys.executable, "-m", "campaign_lint", "check", "--isolated", "--format", "json",
                           "many.json"], cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert sum(f["rule"] == "CC101" for f in report["findings"]) == 400


#: a child that sends itself a real SIGINT while start-up imports ``module`` (deterministic,
#: unlike a timer), then starts the CLI the way ``how`` says
_INTERRUPT_DURING_IMPORT = """
import os, runpy, signal, sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
sys.argv = ["campaign-lint", "check", "--isolated", {path!r}]
if {how!r} == "python -m":
    runpy.run_module("campaign_lint", run_name="__main__")
else:  # the console script's entry point (pyproject.toml [project.scripts])
    from campaign_lint.__main__ import run
    run()
"""


def test_ctrl_c_during_start_up_exits_130_without_a_traceback(tmp_path):
    path = str(EXAMPLES / "clean" / "renewals-describe.json")
    for how in ("python -m", "console script"):
        for module in ("campaign_lint.config", "campaign_lint.engine"):
            code = _INTERRUPT_DURING_IMPORT.format(module=module, path=path, how=how)
            done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                                  text=True, timeout=120,
                                  env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                       "CAMPAIGN_LINT_CACHE_HOME": str(tmp_path / "user-cache")})
            assert (done.returncode, done.stderr, done.stdout) == (130, "campaign-lint: interrupted\n", ""), \
                (how, module, done.stderr)


def _sub_parsers(parser) -> dict:
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices


def test_a_run_builds_only_its_commands_parser_with_the_same_options_and_help():
    full = _sub_parsers(build_parser())
    for name in COMMANDS:
        alone = _sub_parsers(build_parser(name))
        assert list(alone) == [name]
        assert alone[name].format_help() == full[name].format_help()
        defaults = [action.default for action in alone[name]._actions]
        assert defaults == [action.default for action in full[name]._actions]
