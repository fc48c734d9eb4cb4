"""SageMaker batch transform jobs (CreateTransformJob, DescribeTransformJob,
ListTransformJobs, StopTransformJob; the model has no DeleteTransformJob):
InProgress -> Completed | Failed, or Stopping -> Stopped once stopped. SageMaker writes
``<input object>.out`` under TransformOutput.S3OutputPath (the mock writes no objects);
``ModelName`` names a model of moto's SageMaker, not checked (moto does not either)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ValidationException
from .job_common import failure_reason, list_jobs, not_found, require_status

TRANSFORM_JOB = Lifecycle(
    kind="sagemaker::transform-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)

STOPPABLE = ("InProgress",)


class TransformJob(Job):
    LIFECYCLE = TRANSFORM_JOB

    def __init__(self, backend: TransformJobs, *, name: str, config: dict[str, Any], tags: dict[str, str]) -> None:
        self.name = name
        self.arn = backend.arn(f"transform-job/{name}")
        self.config = config
        self.tags = tags
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def detail(self) -> dict[str, Any]:
        status = self.status
        return {
            **self.config,
            "TransformJobName": self.name,
            "TransformJobArn": self.arn,
            "TransformJobStatus": status,
            "FailureReason": failure_reason(self.failure),
            "CreationTime": self.creation_time,
            "TransformStartTime": self.creation_time,
            "TransformEndTime": self.end_time,
        }

    def summary(self) -> dict[str, Any]:
        status = self.status
        return {
            "TransformJobName": self.name,
            "TransformJobArn": self.arn,
            "CreationTime": self.creation_time,
            "TransformEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "TransformJobStatus": status,
            "FailureReason": failure_reason(self.failure),
        }


class TransformJobs(ServiceBackend):
    """The transform job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.transform_jobs: Store[TransformJob] = Store()  # by name

    def create_transform_job(
        self,
        transform_job_name: str,
        model_name: str,
        transform_input: dict[str, Any],
        transform_output: dict[str, Any],
        transform_resources: dict[str, Any],
        max_concurrent_transforms: int | None = None,
        model_client_config: dict[str, Any] | None = None,
        max_payload_in_mb: int | None = None,
        batch_strategy: str | None = None,
        environment: dict[str, str] | None = None,
        data_capture_config: dict[str, Any] | None = None,
        data_processing: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        experiment_config: dict[str, Any] | None = None,
    ) -> TransformJob:
        if batch_strategy == "MultiRecord" and transform_input.get("SplitType", "None") == "None":
            raise ValidationException(
                "TransformInput.SplitType must be set for BatchStrategy MultiRecord."
            )
        if transform_job_name in self.transform_jobs:
            raise ResourceInUse(f"Transform job {self.arn('transform-job/' + transform_job_name)} already exists.")
        checked_tags = self.TAG_RULES.checked(tag_dict(tags, "Key", "Value"))  # type: ignore[attr-defined]
        members = {
            "ModelName": model_name,
            "MaxConcurrentTransforms": max_concurrent_transforms,
            "ModelClientConfig": model_client_config,
            "MaxPayloadInMB": max_payload_in_mb,
            "BatchStrategy": batch_strategy,
            "Environment": environment,
            "TransformInput": transform_input,
            "TransformOutput": transform_output,
            "DataCaptureConfig": data_capture_config,
            "TransformResources": transform_resources,
            "DataProcessing": data_processing,
            "ExperimentConfig": experiment_config,
        }
        config = {key: value for key, value in members.items() if value is not None}
        job = TransformJob(self, name=transform_job_name, config=config, tags=checked_tags)
        self.transform_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_transform_job(self, name: str) -> TransformJob:
        job = self.transform_jobs.get(name)
        if job is None:
            raise not_found("transform", self.arn(f"transform-job/{name}"))
        return job

    def describe_transform_job(self, transform_job_name: str) -> TransformJob:
        job: TransformJob = self.get_transform_job(transform_job_name).observe()
        return job

    def stop_transform_job(self, transform_job_name: str) -> None:
        job = self.get_transform_job(transform_job_name)
        require_status("transform", job.name, job.status, STOPPABLE, "stopped")
        job.begin_stopping()

    def list_transform_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> Page[TransformJob]:
        return list_jobs(
            self.transform_jobs,
            next_token=next_token,
            max_results=max_results,
            creation_time_after=creation_time_after,
            creation_time_before=creation_time_before,
            last_modified_time_after=last_modified_time_after,
            last_modified_time_before=last_modified_time_before,
            name_contains=name_contains,
            status_equals=status_equals,
            sort_by=sort_by,
            sort_order=sort_order,
        )
