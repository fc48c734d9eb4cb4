"""SageMaker inference optimization jobs through boto3: lifecycle, Stop, Delete, failure
injection, lists, errors and tags, in-process and against the server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws
from tests.sagemaker.helpers import in_a_new_second

from .helpers import ROLE, error_of

KIND = "sagemaker::optimization-job"
QUANTIZE = {"ModelQuantizationConfig": {"OverrideEnvironment": {"OPTION_QUANTIZE": "awq"}}}
COMPILE = {"ModelCompilationConfig": {}}


def create(sagemaker: Any, name: str = "optimize-1", **overrides: Any) -> str:
    params: dict[str, Any] = {
        "OptimizationJobName": name,
        "RoleArn": ROLE,
        "ModelSource": {"S3": {"S3Uri": "s3://llm-models/llama-3-8b/"}},
        "DeploymentInstanceType": "ml.g5.2xlarge",
        "OptimizationConfigs": [QUANTIZE],
        "OutputConfig": {"S3OutputLocation": "s3://llm-models/optimized/"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        **overrides,
    }
    return sagemaker.create_optimization_job(**params)["OptimizationJobArn"]  # type: ignore[no-any-return]


def describe(sagemaker: Any, name: str = "optimize-1") -> dict[str, Any]:
    described: dict[str, Any] = sagemaker.describe_optimization_job(OptimizationJobName=name)
    described.pop("ResponseMetadata", None)
    return described


def status(sagemaker: Any, name: str = "optimize-1") -> str:
    return describe(sagemaker, name)["OptimizationJobStatus"]  # type: ignore[no-any-return]


def test_a_completed_optimization_job(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create(
        sagemaker,
        MaxInstanceCount=2,
        OptimizationEnvironment={"OPTION_TENSOR_PARALLEL_DEGREE": "1"},
        VpcConfig={"SecurityGroupIds": ["sg-0123"], "Subnets": ["subnet-0123"]},
        Tags=[{"Key": "team", "Value": "llm"}],
    )
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:optimization-job/optimize-1"
    job = describe(sagemaker)
    assert job["OptimizationJobStatus"] == "COMPLETED"
    assert job["CreationTime"] <= job["OptimizationStartTime"] <= job["OptimizationEndTime"] == job["LastModifiedTime"]
    assert job["OptimizationConfigs"] == [QUANTIZE]
    assert (job["DeploymentInstanceType"], job["MaxInstanceCount"]) == ("ml.g5.2xlarge", 2)
    assert job["OptimizationEnvironment"] == {"OPTION_TENSOR_PARALLEL_DEGREE": "1"}
    assert job["VpcConfig"] == {"SecurityGroupIds": ["sg-0123"], "Subnets": ["subnet-0123"]}
    # The Large Model Inference container for a GPU instance.
    assert job["OptimizationOutput"]["RecommendedInferenceImage"].startswith(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:"
    )
    assert "FailureReason" not in job
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "llm"}]
    # An image the request names is the one to serve with; Neuron instances get neuronx.
    create(sagemaker, name="optimize-2", OptimizationConfigs=[{"ModelCompilationConfig": {"Image": "my/image:1"}}])
    assert describe(sagemaker, "optimize-2")["OptimizationOutput"] == {"RecommendedInferenceImage": "my/image:1"}
    create(sagemaker, name="optimize-3", DeploymentInstanceType="ml.inf2.xlarge", OptimizationConfigs=[COMPILE])
    assert "neuronx" in describe(sagemaker, "optimize-3")["OptimizationOutput"]["RecommendedInferenceImage"]


def test_the_statuses_under_manual_progression(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1)
    create(sagemaker)
    assert aws.control.status(KIND, "optimize-1") == "STARTING"
    in_progress = describe(sagemaker)  # each look moves one status on
    assert in_progress["OptimizationJobStatus"] == "INPROGRESS"
    assert "OptimizationEndTime" not in in_progress and "OptimizationOutput" not in in_progress
    assert in_progress["OptimizationStartTime"] == in_progress["LastModifiedTime"]
    done = describe(sagemaker)
    assert done["OptimizationJobStatus"] == "COMPLETED" and "OptimizationOutput" in done


def test_stop_and_delete(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    create(sagemaker)
    with pytest.raises(ClientError) as info:
        sagemaker.delete_optimization_job(OptimizationJobName="optimize-1")
    assert error_of(info)[:2] == ("ValidationException", 400) and "STARTING" in error_of(info)[2]
    sagemaker.stop_optimization_job(OptimizationJobName="optimize-1")
    assert status(sagemaker) == "STOPPING"
    assert aws.control.advance(KIND, "optimize-1") == "STOPPED"
    stopped = describe(sagemaker)
    assert stopped["OptimizationEndTime"] == stopped["LastModifiedTime"] and "OptimizationOutput" not in stopped
    with pytest.raises(ClientError) as info:
        sagemaker.stop_optimization_job(OptimizationJobName="optimize-1")
    assert error_of(info)[0] == "ValidationException"
    sagemaker.delete_optimization_job(OptimizationJobName="optimize-1")
    for call in (sagemaker.describe_optimization_job, sagemaker.stop_optimization_job, sagemaker.delete_optimization_job):
        with pytest.raises(sagemaker.exceptions.ResourceNotFound):
            call(OptimizationJobName="optimize-1")
    assert sagemaker.list_optimization_jobs()["OptimizationJobSummaries"] == []
    create(sagemaker)  # the name is free again
    assert status(sagemaker) == "STARTING"


def test_a_job_made_to_fail(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.fail(KIND, "The model is too large for ml.g5.2xlarge.", job="optimize-1")
    create(sagemaker)
    job = describe(sagemaker)
    assert (job["OptimizationJobStatus"], job["FailureReason"]) == ("FAILED", "The model is too large for ml.g5.2xlarge.")
    assert "OptimizationOutput" not in job
    sagemaker.delete_optimization_job(OptimizationJobName="optimize-1")


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"ModelSource": {}}, "exactly one of ModelSource.S3 and ModelSource.SageMakerModel"),
        ({"ModelSource": {"S3": {"S3Uri": "s3://b/m/"}, "SageMakerModel": {"ModelName": "m"}}}, "exactly one"),
        ({"OptimizationConfigs": [QUANTIZE, QUANTIZE]}, "ModelQuantizationConfig"),
        ({"OptimizationConfigs": [{**QUANTIZE, **COMPILE}]}, "OptimizationConfig"),
        ({"StoppingCondition": {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 60}}, "MaxWaitTimeInSeconds"),
        ({"DeploymentInstanceType": "ml.t2.medium"}, "DeploymentInstanceType"),
    ],
)
def test_rejected_requests_leave_nothing(aws: Aws, overrides: dict[str, Any], words: str) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    with pytest.raises(ClientError) as info:
        create(sagemaker, **overrides)
    assert error_of(info)[0] == "ValidationException" and words in error_of(info)[2]
    assert sagemaker.list_optimization_jobs()["OptimizationJobSummaries"] == []


def test_names_are_unique(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create(sagemaker)
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create(sagemaker, DeploymentInstanceType="ml.g5.xlarge")
    assert describe(sagemaker)["DeploymentInstanceType"] == "ml.g5.2xlarge"


def test_list_filters_sorts_and_pages(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    for name, configs in (("alpha", [QUANTIZE]), ("bravo", [COMPILE]), ("charlie", [QUANTIZE, COMPILE]), ("delta", [QUANTIZE])):
        create(sagemaker, name=name, OptimizationConfigs=configs)
        in_a_new_second()
    aws.control.advance(KIND, "alpha", steps=2)
    sagemaker.stop_optimization_job(OptimizationJobName="charlie")

    def listed(**kwargs: Any) -> list[str]:
        return [j["OptimizationJobName"] for j in sagemaker.list_optimization_jobs(**kwargs)["OptimizationJobSummaries"]]

    assert listed() == ["alpha", "bravo", "charlie", "delta"]  # CreationTime, Ascending
    assert listed(SortBy="Name", SortOrder="Descending") == ["delta", "charlie", "bravo", "alpha"]
    assert listed(SortBy="Status") == ["alpha", "bravo", "delta", "charlie"]
    assert listed(OptimizationContains="Compilation") == ["bravo", "charlie"]
    assert listed(StatusEquals="STARTING", NameContains="a") == ["bravo", "delta"]
    charlie = describe(sagemaker, "charlie")
    assert listed(CreationTimeBefore=charlie["CreationTime"]) == ["alpha", "bravo"]
    # alpha was advanced after charlie was created.
    assert listed(LastModifiedTimeAfter=charlie["CreationTime"]) == ["alpha", "charlie", "delta"]
    [summary] = sagemaker.list_optimization_jobs(NameContains="charlie")["OptimizationJobSummaries"]
    assert summary["OptimizationTypes"] == ["Quantization", "Compilation"]
    page = sagemaker.list_optimization_jobs(MaxResults=3)
    rest = sagemaker.list_optimization_jobs(MaxResults=3, NextToken=page["NextToken"])
    assert [j["OptimizationJobName"] for j in rest["OptimizationJobSummaries"]] == ["delta"] and "NextToken" not in rest
    with pytest.raises(ClientError) as info:
        sagemaker.list_optimization_jobs(NextToken="bad")
    assert error_of(info)[0] == "ValidationException"


def test_tags_and_the_tagging_api(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create(sagemaker, Tags=[{"Key": "team", "Value": "llm"}])
    tagging = aws.client("resourcegroupstaggingapi")
    found = tagging.get_resources(ResourceTypeFilters=["sagemaker:optimization-job"])["ResourceTagMappingList"]
    assert found == [{"ResourceARN": arn, "Tags": [{"Key": "team", "Value": "llm"}]}]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []
