"""Campaigns from Terraform: the JSON of ``terraform show -json PLANFILE`` (or of the state).

The awscc provider's ``awscc_connectcampaignsv2_campaign`` is generated from the same
CloudFormation registry schema, in snake_case. Each resource of ``planned_values`` (or of a
state's ``values``), in the root module and in every child module, is turned into the
CloudFormation shape and then goes the CloudFormation source's way: registry schema check,
mapping to the API shape, every rule. Attributes that are ``null`` are absent; attributes
whose value is known only after apply (``after_unknown`` in ``resource_changes``) are
unknown values about which nothing is reported. Findings point at the plan JSON's line and
name the resource by its address (``module.outbound.awscc_connectcampaignsv2_campaign.this``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator, Mapping

from ..model import pointer_join
from .cloudformation import Loaded, MappedCampaign, Resolved, Unknown, _campaign, definition, inlined_schema

RESOURCE_TYPE = "awscc_connectcampaignsv2_campaign"


def snake(name: str) -> str:
    """The awscc attribute name of a CloudFormation property (``WhatsApp`` -> ``whats_app``)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _modules(module: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    """Every module (root first, then children, recursively) with its pointer."""
    if not isinstance(module, dict):
        return
    yield module, pointer
    children = module.get("child_modules")
    if isinstance(children, list):
        for index, child in enumerate(children):
            yield from _modules(child, pointer_join(pointer, "child_modules", index))


def campaign_resources(document: Any) -> list[tuple[str, dict, str]]:
    """``(address, resource, pointer)`` of each campaign resource of a plan or state."""
    if not isinstance(document, dict) or "format_version" not in document:
        return []
    found = []
    for top in ("planned_values", "values"):
        values = document.get(top)
        if not isinstance(values, dict):
            continue
        for module, pointer in _modules(values.get("root_module"), pointer_join("", top, "root_module")):
            resources = module.get("resources")
            for index, resource in enumerate(resources if isinstance(resources, list) else []):
                if (isinstance(resource, dict) and resource.get("type") == RESOURCE_TYPE
                        and resource.get("mode", "managed") == "managed"):
                    found.append((str(resource.get("address") or resource.get("name")), resource,
                                  pointer_join(pointer, "resources", index)))
        if found:
            break
    return found


def is_plan(document: Any) -> bool:
    return bool(campaign_resources(document))


def _after_unknown(document: Mapping[str, Any]) -> dict[str, Any]:
    """``after_unknown`` of each resource change, by address."""
    changes = document.get("resource_changes")
    result = {}
    for change in changes if isinstance(changes, list) else []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            result[str(change.get("address"))] = change["change"].get("after_unknown")
    return result


def load_plan(document: Any, path: str) -> Loaded:
    """The campaigns of every awscc campaign resource of a parsed plan/state (a ``Document``)."""
    loaded = Loaded()
    unknown_after = _after_unknown(document.value)
    for address, resource, pointer in campaign_resources(document.value):
        values = resource.get("values")
        campaign = _mapped(document, path, address, pointer, values if isinstance(values, dict) else {},
                           pointer_join(pointer, "values"), unknown_after.get(address),
                           resource.get("sensitive_values"), loaded)
        arn = values.get("arn") if isinstance(values, dict) else None
        campaign.arn = arn if isinstance(arn, str) and arn else None
    return loaded


def _mapped(document: Any, path: str, address: str, pointer: str, values: Any, values_pointer: str,
            unknown: Any, sensitive: Any, loaded: Loaded, later: str = "known after apply",
            not_an_object: str | None = None) -> Any:
    """The campaign of one resource's snake_case values, added to ``loaded``; ``not_an_object``:
    what to say when the values are no object (else the registry schema's words)."""
    resolved = Resolved()
    properties = _to_cfn(values, inlined_schema(), "", values_pointer, resolved, unknown, sensitive, later)
    resolved.value = properties
    campaign = _campaign(properties, resolved, document, path, pointer, address, names=snake, label_is_name=True,
                         not_an_object=not_an_object)
    loaded.campaigns.append(campaign)
    loaded.diagnostics += [(rule, message, where, campaign) for rule, message, where in campaign.loader_findings]
    return campaign


# --- Terraform's JSON configuration syntax (*.tf.json, CDK for Terraform's cdk.tf.json) -------


def _resource_entries(document: Any) -> Iterator[tuple[str, Any, str]]:
    """``(address, body as written, pointer)`` of each name under an awscc campaign resource
    type of Terraform JSON configuration: ``{"resource": {TYPE: {NAME: BODY}}}``, where the
    upper levels may also be lists of objects."""
    if not isinstance(document, dict) or "format_version" in document:
        return
    for top, top_pointer in _objects(document.get("resource"), "/resource"):
        for kind, kind_pointer in _objects(top.get(RESOURCE_TYPE), pointer_join(top_pointer, RESOURCE_TYPE)):
            for name, body in kind.items():
                yield f"{RESOURCE_TYPE}.{name}", body, pointer_join(kind_pointer, name)


def _blocks(body: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    """The blocks a resource's body declares, as Terraform 1.11 reads JSON syntax (tried with
    ``terraform plan``): an object is one block, a list one per item (a null item is a block
    without arguments, as ``{}`` is), null no block at all (as ``[]``). Any other value is one
    block that Terraform refuses ("Incorrect JSON value type"), yielded to be reported."""
    if isinstance(body, list):
        for index, item in enumerate(body):
            yield ({} if item is None else item), pointer_join(pointer, index)
    elif body is not None:
        yield body, pointer


def _objects(value: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    """The object, or each object of a list of them (Terraform's JSON syntax allows both)."""
    if isinstance(value, dict):
        yield value, pointer
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield item, pointer_join(pointer, index)


def is_config(document: Any) -> bool:
    return next(_resource_entries(document), None) is not None


def load_config(document: Any, path: str) -> Loaded:
    """The campaigns of every awscc campaign resource block of Terraform JSON configuration.
    A string holding a template (``${var.zone}``, ``%{if ...}``) is an expression Terraform
    evaluates: an unknown value, about which nothing is reported (as after apply in a plan).
    A body that declares no block (null, ``[]``) is a CC002 info, and no campaign.

    A second block of one address (two items of a list under one name, or the name again in
    another object of a list at the resource or type level) is a CC004 error at that block:
    Terraform refuses the configuration ("Duplicate resource"). Its campaign is still checked
    and counted, as a body Terraform refuses is (CC103): its arguments are known values, and
    the fix is most often a name of its own, after which its findings are the next ones met.
    Only this file is seen: the same resource in another file of the module (a folder) is left
    to ``terraform validate`` (see the README)."""
    loaded = Loaded()
    declared: dict[str, str] = {}
    for address, body, pointer in _resource_entries(document.value):
        if body is None or body == []:
            loaded.diagnostics.append(("CC002", NO_BLOCK.format(address=address, body=json.dumps(body)),
                                       pointer, None))
        for block, block_pointer in _blocks(body, pointer):
            campaign = _load_block(document, path, address, block, block_pointer, loaded)
            if isinstance(body, (dict, list)):  # a refused body that is no list declares no block
                first = declared.setdefault(address, block_pointer)
                if first != block_pointer:
                    loaded.diagnostics.append(("CC004", _declared_again(document, address, first),
                                               block_pointer, campaign))
    return loaded


def _declared_again(document: Any, address: str, first: str) -> str:
    """The CC004 message of a second block of ``address``, whose first block is at ``first``."""
    line, _ = document.key_positions.get(first) or document.positions.get(first) or (None, None)
    return DECLARED_AGAIN.format(address=address, line=line)


def _load_block(document: Any, path: str, address: str, block: Any, pointer: str, loaded: Loaded) -> MappedCampaign:
    """The campaign of one resource block: its arguments, or a body Terraform refuses (a CC103
    error, and a campaign checked, as CloudFormation Properties that are no object are)."""
    if isinstance(block, dict):
        values, expressions = _literal(block)
        return _mapped(document, path, address, pointer, values, pointer, expressions, None, loaded,
                       later="a Terraform expression")
    from ..schema import type_name

    what = "a Terraform expression" if isinstance(block, str) and _TEMPLATE.search(block) else type_name(block)
    return _mapped(document, path, address, pointer, block, pointer, None, None, loaded,
                   not_an_object=NOT_AN_OBJECT.format(address=address, what=what))


#: a body Terraform's JSON syntax refuses: "Incorrect JSON value type" ("Either a JSON object or a
#: JSON array is required, representing the contents of one or more resource blocks"); nothing
#: evaluates an expression there
NOT_AN_OBJECT = ("the body of {address} is {what}, which Terraform refuses (its JSON syntax wants an object "
                 "of the resource's arguments there, or a list of them, and only the arguments' values may "
                 'be expressions); write its arguments as an object: {{"name": ..., "connect_instance_id": '
                 "..., ...}}")

#: a body that declares no resource block: Terraform reads null and [] as none (terraform plan
#: shows no such resource), so there is no campaign to check
NO_BLOCK = ("the body of {address} is {body}, which Terraform reads as no resource block: it declares no "
            "campaign, and none is checked; write its arguments as an object to declare one")


#: a second block of one resource type and name in a file: Terraform 1.11 refuses the configuration
#: ("Duplicate resource ... Resource names must be unique per type in each module"), whether the
#: blocks are items of a list under the name or the name is met again in a list's next object
DECLARED_AGAIN = ("{address} is declared a second time (first on line {line}), which Terraform refuses "
                  '("Duplicate resource": one block per type and name in a module, and each item of a list '
                  "under a name is a block); give this block a name of its own, or remove it")


#: a template interpolation or directive; ``$${`` and ``%%{`` are the escapes of a literal one
_TEMPLATE = re.compile(r"(?<![$])[$][{]|(?<![%])[%][{]")


def _literal(value: Any) -> tuple[Any, Any]:
    """``value`` with each template string as None, and a mirror of it marking those True
    (the shape of a plan's ``after_unknown``)."""
    if isinstance(value, str):
        if _TEMPLATE.search(value):
            return None, True
        return value.replace("$${", "${").replace("%%{", "%{"), False
    if isinstance(value, dict):
        pairs = {key: _literal(item) for key, item in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, {k: mark for k, (_, mark) in pairs.items()}
    if isinstance(value, list):
        pairs = [_literal(item) for item in value]
        return [v for v, _ in pairs], [mark for _, mark in pairs]
    return value, False


def _to_cfn(value: Any, schema: Mapping[str, Any], cfn: str, source: str, resolved: Resolved,
            unknown: Any, sensitive: Any = None, later: str = "known after apply") -> Any:
    """A snake_case value in the CloudFormation shape, recording where each part came from.
    ``unknown`` and ``sensitive`` mirror the value (``after_unknown``, ``sensitive_values``);
    ``later`` says why an unknown value is not known."""
    schema = definition(schema)
    resolved.sources[cfn] = source
    if unknown is True and value is None:  # all of it: a resource body that is an expression
        resolved.unknown.add(cfn)
        return Unknown(later)
    if sensitive is True and value is not None:
        # Terraform never shows a sensitive value: neither do findings (nothing is said about it)
        resolved.unknown.add(cfn)
        return Unknown("a sensitive value")
    if isinstance(value, dict) and "properties" in schema:
        names = {snake(name): name for name in schema["properties"]}
        result = {}
        unknown_members = unknown if isinstance(unknown, dict) else {}
        sensitive_members = sensitive if isinstance(sensitive, dict) else {}
        for key in list(value) + [k for k, v in unknown_members.items() if v is True and k not in value]:
            name = names.get(key)
            if name is None:
                continue  # id and other provider-only attributes, meta-arguments (count, lifecycle)
            item = value.get(key)
            child_cfn, child_source = pointer_join(cfn, name), pointer_join(source, key)
            if unknown_members.get(key) is True and item is None:
                resolved.sources[child_cfn] = child_source
                resolved.unknown.add(child_cfn)
                result[name] = Unknown(f"{key}, {later}")
                continue
            if item is None:
                continue  # null: not set
            if name == "AgentlessConfig" and isinstance(item, str):
                item = _json_object(item)
            result[name] = _to_cfn(item, schema["properties"][name], child_cfn, child_source, resolved,
                                   unknown_members.get(key), sensitive_members.get(key), later)
        return result
    if isinstance(value, list) and "items" in schema:
        unknown_items = unknown if isinstance(unknown, list) else []
        sensitive_items = sensitive if isinstance(sensitive, list) else []
        items: list = []
        for index, item in enumerate(value):
            marks = unknown_items[index] if index < len(unknown_items) else None
            at, child_source = pointer_join(cfn, len(items)), pointer_join(source, index)
            if item is None and marks is True:
                resolved.sources[at] = child_source
                resolved.unknown.add(at)
                items.append(Unknown(f"an item {later}"))
            elif item is not None:
                secret = sensitive_items[index] if index < len(sensitive_items) else None
                items.append(_to_cfn(item, schema["items"], at, child_source, resolved, marks, secret, later))
        return items
    return value


def _json_object(text: str) -> Any:
    """``agentless_config`` is a JSON string (``jsonencode({})``) in awscc."""
    try:
        return json.loads(text)
    except ValueError:
        return text  # the registry check reports the wrong type

