"""What a test author sets up without the Clean Rooms calls: a collaboration whose
members have all joined (``ServiceSpec.control_methods``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlmocks.core.control import ControlError
from mlmocks.core.jobs import now

from .collaborations import EVERY_ML_ABILITY, Collaboration, Member, directory
from .models import cleanrooms_backends

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCOUNT = re.compile(r"[0-9]{12}")


def _members(collaboration: Collaboration) -> dict[str, str]:
    return {
        account: member.membership.membership_id
        for account, member in collaboration.members.items()
        if member.membership is not None
    }


def _declared(collaboration: Collaboration) -> dict[str, Any]:
    return {
        "collaborationId": collaboration.collaboration_id,
        "name": collaboration.name,
        "region": collaboration.region,
        "members": _members(collaboration),
    }


def declare_collaboration(
    collaboration_id: str,
    members: Mapping[str, str],
    region: str = "us-east-1",
    name: str | None = None,
) -> dict[str, Any]:
    """Declare a Clean Rooms collaboration in ``region``: ``members`` maps each member's
    account id to its membership id (ids are lowercase UUIDs). The first member created
    it; every member has joined (an ACTIVE membership) with every ML ability
    (CAN_RECEIVE_MODEL_OUTPUT, CAN_RECEIVE_INFERENCE_OUTPUT) and can query (so create ML
    input channels), and the creator receives query results. It is the collaboration the Clean Rooms calls would make
    (GetCollaboration, ListMembers, GetMembership show it). Declaring the same
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
        declared_in = directory(region)
    except KeyError:
        raise ControlError(f"unknown region {region!r}") from None
    with declared_in.lock:
        existing = declared_in.collaborations.get(collaboration_id)
        if existing is not None:
            if _members(existing) == dict(members):
                return _declared(existing)  # declaring the same collaboration again changes nothing
            raise ControlError(f"collaboration {collaboration_id} is already declared with other members")
        for membership_id in members.values():
            other = declared_in.memberships.get(membership_id)
            if other is not None:
                raise ControlError(
                    f"membership {membership_id} already belongs to collaboration "
                    f"{other.collaboration.collaboration_id}"
                )
        accounts = list(members)
        creator_account = accounts[0]
        backend = cleanrooms_backends[creator_account][region]
        display_name = name or collaboration_id

        def member(account: str, abilities: list[str]) -> Member:
            ml = {"customMLMemberAbilities": list(EVERY_ML_ABILITY)}
            return Member(account, account, abilities, ml, None, now())

        collaboration = backend.new_collaboration(
            collaboration_id,
            member(creator_account, ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]),
            [member(account, ["CAN_QUERY"]) for account in accounts[1:]],
            name=display_name,
            description=None,
            query_log_status="DISABLED",
        )
        for account, membership_id in members.items():
            cleanrooms_backends[account][region].new_membership(
                membership_id, collaboration, query_log_status="DISABLED"
            )
        return _declared(collaboration)
