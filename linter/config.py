"""Configuration: ``[tool.campaign-lint]`` in pyproject.toml, or ``.campaign-lint.toml``.

The first folder, from the linted files' folder upward, that holds either file
(with the table, for pyproject.toml) gives the configuration; ``--config FILE``
overrides. Discovery stops at the repository root (``.git`` or ``.hg``) and at
the user's home folder, and refuses a file another user could have written: a
config can name rule files to import, so it is code (see SECURITY.md).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from .record import record, field
from datetime import date
from typing import Any, Mapping

from .model import Severity

OWN_FILE = ".campaign-lint.toml"
FAIL_ON = ("error", "warning", "info", "never")
#: the suppressions that come with the data linted, which ``suppressions`` may refuse: a campaign
#: tag (anyone who may tag the campaign writes it), a YAML comment, a template's Metadata
SUPPRESSION_KINDS = ("tags", "comments", "metadata")


class ConfigError(Exception):
    """A usage or configuration error: exit code 2, one line, no traceback."""


@record
class Config:
    path: str | None = None
    #: folder that per-file-ignores globs and rules-dirs are relative to
    root: str = "."
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    #: globs of files and folders never read
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: str = "error"
    rules_dirs: list[str] = field(default_factory=list)
    today: date | None = None
    #: where the result cache lives (``cache-dir``); None: .campaign-lint-cache in the project root
    cache_dir: str | None = None
    #: policy packs (CC7xx) for every file, and by glob; folders of extra pack files
    policies: list[str] = field(default_factory=list)
    per_file_policies: dict[str, list[str]] = field(default_factory=dict)
    policy_dirs: list[str] = field(default_factory=list)
    #: audience zone edits by pack id ("*": every pack)
    audience_zones: dict[str, list[str]] = field(default_factory=dict)
    #: the kinds of suppression honoured (:data:`SUPPRESSION_KINDS`); the baseline always is
    suppressions: list[str] = field(default_factory=lambda: list(SUPPRESSION_KINDS))


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def find_config(start: str) -> str | None:
    """The config file that applies to ``start``: nearest folder upward first, up to the
    repository root or the home folder. A file found must be safe to trust."""
    folder = os.path.abspath(start)
    home = os.path.abspath(os.path.expanduser("~"))
    while True:
        for candidate in (os.path.join(folder, OWN_FILE), os.path.join(folder, "pyproject.toml")):
            if os.path.isfile(candidate) and (candidate.endswith(OWN_FILE) or _has_table(candidate)):
                check_trusted(candidate)
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder or folder == home or _is_repository(folder):
            return None
        folder = parent


def _is_repository(folder: str) -> bool:
    return any(os.path.exists(os.path.join(folder, marker)) for marker in (".git", ".hg"))


def check_trusted(path: str) -> None:
    """Refuse a discovered config file that someone else could have written (like git's
    safe.directory): owned by another user, world-writable, or in a world-writable folder
    without the sticky bit (where anyone may replace it)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows has no such owners
        return
    status = os.stat(path)
    folder = os.stat(os.path.dirname(os.path.abspath(path)))
    me = os.geteuid()
    if status.st_uid not in (me, 0):
        reason = f"it is owned by another user (uid {status.st_uid}, you are uid {me})"
    elif status.st_mode & stat.S_IWOTH:
        reason = "anyone may write to it"
    elif folder.st_mode & stat.S_IWOTH and not folder.st_mode & stat.S_ISVTX:
        reason = "its folder is world-writable without the sticky bit, so anyone may replace it"
    else:
        return
    raise ConfigError(f"{path}: refusing this config file: {reason}; if you trust it, pass "
                      f"--config {path} (or --isolated to use none)")


def _has_table(pyproject: str) -> bool:
    """True when a pyproject.toml has ``[tool.campaign-lint]`` (a file that never mentions
    it is passed over unread, whatever its encoding or syntax)."""
    try:
        with open(pyproject, "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    if b"campaign-lint" not in raw:
        return False
    return _tool_table(_read_toml(pyproject, raw), pyproject) is not None


def _tool_table(data: dict, path: str) -> dict | None:
    """``[tool.campaign-lint]`` of a TOML document, None when it has none."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "campaign-lint" not in tool:
        return None
    table = tool["campaign-lint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.campaign-lint must be a table ([tool.campaign-lint]), "
                          f"not {table!r}")
    return table


def _read_toml(path: str, raw: bytes | None = None) -> dict:
    try:
        if raw is None:
            with open(path, "rb") as handle:
                raw = handle.read()
        text = raw.decode("utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise ConfigError(f"{path}: not UTF-8 (byte 0x{raw[error.start]:02x} on line {line}); "
                          "TOML files are UTF-8") from None
    try:
        return _toml_loads(text)
    except ValueError as error:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:  # tomllib recurses once per nesting level
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None


def load_config(path: str | None = None, start: str = ".") -> Config:
    """Load the given config file, or the one found upward from ``start``.

    A file given with ``--config`` may be any TOML file: its ``[tool.campaign-lint]``
    table when it has one, else (except for a pyproject.toml) its top level."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    elif not os.path.isfile(path):
        raise ConfigError(f"{path}: config file not found")
    data = _read_toml(path)
    table = _tool_table(data, path)
    if table is not None:
        data = table
    elif os.path.basename(path) == "pyproject.toml":
        raise ConfigError(f"{path}: no [tool.campaign-lint] table in it")
    return parse_config(data, path)


_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "exclude", "severity",
         "rule-options", "fail-on", "rules-dirs", "today", "policies", "per-file-policies",
         "policy-dirs", "audience-zones", "cache-dir", "suppressions")


def parse_config(data: Mapping[str, Any], path: str) -> Config:
    """Check every key and value type; rule ids are checked later, against the registry."""
    unknown = [key for key in data if key not in _KEYS]
    if unknown:
        from .schema import did_you_mean

        hint = did_you_mean(unknown[0], list(_KEYS)) or f"; known keys: {', '.join(_KEYS)}"
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}{hint}")
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    if "select" in data:
        config.select = _codes(data, "select", path)
        if not config.select:
            raise ConfigError(f"{path}: select is empty, which would turn every rule off; "
                              'name ids or prefixes (["CC3"]), or ["ALL"]')
    config.extend_select = _codes(data, "extend-select", path)
    config.ignore = _codes(data, "ignore", path)
    per_file = _table(data, "per-file-ignores", path)
    config.per_file_ignores = {glob: _codes(per_file, glob, path, "per-file-ignores.")
                               for glob in per_file}
    for code, level in _table(data, "severity", path).items():
        try:
            config.severity[code] = Severity.parse(str(level))
        except ValueError as error:
            raise ConfigError(f"{path}: {_dotted('severity.', code)}: {error}") from None
    for code, options in _table(data, "rule-options", path).items():
        if not isinstance(options, dict):
            raise ConfigError(f"{path}: {_dotted('rule-options.', code)} must be a table of option = value")
        config.rule_options[code] = dict(options)
    fail_on = data.get("fail-on", "error")
    if fail_on not in FAIL_ON:  # a string; a list or a number is shown as written, not as str() of it
        from .model import quote

        raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_ON)}, not {quote(fail_on)}")
    config.fail_on = fail_on
    config.rules_dirs = [_rule_folder(config.root, d, path) for d in _strings(data, "rules-dirs", path)]
    config.exclude = _strings(data, "exclude", path)
    if "today" in data:
        config.today = parse_today(data["today"], f"{path}: today")
    _parse_policies(data, path, config)
    if "cache-dir" in data:
        if not isinstance(data["cache-dir"], str) or not data["cache-dir"].strip():
            raise ConfigError(f"{path}: cache-dir must be a folder name, like \".campaign-lint-cache\"")
        # like rules-dirs: a pull request's config must not make the tool write elsewhere
        config.cache_dir = _inside(config.root, data["cache-dir"], path, "cache-dir")
    if "suppressions" in data:
        config.suppressions = suppression_kinds(_strings(data, "suppressions", path), f"{path}: suppressions")
    return config


def suppression_kinds(words: list[str], where: str) -> list[str]:
    """The kinds of suppression honoured, from ``suppressions`` or ``--suppressions``: each of
    :data:`SUPPRESSION_KINDS` (in any case), or ``none`` alone; repeats dropped."""
    kinds = list(dict.fromkeys(word.strip().lower() for word in words))
    if kinds == ["none"]:
        return []
    for kind in kinds:
        if kind == "none":
            raise ConfigError(f"{where}: none goes alone (it honours no tag, comment or Metadata): drop it "
                              "or the other kinds")
        if kind not in SUPPRESSION_KINDS:
            from .schema import did_you_mean

            hint = did_you_mean(kind, list(SUPPRESSION_KINDS))
            raise ConfigError(f"{where}: {kind!r} is not a kind of suppression; give any of "
                              f"{', '.join(SUPPRESSION_KINDS)}, or none (the baseline always applies){hint}")
    return kinds


def _parse_policies(data: Mapping[str, Any], path: str, config: Config) -> None:
    """policies, per-file-policies, policy-dirs (relative to the config file), audience-zones
    (a list for every pack, or a table of lists by pack id). Pack ids are checked when the
    packs are loaded."""
    config.policies = split_policies(_strings(data, "policies", path))
    per_file = _table(data, "per-file-policies", path)
    config.per_file_policies = {glob: split_policies(_strings(per_file, glob, path, "per-file-policies."))
                                for glob in per_file}
    config.policy_dirs = [_policy_folder(config.root, d, path) for d in _strings(data, "policy-dirs", path)]
    zones = data.get("audience-zones", [])
    if isinstance(zones, dict):
        config.audience_zones = {key: _strings(zones, key, path, "audience-zones.") for key in zones}
    else:
        config.audience_zones = {"*": _strings(data, "audience-zones", path)}


def _inside(root: str, folder: str, path: str, key: str) -> str:
    """``folder`` resolved in the config file's folder; it may not lead out of it (a config
    from a pull request must not make the tool read files elsewhere)."""
    if "\x00" in folder:  # TOML's "\u0000": no path can hold it (os would raise ValueError)
        raise ConfigError(f"{path}: {key}: {folder!r} holds a NUL character; name a folder")
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, folder))
    if leads_out(full, base):
        raise ConfigError(f"{path}: {key}: {folder!r} is outside the folder of this config file")
    return full


def leads_out(path: str, base: str) -> bool:
    """Whether ``path``, links followed, is outside the folder ``base`` (a real path): a file
    a config may name, or one in a folder it names (a rule module, a policy pack), a link the
    walk meets, a file --fix would write, an audit snapshot. On another drive (Windows) it
    is outside, where ``os.path.commonpath`` raises."""
    try:
        return os.path.commonpath([base, os.path.realpath(path)]) != base
    except ValueError:  # another drive (Windows): outside
        return True


def _policy_folder(root: str, folder: str, path: str) -> str:
    """A ``policy-dirs`` folder (:func:`_inside`) that exists: packs are read only when one is
    selected, so a misspelt folder would otherwise go unnoticed until then."""
    full = _inside(root, folder, path, "policy-dirs")
    if not os.path.isdir(full):
        raise ConfigError(f"{path}: policy-dirs: {folder!r} is not a folder ({full}); name the folder "
                          "that holds the pack files, relative to this config file")
    return full


def _rule_folder(root: str, folder: str, path: str) -> str:
    """A ``rules-dirs`` folder (:func:`_inside`) whose Python files are inside too: a module
    linked from outside would run code the repository does not hold."""
    full = _inside(root, folder, path, "rules-dirs")
    base = os.path.realpath(root)
    try:
        names = sorted(os.listdir(full))
    except OSError:
        return full  # a folder that cannot be listed is reported when the rules are loaded
    for name in names:
        if name.endswith(".py") and leads_out(os.path.join(full, name), base):
            raise ConfigError(f"{path}: rules-dirs: {folder!r} holds {name!r}, a link to a file outside the "
                              "folder of this config file")
    return full


def split_policies(values: list[str]) -> list[str]:
    """Pack ids as given (``us-tcpa,us-fl`` or a list), lower-cased, blanks dropped."""
    return [p.strip().lower() for value in values for p in value.split(",") if p.strip()]


#: the dates ``today`` may be for policy packs and the calling week: they convert a year (a
#: week) ahead and days back in every zone, which the calendar's ends (years 1 and 9999) cannot hold
POLICY_TODAY = (date(2, 1, 1), date(9997, 12, 31))


def check_policy_today(today: date, where: str) -> None:
    if not POLICY_TODAY[0] <= today <= POLICY_TODAY[1]:
        raise ConfigError(f"{where} {today.isoformat()} is too near the end of the calendar for policy "
                          f"packs and calling weeks (they look ahead and a few days back); use a date from "
                          f"{POLICY_TODAY[0].isoformat()} to {POLICY_TODAY[1].isoformat()}")


def parse_today(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date like 2025-01-31") from None


def _table(data: Mapping[str, Any], key: str, path: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a table")
    return value


def _strings(data: Mapping[str, Any], key: str, path: str, prefix: str = "") -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {_dotted(prefix, key)} must be a list of strings")
    return value


def _dotted(prefix: str, key: str) -> str:
    """A key of the config as TOML writes it after ``prefix``: bare, or quoted when it holds
    anything but letters, digits, ``-`` and ``_`` (a glob, a newline)."""
    if _BARE_KEY.fullmatch(key):
        return prefix + key
    import json

    return prefix + json.dumps(key)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _codes(data: Mapping[str, Any], key: str, path: str, prefix: str = "") -> list[str]:
    return [code.strip().upper() for code in _strings(data, key, path, prefix)]


def split_codes(text: str) -> list[str]:
    """``CC301,CC4`` from the command line as a list."""
    return [code.strip().upper() for code in text.split(",") if code.strip()]
