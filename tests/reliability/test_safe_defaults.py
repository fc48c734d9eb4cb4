"""Safe defaults: the server binds 127.0.0.1 unless told otherwise, nothing in a request
is evaluated or used as a path on disk, and a body above the documented limit (16 MiB,
``MLMOCKS_MAX_BODY_BYTES``) is refused with a clean 413."""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mlmocks
import mlmocks.server
from mlmocks.server import ThreadedServer, main
from tests.reliability import audit, report
from tests.reliability.shapes import CANARY
from tests.reliability.test_faults import CREATE, RESET, Server, _bytes, status_of
from tests.reliability.wire import serialize

# -- binding ---------------------------------------------------------------------------------


def test_the_server_binds_localhost_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    bound: list[str] = []
    monkeypatch.setattr(mlmocks.server, "run_simple", lambda host, *_, **__: bound.append(host))
    main(["--port", "0"])
    main(["--host", "0.0.0.0", "--port", "0"])
    assert bound == ["127.0.0.1", "0.0.0.0"]

    threaded = ThreadedServer()
    try:
        assert threaded.start().startswith("http://127.0.0.1:")
    finally:
        threaded.stop()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_the_started_server_listens_on_loopback_only() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(sys.executable).with_name("mlmocks-server")
    process = subprocess.Popen([str(script), "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (listening := _listening(port)):
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        assert listening == {"127.0.0.1"}
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> set[str]:
    """Addresses listening on ``port`` (IPv4 and IPv6), from the kernel's table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add("ipv6:" + address)
    return found


# -- nothing evaluated, nothing on disk ------------------------------------------------------

#: Calls that evaluate text, run programs, deserialize code or touch files.
FORBIDDEN_NAMES = {"eval", "exec", "compile", "open", "__import__", "breakpoint", "input"}
FORBIDDEN_MODULES = {"subprocess", "pickle", "marshal", "shelve", "yaml", "shutil", "tempfile", "ctypes"}
#: Functions of ``os`` that run programs or touch files.
FORBIDDEN_OS = {"system", "popen", "execv", "execve", "execvp", "spawnv", "remove", "unlink", "rename", "mkdir",
                "makedirs", "rmdir", "open", "chmod"}
#: Functions of ``os`` that read a folder: only where mlmocks looks at its own files.
LISTING_OS = {"listdir", "scandir", "walk"}
#: Methods that read or write files, or deserialize, whatever they are called on.
FORBIDDEN_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "load", "loads"}
#: The places mlmocks names a path, all inside the package: the service models it reads,
#: and the folder of models it lends botocore (mlmocks/data).
PATHS_ALLOWED_IN = {"mlmocks/core/spec.py", "mlmocks/data/__init__.py"}
#: The exceptions, each for one reason: the state file an operator names
#: (``mlmocks-server --state``; read with an unpickler that makes only mlmocks' classes and
#: plain values, tests/server/test_state.py), and the jobs page's own files in the package
#: (named from a fixed table, never by request text).
ALLOWED = {
    "mlmocks/core/snapshot.py": ("imports pickle", "imports tempfile", "calls _Unpickler(io.BytesIO(payload)).load",
                                 "builds a path with os.path.dirname", "builds a path with os.path.abspath",
                                 "calls open", "calls os.unlink"),
    "mlmocks/core/dashboard.py": ("calls resources.files('mlmocks').joinpath('static').joinpath(name).read_bytes",),
}


def _allowed(finding: str) -> bool:
    place, _, what = finding.partition(": ")
    return what in ALLOWED.get(place.split(":")[0], ())


def test_the_package_evaluates_nothing_and_opens_no_file() -> None:
    root = Path(mlmocks.__file__).parent
    found = []
    for source in sorted(root.rglob("*.py")):
        relative = f"mlmocks/{source.relative_to(root)}"
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                found += [f"{relative}: imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Name) and function.id in FORBIDDEN_NAMES:
                found.append(f"{relative}:{node.lineno}: calls {function.id}")
            if isinstance(function, ast.Attribute):
                owner = ast.unparse(function.value)
                listing = owner == "os" and function.attr in LISTING_OS and relative not in PATHS_ALLOWED_IN
                if listing or (owner == "os" and function.attr in FORBIDDEN_OS) or (
                    function.attr in FORBIDDEN_METHODS and owner != "json"
                ):
                    found.append(f"{relative}:{node.lineno}: calls {owner}.{function.attr}")
                if owner.startswith("os.path") and relative not in PATHS_ALLOWED_IN:
                    found.append(f"{relative}:{node.lineno}: builds a path with {owner}.{function.attr}")
    found = [finding for finding in found if not _allowed(finding)]
    assert not found, found


def test_the_fuzzers_watch_sees_request_text_reach_the_disk(tmp_path: Path) -> None:
    """The audit hook the fuzz run relies on does catch a file named by request text."""
    with audit.watching() as seen:
        seen.clear()
        (tmp_path / CANARY).write_text("x")
        caught = list(seen)
        seen.clear()
    assert caught and caught[0][0] == "open"


# -- the body size limit --------------------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setattr(mlmocks.server, "MAX_BODY_BYTES", 4096)
    server = Server()
    server.raw(RESET)
    try:
        yield server
    finally:
        server.raw(RESET)
        server.threaded.stop()


def _request_with_body(server: Server, padding: int, chunked: bool = False) -> bytes:
    request = serialize(*CREATE)
    request = request.with_document({**request.document(), "padding": "x" * padding}, "", "")
    raw = _bytes(request, server.endpoint)
    if not chunked:
        return raw
    head, body = raw.split(b"\r\n\r\n", 1)
    head = b"\r\n".join(line for line in head.split(b"\r\n") if not line.startswith(b"Content-Length"))
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 1000]), body[i : i + 1000]) for i in range(0, len(body), 1000))
    return head + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"


@pytest.mark.regression(
    "A chunked body above the size limit reached the service: the limit looked at Content-Length only"
)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_above_the_limit_is_refused_cleanly(small_limit: Server, chunked: bool) -> None:
    under = small_limit.raw(_request_with_body(small_limit, 1000, chunked))
    assert status_of(under) == 201, under[:300]
    over = small_limit.raw(_request_with_body(small_limit, 5000, chunked))
    report.fault("body above the size limit")
    assert status_of(over) == 413 and b'"message": "request body larger than 4096 bytes"' in over, over[:300]
    again = small_limit.raw(_request_with_body(small_limit, 1000, chunked))
    assert status_of(again) == 400 and b"ConflictException" in again  # still serving, and the first job is there


def test_the_documented_limit_is_16_mib(mlmocks_server: str) -> None:
    server: Any = Server.__new__(Server)
    server.endpoint = mlmocks_server
    head = _request_with_body(server, 0).split(b"\r\n\r\n", 1)[0]
    head = b"\r\n".join(
        b"Content-Length: %d" % (16 * 1024 * 1024 + 1) if line.startswith(b"Content-Length") else line
        for line in head.split(b"\r\n")
    )
    answer = server.raw(head + b"\r\n\r\n", half_close=False)
    report.fault("body above the size limit")
    assert status_of(answer) == 413, answer[:300]
