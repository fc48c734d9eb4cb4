"""Requests reach their operation with their own URI labels, however often a path has
been seen (REST routers remember matched paths, and start again when they hold many)."""

from __future__ import annotations

import pytest

from mlmocks.core import responses
from tests.modes import Aws

ROLE = "arn:aws:iam::123456789012:role/bedrock-import"


@pytest.fixture
def few_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two paths, then the router forgets them all: the third path finds every case.
    monkeypatch.setattr(responses._RememberingPaths, "REMEMBERED", 2)


def test_each_request_gets_its_own_labels(aws: Aws, few_remembered: None) -> None:
    bedrock = aws.client("bedrock")
    names = [f"route-{i}" for i in range(5)]
    for name in names:
        bedrock.create_model_import_job(
            jobName=name,
            importedModelName=f"{name}-model",
            roleArn=ROLE,
            modelDataSource={"s3DataSource": {"s3Uri": "s3://models/llama/"}},
        )
    for _ in range(3):  # paths seen before, forgotten, and seen again
        for name in names:
            assert bedrock.get_model_import_job(jobIdentifier=name)["jobName"] == name
            model = bedrock.get_imported_model(modelIdentifier=f"{name}-model")
            assert model["modelName"] == f"{name}-model"
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_model_import_job(jobIdentifier="route-9")


def test_a_service_reads_another_services_backends_by_name() -> None:
    from mlmocks.core.registry import backends_of, specs

    assert backends_of("cleanrooms") is specs()["cleanrooms"].backends()
