"""``path:line:col: CC301 error: message [campaign]`` lines and a summary line."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Finding, Severity
from . import escape
from .terminal import PLAIN, Palette, excerpt, source_lines


def where(finding: Finding) -> str:
    """``path:line:col``, or the ARN (and pointer) of a campaign read from AWS; escaped."""
    if finding.path is None:
        arn = finding.campaign.arn if finding.campaign else None
        if arn:
            arn = escape.printable(arn, escape.MESSAGE_LIMIT)
            return f"{arn}#{escape.printable(finding.pointer)}" if finding.pointer else arn
        return escape.printable(finding.region or "-")
    path = escape.not_a_place(escape.printable(finding.path))
    if finding.line is None:
        return path
    return f"{path}:{finding.line}:{finding.column}"


def line(finding: Finding, palette: Palette = PLAIN, fixable: bool = False) -> str:
    """One finding on one line, whatever its data holds (control characters escaped)."""
    label = escape.label(finding.campaign.label()) if finding.campaign else None
    suffix = f" [{label}]" if label else ""
    mark = " [*]" if fixable else ""
    return (f"{palette('path', where(finding))}: {palette('rule', finding.rule)}{mark} "
            f"{palette(finding.severity, str(finding.severity))}: {escape.message(finding.message)}{suffix}")


def fixable(finding: Finding, unsafe_fixes: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when given) would fix the finding."""
    return finding.fix is not None and (finding.fix.safe or unsafe_fixes)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary(result: Any) -> str:
    counted = result.counted()
    where = (_plural(result.regions, "region") if result.regions is not None
             else _plural(result.files, "file"))
    scope = f"{_plural(result.campaigns, 'campaign')} in {where}"
    if result.not_checked:
        scope += f" ({_plural(result.not_checked, 'campaign')} not checked)"
    suppressed = len(result.findings) - len(counted)
    tail = f", {suppressed} suppressed" if suppressed else ""
    if not counted:
        return f"No problems found: {scope}{tail}."
    parts = [_plural(sum(1 for f in counted if f.severity == level), str(level))
             for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    return f"Found {_plural(len(counted), 'problem')} ({', '.join(parts)}) in {scope}{tail}."


def statistics(findings: list[Finding], palette: Palette = PLAIN,
               unsafe_fixes: bool = False) -> list[str]:
    """One line per rule, most frequent first (ruff's ``--statistics``):
    count, rule id, ``[*]`` when every finding of the rule is fixable, name, severity."""
    counts = Counter(f.rule for f in findings)
    first = {f.rule: f for f in reversed(findings)}
    fixes = {rule: all(fixable(f, unsafe_fixes) for f in findings if f.rule == rule) for rule in counts}
    width = len(str(max(counts.values(), default=0)))
    id_width = max((len(rule) for rule in counts), default=0)
    lines = []
    for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        finding = first[rule]
        mark = "[*]" if fixes[rule] else "[ ]"
        lines.append(f"{count:>{width}}  {palette('rule', rule.ljust(id_width))}  {mark} "
                     f"{finding.name} ({palette(finding.severity, str(finding.severity))})")
    return lines


def render(result: Any, context: Any) -> str:
    palette = Palette(context.color)
    unsafe = context.unsafe_fixes
    counted = result.counted()
    if context.statistics:
        lines = statistics(counted, palette, unsafe)
    else:
        lines = []
        sources: dict = {}
        for finding in counted:
            lines.append(line(finding, palette, fixable(finding, unsafe)))
            if context.show_source and finding.line:
                text = source_lines(finding.path, sources)
                lines += excerpt(text, finding.line, finding.column, palette) if text else []
    if not context.quiet or result.exit_code(context.fail_on):
        lines += fixable_summary(counted, unsafe)  # before the summary: that stays the last line
        lines.append(summary(result))
    return "".join(f"{escape.line_safe(text)}\n" for text in lines)


def fixable_summary(findings: list[Finding], unsafe_fixes: bool) -> list[str]:
    """``[*] 3 fixable with --fix`` (and how many more --unsafe-fixes would fix)."""
    safe = sum(1 for f in findings if fixable(f))
    unsafe = sum(1 for f in findings if fixable(f, True)) - safe
    if unsafe_fixes:
        safe, unsafe = safe + unsafe, 0
    if not safe and not unsafe:
        return []
    flag = "--fix --unsafe-fixes" if unsafe_fixes else "--fix"
    parts = [f"{safe} fixable with {flag}"] if safe else []
    if unsafe:
        parts.append(f"{unsafe} more with --fix --unsafe-fixes" if safe
                     else f"{unsafe} fixable with --fix --unsafe-fixes")
    return [f"[*] {'; '.join(parts)} (--diff shows the changes)"]
