"""A campaign's suppression tag speaks for that campaign alone, also when one finding names
several campaigns (CC601 is one finding per instance)."""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES, TODAY, run_cli
from .fake_service import make_campaign

TEMPLATE = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())["campaign"]
TAG = {"campaign-lint:ignore": "CC601"}


def _lint(tmp_path, tagged: set[int]) -> dict:
    for index in range(3):
        item = make_campaign(index, template=TEMPLATE)
        item["channelSubtypeConfig"]["telephony"]["capacity"] = 0.6
        if index in tagged:
            item["tags"] = {**item.get("tags", {}), **TAG}
        (tmp_path / f"{index}.json").write_text(json.dumps({"campaign": item}))
    return run_cli("check", "--isolated", "--today", TODAY, "--format", "json", str(tmp_path)).json()


def _cc601(report: dict) -> dict:
    [finding] = [f for f in report["findings"] if f["rule"] == "CC601"]
    return finding


@pytest.mark.parametrize("tagged", [{0}, {1}, {0, 1}, {1, 2}])
def test_one_campaigns_tag_does_not_hide_a_finding_about_others(tmp_path, tagged):
    report = _lint(tmp_path, tagged)
    assert _cc601(report)["suppressed"] is None
    # the tags did match the finding: no "matches no finding, remove it" advice
    assert not [f for f in report["findings"] if f["rule"] == "CC011"]


def test_every_campaign_tagged_suppresses_the_finding(tmp_path):
    report = _lint(tmp_path, {0, 1, 2})
    assert _cc601(report)["suppressed"] == "campaign tag campaign-lint:ignore"
    assert not [f for f in report["findings"] if f["rule"] == "CC011"]
