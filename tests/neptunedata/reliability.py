"""What Neptune ML lends the reliability tests (see tests/reliability/services.py).

The jobs are data processing jobs, on the default endpoint in-process and on the
server's one cluster; two cluster endpoints must keep separate jobs."""

from __future__ import annotations

from typing import Any

from tests.modes import ACCOUNT
from tests.reliability.services import Make, ReliabilityFixture

ROLE = f"arn:aws:iam::{ACCOUNT}:role/neptune-ml"
CLUSTERS = (
    "https://one.cluster-abc123xyz.us-east-1.neptune.amazonaws.com:8182",
    "https://two.cluster-abc123xyz.us-east-1.neptune.amazonaws.com:8182",
)


def client(make: Make) -> Any:
    return make("neptunedata")


def create_job(neptune: Any, name: str) -> Any:
    return neptune.start_ml_data_processing_job(
        id=name,
        inputDataS3Location="s3://graph/export/",
        processedDataS3Location="s3://graph/processed/",
        neptuneIamRoleArn=ROLE,
    )


def setup(make: Make) -> dict[str, list[Any]]:
    neptune = client(make)
    create_job(neptune, "fuzz-processing")
    neptune.start_ml_model_training_job(
        id="fuzz-training",
        dataProcessingJobId="fuzz-processing",
        trainModelS3Location="s3://graph/model/",
    )
    neptune.start_ml_model_transform_job(
        id="fuzz-transform",
        dataProcessingJobId="fuzz-processing",
        mlModelTrainingJobId="fuzz-training",
        modelTransformOutputS3Location="s3://graph/out/",
    )
    neptune.create_ml_endpoint(id="fuzz-endpoint", mlModelTrainingJobId="fuzz-training")
    return {
        "id": ["fuzz-processing", "fuzz-training", "fuzz-transform", "fuzz-endpoint"],
        "dataProcessingJobId": ["fuzz-processing"],
        "mlModelTrainingJobId": ["fuzz-training"],
        "mlModelTransformJobId": ["fuzz-transform"],
        "previousDataProcessingJobId": ["fuzz-processing"],
        "previousModelTrainingJobId": ["fuzz-training"],
        "neptuneIamRoleArn": [ROLE],
        "sagemakerIamRoleArn": [ROLE],
        "modelTransformOutputS3Location": ["s3://graph/out/"],
        "trainModelS3Location": ["s3://graph/model/"],
        "inputDataS3Location": ["s3://graph/export/"],
        "processedDataS3Location": ["s3://graph/processed/"],
    }


def job_names(neptune: Any) -> list[str]:
    return neptune.list_ml_data_processing_jobs(maxItems=1024)["ids"]  # type: ignore[no-any-return]


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    create_job=create_job,
    job_names=job_names,
    conflict_code="InvalidParameterException",
    stop_job=lambda neptune, name: neptune.cancel_ml_data_processing_job(id=name),
    describe_job=lambda neptune, name: neptune.get_ml_data_processing_job(id=name),
    isolated_endpoints=CLUSTERS,
)
