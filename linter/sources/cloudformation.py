"""Campaigns from CloudFormation templates (plain, SAM, ``cdk synth`` output).

Every ``AWS::ConnectCampaignsV2::Campaign`` resource becomes a campaign in the API's
shape, so that every rule runs on it unchanged:

1. intrinsic functions are resolved where their value is known (``Ref`` to a parameter's
   default or to a ``--parameter``, ``Fn::Sub``/``Fn::Join``/``Fn::Select``/``Fn::Split``/
   ``Fn::FindInMap`` of known values, pseudo parameters with ``--region``); every other
   value is :class:`Unknown`, and no finding is reported about an unknown value;
   ``Fn::If`` gives one variant of the campaign per branch, ``AWS::NoValue`` removes;
2. the resource's ``Properties`` are checked against the CloudFormation registry schema
   of the type (vendored in ``data/``), in CloudFormation's terms (CC101-CC108);
3. the properties are mapped to the API's shape (``DailyHours`` list -> day map, ``Tags``
   list -> map, ``ProgressiveConfig`` -> ``progressive``, ...), keeping for every API
   value the template pointer it came from, so findings point at the template's
   line:col and carry a JSON pointer into the template.

Terraform's awscc provider has the same schema in snake_case: ``terraform.py`` turns a
plan's values into the CloudFormation shape and reuses everything here.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
import functools
import itertools
import json
import re
from ..record import record, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..model import (UNKNOWN_MARK, Campaign, CampaignRef, Finding, Origin, nearest_in, pointer_ancestors, pointer_join,
                     pointer_parts, quote)
from .watched import Reads, ReadSoFar, unknown_values, watched

CAMPAIGN_TYPE = "AWS::ConnectCampaignsV2::Campaign"
SCHEMA_FILE = "aws-connectcampaignsv2-campaign.json"
#: at most this many distinct Fn::If conditions per resource are checked branch by branch
#: (2**n variants); the Fn::If of further conditions are unknown values
MAX_CONDITIONS = 3
METADATA_KEY = "campaign-lint"
#: the rules that report structural_errors(): unknown values are sorted out there
STRUCTURAL = frozenset(f"CC10{n}" for n in range(1, 10))

#: short-form YAML tags and the key of their long form
_SHORT_FORMS = {"!Ref": "Ref", "!Condition": "Condition"} | {
    f"!{name}": f"Fn::{name}" for name in (
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue",
        "Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform")}


def tag_key(tag: str) -> str | None:
    """The long-form key of a CloudFormation short-form tag (``!Ref`` -> ``Ref``)."""
    return _SHORT_FORMS.get(tag)


# --- unknown values ------------------------------------------------------------------


class Unknown(str):
    """A value the linter cannot know: an intrinsic function it does not evaluate, a
    parameter without a default, a value known only after apply.

    It is a string no rule can mistake for a real one (each unknown is distinct, so two never
    look like the same name or queue): a rule that asks "is it set?" sees it set, a rule that
    parses it finds it malformed at its own pointer, and the source drops every finding about
    an unknown value (see MappedCampaign.hidden)."""

    why: str
    #: what it is although its value is not known: "string" (Fn::Sub, a String parameter),
    #: "list" (a CommaDelimitedList parameter), or None (anything: Fn::GetAtt, a resource's Ref)
    kind: str | None

    def __new__(cls, why: str, kind: str | None = None) -> "Unknown":
        value = super().__new__(cls, f"{UNKNOWN_MARK}{next(_UNKNOWN_IDS)}: {why}\u2047")
        value.why = why
        value.kind = kind
        return value


_UNKNOWN_IDS = itertools.count(1)
_NO_VALUE = object()  # AWS::NoValue: the property is removed


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or key.startswith("Fn::") or key == "Condition"


# --- templates and resources ----------------------------------------------------------


def campaign_resources(document: Any) -> list[tuple[str, dict]]:
    """``(logical id, resource)`` of each campaign resource of a template, else ``[]``."""
    resources = document.get("Resources") if isinstance(document, dict) else None
    if not isinstance(resources, dict):
        return []
    return [(name, resource) for name, resource in resources.items()
            if isinstance(resource, dict) and resource.get("Type") == CAMPAIGN_TYPE]


def for_each_blocks(document: Any) -> list[str]:
    """The ``Fn::ForEach::Name`` entries of Resources (AWS::LanguageExtensions) whose fragment
    holds a campaign resource: they are expanded (or said not to be), never skipped."""
    resources = document.get("Resources") if isinstance(document, dict) else None
    if not isinstance(resources, dict):
        return []
    return [name for name, block in resources.items()
            if isinstance(name, str) and name.startswith("Fn::ForEach::") and _holds_campaign(block)]


def _holds_campaign(block: Any, depth: int = 0) -> bool:
    """Whether an ``Fn::ForEach`` loop ``[identifier, collection, fragment]`` makes a campaign
    resource: a value of its fragment is one, or is a loop that makes one. Only fragments are
    read (a collection can be long, a resource's Properties large); a malformed loop is read
    whole, to be said not to be expanded."""
    if depth > 20:  # nested loops of loops: far past any real template
        return False
    if not (isinstance(block, list) and len(block) == 3 and isinstance(block[2], dict)):
        return _mentions_campaign(block)
    return any(isinstance(item, dict) and item.get("Type") == CAMPAIGN_TYPE
               or isinstance(key, str) and key.startswith("Fn::ForEach::") and _holds_campaign(item, depth + 1)
               for key, item in block[2].items())


def _mentions_campaign(value: Any) -> bool:
    return any(isinstance(node, dict) and node.get("Type") == CAMPAIGN_TYPE for node in _walk(value))


def _walk(value: Any) -> Iterator[Any]:
    """``value`` and every value inside it, without recursion (nesting is the author's)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def is_template(document: Any) -> bool:
    return bool(campaign_resources(document)) or bool(for_each_blocks(document))


@record
class TemplateOptions:
    """What a deploy would decide: parameter values and the region."""

    parameters: dict[str, str] = field(default_factory=dict)
    region: str | None = None


def read_parameters_file(path: str) -> dict[str, str]:
    """Parameter values from a file in either CloudFormation format:
    ``[{"ParameterKey": K, "ParameterValue": V}]`` or ``{"Parameters": {K: V}}``."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise ValueError(f"{path}: cannot read the parameters file: {error.strerror}") from None
    except ValueError as error:
        raise ValueError(f"{path}: not JSON ({error})") from None
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        return {str(k): _parameter_text(v, path, k) for k, v in data["Parameters"].items()}
    if isinstance(data, list) and all(isinstance(i, dict) and "ParameterKey" in i for i in data):
        return {str(i["ParameterKey"]): _parameter_text(i.get("ParameterValue", ""), path, i["ParameterKey"])
                for i in data if not i.get("UsePreviousValue")}
    raise ValueError(f'{path}: expected [{{"ParameterKey": ..., "ParameterValue": ...}}] or '
                     '{"Parameters": {...}}')


def _parameter_text(value: Any, path: str, key: Any) -> str:
    """A parameter value as CloudFormation takes it: text (a number or boolean as written,
    a list of such as a comma-separated list); anything else is a mistake in the file."""
    scalar = (str, int, float, bool)
    if isinstance(value, list) and all(isinstance(v, scalar) for v in value):
        return ",".join(_text(v) if not isinstance(v, bool) else json.dumps(v) for v in value)
    if isinstance(value, scalar):
        return value if isinstance(value, str) else json.dumps(value)
    raise ValueError(f"{path}: the value of parameter {quote(str(key), 60)} must be text, "
                     f"not {quote(json.dumps(value), 60)}")


def parse_parameter(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` from the command line."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"--parameter {text!r}: write KEY=VALUE")
    return key.strip(), value


# --- intrinsic functions ------------------------------------------------------------------


@record
class Resolved:
    """A resolved value with, for every pointer in it, the template pointer it came from."""

    value: Any = None
    sources: dict[str, str] = field(default_factory=dict)
    #: resolved pointers whose value is unknown
    unknown: set[str] = field(default_factory=set)
    #: resolved pointer -> how a value was chosen ("with the default of parameter X")
    notes: dict[str, str] = field(default_factory=dict)


_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")
_PARTITIONS = (("cn-", "aws-cn", "amazonaws.com.cn"), ("us-gov-", "aws-us-gov", "amazonaws.com"),
               ("us-iso-", "aws-iso", "c2s.ic.gov"), ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"))


class Resolver:
    """Evaluates the intrinsic functions whose value a deploy would know in advance."""

    def __init__(self, template: Mapping[str, Any], options: TemplateOptions,
                 conditions: Mapping[str, bool], loop_values: Mapping[str, str] | None = None):
        parameters = template.get("Parameters")
        self.parameters = parameters if isinstance(parameters, dict) else {}
        mappings = template.get("Mappings")
        self.mappings = mappings if isinstance(mappings, dict) else {}
        resources = template.get("Resources")
        self.resources = resources if isinstance(resources, dict) else {}
        self.options = options
        self.conditions = conditions
        #: the identifiers of the Fn::ForEach loops around the resource, and their values
        self.loop_values = dict(loop_values or {})
        #: how the values of the intrinsic being evaluated were chosen
        self.pending: list[str] = []

    def resolve(self, value: Any, source: str, out: str, result: Resolved) -> Any:
        result.sources[out] = source
        if is_intrinsic(value):
            (key, argument), = value.items()
            resolved = self._intrinsic(key, argument, pointer_join(source, key), out, result)
            if isinstance(resolved, Unknown):
                result.unknown.add(out)
            return resolved
        if isinstance(value, dict):
            mapped = {}
            for key, item in value.items():
                child = self.resolve(item, pointer_join(source, key), pointer_join(out, key), result)
                if child is not _NO_VALUE:
                    mapped[key] = child
            return mapped
        if isinstance(value, list):
            items: list = []
            for index, item in enumerate(value):
                child = self.resolve(item, pointer_join(source, index),
                                     pointer_join(out, len(items)), result)
                if child is not _NO_VALUE:
                    items.append(child)
            return items
        return value

    def _argument(self, value: Any, source: str) -> Any:
        """An intrinsic's argument, resolved (the parameters it used stay pending)."""
        scratch = Resolved()
        resolved = self.resolve(value, source, "", scratch)
        return Unknown("a value computed from an unknown one") if scratch.unknown else resolved

    def _intrinsic(self, key: str, argument: Any, source: str, out: str, result: Resolved) -> Any:
        outer, self.pending = self.pending, []
        value = self._evaluate(key, argument, source, out, result)
        used, self.pending = self.pending, outer
        if used and not isinstance(value, Unknown):
            result.notes[out] = "; ".join(dict.fromkeys(used))
            self.pending.extend(used)
        return value

    def _evaluate(self, key: str, argument: Any, source: str, out: str, result: Resolved) -> Any:
        if key == "Ref":
            return self._ref(argument)
        if key == "Fn::If":
            return self._if(argument, source, out, result)
        if key == "Fn::Sub":
            return self._sub(argument, source)
        if key == "Fn::Join":
            argument = self._argument(argument, source)
            if (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)
                    and isinstance(argument[1], list)
                    and all(isinstance(i, (str, int, float)) and not isinstance(i, bool)
                            for i in argument[1])):
                texts = [_text(i) for i in argument[1]]
                if sum(map(len, texts)) + len(argument[0]) * len(texts) > MAX_COMPUTED_TEXT:
                    return _too_long("Fn::Join")
                return argument[0].join(texts)
        elif key == "Fn::Select":
            argument = self._argument(argument, source)
            if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
                index = _whole(argument[0])
                if index is not None and 0 <= index < len(argument[1]):
                    return argument[1][index]
        elif key == "Fn::Split":
            argument = self._argument(argument, source)
            if (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)
                    and argument[0] and isinstance(argument[1], str)):
                return argument[1].split(argument[0])
        elif key == "Fn::FindInMap":
            argument = self._argument(argument, source)
            if isinstance(argument, list) and len(argument) >= 3 and all(
                    isinstance(a, str) for a in argument[:3]):
                found = self.mappings.get(argument[0])
                for part in argument[1:3]:
                    found = found.get(part) if isinstance(found, dict) else None
                if found is not None and not is_intrinsic(found):
                    return found
        return Unknown(f"{key} value", _STRING_RESULTS.get(key))

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref value")
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name.startswith("AWS::"):
            return self._pseudo(name)
        if name in self.loop_values:  # a loop's identifier hides a parameter of its name
            self.pending.append(f"with {name} = {quote(self.loop_values[name])}")
            return self.loop_values[name]
        declared = self.parameters.get(name)
        if isinstance(declared, dict) and str(declared.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            # Default names the SSM parameter; Value<String> is a string, Value<List<...>> a list
            return Unknown(f"parameter {name}, read from SSM at deploy", _parameter_kind(declared))
        if isinstance(declared, dict) and str(declared.get("NoEcho", "")).lower() == "true":
            return Unknown(f"parameter {name}, NoEcho", _parameter_kind(declared))  # never shown
        if name in self.options.parameters and name in self.parameters:  # never a resource's Ref
            self.pending.append(f"with parameter {name} as given")
            return self._typed(name, self.options.parameters[name])
        if isinstance(declared, dict) and "Default" in declared and not is_intrinsic(declared["Default"]):
            self.pending.append(f"with the default of parameter {name}")
            return self._typed(name, declared["Default"])
        if name in self.parameters:
            return Unknown(f"parameter {name}", _parameter_kind(declared))
        return Unknown(f"Ref {name}")  # a resource's: its type is not read (as for cfn-lint)

    def _typed(self, name: str, value: Any) -> Any:
        """A parameter value as a property sees it: lists split, numbers as numbers."""
        declared = self.parameters.get(name)
        kind = str(declared.get("Type", "String")) if isinstance(declared, dict) else "String"
        if isinstance(value, list):
            value = ",".join(_text(v) for v in value)
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            return [part.strip() for part in _text(value).split(",")]
        if kind == "Number":
            return _number(value)
        return _text(value)  # a String parameter is text, even with Default: 12345

    def _pseudo(self, name: str) -> Any:
        region = self.options.region
        if region is None:
            return Unknown(name, _PSEUDO_KINDS.get(name))
        partition, suffix = next(((p, s) for prefix, p, s in _PARTITIONS if region.startswith(prefix)),
                                 ("aws", "amazonaws.com"))
        return {"AWS::Region": region, "AWS::Partition": partition,
                "AWS::URLSuffix": suffix}.get(name, Unknown(name, _PSEUDO_KINDS.get(name)))

    def _if(self, argument: Any, source: str, out: str, result: Resolved) -> Any:
        if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)):
            return Unknown("Fn::If value")
        if argument[0] not in self.conditions:
            return Unknown(f"Fn::If on condition {argument[0]}")
        branch = 1 if self.conditions[argument[0]] else 2
        return self.resolve(argument[branch], pointer_join(source, branch), out, result)

    def _sub(self, argument: Any, source: str) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            text = argument[0]
            for name, value in argument[1].items():
                variables[name] = self._argument(value, pointer_join(source, 1, name))
        else:
            text = argument
        if not isinstance(text, str):
            return Unknown("Fn::Sub value")  # malformed: what it would give is not known
        try:
            text = substitute_loop_values(text, self.loop_values)
        except _TooLong:
            return _too_long("Fn::Sub")

        length = len(text)

        def value_of(match: re.Match) -> str:
            nonlocal length
            name = match.group(1).strip()
            if name in variables:
                value = variables[name]
            elif "." in name:
                value = Unknown(f"Fn::GetAtt {name}")
            else:
                value = self._ref(name)
            if isinstance(value, Unknown) or not isinstance(value, (str, int, float)):
                raise _NotKnown
            value = _text(value)
            length += len(value)
            if length > MAX_COMPUTED_TEXT:
                raise _TooLong
            return value

        try:
            return _SUB_VARIABLE.sub(value_of, text).replace("${!", "${")
        except _NotKnown:
            return Unknown("Fn::Sub value", "string")
        except _TooLong:
            return _too_long("Fn::Sub")


class _TooLong(Exception):
    pass


#: the longest text an intrinsic function is evaluated to (nested Fn::Sub multiply lengths:
#: three levels of 300 references make billions of characters from a 4 KB template)
MAX_COMPUTED_TEXT = 1_000_000


def _too_long(function: str) -> Unknown:
    return Unknown(f"{function} value longer than {MAX_COMPUTED_TEXT:,} characters", "string")


class _NotKnown(Exception):
    pass


#: intrinsic functions that give a string whatever their arguments
_STRING_RESULTS = {"Fn::Sub": "string", "Fn::Join": "string", "Fn::ImportValue": "string",
                   "Fn::Base64": "string"}


#: the pseudo parameters, and what each gives: all strings but the list of notification ARNs
_PSEUDO_KINDS = {"AWS::AccountId": "string", "AWS::NotificationARNs": "list", "AWS::Partition": "string",
                 "AWS::Region": "string", "AWS::StackId": "string", "AWS::StackName": "string",
                 "AWS::URLSuffix": "string"}


def _parameter_kind(declared: Any) -> str | None:
    """What a Ref to a declared parameter gives: a list for list types (an SSM parameter's
    Value<List<...>> or Value<CommaDelimitedList> too), else a string (numbers too); None for
    a malformed declaration."""
    kind = declared.get("Type") if isinstance(declared, dict) else None
    if not isinstance(kind, str):
        return None
    return "list" if "CommaDelimitedList" in kind or "List<" in kind else "string"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value)


def _whole(value: Any) -> int | None:
    try:
        return int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _number(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return float(value)
        except (TypeError, ValueError):
            return value


def conditions_used(value: Any) -> list[str]:
    """Condition names of the Fn::If in a value, in order of first use."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            argument = node.get("Fn::If")
            if len(node) == 1 and isinstance(argument, list) and argument and isinstance(argument[0], str):
                found.append(argument[0])
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(value)
    return list(dict.fromkeys(found))


def variants(names: list[str], fixed: Mapping[str, bool] | None = None) -> list[dict[str, bool]]:
    """Every true/false assignment of the first MAX_CONDITIONS condition names; the ``fixed``
    ones (a resource's own Condition: it exists only where that is true) keep their value."""
    fixed = dict(fixed or {})
    checked = [name for name in names if name not in fixed][:MAX_CONDITIONS]
    return [{**fixed, **dict(zip(checked, values, strict=True))}
            for values in itertools.product((True, False), repeat=len(checked))]


def _resource_condition(resource: Mapping[str, Any]) -> dict[str, bool]:
    """``{name: True}`` for a resource with ``Condition: name``: only then is it deployed."""
    condition = resource.get("Condition")
    return {condition: True} if isinstance(condition, str) else {}


# --- the CloudFormation registry schema ------------------------------------------------


@functools.lru_cache(maxsize=None)
def registry_schema() -> dict:
    """The vendored CloudFormation resource schema of the campaign type."""
    from importlib.resources import files

    text = files("campaign_lint").joinpath("data", SCHEMA_FILE).read_text(encoding="utf-8")
    schema = json.loads(text)
    schema.pop("$comment", None)
    return schema


@functools.lru_cache(maxsize=None)
def inlined_schema() -> dict:
    """The registry schema with every local ``$ref`` replaced by its definition (marked with
    ``x-definition``: its name): validation then never looks a reference up, which is most
    of jsonschema's time on this schema. A cycle (none today) would be left as a ``$ref``."""
    schema = registry_schema()

    def inline(node: Any, stack: tuple) -> Any:
        if isinstance(node, list):
            return [inline(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/definitions/"):
            name = reference.rsplit("/", 1)[1]
            if name not in stack and name in schema.get("definitions", {}):
                inlined = inline(schema["definitions"][name], stack + (name,))
                return {**inlined, **{k: v for k, v in node.items() if k != "$ref"}, "x-definition": name}
        return {key: inline(value, stack) for key, value in node.items()}

    return {**inline({k: v for k, v in schema.items() if k != "definitions"}, ()),
            "definitions": schema.get("definitions", {})}


def definition(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """A node of the inlined schema (a ``$ref`` left by a cycle is followed)."""
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 20:
        parts = pointer_parts(schema["$ref"].lstrip("#"))
        node: Any = registry_schema()
        for part in parts:
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        schema, seen = node, seen + 1
    return schema if isinstance(schema, Mapping) else {}



@functools.lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> re.Pattern | None:
    """A registry pattern compiled for Python's ``re``, read as ECMA-262 reads it
    (:func:`~campaign_lint.schema.ascii_digits`: ``\\d`` is 0-9, ``[\\w-.]`` holds a literal
    ``-``); None (the pattern is skipped) when it does not compile."""
    try:
        return re.compile(_python_reading(pattern))
    except re.error:
        return None


_LINE_TERMINATOR = re.compile("[\n\r\u2028\u2029]")
#: what ECMA-262's ``.`` matches: anything but a line terminator (Python's also matches \r)
_ECMA_DOT = "[^\\n\\r\\u2028\\u2029]"


def _python_reading(pattern: str) -> str:
    """A registry pattern (ECMA-262) for Python's ``re``: ``\\d`` and ``\\w`` ASCII, ``.`` no line
    terminator, ``$`` the end of the text (Python's also matches before a final line break)."""
    from ..schema import ascii_digits, pattern_parts

    out = []
    for part, in_class in pattern_parts(ascii_digits(pattern)):
        if part == "\\w":
            part = "A-Za-z0-9_" if in_class else "[A-Za-z0-9_]"
        elif part == "." and not in_class:
            part = _ECMA_DOT
        elif part == "$" and not in_class:
            part = "\\Z"
        out.append(part)
    return "".join(out)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not isinstance(instance, str):
        return
    compiled = compile_pattern(pattern)
    if compiled is not None and not compiled.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _type(validator: Any, types: Any, instance: Any, schema: dict) -> Iterator[Any]:
    """Draft 7's ``type``, but an unknown value is of the type its intrinsic is known to
    give (a Ref to a String parameter is a string, never an object), or of any type."""
    from jsonschema import Draft7Validator, ValidationError

    if not isinstance(instance, Unknown):
        yield from Draft7Validator.VALIDATORS["type"](validator, types, instance, schema)
        return
    wanted = types if isinstance(types, list) else [types]
    if instance.kind == "list" and "array" not in wanted:
        yield ValidationError("a list")
    elif instance.kind == "string" and set(wanted) <= {"object", "array"}:
        yield ValidationError("a string")


@functools.lru_cache(maxsize=None)
def _registry_validator() -> Any:
    from jsonschema import Draft7Validator, validators

    cls = validators.extend(Draft7Validator, {"pattern": _pattern, "type": _type})
    return cls(inlined_schema())


@record(frozen=True)
class CfnError:
    """A structural defect in CloudFormation terms, at a pointer into the resolved
    Properties (``""`` is Properties itself)."""

    kind: str
    pointer: str
    message: str
    at_key: bool = False
    #: about an unknown value whose type is known to be wrong: reported all the same
    known: bool = False


def check_properties(properties: Any) -> list[CfnError]:
    """Every defect of a resource's Properties against the registry schema."""
    from ..schema import did_you_mean

    if isinstance(properties, Unknown):
        if properties.kind is None:
            return []  # an intrinsic of any type (Fn::Transform, Fn::GetAtt): nothing can be said
        # a Ref to a String or list parameter, an Fn::Sub: never an object
        return [CfnError("wrong-type", "", f"Properties must be an object holding at least Name and "
                         f"ConnectInstanceId; {properties.why} is a {properties.kind}", known=True)]
    if not isinstance(properties, dict):
        kind, what = (("missing-field", "missing") if properties is None
                      else ("wrong-type", f"not an object ({_kind(properties)})"))
        return [CfnError(kind, "", f"Properties is {what}; it must be an object holding "
                         "at least Name and ConnectInstanceId")]
    errors: list[CfnError] = []
    for error in _registry_validator().iter_errors(properties):
        errors.extend(_cfn_errors(error, did_you_mean))
    return sorted(set(errors), key=lambda e: (e.pointer, e.kind, e.message))


def _kind(value: Any) -> str:
    from ..schema import type_name

    return type_name(value)


def _label(path: list) -> str:
    for index in range(len(path) - 1, -1, -1):
        if isinstance(path[index], str):
            return str(path[index]) + "".join(f"[{p}]" for p in path[index + 1:])
    return "Properties" if not path else f"item[{path[-1]}]"


#: definitions whose CloudFormation pattern refuses only what the API model's shape of that name
#: refuses too (equal, or looser: InstanceId), so that shape's words are true of it. Not
#: EmailAddress: CloudFormation's allows only 2-4 letter top-level domains. Arn's (^arn:.*$)
#: also refuses a line break the API shape allows: words only for a value not beginning arn:.
WORDED_PATTERNS = frozenset({"Iso8601Time", "Iso8601Date", "Iso8601Duration", "TimeZone", "InstanceId", "Arn"})


def _cfn_errors(error: Any, did_you_mean: Callable[[str, list], str]) -> Iterator[CfnError]:
    path = list(error.absolute_path)
    pointer = pointer_join("", *path)
    keyword, value, schema = error.validator, error.instance, error.schema
    label = _label(path)
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        for key in value:
            if key not in known:
                yield CfnError("unknown-field", pointer_join(pointer, key),
                               f"unknown property {quote(key)} in {label}{did_you_mean(key, known)}",
                               at_key=True)
    elif keyword == "required" and isinstance(value, dict):
        for name in error.validator_value:
            if name not in value:
                yield CfnError("missing-field", pointer, f"{label} is missing the required property "
                               f"{quote(name)}")
    elif keyword in ("oneOf", "anyOf") and isinstance(value, dict):
        members = [m for option in error.validator_value for m in option.get("required", [])]
        present = [m for m in members if m in value]
        how = "exactly one" if keyword == "oneOf" else "at least one"
        setting = (f"sets {len(present)} of its members ({', '.join(present)})" if present
                   else "sets none of its members")
        yield CfnError("union-conflict", pointer,
                       f"{label} {setting}; set {how} of: {', '.join(members)}")
    elif keyword == "type":
        from ..schema import _TYPE_WORDS

        wanted = error.validator_value
        words = (" or ".join(_TYPE_WORDS.get(w, w) for w in wanted) if isinstance(wanted, list)
                 else _TYPE_WORDS.get(wanted, wanted))
        if isinstance(value, Unknown):
            yield CfnError("wrong-type", pointer, f"{label} must be {words}; {value.why} is {error.message}",
                           known=True)
            return
        yield CfnError("wrong-type", pointer, f"{label} must be {words}, not {_kind(value)} ({quote(value)})")
    elif keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        yield CfnError("not-allowed-value", pointer, f"{label} {quote(value)} is not one of "
                       f"{', '.join(allowed)}{did_you_mean(str(value), allowed)}")
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        side = "below the minimum" if "inimum" in keyword else "above the maximum"
        yield CfnError("out-of-range", pointer, f"{label} {quote(value)} is {side} {error.validator_value}")
    elif keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        unit = "characters" if isinstance(value, str) else "items"
        limit = "at least" if keyword.startswith("min") else "at most"
        yield CfnError("bad-length", pointer,
                       f"{label} has {len(value)} {unit}; it must have {limit} {error.validator_value}")
    elif keyword == "pattern":
        shape = schema.get("x-definition")
        if shape == "Arn" and isinstance(value, str) and value.startswith("arn:"):
            cut = _LINE_TERMINATOR.search(value)
            before = value[:cut.start()] if cut else value
            yield CfnError("bad-format", pointer, f"{label} holds a line break after "
                           f"{quote(before[-40:])}, which the format {error.validator_value} refuses: "
                           "write the ARN on one line")
            return
        if shape not in WORDED_PATTERNS:
            yield CfnError("bad-format", pointer,
                           f"{label} {quote(value)} does not match the format {error.validator_value}")
            return
        from ..schema import _format_error

        # the API layer's words for its shape of that name (a real zone the format refuses,
        # or no finding where CC309 names the zone meant), found by the API's member names
        api_path = [api_name(part) if isinstance(part, str) else part for part in path]
        worded = _format_error({"x-shape": shape}, label, value, pointer, False, "CloudFormation", api_path)
        if worded is not None:
            yield CfnError("bad-format", pointer, worded.message)
    elif keyword == "uniqueItems":
        yield CfnError("not-allowed-value", pointer,
                       f"{label} holds the same item twice; CloudFormation rejects repeated items")
    elif keyword not in ("oneOf", "anyOf", "required", "additionalProperties"):
        yield CfnError("wrong-type", pointer, f"{label}: {error.message}")


# --- CloudFormation shape -> API shape --------------------------------------------------

#: CloudFormation property names whose API name is not the property with a lower-case first letter
RENAMED = {"ProgressiveConfig": "progressive", "PredictiveConfig": "predictive",
           "PreviewConfig": "preview", "AgentlessConfig": "agentless",
           "AllChannelsSubtypes": "allChannelSubtypes",
           "CommunicationLimitList": "communicationLimitsList"}


def api_name(cfn_name: str) -> str:
    return RENAMED.get(cfn_name) or cfn_name[:1].lower() + cfn_name[1:]


@functools.lru_cache(maxsize=None)
def cfn_names() -> dict[str, str]:
    """API member name -> CloudFormation property name, over the whole registry schema."""
    names: dict[str, str] = {}
    schema = registry_schema()
    for node in [schema, *schema.get("definitions", {}).values()]:
        for name in node.get("properties", {}):
            names.setdefault(api_name(name), name)
    return names


@record
class Mapped:
    """The API-shaped campaign and how its pointers lead back to the source."""

    data: dict
    #: API pointer -> resolved CFN pointer (relative to Properties)
    cfn: dict[str, str] = field(default_factory=dict)
    #: API pointer of a map key made from a list item -> resolved CFN pointer of its ``Key``
    keys: dict[str, str] = field(default_factory=dict)
    #: API pointers of unknown values; ``opaque`` ones stand for whole objects or lists
    unknown: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)
    #: defects only the mapping sees (a DailyHours item without Key, the same Key twice)
    errors: list[CfnError] = field(default_factory=list)


def to_api(properties: Mapping[str, Any]) -> Mapped:
    """Map resolved CloudFormation Properties to the API's campaign shape."""
    mapped = Mapped({})
    mapped.data = _map_node(properties, inlined_schema(), "", "", mapped)
    return mapped


def _map_node(value: Any, schema: Mapping[str, Any], api: str, cfn: str, mapped: Mapped) -> Any:
    schema = definition(schema)
    mapped.cfn[api] = cfn
    if isinstance(value, Unknown):
        mapped.unknown.add(api)
        if schema.get("type") in ("object", "array"):
            mapped.opaque.add(api)
        return value
    if isinstance(value, list) and schema.get("x-definition") == "DailyHours":
        return _day_map(value, api, cfn, mapped)
    if isinstance(value, list) and cfn == "/Tags":
        return _tag_map(value, api, cfn, mapped)
    if isinstance(value, dict) and "properties" in schema:
        result = {}
        read_only = _read_only() if api == "" else frozenset()
        for key, item in value.items():
            if key in schema["properties"] and key not in read_only:
                name = api_name(key)
                result[name] = _map_node(item, schema["properties"][key], pointer_join(api, name),
                                         pointer_join(cfn, key), mapped)
        return result
    if isinstance(value, list) and "items" in schema:
        return [_map_node(item, schema["items"], pointer_join(api, index), pointer_join(cfn, index), mapped)
                for index, item in enumerate(value)]
    return value


def converted(value: Any, schema: Mapping[str, Any]) -> Any:
    """``value`` with the strings CloudFormation converts to the schema's type made that type
    (``"0.5"`` -> 0.5 for a number, ``"30"`` -> 30 for an integer, ``"true"`` -> True): a
    deploy accepts them, and the rules check the value they stand for. The shape is kept, so
    every pointer stays valid."""
    schema = definition(schema)
    if isinstance(value, dict) and "properties" in schema:
        return {key: converted(item, schema["properties"][key]) if key in schema["properties"] else item
                for key, item in value.items()}
    if isinstance(value, list) and "items" in schema:
        return [converted(item, schema["items"]) for item in value]
    if isinstance(value, str) and not isinstance(value, Unknown):
        return _as_type(value, schema.get("type"))
    return value


def _as_type(text: str, kind: Any) -> Any:
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind in ("number", "integer"):
        number = _number(text.strip())
        if isinstance(number, int) or (kind == "number" and isinstance(number, float)
                                       and number == number and abs(number) != float("inf")):
            return number
    return text


@functools.lru_cache(maxsize=None)
def _read_only() -> frozenset[str]:
    """Properties the service sets (Arn): not part of what a template asks for."""
    return frozenset(p.rsplit("/", 1)[-1] for p in registry_schema().get("readOnlyProperties", []))


def _day_map(items: list, api: str, cfn: str, mapped: Mapped) -> Any:
    """``DailyHours: [{Key: MONDAY, Value: [...]}]`` -> ``{"MONDAY": [...]}``."""
    ranges_schema = inlined_schema()["definitions"]["TimeRangeList"]
    days: dict[str, list] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        item_pointer = pointer_join(cfn, index)
        if isinstance(item, Unknown) or (isinstance(item, dict) and isinstance(item.get("Key"), Unknown)):
            mapped.unknown.add(api)
            mapped.opaque.add(api)
            continue
        if not isinstance(item, dict):
            continue  # wrong type: the registry check reports it
        day, ranges = item.get("Key"), item.get("Value")
        if "Key" not in item:
            mapped.errors.append(CfnError("missing-field", item_pointer, f"DailyHours[{index}] has no Key; "
                                          "name its day (Key: MONDAY)"))
            continue
        if not isinstance(day, str):
            continue
        day_pointer = pointer_join(api, day)
        if day in first:
            mapped.errors.append(CfnError(
                "duplicate-day", pointer_join(item_pointer, "Key"),
                f"DailyHours[{index}] has the Key {quote(day)} of DailyHours[{first[day]}]: "
                "CloudFormation accepts both, the meaning of the two is undefined; "
                "put all of the day's ranges in one item"))
        else:
            first[day] = index
            days[day] = []
            mapped.cfn[day_pointer] = pointer_join(item_pointer, "Value")
            mapped.keys[day_pointer] = pointer_join(item_pointer, "Key")
        if isinstance(ranges, Unknown):
            mapped.unknown.add(day_pointer)
            mapped.opaque.add(day_pointer)
            if days[day] == []:
                days[day] = ranges  # rules are watched reading it (see watched.py)
            continue
        if not isinstance(days[day], list):
            continue  # the day's first Value has the wrong type (reported); this one is CC004
        for position, entry in enumerate(ranges if isinstance(ranges, list) else []):
            at = len(days[day])
            days[day].append(_map_node(entry, ranges_schema["items"], pointer_join(day_pointer, at),
                                       pointer_join(item_pointer, "Value", position), mapped))
        if ranges is not None and not isinstance(ranges, list) and day in days and not days[day]:
            days[day] = ranges  # wrong type: both checks see it where it is
    mapped.cfn[api] = cfn
    return days


def _tag_map(items: list, api: str, cfn: str, mapped: Mapped) -> dict:
    """``Tags: [{Key: k, Value: v}]`` -> ``{"k": "v"}``."""
    from ..suppress import TAG as SUPPRESSION_TAG

    tags: dict[str, Any] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            if isinstance(item, Unknown):
                mapped.unknown.add(api)
            continue
        key, value = item.get("Key"), item.get("Value")
        if isinstance(key, Unknown):
            mapped.unknown.add(api)
        elif isinstance(key, str) and key in first:
            if item != items[first[key]]:  # the same item twice is the registry's uniqueItems
                mapped.errors.append(CfnError(
                    "not-allowed-value", pointer_join(cfn, index, "Key"),
                    f"Tags[{index}] has the Key {quote(key)} of Tags[{first[key]}]; "
                    "CloudFormation refuses a Key given twice"))
        elif key == SUPPRESSION_TAG and isinstance(value, Unknown):
            # codes not known before deploy suppress nothing (nor show up as refused codes)
            mapped.errors.append(CfnError(
                "unknown-suppression", pointer_join(cfn, index, "Value"),
                f"the {SUPPRESSION_TAG} tag's value is not known before deploy ({value.why}): it "
                "suppresses nothing; write the rule ids themselves", known=True))
        elif isinstance(key, str):
            first[key] = index
            tag_pointer = pointer_join(api, key)
            tags[key] = value
            mapped.cfn[tag_pointer] = pointer_join(cfn, index, "Value")
            mapped.keys[tag_pointer] = pointer_join(cfn, index, "Key")
            if isinstance(value, Unknown):
                mapped.unknown.add(tag_pointer)
    return tags


# --- the campaign a template resource becomes ---------------------------------------------


@record(frozen=True)
class SourceOrigin(Origin):
    """Where a mapped campaign came from: ``document_pointer`` is the resource (or plan
    resource), and API pointers lead back to the source through ``api_map``."""

    api_map: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    api_keys: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def source_pointer(self, pointer: str, at_key: bool = False) -> str:
        """The document pointer of an API pointer (or of a document pointer, unchanged)."""
        if pointer.startswith(self.document_pointer + "/"):
            return pointer
        if at_key and pointer in self.api_keys:
            return self.api_keys[pointer]
        return self.api_map.get(nearest_in(pointer, self.api_map), self.document_pointer)

    def locate(self, pointer: str, at_key: bool = False) -> tuple[int, int] | None:
        full = self.source_pointer(pointer, at_key)
        # a map key made from a list item (a day, a tag) is located at its Key's value
        at_key = at_key and pointer not in self.api_keys
        if full.startswith(self.document_pointer):
            return super().locate(full[len(self.document_pointer):], at_key)
        return Origin(positions=self.positions, key_positions=self.key_positions).locate(full, at_key)


def _any_under(pointers: list[str], pointer: str) -> bool:
    """Whether a sorted list holds a pointer below ``pointer``."""
    prefix = pointer + "/"
    at = bisect.bisect_left(pointers, prefix)
    return at < len(pointers) and pointers[at].startswith(prefix)


class MappedCampaign(Campaign):
    """A campaign mapped from a template or plan: rules read its API shape; its findings
    are translated back (pointer, names) and dropped where they are about unknown values."""

    def __init__(self, data: Mapping[str, Any], origin: SourceOrigin, *, label: str,
                 unknown: Iterable[str] = (), opaque: Iterable[str] = (),
                 notes: Mapping[str, str] | None = None, source_errors: Iterable[Any] = (),
                 rename: Callable[[str], str] | None = None, arn: str | None = None,
                 label_is_name: bool = False):
        super().__init__(data, origin, "CreateCampaignRequest")
        self.label = label
        self.unknown = frozenset(unknown)
        self.opaque = frozenset(opaque)
        self.notes = dict(notes or {})
        #: structural errors found in the source's own terms (StructuralError, API or document pointers)
        self.source_errors = list(source_errors)
        self.rename = rename or (lambda name: name)
        self.arn = arn
        #: name findings by the label (a Terraform address) rather than by the campaign's name
        self.label_is_name = label_is_name
        #: name findings by the label (the logical id) although the name is known: copies of one
        #: Fn::ForEach fragment that share a literal Name could not be told apart otherwise
        self.named_by_label = False
        #: where the campaign was mapped from: rules tell it from a create-campaign request file
        self.mapped_from = "Terraform" if label_is_name else "CloudFormation"
        #: the campaign that stands for the resource (the first Fn::If variant)
        self.primary: MappedCampaign = self
        #: ``(rule, message, document pointer)`` the loader reports (CC004 for a day given twice)
        self.loader_findings: list[tuple[str, str, str]] = []
        #: Properties missing or of another type: rules that report an absent member stay silent
        self.not_an_object = False
        #: nothing of the campaign could be read (Properties from Fn::Transform, Fn::GetAtt): it
        #: is reported (CC002) and not counted as checked (for the primary of Fn::If variants:
        #: no branch could be read)
        self.not_read = False
        #: the unknown objects and lists rules are watched reading (True: the value is unknown;
        #: False: a map known in part), and the pointers of those read since the engine emptied
        #: ``touched`` (None when there is nothing to watch)
        self.watched = unknown_values(self.data, self.unknown, lambda value: isinstance(value, Unknown))
        self.touched: Reads | None = None
        if self.watched:
            self.touched = Reads(pointer for pointer, whole in self.watched.items() if not whole)
            self.data = self.raw = watched(self.data, self.watched, self.touched)
        # for hidden(): every unknown value, and those not watched, each as the pointers in order
        # and the first two members of the pointers of the opaque ones among them
        self._every_unknown = self._in_order(self.unknown)
        self._untracked = self._in_order(set(self.unknown) - set(self.watched))

    def _in_order(self, pointers: Iterable[str]) -> tuple[list[str], set[tuple[str, ...]]]:
        """Pointers sorted (for :func:`_any_under`), and the heads of the opaque ones."""
        ordered = sorted(pointers)
        return ordered, {tuple(pointer_parts(p)[:2]) for p in ordered if p in self.opaque}

    # read anew by each rule, a channel at a time, so that what a rule reads of unknown values
    # before each problem it yields is noted (a window not known read after a finding about
    # another channel has no part in it)
    def channel_configs(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        return self._each_channel_config()

    def time_windows(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        return self._each_time_window()

    @property
    def ref(self) -> CampaignRef:
        name = self.data.get("name")
        if self.label_is_name or self.named_by_label or not isinstance(name, str) or isinstance(name, Unknown):
            name = self.label
        return CampaignRef(None, name, self.arn)

    # --- structure: the source's schema first, then the API model for what it does not say ---

    def structural_errors(self) -> list:
        from ..schema import StructuralError, validate

        origin: SourceOrigin = self.origin  # type: ignore[assignment]
        own = [(e, origin.source_pointer(e.pointer, e.at_key)) for e in self.source_errors]
        result = [e for e, _ in own]
        # an error about a whole object or list covers what is inside it, except a repeated
        # item (uniqueItems): the items may have defects of their own
        covering = [seen for e, seen in own if e.kind != "not-allowed-value"]
        for error in validate(self.raw, self.shape):
            if self.hidden(error.pointer, containers=error.kind == "union-conflict"):
                continue
            where = origin.source_pointer(error.pointer, error.at_key or error.kind == "not-allowed-value")
            if any(where == seen for _, seen in own) or any(where.startswith(seen + "/") for seen in covering):
                continue  # one defect, one finding: the source's own check said it
            result.append(StructuralError(error.kind, error.pointer, self.renamed(error.message),
                                          error.at_key))
        return result

    def renamed(self, message: str, prose: bool = False) -> str:
        """An API-worded message in the source's names (``dailyHours`` -> ``DailyHours``).
        Everywhere: camelCase members and channel names, never English words such as "name"
        or "tags" in a sentence. In a structural message (not ``prose``) also the member it
        begins with, the quoted field it names, and the members listed after "one of:"."""
        def names(pattern: str, text: str) -> str:
            return re.sub(pattern, lambda m: self.rename(m.group()), text)

        every_name = r"\b(?:[a-z]+[A-Z][A-Za-z]*|telephony|sms|email)\b"
        any_word = r"\b[a-z][A-Za-z]*\b"
        parts = re.split(r'("(?:[^"\\]|\\.)*")', message)
        for index, part in enumerate(parts):
            if index % 2 == 0:
                head, middle, listed = ("", part, "") if prose else _structural_parts(part, index == 0)
                parts[index] = names(any_word, head) + names(every_name, middle) + names(any_word, listed)
            elif not prose and parts[index - 1].endswith(("field ", "field")):
                parts[index] = quote(self.rename(part[1:-1]))
        return "".join(parts)

    # --- unknown values -------------------------------------------------------------

    def hidden(self, pointer: str, containers: bool = True, reads: ReadSoFar | None = None) -> bool:
        """True for a finding that may be about a value the linter cannot know: the value
        itself (unless its rule handled it, asking ``is_unknown``) or one holding it (not a
        known member of a map known in part, when ``reads`` are known); or (``containers``)
        what its rule had read of unknown values may change it (``reads``); else, for the
        values not watched, an object holding one, or anything near an unknown object or list
        (``opaque``: a rule may have looked for what it holds). Each test looks up the
        pointer's ancestors or a sorted list: never every unknown value for every finding
        (8,000 unknown times took a minute)."""
        for probe in pointer_ancestors(pointer):
            if probe in self.unknown:
                known_member = reads is not None and probe != pointer and self.watched.get(probe) is False
                handled = reads is not None and probe == pointer and pointer in reads.handled
                if not (known_member or handled):
                    return True
        if not containers:
            return False
        if reads is not None and reads.changes(pointer):
            return True
        # the unknown values not watched (all of them when what the rule read is not known)
        candidates, heads = self._untracked if reads is not None else self._every_unknown
        if pointer and _any_under(candidates, pointer):
            return True
        parts = pointer_parts(pointer)
        return bool(heads) and (len(parts) <= 2 or tuple(parts[:2]) in heads)

    def note_for(self, pointer: str) -> str | None:
        notes = sorted({text for at, text in self.notes.items()
                        if at == pointer or at.startswith(pointer + "/") and pointer
                        or pointer.startswith(at + "/")})
        return "; ".join(notes) if notes else None

    def unknown_to(self, finding: Finding, reads: ReadSoFar | None = None) -> bool:
        """Whether a finding may be about a value not known (it is then not reported).
        Structural errors were sorted out in structural_errors()."""
        return finding.rule not in STRUCTURAL and (self.hidden(finding.pointer or "", reads=reads)
                                                   or UNKNOWN_MARK in finding.message)

    def unknown_at(self, pointer: str) -> bool:
        """Whether the value at ``pointer`` (or one holding it) is not known: what a run-wide
        finding naming that value is hidden for (see ``engine._names_unknown``)."""
        return self.hidden(pointer, containers=False)

    def adapt(self, finding: Finding) -> Finding:
        """The engine's finding about this campaign, in the source's terms."""
        pointer = finding.pointer or ""
        origin: SourceOrigin = self.origin  # type: ignore[assignment]
        message = finding.message if finding.rule in STRUCTURAL else self.renamed(finding.message, prose=True)
        note = self.note_for(pointer)
        if note:
            message = f"{message} ({note})"
        return finding.with_(pointer=origin.source_pointer(pointer), message=message,
                             campaign=self.primary.ref)


def _structural_parts(text: str, first: bool) -> tuple[str, str, str]:
    """``(head, middle, listed)`` of a structural message's text: its first word (the member it
    is about, when ``first``), the prose, and the members listed after "one of:"."""
    head = ""
    if first:
        match = re.match(r"\S+", text)
        head, text = (match.group(), text[match.end():]) if match else ("", text)
    at = text.find("one of:")
    if at < 0:
        return head, text, ""
    return head, text[:at + len("one of:")], text[at + len("one of:"):]


def distinct(campaigns: list[Campaign]) -> list[Campaign]:
    """One campaign per real campaign, for the run-wide rules: the first Fn::If variant of a
    resource, and a template/plan campaign only once when an API file describes the same
    campaign (same ARN, or same instance and name when the template has no ARN). A template
    campaign whose instance is unknown is left out: every run-wide rule compares the campaigns
    of one instance, and nothing can be said about which one it joins."""
    primaries = [c for c in campaigns if getattr(c, "primary", c) is c
                 and not isinstance(c.data.get("connectInstanceId"), Unknown)]
    described = [c for c in primaries if not isinstance(c, MappedCampaign)]
    described_arns = {c.ref.arn for c in described if c.ref.arn}
    described_names = {_instance_and_name(c) for c in described} - {None}
    result, seen_arns = [], set()
    for campaign in primaries:
        if isinstance(campaign, MappedCampaign):
            arn = campaign.arn
            if arn and (arn in described_arns or arn in seen_arns):
                continue
            if not arn and _instance_and_name(campaign) in described_names:
                continue
            if arn:
                seen_arns.add(arn)
        result.append(campaign)
    return result


def _first_repeated(values: list[str]) -> str | None:
    """The first value of a list that an earlier item already has, or None."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _other_resources(template: Any, campaigns: list[tuple[str, Any]]) -> frozenset[str]:
    """The logical ids of a template's resources that are neither campaigns nor loops."""
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict):
        return frozenset()
    ids = {key for key in resources if isinstance(key, str) and not key.startswith("Fn::ForEach::")}
    return frozenset(ids - {logical_id for logical_id, _ in campaigns})


def unplaced(campaigns: list[Campaign]) -> list[Campaign]:
    """The template and plan campaigns :func:`distinct` leaves out: their instance is not known
    (each may join any instance's group once it is)."""
    return [c for c in campaigns if isinstance(c, MappedCampaign) and c.primary is c
            and isinstance(c.data.get("connectInstanceId"), Unknown)]


def _instance_and_name(campaign: Campaign) -> tuple[str, str] | None:
    instance, name = campaign.data.get("connectInstanceId"), campaign.data.get("name")
    known = all(isinstance(v, str) and not isinstance(v, Unknown) for v in (instance, name))
    return (instance, name) if known else None


# --- loading a template ---------------------------------------------------------------------


@record
class Loaded:
    campaigns: list[MappedCampaign] = field(default_factory=list)
    #: (rule, message, pointer, campaign) the loader reports itself
    diagnostics: list[tuple[str, str, str, MappedCampaign | None]] = field(default_factory=list)
    #: (codes, pointer, campaign) of ``Metadata: {campaign-lint: {ignore: [...]}}``; codes None:
    #: not written as a list of codes (:data:`MALFORMED_METADATA`)
    ignores: list[tuple[list[str], str, MappedCampaign]] = field(default_factory=list)
    #: Fn::ForEach loops (or their rest) not expanded: each counts as one campaign not checked
    not_expanded: int = 0


def load_template(document: Any, path: str, options: TemplateOptions | None = None) -> Loaded:
    """The campaigns of every campaign resource of a parsed template (a ``Document``), those
    that ``Fn::ForEach`` loops make included."""
    from .conditions import ConditionLogic

    options = options or TemplateOptions()
    logic = ConditionLogic(document.value, options.parameters, lambda name: _known_pseudo(document.value, options, name))
    plain = campaign_resources(document.value)
    loading = _Loading(document, path, options, Loaded(), logic, made={logical_id for logical_id, _ in plain},
                       others=_other_resources(document.value, plain))
    for logical_id, resource in plain:
        _load_resource(loading, logical_id, resource, pointer_join("/Resources", logical_id), {})
    for name in for_each_blocks(document.value):
        pointer = pointer_join("/Resources", name)
        try:
            _expand_loop(loading, name, document.value["Resources"][name], pointer, {})
        except _TooLarge as error:
            loading.loaded.diagnostics.append(("CC002", f"{name}: {error}: the rest are not checked", pointer, None))
            loading.loaded.not_expanded += 1
            break
    _name_loop_copies(loading.loaded.campaigns)
    return loading.loaded


def _name_loop_copies(campaigns: list[MappedCampaign]) -> None:
    """Campaigns that one Fn::ForEach fragment makes with the same literal Name are named by
    their logical ids: by name, their findings (text, baseline key, SARIF fingerprint) would
    be the same line at the same place."""
    logical_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for campaign in campaigns:
        key = _loop_copy_key(campaign)
        if key:
            logical_ids[key].add(campaign.label)
    for campaign in campaigns:
        key = _loop_copy_key(campaign)
        campaign.named_by_label = bool(key) and len(logical_ids[key]) > 1


def _loop_copy_key(campaign: MappedCampaign) -> tuple[str, str] | None:
    """(fragment pointer, literal name) of a campaign an Fn::ForEach loop made, else None."""
    name = campaign.data.get("name")
    pointer = campaign.origin.document_pointer
    if "/Fn::ForEach::" not in pointer or not isinstance(name, str) or isinstance(name, Unknown):
        return None
    return pointer, name


@record
class _Loading:
    """What loading one template carries from resource to resource."""

    document: Any
    path: str
    options: TemplateOptions
    loaded: Loaded
    logic: Any  # conditions.ConditionLogic
    #: logical ids of the campaign resources, plain and loop-made (the transform refuses one
    #: made twice: it is checked once)
    made: set[str]
    #: logical ids of the template's other resources (not campaigns, not loops): a loop that
    #: makes one of them is refused by the transform too
    others: frozenset[str] = frozenset()
    #: loop iterations done so far (past MAX_LOOP_ITERATIONS the loops are not expanded further)
    iterations: int = 0
    #: values of loop collections and fragment keys read so far (see MAX_LOOP_WORK)
    work: int = 0
    #: whether each loop (by id: the document outlives the loading) makes a campaign resource
    holds: dict[int, bool] = field(default_factory=dict)
    #: the CC002 findings said already (a nested loop is met once per outer value)
    said: set[tuple[str, str]] = field(default_factory=set)

    def holds_campaign(self, block: Any) -> bool:
        """:func:`_holds_campaign`, once per loop (a nested loop is met once per outer value)."""
        if id(block) not in self.holds:
            self.holds[id(block)] = _holds_campaign(block)
        return self.holds[id(block)]

    def spend(self, work: int) -> None:
        self.work += work
        if self.work > MAX_LOOP_WORK:
            raise _TooLarge(f"its loops read more than {MAX_LOOP_WORK:,} collection values and fragment keys "
                            "in all (a nested loop once per outer value)")


def _load_resource(loading: _Loading, logical_id: str, resource: Mapping[str, Any], resource_pointer: str,
                   loop_values: Mapping[str, str]) -> None:
    """The campaigns of one campaign resource: one per Fn::If variant."""
    document, options, loaded = loading.document, loading.options, loading.loaded
    properties = resource.get("Properties")
    resource_campaigns = []
    assignments = loading.logic.possible(variants(conditions_used(properties), _resource_condition(resource)))
    for assignment in assignments:
        resolver = Resolver(document.value, options, assignment, loop_values)
        resolved = Resolved()
        value = resolver.resolve(properties, pointer_join(resource_pointer, "Properties"), "", resolved)
        campaign = _campaign(value, resolved, document, loading.path, resource_pointer, logical_id,
                             in_branch=len(assignments) > 1)
        resource_campaigns.append(campaign)
    primary = resource_campaigns[0]
    for campaign in resource_campaigns:
        campaign.primary = primary
    # the resource counts as not checked only when no Fn::If branch of it could be read
    primary.not_read = all(campaign.not_read for campaign in resource_campaigns)
    loaded.campaigns += resource_campaigns
    reported = {f for c in resource_campaigns for f in c.loader_findings}
    loaded.diagnostics += [(rule, message, pointer, primary) for rule, message, pointer in sorted(reported)]
    _metadata_ignores(resource, resource_pointer, primary, loaded)


#: how deeply Fn::ForEach loops may nest (AWS::LanguageExtensions allows 5); how many campaign
#: resources a template may have (CloudFormation's quota of resources per template); how many
#: loop iterations (values of every loop, nested ones once per outer value) are expanded here
MAX_LOOP_DEPTH = 5
MAX_LOOP_RESOURCES = 500
MAX_LOOP_ITERATIONS = 5000
#: values of loop collections and fragment keys read, in all (a nested loop's once per outer
#: value): a 204 KB template whose inner loop had a collection of 100,000 items took 197 s
MAX_LOOP_WORK = 200_000


def _size(value: Any, cap: int) -> int:
    """How many values ``value`` holds (itself included), counted up to ``cap``."""
    return sum(1 for _ in itertools.islice(_walk(value), max(cap, 0)))


def _expand_loop(loading: _Loading, name: str, block: Any, pointer: str, loop_values: Mapping[str, str]) -> None:
    """The campaign resources an ``Fn::ForEach`` loop of Resources makes (AWS::LanguageExtensions):
    its fragment once per value of its collection, ``${Identifier}`` and ``&{Identifier}`` in
    the logical id and in Fn::Sub, and ``Ref: Identifier``, replaced by the value. A loop whose
    collection is not known here (a parameter without a value) is one CC002: not checked."""
    def say(message: str, rule: str = "CC002") -> bool:
        """One finding (a CC002) at the loop, once (a nested loop is met once per outer value)."""
        if (pointer, message) in loading.said:
            return False
        loading.said.add((pointer, message))
        loading.loaded.diagnostics.append((rule, message, pointer, None))
        return True

    def not_checked(why: str) -> None:
        if say(f"campaign resources inside {name} (AWS::LanguageExtensions) are not expanded here ({why}): "
               "they are not checked"):
            loading.loaded.not_expanded += 1

    if not (isinstance(block, list) and len(block) == 3 and isinstance(block[0], str) and block[0]
            and isinstance(block[2], dict)):
        return not_checked("a loop is [identifier, collection, {key: fragment}]")
    if pointer.count("Fn::ForEach::") > MAX_LOOP_DEPTH:
        return not_checked(f"loops nest at most {MAX_LOOP_DEPTH} deep")
    identifier, fragment = block[0], block[2]
    loading.spend(_size(block[1], MAX_LOOP_WORK + 1 - loading.work) + len(fragment))
    collection = Resolver(loading.document.value, loading.options, {}, loop_values)._argument(
        block[1], pointer_join(pointer, 1))
    if isinstance(collection, list):  # as resolved: a !Ref to a list parameter can hold thousands
        loading.spend(len(collection))
    if isinstance(collection, Unknown) or not (isinstance(collection, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in collection)):
        return not_checked("its collection is not a list known here")
    texts = [_text(v) for v in collection]
    repeated = _first_repeated(texts)
    if repeated is not None:  # each value makes its logical ids: a value twice makes them twice
        say(f"{name} lists {quote(repeated)} twice in its collection, so it makes its logical ids a second "
            "time, which the AWS::LanguageExtensions transform refuses, so the stack does not deploy; list each "
            "value once (its campaigns are checked once here)", "CC004")
    for value in dict.fromkeys(texts):
        loading.iterations += 1
        if loading.iterations > MAX_LOOP_ITERATIONS:
            raise _TooLarge(f"its loops take more than {MAX_LOOP_ITERATIONS} iterations in all")
        values = {**loop_values, identifier: value}
        for key, item in fragment.items():
            if not isinstance(key, str):
                continue
            item_pointer = pointer_join(pointer, 2, key)
            if key.startswith("Fn::ForEach::") and loading.holds_campaign(item):
                _expand_loop(loading, key, item, item_pointer, values)
            elif isinstance(item, dict) and item.get("Type") == CAMPAIGN_TYPE:
                try:
                    logical_id = substitute_loop_values(key, values)
                except _TooLong:
                    return not_checked(f"a logical id it makes is longer than {MAX_COMPUTED_TEXT:,} characters")
                if logical_id in loading.made:  # a key of Resources twice: CC004, an error
                    say(f"{name} makes the logical id {quote(logical_id)} a second time, which the "
                        "AWS::LanguageExtensions transform refuses, so the stack does not deploy; give each "
                        "resource a logical id of its own (that campaign is checked once here)", "CC004")
                    continue
                if logical_id in loading.others:  # the campaign is the only one of that id: checked
                    say(f"{name} makes the logical id {quote(logical_id)}, which another resource of the "
                        "template has, and the AWS::LanguageExtensions transform refuses that, so the stack "
                        "does not deploy; give each resource a logical id of its own", "CC004")
                if len(loading.made) >= MAX_LOOP_RESOURCES:  # made: every campaign resource so far
                    raise _TooLarge(f"the template would have more than {MAX_LOOP_RESOURCES} campaign resources, "
                                    "past CloudFormation's quota per template")
                loading.made.add(logical_id)
                _load_resource(loading, logical_id, item, item_pointer, values)


def _known_pseudo(template: Any, options: TemplateOptions, name: str) -> str | None:
    value = Resolver(template, options, {})._pseudo(name)
    return None if isinstance(value, Unknown) or not isinstance(value, str) else value


class _TooLarge(Exception):
    """A template's loops make more than this linter expands (the message says what)."""


def substitute_loop_values(text: str, loop_values: Mapping[str, str]) -> str:
    """``text`` with ``${Identifier}`` of each enclosing loop replaced by its value, and
    ``&{Identifier}`` by its value's letters and digits (as AWS::LanguageExtensions does in
    an OutputKey and in Fn::Sub)."""
    for identifier, value in loop_values.items():
        for placeholder, replacement in ((f"${{{identifier}}}", value), (f"&{{{identifier}}}", None)):
            if placeholder in text:
                replacement = _NOT_ALNUM.sub("", value) if replacement is None else replacement
                if len(text) + text.count(placeholder) * (len(replacement) - len(placeholder)) > MAX_COMPUTED_TEXT:
                    raise _TooLong
                text = text.replace(placeholder, replacement)
    return text


_NOT_ALNUM = re.compile("[^0-9A-Za-z]+")


def _campaign(value: Any, resolved: Resolved, document: Any, path: str, resource_pointer: str,
              label: str, names: Callable[[str], str] | None = None,
              label_is_name: bool = False, in_branch: bool = False,
              not_an_object: str | None = None) -> MappedCampaign:
    """The campaign of one resource's resolved CloudFormation-shaped properties. ``names``
    turns a CloudFormation property name into the source's own (Terraform's snake_case);
    ``in_branch``: it is one Fn::If variant of its resource; ``not_an_object``: the CC103
    message for a known value that is no object (else the registry schema's words)."""
    from ..schema import StructuralError

    names = names or (lambda name: name)
    known = set(cfn_names().values())

    def in_source_terms(message: str) -> str:
        if label_is_name:  # Terraform: a resource's attributes, not CloudFormation's Properties
            message = re.sub(r"\bProperties\b", "the resource", message)
        return re.sub(r"\b[A-Z][A-Za-z]+\b", lambda m: names(m.group()) if m.group() in known else m.group(),
                      message)

    if value is _NO_VALUE:
        value = None  # Properties: !Ref AWS::NoValue (in one branch of an Fn::If)
    value = converted(value, inlined_schema())
    properties = value if isinstance(value, dict) else {}
    mapped = to_api(properties)
    if isinstance(value, Unknown):  # the whole of Properties: nothing can be said
        mapped.unknown.add("")
        mapped.opaque.add("")
    sources = resolved.sources
    api_map = {api: _nearest_source(cfn, sources, resource_pointer) for api, cfn in mapped.cfn.items()}
    api_keys = {api: _nearest_source(cfn, sources, resource_pointer) for api, cfn in mapped.keys.items()}
    inverse = {cfn: api for api, cfn in mapped.cfn.items()}
    errors, duplicates = [], []
    found = check_properties(value)
    if not_an_object is not None and value is not None and not isinstance(value, (dict, Unknown)):
        found = [CfnError("wrong-type", "", not_an_object)]
    for error in _without_unknowns(found + mapped.errors, resolved.unknown):
        pointer = inverse.get(error.pointer) if not error.at_key else None
        if pointer is None:
            pointer = sources.get(error.pointer) or _source_of(error.pointer, sources, resource_pointer)
        if error.kind in _LOADER_RULES:
            duplicates.append((_LOADER_RULES[error.kind], in_source_terms(error.message), pointer))
        else:
            errors.append(StructuralError(error.kind, pointer, in_source_terms(error.message), error.at_key))
    notes = {api: resolved.notes[cfn] for api, cfn in mapped.cfn.items() if cfn in resolved.notes}
    # values without an API place of their own (a day's Key, a malformed item): by source pointer
    notes.update({sources[cfn]: note for cfn, note in resolved.notes.items()
                  if cfn not in inverse and cfn in sources})
    origin = SourceOrigin(path=path, document_pointer=resource_pointer, positions=document.positions,
                          key_positions=document.key_positions, api_map=api_map, api_keys=api_keys)
    campaign = MappedCampaign(mapped.data, origin, label=label, unknown=mapped.unknown,
                              opaque=mapped.opaque, notes=notes, source_errors=errors,
                              rename=lambda name: names(cfn_names().get(name, name)),
                              label_is_name=label_is_name)
    if isinstance(value, Unknown) and value.kind is None:  # AWS::Include, Fn::GetAtt: not read
        root = "values" if label_is_name else "Properties"
        what = "this branch of the campaign" if in_branch else "this campaign"
        duplicates.append(("CC002", f"{root} are not known here ({value.why}): {what} is not checked",
                           pointer_join(resource_pointer, root)))
    campaign.loader_findings = duplicates
    campaign.not_an_object = not isinstance(value, (dict, Unknown))
    campaign.not_read = isinstance(value, Unknown) and value.kind is None
    return campaign


def _nearest_source(pointer: str, sources: Mapping[str, str], fallback: str) -> str:
    """The source pointer of a resolved value; for a part of what an intrinsic gave (an item
    of an Fn::Split), the intrinsic's."""
    return sources.get(nearest_in(pointer, sources), fallback)


#: defects the mapping finds that are no structural error, and their rule
_LOADER_RULES = {"duplicate-day": "CC004", "unknown-suppression": "CC011"}


def _source_of(pointer: str, sources: Mapping[str, str], fallback: str) -> str:
    """The source pointer of a resolved pointer that has none of its own (a missing member):
    its nearest ancestor's, with the rest appended."""
    rest: list[str] = []
    probe = pointer
    while probe not in sources and probe:
        probe, _, tail = probe.rpartition("/")
        rest.insert(0, tail)
    base = sources.get(probe, fallback)
    return base + ("/" + "/".join(rest) if rest else "")


def _without_unknowns(errors: list[CfnError], unknown: set[str]) -> list[CfnError]:
    """Registry errors that are not about an unknown value (nor about the object holding one,
    for the checks that look at an object's members)."""
    ordered = sorted(unknown)

    def about_unknown(error: CfnError) -> bool:
        if any(probe in unknown for probe in pointer_ancestors(error.pointer)):
            return True  # the value or one holding it is unknown
        return error.kind == "union-conflict" and _any_under(ordered, error.pointer)

    return [e for e in errors if e.known or not about_unknown(e)]


#: the CC011 of a Metadata ignore that is not a list of codes
MALFORMED_METADATA = f"Metadata {METADATA_KEY} must be {{ignore: [CC301, ...]}}; this one is ignored"


def _metadata_ignores(resource: Mapping[str, Any], resource_pointer: str, campaign: MappedCampaign,
                      loaded: Loaded) -> None:
    from ..suppress import split_codes

    metadata = resource.get("Metadata")
    settings = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    if settings is None:
        return
    pointer = pointer_join(resource_pointer, "Metadata", METADATA_KEY)
    codes = settings.get("ignore") if isinstance(settings, dict) else None
    if isinstance(codes, str):
        codes = split_codes(codes)
    if not (isinstance(codes, list) and all(isinstance(c, str) for c in codes)):
        # a Metadata ignore all the same (None: no codes): its CC011 only where Metadata is honoured
        loaded.ignores.append((None, pointer, campaign))
        return
    loaded.ignores.append((list(codes), pointer_join(pointer, "ignore"), campaign))  # as written, like tags
