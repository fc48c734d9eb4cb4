"""What any SDK sees on the wire from mlmocks-server for SageMaker: signed raw HTTP, odd
requests answered in SageMaker's error format (never a 500 or a traceback), and the AWS
CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.modes import ACCESS_KEY

from .helpers import INPUT, OUTPUT, ROLE, STOPPING

JSON = "application/x-amz-json-1.1"


@pytest.fixture
def server(mlmocks_server: str) -> Any:
    _post(f"{mlmocks_server}/moto-api/reset")
    yield mlmocks_server
    _post(f"{mlmocks_server}/moto-api/reset")


def _post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST", headers={"Content-Type": "application/json"})).read()


def call(endpoint: str, target: str | None, body: str, content_type: str = JSON) -> tuple[int, Any, str]:
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method="POST", url=f"{endpoint}/", data=body.encode(), headers=headers)
    SigV4Auth(Credentials(ACCESS_KEY, "secret"), "sagemaker", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=body.encode(), method="POST", headers=dict(request.headers.items())
    )
    try:
        with urllib.request.urlopen(prepared) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def create_body(name: str = "raw-1") -> str:
    return json.dumps({
        "CompilationJobName": name, "RoleArn": ROLE, "InputConfig": INPUT,
        "OutputConfig": OUTPUT, "StoppingCondition": STOPPING,
    })


def test_raw_http_success_and_errors(server: str) -> None:
    status, headers, body = call(server, "SageMaker.CreateCompilationJob", create_body())
    assert status == 200 and headers["Content-Type"] == JSON
    assert set(json.loads(body)) == {"CompilationJobArn"}

    status, headers, body = call(server, "SageMaker.DescribeCompilationJob", '{"CompilationJobName": "raw-1"}')
    described = json.loads(body)
    assert status == 200 and described["CompilationJobStatus"] == "COMPLETED"
    assert isinstance(described["CreationTime"], (int, float))  # epoch seconds, as SageMaker sends

    status, headers, body = call(server, "SageMaker.DescribeCompilationJob", '{"CompilationJobName": "nope"}')
    assert status == 400 and headers["X-Amzn-ErrorType"] == "ResourceNotFound"
    assert json.loads(body)["__type"] == "ResourceNotFound" and "nope" in json.loads(body)["Message"]

    status, headers, body = call(server, "SageMaker.CreateCompilationJob", create_body())
    assert status == 400 and json.loads(body)["__type"] == "ResourceInUse"

    status, _, body = call(server, "SageMaker.StopCompilationJob", '{"CompilationJobName": "raw-1"}')
    assert status == 400 and json.loads(body)["__type"] == "ValidationException"

    status, _, body = call(server, "SageMaker.DeleteCompilationJob", '{"CompilationJobName": "raw-1"}')
    assert status == 200 and json.loads(body or "{}") == {}


@pytest.mark.parametrize(
    "target, body, content_type, error",
    [
        ("SageMaker.DescribeCompilationJob", "{not json", JSON, "ValidationException"),
        ("SageMaker.DescribeCompilationJob", "[1, 2]", JSON, "ValidationException"),
        ("SageMaker.DescribeCompilationJob", "", JSON, "ValidationException"),
        ("SageMaker.DescribeCompilationJob", '{"CompilationJobName": 7}', JSON, "ValidationException"),
        ("SageMaker.CreateCompilationJob", '{"CompilationJobName": "x", "Tags": "no"}', JSON,
         "ValidationException"),
        ("SageMaker.ListCompilationJobs", '{"CreationTimeAfter": "garbage"}', JSON, "ValidationException"),
        ("SageMaker.ListCompilationJobs", '{"MaxResults": 1.5}', JSON, "ValidationException"),
        ("SageMaker.AddTags", '{"ResourceArn": ["x"], "Tags": []}', JSON, "ValidationException"),
        # SageMaker speaks JSON whatever Content-Type a client sends.
        ("SageMaker.DescribeCompilationJob", '{"CompilationJobName": "nope"}', "application/json",
         "ResourceNotFound"),
        ("SageMaker.DescribeCompilationJob", '{"CompilationJobName": "nope"}',
         "application/x-www-form-urlencoded", "ResourceNotFound"),
        ("SageMaker.NoSuchOperation", "{}", JSON, "UnknownOperationException"),
        ("Bedrock.ListCustomModels", "{}", JSON, "UnknownOperationException"),
        (None, "{}", JSON, "UnknownOperationException"),
    ],
)
def test_odd_requests_get_sagemaker_errors(
    server: str, target: str | None, body: str, content_type: str, error: str
) -> None:
    status, headers, text = call(server, target, body, content_type)
    assert status == 400, text
    assert "Traceback" not in text
    document = json.loads(text)
    assert document["__type"] == error and headers["X-Amzn-ErrorType"] == error
    assert isinstance(document["Message"], str) and document["Message"]


def test_motos_operations_over_raw_http(server: str) -> None:
    status, _, body = call(server, "SageMaker.ListTrainingJobs", "{}")
    assert status == 200 and json.loads(body) == {"TrainingJobSummaries": []}


def test_aws_cli_against_the_server(server: str) -> None:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    base = [sys.executable, "-m", "awscli", "sagemaker", "--endpoint-url", server]

    def cli(*args: str) -> Any:
        done = subprocess.run([*base, *args], env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout) if done.stdout.strip() else None

    arns = [
        cli("create-compilation-job", "--compilation-job-name", name, "--role-arn", ROLE,
            "--input-config", json.dumps(INPUT), "--output-config", json.dumps(OUTPUT),
            "--stopping-condition", json.dumps(STOPPING),
            "--tags", "Key=team,Value=vision")["CompilationJobArn"]
        for name in ("cli-job-1", "cli-job-2", "cli-job-3")
    ]
    assert arns[0].endswith(":compilation-job/cli-job-1")
    assert cli("describe-compilation-job", "--compilation-job-name", "cli-job-1")["CompilationJobStatus"] == "COMPLETED"
    # The CLI follows NextToken itself: pages of one still list every job.
    listed = cli("list-compilation-jobs", "--page-size", "1", "--sort-order", "Descending")
    assert [j["CompilationJobName"] for j in listed["CompilationJobSummaries"]] == [
        "cli-job-3", "cli-job-2", "cli-job-1"
    ]
    cli("add-tags", "--resource-arn", arns[0], "--tags", "Key=stage,Value=dev")
    assert cli("list-tags", "--resource-arn", arns[0])["Tags"] == [
        {"Key": "team", "Value": "vision"}, {"Key": "stage", "Value": "dev"}
    ]
    cli("delete-compilation-job", "--compilation-job-name", "cli-job-1")
    missing = subprocess.run(
        [*base, "describe-compilation-job", "--compilation-job-name", "cli-job-1"],
        env=env, capture_output=True, text=True,
    )
    assert missing.returncode != 0 and "ResourceNotFound" in missing.stderr
    refused = subprocess.run(
        [*base, "stop-compilation-job", "--compilation-job-name", "cli-job-2"],
        env=env, capture_output=True, text=True,
    )
    assert refused.returncode != 0 and "ValidationException" in refused.stderr
