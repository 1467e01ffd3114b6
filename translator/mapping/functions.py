"""Function settings: runtime, memory, timeout, environment, and grouping functions into Flex apps.

Flex Consumption allows one function app per plan, and settings such as the runtime stack, instance
memory and functionTimeout are app-wide, so functions that agree on them share an app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from translator.bicep import BExpr, Ident, Interp, Prop
from translator.findings import Disposition
from translator.graph import Function
from translator.mapping.context import Builder
from translator.mapping.expressions import Expressions, MaybeAbsent
from translator.mapping.keyvault import KeyVault
from translator.mapping.network import Network, describe, listed, vpc_key
from translator.mapping.secrets_detect import embedded_secret, looks_secret, secret_name, secret_value
from translator.plan import FunctionPlan
from translator.values import Arr, If, Intrinsic, Loc, Obj, Ref, Str, literal_int

#: Lambda function properties this version translates or knowingly folds into the app.
_HANDLED = frozenset(
    {
        "Handler",
        "Runtime",
        "CodeUri",
        "Code",
        "MemorySize",
        "Timeout",
        "Environment",
        "Events",
        "FunctionName",
        "Description",
        "Tags",
        "PropagateTags",
        "Tracing",
        "TracingConfig",
        "PackageType",
        "FunctionUrlConfig",
        "Policies",
        "Role",
        "Architectures",
        "ReservedConcurrentExecutions",
        "ProvisionedConcurrencyConfig",
        "EphemeralStorage",
        "Layers",
        "FileSystemConfigs",
        "VpcConfig",
        "LoggingConfig",
        "ImageUri",  # LF2010 with PackageType
        "ImageConfig",
        "MetricsConfig",  # collected by default: nothing to report
        "PermissionsBoundary",  # LF5009 from the IAM translation
    }
)

#: Lambda ApplicationLogLevel -> host.json logLevel (research/azure-target.md §4.2 enum)
_LOG_LEVELS = {
    "TRACE": "Trace",
    "DEBUG": "Debug",
    "INFO": "Information",
    "WARN": "Warning",
    "ERROR": "Error",
    "FATAL": "Critical",
}


@dataclass
class FunctionSettings:
    """What the mapper decided for one function (mutable while triggers add to it)."""

    fn: Function
    aws_runtime: str | None
    runtime_name: str
    runtime_version: str
    memory_mb: int | None
    instance_memory_mb: int
    timeout_seconds: int | None
    handler: str | None
    code_uri: str | None
    environment: dict[str, Any] = field(default_factory=dict)
    app: str = ""
    #: ReservedConcurrentExecutions above 0: the function gets an app of its own with this instance cap
    reserved_concurrency: int | None = None
    maximum_instances: int | None = None
    http_per_instance_concurrency: int | None = None
    #: ReservedConcurrentExecutions 0: Lambda never runs it, so the Azure function is disabled
    disabled: bool = False
    provisioned_concurrency: int | None = None
    architecture: str = "x86_64"
    #: grouping key of the VpcConfig ('' = not in a VPC), and the config itself
    network: str = ""
    vpc: Any = None
    #: FileSystemConfigs: (file system or access point, mount path)
    file_systems: list[tuple[Any, str]] = field(default_factory=list)
    #: host.json logging.logLevel for the function's category (from LoggingConfig.ApplicationLogLevel)
    log_level: str | None = None
    #: setting name -> (disposition, rule) the handlers decided from the value (the report shows it)
    outcomes: dict[str, tuple[Disposition, str | None]] = field(default_factory=dict)
    #: the function has an app setting that is a Key Vault reference
    uses_key_vault: bool = False


def instance_memory(memory_mb: int, sizes: list[int]) -> int:
    """The smallest Flex instance size at least as large as the Lambda memory (capped at the largest).

    >>> instance_memory(128, [512, 2048, 4096]), instance_memory(1024, [512, 2048, 4096])
    (512, 2048)
    >>> instance_memory(10240, [512, 2048, 4096])
    4096
    """
    for size in sorted(sizes):
        if memory_mb <= size:
            return size
    return max(sizes)


def host_timeout(seconds: int) -> str:
    """host.json functionTimeout text (hh:mm:ss, at most 23:59:59 as the host.json schema requires).

    >>> host_timeout(3), host_timeout(900), host_timeout(90000)
    ('00:00:03', '00:15:00', '23:59:59')
    """
    seconds = min(max(seconds, 1), 86399)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def http_concurrency(runtime_name: str, instance_memory_mb: int, flex: dict[str, Any]) -> int:
    """Default HTTP per-instance concurrency on Flex (research/azure-target.md §2.4).

    >>> flex = {"http_per_instance_concurrency": {512: 4, 2048: 16, 4096: 32},
    ...         "python_http_per_instance_concurrency": 1}
    >>> http_concurrency("node", 2048, flex), http_concurrency("python", 4096, flex)
    (16, 1)
    """
    if runtime_name == "python":
        return int(flex["python_http_per_instance_concurrency"])
    return int(flex["http_per_instance_concurrency"].get(instance_memory_mb, 1))


def _unreadable_number(key: str, value: Any, unit: str) -> tuple[str, str]:
    """(rule, what is wrong) for a setting that takes a whole number but has none: an expression is only
    not known offline (LF2009); literal text such as 'abc', a list or true is a value CloudFormation
    rejects (LF4018), and saying it is 'not a literal' would send the user looking for an intrinsic."""
    if isinstance(value, Intrinsic):
        return "LF2009", f"{key} is not a literal"
    if isinstance(value, str):
        shown = repr(str(value)) if len(value) <= 40 else repr(str(value)[:37] + "...")
    elif isinstance(value, (Obj, Arr)):
        shown = "(a mapping)" if isinstance(value, Obj) else "(a list)"
    else:
        shown = str(value).lower() if isinstance(value, bool) else str(value)
    whole = f"a whole number of {unit}" if unit else "a whole number"
    return "LF4018", f"{key} {shown} is not {whole}"


def _branches(value: Any, default: int) -> tuple[list[int], list[str]] | None:
    """The whole numbers a Fn::If (nested or not) can give, and the conditions it reads; None when a branch
    is not a literal whole number. AWS::NoValue on a side is the Lambda default."""
    if isinstance(value, If):
        true_side, false_side = _branches(value.if_true, default), _branches(value.if_false, default)
        if true_side is None or false_side is None:
            return None
        names = [value.condition, *true_side[1], *false_side[1]]
        return true_side[0] + false_side[0], list(dict.fromkeys(names))
    if isinstance(value, Ref) and value.target == "AWS::NoValue":
        return [default], []
    number = literal_int(value)
    return None if number is None else ([number], [])


class FunctionMapper:
    def __init__(self, builder: Builder, exprs: Expressions) -> None:
        self.b = builder
        self.x = exprs
        self.settings = builder.tables.settings
        self._companions_reported: set[tuple[str, tuple[str, ...]]] = set()
        self.vault = KeyVault(builder)
        self.network = Network(builder)

    def _largest_branch(self, fn: Function, key: str, unit: str, why: str) -> int | None:
        """A setting written with Fn::If whose branches are whole numbers: the largest, with LF2009 naming
        the branches (the Azure setting cannot follow the condition)."""
        default = self.settings["lambda_defaults"]["memory_mb" if key == "MemorySize" else "timeout_seconds"]
        found = _branches(fn.properties.get(key), default)
        if found is None or not isinstance(fn.properties.get(key), If):
            return None
        numbers, conditions = found
        largest = max(numbers)
        shown = " or ".join(str(n) for n in dict.fromkeys(numbers))
        self.b.finding(
            "LF2009",
            f"{key} depends on condition {', '.join(conditions)} ({shown} {unit}); {why}, so the largest, "
            f"{largest} {unit}, is used",
            fn.properties.loc_of(key),
            fn.logical_id,
        )
        return largest

    def settings_for(self, fn: Function) -> FunctionSettings:
        lid = fn.logical_id
        props = fn.properties
        runtime_value = props.get("Runtime")
        aws_runtime = str(runtime_value) if isinstance(runtime_value, str) else None
        name, version = self._runtime(fn, aws_runtime)

        memory_value = props.get("MemorySize")
        memory = (
            literal_int(memory_value)
            if memory_value is not None
            else self.settings["lambda_defaults"]["memory_mb"]
        )
        if memory is None:
            memory = self._largest_branch(fn, "MemorySize", "MB", "the Flex instance size is app-wide")
        sizes = self.settings["flex"]["instance_memory_mb"]
        if memory is None:
            instance = self.settings["flex"]["default_instance_memory_mb"]
            rule, what = _unreadable_number("MemorySize", memory_value, "MB")
            self.b.finding(
                rule, f"{what}; the app uses {instance} MB instances", props.loc_of("MemorySize"), lid
            )
        else:
            instance = instance_memory(memory, sizes)
            if memory > max(sizes):
                self.b.finding(
                    "LF2006",
                    f"MemorySize {memory} MB is above the largest Flex instance ({max(sizes)} MB)",
                    props.loc_of("MemorySize"),
                    lid,
                )
            elif memory != instance:
                self.b.finding(
                    "LF2005",
                    f"MemorySize {memory} MB runs on {instance} MB Flex instances",
                    props.loc_of("MemorySize") if "MemorySize" in props else fn.loc,
                    lid,
                )

        timeout_value = props.get("Timeout")
        timeout = (
            literal_int(timeout_value)
            if timeout_value is not None
            else self.settings["lambda_defaults"]["timeout_seconds"]
        )
        if timeout is None:
            timeout = self._largest_branch(
                fn, "Timeout", "seconds", "host.json functionTimeout is one static value for the app"
            )
        if timeout is None:
            rule, what = _unreadable_number("Timeout", timeout_value, "seconds")
            self.b.finding(
                rule, f"{what}; the app keeps the Flex default (30 minutes)", props.loc_of("Timeout"), lid
            )

        handler = props.get("Handler")
        code = props.get("CodeUri")
        if code is None and isinstance(props.get("Code"), Obj):
            code = props["Code"].get("S3Key") or props["Code"].get("ImageUri")
        if isinstance(props.get("Code"), Obj) and "ZipFile" in props["Code"]:
            self.b.finding(
                "LF2009",
                "inline code (Code.ZipFile) must be saved as a source file of the function app",
                props.loc_of("Code"),
                lid,
            )
        if "InlineCode" in props:
            self.b.finding(
                "LF2009",
                "inline code (InlineCode) must be saved as a source file of the function app",
                props.loc_of("InlineCode"),
                lid,
            )
        fs = FunctionSettings(
            fn=fn,
            aws_runtime=aws_runtime,
            runtime_name=name,
            runtime_version=version,
            memory_mb=memory,
            instance_memory_mb=instance,
            timeout_seconds=timeout,
            handler=str(handler) if isinstance(handler, str) else None,
            code_uri=str(code) if isinstance(code, str) else None,
        )
        self._report_settings(fn)
        for key, handle in self._handlers().items():
            if key in props and props[key] is not None:
                handle(fs, props[key], props.loc_of(key))
        return fs

    def _runtime(self, fn: Function, aws_runtime: str | None) -> tuple[str, str]:
        props = fn.properties
        lid = fn.logical_id
        package = props.get("PackageType")
        image = isinstance(package, str) and str(package) == "Image"
        if image or (package is None and "ImageUri" in props):
            key = "PackageType" if image else "ImageUri"
            self.b.finding(
                "LF2010",
                "a container image function cannot run on Flex Consumption (ZIP packages only); host the image "
                "on an Elastic Premium plan or Azure Container Apps",
                props.loc_of(key),
                lid,
            )
            self.b.lower_disposition(lid, Disposition.MANUAL)
            return "", ""
        if aws_runtime is None:
            self.b.finding(
                "LF2004",
                "the function has no literal Runtime; set the app's runtime name and version parameters "
                "(<app>RuntimeName, <app>RuntimeVersion) in main.parameters.json",
                props.loc_of("Runtime") if "Runtime" in props else fn.loc,
                lid,
            )
            return "", ""
        entry = self.b.tables.runtimes["runtimes"].get(aws_runtime)
        loc = props.loc_of("Runtime")
        if entry is None:
            self.b.finding("LF2002", f"Lambda runtime '{aws_runtime}' is not known", loc, lid)
            self.b.lower_disposition(lid, Disposition.MANUAL)
            return "", ""
        status = entry["status"]
        target = f"{entry['name']} {entry['version']}"
        if status == "changed":
            self.b.finding("LF2001", f"runtime {aws_runtime} becomes {target}: {entry['reason']}", loc, lid)
        elif status == "custom":
            self.b.finding(
                "LF2003", f"runtime {aws_runtime} becomes a custom handler: {entry['reason']}", loc, lid
            )
            self.b.lower_disposition(lid, Disposition.MANUAL)
        elif status == "unsupported":
            self.b.finding("LF2002", f"runtime {aws_runtime}: {entry['reason']}", loc, lid)
            self.b.lower_disposition(lid, Disposition.MANUAL)
            return "", ""
        return str(entry["name"]), str(entry["version"])

    def _report_settings(self, fn: Function) -> None:
        props = fn.properties
        lid = fn.logical_id
        table = self.settings["function_settings"]
        skip = {"InlineCode"}
        rest = sorted(k for k in props if k not in _HANDLED and k not in skip)
        for key in rest:
            spec = table.get(key, {})
            if "rule" in spec:
                # a setting whose outcome does not depend on its value: the table says what to tell
                self.b.finding(
                    spec["rule"], spec.get("note", f"{key}: {spec['target']}"), props.loc_of(key), lid
                )
            else:
                self.b.finding("LF2009", f"{key} is not translated", props.loc_of(key), lid)

    # ---- settings whose outcome depends on their value -------------------------------------------
    def _handlers(self) -> dict[str, Any]:
        return {
            "ReservedConcurrentExecutions": self._reserved,
            "ProvisionedConcurrencyConfig": self._provisioned,
            "Architectures": self._architectures,
            "EphemeralStorage": self._ephemeral,
            "Layers": self._layers,
            "FileSystemConfigs": self._file_systems,
            "VpcConfig": self._vpc,
            "Tracing": self._tracing,
            "TracingConfig": self._tracing,
            "LoggingConfig": self._logging,
        }

    def _not_literal(
        self, fs: FunctionSettings, key: str, loc: Loc | None, number: Any = None, part: str = ""
    ) -> None:
        """``key`` is not translated: its value is an expression, or (``number``: the value of ``key``, or of
        its ``part``, that should be a whole number) one that is not a number, which CloudFormation rejects."""
        rule, what = "LF2009", f"{key} is not a literal value"
        if number is not None and not isinstance(number, Intrinsic):
            rule, what = _unreadable_number(f"{key}.{part}" if part else key, number, "")
        self.b.finding(rule, f"{what}; it is not translated", loc, fs.fn.logical_id)
        fs.outcomes[key] = (Disposition.UNSUPPORTED, rule)

    def _reserved(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        lid = fs.fn.logical_id
        count = literal_int(value)
        if count is None:
            self._not_literal(fs, "ReservedConcurrentExecutions", loc, value)
            return
        if count == 0:
            fs.disabled = True
            self.b.finding(
                "LF2015",
                "ReservedConcurrentExecutions 0 throttles every invocation: the Azure function is disabled with "
                "the app setting AzureWebJobs.<function>.Disabled=true",
                loc,
                lid,
            )
            fs.outcomes["ReservedConcurrentExecutions"] = (Disposition.APPROXIMATED, "LF2015")
            return
        flex = self.settings["flex"]
        limit = 1000  # the highest maximumInstanceCount Flex accepts (§2.4)
        http = any(self._scale_group(event.kind) == "http" for event in fs.fn.events)
        if http:
            per_instance = http_concurrency(fs.runtime_name, fs.instance_memory_mb, flex)
            if count < per_instance:
                # one instance would already allow more than the cap: lower its HTTP concurrency
                fs.http_per_instance_concurrency = count
                per_instance = count
            instances = max(1, min(limit, count // per_instance))
            detail = (
                f"on Flex the concurrency is instances x per-instance concurrency: {instances} instance(s) x "
                f"{per_instance} concurrent HTTP requests each = {instances * per_instance} at most"
            )
        else:
            instances = max(1, min(limit, count))
            detail = (
                f"on Flex the concurrency is instances x per-instance concurrency: {instances} instance(s), and "
                "each runs several events at once (host.json batch and concurrency settings such as "
                f"maxConcurrentCalls); lower them to keep at most {count} executions"
            )
        fs.reserved_concurrency = count
        fs.maximum_instances = instances
        if instances < 40:
            # research/azure-target.md §6.1: current docs allow 1, older docs and stack data say 40
            detail += (
                "; older Flex documentation gives 40 as the lowest maximumInstanceCount: if the deployment "
                "rejects the value, use 40 and lower the per-instance concurrency instead"
            )
        self.b.finding(
            "LF2014",
            f"ReservedConcurrentExecutions {count}: the function runs in a function app of its own with "
            f"maximumInstanceCount {instances}; {detail}",
            loc,
            lid,
        )
        fs.outcomes["ReservedConcurrentExecutions"] = (Disposition.APPROXIMATED, "LF2014")

    def _scale_group(self, kind: str) -> str | None:
        spec = self.b.tables.triggers["triggers"].get(kind) or {}
        return spec.get("scale_group")

    def _provisioned(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        raw = value.get("ProvisionedConcurrentExecutions") if isinstance(value, Obj) else None
        count = literal_int(raw)
        if count is None:
            self._not_literal(fs, "ProvisionedConcurrencyConfig", loc, raw, "ProvisionedConcurrentExecutions")
            return
        fs.provisioned_concurrency = count
        fs.outcomes["ProvisionedConcurrencyConfig"] = (Disposition.APPROXIMATED, "LF2016")
        # the finding names the always-ready group, known once the triggers are mapped (always_ready)

    def _architectures(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        if "arm64" in listed(value):
            fs.architecture = "arm64"
            self.b.finding(
                "LF2017",
                "Architectures arm64: Flex Consumption runs on x64 Linux; rebuild native dependencies and "
                "binaries for linux-x64",
                loc,
                fs.fn.logical_id,
            )
            fs.outcomes["Architectures"] = (Disposition.APPROXIMATED, "LF2017")

    def _ephemeral(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        raw = value.get("Size") if isinstance(value, Obj) else None
        size = literal_int(raw)
        if size is None:
            self._not_literal(fs, "EphemeralStorage", loc, raw, "Size")
            return
        limit = self.settings["flex"]["temporary_storage_mb"]
        if size > limit:
            self.b.finding(
                "LF2018",
                f"EphemeralStorage {size} MB is above the {limit} MB of temporary storage a Flex instance has; "
                "keep large files in Blob Storage or an Azure Files mount",
                loc,
                fs.fn.logical_id,
            )
            fs.outcomes["EphemeralStorage"] = (Disposition.APPROXIMATED, "LF2018")

    def _layers(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        names = listed(value)
        self.b.finding(
            "LF2020",
            f"Layers {', '.join(names) or '(none)'}: Flex Consumption has no layers; add their contents to the "
            f"package of the function's app",
            loc,
            fs.fn.logical_id,
        )
        fs.outcomes["Layers"] = (Disposition.MANUAL, "LF2020")

    def _file_systems(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        items = value if isinstance(value, Arr) else [value]
        for item in items:
            path = item.get("LocalMountPath") if isinstance(item, Obj) else None
            arn = item.get("Arn") if isinstance(item, Obj) else None
            if not isinstance(path, str) or arn is None:
                self._not_literal(fs, "FileSystemConfigs", loc)
                return
            fs.file_systems.append((arn, str(path)))
        mounts = ", ".join(f"{describe(arn)} at {path}" for arn, path in fs.file_systems)
        self.b.finding(
            "LF2021",
            f"FileSystemConfigs: EFS {mounts} becomes an Azure Files SMB share mounted at the same path; copy the "
            "data into the share",
            loc,
            fs.fn.logical_id,
        )
        fs.outcomes["FileSystemConfigs"] = (Disposition.APPROXIMATED, "LF2021")

    def _vpc(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        key = vpc_key(value)
        if not key:
            return  # an empty VpcConfig: the function is not in a VPC
        fs.network, fs.vpc = key, value
        self.b.finding(
            "LF2022",
            f"VpcConfig ({key}) becomes VNet integration through a new subnet delegated to "
            "Microsoft.App/environments (register the Microsoft.App resource provider); the AWS subnets and "
            "security groups are not copied: connect the virtual network to what the function reached in the "
            "VPC and add network security groups",
            loc,
            fs.fn.logical_id,
        )
        fs.outcomes["VpcConfig"] = (Disposition.APPROXIMATED, "LF2022")

    def _tracing(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        key = "TracingConfig" if isinstance(value, Obj) else "Tracing"
        mode = value.get("Mode") if isinstance(value, Obj) else value
        if isinstance(mode, str) and str(mode) == "Active":
            self.b.finding(
                "LF2028",
                "Tracing Active: Application Insights distributed tracing is on for the app",
                loc,
                fs.fn.logical_id,
            )
            fs.outcomes[key] = (Disposition.CONVERTED, "LF2028")

    def _logging(self, fs: FunctionSettings, value: Any, loc: Loc | None) -> None:
        if not isinstance(value, Obj):
            self._not_literal(fs, "LoggingConfig", loc)
            return
        done, not_done = [], []
        level = value.get("ApplicationLogLevel")
        if isinstance(level, str) and str(level).upper() in _LOG_LEVELS:
            fs.log_level = _LOG_LEVELS[str(level).upper()]
            done.append(f"ApplicationLogLevel {level} becomes host.json logging.logLevel {fs.log_level}")
        elif level is not None:
            not_done.append("ApplicationLogLevel (not a literal level)")
        if "SystemLogLevel" in value:
            not_done.append(
                "SystemLogLevel (the host's own logs are set app-wide in host.json logging.logLevel)"
            )
        if "LogFormat" in value:
            not_done.append("LogFormat (Application Insights stores structured traces whatever the format)")
        if "LogGroup" in value:
            not_done.append("LogGroup (logs go to the Application Insights of the deployment)")
        parts = done + ([f"not translated: {', '.join(not_done)}"] if not_done else [])
        message = "; ".join(parts)
        self.b.finding("LF2023", f"LoggingConfig: {message or 'no settings'}", loc, fs.fn.logical_id)
        disposition = Disposition.CONVERTED if fs.log_level and not not_done else Disposition.APPROXIMATED
        fs.outcomes["LoggingConfig"] = (disposition, "LF2023")

    # ---- environment ----------------------------------------------------------------------------
    def _companions(self, fs: FunctionSettings, variables: Obj) -> None:
        """KEY__<part> settings for each variable that names a mapped resource (mappings/attributes.yaml)."""
        added: list[str] = []
        for key, value in variables.items():
            if str(key) not in fs.environment:
                continue  # reserved, or absent (AWS::NoValue)
            extra = self.x.companion_settings(str(key), value)
            for name, setting in extra.items():
                if name not in variables and name not in fs.environment:
                    fs.environment[name] = setting
                    added.append(name)
        # once per app and set of settings: functions sharing Globals would repeat it otherwise
        key = (fs.app, tuple(added))
        if added and key not in self._companions_reported:
            self._companions_reported.add(key)
            self.b.finding(
                "LF4017",
                "environment variables refer to mapped resources; the app also gets "
                f"{', '.join(added)} to connect with its managed identity",
                fs.fn.properties.loc_of("Environment"),
                fs.fn.logical_id,
            )

    def environment(self, fs: FunctionSettings) -> None:
        env = fs.fn.properties.get("Environment")
        if env is None:
            return
        variables = env.get("Variables") if isinstance(env, Obj) else None
        if not isinstance(variables, Obj):
            if not (isinstance(env, Obj) and not env):
                self.b.finding(
                    "LF2009",
                    "Environment is not a literal mapping of Variables; app settings are not generated from it",
                    fs.fn.properties.loc_of("Environment"),
                    fs.fn.logical_id,
                )
            return
        reserved = set(self.settings["reserved_app_settings"])
        for key, value in variables.items():
            loc = variables.loc_of(key)
            if key in reserved or key.startswith("AzureWebJobs"):
                self.b.finding(
                    "LF2011",
                    f"environment variable '{key}' is reserved on Flex Consumption and is not emitted",
                    loc,
                    fs.fn.logical_id,
                )
                continue
            embedded = (
                embedded_secret(str(key), value, self.x.graph.mappings)
                if isinstance(value, Intrinsic)
                else None
            )
            if embedded:
                # decided before rendering: a rendered Fn::Sub or Fn::FindInMap would put its text in the Bicep
                fs.environment[str(key)] = self._to_vault(fs, str(key), value, embedded, loc)
                continue
            rendered = self.x.string(value, f"{fs.fn.logical_id}.Environment.{key}", fs.fn.logical_id, loc)
            if rendered is None:
                continue
            fs.environment[str(key)] = self._secret(fs, str(key), rendered, loc)
        self._companions(fs, variables)

    def _secret(self, fs: FunctionSettings, key: str, rendered: Any, loc: Loc | None) -> Any:
        """The app setting value: a Key Vault reference when the variable holds a secret."""
        lid = fs.fn.logical_id
        if isinstance(rendered, (str, Str)):
            reason = looks_secret(key, str(rendered)) if str(rendered) else None
            if reason is None:
                return rendered
            return self._to_vault(fs, key, str(rendered), reason, loc)
        by_name = secret_name(key)
        self._secure_feeding(fs, key, rendered, by_name is not None, loc)
        secure = self._secure_params(rendered)
        if isinstance(rendered, MaybeAbsent) or not (secure or by_name):
            return rendered  # a Key Vault secret cannot be absent; its parameters are secure at least
        fs.uses_key_vault = True
        what = f"takes the secure parameter(s) {', '.join(secure)}" if secure else f"looks secret ({by_name})"
        self.b.finding(
            "LF5021",
            f"environment variable '{key}' {what}: it is stored in Key Vault and the app setting is a Key Vault "
            "reference",
            loc,
            lid,
        )
        return self.vault.reference(key, rendered, (lid,), literal=False)

    def _to_vault(self, fs: FunctionSettings, key: str, value: Any, reason: str, loc: Loc | None) -> Any:
        """A Key Vault reference whose secret takes a new @secure() parameter in place of ``value``."""
        fs.uses_key_vault = True
        self.b.finding(
            "LF5020",
            f"environment variable '{key}' looks secret ({reason}): it becomes a Key Vault secret set from a "
            "@secure() parameter, and the app setting a Key Vault reference; the value is not copied",
            loc,
            fs.fn.logical_id,
        )
        return self.vault.reference(key, value, (fs.fn.logical_id,), literal=True)

    def _secure_feeding(
        self, fs: FunctionSettings, key: str, rendered: Any, by_name: bool, loc: Loc | None
    ) -> None:
        """Make @secure() the string parameters whose value may be the secret of ``key``, without their
        Default and AllowedValues, which would be the secret in plain text (LF5022).

        Under a secret name: every parameter the value reads (any of them may hold the secret, or a part
        of it). Under any name: a template parameter whose own name or default looks secret.
        """
        for symbol in self._params_read(rendered):
            param = self.b.params[symbol]
            if param.secure or param.type != "string":
                continue  # @secure() takes strings only; a number is not a credential
            template = self.x.template_params.get(symbol)
            default = template.default if template is not None and template.has_default else None
            looks = template is not None and bool(
                secret_name(template.name) or (isinstance(default, str) and secret_value(str(default)))
            )
            if not (looks or by_name):
                continue
            self.b.params[symbol] = replace(param, secure=True, default=None, has_default=False, allowed=())
            if template is None:
                continue  # a parameter for an untranslated value: it had no default, its findings name it
            dropped = " and ".join(
                w for w, had in (("Default", param.has_default), ("AllowedValues", param.allowed)) if had
            )
            why = (
                f"feeds the secret environment variable '{key}'"
                if by_name
                else f"looks secret and feeds '{key}'"
            )
            self.b.finding(
                "LF5022",
                f"parameter '{template.name}' {why} of {fs.fn.logical_id}: it becomes a @secure() parameter"
                f"{f' without its {dropped}' if dropped else ''}; supply its value at deployment",
                template.loc or loc,
                template.name,
            )

    def _secure_params(self, value: Any) -> list[str]:
        """Names of the @secure() parameters a rendered Bicep value reads."""
        return [name for name in self._params_read(value) if self.b.params[name].secure]

    def _params_read(self, value: Any) -> list[str]:
        """Names of the parameters a rendered Bicep value reads, sorted."""
        found: set[str] = set()
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, Ident):
                if node.name in self.b.params:
                    found.add(node.name)
            elif isinstance(node, Interp):
                stack.extend(node.parts)
            elif isinstance(node, Prop):
                stack.append(node.target)
            elif isinstance(node, BExpr):
                stack.extend(v for v in vars(node).values() if isinstance(v, (BExpr, tuple, list)))
            elif isinstance(node, (tuple, list)):
                stack.extend(node)
            elif isinstance(node, dict):
                stack.extend(node.values())
        return sorted(found)


# ---- app-wide outcomes of the settings, once the triggers are known ------------------------------------
def always_ready(
    b: Builder, members: list[FunctionSettings], plans: list[FunctionPlan], maximum: int | None
) -> list[dict[str, Any]]:
    """``scaleAndConcurrency.alwaysReady`` from ProvisionedConcurrencyConfig (research/azure-target.md §2.4).

    HTTP, Event Grid blob and Durable triggers scale as a group (``http``, ``blob``, ``durable``); every
    other function scales alone (``function:<name>``). An always-ready HTTP instance serves several
    requests at once, so the count is the provisioned concurrency over the per-instance concurrency.
    """
    flex = b.tables.settings["flex"]
    cap = maximum or flex["maximum_instance_count"]
    by_id = {p.logical_id: p for p in plans}
    counts: dict[str, int] = {}
    for fs in members:
        wanted = fs.provisioned_concurrency
        plan = by_id.get(fs.fn.logical_id)
        if not wanted or plan is None:
            continue
        mine: dict[str, int] = {}
        for trigger in plan.triggers:
            if not trigger.azure_trigger:
                continue
            spec = b.tables.triggers["triggers"].get(trigger.kind) or {}
            group = spec.get("scale_group") or f"function:{trigger.function_name}"
            if group == "http":
                per_instance = fs.http_per_instance_concurrency or http_concurrency(
                    fs.runtime_name, fs.instance_memory_mb, flex
                )
                mine[group] = min(cap, -(-wanted // per_instance))
            else:
                mine[group] = min(cap, wanted)
        loc = fs.fn.properties.loc_of("ProvisionedConcurrencyConfig")
        if not mine:
            b.finding(
                "LF2016",
                f"ProvisionedConcurrencyConfig {wanted}: the function has no translated trigger, so no "
                "always-ready instances are set",
                loc,
                fs.fn.logical_id,
            )
            continue
        for group, count in mine.items():
            counts[group] = max(counts.get(group, 0), count)
        listed_groups = ", ".join(f"{g} = {n}" for g, n in sorted(mine.items()))
        b.finding(
            "LF2016",
            f"ProvisionedConcurrencyConfig {wanted} becomes always-ready instances ({listed_groups}); they are "
            "billed while idle, and one instance runs several executions at once",
            loc,
            fs.fn.logical_id,
        )
    return [{"name": group, "instanceCount": count} for group, count in sorted(counts.items())]


def file_mounts(network: Network, members: list[FunctionSettings]) -> dict[str, tuple[str, str, str]]:
    """Mount name -> (storage account symbol, share symbol, mount path) for the app's EFS file systems."""
    mounts: dict[str, tuple[str, str, str]] = {}
    seen: dict[tuple[str, str], str] = {}
    for fs in members:
        for file_system, path in fs.file_systems:
            account, share = network.share_for(file_system, (fs.fn.logical_id,))
            if (share, path) in seen:
                continue
            base = re.sub(r"[^A-Za-z0-9]+", "-", describe(file_system)).strip("-").lower() or "efs"
            name, n = base, 2
            while name in mounts:
                name = f"{base}-{n}"
                n += 1
            seen[(share, path)] = name
            mounts[name] = (account, share, path)
    return mounts


def log_levels(members: list[FunctionSettings], plans: list[FunctionPlan]) -> dict[str, str]:
    """host.json ``logging.logLevel`` per function category (``Function.<name>``) from LoggingConfig."""
    by_id = {p.logical_id: p for p in plans}
    levels: dict[str, str] = {}
    for fs in members:
        plan = by_id.get(fs.fn.logical_id)
        if fs.log_level is None or plan is None:
            continue
        names = [t.function_name for t in plan.triggers if t.azure_trigger] or [fs.fn.logical_id]
        for name in names:
            levels[f"Function.{name}"] = fs.log_level
    return dict(sorted(levels.items()))
