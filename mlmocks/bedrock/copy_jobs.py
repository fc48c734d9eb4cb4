"""Bedrock model copy jobs (CreateModelCopyJob, GetModelCopyJob, ListModelCopyJobs): a
custom model copied into another region of its account. The request is made in the
target region and names the source model's ARN; the job walks ``InProgress ->
Completed | Failed``, and on completion this (the target) region holds the copy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, within
from mlmocks.core.tags import tag_dict, tag_list

from .custom_models import CUSTOM_MODEL_ARN, CustomModel, CustomModels
from .exceptions import AccessDeniedException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time

MODEL_COPY_JOB = Lifecycle(
    kind="bedrock::model-copy-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
)


class ModelCopyJob(Job):
    LIFECYCLE = MODEL_COPY_JOB

    def __init__(
        self,
        backend: ModelCopyJobs,
        *,
        source: CustomModel,
        source_model_arn: str,
        target_model_name: str,
        target_model_kms_key_arn: str | None,
        target_model_tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_arn = backend.arn(f"model-copy-job/{random_id()}")
        # What is copied is the source as it was when the copy began.
        self.source = source
        self.source_model_arn = source_model_arn
        self.source_account_id = source_model_arn.split(":")[4]
        self.target_model_name = target_model_name
        # The copy's ARN is known (and shown) from the start.
        self.target_model_arn = backend.custom_model_arn(source.foundation_model_arn)
        self.target_model_kms_key_arn = target_model_kms_key_arn
        self.target_model_tags = target_model_tags
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_arn,)

    def summary(self) -> dict[str, Any]:
        return {
            "jobArn": self.job_arn,
            "status": self.status,
            "creationTime": self.creation_time,
            "targetModelArn": self.target_model_arn,
            "targetModelName": self.target_model_name,
            "sourceAccountId": self.source_account_id,
            "sourceModelArn": self.source_model_arn,
            "targetModelKmsKeyArn": self.target_model_kms_key_arn,
            "targetModelTags": tag_list(self.target_model_tags) or None,
            "failureMessage": self.failure,
            "sourceModelName": self.source.model_name,
        }

    def detail(self) -> dict[str, Any]:
        return self.summary()

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "Completed":
            copy = self.source.copied(
                self.backend,
                self.target_model_arn,
                self.target_model_name,
                at,
                dict(self.target_model_tags),
                self.target_model_kms_key_arn,
            )
            self.backend.add_custom_model(copy)


class ModelCopyJobs(CustomModels):
    """The model copy family of a Bedrock backend (the target region's)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.copy_jobs: Store[ModelCopyJob] = Store()  # by ARN

    def create_model_copy_job(
        self,
        source_model_arn: str,
        target_model_name: str,
        model_kms_key_id: str | None = None,
        target_model_tags: list[dict[str, str]] | None = None,
    ) -> ModelCopyJob:
        source = self._source_model(source_model_arn)
        if self.custom_model_name_taken(target_model_name):
            raise ValidationException(
                f"A custom model named {target_model_name} already exists or is being copied in {self.region_name}"
            )
        job = ModelCopyJob(
            self,
            source=source,
            source_model_arn=source_model_arn,
            target_model_name=target_model_name,
            target_model_kms_key_arn=self._kms_key_arn(model_kms_key_id),  # type: ignore[attr-defined]
            target_model_tags=tag_dict(target_model_tags),
        )
        self.copy_jobs.add(job.job_arn, job)
        self.track_job(job)
        return job

    def get_model_copy_job(self, job_arn: str) -> ModelCopyJob:
        job = self.copy_jobs.get(job_arn)
        if job is None:
            raise ResourceNotFoundException(f"The model copy job {job_arn} was not found")
        return job

    def list_model_copy_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        status_equals: str | None = None,
        source_account_equals: str | None = None,
        source_model_arn_equals: str | None = None,
        target_model_name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ModelCopyJob]:
        def wanted(job: ModelCopyJob) -> bool:
            return (
                within(job.creation_time, creation_time_after, creation_time_before)
                and (status_equals is None or job.status == status_equals)
                and (source_account_equals is None or job.source_account_id == source_account_equals)
                and (source_model_arn_equals is None or job.source_model_arn == source_model_arn_equals)
                and (target_model_name_contains is None or target_model_name_contains in job.target_model_name)
            )

        return by_creation_time(self.copy_jobs, wanted, max_results, next_token, sort_order)

    # -- shared with the other families ----------------------------------------------------

    def custom_model_name_taken(self, name: str) -> bool:
        return super().custom_model_name_taken(name) or any(
            isinstance(job, ModelCopyJob) and job.target_model_name == name
            for job in self.unfinished_jobs()
        )

    # -- helpers ---------------------------------------------------------------------------

    def _source_model(self, arn: str) -> CustomModel:
        """The custom model a copy names, in its own region's backend."""
        match = CUSTOM_MODEL_ARN.match(arn)
        if match is None:
            raise ValidationException(f"sourceModelArn {arn} is not a custom model ARN: only custom models are copied")
        account, region = match.group("account"), match.group("region")
        if account != self.account_id:
            raise AccessDeniedException(f"The custom model {arn} is not shared with account {self.account_id}")
        from .models import bedrock_backends  # the backends of every region

        try:
            backend = bedrock_backends[account][region]
        except KeyError:
            raise ResourceNotFoundException(f"The custom model {arn} was not found") from None
        # Read without the source region's lock: taking it while holding ours could
        # deadlock two copies made in opposite directions at once.
        model = backend.custom_models.get(arn)
        if model is None:
            raise ResourceNotFoundException(f"The custom model {arn} was not found")
        if model.model_status != "Active":
            raise ValidationException(f"The custom model {arn} is {model.model_status}, not Active")
        return model
