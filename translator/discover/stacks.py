"""CloudFormation: the stack a function belongs to, and with --stack that stack's original template.

Ownership comes from the ``aws:cloudformation:*`` tags CloudFormation puts on the functions it creates
(read with the function). ``read_stack`` finds the named stack in one of the discovered regions and
returns its original template (before transforms, as written) and its functions' physical names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from translator.discover.gaps import UNKNOWN, Gaps
from translator.discover.session import Clients


@dataclass(frozen=True)
class Stack:
    name: str
    region: str
    template_text: str | None  # None when GetTemplate was denied (a gap)
    functions: dict[str, str]  # logical id -> function name, empty when unknown


class _Missing(Exception):
    pass


def read_stack(clients: Clients, gaps: Gaps, regions: list[str], name: str) -> Stack | None:
    """The first region that has the stack; None when no discovered region has it."""
    for region in regions:
        cfn = clients.client("cloudformation", region)

        def template(cfn: Any = cfn) -> Any:
            from botocore.exceptions import ClientError

            try:
                return cfn.get_template(StackName=name, TemplateStage="Original")
            except ClientError as exc:
                # CloudFormation answers a missing stack with a ValidationError, not a NotFound code
                if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
                    raise _Missing from None
                raise

        try:
            answer = gaps.call(region, None, "cloudformation:GetTemplate", template)
        except _Missing:
            continue
        body = answer.get("TemplateBody") if isinstance(answer, dict) else None
        text = body if isinstance(body, str) or body is None else json.dumps(body, indent=2)
        paginator = cfn.get_paginator("list_stack_resources")
        resources = gaps.call(
            region,
            None,
            "cloudformation:ListStackResources",
            lambda paginator=paginator: [
                r for page in paginator.paginate(StackName=name) for r in page["StackResourceSummaries"]
            ],
        )
        functions = (
            {
                str(r["LogicalResourceId"]): str(r["PhysicalResourceId"])
                for r in resources
                if r.get("ResourceType") == "AWS::Lambda::Function" and r.get("PhysicalResourceId")
            }
            if resources is not UNKNOWN and resources is not None
            else {}
        )
        return Stack(name, region, text, functions)
    return None
