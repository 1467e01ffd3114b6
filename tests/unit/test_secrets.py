"""Secrets in environment variables become Key Vault secrets and references, and never leak.

Facts pinned here:
- Key Vault Secrets User role id 4633458b-17de-408a-b874-0445c86b69e6 (research/azure-target.md §5).
- An app setting ``@Microsoft.KeyVault(SecretUri=<secret uri>)`` resolves a Key Vault reference; with a
  user-assigned identity the site's ``keyVaultReferenceIdentity`` names the identity's resource id
  (Microsoft.Web/sites SiteProperties.keyVaultReferenceIdentity in the Bicep type data).
- Key Vault secret names: 1-127 letters, digits and dashes (Microsoft.KeyVault/vaults/secrets name pattern).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_functions import app_settings, convert, findings_for, function, of_type, rules
from translator.api import convert as convert_file
from translator.api import render
from translator.bicep import render as render_value
from translator.cli import main
from translator.mapping.keyvault import secret_name as vault_secret_name
from translator.mapping.secrets_detect import embedded_secret, looks_secret, secret_name, secret_value
from translator.plan import AzurePlan, BicepParam
from translator.values import Arr, FindInMap, If, Join, Ref, Sub

PLANTED = "Zq8vN3rT1wXy7Kp2Lm5Hs9Dd4Fg6Jb0C"  # long and random: secret by its value alone
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("dbPassword", True),
        ("PASSWD", True),
        ("CLIENT_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("authToken", True),
        ("API_KEY", True),
        ("apiKey", True),
        ("STRIPE_SECRET_KEY", True),
        ("PRIVATE_KEY", True),
        ("ACCESS_KEY", True),
        ("DATABASE_CONNECTION_STRING", True),
        ("SQL_CONNECTIONSTRING", True),
        ("CREDENTIALS", True),
        ("TABLE_NAME", False),
        ("PARTITION_KEY", False),
        ("SORT_KEY", False),
        ("S3_KEY_PREFIX", False),
        ("KMS_KEY_ARN", False),
        # a webhook URL is a credential: WEBHOOK (or HOOK) last or before URL/URI
        ("SLACK_WEBHOOK_URL", True),
        ("slackWebhookUrl", True),
        ("TEAMS_WEBHOOK", True),
        ("SLACK_HOOK_URL", True),
        ("WEBHOOK_FUNCTION_ARN", False),
        ("WEBHOOK_EVENTS_TABLE", False),
        ("TOKEN_TABLE", True),  # the name test leans towards secret
        ("LOG_LEVEL", False),
        ("PASSENGER_COUNT", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert bool(secret_name(name)) == secret


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("AKIAIOSFODNN7EXAMPLE", True),  # AWS access key id shape (AKIA + 16)
        ("ASIAIOSFODNN7EXAMPLE", True),
        (
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==;EndpointSuffix=core.windows.net",
            True,
        ),
        ("Server=db;Database=orders;User Id=app;Password=pw1;", True),
        ("postgres://app:s3cr3t@db.example.com:5432/orders", True),
        ("mongodb+srv://user:pw@cluster0.example.net/db", True),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", True),
        (
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            True,
        ),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", True),
        (PLANTED, True),
        ("orders", False),
        ("https://example.com/api/v1/orders", False),
        ("arn:aws:sqs:us-east-1:123456789012:orders-queue", False),
        ("postgres://db.example.com:5432/orders", False),  # no credential in it
        ("0123456789abcdef0123456789abcdef01234567", False),  # a hex digest is an identifier
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", False),  # a GUID
        ("my_application_configuration_value_name", False),  # long but a plain word list
        ("INFO", False),
        ("", False),
        # key=value credentials inside a value: start, space, ;, & or ? before the key, any case
        ("host=x pw=Hardc0dedSecret99", True),
        ("pwd=abc123", True),
        ("host=db PASSWORD=abc123 port=5432", True),
        ("user=app;passwd=abc123", True),
        ("https://api.example.com/v1?token=abc123", True),
        ("https://api.example.com/v1?a=1&apikey=abc123", True),
        ("api_key=abc123", True),
        ("mode=x secret=abc123", True),
        ("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=abc=", True),
        ("AccountName=a;accountkey=abc==", True),
        # no credential written there: a placeholder, nothing, a flag; or the key is part of a longer word
        ("host=x pw=${DbPassword}", False),
        ("host=x password= port=5432", False),
        ("Server=db;Password=;", False),
        ("user=app pwd=<your-password>", False),
        ("mode=x secret=true", False),
        ("https://api.example.com/v1?next_token=abc123", False),
        ("dbpassword=abc123", False),
        ("SharedAccessKeyName=RootManageSharedAccessKey", False),
        # URL user info with an empty user (Redis AUTH), or a user
        ("redis://:r3d1sPassw0rd@cache:6379/0", True),
        ("rediss://default:pw@cache:6380", True),
        ("redis://cache:6379/0", False),
        # URLs whose path or query is the credential
        ("https://hooks.slack.com/services/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", True),
        ("https://discord.com/api/webhooks/123456789012345678/AbCdEf-gHiJkLmNoP_qRsTuV", True),
        (
            "https://contoso.webhook.office.com/webhookb2/0f1e2d3c-aaaa-bbbb-cccc-000000000000@1a2b3c4d-aaaa-bbbb"
            "-cccc-000000000000/IncomingWebhook/0123456789abcdef0123456789abcdef/0f1e2d3c-aaaa-bbbb-cccc-000000000000",
            True,
        ),
        ("https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sr=b&sp=r&sig=AbCd%2Bef%3D", True),
        (
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0a1b2c3d4e5f",
            True,
        ),
        ("https://api.example.com/v1?access_token=abc123", True),
        ("https://maps.example.com/api?key=AIzaSyA1b2C3d4E5f6G7h8", True),
        ("https://api.example.com/v1/items/k9Xq2LmN7pR4sT1vW8yZ3aBc", True),  # a random path segment
        ("https://hooks.slack.com/", False),
        ("https://api.example.com/v1?access_token=${Token}&key=", False),
        ("https://api.example.com/v1/GetOrdersFunction2024Prod/items", False),  # a name, not random
        ("https://api.example.com/v1/0123456789abcdef0123456789abcdef", False),  # a hex id
        ("https://api.example.com/v1/orders?page=2&sort=desc", False),
    ],
)
def test_secret_values(value: str, secret: bool) -> None:
    assert bool(secret_value(value)) == secret


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("redis://:r3d1sPassw0rd@cache:6379/0", "the value is a connection string with a credential"),
        (
            "https://hooks.slack.com/services/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",
            "the value is a Slack webhook URL",
        ),
        ("https://discord.com/api/webhooks/1234/AbCd", "the value is a Discord webhook URL"),
        (
            "https://x.blob.core.windows.net/c?sv=1&sig=Ab%3D",
            "the value is a URL with a credential in its query (sig=)",
        ),
        ("https://x/v1/k9Xq2LmN7pR4sT1vW8yZ3aBc", "the value is a URL with a random string in its path"),
    ],
)
def test_url_credential_reasons(value: str, reason: str) -> None:
    assert secret_value(value) == reason


def test_redis_password_and_slack_webhook_leave_the_bicep() -> None:
    env = (
        "Variables:\n  REDIS_URL: redis://:r3d1sPassw0rd@cache:6379/0\n"
        "  NOTIFY: https://hooks.slack.com/services/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\n"
    )
    plan = convert(function(Environment=env))
    messages = findings_for(plan, "LF5020")
    assert messages == [
        "environment variable 'REDIS_URL' looks secret (the value is a connection string with a credential): it "
        "becomes a Key Vault secret set from a @secure() parameter, and the app setting a Key Vault reference; "
        "the value is not copied",
        "environment variable 'NOTIFY' looks secret (the value is a Slack webhook URL): it becomes a Key Vault "
        "secret set from a @secure() parameter, and the app setting a Key Vault reference; the value is not copied",
    ]
    text = "\n".join(render(plan).values())
    assert "r3d1sPassw0rd" not in text and "k9Xq2LmN7pR4sT1vW8yZ3aBc" not in text


def test_reasons_never_quote_the_value() -> None:
    for value in ("AKIAIOSFODNN7EXAMPLE", PLANTED, "postgres://app:s3cr3t@db/x"):
        reason = looks_secret("SETTING", value)
        assert reason and value not in reason and "s3cr3t" not in reason


@pytest.mark.parametrize(
    ("setting", "name"),
    [("DB_PASSWORD", "db-password"), ("stripe.api_key", "stripe-api-key"), ("__", "secret")],
)
def test_key_vault_secret_names(setting: str, name: str) -> None:
    assert vault_secret_name(setting) == name
    assert re.fullmatch(r"[a-zA-Z0-9-]{1,127}", name)


# ---- the Bicep ------------------------------------------------------------------------------------


def test_literal_secret_becomes_a_key_vault_reference() -> None:
    env = f"Variables:\n  DB_PASSWORD: hunter2-pw\n  RANDOM_THING: {PLANTED}\n  TABLE: orders\n"
    plan = convert(function(Environment=env))
    settings = app_settings(plan)
    (vault,) = of_type(plan, "Microsoft.KeyVault/vaults")
    assert vault.body["properties"]["enableRbacAuthorization"] is True
    secrets = {r.body["name"]: r for r in of_type(plan, "Microsoft.KeyVault/vaults/secrets")}
    assert set(secrets) == {"db-password", "random-thing"}
    for setting, secret in (("DB_PASSWORD", "db-password"), ("RANDOM_THING", "random-thing")):
        resource = secrets[secret]
        assert render_value(settings[setting]) == (
            f"'@Microsoft.KeyVault(SecretUri=${{{resource.symbol}.properties.secretUri}})'"
        )
        # the secret's value is a @secure() parameter without a default
        value = resource.body["properties"]["value"]
        (param,) = [p for p in plan.params if p.name == value.name]
        assert param.secure and not param.has_default and param.parameters_file_value is None
    assert settings["TABLE"] == "orders"
    assert len(findings_for(plan, "LF5020")) == 2
    # the app identity reads secrets, and the site resolves references with it
    (identity,) = of_type(plan, "Microsoft.ManagedIdentity/userAssignedIdentities")
    (site,) = of_type(plan, "Microsoft.Web/sites")
    assert render_value(site.body["properties"]["keyVaultReferenceIdentity"]) == f"{identity.symbol}.id"
    grants = [
        r
        for r in of_type(plan, "Microsoft.Authorization/roleAssignments")
        if KEY_VAULT_SECRETS_USER in render_value(r.body["properties"]["roleDefinitionId"])
    ]
    assert len(grants) == 1
    assert render_value(grants[0].body["scope"]) == vault.symbol
    assert (
        render_value(grants[0].body["properties"]["principalId"])
        == f"{identity.symbol}.properties.principalId"
    )


def test_no_secret_no_vault() -> None:
    plan = convert(function(Environment="Variables:\n  TABLE: orders\n"))
    assert not of_type(plan, "Microsoft.KeyVault/vaults")
    (site,) = of_type(plan, "Microsoft.Web/sites")
    assert "keyVaultReferenceIdentity" not in site.body["properties"]


def test_secure_parameter_goes_through_key_vault() -> None:
    head = "Parameters:\n  DbPass:\n    Type: String\n    NoEcho: true\n"
    plan = convert(function(Environment="Variables:\n  DATABASE: !Ref DbPass\n"), head=head)
    settings = app_settings(plan)
    (secret,) = of_type(plan, "Microsoft.KeyVault/vaults/secrets")
    assert render_value(secret.body["properties"]["value"]) == "dbPass"
    assert "SecretUri" in render_value(settings["DATABASE"])
    assert findings_for(plan, "LF5021") and "LF5020" not in rules(plan)


def test_plain_parameter_is_not_a_secret() -> None:
    head = "Parameters:\n  Stage:\n    Type: String\n    Default: prod\n"
    plan = convert(function(Environment="Variables:\n  STAGE: !Ref Stage\n"), head=head)
    assert not of_type(plan, "Microsoft.KeyVault/vaults")


def test_one_vault_and_one_secret_for_a_shared_value() -> None:
    env = "Variables:\n  API_KEY: same-key-value\n"
    plan = convert(
        function("A", Environment=env),
        function("B", Environment=env, MemorySize=1024),  # another app
    )
    assert len(plan.apps) == 2
    assert len(of_type(plan, "Microsoft.KeyVault/vaults")) == 1
    assert len(of_type(plan, "Microsoft.KeyVault/vaults/secrets")) == 1
    assert len([p for p in plan.params if p.secure]) == 1
    grants = [
        r
        for r in of_type(plan, "Microsoft.Authorization/roleAssignments")
        if KEY_VAULT_SECRETS_USER in render_value(r.body["properties"]["roleDefinitionId"])
    ]
    assert len(grants) == 2  # each app identity


# ---- no output and no console line holds the value -------------------------------------------------

TEMPLATE = f"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          DB_PASSWORD: planted-{PLANTED}
          SOMETHING: {PLANTED}
          AWS_ACCESS_KEY: AKIAIOSFODNN7EXAMPLE
      Events:
        Get:
          Type: Api
          Properties: {{Path: /orders, Method: get}}
"""


def test_secret_never_reaches_any_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["convert", str(template), "--output", str(out)])
    assert code == 0
    console = capsys.readouterr()
    written = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()
    }
    for name in (
        "infra/main.bicep",
        "infra/main.parameters.json",
        "migration-report.md",
        "migration-report.json",
        "migration-report.html",
        "migration-report.sarif",
    ):
        assert name in written
    for planted in (PLANTED, "AKIAIOSFODNN7EXAMPLE"):
        for name, text in written.items():
            assert planted not in text, name
        assert planted not in console.out and planted not in console.err
    # and the secrets were handled, not dropped
    report = json.loads(written["migration-report.json"])
    assert len([f for f in report["findings"] if f["rule"] == "LF5020"]) == 3
    assert written["infra/main.bicep"].count("@Microsoft.KeyVault(SecretUri=") == 3


def test_secret_never_reaches_the_rendered_files_in_memory() -> None:
    plan = convert(function(Environment=f"Variables:\n  TOKEN: {PLANTED}\n"))
    files = render(plan)
    assert not [name for name, text in files.items() if PLANTED in text]


# ---- values that are not literals (issue 4 review) ---------------------------------------------------

PASSWORD_PARAM = (
    "Parameters:\n  DbPass:\n    Type: String\n    Default: hunter2\n"
    "    AllowedValues: [hunter2, swordfish]\n"
)


def param(plan: AzurePlan, name: str) -> BicepParam:
    (found,) = [p for p in plan.params if p.name == name]
    return found


def vault_value(plan: AzurePlan, settings: dict[str, Any], setting: str) -> str:
    """The rendered value of the Key Vault secret behind an app setting (which must be a reference)."""
    secrets = {r.symbol: r for r in of_type(plan, "Microsoft.KeyVault/vaults/secrets")}
    match = re.fullmatch(
        r"'@Microsoft\.KeyVault\(SecretUri=\$\{(\w+)\.properties\.secretUri\}\)'",
        render_value(settings[setting]),
    )
    assert match, render_value(settings[setting])
    return render_value(secrets[match.group(1)].body["properties"]["value"])


def test_plain_parameter_under_a_secret_name_becomes_secure_without_its_default() -> None:
    plan = convert(function(Environment="Variables:\n  DB_PASSWORD: !Ref DbPass\n"), head=PASSWORD_PARAM)
    db_pass = param(plan, "dbPass")
    # the default and the allowed values would be the password in plain text: azd asks for it instead
    assert db_pass.secure and not db_pass.has_default and db_pass.default is None and db_pass.allowed == ()
    assert vault_value(plan, app_settings(plan), "DB_PASSWORD") == "dbPass"
    (lf5022,) = [f for f in plan.findings if f.rule == "LF5022"]
    assert lf5022.resource == "DbPass" and lf5022.loc is not None and lf5022.loc.line == 3
    assert "without its Default and AllowedValues" in lf5022.message and "hunter2" not in lf5022.message
    assert findings_for(plan, "LF5021")


def test_parameter_whose_default_or_name_looks_secret_is_secure_under_any_name() -> None:
    head = (
        "Parameters:\n  LegacyUrl:\n    Type: String\n    Default: postgres://app:pw1@db:5432/orders\n"
        "  ApiSecret:\n    Type: String\n    Default: abc\n  Stage:\n    Type: String\n    Default: prod\n"
    )
    env = (
        "Variables:\n  LEGACY: !Ref LegacyUrl\n  UPSTREAM: !Sub '${Stage}:${ApiSecret}'\n"
        "  STAGE: !Ref Stage\n"
    )
    plan = convert(function(Environment=env), head=head)
    settings = app_settings(plan)
    assert param(plan, "legacyUrl").secure and param(plan, "apiSecret").secure
    assert vault_value(plan, settings, "LEGACY") == "legacyUrl"
    assert vault_value(plan, settings, "UPSTREAM") == "'${stage}:${apiSecret}'"  # the structure stays
    # a harmless parameter next to a secret one, under a harmless name, keeps its default
    stage = param(plan, "stage")
    assert not stage.secure and stage.default == "prod"
    assert render_value(settings["STAGE"]) == "stage"
    assert sorted(f.resource for f in plan.findings if f.rule == "LF5022") == ["ApiSecret", "LegacyUrl"]


def test_attribute_import_and_untranslated_getatt_under_a_secret_name_go_through_key_vault() -> None:
    client = (
        "  Client:\n    Type: AWS::Cognito::UserPoolClient\n"
        "    Properties: {UserPoolId: pool, GenerateSecret: true}\n"
        "  Tokens:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
        "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
    )
    env = (
        "Variables:\n  CLIENT_SECRET: !GetAtt Client.ClientSecret\n"
        "  SHARED_TOKEN: !ImportValue shared-token\n"
        "  TOKEN_TABLE: !Ref Tokens\n"
    )
    plan = convert(function(Environment=env), client)
    settings = app_settings(plan)
    # the stand-in parameters of untranslated values are secure (they had no default to drop)
    for setting in ("CLIENT_SECRET", "SHARED_TOKEN"):
        assert param(plan, vault_value(plan, settings, setting)).secure
    # another resource's attribute: the secret holds the expression itself, nothing to supply
    assert vault_value(plan, settings, "TOKEN_TABLE") == "tokens.name"
    assert len(findings_for(plan, "LF5021")) == 3 and "LF5022" not in rules(plan)


def test_expression_with_literal_text_under_a_secret_name_becomes_one_secure_parameter() -> None:
    head = (
        "Parameters:\n  Stage:\n    Type: String\n    Default: prod\n"
        "Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n"
        "Mappings:\n  Keys:\n    prod: {Api: mapped-key-0001}\n"
    )
    env = (
        "Variables:\n  API_KEY: !Sub 'sk-live-part-${Stage}'\n"
        "  AUTH_TOKEN: !If [IsProd, tok-a-0002, tok-b-0003]\n"
        "  STRIPE_KEY_TOKEN: !FindInMap [Keys, !Ref Stage, Api]\n"
        "  DB_USER_PASSWORD: !Join [':', [!Ref Stage, !Ref Stage]]\n"
        "  DATABASE_URL: !Sub 'postgres://app:pw-0004@${Stage}.db/orders'\n  HOST: !Sub '${Stage}.db'\n"
    )
    plan = convert(function(Environment=env), head=head)
    settings = app_settings(plan)
    for setting in ("API_KEY", "AUTH_TOKEN", "STRIPE_KEY_TOKEN", "DATABASE_URL"):
        value = param(plan, vault_value(plan, settings, setting))
        assert value.secure and not value.has_default
    assert len(findings_for(plan, "LF5020")) == 4
    # only separators between parameters: the expression stays, its parameter becomes secure
    assert vault_value(plan, settings, "DB_USER_PASSWORD") == "'${stage}:${stage}'"
    assert param(plan, "stage").secure
    # and a harmless setting that reads it now reads a secure value: through Key Vault as well
    assert vault_value(plan, settings, "HOST") == "'${stage}.db'"
    text = render(plan)["infra/main.bicep"]
    for planted in ("sk-live-part", "tok-a-0002", "tok-b-0003", "mapped-key-0001", "pw-0004", "'prod'"):
        assert planted not in text, planted


def test_a_secret_that_may_be_absent_keeps_its_parameter_secure() -> None:
    head = PASSWORD_PARAM + "Conditions:\n  Never: !Equals [a, b]\n"
    env = "Variables:\n  DB_PASSWORD: !If [Never, !Ref DbPass, !Ref AWS::NoValue]\n"
    plan = convert(function(Environment=env), head=head)
    # a Key Vault secret cannot be absent: the setting reads the secure parameter directly
    assert param(plan, "dbPass").secure and not param(plan, "dbPass").has_default
    assert "hunter2" not in render(plan)["infra/main.bicep"]


EXPRESSIONS_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  DbPass:
    Type: String
    Default: hunter2-default
  LegacyUrl:
    Type: String
    Default: postgres://app:legacy-pw-0451@db.internal:5432/orders
Resources:
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: pool, GenerateSecret: true}
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          DB_PASSWORD: !Ref DbPass
          CLIENT_SECRET: !GetAtt Client.ClientSecret
          SHARED_TOKEN: !ImportValue shared-token-export
          API_KEY: !Sub "sk-sub-literal-${AWS::Region}"
          DATABASE_URL: !Sub "postgres://app:sub-pw-0452@${AWS::Region}.db:5432/orders"
          LEGACY: !Ref LegacyUrl
"""


def test_expression_secrets_never_reach_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(EXPRESSIONS_TEMPLATE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(template), "--output", str(out)]) == 0
    console = capsys.readouterr()
    written = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()
    }
    outputs = ["infra/main.bicep", "infra/main.parameters.json"] + [
        f"migration-report.{ext}" for ext in ("md", "json", "html", "sarif")
    ]
    assert set(outputs) <= set(written)
    for planted in ("hunter2", "legacy-pw-0451", "sk-sub-literal", "sub-pw-0452"):
        for name, text in written.items():
            assert planted not in text, name
        assert planted not in console.out and planted not in console.err
    # every one of the six settings is a Key Vault reference, and every secret value is a secure parameter
    assert written["infra/main.bicep"].count("@Microsoft.KeyVault(SecretUri=") == 6
    assert written["infra/main.bicep"].count("@secure()") == 6
    report = json.loads(written["migration-report.json"])
    assert sorted(f["rule"] for f in report["findings"] if f["rule"].startswith("LF502")) == [
        *["LF5020"] * 2,
        *["LF5021"] * 4,
        *["LF5022"] * 2,
    ]


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("API_KEY", Sub(("sk-", Ref("Stage"))), True),  # under a secret name any literal word counts
        ("API_KEY", Sub((Ref("A"), ":", Ref("B"))), False),  # separators only: parameters carry it
        ("API_KEY", FindInMap("Keys", Ref("Stage"), "Api"), True),
        ("AUTH_TOKEN", If("Prod", "a", "b"), True),
        ("DB_URL", Sub(("postgres://app:pw@", Ref("Host"), "/db")), True),  # a credential under any name
        ("DB_URL", Sub(("postgres://", Ref("Host"), "/db")), False),
        ("DB_URL", Join(";", Arr(["Server=x", "Password=pw"])), True),
        ("username", Sub(("{{resolve:secretsmanager:", Ref("SecretArn"), ":SecretString:username}}")), True),
        ("HOST", FindInMap("Hosts", Ref("Stage"), "Name"), False),
    ],
)
def test_embedded_secrets(name: str, value: object, secret: bool) -> None:
    reason = embedded_secret(name, value)
    assert bool(reason) == secret
    assert reason is None or "pw" not in reason


def test_cognito_client_secret_of_the_corpus_goes_through_key_vault(shared_dir: Path) -> None:
    """serverless-patterns apigw-lambda-cognito-sam-java sets MY_COGNITO_POOL_APP_CLIENT_SECRET from
    !GetAtt MyCognitoUserPoolClient.ClientSecret, which has no Azure counterpart."""
    path = (
        shared_dir
        / "corpus/sam/serverless-patterns/serverless-patterns__apigw-lambda-cognito-sam-java__template.yaml"
    )
    plan = convert_file(path).plan
    settings = app_settings(plan)
    client_secret = param(plan, vault_value(plan, settings, "MY_COGNITO_POOL_APP_CLIENT_SECRET"))
    assert client_secret.secure
    assert not str(render_value(settings["MY_COGNITO_POOL_ID"])).startswith("'@Microsoft.KeyVault")


def test_key_value_credential_inside_a_value_goes_to_key_vault(tmp_path: Path) -> None:
    """A ``pw=`` inside an ordinary-named variable's value: the whole value is a Key Vault secret (LF5020)."""
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.12\n      Handler: a.handler\n      CodeUri: src/\n"
        "      Environment:\n        Variables:\n"
        '          DB: "host=x pw=Hardc0dedSecret99"\n'
        '          LATER: "host=x pw=${DbPassword}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["convert", str(template), "--output", str(out)]) == 0
    bicep = (out / "infra" / "main.bicep").read_text(encoding="utf-8")
    assert "Hardc0dedSecret99" not in bicep
    assert "    DB: '@Microsoft.KeyVault(SecretUri=${dbVaultSecret.properties.secretUri})'" in bicep
    assert "    LATER: 'host=x pw=${DbPassword}'" in bicep.replace("\\${", "${")  # a placeholder is no secret
    report = json.loads((out / "migration-report.json").read_text(encoding="utf-8"))
    messages = [f["message"] for f in report["findings"] if f["rule"] == "LF5020"]
    assert messages == [
        "environment variable 'DB' looks secret (the value is a connection string with a credential): it becomes"
        " a Key Vault secret set from a @secure() parameter, and the app setting a Key Vault reference;"
        " the value is not copied"
    ]


# ---- literal secrets outside environment variables ------------------------------------------------


def test_literal_secret_in_an_output_becomes_a_secure_parameter_and_a_secure_output() -> None:
    outputs = (
        'Outputs:\n  LegacyConn:\n    Value: "Server=db;User Id=app;Password=OutputS3cretValue"\n'
        "  Table:\n    Value: orders\n"
    )
    plan = convert(function(), outputs)
    assert findings_for(plan, "LF5023", "LegacyConn") == [
        "output 'LegacyConn' looks secret (the value is a connection string with a credential): its value "
        "becomes the @secure() parameter 'legacyConnOutputValue' and the output is @secure(); the value is not "
        "copied"
    ]
    assert "LF4025" not in rules(plan)  # one finding for one cause
    bicep = render(plan)["infra/main.bicep"]
    assert "OutputS3cretValue" not in "\n".join(render(plan).values())
    assert "@secure()\nparam legacyConnOutputValue string\n" in bicep
    assert "@secure()\noutput LegacyConn string = legacyConnOutputValue\n" in bicep
    assert "output Table string = 'orders'\n" in bicep


def test_credential_inside_an_output_sub_is_not_copied() -> None:
    outputs = "Outputs:\n  Dsn:\n    Value: !Sub 'postgres://app:Sub5ecretPw@${AWS::StackName}-db:5432/x'\n"
    plan = convert(function(), outputs)
    (message,) = findings_for(plan, "LF5023", "Dsn")
    assert "(the value is a connection string with a credential inside Fn::Sub)" in message
    assert "Sub5ecretPw" not in render(plan)["infra/main.bicep"]


def test_output_of_an_arn_or_a_name_stays_plain() -> None:
    outputs = (
        "Outputs:\n  DbSecretArn:\n    Value: !Sub 'arn:aws:secretsmanager:${AWS::Region}:1:secret:db'\n"
        "  ApiKeyName:\n    Value: orders-key\n"
    )
    plan = convert(function(), outputs)
    assert "LF5023" not in rules(plan)
    assert "@secure()\noutput" not in render(plan)["infra/main.bicep"]


def test_secret_looking_tag_is_not_set_on_the_app() -> None:
    plan = convert(function(Tags="Owner: team\nNote: 'Server=db;Password=TagS3cretValue'"))
    assert findings_for(plan, "LF5023") == [
        "tag 'Note' of Fn looks secret (the value is a connection string with a credential): it is not set on "
        "the app; the value is not copied"
    ]
    (app,) = of_type(plan, "Microsoft.Web/sites")
    assert (
        render_value(app.body["tags"])
        == "union(tags, {\n  Owner: 'team'\n}, {\n  'azd-service-name': 't'\n})"
    )
    assert "TagS3cretValue" not in "\n".join(render(plan).values())


def test_parameter_default_that_looks_secret_is_dropped_whatever_reads_it() -> None:
    head = "Parameters:\n  Conn:\n    Type: String\n    Default: 'Server=db;Password=ParamDefaultS3cret'\n"
    plan = convert(function(), "Outputs:\n  C:\n    Value: !Ref Conn\n", head=head)
    assert findings_for(plan, "LF5022", "Conn") == [
        "parameter 'Conn' has a default that looks secret (the value is a connection string with a credential): "
        "it becomes a @secure() parameter without its Default and AllowedValues; supply its value at deployment"
    ]
    files = render(plan)
    assert "ParamDefaultS3cret" not in "\n".join(files.values())
    assert "@secure()\nparam conn string\n" in files["infra/main.bicep"]
    assert "@secure()\noutput C string = conn\n" in files["infra/main.bicep"]


def test_secret_looking_mapping_value_is_a_secure_parameter_in_the_map_variable() -> None:
    head = (
        "Parameters:\n  Stage: {Type: String, Default: prod}\n"
        "Mappings:\n  Cfg:\n"
        "    prod: {Hook: 'https://hooks.slack.com/services/T03AB12CD/B04EF56GH/MapS3cretk9Xq2LmN7pR4', Level: info}\n"
        "    dev: {Hook: '', Level: debug}\n"
    )
    env = "Variables:\n  LEVEL: !FindInMap [Cfg, !Ref Stage, Level]\n"
    plan = convert(function(Environment=env), head=head)
    assert [f.message for f in plan.findings if f.rule == "LF5023"] == [
        "mapping value 'Cfg.prod.Hook' looks secret (the value is a Slack webhook URL): the map variable reads "
        "the @secure() parameter 'cfgProdHookMappingValue' in its place; the value is not copied"
    ]
    bicep = render(plan)["infra/main.bicep"]
    assert "MapS3cret" not in bicep
    assert "@secure()\nparam cfgProdHookMappingValue string\n" in bicep
    assert "    Hook: cfgProdHookMappingValue\n    Level: 'info'\n" in bicep
    assert "    Hook: ''\n    Level: 'debug'\n" in bicep


def test_variable_reading_a_secret_looking_mapping_column_goes_to_key_vault() -> None:
    head = (
        "Parameters:\n  Stage: {Type: String, Default: prod}\n"
        "Mappings:\n  Cfg:\n"
        "    prod: {Hook: 'https://hooks.slack.com/services/T03AB12CD/B04EF56GH/MapS3cretk9Xq2LmN7pR4', Level: info}\n"
    )
    env = "Variables:\n  NOTIFY: !FindInMap [Cfg, !Ref Stage, Hook]\n  LEVEL: !FindInMap [Cfg, !Ref Stage, Level]\n"
    plan = convert(function(Environment=env), head=head)
    assert findings_for(plan, "LF5020") == [
        "environment variable 'NOTIFY' looks secret (the value is a Slack webhook URL in Mappings 'Cfg'): it "
        "becomes a Key Vault secret set from a @secure() parameter, and the app setting a Key Vault reference; "
        "the value is not copied"
    ]
    settings = app_settings(plan)
    assert "SecretUri" in render_value(settings["NOTIFY"])
    assert (
        render_value(settings["LEVEL"]) == "string(cfgMap[stage]['Level'])"
    )  # the Level column is no secret
