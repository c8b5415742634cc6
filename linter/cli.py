"""Command-line interface: argument parsing only; the work is in the engine."""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import Any, Sequence

from . import __version__
from .config import (FAIL_ON, Config, ConfigError, check_policy_today, load_config, parse_today,
                     split_codes)
from .report import FORMATS

STDIN = "-"

PROG = "campaign-lint"


class UsageError(Exception):
    """Exit code 2 with a one-line message."""


class _HelpFormatter(argparse.HelpFormatter):
    """Shows the default of every option that takes a value, unless its help says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (action.option_strings and action.nargs != 0 and "default" not in text
                and action.default not in (None, [], argparse.SUPPRESS)):
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2, like every usage error
        raise UsageError(f"{message}{_did_you_mean_command(message)} (see: {self.prog} --help)")


def _did_you_mean_command(message: str) -> str:
    """``campaign-lint chek`` -> did you mean "check"?"""
    import difflib
    import re

    match = re.match(r"argument COMMAND: invalid choice: '(.*?)'", message)
    if not match:
        return ""
    close = difflib.get_close_matches(match.group(1), list(COMMANDS), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _VersionAction(argparse.Action):
    """``--version``: ours, and the botocore release and service model the checks come from
    (read only when asked: the model costs start-up time)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any,
                 option_string: str | None = None) -> None:
        _write_stdout(version_text() + "\n")
        parser.exit()


def version_text() -> str:
    from .schema import SERVICE, model_versions

    versions = model_versions()
    return (f"{PROG} {__version__} (botocore {versions['botocore']}, {SERVICE} API "
            f"{versions['apiVersion']})")


class _Unused:
    """Stands for the parser of a sub-command this run does not use: takes every call
    (add_argument, add_argument_group, ...) and builds nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class _OnlyCommand:
    """``add_subparsers()`` that builds the parser of one command only: argparse spends
    milliseconds per option (translations, formatters), paid on each pre-commit call."""

    def __init__(self, commands: Any, only: str) -> None:
        self.commands, self.only = commands, only

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self.commands.add_parser(name, **kwargs) if name == self.only else _Unused()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the parser of that command alone (what a run
    of it needs; the top-level help and the did-you-mean of a command need all of them)."""
    parser = _Parser(prog=PROG, description="Compliance linter for Amazon Connect outbound "
                     "campaigns (ConnectCampaignsV2).")
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version, botocore's and its service model's, and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if only is not None:
        commands = _OnlyCommand(commands, only)

    check = commands.add_parser("check", help="lint campaign files and folders",
                                description="Lint campaign JSON/YAML files, CloudFormation templates (SAM, cdk synth) "
                                "and `terraform show -json` output; folders are walked "
                                "for *.json, *.yaml, *.yml; '-' reads stdin.")
    check.add_argument("paths", nargs="*", default=None, metavar="PATH",
                       help="files and folders to lint, '-' for stdin (default: the current folder; "
                       "stdin with --stdin-filename)")
    _add_run_options(check)
    _add_fix_options(check)
    check.add_argument("--stdin-filename", metavar="NAME",
                       help="file name to report (and match per-file-ignores) for '-' "
                       "(default: <stdin>)")
    _add_template_options(check)
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the result cache (.campaign-lint-cache/)")
    check.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                       help="worker processes for many files (default: the number of CPUs)")

    audit = commands.add_parser(
        "audit", help="lint every campaign of a live AWS account (read-only)",
        description="Read every campaign of one or more regions with boto3 (ListCampaigns, "
        "DescribeCampaign, GetCampaignStateBatch, GetInstanceCommunicationLimits) and lint them. "
        "AWS configuration works as in the AWS CLI.")
    audit.add_argument("--region", action="append", default=[], metavar="REGION",
                       help="region to audit (repeatable; default: the profile's region)")
    audit.add_argument("--all-regions", action="store_true",
                       help="every region where the service exists (botocore's endpoint data)")
    audit.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default one)")
    audit.add_argument("--instance-id", action="append", default=[], metavar="ID",
                       help="only campaigns of this Amazon Connect instance (repeatable; "
                       "default: every instance)")
    audit.add_argument("--save", metavar="DIR",
                       help="also write each campaign, its state and its instance's limits to "
                       "DIR/<region>/<name>-<id>.json (default: write nothing)")
    audit.add_argument("--prune", action="store_true",
                       help="with --save: remove the files campaign-lint saved in DIR for campaigns "
                       "that no longer exist (or were renamed); nothing else is touched")
    audit.add_argument("--max-workers", type=_worker_count, default=16, metavar="N",
                       help=f"concurrent DescribeCampaign calls, 1 to {MAX_WORKERS} (default: 16)")
    audit.add_argument("--retry-mode", choices=("adaptive", "standard"), default="adaptive",
                       help="adaptive: throttled calls are paced to the rate the service allows; "
                       "standard: they only back off (default: adaptive)")
    audit.add_argument("--max-attempts", type=_positive_int, default=10, metavar="N",
                       help="attempts of every call in total, the first one included (default: 10)")
    audit.add_argument("--connect-timeout", type=_positive_seconds, default=5.0, metavar="SECONDS",
                       help="seconds to wait for a connection (default: 5)")
    audit.add_argument("--read-timeout", type=_positive_seconds, default=20.0, metavar="SECONDS",
                       help="seconds to wait for an answer (default: 20)")
    _add_run_options(audit)

    rules = commands.add_parser("rules", help="list every rule: id, name, severity, summary")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                       help="text, json or markdown (the README's table)")
    _add_rule_sources(rules)

    hours = commands.add_parser(
        "hours", help="draw the week in which a campaign may contact people",
        description="Draw, per campaign and channel, a week grid (days x half hours) of when "
        "the campaign may contact a callee: in each callee's own clock (localTimeZoneDetection) "
        "and, for defaultTimeZone, as the clock of a callee in each --zone sees it (daylight "
        "saving of that week included). Restricted periods are listed.")
    hours.add_argument("file", metavar="FILE", help="a campaign file (JSON or YAML)")
    hours.add_argument("--zone", action="append", default=[], metavar="ZONE",
                       help="a callee's time zone, e.g. America/Los_Angeles (repeatable; default: "
                       "the campaign's defaultTimeZone)")
    hours.add_argument("--today", metavar="YYYY-MM-DD",
                       help="draw the week (Monday to Sunday) holding this date (default: today)")
    hours.add_argument("--ascii", action="store_true",
                       help="draw with # + . instead of block characters (default: when the "
                       "output cannot encode them)")
    hours.add_argument("--policy", metavar="PACKS",
                       help="draw the legal window of these policy packs beside the campaign's "
                       "hours (comma-separated ids, see: campaign-lint policies; default: the "
                       "config's policies, else none)")
    _add_rule_sources(hours)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of campaign files, for editors",
        description="Print the JSON Schema (draft-07, for editors such as VS Code's YAML "
        "extension) that the structural check validates campaign files with, derived from "
        "botocore's service model.")
    schema.add_argument("--shape", choices=_schema_shapes(), default="describe",
                        help="describe: a describe-campaign response; create: a create-campaign "
                        "request; cloudformation: a template's AWS::ConnectCampaignsV2::Campaign "
                        "resources")
    schema.add_argument("--output", "-o", metavar="FILE",
                        help="write the schema to FILE (default: standard output)")

    for name in ("explain", "rule"):
        explain = commands.add_parser(
            name, help="show one rule's documentation with examples, or a policy pack with its "
            "citations" if name == "explain" else "the same as explain")
        explain.add_argument("code", metavar="RULE", help="a rule id (CC301) or name, an id prefix "
                             "(CC3) to list its rules, or a policy pack id (us-fl)")
        _add_rule_sources(explain)

    policies = commands.add_parser("policies", help="list the policy packs (legal calling hours, CC7xx)")
    policies.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                          help="text, json or markdown (the README's table)")
    _add_rule_sources(policies)
    return parser


def _schema_shapes() -> tuple[str, ...]:
    from .editor_schema import SHAPES

    return tuple(SHAPES)


def cmd_hours(args: argparse.Namespace) -> int:
    from datetime import date

    from .hours import as_label, campaign_week, known_zone, monday_of, render_text
    from .sources.files import load_path, unreachable

    for zone in args.zone:
        if not known_zone(zone):
            import pytz

            from .schema import did_you_mean

            raise UsageError(f"--zone {zone!r} is not an IANA time zone"
                             f"{did_you_mean(zone, list(pytz.all_timezones))}")
    today = parse_today(args.today, "--today") if args.today else date.today()
    check_policy_today(today, "--today")
    if not os.path.isfile(args.file):
        raise UsageError(unreachable(args.file) or f"{args.file}: not a file: `hours` reads one campaign file")
    loaded = load_path(args.file)
    if not loaded.campaigns:
        reason = "; ".join(d.message for d in loaded.diagnostics) or "no campaign in it"
        raise UsageError(f"{args.file}: {reason}")
    weeks = [(as_label(c), campaign_week(c, args.zone, today, _hours_packs(args)))
             for c in loaded.campaigns]
    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("-", "")
    _write_stdout(render_text(weeks, monday_of(today), unicode=not args.ascii and "utf" in encoding))
    return 0


def _hours_packs(args: argparse.Namespace) -> list:
    """The policy packs whose legal window ``hours`` draws: --policy, else the config's."""
    from .config import split_policies
    from .policies import resolve_ids

    config = _config(args)
    ids = split_policies([args.policy]) if args.policy is not None else config.policies
    if not ids:
        return []
    packs = _packs(config)
    return [packs[i] for i in resolve_ids(ids, packs, "--policy" if args.policy else config.path or "")]


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .editor_schema import editor_schema

    _write(json.dumps(editor_schema(args.shape), indent=2) + "\n", args.output)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


#: each worker is a thread and a pooled connection; far above any service's rate limit
MAX_WORKERS = 256


def _worker_count(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{text!r} is more than {MAX_WORKERS} workers")
    return value


def _add_template_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("CloudFormation templates")
    group.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                       help="a template parameter's value (repeatable; default: its Default)")
    group.add_argument("--parameters-file", action="append", default=[], metavar="FILE",
                       help='parameter values: [{"ParameterKey": ..., "ParameterValue": ...}] '
                       'or {"Parameters": {...}} (repeatable; --parameter wins; default: none)')
    group.add_argument("--region", metavar="REGION",
                       help="the region a template deploys to (AWS::Region, AWS::Partition); "
                       "default: unknown")


def _template_options(args: argparse.Namespace):
    if not (args.parameter or args.parameters_file or args.region):
        return None  # the defaults (and the source stays unimported for files without templates)
    from .sources.cloudformation import TemplateOptions, parse_parameter, read_parameters_file

    if args.region:  # a typo would deploy nowhere, and decide every AWS::Region condition wrong
        from .sources.aws_setup import shipped_regions, unknown_region

        problem = unknown_region(args.region, shipped_regions())
        if problem is not None:
            raise UsageError(f"--region: {problem}")
    parameters: dict[str, str] = {}
    try:
        for path in args.parameters_file:
            parameters.update(read_parameters_file(path))
        parameters.update(parse_parameter(text) for text in args.parameter)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return TemplateOptions(parameters=parameters, region=args.region)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e6:  # NaN fails too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _add_rule_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="config file (default: found upward)")
    parser.add_argument("--isolated", action="store_true", help="ignore every config file")
    parser.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                        help="load extra rules from every *.py in DIR (repeatable; default: "
                        "the config's rules-dirs)")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    _add_rule_sources(parser)
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="text, json, sarif, junit, github or html (one self-contained page "
                        "with filters and each campaign's calling week) (default: text; github "
                        "when GITHUB_ACTIONS=true)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="write the report to FILE (default: standard output)")
    parser.add_argument("--select", metavar="CODES", help="only these rule ids/prefixes, "
                        "comma-separated (default: the config's select, else every rule not opt-in)")
    parser.add_argument("--extend-select", metavar="CODES",
                        help="add these to the selection (default: none beyond the config's)")
    parser.add_argument("--ignore", metavar="CODES",
                        help="skip these rule ids/prefixes (default: none beyond the config's)")
    parser.add_argument("--fail-on", choices=FAIL_ON,
                        help="lowest severity that makes the exit code 1 (default: the "
                        "config's fail-on, else error)")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="pin today's date for the date rules, for CI (default: the config's "
                        "today, else the real date)")
    parser.add_argument("--policy", metavar="PACKS",
                        help="check these policy packs (comma-separated ids, see: campaign-lint "
                        "policies); replaces `policies` of the config (default: the config's "
                        "policies, else none)")
    parser.add_argument("--no-suppressions", action="store_true",
                        help="ignore suppression comments, tags, Metadata and the baseline")
    parser.add_argument("--suppressions", metavar="KINDS",
                        help="honour only these suppressions that come with the data: comma-separated "
                        "tags, comments, metadata, or none; the baseline still applies (audit reads "
                        "tags only) (default: the config's suppressions, else all three)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="report only findings not recorded in this baseline file "
                        "(default: no baseline)")
    parser.add_argument("--write-baseline", metavar="FILE",
                        help="record the current findings as accepted in FILE, then exit 0 "
                        "(default: do not)")
    _add_text_options(parser)


def _add_fix_options(parser: argparse.ArgumentParser) -> None:
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true",
                       help="apply the fixes that cannot change what a campaign does, in place "
                       "(comments and formatting kept), then report what is left")
    fixes.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply fixes that can change behaviour "
                       "(a guessed time zone); marks them fixable in the output")
    fixes.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff and change nothing (exit 1 when "
                       "there is something to fix)")


def _add_text_options(parser: argparse.ArgumentParser) -> None:
    """How text output looks (``--format text``, the default)."""
    from .report.terminal import COLOR_CHOICES

    text = parser.add_argument_group("text output")
    text.add_argument("--statistics", action="store_true",
                      help="one line per rule with its count instead of the findings (like ruff)")
    text.add_argument("--quiet", "-q", action="store_true",
                      help="print the summary line only when the run fails")
    text.add_argument("--show-source", action="store_true",
                      help="show the offending line with a caret under the column")
    text.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                      help="colour paths, rule ids and severities: auto (a terminal, unless NO_COLOR "
                      "is set or TERM=dumb; FORCE_COLOR forces it), always or never (default: auto)")


def _config(args: argparse.Namespace) -> Config:
    if args.isolated:
        config = Config()
    else:
        named = getattr(args, "stdin_filename", None)
        paths = [named if p == STDIN and named else p for p in getattr(args, "paths", None) or []]
        config = load_config(args.config, start=_config_start(paths))
    config.rules_dirs = config.rules_dirs + [os.path.abspath(d) for d in args.rules_dir]
    if getattr(args, "policy", None) is not None:
        from .config import split_policies

        config.policies = split_policies([args.policy])
    if getattr(args, "suppressions", None) is not None:
        config.suppressions = _suppression_kinds(args.suppressions)
    return config


def _suppression_kinds(text: str) -> list[str]:
    """``--suppressions comments,metadata`` (or ``none``) as the kinds honoured."""
    from .config import SUPPRESSION_KINDS, suppression_kinds

    words = [word for word in text.split(",") if word.strip()]
    if not words:
        raise UsageError(f"--suppressions {text!r} names no kind; give any of "
                         f"{','.join(SUPPRESSION_KINDS)} (comma-separated), or none")
    return suppression_kinds(words, "--suppressions")


#: what the note on suppressions not honoured calls one of each kind, and several
_KIND_NOUNS = {"tags": ("campaign-lint:ignore tag", "campaign-lint:ignore tags"),
               "comments": ("campaign-lint suppression comment", "campaign-lint suppression comments"),
               "metadata": ("resource Metadata campaign-lint ignore", "resource Metadata campaign-lint ignores")}


def _note_unhonoured(args: argparse.Namespace, result, config: Config) -> None:
    """One line on stderr when the run met suppressions of a kind it does not honour: the
    findings they name are reported, and the user should know why."""
    if not result.unhonoured:
        return
    counts = [f"{count} {_KIND_NOUNS[kind][count != 1]}" for kind, count in result.unhonoured.items()]
    listed = counts[0] if len(counts) == 1 else f"{', '.join(counts[:-1])} and {counts[-1]}"
    print(f"{PROG}: {_one_line(f'note: {listed} not honoured ({_setting(args, config)})')}", file=sys.stderr)


def _setting(args: argparse.Namespace, config: Config) -> str:
    """Where the kinds honoured were set, as the user wrote it: the option, or the config key."""
    import json

    if args.suppressions is not None:
        return f"--suppressions {','.join(config.suppressions) or 'none'}"
    return f"suppressions = {json.dumps(config.suppressions)} in {_shown_path(config.path)}"


def _shown_path(path: str | None) -> str:
    """A config file's path as the user may type it: relative to here when inside it."""
    from .report.escape import relative_path

    if path is None:
        return "the config"
    return relative_path(path, os.curdir) or path


def _config_start(paths: list[str] | None) -> str:
    """Where config discovery starts: the folder holding every linted path (like ruff,
    which looks from the files, not from the current folder; stdin's from its
    --stdin-filename)."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".")
               for p in paths or [] if p != "-"]
    if not folders:
        return "."
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives (Windows)
        return "."


def _registry(config: Config):
    from .registry import Registry

    return Registry.load(config.rules_dirs)


def _write(text: str, output: str | None) -> None:
    if output is None:
        _write_stdout(text)
        return
    _write_file(output, text)


def _write_stdout(text: str) -> None:
    """Write to stdout. A reader that went away (``| head``) is not an error: the exit code
    stays the run's. A stdout that cannot take the text (a full disk, /dev/full) is."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        raise UsageError(f"cannot write the report to stdout: {error.strerror or error}") from None


def _refuse_inputs(path: str, option: str, inputs: list[str]) -> None:
    """A report or baseline never overwrites a file the run read (exit 2, nothing written)."""
    from .atomic import same_file

    if not os.path.exists(path):  # a new file cannot be one of the inputs
        return
    for given in inputs:
        if given and same_file(path, given):
            raise UsageError(f"{option} {path}: that is {given}, one of the run's inputs; "
                             "refusing to overwrite it (write the report elsewhere)")


def _write_file(path: str, text: str) -> None:
    from .atomic import write_atomic  # tempfile costs start-up; only --output needs it

    try:
        write_atomic(path, text)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None


def _engine(args: argparse.Namespace):
    from .engine import Engine, Selection, check_option_codes

    config = _config(args)
    registry = _registry(config)
    if args.select is not None and not split_codes(args.select):
        raise UsageError(f"--select {args.select!r} names no rule; give ids or prefixes (CC3,CC501), "
                         "or ALL for every rule")
    for option in ("select", "extend_select", "ignore"):  # errors name the option, not the config
        check_option_codes(registry, "--" + option.replace("_", "-"),
                           split_codes(getattr(args, option) or ""), ignoring=option == "ignore")
    selection = Selection(
        select=split_codes(args.select) if args.select is not None else config.select,
        extend_select=config.extend_select + split_codes(args.extend_select or ""),
        ignore=config.ignore + split_codes(args.ignore or ""))
    today = parse_today(args.today, "--today") if args.today else None
    engine = Engine(registry, config, selection, today=today)
    _warn_policy_rules_without_pack(engine)
    return engine, args.fail_on or config.fail_on


def _warn_policy_rules_without_pack(engine) -> None:
    """A CC7xx code selected while no policy pack is: the run checks no calling hours, which
    a user who selected them believes it does."""
    if engine.policy_set is not None:
        return
    selection = engine.selection
    named = [code for code in (*(selection.select or ()), *selection.extend_select) if code.upper().startswith("CC7")]
    if named:
        print(f"{PROG}: warning: {', '.join(dict.fromkeys(named))} selected, but no policy pack is: the "
              "CC7xx rules report nothing without one (add --policy us-tcpa, or policies in the config; "
              "see: campaign-lint policies)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from .engine import WorkerLost, check_files
    from .sources.files import PathError

    if not args.paths:
        args.paths = [STDIN] if args.stdin_filename else ["."]
    elif args.stdin_filename and STDIN not in args.paths:
        raise UsageError("--stdin-filename names what is read from stdin: add '-' to the paths "
                         "(or leave out the paths)")
    engine, fail_on = _engine(args)
    engine.whole_campaigns = args.format == "html"  # it draws each campaign's calling week
    baseline = None if args.no_suppressions else _read_baseline(args.baseline)
    template = _template_options(args)

    def checked() -> Any:
        """The run over the paths; again after --fix, with the cache read anew (it remembers
        each file's digest for a run, and the fixed files changed) and the same workers."""
        try:
            return check_files(engine, args.paths, stdin=sys.stdin, stdin_filename=args.stdin_filename,
                               suppressions=not args.no_suppressions, baseline=baseline, template=template,
                               cache=None if args.no_cache else _result_cache(engine),
                               jobs=args.jobs or os.cpu_count() or 1)
        except (PathError, WorkerLost) as error:
            raise UsageError(str(error)) from None

    result = checked()
    if result.files == 0 and not result.not_read:  # a path not read has its CC001: no contradiction
        unless = " that is not excluded" if engine.config.exclude else ""
        # the names are data (pre-commit passes staged names): one escaped line
        print(f"{PROG}: warning: no .json, .yaml or .yml file{unless} found in "
              f"{_one_line(' '.join(args.paths))}", file=sys.stderr)
    if args.fix or args.diff:
        from .fix import relinter

        fixed = _apply_fixes(args, result, relinter(engine, not args.no_suppressions, baseline))
        if args.diff:
            _note_unhonoured(args, result, engine.config)  # a fix shown may be one a tag would hide
            return 1 if fixed else 0
        if fixed:  # report what is left: the files not fixed come from the cache
            result = checked()
    _note_unhonoured(args, result, engine.config)
    return _report(args, result, engine.registry, fail_on, engine)


def _apply_fixes(args: argparse.Namespace, result, relint) -> int:
    """--fix / --diff: fix (or show the diff of) every fixable finding; the count fixed."""
    from .fix import fix_files

    if "-" in args.paths:
        raise UsageError("--fix and --diff work on files, not on stdin ('-')")
    if args.diff and args.format not in (None, "text"):
        raise UsageError(f"--diff prints a unified diff, not --format {args.format}: leave out --format")
    if args.write_baseline:
        raise UsageError("give --fix/--diff or --write-baseline, not both")
    fixes, refused = fix_files(result.findings, args.unsafe_fixes, _repo_root(), relint)
    for message in refused:
        print(f"{PROG}: warning: {_one_line(message)}", file=sys.stderr)  # it names a file
    count = sum(len(f.fixed) for f in fixes)
    if args.diff:
        _write_stdout("".join(f.diff() for f in fixes))
        verb = "would fix"
    else:
        for file_fix in fixes:
            try:
                file_fix.write()
            except OSError as error:
                raise UsageError(f"{file_fix.path}: cannot write: {error.strerror or error}") from None
        verb = "fixed"
    files = len(fixes)
    print(f"{PROG}: {verb} {count} problem{'s' if count != 1 else ''} in {files} "
          f"file{'s' if files != 1 else ''}", file=sys.stderr)
    return count


def _result_cache(engine):
    """The result cache: ``cache-dir`` from the config, else ``.campaign-lint-cache`` in the
    project root (the config file's folder, else the repository root)."""
    from .cache import FOLDER, ResultCache

    config = engine.config
    folder = config.cache_dir or os.path.join(config.root if config.path else _repo_root(), FOLDER)
    return ResultCache.open(folder, engine)


def cmd_audit(args: argparse.Namespace) -> int:
    from .engine import audit_account
    from .sources.aws import AuditOptions, AuditSetupError

    engine, fail_on = _engine(args)
    baseline = None if args.no_suppressions else _read_baseline(args.baseline)
    options = AuditOptions(
        regions=args.region, all_regions=args.all_regions, profile=args.profile,
        instance_ids=args.instance_id, max_workers=args.max_workers, retry_mode=args.retry_mode,
        max_attempts=args.max_attempts, connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout, save_dir=args.save, prune=args.prune,
        progress=sys.stderr.isatty())
    if args.region and args.all_regions:
        raise UsageError("give --region or --all-regions, not both")
    if args.prune and not args.save:
        raise UsageError("--prune needs --save DIR (the folder to prune)")
    for instance in args.instance_id:
        _check_instance_id(instance)
    try:
        result = audit_account(engine, options, suppressions=not args.no_suppressions,
                               baseline=baseline)
    except AuditSetupError as error:
        raise UsageError(str(error)) from None
    for note in result.notes:
        print(f"{PROG}: {_one_line(note)}", file=sys.stderr)
    if result.campaigns == 0:
        where = f"instance {', '.join(args.instance_id)} in " if args.instance_id else ""
        print(f"{PROG}: warning: no campaign was read from {where}"
              f"{result.regions} region{'s' if result.regions != 1 else ''}; nothing was checked",
              file=sys.stderr)
    _note_unhonoured(args, result, engine.config)
    return _report(args, result, engine.registry, fail_on, engine)


def _check_instance_id(text: str) -> None:
    """An --instance-id the API would refuse is a usage error, not a CC003 per region."""
    import re

    from .schema import service_model

    shape = service_model()["shapes"]["InstanceId"]
    if not (shape.get("min", 1) <= len(text) <= shape.get("max", 256)
            and re.fullmatch(shape.get("pattern", ".+"), text)):
        raise UsageError(f"--instance-id {text[:300]!r} is not an Amazon Connect instance id "
                         "(letters, digits, '-', '_' and '.': the last part of the instance ARN)")


def _read_baseline(path: str | None):
    from .suppress import load_baseline

    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return load_baseline(handle.read(), path)
    except OSError as error:
        raise UsageError(f"{path}: cannot read the baseline: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not a campaign-lint baseline (not UTF-8: {error.reason} at byte "
                         f"{error.start}); write one with --write-baseline") from None
    except ValueError as error:
        raise UsageError(str(error)) from None


def _report(args: argparse.Namespace, result, registry, fail_on: str, engine=None) -> int:
    """Write the report (or the baseline) and compute the exit code."""
    from .report import render

    inputs = list(result.paths) + [(engine.config.path if engine else None) or ""]
    if args.write_baseline:
        from .suppress import baseline_document

        _refuse_inputs(args.write_baseline, "--write-baseline", inputs)
        document, counted = baseline_document(result.findings)
        _write_file(args.write_baseline, document)
        print(f"{PROG}: wrote {counted} finding{'s' if counted != 1 else ''} to {_one_line(args.write_baseline)}",
              file=sys.stderr)
        return 0
    report = render(_format(args), result, _report_context(args, registry, fail_on, engine))
    if args.output is not None:
        _refuse_inputs(args.output, "--output", inputs + [args.baseline or ""])
    _write(report, args.output)
    return result.exit_code(fail_on)


def _report_context(args: argparse.Namespace, registry, fail_on: str, engine=None):
    from .report import ReportContext
    from .report.terminal import use_color

    text_only = [flag for flag, given in (("--statistics", args.statistics),
                                          ("--show-source", args.show_source)) if given]
    if text_only and args.format not in (None, "text"):
        raise UsageError(f"{text_only[0]} applies to --format text, not {args.format}")
    # a file (-o) gets colour only when asked for by name, not through FORCE_COLOR
    color = use_color(args.color, sys.stdout) if args.output is None else args.color == "always"
    return ReportContext(rules=list(registry), root=_repo_root(), fail_on=fail_on, color=color,
                         statistics=args.statistics, quiet=args.quiet, show_source=args.show_source,
                         unsafe_fixes=getattr(args, "unsafe_fixes", False),
                         today=engine.today if engine else None,
                         policies=engine.policies if engine else None)


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return args.format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _repo_root() -> str:
    """The repository root (nearest folder upward with .git or .hg), else the current folder."""
    from .sources.ignore import repository_root

    return repository_root(os.getcwd()) or os.getcwd()


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .docs import rules_table

    registry = _registry(_config(args))
    rules = list(registry)
    if args.format == "json":
        text = json.dumps([{"id": r.id, "name": r.name, "severity": str(r.severity),
                            "summary": r.summary, "scope": r.scope, "origin": r.origin,
                            "enabled_by_default": r.default_enabled} for r in rules], indent=2) + "\n"
    elif args.format == "markdown":
        text = rules_table(rules)
    else:
        text = _rule_lines(rules)
    _write_stdout(text)
    return 0


def _rule_lines(rules: list) -> str:
    """The rules as ``campaign-lint rules`` lists them: id, name, severity, summary."""
    width = max(len(r.name) for r in rules)
    return "".join(f"{r.id:<7} {r.name:<{width}}  {str(r.severity):<7}  {r.summary}"
                   f"{'' if r.default_enabled else ' (opt-in)'}\n" for r in rules)


def cmd_explain(args: argparse.Namespace) -> int:
    from .docs import render_explain

    config = _config(args)
    registry = _registry(config)
    rule = registry.lookup(args.code)
    if rule is None and registry.matching(args.code) and args.code.strip():
        _write_stdout(_rule_lines(registry.matching(args.code)))
        return 0
    if rule is None:
        from .schema import did_you_mean

        packs = _packs(config)
        if args.code.lower() in packs:
            from .policies import render_pack

            from datetime import date

            _write_stdout(render_pack(packs[args.code.lower()], config.today or date.today()))
            return 0
        hint = did_you_mean(args.code, [r.name for r in registry] + list(registry.rules) + list(packs))
        raise UsageError(f"unknown rule or policy pack {args.code!r}{hint} (see: {PROG} rules, {PROG} policies)")
    _write_stdout(render_explain(rule))
    return 0


def _packs(config: Config) -> dict:
    """Every policy pack: built-in ones and those of the config's policy-dirs."""
    from .policies import PackError, load_packs

    try:
        return load_packs(tuple(config.policy_dirs))
    except PackError as error:
        raise UsageError(str(error)) from None


def cmd_policies(args: argparse.Namespace) -> int:
    import json

    from .policies import hours_summary, pack_dict, pack_table

    packs = list(_packs(_config(args)).values())
    if args.format == "json":
        text = json.dumps([pack_dict(p) for p in packs], indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        text = pack_table(packs)
    else:
        width = max(len(p.id) for p in packs)
        text = "".join(f"{p.id:<{width}}  {p.confidence:<6}  {p.last_checked}  {hours_summary(p)}\n"
                       f"{'':<{width}}  {p.title}\n" for p in packs)
        text += "Not legal advice. `campaign-lint explain ID` shows a pack with its citation.\n"
    _write_stdout(text)
    return 0


COMMANDS = {"check": cmd_check, "audit": cmd_audit, "rules": cmd_rules, "explain": cmd_explain, "rule": cmd_explain,
            "policies": cmd_policies}
COMMANDS["schema"] = cmd_schema
COMMANDS["hours"] = cmd_hours


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; an unknown option is a usage error that points at the
    help of the command it was given to, with a did-you-mean."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    _refuse_files_named_like_options(arguments)
    parser = build_parser(arguments[0] if arguments and arguments[0] in COMMANDS else None)
    args, extra = parser.parse_known_args(arguments)
    if not extra:
        return args
    import difflib

    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    target = commands.choices.get(args.command, parser)
    options = [o for action in target._actions for o in action.option_strings]
    close = difflib.get_close_matches(extra[0].split("=", 1)[0], options, n=1)
    hint = f"; did you mean {close[0]}?" if close and extra[0].startswith("-") else ""
    if not hint and args.command is not None:
        hint = _option_of_other_commands(extra, args.command)
    raise UsageError(f"unrecognized argument{'s' if len(extra) > 1 else ''}: {' '.join(extra)}"
                     f"{hint} (see: {target.prog} --help)")


def _option_of_other_commands(extra: list[str], command: str) -> str:
    """``; --suppressions is an option of check and audit, not of hours`` for the first
    unrecognized option that other commands take, else empty (all parsers are built: an
    error is rare, a run is not)."""
    option = next((e.split("=", 1)[0] for e in extra if e.startswith("--")), None)
    if option is None:
        return ""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    taking = [name for name, sub in commands.choices.items()
              if name != command and any(option in action.option_strings for action in sub._actions)]
    return f"; {option} is an option of {' and '.join(taking)}, not of {command}" if taking else ""


def _refuse_files_named_like_options(arguments: list[str]) -> None:
    """A file named ``--rules-dir=evil`` or ``--baseline=bl.json`` that pre-commit passes
    (it appends the staged names to the hook's command) would be read as that option: code
    run, findings hidden. An argument before ``--`` that reads as an option and names a file
    here is refused, so neither reading is guessed."""
    from .model import quote

    for argument in arguments[:arguments.index("--") if "--" in arguments else len(arguments)]:
        if argument.startswith("-") and argument != "-" and os.path.lexists(argument):
            command = arguments[0] if arguments[0] in COMMANDS else "check"
            raise UsageError(f"{quote(argument)} is a file here and also reads as an option; put file "
                             f"names after '--' (campaign-lint {command} [OPTIONS] -- FILE...)")


def main(argv: Sequence[str] | None = None) -> int:
    from .schema import ModelNotFound

    try:
        args = parse_arguments(argv)
        if args.command is None:
            build_parser().print_help(sys.stderr)
            return 2
        return COMMANDS[args.command](args)
    except (UsageError, ConfigError, ModelNotFound) as error:
        print(f"{PROG}: error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # a reader gone before the report (progress output, say)
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one line, the traceback on request
        if os.environ.get("CAMPAIGN_LINT_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(error).__name__}: {_one_line(str(error))} (please report it; "
              "CAMPAIGN_LINT_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2
    finally:
        if "campaign_lint.verdicts" in sys.modules:  # a rule judged something worth keeping
            sys.modules["campaign_lint.verdicts"].flush()


def _one_line(text: str) -> str:
    """An error message as one line: a key or path from a file may hold a newline or an
    escape sequence, which must not forge a second line on stderr."""
    from .report.escape import message

    return message(text)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file (tests)
        pass



def run() -> None:
    """The console script: :func:`main`, then exit without the interpreter's teardown.

    Tearing down every module and object costs tens of milliseconds that a pre-commit hook
    pays on each call. Nothing is left to do once the report is written: the output streams
    are flushed here (a failure to flush is reported like any closed pipe) and the process
    ends with the exit code."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: what it read stands, the code too
        _silence_stdout()
    except OSError:
        code = code or 2
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)
