"""The direct path: in process, a request for one of mlmocks' hosts is answered without
moto's generic routing.

moto answers botocore in process from one ``before-send`` handler
(``BotocoreStubber``): it matches the URL against every service's patterns (hundreds),
builds a werkzeug request through werkzeug's test ``EnvironBuilder``, records it, and
calls the service's handler. For mlmocks' hosts this does the same steps with less
work: the URL is matched against mlmocks' own patterns first, and the WSGI environ is
written out directly (the same keys and values ``EnvironBuilder`` writes, which
``CHECK_REQUESTS`` compares on every request of the test suite). Everything moto's path
offers stays: passthrough and the service whitelist (such requests take moto's path),
moto's request recorder, IAM enforcement (in the handler), ``mock_aws`` nesting (the
stubber is the same), and operations of a shared host that are moto's (the handler hands
them on, as on moto's path).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from .moto_compat import (
    HTTPException,
    MotoRequest,
    StubberCall,
    answer_of,
    backend_urls,
    config_defers,
    header_environ_key,
    normalize_request,
    preserved_header_names_key,
    preserves_header_name,
    record_request,
    stubber_enabled,
)

#: Off: every request takes moto's path (the benchmark times moto alone so).
ENABLED = True

#: Compare the environ written here with moto's own for every request (the test suite
#: turns this on); a difference raises AssertionError naming the keys.
CHECK_REQUESTS = False

_Handler = Callable[..., Any]

#: Content types whose empty body werkzeug's builder replaces with an encoded empty form.
_FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


@cache
def _hosts() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from .registry import specs

    return tuple((spec.key, re.compile(base)) for spec in specs().values() for base in spec.url_bases)


@cache
def _handlers(key: str) -> tuple[tuple[re.Pattern[str], _Handler], ...]:
    return tuple((re.compile(url), handler) for url, handler in backend_urls(key))


def _route(clean: str) -> tuple[str, _Handler] | None:
    """The service key and handler of an mlmocks URL (without its query), or None (not ours)."""
    for key, host in _hosts():
        if host.match(clean):
            for pattern, handler in _handlers(key):
                if pattern.match(clean):
                    return key, handler
            return None
    return None


def _environ(method: str, url: str, parts: SplitResult, headers: Any, body: bytes) -> dict[str, Any] | None:
    """The WSGI environ moto's ``normalize_request`` would build, or None where this
    request is not one written out here (not ASCII: moto's path builds it)."""
    if not url.isascii():
        return None
    path = parts.path or "/"
    scheme = parts.scheme
    port = parts.port or (443 if scheme == "https" else 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # werkzeug's "WSGI encoding dance": percent-decoded, UTF-8 bytes read as latin-1.
        "PATH_INFO": unquote(path).encode().decode("latin-1"),
        "QUERY_STRING": parts.query,
        "REQUEST_URI": path,
        "RAW_URI": path,
        "SERVER_NAME": parts.hostname or "",
        "SERVER_PORT": str(port),
        "HTTP_HOST": parts.netloc,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    preserved: dict[str, str] = {}
    for name, value in headers.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        lowered = name.lower()
        if lowered in ("transfer-encoding", "content-length"):
            continue
        if not name.isascii() or not value.isascii():
            return None
        if lowered == "content-type" and not body and value.split(";")[0].strip().lower() in _FORM_TYPES:
            return None  # werkzeug writes an empty form body of its own: moto's path does
        key = header_environ_key(name)
        if key in environ and key.startswith("HTTP_"):
            environ[key] = f"{environ[key]}, {value}"  # as werkzeug joins a repeated header
        else:
            environ[key] = value
        if preserves_header_name(name):
            preserved[key] = name
    environ[preserved_header_names_key()] = preserved
    return environ


class _DirectRequest(MotoRequest):
    """moto's request, with its raw path and URL known from the start: moto works them
    out again from the environ (parsing URLs) every time they are read, several times a
    call. ``CHECK_REQUESTS`` compares them with moto's."""

    def __init__(self, environ: dict[str, Any], raw_path: str, raw_url: str) -> None:
        super().__init__(environ)
        self._raw_path = raw_path
        self._raw_url = raw_url

    @property
    def raw_path(self) -> str:
        return self._raw_path

    @property
    def raw_url(self) -> str:
        return self._raw_url


#: The port a scheme's URL leaves out (werkzeug drops it from the host).
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def _raw_url(parts: SplitResult) -> tuple[str, str]:
    path = parts.path or "/"
    raw_path = path if path.startswith("/") else f"/{path}"
    host = parts.netloc
    default_port = _DEFAULT_PORTS.get(parts.scheme)
    if default_port and host.endswith(default_port):
        host = host[: -len(default_port)]
    raw_url = f"{parts.scheme}://{host}{raw_path}"
    if parts.query:
        raw_url += f"?{parts.query}"
    return raw_path, raw_url


def _request(request: Any, parts: SplitResult) -> MotoRequest | None:
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, bytes):
        return None  # a stream or a chunked upload: moto's path reads it
    environ = _environ(request.method, request.url, parts, request.headers, body)
    if environ is None:
        return None
    built = _DirectRequest(environ, *_raw_url(parts))
    if CHECK_REQUESTS:
        _compare(built, normalize_request(request))
    return built


_UNCOMPARED = {"wsgi.input", "wsgi.errors", "werkzeug.request"}


def _compare(built: MotoRequest, moto: MotoRequest) -> None:
    ours = {k: v for k, v in built.environ.items() if k not in _UNCOMPARED}
    theirs = {k: v for k, v in moto.environ.items() if k not in _UNCOMPARED}
    moved = {
        name: (getattr(built, name), getattr(moto, name))
        for name in ("raw_path", "raw_url")
        if getattr(built, name) != getattr(moto, name)
    }
    if moved:
        raise AssertionError(f"direct path request differs from moto's in {moved}")
    if ours != theirs or built.get_data() != moto.get_data():
        differ = sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
        raise AssertionError(
            f"direct path environ differs from moto's in {differ}: "
            + ", ".join(f"{k}: {ours.get(k)!r} != {theirs.get(k)!r}" for k in differ)
        )


def answering_directly(moto_call: StubberCall) -> StubberCall:
    """Wrap moto's stubber call: mlmocks' hosts answered directly, the rest as before."""

    def call(stubber: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        if not stubber_enabled(stubber):
            return None
        parts = urlsplit(request.url)  # once: routing, moto's configuration, the environ
        clean = f"{parts.scheme}://{parts.netloc}{parts.path}"
        routed = _route(clean) if ENABLED else None
        if routed is None or config_defers(routed[0], clean):
            return moto_call(stubber, event_name, request, **kwargs)
        built = _request(request, parts)
        if built is None:
            return moto_call(stubber, event_name, request, **kwargs)
        record_request(built)
        try:
            status, headers, body = routed[1](built, built.raw_url, built.headers)
        except HTTPException as error:  # as moto's stubber answers one
            status, headers, body = error.code, error.get_headers(), error.get_body()
        return answer_of(request.url, status, headers, body)

    return call
