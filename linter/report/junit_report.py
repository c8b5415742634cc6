"""JUnit XML: a test suite per file (or region), a test case per finding and per clean campaign.

Findings at or above ``--fail-on`` are failing test cases, so the JUnit verdict
matches the exit code; findings below it are passing cases with the finding as
output.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from xml.etree import ElementTree as ET

from ..engine import FAIL_LEVELS
from ..model import Finding
from . import escape
from .text_report import line as text_line


def _suite_of(finding: Finding) -> str:
    return escape.printable(finding.path or finding.region or "campaigns")


def _label(finding: Finding) -> str:
    return escape.label(finding.campaign.label() if finding.campaign else None) or "campaign"


def render(result: Any, context: Any) -> str:
    threshold = FAIL_LEVELS.get(context.fail_on)
    suites: dict[str, list] = defaultdict(list)
    reported = set()
    for finding in result.counted():
        suites[_suite_of(finding)].append(finding)
        reported.add((_suite_of(finding), _label(finding)))
    for suite, label in result.checked:
        suite, label = escape.printable(suite), escape.label(label)
        if (suite, label) not in reported:
            suites[suite].append(label)
    root = ET.Element("testsuites", name="campaign-lint")
    totals = [0, 0]
    for name in sorted(suites):
        suite = ET.SubElement(root, "testsuite", name=name)
        failed = 0
        for item in suites[name]:
            failed += _case(suite, name, item, threshold)
        counts = {"tests": len(suites[name]), "failures": failed, "errors": 0, "skipped": 0}
        for key, value in counts.items():
            suite.set(key, str(value))
        totals[0] += len(suites[name])
        totals[1] += failed
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case(suite: ET.Element, suite_name: str, item: Finding | str, threshold: Any) -> int:
    """Add one test case; 1 when it is a failure."""
    if isinstance(item, str):
        ET.SubElement(suite, "testcase", classname=suite_name, name=f"{item}: no problems")
        return 0
    name = f"{_label(item)}: {item.rule} {escape.printable(item.pointer or '')}".rstrip()
    case = ET.SubElement(suite, "testcase", classname=suite_name, name=name)
    if threshold is not None and item.severity >= threshold:
        failure = ET.SubElement(case, "failure", message=escape.message(item.message),
                                type=f"{item.rule} {item.name} ({item.severity})")
        failure.text = text_line(item)
        return 1
    ET.SubElement(case, "system-out").text = text_line(item)
    return 0
