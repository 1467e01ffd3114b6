"""Function settings: runtime, memory, timeout, environment, and grouping functions into Flex apps.

Flex Consumption allows one function app per plan, and settings such as the runtime stack, instance
memory and functionTimeout are app-wide, so functions that agree on them share an app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.findings import Disposition
from translator.graph import Function
from translator.mapping.context import Builder
from translator.mapping.expressions import Expressions
from translator.values import Arr, Obj, literal_int

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
    }
)


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


class FunctionMapper:
    def __init__(self, builder: Builder, exprs: Expressions) -> None:
        self.b = builder
        self.x = exprs
        self.settings = builder.tables.settings
        self._companions_reported: set[tuple[str, tuple[str, ...]]] = set()

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
        sizes = self.settings["flex"]["instance_memory_mb"]
        if memory is None:
            instance = self.settings["flex"]["default_instance_memory_mb"]
            self.b.finding(
                "LF2009",
                f"MemorySize is not a literal; the app uses {instance} MB instances",
                props.loc_of("MemorySize"),
                lid,
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
            self.b.finding(
                "LF2009",
                "Timeout is not a literal; the app keeps the Flex default (30 minutes)",
                props.loc_of("Timeout"),
                lid,
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
        self._report_settings(fn)
        return FunctionSettings(
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

    def _runtime(self, fn: Function, aws_runtime: str | None) -> tuple[str, str]:
        props = fn.properties
        lid = fn.logical_id
        package = props.get("PackageType")
        if isinstance(package, str) and str(package) == "Image":
            self.b.finding(
                "LF2010", "PackageType Image cannot run on Flex Consumption", props.loc_of("PackageType"), lid
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
        arch = props.get("Architectures")
        if isinstance(arch, Arr) and any(str(a) == "arm64" for a in arch if isinstance(a, str)):
            self.b.finding(
                "LF2009",
                "Architectures arm64: Flex Consumption runs on x64; rebuild native dependencies for x64",
                props.loc_of("Architectures"),
                lid,
            )
        skip = {"InlineCode"}
        rest = sorted(k for k in props if k not in _HANDLED and k not in skip)
        for key in rest:
            self.b.finding("LF2009", f"{key} is not translated", props.loc_of(key), lid)

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
            rendered = self.x.string(value, f"{fs.fn.logical_id}.Environment.{key}", fs.fn.logical_id, loc)
            if rendered is None:
                continue
            fs.environment[str(key)] = rendered
        self._companions(fs, variables)
