"""SageMaker Edge Manager packaging jobs through boto3: lifecycle, Stop, failure
injection, the compilation job they package, lists, errors and tags, in-process and
against the server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws
from tests.sagemaker.helpers import in_a_new_second, whole_second

from .helpers import KIND as COMPILATION_KIND
from .helpers import ROLE, create_job, error_of

KIND = "sagemaker::edge-packaging-job"
OUTPUT = {"S3OutputLocation": "s3://edge-models/packaged"}


def create(sagemaker: Any, name: str = "package-1", compilation: str = "compile-1", **overrides: Any) -> None:
    params: dict[str, Any] = {
        "EdgePackagingJobName": name,
        "CompilationJobName": compilation,
        "ModelName": "resnet",
        "ModelVersion": "1.0",
        "RoleArn": ROLE,
        "OutputConfig": OUTPUT,
        **overrides,
    }
    sagemaker.create_edge_packaging_job(**params)


def describe(sagemaker: Any, name: str = "package-1") -> dict[str, Any]:
    described: dict[str, Any] = sagemaker.describe_edge_packaging_job(EdgePackagingJobName=name)
    described.pop("ResponseMetadata", None)
    return described


def status(sagemaker: Any, name: str = "package-1") -> str:
    return describe(sagemaker, name)["EdgePackagingJobStatus"]  # type: ignore[no-any-return]


@pytest.fixture
def sagemaker(aws: Aws) -> Any:
    """A client, with a COMPLETED compilation job (compile-1) to package."""
    client = aws.client("sagemaker")
    create_job(client, OutputConfig={"S3OutputLocation": "s3://edge-models/compiled", "TargetDevice": "jetson_nano"})
    return client


def test_a_completed_packaging_job(aws: Aws, sagemaker: Any) -> None:
    config = '{"ComponentName": "resnet-edge", "ComponentVersion": "2.1.0"}'
    output = {**OUTPUT, "PresetDeploymentType": "GreengrassV2Component", "PresetDeploymentConfig": config}
    create(sagemaker, OutputConfig=output, ResourceKey="alias/edge", Tags=[{"Key": "team", "Value": "edge"}])
    job = describe(sagemaker)
    assert job["EdgePackagingJobStatus"] == "COMPLETED"  # at the first look, as moto's jobs
    assert job["EdgePackagingJobArn"] == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:edge-packaging-job/package-1"
    assert (job["CompilationJobName"], job["ModelName"], job["ModelVersion"]) == ("compile-1", "resnet", "1.0")
    assert job["OutputConfig"] == output and job["ResourceKey"] == "alias/edge" and job["RoleArn"] == ROLE
    assert job["ModelArtifact"] == "s3://edge-models/packaged/resnet-1.0.tar.gz"
    assert len(job["ModelSignature"]) == 64
    assert job["PresetDeploymentOutput"] == {
        "Type": "GreengrassV2Component",
        "Artifact": f"arn:aws:greengrass:us-east-1:{ACCOUNT}:components:resnet-edge:versions:2.1.0",
        "Status": "COMPLETED",
    }
    assert "EdgePackagingJobStatusMessage" not in job
    assert job["CreationTime"] <= job["LastModifiedTime"]
    arn = job["EdgePackagingJobArn"]
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "edge"}]
    # Without a preset deployment there is no deployment output.
    create(sagemaker, name="package-2")
    assert "PresetDeploymentOutput" not in describe(sagemaker, "package-2")


def test_the_statuses_under_manual_progression(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=2)
    create(sagemaker)
    starting = describe(sagemaker)
    assert starting["EdgePackagingJobStatus"] == "STARTING"
    assert "ModelArtifact" not in starting and "ModelSignature" not in starting
    assert status(sagemaker) == "INPROGRESS"
    assert status(sagemaker) == "INPROGRESS"
    done = describe(sagemaker)
    assert done["EdgePackagingJobStatus"] == "COMPLETED"
    assert done["ModelArtifact"].endswith("/resnet-1.0.tar.gz")
    assert aws.control.status(KIND, "package-1") == "COMPLETED"


def test_stop_a_packaging_job(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=1000)
    create(sagemaker)
    aws.control.advance(KIND, "package-1")
    assert status(sagemaker) == "INPROGRESS"
    sagemaker.stop_edge_packaging_job(EdgePackagingJobName="package-1")
    assert status(sagemaker) == "STOPPING"
    assert aws.control.advance(KIND, "package-1") == "STOPPED"
    job = describe(sagemaker)
    assert job["EdgePackagingJobStatus"] == "STOPPED" and "ModelArtifact" not in job
    with pytest.raises(ClientError) as info:
        sagemaker.stop_edge_packaging_job(EdgePackagingJobName="package-1")
    assert error_of(info)[:2] == ("ValidationException", 400) and "STOPPED" in error_of(info)[2]
    # StopEdgePackagingJob models no ResourceNotFound: an unknown job is a validation error.
    with pytest.raises(ClientError) as info:
        sagemaker.stop_edge_packaging_job(EdgePackagingJobName="missing")
    assert error_of(info)[0] == "ValidationException"
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        describe(sagemaker, "missing")


def test_a_job_made_to_fail(aws: Aws, sagemaker: Any) -> None:
    aws.control.fail(KIND, "The compiled model is not supported by the edge agent.", job="package-1")
    create(sagemaker, OutputConfig={**OUTPUT, "PresetDeploymentType": "GreengrassV2Component"})
    job = describe(sagemaker)
    assert job["EdgePackagingJobStatus"] == "FAILED"
    assert job["EdgePackagingJobStatusMessage"] == "The compiled model is not supported by the edge agent."
    assert "ModelArtifact" not in job
    assert job["PresetDeploymentOutput"]["Status"] == "FAILED" and "Artifact" not in job["PresetDeploymentOutput"]
    create(sagemaker, name="package-2")
    assert status(sagemaker, "package-2") == "COMPLETED"


def test_the_compilation_job_must_exist_and_be_completed(aws: Aws, sagemaker: Any) -> None:
    with pytest.raises(ClientError) as info:
        create(sagemaker, compilation="missing")
    assert error_of(info)[:2] == ("ValidationException", 400) and "missing" in error_of(info)[2]
    aws.control.set_progression(COMPILATION_KIND, "manual", times=1000)
    create_job(sagemaker, name="compile-2")
    with pytest.raises(ClientError) as info:
        create(sagemaker, compilation="compile-2")
    assert "STARTING" in error_of(info)[2]
    assert sagemaker.list_edge_packaging_jobs()["EdgePackagingJobSummaries"] == []


@pytest.mark.parametrize(
    ("output", "words"),
    [
        ({**OUTPUT, "PresetDeploymentConfig": "{}"}, "requires OutputConfig.PresetDeploymentType"),
        ({**OUTPUT, "PresetDeploymentType": "GreengrassV2Component", "PresetDeploymentConfig": "not json"}, "JSON object"),
        ({**OUTPUT, "PresetDeploymentType": "GreengrassV2Component", "PresetDeploymentConfig": '{"Colour": "red"}'}, "Colour"),
        ({**OUTPUT, "PresetDeploymentType": "Other"}, "PresetDeploymentType"),
    ],
)
def test_rejected_requests_leave_nothing(aws: Aws, sagemaker: Any, output: dict[str, Any], words: str) -> None:
    loose = aws.client("sagemaker", validate=False)
    with pytest.raises(ClientError) as info:
        create(loose, OutputConfig=output)
    assert error_of(info)[0] == "ValidationException" and words in error_of(info)[2]
    assert loose.list_edge_packaging_jobs()["EdgePackagingJobSummaries"] == []


def test_names_are_unique(aws: Aws, sagemaker: Any) -> None:
    create(sagemaker)
    with pytest.raises(ClientError) as info:
        create(sagemaker, ModelName="other")
    assert error_of(info)[0] == "ValidationException" and "already exists" in error_of(info)[2]
    assert describe(sagemaker)["ModelName"] == "resnet"


def test_list_filters_sorts_and_pages(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=1000)
    for name, model in (("alpha", "resnet"), ("bravo", "yolo"), ("charlie", "resnet"), ("delta", "mobilenet")):
        create(sagemaker, name=name, ModelName=model)
        in_a_new_second()
    aws.control.advance(KIND, "alpha", steps=2)
    sagemaker.stop_edge_packaging_job(EdgePackagingJobName="charlie")

    def listed(**kwargs: Any) -> list[str]:
        return [j["EdgePackagingJobName"] for j in sagemaker.list_edge_packaging_jobs(**kwargs)["EdgePackagingJobSummaries"]]

    assert listed() == ["alpha", "bravo", "charlie", "delta"]  # by creation time, oldest first
    assert listed(SortOrder="Descending") == ["delta", "charlie", "bravo", "alpha"]
    assert listed(SortBy="MODEL_NAME") == ["delta", "alpha", "charlie", "bravo"]
    assert listed(SortBy="STATUS") == ["alpha", "bravo", "delta", "charlie"]
    assert listed(SortBy="LAST_MODIFIED_TIME", SortOrder="Descending")[:2] == ["charlie", "alpha"]
    assert listed(ModelNameContains="res") == ["alpha", "charlie"]
    assert listed(NameContains="a", StatusEquals="STARTING") == ["bravo", "delta"]
    bravo = describe(sagemaker, "bravo")
    assert listed(CreationTimeAfter=whole_second(describe(sagemaker, "charlie")["CreationTime"])) == ["charlie", "delta"]
    assert listed(LastModifiedTimeBefore=bravo["LastModifiedTime"]) == []
    page = sagemaker.list_edge_packaging_jobs(MaxResults=3)
    rest = sagemaker.list_edge_packaging_jobs(MaxResults=3, NextToken=page["NextToken"])
    assert [j["EdgePackagingJobName"] for j in rest["EdgePackagingJobSummaries"]] == ["delta"]
    assert "NextToken" not in rest
    with pytest.raises(ClientError) as info:
        sagemaker.list_edge_packaging_jobs(NextToken="bad")
    assert error_of(info)[0] == "ValidationException"


def test_tags_and_the_tagging_api(aws: Aws, sagemaker: Any) -> None:
    create(sagemaker, Tags=[{"Key": "team", "Value": "edge"}])
    arn = describe(sagemaker)["EdgePackagingJobArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    tagging = aws.client("resourcegroupstaggingapi")
    [found] = tagging.get_resources(ResourceTypeFilters=["sagemaker:edge-packaging-job"])["ResourceTagMappingList"]
    assert found["ResourceARN"] == arn
    assert {t["Key"]: t["Value"] for t in found["Tags"]} == {"team": "edge", "stage": "dev"}
    tagging.untag_resources(ResourceARNList=[arn], TagKeys=["team"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]
