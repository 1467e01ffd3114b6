"""Turn CloudFormation value trees (literals and intrinsics) into Bicep values.

One dispatch table maps each intrinsic node type to a method. What cannot be rendered yet becomes a
Bicep parameter plus finding LF4001, never text pasted into the output and never a silent drop.
Template parameters and conditions are declared in the plan only when something uses them.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from translator import bicep as b
from translator.graph import Parameter
from translator.mapping import http_routes
from translator.mapping.context import Builder
from translator.mapping.parameters import bicep_param, is_list_type
from translator.mapping.secrets_detect import literal_secret, secret_value
from translator.parsers.references import CONDITION, CYCLE, NAME
from translator.plan import BicepVar
from translator.values import (
    PSEUDO_PARAMETERS,
    And,
    Arr,
    BadIntrinsic,
    Base64,
    Cidr,
    ConditionRef,
    Equals,
    FindInMap,
    GetAtt,
    GetAZs,
    If,
    ImportValue,
    Intrinsic,
    Join,
    Loc,
    Not,
    Obj,
    Or,
    OtherIntrinsic,
    Ref,
    Select,
    Split,
    Sub,
    Transform,
    loc_of,
    walk,
)

#: Properties and functions whose value is always a string in the Bicep we emit.
_STRING_PROPERTIES = frozenset(
    {"name", "id", "blob", "queue", "documentEndpoint", "clientId", "subscriptionId", "tenantId", "location"}
)
_STRING_FUNCTIONS = frozenset(
    {
        "string",
        "join",
        "base64",
        "toLower",
        "toUpper",
        "format",
        "replace",
        "uniqueString",
        "guid",
        "substring",
    }
)

#: A value that means "omit this property" (Ref AWS::NoValue).
NO_VALUE = object()

#: CloudFormation dynamic references inside strings: {{resolve:service:reference}}
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(ssm|ssm-secure|secretsmanager):([^{}]*)\}\}")
_SECURE_DYNAMIC = frozenset({"ssm-secure", "secretsmanager"})

#: the zone-capable resource type pickZones asks about for Fn::GetAZs (virtual machines: every zonal region)
_ZONES_PROBE = ("Microsoft.Compute", "virtualMachines")
_MAX_ZONES = 3


class MaybeAbsent(b.Ternary):
    """``Fn::If`` with ``AWS::NoValue`` on one side: null on that side, and dropped where CloudFormation
    would drop it (a list item, an app setting). Renders as the plain ternary."""


class Untranslatable(Exception):
    def __init__(self, reason: str, rule: str = "LF4001", reported: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.rule = rule
        #: the parse already reported this mistake at the reference (parsers/references.py): the value
        #: still becomes a parameter, but a second finding would say the same thing again
        self.reported = reported


class Expressions:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.graph = builder.graph
        self._param_symbols: dict[str, str] = {}
        #: Bicep symbol -> the template parameter it declares
        self.template_params: dict[str, Parameter] = {}
        self._condition_symbols: dict[str, str] = {}
        self._conditions_in_progress: set[str] = set()
        self._map_symbols: dict[str, str] = {}
        self._value_params: dict[Any, b.Ident] = {}
        self._dispatch: dict[type, Callable[[Any, str], Any]] = {
            Ref: self._ref,
            GetAtt: self._getatt,
            Sub: self._sub,
            Join: self._join,
            Select: self._select,
            Split: self._split,
            If: self._if,
            Equals: self._condition_expr,
            And: self._condition_expr,
            Or: self._condition_expr,
            Not: self._condition_expr,
            ConditionRef: self._condition_expr,
            FindInMap: self._findinmap,
            Base64: self._base64,
            GetAZs: self._getazs,
            Cidr: self._cidr,
            ImportValue: self._import_value,
            Transform: self._transform,
            OtherIntrinsic: self._other,
        }
        #: condition names the value being rendered is guarded by (inside the true side of Fn::If)
        self._guards: list[str] = []
        self._dynamic_params: dict[str, b.Ident] = {}

    # ---- public ---------------------------------------------------------------------------------
    def value(self, value: Any, where: str, resource: str | None = None, loc: Loc | None = None) -> Any:
        """The Bicep value for ``value``; an untranslatable intrinsic becomes a parameter + finding."""
        try:
            return self._value(value, where)
        except Untranslatable as exc:
            return self._as_param(value, where, exc, resource, loc)

    def string(self, value: Any, where: str, resource: str | None = None, loc: Loc | None = None) -> Any:
        """Like :meth:`value`, but the result is always a string (app settings, names)."""
        result = self.value(value, where, resource, loc)
        if isinstance(result, MaybeAbsent):
            # absent on one side (AWS::NoValue), a string on the other
            return MaybeAbsent(
                result.cond,
                None if result.if_true is None else self._stringified(result.if_true),
                None if result.if_false is None else self._stringified(result.if_false),
            )
        return self._stringified(result)

    def _stringified(self, result: Any) -> Any:
        if result is NO_VALUE or result is None:
            return None
        if isinstance(result, bool):
            return "true" if result else "false"
        if isinstance(result, (int, float)):
            return str(result)
        if self.stringy(result):
            return result
        return b.Call("string", (result,))

    def stringy(self, value: Any) -> bool:
        """True when a Bicep value is known to be a string (no string() wrapper needed)."""
        if isinstance(value, (str, b.Interp)):
            return True
        if isinstance(value, b.Ident):
            return self._is_string_symbol(value.name)
        if isinstance(value, b.Prop):
            return value.path[-1] in _STRING_PROPERTIES
        if isinstance(value, b.Call):
            return value.fn in _STRING_FUNCTIONS
        if isinstance(value, b.Ternary):
            return all(v is None or self.stringy(v) for v in (value.if_true, value.if_false))
        return False

    def condition(self, name: str, loc: Loc | None) -> b.BExpr:
        """A bool variable for a named template condition (declared once, on first use)."""
        return b.Ident(self._condition_symbol(name, loc))

    # ---- dispatch -------------------------------------------------------------------------------
    def _value(self, value: Any, where: str) -> Any:
        if isinstance(value, Intrinsic):
            handler = self._dispatch.get(type(value))
            if handler is None:
                raise Untranslatable(_why(value))
            return handler(value, where)
        if isinstance(value, Obj):
            out = {}
            for key, item in value.items():
                rendered = self._value(item, f"{where}.{key}")
                if rendered is not NO_VALUE:
                    out[str(key)] = rendered
            return out
        if isinstance(value, Arr):
            return self._list([self._value(item, where) for item in value])
        if isinstance(value, str):
            return self._text(str(value), where, loc_of(value))
        return value

    def _list(self, items: list[Any]) -> Any:
        """A list without its AWS::NoValue items; items that are absent under a condition are concatenated in."""
        items = [item for item in items if item is not NO_VALUE]
        if not any(isinstance(item, MaybeAbsent) for item in items):
            return items
        chunks: list[Any] = []
        plain: list[Any] = []
        for item in items:
            if isinstance(item, MaybeAbsent):
                if plain:
                    chunks.append(plain)
                    plain = []
                chunks.append(b.Ternary(item.cond, _as_list(item.if_true), _as_list(item.if_false)))
            else:
                plain.append(item)
        if plain:
            chunks.append(plain)
        return b.Call("concat", tuple(chunks))

    def _text(self, text: str, where: str, loc: Loc | None) -> Any:
        """Literal text; a {{resolve:...}} dynamic reference inside it becomes a parameter."""
        if "{{resolve:" not in text:
            return text
        parts: list[Any] = []
        pos = 0
        for match in _DYNAMIC_REFERENCE.finditer(text):
            parts.append(text[pos : match.start()])
            parts.append(self._dynamic_reference(match.group(1), match.group(2), match.group(0), where, loc))
            pos = match.end()
        parts.append(text[pos:])
        pieces = [p for p in parts if p != ""]
        if len(pieces) == 1:
            return pieces[0]  # the whole text is the reference: the parameter itself
        return b.interp(*parts)

    def _dynamic_reference(
        self, service: str, reference: str, whole: str, where: str, loc: Loc | None
    ) -> Any:
        secure = service in _SECURE_DYNAMIC
        store = "Secrets Manager" if service == "secretsmanager" else "SSM Parameter Store"
        shared = self._dynamic_params.get(whole)
        if shared is None:
            base = "secret" if service == "secretsmanager" else "ssm"
            name_part = reference.split(":")[0].strip("/") or service
            shared = self.b.value_param(
                b.identifier(f"{base} {name_part}"),
                f"Value of the {store} reference {whole if not secure else service + ':' + name_part}",
                secure=secure,
            )
            self._dynamic_params[whole] = shared
        kind = "a @secure() parameter" if secure else "a parameter"
        self.b.finding(
            "LF4010",
            f"{where}: the dynamic reference to {store} ({service}:{reference.split(':')[0]}) is resolved by "
            f"CloudFormation at deployment; it becomes {kind} '{shared.name}'",
            loc,
            _owner(where),
            "Supply the value at deployment, or keep it in Key Vault and pass a Key Vault reference."
            if secure
            else "Supply the value at deployment (for example from Azure App Configuration).",
        )
        return shared

    def _as_param(
        self, value: Any, where: str, exc: Untranslatable, resource: str | None, loc: Loc | None
    ) -> Any:
        loc = loc_of(value, loc)
        try:
            key: Any = (value, exc.rule)
            shared = self._value_params.get(key)
        except TypeError:  # an unhashable literal inside: no sharing
            key, shared = None, None
        if shared is not None:
            # the same value elsewhere (one ${ssm:} used by several functions) is one parameter
            if not exc.reported:
                self.b.finding(
                    exc.rule,
                    f"{where}: {exc.reason}; it is the Bicep parameter '{shared.name}'",
                    loc,
                    resource,
                )
            return shared
        base = "".join(ch if ch.isalnum() else " " for ch in where).title().replace(" ", "")
        default = _fallback_default(value)
        param = self.b.value_param(
            base[:1].lower() + base[1:] or "value",
            f"Value of {where}: {exc.reason}",
            _DEFAULT_TYPES.get(type(default), "string"),
            secure=_secret_source(value) or _secret_default(default),
        )
        if default is not None and not self.b.params[param.name].secure:
            # a fallback (${env:X, 'info'}): the value when the deployment does not set one
            self.b.params[param.name] = dataclasses.replace(
                self.b.params[param.name],
                default=str(default) if isinstance(default, float) else default,
                has_default=True,
            )
        if key is not None:
            self._value_params[key] = param
        if exc.reported:
            return param
        self.b.finding(
            exc.rule,
            f"{where}: {exc.reason}; it is taken as the Bicep parameter '{param.name}'",
            loc,
            resource,
        )
        return param

    # ---- Ref and GetAtt -------------------------------------------------------------------------
    def _ref(self, node: Ref, where: str) -> Any:
        target = node.target
        if target in PSEUDO_PARAMETERS:
            return self._pseudo(node, where)
        param = self.graph.parameter(target)
        if param is not None:
            symbol = self._param_symbol(param)
            if is_list_type(param.type) and self.b.params[symbol].type == "string":
                return b.Call("split", (b.Ident(symbol), ","))  # a NoEcho list is a secure string
            return b.Ident(symbol)
        if target in ("ServerlessRestApi", "ServerlessHttpApi") and self.graph.format == "sam":
            implicit = self.b.targets.get(target)  # registered by mapping/http_routes.py
            if implicit is not None and self.graph.resource(target) is None:
                return implicit.attributes["Ref"]
            raise Untranslatable(
                f"'{target}' is SAM's implicit API; HTTP functions are served from their function app's "
                "host name instead"
            )
        if self.graph.resource(target) is not None or target in self.b.targets:
            return self._attribute(target, "Ref", where, "Ref to", node.loc)
        raise self._undefined(f"Ref to '{target}'", target)

    def _getatt(self, node: GetAtt, where: str) -> Any:
        known = self.graph.resource(node.resource) is not None or node.resource in self.b.targets
        if not known and self._implicit_url_function(node.resource) is None:
            raise self._undefined(f"Fn::GetAtt on '{node.resource}'", node.resource)
        if not isinstance(node.attribute, str):
            raise Untranslatable("Fn::GetAtt with a computed attribute name cannot be rendered")
        label = f"Fn::GetAtt {node.resource}."
        return self._attribute(node.resource, str(node.attribute), where, label, node.loc)

    def _undefined(self, what: str, name: str) -> Untranslatable:
        """A reference to a name that is not in the template: reported by the parse already (LF4002), or
        one the parse let through because SAM or the framework generates it (no Azure counterpart)."""
        if (NAME, name) in self.graph.reported:
            return Untranslatable(f"{what}, which the template does not define", "LF4002", reported=True)
        if self.graph.references_checked:
            maker = (
                "the SAM transform" if self.graph.format == "sam" else "the Serverless Framework or a plugin"
            )
            return Untranslatable(f"{what}, a resource {maker} generates, has no Azure counterpart")
        return Untranslatable(f"{what}, which the template does not define", "LF4002")

    def _attribute(
        self, logical_id: str, attribute: str, where: str, label: str, loc: Loc | None = None
    ) -> Any:
        """Ref ('Ref') or an Fn::GetAtt attribute of a template resource, as its Azure counterpart's value."""
        resource = self.graph.resource(logical_id)
        aws_type = self._aws_type(logical_id)
        what = f"Ref to '{logical_id}'" if attribute == "Ref" else f"{label}{attribute}"
        spec = self.b.tables.attributes["types"].get(aws_type, {})
        if "via" in spec:
            owner = self._via_function(logical_id, spec["via"])
            if owner is None:
                raise Untranslatable(f"{what}: its {spec['via']} does not name a function of the template")
            logical_id, resource = owner, self.graph.resource(owner)
        found = self.b.targets.get(logical_id)
        if found is None:
            if where.split(".")[0] == logical_id:
                raise Untranslatable(
                    f"{what} refers to the resource itself (a circular reference CloudFormation rejects)",
                    rule="LF4015",
                    reported=(CYCLE, logical_id) in self.graph.reported,
                )
            raise Untranslatable(f"{what} ({aws_type}) has no Azure counterpart yet")
        template = spec.get("attributes", {}).get(attribute)
        if template is not None:
            value = self._attribute_template(template, found.symbol, logical_id)
        elif attribute in found.attributes:
            value = found.attributes[attribute]  # a counterpart that registers its attributes in code
        else:
            raise Untranslatable(f"{what} ({aws_type}) has no Azure counterpart yet")
        guarded = self._guarded(value, resource, found.symbol)
        if guarded is not value:
            self.b.finding(
                "LF4019",
                f"{where}: {what} is outside Fn::If on its condition '{resource.condition}'; it reads as empty "
                "when the condition is false (CloudFormation would fail the stack)",
                loc,
                _owner(where),
            )
        return guarded

    def _aws_type(self, logical_id: str) -> str:
        resource = self.graph.resource(logical_id)
        if resource is not None:
            return resource.type
        if self._implicit_url_function(logical_id) is not None:
            return "AWS::Lambda::Url"
        # serverless.yml functions are not CloudFormation resources of the graph
        function = next((f for f in self.graph.functions if f.logical_id == logical_id), None)
        return function.aws_type if function is not None else "unknown type"

    def _implicit_url_function(self, logical_id: str) -> str | None:
        """The function whose SAM FunctionUrlConfig generates the resource '<Function>Url', if any."""
        if self.graph.format != "sam" or not logical_id.endswith("Url"):
            return None
        function = next((f for f in self.graph.functions if f.logical_id == logical_id[: -len("Url")]), None)
        return function.logical_id if function is not None and function.prop("FunctionUrlConfig") else None

    def _via_function(self, logical_id: str, prop: str) -> str | None:
        """The function a resource belongs to through ``prop`` (Ref, Fn::GetAtt .Arn or the literal name)."""
        implicit = self._implicit_url_function(logical_id)
        if implicit is not None:
            return implicit
        resource = self.graph.resource(logical_id)
        value = resource.properties.get(prop) if resource is not None else None
        if isinstance(value, Ref):
            name = value.target
        elif isinstance(value, GetAtt):
            name = value.resource
        elif isinstance(value, str):
            name = str(value)
        else:
            return None
        return name if any(f.logical_id == name for f in self.graph.functions) else None

    def _attribute_template(self, template: str, symbol: str, logical_id: str) -> Any:
        """Evaluate an attributes.yaml template ('{self.name}', 'https://{parent.name}...') for one resource."""
        parts: list[Any] = []
        pos = 0
        for match in re.finditer(r"\{([^{}]+)\}", template):
            parts.append(template[pos : match.start()])
            pos = match.end()
            path = match.group(1).split(".")
            if path == ["logical_id"]:
                parts.append(logical_id)
                continue
            anchor = symbol
            for _ in range({"self": 0, "parent": 1, "grandparent": 2}[path[0]]):
                anchor = self._parent_symbol(anchor, template)
            parts.append(b.Prop(b.Ident(anchor), tuple(path[1:])))
        parts.append(template[pos:])
        pieces = [p for p in parts if p != ""]
        if len(pieces) == 1 and not isinstance(pieces[0], str):
            return pieces[0]  # one placeholder alone is that expression, not a string interpolation
        return b.interp(*parts)

    def _parent_symbol(self, symbol: str, template: str) -> str:
        resource = self.b.resource(symbol)
        parent = resource.body.get("parent") if resource is not None else None
        if not isinstance(parent, b.Ident):
            raise Untranslatable(
                f"the attribute '{template}' needs the parent of '{symbol}', which it has not"
            )
        return parent.name

    def _guarded(self, value: Any, resource: Any, symbol: str) -> Any:
        """A conditional counterpart exists only when its condition holds: outside Fn::If on the same
        condition, the reference reads as '' when it does not (CloudFormation would fail the stack)."""
        target = self.b.resource(symbol)
        if target is None or target.condition is None or resource is None or resource.condition is None:
            return value
        if resource.condition in self._guards:
            return value
        return b.Ternary(target.condition, value, "" if self.stringy(value) else None)

    def companion_settings(self, name: str, value: Any) -> dict[str, Any]:
        """NAME__<suffix> app settings for an environment variable that is exactly a Ref or Fn::GetAtt of a
        mapped resource (mappings/attributes.yaml 'settings'): what the Azure SDK needs to connect."""
        if isinstance(value, Ref):
            logical_id = value.target
        elif isinstance(value, GetAtt):
            logical_id = value.resource
        else:
            return {}
        resource = self.graph.resource(logical_id)
        found = self.b.targets.get(logical_id)
        if found is None:
            return {}
        aws_type = self._aws_type(logical_id)
        spec = self.b.tables.attributes["types"].get(aws_type, {})
        out: dict[str, Any] = {}
        for suffix, template in spec.get("settings", {}).items():
            try:
                rendered = self._attribute_template(template, found.symbol, logical_id)
            except Untranslatable:
                return {}
            out[f"{name}__{suffix}"] = self._guarded(rendered, resource, found.symbol)
        return out

    def _pseudo(self, node: Ref, where: str) -> Any:
        name = node.target
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::Region":
            return b.Ident("location")
        if name == "AWS::AccountId":
            return b.Prop(b.Call("subscription"), ("subscriptionId",))
        if name == "AWS::StackName":
            self.b.finding(
                "LF4004",
                f"{where}: AWS::StackName becomes the azd environment name",
                node.loc,
            )
            return b.Ident("environmentName")
        if name == "AWS::StackId":
            self.b.finding("LF4004", f"{where}: AWS::StackId becomes the resource group id", node.loc)
            return b.Prop(b.Call("resourceGroup"), ("id",))
        if name in _AWS_PARTITION_VALUES:
            value = _AWS_PARTITION_VALUES[name]
            self.b.finding(
                "LF4016",
                f"{where}: {name} is kept as the AWS value '{value}'; what it builds (an ARN, an AWS "
                "endpoint) still addresses AWS, not Azure",
                node.loc,
                _owner(where),
            )
            return value
        raise Untranslatable(f"the pseudo parameter {name} has no Azure counterpart")

    # ---- strings --------------------------------------------------------------------------------
    def _sub(self, node: Sub, where: str) -> Any:
        node = http_routes.execute_api_url(node, self.b) or node  # an API served by a function app
        parts = []
        for part in node.parts:
            rendered = self._value(part, where)
            if rendered is NO_VALUE:
                raise Untranslatable("Fn::Sub interpolates AWS::NoValue", rule="LF4018")
            parts.append(_scalar_text(rendered, "Fn::Sub"))
        self._aws_address(node.parts, where, node.loc)
        return b.interp(*parts)

    def _aws_address(self, parts: tuple[Any, ...], where: str, loc: Loc | None) -> None:
        """LF4022 when AWS::Region or AWS::AccountId goes into text that addresses AWS (an ARN, an endpoint).

        They become the Azure location and subscription id, which make no sense inside
        'https://dynamodb.${AWS::Region}.amazonaws.com' or 'arn:aws:sns:${AWS::Region}:${AWS::AccountId}:t'.
        """
        text = "".join(str(p) for p in parts if isinstance(p, str))
        pseudo = sorted(
            {p.target for p in parts if isinstance(p, Ref) and p.target in ("AWS::Region", "AWS::AccountId")}
        )
        uses_partition = any(
            isinstance(p, Ref) and p.target in ("AWS::Partition", "AWS::URLSuffix") for p in parts
        )
        if pseudo and (uses_partition or any(marker in text for marker in _AWS_ADDRESS_MARKERS)):
            self.b.finding(
                "LF4022",
                f"{where}: {' and '.join(pseudo)} {'become' if len(pseudo) > 1 else 'becomes'} the Azure "
                f"{' and '.join(_PSEUDO_AZURE[name] for name in pseudo)} inside text that addresses AWS "
                "(an ARN or an AWS endpoint), which then names neither",
                loc,
                _owner(where),
            )

    def _join(self, node: Join, where: str) -> Any:
        delimiter = self._value(node.delimiter, where)
        if not isinstance(delimiter, str):
            raise Untranslatable("Fn::Join takes a literal string delimiter", rule="LF4018")
        if isinstance(node.items, Arr):
            items = self._list([self._value(item, where) for item in node.items])
            if isinstance(items, list):
                return b.interp(*_joined([_scalar_text(item, "Fn::Join") for item in items], delimiter))
            return b.Call("join", (items, delimiter))
        items = self._value(node.items, where)
        if isinstance(items, list):  # computed at conversion (Fn::Cidr of literals, Fn::Split ...)
            return b.interp(*_joined([_scalar_text(item, "Fn::Join") for item in items], delimiter))
        if _not_a_list(items) or self.stringy(items):
            raise Untranslatable("Fn::Join takes a list of values to join", rule="LF4018")
        return b.Call("join", (items, delimiter))

    def _select(self, node: Select, where: str) -> Any:
        index = self._value(node.index, where)
        if isinstance(index, str):
            if not index.strip().isdigit():
                raise Untranslatable(f"Fn::Select index '{index}' is not a number", rule="LF4018")
            index = int(index)
        if isinstance(index, float) and index.is_integer():
            index = int(index)
        if isinstance(index, (bool, float, dict, list)) or index is NO_VALUE:
            raise Untranslatable(f"Fn::Select index {index!r} is not an integer", rule="LF4018")
        if isinstance(index, int) and index < 0:
            raise Untranslatable(f"Fn::Select index {index} is negative", rule="LF4018")
        if isinstance(node.items, Cidr) and isinstance(index, int):
            subnet = self._cidr_subnet(node.items, index, where)
            if subnet is not None:
                return subnet
        items = self._value(node.items, where)
        if isinstance(items, list) and isinstance(index, int):
            if 0 <= index < len(items):
                return items[index]
            raise Untranslatable(f"Fn::Select index {index} is outside the list", rule="LF4002")
        if _not_a_list(items) or self.stringy(items):
            raise Untranslatable("Fn::Select takes a list to select from", rule="LF4018")
        return b.Index(items, index)

    def _split(self, node: Split, where: str) -> Any:
        delimiter = self._value(node.delimiter, where)
        source = self._value(node.source, where)
        if not isinstance(delimiter, str):
            raise Untranslatable("Fn::Split takes a literal string delimiter", rule="LF4018")
        if isinstance(source, (list, dict, bool)) or source is NO_VALUE:
            raise Untranslatable("Fn::Split takes a string to split", rule="LF4018")
        if isinstance(source, (int, float)):
            source = _scalar_text(source, "Fn::Split")
        if isinstance(source, str):
            return source.split(delimiter)
        return b.Call("split", (source, delimiter))

    def _base64(self, node: Base64, where: str) -> Any:
        value = self._value(node.value, where)
        if isinstance(value, (list, dict)) or value is NO_VALUE or value is None:
            raise Untranslatable("Fn::Base64 takes a string", rule="LF4018")
        return b.Call("base64", (_scalar_text(value, "Fn::Base64"),))

    # ---- networks, zones, other stacks ----------------------------------------------------------
    def _getazs(self, node: GetAZs, where: str) -> Any:
        region = node.region
        if isinstance(region, Intrinsic) and not (isinstance(region, Ref) and region.target == "AWS::Region"):
            raise Untranslatable("Fn::GetAZs of a computed region cannot be rendered")
        if isinstance(region, (Obj, Arr)):
            raise Untranslatable("Fn::GetAZs takes a region name", rule="LF4018")
        self.b.finding(
            "LF4007",
            f"{where}: Fn::GetAZs becomes the availability zones Azure offers in the deployment region "
            f"(pickZones: zone numbers '1' to '{_MAX_ZONES}', not AWS zone names; an empty list in a "
            "region without zones)",
            node.loc,
            _owner(where),
        )
        return b.Call("pickZones", (*_ZONES_PROBE, b.Ident("location"), _MAX_ZONES))

    def _cidr_parts(self, node: Cidr, where: str) -> tuple[Any, Any, Any]:
        block = self._value(node.block, where)
        count = self._value(node.count, where)
        bits = self._value(node.bits, where)
        for value, what in ((count, "count"), (bits, "cidrBits")):
            if isinstance(value, (bool, list, dict, float)) or value is NO_VALUE:
                raise Untranslatable(f"Fn::Cidr {what} is not an integer", rule="LF4018")
            if isinstance(value, str) and not value.strip().isdigit():
                raise Untranslatable(f"Fn::Cidr {what} '{value}' is not an integer", rule="LF4018")
        if isinstance(block, (bool, int, float, list, dict)) or block is NO_VALUE:
            raise Untranslatable("Fn::Cidr takes an IP block in CIDR notation", rule="LF4018")
        count = int(count) if isinstance(count, str) else count
        bits = int(bits) if isinstance(bits, str) else bits
        return block, count, bits

    def _new_prefix(self, block: Any, bits: Any) -> Any:
        """cidrSubnet's new prefix length: address bits minus the subnet's host bits (Fn::Cidr cidrBits)."""
        if isinstance(block, str):
            try:
                width = ipaddress.ip_network(block, strict=False).max_prefixlen
            except ValueError:
                raise Untranslatable(
                    f"Fn::Cidr block '{block}' is not in CIDR notation", rule="LF4018"
                ) from None
            if isinstance(bits, int):
                if not 0 < bits <= width:
                    raise Untranslatable(f"Fn::Cidr cidrBits {bits} does not fit '{block}'", rule="LF4018")
                return width - bits
            return b.BinOp("-", width, bits)
        width = b.Ternary(b.Call("contains", (block, ":")), 128, 32)
        return b.BinOp("-", width, bits)

    def _cidr(self, node: Cidr, where: str) -> Any:
        block, count, bits = self._cidr_parts(node, where)
        prefix = self._new_prefix(block, bits)
        if isinstance(block, str) and isinstance(count, int) and isinstance(prefix, int):
            network = ipaddress.ip_network(block, strict=False)
            if prefix < network.prefixlen:
                raise Untranslatable(f"Fn::Cidr cidrBits {bits} is too large for '{block}'", rule="LF4018")
            subnets = []
            for subnet in network.subnets(new_prefix=prefix):
                if len(subnets) == count:
                    break
                subnets.append(str(subnet))
            if len(subnets) < count:
                raise Untranslatable(f"'{block}' has fewer than {count} subnets of that size", rule="LF4018")
            return subnets
        index = b.Ident("i")
        return b.Call(
            "map",
            (b.Call("range", (0, count)), b.Lambda(("i",), b.Call("cidrSubnet", (block, prefix, index)))),
        )

    def _cidr_subnet(self, node: Cidr, index: int, where: str) -> Any:
        """Fn::Select [i, Fn::Cidr [...]] of a computed block: one cidrSubnet() call (None: compute it all)."""
        block, count, bits = self._cidr_parts(node, where)
        if isinstance(block, str) and isinstance(count, int) and isinstance(bits, int):
            return None
        if isinstance(count, int) and index >= count:
            raise Untranslatable(
                f"Fn::Select index {index} is outside the {count} Fn::Cidr blocks", rule="LF4002"
            )
        return b.Call("cidrSubnet", (block, self._new_prefix(block, bits), index))

    def _other(self, node: OtherIntrinsic, where: str) -> Any:
        """The LanguageExtensions functions with a Bicep counterpart; anything else is untranslatable."""
        if node.name == "Fn::Length":
            items = self._value(node.args, where)
            if isinstance(items, list):
                return len(items)
            if _not_a_list(items) or self.stringy(items):
                raise Untranslatable("Fn::Length takes a list", rule="LF4018")
            return b.Call("length", (items,))
        if node.name == "Fn::ToJsonString":
            value = self._value(node.args, where)
            if isinstance(value, (dict, list)) and _is_literal(value):
                return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            if not isinstance(value, (dict, list, b.BExpr)):
                raise Untranslatable("Fn::ToJsonString takes a mapping or a list", rule="LF4018")
            return b.Call("string", (value,))  # Bicep's string() of an object or array is its JSON
        raise Untranslatable(_why(node))

    def _import_value(self, node: ImportValue, where: str) -> Any:
        name = node.name if isinstance(node.name, str) else "a computed export name"
        raise Untranslatable(
            f"Fn::ImportValue reads the export '{name}' of another CloudFormation stack", rule="LF4008"
        )

    def _transform(self, node: Transform, where: str) -> Any:
        name = str(node.name) if isinstance(node.name, str) else "a computed macro"
        if name == "AWS::Include":
            location = node.parameters.get("Location") if isinstance(node.parameters, Obj) else None
            where_from = f" from {location}" if isinstance(location, str) else ""
            reason = f"AWS::Include inserts a template snippet{where_from} at deployment"
        else:
            reason = f"Fn::Transform runs the macro '{name}' at deployment"
        raise Untranslatable(reason, rule="LF4009")

    # ---- conditions -----------------------------------------------------------------------------
    def _if(self, node: If, where: str) -> Any:
        cond = self.condition(node.condition, node.loc)
        self._guards.append(node.condition)
        try:
            if_true = self._value(node.if_true, where)
        finally:
            self._guards.pop()
        if_false = self._value(node.if_false, where)
        if if_true is NO_VALUE and if_false is NO_VALUE:
            return NO_VALUE
        if if_true is NO_VALUE or if_false is NO_VALUE:
            return MaybeAbsent(
                cond,
                None if if_true is NO_VALUE else if_true,
                None if if_false is NO_VALUE else if_false,
            )
        return b.Ternary(cond, if_true, if_false)

    def _condition_expr(self, node: Intrinsic, where: str) -> Any:
        if isinstance(node, ConditionRef):
            return self.condition(node.name, node.loc)
        if isinstance(node, Equals):
            left, right = self._equals_operand(node.left, where), self._equals_operand(node.right, where)
            return b.BinOp("==", left, right)
        if isinstance(node, Not):
            return b.Not(self._condition_operand(node.item, where))
        if isinstance(node, (And, Or)):
            op = "&&" if isinstance(node, And) else "||"
            items = [self._condition_operand(i, where) for i in node.items]
            expr = items[0]
            for item in items[1:]:
                expr = b.BinOp(op, expr, item)
            return expr
        raise Untranslatable(_why(node))

    def _equals_operand(self, item: Any, where: str) -> Any:
        """Fn::Equals compares text (Ref gives Number parameters as strings); Bicep needs one type."""
        value = self._value(item, where)
        if value is NO_VALUE:
            raise Untranslatable("Fn::Equals compares AWS::NoValue")
        if isinstance(value, (bool, int, float)):
            return _scalar_text(value)
        if value is None or self.stringy(value):
            return value
        return b.Call("string", (value,))

    def _condition_operand(self, item: Any, where: str) -> Any:
        """An operand of Fn::And/Or/Not; ``{"Condition": name}`` (the JSON form) names a condition."""
        if isinstance(item, Obj) and len(item) == 1 and isinstance(item.get("Condition"), str):
            return self.condition(str(item["Condition"]), loc_of(item))
        value = self._value(item, where)
        if not self._is_condition_value(value):
            raise Untranslatable(
                "Fn::And, Fn::Or and Fn::Not take conditions (Fn::Equals, Condition ...), not plain values",
                rule="LF4018",
            )
        return value

    def _is_condition_value(self, value: Any) -> bool:
        """True for what a condition can be: a comparison, a combination of conditions, a condition name."""
        if isinstance(value, bool):
            return True
        if isinstance(value, b.BinOp):
            return value.op in ("==", "&&", "||")
        if isinstance(value, b.Not):
            return True
        return isinstance(value, b.Ident) and value.name in self._condition_symbols.values()

    def _condition_symbol(self, name: str, loc: Loc | None) -> str:
        if name in self._condition_symbols:
            return self._condition_symbols[name]
        body = self.graph.conditions.get(name)
        if body is None:
            raise Untranslatable(
                f"condition '{name}' is not defined in Conditions",
                rule="LF4002",
                reported=(CONDITION, name) in self.graph.reported,
            )
        if name in self._conditions_in_progress:
            raise Untranslatable(f"condition '{name}' refers to itself", rule="LF4005")
        self._conditions_in_progress.add(name)
        try:
            value = self._value(body, f"Conditions.{name}")
        finally:
            self._conditions_in_progress.discard(name)
        if not self._is_condition_value(value):
            raise Untranslatable(
                f"condition '{name}' is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, "
                "Condition)",
                rule="LF4018",
            )
        symbol = self.b.symbol(name)
        self.b.variables[symbol] = BicepVar(symbol, value, f"Condition {name}")
        self._condition_symbols[name] = symbol
        return symbol

    # ---- mappings -------------------------------------------------------------------------------
    def _findinmap(self, node: FindInMap, where: str) -> Any:
        if not isinstance(node.map_name, str):
            raise Untranslatable("Fn::FindInMap with a computed map name cannot be rendered")
        name = str(node.map_name)
        table = self.graph.mappings.get(name)
        if not isinstance(table, Obj):
            raise Untranslatable(f"mapping '{name}' is not defined in Mappings", rule="LF4002")
        top = _key_text(self._value(node.top_key, where))
        second = _key_text(self._value(node.second_key, where))
        if any(
            isinstance(n, Ref) and n.target == "AWS::Region" for n in walk((node.top_key, node.second_key))
        ):
            self.b.finding(
                "LF4020",
                f"{where}: mapping '{name}' is looked up by AWS::Region, which becomes the Azure location; "
                f"its keys are AWS region names ({', '.join(list(table)[:3])}{', ...' if len(table) > 3 else ''}), "
                "so the lookup fails at deployment until the mapping has Azure location keys",
                node.loc,
                _owner(where),
            )
        for key in (top, second):
            if isinstance(key, (list, dict)) or key is NO_VALUE or key is None:
                raise Untranslatable("Fn::FindInMap keys are strings", rule="LF4018")
        if isinstance(top, str) and isinstance(second, str):
            row = table.get(top)
            if isinstance(row, Obj) and second in row:
                return self._value(row[second], where)
            if node.default is None:
                raise Untranslatable(f"mapping '{name}' has no entry [{top}][{second}]", rule="LF4002")
            return self._value(node.default, where)
        symbol = self._map_symbols.get(name)
        if symbol is None:
            symbol = self.b.symbol(f"{name}Map")
            self.b.variables[symbol] = BicepVar(
                symbol, self._value(self._without_secrets(name, table), f"Mappings.{name}"), f"Mapping {name}"
            )
            self._map_symbols[name] = symbol
        if node.default is not None:
            # DefaultValue (LanguageExtensions) applies when a key is missing: look up safely
            lookup = b.Index(b.Index(b.Ident(symbol), top, safe=True), second, safe=True)
            return b.BinOp("??", lookup, self._value(node.default, where))
        return b.Index(b.Index(b.Ident(symbol), top), second)

    def _without_secrets(self, name: str, table: Obj) -> Obj:
        """The mapping with each value whose literal text looks like a credential replaced by a new @secure()
        parameter (LF5023): the map variable is written whole, whichever entries are read."""
        rows: dict[str, Any] = {}
        for top, row in table.items():
            if not isinstance(row, Obj):
                rows[top] = row
                continue
            entries: dict[str, Any] = {}
            for second, value in row.items():
                reason = literal_secret(value)
                if reason is None:
                    entries[second] = value
                    continue
                param = self.b.value_param(
                    f"{name} {top} {second} mapping value",
                    f"Value of Mappings.{name}.{top}.{second} (its literal text looks like a credential in the "
                    "template). Not written to any output file.",
                    secure=True,
                )
                self.b.finding(
                    "LF5023",
                    f"mapping value '{name}.{top}.{second}' looks secret ({reason}): the map variable reads the "
                    f"@secure() parameter '{param.name}' in its place; the value is not copied",
                    row.loc_of(second),
                    None,
                )
                entries[second] = param
            rows[top] = row.with_items(entries)
        return table.with_items(rows)

    # ---- parameters -----------------------------------------------------------------------------
    def _param_symbol(self, param: Parameter) -> str:
        if param.name in self._param_symbols:
            return self._param_symbols[param.name]
        symbol = self.b.symbol(param.name)
        self._param_symbols[param.name] = symbol
        self.template_params[symbol] = param
        self.b.add_param(bicep_param(self.b, symbol, param))
        return symbol

    def _is_string_symbol(self, name: str) -> bool:
        param = self.b.params.get(name)
        if param is not None:
            return param.type == "string"
        return name in ("location", "environmentName", "resourceToken")


def _scalar_text(value: Any, fn_name: str = "a string") -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dict, list)) or value is NO_VALUE:
        raise Untranslatable(
            f"{fn_name}: a list or mapping cannot be interpolated into a string", rule="LF4018"
        )
    if isinstance(value, b.Call) and value.fn in ("concat", "map", "pickZones", "split", "range", "filter"):
        raise Untranslatable(f"{fn_name}: a list cannot be interpolated into a string", rule="LF4018")
    return value


def settings_object(settings: dict[str, Any]) -> Any:
    """App settings as a Bicep object; a setting absent under a condition (Fn::If with AWS::NoValue) is
    merged in only where it exists, because an app setting cannot be null."""
    optional = {k: v for k, v in settings.items() if isinstance(v, MaybeAbsent)}
    if not optional:
        return settings
    fixed = {k: v for k, v in settings.items() if k not in optional}
    return b.OptionalKeysObject(fixed, optional)


def _joined(items: list[Any], delimiter: str) -> list[Any]:
    parts: list[Any] = []
    for item in items:
        if parts:
            parts.append(delimiter)
        parts.append(item)
    return parts or [""]


def _owner(where: str) -> str | None:
    """The logical id a finding is about: the first part of ``where`` unless it names a template section."""
    root = where.split(".")[0]
    return None if root in ("Outputs", "Conditions", "Mappings", "Parameters") else root


def _key_text(value: Any) -> Any:
    """A Fn::FindInMap key: numbers and booleans are looked up as their text (mapping keys are text)."""
    if isinstance(value, (bool, int, float)):
        return _scalar_text(value)
    return value


def _is_literal(value: Any) -> bool:
    """True for a tree of plain strings, numbers, booleans, lists and mappings (no Bicep expression)."""
    if isinstance(value, dict):
        return all(_is_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_literal(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _not_a_list(value: Any) -> bool:
    return isinstance(value, (str, dict, bool, int, float)) or value is None or value is NO_VALUE


def _as_list(value: Any) -> list[Any]:
    return [] if value is None else [value]


#: pseudo parameters kept as the value CloudFormation gives them in the AWS commercial partition
#: literal text that makes an Fn::Sub an AWS address (ARN or endpoint)
_AWS_ADDRESS_MARKERS = ("arn:aws", "amazonaws.com", "amazon.com")
_PSEUDO_AZURE = {"AWS::Region": "location", "AWS::AccountId": "subscription id"}
_AWS_PARTITION_VALUES = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


def _why(node: Intrinsic) -> str:
    if isinstance(node, BadIntrinsic):
        return f"{node.name} is malformed ({node.reason})"
    name = getattr(node, "name", None) if node.fn_name == "Fn::?" else node.fn_name
    if isinstance(name, str) and name.startswith("Serverless::"):
        return f"the {name.removeprefix('Serverless::')} variable source is known only at deploy time"
    return f"{name} has no Bicep rendering yet"


#: Bicep parameter type for a fallback default of this Python type (a float has no Bicep type: text)
_DEFAULT_TYPES = {bool: "bool", int: "int"}


def _fallback_default(value: Any) -> Any:
    """The default of the parameter for ``value``: the fallback of a Serverless ``${env:X, 'text'}``, or
    the text around it when it is interpolated (``app-${env:STAGE, 'dev'}`` -> 'app-dev'); else None."""
    if isinstance(value, OtherIntrinsic):
        return value.default
    parts = value.parts if isinstance(value, Sub) else ()
    if any(isinstance(p, OtherIntrinsic) for p in parts) and all(
        isinstance(p, str) or (isinstance(p, OtherIntrinsic) and p.default is not None) for p in parts
    ):
        return "".join(p if isinstance(p, str) else str(p.default) for p in parts)
    return None


def _secret_default(default: Any) -> bool:
    """True when a fallback looks like a credential: its parameter is @secure() without a default."""
    return isinstance(default, str) and secret_value(default) is not None


#: deploy-time sources whose values are secrets: their parameters are @secure()
_SECRET_SOURCES = frozenset(
    {"Serverless::ssm", "Serverless::secrets", "Serverless::vault", "Serverless::doppler"}
)


def _secret_source(value: Any) -> bool:
    """True when the value reads a secret store (SSM, Secrets Manager ...), so its parameter is secure."""
    for node in walk(value):
        if isinstance(node, OtherIntrinsic) and (
            node.name in _SECRET_SOURCES or "secretsmanager" in str(node.args).lower()
        ):
            return True
    return False
