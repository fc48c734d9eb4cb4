"""Bedrock provisioned model throughput (Create, Get, List, Update and Delete
ProvisionedModelThroughput): ``Creating -> InService | Failed``; an update walks
``Updating -> InService``. The model served is a foundation model (id or ARN) or a custom
model of this account and region."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store, within
from mlmocks.core.tags import Tagged, tag_dict

from .custom_models import CustomModel, CustomModels
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time

PROVISIONED_MODEL_THROUGHPUT = Lifecycle(
    kind="bedrock::provisioned-model-throughput",
    happy_path=("Creating", "InService"),
    failed="Failed",
)

#: How long each commitment term lasts.
COMMITMENTS = {"OneMonth": timedelta(days=30), "SixMonths": timedelta(days=180)}


class ProvisionedModelThroughput(Job):
    LIFECYCLE = PROVISIONED_MODEL_THROUGHPUT

    def __init__(
        self,
        backend: ProvisionedThroughputs,
        *,
        provisioned_model_name: str,
        model_arn: str,
        foundation_model_arn: str,
        model_units: int,
        commitment_duration: str | None,
        tags: dict[str, str],
    ) -> None:
        self.provisioned_model_name = provisioned_model_name
        self.provisioned_model_arn = backend.arn(f"provisioned-model/{random_id()}")
        self.model_arn = model_arn
        self.desired_model_arn = model_arn
        self.foundation_model_arn = foundation_model_arn
        self.model_units = model_units
        self.desired_model_units = model_units
        self.commitment_duration = commitment_duration
        self.tags = tags
        super().__init__()
        self.commitment_expiration_time = (
            self.creation_time + COMMITMENTS[commitment_duration] if commitment_duration else None
        )

    def identifiers(self) -> tuple[str, ...]:
        return (self.provisioned_model_name, self.provisioned_model_arn)

    def summary(self) -> dict[str, Any]:
        return {
            "provisionedModelName": self.provisioned_model_name,
            "provisionedModelArn": self.provisioned_model_arn,
            "modelArn": self.model_arn,
            "desiredModelArn": self.desired_model_arn,
            "foundationModelArn": self.foundation_model_arn,
            "modelUnits": self.model_units,
            "desiredModelUnits": self.desired_model_units,
            "status": self.status,
            "commitmentDuration": self.commitment_duration,
            "commitmentExpirationTime": self.commitment_expiration_time,
            "creationTime": self.creation_time,
            "lastModifiedTime": self.last_modified_time,
        }

    def detail(self) -> dict[str, Any]:
        return {**self.summary(), "failureMessage": self.failure}

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "InService":
            # An update is done: the new model serves.
            self.model_arn = self.desired_model_arn


class ProvisionedThroughputs(CustomModels):
    """The provisioned throughput family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.provisioned_throughputs: Store[ProvisionedModelThroughput] = Store()  # by ARN, also by name

    def create_provisioned_model_throughput(
        self,
        model_units: int,
        provisioned_model_name: str,
        model_id: str,
        commitment_duration: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> ProvisionedModelThroughput:
        model_arn, custom = self.resolve_model(model_id, "modelId")
        if self.provisioned_throughputs.find(provisioned_model_name) is not None:
            raise ValidationException(f"A provisioned model named {provisioned_model_name} already exists")
        throughput = ProvisionedModelThroughput(
            self,
            provisioned_model_name=provisioned_model_name,
            model_arn=model_arn,
            foundation_model_arn=self._foundation_of(model_arn, custom),
            model_units=model_units,
            commitment_duration=commitment_duration,
            tags=tag_dict(tags),
        )
        self.provisioned_throughputs.add(
            throughput.provisioned_model_arn, throughput, aliases=(provisioned_model_name,)
        )
        self.track_job(throughput)
        return throughput

    def get_provisioned_model_throughput(self, provisioned_model_id: str) -> ProvisionedModelThroughput:
        throughput = self.provisioned_throughputs.find(provisioned_model_id)
        if throughput is None:
            raise ResourceNotFoundException(f"The provisioned model {provisioned_model_id} was not found")
        return throughput

    def list_provisioned_model_throughputs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        status_equals: str | None = None,
        model_arn_equals: str | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ProvisionedModelThroughput]:
        def wanted(throughput: ProvisionedModelThroughput) -> bool:
            return (
                within(throughput.creation_time, creation_time_after, creation_time_before)
                and (status_equals is None or throughput.status == status_equals)
                and (model_arn_equals is None or throughput.model_arn == model_arn_equals)
                and (name_contains is None or name_contains in throughput.provisioned_model_name)
            )

        return by_creation_time(self.provisioned_throughputs, wanted, max_results, next_token, sort_order)

    def update_provisioned_model_throughput(
        self,
        provisioned_model_id: str,
        desired_provisioned_model_name: str | None = None,
        desired_model_id: str | None = None,
    ) -> None:
        throughput = self.get_provisioned_model_throughput(provisioned_model_id)
        if throughput.status != "InService":
            raise ValidationException(
                f"The provisioned model {throughput.provisioned_model_name} is {throughput.status}; only one InService can be updated"
            )
        desired_arn = None
        if desired_model_id is not None:
            if throughput.model_arn == throughput.foundation_model_arn:
                raise ValidationException(
                    f"desiredModelId cannot be given: the provisioned model {throughput.provisioned_model_name} "
                    "serves a base model, whose model cannot be changed"
                )
            desired_arn, custom = self.resolve_model(desired_model_id, "desiredModelId")
            if self._foundation_of(desired_arn, custom) != throughput.foundation_model_arn:
                raise ValidationException(
                    f"desiredModelId {desired_model_id} must be {throughput.foundation_model_arn} "
                    "or a custom model customized from it"
                )
        if desired_provisioned_model_name is not None and desired_provisioned_model_name != throughput.provisioned_model_name:
            if self.provisioned_throughputs.find(desired_provisioned_model_name) is not None:
                raise ValidationException(f"A provisioned model named {desired_provisioned_model_name} already exists")
            self.provisioned_throughputs.remove(throughput.provisioned_model_arn)
            throughput.provisioned_model_name = desired_provisioned_model_name
            self.provisioned_throughputs.add(
                throughput.provisioned_model_arn, throughput, aliases=(desired_provisioned_model_name,)
            )
            throughput.last_modified_time = now()
            self.track_job(throughput)
        if desired_arn is not None and desired_arn != throughput.model_arn:
            throughput.desired_model_arn = desired_arn
            throughput.walk_on(("Updating", "InService"))
            self.track_job(throughput)

    def delete_provisioned_model_throughput(self, provisioned_model_id: str) -> None:
        throughput = self.get_provisioned_model_throughput(provisioned_model_id)
        if throughput.status in ("Creating", "Updating"):
            raise ConflictException(
                f"The provisioned model {throughput.provisioned_model_name} is {throughput.status} and cannot be deleted"
            )
        expires = throughput.commitment_expiration_time
        if expires is not None and now() < expires and throughput.status != "Failed":
            raise ConflictException(
                f"The provisioned model {throughput.provisioned_model_name} cannot be deleted before its commitment term ends"
            )
        self.provisioned_throughputs.remove(throughput.provisioned_model_arn)
        throughput.retired = True

    # -- shared with the other families ----------------------------------------------------

    def custom_model_user(self, model_arn: str) -> str | None:
        for throughput in self.provisioned_throughputs:
            if model_arn in (throughput.model_arn, throughput.desired_model_arn):
                return f"the provisioned model {throughput.provisioned_model_name}"
        return super().custom_model_user(model_arn)

    def model_resource(self, arn: str) -> Tagged | None:
        return self.provisioned_throughputs.get(arn) or super().model_resource(arn)

    def _foundation_of(self, model_arn: str, custom: CustomModel | None) -> str:
        return custom.foundation_model_arn if custom is not None else model_arn
