"""State that survives a restart: ``mlmocks-server --state FILE``, ``POST
/mlmocks-api/save``, and the job control's ``snapshot()`` / ``restore(data)``, in
process and over HTTP. Snapshots are generic (every mlmocks BackendDict, pickled), so
the tests take every service's jobs as its reliability fixture makes them, and name no
job family."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlmocks import ControlError, RemoteJobControl, job_control, mock_mljobs
from mlmocks.core import snapshot
from mlmocks.core.registry import job_kinds, specs
from tests.helpers import KIND, import_model
from tests.modes import Aws
from tests.reliability import state
from tests.reliability.services import fixtures, make

#: Looks a step: nothing a test reads moves a job on by itself.
STILL = 1_000_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """An ``mlmocks-server`` process on a state file."""

    def __init__(self, state_file: Path) -> None:
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        script = os.path.join(os.path.dirname(sys.executable), "mlmocks-server")
        self.process = subprocess.Popen(
            [script, "--port", str(self.port), "--state", str(state_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/mlmocks/").read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"the server exited {self.process.returncode}: {self.process.stderr.read()}") from None  # type: ignore[union-attr]
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def terminate(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, stderr
        return stderr

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=30)


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state.mlmocks"


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    try:
        yield started
    finally:
        for server in started:
            server.kill()


def _make_jobs(aws: Aws) -> None:
    """Every service's jobs, as its reliability fixture makes them, held still; in each
    service one moved on by the control and one failed with a message; a failure rule
    for jobs yet to come."""
    control = aws.control
    for fixture in fixtures().values():
        fixture.setup(make(aws))  # its jobs finish (the default progression)
    for kind in job_kinds():
        control.set_progression(kind, "manual", times=STILL)
    for name, fixture in fixtures().items():
        client = fixture.client(make(aws))
        for job in ("still-1", "still-2", "still-3"):
            fixture.create_job(client, job)
        rows = [row for row in control.jobs(service=name) if not row["finished"]]
        assert len(rows) >= 3, f"{name}'s fixture made no job the control lists"
        moved = rows[0]
        control.advance(moved["kind"], moved["arn"] or moved["job"])
        # Read again: moving one job can move others (a tuning job's training jobs).
        rows = [row for row in control.jobs(service=name) if not row["finished"] and row != moved]
        failable = [row for row in rows if row["actions"]["fail"] and row["arn"] != moved["arn"]]
        if failable:
            row = failable[0]
            control.fail(row["kind"], f"{name} kept its failure", row["arn"] or row["job"])
            control.advance(row["kind"], row["arn"] or row["job"], steps=50)
    control.set_progression(KIND, "time", seconds=3600)
    control.fail(KIND, "a failure rule kept across the restart", job="after-restart")


def _read_back(aws: Aws) -> dict[str, Any]:
    """Every job as boto3 reads it (each service's fixture lists and describes its
    jobs), and the control's view: jobs, statuses, times, failures, progressions."""
    read: dict[str, Any] = {}
    for name, fixture in fixtures().items():
        client = fixture.client(make(aws))
        names = sorted(fixture.job_names(client))
        described = {}
        if fixture.describe_job is not None:
            for job in names:
                answer = dict(fixture.describe_job(client, job))
                answer.pop("ResponseMetadata", None)
                described[job] = answer
        read[name] = {"names": names, "described": described}
    read["control"] = {"jobs": aws.control.jobs(), "progressions": aws.control.progressions()}
    return read


def test_sigterm_keeps_every_service_jobs(state_file: Path, servers: list[Server]) -> None:
    # Every service with jobs lends them (Clean Rooms has collaborations, not jobs).
    with_jobs = {name for name, spec in specs().items() if spec.job_kinds}
    assert set(fixtures()) == with_jobs, "every service with jobs lends them to this test"
    first = Server(state_file).wait_ready()
    servers.append(first)
    aws = Aws("server", first.endpoint, RemoteJobControl(first.endpoint))
    _make_jobs(aws)
    before = _read_back(aws)
    assert {row["service"] for row in before["control"]["jobs"]} == with_jobs
    assert any(row["failure"] for row in before["control"]["jobs"])
    assert "state saved to" in first.terminate()

    second = Server(state_file).wait_ready()
    servers.append(second)
    aws = Aws("server", second.endpoint, RemoteJobControl(second.endpoint))
    after = _read_back(aws)
    for name in before:
        assert after[name] == before[name], f"{name} changed across the restart"
    # The failure rule came back too: a job made now is destined to fail.
    bedrock = aws.client("bedrock")
    import_model(bedrock, "after-restart", "after-restart-model")
    assert aws.control.advance(KIND, "after-restart") == "Failed"
    assert bedrock.get_model_import_job(jobIdentifier="after-restart")["failureMessage"] == (
        "a failure rule kept across the restart"
    )
    second.terminate()


def test_save_endpoint_writes_the_file_atomically(state_file: Path, servers: list[Server]) -> None:
    server = Server(state_file).wait_ready()
    servers.append(server)
    aws = Aws("server", server.endpoint, RemoteJobControl(server.endpoint))
    arns = {}
    for name, fixture in fixtures().items():
        if fixture.create_job_with_token is not None:
            fixture.prepare(make(aws))
            arns[name] = fixture.create_job_with_token(fixture.client(make(aws)), f"token-{name}", f"token-of-{name}")
    saved = aws.control.save()  # type: ignore[union-attr]
    assert saved == {"path": str(state_file), "bytes": state_file.stat().st_size}
    assert not [p for p in state_file.parent.iterdir() if p.name.startswith(".mlmocks-state-")]
    server.kill()  # no save on the way out: what is read back is what save wrote

    again = Server(state_file).wait_ready()
    servers.append(again)
    aws = Aws("server", again.endpoint, RemoteJobControl(again.endpoint))
    for name, fixture in fixtures().items():
        if name in arns:
            # The client token came back: the same request is answered with the same job.
            assert fixture.create_job_with_token(fixture.client(make(aws)), f"token-{name}", f"token-of-{name}") == arns[name]  # type: ignore[misc]
    again.terminate()


# -- refused files -----------------------------------------------------------------------------


def _good_snapshot() -> bytes:
    with mock_mljobs():
        try:
            import_model(Aws("decorator", None, job_control).client("bedrock"))
            return job_control.snapshot()
        finally:
            job_control.reset()


def _with_header(data: bytes, **changes: Any) -> bytes:
    head, _, rest = data[len(snapshot.MAGIC):].partition(b"\n")
    header = {**json.loads(head), **changes}
    return snapshot.MAGIC + json.dumps(header).encode() + b"\n" + rest


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


BAD_FILES = {
    "corrupt": (lambda data: _flip(data, len(data) - 40), "is corrupt: its state does not match its checksum"),
    "truncated": (lambda data: data[: len(data) * 2 // 3], "is truncated"),
    "truncated-header": (lambda data: data[: len(snapshot.MAGIC) + 10], "is truncated: it ends inside its header"),
    "empty": (lambda data: b"", "is truncated: it ends inside its first line"),
    "newer-format": (lambda data: _with_header(data, format=snapshot.FORMAT + 1),
                     f"is in snapshot format {snapshot.FORMAT + 1}, which this mlmocks"),
    "older-format": (lambda data: _with_header(data, format=0), "is in snapshot format 0, which this mlmocks"),
    "other-mlmocks": (lambda data: _with_header(data, mlmocks="0.0.1"), "was written by mlmocks '0.0.1'"),
    "not-a-snapshot": (lambda data: b'{"jobs": []}\n', "is not an mlmocks state file"),
    "bad-header": (lambda data: snapshot.MAGIC + b"{not json\n" + data, "is corrupt: its header"),
    "trailing-bytes": (lambda data: data + b"more", "is corrupt: 4 bytes follow its state"),
}


@pytest.mark.parametrize("damage", sorted(BAD_FILES))
def test_bad_data_is_refused_and_changes_nothing(damage: str) -> None:
    spoil, reason = BAD_FILES[damage]
    data = spoil(_good_snapshot())
    with mock_mljobs():
        try:
            control = job_control
            bedrock = Aws("decorator", None, control).client("bedrock")
            import_model(bedrock, "kept", "kept-model")
            control.set_progression(KIND, "manual", times=7)
            before = state.snapshot()
            with pytest.raises(ControlError, match=reason.replace("(", r"\(").replace(")", r"\)")):
                control.restore(data)
            assert state.difference(before, state.snapshot()) is None
            assert control.progressions()[KIND]["times"] == 7
        finally:
            control.reset()


def test_unpickling_makes_only_mlmocks_objects() -> None:
    import pickle

    class Evil:
        def __reduce__(self) -> Any:
            return (os.system, ("echo pwned",))

    payload = pickle.dumps(Evil(), protocol=4)
    data = _with_header(_good_snapshot(), bytes=len(payload), sha256=__import__("hashlib").sha256(payload).hexdigest())
    data = data[: data.index(b"\n", len(snapshot.MAGIC)) + 1] + payload
    with pytest.raises(snapshot.SnapshotError, match="never holds"):
        snapshot.read(data)


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "newer-format"])
def test_server_does_not_start_on_a_bad_file(damage: str, state_file: Path, servers: list[Server]) -> None:
    spoil, reason = BAD_FILES[damage]
    bad = spoil(_good_snapshot())
    state_file.write_bytes(bad)
    server = Server(state_file)
    servers.append(server)
    _, stderr = server.process.communicate(timeout=60)
    assert server.process.returncode == 2
    assert "not started" in stderr and reason in stderr and str(state_file) in stderr
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{server.endpoint}/mlmocks/", timeout=2)
    # The file is left as it was, for a person to look at.
    assert state_file.read_bytes() == bad


# -- snapshot() and restore() of the job control ------------------------------------------------


@pytest.mark.parametrize("service", sorted(fixtures()))
def test_in_process_round_trip_is_identical(service: str) -> None:
    """Every backend attribute of every object a service holds comes back equal."""
    with mock_mljobs():
        try:
            aws = Aws("decorator", None, job_control)
            fixtures()[service].setup(make(aws))
            job_control.set_progression(job_kinds()[0], "time", seconds=5)
            job_control.fail(job_kinds()[-1], "destined")
            before = state.snapshot()
            data = job_control.snapshot()
            job_control.reset()
            assert state.snapshot() == {}
            job_control.restore(data)
            assert state.difference(before, state.snapshot()) is None
            assert job_control.progressions()[job_kinds()[0]]["seconds"] == 5
        finally:
            job_control.reset()


def test_remote_snapshot_and_restore(mlmocks_server: str) -> None:
    control = RemoteJobControl(mlmocks_server)
    aws = Aws("server", mlmocks_server, control)
    control.set_progression(KIND, "manual", times=STILL)
    import_model(aws.client("bedrock"), "remote-1", "remote-model-1")
    jobs = control.jobs()
    data = control.snapshot()
    assert data.startswith(snapshot.MAGIC)
    control.reset()
    assert control.jobs() == []
    control.restore(data)
    assert control.jobs() == jobs
    with pytest.raises(ControlError, match="is truncated"):
        control.restore(data[:-10])
    with pytest.raises(ControlError, match="base64"):
        control._call("restore", data="not base64!")
    assert control.jobs() == jobs
    # Over HTTP, save writes only the server's own file (none here).
    with pytest.raises(ControlError, match="no state file"):
        control.save()
    with pytest.raises(ControlError, match="unknown arguments: path"):
        control._call("save", path="/tmp/elsewhere")


def test_server_does_not_start_where_it_cannot_save(tmp_path: Path, servers: list[Server]) -> None:
    server = Server(tmp_path / "no-such-folder" / "state.mlmocks")
    servers.append(server)
    _, stderr = server.process.communicate(timeout=60)
    assert server.process.returncode == 2
    assert "not started" in stderr and "cannot be written: No such file or directory" in stderr


def test_threaded_server_keeps_state(state_file: Path) -> None:
    """The in-thread server (what the pytest fixture runs) takes a state file too."""
    from mlmocks.server import ThreadedServer

    first = ThreadedServer(state=str(state_file))
    endpoint = first.start()
    try:
        RemoteJobControl(endpoint).set_progression(KIND, "manual", times=STILL)
        import_model(Aws("server", endpoint, RemoteJobControl(endpoint)).client("bedrock"), "threaded", "threaded-model")
        jobs = RemoteJobControl(endpoint).jobs()
    finally:
        first.stop()
        job_control.reset()
    assert job_control.jobs() == []
    second = ThreadedServer(state=str(state_file))
    endpoint = second.start()
    try:
        assert RemoteJobControl(endpoint).jobs() == jobs
    finally:
        second.stop()
        job_control.reset()
