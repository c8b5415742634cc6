"""What do policy packs cost? Lints N default-zone campaigns with random open hours, with and
without ``--policy``, in fresh interpreters, and prints the wall times.

    python bench/policy_hours.py                      # 200 campaigns, us-tcpa,us-fl,us-la
    python bench/policy_hours.py -n 1000 --policy us-tcpa
    python bench/policy_hours.py --today 2045-06-01   # past pytz's tables (campaign_lint.tz)
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")


def campaign(number: int, rng: random.Random) -> dict:
    template = json.loads((ROOT / "examples/clean/renewals-describe.json").read_text())
    config = template["campaign"]["communicationTimeConfig"]
    config["localTimeZoneConfig"] = {"defaultTimeZone": rng.choice(ZONES)}
    hours = {}
    for day in DAYS[:rng.randint(1, 7)]:
        start = rng.randrange(6 * 60, 14 * 60, 15)
        end = start + rng.randrange(60, 9 * 60, 15)
        hours[day] = [{"startTime": f"T{start // 60:02d}:{start % 60:02d}",
                       "endTime": f"T{end // 60:02d}:{end % 60:02d}"}]
    config["telephony"]["openHours"]["dailyHours"] = hours
    template["campaign"]["name"] = f"bench-{number}"
    return template


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--campaigns", type=int, default=200)
    parser.add_argument("--policy", default="us-tcpa,us-fl,us-la")
    parser.add_argument("--today", default="2026-11-28", help="the --today of both runs (default: %(default)s)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.campaigns):
            Path(folder, f"c{number}.json").write_text(json.dumps(campaign(number, rng)))
        base = [sys.executable, "-m", "campaign_lint", "check", "--isolated", "--today", args.today,
                "--output", str(Path(folder, "out.txt")), folder]
        plain = timed(base)
        packs = timed(base + ["--policy", args.policy])
    print(f"{args.campaigns} campaigns: {plain:.2f} s without packs, {packs:.2f} s with --policy {args.policy} "
          f"(+{(packs - plain) * 1000 / args.campaigns:.1f} ms per campaign)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
