"""Campaigns from a live AWS account, read with boto3 (read-only calls only).

ListCampaigns (paginated), DescribeCampaign, GetCampaignStateBatch and
GetInstanceCommunicationLimits. Standard AWS configuration applies as in the AWS
CLI: profiles, AWS_DEFAULT_REGION, the credential chain and
AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2. Anything that cannot be read becomes a
:class:`Failure` (reported as CC003); nothing here raises for one bad region or
campaign.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from ..model import Campaign, CampaignRef, Origin

SERVICE = "connectcampaignsv2"
STATE_BATCH = 25  # GetCampaignStateBatch takes at most 25 ids
PAGE_SIZE = 50  # ListCampaigns maxResults


class AuditSetupError(Exception):
    """Missing credentials, unknown profile, no region: exit code 2."""


@dataclass
class AuditOptions:
    regions: list[str] = field(default_factory=list)
    all_regions: bool = False
    profile: str | None = None
    instance_ids: list[str] = field(default_factory=list)
    max_workers: int = 16
    retry_mode: str = "adaptive"
    max_attempts: int = 10
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    save_dir: str | None = None
    progress: bool = False


@dataclass(frozen=True)
class Failure:
    """Something the audit could not read."""

    region: str
    message: str
    code: str
    campaign: CampaignRef | None = None


@dataclass
class AuditData:
    regions: list[str]
    campaigns: list[Campaign] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def plain(value: Any) -> Any:
    """A boto3 response as JSON-ready data: timestamps as ISO 8601 text."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if key != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def describe_error(error: BaseException) -> tuple[str, str]:
    """``(code, message)`` for any botocore/boto3 error."""
    response = getattr(error, "response", None)
    if isinstance(response, dict) and "Error" in response:
        code = response["Error"].get("Code") or type(error).__name__
        message = response["Error"].get("Message") or str(error)
        return code, message
    from botocore import exceptions

    if isinstance(error, (exceptions.ConnectTimeoutError, exceptions.EndpointConnectionError)):
        return "EndpointUnreachable", str(error)
    if isinstance(error, exceptions.ReadTimeoutError):
        return "ReadTimeout", str(error)
    return type(error).__name__, str(error)


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool, stream: Any = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.lock = threading.Lock()
        self.counts: dict[str, list[int]] = {}
        self.last = 0.0

    def listed(self, region: str, count: int) -> None:
        with self.lock:
            self.counts.setdefault(region, [0, 0])[1] = count
        self._draw()

    def described(self, region: str) -> None:
        with self.lock:
            self.counts.setdefault(region, [0, 0])[0] += 1
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        with self.lock:
            if not force and now - self.last < 0.1:
                return
            self.last = now
            parts = [f"{region} {done}/{total}" for region, (done, total) in sorted(self.counts.items())]
        self.stream.write("\r\x1b[2Kdescribing campaigns: " + ", ".join(parts))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()


def _session(options: AuditOptions) -> Any:
    import boto3
    from botocore import exceptions

    try:
        session = boto3.Session(profile_name=options.profile)
    except exceptions.ProfileNotFound as error:
        raise AuditSetupError(str(error)) from None
    try:
        credentials = session.get_credentials()
    except exceptions.BotoCoreError as error:
        raise AuditSetupError(f"cannot load AWS credentials: {error}") from None
    if credentials is None:
        raise AuditSetupError("no AWS credentials found; configure them as for the AWS CLI "
                              "(aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
    return session


def resolve_regions(session: Any, options: AuditOptions) -> list[str]:
    if options.all_regions:
        regions = session.get_available_regions(SERVICE)
        if not regions:
            raise AuditSetupError(f"botocore knows no region where {SERVICE} is offered")
        return sorted(regions)
    if options.regions:
        return list(dict.fromkeys(options.regions))
    if session.region_name:
        return [session.region_name]
    raise AuditSetupError("no region: pass --region REGION (repeatable) or --all-regions, "
                          "or set AWS_DEFAULT_REGION")


def _client_config(options: AuditOptions) -> Any:
    from botocore.config import Config

    return Config(retries={"mode": options.retry_mode, "max_attempts": options.max_attempts},
                  connect_timeout=options.connect_timeout, read_timeout=options.read_timeout,
                  max_pool_connections=max(10, options.max_workers))


class RegionReader:
    """Everything one region holds, read with one client."""

    def __init__(self, client: Any, region: str, options: AuditOptions, pool: ThreadPoolExecutor,
                 progress: Progress):
        self.client = client
        self.region = region
        self.options = options
        self.pool = pool
        self.progress = progress
        self.failures: list[Failure] = []

    def fail(self, error: BaseException, what: str, campaign: CampaignRef | None = None) -> None:
        code, message = describe_error(error)
        self.failures.append(Failure(self.region, f"{what}: {code}: {message}", code, campaign))

    def read(self) -> list[Campaign]:
        summaries = self.list_campaigns()
        if summaries is None:
            return []
        self.progress.listed(self.region, len(summaries))
        described = list(self.pool.map(self.describe, summaries))
        campaigns = [c for c in described if c is not None]
        states = self.states([c["id"] for c in campaigns])
        limits = self.instance_limits({c.get("connectInstanceId") for c in campaigns})
        return [Campaign(data, Origin(region=self.region), "Campaign", states.get(data["id"]),
                         limits.get(data.get("connectInstanceId")))
                for data in campaigns]

    def list_campaigns(self) -> list[dict] | None:
        filters = ([{"instanceIdFilter": {"value": i, "operator": "Eq"}} for i in self.options.instance_ids]
                   or [None])
        summaries: list[dict] = []
        try:
            paginator = self.client.get_paginator("list_campaigns")
            for flt in filters:
                kwargs = {"filters": flt} if flt else {}
                for page in paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE}, **kwargs):
                    summaries += page.get("campaignSummaryList", [])
        except Exception as error:  # any failure: the region is reported, the audit goes on
            self.fail(error, f"cannot list campaigns in {self.region}")
            return None
        return summaries

    def describe(self, summary: dict) -> dict | None:
        ref = CampaignRef(summary.get("id"), summary.get("name"), summary.get("arn"))
        try:
            response = self.client.describe_campaign(id=summary["id"])
        except Exception as error:
            code, _ = describe_error(error)
            what = ("campaign was deleted between list and describe" if code == "ResourceNotFoundException"
                    else f"cannot describe campaign {summary.get('id')}")
            self.fail(error, what, ref)
            return None
        finally:
            self.progress.described(self.region)
        data = plain(response.get("campaign") or {})
        if self.options.save_dir:
            save_campaign(self.options.save_dir, self.region, data)
        return data

    def states(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), STATE_BATCH):
            batch = ids[start:start + STATE_BATCH]
            try:
                response = self.client.get_campaign_state_batch(campaignIds=batch)
            except Exception as error:
                self.fail(error, f"cannot read the state of {len(batch)} campaigns "
                          "(they count as active for CC601/CC603)")
                continue
            for item in response.get("successfulRequests", []):
                found[item["campaignId"]] = item["state"]
        return found

    def instance_limits(self, instances: Iterable[str | None]) -> dict[str, tuple]:
        limits: dict[str, tuple] = {}
        for instance in sorted(i for i in instances if i):
            try:
                response = self.client.get_instance_communication_limits(connectInstanceId=instance)
            except Exception as error:
                self.fail(error, f"cannot read the communication limits of instance {instance}")
                continue
            config = response.get("communicationLimitsConfig") or {}
            listed = (config.get("allChannelSubtypes") or {}).get("communicationLimitsList") or []
            limits[instance] = tuple(plain(listed))
        return limits


def fetch(options: AuditOptions) -> AuditData:
    """Read every campaign of the selected regions."""
    session = _session(options)
    regions = resolve_regions(session, options)
    config = _client_config(options)
    clients = {region: session.client(SERVICE, region_name=region, config=config) for region in regions}
    progress = Progress(options.progress)
    data = AuditData(regions)
    readers = []
    with ThreadPoolExecutor(max_workers=options.max_workers) as describers, \
            ThreadPoolExecutor(max_workers=min(len(regions), 8)) as region_pool:
        for region in regions:
            readers.append(RegionReader(clients[region], region, options, describers, progress))
        for campaigns in region_pool.map(lambda reader: reader.read(), readers):
            data.campaigns += campaigns
    progress.close()
    for reader in readers:
        data.failures += reader.failures
    return data


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def save_path(folder: str, region: str, campaign: dict) -> str:
    name = _UNSAFE.sub("-", str(campaign.get("name") or "campaign")).strip("-")[:80] or "campaign"
    ident = _UNSAFE.sub("-", str(campaign.get("id") or "unknown"))
    return os.path.join(folder, _UNSAFE.sub("-", region), f"{name}-{ident}.json")


def save_campaign(folder: str, region: str, campaign: dict) -> str:
    """Write one campaign as a describe-campaign response file, atomically."""
    import json

    from ..atomic import write_atomic

    path = save_path(folder, region, campaign)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_atomic(path, json.dumps({"campaign": campaign}, indent=2, ensure_ascii=False) + "\n")
    return path
