"""Plain CloudFormation: Lambda functions and the resources that wire events to them.

Pull sources come from ``AWS::Lambda::EventSourceMapping``; push sources from the resource that
sends the event (an ``AWS::Events::Rule`` target, an S3 bucket's notification configuration, an SNS
subscription) or, for API Gateway and services with no resource of their own here, from the
``AWS::Lambda::Permission`` that lets them invoke the function. Events are given SAM-shaped
properties so that one mapper serves both formats.
"""

from __future__ import annotations

import re
from typing import Any

from translator.findings import Finding
from translator.graph import Event, Function, Resource
from translator.parsers.sam import referenced_id
from translator.values import Arr, GetAtt, Obj, Ref, Str, Sub, loc_of

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


class _Resolver:
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
    fns: tuple[Function, ...], resources: tuple[Resource, ...], findings: list[Finding]
) -> list[Function]:
    """Return the functions with the events that other resources declare for them."""
    if not fns:
        return list(fns)
    resolver = _Resolver(fns, resources)
    by_id = {r.logical_id: r for r in resources}
    found: dict[str, list[Event]] = {f.logical_id: [] for f in fns}
    wired: set[tuple[str, str]] = set()  # (function, source logical id) with a source-side declaration
    wired_services: set[tuple[str, str]] = set()  # (function, 's3' | 'sns' | 'eventbridge') wired that way

    for r in resources:
        if r.type == "AWS::Lambda::EventSourceMapping":
            event = _mapping_event(r, resolver, by_id)
            if event:
                found[event.function].append(event)
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
            for event in _rule_events(r, resolver):
                found[event.function].append(event)
                wired.add((event.function, r.logical_id))
                wired_services.add((event.function, "eventbridge"))
        elif r.type == "AWS::S3::Bucket":
            for event in _bucket_events(r, resolver):
                found[event.function].append(event)
                wired.add((event.function, r.logical_id))
                wired_services.add((event.function, "s3"))
        elif r.type in ("AWS::SNS::Subscription", "AWS::SNS::Topic"):
            for event in _sns_events(r, resolver, resolver.ids, findings):
                found[event.function].append(event)
                wired.add((event.function, event.source_id or r.logical_id))
                wired_services.add((event.function, "sns"))

    for r in resources:
        if r.type == "AWS::Lambda::Permission":
            event = _permission_event(r, resolver, wired, wired_services, findings)
            if event:
                found[event.function].append(event)

    result = []
    for fn in fns:
        extra = tuple(found[fn.logical_id])
        result.append(
            Function(fn.logical_id, fn.aws_type, fn.properties, fn.loc, fn.events + extra, fn.condition)
        )
    return result


def _arn_service(value: Any) -> str | None:
    text = ""
    if isinstance(value, str):
        text = str(value)
    elif isinstance(value, Sub):
        text = "".join(p if isinstance(p, str) else "x" for p in value.parts)
        text = text.replace("arn:x:", "arn:aws:")
    match = _ARN_SERVICE.match(text)
    return match.group(1) if match else None


def _mapping_event(r: Resource, resolver: _Resolver, by_id: dict[str, Resource]) -> Event | None:
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
    elif "SelfManagedEventSource" in props:
        kind_prop = ("selfmanagedkafka", "KafkaBootstrapServers")
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


def _rule_events(r: Resource, resolver: _Resolver):
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


def _bucket_events(r: Resource, resolver: _Resolver):
    config = r.properties.get("NotificationConfiguration")
    if not isinstance(config, Obj) or not isinstance(config.get("LambdaConfigurations"), Arr):
        return
    configs = [c for c in config["LambdaConfigurations"] if isinstance(c, Obj)]
    for index, item in enumerate(configs, 1):
        function = resolver.function(item.get("Function"))
        if function is None:
            continue
        props: dict[str, Any] = {"Bucket": Ref(r.logical_id, loc=r.loc)}
        if "Event" in item:
            props["Events"] = item["Event"]
        if "Filter" in item:
            props["Filter"] = _s3_filter(item["Filter"])
        yield Event(
            name=r.logical_id if len(configs) == 1 else f"{r.logical_id}{index}",
            kind="s3",
            aws_type="AWS::S3::Bucket.LambdaConfiguration",
            function=function,
            properties=Obj(props, item.loc),
            loc=item.loc,
            source=props["Bucket"],
            source_id=r.logical_id,
            declared_by=r.logical_id,
        )


def _s3_filter(value: Any) -> Any:
    # CloudFormation writes S3Key.Rules; SAM's event writes S3Key.Rules too: same shape, keep it
    return value


def _sns_events(r: Resource, resolver: _Resolver, ids: set[str], findings: list[Finding]):
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
    if isinstance(protocol, str) and str(protocol).lower() == "lambda":
        return
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
    resolver: _Resolver,
    wired: set[tuple[str, str]],
    wired_services: set[tuple[str, str]],
    findings: list[Finding],
) -> Event | None:
    props = r.properties
    function = resolver.function(props.get("FunctionName"))
    principal = props.get("Principal")
    if function is None:
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
        if source_id and (function, source_id) in wired:
            return None
        if (function, _WIRED_PRINCIPALS[principal]) in wired_services and source_id is None:
            return None  # an unresolved SourceArn next to a wired source of the same service
        findings.append(
            Finding.of(
                "LF3010",
                f"permission for {principal} to invoke '{function}' has no matching "
                f"{_WIRED_PRINCIPALS[principal]} configuration in the template",
                r.loc,
                r.logical_id,
            )
        )
        return None
    kind = _PRINCIPAL_KINDS.get(principal, "unknown")
    items: dict[str, Any] = {"Principal": principal}
    if source_arn is not None:
        items["SourceArn"] = source_arn
    if kind == "api":
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


def _api_route(source_arn: Any) -> tuple[str, str]:
    """Method and path from an execute-api SourceArn such as ``.../${Api}/*/GET/pets``."""
    text = ""
    if isinstance(source_arn, str):
        text = str(source_arn)
    elif isinstance(source_arn, Sub):
        text = "".join(p if isinstance(p, str) else "x" for p in source_arn.parts)
    elif isinstance(source_arn, GetAtt):
        text = ""
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
