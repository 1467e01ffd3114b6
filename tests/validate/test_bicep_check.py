"""Tests for the offline Bicep checker (translator.validate.bicep).

A valid Flex Consumption template must come out clean; each planted mistake must give exactly the
expected code on the expected line. Syntax and lint tests need no type data; type tests read it from
../shared (skipped when absent).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from translator.validate import bicep
from translator.validate.bicep import (
    BicepCheckerUnavailable,
    Diagnostic,
    TypeData,
    check_bicep_files,
    check_bicep_text,
)

MAIN = r"""targetScope = 'resourceGroup'

@description('Base name of the function app')
@minLength(3)
param appName string = 'orders'
param location string = resourceGroup().location
@allowed(['python', 'node'])
param runtimeName string = 'python'
param runtimeVersion string = '3.11'
@minValue(40)
param maximumInstanceCount int = 100
param queueNames array = ['orders', 'invoices']
@secure()
param apiKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, location))
var deploymentContainerName = 'app-package-${take(appName, 32)}-${take(resourceToken, 7)}'
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var tags = { 'azd-env-name': appName, note: 'It\'s ${appName}\'s app \\ \${literal} \n' }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'st${resourceToken}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [for q in queueNames: {
      name: q
    }]
  }
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${resourceToken}'
  location: location
  kind: 'functionapp,linux'
  tags: union(tags, { 'azd-service-name': 'api' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
        alwaysReady: [
          {
            name: 'http'
            instanceCount: 1
          }
        ]
        triggers: {
          http: {
            perInstanceConcurrency: 16
          }
        }
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
  dependsOn: [
    blobOwner
    storage::blobService::deploymentContainer
  ]

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      API_KEY: apiKey
    }
  }
}

module queueModule './modules/queues.bicep' = {
  name: 'queues-${resourceToken}'
  params: {
    storageAccountName: storage.name
    queueNames: queueNames
  }
}

output functionAppName string = functionApp.name
output queueIds array = [for (q, i) in queueNames: storage::queueService::queues[i].id]
output summary object = {
  upper: map(queueNames, n => toUpper(n))
  total: reduce(queueNames, 0, (acc, n) => acc + length(n))
  first: filter(queueNames, n => n == queueNames[0])
}
"""

MODULE = """param storageAccountName string
param queueNames array
param visibility string = 'private'
param extraTags object?

var names = queueNames

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for name in names: {
  parent: queueService
  name: name
  properties: {
    metadata: {
      visibility: visibility
    }
  }
}]

output count int = length(queueNames)
"""

MODULE_PARAMS = {
    "./modules/queues.bicep": {
        "storageAccountName": True,
        "queueNames": True,
        "visibility": False,
        "extraTags": False,
    }
}


@pytest.fixture(scope="module")
def types(bicep_types_dir: Path) -> TypeData:
    return TypeData.load(bicep_types_dir)


def plant(old: str, new: str, text: str = MAIN) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def line_of(text: str, snippet: str) -> int:
    """1-based line of the (unique) snippet."""
    assert text.count(snippet) == 1, f"{snippet!r} must occur once"
    return text[: text.index(snippet)].count("\n") + 1


def check(text: str, types: TypeData | None = None) -> list[Diagnostic]:
    return check_bicep_text(text, "main.bicep", types, MODULE_PARAMS)


def only(diags: list[Diagnostic]) -> Diagnostic:
    assert len(diags) == 1, "\n".join(map(str, diags))
    return diags[0]


# -- valid input ---------------------------------------------------------------------------------


def test_valid_flex_main_is_clean(types: TypeData) -> None:
    assert check(MAIN, types) == []


def test_valid_main_is_clean_without_types() -> None:
    assert check_bicep_text(MAIN) == []


def test_valid_files_are_clean(tmp_path: Path, types: TypeData) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "main.bicep").write_text(MAIN, encoding="utf-8")
    (tmp_path / "modules" / "queues.bicep").write_text(MODULE, encoding="utf-8")
    assert check_bicep_files(tmp_path / "main.bicep", types) == []


def test_escaped_string_parses_without_errors() -> None:
    text = (
        r"var s = 'It\'s a \\ backslash, a \${literal} and a\nnew line, \u{1F600}'"
        + "\noutput o string = s\n"
    )
    assert check_bicep_text(text) == []


# -- syntax and lint (no type data needed) --------------------------------------------------------


def test_unclosed_interpolation_is_a_syntax_error() -> None:
    text = plant("name: 'plan-${resourceToken}'", "name: 'plan-${resourceToken'")
    diag = only(check(text))
    assert (diag.code, diag.line, diag.severity) == (
        "SYNTAX",
        line_of(text, "'plan-${resourceToken'"),
        "error",
    )
    assert "missing '}'" in diag.message


def test_empty_interpolation_is_a_syntax_error() -> None:
    text = plant("name: 'plan-${resourceToken}'", "name: 'plan-${}'")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("SYNTAX", line_of(text, "'plan-${}'"))
    assert "empty interpolation" in diag.message


def test_unterminated_string_points_at_the_string() -> None:
    text = "param a string = 'x\nvar b = 1\n"
    diag = only(check_bicep_text(text))
    assert (diag.code, diag.line, diag.col) == ("SYNTAX", 1, 18)


def test_misspelt_keyword_points_at_its_line() -> None:
    text = plant("resource plan 'Microsoft", "resourse plan 'Microsoft")
    diags = check(text)
    assert {d.code for d in diags} == {"SYNTAX"}
    assert diags[0].line == line_of(text, "resourse plan")


def test_duplicate_property() -> None:
    text = plant("    httpsOnly: true\n", "    httpsOnly: true\n    httpsOnly: false\n")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP025", line_of(text, "httpsOnly: false"))


def test_duplicate_symbol() -> None:
    text = plant(
        "param runtimeVersion string = '3.11'", "param runtimeVersion string = '3.11'\nvar appName = 'x'"
    )
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP028", line_of(text, "var appName"))


def test_duplicate_nested_resource_symbol() -> None:
    text = plant("resource queueService 'queueServices'", "resource blobService 'queueServices'")
    text = text.replace("storage::queueService::queues", "storage::blobService::queues")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP028", line_of(text, "resource blobService 'queueServices'"))


def test_undefined_name_suggests_the_closest() -> None:
    text = plant("kind: 'functionapp,linux'", "kind: appNmae")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP057", line_of(text, "kind: appNmae"))
    assert "did you mean 'appName'" in diag.message


def test_undefined_function() -> None:
    text = plant("toLower(uniqueString(", "toLower(uniqueStrin(")
    diag = only(check(text))
    assert diag.code == "BCP057"
    assert "did you mean 'uniqueString'" in diag.message


def test_lambda_parameters_and_loop_variables_are_in_scope() -> None:
    text = """param xs array = []
var doggos = ['a']
var a = map(xs, x => doggos[x])
var b = filter(xs, x => x.a == 1 && x.b)
var c = sort(xs, (p, q) => p < q)
var d = [for (x, i) in xs: x[i]]
var e = map(xs, x => y)
"""
    diag = only(check_bicep_text(text))
    assert (diag.code, diag.line) == ("BCP057", 7)


def test_invalid_escape() -> None:
    text = plant("note: 'It\\'s", "note: 'It\\qs")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP006", line_of(text, "'It\\qs"))
    assert "'\\q'" in diag.message


def test_two_properties_on_one_line() -> None:
    text = plant("    name: 'FC1'\n", "    name: 'FC1' capacity: 1\n")
    diag = only(check(text))
    assert (diag.code, diag.line) == ("BCP238", line_of(text, "capacity: 1"))


def test_syntax_error_suppresses_undefined_name_noise() -> None:
    text = plant("var storageBlobDataOwner = ", "var storageBlobDataOwner ")
    assert {d.code for d in check(text)} == {"SYNTAX"}


def test_diagnostic_str() -> None:
    diag = Diagnostic("infra/main.bicep", 3, 7, "error", "BCP037", "nope")
    assert str(diag) == "infra/main.bicep:3:7: error: BCP037 nope"


def test_missing_tree_sitter_raises_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    bicep._parser.cache_clear()
    monkeypatch.setitem(sys.modules, "tree_sitter_bicep", None)
    try:
        with pytest.raises(BicepCheckerUnavailable, match=r"pip install 'lambda2func\[validate\]'"):
            check_bicep_text("var a = 1\n")
    finally:
        bicep._parser.cache_clear()


# -- types -----------------------------------------------------------------------------------------


def test_unknown_property_suggests_functionappconfig(types: TypeData) -> None:
    text = plant("    functionAppConfig: {", "    functionAppConfg: {")
    diag = only(check(text, types))
    assert (diag.code, diag.line, diag.severity) == ("BCP037", line_of(text, "functionAppConfg"), "error")
    assert "did you mean 'functionAppConfig'" in diag.message


def test_misspelt_nested_property(types: TypeData) -> None:
    text = plant("maximumInstanceCount: maximumInstanceCount", "maximumInstanceCnt: maximumInstanceCount")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP037", line_of(text, "maximumInstanceCnt"))
    assert "did you mean 'maximumInstanceCount'" in diag.message


def test_misspelt_property_in_array_item(types: TypeData) -> None:
    text = plant("instanceCount: 1", "instanceCnt: 1")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP037", line_of(text, "instanceCnt"))


def test_misspelt_property_in_nested_child_resource(types: TypeData) -> None:
    text = plant("publicAccess: 'None'", "publicAcess: 'None'")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP037", line_of(text, "publicAcess"))
    assert "Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01" in diag.message


def test_misspelt_property_in_loop_body(types: TypeData) -> None:
    text = plant("      name: q\n", "      name: q\n      propertes: {}\n")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP037", line_of(text, "propertes"))
    assert "did you mean 'properties'" in diag.message


def test_unknown_api_version(types: TypeData) -> None:
    text = plant("Microsoft.Web/serverfarms@2024-04-01", "Microsoft.Web/serverfarms@2099-01-01")
    diag = only(check(text, types))
    assert (diag.code, diag.line, diag.severity) == ("BCP081", line_of(text, "@2099-01-01"), "error")
    assert "2024-04-01" in diag.message


def test_unknown_resource_type_suggests(types: TypeData) -> None:
    text = plant(
        "'Microsoft.Storage/storageAccounts@2024-01-01'", "'Microsoft.Storage/storageAcounts@2024-01-01'"
    )
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP081", line_of(text, "storageAcounts"))
    assert "did you mean 'Microsoft.Storage/storageAccounts'" in diag.message


def test_existing_but_unpinned_version_is_a_pin_warning(types: TypeData) -> None:
    text = plant(
        "'Microsoft.Storage/storageAccounts@2024-01-01'", "'Microsoft.Storage/storageAccounts@2023-05-01'"
    )
    diag = only(check(text, types))
    assert (diag.code, diag.line, diag.severity) == ("PIN", line_of(text, "@2023-05-01"), "warning")


def test_uncovered_namespace_is_only_a_warning(types: TypeData) -> None:
    text = "resource vm 'Contoso.Compute/widgets@2024-01-01' = {\n  name: 'w'\n}\n"
    diag = only(check_bicep_text(text, types=types))
    assert (diag.code, diag.severity) == ("BCP081", "warning")


def test_read_only_property(types: TypeData) -> None:
    text = plant("    httpsOnly: true\n", "    httpsOnly: true\n    defaultHostName: 'x.example.com'\n")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP073", line_of(text, "defaultHostName"))


def test_missing_required_sku(types: TypeData) -> None:
    text = plant("  kind: 'StorageV2'\n  sku: {\n    name: 'Standard_LRS'\n  }\n", "  kind: 'StorageV2'\n")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP035", line_of(text, "resource storage "))
    assert "'sku'" in diag.message


def test_existing_resource_needs_no_required_properties(types: TypeData) -> None:
    text = "resource st 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {\n  name: 'stx'\n}\n"
    assert check_bicep_text(text, types=types) == []


def test_wrong_literal_kinds(types: TypeData) -> None:
    text = plant("httpsOnly: true", "httpsOnly: 'yes'")
    text = plant("instanceMemoryMB: 2048", "instanceMemoryMB: '2048'", text)
    diags = check(text, types)
    assert [(d.code, d.line) for d in diags] == [
        ("BCP036", line_of(text, "httpsOnly: 'yes'")),
        ("BCP036", line_of(text, "instanceMemoryMB: '2048'")),
    ]
    assert "bool" in diags[0].message


def test_param_of_wrong_primitive_type(types: TypeData) -> None:
    text = plant("instanceMemoryMB: 2048", "instanceMemoryMB: runtimeVersion")
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP036", line_of(text, "instanceMemoryMB: runtimeVersion"))
    assert "param 'runtimeVersion'" in diag.message


def test_open_enum_miss_is_a_warning(types: TypeData) -> None:
    text = plant("name: runtimeName", "name: 'pyhton'")
    diag = only(check(text, types))
    assert (diag.code, diag.line, diag.severity) == ("ENUM", line_of(text, "'pyhton'"), "warning")
    assert "did you mean 'python'" in diag.message


def test_closed_enum_miss_is_an_error(types: TypeData) -> None:
    text = plant("publicAccess: 'None'", "publicAccess: 'Private'")
    diag = only(check(text, types))
    assert (diag.code, diag.line, diag.severity) == ("BCP036", line_of(text, "'Private'"), "error")


def test_literal_type_mismatch(types: TypeData) -> None:
    text = plant(
        "  resource blobService 'blobServices' = {\n    name: 'default'",
        "  resource blobService 'blobServices' = {\n    name: 'Default'",
    )
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP036", line_of(text, "'Default'"))


def test_ternary_branches_are_checked(types: TypeData) -> None:
    text = plant("httpsOnly: true", "httpsOnly: empty(appName) ? true : 'no'")
    diag = only(check(text, types))
    assert diag.code == "BCP036"


def test_discriminated_config_is_narrowed_by_name(types: TypeData) -> None:
    text = plant("name: 'appsettings'", "name: 'web'")
    diags = check(text, types)  # 'web' is SiteConfig: the four app settings are not its properties
    assert [d.code for d in diags] == ["BCP037"] * 4
    bad = plant("name: 'appsettings'", "name: 'appsetings'")
    diag = only(check(bad, types))
    assert (diag.code, diag.line) == ("BCP036", line_of(bad, "'appsetings'"))
    assert "did you mean 'appsettings'" in diag.message


def test_integer_and_length_limits(types: TypeData) -> None:
    text = plant(
        "      minTlsVersion: '1.2'\n", "      minTlsVersion: '1.2'\n      preWarmedInstanceCount: 11\n"
    )
    assert [d.code for d in check(text, types)] == ["BCP327"]
    short = plant("name: 'st${resourceToken}'", "name: 'st'")
    assert [d.code for d in check(short, types)] == ["BCP333"]
    long = plant("name: 'st${resourceToken}'", "name: 'stabcdefghijklmnopqrstuvwxyz${resourceToken}'")
    assert [d.code for d in check(long, types)] == ["BCP332"]


def test_module_parameters(types: TypeData) -> None:
    text = plant("    queueNames: queueNames\n", "    queueName: queueNames\n")
    diags = check(text, types)
    assert [(d.code, d.line) for d in diags] == [
        ("BCP035", line_of(text, "  params: {")),
        ("BCP037", line_of(text, "queueName: queueNames")),
    ]
    assert "did you mean 'queueNames'" in diags[1].message


def test_module_files_and_missing_module(tmp_path: Path, types: TypeData) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "main.bicep").write_text(plant("queueNames: queueNames\n  }", "queueNamez: queueNames\n  }"))
    (tmp_path / "modules" / "queues.bicep").write_text(plant("name: name\n", "name: nmae\n", MODULE))
    diags = check_bicep_files(tmp_path / "main.bicep", types)
    assert sorted((Path(d.file).name, d.code) for d in diags) == [
        ("main.bicep", "BCP035"),
        ("main.bicep", "BCP037"),
        ("queues.bicep", "BCP057"),
    ]
    (tmp_path / "modules" / "queues.bicep").unlink()
    diag = only(check_bicep_files(tmp_path / "main.bicep", types))
    assert (diag.code, diag.line) == ("BCP091", line_of(MAIN, "module queueModule"))


def test_type_data_is_cached_and_lazy(bicep_types_dir: Path) -> None:
    data = TypeData.load(bicep_types_dir)
    assert TypeData.load(bicep_types_dir) is data
    assert data.pinned_versions("microsoft.web/SITES") == ["2024-04-01"]
    assert "2023-05-01" in (data.known_versions("Microsoft.Storage/storageAccounts") or [])
    assert data.resource("Microsoft.Web/sites", "2099-01-01") is None


def test_names_must_be_deploy_time_constants(types: TypeData) -> None:
    text = plant(
        "name: guid(storage.id, identity.id,", "name: guid(storage.id, identity.properties.principalId,"
    )
    diag = only(check(text, types))
    assert (diag.code, diag.line) == ("BCP120", line_of(text, "identity.properties.principalId,"))
    via_var = plant(
        "var storageBlobDataOwner",
        "var planName = 'plan-${storage.listKeys().keys[0].value}'\nvar storageBlobDataOwner",
    )
    via_var = plant("name: 'plan-${resourceToken}'", "name: planName", via_var)
    diag = only(check(via_var, types))
    assert (diag.code, diag.line) == ("BCP120", line_of(via_var, "var planName"))
    module = plant(
        "name: 'queues-${resourceToken}'", "name: 'queues-${functionApp.properties.defaultHostName}'"
    )
    assert [d.code for d in check_bicep_text(module)] == ["BCP120"]
