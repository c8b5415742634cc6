"""How long does the pre-commit hook take on one file? (Start-up is most of it.)

Runs `python -m campaign_lint check --isolated FILE` in fresh interpreters and prints the
median and worst wall time, and the slowest imports of one run (python -X importtime).

    python bench/check_startup.py                       # examples/clean/renewals-describe.json
    python bench/check_startup.py -n 20 campaigns/x.yaml
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples/clean/renewals-describe.json"))
    parser.add_argument("-n", "--runs", type=int, default=10)
    args = parser.parse_args()
    command = [sys.executable, "-m", "campaign_lint", "check", "--isolated", args.file]
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    bare = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=False)
        bare.append(time.perf_counter() - started)
    print(f"check one file: median {statistics.median(times) * 1000:.0f} ms, worst "
          f"{max(times) * 1000:.0f} ms (bare interpreter: {statistics.median(bare) * 1000:.0f} ms)")
    traced = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    rows = []
    for line in traced.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            rows.append((int(parts[1]), parts[2].strip()))
    print("slowest top-level imports:", ", ".join(f"{name} {us / 1000:.0f} ms"
                                                   for us, name in sorted(rows, reverse=True)[:6]))
    heavy = [name for _, name in rows if name.split(".")[0] in ("boto3", "botocore")]
    print("boto3/botocore imported:", "yes" if heavy else "no")
    return 0


if __name__ == "__main__":
    sys.exit(main())
