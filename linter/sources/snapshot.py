"""Audit snapshots: the files ``audit --save DIR`` writes and ``check DIR`` reads.

A snapshot file is what three AWS CLI calls print, merged into one JSON object:
``describe-campaign`` (``campaign``), ``get-campaign-state`` (``state``) and
``get-instance-communication-limits`` for the campaign's instance
(``communicationLimitsConfig``), plus a ``campaignLintSnapshot`` marker. ``check``
reads the state and the instance limits back, so the cross-campaign rules and
CC501 see in the files what the audit saw in the account. ``--prune`` removes only
files that carry the marker and have exactly the name campaign-lint gives that
campaign. No boto3 here: ``check`` imports this module.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Iterable, Mapping

from ..model import resolve_pointer

#: format version of the marker; a file without it is never pruned
MARKER = "campaignLintSnapshot"
VERSION = 1
#: a snapshot larger than this is not ours (a campaign is a few KB)
MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def region_folder(folder: str, region: str) -> str:
    return os.path.join(folder, _UNSAFE.sub("-", region))


def save_path(folder: str, region: str, campaign: Mapping[str, Any]) -> str:
    """``folder/<region>/<name>-<id>.json``, every part reduced to safe characters."""
    name = _UNSAFE.sub("-", str(campaign.get("name") or "campaign")).strip("-")[:80] or "campaign"
    ident = _UNSAFE.sub("-", str(campaign.get("id") or "unknown"))
    return os.path.join(region_folder(folder, region), f"{name}-{ident}.json")


def snapshot_text(campaign: Mapping[str, Any], state: str | None, limits: tuple | None) -> str:
    """The file contents for one campaign; unknown state or limits are left out."""
    document: dict[str, Any] = {MARKER: VERSION, "campaign": campaign}
    if state is not None:
        document["state"] = state
    if limits is not None:
        document["communicationLimitsConfig"] = {
            "allChannelSubtypes": {"communicationLimitsList": list(limits)}}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: keep the escapes
        text = json.dumps(document, indent=2) + "\n"
    return text


def save_snapshot(folder: str, region: str, campaign: Mapping[str, Any], state: str | None,
                  limits: tuple | None) -> str:
    """Write one campaign's snapshot atomically; returns its path."""
    from ..atomic import write_atomic

    path = save_path(folder, region, campaign)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_atomic(path, snapshot_text(campaign, state, limits))
    return path


def recorded_context(document: Any, campaign_pointer: str) -> dict[str, Any]:
    """``state`` and ``instance_limits`` recorded beside a campaign found at
    ``campaign_pointer`` (``.../campaign``) of a parsed file, as keyword arguments for
    :class:`~campaign_lint.model.Campaign`; values that are not what the API returns
    are ignored (the campaign then counts as active, limits unknown)."""
    if not campaign_pointer.endswith("/campaign"):
        return {}
    container = resolve_pointer(document, campaign_pointer[:-len("/campaign")])
    if not isinstance(container, Mapping):
        return {}
    context: dict[str, Any] = {}
    state = container.get("state")
    if isinstance(state, str) and state in _states():
        context["state"] = state
    config = container.get("communicationLimitsConfig")
    if isinstance(config, Mapping):
        listed = (config.get("allChannelSubtypes") or {})
        listed = listed.get("communicationLimitsList") if isinstance(listed, Mapping) else None
        if listed is None or isinstance(listed, list):
            context["instance_limits"] = tuple(listed or ())
    return context


def _states() -> list[str]:
    from ..schema import service_model

    return service_model()["shapes"]["CampaignState"]["enum"]


def read_own_snapshot(path: str) -> Mapping[str, Any] | None:
    """The campaign of a snapshot file campaign-lint wrote, or None for any other file."""
    try:
        if os.path.getsize(path) > MAX_SNAPSHOT_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get(MARKER) != VERSION:
        return None
    campaign = document.get("campaign")
    if not isinstance(campaign, dict) or not isinstance(campaign.get("id"), str):
        return None
    return campaign


def prune(folder: str, region: str, listed: Iterable[str], written: Mapping[str, str],
          instance_ids: Iterable[str] = ()) -> list[str]:
    """Remove the snapshots of ``region`` whose campaign was not listed (deleted) or was
    written under another name this run (renamed). Only regular files campaign-lint
    wrote (marker, and exactly the name it would give that campaign) are touched; with
    ``instance_ids``, only campaigns of those instances. Returns the removed paths."""
    where = region_folder(folder, region)
    if os.path.islink(where) or not os.path.isdir(where):
        return []
    listed, instances = set(listed), set(instance_ids)
    removed = []
    with os.scandir(where) as entries:
        candidates = sorted(e.path for e in entries
                            if e.name.endswith(".json") and e.is_file(follow_symlinks=False))
    for path in candidates:
        campaign = read_own_snapshot(path)
        if campaign is None or save_path(folder, region, campaign) != path:
            continue
        if instances and str(campaign.get("connectInstanceId")) not in instances:
            continue
        ident = campaign["id"]
        if ident in listed and written.get(ident, path) == path:
            continue
        try:
            os.unlink(path)
        except OSError:
            continue
        removed.append(path)
    return removed
