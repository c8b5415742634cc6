"""The shortcuts the per-campaign hot path takes give the answers of the plain code they replace."""

from __future__ import annotations

from collections import OrderedDict
from types import MappingProxyType
from typing import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.model import (FrozenDict, FrozenList, freeze, is_mapping, pointer_join,
                                 pointer_parts, resolve_pointer)
from campaign_lint.rules._values import clock_minutes, restricted_periods, time_ranges

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12)
_tokens = st.lists(st.text(alphabet="ab~/01", max_size=4) | st.integers(0, 3), max_size=4)


@given(_json)
@settings(max_examples=150, deadline=None)
def test_is_mapping_answers_like_isinstance(value):
    for candidate in (value, freeze(value), OrderedDict(a=value), MappingProxyType({"a": value})):
        assert is_mapping(candidate) == isinstance(candidate, Mapping)


@given(st.text(max_size=4), _tokens)
@settings(max_examples=200, deadline=None)
def test_pointer_join_escapes_and_pointer_parts_unescapes(base_token, tokens):
    base = pointer_join("", base_token)
    pointer = pointer_join(base, *tokens)
    assert pointer_parts(pointer) == [base_token, *(str(t) for t in tokens)]
    # the parts come back as a fresh list: a caller may change it
    pointer_parts(pointer).append("x")
    assert pointer_parts(pointer) == [base_token, *(str(t) for t in tokens)]


@given(_json, _tokens)
@settings(max_examples=200, deadline=None)
def test_resolve_pointer_walks_frozen_and_plain_values_alike(document, tokens):
    pointer = pointer_join("", *tokens)
    expected = _walk(document, [str(t) for t in tokens])
    assert resolve_pointer(document, pointer) == expected
    assert resolve_pointer(freeze(document), pointer) == expected


def _walk(node, parts):
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


@given(st.text(alphabet="T0123456789:", max_size=6) | st.integers() | st.none(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_clock_minutes_reads_only_real_clock_times(text, is_end):
    minutes = clock_minutes(text, is_end)
    if minutes is None:
        return
    assert isinstance(text, str) and len(text) == 6 and text[0] == "T" and text[3] == ":"
    assert minutes == int(text[1:3]) * 60 + int(text[4:6])
    assert minutes < 24 * 60 or (is_end and text == "T24:00")


def _window(start: str, end: str) -> dict:
    return {"openHours": {"dailyHours": {"MONDAY": [{"startTime": start, "endTime": end}]}},
            "restrictedPeriods": {"restrictedPeriodList": [
                {"name": "x", "startDate": "2027-01-01", "endDate": "2027-01-02"}]}}


def test_a_read_only_window_is_read_once_and_a_plain_one_every_time():
    frozen = freeze(_window("T09:00", "T17:00"))
    assert type(frozen) is FrozenDict
    assert time_ranges(frozen, "/w") is time_ranges(frozen, "/w")
    assert restricted_periods(frozen, "/w") is restricted_periods(frozen, "/w")
    assert [r.pointer for r in time_ranges(frozen, "/v")] == ["/v/openHours/dailyHours/MONDAY/0"]

    plain = _window("T09:00", "T17:00")
    assert [(r.start, r.end) for r in time_ranges(plain, "")] == [(540, 1020)]
    plain["openHours"]["dailyHours"]["MONDAY"][0]["endTime"] = "T18:00"
    assert [(r.start, r.end) for r in time_ranges(plain, "")] == [(540, 1080)]
    assert isinstance(freeze(plain)["openHours"]["dailyHours"]["MONDAY"], FrozenList)


def test_an_engine_never_answers_a_campaign_with_the_structure_of_a_gone_one():
    """Engine.run keeps structural errors per campaign; a library caller running it again on
    a new campaign that happens to take a freed campaign's id must get its own errors."""
    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.model import Campaign, Origin
    from campaign_lint.registry import Registry

    engine = Engine(Registry.load(), Config(), Selection(select=["CC1"]))
    broken = {"name": "a", "connectInstanceId": "i", "bogusMember": 1}
    fine = {"name": "a", "connectInstanceId": "i"}
    for _ in range(50):  # CPython soon gives a new object a freed one's id
        first = Campaign(broken, Origin(path="a.json"), "CreateCampaignRequest")
        assert any(f.rule == "CC101" for f in engine.run([first]))
        del first
        second = Campaign(fine, Origin(path="b.json"), "CreateCampaignRequest")
        assert not any(f.rule == "CC101" for f in engine.run([second]))
