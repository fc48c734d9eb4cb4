"""What a service lends the reliability tests, found by convention.

The fuzz run covers every implemented operation of every registered service from the
model alone. A service helps it further, and takes part in the concurrency and
isolation tests, by defining ``FIXTURE = ReliabilityFixture(...)`` in
``tests/<service>/reliability.py``: ``setup`` creates resources the fuzzed requests can
name (so valid requests can also succeed), and the job functions start, list, stop and
delete jobs through boto3. Each function gets ``make``, which returns a boto3 client of
a service in the test's mode, account and region.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from mlmocks.core.registry import specs
from tests.modes import REGION, Aws

Client = Any
#: A boto3 client of the named service, in one mode, account and region.
Make = Callable[[str], Client]


@dataclass(frozen=True)
class ReliabilityFixture:
    #: The boto3 client of the service that the job functions take.
    client: Callable[[Make], Client]
    #: Creates resources for the fuzz run to name; returns member name -> values that
    #: name them, or whole values that pass the service's own checks (the fuzzer draws
    #: these often for members of that name).
    setup: Callable[[Make], dict[str, list[Any]]]
    #: Start one job called ``name``.
    create_job: Callable[[Client, str], Any]
    #: Every job's name, all pages followed.
    job_names: Callable[[Client], list[str]]
    #: The error code of a create whose name is taken.
    conflict_code: str
    #: Whatever the jobs below need (a project, a trained model...), run once per reset.
    prepare: Callable[[Make], None] = lambda make: None
    #: Start one job called ``name`` with an idempotency token (None: no tokens).
    create_job_with_token: Callable[[Client, str, str], str] | None = None
    #: Stop / delete a job by name (None: the service has no such call).
    stop_job: Callable[[Client, str], Any] | None = None
    delete_job: Callable[[Client, str], Any] | None = None
    describe_job: Callable[[Client, str], Any] | None = None
    #: Endpoints of one account and region that keep separate jobs (Neptune clusters),
    #: in-process only.
    isolated_endpoints: tuple[str, ...] = ()


def make(aws: Aws, region: str = REGION, account: str | None = None, endpoint: str | None = None) -> Make:
    """Clients in ``aws``'s mode, for ``region`` and (through an assumed role) ``account``."""

    extra: dict[str, str] = {"endpoint_url": endpoint} if endpoint else {}
    if account is not None:
        sts = aws.client("sts", region=region)
        role = f"arn:aws:iam::{account}:role/reliability"
        credentials = sts.assume_role(RoleArn=role, RoleSessionName="reliability")["Credentials"]
        extra.update(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

    def client(service: str) -> Client:
        return aws.client(service, region=region, **extra)

    return client


@cache
def fixtures() -> dict[str, ReliabilityFixture]:
    """Every registered service's fixture, if it has one."""
    found = {}
    for service in sorted(specs()):
        try:
            module = importlib.import_module(f"tests.{service}.reliability")
        except ModuleNotFoundError as missing:
            if missing.name not in (f"tests.{service}", f"tests.{service}.reliability"):
                raise
            continue
        found[service] = module.FIXTURE
    return found


def without_fixture() -> list[str]:
    return sorted(set(specs()) - set(fixtures()))


def all_pages(call: Callable[..., dict[str, Any]], items: str, token: str = "NextToken", **params: Any) -> list[Any]:
    """Every item of a paginated List call."""
    found: list[Any] = []
    while True:
        page = call(**params)
        found += page[items]
        if not page.get(token):
            return found
        params[token] = page[token]
