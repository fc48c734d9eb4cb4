"""What any client sees of Neptune ML on the wire: Neptune's error body with the model's
status in both modes, signed raw HTTP against the server (never a 500 or a traceback), and
the AWS CLI."""

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

from mlmocks import RemoteJobControl
from tests.modes import ACCESS_KEY, Aws

from .helpers import PROCESSING, ROLE, neptune, process, train


@pytest.mark.parametrize(
    "call, code, status",
    [
        (lambda c: c.get_ml_model_transform_job(id="missing"), "MLResourceNotFoundException", 404),
        (lambda c: process(c, "dp-1"), "InvalidParameterException", 400),
        (lambda c: train(c, "train-2", processing="missing"), "BadRequestException", 400),
        (lambda c: c.create_ml_endpoint(), "MissingParameterException", 400),
        (lambda c: c.delete_ml_endpoint(id="endpoint-1"), "PreconditionsFailedException", 400),
    ],
)
def test_errors_are_neptunes(aws: Aws, call: Any, code: str, status: int) -> None:
    client = neptune(aws)
    aws.control.set_progression("neptunedata::ml-endpoint", "manual", times=1000)
    process(client)
    train(client)
    client.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    client.delete_ml_endpoint(id="endpoint-1")
    raw: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-parse.neptunedata", lambda response_dict, **_: raw.append(response_dict)
    )
    with pytest.raises(getattr(client.exceptions, code)) as info:
        call(client)
    response = info.value.response  # type: ignore[attr-defined]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["Error"]["Code"] == response["code"] == code
    assert response["Error"]["Message"] == response["detailedMessage"] != ""
    body = json.loads(raw[-1]["body"])
    assert {"code", "requestId", "detailedMessage"} <= set(body)
    assert body["requestId"] == response["ResponseMetadata"]["RequestId"]  # the x-amzn-RequestId


@pytest.fixture
def server(mlmocks_server: str) -> Any:
    _post(f"{mlmocks_server}/moto-api/reset")
    yield mlmocks_server
    _post(f"{mlmocks_server}/moto-api/reset")
    RemoteJobControl(mlmocks_server).reset_progression(PROCESSING)


def _post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST", headers={"Content-Type": "application/json"})).read()


def call(endpoint: str, method: str, path: str, body: bytes = b"") -> tuple[int, Any, str]:
    request = AWSRequest(
        method=method,
        url=f"{endpoint}{path}",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(Credentials(ACCESS_KEY, "secret"), "neptune-db", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=body or None, method=method, headers=dict(request.headers.items())
    )
    try:
        with urllib.request.urlopen(prepared) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.mark.parametrize(
    "method, path, body, code, status, names",
    [
        ("GET", "/ml/dataprocessing/nope", b"", "MLResourceNotFoundException", 404, "'nope'"),
        (
            "POST",
            "/ml/dataprocessing",
            b"",
            "InvalidParameterException",
            400,
            "inputDataS3Location",
        ),
        ("POST", "/ml/dataprocessing", b"{not json", "InvalidParameterException", 400, "JSON"),
        (
            "POST",
            "/ml/modeltraining",
            b'{"dataProcessingJobId": 7, "trainModelS3Location": "s3://graph/m/"}',
            "InvalidParameterException",
            400,
            "dataProcessingJobId",
        ),
        ("GET", "/ml/endpoints?maxItems=many", b"", "InvalidParameterException", 400, "maxItems"),
        (
            "DELETE",
            "/ml/modeltransform/t-1?clean=maybe",
            b"",
            "InvalidParameterException",
            400,
            "clean",
        ),
        (
            "GET",
            "/ml/modeltraining?neptuneIamRoleArn=role",
            b"",
            "BadRequestException",
            400,
            "neptuneIamRoleArn",
        ),
    ],
)
def test_raw_requests_get_neptunes_errors(
    server: str, method: str, path: str, body: bytes, code: str, status: int, names: str
) -> None:
    answered, headers, text = call(server, method, path, body)
    assert answered == status, text
    assert "Traceback" not in text
    document = json.loads(text)
    assert headers["X-Amzn-ErrorType"] == document["code"] == code
    assert document["requestId"] == headers["x-amzn-RequestId"]
    assert names in document["detailedMessage"]


def test_raw_requests_succeed(server: str) -> None:
    status, _, text = call(
        server,
        "POST",
        "/ml/dataprocessing",
        json.dumps(
            {
                "id": "raw-1",
                "inputDataS3Location": "s3://graph/e/",
                "processedDataS3Location": "s3://graph/p/",
                "enableInterContainerTrafficEncryption": True,
            }
        ).encode(),  # a newer member: ignored
    )
    assert status == 200 and json.loads(text)["id"] == "raw-1"
    status, _, text = call(server, "GET", "/ml/dataprocessing?maxItems=1")
    assert status == 200 and json.loads(text) == {"ids": ["raw-1"]}


def test_aws_cli_against_the_server(server: str) -> None:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    base = [sys.executable, "-m", "awscli", "neptunedata", "--endpoint-url", server]

    def cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], env=env, capture_output=True, text=True, check=ok)

    RemoteJobControl(server).set_progression(PROCESSING, "manual", times=1000)
    started = json.loads(
        cli(
            "start-ml-data-processing-job",
            "--id",
            "cli-job",
            "--input-data-s3-location",
            "s3://graph/export/",
            "--processed-data-s3-location",
            "s3://graph/processed/",
            "--neptune-iam-role-arn",
            ROLE,
        ).stdout
    )
    assert started["arn"].endswith(":processing-job/cli-job")
    assert (
        json.loads(cli("get-ml-data-processing-job", "--id", "cli-job").stdout)["status"]
        == "InProgress"
    )
    assert json.loads(cli("list-ml-data-processing-jobs", "--max-items", "5").stdout) == {
        "ids": ["cli-job"]
    }
    cancelled = cli(
        "cancel-ml-data-processing-job",
        "--id",
        "cli-job",
        "--clean",
        "--neptune-iam-role-arn",
        ROLE,
    )
    assert json.loads(cancelled.stdout) == {"status": "Stopping"}

    missing = cli("get-ml-data-processing-job", "--id", "nope", ok=False)
    assert missing.returncode != 0
    assert (
        "An error occurred (MLResourceNotFoundException) when calling the GetMLDataProcessingJob operation"
        in missing.stderr
    )
    assert "'nope'" in missing.stderr
    again = cli("cancel-ml-data-processing-job", "--id", "cli-job", ok=False)
    assert "(InvalidParameterException)" in again.stderr and "already Stopping" in again.stderr


def test_concurrent_starts_on_the_threaded_server(server: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def start(job_id: str) -> int:
        body = {
            "id": job_id,
            "inputDataS3Location": "s3://graph/e/",
            "processedDataS3Location": "s3://graph/p/",
        }
        return call(server, "POST", "/ml/dataprocessing", json.dumps(body).encode())[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        same = list(pool.map(start, ["same"] * 8))
        distinct = list(pool.map(start, [f"job-{i}" for i in range(16)]))
    assert sorted(same) == [200] + [400] * 7  # one wins; the others are duplicates
    assert distinct == [200] * 16
    status, _, text = call(server, "GET", "/ml/dataprocessing?maxItems=100")
    assert sorted(json.loads(text)["ids"]) == sorted(["same", *(f"job-{i}" for i in range(16))])
