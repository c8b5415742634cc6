"""libyaml and the pure-Python loader give the same documents (issue 12 item 1): values,
positions, duplicate keys, comments, the alias budget and tag handling."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
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
    # a U+FEFF at the start of a line: libyaml skips it (and counts its column), so must the other
    "a: 1\n\ufeffb: 2\n",
    "---\n\ufeffb: 2\n",
    "a: 1\n\ufeff\nb: 2\n",
    "a: 1\n\ufeff# c\nb: 2\n",
    "\ufeff\ufeffa: 1\n",
    "[a,\n\ufeffb]\n",
    "a:\n\ufeff  - x\n",
    # one further on: data, its column counted
    "[\ufeffa, b]\n",
    "a:\n  b: 1\n  \ufeffc: 2\n",
    "a: 1\n  \ufeffb: 2\n",
    "- a\n\ufeff- b\n",
])
def test_both_loaders_agree_on_hostile_and_real_files(text):
    same_with_both(text)


#: escapes for a double-quoted scalar, known and unknown, that are characters and that are not
_escapes = st.sampled_from(["\\q", "\\?", "\\'", "\\x4", "\\x41", "\\u00e9", "\\U0001F600", "\\U00110000",
                            "\\UFFFFFFFF", "\\ud800", "\\U0000DFFF", "\\", "\\\n", "\\\r\n", "\\ ", "\\\t", "\\0",
                            "\\N", "\\/", '\\"'])
_quoted_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=5)


@SETTINGS
@given(st.lists(_quoted_text | _escapes, max_size=6).map("".join),
       st.sampled_from(['top: "{}"\n', '- ["{}", x]\n', '"{}": 1\n', 'a: &a "{}"\nb: [*a, !!set {{c}}]\n']))
def test_both_loaders_agree_on_any_double_quoted_scalar(body, form):
    same_with_both(form.format(body))


@pytest.mark.parametrize("text,line,column", [
    ('a: "\\q"\n', 1, 5),                # an unknown escape: at its backslash (the pure loader: after it)
    ('a: "x\\\n  y\\q"\n', 2, 4),
    ('a: "\\', 1, 5),                     # a backslash that ends the text
    ('a: "\\x4g"\n', 1, 7),              # too few hexadecimal digits: after the escape's letter
    ('a: "\\U00110000"\n', 1, 4),        # beyond U+10FFFF: refused at the value, as libyaml does
    ('a: ["\\UFFFFFFFF"]\n', 1, 5),      # (the pure loader raised ValueError and OverflowError)
    ('a: "\\ud800\\q"\n', 1, 4),         # a surrogate: refused where it is met, as libyaml does (the
    ('a: "\\ud800\\"\n', 1, 4),          # pure loader went on to the unknown escape, the end of the text)
    ('a: !!set {"\\ud800": 1}\n', 1, 11),  # or to the tag the builder refuses
])
def test_escape_errors_are_placed_alike_by_both_loaders(text, line, column):
    _refused_alike_at(text, line, column)


def _refused_alike_at(text: str, line: int, column: int) -> None:
    """Both loaders refuse ``text`` at ``line:column``."""
    for pure in (False, True):
        with pytest.raises(ParseError) as raised:
            parse_yaml(text, pure=pure)
        assert (raised.value.line, raised.value.column) == (line, column), pure


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


# --- the fast path: values without per-value bookkeeping, positions found when asked --------

def built(text: str, fast: bool, tag_key=None, pure: bool = False):
    """Each document as the fast path (``fast``) or the full builder makes it, with every
    position listed, or the error: what a campaign file's user sees of a parse."""
    loader = parse._get_loader(pure)(text)
    lines = parse._Lines(text)
    try:
        found = []
        while loader.check_node():
            document = parse._yaml_document(loader, loader.get_node(), lines, tag_key, fast)
            found.append((document.value, dict(document.positions.items()),
                          dict(document.key_positions.items()), document.duplicates))
        return found
    except ParseError as error:
        return ("CC001", error.message, error.line, error.column)
    except yaml.YAMLError as error:  # the composer's own errors come before either builder
        return ("composer", str(error))
    finally:
        loader.dispose()


def same_fast_and_full(text: str, tag_key=None) -> None:
    for pure in (False, True):
        assert built(text, True, tag_key, pure) == built(text, False, tag_key, pure), text


_flow_scalars = st.sampled_from(["a", "b", "Name", "'it''s'", '"x\\ty"', '"\\u00e9"', "1", "0x1F", "2.5",
                                 "true", "null", "~", "2027-01-01", "''", "'a/b~c'", "!!str 5",
                                 "!!int 7", "!!float 1e3", "!!bool yes", "!!null ''", "!!int x"])
_flow_keys = st.sampled_from(["a", "b", "c", "'a'", "1", "true", "a/b", "m~n", "'<<'", "<<", "!!str k",
                              "[x]", "'é'"])
_tags = st.sampled_from(["!Ref", "!Sub", "!GetAtt", "!If", "!Other", "!", "!!map", "!!seq", "!!set"])


def _flow(children):
    return (st.tuples(_tags, children).map(" ".join)
            | st.lists(st.tuples(_flow_keys, children), max_size=4).map(
                lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}")
            | st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"))


flow_texts = st.recursive(_flow_scalars, _flow, max_leaves=20).map(lambda text: f"top: {text}\n")
block_texts = st.tuples(json_values, st.sampled_from([None, False])).map(
    lambda args: yaml.safe_dump(args[0], default_flow_style=args[1], allow_unicode=True))
short_forms = {"!Ref": "Ref", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If"}.get


@SETTINGS
@given(st.lists(flow_texts | block_texts, min_size=1, max_size=3).map("---\n".join),
       st.sampled_from([None, short_forms]))
def test_fast_path_gives_the_full_builders_values_positions_and_errors(text, tag_key):
    same_fast_and_full(text, tag_key)


@pytest.mark.parametrize("name", ["clean/appointment-reminders.yaml", "cloudformation/clean/outbound-campaigns.yaml",
                                  "cloudformation/broken/outbound-campaigns.yaml"])
def test_real_files_take_the_fast_path_and_agree_with_the_full_builder(name):
    text = (EXAMPLES / name).read_text()
    same_fast_and_full(text, short_forms)
    [document] = parse_yaml(text, tag_key=short_forms)
    assert isinstance(document.positions, parse._YamlPositions)  # not a dict built value by value


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                      # an anchor: the alias budget needs the full builder
    "a: 1\nb: 2\na: 3\n",                    # a duplicate key: CC004 needs both places
    "a: {<<: {b: 1}, c: 2}\n",               # a merge key
    "? [a]\n: b\n",                          # a key that is not text
    'k: "\\ud800"\n',                        # an escaped surrogate
    "k: " + "[" * 250 + "]" * 250 + "\n",    # nested too deeply
    "k: !!set {a}\n",                        # a collection tag the builder refuses
    "\ufeffa: 1\nb: [x, y]\n",                # a byte order mark, which libyaml's offsets skip
    "[\ufeffa, b]\n",                         # one further on, which the pure loader's columns skip
    "a: 1\n\ufeffb: 2\n",
    "{k: " * 201 + "v" + "}" * 201 + "\n",    # one level too deep, its last value a plain text
    "a: 1\r\nb:\r\n  - x\r\n",                # Windows line ends
])
def test_unusual_documents_get_the_full_builders_result(text):
    same_fast_and_full(text)
    assert built(text, True) == built(text, False)


def test_lazy_positions_answer_like_a_dict():
    [document] = parse_yaml("a:\n  - x\n  - {b/c: !Ref R, 'm~n': 2}\n", tag_key=short_forms)
    positions, keys = document.positions, document.key_positions
    assert positions["/a/1/b~1c"] == positions["/a/1/b~1c/Ref"] == (3, 11)  # at the tag
    assert keys["/a/1/b~1c"] == (3, 6) and "/a/1/b~1c/Ref" not in keys  # a short form has no key
    assert positions["/a/1/m~0n"] == (3, 26) and keys["/a/1/m~0n"] == (3, 19)
    for missing in ("/a/2", "/a/01", "/a/-1", "/b", "/a/0/x", "a", "/a/1/b~1c/Sub", 7, "/a/1/m~n", "/a/1/m~2n"):
        assert missing not in positions and positions.get(missing) is None
    assert "" in positions and "" not in keys
    assert len(positions) == 7 and len(keys) == 3


_tricky = st.text(st.sampled_from("campignltCAMPIGNLT-İıſK\r\n\x85\u2028\u2029 x"), max_size=40)


@given(_tricky | st.text(max_size=40))
def test_quick_text_checks_agree_with_their_regular_expressions(text):
    assert parse._names_tool(text) == (parse._NAMES_TOOL.search(text) is not None)
    assert parse._other_breaks(text) == (parse._OTHER_BREAKS.search(text) is not None)
    assert parse._names_tool(text.replace("i", "ı", 1) + "campaign-lint")


def test_the_collector_is_left_as_it_was_after_a_parse():
    import gc

    assert gc.isenabled()
    for text in ("a: 1\n", "a: [\n", "a: &x [*x]\n"):  # a document, an error, a cycle
        try:
            parse_yaml(text)
        except ParseError:
            pass
        assert gc.isenabled(), text
    gc.disable()
    try:
        parse_yaml("a: 1\n")
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=3),
                          st.dictionaries(st.text("ab~/", max_size=3), st.integers(), max_size=20)),
                min_size=17, max_size=40),
       st.sampled_from([None, False]))
def test_positions_in_long_lists_and_large_objects_are_those_of_the_full_builder(items, flow):
    # past 16 values a container's entries are listed once (a lookup per item was quadratic)
    text = yaml.safe_dump({"items": items, "by_key": {f"k{i}": item for i, item in enumerate(items)}},
                          default_flow_style=flow, allow_unicode=True)
    same_fast_and_full(text)


def test_the_collector_is_left_running_after_parses_in_several_threads():
    # each parse read the collector's state, then turned it off: a parse that began while
    # another had it off restored 'off' for good
    import gc
    import sys
    import threading

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [threading.Thread(target=lambda: [parse_yaml("a: 1\n") for _ in range(1500)]) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(switch)
    running = gc.isenabled()
    gc.enable()  # for the tests after this one, whatever the answer
    assert running


# --- where the loaders read a text differently once ---------------------------------------

@pytest.mark.parametrize("text", [
    "[!, a]\n", "a: !\n", "[!]\n",                   # the non-specific tag on nothing: "" (PyYAML: null)
    "[!Ref, y]\n", "x: !Ref, y\n", "x: !Re]f y\n",  # a comma or a bracket ends a tag (PyYAML: in it)
    "[!<a,b>, x]\n", "a: !<tag:a,b> x\n",          # but not a verbatim one
    "a: !a/b!c x\n", "a: !e!x y\n",                 # a handle only where it ends with "!"
    "a: !! x\n", "a: !<> x\n", "a: !<x y\n",
    "a: !a%C3%A9 x\n", "a: !a%C3 x\n", "a: !a%G0 x\n", "a: !%FF x\n", "a: !%C3%28 x\n",  # %-escapes
])
def test_tags_read_alike_by_both_loaders(text):
    same_with_both(text)


@pytest.mark.parametrize("text,line,column", [
    ("x: !a!b &a\nn", 3, 1), ("x: &a !a!b\nn", 3, 1), ("x: !a!b &a\n'n", 2, 3),  # the next token's error first
    ("x: !a!b\nn", 3, 1), ("x: !a!b &a x\nn", 1, 4),
])
def test_an_undefined_tag_handle_is_refused_after_the_next_token_as_libyaml_refuses_it(text, line, column):
    # the pure loader refused the handle before it read the token after the node's properties
    _refused_alike_at(text, line, column)


def test_a_comma_after_a_tag_in_a_flow_collection_ends_it_as_libyaml_reads_it():
    for pure in (False, True):
        assert parse_yaml("[!Ref, y]\n", pure=pure)[0].value == ["", "y"]  # PyYAML: a tag "!Ref," on y


@pytest.mark.parametrize("text,line,column", [
    ("name: !%C0%80 x\n", 1, 8),         # an overlong form: libyaml's composer failed to decode the tag,
    ("name: !%ED%A0%80 x\n", 1, 8),      # and a surrogate: an internal error (UnicodeDecodeError)
    ("name: [!a%E2%82%AC%C0%80, b]\n", 1, 19),
])
def test_a_tag_escaping_octets_that_are_no_character_is_a_cc001(text, line, column):
    _refused_alike_at(text, line, column)
    [diagnostic] = load_bytes(text.encode(), "x.yaml", "yaml").diagnostics
    assert (diagnostic.rule, diagnostic.line, diagnostic.column) == ("CC001", line, column)
    assert "%-escaped octets that are not a UTF-8 character" in diagnostic.message


@pytest.mark.parametrize("text", [
    "top: {a: }\n", "top: {a: , b: 1}\n", "top: {a:\n  }\n",  # an empty value in a flow mapping
    "top: [a: , b]\n", "[a:\n ]\n",                          # or a flow sequence's one-pair mapping
    "{? }\n", "{? : x}\n", "[? ]\n",                         # an empty key after "?"
    "[? : x]\n", "[? , x]\n",          # libyaml takes the ":" or "," after "?" with the empty key: an error
])
def test_empty_nodes_in_flow_collections_are_placed_alike_by_both_loaders(text):
    same_with_both(text)


def test_an_empty_value_in_a_flow_mapping_is_where_libyaml_places_it():
    for pure in (False, True):  # at the token after the ":" (PyYAML: at the ":", on another line here)
        assert parse_yaml("top: {a:\n  }\n", pure=pure)[0].positions["/top/a"] == (2, 3)


@pytest.mark.parametrize("text,line,column", [
    ("a: [1,", 2, 1), ("{", 2, 1), ("- [a", 2, 1), ("a: {b: 1", 2, 1),  # libyaml: at the start of the
    ("a: [1,\u2028", 1, 8),             # next line (as counted without a U+2028, at the text's end)
    ("top: {}\n[", 3, 1), ("a: 1\n{b: [", 3, 1),  # a key still wanted at the end: as libyaml checks it
    ("a: [1,\n", 2, 1), ('a: "x', 1, 6),  # (not in a quoted scalar, nor after a line break)
])
def test_errors_at_the_end_of_the_text_are_placed_alike_by_both_loaders(text, line, column):
    _refused_alike_at(text, line, column)


def test_an_empty_value_at_the_end_of_the_text_is_where_libyaml_places_it():
    for pure in (False, True):
        assert parse_yaml("?", pure=pure)[0].positions["/"] == (2, 1)


@pytest.mark.parametrize("text", [
    "{x? a: 1}\n", "[x?y, z]\n", "[x ?y]\n", "[x?]\n", "{x?: 1}\n",  # a "?" in a plain scalar in a flow
    "[a:,b]\n", "{a:}\n", "[a:]\n", "[a:?]\n", "{a: b:,}\n",           # ":" then a flow indicator: an error
    "[a:b]\n", "[a::b]\n", "[?x]\n", "[x, ?]\n",
])
def test_a_plain_scalar_in_a_flow_collection_ends_alike_with_both_loaders(text):
    same_with_both(text)


def test_a_question_mark_in_a_plain_scalar_in_a_flow_collection_is_part_of_it():
    for pure in (False, True):  # PyYAML ended the scalar at the "?": "expected ',' or '}'"
        assert parse_yaml("{x? a: 1}\n", pure=pure)[0].value == {"x? a": 1}


@pytest.mark.parametrize("text", [
    "a:\tb\n", "a: b\t\n", "a: 1\t# c\n", "a: b \t c\n", "a\t: b\n", "? a\t: b\n", "a:\t\n  b\n",  # blanks
    "[1,\t2]\n", "{a:\t1}\n", "top: !Ref\ta\n", "top: !\tRef a\n",
    "a: b\n\tc\n", "a:\n  b\n \tc\n", "a:\n  b\n  \tc\n", "[a\n\tb]\n",  # a plain scalar's next lines
    "-\tx\n", "\ta: 1\n", "a: 1\n\t\n",                                          # where no tab may be
    "a: |\t\n  x\n", "a: |#c\n  x\n", "a: |2-\t# c\n   x\n", "a: |x\n",  # after a block scalar's indicator
    "a: |\n    \ttext\n", "a: >\n   \t more\n", "a: |\n  x\n \t\n  y\n", "a: |\n  x\n\t\n",  # its indentation
])
def test_tabs_are_read_alike_by_both_loaders(text):
    same_with_both(text)


def test_a_tab_in_a_plain_scalar_is_part_of_it():
    for pure in (False, True):  # PyYAML refused any tab outside a quoted or block scalar
        assert parse_yaml("a: x \t y\t# c\n", pure=pure)[0].value == {"a": "x \t y"}


def test_a_comment_after_a_tab_after_a_block_scalars_indicator_is_found_by_both_loaders():
    for pure in (False, True):  # libyaml's second pass looked for spaces only before the "#"
        [document] = parse_yaml("a: |-\t# campaign-lint: ignore CC301\n  x\n", pure=pure)
        assert [(c.line, c.column, c.text) for c in document.comments] == [(1, 7, "campaign-lint: ignore CC301")]


@pytest.mark.parametrize("text,line,column", [
    ('top: "\xa0\x1f"\n', 1, 8), ("a\n\u20ac\x1f", 2, 2), ("\U0001F600\x01", 1, 2), ("x: \x01", 1, 4),
    ("\ufeff\ufeffa: &x\x01 1\n", 1, 8),
])
def test_a_character_yaml_does_not_allow_is_placed_alike_by_both_loaders(text, line, column):
    _refused_alike_at(text, line, column)  # libyaml's reader counts the bytes of the UTF-8 text before it


#: pieces inserted anywhere in generated texts: where the loaders read differently once (no "%"
#: at a line's start: directives are still read differently, as sources/yaml_pure.py says)
_PIECES = ["!", "!!", "!a!", "!<x>", " ", " ,", ": ", " : ", "?", ":", ",", "? ", "\t", " \t", "\t# campaign-lint ",
           "\x01", "\u20ac", "\r", "\r\n", "\x85", "\u2028", "\u2029"]
_inserts = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(_PIECES)), max_size=3)


def _inserted(text: str, inserts: list[tuple[int, str]]) -> str:
    """``text`` with each piece inserted at its offset (the final line break stays last)."""
    for at, piece in inserts:
        at %= len(text)
        text = text[:at] + piece + text[at:]
    return text


@SETTINGS
@given(st.lists(block_texts | flow_texts, min_size=1, max_size=2).map("---\n".join), _inserts,
       st.none() | st.integers(0, 10_000))
def test_both_loaders_agree_on_texts_with_pieces_inserted_anywhere_and_cut_short(text, inserts, cut):
    text = _inserted(text, inserts)
    if cut is not None:  # the end of the text anywhere, without a line break after the last line
        text = text[:cut % (len(text) + 1)]
    same_with_both(text)


# --- a U+FEFF: read alike by both loaders, and named where it breaks the parse ------------

@pytest.mark.parametrize("text,value", [
    ("a: x\ufeffy\n", {"a": "x\ufeffy"}), ("a: \ufeffx\n", {"a": "\ufeffx"}), ("x\ufeff: 1\n", {"x\ufeff": 1}),
    ("a: x\n  \ufeffy\n", {"a": "x \ufeffy"}), ("[x\n\ufeffy]\n", ["x \ufeffy"]), ("- \ufeff\n", ["\ufeff"]),
])
def test_a_byte_order_mark_in_a_plain_scalar_is_data_with_both_loaders(text, value):
    # YAML 1.2 allows none there; libyaml, the reference, reads it as a character of the scalar
    for pure in (False, True):
        assert parse_yaml(text, pure=pure)[0].value == value


@pytest.mark.parametrize("text", [
    '\ufeffk: "a\u2028"\nl: 1\n', "\ufeff\ufeffa:\x85 &x {", "\ufeff\ufeff-\u2028-\r\n-\na: 1\n",
    "\ufeffa: 1 # campaign-lint\r# b\rc: |  # d\r  x\r",
])
def test_a_byte_order_mark_that_starts_the_text_leaves_positions_alike(text):
    same_with_both(text)


def test_a_byte_order_mark_that_starts_the_text_is_counted_in_the_offsets_of_libyaml():
    # positions come from offsets where a line has another break than \n or \r\n, and libyaml's
    # reader leaves out a U+FEFF that starts the text: alone, they said 1:9, on the line before
    [document] = parse_yaml('\ufeffk: "a\u2028"\nl: 1\n')
    assert document.key_positions["/l"] == (2, 1)


STRAY_MARK = ("a stray U+FEFF (zero-width no-break space, a byte order mark) here, invisible in most "
              "editors: remove it")


@pytest.mark.parametrize("text,line,column", [
    ("a: 1\n\ufeffb: 2\n", 2, 1),          # libyaml: "did not find expected key" at 2:2
    ("- a\n\ufeff- b\n", 2, 1),            # the pure loader: at the end of the file
    ("a:\n  b: 1\n\ufeff  c: 2\n", 3, 1),
    ("a: [1, 2]\n\ufeff\ufeff\nb: 2\n", 2, 2),  # the first is skipped at the line's start
    ('a: "x\ufeffy"\nb: [1,\n\ufeff  2]\nc:\ufeff 1\n', 4, 3),  # data, skipped, then stray
])
def test_a_stray_byte_order_mark_is_named_alike_by_both_loaders(text, line, column):
    for pure in (False, True):
        with pytest.raises(ParseError) as raised:
            parse_yaml(text, pure=pure)
        assert (raised.value.message, raised.value.line, raised.value.column) == (STRAY_MARK, line, column), pure
    with pytest.raises(ParseError) as raised:
        parse_yaml(text, first_line=10)  # a part of a stream: the lines before it count
    assert (raised.value.line, raised.value.column) == (line + 10, column)


def _with_mark(text: str, at: int) -> tuple[str, tuple[int, int]]:
    """``text`` with a U+FEFF inserted at offset ``at``, and that place's line:col (lines end at
    a CR LF, a CR or a LF, as editors count them)."""
    at %= len(text) + 1
    marked = text[:at] + "\ufeff" + text[at:]
    starts = [0] + [match.end() for match in re.finditer("\r\n|\r|\n", marked[:at])]
    return marked, (len(starts), at - starts[-1] + 1)


@SETTINGS
@given(block_texts | flow_texts, _inserts, st.integers(0, 10_000))
def test_a_byte_order_mark_anywhere_reads_alike_or_is_named_where_it_is(text, inserts, at):
    """Either loader reads a valid document with a U+FEFF inserted anywhere the same way, or
    refuses it naming that U+FEFF: the text parses without it, so nothing else broke it."""
    text = _inserted(text, inserts)
    same_with_both(text)
    assume(outcome(text, False)[0] != "CC001")
    marked, place = _with_mark(text, at)
    same_with_both(marked)
    for pure in (False, True):
        try:
            parse_yaml(marked, pure=pure)
        except ParseError as error:
            assert (error.message, error.line, error.column) == (STRAY_MARK, *place), pure
