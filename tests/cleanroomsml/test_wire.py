"""Clean Rooms ML as any client sees it: the control API over plain HTTP, ARNs in paths,
error bodies, and the AWS CLI against the server."""

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

from mlmocks import RemoteJobControl, job_control
from tests.cleanroomsml.conftest import COLLABORATION, MEMBERSHIP_A, MEMBERSHIP_B, ROLE, B
from tests.modes import ACCESS_KEY, ACCOUNT


def _post(url: str, body: Any) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _signed(endpoint: str, method: str, path: str, body: str = "") -> tuple[int, Any, dict[str, Any]]:
    request = AWSRequest(
        method=method, url=f"{endpoint}{path}", data=body.encode(), headers={"Content-Type": "application/json"}
    )
    SigV4Auth(Credentials(ACCESS_KEY, "secret"), "cleanrooms-ml", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=body.encode() if method != "GET" else None, method=method,
        headers=dict(request.headers.items()),
    )
    try:
        with urllib.request.urlopen(prepared) as response:
            return response.status, response.headers, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"{}")


def test_declaring_over_plain_http(mlmocks_server: str) -> None:
    _post(f"{mlmocks_server}/moto-api/reset", {})
    url = f"{mlmocks_server}/mlmocks-api/declare_collaboration"
    status, body = _post(url, {"collaboration_id": COLLABORATION, "members": {ACCOUNT: MEMBERSHIP_A}})
    assert status == 200
    assert body["result"]["members"] == {ACCOUNT: MEMBERSHIP_A}
    status, body = _post(url, {"collaboration_id": COLLABORATION, "members": {ACCOUNT: MEMBERSHIP_A}, "colour": "x"})
    assert status == 400 and "colour" in body["message"]
    status, body = _post(url, {"members": {ACCOUNT: MEMBERSHIP_A}})
    assert status == 400 and "collaboration_id" in body["message"]
    status, body = _post(url, {"collaboration_id": "nope", "members": {ACCOUNT: MEMBERSHIP_A}})
    assert status == 400 and "not a lowercase UUID" in body["message"]
    status, body = _post(url, ["not", "an", "object"])
    assert status == 400
    status, body = _post(f"{mlmocks_server}/mlmocks-api/declare_nothing", {})
    assert status == 404 and "declare_collaboration" in body["message"]
    _post(f"{mlmocks_server}/moto-api/reset", {})


def test_controls_know_only_the_methods_services_contribute(mlmocks_server: str) -> None:
    for control in (job_control, RemoteJobControl(mlmocks_server)):
        assert callable(control.declare_collaboration)
        with pytest.raises(AttributeError):
            control.declare_nothing  # noqa: B018
        with pytest.raises(AttributeError):
            control._private  # noqa: B018


def test_arns_in_paths_and_errors_on_the_wire(mlmocks_server: str) -> None:
    _post(f"{mlmocks_server}/moto-api/reset", {})
    RemoteJobControl(mlmocks_server).declare_collaboration(COLLABORATION, {ACCOUNT: MEMBERSHIP_A, B: MEMBERSHIP_B})
    body = json.dumps(
        {"name": "raw", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/r", "trainingContainerConfig": {"imageUri": "i:1"}}
    )
    status, headers, created = _signed(mlmocks_server, "POST", "/configured-model-algorithms", body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    arn = created["configuredModelAlgorithmArn"]
    quoted = urllib.request.quote(arn, safe="")
    status, _, got = _signed(mlmocks_server, "GET", f"/configured-model-algorithms/{quoted}")
    assert (status, got["name"]) == (200, "raw")
    # Unencoded, as some clients send an ARN: the last label takes the rest of the path.
    status, _, got = _signed(mlmocks_server, "GET", f"/configured-model-algorithms/{arn}")
    assert (status, got["configuredModelAlgorithmArn"]) == (200, arn)
    status, headers, error = _signed(mlmocks_server, "GET", f"/configured-model-algorithms/{quoted[:-3]}abc")
    assert status == 404
    assert headers["X-Amzn-ErrorType"].startswith("ResourceNotFoundException")
    assert "not found" in error["message"]
    status, headers, error = _signed(mlmocks_server, "GET", f"/memberships/{MEMBERSHIP_B}/trained-models")
    assert status == 403 and headers["X-Amzn-ErrorType"].startswith("AccessDeniedException")
    status, headers, error = _signed(mlmocks_server, "POST", "/configured-model-algorithms", "{not json")
    assert status == 400 and headers["X-Amzn-ErrorType"].startswith("ValidationException")
    status, _, _ = _signed(mlmocks_server, "GET", "/no-such-path")
    assert status == 404
    _post(f"{mlmocks_server}/moto-api/reset", {})


def test_aws_cli_against_the_server(mlmocks_server: str) -> None:
    _post(f"{mlmocks_server}/moto-api/reset", {})
    RemoteJobControl(mlmocks_server).declare_collaboration(COLLABORATION, {ACCOUNT: MEMBERSHIP_A})
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    base = [sys.executable, "-m", "awscli", "cleanroomsml", "--endpoint-url", mlmocks_server]

    def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], env=env, capture_output=True, text=True, check=check)

    algorithm = json.loads(
        cli("create-configured-model-algorithm", "--name", "cli", "--role-arn", ROLE.replace("111111111111", ACCOUNT),
            "--training-container-config", json.dumps({"imageUri": "train:1"})).stdout
    )["configuredModelAlgorithmArn"]
    association = json.loads(
        cli("create-configured-model-algorithm-association", "--membership-identifier", MEMBERSHIP_A,
            "--configured-model-algorithm-arn", algorithm, "--name", "cli").stdout
    )["configuredModelAlgorithmAssociationArn"]
    source = {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}}
    channel = json.loads(
        cli("create-ml-input-channel", "--membership-identifier", MEMBERSHIP_A, "--name", "cli",
            "--configured-model-algorithm-associations", association, "--retention-in-days", "7",
            "--input-channel", json.dumps({"dataSource": source, "roleArn": ROLE.replace("111111111111", ACCOUNT)})).stdout
    )["mlInputChannelArn"]
    model = json.loads(
        cli("create-trained-model", "--membership-identifier", MEMBERSHIP_A, "--name", "cli-model",
            "--configured-model-algorithm-association-arn", association,
            "--resource-config", json.dumps({"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 5}),
            "--data-channels", json.dumps([{"mlInputChannelArn": channel, "channelName": "train"}])).stdout
    )["trainedModelArn"]
    got = json.loads(cli("get-trained-model", "--membership-identifier", MEMBERSHIP_A,
                         "--trained-model-arn", model).stdout)
    assert (got["name"], got["status"]) == ("cli-model", "ACTIVE")
    listed = json.loads(cli("list-collaboration-trained-models", "--collaboration-identifier", COLLABORATION).stdout)
    assert [m["trainedModelArn"] for m in listed["collaborationTrainedModels"]] == [model]
    missing = cli("cancel-trained-model", "--membership-identifier", MEMBERSHIP_A, "--trained-model-arn", model,
                  check=False)
    assert missing.returncode != 0 and "ConflictException" in missing.stderr
    _post(f"{mlmocks_server}/moto-api/reset", {})
