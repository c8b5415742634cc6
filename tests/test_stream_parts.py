"""A large YAML stream checked in parts (issue 12: one stream of 10,000 campaigns uses every
core and bounded memory) gives what the stream checked whole gives."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_lint.engine import STREAM_PART_CHARS
from campaign_lint.sources.parse import ParseError, parse_yaml, yaml_stream_parts
from campaign_lint.suppress import parse_comment

from .conftest import EXAMPLES


def _documents(text: str, first_line: int = 0):
    return [(d.value, d.positions, d.key_positions, d.duplicates) for d in parse_yaml(text, first_line=first_line)]


def _comments(text: str, first_line: int = 0):
    """The suppression comments (a text that never names the tool is not searched for others)."""
    documents = parse_yaml(text, first_line=first_line)
    return [c for c in (documents[0].comments if documents else []) if parse_comment(c.text) is not None]


# pieces a campaign stream is made of, including what could fool a cut at "---"
_PIECES = st.sampled_from([
    "name: a\nconnectInstanceId: i-1\n",
    "name: 'it''s'\ntags: {team: x, campaign-lint:ignore: CC301}\n",
    "note: |\n  ---\n  not a document\n  ...\nafter: 1\n",
    "note: >-\n    folded\n    --- still text\n",
    "# campaign-lint: ignore CC301\nname: commented\n",
    "name: trailing  # campaign-lint: ignore CC302\n",
    "base: &b {x: 1}\ncopy: *b\nmerged: {<<: *b, y: 2}\n",
    "same: 1\nsame: 2\n",
    "list:\n- 1\n- two\n- {three: 3}\n",
    "\n\n# only a comment\n\n",
    "broken: [1, 2\n",
    "quoted: \"two\n  lines\"\n",
    "quoted: \"open\n",
    "- a\n- b\n",
    "plain",
    "",
])
_SEPARATORS = st.sampled_from(["---\n", "--- \n", "---  # a comment\n", "...\n---\n",
                               "...\n%YAML 1.1\n---\n", "...\n%YAML 1.1\n# c\n\n---\n",
                               "--- {inline: 1}\n", "---\n---\n"])


@st.composite
def streams(draw):
    text = draw(_PIECES)
    for _ in range(draw(st.integers(0, 8))):
        text += draw(_SEPARATORS) + draw(_PIECES)
    return text


@given(streams(), st.integers(1, 120))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parts_parse_to_the_documents_of_the_whole_stream(text, size):
    parts = yaml_stream_parts(text, size)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))  # no gap, no overlap
    try:
        whole, whole_comments = _documents(text), _comments(text)
    except ParseError:
        whole = None
    documents, comments, failed = [], [], False
    for start, end, lines in parts:
        assert lines == text.count("\n", 0, start)
        try:
            documents += _documents(text[start:end], lines)
            comments += _comments(text[start:end], lines)
        except ParseError:
            failed = True
    if whole is None:
        assert failed, "the whole stream fails to parse: some part must fail too (then it is checked whole)"
    elif not failed:
        assert documents == whole
        assert comments == whole_comments


def test_a_stream_is_not_cut_where_it_could_not_be_read_the_same():
    assert yaml_stream_parts("a: 1\n" * 100, 10**6) == [(0, 500, 0)]
    crlf = "a: 1\r\n---\r\nb: 2\r\n" * 50
    assert yaml_stream_parts(crlf, 10) == [(0, len(crlf), 0)]
    directive = "a: 1\n...\n%YAML 1.1\n---\nb: 2\n"
    assert yaml_stream_parts(directive, 1) == [(0, len(directive), 0)]
    plain = "a: 1\n---\nb: 2\n---\nc: 3\n"
    assert yaml_stream_parts(plain, 1) == [(0, 5, 0), (5, 14, 1), (14, len(plain), 3)]


def _big_stream(folder, broken: bool = False):
    """A stream of more than two parts' worth of real campaigns, some with findings and
    suppressions (tag and comment), a duplicate key, and (``broken``) a syntax error
    near the end."""
    import yaml

    examples = sorted((EXAMPLES / "clean").glob("*.yaml")) + sorted((EXAMPLES / "broken").glob("*.yaml"))
    documents = []
    for path in examples:
        for document in yaml.safe_load_all(path.read_text()):
            if isinstance(document, dict) and "connectInstanceId" in document:
                documents.append(yaml.safe_dump(document, sort_keys=False))
    assert documents
    pieces, index = [], 0
    while sum(map(len, pieces)) < 2.5 * STREAM_PART_CHARS:
        piece = documents[index % len(documents)]
        if index % 7 == 0:
            piece = "# campaign-lint: ignore CC301\n" + piece
        if index % 11 == 0:
            piece += "name: twice\n"
        pieces.append(piece.replace("name: ", f"name: c{index}-", 1))
        index += 1
    if broken:
        pieces[-3] += "oops: [1, 2\n"
    path = folder / "stream.yaml"
    path.write_text("---\n".join(pieces))
    return path


def _check(path, *options):
    run = subprocess.run([sys.executable, "-m", "campaign_lint", "check", "--no-cache", "--format", "json",
                          "--today", "2026-11-28", *options, path.name],
                         cwd=path.parent, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


def test_a_large_stream_gives_the_same_report_in_parts_and_whole(tmp_path):
    path = _big_stream(tmp_path)
    whole, parts = _check(path, "--jobs", "1"), _check(path, "--jobs", "2")
    assert parts == whole
    report = json.loads(whole)
    assert report["summary"]["campaigns"] > 100
    assert "CC004" in {finding["rule"] for finding in report["findings"]}
    assert "CC011" in {finding["rule"] for finding in report["findings"]}  # the comments came through
    # findings from parts beyond the first, on the stream's own lines
    assert max(f["line"] for f in report["findings"] if f["line"]) > path.read_text()[:STREAM_PART_CHARS].count("\n")


def _engine():
    from campaign_lint.config import Config
    from campaign_lint.engine import Engine, Selection
    from campaign_lint.registry import Registry

    return Engine(Registry.load(), Config(), Selection())


def test_the_parts_are_checked_by_workers_and_joined_in_order(tmp_path):
    from campaign_lint.engine import lint_file, lint_stream

    path = str(_big_stream(tmp_path))
    engine = _engine()
    parts, whole = lint_stream(engine, path, False, 2), lint_file(engine, path)
    assert parts is not None
    # the same findings on the same campaigns (loader findings come first in each part;
    # the report sorts them)
    assert sorted(parts.hits, key=repr) == sorted(whole.hits, key=repr)
    assert parts.comments == whole.comments
    assert [(c.pointer, c.data, c.positions) for c in parts.campaigns] == \
        [(c.pointer, c.data, c.positions) for c in whole.campaigns]
    assert lint_stream(engine, str(_big_stream(tmp_path, broken=True)), False, 2) is None


def test_a_large_stream_that_does_not_parse_is_one_error_either_way(tmp_path):
    path = _big_stream(tmp_path, broken=True)
    whole, parts = _check(path, "--jobs", "1"), _check(path, "--jobs", "2")
    assert parts == whole
    [finding] = json.loads(whole)["findings"]
    assert finding["rule"] == "CC001"
