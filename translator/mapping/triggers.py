"""Triggers: turn each Lambda event source into an Azure Functions trigger and what it needs.

A handler per trigger family (named in ``mappings/triggers.yaml``) adds the Azure resources, role
assignments, app settings and host.json settings its trigger needs and returns a TriggerPlan whose
``binding`` holds the settings an adapter or function.json uses. Values that differ between
deployments (queue and container names) reach bindings through ``%APP_SETTING%`` references.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import partial
from typing import Any

from translator.bicep import BinOp, Call, Ident, Interp, Not, Prop, Ternary, interp
from translator.findings import Disposition
from translator.graph import Event, Resource
from translator.mapping import broker_triggers, http_routes, names
from translator.mapping.batching import (
    EVENT_HUBS_MAX_WAIT_SECONDS,
    LAMBDA_DEFAULT_BATCH,
    SERVICE_BUS_DEFAULT_LOCK_RENEWAL_SECONDS,
    SERVICE_BUS_MAX_WAIT_SECONDS,
    hms,
    lock_seconds,
    response_types,
    retry_policy,
    service_bus_wait_cap,
)
from translator.mapping.context import Builder
from translator.mapping.event_filters import EventFilter, eventbridge_pattern, sns_filter_policy
from translator.mapping.expressions import NO_VALUE, Expressions, Untranslatable
from translator.mapping.functions import FunctionSettings
from translator.mapping.schedule import convert_schedule
from translator.mapping.services import Services, container_name, kebab
from translator.mapping.setting_values import checked_event
from translator.mapping.timezones import utc_schedule
from translator.mapping.trigger_settings import target_text, trigger_setting_plans
from translator.parsers.sam import referenced_id
from translator.plan import SettingPlan, TriggerPlan
from translator.values import Arr, Intrinsic, Loc, Obj, Ref, literal_int, plain

#: AWS::SNS::Subscription properties the SNS -> SQS forwarding translates (RawMessageDelivery changes the
#: LF3028 text: the body was the raw message, now it is an event)
_SUBSCRIPTION_HANDLED = frozenset(
    {"TopicArn", "Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery"}
)


@dataclass(frozen=True)
class QueueLock:
    """The message lock a generated Service Bus queue has, in seconds and as the report shows it."""

    seconds: int
    text: str


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
    cors: dict[str, Any] = field(default_factory=dict)  # siteConfig.cors from the APIs it replaces
    #: the site CORS each HTTP event of the app's functions needs (http_routes.function_cors)
    cors_events: frozenset[tuple[tuple[str, ...], bool]] = frozenset()
    scale_groups: set[str] = field(default_factory=set)
    #: seconds a function of the app may run (host.json functionTimeout, else the Flex default) and its text
    timeout_seconds: int = 1800
    timeout_text: str = "functionTimeout"
    #: the message lock of every Service Bus queue a batch function of the app reads, with that event
    batch_locks: list[tuple[QueueLock, FunctionSettings, Event]] = field(default_factory=list)


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


def _off(key: str, value: Any, stringy: Callable[[Any], bool]) -> Any:
    """Whether a rendered Enabled or State value turns the event source off, as a Bicep bool (True/False
    when known); None when a literal branch is neither on nor off. Fn::If branches are folded."""
    if value is None or value is NO_VALUE:
        return False  # AWS::NoValue: the default, on
    if isinstance(value, bool):
        return not value if key == "Enabled" else None
    if isinstance(value, str):
        text = str(value).upper()
        if key == "Enabled":
            return {"TRUE": False, "FALSE": True}.get(text)
        return text == "DISABLED" if text in ("ENABLED", "DISABLED", _CLOUDTRAIL) else None
    if isinstance(value, Ternary):
        if_true, if_false = _off(key, value.if_true, stringy), _off(key, value.if_false, stringy)
        if if_true is None or if_false is None:
            return None
        if if_true == if_false:
            return if_true
        if if_true is True and if_false is False:
            return value.cond
        if if_true is False and if_false is True:
            return Not(value.cond)
        return Ternary(value.cond, if_true, if_false)
    if key == "State":
        return BinOp(
            "==", Call("toUpper", (value if stringy(value) else Call("string", (value,)),)), "DISABLED"
        )
    if stringy(value):  # a String parameter: CloudFormation reads 'false' in any case
        return BinOp("==", Call("toLower", (value,)), "false")
    return Not(value)


#: the EventBridge rule state that also matches CloudTrail management events (on)
_CLOUDTRAIL = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"


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
            "kafka": partial(broker_triggers.kafka, self),
            "servicebus": self.servicebus,
            "blob": self.blob,
            "eventgrid": self.eventgrid,
            "timer": self.timer,
            "cosmos": self.cosmos,
            "eventhub": self.eventhub,
        }
        self._default_bus: str | None = None
        #: per-setting outcomes of the event being mapped (see trigger_settings.py)
        self._marks: dict[str, tuple[Disposition, str | None]] = {}
        self._blob_topic: str | None = None
        #: (creator, name) -> symbol of a resource standing in for a source outside the template
        self._external: dict[tuple[str, str], str] = {}
        #: lease container or event hub -> the reader names (lease prefixes, consumer groups) given out on it
        self._readers: dict[str, set[str]] = {}

    def map(self, app: AppContext, fs: FunctionSettings, event: Event) -> TriggerPlan:
        spec = (
            self.b.tables.triggers["triggers"].get(event.kind)
            or self.b.tables.triggers["triggers"]["unknown"]
        )
        handler = self.handlers.get(spec.get("handler", ""))
        first_finding = len(self.b.findings)
        self._marks = {}
        checked, rejected = self._checked(fs, event)
        if handler is None:
            self.b.finding(
                "LF3001",
                f"event '{event.name}' ({event.aws_type}): {spec['reason']}",
                event.loc,
                fs.fn.logical_id,
                f"Closest Azure counterpart: {spec['azure_target']}.",
            )
            self._lower(event, fs, Disposition.UNSUPPORTED)
            plan = self._plan(fs, event, spec, Disposition.UNSUPPORTED, {}, azure_trigger=None)
            marks = {key: (Disposition.UNSUPPORTED, "LF3001") for key in event.properties}
            return replace(plan, settings=trigger_setting_plans(event, (), {**marks, **self._marks}, {}))
        plan = handler(app, fs, checked, spec)
        if rejected and plan.disposition.rank < Disposition.MANUAL.rank:
            # a setting Lambda would reject (an error, LF4018 or LF3038) is left out: the user picks a value
            plan = replace(plan, disposition=Disposition.MANUAL)
            self._lower(event, fs, Disposition.MANUAL)
        switch, unswitched = self._switch(app, fs, event) if plan.azure_trigger else ((), False)
        if unswitched:
            # the trigger may run when the event source would not: the user decides
            plan = replace(plan, disposition=max(plan.disposition, Disposition.MANUAL, key=lambda d: d.rank))
            self._lower(event, fs, Disposition.MANUAL)
        if "scale_group" in spec and plan.azure_trigger == spec.get("azure_trigger"):
            app.scale_groups.add(spec["scale_group"])
        settings = trigger_setting_plans(
            event,
            self.b.findings[first_finding:],
            self._marks,
            self.b.tables.triggers.get("trigger_settings", {}),
        )
        return replace(plan, settings=settings + switch)

    def _switch(
        self, app: AppContext, fs: FunctionSettings, event: Event
    ) -> tuple[tuple[SettingPlan, ...], bool]:
        """The app setting AzureWebJobs.<function>.Disabled for an event that is off in the template, off
        under a template condition (Enabled or State written with Fn::If or Ref), or declared by a resource
        that exists only under a Condition the function does not share. Returns the SettingPlan of that
        Condition, and True when part of the switch could not be expressed (the trigger may run when the
        event source would not)."""
        setting = f"AzureWebJobs.{function_name(fs, event)}.Disabled"
        if not _enabled(event.properties):
            app.settings[setting] = "true"
            self.b.finding(
                "LF3009",
                f"event '{event.name}' is disabled; the trigger is disabled with an app setting",
                event.loc,
                fs.fn.logical_id,
            )
            return (), False
        computed = [key for key in ("Enabled", "State") if isinstance(event.properties.get(key), Intrinsic)]
        found = [self._disabled_when(fs, event, key) for key in computed]
        condition, plans = self._event_condition(fs, event)
        unswitched = None in found or any(p.disposition is Disposition.MANUAL for p in plans)
        terms: list[Any] = []
        for term in (*found, condition):
            if term is not None and term is not False and term not in terms:
                terms.append(term)  # False: on in every branch
        if True in terms:
            app.settings[setting] = "true"  # off in every branch
        elif terms:
            expr = terms[0]
            for term in terms[1:]:
                expr = BinOp("||", expr, term)
            app.settings[setting] = Call("string", (expr,))
        return plans, unswitched

    def _disabled_when(self, fs: FunctionSettings, event: Event, key: str) -> Any:
        """A Bicep bool that holds when the computed Enabled or State turns the event source off; None (and
        a finding, the setting left for the user) when the value cannot be rendered."""
        value = event.properties[key]
        loc = event.properties.loc_of(key) or event.loc
        try:
            rendered = self.x._value(value, f"{fs.fn.logical_id}.Events.{event.name}.{key}")
            term = _off(key, rendered, self.x.stringy)
        except Untranslatable as exc:
            if not exc.reported:
                self.b.finding(
                    exc.rule,
                    f"event '{event.name}' {key}: {exc.reason}; the trigger is not disabled when the event "
                    "source is",
                    loc,
                    fs.fn.logical_id,
                )
            self._mark(key, Disposition.MANUAL, exc.rule)
            return None
        if term is None:
            allowed = "true or false" if key == "Enabled" else "ENABLED or DISABLED"
            self.b.finding(
                "LF4018",
                f"event '{event.name}' {key} has a branch that is not {allowed}; the trigger is not disabled "
                "when the event source is",
                loc,
                fs.fn.logical_id,
            )
            self._mark(key, Disposition.MANUAL, "LF4018")
        return term

    def _event_condition(self, fs: FunctionSettings, event: Event) -> tuple[Any, tuple[SettingPlan, ...]]:
        """``!condition`` when the resource that declares the event (a rule, a mapping, a subscription) has a
        Condition other than the function's: the trigger is on only when the AWS resource would exist."""
        declared = self.b.graph.resource(event.declared_by) if event.declared_by else None
        name = declared.condition if declared is not None else None
        if declared is None or not name or name == fs.fn.condition or declared.logical_id == fs.fn.logical_id:
            return None, ()
        target = target_text(self.b.tables.triggers.get("trigger_settings", {}).get("Condition"), event.kind)
        try:
            condition = self.x.condition(str(name), declared.loc)
        except Untranslatable as exc:
            if not exc.reported:
                self.b.finding(
                    exc.rule,
                    f"Condition of {declared.logical_id}: {exc.reason}; the trigger of event '{event.name}' "
                    "always runs",
                    declared.loc,
                    fs.fn.logical_id,
                )
            return None, (SettingPlan("Condition", Disposition.MANUAL, target, declared.loc, exc.rule),)
        return Not(condition), (SettingPlan("Condition", Disposition.CONVERTED, target, declared.loc),)

    def _checked(self, fs: FunctionSettings, event: Event) -> tuple[Event, bool]:
        """The event without the whole-number settings Lambda would reject, each reported at its line."""
        table = self.b.tables.triggers
        checked, rejected = checked_event(
            event, self.b.graph, table.get("range_kinds", []), table.get("setting_ranges", {})
        )
        for problem in rejected:
            self.b.finding(problem.rule, problem.message, problem.loc, fs.fn.logical_id)
            self._mark(problem.key, Disposition.MANUAL, problem.rule)
        return checked, bool(rejected)

    def _mark(self, key: str, disposition: Disposition, rule: str | None) -> None:
        """Record what became of one event setting when no finding sits at its own location."""
        self._marks[key] = (disposition, rule)

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
        self,
        event: Event,
        fs: FunctionSettings,
        aws_type: str,
        create: Callable[[str], str],
        kind: names.NameKind,
    ) -> str:
        """The Azure symbol for the event's source; a source outside the template gets a new resource.

        ``create`` names it by ``kind``: LF1018 when the name in the source's ARN has to change.
        """
        if event.source_id and event.source_id in self.b.targets:
            return self.b.targets[event.source_id].symbol
        tail = _arn_tail(event.source)
        name = tail or kebab(f"{fs.fn.logical_id}-{event.name}")
        if tail and (create.__name__, name) not in self._external:
            prefix = self.b.tables.prefix("Microsoft.EventGrid/topics")
            names.azure_name(
                self.b,
                kind,
                name,
                event.loc,
                fs.fn.logical_id,
                shown=(lambda new: f"{prefix}{new}-${{resourceToken}}")
                if kind is names.EVENT_GRID_TOPIC
                else None,
            )
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
        """Set an app-wide host.json value; grouped functions that disagree get the documented choice.

        The rule (LF3015): the largest number or the longest hh:mm:ss wait wins, otherwise the first
        function's value stays.
        """
        current = app.host_extensions.setdefault(section, {})
        if key not in current or current[key] == value:
            current[key] = value
            return
        comparable = (isinstance(value, int) and isinstance(current[key], int)) or (
            isinstance(value, str) and isinstance(current[key], str) and _HMS.fullmatch(value)
        )
        chosen = max(current[key], value) if comparable else current[key]
        self.b.finding(
            "LF3015",
            f"host.json {section}.{key} is app-wide; functions ask for {_shown(current[key])} and "
            f"{_shown(value)}, {_shown(chosen)} is used",
            event.loc,
            fs.fn.logical_id,
        )
        current[key] = chosen

    # ---- HTTP -----------------------------------------------------------------------------------
    def http(self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]) -> TriggerPlan:
        props = event.properties
        fn = fs.fn.logical_id
        disposition = Disposition.CONVERTED
        api = http_routes.api_resource(self.b, event)
        if event.kind == "url":
            route = f"{fn}/{{*path}}"
            methods: list[str] = []
            auth = props.get("AuthType")
            protected = not (isinstance(auth, str) and str(auth) == "NONE")
            if protected:
                self.b.finding(
                    "LF3013",
                    f"function URL with {auth if isinstance(auth, str) else 'computed'} auth becomes a "
                    "function-key protected HTTP trigger",
                    props.loc_of("AuthType") or event.loc,
                    fn,
                )
            self.b.finding(
                "LF3008",
                f"the function URL becomes the route '{http_routes.route_prefix(self.b)}{route}' on the app's "
                "host name",
                event.loc,
                fn,
            )
            disposition = Disposition.APPROXIMATED
            handled = {"AuthType", "Cors", "InvokeMode"}
            if props.get("InvokeMode") == "RESPONSE_STREAM":
                handled.discard("InvokeMode")
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
            protected = http_routes.is_protected(props.get("Auth"), api)
            if protected:
                # never publish a protected route anonymously: function keys until real auth is added
                self.b.finding(
                    "LF3013",
                    f"event '{event.name}' is protected by API Gateway auth; the HTTP trigger requires a "
                    "function key until you add App Service authentication (Microsoft Entra ID) or API "
                    "Management",
                    props.loc_of("Auth") or event.loc,
                    fn,
                )
            handled = {"Path", "Method", "RestApiId", "ApiId", "Auth", "Principal", "SourceArn"}
            handled |= {"PayloadFormatVersion", "TimeoutInMillis"}
            if props.get("Cors") is True or isinstance(props.get("Cors"), Obj):
                handled.add("Cors")
            if api is not None:
                http_routes.report_api_settings(self.b, api, fn)
        auth_level = "function" if protected else "anonymous"
        if protected:
            disposition = Disposition.APPROXIMATED
        if self._cors(app, fs, event, api):
            disposition = Disposition.APPROXIMATED
        if self._untranslated(event, fs, handled) is Disposition.APPROXIMATED:
            disposition = Disposition.APPROXIMATED
        http_routes.check_duplicate(self.b, app.site, methods, route, event, fn)
        limit = self.b.tables.settings["flex"]["http_response_limit_seconds"]
        if fs.timeout_seconds and fs.timeout_seconds > limit:
            self.b.finding(
                "LF2007",
                f"timeout {fs.timeout_seconds}s is above the {limit}s an HTTP trigger may take to respond",
                fs.fn.properties.loc_of("Timeout"),
                fn,
            )
        binding: dict[str, Any] = {"route": route, "authLevel": auth_level}
        if methods:
            binding["methods"] = methods
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _cors(self, app: AppContext, fs: FunctionSettings, event: Event, api: Resource | None) -> bool:
        """Add the event's CORS to the app's siteConfig.cors; LF3040 for what App Service allows beyond it.

        Returns whether the route's CORS is approximated. What an API's own CORS settings lose is listed once
        per function and API; the finding sits at the first such setting.
        """
        fn = fs.fn.logical_id
        found = http_routes.cors_of(api, event)
        own = http_routes.site_cors(*found) if found is not None and found[0] else ((), False)
        wider = http_routes.add_cors(self.b, app.cors, found, event, fn) if found is not None else []
        wider += http_routes.shared_cors(app.cors_events, own)
        source = http_routes.cors_source(api, event)
        where: Loc | None = None
        limited = False
        subject = "the route's CORS (it has none)"
        if source is not None:
            config, kind, who = source
            subject = f"the CORS of {who}"
            limits, where = http_routes.cors_limits(config, kind)
            limited = bool(limits)
            key = (fn, who if kind.startswith("AWS::") else f"{event.name} {who}")
            if limits and key not in http_routes.seen(self.b, "cors"):
                http_routes.seen(self.b, "cors").add(key)
                wider = limits + wider
            if limited and kind in ("url", "event"):
                self._mark("Cors", Disposition.APPROXIMATED, "LF3040")
        if wider:
            self.b.finding(
                "LF3040",
                f"event '{event.name}': App Service CORS (siteConfig.cors) is wider than {subject}: "
                + "; ".join(wider),
                where or event.loc,
                fn,
            )
        return limited or bool(wider)

    # ---- SQS -> Service Bus ---------------------------------------------------------------------
    def servicebus(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        queue = self._source_target(event, fs, "SQS queue", self._external_queue, names.SERVICE_BUS_QUEUE)
        connection = self._namespace_connection(app, spec, self.s.servicebus_namespace())
        queue_setting = setting_name(fs.fn.logical_id, event.name, "queue")
        app.settings[queue_setting] = Prop(Ident(queue), ("name",))
        for role in spec.get("roles", []):
            self.b.role_assignment(queue, role, app.identity, (fs.fn.logical_id,))
        props = event.properties
        binding: dict[str, Any] = {"queueName": f"%{queue_setting}%", "connection": connection}
        queue_resource = self.b.resource(queue)
        sessions = bool(
            queue_resource is not None and queue_resource.body.get("properties", {}).get("requiresSession")
        )
        if sessions:
            # a FIFO queue became a session queue; only a session-enabled receiver can read it
            binding["isSessionsEnabled"] = True
        handled = {"Queue", "Enabled", "State"}
        approximated = False
        if event.aws_type == "SNS.SqsSubscription":
            # SAM's SqsSubscription: the topic feeds the queue the function reads
            handled |= {"Topic", "FilterPolicy", "FilterPolicyScope"}
            approximated = self._forward_topic(fs, event, queue, sessions)
        # the lock the queue is generated with (a queue outside the template: its stand-in, no lockDuration)
        lock = _queue_lock(queue_resource.body.get("properties", {}) if queue_resource is not None else {})
        # Lambda hands an SQS function a batch (10 messages unless BatchSize says otherwise)
        batch = literal_int(props.get("BatchSize", LAMBDA_DEFAULT_BATCH["sqs"]))
        if batch is not None:
            handled.add("BatchSize")
        if batch is not None and batch > 1:
            binding["cardinality"] = "many"
            app.batch_locks.append((lock, fs, event))
            self._extension(app, "serviceBus", "maxMessageBatchSize", batch, fs, event)
            window_handled, window_approximated = self._batch_window(
                app, fs, event, "serviceBus", batch, lock
            )
            if window_handled:
                handled.add("MaximumBatchingWindowInSeconds")
            approximated = approximated or window_approximated
            approximated = self._batch_outlives_lock(app, fs, event, lock) or approximated
        elif app.timeout_seconds > SERVICE_BUS_DEFAULT_LOCK_RENEWAL_SECONDS:
            # the host renews a single message's lock for 5 minutes by default: as long as the function may run
            renewal = hms(app.timeout_seconds)
            self._extension(app, "serviceBus", "maxAutoLockRenewalDuration", renewal, fs, event)
        if "ReportBatchItemFailures" in response_types(props.get("FunctionResponseTypes")):
            handled.add("FunctionResponseTypes")
            approximated = True
            self._mark("FunctionResponseTypes", Disposition.MANUAL, "LF3016")
            self.b.finding(
                "LF3016",
                f"event '{event.name}' reports batch item failures; the Azure function must settle each "
                "message itself (autoCompleteMessages false, ServiceBusMessageActions complete/abandon)",
                props.loc_of("FunctionResponseTypes"),
                fs.fn.logical_id,
            )
        elif response_types(props.get("FunctionResponseTypes")) == []:
            handled.add("FunctionResponseTypes")  # an empty list asks for nothing
        self._filter_criteria(fs, event, handled)
        approximated = approximated or "FilterCriteria" in handled
        if self._max_concurrency(app, fs, event, sessions, single=binding.get("cardinality") != "many"):
            handled.add("ScalingConfig")
            approximated = True
        disposition = self._untranslated(event, fs, handled)
        if approximated:
            disposition = Disposition.APPROXIMATED
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _forward_topic(self, fs: FunctionSettings, event: Event, queue: str, sessions: bool) -> bool:
        """An Event Grid subscription that forwards the SNS topic to the Service Bus queue.

        Delivered with the topic's system-assigned identity, which gets Azure Service Bus Data Sender
        on the queue. Returns True when the forwarding is only approximated or not generated.
        """
        props, fn = event.properties, fs.fn.logical_id
        topic_value = props.get("Topic")
        topic_id = referenced_id(topic_value, set(self.b.targets))
        if sessions:
            self._mark("Topic", Disposition.MANUAL, "LF3029")
            self.b.finding(
                "LF3029",
                f"event '{event.name}': the queue is session-enabled (FIFO), and Event Grid cannot deliver to "
                "a session-enabled queue; the topic is not forwarded to it",
                props.loc_of("Topic"),
                fn,
            )
            return True
        if topic_id is not None and self.b.targets[topic_id].azure_type == "Microsoft.EventGrid/topics":
            topic = self.b.targets[topic_id].symbol
        elif isinstance(topic_value, str) and _arn_tail(topic_value):
            key = ("_external_topic", str(_arn_tail(topic_value)))
            if key not in self._external:
                self._external[key] = self._external_topic(key[1])
            topic = self._external[key]
        else:
            self._mark("Topic", Disposition.MANUAL, "LF3029")
            self.b.finding(
                "LF3029",
                f"event '{event.name}': the SNS topic is not a topic of this template or a literal ARN; the "
                "topic is not forwarded to the queue",
                props.loc_of("Topic"),
                fn,
            )
            return True
        event_filter = None
        if "FilterPolicy" in props:
            event_filter = sns_filter_policy(props["FilterPolicy"], props.get("FilterPolicyScope"))
        self._filter_findings(fs, event, event_filter, "FilterPolicy")
        self._forwarding(
            topic,
            queue,
            event_filter,
            f"{fn}{event.name}",
            tuple(s for s in (event.source_id, fn) if s),
            f"the queue {fn} reads",
        )
        self.b.finding(
            "LF3028",
            f"event '{event.name}': the topic feeds the queue through an Event Grid subscription with a Service "
            "Bus queue endpoint; messages arrive as CloudEvents JSON, not SNS notifications",
            props.loc_of("Topic"),
            fn,
        )
        self._mark("Topic", Disposition.APPROXIMATED, "LF3028")
        return True

    def _forwarding(
        self,
        topic: str,
        queue: str,
        event_filter: EventFilter | None,
        label: str,
        sources: tuple[str, ...],
        what: str,
    ) -> None:
        """The ServiceBusQueue event subscription that forwards an SNS-to-SQS subscription's topic."""
        self.topic_delivery(
            topic,
            queue,
            ("ServiceBusQueue", "Azure Service Bus Data Sender"),
            event_filter,
            (f"{label}Forwarding", kebab(f"{label}-queue", 64)),
            sources,
            f"forwards the topic to {what} (SNS to SQS subscription)",
        )

    def topic_delivery(
        self,
        topic: str,
        destination: str,
        endpoint: tuple[str, str],
        event_filter: EventFilter | None,
        names: tuple[str, str],
        sources: tuple[str, ...],
        comment: str,
    ) -> None:
        """An Event Grid topic delivering to a Service Bus queue or an event hub with its own identity.

        ``endpoint`` is (endpointType, the data sender role the topic's identity gets on the destination);
        ``names`` the subscription's Bicep symbol base and Azure name.
        """
        endpoint_type, role = endpoint
        topic_resource = self.b.resource(topic)
        if topic_resource is not None:
            topic_resource.body["identity"] = {"type": "SystemAssigned"}
        role_id = self.b.tables.role_id(role)
        sender = self.b.new_resource(
            f"{destination} data sender {topic}",
            "Microsoft.Authorization/roleAssignments",
            {
                "name": Call(
                    "guid", (Prop(Ident(destination), ("id",)), Prop(Ident(topic), ("id",)), role_id)
                ),
                "scope": Ident(destination),
                "properties": {
                    "roleDefinitionId": Call(
                        "subscriptionResourceId", ("Microsoft.Authorization/roleDefinitions", role_id)
                    ),
                    "principalId": Prop(Ident(topic), ("identity", "principalId")),
                    "principalType": "ServicePrincipal",
                },
            },
            sources=sources,
            comment=f"{role} for the identity of {topic}",
        )
        subscription: dict[str, Any] = {
            "deliveryWithResourceIdentity": {
                "identity": {"type": "SystemAssigned"},
                "destination": {
                    "endpointType": endpoint_type,
                    "properties": {"resourceId": Prop(Ident(destination), ("id",))},
                },
            },
            "eventDeliverySchema": "CloudEventSchemaV1_0",
        }
        if event_filter is not None and event_filter.body():
            subscription["filter"] = event_filter.body()
        symbol_base, name = names
        self.b.new_resource(
            symbol_base,
            "Microsoft.EventGrid/topics/eventSubscriptions",
            {
                "parent": Ident(topic),
                "name": name,
                "properties": subscription,
                # Event Grid checks the destination with the topic's identity: grant the role first
                "dependsOn": [Ident(sender.symbol)],
            },
            sources=sources,
            comment=comment,
        )

    def queue_subscriptions(self) -> None:
        """CloudFormation SNS subscriptions with protocol sqs: the topic forwards to the queue.

        Runs once all AWS resources have their Azure counterparts (topics and queues in any order).
        """
        for r in self.b.graph.resources:
            if r.type == "AWS::SNS::Subscription":
                subs = [(r.properties, r.properties.get("TopicArn"))]
            elif r.type == "AWS::SNS::Topic" and isinstance(r.properties.get("Subscription"), Arr):
                subs = [(s, Ref(r.logical_id)) for s in r.properties["Subscription"] if isinstance(s, Obj)]
            else:
                continue
            for index, (sub, topic_value) in enumerate(subs, 1):
                protocol = sub.get("Protocol")
                if isinstance(protocol, str) and str(protocol).lower() == "sqs":
                    label = r.logical_id if len(subs) == 1 else f"{r.logical_id}{index}"
                    self._queue_subscription(r.logical_id, sub, topic_value, label)

    def _queue_subscription(self, resource: str, sub: Obj, topic_value: Any, label: str) -> None:
        targets = self.b.targets
        topic_id = referenced_id(topic_value, set(targets))
        queue_id = referenced_id(sub.get("Endpoint"), set(targets))
        topic = targets[topic_id] if topic_id else None
        queue = targets[queue_id] if queue_id else None
        loc = sub.loc_of("Endpoint")
        problem = None
        if topic is None or topic.azure_type != "Microsoft.EventGrid/topics":
            problem = "the topic is not an SNS topic of this template"
        elif queue is None or queue.azure_type != "Microsoft.ServiceBus/namespaces/queues":
            problem = "the endpoint is not an SQS queue of this template"
        else:
            body = self.b.resource(queue.symbol)
            if body is not None and body.body.get("properties", {}).get("requiresSession"):
                problem = "the queue is session-enabled (FIFO), and Event Grid cannot deliver to it"
        if problem or topic is None or queue is None:
            self.b.finding("LF3029", f"SNS subscription (protocol sqs): {problem}", loc, resource)
            self.b.lower_disposition(resource, Disposition.MANUAL)
            return
        event_filter = None
        if "FilterPolicy" in sub:
            event_filter = sns_filter_policy(sub["FilterPolicy"], sub.get("FilterPolicyScope"))
            if event_filter.invalid or event_filter.untranslated:
                self.b.finding(
                    "LF3003",
                    f"SNS subscription (protocol sqs): FilterPolicy parts not expressible as Event Grid filters "
                    f"(the queue receives them; filter in the consumer): "
                    f"{event_filter.invalid or '; '.join(event_filter.untranslated)}",
                    sub.loc_of("FilterPolicy"),
                    resource,
                )
                self.b.lower_disposition(resource, Disposition.APPROXIMATED)
        self._forwarding(topic.symbol, queue.symbol, event_filter, label, (resource,), f"queue {queue_id}")
        raw = str(sub.get("RawMessageDelivery")).lower() == "true"
        self.b.finding(
            "LF3028",
            f"SNS subscription to queue {queue_id}: the topic feeds the queue through an Event Grid subscription "
            "with a Service Bus queue endpoint; messages arrive as CloudEvents JSON, not "
            + ("the raw messages RawMessageDelivery gave" if raw else "SNS notifications"),
            loc,
            resource,
        )
        rest = sorted(set(sub) - _SUBSCRIPTION_HANDLED)
        if rest:
            # Event Grid retries for 24 hours and dead-letters to a blob container (deadLetterDestination)
            self.b.finding(
                "LF3007",
                f"SNS subscription (protocol sqs) settings not translated: {', '.join(rest)}",
                sub.loc_of(rest[0]),
                resource,
                "Set retryPolicy and deadLetterDestination (a blob container) on the Event Grid subscription "
                "for what RedrivePolicy or DeliveryPolicy did.",
            )
            self.b.lower_disposition(resource, Disposition.APPROXIMATED)

    def _batch_window(
        self,
        app: AppContext,
        fs: FunctionSettings,
        event: Event,
        section: str,
        batch: int,
        lock: QueueLock | None = None,
    ) -> tuple[bool, bool]:
        """MaximumBatchingWindowInSeconds -> minimum batch size and wait time: (handled, approximated).

        ``lock``: the Service Bus queue's message lock; the wait is at most half of it.
        """
        props = event.properties
        window = literal_int(props.get("MaximumBatchingWindowInSeconds"))
        if window is None or window <= 0:
            return window == 0, False  # 0 is Lambda's "invoke at once", the Azure default
        if section == "serviceBus":
            keys = ("minMessageBatchSize", "maxBatchWaitTime")
            limit = SERVICE_BUS_MAX_WAIT_SECONDS if lock is None else service_bus_wait_cap(lock.seconds)
            why = (
                f"the trigger allows without lock-lost errors: half the queue's message lock ({lock.text})"
                if lock is not None and limit < SERVICE_BUS_MAX_WAIT_SECONDS
                else "the trigger accepts (half the longest message lock, 5 minutes)"
            )
        else:
            keys, limit = ("minEventBatchSize", "maxWaitTime"), EVENT_HUBS_MAX_WAIT_SECONDS
            why = "the trigger accepts"
        wait = min(window, limit)
        # the host waits for the whole batch, as Lambda does, but no longer than the window
        self._extension(app, section, keys[0], batch, fs, event)
        self._extension(app, section, keys[1], hms(wait), fs, event)
        capped = f"; {window}s is above the {limit}s {why}, so {hms(wait)} is used" * (window > limit)
        self._mark("MaximumBatchingWindowInSeconds", Disposition.APPROXIMATED, "LF3026")
        self.b.finding(
            "LF3026",
            f"event '{event.name}': MaximumBatchingWindowInSeconds {window} becomes host.json "
            f"{section}.{keys[0]} {batch} and {keys[1]} {hms(wait)}{capped}",
            props.loc_of("MaximumBatchingWindowInSeconds"),
            fs.fn.logical_id,
        )
        return True, True

    def _batch_outlives_lock(
        self, app: AppContext, fs: FunctionSettings, event: Event, lock: QueueLock
    ) -> bool:
        """LF3039 when a batch may still run after its messages' locks expire; True when reported.

        The Service Bus trigger renews the lock only of a function that takes one message at a time
        (maxAutoLockRenewalDuration); the messages of a batch are delivered again once their lock expires.
        """
        # how long the code is meant to run: the Lambda's own Timeout (the app's may be longer, LF2008)
        run, why = (
            (fs.timeout_seconds, f"Timeout {fs.timeout_seconds}s")
            if fs.timeout_seconds
            else (app.timeout_seconds, app.timeout_text)
        )
        if run <= lock.seconds:
            return False
        props = event.properties
        self.b.finding(
            "LF3039",
            f"event '{event.name}': a batch may run for {hms(run)} ({why}), but the "
            f"queue locks its messages for {lock.seconds}s ({lock.text}) and the Service Bus trigger does not "
            f"renew the locks of a batch: messages still being processed after {lock.seconds}s are delivered "
            "again",
            props.loc_of("BatchSize") if "BatchSize" in props else event.loc,
            fs.fn.logical_id,
            "Keep a batch's processing under the lock duration (a smaller BatchSize or Timeout), or take one "
            "message at a time (BatchSize 1), whose lock the host renews for as long as the function runs.",
        )
        return True

    def finish_app(self, app: AppContext) -> None:
        """App-wide checks once every trigger of the app is mapped.

        host.json serviceBus.maxBatchWaitTime applies to every batch function of the app, so it may not be
        longer than half the shortest message lock of the queues they read (LF3015 when that shortens it).
        """
        wait = app.host_extensions.get("serviceBus", {}).get("maxBatchWaitTime")
        if not app.batch_locks or not isinstance(wait, str) or not _HMS.fullmatch(wait):
            return
        lock, fs, event = min(app.batch_locks, key=lambda entry: entry[0].seconds)
        cap = hms(service_bus_wait_cap(lock.seconds))
        if wait <= cap:
            return
        app.host_extensions["serviceBus"]["maxBatchWaitTime"] = cap
        self.b.finding(
            "LF3015",
            f"host.json serviceBus.maxBatchWaitTime is app-wide and at most half the message lock of every "
            f"queue a batch function of app '{app.name}' reads: the queue of event '{event.name}' locks "
            f"messages for {lock.seconds}s ({lock.text}), so {cap} is used instead of {wait}",
            event.loc,
            fs.fn.logical_id,
        )

    def _max_concurrency(
        self, app: AppContext, fs: FunctionSettings, event: Event, sessions: bool, single: bool
    ) -> bool:
        """ScalingConfig.MaximumConcurrency -> the per-instance Service Bus limit; True when handled."""
        props = event.properties
        scaling = props.get("ScalingConfig")
        if not isinstance(scaling, Obj):
            return False
        limit = literal_int(scaling.get("MaximumConcurrency"))
        if limit is None or set(scaling) - {"MaximumConcurrency"}:
            return False
        if sessions:
            key = "maxConcurrentSessions"
        elif single:
            key = "maxConcurrentCalls"
        else:
            key = None  # maxConcurrentCalls applies only to functions that take one message at a time
        if key:
            self._extension(app, "serviceBus", key, limit, fs, event)
            text = (
                f"becomes host.json serviceBus.{key} {limit}; that limit is per instance, so the app "
                f"runs up to {limit} x maximumInstanceCount at once"
            )
        else:
            text = (
                "has no host.json counterpart for a batch function (maxConcurrentCalls applies only to "
                "single-message functions); bound it with the app's maximumInstanceCount"
            )
        self._mark("ScalingConfig", Disposition.APPROXIMATED, "LF3021")
        self.b.finding(
            "LF3021",
            f"event '{event.name}': ScalingConfig.MaximumConcurrency {limit} {text}",
            props.loc_of("ScalingConfig"),
            fs.fn.logical_id,
        )
        return True

    def _external_queue(self, name: str) -> str:
        namespace = self.s.servicebus_namespace()
        azure, _ = names.rename(names.SERVICE_BUS_QUEUE, name, kebab(name))
        return self.b.new_resource(
            f"{name}Queue",
            "Microsoft.ServiceBus/namespaces/queues",
            {"parent": Ident(namespace), "name": azure, "properties": {}},
            comment="stands in for an SQS queue defined outside the template",
        ).symbol

    # ---- S3 -> blob trigger with the Event Grid source ------------------------------------------
    def blob(self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]) -> TriggerPlan:
        account, _ = self.s.data_storage()
        container = self._source_target(
            event, fs, "S3 bucket", self._external_container, names.BLOB_CONTAINER
        )
        container_setting = setting_name(fs.fn.logical_id, event.name, "container")
        app.settings[container_setting] = Prop(Ident(container), ("name",))
        props = event.properties
        disposition = self._untranslated(event, fs, {"Bucket", "Events", "Filter"})
        event_types, notes = self._s3_event_types(props.get("Events"))
        if notes:
            self._mark("Events", Disposition.APPROXIMATED if event_types else Disposition.MANUAL, "LF3022")
            self.b.finding(
                "LF3022",
                f"event '{event.name}': {'; '.join(notes)}",
                props.loc_of("Events"),
                fs.fn.logical_id,
            )
            disposition = max(disposition, Disposition.APPROXIMATED, key=lambda d: d.rank)
        prefix, suffix = _s3_key_filter(props.get("Filter"))
        subject_begins = interp(
            "/blobServices/default/containers/", Prop(Ident(container), ("name",)), "/blobs/", prefix or ""
        )
        event_filter: dict[str, Any] = {
            "includedEventTypes": event_types,
            "subjectBeginsWith": subject_begins,
        }
        if suffix:
            event_filter["subjectEndsWith"] = suffix
        if not event_types:
            # nothing on Blob Storage raises these events: no trigger to generate
            self._lower(event, fs, Disposition.MANUAL)
            return self._plan(fs, event, spec, Disposition.MANUAL, {}, azure_trigger=None)
        if event_types != [_BLOB_CREATED]:
            # the blob trigger fires only for new or updated blobs: deletions and tier changes need the
            # Event Grid trigger on the storage account's system topic
            return self._storage_event_grid(app, fs, event, spec, account, event_filter, disposition)
        connection = spec["connection"]
        endpoints = Prop(Ident(account), ("properties", "primaryEndpoints"))
        self._identity_connection(
            app,
            connection,
            blobServiceUri=Prop(endpoints, ("blob",)),
            queueServiceUri=Prop(endpoints, ("queue",)),
        )
        app.needs_host_queues = True
        for role in spec.get("roles", []):
            self.b.role_assignment(account, role, app.identity, (fs.fn.logical_id,))
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

    def _s3_event_types(self, value: Any) -> tuple[list[str], list[str]]:
        """Blob Storage event types for S3 event names, and notes for every name not matched exactly."""
        names = [str(v) for v in (value if isinstance(value, Arr) else [value]) if isinstance(v, str)]
        if not names:
            return [_BLOB_CREATED], []  # no event names: Lambda's common case, new objects
        table = self.b.tables.triggers.get("s3_events", {})
        types: list[str] = []
        notes: list[str] = []
        for name in names:
            entry = table.get(name)
            if entry is None:
                notes.append(f"{name} has no Blob Storage event")
                continue
            if entry["event_type"] and entry["event_type"] not in types:
                types.append(entry["event_type"])
            if "note" in entry:
                target = entry["event_type"] or "no Blob Storage event"
                notes.append(f"{name} -> {target}: {entry['note']}")
        return sorted(types), notes

    def _storage_event_grid(
        self,
        app: AppContext,
        fs: FunctionSettings,
        event: Event,
        spec: dict[str, Any],
        account: str,
        event_filter: dict[str, Any],
        disposition: Disposition,
    ) -> TriggerPlan:
        """An Event Grid trigger on the data storage account's system topic (deletions and the like)."""
        topic = self._blob_system_topic(account)
        self.b.new_resource(
            f"{fs.fn.logical_id}{event.name}Subscription",
            "Microsoft.EventGrid/systemTopics/eventSubscriptions",
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
                    "filter": event_filter,
                    "eventDeliverySchema": "EventGridSchema",
                },
            },
            sources=tuple(s for s in (event.source_id, fs.fn.logical_id) if s),
            condition=Ident("deployEventSubscriptions"),
            comment=f"delivers blob events ({', '.join(event_filter['includedEventTypes'])}) to "
            f"{fs.fn.logical_id}",
        )
        self._gated_subscription_note(event, fs)
        self._lower(event, fs, disposition)
        storage_spec = {
            **spec,
            "azure_trigger": "eventGridTrigger",
            "azure_target": "Event Grid subscription on the data storage account's system topic",
        }
        return self._plan(fs, event, storage_spec, disposition, {})

    def _external_container(self, name: str) -> str:
        _, blob_service = self.s.data_storage()
        container = container_name(name)
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
        event_filter: EventFilter | None = None
        if event.kind == "sns":
            topic = self._source_target(event, fs, "SNS topic", self._external_topic, names.EVENT_GRID_TOPIC)
            handled = {"Topic", "FilterPolicy", "FilterPolicyScope"}
            if "FilterPolicy" in props:
                event_filter = sns_filter_policy(props["FilterPolicy"], props.get("FilterPolicyScope"))
            filter_key = "FilterPolicy"
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
                topic = self._source_target(
                    event, fs, "event bus", self._external_topic, names.EVENT_GRID_TOPIC
                )
            handled = {"EventBusName", "State", "Enabled", "Pattern"}
            if _event_grid_retry(props.get("RetryPolicy")):
                handled.add("RetryPolicy")
            if "Pattern" in props:
                event_filter = eventbridge_pattern(props["Pattern"])
            filter_key = "Pattern"
        disposition = self._untranslated(event, fs, handled | set(_INPUT_TRANSFORMS))
        approximated, manual = self._filter_findings(fs, event, event_filter, filter_key)
        transforms = [k for k in _INPUT_TRANSFORMS if k in props]
        if transforms:
            approximated = True
            for key in transforms:
                self._mark(key, Disposition.MANUAL, "LF3024")
            self.b.finding(
                "LF3024",
                f"event '{event.name}': {', '.join(transforms)} not translated; the function receives the "
                "original event and must apply the transformation itself",
                props.loc_of(transforms[0]),
                fs.fn.logical_id,
            )
        subscription: dict[str, Any] = {
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
        }
        if event_filter is not None and event_filter.body():
            subscription["filter"] = event_filter.body()
        retry = _event_grid_retry(props.get("RetryPolicy")) if event.kind != "sns" else None
        if retry:
            subscription["retryPolicy"] = retry
        self.b.new_resource(
            f"{fs.fn.logical_id}{event.name}Subscription",
            "Microsoft.EventGrid/topics/eventSubscriptions",
            {
                "parent": Ident(topic),
                "name": kebab(f"{fs.fn.logical_id}-{event.name}", 64),
                "properties": subscription,
            },
            sources=tuple(s for s in (event.declared_by or event.source_id, fs.fn.logical_id) if s),
            condition=Ident("deployEventSubscriptions"),
            comment=f"delivers {event.kind.upper()} events to {fs.fn.logical_id}",
        )
        self._gated_subscription_note(event, fs)
        if approximated:
            disposition = max(disposition, Disposition.APPROXIMATED, key=lambda d: d.rank)
        if manual:
            disposition = Disposition.MANUAL
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, {})

    def _filter_findings(
        self, fs: FunctionSettings, event: Event, event_filter: EventFilter | None, key: str
    ) -> tuple[bool, bool]:
        """Findings for a translated SNS filter policy or EventBridge pattern: (approximated, manual)."""
        if event_filter is None:
            return False, False
        props, fn = event.properties, fs.fn.logical_id
        loc = props.loc_of(key)
        if event_filter.aws_sources:
            self._mark(key, Disposition.MANUAL, "LF3025")
        elif event_filter.invalid or event_filter.untranslated:
            self._mark(key, Disposition.APPROXIMATED, "LF3003")
        elif event_filter.body():
            self._mark(key, Disposition.CONVERTED, "LF3023")
        if event_filter.invalid:
            self.b.finding(
                "LF3003",
                f"event '{event.name}': {event_filter.invalid}; the subscription delivers every event",
                loc,
                fn,
            )
            return True, False
        if event_filter.untranslated:
            self.b.finding(
                "LF3003",
                f"event '{event.name}': {key} parts not expressible as Event Grid filters (the subscription "
                f"lets these through; filter them in code): {'; '.join(event_filter.untranslated)}",
                loc,
                fn,
            )
        if event_filter.body():
            fields = ", ".join(f"{aws} as '{cloud}'" for aws, cloud in event_filter.fields.items())
            self.b.finding(
                "LF3023",
                f"event '{event.name}': {key} became Event Grid filters; publishers must send CloudEvents "
                f"that carry {fields}",
                loc,
                fn,
            )
        if event_filter.aws_sources:
            self.b.finding(
                "LF3025",
                f"event '{event.name}': the pattern matches AWS service events "
                f"({', '.join(event_filter.aws_sources)}); nothing on Azure publishes them to this topic",
                loc,
                fn,
                "Subscribe the function to an Event Grid system topic instead (resource group or "
                "subscription events for resource changes such as aws.ec2, storage account events for "
                "aws.s3), or to Azure Monitor alerts.",
            )
        return bool(event_filter.untranslated), bool(event_filter.aws_sources)

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
            self._mark(key, Disposition.MANUAL, "LF3005")
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
            self._mark(key, Disposition.MANUAL, "LF3005")
            self._lower(event, fs, Disposition.MANUAL)
            return self._plan(fs, event, spec, Disposition.MANUAL, {})
        if not result.exact:
            self._mark(key, Disposition.APPROXIMATED, "LF3004")
            self.b.finding(
                "LF3004",
                f"event '{event.name}': {expression} becomes '{result.ncrontab}': {' '.join(result.notes)}",
                loc,
                fs.fn.logical_id,
            )
            disposition = Disposition.APPROXIMATED
        ncrontab = result.ncrontab
        zone = props.get("ScheduleExpressionTimezone")
        if zone is not None:
            handled.add("ScheduleExpressionTimezone")
            if str(expression).strip().lower().startswith("rate"):
                zoned, exact = None, True  # a rate counts from its creation: no time zone applies
            elif isinstance(zone, str) and str(zone).upper() not in ("UTC", "ETC/UTC"):
                zoned = utc_schedule(ncrontab, str(zone))
                exact = zoned.ncrontab is not None
                ncrontab = zoned.ncrontab or ncrontab
                if not exact:
                    disposition = Disposition.APPROXIMATED
            elif isinstance(zone, str):
                zoned, exact = None, True  # UTC is what the timer uses anyway
            else:
                zoned, exact = None, False
                disposition = Disposition.APPROXIMATED
            if zoned is not None or not exact:
                self._mark(
                    "ScheduleExpressionTimezone",
                    Disposition.CONVERTED if exact else Disposition.APPROXIMATED,
                    "LF3027" if exact else "LF3014",
                )
                self.b.finding(
                    "LF3027" if exact else "LF3014",
                    f"event '{event.name}': ScheduleExpressionTimezone: Flex Consumption timers run in UTC; "
                    + (
                        zoned.note if zoned else "the time zone is not a literal, so the schedule runs in UTC"
                    ),
                    props.loc_of("ScheduleExpressionTimezone"),
                    fs.fn.logical_id,
                )
        if self._untranslated(event, fs, handled) is Disposition.APPROXIMATED:
            disposition = Disposition.APPROXIMATED
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, {"schedule": ncrontab})

    # ---- DynamoDB streams -> Cosmos DB change feed ----------------------------------------------
    def cosmos(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        container = self._source_target(
            event, fs, "DynamoDB table", self._external_cosmos_container, names.COSMOS_CONTAINER
        )
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
            # every change feed trigger shares the one lease container: without a prefix of its own, two
            # functions on one table would split its changes (on AWS each mapping reads every record).
            # The dot cannot occur in a function name, so no function's prefix starts another's.
            "leaseContainerPrefix": self._reader_name(leases, fs, event) + ".",
            "connection": connection,
        }
        handled = {"Stream", "Enabled", "State"}
        start = props.get("StartingPosition")
        if isinstance(start, str) and str(start) in ("TRIM_HORIZON", "LATEST"):
            handled.add("StartingPosition")
            if str(start) == "TRIM_HORIZON":
                binding["startFromBeginning"] = True
        elif isinstance(start, str) and str(start) == "AT_TIMESTAMP":
            stamp = _utc_text(props.get("StartingPositionTimestamp"))
            if stamp is not None:
                binding["startFromTime"] = stamp
                handled |= {"StartingPosition", "StartingPositionTimestamp"}
        batch = literal_int(props.get("BatchSize", LAMBDA_DEFAULT_BATCH["dynamodb"]))
        if batch is not None:
            binding["maxItemsPerInvocation"] = batch
            handled.add("BatchSize")
        stream_handled, approximated = self._stream_semantics(fs, event, binding)
        handled |= stream_handled
        if literal_int(props.get("MaximumBatchingWindowInSeconds")) is not None:
            handled.add("MaximumBatchingWindowInSeconds")
            if literal_int(props.get("MaximumBatchingWindowInSeconds")):
                approximated = True
                self.b.finding(
                    "LF3026",
                    f"event '{event.name}': the Cosmos DB trigger has no batching window; it reads changes "
                    "as they arrive (MaximumBatchingWindowInSeconds is dropped)",
                    props.loc_of("MaximumBatchingWindowInSeconds"),
                    fs.fn.logical_id,
                )
        disposition = self._untranslated(event, fs, handled)
        if approximated:
            disposition = Disposition.APPROXIMATED
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _stream_semantics(
        self, fs: FunctionSettings, event: Event, binding: dict[str, Any]
    ) -> tuple[set[str], bool]:
        """Failure handling, filtering and parallelism of a Kinesis or DynamoDB stream mapping.

        Returns the settings it accounted for and whether any of them is only approximated.
        """
        props = event.properties
        handled: set[str] = set()
        approximated = False
        fn = fs.fn.logical_id

        def report(rule: str, key: str, message: str) -> None:
            nonlocal approximated
            handled.add(key)
            approximated = True
            self._mark(key, Disposition.APPROXIMATED, rule)
            self.b.finding(rule, f"event '{event.name}': {message}", props.loc_of(key), fn)

        attempts = literal_int(props.get("MaximumRetryAttempts"))
        if isinstance(props.get("MaximumRetryAttempts"), str) and str(props["MaximumRetryAttempts"]) == "-1":
            attempts = -1
        if attempts is not None:
            binding["retry"] = retry_policy(attempts)
            times = "until it succeeds" if attempts < 0 else f"{attempts} time(s)"
            report(
                "LF3017",
                "MaximumRetryAttempts",
                f"MaximumRetryAttempts {attempts} becomes a function retry policy (exponential backoff, "
                f"retried {times}); add it to the function, the trigger then moves past the batch",
            )
        age = literal_int(props.get("MaximumRecordAgeInSeconds"))
        if age is not None or props.get("MaximumRecordAgeInSeconds") == -1:
            if age is None or age < 0:
                handled.add("MaximumRecordAgeInSeconds")  # -1, Lambda's default: no age limit
            else:
                report(
                    "LF3017",
                    "MaximumRecordAgeInSeconds",
                    f"MaximumRecordAgeInSeconds {age}: the trigger does not skip old records; compare the "
                    "enqueued time with the current time in code",
                )
        bisect = props.get("BisectBatchOnFunctionError")
        if bisect is False or (isinstance(bisect, str) and str(bisect).lower() == "false"):
            handled.add("BisectBatchOnFunctionError")
        elif bisect is not None:
            report(
                "LF3017",
                "BisectBatchOnFunctionError",
                "BisectBatchOnFunctionError: the trigger cannot split a failed batch; process records one "
                "by one in code to isolate a failing record",
            )
        destination = props.get("DestinationConfig")
        if destination is not None:
            target = destination.get("OnFailure") if isinstance(destination, Obj) else None
            where = target.get("Destination") if isinstance(target, Obj) else None
            named = f" ({where})" if isinstance(where, str) else ""
            report(
                "LF3018",
                "DestinationConfig",
                f"DestinationConfig.OnFailure{named}: records that still fail are not sent anywhere; "
                "send them from code (a Service Bus or storage output binding)",
            )
        parallel = literal_int(props.get("ParallelizationFactor"))
        if parallel == 1:
            handled.add("ParallelizationFactor")
        elif parallel is not None:
            report(
                "LF3020",
                "ParallelizationFactor",
                f"ParallelizationFactor {parallel}: one batch per partition runs at a time; give the "
                f"source {parallel} times the partitions for the same parallelism",
            )
        self._filter_criteria(fs, event, handled)
        if "FilterCriteria" in handled:
            approximated = True
        if "ReportBatchItemFailures" in response_types(props.get("FunctionResponseTypes")):
            report(
                "LF3016",
                "FunctionResponseTypes",
                "reports batch item failures; the trigger checkpoints whole batches, so the function must "
                "deal with a failed record itself",
            )
        return handled, approximated

    def _filter_criteria(self, fs: FunctionSettings, event: Event, handled: set[str]) -> None:
        """FilterCriteria: the Azure trigger delivers everything, so the patterns move into the code."""
        props = event.properties
        criteria = props.get("FilterCriteria")
        if criteria is None:
            return
        filters = criteria.get("Filters") if isinstance(criteria, Obj) else None
        patterns = [
            f.get("Pattern") for f in (filters if isinstance(filters, Arr) else ()) if isinstance(f, Obj)
        ]
        shown = "; ".join(str(p) if isinstance(p, str) else json.dumps(plain(p)) for p in patterns if p)
        handled.add("FilterCriteria")
        self._mark("FilterCriteria", Disposition.MANUAL, "LF3019")
        self.b.finding(
            "LF3019",
            f"event '{event.name}': FilterCriteria is not applied by the Azure trigger; filter in code"
            + (f" with: {shown}" if shown else ""),
            props.loc_of("FilterCriteria"),
            fs.fn.logical_id,
        )

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
        azure, _ = names.rename(names.COSMOS_CONTAINER, name, kebab(name))
        return self.b.new_resource(
            f"{name}Container",
            "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
            {
                "parent": Ident(database),
                "name": azure,
                "properties": {"resource": {"id": azure, "partitionKey": {"paths": ["/id"], "kind": "Hash"}}},
            },
            comment="stands in for a DynamoDB table defined outside the template",
        ).symbol

    # ---- Kinesis -> Event Hubs ------------------------------------------------------------------
    def eventhub(
        self, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
    ) -> TriggerPlan:
        hub = self._source_target(event, fs, "Kinesis stream", self._external_hub, names.EVENT_HUB)
        connection = self._namespace_connection(app, spec, self.s.eventhub_namespace())
        hub_setting = setting_name(fs.fn.logical_id, event.name, "eventhub")
        app.settings[hub_setting] = Prop(Ident(hub), ("name",))
        for role in spec.get("roles", []):
            self.b.role_assignment(hub, role, app.identity, (fs.fn.logical_id,))
        props = event.properties
        binding: dict[str, Any] = {
            "eventHubName": f"%{hub_setting}%",
            "connection": connection,
            "consumerGroup": self._consumer_group(hub, fs, event),
            "cardinality": "many",
        }
        # Lambda reads up to 100 records per batch unless told otherwise (the Event Hubs default is 10);
        # the batch size also marks the section as the v5 shape of the host.json schema
        handled = {"Stream", "StartingPosition", "StartingPositionTimestamp", "Enabled", "State"}
        batch = literal_int(props.get("BatchSize", LAMBDA_DEFAULT_BATCH["kinesis"]))
        approximated = False
        if batch is not None:
            handled.add("BatchSize")
            self._extension(app, "eventHubs", "maxEventBatchSize", batch, fs, event)
            window_handled, approximated = self._batch_window(app, fs, event, "eventHubs", batch)
            if window_handled:
                handled.add("MaximumBatchingWindowInSeconds")
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
        stream_handled, stream_approximated = self._stream_semantics(fs, event, binding)
        handled |= stream_handled
        disposition = self._untranslated(event, fs, handled)
        if approximated or stream_approximated:
            disposition = Disposition.APPROXIMATED
        self._lower(event, fs, disposition)
        return self._plan(fs, event, spec, disposition, binding)

    def _consumer_group(self, hub: str, fs: FunctionSettings, event: Event) -> str:
        """A consumer group of the function's own on the event hub.

        Each Lambda event source mapping on a Kinesis stream reads every record. Event Hubs triggers that
        share a consumer group (the default $Default) and a storage account share its checkpoints and
        split the partitions between them, so each function reads from a consumer group named after it.
        """
        name = self._reader_name(hub, fs, event)
        hub_resource = self.b.resource(hub)
        self.b.new_resource(
            f"{hub} {name} consumer group",
            "Microsoft.EventHub/namespaces/eventhubs/consumergroups",
            {"parent": Ident(hub), "name": name},
            sources=(fs.fn.logical_id,),
            condition=hub_resource.condition if hub_resource else None,
            comment=f"consumer group of {function_name(fs, event)}: it reads every event of the hub",
        )
        return name

    def _reader_name(self, source: str, fs: FunctionSettings, event: Event) -> str:
        """The name of one function's read position on a source that other functions may read too.

        The function's name, within the 50 characters and the letters, digits, '-' and '_' an Event Hubs
        consumer group allows; a number is added when two functions would get the same name on ``source``.
        """
        base = reader_name(function_name(fs, event))
        taken = self._readers.setdefault(source, set())
        name, n = base, 2
        while name.lower() in taken:
            name = f"{base[: _READER_MAX - len(str(n))]}{n}"
            n += 1
        taken.add(name.lower())
        return name

    def _external_hub(self, name: str) -> str:
        namespace = self.s.eventhub_namespace()
        azure, _ = names.rename(names.EVENT_HUB, name, kebab(name))
        return self.b.new_resource(
            f"{name}Hub",
            "Microsoft.EventHub/namespaces/eventhubs",
            {
                "parent": Ident(namespace),
                "name": azure,
                "properties": {"partitionCount": 2, "messageRetentionInDays": 1},
            },
            comment="stands in for a Kinesis stream defined outside the template",
        ).symbol


_BLOB_CREATED = "Microsoft.Storage.BlobCreated"
#: longest Event Hubs consumer group name (Microsoft.EventHub/namespaces/eventhubs/consumergroups)
_READER_MAX = 50


def reader_name(text: str) -> str:
    """A consumer group or lease prefix name from a function name: letters, digits, '-' and '_', starting
    and ending with a letter or digit, at most 50 characters (a long name keeps a hash of the rest).

    >>> reader_name("OrdersFnChanges"), reader_name("_odd name-")
    ('OrdersFnChanges', 'oddname')
    >>> len(reader_name("A" * 80)), reader_name("A" * 80)[-9:]
    (50, '-d9b1f3e2')
    """
    name = re.sub(r"[^A-Za-z0-9_-]", "", text).strip("-_") or "reader"
    if len(name) <= _READER_MAX:
        return name
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{name[: _READER_MAX - 9].rstrip('-_')}-{digest}"


_HMS = re.compile(r"\d\d:\d\d:\d\d")


def _queue_lock(queue_properties: dict[str, Any]) -> QueueLock:
    """The message lock of a generated queue (lockDuration, else the Service Bus default of 1 minute).

    >>> _queue_lock({"lockDuration": "PT300S"}), _queue_lock({}).text
    (QueueLock(seconds=300, text='lockDuration PT300S'), 'no lockDuration: the 1-minute default')
    """
    seconds = lock_seconds(queue_properties)
    value = queue_properties.get("lockDuration")
    text = f"lockDuration {value}" if isinstance(value, str) else "no lockDuration: the 1-minute default"
    return QueueLock(seconds, text)


def _shown(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)


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


#: EventBridge target settings that rewrite the event before the function sees it
_INPUT_TRANSFORMS = ("Input", "InputPath", "InputTransformer")


def _event_grid_retry(policy: Any) -> dict[str, int] | None:
    """Event Grid retryPolicy for an EventBridge target RetryPolicy, or None when it is not literal.

    EventBridge retries up to 185 times for up to 24 hours; Event Grid delivers at most 30 times
    within at most 1440 minutes. The first delivery counts as an attempt on Event Grid.

    >>> _event_grid_retry({"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 90})
    {'maxDeliveryAttempts': 5, 'eventTimeToLiveInMinutes': 2}
    >>> _event_grid_retry({"MaximumRetryAttempts": 185})
    {'maxDeliveryAttempts': 30}
    """
    if not isinstance(policy, (Obj, dict)):
        return None
    result: dict[str, int] = {}
    attempts = literal_int(policy.get("MaximumRetryAttempts"))
    age = literal_int(policy.get("MaximumEventAgeInSeconds"))
    if attempts is not None:
        result["maxDeliveryAttempts"] = min(max(attempts + 1, 1), 30)
    if age is not None:
        result["eventTimeToLiveInMinutes"] = min(max(-(-age // 60), 1), 1440)
    return result or None


def function_name(fs: FunctionSettings, event: Event) -> str:
    """The Azure function for one event: an Azure function has exactly one trigger.

    A Lambda with one event keeps its name; with several, each event gets ``<function><event>``; either
    follows the Azure function name rules (LF1018 says when that changed it).
    """
    return names.function_name(raw_function_name(fs, event))


def raw_function_name(fs: FunctionSettings, event: Event | None) -> str:
    """The name of the Azure function as the template gives it, before the Azure name rules."""
    if event is None or len(fs.fn.events) <= 1:
        return fs.fn.logical_id
    return f"{fs.fn.logical_id}{event.name}"


def _route(path: str) -> str:
    """An Azure Functions route template from an API Gateway path.

    >>> _route("/orders/{id}"), _route("/{proxy+}"), _route("/"), _route("$default")
    ('orders/{id}', '{*proxy}', '{root:maxlength(0)?}', '{*path}')
    """
    if path == "$default":  # an HTTP API's catch-all route
        return "{*path}"
    if not path.strip("/"):
        # an empty route is not served at the site root (azure-functions-host #4638); an optional
        # parameter that must stay empty is (with routePrefix '')
        return "{root:maxlength(0)?}"
    parts = []
    for segment in path.strip("/").split("/"):
        match = re.fullmatch(r"\{(\w+)\+\}", segment)
        parts.append("{*" + match.group(1) + "}" if match else segment)
    return "/".join(p for p in parts if p)


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
