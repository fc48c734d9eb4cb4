"""Model versions: training (CreateModel, DescribeModel, ListModels, DeleteModel),
hosting (StartModel, StopModel) and anomaly detection (DetectAnomalies). A model version
is trained on its project's datasets as they are when it is created; models are the
resources Lookout for Vision tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, paginate
from mlmocks.core.tags import TaggingBackend, TagRules, tag_dict

from . import images, manifests
from .datasets import DATASET_SETTLED
from .exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from .projects import DEFAULT_MAX_RESULTS, Project, ProjectsBackend
from .resources import Resource

if TYPE_CHECKING:
    from .datasets import Dataset

MODEL = Lifecycle(
    kind="lookoutvision::model",
    happy_path=("TRAINING", "TRAINED"),
    failed="TRAINING_FAILED",
    # DeleteModel; a deleted model is gone, so DELETED is never shown.
    stopping=("DELETING", "DELETED"),
)
HOSTING = Lifecycle(
    kind="lookoutvision::model-hosting",
    happy_path=("STARTING_HOSTING", "HOSTED"),
    failed="HOSTING_FAILED",
    stopping=("STOPPING_HOSTING", "TRAINED"),
)

#: Model statuses of a model that has been trained (it can be packaged).
TRAINED_STATUSES = frozenset(
    {"TRAINED", "STARTING_HOSTING", "HOSTED", "HOSTING_FAILED", "STOPPING_HOSTING"}
)
#: Model statuses from which StartModel starts hosting.
STARTABLE = frozenset({"TRAINED", "HOSTING_FAILED"})
#: Model statuses in which DeleteModel deletes (neither running nor training).
DELETABLE = frozenset({"TRAINED", "TRAINING_FAILED", "HOSTING_FAILED"})
#: Tags a model can carry (the TagList shape's max).
MAX_TAGS = 200

_MESSAGES = {
    "TRAINING": "Training the model.",
    "TRAINED": "Training completed.",
    "STARTING_HOSTING": "Starting the model.",
    "HOSTED": "The model is running.",
    "STOPPING_HOSTING": "Stopping the model.",
    "DELETING": "Deleting the model.",
}


def _no_model(project_name: str, model_version: str, model_arn: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        f"The project {project_name} has no model version {model_version}", model_arn, "MODEL"
    )


def model_conflict(model: Model, why: str) -> ConflictException:
    """The conflict of a request the model's status does not allow."""
    return ConflictException(
        f"Model version {model.model_version} is {model.status}: {why}", model.model_arn, "MODEL"
    )


@dataclass(frozen=True)
class TrainingData:
    """What a model learns from its project's datasets when it is created."""

    normal: int
    anomaly: int
    #: Anomaly class -> mask colour; empty for a classification model.
    anomaly_classes: dict[str, str]
    background_color: str | None

    @classmethod
    def of(cls, datasets: list[Dataset]) -> TrainingData:
        entries = [entry for dataset in datasets for entry in dataset.entries]
        labels = [entry.label for entry in entries]
        classes: dict[str, str] = {}
        for entry in entries:
            for name, color in entry.anomaly_classes.items():
                classes.setdefault(name, color)
        background = next((e.background_color for e in entries if e.background_color), None)
        return cls(
            labels.count(manifests.NORMAL), labels.count(manifests.ANOMALY), classes, background
        )

    @property
    def problem(self) -> str | None:
        """Why a model cannot be trained on this data (mlmocks' rule: both labels needed)."""
        if not self.normal or not self.anomaly:
            return (
                f"The datasets have {self.normal} images labeled normal and {self.anomaly} labeled "
                "anomaly; training needs labeled normal and anomalous images"
            )
        return None

    def performance(self) -> dict[str, float]:
        """Deterministic metrics: the more labeled images, the better, up to a ceiling."""
        labeled = self.normal + self.anomaly
        precision = round(min(0.99, 0.8 + 0.005 * labeled), 3)
        recall = round(min(0.98, 0.75 + 0.005 * self.anomaly), 3)
        f1 = round(2 * precision * recall / (precision + recall), 3)
        return {"F1Score": f1, "Recall": recall, "Precision": precision}


class Model(Resource):
    """A model version: training (and deletion) walk MODEL; once trained, each StartModel
    and StopModel walks HOSTING."""

    LIFECYCLE = MODEL
    READY = "TRAINED"
    MESSAGES = _MESSAGES

    def __init__(
        self,
        project: Project,
        version: str,
        model_arn: str,
        training_data: TrainingData,
        output_config: dict[str, Any],
        description: str | None,
        kms_key_id: str | None,
        tags: dict[str, str],
    ) -> None:
        self.project = project
        self.model_version = version
        self.model_arn = model_arn
        self.training_data = training_data
        self.output_config = output_config
        self.description = description
        self.kms_key_id = kms_key_id
        self.tags = tags
        self.hosting: Hosting | None = None
        self.min_inference_units: int | None = None
        self.max_inference_units: int | None = None
        self.performance: dict[str, float] | None = None
        self.evaluation_end_time: datetime | None = None
        super().__init__()
        if training_data.problem is not None:
            self.destine_to_fail(training_data.problem)

    def identifiers(self) -> tuple[str, ...]:
        return (f"{self.project.project_name}/{self.model_version}", self.model_arn)

    @property
    def operation(self) -> Job | None:
        return self.hosting

    @property
    def gone(self) -> bool:
        return self.project.models.get(self.model_version) is not self

    def not_found(self) -> ResourceNotFoundException:
        return _no_model(self.project.project_name, self.model_version, self.model_arn)

    @property
    def is_segmentation(self) -> bool:
        return bool(self.training_data.anomaly_classes)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "TRAINED":
            self.performance = self.training_data.performance()
            self.evaluation_end_time = at
        elif status == "DELETED":
            self.project.models.remove(self.model_version)
            self.retired = True
            if self.hosting is not None:
                self.hosting.retired = True

    def _evaluation_object(self, name: str) -> dict[str, str] | None:
        if self.performance is None:
            return None
        location = self.output_config["S3Location"]
        key = f"{location.get('Prefix', '')}{self.project.project_name}/model/{self.model_version}/{name}"
        return {"Bucket": location["Bucket"], "Key": key}

    def summary(self) -> dict[str, Any]:
        return {
            "CreationTimestamp": self.creation_time,
            "ModelVersion": self.model_version,
            "ModelArn": self.model_arn,
            "Description": self.description,
            "Status": self.status,
            "StatusMessage": self.status_message,
            "Performance": self.performance,
        }

    def summary_at_creation(self) -> dict[str, Any]:
        """What CreateModel answers: the model as training starts."""
        status = MODEL.happy_path[0]
        return {
            **self.summary(),
            "Status": status,
            "StatusMessage": _MESSAGES[status],
            "Performance": None,
        }

    def detail(self) -> dict[str, Any]:
        """What DescribeModel answers."""
        return {
            **self.summary(),
            "OutputConfig": self.output_config,
            "EvaluationManifest": self._evaluation_object("evaluation-manifest.json"),
            "EvaluationResult": self._evaluation_object("evaluation-result.json"),
            "EvaluationEndTimestamp": self.evaluation_end_time,
            "KmsKeyId": self.kms_key_id,
            "MinInferenceUnits": self.min_inference_units,
            "MaxInferenceUnits": self.max_inference_units,
        }


class Hosting(Job):
    """One StartModel: STARTING_HOSTING -> HOSTED, and StopModel's way back to TRAINED."""

    LIFECYCLE = HOSTING

    def __init__(self, model: Model) -> None:
        self.model = model
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return self.model.identifiers()


class ModelVersionsBackend(ProjectsBackend, TaggingBackend):
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: ServiceQuotaExceededException(
            f"A model can have at most {MAX_TAGS} tags; these would make {count}",
            arn,
            "MODEL",
            quota_code="tags-per-model",
        ),
        reserved_prefix="aws:",
        reserved=lambda keys: ValidationException(
            f"Tag keys starting with aws: are reserved for AWS: {', '.join(keys)}"
        ),
    )

    def model(self, project_name: str, model_version: str) -> Model:
        """A model by version, or ``latest`` (the highest version)."""
        project = self.project(project_name)
        if model_version == "latest" and len(project.models):
            model_version = str(max(int(model.model_version) for model in project.models))
        model = project.models.get(model_version)
        if model is None:
            raise _no_model(project_name, model_version, self.arn(f"model/{project_name}/{model_version}"))
        return model

    def create_model(
        self,
        *,
        project_name: str,
        output_config: dict[str, Any],
        description: str | None = None,
        kms_key_id: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> Model:
        project = self.project(project_name)
        if "train" not in project.datasets:
            raise ConflictException(
                f"The project {project_name} has no train dataset to train a model on",
                "train",
                "DATASET",
            )
        datasets = [
            project.datasets[kind] for kind in ("train", "test") if kind in project.datasets
        ]
        for dataset in datasets:
            if dataset.status not in DATASET_SETTLED:
                raise ConflictException(
                    f"The {dataset.dataset_type} dataset is {dataset.status}",
                    dataset.dataset_type,
                    "DATASET",
                )
        project.last_version += 1
        version = str(project.last_version)
        model_arn = self.arn(f"model/{project_name}/{version}")
        model = Model(
            project,
            version,
            model_arn,
            TrainingData.of(datasets),
            output_config,
            description,
            kms_key_id,
            self.TAG_RULES.checked(tag_dict(tags, "Key", "Value"), model_arn),
        )
        project.models.add(version, model)
        self.track_job(model)
        return model

    def describe_model(self, *, project_name: str, model_version: str) -> Model:
        return self.model(project_name, model_version).observe()

    def list_models(
        self, *, project_name: str, next_token: str | None = None, max_results: int | None = None
    ) -> Page[Model]:
        return paginate(
            self.project(project_name).models,
            sort_name="ModelVersion",
            sort_key=lambda model: int(model.model_version),
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_model(self, *, project_name: str, model_version: str) -> str:
        """Start deleting the model; returns its ARN."""
        model = self.model(project_name, model_version)
        if model.status not in DELETABLE:
            raise model_conflict(model, "a model that is running or training cannot be deleted")
        model.begin_stopping()
        self.track_job(model)
        return model.model_arn

    def start_model(
        self,
        *,
        project_name: str,
        model_version: str,
        min_inference_units: int,
        max_inference_units: int | None = None,
    ) -> str:
        """Start hosting; returns the hosting status as the call leaves it."""
        model = self.model(project_name, model_version)
        if model.status not in STARTABLE:
            raise model_conflict(model, "only a trained model that is not running can be started")
        if max_inference_units is not None and max_inference_units < min_inference_units:
            raise ValidationException(
                f"MaxInferenceUnits ({max_inference_units}) is less than MinInferenceUnits ({min_inference_units})"
            )
        model.min_inference_units = min_inference_units
        model.max_inference_units = max_inference_units or min_inference_units
        if model.hosting is not None:
            model.hosting.retired = True
        model.hosting = Hosting(model)
        self.track_job(model.hosting)
        return HOSTING.happy_path[0]

    def stop_model(self, *, project_name: str, model_version: str) -> str:
        """Stop hosting; returns the hosting status as the call leaves it."""
        model = self.model(project_name, model_version)
        if model.hosting is None or model.status != "HOSTED":
            raise model_conflict(model, "only a hosted model can be stopped")
        model.hosting.begin_stopping()
        self.track_job(model.hosting)
        return HOSTING.stopping[0]

    def detect_anomalies(
        self, *, project_name: str, model_version: str, body: bytes, content_type: str
    ) -> dict[str, Any]:
        model = self.model(project_name, model_version)
        if model.status != "HOSTED":
            raise model_conflict(
                model, "DetectAnomalies needs a HOSTED model; start it with StartModel"
            )
        try:
            width, height = images.dimensions(body, content_type)
        except images.ImageError as problem:
            raise ValidationException(str(problem)) from None
        data = model.training_data
        classes = data.anomaly_classes if model.is_segmentation else None
        return images.detect(body, width, height, classes, data.background_color)

    def taggable(self, arn: str) -> Model:
        """Lookout for Vision tags models."""
        prefix = self.arn("model/")
        if arn.startswith(prefix) and arn.count("/") == 2:
            project_name, version = arn[len(prefix) :].split("/")
            project = self.projects.get(project_name)
            model = project.models.get(version) if project else None
            if model is not None:
                return model
        if not arn.startswith("arn:"):
            raise ValidationException(f"ResourceArn {arn} is not an ARN")
        raise ResourceNotFoundException(f"No model has the ARN {arn}", arn, "MODEL")
