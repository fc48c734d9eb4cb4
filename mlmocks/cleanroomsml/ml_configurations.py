"""Each membership's ML configuration: the default output location (an S3 URI and the
role that writes there) where the ML output a member receives goes. A member receives a
trained model export or an inference job's output only with one
(``Collaboration.check_receiver``), and a job that ends ACTIVE leaves its output there
(``deliver``), in moto's S3 where the receiver's bucket exists: an export job's files at
``<s3Uri>/<collaborationId>/<trainedModelName>/<callerAccountId>/<jobName>/`` (the
service's documented layout), an inference job's at
``<s3Uri>/<collaborationId>/<jobName>/<callerAccountId>/``."""

from __future__ import annotations

from typing import Any

from moto.utilities.utils import get_partition

from mlmocks.core.jobs import now
from mlmocks.core.moto_compat import s3_put_object

from .collaborations import Collaboration, CollaborationsBackend, Membership
from .common import found


class MLConfiguration:
    def __init__(self, membership: Membership, default_output_location: dict[str, Any]) -> None:
        self.membership = membership
        self.default_output_location = default_output_location
        self.creation_time = self.update_time = now()

    def detail(self) -> dict[str, Any]:
        return {
            "membershipIdentifier": self.membership.membership_id,
            "defaultOutputLocation": self.default_output_location,
            "createTime": self.creation_time,
            "updateTime": self.update_time,
        }


def output_location(collaboration: Collaboration, account_id: str, *path: str) -> str | None:
    """Where output for ``account_id`` goes: its default output location's S3 URI, then
    the collaboration's id and ``path`` (as the service lays out exported artifacts)."""
    for configuration in collaboration.ml_configurations.values():
        if configuration.membership.account_id == account_id:
            destination = configuration.default_output_location.get("destination") or {}
            uri = (destination.get("s3Destination") or {}).get("s3Uri")
            if uri is None:
                return None
            return "/".join([uri.rstrip("/"), collaboration.collaboration_id, *path])
    return None


def deliver(collaboration: Collaboration, account_id: str, path: tuple[str, ...], files: dict[str, bytes]) -> None:
    """Put ``files`` (name -> content) where ``account_id``'s ML output goes, under
    ``path``: in moto's S3, if the bucket of its default output location exists."""
    location = output_location(collaboration, account_id, *path)
    if location is None:
        return
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    for name, body in files.items():
        s3_put_object(account_id, get_partition(collaboration.region), bucket, f"{prefix}/{name}", body)


class MLConfigurationsBackend(CollaborationsBackend):
    def put_ml_configuration(self, membership: Membership, default_output_location: dict[str, Any]) -> None:
        configurations = membership.collaboration.ml_configurations
        existing = configurations.get(membership.membership_id)
        if existing is None:
            configurations[membership.membership_id] = MLConfiguration(membership, default_output_location)
        else:
            existing.default_output_location = default_output_location
            existing.update_time = now()

    def get_ml_configuration(self, membership: Membership) -> MLConfiguration:
        return found(
            membership.collaboration.ml_configurations.get(membership.membership_id),
            f"No ML configuration for membership {membership.membership_id}",
        )

    def delete_ml_configuration(self, membership: Membership) -> None:
        self.get_ml_configuration(membership)
        del membership.collaboration.ml_configurations[membership.membership_id]
