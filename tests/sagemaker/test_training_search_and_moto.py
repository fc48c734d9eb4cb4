"""Search, tags and the Resource Groups Tagging API on training, processing, transform and
tuning jobs, with moto's SageMaker (models, endpoints, pipelines, experiments, Search of its own
resources) answering beside them, in-process and against the server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.sagemaker.models import sagemaker_backends as moto_sagemaker_backends

from tests.modes import ACCOUNT, REGION, Aws

from .helpers import ROLE, error_of
from .job_helpers import (
    TRAINING,
    create_processing_job,
    create_training_job,
    create_transform_job,
    create_tuning_job,
)


def found(sagemaker: Any, resource: str = "TrainingJob", **params: Any) -> list[str]:
    results = sagemaker.search(Resource=resource, **params)["Results"]
    member = "TrainingJobName" if resource == "TrainingJob" else "HyperParameterTuningJobName"
    return [r[resource][member] for r in results]


def where(*filters: dict[str, str], **expression: Any) -> dict[str, Any]:
    return {"SearchExpression": {"Filters": list(filters), **expression}}


def test_search_training_jobs(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    start = datetime(2026, 2, 1, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_training_job(sagemaker, "small", HyperParameters={"epochs": "5"}, Tags=[{"Key": "team", "Value": "a"}])
        clock.tick(timedelta(minutes=1))
        create_training_job(sagemaker, "large", HyperParameters={"epochs": "50"}, Tags=[{"Key": "team", "Value": "b"}],
                            InputDataConfig=[{"ChannelName": "validation", "DataSource": {"S3DataSource": {
                                "S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/validation/"}}}])
        clock.tick(timedelta(minutes=1))
        decorator_aws.control.fail(TRAINING, "boom", job="broken")
        create_training_job(sagemaker, "broken")

    # Newest first by default (LastModifiedTime, Descending).
    assert found(sagemaker) == ["broken", "large", "small"]
    assert found(sagemaker, SortBy="TrainingJobName", SortOrder="Ascending") == ["broken", "large", "small"]
    assert found(sagemaker, **where({"Name": "Tags.team", "Operator": "Equals", "Value": "a"})) == ["small"]
    assert found(sagemaker, **where({"Name": "TrainingJobStatus", "Value": "Failed"})) == ["broken"]
    assert found(sagemaker, **where({"Name": "TrainingJobStatus", "Operator": "NotEquals", "Value": "Failed"})) == [
        "large", "small"]
    assert found(sagemaker, **where({"Name": "TrainingJobName", "Operator": "Contains", "Value": "a"})) == [
        "large", "small"]
    assert found(sagemaker, **where({"Name": "HyperParameters.epochs", "Operator": "In", "Value": "5,50"})) == [
        "large", "small"]
    assert found(sagemaker, **where({"Name": "FailureReason", "Operator": "Exists"})) == ["broken"]
    assert found(sagemaker, **where({"Name": "Tags.team", "Operator": "NotExists"})) == ["broken"]
    after = (start + timedelta(seconds=30)).isoformat()
    assert found(sagemaker, **where({"Name": "CreationTime", "Operator": "GreaterThan", "Value": after})) == [
        "broken", "large"]
    assert found(sagemaker, **where({"Name": "ResourceConfig.InstanceCount", "Operator": "LessThanOrEqualTo",
                                     "Value": "1"})) == ["broken", "large", "small"]
    nested = {"NestedFilters": [{"NestedPropertyName": "InputDataConfig", "Filters": [
        {"Name": "InputDataConfig.ChannelName", "Operator": "Equals", "Value": "validation"}]}]}
    assert found(sagemaker, SearchExpression=nested) == ["large"]
    either = {"SubExpressions": [{"Filters": [{"Name": "Tags.team", "Value": "a"}]},
                                 {"Filters": [{"Name": "Tags.team", "Value": "b"}]}], "Operator": "Or"}
    assert found(sagemaker, SearchExpression=either) == ["large", "small"]
    both = {"SubExpressions": either["SubExpressions"], "Operator": "And"}
    assert found(sagemaker, SearchExpression=both) == []

    first = sagemaker.search(Resource="TrainingJob", MaxResults=2)
    assert [r["TrainingJob"]["TrainingJobName"] for r in first["Results"]] == ["broken", "large"]
    rest = sagemaker.search(Resource="TrainingJob", MaxResults=2, NextToken=first["NextToken"])
    assert [r["TrainingJob"]["TrainingJobName"] for r in rest["Results"]] == ["small"] and "NextToken" not in rest
    record = sagemaker.search(Resource="TrainingJob", **where({"Name": "TrainingJobName", "Value": "small"}))[
        "Results"][0]["TrainingJob"]
    assert record["Tags"] == [{"Key": "team", "Value": "a"}] and record["TrainingJobStatus"] == "Completed"
    with pytest.raises(ClientError) as info:
        sagemaker.search(Resource="TrainingJob", NextToken="nope")
    assert error_of(info)[0] == "ValidationException"


def test_search_tuning_jobs_and_motos_own_resources(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_tuning_job(sagemaker, Tags=[{"Key": "team", "Value": "ml"}])
    create_tuning_job(sagemaker, "tune-2")
    assert found(sagemaker, "HyperParameterTuningJob", **where({"Name": "Tags.team", "Value": "ml"})) == ["tune-1"]
    assert found(sagemaker, "HyperParameterTuningJob", SortBy="HyperParameterTuningJobName",
                 SortOrder="Ascending") == ["tune-1", "tune-2"]
    # A tuning job's training jobs are found as training jobs.
    assert len(found(sagemaker, **where({"Name": "TrainingJobName", "Operator": "Contains", "Value": "tune-1-"}))) == 4

    # moto's Search still answers for moto's resources (moto's test_search).
    sagemaker.create_experiment(ExperimentName="experiment-1")
    experiments = sagemaker.search(Resource="Experiment")["Results"]
    assert [r["Experiment"]["ExperimentName"] for r in experiments] == ["experiment-1"]


def test_resource_groups_tagging_api_sees_every_job_kind(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    tagging = aws.client("resourcegroupstaggingapi")
    model_arn = sagemaker.create_model(
        ModelName="model-1", ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "111111111111.dkr.ecr.us-east-1.amazonaws.com/serve:1"})["ModelArn"]
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "team", "Value": "ml"}])
    tag = [{"Key": "team", "Value": "ml"}]
    arns = {
        "sagemaker:training-job": create_training_job(sagemaker, Tags=tag),
        "sagemaker:processing-job": create_processing_job(sagemaker, Tags=tag),
        "sagemaker:transform-job": create_transform_job(sagemaker, Tags=tag),
        "sagemaker:hyper-parameter-tuning-job": create_tuning_job(sagemaker, Tags=tag),
    }

    def mapping(**filters: Any) -> set[str]:
        return {r["ResourceARN"] for r in tagging.get_resources(**filters)["ResourceTagMappingList"]}

    # The tuning job's training jobs carry its tags.
    launched = {j["TrainingJobArn"] for j in sagemaker.list_training_jobs(NameContains="tune-1-")["TrainingJobSummaries"]}
    assert len(launched) == 4
    assert mapping(TagFilters=[{"Key": "team", "Values": ["ml"]}]) == set(arns.values()) | {model_arn} | launched
    for resource_type, arn in arns.items():
        expected = {arn} | (launched if resource_type == "sagemaker:training-job" else set())
        assert mapping(ResourceTypeFilters=[resource_type]) == expected
    assert tagging.tag_resources(ResourceARNList=list(arns.values()), Tags={"cost": "x"})["FailedResourcesMap"] == {}
    for arn in arns.values():
        assert {t["Key"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]} == {"team", "cost"}
    tagging.untag_resources(ResourceARNList=[arns["sagemaker:training-job"]], TagKeys=["team"])
    assert sagemaker.list_tags(ResourceArn=arns["sagemaker:training-job"])["Tags"] == [{"Key": "cost", "Value": "x"}]


def test_motos_models_endpoints_and_experiments_beside_our_jobs(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    create_training_job(sagemaker)
    create_processing_job(sagemaker)
    create_transform_job(sagemaker)
    sagemaker.create_model(ModelName="model-1", ExecutionRoleArn=ROLE, PrimaryContainer={
        "Image": "111111111111.dkr.ecr.us-east-1.amazonaws.com/serve:1",
        "ModelDataUrl": "s3://my-bucket/training/train-1/output/model.tar.gz"})
    sagemaker.create_endpoint_config(EndpointConfigName="config-1", ProductionVariants=[{
        "VariantName": "main", "ModelName": "model-1", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
    sagemaker.create_endpoint(EndpointName="endpoint-1", EndpointConfigName="config-1")
    sagemaker.create_experiment(ExperimentName="experiment-1")
    definition = {"Version": "2020-12-01", "Steps": [{"Name": "train", "Type": "Training", "Arguments": {}}]}
    sagemaker.create_pipeline(PipelineName="pipeline-1", RoleArn=ROLE, PipelineDefinition=json.dumps(definition))
    assert [p["PipelineName"] for p in sagemaker.list_pipelines()["PipelineSummaries"]] == ["pipeline-1"]
    assert sagemaker.start_pipeline_execution(PipelineName="pipeline-1")["PipelineExecutionArn"]
    assert sagemaker.describe_endpoint(EndpointName="endpoint-1")["EndpointConfigName"] == "config-1"
    assert [m["ModelName"] for m in sagemaker.list_models()["Models"]] == ["model-1"]
    assert [e["ExperimentName"] for e in sagemaker.list_experiments()["ExperimentSummaries"]] == ["experiment-1"]
    # moto's own job stores stay empty: the jobs are ours.
    moto = moto_sagemaker_backends[ACCOUNT][REGION]
    assert (moto.training_jobs, moto.processing_jobs, moto.transform_jobs) == ({}, {}, {})
    assert sagemaker.describe_training_job(TrainingJobName="train-1")["TrainingJobStatus"] == "Completed"


@pytest.mark.regression("A Search whose Resource was not a string crashed the shared-host routing (a 500)")
def test_search_with_a_resource_that_is_not_a_string(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    create_training_job(sagemaker)
    for resource in (["TrainingJob"], {"a": 1}, 7):
        with pytest.raises(ClientError) as info:
            sagemaker.search(Resource=resource)
        code, status, message = error_of(info)
        assert (code, status) == ("ValidationException", 400) and "Resource" in message
