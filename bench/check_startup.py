"""How long does the pre-commit hook take on one file? (Start-up is most of it.)

Runs `python -m campaign_lint check --isolated FILE` in fresh interpreters and prints the
median and worst wall time, and the slowest imports of one run (python -X importtime).

    python bench/check_startup.py                       # examples/clean/renewals-describe.json
    python bench/check_startup.py -n 20 campaigns/x.yaml
    python bench/check_startup.py --no-cache            # cold: the result cache not used

CPU is user + sys of the child (steadier than wall time on a shared machine). Run it with
`.pyc` files present (`python -m compileall linter rules` when PYTHONDONTWRITEBYTECODE is set):
a regular install has them, and compiling the package again costs more than the whole run.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    parser.add_argument("--no-cache", action="store_true", help="pass --no-cache (a cold run)")
    args = parser.parse_args()
    command = [sys.executable, "-m", "campaign_lint", "check", "--isolated", args.file]
    command += ["--no-cache"] if args.no_cache else []
    times, cpu = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    bare = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=False)
        bare.append(time.perf_counter() - started)
    print(f"check one file: median {statistics.median(times) * 1000:.0f} ms wall, "
          f"{statistics.median(cpu) * 1000:.0f} ms CPU, worst {max(times) * 1000:.0f} ms "
          f"(bare interpreter: {statistics.median(bare) * 1000:.0f} ms; load average "
          f"{os.getloadavg()[0]:.1f})")
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
