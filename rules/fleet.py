"""Cross-campaign rules: what campaigns of one instance do to each other.

These look at every campaign of a run together: all files of a ``check``, or
the whole account in an ``audit``. In an audit only campaigns whose state is
Running or Paused count as active; in files every campaign does (its state is
not known).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Callable, Iterable, Iterator

from campaign_lint.model import CHANNELS, as_number, as_str, quote
from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import whole_campaign

ACTIVE_STATES = frozenset({"Running", "Paused"})
DIALING_MODES = ("progressive", "predictive", "preview")


def active(campaigns: Iterable[Campaign]) -> list[Campaign]:
    """Campaigns that may be dialing; update requests are parts of campaigns, not campaigns."""
    return [c for c in campaigns if (c.state is None or c.state in ACTIVE_STATES)
            and whole_campaign(c)]


def _instance(campaign: Campaign) -> str | None:
    return as_str(campaign.data.get("connectInstanceId"))


_EMPTY: dict = {}


def _member(value: object, name: str) -> object:
    """``value[name]`` when ``value`` is an object (campaigns hold dicts: a concrete type
    check, not ``typing.Mapping``'s, which dominated these rules on 10,000 campaigns)."""
    return value.get(name) if isinstance(value, dict) else None


def _channels(campaign: Campaign) -> dict:
    configs = campaign.data.get("channelSubtypeConfig")
    return configs if isinstance(configs, dict) else _EMPTY


def _modes(campaign: Campaign) -> dict:
    modes = _member(_channels(campaign).get("telephony"), "outboundMode")
    return modes if isinstance(modes, dict) else _EMPTY


def _order(campaign: Campaign) -> tuple[str, str, str, str, str]:
    """The order of a group's campaigns, the first of which holds the group's finding: by
    label, ARN or id, then where each is (two campaigns named alike in two files), never by
    the order the run read them in."""
    ref, origin = campaign.ref, campaign.origin
    return (ref.label() or "", ref.arn or ref.id or "", origin.path or "", origin.document_pointer,
            origin.region or "")


def _oversubscribed(groups: dict, share: Callable[[Campaign, str], float], what: str,
                    pointer: Callable[[Campaign, str], str]) -> Iterator[Problem]:
    """One problem per ``(instance, key)`` group whose shares add up to more than 1: on the
    group's first campaign, naming every campaign with its share (the others are the
    problem's related places)."""
    for (instance, key), members in groups.items():
        if len(members) < 2:
            continue
        members = sorted(members, key=_order)
        shares = [share(c, key) for c in members]
        total = sum(shares)
        if total <= 1.0 + 1e-9:
            continue
        shown = _listed(list(zip(members, shares, strict=True)), lambda pair: f"{quote(pair[0].ref.label())} {pair[1]:g}")
        yield Problem(pointer(members[0], key), f"{what.format(key=key)} of {len(members)} active "
                      f"campaigns on instance {instance} adds up to {total:g} (> 1; AWS documents no "
                      f"arithmetic across campaigns): {shown}",
                      campaign=members[0], related=tuple((c, pointer(c, key)) for c in members[1:]))


def _listed(items: list, show: Callable[[Any], str], limit: int = 8) -> str:
    """``a, b, c`` with at most ``limit`` items shown (a group can hold hundreds: only the
    items shown are formatted)."""
    shown = ", ".join(show(item) for item in items[:limit])
    return shown if len(items) <= limit else shown + f" and {len(items) - limit} more"


@rule("CC601", "capacity-oversubscribed", "info", scope="run")
def capacity_oversubscribed(campaigns: list[Campaign], context: Context) -> Iterator[Problem]:
    """Active campaigns of one instance and channel allocate more than 1.0 capacity together.

    What AWS documents: capacity "allocates outbound capacity for the specific
    channel subtype of this campaign between multiple active campaigns"
    (0.01 to 1). How the service shares capacity when the campaigns' values add
    up to more than 1 is not documented. What has been observed from the
    service: no report yet.

    What this project decides: info. If the values were meant as shares of the
    instance, they cannot all be honoured, and a campaign counted on for a
    deadline may dial slower than planned; if the service scales them, nothing
    is wrong. Capacities outside the model's range are CC105's, and not added
    up here.

    Fails:

        - name: renewals
          connectInstanceId: instance-1
          channelSubtypeConfig: {telephony: {capacity: 0.7}}
        - name: collections
          connectInstanceId: instance-1
          channelSubtypeConfig: {telephony: {capacity: 0.6}}

    Passes:

        - name: renewals
          connectInstanceId: instance-1
          channelSubtypeConfig: {telephony: {capacity: 0.5}}
        - name: collections
          connectInstanceId: instance-1
          channelSubtypeConfig: {telephony: {capacity: 0.5}}
    """
    groups: dict = defaultdict(list)
    for campaign in active(campaigns):
        configs = _channels(campaign)
        for channel in CHANNELS:
            pointer = f"/channelSubtypeConfig/{channel}/capacity"
            if as_number(_member(configs.get(channel), "capacity")) is not None \
                    and not context.malformed(campaign, pointer):
                groups[(_instance(campaign), channel)].append(campaign)
    yield from _oversubscribed(
        groups, lambda c, channel: as_number(_member(_channels(c).get(channel), "capacity")),
        "{key} capacity", lambda c, channel: f"/channelSubtypeConfig/{channel}/capacity")


@rule("CC602", "duplicate-name", "warning", scope="run")
def duplicate_name(campaigns: list[Campaign], context: Context) -> Iterator[Problem]:
    """Two campaigns of one instance share a name.

    What AWS documents (botocore's service model): a name is 1-127 characters,
    with nothing requiring it to be unique; a campaign is identified by its id
    and ARN. What has been observed from the service: no report yet.

    What this project decides: a warning for two campaigns of one instance
    with the same name, among all campaigns of a run, whatever their state.
    Names are how agents, supervisors and reports tell campaigns apart: two
    "renewals" campaigns mean that someone will pause, edit or report on the
    wrong one.

    Fails:

        - {name: renewals, connectInstanceId: instance-1, id: c-1}
        - {name: renewals, connectInstanceId: instance-1, id: c-2}

    Passes:

        - {name: renewals-east, connectInstanceId: instance-1, id: c-1}
        - {name: renewals-west, connectInstanceId: instance-1, id: c-2}
    """
    groups: dict = defaultdict(list)
    for campaign in campaigns:
        name, instance = as_str(campaign.data.get("name")), _instance(campaign)
        if name and instance:
            groups[(instance, name)].append(campaign)
    for (instance, name), members in groups.items():
        if len(members) < 2:
            continue
        members = sorted(members, key=_order)
        where = _listed(members[1:], functools.partial(_place, pointer="/name", beside=_place(members[0], "/name")))
        yield Problem("/name", f"campaign name {quote(name)} is used by {len(members)} campaigns on "
                      f"instance {instance}: this one and {where}", campaign=members[0],
                      related=tuple((c, "/name") for c in members[1:]))


def _place(campaign: Campaign, pointer: str, beside: str | None = None) -> str:
    """Where a campaign is, for a message: ``file:line``, else its ARN or id; with its
    label when that place is ``beside`` (copies an Fn::ForEach loop makes share a line)."""
    if campaign.origin.path:
        line = (campaign.origin.locate(pointer) or (None,))[0]
        place = f"{campaign.origin.path}:{line}" if line else campaign.origin.path
        return f"{quote(campaign.ref.label() or 'a campaign')} ({place})" if place == beside else place
    return campaign.ref.arn or campaign.ref.id or "a campaign"


def _bandwidth(campaign: Campaign) -> float | None:
    modes = _modes(campaign)
    for mode in DIALING_MODES:
        value = as_number(_member(modes.get(mode), "bandwidthAllocation"))
        if value is not None:
            return value
    return None


def _bandwidth_pointer(campaign: Campaign) -> str:
    modes = _modes(campaign)
    mode = next((m for m in DIALING_MODES if m in modes), DIALING_MODES[0])
    return f"/channelSubtypeConfig/telephony/outboundMode/{mode}/bandwidthAllocation"


@rule("CC603", "queue-oversubscribed", "info", scope="run")
def queue_oversubscribed(campaigns: list[Campaign], context: Context) -> Iterator[Problem]:
    """Campaigns dialing into one queue allocate more than 1.0 bandwidth together.

    What AWS documents: bandwidthAllocation is "the bandwidth allocation of a
    queue resource"; nothing about how the allocations of several campaigns on
    one queue combine. botocore's model allows up to 2 for one campaign (since
    botocore 1.43), so a sum above 1 is not in itself a misconfiguration. What
    has been observed from the service: no report yet.

    What this project decides: info, worth a look. If the allocations were
    planned as shares of the queue's agents, together they ask for more than the
    queue has, and calls that no agent takes are abandoned; predictive pacing
    (pacingStrategies.abandonmentRate) is the documented control for that.

    Fails:

        - name: renewals
          connectInstanceId: instance-1
          channelSubtypeConfig:
            telephony:
              connectQueueId: queue-1
              outboundMode: {predictive: {bandwidthAllocation: 0.8}}
        - name: collections
          connectInstanceId: instance-1
          channelSubtypeConfig:
            telephony:
              connectQueueId: queue-1
              outboundMode: {progressive: {bandwidthAllocation: 0.4}}

    Passes:

        - name: renewals
          connectInstanceId: instance-1
          channelSubtypeConfig:
            telephony:
              connectQueueId: queue-1
              outboundMode: {predictive: {bandwidthAllocation: 0.6}}
        - name: collections
          connectInstanceId: instance-1
          channelSubtypeConfig:
            telephony:
              connectQueueId: queue-2
              outboundMode: {progressive: {bandwidthAllocation: 0.6}}
    """
    groups: dict = defaultdict(list)
    for campaign in active(campaigns):
        queue = as_str(_member(_channels(campaign).get("telephony"), "connectQueueId"))
        if queue and _bandwidth(campaign) is not None and not context.malformed(
                campaign, _bandwidth_pointer(campaign)):
            groups[(_instance(campaign), queue)].append(campaign)
    yield from _oversubscribed(groups, lambda c, queue: _bandwidth(c),
                               "bandwidthAllocation on queue {key}", lambda c, queue: _bandwidth_pointer(c))
