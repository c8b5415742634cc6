"""GitHub Actions workflow commands: annotations on the pull request's files."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Severity
from . import escape
from .text_report import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """The workflow-command escaping (a newline in data is data, never a second line or a
    second command); other control characters (ANSI escapes) are shown escaped."""
    return escape.printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, root: str = ".") -> str:
    """One ``::error file=...`` line; the file relative to the repository root, as GitHub
    expects (a file outside the repository keeps the path it was given)."""
    properties = []
    if finding.path:
        path = escape.relative_path(finding.path, root) if finding.path != "<stdin>" else None
        properties.append(f"file={_property(path or finding.path)}")
    if finding.line:
        properties.append(f"line={finding.line}")
        properties.append(f"col={finding.column or 1}")
    properties.append(f"title={_property(finding.rule)}")
    label = escape.label(finding.campaign.label()) if finding.campaign else None
    text = escape.shorten(finding.message, escape.MESSAGE_LIMIT)
    message = f"{text} [{label}]" if label else text
    if finding.path is None and finding.region:
        message = f"{finding.region}: {message}"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}"


def render(result: Any, context: Any) -> str:
    lines = [annotation(f, context.root) for f in result.counted()]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
