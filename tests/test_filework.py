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


def _matches(pointer: str, pattern: str) -> bool:
    parts, tokens = pointer.split("/"), pattern.rstrip("?").split("/")
    return len(parts) == len(tokens) and all(t in ("*", p) for p, t in zip(parts, tokens, strict=True))


CAMPAIGN_YAML = """\
- name: renewals
  id: c-1
  connectInstanceId: instance-1
  tags: {team: a, "campaign-lint:ignore": CC601}
  channelSubtypeConfig:
    sms: &shared {capacity: 0.2}
    telephony: {capacity: 0.5, connectQueueId: q-1, outboundMode: {predictive: {bandwidthAllocation: 1}}}
- name: collections
  arn: arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-2
  connectInstanceId: instance-1
  channelSubtypeConfig:
    telephony:
      <<: *shared
      outboundMode: {preview: {}, progressive: {bandwidthAllocation: 0.4}}
"""


def test_selected_positions_locate_every_pointer_the_run_can_ask_for_as_the_whole_table_does():
    import json

    from campaign_lint.engine import KEPT_MEMBERS, KEPT_POINTERS, RUN_RULE_MEMBERS, RUN_RULE_POINTERS
    from campaign_lint.filework import CampaignFacts, _pointers
    from campaign_lint.sources.files import load_bytes

    from .conftest import EXAMPLES

    patterns = KEPT_POINTERS.union(*RUN_RULE_POINTERS.values())
    members = KEPT_MEMBERS.union(*RUN_RULE_MEMBERS.values())
    one = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    files = [load_bytes(json.dumps([one, {"x": 1}, one], indent=1).encode(), "list.json", "json"),
             load_bytes(CAMPAIGN_YAML.encode(), "c.yaml", "yaml")]
    campaigns = [c for loaded in files for c in loaded.campaigns]
    assert len(campaigns) == 4
    for campaign in campaigns:
        facts = CampaignFacts.of(campaign, [], members, pointers=patterns)
        restored = facts.campaign(campaign.origin.path)
        present = [p for p, _ in _pointers(campaign.data) if any(_matches(p, pattern) for pattern in patterns)]
        # pointers the rules may name where nothing is: the allocation of the first dialing
        # mode given (CC603), which may have none
        modes = campaign.get("/channelSubtypeConfig/telephony/outboundMode") or {}
        missing = [f"/channelSubtypeConfig/telephony/outboundMode/{mode}/bandwidthAllocation" for mode in modes]
        assert present and len(facts.positions) <= 12
        for pointer in present + missing:
            assert restored.origin.locate(pointer) == campaign.origin.locate(pointer), pointer
