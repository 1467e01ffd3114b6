"""Which environment values may be written to the inventory.

Names are always kept. Values are kept only with ``--include-env-values``, and even then a value is
replaced by a redaction note when its name or its text looks secret: names mentioning passwords,
secrets, tokens, keys, credentials or connection strings; AWS access key ids; connection strings and
URLs with credentials; private keys and JWTs; long random-looking strings.
"""

from __future__ import annotations

import math
import re
from collections import Counter

_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|(^|_)PWD($|_)|SECRET|TOKEN|(^|_)KEY($|_)|APIKEY|ACCESS_?KEY|PRIVATE|"
    r"CREDENTIAL|CONN(ECTION)?_?STR(ING)?|(^|_)DSN($|_)|(^|_)AUTH|SIGNING|SALT|(^|_)PAT($|_)",
    re.IGNORECASE,
)
_ACCESS_KEY = re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Z0-9])")
_URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_CONNECTION_STRING = re.compile(r"(password|pwd|accountkey|sharedaccesskey|secret|token)\s*=", re.IGNORECASE)
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.")
_TOKENISH = re.compile(r"^[A-Za-z0-9+/=_-]{24,}$")


def entropy(text: str) -> float:
    """Shannon entropy in bits per character.

    >>> round(entropy("aaaa"), 2), round(entropy("abcd"), 2)
    (0.0, 2.0)
    """
    if not text:
        return 0.0
    counts = Counter(text)
    return sum(n / len(text) * math.log2(len(text) / n) for n in counts.values())


def secret_reason(name: str, value: str) -> str | None:
    """Why ``value`` must not be kept, or None when it may be.

    >>> secret_reason("DB_PASSWORD", "hunter2")
    'the name looks secret'
    >>> secret_reason("LOG_LEVEL", "INFO") is None
    True
    >>> secret_reason("UPSTREAM", "AKIAIOSFODNN7EXAMPLE")
    'the value looks like an AWS access key id'
    >>> secret_reason("DATABASE_URL", "postgres://app:s3cret@db:5432/app")
    'the value holds credentials (a connection string)'
    >>> secret_reason("BLOB", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc")
    'the value holds credentials (a connection string)'
    >>> secret_reason("SIGNATURE", "q8Zr4Vb1Lm0Xt7Yp2Wn5Kc3Hs9Jd6Fg")
    'the value looks random (a generated secret)'
    >>> secret_reason("QUEUE_ARN", "arn:aws:sqs:us-east-1:123456789012:orders") is None
    True
    >>> secret_reason("TABLE", "orders-table-production-eu-west-1") is None
    True
    """
    if _SECRET_NAME.search(name):
        return "the name looks secret"
    if _ACCESS_KEY.search(value):
        return "the value looks like an AWS access key id"
    if _URL_CREDENTIALS.search(value) or _CONNECTION_STRING.search(value):
        return "the value holds credentials (a connection string)"
    if _PRIVATE_KEY.search(value):
        return "the value is a private key"
    if _JWT.match(value):
        return "the value is a token (JWT)"
    if _random_looking(value):
        return "the value looks random (a generated secret)"
    return None


def _random_looking(value: str) -> bool:
    # base64 / hex-like, long, mixing letters and digits, and with high entropy; words joined by dashes
    # (names of tables, queues, stages) have lower entropy and are kept
    if not _TOKENISH.match(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    return has_digit and has_alpha and entropy(value) >= 4.0
