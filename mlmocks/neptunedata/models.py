"""Neptune ML: state for one account and region, kept apart per cluster endpoint.

Neptune ML runs each of its jobs as SageMaker work (a processing job, a hyperparameter
tuning job, a transform, an endpoint); a job's Get shows those resources, named after
the job, with their ARNs and output locations once they exist.
"""

from __future__ import annotations

import uuid
from itertools import islice
from typing import Any, ClassVar

from moto.core.base_backend import BackendDict

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Store

from .exceptions import (
    BadRequestException,
    MLResourceNotFoundException,
    PreconditionsFailedException,
)


def _job_lifecycle(kind: str) -> Lifecycle:
    """Neptune ML jobs report the statuses of the SageMaker work behind them."""
    return Lifecycle(
        kind=kind,
        happy_path=("InProgress", "Completed"),
        failed="Failed",
        stopping=("Stopping", "Stopped"),
    )


DATA_PROCESSING = _job_lifecycle("neptunedata::ml-data-processing-job")
MODEL_TRAINING = _job_lifecycle("neptunedata::ml-model-training-job")
MODEL_TRANSFORM = _job_lifecycle("neptunedata::ml-model-transform-job")
ENDPOINT = Lifecycle(
    kind="neptunedata::ml-endpoint",
    happy_path=("Creating", "InService"),
    failed="Failed",
    stopping=("Deleting",),
)

#: ``maxItems`` of the List calls when none is given.
DEFAULT_MAX_ITEMS = 10


class NeptuneJob(Job):
    """A Neptune ML job: its id, its SageMaker ARN, and the resources it shows."""

    #: SageMaker resource type of the job's ARN.
    ARN_TYPE: ClassVar[str]

    def __init__(self, backend: NeptuneDataBackend, job_id: str, params: dict[str, Any]) -> None:
        self.backend = backend
        self.id = job_id
        self.arn = backend.sagemaker_arn(f"{self.ARN_TYPE}/{job_id}")
        self.params = params
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.id, self.arn)

    @property
    def creation_time_in_millis(self) -> int:
        return int(self.creation_time.timestamp() * 1000)

    def resource(self, suffix: str, arn_type: str, **extra: Any) -> dict[str, Any]:
        """One SageMaker resource of the job, as the Get calls show it."""
        name = f"{self.id}-{suffix}"
        shown = {"name": name, "arn": self.backend.sagemaker_arn(f"{arn_type}/{name}"), "status": self.status}
        if self.failure:
            shown["failureReason"] = self.failure
        shown.update({k: v for k, v in extra.items() if v is not None})
        return shown

    def config(self, suffix: str, arn_type: str) -> dict[str, str]:
        name = f"{self.id}-{suffix}"
        return {"name": name, "arn": self.backend.sagemaker_arn(f"{arn_type}/{name}")}

    def completed(self) -> bool:
        return self.status == self.LIFECYCLE.happy_path[-1]


class DataProcessingJob(NeptuneJob):
    LIFECYCLE = DATA_PROCESSING
    ARN_TYPE = "processing-job"

    def description(self) -> dict[str, Any]:
        output = self.params["processedDataS3Location"]
        return {
            "id": self.id,
            "status": self.status,
            "processingJob": self.resource("dataprocessing", "processing-job", outputLocation=output),
        }


class ModelTrainingJob(NeptuneJob):
    LIFECYCLE = MODEL_TRAINING
    ARN_TYPE = "hyper-parameter-tuning-job"

    def description(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "processingJob": self.resource("modeltraining-processing", "processing-job"),
            "hpoJob": self.resource(
                "hpo", "hyper-parameter-tuning-job", outputLocation=self.params["trainModelS3Location"]
            ),
        }
        if self.completed():
            shown["modelTransformJob"] = self.resource("modeltransform", "transform-job")
            shown["mlModels"] = [self.config("model", "model")]
        return shown


class ModelTransformJob(NeptuneJob):
    LIFECYCLE = MODEL_TRANSFORM
    ARN_TYPE = "processing-job"

    def description(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "baseProcessingJob": self.resource("modeltransform-processing", "processing-job"),
            "remoteModelTransformJob": self.resource(
                "modeltransform",
                "training-job",
                outputLocation=self.params["modelTransformOutputS3Location"],
            ),
        }
        if self.completed():
            shown["models"] = [self.config("model", "model")]
        return shown


class Endpoint(NeptuneJob):
    LIFECYCLE = ENDPOINT
    ARN_TYPE = "endpoint"

    def description(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "endpoint": {"name": self.id, "arn": self.arn, "status": self.status}
            | ({"failureReason": self.failure} if self.failure else {}),
            "endpointConfig": self.config("config", "endpoint-config"),
        }


class Cluster:
    """The Neptune ML state of one cluster endpoint."""

    def __init__(self) -> None:
        self.data_processing: Store[DataProcessingJob] = Store()
        self.training: Store[ModelTrainingJob] = Store()
        self.transform: Store[ModelTransformJob] = Store()
        self.endpoints: Store[Endpoint] = Store()

    def stores(self) -> dict[str, Store[Any]]:
        return {
            DATA_PROCESSING.kind: self.data_processing,
            MODEL_TRAINING.kind: self.training,
            MODEL_TRANSFORM.kind: self.transform,
            ENDPOINT.kind: self.endpoints,
        }


class NeptuneDataBackend(ServiceBackend):
    ARN_SERVICE = "sagemaker"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.clusters: dict[str, Cluster] = {}

    def sagemaker_arn(self, resource: str) -> str:
        return self.arn(resource)

    def cluster(self, key: str) -> Cluster:
        if key not in self.clusters:
            self.clusters[key] = Cluster()
        return self.clusters[key]

    # -- starting things -------------------------------------------------------------------

    def start_ml_data_processing_job(self, cluster: Cluster, params: dict[str, Any]) -> DataProcessingJob:
        previous = params.get("previousDataProcessingJobId")
        if previous is not None:
            self._get(cluster.data_processing, previous, "data processing job")
        job = DataProcessingJob(self, self._new_id(cluster.data_processing, params), params)
        return self._add(cluster.data_processing, job)

    def start_ml_model_training_job(self, cluster: Cluster, params: dict[str, Any]) -> ModelTrainingJob:
        processing = self._get(cluster.data_processing, params["dataProcessingJobId"], "data processing job")
        self._require_completed(processing, "data processing job")
        previous = params.get("previousModelTrainingJobId")
        if previous is not None:
            self._require_completed(
                self._get(cluster.training, previous, "model training job"), "model training job"
            )
        job = ModelTrainingJob(self, self._new_id(cluster.training, params), params)
        return self._add(cluster.training, job)

    def start_ml_model_transform_job(self, cluster: Cluster, params: dict[str, Any]) -> ModelTransformJob:
        training_id = params.get("mlModelTrainingJobId")
        sagemaker_job = params.get("trainingJobName")
        if (training_id is None) == (sagemaker_job is None):
            raise BadRequestException(
                "Exactly one of mlModelTrainingJobId and trainingJobName must be given"
            )
        if training_id is not None:
            training = self._get(cluster.training, training_id, "model training job")
            self._require_completed(training, "model training job")
        else:
            self._check_sagemaker_training_job(sagemaker_job)  # type: ignore[arg-type]
        if params.get("dataProcessingJobId") is not None:
            self._get(cluster.data_processing, params["dataProcessingJobId"], "data processing job")
        job = ModelTransformJob(self, self._new_id(cluster.transform, params), params)
        return self._add(cluster.transform, job)

    def create_ml_endpoint(self, cluster: Cluster, params: dict[str, Any]) -> Endpoint:
        training_id = params.get("mlModelTrainingJobId")
        transform_id = params.get("mlModelTransformJobId")
        if (training_id is None) == (transform_id is None):
            raise BadRequestException(
                "Exactly one of mlModelTrainingJobId and mlModelTransformJobId must be given"
            )
        if training_id is not None:
            source: NeptuneJob = self._get(cluster.training, training_id, "model training job")
        else:
            source = self._get(cluster.transform, transform_id, "model transform job")  # type: ignore[arg-type]
        self._require_completed(source, "model training job" if training_id else "model transform job")
        endpoint_id = params.get("id")
        if endpoint_id is not None and endpoint_id in cluster.endpoints:
            if not params.get("update"):
                raise BadRequestException(
                    f"An ML endpoint with id {endpoint_id} already exists; set update to replace its model"
                )
            existing = cluster.endpoints.get(endpoint_id)
            assert existing is not None
            existing.params = {**existing.params, **params}
            return existing
        endpoint = Endpoint(self, self._new_id(cluster.endpoints, params), params)
        return self._add(cluster.endpoints, endpoint)

    # -- looking and listing -----------------------------------------------------------------

    def get(self, cluster: Cluster, kind: str, job_id: str) -> NeptuneJob:
        return self._get(cluster.stores()[kind], job_id, _NOUNS[kind])

    def list_ids(self, cluster: Cluster, kind: str, max_items: int | None) -> list[str]:
        """Ids of the cluster's jobs of ``kind``, most recent first."""
        store = cluster.stores()[kind]
        _, items = store.sorted_view("CreationTime", lambda job: job.creation_time)
        return [job.id for job in islice(reversed(items), max_items or DEFAULT_MAX_ITEMS)]

    # -- stopping ------------------------------------------------------------------------------

    def cancel(self, cluster: Cluster, kind: str, job_id: str, clean: bool | None) -> NeptuneJob:
        job = self.get(cluster, kind, job_id)
        if job.is_finished:
            raise BadRequestException(
                f"The {_NOUNS[kind]} {job_id} is {job.status} and cannot be cancelled"
            )
        job.cancel_clean = bool(clean)  # type: ignore[attr-defined]
        job.begin_stopping()
        return job

    def delete_ml_endpoint(self, cluster: Cluster, endpoint_id: str, clean: bool | None) -> Endpoint:
        endpoint = self._get(cluster.endpoints, endpoint_id, "ML endpoint")
        if endpoint.status == "Deleting":
            raise BadRequestException(f"The ML endpoint {endpoint_id} is already being deleted")
        endpoint.begin_stopping()
        # A deleted endpoint is gone: Get and List no longer find it.
        cluster.endpoints.remove(endpoint_id)
        return endpoint

    def find_job(self, kind: str, identifier: str) -> NeptuneJob | None:
        for cluster in self.clusters.values():
            store = cluster.stores()[kind]
            for job in store:
                if identifier in job.identifiers():
                    return job
        return None

    # -- helpers -------------------------------------------------------------------------------

    def _new_id(self, store: Store[Any], params: dict[str, Any]) -> str:
        job_id = params.get("id")
        if job_id is None:
            return str(uuid.uuid4())
        if job_id in store:
            raise BadRequestException(f"A job with id {job_id} already exists")
        return str(job_id)

    def _add(self, store: Store[Any], job: Any) -> Any:
        store.add(job.id, job)
        self.track_job(job)
        return job

    def _get(self, store: Store[Any], job_id: str, noun: str) -> Any:
        job = store.get(job_id)
        if job is None:
            raise MLResourceNotFoundException(f"No {noun} with id {job_id} was found")
        return job

    @staticmethod
    def _require_completed(job: NeptuneJob, noun: str) -> None:
        if not job.completed():
            raise PreconditionsFailedException(
                f"The {noun} {job.id} is {job.status}; it must be Completed first"
            )

    def _check_sagemaker_training_job(self, name: str) -> None:
        from moto.sagemaker.models import sagemaker_backends

        training_jobs = sagemaker_backends[self.account_id][self.region_name].training_jobs
        if name not in training_jobs:
            raise MLResourceNotFoundException(f"No SageMaker training job named {name} was found")


_NOUNS = {
    DATA_PROCESSING.kind: "data processing job",
    MODEL_TRAINING.kind: "model training job",
    MODEL_TRANSFORM.kind: "model transform job",
    ENDPOINT.kind: "ML endpoint",
}


# botocore lists no regions for neptunedata (clients always name their endpoint): the
# regions are Neptune's.
neptunedata_backends = BackendDict(NeptuneDataBackend, "neptune")
