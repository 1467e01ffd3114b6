"""Read one live Lambda function: its configuration and everything attached to it.

Each call goes through ``Gaps.call``: "does not exist" reads as none, a failed call as unknown (and a
gap). The result is the function's entry in inventory.json; nested AWS structures (VpcConfig,
LoggingConfig, event source mappings, policy statements) keep the API's field names, so the inventory
parser hands them on as the CloudFormation properties of the same names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from translator.discover.gaps import UNKNOWN, Gaps
from translator.discover.push_sources import PushSources
from translator.mapping.secrets_detect import looks_secret

#: event source mapping fields that describe its state or identity, not its configuration
_VOLATILE_MAPPING_FIELDS = frozenset(
    {"FunctionArn", "LastModified", "LastProcessingResult", "StateTransitionReason", "ResponseMetadata"}
)
STACK_TAG = "aws:cloudformation:stack-name"
LOGICAL_ID_TAG = "aws:cloudformation:logical-id"


def plain(value: Any) -> Any:
    """JSON-ready: datetimes as ISO 8601 text, recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def environment(variables: dict[str, str], include_values: bool) -> list[dict[str, Any]]:
    """Names always; values only when asked for, and never when they look secret.

    >>> environment({"LOG_LEVEL": "INFO", "DB_PASSWORD": "x"}, include_values=True)
    [{'name': 'DB_PASSWORD', 'redacted': 'the name mentions PASSWORD'}, {'name': 'LOG_LEVEL', 'value': 'INFO'}]
    >>> environment({"LOG_LEVEL": "INFO"}, include_values=False)
    [{'name': 'LOG_LEVEL'}]
    """
    entries = []
    for name in sorted(variables):
        entry: dict[str, Any] = {"name": name}
        if include_values:
            value = str(variables[name])
            reason = looks_secret(name, value)
            if reason:
                entry["redacted"] = reason
            else:
                entry["value"] = value
        entries.append(entry)
    return entries


class FunctionReader:
    def __init__(
        self,
        lam: Any,
        gaps: Gaps,
        region: str,
        include_env_values: bool,
        client: Callable[[str], Any] | None = None,
    ) -> None:
        self.lam = lam
        self.gaps = gaps
        self.region = region
        self.include_env_values = include_env_values
        self.client = client  # the region's client for another service (S3, SNS, EventBridge)

    def _call(self, arn: str | None, operation: str, send: Any) -> Any:
        return self.gaps.call(self.region, arn, f"lambda:{operation}", send)

    def _pages(self, arn: str, operation: str, method: str, key: str, **kwargs: Any) -> Any:
        paginator = self.lam.get_paginator(method)
        found = self._call(
            arn, operation, lambda: [item for page in paginator.paginate(**kwargs) for item in page[key]]
        )
        return [] if found is None else found  # a list of nothing, not an unknown

    def read(self, name: str, listed: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The function's inventory entry; None when it does not exist (deleted meanwhile)."""
        unknown: list[str] = []
        answer = self._call(
            listed.get("FunctionArn") if listed else None,
            "GetFunction",
            lambda: self.lam.get_function(FunctionName=name),
        )
        if answer is None:
            return None
        tags: Any = None
        if answer is UNKNOWN:
            if listed is None:
                return None  # nothing is known of it beyond its name: the gap says why
            config = listed
        else:
            config = answer.get("Configuration", {})
            tags = answer.get("Tags", {})
        arn = str(config["FunctionArn"])
        name = str(config["FunctionName"])  # calls name the function (the client is the region's)
        if tags is None:
            found = self._call(arn, "ListTags", lambda: self.lam.list_tags(Resource=arn))
            tags = found.get("Tags", {}) if isinstance(found, dict) else found
        entry = self._configuration(config)
        entry["tags"] = self._known(tags, "tags", unknown)
        entry["stack"] = _stack(tags) if isinstance(tags, dict) else None

        concurrency = self._call(
            arn, "GetFunctionConcurrency", lambda: self.lam.get_function_concurrency(FunctionName=name)
        )
        entry["reservedConcurrency"] = self._known(
            concurrency.get("ReservedConcurrentExecutions") if isinstance(concurrency, dict) else concurrency,
            "reservedConcurrency",
            unknown,
        )
        aliases = self._pages(arn, "ListAliases", "list_aliases", "Aliases", FunctionName=name)
        entry["aliases"] = self._known(
            [_alias(a) for a in aliases] if isinstance(aliases, list) else aliases, "aliases", unknown
        )
        versions = self._pages(
            arn, "ListVersionsByFunction", "list_versions_by_function", "Versions", FunctionName=name
        )
        entry["versions"] = self._known(
            [
                {"version": str(v["Version"]), "description": v.get("Description") or ""}
                for v in versions
                if v.get("Version") != "$LATEST"
            ]
            if isinstance(versions, list)
            else versions,
            "versions",
            unknown,
        )
        provisioned = self._pages(
            arn,
            "ListProvisionedConcurrencyConfigs",
            "list_provisioned_concurrency_configs",
            "ProvisionedConcurrencyConfigs",
            FunctionName=name,
        )
        entry["provisionedConcurrency"] = self._known(
            [_provisioned(p) for p in provisioned] if isinstance(provisioned, list) else provisioned or [],
            "provisionedConcurrency",
            unknown,
        )
        mappings = self._pages(
            arn,
            "ListEventSourceMappings",
            "list_event_source_mappings",
            "EventSourceMappings",
            FunctionName=name,
        )
        entry["eventSourceMappings"] = self._known(
            [_mapping(m) for m in mappings] if isinstance(mappings, list) else mappings,
            "eventSourceMappings",
            unknown,
        )
        policy = self._call(arn, "GetPolicy", lambda: self.lam.get_policy(FunctionName=name))
        entry["resourcePolicy"] = self._known(_statements(policy), "resourcePolicy", unknown)
        if self.client is not None and entry["resourcePolicy"]:
            entry["pushSources"] = PushSources(self.client, self.gaps, self.region).read(
                arn, entry["resourcePolicy"]
            )
        url = self._call(
            arn, "GetFunctionUrlConfig", lambda: self.lam.get_function_url_config(FunctionName=name)
        )
        entry["functionUrl"] = self._known(_url(url), "functionUrl", unknown)
        invoke = self._call(
            arn,
            "GetFunctionEventInvokeConfig",
            lambda: self.lam.get_function_event_invoke_config(FunctionName=name),
        )
        entry["eventInvokeConfig"] = self._known(_invoke_config(invoke), "eventInvokeConfig", unknown)
        entry["metrics"] = None  # filled per region by metrics.py, in batches
        entry["unknown"] = unknown
        return entry

    @staticmethod
    def _known(value: Any, field: str, unknown: list[str]) -> Any:
        if value is UNKNOWN:
            unknown.append(field)
            return None
        return value

    def _configuration(self, c: dict[str, Any]) -> dict[str, Any]:
        env = c.get("Environment") or {}
        variables = env.get("Variables") or {}
        image = c.get("ImageConfigResponse", {}).get("ImageConfig")
        return {
            "name": str(c["FunctionName"]),
            "arn": str(c["FunctionArn"]),
            "region": self.region,
            "runtime": c.get("Runtime"),
            "handler": c.get("Handler"),
            "memoryMB": c.get("MemorySize"),
            "timeoutSeconds": c.get("Timeout"),
            "architectures": list(c.get("Architectures") or ["x86_64"]),
            "packageType": c.get("PackageType") or "Zip",
            "description": c.get("Description") or "",
            "role": c.get("Role"),
            "environment": environment(variables, self.include_env_values),
            "layers": [str(layer["Arn"]) for layer in c.get("Layers") or []],
            "vpcConfig": _vpc(c.get("VpcConfig")),
            "deadLetterTargetArn": (c.get("DeadLetterConfig") or {}).get("TargetArn"),
            "tracingMode": (c.get("TracingConfig") or {}).get("Mode"),
            "loggingConfig": plain(c["LoggingConfig"]) if c.get("LoggingConfig") else None,
            "ephemeralStorageMB": (c.get("EphemeralStorage") or {}).get("Size"),
            "snapStart": (c.get("SnapStart") or {}).get("ApplyOn"),
            "fileSystemConfigs": plain(c.get("FileSystemConfigs") or []),
            "kmsKeyArn": c.get("KMSKeyArn"),
            "imageConfig": plain(image) if image else None,
            "codeSha256": c.get("CodeSha256"),
            "lastModified": str(c["LastModified"]) if c.get("LastModified") else None,
        }


def _vpc(value: Any) -> dict[str, Any] | None:
    # Lambda answers an empty VpcConfig (no subnets) for functions outside a VPC
    if not isinstance(value, dict) or not value.get("SubnetIds"):
        return None
    return {
        k: plain(v)
        for k, v in value.items()
        if k in ("SubnetIds", "SecurityGroupIds", "Ipv6AllowedForDualStack")
    }


def _stack(tags: dict[str, str]) -> dict[str, Any] | None:
    if STACK_TAG not in tags:
        return None
    return {"name": tags[STACK_TAG], "logicalId": tags.get(LOGICAL_ID_TAG)}


def _alias(a: dict[str, Any]) -> dict[str, Any]:
    entry = {"name": str(a["Name"]), "functionVersion": str(a.get("FunctionVersion", ""))}
    weights = (a.get("RoutingConfig") or {}).get("AdditionalVersionWeights")
    if weights:
        entry["additionalVersionWeights"] = {str(k): float(v) for k, v in weights.items()}
    return entry


def _provisioned(p: dict[str, Any]) -> dict[str, Any]:
    qualifier = str(p.get("FunctionArn", "")).rsplit(":", 1)[-1]
    return {
        "qualifier": qualifier,
        "requested": p.get("RequestedProvisionedConcurrentExecutions"),
        "allocated": p.get("AllocatedProvisionedConcurrentExecutions"),
        "status": p.get("Status"),
    }


def _mapping(m: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in sorted(m.items()) if k not in _VOLATILE_MAPPING_FIELDS}


def _statements(policy: Any) -> Any:
    if policy is UNKNOWN or policy is None:
        return policy if policy is UNKNOWN else []
    document = json.loads(policy.get("Policy") or "{}")
    statements = document.get("Statement") or []
    return [plain(s) for s in (statements if isinstance(statements, list) else [statements])]


def _url(url: Any) -> Any:
    if url is UNKNOWN or url is None:
        return url
    entry = {
        "url": url.get("FunctionUrl"),
        "authType": url.get("AuthType"),
        "invokeMode": url.get("InvokeMode"),
    }
    if url.get("Cors"):
        entry["cors"] = plain(url["Cors"])
    return entry


def _invoke_config(config: Any) -> Any:
    if config is UNKNOWN or config is None:
        return config
    entry: dict[str, Any] = {}
    for source, target in (
        ("MaximumRetryAttempts", "maximumRetryAttempts"),
        ("MaximumEventAgeInSeconds", "maximumEventAgeInSeconds"),
    ):
        if config.get(source) is not None:
            entry[target] = config[source]
    if config.get("DestinationConfig"):
        entry["destinationConfig"] = plain(config["DestinationConfig"])
    return entry
