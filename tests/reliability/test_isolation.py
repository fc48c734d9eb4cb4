"""Accounts, regions and Neptune clusters never see each other's jobs; moto's reset
(``/moto-api/reset``, the decorator's exit) clears mlmocks' state as it clears moto's."""

from __future__ import annotations

import urllib.request

import boto3
import pytest

from mlmocks import job_control, mock_mljobs
from tests.modes import Aws
from tests.reliability import state
from tests.reliability.services import ReliabilityFixture, fixtures, make

FIXTURES = sorted(fixtures().items())
OTHER_ACCOUNT = "111122223333"
OTHER_REGION = "us-west-2"
by_service = pytest.mark.parametrize(("service", "fixture"), FIXTURES, ids=[s for s, _ in FIXTURES])


def job_in(fixture: ReliabilityFixture, make_client: object, name: str) -> object:
    fixture.prepare(make_client)  # type: ignore[arg-type]
    client = fixture.client(make_client)  # type: ignore[arg-type]
    fixture.create_job(client, name)
    return client


@pytest.mark.parametrize("elsewhere", [{"account": OTHER_ACCOUNT}, {"region": OTHER_REGION}], ids=["account", "region"])
@by_service
def test_accounts_and_regions_never_see_each_others_jobs(
    aws: Aws, service: str, fixture: ReliabilityFixture, elsewhere: dict[str, str]
) -> None:
    here = job_in(fixture, make(aws), "job-here")
    there = job_in(fixture, make(aws, **elsewhere), "job-elsewhere")
    assert fixture.job_names(here) == ["job-here"]
    assert fixture.job_names(there) == ["job-elsewhere"]


@pytest.mark.parametrize(
    ("service", "fixture"),
    [(s, f) for s, f in FIXTURES if f.isolated_endpoints],
    ids=[s for s, f in FIXTURES if f.isolated_endpoints],
)
def test_endpoints_never_see_each_others_jobs(decorator_aws: Aws, service: str, fixture: ReliabilityFixture) -> None:
    clients = {
        endpoint: job_in(fixture, make(decorator_aws, endpoint=endpoint), f"job-{index}")
        for index, endpoint in enumerate(fixture.isolated_endpoints)
    }
    for index, (endpoint, client) in enumerate(clients.items()):
        assert fixture.job_names(client) == [f"job-{index}"], endpoint


def fill_every_backend(aws: Aws) -> None:
    """Jobs in every service, two accounts and two regions, and a moto bucket."""
    for _, fixture in FIXTURES:
        for where in (make(aws), make(aws, account=OTHER_ACCOUNT), make(aws, region=OTHER_REGION)):
            job_in(fixture, where, "doomed")
    aws.client("s3").create_bucket(Bucket="motos-own")
    job_control.fail(fixture_kind(), "a rule the reset must forget")
    assert state.unlike_fresh() is not None


def fixture_kind() -> str:
    return job_control.kinds()[0]


def test_moto_api_reset_clears_every_backend(mlmocks_server: str) -> None:
    aws = Aws("server", mlmocks_server, job_control)
    fill_every_backend(aws)
    urllib.request.urlopen(urllib.request.Request(f"{mlmocks_server}/moto-api/reset", data=b"{}", method="POST", headers={"Content-Type": "application/json"})).read()
    assert state.unlike_fresh() is None
    assert aws.client("s3").list_buckets()["Buckets"] == []
    for _, fixture in FIXTURES:
        fixture.prepare(make(aws))
        assert fixture.job_names(fixture.client(make(aws))) == []
    urllib.request.urlopen(urllib.request.Request(f"{mlmocks_server}/moto-api/reset", data=b"{}", method="POST", headers={"Content-Type": "application/json"})).read()


def test_the_decorators_exit_clears_every_backend() -> None:
    with mock_mljobs():
        fill_every_backend(Aws("decorator", None, job_control))
    assert state.unlike_fresh() is None
    from moto.s3.models import s3_backends

    assert not any(backend.buckets for _, _, backend in s3_backends.iter_backends())
    with mock_mljobs():
        aws = Aws("decorator", None, job_control)
        assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
        for _, fixture in FIXTURES:
            fixture.prepare(make(aws))
            assert fixture.job_names(fixture.client(make(aws))) == []
