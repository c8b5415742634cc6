"""Communication limits: how often one recipient may be contacted."""

from __future__ import annotations

import math
from typing import Iterator

from campaign_lint.model import as_mapping, as_number, as_sequence
from campaign_lint.rule import Campaign, Context, Problem, Severity, rule

from ._values import whole_campaign

LIMITS = "/communicationLimitsOverride"
LIMIT_LIST = f"{LIMITS}/allChannelSubtypes/communicationLimitsList"


@rule("CC501", "no-frequency-cap", "warning")
def no_frequency_cap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No communication limit is known to apply to recipients.

    What AWS documents (CommunicationLimitsConfig): communicationLimitsList
    caps contacts per recipient, and instanceLimitsHandling is "Opt-in or
    Opt-out from instance-level limits"; its default when absent is not
    documented. Harassment rules count contacts per person (Regulation F's
    7-in-7 for US debt collection, 12 CFR 1006.14(b)(2); citation verified
    in this project's research notes, 2026-11; not legal advice).

    What this project decides: a warning only when the campaign explicitly
    opts out of the instance's limits (``OPT_OUT``) and sets no list of its
    own: then nothing caps contacts. With instanceLimitsHandling absent and no
    list, an info: whether the instance's limits apply is undocumented. In an
    account audit the instance's own limits (GetInstanceCommunicationLimits)
    decide: OPT_IN counts only when the instance really has limits, and an
    absent instanceLimitsHandling is a warning when the instance has none
    (nothing caps contacts, whatever the default). ``OPT_IN`` in a file is
    trusted.

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationLimitsOverride:
          instanceLimitsHandling: OPT_OUT

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 3, frequency: 7, unit: DAY}
    """
    override = campaign.get(LIMITS)
    if not whole_campaign(campaign) and override is None:
        return  # an update request of another part of the campaign
    if (override is not None and not hasattr(override, "get")) or any(
            context.malformed(campaign, pointer)
            for pointer in (LIMITS, f"{LIMITS}/allChannelSubtypes", LIMIT_LIST)):
        return  # wrong type, null included: CC103
    override = as_mapping(override)
    if as_sequence(campaign.get(LIMIT_LIST)):
        return
    listed = campaign.get(LIMIT_LIST)
    none = ("communicationLimitsList is empty" if isinstance(listed, (list, tuple))
            else "no communicationLimitsList")
    handling = override.get("instanceLimitsHandling")
    if handling == "OPT_IN":
        if campaign.instance_limits is None or campaign.instance_limits:
            return  # capped by the instance's limits (unknown in files: trusted)
        yield Problem(f"{LIMITS}/instanceLimitsHandling",
                      "instanceLimitsHandling is OPT_IN but the instance has no communication "
                      "limits: recipients may be contacted without limit")
    elif handling == "OPT_OUT":
        yield Problem(f"{LIMITS}/instanceLimitsHandling",
                      f"instanceLimitsHandling is OPT_OUT and {none.replace('no ', 'there is no ')}: "
                      "recipients may be contacted without limit; add a list or opt in to the "
                      "instance's limits")
    elif handling is None and campaign.instance_limits is not None and not campaign.instance_limits:
        yield Problem(LIMITS if override else "",
                      f"{none}, and the instance has no communication limits: "
                      "recipients may be contacted without limit, whatever instanceLimitsHandling "
                      "defaults to; add a communicationLimitsList")
    elif handling is None:
        yield Problem(LIMITS if override else "",
                      f"{none}, and instanceLimitsHandling is not set: AWS "
                      "documents no default for it, so whether the instance's limits apply is "
                      "unknown; set instanceLimitsHandling: OPT_IN or add a communicationLimitsList",
                      severity=Severity.INFO)


@rule("CC502", "duplicate-limit", "warning")
def duplicate_limit(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A communication limit that another limit makes dead (dominated).

    A limit of N contacts per F days never applies when another limit already
    keeps every F days at N or fewer: 3 per 7 days keeps every single day at 3
    or fewer, so 5 per 1 day does nothing; 1 per day keeps every 7 days at 7 or
    fewer, so 8 per 7 days does nothing; so does a second limit for the same
    span with a higher count. Usually the dead limit was meant for another span
    (1 per day and 3 per 7 days).

    What AWS documents: a recipient is skipped once any of the limits is
    reached (admin guide, "Create an outbound campaign"), so only the tightest
    limits matter; ``frequency`` is "the number of days to consider" and
    ``maxCountPerRecipient`` the contacts allowed "within the given frequency"
    (botocore 1.44.8's service model). Whether a day is a calendar day or 24
    hours, and on whose clock, is not documented. What has been observed from
    the service: no report yet.

    What this project decides: a DAY is a calendar day, as CC704 reads it, and
    a limit of N per F days holds on any F consecutive days. Then C per G days
    allows at most C x ceil(F / G) in any F days (the F days split into
    ceil(F / G) runs of at most G days; C on every G-th day reaches it), and N
    per F days is dead when that is N or fewer. Read as rolling 24-hour spans
    the bound is the same, by the same split, so the finding holds under either
    reading. Only counts that restart every F days (fixed blocks, which "the
    number of days to consider" does not suggest) would differ: then 1 per 3
    days would not make 1 per 2 days dead. A dead limit is a warning.

    Fails:

        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 3, frequency: 7, unit: DAY}
              - {maxCountPerRecipient: 5, frequency: 1, unit: DAY}

    Passes:

        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 1, frequency: 1, unit: DAY}
              - {maxCountPerRecipient: 3, frequency: 7, unit: DAY}
    """
    limits = [(index, limit) for index, item in enumerate(as_sequence(campaign.get(LIMIT_LIST)))
              if (limit := _limit(item)) is not None and not any(
                  context.malformed(campaign, f"{LIMIT_LIST}/{index}/{member}")
                  for member in ("maxCountPerRecipient", "frequency"))]  # out of range: CC105
    for index, (count, frequency, unit) in limits:
        for other, (other_count, other_frequency, other_unit) in limits:
            if other == index or other_unit != unit:
                continue
            most = other_count * -(-frequency // other_frequency)  # exact for any int
            same = (other_count, other_frequency) == (count, frequency)
            if most <= count and (not same or other < index):
                yield Problem(f"{LIMIT_LIST}/{index}",
                              f"limit #{index + 1} ({_text(count, frequency, unit)}) never applies: "
                              f"limit #{other + 1} ({_text(other_count, other_frequency, other_unit)}) "
                              f"already allows at most {most} in any {_text(None, frequency, unit)}; "
                              "remove it or change its span or count")
                break


def _limit(item: object) -> tuple[int, int, str] | None:
    """``(count, frequency, unit)`` of a well-formed limit; None for anything else
    (wrong types, NaN, infinities and fractions are the structural rules' findings)."""
    item = as_mapping(item)
    count, frequency = as_number(item.get("maxCountPerRecipient")), as_number(item.get("frequency"))
    unit = item.get("unit", "DAY")
    if not isinstance(unit, str) or not all(_whole(n) for n in (count, frequency)):
        return None
    return int(count), int(frequency), unit


def _whole(number: float | None) -> bool:
    if isinstance(number, int):  # math.isfinite fails on a 400-digit integer
        return number > 0
    return number is not None and math.isfinite(number) and number == int(number) and number > 0


def _text(count: int | None, frequency: int, unit: str) -> str:
    span = f"{frequency} {unit}{'S' if frequency != 1 else ''}"
    return span if count is None else f"{count} per {span}"
