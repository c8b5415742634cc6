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

import contextlib
import errno
import json
import os
import re
import stat
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


def file_name(campaign: Mapping[str, Any]) -> str:
    """``<name>-<id>.json``: the name reduced to safe characters, the id percent-encoded
    (ids may hold ``/`` and ``:``; two ids must never share a file)."""
    from urllib.parse import quote  # not at the top: check imports this module

    name = _UNSAFE.sub("-", str(campaign.get("name") or "campaign")).strip("-")[:80] or "campaign"
    ident = quote(str(campaign.get("id") or "unknown"), safe="-._", errors="surrogatepass")
    return f"{name}-{ident}.json"


def save_path(folder: str, region: str, campaign: Mapping[str, Any]) -> str:
    """``folder/<region>/<name>-<id>.json``."""
    return os.path.join(region_folder(folder, region), file_name(campaign))


def _open_region_folder(folder: str, region: str, create: bool) -> int:
    """A descriptor of ``folder/<region>``, opened without following a symbolic link there
    (DIR may be a repository a stranger could add a link to), so that every later step
    works in that very folder even if its name is swapped meanwhile."""
    top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    name = os.path.basename(region_folder(folder, region))
    try:
        if create:
            try:
                os.mkdir(name, dir_fd=top)
            except FileExistsError:
                pass
        try:
            return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
        except OSError as error:
            if os.path.islink(region_folder(folder, region)):
                raise OSError(errno.ELOOP, f"{region_folder(folder, region)} is a symbolic link: "
                              "snapshots are never written or removed through one") from None
            raise error
    finally:
        os.close(top)


def _write_in(folder_fd: int, name: str, text: str, old: os.stat_result | None) -> None:
    """Write ``name`` in the folder atomically (a temporary file, then a rename), with the
    old file's permissions, or those a plain ``open()`` gives a new one."""
    import secrets

    temp = f".campaign-lint-{secrets.token_hex(8)}.tmp"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666,
                     dir_fd=folder_fd)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            if old is not None:
                os.fchmod(stream.fileno(), stat.S_IMODE(old.st_mode))
            os.fsync(stream.fileno())
        os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder_fd)
        raise


def snapshot_text(campaign: Mapping[str, Any], state: str | None, limits: tuple | None) -> str:
    """The file contents for one campaign; unknown state or limits are left out."""
    document: dict[str, Any] = {MARKER: VERSION, "campaign": campaign}
    if state is not None:
        document["state"] = state
    if limits is not None:
        document["communicationLimitsConfig"] = {
            "allChannelSubtypes": {"communicationLimitsList": list(limits)}}
    try:
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError:  # check could not read the file back (not JSON): refuse, say why
        raise ValueError("it holds NaN or Infinity, which a JSON file cannot hold") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: keep the escapes
        text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    return text


def save_snapshot(folder: str, region: str, campaign: Mapping[str, Any], state: str | None,
                  limits: tuple | None) -> str:
    """Write one campaign's snapshot atomically into ``folder/<region>/``; returns its path."""
    name, text = file_name(campaign), snapshot_text(campaign, state, limits)
    folder_fd = _open_region_folder(folder, region, create=True)
    try:
        try:
            old = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        except FileNotFoundError:
            old = None
        if old is None or stat.S_ISREG(old.st_mode):
            _write_in(folder_fd, name, text, old)
            return save_path(folder, region, campaign)
    finally:
        os.close(folder_fd)
    from ..atomic import write_atomic  # a link the user put there is followed, as for --output

    path = save_path(folder, region, campaign)
    _refuse_link_out(path, folder)
    write_atomic(path, text)
    return path


def _refuse_link_out(path: str, folder: str) -> None:
    """A snapshot link is followed only to a file inside the repository that holds ``folder``
    (``folder`` itself when there is none): snapshots live in git, where a pull request can
    turn one into a link to any file of the machine the next audit runs on."""
    from .ignore import repository_root

    from ..config import leads_out

    boundary = os.path.realpath(repository_root(folder) or folder)
    if leads_out(path, boundary):
        raise OSError(errno.EPERM, f"{path} is a symbolic link that leads out of {boundary}: "
                      "snapshots are never written through one")


def recorded_context(document: Any, campaign_pointer: str) -> dict[str, Any]:
    """``state`` and ``instance_limits`` recorded beside a campaign found at
    ``campaign_pointer`` (``.../campaign``) of a parsed file, next to the snapshot marker,
    as keyword arguments for :class:`~campaign_lint.model.Campaign`; values that are not what the API returns
    are ignored (the campaign then counts as active, limits unknown)."""
    if not campaign_pointer.endswith("/campaign"):
        return {}
    container = resolve_pointer(document, campaign_pointer[:-len("/campaign")])
    if not isinstance(container, Mapping) or container.get(MARKER) != VERSION:
        return {}  # only a snapshot campaign-lint wrote records the state and limits
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


def _read_own_snapshot(folder_fd: int, name: str) -> tuple[Mapping[str, Any], os.stat_result] | None:
    """The campaign of a snapshot file campaign-lint wrote, and the file's identity; None
    for any other file (not regular, too large, no marker, no campaign id)."""
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_SNAPSHOT_BYTES:
                return None
            document = json.loads(stream.read(MAX_SNAPSHOT_BYTES + 1))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get(MARKER) != VERSION:
        return None
    campaign = document.get("campaign")
    if not isinstance(campaign, dict) or not isinstance(campaign.get("id"), str):
        return None
    return campaign, status


def prune(folder: str, region: str, listed: Iterable[str], written: Mapping[str, str],
          instance_ids: Iterable[str] = ()) -> list[str]:
    """Remove the snapshots of ``region`` whose campaign was not listed (deleted) or was
    written under another name this run (renamed). Only regular files campaign-lint
    wrote (marker, and exactly the name it would give that campaign) are touched; with
    ``instance_ids``, only campaigns of those instances. Returns the removed paths.
    Never follows a symbolic link, and removes a file only if it is still the very file
    that was read."""
    try:
        folder_fd = _open_region_folder(folder, region, create=False)
    except OSError:
        return []
    try:
        return _prune_in(folder_fd, region_folder(folder, region), set(listed), written,
                         set(instance_ids))
    finally:
        os.close(folder_fd)


def _prune_in(folder_fd: int, where: str, listed: set[str], written: Mapping[str, str],
              instances: set[str]) -> list[str]:
    removed = []
    with os.scandir(folder_fd) as entries:
        names = sorted(e.name for e in entries if e.name.endswith(".json") and e.is_file(follow_symlinks=False))
    for name in names:
        found = _read_own_snapshot(folder_fd, name)
        if found is None or file_name(found[0]) != name:
            continue
        campaign, status = found
        if instances and str(campaign.get("connectInstanceId")) not in instances:
            continue
        path = os.path.join(where, name)
        ident = campaign["id"]
        if ident in listed and written.get(ident, path) == path:
            continue
        try:
            now = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
            if (now.st_dev, now.st_ino) != (status.st_dev, status.st_ino):
                continue  # replaced since it was read
            os.unlink(name, dir_fd=folder_fd)
        except OSError:
            continue
        removed.append(path)
    return removed
