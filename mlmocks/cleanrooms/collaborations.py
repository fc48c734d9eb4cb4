"""Collaborations, their members and memberships, as every member's account sees them.

A collaboration is created by one account (its creator, a member too) and lists the
accounts it invites, each with its abilities (``memberAbilities``) and ML abilities
(``mlMemberAbilities``). Each invited account joins by creating its membership, which
carries that member's own abilities, and leaves by deleting it. The collaborations and
memberships of a region live in its ``CollaborationDirectory``, one per region shared by
every account's backend there (a moto ``BackendDict`` of its own under moto's default
account, so moto's reset clears it), and every backend of the region takes the
directory's lock as its own: a call of any member's account, and Clean Rooms ML's calls
that read a membership, are serialized on it.

What Clean Rooms ML reads of a membership (``Membership``): ``membership_id``,
``account_id``, ``status``, ``collaboration`` (``collaboration_id``, ``name``,
``member(account)``, ``is_member(account)``), ``abilities()``, ``ml_abilities()``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BaseBackend

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.errors import ServiceError
from mlmocks.core.jobs import now
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.moto_compat import mock_random
from mlmocks.core.tags import TagRules

from . import SPEC
from .exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)

#: Who pays for queries where a member specification says nothing.
DEFAULT_PAYMENT = {"queryCompute": {"isResponsible": True}}
#: Page size of the List calls without maxResults (the model's documented maximum).
DEFAULT_MAX_RESULTS = 100
#: Abilities a declared collaboration gives every member (``declare_collaboration``).
EVERY_ML_ABILITY = ("CAN_RECEIVE_MODEL_OUTPUT", "CAN_RECEIVE_INFERENCE_OUTPUT")
#: Tags a Clean Rooms resource may carry (the TagMap's max).
MAX_TAGS = 200
TAG_RULES = TagRules(
    max_tags=MAX_TAGS,
    too_many=lambda arn, count: ValidationException(
        f"A resource can have at most {MAX_TAGS} tags, not {count}", reason="FIELD_VALIDATION_FAILED"
    ),
    reserved_prefix="aws:",
    reserved=lambda keys: ValidationException(
        f"Tag keys starting with aws: are reserved: {', '.join(keys)}", reason="FIELD_VALIDATION_FAILED"
    ),
)


def present(**members: Any) -> dict[str, Any]:
    return {name: value for name, value in members.items() if value is not None}


def not_found(resource_type: str, identifier: str) -> ServiceError:
    kind = resource_type.lower().replace("_", " ")
    return ResourceNotFoundException(
        f"Could not find {kind} with id {identifier}", resourceId=identifier, resourceType=resource_type
    )


class Member:
    """An account a collaboration lists, and what it may do there."""

    def __init__(
        self,
        account_id: str,
        display_name: str,
        abilities: list[str],
        ml_abilities: dict[str, Any] | None,
        payment_configuration: dict[str, Any] | None,
        at: datetime,
    ) -> None:
        self.account_id = account_id
        self.display_name = display_name
        self.abilities = abilities
        self.ml_abilities = ml_abilities
        self.payment_configuration = payment_configuration or DEFAULT_PAYMENT
        #: INVITED until the account creates its membership; then ACTIVE, LEFT or REMOVED.
        self.status = "INVITED"
        self.membership: Membership | None = None
        self.creation_time = self.update_time = at

    def summary(self) -> dict[str, Any]:
        membership = self.membership
        return present(
            accountId=self.account_id,
            status=self.status,
            displayName=self.display_name,
            abilities=self.abilities,
            mlAbilities=self.ml_abilities,
            createTime=self.creation_time,
            updateTime=self.update_time,
            membershipId=membership.membership_id if membership else None,
            membershipArn=membership.arn if membership else None,
            paymentConfiguration=self.payment_configuration,
        )


class Collaboration:
    def __init__(
        self,
        collaboration_id: str,
        arn: str,
        region: str,
        creator: Member,
        members: list[Member],
        *,
        name: str,
        description: str | None,
        query_log_status: str,
        job_log_status: str | None = None,
        data_encryption_metadata: dict[str, Any] | None = None,
        analytics_engine: str | None = None,
        auto_approved_change_types: list[str] | None = None,
        allowed_result_regions: list[str] | None = None,
        is_metrics_enabled: bool | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.collaboration_id = collaboration_id
        self.arn = arn
        self.region = region
        self.creator = creator
        #: Every listed account, the creator first.
        self.members: dict[str, Member] = {m.account_id: m for m in (creator, *members)}
        self.name = name
        self.description = description
        self.query_log_status = query_log_status
        self.job_log_status = job_log_status
        self.data_encryption_metadata = data_encryption_metadata
        self.analytics_engine = analytics_engine
        self.auto_approved_change_types = auto_approved_change_types
        self.allowed_result_regions = allowed_result_regions
        self.is_metrics_enabled = is_metrics_enabled
        self.tags = tags or {}
        self.creation_time = self.update_time = creator.creation_time
        self.deleted = False

    def member(self, account_id: str) -> Member | None:
        return self.members.get(account_id)

    def is_member(self, account_id: str) -> bool:
        """Whether the collaboration lists ``account_id`` (invited or joined)."""
        return account_id in self.members

    def summary_for(self, account_id: str) -> dict[str, Any]:
        """What ``account_id`` (a member) sees of the collaboration in a list."""
        member = self.members[account_id]
        membership = member.membership
        return present(
            id=self.collaboration_id,
            arn=self.arn,
            name=self.name,
            creatorAccountId=self.creator.account_id,
            creatorDisplayName=self.creator.display_name,
            createTime=self.creation_time,
            updateTime=self.update_time,
            memberStatus=member.status,
            membershipId=membership.membership_id if membership else None,
            membershipArn=membership.arn if membership else None,
            analyticsEngine=self.analytics_engine,
        )

    def detail_for(self, account_id: str) -> dict[str, Any]:
        return present(
            **self.summary_for(account_id),
            description=self.description,
            dataEncryptionMetadata=self.data_encryption_metadata,
            queryLogStatus=self.query_log_status,
            jobLogStatus=self.job_log_status,
            autoApprovedChangeTypes=self.auto_approved_change_types,
            allowedResultRegions=self.allowed_result_regions,
            isMetricsEnabled=self.is_metrics_enabled,
        )


class Membership:
    """One member's membership: its own abilities, settings and status."""

    def __init__(
        self,
        membership_id: str,
        arn: str,
        member: Member,
        collaboration: Collaboration,
        *,
        query_log_status: str,
        job_log_status: str | None = None,
        default_result_configuration: dict[str, Any] | None = None,
        default_job_result_configuration: dict[str, Any] | None = None,
        payment_configuration: dict[str, Any] | None = None,
        is_metrics_enabled: bool | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.membership_id = membership_id
        self.arn = arn
        self.member = member
        self.account_id = member.account_id
        self.collaboration = collaboration
        #: ACTIVE; REMOVED once deleted; COLLABORATION_DELETED once its collaboration is.
        self.status = "ACTIVE"
        self.query_log_status = query_log_status
        self.job_log_status = job_log_status
        self.default_result_configuration = default_result_configuration
        self.default_job_result_configuration = default_job_result_configuration
        self.payment_configuration = payment_configuration or member.payment_configuration
        self.is_metrics_enabled = is_metrics_enabled
        self.tags = tags or {}
        self.creation_time = self.update_time = now()

    def abilities(self) -> list[str]:
        """The member's abilities (CAN_QUERY, ...)."""
        return list(self.member.abilities)

    def ml_abilities(self) -> list[str]:
        """The member's custom ML abilities (CAN_RECEIVE_MODEL_OUTPUT, ...)."""
        return list((self.member.ml_abilities or {}).get("customMLMemberAbilities") or [])

    def summary(self) -> dict[str, Any]:
        collaboration = self.collaboration
        return present(
            id=self.membership_id,
            arn=self.arn,
            collaborationArn=collaboration.arn,
            collaborationId=collaboration.collaboration_id,
            collaborationCreatorAccountId=collaboration.creator.account_id,
            collaborationCreatorDisplayName=collaboration.creator.display_name,
            collaborationName=collaboration.name,
            createTime=self.creation_time,
            updateTime=self.update_time,
            status=self.status,
            memberAbilities=self.member.abilities,
            mlMemberAbilities=self.member.ml_abilities,
            paymentConfiguration=self.payment_configuration,
        )

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(),
            queryLogStatus=self.query_log_status,
            jobLogStatus=self.job_log_status,
            defaultResultConfiguration=self.default_result_configuration,
            defaultJobResultConfiguration=self.default_job_result_configuration,
            isMetricsEnabled=self.is_metrics_enabled,
        )


class CollaborationDirectory(BaseBackend):
    """The collaborations and memberships of one region, shared by every account's backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.lock = threading.RLock()
        self.collaborations: Store[Collaboration] = Store()  # by id
        self.memberships: Store[Membership] = Store()  # by id

    def add_membership(self, membership: Membership) -> None:
        member = membership.member
        member.membership = membership
        member.status = "ACTIVE"
        member.update_time = membership.creation_time
        self.memberships.add(membership.membership_id, membership)


# Not an account's state: one directory per region, under moto's default account.
collaboration_directories = SPEC.backend_dict(CollaborationDirectory)


def directory(region: str) -> CollaborationDirectory:
    """The region's directory (KeyError: a region without Clean Rooms)."""
    return collaboration_directories[DEFAULT_ACCOUNT_ID][region]


def _uuid() -> str:
    return str(mock_random.uuid4())


def _page(store: Store[Any], where: Any, max_results: int | None, next_token: str | None) -> Page[Any]:
    return paginate(
        store,
        sort_name="createTime",
        sort_key=lambda item: item.creation_time,
        descending=False,
        where=where,
        max_results=max_results or DEFAULT_MAX_RESULTS,
        next_token=next_token,
    )


class CollaborationsBackend(ServiceBackend):
    """Collaboration and membership operations of one account in one region."""

    ARN_SERVICE = "cleanrooms"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        # Collaborations are shared across accounts: guard them with one lock.
        self.lock = self.directory.lock

    @property
    def directory(self) -> CollaborationDirectory:
        return directory(self.region_name)

    # -- creating (also what declare_collaboration does) -------------------------------------

    def new_collaboration(
        self,
        collaboration_id: str,
        creator: Member,
        members: list[Member],
        **settings: Any,
    ) -> Collaboration:
        collaboration = Collaboration(
            collaboration_id,
            self.arn(f"collaboration/{collaboration_id}"),
            self.region_name,
            creator,
            members,
            **settings,
        )
        self.directory.collaborations.add(collaboration_id, collaboration)
        return collaboration

    def new_membership(self, membership_id: str, collaboration: Collaboration, **settings: Any) -> Membership:
        member = collaboration.members[self.account_id]
        membership = Membership(
            membership_id, self.arn(f"membership/{membership_id}"), member, collaboration, **settings
        )
        self.directory.add_membership(membership)
        return membership

    # -- collaborations --------------------------------------------------------------------

    def create_collaboration(
        self,
        members: list[dict[str, Any]],
        name: str,
        creator_member_abilities: list[str],
        creator_display_name: str,
        query_log_status: str,
        description: str | None = None,
        creator_ml_member_abilities: dict[str, Any] | None = None,
        data_encryption_metadata: dict[str, Any] | None = None,
        job_log_status: str | None = None,
        tags: dict[str, str] | None = None,
        creator_payment_configuration: dict[str, Any] | None = None,
        analytics_engine: str | None = None,
        auto_approved_change_request_types: list[str] | None = None,
        allowed_result_regions: list[str] | None = None,
        is_metrics_enabled: bool | None = None,
    ) -> Collaboration:
        at = now()
        accounts = [self.account_id]
        for index, spec in enumerate(members, start=1):
            if spec["accountId"] in accounts:
                raise ValidationException(
                    f"members.{index}.accountId: account {spec['accountId']} is listed more than once "
                    "(the creator is a member already)",
                    reason="FIELD_VALIDATION_FAILED",
                )
            accounts.append(spec["accountId"])
        receivers = [a for a in creator_member_abilities if a == "CAN_RECEIVE_RESULTS"] + [
            spec["accountId"] for spec in members if "CAN_RECEIVE_RESULTS" in spec["memberAbilities"]
        ]
        if len(receivers) > 1:
            raise ValidationException(
                "Only one member of a collaboration can have the CAN_RECEIVE_RESULTS ability",
                reason="INVALID_CONFIGURATION",
            )
        creator = Member(
            self.account_id,
            creator_display_name,
            creator_member_abilities,
            creator_ml_member_abilities,
            creator_payment_configuration,
            at,
        )
        invited = [
            Member(
                spec["accountId"],
                spec["displayName"],
                spec["memberAbilities"],
                spec.get("mlMemberAbilities"),
                spec.get("paymentConfiguration"),
                at,
            )
            for spec in members
        ]
        return self.new_collaboration(
            _uuid(),
            creator,
            invited,
            name=name,
            description=description,
            query_log_status=query_log_status,
            job_log_status=job_log_status,
            data_encryption_metadata=data_encryption_metadata,
            analytics_engine=analytics_engine,
            auto_approved_change_types=auto_approved_change_request_types,
            allowed_result_regions=allowed_result_regions,
            is_metrics_enabled=is_metrics_enabled,
            tags=TAG_RULES.checked(tags),
        )

    def get_collaboration(self, collaboration_identifier: str) -> Collaboration:
        """A collaboration that lists the caller (unknown ones and others' are denied:
        GetCollaboration models no ResourceNotFoundException)."""
        collaboration = self.directory.collaborations.get(collaboration_identifier)
        if collaboration is None or collaboration.deleted or not collaboration.is_member(self.account_id):
            raise AccessDeniedException(
                f"Account {self.account_id} has no access to collaboration {collaboration_identifier}",
                reason="INSUFFICIENT_PERMISSIONS",
            )
        return collaboration

    def list_collaborations(
        self, next_token: str | None = None, max_results: int | None = None, member_status: str | None = None
    ) -> Page[Collaboration]:
        account = self.account_id

        def wanted(collaboration: Collaboration) -> bool:
            member = collaboration.member(account)
            if collaboration.deleted or member is None:
                return False
            if member_status is None:
                return member.status in ("INVITED", "ACTIVE")
            return member.status == member_status

        return _page(self.directory.collaborations, wanted, max_results, next_token)

    def _created(self, collaboration_identifier: str) -> Collaboration:
        collaboration = self.get_collaboration(collaboration_identifier)
        if collaboration.creator.account_id != self.account_id:
            raise AccessDeniedException(
                f"Only the creator of collaboration {collaboration_identifier} may change it",
                reason="INSUFFICIENT_PERMISSIONS",
            )
        return collaboration

    def update_collaboration(
        self,
        collaboration_identifier: str,
        name: str | None = None,
        description: str | None = None,
        analytics_engine: str | None = None,
    ) -> Collaboration:
        collaboration = self._created(collaboration_identifier)
        if name is not None:
            collaboration.name = name
        if description is not None:
            collaboration.description = description
        if analytics_engine is not None:
            collaboration.analytics_engine = analytics_engine
        collaboration.update_time = now()
        return collaboration

    def delete_collaboration(self, collaboration_identifier: str) -> None:
        """Every membership of it ends (COLLABORATION_DELETED): no member can make
        anything in it any more."""
        collaboration = self._created(collaboration_identifier)
        collaboration.deleted = True
        at = now()
        for member in collaboration.members.values():
            if member.membership is not None and member.membership.status == "ACTIVE":
                member.membership.status = "COLLABORATION_DELETED"
                member.membership.update_time = at
        self.directory.collaborations.remove(collaboration.collaboration_id)

    def list_members(
        self, collaboration_identifier: str, next_token: str | None = None, max_results: int | None = None
    ) -> Page[Member]:
        collaboration = self.directory.collaborations.get(collaboration_identifier)
        if collaboration is None or collaboration.deleted:
            raise not_found("COLLABORATION", collaboration_identifier)
        if not collaboration.is_member(self.account_id):
            raise AccessDeniedException(
                f"Account {self.account_id} is not a member of collaboration {collaboration_identifier}",
                reason="INSUFFICIENT_PERMISSIONS",
            )
        members: Store[Member] = Store()
        for account, member in collaboration.members.items():
            members.add(account, member)
        return _page(members, None, max_results, next_token)

    # -- memberships -----------------------------------------------------------------------

    def create_membership(
        self,
        collaboration_identifier: str,
        query_log_status: str,
        job_log_status: str | None = None,
        tags: dict[str, str] | None = None,
        default_result_configuration: dict[str, Any] | None = None,
        default_job_result_configuration: dict[str, Any] | None = None,
        payment_configuration: dict[str, Any] | None = None,
        is_metrics_enabled: bool | None = None,
    ) -> Membership:
        collaboration = self.directory.collaborations.get(collaboration_identifier)
        if collaboration is None or collaboration.deleted:
            raise not_found("COLLABORATION", collaboration_identifier)
        member = collaboration.member(self.account_id)
        if member is None:
            raise AccessDeniedException(
                f"Account {self.account_id} is not invited to collaboration {collaboration_identifier}",
                reason="INSUFFICIENT_PERMISSIONS",
            )
        if member.status != "INVITED":
            raise ConflictException(
                f"Account {self.account_id} is {member.status} in collaboration {collaboration_identifier}: "
                "it can create a membership only once, while invited",
                resourceId=collaboration_identifier,
                resourceType="COLLABORATION",
                reason="ALREADY_EXISTS" if member.status == "ACTIVE" else "INVALID_STATE",
            )
        _check_payment(member, payment_configuration)
        return self.new_membership(
            _uuid(),
            collaboration,
            query_log_status=query_log_status,
            job_log_status=job_log_status,
            default_result_configuration=default_result_configuration,
            default_job_result_configuration=default_job_result_configuration,
            payment_configuration=payment_configuration,
            is_metrics_enabled=is_metrics_enabled,
            tags=TAG_RULES.checked(tags),
        )

    def get_membership(self, membership_identifier: str) -> Membership:
        membership = self.directory.memberships.get(membership_identifier)
        if membership is None:
            raise not_found("MEMBERSHIP", membership_identifier)
        if membership.account_id != self.account_id:
            raise AccessDeniedException(
                f"Membership {membership_identifier} does not belong to account {self.account_id}",
                reason="INSUFFICIENT_PERMISSIONS",
            )
        return membership

    def list_memberships(
        self, next_token: str | None = None, max_results: int | None = None, status: str | None = None
    ) -> Page[Membership]:
        account = self.account_id
        return _page(
            self.directory.memberships,
            lambda m: m.account_id == account and (status is None or m.status == status),
            max_results,
            next_token,
        )

    def _active(self, membership_identifier: str) -> Membership:
        membership = self.get_membership(membership_identifier)
        if membership.status != "ACTIVE":
            raise ConflictException(
                f"Membership {membership_identifier} is {membership.status}",
                resourceId=membership_identifier,
                resourceType="MEMBERSHIP",
                reason="INVALID_STATE",
            )
        return membership

    def update_membership(
        self,
        membership_identifier: str,
        query_log_status: str | None = None,
        job_log_status: str | None = None,
        default_result_configuration: dict[str, Any] | None = None,
        default_job_result_configuration: dict[str, Any] | None = None,
        membership_payment_configuration: dict[str, Any] | None = None,
    ) -> Membership:
        membership = self._active(membership_identifier)
        if membership_payment_configuration is not None:
            _check_payment(membership.member, membership_payment_configuration)
        changes = {
            "query_log_status": query_log_status,
            "job_log_status": job_log_status,
            "default_result_configuration": default_result_configuration,
            "default_job_result_configuration": default_job_result_configuration,
            # What the update names replaces the membership's; the rest stays.
            "payment_configuration": None
            if membership_payment_configuration is None
            else {**membership.payment_configuration, **membership_payment_configuration},
        }
        for attribute, value in changes.items():
            if value is not None:
                setattr(membership, attribute, value)
        membership.update_time = now()
        return membership

    def delete_membership(self, membership_identifier: str) -> None:
        """The member leaves: its membership is REMOVED (and lists so), its member LEFT.
        The creator leaves only by deleting the collaboration."""
        membership = self._active(membership_identifier)
        collaboration = membership.collaboration
        if collaboration.creator is membership.member:
            raise ConflictException(
                f"The creator of collaboration {collaboration.collaboration_id} cannot delete its membership: "
                "delete the collaboration instead",
                resourceId=membership_identifier,
                resourceType="MEMBERSHIP",
                reason="INVALID_STATE",
            )
        at = now()
        membership.status = "REMOVED"
        membership.update_time = at
        membership.member.status = "LEFT"
        membership.member.update_time = at


def _check_payment(member: Member, configuration: Mapping[str, Any] | None) -> None:
    """A membership pays for queries exactly when its member specification says it does."""
    if configuration is None or configuration.get("queryCompute") is None:
        return  # UpdateMembership may leave queryCompute out
    responsible = bool(configuration["queryCompute"]["isResponsible"])
    expected = bool(member.payment_configuration["queryCompute"]["isResponsible"])
    if responsible != expected:
        raise ValidationException(
            f"paymentConfiguration.queryCompute.isResponsible is {str(responsible).lower()}, but the "
            f"collaboration says account {member.account_id} is {'' if expected else 'not '}responsible "
            "for query compute",
            reason="INVALID_CONFIGURATION",
        )
