"""aiobotocore clients beside boto3's, and checks that both see the same answer.

An async client here is made like ``Aws.client`` makes a boto3 one (same region,
retries, endpoint and keys in server mode), so each read can be made through both and
compared: status, headers (less the per-request ones), parsed body, errors. Import this
only after ``pytest.importorskip("aiobotocore")``.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.exceptions import ClientError

from tests.modes import ACCESS_KEY, REGION, Aws

T = TypeVar("T")

#: Headers that differ from one request to the next, whichever client sends it; and
#: ``server``, sent twice by mlmocks-server (Werkzeug's and moto's): urllib3 joins the
#: two, aiohttp keeps the last.
PER_REQUEST_HEADERS = {"date", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "server"}


def run(flow: Callable[[], Awaitable[T]]) -> T:
    """Run an async flow to its end (the mock, if any, is active around this call)."""
    return asyncio.run(flow())  # type: ignore[arg-type]


@functools.cache
def _session() -> AioSession:
    """One session for every test, as boto3's default one is (its models load once)."""
    return get_session()


def async_client(aws: Aws, service: str, region: str = REGION, **kwargs: Any) -> AbstractAsyncContextManager[Any]:
    """An aiobotocore client made as ``aws.client(service)`` makes boto3's."""
    config = AioConfig(retries={"max_attempts": 1})
    if aws.endpoint is not None:
        kwargs.setdefault("endpoint_url", aws.endpoint)
    kwargs.setdefault("aws_access_key_id", ACCESS_KEY)
    kwargs.setdefault("aws_secret_access_key", "secret")
    return _session().create_client(service, region_name=region, config=config, **kwargs)


def comparable(response: dict[str, Any]) -> dict[str, Any]:
    """A response less what changes per request (request ids, date)."""
    response = dict(response)
    response.pop("requestId", None)  # Neptune's errors carry it in the body
    metadata = dict(response.pop("ResponseMetadata", {}))
    metadata.pop("RequestId", None)
    metadata.pop("HostId", None)
    metadata["HTTPHeaders"] = {
        key.lower(): value
        for key, value in metadata.get("HTTPHeaders", {}).items()
        if key.lower() not in PER_REQUEST_HEADERS
    }
    return {**response, "ResponseMetadata": metadata}


async def same(sync: Any, aio: Any, operation: str, **params: Any) -> dict[str, Any]:
    """Call ``operation`` through the async client and the sync one; they must agree, to
    the bytes of the body. Returns the async client's response."""
    answer: dict[str, Any] = await getattr(aio, operation)(**params)
    expected = getattr(sync, operation)(**params)
    assert comparable(answer) == comparable(expected)
    assert body_of(aio, answer) == body_of(sync, expected)
    return answer


def _keep_body(client: Any) -> None:
    def keep(response_dict: dict[str, Any], **_: Any) -> None:
        body = response_dict["body"]
        client._mlmocks_last_body = body if isinstance(body, bytes) else None

    client.meta.events.register("before-parse", keep)


def body_of(client: Any, response: dict[str, Any]) -> bytes:
    """The raw body of the client's last response (a client from ``twins``), its
    request ids (which some error bodies carry) blanked."""
    body = client._mlmocks_last_body
    assert isinstance(body, bytes), "a streamed body"
    metadata = response.get("ResponseMetadata", {})
    for request_id in (metadata.get("RequestId"), metadata.get("HostId"), response.get("requestId")):
        if request_id:
            body = body.replace(request_id.encode(), b"<request id>")
    return body


async def same_error(
    sync: Any, aio: Any, operation: str, error: str, modeled: bool = True, **params: Any
) -> ClientError:
    """``operation`` fails through both clients alike with the error code ``error``,
    which, ``modeled``, is the service's modeled error: then the async client raises its
    own ``exceptions.<error>``."""
    expected = getattr(aio.exceptions, error) if modeled else ClientError
    with pytest.raises(expected) as async_info:
        await getattr(aio, operation)(**params)
    with pytest.raises(getattr(sync.exceptions, error) if modeled else ClientError) as sync_info:
        getattr(sync, operation)(**params)
    assert async_info.value.response["Error"]["Code"] == error
    assert comparable(async_info.value.response) == comparable(sync_info.value.response)
    assert body_of(aio, async_info.value.response) == body_of(sync, sync_info.value.response)
    assert str(async_info.value) == str(sync_info.value)
    return async_info.value


async def same_pages(sync: Any, aio: Any, operation: str, **params: Any) -> list[dict[str, Any]]:
    """Every page of ``operation`` through the async paginator, the same pages as the
    sync paginator's."""
    pages = [page async for page in aio.get_paginator(operation).paginate(**params)]
    assert [comparable(page) for page in pages] == [
        comparable(page) for page in sync.get_paginator(operation).paginate(**params)
    ]
    return pages


@asynccontextmanager
async def twins(aws: Aws, service: str, **kwargs: Any) -> AsyncIterator[tuple[Any, Any]]:
    """(boto3 client, aiobotocore client) of ``service``, made alike."""
    async with async_client(aws, service, **kwargs) as aio:
        sync = aws.client(service, **kwargs)
        _keep_body(sync)
        _keep_body(aio)
        yield sync, aio
