"""SAM Connectors: the Lambda permission a connector grants, so that it is read like a written one.

A connector (``AWS::Serverless::Connector``, or a ``Connectors`` attribute embedded in its source
resource) with ``Write`` permission from an API, topic, rule or bucket to a function makes SAM emit an
``AWS::Lambda::Permission`` for the source's service. The same Permission is built here, so the SAM
reading and the reading of SAM's expanded output find the same invocation paths. The other access a
connector grants (reads and writes to tables, queues, buckets) is identity, not a trigger.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from translator.graph import Resource
from translator.values import Arr, GetAtt, Obj, Ref, Str, Sub

CONNECTOR = "AWS::Serverless::Connector"
_FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})
#: source resource type -> the service principal of the Permission SAM writes for it
_PRINCIPALS = {
    "AWS::Serverless::Api": "apigateway.amazonaws.com",
    "AWS::ApiGateway::RestApi": "apigateway.amazonaws.com",
    "AWS::Serverless::HttpApi": "apigateway.amazonaws.com",
    "AWS::ApiGatewayV2::Api": "apigateway.amazonaws.com",
    "AWS::SNS::Topic": "sns.amazonaws.com",
    "AWS::Events::Rule": "events.amazonaws.com",
    "AWS::S3::Bucket": "s3.amazonaws.com",
    "AWS::AppSync::GraphQLApi": "appsync.amazonaws.com",
    "AWS::Serverless::GraphQLApi": "appsync.amazonaws.com",
}


def connectors(resources: tuple[Resource, ...]) -> Iterator[tuple[str, Obj, Any]]:
    """(connector name, Properties, loc) of every standalone and embedded connector; embedded ones get
    their Source filled in as ``{Id: <owner>}``."""
    for r in resources:
        if r.type == CONNECTOR:
            yield r.logical_id, r.properties, r.loc
        for name, body in (r.connectors or Obj()).items():
            props = body.get("Properties") if isinstance(body, Obj) else None
            if isinstance(props, Obj):
                source = Obj({"Id": Str(r.logical_id)})
                yield (
                    f"{r.logical_id}{name}",
                    props.with_items({**dict(props.items()), "Source": source}),
                    r.loc,
                )


def _endpoint_id(endpoint: Any, by_id: dict[str, Resource]) -> str | None:
    """The logical id a connector Source/Destination designates (Id, or ResourceId / Arn naming one)."""
    if not isinstance(endpoint, Obj):
        return None
    if isinstance(endpoint.get("Id"), str):
        return str(endpoint["Id"]) if str(endpoint["Id"]) in by_id else None
    for key in ("ResourceId", "Arn", "Name"):
        value = endpoint.get(key)
        if isinstance(value, Ref) and value.target in by_id:
            return value.target
        if isinstance(value, GetAtt) and value.resource in by_id:
            return value.resource
    return None


def _endpoint_type(endpoint: Obj, found: str | None, by_id: dict[str, Resource]) -> str | None:
    if found is not None:
        return by_id[found].type
    declared = endpoint.get("Type")
    return str(declared) if isinstance(declared, str) else None


def invoke_permissions(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """The Permission resources that connectors granting Write from a service to a function stand for."""
    by_id = {r.logical_id: r for r in resources}
    permissions = []
    for name, props, loc in connectors(resources):
        granted = props.get("Permissions")
        if not isinstance(granted, Arr) or "Write" not in [str(p) for p in granted if isinstance(p, str)]:
            continue
        source = props.get("Source")
        source_id = _endpoint_id(source, by_id)
        principal = (
            _PRINCIPALS.get(_endpoint_type(source, source_id, by_id) or "")
            if isinstance(source, Obj)
            else None
        )
        if principal is None:
            continue
        destinations = props.get("Destination")
        items = list(destinations) if isinstance(destinations, Arr) else [destinations]
        for index, destination in enumerate(items):
            target = _endpoint_id(destination, by_id)
            if target is None or by_id[target].type not in _FUNCTION_TYPES:
                continue
            source_ref = (
                Ref(source_id, loc=loc)
                if source_id
                else (source.get("Arn") if isinstance(source, Obj) else None)
            )
            source_arn: Any = source_ref
            if principal == "apigateway.amazonaws.com":
                source_arn = Sub(("arn:aws:execute-api:region:account:", source_ref, "/*"), loc=loc)
            permission = {
                "Action": Str("lambda:InvokeFunction"),
                "FunctionName": GetAtt(target, "Arn", loc=loc),
                "Principal": Str(principal),
            }
            if source_arn is not None:
                permission["SourceArn"] = source_arn
            permissions.append(
                Resource(
                    logical_id=f"{name}{index or ''}WriteLambdaPermission",
                    type="AWS::Lambda::Permission",
                    properties=Obj(permission, loc),
                    loc=loc,
                )
            )
    return tuple(permissions)
