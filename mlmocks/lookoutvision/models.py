"""Lookout for Vision: projects, their train/test datasets, model versions (training,
hosting, anomaly detection) and model packaging jobs, for one account and region."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.core.base_backend import BackendDict

from mlmocks.core.backend import ServiceBackend, tag_dict, tag_list
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store, paginate

from .exceptions import ConflictException, ResourceNotFoundException, ValidationException

DATASET = Lifecycle(
    kind="lookoutvision::dataset",
    happy_path=("CREATE_IN_PROGRESS", "CREATE_COMPLETE"),
    failed="CREATE_FAILED",
)
MODEL = Lifecycle(
    kind="lookoutvision::model", happy_path=("TRAINING", "TRAINED"), failed="TRAINING_FAILED"
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

DEFAULT_MAX_RESULTS = 100
#: What DetectAnomalies looks for to call an image anomalous (see README).
ANOMALY_MARKER = b"ANOMALY"
_IMAGE_SIGNATURES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


def _entry_key(line: str) -> str:
    return str(json.loads(line)["source-ref"])


class Dataset(Job):
    LIFECYCLE = DATASET

    def __init__(self, project: Project, dataset_type: str, entries: list[str], problem: str | None) -> None:
        self.project_name = project.project_name
        self.dataset_type = dataset_type
        #: Manifest lines by source-ref, kept for paging in source-ref order.
        self.entries: Store[str] = Store()
        for line in entries:
            self.entries.add(_entry_key(line), line)
        self.updated: str | None = None
        super().__init__()
        if problem is not None:
            self.destine_to_fail(problem)

    def identifiers(self) -> tuple[str, ...]:
        return (f"{self.project_name}/{self.dataset_type}",)

    @property
    def status(self) -> str:
        # An update moves a dataset on from its creation statuses.
        return self.updated if self.updated and super().status == "CREATE_COMPLETE" else super().status

    @property
    def status_message(self) -> str:
        return self.failure or {
            "CREATE_IN_PROGRESS": "Creating the dataset.",
            "CREATE_COMPLETE": "Dataset created.",
            "UPDATE_COMPLETE": "Dataset updated.",
        }.get(self.status, "")

    @property
    def creation_timestamp(self) -> datetime:
        return self.creation_time

    @property
    def last_updated_timestamp(self) -> datetime:
        return self.last_modified_time

    @property
    def image_stats(self) -> dict[str, int]:
        labeled = [e for e in map(json.loads, self.entries) if _label(e) is not None]
        anomalies = sum(1 for e in labeled if _label(e) == "anomaly")
        return {
            "Total": len(self.entries),
            "Labeled": len(labeled),
            "Normal": len(labeled) - anomalies,
            "Anomaly": anomalies,
        }


def _label(entry: dict[str, Any]) -> str | None:
    metadata = entry.get("anomaly-label-metadata")
    if "anomaly-label" not in entry or not isinstance(metadata, dict):
        return None
    return str(metadata.get("class-name", "normal"))


def _entry_time(entry: dict[str, Any]) -> datetime | None:
    metadata = entry.get("anomaly-label-metadata")
    created = metadata.get("creation-date") if isinstance(metadata, dict) else None
    try:
        parsed = datetime.fromisoformat(str(created).replace("Z", "+00:00")) if created else None
    except ValueError:
        return None
    # Manifests write their dates without a zone: they are UTC.
    return parsed.replace(tzinfo=timezone.utc) if parsed and parsed.tzinfo is None else parsed


class Hosting(Job):
    LIFECYCLE = HOSTING

    def __init__(self, model: Model) -> None:
        self.model = model
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return self.model.identifiers()


class Model(Job):
    LIFECYCLE = MODEL

    def __init__(self, backend: LookoutVisionBackend, project: Project, version: str, params: dict[str, Any]) -> None:
        self.project_name = project.project_name
        self.model_version = version
        self.model_arn = backend.arn(f"model/{project.project_name}/{version}")
        self.description = params.get("description")
        self.output_config = params["output_config"]
        self.kms_key_id = params.get("kms_key_id")
        self.tags = tag_dict(params.get("tags"), "Key", "Value")
        self.hosting: Hosting | None = None
        self.min_inference_units: int | None = None
        self.max_inference_units: int | None = None
        self.evaluation_end_timestamp: datetime | None = None
        self.performance: dict[str, float] | None = None
        self._train_stats = project.datasets["train"].image_stats if "train" in project.datasets else {}
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (f"{self.project_name}/{self.model_version}", self.model_arn)

    @property
    def status(self) -> str:
        training = super().status
        if self.hosting is not None and training == "TRAINED":
            return self.hosting.status
        return training

    @property
    def status_message(self) -> str:
        return self.failure or {
            "TRAINING": "Training the model.",
            "TRAINED": "Training completed.",
            "STARTING_HOSTING": "Starting the model.",
            "HOSTED": "The model is running.",
            "STOPPING_HOSTING": "Stopping the model.",
        }.get(self.status, "")

    @property
    def creation_timestamp(self) -> datetime:
        return self.creation_time

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "TRAINED":
            self.evaluation_end_timestamp = at
            # Deterministic metrics from the training data: more labeled images, better.
            labeled = self._train_stats.get("Labeled", 0)
            precision = round(min(0.99, 0.80 + 0.01 * labeled), 3)
            recall = round(min(0.98, 0.75 + 0.01 * labeled), 3)
            f1 = round(2 * precision * recall / (precision + recall), 3)
            self.performance = {"F1Score": f1, "Recall": recall, "Precision": precision}

    def _evaluation_object(self, name: str) -> dict[str, str] | None:
        if super().status != "TRAINED":
            return None
        location = self.output_config["S3Location"]
        prefix = location.get("Prefix", "")
        return {"Bucket": location["Bucket"], "Key": f"{prefix}{self.project_name}/model/{self.model_version}/{name}"}

    def metadata(self) -> dict[str, Any]:
        return {
            "CreationTimestamp": self.creation_time,
            "ModelVersion": self.model_version,
            "ModelArn": self.model_arn,
            "Description": self.description,
            "Status": self.status,
            "StatusMessage": self.status_message,
            "Performance": self.performance,
        }

    def describe_model(self) -> dict[str, Any]:
        return {
            **self.metadata(),
            "OutputConfig": self.output_config,
            "EvaluationManifest": self._evaluation_object("evaluation-manifest.json"),
            "EvaluationResult": self._evaluation_object("evaluation-result.json"),
            "EvaluationEndTimestamp": self.evaluation_end_timestamp,
            "KmsKeyId": self.kms_key_id,
            "MinInferenceUnits": self.min_inference_units,
            "MaxInferenceUnits": self.max_inference_units,
        }


class PackagingJob(Job):
    LIFECYCLE = PACKAGING_JOB

    def __init__(self, backend: LookoutVisionBackend, project: Project, params: dict[str, Any]) -> None:
        self.backend = backend
        self.job_name = params["job_name"]
        self.project_name = project.project_name
        self.model_version = params["model_version"]
        self.configuration = params["configuration"]
        self.description = params.get("description")
        self.output_details: dict[str, Any] | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, f"{self.project_name}/{self.job_name}")

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "SUCCEEDED":
            greengrass = self.configuration["Greengrass"]
            name = greengrass["ComponentName"]
            version = greengrass.get("ComponentVersion", "1.0.0")
            arn = (
                f"arn:{self.backend.partition}:greengrass:{self.backend.region_name}:"
                f"{self.backend.account_id}:components:{name}:versions:{version}"
            )
            self.output_details = {
                "Greengrass": {"ComponentVersionArn": arn, "ComponentName": name, "ComponentVersion": version}
            }

    def metadata(self) -> dict[str, Any]:
        return {
            "JobName": self.job_name,
            "ProjectName": self.project_name,
            "ModelVersion": self.model_version,
            "ModelPackagingJobDescription": self.description,
            "ModelPackagingMethod": "Greengrass",
            "Status": self.status,
            "StatusMessage": self.failure or "",
            "CreationTimestamp": self.creation_time,
            "LastUpdatedTimestamp": self.last_modified_time,
        }

    def describe_job(self) -> dict[str, Any]:
        return {
            **self.metadata(),
            "ModelPackagingConfiguration": self.configuration,
            "ModelPackagingOutputDetails": self.output_details,
        }


class Project:
    def __init__(self, backend: LookoutVisionBackend, name: str) -> None:
        self.project_name = name
        self.project_arn = backend.arn(f"project/{name}")
        self.creation_timestamp = now()
        self.datasets: dict[str, Dataset] = {}
        self.models: Store[Model] = Store()
        self.next_version = 1
        self.packaging_jobs: Store[PackagingJob] = Store()

    def metadata(self) -> dict[str, Any]:
        return {
            "ProjectArn": self.project_arn,
            "ProjectName": self.project_name,
            "CreationTimestamp": self.creation_timestamp,
        }


class LookoutVisionBackend(ServiceBackend):
    ARN_SERVICE = "lookoutvision"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.projects: Store[Project] = Store()
        self._client_tokens: dict[tuple[str, str], Any] = {}

    # -- projects --------------------------------------------------------------------------

    def create_project(self, project_name: str) -> Project:
        if project_name in self.projects:
            raise _conflict(f"A project named {project_name} already exists", project_name, "PROJECT")
        project = Project(self, project_name)
        self.projects.add(project_name, project)
        return project

    def project(self, name: str) -> Project:
        project = self.projects.get(name)
        if project is None:
            raise _not_found(f"The project {name} does not exist", name, "PROJECT")
        return project

    def delete_project(self, project_name: str) -> Project:
        project = self.project(project_name)
        if project.datasets or len(project.models):
            raise _conflict(
                f"Delete the datasets and models of project {project_name} first",
                project_name,
                "PROJECT",
            )
        self.projects.remove(project_name)
        return project

    def list_projects(self, max_results: int | None, next_token: str | None) -> Page[Project]:
        return paginate(
            self.projects,
            sort_name="ProjectName",
            sort_key=lambda p: p.project_name,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    # -- datasets ------------------------------------------------------------------------------

    def create_dataset(self, project_name: str, dataset_type: str, dataset_source: dict[str, Any] | None) -> Dataset:
        project = self.project(project_name)
        if dataset_type in project.datasets:
            raise _conflict(
                f"The {dataset_type} dataset of project {project_name} already exists",
                f"{project_name}/{dataset_type}",
                "DATASET",
            )
        entries: list[str] = []
        problem = None
        manifest = ((dataset_source or {}).get("GroundTruthManifest") or {}).get("S3Object")
        if manifest is not None:
            text = self._read_s3(manifest)
            if text is None:
                problem = f"The manifest s3://{manifest['Bucket']}/{manifest['Key']} could not be read"
            else:
                try:
                    entries = _manifest_lines(text)
                except ValueError as bad:
                    problem = f"The manifest has an invalid line: {bad}"
        dataset = Dataset(project, dataset_type, entries if problem is None else [], problem)
        project.datasets[dataset_type] = dataset
        return dataset

    def dataset(self, project_name: str, dataset_type: str) -> Dataset:
        dataset = self.project(project_name).datasets.get(dataset_type)
        if dataset is None:
            ident = f"{project_name}/{dataset_type}"
            raise _not_found(f"The {dataset_type} dataset of project {project_name} does not exist", ident, "DATASET")
        return dataset

    def delete_dataset(self, project_name: str, dataset_type: str) -> None:
        dataset = self.dataset(project_name, dataset_type)
        if any(model.status == "TRAINING" for model in self.project(project_name).models):
            raise _conflict("A model of the project is training", f"{project_name}/{dataset_type}", "DATASET")
        del self.project(project_name).datasets[dataset.dataset_type]

    def update_dataset_entries(self, project_name: str, dataset_type: str, changes: bytes) -> Dataset:
        dataset = self.dataset(project_name, dataset_type)
        if dataset.status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            raise _conflict(
                f"The dataset is {dataset.status}", f"{project_name}/{dataset_type}", "DATASET"
            )
        try:
            lines = _manifest_lines(changes.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as bad:
            raise ValidationException(f"Changes is not a valid manifest: {bad}") from None
        for line in lines:
            dataset.entries.add(_entry_key(line), line)
        dataset.updated = "UPDATE_COMPLETE"
        dataset.last_modified_time = now()
        return dataset

    def list_dataset_entries(
        self,
        project_name: str,
        dataset_type: str,
        labeled: bool | None = None,
        anomaly_class: str | None = None,
        before_creation_date: datetime | None = None,
        after_creation_date: datetime | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
        source_ref_contains: str | None = None,
    ) -> Page[str]:
        dataset = self.dataset(project_name, dataset_type)

        def wanted(line: str) -> bool:
            entry = json.loads(line)
            label = _label(entry)
            created = _entry_time(entry)
            return (
                (labeled is None or (label is not None) == labeled)
                and (anomaly_class is None or label == anomaly_class)
                and (source_ref_contains is None or source_ref_contains in entry["source-ref"])
                and (before_creation_date is None or (created is not None and created < before_creation_date))
                and (after_creation_date is None or (created is not None and created > after_creation_date))
            )

        return paginate(
            dataset.entries,
            sort_name="SourceRef",
            sort_key=_entry_key,
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    # -- models ------------------------------------------------------------------------------

    def create_model(self, project_name: str, client_token: str | None, **params: Any) -> Model:
        project = self.project(project_name)
        if client_token is not None and ("CreateModel", client_token) in self._client_tokens:
            return self._client_tokens[("CreateModel", client_token)]
        train = project.datasets.get("train")
        if train is None or train.status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            raise _conflict(
                f"Project {project_name} needs a complete train dataset to train a model",
                f"{project_name}/train",
                "DATASET",
            )
        version = str(project.next_version)
        project.next_version += 1
        model = Model(self, project, version, params)
        project.models.add(version, model)
        self.track_job(model)
        if client_token is not None:
            self._client_tokens[("CreateModel", client_token)] = model
        return model

    def model(self, project_name: str, model_version: str) -> Model:
        project = self.project(project_name)
        if model_version == "latest" and len(project.models):
            model_version = str(max(int(m.model_version) for m in project.models))
        model = project.models.get(model_version)
        if model is None:
            ident = f"{project_name}/{model_version}"
            raise _not_found(f"Model version {model_version} of project {project_name} does not exist", ident, "MODEL")
        return model

    def list_models(self, project_name: str, next_token: str | None, max_results: int | None) -> Page[Model]:
        return paginate(
            self.project(project_name).models,
            sort_name="ModelVersion",
            sort_key=lambda m: int(m.model_version),
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_model(self, project_name: str, model_version: str) -> Model:
        model = self.model(project_name, model_version)
        if model.status in ("STARTING_HOSTING", "HOSTED", "STOPPING_HOSTING", "TRAINING"):
            raise _conflict(
                f"Model version {model_version} is {model.status}", model.model_arn, "MODEL"
            )
        self.project(project_name).models.remove(model.model_version)
        return model

    def start_model(self, project_name: str, model_version: str, min_inference_units: int,
                    max_inference_units: int | None = None) -> Hosting:
        model = self.model(project_name, model_version)
        if model.status != "TRAINED":
            raise _conflict(f"Model version {model.model_version} is {model.status}", model.model_arn, "MODEL")
        if max_inference_units is not None and max_inference_units < min_inference_units:
            raise ValidationException("MaxInferenceUnits must be at least MinInferenceUnits")
        model.min_inference_units = min_inference_units
        model.max_inference_units = max_inference_units or min_inference_units
        model.hosting = Hosting(model)
        return model.hosting

    def stop_model(self, project_name: str, model_version: str) -> Hosting:
        model = self.model(project_name, model_version)
        if model.hosting is None or model.status != "HOSTED":
            raise _conflict(f"Model version {model.model_version} is {model.status}", model.model_arn, "MODEL")
        model.hosting.begin_stopping()
        return model.hosting

    def detect_anomalies(self, project_name: str, model_version: str, body: bytes, content_type: str) -> dict[str, Any]:
        model = self.model(project_name, model_version)
        if model.status != "HOSTED":
            raise _conflict(f"Model version {model.model_version} is {model.status}, not HOSTED", model.model_arn, "MODEL")
        signature = _IMAGE_SIGNATURES.get(content_type.split(";")[0].strip().lower())
        if signature is None:
            raise ValidationException(f"ContentType {content_type} is not supported: use image/jpeg or image/png")
        if not body.startswith(signature):
            raise ValidationException(f"The image is not a valid {content_type} image")
        anomalous = ANOMALY_MARKER in body
        digest = hashlib.sha256(body).digest()
        return {
            "Source": {"Type": "direct"},
            "IsAnomalous": anomalous,
            "Confidence": round(0.80 + digest[0] / 1275, 4),
        }

    # -- packaging -----------------------------------------------------------------------------

    def start_model_packaging_job(self, project_name: str, client_token: str | None, **params: Any) -> PackagingJob:
        project = self.project(project_name)
        if client_token is not None and ("Package", client_token) in self._client_tokens:
            return self._client_tokens[("Package", client_token)]
        model = self.model(project_name, params["model_version"])
        if model.status not in ("TRAINED", "HOSTED", "STARTING_HOSTING", "STOPPING_HOSTING"):
            raise _conflict(f"Model version {model.model_version} is {model.status}", model.model_arn, "MODEL")
        greengrass = params["configuration"]["Greengrass"]
        if ("TargetDevice" in greengrass) == ("TargetPlatform" in greengrass):
            raise ValidationException("Give exactly one of TargetDevice and TargetPlatform")
        platform = greengrass.get("TargetPlatform") or {}
        if platform.get("Accelerator") == "NVIDIA" and not greengrass.get("CompilerOptions"):
            raise ValidationException("CompilerOptions are required for an NVIDIA accelerator")
        params["model_version"] = model.model_version
        params.setdefault("job_name", f"{project_name[:20]}-{model.model_version}-{uuid.uuid4().hex[:12]}".replace("_", "-"))
        if params["job_name"] in project.packaging_jobs:
            raise _conflict(f"A packaging job named {params['job_name']} exists", params["job_name"], "MODEL_PACKAGE_JOB")
        job = PackagingJob(self, project, params)
        project.packaging_jobs.add(job.job_name, job)
        if client_token is not None:
            self._client_tokens[("Package", client_token)] = job
        return job

    def packaging_job(self, project_name: str, job_name: str) -> PackagingJob:
        job = self.project(project_name).packaging_jobs.get(job_name)
        if job is None:
            raise _not_found(f"The packaging job {job_name} does not exist", job_name, "MODEL_PACKAGE_JOB")
        return job

    def list_model_packaging_jobs(self, project_name: str, next_token: str | None,
                                  max_results: int | None) -> Page[PackagingJob]:
        return paginate(
            self.project(project_name).packaging_jobs,
            sort_name="CreationTimestamp",
            sort_key=lambda job: job.creation_time,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    # -- tags (on models) ----------------------------------------------------------------------

    def tagged(self, arn: str) -> Model:
        for project in self.projects:
            for model in project.models:
                if model.model_arn == arn:
                    return model
        raise _not_found(f"No model has the ARN {arn}", arn, "MODEL")

    def tag_resource(self, resource_arn: str, tags: list[dict[str, str]]) -> None:
        model = self.tagged(resource_arn)
        merged = {**model.tags, **tag_dict(tags, "Key", "Value")}
        if len(merged) > 200:
            raise ValidationException("A model can have at most 200 tags")
        model.tags = merged

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> None:
        model = self.tagged(resource_arn)
        model.tags = {k: v for k, v in model.tags.items() if k not in tag_keys}

    def list_tags_for_resource(self, resource_arn: str) -> list[dict[str, str]]:
        return tag_list(self.tagged(resource_arn).tags, "Key", "Value")

    # -- job control --------------------------------------------------------------------------

    def find_job(self, kind: str, identifier: str) -> Job | None:
        for project in self.projects:
            candidates: list[Job] = []
            if kind == DATASET.kind:
                candidates = list(project.datasets.values())
            elif kind == MODEL.kind:
                candidates = list(project.models)
            elif kind == HOSTING.kind:
                candidates = [m.hosting for m in project.models if m.hosting is not None]
            elif kind == PACKAGING_JOB.kind:
                candidates = list(project.packaging_jobs)
            for job in candidates:
                if identifier in job.identifiers():
                    return job
        return None

    def _read_s3(self, s3_object: dict[str, Any]) -> str | None:
        from moto.s3.models import s3_backends

        try:
            key = s3_backends[self.account_id][self.partition].get_object(
                s3_object["Bucket"], s3_object["Key"]
            )
            return key.value.decode("utf-8") if key is not None else None
        except Exception:  # noqa: BLE001 - any failure to read is a failed dataset
            return None


def _manifest_lines(text: str) -> list[str]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            raise ValueError(f"line {number} is not JSON") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("source-ref"), str):
            raise ValueError(f"line {number} has no source-ref")
        lines.append(json.dumps(entry, separators=(",", ":")))
    return lines


def _conflict(message: str, resource_id: str, resource_type: str) -> ConflictException:
    return ConflictException(message, ResourceId=resource_id, ResourceType=resource_type)


def _not_found(message: str, resource_id: str, resource_type: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(message, ResourceId=resource_id, ResourceType=resource_type)


# botocore lists no regions for the retired service: these are the ones it ran in.
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "ap-northeast-1", "ap-northeast-2"]
lookoutvision_backends = BackendDict(
    LookoutVisionBackend, "lookoutvision", use_boto3_regions=False, additional_regions=REGIONS
)
