"""Template parameters as Bicep parameters: type, default, @allowed, length and value bounds, @secure().

CloudFormation constraints Bicep cannot express (AllowedPattern, AWS-specific types, SSM-backed values)
are kept where the user sees them and reported.
"""

from __future__ import annotations

from typing import Any

from translator.graph import Parameter
from translator.mapping.context import Builder
from translator.mapping.secrets_detect import secret_value
from translator.plan import BicepParam
from translator.values import Arr, Intrinsic, Obj


def bicep_param(builder: Builder, symbol: str, param: Parameter) -> BicepParam:
    """The Bicep parameter for a template parameter: type, default, constraints and their findings."""
    ptype = param.type
    if ptype == "Number":
        bicep_type = "int"
    elif is_list_type(ptype):
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
    secure = param.no_echo
    looks = secret_value(default) if isinstance(default, str) and bicep_type == "string" else None
    if looks and not secure:
        # whatever reads it, the default would be the credential in plain text in main.bicep
        secure, default, has_default = True, None, False
        builder.finding(
            "LF5022",
            f"parameter '{param.name}' has a default that looks secret ({looks}): it becomes a @secure() "
            "parameter without its Default and AllowedValues; supply its value at deployment",
            param.loc,
            param.name,
        )
    if param.no_echo:
        builder.finding(
            "LF5001",
            f"parameter '{param.name}' is NoEcho: it becomes a @secure() parameter without its default",
            param.loc,
            param.name,
        )
    if ssm:
        builder.finding(
            "LF4001",
            f"parameter '{param.name}' was read from SSM Parameter Store at deployment; "
            "supply its value directly (or from Key Vault)",
            param.loc,
            param.name,
        )
    description = param.description
    if param.allowed_pattern is not None:
        # Bicep has no pattern decorator: keep the constraint where the user sees it
        description = f"{description + ' ' if description else ''}(pattern: {param.allowed_pattern})"
        builder.finding(
            "LF4012",
            f"parameter '{param.name}' has AllowedPattern {param.allowed_pattern!r}; Bicep does not check "
            "it, so it is kept in the description",
            param.loc,
            param.name,
        )
    element = ptype[len("List<") : -1] if ptype.startswith("List<") and ptype.endswith(">") else ptype
    if element.startswith("AWS::") and not ssm:
        builder.finding(
            "LF4013",
            f"parameter '{param.name}' is of type {ptype}: it holds AWS resource ids; supply the id of the "
            "Azure resource that replaces it",
            param.loc,
            param.name,
        )
    allowed = tuple(_literal_default(a, bicep_type) for a in param.allowed_values)
    if looks or any(a is None or isinstance(a, list) for a in allowed):
        allowed = ()
    return BicepParam(
        name=symbol,
        type=bicep_type,
        description=description,
        default=default,
        has_default=has_default,
        secure=secure,
        allowed=allowed,
        min_length=param.min_length,
        max_length=param.max_length,
        min_value=int(param.min_value) if param.min_value is not None and bicep_type == "int" else None,
        max_value=int(param.max_value) if param.max_value is not None and bicep_type == "int" else None,
    )


def is_list_type(ptype: str) -> bool:
    """List parameters, also read from SSM (AWS::SSM::Parameter::Value<List<String>> / <CommaDelimitedList>)."""
    inner = (
        ptype.removeprefix("AWS::SSM::Parameter::Value<").removesuffix(">")
        if ptype.startswith("AWS::SSM")
        else ptype
    )
    return inner.startswith("List<") or inner == "CommaDelimitedList"


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
