"""Trained model inference jobs: any member runs one with any trained model of the
collaboration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page

from .algorithms import Association
from .collaborations import Collaboration, CollaborationsBackend, Membership, created_in
from .common import CREATING, TAG_RULES, digest, page, present, status_details
from .exceptions import ConflictException, ValidationException
from .input_channels import usable_channel
from .ml_configurations import deliver
from .trained_models import TrainedModel

INFERENCE_JOB = Lifecycle(
    kind="cleanroomsml::trained-model-inference-job",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
    stopping=("CANCEL_PENDING", "CANCEL_IN_PROGRESS", "INACTIVE"),
)


class InferenceJob(Job):
    LIFECYCLE = INFERENCE_JOB

    def __init__(
        self,
        arn: str,
        membership: Membership,
        model: TrainedModel,
        association: Association,
        tags: dict[str, str],
        *,
        name: str,
        resource_config: dict[str, Any],
        output_configuration: dict[str, Any],
        data_source: dict[str, Any],
        description: str | None,
        container_execution_parameters: dict[str, Any] | None,
        environment: dict[str, str] | None,
        kms_key_arn: str | None,
        ml_model_inference_payer_account_id: str | None,
    ) -> None:
        self.arn = arn
        self.membership = membership
        self.model = model
        self.association = association
        self.name = name
        self.description = description
        self.resource_config = resource_config
        self.output_configuration = output_configuration
        self.data_source = data_source
        self.container_execution_parameters = container_execution_parameters
        self.environment = environment
        self.kms_key_arn = kms_key_arn
        self.payer_account_id = ml_model_inference_payer_account_id
        self.tags = tags
        self.image_digest: str | None = None
        self.logs_status: str | None = None
        super().__init__()

    @property
    def creator_account_id(self) -> str:
        return self.membership.account_id

    def identifiers(self) -> tuple[str, ...]:
        return (self.arn, self.name)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "CREATE_IN_PROGRESS":
            self.image_digest = digest(self.association.inference_image)
        elif status in ("ACTIVE", "CREATE_FAILED"):
            if (self.association.policy("trainedModelInferenceJobs") or {}).get("containerLogs"):
                self.logs_status = "PUBLISH_SUCCEEDED"
        if status == "ACTIVE":
            accept = self.output_configuration.get("accept") or "application/octet-stream"
            files = {"output.out": f"inference of {self.model.arn} ({accept})".encode()}
            for member in self.output_configuration["members"]:
                deliver(self.membership.collaboration, member["accountId"], (self.name, self.creator_account_id), files)

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            trainedModelInferenceJobArn=self.arn,
            configuredModelAlgorithmAssociationArn=self.association.arn,
            membershipIdentifier=self.membership.membership_id,
            trainedModelArn=self.model.arn,
            trainedModelVersionIdentifier=self.model.version_identifier,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
            status=status,
            outputConfiguration=self.output_configuration,
            name=self.name,
            description=self.description,
            logsStatus=self.logs_status,
            mlModelInferencePayerAccountId=self.payer_account_id,
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
        )

    def collaboration_summary(self) -> dict[str, Any]:
        return {**self.summary(), "creatorAccountId": self.creator_account_id}

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(),
            dataSource=self.data_source,
            resourceConfig=self.resource_config,
            containerExecutionParameters=self.container_execution_parameters,
            statusDetails=status_details(self),
            inferenceContainerImageDigest=self.image_digest,
            environment=self.environment,
            kmsKeyArn=self.kms_key_arn,
            tags=self.tags,
        )


class InferenceJobsBackend(CollaborationsBackend):
    def start_trained_model_inference_job(
        self,
        membership: Membership,
        name: str,
        trained_model_arn: str,
        resource_config: dict[str, Any],
        output_configuration: dict[str, Any],
        data_source: dict[str, Any],
        trained_model_version_identifier: str | None = None,
        configured_model_algorithm_association_arn: str | None = None,
        description: str | None = None,
        container_execution_parameters: dict[str, Any] | None = None,
        environment: dict[str, str] | None = None,
        kms_key_arn: str | None = None,
        tags: dict[str, str] | None = None,
        ml_model_inference_payer_account_id: str | None = None,
    ) -> InferenceJob:
        collaboration = membership.collaboration
        # Any member may run inference with any trained model of the collaboration.
        model = collaboration.find_trained_model(trained_model_arn, trained_model_version_identifier)
        association = model.association
        if configured_model_algorithm_association_arn is not None:
            association = collaboration.association(configured_model_algorithm_association_arn)
        if model.status != "ACTIVE":
            raise ValidationException(
                f"An inference job needs an ACTIVE trained model: {model.name} is {model.status}"
            )
        if association.inference_image is None:
            raise ValidationException(
                f"The configured model algorithm of association {association.arn} has no inference container"
            )
        for index, member in enumerate(output_configuration["members"], start=1):
            collaboration.check_receiver(
                member["accountId"], "CAN_RECEIVE_INFERENCE_OUTPUT", f"outputConfiguration.members.{index}.accountId"
            )
        collaboration.check_member(ml_model_inference_payer_account_id, "mlModelInferencePayerAccountId")
        usable_channel(collaboration, data_source["mlInputChannelArn"], "dataSource.mlInputChannelArn")
        tags = TAG_RULES.checked(tags)
        for other in collaboration.inference_jobs:
            if other.membership is membership and other.name == name:
                raise ConflictException(
                    f"A trained model inference job named {name} already exists in membership "
                    f"{membership.membership_id}"
                )
        arn = self.membership_arn(membership, "trained-model-inference-job")
        job = InferenceJob(
            arn,
            membership,
            model,
            association,
            tags,
            name=name,
            resource_config=resource_config,
            output_configuration=output_configuration,
            data_source=data_source,
            description=description,
            container_execution_parameters=container_execution_parameters,
            environment=environment,
            kms_key_arn=kms_key_arn,
            ml_model_inference_payer_account_id=ml_model_inference_payer_account_id,
        )
        collaboration.inference_jobs.add(arn, job)
        self.track_job(job)
        return job

    def get_trained_model_inference_job(
        self, membership: Membership, trained_model_inference_job_arn: str
    ) -> InferenceJob:
        return created_in(
            membership,
            membership.collaboration.inference_jobs.get(trained_model_inference_job_arn),
            f"Trained model inference job {trained_model_inference_job_arn}",
        )

    def list_trained_model_inference_jobs(
        self,
        membership: Membership | None = None,
        collaboration: Collaboration | None = None,
        trained_model_arn: str | None = None,
        trained_model_version_identifier: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[InferenceJob]:
        """The inference jobs of a ``membership`` (ListTrainedModelInferenceJobs), or
        of every member of a ``collaboration`` (ListCollaborationTrainedModelInferenceJobs)."""

        def wanted(job: InferenceJob) -> bool:
            return (
                (membership is None or job.membership is membership)
                and (trained_model_arn is None or job.model.arn == trained_model_arn)
                and (
                    trained_model_version_identifier is None
                    or job.model.version_identifier == trained_model_version_identifier
                )
            )

        in_collaboration = membership.collaboration if membership is not None else collaboration
        assert in_collaboration is not None, "called in the scope check resolved"
        return page(in_collaboration.inference_jobs, wanted, max_results, next_token)

    list_collaboration_trained_model_inference_jobs = list_trained_model_inference_jobs

    def cancel_trained_model_inference_job(
        self, membership: Membership, trained_model_inference_job_arn: str
    ) -> None:
        job = self.get_trained_model_inference_job(membership, trained_model_inference_job_arn)
        if job.status not in CREATING:
            raise ConflictException(f"Trained model inference job {job.name} is {job.status} and cannot be cancelled")
        job.begin_stopping()
