"""SageMaker Inference Recommender jobs through boto3: lifecycle, benchmark steps,
recommendations, Stop, failure injection, lists, errors and tags, in-process and against
the server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws
from tests.sagemaker.helpers import in_a_new_second, whole_second

from .helpers import ROLE, error_of

KIND = "sagemaker::inference-recommendations-job"


@pytest.fixture
def sagemaker(aws: Aws) -> Any:
    """A client, with moto's SageMaker model ``resnet`` to benchmark."""
    client = aws.client("sagemaker")
    client.create_model(
        ModelName="resnet",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/resnet:1", "ModelDataUrl": "s3://m/model.tar.gz"},
    )
    return client


def create(sagemaker: Any, name: str = "recommend-1", **overrides: Any) -> str:
    params: dict[str, Any] = {
        "JobName": name,
        "JobType": "Default",
        "RoleArn": ROLE,
        "InputConfig": {"ModelName": "resnet"},
        **overrides,
    }
    return sagemaker.create_inference_recommendations_job(**params)["JobArn"]  # type: ignore[no-any-return]


def describe(sagemaker: Any, name: str = "recommend-1") -> dict[str, Any]:
    described: dict[str, Any] = sagemaker.describe_inference_recommendations_job(JobName=name)
    described.pop("ResponseMetadata", None)
    return described


def steps(sagemaker: Any, name: str = "recommend-1", **kwargs: Any) -> list[dict[str, Any]]:
    return sagemaker.list_inference_recommendations_job_steps(JobName=name, **kwargs)["Steps"]  # type: ignore[no-any-return]


def test_a_completed_default_job_recommends(aws: Aws, sagemaker: Any) -> None:
    arn = create(sagemaker, JobDescription="pick an instance", Tags=[{"Key": "team", "Value": "serving"}])
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:inference-recommendations-job/recommend-1"
    job = describe(sagemaker)
    assert job["Status"] == "COMPLETED"
    assert job["CreationTime"] <= job["CompletionTime"] == job["LastModifiedTime"]
    assert (job["JobType"], job["JobDescription"], job["InputConfig"]) == ("Default", "pick an instance", {"ModelName": "resnet"})
    recommendations = job["InferenceRecommendations"]
    assert [r["EndpointConfiguration"]["InstanceType"] for r in recommendations] != []
    costs = [r["Metrics"]["CostPerInference"] for r in recommendations]
    assert costs == sorted(costs)  # cheapest per inference first
    assert all(r["RecommendationId"].startswith("recommend-1/") for r in recommendations)
    assert "EndpointPerformances" not in job and "FailureReason" not in job
    benchmarks = steps(sagemaker)
    assert {s["Status"] for s in benchmarks} == {"COMPLETED"} and {s["StepType"] for s in benchmarks} == {"BENCHMARK"}
    assert sorted(s["InferenceBenchmark"]["EndpointConfiguration"]["InstanceType"] for s in benchmarks) == sorted(
        r["EndpointConfiguration"]["InstanceType"] for r in recommendations
    )
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "serving"}]


def test_an_advanced_job_benchmarks_its_endpoint_configurations(aws: Aws, sagemaker: Any) -> None:
    configs = [{"InstanceType": "ml.c5.xlarge"}, {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}]
    create(sagemaker, JobType="Advanced", InputConfig={
        "ModelName": "resnet", "EndpointConfigurations": configs, "Endpoints": [{"EndpointName": "existing"}],
    }, StoppingConditions={"MaxInvocations": 300})
    job = describe(sagemaker)
    configured = [r["EndpointConfiguration"] for r in job["InferenceRecommendations"]]
    assert sorted(("InstanceType" in c, "ServerlessConfig" in c) for c in configured) == [(False, True), (True, False)]
    assert job["StoppingConditions"] == {"MaxInvocations": 300}
    assert [p["EndpointInfo"] for p in job["EndpointPerformances"]] == [{"EndpointName": "existing"}]


def test_the_statuses_under_manual_progression(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=1000)
    create(sagemaker)
    pending = describe(sagemaker)
    assert pending["Status"] == "PENDING" and "InferenceRecommendations" not in pending
    assert steps(sagemaker) == []
    assert aws.control.advance(KIND, "recommend-1") == "IN_PROGRESS"
    running = steps(sagemaker)
    assert len(running) == 3 and {s["Status"] for s in running} == {"IN_PROGRESS"}
    assert all("Metrics" not in s["InferenceBenchmark"] for s in running)
    assert describe(sagemaker)["Status"] == "IN_PROGRESS"
    assert aws.control.advance(KIND, "recommend-1") == "COMPLETED"
    assert len(describe(sagemaker)["InferenceRecommendations"]) == 3
    assert {s["Status"] for s in steps(sagemaker)} == {"COMPLETED"}


def test_stop_a_job(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=1000)
    create(sagemaker)
    aws.control.advance(KIND, "recommend-1")
    sagemaker.stop_inference_recommendations_job(JobName="recommend-1")
    assert describe(sagemaker)["Status"] == "STOPPING"
    assert {s["Status"] for s in steps(sagemaker)} == {"STOPPING"}
    assert aws.control.advance(KIND, "recommend-1") == "STOPPED"
    job = describe(sagemaker)
    assert job["Status"] == "STOPPED" and "CompletionTime" not in job and "InferenceRecommendations" not in job
    assert {s["Status"] for s in steps(sagemaker, Status="STOPPED")} == {"STOPPED"}
    with pytest.raises(ClientError) as info:
        sagemaker.stop_inference_recommendations_job(JobName="recommend-1")
    assert error_of(info)[:2] == ("ValidationException", 400) and "STOPPED" in error_of(info)[2]
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        sagemaker.stop_inference_recommendations_job(JobName="missing")
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        describe(sagemaker, "missing")
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        steps(sagemaker, "missing")


def test_a_job_made_to_fail(aws: Aws, sagemaker: Any) -> None:
    aws.control.fail(KIND, "The model container failed to respond to /ping.", job="recommend-1")
    create(sagemaker)
    job = describe(sagemaker)
    assert (job["Status"], job["FailureReason"]) == ("FAILED", "The model container failed to respond to /ping.")
    assert "InferenceRecommendations" not in job
    failed = steps(sagemaker, Status="FAILED")
    assert len(failed) == 3
    assert {s["InferenceBenchmark"]["FailureReason"] for s in failed} == {"The model container failed to respond to /ping."}
    assert steps(sagemaker, Status="COMPLETED") == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"InputConfig": {}}, "exactly one of InputConfig.ModelName and InputConfig.ModelPackageVersionArn"),
        ({"InputConfig": {"ModelName": "resnet",
                          "ModelPackageVersionArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/p/1"}}, "exactly one"),
        ({"InputConfig": {"ModelName": "missing"}}, "Could not find model"),
        ({"JobType": "Advanced"}, "EndpointConfigurations is required"),
        ({"JobType": "Advanced", "InputConfig": {"ModelName": "resnet", "EndpointConfigurations": [{}]}}, "InstanceType and ServerlessConfig"),
        ({"JobType": "Basic"}, "JobType"),
    ],
)
def test_rejected_requests_leave_nothing(aws: Aws, sagemaker: Any, overrides: dict[str, Any], words: str) -> None:
    loose = aws.client("sagemaker", validate=False)
    with pytest.raises(ClientError) as info:
        create(loose, **overrides)
    assert error_of(info)[0] == "ValidationException" and words in error_of(info)[2]
    assert loose.list_inference_recommendations_jobs()["InferenceRecommendationsJobs"] == []


def test_names_are_unique(aws: Aws, sagemaker: Any) -> None:
    create(sagemaker)
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create(sagemaker, JobDescription="again")
    assert "JobDescription" not in describe(sagemaker)


def test_list_filters_sorts_and_pages(aws: Aws, sagemaker: Any) -> None:
    aws.control.set_progression(KIND, "manual", times=1000)
    package = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/resnet-group/1"
    for name in ("alpha", "bravo", "charlie"):
        create(sagemaker, name=name)
        in_a_new_second()
    create(sagemaker, name="delta", InputConfig={"ModelPackageVersionArn": package})
    aws.control.advance(KIND, "alpha", steps=2)
    sagemaker.stop_inference_recommendations_job(JobName="charlie")

    def listed(**kwargs: Any) -> list[str]:
        return [j["JobName"] for j in sagemaker.list_inference_recommendations_jobs(**kwargs)["InferenceRecommendationsJobs"]]

    assert listed() == ["alpha", "bravo", "charlie", "delta"]
    assert listed(SortBy="Name", SortOrder="Descending") == ["delta", "charlie", "bravo", "alpha"]
    assert listed(SortBy="Status") == ["alpha", "bravo", "delta", "charlie"]
    assert listed(ModelNameEquals="resnet") == ["alpha", "bravo", "charlie"]
    assert listed(ModelPackageVersionArnEquals=package) == ["delta"]
    assert listed(StatusEquals="PENDING", NameContains="a") == ["bravo", "delta"]
    bravo = describe(sagemaker, "bravo")
    assert listed(CreationTimeAfter=whole_second(describe(sagemaker, "charlie")["CreationTime"])) == ["charlie", "delta"]
    assert listed(LastModifiedTimeBefore=bravo["LastModifiedTime"]) == []
    page = sagemaker.list_inference_recommendations_jobs(MaxResults=3)
    rest = sagemaker.list_inference_recommendations_jobs(MaxResults=3, NextToken=page["NextToken"])
    assert [j["JobName"] for j in rest["InferenceRecommendationsJobs"]] == ["delta"] and "NextToken" not in rest
    [summary] = sagemaker.list_inference_recommendations_jobs(NameContains="delta")["InferenceRecommendationsJobs"]
    assert summary["ModelPackageVersionArn"] == package and summary["JobDescription"] == ""
    with pytest.raises(ClientError) as info:
        sagemaker.list_inference_recommendations_jobs(NextToken="bad")
    assert error_of(info)[0] == "ValidationException"

    aws.control.advance(KIND, "alpha")
    first = sagemaker.list_inference_recommendations_job_steps(JobName="alpha", MaxResults=2)
    second = sagemaker.list_inference_recommendations_job_steps(JobName="alpha", MaxResults=2, NextToken=first["NextToken"])
    assert len(first["Steps"]) == 2 and len(second["Steps"]) == 1 and "NextToken" not in second
    assert len(steps(sagemaker, "alpha", StepType="BENCHMARK")) == 3


def test_tags_and_the_tagging_api(aws: Aws, sagemaker: Any) -> None:
    arn = create(sagemaker, Tags=[{"Key": "team", "Value": "serving"}])
    tagging = aws.client("resourcegroupstaggingapi")
    found = tagging.get_resources(ResourceTypeFilters=["sagemaker:inference-recommendations-job"])["ResourceTagMappingList"]
    assert found == [{"ResourceARN": arn, "Tags": [{"Key": "team", "Value": "serving"}]}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert len(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == 2
