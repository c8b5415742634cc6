"""Structure: what botocore's service model says a campaign may hold.

The engine converts the model's ``Campaign`` shape (or ``CreateCampaignRequest``
for a campaign without id/arn) into JSON Schema and validates once per campaign;
each rule here reports one kind of defect. A new botocore brings new fields and
limits with it: nothing is copied by hand.
"""

from __future__ import annotations

from typing import Iterator

import re

from campaign_lint.rule import Campaign, Context, Fix, Problem, rule

_CLOCK_WITHOUT_T = re.compile(r"(\d{1,2}):(\d{2})")


def _structural(campaign: Campaign, context: Context, kind: str) -> Iterator[Problem]:
    for error in context.structure(campaign):
        if error.kind == kind:
            yield Problem(error.pointer, error.message, at_key=error.at_key,
                          fix=_clock_fix(campaign, error.pointer))


def _clock_fix(campaign: Campaign, pointer: str) -> Fix | None:
    """``08:00`` -> ``T08:00`` for a startTime or endTime written without its T (also YAML's
    ``9:00``, which YAML 1.1 reads as the number 540)."""
    if not pointer.endswith(("/startTime", "/endTime")):
        return None
    value, source = campaign.get(pointer), None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60:
        hours, minutes = divmod(value, 60)
        value, source = f"{hours}:{minutes:02d}", rf"0*{hours}:0?{minutes}" if minutes < 10 else rf"0*{hours}:{minutes}"
    match = _CLOCK_WITHOUT_T.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 24 or int(match.group(2)) > 59:
        return None
    fixed = f"T{int(match.group(1)):02d}:{match.group(2)}"
    return Fix(fixed, title=f"write {fixed}", source=source)


@rule("CC101", "unknown-field", "error")
def unknown_field(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A member the service model does not know.

    The API rejects unknown members, and a misspelt one (``conectQueueId``)
    means the setting you meant is not set at all. The message suggests the
    closest known member.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            conectQueueId: 7d3e-queue

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            connectQueueId: 7d3e-queue
    """
    return _structural(campaign, context, "unknown-field")


@rule("CC102", "missing-field", "error")
def missing_field(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A member the service model requires is absent.

    CreateCampaign fails at deploy time. The finding points at the object that
    lacks the member.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            outboundMode:
              agentless: {}

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            outboundMode:
              agentless: {}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
    """
    return _structural(campaign, context, "missing-field")


@rule("CC103", "wrong-type", "error")
def wrong_type(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A value of the wrong JSON type.

    A quoted number (``"0.5"``), a list where an object belongs, a string where
    true/false belongs: the API rejects them, and other rules cannot read them.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            capacity: "0.5"

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            capacity: 0.5
    """
    return _structural(campaign, context, "wrong-type")


@rule("CC104", "not-allowed-value", "error")
def not_allowed_value(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A value outside the model's list of allowed values.

    Day names (``MONDAY``, not ``Monday``), campaign types, time zone detection
    methods, communication limit units and the like come from fixed lists.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [POSTCODE]

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
    """
    return _structural(campaign, context, "not-allowed-value")


@rule("CC105", "out-of-range", "error")
def out_of_range(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A number outside the model's minimum and maximum.

    Capacity, bandwidth allocation, ring timeout, preview timeout, communication
    limits: the service enforces the model's bounds.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              ringTimeout: 5

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              ringTimeout: 30
    """
    return _structural(campaign, context, "out-of-range")


@rule("CC106", "bad-length", "error")
def bad_length(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A string or list shorter or longer than the model allows.

    Campaign names, ARNs, tag keys and values, and the communication limits
    list all have length bounds.

    Fails:

        name: ""
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
    """
    return _structural(campaign, context, "bad-length")


@rule("CC107", "bad-format", "error")
def bad_format(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A string that does not match the model's pattern.

    Clock times are ``THH:MM`` (``T09:00``, not ``9:00``), dates ``YYYY-MM-DD``,
    ARNs ``arn:partition:service:region:account:resource``, schedule times ISO
    8601 timestamps. The whole value must match.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: America/New_York}
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: "9:00", endTime: "17:00"}]

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: America/New_York}
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T17:00}]
    """
    return _structural(campaign, context, "bad-format")


@rule("CC108", "union-conflict", "error")
def union_conflict(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A tagged union with none or several of its members set.

    An outbound mode is exactly one of progressive, predictive, agentless or
    preview; a source is a segment or an event trigger. Two set at once is
    rejected, and none set means the campaign has no mode.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            outboundMode:
              progressive: {bandwidthAllocation: 0.5}
              predictive: {bandwidthAllocation: 0.5}

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          telephony:
            outboundMode:
              progressive: {bandwidthAllocation: 0.5}
    """
    return _structural(campaign, context, "union-conflict")


@rule("CC109", "sdk-unknown-member", "info")
def sdk_unknown_member(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A tagged union holds a member that the installed botocore does not know.

    When AWS adds a new option (a new outbound mode, say), an older botocore
    returns it as ``{"SDK_UNKNOWN_MEMBER": {"name": "newMode"}}``. The campaign
    is probably fine, but campaign-lint cannot check what it cannot see: upgrade
    botocore, which brings the new model with it.

    Fails:

        channelSubtypeConfig:
          telephony:
            outboundMode:
              SDK_UNKNOWN_MEMBER: {name: conversational}

    Passes:

        channelSubtypeConfig:
          telephony:
            outboundMode:
              agentless: {}
    """
    return _structural(campaign, context, "sdk-unknown-member")
