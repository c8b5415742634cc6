"""Outbound calling: who dials, from which number, at what rate."""

from __future__ import annotations

from typing import Iterator

from linter.model import as_mapping, as_number, as_str, pointer_join
from linter.rule import Campaign, Context, Problem, rule

TELEPHONY = "/channelSubtypeConfig/telephony"
DIALING_MODES = ("progressive", "predictive", "preview")


@rule("CC201", "no-queue-or-source-phone", "error")
def no_queue_or_source_phone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Telephony has neither connectQueueId nor connectSourcePhoneNumber.

    Amazon Connect takes the caller ID from the queue's outbound number, or else
    from defaultOutboundConfig.connectSourcePhoneNumber. With neither, calls have
    no caller ID and the service refuses to place them (and many regulators
    forbid calls without a caller ID).

    Fails:

        channelSubtypeConfig:
          telephony:
            outboundMode: {agentless: {}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow

    Passes:

        channelSubtypeConfig:
          telephony:
            outboundMode: {agentless: {}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              connectSourcePhoneNumber: "+12125550123"
    """
    telephony = campaign.get(TELEPHONY)
    if telephony is None or not hasattr(telephony, "get"):
        return
    phone = as_str(as_mapping(telephony.get("defaultOutboundConfig")).get("connectSourcePhoneNumber"))
    queue = as_str(telephony.get("connectQueueId"))
    if not (queue or "").strip() and not (phone or "").strip():
        yield Problem(TELEPHONY, "telephony has neither connectQueueId nor "
                      "defaultOutboundConfig.connectSourcePhoneNumber; set one so calls have a caller ID")


@rule("CC203", "zero-bandwidth", "error")
def zero_bandwidth(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """bandwidthAllocation is 0: the outbound mode never dials.

    bandwidthAllocation is the share of the queue's agents the campaign may
    use. At 0 the campaign is accepted and started, and then places no call.

    Fails:

        channelSubtypeConfig:
          telephony:
            outboundMode:
              progressive: {bandwidthAllocation: 0}

    Passes:

        channelSubtypeConfig:
          telephony:
            outboundMode:
              progressive: {bandwidthAllocation: 0.4}
    """
    modes = campaign.mapping(f"{TELEPHONY}/outboundMode")
    for mode in DIALING_MODES:
        bandwidth = as_number(as_mapping(modes.get(mode)).get("bandwidthAllocation"))
        if bandwidth == 0:
            yield Problem(pointer_join(TELEPHONY, "outboundMode", mode, "bandwidthAllocation"),
                          f"{mode} bandwidthAllocation is 0, so the campaign never dials; "
                          "give it a share above 0")
