"""Bedrock model copy jobs through boto3, in-process and against the server: the request is
made in the target region and the copy appears there."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.bedrock.test_customization import create_job
from tests.modes import ACCOUNT, Aws

KIND = "bedrock::model-copy-job"
COPY_ARN = re.compile(rf"^arn:aws:bedrock:us-west-2:{ACCOUNT}:model-copy-job/[a-z0-9]{{12}}$")


def source_model(aws: Aws, name: str = "model-1") -> str:
    east = aws.client("bedrock")
    create_job(east, name=f"tune-{name}", model=name)
    return east.get_custom_model(modelIdentifier=name)["modelArn"]  # type: ignore[no-any-return]


def copy(west: Any, source: str, name: str = "model-1-copy", **extra: Any) -> str:
    return west.create_model_copy_job(sourceModelArn=source, targetModelName=name, **extra)["jobArn"]  # type: ignore[no-any-return]


def test_copy_lands_in_the_target_region(aws: Aws) -> None:
    source = source_model(aws)
    west = aws.client("bedrock", region="us-west-2")
    created = west.create_model_copy_job(
        sourceModelArn=source, targetModelName="model-1-copy", targetModelTags=[{"key": "copy", "value": "yes"}]
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert COPY_ARN.match(created["jobArn"])
    job = west.get_model_copy_job(jobArn=created["jobArn"])
    assert job["status"] == "Completed"
    assert job["sourceModelArn"] == source
    assert job["sourceModelName"] == "model-1"
    assert job["sourceAccountId"] == ACCOUNT
    assert job["targetModelName"] == "model-1-copy"
    assert job["targetModelTags"] == [{"key": "copy", "value": "yes"}]
    assert ":us-west-2:" in job["targetModelArn"]

    copied = west.get_custom_model(modelIdentifier="model-1-copy")
    assert copied["modelArn"] == job["targetModelArn"]
    assert copied["baseModelArn"] == "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1:0:8k"
    original = aws.client("bedrock").get_custom_model(modelIdentifier="model-1")
    assert copied["trainingMetrics"] == original["trainingMetrics"]
    assert copied["customizationType"] == original["customizationType"]
    assert west.list_tags_for_resource(resourceARN=copied["modelArn"])["tags"] == [{"key": "copy", "value": "yes"}]
    # The source region keeps only its own model; the target holds only the copy.
    assert [m["modelName"] for m in aws.client("bedrock").list_custom_models()["modelSummaries"]] == ["model-1"]
    assert [m["modelName"] for m in west.list_custom_models()["modelSummaries"]] == ["model-1-copy"]
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        aws.client("bedrock").get_model_copy_job(jobArn=created["jobArn"])


def test_manual_progression_and_failure(aws: Aws) -> None:
    source = source_model(aws)
    west = aws.client("bedrock", region="us-west-2")
    aws.control.set_progression(KIND, "manual", times=1000)
    job_arn = copy(west, source)
    job = west.get_model_copy_job(jobArn=job_arn)
    assert job["status"] == "InProgress"
    assert west.list_custom_models()["modelSummaries"] == []
    with pytest.raises(west.exceptions.ValidationException):
        copy(west, source)  # the name is being copied to
    assert aws.control.advance(KIND, job_arn) == "Completed"
    assert west.get_custom_model(modelIdentifier="model-1-copy")["modelStatus"] == "Active"

    aws.control.fail(KIND, "the KMS key is not usable in us-west-2")
    failed = copy(west, source, name="second-copy")
    aws.control.advance(KIND, failed)
    job = west.get_model_copy_job(jobArn=failed)
    assert (job["status"], job["failureMessage"]) == ("Failed", "the KMS key is not usable in us-west-2")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_custom_model(modelIdentifier="second-copy")


def test_bad_sources_are_refused(aws: Aws) -> None:
    source = source_model(aws)
    west = aws.client("bedrock", region="us-west-2")
    missing = source[:-12] + "aaaaaaaaaaaa"
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        copy(west, missing)
    with pytest.raises(west.exceptions.ValidationException):
        copy(west, "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k")
    with pytest.raises(west.exceptions.AccessDeniedException):
        copy(west, source.replace(ACCOUNT, "111111111111"))
    with pytest.raises(west.exceptions.ValidationException):
        west.get_model_copy_job(jobArn="not-an-arn")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_model_copy_job(jobArn=f"arn:aws:bedrock:us-west-2:{ACCOUNT}:model-copy-job/aaaaaaaaaaaa")
    assert west.list_model_copy_jobs()["modelCopyJobSummaries"] == []


def test_list_filters_and_pages(aws: Aws) -> None:
    first = source_model(aws, "model-1")
    second = source_model(aws, "model-2")
    west = aws.client("bedrock", region="us-west-2")
    jobs = [copy(west, first, "alpha-copy"), copy(west, second, "beta-copy"), copy(west, first, "gamma-copy")]
    listing = west.list_model_copy_jobs
    assert [j["jobArn"] for j in listing()["modelCopyJobSummaries"]] == jobs[::-1]
    assert [j["jobArn"] for j in listing(sortOrder="Ascending")["modelCopyJobSummaries"]] == jobs
    assert [j["targetModelName"] for j in listing(sourceModelArnEquals=first)["modelCopyJobSummaries"]] == ["gamma-copy", "alpha-copy"]
    assert len(listing(sourceAccountEquals=ACCOUNT)["modelCopyJobSummaries"]) == 3
    assert listing(sourceAccountEquals="111111111111")["modelCopyJobSummaries"] == []
    assert [j["targetModelName"] for j in listing(targetModelNameContains="beta")["modelCopyJobSummaries"]] == ["beta-copy"]
    assert len(listing(statusEquals="Completed")["modelCopyJobSummaries"]) == 3
    assert listing(statusEquals="Failed")["modelCopyJobSummaries"] == []
    times = [j["creationTime"] for j in listing(sortOrder="Ascending")["modelCopyJobSummaries"]]
    assert [j["jobArn"] for j in listing(creationTimeAfter=times[0])["modelCopyJobSummaries"]] == jobs[:0:-1]
    assert [j["jobArn"] for j in listing(creationTimeBefore=times[1])["modelCopyJobSummaries"]] == jobs[:1]
    page = listing(maxResults=2)
    rest = listing(maxResults=2, nextToken=page["nextToken"])
    assert [j["jobArn"] for j in page["modelCopyJobSummaries"] + rest["modelCopyJobSummaries"]] == jobs[::-1]
    walked = [
        j["jobArn"]
        for p in west.get_paginator("list_model_copy_jobs").paginate(PaginationConfig={"PageSize": 1})
        for j in p["modelCopyJobSummaries"]
    ]
    assert walked == jobs[::-1]
    with pytest.raises(west.exceptions.ValidationException):
        listing(statusEquals="Stopped")
