"""Clean Rooms' collaborations and memberships, shared by the members' accounts (in both
modes), with moto still answering the rest of the host."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import Aws

CREATOR = "111111111111"
PARTNER = "222222222222"
OUTSIDER = "333333333333"
UNKNOWN = "deadbeef-0000-4000-8000-000000000000"
ML = {"customMLMemberAbilities": ["CAN_RECEIVE_MODEL_OUTPUT"]}


def code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return str(info.value.response["Error"]["Code"])


class Rooms:
    def __init__(self, aws: Aws) -> None:
        self.aws = aws
        self.creator = aws.client_for_account("cleanrooms", CREATOR)
        self.partner = aws.client_for_account("cleanrooms", PARTNER)
        self.outsider = aws.client_for_account("cleanrooms", OUTSIDER)

    def collaborate(self, name: str = "c", **extra: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "name": name,
            "description": "a collaboration",  # (required by older botocore models)
            "creatorDisplayName": "Creator",
            "creatorMemberAbilities": ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
            "queryLogStatus": "DISABLED",
            "members": [{"accountId": PARTNER, "displayName": "Partner", "memberAbilities": [], "mlMemberAbilities": ML}],
            **extra,
        }
        return dict(self.creator.create_collaboration(**params)["collaboration"])

    def join(self, client: Any, collaboration: str, **extra: Any) -> dict[str, Any]:
        made = client.create_membership(collaborationIdentifier=collaboration, queryLogStatus="DISABLED", **extra)
        return dict(made["membership"])


@pytest.fixture
def rooms(aws: Aws) -> Rooms:
    return Rooms(aws)


def test_a_collaboration_is_shared_with_its_members(rooms: Rooms) -> None:
    made = rooms.collaborate(description="ads", tags={"team": "ml"})
    assert (made["creatorAccountId"], made["memberStatus"], made["description"]) == (CREATOR, "INVITED", "ads")
    assert made["arn"] == f"arn:aws:cleanrooms:us-east-1:{CREATOR}:collaboration/{made['id']}"
    seen = rooms.partner.get_collaboration(collaborationIdentifier=made["id"])["collaboration"]
    assert (seen["name"], seen["memberStatus"], seen["creatorDisplayName"]) == ("c", "INVITED", "Creator")
    assert "membershipId" not in seen
    with pytest.raises(ClientError) as info:
        rooms.outsider.get_collaboration(collaborationIdentifier=made["id"])
    assert code(info) == "AccessDeniedException"
    assert rooms.outsider.list_collaborations()["collaborationList"] == []
    membership = rooms.join(rooms.partner, made["id"])
    assert membership["arn"] == f"arn:aws:cleanrooms:us-east-1:{PARTNER}:membership/{membership['id']}"
    assert (membership["status"], membership["memberAbilities"], membership["mlMemberAbilities"]) == ("ACTIVE", [], ML)
    seen = rooms.partner.get_collaboration(collaborationIdentifier=made["id"])["collaboration"]
    assert (seen["memberStatus"], seen["membershipId"]) == ("ACTIVE", membership["id"])
    # The creator has not joined yet: INVITED to its own collaboration.
    assert rooms.creator.get_collaboration(collaborationIdentifier=made["id"])["collaboration"]["memberStatus"] == "INVITED"
    listed = {m["accountId"]: m for m in rooms.creator.list_members(collaborationIdentifier=made["id"])["memberSummaries"]}
    assert listed[PARTNER]["status"] == "ACTIVE" and listed[PARTNER]["mlAbilities"] == ML
    assert listed[PARTNER]["membershipId"] == membership["id"]
    assert listed[CREATOR]["status"] == "INVITED" and listed[CREATOR]["abilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]
    assert rooms.creator.list_tags_for_resource(resourceArn=made["arn"])["tags"] == {"team": "ml"}


def test_memberships_are_their_accounts(rooms: Rooms) -> None:
    collaboration = rooms.collaborate()["id"]
    theirs = rooms.join(rooms.partner, collaboration)
    mine = rooms.join(rooms.creator, collaboration, tags={"k": "v"})
    assert mine["memberAbilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]
    assert [m["id"] for m in rooms.creator.list_memberships()["membershipSummaries"]] == [mine["id"]]
    assert [m["id"] for m in rooms.partner.list_memberships(status="ACTIVE")["membershipSummaries"]] == [theirs["id"]]
    assert rooms.partner.list_memberships(status="REMOVED")["membershipSummaries"] == []
    with pytest.raises(ClientError) as info:
        rooms.creator.get_membership(membershipIdentifier=theirs["id"])
    assert code(info) == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        rooms.creator.get_membership(membershipIdentifier=UNKNOWN)
    assert code(info) == "ResourceNotFoundException"
    assert info.value.response["Error"]["Message"] == f"Could not find membership with id {UNKNOWN}"
    # Joining twice, joining uninvited, joining nothing.
    with pytest.raises(ClientError) as info:
        rooms.join(rooms.partner, collaboration)
    assert code(info) == "ConflictException"
    with pytest.raises(ClientError) as info:
        rooms.join(rooms.outsider, collaboration)
    assert code(info) == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        rooms.join(rooms.outsider, UNKNOWN)
    assert code(info) == "ResourceNotFoundException"
    # Updating one's own membership.
    updated = rooms.partner.update_membership(membershipIdentifier=theirs["id"], queryLogStatus="ENABLED")
    assert updated["membership"]["queryLogStatus"] == "ENABLED"
    assert rooms.creator.list_tags_for_resource(resourceArn=mine["arn"])["tags"] == {"k": "v"}


def test_only_the_creator_changes_or_deletes_a_collaboration(rooms: Rooms) -> None:
    collaboration = rooms.collaborate()["id"]
    theirs = rooms.join(rooms.partner, collaboration)
    mine = rooms.join(rooms.creator, collaboration)
    for call in (
        lambda: rooms.partner.update_collaboration(collaborationIdentifier=collaboration, name="mine now"),
        lambda: rooms.partner.delete_collaboration(collaborationIdentifier=collaboration),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert code(info) == "AccessDeniedException"
    renamed = rooms.creator.update_collaboration(collaborationIdentifier=collaboration, name="renamed")
    assert renamed["collaboration"]["name"] == "renamed"
    assert rooms.partner.get_membership(membershipIdentifier=theirs["id"])["membership"]["collaborationName"] == "renamed"
    # The creator leaves only by deleting the collaboration.
    with pytest.raises(ClientError) as info:
        rooms.creator.delete_membership(membershipIdentifier=mine["id"])
    assert code(info) == "ConflictException"
    rooms.creator.delete_collaboration(collaborationIdentifier=collaboration)
    assert rooms.partner.list_collaborations()["collaborationList"] == []
    ended = rooms.partner.get_membership(membershipIdentifier=theirs["id"])["membership"]
    assert ended["status"] == "COLLABORATION_DELETED"
    with pytest.raises(ClientError) as info:
        rooms.partner.list_members(collaborationIdentifier=collaboration)
    assert code(info) == "ResourceNotFoundException"


def test_a_member_leaves(rooms: Rooms) -> None:
    collaboration = rooms.collaborate()["id"]
    theirs = rooms.join(rooms.partner, collaboration)
    rooms.partner.delete_membership(membershipIdentifier=theirs["id"])
    assert rooms.partner.get_membership(membershipIdentifier=theirs["id"])["membership"]["status"] == "REMOVED"
    for call in (
        lambda: rooms.partner.delete_membership(membershipIdentifier=theirs["id"]),
        lambda: rooms.partner.update_membership(membershipIdentifier=theirs["id"], queryLogStatus="ENABLED"),
        lambda: rooms.join(rooms.partner, collaboration),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert code(info) == "ConflictException"
    assert rooms.partner.list_collaborations(memberStatus="ACTIVE")["collaborationList"] == []


def test_collaboration_checks(rooms: Rooms) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"members": [{"accountId": CREATOR, "displayName": "me", "memberAbilities": []}]}, "more than once"),
        (
            {"members": [{"accountId": PARTNER, "displayName": "p", "memberAbilities": ["CAN_RECEIVE_RESULTS"]}]},
            "CAN_RECEIVE_RESULTS",
        ),
        ({"tags": {"aws:x": "1"}}, "aws:"),
    ]
    for extra, mention in cases:
        with pytest.raises(ClientError) as info:
            rooms.collaborate(**extra)
        assert code(info) == "ValidationException", extra
        assert mention in info.value.response["Error"]["Message"], extra
    assert rooms.creator.list_collaborations()["collaborationList"] == []
    collaboration = rooms.collaborate()["id"]
    with pytest.raises(ClientError) as info:
        rooms.join(rooms.partner, collaboration, paymentConfiguration={"queryCompute": {"isResponsible": False}})
    assert code(info) == "ValidationException"
    assert "isResponsible" in info.value.response["Error"]["Message"]


def test_lists_page(rooms: Rooms) -> None:
    made = [rooms.collaborate(name=f"c{i}")["id"] for i in range(5)]
    for collaboration in made:
        rooms.join(rooms.partner, collaboration)
    first = rooms.partner.list_collaborations(maxResults=2)
    rest = rooms.partner.list_collaborations(maxResults=3, nextToken=first["nextToken"])
    assert [c["id"] for c in first["collaborationList"] + rest["collaborationList"]] == made
    assert "nextToken" not in rest
    pages = rooms.partner.get_paginator("list_memberships").paginate(PaginationConfig={"PageSize": 2})
    assert [len(page["membershipSummaries"]) for page in pages] == [2, 2, 1]
    members = rooms.partner.list_members(collaborationIdentifier=made[0], maxResults=1)
    assert len(members["memberSummaries"]) == 1 and "nextToken" in members
    with pytest.raises(ClientError) as info:
        rooms.partner.list_collaborations(nextToken="not-a-token")
    assert code(info) == "ValidationException"


def test_moto_keeps_the_rest_of_the_host(rooms: Rooms) -> None:
    table = rooms.creator.create_configured_table(
        name="t",
        tableReference={"glue": {"tableName": "customers", "databaseName": "crm"}},
        allowedColumns=["id"],
        analysisMethod="DIRECT_QUERY",
        tags={"owner": "moto"},
    )["configuredTable"]
    assert rooms.creator.get_configured_table(configuredTableIdentifier=table["id"])["configuredTable"]["name"] == "t"
    assert rooms.creator.list_tags_for_resource(resourceArn=table["arn"])["tags"] == {"owner": "moto"}
    collaboration = rooms.collaborate()
    rooms.creator.tag_resource(resourceArn=collaboration["arn"], tags={"more": "x"})
    rooms.creator.untag_resource(resourceArn=collaboration["arn"], tagKeys=["more"])
    assert rooms.creator.list_tags_for_resource(resourceArn=collaboration["arn"])["tags"] == {}
    # A member's view of another account's collaboration ARN is not its to tag.
    with pytest.raises(ClientError) as info:
        rooms.partner.tag_resource(resourceArn=collaboration["arn"], tags={"x": "y"})
    assert code(info) == "ResourceNotFoundException"


def test_a_declared_collaboration_is_a_clean_rooms_one(aws: Aws) -> None:
    collaboration = "0a1b2c3d-0000-4000-8000-000000000001"
    membership = "aaaaaaaa-0000-4000-8000-00000000000a"
    aws.control.declare_collaboration(
        collaboration, {CREATOR: membership, PARTNER: "bbbbbbbb-0000-4000-8000-00000000000b"}, name="declared"
    )
    partner = aws.client_for_account("cleanrooms", PARTNER)
    seen = partner.get_collaboration(collaborationIdentifier=collaboration)["collaboration"]
    assert (seen["name"], seen["creatorAccountId"], seen["memberStatus"]) == ("declared", CREATOR, "ACTIVE")
    members = partner.list_members(collaborationIdentifier=collaboration)["memberSummaries"]
    assert [m["status"] for m in members] == ["ACTIVE", "ACTIVE"]
    assert all(m["mlAbilities"]["customMLMemberAbilities"] for m in members)
    creator = aws.client_for_account("cleanrooms", CREATOR)
    assert creator.get_membership(membershipIdentifier=membership)["membership"]["status"] == "ACTIVE"
    # Leaving a declared collaboration ends the member's Clean Rooms ML access too.
    partner.delete_membership(membershipIdentifier="bbbbbbbb-0000-4000-8000-00000000000b")
    ml = aws.client_for_account("cleanroomsml", PARTNER)
    with pytest.raises(ClientError) as info:
        ml.list_trained_models(membershipIdentifier="bbbbbbbb-0000-4000-8000-00000000000b")
    assert code(info) == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        ml.list_collaboration_trained_models(collaborationIdentifier=collaboration)
    assert code(info) == "AccessDeniedException"


def test_resource_groups_tagging_api_sees_collaborations_and_memberships(rooms: Rooms) -> None:
    table = rooms.creator.create_configured_table(
        name="t",
        tableReference={"glue": {"tableName": "customers", "databaseName": "crm"}},
        allowedColumns=["id"],
        analysisMethod="DIRECT_QUERY",
        tags={"owner": "moto"},
    )["configuredTable"]
    collaboration = rooms.collaborate(tags={"team": "ml"})
    mine = rooms.join(rooms.creator, collaboration["id"], tags={"team": "ads"})
    rooms.join(rooms.partner, collaboration["id"], tags={"team": "partner"})
    tagging = rooms.aws.client_for_account("resourcegroupstaggingapi", CREATOR)

    def mapping(**filters: Any) -> dict[str, dict[str, str]]:
        resources = tagging.get_resources(**filters)["ResourceTagMappingList"]
        return {r["ResourceARN"]: {t["Key"]: t["Value"] for t in r["Tags"]} for r in resources}

    # The partner's membership is the partner's account's, not listed here.
    assert mapping() == {table["arn"]: {"owner": "moto"}, collaboration["arn"]: {"team": "ml"}, mine["arn"]: {"team": "ads"}}
    assert mapping(ResourceTypeFilters=["cleanrooms:membership"]) == {mine["arn"]: {"team": "ads"}}
    failed = tagging.tag_resources(ResourceARNList=[collaboration["arn"], table["arn"]], Tags={"cost": "x"})
    assert failed["FailedResourcesMap"] == {}
    assert rooms.creator.list_tags_for_resource(resourceArn=collaboration["arn"])["tags"] == {"team": "ml", "cost": "x"}
    assert rooms.creator.list_tags_for_resource(resourceArn=table["arn"])["tags"] == {"owner": "moto", "cost": "x"}
    tagging.untag_resources(ResourceARNList=[collaboration["arn"]], TagKeys=["team"])
    assert rooms.creator.list_tags_for_resource(resourceArn=collaboration["arn"])["tags"] == {"cost": "x"}


def test_a_membership_payment_update_without_query_compute_changes_what_it_names(rooms: Rooms) -> None:
    collaboration = rooms.collaborate()["id"]
    theirs = rooms.join(rooms.partner, collaboration)
    ml = {"modelInference": {"isResponsible": False}}
    updated = rooms.partner.update_membership(
        membershipIdentifier=theirs["id"], membershipPaymentConfiguration={"machineLearning": ml}
    )["membership"]
    assert updated["paymentConfiguration"]["machineLearning"] == ml
    with pytest.raises(ClientError) as info:
        rooms.partner.update_membership(
            membershipIdentifier=theirs["id"],
            membershipPaymentConfiguration={"queryCompute": {"isResponsible": False}},
        )
    assert code(info) == "ValidationException"
