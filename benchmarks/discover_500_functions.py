"""Benchmark: discover 500 Lambda functions from a moto server, concurrently and single-threaded.

Starts ``moto.server`` in a child process on a free loopback port (so the server does not share this
process's interpreter lock with the client), creates the functions through boto3 (half of them with an
SQS event source mapping, a tenth with a resource policy statement), then times ``discover`` with the
bounded pool (``--workers``, default 8) and with one worker. ``--latency-ms`` puts a small delaying
proxy in front of moto to mimic the network round trip to a real AWS endpoint, where the pool matters
most. Prints wall times and the speed-up; nothing is written.

Usage: python benchmarks/discover_500_functions.py [--functions N] [--workers W] [--latency-ms MS]
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3

from translator.discover.run import DiscoverOptions, discover

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urlopen(f"{endpoint}/moto-api/", timeout=1).read()
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("moto server did not start within 30 s")


def delaying_proxy(upstream: str, latency: float) -> tuple[ThreadingHTTPServer, str]:
    """Forward every request to ``upstream`` after sleeping ``latency`` seconds."""
    import http.client
    from urllib.parse import urlsplit

    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(latency)
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            connection.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
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

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build(endpoint: str, functions: int) -> None:
    def client(service: str):  # type: ignore[no-untyped-def]
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    code = buffer.getvalue()
    role = client("iam").create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    sqs = client("sqs")
    queue = sqs.get_queue_attributes(
        QueueUrl=sqs.create_queue(QueueName="bench-queue")["QueueUrl"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    lam = client("lambda")
    s3 = client("s3")

    def create(i: int) -> None:
        name = f"bench-{i:04d}"
        lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Handler="app.handler",
            Role=role,
            Code={"ZipFile": code},
            MemorySize=128 + 64 * (i % 8),
            Environment={"Variables": {"INDEX": str(i), "STAGE": "bench"}},
        )
        if i % 2 == 0:
            lam.create_event_source_mapping(FunctionName=name, EventSourceArn=queue, BatchSize=10)
        if i % 10 == 0:
            s3.create_bucket(Bucket=f"bench-bucket-{i}")
            lam.add_permission(
                FunctionName=name,
                StatementId="s3",
                Action="lambda:InvokeFunction",
                Principal="s3.amazonaws.com",
                SourceArn=f"arn:aws:s3:::bench-bucket-{i}",
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, range(functions)))


def timed(endpoint: str, workers: int, expected: int, only: tuple[str, ...] = ()) -> float:
    options = DiscoverOptions(regions=(REGION,), endpoint_url=endpoint, workers=workers, functions=only)
    start = time.perf_counter()
    document = discover(options).document
    elapsed = time.perf_counter() - start
    if len(document["functions"]) != expected:
        raise SystemExit(f"discovered {len(document['functions'])} functions, expected {expected}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every call (0: none)")
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    process, endpoint = start_moto()
    proxy = None
    try:
        start = time.perf_counter()
        build(endpoint, args.functions)
        print(f"created {args.functions} functions in moto in {time.perf_counter() - start:.1f} s")
        target = endpoint
        if args.latency_ms > 0:
            proxy, target = delaying_proxy(endpoint, args.latency_ms / 1000)
        timed(target, args.workers, 1, only=("bench-0000",))  # warm-up: imports, connections
        pooled = timed(target, args.workers, args.functions)
        single = timed(target, 1, args.functions)
        latency = f", {args.latency_ms:g} ms added per call" if args.latency_ms > 0 else ""
        print(
            f"discover {args.functions} functions{latency} (9 Lambda calls each, plus the listing, S3 and CloudWatch):"
        )
        print(f"  pool of {args.workers} workers: {pooled:7.2f} s")
        print(f"  single-threaded:     {single:7.2f} s")
        print(f"  speed-up:            {single / pooled:7.2f}x")
    finally:
        if proxy is not None:
            proxy.shutdown()
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
