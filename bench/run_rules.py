"""How do the run-scope rules (CC6xx) scale with the number of campaigns?

Builds the seeded campaigns of bench/throughput.py (about 5 campaigns per instance) and, as a
worst case, the same campaigns all on one instance (one group of N for every rule), and
prints the median time of ``Engine.run_hits`` over them for growing N: the time per campaign
must stay flat (nothing superlinear).

    python bench/run_rules.py                 # N = 1,250 ... 20,000, 3 runs each
    python bench/run_rules.py -n 5 --max 10000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from campaign_lint.config import Config  # noqa: E402
from campaign_lint.engine import Engine, Selection  # noqa: E402
from campaign_lint.model import Campaign, Origin  # noqa: E402
from campaign_lint.registry import Registry  # noqa: E402
from throughput import campaigns as generated  # noqa: E402


def _campaigns(count: int, one_instance: bool) -> list[Campaign]:
    made = []
    for index, (data, _) in enumerate(generated(count, seed=12, defect_rate=0.05, tagged_rate=0.1)):
        if one_instance:
            data = {**data, "connectInstanceId": "instance-1"}
        made.append(Campaign(data, Origin(path=f"c{index:05d}.json"), "CreateCampaignRequest"))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--max", type=int, default=20000)
    args = parser.parse_args()
    engine = Engine(Registry.load(plugins=False), Config(), Selection(), today=date(2026, 11, 28))
    print("| campaigns | instances | run-scope rules | per campaign | findings |")
    print("|---|---|---|---|---|")
    count = 1250
    while count <= args.max:
        for one_instance in (False, True):
            campaigns = _campaigns(count, one_instance)
            for campaign in campaigns:  # validated by the per-file work before the rules run
                engine.structure(campaign)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                hits = engine.run_hits(campaigns)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            instances = "1" if one_instance else f"{max(1, count // 5):,}"
            print(f"| {count:,} | {instances} | {median * 1000:.0f} ms | {median / count * 1e6:.1f} us "
                  f"| {len(hits)} |", flush=True)
        count *= 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
