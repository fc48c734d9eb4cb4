"""Every response of every operation mlmocks answers for SageMaker, in every status of a
compilation job, crosses the wire past the suite's conformance hook (tests/conformance.py),
which checks it against botocore's output shape or the operation's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mlmocks.sagemaker.responses import SageMakerResponse
from tests.modes import Aws

from .helpers import KIND, create_job


class Recorder:
    """Which operations one client saw answered, and the statuses Describe showed."""

    def __init__(self, client: Any) -> None:
        self.operations: set[str] = set()
        self.statuses: set[str] = set()
        client.meta.events.register("response-received.sagemaker.*", self.record)

    def record(self, event_name: str, response_dict: Any = None, **_: Any) -> None:
        if response_dict is None or response_dict["status_code"] != 200:
            return
        operation = event_name.rsplit(".", 1)[-1]
        self.operations.add(operation)
        if operation == "DescribeCompilationJob":
            self.statuses.add(json.loads(response_dict["body"])["CompilationJobStatus"])


def test_every_operation_and_status_crosses_the_conformance_hook(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    recorder = Recorder(sagemaker)
    aws.control.set_progression(KIND, "manual", times=2)

    # Every status of the lifecycle, described.
    arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}],
                     VpcConfig={"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]})
    for _ in range(4):
        sagemaker.describe_compilation_job(CompilationJobName="compile-1")
    aws.control.fail(KIND, "broken", job="failing")
    create_job(sagemaker, name="failing", InputConfig={"S3Uri": "s3://b/m.tar.gz", "Framework": "PYTORCH"})
    for _ in range(4):
        sagemaker.describe_compilation_job(CompilationJobName="failing")
    create_job(sagemaker, name="stopping", OutputConfig={
        "S3OutputLocation": "s3://b/out", "TargetPlatform": {"Os": "ANDROID", "Arch": "ARM64"}})
    sagemaker.stop_compilation_job(CompilationJobName="stopping")
    for _ in range(2):
        sagemaker.describe_compilation_job(CompilationJobName="stopping")
    aws.control.reset_progression(KIND)

    sagemaker.list_compilation_jobs()
    page = sagemaker.list_compilation_jobs(MaxResults=1, SortBy="Status", SortOrder="Descending")
    sagemaker.list_compilation_jobs(MaxResults=1, SortBy="Status", SortOrder="Descending",
                                    NextToken=page["NextToken"])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    sagemaker.list_tags(ResourceArn=arn)
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["stage"])
    sagemaker.delete_compilation_job(CompilationJobName="failing")

    # And the errors (the hook checks them against the operation's errors); each call
    # must fail, with the error it is there for.
    for call, kwargs, expected in [
        (sagemaker.describe_compilation_job, {"CompilationJobName": "missing"}, "ResourceNotFound"),
        (sagemaker.create_compilation_job, {"CompilationJobName": "bad_name"}, "ValidationException"),
        (sagemaker.stop_compilation_job, {"CompilationJobName": "compile-1"}, "ValidationException"),
        (sagemaker.delete_compilation_job, {"CompilationJobName": "missing"}, "ResourceNotFound"),
        (sagemaker.list_tags, {"ResourceArn": arn.replace("compile-1", "missing")}, "ValidationException"),
        (sagemaker.list_compilation_jobs, {"NextToken": "bad"}, "ValidationException"),
        (sagemaker.create_compilation_job, {"CompilationJobName": "compile-1", "RoleArn": "x" * 20,
                                            "OutputConfig": {}, "StoppingCondition": {}}, "ValidationException"),
    ]:
        with pytest.raises(ClientError) as raised:
            call(**kwargs)
        assert raised.value.response["Error"]["Code"] == expected, (call, kwargs, raised.value.response["Error"])
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create_job(sagemaker)

    # The compilation job family's operations (every other family has a test of its own).
    assert recorder.operations == {
        op for op in SageMakerResponse.implemented_operations() if "CompilationJob" in op or "Tags" in op
    }
    assert recorder.statuses == {"STARTING", "INPROGRESS", "COMPLETED", "FAILED", "STOPPING", "STOPPED"}
