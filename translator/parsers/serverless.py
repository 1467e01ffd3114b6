"""Serverless Framework: read a serverless.yml (or .yaml/.json) into the ResourceGraph.

The framework compiles a service into CloudFormation; this module builds the same graph that a SAM or
CloudFormation template gives, so mapping, Bicep and the report work unchanged:

- each function under ``functions:`` becomes a ``Function`` (and a report entry) whose logical id is its
  key, with CloudFormation-named properties (``Runtime``, ``MemorySize`` ...) after provider defaults;
- each event becomes an ``Event`` with the canonical kind and the SAM-shaped properties the mapper reads
  (``serverless_events.py``);
- resources the framework would generate and that something needs (SNS topics and S3 buckets of
  events, the REST/HTTP API, the shared IAM role, layers) are added under the framework's logical ids
  (``SNSTopic<Name>``, ``S3Bucket<Name>``, ``ApiGatewayRestApi``, ``IamRoleLambdaExecution`` ...);
- ``resources.Resources``/``Outputs`` are raw CloudFormation and go through the template reader.

Variables are resolved first (``serverless_vars.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from translator.findings import Finding
from translator.graph import Function, Output, Parameter, Resource, ResourceGraph, build_edges
from translator.load import Document, InputError
from translator.parsers import cfn, references
from translator.parsers.serverless_events import EventReader, Generated, normalize_function_name
from translator.parsers.serverless_vars import MISSING, VariableResolver
from translator.parsers.template import read_outputs, read_parameters, read_resource
from translator.values import Arr, GetAtt, Intrinsic, Loc, Obj, OtherIntrinsic, Ref, Str, Sub, loc_of

FILE_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
LAMBDA_FUNCTION = "AWS::Lambda::Function"
#: framework defaults for every function (Serverless Framework docs, provider.memorySize / timeout)
DEFAULT_MEMORY_MB = 1024
DEFAULT_TIMEOUT_S = 6

#: root keys the framework itself reads and that need nothing here
_QUIET_ROOTS = frozenset(
    [
        "service",
        "frameworkVersion",
        "org",
        "app",
        "provider",
        "functions",
        "layers",
        "resources",
        "plugins",
        "custom",
        "params",
        "stages",
        "useDotenv",
        "configValidationMode",
        "deprecationNotificationMode",
        "disabledDeprecations",
        "variablesResolutionMode",
        "unresolvedVariablesNotificationMode",
        "enableLocalInstallationFallback",
    ]
)
_DEPLOYMENT_ROOTS = frozenset({"package", "build", "outputs", "console", "dashboard", "license"})
_PLUGIN_ROOTS = {
    "stepFunctions": "serverless-step-functions",
    "constructs": "serverless-lift",
    "pipes": "serverless-pipes",
    "fargate": "serverless-fargate",
    "appSync": "serverless-appsync-plugin",
}

#: provider keys read as function defaults or settings of generated resources
_PROVIDER_READ = frozenset(
    [
        "name",
        "runtime",
        "stage",
        "region",
        "memorySize",
        "timeout",
        "environment",
        "architecture",
        "layers",
        "vpc",
        "tracing",
        "tags",
        "iam",
        "iamRoleStatements",
        "iamManagedPolicies",
        "role",
        "kmsKeyArn",
        "s3",
        "ecr",
        "apiGateway",
        "httpApi",
        "websocketsApiName",
        "websocketsApiRouteSelectionExpression",
        "websocketsDescription",
        "apiName",
        "endpointType",
        "eventBridge",
        "logs",
        "logRetentionInDays",
        "logDataProtectionPolicy",
    ]
)
#: provider keys that only steer the deployment (stack, bucket, CLI): nothing to translate
_PROVIDER_DEPLOYMENT = frozenset(
    [
        "deploymentBucket",
        "deploymentPrefix",
        "deploymentMethod",
        "stackName",
        "stackTags",
        "stackParameters",
        "stackPolicy",
        "notificationArns",
        "disableRollback",
        "rollbackConfiguration",
        "profile",
        "versionFunctions",
        "lambdaHashingVersion",
        "cfnRole",
        "resolver",
        "runtimeManagement",
        "variableSyntax",
        "credentials",
    ]
)
_PROVIDER_NOT_TRANSLATED = {
    "apiKeys": "API keys",
    "usagePlan": "usage plans",
    "resourcePolicy": "the API resource policy",
    "alb": "load balancer settings",
    "cloudFront": "CloudFront cache policies",
    "domain": "the custom domain",
    "domains": "the custom domains",
    "capacityProviders": "Lambda capacity providers",
}
#: function key -> CloudFormation property, for settings copied as they are
_FUNCTION_COPY = {
    "description": "Description",
    "kmsKeyArn": "KmsKeyArn",
    "snapStart": "SnapStart",
    "recursiveLoop": "RecursiveLoop",
    "reservedConcurrency": "ReservedConcurrentExecutions",
    "durableConfig": "DurableConfig",
    "tenancy": "TenancyConfig",
    "capacityProvider": "CapacityProviderConfig",
    "runtimeManagement": "RuntimeManagementConfig",
}
_FUNCTION_QUIET = frozenset(
    [
        "handler",
        "image",
        "runtime",
        "memorySize",
        "timeout",
        "environment",
        "name",
        "architecture",
        "layers",
        "vpc",
        "tracing",
        "tags",
        "role",
        "iam",
        "events",
        "url",
        "condition",
        "dependsOn",
        "package",
        "ephemeralStorageSize",
        "provisionedConcurrency",
        "onError",
        "destinations",
        "maximumRetryAttempts",
        "maximumEventAge",
        "fileSystemConfig",
        "disableLogs",
        "logRetentionInDays",
        "logs",
        "logDataProtectionPolicy",
    ]
)

#: plugin -> (rule, what happens to it on Azure)
_PLUGINS: dict[str, tuple[str, str]] = {
    "serverless-step-functions": (
        "LF1007",
        "its state machines (stepFunctions:) are not translated; "
        "rewrite them as Durable Functions orchestrations",
    ),
    "serverless-python-requirements": (
        "LF1008",
        "requirements.txt is installed by the Azure Functions build (remote build on deployment)",
    ),
    "serverless-offline": (
        "LF1008",
        "local emulation only; run the app locally with Azure Functions Core Tools",
    ),
    "serverless-domain-manager": (
        "LF1009",
        "its custom domain is not translated; add the domain to the function app or to API Management",
    ),
    "serverless-lift": ("LF1009", "its constructs are reported one by one and are not translated"),
    "serverless-webpack": (
        "LF1008",
        "build tooling: keep the bundler in the build that produces the app package",
    ),
    "serverless-esbuild": (
        "LF1008",
        "build tooling: keep the bundler in the build that produces the app package",
    ),
    "serverless-bundle": (
        "LF1008",
        "build tooling: keep the bundler in the build that produces the app package",
    ),
    "serverless-plugin-typescript": (
        "LF1008",
        "build tooling: compile TypeScript in the build of the app package",
    ),
    "serverless-prune-plugin": ("LF1008", "Flex Consumption keeps no function versions to prune"),
    "serverless-dotenv-plugin": ("LF1008", ".env values are read at deploy time; set them as app settings"),
    "serverless-pseudo-parameters": (
        "LF1009",
        "its '#{AWS::...}' placeholders are not resolved; write them as Fn::Sub before converting",
    ),
}


def is_serverless(path: Path | str, data: Any) -> bool:
    """A serverless.yml by name, or by content: a top-level ``service`` with ``provider`` or ``functions``."""
    if Path(path).name in FILE_NAMES:
        return True
    return isinstance(data, Obj) and "service" in data and ("provider" in data or "functions" in data)


def parse_serverless(
    doc: Document,
    base_dir: Path | None = None,
    stage: str | None = None,
    region: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ResourceGraph:
    """Build the graph of one serverless.yml. ``base_dir`` is the service directory for ``${file()}``."""
    data = doc.data
    if not isinstance(data, Obj):
        raise InputError(
            "not a Serverless Framework service: the top level is not a mapping", Loc(doc.path, 1)
        )
    vars_ = VariableResolver(data, doc.path, base_dir, stage, region, env)
    _check_provider(data, vars_, doc.path)
    return _Reader(doc, data, vars_).graph()


def _check_provider(data: Obj, vars_: VariableResolver, path: str) -> None:
    """Only the AWS provider is read; any other is bad input (exit 2) naming the provider."""
    raw = data.get("provider")
    if raw is None:
        raise InputError("the service has no provider; expected 'provider: {name: aws, ...}'", Loc(path, 1))
    if isinstance(raw, Obj):
        name = vars_.resolve_at(("provider", "name"))
        loc = raw.loc_of("name") if "name" in raw else raw.loc
    else:
        name = vars_.resolve_at(("provider",))
        loc = loc_of(raw, data.loc_of("provider"))
    if name is MISSING:
        raise InputError(
            "provider.name is missing; lambda2func converts services with 'provider.name: aws'", loc
        )
    if not (isinstance(name, str) and str(name) == "aws"):
        shown = str(name) if isinstance(name, str) else type(name).__name__
        raise InputError(
            f"provider '{shown}' is not supported: "
            "lambda2func converts AWS Lambda services (provider.name: aws)",
            loc,
        )


class _Reader:
    def __init__(self, doc: Document, data: Obj, vars_: VariableResolver) -> None:
        self.doc = doc
        self.data = data
        self.vars = vars_
        self.findings: list[Finding] = list(doc.findings)
        #: (file, line) of resources whose whole body is an include that could not be read: the resolver's
        #: "it becomes a Bicep parameter" does not apply to them (no parameter stands in for a resource)
        self._unread_resources: set[tuple[str, int]] = set()
        provider = vars_.resolve_at(("provider",))
        self.provider: Obj = provider if isinstance(provider, Obj) else Obj(loc=data.loc_of("provider"))
        self.service = self._service_name()
        self.stage = vars_.stage
        self.region = vars_.region
        self.generated = Generated()

    def _section(self, key: str) -> Any:
        value = self.vars.resolve_at((key,)) if key in self.data else None
        return None if value is MISSING else value

    def _service_name(self) -> str:
        value = self._section("service")
        if isinstance(value, Obj):  # v1/v2: service: {name: ...}
            value = value.get("name")
        return str(value) if isinstance(value, str) else "service"

    # ---- the graph ------------------------------------------------------------------------------
    def graph(self) -> ResourceGraph:
        self._root_findings()
        self._provider_findings()
        raw = _merge_fragments(self._section("resources"), "resources", self.findings)
        raw_resources = self._raw_resources(raw.get("Resources"))
        function_ids = self._function_keys()
        rename = {normalize_function_name(k) + "LambdaFunction": k for k in function_ids}
        raw_resources = [_rename_resource(r, rename) for r in raw_resources]
        raw_ids = {r.logical_id for r in raw_resources}
        self._layers()
        role = self._shared_role()
        ids = raw_ids | set(function_ids) | set(self.generated.ids())
        reader = EventReader(self, ids | {"ApiGatewayRestApi", "HttpApi"}, raw_resources)
        functions, fn_resources = self._functions(function_ids, role, reader, rename)
        self.generated.drop(raw_ids)  # a raw resource with a generated id replaces the generated one
        generated = [self.generated.resources[k] for k in sorted(self.generated.resources)]
        generated, functions = self._extensions(raw.get("extensions"), generated, functions, rename)
        resources = tuple(fn_resources + generated + raw_resources)
        functions += cfn.functions(tuple(raw_resources), self.findings)
        wired = cfn.attach_wired_events(tuple(functions), resources, self.findings)
        outputs = [_rename_output(o, rename) for o in read_outputs(raw.get("Outputs"), self.findings)]
        conditions = raw.get("Conditions")
        mappings = raw.get("Mappings")
        graph = ResourceGraph(
            file=self.doc.path,
            format="serverless",
            description=(
                f"Serverless Framework service '{self.service}' (stage {self.stage}, region {self.region})"
            ),
            parameters=tuple(self._parameters(raw.get("Parameters"))),
            conditions=conditions if isinstance(conditions, Obj) else Obj(),
            mappings=mappings if isinstance(mappings, Obj) else Obj(),
            resources=resources,
            functions=tuple(sorted(wired, key=lambda f: f.logical_id)),
            outputs=tuple(outputs),
            findings=tuple(self.findings + [f for f in self.vars.findings if not self._about_unread(f)]),
            edges=build_edges(resources),
            name=self.service,
        )
        plugin_resources = any(key in self.data for key in _PLUGIN_ROOTS)
        return references.check_references(
            graph, references.serverless_generated(function_ids, plugin_resources)
        )

    def _parameters(self, section: Any) -> list[Parameter]:
        return read_parameters(section, self.findings)

    def _raw_resources(self, section: Any) -> list[Resource]:
        if section is None:
            return []
        if not isinstance(section, Obj):
            self.findings.append(
                Finding.of("LF0007", "resources.Resources must be a mapping of logical ids", loc_of(section))
            )
            return []
        result = []
        for logical_id, body in section.items():
            loc = section.loc_of(logical_id)
            if isinstance(body, OtherIntrinsic) and body.name.startswith("Serverless::"):
                # e.g. '${file(./resource/Table.yml)}' whose file did not come with the service
                self.findings.append(
                    Finding.of(
                        "LF0008",
                        f"resource '{logical_id}' is defined by '${{{body.args}}}', which is not available; "
                        "it is listed but not converted",
                        loc,
                        logical_id,
                    )
                )
                result.append(Resource(logical_id, "Unknown", Obj(), loc))
                if loc is not None:
                    self._unread_resources.add((loc.file, loc.line))
                continue
            resource = read_resource(logical_id, body, loc, self.findings)
            if resource is not None:
                result.append(resource)
        return result

    def _about_unread(self, finding: Finding) -> bool:
        loc = finding.loc
        return finding.rule == "LF0008" and loc is not None and (loc.file, loc.line) in self._unread_resources

    def _function_keys(self) -> list[str]:
        functions = self._functions_section()
        return list(functions) if functions is not None else []

    def _functions_section(self) -> Obj | None:
        """``functions:`` as one mapping (it may be a list of mappings, e.g. several ``${file()}``)."""
        if "_fns" in self.__dict__:
            return self.__dict__["_fns"]
        section = self._section("functions")
        result: Obj | None
        if section is None:
            result = None
        elif isinstance(section, Obj):
            result = section
        elif isinstance(section, Arr):
            result = _merge_fragments(section, "functions", self.findings)
        else:
            self.findings.append(
                Finding.of(
                    "LF0007",
                    "functions must be a mapping of function names (or a list of such mappings); "
                    "it is not read",
                    self.data.loc_of("functions"),
                )
            )
            result = None
        self.__dict__["_fns"] = result
        return result

    # ---- functions ------------------------------------------------------------------------------
    def _functions(
        self, keys: list[str], role: Any, reader: EventReader, rename: dict[str, str]
    ) -> tuple[list[Function], list[Resource]]:
        section = self._functions_section()
        functions: list[Function] = []
        resources: list[Resource] = []
        for key in keys:
            assert section is not None
            body = section[key]
            loc = section.loc_of(key)
            if not isinstance(body, Obj):
                self.findings.append(Finding.of("LF0007", f"function '{key}' is not a mapping", loc, key))
                body = Obj(loc=loc)
            body = _rename_tree(body, rename)
            props = self._function_properties(key, body, loc, role)
            events = reader.events(key, body, loc)
            condition = body.get("condition")
            depends = body.get("dependsOn")
            depends_on = (
                (str(depends),)
                if isinstance(depends, str)
                else tuple(str(d) for d in depends if isinstance(d, str))
                if isinstance(depends, Arr)
                else ()
            )
            cond = str(condition) if isinstance(condition, str) else None
            functions.append(Function(key, LAMBDA_FUNCTION, props, loc, tuple(events), cond))
            resources.append(Resource(key, LAMBDA_FUNCTION, props, loc, cond, depends_on))
        return functions, resources

    def _function_properties(self, key: str, body: Obj, loc: Loc | None, role: Any) -> Obj:
        p = self.provider
        items: dict[str, Any] = {}
        locs: dict[str, Loc] = {}

        def put(name: str, value: Any, where: Loc | None) -> None:
            items[name] = value
            if where is not None:
                locs[name] = where

        def pick(fn_key: str, provider_key: str | None = None) -> tuple[Any, Loc | None]:
            if fn_key in body:
                return body[fn_key], body.loc_of(fn_key)
            provider_key = provider_key or fn_key
            if provider_key in p:
                return p[provider_key], p.loc_of(provider_key)
            return None, None

        handler = body.get("handler")
        if handler is not None:
            put("Handler", handler, body.loc_of("handler"))
        if "image" in body:
            put("PackageType", Str("Image", body.loc_of("image")), body.loc_of("image"))
            put("ImageUri", body["image"], body.loc_of("image"))
        runtime, where = pick("runtime")
        if runtime is not None:
            put("Runtime", runtime, where)
        memory, where = pick("memorySize")
        put("MemorySize", DEFAULT_MEMORY_MB if memory is None else memory, where or loc)
        timeout, where = pick("timeout")
        put("Timeout", DEFAULT_TIMEOUT_S if timeout is None else timeout, where or loc)
        put("FunctionName", Str(f"{self.service}-{self.stage}-{key}", loc), body.loc_of("name"))
        if isinstance(body.get("name"), (str, Intrinsic)):
            put("FunctionName", body["name"], body.loc_of("name"))
        env = _merged(p.get("environment"), body.get("environment"))
        if env is not None:
            where = body.loc_of("environment") if "environment" in body else p.loc_of("environment")
            put("Environment", Obj({"Variables": env}, loc_of(env, where)), where)
        arch, where = pick("architecture")
        if arch is not None:
            put("Architectures", Arr([arch], where), where)
        layers, where = pick("layers")
        if layers is not None:
            put("Layers", layers, where)
        self._vpc(body, put)
        tracing, where = pick("tracing")
        tracing_mode = _tracing(
            tracing if "tracing" in body else (tracing.get("lambda") if isinstance(tracing, Obj) else None)
        )
        if tracing_mode is not None:
            put("Tracing", Str(tracing_mode, where), where)
        tags = _merged(p.get("tags"), body.get("tags"))
        if tags is not None:
            put("Tags", tags, body.loc_of("tags") if "tags" in body else p.loc_of("tags"))
        fn_role = self._function_role(key, body)
        if fn_role is not None or role is not None:
            put(
                "Role",
                fn_role if fn_role is not None else role,
                body.loc_of("role") if "role" in body else loc,
            )
        for fn_key, prop in _FUNCTION_COPY.items():
            value, where = pick(fn_key) if fn_key == "kmsKeyArn" else (body.get(fn_key), body.loc_of(fn_key))
            if value is not None:
                put(prop, value, where)
        self._extra_settings(key, body, put)
        for unknown in body:
            if unknown not in _FUNCTION_QUIET and unknown not in _FUNCTION_COPY:
                self.findings.append(
                    Finding.of(
                        "LF0011",
                        f"functions.{key}.{unknown} is not a Serverless Framework function setting "
                        "this tool reads",
                        body.loc_of(unknown),
                        key,
                    )
                )
        return Obj(items, loc, locs)

    def _vpc(self, body: Obj, put: Any) -> None:
        if "vpc" in body:
            vpc, where = body["vpc"], body.loc_of("vpc")
            if vpc is None:  # 'vpc: ~' opts the function out of the provider's VPC
                return
        else:
            vpc, where = self.provider.get("vpc"), self.provider.loc_of("vpc")
        if isinstance(vpc, Obj):
            config = {}
            if "securityGroupIds" in vpc:
                config["SecurityGroupIds"] = vpc["securityGroupIds"]
            if "subnetIds" in vpc:
                config["SubnetIds"] = vpc["subnetIds"]
            if "ipv6AllowedForDualStack" in vpc:
                config["Ipv6AllowedForDualStack"] = vpc["ipv6AllowedForDualStack"]
            put("VpcConfig", Obj(config, vpc.loc), where)
        elif vpc is not None:
            put("VpcConfig", vpc, where)

    def _extra_settings(self, key: str, body: Obj, put: Any) -> None:
        """Settings whose CloudFormation shape differs from the serverless one."""
        if "ephemeralStorageSize" in body:
            where = body.loc_of("ephemeralStorageSize")
            put("EphemeralStorage", Obj({"Size": body["ephemeralStorageSize"]}, where), where)
        if "provisionedConcurrency" in body:
            where = body.loc_of("provisionedConcurrency")
            value = body["provisionedConcurrency"]
            count = value.get("executions") if isinstance(value, Obj) else value
            put("ProvisionedConcurrencyConfig", Obj({"ProvisionedConcurrentExecutions": count}, where), where)
        if "onError" in body:
            where = body.loc_of("onError")
            put("DeadLetterConfig", Obj({"TargetArn": body["onError"]}, where), where)
        invoke = {}
        for fn_key, prop in (
            ("destinations", "DestinationConfig"),
            ("maximumRetryAttempts", "MaximumRetryAttempts"),
            ("maximumEventAge", "MaximumEventAgeInSeconds"),
        ):
            if fn_key in body:
                invoke[prop] = body[fn_key]
        if invoke:
            put("EventInvokeConfig", Obj(invoke, body.loc), body.loc)
        if "fileSystemConfig" in body:
            where = body.loc_of("fileSystemConfig")
            fs = body["fileSystemConfig"]
            if isinstance(fs, Obj):
                fs = Arr(
                    [Obj({"Arn": fs.get("arn"), "LocalMountPath": fs.get("localMountPath")}, fs.loc)], where
                )
            put("FileSystemConfigs", fs, where)
        package = body.get("package")
        if isinstance(package, Obj) and "artifact" in package:
            put("CodeUri", package["artifact"], package.loc_of("artifact"))
        for logs_key in ("disableLogs", "logRetentionInDays", "logs", "logDataProtectionPolicy"):
            if logs_key in body:
                self.findings.append(
                    Finding.of(
                        "LF0010",
                        f"functions.{key}.{logs_key}: logs go to Application Insights and Log Analytics",
                        body.loc_of(logs_key),
                        key,
                    )
                )

    def _function_role(self, key: str, body: Obj) -> Any:
        if "role" in body:
            return _role_value(body["role"], body.loc_of("role"))
        iam = body.get("iam")
        role = iam.get("role") if isinstance(iam, Obj) else None
        if isinstance(role, str):
            return _role_value(role, iam.loc_of("role"))
        if isinstance(role, Obj):
            logical_id = normalize_function_name(key) + "IamRoleLambdaExecution"
            self.generated.add(_role_resource(logical_id, role, iam.loc_of("role")))
            return GetAtt(logical_id, "Arn", loc=iam.loc_of("role"))
        return None

    def _shared_role(self) -> Any:
        """The provider role: an ARN or logical name, or the framework's IamRoleLambdaExecution."""
        p = self.provider
        if "role" in p:
            return _role_value(p["role"], p.loc_of("role"))
        iam = p.get("iam")
        role = iam.get("role") if isinstance(iam, Obj) else None
        if isinstance(role, (str, Intrinsic)):
            return _role_value(role, iam.loc_of("role"))
        statements: Any = None
        managed: Any = None
        loc = p.loc
        if isinstance(role, Obj):
            statements, managed, loc = role.get("statements"), role.get("managedPolicies"), iam.loc_of("role")
        if "iamRoleStatements" in p:  # v1/v2 spelling
            statements, loc = p["iamRoleStatements"], p.loc_of("iamRoleStatements")
        if "iamManagedPolicies" in p:
            managed = p["iamManagedPolicies"]
        if statements is None and managed is None:
            return None
        body = Obj({"statements": statements, "managedPolicies": managed}, loc)
        self.generated.add(_role_resource("IamRoleLambdaExecution", body, loc))
        return GetAtt("IamRoleLambdaExecution", "Arn", loc=loc)

    def _layers(self) -> None:
        """``layers:`` at the root: AWS::Lambda::LayerVersion resources named ``<Name>LambdaLayer``."""
        section = self._section("layers")
        if not isinstance(section, Obj):
            return
        for name, body in section.items():
            loc = section.loc_of(name)
            body = body if isinstance(body, Obj) else Obj(loc=loc)
            props: dict[str, Any] = {"LayerName": body.get("name", Str(name, loc))}
            for key, prop in (
                ("description", "Description"),
                ("compatibleRuntimes", "CompatibleRuntimes"),
                ("compatibleArchitectures", "CompatibleArchitectures"),
                ("licenseInfo", "LicenseInfo"),
                ("path", "Content"),
            ):
                if key in body:
                    props[prop] = body[key]
            logical_id = normalize_function_name(name) + "LambdaLayer"
            self.generated.add(Resource(logical_id, "AWS::Lambda::LayerVersion", Obj(props, loc), loc))

    # ---- findings about the service as a whole ---------------------------------------------------
    def _root_findings(self) -> None:
        for key in self.data:
            loc = self.data.loc_of(key)
            if key in _QUIET_ROOTS:
                continue
            if key in _DEPLOYMENT_ROOTS:
                self.findings.append(
                    Finding.of(
                        "LF0010", f"'{key}' only steers packaging and deployment; it is not translated", loc
                    )
                )
            elif key in _PLUGIN_ROOTS:
                self._plugin_root(key)
            else:
                self.findings.append(
                    Finding.of(
                        "LF0006",
                        f"top-level section '{key}' is not a Serverless Framework section this tool reads",
                        loc,
                    )
                )
        self._plugins()

    def _resolved_state_machine(self, name: str, body: Obj) -> Obj:
        """A state machine's name, id, type and events with ${...} resolved; its definition too, unless
        resolving it needs what is not there (a missing ${file()}): that says nothing about Azure, so
        the definition is then kept as written, without findings."""
        items: dict[str, Any] = {}
        for key in body:
            before = len(self.vars.findings)
            value = self.vars.resolve_at(("stepFunctions", "stateMachines", name, key))
            if key == "definition" and len(self.vars.findings) > before:
                del self.vars.findings[before:]
                value = body[key]
            items[key] = body[key] if value is MISSING else value
        return Obj(items, body.loc, {k: loc for k in body if (loc := body.loc_of(k)) is not None})

    def _plugin_root(self, key: str) -> None:
        loc = self.data.loc_of(key)
        section = self.data[key]
        plugin = _PLUGIN_ROOTS[key]
        if key == "stepFunctions":
            machines = section.get("stateMachines") if isinstance(section, Obj) else None
            names = list(machines) if isinstance(machines, Obj) else []
            for name in names or ["stepFunctions"]:
                where = machines.loc_of(name) if isinstance(machines, Obj) and name in machines else loc
                body = machines.get(name) if isinstance(machines, Obj) else None
                if isinstance(body, Obj):
                    body = self._resolved_state_machine(name, body)
                    # the plugin's state machine, as the resource it generates: LF1007 then names the
                    # functions it invokes and what starts it (mapping/state_machines.py), and waves see it
                    self.generated.add(_state_machine_resource(_state_machine_id(name, body), body, where))
                    continue
                self.findings.append(
                    Finding.of(
                        "LF1007",
                        f"state machine '{name}' ({plugin}) is not translated",
                        where,
                        name,
                    )
                )
            return
        if key == "constructs" and isinstance(section, Obj):
            for name, body in section.items():
                kind = body.get("type") if isinstance(body, Obj) else None
                self.findings.append(
                    Finding.of(
                        "LF1009",
                        f"lift construct '{name}' (type {kind if isinstance(kind, str) else 'unknown'}) "
                        "is not translated",
                        section.loc_of(name),
                        name,
                    )
                )
            return
        self.findings.append(Finding.of("LF1009", f"'{key}' ({plugin}) is not translated", loc))

    def _plugins(self) -> None:
        section = self._section("plugins")
        if isinstance(section, Obj):  # {localPath, modules: [...]}
            section = section.get("modules")
        if not isinstance(section, Arr):
            return
        for item in section:
            if not isinstance(item, str):
                continue
            name = str(item).strip()
            rule, note = _PLUGINS.get(name, ("LF1009", "what it adds to the deployment is not translated"))
            self.findings.append(Finding.of(rule, f"plugin '{name}': {note}", loc_of(item, section.loc)))

    def _provider_findings(self) -> None:
        p = self.provider
        for key in p:
            loc = p.loc_of(key)
            if key in _PROVIDER_DEPLOYMENT:
                self.findings.append(
                    Finding.of(
                        "LF0010", f"provider.{key} only steers the deployment; it is not translated", loc
                    )
                )
            elif key in _PROVIDER_NOT_TRANSLATED:
                self.findings.append(
                    Finding.of(
                        "LF0011", f"provider.{key}: {_PROVIDER_NOT_TRANSLATED[key]} are not translated", loc
                    )
                )
            elif key in ("logs", "logRetentionInDays", "logDataProtectionPolicy"):
                self.findings.append(
                    Finding.of(
                        "LF0010", f"provider.{key}: logs go to Application Insights and Log Analytics", loc
                    )
                )
            elif key in ("apiGateway", "httpApi"):
                self._api_settings(key)
            elif key not in _PROVIDER_READ:
                self.findings.append(
                    Finding.of("LF0011", f"provider.{key} is not a provider setting this tool reads", loc)
                )
        iam = p.get("iam")
        if isinstance(iam, Obj) and "deploymentRole" in iam:
            self.findings.append(
                Finding.of(
                    "LF0010",
                    "provider.iam.deploymentRole only steers the deployment",
                    iam.loc_of("deploymentRole"),
                )
            )

    def _api_settings(self, key: str) -> None:
        settings = self.provider.get(key)
        if not isinstance(settings, Obj):
            return
        quiet = {
            "shouldStartNameWithService",
            "metrics",
            "description",
            "name",
            "payload",
            "disableDefaultEndpoint",
        }
        for name in settings:
            if name not in quiet:
                self.findings.append(
                    Finding.of(
                        "LF0011",
                        f"provider.{key}.{name} is an API Gateway setting with no counterpart on the "
                        "function "
                        "app's HTTP triggers",
                        settings.loc_of(name),
                        "ApiGatewayRestApi" if key == "apiGateway" else "HttpApi",
                        "Put Azure API Management in front of the function app if you need gateway features.",
                    )
                )

    # ---- resources.extensions -------------------------------------------------------------------
    def _extensions(
        self, section: Any, generated: list[Resource], functions: list[Function], rename: dict[str, str]
    ) -> tuple[list[Resource], list[Function]]:
        """Patch generated resources (and functions, by their framework id) as the framework does."""
        if not isinstance(section, Obj):
            return generated, functions
        by_id = {r.logical_id: i for i, r in enumerate(generated)}
        fn_index = {f.logical_id: i for i, f in enumerate(functions)}
        for logical_id, patch in section.items():
            loc = section.loc_of(logical_id)
            target = rename.get(logical_id, logical_id)
            props = patch.get("Properties") if isinstance(patch, Obj) else None
            extra = [k for k in patch if k != "Properties"] if isinstance(patch, Obj) else []
            if isinstance(props, Obj) and target in by_id:
                r = generated[by_id[target]]
                generated[by_id[target]] = Resource(
                    r.logical_id,
                    r.type,
                    _merged(r.properties, props) or r.properties,
                    r.loc,
                    r.condition,
                    r.depends_on,
                )
            elif isinstance(props, Obj) and target in fn_index:
                f = functions[fn_index[target]]
                merged = _merged(f.properties, props) or f.properties
                functions[fn_index[target]] = Function(
                    f.logical_id, f.aws_type, merged, f.loc, f.events, f.condition
                )
            else:
                extra = ["the resource"]
            if extra:
                self.findings.append(
                    Finding.of(
                        "LF1010",
                        f"resources.extensions.{logical_id}: {', '.join(extra)} not applied "
                        "(only Properties of "
                        "functions and of generated topics, buckets, APIs, roles and layers are patched)",
                        loc,
                        target,
                    )
                )
        return generated, functions


# ---- helpers -------------------------------------------------------------------------------------


def _merged(base: Any, override: Any) -> Any:
    """Mapping merge (the override wins, recursively); anything else: the override if given."""
    if isinstance(base, Obj) and isinstance(override, Obj):
        items = dict(base.items())
        locs = {k: base.loc_of(k) for k in base}
        for key, value in override.items():
            items[key] = _merged(items[key], value) if key in items else value
            locs[key] = override.loc_of(key)
        return Obj(items, override.loc, {k: v for k, v in locs.items() if v is not None})
    return override if override is not None else base


def _merge_fragments(section: Any, name: str, findings: list[Finding]) -> Obj:
    """A section given as a mapping or as a list of mappings (``resources: [${file(a.yml)}, ...]``)."""
    if section is None:
        return Obj()
    if isinstance(section, Obj):
        return section
    if isinstance(section, Arr):
        merged: Obj = Obj(loc=section.loc)
        for item in section:
            if isinstance(item, Obj):
                merged = _merged(merged, item)
            else:
                findings.append(
                    Finding.of(
                        "LF0007",
                        f"an entry of '{name}' is not a mapping; it is not read",
                        loc_of(item, section.loc),
                    )
                )
        return merged
    findings.append(Finding.of("LF0007", f"'{name}' is not a mapping; it is not read", loc_of(section)))
    return Obj()


def _tracing(value: Any) -> str | None:
    if value is True or (isinstance(value, str) and str(value).lower() in ("true", "active")):
        return "Active"
    if isinstance(value, str) and str(value).lower() == "passthrough":
        return "PassThrough"
    return None


def _role_value(value: Any, loc: Loc | None) -> Any:
    """A role given as an ARN stays; a bare name is a logical id (the framework uses Fn::GetAtt Arn)."""
    if (
        isinstance(value, str)
        and not str(value).startswith("arn:")
        and re.fullmatch(r"[A-Za-z0-9]+", str(value))
    ):
        return GetAtt(str(value), "Arn", loc=loc)
    return value


def _state_machine_id(name: str, body: Obj) -> str:
    """The logical id serverless-step-functions gives a state machine: its id or name, else
    <Key>StepFunctionsStateMachine (both normalized as function names are)."""
    custom = body.get("id") or body.get("name")
    if isinstance(custom, str) and custom:
        return normalize_function_name(custom)
    return normalize_function_name(name) + "StepFunctionsStateMachine"


def _state_machine_resource(name: str, body: Obj, loc: Loc | None) -> Resource:
    """A serverless-step-functions state machine as the AWS::StepFunctions::StateMachine it generates.

    Its ``events`` are kept as SAM StateMachine ``Events`` (http -> Api, schedule -> Schedule,
    eventBridge / cloudwatchEvent -> EventBridgeRule) so they are reported like a SAM state machine's.
    """
    props: dict[str, Any] = {}
    locs: dict[str, Loc | None] = {}
    for key, prop in (("definition", "Definition"), ("type", "StateMachineType")):
        if key in body:
            props[prop], locs[prop] = body[key], body.loc_of(key)
    events = body.get("events")
    if isinstance(events, Arr):
        converted: dict[str, Any] = {}
        event_locs: dict[str, Loc | None] = {}
        for index, item in enumerate(events):
            if not isinstance(item, Obj) or len(item) != 1:
                continue
            kind, value = next(iter(item.items()))
            event = _state_machine_event(str(kind), value, item.loc_of(kind))
            converted[f"{_upper_first(str(kind))}{index + 1}"] = event
            event_locs[f"{_upper_first(str(kind))}{index + 1}"] = item.loc_of(kind)
        props["Events"] = Obj(converted, events.loc, {k: v for k, v in event_locs.items() if v})
        locs["Events"] = body.loc_of("events")
    return Resource(
        name,
        "AWS::StepFunctions::StateMachine",
        Obj(props, body.loc or loc, {k: v for k, v in locs.items() if v}),
        loc,
    )


def _state_machine_event(kind: str, value: Any, loc: Loc | None) -> Obj:
    if kind == "http":
        if isinstance(value, str) and " " in value.strip():
            method, path = value.strip().split(None, 1)
            value = Obj({"method": method, "path": path}, loc)
        props = (
            {"Path": "/" + str(value.get("path", "")).lstrip("/"), "Method": value.get("method")}
            if isinstance(value, Obj)
            else {}
        )
        return Obj({"Type": "Api", "Properties": Obj(props, loc)}, loc)
    if kind == "schedule":
        rate = value.get("rate") if isinstance(value, Obj) else value
        return Obj({"Type": "Schedule", "Properties": Obj({"Schedule": rate}, loc)}, loc)
    if kind in ("eventBridge", "cloudwatchEvent"):
        pattern = value.get("event") if isinstance(value, Obj) else None
        return Obj({"Type": "EventBridgeRule", "Properties": Obj({"Pattern": pattern}, loc)}, loc)
    return Obj({"Type": kind, "Properties": Obj(loc=loc)}, loc)


def _upper_first(key: str) -> str:
    return key[:1].upper() + key[1:]


def _role_resource(logical_id: str, role: Obj, loc: Loc | None) -> Resource:
    props: dict[str, Any] = {}
    statements = role.get("statements")
    if statements is not None:
        document = Obj({"Version": "2012-10-17", "Statement": statements}, loc)
        props["Policies"] = Arr(
            [Obj({"PolicyName": f"{logical_id}Policy", "PolicyDocument": document}, loc)], loc
        )
    if role.get("managedPolicies") is not None:
        props["ManagedPolicyArns"] = role["managedPolicies"]
    if "permissionsBoundary" in role:
        props["PermissionsBoundary"] = role["permissionsBoundary"]
    return Resource(logical_id, "AWS::IAM::Role", Obj(props, loc), loc)


def _rename_tree(value: Any, rename: dict[str, str]) -> Any:
    """References to a function by its framework id (``HelloLambdaFunction``) point at its key instead."""
    if not rename:
        return value
    if isinstance(value, Obj):
        return value.with_items({k: _rename_tree(v, rename) for k, v in value.items()})
    if isinstance(value, Arr):
        return Arr([_rename_tree(v, rename) for v in value], value.loc)
    if isinstance(value, Ref) and value.target in rename:
        return Ref(rename[value.target], loc=value.loc)
    if isinstance(value, GetAtt) and value.resource in rename:
        return GetAtt(rename[value.resource], _rename_tree(value.attribute, rename), loc=value.loc)
    if isinstance(value, Sub):
        return Sub(tuple(_rename_tree(p, rename) for p in value.parts), loc=value.loc)
    if isinstance(value, Intrinsic):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name == "loc":
                continue
            current = getattr(value, f.name)
            if isinstance(current, tuple) and not isinstance(current, Arr):
                changes[f.name] = tuple(_rename_tree(v, rename) for v in current)
            else:
                changes[f.name] = _rename_tree(current, rename)
        return dataclasses.replace(value, **changes)
    return value


def _rename_resource(r: Resource, rename: dict[str, str]) -> Resource:
    return Resource(
        r.logical_id,
        r.type,
        _rename_tree(r.properties, rename),
        r.loc,
        r.condition,
        tuple(rename.get(d, d) for d in r.depends_on),
        r.metadata,
        r.deletion_policy,
        r.ignore_globals,
    )


def _rename_output(o: Output, rename: dict[str, str]) -> Output:
    return Output(o.name, _rename_tree(o.value, rename), o.loc, o.description, o.condition)


__all__ = ["FILE_NAMES", "is_serverless", "parse_serverless"]
