"""Packed positions answer exactly what the dict they were packed from answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.filework import PackedPositions

pointers = st.text(alphabet=st.sampled_from("/ab~01é\u2028\ud800x"), max_size=8).map(lambda p: "/" + p)
tables = st.dictionaries(pointers, st.tuples(st.integers(1, 2**31 - 1), st.integers(1, 5000)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(tables, st.lists(pointers | st.just(""), max_size=10))
def test_packed_positions_answer_like_the_dict(table, probes):
    packed = PackedPositions.pack(iter(table.items()))
    restored = PackedPositions.from_plain(packed.plain())
    for candidate in (packed, restored):
        assert len(candidate) == len(table) and sorted(candidate) == sorted(table)
        for pointer in list(table) + probes:
            assert (pointer in candidate) == (pointer in table)
            if pointer in table:
                assert candidate[pointer] == table[pointer]


def test_a_pointer_with_a_newline_is_kept_in_a_dict():
    assert PackedPositions.pack(iter({"/a\nb": (1, 1)}.items())) is None


def test_kept_positions_are_the_documents_positions_of_what_is_kept():
    import json

    from campaign_lint.filework import CampaignFacts, _within
    from campaign_lint.sources.files import load_bytes

    from .conftest import EXAMPLES

    one = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    document = [one, one["campaign"], {"x": 1}, one]
    loaded = load_bytes(json.dumps(document, indent=1).encode(), "list.json", "json")
    assert len(loaded.campaigns) == 3
    for campaign in loaded.campaigns:
        origin = campaign.origin
        facts = CampaignFacts.of(campaign, [])  # the whole campaign kept
        assert dict(facts.positions.items()) == dict(_within(origin.positions, origin.document_pointer))
        assert dict(facts.key_positions.items()) == dict(_within(origin.key_positions, origin.document_pointer))
        kept = CampaignFacts.of(campaign, [], frozenset({"name", "tags"}))
        assert set(kept.positions) < set(facts.positions)
        assert origin.document_pointer + "/name" in kept.positions
