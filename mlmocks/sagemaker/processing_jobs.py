"""SageMaker processing jobs (CreateProcessingJob, DescribeProcessingJob,
ListProcessingJobs, StopProcessingJob, DeleteProcessingJob): InProgress -> Completed |
Failed, or Stopping -> Stopped once stopped. The processing containers start when the
job is created and write its outputs under the S3 URIs of its ProcessingOutputConfig."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse
from .job_common import failure_reason, list_jobs, not_found, require_status, unique_names

PROCESSING_JOB = Lifecycle(
    kind="sagemaker::processing-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)

STOPPABLE = ("InProgress",)
DELETABLE = ("Completed", "Failed", "Stopped")


class ProcessingJob(Job):
    LIFECYCLE = PROCESSING_JOB

    def __init__(self, backend: ProcessingJobs, *, name: str, config: dict[str, Any], tags: dict[str, str]) -> None:
        self.name = name
        self.arn = backend.arn(f"processing-job/{name}")
        self.config = config
        self.tags = tags
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def detail(self) -> dict[str, Any]:
        status = self.status
        return {
            **self.config,
            "ProcessingJobName": self.name,
            "ProcessingJobArn": self.arn,
            "ProcessingJobStatus": status,
            "FailureReason": failure_reason(self.failure),
            "ProcessingStartTime": self.creation_time,
            "ProcessingEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "CreationTime": self.creation_time,
        }

    def summary(self) -> dict[str, Any]:
        status = self.status
        return {
            "ProcessingJobName": self.name,
            "ProcessingJobArn": self.arn,
            "CreationTime": self.creation_time,
            "ProcessingEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "ProcessingJobStatus": status,
            "FailureReason": failure_reason(self.failure),
        }


class ProcessingJobs(ServiceBackend):
    """The processing job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.processing_jobs: Store[ProcessingJob] = Store()  # by name

    def create_processing_job(
        self,
        processing_job_name: str,
        processing_resources: dict[str, Any],
        app_specification: dict[str, Any],
        role_arn: str,
        processing_inputs: list[dict[str, Any]] | None = None,
        processing_output_config: dict[str, Any] | None = None,
        stopping_condition: dict[str, Any] | None = None,
        environment: dict[str, str] | None = None,
        network_config: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        experiment_config: dict[str, Any] | None = None,
    ) -> ProcessingJob:
        unique_names(processing_inputs, "InputName", "ProcessingInputs")
        unique_names((processing_output_config or {}).get("Outputs"), "OutputName", "ProcessingOutputConfig.Outputs")
        if processing_job_name in self.processing_jobs:
            raise ResourceInUse(f"Processing job {self.arn('processing-job/' + processing_job_name)} already exists.")
        checked_tags = self.TAG_RULES.checked(tag_dict(tags, "Key", "Value"))  # type: ignore[attr-defined]
        members = {
            "ProcessingInputs": processing_inputs,
            "ProcessingOutputConfig": processing_output_config,
            "ProcessingResources": processing_resources,
            "StoppingCondition": stopping_condition,
            "AppSpecification": app_specification,
            "Environment": environment,
            "NetworkConfig": network_config,
            "RoleArn": role_arn,
            "ExperimentConfig": experiment_config,
        }
        config = {key: value for key, value in members.items() if value is not None}
        job = ProcessingJob(self, name=processing_job_name, config=config, tags=checked_tags)
        self.processing_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_processing_job(self, name: str) -> ProcessingJob:
        job = self.processing_jobs.get(name)
        if job is None:
            raise not_found("processing", self.arn(f"processing-job/{name}"))
        return job

    def describe_processing_job(self, processing_job_name: str) -> ProcessingJob:
        job: ProcessingJob = self.get_processing_job(processing_job_name).observe()
        return job

    def stop_processing_job(self, processing_job_name: str) -> None:
        job = self.get_processing_job(processing_job_name)
        require_status("processing", job.name, job.status, STOPPABLE, "stopped")
        job.begin_stopping()

    def delete_processing_job(self, processing_job_name: str) -> None:
        job = self.get_processing_job(processing_job_name)
        require_status("processing", job.name, job.status, DELETABLE, "deleted")
        self.processing_jobs.remove(job.name)
        job.retired = True

    def list_processing_jobs(
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
    ) -> Page[ProcessingJob]:
        return list_jobs(
            self.processing_jobs,
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
