"""Audience (lookalike) models: an account's model trained on one of its training
datasets, and what its resources that are jobs share: the lifecycle of a resource that
is created, then deleted through DELETE_PENDING and DELETE_IN_PROGRESS until it is gone.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store

from .common import TAG_RULES, found, page, present, status_details
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .training_datasets import TrainingDataset, TrainingDatasetsBackend, resource_id

if TYPE_CHECKING:
    from .configured_audience_models import ConfiguredAudienceModel

#: The end of a deletion: the resource is gone, so no response ever shows it.
DELETED = "DELETED"
#: Statuses of a resource that can be deleted (neither being created nor deleted).
DELETABLE = frozenset({"ACTIVE", "CREATE_FAILED"})


def created_then_deleted(kind: str) -> Lifecycle:
    """The lifecycle of an audience model or an audience generation job."""
    return Lifecycle(
        kind=kind,
        happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
        failed="CREATE_FAILED",
        # Delete*; DELETE_FAILED is never reached.
        stopping=("DELETE_PENDING", "DELETE_IN_PROGRESS", DELETED),
    )


AUDIENCE_MODEL = created_then_deleted("cleanroomsml::audience-model")


class DeletedWhenDone(Job):
    """A job that a delete walks to DELETED, where it leaves every store it is in."""

    #: What a look at it answers once it is gone.
    WHAT = "Resource"
    arn: str
    gone = False

    def identifiers(self) -> tuple[str, ...]:
        return (self.arn, getattr(self, "name", self.arn))

    def on_enter(self, status: str, at: datetime) -> None:
        if status == DELETED:
            self.gone = self.retired = True
            self.forget()

    def forget(self) -> None:
        """Leave every store: the resource is gone."""

    def observe(self) -> Any:
        super().observe()
        if self.gone:
            raise ResourceNotFoundException(f"{self.WHAT} {self.arn} not found")
        return self

    def begin_deleting(self) -> None:
        if self.status not in DELETABLE:
            raise ConflictException(
                f"{self.WHAT} {self.arn} is {self.status}: only an ACTIVE or CREATE_FAILED one can be deleted"
            )
        self.begin_stopping()


class AudienceModel(DeletedWhenDone):
    LIFECYCLE = AUDIENCE_MODEL
    WHAT = "Audience model"

    def __init__(
        self,
        arn: str,
        store: Store[AudienceModel],
        dataset: TrainingDataset,
        tags: dict[str, str],
        *,
        name: str,
        training_data_start_time: datetime | None,
        training_data_end_time: datetime | None,
        kms_key_arn: str | None,
        description: str | None,
    ) -> None:
        self.arn = arn
        self.store = store
        self.dataset = dataset
        self.tags = tags
        self.name = name
        self.training_data_start_time = training_data_start_time
        self.training_data_end_time = training_data_end_time
        self.kms_key_arn = kms_key_arn
        self.description = description
        #: The configured audience models made of it, until they are deleted.
        self.configured_models: list[ConfiguredAudienceModel] = []
        super().__init__()

    def forget(self) -> None:
        self.store.remove(self.arn)
        if self in self.dataset.audience_models:
            self.dataset.audience_models.remove(self)

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            audienceModelArn=self.arn,
            name=self.name,
            trainingDatasetArn=self.dataset.arn,
            status=status,
            description=self.description,
        )

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(),
            trainingDataStartTime=self.training_data_start_time,
            trainingDataEndTime=self.training_data_end_time,
            statusDetails=status_details(self),
            kmsKeyArn=self.kms_key_arn,
            tags=self.tags,
        )


class AudienceModelsBackend(TrainingDatasetsBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.audience_models: Store[AudienceModel] = Store()  # by ARN

    def create_audience_model(
        self,
        name: str,
        training_dataset_arn: str,
        training_data_start_time: datetime | None = None,
        training_data_end_time: datetime | None = None,
        kms_key_arn: str | None = None,
        tags: dict[str, str] | None = None,
        description: str | None = None,
    ) -> AudienceModel:
        dataset = self.get_training_dataset(training_dataset_arn)
        if (
            training_data_start_time is not None
            and training_data_end_time is not None
            and training_data_start_time >= training_data_end_time
        ):
            raise ValidationException("trainingDataStartTime must be before trainingDataEndTime")
        new_tags = TAG_RULES.checked(tags)
        if any(other.name == name for other in self.audience_models):
            raise ConflictException(f"An audience model named {name} already exists")
        arn = self.arn(f"audience-model/{resource_id()}")
        model = AudienceModel(
            arn,
            self.audience_models,
            dataset,
            new_tags,
            name=name,
            training_data_start_time=training_data_start_time,
            training_data_end_time=training_data_end_time,
            kms_key_arn=kms_key_arn,
            description=description,
        )
        self.audience_models.add(arn, model)
        dataset.audience_models.append(model)
        self.track_job(model)
        return model

    def get_audience_model(self, audience_model_arn: str) -> AudienceModel:
        return found(self.audience_models.get(audience_model_arn), f"Audience model {audience_model_arn} not found")

    def list_audience_models(
        self, max_results: int | None = None, next_token: str | None = None
    ) -> Page[AudienceModel]:
        return page(self.audience_models, lambda model: model.status != DELETED, max_results, next_token)

    def delete_audience_model(self, audience_model_arn: str) -> None:
        model = self.get_audience_model(audience_model_arn)
        if model.configured_models:
            names = ", ".join(sorted(configured.name for configured in model.configured_models))
            raise ConflictException(
                f"Audience model {model.name} cannot be deleted: configured audience models depend on it ({names})"
            )
        model.begin_deleting()
        self.track_job(model)
