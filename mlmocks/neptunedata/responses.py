"""Neptune ML operations of the Neptune data API, per cluster endpoint.

The four families (data processing, model training and model transform jobs, and ML
endpoints) answer the same four verbs the same way, so one method serves each verb and
the table at the end of the class says which operation is which verb of which family.
"""

from __future__ import annotations

import re
from functools import partialmethod
from typing import Any

from mlmocks.core.responses import ServiceResponse

from .checks import check_request
from .exceptions import AccessDeniedException, InvalidParameterException
from .jobs import DataProcessingJob, Endpoint, ModelTrainingJob, ModelTransformJob, NeptuneJob
from .models import Cluster, NeptuneDataBackend, neptunedata_backends

#: my-cluster.cluster-abc123xyz.us-east-1.neptune.amazonaws.com: the region before "neptune".
_CLUSTER_HOST = re.compile(r"(?P<host>[^/:]+\.(?P<region>[a-z0-9-]+)\.neptune\.amazonaws\.com)")
#: The cluster of requests that name none: the default endpoint, or the server.
DEFAULT_CLUSTER = "default"


def cluster_key(host: str) -> str:
    """Which cluster a host is. A cluster's reader endpoint (``cluster-ro-``) is the same
    cluster as its writer endpoint; the port does not matter."""
    match = _CLUSTER_HOST.search(host.lower())
    if match is None:
        return DEFAULT_CLUSTER
    return match.group("host").replace(".cluster-ro-", ".cluster-", 1)


class NeptuneDataResponse(ServiceResponse[NeptuneDataBackend]):
    SERVICE = "neptunedata"
    BACKENDS = neptunedata_backends
    VALIDATION_ERROR = InvalidParameterException
    ACCESS_DENIED = AccessDeniedException

    @property
    def cluster(self) -> Cluster:
        """Each cluster endpoint keeps its own jobs."""
        return self.backend.cluster(cluster_key(self.parsed_url.netloc))

    def get_region_from_url(self, request: Any, full_url: str) -> str:
        # A cluster host names its region before ".neptune.amazonaws.com".
        match = _CLUSTER_HOST.search(full_url)
        return match.group("region") if match else super().get_region_from_url(request, full_url)

    def _get_action(self) -> str:
        # The IAM action moto's IAM enforcement checks: neptune-db:<operation>, except that
        # the Get operations are neptune-db:Get...Status (GetMLEndpointStatus).
        action = super()._get_action()
        return f"{action}Status" if action.startswith("GetML") else action

    def check(self, operation: str) -> None:
        # Every call takes neptuneIamRoleArn; Neptune ML checks it and the other inputs
        # the model leaves free (S3 locations, instance types, least values).
        check_request(self.params)

    # -- the four verbs ----------------------------------------------------------------------

    def _start(self, family: type[NeptuneJob], **_: Any) -> NeptuneJob:
        """Start a job (Create an endpoint): its id, arn and creationTimeInMillis."""
        return self.backend.start(self.cluster, family, self.params)

    def _get(self, family: type[NeptuneJob], id: str, **_: Any) -> dict[str, Any]:
        return self.backend.get(self.cluster, family, id)

    def _list(
        self, family: type[NeptuneJob], max_items: int | None = None, **_: Any
    ) -> dict[str, Any]:
        return {"ids": self.backend.list_ids(self.cluster, family, max_items)}

    def _stop(
        self, family: type[NeptuneJob], id: str, clean: bool | None = None, **_: Any
    ) -> dict[str, Any]:
        """Cancel a job or delete an endpoint. ``clean`` asks Neptune ML to delete the S3
        artifacts too; mlmocks writes none, so there is nothing to delete."""
        return {"status": self.backend.stop(self.cluster, family, id)}

    # -- which operation is which ------------------------------------------------------------

    # /ml/dataprocessing
    start_ml_data_processing_job = partialmethod(_start, DataProcessingJob)
    get_ml_data_processing_job = partialmethod(_get, DataProcessingJob)
    list_ml_data_processing_jobs = partialmethod(_list, DataProcessingJob)
    cancel_ml_data_processing_job = partialmethod(_stop, DataProcessingJob)
    # /ml/modeltraining
    start_ml_model_training_job = partialmethod(_start, ModelTrainingJob)
    get_ml_model_training_job = partialmethod(_get, ModelTrainingJob)
    list_ml_model_training_jobs = partialmethod(_list, ModelTrainingJob)
    cancel_ml_model_training_job = partialmethod(_stop, ModelTrainingJob)
    # /ml/modeltransform
    start_ml_model_transform_job = partialmethod(_start, ModelTransformJob)
    get_ml_model_transform_job = partialmethod(_get, ModelTransformJob)
    list_ml_model_transform_jobs = partialmethod(_list, ModelTransformJob)
    cancel_ml_model_transform_job = partialmethod(_stop, ModelTransformJob)
    # /ml/endpoints (CreateMLEndpoint with update=true updates one)
    create_ml_endpoint = partialmethod(_start, Endpoint)
    get_ml_endpoint = partialmethod(_get, Endpoint)
    list_ml_endpoints = partialmethod(_list, Endpoint)
    delete_ml_endpoint = partialmethod(_stop, Endpoint)


RESPONSE_CLASS = NeptuneDataResponse
