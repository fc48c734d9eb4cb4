"""mlmocks' serializer writes what moto's writes (the suite checks every response; see
tests/serialization_check.py), and that check does catch a difference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.services import SERVICES
from mlmocks import mock_mljobs
from mlmocks.core import serialization
from tests.serialization_check import SerializerMismatch


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_mljobs():
        yield


def call(client: Any, method: str, params: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = getattr(client, method)(**params)
    answer.pop("ResponseMetadata")
    return answer


@pytest.mark.parametrize("bench", SERVICES, ids=lambda bench: bench.service)
def test_describes_lists_and_errors_match_moto(mocked: None, bench: Any) -> None:
    client = bench.client()
    bench.prepare(client)
    bench.seed(client, 3)
    describe = bench.describe_call(client)
    assert call(client, *describe)
    listed = call(client, *bench.list_call(client))
    assert any(isinstance(value, list) and value for value in listed.values())
    # The job's own identifier is the last parameter; a well-formed one nobody made.
    job_key, job_id = list(describe[1].items())[-1]
    unknown = job_id[:-4] + ("yyyy" if job_id.endswith("zzzz") else "zzzz")
    with pytest.raises(client.exceptions.ClientError) as info:
        call(client, describe[0], {**describe[1], job_key: unknown})
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 404)


def test_a_difference_is_caught(mocked: None, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = SERVICES[0]
    client = bench.client()
    bench.seed(client, 1)
    real_writer = serialization.result_writer

    def wrong_writer(service_name: str, operation_name: str) -> Any:
        writer = real_writer(service_name, operation_name)
        assert writer is not None  # GetModelImportJob is written by a compiled writer

        def wrong(result: Any) -> Any:
            written = writer(result)
            return {**written, "body": written["body"].replace('"jobName": "', '"jobName": "wrong')}

        return wrong

    monkeypatch.setattr(serialization, "result_writer", wrong_writer)
    with pytest.raises(SerializerMismatch, match="GetModelImportJob"):
        call(client, *bench.describe_call(client))


def test_a_difference_in_moto_s_walk_is_caught(mocked: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without compiled writers, moto's serializer (with remembered picks) writes."""
    bench = SERVICES[0]
    client = bench.client()
    bench.seed(client, 1)
    real_pick = serialization._PICKER.pick

    def wrong_pick(obj: Any, key: str, shape: Any) -> Any:
        return "wrong" if key == "jobName" else real_pick(obj, key, shape)

    monkeypatch.setattr(serialization, "result_writer", lambda service_name, operation_name: None)
    monkeypatch.setattr(serialization._PICKER, "pick", wrong_pick)
    with pytest.raises(SerializerMismatch, match="GetModelImportJob"):
        call(client, *bench.describe_call(client))
