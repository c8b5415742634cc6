"""The result cache, like ruff's: ``.campaign-lint-cache/`` in the project root.

An entry holds what one file contributed to a run (:class:`~campaign_lint.filework.FileResult`)
and is found by a hash of the file's path and content and of everything else its findings
depend on: the tool and its package files, the rules that run (with their severities, options
and source files, so a changed plugin or --rules-dir file counts), the botocore model,
``--today`` and the libraries that judge values (pytz, phonenumbers, ...). Run-scope rules
are never cached: they run on the campaigns' kept facts every time.

Entries are data we wrote, and are treated as such: each is signed (HMAC-SHA256) with a key
kept in the user cache folder, so an entry committed to a repository or edited by hand is
not ours and is ignored; every field is type-checked when read; anything else is a miss.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
from typing import Any

from .filework import FileResult, from_plain, to_plain

FOLDER = ".campaign-lint-cache"
FORMAT = 4
#: libraries whose data or behaviour decide findings (their installed files are fingerprinted)
JUDGES = ("pytz", "phonenumbers", "jsonschema", "jsonschema_rs", "dateutil", "yaml")
GITIGNORE = "# Automatically created by campaign-lint.\n*\n"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by campaign-lint.\n")


def _stat(path: str) -> list:
    try:
        stat = os.stat(path)
        return [path, stat.st_size, stat.st_mtime_ns]
    except OSError:
        return [path, None, None]


def _package_files(folder: str) -> list:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [_stat(os.path.join(root, name)) for name in sorted(files) if not name.endswith(".pyc")]
    return found


def run_key(engine: Any) -> str:
    """A digest of everything besides the file itself that a file's findings depend on."""
    import importlib.util

    from . import __version__
    from .engine import kept_members
    from .schema import model_path

    package = os.path.dirname(os.path.abspath(__file__))
    modules = sorted({rule.check.__module__ for rule in engine.active if rule.check is not None})
    judges = []
    for name in JUDGES:
        spec = importlib.util.find_spec(name)
        judges.append(_stat(spec.origin) if spec is not None and spec.origin else [name, None, None])
    parts = {
        "format": FORMAT, "tool": __version__, "python": list(sys.version_info[:2]),
        "package": _package_files(package),
        "model": _stat(model_path()),
        "today": engine.today.isoformat(),
        "rules": [[r.id, r.name, r.origin, r.scope, int(engine.severity_of(r)),
                   json.dumps(engine.contexts[r.id].options, sort_keys=True, default=repr)]
                  for r in engine.active],
        "sources": [_stat(getattr(sys.modules.get(m), "__file__", None) or m) for m in modules],
        "judges": judges,
        "config": _config_part(engine.config),
        "kept": sorted(kept_members(engine) or ["*"]),  # what an entry keeps of each campaign
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()


#: configuration that acts after the per-file work (selection and ignores act through the
#: active rules above), so changing it keeps the cache
_AFTER_FILES = frozenset({"path", "fail_on", "exclude", "per_file_ignores", "cache_dir"})


def _config_part(config: Any) -> dict:
    """Every other configuration field (a field added later counts until listed above), and
    the files in the configured policy and rule folders."""
    import dataclasses

    part = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in _AFTER_FILES}
    for name in ("policy_dirs", "rules_dirs"):
        part[f"{name} files"] = [_package_files(folder) for folder in getattr(config, name, None) or []]
    return json.loads(json.dumps(part, sort_keys=True, default=repr))


def _secret() -> bytes | None:
    """The signing key in the user cache folder (made on first use); None if unavailable."""
    from .usercache import replace_file, user_cache_dir

    path = os.path.join(user_cache_dir(), "result-cache.key")
    try:
        with open(path, encoding="ascii") as handle:
            key = handle.read().strip()
        if len(key) == 64:
            return bytes.fromhex(key)
    except (OSError, ValueError):
        pass
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        replace_file(path, os.urandom(32).hex())
        os.chmod(path, 0o600)
        with open(path, encoding="ascii") as handle:
            return bytes.fromhex(handle.read().strip())
    except (OSError, ValueError):
        return None


class ResultCache:
    """Per-file results on disk, keyed by path, content and :func:`run_key`."""

    def __init__(self, folder: str, key: str, secret: bytes, rule_ids: frozenset[str]):
        self.folder = folder
        self.key = key
        self.secret = secret
        self.rule_ids = rule_ids
        self.hits = self.misses = 0

    @classmethod
    def open(cls, folder: str, engine: Any) -> "ResultCache | None":
        """The cache in ``folder`` (created with its .gitignore), or None when it cannot be used."""
        secret = _secret()
        if secret is None or os.path.islink(folder):  # a link in a repository points anywhere
            return None
        try:
            os.makedirs(folder, exist_ok=True)
            for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                marker = os.path.join(folder, name)
                if not os.path.lexists(marker):
                    with open(marker, "x", encoding="utf-8") as handle:
                        handle.write(text)
        except OSError:
            return None
        return cls(os.path.realpath(folder), run_key(engine), secret, frozenset(engine.registry.rules))

    def entry(self, path: str, raw: bytes) -> str:
        """The entry's file for this path and content."""
        name = hashlib.sha256(b"\0".join([self.key.encode(), path.encode("utf-8", "surrogatepass"),
                                          hashlib.sha256(raw).digest()])).hexdigest()
        # not .json: a walk of the project must never take an entry for a campaign file
        return os.path.join(self.folder, f"v{FORMAT}", name[:2], name[2:] + ".entry")

    def _mac(self, entry: str, body: bytes) -> str:
        return hmac.new(self.secret, os.path.basename(entry).encode() + b"\n" + body, "sha256").hexdigest()

    def load(self, entry: str, path: str) -> FileResult | None:
        try:
            with open(entry, "rb") as handle:
                mac, _, body = handle.read().partition(b"\n")
            if not hmac.compare_digest(mac.decode("ascii", "replace"), self._mac(entry, body)):
                return None
            return from_plain(json.loads(body), path, self.rule_ids)
        except Exception:  # a missing, foreign or damaged entry is a miss, whatever is wrong
            return None

    def store(self, entry: str, result: FileResult) -> None:
        from .usercache import replace_file

        plain = to_plain(result)
        if plain is None:
            return
        body = json.dumps(plain, separators=(",", ":"))  # ASCII: lone surrogates survive
        try:
            if not _own_folders(os.path.dirname(entry), self.folder):
                return  # a folder that links elsewhere (committed so): never write through it
            replace_file(entry, self._mac(entry, body.encode("ascii")) + "\n" + body)
        except OSError:
            pass


def _own_folders(shard: str, top: str) -> bool:
    """Make the folders from ``top`` down to ``shard`` one by one, never through a symlink
    (``os.makedirs`` follows one and creates the rest wherever it points); False when one
    of them is a link or not a folder."""
    below = os.path.relpath(shard, top).split(os.sep)
    folder = top
    for name in below:
        folder = os.path.join(folder, name)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        if os.path.islink(folder) or not os.path.isdir(folder):
            return False
    return True
