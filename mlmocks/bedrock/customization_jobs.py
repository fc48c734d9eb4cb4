"""Bedrock model customization jobs (CreateModelCustomizationJob, GetModelCustomizationJob,
ListModelCustomizationJobs, StopModelCustomizationJob), taken over from moto on the
shared host: ``InProgress -> Completed | Failed``, stopped through ``Stopping ->
Stopped``. A job that completes creates its custom model (custom_models.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.tags import Tagged, tag_dict

from .custom_models import CustomModel, CustomModels, model_id_of
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time, job_filter

MODEL_CUSTOMIZATION_JOB = Lifecycle(
    kind="bedrock::model-customization-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)


@dataclass(frozen=True)
class Hyperparameter:
    low: float
    high: float
    integer: bool = True
    #: Whether ``Auto`` is a value (the service picks one from the data set's size).
    auto: bool = False


def _titan_text(epochs: int, batch: int, rate: tuple[float, float], warmup: int) -> dict[str, Hyperparameter]:
    return {
        "epochCount": Hyperparameter(1, epochs),
        "batchSize": Hyperparameter(1, batch),
        "learningRate": Hyperparameter(*rate, integer=False),
        "learningRateWarmupSteps": Hyperparameter(0, warmup),
    }


_TITAN_TEXT = _titan_text(10, 64, (0.0, 1.0), 250)
_NOVA = {
    "epochCount": Hyperparameter(1, 5),
    "learningRate": Hyperparameter(1e-6, 1e-4, integer=False),
    "learningRateWarmupSteps": Hyperparameter(0, 100),
}

#: Base models whose customization the Bedrock user guide documents ("Custom model
#: hyperparameters"): model id -> (customization types, hyperparameters and their ranges).
#: Other foundation models are accepted without these checks.
BASE_MODELS: dict[str, tuple[frozenset[str], dict[str, Hyperparameter]]] = {
    "amazon.titan-text-lite-v1:0:4k": (frozenset({"FINE_TUNING", "CONTINUED_PRE_TRAINING"}), _TITAN_TEXT),
    "amazon.titan-text-express-v1:0:8k": (frozenset({"FINE_TUNING", "CONTINUED_PRE_TRAINING"}), _TITAN_TEXT),
    "amazon.titan-text-premier-v1:0:32k": (
        frozenset({"FINE_TUNING"}),
        _titan_text(5, 1, (1e-7, 1e-5), 20),
    ),
    "amazon.titan-embed-image-v1:0": (
        frozenset({"FINE_TUNING"}),
        {
            "epochCount": Hyperparameter(1, 100, auto=True),
            "batchSize": Hyperparameter(256, 9216),
            "learningRate": Hyperparameter(5e-8, 1.0, integer=False),
        },
    ),
    "amazon.nova-micro-v1:0:128k": (frozenset({"FINE_TUNING", "DISTILLATION"}), _NOVA),
    "amazon.nova-lite-v1:0:300k": (frozenset({"FINE_TUNING", "DISTILLATION"}), _NOVA),
    "amazon.nova-pro-v1:0:300k": (frozenset({"FINE_TUNING", "DISTILLATION"}), _NOVA),
}

#: The steps of a job, as statusDetails shows them, by the job's status.
_STEP_STATUSES = {
    "InProgress": ("Completed", "Completed", "InProgress"),
    "Completed": ("Completed", "Completed", "Completed"),
    "Failed": ("Completed", "Completed", "Failed"),
    "Stopping": ("Completed", "Completed", "Stopping"),
    "Stopped": ("Completed", "Completed", "Stopped"),
}


def check_hyperparameters(base_model: str, customization_type: str, hyper_parameters: dict[str, str]) -> None:
    """Refuse a customization type or hyperparameters the base model does not take."""
    known = BASE_MODELS.get(base_model)
    if known is None:
        return
    types, parameters = known
    if customization_type not in types:
        raise ValidationException(
            f"The base model {base_model} does not support customizationType {customization_type}; "
            f"it supports {', '.join(sorted(types))}"
        )
    for name, text in hyper_parameters.items():
        rule = parameters.get(name)
        if rule is None:
            raise ValidationException(
                f"The hyperparameter {name} is not supported for {base_model}; "
                f"supported: {', '.join(parameters)}"
            )
        if text == "Auto" and rule.auto:
            continue
        try:
            value = float(text) if not rule.integer else int(text)
        except ValueError:
            kind = "an integer" if rule.integer else "a number"
            raise ValidationException(f"The hyperparameter {name} must be {kind}, not {text!r}") from None
        if not rule.low <= value <= rule.high:
            raise ValidationException(
                f"The hyperparameter {name} must be between {rule.low:g} and {rule.high:g}, not {text}"
            )


class ModelCustomizationJob(Job):
    LIFECYCLE = MODEL_CUSTOMIZATION_JOB

    def __init__(
        self,
        backend: ModelCustomizationJobs,
        *,
        job_name: str,
        custom_model_name: str,
        role_arn: str,
        base_model_arn: str,
        base_custom_model_arn: str | None,
        customization_type: str,
        training_data_config: dict[str, Any],
        validation_data_config: dict[str, Any] | None,
        output_data_config: dict[str, Any],
        hyper_parameters: dict[str, str],
        custom_model_kms_key_arn: str | None,
        vpc_config: dict[str, Any] | None,
        customization_config: dict[str, Any] | None,
        custom_model_tags: dict[str, str],
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_name = job_name
        self.job_arn = backend.arn(f"model-customization-job/{model_id_of(base_model_arn)}/{random_id()}")
        self.custom_model_name = custom_model_name
        self.role_arn = role_arn
        #: The foundation model (GetModelCustomizationJob's baseModelArn is one).
        self.base_model_arn = base_model_arn
        #: The custom model customized further, if the base was one.
        self.base_custom_model_arn = base_custom_model_arn
        self.customization_type = customization_type
        self.training_data_config = training_data_config
        self.validation_data_config = validation_data_config
        self.output_data_config = output_data_config
        self.hyper_parameters = hyper_parameters
        self.custom_model_kms_key_arn = custom_model_kms_key_arn
        self.vpc_config = vpc_config
        self.customization_config = customization_config
        self.custom_model_tags = custom_model_tags
        self.tags = tags
        self.custom_model_arn: str | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, self.job_arn)

    @property
    def training_metrics(self) -> dict[str, float]:
        # Deterministic: the more epochs, the lower the loss.
        # (Auto, or a model whose hyperparameters are not checked: two epochs.)
        given = self.hyper_parameters.get("epochCount", "")
        epochs = int(given) if given.isdecimal() and len(given) < 6 else 2
        return {"trainingLoss": round(1.0 / (1 + epochs), 6)}

    @property
    def validation_metrics(self) -> list[dict[str, float]]:
        validators = (self.validation_data_config or {}).get("validators", [])
        loss = self.training_metrics["trainingLoss"]
        return [{"validationLoss": round(loss * (1.1 + index / 10), 6)} for index in range(len(validators))]

    def status_details(self) -> dict[str, Any]:
        steps = _STEP_STATUSES[self.status]
        times = {"creationTime": self.creation_time, "lastModifiedTime": self.last_modified_time}
        return {
            "validationDetails": {"status": steps[0], **times},
            "dataProcessingDetails": {"status": steps[1], **times},
            "trainingDetails": {"status": steps[2], **times},
        }

    def summary(self) -> dict[str, Any]:
        return {
            "jobArn": self.job_arn,
            "baseModelArn": self.base_model_arn,
            "jobName": self.job_name,
            "status": self.status,
            "statusDetails": self.status_details(),
            "lastModifiedTime": self.last_modified_time,
            "creationTime": self.creation_time,
            "endTime": self.end_time,
            "customModelArn": self.custom_model_arn,
            "customModelName": self.custom_model_name,
            "customizationType": self.customization_type,
        }

    def detail(self) -> dict[str, Any]:
        completed = self.status == "Completed"
        return {
            "jobArn": self.job_arn,
            "jobName": self.job_name,
            "outputModelName": self.custom_model_name,
            "outputModelArn": self.custom_model_arn,
            "roleArn": self.role_arn,
            "status": self.status,
            "statusDetails": self.status_details(),
            "failureMessage": self.failure,
            "creationTime": self.creation_time,
            "lastModifiedTime": self.last_modified_time,
            "endTime": self.end_time,
            "baseModelArn": self.base_model_arn,
            "hyperParameters": self.hyper_parameters,
            "trainingDataConfig": self.training_data_config,
            # Required in the output shape: an empty list of validators where none was given.
            "validationDataConfig": self.validation_data_config or {"validators": []},
            "outputDataConfig": self.output_data_config,
            "customizationType": self.customization_type,
            "outputModelKmsKeyArn": self.custom_model_kms_key_arn,
            "trainingMetrics": self.training_metrics if completed else None,
            "validationMetrics": self.validation_metrics if completed else None,
            "vpcConfig": self.vpc_config,
            "customizationConfig": self.customization_config,
        }

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "Completed":
            model = self.backend.add_custom_model(
                CustomModel(
                    model_arn=self.backend.custom_model_arn(self.base_model_arn),
                    model_name=self.custom_model_name,
                    owner_account_id=self.backend.account_id,
                    base_model_arn=self.base_custom_model_arn or self.base_model_arn,
                    foundation_model_arn=self.base_model_arn,
                    customization_type=self.customization_type,
                    creation_time=at,
                    tags=dict(self.custom_model_tags),
                    job_name=self.job_name,
                    job_arn=self.job_arn,
                    model_kms_key_arn=self.custom_model_kms_key_arn,
                    hyper_parameters=self.hyper_parameters,
                    training_data_config=self.training_data_config,
                    validation_data_config=self.validation_data_config,
                    output_data_config=self.output_data_config,
                    training_metrics=self.training_metrics,
                    validation_metrics=self.validation_metrics,
                    customization_config=self.customization_config,
                )
            )
            self.custom_model_arn = model.model_arn


class ModelCustomizationJobs(CustomModels):
    """The model customization family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.customization_jobs: Store[ModelCustomizationJob] = Store()  # by ARN, also by name

    def create_model_customization_job(
        self,
        job_name: str,
        custom_model_name: str,
        role_arn: str,
        base_model_identifier: str,
        training_data_config: dict[str, Any],
        output_data_config: dict[str, Any],
        customization_type: str | None = None,
        custom_model_kms_key_id: str | None = None,
        job_tags: list[dict[str, str]] | None = None,
        custom_model_tags: list[dict[str, str]] | None = None,
        validation_data_config: dict[str, Any] | None = None,
        hyper_parameters: dict[str, str] | None = None,
        vpc_config: dict[str, Any] | None = None,
        customization_config: dict[str, Any] | None = None,
    ) -> ModelCustomizationJob:
        base_model_arn, base_custom = self.resolve_model(base_model_identifier, "baseModelIdentifier")
        if base_custom is not None:
            # A custom model customized further: on the same foundation model.
            base_model_arn = base_custom.foundation_model_arn
        customization_type = customization_type or "FINE_TUNING"
        if customization_type == "IMPORTED":
            raise ValidationException("customizationType IMPORTED is not a customization a job performs")
        if training_data_config.get("s3Uri") is None and training_data_config.get("invocationLogsConfig") is None:
            raise ValidationException("trainingDataConfig must give s3Uri or invocationLogsConfig")
        if customization_type == "DISTILLATION" and not (customization_config or {}).get("distillationConfig"):
            raise ValidationException("customizationConfig.distillationConfig is required for DISTILLATION")
        check_hyperparameters(model_id_of(base_model_arn), customization_type, hyper_parameters or {})
        if self.customization_jobs.find(job_name) is not None:
            raise ConflictException(f"A model customization job named {job_name} already exists")
        if self.custom_model_name_taken(custom_model_name):
            raise ConflictException(
                f"A custom model named {custom_model_name} already exists or is being customized"
            )
        job = ModelCustomizationJob(
            self,
            job_name=job_name,
            custom_model_name=custom_model_name,
            role_arn=role_arn,
            base_model_arn=base_model_arn,
            base_custom_model_arn=base_custom.model_arn if base_custom is not None else None,
            customization_type=customization_type,
            training_data_config=training_data_config,
            validation_data_config=validation_data_config,
            output_data_config=output_data_config,
            hyper_parameters=dict(hyper_parameters or {}),
            custom_model_kms_key_arn=self._kms_key_arn(custom_model_kms_key_id),  # type: ignore[attr-defined]
            vpc_config=vpc_config,
            customization_config=customization_config,
            custom_model_tags=tag_dict(custom_model_tags),
            tags=tag_dict(job_tags),
        )
        self.customization_jobs.add(job.job_arn, job, aliases=(job_name,))
        self.track_job(job)
        return job

    def get_model_customization_job(self, job_identifier: str) -> ModelCustomizationJob:
        job = self.customization_jobs.find(job_identifier)
        if job is None:
            raise ResourceNotFoundException(f"The model customization job {job_identifier} was not found")
        return job

    def list_model_customization_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        status_equals: str | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ModelCustomizationJob]:
        wanted = job_filter(creation_time_after, creation_time_before, name_contains, status_equals)
        return by_creation_time(self.customization_jobs, wanted, max_results, next_token, sort_order)

    def stop_model_customization_job(self, job_identifier: str) -> None:
        job = self.get_model_customization_job(job_identifier)
        if job.status != "InProgress":
            raise ValidationException(
                f"The model customization job {job.job_name} is {job.status} and cannot be stopped"
            )
        job.begin_stopping()
        self.track_job(job)

    # -- shared with the other families ----------------------------------------------------

    def custom_model_name_taken(self, name: str) -> bool:
        return super().custom_model_name_taken(name) or any(
            isinstance(job, ModelCustomizationJob) and job.custom_model_name == name
            for job in self.unfinished_jobs()
        )

    def model_resource(self, arn: str) -> Tagged | None:
        return self.customization_jobs.get(arn) or super().model_resource(arn)
