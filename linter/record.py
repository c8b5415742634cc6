"""Value classes for the file-linting path, without the start-up cost of :mod:`dataclasses`.

``@record`` does what ``@dataclass`` does for the plain classes of this package (fields from
the class annotations, defaults and ``field(default_factory=...)``, ``__init__``, ``__repr__``,
``__eq__``, ``__hash__`` when frozen, frozen instances), but builds the methods as closures.
Why: on Python 3.11 ``import dataclasses`` pulls in :mod:`inspect` (``ast``, ``dis``,
``tokenize``) and every decorated class compiles its methods with ``exec``: with the forty
classes of the package that was about a third of a one-file run (the pre-commit hook).
Only ``__init__`` is compiled here, and only for a class that has made
:data:`COMPILE_AFTER` instances already: a large run makes a few classes by the hundred
thousand, where a compiled ``__init__`` is twice as fast as the generic closure.

Not supported, because nothing here needs it: ``order``, ``slots``, ``kw_only``, ``InitVar``,
``ClassVar`` fields. Instances pickle like any object (``--jobs`` sends them between
processes).
"""

from __future__ import annotations

import operator
from typing import Any, Callable, TypeVar

__all__ = ["record", "field", "fields", "replace", "Field"]

T = TypeVar("T")
_MISSING: Any = object()


class Field:
    """One field of a record: its name, default (or default factory), and whether it is
    compared and shown by ``repr``."""

    __slots__ = ("name", "default", "default_factory", "compare", "repr")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 compare: bool = True, repr: bool = True) -> None:  # noqa: A002 - dataclasses' name
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("a field takes a default or a default_factory, not both")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING,
          compare: bool = True, repr: bool = True) -> Any:  # noqa: A002 - dataclasses' name
    """A field with a default factory, or one left out of comparison or ``repr``."""
    return Field(default, default_factory, compare, repr)


def fields(instance_or_class: Any) -> tuple[Field, ...]:
    """The record's fields, in order (base class fields first)."""
    return instance_or_class.__record_fields__


def replace(instance: T, **changes: Any) -> T:
    """A copy of a record with some fields changed (runs ``__init__`` and ``__post_init__``)."""
    values = {f.name: instance.__dict__[f.name] for f in instance.__record_fields__}
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(instance)(**values)


def record(cls: type | None = None, *, frozen: bool = False, eq: bool = True) -> Any:
    """Class decorator: make ``cls`` a record (see the module's docstring)."""
    def wrap(cls: type) -> type:
        _build(cls, frozen, eq)
        return cls
    return wrap if cls is None else wrap(cls)


def _collect(cls: type) -> tuple[Field, ...]:
    inherited = {f.name: f for base in reversed(cls.__mro__[1:])
                 for f in getattr(base, "__record_fields__", ())}
    # the class's own annotations (not its bases', since 3.10); on 3.14 this also evaluates
    # annotations kept lazily (PEP 649), where the class dict holds no __annotations__
    for name in cls.__annotations__:
        value = getattr(cls, name, _MISSING)  # as dataclass: a base class's default counts
        if not isinstance(value, Field) and value is not _MISSING and type(value).__hash__ is None:
            raise ValueError(f"{cls.__name__}.{name}: a mutable default ({type(value).__name__}) would be "
                             "shared by every instance; use field(default_factory=...)")
        own = value if isinstance(value, Field) else Field(default=value)
        own.name = name
        inherited[name] = own  # a field a base declared keeps its place, as in dataclass
        if isinstance(value, Field):
            if value.default is _MISSING:
                if name in cls.__dict__:
                    delattr(cls, name)
            else:
                setattr(cls, name, value.default)
    result = tuple(inherited.values())
    seen_default = False
    for f in result:
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"{cls.__name__}: non-default field {f.name!r} follows a default")
        seen_default = seen_default or has_default
    return result


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """``lambda o: (o.a, o.b)`` in C (operator.attrgetter), as a tuple for any count."""
    if len(names) >= 2:
        return operator.attrgetter(*names)
    if names:
        single = operator.attrgetter(names[0])
        return lambda instance: (single(instance),)
    return lambda instance: ()


#: instances a record class makes through the generic ``__init__`` before it compiles its own:
#: compiling costs what about a hundred generic instances do (a one-file run, the pre-commit
#: hook, makes few of any class), and saves 0.3 us on each instance after it (a run over
#: 10,000 campaigns makes some 200,000)
COMPILE_AFTER = 128


def _generic_init(all_fields: tuple[Field, ...], owner: str, post_init: bool) -> Callable[..., None]:
    """``__init__`` for these fields, as one closure that reads its arguments at run time."""
    names = tuple(f.name for f in all_fields)
    known = frozenset(names)
    plain_defaults = {f.name: f.default for f in all_fields if f.default is not _MISSING}
    factories = tuple((f.name, f.default_factory) for f in all_fields if f.default_factory is not _MISSING)
    width = len(names)

    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:  # a field may be called self
        state = self.__dict__
        if len(args) == width and not kwargs:  # every field, in order
            state.update(zip(names, args))  # noqa: B905 - lengths compared just above
        else:
            if len(args) > width:
                raise TypeError(f"{owner}() takes {width} positional arguments, got {len(args)}")
            if kwargs:
                unknown = kwargs.keys() - known
                if unknown:
                    raise TypeError(f"{owner}() got an unexpected keyword argument {sorted(unknown)[0]!r}")
                twice = kwargs.keys() & set(names[:len(args)])
                if twice:
                    raise TypeError(f"{owner}() got multiple values for argument {sorted(twice)[0]!r}")
            state.update(plain_defaults)
            state.update(zip(names, args, strict=False))
            state.update(kwargs)
            for name, make in factories:
                if name not in state:
                    state[name] = make()
            if len(state) < width:
                missing = next(name for name in names if name not in state)
                raise TypeError(f"{owner}() missing required argument: {missing!r}")
        if post_init:
            self.__post_init__()

    return __init__


def _compiled_init(all_fields: tuple[Field, ...], owner: str, post_init: bool) -> Callable[..., None]:
    """``__init__`` for these fields as Python source, compiled: one parameter per field, each
    value stored straight into the instance's ``__dict__`` (a frozen record refuses
    ``setattr``). About twice as fast as a generic ``*args, **kwargs`` closure, which counts
    when a run makes hundreds of thousands of records. Compiled once a class has made
    :data:`COMPILE_AFTER` instances, not when it is defined: a one-file run (the pre-commit
    hook) compiles none."""
    lines = [f"def __init__(__record_self, {', '.join(f'{f.name}=__record_absent' for f in all_fields)}):"]
    for index, f in enumerate(all_fields):
        if f.default_factory is not _MISSING:
            lines.append(f" if {f.name} is __record_absent: {f.name} = __record_factory_{index}()")
        elif f.default is not _MISSING:
            lines.append(f" if {f.name} is __record_absent: {f.name} = __record_default_{index}")
        else:
            lines.append(f" if {f.name} is __record_absent: __record_missing({f.name!r})")
    lines.append(" __record_state = __record_self.__dict__")
    lines += [f" __record_state[{f.name!r}] = {f.name}" for f in all_fields]
    if post_init:
        lines.append(" __record_self.__post_init__()")
    if not all_fields:
        lines.append(" pass")

    def missing(name: str) -> None:
        raise TypeError(f"{owner}() missing required argument: {name!r}")

    # every name of ours starts __record_: a field may be called anything else (state, self...)
    scope: dict[str, Any] = {"__record_absent": _MISSING, "__record_missing": missing}
    for index, f in enumerate(all_fields):
        scope[f"__record_factory_{index}"], scope[f"__record_default_{index}"] = f.default_factory, f.default
    exec("\n".join(lines), scope)  # noqa: S102 - source built here from the class's own field names
    compiled = scope["__init__"]
    compiled.__qualname__ = f"{owner}.__init__"
    return compiled


def _parameter_names(names: tuple[str, ...]) -> bool:
    """Whether the compiled ``__init__`` can take these fields as its parameters: identifiers
    as Python keeps them (not keywords, nor changed by NFKC), none of the compiled code's own
    ``__record_`` names. Annotations written in a class body always are; a class that builds
    its ``__annotations__`` may hold any string, and keeps the generic ``__init__`` (compiled,
    such a name raised a SyntaxError at the class's 128th instance, or stood for another)."""
    import keyword
    import unicodedata

    return all(name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__record_")
               and (name.isascii() or unicodedata.normalize("NFKC", name) == name) for name in names)


def _build(cls: type, frozen: bool, eq: bool) -> None:
    all_fields = _collect(cls)
    names = tuple(f.name for f in all_fields)
    compared = tuple(f.name for f in all_fields if f.compare)
    shown = tuple(f.name for f in all_fields if f.repr)
    owner = cls.__qualname__
    post_init = getattr(cls, "__post_init__", None)

    generic = _generic_init(all_fields, owner, post_init is not None)
    made = 0

    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:
        """The generic ``__init__`` for a class's first instances; then its own, compiled."""
        nonlocal made
        made += 1
        if made == COMPILE_AFTER and cls.__dict__.get("__init__") is __init__ and _parameter_names(names):
            type.__setattr__(cls, "__init__", _compiled_init(all_fields, owner, post_init is not None))
        generic(self, *args, **kwargs)

    def __repr__(self: Any) -> str:
        shown_values = ", ".join(f"{name}={self.__dict__[name]!r}" for name in shown)
        return f"{type(self).__qualname__}({shown_values})"

    # like dataclass: a method the class defines itself is kept
    own = cls.__dict__
    explicit_hash = own.get("__hash__", _MISSING) not in (_MISSING, None) or (
        "__hash__" in own and "__eq__" not in own)
    cls.__record_fields__ = all_fields
    cls.__match_args__ = names
    if "__init__" not in own:
        cls.__init__ = __init__
    if "__repr__" not in own:
        cls.__repr__ = __repr__
    if eq:
        key = _tuple_getter(compared)

        def __eq__(self: Any, other: Any) -> Any:
            if other.__class__ is not self.__class__:
                return NotImplemented
            return key(self) == key(other)

        if "__eq__" not in own:
            cls.__eq__ = __eq__
        if not explicit_hash:
            cls.__hash__ = (lambda self: hash(key(self))) if frozen else None
    if frozen:
        def __setattr__(self: Any, name: str, value: Any) -> None:
            raise AttributeError(f"cannot assign to field {name!r}: {owner} is frozen")

        def __delattr__(self: Any, name: str) -> None:
            raise AttributeError(f"cannot delete field {name!r}: {owner} is frozen")

        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
