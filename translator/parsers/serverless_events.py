"""Serverless Framework events: ``functions.<f>.events[]`` items as SAM-shaped Events.

Each event gets the canonical kind of ``mappings/triggers.yaml`` and the SAM property names its mapper
reads (``Path``/``Method``, ``Queue``, ``Topic``, ``Bucket``/``Events``/``Filter``, ``Schedule``,
``Stream``, ``Pattern``/``EventBusName`` ...). Settings with no SAM twin keep their serverless name with
an upper-case first letter, so the mapper lists them as not translated instead of dropping them.

Resources the framework generates for an event (an SNS topic for ``sns: name``, a bucket for an ``s3``
event without ``existing: true``, the REST or HTTP API, a named event bus) are added under the
framework's logical ids so that the mapper creates their Azure counterparts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from translator.findings import Finding
from translator.graph import Event, Resource
from translator.parsers.sam import referenced_id
from translator.values import Arr, GetAtt, Intrinsic, Loc, Obj, Ref, Str, loc_of

if TYPE_CHECKING:
    from translator.parsers.serverless import _Reader

#: serverless event key -> canonical kind, for the events that map one to one
_SIMPLE_KINDS = {
    "alb": "alb",
    "websocket": "websocket",
    "cloudwatchLog": "cloudwatchlogs",
    "cognitoUserPool": "cognito",
    "iot": "iotrule",
    "iotFleetProvisioning": "iotfleetprovisioning",
    "alexaSkill": "alexaskill",
    "alexaSmartHome": "alexaskill",
    "msk": "msk",
    "kafka": "selfmanagedkafka",
    "activemq": "mq",
    "rabbitmq": "mq",
    "cloudFront": "cloudfront",
}
#: for those, the serverless key -> SAM property (the rest keep their own names)
_SIMPLE_PROPS = {
    "alb": {"listenerArn": "ListenerArn", "priority": "Priority", "conditions": "Conditions"},
    "websocket": {"route": "Route"},
    "cloudwatchLog": {"logGroup": "LogGroupName", "filter": "FilterPattern"},
    "cognitoUserPool": {"pool": "UserPool", "trigger": "Trigger"},
    "iot": {"sql": "Sql", "sqlVersion": "AwsIotSqlVersion"},
    "alexaSkill": {"appId": "SkillId"},
    "alexaSmartHome": {"appId": "SkillId"},
    "msk": {
        "arn": "Stream",
        "topic": "Topics",
        "batchSize": "BatchSize",
        "startingPosition": "StartingPosition",
    },
    "kafka": {"bootstrapServers": "KafkaBootstrapServers", "topic": "Topics", "batchSize": "BatchSize"},
    "activemq": {"arn": "Broker", "queue": "Queues", "batchSize": "BatchSize"},
    "rabbitmq": {"arn": "Broker", "queue": "Queues", "batchSize": "BatchSize"},
}
#: the property a one-string shorthand sets (``- websocket: $connect``)
_SHORTHAND = {
    "websocket": "route",
    "cloudwatchLog": "logGroup",
    "alexaSkill": "appId",
    "alexaSmartHome": "appId",
    "iot": "sql",
}


def normalize_function_name(name: str) -> str:
    """The framework's normalised name: '-' -> 'Dash', '_' -> 'Underscore', first letter upper-case.

    >>> normalize_function_name("hello-world"), normalize_function_name("get_user")
    ('HelloDashworld', 'GetUnderscoreuser')
    """
    text = name.replace("-", "Dash").replace("_", "Underscore")
    return text[:1].upper() + text[1:]


def normalize_alphanumeric(name: str) -> str:
    """The framework's name for generated topics and buckets: letters and digits, first one upper-case.

    >>> normalize_alphanumeric("photos-bucket.example"), normalize_alphanumeric("dispatch")
    ('Photosbucketexample', 'Dispatch')
    """
    text = re.sub(r"[^0-9A-Za-z]", "", name)
    return text[:1].upper() + text[1:]


@dataclass
class Generated:
    """Resources the framework would generate, by logical id (the first definition wins)."""

    resources: dict[str, Resource] = field(default_factory=dict)

    def add(self, resource: Resource) -> None:
        self.resources.setdefault(resource.logical_id, resource)

    def ids(self) -> set[str]:
        return set(self.resources)

    def drop(self, ids: set[str]) -> None:
        for logical_id in ids & set(self.resources):
            del self.resources[logical_id]


def _upper_first(key: str) -> str:
    return key[:1].upper() + key[1:]


def _obj(items: dict[str, Any], loc: Loc | None, locs: dict[str, Loc | None] | None = None) -> Obj:
    return Obj(items, loc, {k: v for k, v in (locs or {}).items() if v is not None})


class EventReader:
    def __init__(self, ctx: _Reader, ids: set[str], raw: list[Resource]) -> None:
        self.ctx = ctx
        self.ids = ids
        self.raw_types = {r.logical_id: r.type for r in raw}

    @property
    def findings(self) -> list[Finding]:
        return self.ctx.findings

    # ---- the list -------------------------------------------------------------------------------
    def events(self, function: str, body: Obj, fn_loc: Loc | None) -> list[Event]:
        result: list[Event] = []
        counts: dict[str, int] = {}
        url = body.get("url")
        if url is not None and url is not False:
            result.append(self._url(function, url, body.loc_of("url")))
        events = body.get("events")
        if events is None:
            return result
        if not isinstance(events, Arr):
            self.findings.append(
                Finding.of(
                    "LF0007", "events must be a list of one-key mappings", body.loc_of("events"), function
                )
            )
            return result
        for item in events:
            key, value, loc = self._item(item, events.loc, function)
            if key is None:
                continue
            counts[key] = counts.get(key, 0) + 1
            name = f"{_upper_first(key)}Event{counts[key]}"
            result += self._event(function, key, value, loc or fn_loc, name)
        return result

    def _item(self, item: Any, loc: Loc | None, function: str) -> tuple[str | None, Any, Loc | None]:
        if isinstance(item, str):  # '- alexaSkill' with no settings
            return str(item), None, loc_of(item, loc)
        if isinstance(item, Obj) and len(item) == 1:
            key = next(iter(item))
            return key, item[key], item.loc_of(key)
        self.findings.append(
            Finding.of(
                "LF0007",
                "an event must be a mapping with exactly one key (its type)",
                loc_of(item, loc),
                function,
            )
        )
        return None, None, None

    def _event(self, function: str, key: str, value: Any, loc: Loc | None, name: str) -> list[Event]:
        reader = getattr(self, f"_ev_{key}", None)
        if reader is not None:
            return reader(function, value, loc, name, key)
        if key in _SIMPLE_KINDS:
            return [self._simple(function, key, value, loc, name)]
        return [self._make(function, name, "unknown", key, self._props(value, {}, loc), loc)]

    # ---- building -------------------------------------------------------------------------------
    def _props(self, value: Any, names: dict[str, str], loc: Loc | None, skip: tuple[str, ...] = ()) -> Obj:
        """SAM-named properties from a serverless event body; unknown keys keep their (capitalised) name."""
        if not isinstance(value, Obj):
            return Obj(loc=loc)
        items: dict[str, Any] = {}
        locs: dict[str, Loc | None] = {}
        for key, item in value.items():
            if key in skip:
                continue
            prop = names.get(key, _upper_first(key))
            items[prop] = item
            locs[prop] = value.loc_of(key)
        return _obj(items, value.loc, locs)

    def _make(
        self,
        function: str,
        name: str,
        kind: str,
        aws_type: str,
        props: Obj,
        loc: Loc | None,
        source: Any = None,
        source_id: str | None = None,
    ) -> Event:
        if source_id is None and source is not None:
            source_id = referenced_id(source, self.ids | self.ctx.generated.ids())
        return Event(name, kind, aws_type, function, props, loc, source, source_id)

    def _simple(self, function: str, key: str, value: Any, loc: Loc | None, name: str) -> Event:
        if isinstance(value, str) and key in _SHORTHAND:
            value = Obj({_SHORTHAND[key]: value}, loc, {_SHORTHAND[key]: loc} if loc else None)
        props = self._props(value, _SIMPLE_PROPS.get(key, {}), loc)
        source_prop = {
            "msk": "Stream",
            "activemq": "Broker",
            "rabbitmq": "Broker",
            "cognitoUserPool": "UserPool",
        }
        source = props.get(source_prop.get(key, ""))
        return self._make(function, name, _SIMPLE_KINDS[key], key, props, loc, source)

    # ---- HTTP -----------------------------------------------------------------------------------
    def _ev_http(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if isinstance(value, str):  # '- http: GET users/{id}'
            method, _, path = str(value).strip().partition(" ")
            value = Obj(
                {"method": Str(method, loc), "path": Str(path.strip(), loc)},
                loc,
                {"method": loc, "path": loc} if loc else None,
            )
        if not isinstance(value, Obj):
            value = Obj(loc=loc)
        read = self._props(value, {"path": "Path", "method": "Method"}, loc, ("authorizer", "private"))
        props = dict(read.items())
        locs: dict[str, Loc | None] = {k: read.loc_of(k) for k in read}
        props["Path"] = _api_path(props.get("Path"), loc)
        props["Method"] = _method(props.get("Method"), loc)
        auth = {}
        if "authorizer" in value:
            auth["Authorizer"] = value["authorizer"]
        if value.get("private") is True:
            auth["ApiKeyRequired"] = True
        if auth:
            # the finding about the protection points at the key that asked for it
            auth_loc = value.loc_of("authorizer") if "authorizer" in value else value.loc_of("private")
            props["Auth"] = Obj(auth, auth_loc)
            locs["Auth"] = auth_loc
        api_id = self._rest_api(loc)
        props["RestApiId"] = api_id
        source_id = "ApiGatewayRestApi" if isinstance(api_id, Ref) else None
        event_props = _obj(props, value.loc or loc, locs)
        return [self._make(function, name, "api", key, event_props, loc, api_id, source_id)]

    def _rest_api(self, loc: Loc | None) -> Any:
        settings = self.ctx.provider.get("apiGateway")
        if isinstance(settings, Obj) and "restApiId" in settings:
            return settings["restApiId"]  # an API made outside this service
        name = Str(f"{self.ctx.stage}-{self.ctx.service}", loc)
        self.ctx.generated.add(
            Resource("ApiGatewayRestApi", "AWS::ApiGateway::RestApi", Obj({"Name": name}, loc), loc)
        )
        return Ref("ApiGatewayRestApi", loc=loc)

    def _ev_httpApi(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if isinstance(value, str):  # "'GET /path'" or "'*'"
            text = str(value).strip()
            method, _, path = text.partition(" ") if text != "*" else ("*", "", "*")
            value = Obj(
                {"method": Str(method, loc), "path": Str(path.strip() or "*", loc)},
                loc,
                {"method": loc, "path": loc} if loc else None,
            )
        if not isinstance(value, Obj):
            value = Obj(loc=loc)
        props = dict(
            self._props(value, {"path": "Path", "method": "Method", "authorizer": "Auth"}, loc).items()
        )
        props["Path"] = _api_path(props.get("Path"), loc)
        props["Method"] = _method(props.get("Method"), loc)
        settings = self.ctx.provider.get("httpApi")
        if isinstance(settings, Obj) and "id" in settings:
            api_id = settings["id"]
        else:
            api_name = Str(f"{self.ctx.stage}-{self.ctx.service}", loc)
            self.ctx.generated.add(
                Resource(
                    "HttpApi",
                    "AWS::ApiGatewayV2::Api",
                    Obj({"Name": api_name, "ProtocolType": "HTTP"}, loc),
                    loc,
                )
            )
            api_id = Ref("HttpApi", loc=loc)
        props["ApiId"] = api_id
        source_id = "HttpApi" if isinstance(api_id, Ref) else None
        return [
            self._make(function, name, "httpapi", key, Obj(props, value.loc or loc), loc, api_id, source_id)
        ]

    def _url(self, function: str, value: Any, loc: Loc | None) -> Event:
        items: dict[str, Any] = {}
        auth = value.get("authorizer") if isinstance(value, Obj) else None
        items["AuthType"] = Str(
            "AWS_IAM" if isinstance(auth, str) and str(auth) == "aws_iam" else "NONE", loc
        )
        if isinstance(value, Obj):
            if "cors" in value:
                items["Cors"] = value["cors"]
            if "invokeMode" in value:
                items["InvokeMode"] = value["invokeMode"]
        return Event("FunctionUrl", "url", "url", function, Obj(items, loc), loc)

    # ---- queues, topics, buckets ----------------------------------------------------------------
    def _ev_sqs(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            value = Obj({"arn": value}, loc, {"arn": loc} if loc else None)
        names = {
            "arn": "Queue",
            "batchSize": "BatchSize",
            "maximumBatchingWindow": "MaximumBatchingWindowInSeconds",
            "enabled": "Enabled",
            "functionResponseType": "FunctionResponseTypes",
            "filterPatterns": "FilterCriteria",
            "maximumConcurrency": "ScalingConfig",
        }
        props = self._props(value, names, loc)
        if "ScalingConfig" in props:
            # the framework writes ScalingConfig: {MaximumConcurrency: <maximumConcurrency>}
            where = props.loc_of("ScalingConfig")
            scaling = _obj(
                {"MaximumConcurrency": props["ScalingConfig"]}, where, {"MaximumConcurrency": where}
            )
            props = _obj({**props, "ScalingConfig": scaling}, props.loc, {k: props.loc_of(k) for k in props})
        return [self._make(function, name, "sqs", key, props, loc, props.get("Queue"))]

    def _ev_sns(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            text = value
            field_name = "arn" if not isinstance(text, str) or str(text).startswith("arn:") else "topicName"
            value = Obj({field_name: text}, loc, {field_name: loc} if loc else None)
        names = {
            "filterPolicy": "FilterPolicy",
            "filterPolicyScope": "FilterPolicyScope",
            "redrivePolicy": "RedrivePolicy",
        }
        props = dict(
            self._props(value, names, loc, ("arn", "topicName", "displayName", "kmsMasterKeyId")).items()
        )
        source_id = None
        if "arn" in value:
            topic = value["arn"]
        elif isinstance(value.get("topicName"), str):
            topic_name = str(value["topicName"])
            source_id = "SNSTopic" + normalize_alphanumeric(topic_name)
            items: dict[str, Any] = {"TopicName": value["topicName"]}
            if "displayName" in value:
                items["DisplayName"] = value["displayName"]
            if "kmsMasterKeyId" in value:
                items["KmsMasterKeyId"] = value["kmsMasterKeyId"]
            self.ctx.generated.add(Resource(source_id, "AWS::SNS::Topic", Obj(items, loc), loc))
            topic = Ref(source_id, loc=loc)
        else:
            self.findings.append(
                Finding.of("LF0007", "an sns event needs an arn or a topicName", loc, function)
            )
            topic = None
        if topic is not None:
            props["Topic"] = topic
        return [self._make(function, name, "sns", key, Obj(props, value.loc or loc), loc, topic, source_id)]

    def _ev_s3(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            value = Obj({"bucket": value}, loc, {"bucket": loc} if loc else None)
        bucket = value.get("bucket")
        props: dict[str, Any] = dict(
            self._props(value, {}, loc, ("bucket", "event", "rules", "existing", "forceDeploy")).items()
        )
        event_type = value.get("event", Str("s3:ObjectCreated:*", loc))
        props["Events"] = (
            event_type if isinstance(event_type, Arr) else Arr([event_type], loc_of(event_type, loc))
        )
        rules = value.get("rules")
        if isinstance(rules, Arr):
            props["Filter"] = Obj(
                {"S3Key": Obj({"Rules": Arr(_s3_rules(rules), rules.loc)}, rules.loc)}, rules.loc
            )
        source_id = None
        if isinstance(bucket, Intrinsic):
            source = bucket
        elif isinstance(bucket, str):
            bucket_name = self._bucket_name(str(bucket), loc)
            if value.get("existing") is True:
                # a bucket made outside the service: an ARN lets the mapper name its stand-in after it
                source = Str(f"arn:aws:s3:::{bucket_name}", loc_of(bucket, loc))
            else:
                source_id = "S3Bucket" + normalize_alphanumeric(str(bucket))
                self.ctx.generated.add(
                    Resource(
                        source_id,
                        "AWS::S3::Bucket",
                        Obj({"BucketName": Str(bucket_name, loc_of(bucket, loc))}, loc),
                        loc,
                    )
                )
                source = Ref(source_id, loc=loc)
        else:
            self.findings.append(Finding.of("LF0007", "an s3 event needs a bucket", loc, function))
            source = None
        if source is not None:
            props["Bucket"] = source
        return [self._make(function, name, "s3", key, Obj(props, value.loc or loc), loc, source, source_id)]

    def _bucket_name(self, bucket: str, loc: Loc | None) -> str:
        """A bucket key of ``provider.s3`` names the bucket its ``name`` gives."""
        buckets = self.ctx.provider.get("s3")
        config = buckets.get(bucket) if isinstance(buckets, Obj) else None
        if isinstance(config, Obj) and isinstance(config.get("name"), str):
            return str(config["name"])
        return bucket

    # ---- schedules and event buses ----------------------------------------------------------------
    def _ev_schedule(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            value = Obj({"rate": value}, loc, {"rate": loc} if loc else None)
        names = {
            "enabled": "Enabled",
            "input": "Input",
            "inputPath": "InputPath",
            "inputTransformer": "InputTransformer",
            "name": "Name",
            "description": "Description",
            "timezone": "ScheduleExpressionTimezone",
        }
        # 'method' (eventBus or scheduler) only chooses the AWS service that runs the schedule
        base = dict(self._props(value, names, loc, ("rate", "method")).items())
        rates = value.get("rate")
        rates = list(rates) if isinstance(rates, Arr) else [rates]
        events = []
        for index, rate in enumerate(rates):
            event_name = name if len(rates) == 1 else f"{name}Rate{index + 1}"
            props = _obj({"Schedule": rate, **base}, value.loc or loc, {"Schedule": value.loc_of("rate")})
            events.append(self._make(function, event_name, "schedule", key, props, loc))
        return events

    def _ev_eventBridge(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            value = Obj(loc=loc)
        names = {
            "pattern": "Pattern",
            "input": "Input",
            "inputPath": "InputPath",
            "inputTransformer": "InputTransformer",
            "retryPolicy": "RetryPolicy",
            "deadLetterQueueArn": "DeadLetterConfig",
            "enabled": "Enabled",
        }
        props = dict(self._props(value, names, loc, ("eventBus", "schedule", "name", "description")).items())
        if "schedule" in value:
            props["Schedule"] = value["schedule"]
            return [self._make(function, name, "schedule", key, Obj(props, value.loc or loc), loc)]
        bus = value.get("eventBus")
        source_id = None
        if isinstance(bus, str) and str(bus) != "default" and not str(bus).startswith("arn:"):
            # a bus given by name is created by the framework
            source_id = "EventBridgeEventBus" + normalize_alphanumeric(str(bus))
            self.ctx.generated.add(Resource(source_id, "AWS::Events::EventBus", Obj({"Name": bus}, loc), loc))
        if bus is not None:
            props["EventBusName"] = bus
        source = Ref(source_id, loc=loc) if source_id else bus
        return [
            self._make(
                function, name, "eventbridge", key, Obj(props, value.loc or loc), loc, source, source_id
            )
        ]

    def _ev_cloudwatchEvent(
        self, function: str, value: Any, loc: Loc | None, name: str, key: str
    ) -> list[Event]:
        names = {
            "event": "Pattern",
            "input": "Input",
            "inputPath": "InputPath",
            "inputTransformer": "InputTransformer",
            "enabled": "Enabled",
        }
        props = self._props(value, names, loc, ("name", "description"))
        return [self._make(function, name, "eventbridge", key, props, loc)]

    # ---- streams --------------------------------------------------------------------------------
    def _ev_stream(self, function: str, value: Any, loc: Loc | None, name: str, key: str) -> list[Event]:
        if not isinstance(value, Obj):
            value = Obj({"arn": value}, loc, {"arn": loc} if loc else None)
        names = {
            "arn": "Stream",
            "batchSize": "BatchSize",
            "batchWindow": "MaximumBatchingWindowInSeconds",
            "startingPosition": "StartingPosition",
            "startingPositionTimestamp": "StartingPositionTimestamp",
            "maximumRetryAttempts": "MaximumRetryAttempts",
            "maximumRecordAgeInSeconds": "MaximumRecordAgeInSeconds",
            "bisectBatchOnFunctionError": "BisectBatchOnFunctionError",
            "parallelizationFactor": "ParallelizationFactor",
            "tumblingWindowInSeconds": "TumblingWindowInSeconds",
            "functionResponseType": "FunctionResponseTypes",
            "filterPatterns": "FilterCriteria",
            "destinations": "DestinationConfig",
            "enabled": "Enabled",
        }
        written = self._props(value, names, loc, ("type",))
        props = dict(written.items())
        if "StartingPosition" not in props:
            props["StartingPosition"] = Str("TRIM_HORIZON", loc)  # the framework's default for streams
        kind = self._stream_kind(value.get("type"), props.get("Stream"))
        # each setting keeps the line it is written on (findings about a value point there)
        located = _obj(props, value.loc or loc, {k: written.loc_of(k) for k in written})
        return [self._make(function, name, kind, key, located, loc, props.get("Stream"))]

    def _stream_kind(self, declared: Any, arn: Any) -> str:
        if isinstance(declared, str) and str(declared) in ("dynamodb", "kinesis"):
            return str(declared)
        if isinstance(arn, str):
            return "dynamodb" if ":dynamodb:" in str(arn) else "kinesis"
        target = referenced_id(arn, self.ids)
        if target and self.raw_types.get(target) == "AWS::DynamoDB::Table":
            return "dynamodb"
        if isinstance(arn, GetAtt) and arn.attribute == "StreamArn":
            return "dynamodb"
        return "kinesis"


def _api_path(value: Any, loc: Loc | None) -> Str:
    text = str(value).strip() if isinstance(value, str) else "*"
    if text in ("*", "/*", ""):
        text = "/{proxy+}"
    if not text.startswith("/"):
        text = "/" + text
    return Str(text, loc_of(value, loc))


def _method(value: Any, loc: Loc | None) -> Str:
    text = str(value).strip().lower() if isinstance(value, str) else "any"
    return Str("any" if text in ("*", "any", "") else text, loc_of(value, loc))


def _s3_rules(rules: Arr) -> list[Obj]:
    out = []
    for rule in rules:
        if isinstance(rule, Obj):
            for name, text in rule.items():
                out.append(Obj({"Name": name, "Value": text}, rule.loc))
    return out
