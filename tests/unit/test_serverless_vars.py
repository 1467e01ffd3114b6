"""Serverless Framework variables, resolved offline.

Expected values follow the Serverless Framework documentation (research/input-formats.md §9.5):
``${source:address}`` with comma-separated fallbacks (quoted strings, numbers and booleans allowed, a
fallback may be another source); ``self:`` reads the service file; ``opt:stage``/``opt:region`` are the
CLI options; ``sls:stage`` is opt:stage, else provider.stage, else ``dev``; ``aws:region`` is the
deployment region (us-east-1 by default); ``file(path):key`` reads a file beside serverless.yml;
``${AWS::Region}`` inside ``Fn::Sub`` is CloudFormation's, not a variable. Values only known at deploy
time become parameters, never text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from translator.load import InputError, load_text
from translator.parsers.serverless_vars import VariableResolver, is_variable, split_template
from translator.values import Obj, OtherIntrinsic, Ref, Str, Sub, plain


def resolver(text: str, base_dir: Path | None = None, **kwargs: Any) -> VariableResolver:
    doc = load_text(textwrap.dedent(text), "serverless.yml")
    return VariableResolver(doc.data, "serverless.yml", base_dir, **kwargs)


def value(text: str, *path: Any, **kwargs: Any) -> Any:
    return resolver(text, **kwargs).resolve_at(tuple(path))


def rules(r: VariableResolver) -> list[str]:
    return [f.rule for f in r.findings]


# --------------------------------------------------------------------------------------------------
# self:, nesting and strings


def test_self_reads_the_service_file() -> None:
    doc = """
        service: todo
        custom: {table: todos}
        provider: {name: aws, environment: {TABLE: '${self:custom.table}', SVC: '${self:service}'}}
    """
    assert plain(value(doc, "provider", "environment")) == {"TABLE": "todos", "SVC": "todo"}


def test_variables_inside_strings_are_interpolated() -> None:
    doc = "custom: {a: one, b: two, c: 'x-${self:custom.a}-${self:custom.b}-y'}"
    assert value(doc, "custom", "c") == "x-one-two-y"


def test_a_whole_value_variable_keeps_the_type_of_its_value() -> None:
    doc = (
        "custom: {mem: 512, list: [a, b], obj: {k: v}, m: '${self:custom.mem}'"
        ", l: '${self:custom.list}', o: '${self:custom.obj}'}"
    )
    r = resolver(doc)
    assert r.resolve_at(("custom", "m")) == 512
    assert plain(r.resolve_at(("custom", "l"))) == ["a", "b"]
    assert plain(r.resolve_at(("custom", "o"))) == {"k": "v"}


def test_a_number_inside_a_string_becomes_text() -> None:
    assert value("custom: {n: 3, s: 'v${self:custom.n}'}", "custom", "s") == "v3"


def test_nested_variables_resolve_inside_out() -> None:
    doc = """
        provider: {name: aws, stage: prod}
        custom:
          tables: {dev: t-dev, prod: t-prod}
          table: ${self:custom.tables.${sls:stage}}
    """
    assert value(doc, "custom", "table") == "t-prod"


def test_list_items_are_addressed_by_index() -> None:
    assert value("custom: {l: [a, b], x: '${self:custom.l.1}'}", "custom", "x") == "b"


def test_a_chain_of_references_resolves() -> None:
    assert value("custom: {a: '${self:custom.b}', b: '${self:custom.c}', c: end}", "custom", "a") == "end"


def test_the_resolved_value_keeps_the_location_where_it_is_used() -> None:
    doc = "custom:\n  a: text\n  b: ${self:custom.a}\n"
    result = value(doc, "custom", "b")
    assert isinstance(result, Str) and result.loc is not None and result.loc.line == 3


# --------------------------------------------------------------------------------------------------
# fallbacks


def test_first_alternative_with_a_value_wins() -> None:
    doc = "custom: {x: '${self:custom.missing, self:custom.there}', there: found}"
    assert value(doc, "custom", "x") == "found"


@pytest.mark.parametrize(
    ("fallback", "expected"),
    [("'dev'", "dev"), ('"dev"', "dev"), ("10", 10), ("1.5", 1.5), ("true", True), ("false", False)],
)
def test_literal_fallbacks(fallback: str, expected: Any) -> None:
    result = value(f"custom:\n  x: ${{self:custom.missing, {fallback}}}\n", "custom", "x")
    assert result == expected
    assert isinstance(result, str) if isinstance(expected, str) else type(result) is type(expected)


def test_a_quoted_fallback_may_contain_a_comma() -> None:
    assert value("custom: {x: \"${self:custom.nope, 'a,b'}\"}", "custom", "x") == "a,b"


def test_no_value_and_no_fallback_is_a_parameter_with_a_finding() -> None:
    r = resolver("custom: {x: '${self:custom.nope}'}")
    result = r.resolve_at(("custom", "x"))
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::self"
    assert rules(r) == ["LF0009"]


# --------------------------------------------------------------------------------------------------
# opt:, sls:, aws: and the --stage / --region options


def test_stage_and_region_default_to_dev_and_us_east_1() -> None:
    r = resolver("provider: {name: aws}")
    assert (r.stage, r.region) == ("dev", "us-east-1")


def test_provider_stage_and_region_are_used_without_options() -> None:
    r = resolver("provider: {name: aws, stage: qa, region: eu-west-1}")
    assert (r.stage, r.region) == ("qa", "eu-west-1")


def test_options_override_provider_stage_and_region() -> None:
    r = resolver("provider: {name: aws, stage: qa, region: eu-west-1}", stage="prod", region="ap-south-1")
    assert (r.stage, r.region) == ("prod", "ap-south-1")


def test_opt_stage_with_a_fallback() -> None:
    doc = "provider: {name: aws, stage: \"${opt:stage, 'staging'}\"}\ncustom: {s: '${sls:stage}'}"
    assert value(doc, "custom", "s") == "staging"
    assert value(doc, "custom", "s", stage="prod") == "prod"


def test_opt_stage_and_region_alone_fall_back_to_the_framework_defaults() -> None:
    doc = (
        "provider: {name: aws, stage: '${opt:stage}', region: '${opt:region}'}\n"
        "custom: {s: '${sls:stage}-${opt:region}'}"
    )
    assert value(doc, "custom", "s") == "dev-us-east-1"
    assert value(doc, "custom", "s", stage="prod", region="eu-north-1") == "prod-eu-north-1"
    assert resolver(doc).region == "us-east-1"


def test_opt_region_falls_back_to_the_next_alternative() -> None:
    doc = "provider: {name: aws, region: \"${opt:region, 'eu-central-1'}\"}\ncustom: {r: '${opt:region, self:provider.region}'}"
    assert resolver(doc).region == "eu-central-1"
    assert resolver(doc, region="us-west-2").region == "us-west-2"
    assert value(doc, "custom", "r", region="us-west-2") == "us-west-2"  # the option's text


@pytest.mark.parametrize(
    "variable", ["${aws:region}", "${self:provider.region}", "${opt:region, self:provider.region}"]
)
def test_the_deployment_region_is_the_region_pseudo_parameter(variable: str) -> None:
    """Like CloudFormation's AWS::Region, which the mapper renders as the deployment's location; the
    region written in provider.region (or given with --region) is the AWS one, not where Azure deploys."""
    doc = f"provider: {{name: aws, region: eu-central-1}}\ncustom: {{r: '{variable}', s: 'q-{variable}'}}"
    assert value(doc, "custom", "r") == Ref("AWS::Region")
    assert value(doc, "custom", "s") == Sub(("q-", Ref("AWS::Region")))


def test_self_provider_stage_sees_the_resolved_stage() -> None:
    doc = "provider: {name: aws, stage: \"${opt:stage, 'dev'}\"}\ncustom: {t: 'todos-${self:provider.stage}'}"
    assert value(doc, "custom", "t", stage="prod") == "todos-prod"


def test_aws_account_id_and_partition_are_pseudo_parameters() -> None:
    result = value(
        "custom: {arn: 'arn:${aws:partition}:sqs:${aws:region}:${aws:accountId}:q'}", "custom", "arn"
    )
    assert isinstance(result, Sub)
    assert result.parts == (
        "arn:",
        Ref("AWS::Partition"),
        ":sqs:",
        Ref("AWS::Region"),
        ":",
        Ref("AWS::AccountId"),
        ":q",
    )


# --------------------------------------------------------------------------------------------------
# env:, param:, strToBool


def test_env_reads_only_the_environment_it_is_given() -> None:
    doc = "custom: {k: '${env:API_KEY}'}"
    assert value(doc, "custom", "k", env={"API_KEY": "abc"}) == "abc"
    r = resolver(doc)
    result = r.resolve_at(("custom", "k"))
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::env"
    assert rules(r) == ["LF0008"]


def test_unset_env_uses_the_fallback() -> None:
    # the environment given is the whole environment: an unset variable is unset, its fallback applies
    r = resolver("custom: {k: \"${env:NOPE, 'x'}\"}", env={})
    assert r.resolve_at(("custom", "k")) == "x" and rules(r) == []


def test_unread_env_with_a_text_fallback_is_a_parameter_defaulting_to_it() -> None:
    # environment variables are not read: the deploying shell may set LOG_LEVEL, 'info' is only the default
    r = resolver("custom: {k: \"${env:LOG_LEVEL, 'info'}\"}")
    result = r.resolve_at(("custom", "k"))
    assert result == OtherIntrinsic("Serverless::env", "env:LOG_LEVEL", default="info")
    assert [f.message for f in r.findings] == [
        "'${env:LOG_LEVEL, 'info'}': environment variables are not read; it becomes a Bicep parameter whose "
        "default is the fallback"
    ]


def test_stage_from_an_option_then_env_keeps_the_fallback() -> None:
    # the stage is chosen by --stage, not a deploy-time parameter
    r = resolver("custom: {s: \"${opt:stage, env:STAGE, 'qa'}\"}")
    assert r.resolve_at(("custom", "s")) == "qa" and rules(r) == []


def test_unread_env_with_a_number_fallback_uses_it_and_says_so() -> None:
    r = resolver("provider: {memorySize: '${env:MEM, 1024}'}")
    assert r.resolve_at(("provider", "memorySize")) == 1024
    assert [f.message for f in r.findings] == [
        "'${env:MEM, 1024}': environment variables are not read; the fallback is used as the value (a number "
        "or true/false stays a literal); set it in the file if the deployment's environment sets another value"
    ]


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        # a secret name
        (
            "provider: {environment: {DB_PASSWORD: \"${env:DB_PASSWORD, 'devpass'}\"}}",
            ("provider", "environment", "DB_PASSWORD"),
        ),
        # a credential-shaped fallback
        ("custom: {k: \"${env:CONN, 'Server=db;Password=Fallb4ck'}\"}", ("custom", "k")),
    ],
)
def test_a_secret_fallback_is_not_quoted_in_the_finding(doc: str, path: tuple[str, ...]) -> None:
    r = resolver(doc)
    r.resolve_at(path)
    (finding,) = r.findings
    assert "devpass" not in finding.message and "Fallb4ck" not in finding.message
    assert (
        finding.message.startswith("'${env:")
        and ", ...}': environment variables are not read" in finding.message
    )


def test_param_reads_the_stage_params_then_default() -> None:
    doc = """
        provider: {name: aws}
        params:
          prod: {domain: example.com}
          default: {domain: dev.example.com, level: debug}
        custom: {d: '${param:domain}', l: '${param:level}'}
    """
    assert value(doc, "custom", "d", stage="prod") == "example.com"
    assert value(doc, "custom", "d") == "dev.example.com"
    assert value(doc, "custom", "l", stage="prod") == "debug"


def test_v4_stages_params() -> None:
    doc = "stages:\n  dev: {params: {x: one}}\ncustom: {v: '${param:x}'}"
    assert value(doc, "custom", "v") == "one"


def test_undefined_param_is_a_parameter() -> None:
    r = resolver("custom: {v: '${param:nope}'}")
    result = r.resolve_at(("custom", "v"))
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::param"
    assert rules(r) == ["LF0008"]


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False), ("1", True), ("0", False)])
def test_str_to_bool(text: str, expected: bool) -> None:
    assert value(f"custom: {{b: '${{strToBool({text})}}'}}", "custom", "b") is expected


def test_str_to_bool_of_a_nested_variable() -> None:
    assert value("custom: {on: 'true', b: '${strToBool(${self:custom.on})}'}", "custom", "b") is True


# --------------------------------------------------------------------------------------------------
# deploy-time sources


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("${ssm:/app/db-password}", "ssm"),
        ("${ssm(us-west-2):/app/key}", "ssm"),
        ("${cf:network-stack.VpcId}", "cf"),
        ("${s3:my-bucket/key.txt}", "s3"),
        ("${construct:uploads.bucketName}", "construct"),
        ("${aws:ssm:/x}", "aws"),
        ("${sls:instanceId}", "sls"),
    ],
)
def test_deploy_time_sources_become_parameters(text: str, source: str) -> None:
    r = resolver(f"custom: {{v: '{text}'}}")
    result = r.resolve_at(("custom", "v"))
    assert isinstance(result, OtherIntrinsic) and result.name == f"Serverless::{source}"
    assert rules(r) == ["LF0008"]


def test_a_deploy_time_source_wins_over_its_fallback() -> None:
    result = value("custom: {v: \"${ssm:/x, 'default'}\"}", "custom", "v")
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::ssm"


def test_a_deploy_time_value_inside_a_string_is_a_sub_part() -> None:
    result = value("custom: {v: 'postgres://${ssm:/db/host}:5432'}", "custom", "v")
    assert isinstance(result, Sub)
    assert result.parts[0] == "postgres://" and result.parts[2] == ":5432"
    assert isinstance(result.parts[1], OtherIntrinsic) and result.parts[1].args == "ssm:/db/host"


def test_a_path_inside_an_unknown_value_is_unknown_too() -> None:
    doc = "custom:\n  secrets: ${ssm:/app/secrets}\n  key: ${self:custom.secrets.API_KEY}\n"
    result = value(doc, "custom", "key")
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::ssm"


# --------------------------------------------------------------------------------------------------
# CloudFormation's ${...} is not a serverless variable


def test_cloudformation_placeholders_stay_in_fn_sub() -> None:
    doc = (
        "custom:\n  arn: !Sub 'arn:aws:s3:::${self:custom.bucket}/${AWS::Region}/${Bucket.Arn}'\n"
        "  bucket: pics\n"
    )
    result = value(doc, "custom", "arn")
    assert isinstance(result, Sub)
    assert result.parts[0] == "arn:aws:s3:::pics/"
    assert Ref("AWS::Region") in result.parts


def test_is_variable_tells_serverless_from_cloudformation() -> None:
    assert is_variable("self:custom.x") and is_variable("opt:stage, 'dev'") and is_variable("file(./a.yml):k")
    assert (
        not is_variable("AWS::Region")
        and not is_variable("Bucket.Arn")
        and not is_variable("stageVariables.x")
    )


def test_plain_string_cloudformation_text_is_kept() -> None:
    assert value("custom: {x: 'prefix-${AWS::AccountId}'}", "custom", "x") == "prefix-${AWS::AccountId}"


def test_split_template_handles_nesting() -> None:
    pieces = split_template("a${self:x.${opt:stage}}b")
    assert pieces is not None and len(pieces) == 3


def test_an_unclosed_variable_is_a_finding_not_text() -> None:
    r = resolver("custom: {x: 'a-${self:custom.y'}")
    result = r.resolve_at(("custom", "x"))
    assert isinstance(result, OtherIntrinsic)
    assert rules(r) == ["LF0009"]


# --------------------------------------------------------------------------------------------------
# cycles


def test_a_self_cycle_is_an_error_naming_the_chain() -> None:
    r = resolver("custom: {a: '${self:custom.b}', b: '${self:custom.a}'}")
    with pytest.raises(InputError, match=r"variable cycle: custom\.a -> custom\.b -> custom\.a"):
        r.resolve_at(("custom", "a"))


def test_a_value_that_refers_to_itself_is_a_cycle() -> None:
    with pytest.raises(InputError, match="variable cycle"):
        value("custom: {a: 'x-${self:custom.a}'}", "custom", "a")


def test_a_reference_to_a_containing_mapping_is_a_cycle() -> None:
    with pytest.raises(InputError, match="variable cycle"):
        value("custom: {a: '${self:custom}'}", "custom")


def test_a_long_chain_is_not_a_cycle() -> None:
    items = ", ".join(f"v{i}: '${{self:custom.v{i + 1}}}'" for i in range(150))
    assert value(f"custom: {{{items}, v150: end}}", "custom", "v0") == "end"


# --------------------------------------------------------------------------------------------------
# file()


def write(base: Path, name: str, text: str) -> None:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_file_reads_yaml_and_json_beside_the_service(tmp_path: Path) -> None:
    write(tmp_path, "config/dev.yml", "db: {host: localhost}\n")
    write(tmp_path, "secrets.json", '{"KEY": "k1"}')
    doc = (
        "custom:\n  host: ${file(./config/dev.yml):db.host}\n"
        "  key: ${file(secrets.json):KEY}\n  all: ${file(./config/dev.yml)}\n"
    )
    r = resolver(doc, tmp_path)
    assert r.resolve_at(("custom", "host")) == "localhost"
    assert r.resolve_at(("custom", "key")) == "k1"
    assert plain(r.resolve_at(("custom", "all"))) == {"db": {"host": "localhost"}}


def test_file_path_with_a_nested_variable(tmp_path: Path) -> None:
    write(tmp_path, "config.prod.yml", "level: warn\n")
    doc = "provider: {name: aws}\ncustom:\n  level: ${file(./config.${sls:stage}.yml):level}\n"
    assert value(doc, "custom", "level", base_dir=tmp_path, stage="prod") == "warn"


def test_variables_inside_an_included_file_refer_to_the_service(tmp_path: Path) -> None:
    write(tmp_path, "fns.yml", "hello:\n  handler: h.main\n  environment: {TABLE: '${self:custom.table}'}\n")
    doc = "custom: {table: t1}\nfunctions: ${file(./fns.yml)}\n"
    result = value(doc, "functions", base_dir=tmp_path)
    assert plain(result) == {"hello": {"handler": "h.main", "environment": {"TABLE": "t1"}}}


def test_a_missing_file_uses_the_fallback_or_becomes_a_parameter(tmp_path: Path) -> None:
    assert value("custom: {x: \"${file(./nope.yml):k, 'fb'}\"}", "custom", "x", base_dir=tmp_path) == "fb"
    r = resolver("custom: {x: '${file(./nope.yml):k}'}", tmp_path)
    result = r.resolve_at(("custom", "x"))
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::file"
    assert rules(r) == ["LF0008"]
    # a service's secrets file is often not committed: the value is a parameter, and the message says which
    # path was looked for (relative to the service directory, not to the working directory)
    assert [f.message for f in r.findings] == [
        f"'${{file(./nope.yml):k}}': no such file ./nope.yml (resolved relative to {tmp_path.resolve()}); "
        "it becomes a Bicep parameter"
    ]


def test_a_plain_text_file_is_read_as_a_string(tmp_path: Path) -> None:
    write(tmp_path, "public_key", "-----KEY-----\n")
    assert (
        value("custom: {k: '${file(./public_key)}'}", "custom", "k", base_dir=tmp_path) == "-----KEY-----\n"
    )


def test_javascript_files_are_never_run(tmp_path: Path) -> None:
    write(tmp_path, "config.js", "module.exports = () => ({x: 1})\n")
    r = resolver("custom: {c: '${file(./config.js):x}'}", tmp_path)
    result = r.resolve_at(("custom", "c"))
    assert isinstance(result, OtherIntrinsic) and rules(r) == ["LF0008"]


@pytest.mark.parametrize("path", ["../outside.yml", "./a/../../outside.yml", "/etc/passwd"])
def test_a_file_outside_the_service_directory_is_an_error(tmp_path: Path, path: str) -> None:
    service = tmp_path / "svc"
    service.mkdir()
    write(tmp_path, "outside.yml", "secret: 1\n")
    with pytest.raises(InputError, match="outside the service directory"):
        value(f"custom: {{x: '${{file({path})}}'}}", "custom", "x", base_dir=service)


def test_a_symlink_out_of_the_service_directory_is_an_error(tmp_path: Path) -> None:
    service = tmp_path / "svc"
    service.mkdir()
    write(tmp_path, "outside.yml", "secret: 1\n")
    (service / "link.yml").symlink_to(tmp_path / "outside.yml")
    with pytest.raises(InputError, match="outside the service directory"):
        value("custom: {x: '${file(./link.yml)}'}", "custom", "x", base_dir=service)


def test_files_that_include_each_other_are_a_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "x: ${file(./b.yml)}\n")
    write(tmp_path, "b.yml", "y: ${file(./a.yml)}\n")
    with pytest.raises(InputError, match="cycle"):
        value("custom: {v: '${file(./a.yml)}'}", "custom", "v", base_dir=tmp_path)


def test_without_a_service_directory_file_is_not_available() -> None:
    result = value("custom: {x: '${file(./a.yml)}'}", "custom", "x")
    assert isinstance(result, OtherIntrinsic) and result.name == "Serverless::file"


def test_resolved_mappings_keep_their_key_locations() -> None:
    result = value("custom:\n  m:\n    a: '${self:custom.v}'\n  v: 1\n", "custom", "m")
    assert isinstance(result, Obj) and result.loc_of("a") is not None and result.loc_of("a").line == 3
