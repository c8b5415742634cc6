"""GitHub Actions workflow commands: annotations on the pull request's files."""

from __future__ import annotations

from typing import Any

from ..model import Finding, Severity
from .text_report import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = []
    if finding.path:
        properties.append(f"file={_property(finding.path)}")
    if finding.line:
        properties.append(f"line={finding.line}")
        properties.append(f"col={finding.column or 1}")
    properties.append(f"title={_property(finding.rule)}")
    label = finding.campaign.label() if finding.campaign else None
    message = f"{finding.message} [{label}]" if label else finding.message
    if finding.path is None and finding.region:
        message = f"{finding.region}: {message}"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}"


def render(result: Any, context: Any) -> str:
    lines = [annotation(f) for f in result.counted()]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
