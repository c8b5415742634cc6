"""The engine: select rules, run them in isolation, turn problems into findings.

Nothing here knows a particular rule; rules arrive through the registry.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import math
import os
import sys
import threading
from .record import record, field, replace
from datetime import date
from typing import Any, Callable, Collection, Iterable, Iterator, Mapping

from .config import SUPPRESSION_KINDS, Config, ConfigError, check_policy_today
from .diagnostics import DUPLICATE_CAMPAIGN, NOT_CHECKED, STALE_BASELINE_ENTRY
from .model import (UNKNOWN_MARK, Campaign, CampaignRef, Finding, Fix, Origin, Problem, Related, Severity, freeze,
                    quote)
from .registry import Registry
from .rule import Context, Rule, range_text
from .suppress import Suppressor, apply_baseline, baseline_path, stale_entries

#: engine findings that mean "this was not checked": always reported
ALWAYS_ON = NOT_CHECKED
FAIL_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


@record
class Selection:
    """select / extend-select / ignore, resolved ruff-style: the longest matching
    prefix decides, and ignore wins a tie."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    def enabled(self, rule: Rule) -> bool:
        if rule.id in ALWAYS_ON:
            return True
        chosen = _specificity(rule.id, (self.select or []) + self.extend_select)
        if chosen is None:
            if self.select is not None or not rule.default_enabled:
                return False
            chosen = 0
        ignored = _specificity(rule.id, self.ignore)
        return ignored is None or ignored < chosen


def _specificity(rule_id: str, prefixes: Iterable[str]) -> int | None:
    """Length of the longest prefix matching ``rule_id`` (``ALL`` matches with 0), or None."""
    lengths = [0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or rule_id.startswith(p)]
    return max(lengths) if lengths else None


def _check_codes(registry: Registry, codes: Iterable[str], where: str) -> None:
    for code in codes:
        if code != "ALL" and not registry.matching(code):
            named = registry.lookup(code)  # a rule's name: say which id it has
            hint = (f"{named.name} is the name of {named.id}: give its id" if named
                    else "see: campaign-lint rules")
            raise ConfigError(f"{where}: {code!r} matches no rule id ({hint})")


def _refuse_not_checked(codes: Iterable[str], where: str) -> None:
    """Ignoring CC001/CC003/CC010 by name would be accepted and do nothing: say so instead."""
    for code in codes:
        if code in ALWAYS_ON:
            raise ConfigError(f"{where}: {code} cannot be ignored: it reports input that was not "
                              "checked (use `exclude` to keep files out of the run)")


def check_option_codes(registry: Registry, option: str, codes: list[str], ignoring: bool = False) -> None:
    """The rule ids or prefixes of one command-line option: each must match a rule, and
    ``--ignore`` may not name a rule that cannot be ignored."""
    _check_codes(registry, codes, option)
    if ignoring:
        _refuse_not_checked(codes, option)


@record
class Hit:
    """A finding before selection and suppression, with the campaign it is about."""

    finding: Finding
    campaign: Campaign | None
    #: the other campaigns a finding about several names (its related places)
    others: tuple[Campaign, ...] = ()


@record
class Result:
    findings: list[Finding]
    files: int = 0
    #: regions read, for an account audit
    regions: int | None = None
    #: every campaign checked, as ``(path or region, label)``: reports list the clean ones
    checked: list[tuple[str, str]] = field(default_factory=list)
    #: campaigns found but not checked at all (a template's Properties that cannot be read here)
    not_checked: int = 0
    #: the campaigns themselves, for reports that draw them (html)
    loaded: list[Campaign] = field(default_factory=list, repr=False)
    #: the files read (check): an --output or --write-baseline path must not be one of them
    paths: list[str] = field(default_factory=list)
    #: what the run did besides linting, for stderr (files an audit --prune removed)
    notes: list[str] = field(default_factory=list)
    #: paths found but not read (a folder that cannot be listed, a link not followed): each has its CC001
    not_read: int = 0
    #: suppressions of each kind the ``suppressions`` setting does not honour (not applied)
    unhonoured: dict[str, int] = field(default_factory=dict)

    @property
    def campaigns(self) -> int:
        return len(self.checked)

    def counted(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def exit_code(self, fail_on: str) -> int:
        if fail_on == "never":
            return 0
        threshold = FAIL_LEVELS[fail_on]
        return 1 if any(f.severity >= threshold for f in self.counted()) else 0


class Engine:
    def __init__(self, registry: Registry, config: Config, selection: Selection,
                 today: date | None = None):
        self.registry = registry
        self.config = config
        self.selection = selection
        self.today = today or config.today or date.today()
        #: keep whole campaigns after per-file work (a report that draws them, --format html)
        self.whole_campaigns = False
        self._kept: tuple | None = None
        self._validate_config()
        self.policy_set = self._load_policies()
        self.active = [r for r in registry if r.check is not None and selection.enabled(r)]
        self._structure_cache: dict[int, tuple[Campaign, list]] = {}
        #: findings not reported because they may be about a value not known (a template's
        #: parameter): a suppression they match is in use, not a CC011
        self.unknown_hits: list[Hit] = []
        #: ``(campaign id or path, rule id)`` of rules that read values not known: a suppression
        #: of theirs that matched nothing may match once the values are known (no CC011)
        self.unknown_reads: set[tuple[Any, str]] = set()
        self.contexts = {r.id: Context(options=freeze(self._options(r)), today=self.today,
                                       structure=self.structure, policies=self.policies)
                         for r in self.active}
        #: (rule, check, context) of each per-campaign rule, in order: looked up once, not
        #: per campaign
        self._campaign_checks = [(r, r.check, self.contexts[r.id]) for r in self.active
                                 if r.scope == "campaign"]

    # --- configuration checks -------------------------------------------------

    def _validate_config(self) -> None:
        where = self.config.path or "command line"
        _check_codes(self.registry, self.selection.select or [], where)
        _check_codes(self.registry, self.selection.extend_select, where)
        _check_codes(self.registry, self.selection.ignore, where)
        _refuse_not_checked(self.selection.ignore, where)
        for glob, codes in self.config.per_file_ignores.items():
            _check_codes(self.registry, codes, f"{where}: per-file-ignores {glob!r}")
            _refuse_not_checked(codes, f"{where}: per-file-ignores {glob!r}")
        self.severity = self._by_rule_id(self.config.severity, "severity", where)
        self.rule_options = self._by_rule_id(self.config.rule_options, "rule-options", where)
        for rule_id in self.rule_options:
            self._options(self.registry[rule_id])  # a typo is an error even when the rule is off

    def _load_policies(self) -> Any:
        """The selected policy packs; selecting one turns the CC7xx rules on. Pack data
        (and ``holidays``) is never imported when no pack is selected."""
        config = self.config
        if not config.policies and not any(config.per_file_policies.values()):
            return None
        from .policies import PolicySet

        check_policy_today(self.today, "today")
        self.selection.extend_select = list(self.selection.extend_select) + ["CC7"]
        return PolicySet.load(config.policies, config.per_file_policies, config.policy_dirs,
                              config.audience_zones, config.path or "command line")

    def policies(self, campaign: Campaign) -> list:
        """The policy packs that apply to a campaign (``policies`` + ``per-file-policies``)."""
        if self.policy_set is None:
            return []
        return self.policy_set.for_path(campaign.origin.path,
                                        lambda path, glob: _matches(path, glob, self.config.root))

    def _by_rule_id(self, table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        """A config table keyed by rule id or name, in any case (``CC704``, ``cc704``,
        ``contact-cap``), keyed by rule id; two keys for one rule are an error, not a guess."""
        by_id: dict[str, Any] = {}
        named: dict[str, str] = {}
        for code, value in table.items():
            rule = self.registry.lookup(code)
            if rule is None:
                raise ConfigError(f"{where}: {key}: unknown rule {code!r} (see: campaign-lint rules)")
            if rule.id in by_id:
                raise ConfigError(f"{where}: {key}: {named[rule.id]!r} and {code!r} both name {rule.id}; "
                                  "keep one")
            by_id[rule.id], named[rule.id] = value, code
        return by_id

    def _options(self, rule: Rule) -> dict[str, Any]:
        given = self.rule_options.get(rule.id) or {}
        options = dict(rule.options)
        for key, value in given.items():
            if key not in rule.options:
                known = ", ".join(rule.options) or "none"
                raise ConfigError(f"{self.config.path or 'command line'}: rule-options.{rule.id}: "
                                  f"unknown option {key!r} (known: {known})")
            default = rule.options[key]
            where = f"{self.config.path or 'command line'}: rule-options.{rule.id}.{key}"
            if default is not None and not _same_kind(value, default):
                raise ConfigError(f"{where} must be {_KINDS.get(type(default), type(default).__name__)}, "
                                  f"not {value!r}")
            if isinstance(value, float) and not math.isfinite(value):  # nan passes every comparison
                raise ConfigError(f"{where} must be a finite number, not {value!r}")
            low, high = rule.option_ranges.get(key, (None, None))
            if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                    (low is not None and value < low) or (high is not None and value > high)):
                raise ConfigError(f"{where} must be {range_text(low, high)}, not {value!r}")
            options[key] = value
        return options

    def suppressor(self, suppressions: bool = True) -> Suppressor | None:
        """What collects the run's suppressions: of the kinds the config honours; None with
        ``suppressions`` off (--no-suppressions)."""
        return Suppressor(self.config.suppressions) if suppressions else None

    def kept(self) -> tuple[bool, frozenset[str] | None, frozenset[str] | None]:
        """Whether a run-scope rule is active, and what a run keeps of each campaign after
        per-file work (:func:`kept_members`, :func:`kept_pointers`): asked for every file,
        computed once (again only if ``whole_campaigns`` changes)."""
        if self._kept is None or self._kept[0] != self.whole_campaigns:
            self._kept = (self.whole_campaigns, (any(rule.scope == "run" for rule in self.active),
                                                 kept_members(self), kept_pointers(self)))
        return self._kept[1]

    # --- running ------------------------------------------------------------------

    def structure(self, campaign: Campaign) -> list:
        """Structural errors of a campaign (botocore model), computed once."""
        known = self._structure_cache.get(id(campaign))
        if known is not None and known[0] is campaign:  # asked by several rules: one lookup
            return known[1]
        from .schema import validate

        own = getattr(campaign, "structural_errors", None)  # a template's: in its own terms
        errors = own() if own else validate(campaign.raw, campaign.shape)
        # the entry keeps its campaign alive, so its id cannot be another campaign's
        self._structure_cache[id(campaign)] = (campaign, errors)
        return errors

    def forget_structure(self, campaigns: Iterable[Campaign]) -> None:
        """Drop the structural errors of campaigns that are gone (their ids get reused)."""
        for campaign in campaigns:
            self._structure_cache.pop(id(campaign), None)

    def restore(self, facts: Any, path: str) -> Campaign:
        """A campaign sent back by :func:`lint_file`, with its structure already known."""
        campaign = facts.campaign(path)
        self._structure_cache[id(campaign)] = (campaign, facts.structure)
        return campaign

    def run(self, campaigns: list[Campaign]) -> list[Finding]:
        """Every active rule over every campaign (no selection or suppression applied)."""
        return [hit.finding for hit in self.hits(campaigns)]

    def hits(self, campaigns: list[Campaign]) -> list[Hit]:
        """Every active rule over every campaign; run-wide rules over all of them."""
        hits = [hit for campaign in campaigns for hit in self.campaign_hits(campaign)]
        return hits + self.run_hits(campaigns)

    def campaign_hits(self, campaign: Campaign) -> list[Hit]:
        """The per-campaign rules over one campaign. A campaign mapped from a template or plan
        may note the unknown values each rule reads (``touched``): each problem then carries
        those read before it was yielded, and only a finding that read one is dropped."""
        hits: list[Hit] = []
        touched = getattr(campaign, "touched", None)
        if touched is not None:
            self.structure(campaign)  # validation reads every member; no rule's reading
        with rules_print_to_stderr():
            for rule, check, context in self._campaign_checks:
                reads = None
                try:
                    if touched is None:
                        problems = list(check(campaign, context))
                    else:
                        touched.clear()  # before the call: a check may read all before it returns
                        problems, reads = _read_problems(check(campaign, context), touched)
                except KeyboardInterrupt:
                    raise
                except BaseException as error:  # isolation: one rule's bug is one finding
                    hits.append(self._crashed(rule, error, campaign))
                    continue
                if problems:  # most rules on most campaigns find nothing
                    hits += self._placed(rule, problems, campaign, reads)
                if touched is not None and touched.read:  # its silence may be the unknown's doing
                    self.unknown_reads.update(_read_keys((campaign,), rule.id))
        return hits

    def run_hits(self, campaigns: list[Campaign], unplaced: Iterable[Campaign] = ()) -> list[Hit]:
        """The run-wide rules over all campaigns of the run. A run-wide rule that read a value
        not known in any campaign may find more once it is known, on any campaign of the
        run: none of its suppressions or baseline entries in the run is unused or stale.
        ``unplaced``: template or plan campaigns left out because their instance is not
        known; once it is, each may join any instance's group, so the same holds for every
        run-wide rule."""
        unplaced = list(unplaced)
        watched = [c for c in campaigns if getattr(c, "touched", None) is not None]
        for campaign in watched:
            self.structure(campaign)  # validation reads every member; no rule's reading
        hits = []
        with rules_print_to_stderr():
            for rule in self.active:
                if rule.scope != "run":
                    continue
                for campaign in watched:
                    campaign.touched.clear()
                hits += self._run_rule(rule, campaigns, None)
                if unplaced or any(campaign.touched.read for campaign in watched):
                    self.unknown_reads.update(_read_keys([*campaigns, *unplaced], rule.id))
        return hits

    def _run_rule(self, rule: Rule, subject: Any, campaign: Campaign | None) -> list[Hit]:
        """One rule over one campaign (or the run), isolated: whatever the rule raises,
        including SystemExit, and whatever it yields that is not a well-formed Problem,
        becomes one CC010 finding; only KeyboardInterrupt stops the run."""
        try:
            problems = list(rule.check(subject, self.contexts[rule.id]))
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            return [self._crashed(rule, error, campaign)]
        return self._placed(rule, problems, campaign) if problems else []

    def _placed(self, rule: Rule, problems: list, campaign: Campaign | None,
                reads: list[Any] | None = None) -> list[Hit]:
        """The hits of what a rule yielded (or one CC010 when it yielded something else);
        ``reads``: the unknown values the rule had read at each problem."""
        try:
            for problem in problems:
                _check_problem(problem, rule)
            hits = [self._adapted(self.hit(rule, p, p.campaign or campaign), reads[index] if reads else None,
                                  _names_unknown(p) if rule.scope == "run" else None)
                    for index, p in enumerate(problems)]
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            return [self._crashed(rule, error, campaign)]
        return [hit for hit in hits if hit is not None]

    def _adapted(self, hit: Hit, reads: Any, unknown: bool | None = None) -> Hit | None:
        """A finding on a campaign mapped from a template or plan, in the source's terms (pointer
        into the source, the resource's campaign); None when it may be about a value not known
        (kept in ``unknown_hits``: a suppression it matches is not unused). ``unknown``: that
        judgement made already (a run-wide finding's, see :func:`_names_unknown`)."""
        campaign = hit.campaign
        mapped = getattr(campaign, "adapt", None) is not None
        if unknown is None:
            unknown = mapped and campaign.unknown_to(hit.finding, reads)
        if mapped:
            # no --fix in templates and plans yet: a value there may come from a parameter or a
            # condition's branch, and the finding's pointer is in the source's own shape
            others = tuple(getattr(other, "primary", other) for other in hit.others)
            hit = Hit(campaign.adapt(hit.finding).with_(fix=None), campaign.primary, others)
        if unknown:
            self.unknown_hits.append(hit)
            return None
        return hit

    def _crashed(self, rule: Rule, error: BaseException, campaign: Campaign | None) -> Hit:
        where = f" on campaign {quote(campaign.ref.label())}" if campaign else ""
        crashed = Problem("", f"rule {rule.id} ({rule.name}) crashed{where}: "
                              f"{type(error).__name__}: {_error_text(error)}")
        return self.hit(self.registry["CC010"], crashed, campaign)

    def hit(self, rule: Rule, problem: Problem, campaign: Campaign | None) -> Hit:
        line = column = None
        path = region = None
        ref = None
        if campaign is not None:
            ref = campaign.ref
            path, region = campaign.origin.path, campaign.origin.region
            where = campaign.origin.locate(problem.pointer, problem.at_key)
            if where:
                line, column = where
        if path is not None and line is None:
            line, column = 1, 1  # every finding on a file has a place to jump to
        finding = Finding(rule=rule.id, name=rule.name, severity=self.severity_of(rule, problem),
                          message=problem.message, path=path, line=line, column=column,
                          pointer=problem.pointer if campaign is not None else None,
                          campaign=ref, region=region, properties=problem.properties,
                          related=_related(problem.related), fix=_fix_target(problem, campaign))
        return Hit(finding, campaign, tuple(other for other, _ in problem.related))

    def diagnostic(self, rule_id: str, message: str, path: str | None, line: int | None = None,
                   column: int | None = None, campaign: Campaign | None = None,
                   region: str | None = None, ref: CampaignRef | None = None,
                   severity: Severity | None = None) -> Hit:
        rule = self.registry[rule_id]
        if path is not None and line is None:
            line, column = 1, 1
        severity = self.severity.get(rule.id, severity or rule.severity)
        finding = Finding(rule=rule.id, name=rule.name, severity=severity,
                          message=message, path=path, line=line, column=column,
                          campaign=campaign.ref if campaign else ref, region=region)
        return Hit(finding, campaign)

    def finish(self, hits: list[Hit], suppressor: Suppressor | None,
               baseline: Mapping[str, int] | None = None,
               linted: Collection[str] | None = None) -> list[Finding]:
        """Selection and per-file-ignores, then suppressions, unused ones (CC011), baseline and
        its stale entries (CC012: of the files or regions ``linted``; none when None)."""
        kept = [hit for hit in hits if self.keep(hit.finding)]
        # findings not reported because a value is not known: what they match (a suppression,
        # a baseline entry) is in use, so it is neither CC011 nor CC012
        unknown = [hit for hit in self.unknown_hits if self.keep(hit.finding)]
        self.unknown_hits = []
        if suppressor is None:
            findings = [hit.finding for hit in kept]
            hidden = [hit.finding for hit in unknown]
        else:
            findings = [suppressor.apply(hit.finding, hit.campaign, hit.others) for hit in kept]
            hidden = [suppressor.apply(hit.finding, hit.campaign, hit.others) for hit in unknown]
            findings += [hit.finding for hit in self._unused(suppressor) if self.keep(hit.finding)]
        if baseline is not None:
            marked = apply_baseline(findings + hidden, baseline)  # reported findings first
            findings, hidden = marked[:len(findings)], marked[len(findings):]
            findings += [hit.finding for hit in self._stale(findings + hidden, baseline, linted)]
        self.unknown_reads = set()
        return sorted(findings, key=Finding.sort_key)

    def _stale(self, findings: list[Finding], baseline: Mapping[str, int],
               linted: Collection[str] | None) -> Iterator[Hit]:
        """CC012 for each baseline entry that matched nothing, among the rules and files
        of this run (a run over some files cannot judge the entries of the others)."""
        files = {baseline_path(path): path for path in linted or ()}  # as a baseline names them
        for entry in stale_entries(findings, baseline):
            rule = self.registry.rules.get(entry["rule"])
            if rule is None or not self.selection.enabled(rule):
                continue
            if (files.get(entry["file"]), rule.id) in self.unknown_reads:
                continue  # its rule read values not known there: it may match once they are
            if linted is not None and (entry["file"] in files if entry["file"] else entry["region"] in linted):
                where = f" ({entry['pointer']})" if entry["pointer"] else ""
                where += f" (policy {entry['policy']})" if entry.get("policy") else ""
                message = (f"baseline entry for {entry['rule']}{where} matches no finding any more; "
                           "rewrite the baseline with --write-baseline")
                at = (1, 1) if entry["file"] else (None, None)
                yield self.diagnostic(STALE_BASELINE_ENTRY.id, message, files.get(entry["file"]), *at,
                                      region=entry["region"], ref=CampaignRef(name=entry["campaign"]))

    def _unused(self, suppressor: Suppressor) -> Iterator[Hit]:
        matching = functools.lru_cache(maxsize=None)(self.registry.matching)  # a code per directive

        def enabled(code: str) -> bool:
            return any(self.selection.enabled(r) for r in matching(code))

        def known(code: str) -> bool:
            return bool(matching(code))

        def uncertain(directive: Any, code: str) -> bool:
            campaign = directive.campaign
            key = id(getattr(campaign, "primary", campaign)) if campaign is not None else directive.path
            return any((key, rule.id) in self.unknown_reads for rule in matching(code))

        for directive, message in suppressor.unused(enabled, known, uncertain):
            hit = self.diagnostic("CC011", message, directive.path, directive.line,
                                  directive.column, directive.campaign,
                                  directive.campaign.origin.region if directive.campaign else None)
            if directive.pointer is not None:
                hit.finding = hit.finding.with_(pointer=directive.pointer)
            yield hit

    def severity_of(self, rule: Rule, problem: Problem | None = None) -> Severity:
        lowered = getattr(problem, "severity", None)
        if rule.id not in self.severity and isinstance(lowered, Severity):
            return min(lowered, rule.severity)
        return self.severity.get(rule.id, rule.severity)

    def keep(self, finding: Finding) -> bool:
        """Selection and per-file-ignores."""
        rule = self.registry[finding.rule]
        if not self.selection.enabled(rule):
            return False
        if finding.rule in ALWAYS_ON or not finding.path:
            return True
        for glob, codes in self.config.per_file_ignores.items():
            if _matches(finding.path, glob, self.config.root):
                if any(finding.rule.startswith(code) or code == "ALL" for code in codes):
                    return False
        return True

    def excluded(self, path: str) -> bool:
        """True for a file the config's ``exclude`` globs keep out of the run."""
        return path != "-" and any(_matches(path, glob, self.config.root) for glob in self.config.exclude)


def _fix_target(problem: Problem, campaign: Campaign | None) -> Fix | None:
    """A problem's fix, told where its value is in the file's document."""
    if problem.fix is None or campaign is None or campaign.origin.path is None:
        return None
    return replace(problem.fix, target=campaign.origin.document_pointer + problem.pointer)


def _related(places: Iterable[tuple[Campaign, str]]) -> tuple[Related, ...]:
    """A problem's related places, located like the problem itself."""
    related = []
    for campaign, pointer in places:
        line, column = campaign.origin.locate(pointer) or (None, None)
        related.append(Related(campaign.origin.path, line, column, pointer, campaign.ref,
                               campaign.origin.region))
    return tuple(related)


def _names_unknown(problem: Problem) -> bool:
    """Whether a run-wide problem may be about a value not known: a value it names (its
    pointer in its campaign, each related place's in that campaign) is unknown there, or its
    message quotes one. Nothing else in those campaigns hides it: two campaigns whose known
    names are equal share a name whatever else in them is unknown."""
    places = ((problem.campaign, problem.pointer), *problem.related)
    mapped = [(campaign, pointer) for campaign, pointer in places
              if getattr(campaign, "unknown_at", None) is not None]
    return bool(mapped) and (UNKNOWN_MARK in problem.message
                             or any(campaign.unknown_at(pointer) for campaign, pointer in mapped))


def _read_keys(campaigns: Iterable[Campaign], rule_id: str) -> set[tuple[Any, str]]:
    """The ``unknown_reads`` keys of a rule on each campaign (its resource and its file)."""
    return {key for campaign in campaigns
            for key in ((id(getattr(campaign, "primary", campaign)), rule_id), (campaign.origin.path, rule_id))}


def _read_problems(problems: Iterable[Problem], touched: Any) -> tuple[list[Problem], list[Any]]:
    """A rule's problems, each with what the rule had read of unknown values when it yielded
    it (all it read, for a check that returns a list): ``touched`` is a sources.watched.Reads."""
    found, reads = [], []
    for problem in problems:
        found.append(problem)
        reads.append(touched.snapshot())
    return found, reads


def _error_text(error: BaseException) -> str:
    """An exception's text on one line (escapes visible), shortened; never raises."""
    try:
        text = str(error)
    except Exception:
        return "(the exception cannot be shown)"
    return _unquoted(text, 200)


def _unquoted(text: str, limit: int) -> str:
    """``text`` on one line with escapes visible, shortened, without the quotes."""
    shown = quote(text, limit)
    return shown[1:-1] if shown.endswith('"') else shown[1:]


class MalformedProblem(Exception):
    """A rule yielded something that is not a well-formed Problem."""


def _check_problem(problem: Any, rule: Rule) -> None:
    if not isinstance(problem, Problem):
        raise MalformedProblem(f"yielded {_unquoted(repr(problem), 80)} instead of a Problem")
    if not isinstance(problem.pointer, str) or not (problem.pointer == ""
                                                    or problem.pointer.startswith("/")):
        raise MalformedProblem(f"yielded a Problem whose pointer is {_unquoted(repr(problem.pointer), 80)}; "
                               "it must be a JSON pointer such as '/name' ('' for the campaign)")
    if not isinstance(problem.message, str) or not problem.message.strip():
        raise MalformedProblem(f"yielded a Problem whose message is {_unquoted(repr(problem.message), 80)}; "
                               "it must be a non-empty string")
    if problem.campaign is not None and not isinstance(problem.campaign, Campaign):
        raise MalformedProblem("yielded a Problem whose campaign is not a Campaign")
    if not isinstance(problem.at_key, bool):
        raise MalformedProblem("yielded a Problem whose at_key is not true or false")
    if problem.severity is not None and not isinstance(problem.severity, Severity):
        raise MalformedProblem("yielded a Problem whose severity is not a Severity")
    properties = problem.properties
    if not isinstance(properties, tuple) or not all(
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            for pair in properties):
        raise MalformedProblem("yielded a Problem whose properties are not (name, value) "
                               "pairs of strings")
    if not isinstance(problem.related, tuple) or not all(
            isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], Campaign)
            and isinstance(pair[1], str) for pair in problem.related):
        raise MalformedProblem("yielded a Problem whose related places are not (campaign, pointer) pairs")
    if problem.fix is not None and not isinstance(problem.fix, Fix):
        raise MalformedProblem("yielded a Problem whose fix is not a Fix")


_stdout_lock = threading.Lock()
_stdout_depth = 0
_stdout_saved: Any = None


@contextlib.contextmanager
def rules_print_to_stderr() -> Iterator[None]:
    """While rules run, ``print`` (sys.stdout) goes to stderr: a plugin's debugging
    output must not corrupt ``--format json`` on stdout. Writes to file descriptor 1
    itself are not intercepted."""
    global _stdout_depth, _stdout_saved
    with _stdout_lock:
        if _stdout_depth == 0:
            _stdout_saved = sys.stdout
            sys.stdout = sys.stderr
        _stdout_depth += 1
    try:
        yield
    finally:
        with _stdout_lock:
            _stdout_depth -= 1
            if _stdout_depth == 0:
                sys.stdout = _stdout_saved
                _stdout_saved = None


def _matches(path: str, glob: str, root: str) -> bool:
    """A file matches a glob by its path relative to ``root``, by its name, or through one
    of its folders (``legacy`` matches ``legacy/a/b.json``). The path is where the file really
    is: a symlink (a pull request may add one) cannot take a file into an ignored or excluded
    folder, nor, met first in a walk, hide its real name."""
    relative = _real_relative(path, root, os.getcwd())
    parts = relative.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)] + [parts[-1]]
    return any(fnmatch.fnmatch(candidate, glob) for candidate in candidates)


@functools.lru_cache(maxsize=4096)
def _real_relative(path: str, root: str, cwd: str) -> str:
    """``path`` relative to ``root``, both resolved (in ``cwd``, part of the cache's key)."""
    return _relative(os.path.realpath(os.path.join(cwd, path)), os.path.realpath(os.path.join(cwd, root)))


def _relative(path: str, root: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.replace(os.sep, "/")


_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
          list: "a list"}


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def check_files(engine: Engine, paths: list[str], stdin: Any = None,
                stdin_filename: str | None = None, suppressions: bool = True,
                baseline: Mapping[str, int] | None = None, template: Any = None,
                cache: Any = None, jobs: int = 1) -> Result:
    """Lint files and folders: the whole ``campaign-lint check`` pipeline. ``template``
    (TemplateOptions) holds parameter values and the region for CloudFormation templates.

    Per-file work (read, parse, validate, per-campaign rules) happens in :func:`lint_file`,
    in worker processes when there are enough files, or comes from the result cache; the
    run-scope rules, suppressions and the report run here on what each file sends back.
    Templates and plans (campaigns mapped from another shape) are checked here, uncached."""
    import gc

    from .sources.files import NotRead, discover

    _real_relative.cache_clear()  # links may have changed since a run before in this process
    hits: list[Hit] = []
    campaigns: list[Campaign] = []
    suppressor = engine.suppressor(suppressions)
    targets: list[str] = []
    unread: list[NotRead] = []  # paths not read: their diagnostics are not in any entry
    for path in discover(paths):
        if isinstance(path, NotRead):
            unread.append(path)
            hits.append(engine.diagnostic("CC001", path.message, path.path, 1, 1, severity=path.severity))
        elif not engine.excluded(path):
            targets.append(path)
    record = _run_record(engine, cache, targets, bool(unread), suppressions, baseline)
    if record is not None:
        recorded = _recorded(cache, record)
        if recorded is not None:
            return recorded
    linted: set[str] = set()
    unexpanded = 0  # campaigns a template holds but does not show (a loop not expanded)
    results = file_results(engine, targets, stdin, stdin_filename, cache, jobs, template)
    for count, result in enumerate(results):
        linted.add(result.path)
        if result.loaded is not None:
            loaded = result.loaded
            unexpanded += loaded.not_checked
            hits += [_loader_hit(engine, d, loaded.path) for d in loaded.diagnostics]
            hits += [hit for campaign in loaded.campaigns for hit in engine.campaign_hits(campaign)]
            campaigns += loaded.campaigns
            if suppressor is not None:
                suppressor.add_comments(loaded.path, loaded.comments)
                for campaign in distinct_variants(loaded.campaigns):
                    suppressor.add_campaign(campaign, [c for c in loaded.campaigns
                                                       if getattr(c, "primary", c) is campaign])
                _add_metadata_ignores(suppressor, loaded)
            continue
        restored = [engine.restore(facts, result.path) for facts in result.campaigns]
        hits += [Hit(finding, restored[index] if index is not None else None)
                 for finding, index in result.hits]
        campaigns += restored
        if suppressor is not None:
            suppressor.add_comments(result.path, result.comments)
            for campaign in restored:
                suppressor.add_campaign(campaign)
        if count % 512 == 511:
            gc.freeze()  # what is kept stays: the collector need not walk it again and again
    # run-wide rules see each real campaign once (one Fn::If variant; a template and a
    # describe snapshot of the same campaign are one)
    # ... and two files holding copies of one campaign (same id) count it once, with CC005
    distinct, copies = distinct_campaigns(engine, _one_per_campaign(campaigns))
    hits += engine.run_hits(distinct, _unplaced(campaigns)) + copies
    primaries = distinct_variants(campaigns)
    result = Result(engine.finish(_unique(hits), suppressor, baseline, linted), files=len(targets),
                    checked=checked(primaries), not_checked=not_checked(primaries) + unexpanded,
                    paths=[path for path in targets if path != "-"], loaded=primaries,
                    not_read=len(unread), unhonoured=unhonoured(suppressor))
    if record is not None:  # kept only when every file's result is in the cache, as it was read
        if _run_record(engine, cache, targets, bool(unread), suppressions, baseline, done=True) == record:
            _record(cache, record, result)
    return result


def _run_record(engine: Engine, cache: Any, targets: list[str], unread: bool, suppressions: bool,
                baseline: Mapping[str, int] | None, done: bool = False) -> str | None:
    """The result cache's key for this whole run: every target's entry, unchanged, and
    what acts after per-file work (suppressions, baseline, the codes enabled, per-file-ignores
    and the real paths they match). None when the run cannot be answered whole from the
    cache (no cache, stdin, a path not read, a report that draws the campaigns)."""
    if cache is None or unread or not targets or "-" in targets or engine.whole_campaigns:
        return None
    config = engine.config
    # the kinds honoured, not just on or off: --suppressions comments hides no tag's finding
    inputs = {"suppressions": sorted(config.suppressions) if suppressions else None,
              "baseline": sorted(baseline.items()) if baseline is not None else None,
              "enabled": sorted(rule.id for rule in engine.registry if engine.selection.enabled(rule)),
              "per_file_ignores": config.per_file_ignores, "root": config.root, "cwd": os.getcwd()}
    if config.per_file_ignores or any(config.per_file_policies.values()):
        inputs["real"] = [os.path.realpath(path) for path in targets]
    return cache.run_record(targets, inputs, done)


def _recorded(cache: Any, record: str) -> Result | None:
    """The result :func:`_record` kept for this run, or None (every field checked)."""
    from .filework import finding_from_plain

    plain = cache.load_run(record)
    try:
        refs: dict = {}
        findings = [finding_from_plain(f, cache.rule_ids, refs) for f in plain["findings"]]
        checked = [(path, label) for path, label in plain["checked"]]
        unhonoured = plain["unhonoured"]
        if not (type(plain["files"]) is int and all(type(p) is str for p in plain["paths"])
                and all(type(p) is str and type(label) is str for p, label in checked)
                and type(plain["not_checked"]) is int and _counts(unhonoured)):
            return None
        result = Result(findings, files=plain["files"], checked=checked, paths=plain["paths"],
                        not_checked=plain["not_checked"], unhonoured=unhonoured)
    except Exception:  # no record, or not one this version wrote
        return None
    cache.used(record, plain, result.paths)
    return result


def _record(cache: Any, record: str, result: Result) -> None:
    from .filework import finding_plain

    findings = [finding_plain(f) for f in result.findings]
    if None not in findings and result.regions is None and not result.notes:
        cache.save_run(record, {"findings": findings, "files": result.files,
                                "checked": [list(pair) for pair in result.checked], "paths": result.paths,
                                "not_checked": result.not_checked, "unhonoured": result.unhonoured})


def _counts(value: Any) -> bool:
    """Whether a record's ``unhonoured`` is what :func:`_record` writes: counts by kind."""
    return type(value) is dict and all(type(k) is str and type(n) is int for k, n in value.items())


def unhonoured(suppressor: Suppressor | None) -> dict[str, int]:
    """The suppressions of each kind not honoured in the run (none without suppressions)."""
    counts = suppressor.unhonoured if suppressor is not None else {}
    return {kind: counts[kind] for kind in SUPPRESSION_KINDS if counts.get(kind)}


def _one_per_campaign(campaigns: list[Campaign]) -> list[Campaign]:
    if not any(getattr(c, "mapped_from", None) for c in campaigns):
        return campaigns  # no template or plan: nothing to merge (and no import of that code)
    from .sources.cloudformation import distinct

    return distinct(campaigns)


def _unplaced(campaigns: list[Campaign]) -> list[Campaign]:
    """The template and plan campaigns the run-wide rules do not see: their instance is not
    known (see sources.cloudformation.distinct)."""
    if not any(getattr(c, "mapped_from", None) for c in campaigns):
        return []
    from .sources.cloudformation import unplaced

    return unplaced(campaigns)


def distinct_variants(campaigns: list[Campaign]) -> list[Campaign]:
    """Campaigns without the further Fn::If variants of a template resource."""
    return [c for c in campaigns if getattr(c, "primary", c) is c]


def _loader_hit(engine: Engine, diagnostic: Any, path: str) -> Hit:
    hit = engine.diagnostic(diagnostic.rule, diagnostic.message, path, diagnostic.line,
                            diagnostic.column, campaign=diagnostic.campaign,
                            severity=diagnostic.severity)
    if diagnostic.pointer is not None:
        hit.finding = hit.finding.with_(pointer=diagnostic.pointer)
    return hit


def _add_metadata_ignores(suppressor: Suppressor, loaded: Any) -> None:
    """``Metadata: {campaign-lint: {ignore: [...]}}`` of template resources."""
    from .sources.cloudformation import MALFORMED_METADATA
    from .suppress import METADATA, Directive, sort_codes

    for words, pointer, campaign in loaded.ignores:
        where = campaign.origin.locate(pointer) or (None, None)
        codes, invalid = sort_codes(words or [])  # C, CC or ALL would switch off every rule: refused
        suppressor.add(Directive(
            codes, "resource Metadata campaign-lint ignore", loaded.path, METADATA, where[0], where[1],
            campaign=campaign, pointer=pointer, invalid=invalid,
            problem=MALFORMED_METADATA if words is None else None))


def _unique(hits: list[Hit]) -> list[Hit]:
    """Hits without repeats (the Fn::If variants of one resource often find the same)."""
    seen: set = set()
    result = []
    for hit in hits:
        key = (hit.finding, id(hit.campaign))
        if key not in seen:
            seen.add(key)
            result.append(hit)
    return result


def campaign_identity(campaign: Campaign) -> str | None:
    """The campaign's id (also read from the end of its ARN): two files holding one id hold
    copies of one campaign. None for a create request, which has neither."""
    ref = campaign.ref
    if ref.id:
        return ref.id
    if ref.arn and "/" in ref.arn:
        return ref.arn.rsplit("/", 1)[1] or None
    return None


def distinct_campaigns(engine: Engine, campaigns: list[Campaign]) -> tuple[list[Campaign], list[Hit]]:
    """Each campaign once (its first copy), for the cross-campaign rules, and a CC005 finding
    on every further copy naming where the first one is."""
    first: dict[str, Campaign] = {}
    distinct: list[Campaign] = []
    copies: list[Hit] = []
    for campaign in campaigns:
        identity = campaign_identity(campaign)
        if identity is None or identity not in first:
            if identity is not None:
                first[identity] = campaign
            distinct.append(campaign)
            continue
        original = first[identity]
        pointer = "/id" if campaign.ref.id else "/arn"
        line = original.origin.locate("/id" if original.ref.id else "/arn")
        where = f"{original.origin.path}:{line[0]}" if line else str(original.origin.path)
        problem = Problem(pointer, f"campaign {quote(identity)} is also in {where}; the "
                          "cross-campaign rules (CC6xx) count it once: keep one copy")
        copies.append(engine.hit(engine.registry[DUPLICATE_CAMPAIGN.id], problem, campaign))
    return distinct, copies


def checked(campaigns: list[Campaign]) -> list[tuple[str, str]]:
    """``(path or region, label)`` of every campaign checked (not those that could not be read)."""
    return [(c.origin.path or c.origin.region or "", c.ref.label() or "campaign") for c in campaigns
            if not getattr(c, "not_read", False)]


def not_checked(campaigns: list[Campaign]) -> int:
    return sum(1 for c in campaigns if getattr(c, "not_read", False))


#: below this many files per worker, starting processes costs more than it saves
MIN_FILES_PER_JOB = 24
#: the campaign members each built-in run-scope rule reads. When only these run-scope rules
#: are active, a run keeps just these members of each campaign (plus KEPT_MEMBERS) instead of
#: whole campaigns; any other run-scope rule (a plugin's) gets whole campaigns. A test runs
#: the rules on kept and on whole campaigns and compares.
RUN_RULE_MEMBERS = {
    "CC601": frozenset({"connectInstanceId", "channelSubtypeConfig"}),
    "CC602": frozenset({"connectInstanceId"}),
    "CC603": frozenset({"connectInstanceId", "channelSubtypeConfig"}),
}
#: what the report (a campaign's name) and suppression (its tag) need of every campaign
KEPT_MEMBERS = frozenset({"id", "arn", "name", "tags"})


#: the campaign pointers each built-in run-scope rule reports on (``*``: any member; a final
#: ``?``: only ever where the value exists), and those the report and suppression read
#: (CC005's /id or /arn, the suppression tag): with only these run-scope rules active, a run
#: keeps the positions of just these pointers instead of every kept pointer's. A test runs
#: the rules on kept and on whole campaigns and compares.
RUN_RULE_POINTERS = {
    "CC601": frozenset({"/channelSubtypeConfig/*/capacity?"}),
    "CC602": frozenset({"/name?"}),
    # the first dialing mode's, which may lack the allocation that another mode has
    "CC603": frozenset({"/channelSubtypeConfig/telephony/outboundMode/*/bandwidthAllocation"}),
}
KEPT_POINTERS = frozenset({"/id?", "/arn?", "/tags/campaign-lint:ignore?"})


def kept_pointers(engine: Engine) -> frozenset[str] | None:
    """The pointers whose positions the run keeps after per-file work; None: all of them."""
    if kept_members(engine) is None:
        return None
    return KEPT_POINTERS.union(*(RUN_RULE_POINTERS.get(rule.id, ()) for rule in engine.active
                                 if rule.scope == "run"))


def kept_members(engine: Engine) -> frozenset[str] | None:
    """The members of a campaign the run keeps after per-file work; None: all of them."""
    if engine.whole_campaigns:
        return None
    kept = set(KEPT_MEMBERS)
    for rule in engine.active:
        if rule.scope == "run":
            if rule.origin != "builtin" or rule.id not in RUN_RULE_MEMBERS:
                return None
            kept |= RUN_RULE_MEMBERS[rule.id]
    return frozenset(kept)


def file_results(engine: Engine, targets: list[str], stdin: Any, stdin_filename: str | None,
                 cache: Any, jobs: int, template: Any = None) -> Iterator[Any]:
    """One :class:`~campaign_lint.filework.FileResult` per target, in the targets' order.

    With a cache, this process reads and hashes each file the cache holds an entry for and
    answers it from there; the rest are linted (in workers when there are enough), added to
    the cache, and the cache is written once, at the end."""
    known: dict[int, str] = {}
    if cache is not None:
        for index, path in enumerate(targets):
            digest = cache.known(path)
            if digest is not None:
                known[index] = digest
    todo = [path for index, path in enumerate(targets) if index not in known]
    linted = _linted(engine, todo, stdin, stdin_filename, cache is not None, jobs, template)
    for index, path in enumerate(targets):
        result = cache.get(path, known[index]) if index in known else None
        if result is None:
            result = next(linted) if index not in known else lint_file(engine, path, True, template=template)
            if cache is not None and result.entry is not None:
                cache.put(result.path, result.digest, result.entry)
        yield result
    if cache is not None:
        cache.save()


def _linted(engine: Engine, targets: list[str], stdin: Any, stdin_filename: str | None,
            keep: bool, jobs: int, template: Any = None) -> Iterator[Any]:
    """:func:`lint_file` on each target, in order; ``keep``: with the entries for the cache.
    A large YAML stream is checked in parts by ``jobs`` workers (:func:`lint_stream`)."""
    streams = {index for index, path in enumerate(targets) if jobs > 1 and _large_stream(path)}
    if streams:
        rest = _linted(engine, [path for index, path in enumerate(targets) if index not in streams],
                       stdin, stdin_filename, keep, jobs, template)
        for index, path in enumerate(targets):
            if index in streams:
                yield lint_stream(engine, path, keep, jobs, template) or lint_file(engine, path, keep, template=template)
            else:
                yield next(rest)
        return
    if jobs > 1 and len(targets) >= MIN_FILES_PER_JOB * 2 and "-" not in targets:
        pooled = _pooled(engine, targets, keep, min(jobs, len(targets) // MIN_FILES_PER_JOB), template)
        for path, result in zip(targets, pooled, strict=True):
            # a worker sends a template back undone: its campaigns do not travel
            yield lint_file(engine, path, keep, template=template) if result.redo else result
        return
    for path in targets:
        yield lint_file(engine, path, keep, stdin, stdin_filename if path == "-" else None, template)


#: a YAML file of more characters than this is checked in parts when there are several jobs
STREAM_PART_CHARS = 1 << 20


def _large_stream(path: str) -> bool:
    try:
        return path.endswith((".yaml", ".yml")) and os.path.getsize(path) > 2 * STREAM_PART_CHARS
    except (OSError, ValueError):
        return False


def lint_stream(engine: Engine, path: str, keep: bool, jobs: int, template: Any = None) -> Any:
    """A large YAML stream checked as parts of whole documents, in ``jobs`` workers, with
    the result :func:`lint_file` gives: positions count the lines before each part, and the
    parts' findings, comments and campaigns are joined in order. None when the file cannot
    be cut, or a part does not parse alone or holds no campaign, a template or a plan: the
    caller then checks it whole (which says what is wrong with it)."""
    from .filework import FileResult
    from .sources.files import _decode
    from .sources.parse import yaml_stream_parts

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    text = _decode(raw)
    if type(text) is not str:
        return None
    size = min(4 * STREAM_PART_CHARS, max(STREAM_PART_CHARS // 2, len(text) // (jobs * 8)))
    cuts = yaml_stream_parts(text, size)
    if len(cuts) < 2:
        return None
    digest = None
    if keep:
        from .cache import ResultCache

        digest = ResultCache.digest(raw)
    del raw  # the text is all the parts need; each is cut from it only when sent
    parts = ((path, text[start:end], lines) for start, end, lines in cuts)
    results = []
    for result in _pooled(engine, parts, keep, jobs, template, work=_work_part, chunk=1):
        if result is None:
            return None
        results.append(result)
    joined = FileResult(path, cacheable=all(result.cacheable for result in results))
    for result in results:
        offset = len(joined.campaigns)
        joined.hits += [(finding, None if at is None else at + offset) for finding, at in result.hits]
        joined.comments += result.comments
        joined.campaigns += result.campaigns
    if keep:
        from .cache import entry_text

        joined.digest, joined.entry = digest, entry_text(joined)
    return joined


def _work_part(part: tuple[str, str, int]) -> Any:
    """One part of a stream (:func:`lint_stream`), or None when it must be checked whole."""
    from .sources.files import load_text

    engine, keep, template = _WORKER
    path, text, first_line = part
    loaded = load_text(text, path, "yaml", template, first_line)
    if not loaded.campaigns or any(d.rule != "CC004" for d in loaded.diagnostics):
        return None
    result = _checked(engine, loaded, True, keep)
    return None if result.loaded is not None else result


def _plain_file(loaded: Any) -> bool:
    """Whether a file's campaigns are plain API campaigns (not mapped from a template or a
    plan), so that their facts can be kept, cached and sent between processes."""
    if getattr(loaded, "ignores", None) or getattr(loaded, "infrastructure", False):
        return False  # (a template's loop not expanded without --parameter has no campaign)
    if any(d.campaign is not None for d in loaded.diagnostics):
        return False
    return all(type(c) is Campaign and type(c.origin) is Origin and getattr(c, "primary", c) is c
               and not getattr(c, "mapped_from", None) for c in loaded.campaigns)


def lint_file(engine: Engine, path: str, keep: bool = False, stdin: Any = None,
              display: str | None = None, template: Any = None) -> Any:
    """Read, parse and check one file (``-`` is stdin): everything but run-scope rules.

    ``keep``: the result is to be kept in the result cache (it then carries its content's
    digest and its entry). A template or plan comes back as its LoadedFile
    (``result.loaded``): check_files checks it the way it checks any loaded file."""
    from .sources.files import _kind, load_bytes, load_path

    raw = None
    if path != "-":
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError:
            raw = None
    if raw is None:
        loaded = load_path(path, stdin=stdin, display=display, template=template)  # stdin, or the error
    else:
        loaded = load_bytes(raw, path, kind=_kind(path, raw), template=template)
    result = _checked(engine, loaded, raw is not None, keep)
    if result.loaded is None and keep and raw is not None:
        from .cache import ResultCache, entry_text

        result.digest, result.entry = ResultCache.digest(raw), entry_text(result)
    return result


def _checked(engine: Engine, loaded: Any, cacheable: bool, pack: bool) -> Any:
    """A loaded file (or a part of a YAML stream) checked by the per-campaign rules."""
    from .filework import CampaignFacts, FileResult
    from .suppress import parse_comment

    if not _plain_file(loaded):
        return FileResult(loaded.path, loaded=loaded, cacheable=False)
    result = FileResult(loaded.path, cacheable=cacheable)
    result.hits = [(_loader_hit(engine, d, loaded.path).finding, None) for d in loaded.diagnostics]
    result.comments = [c for c in loaded.comments if parse_comment(c.text) is not None]
    run_rules, members, pointers = engine.kept()
    pack = pack or _WORKER is not None  # whole position tables leave this process
    for index, campaign in enumerate(loaded.campaigns):
        for hit in engine.campaign_hits(campaign):
            at = index if hit.campaign is campaign else None
            if hit.campaign is not None and at is None:  # a rule named another campaign
                result.cacheable = False
            result.hits.append((hit.finding, at))
        result.campaigns.append(CampaignFacts.of(
            campaign, engine.structure(campaign) if run_rules else [], members, pointers=pointers, pack=pack))
    engine.forget_structure(loaded.campaigns)
    return result


_WORKER: tuple | None = None
#: why this spawned worker could not build its engine: each batch it is given says so
_START_FAILED: str | None = None


def _start_worker(spec: tuple | None) -> None:
    """Pool initializer: a forked worker has the parent's engine already; a spawned one
    builds the same engine from the parent's configuration. It never raises: the pool would
    print a traceback and report the worker as lost, so the reason is kept for
    :func:`_work_batch` to send to the parent instead."""
    global _WORKER, _START_FAILED
    from . import verdicts

    verdicts.taken()  # a forked worker starts with the parent's used verdicts: they are the parent's
    if spec is not None:
        config, selection, today, keep, template = spec
        try:
            _WORKER = (Engine(Registry.load(config.rules_dirs), config, selection, today=today), keep, template)
        except Exception as error:  # a rule file or plugin that loaded in the parent but not here
            reason = str(error) if isinstance(error, ConfigError) else f"{type(error).__name__}: {error}"
            _START_FAILED = f"a worker process failed to start: {reason}; --jobs 1 checks in this process"


def _work(path: str) -> Any:
    from .filework import FileResult

    engine, keep, template = _WORKER
    result = lint_file(engine, path, keep, template=template)
    return FileResult(result.path, redo=True) if result.loaded is not None else result


def _work_batch(work: Callable[[Any], Any], items: list) -> tuple[list, list]:
    """``work`` on each item of a batch in a worker, and the remembered verdicts they used
    (for the main process to save: workers do not write the user cache)."""
    from . import verdicts

    if _START_FAILED is not None:
        raise WorkerLost(_START_FAILED)  # raised again in the parent, which reports it
    return [work(item) for item in items], verdicts.taken()


class WorkerLost(Exception):
    """A worker process ended before sending its results (killed by the system, out of
    memory), or could not start (its engine could not be built)."""


#: batches handed out ahead of the one being waited for, per worker: enough that no worker
#: waits for work, few enough that a stream's parts are not all cut from its text at once
BATCHES_AHEAD = 2


def _pooled(engine: Engine, targets: Iterable[Any], keep: bool, jobs: int, template: Any = None,
            work: Any = None, chunk: int | None = None) -> Iterator[Any]:
    """``work`` (default :func:`_work`) over ``targets`` in ``jobs`` worker processes, in order.

    concurrent.futures rather than multiprocessing.Pool: a worker that dies (the OOM killer,
    a signal) raises here instead of leaving the run waiting forever, and Pool's worker
    handler thread spins while results wait to be read (a tenth of the run's CPU)."""
    import itertools
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from . import verdicts

    global _WORKER
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _WORKER = (engine, keep, template)
    spec = None if method == "fork" else (engine.config, engine.selection, engine.today, keep, template)
    chunk = chunk or max(1, min(64, len(targets) // (jobs * 8)))  # type: ignore[arg-type]
    items = iter(targets)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker, initargs=(spec,))
    try:
        pending: deque = deque()
        while True:
            try:
                # submit too raises BrokenProcessPool, once a worker died while the caller was
                # busy with the results yielded before (checking a template, writing output)
                while len(pending) < jobs * (BATCHES_AHEAD + 1):
                    batch = list(itertools.islice(items, chunk))
                    if not batch:
                        break
                    pending.append(pool.submit(_work_batch, work or _work, batch))
                if not pending:
                    return
                results, used = pending.popleft().result()
            except BrokenProcessPool:
                raise WorkerLost("a worker process ended before sending its results (killed, or out of "
                                 "memory?); --jobs 1 checks in this process") from None
            verdicts.absorb(used)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


def audit_account(engine: Engine, options: Any, suppressions: bool = True,
                  baseline: Mapping[str, int] | None = None) -> Result:
    """Lint every campaign of an AWS account: the ``campaign-lint audit`` pipeline."""
    from .sources.aws import fetch

    hits: list[Hit] = []
    data = fetch(options, on_campaign=lambda campaign: hits.extend(engine.campaign_hits(campaign)))
    hits += engine.run_hits(data.campaigns)
    hits += [engine.diagnostic("CC006" if failure.skipped else "CC003", failure.message, None,
                               region=failure.region, ref=failure.campaign)
             for failure in data.failures]
    suppressor = engine.suppressor(suppressions)
    if suppressor is not None:
        for campaign in data.campaigns:
            suppressor.add_campaign(campaign)
    return Result(engine.finish(hits, suppressor, baseline, set(data.regions)), regions=len(data.regions),
                  checked=checked(data.campaigns), loaded=data.campaigns, unhonoured=unhonoured(suppressor),
                  notes=[f"--prune removed {path} (its campaign no longer exists under that name)"
                         for path in data.pruned])
