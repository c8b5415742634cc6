"""Which true/false values of a template's conditions can hold together.

A resource is checked once per assignment of the conditions its ``Fn::If`` use (see
``cloudformation.variants``). Conditions are not independent: ``IsNotProd: !Not [!Condition
IsProd]`` is never false together with ``IsProd``, and two ``Fn::Equals`` of one parameter
with different values are never both true. An assignment is kept when some values of the
parameters the conditions compare make every condition come out as assigned. A parameter
takes its given value (``--parameter``), else any of its ``AllowedValues``, else any value
it is compared with or another one: its ``Default`` does not decide, so that each branch a
deploy can take is checked, as before. What cannot be evaluated here (``Fn::FindInMap``,
a pseudo parameter without ``--region``, a condition that refers to itself, which
CloudFormation refuses, a chain of conditions longer than MAX_CONDITION_DEPTH) fits either value.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Mapping

from .cloudformation import _text

#: the parameter values tried, at most (past it, no assignment is dropped)
MAX_VALUATIONS = 512
#: how long a chain of conditions naming conditions is followed (past it, the rest fits either
#: value, as a cycle does; 600 links overflowed Python's stack and stopped the whole run)
MAX_CONDITION_DEPTH = 64
#: condition nodes evaluated for one template, at most (past it, no assignment is dropped: a
#: condition of 2,000 Fn::Equals under 512 valuations for each of 20 resources took 70 s)
MAX_CONDITION_WORK = 200_000


class _TooMuchWork(Exception):
    pass


class _Other:
    """A value of a parameter unlike every value it is compared with (one per parameter)."""

    def __init__(self, parameter: str):
        self.parameter = parameter


class ConditionLogic:
    """The Conditions section of one template, read once for all its resources."""

    def __init__(self, template: Mapping[str, Any], given: Mapping[str, str], pseudo: Callable[[str], str | None]):
        definitions, parameters = template.get("Conditions"), template.get("Parameters")
        self.definitions = definitions if isinstance(definitions, dict) else {}
        self.parameters = parameters if isinstance(parameters, dict) else {}
        self.given = given
        self.pseudo = pseudo
        #: the literal values each parameter is compared with, in any condition
        self.literals: dict[str, set[str]] = {}
        #: the parameters each condition compares, through the conditions it names
        self._compares: dict[str, frozenset[str]] = {}
        self._others: dict[str, _Other] = {}
        self._valuations: dict[frozenset[str], list[dict[str, Any]] | None] = {}
        self._truths: dict[tuple, bool | None] = {}
        #: condition nodes evaluated so far (see MAX_CONDITION_WORK)
        self._work = 0
        self._sorted: dict[str, tuple[str, ...]] = {}
        #: a chain was cut at MAX_CONDITION_DEPTH: what a condition compares may then be
        #: incomplete, so its answers are remembered for whole valuations only
        self._cut = False
        # every condition's literals first: the values tried for a parameter (and what its
        # "other" value is unlike) must not depend on which resource asked first
        try:
            for name in self.definitions:
                self.compares(name)
        except RecursionError:  # conditions nested too deeply to read: every assignment is kept
            self.definitions = {}

    def possible(self, assignments: list[dict[str, bool]]) -> list[dict[str, bool]]:
        """The ``assignments`` some parameter values make true; all of them when none is (a
        resource whose own Condition never holds is still checked) or when they cannot be told."""
        if not self.definitions or not assignments or self._work > MAX_CONDITION_WORK:
            return assignments
        names = {name for assignment in assignments for name in assignment}
        valuations = self.valuations(frozenset().union(*(self.compares(name) for name in names)))
        if valuations is None:
            return assignments
        try:
            kept = [assignment for assignment in assignments
                    if any(all(self.holds(name, valuation) in (value, None) for name, value in assignment.items())
                           for valuation in valuations)]
        except (RecursionError, _TooMuchWork):  # too deep or too large to evaluate: every one is kept
            return assignments
        return kept or assignments

    # --- which parameters, and which of their values ----------------------------------------

    def compares(self, name: str, visiting: frozenset[str] = frozenset()) -> frozenset[str]:
        """The parameters condition ``name`` compares (a cycle adds nothing)."""
        if name in self._compares:
            return self._compares[name]
        if name in visiting or len(visiting) >= MAX_CONDITION_DEPTH:
            self._cut = self._cut or name not in visiting
            return frozenset()
        found: set[str] = set()
        self._collect(self.definitions.get(name), found, visiting | {name})
        self._compares[name] = frozenset(found)
        return self._compares[name]

    def _collect(self, node: Any, found: set[str], visiting: frozenset[str]) -> None:
        stack = [node]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if len(node) == 1 and isinstance(node.get("Condition"), str):
                    found |= self.compares(node["Condition"], visiting)
                elif len(node) == 1 and isinstance(node.get("Fn::Equals"), list) and len(node["Fn::Equals"]) == 2:
                    self._equals(node["Fn::Equals"], found)
                else:
                    stack.extend(node.values())

    def _equals(self, pair: list, found: set[str]) -> None:
        for index, side in enumerate(pair):
            parameter = self._parameter(side)
            if parameter is not None:
                found.add(parameter)
                literals = self.literals.setdefault(parameter, set())
                other = pair[1 - index]
                if isinstance(other, (str, int, float)):
                    literals.add(_text(other))

    def valuations(self, parameters: frozenset[str]) -> list[dict[str, Any]] | None:
        """Every combination of the values tried for ``parameters``; None when too many."""
        if parameters not in self._valuations:
            choices = [[(parameter, value) for value in self._candidates(parameter)] for parameter in sorted(parameters)]
            count = 1
            for values in choices:
                count *= len(values)
            self._valuations[parameters] = (None if count > MAX_VALUATIONS
                                            else [dict(combination) for combination in itertools.product(*choices)])
        return self._valuations[parameters]

    def _candidates(self, parameter: str) -> list[Any]:
        if parameter in self.given:
            return [self.given[parameter]]
        declared = self.parameters.get(parameter)
        allowed = declared.get("AllowedValues") if isinstance(declared, dict) else None
        if isinstance(allowed, list) and allowed and all(isinstance(v, (str, int, float)) for v in allowed):
            return list(dict.fromkeys(_text(v) for v in allowed))
        other = self._others.setdefault(parameter, _Other(parameter))
        return [*sorted(self.literals.get(parameter, ())), other]

    # --- truth ----------------------------------------------------------------------------

    def holds(self, name: str, valuation: Mapping[str, Any], visiting: frozenset[str] = frozenset()) -> bool | None:
        """Condition ``name`` under ``valuation``; None when it cannot be told here (a cycle,
        a chain longer than MAX_CONDITION_DEPTH)."""
        if name in visiting or len(visiting) >= MAX_CONDITION_DEPTH:
            self._cut = self._cut or name not in visiting
            return None
        key = (name, tuple(valuation.items()) if self._cut else self._compared(name, valuation))
        if key not in self._truths:
            self._truths[key] = self._truth(self.definitions.get(name), valuation, visiting | {name})
        return self._truths[key]

    def _compared(self, name: str, valuation: Mapping[str, Any]) -> tuple:
        """The values of the parameters condition ``name`` compares: the others do not change
        it, so one answer serves every valuation that agrees on these (many resources, one
        large condition)."""
        if name not in self._sorted:
            self._sorted[name] = tuple(sorted(self.compares(name)))
        return tuple(valuation.get(parameter) for parameter in self._sorted[name])

    def _truth(self, node: Any, valuation: Mapping[str, Any], visiting: frozenset[str]) -> bool | None:
        self._work += 1
        if self._work > MAX_CONDITION_WORK:
            raise _TooMuchWork
        if not (isinstance(node, dict) and len(node) == 1):
            return None
        (key, argument), = node.items()
        if key == "Condition" and isinstance(argument, str):
            return self.holds(argument, valuation, visiting)
        if not isinstance(argument, list):
            return None
        if key == "Fn::Equals" and len(argument) == 2:
            return self._equal(*(self._value(side, valuation) for side in argument))
        parts = [self._truth(item, valuation, visiting) for item in argument]
        if key == "Fn::Not" and len(parts) == 1:
            return None if parts[0] is None else not parts[0]
        if key == "Fn::And" and parts:
            return False if False in parts else (None if None in parts else True)
        if key == "Fn::Or" and parts:
            return True if True in parts else (None if None in parts else False)
        return None

    def _equal(self, left: Any, right: Any) -> bool | None:
        if left is None or right is None:
            return None
        if isinstance(left, _Other) and isinstance(right, _Other):
            return True if left is right else None
        if isinstance(right, _Other):
            left, right = right, left
        if isinstance(left, _Other):  # unlike the values its parameter is compared with
            return False if right in self.literals.get(left.parameter, ()) else None
        return left == right

    def _value(self, node: Any, valuation: Mapping[str, Any]) -> Any:
        """A compared value: text, an _Other, or None when not known here."""
        if isinstance(node, (str, int, float)):
            return _text(node)
        parameter = self._parameter(node)
        if parameter is not None:
            return valuation.get(parameter)
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        if isinstance(name, str) and name.startswith("AWS::"):
            return self.pseudo(name)
        return None  # a parameter not declared, a resource, an intrinsic: not known here

    def _parameter(self, node: Any) -> str | None:
        if isinstance(node, dict) and len(node) == 1 and node.get("Ref") in self.parameters:
            return node["Ref"]
        return None
