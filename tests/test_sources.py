"""Reading files: shapes, positions, duplicate keys, unreadable input, folders, stdin."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import findings_of, run_cli

CAMPAIGN = {
    "name": "renewals",
    "connectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
    "communicationTimeConfig": {
        "localTimeZoneConfig": {"defaultTimeZone": "America/New_York"},
        "telephony": {"openHours": {"dailyHours": {"MONDAY": [
            {"startTime": "T09:00", "endTime": "T12:00"},
            {"startTime": "T11:00", "endTime": "T14:00"},
        ]}}},
    },
}


def only(run, rule):
    found = findings_of(run, rule)
    assert len(found) == 1, run.out
    return found[0]


# --- positions -------------------------------------------------------------------

def test_json_finding_points_at_the_value(lint):
    text = json.dumps(CAMPAIGN, indent=2)
    finding = only(lint(text, "c.json"), "CC301")
    lines = text.splitlines()
    assert lines[finding["line"] - 1][finding["column"] - 1] == "{"
    # the second range of MONDAY is the one reported
    assert '"T11:00"' in lines[finding["line"]]
    assert finding["pointer"] == "/communicationTimeConfig/telephony/openHours/dailyHours/MONDAY/1"


def test_yaml_finding_points_at_the_value(lint):
    text = """\
name: renewals
connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
communicationTimeConfig:
  localTimeZoneConfig:
    defaultTimeZone: America/NewYork
"""
    finding = only(lint(text), "CC309")
    assert (finding["line"], finding["column"]) == (5, 22)
    assert finding["file"].endswith("campaign.yaml")
    assert finding["campaign"] == {"id": None, "name": "renewals", "arn": None}


def test_unknown_field_points_at_the_key(lint):
    text = '{"name": "x", "connectInstanceId": "i-1",\n  "conectQueueId": "q"}'
    finding = only(lint(text, "c.json"), "CC101")
    assert (finding["line"], finding["column"]) == (2, 3)
    assert 'did you mean' in finding["message"]


def test_missing_field_points_at_the_object_that_lacks_it(lint):
    text = """\
name: renewals
connectInstanceId: i-1
channelSubtypeConfig:
  telephony:
    outboundMode: {agentless: {}}
"""
    finding = only(lint(text), "CC102")
    assert (finding["line"], finding["column"]) == (5, 5)
    assert '"defaultOutboundConfig"' in finding["message"]


def test_describe_response_positions_are_inside_the_wrapper(lint):
    text = json.dumps({"campaign": dict(CAMPAIGN, id="c-1", arn="arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-1")}, indent=1)
    run = lint(text, "c.json")
    finding = only(run, "CC301")
    assert finding["pointer"].startswith("/communicationTimeConfig")
    assert finding["campaign"]["id"] == "c-1"
    assert '"T11:00"' in text.splitlines()[finding["line"]]


# --- shapes --------------------------------------------------------------------------

def test_json_array_of_campaigns(lint):
    text = json.dumps([CAMPAIGN, dict(CAMPAIGN, name="second")], indent=1)
    run = lint(text, "c.json")
    assert run.json()["summary"]["campaigns"] == 2
    assert sorted(f["campaign"]["name"] for f in findings_of(run, "CC301")) == ["renewals", "second"]
    lines = {f["line"] for f in findings_of(run, "CC301")}
    assert len(lines) == 2


def test_multi_document_yaml(lint):
    text = "name: a\nconnectInstanceId: i-1\n---\nname: b\nconnectInstanceId: i-2\nchannelSubtypeConfig: []\n"
    run = lint(text)
    assert run.json()["summary"]["campaigns"] == 2
    finding = only(run, "CC103")
    assert finding["campaign"]["name"] == "b" and finding["line"] == 6


def test_create_request_is_checked_against_create_shape(lint):
    run = lint("name: a\nconnectInstanceId: i-1\n")
    assert findings_of(run, "CC102") == []  # no id/arn needed before creation


def test_described_campaign_needs_its_arn(lint):
    run = lint("id: c-1\nname: a\nconnectInstanceId: i-1\n")
    assert any('"arn"' in f["message"] for f in findings_of(run, "CC102"))


@pytest.mark.parametrize("text,name", [
    ('{"name": "my-app", "version": "1.0.0", "scripts": {}}', "package.json"),
    ("name: CI\non: push\njobs: {}\n", "workflow.yml"),
    ("# only a comment\n", "empty.yaml"),
    ("[1, 2, 3]", "list.json"),
])
def test_files_without_a_campaign_are_info_only(lint, text, name):
    run = lint(text, name)
    assert run.rules() == ["CC002"]
    assert run.json()["findings"][0]["severity"] == "info"
    assert run.code == 0


@pytest.mark.parametrize("name,text,places", [
    ("list.json", '[{"name": "a", "connectInstanceId": "i-1"},\n 5,\n {"nmae": "b"}]',
     [(2, 2, "/1", "it is a number, not an object"), (3, 2, "/2", "none of a campaign's members")]),
    ("list.yaml", "- name: a\n  connectInstanceId: i-1\n- null\n",
     [(3, 3, "/1", "it is null, not an object")]),
])
def test_an_item_of_a_list_of_campaigns_that_holds_none_is_reported_not_skipped(lint, name, text, places):
    # it was dropped without a word: the run said "1 campaign" and nothing of the rest
    found = [(f["line"], f["column"], f["pointer"], f["message"]) for f in lint(text, name).json()["findings"]
             if f["rule"] == "CC002"]
    assert [where[:3] for where in found] == [place[:3] for place in places]
    for (_, _, pointer, message), place in zip(found, places, strict=True):
        assert message.startswith(f"item {pointer[1:]} of the list holds no campaign ({place[3]}")


def test_a_document_of_a_stream_of_campaigns_that_holds_none_is_reported(lint):
    text = "name: a\nconnectInstanceId: i-1\n---\n5\n---\nnmae: b\n---\n"  # the last one is empty
    found = [(f["line"], f["message"]) for f in lint(text, "s.yaml").json()["findings"] if f["rule"] == "CC002"]
    assert [line for line, _ in found] == [4, 6]
    assert found[0][1].startswith("document 2 of the stream holds no campaign (it is a number")
    assert found[1][1].startswith("document 3 of the stream holds no campaign (none of a campaign's members")


def test_a_long_list_of_non_campaigns_is_reported_briefly_and_quickly(lint):
    # reviewer's reproducer: 100,000 numbers after one campaign printed 100,000 findings (and
    # took 40 s: each place was counted from the top of the file; 1 s now)
    from campaign_lint.sources.files import MAX_NOT_CAMPAIGNS

    items = [{"name": "a", "connectInstanceId": "i-1"}, *range(100_000)]
    found = [f for f in lint(json.dumps(items, indent=1), "big.json").json()["findings"] if f["rule"] == "CC002"]
    assert len(found) == MAX_NOT_CAMPAIGNS + 1
    assert [f["line"] for f in found[:2]] == [6, 7]  # after the campaign's five lines and "["
    assert found[-1]["message"] == f"{100_000 - MAX_NOT_CAMPAIGNS} more items of the list hold no campaign; they are not checked"


# --- duplicate keys ----------------------------------------------------------------

def test_duplicate_key_in_json_points_at_second_key(lint):
    text = '{\n  "name": "a",\n  "connectInstanceId": "i-1",\n  "name": "b"\n}'
    finding = only(lint(text, "c.json"), "CC004")
    assert (finding["line"], finding["column"]) == (4, 3)
    assert "first on line 2" in finding["message"]


def test_duplicate_key_in_yaml_points_at_second_key(lint):
    text = "name: a\nconnectInstanceId: i-1\ntags:\n  team: x\n  team: y\n"
    finding = only(lint(text), "CC004")
    assert (finding["line"], finding["column"]) == (5, 3)


def test_yaml_merge_key_is_not_a_duplicate(lint):
    text = """\
base: &hours
  startTime: T09:00
  endTime: T12:00
name: a
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: UTC}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{<<: *hours, endTime: T10:00}, {startTime: T09:30, endTime: T11:00}]
"""
    run = lint(text)
    assert findings_of(run, "CC004") == []
    assert len(findings_of(run, "CC301")) == 1  # T09:00-T10:00 overlaps T09:30-T11:00


# --- unreadable input -----------------------------------------------------------------

@pytest.mark.parametrize("raw,name,line,column,words", [
    (b'{"name": "a",\n  "connectInstanceId": }', "c.json", 2, 24, "expected a value"),
    (b'{"connectInstanceId": "a",}', "c.json", 1, 27, "double-quoted key"),
    (b'{"connectInstanceId": NaN}', "c.json", 1, 23, "expected a value"),
    (b"connectInstanceId: [a\nb: c\n", "c.yaml", None, None, "not valid YAML"),
    (b"connectInstanceId: a\n  bad: indent\n", "c.yaml", 2, 6, "not valid YAML"),
    (b"name: caf\xe9\nconnectInstanceId: i-1\n", "c.yaml", 1, 10, "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x1ctEXtComment\x00connectInstanceId: i-1", "c.json", 1, 1, "binary"),
    (b"connectInstanceId: !!python/object/apply:os.system ['echo hi']\n", "c.yaml", 1, 20,
     "not valid YAML"),
])
def test_unreadable_input_is_cc001_with_position(tmp_path, raw, name, line, column, words):
    path = tmp_path / name
    path.write_bytes(raw)
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert run.code == 1
    finding = only(run, "CC001")
    assert words in finding["message"]
    if line is not None:
        assert (finding["line"], finding["column"]) == (line, column)


def test_yaml_alias_bomb_is_refused_quickly(lint):
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        levels.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    run = lint("\n".join(levels) + "\nname: x\nconnectInstanceId: i\n")
    assert "alias bomb" in only(run, "CC001")["message"]


def test_recursive_yaml_alias_is_refused(lint):
    run = lint("a: &a [*a]\n")
    assert run.rules() == ["CC001"]


def test_deep_nesting_is_cc001_not_a_crash(lint):
    run = lint("[" * 5000 + "]" * 5000, "deep.json")
    assert run.rules() == ["CC001"]


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "c.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(CAMPAIGN).encode())
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert "CC001" not in run.rules() and "CC301" in run.rules()


#: a byte order mark and the encoding it announces: UTF-16-LE is what Windows PowerShell 5's
#: ``>`` and ``Out-File`` write
OTHER_ENCODINGS = [(b"\xff\xfe", "utf-16-le", "UTF-16 text (byte order mark FF FE)"),
                   (b"\xfe\xff", "utf-16-be", "UTF-16 text (byte order mark FE FF)"),
                   (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 text (byte order mark FF FE 00 00)"),
                   (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 text (byte order mark 00 00 FE FF)")]


@pytest.mark.parametrize("mark,codec,words", OTHER_ENCODINGS)
@pytest.mark.parametrize("name", ["c.json", "c.yaml"])
def test_utf16_and_utf32_files_are_named_with_the_fix_not_called_binary(tmp_path, mark, codec, words, name):
    import yaml

    text = json.dumps(CAMPAIGN, indent=2) if name.endswith(".json") else yaml.safe_dump(CAMPAIGN)
    path = tmp_path / name
    path.write_bytes(mark + text.replace("\n", "\r\n").encode(codec))
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert run.code == 1 and run.rules() == ["CC001"]
    finding = only(run, "CC001")
    assert finding["message"] == f"{words}, not UTF-8: save the file as UTF-8"
    assert (finding["line"], finding["column"], finding["severity"]) == (1, 1, "error")


INFO_HINT = " (info: nothing in it names a campaign, so it does not fail the run)"


@pytest.mark.parametrize("raw,name,words,marked", [
    # a binary file met by a broad pattern, and one that names a campaign member (what can be read
    # of it: its bytes as latin-1 without NULs, so UTF-16 without a byte order mark counts)
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "logo.json", "binary file", False),
    (b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)), "clip.yaml", "binary file", False),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x1ctEXtComment\x00connectInstanceId: i-1", "c.json", "binary file", True),
    (json.dumps(CAMPAIGN).encode("utf-16-le"), "c.json", "UTF-16-LE text without a byte order mark", True),
    # a Latin-1 file, not UTF-8
    ("name: café\nversion: 2\n".encode("latin-1"), "mkdocs.yml", "not UTF-8", False),
    ("name: café\nconnectInstanceId: i-1\n".encode("latin-1"), "c.yaml", "not UTF-8", True),
    # UTF-16 with its byte order mark: judged on the decoded text, escapes read
    (b"\xff\xfe" + '{"name": "web", "private": true}\r\n'.encode("utf-16-le"), "package.json", "UTF-16", False),
    (b"\xff\xfe" + json.dumps(CAMPAIGN).encode("utf-16-le"), "c.json", "UTF-16", True),
    (b"\xfe\xff" + '{"connect\\u0049nstanceId": "i-1"}'.encode("utf-16-be"), "c.json", "UTF-16", True),
    (b"\xff\xfe" + '{"connectInstanceId": "i-1"}'.encode("utf-16-le")[:-1], "c.json", "UTF-16", True),
])
def test_undecodable_files_follow_the_campaign_name_rule(tmp_path, raw, name, words, marked):
    """README: a file that cannot be read is CC001, an error when it names anything
    campaign-specific, info (so it does not fail a commit) when it names nothing of the kind."""
    path = tmp_path / name
    path.write_bytes(raw)
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    finding = only(run, "CC001")
    assert run.rules() == ["CC001"] and words in finding["message"]
    assert (run.code, finding["severity"], finding["message"].endswith(INFO_HINT)) == \
        ((1, "error", False) if marked else (0, "info", True))


STRAY_MARK = ("a stray U+FEFF (zero-width no-break space, a byte order mark) here, invisible in most "
              "editors: remove it")

#: a campaign, and where a U+FEFF left in it (two files joined, each with its byte order mark;
#: a paste) breaks the parse: ``\ufeff`` marks the place, line:col is where it is
STRAY_MARKS = [
    ("c.yaml", "name: renewals\n\ufeffconnectInstanceId: i-1\n", 2, 1),       # libyaml: "did not find expected key"
    ("c.yaml", "name: renewals\ntags:\n  - a\n\ufeff  - b\nconnectInstanceId: i-1\n", 4, 1),
    ("c.yaml", "name: renewals\nconnectInstanceId: i-1\nchannels:\n- a\n\ufeff- b\n", 5, 1),  # pure: at the end
    ("c.yaml", "name: renewals\r\nconnectInstanceId: i-1\r\n\ufeffsource: x\r\n", 3, 1),
    ("c.json", '{"name": "renewals",\n \ufeff"connectInstanceId": "i-1"}', 2, 2),
    ("c.json", '{"name": "renewals", "connectInstanceId": "i-1"}\n\ufeff', 2, 1),
    ("c.json", '\ufeff{"name": "renewals", "connectInstanceId": "i-1"}', 1, 1),  # a second mark at the start
    ("c.json", '{"name": "renewals", "capacity": \ufeff0.5, "connectInstanceId": "i-1"}', 1, 34),
]


@pytest.mark.parametrize("name,text,line,column", STRAY_MARKS)
def test_a_stray_byte_order_mark_is_named_at_its_place_with_the_fix(tmp_path, name, text, line, column):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # the file's own mark is fine
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    finding = only(run, "CC001")
    what = "JSON" if name.endswith(".json") else "YAML"
    assert finding["message"] == f"not valid {what}: {STRAY_MARK}"
    assert (finding["line"], finding["column"], finding["severity"], run.code) == (line, column, "error", 1)
    lines = text.replace("\r\n", "\n").split("\n")
    assert lines[line - 1][column - 1] == "\ufeff"


def test_a_stray_byte_order_mark_in_a_file_without_campaign_is_info(tmp_path):
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: docs\n\ufeffnav: []\n", encoding="utf-8")
    finding = only(run_cli("check", "--isolated", "--format", "json", str(path)), "CC001")
    assert STRAY_MARK in finding["message"] and finding["severity"] == "info"


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_many_byte_order_marks_as_data_cost_a_parse_or_two_not_a_search(kind, monkeypatch):
    # a file that fails, holding thousands of U+FEFFs as data in strings, was parsed again about
    # log2(count) times (1.7 MB: 0.31 s -> 4.97 s; helper-50): the U+FEFF before the parser's
    # error is tried first, and a text with many is not searched one by one
    from campaign_lint.sources import parse

    data = [f"a\ufeffb{index}" for index in range(3000)]
    stray = "\ufeffz: 1\n" if kind == "yaml" else None
    if kind == "yaml":
        text = "items:\n" + "".join(f'  - "{item}"\n' for item in data) + stray
    else:
        text = '{"items": [' + ", ".join(f'"{item}"' for item in data) + '], \ufeff"z": 1}'
    name = "_parse_yaml" if kind == "yaml" else "_parse_json"
    real, calls = getattr(parse, name), []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(parse, name, counted)
    with pytest.raises(parse.ParseError) as raised:
        parse.parse_yaml(text) if kind == "yaml" else parse.parse_json(text)
    assert raised.value.message == STRAY_MARK and len(calls) == 2  # the parse, then one without it
    lines = text.split("\n")
    assert lines[raised.value.line - 1][raised.value.column - 1] == "\ufeff"
    calls.clear()
    broken = text.replace("items", "items: [", 1) if kind == "yaml" else text[:-1]  # broken elsewhere too
    with pytest.raises(parse.ParseError) as raised:
        parse.parse_yaml(broken) if kind == "yaml" else parse.parse_json(broken)
    assert raised.value.message != STRAY_MARK and len(calls) <= 2


@pytest.mark.parametrize("name,text", [
    ("c.yaml", 'name: "spring\ufeffsale"\nconnectInstanceId: i-1\n'),
    ("c.yaml", "name: 'spring\ufeffsale'\nconnectInstanceId: i-1\n"),
    ("c.json", '{"name": "spring\ufeffsale", "connectInstanceId": "i-1"}'),
])
def test_a_byte_order_mark_inside_a_quoted_string_is_data(tmp_path, name, text):
    from campaign_lint.sources.files import load_bytes

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert "CC001" not in run.rules()
    [campaign] = load_bytes(path.read_bytes(), name, name[-4:].lstrip(".")).campaigns
    assert campaign.data["name"] == "spring\ufeffsale"


@pytest.mark.parametrize("name,text,line,column,words", [
    # a mark inside a string, and a syntax error elsewhere: the parser's own message
    ("c.yaml", 'name: "spring\ufeffsale"\nconnectInstanceId: [i-1\n', None, None, "flow sequence"),
    ("c.json", '{"name": "spring\ufeffsale", "connectInstanceId": }', 1, 46, "expected a value"),
    # a mark inside a string, then a stray one: the stray one is named
    ("c.yaml", 'name: "spring\ufeffsale"\n\ufeffconnectInstanceId: i-1\n', 2, 1, STRAY_MARK),
    ("c.json", '{"name": "spring\ufeffsale",\n\ufeff"connectInstanceId": "i-1"}', 2, 1, STRAY_MARK),
    # two stray ones: the first is named
    ("c.yaml", "name: a\n\ufeffconnectInstanceId: i-1\n\ufeffsource: x\n", 2, 1, STRAY_MARK),
    ("c.json", '{"name": "a",\ufeff\n\ufeff"connectInstanceId": "i-1"}', 1, 14, STRAY_MARK),
])
def test_only_the_byte_order_mark_that_broke_the_parse_is_named(tmp_path, name, text, line, column, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    finding = only(run_cli("check", "--isolated", "--format", "json", str(path)), "CC001")
    assert words in finding["message"] and (STRAY_MARK in finding["message"]) == (words == STRAY_MARK)
    if line is not None:
        assert (finding["line"], finding["column"]) == (line, column)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["c.json", "c.yaml"])
def test_utf16_without_a_byte_order_mark_is_named_not_called_binary(tmp_path, codec, name):
    # some tools write UTF-16 without a mark: it was "binary file", which names no fix
    import yaml

    text = json.dumps(CAMPAIGN, indent=2) if name.endswith(".json") else yaml.safe_dump(CAMPAIGN)
    path = tmp_path / name
    path.write_bytes(text.encode(codec))
    finding = only(run_cli("check", "--isolated", "--format", "json", str(path)), "CC001")
    assert finding["message"] == (f"{codec.upper()} text without a byte order mark (every other byte is 0), "
                                  "not UTF-8: save the file as UTF-8")
    assert (finding["line"], finding["column"], finding["severity"]) == (1, 1, "error")  # it names a campaign


def test_binary_bytes_with_some_zeros_are_still_a_binary_file(tmp_path):
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    finding = only(run_cli("check", "--isolated", "--format", "json", str(path)), "CC001")
    assert finding["message"].startswith("binary file, not JSON or YAML text") and finding["severity"] == "info"


def test_fix_and_diff_leave_a_utf16_file_as_it_is(tmp_path):
    from .test_fix import MESSY_YAML

    path = tmp_path / "c.yaml"
    raw = b"\xff\xfe" + MESSY_YAML.encode("utf-16-le")
    path.write_bytes(raw)
    diff = run_cli("check", "--isolated", "--diff", str(path))
    assert (diff.code, diff.out) == (0, "")  # nothing to fix: the file is not read
    fix = run_cli("check", "--isolated", "--fix", str(path))
    assert fix.code == 1 and "UTF-16 text (byte order mark FF FE)" in fix.out and "fixed 0 problems in 0 files" in fix.err
    assert path.read_bytes() == raw  # never rewritten, in this encoding or another


def test_application_tags_are_plain_data_but_python_tags_are_refused(lint):
    run = lint("name: !custom x\nconnectInstanceId: !Ref Instance\ntags: !Map {team: a}\n")
    assert "CC001" not in run.rules()
    run = lint("name: !!python/name:os.system\n")
    assert run.rules() == ["CC001"]


def test_yaml_dates_stay_strings(lint):
    text = """\
name: a
connectInstanceId: i-1
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: UTC}
  telephony:
    openHours: {dailyHours: {MONDAY: [{startTime: T09:00, endTime: T10:00}]}}
    restrictedPeriods:
      restrictedPeriodList:
        - {startDate: 2027-12-26, endDate: 2027-12-24}
"""
    run = lint(text)
    assert findings_of(run, "CC103") == []
    assert len(findings_of(run, "CC305")) == 1


# --- folders and stdin ------------------------------------------------------------------

def test_folder_walk_finds_campaign_files_and_skips_vcs(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "node_modules").mkdir()
    body = json.dumps(CAMPAIGN)
    for rel in ("a/one.json", "a/b/two.yaml", "a/b/three.YML", ".git/x.json",
                "node_modules/y.json", "a/readme.txt"):
        (tmp_path / rel).write_text(body)
    run = run_cli("check", "--isolated", "--format", "json", str(tmp_path))
    files = sorted({os.path.relpath(f["file"], tmp_path) for f in run.json()["findings"]})
    assert files == ["a/b/three.YML", "a/b/two.yaml", "a/one.json"]
    assert run.json()["summary"]["files"] == 3


def test_symlink_loop_is_not_followed_forever(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_text(json.dumps(CAMPAIGN))
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    run = run_cli("check", "--isolated", "--format", "json", str(tmp_path))
    assert run.code == 1
    assert run.json()["summary"]["files"] <= 2


def test_a_campaign_symlink_to_nothing_is_named_not_passed_over(tmp_path):
    # a campaign file moved away, its link left behind: the walk skipped the link without a
    # word, and a folder holding only such links passed with "no file found" (exit 0)
    (tmp_path / ".git").mkdir()
    (tmp_path / "campaigns").mkdir()
    os.symlink("moved.yaml", tmp_path / "campaigns" / "renewals.yaml")
    os.symlink("gone", tmp_path / "campaigns" / "notes.txt")  # not a campaign file name: not looked at
    run = run_cli("check", "--isolated", "--format", "json", "campaigns", cwd=tmp_path)
    [finding] = run.json()["findings"]
    assert (finding["rule"], finding["severity"], finding["file"]) == ("CC001", "info", "campaigns/renewals.yaml")
    assert finding["message"] == 'a symlink to "moved.yaml", which does not exist; not read (fix or remove the link)'
    assert run.code == 0 and "no .json, .yaml or .yml file found" not in run.err


def test_stdin(tmp_path):
    run = run_cli("check", "--isolated", "--format", "json", "-", stdin=json.dumps(CAMPAIGN))
    finding = only(run, "CC301")
    assert finding["file"] == "<stdin>" and finding["line"] == 1


def test_stdin_yaml_with_filename():
    run = run_cli("check", "--isolated", "--format", "json", "--stdin-filename", "camp/x.yaml",
                  "-", stdin="name: a\nconnectInstanceId: i\ncommunicationTimeConfig:\n"
                             "  localTimeZoneConfig: {defaultTimeZone: Mars/Base}\n")
    finding = only(run, "CC309")
    assert finding["file"] == "camp/x.yaml" and finding["line"] == 4


def test_missing_path_is_a_usage_error(tmp_path):
    run = run_cli("check", "--isolated", str(tmp_path / "nope.json"))
    assert run.code == 2
    assert "nope.json: no such file or directory" in run.err
    assert "Traceback" not in run.err



def test_empty_folder_warns_on_stderr(tmp_path):
    run = run_cli("check", "--isolated", str(tmp_path))
    assert run.code == 0 and "no .json, .yaml or .yml file found" in run.err
    assert run.out.startswith("No problems found: 0 campaigns in 0 files.")


def test_cloudformation_template_is_checked_with_intrinsics_unknown(lint):
    text = ("Resources:\n  Reminders:\n    Type: AWS::ConnectCampaignsV2::Campaign\n"
            "    Properties:\n      Name: !Sub 'reminders-${AWS::StackName}'\n"
            "      ConnectInstanceId: !Ref InstanceId\n"
            "      Tags: !If [HasTags, [{Key: a, Value: b}], !Ref AWS::NoValue]\n")
    run = lint(text, "stack.yaml")
    # the campaign is checked (it has no channel and no cap); the Sub'ed name is unknown, so the
    # findings name the resource by its logical id, and nothing is said about unknown values
    assert {"CC205", "CC501"} <= set(run.rules())
    assert [f["rule"] for f in run.json()["findings"] if f["severity"] != "info"] == ["CC205"]
    assert {f["campaign"]["name"] for f in run.json()["findings"]} == {"Reminders"}
