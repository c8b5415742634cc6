"""Hostile files (issue 8): alias and merge-key bombs, odd YAML keys and tags, huge
numbers, lone surrogates, suppressions smuggled in through data, and line numbers that
must match what an editor shows. Each case is a finding on its file; the run goes on."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.model import quote
from campaign_lint.sources import parse
from campaign_lint.sources.parse import ParseError, parse_json, parse_yaml

from .conftest import EXAMPLES, TODAY, findings_of, run_cli
from .test_ci_outputs import CAMPAIGN  # a real campaign with one overlap (CC301)

OVERLAP_LINE = CAMPAIGN.splitlines().index("          - {startTime: T11:00, endTime: T14:00}") + 1


def only(run, rule):
    found = findings_of(run, rule)
    assert len(found) == 1, run.out
    return found[0]


def lint_files(tmp_path, files: dict[str, str | bytes], *extra: str):
    for name, text in files.items():
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
    return run_cli("check", "--isolated", "--today", TODAY, "--format", "json", *extra,
                   *(str(tmp_path / name) for name in files), cwd=tmp_path)


# --- alias and merge-key bombs (item 4) ------------------------------------------------------

def merge_chain(levels: int) -> str:
    """Each level merges the previous one nine times: a 9**levels blow-up for a merge
    resolver that copies, a mapping of nine keys for one that follows the YAML spec."""
    lines = ["l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} {{<<: [{', '.join([f'*l{i - 1}'] * 9)}]}}")
    return "\n".join(lines) + "\n"


def test_merge_key_chain_resolves_once_per_mapping():
    [document] = parse_yaml(merge_chain(12))  # 9**12 copies if merges were expanded naively
    assert document.value["l12"] == {k: v for v, k in enumerate("abcdefghi", 1)}
    assert document.duplicates == []


def test_earlier_merge_source_wins_and_own_keys_win_over_merged_ones():
    text = "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc: {<<: [*a, *b], y: 3}\n"
    [document] = parse_yaml(text)
    assert document.value["c"] == {"x": 1, "y": 3, "z": 2}
    assert document.duplicates == []  # keys brought by merges are not duplicates


def test_merge_and_alias_bomb_is_cc001(lint):
    lines = ["a0: &a0 {x0: [1, 2, 3, 4, 5, 6, 7, 8, 9]}"]
    for i in range(1, 12):
        pairs = ", ".join(f"k{j}: *a{i - 1}" for j in range(9))
        lines.append(f"a{i}: &a{i} {{<<: *a{i - 1}, {pairs}}}")
    run = lint("\n".join(lines) + "\nname: x\nconnectInstanceId: i\n")
    assert "alias bomb" in only(run, "CC001")["message"]


def test_long_key_repeated_through_aliases_is_cc001(lint):
    key = "k" * 1_000_000
    nested = "{*k : " * 50 + "1" + "}" * 50
    run = lint(f'name: x\nconnectInstanceId: i\nkey: &k "{key}"\ntags: {nested}\n')
    assert "alias bomb" in only(run, "CC001")["message"]


def test_plain_values_do_not_count_toward_the_alias_budget(monkeypatch):
    monkeypatch.setattr(parse, "MAX_EXPANDED_NODES", 1000)
    monkeypatch.setattr(parse, "MAX_EXPANDED_CHARS", 100_000)
    [document] = parse_yaml("- {n: 1}\n" * 5000)  # 15,000 plain values, no alias
    assert len(document.value) == 5000
    shared = "base: &base [" + ", ".join(["1"] * 1000) + "]\nuses: [" + ", ".join(["*base"] * 30) + "]\n"
    with pytest.raises(ParseError, match="alias bomb"):
        parse_yaml(shared)


def test_anchors_shared_by_many_campaigns_are_not_a_bomb(lint):
    base = "defaults: &defaults\n" + "".join(f"  k{i}: {i}\n" for i in range(40))
    campaigns = "".join(f"  - {{<<: *defaults, name: c{i}}}\n" for i in range(300))
    [document] = parse_yaml(base + "campaigns:\n" + campaigns)
    assert document.value["campaigns"][299] == dict(document.value["defaults"], name="c299")


def test_alias_inside_its_own_anchor_is_cc001(lint):
    run = lint("a: &a [*a]\nb: &b {c: *b}\n")
    assert "refers to the value that contains it" in only(run, "CC001")["message"]


def test_mapping_merged_into_itself_is_cc001(lint):
    assert lint("a: &a {<<: *a, x: 1}\n").rules() == ["CC001"]


# --- keys, tags, numbers, characters (item 6) ---------------------------------------------------

@pytest.mark.parametrize("text,line,column,words", [
    ("name: x\nconnectInstanceId: i\n? [a, b]\n: c\n", 3, 3, "not a list or mapping"),
    ("name: x\nconnectInstanceId: i\n? {a: b}\n: c\n", 3, 3, "not a list or mapping"),
    ("name: x\nconnectInstanceId: i\ncapacity: !!int x\n", 3, 11, "'x' is not a valid !!int"),
    ("name: x\nconnectInstanceId: i\nlocal: !!bool maybe\n", 3, 8, "'maybe' is not a valid !!bool"),
    ("name: x\nconnectInstanceId: i\nstart: !!timestamp soon\n", 3, 8, "not a valid !!timestamp"),
    ('name: x\nconnectInstanceId: i\ncapacity: !!int ""\n', 3, 11, "'' is not a valid !!int"),
    ("name: x\nconnectInstanceId: i\ncapacity: !!float x\n", 3, 11, "not a valid !!float"),
    ("name: x\nconnectInstanceId: i\ncapacity: " + "9" * 5000 + "\n", 3, 11, "more than 4300 digits"),
    ("name: x\nconnectInstanceId: i\ncapacity: 0x" + "f" * 5000 + "\n", 3, 11, "more than 4300 digits"),
    ('name: "\\ud800"\nconnectInstanceId: i\n', 1, 7, "surrogate"),
    ('name: "a \\ud83d\\ude00"\nconnectInstanceId: i\n', 1, 7, "surrogate"),  # as libyaml has it
    ('name: x\nconnectInstanceId: i\n"\\U0000dfff": 1\n', 3, 1, "surrogate"),
])
def test_odd_yaml_is_cc001_on_its_file_and_the_run_goes_on(tmp_path, text, line, column, words):
    run = lint_files(tmp_path, {"bad.yaml": text, "good.yaml": CAMPAIGN})
    assert run.code == 1, run.err
    finding = only(run, "CC001")
    assert finding["file"].endswith("bad.yaml")
    assert words in finding["message"]
    assert (finding["line"], finding["column"]) == (line, column)
    assert [f["file"] for f in findings_of(run, "CC301")] == [str(tmp_path / "good.yaml")]


@pytest.mark.parametrize("text,line,column,words", [
    ('{"name": "x",\n "capacity": ' + "9" * 5000 + "}", 2, 14, "more than 4300 digits"),
    ('{"name": "\\ud800", "connectInstanceId": "i"}', 1, 10, "surrogate"),
    ('{"name": "x", "\\udc00": 1}', 1, 15, "surrogate"),
])
def test_odd_json_is_cc001_on_its_file_and_the_run_goes_on(tmp_path, text, line, column, words):
    run = lint_files(tmp_path, {"bad.json": text, "good.yaml": CAMPAIGN})
    finding = only(run, "CC001")
    assert words in finding["message"] and (finding["line"], finding["column"]) == (line, column)
    assert findings_of(run, "CC301")


def test_surrogate_pairs_and_long_integers_within_limits_are_fine():
    assert parse_json('{"name": "\\ud83d\\ude00"}').value == {"name": "\U0001F600"}
    assert parse_yaml('name: "\\U0001F600"\n')[0].value == {"name": "\U0001F600"}
    assert parse_json('[' + "9" * 4300 + ']').value == [int("9" * 4300)]
    assert parse_yaml("!!int 7\n")[0].value == 7
    assert parse_yaml("!!timestamp 2027-01-01\n")[0].value == "2027-01-01"


# --- positions (item 14) ---------------------------------------------------------------------

@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029"])
def test_yaml_lines_match_the_editor_after_unicode_line_separators(lint, separator):
    text = CAMPAIGN.replace("name: collections", f'name: "collections{separator}east"')
    run = lint(text)
    assert only(run, "CC301")["line"] == OVERLAP_LINE


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_json_lines_are_right_with_cr_only_and_crlf_line_ends(tmp_path, newline):
    text = "{\n" + '  "name": "x",\n  "connectInstanceId": "i-1",\n  "conectQueueId": "q"\n}'
    run = lint_files(tmp_path, {"c.json": text.replace("\n", newline)})
    assert (only(run, "CC101")["line"], only(run, "CC101")["column"]) == (4, 3)


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_yaml_lines_are_right_with_cr_only_and_crlf_line_ends(tmp_path, newline):
    run = lint_files(tmp_path, {"c.yaml": CAMPAIGN.replace("\n", newline)})
    assert only(run, "CC301")["line"] == OVERLAP_LINE


def test_every_finding_on_a_file_has_a_line_and_column(tmp_path):
    run = lint_files(tmp_path, {"a.yaml": "name: [a\nb: c\n", "b.json": "[1]", "c.yaml": "x: 1\n",
                                "d.yaml": CAMPAIGN + "tags: {campaign-lint:ignore: ALL}\n"})
    findings = run.json()["findings"]
    assert {f["rule"] for f in findings} >= {"CC001", "CC002", "CC011"}
    assert all(f["line"] and f["column"] for f in findings), findings


# --- suppressions smuggled in through data (item 5) -----------------------------------------

def test_comment_text_inside_a_block_scalar_is_not_a_suppression(lint):
    text = CAMPAIGN + "tags:\n  note: |\n    # campaign-lint: ignore-file CC3 smuggled\n    more text\n"
    run = lint(text)
    assert only(run, "CC301")["suppressed"] is None and run.code == 1
    assert findings_of(run, "CC011") == []


@pytest.mark.parametrize("value", [
    '"x # campaign-lint: ignore-file CC3"',
    "'it''s # campaign-lint: ignore-file CC3'",
    ">-\n    folded # campaign-lint: ignore-file CC3",
])
def test_comment_text_inside_strings_is_not_a_suppression(lint, value):
    run = lint(CAMPAIGN + f"tags:\n  note: {value}\n")
    assert only(run, "CC301")["suppressed"] is None


def test_comment_after_a_block_scalar_indicator_is_a_comment(lint):
    text = CAMPAIGN + "tags:\n  note: |  # campaign-lint: ignore-file CC301 reviewed\n    text\n"
    assert only(lint(text), "CC301")["suppressed"] == "reviewed"


def test_trailing_comment_after_an_apostrophe_in_a_plain_scalar(lint):
    text = CAMPAIGN.replace("name: collections", "name: o'brien-collections  # campaign-lint: ignore CC101 ok") \
        + "description: o'brien  # campaign-lint: ignore CC101 kept for the old importer\n"
    run = lint(text)
    finding = only(run, "CC101")
    assert finding["suppressed"] == "kept for the old importer"
    assert [f["message"] for f in findings_of(run, "CC011")] == [
        "suppression of CC101 matches no finding; remove it"]


@pytest.mark.parametrize("value", ["C", "CC", "ALL", "all", "c/cc"])
def test_tag_that_would_hide_everything_is_refused(lint, value):
    run = lint(CAMPAIGN + f"tags:\n  campaign-lint:ignore: {value}\n")
    assert only(run, "CC301")["suppressed"] is None and run.code == 1
    refusals = findings_of(run, "CC011")
    assert refusals and all("refused" in f["message"] for f in refusals)
    assert all(f["pointer"] == "/tags/campaign-lint:ignore" for f in refusals)


@pytest.mark.parametrize("codes,why", [
    ("cc301", "write rule ids in capitals (CC301)"),
    ("CC206\u00a0CC301", "it holds U+00A0 NO-BREAK SPACE"),  # pasted from a wiki page, say
    ("CC206\u3000CC301", "it holds U+3000 IDEOGRAPHIC SPACE"),
    ("\u0421C301", "it holds U+0421 CYRILLIC CAPITAL LETTER ES"),
])
@pytest.mark.parametrize("where", ["tag", "comment"])
def test_codes_are_ascii_capitals_separated_by_ascii_blanks(lint, codes, why, where):
    # a tag took cc301 and split codes at a no-break space, which the README never promised
    # and a comment did not do alike: now neither does, and the word is reported with why
    if where == "tag":
        text = CAMPAIGN.replace("tags:\n", f"tags:\n  campaign-lint:ignore: {json.dumps(codes)}\n")
    else:
        text = CAMPAIGN.replace("T11:00, endTime: T14:00}", "T11:00, endTime: T14:00}  # campaign-lint: ignore "
                                + codes)
    run = lint(text)
    assert only(run, "CC301")["suppressed"] is None and run.code == 1
    assert only(run, "CC011")["message"] == f"suppression of {quote(codes, 30)} refused: {why}" + (
        "" if "capitals" in why else "; write codes in ASCII capitals and digits, separated by spaces or commas")


@pytest.mark.parametrize("codes", ["CC206\nCC301", "CC206\fCC301", "CC206\x0bCC301"])
def test_a_tag_splits_codes_only_where_a_comment_does(lint, codes):
    # a tag split its codes at any ASCII white space (a line break, a form feed), a comment only
    # at spaces and tabs, as the README says of both: now the word holding one is reported
    run = lint(CAMPAIGN.replace("tags:\n", f"tags:\n  campaign-lint:ignore: {json.dumps(codes)}\n"))
    assert only(run, "CC301")["suppressed"] is None and run.code == 1
    control = quote(codes[5])
    assert only(run, "CC011")["message"] == (f"suppression of {quote(codes, 30)} refused: it holds the control "
                                             f"character {control}; separate codes with spaces, tabs or commas")


@pytest.mark.parametrize("comment", ["ignore-file C", "ignore-file CC", "ignore ALL", "ignore-file CC, ALL"])
def test_comment_that_would_hide_everything_is_refused(lint, comment):
    run = lint(f"# campaign-lint: {comment}\n" + CAMPAIGN)
    assert only(run, "CC301")["suppressed"] is None
    assert findings_of(run, "CC011") and all("refused" in f["message"] for f in findings_of(run, "CC011"))


def test_prefix_of_at_least_ccn_still_works(lint):
    run = lint(CAMPAIGN + "tags:\n  campaign-lint:ignore: CC3\n")
    assert only(run, "CC301")["suppressed"] == "campaign tag campaign-lint:ignore"
    assert findings_of(run, "CC011") == []


@pytest.mark.parametrize("comment,words", [
    ("campaign-lint: ignore CC999 old rule", "CC999 names no known rule"),
    ("campaign-lint: ignroe CC301", "cannot read this campaign-lint comment"),
    ("campaign-lint:disable CC301", "cannot read this campaign-lint comment"),
    ("campaign-lint: ignore-files CC301", "cannot read this campaign-lint comment"),
    ("Campaign-Lint : ignore CC301", "cannot read this campaign-lint comment"),
    ("campaign-lint:\u00a0ignore CC301", "cannot read this campaign-lint comment (it holds U+00A0 NO-BREAK SPACE, "
                                         "which separates nothing)"),
])
def test_unknown_ids_and_unreadable_comments_are_cc011(lint, comment, words):
    run = lint(f"# {comment}\n" + CAMPAIGN)
    assert only(run, "CC301")["suppressed"] is None
    finding = only(run, "CC011")
    assert words in finding["message"] and (finding["line"], finding["column"]) == (1, 1)


def test_unknown_id_in_a_tag_is_cc011(lint):
    run = lint(CAMPAIGN + "tags:\n  campaign-lint:ignore: CC301 ZZ1\n")
    assert only(run, "CC301")["suppressed"] is not None
    assert "ZZ1 names no known rule" in only(run, "CC011")["message"]


def test_reason_may_follow_a_double_dash(lint):
    text = CAMPAIGN.replace("T11:00, endTime: T14:00}", "T11:00, endTime: T14:00}  # campaign-lint: ignore CC301 -- OK per legal")
    run = lint(text)
    assert only(run, "CC301")["suppressed"] == "OK per legal"
    assert findings_of(run, "CC011") == []


def test_comment_positions_use_editor_lines(lint):
    text = CAMPAIGN.replace("name: collections", 'name: "collections\u2028east"').replace(
        "T11:00, endTime: T14:00}", "T11:00, endTime: T14:00}  # campaign-lint: ignore CC301")
    assert only(lint(text), "CC301")["suppressed"] == f"comment on line {OVERLAP_LINE}"


def test_json_stays_strict_and_read_only():
    value = parse_json('{"a": [1, {"b": 2}]}').value
    assert json.loads(json.dumps(value)) == {"a": [1, {"b": 2}]}
    with pytest.raises(TypeError):
        value["a"].append(3)
    with pytest.raises(TypeError):
        value["a"][1]["b"] = 3


# --- an unreadable file is an info only when it names no campaign, however it is spelt ---------

def _escaped(text: str, letters: set[int]) -> str:
    """``text`` with the letters at ``letters`` (offsets inside strings) written as \\u escapes."""
    return "".join(f"\\u{ord(c):04x}" if i in letters else c for i, c in enumerate(text))


def test_a_campaign_file_spelt_with_escapes_is_an_error_when_it_does_not_parse(tmp_path):
    # "connect\u0049nstanceId" is connectInstanceId to every parser; with a lone surrogate
    # (refused here, read by Python's json) the whole broken file was one CC001 *info* and the
    # run passed, so an author could switch off every check of a real campaign
    describe = json.loads((EXAMPLES / "broken" / "overlapping-hours.json").read_text())
    text = json.dumps(describe, indent=1).replace('"tags": {', '"tags": {"note": "\\ud83d", ', 1)
    for word in ("connectInstanceId", "channelSubtypeConfig", "communicationTimeConfig", "connectQueueId",
                 "communicationLimitsOverride", "connectCampaignFlowArn", "connectSourcePhoneNumber"):
        text = text.replace(word, word[0] + f"\\u{ord(word[1]):04x}" + word[2:])
    yaml_text = 'name: x\n"c\\x6fnnectInstanceId": [unclosed\n"channel\\\n  SubtypeConfig": {}\n'
    run = lint_files(tmp_path, {"escaped.json": text, "escaped.yaml": yaml_text}, "--format", "json")
    assert run.code == 1
    assert sorted(f["severity"] for f in findings_of(run, "CC001")) == ["error", "error"]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_escaping_any_letters_of_a_broken_campaign_never_makes_it_an_info(data):
    from campaign_lint.sources.files import load_text

    text = (EXAMPLES / "clean" / "renewals-describe.json").read_text()
    import re

    strings = [range(m.start() + 1, m.end() - 1) for m in re.finditer(r'"(?:[^"\\]|\\.)*"', text)]
    keys = [i for span in strings for i in span if text[i].isalpha()]  # letters of keys and values
    import random

    share, pick = data.draw(st.floats(0.5, 1.0)), random.Random(data.draw(st.integers(0, 2**32)))
    letters = {i for i in keys if pick.random() < share}  # share 1.0: every letter of every string
    broken = _escaped(text, letters) + data.draw(st.sampled_from(["}", ",", "\x00", '"\\ud800"']))
    [diagnostic] = load_text(broken, "c.json", "json").diagnostics
    assert diagnostic.rule == "CC001" and diagnostic.severity is None  # the rule's own: an error


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_key_split_by_any_escaped_line_break_still_names_a_campaign(tmp_path, line_break):
    # YAML joins "connectI\<line break>  nstanceId" into connectInstanceId for any line break
    # (PyYAML: also NEL, U+2028, U+2029); only \n and \r\n were read, so with a refused tag
    # the broken campaign file was an info and the run passed
    text = f'name: x\n? "connectI\\{line_break}  nstanceId"\n: i-1\nnote: !!binary aGVsbG8=\n'
    run = lint_files(tmp_path, {"c.yaml": text.encode("utf-8")}, "--format", "json")
    [finding] = findings_of(run, "CC001")
    assert finding["severity"] == "error" and run.code == 1
