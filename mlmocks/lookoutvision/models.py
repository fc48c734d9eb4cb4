"""Lookout for Vision for one account and region: projects, their train and test datasets,
model versions (training, hosting, anomaly detection) and model packaging jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.tags import TaggingBackend, TagRules, tag_dict

from . import SPEC, images, manifests
from .exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)

DATASET = Lifecycle(
    kind="lookoutvision::dataset",
    happy_path=("CREATE_IN_PROGRESS", "CREATE_COMPLETE"),
    failed="CREATE_FAILED",
    # DeleteDataset; a deleted dataset is gone.
    stopping=("DELETE_IN_PROGRESS", "DELETE_COMPLETE"),
)
DATASET_UPDATE = Lifecycle(
    kind="lookoutvision::dataset-update",
    happy_path=("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"),
    # A failed update leaves the entries as they were.
    failed="UPDATE_FAILED_ROLLBACK_COMPLETE",
)
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
PACKAGING_JOB = Lifecycle(
    kind="lookoutvision::model-packaging-job",
    happy_path=("CREATED", "RUNNING", "SUCCEEDED"),
    failed="FAILED",
)

#: Dataset statuses in which a dataset can be trained on, updated or deleted.
DATASET_SETTLED = frozenset(
    {"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_FAILED_ROLLBACK_COMPLETE"}
)
#: Model statuses of a model that has been trained (it can be packaged).
TRAINED_STATUSES = frozenset(
    {"TRAINED", "STARTING_HOSTING", "HOSTED", "HOSTING_FAILED", "STOPPING_HOSTING"}
)
#: Model statuses from which StartModel starts hosting.
STARTABLE = frozenset({"TRAINED", "HOSTING_FAILED"})
#: Model statuses in which DeleteModel deletes (neither running nor training).
DELETABLE = frozenset({"TRAINED", "TRAINING_FAILED", "HOSTING_FAILED"})

#: Page size of a List call without MaxResults.
DEFAULT_MAX_RESULTS = 100
#: Tags a model can carry (the TagList shape's max).
MAX_TAGS = 200
#: How long a ClientToken identifies its request.
IDEMPOTENCY_WINDOW = timedelta(hours=8)

_DATASET_MESSAGES = {
    "CREATE_IN_PROGRESS": "Creating the dataset.",
    "CREATE_COMPLETE": "The dataset was created.",
    "UPDATE_IN_PROGRESS": "Updating the dataset entries.",
    "UPDATE_COMPLETE": "The dataset entries were updated.",
    "DELETE_IN_PROGRESS": "Deleting the dataset.",
}
_MODEL_MESSAGES = {
    "TRAINING": "Training the model.",
    "TRAINED": "Training completed.",
    "STARTING_HOSTING": "Starting the model.",
    "HOSTED": "The model is running.",
    "STOPPING_HOSTING": "Stopping the model.",
    "DELETING": "Deleting the model.",
}
_PACKAGING_MESSAGES = {
    "CREATED": "The model packaging job was created.",
    "RUNNING": "Packaging the model.",
    "SUCCEEDED": "The model packaging job succeeded.",
}


class Resource(Job):
    """A resource whose creation (and deletion) walks its LIFECYCLE, and which, once
    READY, hands its status over to its latest operation (a dataset's update, a model's
    hosting), itself a job of another kind."""

    #: The status from which the latest operation's status is the resource's.
    READY: ClassVar[str]
    #: Status messages of the statuses the resource shows.
    MESSAGES: ClassVar[dict[str, str]]

    @property
    def operation(self) -> Job | None:
        """The latest operation on the resource, if any."""
        return None

    def _active_operation(self) -> Job | None:
        return self.operation if super().status == self.READY else None

    @property
    def status(self) -> str:
        operation = self._active_operation()
        return operation.status if operation is not None else super().status

    @property
    def status_message(self) -> str:
        operation = self._active_operation()
        failure = operation.failure if operation is not None else self.failure
        return failure or self.MESSAGES.get(self.status, "")

    def observe(self) -> Resource:
        """Count a look at whichever job the status is read from (manual progression)."""
        operation = self._active_operation()
        if operation is not None:
            operation.observe()
        else:
            super().observe()
        return self


# -- datasets -------------------------------------------------------------------------------


class Dataset(Resource):
    """A project's train or test dataset: its creation (and deletion) walk DATASET, and
    UpdateDatasetEntries' updates DATASET_UPDATE."""

    LIFECYCLE = DATASET
    READY = "CREATE_COMPLETE"
    MESSAGES = _DATASET_MESSAGES

    def __init__(
        self, project: Project, dataset_type: str, manifest: list[manifests.Entry] | str | None
    ) -> None:
        """``manifest``: the entries read from the source manifest, the reason it could not
        be used, or None for an empty dataset (created at once)."""
        self.project = project
        self.dataset_type = dataset_type
        self.entries: Store[manifests.Entry] = Store()  # by source-ref, in manifest order
        self.update: DatasetUpdate | None = None
        self._pending = manifest if isinstance(manifest, list) else []
        super().__init__()
        if isinstance(manifest, str):
            self.destine_to_fail(manifest)
        #: What CreateDataset answers: an empty dataset is created at once.
        self.created_status = self.step() if manifest is None else DATASET.happy_path[0]

    def identifiers(self) -> tuple[str, ...]:
        return (f"{self.project.project_name}/{self.dataset_type}",)

    @property
    def operation(self) -> Job | None:
        return self.update

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "CREATE_COMPLETE":
            self.put(self._pending)
        elif status == "DELETE_COMPLETE":
            del self.project.datasets[self.dataset_type]
            self.retired = True
            if self.update is not None:
                self.update.retired = True

    def put(self, entries: list[manifests.Entry]) -> None:
        """Add entries; one for an image already there replaces it in place."""
        for entry in entries:
            earlier = self.entries.get(entry.source_ref)
            if earlier is None:
                self.entries.add(entry.source_ref, entry)
            else:
                earlier.__dict__.update(entry.__dict__)

    @property
    def bucket(self) -> str | None:
        """The bucket of the dataset's images (all of them are in one)."""
        return next((entry.bucket for entry in self.entries), None)

    def image_stats(self) -> dict[str, int]:
        labels = [entry.label for entry in self.entries]
        normal, anomaly = labels.count(manifests.NORMAL), labels.count(manifests.ANOMALY)
        return {
            "Total": len(labels),
            "Labeled": normal + anomaly,
            "Normal": normal,
            "Anomaly": anomaly,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "DatasetType": self.dataset_type,
            "CreationTimestamp": self.creation_time,
            "Status": self.status,
            "StatusMessage": self.status_message,
        }

    def created_metadata(self) -> dict[str, Any]:
        """What CreateDataset answers: the dataset as it was created."""
        status = self.created_status
        return {
            **self.summary(),
            "Status": status,
            "StatusMessage": _DATASET_MESSAGES.get(status, ""),
        }

    def detail(self) -> dict[str, Any]:
        """What DescribeDataset answers."""
        updated = max(
            self.last_modified_time,
            self.update.last_modified_time if self.update else self.creation_time,
        )
        return {
            **self.summary(),
            "ProjectName": self.project.project_name,
            "LastUpdatedTimestamp": updated,
            "ImageStats": self.image_stats(),
        }


class DatasetUpdate(Job):
    """UpdateDatasetEntries: the entries take effect when the update completes."""

    LIFECYCLE = DATASET_UPDATE

    def __init__(self, dataset: Dataset, entries: list[manifests.Entry]) -> None:
        self.dataset = dataset
        self.entries = entries
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return self.dataset.identifiers()

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "UPDATE_COMPLETE":
            self.dataset.put(self.entries)


# -- models -----------------------------------------------------------------------------------


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
    MESSAGES = _MODEL_MESSAGES

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

    def created_metadata(self) -> dict[str, Any]:
        """What CreateModel answers: the model as training starts."""
        status = MODEL.happy_path[0]
        return {
            **self.summary(),
            "Status": status,
            "StatusMessage": _MODEL_MESSAGES[status],
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


# -- model packaging jobs ---------------------------------------------------------------


class PackagingJob(Job):
    """A model packaging job: it makes a Greengrass component of a trained model."""

    LIFECYCLE = PACKAGING_JOB

    def __init__(
        self,
        project: Project,
        job_name: str,
        model_version: str,
        configuration: dict[str, Any],
        description: str | None,
        component_version: str,
        component_arn: str,
    ) -> None:
        self.project = project
        self.job_name = job_name
        self.model_version = model_version
        self.configuration = configuration
        self.description = description
        self.component_version = component_version
        self.component_arn = component_arn
        self.output_details: dict[str, Any] | None = None
        super().__init__()

    @property
    def greengrass(self) -> dict[str, Any]:
        return self.configuration["Greengrass"]

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, f"{self.project.project_name}/{self.job_name}")

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "SUCCEEDED":
            self.output_details = {
                "Greengrass": {
                    "ComponentVersionArn": self.component_arn,
                    "ComponentName": self.greengrass["ComponentName"],
                    "ComponentVersion": self.component_version,
                }
            }

    def summary(self) -> dict[str, Any]:
        return {
            "JobName": self.job_name,
            "ProjectName": self.project.project_name,
            "ModelVersion": self.model_version,
            "ModelPackagingJobDescription": self.description,
            "ModelPackagingMethod": "Greengrass",
            "Status": self.status,
            "StatusMessage": self.failure or _PACKAGING_MESSAGES.get(self.status, ""),
            "CreationTimestamp": self.creation_time,
            "LastUpdatedTimestamp": self.last_modified_time,
        }

    def detail(self) -> dict[str, Any]:
        """What DescribeModelPackagingJob answers."""
        return {
            **self.summary(),
            "ModelPackagingConfiguration": self.configuration,
            "ModelPackagingOutputDetails": self.output_details,
        }


# -- projects -------------------------------------------------------------------------------


class Project:
    def __init__(self, project_name: str, project_arn: str) -> None:
        self.project_name = project_name
        self.project_arn = project_arn
        self.creation_time = now()
        self.datasets: dict[str, Dataset] = {}
        self.models: Store[Model] = Store()  # by version
        self.last_version = 0
        self.packaging_jobs: Store[PackagingJob] = Store()  # by job name

    def summary(self) -> dict[str, Any]:
        return {
            "ProjectArn": self.project_arn,
            "ProjectName": self.project_name,
            "CreationTimestamp": self.creation_time,
        }

    def detail(self) -> dict[str, Any]:
        """What DescribeProject answers."""
        datasets = [
            self.datasets[kind].summary() for kind in ("train", "test") if kind in self.datasets
        ]
        return {**self.summary(), "Datasets": datasets}


class LookoutVisionBackend(ServiceBackend, TaggingBackend):
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: ServiceQuotaExceededException(
            f"A model can have at most {MAX_TAGS} tags; these would make {count}",
            arn,
            "MODEL",
            quota_code="tags-per-model",
        ),
        reserved_prefix="aws:",
        reserved=lambda keys: ValidationException(f"Tag keys starting with aws: are reserved for AWS: {', '.join(keys)}"),
    )
    ARN_SERVICE = "lookoutvision"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.projects: Store[Project] = Store()  # by name

    # -- projects --------------------------------------------------------------------------------

    def create_project(self, project_name: str) -> Project:
        if project_name in self.projects:
            raise ConflictException(
                f"A project named {project_name} already exists", project_name, "PROJECT"
            )
        project = Project(project_name, self.arn(f"project/{project_name}"))
        self.projects.add(project_name, project)
        return project

    def project(self, project_name: str) -> Project:
        """The project (jobs settled before the request: a deleted dataset or model gone,
        completed updates applied)."""
        project = self.projects.get(project_name)
        if project is None:
            raise ResourceNotFoundException(
                f"The project {project_name} does not exist", project_name, "PROJECT"
            )
        return project

    def list_projects(self, next_token: str | None, max_results: int | None) -> Page[Project]:
        return paginate(
            self.projects,
            sort_name="CreationTimestamp",
            sort_key=lambda project: project.creation_time,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_project(self, project_name: str) -> Project:
        project = self.project(project_name)
        if project.datasets or len(project.models):
            raise ConflictException(
                f"The project {project_name} still has datasets or models; delete them first",
                project_name,
                "PROJECT",
            )
        self.projects.remove(project_name)
        for job in project.packaging_jobs:
            job.retired = True
        return project

    # -- datasets --------------------------------------------------------------------------------

    def create_dataset(
        self, project_name: str, dataset_type: str, dataset_source: dict[str, Any] | None
    ) -> Dataset:
        project = self.project(project_name)
        if dataset_type in project.datasets:
            raise ConflictException(
                f"The project {project_name} already has a {dataset_type} dataset",
                dataset_type,
                "DATASET",
            )
        s3_object = (dataset_source or {}).get("GroundTruthManifest", {}).get("S3Object")
        if dataset_source is not None and s3_object is None:
            raise ValidationException("DatasetSource needs a GroundTruthManifest with an S3Object")
        manifest = None if s3_object is None else self._read_manifest(s3_object)
        dataset = Dataset(project, dataset_type, manifest)
        project.datasets[dataset_type] = dataset
        self.track_job(dataset)
        return dataset

    def dataset(self, project_name: str, dataset_type: str) -> Dataset:
        dataset = self.project(project_name).datasets.get(dataset_type)
        if dataset is None:
            raise ResourceNotFoundException(
                f"The project {project_name} has no {dataset_type} dataset", dataset_type, "DATASET"
            )
        return dataset

    def describe_dataset(self, project_name: str, dataset_type: str) -> Dataset:
        """The dataset, after counting this look (manual progression); a dataset whose
        deletion this look completed is gone."""
        self.dataset(project_name, dataset_type).observe()
        return self.dataset(project_name, dataset_type)

    def update_dataset_entries(
        self, project_name: str, dataset_type: str, changes: bytes
    ) -> DatasetUpdate:
        dataset = self.dataset(project_name, dataset_type)
        if dataset.status not in DATASET_SETTLED:
            raise ConflictException(
                f"The {dataset_type} dataset is {dataset.status}; it can be updated once it is complete",
                dataset_type,
                "DATASET",
            )
        try:
            entries = manifests.parse(changes.decode("utf-8"), now())
            manifests.check_one_bucket(entries, dataset.bucket)
        except UnicodeDecodeError:
            raise ValidationException("Changes must be JSON lines in UTF-8") from None
        except manifests.ManifestError as problem:
            raise ValidationException(f"Changes: {problem}") from None
        if not entries:
            raise ValidationException("Changes has no JSON lines")
        if dataset.update is not None:
            dataset.update.retired = True
        dataset.update = DatasetUpdate(dataset, entries)
        self.track_job(dataset.update)
        return dataset.update

    def list_dataset_entries(
        self,
        project_name: str,
        dataset_type: str,
        labeled: bool | None = None,
        anomaly_class: str | None = None,
        before_creation_date: datetime | None = None,
        after_creation_date: datetime | None = None,
        source_ref_contains: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> Page[manifests.Entry]:
        dataset = self.dataset(project_name, dataset_type)
        if dataset.status in ("CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS"):
            raise ConflictException(
                f"The {dataset_type} dataset is {dataset.status}", dataset_type, "DATASET"
            )

        def wanted(entry: manifests.Entry) -> bool:
            return (
                (labeled is None or (entry.label is not None) == labeled)
                and (anomaly_class is None or entry.label == anomaly_class)
                and (before_creation_date is None or entry.created < before_creation_date)
                and (after_creation_date is None or entry.created > after_creation_date)
                and (source_ref_contains is None or source_ref_contains in entry.source_ref)
            )

        return paginate(
            dataset.entries,
            sort_name="Manifest",
            sort_key=lambda entry: 0,  # insertion order: the order of the manifest
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_dataset(self, project_name: str, dataset_type: str) -> None:
        dataset = self.dataset(project_name, dataset_type)
        if dataset.status not in DATASET_SETTLED | {DATASET.failed}:
            raise ConflictException(
                f"The {dataset_type} dataset is {dataset.status}", dataset_type, "DATASET"
            )
        if any(model.status == "TRAINING" for model in dataset.project.models):
            raise ConflictException(
                f"A model of the project {project_name} is training on its datasets",
                dataset_type,
                "DATASET",
            )
        dataset.begin_stopping()
        self.track_job(dataset)

    # -- models ------------------------------------------------------------------------------------

    def create_model(
        self,
        project_name: str,
        output_config: dict[str, Any],
        description: str | None = None,
        kms_key_id: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> Model:
        project = self.project(project_name)
        train = project.datasets.get("train")
        if train is None:
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
        model = Model(
            project,
            version,
            self.arn(f"model/{project_name}/{version}"),
            TrainingData.of(datasets),
            output_config,
            description,
            kms_key_id,
            self.TAG_RULES.checked(self.arn(f"model/{project_name}/{version}"), tag_dict(tags, "Key", "Value")),
        )
        project.models.add(version, model)
        self.track_job(model)
        return model

    def model(self, project_name: str, model_version: str) -> Model:
        """A model by version, or ``latest`` (the highest version)."""
        project = self.project(project_name)
        if model_version == "latest" and len(project.models):
            model_version = str(max(int(model.model_version) for model in project.models))
        model = project.models.get(model_version)
        if model is None:
            raise ResourceNotFoundException(
                f"The project {project_name} has no model version {model_version}",
                self.arn(f"model/{project_name}/{model_version}"),
                "MODEL",
            )
        return model

    def describe_model(self, project_name: str, model_version: str) -> Model:
        """The model, after counting this look (manual progression); a model whose deletion
        this look completed is gone."""
        model = self.model(project_name, model_version)
        model.observe()
        return self.model(project_name, model.model_version)

    def list_models(
        self, project_name: str, next_token: str | None, max_results: int | None
    ) -> Page[Model]:
        return paginate(
            self.project(project_name).models,
            sort_name="ModelVersion",
            sort_key=lambda model: int(model.model_version),
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_model(self, project_name: str, model_version: str) -> Model:
        model = self.model(project_name, model_version)
        if model.status not in DELETABLE:
            raise _model_conflict(model, "a model that is running or training cannot be deleted")
        model.begin_stopping()
        self.track_job(model)
        return model

    def start_model(
        self,
        project_name: str,
        model_version: str,
        min_inference_units: int,
        max_inference_units: int | None,
    ) -> str:
        """Start hosting; returns the hosting status as the call leaves it."""
        model = self.model(project_name, model_version)
        if model.status not in STARTABLE:
            raise _model_conflict(model, "only a trained model that is not running can be started")
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

    def stop_model(self, project_name: str, model_version: str) -> str:
        """Stop hosting; returns the hosting status as the call leaves it."""
        model = self.model(project_name, model_version)
        if model.hosting is None or model.status != "HOSTED":
            raise _model_conflict(model, "only a hosted model can be stopped")
        model.hosting.begin_stopping()
        self.track_job(model.hosting)
        return HOSTING.stopping[0]

    def detect_anomalies(
        self, project_name: str, model_version: str, body: bytes, content_type: str
    ) -> dict[str, Any]:
        model = self.model(project_name, model_version)
        if model.status != "HOSTED":
            raise _model_conflict(
                model, "DetectAnomalies needs a HOSTED model; start it with StartModel"
            )
        try:
            width, height = images.dimensions(body, content_type)
        except images.ImageError as problem:
            raise ValidationException(str(problem)) from None
        data = model.training_data
        classes = data.anomaly_classes if model.is_segmentation else None
        return images.detect(body, width, height, classes, data.background_color)

    # -- model packaging jobs --------------------------------------------------------------------

    def start_model_packaging_job(
        self,
        project_name: str,
        model_version: str,
        configuration: dict[str, Any],
        job_name: str | None = None,
        description: str | None = None,
    ) -> PackagingJob:
        project = self.project(project_name)
        model = self.model(project_name, model_version)
        if model.status not in TRAINED_STATUSES:
            raise _model_conflict(model, "only a trained model can be packaged")
        greengrass = configuration["Greengrass"]
        _check_target(greengrass)
        # Without a ComponentVersion, the service derives one from the model version.
        component_version = greengrass.get("ComponentVersion", f"{model.model_version}.0.0")
        if job_name is None:
            job_name = f"{project_name[:40]}-{model.model_version}-{random_id(12)}".replace(
                "_", "-"
            )
        if job_name in project.packaging_jobs:
            raise ConflictException(
                f"The project {project_name} has a model packaging job named {job_name}",
                job_name,
                "MODEL_PACKAGE_JOB",
            )
        component = f"{greengrass['ComponentName']}:versions:{component_version}"
        job = PackagingJob(
            project,
            job_name,
            model.model_version,
            configuration,
            description,
            component_version,
            f"arn:{self.partition}:greengrass:{self.region_name}:{self.account_id}:components:{component}",
        )
        if self._component_taken(job):
            job.destine_to_fail(
                f"The Greengrass component {greengrass['ComponentName']} already has version {component_version}"
            )
        project.packaging_jobs.add(job_name, job)
        self.track_job(job)
        return job

    def packaging_job(self, project_name: str, job_name: str) -> PackagingJob:
        job = self.project(project_name).packaging_jobs.get(job_name)
        if job is None:
            raise ResourceNotFoundException(
                f"The project {project_name} has no model packaging job {job_name}",
                job_name,
                "MODEL_PACKAGE_JOB",
            )
        return job

    def list_model_packaging_jobs(
        self, project_name: str, next_token: str | None, max_results: int | None
    ) -> Page[PackagingJob]:
        return paginate(
            self.project(project_name).packaging_jobs,
            sort_name="CreationTimestamp",
            sort_key=lambda job: job.creation_time,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    # -- helpers ------------------------------------------------------------------------------------

    def _read_manifest(self, s3_object: dict[str, Any]) -> list[manifests.Entry] | str:
        """The entries of a manifest in moto's S3, or why they cannot be read."""
        from moto.s3.models import s3_backends

        location = f"s3://{s3_object['Bucket']}/{s3_object['Key']}"
        try:
            key = s3_backends[self.account_id][self.partition].get_object(
                s3_object["Bucket"], s3_object["Key"], version_id=s3_object.get("VersionId")
            )
        except Exception:  # noqa: BLE001 - moto's missing bucket, key or version
            key = None
        if key is None:
            return f"The manifest file {location} could not be read"
        try:
            return manifests.parse(key.value.decode("utf-8"), now())
        except UnicodeDecodeError:
            return f"The manifest file {location} is not UTF-8"
        except manifests.ManifestError as problem:
            return f"The manifest file {location} is not valid: {problem}"

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

    def _component_taken(self, job: PackagingJob) -> bool:
        """Whether another packaging job here makes (or made) the same component version."""
        return any(
            other.component_arn == job.component_arn and other.status != PACKAGING_JOB.failed
            for project in self.projects
            for other in project.packaging_jobs
        )



def _model_conflict(model: Model, why: str) -> ConflictException:
    return ConflictException(
        f"Model version {model.model_version} is {model.status}: {why}", model.model_arn, "MODEL"
    )


def _check_target(greengrass: dict[str, Any]) -> None:
    """The Greengrass configuration's target: a device, or a platform with the compiler
    options it needs (NVIDIA: gpu-code, trt-ver, cuda-ver; CPU: optionally mcpu)."""
    device, platform = greengrass.get("TargetDevice"), greengrass.get("TargetPlatform") or {}
    options = greengrass.get("CompilerOptions")
    if (device is None) == (not platform):
        raise ValidationException(
            "Configuration.Greengrass needs exactly one of TargetDevice and TargetPlatform"
        )
    if device is not None:
        if options is not None:
            raise ValidationException(
                "Configuration.Greengrass.CompilerOptions is not used with a TargetDevice"
            )
        return
    try:
        parsed = json.loads(options) if options is not None else {}
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ValidationException("Configuration.Greengrass.CompilerOptions must be a JSON object")
    if platform.get("Accelerator") == "NVIDIA":
        missing = [name for name in ("gpu-code", "trt-ver", "cuda-ver") if name not in parsed]
        if missing:
            raise ValidationException(
                "Configuration.Greengrass.CompilerOptions for an NVIDIA accelerator needs "
                + ", ".join(missing)
            )



lookoutvision_backends = SPEC.backend_dict(LookoutVisionBackend)
