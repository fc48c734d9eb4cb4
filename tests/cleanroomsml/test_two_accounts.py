"""The custom-model flow of two accounts, with nothing but boto3: Clean Rooms for the
collaboration and the memberships, then Clean Rooms ML from the algorithm to the export
job the other member sees and the inference job (under the decorator and against the
server)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import Aws

CREATOR = "111111111111"
PARTNER = "222222222222"
RESOURCES = {"instanceType": "ml.m5.xlarge", "instanceCount": 1, "volumeSizeInGB": 10}
ML_ABILITIES = {"customMLMemberAbilities": ["CAN_RECEIVE_MODEL_OUTPUT", "CAN_RECEIVE_INFERENCE_OUTPUT"]}


def _channel(client: Any, membership: str, association: str, account: str, name: str) -> str:
    return str(
        client.create_ml_input_channel(
            membershipIdentifier=membership,
            configuredModelAlgorithmAssociations=[association],
            inputChannel={
                "dataSource": {
                    "protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT * FROM t"}}
                },
                "roleArn": f"arn:aws:iam::{account}:role/ml-input",
            },
            name=name,
            retentionInDays=14,
        )["mlInputChannelArn"]
    )


def test_two_accounts_train_export_and_infer(aws: Aws) -> None:
    # -- Clean Rooms: the creator invites the partner, who may receive ML output ---------------
    creator_rooms = aws.client_for_account("cleanrooms", CREATOR)
    partner_rooms = aws.client_for_account("cleanrooms", PARTNER)
    collaboration = creator_rooms.create_collaboration(
        name="lookalike-partners",
        description="custom models",
        creatorDisplayName="Advertiser",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        queryLogStatus="DISABLED",
        members=[
            {
                "accountId": PARTNER,
                "displayName": "Publisher",
                "memberAbilities": ["CAN_QUERY"],
                "mlMemberAbilities": ML_ABILITIES,
            }
        ],
    )["collaboration"]
    collaboration_id = collaboration["id"]
    # The partner sees the invitation in its own account.
    invited = partner_rooms.list_collaborations(memberStatus="INVITED")["collaborationList"]
    assert [c["id"] for c in invited] == [collaboration_id]
    creator_membership = creator_rooms.create_membership(
        collaborationIdentifier=collaboration_id, queryLogStatus="DISABLED"
    )["membership"]
    partner_membership = partner_rooms.create_membership(
        collaborationIdentifier=collaboration_id, queryLogStatus="DISABLED"
    )["membership"]
    # Each membership carries its own member's abilities.
    assert creator_membership["memberAbilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]
    assert partner_membership["memberAbilities"] == ["CAN_QUERY"]
    assert partner_membership["mlMemberAbilities"] == ML_ABILITIES
    assert partner_membership["collaborationCreatorAccountId"] == CREATOR
    members = partner_rooms.list_members(collaborationIdentifier=collaboration_id)["memberSummaries"]
    assert {m["accountId"]: (m["status"], m.get("mlAbilities")) for m in members} == {
        CREATOR: ("ACTIVE", None),  # the creator gave itself no ML abilities
        PARTNER: ("ACTIVE", ML_ABILITIES),
    }
    mine, theirs = creator_membership["id"], partner_membership["id"]

    # -- Clean Rooms ML: the creator trains on its data --------------------------------------
    creator = aws.client_for_account("cleanroomsml", CREATOR)
    partner = aws.client_for_account("cleanroomsml", PARTNER)
    partner.put_ml_configuration(
        membershipIdentifier=theirs,
        defaultOutputLocation={
            "destination": {"s3Destination": {"s3Uri": "s3://publisher-ml/output"}},
            "roleArn": f"arn:aws:iam::{PARTNER}:role/ml-output",
        },
    )
    algorithm = creator.create_configured_model_algorithm(
        name="churn",
        roleArn=f"arn:aws:iam::{CREATOR}:role/ml",
        trainingContainerConfig={"imageUri": f"{CREATOR}.dkr.ecr.us-east-1.amazonaws.com/train:1"},
        inferenceContainerConfig={"imageUri": f"{CREATOR}.dkr.ecr.us-east-1.amazonaws.com/infer:1"},
    )["configuredModelAlgorithmArn"]
    association = creator.create_configured_model_algorithm_association(
        membershipIdentifier=mine,
        configuredModelAlgorithmArn=algorithm,
        name="churn",
        privacyConfiguration={
            "policies": {"trainedModelExports": {"maxSize": {"unit": "GB", "value": 5.0}, "filesToExport": ["MODEL"]}}
        },
    )["configuredModelAlgorithmAssociationArn"]
    training = _channel(creator, mine, association, CREATOR, "training-data")
    assert creator.get_ml_input_channel(membershipIdentifier=mine, mlInputChannelArn=training)["status"] == "ACTIVE"
    model = creator.create_trained_model(
        membershipIdentifier=mine,
        name="churn-model",
        configuredModelAlgorithmAssociationArn=association,
        resourceConfig=RESOURCES,
        dataChannels=[{"mlInputChannelArn": training, "channelName": "train"}],
    )["trainedModelArn"]
    assert creator.get_trained_model(membershipIdentifier=mine, trainedModelArn=model)["status"] == "ACTIVE"

    # -- the export the partner receives, and sees --------------------------------------------
    creator.start_trained_model_export_job(
        membershipIdentifier=mine,
        trainedModelArn=model,
        name="to-publisher",
        outputConfiguration={"members": [{"accountId": PARTNER}]},
    )
    exports = partner.list_collaboration_trained_model_export_jobs(
        collaborationIdentifier=collaboration_id, trainedModelArn=model
    )["collaborationTrainedModelExportJobs"]
    assert [(e["name"], e["status"], e["creatorAccountId"]) for e in exports] == [("to-publisher", "ACTIVE", CREATOR)]
    seen = partner.get_collaboration_ml_input_channel(collaborationIdentifier=collaboration_id, mlInputChannelArn=training)
    assert (seen["creatorAccountId"], seen["status"]) == (CREATOR, "ACTIVE")
    assert "inputChannel" not in seen  # the creator's query stays the creator's

    # -- the partner scores its own data with the model ---------------------------------------
    scoring = _channel(partner, theirs, association, PARTNER, "scoring-data")
    job = partner.start_trained_model_inference_job(
        membershipIdentifier=theirs,
        name="score",
        trainedModelArn=model,
        resourceConfig={"instanceType": "ml.m5.xlarge", "instanceCount": 1},
        outputConfiguration={"accept": "text/csv", "members": [{"accountId": PARTNER}]},
        dataSource={"mlInputChannelArn": scoring},
    )["trainedModelInferenceJobArn"]
    got = partner.get_trained_model_inference_job(membershipIdentifier=theirs, trainedModelInferenceJobArn=job)
    assert (got["status"], got["membershipIdentifier"], got["trainedModelArn"]) == ("ACTIVE", theirs, model)
    listed = creator.list_collaboration_trained_model_inference_jobs(collaborationIdentifier=collaboration_id)
    assert [j["creatorAccountId"] for j in listed["collaborationTrainedModelInferenceJobs"]] == [PARTNER]

    # -- the creator cannot send inference output to itself: no ability, no configuration ----
    with pytest.raises(ClientError) as info:
        creator.start_trained_model_inference_job(
            membershipIdentifier=mine,
            name="to-self",
            trainedModelArn=model,
            resourceConfig={"instanceType": "ml.m5.xlarge", "instanceCount": 1},
            outputConfiguration={"accept": "text/csv", "members": [{"accountId": CREATOR}]},
            dataSource={"mlInputChannelArn": training},
        )
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "CAN_RECEIVE_INFERENCE_OUTPUT" in info.value.response["Error"]["Message"]

    # -- once the partner leaves, it can make nothing more ------------------------------------
    partner_rooms.delete_membership(membershipIdentifier=theirs)
    assert partner_rooms.get_membership(membershipIdentifier=theirs)["membership"]["status"] == "REMOVED"
    with pytest.raises(ClientError) as info:
        _channel(partner, theirs, association, PARTNER, "more-data")
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"
    members = creator_rooms.list_members(collaborationIdentifier=collaboration_id)["memberSummaries"]
    assert {m["accountId"]: m["status"] for m in members} == {CREATOR: "ACTIVE", PARTNER: "LEFT"}


def test_two_accounts_lookalike_flow(aws: Aws) -> None:
    """The lookalike flow, with nothing but boto3: Clean Rooms for the collaboration and
    memberships, Glue for the table, then Clean Rooms ML from the training dataset to the
    export of a segment the partner generated with the creator's model."""
    creator_rooms = aws.client_for_account("cleanrooms", CREATOR)
    partner_rooms = aws.client_for_account("cleanrooms", PARTNER)
    collaboration_id = creator_rooms.create_collaboration(
        name="lookalike", description="audiences", creatorDisplayName="Advertiser",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"], queryLogStatus="DISABLED",
        members=[{"accountId": PARTNER, "displayName": "Publisher", "memberAbilities": ["CAN_QUERY"]}],
    )["collaboration"]["id"]
    for rooms in (creator_rooms, partner_rooms):
        rooms.create_membership(collaborationIdentifier=collaboration_id, queryLogStatus="DISABLED")

    # The creator's Glue table of interactions, and a lookalike model trained on it.
    glue = aws.client_for_account("glue", CREATOR)
    glue.create_database(DatabaseInput={"Name": "interactions"})
    columns = [{"Name": "user_id", "Type": "string"}, {"Name": "item_id", "Type": "string"},
               {"Name": "event_time", "Type": "bigint"}]
    glue.create_table(DatabaseName="interactions",
                      TableInput={"Name": "events", "StorageDescriptor": {"Columns": columns}})
    creator_ml = aws.client_for_account("cleanroomsml", CREATOR)
    partner_ml = aws.client_for_account("cleanroomsml", PARTNER)
    role = f"arn:aws:iam::{CREATOR}:role/cleanrooms-ml"
    schema = [{"columnName": "user_id", "columnTypes": ["USER_ID"]},
              {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
              {"columnName": "event_time", "columnTypes": ["TIMESTAMP"]}]
    source = {"glueDataSource": {"databaseName": "interactions", "tableName": "events"}}
    dataset = creator_ml.create_training_dataset(
        name="events", roleArn=role,
        trainingData=[{"type": "INTERACTIONS", "inputConfig": {"schema": schema, "dataSource": source}}],
    )["trainingDatasetArn"]
    model = creator_ml.create_audience_model(name="lookalike", trainingDatasetArn=dataset)["audienceModelArn"]
    assert creator_ml.get_audience_model(audienceModelArn=model)["status"] == "ACTIVE"
    configured = creator_ml.create_configured_audience_model(
        name="shared", audienceModelArn=model, sharedAudienceMetrics=["ALL"],
        outputConfig={"destination": {"s3Destination": {"s3Uri": "s3://audiences/out/"}}, "roleArn": role},
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 5000]},
    )["configuredAudienceModelArn"]
    policy = f'{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{PARTNER}"}}}}]}}'
    creator_ml.put_configured_audience_model_policy(
        configuredAudienceModelArn=configured, configuredAudienceModelPolicy=policy,
        policyExistenceCondition="POLICY_MUST_NOT_EXIST",
    )

    # The partner generates a segment from its seed through the collaboration, and exports it.
    seed = {"dataSource": {"s3Uri": "s3://seeds/users.jsonl"}, "roleArn": f"arn:aws:iam::{PARTNER}:role/seed"}
    job = partner_ml.start_audience_generation_job(
        name="segment", configuredAudienceModelArn=configured, seedAudience=seed, collaborationId=collaboration_id,
    )["audienceGenerationJobArn"]
    generated = partner_ml.get_audience_generation_job(audienceGenerationJobArn=job)
    assert (generated["status"], generated["collaborationId"]) == ("ACTIVE", collaboration_id)
    assert len(generated["metrics"]["relevanceMetrics"]) == 2  # the model shares ALL metrics
    partner_ml.start_audience_export_job(
        name="top-1000", audienceGenerationJobArn=job,
        audienceSize={"type": "ABSOLUTE", "value": 1000},
    )
    exports = partner_ml.list_audience_export_jobs(audienceGenerationJobArn=job)["audienceExportJobs"]
    assert [(e["name"], e["status"]) for e in exports] == [("top-1000", "ACTIVE")]

    # Without a membership in the collaboration, an outsider cannot use the model.
    outsider_ml = aws.client_for_account("cleanroomsml", "333333333333")
    with pytest.raises(ClientError) as info:
        outsider_ml.start_audience_generation_job(
            name="stolen", configuredAudienceModelArn=configured, seedAudience=seed, collaborationId=collaboration_id,
        )
    assert info.value.response["Error"]["Code"] == "AccessDeniedException"
