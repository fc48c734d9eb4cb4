"""``mlmocks-server``: moto's server with mlmocks' services loaded.

It is moto's own WSGI application (so every moto service, ``/moto-api/`` with its reset
and state manager, and the dashboard work as in ``moto_server``), with mlmocks'
services registered in its routing and the job-control API at ``/mlmocks-api/``.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import json
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server, run_simple
from werkzeug.wrappers import Response

from .core import snapshot
from .core.control import CONTROL_PATH, ControlError, check_transition, handle_control_request
from .core.dashboard import PAGE_PATH, page_response
from .core.registry import register

#: Requests with a larger body are refused with 413 before any service sees them.
MAX_BODY_BYTES = int(os.environ.get("MLMOCKS_MAX_BODY_BYTES", 16 * 1024 * 1024))
#: Seconds a client may stay silent while sending its request line, headers or body;
#: then its connection is closed (a body cut short by it is answered 408).
READ_TIMEOUT = float(os.environ.get("MLMOCKS_READ_TIMEOUT", 15))
#: Host names (besides loopback ones and the bound address) a request may address,
#: comma-separated; ``*`` admits any. ``--allowed-host`` adds to them.
ALLOWED_HOSTS_VARIABLE = "MLMOCKS_ALLOWED_HOSTS"

log = logging.getLogger("mlmocks.server")

#: moto's endpoints under /moto-api/ that only read, answered to GET and HEAD; every
#: other one changes state and takes only POST.
_MOTO_API_READS = frozenset(
    {
        "/moto-api/",
        "/moto-api/lib.js",
        "/moto-api/data.json",
        "/moto-api/config",
        "/moto-api/state-manager/get-transition",
        "/moto-api/recorder/download-recording",
        "/favicon.ico",
    }
)
_SET_TRANSITION = "/moto-api/state-manager/set-transition"


class HostRules:
    """Which ``Host`` (and browser ``Origin``) a request may name: loopback names and
    addresses, ``*.localhost``, the address the server is bound to (on every interface:
    any IP address), and the names allowed explicitly (``*.example.com`` for a domain's
    hosts, ``*`` for any). A name that resolves elsewhere (DNS rebinding) is refused."""

    def __init__(self, bind_host: str = "127.0.0.1", allowed: Iterable[str] = ()) -> None:
        self.bind_host = bind_host.strip("[]").lower()
        self.allowed = {name.strip().lower() for name in allowed if name.strip()}
        self.any_address = self.bind_host in ("0.0.0.0", "::", "")

    @classmethod
    def from_environment(cls, bind_host: str = "127.0.0.1", allowed: Iterable[str] = ()) -> HostRules:
        configured = os.environ.get(ALLOWED_HOSTS_VARIABLE, "").split(",")
        return cls(bind_host, [*configured, *allowed])

    def admits(self, host: str) -> bool:
        name = _host_name(host)
        if name is None:
            return False
        if "*" in self.allowed or name in self.allowed or name == self.bind_host:
            return True
        if name == "localhost" or name.endswith(".localhost"):
            return True
        if any(rule.startswith("*.") and name.endswith(rule[1:]) for rule in self.allowed):
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or self.any_address


def _host_name(host: str) -> str | None:
    """The name in a ``Host`` value (``name``, ``name:port``, ``[v6]:port``), or None
    for a value that is not one."""
    host = host.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not re.fullmatch(r":\d{1,5}", rest)):
            return None
        return name
    name, _, port = host.partition(":")
    if port and not port.isdigit():
        return None
    if not name or not re.fullmatch(r"[a-z0-9._-]+", name):
        return None
    return name


def _json_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error of the server itself, in the JSON error format of the AWS protocols."""
    body = json.dumps({"__type": code, "message": message})
    all_headers = {"X-Amzn-ErrorType": code, **(headers or {})}
    return Response(body, status=status, headers=all_headers, content_type="application/json")


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


class Application(DomainDispatcherApplication):
    """moto's dispatcher, plus the job-control API, a network guard (Host, Origin,
    methods and content types of the control endpoints), a body size limit, and the
    whole request read before any of moto's locks is taken."""

    def __init__(self, hosts: HostRules | None = None) -> None:
        register()
        super().__init__(create_backend_app)
        self.hosts = hosts if hosts is not None else HostRules.from_environment()
        #: moto's backend for each host asked about, with the number of URL patterns then.
        self._backends_for_hosts: dict[tuple[str | None, int], Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            self._guard(environ)
            _read_body(environ)
            path = environ.get("PATH_INFO", "")
            if path.startswith(CONTROL_PATH):
                status, headers, body = handle_control_request(path, environ["wsgi.input"].getvalue())
                return Response(body, status=status, headers=headers)(environ, start_response)
            if path == PAGE_PATH.rstrip("/") or path.startswith(PAGE_PATH):
                status, headers, content = page_response(path, environ.get("REQUEST_METHOD", ""))
                return Response(content, status=status, headers=headers)(environ, start_response)
            if path.startswith("/moto-api") or path == "/favicon.ico":
                _check_moto_api(environ)
        except _Refused as refused:
            refused.response.headers["Connection"] = "close"
            return refused.response(environ, start_response)
        return self._dispatch(environ, start_response)

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        origin = environ.get("HTTP_ORIGIN")
        control = environ.get("PATH_INFO", "").startswith(("/moto-api", "/favicon.ico"))

        def cors_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # moto answers every origin (Access-Control-Allow-Origin: *). Here only an
            # admitted origin (a page on a loopback host) is named, and never on the
            # control endpoints.
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            if origin and not control:
                kept += [(k, v) for k, v in headers if k.lower().startswith("access-control-")
                         and k.lower() != "access-control-allow-origin"]
                kept += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
            return start_response(status, kept, exc_info)

        try:
            return super().__call__(environ, cors_start_response)
        except Exception:  # noqa: BLE001 - the dispatcher failed: no traceback, no HTML
            log.exception("mlmocks-server failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            response = _json_response(500, "InternalFailure", "the server failed on this request")
            return response(environ, start_response)

    def _guard(self, environ: dict[str, Any]) -> None:
        host = environ.get("HTTP_HOST")
        if host is not None and not self.hosts.admits(host):
            raise _Refused(_json_response(
                403, "AccessDeniedException",
                f"mlmocks-server does not answer for host {host[:200]!r}: it answers loopback "
                f"names and {self.hosts.bind_host}; allow others with --allowed-host or "
                f"{ALLOWED_HOSTS_VARIABLE}",
            ))
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not self.hosts.admits(parts.netloc):
                raise _Refused(_json_response(
                    403, "AccessDeniedException",
                    f"mlmocks-server does not answer pages of origin {origin[:200]!r}",
                ))
        if environ.get("HTTP_SEC_FETCH_SITE", "").lower() == "cross-site":
            raise _Refused(_json_response(
                403, "AccessDeniedException", "mlmocks-server does not answer cross-site pages",
            ))
        if environ.get("PATH_INFO", "").startswith(CONTROL_PATH):
            _require_json_post(environ, allow_no_type=False)

    #: Hosts remembered at most (then it starts again): a client addresses a few.
    REMEMBERED_HOSTS = 1024

    def get_backend_for_host(self, host: str | None) -> Any:
        # moto's answer, remembered per host: moto works it out on every request by
        # listing its package folder (a stat per service, some 180) and matching the host
        # against every service's URL patterns, most of a request's time on this server.
        # (Under the dispatcher's lock; the patterns only grow, at registration.)
        key = (host, len(self.backend_url_patterns))
        remembered = self._backends_for_hosts
        if key in remembered:
            return remembered[key]
        found = super().get_backend_for_host(host)
        if len(remembered) >= self.REMEMBERED_HOSTS:
            remembered.clear()
        remembered[key] = found
        return found

    def get_application(self, environ: dict[str, Any]) -> Any:
        try:
            return super().get_application(environ)
        except Exception as error:  # noqa: BLE001 - moto found no service for the request
            # (a signature scoped to an empty region, say): a client error, not a crash.
            message = f"no service answers this request: {error.__class__.__name__}"
            return Response(json.dumps({"message": message}), status=400, content_type="application/json")


def _require_json_post(environ: dict[str, Any], allow_no_type: bool) -> None:
    """A request that changes state: POST with a JSON body, which no web page can send
    another site without the browser asking first (CORS), and this server says no."""
    method = environ.get("REQUEST_METHOD", "")
    path = environ.get("PATH_INFO", "")
    if method != "POST":
        raise _Refused(_json_response(
            405, "MethodNotAllowed", f"{path[:200]} takes POST only, not {method[:20]}", {"Allow": "POST"},
        ))
    content_type = environ.get("CONTENT_TYPE")
    origin = environ.get("HTTP_ORIGIN")
    if content_type is None and allow_no_type and (origin is None or urlsplit(origin).netloc == environ.get("HTTP_HOST")):
        # moto's own clients (TEST_SERVER_MODE) post their resets without one, and so
        # may a page of this server's own (moto's dashboard); no other page can.
        return
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        raise _Refused(_json_response(
            415, "UnsupportedMediaType",
            f"{path[:200]} takes Content-Type application/json, not {(content_type or 'none')[:100]!r}",
        ))


def _check_moto_api(environ: dict[str, Any]) -> None:
    path = environ.get("PATH_INFO", "")
    if path in _MOTO_API_READS and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        return
    _require_json_post(environ, allow_no_type=True)
    if path == _SET_TRANSITION:
        try:
            document = json.loads(environ["wsgi.input"].getvalue() or b"{}")
            if not isinstance(document, dict) or not isinstance(document.get("model_name"), str):
                raise ControlError("the body must be a JSON object with a model_name")
            check_transition(document.get("transition"))
        except (ValueError, UnicodeDecodeError, RecursionError, ControlError) as error:
            raise _Refused(_json_response(400, "ValidationException", f"set-transition: {error}")) from None


def _too_large() -> Response:
    # (The message is the one the documented limit has always answered with.)
    return _json_response(413, "RequestEntityTooLarge", f"request body larger than {MAX_BODY_BYTES} bytes")


def _read_body(environ: dict[str, Any]) -> None:
    """Read the whole body into memory (in the request's own thread, before any lock of
    moto's is taken), refusing one above the limit: a slow client delays only itself."""
    stream = environ["wsgi.input"]
    if not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
        # Transfer-Encoding: chunked; read up to one byte past the limit.
        try:
            body = stream.read(MAX_BODY_BYTES + 1)
        except TimeoutError:
            raise _Refused(_json_response(408, "RequestTimeout", "the request body did not arrive in time")) from None
        except (OSError, ValueError):  # a malformed chunk: no body
            body = b""
    else:
        raw = environ.get("CONTENT_LENGTH") or "0"
        if not raw.isdigit():
            raise _Refused(_json_response(400, "BadRequest", f"Content-Length {raw[:40]!r} is not a length"))
        length = int(raw)
        if length > MAX_BODY_BYTES:
            raise _Refused(_too_large())
        chunks = []
        remaining = length
        try:
            while remaining:
                chunk = stream.read(min(remaining, 65536))
                if not chunk:
                    raise _Refused(_json_response(400, "BadRequest", "the request body is shorter than its Content-Length"))
                chunks.append(chunk)
                remaining -= len(chunk)
        except TimeoutError:
            raise _Refused(_json_response(408, "RequestTimeout", "the request body did not arrive in time")) from None
        except (ConnectionError, ValueError):
            raise _Refused(_json_response(400, "BadRequest", "the request body was cut short")) from None
        body = b"".join(chunks)
    if len(body) > MAX_BODY_BYTES:
        raise _Refused(_too_large())
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


class RequestHandler(MotoRequestHandler):
    """moto's request handler, with read timeouts, and JSON (not http.server's HTML
    pages) for requests refused before they reach the application (a request line or
    header above 64 KiB, too many headers, a malformed request line)."""

    timeout = READ_TIMEOUT

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        short = self.responses.get(code, ("Error",))[0]
        code_name = re.sub(r"[^A-Za-z]", "", short)
        body = json.dumps({"__type": code_name, "message": message or short}).encode()
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Connection", "close")
        self.close_connection = True
        if code >= 200 and code not in (204, 304):
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Amzn-ErrorType", code_name)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)


class ThreadedServer:
    """An ``mlmocks-server`` in a background thread (what the pytest fixture runs)."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, allowed_hosts: Iterable[str] = (), state: str | None = None
    ) -> None:
        self._host = host
        self._port = port
        self._allowed_hosts = tuple(allowed_hosts)
        #: The state file: loaded on start (if present), written on stop.
        self._state = state
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        application = Application(HostRules.from_environment(self._host, self._allowed_hosts))
        if self._state is not None:
            snapshot.check_writable(self._state)
            snapshot.load_file(self._state)
            snapshot.state_file = self._state
        self._server = make_server(self._host, self._port, application, threaded=True, request_handler=RequestHandler)
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
        if self._state is not None:
            snapshot.save_file(self._state)
            snapshot.state_file = None


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
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name clients may address besides loopback ones and the bound address "
        f"(repeat it; '*.example.com' for a domain, '*' for any; also ${ALLOWED_HOSTS_VARIABLE}, comma-separated)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="keep mlmocks' state in FILE: loaded at start if it exists (a file that cannot be read "
        "stops the server), written atomically on SIGTERM/SIGINT and on POST /mlmocks-api/save "
        "(moto's own services' state is not kept)",
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
    hosts = HostRules.from_environment(args.host, args.allowed_host)
    if hosts.any_address or not _is_loopback(args.host):
        warn_exposed(args.host)
    application = Application(hosts)
    # With --reload, the process that serves is a child of the one that watches files:
    # only the serving one keeps the state.
    keeps_state = args.state is not None and (not args.reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true")
    if keeps_state:
        try:
            snapshot.check_writable(args.state)
            loaded = snapshot.load_file(args.state)
        except snapshot.SnapshotError as error:
            print(f"mlmocks-server: not started: {error}", file=sys.stderr, flush=True)
            raise SystemExit(2) from None
        snapshot.state_file = args.state
        print(
            f"mlmocks-server: state {'loaded from' if loaded else 'will be kept in'} {args.state}",
            file=sys.stderr,
            flush=True,
        )
    try:
        run_simple(
            args.host,
            args.port,
            application,
            threaded=True,
            use_reloader=args.reload,
            ssl_context=ssl_context,
            request_handler=RequestHandler,
        )
    finally:
        if keeps_state:
            _save_on_exit(args.state)


def _save_on_exit(path: str) -> None:
    # A second signal must not cut the save short (it would leave the old file, whole).
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(number, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass
    try:
        size = snapshot.save_file(path)
    except (snapshot.SnapshotError, OSError) as error:
        print(f"mlmocks-server: state NOT saved to {path}: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    print(f"mlmocks-server: state saved to {path} ({size} bytes)", file=sys.stderr, flush=True)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_exposed(host: str) -> None:
    """Said loudly at start: anyone who can reach the address can drive the server."""
    bar = "!" * 78
    print(
        f"{bar}\n"
        f"WARNING: mlmocks-server is listening on {host}, not on loopback only.\n"
        "Anyone who can reach this machine can read and change its mocked AWS state,\n"
        "with no credentials checked. Bind 127.0.0.1 unless this is a closed network\n"
        "(a container); name the hosts clients use with --allowed-host.\n"
        f"{bar}",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
