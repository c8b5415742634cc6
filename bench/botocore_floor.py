"""Find the oldest botocore whose connectcampaignsv2 model knows every member that the
examples and the rules' documented examples use (the floor in pyproject.toml).

    python bench/botocore_floor.py 1.40.0 1.43.0 1.44.8   # candidates, oldest first

Each candidate is installed with ``pip install --no-deps --target`` into a scratch folder
(nothing of the project's environment changes), and the examples are validated against
its model in a fresh interpreter. A candidate is good when it reports no structural
finding (unknown field, value outside an enum, out of range, unknown union member) that
the installed botocore does not report. Bisects between the candidates given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("unknown-field", "not-allowed-value", "out-of-range", "sdk-unknown-member",
         "missing-field", "union-conflict")

PROBE = r"""
import glob, json, os, sys
from campaign_lint.docs import parse_doc
from campaign_lint.registry import Registry
from campaign_lint.schema import model_versions, validate
from campaign_lint.sources.files import find_campaigns
from campaign_lint.sources.parse import ParseError, parse_yaml
root, kinds = sys.argv[1], set(sys.argv[2].split(","))
texts = [(f"{r.id}:{i}", block) for r in Registry.load(plugins=False)
         for i, block in enumerate(parse_doc(r).fails + parse_doc(r).passes)]
for path in sorted(glob.glob(os.path.join(root, "examples", "**", "*.*"), recursive=True)):
    texts.append((os.path.relpath(path, root), open(path, encoding="utf-8").read()))
found = set()
for name, text in texts:
    try:
        documents = parse_yaml(text)
    except ParseError:
        continue  # CC001's example: not a campaign
    for document in documents:
        value = document.value
        items = value if isinstance(value, list) else [value]
        for item in items:
            for _, data, shape in find_campaigns(item):
                for error in validate(data, shape):
                    if error.kind in kinds:
                        found.add(f"{name} {error.kind} {error.pointer}")
print(json.dumps({"versions": model_versions(), "findings": sorted(found)}))
"""


def probe(target: str | None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [target, ROOT]))
    out = subprocess.run([sys.executable, "-c", PROBE, ROOT, ",".join(KINDS)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def install(version: str, scratch: str) -> str:
    target = os.path.join(scratch, version)
    if not os.path.isdir(target):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                        target, f"botocore=={version}"], check=True)
    return target


def good(version: str, scratch: str, baseline: set) -> bool:
    result = probe(install(version, scratch))
    extra = sorted(set(result["findings"]) - baseline)
    print(f"botocore {version} (API {result['versions']['apiVersion']}): "
          f"{'ok' if not extra else str(len(extra)) + ' unknown to it, e.g. ' + extra[0]}")
    return not extra


def main(candidates: list[str]) -> int:
    baseline = set(probe(None)["findings"])
    with tempfile.TemporaryDirectory() as scratch:
        low, high = 0, len(candidates) - 1
        if not good(candidates[high], scratch, baseline):
            print("even the newest candidate misses members")
            return 1
        while low < high:
            middle = (low + high) // 2
            if good(candidates[middle], scratch, baseline):
                high = middle
            else:
                low = middle + 1
        print(f"floor: botocore>={candidates[low]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
