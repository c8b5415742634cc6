"""Instructions one `campaign-lint check` run executes (callgrind; `--jobs 1` unless told): a cost
that does not move with the machine's load, for changes worth a few percent.

    python bench/instructions.py FOLDER          # e.g. a corpus kept by throughput.py --keep
    python bench/instructions.py FOLDER --jobs 2 # the parent and its workers, summed

Wall and CPU times on a shared virtual machine vary by 30% from hour to hour; valgrind's
instruction count varies by less than 0.01% between runs when the inputs are pinned: a fixed
hash seed, and a fresh user cache folder holding only the converted schema (no remembered
caller-id verdicts, no result cache). Runs about 50 times slower than the CLI: use a folder of
about 1,000 campaigns. Needs `valgrind` on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--today", default="2026-11-28")
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker processes (forked, so valgrind follows them): the sum of every "
                             "process's count, for changes to the workers' side (pickling, warm-up)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not on PATH")
    check = [sys.executable, "-m", "campaign_lint", "check", "--isolated", "--no-cache", "--jobs", str(args.jobs),
             "--today", args.today, args.folder]
    with tempfile.TemporaryDirectory() as scratch:
        prepared, run = os.path.join(scratch, "prepared"), os.path.join(scratch, "run")
        env = dict(os.environ, PYTHONHASHSEED="0", CAMPAIGN_LINT_CACHE_HOME=prepared)
        subprocess.run(check, env=env, capture_output=True, check=False)  # builds the converted schema
        shutil.copytree(prepared, run, ignore=shutil.ignore_patterns("verdicts-*"))
        env["CAMPAIGN_LINT_CACHE_HOME"] = run
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/out.%p", *check],
                              env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"the run failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    found = [int(count) for count in re.findall(r"Collected : (\d+)", done.stderr)]
    if not found:
        raise SystemExit(f"callgrind reported no count:\n{done.stderr[-2000:]}")
    each = f" ({len(found)} processes: {', '.join(f'{count:,}' for count in found)})" if len(found) > 1 else ""
    print(f"{sum(found):,} instructions{each} ({args.folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
