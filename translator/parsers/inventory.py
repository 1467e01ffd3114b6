"""Read inventory.json (``lambda2func discover``) into the same ResourceGraph a template gives.

Each live function becomes an ``AWS::Lambda::Function`` with CloudFormation-shaped properties, and
what invokes it becomes canonical events: event source mappings give the pull triggers (SQS, Kinesis,
DynamoDB, MSK, MQ ...), resource policy statements the push triggers (S3, SNS, EventBridge, API Gateway
and the others a Permission names), and a function URL the ``url`` trigger. Aliases, versions, mappings
and policy statements are resources too, so the report accounts for every one of them.

Values keep the inventory file's line numbers (it is loaded by the same line-keeping loader), so a
finding points at the JSON that holds the fact. Gaps, drift, provisioned concurrency and environment
values that were not read become findings of the LF6xxx rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

from translator.discover.document import SCHEMA_VERSION, schema_errors
from translator.discover.push_sources import parse_json_text
from translator.findings import Finding
from translator.graph import Event, Function, Parameter, Resource, ResourceGraph, build_edges
from translator.load import Document, InputError
from translator.mapping.secrets_detect import looks_secret
from translator.parsers.cfn import _PRINCIPAL_KINDS, _api_route
from translator.provenance import FunctionOrigin, Provenance
from translator.values import Arr, Loc, Obj, Ref, Str

FUNCTION = "AWS::Lambda::Function"
#: ARN service -> (event kind, SAM property naming the source)
_PULL = {
    "sqs": ("sqs", "Queue"),
    "kinesis": ("kinesis", "Stream"),
    "dynamodb": ("dynamodb", "Stream"),
    "kafka": ("msk", "Stream"),
    "mq": ("mq", "Broker"),
    "rds": ("documentdb", "Cluster"),
}
#: Lambda's answers for settings left at their defaults: they are not carried into the event, where an
#: unknown key would read as an untranslated setting
_MAPPING_DEFAULTS: dict[str, Any] = {
    "MaximumBatchingWindowInSeconds": 0,
    "ParallelizationFactor": 1,
    "MaximumRecordAgeInSeconds": -1,
    "BisectBatchOnFunctionError": False,
    "MaximumRetryAttempts": -1,
    "TumblingWindowInSeconds": 0,
    "FunctionResponseTypes": [],
    "DestinationConfig": {"OnFailure": {}},
    "Topics": [],
    "Queues": [],
    "SourceAccessConfigurations": [],
}
_MAPPING_IDENTITY = {
    "UUID",
    "EventSourceMappingArn",
    "State",
    "EventSourceArn",
    "KMSKeyArn",
    "FilterCriteriaError",
}
_SERVICE_KINDS = {"s3.amazonaws.com": "s3", "sns.amazonaws.com": "sns", "events.amazonaws.com": "eventbridge"}


def parse_inventory(doc: Document) -> ResourceGraph:
    """The graph of one inventory. Raises InputError when it does not match the inventory schema."""
    _validate(doc)
    return _Reader(doc).graph()


def _validate(doc: Document) -> None:
    try:
        plain = json.loads(doc.text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} (an inventory must be JSON)",
            Loc(doc.path, exc.lineno, exc.colno),
            "column",
        ) from None
    problems = schema_errors(plain, limit=1)
    if problems:
        path, message = problems[0]
        pointer = "/" + "/".join(str(p) for p in path)
        raise InputError(
            f"not a valid lambda2func inventory (schemaVersion {SCHEMA_VERSION}) at {pointer}: {message}",
            _locate(doc.data, path) or Loc(doc.path, 1),
        )


def _locate(data: Any, path: list[Any]) -> Loc | None:
    """The line of the JSON node at ``path``, as near as the loaded tree knows it."""
    loc = getattr(data, "loc", None)
    node = data
    for part in path:
        if isinstance(node, Obj) and isinstance(part, str) and part in node:
            loc = node.loc_of(part) or loc
            node = node[part]
        elif isinstance(node, Arr) and isinstance(part, int) and part < len(node):
            node = node[part]
            loc = getattr(node, "loc", None) or loc
        else:
            break
    return loc


def identifier(name: str) -> str:
    """A logical id from a function or variable name: letters and digits, words capitalised.

    >>> identifier("orders-api_processOrder"), identifier("9lives"), identifier("API_TOKEN")
    ('OrdersApiProcessOrder', 'Fn9lives', 'ApiToken')
    """
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    text = (
        "".join(w[0].upper() + (w[1:].lower() if w.isupper() and w.isalpha() else w[1:]) for w in words)
        or "Function"
    )
    return text if text[0].isalpha() else f"Fn{text}"


def _arn_service(arn: Any) -> str | None:
    parts = str(arn).split(":") if isinstance(arn, str) else []
    return parts[2] if len(parts) > 2 and parts[0] == "arn" else None


def _arn_tail(arn: str) -> str:
    tail = arn.split(":", 5)[-1]
    for marker in ("table/", "stream/"):
        if tail.startswith(marker):
            return tail[len(marker) :].split("/", 1)[0]
    return tail.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: Obj = doc.data
        self.findings: list[Finding] = list(doc.findings)
        self.resources: list[Resource] = []
        self.parameters: list[Parameter] = []
        self.used: set[str] = set()

    def _unique(self, base: str) -> str:
        candidate, n = base, 2
        while candidate.lower() in self.used:
            candidate, n = f"{base}{n}", n + 1
        self.used.add(candidate.lower())
        return candidate

    def graph(self) -> ResourceGraph:
        entries = [f for f in self.data["functions"] if isinstance(f, Obj)]
        names = [str(f["name"]) for f in entries]
        ids: dict[str, str] = {}  # function ARN -> logical id
        for entry in entries:
            base = identifier(str(entry["name"]))
            if names.count(str(entry["name"])) > 1:  # the same name in several regions
                base += identifier(str(entry["region"]))
            ids[str(entry["arn"])] = self._unique(base)
        functions = [self._function(entry, ids[str(entry["arn"])]) for entry in entries]
        self._gaps(ids)
        self._drift(ids)
        source = self.data["source"]
        provenance = Provenance(
            kind="live-aws-account",
            account=str(source["account"]) if source.get("account") else None,
            regions=tuple(str(r) for r in source["regions"]),
            discovered_at=str(source["discoveredAt"]),
            functions=tuple(
                FunctionOrigin(ids[str(e["arn"])], str(e["arn"]), str(e["region"]), self._usage(e))
                for e in entries
            ),
            gaps=len(self.data["gaps"]),
        )
        resources = tuple(self.resources)
        return ResourceGraph(
            file=self.doc.path,
            format="inventory",
            description=f"Lambda functions discovered in AWS account {provenance.account or 'unknown'}",
            parameters=tuple(self.parameters),
            conditions=Obj(),
            mappings=Obj(),
            resources=resources,
            functions=tuple(sorted(functions, key=lambda f: f.logical_id)),
            outputs=(),
            findings=tuple(self.findings),
            edges=build_edges(resources),
            provenance=provenance,
        )

    @staticmethod
    def _usage(entry: Obj) -> dict[str, Any] | None:
        metrics = entry.get("metrics")
        return dict(metrics) if isinstance(metrics, Obj) else None

    # ---- one function --------------------------------------------------------------------------
    def _function(self, f: Obj, lid: str) -> Function:
        props: dict[str, Any] = {}
        locs: dict[str, Loc] = {}

        def put(key: str, value: Any, source: str) -> None:
            props[key] = value
            loc = f.loc_of(source)
            if loc is not None:
                locs[key] = loc

        put("FunctionName", f["name"], "name")
        for key, source in (
            ("Runtime", "runtime"),
            ("Handler", "handler"),
            ("MemorySize", "memoryMB"),
            ("Timeout", "timeoutSeconds"),
            ("Role", "role"),
            ("KmsKeyArn", "kmsKeyArn"),
        ):
            if f.get(source) is not None:
                put(key, f[source], source)
        put("Architectures", f["architectures"], "architectures")
        put("PackageType", f["packageType"], "packageType")
        if f.get("description"):
            put("Description", f["description"], "description")
        environment = self._environment(f, lid)
        if environment is not None:
            put("Environment", environment, "environment")
        if f.get("layers"):
            put("Layers", f["layers"], "layers")
        for key, source in (
            ("VpcConfig", "vpcConfig"),
            ("LoggingConfig", "loggingConfig"),
            ("ImageConfig", "imageConfig"),
        ):
            if f.get(source):
                put(key, f[source], source)
        if f.get("fileSystemConfigs"):
            put("FileSystemConfigs", f["fileSystemConfigs"], "fileSystemConfigs")
        if f.get("deadLetterTargetArn"):
            put(
                "DeadLetterConfig",
                Obj({"TargetArn": f["deadLetterTargetArn"]}, f.loc_of("deadLetterTargetArn")),
                "deadLetterTargetArn",
            )
        if f.get("tracingMode") == "Active":
            put("TracingConfig", Obj({"Mode": f["tracingMode"]}, f.loc_of("tracingMode")), "tracingMode")
        if f.get("ephemeralStorageMB") not in (None, 512):
            put(
                "EphemeralStorage",
                Obj({"Size": f["ephemeralStorageMB"]}, f.loc_of("ephemeralStorageMB")),
                "ephemeralStorageMB",
            )
        if f.get("snapStart") not in (None, "None"):
            put("SnapStart", Obj({"ApplyOn": f["snapStart"]}, f.loc_of("snapStart")), "snapStart")
        tags = f.get("tags")
        if isinstance(tags, Obj):
            user = {k: v for k, v in tags.items() if not k.startswith("aws:")}  # aws: tags are AWS's own
            if user:
                put("Tags", Obj(user, tags.loc, {k: tags.loc_of(k) for k in user}), "tags")
        if f.get("reservedConcurrency") is not None:
            put("ReservedConcurrentExecutions", f["reservedConcurrency"], "reservedConcurrency")
        url = f.get("functionUrl")
        if isinstance(url, Obj):
            items = {"AuthType": url["authType"]}
            if url.get("invokeMode"):
                items["InvokeMode"] = url["invokeMode"]
            if url.get("cors"):
                items["Cors"] = url["cors"]
            put("FunctionUrlConfig", Obj(items, url.loc), "functionUrl")
        invoke = f.get("eventInvokeConfig")
        if isinstance(invoke, Obj) and invoke:
            names = {
                "maximumRetryAttempts": "MaximumRetryAttempts",
                "maximumEventAgeInSeconds": "MaximumEventAgeInSeconds",
                "destinationConfig": "DestinationConfig",
            }
            put(
                "EventInvokeConfig",
                Obj({names[k]: v for k, v in invoke.items()}, invoke.loc),
                "eventInvokeConfig",
            )

        properties = Obj(props, f.loc, locs)
        self.resources.append(Resource(lid, FUNCTION, properties, f.loc))
        events = self._mappings(f, lid) + self._policy(f, lid)
        if isinstance(url, Obj):
            events.append(
                Event(
                    "FunctionUrl",
                    "url",
                    "FunctionUrlConfig",
                    lid,
                    properties["FunctionUrlConfig"],
                    f.loc_of("functionUrl"),
                )
            )
        self._aliases(f, lid)
        self._usage_finding(f, lid)
        return Function(lid, FUNCTION, properties, f.loc, tuple(events))

    def _environment(self, f: Obj, lid: str) -> Obj | None:
        variables = f["environment"]
        if not variables:
            return None
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        missing: list[str] = []
        for var in variables:
            name = str(var["name"])
            locs[name] = var.loc
            if "value" in var:
                values[name] = var["value"]
                continue
            # not read (names only) or redacted: the value becomes a deployment parameter
            param = self._unique(f"{lid}{identifier(name)}")
            secret = "redacted" in var or looks_secret(name, None) is not None
            self.parameters.append(
                Parameter(
                    param,
                    "String",
                    var.loc,
                    no_echo=secret,
                    description=f"{name} of Lambda function {f['name']} (not read from the account)",
                )
            )
            values[name] = Ref(param, loc=var.loc)
            missing.append(name)
        if missing:
            why = (
                "their values look secret and were redacted"
                if all("redacted" in v for v in variables if str(v["name"]) in missing)
                else "values are read only with --include-env-values, and redacted when they look secret"
            )
            self.findings.append(
                Finding.of(
                    "LF6002",
                    f"environment values not in the inventory ({why}): {', '.join(missing)}; each becomes a "
                    "Bicep parameter",
                    f.loc_of("environment"),
                    lid,
                )
            )
        return Obj({"Variables": Obj(values, variables.loc, locs)}, variables.loc)

    def _mappings(self, f: Obj, lid: str) -> list[Event]:
        events: list[Event] = []
        for mapping in f.get("eventSourceMappings") or ():
            arn = mapping.get("EventSourceArn")
            service = _arn_service(arn)
            if service in _PULL:
                kind, source_prop = _PULL[service]
            elif "SelfManagedEventSource" in mapping:
                kind, source_prop = "selfmanagedkafka", "KafkaBootstrapServers"
            else:
                kind, source_prop = "unknown", "EventSourceArn"
            items: dict[str, Any] = {}
            locs: dict[str, Loc] = {}
            for key, value in mapping.items():
                if key in _MAPPING_IDENTITY or _MAPPING_DEFAULTS.get(key, object()) == _plain(value):
                    continue
                items[key] = value
                if (loc := mapping.loc_of(key)) is not None:
                    locs[key] = loc
            if isinstance(arn, str):
                items = {source_prop: arn, **items}
                locs[source_prop] = mapping.loc_of("EventSourceArn")
            state = mapping.get("State")
            if isinstance(state, str) and state in ("Disabled", "Disabling"):
                items["Enabled"] = False
            name = self._unique(
                f"{lid}{identifier(kind.capitalize() + ' ' + (_arn_tail(str(arn)) if arn else 'Source'))}"
            )
            event_name = name[len(lid) :]
            resource_props = {
                "FunctionName": f["name"],
                **({"EventSourceArn": arn} if arn else {}),
                **{k: v for k, v in items.items() if k != source_prop},
            }
            self.resources.append(
                Resource(
                    name, "AWS::Lambda::EventSourceMapping", Obj(resource_props, mapping.loc), mapping.loc
                )
            )
            events.append(
                Event(
                    event_name,
                    kind,
                    "AWS::Lambda::EventSourceMapping",
                    lid,
                    Obj(items, mapping.loc, locs),
                    mapping.loc,
                    source=arn,
                    declared_by=name,
                )
            )
        return events

    def _policy(self, f: Obj, lid: str) -> list[Event]:
        events: list[Event] = []
        for index, statement in enumerate(f.get("resourcePolicy") or (), 1):
            sid = statement.get("Sid")
            name = self._unique(
                f"{lid}{identifier(str(sid)) if isinstance(sid, str) else f'Permission{index}'}"
            )
            principal = statement.get("Principal")
            service = principal.get("Service") if isinstance(principal, Obj) else None
            actions = statement.get("Action")
            actions = [str(a) for a in actions] if isinstance(actions, Arr) else [str(actions)]
            condition = statement.get("Condition")
            source_arn = _condition(condition, "aws:sourcearn")
            props: dict[str, Any] = {
                "FunctionName": f["name"],
                "Action": actions[0] if len(actions) == 1 else actions,
            }
            if isinstance(service, str):
                props["Principal"] = service
            elif principal is not None:
                props["Principal"] = principal
            if source_arn is not None:
                props["SourceArn"] = source_arn
            self.resources.append(
                Resource(name, "AWS::Lambda::Permission", Obj(props, statement.loc), statement.loc)
            )
            if statement.get("Effect") != "Allow" or not any(
                a in ("lambda:InvokeFunction", "lambda:*", "*") for a in actions
            ):
                continue  # a function URL's own InvokeFunctionUrl statement, or a Deny
            detail = self._detail(f, statement, source_arn)
            if detail is not None:
                events += self._detailed_events(detail, statement, name, lid)
                continue
            event = self._push_event(statement, name, lid, service, source_arn)
            if event is not None:
                events.append(event)
        return events

    def _push_event(
        self, statement: Obj, declared_by: str, lid: str, service: Any, source_arn: Any
    ) -> Event | None:
        loc = statement.loc
        kind = None
        if isinstance(service, str):
            kind = _SERVICE_KINDS.get(str(service)) or _PRINCIPAL_KINDS.get(str(service))
        if kind is None:
            who = service if isinstance(service, str) else json.dumps(_plain(statement.get("Principal")))
            self.findings.append(
                Finding.of(
                    "LF6007",
                    f"resource policy statement '{statement.get('Sid', '?')}' lets {who} invoke the function; "
                    "no trigger is made from it",
                    loc,
                    lid,
                )
            )
            return None
        items: dict[str, Any] = {}
        arn = str(source_arn) if isinstance(source_arn, str) else None
        if kind == "s3":
            items["Bucket"] = Str(arn.rsplit(":", 1)[-1], loc) if arn else Str("unknown-bucket", loc)
        elif kind == "sns":
            if arn:
                items["Topic"] = source_arn
        elif kind == "eventbridge":
            # arn:aws:events:REGION:ACCOUNT:rule/NAME on the default bus, rule/BUS/NAME on another bus
            parts = arn.split(":", 5)[-1].split("/") if arn else []
            if len(parts) == 3:
                items["EventBusName"] = Str(parts[1], loc)
        else:
            items["Principal"] = service
            if source_arn is not None:
                items["SourceArn"] = source_arn
            if kind == "api":
                method, path = _api_route(source_arn)
                items["Method"], items["Path"] = Str(method, loc), Str(path, loc)
        tail = _arn_tail(arn) if arn else kind
        event_name = self._unique(f"{lid}{identifier(kind.capitalize() + ' ' + tail)}")[len(lid) :]
        return Event(
            event_name,
            kind,
            "AWS::Lambda::Permission",
            lid,
            Obj(items, loc),
            loc,
            source=source_arn if kind != "eventbridge" else None,
            declared_by=declared_by,
        )

    @staticmethod
    def _detail(f: Obj, statement: Obj, source_arn: Any) -> Obj | None:
        """The push source read from the service itself for this statement, when discovery read one."""
        for source in f.get("pushSources") or ():
            if source.get("sid") == statement.get("Sid") and source.get("sourceArn") == source_arn:
                return source
        return None

    def _detailed_events(self, detail: Obj, statement: Obj, declared_by: str, lid: str) -> list[Event]:
        """Events from what S3, SNS or EventBridge say they send (see discover/push_sources.py)."""
        loc = detail.loc or statement.loc
        arn = str(detail["sourceArn"])
        service = str(detail["service"])
        made: list[tuple[str, str, dict[str, Any]]] = []  # (kind, name tail, properties)
        rule = detail.get("rule")
        if service == "events" and isinstance(rule, Obj):
            items: dict[str, Any] = {}
            if rule.get("scheduleExpression"):
                kind = "schedule"
                items["Schedule"] = rule["scheduleExpression"]
            else:
                kind = "eventbridge"
                pattern = parse_json_text(rule.get("eventPattern"))
                if pattern is not None:
                    items["Pattern"] = _located(pattern, rule.loc_of("eventPattern"))
                if rule["eventBusName"] != "default":
                    items["EventBusName"] = rule["eventBusName"]
            if rule.get("state"):
                items["State"] = rule["state"]
            made.append((kind, str(rule["name"]), items))
        elif service == "s3":
            for notification in detail.get("notifications") or ():
                items = {"Bucket": detail["bucket"], "Events": notification["events"]}
                if notification["filterRules"]:
                    rules = [
                        {"Name": r["name"], "Value": r["value"]} for r in _plain(notification["filterRules"])
                    ]
                    items["Filter"] = _located({"S3Key": {"Rules": rules}}, notification.loc)
                made.append(("s3", str(detail["bucket"]), items))
        elif service == "sns":
            for subscription in detail.get("subscriptions") or ():
                items = {"Topic": detail["sourceArn"]}
                policy = parse_json_text(subscription.get("filterPolicy"))
                if policy is not None:
                    items["FilterPolicy"] = _located(policy, subscription.loc_of("filterPolicy"))
                    items["FilterPolicyScope"] = subscription.get("filterPolicyScope") or "MessageAttributes"
                made.append(("sns", _arn_tail(arn), items))
        if not made:
            self.findings.append(
                Finding.of(
                    "LF6007",
                    f"resource policy statement '{statement.get('Sid', '?')}' lets {service} invoke the function, "
                    f"but {arn} sends it nothing (no notification, subscription or rule names it)",
                    loc,
                    lid,
                )
            )
        events = []
        for kind, tail, items in made:
            name = self._unique(f"{lid}{identifier(kind.capitalize() + ' ' + tail)}")[len(lid) :]
            events.append(
                Event(
                    name,
                    kind,
                    "AWS::Lambda::Permission",
                    lid,
                    Obj(items, loc),
                    loc,
                    source=detail["sourceArn"] if kind in ("s3", "sns") else None,
                    declared_by=declared_by,
                )
            )
        return events

    def _aliases(self, f: Obj, lid: str) -> None:
        provisioned = {str(p["qualifier"]): p for p in f.get("provisionedConcurrency") or ()}
        for alias in f.get("aliases") or ():
            name = self._unique(f"{lid}Alias{identifier(str(alias['name']))}")
            props: dict[str, Any] = {
                "FunctionName": f["name"],
                "Name": alias["name"],
                "FunctionVersion": alias["functionVersion"],
            }
            if str(alias["name"]) in provisioned:
                props["ProvisionedConcurrencyConfig"] = Obj(
                    {"ProvisionedConcurrentExecutions": provisioned[str(alias["name"])]["requested"]}
                )
            self.resources.append(Resource(name, "AWS::Lambda::Alias", Obj(props, alias.loc), alias.loc))
        for version in f.get("versions") or ():
            name = self._unique(f"{lid}Version{identifier(str(version['version']))}")
            props = {"FunctionName": f["name"]}
            if version.get("description"):
                props["Description"] = version["description"]
            self.resources.append(
                Resource(name, "AWS::Lambda::Version", Obj(props, version.loc), version.loc)
            )
        for qualifier, config in provisioned.items():
            self.findings.append(
                Finding.of(
                    "LF6005",
                    f"'{qualifier}' has provisioned concurrency {config.get('requested')}; Flex Consumption "
                    "always-ready instances are not generated from it",
                    config.loc,
                    lid,
                )
            )

    def _usage_finding(self, f: Obj, lid: str) -> None:
        metrics = f.get("metrics")
        if not isinstance(metrics, Obj):
            return
        p95 = metrics.get("durationP95Ms")
        peak = metrics.get("peakConcurrentExecutions")
        self.findings.append(
            Finding.of(
                "LF6006",
                f"last {metrics['days']} days: {metrics['invocations']} invocations, {metrics['errors']} errors, "
                f"{metrics['throttles']} throttles, p95 duration "
                f"{'n/a' if p95 is None else f'{p95:g} ms'}, peak concurrency {'n/a' if peak is None else f'{peak:g}'}",
                f.loc_of("metrics"),
                lid,
            )
        )

    # ---- account-wide --------------------------------------------------------------------------
    def _gaps(self, ids: dict[str, str]) -> None:
        for gap in self.data["gaps"]:
            function = gap.get("function")
            lid = ids.get(str(function)) if function else None
            where = f"function {str(function).rsplit(':', 1)[-1]}" if function else f"region {gap['region']}"
            self.findings.append(
                Finding.of(
                    "LF6001",
                    f"{gap['operation']} failed for {where} ({gap['kind']}: {gap['code']}); what it reads is unknown",
                    gap.loc,
                    lid,
                    f"Allow {gap['operation']} for the discovering identity and run 'lambda2func discover' again."
                    if gap["kind"] == "access-denied"
                    else None,
                )
            )

    def _drift(self, ids: dict[str, str]) -> None:
        drift = self.data.get("drift")
        if not isinstance(drift, Obj):
            return
        for diff in drift["differences"]:
            live, expected = _plain(diff["live"]), _plain(diff["template"])
            self.findings.append(
                Finding.of(
                    "LF6003",
                    f"{diff['setting']} of '{diff['logicalId']}' in stack {drift['stack']}: the template says "
                    f"{json.dumps(expected)}, the live function has {json.dumps(live)}",
                    diff.loc,
                    ids.get(str(diff["function"])),
                )
            )
        for item in drift["unmatched"]:
            label = item.get("logicalId") or str(item.get("function"))
            self.findings.append(
                Finding.of(
                    "LF6004",
                    f"'{label}' of stack {drift['stack']}: {item['reason']}",
                    item.loc,
                    ids.get(str(item.get("function"))),
                )
            )


def _condition(condition: Any, key: str) -> Any:
    """The value of a condition key (case-insensitive, any operator) in an IAM Condition block."""
    if not isinstance(condition, Obj):
        return None
    for block in condition.values():
        if isinstance(block, Obj):
            for name, value in block.items():
                if name.lower() == key:
                    return value[0] if isinstance(value, Arr) and len(value) == 1 else value
    return None


def _located(value: Any, loc: Loc | None) -> Any:
    """Plain JSON data (an event pattern, a filter policy) as located values, like a template's."""
    if isinstance(value, dict):
        return Obj({str(k): _located(v, loc) for k, v in value.items()}, loc)
    if isinstance(value, list):
        return Arr([_located(v, loc) for v in value], loc)
    if isinstance(value, str):
        return Str(value, loc)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Obj):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Arr):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
