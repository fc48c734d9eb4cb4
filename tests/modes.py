"""Every service test runs twice: boto3 under ``mock_mljobs`` in this process, and boto3
against a real ``mlmocks-server`` over HTTP. The ``aws`` fixture hands a test the
clients and the job control of the mode it runs in."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.config import Config

from mlmocks import JobControl, RemoteJobControl, job_control, mock_mljobs
from mlmocks.core.registry import job_kinds

ACCOUNT = "123456789012"
REGION = "us-east-1"
#: A key moto maps to its default account (an unknown key does too).
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


@dataclass
class Aws:
    mode: str
    endpoint: str | None
    control: JobControl | RemoteJobControl
    _extra: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str, region: str = REGION, validate: bool = True, **kwargs: Any) -> Any:
        """A boto3 client. ``validate=False`` turns off botocore's client-side checks, so
        the request reaches the service as another SDK's would."""
        config = Config(parameter_validation=validate, retries={"max_attempts": 1})
        if self.endpoint is not None:
            kwargs.setdefault("endpoint_url", self.endpoint)
            kwargs.setdefault("aws_access_key_id", ACCESS_KEY)
            kwargs.setdefault("aws_secret_access_key", "secret")
        return boto3.client(service, region_name=region, config=config, **kwargs)

    def client_for_account(self, service: str, account: str, region: str = REGION, validate: bool = True) -> Any:
        """A client whose credentials belong to ``account`` (moto's assume-role mapping)."""
        sts = self.client("sts", region=region)
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/tester", RoleSessionName="tests"
        )["Credentials"]
        return self.client(
            service,
            region=region,
            validate=validate,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )


def _post(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST", headers={"Content-Type": "application/json"})).read()


def put_job_control_back() -> None:
    """Every kind on its default progression, no failure rules. (Progressions are moto
    state-manager settings: they outlive a reset, as in moto.)"""
    for kind in job_kinds():
        job_control.reset_progression(kind)
    job_control.clear_failures()


@pytest.fixture(params=["decorator", "server"])
def aws(request: pytest.FixtureRequest) -> Iterator[Aws]:
    try:
        if request.param == "decorator":
            with mock_mljobs():
                yield Aws("decorator", None, job_control)
        else:
            endpoint = request.getfixturevalue("mlmocks_server")
            _post(f"{endpoint}/moto-api/reset")
            yield Aws("server", endpoint, RemoteJobControl(endpoint))
            _post(f"{endpoint}/moto-api/reset")
    finally:
        put_job_control_back()


@pytest.fixture
def decorator_aws() -> Iterator[Aws]:
    """In-process only (for tests that freeze time or patch the process)."""
    try:
        with mock_mljobs():
            yield Aws("decorator", None, job_control)
    finally:
        put_job_control_back()
