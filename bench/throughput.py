"""Throughput of `campaign-lint check` on large repositories, next to cfn-lint.

Generates seeded corpora of realistic campaigns (several instances, channels, outbound modes,
time zones, holidays, limits, tags, and some defects: overlapping hours, typos, inverted
periods, unknown zones, duplicate names, over-allocated capacity, suppression tags), then runs
the real CLI in fresh interpreters and prints a Markdown table: median wall time, cost per
campaign and peak memory of the process tree (the CLI and any worker processes it starts).

    python bench/throughput.py                     # 10,000 campaigns, 3 runs per row
    python bench/throughput.py -n 500 -r 1         # a quick look
    python bench/throughput.py --no-cfn-lint       # skip the cfn-lint rows
    python bench/throughput.py --python /tmp/v/bin/python   # a regular install (see below)

Rows: one clean file (the pre-commit case); N campaigns one JSON file each; one YAML file each;
one YAML stream of N documents; the JSON run again with the cache warm (when the CLI has a
cache); and cfn-lint on CloudFormation templates of 1, 100 and 500 campaign resources (when
`cfn-lint` is on PATH), with campaign-lint on the same campaigns for the ratio.

The one-file rows matter most with the interpreter pre-commit builds: a regular install
(``python -m venv /tmp/v && /tmp/v/bin/pip install .``), as an editable install adds its
import finder (15-20 ms) to every start. They run twice: with the file's caller id judged
before (its verdict in the user cache folder, as for a repository's next commit) and at first
sight (the verdicts file removed before each run: phonenumbers is imported). Every run uses
a user cache folder of the bench's own (``user-cache`` in the corpus folder), its converted
schema built by one untimed run first.

Wall and CPU times come from runs that are not watched; peak memory from one more run of
each row, sampled every 10 ms from /proc (sampling the runs that are timed slowed them by
8-24% on a two-core machine). On Linux it is the sum of the proportional set
sizes (PSS) of the CLI and its descendants, in which a page that forked workers share with
the CLI counts once in all (the resident set size, which counts it once per process, where
the kernel has no smaps_rollup). Elsewhere it is the largest single process (getrusage; on Linux
that figure includes this script's own memory at fork time, so it is not used there).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
CLEAN_FILE = ROOT / "examples" / "clean" / "renewals-describe.json"
TODAY = "2026-11-28"
#: cfn-lint refuses templates with more resources than this, or larger than 1 MB
CFN_MAX_RESOURCES = 500
CFN_MAX_BYTES = 1_000_000

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
         "America/Phoenix", "Europe/London", "Europe/Berlin", "Europe/Oslo", "Asia/Kolkata",
         "Australia/Sydney", "America/Toronto", "America/Sao_Paulo")
HOLIDAYS = (("New Year", "01-01", "01-01"), ("Independence Day", "07-04", "07-05"),
            ("Thanksgiving", "11-25", "11-26"), ("Christmas", "12-24", "12-26"),
            ("Easter Monday", "04-05", "04-05"), ("Labour Day", "05-01", "05-01"))
REGIONS = ("us-east-1", "us-west-2", "eu-west-2", "eu-central-1")
TEAMS = ("retention", "collections", "clinics", "sales", "support", "billing")


# --- corpus ---------------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _hours(rng: random.Random, defect: str | None) -> dict:
    days = DAYS[:5] if rng.random() < 0.7 else DAYS[:6]
    hours = {}
    for day in days:
        start, end = rng.choice((8, 9, 9, 10)), rng.choice((17, 18, 19, 20))
        if rng.random() < 0.3:
            hours[day] = [{"startTime": f"T{start:02d}:00", "endTime": "T12:00"},
                          {"startTime": "T13:00", "endTime": f"T{end:02d}:00"}]
        else:
            hours[day] = [{"startTime": f"T{start:02d}:00", "endTime": f"T{end:02d}:00"}]
    if defect == "overlap":
        hours["MONDAY"] = [{"startTime": "T08:00", "endTime": "T12:30"},
                           {"startTime": "T12:00", "endTime": "T20:00"}]
    return hours


def _window(rng: random.Random, year: int, defect: str | None) -> dict:
    periods = []
    for name, start, end in rng.sample(HOLIDAYS, rng.randint(0, 4)):
        periods.append({"name": name, "startDate": f"{year}-{start}", "endDate": f"{year}-{end}"})
    if defect == "inverted" and periods:
        periods[0]["startDate"], periods[0]["endDate"] = f"{year}-12-31", f"{year}-01-02"
    window = {"openHours": {"dailyHours": _hours(rng, defect)}}
    if periods:
        window["restrictedPeriods"] = {"restrictedPeriodList": periods}
    return window


DEFECTS = ("overlap", "typo", "inverted", "zone", "capacity", "no-default-config", "duplicate-name")


def make_campaign(rng: random.Random, index: int, instances: list[str], defect_rate: float,
                  tagged_rate: float) -> tuple[dict, bool]:
    """One campaign, and whether it is a describe-campaign response (else a create request)."""
    defect = rng.choice(DEFECTS) if rng.random() < defect_rate else None
    region = rng.choice(REGIONS)
    account = "123456789012"
    instance = rng.choice(instances)
    campaign_id = _uuid(rng)
    team = rng.choice(TEAMS)
    name = f"{team}-{index:05d}" if defect != "duplicate-name" else f"{team}-duplicate"
    campaign: dict = {"name": name, "connectInstanceId": instance}
    channels: dict = {}
    time_config: dict = {"localTimeZoneConfig": {"defaultTimeZone": rng.choice(ZONES)}}
    if defect == "zone":
        time_config["localTimeZoneConfig"]["defaultTimeZone"] = "America/New_Yrok"
    year = rng.choice((2027, 2028))
    # every campaign calls; some also text or mail
    mode = rng.choice(("progressive", "progressive", "predictive", "agentless", "preview"))
    outbound = {"agentless": {}} if mode == "agentless" else {mode: {"bandwidthAllocation": rng.choice((0.2, 0.4, 0.5, 1.0))}}
    if mode == "preview":
        outbound[mode]["timeoutConfig"] = {"durationInSeconds": rng.choice((30, 60, 120))}
    if mode == "predictive" and rng.random() < 0.5:
        outbound[mode]["pacingStrategies"] = [{"abandonmentRate": {
            "targetRate": 0.03, "connectionStartPoint": "GREETING_END",
            "connectionThresholdSeconds": 2, "evaluationWindow": "PT24H"}}]
    default = {"connectContactFlowId": _uuid(rng),
               "connectSourcePhoneNumber": f"+1212555{rng.randint(0, 9999):04d}",
               "answerMachineDetectionConfig": {"enableAnswerMachineDetection": rng.random() < 0.5,
                                                "awaitAnswerMachinePrompt": False}}
    if mode != "preview":
        default["ringTimeout"] = rng.choice((20, 30, 45))
    telephony = {"capacity": rng.choice((0.1, 0.15, 0.2)), "connectQueueId": _uuid(rng),
                 "outboundMode": outbound, "defaultOutboundConfig": default}
    if defect == "typo":
        telephony["conectQueueId"] = telephony.pop("connectQueueId")
    if defect == "capacity":
        telephony["capacity"] = 1.5
    if defect == "no-default-config":
        del telephony["defaultOutboundConfig"]
    channels["telephony"] = telephony
    time_config["telephony"] = _window(rng, year, defect)
    if rng.random() < 0.3:
        channels["sms"] = {"capacity": 0.2, "outboundMode": {"agentless": {}},
                           "defaultOutboundConfig": {
                               "connectSourcePhoneNumberArn": f"arn:aws:connect:{region}:{account}:phone-number/{_uuid(rng)}",
                               "wisdomTemplateArn": f"arn:aws:wisdom:{region}:{account}:message-template/{_uuid(rng)}/{_uuid(rng)}"}}
        time_config["sms"] = _window(rng, year, None)
    if rng.random() < 0.15:
        channels["email"] = {"capacity": 0.1, "outboundMode": {"agentless": {}},
                             "defaultOutboundConfig": {
                                 "connectSourceEmailAddress": f"{team}@example.com",
                                 "sourceEmailAddressDisplayName": team.title(),
                                 "wisdomTemplateArn": f"arn:aws:wisdom:{region}:{account}:message-template/{_uuid(rng)}/{_uuid(rng)}"}}
        time_config["email"] = _window(rng, year, None)
    campaign["channelSubtypeConfig"] = channels
    if rng.random() < 0.7:
        campaign["source"] = {"customerProfilesSegmentArn":
                              f"arn:aws:profile:{region}:{account}:domains/{team}/segment-definitions/seg-{index}"}
    else:
        campaign["source"] = {"eventTrigger": {"customerProfilesDomainArn":
                                               f"arn:aws:profile:{region}:{account}:domains/{team}"}}
    campaign["connectCampaignFlowArn"] = f"arn:aws:connect:{region}:{account}:instance/{instance}/contact-flow/{_uuid(rng)}"
    if rng.random() < 0.6:
        campaign["schedule"] = {"startTime": f"{year}-01-04T00:00:00Z", "endTime": f"{year}-12-31T00:00:00Z",
                                "refreshFrequency": rng.choice(("PT12H", "P1D", "PT30M"))}
    campaign["communicationTimeConfig"] = time_config
    limits = [{"maxCountPerRecipient": rng.randint(1, 3), "frequency": 1, "unit": "DAY"}]
    if rng.random() < 0.5:
        limits.append({"maxCountPerRecipient": rng.randint(3, 6), "frequency": 7, "unit": "DAY"})
    campaign["communicationLimitsOverride"] = {"allChannelSubtypes": {"communicationLimitsList": limits},
                                               "instanceLimitsHandling": "OPT_IN"}
    tags = {"team": team, "cost-center": f"cc-{rng.randint(1000, 9999)}",
            "owner": f"arn:aws:connect:{region}:{account}:instance/{instance}"}
    if rng.random() < tagged_rate:
        tags["campaign-lint:ignore"] = "CC213 CC314"
    campaign["tags"] = tags
    described = rng.random() < 0.7
    if described:
        campaign = {"id": campaign_id,
                    "arn": f"arn:aws:connect-campaigns:{region}:{account}:campaign/{campaign_id}",
                    **campaign}
    return campaign, described


def campaigns(count: int, seed: int, defect_rate: float, tagged_rate: float) -> list[tuple[dict, bool]]:
    rng = random.Random(seed)
    instances = [_uuid(rng) for _ in range(max(1, count // 5))]
    return [make_campaign(rng, i, instances, defect_rate, tagged_rate) for i in range(count)]


def write_corpora(folder: Path, items: list[tuple[dict, bool]]) -> dict[str, Path]:
    import yaml

    DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # noqa: N806 - libyaml when present
    json_dir, yaml_dir = folder / "json", folder / "yaml"
    json_dir.mkdir()
    yaml_dir.mkdir()
    documents = []
    for index, (campaign, described) in enumerate(items):
        document = {"campaign": campaign} if described else campaign
        documents.append(document)
        sub = f"team-{index % 50:02d}"
        for base in (json_dir, yaml_dir):
            (base / sub).mkdir(exist_ok=True)
        (json_dir / sub / f"c{index:05d}.json").write_text(json.dumps(document, indent=2) + "\n")
        (yaml_dir / sub / f"c{index:05d}.yaml").write_text(yaml.dump(document, Dumper=DUMPER, sort_keys=False))
    stream = folder / "stream.yaml"
    stream.write_text(yaml.dump_all(documents, Dumper=DUMPER, sort_keys=False))
    return {"json": json_dir, "yaml": yaml_dir, "stream": stream}


# --- CloudFormation --------------------------------------------------------------------


def _pascal(key: str) -> str:
    return key[0].upper() + key[1:]


_CFN_NAMES = {"progressive": "ProgressiveConfig", "predictive": "PredictiveConfig",
              "preview": "PreviewConfig", "agentless": "AgentlessConfig",
              "communicationLimitsList": "CommunicationLimitList",
              "allChannelSubtypes": "AllChannelsSubtypes"}


def to_cfn(value, key: str | None = None):
    """The API shape spelt as CloudFormation properties (DESIGN.md's mapping)."""
    if isinstance(value, dict):
        if key == "dailyHours":
            return [{"Key": day, "Value": to_cfn(ranges)} for day, ranges in value.items()]
        if key == "tags":
            return [{"Key": k, "Value": v} for k, v in value.items()]
        return {_CFN_NAMES.get(k, _pascal(k)): to_cfn(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [to_cfn(v) for v in value]
    return value


def cfn_template(items: list[tuple[dict, bool]]) -> dict:
    resources = {}
    for index, (campaign, _) in enumerate(items):
        props = {k: v for k, v in campaign.items() if k not in ("id", "arn")}
        resources[f"Campaign{index:04d}"] = {"Type": "AWS::ConnectCampaignsV2::Campaign",
                                             "Properties": to_cfn(props)}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


# --- measuring -------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    code: int
    out: str
    #: user + system CPU of the process and the children it waited for (its workers)
    cpu: float = 0.0


def _resident(pid: int) -> int:
    """A process's proportional set size (a page shared by n processes counts 1/n, so the
    sum over the CLI and its forked workers counts each page once), else its resident size."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): see :func:`_resident`."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            total += _resident(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path, memory: bool = False) -> Sample:
    """One run of ``command``: its wall and CPU time, or (``memory``) its peak memory, sampled.
    Not both: reading /proc for three processes every 10 ms takes this script a fifth of a
    core, which on a two-core machine slowed a 4 s run by 8-24%."""
    linux = os.path.exists("/proc/self/statm")
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while memory:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if linux:
                peak = max(peak, _tree_rss(process.pid))
            # every 1 ms at first: a 10 ms step would add up to 10 ms to a one-file run
            time.sleep(0.001 if time.perf_counter() - started < 0.2 else 0.01)
        if not memory:
            _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    # Linux's ru_maxrss of a child counts the RSS of this (large) process at fork time, before
    # the exec: only the samples are honest there
    single = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Sample(elapsed, (peak if linux else single) / 2**20, process.returncode, text,
                  usage.ru_utime + usage.ru_stime)


def median_of(command: list[str], runs: int, cwd: Path, ok: tuple = (0, 1),
              before: Callable[[], None] | None = None) -> tuple[float, float, Sample]:
    """Median wall time of ``runs`` runs, the peak memory of one more run (sampled, untimed),
    and the last timed sample (``before()`` is called, untimed, ahead of each run)."""
    samples = []
    for memory in [False] * runs + [True]:
        if before is not None:
            before()
        samples.append(measure(command, cwd, memory=memory))
    sampled, timed = samples[-1], samples[:-1]
    last = timed[-1]
    for sample in (last, sampled):
        if sample.code not in ok:
            raise SystemExit(f"{' '.join(command)} failed with exit code {sample.code}:\n{sample.out[-2000:]}")
    last.cpu = statistics.median(s.cpu for s in timed)
    return statistics.median(s.seconds for s in timed), sampled.peak_mib, last


def cli_help(python: str) -> str:
    return subprocess.run([python, "-m", "campaign_lint", "check", "--help"],
                          capture_output=True, text=True, check=False).stdout


@dataclass
class Row:
    work: str
    campaigns: int
    seconds: float
    peak_mib: float
    goal: str = ""
    cpu: float = 0.0

    def cells(self) -> list[str]:
        per = self.seconds / self.campaigns * 1000 if self.campaigns else 0
        return [self.work, f"{self.campaigns:,}", f"{self.seconds:.2f} s", f"{self.cpu:.2f} s",
                f"{per:.2f} ms", f"{self.peak_mib:.0f} MiB", self.goal]


def table(rows: list[Row]) -> str:
    head = ["work", "campaigns", "median wall", "CPU (all processes)", "wall per campaign",
            "peak memory", "goal"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[1]:.1f} (other work on the machine slows wall times)"
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}{load}")


def compile_package() -> None:
    """Byte-compile the package as an installed copy is: with PYTHONDONTWRITEBYTECODE set (as
    on the development machine), an editable checkout would compile itself on every run."""
    import compileall

    import campaign_lint
    import campaign_lint.rules

    for package in (campaign_lint, campaign_lint.rules):
        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--campaigns", type=int, default=10_000)
    parser.add_argument("-r", "--runs", type=int, default=3, help="runs per row (the median is shown)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--defects", type=float, default=0.05, help="share of campaigns with a defect")
    parser.add_argument("--tagged", type=float, default=0.1,
                        help="share of campaigns with a campaign-lint:ignore tag")
    parser.add_argument("--keep", metavar="DIR", help="write the corpora here and keep them")
    parser.add_argument("--no-cfn-lint", action="store_true", help="skip the cfn-lint rows")
    parser.add_argument("--only", choices=("startup", "json", "yaml", "stream", "warm", "cfn"),
                        action="append", help="run only these rows (repeatable)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter whose campaign_lint is measured (default: this one)")
    parser.add_argument("cli_args", nargs="*", help="extra arguments for campaign-lint check (after --)")
    args = parser.parse_args()
    wanted = set(args.only or ("startup", "json", "yaml", "stream", "warm", "cfn"))
    if args.python == sys.executable:
        compile_package()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="campaign-lint-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    user_cache = folder / "user-cache"
    os.environ["CAMPAIGN_LINT_CACHE_HOME"] = str(user_cache)  # the runs' own, not the user's
    help_text = cli_help(args.python)

    def forget_verdicts() -> None:
        """Cold means cold: no caller-id verdict remembered from an earlier repetition."""
        for verdicts in user_cache.glob("verdicts-*.json"):
            verdicts.unlink()
    has_cache = "--no-cache" in help_text
    cli = [args.python, "-m", "campaign_lint", "check", "--isolated", "--today", TODAY, *args.cli_args]
    cold = cli + (["--no-cache"] if has_cache else [])
    rows: list[Row] = []
    try:
        items = campaigns(args.campaigns, args.seed, args.defects, args.tagged)
        started = time.perf_counter()
        marker = folder / "corpus.json"
        recipe = json.dumps([args.campaigns, args.seed, args.defects, args.tagged])
        if marker.exists() and marker.read_text() == recipe:  # --keep DIR from an earlier run
            paths = {"json": folder / "json", "yaml": folder / "yaml", "stream": folder / "stream.yaml"}
        elif wanted & {"json", "yaml", "stream", "warm"}:
            paths = write_corpora(folder, items)
            marker.write_text(recipe)
            print(f"corpora of {args.campaigns:,} campaigns written to {folder} in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        n = args.campaigns
        if "startup" in wanted:
            one_file, runs = cold + [str(CLEAN_FILE)], max(args.runs, 20)
            measure(one_file, folder)  # builds the converted schema in the bench's user cache
            bare, _, _ = median_of([args.python, "-c", "pass"], runs, folder)
            seconds, peak, sample = median_of(one_file, runs, folder)
            rows.append(Row(f"one clean file (pre-commit; bare interpreter {bare:.3f} s)", 1,
                            seconds, peak, "<= 0.10 s", sample.cpu))

            seconds, peak, sample = median_of(one_file, runs, folder, before=forget_verdicts)
            rows.append(Row("the same, its caller id at first sight", 1, seconds, peak, "", sample.cpu))
        plan = [("json", f"{n:,} campaigns, one JSON file each", "<= 4 s, <= 250 MiB"),
                ("yaml", f"{n:,} campaigns, one YAML file each", "<= 6 s"),
                ("stream", f"{n:,} campaigns in one YAML stream", "<= 6 s, <= 400 MiB")]
        for key, work, goal in plan:
            if key in wanted:
                seconds, peak, sample = median_of(cold + [str(paths[key])], args.runs, folder,
                                                  before=forget_verdicts)
                rows.append(Row(work, n, seconds, peak, goal, sample.cpu))
                print(f"{work}: {sample.out.strip().splitlines()[-1]}", file=sys.stderr)
        if "warm" in wanted:
            cache = folder / ".campaign-lint-cache"
            if has_cache:
                shutil.rmtree(cache, ignore_errors=True)
                measure(cli + [str(paths["json"])], folder)  # fills the cache
                seconds, peak, sample = median_of(cli + [str(paths["json"])], args.runs, folder)
                work = "second run, nothing changed (JSON files, cache warm)"
            else:
                seconds, peak, sample = median_of(cold + [str(paths["json"])], args.runs, folder)
                work = "second run, nothing changed (JSON files; this CLI has no cache)"
            rows.append(Row(work, n, seconds, peak, "<= 1 s", sample.cpu))
        print(f"\nMachine: {machine()}\n")
        print(table(rows))
        if "cfn" in wanted and not args.no_cfn_lint:
            print()
            print(cfn_table(items, folder, args.runs, cold))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def cfn_table(items: list[tuple[dict, bool]], folder: Path, runs: int, cli: list[str]) -> str:
    """cfn-lint on templates of 1, 100 and 500 campaign resources, beside campaign-lint."""
    cfn_lint = shutil.which("cfn-lint")
    if cfn_lint is None:
        return "cfn-lint is not on PATH: no comparison rows."
    version = subprocess.run([cfn_lint, "--version"], capture_output=True, text=True).stdout.strip()
    head = ["campaign resources", "template", "cfn-lint", "per campaign", "peak memory",
            "campaign-lint, same campaigns", "per campaign", "peak memory", "ratio"]
    lines = [f"{version} (a subprocess) against campaign-lint on the same campaigns:", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for count in (1, 100, 500, CFN_MAX_RESOURCES + 1):
        chosen = [items[i % len(items)] for i in range(count)]
        template = folder / f"template-{count}.json"
        template.write_text(json.dumps(cfn_template(chosen), indent=1))
        size = template.stat().st_size
        if count > CFN_MAX_RESOURCES:
            sample = measure([cfn_lint, str(template)], folder)
            refusal = next((line for line in sample.out.splitlines() if "500" in line or "resource" in line.lower()),
                           sample.out.strip()[:120])
            lines.append(f"| {count} | {size / 1e6:.2f} MB | refused (exit {sample.code}): "
                         f"{refusal.strip()[:100]} | | | | | | |")
            continue
        # cfn-lint's exit code is a bit mask of the levels it found (2 error, 4 warning, 8 info)
        seconds, peak, found = median_of([cfn_lint, str(template)], runs, folder, ok=tuple(range(16)))
        # the same campaigns in the API shape, one file (campaign-lint reads a list of campaigns)
        api = folder / f"api-{count}.json"
        api.write_text(json.dumps([{"campaign": c} if d else c for c, d in chosen], indent=1))
        ours, our_peak, _ = median_of(cli + [str(api)], runs, folder)
        note = ""
        if size > CFN_MAX_BYTES:
            note = " (over 1 MB: cfn-lint E1002)" if "E1002" in found.out else " (over 1 MB)"
        lines.append(f"| {count} | {size / 1e6:.2f} MB{note} | {seconds:.2f} s | {seconds / count * 1000:.1f} ms | "
                     f"{peak:.0f} MiB | {ours:.2f} s | {ours / count * 1000:.2f} ms | {our_peak:.0f} MiB | "
                     f"{seconds / ours:.0f}x |")
    lines.append("")
    lines.append(f"cfn-lint refuses templates of more than {CFN_MAX_RESOURCES} resources or "
                 f"{CFN_MAX_BYTES / 1e6:.0f} MB; campaign-lint has no such limit.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
