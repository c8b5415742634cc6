"""Reporters: one module per output format, each a ``render(result, context)``."""

from __future__ import annotations

import importlib
from ..record import record, field
from typing import Any

FORMATS = ("text", "json", "sarif", "junit", "github", "html")


@record
class ReportContext:
    """What a reporter may need besides the findings."""

    rules: list = field(default_factory=list)  # every known Rule, for formats that list them
    root: str = "."  # the repository root: SARIF makes file URIs relative to it
    fail_on: str = "error"  # JUnit fails the test cases of findings at or above it
    # text output only:
    color: bool = False  # ANSI colours for paths, rule ids and severities
    statistics: bool = False  # one line per rule with its count, instead of the findings
    quiet: bool = False  # the summary line only when the run fails
    show_source: bool = False  # the offending line with a caret under each finding
    unsafe_fixes: bool = False  # mark findings fixable with --unsafe-fixes too
    today: Any = None  # html: the week drawn is the one holding this date
    policies: Any = None  # html: campaign -> the policy packs (ActivePack) that apply to it


def render(format_name: str, result: Any, context: ReportContext) -> str:
    module = importlib.import_module(f"{__name__}.{format_name}_report")
    return module.render(result, context)
