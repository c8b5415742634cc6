"""Channels: which channel subtypes the campaign uses, and their time windows."""

from __future__ import annotations

from typing import Iterator

from campaign_lint.model import CHANNELS
from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import configured_channels, whole_campaign

CONFIG = "/channelSubtypeConfig"


@rule("CC205", "no-channel", "error")
def no_channel(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No channel subtype is configured: nothing says how to contact anyone.

    What AWS documents (botocore's service model): channelSubtypeConfig holds
    telephony, sms, email and whatsApp, each optional, and CreateCampaign does
    not require channelSubtypeConfig itself (botocore 1.44.8); CloudFormation's
    resource schema asks for at least one channel when the property is given.
    What a campaign without a channel does is not documented. What has been
    observed from the service: no report yet.

    What this project decides: an error for a campaign file, described campaign
    or template without any channel, as nothing in it says how (by which
    channel, from which number or address) to contact anyone. An update-campaign-*
    request of another part of the campaign is left alone.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig: {}

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        channelSubtypeConfig:
          email:
            outboundMode: {agentless: {}}
    """
    if any(True for _ in configured_channels(campaign, context)):
        return  # most campaigns: nothing more to read
    config = campaign.get(CONFIG)
    if not whole_campaign(campaign) or (config is not None and not hasattr(config, "get")) or any(
            context.malformed(campaign, pointer)
            for pointer in (CONFIG, *(f"{CONFIG}/{channel}" for channel in CHANNELS))):
        return  # an update request of another part, or a wrong type (CC103: "telephony:" is null)
    pointer = CONFIG if config is not None else ""
    yield Problem(pointer, "no channel is configured (telephony, sms, email or whatsApp), so nothing "
                  "says how to contact anyone; add the channel the campaign is for")


@rule("CC206", "channel-without-window", "warning")
def channel_without_window(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A configured channel has no communication time window.

    What AWS documents (CommunicationTimeConfig, API reference and model):
    localTimeZoneConfig is required and each channel's time window is optional;
    no default hours are documented, so without a window nothing documented
    limits the hours in which that channel contacts people.

    What has been observed from the service: no test of it yet. (One production
    team reads the documentation the same way, "zero quiet-hours enforcement":
    a reading, not an observation.)

    What the law says: calling laws restrict hours, e.g. the US TCPA rule
    (47 CFR 64.1200(c)(1): no telephone solicitation before 8 a.m. or after
    9 p.m. at the called party's location) and Canada's CRTC Telemarketing
    Rules (weekdays 9 a.m.-9:30 p.m., weekends 10 a.m.-6 p.m.), as quoted in
    the us-tcpa and ca-crtc policy packs, last checked 2026-11-28 through
    secondary sources. Not legal advice.

    What this project decides: a warning for every channel, whatever its
    audience. Whether the hours themselves are lawful is CC701's, when a policy
    pack is selected. A channel whose settings are not known here (a template's
    ``Sms: !GetAtt ...``, a Terraform expression) is configured like any other:
    the finding depends only on its being there. A window not known here is a
    window: nothing is said about that channel.

    Fails:

        channelSubtypeConfig:
          sms:
            outboundMode: {agentless: {}}
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: Europe/London}

    Passes:

        channelSubtypeConfig:
          sms:
            outboundMode: {agentless: {}}
        communicationTimeConfig:
          localTimeZoneConfig: {defaultTimeZone: Europe/London}
          sms:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T20:00}]
    """
    if not whole_campaign(campaign):
        return  # an update request carries channels or windows, never both
    windows = {channel for channel, _, _ in campaign.time_windows()}
    for channel in configured_channels(campaign, context):
        if channel not in windows and not any(context.malformed(campaign, pointer) for pointer in (
                "/communicationTimeConfig", f"/communicationTimeConfig/{channel}")):
            yield Problem(f"{CONFIG}/{channel}",
                          f"{channel} is configured but communicationTimeConfig has no {channel} "
                          "window; it may contact people at any hour")


@rule("CC207", "window-without-channel", "info")
def window_without_channel(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A time window for a channel that is not configured.

    What AWS documents (botocore's service model): communicationTimeConfig and
    channelSubtypeConfig name their channels independently; what a window for a
    channel that is not configured does is not documented. What has been
    observed from the service: no report yet.

    What this project decides: info. The window most likely does nothing:
    either the channel was removed and the window forgotten, or the channel you
    meant to restrict is configured under a different name. A campaign with no
    channel at all is CC205's.

    Fails:

        channelSubtypeConfig:
          telephony:
            outboundMode: {agentless: {}}
        communicationTimeConfig:
          telephony:
            openHours: {dailyHours: {MONDAY: [{startTime: T09:00, endTime: T17:00}]}}
          email:
            openHours: {dailyHours: {MONDAY: [{startTime: T09:00, endTime: T17:00}]}}

    Passes:

        channelSubtypeConfig:
          telephony:
            outboundMode: {agentless: {}}
        communicationTimeConfig:
          telephony:
            openHours: {dailyHours: {MONDAY: [{startTime: T09:00, endTime: T17:00}]}}
    """
    configured = set(configured_channels(campaign, context))  # settings not known here too
    if not configured:
        return  # CC205 reports the real problem
    for channel, pointer, _ in campaign.time_windows():
        if channel not in configured:
            yield Problem(pointer, f"communicationTimeConfig has a {channel} window but {channel} "
                          "is not configured in channelSubtypeConfig; the window does nothing")

