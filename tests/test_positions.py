"""Where each rule of the core catalogue points, in JSON and in YAML: the line and column
a pre-commit user jumps to. The fixtures are real campaign files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import EXAMPLES, FIXTURES, TODAY, run_cli


def positions(path):
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(path))
    return sorted((f["rule"], f["line"], f["column"]) for f in run.json()["findings"])


@pytest.mark.parametrize("path,expected", [
    (EXAMPLES / "broken" / "typos.yaml", [
        ("CC101", 6, 5), ("CC104", 20, 9), ("CC105", 7, 15), ("CC105", 13, 20), ("CC107", 21, 25),
        ("CC201", 6, 5), ("CC203", 10, 30), ("CC212", 6, 5), ("CC309", 16, 22)]),
    (FIXTURES / "typos.json", [
        ("CC101", 6, 7), ("CC104", 26, 11), ("CC105", 7, 19), ("CC105", 15, 24), ("CC107", 28, 28),
        ("CC201", 5, 18), ("CC203", 10, 34), ("CC212", 5, 18), ("CC309", 21, 26)]),
    (EXAMPLES / "broken" / "overlapping-hours.json", [("CC301", 18, 13), ("CC305", 25, 45)]),
    (FIXTURES / "structure.yaml", [
        ("CC102", 11, 7), ("CC103", 6, 15), ("CC106", 2, 7), ("CC108", 8, 7), ("CC206", 6, 5), ("CC212", 6, 5)]),
    (FIXTURES / "structure.json", [
        ("CC102", 15, 32), ("CC103", 6, 19), ("CC106", 2, 11), ("CC108", 7, 23), ("CC206", 5, 18), ("CC212", 5, 18)]),
], ids=lambda value: getattr(value, "name", ""))
def test_findings_point_at_the_offending_value(path, expected):
    assert positions(path) == expected


def test_same_campaign_in_json_and_yaml_gives_the_same_findings():
    def essence(path):
        run = run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(path))
        return sorted((f["rule"], f["pointer"], f["message"]) for f in run.json()["findings"])

    assert essence(EXAMPLES / "broken" / "typos.yaml") == essence(FIXTURES / "typos.json")
    assert essence(FIXTURES / "structure.yaml") == essence(FIXTURES / "structure.json")


@given(st.text(st.sampled_from("ab \n\r\t\u2028é"), max_size=60), st.integers(0, 3), st.data())
def test_an_offset_is_on_the_line_and_column_an_editor_shows(text, first_line, data):
    from campaign_lint.sources.parse import _LineIndex, _line_starts

    starts = [0] + [index + 1 for index, char in enumerate(text)
                    if char == "\n" or (char == "\r" and text[index + 1:index + 2] != "\n")]
    assert _line_starts(text) == starts
    index = _LineIndex(text, first_line)
    # counted for the first places asked, then from the table: the same answers
    for offset in data.draw(st.lists(st.integers(0, len(text)), max_size=40)):
        line = max(number for number, start in enumerate(starts, 1) if start <= offset)
        assert index.at(offset) == (first_line + line, offset - starts[line - 1] + 1)
