"""The conformance checker catches what a parsed boto3 response would hide."""

from __future__ import annotations

import json

import pytest

from tests.conformance import check_response

JOB_ARN = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcdefabcdef"
GOOD_JOB = {
    "jobArn": JOB_ARN,
    "jobName": "job-1",
    "status": "Completed",
    "creationTime": "2026-01-01T00:00:00Z",
    "modelDataSource": {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}},
}


def check(operation: str, status: int, body: object, headers: dict[str, str] | None = None) -> list[str]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return check_response("bedrock", operation, status, headers or {}, raw)


def test_good_responses_pass() -> None:
    assert check("GetModelImportJob", 200, GOOD_JOB) == []
    assert check("CreateModelImportJob", 201, {"jobArn": JOB_ARN}) == []
    assert check("DeleteImportedModel", 200, b"") == []
    assert check("ListModelImportJobs", 200, {"modelImportJobSummaries": [GOOD_JOB | {"jobName": "x"}]}) != []  # modelDataSource is not a summary member
    summary = {k: GOOD_JOB[k] for k in ("jobArn", "jobName", "status", "creationTime")}
    assert check("ListModelImportJobs", 200, {"modelImportJobSummaries": [summary], "nextToken": "t"}) == []
    headers = {"X-Amzn-ErrorType": "ResourceNotFoundException:http://internal"}
    assert check("GetModelImportJob", 404, {"message": "nope"}, headers) == []


@pytest.mark.parametrize(
    ("operation", "status", "body", "words"),
    [
        ("GetModelImportJob", 200, GOOD_JOB | {"extra": 1}, "not a member"),
        ("GetModelImportJob", 200, GOOD_JOB | {"status": "Done"}, "is not one of"),
        ("GetModelImportJob", 200, GOOD_JOB | {"jobName": 5}, "expected a string"),
        ("GetModelImportJob", 200, GOOD_JOB | {"creationTime": "yesterday"}, "not a timestamp"),
        ("GetImportedModel", 200, {"instructSupported": "yes"}, "expected a boolean"),
        ("GetModelImportJob", 200, GOOD_JOB | {"modelDataSource": {"s3DataSource": {}}}, "required member missing"),
        ("CreateModelImportJob", 200, {"jobArn": JOB_ARN}, "status 200, the model says 201"),
        ("CreateModelImportJob", 201, {}, "required member missing"),
        ("ListModelImportJobs", 200, {"modelImportJobSummaries": {}}, "expected a list"),
        ("GetModelImportJob", 200, b"<html>", "not JSON"),
        ("GetModelImportJob", 200, GOOD_JOB | {"jobName": "j" * 2000}, "2000 characters, outside 1 to 63"),
        ("GetModelImportJob", 200, GOOD_JOB | {"jobName": ""}, "0 characters, outside 1 to 63"),
        ("GetModelImportJob", 200, GOOD_JOB | {"jobArn": "not an arn"}, "does not match the pattern"),
        ("GetImportedModel", 200, {"customModelUnits": {"customModelUnitsVersion": "1.0"}}, "does not match the pattern"),
    ],
)
def test_each_kind_of_problem_is_caught(operation: str, status: int, body: object, words: str) -> None:
    problems = check(operation, status, body)
    assert any(words in problem for problem in problems), problems


def test_errors_must_be_modeled_with_their_status() -> None:
    unmodeled = check("ListModelImportJobs", 404, {"message": "x"}, {"X-Amzn-ErrorType": "ResourceNotFoundException"})
    assert "not one of the operation's modeled errors" in unmodeled[0]
    wrong_status = check("GetModelImportJob", 400, {"message": "x"}, {"X-Amzn-ErrorType": "ResourceNotFoundException"})
    assert "model says 404" in wrong_status[0]
    stray = check("GetModelImportJob", 404, {"message": "x", "trace": "..."}, {"X-Amzn-ErrorType": "ResourceNotFoundException"})
    assert "unknown keys" in stray[0]
    assert check("GetModelImportJob", 500, b"oops") != []


def test_json_protocol_errors_use_the_type_in_the_body() -> None:
    body = json.dumps({"__type": "com.amazonaws.sagemaker#ResourceNotFound", "Message": "x"}).encode()
    assert check_response("sagemaker", "DescribeCompilationJob", 400, {}, body) == []
