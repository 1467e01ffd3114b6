"""Tests for translator.load: YAML/JSON loading, CloudFormation intrinsics, line numbers, limits.

Expected values come from the CloudFormation rules, not from the loader's output: ``Fn::GetAtt``'s
short form splits at the first dot only; ``${!Literal}`` in ``Fn::Sub`` is the literal text
``${Literal}``; ``${AWS::Region}`` is a pseudo-parameter reference and ``${Res.Attr}`` a GetAtt;
the second, variables-map form of ``Fn::Sub`` replaces ``${Name}`` with the mapped value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translator import load as load_module
from translator.load import MAX_DEPTH, Document, InputError, load_file, load_text
from translator.parsers.template import parse_document
from translator.values import (
    And,
    Arr,
    BadIntrinsic,
    Base64,
    Cidr,
    ConditionRef,
    Equals,
    FindInMap,
    GetAtt,
    GetAZs,
    If,
    ImportValue,
    Join,
    Not,
    Obj,
    Or,
    OtherIntrinsic,
    Ref,
    Select,
    Split,
    Str,
    Sub,
    Transform,
)


def load(text: str, name: str = "t.yaml") -> Document:
    return load_text(text, name)


def rules(doc: Document) -> list[str]:
    return [f.rule for f in doc.findings]


def value_of(text: str) -> object:
    """The value of key V in a one-key YAML or JSON document."""
    return load(text).data["V"]


# --------------------------------------------------------------------------------------------------
# 1. short tags and long forms

# (id, short form in YAML after "V: ", long form in JSON after '"V": ', expected node)
INTRINSICS: list[tuple[str, str, str, object]] = [
    ("ref", "!Ref MyBucket", '{"Ref": "MyBucket"}', Ref("MyBucket")),
    ("ref-pseudo", "!Ref AWS::Region", '{"Ref": "AWS::Region"}', Ref("AWS::Region")),
    ("getatt", "!GetAtt MyFn.Arn", '{"Fn::GetAtt": ["MyFn", "Arn"]}', GetAtt("MyFn", "Arn")),
    (
        "getatt-first-dot",
        "!GetAtt Db.Endpoint.Address",
        '{"Fn::GetAtt": ["Db", "Endpoint.Address"]}',
        GetAtt("Db", "Endpoint.Address"),
    ),
    ("getatt-list", "!GetAtt [MyFn, Arn]", '{"Fn::GetAtt": ["MyFn", "Arn"]}', GetAtt("MyFn", "Arn")),
    (
        "sub-plain",
        "!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'",
        '{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}',
        Sub(("arn:", Ref("AWS::Partition"), ":s3:::", Ref("Bucket"), "/*")),
    ),
    (
        "sub-variables",
        "!Sub ['${Name}-${Stage}', {Name: !Ref AppName}]",
        '{"Fn::Sub": ["${Name}-${Stage}", {"Name": {"Ref": "AppName"}}]}',
        Sub((Ref("AppName"), "-", Ref("Stage"))),
    ),
    (
        "sub-escape-pseudo-getatt",
        "!Sub '${!Literal}-${AWS::Region}-${Res.Attr}'",
        '{"Fn::Sub": "${!Literal}-${AWS::Region}-${Res.Attr}"}',
        Sub(("${Literal}-", Ref("AWS::Region"), "-", GetAtt("Res", "Attr"))),
    ),
    ("sub-no-vars", "!Sub plain-text", '{"Fn::Sub": "plain-text"}', Sub(("plain-text",))),
    ("join", "!Join ['-', [a, b]]", '{"Fn::Join": ["-", ["a", "b"]]}', Join("-", ("a", "b"))),
    (
        "join-nested",
        "!Join ['', [!Ref A, '-x']]",
        '{"Fn::Join": ["", [{"Ref": "A"}, "-x"]]}',
        Join("", (Ref("A"), "-x")),
    ),
    (
        "select-getazs",
        "!Select [0, !GetAZs '']",
        '{"Fn::Select": [0, {"Fn::GetAZs": ""}]}',
        Select(0, GetAZs("")),
    ),
    ("split", "!Split [',', !Ref Csv]", '{"Fn::Split": [",", {"Ref": "Csv"}]}', Split(",", Ref("Csv"))),
    ("if", "!If [IsProd, 512, 128]", '{"Fn::If": ["IsProd", 512, 128]}', If("IsProd", 512, 128)),
    (
        "equals",
        "!Equals [!Ref Env, prod]",
        '{"Fn::Equals": [{"Ref": "Env"}, "prod"]}',
        Equals(Ref("Env"), "prod"),
    ),
    (
        "and",
        "!And [!Condition A, !Condition B]",
        '{"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}',
        And((ConditionRef("A"), ConditionRef("B"))),
    ),
    (
        "or",
        "!Or [!Condition A, !Equals [x, y]]",
        '{"Fn::Or": [{"Condition": "A"}, {"Fn::Equals": ["x", "y"]}]}',
        Or((ConditionRef("A"), Equals("x", "y"))),
    ),
    ("not", "!Not [!Condition A]", '{"Fn::Not": [{"Condition": "A"}]}', Not(ConditionRef("A"))),
    ("condition", "!Condition IsProd", '{"Condition": "IsProd"}', ConditionRef("IsProd")),
    (
        "findinmap",
        "!FindInMap [RegionMap, !Ref AWS::Region, Ami]",
        '{"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "Ami"]}',
        FindInMap("RegionMap", Ref("AWS::Region"), "Ami"),
    ),
    (
        "findinmap-default",
        "!FindInMap [M, K1, K2, {DefaultValue: fallback}]",
        '{"Fn::FindInMap": ["M", "K1", "K2", {"DefaultValue": "fallback"}]}',
        FindInMap("M", "K1", "K2", "fallback"),
    ),
    ("base64", "!Base64 hello", '{"Fn::Base64": "hello"}', Base64("hello")),
    ("getazs", "!GetAZs us-east-1", '{"Fn::GetAZs": "us-east-1"}', GetAZs("us-east-1")),
    (
        "cidr",
        "!Cidr [10.0.0.0/16, 4, 8]",
        '{"Fn::Cidr": ["10.0.0.0/16", 4, 8]}',
        Cidr("10.0.0.0/16", 4, 8),
    ),
    ("importvalue", "!ImportValue SharedVpc", '{"Fn::ImportValue": "SharedVpc"}', ImportValue("SharedVpc")),
    (
        "importvalue-sub",
        "!ImportValue {'Fn::Sub': '${Env}-Vpc'}",
        '{"Fn::ImportValue": {"Fn::Sub": "${Env}-Vpc"}}',
        ImportValue(Sub((Ref("Env"), "-Vpc"))),
    ),
    (
        "transform",
        "!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k.yaml}}",
        '{"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k.yaml"}}}',
        Transform("AWS::Include", {"Location": "s3://b/k.yaml"}),
    ),
]


@pytest.mark.parametrize(
    ("short", "long", "expected"), [c[1:] for c in INTRINSICS], ids=[c[0] for c in INTRINSICS]
)
def test_short_tag_and_long_form_give_the_same_node(short: str, long: str, expected: object) -> None:
    short_doc = load(f"V: {short}\n")
    json_doc = load(f'{{"V": {long}}}', "t.json")
    yaml_long_doc = load(f"V: {long}\n")  # JSON flow syntax is YAML too
    assert short_doc.data["V"] == expected
    assert json_doc.data["V"] == expected
    assert yaml_long_doc.data["V"] == expected
    assert type(short_doc.data["V"]) is type(expected)
    # well-formed intrinsics are not findings
    assert short_doc.findings == json_doc.findings == yaml_long_doc.findings == ()


def test_if_written_as_a_block_list() -> None:
    text = "V: !If\n  - IsProd\n  - !Ref ProdBucket\n  - !Ref AWS::NoValue\n"
    assert value_of(text) == If("IsProd", Ref("ProdBucket"), Ref("AWS::NoValue"))


def test_short_tag_on_a_block_mapping() -> None:
    text = "V: !Base64\n  Fn::Sub: 'x-${A}'\n"
    assert value_of(text) == Base64(Sub(("x-", Ref("A"))))
    text = "V: !Transform\n  Name: AWS::Include\n  Parameters:\n    Location: s3://b/k\n"
    node = value_of(text)
    assert node == Transform("AWS::Include", {"Location": "s3://b/k"})
    assert isinstance(node.parameters, Obj)


def test_sub_local_variable_shadows_a_resource_attribute_name() -> None:
    # a variables-map entry wins over the ${Res.Attr} reading of the same name
    node = value_of("V: !Sub ['${A.B}', {A.B: !Ref X}]\n")
    assert node == Sub((Ref("X"),))


def test_sub_with_multiline_literal_keeps_the_text() -> None:
    node = value_of("V: !Sub |\n  #!/bin/bash\n  echo ${AWS::StackName}\n")
    assert node == Sub(("#!/bin/bash\necho ", Ref("AWS::StackName"), "\n"))


def test_intrinsic_nodes_carry_their_line() -> None:
    doc = load("A: 1\nV: !GetAtt Fn.Arn\nW:\n  Ref: X\n")
    assert doc.data["V"].loc.line == 2
    assert doc.data["W"].loc.line == 4
    # Sub parts made from ${...} are located at the Sub
    sub = load("a: 1\nb: 2\nV: !Sub '${X}'\n").data["V"]
    assert sub.parts[0].loc.line == 3


def test_long_form_keys_only_count_alone() -> None:
    # a mapping with Ref next to another key is data, not an intrinsic
    node = value_of("V: {Ref: X, Other: 1}\n")
    assert isinstance(node, Obj)
    assert dict(node) == {"Ref": "X", "Other": 1}
    # Condition with a non-string value is not the !Condition long form (an IAM-style block)
    node = value_of("V:\n  Condition:\n    StringEquals: {a: b}\n")
    assert isinstance(node, Obj)


def test_foreach_is_not_taken_for_an_intrinsic() -> None:
    node = value_of("V:\n  Fn::ForEach::Topics:\n    - T\n    - [a, b]\n    - {}\n")
    assert isinstance(node, Obj)
    assert list(node) == ["Fn::ForEach::Topics"]


def test_known_unmodelled_functions_are_kept_without_a_finding() -> None:
    doc = load("V: {Fn::Length: [1, 2]}\n")
    assert doc.data["V"] == OtherIntrinsic("Fn::Length", (1, 2))
    assert doc.findings == ()


# --------------------------------------------------------------------------------------------------
# 2. wrong shapes and unknown functions

# (id, bad value after "V: " on line 3, intrinsic name)
BAD_SHAPES: list[tuple[str, str, str]] = [
    ("getatt-no-attribute", "!GetAtt MyFn", "Fn::GetAtt"),
    ("getatt-empty-attribute", "!GetAtt MyFn.", "Fn::GetAtt"),
    ("getatt-one-item-list", "!GetAtt [MyFn]", "Fn::GetAtt"),
    ("if-two-args", "!If [IsProd, a]", "Fn::If"),
    ("if-four-args", "!If [IsProd, a, b, c]", "Fn::If"),
    ("join-not-a-list", "!Join [',', abc]", "Fn::Join"),
    ("join-scalar", "!Join abc", "Fn::Join"),
    ("findinmap-two-args", "!FindInMap [Map, Key]", "Fn::FindInMap"),
    ("sub-empty-placeholder", "!Sub 'a-${}-b'", "Fn::Sub"),
    ("sub-blank-placeholder", "!Sub 'a-${ }'", "Fn::Sub"),
    ("sub-vars-not-a-map", "!Sub ['${A}', [x]]", "Fn::Sub"),
    ("ref-list", "!Ref [A, B]", "Ref"),
    ("ref-empty", "!Ref ''", "Ref"),
    ("select-one-arg", "!Select [0]", "Fn::Select"),
    ("split-scalar", "!Split abc", "Fn::Split"),
    ("equals-three", "!Equals [a, b, c]", "Fn::Equals"),
    ("and-one", "!And [!Condition A]", "Fn::And"),
    ("or-eleven", "!Or [" + ", ".join(["!Condition A"] * 11) + "]", "Fn::Or"),
    ("not-two", "!Not [!Condition A, !Condition B]", "Fn::Not"),
    ("condition-list", "!Condition [A]", "Condition"),
    ("cidr-two", "!Cidr [10.0.0.0/16, 4]", "Fn::Cidr"),
    ("transform-no-name", "!Transform {Parameters: {}}", "Fn::Transform"),
    ("long-getatt-no-dot", "{Fn::GetAtt: NoDot}", "Fn::GetAtt"),
    ("long-if-two", "{Fn::If: [C, a]}", "Fn::If"),
]


@pytest.mark.parametrize(("bad", "name"), [c[1:] for c in BAD_SHAPES], ids=[c[0] for c in BAD_SHAPES])
def test_wrong_shape_is_a_bad_intrinsic_with_lf0003_at_its_line(bad: str, name: str) -> None:
    doc = load(f"A: 1\nB: 2\nV: {bad}\n")
    node = doc.data["V"]
    assert isinstance(node, BadIntrinsic)
    assert node.name == name
    assert node.reason
    assert [(f.rule, f.loc.line) for f in doc.findings] == [("LF0003", 3)]
    assert name in doc.findings[0].message


def test_wrong_shape_in_json_reports_the_json_line() -> None:
    text = '{\n  "A": 1,\n  "V": {"Fn::FindInMap": ["M", "K"]}\n}\n'
    doc = load(text, "t.json")
    assert isinstance(doc.data["V"], BadIntrinsic)
    assert [(f.rule, str(f.loc)) for f in doc.findings] == [("LF0003", "t.json:3")]


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        ("A: 1\nV: !Foo x\n", "Fn::Foo", 2),
        ("A: 1\nB: 2\nV:\n  Fn::Bar: [1, 2]\n", "Fn::Bar", 4),
        ("V: {Fn::Bar: 1}\n", "Fn::Bar", 1),
    ],
    ids=["short-tag", "long-form-block", "long-form-flow"],
)
def test_unknown_function_is_other_intrinsic_with_lf0004(text: str, name: str, line: int) -> None:
    doc = load(text)
    node = doc.data["V"]
    assert isinstance(node, OtherIntrinsic)
    assert node.name == name
    assert [(f.rule, f.loc.line) for f in doc.findings] == [("LF0004", line)]
    assert name in doc.findings[0].message


# --------------------------------------------------------------------------------------------------
# 3. line numbers

YAML_TEMPLATE = """\
AWSTemplateFormatVersion: 2010-09-09
Description: lines
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-bucket
      Tags:
        - Key: team
          Value: data
"""


def test_yaml_lines_of_keys_strings_and_resources() -> None:
    doc = load(YAML_TEMPLATE)
    resources = doc.data["Resources"]
    bucket = resources["Bucket"]
    assert doc.data.loc_of("Resources").line == 3
    assert resources.loc_of("Bucket").line == 4
    assert bucket.loc_of("Type").line == 5
    assert bucket["Type"].loc.line == 5
    assert bucket["Type"].loc.col == 11  # "    Type: " is ten characters
    assert bucket["Properties"].loc_of("BucketName").line == 7
    assert bucket["Properties"]["BucketName"].loc.line == 7
    tags = bucket["Properties"]["Tags"]
    assert isinstance(tags, Arr)
    assert tags.loc.line == 9
    assert tags[0]["Value"].loc.line == 10
    # an unquoted date stays the string the template means
    version = doc.data["AWSTemplateFormatVersion"]
    assert version == "2010-09-09"
    assert isinstance(version, Str)
    assert parse_document(doc).resource("Bucket").loc.line == 4


@pytest.mark.parametrize("indent", ["\t", "  "], ids=["tabs", "spaces"])
def test_json_lines_of_keys_strings_and_resources(indent: str) -> None:
    i = indent
    text = (
        "{\n"
        f'{i}"Resources": {{\n'
        f'{i * 2}"Bucket": {{\n'
        f'{i * 3}"Type": "AWS::S3::Bucket",\n'
        f'{i * 3}"Properties": {{\n'
        f'{i * 4}"BucketName": "b"\n'
        f"{i * 3}}}\n"
        f"{i * 2}}}\n"
        f"{i}}}\n"
        "}\n"
    )
    doc = load(text, "t.json")
    resources = doc.data["Resources"]
    bucket = resources["Bucket"]
    assert doc.data.loc_of("Resources").line == 2
    assert resources.loc_of("Bucket").line == 3
    assert bucket.loc_of("Type").line == 4
    assert bucket["Type"].loc.line == 4
    # the string starts at its opening quote: indent + '"Type": ' (8 characters) + 1
    assert bucket["Type"].loc.col == len(i * 3) + 8 + 1
    assert bucket["Properties"].loc_of("BucketName").line == 6
    assert bucket["Properties"]["BucketName"].loc == load_module.Loc("t.json", 6, len(i * 4) + 15)
    assert parse_document(doc).resource("Bucket").loc.line == 3


def test_minified_json_loads() -> None:
    doc = load('{"Resources":{"A":{"Type":"X","Properties":{"L":[1,2],"S":"a\\/b"}}}}', "t.json")
    props = doc.data["Resources"]["A"]["Properties"]
    assert dict(props) == {"L": (1, 2), "S": "a/b"}


def test_duplicate_key_reports_the_second_occurrence_and_names_the_first() -> None:
    text = "Resources:\n  Fn:\n    Type: A\n  Other:\n    Type: B\n  Fn:\n    Type: C\n"
    doc = load(text)
    assert rules(doc) == ["LF0001"]
    finding = doc.findings[0]
    assert finding.loc.line == 6
    assert "line 2" in finding.message
    assert "'Fn'" in finding.message
    # the later value is the one kept
    assert doc.data["Resources"]["Fn"]["Type"] == "C"


def test_third_occurrence_still_names_the_first_line() -> None:
    doc = load("a: 1\nb: 2\na: 3\na: 4\n")
    assert [(f.rule, f.loc.line) for f in doc.findings] == [("LF0001", 3), ("LF0001", 4)]
    assert all("line 1 " in f.message for f in doc.findings)
    assert doc.data["a"] == 4


def test_duplicate_key_in_json() -> None:
    doc = load('{\n  "A": 1,\n  "A": 2\n}\n', "t.json")
    assert [(f.rule, str(f.loc)) for f in doc.findings] == [("LF0001", "t.json:3")]
    assert "line 2" in doc.findings[0].message


def test_same_key_in_different_mappings_is_not_a_duplicate() -> None:
    doc = load("A:\n  Type: x\nB:\n  Type: y\n")
    assert doc.findings == ()


def test_merge_key_override_is_not_a_duplicate() -> None:
    # YAML merge keys exist to be overridden; only keys written twice in the mapping itself repeat
    doc = load("base: &b {A: 1, B: 2}\nx:\n  <<: *b\n  A: 3\n")
    assert doc.findings == ()
    assert dict(doc.data["x"]) == {"A": 3, "B": 2}


# --------------------------------------------------------------------------------------------------
# 4. errors


def raises_input_error(text: str, name: str = "t.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        parse_document(load_text(text, name))
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "name"),
    [
        (
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Handler: index.handler: extra\n",
            4,
            "t.yaml",
        ),
        ("Resources:\n\tFn: x\n", 2, "t.yaml"),
        ('{\n  "Resources": {\n    "A": {"Type": "X"}\n    "B": {"Type": "Y"}\n  }\n}\n', 4, "t.json"),
        ("Resources:\n  A: 1\n---\nB: 2\n", 3, "t.yaml"),
        ("Resources:\n  A: *missing\n", 2, "t.yaml"),
    ],
    ids=["mapping-in-plain-scalar", "tab-indent", "json-missing-comma", "two-documents", "unknown-alias"],
)
def test_malformed_input_names_file_and_real_line(text: str, line: int, name: str) -> None:
    error = raises_input_error(text, name)
    assert error.loc.line == line
    assert str(error).startswith(f"{name}:{line}: ")
    assert "not valid YAML or JSON" in str(error)


JINJA = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
{%- if cookiecutter.architecture == "arm64" %}
      Architectures: [arm64]
{%- endif %}
"""


def test_unrendered_jinja_names_the_statement_line() -> None:
    error = raises_input_error(JINJA)
    assert str(error).startswith("t.yaml:6: ")
    assert "unrendered" in error.message


def test_placeholder_key_is_an_unrendered_template() -> None:
    # {{cookiecutter.name}}: as a key is a flow mapping used as a key: not a template
    error = raises_input_error("Resources:\n  {{cookiecutter.function_name}}:\n    Type: X\n")
    assert str(error).startswith("t.yaml:2: ")
    assert "unrendered" in error.message


def test_placeholder_in_valid_yaml_is_lf0002_and_kept_as_text() -> None:
    text = "Description: Sample for {{ cookiecutter.project_name }}\nResources:\n  A:\n    Type: X\n"
    doc = load(text)
    assert [(f.rule, f.loc.line) for f in doc.findings] == [("LF0002", 1)]
    assert doc.data["Description"] == "Sample for {{ cookiecutter.project_name }}"


def test_dynamic_reference_is_not_a_placeholder() -> None:
    doc = load("V: '{{resolve:ssm:/app/param:1}}'\n")
    assert doc.findings == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- a\n- b\n", "not a mapping"),
        ("just a string\n", "not a mapping"),
        ("AWSTemplateFormatVersion: '2010-09-09'\nParameters: {}\n", "no Resources"),
        ("Resources: [a, b]\n", "Resources must be a mapping"),
    ],
    ids=["empty", "comment-only", "top-level-list", "top-level-scalar", "no-resources", "resources-list"],
)
def test_not_a_template(text: str, message: str) -> None:
    error = raises_input_error(text)
    assert message in error.message
    assert str(error).startswith("t.yaml:1: ")


def test_serverless_yml_is_named() -> None:
    text = "service: my-service\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: h.hello\n"
    error = raises_input_error(text, "serverless.yml")
    assert "serverless" in error.message.lower()
    assert "no Resources" in error.message


def test_serverless_yml_with_resources_block_is_still_read_as_template() -> None:
    # a CloudFormation-style Resources section makes it a template for this stage
    text = "service: s\nprovider: {name: aws}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
    assert parse_document(load(text)).resources[0].logical_id == "B"


@pytest.mark.parametrize(
    ("text", "line"),
    [("Resources:\n  ~: x\n", 2), ("a: 1\nnull: x\n", 2), ("a:\n  ? \n  : v\n", 2)],
    ids=["tilde", "null", "empty-complex-key"],
)
def test_null_key_is_an_input_error(text: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        load(text)
    assert info.value.loc.line == line
    assert "null" in info.value.message


def test_non_scalar_key_is_an_input_error() -> None:
    with pytest.raises(InputError, match="plain string"):
        load("? [a, b]\n: 1\n")


def test_quoted_null_key_is_a_string() -> None:
    assert dict(load("'null': x\n").data) == {"null": "x"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: !!int abc\n", 2),
        ("a: 0x_\n", 1),
        ("a: 1\nb: 2\nc: 0b_\n", 3),
        ("a: !!float x\n", 1),
        ("a: !!bool maybe\n", 1),
        ("a: !!timestamp [1]\n", 1),
        ("a: !!python/name:os.system\n", 1),
    ],
    ids=[
        "int-tag",
        "hex-underscore",
        "binary-underscore",
        "float-tag",
        "bool-tag",
        "timestamp-list",
        "python",
    ],
)
def test_unreadable_typed_scalars_are_input_errors(text: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        load(text)
    assert info.value.loc.line == line


def test_lone_surrogate_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        load("a: 1\nb: '\ud800'\n")
    assert info.value.loc.line == 2


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary") as info:
        load_file(path)
    assert str(info.value).startswith(f"{path}:1: ")


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"Resources:\n  A:\n    Type: caf\xe9\n")
    with pytest.raises(InputError, match="UTF-8") as info:
        load_file(path, "shown.yaml")
    assert str(info.value).startswith("shown.yaml:3: ")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(b'\xef\xbb\xbf{\n\t"Resources": {}\n}\n')
    doc = load_file(path)
    assert doc.path == str(path)
    assert dict(doc.data) == {"Resources": {}}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        load_file(tmp_path / "absent.yaml", "absent.yaml")
    assert str(info.value) == "absent.yaml: no such file"  # no line: there is no file to have lines
    with pytest.raises(InputError, match="directory") as info:
        load_file(tmp_path, "dir")
    assert str(info.value) == "dir: is a directory; give a template file"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"},}}',
            "1:49: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            '{\n  "A": 1,\n  // a comment\n  "B": 2\n}\n',
            "3:3: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        ("{\n  'A': 1\n}\n", "2:3: invalid JSON: Expecting property name enclosed in double quotes"),
        ('{"A": [1, 2,]}', "1:13: invalid JSON: Expecting value"),
        ('{"A": 1}\n{"B": 2}\n', "2:1: invalid JSON: Extra data"),
    ],
    ids=["trailing-comma", "comment", "single-quotes", "trailing-comma-in-list", "two-objects"],
)
def test_json_file_is_strict_json(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_file(path, "t.json")
    assert str(info.value) == f"t.json:{where}"


def test_strict_json_file_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "T.JSON"
    path.write_text(
        '{\n  "Resources": {\n    "Q": {\n      "Type": "AWS::SQS::Queue"\n    }\n  }\n}\n', encoding="utf-8"
    )
    doc = load_file(path, "T.JSON")
    assert doc.data["Resources"].loc_of("Q") == load_module.Loc("T.JSON", 3, 5)


def test_unrendered_json_template_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{\n  "Resources": {{ resources }}\n}\n', encoding="utf-8")
    with pytest.raises(InputError, match="unrendered Jinja") as info:
        load_file(path, "t.json")
    assert info.value.loc == load_module.Loc("t.json", 2)


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["a: &a [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    # the expanded size is measured on the node graph (memoised), so the bomb is never expanded
    def never(*args: object) -> None:
        raise AssertionError("the document was constructed")

    monkeypatch.setattr(load_module._Loader, "construct_document", never)
    with pytest.raises(InputError, match="nodes"):
        load(billion_laughs())


def test_aliases_count_every_use(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1 anchored list of 10 items = 11 nodes; used 10 times it expands to over 100
    text = "a: &a [" + ", ".join("0123456789") + "]\nb: [" + ", ".join(["*a"] * 10) + "]\n"
    monkeypatch.setattr(load_module, "MAX_NODES", 100)
    with pytest.raises(InputError, match="nodes"):
        load(text)
    monkeypatch.setattr(load_module, "MAX_NODES", 200)
    assert len(load(text).data["b"]) == 10


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(InputError):
        load("a: &x [*x]\n")


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_BYTES", 64)
    with pytest.raises(InputError, match="larger"):
        load("a: " + "x" * 100 + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
        "{a: " * (MAX_DEPTH + 5) + "1" + "}" * (MAX_DEPTH + 5),
        "a:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(MAX_DEPTH + 5)),
        "- " * (MAX_DEPTH + 5) + "x\n",
    ],
    ids=["flow-list", "flow-map", "block-map", "compact-block-list"],
)
def test_nesting_deeper_than_max_depth_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="deeper"):
        load(text)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "- " * 100_000 + "x", "{a: [" * 50_000],
    ids=["brackets", "compact-list", "mixed-flow"],
)
def test_very_deep_nesting_fails_cleanly(text: str) -> None:
    # libyaml's composer recurses in C; without the depth check this overflows the stack (a crash, not an
    # exception), and newer libyaml builds refuse it with their own message, reworded to ours
    with pytest.raises(InputError, match="deeper"):
        load(text)


def test_nesting_within_the_limit_loads() -> None:
    depth = MAX_DEPTH // 2
    data = load("[" * depth + "1" + "]" * depth).data
    for _ in range(depth):
        assert isinstance(data, Arr)
        data = data[0]
    assert data == 1


# --------------------------------------------------------------------------------------------------
# 5. the real corpus


def corpus(shared_dir: Path, folder: str) -> list[Path]:
    files = sorted((shared_dir / "corpus" / "sam" / folder).glob("*.y*ml"))
    assert files, f"no files in {folder}"
    return files


def test_invalid_serverless_patterns_fail_with_the_line(shared_dir: Path) -> None:
    # apigw-custom-domain-edge: line 34 'MappingRestEdge:curc' runs on into line 35, whose ':' is illegal
    # rds-sns-event-notification: line 3 has text after a closing quote
    expected = {"apigw-custom-domain-edge": 35, "rds-sns-event-notification": 3}
    seen = {}
    for path in corpus(shared_dir, "serverless-patterns-invalid"):
        with pytest.raises(InputError) as info:
            load_file(path, path.name)
        assert str(info.value).startswith(f"{path.name}:{info.value.loc.line}: ")
        pattern = path.name.split("__")[1]
        seen[pattern] = info.value.loc.line
    assert seen == expected


def test_unrendered_app_templates_are_refused(shared_dir: Path) -> None:
    for path in corpus(shared_dir, "sam-cli-app-templates-unrendered"):
        with pytest.raises(InputError, match="unrendered") as info:
            load_file(path)
        # the first Jinja statement is named; failing that, the first placeholder
        lines = path.read_text().splitlines()
        statements = [n for n, line in enumerate(lines, 1) if "{%" in line]
        placeholders = [n for n, line in enumerate(lines, 1) if "{{" in line]
        assert info.value.loc.line == (statements or placeholders)[0], path.name


def test_app_templates_with_placeholders_load_with_lf0002(shared_dir: Path) -> None:
    path = corpus(shared_dir, "sam-cli-app-templates")[0]
    doc = load_file(path)
    lines = path.read_text().splitlines()
    placeholder_lines = [n for n, line in enumerate(lines, 1) if re.search(r"\{\{\s*cookiecutter\.", line)]
    assert placeholder_lines
    assert [f.loc.line for f in doc.findings if f.rule == "LF0002"] == placeholder_lines
    graph = parse_document(doc)
    assert graph.format == "sam"


# --------------------------------------------------------------------------------------------------
# 8. properties: only InputError, and the same result every time

# short runs of YAML punctuation and template words hit the parser's corners more often than random text
YAML_TOKENS = [*" \n\t:-[]{},!&*?|>'\"#%@`~.$\\", "Ref", "Fn::Sub", "!GetAtt ", "&a ", "*a", "<<", "a", "1"]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join)


def snapshot(text: str) -> tuple[str, object]:
    try:
        doc = load(text)
    except InputError as error:
        return ("error", str(error))
    return ("ok", (repr(doc.data), doc.findings))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=120), YAMLISH))
def test_load_text_raises_only_input_error_and_is_deterministic(text: str) -> None:
    first = snapshot(text)
    assert snapshot(text) == first
    if first[0] == "error":
        assert str(first[1]).startswith("t.yaml:")
