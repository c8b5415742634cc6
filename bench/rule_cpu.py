"""CPU the per-campaign rule bodies spend per campaign (issue 12), and the costliest rules.

    python bench/rule_cpu.py /tmp/c1k [--rounds 3] [--top 15]

Loads every campaign file under the folder (not timed), computes each campaign's structural
errors (the engine's work, not timed), then runs every active per-campaign rule over each
campaign in the engine's order (campaign by campaign) and times each rule body with
``time.process_time``. Each round reloads the files, so memos start from fresh campaigns as
in a real run. Prints the best round's total per campaign and its costliest rules. Findings
and their positions (engine.hit) are not included: this measures the rules alone.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from campaign_lint.config import Config
from campaign_lint.engine import Engine, Selection
from campaign_lint.registry import Registry
from campaign_lint.sources.files import load_bytes


def load(folder: Path) -> list:
    campaigns = []
    for path in sorted(folder.rglob("*.json")):
        campaigns += load_bytes(path.read_bytes(), str(path), "json").campaigns
    return campaigns


def one_round(engine: Engine, folder: Path) -> tuple[int, dict[str, float]]:
    campaigns = load(folder)
    for campaign in campaigns:
        engine.structure(campaign)
    rules = [rule for rule in engine.active if rule.scope == "campaign"]
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for campaign in campaigns:
        for rule in rules:
            context = engine.contexts[rule.id]
            started = clock()
            try:
                list(rule.check(campaign, context))
            except Exception:  # noqa: BLE001 - the engine turns these into CC010; count the time
                pass
            spent[f"{rule.id} {rule.name}"] += clock() - started
    engine.forget_structure(campaigns)
    return len(campaigns), spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    engine = Engine(Registry.load(plugins=False), Config(), Selection())
    rounds = [one_round(engine, args.folder) for _ in range(args.rounds)]
    count, spent = min(rounds, key=lambda r: sum(r[1].values()))
    total = sum(spent.values())
    print(f"{count} campaigns, rule bodies: {total * 1000 / count:.3f} ms CPU per campaign "
          f"(best of {args.rounds} rounds)")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1])[:args.top]:
        print(f"  {seconds * 1e6 / count:8.1f} us/campaign  {name}")


if __name__ == "__main__":
    main()
