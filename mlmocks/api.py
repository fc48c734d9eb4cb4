"""The public API (re-exported by ``mlmocks``). Importing it puts mlmocks' services into
moto's routing, so ``mock_mljobs``, moto's own ``mock_aws`` and ``mlmocks-server`` all
answer them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, overload

from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.core.models import MockAWS

from .core.control import ControlError, JobControl, RemoteJobControl
from .core.registry import register

__all__ = ["ControlError", "JobControl", "RemoteJobControl", "job_control", "mock_mljobs", "register"]

P = ParamSpec("P")
T = TypeVar("T")
C = TypeVar("C", bound=type)

register()

#: Job control for this process (what the pytest fixture hands out).
job_control: JobControl = JobControl()


@overload
def mock_mljobs(func: C) -> C: ...


@overload
def mock_mljobs(func: Callable[P, T]) -> Callable[P, T]: ...


@overload
def mock_mljobs(func: None = None, config: DefaultConfig | None = None) -> MockAWS: ...


def mock_mljobs(func: Callable[..., T] | None = None, config: DefaultConfig | None = None) -> Any:
    """moto's ``mock_aws`` with mlmocks' services in it: a decorator for functions and
    classes (with moto's setUp/setup_method reset rules) and a context manager. It
    shares moto's nesting count, so it nests with ``mock_aws`` in either order."""
    register()
    if func is not None:
        return mock_aws(func)
    return mock_aws(config=config)
