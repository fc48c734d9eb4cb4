"""ML input channels: the data a member's protected query puts in a collaboration for
the configured model algorithm associations it serves (training data of a trained
model, the data an inference job scores).

A channel is created CREATE_PENDING; its protected query runs (CREATE_IN_PROGRESS, its
``protectedQueryIdentifier`` then known) and it is ACTIVE with ``numberOfRecords``,
``numberOfFiles`` and ``sizeInGb``, or CREATE_FAILED. DeleteMLInputChannelData walks it
through DELETE_PENDING and DELETE_IN_PROGRESS to INACTIVE, its data gone. Its data is
kept ``retentionInDays`` from creation: an ACTIVE channel past that can no longer be
trained on or scored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page
from mlmocks.core.moto_compat import mock_random

from .algorithms import Association
from .collaborations import Collaboration, CollaborationsBackend, Membership, created_in
from .common import TAG_RULES, page, present, status_details
from .exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)

if TYPE_CHECKING:
    from .inference_jobs import InferenceJob
    from .trained_models import TrainedModel

INPUT_CHANNEL = Lifecycle(
    kind="cleanroomsml::ml-input-channel",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
)
#: DeleteMLInputChannelData walks a channel through these.
DELETING_DATA = ("DELETE_PENDING", "DELETE_IN_PROGRESS", "INACTIVE")
#: Statuses of a channel whose data can be deleted.
HAS_DATA = frozenset({"ACTIVE", "CREATE_FAILED"})


class InputChannel(Job):
    LIFECYCLE = INPUT_CHANNEL

    def __init__(
        self,
        arn: str,
        membership: Membership,
        associations: list[Association],
        tags: dict[str, str],
        *,
        name: str,
        input_channel: dict[str, Any],
        retention_in_days: int,
        description: str | None,
        kms_key_arn: str | None,
        payer_configuration: dict[str, Any] | None,
    ) -> None:
        self.arn = arn
        self.membership = membership
        self.associations = associations
        self.tags = tags
        self.name = name
        self.input_channel = input_channel
        self.retention_in_days = retention_in_days
        self.description = description
        self.kms_key_arn = kms_key_arn
        self.payer_configuration = payer_configuration
        self.protected_query_identifier: str | None = None
        #: What the protected query put in the channel (set once ACTIVE, gone once deleted).
        self.number_of_records: int | None = None
        self.number_of_files: float | None = None
        self.size_in_gb: float | None = None
        super().__init__()

    @property
    def creator_account_id(self) -> str:
        return self.membership.account_id

    def identifiers(self) -> tuple[str, ...]:
        return (self.arn, self.name)

    def serves(self, association: Association) -> bool:
        return any(mine is association for mine in self.associations)

    @property
    def expires(self) -> datetime:
        return self.creation_time + timedelta(days=self.retention_in_days)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "CREATE_IN_PROGRESS":
            self.protected_query_identifier = str(mock_random.uuid4())
        elif status == "ACTIVE":
            # Sizes fixed by the channel (same ARN, same sizes), plausible for a query's output.
            seed = int.from_bytes(hashlib.sha256(self.arn.encode()).digest()[:4], "big")
            self.number_of_records = 1000 + seed % 1_000_000
            self.number_of_files = float(1 + seed % 16)
            self.size_in_gb = round(self.number_of_records * 512 / 1e9, 6)
        elif status == "DELETE_IN_PROGRESS":
            self.number_of_records = self.number_of_files = self.size_in_gb = None

    def _base(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            membershipIdentifier=self.membership.membership_id,
            collaborationIdentifier=self.membership.collaboration.collaboration_id,
            name=self.name,
            configuredModelAlgorithmAssociations=[a.arn for a in self.associations],
            mlInputChannelArn=self.arn,
            status=status,
            description=self.description,
            payerConfiguration=self.payer_configuration,
        )

    def summary(self) -> dict[str, Any]:
        return present(**self._base(), protectedQueryIdentifier=self.protected_query_identifier)

    def collaboration_summary(self) -> dict[str, Any]:
        return {**self._base(), "creatorAccountId": self.creator_account_id}

    def collaboration_detail(self) -> dict[str, Any]:
        # What every member sees: not the query, the key, the tags or the files.
        return present(
            **self.collaboration_summary(),
            statusDetails=status_details(self),
            retentionInDays=self.retention_in_days,
            numberOfRecords=self.number_of_records,
        )

    def detail(self) -> dict[str, Any]:
        view = self.collaboration_detail()
        del view["creatorAccountId"]
        return present(
            **view,
            inputChannel=self.input_channel,
            protectedQueryIdentifier=self.protected_query_identifier,
            numberOfFiles=self.number_of_files,
            sizeInGb=self.size_in_gb,
            kmsKeyArn=self.kms_key_arn,
            tags=self.tags,
        )


def usable_channel(
    collaboration: Collaboration, arn: str, field: str, association: Association | None = None
) -> InputChannel:
    """The ML input channel ``arn`` (named at ``field``) of this collaboration, ACTIVE and
    within its retention, and serving ``association`` where one is given."""
    channel = collaboration.input_channels.get(arn)
    if channel is None:
        raise ResourceNotFoundException(
            f"ML input channel {arn} at '{field}' not found in collaboration {collaboration.collaboration_id}"
        )
    if channel.status != "ACTIVE":
        raise ValidationException(
            f"ML input channel {arn} at '{field}' is {channel.status}: only an ACTIVE channel can be used"
        )
    if now() >= channel.expires:
        raise ValidationException(
            f"ML input channel {arn} at '{field}' is past its retention of {channel.retention_in_days} days"
        )
    if association is not None and not channel.serves(association):
        raise ValidationException(
            f"ML input channel {arn} at '{field}' is not associated with configured model algorithm "
            f"association {association.arn}"
        )
    return channel


class InputChannelsBackend(CollaborationsBackend):
    def create_ml_input_channel(
        self,
        membership: Membership,
        configured_model_algorithm_associations: list[str],
        input_channel: dict[str, Any],
        name: str,
        retention_in_days: int,
        description: str | None = None,
        kms_key_arn: str | None = None,
        tags: dict[str, str] | None = None,
        payer_configuration: dict[str, Any] | None = None,
    ) -> InputChannel:
        collaboration = membership.collaboration
        if "CAN_QUERY" not in membership.abilities():
            # "Members with the ability to query data" create ML input channels.
            raise AccessDeniedException(
                f"Membership {membership.membership_id} cannot query (no CAN_QUERY ability), so it cannot "
                "create an ML input channel"
            )
        associations = [collaboration.association(arn) for arn in configured_model_algorithm_associations]
        sql = input_channel["dataSource"].get("protectedQueryInputParameters", {}).get("sqlParameters", {})
        given = [member for member in ("queryString", "analysisTemplateArn") if sql.get(member)]
        if len(given) != 1:
            raise ValidationException(
                "inputChannel.dataSource.protectedQueryInputParameters.sqlParameters needs exactly one of "
                f"queryString and analysisTemplateArn, not {len(given)}"
            )
        for member in ("computePayerAccountId", "syntheticDataPayerAccountId"):
            collaboration.check_member((payer_configuration or {}).get(member), f"payerConfiguration.{member}")
        tags = TAG_RULES.checked(tags)
        for other in collaboration.input_channels:
            if other.membership is membership and other.name == name:
                raise ConflictException(
                    f"An ML input channel named {name} already exists in membership {membership.membership_id}"
                )
        channel = InputChannel(
            self.membership_arn(membership, "ml-input-channel"),
            membership,
            associations,
            tags,
            name=name,
            input_channel=input_channel,
            retention_in_days=retention_in_days,
            description=description,
            kms_key_arn=kms_key_arn,
            payer_configuration=payer_configuration,
        )
        collaboration.input_channels.add(channel.arn, channel)
        self.track_job(channel)
        return channel

    def get_ml_input_channel(self, membership: Membership, ml_input_channel_arn: str) -> InputChannel:
        return created_in(
            membership,
            membership.collaboration.input_channels.get(ml_input_channel_arn),
            f"ML input channel {ml_input_channel_arn}",
        )

    def list_ml_input_channels(
        self, membership: Membership, max_results: int | None = None, next_token: str | None = None
    ) -> Page[InputChannel]:
        return page(
            membership.collaboration.input_channels,
            lambda channel: channel.membership is membership,
            max_results,
            next_token,
        )

    def get_collaboration_ml_input_channel(
        self, collaboration: Collaboration, ml_input_channel_arn: str
    ) -> InputChannel:
        channel = collaboration.input_channels.get(ml_input_channel_arn)
        if channel is None:
            raise ResourceNotFoundException(
                f"ML input channel {ml_input_channel_arn} not found in collaboration {collaboration.collaboration_id}"
            )
        return channel

    def list_collaboration_ml_input_channels(
        self, collaboration: Collaboration, max_results: int | None = None, next_token: str | None = None
    ) -> Page[InputChannel]:
        return page(collaboration.input_channels, None, max_results, next_token)

    def delete_ml_input_channel_data(self, membership: Membership, ml_input_channel_arn: str) -> None:
        channel = self.get_ml_input_channel(membership, ml_input_channel_arn)
        if channel.status not in HAS_DATA:
            raise ConflictException(
                f"ML input channel {channel.name} is {channel.status}: only the data of an ACTIVE or "
                "CREATE_FAILED channel can be deleted"
            )
        collaboration = membership.collaboration
        users: list[TrainedModel | InferenceJob] = [
            *(m for m in collaboration.trained_models if any(c["mlInputChannelArn"] == channel.arn for c in m.data_channels)),
            *(j for j in collaboration.inference_jobs if j.data_source["mlInputChannelArn"] == channel.arn),
        ]
        for user in users:
            if not user.is_finished:
                raise ConflictException(
                    f"ML input channel {channel.name} is in use by {user.name}, which is {user.status}"
                )
        channel.walk_on(DELETING_DATA)
        self.track_job(channel)
