"""Benchmark: convert a generated SAM template with 100 functions; compare with a bare libyaml parse.

Prints the median wall time of several runs for:
  - yaml.CSafeLoader alone (short tags accepted, no line tracking, nothing else),
  - lambda2func load (line-keeping loader + intrinsic nodes),
  - lambda2func convert (load, parse, map, render every output file; nothing written).

Usage: python benchmarks/convert_100_functions.py [--functions N] [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from translator.api import convert
from translator.load import load_file

_EVENTS = [
    "        Api:\n          Type: Api\n          Properties: {{Path: '/items{i}/{{id}}', Method: get}}\n",
    "        Queue:\n          Type: SQS\n          Properties: {{Queue: !GetAtt Queue{i}.Arn, BatchSize: 10}}\n",
    "        Timer:\n          Type: Schedule\n          Properties: {{Schedule: 'cron(0/{m} * * * ? *)'}}\n",
    "        Stream:\n          Type: DynamoDB\n          Properties: {{Stream: !GetAtt Table{i}.StreamArn, StartingPosition: LATEST}}\n",
    "        Upload:\n          Type: S3\n          Properties: {{Bucket: !Ref Bucket{i}, Events: 's3:ObjectCreated:*'}}\n",
]


def generate(functions: int) -> str:
    parts = [
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n",
        "Parameters:\n  Stage:\n    Type: String\n    Default: dev\n",
        "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 30\n    MemorySize: 512\n",
        "Resources:\n",
    ]
    for i in range(functions):
        kind = i % len(_EVENTS)
        if kind == 1:
            parts.append(
                f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n"
            )
        elif kind == 3:
            parts.append(
                f"  Table{i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
                "      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n"
                "      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n"
                "      BillingMode: PAY_PER_REQUEST\n"
                "      StreamSpecification: {StreamViewType: NEW_IMAGE}\n"
            )
        elif kind == 4:
            parts.append(f"  Bucket{i}:\n    Type: AWS::S3::Bucket\n")
        parts.append(
            f"  Function{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            f"      CodeUri: src/f{i}/\n      Handler: app.handler\n"
            f"      Environment:\n        Variables:\n          STAGE: !Ref Stage\n"
            # a variable of its own: the same name with different values would split the apps (LF2013)
            f"          NAME_F{i}: !Sub '${{AWS::StackName}}-f{i}'\n"
            f"      Events:\n" + _EVENTS[kind].format(i=i, m=(i % 5) + 1)
        )
    return "".join(parts)


class _TagTolerantCSafeLoader(yaml.CSafeLoader):  # type: ignore[misc]
    """libyaml's C loader with CloudFormation tags accepted (constructed as plain values)."""


def _any_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_TagTolerantCSafeLoader.add_multi_constructor("!", _any_tag)


def _median(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--functions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    text = generate(args.functions)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.yaml"
        path.write_text(text, encoding="utf-8")
        convert(path)  # warm up imports and caches (mapping tables, templates)
        parse = _median(
            lambda: yaml.load(path.read_text(encoding="utf-8"), Loader=_TagTolerantCSafeLoader), args.runs
        )
        load = _median(lambda: load_file(path), args.runs)
        full = _median(lambda: convert(path), args.runs)
        result = convert(path)
    lines = text.count("\n")
    print(
        f"template: {args.functions} functions, {lines} lines, {len(text) / 1024:.0f} KiB; median of {args.runs} runs"
    )
    print(f"  yaml CSafeLoader parse only   {parse * 1000:8.1f} ms")
    print(f"  lambda2func load              {load * 1000:8.1f} ms  ({load / parse:.1f}x the bare parse)")
    print(f"  lambda2func convert (all)     {full * 1000:8.1f} ms  ({full / parse:.1f}x the bare parse)")
    print(
        f"  output: {len(result.plan.resources)} Azure resources, {len(result.plan.apps)} apps, "
        f"{len(result.files['infra/main.bicep']) // 1024} KiB of Bicep, {len(result.plan.findings)} findings"
    )


if __name__ == "__main__":
    main()
