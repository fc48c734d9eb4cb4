"""SageMaker compilation jobs through boto3: lifecycle, describe, stop, delete, errors and
validation, in-process and against the server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mlmocks.core.spec import service_model
from tests.modes import ACCOUNT, Aws

from .helpers import (
    INPUT,
    JOB_ARN,
    KIND,
    OUTPUT,
    ROLE,
    create_job,
    describe,
    error_of,
    names,
    status,
)


def test_completed_job_describes_everything(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    vpc = {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123", "subnet-4567"]}
    output = {**OUTPUT, "KmsKeyId": "alias/neo", "CompilerOptions": '{"dtype": "float32"}'}
    arn = create_job(
        sagemaker,
        OutputConfig=output,
        VpcConfig=vpc,
        StoppingCondition={"MaxRuntimeInSeconds": 1800, "MaxWaitTimeInSeconds": 3600},
        Tags=[{"Key": "team", "Value": "vision"}],
    )
    assert JOB_ARN.match(arn).groups() == ("us-east-1", ACCOUNT, "compile-1")  # type: ignore[union-attr]

    job = describe(sagemaker)
    assert job["CompilationJobStatus"] == "COMPLETED"
    assert job["CompilationJobName"] == "compile-1"
    assert job["CompilationJobArn"] == arn
    assert job["RoleArn"] == ROLE
    assert job["InputConfig"] == INPUT
    assert job["OutputConfig"] == output
    assert job["VpcConfig"] == vpc
    assert job["StoppingCondition"] == {"MaxRuntimeInSeconds": 1800, "MaxWaitTimeInSeconds": 3600}
    assert job["CreationTime"] <= job["CompilationStartTime"] <= job["CompilationEndTime"]
    assert job["LastModifiedTime"] == job["CompilationEndTime"]
    # Neo writes <input name>-<target>.tar.gz under the output location.
    assert job["ModelArtifacts"] == {"S3ModelArtifacts": "s3://my-models/compiled/model-ml_c5.tar.gz"}
    assert len(job["ModelDigests"]["ArtifactDigest"]) == 64
    assert job["FailureReason"] == ""
    # A cloud instance target gets the Neo inference image of its framework and region.
    assert job["InferenceImage"] == (
        "785573368785.dkr.ecr.us-east-1.amazonaws.com/sagemaker-inference-pytorch:1.8-cpu-py3"
    )
    # The request gave the input shapes: nothing was derived.
    assert "DerivedInformation" not in job
    assert "ModelPackageVersionArn" not in job


def test_the_statuses_and_their_times_one_look_at_a_time(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=2)
    create_job(sagemaker, InputConfig={"S3Uri": INPUT["S3Uri"], "Framework": "PYTORCH"})

    starting = describe(sagemaker)
    assert starting["CompilationJobStatus"] == "STARTING"
    assert "CompilationStartTime" not in starting and "CompilationEndTime" not in starting
    assert starting["LastModifiedTime"] == starting["CreationTime"]
    assert "ModelDigests" not in starting and "DerivedInformation" not in starting
    # Where the compiled model goes is known from the start.
    assert starting["ModelArtifacts"]["S3ModelArtifacts"].endswith("/model-ml_c5.tar.gz")

    in_progress = describe(sagemaker)
    assert in_progress["CompilationJobStatus"] == "INPROGRESS"
    assert in_progress["CompilationStartTime"] == in_progress["LastModifiedTime"]
    assert "CompilationEndTime" not in in_progress
    listed = sagemaker.list_compilation_jobs()["CompilationJobSummaries"]
    assert [(j["CompilationJobStatus"], "CompilationEndTime" in j) for j in listed] == [
        ("INPROGRESS", False)
    ]

    assert status(sagemaker) == "INPROGRESS"
    completed = describe(sagemaker)
    assert completed["CompilationJobStatus"] == "COMPLETED"
    assert completed["CompilationEndTime"] == completed["LastModifiedTime"]
    assert completed["CompilationStartTime"] == in_progress["CompilationStartTime"]
    assert "ArtifactDigest" in completed["ModelDigests"]
    # No DataInputConfig for PyTorch: Neo derived the input shapes itself.
    assert completed["DerivedInformation"]["DerivedDataInputConfig"]


def test_time_progression_with_freezegun(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    decorator_aws.control.set_progression(KIND, "time", seconds=300)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_job(sagemaker)
        assert status(sagemaker) == "STARTING"
        clock.tick(timedelta(seconds=301))
        assert status(sagemaker) == "INPROGRESS"
        clock.tick(timedelta(seconds=900))
        job = describe(sagemaker)
    assert job["CompilationJobStatus"] == "COMPLETED"
    # Each status began when its time was up, not when the job was next looked at.
    assert job["CreationTime"] == start
    assert job["CompilationStartTime"] == start + timedelta(seconds=300)
    assert job["CompilationEndTime"] == start + timedelta(seconds=600)
    assert job["LastModifiedTime"] == start + timedelta(seconds=600)


def test_a_job_made_to_fail(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    message = "ClientError: InputConfiguration: input shape does not match the model"
    aws.control.fail(KIND, message, job="compile-1")
    create_job(sagemaker)
    job = describe(sagemaker)
    assert (job["CompilationJobStatus"], job["FailureReason"]) == ("FAILED", message)
    assert job["CompilationStartTime"] <= job["CompilationEndTime"] == job["LastModifiedTime"]
    assert "ModelDigests" not in job
    # A rule for one job leaves the others alone; a rule for the kind fails every new one.
    create_job(sagemaker, name="compile-2")
    assert status(sagemaker, "compile-2") == "COMPLETED"
    aws.control.fail(KIND, "out of capacity")
    create_job(sagemaker, name="compile-3")
    assert describe(sagemaker, "compile-3")["FailureReason"] == "out of capacity"


def test_a_long_failure_reason_is_cut_to_the_api_limit(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.fail(KIND, "x" * 2000, job="compile-1")
    create_job(sagemaker)
    assert describe(sagemaker)["FailureReason"] == "x" * 1024


def test_failing_a_running_job_by_arn(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(sagemaker)
    aws.control.fail(KIND, "TimeOut: compilation exceeded MaxRuntimeInSeconds", job=arn)
    assert aws.control.advance(KIND, "compile-1", steps=2) == "FAILED"
    assert describe(sagemaker)["FailureReason"].startswith("TimeOut")


def test_stop_walks_stopping_then_stopped(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    create_job(sagemaker)
    assert aws.control.advance(KIND, "compile-1") == "INPROGRESS"
    before = describe(sagemaker)

    response = sagemaker.stop_compilation_job(CompilationJobName="compile-1")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    stopping = describe(sagemaker)
    assert stopping["CompilationJobStatus"] == "STOPPING"
    assert stopping["LastModifiedTime"] >= before["LastModifiedTime"]
    assert "CompilationEndTime" not in stopping

    assert aws.control.advance(KIND, "compile-1") == "STOPPED"
    stopped = describe(sagemaker)
    assert stopped["CompilationJobStatus"] == "STOPPED"
    assert stopped["CompilationEndTime"] == stopped["LastModifiedTime"]
    assert "ModelDigests" not in stopped and stopped["FailureReason"] == ""

    # A stopped job, a stopping one, and a finished one cannot be stopped.
    with pytest.raises(ClientError) as info:
        sagemaker.stop_compilation_job(CompilationJobName="compile-1")
    code, http_status, message = error_of(info)
    assert (code, http_status) == ("ValidationException", 400)
    assert "STOPPED" in message and "compile-1" in message


def test_stop_of_a_finished_or_unknown_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_job(sagemaker)  # immediate progression: COMPLETED the first time it is looked at
    with pytest.raises(ClientError) as info:
        sagemaker.stop_compilation_job(CompilationJobName="compile-1")
    assert error_of(info)[0] == "ValidationException" and "COMPLETED" in error_of(info)[2]
    assert status(sagemaker) == "COMPLETED"

    aws.control.fail(KIND, "bad model", job="compile-2")
    create_job(sagemaker, name="compile-2")
    with pytest.raises(ClientError) as info:
        sagemaker.stop_compilation_job(CompilationJobName="compile-2")
    assert "FAILED" in error_of(info)[2]

    with pytest.raises(sagemaker.exceptions.ResourceNotFound) as missing:
        sagemaker.stop_compilation_job(CompilationJobName="nope")
    assert error_of(missing)[1] == 400 and "nope" in error_of(missing)[2]


def test_stop_while_starting(aws: Aws) -> None:
    """A job stopped before it started never gets a CompilationStartTime; it ends when
    it is STOPPED, and a stopped job cannot be made to fail."""
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    create_job(sagemaker)
    sagemaker.stop_compilation_job(CompilationJobName="compile-1")
    with pytest.raises(Exception, match="already STOPPING"):
        aws.control.fail(KIND, "too late", job="compile-1")
    assert aws.control.advance(KIND, "compile-1", steps=5) == "STOPPED"
    stopped = describe(sagemaker)
    assert stopped["CompilationJobStatus"] == "STOPPED"
    assert "CompilationStartTime" not in stopped
    assert stopped["CreationTime"] <= stopped["CompilationEndTime"] == stopped["LastModifiedTime"]


def test_delete_only_a_finished_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(sagemaker)
    for expected in ("STARTING", "INPROGRESS"):
        assert aws.control.status(KIND, "compile-1") == expected
        with pytest.raises(ClientError) as info:
            sagemaker.delete_compilation_job(CompilationJobName="compile-1")
        code, _, message = error_of(info)
        assert code == "ValidationException" and expected in message
        aws.control.advance(KIND, "compile-1")
    aws.control.reset_progression(KIND)

    assert status(sagemaker) == "COMPLETED"
    response = sagemaker.delete_compilation_job(CompilationJobName="compile-1")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        describe(sagemaker)
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        sagemaker.delete_compilation_job(CompilationJobName="compile-1")
    assert sagemaker.list_compilation_jobs()["CompilationJobSummaries"] == []
    with pytest.raises(ClientError) as info:
        sagemaker.list_tags(ResourceArn=arn)
    assert error_of(info)[0] == "ValidationException"
    # The name is free again.
    assert create_job(sagemaker) == arn
    assert status(sagemaker) == "COMPLETED"


def test_delete_a_stopped_and_a_failed_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.fail(KIND, "broken", job="failed-job")
    create_job(sagemaker, name="failed-job")
    assert status(sagemaker, "failed-job") == "FAILED"
    sagemaker.delete_compilation_job(CompilationJobName="failed-job")

    aws.control.set_progression(KIND, "manual", times=1000)
    create_job(sagemaker, name="stopped-job")
    sagemaker.stop_compilation_job(CompilationJobName="stopped-job")
    with pytest.raises(ClientError) as info:
        sagemaker.delete_compilation_job(CompilationJobName="stopped-job")
    assert "STOPPING" in error_of(info)[2]
    aws.control.advance(KIND, "stopped-job")
    sagemaker.delete_compilation_job(CompilationJobName="stopped-job")
    assert sagemaker.list_compilation_jobs()["CompilationJobSummaries"] == []


def test_names_are_unique(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_job(sagemaker)
    with pytest.raises(sagemaker.exceptions.ResourceInUse) as info:
        create_job(sagemaker, OutputConfig={**OUTPUT, "TargetDevice": "ml_p3"})
    code, http_status, message = error_of(info)
    assert (code, http_status) == ("ResourceInUse", 400) and "compile-1" in message
    # The rejected request changed nothing.
    jobs = sagemaker.list_compilation_jobs()["CompilationJobSummaries"]
    assert [(j["CompilationJobArn"], j["CompilationTargetDevice"]) for j in jobs] == [(arn, "ml_c5")]


def test_unknown_names_are_not_found(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    for call in (
        sagemaker.describe_compilation_job,
        sagemaker.stop_compilation_job,
        sagemaker.delete_compilation_job,
    ):
        with pytest.raises(sagemaker.exceptions.ResourceNotFound) as info:
            call(CompilationJobName="missing-job")
        code, http_status, message = error_of(info)
        assert (code, http_status) == ("ResourceNotFound", 400) and "missing-job" in message


def test_target_platform_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    platform = {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}
    output = {
        "S3OutputLocation": "s3://edge/out/",
        "TargetPlatform": platform,
        "CompilerOptions": '{"gpu-code": "sm_72", "trt-ver": "8.0.1", "cuda-ver": "10.2"}',
    }
    create_job(sagemaker, name="jetson", OutputConfig=output,
               InputConfig={"S3Uri": "s3://edge/models/detector.tar.gz", "Framework": "TFLITE"})
    job = describe(sagemaker, "jetson")
    assert job["OutputConfig"] == output
    assert "InferenceImage" not in job  # only cloud instance targets have one
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://edge/out/detector-linux_arm64_nvidia.tar.gz"
    summary = sagemaker.list_compilation_jobs()["CompilationJobSummaries"][0]
    assert (
        summary["CompilationTargetPlatformOs"],
        summary["CompilationTargetPlatformArch"],
        summary["CompilationTargetPlatformAccelerator"],
    ) == ("LINUX", "ARM64", "NVIDIA")
    assert "CompilationTargetDevice" not in summary


def test_inference_images_follow_framework_target_and_region(aws: Aws) -> None:
    west = aws.client("sagemaker", region="us-west-2")
    cases = [
        ("gpu", {"Framework": "MXNET", "FrameworkVersion": "1.8.0"}, "ml_g4dn",
         "301217895009.dkr.ecr.us-west-2.amazonaws.com/sagemaker-inference-mxnet:1.8-gpu-py3"),
        ("inf", {"Framework": "PYTORCH", "FrameworkVersion": "1.12.1"}, "ml_inf1",
         "301217895009.dkr.ecr.us-west-2.amazonaws.com/sagemaker-neo-pytorch:1.12-inf-py3"),
        ("xgb", {"Framework": "XGBOOST"}, "ml_m5",
         "301217895009.dkr.ecr.us-west-2.amazonaws.com/xgboost-neo:latest"),
        ("edge", {"Framework": "PYTORCH"}, "jetson_nano", None),
    ]
    for name, framework, target, image in cases:
        create_job(west, name=name, InputConfig={"S3Uri": INPUT["S3Uri"], **framework},
                   OutputConfig={**OUTPUT, "TargetDevice": target})
        assert describe(west, name).get("InferenceImage") == image, name


def test_model_package_as_input(aws: Aws) -> None:
    """ModelPackageVersionArn instead of InputConfig: the package is moto's."""
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName="detectors")
    container = {
        "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/detector:1",
        "ModelDataUrl": "s3://registry/detector/model.tar.gz",
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.12",
        "ModelInput": {"DataInputConfig": '{"input0": [1, 3, 640, 640]}'},
    }
    package_arn = sagemaker.create_model_package(
        ModelPackageGroupName="detectors",
        InferenceSpecification={
            "Containers": [container],
            "SupportedContentTypes": ["application/x-image"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )["ModelPackageArn"]
    create_job(sagemaker, InputConfig=None, ModelPackageVersionArn=package_arn)
    job = describe(sagemaker)
    assert job["ModelPackageVersionArn"] == package_arn
    assert job["InputConfig"] == {
        "S3Uri": "s3://registry/detector/model.tar.gz",
        "Framework": "PYTORCH",
        "FrameworkVersion": "1.12",
        "DataInputConfig": '{"input0": [1, 3, 640, 640]}',
    }
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://my-models/compiled/model-ml_c5.tar.gz"

    unknown = package_arn.replace("/1", "/9")
    with pytest.raises(ClientError) as info:
        create_job(sagemaker, name="compile-2", InputConfig=None, ModelPackageVersionArn=unknown)
    assert error_of(info)[0] == "ValidationException" and unknown in error_of(info)[2]
    assert names(sagemaker.list_compilation_jobs()["CompilationJobSummaries"]) == ["compile-1"]


def test_validation_names_the_field(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    # The least pending time changed between botocore releases (7200, then 1800): the
    # installed model says which applies.
    least_pending = service_model("sagemaker").shape_for("MaxPendingTimeInSeconds").metadata["min"]
    cases = [
        ({"CompilationJobName": "bad_name"}, "CompilationJobName", "regular expression pattern"),
        ({"CompilationJobName": "x" * 64}, "CompilationJobName", "length less than or equal to 63"),
        ({"RoleArn": "arn:aws:iam::123:role/x"}, "RoleArn", "regular expression pattern"),
        ({"RoleArn": None}, "RoleArn", "must not be null"),
        ({"OutputConfig": None}, "OutputConfig", "must not be null"),
        ({"InputConfig": {**INPUT, "Framework": "JAX"}}, "InputConfig.Framework", "enum value set"),
        ({"InputConfig": {**INPUT, "S3Uri": "ftp://x"}}, "InputConfig.S3Uri", "regular expression"),
        ({"InputConfig": {**INPUT, "FrameworkVersion": "latest"}}, "InputConfig.FrameworkVersion",
         "regular expression"),
        ({"OutputConfig": {**OUTPUT, "TargetDevice": "ml_z9"}}, "OutputConfig.TargetDevice",
         "enum value set"),
        ({"OutputConfig": {"S3OutputLocation": "s3://o", "TargetPlatform": {"Os": "WINDOWS", "Arch": "X86"}}},
         "OutputConfig.TargetPlatform.Os", "enum value set"),
        ({"OutputConfig": {"S3OutputLocation": "s3://o", "TargetPlatform": {"Os": "LINUX"}}},
         "OutputConfig.TargetPlatform.Arch", "must not be null"),
        ({"StoppingCondition": {"MaxPendingTimeInSeconds": 60}},
         "StoppingCondition.MaxPendingTimeInSeconds", f"greater than or equal to {least_pending}"),
        ({"StoppingCondition": {"MaxRuntimeInSeconds": 0}}, "StoppingCondition.MaxRuntimeInSeconds",
         "greater than or equal to 1"),
        ({"StoppingCondition": {"MaxRuntimeInSeconds": 28 * 86400 + 1}},
         "StoppingCondition.MaxRuntimeInSeconds", "less than or equal to 2419200"),
        ({"VpcConfig": {"SecurityGroupIds": [], "Subnets": ["subnet-1"]}},
         "VpcConfig.SecurityGroupIds", "length greater than or equal to 1"),
        ({"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, "Tags",
         "length less than or equal to 50"),
        ({"Tags": [{"Key": "team"}]}, "Tags.1.member.Value", "must not be null"),
        # Rules the model states in words rather than in shapes.
        ({"OutputConfig": {**OUTPUT, "TargetPlatform": {"Os": "LINUX", "Arch": "X86_64"}}},
         "OutputConfig.TargetPlatform", "mutually exclusive"),
        ({"OutputConfig": {"S3OutputLocation": "s3://o"}}, "OutputConfig.TargetDevice", "either"),
        ({"OutputConfig": {"S3OutputLocation": "s3://o",
                           "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}}},
         "OutputConfig.CompilerOptions", "NVIDIA"),
        ({"InputConfig": None}, "ModelPackageVersionArn", "Either InputConfig"),
        ({"ModelPackageVersionArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1"},
         "ModelPackageVersionArn", "same time"),
        ({"InputConfig": {"S3Uri": "s3://m/x.tar.gz", "Framework": "XGBOOST", "FrameworkVersion": "1.5"}},
         "InputConfig.FrameworkVersion", "XGBOOST"),
        ({"StoppingCondition": {"MaxRuntimeInSeconds": 900, "MaxWaitTimeInSeconds": 600}},
         "StoppingCondition.MaxWaitTimeInSeconds", "greater than"),
        ({"CompilationJobName": None}, "CompilationJobName", "must not be null"),
        ({"CompilationJobName": "-leading-dash"}, "CompilationJobName", "regular expression pattern"),
        ({"StoppingCondition": None}, "StoppingCondition", "must not be null"),
        ({"InputConfig": {"Framework": "ONNX"}}, "InputConfig.S3Uri", "must not be null"),
        ({"InputConfig": {**INPUT, "DataInputConfig": ""}}, "InputConfig.DataInputConfig",
         "length greater than or equal to 1"),
        ({"OutputConfig": {**OUTPUT, "CompilerOptions": "{}"}}, "OutputConfig.CompilerOptions",
         "length greater than or equal to 3"),
        ({"OutputConfig": {"S3OutputLocation": "s3://o",
                           "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "TPU"}}},
         "OutputConfig.TargetPlatform.Accelerator", "enum value set"),
        ({"ModelPackageVersionArn": "arn:aws:sagemaker:us-east-1:123:model-package/x"},
         "ModelPackageVersionArn", "regular expression pattern"),
    ]
    for change, field, words in cases:
        with pytest.raises(ClientError) as info:
            create_job(sagemaker, **change)
        code, http_status, message = error_of(info)
        assert (code, http_status) == ("ValidationException", 400), (field, message)
        assert field in message and words in message, (field, message)
    # Nothing half-written.
    assert sagemaker.list_compilation_jobs()["CompilationJobSummaries"] == []

    for call in (
        sagemaker.describe_compilation_job,
        sagemaker.stop_compilation_job,
        sagemaker.delete_compilation_job,
    ):
        for name in ("", "has space", "x" * 64):
            with pytest.raises(ClientError) as info:
                call(CompilationJobName=name)
            code, _, message = error_of(info)
            assert code == "ValidationException" and "'CompilationJobName'" in message, message


def test_state_is_per_account_and_region(aws: Aws) -> None:
    east = aws.client("sagemaker")
    west = aws.client("sagemaker", region="eu-west-1")
    other = aws.client_for_account("sagemaker", "111111111111")
    arns = [create_job(client) for client in (east, west, other)]
    assert [JOB_ARN.match(arn).groups()[:2] for arn in arns] == [  # type: ignore[union-attr]
        ("us-east-1", ACCOUNT),
        ("eu-west-1", ACCOUNT),
        ("us-east-1", "111111111111"),
    ]
    for client, arn in zip((east, west, other), arns, strict=True):
        jobs = client.list_compilation_jobs()["CompilationJobSummaries"]
        assert [j["CompilationJobArn"] for j in jobs] == [arn]
    assert describe(west)["InferenceImage"].startswith("802834080501.dkr.ecr.eu-west-1.")
    east.delete_compilation_job(CompilationJobName="compile-1")
    assert status(west) == "COMPLETED" and status(other) == "COMPLETED"


def test_defaults_of_the_request_are_not_invented(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_job(sagemaker, StoppingCondition={}, InputConfig={"S3Uri": "s3://b/k", "Framework": "ONNX"})
    job = describe(sagemaker)
    assert job["StoppingCondition"] == {}
    assert job["InputConfig"] == {"S3Uri": "s3://b/k", "Framework": "ONNX"}
    assert "VpcConfig" not in job
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://my-models/compiled/k-ml_c5.tar.gz"
    # ONNX input shapes are never derived.
    assert "DerivedInformation" not in job


def test_concurrent_creates_keep_names_unique(aws: Aws) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def attempt(name: str) -> str:
        client = aws.client("sagemaker")
        try:
            create_job(client, name=name)
        except ClientError as error:
            return str(error.response["Error"]["Code"])
        return "created"

    with ThreadPoolExecutor(max_workers=8) as pool:
        same = list(pool.map(attempt, ["contested"] * 8))
        distinct = list(pool.map(attempt, [f"job-{i}" for i in range(16)]))
    assert sorted(same) == ["ResourceInUse"] * 7 + ["created"]
    assert distinct == ["created"] * 16
    listed = aws.client("sagemaker").get_paginator("list_compilation_jobs").paginate().build_full_result()
    assert sorted(names(listed["CompilationJobSummaries"])) == sorted(
        ["contested", *[f"job-{i}" for i in range(16)]]
    )


def test_motos_reset_clears_compilation_jobs(aws: Aws) -> None:
    import requests

    sagemaker = aws.client("sagemaker")
    create_job(sagemaker)
    endpoint = aws.endpoint or "http://motoapi.amazonaws.com"
    assert requests.post(f"{endpoint}/moto-api/reset", timeout=10).status_code == 200
    assert sagemaker.list_compilation_jobs()["CompilationJobSummaries"] == []
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        describe(sagemaker)
