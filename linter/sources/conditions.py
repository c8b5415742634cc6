"""Which true/false values of a template's conditions can hold together.

A resource is checked once per assignment of the conditions its ``Fn::If`` use (see
``cloudformation.variants``). Conditions are not independent: ``IsNotProd: !Not [!Condition
IsProd]`` is never false together with ``IsProd``, and two ``Fn::Equals`` of one parameter
with different values are never both true. An assignment is kept when some values of the
parameters the conditions compare make every condition come out as assigned. A parameter
takes its given value (``--parameter``), else any of its ``AllowedValues``, else any value
it is compared with or another one: its ``Default`` does not decide, so that each branch a
deploy can take is checked, as before. What cannot be evaluated here (``Fn::FindInMap``,
a pseudo parameter without ``--region``) fits either value.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Mapping

#: the parameter values tried, at most (past it, no assignment is dropped)
MAX_VALUATIONS = 512
#: conditions that refer to conditions deeper than this are not evaluated (a cycle, say)
MAX_DEPTH = 20


class _Other:
    """A value of a parameter unlike every value it is compared with."""

    def __init__(self, parameter: str):
        self.parameter = parameter


def possible(assignments: list[dict[str, bool]], template: Mapping[str, Any], given: Mapping[str, str],
             pseudo: Callable[[str], str | None]) -> list[dict[str, bool]]:
    """The ``assignments`` some parameter values make true; all of them when none is (a
    resource whose own Condition never holds is still checked) or when they cannot be told.
    ``pseudo``: a pseudo parameter's value (``--region``), None when not known."""
    definitions = template.get("Conditions")
    if not isinstance(definitions, dict) or not assignments:
        return assignments
    logic = _Logic(definitions, template.get("Parameters"), given, pseudo)
    names = {name for assignment in assignments for name in assignment}
    valuations = logic.valuations(names)
    if valuations is None:
        return assignments
    kept = [assignment for assignment in assignments
            if any(all(logic.holds(name, valuation) in (value, None) for name, value in assignment.items())
                   for valuation in valuations)]
    return kept or assignments


class _Logic:
    def __init__(self, definitions: Mapping[str, Any], parameters: Any, given: Mapping[str, str],
                 pseudo: Callable[[str], Any]):
        self.definitions = definitions
        self.parameters = parameters if isinstance(parameters, dict) else {}
        self.given = given
        self.pseudo = pseudo
        #: the literal values each parameter is compared with
        self.literals: dict[str, set] = {}

    def valuations(self, names: set[str]) -> list[dict[str, Any]] | None:
        """Every combination of the values tried for the parameters these conditions compare;
        None when there are too many."""
        for name in names:
            self._compared(self.definitions.get(name), self.literals, 0)
        choices = [[(parameter, value) for value in self._candidates(parameter, literals)]
                   for parameter, literals in sorted(self.literals.items())]
        count = 1
        for values in choices:
            count *= len(values)
        if count > MAX_VALUATIONS:
            return None
        return [dict(combination) for combination in itertools.product(*choices)]

    def _candidates(self, parameter: str, literals: set) -> list[Any]:
        if parameter in self.given:
            return [self.given[parameter]]
        declared = self.parameters.get(parameter)
        allowed = declared.get("AllowedValues") if isinstance(declared, dict) else None
        if isinstance(allowed, list) and allowed and all(isinstance(v, (str, int, float)) for v in allowed):
            return [_text(v) for v in allowed]
        return [*sorted(literals), _Other(parameter)]

    def _compared(self, node: Any, found: dict[str, set], depth: int) -> None:
        """The parameters that ``Fn::Equals`` compare in ``node`` (through the conditions it
        names), each with the literal values it is compared with."""
        if depth > MAX_DEPTH or not isinstance(node, (dict, list)):
            return
        if isinstance(node, list):
            for item in node:
                self._compared(item, found, depth + 1)
            return
        if len(node) == 1 and isinstance(node.get("Condition"), str):
            self._compared(self.definitions.get(node["Condition"]), found, depth + 1)
            return
        pair = node.get("Fn::Equals")
        if len(node) == 1 and isinstance(pair, list) and len(pair) == 2:
            refs = [_parameter_ref(side, self.parameters) for side in pair]
            for index, ref in enumerate(refs):
                if ref is not None:
                    other = pair[1 - index]
                    literals = found.setdefault(ref, set())
                    if isinstance(other, (str, int, float)) and not isinstance(other, bool):
                        literals.add(_text(other))
            return
        for item in node.values():
            self._compared(item, found, depth + 1)

    def holds(self, name: str, valuation: Mapping[str, Any], depth: int = 0) -> bool | None:
        """The condition's value under ``valuation``; None when it cannot be told here."""
        if depth > MAX_DEPTH:
            return None
        return self._truth(self.definitions.get(name), valuation, depth + 1)

    def _truth(self, node: Any, valuation: Mapping[str, Any], depth: int) -> bool | None:
        if not (isinstance(node, dict) and len(node) == 1) or depth > MAX_DEPTH:
            return None
        (key, argument), = node.items()
        if key == "Condition" and isinstance(argument, str):
            return self.holds(argument, valuation, depth)
        if not isinstance(argument, list):
            return None
        if key == "Fn::Equals" and len(argument) == 2:
            return self._equal(*(self._value(side, valuation) for side in argument))
        parts = [self._truth(item, valuation, depth + 1) for item in argument]
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
            return True if left.parameter == right.parameter else None
        if isinstance(right, _Other):
            left, right = right, left
        if isinstance(left, _Other):  # unlike the values its parameter is compared with
            return False if right in self.literals.get(left.parameter, ()) else None
        return left == right

    def _value(self, node: Any, valuation: Mapping[str, Any]) -> Any:
        """A compared value: text, an _Other, or None when not known here."""
        if isinstance(node, (str, int, float)) and not isinstance(node, bool):
            return _text(node)
        ref = _parameter_ref(node, self.parameters)
        if ref is not None:
            return valuation.get(ref)
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        if isinstance(name, str) and name.startswith("AWS::"):
            return self.pseudo(name)
        return None  # a parameter not declared, a resource, an intrinsic: not known here


def _parameter_ref(node: Any, parameters: Mapping[str, Any]) -> str | None:
    if isinstance(node, dict) and len(node) == 1 and node.get("Ref") in parameters:
        return node["Ref"]
    return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)
