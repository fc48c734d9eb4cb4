"""Collaborations and their memberships, which every family lives in.

They are the Clean Rooms service's (mlmocks' ``cleanrooms`` service: created with the
``cleanrooms`` API or declared through the job control's ``declare_collaboration``),
read here through ``mlmocks.core.registry.backends_of("cleanrooms")``, never imported:
``CleanRoomsMembership`` says what is read. A ``Collaboration`` here is Clean Rooms ML's
state in one Clean Rooms collaboration: everything its members make in it
(associations, every version of its trained models, export and inference jobs, ML input
channels, ML configurations), so what member A starts, member B sees through the
collaboration calls. It is made the first time a call reaches the collaboration and
kept, with one ``Membership`` per Clean Rooms membership (the same object every time,
so ``resource.membership is membership`` tells who made what), in the region's
``CollaborationDirectory``: a moto ``BackendDict`` of its own, so moto's reset clears it
with everything else.

**How a membership is looked up** (``CollaborationsBackend.membership``, which every
``membershipIdentifier`` goes through in ``responses.check``): the Clean Rooms
membership of that id must exist (else the operation's ``unknown`` error), be the
caller's (else AccessDeniedException) and be ACTIVE (a deleted membership is REMOVED, a
deleted collaboration's are COLLABORATION_DELETED: AccessDeniedException). A
``collaborationIdentifier`` (``CollaborationsBackend.collaboration``) needs the caller's
ACTIVE membership in it. ``Membership.ml_abilities()`` and ``Collaboration.check_member``
/ ``check_receiver`` read the members' abilities.

Every backend of a region takes the Clean Rooms directory's lock as its own, so the
dispatcher's per-backend lock serializes every call that touches a collaboration,
whichever member's account or service makes it, and job control takes the same lock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BaseBackend

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.errors import ServiceError
from mlmocks.core.listing import Store
from mlmocks.core.registry import backends_of

from . import SPEC
from .common import found
from .exceptions import AccessDeniedException, ResourceNotFoundException, ValidationException

if TYPE_CHECKING:
    from .algorithms import Association
    from .inference_jobs import InferenceJob
    from .input_channels import InputChannel
    from .ml_configurations import MLConfiguration
    from .trained_models import ExportJob, TrainedModel

#: The ARN of a Clean Rooms ML resource.
ARN = re.compile(
    r"arn:(?P<partition>[^:]+):cleanrooms-ml:(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)"
)
_MEMBERSHIP_RESOURCE = re.compile(r"membership/(?P<membership>[^/]+)/(?P<type>[^/]+)/.+")


# -- what is read of Clean Rooms (mlmocks/cleanrooms/collaborations.py) --------------------


class CleanRoomsMember(Protocol):
    account_id: str


class CleanRoomsCollaboration(Protocol):
    collaboration_id: str
    name: str

    def member(self, account_id: str) -> Any: ...

    def is_member(self, account_id: str) -> bool: ...


class CleanRoomsMembership(Protocol):
    membership_id: str
    account_id: str
    status: str
    collaboration: Any

    def abilities(self) -> list[str]: ...

    def ml_abilities(self) -> list[str]: ...


class CleanRoomsDirectory(Protocol):
    lock: Any
    collaborations: Store[Any]
    memberships: Store[Any]


def clean_rooms(region: str) -> CleanRoomsDirectory:
    """The Clean Rooms collaborations and memberships of a region (KeyError: none there)."""
    directory: CleanRoomsDirectory = backends_of("cleanrooms")[DEFAULT_ACCOUNT_ID][region].directory
    return directory


# -- Clean Rooms ML's state in a collaboration ---------------------------------------------


class Membership:
    """A Clean Rooms membership, as Clean Rooms ML sees it."""

    def __init__(self, record: CleanRoomsMembership, collaboration: Collaboration) -> None:
        self.record = record
        self.membership_id = record.membership_id
        self.account_id = record.account_id
        self.collaboration = collaboration

    @property
    def status(self) -> str:
        """ACTIVE, REMOVED (deleted) or COLLABORATION_DELETED."""
        return self.record.status

    def abilities(self) -> list[str]:
        return self.record.abilities()

    def ml_abilities(self) -> list[str]:
        return self.record.ml_abilities()


def version_key(arn: str, version: str | None) -> str:
    """Where a version of a trained model is kept (the base version has none)."""
    return f"{arn}#{version or ''}"


class Collaboration:
    """Everything the members of a Clean Rooms collaboration made in it with Clean Rooms ML."""

    def __init__(self, record: CleanRoomsCollaboration, region: str) -> None:
        self.record = record
        self.collaboration_id = record.collaboration_id
        self.region = region
        #: The members' memberships that Clean Rooms ML has seen, by account.
        self.memberships: dict[str, Membership] = {}
        self.associations: Store[Association] = Store()  # by ARN
        self.trained_models: Store[TrainedModel] = Store()  # every version, by version_key
        self.latest_versions: dict[str, TrainedModel] = {}  # by trained model ARN
        #: A name belongs to one trained model (all of its versions) in a collaboration.
        self.trained_model_arns_by_name: dict[str, str] = {}
        self.export_jobs: Store[ExportJob] = Store()  # by trained model ARN and job name
        self.inference_jobs: Store[InferenceJob] = Store()  # by ARN
        self.input_channels: Store[InputChannel] = Store()  # by ARN
        self.ml_configurations: dict[str, MLConfiguration] = {}  # by membership id

    @property
    def name(self) -> str:
        return self.record.name

    def has_member(self, account_id: str) -> bool:
        """Whether the collaboration lists ``account_id`` (invited or joined)."""
        return self.record.is_member(account_id)

    def association(self, arn: str) -> Association:
        return found(
            self.associations.get(arn),
            f"Configured model algorithm association {arn} not found in collaboration {self.collaboration_id}",
        )

    def find_trained_model(self, arn: str, version: str | None = None, latest: bool = False) -> TrainedModel:
        """A version of a trained model of this collaboration: the one named, else the
        latest or the base version."""
        base = found(
            self.trained_models.get(version_key(arn, None)),
            f"Trained model {arn} not found in collaboration {self.collaboration_id}",
        )
        if version is not None:
            return found(
                self.trained_models.get(version_key(arn, version)),
                f"Version {version} of trained model {arn} not found",
            )
        return self.latest_versions[arn] if latest else base

    def check_member(self, account_id: str | None, field: str) -> None:
        """An account a call names at ``field`` must be a member."""
        if account_id is not None and not self.has_member(account_id):
            raise ValidationException(
                f"Account {account_id} at '{field}' is not a member of collaboration {self.collaboration_id}"
            )

    def check_receiver(self, account_id: str, ability: str, field: str) -> None:
        """An account that receives output (at ``field``) must be a member with the ML
        ability ``ability`` and an ML configuration (where the output goes)."""
        self.check_member(account_id, field)
        member = self.record.member(account_id)
        membership = getattr(member, "membership", None)
        abilities = membership.ml_abilities() if membership is not None else []
        if ability not in abilities:
            raise ValidationException(
                f"Account {account_id} at '{field}' does not have the {ability} ML member ability in "
                f"collaboration {self.collaboration_id}"
            )
        if membership is None or membership.status != "ACTIVE" or membership.membership_id not in self.ml_configurations:
            raise ValidationException(
                f"Account {account_id} at '{field}' has no ML configuration in collaboration "
                f"{self.collaboration_id} (PutMLConfiguration): there is nowhere to put its output"
            )


class CollaborationDirectory(BaseBackend):
    """Clean Rooms ML's state in the collaborations of one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.collaborations: dict[str, Collaboration] = {}
        self.memberships: dict[str, Membership] = {}

    def collaboration_of(self, record: CleanRoomsCollaboration) -> Collaboration:
        collaboration = self.collaborations.get(record.collaboration_id)
        if collaboration is None or collaboration.record is not record:
            collaboration = Collaboration(record, self.region_name)
            self.collaborations[record.collaboration_id] = collaboration
        return collaboration

    def membership_of(self, record: CleanRoomsMembership) -> Membership:
        membership = self.memberships.get(record.membership_id)
        if membership is None or membership.record is not record:
            collaboration = self.collaboration_of(record.collaboration)
            membership = Membership(record, collaboration)
            collaboration.memberships[record.account_id] = membership
            self.memberships[record.membership_id] = membership
        return membership


# Not an account's state: one directory per region, under moto's default account.
collaboration_directories = SPEC.backend_dict(CollaborationDirectory)


def directory(region: str) -> CollaborationDirectory:
    """The region's directory (KeyError: a region Clean Rooms ML is not in)."""
    return collaboration_directories[DEFAULT_ACCOUNT_ID][region]


class MadeByMember(Protocol):
    membership: Membership


_Made = TypeVar("_Made", bound=MadeByMember)


def created_in(membership: Membership, resource: _Made | None, what: str) -> _Made:
    """``resource``, if ``membership`` created it."""
    if resource is None or resource.membership is not membership:
        raise ResourceNotFoundException(f"{what} not found in membership {membership.membership_id}")
    return resource


class CollaborationsBackend(ServiceBackend):
    """What every family's backend methods stand on: the region's collaborations, the
    caller's memberships in them, and the ARNs of what a membership makes."""

    ARN_SERVICE = "cleanrooms-ml"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        # Collaborations are shared across accounts and with Clean Rooms: one lock.
        self.lock = clean_rooms(region_name).lock

    @property
    def directory(self) -> CollaborationDirectory:
        return directory(self.region_name)

    def membership(self, membership_id: str, unknown: type[ServiceError]) -> Membership:
        """The caller's ACTIVE membership ``membership_id``: ``unknown`` where none
        exists, AccessDeniedException where it is another account's or not ACTIVE."""
        record = clean_rooms(self.region_name).memberships.get(membership_id)
        if record is None:
            raise unknown(f"Membership {membership_id} not found")
        if record.account_id != self.account_id:
            raise AccessDeniedException(
                f"Membership {membership_id} does not belong to account {self.account_id}"
            )
        if record.status != "ACTIVE":
            raise AccessDeniedException(f"Membership {membership_id} is {record.status}, not ACTIVE")
        return self.directory.membership_of(record)

    def collaboration(self, collaboration_id: str, unknown: type[ServiceError]) -> Collaboration:
        """The collaboration ``collaboration_id``, in which the caller must have an ACTIVE membership."""
        record = clean_rooms(self.region_name).collaborations.get(collaboration_id)
        if record is None:
            raise unknown(f"Collaboration {collaboration_id} not found")
        member = record.member(self.account_id)
        membership = getattr(member, "membership", None)
        if membership is None or membership.status != "ACTIVE":
            raise AccessDeniedException(
                f"Account {self.account_id} is not an active member of collaboration {collaboration_id}"
            )
        self.directory.membership_of(membership)
        return self.directory.collaboration_of(record)

    def membership_arn(self, membership: Membership, resource_type: str) -> str:
        """A new ARN for a resource ``membership`` makes."""
        return self.arn(f"membership/{membership.membership_id}/{resource_type}/{random_id()}")

    def made_in_membership(self, arn: str) -> tuple[Membership, str] | None:
        """The membership a resource ARN of this region names, and the resource's type,
        where the ARN's account is that membership's."""
        match = ARN.fullmatch(arn)
        in_membership = _MEMBERSHIP_RESOURCE.fullmatch(match["resource"]) if match else None
        if match is None or in_membership is None or match["region"] != self.region_name:
            return None
        membership = self.directory.memberships.get(in_membership["membership"])
        if membership is None or membership.account_id != match["account"]:
            return None
        return membership, in_membership["type"]
