"""Clean Rooms ML custom models.

Configured model algorithms belong to one account and region (``CleanRoomsMLBackend``).
Everything else belongs to a collaboration, which its members' accounts share:
associations, trained models (every version), export jobs and inference jobs live in
the ``Collaboration``, kept in the region's ``CollaborationDirectory``, so what member A
starts, member B sees through the collaboration calls. The directories are a moto
``BackendDict`` of their own, so moto's reset clears them with everything else.

Collaborations and memberships are the Clean Rooms service's, which moto does not mock
across accounts: a test author declares them with ``declare_collaboration`` (a job
control method). Every backend of a region takes its directory's lock as its own, so the
dispatcher's per-backend lock serializes every call that touches a collaboration,
whichever member's account makes it, and job control takes the same lock.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BaseBackend
from moto.moto_api._internal import mock_random

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.control import ControlError
from mlmocks.core.errors import ServiceError
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.tags import TaggingBackend, TagRules

from . import SPEC
from .exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)

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
INFERENCE_JOB = Lifecycle(
    kind="cleanroomsml::trained-model-inference-job",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
    stopping=("CANCEL_PENDING", "CANCEL_IN_PROGRESS", "INACTIVE"),
)
#: Statuses of a job still being created (the ones a cancel stops).
CREATING = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS"})
#: Statuses of a trained model whose output can be deleted.
HAS_OUTPUT = frozenset({"ACTIVE", "CREATE_FAILED"})

#: Page size when a List call gives no maxResults (ListTrainedModelVersions documents
#: 10; the others document only the 1..100 range).
DEFAULT_MAX_RESULTS = 100
DEFAULT_MAX_VERSIONS = 10
#: Data channels plus incremental training channels of one trained model.
MAX_CHANNELS = 20
#: User tags a resource may carry; keys starting with aws: are reserved.
MAX_TAGS = 50
RESERVED_TAG_PREFIX = "aws:"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCOUNT = re.compile(r"[0-9]{12}")
_ARN = re.compile(
    r"arn:(?P<partition>[^:]+):cleanrooms-ml:(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)"
)
_MEMBERSHIP_RESOURCE = re.compile(r"membership/(?P<membership>[^/]+)/(?P<type>[^/]+)/.+")

T = TypeVar("T")


def _present(**members: Any) -> dict[str, Any]:
    """An output structure without the members that have no value."""
    return {name: value for name, value in members.items() if value is not None}


def _digest(image_uri: str | None) -> str | None:
    """The digest a container image is reported with (deterministic per image URI)."""
    return None if image_uri is None else "sha256:" + hashlib.sha256(image_uri.encode()).hexdigest()


# -- collaborations, declared by test authors ------------------------------------------------


class Membership:
    def __init__(self, membership_id: str, account_id: str, collaboration: Collaboration) -> None:
        self.membership_id = membership_id
        self.account_id = account_id
        self.collaboration = collaboration


class Collaboration:
    """A collaboration and everything its members made in it."""

    def __init__(self, collaboration_id: str, region: str, name: str, members: Mapping[str, str]) -> None:
        self.collaboration_id = collaboration_id
        self.region = region
        self.name = name
        self.memberships = {
            account: Membership(membership_id, account, self) for account, membership_id in members.items()
        }
        self.associations: Store[Association] = Store()  # by ARN
        self.trained_models: Store[TrainedModel] = Store()  # every version, by version_key
        self.latest_versions: dict[str, TrainedModel] = {}  # by trained model ARN
        #: A name belongs to one trained model (all of its versions) in a collaboration.
        self.trained_model_arns_by_name: dict[str, str] = {}
        self.export_jobs: Store[ExportJob] = Store()  # by trained model ARN and job name
        self.inference_jobs: Store[InferenceJob] = Store()  # by ARN

    def has_member(self, account_id: str) -> bool:
        return account_id in self.memberships

    def detail(self) -> dict[str, Any]:
        return {
            "collaborationId": self.collaboration_id,
            "name": self.name,
            "region": self.region,
            "members": {account: m.membership_id for account, m in self.memberships.items()},
        }

    def association(self, arn: str) -> Association:
        association = self.associations.get(arn)
        if association is None:
            raise ResourceNotFoundException(
                f"Configured model algorithm association {arn} not found in collaboration {self.collaboration_id}"
            )
        return association

    def find_trained_model(self, arn: str, version: str | None = None, latest: bool = False) -> TrainedModel:
        """A version of a trained model of this collaboration: the one named, else the
        latest or the base version."""
        base = self.trained_models.get(version_key(arn, None))
        if base is None:
            raise ResourceNotFoundException(
                f"Trained model {arn} not found in collaboration {self.collaboration_id}"
            )
        if version is not None:
            found = self.trained_models.get(version_key(arn, version))
            if found is None:
                raise ResourceNotFoundException(f"Version {version} of trained model {arn} not found")
            return found
        return self.latest_versions[arn] if latest else base


class CollaborationDirectory(BaseBackend):
    """The collaborations declared in one region, shared by every account's backend there."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()
        self.collaborations: dict[str, Collaboration] = {}
        self.memberships: dict[str, Membership] = {}

    def declare(self, collaboration_id: str, members: Mapping[str, str], name: str) -> Collaboration:
        existing = self.collaborations.get(collaboration_id)
        if existing is not None:
            if existing.detail()["members"] == dict(members):
                return existing  # declaring the same collaboration again changes nothing
            raise ControlError(f"collaboration {collaboration_id} is already declared with other members")
        for membership_id in members.values():
            if membership_id in self.memberships:
                other = self.memberships[membership_id].collaboration.collaboration_id
                raise ControlError(f"membership {membership_id} already belongs to collaboration {other}")
        collaboration = Collaboration(collaboration_id, self.region_name, name, members)
        self.collaborations[collaboration_id] = collaboration
        for membership in collaboration.memberships.values():
            self.memberships[membership.membership_id] = membership
        return collaboration


# Not an account's state: one directory per region, under moto's default account.
collaboration_directories = SPEC.backend_dict(CollaborationDirectory)


def declare_collaboration(
    collaboration_id: str,
    members: Mapping[str, str],
    region: str = "us-east-1",
    name: str | None = None,
) -> dict[str, Any]:
    """Declare a Clean Rooms collaboration in ``region``: ``members`` maps each member's
    account id to its membership id (ids are lowercase UUIDs). Declaring the same
    collaboration again is harmless. Returns what was declared."""
    problems = []
    if not isinstance(collaboration_id, str) or not _UUID.fullmatch(collaboration_id):
        problems.append(f"collaboration_id {collaboration_id!r} is not a lowercase UUID")
    if not isinstance(members, Mapping) or not members:
        problems.append("members must map at least one account id to its membership id")
    else:
        for account, membership_id in members.items():
            if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
                problems.append(f"account id {account!r} is not 12 digits")
            if not isinstance(membership_id, str) or not _UUID.fullmatch(membership_id):
                problems.append(f"membership id {membership_id!r} of {account} is not a lowercase UUID")
        if len(set(members.values())) != len(members):
            problems.append("two members share a membership id")
    if name is not None and not isinstance(name, str):
        problems.append(f"name {name!r} is not a string")
    if problems:
        raise ControlError("; ".join(problems))
    try:
        directory = collaboration_directories[DEFAULT_ACCOUNT_ID][region]
    except KeyError:
        raise ControlError(f"unknown region {region!r}") from None
    with directory.lock:
        collaboration = directory.declare(collaboration_id, dict(members), name or collaboration_id)
        return collaboration.detail()


# -- resources --------------------------------------------------------------------------------


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
        return _present(
            createTime=self.creation_time,
            updateTime=self.update_time,
            configuredModelAlgorithmArn=self.arn,
            name=self.name,
            description=self.description,
        )

    def detail(self) -> dict[str, Any]:
        return _present(
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
        return _present(
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
        return _present(**self.summary(), privacyConfiguration=self.privacy_configuration, tags=self.tags)

    def collaboration_summary(self) -> dict[str, Any]:
        return {**self.summary(), "creatorAccountId": self.membership.account_id}

    def collaboration_view(self) -> dict[str, Any]:
        # Other members never see an association's tags.
        return _present(**self.collaboration_summary(), privacyConfiguration=self.privacy_configuration)


def version_key(arn: str, version: str | None) -> str:
    return f"{arn}#{version or ''}"


def _status_details(job: Job) -> dict[str, str] | None:
    failure = job.failure
    return None if failure is None else {"message": failure}


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
        params: dict[str, Any],
    ) -> None:
        self.arn = arn
        self.version_identifier = version_identifier
        self.membership = membership
        self.association = association
        self.name: str = params["name"]
        self.description = params.get("description")
        self.hyperparameters = params.get("hyperparameters")
        self.environment = params.get("environment")
        self.resource_config = params["resource_config"]
        self.stopping_condition = params.get("stopping_condition")
        self.data_channels = params["data_channels"]
        self.training_input_mode = params.get("training_input_mode")
        self.kms_key_arn = params.get("kms_key_arn")
        self.payer_account_id = params.get("ml_model_training_payer_account_id")
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
            self.image_digest = _digest(self.association.training_image)
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
        return [_present(channelName=channel_name, versionIdentifier=base.version_identifier, modelName=base.name)]

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return _present(
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

    def collaboration_view(self) -> dict[str, Any]:
        # What every member sees: no tags, environment, hyperparameters or KMS key.
        return _present(
            **self.collaboration_summary(),
            statusDetails=_status_details(self),
            resourceConfig=self.resource_config,
            trainingInputMode=self.training_input_mode,
            stoppingCondition=self.stopping_condition,
            metricsStatus=self.metrics_status,
            logsStatus=self.logs_status,
            trainingContainerImageDigest=self.image_digest,
        )

    def detail(self) -> dict[str, Any]:
        view = self.collaboration_view()
        del view["creatorAccountId"]
        return _present(
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

    @property
    def creator_account_id(self) -> str:
        return self.membership.account_id

    def identifiers(self) -> tuple[str, ...]:
        return (self.name,)

    def collaboration_summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return _present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            name=self.name,
            outputConfiguration=self.output_configuration,
            status=status,
            statusDetails=_status_details(self),
            description=self.description,
            creatorAccountId=self.creator_account_id,
            trainedModelArn=self.model.arn,
            trainedModelVersionIdentifier=self.model.version_identifier,
            membershipIdentifier=self.membership.membership_id,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
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
        params: dict[str, Any],
    ) -> None:
        self.arn = arn
        self.membership = membership
        self.model = model
        self.association = association
        self.name: str = params["name"]
        self.description = params.get("description")
        self.resource_config = params["resource_config"]
        self.output_configuration = params["output_configuration"]
        self.data_source = params["data_source"]
        self.container_execution_parameters = params.get("container_execution_parameters")
        self.environment = params.get("environment")
        self.kms_key_arn = params.get("kms_key_arn")
        self.payer_account_id = params.get("ml_model_inference_payer_account_id")
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
            self.image_digest = _digest(self.association.inference_image)
        elif status in ("ACTIVE", "CREATE_FAILED"):
            if (self.association.policy("trainedModelInferenceJobs") or {}).get("containerLogs"):
                self.logs_status = "PUBLISH_SUCCEEDED"

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return _present(
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
        return _present(
            **self.summary(),
            dataSource=self.data_source,
            resourceConfig=self.resource_config,
            containerExecutionParameters=self.container_execution_parameters,
            statusDetails=_status_details(self),
            inferenceContainerImageDigest=self.image_digest,
            environment=self.environment,
            kmsKeyArn=self.kms_key_arn,
            tags=self.tags,
        )


# -- the backend ------------------------------------------------------------------------------


class CleanRoomsMLBackend(ServiceBackend, TaggingBackend):
    ARN_SERVICE = "cleanrooms-ml"
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: ValidationException(f"A resource can have at most {MAX_TAGS} tags, not {count}"),
        reserved_prefix=RESERVED_TAG_PREFIX,
        reserved=lambda keys: ValidationException(f"Tag keys starting with aws: are reserved: {', '.join(keys)}"),
    )

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.algorithms: Store[ConfiguredModelAlgorithm] = Store()  # by ARN
        # Collaborations are shared across accounts: guard them with one lock.
        self.lock = self.directory.lock

    @property
    def directory(self) -> CollaborationDirectory:
        return collaboration_directories[DEFAULT_ACCOUNT_ID][self.region_name]

    # -- memberships and collaborations -------------------------------------------------------

    def authorize(
        self,
        membership_id: str | None,
        collaboration_id: str | None,
        unknown: type[ServiceError] = ResourceNotFoundException,
    ) -> None:
        """Refuse a call naming a membership or collaboration that does not exist (with
        ``unknown``) or that the caller's account is not in (AccessDeniedException)."""
        if membership_id is not None:
            self._membership(membership_id, unknown)
        if collaboration_id is not None:
            self._collaboration(collaboration_id, unknown)

    def _membership(
        self, membership_id: str, unknown: type[ServiceError] = ResourceNotFoundException
    ) -> Membership:
        membership = self.directory.memberships.get(membership_id)
        if membership is None:
            raise unknown(f"Membership {membership_id} not found")
        if membership.account_id != self.account_id:
            raise AccessDeniedException(
                f"Membership {membership_id} does not belong to account {self.account_id}"
            )
        return membership

    def _collaboration(
        self, collaboration_id: str, unknown: type[ServiceError] = ResourceNotFoundException
    ) -> Collaboration:
        collaboration = self.directory.collaborations.get(collaboration_id)
        if collaboration is None:
            raise unknown(f"Collaboration {collaboration_id} not found")
        if not collaboration.has_member(self.account_id):
            raise AccessDeniedException(
                f"Account {self.account_id} is not a member of collaboration {collaboration_id}"
            )
        return collaboration

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
        self.TAG_RULES.checked("", tags)
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
            dict(tags or {}),
        )
        self.algorithms.add(algorithm.arn, algorithm)
        return algorithm

    def get_configured_model_algorithm(self, configured_model_algorithm_arn: str) -> ConfiguredModelAlgorithm:
        algorithm = self.algorithms.get(configured_model_algorithm_arn)
        if algorithm is None:
            raise ResourceNotFoundException(
                f"Configured model algorithm {configured_model_algorithm_arn} not found"
            )
        return algorithm

    def list_configured_model_algorithms(
        self, max_results: int | None = None, next_token: str | None = None
    ) -> Page[ConfiguredModelAlgorithm]:
        return _page(self.algorithms, None, max_results, next_token)

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
        membership_identifier: str,
        configured_model_algorithm_arn: str,
        name: str,
        description: str | None = None,
        privacy_configuration: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
    ) -> Association:
        membership = self._membership(membership_identifier)
        collaboration = membership.collaboration
        algorithm = self.get_configured_model_algorithm(configured_model_algorithm_arn)
        _check_privacy_configuration(collaboration, privacy_configuration)
        self.TAG_RULES.checked("", tags)
        for association in collaboration.associations:
            if association.membership is membership and association.name == name:
                raise ConflictException(
                    f"A configured model algorithm association named {name} already exists "
                    f"in membership {membership.membership_id}"
                )
        arn = self._membership_arn(membership, "configured-model-algorithm-association")
        association = Association(
            arn, membership, algorithm, name, description, privacy_configuration, dict(tags or {})
        )
        collaboration.associations.add(arn, association)
        return association

    def get_configured_model_algorithm_association(
        self, membership_identifier: str, configured_model_algorithm_association_arn: str
    ) -> Association:
        membership = self._membership(membership_identifier)
        return _created_in(
            membership,
            membership.collaboration.associations.get(configured_model_algorithm_association_arn),
            f"Configured model algorithm association {configured_model_algorithm_association_arn}",
        )

    def list_configured_model_algorithm_associations(
        self, membership_identifier: str, max_results: int | None = None, next_token: str | None = None
    ) -> Page[Association]:
        membership = self._membership(membership_identifier)
        return _page(
            membership.collaboration.associations,
            lambda association: association.membership is membership,
            max_results,
            next_token,
        )

    def delete_configured_model_algorithm_association(
        self, membership_identifier: str, configured_model_algorithm_association_arn: str
    ) -> None:
        association = self.get_configured_model_algorithm_association(
            membership_identifier, configured_model_algorithm_association_arn
        )
        collaboration = association.membership.collaboration
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
        self, collaboration_identifier: str, configured_model_algorithm_association_arn: str
    ) -> Association:
        collaboration = self._collaboration(collaboration_identifier)
        return collaboration.association(configured_model_algorithm_association_arn)

    def list_collaboration_configured_model_algorithm_associations(
        self, collaboration_identifier: str, max_results: int | None = None, next_token: str | None = None
    ) -> Page[Association]:
        collaboration = self._collaboration(collaboration_identifier)
        return _page(collaboration.associations, None, max_results, next_token)

    # -- trained models ------------------------------------------------------------------------

    def create_trained_model(
        self,
        membership_identifier: str,
        name: str,
        configured_model_algorithm_association_arn: str,
        resource_config: dict[str, Any],
        data_channels: list[dict[str, Any]],
        incremental_training_data_channels: list[dict[str, Any]] | None = None,
        tags: dict[str, str] | None = None,
        **params: Any,
    ) -> TrainedModel:
        membership = self._membership(membership_identifier)
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
            self._check_input_channel(collaboration, channel["mlInputChannelArn"], f"dataChannels.{index}")
        _check_member(collaboration, params.get("ml_model_training_payer_account_id"), "mlModelTrainingPayerAccountId")
        self.TAG_RULES.checked("", tags)
        base: TrainedModel | None = None
        if incremental:
            channel = incremental[0]
            base = self._own_trained_model(
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
        params.update(name=name, resource_config=resource_config, data_channels=data_channels)
        if base is None:
            arn = self._membership_arn(membership, "trained-model")
            model = TrainedModel(arn, None, membership, association, None, dict(tags or {}), params)
        else:
            # In place: every version shares its trained model's tags.
            base.tags.update(self.TAG_RULES.merged(base.arn, base.tags, tags or {}))
            version = str(mock_random.uuid4())
            source = (incremental[0]["channelName"], base)
            model = TrainedModel(base.arn, version, membership, association, source, base.tags, params)
        collaboration.trained_models.add(model.key, model)
        collaboration.latest_versions[model.arn] = model
        collaboration.trained_model_arns_by_name.setdefault(name, model.arn)
        self.track_job(model)
        return model

    def get_trained_model(
        self, membership_identifier: str, trained_model_arn: str, version_identifier: str | None = None
    ) -> TrainedModel:
        membership = self._membership(membership_identifier)
        return self._own_trained_model(membership, trained_model_arn, version_identifier, latest=True)

    def list_trained_models(
        self, membership_identifier: str, max_results: int | None = None, next_token: str | None = None
    ) -> Page[TrainedModel]:
        membership = self._membership(membership_identifier)
        collaboration = membership.collaboration
        return _page(
            collaboration.trained_models,
            lambda model: model.membership is membership and collaboration.latest_versions[model.arn] is model,
            max_results,
            next_token,
        )

    def list_trained_model_versions(
        self,
        membership_identifier: str,
        trained_model_arn: str,
        status: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[TrainedModel]:
        membership = self._membership(membership_identifier)
        self._own_trained_model(membership, trained_model_arn)
        return _page(
            membership.collaboration.trained_models,
            lambda model: model.arn == trained_model_arn and (status is None or model.status == status),
            max_results,
            next_token,
            DEFAULT_MAX_VERSIONS,
        )

    def cancel_trained_model(
        self, membership_identifier: str, trained_model_arn: str, version_identifier: str | None = None
    ) -> None:
        membership = self._membership(membership_identifier)
        model = self._own_trained_model(membership, trained_model_arn, version_identifier)
        if model.status not in CREATING:
            raise ConflictException(f"Trained model {model.name} is {model.status} and cannot be cancelled")
        model.begin_stopping()

    def delete_trained_model_output(
        self, membership_identifier: str, trained_model_arn: str, version_identifier: str | None = None
    ) -> None:
        # Any member of the collaboration may delete a trained model's output.
        collaboration = self._membership(membership_identifier).collaboration
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
        self, collaboration_identifier: str, trained_model_arn: str, version_identifier: str | None = None
    ) -> TrainedModel:
        collaboration = self._collaboration(collaboration_identifier)
        return collaboration.find_trained_model(trained_model_arn, version_identifier, latest=True)

    def list_collaboration_trained_models(
        self, collaboration_identifier: str, max_results: int | None = None, next_token: str | None = None
    ) -> Page[TrainedModel]:
        collaboration = self._collaboration(collaboration_identifier)
        return _page(
            collaboration.trained_models,
            lambda model: collaboration.latest_versions[model.arn] is model,
            max_results,
            next_token,
        )

    # -- export jobs ---------------------------------------------------------------------------

    def start_trained_model_export_job(
        self,
        membership_identifier: str,
        trained_model_arn: str,
        name: str,
        output_configuration: dict[str, Any],
        trained_model_version_identifier: str | None = None,
        description: str | None = None,
    ) -> ExportJob:
        membership = self._membership(membership_identifier)
        collaboration = membership.collaboration
        # Only the member who trained a model exports it.
        model = self._own_trained_model(membership, trained_model_arn, trained_model_version_identifier)
        if model.status != "ACTIVE":
            raise ValidationException(f"Only an ACTIVE trained model can be exported: {model.name} is {model.status}")
        if model.association.policy("trainedModelExports") is None:
            raise ValidationException(
                f"The privacy configuration of association {model.association.arn} does not allow "
                "exporting trained models (no trainedModelExports policy)"
            )
        for index, member in enumerate(output_configuration["members"], start=1):
            _check_member(collaboration, member["accountId"], f"outputConfiguration.members.{index}.accountId")
        key = f"{model.arn}/{name}"
        if key in collaboration.export_jobs:
            raise ConflictException(f"An export job named {name} already exists for trained model {model.arn}")
        job = ExportJob(membership, model, name, description, output_configuration)
        collaboration.export_jobs.add(job.key, job)
        self.track_job(job)
        return job

    def list_collaboration_trained_model_export_jobs(
        self,
        collaboration_identifier: str,
        trained_model_arn: str,
        trained_model_version_identifier: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[ExportJob]:
        collaboration = self._collaboration(collaboration_identifier)
        return _page(
            collaboration.export_jobs,
            lambda job: job.model.arn == trained_model_arn
            and (
                trained_model_version_identifier is None
                or job.model.version_identifier == trained_model_version_identifier
            ),
            max_results,
            next_token,
        )

    # -- inference jobs ------------------------------------------------------------------------

    def start_trained_model_inference_job(
        self,
        membership_identifier: str,
        name: str,
        trained_model_arn: str,
        resource_config: dict[str, Any],
        output_configuration: dict[str, Any],
        data_source: dict[str, Any],
        trained_model_version_identifier: str | None = None,
        configured_model_algorithm_association_arn: str | None = None,
        tags: dict[str, str] | None = None,
        **params: Any,
    ) -> InferenceJob:
        membership = self._membership(membership_identifier)
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
            _check_member(collaboration, member["accountId"], f"outputConfiguration.members.{index}.accountId")
        _check_member(collaboration, params.get("ml_model_inference_payer_account_id"), "mlModelInferencePayerAccountId")
        self._check_input_channel(collaboration, data_source["mlInputChannelArn"], "dataSource.mlInputChannelArn")
        self.TAG_RULES.checked("", tags)
        for other in collaboration.inference_jobs:
            if other.membership is membership and other.name == name:
                raise ConflictException(
                    f"A trained model inference job named {name} already exists in membership "
                    f"{membership.membership_id}"
                )
        params.update(
            name=name, resource_config=resource_config, output_configuration=output_configuration, data_source=data_source
        )
        arn = self._membership_arn(membership, "trained-model-inference-job")
        job = InferenceJob(arn, membership, model, association, dict(tags or {}), params)
        collaboration.inference_jobs.add(arn, job)
        self.track_job(job)
        return job

    def get_trained_model_inference_job(
        self, membership_identifier: str, trained_model_inference_job_arn: str
    ) -> InferenceJob:
        membership = self._membership(membership_identifier)
        return _created_in(
            membership,
            membership.collaboration.inference_jobs.get(trained_model_inference_job_arn),
            f"Trained model inference job {trained_model_inference_job_arn}",
        )

    def list_trained_model_inference_jobs(
        self,
        membership_identifier: str,
        trained_model_arn: str | None = None,
        trained_model_version_identifier: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[InferenceJob]:
        membership = self._membership(membership_identifier)
        wanted = _uses_model(trained_model_arn, trained_model_version_identifier)
        return _page(
            membership.collaboration.inference_jobs,
            lambda job: job.membership is membership and wanted(job),
            max_results,
            next_token,
        )

    def list_collaboration_trained_model_inference_jobs(
        self,
        collaboration_identifier: str,
        trained_model_arn: str | None = None,
        trained_model_version_identifier: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[InferenceJob]:
        collaboration = self._collaboration(collaboration_identifier)
        wanted = _uses_model(trained_model_arn, trained_model_version_identifier)
        return _page(collaboration.inference_jobs, wanted, max_results, next_token)

    def cancel_trained_model_inference_job(
        self, membership_identifier: str, trained_model_inference_job_arn: str
    ) -> None:
        job = self.get_trained_model_inference_job(membership_identifier, trained_model_inference_job_arn)
        if job.status not in CREATING:
            raise ConflictException(f"Trained model inference job {job.name} is {job.status} and cannot be cancelled")
        job.begin_stopping()

    def taggable(self, arn: str) -> ConfiguredModelAlgorithm | Association | TrainedModel | InferenceJob:
        match = _ARN.fullmatch(arn)
        if match is None:
            raise ResourceNotFoundException(f"Resource {arn} not found")
        if match["account"] != self.account_id:
            raise AccessDeniedException(f"Resource {arn} does not belong to account {self.account_id}")
        if match["region"] == self.region_name:
            algorithm = self.algorithms.get(arn)
            if algorithm is not None:
                return algorithm
            in_membership = _MEMBERSHIP_RESOURCE.fullmatch(match["resource"])
            membership = self.directory.memberships.get(in_membership["membership"]) if in_membership else None
            if in_membership and membership and membership.account_id == self.account_id:
                return _taggable_in(membership, in_membership["type"], arn)
        raise ResourceNotFoundException(f"Resource {arn} not found")

    # -- helpers -------------------------------------------------------------------------------

    def _membership_arn(self, membership: Membership, resource_type: str) -> str:
        return self.arn(f"membership/{membership.membership_id}/{resource_type}/{random_id()}")

    def _own_trained_model(
        self, membership: Membership, arn: str, version: str | None = None, latest: bool = False
    ) -> TrainedModel:
        """A version of a trained model that ``membership`` created."""
        base = membership.collaboration.trained_models.get(version_key(arn, None))
        _created_in(membership, base, f"Trained model {arn}")
        return membership.collaboration.find_trained_model(arn, version, latest)

    def _check_input_channel(self, collaboration: Collaboration, arn: str, field: str) -> None:
        """An ML input channel ARN must name a membership of this collaboration."""
        match = _ARN.fullmatch(arn)
        in_membership = _MEMBERSHIP_RESOURCE.fullmatch(match["resource"]) if match else None
        membership = self.directory.memberships.get(in_membership["membership"]) if in_membership else None
        if (
            match is None
            or membership is None
            or membership.collaboration is not collaboration
            or membership.account_id != match["account"]
            or match["region"] != self.region_name
        ):
            raise ValidationException(
                f"The ML input channel {arn} at '{field}' is not an ML input channel of collaboration "
                f"{collaboration.collaboration_id}"
            )


_Created = TypeVar("_Created", Association, TrainedModel, InferenceJob)


def _created_in(membership: Membership, resource: _Created | None, what: str) -> _Created:
    """``resource``, if ``membership`` created it."""
    if resource is None or resource.membership is not membership:
        raise ResourceNotFoundException(f"{what} not found in membership {membership.membership_id}")
    return resource


def _taggable_in(membership: Membership, resource_type: str, arn: str) -> Association | TrainedModel | InferenceJob:
    collaboration = membership.collaboration
    what = f"Resource {arn}"
    if resource_type == "configured-model-algorithm-association":
        return _created_in(membership, collaboration.associations.get(arn), what)
    if resource_type == "trained-model":
        return _created_in(membership, collaboration.trained_models.get(version_key(arn, None)), what)
    if resource_type == "trained-model-inference-job":
        return _created_in(membership, collaboration.inference_jobs.get(arn), what)
    raise ResourceNotFoundException(f"{what} not found")


def _uses_model(arn: str | None, version: str | None) -> Callable[[InferenceJob], bool]:
    def wanted(job: InferenceJob) -> bool:
        return (arn is None or job.model.arn == arn) and (
            version is None or job.model.version_identifier == version
        )

    return wanted


def _check_member(collaboration: Collaboration, account_id: str | None, field: str) -> None:
    if account_id is not None and not collaboration.has_member(account_id):
        raise ValidationException(
            f"Account {account_id} at '{field}' is not a member of collaboration {collaboration.collaboration_id}"
        )


def _check_privacy_configuration(collaboration: Collaboration, configuration: dict[str, Any] | None) -> None:
    policies = (configuration or {}).get("policies") or {}
    for policy_name in ("trainedModels", "trainedModelInferenceJobs"):
        logs = (policies.get(policy_name) or {}).get("containerLogs") or []
        for index, log_policy in enumerate(logs, start=1):
            path = f"privacyConfiguration.policies.{policy_name}.containerLogs.{index}"
            for account in log_policy["allowedAccountIds"]:
                _check_member(collaboration, account, f"{path}.allowedAccountIds")
            redaction = log_policy.get("logRedactionConfiguration")
            if redaction and "CUSTOM" in redaction["entitiesToRedact"] and not redaction.get("customEntityConfig"):
                raise ValidationException(
                    f"{path}.logRedactionConfiguration redacts CUSTOM entities but has no customEntityConfig"
                )



def _check_tag_count(tags: Mapping[str, str]) -> None:
    user_tags = [key for key in tags if not key.lower().startswith(RESERVED_TAG_PREFIX)]
    if len(user_tags) > MAX_TAGS:
        raise ValidationException(f"A resource can have at most {MAX_TAGS} tags, not {len(user_tags)}")


def _page(
    store: Store[T],
    where: Callable[[T], bool] | None,
    max_results: int | None,
    next_token: str | None,
    default: int = DEFAULT_MAX_RESULTS,
) -> Page[T]:
    # Newest first.
    return paginate(
        store,
        sort_name="createTime",
        sort_key=lambda item: item.creation_time,
        descending=True,
        where=where,
        max_results=max_results or default,
        next_token=next_token,
    )


cleanroomsml_backends = SPEC.backend_dict(CleanRoomsMLBackend)
