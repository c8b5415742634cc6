"""How close does `campaign-lint audit` get to the service's DescribeCampaign rate limit?

Starts the fake ConnectCampaignsV2 service (tests/fake_service.py) in its own process,
limited to R DescribeCampaign calls per second (token bucket; excess gets 429
ThrottlingException), serves N campaigns, runs the real audit against it, and prints the
audit time divided by the ideal N / R. Target: at most 1.15 with no CC003, for R = 50.

    python bench/audit_throughput.py                    # N=2000, R=50, the CLI's defaults
    python bench/audit_throughput.py -n 500 -r 50 --retry-mode standard --max-workers 32
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve(count: int, rate: float, ready) -> None:
    from tests.fake_service import FakeConnectCampaigns, Faults, make_campaign

    template = json.loads((ROOT / "examples/clean/renewals-describe.json").read_text())["campaign"]
    campaigns = {"us-east-1": [make_campaign(i, template=template) for i in range(count)]}
    fake = FakeConnectCampaigns(campaigns, faults=Faults(describe_rate=rate))
    ready.send(fake.start())
    while True:
        time.sleep(3600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Other arguments go to campaign-lint audit.")
    parser.add_argument("-n", "--campaigns", type=int, default=2000)
    parser.add_argument("-r", "--rate", type=float, default=50.0, help="DescribeCampaign calls per second")
    args, unknown = parser.parse_known_args()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(args.campaigns, args.rate, sender), daemon=True)
    server.start()
    url = receiver.recv()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_ENDPOINT_URL_CONNECTCAMPAIGNSV2=url, AWS_CONFIG_FILE=os.devnull,
                      AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true")
    from campaign_lint.cli import main as cli

    out = ROOT / "bench" / ".audit-report.json"
    started = time.monotonic()
    code = cli(["audit", "--isolated", "--region", "us-east-1", "--format", "json",
                "--output", str(out), *unknown])
    elapsed = time.monotonic() - started
    server.terminate()
    if code == 2:
        return 2
    report = json.loads(out.read_text())
    out.unlink()
    failed = sum(1 for f in report["findings"] if f["rule"] == "CC003")
    ideal = args.campaigns / args.rate
    print(f"campaigns {report['summary']['campaigns']}/{args.campaigns}, CC003 {failed}, "
          f"exit {code}, {elapsed:.1f} s, ideal {ideal:.1f} s, ratio {elapsed / ideal:.3f}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
