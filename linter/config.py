"""Configuration: ``[tool.campaign-lint]`` in pyproject.toml, or ``.campaign-lint.toml``.

The first folder, from the current one upward, that holds either file (with the
table, for pyproject.toml) gives the configuration; ``--config FILE`` overrides.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .model import Severity

OWN_FILE = ".campaign-lint.toml"
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A usage or configuration error: exit code 2, one line, no traceback."""


@dataclass
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


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def find_config(start: str) -> str | None:
    """The config file that applies to ``start``: nearest folder upward first."""
    folder = os.path.abspath(start)
    while True:
        own = os.path.join(folder, OWN_FILE)
        if os.path.isfile(own):
            return own
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_table(pyproject):
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return False
    return "campaign-lint" in text and "campaign-lint" in _read_toml(pyproject, text).get("tool", {})


def _read_toml(path: str, text: str | None = None) -> dict:
    try:
        if text is None:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        return _toml_loads(text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except ValueError as error:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load_config(path: str | None = None, start: str = ".") -> Config:
    """Load the given config file, or the one found upward from ``start``."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    elif not os.path.isfile(path):
        raise ConfigError(f"{path}: config file not found")
    data = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("campaign-lint", {})
    return parse_config(data, path)


_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "exclude", "severity",
         "rule-options", "fail-on", "rules-dirs", "today", "policies", "per-file-policies",
         "policy-dirs", "audience-zones", "cache-dir")


def parse_config(data: Mapping[str, Any], path: str) -> Config:
    """Check every key and value type; rule ids are checked later, against the registry."""
    unknown = [key for key in data if key not in _KEYS]
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; known keys: {', '.join(_KEYS)}")
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    if "select" in data:
        config.select = _codes(data, "select", path)
    config.extend_select = _codes(data, "extend-select", path)
    config.ignore = _codes(data, "ignore", path)
    per_file = _table(data, "per-file-ignores", path)
    config.per_file_ignores = {glob: _codes(per_file, glob, path, "per-file-ignores.")
                               for glob in per_file}
    for code, level in _table(data, "severity", path).items():
        try:
            config.severity[code] = Severity.parse(str(level))
        except ValueError as error:
            raise ConfigError(f"{path}: severity.{code}: {error}") from None
    for code, options in _table(data, "rule-options", path).items():
        if not isinstance(options, dict):
            raise ConfigError(f"{path}: rule-options.{code} must be a table of option = value")
        config.rule_options[code] = dict(options)
    config.fail_on = str(data.get("fail-on", "error"))
    if config.fail_on not in FAIL_ON:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_ON)}, not {config.fail_on!r}")
    config.rules_dirs = [os.path.join(config.root, d) for d in _strings(data, "rules-dirs", path)]
    config.exclude = _strings(data, "exclude", path)
    if "today" in data:
        config.today = parse_today(data["today"], f"{path}: today")
    _parse_policies(data, path, config)
    if "cache-dir" in data:
        if not isinstance(data["cache-dir"], str) or not data["cache-dir"].strip():
            raise ConfigError(f"{path}: cache-dir must be a folder name, like \".campaign-lint-cache\"")
        config.cache_dir = os.path.join(config.root, data["cache-dir"])
    return config


def _parse_policies(data: Mapping[str, Any], path: str, config: Config) -> None:
    """policies, per-file-policies, policy-dirs (relative to the config file), audience-zones
    (a list for every pack, or a table of lists by pack id). Pack ids are checked when the
    packs are loaded."""
    config.policies = split_policies(_strings(data, "policies", path))
    per_file = _table(data, "per-file-policies", path)
    config.per_file_policies = {glob: split_policies(_strings(per_file, glob, path, "per-file-policies."))
                                for glob in per_file}
    config.policy_dirs = [_inside(config.root, d, path, "policy-dirs") for d in _strings(data, "policy-dirs", path)]
    zones = data.get("audience-zones", [])
    if isinstance(zones, dict):
        config.audience_zones = {key: _strings(zones, key, path, "audience-zones.") for key in zones}
    else:
        config.audience_zones = {"*": _strings(data, "audience-zones", path)}


def _inside(root: str, folder: str, path: str, key: str) -> str:
    """``folder`` resolved in the config file's folder; it may not lead out of it (a config
    from a pull request must not make the tool read files elsewhere)."""
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, folder))
    if os.path.commonpath([base, full]) != base:
        raise ConfigError(f"{path}: {key}: {folder!r} is outside the folder of this config file")
    return full


def split_policies(values: list[str]) -> list[str]:
    """Pack ids as given (``us-tcpa,us-fl`` or a list), lower-cased, blanks dropped."""
    return [p.strip().lower() for value in values for p in value.split(",") if p.strip()]


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
        raise ConfigError(f"{path}: {prefix}{key} must be a list of strings")
    return value


def _codes(data: Mapping[str, Any], key: str, path: str, prefix: str = "") -> list[str]:
    return [code.strip().upper() for code in _strings(data, key, path, prefix)]


def split_codes(text: str) -> list[str]:
    """``CC301,CC4`` from the command line as a list."""
    return [code.strip().upper() for code in text.split(",") if code.strip()]
