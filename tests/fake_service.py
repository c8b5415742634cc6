"""A fake ConnectCampaignsV2 service on 127.0.0.1 that speaks the real REST-JSON wire
protocol, so the real boto3 client can be pointed at it (endpoint_url, or the
AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2 variable).

Routes, HTTP methods and error status codes come from botocore's service model;
the region of a request comes from its SigV4 credential scope. Faults can be
injected per test: access denied per region, throttling bursts, internal
errors, campaigns that vanish between list and describe, slow responses, a
token-bucket rate limit on DescribeCampaign, operations that always fail, 200
answers whose body is not the operation's (HTML, ``{}``, truncated JSON), and
ListCampaigns pagination that repeats a token or never ends.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

from campaign_lint.schema import service_model

OPERATIONS = ("ListCampaigns", "DescribeCampaign", "GetCampaignStateBatch",
              "GetInstanceCommunicationLimits")
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/")


def _routes() -> list[tuple[str, re.Pattern, str]]:
    model = service_model()["operations"]
    routes = []
    for name in OPERATIONS:
        http = model[name]["http"]
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", http["requestUri"].split("?")[0])
        routes.append((http["method"], re.compile(f"^{pattern}$"), name))
    return routes


def _status(error: str) -> int:
    return service_model()["shapes"][error]["error"]["httpStatusCode"]


class ServiceError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _status(code)


class TokenBucket:
    """``rate`` requests per second with a burst of ``burst``; excess is refused."""

    def __init__(self, rate: float, burst: float | None = None):
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate / 10)
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


@dataclass
class Faults:
    deny_regions: set = field(default_factory=set)
    #: region -> (HTTP status, error code) for every call, e.g. (403, "ExpiredTokenException")
    region_errors: dict = field(default_factory=dict)
    #: the first N calls of an operation get a 429 ThrottlingException
    throttle_first: dict = field(default_factory=dict)
    #: campaign id -> number of 500s before DescribeCampaign succeeds (-1: always)
    internal_errors: dict = field(default_factory=dict)
    #: campaign ids that are listed but gone when described
    vanished: set = field(default_factory=set)
    #: campaign id -> seconds to wait before answering DescribeCampaign
    slow: dict = field(default_factory=dict)
    #: campaign ids whose DescribeCampaign is always throttled
    always_throttled: set = field(default_factory=set)
    #: DescribeCampaign token bucket (requests per second), None for no limit
    describe_rate: float | None = None
    #: seconds every DescribeCampaign takes
    latency: float = 0.0
    #: operation -> error code (from the model) it always answers with
    failing: dict = field(default_factory=dict)
    #: operation -> function rewriting the bytes of its 200 answers
    mangle: dict[str, Callable[[bytes], bytes]] = field(default_factory=dict)
    #: ListCampaigns pagination: "repeat" gives the same nextToken for ever, "endless" new
    #: tokens with empty pages for ever
    pagination: str | None = None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away is normal
            super().handle_error(request, client_address)


class FakeConnectCampaigns:
    def __init__(self, campaigns: dict[str, list[dict]] | None = None, states: dict | None = None,
                 instance_limits: dict | None = None, faults: Faults | None = None):
        self.campaigns = {region: list(items) for region, items in (campaigns or {}).items()}
        self.states = dict(states or {})
        self.instance_limits = dict(instance_limits or {})
        self.faults = faults or Faults()
        self.calls: Counter = Counter()
        self.in_flight = 0
        self.max_in_flight = 0  # DescribeCampaign calls answered at the same time, at most
        self.requests: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()
        self.bucket = TokenBucket(self.faults.describe_rate) if self.faults.describe_rate else None
        self._errors_left = dict(self.faults.internal_errors)
        self.server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> str:
        service, routes = self, _routes()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body in one segment: no Nagle/delayed-ACK stall per response
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = urlparse(self.path).path
                match = _SCOPE.search(self.headers.get("Authorization", ""))
                region = match.group(1) if match else "us-east-1"
                for method, pattern, operation in routes:
                    found = pattern.match(path)
                    if method == self.command and found:
                        params = {k: unquote(v) for k, v in found.groupdict().items()}
                        body = json.loads(raw) if raw else {}
                        try:
                            status, payload = 200, service.dispatch(operation, region, params, body)
                        except ServiceError as error:
                            status, payload = error.status, {"message": error.message}
                            self._send(status, payload, error.code)
                            return
                        mangle = service.faults.mangle.get(operation)
                        self._send(status, payload, raw=mangle(json.dumps(payload).encode()) if mangle else None)
                        return
                self._send(404, {"message": f"no route {self.command} {path}"}, "UnknownOperationException")

            def _send(self, status, payload, error_type=None, raw=None):
                data = json.dumps(payload).encode() if raw is None else raw
                html = data.lstrip().startswith(b"<")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html" if html else "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if error_type:
                        self.send_header("x-amzn-ErrorType", error_type)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (read timeout)

            do_GET = do_POST = do_PUT = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> "FakeConnectCampaigns":
        self.url = self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- operations --------------------------------------------------------------------

    def dispatch(self, operation: str, region: str, params: dict, body: dict) -> dict:
        with self.lock:
            self.calls[operation] += 1
            count = self.calls[operation]
            self.requests.append((operation, region, {**params, **body}))
        if region in self.faults.deny_regions:
            raise ServiceError("AccessDeniedException", f"not authorized in {region}")
        if region in self.faults.region_errors:
            status, code = self.faults.region_errors[region]
            raise ServiceError(code, f"{code} in {region}", status)
        if count <= self.faults.throttle_first.get(operation, 0):
            raise ServiceError("ThrottlingException", "Rate exceeded")
        if operation in self.faults.failing:
            raise ServiceError(self.faults.failing[operation], f"{operation} failed")
        return getattr(self, "op_" + operation)(region, params, body)

    def _region_campaigns(self, region: str) -> list[dict]:
        return self.campaigns.get(region, [])

    def op_ListCampaigns(self, region: str, params: dict, body: dict) -> dict:
        items = self._region_campaigns(region)
        instance = ((body.get("filters") or {}).get("instanceIdFilter") or {}).get("value")
        if instance:
            items = [c for c in items if c.get("connectInstanceId") == instance]
        token = body.get("nextToken") or "0"
        size = int(body.get("maxResults") or 50)
        if size > 50:
            raise ServiceError("ValidationException", "maxResults must be at most 50")
        if self.faults.pagination == "repeat":
            return {"campaignSummaryList": self._summaries(items[:size]), "nextToken": "again"}
        if self.faults.pagination == "endless":
            return {"campaignSummaryList": [], "nextToken": f"page-{int(token.rsplit('-')[-1]) + 1}"}
        start = int(token)
        response = {"campaignSummaryList": self._summaries(items[start:start + size])}
        if start + size < len(items):
            response["nextToken"] = str(start + size)
        return response

    @staticmethod
    def _summaries(campaigns: list[dict]) -> list[dict]:
        return [{"id": c["id"], "arn": c["arn"], "name": c["name"], "connectInstanceId": c["connectInstanceId"],
                 "channelSubtypes": sorted((c.get("channelSubtypeConfig") or {}).keys())} for c in campaigns]

    def op_DescribeCampaign(self, region: str, params: dict, body: dict) -> dict:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._describe(region, params)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _describe(self, region: str, params: dict) -> dict:
        ident = params["id"]
        delay = self.faults.slow.get(ident, self.faults.latency)
        if delay:
            time.sleep(delay)
        if ident in self.faults.always_throttled or (self.bucket and not self.bucket.take()):
            raise ServiceError("ThrottlingException", "Rate exceeded")
        with self.lock:
            left = self._errors_left.get(ident, 0)
            if left:
                self._errors_left[ident] = left - 1 if left > 0 else left
        if left:
            raise ServiceError("InternalServerException", "internal error")
        campaign = next((c for c in self._region_campaigns(region) if c["id"] == ident), None)
        if campaign is None or ident in self.faults.vanished:
            raise ServiceError("ResourceNotFoundException", f"campaign {ident} not found")
        return {"campaign": campaign}

    def op_GetCampaignStateBatch(self, region: str, params: dict, body: dict) -> dict:
        ids = body.get("campaignIds") or []
        if not 1 <= len(ids) <= 25:
            raise ServiceError("ValidationException", "campaignIds must hold 1 to 25 ids")
        known = {c["id"] for c in self._region_campaigns(region)}
        return {
            "successfulRequests": [{"campaignId": i, "state": self.states.get(i, "Running")}
                                   for i in ids if i in known],
            "failedRequests": [{"campaignId": i, "failureCode": "ResourceNotFound"}
                               for i in ids if i not in known],
        }

    def op_GetInstanceCommunicationLimits(self, region: str, params: dict, body: dict) -> dict:
        limits = self.instance_limits.get(params["connectInstanceId"])
        if limits is None:
            return {}
        return {"communicationLimitsConfig": {"allChannelSubtypes": {"communicationLimitsList": limits}}}


def make_campaign(index: int, region: str = "us-east-1", instance: str = "instance-1",
                  template: dict | None = None, **changes) -> dict:
    """A campaign as DescribeCampaign returns it, derived from a fixture."""
    data = json.loads(json.dumps(template)) if template else {}
    ident = f"{index:08d}-0000-4000-8000-000000000000"
    data.update(id=ident, name=f"campaign-{index}", connectInstanceId=instance,
                arn=f"arn:aws:connect-campaigns:{region}:123456789012:campaign/{ident}")
    if "owner" in data.get("tags", {}):  # the console's owner tag names the campaign's instance
        data["tags"]["owner"] = f"arn:aws:connect:{region}:123456789012:instance/{instance}"
    data.update(changes)
    return data


def grouped(requests: list) -> dict:
    result = defaultdict(list)
    for operation, region, params in requests:
        result[operation].append((region, params))
    return result
