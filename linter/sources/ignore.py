"""What git ignores: ``.gitignore`` files (and ``.git/info/exclude``) for folder walks.

Matching is done by ``pathspec``'s ``GitIgnoreSpec`` (git's own rules: negation,
anchoring, ``**``, folder-only patterns, the last match winning). Only files inside a
git repository are subject to it, as with git itself. pathspec is imported only when
a repository has an ignore file, to keep the start-up of a pre-commit hook fast.
"""

from __future__ import annotations

import os
from typing import Any


def repository_root(start: str) -> str | None:
    """The nearest folder from ``start`` upward that holds ``.git`` or ``.hg``."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")) or os.path.exists(os.path.join(folder, ".hg")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class GitIgnore:
    """The ignore files that apply to a walk, from the repository root down."""

    def __init__(self, active: bool, top: str | None = None) -> None:
        self.active = active
        self.top = top
        #: (folder, spec) pairs by folder, shallowest first; each folder's list holds its parents'
        self._specs: dict[str, list[tuple[str, Any]]] = {}
        #: what git tracks (files, and the folders holding them), asked once when needed
        self._tracked: tuple[frozenset[str], frozenset[str]] | None = None

    @classmethod
    def above(cls, root: str) -> "GitIgnore":
        """The ignore rules of the repository ``root`` lies in, as they apply to ``root``.

        A folder named on the command line is walked even if git ignores it (the user
        asked for it); the ignore files inside it still apply."""
        top = repository_root(root)
        # .git is a folder, or a file in a worktree or submodule (not .hg: it has .hgignore)
        ignore = cls(active=top is not None and os.path.exists(os.path.join(top, ".git")), top=top)
        start = os.path.abspath(root)
        if not ignore.active:
            return ignore
        specs = _spec_list([], top, os.path.join(top, ".git", "info", "exclude"))
        folder = top
        for part in os.path.relpath(start, top).split(os.sep):
            if part in ("", "."):
                break
            specs = _spec_list(specs, folder, os.path.join(folder, ".gitignore"))
            folder = os.path.join(folder, part)
        ignore._specs[os.path.normpath(root)] = [] if ignore._match(specs, start, True) else specs
        return ignore

    def enter(self, folder: str, files: list[str]) -> None:
        """Read ``folder``'s own .gitignore (os.walk visits parents first)."""
        if not self.active:
            return
        key = os.path.normpath(folder)
        parent = os.path.normpath(os.path.dirname(folder))
        inherited = self._specs.get(key, self._specs.get(parent, []))
        own = os.path.join(folder, ".gitignore") if ".gitignore" in files else None
        self._specs[key] = _spec_list(inherited, os.path.abspath(folder), own) if own else inherited

    def ignored(self, path: str, folder: bool = False) -> bool:
        """Whether git ignores ``path``; never a file git tracks, nor a folder holding one (a
        .gitignore that a pull request adds does not make git forget its files: nor may it
        make the walk skip them)."""
        if not self.active:
            return False
        specs = self._specs.get(os.path.normpath(os.path.dirname(path)), [])
        return self._match(specs, os.path.abspath(path), folder) and not self.tracked(path, folder)

    def tracked(self, path: str, folder: bool = False) -> bool:
        """Whether git tracks the file (or a file in the folder) ``path``; False when git
        cannot say (no git, not a repository)."""
        if not self.active:
            return False
        if self._tracked is None:
            self._tracked = _tracked_paths(self.top or ".")
        files, folders = self._tracked
        return os.path.abspath(path) in (folders if folder else files)

    @staticmethod
    def _match(specs: list[tuple[str, Any]], path: str, folder: bool) -> bool:
        ignored = False
        for base, spec in specs:
            relative = os.path.relpath(path, base).replace(os.sep, "/")
            if relative.startswith("../"):
                continue
            verdict = spec.check_file(relative + "/" if folder else relative).include
            if verdict is not None:
                ignored = verdict
        return ignored


def _spec_list(specs: list[tuple[str, Any]], base: str, file: str) -> list[tuple[str, Any]]:
    """``specs`` plus the patterns of ``file`` (relative to ``base``) when it can be read."""
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return specs
    import pathspec

    return specs + [(base, pathspec.GitIgnoreSpec.from_lines(lines))]


def _tracked_paths(top: str) -> tuple[frozenset[str], frozenset[str]]:
    """The absolute paths of the files git tracks in the repository ``top``, and of the
    folders that hold them (empty sets when git cannot be asked)."""
    import subprocess

    try:
        listing = subprocess.run(["git", "-C", top, "ls-files", "-z"], capture_output=True, check=True,
                                 stdin=subprocess.DEVNULL, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset(), frozenset()
    files, folders = set(), set()
    for name in filter(None, listing.split(b"\0")):
        path = os.path.normpath(os.path.join(top, os.fsdecode(name)))
        files.add(path)
        parent = os.path.dirname(path)
        while parent not in folders and len(parent) > len(top):
            folders.add(parent)
            parent = os.path.dirname(parent)
    return frozenset(files), frozenset(folders)
