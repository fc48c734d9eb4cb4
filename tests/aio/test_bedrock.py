"""Bedrock model import through aiobotocore: the same answers as through boto3."""

from __future__ import annotations

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, same_pages, twins  # noqa: E402
from tests.modes import ACCOUNT, Aws  # noqa: E402

ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-import"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}


def test_import_jobs_create_get_list_and_errors(aws: Aws) -> None:
    async def flow() -> None:
        async with twins(aws, "bedrock") as (sync, aio):
            arns = []
            for n in range(3):
                created = await aio.create_model_import_job(
                    jobName=f"import-{n}", importedModelName=f"model-{n}", roleArn=ROLE, modelDataSource=SOURCE
                )
                assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
                arns.append(created["jobArn"])
            job = await same(sync, aio, "get_model_import_job", jobIdentifier="import-1")
            assert (job["jobName"], job["status"], job["jobArn"]) == ("import-1", "Completed", arns[1])
            assert job["modelDataSource"] == SOURCE
            pages = await same_pages(sync, aio, "list_model_import_jobs", PaginationConfig={"PageSize": 1})
            assert len(pages) == 3
            names = [summary["jobName"] for page in pages for summary in page["modelImportJobSummaries"]]
            assert sorted(names) == ["import-0", "import-1", "import-2"]
            models = await same_pages(sync, aio, "list_imported_models", PaginationConfig={"PageSize": 2})
            assert sorted(m["modelName"] for page in models for m in page["modelSummaries"]) == [
                "model-0", "model-1", "model-2"
            ]
            await same(sync, aio, "get_imported_model", modelIdentifier="model-0")
            error = await same_error(
                sync, aio, "get_model_import_job", "ResourceNotFoundException", jobIdentifier="import-9"
            )
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
            await same_error(
                sync, aio, "create_model_import_job", "ValidationException",
                jobName="bad name!", importedModelName="m", roleArn=ROLE, modelDataSource=SOURCE,
            )

    run(flow)
