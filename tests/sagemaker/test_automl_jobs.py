"""SageMaker AutoML jobs (V1 and V2) through boto3: lifecycle and secondary statuses,
candidates, BestCandidate, Stop, failure injection, lists, errors and tags, in-process
and against the server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws
from tests.sagemaker.helpers import in_a_new_second, whole_second

from .helpers import ROLE, error_of

KIND = "sagemaker::automl-job"
DATA = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://automl-data/train/"}}
OUTPUT = {"S3OutputPath": "s3://automl-data/output"}


def create_v1(sagemaker: Any, name: str = "automl-1", **overrides: Any) -> str:
    params: dict[str, Any] = {
        "AutoMLJobName": name,
        "InputDataConfig": [{"DataSource": DATA, "TargetAttributeName": "churn"}],
        "OutputDataConfig": OUTPUT,
        "RoleArn": ROLE,
        **overrides,
    }
    return sagemaker.create_auto_ml_job(**params)["AutoMLJobArn"]  # type: ignore[no-any-return]


def create_v2(sagemaker: Any, name: str = "automl-2", problem: dict[str, Any] | None = None, **overrides: Any) -> str:
    params: dict[str, Any] = {
        "AutoMLJobName": name,
        "AutoMLJobInputDataConfig": [{"DataSource": DATA, "ChannelType": "training"}],
        "OutputDataConfig": OUTPUT,
        "AutoMLProblemTypeConfig": problem or {"ImageClassificationJobConfig": {}},
        "RoleArn": ROLE,
        **overrides,
    }
    return sagemaker.create_auto_ml_job_v2(**params)["AutoMLJobArn"]  # type: ignore[no-any-return]


def describe(sagemaker: Any, name: str = "automl-1", v2: bool = False) -> dict[str, Any]:
    call = sagemaker.describe_auto_ml_job_v2 if v2 else sagemaker.describe_auto_ml_job
    described: dict[str, Any] = call(AutoMLJobName=name)
    described.pop("ResponseMetadata", None)
    return described


def statuses(sagemaker: Any, name: str = "automl-1", v2: bool = False) -> tuple[str, str]:
    job = describe(sagemaker, name, v2)
    return job["AutoMLJobStatus"], job["AutoMLJobSecondaryStatus"]


def candidates(sagemaker: Any, name: str = "automl-1", **kwargs: Any) -> list[dict[str, Any]]:
    return sagemaker.list_candidates_for_auto_ml_job(AutoMLJobName=name, **kwargs)["Candidates"]  # type: ignore[no-any-return]


def test_a_completed_v1_job_and_its_best_candidate(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_v1(
        sagemaker,
        ProblemType="Regression",
        AutoMLJobObjective={"MetricName": "RMSE"},
        AutoMLJobConfig={"CompletionCriteria": {"MaxCandidates": 2}, "Mode": "ENSEMBLING"},
        Tags=[{"Key": "team", "Value": "churn"}],
    )
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:automl-job/automl-1"
    job = describe(sagemaker)
    # moto's behaviour kept: finished the first time it is described.
    assert (job["AutoMLJobStatus"], job["AutoMLJobSecondaryStatus"]) == ("Completed", "Completed")
    assert job["InputDataConfig"] == [{"DataSource": DATA, "TargetAttributeName": "churn"}]
    assert job["ProblemType"] == "Regression"
    assert job["AutoMLJobConfig"] == {"CompletionCriteria": {"MaxCandidates": 2}, "Mode": "ENSEMBLING"}
    assert job["ResolvedAttributes"] == {
        "AutoMLJobObjective": {"MetricName": "RMSE"},
        "ProblemType": "Regression",
        "CompletionCriteria": {
            "MaxCandidates": 2,
            "MaxRuntimePerTrainingJobInSeconds": 86400,
            "MaxAutoMLJobRuntimeInSeconds": 2592000,
        },
    }
    assert job["CreationTime"] <= job["EndTime"] == job["LastModifiedTime"]
    assert job["AutoMLJobArtifacts"]["DataExplorationNotebookLocation"].startswith("s3://automl-data/output/automl-1/")
    assert "FailureReason" not in job

    listed = candidates(sagemaker)
    assert len(listed) == 2  # MaxCandidates caps the candidates
    assert {c["CandidateStatus"] for c in listed} == {"Completed"}
    assert {c["ObjectiveStatus"] for c in listed} == {"Succeeded"}
    values = [c["FinalAutoMLJobObjectiveMetric"]["Value"] for c in listed]
    best = job["BestCandidate"]
    # RMSE is minimized: the best candidate has the lowest value.
    assert best["FinalAutoMLJobObjectiveMetric"] == {
        "Type": "Minimize", "MetricName": "RMSE", "Value": min(values), "StandardMetricName": "RMSE",
    }
    assert best == next(c for c in listed if c["CandidateName"] == best["CandidateName"])
    step_types = [step["CandidateStepType"] for step in best["CandidateSteps"]]
    assert step_types == [
        "AWS::SageMaker::ProcessingJob", "AWS::SageMaker::TrainingJob",
        "AWS::SageMaker::TransformJob", "AWS::SageMaker::TrainingJob",
    ]
    assert all(step["CandidateStepArn"].endswith("-job/" + step["CandidateStepName"]) for step in best["CandidateSteps"])
    assert best["InferenceContainers"][0]["ModelDataUrl"].startswith("s3://automl-data/output/automl-1/")
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "churn"}]

    # The same job seen through V2.
    v2 = describe(sagemaker, v2=True)
    assert v2["AutoMLProblemTypeConfigName"] == "Tabular"
    assert v2["AutoMLProblemTypeConfig"]["TabularJobConfig"]["TargetAttributeName"] == "churn"
    assert v2["AutoMLJobInputDataConfig"] == [{"DataSource": DATA}]
    assert v2["ResolvedAttributes"]["AutoMLProblemTypeResolvedAttributes"] == {
        "TabularResolvedAttributes": {"ProblemType": "Regression"}
    }
    assert v2["BestCandidate"] == best


def test_every_secondary_status_under_manual_progression(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)  # moves only when pushed
    create_v1(sagemaker)  # no problem type: Autopilot resolves it
    first = describe(sagemaker)
    assert (first["AutoMLJobStatus"], first["AutoMLJobSecondaryStatus"]) == ("InProgress", "Starting")
    assert "ResolvedAttributes" not in first and "BestCandidate" not in first and "EndTime" not in first
    assert candidates(sagemaker) == []
    assert aws.control.advance(KIND, "automl-1") == "AnalyzingData"
    assert statuses(sagemaker) == ("InProgress", "AnalyzingData")
    assert aws.control.advance(KIND, "automl-1") == "FeatureEngineering"
    resolved = describe(sagemaker)
    assert resolved["AutoMLJobSecondaryStatus"] == "FeatureEngineering"
    assert resolved["ResolvedAttributes"]["ProblemType"] == "BinaryClassification"
    assert resolved["ResolvedAttributes"]["AutoMLJobObjective"] == {"MetricName": "F1"}
    assert aws.control.advance(KIND, "automl-1") == "ModelTuning"
    assert statuses(sagemaker) == ("InProgress", "ModelTuning")
    tuning = candidates(sagemaker)
    assert len(tuning) == 3
    assert {(c["CandidateStatus"], c["ObjectiveStatus"]) for c in tuning} == {("InProgress", "Pending")}
    assert all("FinalAutoMLJobObjectiveMetric" not in c and "EndTime" not in c for c in tuning)
    assert aws.control.advance(KIND, "automl-1") == "Completed"
    done = describe(sagemaker)
    assert (done["AutoMLJobStatus"], done["AutoMLJobSecondaryStatus"]) == ("Completed", "Completed")
    finished = candidates(sagemaker, SortBy="FinalObjectiveMetricValue", SortOrder="Descending")
    # F1 is maximized: the best candidate is first when sorted by value, highest first.
    assert finished[0]["CandidateName"] == done["BestCandidate"]["CandidateName"]
    assert finished[0]["FinalAutoMLJobObjectiveMetric"]["Type"] == "Maximize"
    assert {c["EndTime"] for c in finished} == {done["EndTime"]}


def test_v2_jobs_that_are_not_tabular_one_look_at_a_time(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1)  # each look moves one status
    create_v2(sagemaker, problem={"TextClassificationJobConfig": {"ContentColumn": "text", "TargetLabelColumn": "label"}})
    seen = [statuses(sagemaker, "automl-2", v2=True) for _ in range(4)]
    # AnalyzingData and FeatureEngineering are tabular steps: such a job shows Starting.
    assert seen == [
        ("InProgress", "Starting"), ("InProgress", "Starting"),
        ("InProgress", "TrainingModels"), ("Completed", "Completed"),
    ]
    job = describe(sagemaker, "automl-2", v2=True)
    assert job["AutoMLProblemTypeConfigName"] == "TextClassification"
    assert job["ResolvedAttributes"]["AutoMLJobObjective"] == {"MetricName": "Accuracy"}
    assert "AutoMLProblemTypeResolvedAttributes" not in job["ResolvedAttributes"]
    assert [s["CandidateStepType"] for s in job["BestCandidate"]["CandidateSteps"]] == ["AWS::SageMaker::TrainingJob"]
    # V1's Describe knows only tabular jobs.
    with pytest.raises(ClientError) as info:
        describe(sagemaker, "automl-2")
    assert error_of(info)[:2] == ("ValidationException", 400)


def test_stop_a_job_while_it_tunes(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    create_v1(sagemaker)
    aws.control.advance(KIND, "automl-1", steps=3)
    assert statuses(sagemaker) == ("InProgress", "ModelTuning")
    sagemaker.stop_auto_ml_job(AutoMLJobName="automl-1")
    assert statuses(sagemaker) == ("Stopping", "Stopping")
    assert {c["CandidateStatus"] for c in candidates(sagemaker)} == {"Stopping"}
    assert aws.control.advance(KIND, "automl-1") == "Stopped"
    job = describe(sagemaker)
    assert (job["AutoMLJobStatus"], job["AutoMLJobSecondaryStatus"]) == ("Stopped", "Stopped")
    assert job["EndTime"] == job["LastModifiedTime"]
    assert "BestCandidate" not in job
    assert {c["CandidateStatus"] for c in candidates(sagemaker)} == {"Stopped"}
    # Only a job in progress can be stopped.
    with pytest.raises(ClientError) as info:
        sagemaker.stop_auto_ml_job(AutoMLJobName="automl-1")
    assert error_of(info)[:2] == ("ValidationException", 400)
    assert "Stopped" in error_of(info)[2]
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        sagemaker.stop_auto_ml_job(AutoMLJobName="missing")


def test_a_job_made_to_fail(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    reason = "ClientError: The target attribute churn has only one unique value."
    aws.control.fail(KIND, reason, job="automl-1")
    create_v1(sagemaker)
    job = describe(sagemaker)
    assert (job["AutoMLJobStatus"], job["AutoMLJobSecondaryStatus"], job["FailureReason"]) == ("Failed", "Failed", reason)
    assert "BestCandidate" not in job
    failed = candidates(sagemaker, StatusEquals="Failed")
    assert len(failed) == 3 and {(c["ObjectiveStatus"], c["FailureReason"]) for c in failed} == {("Failed", reason)}
    [summary] = sagemaker.list_auto_ml_jobs(StatusEquals="Failed")["AutoMLJobSummaries"]
    assert summary["FailureReason"] == reason
    # Another job of the kind is left alone.
    create_v2(sagemaker)
    assert statuses(sagemaker, "automl-2", v2=True) == ("Completed", "Completed")


def test_candidate_definitions_only_and_model_deployment(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_v1(sagemaker, GenerateCandidateDefinitionsOnly=True)
    job = describe(sagemaker)
    assert (job["AutoMLJobStatus"], job["AutoMLJobSecondaryStatus"]) == ("Completed", "CandidateDefinitionsGenerated")
    assert job["GenerateCandidateDefinitionsOnly"] is True
    assert "CandidateDefinitionNotebookLocation" in job["AutoMLJobArtifacts"]
    assert candidates(sagemaker) == [] and "BestCandidate" not in job

    create_v2(
        sagemaker,
        problem={"TabularJobConfig": {"TargetAttributeName": "churn", "ProblemType": "MulticlassClassification"}},
        AutoMLJobObjective={"MetricName": "BalancedAccuracy"},
        ModelDeployConfig={"AutoGenerateEndpointName": False, "EndpointName": "churn-endpoint"},
    )
    deployed = describe(sagemaker, "automl-2", v2=True)
    assert deployed["ModelDeployResult"] == {"EndpointName": "churn-endpoint"}
    assert describe(sagemaker, "automl-2")["ProblemType"] == "MulticlassClassification"


def test_list_filters_sorts_and_pages(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    for name in ("alpha", "bravo", "charlie", "delta"):
        create_v1(sagemaker, name=name)
        in_a_new_second()
    aws.control.advance(KIND, "alpha", steps=4)
    sagemaker.stop_auto_ml_job(AutoMLJobName="charlie")

    def listed(**kwargs: Any) -> list[str]:
        return [j["AutoMLJobName"] for j in sagemaker.list_auto_ml_jobs(**kwargs)["AutoMLJobSummaries"]]

    assert listed() == ["delta", "charlie", "bravo", "alpha"]  # by Name, Descending
    assert listed(SortOrder="Ascending") == ["alpha", "bravo", "charlie", "delta"]
    assert listed(SortBy="CreationTime", SortOrder="Ascending") == ["alpha", "bravo", "charlie", "delta"]
    assert listed(SortBy="Status", SortOrder="Ascending") == ["alpha", "bravo", "delta", "charlie"]
    assert listed(StatusEquals="InProgress") == ["delta", "bravo"]
    assert listed(NameContains="ha") == ["charlie", "alpha"]
    bravo = describe(sagemaker, "bravo")
    assert listed(CreationTimeAfter=whole_second(describe(sagemaker, "charlie")["CreationTime"]), SortOrder="Ascending") == ["charlie", "delta"]
    assert listed(CreationTimeBefore=bravo["CreationTime"]) == ["alpha"]
    assert listed(LastModifiedTimeAfter=whole_second(describe(sagemaker, "charlie")["CreationTime"]), SortOrder="Ascending") == ["alpha", "charlie", "delta"]

    first = sagemaker.list_auto_ml_jobs(MaxResults=3)
    assert len(first["AutoMLJobSummaries"]) == 3
    rest = sagemaker.list_auto_ml_jobs(MaxResults=3, NextToken=first["NextToken"])
    assert [j["AutoMLJobName"] for j in rest["AutoMLJobSummaries"]] == ["alpha"] and "NextToken" not in rest
    paged = [j["AutoMLJobName"] for page in sagemaker.get_paginator("list_auto_ml_jobs").paginate(PaginationConfig={"PageSize": 1})
             for j in page["AutoMLJobSummaries"]]
    assert paged == ["delta", "charlie", "bravo", "alpha"]
    with pytest.raises(ClientError) as info:
        sagemaker.list_auto_ml_jobs(NextToken="not-a-token")
    assert error_of(info)[:2] == ("ValidationException", 400)
    with pytest.raises(ClientError) as info:
        aws.client("sagemaker", validate=False).list_auto_ml_jobs(MaxResults=101)
    assert error_of(info)[0] == "ValidationException" and "MaxResults" in error_of(info)[2]


def test_candidate_filters_sorts_and_pages(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_v1(sagemaker, ProblemType="BinaryClassification", AutoMLJobObjective={"MetricName": "AUC"})
    everything = candidates(sagemaker)
    assert len(everything) == 3
    by_value = candidates(sagemaker, SortBy="FinalObjectiveMetricValue")
    values = [c["FinalAutoMLJobObjectiveMetric"]["Value"] for c in by_value]
    assert values == sorted(values)
    name = everything[1]["CandidateName"]
    assert [c["CandidateName"] for c in candidates(sagemaker, CandidateNameEquals=name)] == [name]
    assert candidates(sagemaker, StatusEquals="InProgress") == []
    page = sagemaker.list_candidates_for_auto_ml_job(AutoMLJobName="automl-1", MaxResults=2)
    rest = sagemaker.list_candidates_for_auto_ml_job(AutoMLJobName="automl-1", MaxResults=2, NextToken=page["NextToken"])
    assert [c["CandidateName"] for c in page["Candidates"] + rest["Candidates"]] == [c["CandidateName"] for c in everything]
    with pytest.raises(sagemaker.exceptions.ResourceNotFound):
        candidates(sagemaker, "missing")
    with pytest.raises(ClientError) as info:
        candidates(sagemaker, NextToken="bad")
    assert error_of(info)[0] == "ValidationException"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"ProblemType": "Regression"}, "ProblemType and AutoMLJobObjective"),
        ({"ProblemType": "Regression", "AutoMLJobObjective": {"MetricName": "F1"}}, "not valid for problem type Regression"),
        ({"InputDataConfig": [{"DataSource": DATA, "TargetAttributeName": "churn"},
                              {"DataSource": DATA, "TargetAttributeName": "churn"}]}, "exactly one channel"),
        ({"InputDataConfig": [{"DataSource": DATA, "TargetAttributeName": "churn"},
                              {"DataSource": DATA, "TargetAttributeName": "other", "ChannelType": "validation"}]},
         "TargetAttributeName"),
        ({"InputDataConfig": [{"DataSource": DATA, "TargetAttributeName": "churn"},
                              {"DataSource": DATA, "TargetAttributeName": "churn", "ChannelType": "validation"}],
          "AutoMLJobConfig": {"DataSplitConfig": {"ValidationFraction": 0.3}}}, "DataSplitConfig"),
        ({"ModelDeployConfig": {"AutoGenerateEndpointName": True, "EndpointName": "e"}}, "EndpointName"),
        ({"AutoMLJobName": "bad_name"}, "AutoMLJobName"),
    ],
)
def test_rejected_requests_leave_nothing(aws: Aws, overrides: dict[str, Any], words: str) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    with pytest.raises(ClientError) as info:
        create_v1(sagemaker, **overrides)
    code, status, message = error_of(info)
    assert (code, status) == ("ValidationException", 400) and words in message
    assert sagemaker.list_auto_ml_jobs()["AutoMLJobSummaries"] == []


def test_names_are_unique_across_v1_and_v2_and_unknown_names(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    create_v1(sagemaker, name="shared")
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create_v2(sagemaker, name="shared")
    with pytest.raises(ClientError) as info:
        create_v2(sagemaker, problem={"ImageClassificationJobConfig": {}, "TabularJobConfig": {"TargetAttributeName": "y"}})
    assert error_of(info)[0] == "ValidationException"
    for call in (sagemaker.describe_auto_ml_job, sagemaker.describe_auto_ml_job_v2):
        with pytest.raises(sagemaker.exceptions.ResourceNotFound) as missing:
            call(AutoMLJobName="missing")
        assert error_of(missing)[2] == "Could not find AutoML job with name missing."
    assert len(sagemaker.list_auto_ml_jobs()["AutoMLJobSummaries"]) == 1


def test_tags_and_the_tagging_api(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_v2(sagemaker, Tags=[{"Key": "team", "Value": "vision"}])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]
    tagging = aws.client("resourcegroupstaggingapi")
    found = tagging.get_resources(ResourceTypeFilters=["sagemaker:automl-job"])["ResourceTagMappingList"]
    assert found == [{"ResourceARN": arn, "Tags": [{"Key": "stage", "Value": "dev"}]}]
    assert tagging.tag_resources(ResourceARNList=[arn], Tags={"cost": "ml"})["FailedResourcesMap"] == {}
    assert {t["Key"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]} == {"stage", "cost"}
    with pytest.raises(ClientError) as info:
        sagemaker.list_tags(ResourceArn=arn.replace("automl-2", "gone"))
    assert error_of(info)[0] == "ValidationException"


def test_moto_no_longer_answers_automl_jobs(decorator_aws: Aws) -> None:
    """moto 5.2.5 answers CreateAutoMLJobV2 and its kin (its jobs stay InProgress): with
    mlmocks loaded, moto's own decorator nested inside ours reaches ours, and moto's
    SageMaker keeps answering the rest beside it."""
    from moto import mock_aws
    from moto.sagemaker.models import sagemaker_backends as moto_sagemaker_backends

    from tests.modes import REGION

    sagemaker = decorator_aws.client("sagemaker")
    with mock_aws():
        create_v2(sagemaker, problem={"TabularJobConfig": {"TargetAttributeName": "churn"}})
        sagemaker.create_model(ModelName="served", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img:1"})
        assert statuses(sagemaker, "automl-2", v2=True) == ("Completed", "Completed")
        assert [m["ModelName"] for m in sagemaker.list_models()["Models"]] == ["served"]
    assert moto_sagemaker_backends[ACCOUNT][REGION].auto_ml_jobs == {}


def test_time_progression_with_freezegun(decorator_aws: Aws) -> None:
    from datetime import datetime, timedelta, timezone

    from freezegun import freeze_time

    sagemaker = decorator_aws.client("sagemaker")
    decorator_aws.control.set_progression(KIND, "time", seconds=60)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_v1(sagemaker)
        assert statuses(sagemaker) == ("InProgress", "Starting")
        clock.tick(timedelta(seconds=181))
        assert statuses(sagemaker) == ("InProgress", "ModelTuning")
        assert {c["CreationTime"] for c in candidates(sagemaker)} == {start + timedelta(seconds=180)}
        clock.tick(timedelta(seconds=600))
        job = describe(sagemaker)
    assert job["AutoMLJobStatus"] == "Completed"
    # Each status began when its time was up, not when the job was next looked at.
    assert job["EndTime"] == job["LastModifiedTime"] == start + timedelta(seconds=240)
    assert job["BestCandidate"]["EndTime"] == start + timedelta(seconds=240)
