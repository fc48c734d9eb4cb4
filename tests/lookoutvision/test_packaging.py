"""Model packaging jobs: the Greengrass configuration, generated names, the component they
make, failures, listing."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.lookoutvision.helpers import (
    GREENGRASS,
    MODEL_KIND,
    OUTPUT,
    PACKAGING_KIND,
    PROJECT,
    project_with_dataset,
    trained_model,
)
from tests.modes import ACCOUNT, REGION, Aws

DEVICE = {"Greengrass": {**GREENGRASS, "TargetDevice": "jetson_xavier"}}
NVIDIA_OPTIONS = json.dumps({"gpu-code": "sm_75", "trt-ver": "7.1.3", "cuda-ver": "10.2"})


def start(lv: Any, configuration: dict[str, Any] = DEVICE, **params: Any) -> str:
    return lv.start_model_packaging_job(  # type: ignore[no-any-return]
        ProjectName=PROJECT, ModelVersion="1", Configuration=configuration, **params
    )["JobName"]


def describe(lv: Any, job_name: str) -> dict[str, Any]:
    return lv.describe_model_packaging_job(ProjectName=PROJECT, JobName=job_name)[
        "ModelPackagingDescription"
    ]  # type: ignore[no-any-return]


def platform(**fields: Any) -> dict[str, Any]:
    return {"Greengrass": {**GREENGRASS, **fields}}


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        (platform(), "exactly one of TargetDevice and TargetPlatform"),
        (
            platform(TargetDevice="jetson_xavier", TargetPlatform={"Os": "LINUX", "Arch": "ARM64"}),
            "exactly one of TargetDevice and TargetPlatform",
        ),
        (
            platform(TargetDevice="jetson_xavier", CompilerOptions=NVIDIA_OPTIONS),
            "not used with a TargetDevice",
        ),
        (
            platform(TargetPlatform={"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}),
            "gpu-code, trt-ver, cuda-ver",
        ),
        (
            platform(
                TargetPlatform={"Os": "LINUX", "Arch": "X86_64", "Accelerator": "NVIDIA"},
                CompilerOptions='{"gpu-code": "sm_75"}',
            ),
            "needs trt-ver, cuda-ver",
        ),
        (
            platform(
                TargetPlatform={"Os": "LINUX", "Arch": "X86_64"}, CompilerOptions="mcpu=core-avx2"
            ),
            "JSON object",
        ),
    ],
)
def test_the_target_is_checked(aws: Aws, configuration: dict[str, Any], message: str) -> None:
    lv = trained_model(aws)
    with pytest.raises(lv.exceptions.ValidationException) as invalid:
        start(lv, configuration)
    assert message in str(invalid.value)
    assert lv.list_model_packaging_jobs(ProjectName=PROJECT)["ModelPackagingJobs"] == []


def test_targets_that_are_accepted(aws: Aws) -> None:
    lv = trained_model(aws)
    for number, configuration in enumerate(
        [
            DEVICE,
            platform(
                TargetPlatform={"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"},
                CompilerOptions=NVIDIA_OPTIONS,
            ),
            platform(TargetPlatform={"Os": "LINUX", "Arch": "X86_64"}),
            platform(
                TargetPlatform={"Os": "LINUX", "Arch": "X86_64"},
                CompilerOptions='{"mcpu": "core-avx2"}',
            ),
        ]
    ):
        configuration = {
            "Greengrass": {**configuration["Greengrass"], "ComponentVersion": f"1.0.{number}"}
        }
        assert describe(lv, start(lv, configuration))["Status"] == "SUCCEEDED"


def test_a_generated_name_and_component_version(aws: Aws) -> None:
    lv = trained_model(aws)
    job_name = start(lv)
    assert re.fullmatch(rf"{PROJECT}-1-[a-z0-9]+", job_name) and len(job_name) <= 64
    job = describe(lv, job_name)
    assert job["ModelPackagingOutputDetails"]["Greengrass"] == {
        "ComponentVersionArn": f"arn:aws:greengrass:{REGION}:{ACCOUNT}:components:inspector:versions:1.0.0",
        "ComponentName": "inspector",
        "ComponentVersion": "1.0.0",  # from the model version
    }
    assert job["ModelPackagingConfiguration"] == DEVICE  # as given
    assert job["StatusMessage"]
    assert start(lv, platform(TargetDevice="jetson_xavier", ComponentName="other")) != job_name
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    second = lv.start_model_packaging_job(
        ProjectName=PROJECT, ModelVersion="2", Configuration=DEVICE
    )["JobName"]
    assert second.startswith(f"{PROJECT}-2-")
    assert (
        describe(lv, second)["ModelPackagingOutputDetails"]["Greengrass"]["ComponentVersion"]
        == "2.0.0"
    )
    under_scores = project_with_dataset(aws, project="my_boards")
    under_scores.create_model(ProjectName="my_boards", OutputConfig=OUTPUT)
    name = under_scores.start_model_packaging_job(
        ProjectName="my_boards", ModelVersion="latest", Configuration=DEVICE
    )["JobName"]
    assert name.startswith("my-boards-1-")  # a job name has no underscores


def test_a_component_version_is_made_once(aws: Aws) -> None:
    lv = trained_model(aws)
    first = start(lv, JobName="first")
    again = start(lv, JobName="again")
    assert describe(lv, first)["Status"] == "SUCCEEDED"
    failed = describe(lv, again)
    assert failed["Status"] == "FAILED" and "already has version 1.0.0" in failed["StatusMessage"]
    assert "ModelPackagingOutputDetails" not in failed
    with pytest.raises(lv.exceptions.ConflictException) as taken:
        start(lv, JobName="first")
    error = taken.value.response
    assert (error["ResourceId"], error["ResourceType"]) == ("first", "MODEL_PACKAGE_JOB")


def test_control_fails_a_job(aws: Aws) -> None:
    lv = trained_model(aws)
    aws.control.fail(PACKAGING_KIND, "Greengrass refused the component", job="doomed")
    job = describe(lv, start(lv, JobName="doomed"))
    assert (job["Status"], job["StatusMessage"]) == ("FAILED", "Greengrass refused the component")


def test_only_a_trained_model_is_packaged(aws: Aws) -> None:
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    lv = project_with_dataset(aws)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    with pytest.raises(lv.exceptions.ConflictException) as training:
        start(lv)
    assert training.value.response["ResourceType"] == "MODEL"
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="7", Configuration=DEVICE)
    assert missing.value.response["ResourceType"] == "MODEL"
    aws.control.advance(MODEL_KIND, f"{PROJECT}/1")
    lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    assert describe(lv, start(lv))["Status"] == "SUCCEEDED"  # a hosted model can be packaged


def test_list_and_describe(aws: Aws) -> None:
    aws.control.set_progression(PACKAGING_KIND, "manual", times=1000)
    lv = trained_model(aws)
    names = [
        start(
            lv,
            platform(TargetDevice="jetson_xavier", ComponentVersion=f"1.0.{i}"),
            JobName=f"job-{i}",
        )
        for i in range(5)
    ]
    first = lv.list_model_packaging_jobs(ProjectName=PROJECT, MaxResults=2)
    assert [j["JobName"] for j in first["ModelPackagingJobs"]] == names[:2]
    assert all(j["Status"] == "CREATED" for j in first["ModelPackagingJobs"])
    pages = lv.get_paginator("list_model_packaging_jobs").paginate(
        ProjectName=PROJECT, PaginationConfig={"PageSize": 2}
    )
    assert [j["JobName"] for page in pages for j in page["ModelPackagingJobs"]] == names
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        describe(lv, "nope")
    assert (missing.value.response["ResourceId"], missing.value.response["ResourceType"]) == (
        "nope",
        "MODEL_PACKAGE_JOB",
    )
    unchecked = aws.client("lookoutvision", validate=False)
    with pytest.raises(unchecked.exceptions.ValidationException) as bad_name:
        start(unchecked, JobName="under_score")
    assert "at 'JobName'" in str(bad_name.value)
    with pytest.raises(unchecked.exceptions.ValidationException) as long_name:
        start(unchecked, JobName="x" * 65)
    assert "at 'JobName'" in str(long_name.value)
