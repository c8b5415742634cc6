"""campaign-lint next to cfn-lint on the same CloudFormation templates.

Generates templates of 1 and 500 AWS::ConnectCampaignsV2::Campaign resources, each with one
seeded defect (structural ones both tools should see, semantic ones only campaign-lint
checks), runs cfn-lint and campaign-lint on them as a user would (subprocesses, JSON
output), and prints side by side:

- seeded defects found by each tool (a resource with an error or warning on it),
- every cfn-lint E-finding on a campaign resource that campaign-lint does not also report
  at the same place (same resource, and the same property path or one inside it); the
  goal is none: campaign-lint's findings on these resources are a superset of cfn-lint's,
- the wall time of each and their ratio,
- the findings on a control resource without defect (none, or the counts mean nothing).

    python bench/cfn_lint_compare.py                  # cfn-lint from PATH
    python bench/cfn_lint_compare.py --cfn-lint "/usr/bin/python3 -m cfnlint" --sizes 1 50

cfn-lint is never a dependency of campaign-lint: it is only run here, when installed.
"""

from __future__ import annotations

import argparse
import copy
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPE = "AWS::ConnectCampaignsV2::Campaign"

BASE = {
    "Name": "campaign",
    "ConnectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
    "ChannelSubtypeConfig": {"Telephony": {
        "Capacity": 0.01,
        "ConnectQueueId": "7d3e9a10-5c2b-4f6e-8a11-2b3c4d5e6f70",
        "OutboundMode": {"ProgressiveConfig": {"BandwidthAllocation": 0.5}},
        "DefaultOutboundConfig": {"ConnectContactFlowId": "4b1a6c2d-1111-2222-3333-444455556666",
                                  "ConnectSourcePhoneNumber": "+12125550123"}}},
    "CommunicationTimeConfig": {
        "LocalTimeZoneConfig": {"DefaultTimeZone": "America/New_York"},
        "Telephony": {
            "OpenHours": {"DailyHours": [
                {"Key": "MONDAY", "Value": [{"StartTime": "T09:00", "EndTime": "T12:00"},
                                            {"StartTime": "T13:00", "EndTime": "T20:00"}]},
                {"Key": "TUESDAY", "Value": [{"StartTime": "T09:00", "EndTime": "T20:00"}]}]},
            "RestrictedPeriods": {"RestrictedPeriodList": [
                {"Name": "Christmas", "StartDate": "2027-12-24", "EndDate": "2027-12-26"}]}}},
    "CommunicationLimitsOverride": {"AllChannelsSubtypes": {"CommunicationLimitList": [
        {"MaxCountPerRecipient": 3, "Frequency": 7, "Unit": "DAY"}]}},
}


def _set(path: str, value):
    def seed(properties: dict) -> None:
        parts = path.split("/")
        node = properties
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = parts[-1]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return seed


_DELETE = object()
TEL = "ChannelSubtypeConfig/Telephony"
HOURS = "CommunicationTimeConfig/Telephony/OpenHours/DailyHours"
LIMIT = "CommunicationLimitsOverride/AllChannelsSubtypes/CommunicationLimitList/0"

#: (name, what cfn-lint is expected to see, seed)
DEFECTS = [
    ("misspelt mode Progressive", True, _set(f"{TEL}/OutboundMode", {"Progressive": {"BandwidthAllocation": 0.5}})),
    ("camelCase connectQueueId", True, _set(f"{TEL}/connectQueueId", "q")),
    ("capacity 1.5", True, _set(f"{TEL}/Capacity", 1.5)),
    ("time '08:00' without T", True, _set(f"{HOURS}/1/Value/0/StartTime", "08:00")),
    ("DailyHours not a list", True, _set(HOURS, {"MONDAY": []})),
    ("no OutboundMode", True, _set(f"{TEL}/OutboundMode", _DELETE)),
    ("overlapping MONDAY ranges", False, _set(f"{HOURS}/0/Value/1/StartTime", "T11:00")),
    ("duplicate Key MONDAY", False, _set(f"{HOURS}/1/Key", "MONDAY")),
    ("clock time T25:00", False, _set(f"{HOURS}/1/Value/0/EndTime", "T25:00")),
    ("inverted restricted period", False,
     _set("CommunicationTimeConfig/Telephony/RestrictedPeriods/RestrictedPeriodList/0/EndDate", "2027-12-20")),
    ("time zone America/NewYork", False,
     _set("CommunicationTimeConfig/LocalTimeZoneConfig/DefaultTimeZone", "America/NewYork")),
    ("bandwidth 0", False, _set(f"{TEL}/OutboundMode/ProgressiveConfig/BandwidthAllocation", 0)),
    ("frequency 45 days", False, _set(f"{LIMIT}/Frequency", 45)),
]


def template(size: int) -> tuple[dict, dict[str, str]]:
    """A template of ``size`` campaign resources, and the defect seeded in each."""
    resources, seeded = {}, {}
    for index in range(size):
        name, _, seed = DEFECTS[index % len(DEFECTS)]
        properties = copy.deepcopy(BASE)
        properties["Name"] = f"campaign-{index}"
        properties["ConnectInstanceId"] = f"instance-{index}"  # keep cross-campaign rules quiet
        seed(properties)
        logical = f"Campaign{index}"
        resources[logical] = {"Type": TYPE, "Properties": properties}
        seeded[logical] = name
    # a control resource without defect: a finding on it makes the counts above meaningless
    control = copy.deepcopy(BASE)
    control["ConnectInstanceId"] = "instance-control"
    resources["Control"] = {"Type": TYPE, "Properties": control}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, seeded


def run(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1, 2, 4, 6, 8, 10, 12, 14) or not done.stdout.strip():
        sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return elapsed, done.stdout


def cfn_lint_findings(command: list[str], path: Path) -> tuple[float, list[dict]]:
    elapsed, out = run([*command, "--format", "json", str(path)])
    found = []
    for item in json.loads(out):
        where = item["Location"]["Path"]
        if len(where) >= 2 and where[0] == "Resources":
            found.append({"rule": item["Rule"]["Id"], "resource": where[1],
                          "path": [str(p) for p in where[2:]], "message": item["Message"],
                          "line": item["Location"]["Start"]["LineNumber"]})
    return elapsed, found


def campaign_lint_findings(path: Path) -> tuple[float, list[dict]]:
    command = [sys.executable, "-m", "campaign_lint", "check", "--isolated", "--format", "json",
               "--today", "2026-11-28", str(path)]
    elapsed, out = run(command)
    found = []
    for item in json.loads(out)["findings"]:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in (item.get("pointer") or "").split("/")[1:]]
        if len(parts) >= 2 and parts[0] == "Resources" and item["severity"] in ("error", "warning"):
            found.append({"rule": item["rule"], "resource": parts[1], "path": parts[2:],
                          "message": item["message"], "line": item["line"]})
    return elapsed, found


def covered(theirs: dict, ours: list[dict]) -> bool:
    """campaign-lint reports on the same resource at the same path, or inside it, or at the
    object that holds it (cfn-lint reports a missing member at its parent, we do too, but an
    unknown member at the key)."""
    for finding in ours:
        if finding["resource"] != theirs["resource"]:
            continue
        a, b = finding["path"], theirs["path"]
        if a[:len(b)] == b or b[:len(a)] == a:
            return True
    return False


def compare(size: int, cfn_lint: list[str] | None, folder: Path) -> dict:
    document, seeded = template(size)
    path = folder / f"campaigns-{size}.json"
    path.write_text(json.dumps(document, indent=1))
    ours_time, ours = campaign_lint_findings(path)
    result = {"size": size, "seeded": len(seeded),
              "campaign_lint": {"found": len({f["resource"] for f in ours} - {"Control"}), "seconds": ours_time,
                                "on_control": [f["rule"] for f in ours if f["resource"] == "Control"]}}
    if cfn_lint is None:
        return result
    theirs_time, theirs = cfn_lint_findings(cfn_lint, path)
    errors = [f for f in theirs if f["rule"].startswith("E") and f["resource"] in seeded]
    missed = [f for f in errors if not covered(f, ours)]
    result["cfn_lint"] = {"found": len({f["resource"] for f in theirs if f["rule"][0] in "EW"} - {"Control"}),
                          "seconds": theirs_time, "errors": len(errors),
                          "on_control": [f["rule"] for f in theirs if f["resource"] == "Control"]}
    result["cfn_lint_errors_not_reported_by_campaign_lint"] = missed
    result["ratio"] = theirs_time / ours_time if ours_time else None
    by_defect = {}
    for logical, name in seeded.items():
        row = by_defect.setdefault(name, {"campaign-lint": 0, "cfn-lint": 0, "resources": 0})
        row["resources"] += 1
        row["campaign-lint"] += any(f["resource"] == logical for f in ours)
        row["cfn-lint"] += any(f["resource"] == logical and f["rule"][0] in "EW" for f in theirs)
    result["by_defect"] = by_defect
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cfn-lint", default=None,
                        help="how to run cfn-lint (default: cfn-lint on PATH)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 500])
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    command = shlex.split(args.cfn_lint) if args.cfn_lint else (
        ["cfn-lint"] if shutil.which("cfn-lint") else None)
    if command is None:
        print("cfn-lint not found: only campaign-lint is measured", file=sys.stderr)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            results.append(compare(size, command, Path(folder)))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for result in results:
        ours = result["campaign_lint"]
        print(f"\n{result['size']} campaign resource(s), one seeded defect each")
        if "cfn_lint" not in result:
            print(f"  campaign-lint found {ours['found']}/{result['seeded']} in {ours['seconds']:.2f} s")
            continue
        theirs = result["cfn_lint"]
        print(f"  {'defect':<30} {'resources':>9} {'campaign-lint':>14} {'cfn-lint':>9}")
        for name, row in result["by_defect"].items():
            print(f"  {name:<30} {row['resources']:>9} {row['campaign-lint']:>14} {row['cfn-lint']:>9}")
        print(f"  {'total':<30} {result['seeded']:>9} {ours['found']:>14} {theirs['found']:>9}")
        print(f"  wall time: campaign-lint {ours['seconds']:.2f} s, cfn-lint {theirs['seconds']:.2f} s "
              f"(cfn-lint / campaign-lint = {result['ratio']:.1f})")
        print(f"  findings on the control resource (no defect): campaign-lint {ours['on_control'] or 'none'}, "
              f"cfn-lint {theirs['on_control'] or 'none'}")
        missed = result["cfn_lint_errors_not_reported_by_campaign_lint"]
        print(f"  cfn-lint E-findings on campaign resources: {theirs['errors']}, "
              f"not also reported by campaign-lint: {len(missed)}")
        for finding in missed[:20]:
            print(f"    {finding['rule']} {finding['resource']}/{'/'.join(finding['path'])}: {finding['message']}")
    failed = any(r.get("cfn_lint_errors_not_reported_by_campaign_lint") or r["campaign_lint"]["on_control"]
                 for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
