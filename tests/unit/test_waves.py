"""The migration plan: waves, cut-over order, effort formula and the Flex regional quota."""

from __future__ import annotations

from pathlib import Path

import jsonschema

from translator.api import convert, parse, plan
from translator.emit.report import report_data, report_schema
from translator.findings import Disposition, Finding
from translator.load import load_text
from translator.mapping.waves import REGIONAL_QUOTA_MB, cutover_order, function_effort
from translator.parsers.template import parse_document
from translator.plan import AppQuota, FunctionPlan, QuotaCheck, TriggerPlan

PROJECT = Path(__file__).resolve().parents[2]

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Other:
    Type: AWS::SQS::Queue
  Producer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment: {Variables: {QUEUE_URL: !Ref Jobs}}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Job: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
  AlsoConsumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Job: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
  Loner:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Other: {Type: SQS, Properties: {Queue: !GetAtt Other.Arn}}
"""


def _migration(text: str = TEMPLATE):
    graph = parse_document(load_text(text, "template.yaml"))
    return plan(graph).migration


def test_consumers_of_one_queue_and_its_producer_are_one_wave_producer_first() -> None:
    migration = _migration()
    waves = {w.functions for w in migration.waves}
    # Producer writes into Jobs, which Consumer and AlsoConsumer read: one wave, the producer first
    assert ("Producer", "AlsoConsumer", "Consumer") in waves
    assert ("Loner",) in waves
    assert ("Producer", "Jobs", "uses") in migration.dependencies
    assert ("Jobs", "Consumer", "triggers") in migration.dependencies


def test_independent_functions_get_their_own_waves_smallest_effort_first() -> None:
    migration = _migration()
    assert [w.number for w in migration.waves] == [1, 2]
    assert migration.waves[0].functions == ("Loner",)  # 1 point against 3
    assert migration.waves[0].effort <= migration.waves[1].effort
    assert "shares no queue" in migration.waves[0].reason


def test_plan_is_deterministic() -> None:
    assert _migration() == _migration()
    reordered = TEMPLATE.replace("  Loner:", "  Zzz:").replace("Zzz", "Loner")
    assert _migration(reordered) == _migration()


def test_checklist_names_functions_and_azure_resources() -> None:
    wave = _migration().waves[1]
    steps = [c.step for c in wave.checklist]
    assert steps == sorted(steps, key=["deploy", "test", "cutover", "monitor"].index)
    text = "\n".join(c.text for c in wave.checklist)
    assert "jobs" in wave.azure_resources and "serviceBus" in wave.azure_resources
    assert "Switch Producer to Azure (it uses Jobs -> jobs)" in text
    assert "Jobs is drained on AWS" in text
    # Loner shares the app and moved in wave 1, which turned this wave's functions off: they come back
    # on now, and Loner, already live, is left alone
    assert "Loner" not in text
    assert (
        "In template, turn this wave's functions on: give the app settings AzureWebJobs.AlsoConsumer.Disabled, "
        "AzureWebJobs.Consumer.Disabled, AzureWebJobs.Producer.Disabled back the value main.bicep sets (remove "
        "those it does not set)." in text
    )
    first = "\n".join(c.text for c in _migration().waves[0].checklist)
    assert (
        "In template, keep the functions of later waves off until their wave: app settings "
        "AzureWebJobs.AlsoConsumer.Disabled=true, AzureWebJobs.Consumer.Disabled=true, "
        "AzureWebJobs.Producer.Disabled=true." in first
    )


def test_cutover_order_breaks_cycles_by_name() -> None:
    assert cutover_order(["c", "b", "a"], {("c", "a"): True}) == ["b", "c", "a"]
    assert cutover_order(["y", "x"], {("x", "y"): True, ("y", "x"): True}) == ["x", "y"]


def _fn(runtime: str | None, triggers: tuple[TriggerPlan, ...] = ()) -> FunctionPlan:
    return FunctionPlan(
        "F", "F", "app", None, runtime, None, None, 512, None, triggers, Disposition.CONVERTED, None
    )


def _trigger(azure: str | None, disposition: Disposition) -> TriggerPlan:
    return TriggerPlan("E", "mq", "MQ", azure, None, disposition, {}, None, "F")


def test_effort_formula_term_by_term() -> None:
    findings = [
        Finding.of("LF5012", "w1", resource="F"),  # warning: 0.5
        Finding.of("LF1005", "w2", resource="F"),  # warning: 0.5
        Finding.of("LF2002", "e", resource="F"),  # error: 2
        Finding.of("LF5012", "someone else's", resource="G"),  # not F's: 0
    ]
    triggers = (_trigger(None, Disposition.UNSUPPORTED), _trigger("serviceBusTrigger", Disposition.MANUAL))
    effort = function_effort(_fn("custom ", triggers), findings)
    # 1 base + 2 x 0.5 + 1 x 2 + 1 untriggered x 3 + 1 manual x 1 + 1 custom handler = 9
    assert effort.points == 9.0
    assert [p for _, p in effort.breakdown] == [1.0, 1.0, 2.0, 3.0, 1.0, 1.0]
    assert function_effort(_fn("python 3.12"), []).points == 1.0  # nothing to do but the base
    assert function_effort(_fn(None), []).points == 2.0  # a runtime still to choose


def test_quota_arithmetic() -> None:
    quota = QuotaCheck(REGIONAL_QUOTA_MB, (AppQuota("a", 2048, 100), AppQuota("b", 4096, 100)))
    assert quota.total_mb == 2048 * 100 + 4096 * 100 == 614_400
    assert not quota.within
    assert QuotaCheck(REGIONAL_QUOTA_MB, (AppQuota("a", 512, 1000),)).within  # exactly 512,000 MB


def test_orders_api_quota_and_providers() -> None:
    migration = plan(parse(PROJECT / "samples/orders-api/template.yaml")).migration
    pre = migration.prerequisites
    assert pre.quota.total_mb == 512 * 100 + 2048 * 100 == 256_000 and pre.quota.within
    assert "Microsoft.Web" in pre.providers and "Microsoft.ServiceBus" in pre.providers
    assert "Microsoft.App" not in pre.providers  # no VNet
    assert "Microsoft.Authorization" not in pre.providers  # built in


def test_report_json_with_migration_plan_matches_schema() -> None:
    data = report_data(convert(PROJECT / "samples/image-pipeline/template.json").plan)
    jsonschema.Draft7Validator(report_schema()).validate(data)
    waves = data["migrationPlan"]["waves"]
    # all three run as PipelineRole, which may write UploadBucket (Thumbnail's trigger) and publish to
    # ThumbnailsReadyTopic (Indexer's): Purge feeds both, Indexer and Thumbnail feed each other (a cycle,
    # broken by name)
    assert waves[0]["functions"] == ["PurgeFunction", "IndexerFunction", "ThumbnailFunction"]
    broken = {**data, "migrationPlan": {**data["migrationPlan"], "waves": [{"number": 0}]}}
    assert list(jsonschema.Draft7Validator(report_schema()).iter_errors(broken))


GRANTED = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
  SharedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: items
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem]
                Resource: !GetAtt Items.Arn
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Role: !GetAtt SharedRole.Arn
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Items}
  Alone:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""


def test_a_table_granted_through_policies_or_a_shared_role_is_used_by_the_function() -> None:
    # neither function names Items in its environment: only their IAM statements grant them access, and
    # SharedRole is a role no other function uses, yet the grant is what says Reader reads Items
    migration = _migration(GRANTED)
    waves = {w.functions: w for w in migration.waves}
    assert set(waves) == {("Alone",), ("Reader", "Writer")}
    wave = waves[("Reader", "Writer")]
    assert wave.shared == ("Items",)
    assert ("Reader", "Items", "uses") in migration.dependencies
    assert ("Writer", "Items", "uses") in migration.dependencies
    assert any(c.text.startswith("Copy the items of Items into Cosmos DB items") for c in wave.checklist)
    assert "Reader, Writer share Items (AWS::DynamoDB::Table)" in wave.reason
    assert "shares no queue" in waves[("Alone",)].reason


def test_the_first_wave_provisions_the_shared_infrastructure() -> None:
    """Log Analytics (behind Application Insights), the host storage and the Service Bus namespace are no
    template resource's: the pilot wave provisions them, a later wave lists only what it uses itself."""
    first, second = _migration().waves
    assert first.azure_resources[:5] == (
        "logAnalytics",
        "appInsights",
        "storage",
        "storageBlobService",
        "serviceBus",
    )
    assert "logAnalytics" not in second.azure_resources  # nothing of wave 2 names it; it is there already
    deploy = next(c.text for c in first.checklist if c.step == "deploy")
    assert deploy.startswith(
        "Provision the Azure resources of this wave (logAnalytics, appInsights, storage, "
    )


def test_a_waves_provisioning_list_holds_the_parents_and_scopes_of_its_resources() -> None:
    migration = _migration(GRANTED)
    result = plan(parse_document(load_text(GRANTED, "template.yaml")))
    by_symbol = {r.symbol: r for r in result.resources}
    for wave in migration.waves:
        listed = set(wave.azure_resources)
        for symbol in listed:
            body = by_symbol[symbol].body
            parent = body.get("parent")
            assert parent is None or parent.name in listed, (symbol, parent)
            scope = body.get("scope")
            assert scope is None or scope.name in listed, (symbol, scope)
    wave = next(w for w in migration.waves if "Writer" in w.functions)
    # the Cosmos DB data-plane assignment is scoped to the container: container, database and account
    assert any(by_symbol[s].type.endswith("sqlRoleAssignments") for s in wave.azure_resources)
    types = {by_symbol[s].type for s in wave.azure_resources}
    assert {
        "Microsoft.DocumentDB/databaseAccounts",
        "Microsoft.DocumentDB/databaseAccounts/sqlDatabases",
        "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers",
    } <= types


def test_the_wave_that_provisions_the_key_vault_says_to_purge_it_on_teardown() -> None:
    """The vault is created with softDeleteRetentionInDays 7: a deleted vault keeps its name that long, so
    `azd down` without --purge blocks provisioning the same environment (same kv-<resourceToken>) again."""
    secret = TEMPLATE.replace(
        "  Loner:\n    Type: AWS::Serverless::Function\n    Properties:\n",
        "  Loner:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Environment: {Variables: {DB_PASSWORD: hunter2hunter2}}\n",
    )
    assert secret != TEMPLATE
    migration = _migration(secret)
    texts = [[c.text for c in w.checklist if "azd down --purge" in c.text] for w in migration.waves]
    # the first wave that provisions the vault says it, once
    first = next(i for i, w in enumerate(migration.waves) if "keyVault" in w.azure_resources)
    (purge,) = texts[first]
    assert purge == (
        "Take a trial environment down with `azd down --purge`: the Key Vault (keyVault in main.bicep) keeps "
        "its name for 7 days after it is deleted (soft delete), and provisioning the same environment again "
        "fails until it is purged."
    )
    assert sum(map(len, texts)) == 1
    assert not any("azd down" in c.text for w in _migration().waves for c in w.checklist)  # no vault
