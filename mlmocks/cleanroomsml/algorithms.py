"""Configured model algorithms (an account's, in one region) and their associations with
collaborations (a member's, seen by every member)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import now
from mlmocks.core.listing import Page, Store

from .collaborations import Collaboration, CollaborationsBackend, Membership, created_in
from .common import TAG_RULES, found, page, present
from .exceptions import ConflictException, ValidationException

if TYPE_CHECKING:
    from .inference_jobs import InferenceJob
    from .trained_models import TrainedModel


class ConfiguredModelAlgorithm:
    def __init__(
        self,
        arn: str,
        name: str,
        role_arn: str,
        description: str | None,
        training_container_config: dict[str, Any] | None,
        inference_container_config: dict[str, Any] | None,
        kms_key_arn: str | None,
        tags: dict[str, str],
    ) -> None:
        self.arn = arn
        self.name = name
        self.role_arn = role_arn
        self.description = description
        self.training_container_config = training_container_config
        self.inference_container_config = inference_container_config
        self.kms_key_arn = kms_key_arn
        self.tags = tags
        self.creation_time = self.update_time = now()

    def summary(self) -> dict[str, Any]:
        return present(
            createTime=self.creation_time,
            updateTime=self.update_time,
            configuredModelAlgorithmArn=self.arn,
            name=self.name,
            description=self.description,
        )

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(),
            trainingContainerConfig=self.training_container_config,
            inferenceContainerConfig=self.inference_container_config,
            roleArn=self.role_arn,
            tags=self.tags,
            kmsKeyArn=self.kms_key_arn,
        )


class Association:
    """A configured model algorithm associated with a collaboration by one member."""

    def __init__(
        self,
        arn: str,
        membership: Membership,
        algorithm: ConfiguredModelAlgorithm,
        name: str,
        description: str | None,
        privacy_configuration: dict[str, Any] | None,
        tags: dict[str, str],
    ) -> None:
        self.arn = arn
        self.membership = membership
        self.algorithm_arn = algorithm.arn
        # Associations are immutable: the containers are the algorithm's at association time.
        self.training_image = (algorithm.training_container_config or {}).get("imageUri")
        self.inference_image = (algorithm.inference_container_config or {}).get("imageUri")
        self.name = name
        self.description = description
        self.privacy_configuration = privacy_configuration
        self.tags = tags
        self.creation_time = self.update_time = now()

    def policy(self, name: str) -> dict[str, Any] | None:
        """One of the privacy configuration's policies (trainedModels, ...), if set."""
        return ((self.privacy_configuration or {}).get("policies") or {}).get(name)

    def summary(self) -> dict[str, Any]:
        return present(
            createTime=self.creation_time,
            updateTime=self.update_time,
            configuredModelAlgorithmAssociationArn=self.arn,
            configuredModelAlgorithmArn=self.algorithm_arn,
            name=self.name,
            description=self.description,
            membershipIdentifier=self.membership.membership_id,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
        )

    def detail(self) -> dict[str, Any]:
        return present(**self.summary(), privacyConfiguration=self.privacy_configuration, tags=self.tags)

    def collaboration_summary(self) -> dict[str, Any]:
        return {**self.summary(), "creatorAccountId": self.membership.account_id}

    def collaboration_detail(self) -> dict[str, Any]:
        # Other members never see an association's tags.
        return present(**self.collaboration_summary(), privacyConfiguration=self.privacy_configuration)


def _check_privacy_configuration(collaboration: Collaboration, configuration: dict[str, Any] | None) -> None:
    policies = (configuration or {}).get("policies") or {}
    for policy_name in ("trainedModels", "trainedModelInferenceJobs"):
        logs = (policies.get(policy_name) or {}).get("containerLogs") or []
        for index, log_policy in enumerate(logs, start=1):
            path = f"privacyConfiguration.policies.{policy_name}.containerLogs.{index}"
            for account in log_policy["allowedAccountIds"]:
                collaboration.check_member(account, f"{path}.allowedAccountIds")
            redaction = log_policy.get("logRedactionConfiguration")
            if redaction and "CUSTOM" in redaction["entitiesToRedact"] and not redaction.get("customEntityConfig"):
                raise ValidationException(
                    f"{path}.logRedactionConfiguration redacts CUSTOM entities but has no customEntityConfig"
                )


class AlgorithmsBackend(CollaborationsBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.algorithms: Store[ConfiguredModelAlgorithm] = Store()  # by ARN

    # -- configured model algorithms ------------------------------------------------------------

    def create_configured_model_algorithm(
        self,
        name: str,
        role_arn: str,
        description: str | None = None,
        training_container_config: dict[str, Any] | None = None,
        inference_container_config: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        kms_key_arn: str | None = None,
    ) -> ConfiguredModelAlgorithm:
        if training_container_config is None and inference_container_config is None:
            raise ValidationException(
                "A configured model algorithm needs a trainingContainerConfig, an "
                "inferenceContainerConfig, or both"
            )
        tags = TAG_RULES.checked(tags)
        if any(algorithm.name == name for algorithm in self.algorithms):
            raise ConflictException(f"A configured model algorithm named {name} already exists")
        algorithm = ConfiguredModelAlgorithm(
            self.arn(f"configured-model-algorithm/{random_id()}"),
            name,
            role_arn,
            description,
            training_container_config,
            inference_container_config,
            kms_key_arn,
            tags,
        )
        self.algorithms.add(algorithm.arn, algorithm)
        return algorithm

    def get_configured_model_algorithm(self, configured_model_algorithm_arn: str) -> ConfiguredModelAlgorithm:
        return found(
            self.algorithms.get(configured_model_algorithm_arn),
            f"Configured model algorithm {configured_model_algorithm_arn} not found",
        )

    def list_configured_model_algorithms(
        self, max_results: int | None = None, next_token: str | None = None
    ) -> Page[ConfiguredModelAlgorithm]:
        return page(self.algorithms, None, max_results, next_token)

    def delete_configured_model_algorithm(self, configured_model_algorithm_arn: str) -> None:
        algorithm = self.get_configured_model_algorithm(configured_model_algorithm_arn)
        for collaboration in self.directory.collaborations.values():
            for association in collaboration.associations:
                if association.algorithm_arn == algorithm.arn:
                    raise ConflictException(
                        f"Configured model algorithm {algorithm.arn} is associated with "
                        f"collaboration {collaboration.collaboration_id} ({association.arn})"
                    )
        self.algorithms.remove(algorithm.arn)

    # -- associations --------------------------------------------------------------------------

    def create_configured_model_algorithm_association(
        self,
        membership: Membership,
        configured_model_algorithm_arn: str,
        name: str,
        description: str | None = None,
        privacy_configuration: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
    ) -> Association:
        collaboration = membership.collaboration
        algorithm = self.get_configured_model_algorithm(configured_model_algorithm_arn)
        _check_privacy_configuration(collaboration, privacy_configuration)
        tags = TAG_RULES.checked(tags)
        for association in collaboration.associations:
            if association.membership is membership and association.name == name:
                raise ConflictException(
                    f"A configured model algorithm association named {name} already exists "
                    f"in membership {membership.membership_id}"
                )
        arn = self.membership_arn(membership, "configured-model-algorithm-association")
        association = Association(arn, membership, algorithm, name, description, privacy_configuration, tags)
        collaboration.associations.add(arn, association)
        return association

    def get_configured_model_algorithm_association(
        self, membership: Membership, configured_model_algorithm_association_arn: str
    ) -> Association:
        return created_in(
            membership,
            membership.collaboration.associations.get(configured_model_algorithm_association_arn),
            f"Configured model algorithm association {configured_model_algorithm_association_arn}",
        )

    def list_configured_model_algorithm_associations(
        self, membership: Membership, max_results: int | None = None, next_token: str | None = None
    ) -> Page[Association]:
        return page(
            membership.collaboration.associations,
            lambda association: association.membership is membership,
            max_results,
            next_token,
        )

    def delete_configured_model_algorithm_association(
        self, membership: Membership, configured_model_algorithm_association_arn: str
    ) -> None:
        association = self.get_configured_model_algorithm_association(
            membership, configured_model_algorithm_association_arn
        )
        collaboration = membership.collaboration
        users: Iterable[TrainedModel | InferenceJob] = [
            *collaboration.trained_models,
            *collaboration.inference_jobs,
        ]
        for user in users:
            if user.association is association and not user.is_finished:
                raise ConflictException(
                    f"Configured model algorithm association {association.arn} is in use by "
                    f"{user.name}, which is {user.status}"
                )
        collaboration.associations.remove(association.arn)

    def get_collaboration_configured_model_algorithm_association(
        self, collaboration: Collaboration, configured_model_algorithm_association_arn: str
    ) -> Association:
        return collaboration.association(configured_model_algorithm_association_arn)

    def list_collaboration_configured_model_algorithm_associations(
        self, collaboration: Collaboration, max_results: int | None = None, next_token: str | None = None
    ) -> Page[Association]:
        return page(collaboration.associations, None, max_results, next_token)
