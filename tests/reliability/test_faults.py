"""Faults at the server: clients that vanish mid-request, requests cut short, a stalled
client, bytes that are not HTTP, a handler that raises, an error escaping the
application. After each, the server keeps serving and keeps its state.

The faults hit a server of their own, so a failure here cannot disturb other tests.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Iterator
from http.client import HTTPConnection
from typing import Any

import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from mlmocks import job_control
from mlmocks.core.registry import specs
from mlmocks.server import ThreadedServer
from tests.modes import Aws
from tests.reliability import report, state
from tests.reliability.services import fixtures, make
from tests.reliability.test_fuzz import probe
from tests.reliability.wire import OverHttp, WireRequest, serialize, signed

REPEATS = 10
#: moto's reset, as the bytes a client sends.
RESET = b"POST /moto-api/reset HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"


class Server:
    def __init__(self) -> None:
        self.threaded = ThreadedServer()
        self.endpoint = self.threaded.start()
        self.aws = Aws("server", self.endpoint, job_control)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.endpoint.rsplit("//", 1)[1].split(":")
        return host, int(port)

    def raw(self, data: bytes, half_close: bool = True, read: bool = True, reset: bool = False) -> bytes:
        """Send raw bytes; half-close, read the answer, or vanish (``reset``: with a RST)."""
        with socket.create_connection(self.address, timeout=30) as connection:
            connection.sendall(data)
            if reset:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return b""
            if half_close:
                connection.shutdown(socket.SHUT_WR)
            answer = b""
            while read:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
            return answer

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, timeout: float = 30
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request: (status, headers by lower-case name, body)."""
        connection = HTTPConnection(*self.address, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        finally:
            connection.close()

    def still_serves(self) -> None:
        """Every service answers its no-input call, and every job is still listed."""
        sender = OverHttp(self.endpoint)
        for service in sorted(specs()):
            request = probe(service)
            if request is not None:
                response = sender.send(request)
                assert response.status < 500, (service, response.body[:300])
        for service, fixture in sorted(fixtures().items()):
            assert f"faults-{service}" in fixture.job_names(fixture.client(make(self.aws)))


@pytest.fixture
def unchanged(server: Server) -> Iterator[None]:
    """A job in every service; the test's faults leave every backend as it was, and the
    server serving."""
    server.raw(RESET)
    for service, fixture in sorted(fixtures().items()):
        fixture.prepare(make(server.aws))
        fixture.create_job(fixture.client(make(server.aws)), f"faults-{service}")
    before = state.snapshot()
    yield
    server.still_serves()
    assert state.difference(before, state.snapshot()) is None
    server.raw(RESET)


CREATE = (
    "bedrock",
    "CreateModelImportJob",
    {
        "jobName": "cut-short",
        "importedModelName": "cut-short-model",
        "roleArn": "arn:aws:iam::123456789012:role/importer",
        "modelDataSource": {"s3DataSource": {"s3Uri": "s3://models/llama/"}},
    },
)


def create_request(server: Server) -> bytes:
    """A valid create, as the bytes an SDK would send."""
    return _bytes(serialize(*CREATE), server.endpoint)


def _bytes(request: WireRequest, endpoint: str) -> bytes:
    prepared = signed(request, endpoint).prepare()
    target = prepared.url.split(endpoint, 1)[1] or "/"
    head = [f"{request.method} {target} HTTP/1.1", f"Host: {endpoint.split('//')[1]}"]
    head += [f"{name}: {value}" for name, value in prepared.headers.items()]
    head.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + request.body


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


def test_clients_vanishing_mid_request(server: Server, unchanged: None) -> None:
    whole = create_request(server)
    head, body = whole.split(b"\r\n\r\n", 1)
    for cut in range(REPEATS):
        partial = head + b"\r\n\r\n" + body[: len(body) * cut // REPEATS]
        server.raw(partial, reset=True)
        report.fault("client vanishes mid-request (connection reset)")


def test_requests_cut_short(server: Server, unchanged: None) -> None:
    """Content-Length promises more than is sent, then the client stops sending."""
    whole = create_request(server)
    head, body = whole.split(b"\r\n\r\n", 1)
    head = head.replace(f"Content-Length: {len(body)}".encode(), f"Content-Length: {len(body) + 500}".encode())
    for cut in range(REPEATS):
        answer = server.raw(head + b"\r\n\r\n" + body[: len(body) * cut // REPEATS])
        report.fault("request cut short (Content-Length larger than the body)")
        assert status_of(answer) in (0, 400), answer[:300]


def test_a_stalled_client_does_not_stop_others(server: Server, unchanged: None) -> None:
    host, port = server.address
    with socket.create_connection((host, port), timeout=30) as stalled:
        stalled.sendall(b"POST /model-import-jobs HTTP/1.1\r\nHost: x\r\nContent-Le")
        report.fault("client stalls halfway through its headers")
        server.still_serves()


def test_bytes_that_are_not_http(server: Server, unchanged: None) -> None:
    for garbage in (b"\x00\x01\x02\x03\r\n\r\n", b"GET\r\n\r\n", b"POST / HTTP/9.9\r\n\r\n", b"\xff" * 4096):
        answer = server.raw(garbage)
        report.fault("bytes that are not HTTP")
        assert b"Traceback" not in answer and status_of(answer) in (0, 400, 404, 405, 505), answer[:300]


def test_a_handler_that_raises(server: Server, unchanged: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each service's no-input call raises inside its handler: a 500 in the service's
    wire format, no traceback, the backend's lock released, nothing else touched."""
    import importlib

    from botocore import xform_name

    sender = OverHttp(server.endpoint)
    for service, spec in sorted(specs().items()):
        request = probe(service)
        if request is None:
            continue
        responses = importlib.import_module(f"{spec.package}.responses").RESPONSE_CLASS
        assert responses._handler(request.operation) is not None
        handler_name = xform_name(request.operation)  # (a partialmethod has no name of its own)

        def explode(self: Any, **_: Any) -> Any:
            raise RuntimeError("injected fault")

        monkeypatch.setattr(responses, handler_name, explode)
        response = sender.send(request)
        report.fault("a service handler raises")
        monkeypatch.undo()
        document = json.loads(response.body)
        assert response.status == 500 and document["__type"] == "InternalServerException", response.body
        assert b"Traceback" not in response.body
        assert sender.send(request).status == 200  # the lock was released


def test_an_error_escaping_the_application(server: Server, unchanged: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's application itself raises: the server answers 500 and goes on serving."""

    def explode(self: Any, environ: Any, start_response: Any) -> Any:
        raise RuntimeError("injected fault")

    monkeypatch.setattr(DomainDispatcherApplication, "__call__", explode)
    for _ in range(3):
        answer = server.raw(create_request(server))
        report.fault("an error escapes the server's application")
        assert status_of(answer) == 500 and b"Traceback" not in answer
    monkeypatch.undo()
