"""SageMaker training jobs through boto3: every primary and secondary status, stop, failure,
metrics, seconds, warm pools, update, delete, lists and errors, in-process and against
the server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from tests.modes import ACCOUNT, Aws

from .helpers import ROLE, error_of
from .job_helpers import (
    ALGORITHM,
    INPUT,
    OUTPUT,
    RESOURCES,
    TRAINING,
    create_training_job,
    describe_training_job,
)


def statuses(job: dict) -> tuple[str, str]:
    return job["TrainingJobStatus"], job["SecondaryStatus"]


def transitions(job: dict) -> list[str]:
    return [entry["Status"] for entry in job["SecondaryStatusTransitions"]]


def test_a_completed_job_describes_everything(aws: Aws) -> None:
    """moto's default: Completed the first time it is described, with every member moto's
    tests read (moto's test_create_training_job)."""
    sagemaker = aws.client("sagemaker")
    hyper = {"epochs": "10", "mini_batch_size": "100"}
    arn = create_training_job(sagemaker, "MyTrainingJob", HyperParameters=hyper,
                              EnableManagedSpotTraining=True,
                              StoppingCondition={"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200})
    assert re.match(rf"^arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/MyTrainingJob$", arn)

    job = describe_training_job(sagemaker, "MyTrainingJob")
    assert statuses(job) == ("Completed", "Completed")
    assert job["TrainingJobArn"] == arn
    assert job["ModelArtifacts"] == {"S3ModelArtifacts": "s3://my-bucket/training/MyTrainingJob/output/model.tar.gz"}
    assert job["HyperParameters"] == hyper
    assert job["AlgorithmSpecification"] == ALGORITHM
    assert (job["RoleArn"], job["InputDataConfig"], job["OutputDataConfig"], job["ResourceConfig"]) == (
        ROLE, INPUT, OUTPUT, RESOURCES)
    assert job["EnableManagedSpotTraining"] is True
    assert job["CreationTime"] <= job["TrainingStartTime"] <= job["TrainingEndTime"] == job["LastModifiedTime"]
    assert transitions(job) == ["Starting", "Downloading", "Training", "Uploading", "Completed"]
    for entry in job["SecondaryStatusTransitions"]:
        assert entry["StartTime"] <= entry["EndTime"] and entry["StatusMessage"]
    # One final value per metric definition of the algorithm, when it completed.
    assert [m["MetricName"] for m in job["FinalMetricDataList"]] == ["validation:accuracy", "train:loss"]
    assert all(0 <= m["Value"] < 1 and m["Timestamp"] == job["TrainingEndTime"] for m in job["FinalMetricDataList"])
    assert job["TrainingTimeInSeconds"] >= 1 and job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"]
    assert "FailureReason" not in job and "WarmPoolStatus" not in job and "TuningJobArn" not in job


def test_moto_defaults_kept_for_moto_based_tests(aws: Aws) -> None:
    """No MetricDefinitions: moto's default definition, so FinalMetricDataList has a
    metric (moto's tests read it); no StoppingCondition: SageMaker's one day."""
    sagemaker = aws.client("sagemaker")
    create_training_job(sagemaker, AlgorithmSpecification={"TrainingImage": "img:1", "TrainingInputMode": "File"},
                        StoppingCondition=None)
    job = describe_training_job(sagemaker)
    assert job["AlgorithmSpecification"]["MetricDefinitions"][0]["Name"] == "test:dcg"
    assert [m["MetricName"] for m in job["FinalMetricDataList"]] == ["test:dcg"]
    assert job["StoppingCondition"] == {"MaxRuntimeInSeconds": 86400}


def test_every_primary_and_secondary_status_with_manual_progression(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TRAINING, "manual", times=2)
    create_training_job(sagemaker)

    seen = []
    for _ in range(12):
        job = describe_training_job(sagemaker)
        seen.append(statuses(job))
        if job["TrainingJobStatus"] == "InProgress":
            assert "TrainingEndTime" not in job and "FinalMetricDataList" not in job
            assert "TrainingTimeInSeconds" not in job and "BillableTimeInSeconds" not in job
            # The transition in course has no EndTime; every earlier one has.
            assert "EndTime" not in job["SecondaryStatusTransitions"][-1]
            assert all("EndTime" in entry for entry in job["SecondaryStatusTransitions"][:-1])
            assert transitions(job)[-1] == job["SecondaryStatus"]
    assert list(dict.fromkeys(seen)) == [
        ("InProgress", "Starting"),
        ("InProgress", "Downloading"),
        ("InProgress", "Training"),
        ("InProgress", "Uploading"),
        ("Completed", "Completed"),
    ]
    starting = describe_training_job(sagemaker)
    assert "TrainingStartTime" in starting and starting["FinalMetricDataList"]
    listed = sagemaker.list_training_jobs()["TrainingJobSummaries"]
    assert [(j["TrainingJobStatus"], j["SecondaryStatus"]) for j in listed] == [("Completed", "Completed")]


def test_starting_has_no_training_start_time(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TRAINING, "manual", times=100)
    create_training_job(sagemaker)
    job = describe_training_job(sagemaker)
    assert statuses(job) == ("InProgress", "Starting") and "TrainingStartTime" not in job
    assert aws.control.advance(TRAINING, "train-1") == "Downloading"
    assert describe_training_job(sagemaker)["TrainingStartTime"] >= job["CreationTime"]


def test_stop_mid_training(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TRAINING, "manual", times=100)
    create_training_job(sagemaker)
    assert aws.control.advance(TRAINING, "train-1", steps=2) == "Training"

    sagemaker.stop_training_job(TrainingJobName="train-1")
    stopping = describe_training_job(sagemaker)
    assert statuses(stopping) == ("Stopping", "Stopping")
    assert transitions(stopping) == ["Starting", "Downloading", "Training", "Stopping"]
    assert "TrainingEndTime" not in stopping
    with pytest.raises(ClientError) as info:
        sagemaker.stop_training_job(TrainingJobName="train-1")
    assert error_of(info)[:2] == ("ValidationException", 400) and "Stopping" in error_of(info)[2]

    assert aws.control.advance(TRAINING, "train-1") == "Stopped"
    stopped = describe_training_job(sagemaker)
    assert statuses(stopped) == ("Stopped", "Stopped")
    assert transitions(stopped) == ["Starting", "Downloading", "Training", "Stopping", "Stopped"]
    assert stopped["TrainingEndTime"] == stopped["LastModifiedTime"]
    # Billed for the time it trained; no final metrics, no failure.
    assert stopped["BillableTimeInSeconds"] >= 1
    assert "FinalMetricDataList" not in stopped and "FailureReason" not in stopped
    assert [j["TrainingJobStatus"] for j in sagemaker.list_training_jobs(StatusEquals="Stopped")[
        "TrainingJobSummaries"]] == ["Stopped"]


def test_fail_with_a_chosen_reason(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    reason = "AlgorithmError: ExecuteUserScriptError: Command \"/usr/bin/python3 train.py\" exit status 1"
    aws.control.fail(TRAINING, reason, job="train-1")
    create_training_job(sagemaker)
    job = describe_training_job(sagemaker)
    assert statuses(job) == ("Failed", "Failed")
    assert job["FailureReason"] == reason
    assert transitions(job)[-1] == "Failed" and transitions(job)[0] == "Starting"
    assert "FinalMetricDataList" not in job
    assert job["TrainingEndTime"] == job["LastModifiedTime"]
    # A rule for one job leaves the others alone.
    create_training_job(sagemaker, "train-2")
    assert describe_training_job(sagemaker, "train-2")["TrainingJobStatus"] == "Completed"
    failed = sagemaker.list_training_jobs(StatusEquals="Failed")["TrainingJobSummaries"]
    assert [j["TrainingJobName"] for j in failed] == ["train-1"]


def test_fail_a_running_job_by_arn(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(TRAINING, "manual", times=100)
    arn = create_training_job(sagemaker)
    aws.control.advance(TRAINING, "train-1", steps=2)
    aws.control.fail(TRAINING, "CapacityError: Unable to provision requested ML compute capacity", job=arn)
    assert aws.control.advance(TRAINING, arn, steps=5) == "Failed"
    assert describe_training_job(sagemaker)["FailureReason"].startswith("CapacityError")


def test_stop_and_delete_rules(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_training_job(sagemaker)
    with pytest.raises(ClientError) as info:
        sagemaker.stop_training_job(TrainingJobName="train-1")
    assert error_of(info)[0] == "ValidationException" and "Completed" in error_of(info)[2]

    aws.control.set_progression(TRAINING, "manual", times=100)
    create_training_job(sagemaker, "running")
    with pytest.raises(ClientError) as info:
        sagemaker.delete_training_job(TrainingJobName="running")
    assert error_of(info)[0] == "ValidationException" and "InProgress" in error_of(info)[2]

    sagemaker.delete_training_job(TrainingJobName="train-1")
    with pytest.raises(ClientError) as info:
        sagemaker.describe_training_job(TrainingJobName="train-1")
    assert error_of(info) == (
        "ValidationException", 400,
        f"Could not find training job 'arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/train-1'.",
    )
    assert [j["TrainingJobName"] for j in sagemaker.list_training_jobs()["TrainingJobSummaries"]] == ["running"]
    # The name is free again.
    create_training_job(sagemaker)
    for call in (sagemaker.stop_training_job, sagemaker.delete_training_job):
        with pytest.raises(ClientError) as info:
            call(TrainingJobName="missing")
        assert error_of(info)[0] == "ValidationException" and "missing" in error_of(info)[2]


def test_create_errors_change_nothing(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    create_training_job(sagemaker)
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create_training_job(sagemaker)
    for overrides, words in [
        ({"AlgorithmSpecification": {**ALGORITHM, "AlgorithmName": "arn:aws:sagemaker:us-east-1:1:algorithm/a"}},
         "AlgorithmName"),
        ({"AlgorithmSpecification": None}, "AlgorithmSpecification"),
        ({"ResourceConfig": None}, "ResourceConfig"),
        ({"EnableManagedSpotTraining": True}, "MaxWaitTimeInSeconds"),
        ({"StoppingCondition": {"MaxRuntimeInSeconds": 600, "MaxWaitTimeInSeconds": 60}}, "MaxWaitTimeInSeconds"),
        ({"TrainingJobName": "bad_name"}, "TrainingJobName"),
        ({"OutputDataConfig": None}, "OutputDataConfig"),
        ({"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}, "Tags"),
    ]:
        name = overrides.pop("TrainingJobName", "rejected")
        with pytest.raises(ClientError) as info:
            create_training_job(sagemaker, name, **overrides)
        code, status, message = error_of(info)
        assert (code, status) == ("ValidationException", 400) and words in message, message
    assert [j["TrainingJobName"] for j in sagemaker.list_training_jobs()["TrainingJobSummaries"]] == ["train-1"]


def test_warm_pool_available_reused_terminated(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    pooled = {**RESOURCES, "KeepAlivePeriodInSeconds": 600}
    start = datetime(2026, 5, 4, 10, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        decorator_aws.control.set_progression(TRAINING, "manual", times=100)
        create_training_job(sagemaker, "first", ResourceConfig=pooled)
        assert describe_training_job(sagemaker, "first")["WarmPoolStatus"] == {"Status": "InUse"}
        decorator_aws.control.reset_progression(TRAINING)
        assert describe_training_job(sagemaker, "first")["WarmPoolStatus"] == {"Status": "Available"}
        listed = sagemaker.list_training_jobs(WarmPoolStatusEquals="Available")["TrainingJobSummaries"]
        assert [j["TrainingJobName"] for j in listed] == ["first"]

        # A matching job made while the pool is Available reuses it.
        clock.tick(timedelta(seconds=120))
        create_training_job(sagemaker, "second", ResourceConfig=pooled)
        assert describe_training_job(sagemaker, "first")["WarmPoolStatus"] == {
            "Status": "Reused", "ResourceRetainedBillableTimeInSeconds": 120, "ReusedByJob": "second"}
        # Another instance type does not match: it gets no pool of another's.
        create_training_job(sagemaker, "third", ResourceConfig={**pooled, "InstanceType": "ml.c5.xlarge"})
        assert describe_training_job(sagemaker, "second")["WarmPoolStatus"] == {"Status": "Available"}

        # The keep-alive period over, the pool is terminated.
        clock.tick(timedelta(seconds=601))
        assert describe_training_job(sagemaker, "third")["WarmPoolStatus"] == {
            "Status": "Terminated", "ResourceRetainedBillableTimeInSeconds": 600}
        assert sagemaker.list_training_jobs(WarmPoolStatusEquals="Available")["TrainingJobSummaries"] == []
        terminated = sagemaker.list_training_jobs(WarmPoolStatusEquals="Terminated")["TrainingJobSummaries"]
        assert sorted(j["TrainingJobName"] for j in terminated) == ["second", "third"]


def test_update_keep_alive_and_profiler(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_training_job(sagemaker, "pooled", ResourceConfig={**RESOURCES, "KeepAlivePeriodInSeconds": 600})
    arn = sagemaker.update_training_job(TrainingJobName="pooled",
                                        ResourceConfig={"KeepAlivePeriodInSeconds": 1200})["TrainingJobArn"]
    assert arn.endswith("training-job/pooled")
    assert describe_training_job(sagemaker, "pooled")["ResourceConfig"]["KeepAlivePeriodInSeconds"] == 1200
    # Zero ends the pool now.
    sagemaker.update_training_job(TrainingJobName="pooled", ResourceConfig={"KeepAlivePeriodInSeconds": 0})
    job = describe_training_job(sagemaker, "pooled")
    assert job["WarmPoolStatus"]["Status"] == "Terminated" and "KeepAlivePeriodInSeconds" not in job["ResourceConfig"]

    # A job without a pool has no keep-alive to update; a finished one no profiler.
    create_training_job(sagemaker)
    for kwargs in ({"ResourceConfig": {"KeepAlivePeriodInSeconds": 60}},
                   {"ProfilerConfig": {"ProfilingIntervalInMilliseconds": 500}}):
        with pytest.raises(ClientError) as info:
            sagemaker.update_training_job(TrainingJobName="train-1", **kwargs)
        assert error_of(info)[0] == "ValidationException"
    aws.control.set_progression(TRAINING, "manual", times=100)
    create_training_job(sagemaker, "running")
    profiler = {"S3OutputPath": "s3://my-bucket/profiler", "ProfilingIntervalInMilliseconds": 500}
    sagemaker.update_training_job(TrainingJobName="running", ProfilerConfig=profiler)
    assert describe_training_job(sagemaker, "running")["ProfilerConfig"] == profiler
    with pytest.raises(ClientError) as info:
        sagemaker.update_training_job(TrainingJobName="missing", ProfilerConfig=profiler)
    assert error_of(info)[0] == "ValidationException"


def test_time_progression_and_seconds(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    decorator_aws.control.set_progression(TRAINING, "time", seconds=60)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_training_job(sagemaker)
        clock.tick(timedelta(seconds=150))
        assert describe_training_job(sagemaker)["SecondaryStatus"] == "Training"
        clock.tick(timedelta(seconds=1000))
        job = describe_training_job(sagemaker)
    assert statuses(job) == ("Completed", "Completed")
    assert job["TrainingStartTime"] == start + timedelta(seconds=60)
    assert job["TrainingEndTime"] == start + timedelta(seconds=240)
    assert job["TrainingTimeInSeconds"] == job["BillableTimeInSeconds"] == 180
    assert [entry["StartTime"] for entry in job["SecondaryStatusTransitions"]] == [
        start + timedelta(seconds=60 * i) for i in range(5)]


def test_list_filters_sorts_and_pages(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        for name in ["xgboost-b", "vgg-a", "xgboost-a", "vgg-b"]:
            create_training_job(sagemaker, name)
            clock.tick(timedelta(minutes=1))
        decorator_aws.control.fail(TRAINING, "boom", job="failing")
        create_training_job(sagemaker, "failing")

    def listed(**params: object) -> list[str]:
        return [j["TrainingJobName"] for j in sagemaker.list_training_jobs(**params)["TrainingJobSummaries"]]

    assert listed() == ["xgboost-b", "vgg-a", "xgboost-a", "vgg-b", "failing"]
    assert listed(SortOrder="Descending") == ["failing", "vgg-b", "xgboost-a", "vgg-a", "xgboost-b"]
    assert listed(SortBy="Name") == ["failing", "vgg-a", "vgg-b", "xgboost-a", "xgboost-b"]
    assert listed(SortBy="Status")[-1] == "failing"  # Completed before Failed
    assert listed(SortBy="Status", SortOrder="Descending")[0] == "failing"
    assert listed(NameContains="xgboost") == ["xgboost-b", "xgboost-a"]
    assert listed(StatusEquals="Failed") == ["failing"]
    assert listed(CreationTimeAfter=start + timedelta(seconds=30),
                  CreationTimeBefore=start + timedelta(minutes=2, seconds=30)) == ["vgg-a", "xgboost-a"]
    assert listed(LastModifiedTimeBefore=start) == []
    assert listed(TrainingPlanArnEquals="arn:aws:sagemaker:us-east-1:123456789012:training-plan/p") == []

    first = sagemaker.list_training_jobs(MaxResults=2, SortBy="Name")
    assert [j["TrainingJobName"] for j in first["TrainingJobSummaries"]] == ["failing", "vgg-a"]
    paged = [j["TrainingJobName"] for page in sagemaker.get_paginator("list_training_jobs").paginate(
        SortBy="Name", PaginationConfig={"PageSize": 2}) for j in page["TrainingJobSummaries"]]
    assert paged == ["failing", "vgg-a", "vgg-b", "xgboost-a", "xgboost-b"]
    with pytest.raises(ClientError) as info:
        sagemaker.list_training_jobs(NextToken="asdf")
    assert error_of(info)[0] == "ValidationException" and "NextToken" in error_of(info)[2]
    # A token of one sort is not one of another.
    with pytest.raises(ClientError):
        sagemaker.list_training_jobs(MaxResults=2, NextToken=first["NextToken"])


def test_list_validates_its_input(aws: Aws) -> None:
    """moto's test_list_training_jobs_should_validate_input, with SageMaker's messages."""
    sagemaker = aws.client("sagemaker", validate=False)
    with pytest.raises(ClientError) as info:
        sagemaker.list_training_jobs(StatusEquals="blah")
    assert error_of(info)[0] == "ValidationException" and "StatusEquals" in error_of(info)[2]
    with pytest.raises(ClientError) as info:
        sagemaker.list_training_jobs(SortBy="Size")
    assert error_of(info)[0] == "ValidationException"


@pytest.mark.parametrize("progression", ["immediate", "manual", "time"])
def test_the_waiter_under_every_progression(aws: Aws, progression: str) -> None:
    sagemaker = aws.client("sagemaker")
    if progression != "immediate":
        aws.control.set_progression(TRAINING, progression, times=1, seconds=0.05)  # type: ignore[arg-type]
    create_training_job(sagemaker)
    waiter = sagemaker.get_waiter("training_job_completed_or_stopped")
    waiter.wait(TrainingJobName="train-1", WaiterConfig={"Delay": 0.1, "MaxAttempts": 30})
    assert describe_training_job(sagemaker)["TrainingJobStatus"] == "Completed"

    # Stopped is an end too; Failed makes the waiter fail with the reason.
    aws.control.set_progression(TRAINING, "manual", times=100)
    create_training_job(sagemaker, "stopped")
    sagemaker.stop_training_job(TrainingJobName="stopped")
    aws.control.advance(TRAINING, "stopped")
    waiter.wait(TrainingJobName="stopped", WaiterConfig={"Delay": 0.1, "MaxAttempts": 3})
    aws.control.reset_progression(TRAINING)
    aws.control.fail(TRAINING, "AlgorithmError: out of memory", job="failing")
    create_training_job(sagemaker, "failing")
    with pytest.raises(Exception) as failed:
        waiter.wait(TrainingJobName="failing", WaiterConfig={"Delay": 0.1, "MaxAttempts": 3})
    assert "Failed" in str(failed.value)


def test_tags_of_training_jobs(aws: Aws) -> None:
    """moto's test_add_tags_to_training_job / test_delete_tags_from_training_job."""
    sagemaker = aws.client("sagemaker")
    arn = create_training_job(sagemaker, Tags=[{"Key": "team", "Value": "ml"}])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "myKey", "Value": "myValue"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "ml"}, {"Key": "myKey", "Value": "myValue"}]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team", "myKey"])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []
    with pytest.raises(ClientError) as info:
        sagemaker.list_tags(ResourceArn=arn.replace("train-1", "gone"))
    assert error_of(info)[0] == "ValidationException"


def test_jobs_are_kept_per_account_and_region(aws: Aws) -> None:
    here = aws.client("sagemaker")
    there = aws.client("sagemaker", region="eu-west-1")
    other = aws.client_for_account("sagemaker", "210987654321")
    create_training_job(here)
    arn = create_training_job(there)  # the same name, elsewhere
    assert ":eu-west-1:" in arn
    create_training_job(other, "theirs")
    assert [j["TrainingJobName"] for j in here.list_training_jobs()["TrainingJobSummaries"]] == ["train-1"]
    assert [j["TrainingJobName"] for j in other.list_training_jobs()["TrainingJobSummaries"]] == ["theirs"]
    with pytest.raises(ClientError):
        here.describe_training_job(TrainingJobName="theirs")
    here.delete_training_job(TrainingJobName="train-1")
    assert describe_training_job(there)["TrainingJobStatus"] == "Completed"
