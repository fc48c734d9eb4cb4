"""What Bedrock model import lends the reliability tests (see tests/reliability/services.py)."""

from __future__ import annotations

from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages

ROLE = "arn:aws:iam::123456789012:role/bedrock-import"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}


def client(make: Make) -> Any:
    return make("bedrock")


def setup(make: Make) -> dict[str, list[Any]]:
    bedrock = client(make)
    job = create_job(bedrock, "fuzz-job")["jobArn"]
    model = bedrock.get_imported_model(modelIdentifier="fuzz-job-model")["modelArn"]
    return {
        "jobIdentifier": ["fuzz-job", job],
        "modelIdentifier": ["fuzz-job-model", model],
        "resourceARN": [job, model],
        "roleArn": [ROLE],
        "modelDataSource": [SOURCE],
    }


def create_job(bedrock: Any, name: str) -> Any:
    return bedrock.create_model_import_job(
        jobName=name, importedModelName=f"{name}-model", roleArn=ROLE, modelDataSource=SOURCE
    )


def create_job_with_token(bedrock: Any, name: str, token: str) -> str:
    return bedrock.create_model_import_job(  # type: ignore[no-any-return]
        jobName=name, importedModelName=f"{name}-model", roleArn=ROLE, modelDataSource=SOURCE,
        clientRequestToken=token,
    )["jobArn"]


def job_names(bedrock: Any) -> list[str]:
    jobs = all_pages(bedrock.list_model_import_jobs, "modelImportJobSummaries", "nextToken")
    return [job["jobName"] for job in jobs]


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    create_job=create_job,
    job_names=job_names,
    conflict_code="ConflictException",
    create_job_with_token=create_job_with_token,
    describe_job=lambda bedrock, name: bedrock.get_model_import_job(jobIdentifier=name),
    delete_job=lambda bedrock, name: bedrock.delete_imported_model(modelIdentifier=f"{name}-model"),
)
