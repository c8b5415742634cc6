"""Text output as people read it: statistics, quiet, source excerpts, colour, grouped
cross-campaign findings (and their related locations in SARIF and JSON)."""

from __future__ import annotations

import json
import os

import pytest

from campaign_lint.report.terminal import escape, use_color

from .conftest import EXAMPLES, TODAY, run_cli, run_on_pty
from .test_ci_outputs import sarif_validator

TEMPLATE = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())


def check(*args: str):
    return run_cli("check", "--isolated", "--today", TODAY, *args)


# --- --statistics ---------------------------------------------------------------------------

def test_statistics_counts_each_rule_once_most_frequent_first():
    run = check("--statistics", str(EXAMPLES))
    lines = run.out.splitlines()
    counted = {}
    for finding in check("--format", "json", str(EXAMPLES)).json()["findings"]:
        if not finding["suppressed"]:  # the statistics count what is reported
            counted[finding["rule"]] = counted.get(finding["rule"], 0) + 1
    table = [line.split() for line in lines[:-2]]  # then the [*] line and the summary
    assert {row[1]: int(row[0]) for row in table} == counted
    assert [int(row[0]) for row in table] == sorted((int(row[0]) for row in table), reverse=True)
    assert lines[0].split()[1:] == ["CC105", "[", "]", "out-of-range", "(error)"]
    assert "1  CC107  [*] bad-format (error)" in lines  # "9:00" -> T09:00 with --fix
    assert lines[-1].startswith(f"Found {sum(counted.values())} problems") and run.code == 1
    assert lines[-2] == "[*] 1 fixable with --fix; 1 more with --fix --unsafe-fixes (--diff shows the changes)"


def test_statistics_is_text_output_only():
    run = check("--statistics", "--format", "json", str(EXAMPLES))
    assert run.code == 2 and "--statistics applies to --format text" in run.err


# --- --quiet ----------------------------------------------------------------------------------

def test_quiet_prints_nothing_for_a_clean_run():
    run = check("--quiet", str(EXAMPLES / "clean"))
    assert (run.code, run.out) == (0, "")


def test_quiet_prints_findings_and_the_summary_when_the_run_fails():
    run = check("-q", str(EXAMPLES / "broken"))
    count = len(check("--format", "json", str(EXAMPLES / "broken")).json()["findings"])
    assert run.code == 1 and run.out.splitlines()[-1].startswith(f"Found {count} problems")
    assert len(run.out.splitlines()) == count + 2  # the findings, the [*] hint, the summary


def test_quiet_keeps_findings_of_a_passing_run_but_not_the_summary():
    run = check("-q", "--select", "CC301", "--fail-on", "never", str(EXAMPLES / "broken"))
    assert run.code == 0
    assert [line.split(": ")[1] for line in run.out.splitlines()] == ["CC301 error"]


# --- --show-source ----------------------------------------------------------------------------

def test_show_source_puts_a_caret_under_the_column():
    run = check("--show-source", "--select", "CC301", str(EXAMPLES / "broken"))
    finding, top, source, caret, summary = run.out.splitlines()
    assert finding.startswith("examples/broken/overlapping-hours.json:18:13: CC301") or \
        ":18:13: CC301" in finding
    assert source == '18 |             {"startTime": "T12:00", "endTime": "T20:00"}'
    assert top == "   |" and caret.index("^") == source.index("{")
    assert summary.startswith("Found 1 problem")


def test_show_source_escapes_control_characters_and_keeps_the_caret_aligned(tmp_path):
    path = tmp_path / "c.yaml"
    # YAML refuses the raw ESC: CC001 points at it, and the excerpt shows the line
    path.write_bytes(b"name: ok\ndescription: \x1b[2J\x1b[31mcleared\ttab # comment\n")
    run = check("--show-source", str(path))
    assert "\x1b" not in run.out and "\t" not in run.out
    finding, _, source, caret, *_ = run.out.splitlines()
    assert ":2:14: CC001" in finding
    assert source == "2 | description: \\x1b[2J\\x1b[31mcleared\\ttab # comment"
    assert caret.index("^") == source.index("\\x1b")


def test_escape_shows_every_control_and_bidi_character():
    assert escape("a\rb\x00c\x7f\x85\u202e\u2028d\te") == "a\\rb\\x00c\\x7f\\x85\\u202e\\u2028d\\te"
    assert escape("Zürich 東京") == "Zürich 東京"


# --- colour -------------------------------------------------------------------------------------

class _Tty:
    def isatty(self):
        return True


@pytest.mark.parametrize("choice, env, tty, expected", [
    ("always", {"NO_COLOR": "1", "TERM": "dumb"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # set but empty: not set (no-color.org)
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ("auto", {"TERM": "dumb"}, True, False),
    ("auto", {"TERM": "dumb", "FORCE_COLOR": "1"}, False, True),
])
def test_colour_choice(choice, env, tty, expected):
    assert use_color(choice, _Tty() if tty else None, env) is expected


def test_color_always_colours_path_rule_and_severity():
    run = check("--color", "always", "--select", "CC301", str(EXAMPLES / "broken"))
    first = run.out.splitlines()[0]
    assert first.startswith("\x1b[1m") and "\x1b[1;31mCC301\x1b[0m" in first
    assert "\x1b[31merror\x1b[0m" in first
    assert "\x1b" not in check("--color", "never", str(EXAMPLES / "broken")).out


def _on_a_pty(*args: str, env: dict) -> bytes:
    """Run campaign-lint with stdout and stderr on a real pseudo-terminal."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    code, shown = run_on_pty(*args, env=dict(full_env, **env))
    assert code == 1
    return shown


@pytest.mark.parametrize("env, coloured", [
    ({"TERM": "xterm-256color"}, True),
    ({"TERM": "dumb"}, False),
    ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
])
def test_colour_on_a_real_terminal(env, coloured):
    shown = _on_a_pty("check", "--isolated", str(EXAMPLES / "broken"), env=env)
    assert b"CC301" in shown
    assert (b"\x1b[" in shown) is coloured


def test_no_colour_when_writing_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # forces colour on a pipe, not into a report file
    run = check("--color", "auto", "-o", str(tmp_path / "out.txt"), str(EXAMPLES / "broken"))
    assert run.code == 1 and "\x1b" not in (tmp_path / "out.txt").read_text()
    check("--color", "always", "-o", str(tmp_path / "out.txt"), str(EXAMPLES / "broken"))
    assert "\x1b[" in (tmp_path / "out.txt").read_text()


# --- cross-campaign findings grouped ---------------------------------------------------------

@pytest.fixture
def fleet(tmp_path):
    """Twelve campaigns of one instance dialing one queue: capacity and bandwidth
    oversubscribed; two of them share a name."""
    for number in range(12):
        campaign = json.loads(json.dumps(TEMPLATE))
        campaign["campaign"]["id"] = f"c-{number:02d}"
        campaign["campaign"]["arn"] = campaign["campaign"]["arn"].rsplit("/", 1)[0] + f"/c-{number:02d}"
        campaign["campaign"]["name"] = f"renewals-{min(number, 10):02d}"
        (tmp_path / f"c{number:02d}.json").write_text(json.dumps(campaign, indent=2))
    return tmp_path


def test_one_finding_per_oversubscribed_instance_and_queue(fleet):
    run = check("--format", "json", "--select", "CC6", str(fleet))
    by_rule = {f["rule"]: f for f in run.json()["findings"]}
    assert sorted(f["rule"] for f in run.json()["findings"]) == ["CC601", "CC602", "CC603"]
    capacity = by_rule["CC601"]
    assert capacity["file"].endswith("c00.json") and "of 12 active campaigns" in capacity["message"]
    assert "adds up to 6 (> 1" in capacity["message"] and "and 4 more" in capacity["message"]
    assert [r["file"].rsplit("/", 1)[1] for r in capacity["related"]] == \
        [f"c{n:02d}.json" for n in range(1, 12)]
    assert all(r["line"] == 9 and r["pointer"] == "/channelSubtypeConfig/telephony/capacity"
               for r in capacity["related"])
    assert len(by_rule["CC603"]["related"]) == 11
    name = by_rule["CC602"]
    assert name["file"].endswith("c10.json") and name["related"][0]["file"].endswith("c11.json")
    assert "used by 2 campaigns" in name["message"] and "c11.json:5" in name["message"]


def test_grouped_findings_carry_related_locations_in_sarif(fleet):
    document = json.loads(check("--format", "sarif", "--select", "CC601", str(fleet)).out)
    assert list(sarif_validator().iter_errors(document)) == []
    (result,) = document["runs"][0]["results"]
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == list(range(1, 12))
    assert related[0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 21}
    assert related[0]["message"]["text"] == "renewals-01"
    assert related[0]["logicalLocations"][0]["fullyQualifiedName"].endswith("/c-01")


def test_show_source_counts_lines_like_the_parsers_with_cr_only_endings(tmp_path):
    path = tmp_path / "c.json"
    text = (EXAMPLES / "broken" / "overlapping-hours.json").read_text()
    path.write_bytes(text.replace("\n", "\r").encode())
    run = check("--show-source", "--select", "CC301", str(path))
    assert ":18:13: CC301" in run.out
    assert '18 |             {"startTime": "T12:00", "endTime": "T20:00"}' in run.out.splitlines()
