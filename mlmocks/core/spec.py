"""The botocore service models: the spec every operation is checked against.

Models come from the installed botocore, and from mlmocks' own ``data`` folder for
services that botocore no longer ships (the folder uses botocore's layout).
"""

from __future__ import annotations

from functools import cache

from botocore.loaders import Loader
from moto.core.model import OperationModel, ServiceModel

from mlmocks.data import PATH as DATA_PATH
from mlmocks.data import lend_to_loaders


@cache
def _loader() -> Loader:
    # The data folder holds only services that botocore dropped (the same models, without
    # documentation), so searching it first never changes what a model says.
    return Loader(extra_search_paths=[DATA_PATH], include_default_search_paths=True)


@cache
def service_model(service_name: str) -> ServiceModel:
    """The service model of ``service_name`` (its boto3 name), as moto's ServiceModel."""
    model = _loader().load_service_model(service_name, "service-2")
    return ServiceModel(model, service_name)


@cache
def operation_model(service_name: str, operation_name: str) -> OperationModel:
    return service_model(service_name).operation_model(operation_name)


@cache
def paginators(service_name: str) -> dict:
    try:
        return _loader().load_service_model(service_name, "paginators-1")["pagination"]
    except Exception:  # a service without paginators
        return {}


def lend_models_to_botocore() -> None:
    """Make every botocore session, made before or after, find mlmocks' models (after
    botocore's own search path), if the installed botocore lacks a service modelled there.

    Importing mlmocks already names the folder in ``AWS_DATA_PATH``; this keeps the
    models found by this process's clients when a test replaces the environment, and by
    sessions made before mlmocks was imported."""
    lend_to_loaders()
