"""The in-process answer to async clients: under ``mock_mljobs`` and ``mock_aws`` nested
either way, with clients made before the mock starts, through aioboto3; and nothing of it
costs a process without aiobotocore."""

from __future__ import annotations

import io
from typing import Any

import pytest

pytest.importorskip("aiobotocore")

from aiobotocore.awsrequest import AioAWSResponse  # noqa: E402
from aiobotocore.session import get_session  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from moto import mock_aws  # noqa: E402

from mlmocks import mock_mljobs  # noqa: E402
from mlmocks.core.aio import AwaitableResponse  # noqa: E402
from tests.aio.twins import run  # noqa: E402
from tests.modes import REGION  # noqa: E402

KEYS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "secret"}


async def _both_answer() -> tuple[list[str], list[str]]:
    session = get_session()
    async with session.create_client("bedrock", region_name=REGION, **KEYS) as bedrock, \
            session.create_client("s3", region_name=REGION, **KEYS) as s3:
        await s3.create_bucket(Bucket="nested-bucket")
        jobs = await bedrock.list_model_import_jobs()
        buckets = await s3.list_buckets()
        return [job["jobName"] for job in jobs["modelImportJobSummaries"]], [b["Name"] for b in buckets["Buckets"]]


@pytest.mark.parametrize("outer", ["mock_aws", "mock_mljobs"])
def test_nested_with_mock_aws_either_way(outer: str) -> None:
    first, second = (mock_aws, mock_mljobs) if outer == "mock_aws" else (mock_mljobs, mock_aws)
    with first():
        with second():
            assert run(_both_answer) == ([], ["nested-bucket"])
        # the inner one ended; the outer still answers, with its state
        assert run(_both_answer) == ([], ["nested-bucket"])


def test_a_client_made_before_the_mock_started() -> None:
    async def flow() -> None:
        async with get_session().create_client("sagemaker", region_name=REGION, **KEYS) as sagemaker:
            with mock_mljobs():
                listed = await sagemaker.list_compilation_jobs()
            assert listed["CompilationJobSummaries"] == []

    run(flow)


class _Raw(io.BytesIO):  # what botocore reads a response body from (urllib3's shape)
    def stream(self, **_: Any) -> Any:
        yield self.read()


def test_moto_answers_sync_clients_with_a_plain_response_that_also_awaits() -> None:
    response = AwaitableResponse("https://example.com/", 200, {"x-a": "1"}, _Raw(b"body"))
    assert isinstance(response, AWSResponse) and response.content == b"body"

    async def awaited() -> Any:
        answer = await response
        assert isinstance(answer, AioAWSResponse)
        assert (answer.status_code, dict(answer.headers), await answer.content) == (200, {"x-a": "1"}, b"body")
        assert await answer.text == "body"
        return answer

    run(awaited)


def test_aioboto3_clients_and_resources() -> None:
    aioboto3 = pytest.importorskip("aioboto3")

    async def flow() -> None:
        session = aioboto3.Session(region_name=REGION, **KEYS)
        async with session.client("bedrock") as bedrock:
            await bedrock.create_model_import_job(
                jobName="import-1",
                importedModelName="model-1",
                roleArn="arn:aws:iam::123456789012:role/bedrock-import",
                modelDataSource={"s3DataSource": {"s3Uri": "s3://my-models/llama/"}},
            )
            pages = [page async for page in bedrock.get_paginator("list_imported_models").paginate()]
            assert [m["modelName"] for page in pages for m in page["modelSummaries"]] == ["model-1"]
            with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
                await bedrock.get_imported_model(modelIdentifier="model-9")
        async with session.resource("s3") as s3:
            bucket = await s3.create_bucket(Bucket="resource-bucket")
            await bucket.put_object(Key="a.txt", Body=b"alpha")
            assert [obj.key async for obj in bucket.objects.all()] == ["a.txt"]
            got = await (await s3.Object("resource-bucket", "a.txt")).get()
            assert await got["Body"].read() == b"alpha"

    with mock_mljobs():
        run(flow)
