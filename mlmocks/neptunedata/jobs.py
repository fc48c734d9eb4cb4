"""Neptune ML's four families: data processing, model training and model transform jobs,
and ML endpoints (the Start/Create, Get, List and Cancel/Delete operations of each).

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
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle, now

from .checks import ENDPOINT_MODEL_NAMES, check_choice
from .exceptions import (
    BadRequestException,
    InvalidParameterException,
    MissingParameterException,
    PreconditionsFailedException,
)

if TYPE_CHECKING:
    from .models import Cluster, NeptuneDataBackend

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
ID_PATTERN = re.compile(r"[A-Za-z0-9-]+")

_LOG_GROUPS = {
    "processing-job": "/aws/sagemaker/ProcessingJobs",
    "hyper-parameter-tuning-job": "/aws/sagemaker/TrainingJobs",
    "training-job": "/aws/sagemaker/TrainingJobs",
}

def _s3_join(location: str, leaf: str) -> str:
    return f"{location.rstrip('/')}/{leaf}"


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

    def detail(self) -> dict[str, Any]:
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
        check_choice(params, "modelName", ENDPOINT_MODEL_NAMES)
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

    def detail(self) -> dict[str, Any]:
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


