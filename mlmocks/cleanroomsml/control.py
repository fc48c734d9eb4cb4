"""What a test author sets up outside Clean Rooms ML's API: the collaborations and
memberships of the Clean Rooms service (``ServiceSpec.control_methods``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlmocks.core.control import ControlError

from .collaborations import Collaboration, directory

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ACCOUNT = re.compile(r"[0-9]{12}")


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
        declared_in = directory(region)
    except KeyError:
        raise ControlError(f"unknown region {region!r}") from None
    with declared_in.lock:
        existing = declared_in.collaborations.get(collaboration_id)
        if existing is not None:
            if existing.members() == dict(members):
                return existing.detail()  # declaring the same collaboration again changes nothing
            raise ControlError(f"collaboration {collaboration_id} is already declared with other members")
        for membership_id in members.values():
            if membership_id in declared_in.memberships:
                other = declared_in.memberships[membership_id].collaboration.collaboration_id
                raise ControlError(f"membership {membership_id} already belongs to collaboration {other}")
        collaboration = Collaboration(collaboration_id, declared_in.region_name, name or collaboration_id, members)
        declared_in.add(collaboration)
        return collaboration.detail()
