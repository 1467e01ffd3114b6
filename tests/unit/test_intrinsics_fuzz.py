"""Arbitrary intrinsic trees (right and wrong shapes, nested) never crash the mapping, never leak as text,
and always give Bicep that parses and type-checks.

Values are generated as JSON (the long ``{"Fn::...": args}`` form), put into an app setting, an output, a
condition that a conditional table uses and that table's name, and converted end to end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator.emit.bicep import render_main
from translator.load import InputError, load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.validate.bicep import TypeData, check_bicep_text

FUNCTIONS = [
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::If",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::ImportValue",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
]
NAMES = [
    "Q",
    "Q.Arn",
    "Q.QueueName",
    "Fn.Arn",
    "Stage",
    "C",
    "M",
    "a",
    "b",
    "AWS::Region",
    "AWS::NoValue",
    "Nope",
]
TEXT = st.sampled_from(
    [
        *NAMES,
        "",
        ",",
        "10.0.0.0/16",
        "x-${Stage}",
        "${!Lit}",
        "${Q.QueueName}",
        "{{resolve:ssm:/p}}",
        "0",
        "2",
    ]
)
LEAF = st.one_of(TEXT, st.integers(-2, 5), st.booleans(), st.none())
TREES = st.recursive(
    LEAF,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2),
        st.builds(lambda name, args: {name: args}, st.sampled_from(FUNCTIONS), children),
    ),
    max_leaves=12,
)


def _template(value: Any) -> str:
    return json.dumps(
        {
            "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
            "Conditions": {"C": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}, "D": value},
            "Mappings": {"M": {"a": {"b": "1"}}},
            "Resources": {
                "Q": {"Type": "AWS::SQS::Queue"},
                "T": {
                    "Type": "AWS::DynamoDB::Table",
                    "Condition": "D",
                    "Properties": {
                        "TableName": value,
                        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    },
                },
                "Fn": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {
                        "Runtime": "python3.12",
                        "Handler": "app.handler",
                        "Role": "arn:aws:iam::123456789012:role/x",
                        "Code": {"ZipFile": "x"},
                        "Environment": {"Variables": {"X": value}},
                    },
                },
            },
            "Outputs": {"O": {"Value": value}, "P": {"Value": {"Fn::If": ["D", {"Ref": "T"}, "none"]}}},
        },
        indent=1,
    )


@pytest.fixture(scope="module")
def types(bicep_types_dir: Path) -> TypeData:
    return TypeData.load(bicep_types_dir)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TREES)
def test_any_intrinsic_tree_maps_to_valid_bicep(value: Any, types: TypeData) -> None:
    try:
        document = load_text(_template(value), "t.json")
    except InputError:
        return  # refused as bad input (exit 2) with its own message: not a crash
    text = render_main(map_graph(parse_document(document)))
    # descriptions and comments may quote the template; values may not
    code = [line for line in text.splitlines() if not line.lstrip().startswith(("@description(", "//"))]
    assert not [line for line in code if "Fn::" in line or "{{resolve:" in line]
    errors = [str(d) for d in check_bicep_text(text, "main.bicep", types) if d.severity == "error"]
    assert not errors, (json.dumps(value), errors, text)
