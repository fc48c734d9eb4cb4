"""Bedrock model customization jobs and custom models through boto3, in-process and
against the server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from freezegun import freeze_time

from tests.modes import ACCOUNT, Aws

KIND = "bedrock::model-customization-job"
MODEL_KIND = "bedrock::custom-model"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-customization"
BASE = "amazon.titan-text-express-v1:0:8k"
BASE_ARN = f"arn:aws:bedrock:us-east-1::foundation-model/{BASE}"
TRAINING = {"s3Uri": "s3://training-bucket/train.jsonl"}
OUTPUT = {"s3Uri": "s3://output-bucket/out/"}
JOB_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:model-customization-job/{re.escape(BASE)}/[a-z0-9]{{12}}$")
MODEL_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model/{re.escape(BASE)}/[a-z0-9]{{12}}$")


def create_job(client: Any, name: str = "tune-1", model: str = "model-1", **extra: Any) -> Any:
    params = {
        "jobName": name,
        "customModelName": model,
        "roleArn": ROLE,
        "baseModelIdentifier": BASE,
        "trainingDataConfig": TRAINING,
        "outputDataConfig": OUTPUT,
        **extra,
    }
    return client.create_model_customization_job(**params)


def test_completed_job_creates_its_custom_model(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    created = create_job(
        bedrock,
        hyperParameters={"epochCount": "4", "batchSize": "8", "learningRate": "0.00001"},
        validationDataConfig={"validators": [{"s3Uri": "s3://training-bucket/validate.jsonl"}]},
        jobTags=[{"key": "team", "value": "ml"}],
        customModelTags=[{"key": "stage", "value": "dev"}],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert JOB_ARN.match(created["jobArn"])

    job = bedrock.get_model_customization_job(jobIdentifier="tune-1")
    assert job["status"] == "Completed"
    assert job["jobArn"] == created["jobArn"]
    assert job["outputModelName"] == "model-1"
    assert job["baseModelArn"] == BASE_ARN
    assert job["customizationType"] == "FINE_TUNING"
    assert job["hyperParameters"] == {"epochCount": "4", "batchSize": "8", "learningRate": "0.00001"}
    assert job["trainingDataConfig"] == TRAINING
    assert job["outputDataConfig"] == OUTPUT
    assert job["trainingMetrics"] == {"trainingLoss": 0.2}
    assert len(job["validationMetrics"]) == 1
    assert job["statusDetails"]["trainingDetails"]["status"] == "Completed"
    assert job["creationTime"] <= job["endTime"] == job["lastModifiedTime"]
    assert "failureMessage" not in job
    assert MODEL_ARN.match(job["outputModelArn"])

    model = bedrock.get_custom_model(modelIdentifier="model-1")
    assert model["modelArn"] == job["outputModelArn"]
    assert model["modelStatus"] == "Active"
    assert model["jobArn"] == job["jobArn"]
    assert model["jobName"] == "tune-1"
    assert model["baseModelArn"] == BASE_ARN
    assert model["customizationType"] == "FINE_TUNING"
    assert model["trainingMetrics"] == job["trainingMetrics"]
    assert model["validationMetrics"] == job["validationMetrics"]
    assert model["outputDataConfig"] == OUTPUT
    assert model["creationTime"] == job["endTime"]
    assert bedrock.get_custom_model(modelIdentifier=model["modelArn"])["modelName"] == "model-1"

    assert bedrock.list_tags_for_resource(resourceARN=job["jobArn"])["tags"] == [{"key": "team", "value": "ml"}]
    assert bedrock.list_tags_for_resource(resourceARN=model["modelArn"])["tags"] == [{"key": "stage", "value": "dev"}]
    listed = bedrock.list_model_customization_jobs()["modelCustomizationJobSummaries"]
    assert [(j["jobName"], j["customModelArn"], j["customModelName"]) for j in listed] == [
        ("tune-1", model["modelArn"], "model-1")
    ]


def test_manual_progression_stop_and_failure(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    create_job(bedrock)
    job = bedrock.get_model_customization_job(jobIdentifier="tune-1")
    assert job["status"] == "InProgress"
    assert "failureMessage" not in job and "endTime" not in job and "trainingMetrics" not in job
    assert job["statusDetails"]["trainingDetails"]["status"] == "InProgress"
    assert bedrock.list_custom_models()["modelSummaries"] == []
    # The model name is claimed while the job runs.
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, name="tune-2", model="model-1")

    bedrock.stop_model_customization_job(jobIdentifier="tune-1")
    assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["status"] == "Stopping"
    assert aws.control.advance(KIND, "tune-1") == "Stopped"
    job = bedrock.get_model_customization_job(jobIdentifier="tune-1")
    assert job["status"] == "Stopped" and "endTime" in job
    assert bedrock.list_custom_models()["modelSummaries"] == []
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.stop_model_customization_job(jobIdentifier="tune-1")
    assert "Stopped" in str(info.value)

    aws.control.fail(KIND, "training data is malformed", job="tune-3")
    create_job(bedrock, name="tune-3", model="model-3")
    assert aws.control.advance(KIND, "tune-3") == "Failed"
    job = bedrock.get_model_customization_job(jobIdentifier="tune-3")
    assert (job["status"], job["failureMessage"]) == ("Failed", "training data is malformed")
    assert "outputModelArn" not in job
    assert bedrock.list_custom_models()["modelSummaries"] == []

    create_job(bedrock, name="tune-4", model="model-4")
    assert aws.control.advance(KIND, "tune-4") == "Completed"
    assert bedrock.get_custom_model(modelIdentifier="model-4")["jobName"] == "tune-4"


def test_time_progression_with_freezegun(decorator_aws: Aws) -> None:
    bedrock = decorator_aws.client("bedrock")
    decorator_aws.control.set_progression(KIND, "time", seconds=3600)
    start = datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_job(bedrock)
        assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["status"] == "InProgress"
        clock.tick(timedelta(seconds=3601))
        job = bedrock.get_model_customization_job(jobIdentifier="tune-1")
    assert job["status"] == "Completed"
    assert job["endTime"] == start + timedelta(seconds=3600)
    assert bedrock.get_custom_model(modelIdentifier="model-1")["creationTime"] == job["endTime"]


def test_hyperparameters_and_customization_types_are_checked(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    cases = [
        ({"hyperParameters": {"epochCount": "11"}}, "epochCount"),
        ({"hyperParameters": {"epochCount": "two"}}, "epochCount"),
        ({"hyperParameters": {"batchSize": "65"}}, "batchSize"),
        ({"hyperParameters": {"dropout": "0.1"}}, "dropout"),
        ({"customizationType": "DISTILLATION"}, "DISTILLATION"),
        ({"baseModelIdentifier": "amazon.nova-micro-v1:0:128k", "hyperParameters": {"batchSize": "1"}}, "batchSize"),
        ({"baseModelIdentifier": "amazon.titan-text-premier-v1:0:32k", "hyperParameters": {"batchSize": "2"}}, "batchSize"),
    ]
    for extra, words in cases:
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            create_job(bedrock, **extra)
        assert words in str(info.value)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert bedrock.list_model_customization_jobs()["modelCustomizationJobSummaries"] == []
    # In range, and a model whose hyperparameters the docs do not state, are accepted.
    create_job(bedrock, hyperParameters={"epochCount": "10", "learningRateWarmupSteps": "250"})
    create_job(bedrock, name="tune-2", model="model-2", baseModelIdentifier="meta.llama3-1-8b-instruct-v1:0:128k",
               hyperParameters={"anything": "1", "epochCount": "many"})
    assert bedrock.get_model_customization_job(jobIdentifier="tune-2")["trainingMetrics"]["trainingLoss"] > 0
    create_job(bedrock, name="tune-3", model="model-3", customizationType="CONTINUED_PRE_TRAINING")
    assert bedrock.get_custom_model(modelIdentifier="model-3")["customizationType"] == "CONTINUED_PRE_TRAINING"


def test_bad_input_is_refused_with_the_field_named(aws: Aws) -> None:
    bedrock = aws.client("bedrock", validate=False)
    for extra, field in [
        ({"jobName": "bad_name!"}, "jobName"),
        ({"customModelName": "x" * 64}, "customModelName"),
        ({"roleArn": "role"}, "roleArn"),
        ({"customizationType": "MAGIC"}, "customizationType"),
        ({"outputDataConfig": {"s3Uri": "http://nope"}}, "outputDataConfig.s3Uri"),
    ]:
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            create_job(bedrock, **extra)
        assert f"'{field}'" in str(info.value)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        create_job(bedrock, baseModelIdentifier="no-such-model")
    with pytest.raises(bedrock.exceptions.ValidationException):
        create_job(bedrock, baseModelIdentifier=BASE_ARN.replace("us-east-1", "eu-west-1"))
    for call, kwargs in [
        (bedrock.get_model_customization_job, {"jobIdentifier": "missing"}),
        (bedrock.stop_model_customization_job, {"jobIdentifier": "missing"}),
        (bedrock.get_custom_model, {"modelIdentifier": "missing"}),
        (bedrock.delete_custom_model, {"modelIdentifier": "missing"}),
    ]:
        with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as not_found:
            call(**kwargs)
        assert "missing" in str(not_found.value)
    for kwargs, field in [({"isOwned": "maybe"}, "isOwned"), ({"modelStatus": "Gone"}, "modelStatus"), ({"maxResults": 0}, "maxResults")]:
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            bedrock.list_custom_models(**kwargs)
        assert f"'{field}'" in str(info.value)
    assert bedrock.list_model_customization_jobs()["modelCustomizationJobSummaries"] == []


def test_names_unique_and_tokens_idempotent(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = create_job(bedrock, clientRequestToken="token-1")["jobArn"]
    assert create_job(bedrock, clientRequestToken="token-1")["jobArn"] == first
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, model="model-9", clientRequestToken="token-1")
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        create_job(bedrock, model="model-2")
    assert "tune-1" in str(info.value)
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        create_job(bedrock, name="tune-2")
    assert "model-1" in str(info.value)
    assert len(bedrock.list_model_customization_jobs()["modelCustomizationJobSummaries"]) == 1


def test_job_list_filters_and_pages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "broken", job="gamma-job")
    for name in ["alpha-job", "beta-job", "gamma-job", "delta-job"]:
        create_job(bedrock, name=name, model=name.replace("job", "model"))
    jobs = bedrock.list_model_customization_jobs
    newest = [j["jobName"] for j in jobs()["modelCustomizationJobSummaries"]]
    assert newest == ["delta-job", "gamma-job", "beta-job", "alpha-job"]
    oldest = jobs(sortBy="CreationTime", sortOrder="Ascending")["modelCustomizationJobSummaries"]
    assert [j["jobName"] for j in oldest] == newest[::-1]
    assert [j["jobName"] for j in jobs(statusEquals="Failed")["modelCustomizationJobSummaries"]] == ["gamma-job"]
    assert [j["jobName"] for j in jobs(nameContains="ta-")["modelCustomizationJobSummaries"]] == ["delta-job", "beta-job"]
    times = [j["creationTime"] for j in oldest]
    assert {j["jobName"] for j in jobs(creationTimeAfter=times[1])["modelCustomizationJobSummaries"]} == {"gamma-job", "delta-job"}
    assert [j["jobName"] for j in jobs(creationTimeBefore=times[1])["modelCustomizationJobSummaries"]] == ["alpha-job"]
    page = jobs(maxResults=3)
    assert [j["jobName"] for j in page["modelCustomizationJobSummaries"]] == newest[:3]
    rest = jobs(maxResults=3, nextToken=page["nextToken"])
    assert [j["jobName"] for j in rest["modelCustomizationJobSummaries"]] == ["alpha-job"]
    assert "nextToken" not in rest
    with pytest.raises(bedrock.exceptions.ValidationException):
        jobs(nextToken="not-a-token")
    walked = [
        j["jobName"]
        for p in bedrock.get_paginator("list_model_customization_jobs").paginate(PaginationConfig={"PageSize": 1})
        for j in p["modelCustomizationJobSummaries"]
    ]
    assert walked == newest


def test_custom_model_list_filters(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock, name="job-a", model="titan-alpha")
    create_job(bedrock, name="job-b", model="nova-beta", baseModelIdentifier="amazon.nova-lite-v1:0:300k")
    create_job(bedrock, name="job-c", model="titan-gamma")
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    bedrock.create_custom_model(
        modelName="from-s3", modelSourceConfig={"s3DataSource": {"s3Uri": "s3://weights-bucket/nova/"}}, roleArn=ROLE
    )
    models = bedrock.list_custom_models
    assert [m["modelName"] for m in models()["modelSummaries"]] == ["from-s3", "titan-gamma", "nova-beta", "titan-alpha"]
    # nameContains matches the model's name, not its job's.
    assert [m["modelName"] for m in models(nameContains="titan")["modelSummaries"]] == ["titan-gamma", "titan-alpha"]
    assert models(nameContains="job")["modelSummaries"] == []
    assert [m["modelName"] for m in models(baseModelArnEquals=BASE_ARN)["modelSummaries"]] == ["titan-gamma", "titan-alpha"]
    nova = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0:300k"
    assert [m["modelName"] for m in models(foundationModelArnEquals=nova)["modelSummaries"]] == ["nova-beta"]
    assert [m["modelName"] for m in models(modelStatus="Creating")["modelSummaries"]] == ["from-s3"]
    assert len(models(modelStatus="Active")["modelSummaries"]) == 3
    assert len(models(isOwned=True)["modelSummaries"]) == 4
    assert models(isOwned=False)["modelSummaries"] == []
    summary = models(nameContains="nova")["modelSummaries"][0]
    assert summary["ownerAccountId"] == ACCOUNT and summary["baseModelName"] == "amazon.nova-lite-v1"
    oldest = models(sortOrder="Ascending", maxResults=2)
    assert [m["modelName"] for m in oldest["modelSummaries"]] == ["titan-alpha", "nova-beta"]
    rest = models(sortOrder="Ascending", maxResults=2, nextToken=oldest["nextToken"])
    assert [m["modelName"] for m in rest["modelSummaries"]] == ["titan-gamma", "from-s3"]
    times = [m["creationTime"] for m in models(sortOrder="Ascending")["modelSummaries"]]
    assert [m["modelName"] for m in models(creationTimeBefore=times[1])["modelSummaries"]] == ["titan-alpha"]
    assert [m["modelName"] for m in models(creationTimeAfter=times[2])["modelSummaries"]] == ["from-s3"]


def test_create_custom_model_from_s3_weights(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    source = {"s3DataSource": {"s3Uri": "s3://weights-bucket/nova/"}}
    created = bedrock.create_custom_model(
        modelName="nova-own", modelSourceConfig=source, roleArn=ROLE, modelTags=[{"key": "k", "value": "v"}]
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert re.match(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model/imported/[a-z0-9]{{12}}$", created["modelArn"])
    model = bedrock.get_custom_model(modelIdentifier="nova-own")
    assert (model["modelStatus"], model["customizationType"]) == ("Creating", "IMPORTED")
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.delete_custom_model(modelIdentifier="nova-own")
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="pt", modelId="nova-own")
    assert aws.control.advance(MODEL_KIND, "nova-own") == "Active"
    assert bedrock.get_custom_model(modelIdentifier=created["modelArn"])["modelStatus"] == "Active"
    assert bedrock.list_tags_for_resource(resourceARN=created["modelArn"])["tags"] == [{"key": "k", "value": "v"}]
    bedrock.delete_custom_model(modelIdentifier="nova-own")
    assert bedrock.list_custom_models()["modelSummaries"] == []

    aws.control.fail(MODEL_KIND, "the weights are not a Nova checkpoint", job="bad-weights")
    bedrock.create_custom_model(modelName="bad-weights", modelSourceConfig=source, roleArn=ROLE)
    aws.control.advance(MODEL_KIND, "bad-weights")
    model = bedrock.get_custom_model(modelIdentifier="bad-weights")
    assert (model["modelStatus"], model["failureMessage"]) == ("Failed", "the weights are not a Nova checkpoint")

    # (Older botocore models the member as required and refuses the call itself.)
    unchecked = aws.client("bedrock", validate=False)
    with pytest.raises(unchecked.exceptions.ValidationException):
        unchecked.create_custom_model(modelName="no-source", roleArn=ROLE)
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.create_custom_model(modelName="bad-weights", modelSourceConfig=source, roleArn=ROLE)


def test_delete_custom_model_frees_its_name(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock)
    arn = bedrock.get_custom_model(modelIdentifier="model-1")["modelArn"]
    assert bedrock.delete_custom_model(modelIdentifier=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_custom_model(modelIdentifier="model-1")
    create_job(bedrock, name="tune-2")
    assert bedrock.get_custom_model(modelIdentifier="model-1")["jobName"] == "tune-2"


def test_tags_on_jobs_and_models(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    job_arn = create_job(bedrock)["jobArn"]
    model_arn = bedrock.get_custom_model(modelIdentifier="model-1")["modelArn"]
    for arn in (job_arn, model_arn):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
        bedrock.untag_resource(resourceARN=arn, tagKeys=["b"])
        assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "a", "value": "1"}]
    with pytest.raises(bedrock.exceptions.TooManyTagsException):
        bedrock.tag_resource(resourceARN=model_arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(200)])
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.list_tags_for_resource(resourceARN=model_arn[:-12] + "aaaaaaaaaaaa")


def test_a_custom_model_customized_further(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock)
    first = bedrock.get_custom_model(modelIdentifier="model-1")["modelArn"]
    create_job(bedrock, name="tune-2", model="model-2", baseModelIdentifier=first, hyperParameters={"epochCount": "1"})
    job = bedrock.get_model_customization_job(jobIdentifier="tune-2")
    # The job names the foundation model; the new model names the custom model it came from.
    assert job["baseModelArn"] == BASE_ARN
    assert JOB_ARN.match(job["jobArn"])
    second = bedrock.get_custom_model(modelIdentifier="model-2")
    assert second["baseModelArn"] == first
    assert MODEL_ARN.match(second["modelArn"])
    models = bedrock.list_custom_models
    assert [m["modelName"] for m in models(baseModelArnEquals=first)["modelSummaries"]] == ["model-2"]
    assert [m["modelName"] for m in models(baseModelArnEquals=BASE_ARN)["modelSummaries"]] == ["model-1"]
    assert [m["modelName"] for m in models(foundationModelArnEquals=BASE_ARN)["modelSummaries"]] == ["model-2", "model-1"]
    assert models(nameContains="model-2")["modelSummaries"][0]["baseModelName"] == "amazon.titan-text-express-v1"
    # The foundation model's hyperparameter ranges still hold.
    with pytest.raises(bedrock.exceptions.ValidationException):
        create_job(bedrock, name="tune-3", model="model-3", baseModelIdentifier="model-2", hyperParameters={"epochCount": "99"})
    # Served together: a throughput of the second model may move back to the first.
    bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="pt", modelId="model-2")
    bedrock.update_provisioned_model_throughput(provisionedModelId="pt", desiredModelId=first)
    assert bedrock.get_provisioned_model_throughput(provisionedModelId="pt")["modelArn"] == first


def test_auto_epochs_where_the_docs_allow_them(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock, baseModelIdentifier="amazon.titan-embed-image-v1:0", hyperParameters={"epochCount": "Auto"})
    assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["status"] == "Completed"
    with pytest.raises(bedrock.exceptions.ValidationException):
        create_job(bedrock, name="tune-2", model="model-2", hyperParameters={"epochCount": "Auto"})
