"""What discovery could not read: an access-denied, throttled or unsupported call becomes a gap.

A missing optional thing (no resource policy, no function URL: ``ResourceNotFoundException``) is not a
gap but "none". Every other failure of one call is recorded with the operation, the function and the
error code, and discovery carries on; the inventory then marks the field as unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: error codes that mean "the thing does not exist", i.e. the answer is "none"
NOT_FOUND = frozenset(
    {
        "ResourceNotFoundException",
        "ResourceNotFound",
        "NoSuchEntity",
        "NoSuchBucket",
        "NotFound",
        "NotFoundException",
    }
)
_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
        "NotAuthorized",
    }
)
_THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RateExceeded",
    }
)


class Unknown:
    """The value of a field whose call failed (distinct from None, which means 'there is none')."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Gap:
    region: str
    function: str | None  # the function's ARN, None for a region-wide call
    operation: str  # e.g. lambda:GetPolicy
    kind: str  # access-denied | throttled | unsupported | error
    code: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "function": self.function,
            "operation": self.operation,
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
        }


def classify(code: str, status: int | None) -> str:
    """access-denied | throttled | unsupported | error.

    >>> classify("AccessDeniedException", 403), classify("ThrottlingException", 400)
    ('access-denied', 'throttled')
    >>> classify("404", 404), classify("InternalFailure", 500)
    ('unsupported', 'error')
    """
    if code in _DENIED or status == 403:
        return "access-denied"
    if code in _THROTTLED or status == 429:
        return "throttled"
    if code in ("404", "UnknownOperationException", "NotImplemented", "InvalidAction") or status in (
        404,
        501,
    ):
        return "unsupported"
    return "error"


class Gaps:
    """A thread-safe list of gaps, and the one way discovery calls AWS."""

    def __init__(self) -> None:
        self._items: list[Gap] = []
        self._lock = threading.Lock()

    def add(self, gap: Gap) -> None:
        with self._lock:
            self._items.append(gap)

    @property
    def items(self) -> tuple[Gap, ...]:
        with self._lock:
            return tuple(sorted(self._items, key=lambda g: (g.region, g.function or "", g.operation)))

    def call(self, region: str, function: str | None, operation: str, send: Callable[[], Any]) -> Any:
        """``send()``'s answer; None when the thing does not exist; UNKNOWN (and a gap) when it failed."""
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
        )

        try:
            return send()
        except (NoCredentialsError, EndpointConnectionError):
            raise  # nothing can be read at all: the command stops with a clear message
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code") or "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in NOT_FOUND:
                return None
            kind = classify(code, status)
            # keep the message short and free of HTML pages some endpoints answer with
            message = " ".join(str(error.get("Message") or exc).split())
            if "<" in message:
                message = f"HTTP {status}" if status else "the endpoint does not support this call"
            self.add(Gap(region, function, operation, kind, code or str(status), message[:300]))
        except BotoCoreError as exc:
            self.add(Gap(region, function, operation, "error", type(exc).__name__, str(exc)[:300]))
        return UNKNOWN
