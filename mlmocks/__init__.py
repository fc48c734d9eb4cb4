"""mlmocks: in-memory mocks of AWS machine-learning job APIs, as a plugin for moto.

The public names load on first use (``from mlmocks import mock_mljobs``), which also
puts mlmocks' services into moto's routing; their models load when a request first
reaches them. So installing mlmocks (and its pytest plugin) costs nothing until used.

Importing mlmocks does one cheap thing: where the installed botocore no longer ships a
service mlmocks mocks (Lookout for Vision), it puts mlmocks' copy of the service model on
``AWS_DATA_PATH``, so ``boto3.client("lookoutvision")`` works (see ``mlmocks.data``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import data

if TYPE_CHECKING:  # what type checkers see; at run time they load on first use
    from .api import (
        ControlError,
        JobControl,
        RemoteJobControl,
        job_control,
        mock_mljobs,
        register,
    )

__version__ = "0.1.0"

__all__ = [
    "ControlError",
    "JobControl",
    "RemoteJobControl",
    "__version__",
    "job_control",
    "mock_mljobs",
    "register",
]
_PUBLIC = set(__all__) - {"__version__"}

data.lend_through_environment()


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'mlmocks' has no attribute {name!r}")
