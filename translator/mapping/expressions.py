"""Turn CloudFormation value trees (literals and intrinsics) into Bicep values.

One dispatch table maps each intrinsic node type to a method. What cannot be rendered yet becomes a
Bicep parameter plus finding LF4001, never text pasted into the output and never a silent drop.
Template parameters and conditions are declared in the plan only when something uses them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator import bicep as b
from translator.graph import Parameter
from translator.mapping.context import Builder
from translator.plan import BicepParam, BicepVar
from translator.values import (
    PSEUDO_PARAMETERS,
    And,
    Arr,
    BadIntrinsic,
    Base64,
    ConditionRef,
    Equals,
    FindInMap,
    GetAtt,
    If,
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
    Str,
    Sub,
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


class Untranslatable(Exception):
    def __init__(self, reason: str, rule: str = "LF4001") -> None:
        super().__init__(reason)
        self.reason = reason
        self.rule = rule


class Expressions:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.graph = builder.graph
        self._param_symbols: dict[str, str] = {}
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
            Base64: lambda node, where: b.Call("base64", (self._value(node.value, where),)),
        }

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
            return [v for v in (self._value(item, where) for item in value) if v is not NO_VALUE]
        if isinstance(value, Str):
            return str(value)
        return value

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
            self.b.finding(
                exc.rule, f"{where}: {exc.reason}; it is the Bicep parameter '{shared.name}'", loc, resource
            )
            return shared
        base = "".join(ch if ch.isalnum() else " " for ch in where).title().replace(" ", "")
        param = self.b.value_param(
            base[:1].lower() + base[1:] or "value",
            f"Value of {where}: {exc.reason}",
            secure=_secret_source(value),
        )
        if key is not None:
            self._value_params[key] = param
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
            if _is_list_type(param.type) and self.b.params[symbol].type == "string":
                return b.Call("split", (b.Ident(symbol), ","))  # a NoEcho list is a secure string
            return b.Ident(symbol)
        if target in ("ServerlessRestApi", "ServerlessHttpApi") and self.graph.format == "sam":
            raise Untranslatable(
                f"'{target}' is SAM's implicit API; HTTP functions are served from their function app's "
                "host name instead"
            )
        if self.graph.resource(target) is not None:
            found = self.b.targets.get(target)
            if found is not None and "Ref" in found.attributes:
                return found.attributes["Ref"]
            raise Untranslatable(
                f"Ref to '{target}' ({self.graph.resource(target).type}) has no Azure counterpart yet"  # type: ignore[union-attr]
            )
        raise Untranslatable(f"Ref to '{target}', which the template does not define", rule="LF4002")

    def _getatt(self, node: GetAtt, where: str) -> Any:
        resource = self.graph.resource(node.resource)
        if resource is None:
            raise Untranslatable(
                f"Fn::GetAtt on '{node.resource}', which the template does not define", rule="LF4002"
            )
        if not isinstance(node.attribute, str):
            raise Untranslatable("Fn::GetAtt with a computed attribute name cannot be rendered")
        found = self.b.targets.get(node.resource)
        if found is not None and node.attribute in found.attributes:
            return found.attributes[node.attribute]
        raise Untranslatable(
            f"Fn::GetAtt {node.resource}.{node.attribute} ({resource.type}) has no Azure counterpart yet"
        )

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
        raise Untranslatable(f"the pseudo parameter {name} has no Azure counterpart")

    # ---- strings --------------------------------------------------------------------------------
    def _sub(self, node: Sub, where: str) -> Any:
        parts = []
        for part in node.parts:
            if isinstance(part, str):
                parts.append(str(part))
            else:
                rendered = self._value(part, where)
                if rendered is NO_VALUE:
                    raise Untranslatable("Fn::Sub interpolates AWS::NoValue")
                parts.append(_scalar_text(rendered))
        return b.interp(*parts)

    def _join(self, node: Join, where: str) -> Any:
        delimiter = self._value(node.delimiter, where)
        if not isinstance(delimiter, str):
            raise Untranslatable("Fn::Join with a computed delimiter cannot be rendered")
        if isinstance(node.items, Arr):
            parts: list[Any] = []
            for index, item in enumerate(node.items):
                rendered = self._value(item, where)
                if rendered is NO_VALUE:
                    continue
                if index and parts:
                    parts.append(delimiter)
                parts.append(_scalar_text(rendered))
            return b.interp(*parts) if parts else ""
        return b.Call("join", (self._value(node.items, where), delimiter))

    def _select(self, node: Select, where: str) -> Any:
        index = self._value(node.index, where)
        items = self._value(node.items, where)
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if isinstance(items, list) and isinstance(index, int):
            if 0 <= index < len(items):
                return items[index]
            raise Untranslatable(f"Fn::Select index {index} is outside the list", rule="LF4002")
        return b.Index(items, index)

    def _split(self, node: Split, where: str) -> Any:
        delimiter = self._value(node.delimiter, where)
        source = self._value(node.source, where)
        if isinstance(delimiter, str) and isinstance(source, str):
            return source.split(delimiter)
        return b.Call("split", (source, delimiter))

    # ---- conditions -----------------------------------------------------------------------------
    def _if(self, node: If, where: str) -> Any:
        cond = self.condition(node.condition, node.loc)
        if_true = self._value(node.if_true, where)
        if_false = self._value(node.if_false, where)
        if if_true is NO_VALUE and if_false is NO_VALUE:
            return NO_VALUE
        return b.Ternary(
            cond,
            None if if_true is NO_VALUE else if_true,
            None if if_false is NO_VALUE else if_false,
        )

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
        return self._value(item, where)

    def _condition_symbol(self, name: str, loc: Loc | None) -> str:
        if name in self._condition_symbols:
            return self._condition_symbols[name]
        body = self.graph.conditions.get(name)
        if body is None:
            raise Untranslatable(f"condition '{name}' is not defined in Conditions", rule="LF4002")
        if name in self._conditions_in_progress:
            raise Untranslatable(f"condition '{name}' refers to itself", rule="LF4005")
        self._conditions_in_progress.add(name)
        try:
            value = self._value(body, f"Conditions.{name}")
        finally:
            self._conditions_in_progress.discard(name)
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
        top = self._value(node.top_key, where)
        second = self._value(node.second_key, where)
        if isinstance(top, str) and isinstance(second, str) and node.default is None:
            row = table.get(top)
            if isinstance(row, Obj) and second in row:
                return self._value(row[second], where)
        symbol = self._map_symbols.get(name)
        if symbol is None:
            symbol = self.b.symbol(f"{name}Map")
            self.b.variables[symbol] = BicepVar(
                symbol, self._value(table, f"Mappings.{name}"), f"Mapping {name}"
            )
            self._map_symbols[name] = symbol
        if node.default is not None:
            # DefaultValue (LanguageExtensions) applies when a key is missing: look up safely
            lookup = b.Index(b.Index(b.Ident(symbol), top, safe=True), second, safe=True)
            return b.BinOp("??", lookup, self._value(node.default, where))
        return b.Index(b.Index(b.Ident(symbol), top), second)

    # ---- parameters -----------------------------------------------------------------------------
    def _param_symbol(self, param: Parameter) -> str:
        if param.name in self._param_symbols:
            return self._param_symbols[param.name]
        symbol = self.b.symbol(param.name)
        self._param_symbols[param.name] = symbol
        self.b.add_param(self._bicep_param(symbol, param))
        return symbol

    def _bicep_param(self, symbol: str, param: Parameter) -> BicepParam:
        ptype = param.type
        if ptype == "Number":
            bicep_type = "int"
        elif _is_list_type(ptype):
            bicep_type = "array"
        else:
            bicep_type = "string"
        if param.no_echo:
            # @secure() applies to string and object parameters only; CloudFormation hands a NoEcho
            # Number to Ref as a string anyway, and a list is read back with split()
            bicep_type = "string"
        ssm = ptype.startswith("AWS::SSM::Parameter::Value")
        # an SSM parameter's Default is the name of the SSM parameter, not its value
        has_default = param.has_default and not param.no_echo and not ssm
        default = param.default if has_default else None
        if has_default:
            default = _literal_default(default, bicep_type)
            if default is None:
                has_default = False
        if param.no_echo:
            self.b.finding(
                "LF5001",
                f"parameter '{param.name}' is NoEcho: it becomes a @secure() parameter without its default",
                param.loc,
                param.name,
            )
        if ssm:
            self.b.finding(
                "LF4001",
                f"parameter '{param.name}' was read from SSM Parameter Store at deployment; "
                "supply its value directly (or from Key Vault)",
                param.loc,
                param.name,
            )
        allowed = tuple(_literal_default(a, bicep_type) for a in param.allowed_values)
        if any(a is None or isinstance(a, list) for a in allowed):
            allowed = ()
        return BicepParam(
            name=symbol,
            type=bicep_type,
            description=param.description,
            default=default,
            has_default=has_default,
            secure=param.no_echo,
            allowed=allowed,
            min_length=param.min_length,
            max_length=param.max_length,
            min_value=int(param.min_value) if param.min_value is not None and bicep_type == "int" else None,
            max_value=int(param.max_value) if param.max_value is not None and bicep_type == "int" else None,
        )

    def _is_string_symbol(self, name: str) -> bool:
        param = self.b.params.get(name)
        if param is not None:
            return param.type == "string"
        return name in ("location", "environmentName", "resourceToken")


def _is_list_type(ptype: str) -> bool:
    return ptype.startswith("List<") or ptype == "CommaDelimitedList"


def _literal_default(value: Any, bicep_type: str) -> Any:
    """A parameter default as a Bicep literal of the declared type, or None when not expressible."""
    if isinstance(value, (Intrinsic, Obj)):
        return None
    if bicep_type == "int":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() else None
    if bicep_type == "array":
        if isinstance(value, Arr):
            return [str(v) for v in value]
        if isinstance(value, str):
            return [item.strip() for item in str(value).split(",")] if str(value) else []
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    return str(value)


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dict, list)):
        raise Untranslatable("a list or mapping cannot be interpolated into a string")
    return value


def _why(node: Intrinsic) -> str:
    if isinstance(node, BadIntrinsic):
        return f"{node.name} is malformed ({node.reason})"
    name = getattr(node, "name", None) if node.fn_name == "Fn::?" else node.fn_name
    if isinstance(name, str) and name.startswith("Serverless::"):
        return f"the {name.removeprefix('Serverless::')} variable source is known only at deploy time"
    return f"{name} has no Bicep rendering yet"


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
