"""Bedrock calls shared by the tests of the ways in (decorator, fixtures, server)."""

from __future__ import annotations

from typing import Any

ROLE = "arn:aws:iam::123456789012:role/bedrock"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}
KIND = "bedrock::model-import-job"


def import_model(client: Any, name: str = "job-1", model: str = "model-1") -> str:
    return client.create_model_import_job(  # type: ignore[no-any-return]
        jobName=name, importedModelName=model, roleArn=ROLE, modelDataSource=SOURCE
    )["jobArn"]


def job_names(client: Any) -> list[str]:
    return [j["jobName"] for j in client.list_model_import_jobs()["modelImportJobSummaries"]]


def moto_customization_job(bedrock: Any) -> str:
    return bedrock.create_model_customization_job(  # type: ignore[no-any-return]
        jobName="tune-1",
        customModelName="custom-1",
        roleArn=ROLE,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://training/data.jsonl"},
        outputDataConfig={"s3Uri": "s3://training/output/"},
        hyperParameters={},
    )["jobArn"]
