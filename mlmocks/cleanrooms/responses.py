"""Clean Rooms' collaboration and membership operations (and tags on their ARNs); every
other request on the host goes to moto's Clean Rooms."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ValidationException
from .models import OWN_ARN, CleanRoomsBackend, cleanrooms_backends


class CleanRoomsResponse(TagOperations, ServiceResponse[CleanRoomsBackend]):
    SERVICE = "cleanrooms"
    BACKENDS = cleanrooms_backends
    VALIDATION_ERROR = ValidationException
    MOTO_SERVICE = "cleanrooms"
    TAG_MEMBERS = None  # a map

    # Tags exist on both sides of the host: ours only for collaborations and memberships.
    SHARED_OPERATIONS = frozenset({"TagResource", "UntagResource", "ListTagsForResource"})

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        # The ARN is the path's label: /tags/{resourceArn}.
        arn = unquote(self.path.partition("/tags/")[2])
        return OWN_ARN.fullmatch(arn) is not None

    # -- collaborations ----------------------------------------------------------------

    def create_collaboration(self, **params: Any) -> dict[str, Any]:
        collaboration = self.backend.create_collaboration(**params)
        return {"collaboration": collaboration.detail_for(self.current_account)}

    def get_collaboration(self, collaboration_identifier: str) -> dict[str, Any]:
        collaboration = self.backend.get_collaboration(collaboration_identifier)
        return {"collaboration": collaboration.detail_for(self.current_account)}

    def list_collaborations(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_collaborations(**params)
        return {
            "collaborationList": [c.summary_for(self.current_account) for c in page.items],
            "nextToken": page.next_token,
        }

    def update_collaboration(self, **params: Any) -> dict[str, Any]:
        collaboration = self.backend.update_collaboration(**params)
        return {"collaboration": collaboration.detail_for(self.current_account)}

    def delete_collaboration(self, collaboration_identifier: str) -> dict[str, Any]:
        self.backend.delete_collaboration(collaboration_identifier)
        return {}

    def list_members(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_members(**params)
        return {"memberSummaries": [m.summary() for m in page.items], "nextToken": page.next_token}

    # -- memberships -------------------------------------------------------------------

    def create_membership(self, **params: Any) -> dict[str, Any]:
        return {"membership": self.backend.create_membership(**params).detail()}

    def get_membership(self, membership_identifier: str) -> dict[str, Any]:
        return {"membership": self.backend.get_membership(membership_identifier).detail()}

    def list_memberships(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_memberships(**params)
        return {"membershipSummaries": [m.summary() for m in page.items], "nextToken": page.next_token}

    def update_membership(self, **params: Any) -> dict[str, Any]:
        return {"membership": self.backend.update_membership(**params).detail()}

    def delete_membership(self, membership_identifier: str) -> dict[str, Any]:
        self.backend.delete_membership(membership_identifier)
        return {}

    # -- tags: TagOperations (collaborations' and memberships' only) --------------------


RESPONSE_CLASS = CleanRoomsResponse
