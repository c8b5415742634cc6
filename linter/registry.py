"""Where rules come from: the built-in ``rules`` package, plugins registered under the
``campaign_lint.rules`` entry-point group, and ``--rules-dir`` folders. All three
hand over the same :class:`~campaign_lint.rule.Rule` objects."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any, Iterable, Iterator

from .config import ConfigError
from .rule import Rule

ENTRY_POINT_GROUP = "campaign_lint.rules"


def rules_in(obj: Any) -> Iterator[Rule]:
    """The rules an object stands for: a Rule, a module holding Rules, or a list."""
    if isinstance(obj, Rule):
        yield obj
    elif isinstance(obj, ModuleType):
        for name in sorted(vars(obj)):
            value = getattr(obj, name)
            if isinstance(value, Rule):
                yield value
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from rules_in(item)


def builtin_rules() -> Iterator[Rule]:
    from . import diagnostics
    from . import rules as package

    modules = [diagnostics] + [importlib.import_module(f"campaign_lint.rules.{name}")
                               for name in _module_names(package.__path__)
                               if not name.startswith("_")]
    for module in modules:
        yield from (_with_origin(r, "builtin") for r in rules_in(module))


def _module_names(path: Iterable[str]) -> list[str]:
    """The modules of a package, sorted: its folders' ``.py`` files and sub-packages, or
    pkgutil's answer for a folder that cannot be listed (a zip). Not pkgutil always:
    it imports :mod:`inspect`, about 10 ms of a one-file run."""
    names: set[str] = set()
    for folder in path:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            import pkgutil

            names.update(info.name for info in pkgutil.iter_modules([folder]))
            continue
        import importlib.machinery

        suffixes = importlib.machinery.all_suffixes()  # .py, .pyc, .so: what pkgutil finds too
        for entry in entries:
            module = next((entry.name[:-len(s)] for s in suffixes if entry.name.endswith(s)), None)
            if module is None and any(os.path.isfile(os.path.join(entry.path, "__init__" + s)) for s in suffixes):
                module = entry.name  # a package
            if module and module.isidentifier() and module != "__init__":
                names.add(module)
    return sorted(names)


def plugins_installed() -> bool:
    """Whether any distribution on ``sys.path`` may declare the entry-point group.

    Reads the ``entry_points.txt`` files directly: importing and running importlib.metadata
    costs more than the rest of a one-file run's start-up. Anything it cannot read (a zip
    on sys.path, an unreadable folder) counts as "maybe", and then the real scan decides."""
    for folder in sys.path:
        try:
            entries = list(os.scandir(folder or "."))
        except NotADirectoryError:
            return True
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as handle:
                        if ENTRY_POINT_GROUP in handle.read():
                            return True
                except FileNotFoundError:
                    continue
                except OSError:
                    return True
    return False


def plugin_rules() -> Iterator[Rule]:
    if not plugins_installed():
        return
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:  # a broken plugin is named, not a traceback
            raise ConfigError(f"plugin {entry.name!r} ({entry.value}) failed to load: "
                              f"{type(error).__name__}: {error}") from None
        found = list(rules_in(loaded))
        if not found:
            raise ConfigError(f"plugin {entry.name!r} ({entry.value}) holds no rules")
        dist = getattr(entry, "dist", None)
        origin = f"plugin {dist.name}" if dist is not None else f"plugin {entry.name}"
        yield from (_with_origin(r, origin) for r in found)


#: the start of the module names of --rules-dir files (its dots, like the path's, become "_")
LOCAL_RULES = "campaign_lint_local_rules"


def directory_rules(folder: str) -> Iterator[Rule]:
    if not os.path.isdir(folder):
        raise ConfigError(f"rules directory not found: {folder}")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        path = os.path.join(folder, name)
        module_name = f"{LOCAL_RULES}.{os.path.abspath(folder)}.{name[:-3]}".replace(".", "_")
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise ConfigError(f"{path}: rule file failed to load: {type(error).__name__}: {error}") from None
        yield from (_with_origin(r, path) for r in rules_in(module))


def _with_origin(rule: Rule, origin: str) -> Rule:
    from .record import replace

    return replace(rule, origin=origin)


class Registry:
    """Every known rule, by id, in id order."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            other = self.rules.get(rule.id)
            if other is not None and other is not rule:
                raise ConfigError(f"rule id {rule.id} is defined twice: by {other.origin} "
                                  f"and by {rule.origin}")
            self.rules[rule.id] = rule
        self.rules = dict(sorted(self.rules.items()))
        self.by_name = {rule.name: rule for rule in self.rules.values()}

    @classmethod
    def load(cls, rules_dirs: Iterable[str] = (), plugins: bool = True) -> "Registry":
        found = list(builtin_rules())
        if plugins:
            found += list(plugin_rules())
        for folder in rules_dirs:
            found += list(directory_rules(folder))
        return cls(found)

    def lookup(self, code: str) -> Rule | None:
        """A rule by id (``CC301``) or name (``open-hours-overlap``), in any case; ASCII only
        (``str.lower`` maps the Kelvin sign to ``k``: a look-alike key would name a rule)."""
        if not code.isascii():
            return None
        return self.rules.get(code.upper()) or self.by_name.get(code.lower())

    def matching(self, prefix: str) -> list[Rule]:
        if not prefix.isascii():
            return []
        return [r for r in self.rules.values() if r.id.startswith(prefix.upper())]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]
