"""JSON through the C ``json`` module with line:col found on demand (issue 12 item 2): the
same values, positions, duplicates and errors as the position-tracking parser."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_lint.sources.parse import ParseError, _JsonParser, _JsonPositions, parse_json

from .test_properties import json_values

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def slow(text: str):
    try:
        document = _JsonParser(text).parse()
    except ParseError as error:
        return ("error", error.message, error.line, error.column)
    return document


@SETTINGS
@given(json_values, st.sampled_from([None, 0, 1, 2, "\t"]), st.sampled_from(["\n", "\r\n", "\r"]),
       st.booleans())
def test_fast_json_gives_what_the_position_tracking_parser_gives(value, indent, newline, spaced):
    text = json.dumps(value, indent=indent, separators=(", ", " : ") if spaced else None)
    text = text.replace("\n", newline)
    expected = slow(text)
    document = parse_json(text)
    assert document.value == expected.value
    assert dict(document.positions) == expected.positions
    assert dict(document.key_positions) == expected.key_positions
    assert document.duplicates == expected.duplicates


@SETTINGS
@given(json_values, st.randoms(use_true_random=False), st.booleans())
def test_positions_asked_in_any_order_are_the_position_tracking_parsers(value, random, keys):
    # a lookup scans a container only up to the child it wants and a later one goes on
    # from there: any order of lookups, missing pointers among them, finds the same places
    text = json.dumps(value, indent=1)
    expected = slow(text)
    table = expected.key_positions if keys else expected.positions
    asked = list(expected.positions) + [p + "/missing" for p in expected.positions] + ["/0/x", "/-"]
    random.shuffle(asked)
    document = parse_json(text)
    found = document.key_positions if keys else document.positions
    for pointer in asked:
        assert (pointer in found) == (pointer in table)
        assert found.get(pointer) == table.get(pointer)


def test_fast_path_is_taken_for_a_plain_campaign_and_positions_are_found_on_demand():
    text = '{\n  "name": "a",\n  "tags": {"x/y": [1, {"~k": null}]}\n}'
    document = parse_json(text)
    assert isinstance(document.positions, _JsonPositions)
    assert document.positions["/tags/x~1y/1/~0k"] == (3, 30)
    assert document.key_positions["/tags/x~1y"] == (3, 12)
    assert "/tags/nope" not in document.positions and "/name/0" not in document.positions


def test_unusual_input_goes_through_the_exact_parser():
    for text in ('{"a": 1, "a": 2}', '{"a": NaN}', '{"a": ' + "9" * 5000 + "}",
                 '{"a": "\\ud800"}', "[" * 300 + "]" * 300, '{"a": 1,}', '{"a": 1} x'):
        expected = slow(text)
        try:
            document = parse_json(text)
        except ParseError as error:
            assert ("error", error.message, error.line, error.column) == expected
        else:
            assert (document.value, document.duplicates) == (expected.value, expected.duplicates)
            assert dict(document.positions) == expected.positions
