"""The botocore service models: the spec every operation is checked against.

Models come from the installed botocore, and from mlmocks' own ``data`` folder for
services that botocore no longer ships (the folder uses botocore's layout).
"""

from __future__ import annotations

import os
from functools import cache

from botocore.loaders import Loader
from moto.core.model import OperationModel, ServiceModel

DATA_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


@cache
def _loader() -> Loader:
    # Our data folder only holds services that the installed botocore lacks, so
    # searching it first never shadows botocore's own models.
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


def lend_models_to_botocore(service_name: str) -> None:
    """Make botocore (so boto3 and every client) find a model mlmocks ships, where the
    installed botocore lacks the service. Sessions created from now on search mlmocks'
    data folder after botocore's own, as they would a folder named in AWS_DATA_PATH."""
    global _lent
    if _lent or os.path.isdir(os.path.join(Loader.BUILTIN_DATA_PATH, service_name)):
        return
    import botocore.session

    botocore_create_loader = botocore.session.create_loader

    def create_loader(search_path_string: str | None = None) -> Loader:
        loader = botocore_create_loader(search_path_string)
        if DATA_PATH not in loader.search_paths:
            loader.search_paths.append(DATA_PATH)
        return loader

    botocore.session.create_loader = create_loader
    _lent = True
