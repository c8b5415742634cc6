"""Suppressions are looked up by campaign and line: the same answers as trying every
directive, without trying every directive (quadratic when every campaign carries a tag)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint import suppress
from campaign_lint.model import Campaign, Finding, Origin, Severity
from campaign_lint.sources.parse import Comment
from campaign_lint.suppress import Suppressor

CAMPAIGNS = [Campaign({"name": f"c{i}", "tags": {suppress.TAG: code}}, Origin(path=f"f{i % 2}.yaml"))
             for i, code in enumerate(["CC301", "CC3", "CC301 CC501", "CC5"])]
PATHS = ["f0.yaml", "f1.yaml", None]
comments = st.lists(st.tuples(st.sampled_from(PATHS[:2]), st.integers(1, 5), st.booleans(),
                              st.sampled_from(["ignore CC301", "ignore CC3 why", "ignore-file CC501",
                                               "ignore", "ignore CC5, CC301"])), max_size=6)
findings = st.lists(st.tuples(st.sampled_from(["CC301", "CC302", "CC501", "CC001"]), st.sampled_from(PATHS),
                              st.integers(1, 6), st.sampled_from([None, *range(len(CAMPAIGNS))])), max_size=12)


def _brute_force(directives, finding, campaign):
    for directive in directives:
        code = directive.matches(finding, campaign)
        if code is not None:
            return directive, code
    return None


@settings(max_examples=150, deadline=None)
@given(comments, st.lists(st.sampled_from(range(len(CAMPAIGNS))), unique=True), findings)
def test_the_index_finds_what_trying_every_directive_finds(comment_specs, tagged, finding_specs):
    suppressor = Suppressor()
    for path, line, own_line, text in comment_specs:
        suppressor.add_comments(path, [Comment(line, 1, f"campaign-lint: {text}", own_line)])
    for index in tagged:
        suppressor.add_campaign(CAMPAIGNS[index])
    for rule, path, line, index in finding_specs:
        campaign = CAMPAIGNS[index] if index is not None else None
        finding = Finding(rule, "x", Severity.ERROR, "m", path=path, line=line)
        expected = _brute_force(suppressor.directives, finding, campaign)
        marked = suppressor.apply(finding, campaign)
        if expected is None or rule in suppress.UNSUPPRESSIBLE:
            assert marked.suppressed is None
        else:
            assert marked.suppressed == expected[0].reason


def test_marking_a_finding_does_not_look_at_other_campaigns_directives(monkeypatch):
    campaigns = [Campaign({"name": f"c{i}", "tags": {suppress.TAG: "CC301"}}, Origin(path=f"c{i}.json"))
                 for i in range(2000)]
    suppressor = Suppressor()
    for campaign in campaigns:
        suppressor.add_campaign(campaign)
    tried = 0
    original = suppress.Directive.matches

    def counting(self, finding, campaign):
        nonlocal tried
        tried += 1
        return original(self, finding, campaign)

    monkeypatch.setattr(suppress.Directive, "matches", counting)
    for campaign in campaigns:
        finding = Finding("CC301", "x", Severity.ERROR, "m", path=campaign.origin.path, line=3)
        assert suppressor.apply(finding, campaign).suppressed == f"campaign tag {suppress.TAG}"
    assert tried == len(campaigns)  # one candidate each, not 2000
