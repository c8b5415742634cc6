"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, GitLab)."""

from __future__ import annotations

import json
import os
from typing import Any

from .. import __version__
from ..docs import parse_doc
from ..model import Finding, Severity
from ..suppress import fingerprint
from . import escape

SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "SRCROOT"


def _rule(rule: Any) -> dict:
    doc = parse_doc(rule)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc.body or rule.summary},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.default_enabled},
        "help": {"text": rule.doc, "markdown": _markdown(rule, doc)},
        "properties": {"tags": ["compliance", "amazon-connect"], "origin": rule.origin},
    }


def _markdown(rule: Any, doc: Any) -> str:
    parts = [f"**{rule.id} {rule.name}**: {doc.summary}", "", doc.body]
    for title, blocks in (("Fails", doc.fails), ("Passes", doc.passes)):
        parts += [f"{title}:\n\n```yaml\n{block}```" for block in blocks]
    return "\n\n".join(p for p in parts if p)


def _artifact(path: str, root: str) -> dict:
    """A percent-encoded URI, relative to the repository root where possible."""
    relative = escape.relative_path(path, root)
    if relative is not None:
        return {"uri": escape.uri_path(relative), "uriBaseId": ROOT_ID}
    return {"uri": _file_uri(os.path.abspath(path))}


def _file_uri(absolute: str) -> str:
    return "file://" + escape.uri_path(absolute.replace(os.sep, "/"))


def _result(finding: Finding, index: dict[str, int], root: str) -> dict:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": escape.sarif_text(finding.message)},
        "partialFingerprints": {"campaignLint/v1": fingerprint(finding)},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    location = _location(finding.path, finding.line, finding.column, finding.campaign, root)
    if location:
        result["locations"] = [location]
    if finding.related:
        result["relatedLocations"] = [
            dict(_location(r.path, r.line, r.column, r.campaign, root), id=number,
                 message={"text": escape.sarif_text((r.campaign.label() if r.campaign else None) or "campaign")})
            for number, r in enumerate(finding.related, 1)]
    properties = {k: v for k, v in (("pointer", finding.pointer), ("region", finding.region)) if v}
    properties.update(finding.properties)  # e.g. the policy pack and citation of CC7xx findings
    if properties:
        result["properties"] = properties
    if finding.suppressed is not None:
        kind = "external" if finding.suppressed == "baseline" else "inSource"
        result["suppressions"] = [{"kind": kind, "justification": escape.printable(finding.suppressed)}]
    return result


def _location(path: str | None, line: int | None, column: int | None, campaign: Any,
              root: str) -> dict[str, Any]:
    """A SARIF location: the file region and the campaign as a logical location."""
    location: dict[str, Any] = {}
    if path and path != "<stdin>":
        physical: dict[str, Any] = {"artifactLocation": _artifact(path, root)}
        if line:
            physical["region"] = {"startLine": line, "startColumn": column or 1}
        location["physicalLocation"] = physical
    if campaign and (campaign.arn or campaign.name or campaign.id):
        logical = {"name": escape.shorten(campaign.name or campaign.id or campaign.arn, 200),
                   "kind": "resource"}
        if campaign.arn:
            logical["fullyQualifiedName"] = campaign.arn
        location["logicalLocations"] = [logical]
    return location


def _model_properties() -> dict[str, str]:
    """The botocore release and service model API version the structural checks come from."""
    from ..schema import model_versions

    versions = model_versions()
    return {"botocore": versions["botocore"], "apiVersion": versions["apiVersion"]}


def render(result: Any, context: Any) -> str:
    rules = list(context.rules)
    index = {rule.id: number for number, rule in enumerate(rules)}
    root = os.path.abspath(context.root)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "campaign-lint",
                "version": __version__,
                "rules": [_rule(rule) for rule in rules],
                "properties": _model_properties(),
            }},
            "originalUriBaseIds": {ROOT_ID: {"uri": _file_uri(root).rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index, root) for f in result.findings],
        }],
    }
    return escape.encodable(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
