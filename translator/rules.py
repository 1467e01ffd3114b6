"""The rule catalogue: every finding lambda2func can report, with a stable id.

Ids are ``LF`` plus four digits; the first digit is the stage or area:

- ``LF0xxx`` input: loading and the shape of the template
- ``LF1xxx`` resources: what a resource type maps to
- ``LF2xxx`` function settings: runtime, memory, timeout, environment
- ``LF3xxx`` triggers and events
- ``LF4xxx`` expressions: intrinsic functions, parameters, conditions, outputs
- ``LF5xxx`` identity and security
- ``LF6xxx`` live account discovery and drift (``lambda2func discover`` and inventories)

An id is never reused or renumbered; a retired rule stays here with ``retired=True`` so that
suppressions naming it keep meaning something. ``docs/rules.md`` is generated from this table
(``lambda2func rules --markdown``) and a test fails when it is stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID = re.compile(r"^LF\d{4}$")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # error | warning | info
    title: str
    description: str
    suggestion: str
    retired: bool = False


class DuplicateRuleError(ValueError):
    pass


def _catalogue(*rules: Rule) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        if not _ID.match(rule.id):
            raise ValueError(f"rule id {rule.id!r} is not shaped LFdddd")
        if rule.severity not in ("error", "warning", "info"):
            raise ValueError(f"rule {rule.id}: unknown severity {rule.severity!r}")
        if rule.id in table:
            raise DuplicateRuleError(f"rule id {rule.id} is defined twice")
        table[rule.id] = rule
    return dict(sorted(table.items()))


RULES: dict[str, Rule] = _catalogue(
    # ---- input
    Rule(
        "LF0001",
        "warning",
        "Duplicate mapping key",
        "The same key appears twice in one mapping. YAML parsers silently keep the last value, and so "
        "does this tool; the earlier value is ignored. A logical id defined twice under Resources is bad "
        "input instead (exit 2): CloudFormation rejects such a template.",
        "Remove or rename one of the duplicate keys.",
    ),
    Rule(
        "LF0002",
        "warning",
        "Unrendered template placeholder",
        "The file still contains cookiecutter or Jinja placeholders such as '{{cookiecutter.project_name}}'. "
        "They are kept as literal text in the output.",
        "Render the template (cookiecutter, sam init) and convert the rendered file.",
    ),
    Rule(
        "LF0003",
        "error",
        "Malformed intrinsic function",
        "An intrinsic function has arguments of the wrong shape (for example Fn::GetAtt without an "
        "attribute, or Fn::If without three arguments). Its value cannot be translated.",
        "Fix the intrinsic in the template; the generated Bicep takes the value as a parameter meanwhile.",
    ),
    Rule(
        "LF0004",
        "warning",
        "Unknown intrinsic function or tag",
        "A short tag or 'Fn::' function that CloudFormation does not define (or a macro's own function). "
        "Its value is taken as a Bicep parameter.",
        "Expand the macro or replace the function before converting, or set the generated parameter.",
    ),
    Rule(
        "LF0005",
        "info",
        "Template transform or macro",
        "The template declares an AWS transform other than the Serverless transform (AWS::LanguageExtensions, "
        "AWS::Include ...; a custom macro is LF0015). Constructs that only the transform defines are not expanded.",
        "Expand the transform (for example with 'sam build' or 'aws cloudformation package') and convert the result.",
    ),
    Rule(
        "LF0015",
        "warning",
        "Custom macro not expanded",
        "The template's Transform names a macro of the account (not an AWS:: transform). CloudFormation runs it at "
        "deployment and it may add, remove or rewrite any part of the template; the conversion reads the "
        "template as written, so the output may not match what is deployed.",
        "Convert the processed template of a deployed stack: aws cloudformation get-template --stack-name STACK "
        "--template-stage Processed (or, before deploying, of a change set with --change-set-name). 'sam build' "
        "does not run macros.",
    ),
    Rule(
        "LF0016",
        "warning",
        "AWS::Serverless resources without the Serverless transform",
        "The template has AWS::Serverless resources but no 'Transform: AWS::Serverless-2016-10-31'. CloudFormation "
        "does not know the AWS::Serverless types without the transform and rejects the template, so it is not "
        "what is deployed; the resources are converted as SAM resources anyway.",
        "Check that this is the template that is deployed (add the Transform if it is meant to be SAM).",
    ),
    Rule(
        "LF0006",
        "warning",
        "Unsupported top-level section or Globals key",
        "A section or a Globals key that this tool does not read; its content does not reach the output.",
        "Move the setting onto the resources it should apply to.",
    ),
    Rule(
        "LF0007",
        "warning",
        "Invalid resource definition",
        "A resource has no Type, a Type that is not a string, or Properties that are not a mapping. "
        "It is listed in the report but nothing is generated for it.",
        "Fix the resource definition.",
    ),
    Rule(
        "LF0012",
        "warning",
        "Unknown SAM property",
        "A property of an AWS::Serverless resource, of a function or state machine event, or of a Globals "
        "section that the SAM specification does not define (often a misspelling: the finding names the "
        "closest property). AWS's SAM translator rejects the template, so it cannot be deployed as it is.",
        "Fix the property name (or remove the property) in the template.",
    ),
    Rule(
        "LF0013",
        "error",
        "Invalid logical id",
        "CloudFormation logical ids (resources, parameters, conditions, outputs, mappings) must be "
        "alphanumeric (A-Z, a-z, 0-9); CloudFormation rejects the template.",
        "Rename the logical id and the references to it.",
    ),
    Rule(
        "LF0014",
        "warning",
        "SAM properties that cannot be combined",
        "An AWS::Serverless resource sets properties that SAM refuses together (DefinitionUri and "
        "DefinitionBody, VPCEndpointIds and VpcEndpointIds, CapacityProviderConfig and "
        "ProvisionedConcurrencyConfig ...), or a setting that SAM writes into the API definition (Cors, Auth, "
        "Models, Tags, DisableExecuteApiEndpoint) together with DefinitionUri instead of an inline "
        "DefinitionBody. AWS's SAM translator rejects the template.",
        "Keep one of the properties, or inline the API definition as DefinitionBody.",
    ),
    # ---- resources
    Rule(
        "LF1001",
        "warning",
        "Resource type has no Azure mapping yet",
        "No Azure counterpart is generated for this AWS resource type. It is listed in the report so that "
        "nothing is dropped silently.",
        "Create the Azure counterpart by hand, or remove the dependency during the migration.",
    ),
    Rule(
        "LF1002",
        "info",
        "IAM role replaced by a managed identity",
        "Each function app runs as one user-assigned managed identity. The IAM policies of its functions "
        "become role assignments of that identity on the mapped Azure resources (see the policy statements "
        "in the report); what cannot be translated is reported with its own rule (LF5002-LF5016).",
        "Review the role assignments the report lists for each policy statement.",
    ),
    Rule(
        "LF1003",
        "info",
        "API Gateway replaced by HTTP triggers",
        "API Gateway routes become HTTP-triggered functions on the function app's own host name. Stages, "
        "authorizers, usage plans, request validation and custom domains are not translated.",
        "Put Azure API Management in front of the function app if you need gateway features.",
    ),
    Rule(
        "LF1004",
        "info",
        "Resource folded into the function app",
        "This resource only configures something that the Azure function app or its generated resources "
        "already cover (log groups, Lambda permissions, event source mappings, versions).",
        "Nothing to do unless the resource carried settings listed in other findings.",
    ),
    Rule(
        "LF1005",
        "warning",
        "Resource property not translated",
        "A property of a mapped resource has no counterpart in the generated Azure resource.",
        "Review whether the behaviour it configured matters on Azure and configure it by hand.",
    ),
    Rule(
        "LF1006",
        "warning",
        "Nested application or stack",
        "A nested stack or serverless application is not expanded; its resources are not converted.",
        "Convert the nested template separately.",
    ),
    Rule(
        "LF1007",
        "warning",
        "Step Functions state machine",
        "Step Functions state machines have no direct Flex Consumption counterpart.",
        "Rewrite the workflow as a Durable Functions orchestration or an Azure Logic App.",
    ),
    # ---- function settings
    Rule(
        "LF2001",
        "warning",
        "Runtime version changed",
        "The Lambda runtime version is not offered on Flex Consumption; the nearest supported version is used.",
        "Test the code on the chosen runtime version before cutting over.",
    ),
    Rule(
        "LF2002",
        "error",
        "Runtime not supported on Flex Consumption",
        "The Lambda runtime has no Flex Consumption language stack.",
        "Run the code as a custom handler, or port it to a supported language.",
    ),
    Rule(
        "LF2003",
        "warning",
        "Custom handler needed",
        "The function uses an OS-only Lambda runtime (provided, go1.x) or a language Flex runs only as a "
        "custom handler. The app uses the 'custom' runtime; the bootstrap must be adapted.",
        "Build the binary for Linux x64 and describe it in host.json customHandler.description.",
    ),
    Rule(
        "LF2004",
        "warning",
        "Runtime unknown or not literal",
        "The function has no Runtime, or it is an expression, so the language stack cannot be chosen.",
        "Set the functionAppRuntime parameter or give the function a literal Runtime.",
    ),
    Rule(
        "LF2005",
        "info",
        "Memory rounded to a Flex instance size",
        "Flex Consumption instances have 512, 2048 or 4096 MB; the smallest size at least as large as the "
        "Lambda memory is used.",
        "Load-test the function; one instance serves several executions at once.",
    ),
    Rule(
        "LF2006",
        "warning",
        "Memory above the largest Flex instance",
        "The Lambda memory is above 4096 MB, the largest Flex Consumption instance size.",
        "Reduce memory use, or host the function on an Elastic Premium or Dedicated plan.",
    ),
    Rule(
        "LF2007",
        "warning",
        "HTTP function timeout above 230 seconds",
        "An HTTP-triggered function must answer within 230 seconds whatever functionTimeout says.",
        "Use the Durable Functions async HTTP pattern for long work.",
    ),
    Rule(
        "LF2008",
        "info",
        "Function timeout is app-wide",
        "host.json functionTimeout applies to every function of an app; the largest timeout of the grouped "
        "functions is used.",
        "Split functions with very different timeouts into separate apps if the limit matters.",
    ),
    Rule(
        "LF2009",
        "warning",
        "Function setting not translated",
        "A Lambda function setting has no Flex Consumption counterpart in this version of the tool. Timeout "
        "and MemorySize written with Fn::If over whole numbers use the largest branch: host.json "
        "functionTimeout and the Flex instance size are one value per app and cannot follow a condition.",
        "Review the setting and configure the equivalent behaviour by hand.",
    ),
    Rule(
        "LF2010",
        "error",
        "Container image package",
        "PackageType Image is not supported on Flex Consumption (ZIP deployment only).",
        "Host the container on Azure Container Apps or an Elastic Premium plan, or deploy as a ZIP package.",
    ),
    Rule(
        "LF2011",
        "warning",
        "Reserved app setting dropped",
        "The environment variable name is reserved or not allowed on Flex Consumption, so it is not emitted "
        "as an app setting.",
        "Rename the variable in code and template.",
    ),
    Rule(
        "LF2012",
        "info",
        "Functions grouped into one app",
        "Functions with the same runtime and instance memory share one Flex Consumption app and plan.",
        "Split them if they need independent scaling limits or deployments.",
    ),
    Rule(
        "LF2013",
        "info",
        "Environment variable differs between functions that could share an app",
        "App settings are shared by every function of an app, and two functions that could otherwise share "
        "one set the same environment variable to different values. They run in separate apps, so each "
        "reads its own value: functions are placed first-fit in template order into as few apps as keep every "
        "variable's value, and the extra app is named after its first function. A variable that one function "
        "sets and another does not is no conflict; Globals set the same value for all.",
        "Nothing to do if separate apps suit you. To keep the functions in one app, give the variables "
        "distinct names (or the same value) in the code and template.",
    ),
    Rule(
        "LF1011",
        "info",
        "Lambda layer",
        "Flex Consumption has no layers. The layer's content (libraries, binaries, shared code) has to be "
        "part of the function app's deployment package; layer permissions have nothing to translate.",
        "Add the layer's packages to the app's requirements (requirements.txt, package.json) or copy its files "
        "into the app before deploying.",
    ),
    Rule(
        "LF1012",
        "info",
        "Lambda version or alias",
        "Flex Consumption has no deployment slots, versions or aliases: an app runs one deployed package. "
        "Traffic shifting between versions (weighted aliases, CodeDeploy) is not reproduced.",
        "Deploy each stage as its own app (one azd environment per alias) and shift traffic with Azure Front "
        "Door or API Management weighted backends for blue-green releases.",
    ),
    Rule(
        "LF1013",
        "warning",
        "Asynchronous invocation settings",
        "EventInvokeConfig (retries, maximum event age, OnSuccess/OnFailure destinations) and DeadLetterConfig "
        "describe Lambda's asynchronous invocation, which Azure Functions does not have: triggers retry on "
        "their own terms (Service Bus delivery count, Event Grid retry policy and dead-lettering).",
        "Use the trigger's retry settings, an Event Grid dead-letter destination, or an output binding that "
        "sends the result or failure to the destination's Azure counterpart.",
    ),
    Rule(
        "LF1014",
        "info",
        "SAM connector",
        "A connector grants access between two resources. An invoke permission from an API, topic, rule or "
        "bucket to a function is implied by the generated trigger; the access a connector gives a function "
        "becomes role assignments of the app's identity (connector profiles in mappings/iam.yaml).",
        "Check that the app's managed identity has the roles on the destination that the connector granted.",
    ),
    Rule(
        "LF1015",
        "warning",
        "GraphQL API not translated",
        "An AppSync GraphQL API (schema, resolvers, data sources, authorizers) has no generated counterpart.",
        "Import the schema into an API Management GraphQL API with resolvers that call the function app's "
        "HTTP triggers.",
    ),
    Rule(
        "LF1016",
        "warning",
        "WebSocket API not translated",
        "An API Gateway WebSocket API keeps connections and routes messages to functions; Azure Functions has "
        "no WebSocket trigger.",
        "Use Azure Web PubSub with the Web PubSub trigger and output bindings for $connect, $disconnect and "
        "message routes.",
    ),
    Rule(
        "LF1017",
        "info",
        "Lambda capacity provider",
        "A capacity provider runs functions on managed EC2 instances. Flex Consumption chooses and scales "
        "instances itself.",
        "Set the instance memory and always-ready instances of the function app instead.",
    ),
    Rule(
        "LF1018",
        "info",
        "Name changed to follow Azure naming rules",
        "A name written in the template (BucketName, QueueName, TableName, a Kinesis stream's or an event bus's "
        "Name, TopicName, a function's logical id or key, the name in an event source's ARN) breaks the naming rules "
        "of its Azure counterpart, so "
        "the Azure resource gets another name: blob containers take 3-63 lower-case letters, digits and single "
        "hyphens; Service Bus queues and event hubs start and end with a letter or digit; Cosmos DB container "
        "ids have no '/', '\\', '#' or '?' and no trailing space; Event Grid topic names have letters, digits "
        "and hyphens only; Azure function names start with a letter, have letters, digits, '_' and '-', at most "
        "128 characters, and are not 'host'. A name the tool makes up for a resource the template leaves "
        "unnamed is not reported.",
        "Update the code, configuration and scripts that use the old name, or read the name from the app "
        "setting that carries it.",
    ),
    Rule(
        "LF1019",
        "warning",
        "More children than the Azure SKU allows",
        "A parent resource gets more children of one type than Azure allows on the SKU the tool emits, so the "
        "deployment fails: an Event Hubs Standard namespace holds 10 event hubs (one per Kinesis stream), an "
        "event hub 20 consumer groups ($Default and one per function that reads the stream), an Event Grid "
        "custom topic 500 event subscriptions. The limits are data (child_limits in mappings/azure.yaml).",
        "Move to the bigger SKU the message names, or spread the resources over several parents.",
    ),
    Rule(
        "LF1020",
        "warning",
        "Route, schedule or rule that starts a state machine",
        "An event of a Step Functions state machine (an API route, a schedule, an EventBridge rule), or an "
        "API whose routes go to a state machine rather than to a function, starts a workflow that is not "
        "translated (LF1007); nothing on Azure receives the request, the tick or the event.",
        "Add an HTTP, timer or Event Grid triggered function that starts the Durable Functions orchestration "
        "(or the trigger of the Logic App) that replaces the state machine.",
    ),
    Rule(
        "LF1021",
        "info",
        "State machine permission",
        "A policy of a Step Functions state machine. LambdaInvokePolicy lets it invoke functions: a Durable "
        "Functions orchestration calls its activity functions inside the function app, so no role assignment "
        "replaces it. Other policies are not translated.",
        "Give what replaces the state machine the access its other policies granted.",
    ),
    Rule(
        "LF2014",
        "warning",
        "Reserved concurrency becomes an app of its own",
        "Lambda reserved concurrency caps concurrent executions of one function. Flex Consumption has no "
        "per-function cap: the function gets its own app whose maximumInstanceCount bounds scale-out. On Flex "
        "the concurrency is instances x per-instance concurrency, and one instance runs several executions "
        "at once (HTTP: 4, 16 or 32 by instance memory, 1 for Python; other triggers: host.json batch and "
        "concurrency settings).",
        "Check the instance count and per-instance concurrency against the limit the downstream systems need.",
    ),
    Rule(
        "LF2015",
        "warning",
        "Function throttled to zero",
        "ReservedConcurrentExecutions 0 stops every invocation: the Lambda is disabled. The Azure function is "
        "emitted disabled with the app setting AzureWebJobs.<name>.Disabled.",
        "Remove the setting (or set it to false) when the function should run.",
    ),
    Rule(
        "LF2016",
        "info",
        "Provisioned concurrency becomes always-ready instances",
        "Provisioned concurrency keeps execution environments initialised. Flex Consumption keeps always-ready "
        "instances per scale group (http, blob, durable, or function:<name>); they are billed while idle.",
        "Review the instance count: one always-ready instance runs several executions at once.",
    ),
    Rule(
        "LF2017",
        "warning",
        "arm64 architecture",
        "Flex Consumption runs on x64 Linux only; code built for arm64 (native modules, binaries, layers) "
        "must be rebuilt.",
        "Rebuild native dependencies for linux-x64 before publishing.",
    ),
    Rule(
        "LF2018",
        "warning",
        "Ephemeral storage above the Flex limit",
        "Lambda /tmp can hold up to 10 GB; Flex Consumption gives each instance 0.8 GB of temporary storage "
        "and no persisted storage.",
        "Keep large scratch data in Blob Storage or mount an Azure Files share.",
    ),
    Rule(
        "LF2019",
        "warning",
        "SnapStart has no counterpart",
        "Flex Consumption has no snapshot-based start. Always-ready instances are the closest way to avoid "
        "cold starts.",
        "Set always-ready instances for the function's scale group if cold starts matter.",
    ),
    Rule(
        "LF2020",
        "warning",
        "Lambda layers",
        "Flex Consumption has no layers: shared code and dependencies must be part of the app's deployment "
        "package.",
        "Add the layers' contents (libraries, binaries) to the app's package or requirements.",
    ),
    Rule(
        "LF2021",
        "warning",
        "EFS file system becomes an Azure Files mount",
        "An EFS access point becomes an Azure Files SMB share mounted at the same path (Flex mounts SMB shares "
        "with the storage account key; no NFS, no POSIX user or root directory of the access point).",
        "Copy the file system's data into the share, and check file permissions and locking in code.",
    ),
    Rule(
        "LF2022",
        "warning",
        "VPC configuration becomes VNet integration",
        "The app joins a new virtual network through a subnet delegated to Microsoft.App/environments. AWS "
        "subnets and security groups have no direct counterpart: address ranges, network security groups, "
        "peering and private endpoints must be designed for Azure.",
        "Connect the virtual network to the resources the function reached inside the VPC (peering, private "
        "endpoints) and add network security groups for the security group rules.",
    ),
    Rule(
        "LF2023",
        "info",
        "Logging configuration",
        "LoggingConfig becomes host.json logging where it can: the application log level becomes "
        "logging.logLevel.Function. Logs go to Application Insights; JSON format and log groups do not apply.",
        "Query logs in Application Insights; adjust host.json logging.logLevel as needed.",
    ),
    Rule(
        "LF2024",
        "info",
        "KMS key for environment or code",
        "App settings and deployment packages are encrypted at rest by the platform with Microsoft-managed "
        "keys; a customer-managed key has no app-level setting on Flex Consumption.",
        "Keep sensitive settings in Key Vault (secrets become Key Vault references); use customer-managed keys "
        "on the Key Vault and storage account if required.",
    ),
    Rule(
        "LF2025",
        "warning",
        "Code signing has no counterpart",
        "Flex Consumption does not verify code signatures at deployment.",
        "Sign and verify packages in the CI/CD pipeline before publishing.",
    ),
    Rule(
        "LF2026",
        "info",
        "Runtime updates are managed by the platform",
        "Flex Consumption patches the language runtime itself; the version is pinned by "
        "functionAppConfig.runtime.version only.",
        "Track runtime versions in the app configuration and update them deliberately.",
    ),
    Rule(
        "LF2027",
        "warning",
        "Lambda feature with no Flex counterpart",
        "The function setting controls a Lambda-only feature (versions and aliases, recursive-loop detection, "
        "tenancy, durable functions configuration, capacity providers, ...) that has no Flex Consumption "
        "setting.",
        "Read the finding's note for the closest Azure practice and apply it by hand.",
    ),
    Rule(
        "LF2028",
        "info",
        "Tracing becomes Application Insights",
        "Active tracing becomes Application Insights distributed tracing, which the app has on by default "
        "(W3C trace context across HTTP and messaging triggers).",
        "Replace X-Ray SDK calls with OpenTelemetry or the Application Insights SDK.",
    ),
    Rule(
        "LF2029",
        "warning",
        "Asynchronous invocation settings",
        "Dead-letter queues and event invoke settings (retries, maximum event age, destinations) of a function "
        "have no Flex Consumption setting; Azure triggers retry and dead-letter on the messaging service.",
        "Use the messaging service's dead-lettering (Service Bus, poison queues) or output bindings in code.",
    ),
    Rule(
        "LF2030",
        "warning",
        "Function tag not set on the app",
        "A function's tag has a name Azure does not allow (< > % & \\ ? /, over 512 characters), a value over "
        "256 characters, or a value that differs from another function of the same app; the app gets the "
        "other tags.",
        "Rename or shorten the tag, or give functions with different tags their own apps (--app-per-function).",
    ),
    # ---- triggers
    Rule(
        "LF2031",
        "info",
        "CORS differs between functions that could share an app",
        "CORS is app-wide on Azure (siteConfig.cors), and two functions that could otherwise share an app are "
        "served by APIs or function URLs with different CORS (allowed origins, credentials). In one app each "
        "function's routes would answer the other's origins, so they run in separate apps, placed first-fit in "
        "template order like differing environment variables (LF2013); the extra app is named after its first "
        "function. Functions without HTTP events or without CORS conflict with none: their routes get the "
        "app's CORS (LF3040 says so).",
        "Nothing to do if separate apps suit you. To keep the functions in one app, give their APIs the same "
        "CORS.",
    ),
    Rule(
        "LF3001",
        "warning",
        "Event type not supported yet",
        "This event source type is not translated into an Azure trigger by this version of the tool.",
        "Add the trigger by hand; see the mapping table in the README.",
    ),
    Rule(
        "LF3002",
        "warning",
        "Event source outside the template",
        "The event source (queue, stream, table, topic) is not defined in this template, so a new Azure "
        "resource is created for it with a name you should check.",
        "Point the generated resource at the migrated source, or convert the template that owns it.",
    ),
    Rule(
        "LF3003",
        "warning",
        "Event filter or pattern not translated",
        "The event's filter, pattern or input transformation has no Azure counterpart in the generated "
        "subscription; the function receives unfiltered events.",
        "Add Event Grid advanced filters or filter in code.",
    ),
    Rule(
        "LF3004",
        "warning",
        "Schedule approximated",
        "The AWS schedule expression cannot be expressed exactly in NCRONTAB; the closest schedule is used.",
        "Check the generated timer schedule.",
    ),
    Rule(
        "LF3005",
        "error",
        "Schedule not translatable",
        "The AWS schedule expression has no NCRONTAB equivalent.",
        "Run the timer more often and decide in code whether to act.",
    ),
    Rule(
        "LF3006",
        "info",
        "Event subscription needs deployed code",
        "Event Grid validates the endpoint when a subscription is created, so the subscriptions are gated by "
        "the deployEventSubscriptions parameter.",
        "Run azd up (provision, then publish the function code), then azd env set DEPLOY_EVENT_SUBSCRIPTIONS true "
        "&& azd provision (main.parameters.json passes the variable to deployEventSubscriptions).",
    ),
    Rule(
        "LF3007",
        "warning",
        "Trigger setting not translated",
        "A setting of the event source has no counterpart in the generated trigger or host.json.",
        "Review the setting and reproduce its behaviour in code or host.json.",
    ),
    Rule(
        "LF3008",
        "info",
        "Trigger setting approximated",
        "A setting of the event source maps to an Azure setting with different semantics.",
        "Check the generated value against the behaviour you need.",
    ),
    Rule(
        "LF3009",
        "warning",
        "Disabled event source",
        "The event source is disabled in the template. The Azure trigger is generated and disabled with an "
        "AzureWebJobs.<function>.Disabled app setting. An event source that is off only under a template "
        "condition (its resource's Condition, or Enabled or State written with Fn::If or Ref) gets that "
        "setting as a Bicep expression instead, without this finding.",
        "Remove the app setting when the trigger should run.",
    ),
    Rule(
        "LF3010",
        "warning",
        "Lambda permission without a known source",
        "An AWS::Lambda::Permission lets a service invoke the function, but the invoking resource is not "
        "found in the template, so no trigger is generated for it.",
        "Add the matching Azure trigger by hand.",
    ),
    Rule(
        "LF3011",
        "warning",
        "Event source mapping for a function outside the template",
        "An AWS::Lambda::EventSourceMapping names a function that this template does not define, so no "
        "trigger is generated for it.",
        "Convert the template that defines the function, or add the trigger by hand.",
    ),
    Rule(
        "LF3012",
        "info",
        "One Azure function per event source",
        "An Azure function has exactly one trigger, so a Lambda with several event sources becomes one Azure "
        "function per event, named after the Lambda and the event.",
        "Register the same handler under each function name (the adapters do this).",
    ),
    Rule(
        "LF3013",
        "warning",
        "API authentication not translated",
        "The API event is protected (IAM, Cognito, Lambda or JWT authorizer, API key). The HTTP trigger is "
        "generated with function-key authorization so that it is not public, but the original "
        "authentication is not reproduced.",
        "Add App Service authentication (Easy Auth) or put API Management in front of the app.",
    ),
    Rule(
        "LF3014",
        "warning",
        "Schedule time zone not supported",
        "The schedule names a time zone (ScheduleExpressionTimezone). Flex Consumption has no time-zone "
        "setting (WEBSITE_TIME_ZONE and TZ are not supported), so the timer runs in UTC. For a zone with a "
        "fixed offset the finding gives the UTC hours; a zone with daylight saving time changes its UTC "
        "offset twice a year, which one NCRONTAB expression cannot follow.",
        "Shift the hours to UTC, or for a daylight-saving zone schedule both UTC hours and return early in "
        "code unless the local time (zoneinfo) is the wanted one.",
    ),
    Rule(
        "LF3015",
        "info",
        "App-wide trigger setting chosen for grouped functions",
        "host.json trigger settings (batch sizes, wait times, concurrency, start positions) apply to every "
        "function of an app. When grouped functions ask for different values the largest number (or the "
        "longest wait) is used, and for any other value the first function's; the other functions run "
        "with it. The Service Bus maxBatchWaitTime is also kept to half the shortest message lock of the "
        "queues the app's batch functions read (the extension's limit), even when a function asked for "
        "more.",
        "Run the functions in separate apps (--app-per-function) if each needs its own value.",
    ),
    Rule(
        "LF3016",
        "warning",
        "Partial batch failure reporting",
        "The event source mapping reports batch item failures (FunctionResponseTypes: "
        "ReportBatchItemFailures): Lambda retries only the records the function lists. An Azure batch "
        "trigger has no return value for that: a Service Bus function settles each message itself, an "
        "Event Hubs or Cosmos DB function checkpoints after the whole batch.",
        "Service Bus: set autoCompleteMessages to false and complete or abandon each message with "
        "ServiceBusMessageActions. Streams: handle a failed record in code (store it for replay) so the "
        "batch can be checkpointed.",
    ),
    Rule(
        "LF3017",
        "warning",
        "Stream retry behaviour differs",
        "Lambda retries a failed stream batch (MaximumRetryAttempts, MaximumRecordAgeInSeconds, "
        "BisectBatchOnFunctionError); the Event Hubs and Cosmos DB triggers move on after a failed batch "
        "unless the function has a retry policy, and they cannot split a batch. The retry count becomes "
        "the function's retry policy (binding 'retry'); the rest is reported.",
        "Add the retry policy to the function (function.json 'retry', or the retry decorator/option of "
        "your language) and keep failed records somewhere in code if they must not be lost.",
    ),
    Rule(
        "LF3018",
        "warning",
        "On-failure destination not translated",
        "The event source mapping sends records that still fail after its retries to an on-failure "
        "destination (DestinationConfig.OnFailure). Azure triggers have no such destination.",
        "Catch the failure in code and send the record to a Service Bus queue or storage (an output "
        "binding), or rely on the Service Bus dead-letter queue for queue triggers.",
    ),
    Rule(
        "LF3019",
        "warning",
        "Event source filter criteria not translated",
        "The event source mapping filters records (FilterCriteria) before invoking the function. Service "
        "Bus, Event Hubs and Cosmos DB triggers deliver every message or change.",
        "Filter in code: return early for records that do not match the patterns listed in the finding.",
    ),
    Rule(
        "LF3020",
        "info",
        "Stream parallelism per partition",
        "ParallelizationFactor lets Lambda process up to 10 batches of one shard at once. Event Hubs and "
        "the Cosmos DB change feed process one batch per partition (or lease) at a time, so the "
        "parallelism of a function is its number of partitions.",
        "Give the event hub more partitions (Kinesis shards x ParallelizationFactor, at most 32 on "
        "Standard) or use larger batches.",
    ),
    Rule(
        "LF3021",
        "info",
        "Concurrency limit is per instance",
        "ScalingConfig.MaximumConcurrency caps concurrent invocations for the whole event source. The "
        "Service Bus settings maxConcurrentCalls and maxConcurrentSessions cap them per instance, so the "
        "app can run that many times its instance count.",
        "Lower the function app's maximumInstanceCount if the total must stay under the limit.",
    ),
    Rule(
        "LF3022",
        "warning",
        "S3 event type approximated or not delivered",
        "S3 event names become Blob Storage Event Grid event types: ObjectCreated:* becomes BlobCreated "
        "(for every upload API, not only the one named), ObjectRemoved:* becomes BlobDeleted, "
        "ObjectRestore:Completed becomes BlobTierChanged. Other S3 events have no Blob Storage event.",
        "Check which upload or delete operations the function must react to (data.api of the event), and "
        "replace the S3 events that have no Blob Storage counterpart.",
    ),
    Rule(
        "LF3023",
        "info",
        "Publisher contract for Event Grid filters",
        "The SNS filter policy or EventBridge pattern became Event Grid filters on the CloudEvents fields "
        "the publisher sets: type (EventBridge detail-type), source, extension attributes (SNS message "
        "attributes, lower-cased) and data (the message body or EventBridge detail). Events published in "
        "another shape do not match.",
        "Publish CloudEvents as described in the finding, and check that Event Grid compares strings "
        "without regard to case.",
    ),
    Rule(
        "LF3024",
        "warning",
        "EventBridge input transformation not translated",
        "The rule target rewrites the event (Input, InputPath or InputTransformer). An Event Grid "
        "subscription delivers the original event.",
        "Apply the transformation at the start of the function.",
    ),
    Rule(
        "LF3025",
        "warning",
        "AWS service events have no Azure publisher",
        "The EventBridge pattern matches events that an AWS service emits (source aws.*). Nothing on Azure "
        "publishes those to the generated Event Grid topic, so the function is never triggered.",
        "Subscribe to the Azure counterpart instead: an Event Grid system topic (for example resource "
        "group or subscription events for resource changes, storage account events for aws.s3), or "
        "Azure Monitor alerts.",
    ),
    Rule(
        "LF3026",
        "info",
        "Batching window mapped to a wait time",
        "MaximumBatchingWindowInSeconds becomes the trigger's minimum batch size and maximum wait time in "
        "host.json: the function is called when the batch is full or the wait time has passed. Service "
        "Bus waits at most half the queue's message lock (lockDuration; 30 seconds for the 1-minute "
        "default, 2 minutes 30 seconds for the 5-minute maximum), or it gets lock-lost errors; Event Hubs "
        "waits at most 10 minutes; the Cosmos DB trigger has no batching window.",
        "Check the wait time; shorten it if latency matters.",
    ),
    Rule(
        "LF3027",
        "info",
        "Schedule shifted to UTC",
        "The schedule's time zone (ScheduleExpressionTimezone) has a fixed UTC offset, so the hours (and, "
        "across midnight, the weekdays) were shifted to the UTC schedule that fires at the same instants.",
        "Nothing to do; remember the timer expression is in UTC when you edit it.",
    ),
    Rule(
        "LF3028",
        "info",
        "SNS topic forwarded to a Service Bus queue",
        "An SNS subscription feeds an SQS queue (protocol sqs, or SAM SqsSubscription). The Event Grid topic "
        "forwards to the Service "
        "Bus queue through an event subscription with a Service Bus queue endpoint, delivered with the topic's "
        "system-assigned identity (Azure Service Bus Data Sender on the queue). The function then reads "
        "CloudEvents JSON from the queue instead of SNS notification envelopes.",
        "Read the event from the message body (data holds what the publisher sent).",
    ),
    Rule(
        "LF3029",
        "warning",
        "SNS to queue forwarding not generated",
        "The SNS topic cannot be forwarded to the queue: Event Grid does not deliver to session-enabled "
        "(FIFO) queues, or the topic or the queue is not part of the template.",
        "Forward the messages yourself: a Service Bus topic with a subscription that forwards to the queue "
        "(forwardTo), or publish to the queue directly.",
    ),
    Rule(
        "LF3030",
        "warning",
        "SNS event delivered through an SQS queue",
        "The SNS event has SqsSubscription: SAM subscribes an SQS queue to the topic and the function reads "
        "the queue. The function becomes a Service Bus queue trigger; the topic feeds the queue through an "
        "Event Grid subscription (LF3028) when Event Grid can deliver to it (LF3029 otherwise).",
        "See LF3028 for the message format the queue then carries, or LF3029 for forwarding by hand.",
    ),
    Rule(
        "LF3031",
        "warning",
        "Kafka trigger needs values you supply",
        "The MSK or self-managed Kafka event becomes an Apache Kafka trigger. What the template does not hold "
        "(an MSK cluster's bootstrap brokers, SASL credentials kept in Secrets Manager, certificates, network "
        "access, extra topics) is listed; generated Bicep parameters stand in for the values. MSK IAM "
        "authentication has no Kafka trigger counterpart.",
        "Set the listed parameters (credentials from Key Vault), give the app network access to the brokers, "
        "and check the consumer group and start offset.",
    ),
    Rule(
        "LF3032",
        "info",
        "API Gateway setting not translated",
        "A setting of the API (stage name, custom domain, binary media types, stage variables, usage plan, "
        "throttling, caching, access logs, request models, CORS that App Service cannot express) has no "
        "counterpart in the HTTP triggers. Routes are served at https://<app host>/<route>.",
        "Follow the advice in the message; API Management in front of the app covers usage plans, throttling, "
        "caching and validation.",
    ),
    Rule(
        "LF3033",
        "warning",
        "Duplicate HTTP route in one app",
        "Two functions of one function app serve the same route and method; the Functions host cannot route "
        "a request to both.",
        "Change one of the routes, or put the functions in separate apps (--app-per-function).",
    ),
    Rule(
        "LF3034",
        "warning",
        "API event shadowed by the API definition",
        "The API's DefinitionBody already integrates the event's path and method with another target. SAM "
        "keeps the existing integration, so the event never invokes the function and no trigger is generated "
        "for it.",
        "Remove the event or the integration in the definition, whichever is not meant.",
    ),
    Rule(
        "LF3035",
        "warning",
        "CORS credentials with any origin",
        "The API's Cors sets AllowCredentials to true while AllowOrigin is '*' or not set. SAM rejects such an "
        "AWS::Serverless::Api, and browsers refuse credentialed requests answered with a wildcard origin. "
        "The generated app allows the origins without credentials.",
        "List the origins that may send credentials in AllowOrigin (App Service CORS allowedOrigins).",
    ),
    Rule(
        "LF3036",
        "warning",
        "EventBridge rule target not translated",
        "An AWS::Events::Rule target is not a function of the template (an SNS topic, an SQS queue, a "
        "Kinesis stream, a state machine ...) and no Event Grid subscription delivers the rule's events to "
        "its Azure counterpart: AWS service events (source aws.*) and schedules have no Azure publisher, "
        "Event Grid cannot deliver to another Event Grid topic or to a session-enabled queue, and a target "
        "outside the template has no counterpart. The rule is manual, or approximated when some of its "
        "targets are translated.",
        "Follow the advice in the finding for the target's Azure counterpart.",
    ),
    Rule(
        "LF3037",
        "info",
        "EventBridge rule target routed through Event Grid",
        "An AWS::Events::Rule target that became a Service Bus queue or an event hub gets an event "
        "subscription on the Event Grid topic that stands for the rule's event bus, with the EventPattern "
        "as its filter, delivered with the topic's system-assigned identity (data sender role on the "
        "target). Consumers read CloudEvents JSON instead of EventBridge events; input transformation, "
        "retry policy and dead-letter settings of the target are not applied.",
        "Read the event from the message body: CloudEvents JSON whose data is what the publisher sent.",
    ),
    Rule(
        "LF3038",
        "error",
        "Event source setting out of range",
        "A whole-number event source setting (BatchSize, MaximumBatchingWindowInSeconds, ParallelizationFactor, "
        "MaximumRetryAttempts, MaximumRecordAgeInSeconds, TumblingWindowInSeconds, "
        "ScalingConfig.MaximumConcurrency) is outside the range Lambda accepts, so AWS rejects the template "
        "(mappings/triggers.yaml setting_ranges: BatchSize 1 to 10000, or 1 to 10 for a FIFO queue; "
        "ParallelizationFactor 1 to 10; MaximumRetryAttempts -1 to 10000 ...). The setting is left out of the "
        "Azure trigger, as if it were not set.",
        "Set a value in the range the finding names.",
    ),
    Rule(
        "LF3039",
        "warning",
        "Service Bus batch outlives its message locks",
        "The Service Bus trigger renews a message's lock only for functions that take one message at a "
        "time (host.json serviceBus.maxAutoLockRenewalDuration, which lambda2func sets to the function "
        "timeout when that is longer than its 5-minute default). The locks of a batch are not renewed: when "
        "the function's Timeout is longer than the queue's lockDuration (at most 5 minutes, 1 minute by "
        "default), messages of a batch still being processed are delivered again, where SQS kept them "
        "hidden for the whole visibility timeout.",
        "Keep a batch's processing under the lock duration (a smaller BatchSize or Timeout), or take one "
        "message at a time (BatchSize 1) so that the host renews the lock.",
    ),
    # ---- expressions
    Rule(
        "LF3040",
        "warning",
        "CORS wider on Azure than on the API",
        "App Service CORS (siteConfig.cors) has only allowed origins and credentials; the Functions host "
        "answers preflights for any method and any request header and sends no Access-Control-Expose-Headers "
        "or Access-Control-Max-Age. The API's or function URL's AllowMethods, AllowHeaders, ExposeHeaders, "
        "MaxAge (serverless: headers, maxAge, cacheControl) therefore become wider or are lost; credentials "
        "with the origin '*' are not allowed (App Service refuses supportCredentials with '*'); and a "
        "function whose HTTP events have different CORS is served with their union. The route is approximated.",
        "Check the listed differences: restrict methods and headers in the handler (or API Management's cors "
        "policy) if they matter, and list explicit origins to allow credentials.",
    ),
    Rule(
        "LF4001",
        "warning",
        "Value taken as a parameter",
        "An intrinsic function or reference could not be rendered as a Bicep expression, so its value "
        "becomes a Bicep parameter that you must set.",
        "Set the parameter in main.parameters.json.",
    ),
    Rule(
        "LF4002",
        "error",
        "Reference to an undefined name",
        "A Ref, Fn::GetAtt, Fn::Sub, DependsOn or condition name, anywhere in the template (resource "
        "properties, events, Globals, Conditions, Outputs), names a parameter, resource or condition that the "
        "template does not define (nor the SAM transform or the Serverless Framework generates). A value that "
        "uses it becomes a Bicep parameter.",
        "Fix the reference in the template.",
    ),
    Rule(
        "LF4003",
        "warning",
        "Output not translated",
        "A template output has no Azure counterpart.",
        "Add a Bicep output by hand if something consumes it.",
    ),
    Rule(
        "LF4004",
        "info",
        "Pseudo parameter approximated",
        "An AWS pseudo parameter has only an approximate Azure counterpart.",
        "Check the generated expression.",
    ),
    Rule(
        "LF4005",
        "warning",
        "Circular condition reference",
        "Conditions refer to each other in a cycle; the condition becomes a Bicep parameter.",
        "Fix the Conditions section.",
    ),
    Rule(
        "LF4006",
        "warning",
        "Function condition not applied",
        "Retired: functions with different Conditions no longer share a function app, so a function's "
        "Condition always applies to its app (LF4011).",
        "Nothing to do.",
        retired=True,
    ),
    Rule(
        "LF4007",
        "warning",
        "Availability zones approximated",
        "Fn::GetAZs becomes pickZones() for the deployment region: Azure zone numbers ('1', '2', '3') "
        "instead of AWS zone names, and an empty list in a region without availability zones.",
        "Check what the zones are used for; zonal resources need a region with availability zones.",
    ),
    Rule(
        "LF4008",
        "warning",
        "Cross-stack import taken as a parameter",
        "Fn::ImportValue reads an export of another CloudFormation stack. Azure deployments have no exports, "
        "so the value becomes a Bicep parameter.",
        "Pass the value from the other deployment's outputs, or reference the Azure resource as 'existing'.",
    ),
    Rule(
        "LF4009",
        "warning",
        "Macro or include taken as a parameter",
        "Fn::Transform runs a CloudFormation macro (AWS::Include inserts a snippet from S3) at deployment; "
        "its result is not known offline and becomes a Bicep parameter.",
        "Expand the macro or inline the snippet, then convert again.",
    ),
    Rule(
        "LF4010",
        "warning",
        "Dynamic reference taken as a parameter",
        "A {{resolve:ssm:...}}, {{resolve:ssm-secure:...}} or {{resolve:secretsmanager:...}} dynamic "
        "reference is resolved by CloudFormation at deployment. It becomes a Bicep parameter, @secure() for "
        "secure SSM parameters and Secrets Manager secrets.",
        "Supply the value at deployment; keep secrets in Key Vault and use Key Vault references.",
    ),
    Rule(
        "LF4011",
        "info",
        "Function condition applied to its app",
        "Every function of the app has the same Condition, so the function app and the resources made "
        "for it are deployed only when the condition holds.",
        "Check the condition's parameters in main.parameters.json.",
    ),
    Rule(
        "LF4012",
        "info",
        "Parameter pattern not enforced",
        "Bicep parameters have no pattern decorator, so AllowedPattern is kept in the parameter's "
        "description and not checked at deployment.",
        "Check the value against the pattern before deploying.",
    ),
    Rule(
        "LF4013",
        "warning",
        "AWS-specific parameter type",
        "The parameter holds the id of an AWS resource (a VPC, subnet, security group, key pair, hosted "
        "zone ...). It becomes a string (or array) parameter whose value must be the Azure counterpart.",
        "Supply the id of the Azure resource that replaces it.",
    ),
    Rule(
        "LF4014",
        "warning",
        "Output export not translated",
        "The output is exported for other stacks (Export). Azure deployments have no exports; the Bicep "
        "output holds the value, but nothing imports it by name.",
        "Read the deployment output, or reference the resource as 'existing' in the consuming deployment.",
    ),
    Rule(
        "LF4015",
        "error",
        "Circular reference",
        "A resource refers to itself, or resources depend on each other in a cycle (Ref, Fn::GetAtt, Fn::Sub "
        "or DependsOn); CloudFormation rejects the template. The finding names the cycle and the reference "
        "that closes it; a value that refers to its own resource becomes a Bicep parameter.",
        "Fix the reference in the template.",
    ),
    Rule(
        "LF4016",
        "info",
        "AWS partition value kept",
        "AWS::Partition and AWS::URLSuffix keep the AWS commercial values ('aws', 'amazonaws.com'): what "
        "they build (an ARN, an AWS endpoint) still addresses AWS.",
        "Replace the value if it pointed at something that moved to Azure.",
    ),
    Rule(
        "LF4017",
        "info",
        "Connection settings added",
        "An environment variable refers to a mapped resource; besides the variable, the app gets "
        "NAME__<part> settings (namespace, endpoint, container ...) that the Azure SDK needs to connect with "
        "the app's managed identity (mappings/attributes.yaml).",
        "Read the NAME__ settings in the code that used the variable.",
    ),
    Rule(
        "LF4018",
        "error",
        "Intrinsic function argument or setting of the wrong type",
        "An intrinsic function has arguments CloudFormation would reject (a non-numeric Fn::Select index, a "
        "Fn::Join delimiter that is not text, a list where a string belongs ...): the value becomes a Bicep "
        "parameter. Or a function setting that takes a whole number has a value that is not one "
        "(MemorySize: big, Timeout: abc): the setting keeps its Flex default. Or an event source setting that "
        "takes a whole number has a value that is not one (BatchSize: ten): the setting is left out of the "
        "Azure trigger, as if it were not set. Or a property of an AWS::Serverless resource or a parameter's "
        "Default has a value of a kind SAM or CloudFormation rejects (a list where a mapping or text belongs).",
        "Fix the intrinsic function or the setting in the template.",
    ),
    Rule(
        "LF4019",
        "warning",
        "Reference to a conditional resource outside its condition",
        "The value refers to a resource that has a Condition, outside Fn::If on that condition. CloudFormation "
        "fails the stack when the condition is false; the Bicep reads the reference as empty instead.",
        "Wrap the reference in Fn::If on the resource's condition, or make the referring resource conditional.",
    ),
    Rule(
        "LF4020",
        "warning",
        "Mapping keyed by AWS region",
        "Fn::FindInMap looks a mapping up by AWS::Region, which becomes the Azure location ('eastus'), but the "
        "mapping's keys are AWS region names ('us-east-1'): the lookup fails at deployment.",
        "Add the Azure location names you deploy to as keys of the mapping (the generated map variable).",
    ),
    Rule(
        "LF4021",
        "warning",
        "azd deploy fails for an app that is not deployed",
        "The function app has a Condition. azure.yaml lists it as a service, and azd deploy (also the deploy "
        "step of azd up) finds a service's app by its azd-service-name tag: when the condition is false the "
        "app does not exist and azd stops with 'unable to find a resource tagged with azd-service-name'. "
        "azure.yaml has no per-service condition, so a comment by the service says so.",
        "When the condition is false, run azd provision and then azd deploy <service> for each service that "
        "is deployed, instead of azd up or azd deploy --all; or remove the service from azure.yaml in that "
        "environment.",
    ),
    Rule(
        "LF4022",
        "warning",
        "AWS region or account id inside an AWS address",
        "AWS::Region becomes the deployment's location and AWS::AccountId the subscription id. Inside text "
        "that addresses AWS (an ARN, an amazonaws.com endpoint, or text built with AWS::Partition or "
        "AWS::URLSuffix) the result names neither an AWS nor an Azure resource.",
        "Point the value at the Azure resource that replaces the AWS one, or, if the code still calls AWS, "
        "write the AWS region and account id as parameters.",
    ),
    Rule(
        "LF4025",
        "info",
        "Output of a secret",
        "A template output reads a NoEcho parameter or one that feeds a secret. CloudFormation shows such outputs "
        "in plain text; the Bicep output is @secure(), so the deployment does not show or log it.",
        "Read the value from Key Vault or the parameter source where it is needed instead of from the output.",
    ),
    # ---- identity and security
    Rule(
        "LF5001",
        "info",
        "Secure parameter",
        "A NoEcho parameter becomes a @secure() Bicep parameter; its default value is not copied.",
        "Supply the value at deployment time, ideally from Key Vault.",
    ),
    Rule(
        "LF5002",
        "warning",
        "IAM action without an Azure counterpart",
        "A policy statement allows actions that no Azure role grants to the app identity: management actions "
        "that the Bicep performs instead, or services that have no counterpart in this translation. They are "
        "not granted; the finding lists them with what replaces them.",
        "Change the code that calls these actions, or grant the Azure role it needs by hand.",
    ),
    Rule(
        "LF5003",
        "warning",
        "IAM statement on every resource",
        "A policy statement allows actions on Resource '*' (or an ARN pattern that covers many resources). A "
        "role assignment on the resource group or subscription would be far broader than least privilege, so "
        "nothing is granted for it.",
        "Grant the listed roles on the Azure resources the code actually uses.",
    ),
    Rule(
        "LF5004",
        "warning",
        "IAM resource outside the template",
        "A policy statement names a resource that is not defined in the template (a literal ARN, a parameter, "
        "an import). There is no Azure resource to scope a role assignment to, so nothing is granted for it.",
        "Grant the listed roles on the Azure resource that replaces it.",
    ),
    Rule(
        "LF5005",
        "info",
        "Azure role broader than the IAM statement",
        "The least-privilege Azure role for the statement's actions also allows more (for example the Cosmos "
        "DB Built-in Data Contributor for a single PutItem also allows deletes). The finding says what more.",
        "Accept the broader role, or define a custom role (Cosmos DB custom role definitions, Azure custom "
        "roles) with exactly the actions needed.",
    ),
    Rule(
        "LF5006",
        "warning",
        "AWS managed policy not translated",
        "An AWS managed policy grants actions across all resources of one or more services; it has no "
        "resource-scoped Azure counterpart, so no role is granted for it.",
        "Grant Azure roles on the resources the code uses (policy templates or inline statements naming them "
        "translate automatically).",
    ),
    Rule(
        "LF5007",
        "warning",
        "Deny or Not* IAM statement not translated",
        "Azure role assignments only add permissions: a Deny statement, NotAction or NotResource cannot be "
        "expressed, so the statement is not translated and grants from other statements may be broader than "
        "the IAM policy allowed.",
        "Check that the granted roles do not allow what the statement denied; split roles or scopes if needed.",
    ),
    Rule(
        "LF5008",
        "warning",
        "IAM condition not translated",
        "A policy statement has a Condition; the role assignment is made without it, so it allows more than "
        "the statement did.",
        "Narrow the scope of the role assignment, or add an Azure ABAC condition where the service supports one.",
    ),
    Rule(
        "LF5009",
        "info",
        "Permissions boundary ignored",
        "A permissions boundary limits what an IAM role may do. The generated role assignments come from the "
        "role's policies only; Azure has no boundary for a managed identity.",
        "Check that the granted roles stay within what the boundary allowed.",
    ),
    Rule(
        "LF5010",
        "warning",
        "Execution role outside the template",
        "The function's Role is an ARN or parameter that does not designate a role in the template, so its "
        "policies are unknown and no role assignments are made from them (trigger connections still get theirs).",
        "Grant the app identity the roles its code needs on the Azure resources it uses.",
    ),
    Rule(
        "LF5011",
        "warning",
        "No Azure resource to grant on",
        "A policy statement names a template resource whose Azure counterpart is not generated by this "
        "translation (for example a secret, a parameter or a key), so the role it needs cannot be scoped.",
        "Grant the listed role on the Azure resource that replaces it once it exists.",
    ),
    Rule(
        "LF5012",
        "warning",
        "Functions share one identity",
        "Functions grouped into one function app share its managed identity, so each of them gets the union "
        "of the role assignments of all of them, more than its own IAM role allowed.",
        "Use --app-per-function (or split the app) where a function must not get the others' permissions.",
    ),
    Rule(
        "LF5013",
        "info",
        "IAM role or policy not used by a function",
        "The role or policy is not the execution role of any function (for example a role for API Gateway, "
        "Step Functions or a scheduler). Its statements are not translated; the Azure services that replace "
        "those callers use their own identities.",
        "Grant the replacing services' identities the roles they need, if any.",
    ),
    Rule(
        "LF5014",
        "warning",
        "IAM policy not readable",
        "A policy, statement, action or resource is an expression that cannot be resolved offline (Fn::If, "
        "Fn::ImportValue, a parameter holding a document) or is not shaped as IAM expects, so it is not "
        "translated.",
        "Write the policy literally in the template, or grant the roles by hand.",
    ),
    Rule(
        "LF5015",
        "warning",
        "Unknown SAM policy template",
        "The function's Policies names a SAM policy template this tool does not know, or leaves out one of its "
        "parameters, so its permissions are not translated.",
        "Check the template name against the SAM policy template list, or write the statement inline.",
    ),
    Rule(
        "LF5016",
        "info",
        "IAM action replaced by another Azure mechanism",
        "An allowed action has no role of its own on Azure because the Azure service works differently (no "
        "per-blob ACLs, lifecycle rules set in the Bicep, listing needing a wider scope). It is not granted.",
        "Check whether the code depends on the action; the finding says what replaces it.",
    ),
    Rule(
        "LF5020",
        "warning",
        "Secret environment variable moved to Key Vault",
        "An environment variable whose name or value looks secret (password, token, key, webhook URL, connection "
        "string (also with an empty user: redis://:password@), a Slack, Discord or Teams webhook URL, a URL with "
        "sig=, X-Amz-Signature=, token=, access_token=, key=, code= or client_secret= in its query or a random "
        "segment in its path, a pw=, pwd=, password=, passwd=, secret=, token=, apikey=, api_key=, AccountKey= or SharedAccessKey= "
        "anywhere in the text with a value that is not empty or a ${...} placeholder, "
        "AWS access key, long random string), or whose Fn::Sub, Fn::Join or Fn::If holds such literal text (under "
        "a secret name: any literal word, or a Fn::FindInMap) or whose Fn::FindInMap reads a Mappings column with "
        "such a value, becomes a Key Vault secret. Its value is a "
        "@secure() parameter and the app setting is a Key Vault reference; the value is not written to any output.",
        "Supply the secret's parameter at deployment (azd prompts for it), then rotate the secret.",
    ),
    Rule(
        "LF5021",
        "info",
        "Secure value referenced through Key Vault",
        "An environment variable takes its value from a secure parameter (NoEcho, SSM SecureString, Secrets "
        "Manager, a parameter made secure by LF5022), or its name looks secret and its value is an expression "
        "(another resource's attribute, Fn::ImportValue, Fn::If of parameters ...); it is stored as a Key Vault "
        "secret and the app setting is a Key Vault reference.",
        "Supply the secure parameter at deployment.",
    ),
    Rule(
        "LF5022",
        "warning",
        "Parameter made secure because it feeds a secret",
        "A template parameter without NoEcho feeds an environment variable whose name looks secret, or its own "
        "name or default looks secret and it feeds an environment variable, or its default looks secret (the "
        "LF5020 value tests) whatever reads it. It becomes a @secure() parameter, and its Default and AllowedValues are "
        "not written to the Bicep or main.parameters.json, so that the secret appears in no output.",
        "Supply the parameter at deployment (azd prompts for it), and mark it NoEcho in the template.",
    ),
    Rule(
        "LF5023",
        "warning",
        "Secret literal in an output, tag or mapping not copied",
        "A template output, a function tag or a Mappings value whose literal value (or literal text inside its Fn::Sub, "
        "Fn::Join or Fn::If) looks like a credential (the LF5020 value tests: a connection string with a "
        "password, a webhook URL, a token, an access key, a long random string ...). The value is not written "
        "to the Bicep: an output's value becomes a @secure() parameter without a default and the output a "
        "@secure() output of that parameter; the tag is not set on the app; the mapping value, in the map variable "
        "the Bicep writes for a Fn::FindInMap with computed keys, becomes a @secure() parameter.",
        "Supply the parameter at deployment, or better remove the credential from the template's outputs and "
        "rotate it.",
    ),
    # ---- live account discovery and drift (LF6001-LF6019)
    Rule(
        "LF6001",
        "warning",
        "Discovery gap",
        "A call made while discovering the live account was denied, throttled past its retries, or is not "
        "supported by the endpoint. The fact it reads (a resource policy, a function URL, tags, metrics ...) "
        "is unknown in the inventory, so triggers or settings that depend on it may be missing.",
        "Grant the read-only permission named in the message (for example lambda:GetPolicy) and run "
        "'lambda2func discover' again.",
    ),
    Rule(
        "LF6002",
        "info",
        "Environment value not discovered",
        "The inventory holds the environment variable's name but not its value (values are read only with "
        "--include-env-values, and values that look secret are always redacted). The value becomes a Bicep "
        "parameter, @secure() when it looks secret.",
        "Set the parameter in main.parameters.json, from Key Vault for secrets.",
    ),
    Rule(
        "LF6003",
        "warning",
        "Live function differs from its template",
        "With --stack, a setting of the live function (memory, timeout, runtime, handler, environment "
        "variable names, architectures, layers, reserved concurrency ...) differs from the stack's template: "
        "the function drifted. The conversion uses the live value.",
        "Decide which value is right, fix the template or the function, and convert again.",
    ),
    Rule(
        "LF6004",
        "warning",
        "Stack and live functions do not match",
        "With --stack, a function of the template is not running in the account, or a function that the "
        "stack owns (by its aws:cloudformation tags) is not in the template.",
        "Check whether the stack was deployed from this template; redeploy or update the template.",
    ),
    Rule(
        "LF6005",
        "warning",
        "Provisioned concurrency not translated",
        "A live alias or version has provisioned concurrency. Flex Consumption keeps instances warm with "
        "always-ready instances, which this version does not generate from it.",
        "Set alwaysReady in functionAppConfig.scaleAndConcurrency for the app's triggers if cold starts matter.",
    ),
    Rule(
        "LF6006",
        "info",
        "Live usage",
        "CloudWatch usage of the function over the discovery window (invocations, errors, throttles, p95 "
        "duration, peak concurrent executions), which the migration guidance asks to weigh when sizing "
        "instances and choosing the cut-over order.",
        "Compare peak concurrency with the app's maximumInstanceCount and per-instance concurrency.",
    ),
    Rule(
        "LF6007",
        "warning",
        "Live resource policy statement not translated",
        "A statement of the function's resource policy lets a principal invoke the function, but it names no "
        "service whose trigger is known (another account, a computed principal, a service this version does "
        "not map), so no trigger is made from it.",
        "Give the caller access to the Azure function another way (an HTTP trigger with keys, Event Grid).",
    ),
    # ---- Serverless Framework input (serverless.yml)
    Rule(
        "LF0008",
        "warning",
        "Serverless variable not known offline",
        "A serverless.yml variable reads a source whose value exists only at deploy time (${ssm:}, ${cf:}, "
        "${s3:}, a plugin or resolver source, an unset ${env:}, a ${param:} the file does not define, a file "
        "that is not beside the service). Its value becomes a Bicep parameter. An unread ${env:X, 'text'} "
        "becomes a parameter whose default is the fallback (none when it looks secret); with a number or "
        "true/false fallback the fallback is used as the value.",
        "Set the generated parameter in main.parameters.json, ideally from Key Vault for secrets.",
    ),
    Rule(
        "LF0009",
        "warning",
        "Serverless variable without a value",
        "A serverless.yml variable points at nothing (a missing ${self:} path with no fallback), is not "
        "closed, or gives a list or mapping where a string is needed. Its value becomes a Bicep parameter.",
        "Fix the variable or give it a fallback (${self:custom.x, 'default'}).",
    ),
    Rule(
        "LF0010",
        "info",
        "Deployment-only Serverless setting",
        "A serverless.yml setting that only steers packaging or the CloudFormation deployment (deployment "
        "bucket, stack name and tags, package patterns, log retention) has nothing to translate.",
        "Configure the equivalent in your Azure deployment pipeline if you need it.",
    ),
    Rule(
        "LF0011",
        "warning",
        "Serverless setting not translated",
        "A provider or function setting of serverless.yml has no counterpart in the generated resources, or "
        "is not a setting the framework defines (for example a wrong-case key such as provider.Runtime).",
        "Review the setting and configure the equivalent behaviour by hand.",
    ),
    Rule(
        "LF1008",
        "info",
        "Serverless plugin not needed on Azure",
        "A Serverless Framework plugin that builds, bundles or emulates the service locally; the Azure "
        "Functions build and Core Tools take its place.",
        "Keep the build step in CI; run the app locally with 'func start'.",
    ),
    Rule(
        "LF1009",
        "warning",
        "Serverless plugin or construct not translated",
        "A Serverless Framework plugin (or a lift construct) adds resources or behaviour that this tool does "
        "not translate, such as custom domains or plugin-defined infrastructure.",
        "Recreate what the plugin configures with Azure resources by hand.",
    ),
    Rule(
        "LF1010",
        "warning",
        "resources.extensions not applied",
        "resources.extensions patches a resource the framework generates. Only the Properties of functions "
        "and of the generated topics, buckets, APIs, roles and layers are patched; other patches are not "
        "applied.",
        "Move the setting into the function or resource definition.",
    ),
)


def rules_markdown() -> str:
    """docs/rules.md, generated from the catalogue."""
    lines = [
        "# lambda2func rules",
        "",
        "Generated by `lambda2func rules --markdown` from `translator/rules.py`; do not edit by hand.",
        "",
        "| Id | Severity | Title |",
        "|---|---|---|",
    ]
    for rule in RULES.values():
        lines.append(f"| [{rule.id}](#{rule.id.lower()}) | {rule.severity} | {rule.title} |")
    for rule in RULES.values():
        lines += [
            "",
            f"## {rule.id}",
            "",
            f"**{rule.title}** ({rule.severity}{', retired' if rule.retired else ''})",
            "",
            rule.description,
            "",
            f"Suggestion: {rule.suggestion}",
        ]
    return "\n".join(lines) + "\n"
