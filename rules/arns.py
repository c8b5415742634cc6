"""ARNs: each must name the right kind of resource, in the campaign's partition and region."""

from __future__ import annotations

import re
from collections import Counter
from campaign_lint.record import record
from typing import Iterator

from campaign_lint.model import as_str, quote
from campaign_lint.rule import Campaign, Context, Problem, rule
from campaign_lint.schema import ARN_SHAPES

ARN = re.compile(r"arn:(?P<partition>[a-z0-9-]+):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
                 r"(?P<account>[0-9]*):(?P<resource>.+)")


@record(frozen=True)
class Expected:
    pointer: str
    what: str
    services: tuple[str, ...]
    resource: re.Pattern


def _expect(pointer: str, what: str, services: tuple[str, ...], resource: str) -> Expected:
    return Expected(pointer, what, services, re.compile(resource))


PHONE = r"phone-number/.+"
TEMPLATE = r"message-template/.+"
EXPECTED = [
    _expect("/arn", "an Amazon Connect campaign", ("connect-campaigns",), r"campaign/.+"),
    _expect("/connectCampaignFlowArn", "an Amazon Connect flow", ("connect",),
            r"instance/[^/]+/contact-flow/.+"),
    _expect("/source/customerProfilesSegmentArn", "a Customer Profiles segment", ("profile",),
            r"domains/[^/]+/segment-definitions/.+"),
    _expect("/source/eventTrigger/customerProfilesDomainArn", "a Customer Profiles domain",
            ("profile",), r"domains/[^/]+"),
    _expect("/channelSubtypeConfig/sms/defaultOutboundConfig/connectSourcePhoneNumberArn",
            "an Amazon Connect phone number", ("connect",), PHONE),
    _expect("/channelSubtypeConfig/whatsApp/defaultOutboundConfig/connectSourcePhoneNumberArn",
            "a phone number", ("connect", "social-messaging"), r"phone-number(-id)?/.+"),
] + [
    _expect(f"/channelSubtypeConfig/{channel}/defaultOutboundConfig/wisdomTemplateArn",
            "an Amazon Q in Connect (wisdom) message template", ("wisdom",), TEMPLATE)
    for channel in ("sms", "email", "whatsApp")
]


@rule("CC208", "arn-mismatch", "error")
def arn_mismatch(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """An ARN names the wrong kind of resource, or another partition or region.

    What AWS documents (botocore's service model): every ARN member a campaign
    refers to has the same Arn shape ("Amazon Resource Names(ARN)", a pattern
    that admits any service and resource), and the campaign's own arn is a
    CampaignArn of 20-500 characters with no pattern, so the model cannot tell
    a phone number from a message template. Member names say what is meant:
    wisdomTemplateArn a message template of Amazon Q in Connect (service
    ``wisdom``), connectSourcePhoneNumberArn a phone number,
    customerProfilesSegmentArn and customerProfilesDomainArn Customer Profiles
    resources. Whether the service takes a resource of another region is not
    documented. What has been observed from the service: no report yet.

    What this project decides: an error when an ARN's service or resource type
    is not the one its member names (the message shows the expected shape), or
    when its partition or region differs from the campaign's own: the one in
    the campaign's arn, else the one most of its ARNs use.

    Fails:

        channelSubtypeConfig:
          sms:
            outboundMode: {agentless: {}}
            defaultOutboundConfig:
              connectSourcePhoneNumberArn: arn:aws:connect:us-east-1:123456789012:phone-number/5e6f7a8b
              wisdomTemplateArn: arn:aws:connect:us-east-1:123456789012:phone-number/5e6f7a8b

    Fails:

        arn: arn:aws:connect-campaigns:us-east-1:123456789012:campaign/2f6d9c1e
        channelSubtypeConfig:
          sms:
            outboundMode: {agentless: {}}
            defaultOutboundConfig:
              connectSourcePhoneNumberArn: arn:aws:connect:eu-west-2:123456789012:phone-number/5e6f7a8b
              wisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/3c4d/7a8b

    Passes:

        arn: arn:aws:connect-campaigns:us-east-1:123456789012:campaign/2f6d9c1e
        channelSubtypeConfig:
          sms:
            outboundMode: {agentless: {}}
            defaultOutboundConfig:
              connectSourcePhoneNumberArn: arn:aws:connect:us-east-1:123456789012:phone-number/5e6f7a8b
              wisdomTemplateArn: arn:aws:wisdom:us-east-1:123456789012:message-template/3c4d/7a8b
    """
    found = []
    for expected in EXPECTED:
        text = as_str(campaign.get(expected.pointer))
        match = ARN.fullmatch(text) if text else None
        if match is None or context.malformed(campaign, expected.pointer):
            continue  # absent, an unknown value, or malformed (CC107)
        found.append((expected, match))
        if match["service"] not in expected.services or not expected.resource.fullmatch(match["resource"]):
            yield Problem(expected.pointer, f"{_name(expected)} {quote(text)} is not {expected.what} "
                          f"ARN; expected {ARN_SHAPES.get(_name(expected), 'service ' + ' or '.join(expected.services))}")
    home = _home(found)
    if home is None:
        return
    for expected, match in found:
        place = (match["partition"], match["region"])
        if place != home:
            yield Problem(expected.pointer, f"{_name(expected)} is in {match['partition']}/"
                          f"{match['region']} but the campaign is in {home[0]}/{home[1]}; "
                          "AWS does not document using another region's resource: use one in the "
                          "campaign's region")


def _name(expected: Expected) -> str:
    return expected.pointer.rsplit("/", 1)[1]


def _home(found: list) -> tuple[str, str] | None:
    """The campaign's partition and region: from its own ARN, else the clear majority."""
    for expected, match in found:
        if expected.pointer == "/arn":
            return match["partition"], match["region"]
    counts = Counter((m["partition"], m["region"]) for _, m in found).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]
