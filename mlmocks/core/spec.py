"""The botocore service models: the spec every operation is checked against.

Models come from the installed botocore, and from mlmocks' own ``data`` folder for
services that botocore no longer ships (the folder uses botocore's layout).
"""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.loaders import Loader
from moto.core.model import OperationModel, ServiceModel

from mlmocks.data import PATH as DATA_PATH
from mlmocks.data import missing_from_botocore


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


_lent = False


def lend_models_to_botocore() -> None:
    """Make every botocore session created from now on search mlmocks' data folder (after
    botocore's own), if the installed botocore lacks a service modelled there.

    Importing mlmocks already names the folder in ``AWS_DATA_PATH``; this keeps the
    models found by this process's clients when a test replaces the environment."""
    global _lent
    if _lent or not missing_from_botocore():
        return
    botocore_create_loader = botocore.session.create_loader

    def create_loader(search_path_string: str | None = None) -> Loader:
        loader = botocore_create_loader(search_path_string)
        if DATA_PATH not in loader.search_paths:
            loader.search_paths.append(DATA_PATH)
        return loader

    botocore.session.create_loader = create_loader
    _lent = True
