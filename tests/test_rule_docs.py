"""Every rule's documentation: examples that really fail and pass, and explain output."""

from __future__ import annotations

import re
from datetime import date

import pytest

from campaign_lint.docs import example_today, parse_doc, rules_table
from campaign_lint.registry import Registry

from .conftest import ROOT, Run, run_cli

REGISTRY = Registry.load(plugins=False)
#: engine rules whose failure cannot be written as a campaign file
NO_EXAMPLES = {"CC003", "CC006", "CC010", "CC011", "CC012"}  # audit-only or engine findings: no file shows them
#: policy rules (CC7xx) say nothing without a pack; their docs say which packs the examples use
POLICY_EXAMPLES = ("--policy", "us-la,us-fl")


def _extra(rule) -> tuple[str, ...]:
    return ("--extend-select", rule.id) + (POLICY_EXAMPLES if rule.id.startswith("CC7") else ())


def years_later(day: date, years: int) -> date:
    """The same day ``years`` years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


#: an example is read by users on any day (`campaign-lint explain`), so one that does not name
#: its date must hold on the real date and years after it: not the suite's pinned TODAY alone;
#: and on fixed days far apart (a leap day, the end of pytz's own tables, well past them), so
#: that a change that breaks an example on some later day fails the commit that makes it,
#: not a run years on
DATES = {"today": date.today(), "+1y": years_later(date.today(), 1), "+5y": years_later(date.today(), 5),
         "2028-02-29": date(2028, 2, 29), "2037-12-31": date(2037, 12, 31), "2045-07-01": date(2045, 7, 1)}


def _examples(kind: str):
    for rule in REGISTRY:
        for index, block in enumerate(getattr(parse_doc(rule), kind)):
            pinned = example_today(block)
            dates = {"dated": pinned} if pinned else DATES
            for label, today in dates.items():
                yield pytest.param(rule, block, today, id=f"{rule.id}-{kind}-{index}-{label}")


def lint_example(tmp_path, rule, example: str, today: date) -> Run:
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    return run_cli("check", "--isolated", "--today", today.isoformat(), "--format", "json",
                   *_extra(rule), str(path))


@pytest.mark.parametrize("rule,example,today", list(_examples("fails")))
def test_failing_example_is_reported(tmp_path, rule, example, today):
    run = lint_example(tmp_path, rule, example, today)
    assert rule.id in run.rules(), f"--today {today}: {run.out}"


@pytest.mark.parametrize("rule,example,today", list(_examples("passes")))
def test_passing_example_is_clean(tmp_path, rule, example, today):
    run = lint_example(tmp_path, rule, example, today)
    assert rule.id not in run.rules(), f"--today {today}: {run.out}"


def test_a_dated_example_names_its_date_on_its_first_line():
    assert example_today("# dated: lint it with --today 2026-11-29 (holidays)\na: 1\n") == date(2026, 11, 29)
    assert example_today("a: 1  # dated: lint it with --today 2026-11-29\n") is None
    assert example_today("# lint it with --today 2026-11-29\na: 1\n") is None


def test_cc703_passing_example_is_dated_and_its_failing_one_is_not(tmp_path):
    """The passing example restricts one year's holidays: from --today 2027-01-19 on, the next
    365 days hold Martin Luther King Jr. Day 2028, which it does not restrict."""
    rule = REGISTRY["CC703"]
    doc = parse_doc(rule)
    [failing], [passing] = doc.fails, doc.passes
    assert example_today(failing) is None and example_today(passing) == date(2026, 11, 29)
    assert "CC703" in lint_example(tmp_path, rule, passing, date(2027, 1, 19)).rules()
    assert "# dated: lint it with --today 2026-11-29" in run_cli("explain", "--isolated", "CC703").out


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.id)
def test_every_rule_is_documented(rule):
    doc = parse_doc(rule)
    assert rule.summary and len(rule.summary) < 100
    assert doc.body, f"{rule.id} explains neither what nor why"
    if rule.id not in NO_EXAMPLES:
        assert doc.fails and doc.passes, f"{rule.id} needs a failing and a passing example"


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.id)
def test_explain_prints_the_doc(rule):
    by_id = run_cli("explain", "--isolated", rule.id)
    by_name = run_cli("explain", "--isolated", rule.name)
    assert by_id.code == 0 and by_id.out == by_name.out
    assert by_id.out.startswith(f"{rule.id} {rule.name} ({rule.severity}")
    assert rule.summary in by_id.out


def test_explain_shows_options_as_toml_and_how_a_policy_rule_is_turned_on():
    """`all-caps = False` (Python) is not TOML: a user copying it gets a config error.
    A CC7xx rule selected without a pack reports nothing, so "select it" is not the advice."""
    run = run_cli("explain", "--isolated", "CC704")
    assert "    all-caps = false\n" in run.out
    assert "off unless a policy pack is selected (--policy" in run.out
    assert "select or extend-select" not in run.out


def test_explain_unknown_rule_is_a_usage_error():
    run = run_cli("explain", "--isolated", "open-hour-overlap")
    assert run.code == 2
    assert 'did you mean "open-hours-overlap"' in run.err
    assert "Traceback" not in run.err


def test_rules_lists_every_rule_with_severity():
    run = run_cli("rules", "--isolated")
    assert run.code == 0
    for rule in REGISTRY:
        assert re.search(rf"^{rule.id}\s+{rule.name}\s+{rule.severity}\s", run.out, re.M)


def test_readme_rule_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = rules_table(list(REGISTRY))
    assert table in readme, "README rule table is stale: run `python -m campaign_lint.docs README.md`"
