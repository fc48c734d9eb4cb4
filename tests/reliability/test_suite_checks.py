"""The suite's own checks stay on however pytest is run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _full_run

ROOT = Path(__file__).resolve().parents[2]


class _Config:
    def __init__(self, args: list[str], source: Any, **options: Any) -> None:
        self.args = args
        self.args_source = source
        self.invocation_params = type("Invocation", (), {"dir": ROOT})()
        self.options = options

    def getoption(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@pytest.mark.regression("The 'every implemented operation was seen' check turned off when pytest was given a path (even `tests`)")
@pytest.mark.parametrize(
    ("args", "whole"),
    [
        (["tests"], True),
        (["."], True),
        ([str(ROOT / "tests") + "/"], True),
        (["tests/bedrock"], False),
        (["tests/test_iam.py"], False),
        (["tests/reliability/test_fuzz.py::test_fuzzed_requests"], False),
    ],
)
def test_the_completeness_check_runs_on_the_whole_suite_however_named(args: list[str], whole: bool) -> None:
    assert _full_run(_Config(args, pytest.Config.ArgsSource.ARGS)) is whole  # type: ignore[arg-type]
    assert _full_run(_Config([], pytest.Config.ArgsSource.TESTPATHS)) is True  # type: ignore[arg-type]
    for option in ({"keyword": "bedrock"}, {"markexpr": "slow"}, {"lf": True}, {"deselect": ["x"]}):
        assert _full_run(_Config(args, pytest.Config.ArgsSource.ARGS, **option)) is False  # type: ignore[arg-type]


# -- the conformance checker ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def answers() -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Raw answers of a bedrock (rest-json) and a SageMaker (json) describe, as the mock gives them."""
    from mlmocks import mock_mljobs
    from tests.helpers import import_model
    from tests.modes import Aws
    from tests.reliability.wire import InProcess, serialize
    from tests.sagemaker.helpers import create_job

    found = {}
    with mock_mljobs():
        aws = Aws("decorator", None, None)  # type: ignore[arg-type]
        import_model(aws.client("bedrock"), name="checked")
        create_job(aws.client("sagemaker"), name="checked")
        sender = InProcess()
        for service, operation, params in [
            ("bedrock", "GetModelImportJob", {"jobIdentifier": "checked"}),
            ("sagemaker", "DescribeCompilationJob", {"CompilationJobName": "checked"}),
        ]:
            response = sender.send(serialize(service, operation, params))
            assert response.status == 200, response.body
            found[operation] = (response.status, response.headers, response.body)
    return found


def _changed(answer: tuple[int, dict[str, str], bytes], **members: Any) -> tuple[int, dict[str, str], bytes]:
    import json

    status, headers, body = answer
    document = json.loads(body)
    for name, value in members.items():
        if value is _DROP:
            document.pop(name)
        else:
            document[name] = value
    return status, headers, json.dumps(document).encode()


_DROP = object()


@pytest.mark.regression("The conformance checker took a timestamp in either form and a union with no member set")
@pytest.mark.parametrize(
    ("operation", "members", "says"),
    [
        ("GetModelImportJob", {"creationTime": 1714564800}, "expected an iso8601 timestamp"),
        ("GetModelImportJob", {"creationTime": "yesterday"}, "not a timestamp"),
        ("DescribeCompilationJob", {"CreationTime": "2024-05-01T12:00:00Z"}, "expected epoch seconds"),
        ("GetModelImportJob", {"modelDataSource": {}}, "a union with 0 members set"),
    ],
)
def test_the_conformance_checker_enforces_the_output_shape(
    answers: dict[str, tuple[int, dict[str, str], bytes]], operation: str, members: dict[str, Any], says: str
) -> None:
    from tests.conformance import check_response

    service = "bedrock" if operation == "GetModelImportJob" else "sagemaker"
    assert check_response(service, operation, *answers[operation]) == []  # the mock's own answer conforms
    problems = check_response(service, operation, *_changed(answers[operation], **members))
    assert any(says in problem for problem in problems), problems
