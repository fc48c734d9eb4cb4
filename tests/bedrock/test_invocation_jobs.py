"""Bedrock batch inference (model invocation jobs) through boto3, in-process and against
the server, with the input and output in moto's S3."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from tests.modes import ACCOUNT, Aws

KIND = "bedrock::model-invocation-job"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-batch"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
JOB_ARN = re.compile(r"^arn:aws:bedrock:us-east-1:\d{12}:model-invocation-job/([a-z0-9]{12})$")
IN_BUCKET = "batch-input"
OUT_BUCKET = "batch-output"

RECORDS = [
    {"recordId": "CALL0000001", "modelInput": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                                               "messages": [{"role": "user", "content": "Summarize call one"}]}},
    {"recordId": "CALL0000002", "modelInput": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                                               "messages": [{"role": "user", "content": "Summarize call two"}]}},
    {"modelInput": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                    "messages": [{"role": "user", "content": "no record id"}]}},
]


def jsonl(records: list[Any]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def buckets(aws: Aws) -> Any:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=IN_BUCKET)
    s3.create_bucket(Bucket=OUT_BUCKET)
    return s3


def create_job(bedrock: Any, name: str = "batch-1", input_uri: str = f"s3://{IN_BUCKET}/calls/records.jsonl",
               output_uri: str = f"s3://{OUT_BUCKET}/results/", model: str = MODEL, **extra: Any) -> str:
    return bedrock.create_model_invocation_job(  # type: ignore[no-any-return]
        jobName=name,
        roleArn=ROLE,
        modelId=model,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": input_uri, "s3InputFormat": "JSONL"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": output_uri}},
        **extra,
    )["jobArn"]


def job_id(arn: str) -> str:
    match = JOB_ARN.match(arn)
    assert match, arn
    return match.group(1)


def read_jsonl(s3: Any, key: str, bucket: str = OUT_BUCKET) -> list[dict[str, Any]]:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    return [json.loads(line) for line in body.splitlines()]


def output_keys(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=OUT_BUCKET).get("Contents", [])]


def test_manual_job_walks_every_status_and_writes_its_output_to_s3(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl", Body=jsonl(RECORDS))
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(bedrock, tags=[{"key": "team", "value": "ml"}], timeoutDurationInHours=72)
    ident = job_id(arn)

    job = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert job["status"] == "Submitted"
    assert job["jobName"] == "batch-1"
    assert job["modelId"] == MODEL
    assert job["roleArn"] == ROLE
    assert job["timeoutDurationInHours"] == 72
    assert job["jobExpirationTime"] == job["submitTime"] + timedelta(hours=72)
    assert job["clientRequestToken"]  # boto3 fills the idempotency token in
    assert "endTime" not in job and "totalRecordCount" not in job

    for status in ("Validating", "Scheduled", "InProgress"):
        assert aws.control.advance(KIND, ident) == status
        job = bedrock.get_model_invocation_job(jobIdentifier=ident)
        assert job["status"] == status
        assert job["totalRecordCount"] == 3  # read when validated
        assert output_keys(s3) == []
    assert aws.control.advance(KIND, arn) == "Completed"
    job = bedrock.get_model_invocation_job(jobIdentifier=ident)
    assert job["status"] == "Completed"
    assert job["endTime"] == job["lastModifiedTime"] >= job["submitTime"]
    assert (job["processedRecordCount"], job["successRecordCount"], job["errorRecordCount"]) == (3, 3, 0)

    prefix = f"results/{ident}/"
    assert sorted(output_keys(s3)) == [f"{prefix}manifest.json.out", f"{prefix}records.jsonl.out"]
    lines = read_jsonl(s3, f"{prefix}records.jsonl.out")
    assert [line["recordId"] for line in lines] == ["CALL0000001", "CALL0000002", "00000000003"]
    for line, record in zip(lines, RECORDS, strict=True):
        assert line["modelInput"] == record["modelInput"]
        assert line["modelOutput"]["type"] == "message"
        assert line["modelOutput"]["content"][0]["text"] == f"mlmocks response to record {line['recordId']}"
    manifest = json.loads(s3.get_object(Bucket=OUT_BUCKET, Key=f"{prefix}manifest.json.out")["Body"].read())
    assert manifest["totalRecordCount"] == manifest["processedRecordCount"] == manifest["successRecordCount"] == 3
    assert manifest["errorRecordCount"] == 0
    assert manifest["inputTokenCount"] == sum(line["modelOutput"]["usage"]["input_tokens"] for line in lines)
    assert manifest["outputTokenCount"] == sum(line["modelOutput"]["usage"]["output_tokens"] for line in lines)
    assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "team", "value": "ml"}]


def test_output_is_deterministic(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl", Body=jsonl(RECORDS))
    bedrock = aws.client("bedrock")
    first, second = job_id(create_job(bedrock, name="one")), job_id(create_job(bedrock, name="two"))
    bedrock.get_model_invocation_job(jobIdentifier=first)
    bedrock.get_model_invocation_job(jobIdentifier=second)
    assert read_jsonl(s3, f"results/{first}/records.jsonl.out") == read_jsonl(s3, f"results/{second}/records.jsonl.out")


def test_a_record_whose_model_input_is_not_an_object_makes_the_job_partly_completed(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl",
                  Body=jsonl([RECORDS[0], {"recordId": "BAD", "modelInput": "not an object"}]))
    bedrock = aws.client("bedrock")
    ident = job_id(create_job(bedrock, modelInvocationType="Converse"))
    job = bedrock.get_model_invocation_job(jobIdentifier=ident)
    assert job["status"] == "PartiallyCompleted"
    assert "endTime" in job
    assert (job["successRecordCount"], job["errorRecordCount"]) == (1, 1)
    good, bad = read_jsonl(s3, f"results/{ident}/records.jsonl.out")
    assert good["modelOutput"]["output"]["message"]["content"][0]["text"].startswith("mlmocks response")
    assert good["modelOutput"]["stopReason"] == "end_turn"
    assert "modelOutput" not in bad and bad["error"]["errorCode"] == 400
    manifest = json.loads(s3.get_object(Bucket=OUT_BUCKET, Key=f"results/{ident}/manifest.json.out")["Body"].read())
    assert (manifest["successRecordCount"], manifest["errorRecordCount"]) == (1, 1)
    assert bedrock.list_model_invocation_jobs(statusEquals="PartiallyCompleted")["invocationJobSummaries"][0]["jobArn"].endswith(ident)


def test_a_malformed_record_fails_validation(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl", Body=jsonl(RECORDS[:1]) + b"{not json\n")
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    ident = job_id(create_job(bedrock))
    assert aws.control.advance(KIND, ident) == "Validating"
    # Validation fails straight to Failed: the job is never Scheduled.
    assert aws.control.advance(KIND, ident) == "Failed"
    job = bedrock.get_model_invocation_job(jobIdentifier=ident)
    assert job["status"] == "Failed"
    assert job["message"] == f"Invalid JSON on line 2 of s3://{IN_BUCKET}/calls/records.jsonl"
    assert output_keys(s3) == []


def test_a_record_without_model_input_fails_validation(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl", Body=jsonl([RECORDS[0], {"recordId": "x"}]))
    bedrock = aws.client("bedrock")
    job = bedrock.get_model_invocation_job(jobIdentifier=job_id(create_job(bedrock)))
    assert job["status"] == "Failed"
    assert job["message"] == f"The record on line 2 of s3://{IN_BUCKET}/calls/records.jsonl has no modelInput field"


def test_a_missing_input_object_fails_validation(aws: Aws) -> None:
    buckets(aws)
    bedrock = aws.client("bedrock")
    job = bedrock.get_model_invocation_job(jobIdentifier=job_id(create_job(bedrock)))
    assert job["status"] == "Failed"
    assert job["message"] == f"The input file s3://{IN_BUCKET}/calls/records.jsonl does not exist"
    empty = job_id(create_job(bedrock, name="prefix", input_uri=f"s3://{IN_BUCKET}/nothing/"))
    job = bedrock.get_model_invocation_job(jobIdentifier=empty)
    assert job["message"] == f"No .jsonl files were found at the input location s3://{IN_BUCKET}/nothing/"


def test_a_missing_output_bucket_fails_validation(aws: Aws) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=IN_BUCKET)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl", Body=jsonl(RECORDS))
    bedrock = aws.client("bedrock")
    job = bedrock.get_model_invocation_job(jobIdentifier=job_id(create_job(bedrock)))
    assert job["status"] == "Failed"
    assert OUT_BUCKET in job["message"]


def test_a_prefix_input_reads_every_jsonl_file_under_it(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/a.jsonl", Body=jsonl(RECORDS[:1]))
    s3.put_object(Bucket=IN_BUCKET, Key="calls/more/b.jsonl", Body=jsonl(RECORDS[1:]))
    s3.put_object(Bucket=IN_BUCKET, Key="calls/readme.txt", Body=b"not input")
    bedrock = aws.client("bedrock")
    ident = job_id(create_job(bedrock, input_uri=f"s3://{IN_BUCKET}/calls/", output_uri=f"s3://{OUT_BUCKET}"))
    job = bedrock.get_model_invocation_job(jobIdentifier=ident)
    assert (job["status"], job["totalRecordCount"]) == ("Completed", 3)
    assert sorted(output_keys(s3)) == [f"{ident}/a.jsonl.out", f"{ident}/manifest.json.out", f"{ident}/more/b.jsonl.out"]
    assert [line["recordId"] for line in read_jsonl(s3, f"{ident}/more/b.jsonl.out")] == ["CALL0000002", "00000000002"]


def test_without_input_in_s3_the_job_still_walks_its_statuses(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1)
    ident = job_id(create_job(bedrock))
    seen = [bedrock.get_model_invocation_job(jobIdentifier=ident)["status"] for _ in range(5)]
    assert seen == ["Validating", "Scheduled", "InProgress", "Completed", "Completed"]
    job = bedrock.get_model_invocation_job(jobIdentifier=ident)
    assert "totalRecordCount" not in job and "message" not in job


def test_stop_walks_stopping_to_stopped(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(bedrock)
    aws.control.advance(KIND, arn, steps=3)
    assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "InProgress"
    assert bedrock.stop_model_invocation_job(jobIdentifier=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "Stopping"
    assert aws.control.advance(KIND, arn) == "Stopped"
    job = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert job["status"] == "Stopped" and "endTime" in job
    with pytest.raises(bedrock.exceptions.ConflictException, match="Stopped and cannot be stopped"):
        bedrock.stop_model_invocation_job(jobIdentifier=arn)


def test_failure_injection_gives_the_chosen_message(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "capacity exhausted", job="batch-1")
    job = bedrock.get_model_invocation_job(jobIdentifier=create_job(bedrock))
    assert (job["status"], job["message"]) == ("Failed", "capacity exhausted")
    with pytest.raises(bedrock.exceptions.ConflictException, match="Failed"):
        bedrock.stop_model_invocation_job(jobIdentifier=job["jobArn"])


def test_unknown_jobs_and_duplicate_names(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
        bedrock.get_model_invocation_job(jobIdentifier="abcdefabcdef")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.stop_model_invocation_job(jobIdentifier="abcdefabcdef")
    create_job(bedrock)
    with pytest.raises(bedrock.exceptions.ConflictException, match="batch-1"):
        create_job(bedrock)
    assert len(bedrock.list_model_invocation_jobs()["invocationJobSummaries"]) == 1


def test_bad_input_gets_validation_errors_naming_the_field(aws: Aws) -> None:
    bedrock = aws.client("bedrock", validate=False)
    base = {
        "jobName": "ok", "roleArn": ROLE, "modelId": MODEL,
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": f"s3://{IN_BUCKET}/a.jsonl"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": f"s3://{OUT_BUCKET}/"}},
    }
    for change, field in [
        ({"jobName": "bad name!"}, "jobName"),
        ({"modelId": "not a model id!"}, "modelId"),
        ({"timeoutDurationInHours": 1}, "timeoutDurationInHours"),
        ({"inputDataConfig": {}}, "inputDataConfig"),
        ({"outputDataConfig": {}}, "outputDataConfig"),
    ]:
        with pytest.raises(ClientError) as info:
            bedrock.create_model_invocation_job(**{**base, **change})
        assert info.value.response["Error"]["Code"] == "ValidationException"
        assert field in info.value.response["Error"]["Message"]
    assert bedrock.list_model_invocation_jobs()["invocationJobSummaries"] == []


def test_model_identifiers_of_every_kind_are_accepted(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    for index, model in enumerate([
        "amazon.titan-text-express-v1",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        "us.anthropic.claude-3-haiku-20240307-v1:0",
        f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0",
    ]):  # (a custom model must exist: test_a_custom_model_must_exist_and_be_active)
        arn = create_job(bedrock, name=f"model-{index}", model=model)
        assert bedrock.get_model_invocation_job(jobIdentifier=arn)["modelId"] == model


def test_client_request_token_is_idempotent(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = create_job(bedrock, clientRequestToken="token-1")
    assert create_job(bedrock, clientRequestToken="token-1") == first
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, name="other", clientRequestToken="token-1")
    assert bedrock.get_model_invocation_job(jobIdentifier=first)["clientRequestToken"] == "token-1"
    assert len(bedrock.list_model_invocation_jobs()["invocationJobSummaries"]) == 1


def test_list_filters_sorts_and_pages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arns = [create_job(bedrock, name=name) for name in ("alpha-1", "beta-1", "alpha-2")]
    aws.control.advance(KIND, arns[1], steps=4)

    def names(**kwargs: Any) -> list[str]:
        return [job["jobName"] for job in bedrock.list_model_invocation_jobs(**kwargs)["invocationJobSummaries"]]

    assert names() == ["alpha-2", "beta-1", "alpha-1"]
    assert names(sortBy="CreationTime", sortOrder="Ascending") == ["alpha-1", "beta-1", "alpha-2"]
    assert names(nameContains="alpha") == ["alpha-2", "alpha-1"]
    assert names(statusEquals="Completed") == ["beta-1"]
    assert names(statusEquals="Submitted", nameContains="2") == ["alpha-2"]
    middle = bedrock.get_model_invocation_job(jobIdentifier=arns[1])["submitTime"]
    assert names(submitTimeAfter=middle) == ["alpha-2"]
    assert names(submitTimeBefore=middle) == ["alpha-1"]
    summary = bedrock.list_model_invocation_jobs(nameContains="beta")["invocationJobSummaries"][0]
    assert summary["jobArn"] == arns[1] and summary["modelId"] == MODEL and summary["roleArn"] == ROLE
    assert summary["inputDataConfig"]["s3InputDataConfig"]["s3Uri"].startswith("s3://")

    page = bedrock.list_model_invocation_jobs(maxResults=2)
    assert [job["jobName"] for job in page["invocationJobSummaries"]] == ["alpha-2", "beta-1"]
    rest = bedrock.list_model_invocation_jobs(maxResults=2, nextToken=page["nextToken"])
    assert [job["jobName"] for job in rest["invocationJobSummaries"]] == ["alpha-1"]
    assert "nextToken" not in rest
    paged = [
        job["jobName"]
        for page in bedrock.get_paginator("list_model_invocation_jobs").paginate(PaginationConfig={"PageSize": 1})
        for job in page["invocationJobSummaries"]
    ]
    assert paged == ["alpha-2", "beta-1", "alpha-1"]
    with pytest.raises(bedrock.exceptions.ValidationException, match="nextToken"):
        bedrock.list_model_invocation_jobs(nextToken="bogus")


def test_a_job_past_its_expiration_time_expires(decorator_aws: Aws) -> None:
    bedrock = decorator_aws.client("bedrock")
    decorator_aws.control.set_progression(KIND, "time", seconds=25 * 3600)
    start = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        arn = create_job(bedrock, timeoutDurationInHours=24)
        clock.tick(timedelta(hours=25))
        assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "Validating"
        clock.tick(timedelta(hours=25))
        job = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert job["status"] == "Expired"
    assert job["endTime"] == start + timedelta(hours=50)


def test_an_injected_failure_wins_over_what_the_input_would_do(aws: Aws) -> None:
    s3 = buckets(aws)
    s3.put_object(Bucket=IN_BUCKET, Key="calls/records.jsonl",
                  Body=jsonl([RECORDS[0], {"recordId": "BAD", "modelInput": "not an object"}]))
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "model endpoint unavailable", job="batch-1")
    job = bedrock.get_model_invocation_job(jobIdentifier=create_job(bedrock))
    assert (job["status"], job["message"]) == ("Failed", "model endpoint unavailable")
    assert output_keys(s3) == []


def test_buckets_of_another_account_are_read_through_s3_bucket_owner(aws: Aws) -> None:
    owner = "210987654321"
    s3 = aws.client_for_account("s3", owner)
    s3.create_bucket(Bucket="shared-batch")
    s3.put_object(Bucket="shared-batch", Key="in/records.jsonl", Body=jsonl(RECORDS[:1]))
    bedrock = aws.client("bedrock")
    arn = bedrock.create_model_invocation_job(
        jobName="cross", roleArn=ROLE, modelId=MODEL,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://shared-batch/in/records.jsonl", "s3BucketOwner": owner}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://shared-batch/out/", "s3BucketOwner": owner}},
    )["jobArn"]
    assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "Completed"
    (line,) = read_jsonl(s3, f"out/{job_id(arn)}/records.jsonl.out", bucket="shared-batch")
    assert line["recordId"] == "CALL0000001"


def test_a_custom_model_must_exist_and_be_active(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    missing = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefabcdef"
    with pytest.raises(ClientError) as info:
        bedrock.create_model_invocation_job(
            jobName="on-missing-model", roleArn=ROLE_FOR_CUSTOM, modelId=missing,
            inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://in-bucket/in.jsonl"}},
            outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://out-bucket/out/"}},
        )
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert bedrock.list_model_invocation_jobs()["invocationJobSummaries"] == []
    model = bedrock.get_custom_model(modelIdentifier=_custom_model(bedrock))["modelArn"]
    job = bedrock.create_model_invocation_job(
        jobName="on-custom-model", roleArn=ROLE_FOR_CUSTOM, modelId=model,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://in-bucket/in.jsonl"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://out-bucket/out/"}},
    )["jobArn"]
    assert bedrock.get_model_invocation_job(jobIdentifier=job)["modelId"] == model


ROLE_FOR_CUSTOM = "arn:aws:iam::123456789012:role/batch"


def _custom_model(bedrock: Any) -> str:
    bedrock.create_model_customization_job(
        jobName="tune-for-batch", customModelName="batch-custom", roleArn=ROLE_FOR_CUSTOM,
        baseModelIdentifier="amazon.titan-text-express-v1:0:8k",
        trainingDataConfig={"s3Uri": "s3://training-bucket/train.jsonl"},
        outputDataConfig={"s3Uri": "s3://output-bucket/out/"}, hyperParameters={"epochCount": "2"},
    )
    return "batch-custom"
