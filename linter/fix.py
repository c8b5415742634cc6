"""``--fix``: apply the rules' fixes to the text of the files they were found in.

A fix replaces one value (or deletes one list item) at its span in the file's text, so
comments, key order, quoting and formatting everywhere else survive, in JSON and YAML.
A fix is applied only when everything checks out: the value is found at the finding's
line and column, it is not shared through a YAML alias, the source text is what the rule
expected, and the fixed file still parses. Otherwise the finding simply stays.

Files are rewritten atomically, keeping their permissions and byte-order mark; a file
reached through a symlink is written only when the link's target is inside the
repository (the link stays a link).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import defaultdict
from .record import record, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .model import REMOVE, Finding, Fix, pointer_parts

if TYPE_CHECKING:
    from .sources.parse import _Lines

_WS = re.compile(r"[ \t\n\r]*")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_/+\-.:]*")


@record(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    finding: Finding


@record
class FileFix:
    """The fixes of one file: its text before and after, and the findings fixed."""

    path: str
    before: str
    after: str
    fixed: list[Finding] = field(default_factory=list)
    bom: bool = False

    def diff(self) -> str:
        from .report.escape import printable

        name = diff_name(self.path)
        shown = printable(name)  # a newline in a file name must not start a line of its own
        lines = difflib.unified_diff(self.before.splitlines(keepends=True),
                                     self.after.splitlines(keepends=True),
                                     *(_header(side, shown, shown != name) for side in "ab"))
        return "".join(_readable(line) if line.endswith("\n")
                       else _readable(line) + "\n\\ No newline at end of file\n" for line in lines)

    def write(self) -> None:
        """Replace the file's contents (through a symlink to its target): atomically, or in
        place for a file with several hard links (see :mod:`campaign_lint.atomic`)."""
        from .atomic import write_atomic

        real = os.path.realpath(self.path)
        mode = os.stat(real).st_mode & 0o7777
        write_atomic(real, ("\ufeff" if self.bom else "") + self.after)
        os.chmod(real, mode)


def _readable(line: str) -> str:
    """A diff line as printed: the file's text is data, so control characters and bidi marks
    are shown escaped, and a line that GitHub's runner would take for a workflow command
    (``::error``, ``##[``) is defused, as in every report; tabs and the line end stay."""
    from .report.escape import line_safe, printable

    body = line.rstrip("\r\n")
    return line_safe(printable(body, keep="\t")) + line[len(body):]


def diff_name(path: str) -> str:
    """The file's name in a diff header, after ``a/`` or ``b/``: relative to the current
    folder when the file is under it (as ruff names it), else its absolute path without the
    leading ``/`` (as ``git diff --no-index`` names it); never with ``.`` or ``..`` parts,
    which ``git apply`` and ``patch`` refuse. So ``git apply`` and ``patch -p1`` apply the
    diff from the current folder, or, for a file outside it, from ``/``."""
    from .report.escape import relative_path

    inside = relative_path(path, os.curdir)
    if inside is not None:
        return inside
    return os.path.splitdrive(os.path.abspath(path))[1].lstrip("/" + os.sep).replace(os.sep, "/")


def _header(side: str, name: str, escaped: bool) -> str:
    """A diff header's file name: ``a/name``, in double quotes when it shows escapes (as git
    quotes a name with control characters)."""
    return f'"{side}/{name}"' if escaped else f"{side}/{name}"


def applicable(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and fix.target is not None and finding.suppressed is None \
        and finding.path is not None and finding.line is not None and (fix.safe or unsafe)


#: rounds of fix, re-lint, fix: a fix can reveal another (08:00 -> T08:00 makes a duplicate)
MAX_ROUNDS = 10

Relint = Callable[[str, str], list[Finding]]


def fix_files(findings: Iterable[Finding], unsafe: bool, root: str,
              relint: Relint | None = None) -> tuple[list[FileFix], list[str]]:
    """The fixes for every file with fixable findings, and why some files were left alone.

    ``relint(path, text)`` lints a file's fixed text again, for the fixes it reveals."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if applicable(finding, unsafe):
            by_path[finding.path].append(finding)
    fixes, refused = [], []
    for path, found in sorted(by_path.items()):
        reason = _unwritable(path, root)
        if reason:
            refused.append(f"{path}: not fixed: {reason}")
            continue
        fixed = fix_file(path, found)
        for _ in range(MAX_ROUNDS if fixed is not None and relint is not None else 0):
            again = [f for f in relint(path, fixed.after) if applicable(f, unsafe)]
            more = _fix_text(path, fixed.after, again)
            if more is None:
                break
            fixed.after, fixed.fixed = more[0], fixed.fixed + more[1]
        if fixed is not None:
            fixes.append(fixed)
    return fixes, refused


def _unwritable(path: str, root: str) -> str | None:
    from .config import leads_out

    real = os.path.realpath(path)
    if real != os.path.abspath(path) and leads_out(real, os.path.realpath(root)):
        return "it is reached through a symlink that leads out of the repository"
    if not os.path.isfile(real):
        return "not a regular file"
    return None


def fix_file(path: str, findings: list[Finding]) -> FileFix | None:
    """Apply the findings' fixes to one file's text (nothing is written here)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    bom = text.startswith("\ufeff")
    text = text[1:] if bom else text
    fixed = _fix_text(path, text, findings)
    return FileFix(path, text, fixed[0], fixed[1], bom) if fixed else None


def _fix_text(path: str, text: str, findings: list[Finding]) -> tuple[str, list[Finding]] | None:
    """The text with the findings' fixes applied, and the findings fixed; None for none."""
    from .sources.files import _kind, load_bytes

    kind = _kind(path, text.encode("utf-8"))
    locate = _json_edit if kind == "json" else _yaml_edits(text)
    edits = [edit for finding in findings if (edit := locate(text, finding)) is not None]
    after, applied = apply_edits(text, edits)
    if not applied:
        return None
    check = load_bytes(after.encode("utf-8"), path, kind)
    if any(d.rule == "CC001" for d in check.diagnostics):  # never write a broken file
        return None
    return after, applied


def relinter(engine: Any, suppressions: bool, baseline: Any = None) -> Relint:
    """``relint(path, text)``: the per-campaign findings of a file's (fixed) text, selected
    and suppressed as in the run (fixes come from per-campaign rules only)."""
    from .sources.files import _kind, load_bytes

    def relint(path: str, text: str) -> list[Finding]:
        raw = text.encode("utf-8")
        loaded = load_bytes(raw, path, _kind(path, raw))
        suppressor = engine.suppressor(suppressions)
        if suppressor is not None:
            suppressor.add_comments(loaded.path, loaded.comments)
            for campaign in loaded.campaigns:
                suppressor.add_campaign(campaign)
        hits = [hit for campaign in loaded.campaigns for hit in engine.campaign_hits(campaign)]
        return engine.finish(hits, suppressor, baseline)

    return relint


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Finding]]:
    """Apply non-overlapping edits (the first of overlapping ones wins)."""
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and edit.start < chosen[-1].end:
            continue
        chosen.append(edit)
    for edit in reversed(chosen):
        text = text[:edit.start] + edit.replacement + text[edit.end:]
    return text, [edit.finding for edit in chosen]


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


# --- JSON ---------------------------------------------------------------------------


def _json_edit(text: str, finding: Finding) -> Edit | None:
    fix: Fix = finding.fix  # type: ignore[assignment]
    try:
        found = _json_locate(text, fix.target or "")
    except (ValueError, IndexError):
        return None
    if found is None:
        return None
    start, end, siblings = found
    if _line_column(text, start) != (finding.line, finding.column):
        return None
    if fix.source is not None and not re.fullmatch(fix.source, _json_source(text[start:end])):
        return None
    if fix.value is REMOVE:
        if siblings is None:
            return None
        items, index = siblings
        if index > 0:  # from the end of the item before: its comma and layout go with it
            return Edit(items[index - 1][1], end, "", finding)
        if len(items) > 1:
            return Edit(start, items[1][0], "", finding)
        return None
    return Edit(start, end, json.dumps(fix.value, ensure_ascii=False), finding)


def _json_source(token: str) -> str:
    return json.loads(token) if token.startswith('"') else token


def _json_locate(text: str, pointer: str) -> tuple[int, int, Any] | None:
    """``(start, end, siblings)`` of the value at a JSON pointer; ``siblings`` is
    ``(spans of the list's items, index)`` when the value is a list item."""
    decoder = json.JSONDecoder()
    offset = _WS.match(text, 0).end()
    siblings = None
    for part in pointer_parts(pointer):
        spans = list(_json_children(text, offset, decoder))
        if text[offset] == "{":
            matches = [start for key, start, _ in spans if key == part]
            if not matches:
                return None
            offset, siblings = matches[-1], None  # the last of duplicate keys is the value
        elif text[offset] == "[" and part.isdigit() and int(part) < len(spans):
            offset = spans[int(part)][1]
            siblings = ([(start, end) for _, start, end in spans], int(part))
        else:
            return None
    _, end = decoder.raw_decode(text, offset)
    return offset, end, siblings


def _json_children(text: str, offset: int, decoder: json.JSONDecoder) -> Iterator[tuple[Any, int, int]]:
    """``(key or None, start, end)`` of each member or item of the object/array at offset."""
    closing = {"{": "}", "[": "]"}.get(text[offset])
    if closing is None:
        return
    offset = _WS.match(text, offset + 1).end()
    if text[offset] == closing:
        return
    while True:
        key = None
        if closing == "}":
            key, offset = json.decoder.scanstring(text, offset + 1)
            offset = _WS.match(text, offset).end() + 1  # past ':'
            offset = _WS.match(text, offset).end()
        _, end = decoder.raw_decode(text, offset)
        yield key, offset, end
        offset = _WS.match(text, end).end()
        if text[offset] != ",":
            return
        offset = _WS.match(text, offset + 1).end()


# --- YAML ---------------------------------------------------------------------------


def _yaml_edits(text: str):
    """An edit finder for one YAML text (composed once, on the first fix)."""
    from .sources.parse import _Lines

    documents: list | None = None
    lines = _Lines(text)  # line and column of a mark as the check counts them

    def locate(text: str, finding: Finding) -> Edit | None:
        nonlocal documents
        if documents is None:
            documents = _compose(text)
        for root, references in documents:
            edit = _yaml_edit(text, finding, root, references, lines)
            if edit is not None:
                return edit
        return None

    return locate


def _compose(text: str) -> list[tuple[Any, dict[int, int]]]:
    """The node graph of every document, composed by the loader that found the findings (so
    the same nodes, at the same places). Edits are made at the marks' offsets: where libyaml's
    leave out a U+FEFF that starts the text, the pure-Python loader composes it."""
    import yaml

    from .sources.parse import _get_loader, _skipped

    loader = _get_loader(pure=_skipped(text, _get_loader()) > 0)
    try:
        roots = [root for root in yaml.compose_all(text, Loader=loader) if root is not None]
    except yaml.YAMLError:
        return []
    return [(root, _references(root)) for root in roots]


def _references(root: Any) -> dict[int, int]:
    """How often each node is referred to: more than once means it is shared by an alias."""
    import yaml

    counts: dict[int, int] = defaultdict(int)
    stack = [root]
    while stack:
        node = stack.pop()
        counts[id(node)] += 1
        if counts[id(node)] > 1:
            continue
        if isinstance(node, yaml.MappingNode):
            stack.extend(child for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return counts


def _yaml_edit(text: str, finding: Finding, root: Any, references: dict[int, int], lines: _Lines) -> Edit | None:
    import yaml

    fix: Fix = finding.fix  # type: ignore[assignment]
    chain = _yaml_resolve(root, fix.target or "")
    if not chain:
        return None
    node = chain[-1]
    if lines.where(node.start_mark) != (finding.line, finding.column):
        return None
    if any(references.get(id(n), 0) > 1 for n in chain):  # shared through an alias
        return None
    if fix.value is REMOVE:
        parent = chain[-2] if len(chain) > 1 else None
        if not isinstance(parent, yaml.SequenceNode):
            return None
        return _yaml_removal(text, parent, parent.value.index(node), finding)
    if not isinstance(node, yaml.ScalarNode):
        return None
    if fix.source is not None and not re.fullmatch(fix.source, node.value):
        return None
    in_flow = any(getattr(n, "flow_style", False) for n in chain[:-1])
    replacement = _yaml_scalar(fix.value, node.style or None, in_flow)  # libyaml's plain style is ""
    if replacement is None:
        return None
    return Edit(node.start_mark.index, node.end_mark.index, replacement, finding)


def _yaml_resolve(root: Any, pointer: str) -> list | None:
    """The nodes from the root to the value at a pointer, or None (merge keys are not
    followed: a fix there would edit the merged-in mapping)."""
    import yaml

    chain = [root]
    for part in pointer_parts(pointer):
        node = chain[-1]
        if isinstance(node, yaml.MappingNode):
            values = [value for key, value in node.value
                      if isinstance(key, yaml.ScalarNode) and key.value == part
                      and key.tag != "tag:yaml.org,2002:merge"]
            if not values:
                return None
            chain.append(values[-1])
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            chain.append(node.value[int(part)])
        else:
            return None
    return chain


def _yaml_scalar(value: Any, style: str | None, in_flow: bool) -> str | None:
    """``value`` written as a YAML scalar in the style of the one it replaces."""
    if not isinstance(value, str):
        return json.dumps(value)
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and _PLAIN.fullmatch(value) and _reads_as_string(value):
        return value
    if style in (None, '"'):
        return json.dumps(value, ensure_ascii=False)
    return None  # block scalars (| and >) are left alone


def _reads_as_string(value: str) -> bool:
    import yaml

    try:
        return yaml.safe_load(f"[{value}]") == [value]
    except yaml.YAMLError:
        return False


def _yaml_removal(text: str, sequence: Any, index: int, finding: Finding) -> Edit | None:
    items = sequence.value
    node = items[index]
    if sequence.flow_style:
        if index > 0:
            return Edit(items[index - 1].end_mark.index, node.end_mark.index, "", finding)
        if len(items) > 1:
            return Edit(node.start_mark.index, items[1].start_mark.index, "", finding)
        return None
    dash = node.start_mark.index - 1
    while dash >= 0 and text[dash] in " \t\r\n":
        dash -= 1
    line_start = text.rfind("\n", 0, max(dash, 0)) + 1
    if dash < 0 or text[dash] != "-" or text[line_start:dash].strip():
        return None  # "- - a" and other compact forms are left alone
    end = _last_end(node)
    newline = text.find("\n", end)
    rest = text[end:newline if newline >= 0 else len(text)]
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    return Edit(line_start, newline + 1 if newline >= 0 else len(text), "", finding)


def _last_end(node: Any) -> int:
    """Where a node's own text ends (a block collection's end mark is the next token's start)."""
    import yaml

    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return node.end_mark.index
