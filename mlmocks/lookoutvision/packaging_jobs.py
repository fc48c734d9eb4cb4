"""Model packaging jobs (StartModelPackagingJob, DescribeModelPackagingJob,
ListModelPackagingJobs): each makes an AWS IoT Greengrass component of a trained model
version, for a target device or platform."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, paginate

from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .model_versions import TRAINED_STATUSES, ModelVersionsBackend, model_conflict
from .projects import DEFAULT_MAX_RESULTS, Project

PACKAGING_JOB = Lifecycle(
    kind="lookoutvision::model-packaging-job",
    happy_path=("CREATED", "RUNNING", "SUCCEEDED"),
    failed="FAILED",
)

_MESSAGES = {
    "CREATED": "The model packaging job was created.",
    "RUNNING": "Packaging the model.",
    "SUCCEEDED": "The model packaging job succeeded.",
}


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
            "StatusMessage": self.failure or _MESSAGES.get(self.status, ""),
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


class PackagingJobsBackend(ModelVersionsBackend):
    def packaging_job(self, project_name: str, job_name: str) -> PackagingJob:
        job = self.project(project_name).packaging_jobs.get(job_name)
        if job is None:
            raise ResourceNotFoundException(
                f"The project {project_name} has no model packaging job {job_name}",
                job_name,
                "MODEL_PACKAGE_JOB",
            )
        return job

    def start_model_packaging_job(
        self,
        *,
        project_name: str,
        model_version: str,
        configuration: dict[str, Any],
        job_name: str | None = None,
        description: str | None = None,
    ) -> str:
        """Start packaging a trained model; returns the job's name (one the service
        makes up when the caller gives none)."""
        project = self.project(project_name)
        model = self.model(project_name, model_version)
        if model.status not in TRAINED_STATUSES:
            raise model_conflict(model, "only a trained model can be packaged")
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
        return job_name

    def describe_model_packaging_job(self, *, project_name: str, job_name: str) -> PackagingJob:
        job: PackagingJob = self.packaging_job(project_name, job_name).observe()
        return job

    def list_model_packaging_jobs(
        self, *, project_name: str, next_token: str | None = None, max_results: int | None = None
    ) -> Page[PackagingJob]:
        return paginate(
            self.project(project_name).packaging_jobs,
            sort_name="CreationTimestamp",
            sort_key=lambda job: job.creation_time,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def _component_taken(self, job: PackagingJob) -> bool:
        """Whether another packaging job here makes (or made) the same component version."""
        return any(
            other.component_arn == job.component_arn and other.status != PACKAGING_JOB.failed
            for project in self.projects
            for other in project.packaging_jobs
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
