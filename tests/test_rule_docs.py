"""Every rule's documentation: examples that really fail and pass, and explain output."""

from __future__ import annotations

import re

import pytest

from campaign_lint.docs import parse_doc, rules_table
from campaign_lint.registry import Registry

from .conftest import ROOT, lint_text, run_cli

REGISTRY = Registry.load(plugins=False)
#: engine rules whose failure cannot be written as a campaign file
NO_EXAMPLES = {"CC003", "CC006", "CC010", "CC011", "CC012"}  # audit-only or engine findings: no file shows them
#: policy rules (CC7xx) say nothing without a pack; their docs say which packs the examples use
POLICY_EXAMPLES = ("--policy", "us-la,us-fl")


def _extra(rule) -> tuple[str, ...]:
    return ("--extend-select", rule.id) + (POLICY_EXAMPLES if rule.id.startswith("CC7") else ())


def _examples(kind: str):
    for rule in REGISTRY:
        for index, block in enumerate(getattr(parse_doc(rule), kind)):
            yield pytest.param(rule, block, id=f"{rule.id}-{kind}-{index}")


@pytest.mark.parametrize("rule,example", list(_examples("fails")))
def test_failing_example_is_reported(tmp_path, rule, example):
    run = lint_text(tmp_path, example, "example.yaml", *_extra(rule))
    assert rule.id in run.rules(), run.out


@pytest.mark.parametrize("rule,example", list(_examples("passes")))
def test_passing_example_is_clean(tmp_path, rule, example):
    run = lint_text(tmp_path, example, "example.yaml", *_extra(rule))
    assert rule.id not in run.rules(), run.out


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
