"""Collaborations declared through the job control: who may call what, in both modes."""

from __future__ import annotations

import threading

import pytest
import requests
from botocore.exceptions import ClientError

from mlmocks import ControlError
from tests.cleanroomsml.conftest import (
    COLLABORATION,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    OUTSIDER,
    UNKNOWN_COLLABORATION,
    UNKNOWN_MEMBERSHIP,
    A,
    B,
    Collab,
    error_code,
)
from tests.modes import Aws


def test_declaring_a_collaboration_returns_what_was_declared(aws: Aws) -> None:
    declared = aws.control.declare_collaboration(
        collaboration_id=COLLABORATION, members={A: MEMBERSHIP_A, B: MEMBERSHIP_B}, name="ads"
    )
    assert declared == {
        "collaborationId": COLLABORATION,
        "name": "ads",
        "region": "us-east-1",
        "members": {A: MEMBERSHIP_A, B: MEMBERSHIP_B},
    }
    # The same declaration again is harmless (a session fixture may repeat it) ...
    again = aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A, B: MEMBERSHIP_B})
    assert again["members"] == declared["members"]
    # ... other members under the same id are not.
    with pytest.raises(ControlError, match="already declared"):
        aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A})


@pytest.mark.parametrize(
    "collaboration_id, members, region, problem",
    [
        ("not-a-uuid", {A: MEMBERSHIP_A}, "us-east-1", "not a lowercase UUID"),
        (COLLABORATION.upper(), {A: MEMBERSHIP_A}, "us-east-1", "not a lowercase UUID"),
        (COLLABORATION, {}, "us-east-1", "at least one"),
        (COLLABORATION, {"12345": MEMBERSHIP_A}, "us-east-1", "not 12 digits"),
        (COLLABORATION, {A: "membership-a"}, "us-east-1", "not a lowercase UUID"),
        (COLLABORATION, {A: MEMBERSHIP_A, B: MEMBERSHIP_A}, "us-east-1", "share a membership id"),
        (COLLABORATION, {A: MEMBERSHIP_A}, "moon-west-1", "unknown region"),
    ],
)
def test_bad_declarations_are_refused(
    aws: Aws, collaboration_id: str, members: dict[str, str], region: str, problem: str
) -> None:
    with pytest.raises(ControlError, match=problem):
        aws.control.declare_collaboration(collaboration_id, members, region=region)


def test_a_membership_belongs_to_one_collaboration(aws: Aws) -> None:
    aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A})
    with pytest.raises(ControlError, match="already belongs to collaboration"):
        aws.control.declare_collaboration(UNKNOWN_COLLABORATION, {B: MEMBERSHIP_A})


def test_control_methods_take_positional_and_keyword_arguments_alike(aws: Aws) -> None:
    declared = aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A}, "eu-west-1", "eu")
    assert (declared["region"], declared["name"]) == ("eu-west-1", "eu")
    with pytest.raises((TypeError, ControlError)):
        aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A}, colour="blue")


def test_a_collaboration_lives_in_its_region(aws: Aws) -> None:
    aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A}, region="eu-west-1")
    sts_client = aws.client_for_account("cleanroomsml", A, region="eu-west-1")
    assert sts_client.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"] == []
    elsewhere = aws.client_for_account("cleanroomsml", A)
    with pytest.raises(ClientError) as info:
        elsewhere.get_trained_model(
            membershipIdentifier=MEMBERSHIP_A,
            trainedModelArn=f"arn:aws:cleanrooms-ml:us-east-1:{A}:membership/{MEMBERSHIP_A}/trained-model/x",
        )
    assert error_code(info) == "ResourceNotFoundException"


def test_unknown_membership_or_collaboration(collab: Collab) -> None:
    model = f"arn:aws:cleanrooms-ml:us-east-1:{A}:membership/{UNKNOWN_MEMBERSHIP}/trained-model/abc"
    # Operations that model ResourceNotFoundException answer with it ...
    with pytest.raises(ClientError) as info:
        collab.a.get_trained_model(membershipIdentifier=UNKNOWN_MEMBERSHIP, trainedModelArn=model)
    assert error_code(info) == "ResourceNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert UNKNOWN_MEMBERSHIP in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:
        collab.a.get_collaboration_trained_model(collaborationIdentifier=UNKNOWN_COLLABORATION, trainedModelArn=model)
    assert error_code(info) == "ResourceNotFoundException"
    # ... the list operations, which do not, refuse access.
    with pytest.raises(ClientError) as info:
        collab.a.list_trained_models(membershipIdentifier=UNKNOWN_MEMBERSHIP)
    assert error_code(info) == "AccessDeniedException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as info:
        collab.a.list_collaboration_trained_models(collaborationIdentifier=UNKNOWN_COLLABORATION)
    assert error_code(info) == "AccessDeniedException"


def test_a_member_cannot_act_through_another_members_membership(collab: Collab) -> None:
    association = collab.association()
    with pytest.raises(ClientError) as info:
        collab.b.list_trained_models(membershipIdentifier=MEMBERSHIP_A)
    assert error_code(info) == "AccessDeniedException"
    assert B in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:
        collab.b.get_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=association
        )
    assert error_code(info) == "AccessDeniedException"
    with pytest.raises(ClientError) as info:
        collab.train(association, client=collab.b)  # in membership A, as B
    assert error_code(info) == "AccessDeniedException"
    assert collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"] == []


def test_an_outsider_cannot_see_the_collaboration(collab: Collab) -> None:
    association = collab.association()
    model = collab.train(association)["trainedModelArn"]
    calls = [
        lambda: collab.outsider.list_collaboration_trained_models(collaborationIdentifier=COLLABORATION),
        lambda: collab.outsider.get_collaboration_trained_model(
            collaborationIdentifier=COLLABORATION, trainedModelArn=model
        ),
        lambda: collab.outsider.list_collaboration_configured_model_algorithm_associations(
            collaborationIdentifier=COLLABORATION
        ),
        lambda: collab.outsider.get_collaboration_configured_model_algorithm_association(
            collaborationIdentifier=COLLABORATION, configuredModelAlgorithmAssociationArn=association
        ),
        lambda: collab.outsider.list_collaboration_trained_model_export_jobs(
            collaborationIdentifier=COLLABORATION, trainedModelArn=model
        ),
        lambda: collab.outsider.list_collaboration_trained_model_inference_jobs(collaborationIdentifier=COLLABORATION),
        lambda: collab.outsider.list_trained_models(membershipIdentifier=MEMBERSHIP_B),
    ]
    for call in calls:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "AccessDeniedException"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_moto_reset_forgets_collaborations(collab: Collab) -> None:
    collab.train()
    if collab.aws.endpoint is None:
        url = "http://motoapi.amazonaws.com/moto-api/reset"
    else:
        url = f"{collab.aws.endpoint}/moto-api/reset"
    requests.post(url, timeout=10).raise_for_status()  # moto intercepts requests in-process
    # The reset forgot the assumed roles too: A needs new credentials.
    a = collab.aws.client_for_account("cleanroomsml", A)
    with pytest.raises(ClientError) as info:
        a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)
    assert error_code(info) == "AccessDeniedException"
    assert "not found" in info.value.response["Error"]["Message"]
    collab.aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A, B: MEMBERSHIP_B})
    assert a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"] == []


def test_concurrent_members_never_share_a_model_name(collab: Collab) -> None:
    """Both members train a model of the same name at once: the collaboration keeps one."""
    association = collab.association()
    own_channel = {"mlInputChannelArn": collab.channel(association, collab.b, MEMBERSHIP_B)}
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def train(client: object, membership: str, channel: dict[str, str]) -> None:
        start.wait()
        try:
            collab.train(
                association,
                name="shared-name",
                client=client,
                membership=membership,
                dataChannels=[{**channel, "channelName": "train"}],
            )
            outcomes.append("created")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])

    a_channel = {"mlInputChannelArn": collab.channel(association)}
    threads = [
        threading.Thread(target=train, args=(collab.a, MEMBERSHIP_A, a_channel)) for _ in range(4)
    ] + [threading.Thread(target=train, args=(collab.b, MEMBERSHIP_B, own_channel)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ConflictException"] * 7 + ["created"]
    models = collab.a.list_collaboration_trained_models(collaborationIdentifier=COLLABORATION)
    assert [m["name"] for m in models["collaborationTrainedModels"]] == ["shared-name"]


def test_accounts_outside_every_collaboration_still_have_their_algorithms(collab: Collab) -> None:
    arn = collab.algorithm(collab.outsider, name="outside")
    assert f":{OUTSIDER}:configured-model-algorithm/" in arn
    listed = collab.outsider.list_configured_model_algorithms()["configuredModelAlgorithms"]
    assert [a["configuredModelAlgorithmArn"] for a in listed] == [arn]
    assert collab.a.list_configured_model_algorithms()["configuredModelAlgorithms"] == []


@pytest.mark.parametrize("region", ["ca-central-1", "sa-east-1", "us-gov-west-1"])
def test_every_region_answers(aws: Aws, region: str) -> None:
    aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A}, region=region)
    client = aws.client_for_account("cleanroomsml", A, region=region)
    assert client.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"] == []
    assert client.list_configured_model_algorithms()["configuredModelAlgorithms"] == []
