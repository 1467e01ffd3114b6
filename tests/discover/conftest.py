"""A real moto server on a free loopback port for the whole session; boto3 talks to it over HTTP."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.discover.account import CREDENTIALS, Estate, build

moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def estate(moto_endpoint: str) -> Estate:
    return build(moto_endpoint)


@pytest.fixture(scope="session", autouse=True)
def _aws_environment() -> Iterator[None]:
    """Credentials for moto and nothing from the developer's own AWS configuration (session-wide, since
    the module fixtures discover before any function-scoped fixture runs)."""
    with pytest.MonkeyPatch.context() as patch:
        for key in (
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
        ):
            patch.delenv(key, raising=False)
        patch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
        patch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
        patch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
        yield
