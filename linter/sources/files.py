"""Campaigns from JSON and YAML files (and stdin), with line:col for every value."""

from __future__ import annotations

import errno
import os
import re
from ..record import record, field
from typing import Any, Callable, Iterator, Mapping

from ..model import Campaign, Origin, Severity, pointer_join
from .ignore import GitIgnore, repository_root
from .parse import Comment, ParseError, document_start, parse_json, parse_yaml
from .snapshot import recorded_context

EXTENSIONS = (".json", ".yaml", ".yml")
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv",
                          "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache"})
STDIN = "-"


@record(frozen=True)
class Diagnostic:
    """A finding the loader itself makes (unreadable input, no campaign, duplicate key)."""

    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    campaign: Campaign | None = None
    pointer: str | None = None
    #: a severity other than the rule's default (CC001 at info for a file with no campaign in it)
    severity: Severity | None = None


@record
class LoadedFile:
    path: str
    campaigns: list[Campaign] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the YAML comments, for suppression comments
    comments: list[Comment] = field(default_factory=list)
    #: ``(codes, pointer, campaign)`` of suppressions a template resource declares in its Metadata
    ignores: list = field(default_factory=list)
    #: read as a template or a plan: what it holds depends on --parameter and --region too
    infrastructure: bool = False
    #: campaigns known to be there but not read (an Fn::ForEach loop not expanded counts one)
    not_checked: int = 0


class PathError(Exception):
    """A path given on the command line does not exist or cannot be listed."""


@record(frozen=True)
class NotRead:
    """A path the walk did not read: a folder it could not list (CC001, an error: its files
    were not checked), or a symlink out of the repository or to nothing (CC001 at info: not
    followed)."""

    path: str
    message: str
    severity: Severity | None = None


OUTSIDE = "a symlink that leads out of the repository; not followed"


def discover(paths: list[str]) -> Iterator[str | NotRead]:
    """Expand command-line paths: files as given, directories walked for campaign files
    (skipping VCS and tool folders, virtual environments, what .gitignore ignores, and
    never following a symlink loop). A file reached twice (named twice, through a folder
    and by name, or through a symlink) is given once, under its first name."""
    seen: set[tuple[int, int] | str] = set()
    for path in paths:
        if path == STDIN:
            yield path
            continue
        if os.path.islink(path) and _leaves(path, os.path.dirname(os.path.abspath(path)), True):
            found: Iterator[str | NotRead] = iter([NotRead(path, OUTSIDE, Severity.INFO)])
        elif os.path.isfile(path):
            found = iter([path])
        elif os.path.isdir(path):
            found = _walk(path)
        else:
            raise PathError(unreachable(path) or f"{path}: not a regular file or directory")
        for item in found:
            if isinstance(item, str):
                identity = _identity(item)
                if identity in seen:
                    continue
                seen.add(identity)
            yield item


def unreachable(path: str) -> str | None:
    """Why ``path`` cannot be reached, as the one-line error (what is wrong, where on the
    path, what to do), from the file system's own error; None when ``os.stat`` reaches it."""
    try:
        os.stat(path)
    except OSError as error:
        return _stat_error(path, error)
    return None


def _stat_error(path: str, error: OSError) -> str:
    """The message for ``error``, which ``os.stat(path)`` raised."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return (f"{path}: permission denied: the folder {_stop(path)} cannot be entered; give "
                "this user search (x) permission on it, or run as a user who has it")
    if error.errno == errno.ENOTDIR:
        return f"{path}: not a directory: {_stop(path)} is a file, not a folder; correct the path"
    if error.errno == errno.ELOOP:
        return f"{path}: too many levels of symbolic links: a link on the path leads back to itself"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
    if error.errno == errno.ENOENT:
        return f"{path}: no such file or directory" if path else '"": an empty path names no file or folder'
    reason = error.strerror or str(error)
    return f"{path}: {reason[:1].lower()}{reason[1:]}"


def _stop(path: str) -> str:
    """Where ``path`` stops: the nearest folder above it that ``os.stat`` reaches, or, when
    the step below that folder is a symlink, the place where the link's target stops."""
    folder, step = _reached(path)
    if os.path.islink(step):
        return _reached(os.path.realpath(step))[0]
    return folder


def _reached(path: str) -> tuple[str, str]:
    """The nearest folder above ``path`` that ``os.stat`` reaches, and the step below it
    on the way to ``path`` (which it does not reach)."""
    current = path
    while True:
        parent = os.path.dirname(current) or os.curdir
        if parent == current:
            return parent, current
        try:
            os.stat(parent)
        except OSError:
            current = parent
            continue
        return parent, current


def _identity(path: str) -> tuple[int, int] | str:
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return status.st_dev, status.st_ino


def _walk(root: str) -> Iterator[str | NotRead]:

    seen: set[str] = set()
    failed: list[OSError] = []
    ignore = GitIgnore.above(root)
    boundary = os.path.realpath(repository_root(root) or root)
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=failed.append):
        yield from _unreadable(failed)
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        ignore.enter(folder, files)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS
                         and not _virtual_environment(os.path.join(folder, d), ignore)
                         and not ignore.ignored(os.path.join(folder, d), folder=True))
        for name in list(dirs):
            if _leaves(os.path.join(folder, name), boundary):
                dirs.remove(name)
                yield NotRead(os.path.normpath(os.path.join(folder, name)), OUTSIDE, Severity.INFO)
        for name in sorted(files):
            if name.lower().endswith(EXTENSIONS):
                full = os.path.join(folder, name)
                if ignore.ignored(full):
                    continue
                if not os.path.isfile(full):
                    denied = _denied(full)
                    if denied:  # listed, but not entered (read without search permission)
                        yield NotRead(os.path.normpath(folder), f"cannot enter the folder: {denied}; "
                                      "its files were not checked")
                        break
                    if os.path.islink(full):  # a campaign file moved away: say so, as for a link out
                        yield NotRead(os.path.normpath(full), _dangling(full), Severity.INFO)
                    continue
                if _leaves(full, boundary):
                    yield NotRead(os.path.normpath(full), OUTSIDE, Severity.INFO)
                else:
                    yield os.path.normpath(full)
    yield from _unreadable(failed)


def _dangling(path: str) -> str:
    """The CC001 message of a symlink whose target does not exist."""
    from ..model import quote

    try:
        target = quote(os.readlink(path))
    except OSError:
        target = "a target"
    return f"a symlink to {target}, which does not exist; not read (fix or remove the link)"


def _denied(path: str) -> str | None:
    """The error text when ``os.stat`` may not reach ``path`` (a folder on the way that cannot
    be entered), else None (a file that is there, or a dangling link: not an error here)."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM):
            return error.strerror or str(error)
    return None


def _virtual_environment(folder: str, ignore: GitIgnore) -> bool:
    """A folder with ``pyvenv.cfg``, unless git tracks files in it: a pull request that adds
    an empty pyvenv.cfg to the campaigns' folder must not make the walk skip them."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg")) and not ignore.tracked(folder, folder=True)


def _leaves(path: str, boundary: str, find_repository: bool = False) -> bool:
    """True for a symlink whose target lies outside ``boundary`` (or, with
    ``find_repository``, outside the repository that holds ``boundary``; never when
    there is none)."""
    if not os.path.islink(path):
        return False
    if find_repository:
        top = repository_root(boundary)
        if top is None:
            return False
        boundary = os.path.realpath(top)
    from ..config import leads_out

    return leads_out(path, boundary)


def _unreadable(failed: list[OSError]) -> Iterator[NotRead]:
    while failed:
        error = failed.pop(0)
        yield NotRead(os.path.normpath(error.filename or "?"),
                               f"cannot list the folder: {error.strerror or error}; "
                               "its files were not checked")


def load_path(path: str, stdin: Any = None, display: str | None = None,
              template: Any = None) -> LoadedFile:
    """Read and parse one file (``-`` is stdin) and find its campaigns."""
    shown = display or ("<stdin>" if path == STDIN else path)
    try:
        if path == STDIN:
            raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as error:
        return LoadedFile(shown, diagnostics=[Diagnostic("CC001", f"cannot read the file: {error.strerror}")])
    return load_bytes(raw, shown, kind=_kind(display or path, raw), template=template)


#: Terraform's native syntax, which is not read: given on the command line (or by a hook whose
#: types_or is widened), such a file was parsed as YAML, passing or failing by chance
HCL_EXTENSIONS = (".tf", ".tfvars", ".hcl")
HCL_NOT_READ = ("Terraform configuration in HCL is not read, so its campaigns are not checked: lint "
                "`terraform show -json` of a plan, or the configuration written as .tf.json")


#: Terraform merges an override file into the blocks of the other files of its module: its
#: blocks are parts of resources, not resources (they would lack every required attribute)
TERRAFORM_OVERRIDE = ("a Terraform override file is merged into the other files of its module, so it is not "
                      "checked on its own: lint `terraform show -json` of a plan to check the merged resources")


def _kind(path: str, raw: bytes) -> str:
    lowered = path.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if raw.lstrip()[:1] in (b"{", b"[") else "yaml"


def load_bytes(raw: bytes, path: str, kind: str, template: Any = None) -> LoadedFile:
    """Parse file contents and extract campaigns; every failure is a diagnostic.
    ``template`` holds the parameter values and region for CloudFormation templates."""
    if path.lower().endswith(HCL_EXTENSIONS):
        return LoadedFile(path, diagnostics=[Diagnostic("CC002", HCL_NOT_READ, 1, 1)])
    if os.path.basename(path).lower() == "override.tf.json" or path.lower().endswith("_override.tf.json"):
        return LoadedFile(path, diagnostics=[Diagnostic("CC002", TERRAFORM_OVERRIDE, 1, 1)])
    text_or_error = _decode(raw)
    if isinstance(text_or_error, Diagnostic):
        result = LoadedFile(path)
        result.diagnostics.append(text_or_error)
        return result
    return load_text(text_or_error, path, kind, template)


def load_text(text: str, path: str, kind: str, template: Any = None, first_line: int = 0) -> LoadedFile:
    """:func:`load_bytes` on decoded text; ``first_line``: the lines of the file before
    ``text`` when it is a part of a YAML stream (positions count them)."""
    result = LoadedFile(path)
    if not text.strip():
        result.diagnostics.append(Diagnostic("CC002", "the file is empty: no campaign in it", 1, 1))
        return result
    try:
        documents = [parse_json(text)] if kind == "json" else parse_yaml(text, first_line=first_line)
    except ParseError as error:
        what = "JSON" if kind == "json" else "YAML"
        result.diagnostics.append(unreadable(f"not valid {what}: {error.message}", text, error.line, error.column))
        return result
    if documents:
        result.comments = documents[0].comments
    reread: list = []

    def short_forms(index: int) -> Any:
        """Document ``index`` with CloudFormation's short forms (!Ref) read as their long forms:
        the text parsed again, once for all its documents (a stream of templates)."""
        if kind != "yaml":
            return documents[index]
        if not reread:
            from . import cloudformation

            reread.append(parse_yaml(text, tag_key=cloudformation.tag_key, first_line=first_line))
        return reread[0][index]

    empty_documents: list = []
    for index, document in enumerate(documents):
        for duplicate in document.duplicates:
            result.diagnostics.append(Diagnostic(
                "CC004", f'key "{duplicate.key}" appears twice in one object (first on line '
                f"{duplicate.first_line}); only the last one is checked here, and tools differ on which "
                "they use (json.loads keeps the last, Terraform reads both): keep one", duplicate.line,
                duplicate.column))
        if _load_infrastructure_as_code(document, index, short_forms, template, result):
            continue
        found = list(find_campaigns(document.value))
        for pointer, data, shape in found:
            origin = Origin(path=path, document_pointer=pointer, positions=document.positions,
                            key_positions=document.key_positions)
            # an audit snapshot (audit --save) records the campaign's state and instance limits
            result.campaigns.append(Campaign(data, origin, shape,
                                             **recorded_context(document.value, pointer)))
        if found and isinstance(document.value, list):
            listed = {p.split("/")[1] for p, _, _ in found}
            result.diagnostics += _not_campaigns(
                [(f"item {position} of the list", item, document.positions, f"/{position}")
                 for position, item in enumerate(document.value) if str(position) not in listed],
                "items of the list")
        elif not found and document.value is not None:
            empty_documents.append((f"document {index + 1} of the stream", document.value,
                                    document.positions, ""))
    if result.campaigns and empty_documents:  # a stream of campaigns with a document that is none
        result.diagnostics += _not_campaigns(empty_documents, "documents of the stream")
    if result.infrastructure and len(documents) > 1:
        result.diagnostics += _template_in_stream(documents, text, first_line)
    if not result.campaigns and not any(d.rule == "CC002" for d in result.diagnostics):  # none said why yet
        resources_only = any(_has_resources(d.value) for d in documents)
        result.diagnostics.append(Diagnostic("CC002", (
            "a CloudFormation template without AWS::ConnectCampaignsV2::Campaign resource" if resources_only
            else "no campaign in this file (none of a campaign's members, such as "
            "connectInstanceId or channelSubtypeConfig, is present)"), 1, 1))
    return result


def unreadable(message: str, readable: str, line: int | None, column: int | None) -> Diagnostic:
    """The CC001 of a file that cannot be read as JSON or YAML: an error when ``readable`` (its
    text, or what can be read of its bytes) names anything campaign-specific, else at info, so
    that a broad file pattern meeting other files does not fail a commit."""
    if has_campaign_marker(readable):
        return Diagnostic("CC001", message, line, column)
    return Diagnostic("CC001", message + " (info: nothing in it names a campaign, so it does not fail the run)",
                      line, column, severity=Severity.INFO)


#: words that only a campaign file holds (API, CloudFormation and Terraform spellings, compared
#: in lower case without ``_``): an unparseable file without any is not a campaign file
CAMPAIGN_MARKERS = ("connectinstanceid", "connectcampaigns", "channelsubtypeconfig",
                    "communicationtimeconfig", "communicationlimitsoverride", "connectcampaignflowarn",
                    "connectqueueid", "connectsourcephonenumber")


def has_campaign_marker(text: str) -> bool:
    """True when ``text`` names anything campaign-specific (checked even when it does not parse).
    Escapes are read first: ``"connect\\u0049nstanceId"`` is the key ``connectInstanceId`` to
    any parser, and must not make a campaign file look like none (an info, not an error)."""
    if "\\" in text:
        text = _ESCAPE.sub(_unescaped, text)
    folded = text.lower().replace("_", "").replace("-", "")
    return any(marker in folded for marker in CAMPAIGN_MARKERS)


#: the escapes of JSON and YAML double-quoted strings that can spell a letter (\u, YAML's \U
#: and \x), and YAML's escaped line break (any line break: PyYAML also takes NEL, U+2028 and
#: U+2029), which joins two lines of a string
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(?:\r\n|[\r\n\x85\u2028\u2029])[ \t]*)")


def _unescaped(match: re.Match) -> str:
    code = next((group for group in match.groups() if group), None)
    if code is None:
        return ""  # an escaped line break
    number = int(code, 16)
    return chr(number) if number <= 0x10FFFF else ""


def _load_infrastructure_as_code(document: Any, index: int, short_forms: Callable[[int], Any], template: Any,
                                 result: LoadedFile) -> bool:
    """Campaigns of a CloudFormation template or a Terraform plan/state; False for other files.
    ``short_forms(index)``: the document as a template is read (short forms as long forms)."""
    value = document.value
    if not (isinstance(value, dict) and ("Resources" in value or "format_version" in value or "resource" in value)):
        return False  # the common case, decided without importing the two sources
    from . import cloudformation, terraform

    if cloudformation.is_template(document.value):
        document = short_forms(index)
        loaded = cloudformation.load_template(document, result.path, template)
    elif terraform.is_plan(document.value):
        loaded = terraform.load_plan(document, result.path)
    elif terraform.is_config(document.value):
        loaded = terraform.load_config(document, result.path)
    else:
        return False
    result.infrastructure = True
    result.not_checked += loaded.not_expanded
    result.campaigns += loaded.campaigns
    for rule, message, pointer, campaign in loaded.diagnostics:
        where = (campaign.origin.locate(pointer) if campaign
                 else document.key_positions.get(pointer) or document.positions.get(pointer))
        result.diagnostics.append(Diagnostic(rule, message, *(where or (None, None)), campaign=campaign,
                                             pointer=pointer))
    result.ignores += loaded.ignores
    return True


def _template_in_stream(documents: list, text: str, first_line: int) -> list[Diagnostic]:
    """CC007 where the second document of a YAML stream that holds a CloudFormation template
    begins: CloudFormation reads one template per file, and ``aws cloudformation deploy`` and
    ``package`` and cfn-lint refuse a file of several documents, empty ones included."""
    from . import cloudformation

    if not any(cloudformation.is_template(document.value) for document in documents):
        return []
    where = document_start(text, 1, first_line) or (None, None)
    return [Diagnostic("CC007", _template_stream_message(documents), *where)]


def _template_stream_message(documents: list) -> str:
    """What a stream with a template holds, and what to do about it."""
    templates = sum(1 for document in documents if _has_resources(document.value))
    empty = sum(1 for document in documents if document.value is None)
    held = f"{templates} of them {'templates' if templates > 1 else 'a template'}" + (f", {empty} empty" if empty else "")
    if templates > 1:
        fix = "put each template in a file of its own"
    elif templates + empty == len(documents):
        fix = "remove the empty documents (a --- line with nothing after it)"
    else:
        fix = "keep the template alone in its file"
    return (f"a second document in a YAML stream with a CloudFormation template: the stream holds "
            f"{len(documents)} documents ({held}), but CloudFormation reads one template per file, and "
            f"aws cloudformation deploy and package and cfn-lint refuse the whole file; {fix}")


def _has_resources(value: Any) -> bool:
    """Whether a document has a template's top-level ``Resources`` mapping (of any types)."""
    return isinstance(value, dict) and isinstance(value.get("Resources"), dict)


def _decode(raw: bytes) -> str | Diagnostic:
    """The text of a UTF-8 file (without its byte order mark), or the CC001 saying why not."""
    if raw[:1] in _OTHER_MARK_STARTS:
        other = _other_encoding(raw)
        if other is not None:
            return other
    if b"\x00" in raw[:8192]:
        codec = _unmarked_utf16(raw[:4096])
        if codec is not None:
            return unreadable(f"{codec.upper()} text without a byte order mark (every other byte is 0), "
                              "not UTF-8: save the file as UTF-8", raw.decode(codec, errors="replace"), 1, 1)
        return unreadable("binary file, not JSON or YAML text", _ascii_view(raw), 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[:error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return unreadable(f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; save the file as UTF-8",
                          _ascii_view(raw), line, column)
    return text[1:] if text.startswith("\ufeff") else text


def _unmarked_utf16(start: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when bytes without a byte order mark look like UTF-16 text
    of mostly Latin characters (one byte of each pair 0, the other not, nine times in ten), as
    a tool that writes UTF-16 without a mark leaves a JSON or YAML file; else None."""
    pairs = len(start) // 2
    if pairs < 2:
        return None
    for codec, low, high in (("utf-16-le", start[0::2], start[1::2]), ("utf-16-be", start[1::2], start[0::2])):
        if high[:pairs].count(0) >= 0.9 * pairs and low[:pairs].count(0) <= 0.1 * pairs:
            return codec
    return None


def _ascii_view(raw: bytes) -> str:
    """What can be read of bytes that are not UTF-8 text: every byte as a character (latin-1),
    without NUL bytes, so that the ASCII names in UTF-16 or UTF-32 without a byte order mark
    are read too (for :func:`unreadable`, which looks for campaign names)."""
    return raw.replace(b"\x00", b"").decode("latin-1")


#: the byte order marks of the encodings YAML 1.2 also allows (JSON between systems is UTF-8
#: only, RFC 8259), with their codecs: such a file is reported, not read (see the README), the
#: UTF-32 ones first, as FF FE 00 00 begins with UTF-16's FF FE
_OTHER_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32", "utf-32-le"), (b"\x00\x00\xfe\xff", "UTF-32", "utf-32-be"),
                (b"\xff\xfe", "UTF-16", "utf-16-le"), (b"\xfe\xff", "UTF-16", "utf-16-be"))
_OTHER_MARK_STARTS = (b"\xff", b"\xfe", b"\x00")


def _other_encoding(raw: bytes) -> Diagnostic | None:
    """CC001 for a file that starts with a UTF-16 or UTF-32 byte order mark (what Windows
    PowerShell 5's ``>`` writes), not the "binary file" its NUL bytes would make it; an error
    when its text names anything campaign-specific, as for a file that does not parse."""
    for mark, name, codec in _OTHER_MARKS:
        if raw.startswith(mark):
            shown = " ".join(f"{byte:02X}" for byte in mark)
            text = raw[len(mark):].decode(codec, errors="replace")
            return unreadable(f"{name} text (byte order mark {shown}), not UTF-8: save the file as UTF-8",
                              text, 1, 1)
    return None


#: CC002 findings about the items of one list (or the documents of one stream) that hold no
#: campaign; the rest are counted in one more, so a generated list cannot flood the report
MAX_NOT_CAMPAIGNS = 20


def _not_campaigns(parts: list[tuple[str, Any, Mapping[str, Any], str]], plural: str) -> list[Diagnostic]:
    """A CC002 for each ``(name, value, positions, pointer)`` of a list of campaigns (or a
    stream) that holds none: it is not checked. A list that holds campaigns is a list of
    campaigns, so such an item is a mistake. Only the places reported are located."""
    from ..schema import type_name

    def at(positions: Mapping[str, Any], pointer: str) -> dict:
        line, column = positions.get(pointer) or (1, 1)
        return {"line": line, "column": column, "pointer": pointer or None}

    found = []
    for name, value, positions, pointer in parts[:MAX_NOT_CAMPAIGNS]:
        what = ("none of a campaign's members, such as connectInstanceId or channelSubtypeConfig, "
                "is present" if isinstance(value, dict) else f"it is {type_name(value)}, not an object")
        found.append(Diagnostic("CC002", f"{name} holds no campaign ({what}); it is not checked: "
                                "fix it or remove it", **at(positions, pointer)))
    if len(parts) > MAX_NOT_CAMPAIGNS:
        _, _, positions, pointer = parts[MAX_NOT_CAMPAIGNS]
        found.append(Diagnostic("CC002", f"{len(parts) - MAX_NOT_CAMPAIGNS} more {plural} hold no "
                                "campaign; they are not checked", **at(positions, pointer)))
    return found


def find_campaigns(value: Any, pointer: str = "", depth: int = 0
                   ) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """``(pointer, campaign, shape)`` for each campaign in a parsed document: a
    describe_campaign response, a bare campaign, a create_campaign request, or a
    list of those."""
    if isinstance(value, list) and depth == 0:
        for index, item in enumerate(value):
            yield from find_campaigns(item, pointer_join(pointer, index), depth + 1)
    elif isinstance(value, dict):
        if isinstance(value.get("campaign"), dict):
            yield pointer_join(pointer, "campaign"), value["campaign"], "Campaign"
        elif looks_like_campaign(value, request=depth == 0):
            yield pointer, value, shape_of(value, request=depth == 0)


def looks_like_campaign(value: Mapping[str, Any], request: bool = True) -> bool:
    from ..schema import campaign_members, update_request_shape

    return not campaign_members().isdisjoint(value) or (
        request and update_request_shape(value) is not None)


def shape_of(campaign: Mapping[str, Any], request: bool = True) -> str:
    """An update-campaign-* request (``id`` and the one part it replaces) has its own
    request shape; a campaign with an id or ARN is a described campaign; one without
    is a create_campaign request. ``request`` is False for an item of a list of
    campaigns: a request file holds one request, so an item is a campaign (one with
    only ``id`` and ``schedule`` is a campaign missing its other members)."""
    from ..schema import update_request_shape

    update = update_request_shape(campaign) if request else None
    if update is not None:
        return update
    return "Campaign" if "id" in campaign or "arn" in campaign else "CreateCampaignRequest"
