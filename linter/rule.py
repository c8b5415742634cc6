"""The rule API. Built-in rules and third-party plugins use exactly this.

A rule is a function decorated with :func:`rule`. Its docstring is the rule's
documentation: the first line is the one-line summary, and the sections
``Fails:`` and ``Passes:`` hold indented YAML examples (a campaign, or for
run-wide rules a list of campaigns). ``campaign-lint explain`` prints the
docstring, and the test suite lints every example, so the docs cannot drift.
An example must hold whatever the date; one that cannot starts with the line
``# dated: lint it with --today YYYY-MM-DD (why)`` (see :func:`campaign_lint.docs.example_today`).

    from campaign_lint.rule import rule, Problem

    @rule("ACME001", "no-weekend-calls", severity="warning")
    def no_weekend_calls(campaign, context):
        '''Telephony open hours include a weekend day.

        Fails:

            communicationTimeConfig:
              telephony:
                openHours:
                  dailyHours:
                    SATURDAY: [{startTime: T09:00, endTime: T12:00}]

        Passes:

            communicationTimeConfig:
              telephony:
                openHours:
                  dailyHours:
                    MONDAY: [{startTime: T09:00, endTime: T12:00}]
        '''
        days = campaign.mapping("/communicationTimeConfig/telephony/openHours/dailyHours")
        for day in ("SATURDAY", "SUNDAY"):
            if days.get(day):
                yield Problem(f"/communicationTimeConfig/telephony/openHours/dailyHours/{day}",
                              f"telephony is open on {day}")
"""

from __future__ import annotations

import re
from .record import record, field
from datetime import date, datetime
from typing import Any, Callable, Iterable, Mapping

from .model import REMOVE, Campaign, Fix, Problem, Severity

__all__ = ["Rule", "rule", "Problem", "Fix", "REMOVE", "Context", "Campaign", "Severity"]

RULE_ID = re.compile(r"^[A-Z]{1,10}[0-9]{1,5}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SCOPES = ("campaign", "run")


@record
class Context:
    """What a rule may know besides the campaign itself."""

    #: this rule's options, defaults merged with the user's config
    options: Mapping[str, Any] = field(default_factory=dict)
    #: "today" for date rules (``--today`` pins it for reproducible CI)
    today: date = field(default_factory=date.today)
    #: structural errors of a campaign, computed once by the engine and shared
    structure: Callable[[Campaign], list] = lambda campaign: []
    #: the policy packs (CC7xx) selected for a campaign, with their audience zones
    policies: Callable[[Campaign], list] = lambda campaign: []

    def malformed(self, campaign: Campaign, pointer: str) -> bool:
        """True when the structural rules (CC1xx) already report the value at ``pointer``,
        so that one defect gives one finding."""
        errors = self.structure(campaign)
        return bool(errors) and any(error.pointer == pointer for error in errors)  # most: none

    @property
    def now(self) -> datetime:
        """The start of ``today`` (UTC, naive); schedule times are compared to it."""
        return datetime(self.today.year, self.today.month, self.today.day)


@record(frozen=True)
class Rule:
    """A registered rule: identity, documentation and the check itself."""

    id: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Callable[..., Iterable[Problem]] | None
    #: "campaign": check(campaign, context); "run": check(campaigns, context)
    scope: str = "campaign"
    options: Mapping[str, Any] = field(default_factory=dict)
    #: off unless selected explicitly (policy packs and other opt-in rules)
    default_enabled: bool = True
    #: where the rule comes from: "builtin", a plugin's distribution, or a file
    origin: str = "builtin"
    #: the smallest and largest value a numeric option may take (None: no bound), by option
    option_ranges: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)


def rule(
    id: str,
    name: str,
    severity: str | Severity = "error",
    *,
    scope: str = "campaign",
    options: Mapping[str, Any] | None = None,
    enabled: bool = True,
    option_ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> Callable[[Callable[..., Iterable[Problem]]], Rule]:
    """Declare a rule; the decorated function's docstring is its documentation. ``options``
    are its settings and their defaults; ``option_ranges`` bounds numeric ones (``(0, 1)``)."""
    if not RULE_ID.match(id):
        raise ValueError(f"rule id {id!r} must look like ABC123")
    if not RULE_NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if scope not in SCOPES:
        raise ValueError(f"rule scope {scope!r} must be one of {SCOPES}")
    level = severity if isinstance(severity, Severity) else Severity.parse(severity)

    def decorate(check: Callable[..., Iterable[Problem]]) -> Rule:
        return declare(id, name, level, check.__doc__, check, scope=scope, options=options,
                       enabled=enabled, origin=check.__module__, option_ranges=option_ranges)

    return decorate


def range_text(low: float | None, high: float | None) -> str:
    """The values an option may take, in words (``from 0 to 1``)."""
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def cleandoc(doc: str) -> str:
    """``inspect.cleandoc(doc)``: the docstring without its common indentation and blank
    edge lines. Here because importing :mod:`inspect` costs a one-file run about 10 ms."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()]
    margin = min(indents, default=0)
    lines = [lines[0].lstrip()] + [line[margin:] for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def declare(id: str, name: str, severity: Severity, doc: str | None,
            check: Callable[..., Iterable[Problem]] | None, *, scope: str = "campaign",
            options: Mapping[str, Any] | None = None, enabled: bool = True,
            origin: str = "builtin",
            option_ranges: Mapping[str, tuple[float | None, float | None]] | None = None) -> Rule:
    """Build a Rule from its parts; :func:`rule` is the decorator form."""
    text = cleandoc(doc or "")
    if not text:
        raise ValueError(f"rule {id} has no documentation")
    unknown = set(option_ranges or ()) - set(options or ())
    if unknown:
        raise ValueError(f"rule {id}: option_ranges name options it does not have: {', '.join(sorted(unknown))}")
    summary = text.splitlines()[0].strip().rstrip(".")
    return Rule(id=id, name=name, severity=severity, summary=summary, doc=text,
                check=check, scope=scope, options=dict(options or {}),
                default_enabled=enabled, origin=origin, option_ranges=dict(option_ranges or {}))
