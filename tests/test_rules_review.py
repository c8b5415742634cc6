"""Regression tests from an adversarial review of issue 9 (rule fidelity): each test is built
from the reproducer of one defect found after the issue's work landed."""

from __future__ import annotations

import json

import pytest

from .conftest import lint_text

FULL = {"arn": "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c1", "name": "A",
        "connectInstanceId": "i-1"}
SCHEDULE = {"startTime": "2026-01-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"}


# --- update-campaign-* requests: only a file's own top-level object is one -----------------------

def test_a_campaign_in_a_list_missing_members_is_not_an_update_request(tmp_path):
    # The second item has only id and schedule, exactly the members of an
    # UpdateCampaignScheduleRequest; in a list of campaigns it is a campaign missing arn,
    # name and connectInstanceId, and must not escape the missing-field checks.
    campaigns = [{"id": "c1", **FULL, "schedule": SCHEDULE}, {"id": "c2", "schedule": SCHEDULE}]
    result = lint_text(tmp_path, json.dumps(campaigns), "campaigns.json")
    missing = sorted(f["message"].rsplit(" ", 1)[-1] for f in result.json()["findings"]
                     if f["rule"] == "CC102" and f["campaign"]["id"] == "c2")
    assert missing == ['"arn"', '"connectInstanceId"', '"name"'], result.out


def test_a_request_file_is_still_an_update_request(tmp_path):
    result = lint_text(tmp_path, json.dumps({"id": "c2", "schedule": SCHEDULE}), "update.json")
    assert result.rules() == [], result.out
