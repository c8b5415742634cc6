"""Property tests: no input crashes the linter; interval rules agree with brute force."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.model import Severity
from campaign_lint.registry import Registry
from campaign_lint.sources.files import load_bytes

REGISTRY = Registry.load(plugins=False)
ENGINE = Engine(REGISTRY, Config(), Selection())
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25)

# Campaign-ish keys make the generator reach deep into the rules, not just CC002.
campaign_keys = st.sampled_from([
    "name", "connectInstanceId", "channelSubtypeConfig", "telephony", "outboundMode",
    "progressive", "bandwidthAllocation", "communicationTimeConfig", "openHours", "dailyHours",
    "MONDAY", "startTime", "endTime", "restrictedPeriods", "restrictedPeriodList", "startDate",
    "endDate", "localTimeZoneConfig", "defaultTimeZone", "defaultOutboundConfig", "schedule",
    "communicationLimitsOverride", "tags", "campaign", "id", "arn"])
campaignish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["T09:00", "T24:00", "T12:75", "2024-02-29", "2025-02-30", "UTC",
                       "US/Eastern", "", "arn:aws:connect:us-east-1:123456789012:instance/x"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(campaign_keys | st.text(max_size=8), children, max_size=5),
    max_leaves=40)


def lint_document(value, kind: str):
    text = json.dumps(value) if kind == "json" else _to_yaml(value)
    loaded = load_bytes(text.encode("utf-8"), f"x.{kind}", kind)
    findings = ENGINE.run(loaded.campaigns)
    for finding in findings:
        assert finding.rule in REGISTRY.rules
        assert isinstance(finding.severity, Severity)
        assert finding.message and len(finding.message.splitlines()) == 1  # no break of any kind
        assert finding.line is None or finding.line >= 1
    return loaded, findings


def _to_yaml(value) -> str:
    import yaml
    return yaml.safe_dump(value, allow_unicode=True)


@SETTINGS
@given(json_values)
def test_any_json_value_lints_without_crashing(value):
    loaded, findings = lint_document(value, "json")
    assert not any(f.rule == "CC010" for f in findings)


@SETTINGS
@given(campaignish)
@example({"connectInstanceId": None, "tags": {"\n": None}})  # a tag key was a CC103's raw first word
@example({"connectInstanceId": None, "name": "a\u2028b", "tags": {"k\x85": 5}})  # quote() left U+2028 and U+0085 raw
def test_any_campaign_like_document_lints_without_crashing(value):
    for kind in ("json", "yaml"):
        loaded, findings = lint_document(value, kind)
        assert not any(f.rule == "CC010" for f in findings), [f.message for f in findings]


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_give_findings_not_exceptions(raw):
    for kind in ("json", "yaml"):
        loaded = load_bytes(raw, f"x.{kind}", kind)
        assert loaded.campaigns or loaded.diagnostics
        for diagnostic in loaded.diagnostics:
            assert diagnostic.rule in ("CC001", "CC002", "CC004")


@SETTINGS
@given(st.sampled_from([(b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                        (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")]),
       st.binary(max_size=200) | json_values.map(json.dumps).map(str.encode))
def test_any_bytes_after_a_utf16_or_utf32_mark_give_one_cc001_naming_the_encoding(mark, rest):
    start, name = mark
    assume(not (start == b"\xff\xfe" and rest.startswith(b"\x00\x00")))  # that is UTF-32's mark
    raw = start + rest
    for kind in ("json", "yaml"):
        [diagnostic] = load_bytes(raw, f"x.{kind}", kind).diagnostics
        shown = " ".join(f"{byte:02X}" for byte in start)
        assert diagnostic.rule == "CC001" and diagnostic.message.startswith(f"{name} text (byte order mark {shown})")
        assert "save the file as UTF-8" in diagnostic.message and "\n" not in diagnostic.message


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_gives_findings_not_exceptions(text):
    for kind in ("json", "yaml"):
        loaded = load_bytes(text.encode("utf-8", "surrogatepass"), f"x.{kind}", kind)
        ENGINE.run(loaded.campaigns)


@SETTINGS
@given(json_values)
def test_json_parser_agrees_with_the_standard_library(value):
    from campaign_lint.sources.parse import parse_json
    text = json.dumps(value, indent=1)
    assert parse_json(text).value == json.loads(text)


@SETTINGS
@given(json_values, st.integers(0, 10_000), st.sampled_from([None, 1]))
def test_a_byte_order_mark_anywhere_in_json_is_data_in_a_string_or_named_where_it_is(value, at, indent):
    from campaign_lint.sources.parse import ParseError, parse_json

    text = json.dumps(value, indent=indent)
    at %= len(text) + 1
    marked = text[:at] + "\ufeff" + text[at:]
    try:
        parse_json(marked)
    except ParseError as error:
        assert error.message.startswith("a stray U+FEFF") and error.message.endswith("remove it")
        assert (error.line, error.column) == (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
    else:
        json.loads(marked)  # the standard library takes it too: the mark is inside a string


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(value=campaignish)
def test_check_command_exits_0_or_1_with_well_formed_json(tmp_path, value):
    from .conftest import run_cli

    path = tmp_path / "any.json"
    path.write_text(json.dumps(value))
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
    document = run.json()
    for finding in document["findings"]:
        assert set(finding) >= {"rule", "name", "severity", "message", "file", "line", "column",
                                "pointer", "campaign"}
        assert finding["severity"] in ("error", "warning", "info")
    counted = [f for f in document["findings"] if not f["suppressed"]]
    assert run.code == (1 if any(f["severity"] == "error" for f in counted) else 0)


def _walk(value, pointer=""):
    from campaign_lint.model import pointer_join
    yield pointer, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, pointer_join(pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, pointer_join(pointer, index))


@SETTINGS
@given(json_values, st.sampled_from([None, 1, 2]))
def test_json_positions_point_at_each_value(value, indent):
    from campaign_lint.sources.parse import parse_json
    text = json.dumps(value, indent=indent)
    document = parse_json(text)
    lines = text.split("\n")
    for pointer, item in _walk(value):
        line, column = document.positions[pointer]
        at = lines[line - 1][column - 1:]
        expected = {dict: "{", list: "["}.get(type(item)) or json.dumps(item)
        assert at.startswith(expected), (pointer, at, expected)


@SETTINGS
@given(json_values)
def test_yaml_parser_agrees_with_pyyaml(value):
    import yaml
    from campaign_lint.sources.parse import parse_yaml
    text = yaml.safe_dump(value, allow_unicode=True)
    [document] = parse_yaml(text)
    assert document.value == yaml.safe_load(text)
    for pointer, _ in _walk(document.value):
        line, column = document.positions[pointer]
        assert line >= 1 and column >= 1


@given(st.lists(st.text(st.sampled_from("ab/~0"), max_size=3), max_size=4), st.booleans())
def test_the_nearest_pointer_holding_another_is_found_in_any_table(tokens, rooted):
    from campaign_lint.model import nearest_in, pointer_ancestors

    pointer = "".join("/" + token for token in tokens) if rooted else "".join(tokens)
    chain = list(pointer_ancestors(pointer))  # ends at the root, also for a text without "/"
    assert chain[0] == pointer and chain[-1] == "" and len(chain) == len(set(chain))
    assert all(pointer.startswith(up) for up in chain)
    table = {up: index for index, up in enumerate(chain) if index % 2}
    found = nearest_in(pointer, table)
    assert found == next((up for up in chain if up in table), None)
