"""Campaigns from a live AWS account, read with boto3 (read-only calls only).

ListCampaigns (paginated), DescribeCampaign, GetCampaignStateBatch and
GetInstanceCommunicationLimits. Standard AWS configuration applies as in the AWS
CLI: profiles, AWS_DEFAULT_REGION, the credential chain and
AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2. Anything that cannot be read becomes a
:class:`Failure` (reported as CC003); nothing here raises for one bad region or
campaign. Every call goes through campaign-lint's own pacer and retries (botocore's
are off), so ``max_attempts`` is the number of attempts of every call, in total.
Work runs on daemon threads: an interrupted audit (Ctrl-C) returns at once, after
the snapshot files being written are complete.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import Future, as_completed
from ..record import record, field
from datetime import date, datetime
from functools import partial
from typing import Any, Callable, Iterable, Mapping

from ..model import Campaign, CampaignRef, Origin
from .aws_setup import (SERVICE, AuditSetupError, MalformedResponse, expect, make_clients,
                        offered_regions, open_session, resolve_regions)
from .snapshot import prune, save_snapshot

STATE_BATCH = 25  # GetCampaignStateBatch takes at most 25 ids
PAGE_SIZE = 50  # ListCampaigns maxResults
#: ListCampaigns pages read for one listing at most (50,000 campaigns); past it the
#: listing is reported as incomplete rather than followed for ever
MAX_PAGES = 1000


class Interrupted(Exception):
    """The audit is stopping (Ctrl-C): calls not yet made are not made."""


@record
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
    #: remove the snapshots in ``save_dir`` of campaigns that no longer exist
    prune: bool = False
    progress: bool = False


@record(frozen=True)
class Failure:
    """Something the audit could not read (CC003), or a region it skipped (CC006)."""

    region: str | None
    message: str
    code: str
    campaign: CampaignRef | None = None
    skipped: bool = False


@record
class AuditData:
    regions: list[str]
    campaigns: list[Campaign] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: snapshot files removed by ``prune``
    pruned: list[str] = field(default_factory=list)


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


#: a region that rejects credentials another region accepted has not been enabled (opt-in)
CREDENTIALS_REJECTED = frozenset({"UnrecognizedClientException", "InvalidClientTokenId",
                                  "AuthFailure"})
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
    throttled call also waits a short, jittered moment before it is retried. When
    nothing at all is let through for a whole window (a throttling storm), there is
    no rate to learn: calls are not paced but back off exponentially, each on its own.
    """

    WINDOW = 2.0  # at most this many seconds of successes estimate the allowed rate
    MIN_SAMPLE = 1.0  # and at least this many

    def __init__(self, clock=time.monotonic, sleep=time.sleep, adaptive: bool = True):
        self.clock, self.sleep = clock, sleep
        #: False (``--retry-mode standard``): never paced, throttles only back off
        self.adaptive = adaptive
        self.lock = threading.Lock()
        self.rate: float | None = None  # calls per second; None: not limited
        self.next_slot = 0.0
        self.successes: list[float] = []
        self.first_throttle: float | None = None
        self.last_cut = -1e9
        #: throttled for a whole window without one success
        self.starved = False

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
            self.starved = False
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

    def throttled(self) -> float | None:
        """Note a throttled call; returns how long its caller should wait before retrying,
        or None when the service let nothing through lately (then it backs off on its own)."""
        import random

        with self.lock:
            now = self.clock()
            if self.first_throttle is None:
                self.first_throttle = now
            observed = self.observed(now)
            if observed is not None and now - self.last_cut >= 0.5:
                self.last_cut = now
                # nothing let through for a whole window: no rate to learn; pacing every call
                # at the floor would take 2 s per attempt of every call (hours in a storm)
                self.rate = max(0.5, observed * 0.98) if observed else None
                self.next_slot = max(self.next_slot, now)
                self.starved = not observed
            if self.starved:
                return None
            pause = 1.0 / self.rate if self.rate else 0.1
        return pause * random.uniform(0.5, 1.5)


def call_with_retries(call, pacer: Pacer, max_attempts: int, sleep=time.sleep,
                      stop: threading.Event | None = None):
    """Run one API call under the pacer, retrying throttles and transient errors.

    Throttles slow an adaptive pacer down; other retries back off exponentially with
    jitter. Either way a call is tried at most ``max_attempts`` times in total; once
    ``stop`` is set no further attempt is made."""
    import random

    for attempt in range(1, max_attempts + 1):
        if stop is not None and stop.is_set():
            raise Interrupted("the audit was interrupted")
        pacer.wait()
        try:
            result = call()
        except Exception as error:
            code, _ = describe_error(error)
            if attempt == max_attempts or (code not in THROTTLING and code not in TRANSIENT):
                raise
            pause = pacer.throttled() if code in THROTTLING and pacer.adaptive else None
            sleep(pause if pause is not None else min(5.0, 0.1 * 2 ** attempt) * random.uniform(0.5, 1.0))
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


# --- running: daemon workers, the region reader ---------------------------------------------

class Workers:
    """A fixed set of daemon threads running submitted calls. Unlike ThreadPoolExecutor
    (whose threads Python joins at exit), an interrupted audit does not wait for the
    calls in flight."""

    def __init__(self, count: int):
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.count = count
        for _ in range(count):
            threading.Thread(target=self._work, daemon=True, name="campaign-lint-worker").start()

    def submit(self, function: Callable, *args: Any) -> Future:
        future: Future = Future()
        self.tasks.put((future, function, args))
        return future

    def _work(self) -> None:
        # Ctrl-C goes to the main thread, which is the one to stop the audit: the kernel hands a
        # process's SIGINT to any thread that does not block it, and one caught by a worker
        # reaches the main thread only when CPython next re-checks (an interrupted audit once
        # ran to its end under load, cause never reproduced)
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            task = self.tasks.get()
            if task is None:
                return
            future, function, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as error:  # handed to whoever waits for the result
                future.set_exception(error)

    def close(self) -> None:
        for _ in range(self.count):
            self.tasks.put(None)


class SaveGate:
    """Snapshot writes in progress; once closed, no write starts and close() has
    waited for those under way, so an interrupt leaves only complete files."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.active = 0
        self.closed = False

    def enter(self) -> bool:
        with self.condition:
            if self.closed:
                return False
            self.active += 1
            return True

    def leave(self) -> None:
        with self.condition:
            self.active -= 1
            self.condition.notify_all()

    def close(self, timeout: float = 2.0) -> None:
        with self.condition:
            self.closed = True
            self.condition.wait_for(lambda: self.active == 0, timeout)


class RegionReader:
    """Everything one region holds, read with one client."""

    def __init__(self, client: Any, region: str, options: AuditOptions, pool: Workers,
                 progress: Progress, stop: threading.Event, gate: SaveGate):
        self.client = client
        self.region = region
        self.options = options
        self.pool = pool
        self.progress = progress
        self.stop = stop
        self.gate = gate
        self.pacers: dict[str, Pacer] = {}
        self.pacers_lock = threading.Lock()
        self.failures: list[Failure] = []
        #: the listing failed because the region rejected the credentials
        self.rejected: Failure | None = None
        #: some call of this region succeeded (the credentials work here)
        self.accepted = False
        #: every ListCampaigns page was read
        self.complete = False
        #: campaign id -> why GetCampaignStateBatch gave no state for it (its failureCode)
        self.state_errors: dict[str, str] = {}
        #: campaign ids whose whole state batch failed (already reported once for the batch)
        self.state_batch_failed: set[str] = set()
        #: listed summaries without a string id (those campaigns cannot be described)
        self.unreadable_summaries = 0
        self.listed: dict[str, dict] = {}
        #: instance id -> campaigns listed for it (with --instance-id)
        self.per_instance: dict[str, int] = {}
        #: campaign id -> snapshot written this run
        self.written: dict[str, str] = {}
        #: botocore's endpoint data lists the service in this region
        self.offered = True

    def fail(self, error: BaseException, what: str, campaign: CampaignRef | None = None) -> Failure:
        code, message = describe_error(error)
        failure = Failure(self.region, f"{what}: {code}: {message}", code, campaign)
        self.failures.append(failure)
        return failure

    def call(self, operation: str, function: Callable[[], Any]) -> Any:
        """One API call behind this region's pacer for ``operation``, with retries."""
        with self.pacers_lock:
            pacer = self.pacers.setdefault(operation, Pacer(
                sleep=self.stop.wait, adaptive=self.options.retry_mode == "adaptive"))
        result = call_with_retries(function, pacer, self.options.max_attempts,
                                   sleep=self.stop.wait, stop=self.stop)
        self.accepted = True
        return result

    def read(self, emit: Callable[[Campaign], None]) -> None:
        """Hand each campaign to ``emit`` as soon as it is described, with its state and
        its instance's limits (read first, so that each snapshot is whole when written)."""
        summaries = self.list_campaigns()
        self.progress.listed(self.region, len(summaries))
        if not summaries:
            return
        limits = self.instance_limits({_instance_of(s) for s in summaries})
        states = self.states([s["id"] for s in summaries])
        futures = [self.pool.submit(self.describe, s, states, limits) for s in summaries]
        for future in as_completed(futures):
            campaign = future.result()
            if campaign is not None:
                emit(campaign)

    def list_campaigns(self) -> list[dict]:
        """Every campaign summary; a listing that fails part-way keeps the pages read."""
        filters = ([{"instanceIdFilter": {"value": i, "operator": "Eq"}} for i in self.options.instance_ids]
                   or [None])
        try:
            for flt in filters:
                found = self.list_pages(flt)
                if flt is not None:
                    self.per_instance[flt["instanceIdFilter"]["value"]] = found
        except Exception as error:  # any failure: the region is reported, the audit goes on
            unlisted = "" if self.offered else f" ({SERVICE} is not offered there, per botocore's endpoint data)"
            failure = self.fail(error, f"cannot list campaigns in {self.region}{unlisted}")
            if failure.code in CREDENTIALS_REJECTED and not self.accepted:
                self.rejected = failure
            return list(self.listed.values())
        if self.unreadable_summaries:  # campaigns exist that cannot be read: never a silent gap
            self.fail(MalformedResponse(f"{self.unreadable_summaries} campaign summar"
                                        f"{'y' if self.unreadable_summaries == 1 else 'ies'} without an id"),
                      f"cannot list every campaign in {self.region}")
            return list(self.listed.values())
        self.complete = True
        return list(self.listed.values())

    def list_pages(self, flt: dict | None) -> int:
        """Follow one ListCampaigns listing to its end; returns how many it held."""
        token, seen, pages, found = None, set(), 0, 0
        while True:
            kwargs: dict[str, Any] = {"maxResults": PAGE_SIZE}
            if flt:
                kwargs["filters"] = flt
            if token:
                kwargs["nextToken"] = token
            page = self.call("ListCampaigns", partial(self.client.list_campaigns, **kwargs))
            expect(page, "ListCampaigns", ("campaignSummaryList", list))
            pages += 1
            for summary in page["campaignSummaryList"]:
                if isinstance(summary, dict) and isinstance(summary.get("id"), str):
                    self.listed.setdefault(summary["id"], summary)
                    found += 1
                else:
                    self.unreadable_summaries += 1
            token = page.get("nextToken")
            if not token:
                return found
            if token in seen:
                raise MalformedResponse(f"ListCampaigns returned a nextToken it had returned before "
                                        f"(page {pages}); the listing is incomplete")
            if pages >= MAX_PAGES:
                raise MalformedResponse(f"ListCampaigns still had more after {MAX_PAGES} pages "
                                        f"({MAX_PAGES * PAGE_SIZE} campaigns); the listing is incomplete")
            seen.add(token)

    def describe(self, summary: dict, states: Mapping[str, str],
                 limits: Mapping[str, tuple]) -> Campaign | None:
        ident = summary["id"]
        ref = CampaignRef(ident, summary.get("name"), summary.get("arn"))
        try:
            response = self.call("DescribeCampaign", partial(self.client.describe_campaign, id=ident))
            expect(response, "DescribeCampaign", ("campaign", dict))
            if response["campaign"].get("id") != ident:
                raise MalformedResponse(f"DescribeCampaign of {ident} answered with campaign "
                                        f"{response['campaign'].get('id')!r}")
        except Exception as error:
            code, _ = describe_error(error)
            what = ("campaign was deleted between list and describe" if code == "ResourceNotFoundException"
                    else f"cannot describe campaign {ident}")
            self.fail(error, what, ref)
            return None
        finally:
            self.progress.described(self.region)
        data = plain(response["campaign"])
        state, instance_limits = states.get(ident), limits.get(_instance_of(data))
        if state is None and ident not in self.state_batch_failed:
            code = self.state_errors.get(ident, "NotAnswered")
            self.failures.append(Failure(self.region, f"cannot read the state of campaign {ident}: "
                                         f"GetCampaignStateBatch: {code} (counted as active for "
                                         "CC601/CC603)", code, ref))
        if self.options.save_dir:
            self.save(data, state, instance_limits, ref)
        return Campaign(data, Origin(region=self.region), "Campaign", state=state,
                        instance_limits=instance_limits)

    def save(self, data: dict, state: str | None, limits: tuple | None, ref: CampaignRef) -> None:
        if not self.gate.enter():
            return
        try:
            self.written[data["id"]] = save_snapshot(self.options.save_dir, self.region, data, state, limits)
        except (OSError, ValueError) as error:
            self.failures.append(Failure(self.region, f"cannot save campaign {data.get('id')}: "
                                         f"{getattr(error, 'strerror', None) or error}", "SaveFailed", ref))
        finally:
            self.gate.leave()

    def states(self, ids: list[str]) -> dict[str, str]:
        batches = [ids[start:start + STATE_BATCH] for start in range(0, len(ids), STATE_BATCH)]
        found: dict[str, str] = {}
        for future in [self.pool.submit(self.state_batch, batch) for batch in batches]:
            found.update(future.result())
        return found

    def state_batch(self, batch: list[str]) -> dict[str, str]:
        try:
            response = self.call("GetCampaignStateBatch",
                                 partial(self.client.get_campaign_state_batch, campaignIds=batch))
            expect(response, "GetCampaignStateBatch", ("successfulRequests", list),
                    ("failedRequests", list))
        except Exception as error:
            self.fail(error, f"cannot read the state of {len(batch)} campaign{'s' if len(batch) > 1 else ''} "
                      "(counted as active for CC601/CC603)")
            self.state_batch_failed.update(batch)
            return {}
        asked = set(batch)  # a state for a campaign not asked about is not taken
        for item in response.get("failedRequests") or []:
            if isinstance(item, dict) and item.get("campaignId") in asked:
                self.state_errors[item["campaignId"]] = str(item.get("failureCode") or "failed")
        return {item["campaignId"]: item["state"] for item in response.get("successfulRequests") or []
                if isinstance(item, dict) and item.get("campaignId") in asked
                and isinstance(item.get("state"), str)}

    def instance_limits(self, instances: Iterable[str | None]) -> dict[str, tuple]:
        limits: dict[str, tuple] = {}
        for instance in sorted(i for i in instances if i):
            try:
                response = self.call("GetInstanceCommunicationLimits", partial(
                    self.client.get_instance_communication_limits, connectInstanceId=instance))
            except Exception as error:
                self.fail(error, f"cannot read the communication limits of instance {instance}")
                continue
            # an empty object is taken as "no limits set" (decided here: not documented)
            config = response.get("communicationLimitsConfig") or {}
            listed = (config.get("allChannelSubtypes") or {}).get("communicationLimitsList") or []
            limits[instance] = tuple(plain(listed))
        return limits


def _instance_of(campaign: Mapping[str, Any]) -> str | None:
    """The campaign's instance id, if it is a string (the service's data is not trusted)."""
    instance = campaign.get("connectInstanceId")
    return instance if isinstance(instance, str) else None


def fetch(options: AuditOptions, on_campaign: Callable[[Campaign], None] = lambda c: None
          ) -> AuditData:
    """Read every campaign of the selected regions; ``on_campaign`` sees each one, in
    the calling thread, as soon as it is described (so linting overlaps the reading)."""
    session = open_session(options)
    regions = resolve_regions(session, options)
    clients = make_clients(session, regions, options)
    if options.save_dir:
        try:
            os.makedirs(options.save_dir, exist_ok=True)
        except OSError as error:
            raise AuditSetupError(f"{options.save_dir}: cannot create the --save folder: "
                                  f"{error.strerror or error}") from None
    progress, stop, gate = Progress(options.progress), threading.Event(), SaveGate()
    data = AuditData(regions)
    describers, region_pool = Workers(options.max_workers), Workers(min(len(regions), 8))
    readers = [RegionReader(clients[region], region, options, describers, progress, stop, gate)
               for region in regions]
    offered = offered_regions(session)
    for reader in readers:
        reader.offered = reader.region in offered
    arrived: queue.Queue = queue.Queue()
    try:
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
    except KeyboardInterrupt:
        stop.set()  # no call and no snapshot starts any more
        gate.close()  # the snapshots being written are finished; none is left half-written
        progress.close()
        raise
    finally:
        describers.close()
        region_pool.close()
    progress.close()
    data.campaigns.sort(key=lambda c: (c.origin.region, c.ref.arn or "", c.ref.id or ""))
    data.failures = _failures(readers, options)
    if options.prune and options.save_dir:
        for reader in readers:
            if reader.complete:
                data.pruned += prune(options.save_dir, reader.region, reader.listed, reader.written,
                                     options.instance_ids)
    return data


def _failures(readers: list[RegionReader], options: AuditOptions) -> list[Failure]:
    """Every reader's failures; regions that rejected credentials another region accepted
    are skipped opt-in regions under --all-regions; an --instance-id without campaigns fails."""
    failures: list[Failure] = []
    accepted = any(reader.accepted for reader in readers)
    for reader in readers:
        for failure in reader.failures:
            if failure is reader.rejected and options.all_regions and accepted:
                failure = Failure(reader.region, f"{reader.region} rejected the credentials that other "
                                  f"regions accepted ({failure.code}): an opt-in region this account "
                                  "has not enabled; skipped", failure.code, skipped=True)
            elif failure is reader.rejected:
                failure = Failure(failure.region, f"{failure.message} (if {reader.region} is an "
                                  "opt-in region, the account may not have enabled it)", failure.code)
            failures.append(failure)
    for instance in options.instance_ids:
        counted = [reader.per_instance[instance] for reader in readers if instance in reader.per_instance]
        if counted and not any(counted):
            where = [reader.region for reader in readers if instance in reader.per_instance]
            failures.append(Failure(where[0] if len(where) == 1 else None,
                                    f"no campaign of instance {instance} in {', '.join(where)}: "
                                    "check the instance id and the region", "NoCampaign"))
    return failures
