"""Neptune ML: state for one account and region, kept apart per cluster endpoint.

Neptune ML runs its jobs as SageMaker work, and a job's Get shows that work: a data
processing job is a SageMaker processing job; a model training job prepares its data in a
processing job, tunes in a hyperparameter tuning job and computes the model artifacts in a
last processing job, which leaves the models; a model transform job prepares in a
processing job and transforms in a training job; an endpoint is a SageMaker endpoint and
its endpoint config. Each piece is named after the job, with its ARN, its output location
and its CloudWatch logs, and the piece that failed carries the failure reason.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any, ClassVar

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Store, paginate
from mlmocks.core.spec import service_model

from . import SPEC
from .exceptions import (
    BadRequestException,
    InvalidParameterException,
    MissingParameterException,
    MLResourceNotFoundException,
    PreconditionsFailedException,
)

COMPLETED = "Completed"
FAILED = "Failed"
IN_SERVICE = "InService"
DELETING = "Deleting"
#: Never shown: an endpoint is forgotten as it enters this status.
DELETED = "Deleted"


def _job_lifecycle(kind: str) -> Lifecycle:
    """Neptune ML jobs report the statuses of the SageMaker work behind them."""
    return Lifecycle(
        kind=kind,
        happy_path=("InProgress", COMPLETED),
        failed=FAILED,
        stopping=("Stopping", "Stopped"),
    )


DATA_PROCESSING = _job_lifecycle("neptunedata::ml-data-processing-job")
MODEL_TRAINING = _job_lifecycle("neptunedata::ml-model-training-job")
MODEL_TRANSFORM = _job_lifecycle("neptunedata::ml-model-transform-job")
ENDPOINT = Lifecycle(
    kind="neptunedata::ml-endpoint",
    happy_path=("Creating", IN_SERVICE),
    failed=FAILED,
    stopping=(DELETING, DELETED),
)
#: What an endpoint walks through when CreateMLEndpoint updates it.
ENDPOINT_UPDATE = ("Updating", IN_SERVICE)

#: ``maxItems`` of the List calls when none is given.
DEFAULT_MAX_ITEMS = 10
#: "Invalid ID provided. ID can be 1-48 alphanumeric characters."
MAX_ID_LENGTH = 48
_ID = re.compile(r"[A-Za-z0-9-]+")

_LOG_GROUPS = {
    "processing-job": "/aws/sagemaker/ProcessingJobs",
    "hyper-parameter-tuning-job": "/aws/sagemaker/TrainingJobs",
    "training-job": "/aws/sagemaker/TrainingJobs",
}

# -- what Neptune ML checks of a request, beyond the service model --------------------------

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
_S3_URL = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?", re.DOTALL)
ROLE_ARNS = ("neptuneIamRoleArn", "sagemakerIamRoleArn")
S3_LOCATIONS = (
    "inputDataS3Location",
    "processedDataS3Location",
    "trainModelS3Location",
    "modelTransformOutputS3Location",
)
#: Inputs holding an ML instance type, and the SageMaker enum each must be in.
INSTANCE_TYPES = {
    "processingInstanceType": "ProcessingInstanceType",
    "baseProcessingInstanceType": "ProcessingInstanceType",
    "trainingInstanceType": "TrainingInstanceType",
    "instanceType": "ProductionVariantInstanceType",
}
#: Numeric inputs and the least value each takes (0 volume size: Neptune ML chooses).
LEAST_VALUES = {
    "processingInstanceVolumeSizeInGB": 0,
    "trainingInstanceVolumeSizeInGB": 0,
    "baseProcessingInstanceVolumeSizeInGB": 0,
    "processingTimeOutInSeconds": 1,
    "trainingTimeOutInSeconds": 1,
    "maxHPONumberOfTrainingJobs": 1,
    "maxHPOParallelTrainingJobs": 1,
    "instanceCount": 1,
}
#: The two kinds of model Neptune ML trains (``modelType`` of data processing).
MODEL_TYPES = ("heterogeneous", "kge")
#: ``modelName`` of an endpoint: rgcn for heterogeneous graphs, the rest for knowledge
#: graphs, custom for a custom model implementation.
ENDPOINT_MODEL_NAMES = ("rgcn", "kge", "transe", "distmult", "rotate", "custom")


@cache
def _instance_types(enum_shape: str) -> frozenset[str]:
    return frozenset(service_model("sagemaker").shape_for(enum_shape).enum)


def check_request(params: Mapping[str, Any]) -> None:
    """Neptune ML's own checks of any request's inputs (its documented error messages)."""
    for field in ROLE_ARNS:
        value = params.get(field)
        if value is not None and not _ROLE_ARN.fullmatch(value):
            raise BadRequestException(f"{field} {value!r} is not the ARN of an IAM role.")
    locations = [(field, params.get(field)) for field in S3_LOCATIONS]
    for custom in ("customModelTrainingParameters", "customModelTransformParameters"):
        if custom in params:
            locations.append(
                (f"{custom}.sourceS3DirectoryPath", params[custom]["sourceS3DirectoryPath"])
            )
    for field, value in locations:
        if value is not None and not _S3_URL.fullmatch(value):
            raise BadRequestException(
                "Invalid S3 URL or incorrect S3 permissions. Please check your S3 configuration."
                f" ({field}: {value!r})"
            )
    for field, enum_shape in INSTANCE_TYPES.items():
        value = params.get(field)
        if value is not None and value not in _instance_types(enum_shape):
            raise InvalidParameterException(f"Invalid ML instance type. ({field}: {value!r})")
    for field, least in LEAST_VALUES.items():
        value = params.get(field)
        if value is not None and value < least:
            raise InvalidParameterException(f"{field} must be at least {least}, not {value}.")
    _check_choice(params, "modelType", MODEL_TYPES)


def _check_choice(params: Mapping[str, Any], field: str, choices: tuple[str, ...]) -> None:
    value = params.get(field)
    if value is not None and value not in choices:
        raise InvalidParameterException(
            f"Invalid {field} {value!r}; valid values: {', '.join(choices)}."
        )


def _s3_join(location: str, leaf: str) -> str:
    return f"{location.rstrip('/')}/{leaf}"


# -- jobs -------------------------------------------------------------------------------------


class NeptuneJob(Job):
    """A Neptune ML job (or endpoint) of one cluster: its id, the ARN of the SageMaker
    resource it is, and the SageMaker work its Get shows."""

    #: What Neptune ML's messages call a job of this family.
    NOUN: ClassVar[str]
    #: (Get member, SageMaker resource type) of the work that carries the job's status: a
    #: resource named after the job, whose ARN is the job's.
    WORK: ClassVar[tuple[str, str]]
    #: Get member of the processing job that prepares that work, if there is one.
    PREPARATION: ClassVar[str | None] = None
    #: The input member naming where the job writes.
    OUTPUT: ClassVar[str]

    def __init__(
        self, backend: NeptuneDataBackend, cluster: Cluster, job_id: str, params: dict[str, Any]
    ) -> None:
        self.backend = backend
        self.cluster = cluster
        self.id = job_id
        self.params = params
        self.arn = backend.arn(f"{self.WORK[1]}/{job_id}")
        super().__init__()

    # -- what each family says of itself ----------------------------------------------------

    @classmethod
    def check_sources(
        cls, backend: NeptuneDataBackend, cluster: Cluster, params: Mapping[str, Any]
    ) -> None:
        """Refuse to start unless what a job of this family builds on is there and done."""

    def results(self, output: str) -> dict[str, Any]:
        """What a completed job has made, as its Get shows it."""
        return {}

    def description(self) -> dict[str, Any]:
        """The job as its Get shows it: the preparation done, the work in the job's status,
        and once completed what it made."""
        status = self.status
        output = self.params[self.OUTPUT]
        shown: dict[str, Any] = {"id": self.id, "status": status}
        if self.PREPARATION is not None:
            shown[self.PREPARATION] = self.sagemaker_resource(
                "processing-job", f"{self.id}-processing", COMPLETED, _s3_join(output, "processing")
            )
        member, resource_type = self.WORK
        shown[member] = self.sagemaker_resource(resource_type, self.id, status, output)
        if status == COMPLETED:
            shown.update(self.results(output))
        return shown

    # -- shared ---------------------------------------------------------------------------

    def identifiers(self) -> tuple[str, ...]:
        return (self.id, self.arn)

    @property
    def creation_time_in_millis(self) -> int:
        return int(self.creation_time.timestamp() * 1000)

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED

    @property
    def deleted(self) -> bool:
        return False

    def stop(self) -> str:
        """Cancel: the SageMaker work stops. Returns the status it enters."""
        status = self.status
        if status in (COMPLETED, FAILED):
            raise InvalidParameterException(
                "Failed to stop the job because it has already completed or failed."
                f" ({self.NOUN} {self.id!r} is {status})"
            )
        if status in self.LIFECYCLE.stopping:
            raise InvalidParameterException(
                f"Failed to stop the job because it is already {status}. ({self.NOUN} {self.id!r})"
            )
        self.begin_stopping()
        return self.LIFECYCLE.stopping[0]

    def sagemaker_resource(
        self, arn_type: str, name: str, status: str, output_location: str | None = None
    ) -> dict[str, Any]:
        """One piece of the job's SageMaker work, as the Get calls show it (an
        MlResourceDefinition): the piece in ``status``, failed with the job's reason."""
        region = self.backend.region_name
        log_group = _LOG_GROUPS.get(arn_type, f"/aws/sagemaker/Endpoints/{name}")
        shown: dict[str, Any] = {
            "name": name,
            "arn": self.backend.arn(f"{arn_type}/{name}"),
            "status": status,
            "cloudwatchLogUrl": (
                f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                f"#logStream:group={log_group};prefix={name};streamFilter=typeLogStreamPrefix"
            ),
        }
        if output_location is not None:
            shown["outputLocation"] = output_location
        if status == FAILED:
            shown["failureReason"] = self.failure
        return shown

    def sagemaker_config(self, arn_type: str, name: str) -> dict[str, str]:
        """A SageMaker model or endpoint config of the job (an MlConfigDefinition)."""
        return {"name": name, "arn": self.backend.arn(f"{arn_type}/{name}")}


class DataProcessingJob(NeptuneJob):
    """Processes a Neptune graph export for training: one SageMaker processing job."""

    LIFECYCLE = DATA_PROCESSING
    NOUN = "MLDataProcessing job"
    WORK = ("processingJob", "processing-job")
    OUTPUT = "processedDataS3Location"

    @classmethod
    def check_sources(
        cls, backend: NeptuneDataBackend, cluster: Cluster, params: Mapping[str, Any]
    ) -> None:
        # Incremental processing builds on a completed job over an earlier export.
        cluster.source(DataProcessingJob, params, "previousDataProcessingJobId")


class ModelTrainingJob(NeptuneJob):
    """Trains a model on processed data: a processing job prepares, a hyperparameter
    tuning job trains, and a last processing job computes the artifacts of the best model."""

    LIFECYCLE = MODEL_TRAINING
    NOUN = "MLModelTraining job"
    WORK = ("hpoJob", "hyper-parameter-tuning-job")
    PREPARATION = "processingJob"
    OUTPUT = "trainModelS3Location"

    @classmethod
    def check_sources(
        cls, backend: NeptuneDataBackend, cluster: Cluster, params: Mapping[str, Any]
    ) -> None:
        cluster.source(DataProcessingJob, params, "dataProcessingJobId")
        # Incremental training updates a completed model.
        cluster.source(ModelTrainingJob, params, "previousModelTrainingJobId")

    def results(self, output: str) -> dict[str, Any]:
        return {
            "modelTransformJob": self.sagemaker_resource(
                "processing-job",
                f"{self.id}-transform",
                COMPLETED,
                _s3_join(output, "model-transform"),
            ),
            "mlModels": [self.sagemaker_config("model", f"{self.id}-model")],
        }


class ModelTransformJob(NeptuneJob):
    """Computes model artifacts with a trained model (Neptune ML's or a SageMaker training
    job's) on new data: a processing job prepares, a training job transforms."""

    LIFECYCLE = MODEL_TRANSFORM
    NOUN = "ModelTransformJob"
    WORK = ("remoteModelTransformJob", "training-job")
    PREPARATION = "baseProcessingJob"
    OUTPUT = "modelTransformOutputS3Location"

    @classmethod
    def check_sources(
        cls, backend: NeptuneDataBackend, cluster: Cluster, params: Mapping[str, Any]
    ) -> None:
        # "Either both dataProcessingJobId and mlModelTrainingJobId, or trainingJobName";
        # given both, the Neptune ML training job is the one used.
        if params.get("mlModelTrainingJobId") is not None:
            if params.get("dataProcessingJobId") is None:
                raise MissingParameterException(
                    "dataProcessingJobId is required with mlModelTrainingJobId."
                )
            cluster.source(ModelTrainingJob, params, "mlModelTrainingJobId")
        elif params.get("trainingJobName") is not None:
            backend.check_sagemaker_training_job(params["trainingJobName"])
        else:
            raise MissingParameterException(
                "Include either both dataProcessingJobId and mlModelTrainingJobId, or trainingJobName."
            )
        cluster.source(DataProcessingJob, params, "dataProcessingJobId")

    def results(self, output: str) -> dict[str, Any]:
        return {"models": [self.sagemaker_config("model", f"{self.id}-model")]}


class Endpoint(NeptuneJob):
    """An inference endpoint serving the model of a training or transform job: a SageMaker
    endpoint and its endpoint config (a new config each update)."""

    LIFECYCLE = ENDPOINT
    NOUN = "ML endpoint"
    WORK = ("endpoint", "endpoint")

    def __init__(
        self, backend: NeptuneDataBackend, cluster: Cluster, job_id: str, params: dict[str, Any]
    ) -> None:
        super().__init__(backend, cluster, job_id, params)
        self.config_name = f"{job_id}-config"
        self.updates = 0

    @classmethod
    def new_id(cls) -> str:
        """An endpoint without an id gets a timestamped one."""
        return f"neptune-ml-{int(now().timestamp() * 1000)}-{random_id(6)}"

    @classmethod
    def check_sources(
        cls, backend: NeptuneDataBackend, cluster: Cluster, params: Mapping[str, Any]
    ) -> None:
        _check_choice(params, "modelName", ENDPOINT_MODEL_NAMES)
        training, transform = (
            params.get("mlModelTrainingJobId"),
            params.get("mlModelTransformJobId"),
        )
        if training is None and transform is None:
            raise MissingParameterException(
                "Supply either mlModelTrainingJobId or mlModelTransformJobId."
            )
        if training is not None and transform is not None:
            raise BadRequestException(
                "Supply either mlModelTrainingJobId or mlModelTransformJobId, not both."
            )
        cluster.source(ModelTrainingJob, params, "mlModelTrainingJobId")
        cluster.source(ModelTransformJob, params, "mlModelTransformJobId")

    @property
    def deleted(self) -> bool:
        return self.status == DELETED

    def update(self, params: dict[str, Any]) -> None:
        """Serve another model: a new endpoint config, and Updating -> InService."""
        if self.status != IN_SERVICE:
            raise PreconditionsFailedException(
                f"The ML endpoint {self.id!r} is {self.status}; only an InService endpoint can be updated."
            )
        self.params = {
            **{
                k: v
                for k, v in self.params.items()
                if k not in ("mlModelTrainingJobId", "mlModelTransformJobId")
            },
            **params,
        }
        self.updates += 1
        self.config_name = f"{self.id}-config-{self.updates + 1}"
        self.walk_on(ENDPOINT_UPDATE)

    def stop(self) -> str:
        """Delete: the endpoint is Deleting, then gone."""
        if self.status == DELETING:
            raise PreconditionsFailedException(
                f"The ML endpoint {self.id!r} is already being deleted."
            )
        self.begin_stopping()
        return DELETING

    def on_enter(self, status: str, at: datetime) -> None:
        if status == DELETED:
            self.backend.forget(self)

    def description(self) -> dict[str, Any]:
        # An endpoint writes nothing to S3 and has its config at every status.
        return {
            "id": self.id,
            "status": self.status,
            "endpoint": self.sagemaker_resource("endpoint", self.id, self.status),
            "endpointConfig": self.sagemaker_config("endpoint-config", self.config_name),
        }


FAMILIES: tuple[type[NeptuneJob], ...] = (
    DataProcessingJob,
    ModelTrainingJob,
    ModelTransformJob,
    Endpoint,
)


class Cluster:
    """The Neptune ML jobs and endpoints of one cluster endpoint, by family and id."""

    def __init__(self) -> None:
        self.jobs: dict[type[NeptuneJob], Store[NeptuneJob]] = {
            family: Store() for family in FAMILIES
        }

    def find(self, family: type[NeptuneJob], job_id: str) -> NeptuneJob:
        """The job a Get, Cancel or Delete names."""
        job = self.jobs[family].get(job_id)
        if job is None or job.deleted:
            raise MLResourceNotFoundException(
                "Invalid ID provided. Please check whether a resource with the given ID exists."
                f" (no {family.NOUN} {job_id!r} on this cluster)"
            )
        return job

    def source(self, family: type[NeptuneJob], params: Mapping[str, Any], field: str) -> None:
        """Check the job ``params[field]`` names, if any: one a new job builds on, which
        must exist here and have completed."""
        job_id = params.get(field)
        if job_id is None:
            return
        job = self.jobs[family].get(job_id)
        if job is None or job.deleted:
            raise BadRequestException(
                f"Provided {family.NOUN} doesn't exist. ({field}: {job_id!r})"
            )
        if not job.completed:
            raise BadRequestException(
                f"Provided {family.NOUN} has not completed. ({field}: {job_id!r} is {job.status})"
            )


class NeptuneDataBackend(ServiceBackend):
    # Neptune ML's jobs and endpoints are SageMaker resources, with SageMaker ARNs.
    ARN_SERVICE = "sagemaker"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.clusters: dict[str, Cluster] = {}
        #: (kind, id or ARN) -> the jobs so known, on any cluster (for job control).

    def cluster(self, key: str) -> Cluster:
        if key not in self.clusters:
            self.clusters[key] = Cluster()
        return self.clusters[key]

    # -- the operations ---------------------------------------------------------------------

    def start(
        self, cluster: Cluster, family: type[NeptuneJob], params: dict[str, Any]
    ) -> NeptuneJob:
        """Start a job of ``family`` (Create an endpoint, or update one)."""
        if family is Endpoint and params.get("update"):
            return self._update_endpoint(cluster, params)
        job_id = self._new_id(cluster, family, params.get("id"))
        family.check_sources(self, cluster, params)
        job = family(self, cluster, job_id, params)
        cluster.jobs[family].add(job_id, job)
        self.track_job(job)
        return job

    def get(self, cluster: Cluster, family: type[NeptuneJob], job_id: str) -> dict[str, Any]:
        job = cluster.find(family, job_id)
        job.observe()
        return cluster.find(family, job_id).description()  # an endpoint may be gone by now

    def list_ids(
        self, cluster: Cluster, family: type[NeptuneJob], max_items: int | None
    ) -> list[str]:
        """Ids of the cluster's jobs of ``family``, most recent first."""
        page = paginate(
            cluster.jobs[family],
            sort_name="CreationTime",
            sort_key=lambda job: job.creation_time,
            descending=True,
            max_results=max_items or DEFAULT_MAX_ITEMS,
        )
        return [job.id for job in page.items]

    def stop(self, cluster: Cluster, family: type[NeptuneJob], job_id: str) -> str:
        """Cancel a job or delete an endpoint; the status it enters."""
        job = cluster.find(family, job_id)
        status = job.stop()
        self.track_job(job)
        return status

    # -- helpers ------------------------------------------------------------------------------

    def forget(self, job: NeptuneJob) -> None:
        """A deleted endpoint: gone from its cluster and from job control."""
        job.cluster.jobs[type(job)].remove(job.id)
        job.retired = True

    def _new_id(self, cluster: Cluster, family: type[NeptuneJob], job_id: str | None) -> str:
        if job_id is None:
            return Endpoint.new_id() if family is Endpoint else str(uuid.uuid4())
        if not 1 <= len(job_id) <= MAX_ID_LENGTH:
            raise InvalidParameterException(
                f"Invalid ID provided. ID can be 1-{MAX_ID_LENGTH} alphanumeric characters. (id: {job_id!r})"
            )
        if not _ID.fullmatch(job_id):
            raise InvalidParameterException(
                f"Invalid ID provided. Must contain only letters, digits, or hyphens. (id: {job_id!r})"
            )
        existing = cluster.jobs[family].get(job_id)
        if existing is not None and not existing.deleted:
            raise InvalidParameterException(
                f"Another resource with same ID already exists. Please use a new ID. (id: {job_id!r})"
            )
        return job_id

    def _update_endpoint(self, cluster: Cluster, params: dict[str, Any]) -> NeptuneJob:
        if params.get("id") is None:
            raise MissingParameterException("id is required to update an ML endpoint.")
        endpoint = cluster.find(Endpoint, params["id"])
        assert isinstance(endpoint, Endpoint)
        Endpoint.check_sources(self, cluster, params)
        endpoint.update(params)
        self.track_job(endpoint)
        return endpoint

    def check_sagemaker_training_job(self, name: str) -> None:
        """A transform from a SageMaker training job: one of moto's, and completed."""
        from moto.sagemaker.models import sagemaker_backends

        training_job = sagemaker_backends[self.account_id][self.region_name].training_jobs.get(name)
        if training_job is None:
            raise BadRequestException(
                f"Unable to find SageMaker AI resource. Please check your input. (trainingJobName: {name!r})"
            )
        if training_job.training_job_status != COMPLETED:
            raise BadRequestException(
                "Provided SageMaker AI Training job has not completed."
                f" (trainingJobName: {name!r} is {training_job.training_job_status})"
            )


neptunedata_backends = SPEC.backend_dict(NeptuneDataBackend)
