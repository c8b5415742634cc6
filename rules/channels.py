"""Channels: which channel subtypes the campaign uses, and their time windows."""

from __future__ import annotations

from typing import Iterator

from campaign_lint.model import CHANNELS
from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import whole_campaign

CONFIG = "/channelSubtypeConfig"


@rule("CC205", "no-channel", "error")
def no_channel(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No channel subtype is configured: the campaign can contact no one.

    channelSubtypeConfig needs at least one of telephony, sms, email or
    whatsApp. Without one the campaign starts, runs, and reaches nobody.

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
    config = campaign.get(CONFIG)
    if not whole_campaign(campaign) or (config is not None and not hasattr(config, "get")) or any(
            context.malformed(campaign, pointer)
            for pointer in (CONFIG, *(f"{CONFIG}/{channel}" for channel in CHANNELS))):
        return  # an update request of another part, or a wrong type (CC103: "telephony:" is null)
    if not any(True for _ in campaign.channel_configs()):
        pointer = CONFIG if config is not None else ""
        yield Problem(pointer, "no channel is configured (telephony, sms, email or whatsApp); "
                      "the campaign can contact no one")


@rule("CC206", "channel-without-window", "warning")
def channel_without_window(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A configured channel has no communication time window.

    Without a window in communicationTimeConfig, nothing limits the hours in
    which that channel contacts people: an SMS at 3 a.m. is as allowed as one at
    noon. Calling and texting laws such as the US TCPA and Canada's CRTC rules
    restrict hours.

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
    for channel, _ in campaign.channel_configs():
        if channel not in windows and not any(context.malformed(campaign, pointer) for pointer in (
                "/communicationTimeConfig", f"/communicationTimeConfig/{channel}")):
            yield Problem(f"{CONFIG}/{channel}",
                          f"{channel} is configured but communicationTimeConfig has no {channel} "
                          "window; it may contact people at any hour")


@rule("CC207", "window-without-channel", "info")
def window_without_channel(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A time window for a channel that is not configured.

    The window does nothing. Either the channel was removed and the window
    forgotten, or the channel you meant to restrict is configured under a
    different name.

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
    configured = {channel for channel, _ in campaign.channel_configs()}
    if not configured:
        return  # CC205 reports the real problem
    for channel, pointer, _ in campaign.time_windows():
        if channel not in configured:
            yield Problem(pointer, f"communicationTimeConfig has a {channel} window but {channel} "
                          "is not configured in channelSubtypeConfig; the window does nothing")

