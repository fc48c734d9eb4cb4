"""SageMaker Edge Manager packaging jobs (CreateEdgePackagingJob, DescribeEdgePackagingJob,
ListEdgePackagingJobs, StopEdgePackagingJob).

A packaging job packages the output of a compilation job of the same account and region
(mlmocks' own, compilation_jobs.py), which must exist and be COMPLETED when the packaging
job is created.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import MILLISECOND, Page, Store, paginate, within
from mlmocks.core.tags import tag_dict

from .compilation_jobs import CompilationJob
from .exceptions import ResourceNotFound, ValidationException

EDGE_PACKAGING_JOB = Lifecycle(
    kind="sagemaker::edge-packaging-job",
    happy_path=("STARTING", "INPROGRESS", "COMPLETED"),
    failed="FAILED",
    stopping=("STOPPING", "STOPPED"),
)

#: Statuses from which StopEdgePackagingJob may stop a job.
STOPPABLE = ("STARTING", "INPROGRESS")
#: Page size of ListEdgePackagingJobs without MaxResults.
DEFAULT_MAX_RESULTS = 10
#: The members of PresetDeploymentConfig (a JSON string) the API reference lists.
PRESET_OPTIONS = frozenset(
    {"ComponentName", "ComponentDescription", "ComponentVersion", "PlatformOS", "PlatformArchitecture"}
)


def is_edge_packaging_job_arn(arn: str) -> bool:
    """Whether ``arn`` names an edge packaging job (of any account, region or partition)."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "sagemaker" and parts[5].startswith("edge-packaging-job/")


class EdgePackagingJob(Job):
    LIFECYCLE = EDGE_PACKAGING_JOB

    def __init__(
        self,
        backend: EdgePackagingJobs,
        *,
        name: str,
        compilation_job_name: str,
        model_name: str,
        model_version: str,
        role_arn: str,
        output_config: dict[str, Any],
        preset: dict[str, Any] | None,
        resource_key: str | None,
        tags: dict[str, str],
    ) -> None:
        self.name = name
        self.arn = backend.arn(f"edge-packaging-job/{name}")
        self.compilation_job_name = compilation_job_name
        self.model_name = model_name
        self.model_version = model_version
        self.role_arn = role_arn
        self.output_config = output_config
        self.preset = preset
        self.resource_key = resource_key
        self.tags = tags
        self.component_arn = backend.arn_in("greengrass", "components:{}:versions:{}").format(
            (preset or {}).get("ComponentName") or f"SagemakerEdgeManager{name}",
            (preset or {}).get("ComponentVersion") or "1.0.0",
        )
        self.model_artifact: str | None = None
        self.model_signature: str | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "COMPLETED":
            location = self.output_config["S3OutputLocation"].rstrip("/")
            self.model_artifact = f"{location}/{self.model_name}-{self.model_version}.tar.gz"
            self.model_signature = hashlib.sha256(f"{self.arn}|{self.model_artifact}".encode()).hexdigest()

    def detail(self) -> dict[str, Any]:
        status = self.status
        out: dict[str, Any] = {
            "EdgePackagingJobArn": self.arn,
            "EdgePackagingJobName": self.name,
            "CompilationJobName": self.compilation_job_name,
            "ModelName": self.model_name,
            "ModelVersion": self.model_version,
            "RoleArn": self.role_arn,
            "OutputConfig": self.output_config,
            "ResourceKey": self.resource_key,
            "EdgePackagingJobStatus": status,
            "EdgePackagingJobStatusMessage": self.failure,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "ModelArtifact": self.model_artifact,
            "ModelSignature": self.model_signature,
        }
        if self.preset is not None and status in ("COMPLETED", "FAILED"):
            deployed = status == "COMPLETED"
            out["PresetDeploymentOutput"] = {
                "Type": self.output_config["PresetDeploymentType"],
                "Artifact": self.component_arn if deployed else None,
                "Status": status,
                "StatusMessage": None if deployed else "The packaging job failed: no component was created.",
            }
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "EdgePackagingJobArn": self.arn,
            "EdgePackagingJobName": self.name,
            "EdgePackagingJobStatus": self.status,
            "CompilationJobName": self.compilation_job_name,
            "ModelName": self.model_name,
            "ModelVersion": self.model_version,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
        }


class EdgePackagingJobs(ServiceBackend):
    """The edge packaging job family of a SageMaker backend (beside its compilation jobs)."""

    #: The compilation jobs of the same backend (compilation_jobs.CompilationJobs).
    compilation_jobs: Store[CompilationJob]

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.edge_packaging_jobs: Store[EdgePackagingJob] = Store()  # by name

    def arn_in(self, service: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region_name}:{self.account_id}:{resource}"

    def create_edge_packaging_job(
        self,
        edge_packaging_job_name: str,
        compilation_job_name: str,
        model_name: str,
        model_version: str,
        role_arn: str,
        output_config: dict[str, Any],
        resource_key: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> EdgePackagingJob:
        # Every check comes before anything is stored: a rejected request leaves nothing.
        preset = _preset(output_config)
        compilation = self.compilation_jobs.get(compilation_job_name)
        if compilation is None:
            raise ValidationException(f"Compilation job {compilation_job_name} does not exist.")
        if compilation.status != "COMPLETED":
            raise ValidationException(
                f"Compilation job {compilation_job_name} is in status {compilation.status}: "
                "an edge packaging job packages only a COMPLETED compilation job."
            )
        if edge_packaging_job_name in self.edge_packaging_jobs:
            raise ValidationException(
                f"Edge packaging job with name {edge_packaging_job_name} already exists. Choose a different name."
            )
        job = EdgePackagingJob(
            self,
            name=edge_packaging_job_name,
            compilation_job_name=compilation_job_name,
            model_name=model_name,
            model_version=model_version,
            role_arn=role_arn,
            output_config=output_config,
            preset=preset,
            resource_key=resource_key,
            tags=tag_dict(tags, "Key", "Value"),
        )
        self.edge_packaging_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def describe_edge_packaging_job(self, edge_packaging_job_name: str) -> EdgePackagingJob:
        job = self.edge_packaging_jobs.get(edge_packaging_job_name)
        if job is None:
            raise ResourceNotFound(f"Could not find edge packaging job '{edge_packaging_job_name}'.")
        described: EdgePackagingJob = job.observe()
        return described

    def stop_edge_packaging_job(self, edge_packaging_job_name: str) -> None:
        job = self.edge_packaging_jobs.get(edge_packaging_job_name)
        if job is None:
            # StopEdgePackagingJob models no ResourceNotFound: SageMaker's validation error.
            raise ValidationException(f"Could not find edge packaging job '{edge_packaging_job_name}'.")
        status = job.status
        if status not in STOPPABLE:
            raise ValidationException(
                f"The request was rejected because the edge packaging job {job.name} is in status "
                f"{status}. An edge packaging job can be stopped only in status STARTING or INPROGRESS."
            )
        job.begin_stopping()

    def list_edge_packaging_jobs(
        self,
        next_token: str | None = None,
        max_results: int | None = None,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        model_name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[EdgePackagingJob]:
        def wanted(job: EdgePackagingJob) -> bool:
            if name_contains is not None and name_contains not in job.name:
                return False
            if model_name_contains is not None and model_name_contains not in job.model_name:
                return False
            if not within(job.creation_time, creation_time_after, creation_time_before, MILLISECOND):
                return False
            status = job.status  # moves the job on first, so its times are current
            if status_equals is not None and status != status_equals:
                return False
            return within(job.last_modified_time, last_modified_time_after, last_modified_time_before, MILLISECOND)

        sort_by = sort_by or "CREATION_TIME"
        keys: dict[str, Callable[[EdgePackagingJob], Any]] = {
            "NAME": lambda job: job.name,
            "MODEL_NAME": lambda job: job.model_name,
            "CREATION_TIME": lambda job: job.creation_time,
            "LAST_MODIFIED_TIME": lambda job: job.last_modified_time,
            "STATUS": lambda job: job.status,
        }
        return paginate(
            self.edge_packaging_jobs,
            sort_name=sort_by,
            sort_key=keys[sort_by],
            # Statuses and modification times move on their own: never cached.
            stable=sort_by in ("NAME", "MODEL_NAME", "CREATION_TIME"),
            descending=sort_order == "Descending",
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )


def _preset(config: dict[str, Any]) -> dict[str, Any] | None:
    """The PresetDeploymentConfig options, checked (None without a PresetDeploymentType)."""
    text = config.get("PresetDeploymentConfig")
    if "PresetDeploymentType" not in config:
        if text is not None:
            raise ValidationException(
                "OutputConfig.PresetDeploymentConfig requires OutputConfig.PresetDeploymentType."
            )
        return None
    if text is None:
        return {}
    try:
        options = json.loads(text)
    except ValueError:
        options = None
    if not isinstance(options, dict):
        raise ValidationException("OutputConfig.PresetDeploymentConfig must be a JSON object.")
    unknown = sorted(set(options) - PRESET_OPTIONS)
    if unknown:
        raise ValidationException(
            f"OutputConfig.PresetDeploymentConfig has unknown options {', '.join(unknown)}; "
            f"the options are {', '.join(sorted(PRESET_OPTIONS))}."
        )
    return options
