"""AWS SAM: merge Globals into serverless functions and read their events.

Globals merge, as the SAM specification defines it: a resource's scalar replaces the global one;
mappings merge key by key (the resource wins); lists concatenate, globals first. An intrinsic counts
as a scalar, so it is never merged into. ``IgnoreGlobals: '*'`` or a list of property names opts out.
"""

from __future__ import annotations

from typing import Any

from translator.findings import Finding
from translator.graph import Event, Function, Resource
from translator.values import Arr, GetAtt, Join, Obj, Ref, Sub, loc_of

SERVERLESS_FUNCTION = "AWS::Serverless::Function"

#: SAM event Type -> canonical trigger kind (mappings/triggers.yaml keys)
EVENT_KINDS = {
    "Api": "api",
    "HttpApi": "httpapi",
    "SQS": "sqs",
    "S3": "s3",
    "SNS": "sns",
    "Schedule": "schedule",
    "ScheduleV2": "schedule",
    "EventBridgeRule": "eventbridge",
    "CloudWatchEvent": "eventbridge",
    "DynamoDB": "dynamodb",
    "Kinesis": "kinesis",
    "CloudWatchLogs": "cloudwatchlogs",
    "IoTRule": "iotrule",
    "AlexaSkill": "alexaskill",
    "Cognito": "cognito",
    "MSK": "msk",
    "MQ": "mq",
    "SelfManagedKafka": "selfmanagedkafka",
    "DocumentDB": "documentdb",
}

#: the event property that names the event source, per kind
SOURCE_PROPERTY = {
    "sqs": "Queue",
    "s3": "Bucket",
    "sns": "Topic",
    "dynamodb": "Stream",
    "kinesis": "Stream",
    "msk": "Stream",
    "mq": "Broker",
    "cognito": "UserPool",
    "api": "RestApiId",
    "httpapi": "ApiId",
    "eventbridge": "EventBusName",
    "documentdb": "Cluster",
}

GLOBAL_FUNCTION_KEYS = frozenset(
    (
        "Handler",
        "Runtime",
        "CodeUri",
        "DeadLetterQueue",
        "Description",
        "MemorySize",
        "Timeout",
        "VpcConfig",
        "Environment",
        "Tags",
        "PropagateTags",
        "Tracing",
        "KmsKeyArn",
        "AutoPublishAlias",
        "AutoPublishAliasAllProperties",
        "Layers",
        "DeploymentPreference",
        "RolePath",
        "PermissionsBoundary",
        "ReservedConcurrentExecutions",
        "ProvisionedConcurrencyConfig",
        "AssumeRolePolicyDocument",
        "EventInvokeConfig",
        "FileSystemConfigs",
        "CodeSigningConfigArn",
        "Architectures",
        "SnapStart",
        "EphemeralStorage",
        "FunctionUrlConfig",
        "RuntimeManagementConfig",
        "LoggingConfig",
        "RecursiveLoop",
        "SourceKMSKeyArn",
        "TenancyConfig",
        "DurableConfig",
        "CapacityProviderConfig",
        "FunctionScalingConfig",
        "PublishToLatestPublished",
        "VersionDeletionPolicy",
    )
)
GLOBAL_SECTIONS = frozenset(
    {
        "Function",
        "Api",
        "HttpApi",
        "SimpleTable",
        "LayerVersion",
        "StateMachine",
        "CapacityProvider",
        "WebSocketApi",
    }
)


def merge_globals(global_value: Any, local_value: Any) -> Any:
    """SAM's merge of one property.

    >>> merge_globals(Arr(["a"]), Arr(["b"]))
    ('a', 'b')
    >>> dict(merge_globals(Obj({"A": 1, "B": 2}), Obj({"B": 3})))
    {'A': 1, 'B': 3}
    """
    if isinstance(global_value, Obj) and isinstance(local_value, Obj):
        merged = dict(global_value.items())
        for key, value in local_value.items():
            merged[key] = merge_globals(merged[key], value) if key in merged else value
        key_locs = {k: global_value.loc_of(k) for k in global_value}
        key_locs.update({k: local_value.loc_of(k) for k in local_value})
        return Obj(merged, local_value.loc, {k: v for k, v in key_locs.items() if v is not None})
    if isinstance(global_value, Arr) and isinstance(local_value, Arr):
        return Arr(tuple(global_value) + tuple(local_value), local_value.loc)
    return local_value


def _function_globals(globals_: Any, findings: list[Finding]) -> Obj:
    if not isinstance(globals_, Obj):
        return Obj()
    for section in globals_:
        if section not in GLOBAL_SECTIONS:
            findings.append(
                Finding.of(
                    "LF0006",
                    f"Globals section '{section}' is not a SAM Globals section",
                    globals_.loc_of(section),
                )
            )
    fn_globals = globals_.get("Function")
    if not isinstance(fn_globals, Obj):
        return Obj()
    kept = {}
    for key, value in fn_globals.items():
        if key in GLOBAL_FUNCTION_KEYS:
            kept[key] = value
        else:
            findings.append(
                Finding.of(
                    "LF0006",
                    f"Globals.Function.{key} is not allowed in Globals by SAM and is ignored",
                    fn_globals.loc_of(key),
                )
            )
    return fn_globals.with_items(kept)


def effective_properties(resource: Resource, fn_globals: Obj) -> Obj:
    """The function's properties with Globals merged in, honouring IgnoreGlobals."""
    ignore = resource.ignore_globals
    props = resource.properties
    merged = dict(props.items())
    key_locs = {k: props.loc_of(k) for k in props}
    for key, value in fn_globals.items():
        if ignore == "*" or (isinstance(ignore, tuple) and key in ignore):
            continue
        if key in merged:
            merged[key] = merge_globals(value, merged[key])
        else:
            merged[key] = value
            key_locs[key] = fn_globals.loc_of(key)
    return Obj(merged, props.loc, {k: v for k, v in key_locs.items() if v is not None})


def functions(resources: tuple[Resource, ...], globals_: Any, findings: list[Finding]) -> list[Function]:
    fn_globals = _function_globals(globals_, findings)
    types = {r.logical_id: r.type for r in resources}
    ids = set(types)
    bodies = {
        r.logical_id: r.properties["DefinitionBody"]
        for r in resources
        if r.type in _API_KIND_OF_TYPE and isinstance(r.properties.get("DefinitionBody"), Obj)
    }
    result = []
    for resource in resources:
        if resource.type != SERVERLESS_FUNCTION:
            continue
        props = effective_properties(resource, fn_globals)
        events = [
            e
            for e in _events(resource.logical_id, props, types, findings)
            if not _route_taken(e, bodies, ids, findings)
        ]
        url = props.get("FunctionUrlConfig")
        if isinstance(url, Obj):
            events.append(
                Event(
                    name="FunctionUrl",
                    kind="url",
                    aws_type="FunctionUrlConfig",
                    function=resource.logical_id,
                    properties=url,
                    loc=props.loc_of("FunctionUrlConfig"),
                )
            )
        result.append(
            Function(
                logical_id=resource.logical_id,
                aws_type=SERVERLESS_FUNCTION,
                properties=props,
                loc=resource.loc,
                events=tuple(events),
                condition=resource.condition,
            )
        )
    return result


def _events(function_id: str, props: Obj, types: dict[str, str], findings: list[Finding]):
    events = props.get("Events")
    if events is None:
        return
    if not isinstance(events, Obj):
        findings.append(
            Finding.of(
                "LF0007",
                "Events must be a mapping of event names to events",
                props.loc_of("Events"),
                function_id,
            )
        )
        return
    ids = set(types)
    for name, body in events.items():
        loc = events.loc_of(name)
        if not isinstance(body, Obj) or not isinstance(body.get("Type"), str):
            findings.append(Finding.of("LF0007", f"event '{name}' has no literal Type", loc, function_id))
            continue
        aws_type = str(body["Type"])
        kind = EVENT_KINDS.get(aws_type, "unknown")
        properties = body.get("Properties", Obj())
        if not isinstance(properties, Obj):
            findings.append(
                Finding.of(
                    "LF0007",
                    f"Properties of event '{name}' is not a mapping",
                    body.loc_of("Properties"),
                    function_id,
                )
            )
            properties = Obj()
        source = properties.get(SOURCE_PROPERTY.get(kind, ""))
        source_id = referenced_id(source, ids)
        if kind in ("api", "httpapi") and source_id:
            # the API resource decides: SAM deploys an event on a REST API as a REST route
            kind = _API_KIND_OF_TYPE.get(types[source_id], kind)
        event = Event(
            name=name,
            kind=kind,
            aws_type=aws_type,
            function=function_id,
            properties=properties,
            loc=loc_of(body, loc),
            source=source,
            source_id=source_id,
        )
        if kind == "sns" and _truthy(properties.get("SqsSubscription")):
            yield _sns_through_queue(event, properties, ids, findings)
        elif kind == "cognito" and isinstance(properties.get("Trigger"), Arr):
            yield from _cognito_per_trigger(event, properties)
        else:
            yield event


_API_KIND_OF_TYPE = {
    "AWS::Serverless::Api": "api",
    "AWS::ApiGateway::RestApi": "api",
    "AWS::Serverless::HttpApi": "httpapi",
}


def _route_taken(event: Event, bodies: dict[str, Obj], ids: set[str], findings: list[Finding]) -> bool:
    """True when the API's DefinitionBody already integrates the event's route with another target.

    SAM keeps an integration the definition already has, so such an event never invokes the function.
    """
    from translator.parsers.apis import route_key, unless

    body = bodies.get(event.source_id or "")
    paths = body.get("paths") if body is not None else None
    if event.kind not in ("api", "httpapi") or not isinstance(paths, Obj):
        return False
    method, path = route_key(event.properties.get("Method"), event.properties.get("Path"))
    operations = unless(paths.get(path))
    if not isinstance(operations, Obj):
        return False
    operation = unless(operations.get("x-amazon-apigateway-any-method" if method == "any" else method))
    if operation is None:  # the method may be written in upper case
        operation = unless(next((v for k, v in operations.items() if str(k).lower() == method), None))
    integration = operation.get("x-amazon-apigateway-integration") if isinstance(operation, Obj) else None
    if not isinstance(integration, Obj) or "uri" not in integration:
        return False
    target = referenced_id(unless(integration["uri"]), ids)
    if target == event.function:
        return False
    findings.append(
        Finding.of(
            "LF3034",
            f"event '{event.name}': the API's DefinitionBody already integrates {method.upper()} {path} with "
            f"{target or 'another target'}; SAM keeps that integration, so this event does not invoke the function",
            event.loc,
            event.function,
        )
    )
    return True


def _truthy(value: Any) -> bool:
    return (
        value is True or isinstance(value, Obj) or (isinstance(value, str) and str(value).lower() == "true")
    )


def _sns_through_queue(event: Event, props: Obj, ids: set[str], findings: list[Finding]) -> Event:
    """``SqsSubscription``: SAM subscribes an SQS queue to the topic and the function reads the queue."""
    subscription = props.get("SqsSubscription")
    queue = subscription.get("QueueArn") if isinstance(subscription, Obj) else None
    items = {k: v for k, v in props.items() if k != "SqsSubscription"}
    if isinstance(subscription, Obj):
        for key in ("BatchSize", "Enabled"):
            if key in subscription:
                items[key] = subscription[key]
    items["Queue"] = queue
    findings.append(
        Finding.of(
            "LF3030",
            f"SNS event '{event.name}' delivers through an SQS queue: the function is triggered by the queue, "
            "which the topic feeds",
            event.loc,
            event.function,
        )
    )
    return Event(
        name=event.name,
        kind="sqs",
        aws_type="SNS.SqsSubscription",
        function=event.function,
        properties=Obj(items, props.loc, {k: loc for k in items if (loc := props.loc_of(k)) is not None}),
        loc=event.loc,
        source=queue,
        source_id=referenced_id(queue, ids),
    )


def _cognito_per_trigger(event: Event, props: Obj):
    """One event per user pool trigger, as the pool's LambdaConfig lists them."""
    triggers = [t for t in props["Trigger"] if isinstance(t, str)]
    for trigger in triggers:
        items = dict(props.items())
        items["Trigger"] = trigger
        yield Event(
            name=event.name if len(triggers) == 1 else f"{event.name}{trigger}",
            kind=event.kind,
            aws_type=event.aws_type,
            function=event.function,
            properties=Obj(items, props.loc),
            loc=event.loc,
            source=event.source,
            source_id=event.source_id,
        )


def referenced_id(value: Any, ids: set[str]) -> str | None:
    """The logical id a value points at (Ref X, GetAtt X.Attr, or a Sub or Join made of one such reference)."""
    if isinstance(value, Ref) and value.target in ids:
        return value.target
    if isinstance(value, GetAtt) and value.resource in ids:
        return value.resource
    parts: tuple[Any, ...] = ()
    if isinstance(value, Sub):
        parts = value.parts
    elif isinstance(value, Join) and isinstance(value.items, Arr):
        parts = tuple(value.items)
    found = {f for p in parts if not isinstance(p, str) and (f := referenced_id(p, ids))}
    return found.pop() if len(found) == 1 else None
