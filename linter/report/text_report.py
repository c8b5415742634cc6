"""``path:line:col: CC301 error: message [campaign]`` lines and a summary line."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Severity
from . import escape


def where(finding: Finding) -> str:
    """``path:line:col``, or the ARN (and pointer) of a campaign read from AWS; escaped."""
    if finding.path is None:
        arn = finding.campaign.arn if finding.campaign else None
        if arn:
            arn = escape.printable(arn, escape.MESSAGE_LIMIT)
            return f"{arn}#{escape.printable(finding.pointer)}" if finding.pointer else arn
        return escape.printable(finding.region or "-")
    path = escape.printable(finding.path)
    if finding.line is None:
        return path
    return f"{path}:{finding.line}:{finding.column}"


def line(finding: Finding) -> str:
    """One finding on one line, whatever its data holds (control characters escaped)."""
    label = escape.label(finding.campaign.label()) if finding.campaign else None
    suffix = f" [{label}]" if label else ""
    return f"{where(finding)}: {finding.rule} {finding.severity}: {escape.message(finding.message)}{suffix}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary(result: Any) -> str:
    counted = result.counted()
    where = (_plural(result.regions, "region") if result.regions is not None
             else _plural(result.files, "file"))
    scope = f"{_plural(result.campaigns, 'campaign')} in {where}"
    suppressed = len(result.findings) - len(counted)
    tail = f", {suppressed} suppressed" if suppressed else ""
    if not counted:
        return f"No problems found: {scope}{tail}."
    parts = [_plural(sum(1 for f in counted if f.severity == level), str(level))
             for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    return f"Found {_plural(len(counted), 'problem')} ({', '.join(parts)}) in {scope}{tail}."


def render(result: Any, context: Any) -> str:
    lines = [line(f) for f in result.findings if f.suppressed is None]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
