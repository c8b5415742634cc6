"""Communication limits: how often one recipient may be contacted."""

from __future__ import annotations

from typing import Iterator

from campaign_lint.model import as_mapping, as_number, as_sequence
from campaign_lint.rule import Campaign, Context, Problem, rule

LIMITS = "/communicationLimitsOverride"
LIMIT_LIST = f"{LIMITS}/allChannelSubtypes/communicationLimitsList"


@rule("CC501", "no-frequency-cap", "warning")
def no_frequency_cap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No communication limit applies to recipients.

    Without a communicationLimitsList and without instanceLimitsHandling OPT_IN
    (the instance's own limits), nothing stops the campaign from contacting the
    same person again and again. Harassment rules (Regulation F's 7-in-7 for
    US debt collection, Ofcom's persistent misuse policy) count contacts per
    person. In an account audit, OPT_IN only counts when the instance really has
    limits (GetInstanceCommunicationLimits).

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
    if override is not None and not hasattr(override, "get"):
        return  # wrong type: CC103
    override = as_mapping(override)
    if as_sequence(campaign.get(LIMIT_LIST)):
        return
    if override.get("instanceLimitsHandling") == "OPT_IN":
        if campaign.instance_limits is None or campaign.instance_limits:
            return  # capped by the instance's limits (unknown in files: trusted)
        yield Problem(f"{LIMITS}/instanceLimitsHandling",
                      "instanceLimitsHandling is OPT_IN but the instance has no communication "
                      "limits: recipients may be contacted without limit")
        return
    yield Problem(LIMITS if override else "",
                  "no communication limit applies: recipients may be contacted without limit; "
                  "add a communicationLimitsList or set instanceLimitsHandling to OPT_IN")


@rule("CC502", "duplicate-limit", "warning")
def duplicate_limit(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Two communication limits have the same frequency.

    Both apply to the same number of days, so the smaller count always wins and
    the other limit is dead. Usually one of them was meant for a longer span
    (1 per day and 3 per 7 days).

    Fails:

        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 1, frequency: 7, unit: DAY}
              - {maxCountPerRecipient: 3, frequency: 7, unit: DAY}

    Passes:

        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 1, frequency: 1, unit: DAY}
              - {maxCountPerRecipient: 3, frequency: 7, unit: DAY}
    """
    seen: dict[tuple, tuple[int, float]] = {}
    for index, item in enumerate(as_sequence(campaign.get(LIMIT_LIST))):
        item = as_mapping(item)
        frequency, count = as_number(item.get("frequency")), as_number(item.get("maxCountPerRecipient"))
        if frequency is None or count is None:
            continue
        key = (frequency, item.get("unit"))
        if key not in seen:
            seen[key] = (index, count)
            continue
        first_index, first_count = seen[key]
        dead = index if count >= first_count else first_index
        winner = min(count, first_count)
        yield Problem(f"{LIMIT_LIST}/{dead}",
                      f"two limits per {int(frequency)} {item.get('unit') or 'DAY'}(s): "
                      f"{int(winner)} contacts always wins, so limit #{dead + 1} does nothing")
        seen[key] = (index, winner) if dead == first_index else (first_index, winner)
