"""The direct path (mlmocks/core/direct.py) answers as moto's own path would.

Each service's run below (its reliability fixture's resources, then a request for every
implemented operation: one with no members, one with the members the fixture's
resources fill in) is made twice from the same seeded, frozen start: once with the
direct path and once through moto's routing. Status, headers and bytes must be the
same for every request. (Every request of the rest of the suite also checks the request
the direct path builds against moto's: ``CHECK_REQUESTS`` in tests/conftest.py.)
"""

from __future__ import annotations

import random
import uuid
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from botocore.awsrequest import AWSResponse
from freezegun import freeze_time
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse

from mlmocks import job_control, mock_mljobs
from mlmocks.core import direct
from mlmocks.core.moto_compat import mock_random
from mlmocks.core.registry import implemented_operations
from tests.modes import Aws, put_job_control_back
from tests.reliability.services import fixtures
from tests.reliability.wire import InProcess, botocore_operation, serialize

SERVICES = sorted(implemented_operations())


def _requests(service: str, values: dict[str, list[Any]]) -> list[Any]:
    requests = []
    for operation in sorted(implemented_operations()[service]):
        shape = botocore_operation(service, operation).input_shape
        members = shape.members if shape is not None else {}
        # The path's labels always (botocore cannot write the path without them).
        labels = {name: "unknown-1" for name, m in members.items() if m.serialization.get("location") == "uri"}
        filled = {name: values[name][0] for name in members if values.get(name)}
        requests.append(serialize(service, operation, labels, kind="empty"))
        if filled:
            try:
                requests.append(serialize(service, operation, labels | filled, kind="filled"))
            except KeyError:  # a value botocore cannot write there (a fuzz value of another shape)
                pass
    return requests


def _run(service: str, enabled: bool) -> list[tuple[str, int, dict[str, str], bytes]]:
    direct.ENABLED = enabled
    answers = []
    try:
        # Client tokens botocore fills in and request ids are uuid4s: the same on both runs.
        rng = random.Random(20)
        uuids = mock.patch("uuid.uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
        with freeze_time("2026-06-01 12:00:00"), uuids, mock_mljobs():
            mock_random.seed(20)
            aws = Aws("decorator", None, job_control)
            values: dict[str, list[Any]] = {}
            fixture = fixtures().get(service)
            if fixture is not None:

                def make(name: str) -> Any:
                    return aws.client(name)

                values = fixture.setup(make)
            channel = InProcess()
            for request in _requests(service, values):
                response = channel.send(request)
                # A request id is a fresh uuid on either path (not from moto's seeded source).
                headers = dict(response.headers)
                request_id = headers.pop("x-amzn-RequestId", "")
                body = response.body.replace(request_id.encode(), b"<id>") if request_id else response.body
                answers.append((f"{request.operation} {request.kind}", response.status, headers, body))
    finally:
        direct.ENABLED = True
        put_job_control_back()
    return answers


@pytest.mark.parametrize("service", SERVICES)
def test_direct_path_answers_as_motos_path(service: str) -> None:
    ours, motos = _run(service, enabled=True), _run(service, enabled=False)
    assert len(ours) == len(motos) >= len(implemented_operations()[service])
    for mine, theirs in zip(ours, motos, strict=True):
        assert mine == theirs, mine[0]
    assert any(200 <= status < 300 for _, status, _, _ in ours)  # not only rejections


def _motos_routing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the requests that reach moto's generic routing, from now on."""
    routed: list[str] = []
    original = BotocoreStubber.process_request

    def process_request(stubber: Any, request: Any) -> Any:
        routed.append(request.url)
        return original(stubber, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", process_request)
    return routed


def test_our_hosts_skip_motos_routing(decorator_aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    routed = _motos_routing(monkeypatch)
    decorator_aws.client("bedrock").list_model_import_jobs()
    assert routed == []
    decorator_aws.client("s3").list_buckets()  # moto's own service: moto's routing
    assert len(routed) == 1


def test_moto_passthrough_still_applies(decorator_aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    # A passthrough URL (moto's config) is left to moto's path, which lets it through.
    from moto.core import config

    monkeypatch.setitem(
        config.default_user_config, "core", {"passthrough": {"urls": [r"https://bedrock\..*"]}}
    )
    seen = _motos_routing(monkeypatch)
    client = decorator_aws.client("bedrock")
    # moto lets it through (answers None); the wire (this handler) answers instead.
    from_the_wire = b'{"modelImportJobSummaries": [{"jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcdefabcdef", "jobName": "real", "status": "Completed", "creationTime": "2026-01-01T00:00:00Z"}]}'
    wire = lambda request, **_: AWSResponse(request.url, 200, {}, MockRawResponse(from_the_wire))  # noqa: E731
    client.meta.events.register("before-send.bedrock", wire)
    assert [job["jobName"] for job in client.list_model_import_jobs()["modelImportJobSummaries"]] == ["real"]
    assert seen and seen[0].startswith("https://bedrock.")


@pytest.mark.parametrize("content_type", ["multipart/form-data", "Application/X-WWW-Form-Urlencoded; charset=utf-8", "application/json", ""])
@pytest.mark.parametrize("body", [b"", b"jobName=x"])
def test_request_built_as_moto_builds_it(content_type: str, body: bytes) -> None:
    # An empty form body is one werkzeug's builder writes out itself: moto's path builds it.
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.compat import HTTPHeaders

    headers = HTTPHeaders()
    if content_type:
        headers["Content-Type"] = content_type
    headers["X-Amz-Meta-Under_Score"] = "kept"
    request = AWSPreparedRequest("POST", "https://bedrock.us-east-1.amazonaws.com/a%2Fb?x=1", headers, body, False)
    assert direct.CHECK_REQUESTS  # the comparison with moto's request runs (tests/conftest.py)
    built = direct._request(request, urlsplit(request.url))
    form = content_type.split(";")[0].lower() in ("multipart/form-data", "application/x-www-form-urlencoded")
    assert (built is None) == (form and not body)
