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

    What AWS documents (botocore's service model for ConnectCampaignsV2): the
    members of each shape. botocore's own parameter check refuses a member it
    does not know ("Unknown parameter in ...") before any request is sent. What
    has been observed from the service: no report yet.

    What this project decides: an error, as a misspelt member
    (``conectQueueId``) means the setting you meant is not set at all. The
    message suggests the closest known member.

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

    What AWS documents (botocore's service model): the members each shape
    requires, such as outboundMode and defaultOutboundConfig of telephony, or
    connectContactFlowId of defaultOutboundConfig. botocore refuses a request
    without one ("Missing required parameter") before sending it. What has been
    observed from the service: no report yet.

    What this project decides: an error. A campaign with ``id`` or ``arn`` is
    checked as the model's Campaign (describe output), one without as a
    CreateCampaignRequest, an update-campaign-* request file as its own request
    shape. The finding points at the object that lacks the member.

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

    What AWS documents (botocore's service model): each member's type (string,
    number, boolean, list, map or object). botocore refuses a value of another
    type ("Invalid type for parameter") before sending it. What has been
    observed from the service: no report yet.

    What this project decides: an error. A quoted number (``"0.5"``), a list
    where an object belongs, a string where true/false belongs are reported
    here, and other rules leave the value alone.

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

    What AWS documents (botocore's service model): the fixed lists (enums) of
    day names (``MONDAY``, not ``Monday``), campaign types, time zone detection
    methods, communication limit units, instanceLimitsHandling and the like.
    botocore does not check them before sending. What has been observed from
    the service: no report yet of its answer to a value outside a list.

    What this project decides: an error; a value the model does not list is
    not the setting you meant. The message suggests a close allowed value.

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

    What AWS documents (botocore's service model): the minimum and maximum of
    each number, e.g. capacity 0.01-1, bandwidthAllocation 0-2 (botocore
    1.44.8), ringTimeout 15-60, preview timeout 1-300 seconds, communication
    limit frequency 1-30. botocore checks only minimums before sending. What
    has been observed from the service: no report yet of its answer to a value
    above a maximum.

    What this project decides: an error on either side, with the bounds of the
    installed botocore's model (a new botocore brings new bounds with it). NaN
    and infinity are reported here too.

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

    What AWS documents (botocore's service model): length bounds of strings,
    lists and maps: a name 1-127 characters, ARNs 20-500, tag keys 1-128 and
    tag values up to 256, at most 2 communication limits. botocore checks only
    minimum lengths before sending. What has been observed from the service:
    no report yet of its answer to a value above a maximum.

    What this project decides: an error on either side. A value that breaks
    both a length and a pattern is one finding: this rule's when it is empty,
    CC107's otherwise.

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

    What AWS documents (botocore's service model): patterns for clock times
    (THH:MM, "Time in ISO 8601 format, e.g. T23:11"), dates (YYYY-MM-DD), ARNs
    (``arn:partition:service:region:account:resource``), durations, time zone
    names, email addresses and tag keys; schedule times are ISO 8601
    timestamps. botocore checks no pattern before sending. What has been
    observed from the service: no report yet.

    What this project decides: an error, and the whole value must match (the
    model's patterns carry no anchors). A startTime or endTime written without
    its T (``9:00``) gets a fix to ``T09:00``. A value of the right shape that
    is no real time or date is CC303's or CC306's.

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

    What AWS documents (botocore's service model): tagged unions, of which
    exactly one member is set: each channel's outbound mode (progressive,
    predictive, agentless or preview for telephony), the source (a segment or
    an event trigger), openHours, restrictedPeriods, the communication limits
    and a pacing strategy. botocore refuses none or several members before
    sending. What has been observed from the service: no report yet.

    What this project decides: an error. With none set the campaign has no
    mode; with several it is not clear which one was meant.

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

    What AWS documents (botocore's response parser, not a documentation page):
    when a tagged union in a response holds a member the installed model does
    not know (a new outbound mode, say), botocore returns it as
    ``{"SDK_UNKNOWN_MEMBER": {"name": "newMode"}}``. What has been observed
    from the service: no report yet.

    What this project decides: info. The campaign is probably fine, but
    campaign-lint cannot check what it cannot see: upgrade botocore, which
    brings the new model with it.

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
