"""Rule documentation: parse a rule's docstring into parts, and render it."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date

from .record import record, field

from .rule import Rule, range_text

_SECTION = re.compile(r"^(Fails|Passes):\s*$")
#: the first line of an example whose outcome depends on the date (holidays of the next 365
#: days, "in the past"): ``# dated: lint it with --today 2026-11-29 (why)``. Every other example
#: must hold whatever the date; the test suite lints it today, a year and five years on, and on fixed days up to 2045.
_DATED = re.compile(r"\A#\s*dated:.*?--today (\d{4}-\d{2}-\d{2})\b")


@record
class RuleDoc:
    summary: str
    body: str
    fails: list[str] = field(default_factory=list)
    passes: list[str] = field(default_factory=list)


def parse_doc(rule: Rule) -> RuleDoc:
    """Split a rule's docstring into summary, prose body and its examples (reST's
    ``literal`` markup is shown as Markdown's `literal`)."""
    lines = rule.doc.replace("``", "`").splitlines()
    summary = lines[0].strip()
    body: list[str] = []
    examples: dict[str, list[str]] = {"Fails": [], "Passes": []}
    index = 1
    while index < len(lines):
        match = _SECTION.match(lines[index])
        if not match:
            body.append(lines[index])
            index += 1
            continue
        block = []
        index += 1
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith((" ", "\t"))):
            block.append(lines[index])
            index += 1
        examples[match.group(1)].append(textwrap.dedent("\n".join(block)).strip("\n") + "\n")
    return RuleDoc(summary, "\n".join(body).strip(), examples["Fails"], examples["Passes"])


def example_today(example: str) -> date | None:
    """The date a dated example is checked with (its ``# dated: ... --today YYYY-MM-DD`` first
    line), or None for an example that holds whatever the date."""
    match = _DATED.match(example)
    return date.fromisoformat(match.group(1)) if match else None


def render_explain(rule: Rule) -> str:
    """What ``campaign-lint explain`` prints."""
    doc = parse_doc(rule)
    out = [f"{rule.id} {rule.name} ({rule.severity}, {rule.scope} rule, {rule.origin})", "",
           doc.summary, ""]
    if doc.body:
        out += [doc.body, ""]
    for title, blocks in (("Fails", doc.fails), ("Passes", doc.passes)):
        for block in blocks:
            out += [f"{title}:", "", textwrap.indent(block.rstrip("\n"), "    "), ""]
    if rule.options:
        out += ["Options (rule-options in the config):", ""]
        out += [f"    {name} = {_toml_value(value)}"
                + (f"  # {range_text(*rule.option_ranges[name])}" if name in rule.option_ranges else "")
                for name, value in rule.options.items()]
        out.append("")
    if not rule.default_enabled and rule.origin == "builtin" and rule.id.startswith("CC7"):
        out += ["This rule is off unless a policy pack is selected (--policy, or policies in\n"
                "the config); selecting the rule without a pack reports nothing.", ""]
    elif not rule.default_enabled:
        out += ["This rule is off unless selected (select or extend-select).", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _toml_value(value: object) -> str:
    """An option's default as it is written in the config (TOML): ``false``, not ``False``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value)


def rules_table(rules: list[Rule]) -> str:
    """The Markdown rule table of the README."""
    rows = ["| id | name | severity | summary |", "|---|---|---|---|"]
    for rule in rules:
        note = "" if rule.default_enabled else " (opt-in)"
        rows.append(f"| {rule.id} | {rule.name} | {rule.severity}{note} | {rule.summary} |")
    return "\n".join(rows) + "\n"


START, END = "<!-- rules-table:start -->\n", "<!-- rules-table:end -->"


def update_readme(path: str) -> bool:
    """Rewrite the rule table between the README's markers; True if it changed."""
    from .registry import Registry

    return rewrite_between(path, START, END, rules_table(list(Registry.load(plugins=False))))


def rewrite_between(path: str, start: str, end: str, content: str) -> bool:
    """Replace what lies between two marker lines of a file (atomically); True if it changed."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    new = head + start + content + end + tail
    if new != text:
        from .atomic import write_atomic

        write_atomic(path, new)
    return new != text


if __name__ == "__main__":  # python -m campaign_lint.docs README.md
    import sys

    changed = update_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print("README rule table updated" if changed else "README rule table is current")
