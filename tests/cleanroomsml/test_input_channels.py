"""ML input channels: lifecycle, views, lists, deletion, checks, and what trained models
and inference jobs require of them (both modes)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from mlmocks import mock_mljobs
from tests.cleanroomsml.conftest import (
    COLLABORATION,
    INPUT_CHANNEL,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    OUTSIDER,
    TRAINED_MODEL,
    A,
    B,
    Collab,
    channel_source,
    error_code,
    input_channel,
)
from tests.modes import Aws


def _get(collab: Collab, arn: str) -> dict[str, Any]:
    return dict(collab.a.get_ml_input_channel(membershipIdentifier=MEMBERSHIP_A, mlInputChannelArn=arn))


def test_a_channel_walks_its_statuses_and_reports_its_data(collab: Collab) -> None:
    association = collab.association()
    collab.manual(INPUT_CHANNEL)
    arn = collab.channel(
        association,
        name="customers",
        description="last year's customers",
        kmsKeyArn=f"arn:aws:kms:us-east-1:{A}:key/k",
        tags={"team": "ml"},
        payerConfiguration={"computePayerAccountId": B},
    )
    assert arn.startswith(f"arn:aws:cleanrooms-ml:us-east-1:{A}:membership/{MEMBERSHIP_A}/ml-input-channel/")
    seen = [_get(collab, arn)]
    for _ in range(2):
        collab.aws.control.advance(INPUT_CHANNEL, arn)
        seen.append(_get(collab, arn))
    assert [c["status"] for c in seen] == ["CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"]
    assert "protectedQueryIdentifier" not in seen[0] and "numberOfRecords" not in seen[1]
    active = seen[2]
    assert uuid.UUID(active["protectedQueryIdentifier"])
    assert active["numberOfRecords"] > 0 and active["numberOfFiles"] >= 1 and active["sizeInGb"] > 0
    assert active["configuredModelAlgorithmAssociations"] == [association]
    assert active["inputChannel"] == channel_source(account=A)
    assert (active["retentionInDays"], active["name"], active["description"]) == (30, "customers", "last year's customers")
    assert (active["collaborationIdentifier"], active["membershipIdentifier"]) == (COLLABORATION, MEMBERSHIP_A)
    assert active["tags"] == {"team": "ml"} and active["payerConfiguration"] == {"computePayerAccountId": B}
    # What the other member sees: no query, key, tags or files.
    other = collab.b.get_collaboration_ml_input_channel(collaborationIdentifier=COLLABORATION, mlInputChannelArn=arn)
    assert other["creatorAccountId"] == A and other["numberOfRecords"] == active["numberOfRecords"]
    for hidden in ("inputChannel", "kmsKeyArn", "tags", "numberOfFiles", "protectedQueryIdentifier"):
        assert hidden not in other
    assert collab.a.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "ml"}


def test_a_channel_can_fail(collab: Collab) -> None:
    collab.aws.control.fail(INPUT_CHANNEL, "the protected query returned no rows", job="empty")
    arn = collab.channel(name="empty")
    channel = _get(collab, arn)
    assert (channel["status"], channel["statusDetails"]) == (
        "CREATE_FAILED",
        {"message": "the protected query returned no rows"},
    )
    assert "numberOfRecords" not in channel
    with pytest.raises(ClientError) as info:
        collab.train(dataChannels=[{"mlInputChannelArn": arn, "channelName": "train"}])
    assert error_code(info) == "ValidationException"
    assert "CREATE_FAILED" in info.value.response["Error"]["Message"]


def test_deleting_the_data_walks_the_delete_statuses(collab: Collab) -> None:
    arn = collab.channel(name="to-delete")
    assert _get(collab, arn)["status"] == "ACTIVE"
    collab.manual(INPUT_CHANNEL)
    collab.a.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP_A, mlInputChannelArn=arn)
    statuses = [_get(collab, arn)["status"]]
    for _ in range(2):
        collab.aws.control.advance(INPUT_CHANNEL, "to-delete")
        statuses.append(_get(collab, arn)["status"])
    assert statuses == ["DELETE_PENDING", "DELETE_IN_PROGRESS", "INACTIVE"]
    assert "numberOfRecords" not in _get(collab, arn)
    with pytest.raises(ClientError) as info:
        collab.a.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP_A, mlInputChannelArn=arn)
    assert error_code(info) == "ConflictException"
    with pytest.raises(ClientError) as info:
        collab.train(dataChannels=[{"mlInputChannelArn": arn, "channelName": "train"}])
    assert error_code(info) == "ValidationException" and "INACTIVE" in info.value.response["Error"]["Message"]


def test_a_channel_in_use_keeps_its_data(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    model = collab.train()["trainedModelArn"]
    channel = collab.channel()
    with pytest.raises(ClientError) as info:
        collab.a.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP_A, mlInputChannelArn=channel)
    assert error_code(info) == "ConflictException" and "in use" in info.value.response["Error"]["Message"]
    collab.aws.control.advance(TRAINED_MODEL, model, steps=2)
    collab.a.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP_A, mlInputChannelArn=channel)


def test_only_the_creator_reaches_a_channel_through_its_membership(collab: Collab) -> None:
    arn = collab.channel()
    for call in (
        lambda: collab.b.get_ml_input_channel(membershipIdentifier=MEMBERSHIP_B, mlInputChannelArn=arn),
        lambda: collab.b.delete_ml_input_channel_data(membershipIdentifier=MEMBERSHIP_B, mlInputChannelArn=arn),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "ResourceNotFoundException"
    assert collab.b.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_B)["mlInputChannelsList"] == []
    with pytest.raises(ClientError) as info:
        collab.outsider.list_collaboration_ml_input_channels(collaborationIdentifier=COLLABORATION)
    assert error_code(info) == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        collab.b.get_collaboration_ml_input_channel(
            collaborationIdentifier=COLLABORATION, mlInputChannelArn=input_channel()
        )
    assert error_code(info) == "ResourceNotFoundException"


def test_channels_list_newest_first_and_page(collab: Collab) -> None:
    association = collab.association()
    made = [collab.channel(association, name=f"channel-{i}") for i in range(5)]
    b_made = collab.channel(association, collab.b, MEMBERSHIP_B, name="b-channel")
    mine = collab.a.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_A)["mlInputChannelsList"]
    assert [c["mlInputChannelArn"] for c in mine] == list(reversed(made))
    assert all("creatorAccountId" not in c and c["status"] == "ACTIVE" for c in mine)
    first = collab.a.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_A, maxResults=2)
    rest = collab.a.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_A, nextToken=first["nextToken"])
    assert [c["name"] for c in first["mlInputChannelsList"] + rest["mlInputChannelsList"]] == [
        f"channel-{i}" for i in reversed(range(5))
    ]
    everyone = collab.a.get_paginator("list_collaboration_ml_input_channels").paginate(
        collaborationIdentifier=COLLABORATION, PaginationConfig={"PageSize": 4}
    )
    listed = [c for page in everyone for c in page["collaborationMLInputChannelsList"]]
    assert [c["mlInputChannelArn"] for c in listed] == [b_made, *reversed(made)]
    assert [c["creatorAccountId"] for c in listed] == [B] + [A] * 5


def test_create_channel_checks(collab: Collab) -> None:
    association = collab.association()
    collab.channel(association, name="taken")
    query_and_template = channel_source()
    query_and_template["dataSource"]["protectedQueryInputParameters"]["sqlParameters"]["analysisTemplateArn"] = (
        f"arn:aws:cleanrooms:us-east-1:{A}:membership/{MEMBERSHIP_A}/analysistemplate/t1"
    )
    neither = channel_source(query="")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"name": "taken"}, "ConflictException", "taken"),
        ({"configuredModelAlgorithmAssociations": [association[:-12] + "000000000000"]}, "ResourceNotFoundException",
         "association"),
        ({"inputChannel": query_and_template}, "ValidationException", "exactly one"),
        ({"inputChannel": neither}, "ValidationException", "exactly one"),
        ({"payerConfiguration": {"computePayerAccountId": OUTSIDER}}, "ValidationException",
         "payerConfiguration.computePayerAccountId"),
        ({"retentionInDays": 31}, "ValidationException", "retentionInDays"),
        ({"tags": {"aws:x": "1"}}, "ValidationException", "aws:"),
    ]
    client = collab.aws.client_for_account("cleanroomsml", A, validate=False)
    for extra, code, mention in cases:
        params: dict[str, Any] = {
            "membershipIdentifier": MEMBERSHIP_A,
            "configuredModelAlgorithmAssociations": [association],
            "inputChannel": channel_source(),
            "name": "new",
            "retentionInDays": 30,
            **extra,
        }
        with pytest.raises(ClientError) as info:
            client.create_ml_input_channel(**params)
        assert error_code(info) == code, extra
        assert mention in info.value.response["Error"]["Message"], extra
    names = [c["name"] for c in collab.a.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_A)["mlInputChannelsList"]]
    assert names == ["taken"]


def test_an_inference_job_scores_an_active_channel(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    collab.manual(INPUT_CHANNEL)
    pending = collab.channel(client=collab.b, membership=MEMBERSHIP_B, name="pending")
    with pytest.raises(ClientError) as info:
        collab.infer(model, dataSource={"mlInputChannelArn": pending})
    assert error_code(info) == "ValidationException"
    assert "dataSource.mlInputChannelArn" in info.value.response["Error"]["Message"]


def test_a_channel_past_its_retention_cannot_be_used(decorator_aws: Aws) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        decorator_aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A, B: MEMBERSHIP_B})
        collab = Collab(
            decorator_aws,
            a=decorator_aws.client_for_account("cleanroomsml", A),
            b=decorator_aws.client_for_account("cleanroomsml", B),
            outsider=decorator_aws.client_for_account("cleanroomsml", OUTSIDER),
        )
        association = collab.association()
        short = collab.channel(association, name="short", retentionInDays=1)
        assert _get(collab, short)["status"] == "ACTIVE"
        collab.train(association, name="in-time", dataChannels=[{"mlInputChannelArn": short, "channelName": "t"}])
        clock.tick(timedelta(days=1, seconds=1))
        with pytest.raises(ClientError) as info:
            collab.train(association, name="late", dataChannels=[{"mlInputChannelArn": short, "channelName": "t"}])
        assert error_code(info) == "ValidationException"
        assert "retention of 1 days" in info.value.response["Error"]["Message"]


def test_mock_reset_forgets_channels() -> None:
    with mock_mljobs():
        from mlmocks import job_control

        job_control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A})
    with mock_mljobs():
        import boto3

        client = boto3.client("cleanroomsml", region_name="us-east-1")
        with pytest.raises(ClientError) as info:
            client.list_ml_input_channels(membershipIdentifier=MEMBERSHIP_A)
        assert error_code(info) == "AccessDeniedException"
