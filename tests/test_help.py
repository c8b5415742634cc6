"""Help that answers: every option explained with its default, mistakes pointed at the
right --help, rule prefixes listed."""

from __future__ import annotations

import argparse

import pytest

from campaign_lint.cli import build_parser

from .conftest import run_cli, run_process


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser, **sub.choices}


@pytest.mark.parametrize("command", list(_commands()))
def test_every_option_has_help_and_shows_its_default(command):
    parser = _commands()[command]
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction,
                               argparse._SubParsersAction)):
            continue
        shown = formatter._expand_help(action) if action.help else ""
        assert shown, f"{command} {action.option_strings or action.dest} has no help"
        takes_value = action.nargs != 0
        if takes_value and (action.option_strings or action.default is not None):
            assert "default" in shown, f"{command} {action.option_strings or action.dest}: {shown}"


def test_check_path_documents_its_default():
    run = run_process("check", "--help")
    assert run.returncode == 0
    text = " ".join(run.stdout.split())
    assert "PATH files and folders to lint, '-' for stdin (default: the current folder;" in text
    assert "--max-workers" not in text
    assert "--color {auto,always,never}" in text and "(default: auto)" in text


def test_audit_help_shows_numeric_defaults():
    text = " ".join(run_process("audit", "--help").stdout.split())
    for expected in ("concurrent DescribeCampaign calls, 1 to 256 (default: 16)", "(default: 10)",
                     "seconds to wait for a connection (default: 5)", "(default: 20)",
                     "(default: adaptive)", "(default: write nothing)"):
        assert expected in text


def test_a_misspelt_option_points_at_the_commands_help():
    run = run_cli("check", "--formt", "json", ".")
    assert run.code == 2 and run.out == ""
    assert run.err == ("campaign-lint: error: unrecognized argument: --formt; did you mean --format? "
                       "(see: campaign-lint check --help)\n")
    audit = run_cli("audit", "--regoin", "us-east-1")
    assert "did you mean --region? (see: campaign-lint audit --help)" in audit.err


def test_an_option_of_another_command_says_which_commands_take_it(tmp_path):
    # `hours --suppressions tags FILE` read "tags" as the file and said only "unrecognized
    # arguments: --suppressions FILE", which does not tell that hours has no such option
    campaign = tmp_path / "c.yaml"
    campaign.write_text("name: x\n")
    run = run_cli("hours", "--suppressions", "tags", str(campaign))
    assert run.code == 2 and run.out == ""
    assert run.err == (f"campaign-lint: error: unrecognized arguments: --suppressions {campaign}; --suppressions "
                       "is an option of check and audit, not of hours (see: campaign-lint hours --help)\n")
    assert "--jobs is an option of check, not of explain" in run_cli("explain", "--jobs", "2", "CC301").err


def test_a_misspelt_command_gets_a_did_you_mean():
    run = run_cli("chek", ".")
    assert run.code == 2 and "did you mean 'check'?" in run.err


def test_explain_a_prefix_lists_its_rules():
    run = run_cli("explain", "--isolated", "CC3")
    assert run.code == 0
    ids = [line.split()[0] for line in run.out.splitlines()]
    assert ids and all(i.startswith("CC3") for i in ids) and "CC301" in ids and "CC312" in ids
    rules = run_cli("rules", "--isolated").out.splitlines()
    assert [line.split() for line in run.out.splitlines()] == [
        line.split() for line in rules if line.startswith("CC3")]


def test_explain_an_unknown_rule_is_still_an_error():
    run = run_cli("explain", "--isolated", "CC9")
    assert run.code == 2 and "unknown rule or policy pack 'CC9'" in run.err
