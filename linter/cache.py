"""The result cache, like ruff's: ``.campaign-lint-cache/`` in the project root.

One file per run key (``v5/<key>.cache``) holds, for each file a run checked, what the file
contributed to the run (:class:`~campaign_lint.filework.FileResult`), found by the file's path
and the hash of its content. The run key is a hash of everything else findings depend on:
the tool and its package files, the rules that run (with their severities, options and source
files, so a changed plugin or --rules-dir file counts), the botocore model, ``--today`` and
the libraries that judge values (pytz, phonenumbers, ...). Run-scope rules are never cached:
they run on the campaigns' kept facts every time.

The file is data we wrote, and is treated as such: it is signed (HMAC-SHA256) as a whole with
a key kept in the user cache folder, so a file committed to a repository or edited by hand
is not ours and is ignored; every field of an entry is type-checked when used; anything else
is a miss. It is written once per run, atomically, never through a symbolic link."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import sys
import time
from typing import Any

from .filework import FileResult, from_plain, to_plain
from .registry import LOCAL_RULES

FOLDER = ".campaign-lint-cache"
FORMAT = 5
#: libraries whose data or behaviour decide findings (zone data, number metadata, holiday lists,
#: validators, parsers): their installed files are fingerprinted, so an upgrade of any of them
#: invalidates every entry
JUDGES = ("pytz", "phonenumbers", "jsonschema", "jsonschema_rs", "dateutil", "yaml", "holidays")
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


def _rule_sources(modules: list[str], package: str) -> list:
    """The files the rules' findings may depend on: the folder of each rule module's package,
    helper modules included (an editable install keeps the built-in rules, ``rules/``, outside
    the package folder; a plugin's rules may import its own helpers), else the module's file.
    Folders inside the package folder are walked for the run key already."""
    folders, files = set(), set()
    for name in modules:
        parent = sys.modules.get(name.rpartition(".")[0]) if "." in name else None
        paths = getattr(parent, "__path__", None)
        module_file = getattr(sys.modules.get(name), "__file__", None)
        if paths:
            folders.update(os.path.abspath(path) for path in paths)
        elif name.startswith(LOCAL_RULES + "_") and module_file:
            # a --rules-dir file: its folder's other modules too (not walked below it: a rules
            # folder may be the repository's root)
            folder = os.path.dirname(module_file)
            with contextlib.suppress(OSError):
                files.update(os.path.join(folder, found) for found in os.listdir(folder) if found.endswith(".py"))
            files.add(module_file)
        else:
            files.add(module_file or name)
    walked: list[str] = []
    for folder in sorted(folders):  # a folder sorts before those inside it
        if not any(folder == top or folder.startswith(top + os.sep) for top in [package, *walked]):
            walked.append(folder)
    return [entry for folder in walked for entry in _package_files(folder)] + [_stat(path) for path in sorted(files)]


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
        # the module file and, for a package, its folder: an installer that keeps the files'
        # times (a wheel's fixed 1980 stamps) still makes the folder anew on an upgrade
        origin = spec.origin if spec is not None else None
        package_folder = os.path.basename(origin or "").startswith("__init__.")
        judges.append([_stat(origin), _stat(os.path.dirname(origin)) if package_folder else None]
                      if origin else [name, None, None])
    parts = {
        "format": FORMAT, "tool": __version__, "python": list(sys.version_info[:2]),
        "package": _package_files(package),
        "model": _stat(model_path()),
        "today": engine.today.isoformat(),
        "rules": [[r.id, r.name, r.origin, r.scope, int(engine.severity_of(r)),
                   json.dumps(engine.contexts[r.id].options, sort_keys=True, default=repr)]
                  for r in engine.active],
        "sources": _rule_sources(modules, package),
        "judges": judges,
        "config": _config_part(engine.config),
        "kept": sorted(kept_members(engine) or ["*"]),  # what an entry keeps of each campaign
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()


#: configuration that acts after the per-file work (selection and ignores act through the
#: active rules above), so changing it keeps the cache
_AFTER_FILES = frozenset({"path", "fail_on", "exclude", "per_file_ignores", "cache_dir", "suppressions"})


def _config_part(config: Any) -> dict:
    """Every other configuration field (a field added later counts until listed above), and
    the files in the configured policy and rule folders."""
    from .record import fields

    part = {f.name: getattr(config, f.name) for f in fields(config) if f.name not in _AFTER_FILES}
    for name in ("policy_dirs", "rules_dirs"):
        part[f"{name} files"] = [_package_files(folder) for folder in getattr(config, name, None) or []]
    return json.loads(json.dumps(part, sort_keys=True, default=repr))


def _secret() -> bytes | None:
    """The signing key in the user cache folder (made on first use); None if unavailable."""
    from .usercache import read_regular, replace_file, user_cache_dir

    path = os.path.join(user_cache_dir(), "result-cache.key")
    try:
        key = (read_regular(path, 1024) or b"").strip()
        if len(key) == 64:
            return bytes.fromhex(key.decode("ascii"))
    except (OSError, ValueError):
        pass
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        replace_file(path, os.urandom(32).hex())  # created readable by its owner alone
        return bytes.fromhex((read_regular(path, 1024) or b"").strip().decode("ascii"))
    except (OSError, ValueError):
        return None


#: an entry not used for this many days is dropped when the file is next written
KEEP_DAYS = 30
#: a cache file larger than this is not read (10,000 files' entries take a few MiB)
MAX_CACHE_BYTES = 2**30


class ResultCache:
    """Per-file results of one run key, in one signed file: ``v5/<run key>.cache``.

    The file is read and its signature checked once per run; an entry is found by the
    file's path and the SHA-256 of its content, and decoded only when used. New results
    are added in memory (:meth:`put`) and the file is written once, atomically, at the end
    of the run (:meth:`save`), and only when something changed; entries of files this run
    did not look at are kept (another run may check another folder of the project) until
    they have gone unused for :data:`KEEP_DAYS` days."""

    def __init__(self, folder: str, key: str, secret: bytes, rule_ids: frozenset[str],
                 by_location: bool = False, tagged: bool = False):
        self.folder = folder
        #: the folder held this tool's CACHEDIR.TAG before the run: a cache of ours, whose older
        #: formats' files may be removed (a ``cache-dir`` naming any other folder loses nothing)
        self.tagged = tagged
        self.key = key
        self.secret = secret
        self.rule_ids = rule_ids
        self.hits = self.misses = 0
        self.path = os.path.join(folder, f"v{FORMAT}", key + ".cache")
        self._entries: dict[str, list] | None = None
        self.changed = False
        self.today = int(time.time() // 86400)
        self._digests: dict[str, str | None] = {}
        self._record_day: int | None = None
        #: an entry holds for the file's real location too (per-file-policies match it: a
        #: symlink retargeted, or a run from another folder, must not reuse another file's result)
        self.by_location = by_location

    @property
    def entries(self) -> dict[str, list]:
        """path -> [content digest, day last used, entry JSON]: read when first needed (a run
        answered whole from its record never reads them), then as updated."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    @classmethod
    def open(cls, folder: str, engine: Any) -> "ResultCache | None":
        """The cache in ``folder`` (created with its .gitignore), or None when it cannot be used."""
        secret = _secret()
        if secret is None or os.path.islink(folder):  # a link in a repository points anywhere
            return None
        ours = _our_tag(os.path.join(folder, "CACHEDIR.TAG"))  # before this run writes one
        try:
            os.makedirs(folder, exist_ok=True)
            for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                marker = os.path.join(folder, name)
                if not os.path.lexists(marker):
                    with open(marker, "x", encoding="utf-8") as handle:
                        handle.write(text)
        except OSError:
            return None
        return cls(os.path.realpath(folder), run_key(engine), secret, frozenset(engine.registry.rules),
                   by_location=any(engine.config.per_file_policies.values()), tagged=ours)

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self.secret, self.key.encode() + b"\n" + body, "sha256").hexdigest().encode()

    def _signed_body(self, path: str, kind: bytes = b"") -> bytes | None:
        """The body of a file :meth:`_write_signed` wrote for this run key, or None when it
        is a link, in a linked folder, or not signed by us (raises OSError when missing)."""
        from .usercache import read_regular

        if os.path.islink(path) or os.path.islink(os.path.dirname(path)):
            return None
        data = read_regular(path, MAX_CACHE_BYTES)
        if data is None:
            return None
        mac, _, body = data.partition(b"\n")
        return body if hmac.compare_digest(mac, self._mac(kind + body)) else None

    def _write_signed(self, path: str, body: bytes, kind: bytes = b"") -> bool:
        """Sign ``body`` and replace ``path`` with it, never through a symbolic link; False
        when a folder on the way is a link or not a folder."""
        from .usercache import replace_file

        if not _own_folders(os.path.dirname(path), self.folder):
            return False
        replace_file(path, self._mac(kind + body) + b"\n" + body)
        return True

    def _read(self) -> dict[str, list]:
        """The entries of the file, when it is ours and whole (else none: every file a miss)."""
        try:
            body = self._signed_body(self.path)
            if body is None:
                return {}
            entries = {}
            for line in body.split(b"\n")[:-1]:
                path, digest, day, entry = line.split(b"\t", 3)
                entries[_path_from(path)] = [digest.decode("ascii"), int(day), entry]
            return entries
        except Exception:  # a missing, foreign, truncated or damaged file: an empty cache
            return {}

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()

    def known(self, path: str) -> str | None:
        """The digest of the file's content when an entry is kept for it, else None."""
        found = self.entries.get(path)
        if found is None:
            return None
        digest = self._digest(path)
        return digest if digest == found[0] else None

    def _digest(self, path: str) -> str | None:
        """The SHA-256 of the file's content (read once per run), None when it cannot be read;
        with :attr:`by_location`, of its content and real path."""
        if path not in self._digests:
            try:
                with open(path, "rb") as handle:
                    self._digests[path] = self._located(path, self.digest(handle.read()))
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def _located(self, path: str, digest: str) -> str:
        if not self.by_location:
            return digest
        where = os.path.realpath(path).encode("utf-8", "surrogateescape")
        return self.digest(digest.encode("ascii") + b"\0" + where)

    # --- the run record: a whole run's findings, when nothing it read has changed --------

    def run_record(self, targets: list[str], inputs: Any, done: bool = False) -> str | None:
        """The key of a run over ``targets`` (with their content's digests) and the ``inputs``
        that act after per-file work (suppressions, baseline, per-file-ignores...); None when
        a target cannot be read. ``done``: after the run, from the entries it answered or
        added (None when a target has none: its result is not cached): a record is kept only
        when both keys agree."""
        if done:
            digests = [self.entries[path][0] if path in self.entries else None for path in targets]
        else:  # the record holds these: the entries themselves need not be read
            digests = [self._digest(path) for path in targets]
        if None in digests:
            return None
        text = json.dumps([self.key, targets, digests, inputs], sort_keys=True, default=repr)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _run_path(self) -> str:
        return os.path.join(self.folder, f"v{FORMAT}", self.key + ".run")

    def load_run(self, record: str) -> Any:
        """What :meth:`save_run` kept for this record, or None (another run's, or not ours)."""
        try:
            body = self._signed_body(self._run_path(), b"run\n")
            if body is None:
                return None
            kept, day, plain = json.loads(body)
            if kept != record:
                return None
            self._record_day = day
            return plain
        except Exception:  # a missing, foreign, truncated or damaged file: no record
            return None

    def save_run(self, record: str, plain: Any) -> None:
        """Keep one run's result (JSON) for the record; the last run's replaces the one before."""
        body = json.dumps([record, self.today, plain], separators=(",", ":")).encode("ascii")
        with contextlib.suppress(OSError):
            self._write_signed(self._run_path(), body, b"run\n")

    def used(self, record: str, plain: Any, paths: list[str]) -> None:
        """Mark the record and the entries of ``paths`` used today (a run answered whole from
        its record reads none of them): once a day, both files are written again."""
        if self._record_day == self.today:
            return
        self.save_run(record, plain)
        for path in paths:
            found = self.entries.get(path)
            if found is not None and found[1] != self.today:
                found[1] = self.today
                self.changed = True
        self.save()

    def get(self, path: str, digest: str) -> FileResult | None:
        """The result kept for this path and content, or None."""
        found = self.entries.get(path)
        if found is None or found[0] != digest:
            self.misses += 1
            return None
        try:
            result = from_plain(json.loads(found[2]), path, self.rule_ids)
        except Exception:  # signed by us, yet not what this version reads: a miss
            self.misses += 1
            return None
        if found[1] != self.today:
            found[1] = self.today
            self.changed = True
        self.hits += 1
        return result

    def put(self, path: str, digest: str, entry: str | None) -> None:
        """Keep ``entry`` (:func:`entry_text`) for this path and content."""
        if entry is None or "\n" in entry or "\t" in entry:
            return
        self.entries[path] = [self._located(path, digest), self.today, entry.encode("ascii")]
        self.changed = True

    def save(self) -> None:
        """Write the file (when something changed): through a new temporary file and a
        rename, so that a concurrent run reads the old file or this one, never a mix."""
        if not self.changed:
            return
        lines = []
        for path, (digest, day, entry) in self.entries.items():
            if self.today - day <= KEEP_DAYS:
                lines.append(b"\t".join([_path_to(path), digest.encode("ascii"),
                                          str(day).encode("ascii"), entry]))
        body = b"\n".join(lines) + b"\n" if lines else b""
        try:
            if self._write_signed(self.path, body):
                _prune(os.path.dirname(self.path))
                if self.tagged:
                    _forget_old_formats(self.folder)
        except OSError:
            pass
        self.changed = False


def _path_to(path: str) -> bytes:
    """A path as a line of the file holds it: as it is, or JSON-quoted when it holds a tab,
    a newline, a backslash or a lone surrogate, or starts with a quote."""
    try:
        if not path.startswith('"') and not any(c in path for c in "\t\n\r\\"):
            return path.encode("utf-8")
    except UnicodeEncodeError:
        pass
    return json.dumps(path).encode("ascii")


def _path_from(text: bytes) -> str:
    return json.loads(text) if text.startswith(b'"') else text.decode("utf-8")


def entry_text(result: FileResult) -> str | None:
    """What the cache keeps of a result (one line of ASCII JSON), or None when it is not kept."""
    plain = to_plain(result)
    return None if plain is None else json.dumps(plain, separators=(",", ":"))  # ASCII: surrogates survive


#: the caches of this many run keys (configurations, tool versions...) are kept, the newest
KEEP_KEYS = 4


def _prune(folder: str) -> None:
    """Remove the files of all but the :data:`KEEP_KEYS` most recently written run keys
    (a changed configuration or tool leaves its old file behind), and temporary files
    that an interrupted run left an hour ago or more."""
    caches, now = [], time.time()
    with os.scandir(folder) as found:
        for item in found:
            if not item.is_file(follow_symlinks=False):
                continue
            stat = item.stat(follow_symlinks=False)
            if item.name.endswith(".cache"):
                caches.append((stat.st_mtime, item.name[:-len(".cache")]))
            elif item.name.endswith(".tmp") and now - stat.st_mtime > 3600:
                with contextlib.suppress(OSError):
                    os.unlink(item.path)
    for _, key in sorted(caches, reverse=True)[KEEP_KEYS:]:
        for suffix in (".cache", ".run"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, key + suffix))


#: what formats 1-4 wrote: ``v<N>/<2 hex>/<62 hex>.entry``, and its temporary files
_OLD_ENTRY = re.compile(r"[0-9a-f]{62}\.entry(?:\.[0-9]+\.[0-9a-f]{12}\.tmp)?")
_OLD_SHARD = re.compile(r"[0-9a-f]{2}")


def _our_tag(path: str) -> bool:
    """Whether ``path`` is the CACHEDIR.TAG this tool writes (a regular file, not a link)."""
    try:
        if os.path.islink(path) or os.path.getsize(path) != len(CACHEDIR_TAG):
            return False
        with open(path, encoding="utf-8") as handle:
            return handle.read() == CACHEDIR_TAG
    except (OSError, UnicodeDecodeError):
        return False


def _forget_old_formats(top: str) -> None:
    """Remove what older formats of the cache left in ``top``: their entry files only (a file of
    any other name stays, and so does the folder holding it), then each folder left empty.
    Never through a symbolic link."""
    for version in range(1, FORMAT):
        folder = os.path.join(top, f"v{version}")
        if os.path.islink(folder) or not os.path.isdir(folder):
            continue
        with contextlib.suppress(OSError), os.scandir(folder) as shards:
            for shard in shards:
                if shard.is_dir(follow_symlinks=False) and _OLD_SHARD.fullmatch(shard.name):
                    with contextlib.suppress(OSError), os.scandir(shard.path) as entries:
                        for entry in entries:
                            if entry.is_file(follow_symlinks=False) and _OLD_ENTRY.fullmatch(entry.name):
                                with contextlib.suppress(OSError):
                                    os.unlink(entry.path)
                    with contextlib.suppress(OSError):
                        os.rmdir(shard.path)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


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
