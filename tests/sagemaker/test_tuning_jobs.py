"""SageMaker hyperparameter tuning jobs through boto3: the training jobs they launch, their
counters and best training job, stop, failure, lists and errors, in-process and against
the server."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws

from .helpers import error_of
from .job_helpers import (
    DEFINITION,
    TRAINING,
    TUNING,
    children,
    create_tuning_job,
    describe_training_job,
    describe_tuning_job,
    tuning_config,
)


def assert_consistent(sagemaker: object, job: dict) -> list[dict]:
    """The counters, the best training job and the listed training jobs agree."""
    listed = children(sagemaker, job["HyperParameterTuningJobName"])
    counted = {"Completed": 0, "InProgress": 0, "RetryableError": 0, "NonRetryableError": 0, "Stopped": 0}
    objectives = {"Succeeded": 0, "Pending": 0, "Failed": 0}
    for child in listed:
        status = child["TrainingJobStatus"]
        counted[{"Failed": "NonRetryableError", "Stopping": "InProgress"}.get(status, status)] += 1
        objectives[child["ObjectiveStatus"]] += 1
    assert job["TrainingJobStatusCounters"] == counted
    assert job["ObjectiveStatusCounters"] == objectives
    completed = [c for c in listed if c["TrainingJobStatus"] == "Completed"]
    if completed:
        sign = -1 if job["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["Type"] == "Minimize" else 1
        best = max(completed, key=lambda c: sign * c["FinalHyperParameterTuningJobObjectiveMetric"]["Value"])
        assert job["BestTrainingJob"] == best
    else:
        assert "BestTrainingJob" not in job
    return listed


def test_a_tuning_job_completes_with_its_training_jobs(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_tuning_job(sagemaker, Tags=[{"Key": "team", "Value": "ml"}])
    assert arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:hyper-parameter-tuning-job/tune-1"
    job = describe_tuning_job(sagemaker)
    assert job["HyperParameterTuningJobStatus"] == "Completed"
    assert job["HyperParameterTuningJobConfig"] == tuning_config()
    assert job["TrainingJobDefinition"] == DEFINITION
    assert job["CreationTime"] <= job["HyperParameterTuningEndTime"] == job["LastModifiedTime"]
    assert job["TrainingJobStatusCounters"]["Completed"] == 4
    assert job["ObjectiveStatusCounters"] == {"Succeeded": 4, "Pending": 0, "Failed": 0}
    assert job["ConsumedResources"]["RuntimeInSeconds"] >= 0
    listed = assert_consistent(sagemaker, job)
    assert len(listed) == 4 and all(c["TuningJobName"] == "tune-1" for c in listed)

    # Each training job is a training job like any: named after its tuning job, with the
    # static and the tuned hyperparameters, and the objective among its final metrics.
    child = describe_training_job(sagemaker, listed[0]["TrainingJobName"])
    assert child["TrainingJobName"].startswith("tune-1-001-")
    assert child["TuningJobArn"] == arn
    tuned = listed[0]["TunedHyperParameters"]
    assert set(tuned) == {"depth", "eta", "optimizer"}
    assert 1 <= int(tuned["depth"]) <= 10 and 0.01 <= float(tuned["eta"]) <= 0.5 and tuned["optimizer"] in ("sgd", "adam")
    assert child["HyperParameters"] == {"epochs": "5", **tuned}
    final = {m["MetricName"]: m["Value"] for m in child["FinalMetricDataList"]}
    assert final["validation:accuracy"] == listed[0]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
    names = {j["TrainingJobName"] for j in sagemaker.list_training_jobs(NameContains="tune-1-")["TrainingJobSummaries"]}
    assert names == {c["TrainingJobName"] for c in listed}


def test_minimize_picks_the_lowest(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_tuning_job(sagemaker, HyperParameterTuningJobConfig=tuning_config(most=5, parallel=5, objective="Minimize"))
    job = describe_tuning_job(sagemaker)
    listed = assert_consistent(sagemaker, job)
    values = [c["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] for c in listed]
    assert job["BestTrainingJob"]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == min(values)
    by_value = children(sagemaker, SortBy="FinalObjectiveMetricValue", SortOrder="Descending")
    assert [c["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] for c in by_value] == sorted(values, reverse=True)


def test_at_most_the_parallel_limit_runs_and_counters_follow(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TUNING, "manual", times=1000)
    aws.control.set_progression(TRAINING, "manual", times=1000)
    aws.control.fail(TRAINING, "AlgorithmError: diverged")  # every new training job fails...
    create_tuning_job(sagemaker, HyperParameterTuningJobConfig=tuning_config(most=5, parallel=2))
    job = describe_tuning_job(sagemaker)
    assert job["HyperParameterTuningJobStatus"] == "InProgress"
    assert job["TrainingJobStatusCounters"]["InProgress"] == 2
    assert job["ObjectiveStatusCounters"]["Pending"] == 2
    first, second = (c["TrainingJobName"] for c in children(sagemaker))
    aws.control.clear_failures(TRAINING)  # ...until now

    # One ends: one more is launched in its place.
    aws.control.advance(TRAINING, first, steps=5)
    job = describe_tuning_job(sagemaker)
    assert job["TrainingJobStatusCounters"] == {"Completed": 0, "InProgress": 2, "RetryableError": 0,
                                                "NonRetryableError": 1, "Stopped": 0}
    listed = assert_consistent(sagemaker, job)
    assert len(listed) == 3
    failed = next(c for c in listed if c["TrainingJobName"] == first)
    assert (failed["FailureReason"], failed["ObjectiveStatus"]) == ("AlgorithmError: diverged", "Failed")
    third = next(c["TrainingJobName"] for c in listed if c["TrainingJobName"] not in (first, second))
    aws.control.advance(TRAINING, third, steps=4)
    job = describe_tuning_job(sagemaker)
    assert job["TrainingJobStatusCounters"]["Completed"] == 1
    assert job["BestTrainingJob"]["TrainingJobName"] == third
    assert_consistent(sagemaker, job)
    running = children(sagemaker, StatusEquals="InProgress")
    assert len(running) == 2

    # The tuning job completes: the rest are launched and every one runs to its end.
    assert aws.control.advance(TUNING, "tune-1") == "Completed"
    job = describe_tuning_job(sagemaker)
    assert sum(job["TrainingJobStatusCounters"].values()) == 5
    assert job["TrainingJobStatusCounters"]["InProgress"] == 0
    assert job["TrainingJobStatusCounters"]["NonRetryableError"] == 2  # the first two were set to fail
    assert_consistent(sagemaker, job)


def test_stop_stops_its_training_jobs(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TUNING, "manual", times=1000)
    aws.control.set_progression(TRAINING, "manual", times=1000)
    create_tuning_job(sagemaker, HyperParameterTuningJobConfig=tuning_config(most=6, parallel=3))
    first = children(sagemaker)[0]["TrainingJobName"]
    aws.control.advance(TRAINING, first, steps=4)  # one completed before the stop...
    assert len(children(sagemaker)) == 4  # ...and another took its place

    sagemaker.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    job = describe_tuning_job(sagemaker)
    assert job["HyperParameterTuningJobStatus"] == "Stopping"
    assert {c["TrainingJobStatus"] for c in children(sagemaker)} == {"Completed", "Stopping"}
    with pytest.raises(ClientError) as info:
        sagemaker.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert error_of(info)[0] == "ValidationException"

    assert aws.control.advance(TUNING, "tune-1") == "Stopped"
    job = describe_tuning_job(sagemaker)
    assert job["HyperParameterTuningJobStatus"] == "Stopped"
    assert job["TrainingJobStatusCounters"] == {"Completed": 1, "InProgress": 0, "RetryableError": 0,
                                                "NonRetryableError": 0, "Stopped": 3}
    assert job["BestTrainingJob"]["TrainingJobName"] == first
    assert_consistent(sagemaker, job)
    # No more are launched once stopped.
    assert len(children(sagemaker)) == 4
    assert describe_training_job(sagemaker, children(sagemaker)[1]["TrainingJobName"])["SecondaryStatus"] == "Stopped"


def test_a_failed_tuning_job_stops_its_training_jobs(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TRAINING, "manual", times=1000)
    aws.control.fail(TUNING, "ClientError: the objective metric was never emitted", job="tune-1")
    create_tuning_job(sagemaker)
    job = describe_tuning_job(sagemaker)
    assert (job["HyperParameterTuningJobStatus"], job["FailureReason"]) == (
        "Failed", "ClientError: the objective metric was never emitted")
    assert job["TrainingJobStatusCounters"]["Stopped"] == 2
    assert_consistent(sagemaker, job)


def test_several_definitions_take_turns(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    objective = {"Type": "Maximize", "MetricName": "validation:accuracy"}
    definitions = [
        {**DEFINITION, "DefinitionName": "linear", "TuningObjective": objective,
         "HyperParameterRanges": {"CategoricalParameterRanges": [{"Name": "loss", "Values": ["l1", "l2"]}]}},
        {**DEFINITION, "DefinitionName": "xgb", "TuningObjective": objective,
         "HyperParameterRanges": {"IntegerParameterRanges": [{"Name": "rounds", "MinValue": "10", "MaxValue": "20"}]}},
    ]
    config = tuning_config()
    config.pop("ParameterRanges")
    config.pop("HyperParameterTuningJobObjective")
    create_tuning_job(sagemaker, HyperParameterTuningJobConfig=config, TrainingJobDefinition=None,
                      TrainingJobDefinitions=definitions)
    listed = children(sagemaker, SortBy="CreationTime")
    assert [c["TrainingJobDefinitionName"] for c in listed] == ["linear", "xgb", "linear", "xgb"]
    assert [set(c["TunedHyperParameters"]) for c in listed[:2]] == [{"loss"}, {"rounds"}]
    assert describe_tuning_job(sagemaker)["TrainingJobDefinitions"] == definitions


def test_list_delete_and_errors(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    for name in ["tune-b", "tune-a"]:
        create_tuning_job(sagemaker, name)
    summaries = sagemaker.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    assert [s["HyperParameterTuningJobName"] for s in summaries] == ["tune-a", "tune-b"]  # by Name
    assert summaries[0]["Strategy"] == "Bayesian" and summaries[0]["ResourceLimits"] == tuning_config()["ResourceLimits"]
    assert summaries[0]["TrainingJobStatusCounters"]["Completed"] == 4
    listed = sagemaker.list_hyper_parameter_tuning_jobs(SortBy="CreationTime", SortOrder="Descending",
                                                        StatusEquals="Completed", NameContains="tune-")
    assert [s["HyperParameterTuningJobName"] for s in listed["HyperParameterTuningJobSummaries"]] == ["tune-a", "tune-b"]
    page = sagemaker.list_hyper_parameter_tuning_jobs(MaxResults=1)
    assert page["NextToken"]
    rest = sagemaker.list_hyper_parameter_tuning_jobs(MaxResults=1, NextToken=page["NextToken"])
    assert [s["HyperParameterTuningJobName"] for s in rest["HyperParameterTuningJobSummaries"]] == ["tune-b"]

    sagemaker.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-a")
    for call in (sagemaker.describe_hyper_parameter_tuning_job, sagemaker.delete_hyper_parameter_tuning_job,
                 sagemaker.stop_hyper_parameter_tuning_job, sagemaker.list_training_jobs_for_hyper_parameter_tuning_job):
        with pytest.raises(ClientError) as info:
            call(HyperParameterTuningJobName="tune-a")
        assert error_of(info)[0] == "ValidationException" and "tune-a" in error_of(info)[2]
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create_tuning_job(sagemaker, "tune-b")

    bad_ranges = tuning_config()
    bad_ranges["ParameterRanges"]["IntegerParameterRanges"][0]["MinValue"] = "20"
    no_objective = tuning_config()
    no_objective.pop("HyperParameterTuningJobObjective")
    too_parallel = tuning_config(most=2, parallel=3)
    for overrides, words in [
        ({"TrainingJobDefinition": None}, "TrainingJobDefinition"),
        ({"TrainingJobDefinitions": [DEFINITION]}, "TrainingJobDefinition"),
        ({"HyperParameterTuningJobConfig": bad_ranges}, "MinValue"),
        ({"HyperParameterTuningJobConfig": no_objective}, "HyperParameterTuningJobObjective"),
        ({"HyperParameterTuningJobConfig": too_parallel}, "MaxParallelTrainingJobs"),
    ]:
        with pytest.raises(ClientError) as info:
            create_tuning_job(sagemaker, "rejected", **overrides)
        assert error_of(info)[0] == "ValidationException" and words in error_of(info)[2], error_of(info)
    for config in (tuning_config(most=751, parallel=2), tuning_config(most=200, parallel=101)):
        with pytest.raises(sagemaker.exceptions.ResourceLimitExceeded) as info:
            create_tuning_job(sagemaker, "rejected", HyperParameterTuningJobConfig=config)
        assert error_of(info)[1] == 400
    names = [s["HyperParameterTuningJobName"]
             for s in sagemaker.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]]
    assert names == ["tune-b"]

    aws.control.set_progression(TUNING, "manual", times=1000)
    create_tuning_job(sagemaker, "running")
    with pytest.raises(ClientError) as info:
        sagemaker.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="running")
    assert error_of(info)[0] == "ValidationException" and "InProgress" in error_of(info)[2]


def test_tags_of_tuning_jobs(aws: Aws) -> None:
    """moto's test_tag_hyper_parameter_tuning_job."""
    sagemaker = aws.client("sagemaker")
    arn = create_tuning_job(sagemaker, Tags=[{"Key": "team", "Value": "ml"}])
    # Its tags are its training jobs' too.
    for child in children(sagemaker):
        child_arn = child["TrainingJobArn"]
        assert sagemaker.list_tags(ResourceArn=child_arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}, {"Key": "stage", "Value": "dev"}]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]
