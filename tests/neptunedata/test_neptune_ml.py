"""Neptune ML through boto3's neptunedata client: in-process against a cluster endpoint,
and against the server (which is the cluster)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.modes import Aws

from .helpers import (
    ENDPOINT,
    PROCESSING,
    ROLE,
    SAGEMAKER_ARN,
    TRAINING,
    TRANSFORM,
    error,
    neptune,
    process,
    sagemaker_training_job,
    train,
    transform,
)

LOGS = r"https://us-east-1\.console\.aws\.amazon\.com/cloudwatch/home\?region=us-east-1#logStream:group="


def test_whole_workflow(aws: Aws) -> None:
    client = neptune(aws)
    started = process(client)
    assert started["id"] == "dp-1"
    assert re.fullmatch(rf"{SAGEMAKER_ARN}:processing-job/dp-1", started["arn"])
    assert started["creationTimeInMillis"] > 1_600_000_000_000

    processing = client.get_ml_data_processing_job(id="dp-1")
    assert processing["status"] == "Completed" and processing["id"] == "dp-1"
    job = processing["processingJob"]
    assert (job["name"], job["arn"], job["status"]) == ("dp-1", started["arn"], "Completed")
    assert job["outputLocation"] == "s3://graph/processed/"
    assert re.match(LOGS + r"/aws/sagemaker/ProcessingJobs;prefix=dp-1;", job["cloudwatchLogUrl"])
    assert "failureReason" not in job

    started = train(client)
    assert re.fullmatch(rf"{SAGEMAKER_ARN}:hyper-parameter-tuning-job/train-1", started["arn"])
    training = client.get_ml_model_training_job(id="train-1")
    assert training["status"] == "Completed"
    assert training["processingJob"]["status"] == "Completed"
    assert training["processingJob"]["arn"].endswith(":processing-job/train-1-processing")
    assert training["hpoJob"]["arn"] == started["arn"]
    assert training["hpoJob"]["outputLocation"] == "s3://graph/model/"
    assert training["modelTransformJob"]["status"] == "Completed"
    assert training["modelTransformJob"]["outputLocation"] == "s3://graph/model/model-transform"
    assert training["mlModels"] == [
        {"name": "train-1-model", "arn": f"{started['arn'].split(':hyper')[0]}:model/train-1-model"}
    ]

    started = transform(client)
    assert re.fullmatch(rf"{SAGEMAKER_ARN}:training-job/transform-1", started["arn"])
    transformed = client.get_ml_model_transform_job(id="transform-1")
    assert transformed["status"] == "Completed"
    assert transformed["baseProcessingJob"]["status"] == "Completed"
    assert transformed["remoteModelTransformJob"]["arn"] == started["arn"]
    assert transformed["remoteModelTransformJob"]["outputLocation"] == "s3://graph/transform/"
    assert [m["name"] for m in transformed["models"]] == ["transform-1-model"]

    created = client.create_ml_endpoint(
        id="endpoint-1", mlModelTrainingJobId="train-1", instanceCount=1
    )
    assert re.fullmatch(rf"{SAGEMAKER_ARN}:endpoint/endpoint-1", created["arn"])
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == "InService"
    assert {k: endpoint["endpoint"][k] for k in ("name", "arn", "status")} == {
        "name": "endpoint-1",
        "arn": created["arn"],
        "status": "InService",
    }
    assert re.match(
        LOGS + r"/aws/sagemaker/Endpoints/endpoint-1;", endpoint["endpoint"]["cloudwatchLogUrl"]
    )
    assert endpoint["endpointConfig"]["name"] == "endpoint-1-config"
    assert endpoint["endpointConfig"]["arn"].endswith(":endpoint-config/endpoint-1-config")
    client.create_ml_endpoint(id="endpoint-2", mlModelTransformJobId="transform-1")
    assert client.list_ml_endpoints()["ids"] == ["endpoint-2", "endpoint-1"]

    assert client.delete_ml_endpoint(id="endpoint-1", clean=True)["status"] == "Deleting"
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.get_ml_endpoint(id="endpoint-1")
    assert client.list_ml_endpoints()["ids"] == ["endpoint-2"]


def test_running_jobs_show_the_work_in_progress(aws: Aws) -> None:
    client = neptune(aws)
    for kind in (PROCESSING, TRAINING, TRANSFORM, ENDPOINT):
        aws.control.set_progression(kind, "manual", times=1000)
    process(client)
    processing = client.get_ml_data_processing_job(id="dp-1")
    assert processing["status"] == processing["processingJob"]["status"] == "InProgress"
    aws.control.advance(PROCESSING, "dp-1")

    train(client)
    training = client.get_ml_model_training_job(id="train-1")
    assert training["status"] == "InProgress"
    assert training["processingJob"]["status"] == "Completed"
    assert training["hpoJob"]["status"] == "InProgress"
    assert "modelTransformJob" not in training and "mlModels" not in training
    assert aws.control.advance(TRAINING, "train-1") == "Completed"

    transform(client)
    transformed = client.get_ml_model_transform_job(id="transform-1")
    assert transformed["status"] == transformed["remoteModelTransformJob"]["status"] == "InProgress"
    assert "models" not in transformed

    client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == endpoint["endpoint"]["status"] == "Creating"
    assert aws.control.advance(ENDPOINT, "endpoint-1") == "InService"
    assert client.get_ml_endpoint(id="endpoint-1")["status"] == "InService"


def test_manual_progression_counts_gets(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.set_progression(PROCESSING, "manual", times=2)
    process(client)
    statuses = [client.get_ml_data_processing_job(id="dp-1")["status"] for _ in range(3)]
    assert statuses == ["InProgress", "Completed", "Completed"]


@pytest.mark.parametrize(
    "kind, make, get, failed_member",
    [
        (PROCESSING, "process", "get_ml_data_processing_job", "processingJob"),
        (TRAINING, "train", "get_ml_model_training_job", "hpoJob"),
        (TRANSFORM, "transform", "get_ml_model_transform_job", "remoteModelTransformJob"),
    ],
)
def test_failed_jobs_show_their_reason(
    aws: Aws, kind: str, make: str, get: str, failed_member: str
) -> None:
    client = neptune(aws)
    aws.control.fail(kind, "ResourceLimitExceeded: no ml.p3.2xlarge capacity")
    steps = {
        "process": [process],
        "train": [process, train],
        "transform": [process, train, transform],
    }[make]
    for step in steps:
        started = step(client)
    job = getattr(client, get)(id=started["id"])
    assert job["status"] == "Failed"
    assert job[failed_member]["status"] == "Failed"
    assert job[failed_member]["failureReason"] == "ResourceLimitExceeded: no ml.p3.2xlarge capacity"
    # The work before the step that failed completed; nothing after it exists.
    earlier = [m for m in ("processingJob", "baseProcessingJob") if m in job and m != failed_member]
    assert all(job[m]["status"] == "Completed" and "failureReason" not in job[m] for m in earlier)
    assert not {"mlModels", "models", "modelTransformJob"} & set(job)


def test_a_failed_job_is_no_source(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.fail(TRAINING, "AlgorithmError", job="train-1")
    process(client)
    train(client)
    with pytest.raises(client.exceptions.BadRequestException) as info:
        client.create_ml_endpoint(mlModelTrainingJobId="train-1")
    assert error(info) == (
        400,
        "Provided MLModelTraining job has not completed. (mlModelTrainingJobId: 'train-1' is Failed)",
    )
    with pytest.raises(client.exceptions.InvalidParameterException) as info:
        client.cancel_ml_model_training_job(id="train-1")
    assert "already completed or failed" in error(info)[1]


def test_failed_endpoint(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.fail(ENDPOINT, "CapacityError: ml.m5.xlarge", job="endpoint-1")
    process(client)
    train(client)
    client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == endpoint["endpoint"]["status"] == "Failed"
    assert endpoint["endpoint"]["failureReason"] == "CapacityError: ml.m5.xlarge"
    with pytest.raises(client.exceptions.PreconditionsFailedException):
        client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1", update=True)
    assert client.delete_ml_endpoint(id="endpoint-1")["status"] == "Deleting"


@pytest.mark.parametrize(
    "kind, start, get, cancel, member",
    [
        (
            PROCESSING,
            "process",
            "get_ml_data_processing_job",
            "cancel_ml_data_processing_job",
            "processingJob",
        ),
        (TRAINING, "train", "get_ml_model_training_job", "cancel_ml_model_training_job", "hpoJob"),
        (
            TRANSFORM,
            "transform",
            "get_ml_model_transform_job",
            "cancel_ml_model_transform_job",
            "remoteModelTransformJob",
        ),
    ],
)
def test_cancel_walks_the_stopping_statuses(
    aws: Aws, kind: str, start: str, get: str, cancel: str, member: str
) -> None:
    client = neptune(aws)
    sent: list[tuple[str, str]] = []
    client.meta.events.register(
        "request-created.neptunedata",
        lambda request, **_: sent.append((request.method, request.url)),
    )
    process(client)
    train(client)
    aws.control.set_progression(kind, "manual", times=1000)
    started = {
        "process": lambda: process(client, "dp-2"),
        "train": lambda: train(client, "train-2"),
        "transform": lambda: transform(client),
    }[start]()
    job_id = started["id"]
    assert (
        getattr(client, cancel)(id=job_id, clean=True, neptuneIamRoleArn=ROLE)["status"]
        == "Stopping"
    )
    method, url = sent[-1]
    assert method == "DELETE"
    assert re.search(rf"/ml/\w+/{job_id}\?", url) and "clean=true" in url
    assert "neptuneIamRoleArn=arn%3Aaws%3Aiam%3A%3A" in url
    assert getattr(client, get)(id=job_id)["status"] == "Stopping"
    assert aws.control.advance(kind, job_id) == "Stopped"
    stopped = getattr(client, get)(id=job_id)
    assert stopped["status"] == stopped[member]["status"] == "Stopped"
    assert "failureReason" not in stopped[member]
    assert not {"mlModels", "models", "modelTransformJob"} & set(stopped)
    with pytest.raises(client.exceptions.InvalidParameterException) as info:
        getattr(client, cancel)(id=job_id)
    assert error(info) == (
        400,
        f"Failed to stop the job because it is already Stopped. ({_noun(kind)} '{job_id}')",
    )
    with pytest.raises(client.exceptions.MLResourceNotFoundException) as info:
        getattr(client, cancel)(id="nope")
    assert error(info)[0] == 404


def _noun(kind: str) -> str:
    return {
        PROCESSING: "MLDataProcessing job",
        TRAINING: "MLModelTraining job",
        TRANSFORM: "ModelTransformJob",
    }[kind]


def test_cancelling_a_finished_job_is_refused(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    transform(client)
    for cancel, job_id in (
        (client.cancel_ml_data_processing_job, "dp-1"),
        (client.cancel_ml_model_training_job, "train-1"),
        (client.cancel_ml_model_transform_job, "transform-1"),
    ):
        with pytest.raises(client.exceptions.InvalidParameterException) as info:
            cancel(id=job_id, clean=False)
        status, message = error(info)
        assert status == 400 and message.startswith(
            "Failed to stop the job because it has already completed or failed."
        )
        assert job_id in message and "Completed" in message


def test_ids_are_generated_checked_and_unique(aws: Aws) -> None:
    client = neptune(aws)
    generated = client.start_ml_data_processing_job(
        inputDataS3Location="s3://graph/export/", processedDataS3Location="s3://graph/processed/"
    )["id"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", generated)
    process(client)
    with pytest.raises(client.exceptions.InvalidParameterException) as info:
        process(client)
    assert error(info) == (
        400,
        "Another resource with same ID already exists. Please use a new ID. (id: 'dp-1')",
    )
    train(client, job_id="dp-1")  # ids are unique within a family
    endpoint = client.create_ml_endpoint(mlModelTrainingJobId="dp-1")["id"]
    # An endpoint's default id is "an autogenerated timestamped name".
    assert re.fullmatch(r"neptune-ml-\d{13}-[a-z0-9]{6}", endpoint)
    for bad, message in (
        ("x" * 49, "Invalid ID provided. ID can be 1-48 alphanumeric characters."),
        ("dp_2", "Invalid ID provided. Must contain only letters, digits, or hyphens."),
    ):
        with pytest.raises(client.exceptions.InvalidParameterException) as info:
            process(client, bad)
        assert error(info)[1].startswith(message)
    process(client, "x" * 48)
    assert sorted(client.list_ml_data_processing_jobs()["ids"]) == sorted(
        [generated, "dp-1", "x" * 48]
    )


def test_dependencies_are_checked(aws: Aws) -> None:
    client = neptune(aws)
    missing, bad = (
        client.exceptions.MissingParameterException,
        client.exceptions.BadRequestException,
    )

    def refused(exception: type[Exception], message: str, call: Any) -> None:
        with pytest.raises(exception) as info:
            call()
        assert error(info) == (400, message)

    def transform_with(**sources: str) -> Any:
        return client.start_ml_model_transform_job(
            modelTransformOutputS3Location="s3://graph/t/", **sources
        )

    refused(
        bad,
        "Provided MLDataProcessing job doesn't exist. (dataProcessingJobId: 'nope')",
        lambda: train(client, processing="nope"),
    )
    refused(
        bad,
        "Provided MLDataProcessing job doesn't exist. (previousDataProcessingJobId: 'nope')",
        lambda: process(client, "dp-2", previousDataProcessingJobId="nope"),
    )
    aws.control.set_progression(PROCESSING, "manual", times=1000)
    process(client, "dp-running")
    refused(
        bad,
        "Provided MLDataProcessing job has not completed. (dataProcessingJobId: 'dp-running' is InProgress)",
        lambda: train(client, processing="dp-running"),
    )
    aws.control.advance(PROCESSING, "dp-running")
    train(client, processing="dp-running")
    refused(
        bad,
        "Provided MLModelTraining job doesn't exist. (previousModelTrainingJobId: 'nope')",
        lambda: train(
            client, "train-2", processing="dp-running", previousModelTrainingJobId="nope"
        ),
    )
    train(client, "train-2", processing="dp-running", previousModelTrainingJobId="train-1")

    refused(
        missing,
        "Include either both dataProcessingJobId and mlModelTrainingJobId, or trainingJobName.",
        transform_with,
    )
    refused(
        missing,
        "dataProcessingJobId is required with mlModelTrainingJobId.",
        lambda: transform_with(mlModelTrainingJobId="train-1"),
    )
    refused(
        bad,
        "Provided MLModelTraining job doesn't exist. (mlModelTrainingJobId: 'nope')",
        lambda: transform_with(mlModelTrainingJobId="nope", dataProcessingJobId="dp-running"),
    )
    refused(
        bad,
        "Unable to find SageMaker AI resource. Please check your input. (trainingJobName: 'nope')",
        lambda: transform_with(trainingJobName="nope"),
    )

    refused(
        missing,
        "Supply either mlModelTrainingJobId or mlModelTransformJobId.",
        lambda: client.create_ml_endpoint(id="endpoint-1"),
    )
    refused(
        bad,
        "Supply either mlModelTrainingJobId or mlModelTransformJobId, not both.",
        lambda: client.create_ml_endpoint(
            mlModelTrainingJobId="train-1", mlModelTransformJobId="t"
        ),
    )
    refused(
        bad,
        "Provided ModelTransformJob doesn't exist. (mlModelTransformJobId: 'nope')",
        lambda: client.create_ml_endpoint(mlModelTransformJobId="nope"),
    )
    aws.control.set_progression(TRANSFORM, "manual", times=1000)
    transform(client, processing="dp-running")
    refused(
        bad,
        "Provided ModelTransformJob has not completed. (mlModelTransformJobId: 'transform-1' is InProgress)",
        lambda: client.create_ml_endpoint(mlModelTransformJobId="transform-1"),
    )
    # Nothing was left behind by the refused requests.
    assert client.list_ml_data_processing_jobs()["ids"] == ["dp-running"]
    assert client.list_ml_model_training_jobs()["ids"] == ["train-2", "train-1"]
    assert client.list_ml_model_transform_jobs()["ids"] == ["transform-1"]
    assert client.list_ml_endpoints()["ids"] == []


def test_transform_from_a_sagemaker_training_job(aws: Aws) -> None:
    sagemaker_training_job(aws.client("sagemaker"), "external-training")
    client = neptune(aws)
    started = client.start_ml_model_transform_job(
        trainingJobName="external-training", modelTransformOutputS3Location="s3://graph/t/"
    )
    assert client.get_ml_model_transform_job(id=started["id"])["status"] == "Completed"
    client.create_ml_endpoint(id="from-sagemaker", mlModelTransformJobId=started["id"])
    assert client.get_ml_endpoint(id="from-sagemaker")["status"] == "InService"


def test_transform_refuses_a_sagemaker_training_job_still_running(decorator_aws: Aws) -> None:
    # SageMaker's training jobs are Completed at once by default; this one is still running.
    decorator_aws.control.set_progression("sagemaker::training-job", "manual", times=1000)
    sagemaker_training_job(decorator_aws.client("sagemaker"), "running")
    client = neptune(decorator_aws)
    with pytest.raises(client.exceptions.BadRequestException) as info:
        client.start_ml_model_transform_job(
            trainingJobName="running", modelTransformOutputS3Location="s3://graph/t/"
        )
    assert error(info)[1].startswith("Provided SageMaker AI Training job has not completed.")


def test_endpoint_update_serves_another_model(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    train(client, job_id="train-2")
    aws.control.set_progression(ENDPOINT, "manual", times=1000)
    arn = client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")["arn"]
    with pytest.raises(client.exceptions.PreconditionsFailedException) as info:
        client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-2", update=True)
    assert "Creating" in error(info)[1]
    aws.control.advance(ENDPOINT, "endpoint-1")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-2")  # without update
    updated = client.create_ml_endpoint(
        id="endpoint-1", mlModelTrainingJobId="train-2", update=True
    )
    assert (updated["id"], updated["arn"]) == ("endpoint-1", arn)
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == endpoint["endpoint"]["status"] == "Updating"
    assert endpoint["endpointConfig"]["name"] == "endpoint-1-config-2"
    assert aws.control.advance(ENDPOINT, "endpoint-1") == "InService"
    assert client.list_ml_endpoints()["ids"] == ["endpoint-1"]
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.create_ml_endpoint(id="endpoint-9", mlModelTrainingJobId="train-2", update=True)
    with pytest.raises(client.exceptions.MissingParameterException):
        client.create_ml_endpoint(mlModelTrainingJobId="train-2", update=True)


def test_deleting_an_endpoint(aws: Aws) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    aws.control.set_progression(ENDPOINT, "manual", times=1000)
    client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    assert client.delete_ml_endpoint(id="endpoint-1")["status"] == "Deleting"  # while Creating
    endpoint = client.get_ml_endpoint(id="endpoint-1")
    assert endpoint["status"] == endpoint["endpoint"]["status"] == "Deleting"
    assert client.list_ml_endpoints()["ids"] == ["endpoint-1"]
    with pytest.raises(client.exceptions.PreconditionsFailedException):
        client.delete_ml_endpoint(id="endpoint-1")
    aws.control.advance(ENDPOINT, "endpoint-1")
    with pytest.raises(client.exceptions.MLResourceNotFoundException) as info:
        client.get_ml_endpoint(id="endpoint-1")
    assert error(info)[0] == 404
    assert client.list_ml_endpoints()["ids"] == []
    with pytest.raises(client.exceptions.MLResourceNotFoundException):
        client.delete_ml_endpoint(id="endpoint-1")
    client.create_ml_endpoint(
        id="endpoint-1", mlModelTrainingJobId="train-1"
    )  # the id is free again


@pytest.mark.parametrize(
    "family",
    [
        "list_ml_data_processing_jobs",
        "list_ml_model_training_jobs",
        "list_ml_model_transform_jobs",
        "list_ml_endpoints",
    ],
)
def test_lists_are_newest_first_and_bounded(aws: Aws, family: str) -> None:
    client = neptune(aws)
    process(client, "dp")
    train(client, "train", processing="dp")
    for index in range(12):
        name = f"job-{index:02d}"
        if family == "list_ml_data_processing_jobs":
            process(client, name)
        elif family == "list_ml_model_training_jobs":
            train(client, name, processing="dp")
        elif family == "list_ml_model_transform_jobs":
            transform(client, name, training="train", processing="dp")
        else:
            client.create_ml_endpoint(id=name, mlModelTrainingJobId="train")
    listing = getattr(client, family)
    newest = [f"job-{i:02d}" for i in range(11, -1, -1)]
    assert listing()["ids"] == newest[:10]  # default maxItems is 10
    assert listing(maxItems=3, neptuneIamRoleArn=ROLE)["ids"] == newest[:3]
    assert listing(maxItems=1024)["ids"][:12] == newest
    unchecked = neptune(aws, validate=False)
    for bad in (0, 1025):
        with pytest.raises(unchecked.exceptions.InvalidParameterException) as info:
            getattr(unchecked, family)(maxItems=bad)
        assert "at 'maxItems'" in error(info)[1]


def _every_call(client: Any) -> list[tuple[str, dict[str, Any]]]:
    """Each of the 16 ML operations, called so it succeeds (in this order)."""
    out = "s3://graph/out/"
    return [
        (
            "start_ml_data_processing_job",
            {"id": "dp", "inputDataS3Location": out, "processedDataS3Location": out},
        ),
        ("get_ml_data_processing_job", {"id": "dp"}),
        ("list_ml_data_processing_jobs", {}),
        (
            "start_ml_model_training_job",
            {"id": "tr", "dataProcessingJobId": "dp", "trainModelS3Location": out},
        ),
        ("get_ml_model_training_job", {"id": "tr"}),
        ("list_ml_model_training_jobs", {}),
        (
            "start_ml_model_transform_job",
            {
                "id": "tf",
                "dataProcessingJobId": "dp",
                "mlModelTrainingJobId": "tr",
                "modelTransformOutputS3Location": out,
            },
        ),
        ("get_ml_model_transform_job", {"id": "tf"}),
        ("list_ml_model_transform_jobs", {}),
        ("create_ml_endpoint", {"id": "ep", "mlModelTrainingJobId": "tr"}),
        ("get_ml_endpoint", {"id": "ep"}),
        ("list_ml_endpoints", {}),
        ("delete_ml_endpoint", {"id": "ep"}),
        (
            "start_ml_data_processing_job",
            {"id": "dp2", "inputDataS3Location": out, "processedDataS3Location": out},
        ),
        ("cancel_ml_data_processing_job", {"id": "dp2"}),
        (
            "start_ml_model_training_job",
            {"id": "tr2", "dataProcessingJobId": "dp", "trainModelS3Location": out},
        ),
        ("cancel_ml_model_training_job", {"id": "tr2"}),
        (
            "start_ml_model_transform_job",
            {
                "id": "tf2",
                "dataProcessingJobId": "dp",
                "mlModelTrainingJobId": "tr",
                "modelTransformOutputS3Location": out,
            },
        ),
        ("cancel_ml_model_transform_job", {"id": "tf2"}),
    ]


def test_every_call_takes_a_neptune_iam_role_and_refuses_a_malformed_one(aws: Aws) -> None:
    client = neptune(aws)
    for kind in (PROCESSING, TRAINING, TRANSFORM):  # so the cancels find running jobs
        aws.control.set_progression(kind, "manual", times=1)
    calls = _every_call(client)
    assert len({name for name, _ in calls}) == 16
    for name, kwargs in calls:
        with pytest.raises(client.exceptions.BadRequestException) as info:
            getattr(client, name)(**kwargs, neptuneIamRoleArn="neptune-ml")
        assert error(info) == (400, "neptuneIamRoleArn 'neptune-ml' is not the ARN of an IAM role.")
        getattr(client, name)(**kwargs, neptuneIamRoleArn=ROLE)
        if name.startswith("start_ml_") and kwargs["id"] in ("dp", "tr"):
            aws.control.advance({"dp": PROCESSING, "tr": TRAINING}[kwargs["id"]], kwargs["id"])
    with pytest.raises(client.exceptions.BadRequestException) as info:
        process(client, "dp3", sagemakerIamRoleArn="arn:aws:iam::123:role/short-account")
    assert "sagemakerIamRoleArn" in error(info)[1]


def test_every_input_member_is_taken(aws: Aws) -> None:
    client = neptune(aws)
    vpc: dict[str, Any] = {
        "sagemakerIamRoleArn": ROLE,
        "neptuneIamRoleArn": ROLE,
        "subnets": ["subnet-1"],
        "securityGroupIds": ["sg-1"],
        "volumeEncryptionKMSKey": "key-1",
        "s3OutputEncryptionKMSKey": "key-2",
    }
    process(client, "dp-0")
    process(
        client,
        "dp-1",
        previousDataProcessingJobId="dp-0",
        processingInstanceType="ml.r5.xlarge",
        processingInstanceVolumeSizeInGB=0,
        processingTimeOutInSeconds=3600,
        modelType="kge",
        configFileName="training-data-configuration.json",
        **vpc,
    )
    train(client, "train-0")
    train(
        client,
        previousModelTrainingJobId="train-0",
        baseProcessingInstanceType="ml.m5.xlarge",
        trainingInstanceType="ml.p3.2xlarge",
        trainingInstanceVolumeSizeInGB=100,
        trainingTimeOutInSeconds=86400,
        maxHPONumberOfTrainingJobs=10,
        maxHPOParallelTrainingJobs=2,
        enableManagedSpotTraining=True,
        customModelTrainingParameters={
            "sourceS3DirectoryPath": "s3://graph/custom/",
            "trainingEntryPointScript": "training.py",
            "transformEntryPointScript": "transform.py",
        },
        **vpc,
    )
    transform(
        client,
        trainingJobName="ignored-with-mlModelTrainingJobId",
        baseProcessingInstanceType="ml.m5.xlarge",
        baseProcessingInstanceVolumeSizeInGB=0,
        customModelTransformParameters={
            "sourceS3DirectoryPath": "s3://graph/custom/",
            "transformEntryPointScript": "transform.py",
        },
        **vpc,
    )
    client.create_ml_endpoint(
        id="endpoint-1",
        mlModelTransformJobId="transform-1",
        update=False,
        neptuneIamRoleArn=ROLE,
        modelName="rgcn",
        instanceType="ml.m5.xlarge",
        instanceCount=2,
        volumeEncryptionKMSKey="key-1",
    )
    assert client.get_ml_endpoint(id="endpoint-1", neptuneIamRoleArn=ROLE)["status"] == "InService"


_S3 = "Invalid S3 URL or incorrect S3 permissions. Please check your S3 configuration."


def _endpoint(client: Any, **kwargs: Any) -> Any:
    return client.create_ml_endpoint(mlModelTrainingJobId="train-1", **kwargs)


def _transform_to(client: Any, location: str) -> Any:
    return client.start_ml_model_transform_job(
        dataProcessingJobId="dp-1",
        mlModelTrainingJobId="train-1",
        modelTransformOutputS3Location=location,
    )


@pytest.mark.parametrize(
    "call, exception, message",
    [
        (
            lambda c: process(c, "dp-2", processingInstanceType="m5.large"),
            "InvalidParameterException",
            "Invalid ML instance type. (processingInstanceType: 'm5.large')",
        ),
        (
            lambda c: process(c, "dp-2", modelType="gnn"),
            "InvalidParameterException",
            "Invalid modelType 'gnn'; valid values: heterogeneous, kge.",
        ),
        (
            lambda c: process(c, "dp-2", processingTimeOutInSeconds=0),
            "InvalidParameterException",
            "processingTimeOutInSeconds must be at least 1, not 0.",
        ),
        (
            lambda c: c.start_ml_data_processing_job(
                inputDataS3Location="graph/export", processedDataS3Location="s3://graph/p/"
            ),
            "BadRequestException",
            f"{_S3} (inputDataS3Location: 'graph/export')",
        ),
        (
            lambda c: train(c, "train-2", trainingInstanceType="ml.nope.large"),
            "InvalidParameterException",
            "Invalid ML instance type. (trainingInstanceType: 'ml.nope.large')",
        ),
        (
            lambda c: _endpoint(c, modelName="gcn"),
            "InvalidParameterException",
            "Invalid modelName 'gcn'; valid values: rgcn, kge, transe, distmult, rotate, custom.",
        ),
        (
            lambda c: train(
                c, "train-2", customModelTrainingParameters={"sourceS3DirectoryPath": "/tmp/model"}
            ),
            "BadRequestException",
            f"{_S3} (customModelTrainingParameters.sourceS3DirectoryPath: '/tmp/model')",
        ),
        (
            lambda c: _transform_to(c, "https://graph/t"),
            "BadRequestException",
            f"{_S3} (modelTransformOutputS3Location: 'https://graph/t')",
        ),
        (
            lambda c: _endpoint(c, instanceCount=0),
            "InvalidParameterException",
            "instanceCount must be at least 1, not 0.",
        ),
        (
            lambda c: _endpoint(c, instanceType="ml.m5.huge"),
            "InvalidParameterException",
            "Invalid ML instance type. (instanceType: 'ml.m5.huge')",
        ),
    ],
)
def test_inputs_neptune_ml_checks(aws: Aws, call: Any, exception: str, message: str) -> None:
    client = neptune(aws)
    process(client)
    train(client)
    with pytest.raises(getattr(client.exceptions, exception)) as info:
        call(client)
    assert error(info) == (400, message)


def test_cluster_endpoints_are_isolated(decorator_aws: Aws) -> None:
    first = neptune(decorator_aws)
    second = neptune(
        decorator_aws, endpoint="https://other.cluster-xyz987.us-east-1.neptune.amazonaws.com:8182"
    )
    reader = neptune(
        decorator_aws,
        endpoint="https://my-cluster.cluster-ro-abc123xyz.us-east-1.neptune.amazonaws.com:8182",
    )
    default = decorator_aws.client("neptunedata")  # neptune-db.us-east-1.amazonaws.com
    assert default.meta.endpoint_url == "https://neptune-db.us-east-1.amazonaws.com"
    process(first)
    assert first.list_ml_data_processing_jobs()["ids"] == ["dp-1"]
    assert reader.list_ml_data_processing_jobs()["ids"] == ["dp-1"]  # the same cluster
    assert second.list_ml_data_processing_jobs()["ids"] == []
    assert default.list_ml_data_processing_jobs()["ids"] == []
    with pytest.raises(second.exceptions.MLResourceNotFoundException):
        second.get_ml_data_processing_job(id="dp-1")
    with pytest.raises(second.exceptions.BadRequestException):
        train(second)  # the data processing job is another cluster's
    process(second)  # the same id on another cluster is another job
    process(default)
    assert default.list_ml_data_processing_jobs()["ids"] == ["dp-1"]
    west = neptune(decorator_aws, endpoint="https://c.cluster-1.us-west-2.neptune.amazonaws.com")
    assert ":us-west-2:" in process(west)["arn"]
    assert neptune(
        decorator_aws, endpoint="https://c.cluster-1.us-west-2.neptune.amazonaws.com:8182"
    ).list_ml_data_processing_jobs()["ids"] == ["dp-1"]


def test_job_control_finds_jobs_on_every_cluster(decorator_aws: Aws) -> None:
    control = decorator_aws.control
    control.set_progression(PROCESSING, "manual", times=1000)
    first = neptune(decorator_aws)
    second = neptune(
        decorator_aws, endpoint="https://other.cluster-xyz987.us-east-1.neptune.amazonaws.com:8182"
    )
    arn = process(first)["arn"]
    process(second)
    control.fail(PROCESSING, "ClientError: no export found", job="dp-1")
    assert control.advance(PROCESSING, arn) == "Failed"
    for client in (first, second):
        job = client.get_ml_data_processing_job(id="dp-1")
        assert job["processingJob"]["failureReason"] == "ClientError: no export found"
    assert control.status(PROCESSING, "dp-1") == "Failed"


def test_job_control_over_http(aws: Aws) -> None:
    client = neptune(aws)
    aws.control.set_progression(ENDPOINT, "manual", times=1000)
    process(client)
    train(client)
    client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    assert aws.control.status(ENDPOINT, "endpoint-1") == "Creating"
    assert aws.control.advance(ENDPOINT, "endpoint-1") == "InService"
    client.delete_ml_endpoint(id="endpoint-1")
    aws.control.advance(ENDPOINT, "endpoint-1")
    assert client.list_ml_endpoints()["ids"] == []


def test_creation_time_follows_the_clock(decorator_aws: Aws) -> None:
    from freezegun import freeze_time

    client = neptune(decorator_aws)
    with freeze_time("2024-05-01 12:00:00"):
        assert process(client)["creationTimeInMillis"] == 1714564800000
    with freeze_time("2024-05-01 12:00:01"):
        process(client, "dp-2")
    assert client.list_ml_data_processing_jobs()["ids"] == ["dp-2", "dp-1"]


def test_non_ml_operations_are_not_mocked(decorator_aws: Aws) -> None:
    client = neptune(decorator_aws)
    with pytest.raises(Exception) as info:
        client.get_engine_status()
    assert "501" in str(info.value) or "does not implement" in str(info.value)
