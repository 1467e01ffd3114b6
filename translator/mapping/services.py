"""Dependent services: the Azure counterpart of each AWS resource a function uses or is triggered by.

Each handler reads one AWS resource, adds its Azure resources to the builder and registers a Target
(its Bicep symbol); how ``Ref`` and ``Fn::GetAtt`` on the AWS resource render in Bicep is data, in
``mappings/attributes.yaml``. Namespaces
and accounts shared by several counterparts (Service Bus, Event Hubs, Cosmos DB, the data storage
account) are created once, on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.bicep import Ident, interp
from translator.findings import Disposition
from translator.graph import Resource, references
from translator.mapping.context import Builder, Target
from translator.mapping.expressions import Expressions
from translator.mapping.names import (
    BLOB_CONTAINER,
    COSMOS_CONTAINER,
    EVENT_GRID_TOPIC,
    EVENT_HUB,
    SERVICE_BUS_QUEUE,
    NameKind,
    azure_name,
    container_name,
    kebab,
)
from translator.values import Arr, ConditionRef, Obj, Ref, literal_int

_SB_NAMESPACE = "Microsoft.ServiceBus/namespaces"
_EH_NAMESPACE = "Microsoft.EventHub/namespaces"
_COSMOS = "Microsoft.DocumentDB/databaseAccounts"
_STORAGE = "Microsoft.Storage/storageAccounts"


def storage_account_body(name: Any) -> dict[str, Any]:
    """A StorageV2 account reachable only with Entra ID: no shared keys, no public blobs, TLS 1.2."""
    return {
        "name": name,
        "location": Ident("location"),
        "tags": Ident("tags"),
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "properties": {
            "allowSharedKeyAccess": False,
            "allowBlobPublicAccess": False,
            "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": True,
            "publicNetworkAccess": "Enabled",
        },
    }


def _iso_seconds(seconds: int) -> str:
    return f"PT{seconds}S"


class Services:
    """Creates Azure counterparts for AWS resources; holds the lazily created shared parents."""

    def __init__(self, builder: Builder, exprs: Expressions) -> None:
        self.b = builder
        self.x = exprs
        self._shared: dict[str, str] = {}
        self._dlqs: set[str] | None = None
        self.handlers: dict[str, Callable[[Resource], None]] = {
            "servicebus_queue": self.servicebus_queue,
            "eventgrid_topic": self.eventgrid_topic,
            "blob_container": self.blob_container,
            "cosmos_container": self.cosmos_container,
            "eventhub": self.eventhub,
        }

    # ---- shared parents -------------------------------------------------------------------------
    def _once(self, key: str, create: Callable[[], str]) -> str:
        if key not in self._shared:
            self._shared[key] = create()
        return self._shared[key]

    def _name(self, azure_type: str, middle: str = "") -> Any:
        return interp(self.b.tables.prefix(azure_type), middle, Ident("resourceToken"))

    def servicebus_namespace(self) -> str:
        return self._once(
            "sb",
            lambda: (
                self.b.new_resource(
                    "serviceBus",
                    _SB_NAMESPACE,
                    {
                        "name": self._name(_SB_NAMESPACE),
                        "location": Ident("location"),
                        "tags": Ident("tags"),
                        "sku": {"name": "Standard", "tier": "Standard"},
                        "properties": {"minimumTlsVersion": "1.2", "disableLocalAuth": True},
                    },
                    comment="Service Bus namespace for the queues that replace SQS",
                ).symbol
            ),
        )

    def eventhub_namespace(self) -> str:
        return self._once(
            "eh",
            lambda: (
                self.b.new_resource(
                    "eventHubs",
                    _EH_NAMESPACE,
                    {
                        "name": self._name(_EH_NAMESPACE),
                        "location": Ident("location"),
                        "tags": Ident("tags"),
                        "sku": {"name": "Standard", "tier": "Standard", "capacity": 1},
                        "properties": {"minimumTlsVersion": "1.2", "disableLocalAuth": True},
                    },
                    comment="Event Hubs namespace for the event hubs that replace Kinesis streams",
                ).symbol
            ),
        )

    def cosmos_account(self) -> str:
        return self._once(
            "cosmos",
            lambda: (
                self.b.new_resource(
                    "cosmos",
                    _COSMOS,
                    {
                        "name": self._name(_COSMOS),
                        "location": Ident("location"),
                        "tags": Ident("tags"),
                        "kind": "GlobalDocumentDB",
                        "properties": {
                            "databaseAccountOfferType": "Standard",
                            "consistencyPolicy": {"defaultConsistencyLevel": "Session"},
                            "locations": [{"locationName": Ident("location"), "failoverPriority": 0}],
                            "capabilities": [{"name": "EnableServerless"}],
                            "disableLocalAuth": True,
                            "minimalTlsVersion": "Tls12",
                        },
                    },
                    comment="Cosmos DB (serverless) for the containers that replace DynamoDB tables",
                ).symbol
            ),
        )

    def cosmos_database(self) -> str:
        def create() -> str:
            account = self.cosmos_account()
            name = kebab(self.b.graph_name, 60)
            return self.b.new_resource(
                "cosmosDatabase",
                f"{_COSMOS}/sqlDatabases",
                {"parent": Ident(account), "name": name, "properties": {"resource": {"id": name}}},
            ).symbol

        return self._once("cosmosdb", create)

    def cosmos_leases(self) -> str:
        def create() -> str:
            database = self.cosmos_database()
            return self.b.new_resource(
                "cosmosLeases",
                f"{_COSMOS}/sqlDatabases/containers",
                {
                    "parent": Ident(database),
                    "name": "leases",
                    "properties": {
                        "resource": {"id": "leases", "partitionKey": {"paths": ["/id"], "kind": "Hash"}}
                    },
                },
                comment="Lease container for the Cosmos DB change feed triggers",
            ).symbol

        return self._once("leases", create)

    def data_storage(self) -> tuple[str, str]:
        """The storage account for migrated S3 buckets and its blob service."""

        def create() -> str:
            account = self.b.new_resource(
                "dataStorage",
                _STORAGE,
                storage_account_body(interp("stdata", Ident("resourceToken"))),
                comment="Storage account for the containers that replace S3 buckets",
            ).symbol
            self.b.new_resource(
                "dataBlobService",
                f"{_STORAGE}/blobServices",
                {"parent": Ident(account), "name": "default"},
            )
            return account

        account = self._once("data", create)
        return account, "dataBlobService"

    def _dead_letter_queues(self) -> set[str]:
        """Queues another queue's RedrivePolicy names as its dead-letter target."""

        def find() -> set[str]:
            return {
                target
                for queue in self.b.graph.resources
                if queue.type == "AWS::SQS::Queue" and isinstance(queue.properties.get("RedrivePolicy"), Obj)
                for _, target in references(queue.properties["RedrivePolicy"].get("deadLetterTargetArn"))
            }

        if self._dlqs is None:
            self._dlqs = find()
        return self._dlqs

    # ---- handlers -------------------------------------------------------------------------------
    def servicebus_queue(self, r: Resource) -> None:
        namespace = self.servicebus_namespace()
        props = r.properties
        name = self._resource_name(r, "QueueName", SERVICE_BUS_QUEUE)
        queue_props: dict[str, Any] = {}
        handled = {"QueueName", "Tags"}
        retention = literal_int(props.get("MessageRetentionPeriod"))
        if retention is not None:
            queue_props["defaultMessageTimeToLive"] = _iso_seconds(retention)
            handled.add("MessageRetentionPeriod")
        visibility = literal_int(props.get("VisibilityTimeout"))
        if visibility is not None:
            # Service Bus locks a message for at most 5 minutes; renewals extend it
            queue_props["lockDuration"] = _iso_seconds(min(max(visibility, 5), 300))
            handled.add("VisibilityTimeout")
            if visibility > 300:
                self.b.finding(
                    "LF1005",
                    f"VisibilityTimeout {visibility}s is above the Service Bus lock limit; lockDuration is "
                    "5 minutes. The Functions host renews the lock of a function that takes one message at a "
                    "time (up to host.json serviceBus.maxAutoLockRenewalDuration), but not the locks of a "
                    "batch (LF3039): a batch still running after 5 minutes is delivered again",
                    props.loc_of("VisibilityTimeout"),
                    r.logical_id,
                )
        if retention is None and "MessageRetentionPeriod" not in props:
            # SQS keeps a message 4 days unless told otherwise; Service Bus would keep it for ever
            queue_props["defaultMessageTimeToLive"] = "P4D"
        redrive = props.get("RedrivePolicy")
        if redrive is None and r.logical_id not in self._dead_letter_queues():
            self.b.finding(
                "LF1005",
                "no RedrivePolicy: SQS redelivers a failing message until it expires, but Service Bus moves it "
                "to the queue's dead-letter subqueue after maxDeliveryCount deliveries (10 by default)",
                r.loc,
                r.logical_id,
                "Set maxDeliveryCount on the queue if 10 deliveries are too few, and read failed messages from "
                "'<queue>/$deadletterqueue'.",
            )
        if isinstance(redrive, Obj):
            count = literal_int(redrive.get("maxReceiveCount"))
            if count is not None:
                queue_props["maxDeliveryCount"] = count
                queue_props["deadLetteringOnMessageExpiration"] = True
                handled.add("RedrivePolicy")
                self.b.finding(
                    "LF1005",
                    "RedrivePolicy: failed messages go to the queue's built-in dead-letter subqueue "
                    "after maxDeliveryCount attempts, not to the separate dead-letter queue",
                    props.loc_of("RedrivePolicy"),
                    r.logical_id,
                    "Read dead-lettered messages from '<queue>/$deadletterqueue'.",
                )
        if props.get("FifoQueue") is True or str(props.get("FifoQueue")).lower() == "true":
            queue_props["requiresSession"] = True
            handled.add("FifoQueue")
            self.b.finding(
                "LF1005",
                "FifoQueue: ordering is kept per session; senders must set the SessionId "
                "(the SQS MessageGroupId)",
                props.loc_of("FifoQueue"),
                r.logical_id,
            )
        self._unhandled(r, handled)
        queue = self.b.new_resource(
            r.logical_id,
            f"{_SB_NAMESPACE}/queues",
            {"parent": Ident(namespace), "name": name, "properties": queue_props},
            sources=(r.logical_id,),
            condition=self._condition(r),
        ).symbol
        self.b.targets[r.logical_id] = Target(
            queue,
            f"{_SB_NAMESPACE}/queues",
            "Service Bus queue",
        )

    def eventgrid_topic(self, r: Resource) -> None:
        props = r.properties
        name_prop = "TopicName" if r.type == "AWS::SNS::Topic" else "Name"
        label = props.get(name_prop)
        prefix = self.b.tables.prefix("Microsoft.EventGrid/topics")
        if isinstance(label, str):
            middle = azure_name(
                self.b,
                EVENT_GRID_TOPIC,
                str(label),
                props.loc_of(name_prop),
                r.logical_id,
                shown=lambda new: f"{prefix}{new}-${{resourceToken}}",
            )
        else:
            middle = kebab(r.logical_id, 24)
        middle += "-"
        topic = self.b.new_resource(
            r.logical_id,
            "Microsoft.EventGrid/topics",
            {
                "name": self._name("Microsoft.EventGrid/topics", middle),
                "location": Ident("location"),
                "tags": Ident("tags"),
                "properties": {
                    "inputSchema": "CloudEventSchemaV1_0",
                    "minimumTlsVersionAllowed": "1.2",
                    "disableLocalAuth": True,
                },
            },
            sources=(r.logical_id,),
            condition=self._condition(r),
        ).symbol
        self._unhandled(r, {name_prop, "Tags", "Subscription", "DisplayName"})
        self.b.targets[r.logical_id] = Target(
            topic,
            "Microsoft.EventGrid/topics",
            "Event Grid topic",
        )

    def blob_container(self, r: Resource) -> None:
        _, blob_service = self.data_storage()
        props = r.properties
        bucket = props.get("BucketName")
        name: Any
        if isinstance(bucket, str):
            name = azure_name(self.b, BLOB_CONTAINER, str(bucket), props.loc_of("BucketName"), r.logical_id)
        elif isinstance(bucket, Ref) and self.b.graph.parameter(bucket.target) is not None:
            # the same parameter may be referenced elsewhere (environment, outputs): keep them in step
            name = self.x.string(
                bucket, f"{r.logical_id}.BucketName", r.logical_id, props.loc_of("BucketName")
            )
            self.b.finding(
                "LF1005",
                f"the container takes its name from parameter '{bucket.target}'; container names are 3-63 "
                "lower-case letters, digits and hyphens (no dots), so check the value you deploy with",
                props.loc_of("BucketName"),
                r.logical_id,
            )
        else:
            name = container_name(r.logical_id)
            if bucket is not None:
                self.b.finding(
                    "LF1005",
                    f"BucketName is an expression; the container is named '{name}' (container names are "
                    "3-63 lower-case letters, digits and hyphens)",
                    props.loc_of("BucketName"),
                    r.logical_id,
                )
        handled = {
            "BucketName",
            "Tags",
            "NotificationConfiguration",
            "PublicAccessBlockConfiguration",
            "BucketEncryption",
            "OwnershipControls",
        }
        self._unhandled(r, handled)
        container = self.b.new_resource(
            r.logical_id,
            f"{_STORAGE}/blobServices/containers",
            {"parent": Ident(blob_service), "name": name, "properties": {"publicAccess": "None"}},
            sources=(r.logical_id,),
            condition=self._condition(r),
        ).symbol
        self.b.targets[r.logical_id] = Target(
            container,
            f"{_STORAGE}/blobServices/containers",
            "Blob container",
        )

    def cosmos_container(self, r: Resource) -> None:
        database = self.cosmos_database()
        props = r.properties
        table = props.get("TableName")
        name = self.x.string(table, f"{r.logical_id}.TableName", r.logical_id) if table is not None else None
        if isinstance(name, str):
            name = azure_name(
                self.b, COSMOS_CONTAINER, str(name), props.loc_of("TableName"), r.logical_id, r.logical_id
            )
        name = name if name is not None else r.logical_id
        partition = self._partition_key(r)
        handled = {
            "TableName",
            "KeySchema",
            "AttributeDefinitions",
            "PrimaryKey",
            "StreamSpecification",
            "BillingMode",
            "ProvisionedThroughput",
            "Tags",
            "SSESpecification",
        }
        self._unhandled(r, handled)
        container = self.b.new_resource(
            r.logical_id,
            f"{_COSMOS}/sqlDatabases/containers",
            {
                "parent": Ident(database),
                "name": name,
                "properties": {
                    "resource": {"id": name, "partitionKey": {"paths": [partition], "kind": "Hash"}}
                },
            },
            sources=(r.logical_id,),
            condition=self._condition(r),
        ).symbol
        self.b.targets[r.logical_id] = Target(
            container,
            f"{_COSMOS}/sqlDatabases/containers",
            "Cosmos DB container",
        )

    def _partition_key(self, r: Resource) -> str:
        props = r.properties
        if r.type == "AWS::Serverless::SimpleTable":
            primary = props.get("PrimaryKey")
            if primary is None:
                return "/id"  # SimpleTable's default primary key is 'id'
            key_type = primary.get("Type") if isinstance(primary, Obj) else None
            if key_type is None or (
                isinstance(key_type, str) and key_type not in ("String", "Number", "Binary")
            ):
                self.b.finding(
                    "LF1005",
                    f"PrimaryKey.Type is {'missing' if key_type is None else repr(key_type)}: SAM requires "
                    "String, Number or Binary",
                    props.loc_of("PrimaryKey"),
                    r.logical_id,
                )
            if isinstance(primary, Obj) and isinstance(primary.get("Name"), str):
                return "/" + str(primary["Name"])
            self.b.finding(
                "LF1005",
                "PrimaryKey has no literal Name (SAM requires one); the container is partitioned on /id",
                props.loc_of("PrimaryKey"),
                r.logical_id,
            )
            return "/id"
        schema = props.get("KeySchema")
        keys = [k for k in schema if isinstance(k, Obj)] if isinstance(schema, Arr) else []
        hash_key = next((k for k in keys if k.get("KeyType") == "HASH"), None)
        if hash_key is None or not isinstance(hash_key.get("AttributeName"), str):
            self.b.finding(
                "LF1005",
                "KeySchema has no literal HASH key; the container is partitioned on /id",
                props.loc_of("KeySchema"),
                r.logical_id,
            )
            return "/id"
        if any(k.get("KeyType") == "RANGE" for k in keys):
            self.b.finding(
                "LF1005",
                "the sort (RANGE) key has no Cosmos DB counterpart; the partition key is the HASH key and "
                "items need a unique 'id' (for example hash and sort key joined)",
                props.loc_of("KeySchema"),
                r.logical_id,
            )
        return "/" + str(hash_key["AttributeName"])

    def eventhub(self, r: Resource) -> None:
        namespace = self.eventhub_namespace()
        props = r.properties
        name = self._resource_name(r, "Name", EVENT_HUB)
        hub_props: dict[str, Any] = {}
        shards = literal_int(props.get("ShardCount"))
        hub_props["partitionCount"] = min(max(shards or 2, 1), 32)
        if shards is not None and shards > 32:
            self.b.finding(
                "LF1005",
                f"ShardCount {shards} is above the 32 partitions of an Event Hubs Standard event hub; 32 are used",
                props.loc_of("ShardCount"),
                r.logical_id,
            )
        hours = literal_int(props.get("RetentionPeriodHours"))
        # whole days, rounded up so that no record is kept for less time than on Kinesis
        hub_props["messageRetentionInDays"] = min(max(-(-(hours or 24) // 24), 1), 7)
        if hours is not None and hours > 168:
            self.b.finding(
                "LF1005",
                f"RetentionPeriodHours {hours} is above the 7 days of Event Hubs Standard; 7 days are used",
                props.loc_of("RetentionPeriodHours"),
                r.logical_id,
            )
        self._unhandled(
            r, {"Name", "ShardCount", "RetentionPeriodHours", "Tags", "StreamModeDetails", "StreamEncryption"}
        )
        hub = self.b.new_resource(
            r.logical_id,
            f"{_EH_NAMESPACE}/eventhubs",
            {"parent": Ident(namespace), "name": name, "properties": hub_props},
            sources=(r.logical_id,),
            condition=self._condition(r),
        ).symbol
        self.b.targets[r.logical_id] = Target(
            hub,
            f"{_EH_NAMESPACE}/eventhubs",
            "Event Hubs event hub",
        )

    # ---- helpers --------------------------------------------------------------------------------
    def _resource_name(self, r: Resource, prop: str, kind: NameKind) -> Any:
        value = r.properties.get(prop)
        if value is None:
            return kebab(r.logical_id)
        loc = r.properties.loc_of(prop)
        name = self.x.string(value, f"{r.logical_id}.{prop}", r.logical_id, loc)
        if isinstance(name, str):
            return azure_name(self.b, kind, str(name), loc, r.logical_id, kebab(r.logical_id))
        return name if name is not None else kebab(r.logical_id)

    def _condition(self, r: Resource) -> Any:
        if r.condition is None:
            return None
        return self.x.value(
            ConditionRef(r.condition, loc=r.loc), f"{r.logical_id}.Condition", r.logical_id, r.loc
        )

    def _unhandled(self, r: Resource, handled: set[str]) -> None:
        rest = sorted(k for k in r.properties if k not in handled)
        if rest:
            self.b.finding(
                "LF1005",
                f"{r.type} properties not translated: {', '.join(rest)}",
                r.properties.loc_of(rest[0]),
                r.logical_id,
            )
            self.b.lower_disposition(r.logical_id, Disposition.APPROXIMATED)
