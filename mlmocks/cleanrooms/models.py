"""Clean Rooms' backend: one per account and region, over the region's shared
collaboration directory (``collaborations``), with tags on collaborations (their
creator's) and memberships (their member's). Everything else is moto's."""

from __future__ import annotations

import re

from mlmocks.core.tags import Tagged, TaggingBackend

from . import SPEC
from .collaborations import TAG_RULES, Collaboration, CollaborationsBackend, Membership, not_found

#: The ARN of a collaboration or a membership: the resources mlmocks owns on the host.
OWN_ARN = re.compile(
    r"arn:[^:]+:cleanrooms:(?P<region>[^:]*):(?P<account>[0-9]{12}):(?P<type>collaboration|membership)/(?P<id>[^/]+)"
)


class CleanRoomsBackend(CollaborationsBackend, TaggingBackend):
    TAG_RULES = TAG_RULES

    def taggable(self, arn: str) -> Tagged:
        match = OWN_ARN.fullmatch(arn)
        resource: Collaboration | Membership | None = None
        if match is not None and match["account"] == self.account_id and match["region"] == self.region_name:
            if match["type"] == "collaboration":
                resource = self.directory.collaborations.get(match["id"])
            else:
                resource = self.directory.memberships.get(match["id"])
        if resource is None or resource.arn != arn:
            kind = "MEMBERSHIP" if match is not None and match["type"] == "membership" else "COLLABORATION"
            raise not_found(kind, arn)
        return resource


cleanrooms_backends = SPEC.backend_dict(CleanRoomsBackend)
