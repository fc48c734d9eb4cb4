"""``mlmocks-server``: moto's server with mlmocks' services loaded.

It is moto's own WSGI application (so every moto service, ``/moto-api/`` with its reset
and state manager, and the dashboard work as in ``moto_server``), with mlmocks'
services registered in its routing and the job-control API at ``/mlmocks-api/``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import threading
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server, run_simple
from werkzeug.wrappers import Request, Response

from .core.control import CONTROL_PATH, handle_control_request
from .core.registry import register

#: Requests with a larger body are refused with 413 before any service sees them.
MAX_BODY_BYTES = int(os.environ.get("MLMOCKS_MAX_BODY_BYTES", 16 * 1024 * 1024))


class Application(DomainDispatcherApplication):
    """moto's dispatcher, plus the job-control API and a body size limit."""

    def __init__(self) -> None:
        register()
        super().__init__(create_backend_app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES or not _body_within_limit(environ):
            response = Response(
                json.dumps({"message": f"request body larger than {MAX_BODY_BYTES} bytes"}),
                status=413,
                content_type="application/json",
            )
            return response(environ, start_response)
        if path.startswith(CONTROL_PATH):
            request = Request(environ)
            status, headers, body = handle_control_request(path, request.get_data())
            return Response(body, status=status, headers=headers)(environ, start_response)
        return super().__call__(environ, start_response)

    def get_application(self, environ: dict[str, Any]) -> Any:
        try:
            return super().get_application(environ)
        except Exception as error:  # noqa: BLE001 - moto found no service for the request
            # (a signature scoped to an empty region, say): a client error, not a crash.
            message = f"no service answers this request: {error.__class__.__name__}"
            return Response(json.dumps({"message": message}), status=400, content_type="application/json")


def _body_within_limit(environ: dict[str, Any]) -> bool:
    """For a body of no stated length (``Transfer-Encoding: chunked``): read it, up to
    one byte past the limit, and keep it for the application if it fits."""
    if environ.get("CONTENT_LENGTH") or not environ.get("wsgi.input_terminated"):
        return True
    try:
        body = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
    except (OSError, ValueError):  # a malformed chunk: no body
        body = b""
    if len(body) > MAX_BODY_BYTES:
        return False
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return True


class ThreadedServer:
    """An ``mlmocks-server`` in a background thread (what the pytest fixture runs)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        self._server = make_server(
            self._host, self._port, Application(), threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.endpoint

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "start() the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="mlmocks-server",
        description="moto's server with mlmocks' ML job services loaded.",
    )
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "-p",
        "--port",
        type=int,
        default=int(os.environ.get("MOTO_PORT", 5000)),
        help="port to listen on (default: $MOTO_PORT or 5000)",
    )
    parser.add_argument("-r", "--reload", action="store_true", help="reload on a file change")
    parser.add_argument("-s", "--ssl", action="store_true", help="serve https with a generated certificate")
    parser.add_argument("-c", "--ssl-cert", help="path to an SSL certificate")
    parser.add_argument("-k", "--ssl-key", help="path to the SSL private key")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    os.environ.setdefault("MOTO_PORT", str(args.port))
    try:
        signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    except ValueError:  # not the main thread
        pass

    ssl_context: Any = None
    if args.ssl_key and args.ssl_cert:
        ssl_context = (args.ssl_cert, args.ssl_key)
    elif args.ssl:
        ssl_context = "adhoc"
    run_simple(
        args.host,
        args.port,
        Application(),
        threaded=True,
        use_reloader=args.reload,
        ssl_context=ssl_context,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
