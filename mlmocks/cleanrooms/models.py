"""Clean Rooms' backend: one per account and region, over the region's shared
collaboration directory (``collaborations``), with tags on collaborations (their
creator's) and memberships (their member's), which moto's Resource Groups Tagging API
lists, tags and untags beside moto's configured tables. Everything else is moto's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from moto.core.resource_tagging import TaggableResourcesMixin, TaggedResource

from mlmocks.core.tags import Tagged, TaggingBackend

from . import SPEC
from .collaborations import TAG_RULES, Collaboration, CollaborationsBackend, Membership, not_found

#: The ARN of a collaboration or a membership: the resources mlmocks owns on the host.
OWN_ARN = re.compile(
    r"arn:[^:]+:cleanrooms:(?P<region>[^:]*):(?P<account>[0-9]{12}):(?P<type>collaboration|membership)/(?P<id>[^/]+)"
)


class CleanRoomsBackend(CollaborationsBackend, TaggingBackend, TaggableResourcesMixin):
    TAG_RULES = TAG_RULES
    #: moto's Resource Groups Tagging API lists our resources beside moto's Clean Rooms ones.
    SERVICE_NAMESPACE = "cleanrooms"

    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        # A snapshot: moto keeps this iterator between pages, so it must not hold the lock.
        with self.lock:
            directory = self.directory
            collaborations = [
                TaggedResource(c.arn, dict(c.tags), "cleanrooms:collaboration")
                for c in directory.collaborations
                if c.creator.account_id == self.account_id
            ]
            memberships = [
                TaggedResource(m.arn, dict(m.tags), "cleanrooms:membership")
                for m in directory.memberships
                if m.account_id == self.account_id
            ]
        return iter(collaborations + memberships)

    def owns_arn(self, arn: str) -> bool:
        # moto's Clean Rooms claims every other Clean Rooms ARN (configured tables).
        return OWN_ARN.fullmatch(arn) is not None

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
