"""The campaign as a whole: who owns it in the console, its flow, its source."""

from __future__ import annotations

import re
from typing import Iterator

from campaign_lint.model import as_mapping, as_str, is_unknown, quote
from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import whole_campaign

OWNER_ARN = re.compile(r"arn:[a-z0-9-]+:connect:[a-z0-9-]+:\d{12}:instance/(?P<instance>[^/]+)")


@rule("CC209", "no-owner-tag", "info")
def no_owner_tag(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No owner tag with the ARN of the campaign's Connect instance.

    What AWS documents (CloudFormation, AWS::ConnectCampaignsV2::Campaign): a
    campaign created through the API needs the tag
    ``owner: arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID`` to be viewed
    and edited in the Amazon Connect console. What has been observed: without
    it the console gets an access error on DescribeCampaign (one production
    team's report). What this project decides: info, since a campaign managed
    only as code may not need the console; an owner tag naming another
    instance than connectInstanceId is reported too.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        tags: {team: collections}

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        tags:
          owner: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """
    if not whole_campaign(campaign):
        return
    tags = campaign.get("/tags")
    if (tags is not None and not hasattr(tags, "get")) or any(
            context.malformed(campaign, pointer) for pointer in ("/tags", "/tags/owner")):
        return  # wrong type, null included: CC103
    owner = as_mapping(tags).get("owner")
    instance = as_str(campaign.get("/connectInstanceId"))
    if context.malformed(campaign, "/connectInstanceId") or is_unknown(instance):
        instance = None  # CC106/CC107 report it, or a template's parameter: none to compare with
    example = f"arn:aws:connect:REGION:ACCOUNT:instance/{instance or 'INSTANCE_ID'}"
    if owner is None:
        yield Problem("/tags" if tags is not None else "",
                      f"no owner tag: the Amazon Connect console cannot show or edit this campaign; "
                      f"add the tag owner = {example}")
        return
    match = OWNER_ARN.fullmatch(owner) if isinstance(owner, str) else None
    if match is None:
        yield Problem("/tags/owner", f"owner tag {quote(owner)} is not an Amazon Connect instance "
                      f"ARN; the console expects {example}")
    elif instance and match["instance"] != instance and not instance.endswith(f"/{match['instance']}"):
        yield Problem("/tags/owner", f"owner tag names instance {match['instance']} but the campaign "
                      f"runs on {instance}; the console of that instance will not show it")


@rule("CC210", "no-campaign-flow", "info")
def no_campaign_flow(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A MANAGED campaign without connectCampaignFlowArn.

    What AWS documents (admin guide, "Create an outbound campaign using the API
    or CLI"): "The versioned flow ARN is required when creating a campaign";
    the API model makes the member optional. What has been observed:
    StartCampaign failing with "Missing required campaign parameter Campaign
    Flow". What this project decides: info for campaigns of type MANAGED and
    for campaigns that do not state a type; JOURNEY campaigns are driven by a
    journey and are left alone.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        type: MANAGED

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        type: MANAGED
        connectCampaignFlowArn: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e/contact-flow/4b1a:3
    """
    if not whole_campaign(campaign) or campaign.get("/type") not in ("MANAGED", None):
        return
    if campaign.get("/connectCampaignFlowArn") is None and not context.malformed(
            campaign, "/connectCampaignFlowArn"):  # an empty, null or malformed one is CC1xx's
        yield Problem("/type" if campaign.get("/type") else "",
                      "no connectCampaignFlowArn: the admin guide says the versioned campaign "
                      "flow ARN is required when creating a campaign, and StartCampaign has been "
                      "seen failing without it")


@rule("CC215", "event-trigger-with-time-window", "info")
def event_trigger_with_time_window(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """An eventTrigger source together with communicationTimeConfig.

    What AWS documents: nothing either way. What has been observed: one
    production team reports that "eventTrigger campaigns don't allow
    communicationTimeConfig" (unverified here). What this project decides:
    info, so that the combination is tried in a test account before it is
    relied on: if the service drops or rejects the windows, event-triggered
    contacts are not held to the hours you set.

    Fails:

        source:
          eventTrigger:
            customerProfilesDomainArn: arn:aws:profile:us-east-1:123456789012:domains/clinic
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: America/Chicago}

    Passes:

        source:
          customerProfilesSegmentArn: arn:aws:profile:us-east-1:123456789012:domains/clinic/segment-definitions/due
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: America/Chicago}
    """
    if "eventTrigger" in campaign.mapping("/source") and campaign.get("/communicationTimeConfig"):
        yield Problem("/source/eventTrigger",
                      "an eventTrigger source with communicationTimeConfig: reported rejected by "
                      "the service in the field (unverified); check that the windows are kept")
