"""parse_request against real botocore models: conversions, each kind of problem, and
inputs no client would send."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from werkzeug.datastructures import Headers, MultiDict

from mlmocks.core.errors import InvalidInput
from mlmocks.core.spec import operation_model
from mlmocks.core.validation import parse_request

ROLE = "arn:aws:iam::123456789012:role/r"
CREATE = {
    "jobName": "job-1",
    "importedModelName": "model-1",
    "roleArn": ROLE,
    "modelDataSource": {"s3DataSource": {"s3Uri": "s3://bucket/key/"}},
}


def parse(service: str, operation: str, body: Any = b"", uri: dict[str, str] | None = None,
          query: dict[str, Any] | None = None) -> dict[str, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return parse_request(
        operation_model(service, operation), body=raw, uri_params=uri or {},
        query=MultiDict(query or {}), headers=Headers(),
    )


def problems(*args: Any, **kwargs: Any) -> str:
    with pytest.raises(InvalidInput) as info:
        parse(*args, **kwargs)
    return str(info.value)


def test_values_come_back_typed_and_keyed_by_member_name() -> None:
    params = parse("bedrock", "ListModelImportJobs", query={
        "maxResults": "10", "creationTimeAfter": "2026-01-02T03:04:05Z", "sortOrder": "Ascending",
    })
    assert params == {
        "maxResults": 10,
        "creationTimeAfter": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "sortOrder": "Ascending",
    }
    assert parse("bedrock", "GetModelImportJob", uri={"jobIdentifier": "job-1"}) == {"jobIdentifier": "job-1"}
    assert parse("bedrock", "CreateModelImportJob", CREATE) == CREATE
    epoch = parse("bedrock", "ListImportedModels", query={"creationTimeBefore": "1767225600"})
    assert epoch["creationTimeBefore"] == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_json_protocol_nested_members() -> None:
    params = parse("sagemaker", "CreateCompilationJob", {
        "CompilationJobName": "c1", "RoleArn": ROLE,
        "InputConfig": {"S3Uri": "s3://b/m.tar.gz", "Framework": "PYTORCH"},
        "OutputConfig": {"S3OutputLocation": "s3://b/out", "TargetDevice": "jetson_nano"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    })
    assert params["StoppingCondition"] == {"MaxRuntimeInSeconds": 900}
    assert params["InputConfig"]["Framework"] == "PYTORCH"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"roleArn": None}, "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"),
        ({"jobName": "a_b"}, "Value 'a_b' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*"),
        ({"jobName": "x" * 64}, "at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 63"),
        ({"jobName": 12}, "Value '12' at 'jobName' failed to satisfy constraint: Member must be of type string"),
        ({"jobTags": [{"key": "k", "value": 3}]}, "at 'jobTags.1.member.value' failed to satisfy constraint: Member must be of type string"),
        ({"jobTags": {"key": "k"}}, "at 'jobTags' failed to satisfy constraint: Member must be of type list"),
        ({"modelDataSource": {}}, "Value at 'modelDataSource' failed to satisfy constraint: Member must have exactly one member set"),
        ({"vpcConfig": {"subnetIds": [], "securityGroupIds": ["sg-1"]}}, "at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    ],
)
def test_each_problem_names_its_field(change: dict[str, Any], expected: str) -> None:
    body = {k: v for k, v in {**CREATE, **change}.items() if v is not None}
    message = problems("bedrock", "CreateModelImportJob", body)
    assert message.startswith("1 validation error detected: ")
    assert expected in message


def test_all_problems_are_reported_together() -> None:
    message = problems("bedrock", "ListModelImportJobs", query={"maxResults": "0", "statusEquals": "Done"})
    assert message.startswith("2 validation errors detected: ")
    assert "Value 'Done' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [InProgress, Completed, Failed]" in message
    assert "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1" in message
    assert "less than or equal to 1000" in problems("bedrock", "ListModelImportJobs", query={"maxResults": "1001"})
    assert "of type integer" in problems("bedrock", "ListModelImportJobs", query={"maxResults": "ten"})
    assert "of type timestamp" in problems("bedrock", "ListModelImportJobs", query={"creationTimeAfter": "soon"})


def test_unicode_property_patterns() -> None:
    # Some models use Java's \\p{L}-style classes, which Python's re lacks.
    from mlmocks.core.spec import service_model
    from mlmocks.core.validation import model_pattern

    source = service_model("sagemaker").shape_for("CognitoUserGroup").metadata["pattern"]
    assert "\\p{" in source
    compiled = model_pattern(source)
    assert compiled is not None
    assert compiled.fullmatch("Équipe-données_1")
    assert compiled.fullmatch("two words") is None  # \\p{Z} is not in the class


@pytest.mark.parametrize(
    "body",
    [
        b"{not json", b"[1, 2]", b"\xff\xfe\x00", b"null", b'"text"',
        b'{"jobName": ' * 3000, json.dumps({**CREATE, "jobName": 1e308 * 10}).encode(),
        json.dumps({**CREATE, "modelDataSource": [1]}).encode(),
        json.dumps({**CREATE, "jobName": "\ud800"}, ensure_ascii=True).encode(),
        json.dumps({**CREATE, "jobTags": [None, 1, "x"]}).encode(),
    ],
)
def test_anything_else_is_an_invalid_input(body: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse("bedrock", "CreateModelImportJob", body)
