"""Failures the reliability tests found, each kept as a test of the fixed behaviour.

The first line of each docstring says what failed; RELIABILITY.md lists them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from mlmocks.core.registry import implemented_operations
from mlmocks.sagemaker.responses import SageMakerResponse
from tests.modes import ACCOUNT, Aws
from tests.reliability.wire import (
    InProcess,
    OverHttp,
    Response,
    botocore_operation,
    botocore_service,
    serialize,
)

MOTO_MODEL = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/moto-model"


def send(
    aws: Aws, service: str, operation: str, params: dict[str, Any], body: Any = None, **headers: str
) -> Response:
    """Send a request as an SDK would; ``body`` (a JSON document) replaces the serialized one."""
    request = serialize(service, operation, params)
    request.headers.update(headers)
    if body is not None:
        request = request.with_document(body, "", "")
    sender = InProcess() if aws.endpoint is None else OverHttp(aws.endpoint)
    return sender.send(request)


def error_of(response: Response) -> tuple[int, str, str]:
    document = json.loads(response.body)
    return response.status, document["__type"], document.get("Message") or document.get("message", "")


def moto_model(aws: Aws) -> Any:
    """A SageMaker model, which moto answers for, and a client."""
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(
        ModelName="moto-model",
        ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/sm",
        PrimaryContainer={"Image": "123.dkr.ecr.us-east-1.amazonaws.com/img:1"},
    )
    return sagemaker


def test_motos_resources_with_a_content_type_moto_cannot_read(aws: Aws) -> None:
    """Tags of moto's SageMaker resources sent with a Content-Type moto cannot read crashed moto (a 500)."""
    sagemaker = moto_model(aws)
    params = {"ResourceArn": MOTO_MODEL, "Tags": [{"Key": "team", "Value": "ml"}]}
    response = send(aws, "sagemaker", "AddTags", params, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200, response.body
    assert sagemaker.list_tags(ResourceArn=MOTO_MODEL)["Tags"] == [{"Key": "team", "Value": "ml"}]


def test_invalid_requests_for_motos_resources_are_refused_by_the_model(aws: Aws) -> None:
    """An invalid request for moto's resources on a shared host went to moto unchecked, and moto crashed on it (a 500)."""
    sagemaker = moto_model(aws)
    sagemaker.add_tags(ResourceArn=MOTO_MODEL, Tags=[{"Key": "team", "Value": "ml"}])
    body = {"ResourceArn": MOTO_MODEL, "TagKeys": 7}
    response = send(aws, "sagemaker", "DeleteTags", {}, body=body)
    status, code, message = error_of(response)
    assert (status, code) == (400, "ValidationException") and "TagKeys" in message
    assert sagemaker.list_tags(ResourceArn=MOTO_MODEL)["Tags"] == [{"Key": "team", "Value": "ml"}]


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/nowhere",
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:no-such-type/nowhere",
        "arn:aws:sagemaker::000000000000:0",
        f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model/a/b",
    ],
)
def test_tags_of_a_sagemaker_resource_that_exists_nowhere(aws: Aws, arn: str) -> None:
    """Tags of a SageMaker resource that exists nowhere crashed moto's SageMaker (a 500)."""
    sagemaker = aws.client("sagemaker")
    for call in (
        lambda: sagemaker.list_tags(ResourceArn=arn),
        lambda: sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]),
        lambda: sagemaker.delete_tags(ResourceArn=arn, TagKeys=["k"]),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        error = raised.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error["Error"]["Code"] == "ValidationException" and arn in error["Error"]["Message"]


def test_a_missing_required_query_member_is_a_validation_error(aws: Aws) -> None:
    """A REST request leaving out a required query member reached no operation (404 UnknownOperationException)."""
    lookoutvision = aws.client("lookoutvision", validate=False)
    arn = f"arn:aws:lookoutvision:us-east-1:{ACCOUNT}:model/p/1"
    with pytest.raises(lookoutvision.exceptions.ValidationException, match="TagKeys"):
        lookoutvision.untag_resource(ResourceArn=arn, TagKeys=[])


def test_a_line_break_in_a_uri_label_is_a_validation_error(aws: Aws) -> None:
    """A line break in a URI label (%0A) was answered by the server with an HTML 404 page."""
    lookoutvision = aws.client("lookoutvision", validate=False)
    with pytest.raises(lookoutvision.exceptions.ValidationException, match="ProjectName"):
        lookoutvision.describe_project(ProjectName="line\nbreak")


def test_an_unexpected_error_is_a_500_in_the_wire_format(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in a service whose model has no InternalServerException was answered with status 400."""

    def broken(self: Any, **_: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(SageMakerResponse, "list_compilation_jobs", broken)
    response = send(aws, "sagemaker", "ListCompilationJobs", {})
    status, code, message = error_of(response)
    assert (status, code) == (500, "InternalServerException")
    assert "a bug" in message and b"Traceback" not in response.body


def test_a_region_named_in_the_query_string_is_not_the_region(aws: Aws) -> None:
    """A query value holding ".<region>.amazonaws.com" picked the request's region on the server (a 500)."""
    bedrock = aws.client("bedrock")
    listed = bedrock.list_model_import_jobs(nameContains="x.mars-1.amazonaws.com")
    assert listed["modelImportJobSummaries"] == []


@pytest.mark.parametrize("region", ["mars-east-9", "aws"])
def test_a_request_signed_for_an_unknown_region(aws: Aws, region: str) -> None:
    """A request signed for a region no service has was a 500 (KeyError) on the server."""
    request = serialize("bedrock", "ListModelImportJobs", {})
    request.region = region
    sender = InProcess() if aws.endpoint is None else OverHttp(aws.endpoint)
    response = sender.send(request)
    if aws.endpoint is None:  # in-process, the endpoint's host names the region
        assert response.status == 200, response.body
        return
    status, code, message = error_of(response)
    assert (status, code) == (400, "ValidationException") and region in message


def test_a_signature_scoped_to_no_region(mlmocks_server: str) -> None:
    """A signature scoped to an empty region crashed moto's server dispatcher (an HTML 500)."""
    request = serialize("bedrock", "ListModelImportJobs", {})
    request.region = ""
    response = OverHttp(mlmocks_server).send(request)
    assert response.status == 400 and b"no service answers this request" in response.body


def test_threads_routing_the_first_requests_of_a_service_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's first requests of a service, arriving together, answered HTML 500s:
    each thread built the service's routers, and werkzeug's rule compiling failed when run
    in several threads at once. Routers are now built once, by one thread."""
    from mlmocks.core import responses
    from tests.reliability.test_concurrency import in_threads

    monkeypatch.setattr(responses, "_ROUTERS", {})
    built = in_threads(lambda _: responses._routers("lookoutvision"))
    assert all(routers is built[0] for routers in built), built


def test_a_result_the_serializer_cannot_write(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while serializing a result escaped _respond's try: an HTML 500 on the server."""
    from mlmocks.bedrock.responses import BedrockResponse

    monkeypatch.setattr(BedrockResponse, "list_model_import_jobs", lambda self, **_: {"modelImportJobSummaries": 5})
    response = send(aws, "bedrock", "ListModelImportJobs", {})
    status, code, message = error_of(response)
    assert (status, code) == (500, "InternalServerException") and "could not write" in message
    assert b"Traceback" not in response.body and b"<html" not in response.body.lower()


def test_a_stray_target_header_on_a_rest_service(aws: Aws) -> None:
    """A stray X-Amz-Target: Foo.Bar on bedrock's POST /listTagsForResource reached moto, which answered 500 (a guardrail ARN: moto answers its tags)."""
    arn = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:guardrail/nowhere00000"
    plain = send(aws, "bedrock", "ListTagsForResource", {"resourceARN": arn})
    stray = send(aws, "bedrock", "ListTagsForResource", {"resourceARN": arn}, **{"X-Amz-Target": "Foo.Bar"})
    assert stray.status == plain.status and 400 <= stray.status < 500, stray.body
    assert error_of(stray)[1] == error_of(plain)[1] == "ResourceNotFoundException"


UNIMPLEMENTED = [
    (service, operation)
    for service in ("neptunedata", "cleanroomsml")
    for operation in sorted(set(botocore_service(service).operation_names) - implemented_operations()[service])
    if not getattr(botocore_operation(service, operation).input_shape, "required_members", [])
]


@pytest.mark.parametrize(("service", "operation"), UNIMPLEMENTED, ids=[f"{s}.{o}" for s, o in UNIMPLEMENTED])
def test_an_unimplemented_operation_names_itself_with_an_error_code(aws: Aws, service: str, operation: str) -> None:
    """An operation mlmocks does not implement answered a bare 501 with no error type (botocore reported the code "501")."""
    client = aws.client(service, validate=False)
    with pytest.raises(ClientError) as raised:
        getattr(client, xform_name(operation))()
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["Error"]["Code"] == "NotImplementedException"
    assert operation in error["Error"]["Message"] and service in error["Error"]["Message"]


@pytest.mark.parametrize(
    ("made_with", "sent_with"),
    [
        ({"SortBy": "Name"}, {"SortBy": "Status"}),
        ({"SortBy": "Status"}, {"SortBy": "Name"}),
        ({"SortBy": "Name", "SortOrder": "Ascending"}, {"SortBy": "Name", "SortOrder": "Descending"}),
        ({"SortBy": "Status", "SortOrder": "Descending"}, {"SortBy": "Status", "SortOrder": "Ascending"}),
    ],
    ids=["Name to Status", "Status to Name", "ascending to descending", "descending to ascending"],
)
def test_a_token_is_bound_to_its_sort_key_and_order(aws: Aws, made_with: dict[str, str], sent_with: dict[str, str]) -> None:
    """A list token was not bound to its sort key: a SortBy=Name token sent with SortBy=Status
    (keys of the same type, where bisect does not fail) was accepted and answered an empty page."""
    sagemaker = aws.client("sagemaker")
    for index in range(3):
        sagemaker.create_compilation_job(
            CompilationJobName=f"token-{index}",
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/sm",
            InputConfig={"S3Uri": "s3://models/m.tar.gz", "DataInputConfig": '{"data": [1, 3, 224, 224]}',
                         "Framework": "PYTORCH"},
            OutputConfig={"S3OutputLocation": "s3://models/out/", "TargetDevice": "ml_c5"},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
        )
    token = sagemaker.list_compilation_jobs(MaxResults=1, **made_with)["NextToken"]
    with pytest.raises(ClientError) as raised:
        sagemaker.list_compilation_jobs(MaxResults=1, NextToken=token, **sent_with)
    error = raised.value.response
    assert error["Error"]["Code"] == "ValidationException" and "NextToken" in error["Error"]["Message"]
    # The same token, with what it was made for, goes on.
    page = sagemaker.list_compilation_jobs(MaxResults=1, NextToken=token, **made_with)
    assert len(page["CompilationJobSummaries"]) == 1
