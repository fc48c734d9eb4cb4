"""Bedrock custom model deployments (Create, Get, List, Update and Delete
CustomModelDeployment): on-demand serving of a custom model of this account and region.
A deployment walks ``Creating -> Active | Failed``; an update (a new model for an Active
deployment) walks its own ``Updating -> UpdateCompleted | UpdateFailed``, shown in
``updateDetails``, and the new model serves once it completes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, within
from mlmocks.core.tags import Tagged, tag_dict

from .custom_models import CustomModels
from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time

CUSTOM_MODEL_DEPLOYMENT = Lifecycle(
    kind="bedrock::custom-model-deployment",
    happy_path=("Creating", "Active"),
    failed="Failed",
)
CUSTOM_MODEL_DEPLOYMENT_UPDATE = Lifecycle(
    kind="bedrock::custom-model-deployment-update",
    happy_path=("Updating", "UpdateCompleted"),
    failed="UpdateFailed",
)


class CustomModelDeployment(Job):
    LIFECYCLE = CUSTOM_MODEL_DEPLOYMENT

    def __init__(
        self,
        backend: CustomModelDeployments,
        *,
        model_deployment_name: str,
        model_arn: str,
        description: str | None,
        tags: dict[str, str],
    ) -> None:
        self.model_deployment_name = model_deployment_name
        self.deployment_arn = backend.arn(f"custom-model-deployment/{random_id()}")
        self.model_arn = model_arn
        self.description = description
        self.tags = tags
        self.update: DeploymentUpdate | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.model_deployment_name, self.deployment_arn)

    @property
    def last_updated_at(self) -> datetime:
        if self.update is not None:
            return max(self.last_modified_time, self.update.last_modified_time)
        return self.last_modified_time

    def summary(self) -> dict[str, Any]:
        return {
            "customModelDeploymentArn": self.deployment_arn,
            "customModelDeploymentName": self.model_deployment_name,
            "modelArn": self.model_arn,
            "createdAt": self.creation_time,
            "status": self.status,
            "lastUpdatedAt": self.last_updated_at,
            "failureMessage": self.failure,
        }

    def detail(self) -> dict[str, Any]:
        update = self.update.observe() if self.update is not None else None
        return {
            "customModelDeploymentArn": self.deployment_arn,
            "modelDeploymentName": self.model_deployment_name,
            "modelArn": self.model_arn,
            "createdAt": self.creation_time,
            "status": self.status,
            "description": self.description,
            "updateDetails": (
                {"modelArn": update.model_arn, "updateStatus": update.status} if update is not None else None
            ),
            "failureMessage": self.failure or (update.failure if update is not None else None),
            "lastUpdatedAt": self.last_updated_at,
        }


class DeploymentUpdate(Job):
    """A deployment's move to another model."""

    LIFECYCLE = CUSTOM_MODEL_DEPLOYMENT_UPDATE

    def __init__(self, deployment: CustomModelDeployment, model_arn: str) -> None:
        self.deployment = deployment
        self.model_arn = model_arn
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.deployment.model_deployment_name, self.deployment.deployment_arn)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "UpdateCompleted":
            self.deployment.model_arn = self.model_arn


class CustomModelDeployments(CustomModels):
    """The custom model deployment family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.deployments: Store[CustomModelDeployment] = Store()  # by ARN, also by name

    def create_custom_model_deployment(
        self,
        model_deployment_name: str,
        model_arn: str,
        description: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> CustomModelDeployment:
        self._deployable(model_arn, "modelArn")
        if self.deployments.find(model_deployment_name) is not None:
            raise ValidationException(f"A custom model deployment named {model_deployment_name} already exists")
        deployment = CustomModelDeployment(
            self,
            model_deployment_name=model_deployment_name,
            model_arn=model_arn,
            description=description,
            tags=tag_dict(tags),
        )
        self.deployments.add(deployment.deployment_arn, deployment, aliases=(model_deployment_name,))
        self.track_job(deployment)
        return deployment

    def get_custom_model_deployment(self, custom_model_deployment_identifier: str) -> CustomModelDeployment:
        deployment = self.deployments.find(custom_model_deployment_identifier)
        if deployment is None:
            raise ResourceNotFoundException(
                f"The custom model deployment {custom_model_deployment_identifier} was not found"
            )
        return deployment

    def list_custom_model_deployments(
        self,
        created_before: datetime | None = None,
        created_after: datetime | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        status_equals: str | None = None,
        model_arn_equals: str | None = None,
    ) -> Page[CustomModelDeployment]:
        def wanted(deployment: CustomModelDeployment) -> bool:
            return (
                within(deployment.creation_time, created_after, created_before)
                and (name_contains is None or name_contains in deployment.model_deployment_name)
                and (status_equals is None or deployment.status == status_equals)
                and (model_arn_equals is None or deployment.model_arn == model_arn_equals)
            )

        return by_creation_time(self.deployments, wanted, max_results, next_token, sort_order)

    def update_custom_model_deployment(self, model_arn: str, custom_model_deployment_identifier: str) -> CustomModelDeployment:
        deployment = self.get_custom_model_deployment(custom_model_deployment_identifier)
        if deployment.status != "Active":
            raise ValidationException(
                f"The custom model deployment {deployment.model_deployment_name} is {deployment.status}; only an Active one can be updated"
            )
        if deployment.update is not None and not deployment.update.is_finished:
            raise ValidationException(
                f"The custom model deployment {deployment.model_deployment_name} is already being updated"
            )
        self._deployable(model_arn, "modelArn")
        if deployment.update is not None:
            deployment.update.retired = True  # the job control finds the newest update
        deployment.update = DeploymentUpdate(deployment, model_arn)
        self.track_job(deployment.update)
        return deployment

    def delete_custom_model_deployment(self, custom_model_deployment_identifier: str) -> None:
        deployment = self.get_custom_model_deployment(custom_model_deployment_identifier)
        updating = deployment.update is not None and not deployment.update.is_finished
        if deployment.status == "Creating" or updating:
            raise ConflictException(
                f"The custom model deployment {deployment.model_deployment_name} is "
                f"{'Updating' if updating else 'Creating'} and cannot be deleted"
            )
        self.deployments.remove(deployment.deployment_arn)
        deployment.retired = True
        if deployment.update is not None:
            deployment.update.retired = True

    # -- shared with the other families ----------------------------------------------------

    def custom_model_user(self, model_arn: str) -> str | None:
        for deployment in self.deployments:
            if model_arn == deployment.model_arn or (
                deployment.update is not None and deployment.update.model_arn == model_arn
            ):
                return f"the custom model deployment {deployment.model_deployment_name}"
        return super().custom_model_user(model_arn)

    def model_resource(self, arn: str) -> Tagged | None:
        return self.deployments.get(arn) or super().model_resource(arn)

    def _deployable(self, model_arn: str, member: str) -> None:
        model = self.find_custom_model(model_arn)
        if model is None or model.model_arn != model_arn:
            raise ResourceNotFoundException(f"The custom model {model_arn} given in {member} was not found")
        if model.model_status != "Active":
            raise ValidationException(f"The custom model {model_arn} given in {member} is {model.model_status}, not Active")
