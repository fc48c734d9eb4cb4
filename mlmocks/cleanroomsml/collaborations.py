"""Collaborations and their memberships, which every family lives in.

They are the Clean Rooms service's, which moto does not mock across accounts: a test
author declares them through the job control (``control.declare_collaboration``). A
``Collaboration`` keeps everything its members make in it (associations, every version
of its trained models, export and inference jobs), so what member A starts, member B
sees through the collaboration calls. The collaborations of a region are in its
``CollaborationDirectory``, shared by every account's backend there; the directories are
a moto ``BackendDict`` of their own, so moto's reset clears them with everything else.

Every backend of a region takes its directory's lock as its own, so the dispatcher's
per-backend lock serializes every call that touches a collaboration, whichever member's
account makes it, and job control takes the same lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BaseBackend

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.errors import ServiceError
from mlmocks.core.listing import Store

from . import SPEC
from .common import found
from .exceptions import AccessDeniedException, ResourceNotFoundException, ValidationException

if TYPE_CHECKING:
    from .algorithms import Association
    from .inference_jobs import InferenceJob
    from .trained_models import ExportJob, TrainedModel

#: The ARN of a Clean Rooms ML resource.
ARN = re.compile(
    r"arn:(?P<partition>[^:]+):cleanrooms-ml:(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)"
)
_MEMBERSHIP_RESOURCE = re.compile(r"membership/(?P<membership>[^/]+)/(?P<type>[^/]+)/.+")


class Membership:
    def __init__(self, membership_id: str, account_id: str, collaboration: Collaboration) -> None:
        self.membership_id = membership_id
        self.account_id = account_id
        self.collaboration = collaboration


def version_key(arn: str, version: str | None) -> str:
    """Where a version of a trained model is kept (the base version has none)."""
    return f"{arn}#{version or ''}"


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

    def members(self) -> dict[str, str]:
        """Each member's account id, and its membership id."""
        return {account: m.membership_id for account, m in self.memberships.items()}

    def detail(self) -> dict[str, Any]:
        return {
            "collaborationId": self.collaboration_id,
            "name": self.name,
            "region": self.region,
            "members": self.members(),
        }

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


class CollaborationDirectory(BaseBackend):
    """The collaborations declared in one region, shared by every account's backend there."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()
        self.collaborations: dict[str, Collaboration] = {}
        self.memberships: dict[str, Membership] = {}

    def add(self, collaboration: Collaboration) -> None:
        self.collaborations[collaboration.collaboration_id] = collaboration
        for membership in collaboration.memberships.values():
            self.memberships[membership.membership_id] = membership


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
        # Collaborations are shared across accounts: guard them with one lock.
        self.lock = self.directory.lock

    @property
    def directory(self) -> CollaborationDirectory:
        return directory(self.region_name)

    def membership(self, membership_id: str, unknown: type[ServiceError]) -> Membership:
        """The caller's membership ``membership_id``: ``unknown`` where none exists,
        AccessDeniedException where it is another account's."""
        membership = self.directory.memberships.get(membership_id)
        if membership is None:
            raise unknown(f"Membership {membership_id} not found")
        if membership.account_id != self.account_id:
            raise AccessDeniedException(
                f"Membership {membership_id} does not belong to account {self.account_id}"
            )
        return membership

    def collaboration(self, collaboration_id: str, unknown: type[ServiceError]) -> Collaboration:
        """The collaboration ``collaboration_id``, of which the caller must be a member."""
        collaboration = self.directory.collaborations.get(collaboration_id)
        if collaboration is None:
            raise unknown(f"Collaboration {collaboration_id} not found")
        if not collaboration.has_member(self.account_id):
            raise AccessDeniedException(
                f"Account {self.account_id} is not a member of collaboration {collaboration_id}"
            )
        return collaboration

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

    def check_input_channel(self, collaboration: Collaboration, arn: str, field: str) -> None:
        """An ML input channel ARN must name a membership of this collaboration."""
        found = self.made_in_membership(arn)
        if found is None or found[0].collaboration is not collaboration:
            raise ValidationException(
                f"The ML input channel {arn} at '{field}' is not an ML input channel of collaboration "
                f"{collaboration.collaboration_id}"
            )
