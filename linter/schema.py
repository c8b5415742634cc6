"""The structural check: botocore's service model, as JSON Schema, run by jsonschema.

The model file is read straight from botocore's data folder (no ``import boto3``
or ``import botocore``: they cost a fifth of a second of start-up). Patterns in
the model are matched against the whole value, as the service does.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
import re
from .record import record
from typing import Any, Iterator, Mapping

from .model import pointer_join, quote

SERVICE = "connectcampaignsv2"
#: what botocore puts in a tagged union for a member its model does not know
SDK_UNKNOWN = "SDK_UNKNOWN_MEMBER"
CAMPAIGN_SHAPES = ("Campaign", "CreateCampaignRequest")
#: members any JSON file may have (package.json has a name); they alone do not make a campaign
GENERIC_MEMBERS = frozenset({"id", "arn", "name", "type", "source", "tags"})


#: what a value of each patterned shape must look like, in words with an example: messages
#: never show the model's regular expression
FORMATS = {
    "Iso8601Time": "a clock time THH:MM, e.g. T09:00",
    "Iso8601Date": "a date YYYY-MM-DD, e.g. 2025-12-24",
    # the model's pattern: PnD and TnHnMnS only, so ISO 8601's P1W, P1M, P1Y and PT1.5H are refused
    "Iso8601Duration": "a duration in days, hours, minutes or seconds such as P1D, PT12H or PT30M",
    "EvaluationWindow": "a whole number of hours from PT1H to PT24H, e.g. PT24H",
    "TimeZone": "an IANA zone name of letters, digits, _, - and /, e.g. America/New_York",
    "InstanceId": "an Amazon Connect instance id of letters, digits, -, _ and ., "
                  "e.g. 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
    "CampaignId": "a campaign id of letters, digits, -, : and /",
    "EmailAddress": "an email address, e.g. reminders@example.com",
    "TagKey": "a valid tag key (letters, digits and + - = . _ : /, no spaces), e.g. cost-center",
    "Arn": "an ARN arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with a region like us-east-1",
}
#: the ARN each member expects, as a shape with placeholders (shown in messages)
ARN_SHAPES = {
    "arn": "arn:aws:connect-campaigns:REGION:ACCOUNT:campaign/CAMPAIGN_ID",
    "connectCampaignFlowArn": "arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/contact-flow/FLOW_ID",
    "customerProfilesSegmentArn":
        "arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/segment-definitions/NAME",
    "customerProfilesDomainArn": "arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN",
    "connectSourcePhoneNumberArn": "arn:aws:connect:REGION:ACCOUNT:phone-number/PHONE_NUMBER_ID",
    "wisdomTemplateArn":
        "arn:aws:wisdom:REGION:ACCOUNT:message-template/KNOWLEDGE_BASE_ID/TEMPLATE_ID",
}
#: the prefix AWS reserves for its own tag keys (CloudFormation's aws:cloudformation:stack-name...)
RESERVED_TAG_PREFIX = "aws:"


class ModelNotFound(Exception):
    """botocore's model of the service is not installed."""


def model_path() -> str:
    """Path of the newest ``service-2.json.gz`` of the service in botocore's data."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound("botocore is not installed; run: pip install botocore")
    root = os.path.join(list(spec.submodule_search_locations)[0], "data", SERVICE)
    try:
        versions = sorted(v for v in os.listdir(root) if not v.startswith("."))
    except FileNotFoundError:
        raise ModelNotFound(f"this botocore has no {SERVICE} model; upgrade botocore") from None
    for version in reversed(versions):
        for name in ("service-2.json.gz", "service-2.json"):
            candidate = os.path.join(root, version, name)
            if os.path.exists(candidate):
                return candidate
    raise ModelNotFound(f"no service-2.json in {root}")


@functools.lru_cache(maxsize=None)
def service_model() -> dict:
    import gzip  # only to build the converted schema, not when the cached one is read

    path = model_path()
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def campaign_members() -> frozenset[str]:
    """Members of a campaign that only a campaign has (used to tell campaign files apart)."""
    shapes = service_model()["shapes"]
    members = set()
    for shape in CAMPAIGN_SHAPES:
        members |= set(shapes[shape]["members"])
    return frozenset(members - GENERIC_MEMBERS)


def model_versions() -> dict[str, str]:
    """The botocore release and the service model's API version, for ``--version`` and reports."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        botocore = version("botocore")
    except PackageNotFoundError:
        botocore = "not installed"
    try:
        api = str(service_model()["metadata"].get("apiVersion", "unknown"))
    except (ModelNotFound, OSError, ValueError, KeyError):
        api = "unknown"
    return {"botocore": botocore, "apiVersion": api}


@functools.lru_cache(maxsize=1)
def update_request_shapes() -> dict[frozenset, str]:
    """Members -> shape name of each UpdateCampaign*Request of the model (``id`` plus the
    one part of a campaign that the request replaces)."""
    shapes = service_model()["shapes"]
    return {frozenset(shape["members"]): name for name, shape in shapes.items()
            if name.startswith("UpdateCampaign") and name.endswith("Request")
            and shape.get("type") == "structure"}


def update_request_shape(value: Mapping[str, Any]) -> str | None:
    """The update-campaign request shape whose members ``value`` has exactly, or None."""
    if not isinstance(value, Mapping) or "id" not in value:
        return None
    return update_request_shapes().get(frozenset(value))


# --- model -> JSON Schema -------------------------------------------------------

_EXAMPLE = re.compile(r"e\.g\.\s*([^\s<]+)")


def _example(shape: Mapping[str, Any]) -> str | None:
    """The model's own example value for a shape (``e.g. T23:11``), if it has one."""
    match = _EXAMPLE.search(shape.get("documentation", ""))
    return match.group(1).rstrip(".,") if match else None


def to_json_schema(shape_name: str, shapes: Mapping[str, Any], stack: tuple = ()) -> dict:
    """Convert one botocore shape to JSON Schema (inlined; the model has no recursion
    in the campaign shapes, and a cycle would be cut at its second visit)."""
    shape = shapes[shape_name]
    kind = shape["type"]
    schema: dict[str, Any] = {"x-shape": shape_name}
    if shape_name in stack:
        return schema
    stack = stack + (shape_name,)
    if kind == "structure":
        members = shape.get("members", {})
        schema.update({
            "type": "object",
            "properties": {name: to_json_schema(ref["shape"], shapes, stack)
                           for name, ref in members.items()},
            "x-required": list(shape.get("required", [])),
            "x-closed": sorted(members),
        })
        if shape.get("union"):
            schema["x-union"] = sorted(members)
    elif kind == "list":
        schema.update({"type": "array",
                       "items": to_json_schema(shape["member"]["shape"], shapes, stack)})
        _bounds(schema, shape, "minItems", "maxItems")
    elif kind == "map":
        schema.update({
            "type": "object",
            "propertyNames": to_json_schema(shape["key"]["shape"], shapes, stack),
            "additionalProperties": to_json_schema(shape["value"]["shape"], shapes, stack),
        })
        _bounds(schema, shape, "minProperties", "maxProperties")
    elif kind == "string":
        schema["type"] = "string"
        if "enum" in shape:
            schema["enum"] = list(shape["enum"])
        if "pattern" in shape:
            pattern = ascii_digits(shape["pattern"])
            schema["pattern"] = rf"^(?:{pattern})\Z"
            schema["x-pattern"] = pattern
        _bounds(schema, shape, "minLength", "maxLength")
        example = _example(shape)
        if example:
            schema["x-example"] = example
    elif kind in ("integer", "long"):
        schema.update({"type": "integer", "x-finite": True})
        _bounds(schema, shape, "minimum", "maximum")
    elif kind in ("double", "float"):
        schema.update({"type": "number", "x-finite": True})
        _bounds(schema, shape, "minimum", "maximum")
    elif kind == "boolean":
        schema["type"] = "boolean"
    elif kind == "timestamp":
        schema["x-timestamp"] = True
    return schema


def pattern_parts(pattern: str) -> Iterator[tuple[str, bool]]:
    """Each part of a regular expression, an escape (``\\d``) or one character, and whether it
    is inside a character class (the class's own brackets are not)."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            yield pattern[index:index + 2], in_class
            index += 2
            continue
        if char == "]" and in_class:
            in_class = False
        yield char, in_class
        if char == "[" and not in_class:
            in_class = True
        index += 1


def ascii_digits(pattern: str) -> str:
    """An ECMA-262 pattern as Python's ``re`` must read it to mean the same. Smithy's patterns
    (the service model's) and JSON Schema's (CloudFormation's) are ECMA-262 expressions:
    ``\\d`` is 0-9 only there (in ``re`` any Unicode digit: ``T\u0660\u0669:00`` would pass as a
    time the service refuses), and a ``-`` right after a class escape is a literal ``-``
    (``[\\w-.]``, which ``re`` refuses as a bad range)."""
    if "\\" not in pattern:
        return pattern
    out, after_class_escape = [], False
    for part, in_class in pattern_parts(pattern):
        if part == "-" and after_class_escape:
            part = "\\-"
        after_class_escape = in_class and len(part) == 2 and part[1] in "wWdDsS"
        out.append(("0-9" if in_class else "[0-9]") if part == "\\d" else part)
    return "".join(out)


def _bounds(schema: dict, shape: Mapping[str, Any], low: str, high: str) -> None:
    if "min" in shape:
        schema[low] = shape["min"]
    if "max" in shape:
        schema[high] = shape["max"]


@functools.lru_cache(maxsize=None)
def campaign_schema(shape_name: str) -> dict:
    return to_json_schema(shape_name, service_model()["shapes"])


# --- validation -----------------------------------------------------------------


@record(frozen=True)
class StructuralError:
    """One structural defect, classified by the rule that reports it."""

    kind: str  # unknown-field, missing-field, wrong-type, not-allowed-value, ...
    pointer: str
    message: str
    at_key: bool = False
    #: the value is an empty string (one finding for it: its length)
    empty: bool = False


def _closed(validator: Any, known: list, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import ValidationError

    if not isinstance(instance, dict):
        return
    for key in instance:
        if key == SDK_UNKNOWN and "x-union" in schema:
            yield ValidationError("sdk-unknown", path=[key], instance=instance[key])
        elif key not in known:
            yield ValidationError("unknown", path=[key], instance=instance[key],
                                  validator_value=known)


def _required(validator: Any, required: list, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import ValidationError

    if isinstance(instance, dict):
        for name in required:
            if name not in instance:
                yield ValidationError(name)


def _union(validator: Any, members: list, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import ValidationError

    if isinstance(instance, dict):
        present = [key for key in [*members, SDK_UNKNOWN] if key in instance]
        if len(present) != 1:
            yield ValidationError(",".join(present))


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _finite(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[Any]:
    """NaN and infinities are out of range everywhere (jsonschema's bounds let NaN pass)."""
    from jsonschema import ValidationError

    if _non_finite(instance):
        yield ValidationError("non-finite")


def _timestamp(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import ValidationError

    if isinstance(instance, bool) or not isinstance(instance, (str, int, float)):
        yield ValidationError("type")
    elif isinstance(instance, str) and parse_timestamp(instance) is None:
        yield ValidationError("format")


def parse_timestamp(text: str):
    """An ISO 8601 timestamp as botocore accepts it, or None."""
    plain = _plain_timestamp(text)
    if plain is not None:
        return plain
    from dateutil.parser import isoparse

    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        return None


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[Any]:
    """jsonschema's ``pattern`` in linear time: Python's ``re`` backtracks exponentially on
    some model patterns (the ARN's ``[^:]+(?:/[^:]+)*`` took a minute for a 60-character
    value, and doubles with each ``/a`` more), so values are matched by the Rust regex engine
    of jsonschema-rs, which never backtracks; ``re`` only for a pattern it cannot take."""
    from jsonschema import ValidationError

    if not isinstance(instance, str):
        return
    matches = _linear_matcher(schema["x-pattern"]) if "x-pattern" in schema else None
    if matches is not None:
        valid = matches(_LONE_SURROGATE.sub("\ufffd", instance))  # Rust strings hold none
    else:
        valid = re.search(pattern, instance) is not None
    if not valid:
        yield ValidationError(f"{quote(instance)} does not match the pattern")


#: a lone surrogate matches what U+FFFD matches in every model pattern (neither is in a class)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=None)
def _linear_matcher(pattern: str) -> Any:
    """A full-match test of a model pattern that runs in linear time, with Python's meaning
    (a ``\\d`` left is any Unicode digit, as in ``re``); None when the pattern cannot be translated
    (a lookahead, as in TagKey, whose pattern has no nested repetition)."""
    try:
        import jsonschema_rs

        translated = re.sub(r"\\(.)", lambda m: r"\p{Nd}" if m.group(1) == "d" else m.group(), fast_pattern(pattern))
        checker = jsonschema_rs.validator_for({"type": "string", "pattern": translated},
                                              pattern_options=jsonschema_rs.RegexOptions())
    except Exception:  # not installed, UnsupportedPattern, or a pattern Rust refuses
        return None
    return checker.is_valid


@functools.lru_cache(maxsize=None)
def _validator(shape_name: str) -> Any:
    from jsonschema import Draft202012Validator, validators

    cls = validators.extend(Draft202012Validator, {
        "x-closed": _closed, "x-required": _required, "x-union": _union,
        "x-timestamp": _timestamp, "x-finite": _finite, "pattern": _pattern,
    })
    return cls(campaign_schema(shape_name))


def validate(data: Any, shape_name: str) -> list[StructuralError]:
    """Every structural defect of a campaign, each classified and worded; one per value."""
    if fast_valid(data, shape_name):
        return []
    raw = [error for error in _validator(shape_name).iter_errors(data) if not _redundant(error)]
    errors = [e for e in (_classify(error, shape_name) for error in raw) if e]
    kinds = {(e.pointer, e.kind, e.at_key) for e in errors}
    errors = [e for e in errors if not _shadowed(e, kinds)]
    return sorted(errors, key=lambda e: (e.pointer, e.kind))


def _redundant(error: Any) -> bool:
    """A NaN or infinity is reported once, as out of range, not also as a wrong type or
    against one bound."""
    return _non_finite(error.instance) and error.validator in ("type", "minimum", "maximum")


def _shadowed(error: StructuralError, kinds: set[tuple[str, str, bool]]) -> bool:
    """A too-short string that also misses its pattern is one defect: an empty string is
    reported by its length, any other string by its format. A value of the wrong type is
    reported as that, not also as outside the enum (``type: 5``). ``kinds``: the
    ``(pointer, kind, at_key)`` of every error."""
    if error.kind == "not-allowed-value":
        return any((error.pointer, "wrong-type", at_key) in kinds for at_key in (False, True))
    if error.kind not in ("bad-length", "bad-format"):
        return False
    other = "bad-format" if error.kind == "bad-length" else "bad-length"
    if (error.pointer, other, error.at_key) not in kinds:
        return False
    return error.kind == ("bad-format" if error.empty else "bad-length")


def _label(path: list) -> str:
    """How a message names a value: its member name, or ``name[3]`` in a list. A name that is
    not one word (a map's key from the data: a tag key with a space or a line break) is
    quoted, as every other value a message shows, so that it stays on one line and is told
    from the message's words."""
    for index in range(len(path) - 1, -1, -1):
        if isinstance(path[index], str):
            tail = "".join(f"[{p}]" for p in path[index + 1:])
            name = path[index]
            return f"{name if _WORD.fullmatch(name) else quote(name)}{tail}"
    return "campaign" if not path else f"item[{path[-1]}]"


#: a member name shown as is: what the service model's names and common map keys are made of
_WORD = re.compile(r"[A-Za-z0-9_.:/+=@-]+")


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


_TYPE_WORDS = {"object": "an object", "array": "a list", "string": "a string",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def did_you_mean(word: str, choices: list[str]) -> str:
    """``; did you mean "x"?`` when a choice is close to ``word``, else empty."""
    close = closest(word, choices)
    return f"; did you mean {quote(close)}?" if close else ""


def closest(word: str, choices: list[str]) -> str | None:
    """The choice closest to ``word`` (by spelling, else by case), or None."""
    import difflib  # only for an invalid campaign's message

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return close[0] if close else None


def _classify(error: Any, shape_name: str = "Campaign") -> StructuralError | None:
    path = list(error.absolute_path)
    pointer = pointer_join("", *path)
    keyword = error.validator
    value = error.instance
    schema = error.schema
    in_key = "propertyNames" in error.absolute_schema_path
    if in_key:  # a bad map key: the error is about the key string itself
        pointer = pointer_join(pointer, value)
        label = "tag key" if schema.get("x-shape") == "TagKey" else "key"
    else:
        label = _label(path)
    if keyword == "x-closed" and error.message == "sdk-unknown":
        name = value.get("name") if isinstance(value, dict) else None
        return StructuralError("sdk-unknown-member", pointer,
                               f"{_label(path[:-1])} holds a member this botocore does not know "
                               f"({quote(name or 'unnamed')}); upgrade botocore "
                               "(pip install -U botocore) so it can be checked")
    if keyword == "x-closed":
        known = error.validator_value
        return StructuralError("unknown-field", pointer,
                               f"unknown field {quote(path[-1])} in {_label(path[:-1])}"
                               f"{did_you_mean(str(path[-1]), known)}", at_key=True)
    if keyword == "x-required":
        return StructuralError("missing-field", pointer,
                               f"{label} is missing the required field {quote(error.message)}")
    if keyword == "x-union":
        present = [p for p in error.message.split(",") if p]
        options = ", ".join(error.validator_value)
        if present:
            return StructuralError("union-conflict", pointer,
                                   f"{label} sets {len(present)} of its members "
                                   f"({', '.join(present)}); set exactly one of: {options}")
        return StructuralError("union-conflict", pointer,
                               f"{label} sets none of its members; set exactly one of: {options}")
    if keyword == "x-timestamp":
        if error.message == "type":
            return StructuralError("wrong-type", pointer,
                                   f"{label} must be an ISO 8601 timestamp, not {type_name(value)}")
        return StructuralError("bad-format", pointer,
                               f"{label} {quote(value)} is not an ISO 8601 timestamp "
                               "(e.g. 2025-01-06T09:00:00Z)")
    if keyword == "x-finite":
        return StructuralError("out-of-range", pointer,
                               f"{label} {quote(value)} is not a number in range{_range(schema)}")
    if keyword == "type":
        return StructuralError("wrong-type", pointer,
                               f"{label} must be {_TYPE_WORDS.get(error.validator_value, error.validator_value)}, "
                               f"not {type_name(value)} ({quote(value)}){_yaml_boolean(value, error)}")
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        what = f"{label} {quote(value)}" if not in_key else f"key {quote(value)}"
        return StructuralError("not-allowed-value", pointer,
                               f"{what} is not one of {', '.join(allowed)}"
                               f"{did_you_mean(str(value), allowed)}", at_key=in_key)
    if keyword in ("minimum", "maximum"):
        side = "below the minimum" if keyword == "minimum" else "above the maximum"
        return StructuralError("out-of-range", pointer,
                               f"{label} {quote(value)} is {side} {_number(error.validator_value)}")
    if keyword in ("minLength", "maxLength", "minItems", "maxItems",
                   "minProperties", "maxProperties"):
        return _length_error(keyword, label, value, error.validator_value, pointer, in_key)
    if keyword == "pattern":
        return _format_error(schema, label, value, pointer, in_key, shape_name, path)
    return StructuralError("wrong-type", pointer, f"{label}: {error.message}")


def _range(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" ({_number(low)} to {_number(high)})"
    if low is not None:
        return f" (at least {_number(low)})"
    return f" (at most {_number(high)})" if high is not None else ""


def _yaml_boolean(value: Any, error: Any) -> str:
    """YAML 1.1 (PyYAML) reads unquoted yes/no/on/off (``country: NO``) as booleans; y and n
    stay strings."""
    if isinstance(value, bool) and error.validator_value == "string":
        return "; in YAML, unquoted yes, no, on, off, true and false are booleans: quote it"
    return ""


def _format_error(schema: Mapping[str, Any], label: str, value: Any, pointer: str,
                  in_key: bool, shape_name: str, path: list) -> StructuralError | None:
    """A pattern mismatch in words, with an example; None where it is no defect."""
    shape = schema.get("x-shape", "")
    if shape == "TagKey" and isinstance(value, str) and value.startswith(RESERVED_TAG_PREFIX):
        if re.fullmatch(schema["x-pattern"].replace("(?!aws:)", ""), value) is not None:
            if shape_name == "Campaign":
                return None  # a system tag that AWS put on a described campaign
            return StructuralError("bad-format", pointer,
                                   f"tag key {quote(value)} starts with aws:, which AWS reserves "
                                   "for its own tags; rename it", at_key=in_key)
    if shape == "TimeZone" and isinstance(value, str) and _is_zone(value):
        return StructuralError("bad-format", pointer,
                               f"{label} {quote(value)} is a zone name the service's format does "
                               f"not allow ({FORMATS['TimeZone']}): use a Region/City zone",
                               at_key=in_key)
    if shape == "TimeZone":
        return None  # not a zone at all: CC309 says so, with the zone that was meant
    member = next((p for p in reversed(path) if isinstance(p, str)), "")
    expected = ARN_SHAPES.get(member) if shape == "Arn" else None
    if expected:
        words = f"an ARN like {expected} (REGION like us-east-1, ACCOUNT 12 digits)"
    else:
        words = FORMATS.get(shape) or _generic_format(schema)
    return StructuralError("bad-format", pointer, f"{label} {quote(value)} is not {words}",
                           at_key=in_key, empty=value == "")


def _generic_format(schema: Mapping[str, Any]) -> str:
    example = schema.get("x-example")
    return (f"in the format the service expects, e.g. {example}" if example
            else "in the format the service expects")


def _is_zone(text: str) -> bool:
    import pytz

    return text in pytz.all_timezones_set


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _length_error(keyword: str, label: str, value: Any, bound: int, pointer: str,
                  in_key: bool) -> StructuralError:
    unit = "characters" if isinstance(value, str) else "items"
    limit = "at least" if keyword.startswith("min") else "at most"
    if value == "":
        return StructuralError("bad-length", pointer, f"{label} is empty; it must have {limit} "
                               f"{bound} {unit if bound != 1 else 'character'}",
                               at_key=in_key, empty=True)
    return StructuralError("bad-length", pointer,
                           f"{label} has {len(value)} {unit}; it must have {limit} {bound}",
                           at_key=in_key)


# --- fast path: a compiled validator answers "valid?" ------------------------------------
#
# Most campaigns are valid, and jsonschema spends milliseconds per campaign to say so.
# jsonschema-rs (compiled) answers "valid?" in microseconds; only a campaign it does not
# call valid goes through jsonschema's iter_errors for the classified messages above. The
# fast schema must never be more lenient than the slow one (that would hide findings): where
# the two engines could differ, the fast schema is stricter, and a stricter answer only costs
# the slow path. The converted schema is kept in the user cache folder per model file.

#: bump when the conversion below changes, so that cached conversions are rebuilt
FAST_SCHEMA_VERSION = 3


@functools.lru_cache(maxsize=None)
def _py_space() -> str:
    r"""What Python's ``\s`` matches in a str pattern (U+3000 is the last), as escapes; Rust's
    is another set. Built when a schema is converted (not at start-up: 1 ms)."""
    return "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace())


#: escapes that mean the same or less in jsonschema-rs's regex dialect than in Python's ``re``
#: (``\d`` is ASCII there, a subset of Python's Unicode digits); ``\s`` is translated
_SAME_ESCAPES = frozenset("d-:./\\+*?()[]{}|^$")


class UnsupportedPattern(ValueError):
    """A model pattern whose meaning in jsonschema-rs could differ from Python's ``re``."""


def fast_pattern(pattern: str) -> str:
    """A model pattern for jsonschema-rs, matching the whole value, never more than Python's
    ``re.fullmatch`` of the same pattern matches."""
    out = []
    for part, in_class in pattern_parts(pattern):
        if part == "\\s":
            out.append(_py_space() if in_class else f"[{_py_space()}]")
        elif len(part) == 2 and part[1] not in _SAME_ESCAPES:
            raise UnsupportedPattern(pattern)
        elif part in ("$", "^") and not in_class:
            raise UnsupportedPattern(pattern)  # anchors inside the pattern: keep it simple
        else:
            out.append(part)
    return f"^(?:{''.join(out)})$"


#: keywords jsonschema-rs reads as jsonschema does (with the values to_json_schema gives them)
_STANDARD = frozenset({"type", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems",
                       "maxItems", "minProperties", "maxProperties"})


def fast_schema(schema: Mapping[str, Any]) -> Any:
    """Standard JSON Schema for jsonschema-rs from the extended one :func:`to_json_schema` makes.

    A value whose pattern cannot be translated safely, or with a keyword this conversion does
    not know, gets the schema ``false``: every campaign that holds it goes the slow way."""
    out: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in ("x-shape", "x-pattern", "x-example", "pattern"):
            continue
        if keyword in _STANDARD:
            out[keyword] = value
        elif keyword == "x-closed":
            out["additionalProperties"] = False
        elif keyword == "x-required":
            if value:
                out["required"] = list(value)
        elif keyword == "x-union":
            out["oneOf"] = [{"required": [member]} for member in value]
        elif keyword == "x-timestamp":
            out["type"], out["format"] = ["string", "number"], "x-timestamp"
        elif keyword == "x-finite" and schema.get("type") in ("number", "integer"):
            pass  # jsonschema-rs's numbers are finite: NaN and infinities fail "type"
        elif keyword == "properties":
            out[keyword] = {name: fast_schema(sub) for name, sub in value.items()}
        elif keyword in ("items", "additionalProperties", "propertyNames"):
            out[keyword] = fast_schema(value)
        else:
            return False
    if "x-pattern" in schema:
        try:
            out["pattern"] = fast_pattern(schema["x-pattern"])
        except UnsupportedPattern:
            return False
    return out


def _model_key(shape_name: str) -> dict:
    """What the fast schema of a shape depends on: the model file, this code, the shape."""
    from . import __version__

    path = model_path()
    stat = os.stat(path)
    return {"model": path, "size": stat.st_size, "mtime": stat.st_mtime_ns, "shape": shape_name,
            "tool": __version__, "conversion": FAST_SCHEMA_VERSION}


#: values the fast validator must call invalid; a cached schema that accepts one is not used
_CANARIES = ([], "campaign", {SDK_UNKNOWN: {}, "no such member": 1})


@functools.lru_cache(maxsize=None)
def fast_validator(shape_name: str) -> Any:
    """The compiled validator of a shape, or None when jsonschema-rs is not available."""
    from . import usercache

    try:
        import jsonschema_rs
    except ImportError:
        return None
    key = _model_key(shape_name)
    name = f"fast-schema-{shape_name}.json"
    schema = usercache.load(name, key)
    validator = _compile_fast(jsonschema_rs, schema) if schema is not None else None
    if validator is None:
        schema = fast_schema(campaign_schema(shape_name))
        validator = _compile_fast(jsonschema_rs, schema)
        if validator is not None:
            usercache.store(name, key, schema)
    return validator


#: the common shape of a timestamp (2027-01-04T00:00:00Z): datetime reads it without dateutil
_PLAIN_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
                              r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?")


def _plain_timestamp(text: str) -> Any:
    """A timestamp of the common shape read by ``datetime`` (the instant dateutil's isoparse
    gives), or None for any other text (dateutil then decides)."""
    if _PLAIN_TIMESTAMP.fullmatch(text):
        from datetime import datetime

        try:
            return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            pass
    return None


def fast_timestamp(text: str) -> bool:
    """:func:`parse_timestamp` is not None, without importing dateutil for the common shape."""
    return parse_timestamp(text) is not None


@functools.lru_cache(maxsize=None)
def model_pattern(shape_name: str) -> str:
    """The ``pattern`` of a string shape of the service model (``\\d`` as 0-9, as AWS reads
    it), kept in the user cache folder per model file: reading and parsing the whole model
    costs milliseconds on every run."""
    from . import usercache

    key = _model_key(shape_name)
    name = f"model-pattern-{shape_name}.json"
    pattern = usercache.load(name, key)
    if not isinstance(pattern, str):
        pattern = service_model()["shapes"][shape_name]["pattern"]
        usercache.store(name, key, pattern)
    return ascii_digits(pattern)


def _compile_fast(jsonschema_rs: Any, schema: Any) -> Any:
    """A validator for ``schema``, or None if it does not compile or accepts a canary."""
    try:
        validator = jsonschema_rs.Draft202012Validator(schema, formats={"x-timestamp": fast_timestamp},
                                                       validate_formats=True)
        if any(validator.is_valid(canary) for canary in _CANARIES):
            return None
    except Exception:  # a schema jsonschema-rs cannot compile: the slow path does the work
        return None
    return validator


def fast_valid(data: Any, shape_name: str) -> bool:
    """True only when the campaign is structurally valid; False means "ask jsonschema"."""
    validator = fast_validator(shape_name)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(data))
    except Exception:  # values jsonschema-rs cannot take (int keys, dates, lone surrogates)
        return False
