"""Bedrock custom model import through boto3, in-process and against the server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from tests.modes import ACCOUNT, Aws

KIND = "bedrock::model-import-job"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-import"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}
JOB_ARN = re.compile(r"^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):model-import-job/[a-z0-9]{12}$")
MODEL_ARN = re.compile(r"^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):imported-model/[a-z0-9]{12}$")


def create_job(client, name: str = "import-1", model: str = "model-1", **extra):  # type: ignore[no-untyped-def]
    params = {
        "jobName": name,
        "importedModelName": model,
        "roleArn": ROLE,
        "modelDataSource": SOURCE,
        **extra,
    }
    return client.create_model_import_job(**params)


def error_code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return info.value.response["Error"]["Code"]


def test_completed_job_creates_its_imported_model(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    created = create_job(
        bedrock,
        jobTags=[{"key": "team", "value": "ml"}],
        importedModelTags=[{"key": "stage", "value": "dev"}],
        importedModelKmsKeyId=key_id,
        vpcConfig={"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]},
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    job_arn = created["jobArn"]
    assert JOB_ARN.match(job_arn).groups() == ("us-east-1", ACCOUNT)  # type: ignore[union-attr]

    job = bedrock.get_model_import_job(jobIdentifier="import-1")
    assert job["status"] == "Completed"
    assert job["jobArn"] == job_arn
    assert job["jobName"] == "import-1"
    assert job["importedModelName"] == "model-1"
    assert job["roleArn"] == ROLE
    assert job["modelDataSource"] == SOURCE
    assert job["vpcConfig"] == {"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]}
    kms_arn = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key_id}"
    assert job["importedModelKmsKeyArn"] == kms_arn
    assert job["creationTime"] <= job["lastModifiedTime"] == job["endTime"]
    assert "failureMessage" not in job
    assert MODEL_ARN.match(job["importedModelArn"])

    model = bedrock.get_imported_model(modelIdentifier="model-1")
    assert model["modelArn"] == job["importedModelArn"]
    assert model["modelName"] == "model-1"
    assert model["jobName"] == "import-1"
    assert model["jobArn"] == job_arn
    assert model["modelDataSource"] == SOURCE
    assert model["modelKmsKeyArn"] == kms_arn
    assert model["creationTime"] == job["endTime"]
    assert model["instructSupported"] is True
    assert model["modelArchitecture"]
    assert model["customModelUnits"]["customModelUnitsPerModelCopy"] >= 1

    assert bedrock.list_tags_for_resource(resourceARN=job_arn)["tags"] == [
        {"key": "team", "value": "ml"}
    ]
    assert bedrock.list_tags_for_resource(resourceARN=model["modelArn"])["tags"] == [
        {"key": "stage", "value": "dev"}
    ]


def test_lookups_by_name_or_arn(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    job_arn = create_job(bedrock)["jobArn"]
    assert bedrock.get_model_import_job(jobIdentifier=job_arn)["jobName"] == "import-1"
    model_arn = bedrock.get_model_import_job(jobIdentifier="import-1")["importedModelArn"]
    assert bedrock.get_imported_model(modelIdentifier=model_arn)["modelName"] == "model-1"
    assert bedrock.get_imported_model(modelIdentifier="model-1")["modelArn"] == model_arn


def test_unknown_ids_are_not_found(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    unknown_job = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-import-job/abcdefabcdef"
    for call, kwargs in [
        (bedrock.get_model_import_job, {"jobIdentifier": "missing"}),
        (bedrock.get_model_import_job, {"jobIdentifier": unknown_job}),
        (bedrock.get_imported_model, {"modelIdentifier": "missing"}),
        (bedrock.delete_imported_model, {"modelIdentifier": "missing"}),
        (bedrock.list_tags_for_resource, {"resourceARN": unknown_job}),
    ]:
        with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
            call(**kwargs)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert "missing" in str(info.value) or "abcdefabcdef" in str(info.value)


def test_failed_job_has_a_message_and_no_model(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "weights are not in safetensors format", job="import-1")
    create_job(bedrock)
    job = bedrock.get_model_import_job(jobIdentifier="import-1")
    assert job["status"] == "Failed"
    assert job["failureMessage"] == "weights are not in safetensors format"
    assert "importedModelArn" not in job
    assert job["endTime"] >= job["creationTime"]
    assert bedrock.list_imported_models()["modelSummaries"] == []
    # Another job is not touched by a rule for a named job.
    create_job(bedrock, name="import-2", model="model-2")
    assert bedrock.get_model_import_job(jobIdentifier="import-2")["status"] == "Completed"


def test_every_new_job_of_a_kind_can_fail(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "quota exceeded")
    for index in range(2):
        create_job(bedrock, name=f"job-{index}", model=f"model-{index}")
        job = bedrock.get_model_import_job(jobIdentifier=f"job-{index}")
        assert (job["status"], job["failureMessage"]) == ("Failed", "quota exceeded")
    aws.control.clear_failures(KIND)
    create_job(bedrock, name="job-ok", model="model-ok")
    assert bedrock.get_model_import_job(jobIdentifier="job-ok")["status"] == "Completed"


def test_manual_progression_and_hand_advance(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=2)
    create_job(bedrock)
    assert bedrock.get_model_import_job(jobIdentifier="import-1")["status"] == "InProgress"
    listed = bedrock.list_model_import_jobs()["modelImportJobSummaries"]
    assert [j["status"] for j in listed] == ["InProgress"]
    assert bedrock.list_imported_models()["modelSummaries"] == []
    # Same model name while the first import is running: conflict.
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, name="import-2", model="model-1")
    job = bedrock.get_model_import_job(jobIdentifier="import-1")
    assert job["status"] == "Completed"
    assert "endTime" in job
    assert [m["modelName"] for m in bedrock.list_imported_models()["modelSummaries"]] == [
        "model-1"
    ]

    aws.control.set_progression(KIND, "manual", times=1000)
    create_job(bedrock, name="import-3", model="model-3")
    assert bedrock.get_model_import_job(jobIdentifier="import-3")["status"] == "InProgress"
    assert aws.control.advance(KIND, "import-3") == "Completed"
    assert bedrock.get_model_import_job(jobIdentifier="import-3")["status"] == "Completed"
    assert bedrock.get_imported_model(modelIdentifier="model-3")["jobName"] == "import-3"


def test_failing_a_running_job(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    job_arn = create_job(bedrock)["jobArn"]
    aws.control.fail(KIND, "out of capacity", job=job_arn)
    assert aws.control.advance(KIND, "import-1") == "Failed"
    job = bedrock.get_model_import_job(jobIdentifier="import-1")
    assert (job["status"], job["failureMessage"]) == ("Failed", "out of capacity")
    # A finished job cannot be made to fail.
    create_job(bedrock, name="import-2", model="model-2")
    aws.control.advance(KIND, "import-2")
    with pytest.raises(Exception, match="already Completed"):
        aws.control.fail(KIND, "too late", job="import-2")


def test_state_manager_time_progression_with_freezegun(decorator_aws: Aws) -> None:
    bedrock = decorator_aws.client("bedrock")
    decorator_aws.control.set_progression(KIND, "time", seconds=600)
    start = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        create_job(bedrock)
        job = bedrock.get_model_import_job(jobIdentifier="import-1")
        assert job["status"] == "InProgress"
        assert job["creationTime"] == start
        clock.tick(timedelta(seconds=599))
        assert bedrock.get_model_import_job(jobIdentifier="import-1")["status"] == "InProgress"
        clock.tick(timedelta(seconds=2))
        job = bedrock.get_model_import_job(jobIdentifier="import-1")
    assert job["status"] == "Completed"
    # The job ended when its time was up, not when it was next looked at.
    assert job["endTime"] == start + timedelta(seconds=600)
    model = bedrock.get_imported_model(modelIdentifier="model-1")
    assert model["creationTime"] == start + timedelta(seconds=600)


def test_client_request_token_is_idempotent(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = create_job(bedrock, clientRequestToken="token-1")["jobArn"]
    again = create_job(bedrock, clientRequestToken="token-1")["jobArn"]
    assert again == first
    assert len(bedrock.list_model_import_jobs()["modelImportJobSummaries"]) == 1
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        create_job(bedrock, model="other-model", clientRequestToken="token-1")
    assert "clientRequestToken" in str(info.value)


def test_names_are_unique(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock)
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        create_job(bedrock, model="model-2")
    assert "import-1" in str(info.value)
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        create_job(bedrock, name="import-2", model="model-1")
    assert "model-1" in str(info.value)
    # The rejected requests left nothing behind.
    jobs = bedrock.list_model_import_jobs()["modelImportJobSummaries"]
    assert [j["jobName"] for j in jobs] == ["import-1"]


def test_delete_imported_model(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    create_job(bedrock)
    model_arn = bedrock.get_imported_model(modelIdentifier="model-1")["modelArn"]
    assert bedrock.delete_imported_model(modelIdentifier=model_arn)["ResponseMetadata"][
        "HTTPStatusCode"
    ] == 200
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_imported_model(modelIdentifier="model-1")
    assert bedrock.list_imported_models()["modelSummaries"] == []
    # The name is free again.
    create_job(bedrock, name="import-2", model="model-1")
    assert bedrock.get_imported_model(modelIdentifier="model-1")["jobName"] == "import-2"


def test_validation_names_the_field(aws: Aws) -> None:
    bedrock = aws.client("bedrock", validate=False)
    cases = [
        ({"jobName": "bad_name!"}, "jobName", "regular expression pattern"),
        ({"jobName": "x" * 64}, "jobName", "length less than or equal to 63"),
        ({"roleArn": "not-an-arn"}, "roleArn", "regular expression pattern"),
        ({"roleArn": None}, "roleArn", "must not be null"),
        ({"importedModelName": ""}, "importedModelName", "length greater than or equal to 1"),
        (
            {"modelDataSource": {"s3DataSource": {"s3Uri": "http://x"}}},
            "modelDataSource.s3DataSource.s3Uri",
            "regular expression pattern",
        ),
        ({"jobTags": [{"key": "k"}]}, "jobTags.1.member.value", "must not be null"),
    ]
    for change, field, words in cases:
        params = {
            "jobName": "import-1",
            "importedModelName": "model-1",
            "roleArn": ROLE,
            "modelDataSource": SOURCE,
            **change,
        }
        params = {k: v for k, v in params.items() if v is not None}
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            bedrock.create_model_import_job(**params)
        message = str(info.value)
        assert f"at '{field}'" in message and words in message, message
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert bedrock.list_model_import_jobs()["modelImportJobSummaries"] == []

    for kwargs, field in [
        ({"maxResults": 0}, "maxResults"),
        ({"maxResults": 1001}, "maxResults"),
        ({"statusEquals": "Done"}, "statusEquals"),
        ({"sortBy": "Name"}, "sortBy"),
        ({"sortOrder": "Up"}, "sortOrder"),
    ]:
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            bedrock.list_model_import_jobs(**kwargs)
        assert f"at '{field}'" in str(info.value)
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.list_imported_models(maxResults=5000)
    assert "at 'maxResults'" in str(info.value)


def test_list_filters_sorts_and_pages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "broken", job="gamma-job")
    for name in ["alpha-job", "beta-job", "gamma-job", "delta-job"]:
        create_job(bedrock, name=name, model=name.replace("job", "model"))
    list_jobs = bedrock.list_model_import_jobs

    newest_first = [j["jobName"] for j in list_jobs()["modelImportJobSummaries"]]
    assert newest_first == ["delta-job", "gamma-job", "beta-job", "alpha-job"]
    oldest_first = list_jobs(sortBy="CreationTime", sortOrder="Ascending")
    assert [j["jobName"] for j in oldest_first["modelImportJobSummaries"]] == newest_first[::-1]

    failed = list_jobs(statusEquals="Failed")["modelImportJobSummaries"]
    assert [(j["jobName"], j["status"]) for j in failed] == [("gamma-job", "Failed")]
    completed = list_jobs(statusEquals="Completed")["modelImportJobSummaries"]
    assert len(completed) == 3
    assert all("importedModelArn" in j and "importedModelName" in j for j in completed)
    assert [j["jobName"] for j in list_jobs(nameContains="ta-")["modelImportJobSummaries"]] == [
        "delta-job",
        "beta-job",
    ]

    times = [j["creationTime"] for j in oldest_first["modelImportJobSummaries"]]
    after = list_jobs(creationTimeAfter=times[1])["modelImportJobSummaries"]
    assert {j["jobName"] for j in after} == {"gamma-job", "delta-job"}
    before = list_jobs(creationTimeBefore=times[1])["modelImportJobSummaries"]
    assert {j["jobName"] for j in before} == {"alpha-job"}

    page = list_jobs(maxResults=3, sortOrder="Ascending")
    assert [j["jobName"] for j in page["modelImportJobSummaries"]] == newest_first[::-1][:3]
    rest = list_jobs(maxResults=3, sortOrder="Ascending", nextToken=page["nextToken"])
    assert [j["jobName"] for j in rest["modelImportJobSummaries"]] == ["delta-job"]
    assert "nextToken" not in rest

    with pytest.raises(bedrock.exceptions.ValidationException):
        list_jobs(nextToken="not-a-token")
    # A token made for one sort order is no good for the other.
    with pytest.raises(bedrock.exceptions.ValidationException):
        list_jobs(maxResults=3, sortOrder="Descending", nextToken=page["nextToken"])

    models = bedrock.list_imported_models(nameContains="model", sortOrder="Ascending")
    assert [m["modelName"] for m in models["modelSummaries"]] == [
        "alpha-model",
        "beta-model",
        "delta-model",
    ]


def test_paginators_walk_everything(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    for index in range(7):
        create_job(bedrock, name=f"job-{index}", model=f"model-{index}")
    jobs = [
        j["jobName"]
        for page in bedrock.get_paginator("list_model_import_jobs").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for j in page["modelImportJobSummaries"]
    ]
    assert sorted(jobs) == [f"job-{i}" for i in range(7)]
    assert len(jobs) == len(set(jobs))
    models = [
        m["modelName"]
        for page in bedrock.get_paginator("list_imported_models").paginate(
            sortOrder="Ascending", PaginationConfig={"PageSize": 3}
        )
        for m in page["modelSummaries"]
    ]
    assert models == [f"model-{i}" for i in range(7)]


def test_tags_on_our_resources(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    job_arn = create_job(bedrock)["jobArn"]
    model_arn = bedrock.get_imported_model(modelIdentifier="model-1")["modelArn"]
    for arn in (job_arn, model_arn):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "a", "value": "3"}])
        bedrock.untag_resource(resourceARN=arn, tagKeys=["b"])
        assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [
            {"key": "a", "value": "3"}
        ]
    too_many = [{"key": f"k{i}", "value": "v"} for i in range(200)]
    with pytest.raises(bedrock.exceptions.TooManyTagsException):
        bedrock.tag_resource(resourceARN=job_arn, tags=too_many)
    assert bedrock.list_tags_for_resource(resourceARN=job_arn)["tags"] == [
        {"key": "a", "value": "3"}
    ]


def test_state_is_per_account_and_region(aws: Aws) -> None:
    east = aws.client("bedrock")
    west = aws.client("bedrock", region="us-west-2")
    other_account = aws.client_for_account("bedrock", "111111111111")
    east_arn = create_job(east)["jobArn"]
    west_arn = create_job(west)["jobArn"]
    other_arn = create_job(other_account)["jobArn"]
    assert JOB_ARN.match(west_arn).groups() == ("us-west-2", ACCOUNT)  # type: ignore[union-attr]
    assert JOB_ARN.match(other_arn).groups() == ("us-east-1", "111111111111")  # type: ignore[union-attr]
    for client, arn in [(east, east_arn), (west, west_arn), (other_account, other_arn)]:
        jobs = client.list_model_import_jobs()["modelImportJobSummaries"]
        assert [j["jobArn"] for j in jobs] == [arn]
        model_arn = client.get_imported_model(modelIdentifier="model-1")["modelArn"]
        assert MODEL_ARN.match(model_arn).groups() == tuple(arn.split(":")[3:5])  # type: ignore[union-attr]
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_model_import_job(jobIdentifier=east_arn)
