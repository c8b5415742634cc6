"""The stable JSON document (``"version": 1``) for scripts and other tools."""

from __future__ import annotations

import json
from typing import Any

from ..model import Finding, Severity
from .escape import encodable


def finding_dict(finding: Finding) -> dict[str, Any]:
    campaign = finding.campaign
    document = {
        "rule": finding.rule,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": finding.path,
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "campaign": {"id": campaign.id, "name": campaign.name, "arn": campaign.arn} if campaign else None,
        "region": finding.region,
        "suppressed": finding.suppressed,
    }
    if finding.properties:  # e.g. the policy pack and citation of CC7xx findings
        document["properties"] = dict(finding.properties)
    return document


def tool_info() -> dict[str, str]:
    """campaign-lint's version and the botocore model its structural checks come from."""
    from .. import __version__
    from ..schema import model_versions

    versions = model_versions()
    return {"name": "campaign-lint", "version": __version__, "botocore": versions["botocore"],
            "apiVersion": versions["apiVersion"]}


def render(result: Any, context: Any) -> str:
    counted = result.counted()
    summary = {"files": result.files, "campaigns": result.campaigns}
    if result.regions is not None:
        summary["regions"] = result.regions
    for level in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        summary[str(level)] = sum(1 for f in counted if f.severity == level)
    summary["suppressed"] = len(result.findings) - len(counted)
    document = {"version": 1, "findings": [finding_dict(f) for f in result.findings],
                "summary": summary, "tool": tool_info()}
    return encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
