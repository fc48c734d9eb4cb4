"""Async clients (aiobotocore, and aioboto3 over it) answered in process.

moto answers a client in process from a ``before-send`` handler (its ``BotocoreStubber``)
with botocore's ``AWSResponse``, whose ``content`` is bytes. aiobotocore awaits the
response's ``content`` and reads streaming bodies from an aiohttp-like ``raw``, so moto's
answer fails there (``object bytes can't be used in 'await' expression``).

aiobotocore's event emitter awaits whatever a handler returns that is awaitable. So the
answer here is moto's own ``AWSResponse``, unchanged for a synchronous client, that can
also be awaited, giving aiobotocore's ``AioAWSResponse`` over the same status, headers and
bytes. A request body that only aiobotocore reads (async ``read``: its aws-chunked
checksum wrapper of S3 uploads) is read first, so moto sees bytes, as from botocore.

Nothing here imports aiobotocore until an async client awaits an answer; a process
that never uses one never loads it.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import AsyncIterator, Generator
from typing import Any

from botocore.awsrequest import AWSResponse

from .moto_compat import StubberCall, stubber_enabled, wrap_botocore_stubber

__all__ = ["AwaitableResponse", "install"]


class AwaitableResponse(AWSResponse):
    """botocore's response to a synchronous client; awaited, aiobotocore's."""

    def __await__(self) -> Generator[Any, None, Any]:
        return self._for_aiobotocore().__await__()

    async def _for_aiobotocore(self) -> Any:
        from aiobotocore.awsrequest import AioAWSResponse

        raw = _AsyncStream(self.content, self.url)
        return AioAWSResponse(self.url, self.status_code, self.headers, raw)


class _AsyncStream:
    """The parts of aiohttp's ``ClientResponse`` aiobotocore reads: ``read()`` (the whole
    body), ``content.read(n)`` and ``content.at_eof()`` (a streaming body),
    ``content.iter_chunks()`` (an event stream), ``url`` and ``close()``."""

    def __init__(self, body: bytes, url: str) -> None:
        self._body = io.BytesIO(body)
        self._size = len(body)
        self.url = url
        self.content = self

    async def read(self, amt: int | None = -1) -> bytes:
        return self._body.read(-1 if amt is None or amt < 0 else amt)

    async def iter_chunks(self) -> AsyncIterator[tuple[bytes, bool]]:
        rest = self._body.read()
        if rest:
            yield rest, True

    def at_eof(self) -> bool:
        return self._body.tell() >= self._size

    def close(self) -> None:
        self._body.close()


def _reads_async(body: Any) -> bool:
    return inspect.iscoroutinefunction(getattr(body, "read", None))


def answering_async_clients(moto_call: StubberCall) -> StubberCall:
    def call(stubber: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        if stubber_enabled(stubber) and _reads_async(request.body):
            return _after_reading_body(moto_call, stubber, event_name, request, kwargs)
        return _awaitable(moto_call(stubber, event_name, request, **kwargs))

    return call


def _awaitable(response: AWSResponse | None) -> AwaitableResponse | None:
    if response is None:
        return None
    if type(response) is AWSResponse:
        # The same response, now also awaitable (the subclass adds no state): cheaper
        # than building a second one on every call.
        response.__class__ = AwaitableResponse
        return response
    return AwaitableResponse(response.url, response.status_code, response.headers, response.raw)


async def _after_reading_body(
    moto_call: StubberCall, stubber: Any, event_name: str, request: Any, kwargs: dict[str, Any]
) -> Any:
    request.body = await request.body.read()
    answer = _awaitable(moto_call(stubber, event_name, request, **kwargs))
    # None: not moto's to answer, and aiobotocore sends the bytes just read.
    return None if answer is None else await answer


def install() -> None:
    """Make moto's in-process answers awaitable (idempotent)."""
    wrap_botocore_stubber(answering_async_clients)
