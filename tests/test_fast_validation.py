"""The structural fast path (jsonschema-rs) never changes a finding, and its disk cache is
never trusted beyond what it proves."""

from __future__ import annotations

import copy
import json
import math
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_lint import schema, usercache
from campaign_lint.sources.files import load_path

from .conftest import EXAMPLES, FIXTURES, run_cli

pytest.importorskip("jsonschema_rs")

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def own_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path / "user-cache"))
    schema.fast_validator.cache_clear()
    yield
    schema.fast_validator.cache_clear()


def slow(data, shape):
    """What jsonschema alone says (the path every invalid campaign takes)."""
    from unittest import mock

    with mock.patch.object(schema, "fast_valid", return_value=False):
        return schema.validate(data, shape)


def base_campaigns():
    found = []
    for path in sorted(EXAMPLES.glob("*/*")) + sorted(FIXTURES.glob("structure.*")) + [FIXTURES / "typos.json"]:
        for campaign in load_path(str(path)).campaigns:
            found.append((json.loads(json.dumps(campaign.raw, default=str)), campaign.shape))
    return found


BASES = base_campaigns()

hostile_text = st.sampled_from([
    "T09:00", "T09:00\n", "T24:00", "\u0660\u0669:00", "T\u0661\u0662:00", "a\x1c@b.co", "a@b.co",
    "x\u3000@y.z", "aws:cloudformation:stack-name", "team", "", " ", "P1D", "PT30M", "P1D\n",
    "2024-12-25", "2025-02-30", "America/New_York", "US/Eastern", "\ud800",
    "arn:aws:connect:us-east-1:123456789012:instance/x", "arn:aws:connect:us-east-1:1:x\r",
    "2027-01-04T00:00:00Z", "2027-13-04T00:00:00Z", "MONDAY", "PROGRESSIVE", "OPT_IN", "a" * 300,
]) | st.text(alphabet=st.sampled_from("Ta9:0-_./@ \n\r\t\x1c\x85\u2028\u0661xyzAWS"), max_size=20)
scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats() | st.sampled_from([0, 1, 1.0, 0.5, 15, 60, 61, 2, -1, 10**30, math.inf])
           | hostile_text | st.just(date(2025, 1, 1)))
values = st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(hostile_text | st.sampled_from([1, "SDK_UNKNOWN_MEMBER"]),
                                        children, max_size=3), max_leaves=8)


def _containers(value, trail=()):
    yield trail, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _containers(child, trail + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _containers(child, trail + (index,))


@st.composite
def mutated_campaigns(draw):
    data, shape = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        places = [(t, v) for t, v in _containers(data) if isinstance(v, (dict, list)) and v]
        trail, node = draw(st.sampled_from(places))
        key = draw(st.sampled_from(sorted(node, key=str) if isinstance(node, dict) else range(len(node))))
        operation = draw(st.sampled_from(["replace", "delete", "add", "rename"]))
        if operation == "replace":
            node[key] = draw(values)
        elif operation == "delete":
            del node[key]
        elif isinstance(node, dict) and operation == "add":
            node[draw(hostile_text)] = draw(values)
        elif isinstance(node, dict):
            node[str(key).upper() if draw(st.booleans()) else str(key)[:-1]] = node.pop(key)
    return data, shape


@SETTINGS
@given(mutated_campaigns())
def test_fast_and_slow_paths_give_the_same_structural_errors(case):
    data, shape = case
    expected = slow(data, shape)
    if schema.fast_valid(data, shape):
        assert expected == [], "the fast path called a campaign valid that has structural errors"
    assert schema.validate(data, shape) == expected


def test_every_base_campaign_is_judged_the_same_way():
    assert BASES
    for data, shape in BASES:
        assert schema.validate(data, shape) == slow(data, shape)
    clean = [d for d, s in BASES if not slow(d, s)]
    assert clean and all(schema.fast_valid(d, s) for d, s in BASES if d in clean), \
        "valid campaigns should take the fast path"


MODEL_PATTERNS = sorted({shape["pattern"] for shape in schema.service_model()["shapes"].values()
                         if "pattern" in shape})


@SETTINGS
@given(st.sampled_from(MODEL_PATTERNS), st.text(
    alphabet=st.characters(max_codepoint=0x3100) | st.sampled_from("aws:-/T0123456789@. \x1c\u0661"),
    max_size=16))
def test_a_translated_pattern_never_matches_what_python_rejects(pattern, text):
    import jsonschema_rs

    try:
        translated = schema.fast_pattern(pattern)
    except schema.UnsupportedPattern:
        return
    validator = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": translated})
    try:
        fast = validator.is_valid(text)
    except Exception:
        return  # the fast path treats this as "ask jsonschema"
    if fast:
        assert re.fullmatch(pattern, text), (pattern, text)


def test_whitespace_means_what_python_means():
    # Rust's \s does not know U+001C; Python's does, so the model's e-mail pattern must reject it
    assert not re.fullmatch(r"[^\s@]+", "a\x1cb")
    email = schema.fast_pattern(r".*[^\s@]+@[^\s@]+\.[^\s@]+.*")
    import jsonschema_rs

    assert not jsonschema_rs.Draft202012Validator({"pattern": email}).is_valid("a\x1c@b\x1c.c\x1c")
    with pytest.raises(schema.UnsupportedPattern):
        schema.fast_pattern(r"\w+")


def _findings(*args):
    return run_cli("check", "--isolated", "--format", "json", "--today", "2026-11-28", *args).out


def test_findings_identical_with_and_without_the_fast_path(monkeypatch):
    paths = [str(EXAMPLES), str(FIXTURES / "structure.json"), str(FIXTURES / "structure.yaml"),
             str(FIXTURES / "typos.json")]
    fast = _findings(*paths)
    monkeypatch.setattr(schema, "fast_valid", lambda data, shape: False)
    assert _findings(*paths) == fast


# --- the converted schema's disk cache -------------------------------------------------


def _cache_file(tmp_path):
    return tmp_path / "user-cache" / "fast-schema-Campaign.json"


def test_the_converted_schema_is_built_once_and_reused(tmp_path, monkeypatch):
    assert schema.fast_validator("Campaign") is not None
    assert _cache_file(tmp_path).exists()
    schema.fast_validator.cache_clear()

    def no_rebuild(shape):
        raise AssertionError("rebuilt although the cache is fresh")

    monkeypatch.setattr(schema, "campaign_schema", no_rebuild)
    assert schema.fast_validator("Campaign") is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-model", "accepts-everything"])
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path, damage):
    schema.fast_validator("Campaign")
    path = _cache_file(tmp_path)
    header, body = path.read_text().split("\n", 1)
    stored = json.loads(header)
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        path.write_text(path.read_text()[:1000])
    elif damage == "other-model":
        stored["key"]["size"] += 1
        path.write_text(json.dumps(stored) + "\n" + body)
    else:  # a schema that calls everything valid, with a matching digest: the canaries catch it
        stored["digest"] = usercache.digest("true")
        path.write_text(json.dumps(stored) + "\ntrue")
    schema.fast_validator.cache_clear()
    invalid = {"id": 1, "name": 2}
    assert not schema.fast_valid(invalid, "Campaign")
    assert [e.kind for e in schema.validate(invalid, "Campaign")]
    header, body = path.read_text().split("\n", 1)
    assert body != "true" and json.loads(header)["key"] == schema._model_key("Campaign")


@SETTINGS
@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})?",
                     fullmatch=True) | st.text(max_size=30))
def test_the_quick_timestamp_check_agrees_with_dateutil(text):
    assert schema.fast_timestamp(text) == (schema.parse_timestamp(text) is not None)
