"""Outbound calling: who dials, from which number, at what rate."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from campaign_lint.model import as_mapping, as_number, as_sequence, as_str, pointer_join, quote
from campaign_lint.rule import Campaign, Context, Problem, rule
from campaign_lint.verdicts import remembered

TELEPHONY = "/channelSubtypeConfig/telephony"
OUTBOUND = f"{TELEPHONY}/defaultOutboundConfig"
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
DIALING_MODES = ("progressive", "predictive", "preview")


@rule("CC201", "no-queue-or-source-phone", "error")
def no_queue_or_source_phone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Telephony has neither connectQueueId nor connectSourcePhoneNumber.

    The caller ID comes from the queue's outbound number, or else from
    defaultOutboundConfig.connectSourcePhoneNumber. What AWS documents (the
    model's QueueId): "If you specify a queue, the phone displayed for caller
    ID is the phone number specified in the queue ... If you do not specify a
    queue, you must specify a source phone number." What this project decides:
    an error, as the model says "must"; a telephony config without
    defaultOutboundConfig at all is CC102's finding, not this rule's.

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
    if not hasattr(telephony, "get") or not hasattr(telephony.get("defaultOutboundConfig"), "get"):
        return  # no defaultOutboundConfig is CC102's finding; null or a list is CC103's
    phone = as_str(as_mapping(telephony.get("defaultOutboundConfig")).get("connectSourcePhoneNumber"))
    queue = as_str(telephony.get("connectQueueId"))
    if not (queue or "").strip() and not (phone or "").strip():
        yield Problem(TELEPHONY, "telephony has neither connectQueueId nor "
                      "defaultOutboundConfig.connectSourcePhoneNumber; set one so calls have a caller ID")


@rule("CC203", "zero-bandwidth", "error")
def zero_bandwidth(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """bandwidthAllocation is 0: the outbound mode likely places no call.

    What AWS documents (botocore's service model): bandwidthAllocation is "The
    bandwidth allocation of a queue resource", from 0 to 2 (botocore 1.44.8).
    What a value means, and what 0 does, is not documented. What has been
    observed from the service: no report yet.

    What this project decides: an error. The model accepts 0, but a dialing
    mode given no bandwidth almost certainly places no call (unverified).

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
                          f"{mode} bandwidthAllocation is 0, which likely places no call (what 0 does "
                          "is undocumented); give it a share above 0")


@rule("CC202", "source-phone-not-e164", "error")
def source_phone_not_e164(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """connectSourcePhoneNumber is not a valid E.164 number.

    What AWS documents (botocore's service model): connectSourcePhoneNumber is
    "The phone number associated with the Amazon Connect instance, in E.164
    format". E.164 is a plus sign, the country code and the number, no spaces
    or punctuation (``+12125550123``). What has been observed from the service:
    no report yet of what it does with a national format (``212-555-0123``).

    What this project decides: an error for a number not in E.164 form (the
    message gives the E.164 form when the number is valid) and for one that is
    valid in no country. Validity is judged with Google's libphonenumber data
    (the phonenumbers package), which can lag behind newly issued ranges.

    Fails:

        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              connectSourcePhoneNumber: "+1 212 555 0123"

    Passes:

        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              connectSourcePhoneNumber: "+12125550123"
    """
    number = as_str(campaign.mapping(OUTBOUND).get("connectSourcePhoneNumber"))
    if not number:
        return
    problem = e164_problem(number)
    if problem:
        yield Problem(f"{OUTBOUND}/connectSourcePhoneNumber",
                      f"connectSourcePhoneNumber {quote(number)} {problem}")


@remembered("e164", library="phonenumbers")
def e164_problem(number: str) -> str | None:
    """Why ``number`` is not a valid E.164 number, or None when it is (remembered across
    runs: a repository's campaigns share a few caller ids, and phonenumbers costs a one-file
    run about 30 ms)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if not E164.fullmatch(number):
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return f"is not in E.164 form; write it as {e164}"
        return "is not in E.164 form (+, country code and number, digits only)"
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return "is not a valid phone number for any country"
    return None


@rule("CC204", "amd-prompt-without-amd", "warning")
def amd_prompt_without_amd(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """awaitAnswerMachinePrompt is on while answer machine detection is off.

    What AWS documents (botocore's service model): enableAnswerMachineDetection
    is "Enable or disable answering machine detection", awaitAnswerMachinePrompt
    "Enable or disable await answer machine prompt"; nothing says how the two
    combine. What has been observed from the service: no report yet.

    What this project decides: a warning. Waiting for an answering machine's
    prompt presumes that answering machines are detected: with detection off
    the setting most likely does nothing, and a message meant for after the
    beep may start over a greeting instead.

    Fails:

        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              answerMachineDetectionConfig:
                enableAnswerMachineDetection: false
                awaitAnswerMachinePrompt: true

    Passes:

        channelSubtypeConfig:
          telephony:
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              answerMachineDetectionConfig:
                enableAnswerMachineDetection: true
                awaitAnswerMachinePrompt: true
    """
    pointer = f"{OUTBOUND}/answerMachineDetectionConfig"
    config = campaign.mapping(pointer)
    if config.get("awaitAnswerMachinePrompt") is True and config.get("enableAnswerMachineDetection") is False:
        yield Problem(f"{pointer}/awaitAnswerMachinePrompt",
                      "awaitAnswerMachinePrompt is true but enableAnswerMachineDetection is false; "
                      "enable detection or drop the prompt setting")


def _modes(campaign: Campaign) -> Mapping[str, Any]:
    return campaign.mapping(f"{TELEPHONY}/outboundMode")


@rule("CC211", "ring-timeout-in-preview", "error")
def ring_timeout_in_preview(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """ringTimeout is set while the telephony outbound mode is preview.

    What AWS documents (CloudFormation, AWS::ConnectCampaignsV2::Campaign):
    "Configuring maximum ring time is not supported for the Preview dial mode."
    The API model accepts the combination. What this project decides: error,
    as documented; in preview mode the agent decides when to dial.

    Fails:

        channelSubtypeConfig:
          telephony:
            connectQueueId: q-1
            outboundMode:
              preview: {bandwidthAllocation: 1, timeoutConfig: {durationInSeconds: 30}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              ringTimeout: 30

    Passes:

        channelSubtypeConfig:
          telephony:
            connectQueueId: q-1
            outboundMode:
              preview: {bandwidthAllocation: 1, timeoutConfig: {durationInSeconds: 30}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
    """
    if "preview" in _modes(campaign) and campaign.mapping(OUTBOUND).get("ringTimeout") is not None:
        yield Problem(f"{OUTBOUND}/ringTimeout", "ringTimeout is not supported in preview mode "
                      "(AWS CloudFormation documentation); remove it")


@rule("CC212", "agent-mode-without-queue", "warning")
def agent_mode_without_queue(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A progressive, predictive or preview campaign has no connectQueueId.

    These modes connect answered calls to agents, and agents take contacts
    from a queue. What AWS documents: connectQueueId is optional, and "if you
    do not specify a queue, the queue defined in the contact flow is used"
    (the model's QueueId); bandwidthAllocation, which paces the dialer, is "the
    bandwidth allocation of a queue resource"; the set-up guide asks for "a
    dedicated outbound campaigns queue to handle any contacts that will be
    routed to agents". Which queue the dialer paces against when the campaign
    names none is not documented. What this project decides: a warning, so
    that the queue whose agents take the calls is named in the campaign rather
    than left to a flow; only agentless campaigns are left alone.

    Fails:

        channelSubtypeConfig:
          telephony:
            outboundMode: {progressive: {bandwidthAllocation: 1}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
              connectSourcePhoneNumber: "+12125550123"

    Passes:

        channelSubtypeConfig:
          telephony:
            connectQueueId: q-1
            outboundMode: {progressive: {bandwidthAllocation: 1}}
            defaultOutboundConfig:
              connectContactFlowId: 4b1a-flow
    """
    telephony = campaign.get(TELEPHONY)
    if not hasattr(telephony, "get") or (as_str(telephony.get("connectQueueId")) or "").strip() \
            or context.malformed(campaign, f"{TELEPHONY}/connectQueueId"):
        return  # a queue, or a connectQueueId of the wrong type (CC103)
    mode = next((mode for mode in DIALING_MODES if mode in _modes(campaign)), None)
    if mode is not None:
        yield Problem(TELEPHONY, f"telephony uses the {mode} mode, which connects answered calls "
                      "to agents, but has no connectQueueId; AWS documents only that the contact "
                      "flow's queue is then used, not which queue the dialer paces against: "
                      "set connectQueueId")


@rule("CC213", "abandonment-target-high", "warning", options={"max-rate": 0.03},
      option_ranges={"max-rate": (0, 1)})
def abandonment_target_high(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A predictive campaign's abandonment target rate is above 3%.

    What AWS documents (AbandonmentRatePacingConfig): the dialer "adjusts its
    dialing rate to keep the call abandonment rate at or below the target
    rate". The US
    Telemarketing Sales Rule's call abandonment safe harbour (16 CFR
    310.4(b)(4)(i); as summarised in this project's research notes of 2026-11,
    not re-read from the regulation here) requires abandoning no more than 3%
    of calls answered by a person, per campaign over 30 days. What this project
    decides: a warning above 3%; AWS documents no default target. Not legal
    advice: set ``max-rate`` to your own limit, as a fraction (0.05 for 5%).

    Fails:

        channelSubtypeConfig:
          telephony:
            connectQueueId: q-1
            outboundMode:
              predictive:
                bandwidthAllocation: 1
                pacingStrategies:
                  - abandonmentRate: {targetRate: 0.05, connectionStartPoint: GREETING_END, connectionThresholdSeconds: 2, evaluationWindow: PT24H}

    Passes:

        channelSubtypeConfig:
          telephony:
            connectQueueId: q-1
            outboundMode:
              predictive:
                bandwidthAllocation: 1
                pacingStrategies:
                  - abandonmentRate: {targetRate: 0.03, connectionStartPoint: GREETING_END, connectionThresholdSeconds: 2, evaluationWindow: PT24H}
    """
    limit = float(context.options["max-rate"])
    strategies = as_mapping(_modes(campaign).get("predictive")).get("pacingStrategies")
    for index, strategy in enumerate(as_sequence(strategies)):
        pointer = pointer_join(TELEPHONY, "outboundMode", "predictive", "pacingStrategies", index,
                               "abandonmentRate", "targetRate")
        rate = as_number(as_mapping(as_mapping(strategy).get("abandonmentRate")).get("targetRate"))
        if rate is not None and rate > limit and not context.malformed(campaign, pointer):
            whose = "the US TSR safe harbour" if limit == 0.03 else "your max-rate"
            yield Problem(pointer, f"abandonment targetRate {rate:g} ({rate * 100:g}%) is above "
                          f"{limit:g} ({limit * 100:g}%, {whose}); lower it")
