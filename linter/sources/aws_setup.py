"""Setting up an audit: AWS session, regions, clients, and what a response must be.

Every problem found here (an unparseable ~/.aws/config, an unknown region, a bad
endpoint URL) is an :class:`AuditSetupError`: a one-line usage error, exit code 2.
Clients have botocore's retries off (campaign-lint retries every call itself) and
refuse an HTTP 200 body that is not the operation's (:class:`MalformedResponse`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .aws import AuditOptions

SERVICE = "connectcampaignsv2"


class AuditSetupError(Exception):
    """Missing credentials, unknown profile, no region, a bad endpoint: exit code 2."""


class MalformedResponse(Exception):
    """An HTTP 200 answer that is not the operation's response body."""


def open_session(options: AuditOptions) -> Any:
    import boto3
    from botocore import exceptions

    try:
        session = boto3.Session(profile_name=options.profile)
        credentials = session.get_credentials()
    except exceptions.ProfileNotFound as error:
        raise AuditSetupError(str(error)) from None
    except (exceptions.BotoCoreError, ValueError) as error:
        raise AuditSetupError(f"cannot load the AWS configuration: {_one_line(error)} "
                              "(check ~/.aws/config, ~/.aws/credentials and AWS_* variables)") from None
    if credentials is None:
        raise AuditSetupError("no AWS credentials found; configure them as for the AWS CLI "
                              "(aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
    return session


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def resolve_regions(session: Any, options: AuditOptions) -> list[str]:
    from botocore import exceptions

    if options.all_regions:
        regions = session.get_available_regions(SERVICE)
        if not regions:
            raise AuditSetupError(f"botocore knows no region where {SERVICE} is offered")
        return sorted(regions)
    try:
        chosen = list(dict.fromkeys(options.regions)) or [session.region_name]
    except (exceptions.BotoCoreError, ValueError) as error:
        raise AuditSetupError(f"cannot load the AWS configuration: {_one_line(error)}") from None
    if chosen == [None]:
        raise AuditSetupError("no region: pass --region REGION (repeatable) or --all-regions, "
                              "or set AWS_DEFAULT_REGION")
    for region in chosen:
        problem = unknown_region(region, known_regions())
        if problem is not None:
            raise AuditSetupError(problem)
    return chosen


def unknown_region(region: str, known: frozenset[str]) -> str | None:
    """The error for a region that botocore's endpoint data (``known``) does not list, else None."""
    if region in known:
        return None
    from ..schema import did_you_mean

    return (f"unknown region {region!r}{did_you_mean(region, sorted(known))} (botocore's endpoint "
            "data does not list it; upgrade botocore if the region is new)")


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's endpoint data, as a session loads it
    (``AWS_DATA_PATH`` may add to it)."""
    import botocore.session

    return _regions(botocore.session.get_session().get_data("endpoints"))


@lru_cache(maxsize=1)
def shipped_regions() -> frozenset[str]:
    """:func:`known_regions` from the endpoint data botocore ships, read from its file: what
    ``check --region`` checks against without importing botocore's session (0.12 s)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("botocore")
    folder = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else ""
    with open(os.path.join(folder, "data", "endpoints.json"), encoding="utf-8") as handle:
        return _regions(json.load(handle))


def _regions(endpoints: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(region for partition in endpoints.get("partitions", [])
                     for region in partition.get("regions", {}))


def offered_regions(session: Any) -> set[str]:
    """The regions of every partition where botocore's endpoint data offers the service."""
    return {region for partition in session.get_available_partitions()
            for region in session.get_available_regions(SERVICE, partition)}


def make_clients(session: Any, regions: list[str], options: AuditOptions) -> dict[str, Any]:
    """One client per region; botocore's own retries are off (the pacer retries)."""
    from botocore import exceptions
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "total_max_attempts": 1},
                    connect_timeout=options.connect_timeout, read_timeout=options.read_timeout,
                    max_pool_connections=max(10, options.max_workers + 2))
    clients = {}
    for region in regions:
        try:
            client = session.client(SERVICE, region_name=region, config=config)
        except (exceptions.BotoCoreError, ValueError) as error:
            raise AuditSetupError(f"cannot create the {SERVICE} client for {region}: "
                                  f"{_one_line(error)} (check the endpoint URL and the AWS "
                                  "configuration)") from None
        _check_endpoint(client.meta.endpoint_url)
        client.meta.events.register("before-parse", _check_body)
        clients[region] = client
    return clients


def _check_endpoint(url: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuditSetupError(f"invalid endpoint URL {url!r} (from AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2, "
                              "AWS_ENDPOINT_URL or the profile's endpoint_url): write "
                              "https://host[:port]")


def _check_body(response_dict: Mapping[str, Any], operation_model: Any, **_: Any) -> None:
    """botocore turns a 200 body that is not JSON into an empty response: refuse it."""
    if response_dict.get("status_code") != 200:
        return
    body = response_dict.get("body") or b""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        shown = bytes(body[:60]).decode("utf-8", "replace")
        raise MalformedResponse(f"{operation_model.name} answered HTTP 200 with a body that is not "
                                f"a JSON object ({len(body)} bytes: {shown!r})")
    members = operation_model.output_shape.members if operation_model.output_shape else {}
    for name, shape in members.items():
        kind = _JSON_TYPES.get(shape.type_name)
        if parsed.get(name) is not None and kind and not isinstance(parsed[name], kind):
            raise MalformedResponse(f"{operation_model.name} answered HTTP 200 with {name!r} as "
                                    f"{type(parsed[name]).__name__}, not {shape.type_name}")


#: the JSON type of each botocore shape type a response's top level holds
_JSON_TYPES = {"structure": dict, "map": dict, "list": list, "string": str}


def expect(response: Mapping[str, Any], operation: str, *members: tuple[str, type]) -> None:
    """The response holds at least one of ``members`` with the right JSON type."""
    if not any(isinstance(response.get(name), kind) for name, kind in members):
        names = " or ".join(repr(name) for name, _ in members)
        raise MalformedResponse(f"{operation} answered HTTP 200 without {names}: "
                                f"not a {operation} response")
