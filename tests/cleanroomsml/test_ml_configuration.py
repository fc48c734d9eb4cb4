"""Each membership's ML configuration, and where the output its member receives goes
(both modes)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    EXPORT_POLICY,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    A,
    B,
    Collab,
    error_code,
    output_location,
)

ML = {"customMLMemberAbilities": ["CAN_RECEIVE_MODEL_OUTPUT"]}


def test_put_get_replace_and_delete(collab: Collab) -> None:
    got = collab.b.get_ml_configuration(membershipIdentifier=MEMBERSHIP_B)
    assert got["membershipIdentifier"] == MEMBERSHIP_B
    assert got["defaultOutputLocation"] == output_location(B)
    other = {"destination": {"s3Destination": {"s3Uri": "s3://elsewhere/x"}}, "roleArn": f"arn:aws:iam::{B}:role/o"}
    collab.b.put_ml_configuration(membershipIdentifier=MEMBERSHIP_B, defaultOutputLocation=other)
    replaced = collab.b.get_ml_configuration(membershipIdentifier=MEMBERSHIP_B)
    assert replaced["defaultOutputLocation"] == other
    assert replaced["createTime"] == got["createTime"] and replaced["updateTime"] >= got["updateTime"]
    collab.b.delete_ml_configuration(membershipIdentifier=MEMBERSHIP_B)
    for call in (
        lambda: collab.b.get_ml_configuration(membershipIdentifier=MEMBERSHIP_B),
        lambda: collab.b.delete_ml_configuration(membershipIdentifier=MEMBERSHIP_B),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "ResourceNotFoundException"
    # A's configuration is A's own.
    assert collab.a.get_ml_configuration(membershipIdentifier=MEMBERSHIP_A)["defaultOutputLocation"] == output_location(A)
    with pytest.raises(ClientError) as info:
        collab.a.get_ml_configuration(membershipIdentifier=MEMBERSHIP_B)
    assert error_code(info) == "AccessDeniedException"


def test_a_receiver_needs_an_ml_configuration(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    collab.b.delete_ml_configuration(membershipIdentifier=MEMBERSHIP_B)
    with pytest.raises(ClientError) as info:
        collab.export(model)
    assert error_code(info) == "ValidationException"
    assert "no ML configuration" in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:
        collab.infer(model)
    assert error_code(info) == "ValidationException"
    assert "outputConfiguration.members.1.accountId" in info.value.response["Error"]["Message"]
    collab.b.put_ml_configuration(membershipIdentifier=MEMBERSHIP_B, defaultOutputLocation=output_location(B))
    collab.export(model)


def test_exports_and_inference_output_land_in_the_receivers_bucket(collab: Collab) -> None:
    s3 = collab.aws.client_for_account("s3", B)
    s3.create_bucket(Bucket=f"ml-output-{B}")
    association = collab.association(
        policies={"trainedModelExports": {**EXPORT_POLICY, "filesToExport": ["MODEL", "OUTPUT"]}}, name="exports"
    )
    model = collab.train(association, name="churn")["trainedModelArn"]
    collab.export(model, name="to-b")
    listed = collab.b.list_collaboration_trained_model_export_jobs(
        collaborationIdentifier=COLLABORATION, trainedModelArn=model
    )["collaborationTrainedModelExportJobs"]
    assert listed[0]["status"] == "ACTIVE"
    prefix = f"results/{COLLABORATION}/churn/{A}/to-b/"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=f"ml-output-{B}", Prefix=prefix).get("Contents", [])]
    assert sorted(keys) == [prefix + "model.tar.gz", prefix + "output.tar.gz"]
    job = collab.infer(model, name="scores")
    collab.b.get_trained_model_inference_job(membershipIdentifier=MEMBERSHIP_B, trainedModelInferenceJobArn=job)
    prefix = f"results/{COLLABORATION}/scores/{B}/"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=f"ml-output-{B}", Prefix=prefix).get("Contents", [])]
    assert keys == [prefix + "output.out"]


def test_member_abilities_decide_who_receives(collab: Collab) -> None:
    """A collaboration made with the Clean Rooms calls, where B may receive model output
    but not inference output."""
    rooms_a = collab.aws.client_for_account("cleanrooms", A)
    rooms_b = collab.aws.client_for_account("cleanrooms", B)
    made = rooms_a.create_collaboration(
        name="abilities",
        description="who receives what",
        creatorDisplayName="A",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        queryLogStatus="DISABLED",
        members=[{"accountId": B, "displayName": "B", "memberAbilities": [], "mlMemberAbilities": ML}],
    )["collaboration"]["id"]
    mine = rooms_a.create_membership(collaborationIdentifier=made, queryLogStatus="DISABLED")["membership"]["id"]
    theirs = rooms_b.create_membership(collaborationIdentifier=made, queryLogStatus="DISABLED")["membership"]["id"]
    collab.b.put_ml_configuration(membershipIdentifier=theirs, defaultOutputLocation=output_location(B))
    collab.a.put_ml_configuration(membershipIdentifier=mine, defaultOutputLocation=output_location(A))
    association = collab.association(membership=mine, name="abilities")
    model = collab.train(association, membership=mine, name="m")["trainedModelArn"]
    # B may receive the model ...
    collab.a.start_trained_model_export_job(
        membershipIdentifier=mine, trainedModelArn=model, name="e", outputConfiguration={"members": [{"accountId": B}]}
    )
    # ... A, with no ML ability, may not.
    with pytest.raises(ClientError) as info:
        collab.a.start_trained_model_export_job(
            membershipIdentifier=mine, trainedModelArn=model, name="f", outputConfiguration={"members": [{"accountId": A}]}
        )
    assert error_code(info) == "ValidationException"
    assert "CAN_RECEIVE_MODEL_OUTPUT" in info.value.response["Error"]["Message"]
    # B cannot query, so cannot make the channel it would score ...
    with pytest.raises(ClientError) as info:
        collab.channel(association, collab.b, theirs)
    assert error_code(info) == "AccessDeniedException" and "CAN_QUERY" in info.value.response["Error"]["Message"]
    # ... and nobody may receive inference output.
    scoring = collab.channel(association, collab.a, mine)
    with pytest.raises(ClientError) as info:
        collab.infer(model, client=collab.a, membership=mine, dataSource={"mlInputChannelArn": scoring},
                     outputConfiguration={"accept": "text/csv", "members": [{"accountId": B}]})
    assert error_code(info) == "ValidationException"
    assert "CAN_RECEIVE_INFERENCE_OUTPUT" in info.value.response["Error"]["Message"]
