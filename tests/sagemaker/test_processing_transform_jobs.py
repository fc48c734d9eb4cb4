"""SageMaker processing and batch transform jobs through boto3: lifecycle, stop, failure,
delete, lists, waiters and errors, in-process and against the server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws

from .helpers import error_of
from .job_helpers import (
    APP,
    PROCESSING,
    PROCESSING_OUTPUTS,
    PROCESSING_RESOURCES,
    TRANSFORM,
    TRANSFORM_INPUT,
    TRANSFORM_OUTPUT,
    TRANSFORM_RESOURCES,
    create_processing_job,
    create_transform_job,
)

#: (kind, create, Describe, List, Stop, the jobs' name member, the status member, the
#: list member, the waiter)
FAMILIES = {
    "processing": (PROCESSING, create_processing_job, "describe_processing_job", "list_processing_jobs",
                   "stop_processing_job", "ProcessingJobName", "ProcessingJobStatus", "ProcessingJobSummaries",
                   "processing_job_completed_or_stopped"),
    "transform": (TRANSFORM, create_transform_job, "describe_transform_job", "list_transform_jobs",
                  "stop_transform_job", "TransformJobName", "TransformJobStatus", "TransformJobSummaries",
                  "transform_job_completed_or_stopped"),
}


class Family:
    def __init__(self, client: Any, family: str) -> None:
        (self.kind, self._create, describe, listing, stop, self.name_member, self.status_member,
         self.list_member, self.waiter) = FAMILIES[family]
        self.client = client
        self._describe, self._list, self._stop = (getattr(client, describe), getattr(client, listing),
                                                  getattr(client, stop))

    def create(self, name: str, **overrides: Any) -> str:
        create: Callable[..., str] = self._create
        return create(self.client, name, **overrides)

    def describe(self, name: str) -> dict[str, Any]:
        return self._describe(**{self.name_member: name})  # type: ignore[no-any-return]

    def status(self, name: str) -> str:
        return self.describe(name)[self.status_member]  # type: ignore[no-any-return]

    def stop(self, name: str) -> None:
        self._stop(**{self.name_member: name})

    def listed(self, **params: Any) -> list[tuple[str, str]]:
        return [(s[self.name_member], s[self.status_member]) for s in self._list(**params)[self.list_member]]


@pytest.fixture(params=sorted(FAMILIES))
def family(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_lifecycle_stop_and_failure(aws: Aws, family: str) -> None:
    jobs = Family(aws.client("sagemaker"), family)
    jobs.create("done")
    assert jobs.status("done") == "Completed"

    aws.control.set_progression(jobs.kind, "manual", times=100)
    jobs.create("stopped")
    assert jobs.status("stopped") == "InProgress"
    jobs.stop("stopped")
    assert jobs.status("stopped") == "Stopping"
    with pytest.raises(ClientError) as info:
        jobs.stop("stopped")
    assert error_of(info)[0] == "ValidationException" and "Stopping" in error_of(info)[2]
    assert aws.control.advance(jobs.kind, "stopped") == "Stopped"

    aws.control.fail(jobs.kind, "AlgorithmError: the container exited with 137", job="failed")
    jobs.create("failed")
    assert aws.control.advance(jobs.kind, "failed") == "Failed"
    failed = jobs.describe("failed")
    assert failed["FailureReason"] == "AlgorithmError: the container exited with 137"
    assert jobs.listed(StatusEquals="Failed") == [("failed", "Failed")]
    assert jobs.listed() == [("done", "Completed"), ("stopped", "Stopped"), ("failed", "Failed")]
    assert jobs.listed(SortBy="Name", SortOrder="Descending") == [
        ("stopped", "Stopped"), ("failed", "Failed"), ("done", "Completed")]
    assert jobs.listed(SortBy="Status") == [("done", "Completed"), ("failed", "Failed"), ("stopped", "Stopped")]
    assert jobs.listed(NameContains="o") == [("done", "Completed"), ("stopped", "Stopped")]
    first = jobs._list(MaxResults=1)
    assert [s[jobs.name_member] for s in first[jobs.list_member]] == ["done"]
    second = jobs._list(MaxResults=1, NextToken=first["NextToken"])
    assert [s[jobs.name_member] for s in second[jobs.list_member]] == ["stopped"]
    with pytest.raises(ClientError) as info:
        jobs._list(NextToken="asdf")
    assert error_of(info)[0] == "ValidationException"

    # Ends have their end times; a finished job cannot be stopped.
    for summary in jobs._list()[jobs.list_member]:
        assert summary["LastModifiedTime"] >= summary["CreationTime"]
        assert any(key.endswith("EndTime") for key in summary)
    with pytest.raises(ClientError) as info:
        jobs.stop("done")
    assert error_of(info)[0] == "ValidationException" and "Completed" in error_of(info)[2]


@pytest.mark.parametrize("progression", ["immediate", "manual", "time"])
def test_the_waiter_under_every_progression(aws: Aws, family: str, progression: str) -> None:
    jobs = Family(aws.client("sagemaker"), family)
    if progression != "immediate":
        aws.control.set_progression(jobs.kind, progression, times=1, seconds=0.05)  # type: ignore[arg-type]
    jobs.create("job-1")
    waiter = jobs.client.get_waiter(jobs.waiter)
    waiter.wait(**{jobs.name_member: "job-1"}, WaiterConfig={"Delay": 0.1, "MaxAttempts": 30})
    assert jobs.status("job-1") == "Completed"
    aws.control.reset_progression(jobs.kind)
    aws.control.fail(jobs.kind, "boom", job="job-2")
    jobs.create("job-2")
    with pytest.raises(Exception) as failed:
        waiter.wait(**{jobs.name_member: "job-2"}, WaiterConfig={"Delay": 0.1, "MaxAttempts": 3})
    assert "Failed" in str(failed.value)


def test_unknown_and_duplicate_jobs(aws: Aws, family: str) -> None:
    jobs = Family(aws.client("sagemaker"), family)
    jobs.create("job-1")
    with pytest.raises(jobs.client.exceptions.ResourceInUse):
        jobs.create("job-1")
    with pytest.raises(ClientError) as info:
        jobs.describe("unknown")
    noun = "processing" if family == "processing" else "transform"
    assert error_of(info) == (
        "ValidationException", 400,
        f"Could not find {noun} job 'arn:aws:sagemaker:us-east-1:{ACCOUNT}:{noun}-job/unknown'.",
    )
    with pytest.raises(ClientError) as info:
        jobs.stop("unknown")
    assert error_of(info)[0] == "ValidationException"


def test_a_processing_job_describes_its_request(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_processing_job(sagemaker, Environment={"MODE": "full"}, Tags=[{"Key": "team", "Value": "data"}])
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:processing-job/process-1"
    job = sagemaker.describe_processing_job(ProcessingJobName="process-1")
    assert (job["ProcessingJobArn"], job["ProcessingJobStatus"]) == (arn, "Completed")
    assert job["AppSpecification"] == APP and job["ProcessingResources"] == PROCESSING_RESOURCES
    # The outputs go where the request said.
    assert job["ProcessingOutputConfig"] == PROCESSING_OUTPUTS
    assert job["Environment"] == {"MODE": "full"}
    assert job["CreationTime"] <= job["ProcessingStartTime"] <= job["ProcessingEndTime"] == job["LastModifiedTime"]
    assert "FailureReason" not in job
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "data"}]

    sagemaker.delete_processing_job(ProcessingJobName="process-1")
    assert sagemaker.list_processing_jobs()["ProcessingJobSummaries"] == []
    aws.control.set_progression(PROCESSING, "manual", times=100)
    create_processing_job(sagemaker, "running")
    with pytest.raises(ClientError) as info:
        sagemaker.delete_processing_job(ProcessingJobName="running")
    assert error_of(info)[0] == "ValidationException" and "InProgress" in error_of(info)[2]

    twice = [{"InputName": "raw", "S3Input": {"S3Uri": "s3://b/a", "S3DataType": "S3Prefix"}}] * 2
    with pytest.raises(ClientError) as info:
        create_processing_job(sagemaker, "rejected", ProcessingInputs=twice)
    assert error_of(info)[0] == "ValidationException" and "InputName" in error_of(info)[2]


def test_a_transform_job_describes_its_request(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_transform_job(sagemaker, BatchStrategy="MultiRecord", MaxPayloadInMB=6,
                               DataProcessing={"JoinSource": "Input"}, Tags=[{"Key": "team", "Value": "serving"}])
    job = sagemaker.describe_transform_job(TransformJobName="transform-1")
    assert (job["TransformJobArn"], job["TransformJobStatus"], job["ModelName"]) == (arn, "Completed", "model-1")
    assert job["TransformInput"] == TRANSFORM_INPUT and job["TransformOutput"] == TRANSFORM_OUTPUT
    assert job["TransformResources"] == TRANSFORM_RESOURCES
    assert (job["BatchStrategy"], job["MaxPayloadInMB"], job["DataProcessing"]) == ("MultiRecord", 6, {"JoinSource": "Input"})
    assert job["CreationTime"] <= job["TransformStartTime"] <= job["TransformEndTime"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "prod"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "serving"}, {"Key": "stage", "Value": "prod"}]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team", "stage"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []
    with pytest.raises(ClientError) as info:
        create_transform_job(sagemaker, "rejected", BatchStrategy="MultiRecord",
                             TransformInput={**TRANSFORM_INPUT, "SplitType": "None"})
    assert error_of(info)[0] == "ValidationException" and "SplitType" in error_of(info)[2]
