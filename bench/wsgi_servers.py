"""Which WSGI server mlmocks-server should run on: the figures behind the choice.

    pip install waitress gunicorn          # only for this comparison; not dependencies
    python -m bench.wsgi_servers           # about two minutes

mlmocks-server's application (``mlmocks.server.Application``) is served in one process
(state stays shared) by werkzeug's threaded server (what mlmocks-server and moto_server
run), by waitress (threads) and by gunicorn's gthread worker (1 worker, threads); each
is called by 4 client processes in alternating slices, with mlmocks' call (Bedrock
GetModelImportJob) and moto's (SageMaker DescribeModel). A canned application (the same
bytes at once) under werkzeug and waitress shows what the HTTP server alone costs. For
each: requests per second, and CPU milliseconds per call in the clients and the server.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from .services import BEDROCK, MOTO_BASELINES
from .subprocesses import _client, _servers, _worker

#: The canned answer: a GetModelImportJob response body of the usual size.
CANNED = b'{"jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcdefghijkl"}'
THREADS = 8


def serve(kind: str, port: int) -> None:
    """Serve ``kind`` (werkzeug, waitress, gunicorn, or canned-<server>) on ``port``."""
    from mlmocks.server import Application, HostRules, RequestHandler

    app: Any
    if kind.startswith("canned-"):
        kind = kind.split("-", 1)[1]

        def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(CANNED)))])
            return [CANNED]
    else:
        app = Application(HostRules.from_environment())
    if kind == "werkzeug":
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, app, threaded=True, request_handler=RequestHandler)
    elif kind == "waitress":
        import waitress  # type: ignore[import-not-found]

        waitress.serve(app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)
    elif kind == "gunicorn":
        from gunicorn.app.base import BaseApplication  # type: ignore[import-not-found]

        class Gunicorn(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                settings = {"bind": f"127.0.0.1:{port}", "workers": 1, "worker_class": "gthread",
                            "threads": THREADS, "accesslog": None, "loglevel": "warning"}
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return app

        Gunicorn().run()
    else:
        raise SystemExit(f"unknown server {kind}")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(clients: int = 4, seconds: float = 2.0, rounds: int = 3) -> None:
    kinds = ["werkzeug", "waitress", "gunicorn", "canned-werkzeug", "canned-waitress"]
    moto_call = MOTO_BASELINES["json"]
    commands = [[sys.executable, "-m", "bench.wsgi_servers", "--serve", kind] for kind in kinds]
    with _servers(*commands) as endpoints:
        subjects: dict[str, tuple[Any, ...]] = {}
        describe = BEDROCK.describe_call(None)
        for kind, endpoint in zip(kinds, endpoints, strict=True):
            if kind.startswith("canned"):
                subjects[kind] = ("bedrock", endpoint, *describe)
                continue
            BEDROCK.seed(_client("bedrock", endpoint), 10)
            moto_call.seed(_client(moto_call.service, endpoint), 10)
            subjects[f"{kind}: mlmocks call"] = ("bedrock", endpoint, *describe)
            subjects[f"{kind}: moto call"] = (moto_call.service, endpoint, *moto_call.describe)
        listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout.splitlines()
        pids = {}
        for kind, endpoint in zip(kinds, endpoints, strict=True):
            port = endpoint.rsplit(":", 1)[1]
            for line in listening:
                if f":{port} " in line and "pid=" in line:
                    pids[kind] = int(line.split("pid=")[1].split(",")[0])
        figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in subjects}
        with multiprocessing.get_context("spawn").Pool(clients) as pool:
            for index in range(rounds + 1):
                for name in subjects if index % 2 == 0 else reversed(list(subjects)):
                    kind = name.split(":")[0]
                    start_at = time.time() + (3.0 if index == 0 else 0.3)
                    server_before = _cpu_seconds(pids[kind]) if kind in pids else 0.0
                    done = pool.starmap(_worker, [(*subjects[name], start_at, seconds)] * clients, chunksize=1)
                    server_cpu = (_cpu_seconds(pids[kind]) if kind in pids else 0.0) - server_before
                    calls = sum(d[0] for d in done)
                    if index > 0:
                        figures[name].append((sum(d[0] / d[1] for d in done), 1e3 * sum(d[2] for d in done) / calls,
                                              1e3 * server_cpu / calls))
    print(f"{clients} client processes, median of {rounds} slices of {seconds} s; load average {os.getloadavg()}")
    print(f"{'server: call':32s} {'requests/s':>10s} {'client CPU ms/call':>19s} {'server CPU ms/call':>19s}")
    for name, values in figures.items():
        rps, client_cpu, server_cpu = (statistics.median(v[i] for v in values) for i in range(3))
        print(f"{name:32s} {rps:10.0f} {client_cpu:19.2f} {server_cpu:19.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main()
