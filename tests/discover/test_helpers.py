"""The small parts of discover: redaction, the progress bar, the pool, the gap classifier."""

from __future__ import annotations

import io
import threading

import pytest

from translator.discover.gaps import classify
from translator.discover.pool import run_all
from translator.discover.progress import Progress
from translator.mapping.secrets_detect import looks_secret


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_PASSWORD", "x"),
        ("GITHUB_TOKEN", "ghp"),
        ("STRIPE_API_KEY", "sk"),
        ("CLIENT_SECRET", "x"),
        ("AWS_CREDENTIALS", "x"),
        ("SQL_CONNECTION_STRING", "x"),
        ("UPSTREAM", "AKIAIOSFODNN7EXAMPLE"),
        ("MONGO", "mongodb+srv://app:pw@cluster0.example.net/db"),
        ("BUS", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=abc="),
        ("CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
        ("SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"),
        ("OPAQUE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("DB", "host=x pw=Hardc0dedSecret99"),  # a key=value credential inside the value
        ("CALLBACK", "https://hooks.example.com/in?token=abc123"),
    ],
)
def test_secret_looking_values_are_redacted(name: str, value: str) -> None:
    assert looks_secret(name, value) is not None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_LEVEL", "DEBUG"),
        ("TABLE_NAME", "orders-table-prod"),
        ("QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/orders"),
        ("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:alerts"),
        ("REGION", "eu-west-1"),
        ("MAX_ITEMS", "100"),
        ("KEYSPACE", "orders"),  # KEY only as a word of its own
        ("DB", "host=x pw=${DbPassword}"),  # a placeholder, not a credential
    ],
)
def test_ordinary_values_are_kept(name: str, value: str) -> None:
    assert looks_secret(name, value) is None


def test_progress_draws_only_when_enabled() -> None:
    stream = io.StringIO()
    progress = Progress("reading", enabled=True, stream=stream)
    progress.start(4)
    progress.advance()
    progress.advance()
    progress.finish()
    assert stream.getvalue().endswith("\rreading [###############---------------] 2/4\n")
    quiet = io.StringIO()
    silent = Progress("reading", stream=quiet)  # a StringIO is not a terminal
    silent.start(2)
    silent.advance()
    silent.finish()
    assert quiet.getvalue() == ""


def test_pool_keeps_order_and_uses_threads() -> None:
    names: set[str] = set()

    def work(i: int) -> int:
        names.add(threading.current_thread().name)
        return i * i

    assert run_all(range(20), work, workers=4) == [i * i for i in range(20)]
    assert any(n.startswith("discover") for n in names)
    names.clear()
    assert run_all(range(5), work, workers=1) == [0, 1, 4, 9, 16]
    assert names == {threading.current_thread().name}


def test_gap_kinds() -> None:
    assert classify("AccessDeniedException", 403) == "access-denied"
    assert classify("TooManyRequestsException", 429) == "throttled"
    assert classify("", 404) == "unsupported"
    assert classify("ServiceException", 500) == "error"
