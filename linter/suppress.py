"""Suppressions: campaign tags, YAML comments and baselines.

A suppressed finding stays in the result with the reason (json and sarif show
it); it no longer counts for the exit code. A tag or comment that suppresses
nothing becomes a CC011 finding, so stale suppressions do not pile up. A kind of
suppression the ``suppressions`` setting does not honour (tags, comments,
Metadata) is not kept at all: it neither hides a finding nor is a CC011; the run
counts it, to say so.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from .record import record, field
from typing import Any, Callable, Iterable, Mapping

from .config import SUPPRESSION_KINDS
from .diagnostics import NOT_CHECKED, STALE_BASELINE_ENTRY, UNUSED_SUPPRESSION
from .model import Campaign, Finding, as_mapping, as_str, quote
from .sources.parse import Comment

TAG = "campaign-lint:ignore"
#: the kind of each directive, as the ``suppressions`` setting names it
TAGS, COMMENTS, METADATA = SUPPRESSION_KINDS
#: "not checked" findings, and the finding about suppressions themselves
UNSUPPRESSIBLE = NOT_CHECKED | {UNUSED_SUPPRESSION.id}
#: what a baseline never records nor hides: "not checked" findings and the findings about
#: suppressions and the baseline themselves
NEVER_BASELINED = UNSUPPRESSIBLE | {STALE_BASELINE_ENTRY.id}
#: a rule id or a prefix of one as the rule's id is written: ASCII capitals then at least one
#: digit (CC3, CC301, ACME1), so that no code (C, CC, ALL) can switch off every rule; cc301 is
#: no code (nor does e501 suppress E501 in flake8's noqa)
_CODE = re.compile(r"[A-Z]{1,10}[0-9]+")
#: a word in the code list of a comment: ASCII capitals and digits (the reason follows it)
_CODE_LIKE = re.compile(r"[A-Z][A-Z0-9]*")
#: a word of a comment's code list, or a comma between two: only ASCII blanks and commas
#: separate codes (a no-break space is part of a word, which is then reported)
_WORD = re.compile(r"[^ \t,]+|,")
#: what separates the codes of a tag: spaces, tabs, commas and ``/``
_TAG_SEPARATORS = re.compile(r"[ \t,/]+")
#: what may set a reason apart from the codes: ``ignore CC301 -- OK per legal``
_DASHES = re.compile(r"^--(?:[ \t]+|$)")
#: any space may end the directive's word: what follows is judged word by word (and reported)
_DIRECTIVE = re.compile(r"^campaign-lint:[ \t]*(ignore-file|ignore)(?![^\s,])[ \t,]*(.*)$")
#: what a suppression comment starts with; one that then cannot be read is reported
_ATTEMPT = re.compile(r"^campaign-lint\s*:", re.IGNORECASE)
WRITE_IT_SO = "write e.g. '# campaign-lint: ignore CC301 reason' or 'ignore-file CC301'"


def split_codes(text: str) -> list[str]:
    """The words of a tag's code list, as written: separated by spaces, tabs, ``/`` or commas
    (as a comment's; those around the whole list are dropped). Any other character, a line
    break or a no-break space, is part of a word, which is then no code (and reported)."""
    return [word for word in _TAG_SEPARATORS.split(text.strip(" \t")) if word]


@record
class Directive:
    """One suppression: which codes, where it applies, and whether it was used."""

    codes: list[str]
    reason: str
    path: str | None
    #: where it is written: :data:`TAGS`, :data:`COMMENTS` or :data:`METADATA`
    kind: str
    line: int | None = None  # where the comment or tag is written
    column: int | None = None
    #: the line whose findings it suppresses: its own for a trailing comment, the next for a
    #: comment on a line of its own
    target: int | None = None
    file_wide: bool = False
    campaign: Campaign | None = None
    pointer: str | None = None
    used: set[str] = field(default_factory=set)
    #: words in the code list that are no rule id or prefix (C, CC, ALL): they suppress nothing
    invalid: list[str] = field(default_factory=list)
    #: a ``campaign-lint:`` comment that could not be read
    unreadable: bool = False
    #: codes of a template's tag that some Fn::If variant of the resource does not carry
    conditional: list[str] = field(default_factory=list)
    #: what is wrong with it, reported in place of its codes (a Metadata ignore not written as a list)
    problem: str | None = None

    def matches(self, finding: Finding, campaign: Campaign | None) -> str | None:
        """The matching code, or None."""
        if self.campaign is not None:
            if campaign is not self.campaign:
                return None
        elif finding.path != self.path:
            return None
        elif not self.file_wide and finding.line != self.target:
            return None
        return next((code for code in self.codes if finding.rule.startswith(code)), None)


def sort_codes(words: Iterable[str]) -> tuple[list[str], list[str]]:
    """``(codes, invalid)``: rule ids and prefixes of at least ``CCn``, and the rest."""
    codes, invalid = [], []
    for word in words:
        (codes if _CODE.fullmatch(word) else invalid).append(word)
    return codes, invalid


def _refusal(word: str) -> str:
    """Why a word where a code must be is no code, and how to write it instead."""
    refused = f"suppression of {quote(word, 30)} refused"
    foreign = _non_ascii(word)
    if foreign:
        return (f"{refused}: it holds {foreign}; write codes in ASCII capitals and digits, "
                "separated by spaces or commas")
    if " " in word or "\t" in word:  # only a Metadata list item can hold one: tags and comments split there
        return f"{refused}: give one code per item of the list (ignore: [CC301, CC206])"
    control = next((char for char in word if not char.isprintable()), None)
    if control is not None:
        return (f"{refused}: it holds the control character {quote(control)}; separate codes with "
                "spaces, tabs or commas")
    if _CODE.fullmatch(word.upper()):
        return f"{refused}: write rule ids in capitals ({word.upper()})"
    return f"{refused}: name rule ids or prefixes of at least CCn (CC3, CC301), never C, CC or ALL"


def _non_ascii(text: str, spaces: bool = False) -> str | None:
    """The first character of ``text`` that is not ASCII (a space only, with ``spaces``),
    named: ``U+00A0 NO-BREAK SPACE`` looks like a space, ``U+0421`` like a C, and neither
    separates or spells a code."""
    import unicodedata

    for char in text:
        if not char.isascii() and (char.isspace() or not spaces):
            return f"U+{ord(char):04X} {unicodedata.name(char, '(no name)')}"
    return None


def parse_comment(text: str) -> tuple[str, list[str], list[str], str] | None:
    """``(kind, codes, invalid, reason)`` of a ``campaign-lint: ignore CC301 reason``
    comment; kind is ``"unreadable"`` (the reason: the comment's text) for a
    ``campaign-lint:`` comment that is not one, and the result None for any other comment.
    The codes end at the first word that is not written in ASCII capitals and digits, or at
    ``--``."""
    text = text.strip()
    match = _DIRECTIVE.match(text)
    if not match:
        return ("unreadable", [], [], text) if _ATTEMPT.match(text) else None
    listed, reason = _code_list(match.group(2))
    codes, invalid = sort_codes(listed)
    return match.group(1), codes, invalid, reason


def _code_list(text: str) -> tuple[list[str], str]:
    """The words of a comment's code list, and the reason after it as written (its commas
    and spaces kept): the codes end at the first word not written in capitals and digits.
    The first word is where a code must be: it is listed (and reported) whatever it is."""
    listed, end = [], 0
    for found in _WORD.finditer(text):
        word = found.group()
        if word != "," and not _CODE_LIKE.fullmatch(word):
            if not listed and word != "--":
                listed, end = [word], found.end()
            break
        if word != ",":
            listed.append(word)
        end = found.end()
    return listed, _DASHES.sub("", text[end:].strip(), count=1)


class Suppressor:
    """Collects suppressions while files and campaigns load, then marks findings."""

    def __init__(self, honoured: Iterable[str] = SUPPRESSION_KINDS) -> None:
        #: the kinds of directive kept; any other is only counted (``unhonoured``)
        self.honoured = frozenset(honoured)
        self.unhonoured: Counter[str] = Counter()
        self.directives: list[Directive] = []
        # indexes, so that marking a finding looks only at the directives that can match it:
        # by campaign (tags), by file and target line (comments), by file (ignore-file)
        self._by_campaign: dict[int, list[tuple[int, Directive]]] = {}
        self._by_line: dict[tuple[str | None, int | None], list[tuple[int, Directive]]] = {}
        self._file_wide: dict[str | None, list[tuple[int, Directive]]] = {}

    def add(self, directive: Directive) -> None:
        """Keep a directive (indexed by campaign, or by file and target line); one of a kind
        not honoured is counted and dropped: it hides nothing and is no CC011."""
        if directive.kind not in self.honoured:
            self.unhonoured[directive.kind] += 1
            return
        entry = (len(self.directives), directive)
        self.directives.append(directive)
        if directive.campaign is not None:
            self._by_campaign.setdefault(id(directive.campaign), []).append(entry)
        elif directive.file_wide:
            self._file_wide.setdefault(directive.path, []).append(entry)
        else:
            self._by_line.setdefault((directive.path, directive.target), []).append(entry)

    def _candidates(self, finding: Finding, campaign: Campaign | None) -> list[Directive]:
        """The directives that may match ``finding``, in the order they were added."""
        found = (self._by_campaign.get(id(campaign), []) if campaign is not None else []) \
            + self._file_wide.get(finding.path, []) + self._by_line.get((finding.path, finding.line), [])
        return [directive for _, directive in sorted(found, key=lambda entry: entry[0])]

    def add_comments(self, path: str, comments: Iterable[Comment]) -> None:
        for comment in comments:
            parsed = parse_comment(comment.text)
            if parsed is None:
                continue
            kind, codes, invalid, reason = parsed
            target = comment.line + 1 if comment.own_line else comment.line
            self.add(Directive(
                codes, reason or f"comment on line {comment.line}", path, COMMENTS, comment.line,
                comment.column, target=target, file_wide=kind == "ignore-file",
                invalid=invalid, unreadable=kind == "unreadable"))

    def add_campaign(self, campaign: Campaign, variants: Iterable[Campaign] = ()) -> None:
        """The campaign's tag; with the other Fn::If ``variants`` of a template resource, only
        the codes every variant's tag names (a tag under a condition that never holds must not
        hide what the deployed campaign does)."""
        value = _tag_value(campaign)
        if value is None:
            return
        location = campaign.origin.locate(f"/tags/{TAG.replace('/', '~1')}")
        codes, invalid = sort_codes(split_codes(value))
        others = [sort_codes(split_codes(_tag_value(v) or ""))[0] for v in variants if v is not campaign]
        conditional = [code for code in codes if not all(code in named for named in others)]
        self.add(Directive(
            [code for code in codes if code not in conditional], f"campaign tag {TAG}",
            campaign.origin.path, TAGS, location[0] if location else None,
            location[1] if location else None, campaign=campaign, pointer=f"/tags/{TAG}",
            invalid=invalid, conditional=conditional))

    def apply(self, finding: Finding, campaign: Campaign | None,
              others: Iterable[Campaign] = ()) -> Finding:
        """``finding`` marked suppressed when a directive matches it. A campaign's tag speaks
        for that campaign alone: a finding about several campaigns (``others``: CC601's one
        finding per instance) is suppressed by tags only when every campaign named carries
        one, so that nobody who can tag one campaign hides what concerns the others."""
        if finding.suppressed is not None or finding.rule in UNSUPPRESSIBLE:
            return finding
        every_other_tagged = all([self._tagged(finding, other) for other in others])  # marks each used
        for directive in self._candidates(finding, campaign):
            code = directive.matches(finding, campaign)
            if code is None:
                continue
            directive.used.add(code)
            if directive.campaign is not None and not every_other_tagged:
                continue
            return finding.with_(suppressed=directive.reason)
        return finding

    def _tagged(self, finding: Finding, campaign: Campaign) -> bool:
        """Whether ``campaign``'s own tag suppresses ``finding`` (marking that tag used)."""
        for _, directive in self._by_campaign.get(id(campaign), []):
            code = directive.matches(finding, campaign)
            if code is not None:
                directive.used.add(code)
                return True
        return False

    def unused(self, enabled: Callable[[str], bool],
               known: Callable[[str], bool] = lambda code: True,
               uncertain: Callable[[Directive, str], bool] = lambda directive, code: False
               ) -> Iterable[tuple[Directive, str]]:
        """``(directive, message)`` for each suppression that is wrong or suppressed
        nothing: an unreadable comment, no code, a code that is no rule id or prefix
        (C, CC, ALL), a code of no known rule, or a code of an enabled rule that
        matched no finding (unless ``uncertain``: its rule read values not known)."""
        for directive in self.directives:
            if directive.problem is not None:
                yield directive, directive.problem
                continue
            if directive.unreadable:
                space = _non_ascii(directive.reason, spaces=True)
                held = f" (it holds {space}, which separates nothing)" if space else ""
                yield directive, f"cannot read this campaign-lint comment{held}; {WRITE_IT_SO}"
                continue
            for code in directive.conditional:
                yield directive, (f"suppression of {code} is in the {TAG} tag of some Fn::If "
                                  "branches only, so it suppresses nothing: give it in every branch")
            for word in directive.invalid:
                yield directive, _refusal(word)
            if not directive.codes and not directive.invalid and not directive.conditional:
                yield directive, "suppression names no rule id; write e.g. 'ignore CC301'"
            for code in directive.codes:
                if not known(code):
                    yield directive, (f"suppression of {code} names no known rule "
                                      "(see: campaign-lint rules)")
                elif code not in directive.used and enabled(code) and not uncertain(directive, code):
                    yield directive, f"suppression of {code} matches no finding; remove it"


def _tag_value(campaign: Campaign) -> str | None:
    return as_str(as_mapping(campaign.data.get("tags")).get(TAG))


# --- baseline ----------------------------------------------------------------------------

#: 2: files relative to the repository root; 1: files as typed on the command line (read
#: relative to the current folder)
BASELINE_VERSION = 2


def baseline_path(path: str | None) -> str | None:
    """A file as baselines and fingerprints name it: relative to the repository root (``/``
    separators), else absolute; the same however it was typed (``./a.yaml``, ``sub/../a.yaml``,
    an absolute path, from a subfolder). Standard input (``-``) stays ``-``."""
    if path is None or path == "-":
        return path
    return _baseline_path(path, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _baseline_path(path: str, cwd: str) -> str:
    from .sources.ignore import repository_root

    # real paths: a folder reached through a link (macOS /tmp, a CI workspace) is one folder
    absolute = os.path.normpath(os.path.join(cwd, path))
    try:
        absolute = os.path.realpath(absolute)
        relative = os.path.relpath(absolute, os.path.realpath(repository_root(cwd) or cwd))
    except (ValueError, OSError):  # another drive (Windows), a name no file can have (NUL)
        return absolute.replace(os.sep, "/")
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def baseline_key(finding: Finding) -> str:
    """What identifies a finding across edits: rule, file, campaign and pointer, no line; and
    the policy pack, so that two packs' findings on one range stay two findings."""
    campaign = finding.campaign
    identity = (campaign.arn or campaign.id or campaign.name) if campaign else None
    return _key(finding.rule, baseline_path(finding.path), finding.region, identity, finding.pointer,
                dict(finding.properties).get("policy"))


def _key(rule: str, path: str | None, region: str | None, campaign: str | None, pointer: str | None,
         policy: str | None) -> str:
    """A baseline key: the five fields, and the pack only when there is one (keys written
    before packs were recorded stay the same)."""
    key = [rule, path, region, campaign, pointer]
    return json.dumps(key + [policy] if policy else key)


def fingerprint(finding: Finding) -> str:
    import hashlib

    return hashlib.sha256(baseline_key(finding).encode("utf-8")).hexdigest()[:32]


def baseline_document(findings: Iterable[Finding]) -> tuple[str, int]:
    """The baseline file for these findings, and how many findings it records: those that
    count, and those an older baseline already accepted (so rewriting a baseline while using
    one keeps its entries). Findings a baseline never hides (CC001, CC003, CC010, CC011,
    CC012) are not written."""
    counts = Counter(baseline_key(f) for f in findings
                     if f.suppressed in (None, "baseline") and f.rule not in NEVER_BASELINED)
    text = json.dumps({"version": BASELINE_VERSION, "findings": _entries(counts)}, indent=2) + "\n"
    return text, sum(counts.values())


def _entries(counts: Mapping[str, int]) -> list[dict]:
    entries = []
    for key, count in sorted(counts.items()):
        rule, path, region, campaign, pointer, *policy = json.loads(key)
        entry = {"rule": rule, "file": path, "region": region, "campaign": campaign, "pointer": pointer}
        entries.append({**entry, **({"policy": policy[0]} if policy else {}), "count": count})
    return entries


def load_baseline(text: str, where: str) -> Counter:
    """The accepted findings of a baseline file, as a multiset of keys."""
    from .schema import type_name

    try:
        document = json.loads(text)
        if not isinstance(document, dict):
            raise TypeError(f'the file holds {type_name(document)}, not an object like {{"version": 2, '
                            '"findings": [...]}')
        version = document.get("version", 1)
        if version not in (1, 2):
            raise ValueError(f"version {version!r} is not one this campaign-lint reads (1 or 2)")
        entries = document.get("findings")
        if not isinstance(entries, list):
            raise TypeError(f'"findings" must be a list of entries, not {type_name(entries)}')
        counts = Counter()
        for entry in entries:
            _check_entry(entry)
            path = entry.get("file")
            key = _key(entry["rule"], baseline_path(path) if version == 1 else path, entry.get("region"),
                       entry.get("campaign"), entry.get("pointer"), entry.get("policy"))
            counts[key] += int(entry.get("count", 1))
        return counts
    except (ValueError, KeyError, TypeError, ArithmeticError, RecursionError) as error:
        raise ValueError(f"{where}: not a campaign-lint baseline ({error}); "
                         "write one with --write-baseline") from None


def _check_entry(entry: Any) -> None:
    """A baseline entry as --write-baseline writes it (a file may hold anything)."""
    from .schema import type_name

    if not isinstance(entry, dict):
        raise TypeError(f"an entry must be an object, not {type_name(entry)}")
    for name in ("rule", "file", "region", "campaign", "pointer", "policy"):
        value = entry.get(name)
        if not isinstance(value, str) and (name == "rule" or value is not None):
            raise TypeError(f"{name} of an entry must be a string, not {type_name(value)}")
    count = entry.get("count", 1)
    if type(count) is not int or count < 0:
        raise TypeError(f"count of an entry must be a whole number, not {count!r}")


def apply_baseline(findings: list[Finding], accepted: Mapping[str, int]) -> list[Finding]:
    remaining = Counter(accepted)
    result = []
    for finding in findings:
        key = baseline_key(finding)
        if finding.suppressed is None and remaining[key] > 0 and finding.rule not in NEVER_BASELINED:
            remaining[key] -= 1
            finding = finding.with_(suppressed="baseline")
        result.append(finding)
    return result


def stale_entries(findings: Iterable[Finding], accepted: Mapping[str, int]) -> list[dict]:
    """The baseline entries (as in the file, ``count`` the unmatched part) that no finding of
    ``findings`` (after :func:`apply_baseline`) used."""
    used = Counter(baseline_key(f) for f in findings if f.suppressed == "baseline")
    return _entries(Counter(accepted) - used)
