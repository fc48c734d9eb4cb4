"""Trained models (every version, from incremental training too) and their export jobs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page
from mlmocks.core.moto_compat import mock_random

from .algorithms import Association
from .collaborations import (
    Collaboration,
    CollaborationsBackend,
    Membership,
    created_in,
    version_key,
)
from .common import CREATING, TAG_RULES, digest, page, present, status_details
from .exceptions import ConflictException, ValidationException
from .input_channels import usable_channel
from .ml_configurations import deliver

if TYPE_CHECKING:
    from .inference_jobs import InferenceJob

TRAINED_MODEL = Lifecycle(
    kind="cleanroomsml::trained-model",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
    stopping=("CANCEL_PENDING", "CANCEL_IN_PROGRESS", "INACTIVE"),
)
#: DeleteTrainedModelOutput walks a trained model version through these.
DELETING_OUTPUT = ("DELETE_PENDING", "DELETE_IN_PROGRESS", "INACTIVE")
EXPORT_JOB = Lifecycle(
    kind="cleanroomsml::trained-model-export-job",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
)
#: Statuses of a trained model whose output can be deleted.
HAS_OUTPUT = frozenset({"ACTIVE", "CREATE_FAILED"})

#: ListTrainedModelVersions' documented default page size.
DEFAULT_MAX_VERSIONS = 10
#: Data channels plus incremental training channels of one trained model.
MAX_CHANNELS = 20


class TrainedModel(Job):
    """One version of a trained model: the base version (no version identifier) or one
    made by incremental training from another version, under the same ARN."""

    LIFECYCLE = TRAINED_MODEL

    def __init__(
        self,
        arn: str,
        version_identifier: str | None,
        membership: Membership,
        association: Association,
        incremental_from: tuple[str, TrainedModel] | None,
        tags: dict[str, str],
        *,
        name: str,
        resource_config: dict[str, Any],
        data_channels: list[dict[str, Any]],
        description: str | None,
        hyperparameters: dict[str, str] | None,
        environment: dict[str, str] | None,
        stopping_condition: dict[str, Any] | None,
        training_input_mode: str | None,
        kms_key_arn: str | None,
        ml_model_training_payer_account_id: str | None,
    ) -> None:
        self.arn = arn
        self.version_identifier = version_identifier
        self.membership = membership
        self.association = association
        self.name = name
        self.description = description
        self.hyperparameters = hyperparameters
        self.environment = environment
        self.resource_config = resource_config
        self.stopping_condition = stopping_condition
        self.data_channels = data_channels
        self.training_input_mode = training_input_mode
        self.kms_key_arn = kms_key_arn
        self.payer_account_id = ml_model_training_payer_account_id
        #: The version this one was trained from, and the channel that carried it.
        self.incremental_from = incremental_from
        #: Tags belong to the trained model (its ARN): every version shares them.
        self.tags = tags
        self.image_digest: str | None = None
        self.metrics_status: str | None = None
        self.logs_status: str | None = None
        super().__init__()

    @property
    def key(self) -> str:
        return version_key(self.arn, self.version_identifier)

    @property
    def creator_account_id(self) -> str:
        return self.membership.account_id

    def identifiers(self) -> tuple[str, ...]:
        names = (self.arn,) if self.version_identifier is None else (self.version_identifier,)
        return (*names, self.name)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "CREATE_IN_PROGRESS":
            self.image_digest = digest(self.association.training_image)
        elif status in ("ACTIVE", "CREATE_FAILED"):
            policy = self.association.policy("trainedModels") or {}
            if policy.get("containerMetrics"):
                self.metrics_status = "PUBLISH_SUCCEEDED"
            if policy.get("containerLogs"):
                self.logs_status = "PUBLISH_SUCCEEDED"

    def incremental_channels(self) -> list[dict[str, Any]] | None:
        if self.incremental_from is None:
            return None
        channel_name, base = self.incremental_from
        return [present(channelName=channel_name, versionIdentifier=base.version_identifier, modelName=base.name)]

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            trainedModelArn=self.arn,
            versionIdentifier=self.version_identifier,
            incrementalTrainingDataChannels=self.incremental_channels(),
            name=self.name,
            description=self.description,
            membershipIdentifier=self.membership.membership_id,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
            status=status,
            configuredModelAlgorithmAssociationArn=self.association.arn,
            mlModelTrainingPayerAccountId=self.payer_account_id,
        )

    def collaboration_summary(self) -> dict[str, Any]:
        return {**self.summary(), "creatorAccountId": self.creator_account_id}

    def collaboration_detail(self) -> dict[str, Any]:
        # What every member sees: no tags, environment, hyperparameters or KMS key.
        return present(
            **self.collaboration_summary(),
            statusDetails=status_details(self),
            resourceConfig=self.resource_config,
            trainingInputMode=self.training_input_mode,
            stoppingCondition=self.stopping_condition,
            metricsStatus=self.metrics_status,
            logsStatus=self.logs_status,
            trainingContainerImageDigest=self.image_digest,
        )

    def detail(self) -> dict[str, Any]:
        view = self.collaboration_detail()
        del view["creatorAccountId"]
        return present(
            **view,
            hyperparameters=self.hyperparameters,
            environment=self.environment,
            kmsKeyArn=self.kms_key_arn,
            tags=self.tags,
            dataChannels=self.data_channels,
        )


class ExportJob(Job):
    LIFECYCLE = EXPORT_JOB

    def __init__(
        self,
        membership: Membership,
        model: TrainedModel,
        name: str,
        description: str | None,
        output_configuration: dict[str, Any],
    ) -> None:
        self.membership = membership
        self.model = model
        self.name = name
        self.description = description
        self.output_configuration = output_configuration
        super().__init__()

    @property
    def key(self) -> str:
        return f"{self.model.arn}/{self.name}"

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "ACTIVE":
            # The files the association's policy exports, to each receiver's output location.
            policy = self.model.association.policy("trainedModelExports") or {}
            files = {
                f"{kind.lower()}.tar.gz": f"{kind} of {self.model.arn}".encode()
                for kind in policy.get("filesToExport") or ()
            }
            path = (self.model.name, self.membership.account_id, self.name)
            for member in self.output_configuration["members"]:
                deliver(self.membership.collaboration, member["accountId"], path, files)

    @property
    def creator_account_id(self) -> str:
        return self.membership.account_id

    def identifiers(self) -> tuple[str, ...]:
        return (self.name,)

    def collaboration_summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            name=self.name,
            outputConfiguration=self.output_configuration,
            status=status,
            statusDetails=status_details(self),
            description=self.description,
            creatorAccountId=self.creator_account_id,
            trainedModelArn=self.model.arn,
            trainedModelVersionIdentifier=self.model.version_identifier,
            membershipIdentifier=self.membership.membership_id,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
        )


def own_trained_model(
    membership: Membership, arn: str, version: str | None = None, latest: bool = False
) -> TrainedModel:
    """A version of a trained model that ``membership`` created."""
    base = membership.collaboration.trained_models.get(version_key(arn, None))
    created_in(membership, base, f"Trained model {arn}")
    return membership.collaboration.find_trained_model(arn, version, latest)


class TrainedModelsBackend(CollaborationsBackend):
    # -- trained models ------------------------------------------------------------------------

    def create_trained_model(
        self,
        membership: Membership,
        name: str,
        configured_model_algorithm_association_arn: str,
        resource_config: dict[str, Any],
        data_channels: list[dict[str, Any]],
        hyperparameters: dict[str, str] | None = None,
        environment: dict[str, str] | None = None,
        stopping_condition: dict[str, Any] | None = None,
        incremental_training_data_channels: list[dict[str, Any]] | None = None,
        training_input_mode: str | None = None,
        description: str | None = None,
        kms_key_arn: str | None = None,
        tags: dict[str, str] | None = None,
        ml_model_training_payer_account_id: str | None = None,
    ) -> TrainedModel:
        collaboration = membership.collaboration
        association = collaboration.association(configured_model_algorithm_association_arn)
        if association.training_image is None:
            raise ValidationException(
                f"The configured model algorithm of association {association.arn} has no training container"
            )
        incremental = incremental_training_data_channels or []
        names = [c["channelName"] for c in data_channels] + [c["channelName"] for c in incremental]
        if len(names) > MAX_CHANNELS:
            raise ValidationException(
                f"A trained model can have at most {MAX_CHANNELS} channels in dataChannels and "
                f"incrementalTrainingDataChannels together, not {len(names)}"
            )
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValidationException(f"Channel names must be unique: {', '.join(repeated)} repeated")
        for index, channel in enumerate(data_channels, start=1):
            usable_channel(
                collaboration, channel["mlInputChannelArn"], f"dataChannels.{index}.mlInputChannelArn", association
            )
        collaboration.check_member(ml_model_training_payer_account_id, "mlModelTrainingPayerAccountId")
        new_tags = TAG_RULES.checked(tags)
        base: TrainedModel | None = None
        if incremental:
            channel = incremental[0]
            base = own_trained_model(
                membership, channel["trainedModelArn"], channel.get("versionIdentifier"), latest=True
            )
            if base.status != "ACTIVE":
                raise ValidationException(
                    f"Incremental training needs an ACTIVE trained model: {base.name} is {base.status}"
                )
        holder = collaboration.trained_model_arns_by_name.get(name)
        if holder is not None and (base is None or holder != base.arn):
            raise ConflictException(
                f"A trained model named {name} already exists in collaboration {collaboration.collaboration_id}"
            )
        version: str | None = None
        source: tuple[str, TrainedModel] | None = None
        if base is None:
            arn = self.membership_arn(membership, "trained-model")
        else:
            # In place: every version shares its trained model's tags.
            base.tags.update(TAG_RULES.merged(base.arn, base.tags, new_tags))
            arn, version, new_tags = base.arn, str(mock_random.uuid4()), base.tags
            source = (incremental[0]["channelName"], base)
        model = TrainedModel(
            arn,
            version,
            membership,
            association,
            source,
            new_tags,
            name=name,
            resource_config=resource_config,
            data_channels=data_channels,
            description=description,
            hyperparameters=hyperparameters,
            environment=environment,
            stopping_condition=stopping_condition,
            training_input_mode=training_input_mode,
            kms_key_arn=kms_key_arn,
            ml_model_training_payer_account_id=ml_model_training_payer_account_id,
        )
        collaboration.trained_models.add(model.key, model)
        collaboration.latest_versions[model.arn] = model
        collaboration.trained_model_arns_by_name.setdefault(name, model.arn)
        self.track_job(model)
        return model

    def get_trained_model(
        self, membership: Membership, trained_model_arn: str, version_identifier: str | None = None
    ) -> TrainedModel:
        return own_trained_model(membership, trained_model_arn, version_identifier, latest=True)

    def list_trained_models(
        self, membership: Membership, max_results: int | None = None, next_token: str | None = None
    ) -> Page[TrainedModel]:
        collaboration = membership.collaboration
        return page(
            collaboration.trained_models,
            lambda model: model.membership is membership and collaboration.latest_versions[model.arn] is model,
            max_results,
            next_token,
        )

    def list_trained_model_versions(
        self,
        membership: Membership,
        trained_model_arn: str,
        status: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[TrainedModel]:
        own_trained_model(membership, trained_model_arn)
        return page(
            membership.collaboration.trained_models,
            lambda model: model.arn == trained_model_arn and (status is None or model.status == status),
            max_results,
            next_token,
            DEFAULT_MAX_VERSIONS,
        )

    def cancel_trained_model(
        self, membership: Membership, trained_model_arn: str, version_identifier: str | None = None
    ) -> None:
        model = own_trained_model(membership, trained_model_arn, version_identifier)
        if model.status not in CREATING:
            raise ConflictException(f"Trained model {model.name} is {model.status} and cannot be cancelled")
        model.begin_stopping()

    def delete_trained_model_output(
        self, membership: Membership, trained_model_arn: str, version_identifier: str | None = None
    ) -> None:
        # Any member of the collaboration may delete a trained model's output.
        collaboration = membership.collaboration
        model = collaboration.find_trained_model(trained_model_arn, version_identifier)
        if model.status not in HAS_OUTPUT:
            raise ConflictException(
                f"Trained model {model.name} is {model.status}: only the output of an ACTIVE or "
                "CREATE_FAILED trained model can be deleted"
            )
        dependents: list[TrainedModel | ExportJob | InferenceJob] = [
            *(job for job in collaboration.export_jobs if job.model is model),
            *(job for job in collaboration.inference_jobs if job.model is model),
            *(v for v in collaboration.trained_models if v.incremental_from and v.incremental_from[1] is model),
        ]
        for job in dependents:
            if not job.is_finished:
                raise ConflictException(
                    f"Trained model {model.name} is in use by {job.name}, which is {job.status}"
                )
        model.walk_on(DELETING_OUTPUT)

    def get_collaboration_trained_model(
        self, collaboration: Collaboration, trained_model_arn: str, version_identifier: str | None = None
    ) -> TrainedModel:
        return collaboration.find_trained_model(trained_model_arn, version_identifier, latest=True)

    def list_collaboration_trained_models(
        self, collaboration: Collaboration, max_results: int | None = None, next_token: str | None = None
    ) -> Page[TrainedModel]:
        return page(
            collaboration.trained_models,
            lambda model: collaboration.latest_versions[model.arn] is model,
            max_results,
            next_token,
        )

    # -- export jobs ---------------------------------------------------------------------------

    def start_trained_model_export_job(
        self,
        membership: Membership,
        trained_model_arn: str,
        name: str,
        output_configuration: dict[str, Any],
        trained_model_version_identifier: str | None = None,
        description: str | None = None,
    ) -> ExportJob:
        collaboration = membership.collaboration
        # Only the member who trained a model exports it.
        model = own_trained_model(membership, trained_model_arn, trained_model_version_identifier)
        if model.status != "ACTIVE":
            raise ValidationException(f"Only an ACTIVE trained model can be exported: {model.name} is {model.status}")
        if model.association.policy("trainedModelExports") is None:
            raise ValidationException(
                f"The privacy configuration of association {model.association.arn} does not allow "
                "exporting trained models (no trainedModelExports policy)"
            )
        for index, member in enumerate(output_configuration["members"], start=1):
            collaboration.check_receiver(
                member["accountId"], "CAN_RECEIVE_MODEL_OUTPUT", f"outputConfiguration.members.{index}.accountId"
            )
        key = f"{model.arn}/{name}"
        if key in collaboration.export_jobs:
            raise ConflictException(f"An export job named {name} already exists for trained model {model.arn}")
        job = ExportJob(membership, model, name, description, output_configuration)
        collaboration.export_jobs.add(job.key, job)
        self.track_job(job)
        return job

    def list_collaboration_trained_model_export_jobs(
        self,
        collaboration: Collaboration,
        trained_model_arn: str,
        trained_model_version_identifier: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[ExportJob]:
        return page(
            collaboration.export_jobs,
            lambda job: job.model.arn == trained_model_arn
            and (
                trained_model_version_identifier is None
                or job.model.version_identifier == trained_model_version_identifier
            ),
            max_results,
            next_token,
        )
