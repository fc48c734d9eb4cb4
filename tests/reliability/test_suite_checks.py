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
