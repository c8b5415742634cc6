"""The stable JSON document (``"version": 1``) for scripts and other tools."""

from __future__ import annotations

import json
from typing import Any

from ..model import Finding, Severity
from .escape import encodable, printable


def finding_dict(finding: Finding) -> dict[str, Any]:
    """One finding. Its text for people (the message, a suppression's reason, the fix's title) is
    escaped as the text report shows it (``\\u202e``, ``\\n``): a viewer that shows it must not
    reorder or hide part of it. The values that name something (file, pointer, campaign, region,
    properties) stay exact, for a script to match against the file or AWS; :func:`encodable`
    writes their bidi and invisible characters as JSON escapes."""
    document = {
        "rule": finding.rule,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": printable(finding.message),
        "file": finding.path,
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "campaign": _campaign(finding.campaign),
        "region": finding.region,
        "suppressed": _shown(finding.suppressed),
    }
    if finding.properties:  # e.g. the policy pack and citation of CC7xx findings
        document["properties"] = dict(finding.properties)
    if finding.fix is not None:  # --fix can fix it (with --unsafe-fixes when not safe)
        document["fix"] = {"title": printable(finding.fix.title), "safe": finding.fix.safe}
    if finding.related:  # the other campaigns of a grouped cross-campaign finding
        document["related"] = [{"file": r.path, "line": r.line, "column": r.column, "pointer": r.pointer,
                                "campaign": _campaign(r.campaign), "region": r.region}
                               for r in finding.related]
    return document


def _shown(text: str | None) -> str | None:
    return None if text is None else printable(text)


def _campaign(campaign: Any) -> dict[str, Any] | None:
    return {"id": campaign.id, "name": campaign.name, "arn": campaign.arn} if campaign else None


def tool_info() -> dict[str, str]:
    """campaign-lint's version and the botocore model its structural checks come from."""
    from .. import __version__
    from ..schema import model_versions

    versions = model_versions()
    return {"name": "campaign-lint", "version": __version__, "botocore": versions["botocore"],
            "apiVersion": versions["apiVersion"]}


def render(result: Any, context: Any) -> str:
    counted = result.counted()
    summary = {"files": result.files, "campaigns": result.campaigns, "notChecked": result.not_checked}
    if result.regions is not None:
        summary["regions"] = result.regions
    for level in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        summary[str(level)] = sum(1 for f in counted if f.severity == level)
    summary["suppressed"] = len(result.findings) - len(counted)
    #: suppressions of each kind the ``suppressions`` setting left out: they hid nothing
    summary["notHonoured"] = dict(result.unhonoured)
    document = {"version": 1, "findings": [finding_dict(f) for f in result.findings],
                "summary": summary, "tool": tool_info()}
    return encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
