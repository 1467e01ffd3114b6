"""CORS is app-wide on Azure: functions with different CORS get separate apps, and what App Service cannot
express is reported.

Expected values: App Service CORS is ``siteConfig.cors`` with ``allowedOrigins`` and ``supportCredentials``
only, and App Service refuses ``supportCredentials`` with the origin '*' (Microsoft Learn, App Service REST
API tutorial, "Enable CORS ... credentials"). On Flex the Functions host answers preflights with
AllowAnyHeader and AllowAnyMethod and sets no exposed headers or preflight max age (azure-functions-host,
CorsOptionsSetup.cs), so AllowMethods, AllowHeaders, ExposeHeaders and MaxAge are not expressed (LF3040).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from translator.api import Result, convert
from translator.findings import Disposition

MERGE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, CodeUri: src/}
Resources:
  PublicApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: ['*']
  AdminApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'https://admin.example.com'"
        AllowMethods: "'GET,DELETE'"
        AllowHeaders: "'Authorization'"
        AllowCredentials: true
  Catalog:
    Type: AWS::Serverless::Function
    Properties:
      Handler: catalog.h
      Events:
        Get: {Type: HttpApi, Properties: {ApiId: !Ref PublicApi, Path: /catalog, Method: GET}}
  AdminDelete:
    Type: AWS::Serverless::Function
    Properties:
      Handler: admin.h
      Events:
        Del: {Type: Api, Properties: {RestApiId: !Ref AdminApi, Path: "/items/{id}", Method: DELETE}}
"""

DROPPED = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  AdminApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'https://admin.example.com'"
        AllowMethods: "'GET'"
        AllowHeaders: "'X-Admin-Token'"
        MaxAge: "'600'"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: src/
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref AdminApi, Path: /items, Method: GET}}
"""

SERVERLESS = """\
service: payments
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
functions:
  createPayment:
    handler: src/create.handler
    events:
      - http:
          path: payments
          method: post
          cors: true
  getPayment:
    handler: src/get.handler
    events:
      - http:
          path: payments/{id}
          method: get
          cors:
            origin: 'https://app.example.com'
            headers: [Content-Type, Authorization]
  listPayments:
    handler: src/list.handler
    events:
      - http: {path: payments, method: get}
"""


def _convert(tmp_path: Path, text: str, name: str = "cors.yaml") -> Result:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return convert(path)


def _site_cors(result: Result) -> dict[str, str]:
    """app name -> the siteConfig.cors block of its Microsoft.Web/sites resource, as Bicep text."""
    bicep = result.files["infra/main.bicep"]
    blocks = re.findall(r"// function app ([\w-]+):.*?\n    siteConfig: \{\n(.*?)\n    \}\n", bicep, re.S)
    found = {}
    for app, body in blocks:
        match = re.search(r"      cors: \{\n.*?\n      \}", body, re.S)
        found[app] = textwrap.dedent(match.group(0)) if match else ""
    return found


def _messages(result: Result, rule: str) -> list[str]:
    return [f.message for f in result.plan.findings if f.rule == rule]


def test_different_cors_keeps_functions_apart(tmp_path: Path) -> None:
    result = _convert(tmp_path, MERGE)
    apps = {a.name: [f for f in a.functions] for a in result.plan.apps}
    assert apps == {"cors": ["AdminDelete"], "cors-catalog": ["Catalog"]}
    assert _site_cors(result) == {
        "cors": "cors: {\n  allowedOrigins: [\n    'https://admin.example.com'\n  ]\n  supportCredentials: true\n}",
        "cors-catalog": "cors: {\n  allowedOrigins: [\n    '*'\n  ]\n}",
    }
    reason = next(a.grouping_reason for a in result.plan.apps if a.name == "cors-catalog")
    assert reason.endswith(
        "; not with 'AdminDelete': CORS differs between 'AdminDelete' and 'Catalog' (CORS is app-wide)"
    )
    assert _messages(result, "LF2031") == [
        "CORS differs between 'AdminDelete' and 'Catalog' (https://admin.example.com with credentials vs *), "
        "which would otherwise share the app 'cors'; siteConfig.cors is app-wide, so 'Catalog' runs in "
        "the app 'cors-catalog'"
    ]
    assert _messages(result, "LF3040") == [
        "event 'Del': App Service CORS (siteConfig.cors) is wider than the CORS of API 'AdminApi': the allowed "
        "methods GET, DELETE become any method; the allowed headers Authorization become any header"
    ]
    dispositions = {f.logical_id: f.disposition for f in result.plan.functions}
    assert dispositions == {"Catalog": Disposition.CONVERTED, "AdminDelete": Disposition.APPROXIMATED}
    admin = next(f for f in result.plan.functions if f.logical_id == "AdminDelete")
    assert admin.triggers[0].disposition is Disposition.APPROXIMATED


def test_methods_headers_and_max_age_are_reported(tmp_path: Path) -> None:
    result = _convert(tmp_path, DROPPED)
    assert _site_cors(result) == {
        "cors": "cors: {\n  allowedOrigins: [\n    'https://admin.example.com'\n  ]\n}",
    }
    [finding] = [f for f in result.plan.findings if f.rule == "LF3040"]
    assert finding.message == (
        "event 'Get': App Service CORS (siteConfig.cors) is wider than the CORS of API 'AdminApi': the allowed "
        "methods GET become any method; the allowed headers X-Admin-Token become any header; the preflight max "
        "age 600 is not sent (browsers cache preflights for their default time)"
    )
    assert (finding.severity.value, finding.loc.line if finding.loc else None) == ("warning", 10)
    assert result.plan.functions[0].disposition is Disposition.APPROXIMATED


def test_serverless_cors_per_event(tmp_path: Path) -> None:
    result = _convert(tmp_path, SERVERLESS, "serverless.yml")
    apps = {a.name: list(a.functions) for a in result.plan.apps}
    # a route without CORS shares the app of the first function (like an unset variable) and is told so
    assert apps == {"payments": ["createPayment", "listPayments"], "payments-get-payment": ["getPayment"]}
    assert _site_cors(result) == {
        "payments": "cors: {\n  allowedOrigins: [\n    '*'\n  ]\n}",
        "payments-get-payment": "cors: {\n  allowedOrigins: [\n    'https://app.example.com'\n  ]\n}",
    }
    assert _messages(result, "LF2031") == [
        "CORS differs between 'createPayment' and 'getPayment' (* vs https://app.example.com), which would "
        "otherwise share the app 'payments'; siteConfig.cors is app-wide, so 'getPayment' runs in the app "
        "'payments-get-payment'"
    ]
    assert _messages(result, "LF3040") == [
        "event 'HttpEvent1': App Service CORS (siteConfig.cors) is wider than the CORS of the event: the "
        "allowed headers Content-Type, Authorization become any header",
        "event 'HttpEvent1': App Service CORS (siteConfig.cors) is wider than the route's CORS (it has none): "
        "the app's CORS also allows * (for its other HTTP events)",
    ]
    get = next(f for f in result.plan.functions if f.logical_id == "getPayment")
    cors = next(s for s in get.triggers[0].settings if s.name == "Cors")
    assert (cors.disposition, cors.rule) == (Disposition.APPROXIMATED, "LF3040")
    create = next(f for f in result.plan.functions if f.logical_id == "createPayment")
    assert create.disposition is Disposition.CONVERTED


def test_credentials_with_any_origin_are_not_allowed(tmp_path: Path) -> None:
    text = MERGE.replace("AllowOrigins: ['*']", "AllowOrigins: ['*']\n        AllowCredentials: true")
    result = _convert(tmp_path, text)
    assert _site_cors(result)["cors-catalog"] == "cors: {\n  allowedOrigins: [\n    '*'\n  ]\n}"
    assert [m for m in _messages(result, "LF3040") if "'Get'" in m] == [
        "event 'Get': App Service CORS (siteConfig.cors) is wider than the CORS of API 'PublicApi': credentials "
        "are not allowed: App Service refuses supportCredentials with the origin '*'"
    ]
