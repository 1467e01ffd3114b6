"""Kafka: Amazon MSK and self-managed Kafka event sources become the Apache Kafka trigger.

The Kafka trigger (``kafkaTrigger``, available on Flex Consumption) reads a topic from a broker
list with a consumer group, over a protocol and SASL mechanism. What the template knows (topics,
consumer group, literal bootstrap servers, the authentication type) goes into the binding and app
settings; what it cannot know (an MSK cluster's bootstrap brokers, the credentials kept in Secrets
Manager) becomes Bicep parameters, and finding LF3031 lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from translator.findings import Disposition
from translator.graph import Event
from translator.mapping.functions import FunctionSettings
from translator.plan import TriggerPlan
from translator.values import Arr, Obj

if TYPE_CHECKING:
    from translator.mapping.triggers import AppContext, Triggers

#: Lambda SourceAccessConfigurations Type -> (Kafka trigger protocol, authenticationMode)
_SASL = {
    "BASIC_AUTH": ("saslSsl", "plain"),
    "SASL_SCRAM_256_AUTH": ("saslSsl", "scramSha256"),
    "SASL_SCRAM_512_AUTH": ("saslSsl", "scramSha512"),
}
#: access types that need files or networking the trigger cannot take from the template
_NEEDS = {
    "CLIENT_CERTIFICATE_TLS_AUTH": "a client certificate and key (sslCertificateLocation, sslKeyLocation)",
    "SERVER_ROOT_CA_CERTIFICATE": "the brokers' root CA certificate (sslCaLocation)",
    "VPC_SUBNET": "VNet integration of the function app with a network that reaches the brokers",
    "VPC_SECURITY_GROUP": "network rules that let the function app reach the brokers",
}
_HANDLED = {
    "Stream",
    "KafkaBootstrapServers",
    "Topics",
    "ConsumerGroupId",
    "AmazonManagedKafkaEventSourceConfig",
    "SelfManagedKafkaEventSourceConfig",
    "SelfManagedEventSource",
    "SourceAccessConfigurations",
    "StartingPosition",
    "Enabled",
    "State",
}


def _access_types(props: Obj) -> list[str]:
    configs = props.get("SourceAccessConfigurations")
    return [
        str(c["Type"])
        for c in (configs if isinstance(configs, Arr) else ())
        if isinstance(c, Obj) and isinstance(c.get("Type"), str)
    ]


def _bootstrap_servers(props: Obj) -> Any:
    servers = props.get("KafkaBootstrapServers")
    source = props.get("SelfManagedEventSource")
    if servers is None and isinstance(source, Obj) and isinstance(source.get("Endpoints"), Obj):
        servers = source["Endpoints"].get("KafkaBootstrapServers")
    return servers


def _consumer_group(props: Obj) -> Any:
    for key in ("AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig"):
        config = props.get(key)
        if isinstance(config, Obj) and "ConsumerGroupId" in config:
            return config["ConsumerGroupId"]
    return props.get("ConsumerGroupId")


def kafka(
    triggers: Triggers, app: AppContext, fs: FunctionSettings, event: Event, spec: dict[str, Any]
) -> TriggerPlan:
    from translator.mapping.triggers import setting_name

    b = triggers.b
    props = event.properties
    fn = fs.fn.logical_id
    supply: list[str] = []
    disposition = Disposition.APPROXIMATED  # the broker list or credentials always need checking

    brokers_setting = setting_name(fn, event.name, "kafka", "brokers")
    servers = _bootstrap_servers(props)
    if isinstance(servers, Arr) and servers and all(isinstance(s, str) for s in servers):
        app.settings[brokers_setting] = ",".join(str(s) for s in servers)
    else:
        what = "the MSK cluster's bootstrap brokers" if event.kind == "msk" else "the Kafka bootstrap servers"
        param = b.value_param(f"{fn}{event.name}KafkaBrokers", f"{what} (host:port, comma-separated)")
        app.settings[brokers_setting] = param
        supply.append(f"{param.name} ({what})")

    topics = props.get("Topics")
    topic_list = (
        [str(t) for t in topics]
        if isinstance(topics, Arr) and all(isinstance(t, str) for t in topics)
        else []
    )
    binding: dict[str, Any] = {
        "brokerList": f"%{brokers_setting}%",
        "cardinality": "many",
        "dataType": "string",
    }
    if topic_list:
        binding["topic"] = topic_list[0]
        if len(topic_list) > 1:
            b.finding(
                "LF3031",
                f"event '{event.name}' reads {len(topic_list)} topics; a Kafka trigger reads one, so only "
                f"'{topic_list[0]}' is used",
                props.loc_of("Topics"),
                fn,
                f"Add a function per other topic: {', '.join(topic_list[1:])}.",
            )
    else:
        topic_setting = setting_name(fn, event.name, "kafka", "topic")
        app.settings[topic_setting] = b.value_param(f"{fn}{event.name}KafkaTopic", "the Kafka topic to read")
        binding["topic"] = f"%{topic_setting}%"
        supply.append(f"{topic_setting} (the topic)")

    group = _consumer_group(props)
    if isinstance(group, str):
        binding["consumerGroup"] = str(group)
    else:
        # Lambda's default consumer group is the mapping's UUID: a new group starts from the start position
        binding["consumerGroup"] = f"{fn}-{event.name}"[:255]

    types = _access_types(props)
    sasl = [t for t in types if t in _SASL]
    if sasl:
        binding["protocol"], binding["authenticationMode"] = _SASL[sasl[0]]
        for part in ("username", "password"):
            setting = setting_name(fn, event.name, "kafka", part)
            app.settings[setting] = b.value_param(
                f"{fn}{event.name}Kafka{part.capitalize()}",
                f"Kafka SASL {part} (kept in Secrets Manager on AWS)",
                secure=True,
            )
            binding[part] = f"%{setting}%"
            supply.append(f"{setting} (the SASL {part} from the Secrets Manager secret)")
    elif event.kind == "msk" and not any(t in _NEEDS and t.startswith("CLIENT") for t in types):
        # an MSK event with no SASL secret authenticates with IAM, which only AWS clients speak
        b.finding(
            "LF3031",
            f"event '{event.name}' uses MSK IAM authentication, which the Kafka trigger does not support",
            event.loc,
            fn,
            "Enable SASL/SCRAM on the cluster and set the generated credentials, or move the topic to "
            "Event Hubs (Kafka endpoint) with identity-based access.",
        )
        binding["protocol"] = "ssl"
    for access in types:
        if access in _NEEDS:
            supply.append(_NEEDS[access])
    start = props.get("StartingPosition")
    if isinstance(start, str) and str(start) == "TRIM_HORIZON":
        supply.append(
            "the consumer group's initial offset set to the earliest (Lambda starts at TRIM_HORIZON)"
        )
    if supply:
        b.finding(
            "LF3031",
            f"event '{event.name}': the Kafka trigger needs values the template does not hold: {'; '.join(supply)}",
            event.loc,
            fn,
        )
    triggers._untranslated(event, fs, _HANDLED)
    triggers._lower(event, fs, disposition)
    return triggers._plan(fs, event, spec, disposition, binding)
