"""Neptune ML calls shared by the neptunedata tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.modes import ACCOUNT, Aws

CLUSTER = "https://my-cluster.cluster-abc123xyz.us-east-1.neptune.amazonaws.com:8182"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/neptune-ml"
PROCESSING = "neptunedata::ml-data-processing-job"
TRAINING = "neptunedata::ml-model-training-job"
TRANSFORM = "neptunedata::ml-model-transform-job"
ENDPOINT = "neptunedata::ml-endpoint"
SAGEMAKER_ARN = rf"arn:aws:sagemaker:us-east-1:{ACCOUNT}"


def neptune(aws: Aws, endpoint: str = CLUSTER, **kwargs: Any) -> Any:
    """A neptunedata client of the cluster: its endpoint under the decorator; the server
    (which is the cluster) over HTTP."""
    if aws.endpoint is not None:
        return aws.client("neptunedata", **kwargs)
    return aws.client("neptunedata", endpoint_url=endpoint, **kwargs)


def process(client: Any, job_id: str = "dp-1", **extra: Any) -> dict[str, Any]:
    return client.start_ml_data_processing_job(  # type: ignore[no-any-return]
        id=job_id,
        inputDataS3Location="s3://graph/export/",
        processedDataS3Location="s3://graph/processed/",
        **extra,
    )


def train(
    client: Any, job_id: str = "train-1", processing: str = "dp-1", **extra: Any
) -> dict[str, Any]:
    return client.start_ml_model_training_job(  # type: ignore[no-any-return]
        id=job_id, dataProcessingJobId=processing, trainModelS3Location="s3://graph/model/", **extra
    )


def transform(
    client: Any,
    job_id: str = "transform-1",
    training: str = "train-1",
    processing: str = "dp-1",
    **extra: Any,
) -> dict[str, Any]:
    return client.start_ml_model_transform_job(  # type: ignore[no-any-return]
        id=job_id,
        dataProcessingJobId=processing,
        mlModelTrainingJobId=training,
        modelTransformOutputS3Location="s3://graph/transform/",
        **extra,
    )


def sagemaker_training_job(sagemaker: Any, name: str) -> None:
    """A SageMaker training job (Completed at once under the default progression, as moto makes them)."""
    sagemaker.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://graph/sm/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def error(info: pytest.ExceptionInfo[Exception]) -> tuple[int, str]:
    """The HTTP status and Neptune's detailedMessage of a refused call."""
    response = info.value.response  # type: ignore[attr-defined]
    return response["ResponseMetadata"]["HTTPStatusCode"], response["detailedMessage"]
