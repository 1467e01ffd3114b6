"""Triggers: turn each Lambda event source into an Azure Functions trigger and what it needs.

A handler per trigger family (named in ``mappings/triggers.yaml``) adds the Azure resources, role
assignments, app settings and host.json settings its trigger needs and returns a TriggerPlan whose
``binding`` holds the settings an adapter or function.json uses. Values that differ between
deployments (queue and container names) reach bindings through ``%APP_SETTING%`` references.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from translator.bicep import Call, Ident, Interp, Prop, Ternary, interp
from translator.findings import Disposition
from translator.graph import Event
from translator.mapping.context import Builder
from translator.mapping.expressions import Expressions
from translator.mapping.functions import FunctionSettings
from translator.mapping.schedule import convert_schedule
from translator.mapping.services import Services, kebab
from translator.plan import TriggerPlan
from translator.values import Arr, Obj, Str


@dataclass
class AppContext:
    """What the triggers of one function app add to it."""

    name: str
    runtime_name: str
    site: str
    identity: str
    settings: dict[str, Any]
    host_extensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    needs_host_queues: bool = False
    scale_groups: set[str] = field(default_factory=set)


def setting_name(*parts: str) -> str:
    """An app setting name for a generated binding value.

    >>> setting_name("ProcessOrder", "OrdersQueue", "queue")
    'PROCESSORDER_ORDERSQUEUE_QUEUE'
    """
    return "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_").upper() for p in parts if p)


def _enabled(props: Obj) -> bool:
    enabled = props.get("Enabled")
    state = props.get("State")
    if enabled is False or (isinstance(enabled, str) and str(enabled).lower() == "false"):
        return False
    return not (isinstance(state, str) and str(state).upper() == "DISABLED")


def _arn_tail(value: Any) -> str | None:
    """The resource name at the end of a literal ARN (queue, stream, table)."""
    if not isinstance(value, str):
        return None
    text = str(value)
    if not text.startswith("arn:"):
        return None
    tail = text.split(":", 5)[-1]
    for marker in ("table/", "stream/"):
        if tail.startswith(marker):
            return tail[len(marker) :].split("/", 1)[0]
    return tail.rsplit("/", 1)[-1] or None


class Triggers:
    def __init__(self, builder: Builder, exprs: Expressions, services: Services) -> None:
        self.b = builder
        self.x = exprs
        self.s = services
        self.handlers: dict[
            str, Callable[[AppContext, FunctionSettings, Event, dict[str, Any]], TriggerPlan]
        ] = {
            "http": self.http,
            "servicebus": self.servicebus,
            "blob": self.blob,
            "eventgrid": self.eventgrid,
            "timer": self.timer,
            "cosmos": self.cosmos,
            "eventhub": self.eventhub,
        }
        self._default_bus: str | None = None
        self._blob_topic: str | None = None
        #: (creator, name) -> symbol of a resource standing in for a source outside the template
        self._external: dict[tuple[str, str], str] = {}

    def map(self, app: AppContext, fs: FunctionSettings, event: Event) -> TriggerPlan:
        spec = (
            self.b.tables.triggers["triggers"].get(event.kind)
            or self.b.tables.triggers["triggers"]["unknown"]
        )
        handler = self.handlers.get(spec.get("handler", ""))
        if handler is None:
            self.b.finding(
                "LF3001",
                f"event '{event.name}' ({event.aws_type}): {spec['reason']}",
                event.loc,
                fs.fn.logical_id,
                f"Closest Azure counterpart: {spec['azure_target']}.",
            )
            self._lower(event, fs, Disposition.UNSUPPORTED)
            return self._plan(fs, event, spec, Disposition.UNSUPPORTED, {}, azure_trigger=None)
        plan = handler(app, fs, event, spec)
        if not _enabled(event.properties) and plan.azure_trigger:
            app.settings[f"AzureWebJobs.{function_name(fs, event)}.Disabled"] = "true"
            self.b.finding(
                "LF3009",
                f"event '{event.name}' is disabled; the trigger is disabled with an app setting",
                event.loc,
                fs.fn.logical_id,
            )
        if "scale_group" in spec:
            app.scale_groups.add(spec["scale_group"])
        return plan

    # ---- helpers --------------------------------------------------------------------------------
    def _plan(
        self,
        fs: FunctionSettings,
        event: Event,
        spec: dict[str, Any],
        disposition: Disposition,
        binding: dict[str, Any],
        azure_trigger: str | None = "",
    ) -> TriggerPlan:
        return TriggerPlan(
            function_name=function_name(fs, event),
            event=event.name,
            kind=event.kind,
            aws_type=event.aws_type,
            azure_trigger=spec.get("azure_trigger") if azure_trigger == "" else azure_trigger,
            azure_target=spec.get("azure_target"),
            disposition=disposition,
            binding=binding,
            loc=event.loc,
        )

    def _lower(self, event: Event, fs: FunctionSettings, disposition: Disposition) -> None:
        self.b.lower_disposition(fs.fn.logical_id, disposition)
        if event.declared_by:
            self.b.lower_disposition(event.declared_by, disposition)

    def _untranslated(self, event: Event, fs: FunctionSettings, handled: set[str]) -> Disposition:
        rest = sorted(k for k in event.properties if k not in handled)
        if not rest:
            return Disposition.CONVERTED
        self.b.finding(
            "LF3007",
            f"event '{event.name}' ({event.aws_type}) settings not translated: {', '.join(rest)}",
            event.properties.loc_of(rest[0]),
            fs.fn.logical_id,
        )
        return Disposition.APPROXIMATED

    def _identity_connection(self, app: AppContext, prefix: str, **values: Any) -> None:
        for key, value in values.items():
            app.settings[f"{prefix}__{key}"] = value
        app.settings[f"{prefix}__credential"] = "managedidentity"
        app.settings[f"{prefix}__clientId"] = Prop(Ident(app.identity), ("properties", "clientId"))

    def _namespace_connection(self, app: AppContext, spec: dict[str, Any], namespace: str) -> str:
        """Identity-based connection settings for a Service Bus or Event Hubs namespace."""
        connection = str(spec["connection"])
        # both services answer on <namespace>.servicebus.windows.net
        fqdn = interp(Prop(Ident(namespace), ("name",)), ".servicebus.windows.net")
        self._identity_connection(app, connection, fullyQualifiedNamespace=fqdn)
        return connection

    def _source_target(
        self, event: Event, fs: FunctionSettings, aws_type: str, create: Callable[[str], str]
    ) -> str:
        """The Azure symbol for the event's source; a source outside the template gets a new resource."""
        if event.source_id and event.source_id in self.b.targets:
            return self.b.targets[event.source_id].symbol
        name = _arn_tail(event.source) or kebab(f"{fs.fn.logical_id}-{event.name}")
        self.b.finding(
            "LF3002",
            f"event '{event.name}': the {aws_type} is not defined in this template; a new Azure resource "
            f"'{name}' stands in for it",
            event.loc,
            fs.fn.logical_id,
        )
        # several events on one outside source share its stand-in (two resources with one name fail)
        key = (create.__name__, name)
        if key not in self._external:
            self._external[key] = create(name)
        return self._external[key]

    def _extension(
        self, app: AppContext, section: str, key: str, value: Any, fs: FunctionSettings, event: Event
    ) -> None:
        current = app.host_extensions.setdefault(section, {})
        if key in current and current[key] != value:
            chosen = max(current[key], value) if isinstance(value, int) else current[key]
            if chosen != current[key] or chosen != value:
                self.b.finding(
                    "LF3008",
                    f"host.json {section}.{key} is app-wide; functions ask for {current[key]} and {value}, "
                    f"{chosen} is used",
                    event.loc,
                    fs.fn.logical_id,
                )
            current[key] = chosen
        else:
            current[key] = value

    # ---- HTTP -----------------------------------------------------------------------------------
    def http(self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]) -> TriggerPlan:
        props = event.properties
        disposition = Disposition.CONVERTED
        if event.kind == "url":
            route = f"{fs.fn.logical_id}/{{*path}}"
            methods: list[str] = []
            auth = props.get("AuthType")
            if isinstance(auth, str) and str(auth) == "AWS_IAM":
                self.b.finding(
                    "LF3008",
                    "function URL with AWS_IAM auth becomes a function-key protected HTTP trigger",
                    event.loc,
                    fs.fn.logical_id,
                )
            self.b.finding(
                "LF3008",
                f"the function URL becomes the route '/{route}' on the app's host name",
                event.loc,
                fs.fn.logical_id,
            )
            disposition = Disposition.APPROXIMATED
            auth_level = "function" if isinstance(auth, str) and str(auth) == "AWS_IAM" else "anonymous"
        else:
            path = props.get("Path")
            method = props.get("Method")
            route = _route(str(path)) if isinstance(path, str) else "{*path}"
            methods = (
                []
                if not isinstance(method, str)
                or str(method).lower() in ("any", "x-amazon-apigateway-any-method")
                else [str(method).lower()]
            )
            auth_level = "anonymous"
            if _has_auth(props.get("Auth")):
                # never publish a protected route anonymously: function keys until real auth is added
                auth_level = "function"
                self.b.finding(
                    "LF3013",
                    f"event '{event.name}' has API Gateway Auth; the HTTP trigger requires a function key "
                    "until you add authentication (App Service authentication or API Management)",
                    props.loc_of("Auth"),
                    fs.fn.logical_id,
                )
                disposition = Disposition.APPROXIMATED
            handled = {
                "Path",
                "Method",
                "RestApiId",
                "ApiId",
                "Auth",
                "Principal",
                "SourceArn",
                "PayloadFormatVersion",
            }
            if self._untranslated(event, fs, handled) is Disposition.APPROXIMATED:
                disposition = Disposition.APPROXIMATED
        limit = self.b.tables.settings["flex"]["http_response_limit_seconds"]
        if fs.timeout_seconds and fs.timeout_seconds > limit:
            self.b.finding(
                "LF2007",
                f"timeout {fs.timeout_seconds}s is above the {limit}s an HTTP trigger may take to respond",
                fs.fn.properties.loc_of("Timeout"),
                fs.fn.logical_id,
            )
        binding: dict[str, Any] = {"route": route, "authLevel": auth_level}
        if methods:
            binding["methods"] = methods
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    # ---- SQS -> Service Bus ---------------------------------------------------------------------
    def servicebus(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        queue = self._source_target(event, fs, "SQS queue", self._external_queue)
        connection = self._namespace_connection(app, spec, self.s.servicebus_namespace())
        queue_setting = setting_name(fs.fn.logical_id, event.name, "queue")
        app.settings[queue_setting] = Prop(Ident(queue), ("name",))
        for role in spec.get("roles", []):
            self.b.role_assignment(queue, role, app.identity, (fs.fn.logical_id,))
        props = event.properties
        binding: dict[str, Any] = {"queueName": f"%{queue_setting}%", "connection": connection}
        queue_resource = self.b.resource(queue)
        if queue_resource is not None and queue_resource.body.get("properties", {}).get("requiresSession"):
            # a FIFO queue became a session queue; only a session-enabled receiver can read it
            binding["isSessionsEnabled"] = True
        disposition = self._untranslated(event, fs, {"Queue", "BatchSize", "Enabled", "State"})
        batch = props.get("BatchSize")
        if isinstance(batch, int) and not isinstance(batch, bool) and batch > 1:
            binding["cardinality"] = "many"
            self._extension(app, "serviceBus", "maxMessageBatchSize", batch, fs, event)
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _external_queue(self, name: str) -> str:
        namespace = self.s.servicebus_namespace()
        return self.b.new_resource(
            f"{name}Queue",
            "Microsoft.ServiceBus/namespaces/queues",
            {"parent": Ident(namespace), "name": name, "properties": {}},
            comment="stands in for an SQS queue defined outside the template",
        ).symbol

    # ---- S3 -> blob trigger with the Event Grid source ------------------------------------------
    def blob(self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]) -> TriggerPlan:
        account, _ = self.s.data_storage()
        container = self._source_target(event, fs, "S3 bucket", self._external_container)
        connection = spec["connection"]
        endpoints = Prop(Ident(account), ("properties", "primaryEndpoints"))
        self._identity_connection(
            app,
            connection,
            blobServiceUri=Prop(endpoints, ("blob",)),
            queueServiceUri=Prop(endpoints, ("queue",)),
        )
        app.needs_host_queues = True
        container_setting = setting_name(fs.fn.logical_id, event.name, "container")
        app.settings[container_setting] = Prop(Ident(container), ("name",))
        for role in spec.get("roles", []):
            self.b.role_assignment(account, role, app.identity, (fs.fn.logical_id,))
        props = event.properties
        disposition = self._untranslated(event, fs, {"Bucket", "Events", "Filter"})
        _, removed, other = _s3_event_types(props.get("Events"))
        if removed or other:
            self.b.finding(
                "LF3003",
                f"event '{event.name}': the blob trigger fires only for created blobs; "
                f"{', '.join(removed + other)} need an Event Grid trigger on the storage account",
                props.loc_of("Events"),
                fs.fn.logical_id,
            )
            disposition = Disposition.APPROXIMATED
        prefix, suffix = _s3_key_filter(props.get("Filter"))
        subject_begins = interp(
            "/blobServices/default/containers/", Prop(Ident(container), ("name",)), "/blobs/", prefix or ""
        )
        event_filter: dict[str, Any] = {
            "includedEventTypes": ["Microsoft.Storage.BlobCreated"],
            "subjectBeginsWith": subject_begins,
        }
        if suffix:
            event_filter["subjectEndsWith"] = suffix
        target = function_name(fs, event)
        webhook_name = target if app.runtime_name == "dotnet-isolated" else f"Host.Functions.{target}"
        site = Ident(app.site)
        key = Prop(
            Call(
                "listKeys",
                (
                    interp(Prop(site, ("id",)), "/host/default"),
                    self.b.tables.api_version("Microsoft.Web/sites"),
                ),
            ),
            ("systemKeys", "blobs_extension"),
        )
        endpoint = interp(
            "https://",
            Prop(site, ("properties", "defaultHostName")),
            f"/runtime/webhooks/blobs?functionName={webhook_name}&code=",
            key,
        )
        topic = self._blob_system_topic(account)
        self.b.new_resource(
            f"{fs.fn.logical_id}{event.name}Subscription",
            "Microsoft.EventGrid/systemTopics/eventSubscriptions",
            {
                "parent": Ident(topic),
                "name": kebab(f"{fs.fn.logical_id}-{event.name}", 64),
                "properties": {
                    # ARM evaluates list*() even in a resource whose condition is false, and the
                    # blobs_extension key exists only once the code runs: guard the call itself
                    "destination": {
                        "endpointType": "WebHook",
                        "properties": {
                            "endpointUrl": Ternary(Ident("deployEventSubscriptions"), endpoint, "")
                        },
                    },
                    "filter": event_filter,
                    "eventDeliverySchema": "EventGridSchema",
                },
            },
            sources=tuple(s for s in (event.source_id, fs.fn.logical_id) if s),
            condition=Ident("deployEventSubscriptions"),
            comment=f"delivers blob-created events to {fs.fn.logical_id}",
        )
        self._gated_subscription_note(event, fs)
        binding = {
            "path": f"%{container_setting}%/{prefix or ''}{{name}}{suffix or ''}",
            "source": "EventGrid",
            "connection": connection,
        }
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _blob_system_topic(self, account: str) -> str:
        if self._blob_topic is None:
            self._blob_topic = self.b.new_resource(
                "dataStorageEvents",
                "Microsoft.EventGrid/systemTopics",
                {
                    "name": interp(
                        self.b.tables.prefix("Microsoft.EventGrid/systemTopics"),
                        "data-",
                        Ident("resourceToken"),
                    ),
                    "location": Ident("location"),
                    "tags": Ident("tags"),
                    "properties": {
                        "source": Prop(Ident(account), ("id",)),
                        "topicType": "Microsoft.Storage.StorageAccounts",
                    },
                },
                comment="Event Grid system topic of the data storage account (blob triggers)",
            ).symbol
        return self._blob_topic

    def _external_container(self, name: str) -> str:
        _, blob_service = self.s.data_storage()
        container = kebab(name.replace(".", "-"), 63)
        return self.b.new_resource(
            f"{name}Container",
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            {"parent": Ident(blob_service), "name": container, "properties": {"publicAccess": "None"}},
            comment="stands in for an S3 bucket defined outside the template",
        ).symbol

    def _gated_subscription_note(self, event: Event, fs: FunctionSettings) -> None:
        self.b.finding(
            "LF3006",
            f"event '{event.name}': its Event Grid subscription is created when deployEventSubscriptions is true",
            event.loc,
            fs.fn.logical_id,
        )

    # ---- SNS / EventBridge -> Event Grid --------------------------------------------------------
    def eventgrid(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        props = event.properties
        if event.kind == "sns":
            topic = self._source_target(event, fs, "SNS topic", self._external_topic)
            handled = {"Topic"}
            unfiltered = [k for k in ("FilterPolicy", "FilterPolicyScope") if k in props]
        else:
            bus = props.get("EventBusName")
            if (
                event.source_id
                and self.b.graph.resource(event.source_id) is not None
                and self.b.graph.resource(event.source_id).type == "AWS::Events::EventBus"
            ):  # type: ignore[union-attr]
                topic = self.b.targets[event.source_id].symbol
            elif bus is None or (isinstance(bus, str) and str(bus) == "default"):
                topic = self._default_bus_topic()
            else:
                topic = self._source_target(event, fs, "event bus", self._external_topic)
            handled = {"EventBusName", "State", "Enabled"}
            unfiltered = [k for k in ("Pattern", "Input", "InputPath", "InputTransformer") if k in props]
        disposition = self._untranslated(event, fs, handled | set(unfiltered))
        if unfiltered:
            self.b.finding(
                "LF3003",
                f"event '{event.name}': {', '.join(unfiltered)} not translated; the subscription delivers every event",
                props.loc_of(unfiltered[0]),
                fs.fn.logical_id,
            )
            disposition = Disposition.APPROXIMATED
        self.b.new_resource(
            f"{fs.fn.logical_id}{event.name}Subscription",
            "Microsoft.EventGrid/topics/eventSubscriptions",
            {
                "parent": Ident(topic),
                "name": kebab(f"{fs.fn.logical_id}-{event.name}", 64),
                "properties": {
                    "destination": {
                        "endpointType": "AzureFunction",
                        "properties": {
                            "resourceId": interp(
                                Prop(Ident(app.site), ("id",)), f"/functions/{function_name(fs, event)}"
                            ),
                            "maxEventsPerBatch": 1,
                            "preferredBatchSizeInKilobytes": 64,
                        },
                    },
                    "eventDeliverySchema": "CloudEventSchemaV1_0",
                },
            },
            sources=tuple(s for s in (event.declared_by or event.source_id, fs.fn.logical_id) if s),
            condition=Ident("deployEventSubscriptions"),
            comment=f"delivers {event.kind.upper()} events to {fs.fn.logical_id}",
        )
        self._gated_subscription_note(event, fs)
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, {})

    def _external_topic(self, name: str) -> str:
        return self.b.new_resource(
            f"{name}Topic",
            "Microsoft.EventGrid/topics",
            {
                "name": interp(
                    self.b.tables.prefix("Microsoft.EventGrid/topics"),
                    kebab(name, 24),
                    "-",
                    Ident("resourceToken"),
                ),
                "location": Ident("location"),
                "tags": Ident("tags"),
                "properties": {
                    "inputSchema": "CloudEventSchemaV1_0",
                    "minimumTlsVersionAllowed": "1.2",
                    "disableLocalAuth": True,
                },
            },
            comment="stands in for a topic or event bus defined outside the template",
        ).symbol

    def _default_bus_topic(self) -> str:
        if self._default_bus is None:
            self._default_bus = self.b.new_resource(
                "defaultEventBus",
                "Microsoft.EventGrid/topics",
                {
                    "name": interp(
                        self.b.tables.prefix("Microsoft.EventGrid/topics"), "default-", Ident("resourceToken")
                    ),
                    "location": Ident("location"),
                    "tags": Ident("tags"),
                    "properties": {
                        "inputSchema": "CloudEventSchemaV1_0",
                        "minimumTlsVersionAllowed": "1.2",
                        "disableLocalAuth": True,
                    },
                },
                comment="Event Grid topic standing in for the EventBridge default event bus",
            ).symbol
        return self._default_bus

    # ---- Schedule -> timer ----------------------------------------------------------------------
    def timer(self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]) -> TriggerPlan:
        props = event.properties
        key = "ScheduleExpression" if "ScheduleExpression" in props else "Schedule"
        expression = props.get(key)
        handled = {key, "Enabled", "State", "Name", "Description"}
        disposition = Disposition.CONVERTED
        if not isinstance(expression, str):
            self.b.finding(
                "LF3005",
                f"event '{event.name}': the schedule is not a literal expression",
                props.loc_of(key),
                fs.fn.logical_id,
            )
            self._lower(event, fs, Disposition.MANUAL)
            return self._plan(fs, event, spec, Disposition.MANUAL, {})
        result = convert_schedule(str(expression))
        loc = props.loc_of(key)
        if result.ncrontab is None:
            self.b.finding(
                "LF3005",
                f"event '{event.name}': {expression}: {' '.join(result.notes)}",
                loc,
                fs.fn.logical_id,
            )
            self._lower(event, fs, Disposition.MANUAL)
            return self._plan(fs, event, spec, Disposition.MANUAL, {})
        if not result.exact:
            self.b.finding(
                "LF3004",
                f"event '{event.name}': {expression} becomes '{result.ncrontab}': {' '.join(result.notes)}",
                loc,
                fs.fn.logical_id,
            )
            disposition = Disposition.APPROXIMATED
        if "ScheduleExpressionTimezone" in props:
            self.b.finding(
                "LF3004",
                f"event '{event.name}': ScheduleExpressionTimezone is not supported on Flex Consumption; "
                "the timer runs in UTC",
                props.loc_of("ScheduleExpressionTimezone"),
                fs.fn.logical_id,
                "Shift the NCRONTAB hours to UTC.",
            )
            handled.add("ScheduleExpressionTimezone")
            disposition = Disposition.APPROXIMATED
        if self._untranslated(event, fs, handled) is Disposition.APPROXIMATED:
            disposition = Disposition.APPROXIMATED
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, {"schedule": result.ncrontab})

    # ---- DynamoDB streams -> Cosmos DB change feed ----------------------------------------------
    def cosmos(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        container = self._source_target(event, fs, "DynamoDB table", self._external_cosmos_container)
        account = self.s.cosmos_account()
        database = self.s.cosmos_database()
        leases = self.s.cosmos_leases()
        connection = spec["connection"]
        self._identity_connection(
            app, connection, accountEndpoint=Prop(Ident(account), ("properties", "documentEndpoint"))
        )
        self._cosmos_role(account, app.identity, fs.fn.logical_id)
        container_setting = setting_name(fs.fn.logical_id, event.name, "container")
        database_setting = setting_name(fs.fn.logical_id, event.name, "database")
        app.settings[container_setting] = Prop(Ident(container), ("name",))
        app.settings[database_setting] = Prop(Ident(database), ("name",))
        props = event.properties
        binding: dict[str, Any] = {
            "databaseName": f"%{database_setting}%",
            "containerName": f"%{container_setting}%",
            "leaseContainerName": self.b.resource(leases).body["name"],  # type: ignore[union-attr]
            "connection": connection,
        }
        start = props.get("StartingPosition")
        if isinstance(start, str) and str(start) == "TRIM_HORIZON":
            binding["startFromBeginning"] = True
        batch = props.get("BatchSize")
        if isinstance(batch, int) and not isinstance(batch, bool):
            binding["maxItemsPerInvocation"] = batch
        disposition = self._untranslated(
            event, fs, {"Stream", "StartingPosition", "BatchSize", "Enabled", "State"}
        )
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _cosmos_role(self, account: str, identity: str, source: str) -> None:
        role_id = self.b.tables.cosmos_role_id("Cosmos DB Built-in Data Contributor")
        key = f"cosmosRole:{identity}"
        if key in self.b.made_from:
            return
        self.b.made_from[key] = []
        self.b.new_resource(
            f"{account} data contributor {identity}",
            "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
            {
                "parent": Ident(account),
                "name": Call(
                    "guid", (Prop(Ident(account), ("id",)), Prop(Ident(identity), ("id",)), role_id)
                ),
                "properties": {
                    "roleDefinitionId": interp(
                        Prop(Ident(account), ("id",)), f"/sqlRoleDefinitions/{role_id}"
                    ),
                    "principalId": Prop(Ident(identity), ("properties", "principalId")),
                    "scope": Prop(Ident(account), ("id",)),
                },
            },
            sources=(source,),
            comment=f"Cosmos DB Built-in Data Contributor for {identity}",
        )

    def _external_cosmos_container(self, name: str) -> str:
        database = self.s.cosmos_database()
        return self.b.new_resource(
            f"{name}Container",
            "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
            {
                "parent": Ident(database),
                "name": name,
                "properties": {"resource": {"id": name, "partitionKey": {"paths": ["/id"], "kind": "Hash"}}},
            },
            comment="stands in for a DynamoDB table defined outside the template",
        ).symbol

    # ---- Kinesis -> Event Hubs ------------------------------------------------------------------
    def eventhub(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        hub = self._source_target(event, fs, "Kinesis stream", self._external_hub)
        connection = self._namespace_connection(app, spec, self.s.eventhub_namespace())
        hub_setting = setting_name(fs.fn.logical_id, event.name, "eventhub")
        app.settings[hub_setting] = Prop(Ident(hub), ("name",))
        for role in spec.get("roles", []):
            self.b.role_assignment(hub, role, app.identity, (fs.fn.logical_id,))
        props = event.properties
        binding: dict[str, Any] = {
            "eventHubName": f"%{hub_setting}%",
            "connection": connection,
            "cardinality": "many",
        }
        # Lambda reads up to 100 records per batch unless told otherwise (the Event Hubs default is 10);
        # the batch size also marks the section as the v5 shape of the host.json schema
        batch = props.get("BatchSize", _KINESIS_DEFAULT_BATCH_SIZE)
        if isinstance(batch, int) and not isinstance(batch, bool):
            self._extension(app, "eventHubs", "maxEventBatchSize", batch, fs, event)
        handled = {"Stream", "BatchSize", "StartingPosition", "StartingPositionTimestamp", "Enabled", "State"}
        start = props.get("StartingPosition")
        if isinstance(start, str):
            offset = {
                "TRIM_HORIZON": "fromStart",
                "LATEST": "fromEnd",
                "AT_TIMESTAMP": "fromEnqueuedTime",
            }.get(str(start))
            if offset:
                options: dict[str, Any] = {"type": offset}
                if offset == "fromEnqueuedTime":
                    # SAM gives Unix seconds; the host parses enqueuedTimeUtc as a date and time
                    stamp = _utc_text(props.get("StartingPositionTimestamp"))
                    if stamp is None:
                        handled -= {"StartingPosition", "StartingPositionTimestamp"}  # reported below
                    options["enqueuedTimeUtc"] = stamp
                if "StartingPosition" in handled:
                    self._extension(app, "eventHubs", "initialOffsetOptions", options, fs, event)
        disposition = self._untranslated(event, fs, handled)
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _external_hub(self, name: str) -> str:
        namespace = self.s.eventhub_namespace()
        return self.b.new_resource(
            f"{name}Hub",
            "Microsoft.EventHub/namespaces/eventhubs",
            {
                "parent": Ident(namespace),
                "name": name,
                "properties": {"partitionCount": 2, "messageRetentionInDays": 1},
            },
            comment="stands in for a Kinesis stream defined outside the template",
        ).symbol


#: Lambda's default BatchSize for Kinesis event sources
_KINESIS_DEFAULT_BATCH_SIZE = 100


def _utc_text(value: Any) -> str | None:
    """ISO 8601 UTC text for a literal Unix time in seconds, or None.

    >>> _utc_text(1700000000), _utc_text("1700000000.5"), _utc_text("soon")
    ('2023-11-14T22:13:20Z', '2023-11-14T22:13:20Z', None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        moment = datetime.fromtimestamp(float(value), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def function_name(fs: FunctionSettings, event: Event) -> str:
    """The Azure function for one event: an Azure function has exactly one trigger.

    A Lambda with one event keeps its name; with several, each event gets ``<function><event>``.
    """
    if len(fs.fn.events) <= 1:
        return fs.fn.logical_id
    return f"{fs.fn.logical_id}{event.name}"


def _has_auth(value: Any) -> bool:
    """True when an API event's Auth asks for any authentication (Authorizer NONE alone does not)."""
    if not isinstance(value, Obj):
        return value is not None
    rest = {
        k: v for k, v in value.items() if not (k == "Authorizer" and isinstance(v, str) and str(v) == "NONE")
    }
    return bool(rest)


def _route(path: str) -> str:
    """An Azure Functions route template from an API Gateway path.

    >>> _route("/orders/{id}"), _route("/{proxy+}"), _route("/")
    ('orders/{id}', '{*proxy}', '')
    """
    parts = []
    for segment in path.strip("/").split("/"):
        match = re.fullmatch(r"\{(\w+)\+\}", segment)
        parts.append("{*" + match.group(1) + "}" if match else segment)
    return "/".join(p for p in parts if p)


def _s3_event_types(value: Any) -> tuple[list[str], list[str], list[str]]:
    items = [str(v) for v in (value if isinstance(value, Arr) else [value]) if isinstance(v, (str, Str))]
    created = [i for i in items if i.startswith("s3:ObjectCreated")]
    removed = [i for i in items if i.startswith("s3:ObjectRemoved")]
    other = [i for i in items if i not in created and i not in removed]
    return created, removed, other


def _s3_key_filter(value: Any) -> tuple[str | None, str | None]:
    prefix = suffix = None
    key = value.get("S3Key") if isinstance(value, Obj) else None
    rules = key.get("Rules") if isinstance(key, Obj) else None
    for rule in rules if isinstance(rules, Arr) else ():
        if not isinstance(rule, Obj):
            continue
        name, text = rule.get("Name"), rule.get("Value")
        if isinstance(name, str) and isinstance(text, str):
            if str(name).lower() == "prefix":
                prefix = str(text)
            elif str(name).lower() == "suffix":
                suffix = str(text)
    return prefix, suffix


__all__ = ["AppContext", "Interp", "Triggers", "setting_name"]
