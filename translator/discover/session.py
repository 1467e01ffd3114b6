"""boto3 sessions and clients: the standard credential chain, one client per service and region.

Clients are thread-safe and shared by the pool's workers (sessions are not, so one session makes them
all up front). Throttling is retried with botocore's adaptive mode, which also slows the client down
when the service pushes back. ``endpoint_url`` (or ``AWS_ENDPOINT_URL``, read by botocore itself)
points every client at one endpoint, such as a moto server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from translator.load import InputError

#: attempts per call, the first one included, under adaptive mode (botocore's default is 3)
MAX_ATTEMPTS = 8


@dataclass
class Clients:
    """Makes and caches one client per (service, region); safe to call from worker threads."""

    profile: str | None = None
    endpoint_url: str | None = None
    max_pool_connections: int = 10
    max_attempts: int = MAX_ATTEMPTS
    _session: Any = None
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        import boto3
        from botocore.exceptions import ProfileNotFound

        try:
            self._session = boto3.session.Session(profile_name=self.profile)
        except ProfileNotFound as exc:
            raise InputError(f"AWS profile not found: {exc}") from None

    @property
    def default_region(self) -> str | None:
        return self._session.region_name

    def client(self, service: str, region: str) -> Any:
        from botocore.config import Config

        key = (service, region)
        with self._lock:
            if key not in self._cache:
                config = Config(
                    retries={"mode": "adaptive", "total_max_attempts": self.max_attempts},
                    max_pool_connections=self.max_pool_connections,
                    user_agent_extra="lambda2func-discover",
                )
                self._cache[key] = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=config
                )
            return self._cache[key]
