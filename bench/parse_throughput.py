"""How fast are the parsers, and how fast is a hostile file refused?

Generates (seeded) corpora from the example campaigns and prints medians of repeated runs:
- JSON: the C-json fast path vs the position-tracking parser, for one campaign and 1,100,
- YAML: libyaml vs the pure-Python loader, for one campaign, 1,100 in one document (no
  alias, and sharing anchors) and a 1,000-document stream,
- the time until an alias/merge-key bomb or a long aliased key is refused (CC001),
- the whole `check` command on the 1,100-campaign YAML document.

    python bench/parse_throughput.py            # 3 runs each
    python bench/parse_throughput.py -n 5
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign_lint.sources.parse import ParseError, _JsonParser, parse_json, parse_yaml  # noqa: E402


def campaigns(count: int) -> list[dict]:
    base = yaml.safe_load((ROOT / "examples" / "clean" / "appointment-reminders.yaml").read_text())
    result = []
    for index in range(count):
        campaign = copy.deepcopy(base)
        campaign["name"] = f"reminders-{index:05d}"
        campaign["channelSubtypeConfig"]["sms"]["capacity"] = round(0.1 + (index % 9) / 10, 1)
        result.append(campaign)
    return result


def bombs() -> dict[str, str]:
    merge = ["a0: &a0 {x0: [1, 2, 3, 4, 5, 6, 7, 8, 9]}"]
    for i in range(1, 12):
        merge.append(f"a{i}: &a{i} {{<<: *a{i - 1}, " + ", ".join(f"k{j}: *a{i - 1}" for j in range(9)) + "}")
    laughs = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        laughs.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    key = 'key: &k "' + "k" * 1_000_000 + '"\ntags: ' + "{*k : " * 50 + "1" + "}" * 50
    return {"merge-key + alias bomb": "\n".join(merge), "billion laughs": "\n".join(laughs),
            "1 MB key through 50 aliases": key}


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def refused(text: str) -> None:
    try:
        parse_yaml(text)
    except ParseError as error:
        assert "alias bomb" in error.message or "contains it" in error.message, error.message
        return
    raise AssertionError("not refused")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    args = parser.parse_args()
    one, many = campaigns(1), campaigns(1100)
    json_one, json_many = json.dumps(one[0], indent=2), json.dumps(many, indent=2)
    yaml_one = yaml.safe_dump(one[0], sort_keys=False)
    yaml_many = yaml.safe_dump(copy.deepcopy(many), sort_keys=False)  # no shared objects: no alias
    shared = campaigns(1)[0]
    yaml_anchored = yaml.safe_dump([dict(shared, name=f"c{i}") for i in range(1100)], sort_keys=False)
    yaml_stream = yaml.safe_dump_all(campaigns(1000), sort_keys=False)
    assert "&id" not in yaml_many and "&id" in yaml_anchored

    rows = [
        ("JSON, 1 campaign", lambda: parse_json(json_one), lambda: _JsonParser(json_one).parse()),
        ("JSON, 1,100 campaigns in one array", lambda: parse_json(json_many),
         lambda: _JsonParser(json_many).parse()),
        ("YAML, 1 campaign", lambda: parse_yaml(yaml_one), lambda: parse_yaml(yaml_one, pure=True)),
        ("YAML, 1,100 campaigns, one document, no alias", lambda: parse_yaml(yaml_many),
         lambda: parse_yaml(yaml_many, pure=True)),
        ("YAML, 1,100 campaigns sharing anchors", lambda: parse_yaml(yaml_anchored),
         lambda: parse_yaml(yaml_anchored, pure=True)),
        ("YAML, 1,000-document stream", lambda: parse_yaml(yaml_stream),
         lambda: parse_yaml(yaml_stream, pure=True)),
    ]
    print(f"median of {args.runs} runs; Python {sys.version.split()[0]}, PyYAML {yaml.__version__} "
          f"(libyaml: {yaml.__with_libyaml__})\n")
    print(f"| {'input':<46} | {'fast path':>10} | {'exact/pure':>10} | {'ratio':>6} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|{'-' * 8}|")
    for name, fast, slow in rows:
        fast_time, slow_time = median_time(fast, args.runs), median_time(slow, args.runs)
        print(f"| {name:<46} | {fast_time:>9.3f}s | {slow_time:>9.3f}s | {slow_time / fast_time:>5.1f}x |")
    print(f"\n| {'hostile YAML (refused as CC001)':<46} | {'bytes':>10} | {'refused in':>10} |")
    print(f"|{'-' * 48}|{'-' * 12}|{'-' * 12}|")
    for name, text in bombs().items():
        print(f"| {name:<46} | {len(text):>10,} | {median_time(lambda text=text: refused(text), args.runs):>9.3f}s |")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "campaigns.yaml"
        path.write_text(yaml_many)
        command = [sys.executable, "-m", "campaign_lint", "check", "--isolated", "--format", "json",
                   str(path)]
        wall = median_time(lambda: subprocess.run(command, capture_output=True, cwd=ROOT), args.runs)
        run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        summary = json.loads(run.stdout)["summary"]
        print(f"\n`check` on 1,100 campaigns in one YAML document ({len(yaml_many):,} bytes): "
              f"{wall:.2f}s, {summary['campaigns']} campaigns, exit {run.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
