"""Neptune ML operations of the Neptune data API, per cluster endpoint."""

from __future__ import annotations

import re
from typing import Any

from mlmocks.core.responses import ServiceResponse

from .exceptions import BadRequestException, InvalidParameterException
from .models import (
    DATA_PROCESSING,
    ENDPOINT,
    MODEL_TRAINING,
    MODEL_TRANSFORM,
    Cluster,
    NeptuneDataBackend,
    neptunedata_backends,
)

#: my-cluster.cluster-abc123xyz.us-east-1.neptune.amazonaws.com -> us-east-1
_CLUSTER_HOST = re.compile(r"(?P<host>[^/:]+\.(?P<region>[a-z0-9-]+)\.neptune\.amazonaws\.com)")
_IAM_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
#: The cluster of requests that do not name one: the default endpoint, or the server.
DEFAULT_CLUSTER = "default"


class NeptuneDataResponse(ServiceResponse):
    SERVICE = "neptunedata"
    BACKENDS = neptunedata_backends
    VALIDATION_ERROR = InvalidParameterException

    @property
    def backend(self) -> NeptuneDataBackend:
        return neptunedata_backends[self.current_account][self.region]

    @property
    def cluster(self) -> Cluster:
        """Each cluster endpoint keeps its own jobs."""
        match = _CLUSTER_HOST.search(self.parsed_url.netloc)
        return self.backend.cluster(match.group("host").lower() if match else DEFAULT_CLUSTER)

    def check(self, operation: str) -> None:
        # Every call accepts IAM role ARNs; a malformed one is a bad request.
        for field in ("neptuneIamRoleArn", "sagemakerIamRoleArn"):
            value = self.params.get(field)
            if value is not None and not _IAM_ROLE_ARN.fullmatch(value):
                raise BadRequestException(f"{field} {value!r} is not a valid IAM role ARN")

    def get_region_from_url(self, request: Any, full_url: str) -> str:
        # A cluster host names its region before ".neptune.amazonaws.com".
        match = _CLUSTER_HOST.search(full_url)
        return match.group("region") if match else super().get_region_from_url(request, full_url)

    # -- data processing -------------------------------------------------------------------

    def start_ml_data_processing_job(self, **_: Any) -> Any:
        return self.backend.start_ml_data_processing_job(self.cluster, self.params)

    def get_ml_data_processing_job(self, id: str, **_: Any) -> dict[str, Any]:
        return self.backend.get(self.cluster, DATA_PROCESSING.kind, id).describe().description()

    def list_ml_data_processing_jobs(self, max_items: int | None = None, **_: Any) -> dict[str, Any]:
        return {"ids": self.backend.list_ids(self.cluster, DATA_PROCESSING.kind, max_items)}

    def cancel_ml_data_processing_job(self, id: str, clean: bool | None = None, **_: Any) -> dict[str, Any]:
        job = self.backend.cancel(self.cluster, DATA_PROCESSING.kind, id, clean)
        return {"status": job.status}

    # -- model training ----------------------------------------------------------------------

    def start_ml_model_training_job(self, **_: Any) -> Any:
        return self.backend.start_ml_model_training_job(self.cluster, self.params)

    def get_ml_model_training_job(self, id: str, **_: Any) -> dict[str, Any]:
        return self.backend.get(self.cluster, MODEL_TRAINING.kind, id).describe().description()

    def list_ml_model_training_jobs(self, max_items: int | None = None, **_: Any) -> dict[str, Any]:
        return {"ids": self.backend.list_ids(self.cluster, MODEL_TRAINING.kind, max_items)}

    def cancel_ml_model_training_job(self, id: str, clean: bool | None = None, **_: Any) -> dict[str, Any]:
        job = self.backend.cancel(self.cluster, MODEL_TRAINING.kind, id, clean)
        return {"status": job.status}

    # -- model transform ---------------------------------------------------------------------

    def start_ml_model_transform_job(self, **_: Any) -> Any:
        return self.backend.start_ml_model_transform_job(self.cluster, self.params)

    def get_ml_model_transform_job(self, id: str, **_: Any) -> dict[str, Any]:
        return self.backend.get(self.cluster, MODEL_TRANSFORM.kind, id).describe().description()

    def list_ml_model_transform_jobs(self, max_items: int | None = None, **_: Any) -> dict[str, Any]:
        return {"ids": self.backend.list_ids(self.cluster, MODEL_TRANSFORM.kind, max_items)}

    def cancel_ml_model_transform_job(self, id: str, clean: bool | None = None, **_: Any) -> dict[str, Any]:
        job = self.backend.cancel(self.cluster, MODEL_TRANSFORM.kind, id, clean)
        return {"status": job.status}

    # -- endpoints ---------------------------------------------------------------------------

    def create_ml_endpoint(self, **_: Any) -> Any:
        return self.backend.create_ml_endpoint(self.cluster, self.params)

    def get_ml_endpoint(self, id: str, **_: Any) -> dict[str, Any]:
        return self.backend.get(self.cluster, ENDPOINT.kind, id).describe().description()

    def list_ml_endpoints(self, max_items: int | None = None, **_: Any) -> dict[str, Any]:
        return {"ids": self.backend.list_ids(self.cluster, ENDPOINT.kind, max_items)}

    def delete_ml_endpoint(self, id: str, clean: bool | None = None, **_: Any) -> dict[str, Any]:
        endpoint = self.backend.delete_ml_endpoint(self.cluster, id, clean)
        return {"status": endpoint.status}


RESPONSE_CLASS = NeptuneDataResponse
