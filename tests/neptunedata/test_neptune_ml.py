"""Neptune ML through boto3's neptunedata client: in-process against a cluster endpoint,
and against the server (which is the cluster)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.modes import ACCOUNT, Aws

CLUSTER = "https://my-cluster.cluster-abc123xyz.us-east-1.neptune.amazonaws.com:8182"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/neptune-ml"
PROCESSING = "neptunedata::ml-data-processing-job"
TRAINING = "neptunedata::ml-model-training-job"
TRANSFORM = "neptunedata::ml-model-transform-job"


def neptune(aws: Aws, endpoint: str = CLUSTER, **kwargs: Any) -> Any:
    if aws.endpoint is not None:  # the server is the cluster
        return aws.client("neptunedata", **kwargs)
    return aws.client("neptunedata", endpoint_url=endpoint, **kwargs)


def process(client: Any, job_id: str = "dp-1") -> dict[str, Any]:
    return client.start_ml_data_processing_job(  # type: ignore[no-any-return]
        id=job_id,
        inputDataS3Location="s3://graph/export/",
        processedDataS3Location="s3://graph/processed/",
        neptuneIamRoleArn=ROLE,
    )


def train(client: Any, job_id: str = "train-1", processing: str = "dp-1", **extra: Any) -> dict[str, Any]:
    return client.start_ml_model_training_job(  # type: ignore[no-any-return]
        id=job_id, dataProcessingJobId=processing, trainModelS3Location="s3://graph/model/", **extra
    )


def code(info: pytest.ExceptionInfo[Exception]) -> str:
    return info.value.response["Error"]["Code"]  # type: ignore[attr-defined, no-any-return]


def test_whole_workflow(aws: Aws) -> None:
    client = neptune(aws)
    started = process(client)
    assert started["id"] == "dp-1"
    assert re.fullmatch(rf"arn:aws:sagemaker:us-east-1:{ACCOUNT}:processing-job/dp-1", started["arn"])
    assert started["creationTimeInMillis"] > 1_600_000_000_000

    processing = client.get_ml_data_processing_job(id="dp-1")
    assert processing["status"] == "Completed"
    assert processing["processingJob"]["status"] == "Completed"
    assert processing["processingJob"]["outputLocation"] == "s3://graph/processed/"
    assert processing["processingJob"]["arn"].startswith("arn:aws:sagemaker:us-east-1:")

    train(client)
    training = client.get_ml_model_training_job(id="train-1")
    assert training["status"] == "Completed"
    assert training["hpoJob"]["outputLocation"] == "s3://graph/model/"
    assert [m["name"] for m in training["mlModels"]] == ["train-1-model"]
    assert training["modelTransformJob"]["status"] == "Completed"

    client.start_ml_model_transform_job(
        id="transform-1", mlModelTrainingJobId="train-1", modelTransformOutputS3Location="s3://graph/transform/"
    )
    transform = client.get_ml_model_transform_job(id="transform-1")
    assert transform["status"] == "Completed"
    assert transform["remoteModelTransformJob"]["outputLocation"] == "s3://graph/transform/"
    assert transform["models"][0]["arn"].endswith(":model/transform-1-model")

    created = client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1", instanceCount=1)
    assert created["arn"].endswith(":endpoint/endpoint-1")
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == "InService"
    assert endpoint["endpoint"] == {"name": "endpoint-1", "arn": created["arn"], "status": "InService"}
    assert endpoint["endpointConfig"]["name"] == "endpoint-1-config"
    client.create_ml_endpoint(id="endpoint-2", mlModelTransformJobId="transform-1")
    assert client.list_ml_endpoints()["ids"] == ["endpoint-2", "endpoint-1"]

    assert client.delete_ml_endpoint(id="endpoint-1", clean=True)["status"] == "Deleting"
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.get_ml_endpoint(id="endpoint-1")
    assert client.list_ml_endpoints()["ids"] == ["endpoint-2"]


def test_ids_are_generated_and_unique(aws: Aws) -> None:
    client = neptune(aws)
    generated = client.start_ml_data_processing_job(
        inputDataS3Location="s3://graph/export/", processedDataS3Location="s3://graph/processed/"
    )["id"]
    assert re.fullmatch(r"[0-9a-f-]{36}", generated)
    process(client)
    with pytest.raises(client.exceptions.BadRequestException) as info:
        process(client)
    assert "dp-1" in str(info.value)
    assert sorted(client.list_ml_data_processing_jobs()["ids"]) == sorted([generated, "dp-1"])


def test_dependencies_are_checked(aws: Aws) -> None:
    client = neptune(aws)
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        train(client, processing="no-such-job")
    aws.control.set_progression(PROCESSING, "manual", times=1000)
    process(client, "dp-running")
    with pytest.raises(client.exceptions.PreconditionsFailedException) as info:
        train(client, processing="dp-running")
    assert "InProgress" in str(info.value)
    aws.control.advance(PROCESSING, "dp-running")
    train(client, processing="dp-running")
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        train(client, job_id="train-2", processing="dp-running", previousModelTrainingJobId="nope")
    train(client, job_id="train-2", processing="dp-running", previousModelTrainingJobId="train-1")

    with pytest.raises(client.exceptions.BadRequestException):  # neither source
        client.start_ml_model_transform_job(modelTransformOutputS3Location="s3://graph/t/")
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.start_ml_model_transform_job(
            trainingJobName="no-such-sagemaker-job", modelTransformOutputS3Location="s3://graph/t/"
        )
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_ml_endpoint(id="endpoint-1")
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.create_ml_endpoint(id="endpoint-1", mlModelTransformJobId="nope")
    # Nothing was left behind by the refused requests.
    assert client.list_ml_model_transform_jobs()["ids"] == []
    assert client.list_ml_endpoints()["ids"] == []


def test_transform_from_a_sagemaker_training_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_training_job(
        TrainingJobName="external-training",
        AlgorithmSpecification={"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://graph/sm/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    client = neptune(aws)
    started = client.start_ml_model_transform_job(
        trainingJobName="external-training", modelTransformOutputS3Location="s3://graph/t/"
    )
    assert client.get_ml_model_transform_job(id=started["id"])["status"] == "Completed"


def test_endpoint_update_replaces_its_model(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    train(client, job_id="train-2")
    arn = client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")["arn"]
    with pytest.raises(client.exceptions.BadRequestException):
        client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-2")
    updated = client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-2", update=True)
    assert updated["arn"] == arn
    assert client.list_ml_endpoints()["ids"] == ["endpoint-1"]


def test_cancel_walks_the_stopping_statuses(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.set_progression(PROCESSING, "manual", times=1000)
    process(client)
    assert client.cancel_ml_data_processing_job(id="dp-1", clean=True, neptuneIamRoleArn=ROLE)[
        "status"
    ] == "Stopping"
    aws.control.advance(PROCESSING, "dp-1")
    job = client.get_ml_data_processing_job(id="dp-1")
    assert job["status"] == "Stopped"
    assert job["processingJob"]["status"] == "Stopped"
    with pytest.raises(client.exceptions.BadRequestException) as info:
        client.cancel_ml_data_processing_job(id="dp-1")
    assert "Stopped" in str(info.value)
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.cancel_ml_model_training_job(id="nope")


def test_cancelling_a_finished_job_is_refused(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    for cancel in (client.cancel_ml_model_training_job, client.cancel_ml_data_processing_job):
        with pytest.raises(client.exceptions.BadRequestException):
            cancel(id="train-1" if cancel == client.cancel_ml_model_training_job else "dp-1")


def test_failed_jobs_show_their_reason(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.fail(TRAINING, "ResourceLimitExceeded: no ml.p3.2xlarge capacity", job="train-1")
    process(client)
    train(client)
    training = client.get_ml_model_training_job(id="train-1")
    assert training["status"] == "Failed"
    assert training["hpoJob"]["failureReason"].startswith("ResourceLimitExceeded")
    assert "mlModels" not in training
    with pytest.raises(client.exceptions.PreconditionsFailedException):
        client.create_ml_endpoint(mlModelTrainingJobId="train-1")


def test_lists_are_newest_first_and_bounded(aws: Aws) -> None:
    client = neptune(aws)
    for index in range(12):
        process(client, f"dp-{index:02d}")
    ids = client.list_ml_data_processing_jobs()["ids"]
    assert ids == [f"dp-{i:02d}" for i in range(11, 1, -1)]  # default maxItems is 10
    assert client.list_ml_data_processing_jobs(maxItems=3)["ids"] == ["dp-11", "dp-10", "dp-09"]
    assert len(client.list_ml_data_processing_jobs(maxItems=1024)["ids"]) == 12
    unchecked = neptune(aws, validate=False)
    for bad in (0, 1025):
        with pytest.raises(unchecked.exceptions.InvalidParameterException) as info:
            unchecked.list_ml_data_processing_jobs(maxItems=bad)
        assert "at 'maxItems'" in str(info.value)


def test_iam_role_arns_are_checked(aws: Aws) -> None:
    client = neptune(aws)
    with pytest.raises(client.exceptions.BadRequestException) as info:
        client.list_ml_endpoints(neptuneIamRoleArn="not-a-role")
    assert "neptuneIamRoleArn" in str(info.value)
    with pytest.raises(client.exceptions.BadRequestException):
        client.start_ml_data_processing_job(
            inputDataS3Location="s3://a/b", processedDataS3Location="s3://a/c", sagemakerIamRoleArn="role"
        )
    assert client.list_ml_endpoints(neptuneIamRoleArn=ROLE)["ids"] == []


def test_errors_carry_neptunes_members(aws: Aws) -> None:
    client = neptune(aws)
    with pytest.raises(client.exceptions.MLResourceNotFoundException) as info:
        client.get_ml_model_transform_job(id="missing")
    response = info.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["code"] == "MLResourceNotFoundException"
    assert "missing" in response["detailedMessage"]
    assert re.fullmatch(r"[0-9a-f-]{36}", response["requestId"])


def test_cluster_endpoints_are_isolated(decorator_aws: Aws) -> None:
    first = neptune(decorator_aws)
    second = neptune(
        decorator_aws, endpoint="https://other.cluster-xyz987.us-east-1.neptune.amazonaws.com:8182"
    )
    default = decorator_aws.client("neptunedata")  # neptune-db.us-east-1.amazonaws.com
    process(first)
    assert first.list_ml_data_processing_jobs()["ids"] == ["dp-1"]
    assert second.list_ml_data_processing_jobs()["ids"] == []
    assert default.list_ml_data_processing_jobs()["ids"] == []
    with pytest.raises(second.exceptions.MLResourceNotFoundException):
        second.get_ml_data_processing_job(id="dp-1")
    process(second)  # the same id on another cluster is another job
    process(default)
    west = neptune(
        decorator_aws, endpoint="https://c.cluster-1.us-west-2.neptune.amazonaws.com:8182"
    )
    assert ":us-west-2:" in process(west)["arn"]


def test_non_ml_operations_are_not_mocked(decorator_aws: Aws) -> None:
    client = neptune(decorator_aws)
    with pytest.raises(Exception) as info:
        client.get_engine_status()
    assert "501" in str(info.value) or "does not implement" in str(info.value)


def test_training_and_transform_jobs_list_and_cancel(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    aws.control.set_progression(TRAINING, "manual", times=1000)
    aws.control.set_progression(TRANSFORM, "manual", times=1000)
    train(client)
    train(client, job_id="train-2")
    assert client.list_ml_model_training_jobs()["ids"] == ["train-2", "train-1"]
    assert client.list_ml_model_training_jobs(maxItems=1)["ids"] == ["train-2"]
    assert client.cancel_ml_model_training_job(id="train-2", clean=False)["status"] == "Stopping"
    aws.control.advance(TRAINING, "train-2")
    assert client.get_ml_model_training_job(id="train-2")["status"] == "Stopped"

    aws.control.advance(TRAINING, "train-1")
    client.start_ml_model_transform_job(
        id="transform-1", mlModelTrainingJobId="train-1", modelTransformOutputS3Location="s3://graph/t/"
    )
    assert client.list_ml_model_transform_jobs()["ids"] == ["transform-1"]
    assert client.cancel_ml_model_transform_job(id="transform-1", clean=True)["status"] == "Stopping"
    aws.control.advance(TRANSFORM, "transform-1")
    transform = client.get_ml_model_transform_job(id="transform-1")
    assert transform["status"] == "Stopped"
    assert "models" not in transform
    with pytest.raises(client.exceptions.BadRequestException):
        client.cancel_ml_model_transform_job(id="transform-1")
