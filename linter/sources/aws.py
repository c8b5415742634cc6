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
import queue
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable

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


THROTTLING = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling",
                        "RequestLimitExceeded", "SlowDown"})
TRANSIENT = frozenset({"InternalServerException", "ServiceUnavailableException", "ReadTimeout",
                       "EndpointUnreachable", "ConnectionClosedError", "InternalFailure"})


class Pacer:
    """Paces DescribeCampaign calls of one region to the rate the service allows.

    Unpaced until the service first throttles. While the service throttles, the
    calls it lets through arrive at exactly its rate, so after a second of that
    the pacer knows the rate, sends just under it, and probes upwards by about 5%
    a second; each throttle sets it back to what was really let through. A
    throttled call also waits a short, jittered moment before it is retried.
    """

    WINDOW = 2.0  # at most this many seconds of successes estimate the allowed rate
    MIN_SAMPLE = 1.0  # and at least this many

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self.clock, self.sleep = clock, sleep
        self.lock = threading.Lock()
        self.rate: float | None = None  # calls per second; None: not limited
        self.next_slot = 0.0
        self.successes: list[float] = []
        self.first_throttle: float | None = None
        self.last_cut = -1e9

    def wait(self) -> None:
        with self.lock:
            if self.rate is None:
                return
            now = self.clock()
            slot = max(now, self.next_slot)
            self.next_slot = slot + 1.0 / self.rate
        if slot > now:
            self.sleep(slot - now)

    def success(self) -> None:
        with self.lock:
            self.successes.append(self.clock())
            if len(self.successes) > 8192:
                del self.successes[:4096]
            if self.rate is not None:
                self.rate *= 1.0 + 0.05 / self.rate

    def observed(self, now: float) -> float | None:
        """Successful calls per second over the recent window, once it is long enough."""
        if self.first_throttle is None:
            return None
        span = min(self.WINDOW, now - self.first_throttle)
        if span < self.MIN_SAMPLE:
            return None
        return sum(1 for t in self.successes if now - t <= span) / span

    def throttled(self) -> float:
        """Note a throttled call; returns how long its caller should wait before retrying."""
        import random

        with self.lock:
            now = self.clock()
            if self.first_throttle is None:
                self.first_throttle = now
            observed = self.observed(now)
            if observed is not None and now - self.last_cut >= 0.5:
                self.last_cut = now
                self.rate = max(0.5, observed * 0.98)
                self.next_slot = max(self.next_slot, now)
            pause = 1.0 / self.rate if self.rate else 0.1
        return pause * random.uniform(0.5, 1.5)


def call_with_retries(call, pacer: Pacer, max_attempts: int, sleep=time.sleep):
    """Run one API call under the pacer, retrying throttles and transient errors.

    Throttles slow the pacer down; transient errors back off exponentially with
    jitter. Either way a call is tried at most ``max_attempts`` times."""
    import random

    for attempt in range(1, max_attempts + 1):
        pacer.wait()
        try:
            result = call()
        except Exception as error:
            code, _ = describe_error(error)
            if attempt == max_attempts or (code not in THROTTLING and code not in TRANSIENT):
                raise
            if code in THROTTLING:
                sleep(pacer.throttled())
            else:
                sleep(min(5.0, 0.1 * 2 ** attempt) * random.uniform(0.5, 1.0))
            continue
        pacer.success()
        return result
    raise AssertionError("unreachable")  # pragma: no cover


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool, stream: Any = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.lock = threading.Lock()
        self.counts: dict[str, list[int]] = {}
        self.last = 0.0
        self.drawn = 0  # width of the line drawn last

    def listed(self, region: str, count: int) -> None:
        with self.lock:
            self.counts.setdefault(region, [0, 0])[1] = count
        self._draw()

    def described(self, region: str) -> None:
        with self.lock:
            self.counts.setdefault(region, [0, 0])[0] += 1
        self._draw()

    def _draw(self, force: bool = False) -> None:
        from ..report.terminal import cursor_control_allowed

        if not self.enabled:
            return
        now = time.monotonic()
        with self.lock:
            if not force and now - self.last < 0.1:
                return
            self.last = now
            parts = [f"{region} {done}/{total}" for region, (done, total) in sorted(self.counts.items())]
        text = "describing campaigns: " + ", ".join(parts)
        if cursor_control_allowed():
            self.stream.write("\r\x1b[2K" + text)
        else:  # TERM=dumb: no escape sequences; blanks overwrite a longer previous line
            self.stream.write("\r" + text.ljust(self.drawn))
        self.drawn = len(text)
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


def _client_config(options: AuditOptions, retries: bool = True) -> Any:
    from botocore.config import Config

    attempts = options.max_attempts if retries else 1
    return Config(retries={"mode": options.retry_mode if retries else "standard", "max_attempts": attempts},
                  connect_timeout=options.connect_timeout, read_timeout=options.read_timeout,
                  max_pool_connections=max(10, options.max_workers))


class RegionReader:
    """Everything one region holds, read with one client."""

    def __init__(self, client: Any, describer: Any, region: str, options: AuditOptions,
                 pool: ThreadPoolExecutor, progress: Progress):
        self.client = client
        self.describer = describer  # same service, no botocore retries: the pacer retries
        self.pacer = Pacer()
        self.region = region
        self.options = options
        self.pool = pool
        self.progress = progress
        self.failures: list[Failure] = []

    def fail(self, error: BaseException, what: str, campaign: CampaignRef | None = None) -> None:
        code, message = describe_error(error)
        self.failures.append(Failure(self.region, f"{what}: {code}: {message}", code, campaign))

    def read(self, emit: Callable[[Campaign], None]) -> None:
        """Hand each campaign to ``emit`` as soon as it is described; states come last
        (only the cross-campaign rules, which run at the end, read them)."""
        summaries = self.list_campaigns()
        if summaries is None:
            return
        self.progress.listed(self.region, len(summaries))
        limits = self.instance_limits({s.get("connectInstanceId") for s in summaries})
        campaigns = []
        for future in as_completed([self.pool.submit(self.describe, s) for s in summaries]):
            data = future.result()
            if data is not None:
                campaign = Campaign(data, Origin(region=self.region), "Campaign",
                                    instance_limits=limits.get(data.get("connectInstanceId")))
                campaigns.append(campaign)
                emit(campaign)
        states = self.states([c.ref.id for c in campaigns if c.ref.id])
        for campaign in campaigns:
            campaign.state = states.get(campaign.ref.id)

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
            response = call_with_retries(lambda: self.describer.describe_campaign(id=summary["id"]),
                                         self.pacer, self.options.max_attempts)
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
            try:
                save_campaign(self.options.save_dir, self.region, data)
            except OSError as error:
                self.failures.append(Failure(self.region, f"cannot save campaign {data.get('id')}: "
                                             f"{error.strerror or error}", "SaveFailed", ref))
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
            for item in response.get("successfulRequests") or []:
                if item.get("campaignId") and item.get("state"):
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


def fetch(options: AuditOptions, on_campaign: Callable[[Campaign], None] = lambda c: None
          ) -> AuditData:
    """Read every campaign of the selected regions; ``on_campaign`` sees each one, in
    the calling thread, as soon as it is described (so linting overlaps the reading)."""
    session = _session(options)
    regions = resolve_regions(session, options)
    if options.save_dir:
        try:
            os.makedirs(options.save_dir, exist_ok=True)
        except OSError as error:
            raise AuditSetupError(f"{options.save_dir}: cannot create the --save folder: "
                                  f"{error.strerror or error}") from None
    config, paced = _client_config(options), _client_config(options, retries=False)
    clients = {region: (session.client(SERVICE, region_name=region, config=config),
                        session.client(SERVICE, region_name=region, config=paced))
               for region in regions}
    progress = Progress(options.progress)
    data = AuditData(regions)
    readers = []
    arrived: queue.Queue = queue.Queue()
    with ThreadPoolExecutor(max_workers=options.max_workers) as describers, \
            ThreadPoolExecutor(max_workers=min(len(regions), 8)) as region_pool:
        readers = [RegionReader(*clients[region], region, options, describers, progress)
                   for region in regions]
        running = [region_pool.submit(reader.read, arrived.put) for reader in readers]
        while True:
            try:
                campaign = arrived.get(timeout=0.05)
            except queue.Empty:
                if all(task.done() for task in running) and arrived.empty():
                    break
                continue
            data.campaigns.append(campaign)
            on_campaign(campaign)
        for task in running:
            task.result()  # a bug in the reader itself surfaces here, not silently
    progress.close()
    data.campaigns.sort(key=lambda c: (c.origin.region, c.ref.arn or "", c.ref.id or ""))
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
