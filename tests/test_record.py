"""``campaign_lint.record`` stands in for :mod:`dataclasses` on the file-linting path (start-up
cost): the same construction, defaults, errors, equality, hashing, repr and immutability as
``@dataclass`` for the shapes the package uses; and ``rule.cleandoc`` is ``inspect.cleandoc``."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import pkgutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_lint import record as rec
from campaign_lint import rules
from campaign_lint.model import Finding, Origin, Problem, Severity
from campaign_lint.registry import _module_names
from campaign_lint.rule import cleandoc

NAMES = ["a", "b", "c", "d"]


def _classes(n_required: int, defaults: list, compare_last: bool, frozen: bool):
    """The same class built by @dataclass and by @record."""
    built = []
    for decorate, make_field in ((dataclasses.dataclass, dataclasses.field), (rec.record, rec.field)):
        body: dict = {"__annotations__": {}}
        for name in NAMES[:n_required]:
            body["__annotations__"][name] = "object"
        for name, default in zip(NAMES[n_required:], defaults, strict=False):
            body["__annotations__"][name] = "object"
            body[name] = default
        if defaults and not compare_last:
            last = NAMES[n_required + len(defaults) - 1]
            body[last] = make_field(default=body[last], compare=False)
        built.append(decorate(frozen=frozen)(type("C", (), body)))
    return built


def _outcome(call):
    try:
        return ("ok", call())
    except TypeError:
        return ("TypeError", None)


@given(n_required=st.integers(0, 2), defaults=st.lists(st.integers(0, 3), max_size=2),
       compare_last=st.booleans(), frozen=st.booleans(),
       args=st.lists(st.integers(0, 3), max_size=5),
       kwargs=st.dictionaries(st.sampled_from(NAMES + ["z"]), st.integers(0, 3), max_size=3),
       other=st.lists(st.integers(0, 3), min_size=4, max_size=4), compiled=st.booleans())
def test_record_builds_compares_and_rejects_like_dataclass(n_required, defaults, compare_last, frozen,
                                                           args, kwargs, other, compiled):
    # compiled: the class's own __init__ from its first instance (a run compiles it once the
    # class has made COMPILE_AFTER instances through the generic one)
    data_cls, record_cls = _classes(n_required, defaults, compare_last, frozen)
    if compiled:
        _compile_now(record_cls)
    expected = _outcome(lambda: data_cls(*args, **kwargs))
    got = _outcome(lambda: record_cls(*args, **kwargs))
    assert got[0] == expected[0]
    if expected[0] != "ok":
        return
    width = n_required + len(defaults)
    assert repr(got[1]) == repr(expected[1])
    assert vars(got[1]) == vars(expected[1])
    twin_args = other[:width]
    same = (data_cls(*twin_args) == expected[1], record_cls(*twin_args) == got[1])
    assert same[0] == same[1]
    if frozen:
        assert (hash(data_cls(*twin_args)) == hash(expected[1])) == (hash(record_cls(*twin_args)) == hash(got[1]))
        with pytest.raises(AttributeError):
            got[1].a = 1
    else:
        assert record_cls.__hash__ is None
    assert rec.replace(got[1]) == got[1]


def _compile_now(record_cls: type) -> None:
    """Make ``record_cls`` compile its ``__init__``, as it does after COMPILE_AFTER instances."""
    original = rec.COMPILE_AFTER
    rec.COMPILE_AFTER = 1
    try:
        try:
            record_cls()
        except TypeError:  # a required field: the class compiled before it refused the call
            pass
    finally:
        rec.COMPILE_AFTER = original
    assert record_cls.__init__.__qualname__.endswith("C.__init__")


@pytest.mark.parametrize("compiled", [False, True])
def test_factories_post_init_and_any_field_name_survive_the_compiled_init(compiled):
    made = []

    @rec.record(frozen=True)
    class C:
        state: int
        self_: str = "s"
        items: list = rec.field(default_factory=list)

        def __post_init__(self):
            made.append(self.state)

    if compiled:
        _compile_now(C)
        made.clear()
    first, second = C(1), C(state=2, items=[3])
    assert vars(first) == {"state": 1, "self_": "s", "items": []} and second.items == [3]
    assert first.items is not C(1).items  # a new list for each instance
    assert made == [1, 2, 1]
    with pytest.raises(TypeError, match="missing required argument: 'state'"):
        C()
    with pytest.raises(AttributeError, match="frozen"):
        first.state = 5


@pytest.mark.parametrize("compiled", [False, True])
def test_a_field_named_self_is_given_by_keyword_as_dataclass_takes_it(compiled):
    # the generic __init__ took self= for the instance: "got multiple values for argument 'self'"
    @rec.record(frozen=True)
    class C:
        self: int
        other: int = 0

    @dataclasses.dataclass(frozen=True)
    class D:
        self: int
        other: int = 0

    if compiled:
        _compile_now(C)
    assert vars(C(self=1)) == vars(D(self=1)) == {"self": 1, "other": 0}
    assert vars(C(1, other=2)) == vars(D(1, other=2)) == {"self": 1, "other": 2}
    with pytest.raises(TypeError, match="multiple values for argument 'self'"):
        C(1, self=2)


def test_a_class_compiles_its_init_once_it_has_made_enough_instances():
    @rec.record(frozen=True)
    class Point:
        x: int
        y: int = 0

    generic = Point.__init__
    points = [Point(n) for n in range(rec.COMPILE_AFTER + 5)]
    assert Point.__init__ is not generic and Point.__init__.__qualname__.endswith("Point.__init__")
    assert [(p.x, p.y) for p in points] == [(n, 0) for n in range(rec.COMPILE_AFTER + 5)]


@pytest.mark.parametrize("name", ["class", "a-b", "\ufb01le", "__record_absent"])
def test_a_field_name_no_parameter_can_have_keeps_the_generic_init(name):
    # a class that builds its annotations: compiled, "class" raised a SyntaxError at the 128th
    # instance, and "\ufb01le" (fi ligature) was read as the parameter "file"
    made = rec.record(type("Made", (), {"__annotations__": {name: int, "y": int}}), frozen=True)
    items = [made(**{name: n, "y": -n}) for n in range(rec.COMPILE_AFTER + 5)]
    assert [vars(item) for item in items] == [{name: n, "y": -n} for n in range(rec.COMPILE_AFTER + 5)]


def test_frozen_records_pickle_and_replace_like_the_engine_needs():
    origin = Origin("x.json", "/0", positions={"/0": (1, 1)})
    finding = Finding("CC101", "unknown-field", Severity.ERROR, "m", path="x.json", line=1, column=2)
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert pickle.loads(pickle.dumps(origin)).positions == {"/0": (1, 1)}
    assert finding.with_(line=5).line == 5 and finding.line == 1
    assert Origin("x.json", "/0") == origin  # positions are not compared
    with pytest.raises(TypeError, match="no field 'lines'"):
        finding.with_(lines=5)
    with pytest.raises(TypeError, match="missing required argument: 'message'"):
        Problem("/name")
    with pytest.raises(AttributeError, match="frozen"):
        finding.line = 3


def test_a_subclass_record_adds_fields_after_its_base_like_dataclass():
    @rec.record(frozen=True)
    class Base:
        a: int
        b: int = 2

    @rec.record(frozen=True)
    class Child(Base):
        c: int = 3

    assert [f.name for f in rec.fields(Child)] == ["a", "b", "c"]
    assert repr(Child(1)) == "test_a_subclass_record_adds_fields_after_its_base_like_dataclass.<locals>.Child(a=1, b=2, c=3)"
    assert Child(1) != Base(1)


# Docstrings are indented with spaces and tabs; what other whitespace at a line's start means
# changed in Python 3.13 (inspect.cleandoc strips only spaces, as the compiler now does)
@given(st.text(alphabet=" \t\nab\u00e9", max_size=40))
def test_cleandoc_is_inspects(doc):
    assert cleandoc(doc) == inspect.cleandoc(doc)


def test_builtin_rule_modules_are_found_as_pkgutil_finds_them():
    assert _module_names(rules.__path__) == sorted(i.name for i in pkgutil.iter_modules(rules.__path__))


def test_methods_a_class_defines_itself_are_kept_as_dataclass_keeps_them():
    for decorate in (dataclasses.dataclass, rec.record):
        @decorate(frozen=True)
        class Named:
            name: str
            note: str = ""

            def __eq__(self, other):
                return isinstance(other, Named) and self.name.lower() == other.name.lower()

            def __hash__(self):
                return hash(self.name.lower())

            def __repr__(self):
                return f"<{self.name}>"

        assert Named("A", "x") == Named("a", "y") and hash(Named("A")) == hash(Named("a"))
        assert repr(Named("A")) == "<A>"

        @decorate
        class Mutable:
            value: int

        assert Mutable.__hash__ is None


def test_redeclared_fields_mutable_defaults_and_subclass_names_as_in_dataclass():
    for decorate in (dataclasses.dataclass, rec.record):
        @decorate
        class Base:
            x: int = 1
            y: int = 2

        @decorate
        class Again(Base):
            x: int

        assert repr(Again(5)) .endswith("Again(x=5, y=2)") and repr(Again()).endswith("Again(x=1, y=2)")

        class Plain(Base):
            pass

        assert repr(Plain()).endswith("Plain(x=1, y=2)")
        with pytest.raises(ValueError):
            @decorate
            class Shared:
                items: list = []  # noqa: RUF012


def test_rule_modules_are_found_by_every_import_suffix_as_pkgutil_finds_them(tmp_path):
    from importlib.machinery import EXTENSION_SUFFIXES

    compiled = "compiled" + EXTENSION_SUFFIXES[0]  # this interpreter's: compiled.cpython-311-x86_64-linux-gnu.so
    for name in ("plain.py", compiled, "stable.abi3.so",
                 "sourceless.pyc", "not-a-module.py", "notes.txt", "__init__.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "__init__.pyc").write_text("")
    (tmp_path / "folder").mkdir()  # no __init__: not a package
    # pkgutil also lists "not-a-module", which no import statement can name
    expected = sorted(i.name for i in pkgutil.iter_modules([str(tmp_path)]) if i.name.isidentifier())
    assert _module_names([str(tmp_path)]) == expected
    assert "compiled" in expected and "package" in expected
