"""A tiny HTTP proxy in front of moto that answers chosen calls with AWS errors (access denied,
throttling) and forwards everything else, so boto3 itself is exercised unmocked."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_REGION = re.compile(r"Credential=[^/]+/[^/]+/([^/]+)/")


@dataclass
class Call:
    method: str
    path: str
    region: str
    operation: str = ""  # X-Amz-Target (JSON protocols) or Action= (query protocol), when the path has none


@dataclass
class Fault:
    """Answer calls that ``matches`` with ``status``/``headers``/``body``, the first ``times`` of them
    (every one when ``times`` is None)."""

    matches: Callable[[Call], bool]
    status: int
    headers: dict[str, str]
    body: bytes
    times: int | None = None
    served: int = 0
    seen: int = 0  # matching calls, answered or forwarded


def lambda_access_denied(operation: str, resource: str) -> tuple[int, dict[str, str], bytes]:
    """Lambda's AccessDeniedException as the REST-JSON API sends it."""
    message = (
        f"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: lambda:{operation} "
        f"on resource: {resource} because no identity-based policy allows the lambda:{operation} action"
    )
    return 403, {"x-amzn-ErrorType": "AccessDeniedException"}, json.dumps({"Message": message}).encode()


def lambda_throttled() -> tuple[int, dict[str, str], bytes]:
    """Lambda's throttling answer: 429 TooManyRequestsException."""
    body = {"Reason": "CallerRateLimitExceeded", "Type": "User", "message": "Rate exceeded"}
    return 429, {"x-amzn-ErrorType": "TooManyRequestsException"}, json.dumps(body).encode()


@dataclass
class FaultProxy:
    upstream: str
    faults: list[Fault] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        matches: Callable[[Call], bool],
        answer: tuple[int, dict[str, str], bytes],
        times: int | None = None,
    ) -> Fault:
        fault = Fault(matches, *answer, times=times)
        self.faults.append(fault)
        return fault

    def _fault_for(self, call: Call) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(call):
                    fault.seen += 1
                    if fault.times is None or fault.served < fault.times:
                        fault.served += 1
                        return fault
                    return None
        return None

    def start(self) -> str:
        proxy = self
        target = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                found = _REGION.search(self.headers.get("Authorization", ""))
                amz_target = self.headers.get("X-Amz-Target", "")
                action = re.search(rb"(?:^|&)Action=([A-Za-z]+)", body)
                operation = (
                    amz_target.rsplit(".", 1)[-1]
                    if amz_target
                    else action.group(1).decode()
                    if action
                    else ""
                )
                call = Call(self.command, self.path, found.group(1) if found else "", operation)
                fault = proxy._fault_for(call)
                if fault is not None:
                    self.send_response(fault.status)
                    for key, value in {**fault.headers, "Content-Type": "application/json"}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(fault.body)))
                    self.end_headers()
                    self.wfile.write(fault.body)
                    return
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
