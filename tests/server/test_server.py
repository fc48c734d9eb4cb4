"""mlmocks-server: the session fixture, moto's reset and state manager over HTTP, the
wire format seen by any SDK, the console script, python -m and the AWS CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.helpers import KIND, ROLE, SOURCE, import_model, job_names, moto_customization_job

# -- the server fixture -----------------------------------------------------------------


def test_server_fixture_serves_ours_and_motos(mlmocks_server: str) -> None:
    session = dict(
        region_name="us-east-1",
        endpoint_url=mlmocks_server,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    _post(f"{mlmocks_server}/moto-api/reset")
    bedrock = boto3.client("bedrock", **session)
    s3 = boto3.client("s3", **session)
    s3.create_bucket(Bucket="my-models")
    import_model(bedrock)
    moto_customization_job(bedrock)
    assert job_names(bedrock) == ["job-1"]
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["my-models"]
    # moto's reset resets ours too.
    _post(f"{mlmocks_server}/moto-api/reset")
    assert job_names(bedrock) == []
    assert s3.list_buckets()["Buckets"] == []


def test_moto_state_manager_api_drives_our_jobs(mlmocks_server: str) -> None:
    bedrock = boto3.client(
        "bedrock",
        region_name="us-east-1",
        endpoint_url=mlmocks_server,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    _post(f"{mlmocks_server}/moto-api/reset")
    transition = {"model_name": KIND, "transition": {"progression": "manual", "times": 2}}
    _post(f"{mlmocks_server}/moto-api/state-manager/set-transition", json.dumps(transition))
    try:
        import_model(bedrock)
        statuses = [bedrock.get_model_import_job(jobIdentifier="job-1")["status"] for _ in range(2)]
        assert statuses == ["InProgress", "Completed"]
    finally:
        _post(
            f"{mlmocks_server}/moto-api/state-manager/unset-transition",
            json.dumps({"model_name": KIND}),
        )


def test_raw_http_wire_format(mlmocks_server: str) -> None:
    """Any SDK sees what boto3 sees: status codes, headers and JSON bodies."""
    _post(f"{mlmocks_server}/moto-api/reset")
    body = json.dumps(
        {"jobName": "raw-1", "importedModelName": "raw-model", "roleArn": ROLE, "modelDataSource": SOURCE}
    )
    status, headers, created = _signed(mlmocks_server, "POST", "/model-import-jobs", body)
    assert status == 201
    assert headers["Content-Type"].startswith("application/json")
    assert set(json.loads(created)) == {"jobArn"}

    status, headers, missing = _signed(mlmocks_server, "GET", "/model-import-jobs/nope")
    assert status == 404
    assert headers["X-Amzn-ErrorType"].split(":")[0] == "ResourceNotFoundException"
    assert "nope" in json.loads(missing)["message" if "message" in json.loads(missing) else "Message"]

    status, headers, invalid = _signed(mlmocks_server, "POST", "/model-import-jobs", "{not json")
    assert status == 400
    assert headers["X-Amzn-ErrorType"].split(":")[0] == "ValidationException"
    assert "Traceback" not in invalid

    status, _, listed = _signed(mlmocks_server, "GET", "/model-import-jobs?maxResults=0")
    assert status == 400 and "maxResults" in listed


# -- the console script, python -m and the AWS CLI -----------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["console-script", "python-m"])
def started_server(request: pytest.FixtureRequest) -> Iterator[str]:
    port = _free_port()
    if request.param == "console-script":
        script = os.path.join(os.path.dirname(sys.executable), "mlmocks-server")
        command = [script, "--port", str(port)]
    else:
        command = [sys.executable, "-m", "mlmocks", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _post(f"{endpoint}/moto-api/reset")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_started_server_binds_localhost_and_serves(started_server: str) -> None:
    bedrock = boto3.client(
        "bedrock",
        region_name="eu-west-1",
        endpoint_url=started_server,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
    )
    arn = import_model(bedrock)
    assert ":eu-west-1:" in arn
    assert job_names(bedrock) == ["job-1"]


def test_aws_cli_against_the_server(mlmocks_server: str) -> None:
    _post(f"{mlmocks_server}/moto-api/reset")
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    base = [sys.executable, "-m", "awscli", "bedrock", "--endpoint-url", mlmocks_server]
    created = subprocess.run(
        [*base, "create-model-import-job", "--job-name", "cli-job", "--imported-model-name",
         "cli-model", "--role-arn", ROLE, "--model-data-source", json.dumps(SOURCE)],
        env=env, capture_output=True, text=True, check=True,
    )
    assert json.loads(created.stdout)["jobArn"].startswith("arn:aws:bedrock:us-east-1:")
    listed = subprocess.run(
        [*base, "list-imported-models"], env=env, capture_output=True, text=True, check=True
    )
    assert [m["modelName"] for m in json.loads(listed.stdout)["modelSummaries"]] == ["cli-model"]
    missing = subprocess.run(
        [*base, "get-model-import-job", "--job-identifier", "nope"],
        env=env, capture_output=True, text=True,
    )
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    # moto's own services answer the CLI on the same server.
    s3 = [sys.executable, "-m", "awscli", "s3api", "--endpoint-url", mlmocks_server]
    subprocess.run([*s3, "create-bucket", "--bucket", "cli-bucket"], env=env, check=True, capture_output=True)
    buckets = subprocess.run([*s3, "list-buckets"], env=env, capture_output=True, text=True, check=True)
    assert [b["Name"] for b in json.loads(buckets.stdout)["Buckets"]] == ["cli-bucket"]


# -- helpers -------------------------------------------------------------------------------


def _post(url: str, body: str = "{}") -> None:
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def _signed(endpoint: str, method: str, path: str, body: str = "") -> tuple[int, Any, str]:
    request = AWSRequest(
        method=method, url=f"{endpoint}{path}", data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(Credentials("AKIAIOSFODNN7EXAMPLE", "secret"), "bedrock", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=body.encode() if method != "GET" else None, method=method,
        headers=dict(request.headers.items()),
    )
    try:
        with urllib.request.urlopen(prepared) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
