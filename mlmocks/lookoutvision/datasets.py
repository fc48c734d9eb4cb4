"""Datasets (CreateDataset, DescribeDataset, DeleteDataset), their entries
(ListDatasetEntries) and the updates of their entries (UpdateDatasetEntries). A project
has at most a train and a test dataset, made from a SageMaker Ground Truth manifest in S3
(see ``manifests``) or empty."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store, paginate

from . import manifests
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .projects import DEFAULT_MAX_RESULTS, Project, ProjectsBackend
from .resources import Resource

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

#: Dataset statuses in which a dataset can be trained on, updated or deleted.
DATASET_SETTLED = frozenset(
    {"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_FAILED_ROLLBACK_COMPLETE"}
)

_MESSAGES = {
    "CREATE_IN_PROGRESS": "Creating the dataset.",
    "CREATE_COMPLETE": "The dataset was created.",
    "UPDATE_IN_PROGRESS": "Updating the dataset entries.",
    "UPDATE_COMPLETE": "The dataset entries were updated.",
    "DELETE_IN_PROGRESS": "Deleting the dataset.",
}


def _no_dataset(project_name: str, dataset_type: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        f"The project {project_name} has no {dataset_type} dataset", dataset_type, "DATASET"
    )


class Dataset(Resource):
    """A project's train or test dataset: its creation (and deletion) walk DATASET, and
    UpdateDatasetEntries' updates DATASET_UPDATE."""

    LIFECYCLE = DATASET
    READY = "CREATE_COMPLETE"
    MESSAGES = _MESSAGES

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

    @property
    def gone(self) -> bool:
        return self.project.datasets.get(self.dataset_type) is not self

    def not_found(self) -> ResourceNotFoundException:
        return _no_dataset(self.project.project_name, self.dataset_type)

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

    def summary_at_creation(self) -> dict[str, Any]:
        """What CreateDataset answers: the dataset as it was created."""
        status = self.created_status
        return {
            **self.summary(),
            "Status": status,
            "StatusMessage": _MESSAGES.get(status, ""),
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


class DatasetsBackend(ProjectsBackend):
    def dataset(self, project_name: str, dataset_type: str) -> Dataset:
        dataset = self.project(project_name).datasets.get(dataset_type)
        if dataset is None:
            raise _no_dataset(project_name, dataset_type)
        return dataset

    def create_dataset(
        self, *, project_name: str, dataset_type: str, dataset_source: dict[str, Any] | None = None
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

    def describe_dataset(self, *, project_name: str, dataset_type: str) -> Dataset:
        return self.dataset(project_name, dataset_type).observe()

    def update_dataset_entries(self, *, project_name: str, dataset_type: str, changes: bytes) -> str:
        """Start an update of the entries; returns its status as the call leaves it."""
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
        return DATASET_UPDATE.happy_path[0]

    def list_dataset_entries(
        self,
        *,
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

    def delete_dataset(self, *, project_name: str, dataset_type: str) -> None:
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
