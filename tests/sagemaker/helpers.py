"""What the SageMaker tests share: a compilation job request and small readers."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT

KIND = "sagemaker::compilation-job"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/neo-compiler"
INPUT = {
    "S3Uri": "s3://my-models/resnet/model.tar.gz",
    "Framework": "PYTORCH",
    "FrameworkVersion": "1.8",
    "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
}
OUTPUT = {"S3OutputLocation": "s3://my-models/compiled", "TargetDevice": "ml_c5"}
STOPPING = {"MaxRuntimeInSeconds": 900}
JOB_ARN = re.compile(r"^arn:aws:sagemaker:([a-z0-9-]+):(\d{12}):compilation-job/([A-Za-z0-9-]+)$")


def create_job(client: Any, name: str = "compile-1", **overrides: Any) -> str:
    params: dict[str, Any] = {
        "CompilationJobName": name,
        "RoleArn": ROLE,
        "InputConfig": INPUT,
        "OutputConfig": OUTPUT,
        "StoppingCondition": STOPPING,
        **overrides,
    }
    params = {key: value for key, value in params.items() if value is not None}
    return client.create_compilation_job(**params)["CompilationJobArn"]  # type: ignore[no-any-return]


def describe(client: Any, name: str = "compile-1") -> dict[str, Any]:
    described: dict[str, Any] = client.describe_compilation_job(CompilationJobName=name)
    described.pop("ResponseMetadata", None)
    return described


def status(client: Any, name: str = "compile-1") -> str:
    return describe(client, name)["CompilationJobStatus"]  # type: ignore[no-any-return]


def names(summaries: list[dict[str, Any]]) -> list[str]:
    return [summary["CompilationJobName"] for summary in summaries]


def error_of(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = info.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def in_a_new_second() -> None:
    """Wait for the next whole second. botocore before 1.44 sends an epoch timestamp
    (CreationTimeAfter, ...) in whole seconds: jobs made within one second cannot be told
    apart by such a filter, on AWS either."""
    time.sleep(1.002 - time.time() % 1)


def whole_second(moment: Any) -> Any:
    """The whole second a job made after ``in_a_new_second()`` was made in: a time filter
    boundary every botocore sends alike (before the job, after every earlier one)."""
    return moment.replace(microsecond=0)
