"""Read a loaded CloudFormation or SAM document into a ResourceGraph.

This module reads the sections every template shares (Parameters, Conditions, Mappings, Resources,
Outputs, Transform); ``sam.py`` merges Globals and expands serverless functions and their events;
``cfn.py`` reads plain Lambda functions and the resources that wire events to them.
"""

from __future__ import annotations

import re
from typing import Any

from translator.findings import Finding
from translator.graph import Output, Parameter, Resource, ResourceGraph, build_edges
from translator.load import Document, InputError
from translator.parsers import cfn, connectors, references, sam, sam_spec
from translator.values import Arr, Loc, Obj, loc_of

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
_KNOWN_SECTIONS = {
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Globals",
    "Hooks",
}


def parse_document(doc: Document) -> ResourceGraph:
    """Build the graph of one template. Raises InputError when the document is not a template."""
    data = doc.data
    top = Loc(doc.path, 1)
    if not isinstance(data, Obj):
        raise InputError("not a CloudFormation or SAM template: the top level is not a mapping", top)
    if "Resources" not in data:
        hint = ""
        if "service" in data and ("provider" in data or "functions" in data):
            hint = " (this looks like a Serverless Framework serverless.yml: read it with parsers.serverless)"
        raise InputError(f"not a CloudFormation or SAM template: there is no Resources section{hint}", top)
    resources_obj = data["Resources"]
    if not isinstance(resources_obj, Obj):
        raise InputError("Resources must be a mapping of logical ids to resources", data.loc_of("Resources"))

    findings: list[Finding] = list(doc.findings)
    for finding in doc.findings:
        # CloudFormation rejects a template that defines a logical id twice: one resource would vanish
        if finding.rule == "LF0001" and any(resources_obj.loc_of(k) == finding.loc for k in resources_obj):
            where = finding.message.removesuffix("; the later value is used")
            raise InputError(
                f"a resource is defined twice: {where}; CloudFormation rejects such a template, so nothing is "
                "converted",
                finding.loc,
            )
    transforms = _transforms(data.get("Transform"))
    for name in transforms:
        if name != SAM_TRANSFORM and not name.startswith("AWS::"):
            findings.append(
                Finding.of(
                    "LF0015",
                    f"transform '{name}' is a macro that CloudFormation runs at deployment and that may rewrite "
                    "the whole template; it is not expanded, so the output may not match what is deployed. "
                    "Convert the processed template of a deployed stack instead (aws cloudformation "
                    "get-template --stack-name STACK --template-stage Processed)",
                    data.loc_of("Transform"),
                )
            )
        elif name != SAM_TRANSFORM:
            findings.append(
                Finding.of("LF0005", f"transform '{name}' is not expanded", data.loc_of("Transform"))
            )
    for key in data:
        if key not in _KNOWN_SECTIONS:
            findings.append(Finding.of("LF0006", f"top-level section '{key}' is not read", data.loc_of(key)))

    findings += _invalid_logical_ids(data)
    resources: list[Resource] = []
    for logical_id, body in resources_obj.items():
        loc = resources_obj.loc_of(logical_id)
        if logical_id.startswith("Fn::ForEach::"):
            findings.append(
                Finding.of(
                    "LF0005",
                    f"'{logical_id}' needs the AWS::LanguageExtensions transform to expand; its resources "
                    "are not converted",
                    loc,
                    logical_id,
                )
            )
            continue
        resource = read_resource(logical_id, body, loc, findings)
        if resource is not None:
            resources.append(resource)

    is_sam = SAM_TRANSFORM in transforms or any(r.type.startswith("AWS::Serverless::") for r in resources)
    if SAM_TRANSFORM not in transforms:
        findings += _sam_without_transform(resources)
    parameters = read_parameters(data.get("Parameters"), findings)
    conditions = data.get("Conditions") if isinstance(data.get("Conditions"), Obj) else Obj()
    mappings = data.get("Mappings") if isinstance(data.get("Mappings"), Obj) else Obj()

    functions = []
    if is_sam:
        globals_ = data.get("Globals")
        sam_spec.check(tuple(resources), globals_, findings)
        functions += sam.functions(tuple(resources), globals_, findings)
    functions += cfn.functions(tuple(resources), findings)
    # a SAM Connector that lets an API (or topic, rule, bucket) invoke a function stands for a Permission
    granted = connectors.invoke_permissions(tuple(resources)) if is_sam else ()
    functions = cfn.attach_wired_events(tuple(functions), tuple(resources), findings, granted)

    description = data.get("Description")
    graph = ResourceGraph(
        file=doc.path,
        format="sam" if is_sam else "cloudformation",
        description=str(description).strip() if isinstance(description, str) else None,
        parameters=tuple(parameters),
        conditions=conditions,
        mappings=mappings,
        resources=tuple(resources),
        functions=tuple(sorted(functions, key=lambda f: f.logical_id)),
        outputs=tuple(read_outputs(data.get("Outputs"), findings)),
        findings=tuple(findings),
        transforms=tuple(transforms),
        edges=build_edges(tuple(resources)),
        sam_globals=data.get("Globals") if is_sam and isinstance(data.get("Globals"), Obj) else None,
    )
    if any(name != SAM_TRANSFORM for name in transforms) or any(k.startswith("Fn::") for k in resources_obj):
        return graph  # a macro or Fn::ForEach adds names that only exist once AWS expands it
    return references.check_references(
        graph, references.sam_generated(graph) if is_sam else references.nothing_generated
    )


_LOGICAL_ID = re.compile(r"^[A-Za-z0-9]+$")
_NAMED_SECTIONS = {
    "Parameters": "parameter",
    "Mappings": "mapping",
    "Conditions": "condition",
    "Resources": "resource",
    "Outputs": "output",
}


def _invalid_logical_ids(data: Obj) -> list[Finding]:
    """LF0013 for each name of a template section that is not alphanumeric (CloudFormation's rule)."""
    findings = []
    for section, what in _NAMED_SECTIONS.items():
        names = data.get(section)
        if not isinstance(names, Obj):
            continue
        for name in names:
            if not _LOGICAL_ID.match(name) and not name.startswith("Fn::ForEach::"):
                findings.append(
                    Finding.of(
                        "LF0013",
                        f"{what} logical id '{name}' is not alphanumeric (A-Z, a-z, 0-9); CloudFormation "
                        "rejects the template",
                        names.loc_of(name),
                        name if section == "Resources" else None,
                    )
                )
    return findings


def _sam_without_transform(resources: list[Resource]) -> list[Finding]:
    """LF0016 at the first AWS::Serverless resource of a template that does not declare the SAM transform:
    CloudFormation does not know the AWS::Serverless types without it and rejects the template."""
    for resource in resources:
        if resource.type.startswith("AWS::Serverless::"):
            return [
                Finding.of(
                    "LF0016",
                    f"the template has AWS::Serverless resources ({resource.type} '{resource.logical_id}' is the "
                    f"first) but no 'Transform: {SAM_TRANSFORM}'; CloudFormation rejects it. The resources are "
                    "converted as SAM resources",
                    resource.loc,
                    resource.logical_id,
                )
            ]
    return []


def _transforms(value: Any) -> list[str]:
    # Transform may be a string, a list of strings, or (rarely) a mapping with Name for a macro
    if value is None:
        return []
    items = value if isinstance(value, Arr) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(str(item))
        elif isinstance(item, Obj) and isinstance(item.get("Name"), str):
            names.append(str(item["Name"]))
    return names


def read_resource(logical_id: str, body: Any, loc: Loc | None, findings: list[Finding]) -> Resource | None:
    if not isinstance(body, Obj):
        findings.append(Finding.of("LF0007", f"resource '{logical_id}' is not a mapping", loc, logical_id))
        return Resource(logical_id, "Unknown", Obj(), loc)
    rtype = body.get("Type")
    if not isinstance(rtype, str):
        findings.append(
            Finding.of(
                "LF0007", f"resource '{logical_id}' has no literal Type", body.loc_of("Type"), logical_id
            )
        )
        return Resource(logical_id, "Unknown", Obj(), loc)
    props = body.get("Properties", Obj())
    if not isinstance(props, Obj):
        findings.append(
            Finding.of(
                "LF0007",
                f"Properties of '{logical_id}' is not a mapping",
                body.loc_of("Properties"),
                logical_id,
            )
        )
        props = Obj()
    depends = body.get("DependsOn")
    if isinstance(depends, str):
        depends_on: tuple[str, ...] = (depends,)  # a Str: its line is where a wrong name is reported
    elif isinstance(depends, Arr):
        depends_on = tuple(d for d in depends if isinstance(d, str))
    else:
        depends_on = ()
    condition = body.get("Condition")
    metadata = body.get("Metadata")
    policy = body.get("DeletionPolicy")
    ignore = body.get("IgnoreGlobals")
    connectors = body.get("Connectors")
    ignore_globals: str | tuple[str, ...] | None = None
    if isinstance(ignore, str):
        ignore_globals = str(ignore)
    elif isinstance(ignore, Arr):
        ignore_globals = tuple(str(i) for i in ignore if isinstance(i, str))
    return Resource(
        logical_id=logical_id,
        type=str(rtype),
        properties=props,
        loc=loc,
        condition=condition if isinstance(condition, str) else None,
        depends_on=depends_on,
        metadata=metadata if isinstance(metadata, Obj) else None,
        deletion_policy=str(policy) if isinstance(policy, str) else None,
        ignore_globals=ignore_globals,
        connectors=connectors if isinstance(connectors, Obj) else None,
    )


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def read_parameters(section: Any, findings: list[Finding]) -> list[Parameter]:
    if not isinstance(section, Obj):
        return []
    params = []
    for name, body in section.items():
        loc = section.loc_of(name)
        if not isinstance(body, Obj):
            findings.append(Finding.of("LF0007", f"parameter '{name}' is not a mapping", loc, name))
            body = Obj()
        ptype = body.get("Type")
        if isinstance(body.get("Default"), (Arr, Obj)):
            shape = "a list" if isinstance(body["Default"], Arr) else "a mapping"
            findings.append(
                Finding.of(
                    "LF4018",
                    f"parameter '{name}': Default is {shape}; CloudFormation requires text (a list type takes "
                    "comma-separated text) and rejects the template",
                    body.loc_of("Default"),
                )
            )
        allowed = body.get("AllowedValues")
        no_echo = body.get("NoEcho")
        description = body.get("Description")
        params.append(
            Parameter(
                name=name,
                type=str(ptype) if isinstance(ptype, str) else "String",
                loc=loc,
                default=body.get("Default"),
                has_default="Default" in body,
                description=str(description) if isinstance(description, str) else None,
                allowed_values=tuple(allowed) if isinstance(allowed, Arr) else (),
                min_length=_int(body.get("MinLength")),
                max_length=_int(body.get("MaxLength")),
                min_value=_number(body.get("MinValue")),
                max_value=_number(body.get("MaxValue")),
                no_echo=no_echo is True or (isinstance(no_echo, str) and no_echo.lower() == "true"),
                allowed_pattern=str(pattern)
                if isinstance(pattern := body.get("AllowedPattern"), str)
                else None,
            )
        )
    return params


def read_outputs(section: Any, findings: list[Finding]) -> list[Output]:
    if not isinstance(section, Obj):
        return []
    outputs = []
    for name, body in section.items():
        loc = section.loc_of(name)
        if not isinstance(body, Obj) or "Value" not in body:
            findings.append(Finding.of("LF4003", f"output '{name}' has no Value", loc, name))
            continue
        description = body.get("Description")
        condition = body.get("Condition")
        outputs.append(
            Output(
                name=name,
                value=body["Value"],
                loc=loc_of(body["Value"], body.loc_of("Value")),
                description=str(description) if isinstance(description, str) else None,
                condition=condition if isinstance(condition, str) else None,  # a Str keeps its line
                export=export.get("Name") if isinstance(export := body.get("Export"), Obj) else export,
            )
        )
    return outputs
