"""What looks secret in an environment variable: its name, or a literal value shaped like a credential.

A secret moves to Key Vault (``translator.mapping.keyvault``); a false positive costs one Key Vault
reference, a false negative leaks a credential into the Bicep, so the name test leans towards secret.
Reasons never quote the value.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from translator.values import (
    Arr,
    Base64,
    FindInMap,
    If,
    Intrinsic,
    Join,
    Obj,
    Select,
    Split,
    Sub,
    intrinsic_children,
)

#: name words that mark a secret on their own
_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "PWD",
        "PASS",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "CREDENTIAL",
        "CREDENTIALS",
        "APIKEY",
    }
)
#: a KEY is secret when the word before it says what kind of key it is (API_KEY, not PARTITION_KEY)
_SECRET_KEY_KINDS = frozenset(
    {
        "API",
        "ACCESS",
        "SECRET",
        "PRIVATE",
        "SIGNING",
        "ENCRYPTION",
        "CLIENT",
        "MASTER",
        "AUTH",
        "APP",
        "LICENSE",
        "SERVICE",
        "WEBHOOK",
        "HMAC",
        "SSH",
        "ACCOUNT",
        "SHARED",
        "SUBSCRIPTION",
        "STRIPE",
        "SENDGRID",
        "OPENAI",
    }
)
#: a webhook URL is a credential (whoever has it can post): WEBHOOK or HOOK as the last word or before URL
#: or URI; WEBHOOK_SECRET is secret anyway, WEBHOOK_FUNCTION_ARN or WEBHOOK_TABLE are not
_WEBHOOK_WORDS = frozenset({"WEBHOOK", "WEBHOOKURL", "WEBHOOKURI", "HOOKURL"})
_URL_WORDS = frozenset({"URL", "URI"})
_CONNECTION_WORDS = ("CONNECTION_STRING", "CONNECTIONSTRING", "CONN_STR", "DSN")
#: credential shapes in a value
_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
#: scheme://user:password@host, and scheme://:password@host (Redis AUTH without a user name)
_URL_CREDENTIAL = re.compile(r"(?i)[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@")
#: URLs whose path is the credential: whoever has the URL can post to the channel
_CREDENTIAL_URLS = (
    (
        "a Slack webhook URL",
        re.compile(r"(?i)\bhooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9]+/\S+"),
    ),
    (
        "a Discord webhook URL",
        re.compile(r"(?i)\b(?:discord|discordapp)\.com/api/webhooks/\d+/[A-Za-z0-9_-]+"),
    ),
    (
        "a Microsoft Teams webhook URL",
        re.compile(
            r"(?i)\b(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/\S+"
            r"/IncomingWebhook/[0-9a-f]{16,}/\S+"
        ),
    ),
)
#: query parameters of a URL that carry a credential: SAS and presigned signatures, tokens, keys
_QUERY_CREDENTIAL = re.compile(
    r"(?i)[?&](sig|x-amz-signature|x-amz-security-token|token|access_token|api_?key|key|code|client_secret)=([^&#\s]*)"
)
#: one path segment of a URL: long, letters of both cases and digits, no word in it (not a name or a slug)
_PATH_SEGMENT = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://[^/\s]+(/[^?#\s]*)")
_RANDOM_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{20,}$")
#: ``key=value`` credentials inside a value (Azure, ADO.NET and libpq connection strings, URL queries):
#: the key starts the text or follows a space, ``;``, ``&`` or ``?``
_KEY_VALUE_CREDENTIAL = re.compile(
    r"(?i)(?:^|(?<=[\s;&?]))(?:pw|pwd|password|passwd|secret|token|api_?key|AccountKey|SharedAccessKey)=([^\s;&]*)"
)
#: what stands after ``password=`` when no credential is written there: nothing, a placeholder, a mask, a flag
_TRIVIAL_CREDENTIAL = re.compile(
    r"(?i)\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^>]*>|%s|%\([^)]*\)s|\**|['\"]{2}|true|false|null|none"
)
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")  # signature may be empty
_TOKEN_PREFIXES = re.compile(r"^(?:ghp_|gho_|github_pat_|xox[abpr]-|sk_live_|sk-|SG\.)[A-Za-z0-9_.-]{16,}$")
#: a random-looking string: long, one token, no path/URL/ARN shape
_RANDOM_CHARS = re.compile(r"^[A-Za-z0-9+/=_\-]{32,}$")
_MIN_ENTROPY_BITS = 4.0
_SECRET_RESOLVE = re.compile(r"\{\{resolve:(?:secretsmanager|ssm-secure):")


def _words(name: str) -> list[str]:
    """Upper-case words of a variable name: camelCase and separators split.

    >>> _words("dbPassword"), _words("STRIPE_API_KEY"), _words("apiKey")
    (['DB', 'PASSWORD'], ['STRIPE', 'API', 'KEY'], ['API', 'KEY'])
    """
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.upper() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def secret_name(name: str) -> str | None:
    """Why the variable's name marks a secret, or None.

    >>> secret_name("DB_PASSWORD"), secret_name("STRIPE_API_KEY"), secret_name("PARTITION_KEY")
    ('the name mentions PASSWORD', 'the name mentions API KEY', None)
    >>> secret_name("TABLE_NAME"), secret_name("DATABASE_CONNECTION_STRING")
    (None, 'the name mentions a connection string')
    >>> secret_name("SLACK_WEBHOOK_URL"), secret_name("slackWebhook"), secret_name("WEBHOOK_FUNCTION_ARN")
    ('the name mentions a webhook URL', 'the name mentions a webhook URL', None)
    """
    upper = name.upper()
    if any(word in upper for word in _CONNECTION_WORDS):
        return "the name mentions a connection string"
    words = _words(name)
    for word in words:
        if word in _SECRET_WORDS:
            return f"the name mentions {word}"
    for before, word in pairwise(words):
        if word == "KEY" and before in _SECRET_KEY_KINDS:
            return f"the name mentions {before} KEY"
        if before in ("WEBHOOK", "HOOK") and word in _URL_WORDS:
            return "the name mentions a webhook URL"
    if words and words[-1] in _WEBHOOK_WORDS:
        return "the name mentions a webhook URL"
    return None


def entropy(text: str) -> float:
    """Shannon entropy in bits per character.

    >>> round(entropy("aaaa"), 2), round(entropy("abcd"), 2)
    (0.0, 2.0)
    """
    counts = Counter(text)
    return sum(n / len(text) * math.log2(len(text) / n) for n in counts.values())


def secret_value(value: str) -> str | None:
    """Why a literal value looks like a credential, or None. The reason never quotes the value.

    >>> secret_value("AKIAIOSFODNN7EXAMPLE"), secret_value("orders-table")
    ('the value is an AWS access key id', None)
    >>> secret_value("postgres://app:s3cr3t@db:5432/orders")
    'the value is a connection string with a credential'
    """
    text = value.strip()
    if _ACCESS_KEY_ID.search(text):
        return "the value is an AWS access key id"
    if _PRIVATE_KEY.search(text):
        return "the value is a private key"
    if _URL_CREDENTIAL.search(text) or _key_value_credential(text):
        return "the value is a connection string with a credential"
    url = _url_credential(text)
    if url:
        return url
    if _JWT.match(text) or _TOKEN_PREFIXES.match(text):
        return "the value is an access token"
    if _RANDOM_CHARS.match(text) and _mixed(text) and entropy(text) >= _MIN_ENTROPY_BITS:
        return "the value is a long random string"
    return None


def _key_value_credential(text: str) -> bool:
    """``password=...`` (or pw, pwd, passwd, secret, token, apikey, api_key, AccountKey, SharedAccessKey) with
    a value that is not empty, a ``${...}`` placeholder, a mask or a flag.

    >>> _key_value_credential("host=x pw=Hardc0ded"), _key_value_credential("https://a/b?token=abc123")
    (True, True)
    >>> _key_value_credential("host=x pw=${DbPassword}"), _key_value_credential("Password=;"), _key_value_credential("next_token=abc")
    (False, False, False)
    """
    return any(not _TRIVIAL_CREDENTIAL.fullmatch(m.group(1)) for m in _KEY_VALUE_CREDENTIAL.finditer(text))


def _url_credential(text: str) -> str | None:
    """Why a URL in ``text`` carries a credential outside its user info, or None: a webhook URL whose path
    is the credential (Slack, Discord, Teams), a signature or token query parameter with a value that is
    not empty or a placeholder (``sig=``, ``X-Amz-Signature=``, ``token=``, ``access_token=``, ``api_key=``,
    ``key=``, ``code=``, ``client_secret=``), or a path segment that is a long random string.

    >>> _url_credential("https://hooks.slack.com/services/T0/B0/k9Xq2LmN7pR4sT1vW8yZ3aBc")
    'the value is a Slack webhook URL'
    >>> _url_credential("https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%3D")
    'the value is a URL with a credential in its query (sig=)'
    >>> _url_credential("https://api.example.com/v1/orders?page=2"), _url_credential("https://x/?token=${Token}")
    (None, None)
    """
    for what, pattern in _CREDENTIAL_URLS:
        if pattern.search(text):
            return f"the value is {what}"
    for match in _QUERY_CREDENTIAL.finditer(text):
        if not _TRIVIAL_CREDENTIAL.fullmatch(match.group(2)):
            return f"the value is a URL with a credential in its query ({match.group(1)}=)"
    path = _PATH_SEGMENT.match(text)
    if path and any(_random_segment(segment) for segment in path.group(1).split("/")):
        return "the value is a URL with a random string in its path"
    return None


def _random_segment(segment: str) -> bool:
    """A path segment that looks generated, not named: 20 or more letters and digits with lower case, upper
    case and digits all present, no run of more than five letters of one case (a word), high entropy.

    >>> _random_segment("k9Xq2LmN7pR4sT1vW8yZ3aBc"), _random_segment("GetOrdersFunction2024Prod")
    (True, False)
    """
    if not _RANDOM_SEGMENT.match(segment) or not all(
        any(test(c) for c in segment) for test in (str.islower, str.isupper, str.isdigit)
    ):
        return False
    if re.search(r"[a-z]{6}|[A-Z]{6}", segment):
        return False
    return entropy(segment) >= _MIN_ENTROPY_BITS


def _mixed(text: str) -> bool:
    """At least two of lower case, upper case and digits: not a word, not a plain hex or decimal id."""
    classes = [any(c.islower() for c in text), any(c.isupper() for c in text), any(c.isdigit() for c in text)]
    if sum(classes) < 2:
        return False
    return not re.fullmatch(r"[0-9a-f-]+|[0-9A-F-]+", text)  # hashes and GUIDs are identifiers


def looks_secret(name: str, literal: str | None) -> str | None:
    """Why ``name=literal`` should be a Key Vault secret, or None (``literal`` None: not a literal).

    An empty or placeholder-free literal under a secret name is still a secret: the name says what the
    code expects there.
    """
    by_name = secret_name(name)
    if by_name:
        return by_name
    if literal is not None:
        return secret_value(literal)
    return None


#: stands for the values of a Mappings table (read with Fn::FindInMap): literal text out of sight
MAPPING_VALUES = "<Mappings>"


def literal_texts(value: Any) -> Iterator[str]:
    """The literal text written inside an intrinsic that can end up in its value (Fn::Sub text, Fn::Join
    delimiters and items, Fn::If branches ...); references (Ref, Fn::GetAtt, parameters) are not text.
    A Fn::FindInMap yields MAPPING_VALUES.
    """
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield str(node)
        elif isinstance(node, Sub):
            stack.extend(node.parts)
        elif isinstance(node, Join):
            stack.extend((node.delimiter, node.items))
        elif isinstance(node, If):
            stack.extend((node.if_true, node.if_false))
        elif isinstance(node, Select):
            stack.append(node.items)
        elif isinstance(node, Split):
            stack.extend((node.delimiter, node.source))
        elif isinstance(node, Base64):
            stack.append(node.value)
        elif isinstance(node, (Arr, list, tuple)):
            stack.extend(node)
        elif isinstance(node, Obj):
            stack.extend(node.values())
        elif isinstance(node, FindInMap):
            yield MAPPING_VALUES


def embedded_secret(name: str, value: Any, mappings: Obj | None = None) -> str | None:
    """Why literal text inside the intrinsic ``value`` makes ``name=value`` a secret, or None.

    Under a secret name any literal word may be (part of) the secret, so only separators may stay in the
    Bicep; under another name only text shaped like a credential counts. The reason never quotes the text.
    """
    by_name = secret_name(name)
    for text in literal_texts(value):
        if by_name and text == MAPPING_VALUES:
            return f"{by_name} and the value is read from Mappings"
        if by_name and re.search(r"[A-Za-z0-9]", text):
            return f"{by_name} and the value has literal text"
        if _SECRET_RESOLVE.search(text):
            # CloudFormation resolves it at deployment; split around a ${} it is no parameter of its own
            return "the value is resolved from a secret store at deployment"
        reason = secret_value(text) if text != MAPPING_VALUES else None
        if reason:
            return f"{reason} inside {_fn_name(value)}"
    if mappings is not None:
        return _mapping_secret(value, mappings)
    return None


def _mapping_secret(value: Any, mappings: Obj) -> str | None:
    """Why a Fn::FindInMap inside ``value`` may read a Mappings value shaped like a credential, or None:
    any entry of the column it reads (every column when the second key is computed).

    >>> maps = Obj({"Cfg": Obj({"prod": Obj({"Hook": "pw=Hardc0ded", "Level": "info"})})})
    >>> _mapping_secret(FindInMap("Cfg", "prod", "Hook"), maps), _mapping_secret(FindInMap("Cfg", "x", "Level"), maps)
    ("the value is a connection string with a credential in Mappings 'Cfg'", None)
    """
    nodes = [value]
    while nodes:
        node = nodes.pop()
        if isinstance(node, FindInMap) and isinstance(node.map_name, str):
            table = mappings.get(str(node.map_name))
            rows = table.values() if isinstance(table, Obj) else ()
            for row in rows:
                if not isinstance(row, Obj):
                    continue
                for second, entry in row.items():
                    if isinstance(node.second_key, str) and second != node.second_key:
                        continue
                    reason = secret_value(entry) if isinstance(entry, str) else None
                    if reason:
                        return f"{reason} in Mappings '{node.map_name}'"
        elif isinstance(node, Intrinsic):
            nodes.extend(intrinsic_children(node))
        elif isinstance(node, (Arr, Obj, list, tuple)):
            nodes.extend(node.values() if isinstance(node, Obj) else node)
    return None


def literal_secret(value: Any) -> str | None:
    """Why the literal text of ``value`` (a string, or the text inside an intrinsic) is shaped like a
    credential, or None; names are not read (an output or tag named ``SecretArn`` holds no secret).

    >>> from translator.values import Ref
    >>> literal_secret("Server=db;Password=x1"), literal_secret(Sub(("user=app;pw=x1;host=", Ref("H"))))
    ('the value is a connection string with a credential', 'the value is a connection string with a credential inside Fn::Sub')
    >>> literal_secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:db"), literal_secret(Ref("P"))
    (None, None)
    """
    if isinstance(value, str):
        return secret_value(value)
    return embedded_secret("", value)


def _fn_name(value: Any) -> str:
    name = getattr(value, "fn_name", "Intrinsic")
    return f"Fn::{type(value).__name__}" if name == "Intrinsic" else name
