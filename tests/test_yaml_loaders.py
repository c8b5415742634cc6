"""libyaml and the pure-Python loader give the same documents (issue 12 item 1): values,
positions, duplicate keys, comments, the alias budget and tag handling."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.sources import parse
from campaign_lint.sources.files import load_bytes
from campaign_lint.sources.parse import ParseError, parse_yaml

from .conftest import EXAMPLES, FIXTURES
from .test_hostile_files import CAMPAIGN, merge_chain
from .test_properties import REGISTRY, campaignish, json_values

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(text: str, pure: bool):
    try:
        return [(d.value, d.positions, d.key_positions, d.duplicates, d.comments)
                for d in parse_yaml(text, pure=pure)]
    except ParseError as error:
        return ("CC001", error.line, error.column)


def same_with_both(text: str) -> None:
    fast, pure = outcome(text, False), outcome(text, True)
    assert fast == pure, text


def test_comments_are_compared_where_the_text_names_the_tool():
    [document] = parse_yaml("note: |  # campaign-lint: a\n  # b\nx: o'brien  # c\n")
    assert [(c.line, c.column, c.text) for c in document.comments] == [
        (1, 10, "campaign-lint: a"), (3, 13, "c")]


def test_libyaml_is_the_default():
    assert parse._get_loader().__mro__[1] is yaml.CSafeLoader


@SETTINGS
@given(json_values, st.sampled_from([None, True, False]), st.integers(0, 3))
def test_both_loaders_agree_on_any_document(value, flow, comments):
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    lines = text.split("\n")
    for index in range(comments):  # comments of every kind: own line, trailing
        at = (index * 7) % max(len(lines), 1)
        lines.insert(at, f"# campaign-lint: ignore CC30{index}")
    same_with_both("\n".join(lines))


@SETTINGS
@given(campaignish)
def test_both_loaders_give_the_same_findings(value):
    text = yaml.safe_dump(value, allow_unicode=True).encode()

    def findings():
        loaded = load_bytes(text, "x.yaml", "yaml")
        engine = Engine(REGISTRY, Config(), Selection())  # its caches are keyed by id()
        return [(d.rule, d.message, d.line, d.column) for d in loaded.diagnostics], \
            sorted(f.sort_key() for f in engine.run(loaded.campaigns))

    fast = findings()
    pure_loader = parse._get_loader(pure=True)
    saved = dict(parse._LOADERS)
    parse._LOADERS[False] = pure_loader
    try:
        assert findings() == fast
    finally:
        parse._LOADERS.clear()
        parse._LOADERS.update(saved)


@pytest.mark.parametrize("text", [
    CAMPAIGN,
    (EXAMPLES / "broken" / "typos.yaml").read_text(),
    (EXAMPLES / "clean" / "appointment-reminders.yaml").read_text(),
    (FIXTURES / "structure.yaml").read_text(),
    merge_chain(6),
    "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc: {<<: [*a, *b], y: 3}\n",
    "a: 1\nb: 2\na: 3\n",
    "a: &a [*a]\n",
    "? [a]\n: b\n",
    "k: !!int x\nl: !!bool maybe\n",
    "k: !!timestamp 2027-01-02\nd: 2027-01-02\n",
    "k: " + "9" * 5000 + "\n",
    'k: "\\ud800"\n',
    'k: "a\u2028b"\nl: [1, 2]\n',
    "a: 1\rb: [1,\r 2]\r",
    "note: |  # campaign-lint: trailing\n  # not a comment\n  text\n# own line\nx: o'brien  # after\n",
    "x: 'it''s # not'\ny: \"# not\"\nz: [a, # flow, campaign-lint\n  b]\n",
    "a: 1 # campaign-lint\r# two\rb: [1, # three\r 2]\r",
    "a: \"x\u2028y\" # campaign-lint\n# two\x85b: 2\n",
    "x: !Ref y\ny: !Sub 'a ${b}'\nz: !GetAtt [a, b]\n",
    "base: &b [" + ", ".join(["1"] * 300) + "]\nuses: [" + ", ".join(["*b"] * 400) + "]\n",
    "---\na: 1\n---\nb: 2\n...\n",
    "",
    "# only a comment\n",
])
def test_both_loaders_agree_on_hostile_and_real_files(text):
    same_with_both(text)


def test_budget_and_tags_give_the_same_message_with_both_loaders():
    for text in ("base: &b [" + ", ".join(["1"] * 300) + "]\nuses: [" + ", ".join(["*b"] * 400) + "]\n",
                 "k: !!int x\n", 'k: "\\ud800"\n', "? {a: 1}\n: b\n"):
        messages = set()
        for pure in (False, True):
            with pytest.raises(ParseError) as raised:
                parse_yaml(text, pure=pure)
            messages.add((raised.value.message, raised.value.line, raised.value.column))
        assert len(messages) == 1, messages


def test_short_form_tags_read_as_their_long_form_with_both_loaders():
    long_form = {"!Ref": "Ref", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub"}.get
    text = "a: !Ref X\nb: !GetAtt [r, Arn]\nc: !Sub 'x/${y}'\nd: !Other z\n"
    for pure in (False, True):
        [document] = parse_yaml(text, tag_key=long_form, pure=pure)
        assert document.value == {"a": {"Ref": "X"}, "b": {"Fn::GetAtt": ["r", "Arn"]},
                                  "c": {"Fn::Sub": "x/${y}"}, "d": "z"}
        assert document.positions["/a/Ref"] == document.positions["/a"] == (1, 4)
        assert document.positions["/b/Fn::GetAtt/1"] == (2, 16)
