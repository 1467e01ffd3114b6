"""Plain CloudFormation: Lambda functions and the resources that wire events to them.

Pull sources come from ``AWS::Lambda::EventSourceMapping``; push sources from the resource that
sends the event (an ``AWS::Events::Rule`` target, an S3 bucket's notification configuration, an SNS
subscription) or, for API Gateway and services with no resource of their own here, from the
``AWS::Lambda::Permission`` that lets them invoke the function. Events are given SAM-shaped
properties so that one mapper serves both formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from translator.findings import Finding
from translator.graph import Event, Function, Resource
from translator.parsers import apis
from translator.parsers.apis import route_key
from translator.parsers.sam import referenced_id
from translator.values import Arr, Join, Obj, Ref, Str, Sub, loc_of, plain

LAMBDA_FUNCTION = "AWS::Lambda::Function"

#: source resource type -> (event kind, SAM property naming the source)
_PULL_SOURCE_TYPES = {
    "AWS::SQS::Queue": ("sqs", "Queue"),
    "AWS::Kinesis::Stream": ("kinesis", "Stream"),
    "AWS::DynamoDB::Table": ("dynamodb", "Stream"),
    "AWS::Serverless::SimpleTable": ("dynamodb", "Stream"),
    "AWS::MSK::Cluster": ("msk", "Stream"),
    "AWS::AmazonMQ::Broker": ("mq", "Broker"),
    "AWS::DocDB::DBCluster": ("documentdb", "Cluster"),
}
#: ARN service segment -> (event kind, SAM property naming the source)
_PULL_ARN_SERVICES = {
    "sqs": ("sqs", "Queue"),
    "kinesis": ("kinesis", "Stream"),
    "dynamodb": ("dynamodb", "Stream"),
    "kafka": ("msk", "Stream"),
    "mq": ("mq", "Broker"),
    "rds": ("documentdb", "Cluster"),
}
#: Permission principal -> event kind, for services whose wiring has no resource we read
_PRINCIPAL_KINDS = {
    "apigateway.amazonaws.com": "api",
    "logs.amazonaws.com": "cloudwatchlogs",
    "iot.amazonaws.com": "iotrule",
    "cognito-idp.amazonaws.com": "cognito",
    "alexa-appkit.amazon.com": "alexaskill",
    "alexa-connectedhome.amazon.com": "alexaskill",
    "elasticloadbalancing.amazonaws.com": "alb",
    "secretsmanager.amazonaws.com": "secretsmanager",
    "appsync.amazonaws.com": "appsync",
    "edgelambda.amazonaws.com": "cloudfront",
    "cloudfront.amazonaws.com": "cloudfront",
    "config.amazonaws.com": "configrule",
    "cloudformation.amazonaws.com": "customresource",
    "bedrock.amazonaws.com": "bedrock",
}
_WIRED_PRINCIPALS = {
    "s3.amazonaws.com": "s3",
    "sns.amazonaws.com": "sns",
    "events.amazonaws.com": "eventbridge",
}
_ARN_SERVICE = re.compile(r"arn:[^:]*:([a-z0-9-]+):")


def functions(resources: tuple[Resource, ...], findings: list[Finding]) -> list[Function]:
    return [
        Function(
            logical_id=r.logical_id,
            aws_type=LAMBDA_FUNCTION,
            properties=r.properties,
            loc=r.loc,
            condition=r.condition,
        )
        for r in resources
        if r.type == LAMBDA_FUNCTION
    ]


class FunctionResolver:
    """Finds which function a FunctionName / target ARN value designates."""

    def __init__(self, fns: tuple[Function, ...], resources: tuple[Resource, ...]) -> None:
        self.fn_ids = {f.logical_id for f in fns}
        self.ids = {r.logical_id for r in resources}
        self.by_name: dict[str, str] = {}
        for fn in fns:
            name = fn.prop("FunctionName")
            if isinstance(name, str):
                self.by_name[str(name)] = fn.logical_id
        # aliases and versions point at a function; a target naming them invokes that function
        self.alias_of: dict[str, str] = {}
        for r in resources:
            if r.type in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                target = referenced_id(r.properties.get("FunctionName"), self.fn_ids)
                if target:
                    self.alias_of[r.logical_id] = target

    def function(self, value: Any) -> str | None:
        found = referenced_id(value, self.ids)
        if found in self.fn_ids:
            return found
        if found in self.alias_of:
            return self.alias_of[found]
        if isinstance(value, str):
            text = str(value)
            name = text.rsplit(":function:", 1)[-1].split(":", 1)[0] if ":function:" in text else text
            return self.by_name.get(name)
        return None


def attach_wired_events(
    fns: tuple[Function, ...],
    resources: tuple[Resource, ...],
    findings: list[Finding],
    extra_permissions: tuple[Resource, ...] = (),
) -> list[Function]:
    """Return the functions with the events that other resources declare for them.

    ``extra_permissions`` are Permission resources that a SAM construct stands for (a Connector from an
    API to a function); they are read like the template's own permissions.
    """
    if not fns:
        return list(fns)
    resolver = FunctionResolver(fns, resources)
    by_id = {r.logical_id: r for r in resources}
    wiring = _Wiring(fns)

    for r in resources:
        for event in _declared_events(r, resolver, by_id, findings):
            wiring.add(event)

    wiring.declared_kinds = set(wiring.kinds)
    for r in (*resources, *extra_permissions):
        if r.type == "AWS::Lambda::Permission":
            event = _permission_event(r, resolver, by_id, wiring, findings)
            if event:
                wiring.add(event)

    return [
        Function(
            fn.logical_id,
            fn.aws_type,
            fn.properties,
            fn.loc,
            fn.events + tuple(wiring.added[fn.logical_id]),
            fn.condition,
        )
        for fn in fns
    ]


class _Wiring:
    """The events found so far per function, so that one invocation path is counted once."""

    def __init__(self, fns: tuple[Function, ...]) -> None:
        self.added: dict[str, list[Event]] = {f.logical_id: [] for f in fns}
        self.keys: set[tuple[Any, ...]] = set()
        self.sources: set[tuple[str, str | None]] = set()  # (function, source logical id)
        self.kinds: set[tuple[str, str]] = set()  # (function, kind)
        self.declared_kinds: set[tuple[str, str]] = set()  # the kinds before permissions are read
        for fn in fns:
            for event in fn.events:
                self._remember(event)

    def _remember(self, event: Event) -> None:
        self.keys.add(_event_key(event))
        self.sources.add((event.function, event.source_id))
        self.kinds.add((event.function, event.kind))

    def add(self, event: Event) -> None:
        key = _event_key(event)
        if key in self.keys:
            return  # the SAM event and the resource that expresses it are one trigger
        self._remember(event)
        self.added[event.function].append(event)


def _event_key(event: Event) -> tuple[Any, ...]:
    props = event.properties
    if event.kind in ("api", "httpapi"):
        detail: Any = route_key(props.get("Method"), props.get("Path"))
    elif event.kind == "websocket":
        detail = str(props.get("RouteKey"))
    elif event.kind == "authorizer":
        detail = str(props.get("Authorizer"))
    elif event.kind == "s3":
        names = props.get("Events")
        listed = names if isinstance(names, Arr) else (names,)
        detail = (tuple(sorted(repr(plain(n)) for n in listed)), repr(plain(props.get("Filter"))))
    elif event.kind == "cognito":
        detail = repr(plain(props.get("Trigger")))
    else:
        detail = event.name
    return (event.function, event.kind, event.source_id, detail)


def _declared_events(
    r: Resource, resolver: FunctionResolver, by_id: dict[str, Resource], findings: list[Finding]
) -> Iterator[Event]:
    """The events one resource declares for functions of the template."""
    fn = resolver.function
    if r.type in apis.REST_TYPES or r.type in apis.V2_TYPES:
        yield from apis.body_routes(r, fn)
        yield from apis.body_authorizers(r, fn)
        yield from apis.sam_auth_authorizers(r, fn)
        if r.type == "AWS::Serverless::WebSocketApi":
            yield from apis.websocket_routes(r, fn)
        if r.type == "AWS::ApiGatewayV2::Api" and (event := apis.quick_create_event(r, fn)):
            yield event
    elif r.type in ("AWS::Serverless::GraphQLApi", "AWS::AppSync::GraphQLApi"):
        yield from apis.graphql_events(r, fn)
    elif r.type == "AWS::AppSync::DataSource":
        if event := apis.appsync_data_source_event(r, by_id, fn):
            yield event
    elif r.type == "AWS::ApiGateway::Method":
        if event := apis.method_event(r, by_id, fn):
            yield event
    elif r.type == "AWS::ApiGatewayV2::Route":
        if event := apis.v2_route_event(r, by_id, fn):
            yield event
    elif r.type in ("AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer"):
        function = fn(r.properties.get("AuthorizerUri"))
        api = by_id.get(apis.ref_id(r.properties.get("RestApiId") or r.properties.get("ApiId")) or "")
        if function and api:
            name = r.properties.get("Name")
            yield apis.authorizer_event(
                api, str(name) if isinstance(name, str) else r.logical_id, function, r.loc
            )
    elif r.type == "AWS::Lambda::EventSourceMapping":
        event = _mapping_event(r, resolver, by_id)
        if event:
            yield event
        else:
            findings.append(
                Finding.of(
                    "LF3011",
                    "the event source mapping's FunctionName does not name a function of this template",
                    r.properties.loc_of("FunctionName"),
                    r.logical_id,
                )
            )
    elif r.type == "AWS::Events::Rule":
        yield from _rule_events(r, resolver)
    elif r.type == "AWS::Scheduler::Schedule":
        yield from _scheduler_events(r, resolver)
    elif r.type == "AWS::S3::Bucket":
        yield from _bucket_events(r, resolver)
    elif r.type in ("AWS::SNS::Subscription", "AWS::SNS::Topic"):
        yield from _sns_events(r, resolver, resolver.ids, findings)
    elif r.type == "AWS::Lambda::Url":
        yield from _url_events(r, resolver)
    elif r.type == "AWS::Cognito::UserPool":
        yield from _user_pool_events(r, resolver)
    elif r.type == "AWS::Logs::SubscriptionFilter":
        yield from _subscription_filter_events(r, resolver)
    elif r.type == "AWS::IoT::TopicRule":
        yield from _topic_rule_events(r, resolver)
    elif r.type == "AWS::ElasticLoadBalancingV2::TargetGroup":
        yield from _target_group_events(r, resolver)
    elif r.type == "AWS::CloudFormation::CustomResource" or r.type.startswith("Custom::"):
        yield from _custom_resource_events(r, resolver)


def _arn_service(value: Any) -> str | None:
    text = _arn_text(value).replace("arn:x:", "arn:aws:")
    match = _ARN_SERVICE.match(text)
    return match.group(1) if match else None


def _mapping_event(r: Resource, resolver: FunctionResolver, by_id: dict[str, Resource]) -> Event | None:
    props = r.properties
    function = resolver.function(props.get("FunctionName"))
    if function is None:
        return None
    arn = props.get("EventSourceArn")
    source_id = referenced_id(arn, resolver.ids)
    kind_prop = None
    if source_id and by_id[source_id].type in _PULL_SOURCE_TYPES:
        kind_prop = _PULL_SOURCE_TYPES[by_id[source_id].type]
    elif _arn_service(arn) in _PULL_ARN_SERVICES:
        kind_prop = _PULL_ARN_SERVICES[_arn_service(arn) or ""]
    elif "SelfManagedEventSource" in props or "SelfManagedKafkaEventSourceConfig" in props:
        kind_prop = ("selfmanagedkafka", "KafkaBootstrapServers")
    elif "AmazonManagedKafkaEventSourceConfig" in props:
        kind_prop = ("msk", "Stream")
    elif "DocumentDBEventSourceConfig" in props:
        kind_prop = ("documentdb", "Cluster")
    elif "Queues" in props:  # only Amazon MQ mappings name queues
        kind_prop = ("mq", "Broker")
    kind, source_prop = kind_prop or ("unknown", "EventSourceArn")
    items = {k: v for k, v in props.items() if k not in ("FunctionName", "EventSourceArn")}
    if arn is not None:
        items[source_prop] = arn
    return Event(
        name=r.logical_id,
        kind=kind,
        aws_type="AWS::Lambda::EventSourceMapping",
        function=function,
        properties=Obj(items, props.loc, {k: loc for k in items if (loc := props.loc_of(k)) is not None}),
        loc=r.loc,
        source=arn,
        source_id=source_id,
        declared_by=r.logical_id,
    )


def _rule_events(r: Resource, resolver: FunctionResolver):
    props = r.properties
    targets = props.get("Targets")
    if not isinstance(targets, Arr):
        return
    state = props.get("State")
    for target in targets:
        if not isinstance(target, Obj):
            continue
        function = resolver.function(target.get("Arn"))
        if function is None:
            continue
        items: dict[str, Any] = {}
        if "ScheduleExpression" in props:
            kind = "schedule"
            items["Schedule"] = props["ScheduleExpression"]
        else:
            kind = "eventbridge"
            if "EventPattern" in props:
                items["Pattern"] = props["EventPattern"]
            if "EventBusName" in props:
                items["EventBusName"] = props["EventBusName"]
        if state is not None:
            items["State"] = state
        for key in ("Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig"):
            if key in target:
                items[key] = target[key]
        yield Event(
            name=r.logical_id,
            kind=kind,
            aws_type="AWS::Events::Rule",
            function=function,
            properties=Obj(items, props.loc),
            loc=r.loc,
            source=Ref(r.logical_id, loc=r.loc),
            source_id=r.logical_id,
            declared_by=r.logical_id,
        )


def _bucket_events(r: Resource, resolver: FunctionResolver):
    """One s3 event per function and key filter: SAM writes one configuration per event type."""
    config = r.properties.get("NotificationConfiguration")
    if not isinstance(config, Obj) or not isinstance(config.get("LambdaConfigurations"), Arr):
        return
    configs = [
        c for c in (apis.unless(item) for item in config["LambdaConfigurations"]) if isinstance(c, Obj)
    ]
    groups: dict[tuple[str, str], list[Obj]] = {}
    for item in configs:
        function = resolver.function(item.get("Function"))
        if function is not None:
            groups.setdefault((function, repr(plain(item.get("Filter")))), []).append(item)
    for index, ((function, _), items) in enumerate(groups.items(), 1):
        first = items[0]
        props: dict[str, Any] = {"Bucket": Ref(r.logical_id, loc=r.loc)}
        names = [i["Event"] for i in items if "Event" in i]
        if names:
            props["Events"] = names[0] if len(names) == 1 else Arr(tuple(names), first.loc)
        if "Filter" in first:
            props["Filter"] = first["Filter"]
        yield Event(
            name=r.logical_id if len(groups) == 1 else f"{r.logical_id}{index}",
            kind="s3",
            aws_type="AWS::S3::Bucket.LambdaConfiguration",
            function=function,
            properties=Obj(props, first.loc),
            loc=first.loc,
            source=props["Bucket"],
            source_id=r.logical_id,
            declared_by=r.logical_id,
        )


def _scheduler_events(r: Resource, resolver: FunctionResolver):
    """An EventBridge Scheduler schedule (SAM ScheduleV2) whose target is a function."""
    props = r.properties
    target = props.get("Target")
    if not isinstance(target, Obj):
        return
    function = resolver.function(target.get("Arn"))
    if function is None:
        return
    items = {k: v for k, v in props.items() if k != "Target"}
    for key in ("Input", "RetryPolicy", "DeadLetterConfig"):
        if key in target:
            items[key] = target[key]
    yield Event(
        name=r.logical_id,
        kind="schedule",
        aws_type=r.type,
        function=function,
        properties=Obj(items, props.loc, {k: loc for k in items if (loc := props.loc_of(k)) is not None}),
        loc=r.loc,
        source=Ref(r.logical_id, loc=r.loc),
        source_id=r.logical_id,
        declared_by=r.logical_id,
    )


def _url_events(r: Resource, resolver: FunctionResolver):
    """``AWS::Lambda::Url``: the function's HTTPS endpoint, with SAM FunctionUrlConfig's properties."""
    props = r.properties
    function = resolver.function(props.get("TargetFunctionArn"))
    if function is None:
        return
    items = {k: v for k, v in props.items() if k not in ("TargetFunctionArn", "Qualifier")}
    yield Event(
        name=r.logical_id,
        kind="url",
        aws_type=r.type,
        function=function,
        properties=Obj(items, props.loc, {k: loc for k in items if (loc := props.loc_of(k)) is not None}),
        loc=r.loc,
        source_id=r.logical_id,
        declared_by=r.logical_id,
    )


def _pushed(r: Resource, kind: str, function: str, items: dict[str, Any], source: Any) -> Event:
    """An event a push source resource declares; its source is what the function's Permission names."""
    return Event(
        name=r.logical_id,
        kind=kind,
        aws_type=r.type,
        function=function,
        properties=Obj(items, r.properties.loc),
        loc=r.loc,
        source=source,
        source_id=None,
        declared_by=r.logical_id,
    )


def _subscription_filter_events(r: Resource, resolver: FunctionResolver):
    """A CloudWatch Logs subscription filter delivering to a function (SAM CloudWatchLogs)."""
    props = r.properties
    function = resolver.function(props.get("DestinationArn"))
    if function is None:
        return
    items = {k: props[k] for k in ("LogGroupName", "FilterPattern") if k in props}
    event = _pushed(r, "cloudwatchlogs", function, items, props.get("LogGroupName"))
    # the Permission's SourceArn names the log group: count the filter and it as one invocation path
    yield Event(**{**event.__dict__, "source_id": referenced_id(props.get("LogGroupName"), resolver.ids)})


def _topic_rule_events(r: Resource, resolver: FunctionResolver):
    """An IoT topic rule with a Lambda action (SAM IoTRule)."""
    payload = r.properties.get("TopicRulePayload")
    actions = payload.get("Actions") if isinstance(payload, Obj) else None
    for action in actions if isinstance(actions, Arr) else ():
        target = action.get("Lambda") if isinstance(action, Obj) else None
        function = resolver.function(target.get("FunctionArn")) if isinstance(target, Obj) else None
        if function is not None:
            items = {"Sql": payload["Sql"]} if "Sql" in payload else {}
            event = _pushed(r, "iotrule", function, items, Ref(r.logical_id, loc=r.loc))
            yield Event(**{**event.__dict__, "source_id": r.logical_id})


def _target_group_events(r: Resource, resolver: FunctionResolver):
    """An Application Load Balancer target group whose target is a function."""
    if str(r.properties.get("TargetType", "")).lower() != "lambda":
        return
    targets = r.properties.get("Targets")
    for target in targets if isinstance(targets, Arr) else ():
        function = resolver.function(target.get("Id")) if isinstance(target, Obj) else None
        if function is not None:
            event = _pushed(r, "alb", function, {}, Ref(r.logical_id, loc=r.loc))
            yield Event(**{**event.__dict__, "source_id": r.logical_id})


def _custom_resource_events(r: Resource, resolver: FunctionResolver):
    """A custom resource whose ServiceToken is a function: CloudFormation invokes it on deployment."""
    function = resolver.function(r.properties.get("ServiceToken"))
    if function is None:
        return
    yield Event(
        name=r.logical_id,
        kind="customresource",
        aws_type=r.type,
        function=function,
        properties=Obj({"ServiceToken": r.properties["ServiceToken"]}, r.properties.loc),
        loc=r.loc,
        source=Ref(r.logical_id, loc=r.loc),
        source_id=r.logical_id,
        declared_by=r.logical_id,
    )


def _user_pool_events(r: Resource, resolver: FunctionResolver):
    """One cognito event per ``LambdaConfig`` trigger of a user pool that names a function."""
    config = r.properties.get("LambdaConfig")
    if not isinstance(config, Obj):
        return
    for trigger, value in config.items():
        if isinstance(value, Obj):  # CustomSMSSender / CustomEmailSender: {LambdaArn, LambdaVersion}
            value = value.get("LambdaArn")
        function = resolver.function(value)
        if function is None:
            continue
        yield Event(
            name=f"{r.logical_id}{trigger}",
            kind="cognito",
            aws_type="AWS::Cognito::UserPool.LambdaConfig",
            function=function,
            properties=Obj({"UserPool": Ref(r.logical_id, loc=r.loc), "Trigger": Str(trigger)}, config.loc),
            loc=loc_of(value, config.loc),
            source=Ref(r.logical_id, loc=r.loc),
            source_id=r.logical_id,
            declared_by=r.logical_id,
        )


def _s3_filter(value: Any) -> Any:
    # CloudFormation writes S3Key.Rules; SAM's event writes S3Key.Rules too: same shape, keep it
    return value


def _sns_events(r: Resource, resolver: FunctionResolver, ids: set[str], findings: list[Finding]):
    props = r.properties
    if r.type == "AWS::SNS::Subscription":
        subs = [(props, props.get("TopicArn"))]
    else:
        subscriptions = props.get("Subscription")
        items = subscriptions if isinstance(subscriptions, Arr) else ()
        subs = [(s, Ref(r.logical_id, loc=r.loc)) for s in items if isinstance(s, Obj)]
    for sub, topic in subs:
        protocol = sub.get("Protocol")
        if not (isinstance(protocol, str) and protocol.lower() == "lambda"):
            report_sns_subscription(findings, sub, r.logical_id)
            continue
        function = resolver.function(sub.get("Endpoint"))
        if function is None:
            continue
        items: dict[str, Any] = {"Topic": topic}
        for key in ("FilterPolicy", "FilterPolicyScope", "RedrivePolicy"):
            if key in sub:
                items[key] = sub[key]
        yield Event(
            name=r.logical_id,
            kind="sns",
            aws_type=r.type,
            function=function,
            properties=Obj(items, loc_of(sub, r.loc)),
            loc=loc_of(sub, r.loc),
            source=topic,
            source_id=referenced_id(topic, ids),
            declared_by=r.logical_id,
        )


def report_sns_subscription(findings: list[Finding], sub: Obj, resource: str) -> None:
    """A finding for an SNS subscription that is not a Lambda one (those become Event Grid subscriptions)."""
    protocol = sub.get("Protocol")
    if isinstance(protocol, str) and str(protocol).lower() in ("lambda", "sqs"):
        return  # lambda: an Event Grid trigger; sqs: forwarded to the queue by the mapping (LF3028/LF3029)
    target = {
        "sqs": "an Event Grid subscription with a Service Bus queue endpoint",
        "https": "an Event Grid subscription with a WebHook endpoint",
        "http": "an Event Grid subscription with a WebHook endpoint",
        "email": "a Logic App or Azure Communication Services email",
        "email-json": "a Logic App or Azure Communication Services email",
        "sms": "Azure Communication Services SMS",
    }.get(str(protocol).lower() if isinstance(protocol, str) else "", "an Event Grid subscription")
    findings.append(
        Finding.of(
            "LF1005",
            f"SNS subscription with protocol {protocol} is not translated; it needs {target}",
            loc_of(sub, None),
            resource,
        )
    )


def _permission_event(
    r: Resource,
    resolver: FunctionResolver,
    by_id: dict[str, Resource],
    wiring: _Wiring,
    findings: list[Finding],
) -> Event | None:
    props = r.properties
    function = resolver.function(props.get("FunctionName"))
    principal = props.get("Principal")
    if function is None:
        return None
    if "FunctionUrlAuthType" in props or props.get("InvokedViaFunctionUrl") is True:
        if (function, "url") not in wiring.kinds:
            findings.append(
                Finding.of(
                    "LF3010",
                    f"permission to invoke '{function}' through a function URL, but the template defines no "
                    "AWS::Lambda::Url for it",
                    r.loc,
                    r.logical_id,
                )
            )
        return None
    if not isinstance(principal, str):
        findings.append(
            Finding.of(
                "LF3010",
                f"permission to invoke '{function}' has a computed Principal, so the invoking service is "
                "unknown and no trigger is generated for it",
                props.loc_of("Principal"),
                r.logical_id,
            )
        )
        return None
    principal = str(principal)
    source_arn = props.get("SourceArn")
    source_id = referenced_id(source_arn, resolver.ids)
    if principal in _WIRED_PRINCIPALS:
        kind = _WIRED_PRINCIPALS[principal]
        if source_id and (function, source_id) in wiring.sources:
            return None
        if source_id is None and (function, kind) in wiring.declared_kinds:
            return None  # an unresolved SourceArn next to a wired source of the same service
        findings.append(
            Finding.of(
                "LF3010",
                f"permission for {principal} to invoke '{function}' has no matching {kind} configuration "
                "in the template",
                r.loc,
                r.logical_id,
            )
        )
        return None
    kind = _PRINCIPAL_KINDS.get(principal, "unknown")
    if kind == "api":
        api = by_id.get(source_id or "")
        kind = "authorizer" if "/authorizers/" in _arn_text(source_arn) else apis.api_kind(api)
        if api is not None and any((function, source_id, k) in _source_kinds(wiring) for k in apis.API_KINDS):
            return None  # the API's routes or authorizers already name this function
        if source_id is None and any((function, k) in wiring.declared_kinds for k in apis.API_KINDS):
            return None  # an unresolved SourceArn next to routes of an API that is read
    elif source_id and (function, source_id) in wiring.sources:
        return None  # the source resource (user pool, custom resource) declared it
    elif source_id is None and (function, kind) in wiring.declared_kinds:
        return None  # an unresolved SourceArn next to a declared source of the same service
    items: dict[str, Any] = {"Principal": principal}
    if source_arn is not None:
        items["SourceArn"] = source_arn
    if kind in ("api", "httpapi"):
        method, path = _api_route(source_arn)
        items["Method"] = Str(method, r.loc)
        items["Path"] = Str(path, r.loc)
    return Event(
        name=r.logical_id,
        kind=kind,
        aws_type="AWS::Lambda::Permission",
        function=function,
        properties=Obj(items, props.loc),
        loc=r.loc,
        source=source_arn,
        source_id=source_id,
        declared_by=r.logical_id,
    )


def _source_kinds(wiring: _Wiring) -> set[tuple[str, str | None, str]]:
    return {(k[0], k[2], k[1]) for k in wiring.keys}


def _arn_text(value: Any) -> str:
    """The literal text of an ARN value, with 'x' for each interpolated part."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Sub):
        return "".join(p if isinstance(p, str) else "x" for p in value.parts)
    if isinstance(value, Join) and isinstance(value.items, Arr) and isinstance(value.delimiter, str):
        return str(value.delimiter).join(p if isinstance(p, str) else "x" for p in value.items)
    return ""


def _api_route(source_arn: Any) -> tuple[str, str]:
    """Method and path from an execute-api SourceArn such as ``.../${Api}/*/GET/pets``."""
    text = _arn_text(source_arn)
    segments = text.split("/")
    if len(segments) >= 3:
        method = segments[2]
        path = "/" + "/".join(segments[3:])
        # an HTTP API's catch-all route key is '$default'
        method = "any" if method in ("*", "", "$default") else method.lower()
        if path in ("/", "/*"):
            path = "/{proxy+}"
        return method, path
    return "any", "/{proxy+}"
