"""Trained models: lifecycle, failure, cancel, output deletion, versions from incremental
training, the collaboration's view, and the checks a create makes."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    INFERENCE_JOB,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    OUTSIDER,
    RESOURCES,
    TRAINED_MODEL,
    UNKNOWN_COLLABORATION,
    A,
    B,
    Collab,
    error_code,
    input_channel,
)
from tests.modes import Aws

MODEL_ARN = re.compile(
    rf"^arn:aws:cleanrooms-ml:us-east-1:{A}:membership/{MEMBERSHIP_A}/trained-model/[a-z0-9]{{12}}$"
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KMS_KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
POLICIES = {
    "trainedModels": {"containerLogs": [{"allowedAccountIds": [A]}], "containerMetrics": {"noiseLevel": "HIGH"}},
    "trainedModelExports": {"maxSize": {"unit": "GB", "value": 1.0}, "filesToExport": ["MODEL"]},
}


def get(collab: Collab, arn: str, **extra: Any) -> dict[str, Any]:
    model = collab.a.get_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn, **extra)
    del model["ResponseMetadata"]
    return dict(model)


def test_trained_model_walks_its_statuses_and_reports_its_training(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL, times=1)
    association = collab.association(policies=POLICIES)
    created = collab.train(
        association,
        name="churn",
        description="churn propensity",
        hyperparameters={"eta": "0.3"},
        environment={"LOG_LEVEL": "debug"},
        stoppingCondition={"maxRuntimeInSeconds": 3600},
        trainingInputMode="FastFile",
        kmsKeyArn=KMS_KEY,
        tags={"team": "ml"},
        mlModelTrainingPayerAccountId=B,
    )
    assert set(created) - {"ResponseMetadata"} == {"trainedModelArn"}  # a base model has no version
    arn = created["trainedModelArn"]
    assert MODEL_ARN.match(arn)

    statuses = []
    for _ in range(3):
        model = get(collab, arn)
        statuses.append((model["status"], model.get("trainingContainerImageDigest"), model.get("metricsStatus")))
    assert [s[0] for s in statuses] == ["CREATE_IN_PROGRESS", "ACTIVE", "ACTIVE"]
    assert statuses[0][1] is not None and statuses[0][1].startswith("sha256:")
    assert statuses[0][2] is None and statuses[1][2] == "PUBLISH_SUCCEEDED"

    model = get(collab, arn)
    assert model["createTime"] < model["updateTime"]
    assert model["trainedModelArn"] == arn
    assert model["membershipIdentifier"] == MEMBERSHIP_A
    assert model["collaborationIdentifier"] == COLLABORATION
    assert model["name"] == "churn"
    assert model["description"] == "churn propensity"
    assert model["configuredModelAlgorithmAssociationArn"] == association
    assert model["resourceConfig"] == RESOURCES
    assert model["hyperparameters"] == {"eta": "0.3"}
    assert model["environment"] == {"LOG_LEVEL": "debug"}
    assert model["stoppingCondition"] == {"maxRuntimeInSeconds": 3600}
    assert model["trainingInputMode"] == "FastFile"
    assert model["kmsKeyArn"] == KMS_KEY
    assert model["tags"] == {"team": "ml"}
    assert model["mlModelTrainingPayerAccountId"] == B
    assert model["dataChannels"] == [{"mlInputChannelArn": collab.channel(association), "channelName": "train"}]
    assert model["logsStatus"] == "PUBLISH_SUCCEEDED"
    assert "versionIdentifier" not in model and "statusDetails" not in model

    summaries = collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"]
    assert summaries == [
        {
            "createTime": model["createTime"],
            "updateTime": model["updateTime"],
            "trainedModelArn": arn,
            "name": "churn",
            "description": "churn propensity",
            "membershipIdentifier": MEMBERSHIP_A,
            "collaborationIdentifier": COLLABORATION,
            "status": "ACTIVE",
            "configuredModelAlgorithmAssociationArn": association,
            "mlModelTrainingPayerAccountId": B,
        }
    ]


def test_member_b_sees_member_as_model_through_the_collaboration(collab: Collab) -> None:
    arn = collab.train(name="shared", hyperparameters={"k": "v"}, environment={"E": "1"}, kmsKeyArn=KMS_KEY,
                       tags={"secret": "yes"})["trainedModelArn"]
    seen = collab.b.get_collaboration_trained_model(collaborationIdentifier=COLLABORATION, trainedModelArn=arn)
    assert seen["creatorAccountId"] == A
    assert seen["membershipIdentifier"] == MEMBERSHIP_A
    assert seen["status"] == "ACTIVE"
    # Clean Rooms ML keeps a member's tags, environment, hyperparameters and key to itself.
    for private in ("tags", "environment", "hyperparameters", "kmsKeyArn", "dataChannels"):
        assert private not in seen
    listed = collab.b.list_collaboration_trained_models(collaborationIdentifier=COLLABORATION)
    assert [(m["trainedModelArn"], m["creatorAccountId"], m["collaborationIdentifier"])
            for m in listed["collaborationTrainedModels"]] == [(arn, A, COLLABORATION)]
    # B's own membership created no models; A's model is not B's to get through it.
    assert collab.b.list_trained_models(membershipIdentifier=MEMBERSHIP_B)["trainedModels"] == []
    with pytest.raises(ClientError) as info:
        collab.b.get_trained_model(membershipIdentifier=MEMBERSHIP_B, trainedModelArn=arn)
    assert error_code(info) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        collab.b.get_collaboration_trained_model(collaborationIdentifier=UNKNOWN_COLLABORATION, trainedModelArn=arn)
    assert error_code(info) == "ResourceNotFoundException"


def test_a_failed_training_reports_why(collab: Collab) -> None:
    collab.aws.control.fail(TRAINED_MODEL, "the algorithm exited with code 1", job="doomed")
    arn = collab.train(name="doomed")["trainedModelArn"]
    model = get(collab, arn)
    assert model["status"] == "CREATE_FAILED"
    assert model["statusDetails"] == {"message": "the algorithm exited with code 1"}
    seen = collab.b.get_collaboration_trained_model(collaborationIdentifier=COLLABORATION, trainedModelArn=arn)
    assert seen["statusDetails"] == {"message": "the algorithm exited with code 1"}
    # A model of another name is untouched by the rule.
    other = collab.train(name="fine")["trainedModelArn"]
    assert get(collab, other)["status"] == "ACTIVE"


def test_failing_a_running_model_by_arn(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    arn = collab.train()["trainedModelArn"]
    collab.aws.control.fail(TRAINED_MODEL, "out of capacity", job=arn)
    assert collab.aws.control.status(TRAINED_MODEL, arn) == "CREATE_PENDING"
    assert collab.aws.control.advance(TRAINED_MODEL, arn, steps=2) == "CREATE_FAILED"
    assert get(collab, arn)["statusDetails"]["message"] == "out of capacity"


def test_cancel_walks_the_cancel_statuses(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    arn = collab.train()["trainedModelArn"]
    assert get(collab, arn)["status"] == "CREATE_PENDING"
    collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert get(collab, arn)["status"] == "CANCEL_PENDING"
    assert collab.aws.control.advance(TRAINED_MODEL, arn) == "CANCEL_IN_PROGRESS"
    assert collab.aws.control.advance(TRAINED_MODEL, arn) == "INACTIVE"
    model = get(collab, arn)
    assert model["status"] == "INACTIVE"
    assert model["createTime"] < model["updateTime"]
    with pytest.raises(ClientError) as info:
        collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    assert "INACTIVE" in info.value.response["Error"]["Message"]


def test_only_a_model_being_created_can_be_cancelled(collab: Collab) -> None:
    arn = collab.train()["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    assert get(collab, arn)["status"] == "ACTIVE"
    # Nor can another member cancel it.
    with pytest.raises(ClientError) as info:
        collab.b.cancel_trained_model(membershipIdentifier=MEMBERSHIP_B, trainedModelArn=arn)
    assert error_code(info) == "ResourceNotFoundException"


def test_deleting_the_output_walks_the_delete_statuses(collab: Collab) -> None:
    arn = collab.train()["trainedModelArn"]
    assert get(collab, arn)["status"] == "ACTIVE"
    collab.manual(TRAINED_MODEL)
    # Any member may delete a trained model's output, through its own membership.
    collab.b.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_B, trainedModelArn=arn)
    assert get(collab, arn)["status"] == "DELETE_PENDING"
    assert collab.aws.control.advance(TRAINED_MODEL, arn) == "DELETE_IN_PROGRESS"
    with pytest.raises(ClientError) as info:
        collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    assert collab.aws.control.advance(TRAINED_MODEL, arn) == "INACTIVE"
    listed = collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"]
    assert [m["status"] for m in listed] == ["INACTIVE"]
    with pytest.raises(ClientError) as info:
        collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"


def test_output_in_use_by_an_inference_job_cannot_be_deleted(collab: Collab) -> None:
    arn = collab.train()["trainedModelArn"]
    collab.manual(INFERENCE_JOB)
    job = collab.infer(arn)
    with pytest.raises(ClientError) as info:
        collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    assert "inference" in info.value.response["Error"]["Message"]
    assert get(collab, arn)["status"] == "ACTIVE"
    collab.aws.control.advance(INFERENCE_JOB, job, steps=2)
    collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert get(collab, arn)["status"] == "INACTIVE"


def test_incremental_training_makes_a_new_version(collab: Collab) -> None:
    association = collab.association()
    arn = collab.train(association, name="base", tags={"team": "ml"})["trainedModelArn"]
    created = collab.train(
        association,
        name="base",
        incrementalTrainingDataChannels=[{"trainedModelArn": arn, "channelName": "model"}],
        tags={"round": "2"},
    )
    assert created["trainedModelArn"] == arn
    version = created["versionIdentifier"]
    assert UUID.match(version)

    latest = get(collab, arn)
    assert latest["versionIdentifier"] == version
    assert latest["incrementalTrainingDataChannels"] == [{"channelName": "model", "modelName": "base"}]
    assert latest["tags"] == {"team": "ml", "round": "2"}  # tags belong to the trained model
    assert get(collab, arn, versionIdentifier=version) == latest

    # A third version, trained from the second.
    third = collab.train(
        association,
        name="base-v3",
        incrementalTrainingDataChannels=[{"trainedModelArn": arn, "versionIdentifier": version, "channelName": "model"}],
    )["versionIdentifier"]
    assert get(collab, arn, versionIdentifier=third)["incrementalTrainingDataChannels"] == [
        {"channelName": "model", "versionIdentifier": version, "modelName": "base"}
    ]

    versions = collab.a.list_trained_model_versions(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)["trainedModels"]
    assert [v.get("versionIdentifier") for v in versions] == [third, version, None]  # newest first
    assert {v["trainedModelArn"] for v in versions} == {arn}
    # ListTrainedModels shows each trained model once, at its latest version.
    models = collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"]
    assert [(m["trainedModelArn"], m["versionIdentifier"], m["name"]) for m in models] == [(arn, third, "base-v3")]
    shared = collab.b.list_collaboration_trained_models(collaborationIdentifier=COLLABORATION)
    assert [m["versionIdentifier"] for m in shared["collaborationTrainedModels"]] == [third]
    seen = collab.b.get_collaboration_trained_model(
        collaborationIdentifier=COLLABORATION, trainedModelArn=arn, versionIdentifier=version
    )
    assert seen["versionIdentifier"] == version


def test_versions_have_their_own_lifecycle(collab: Collab) -> None:
    arn = collab.train(name="base")["trainedModelArn"]
    assert get(collab, arn)["status"] == "ACTIVE"  # statuses move when looked at
    collab.manual(TRAINED_MODEL)
    version = collab.train(
        name="base", incrementalTrainingDataChannels=[{"trainedModelArn": arn, "channelName": "model"}]
    )["versionIdentifier"]
    pending = collab.a.list_trained_model_versions(
        membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn, status="CREATE_PENDING"
    )["trainedModels"]
    assert [v["versionIdentifier"] for v in pending] == [version]
    # Without a version, cancel means the base version (ACTIVE: too late) ...
    with pytest.raises(ClientError) as info:
        collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    # ... with one, that version.
    collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn, versionIdentifier=version)
    assert get(collab, arn, versionIdentifier=version)["status"] == "CANCEL_PENDING"
    assert get(collab, arn)["status"] == "CANCEL_PENDING"  # the latest
    # The base version's output is in use by the version being cancelled.
    with pytest.raises(ClientError) as info:
        collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert error_code(info) == "ConflictException"
    assert collab.aws.control.advance(TRAINED_MODEL, version, steps=2) == "INACTIVE"
    collab.a.delete_trained_model_output(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    statuses = collab.a.list_trained_model_versions(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert [v["status"] for v in statuses["trainedModels"]] == ["INACTIVE", "DELETE_PENDING"]


def test_incremental_training_needs_an_active_version_of_own_model(collab: Collab) -> None:
    association = collab.association()
    arn = collab.train(association, name="base")["trainedModelArn"]
    absent = str(uuid.UUID(int=7))
    cases = [
        ({"trainedModelArn": arn, "versionIdentifier": absent, "channelName": "m"}, "ResourceNotFoundException"),
        ({"trainedModelArn": arn[:-12] + "zzzzzzzzzzzz", "channelName": "m"}, "ResourceNotFoundException"),
    ]
    for channel, code in cases:
        with pytest.raises(ClientError) as info:
            collab.train(association, name="base", incrementalTrainingDataChannels=[channel])
        assert error_code(info) == code
    # B cannot make a version of A's model.
    b_association = collab.association(name="b-assoc", client=collab.b, membership=MEMBERSHIP_B)
    with pytest.raises(ClientError) as info:
        collab.train_as_b(
            b_association, name="base", incrementalTrainingDataChannels=[{"trainedModelArn": arn, "channelName": "m"}]
        )
    assert error_code(info) == "ResourceNotFoundException"
    # A base that is not ACTIVE.
    collab.manual(TRAINED_MODEL)
    pending = collab.train(association, name="pending")["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        collab.train(
            association, name="pending", incrementalTrainingDataChannels=[{"trainedModelArn": pending, "channelName": "m"}]
        )
    assert error_code(info) == "ValidationException"
    assert "CREATE_PENDING" in info.value.response["Error"]["Message"]
    versions = collab.a.list_trained_model_versions(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=arn)
    assert len(versions["trainedModels"]) == 1


def test_create_trained_model_checks(collab: Collab) -> None:
    association = collab.association()
    taken = collab.train(association, name="taken")["trainedModelArn"]
    inference_only = collab.association(_inference_only(collab), name="inference-only")
    channel = {"mlInputChannelArn": collab.channel(association), "channelName": "train"}
    # B's channel for another association of the collaboration.
    elsewhere = collab.channel(collab.association(collab.algorithm(name="other"), name="other"), collab.b, MEMBERSHIP_B)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"name": "taken"}, "ConflictException", "taken"),
        (
            {"configuredModelAlgorithmAssociationArn": association[:-12] + "000000000000"},
            "ResourceNotFoundException",
            "association",
        ),
        ({"configuredModelAlgorithmAssociationArn": inference_only}, "ValidationException", "training container"),
        ({"dataChannels": [channel, channel]}, "ValidationException", "train"),
        (
            {"dataChannels": [{**channel, "channelName": f"c{i}"} for i in range(20)],
             "incrementalTrainingDataChannels": [{"trainedModelArn": taken, "channelName": "m"}]},
            "ValidationException",
            "at most 20",
        ),
        (
            {"dataChannels": [{"mlInputChannelArn": input_channel(OUTSIDER, str(uuid.UUID(int=9))), "channelName": "x"}]},
            "ResourceNotFoundException",
            "dataChannels.1",
        ),
        (
            {"dataChannels": [{"mlInputChannelArn": input_channel(B, MEMBERSHIP_A), "channelName": "x"}]},
            "ResourceNotFoundException",
            "dataChannels.1",
        ),
        (
            {"dataChannels": [channel, {"mlInputChannelArn": elsewhere, "channelName": "x"}]},
            "ValidationException",
            "dataChannels.2.mlInputChannelArn' is not associated",
        ),
        ({"mlModelTrainingPayerAccountId": OUTSIDER}, "ValidationException", "mlModelTrainingPayerAccountId"),
        ({"tags": {"aws:internal": "x"}}, "ValidationException", "aws:"),
        ({"tags": {f"k{i}": "v" for i in range(51)}}, "ValidationException", "50"),
        ({"resourceConfig": {"instanceType": "ml.m5.huge", "volumeSizeInGB": 10}}, "ValidationException",
         "resourceConfig.instanceType"),
        ({"resourceConfig": {"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 10, "instanceCount": 6}},
         "ValidationException", "resourceConfig.instanceCount"),
    ]
    for extra, code, mention in cases:
        with pytest.raises(ClientError) as info:
            collab.train(association, name=extra.pop("name", "new"), **extra)
        assert error_code(info) == code, extra
        assert mention in info.value.response["Error"]["Message"], extra
    # None of them left anything behind.
    names = [m["name"] for m in collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"]]
    assert names == ["taken"]


def _inference_only(collab: Collab) -> str:
    return str(
        collab.a.create_configured_model_algorithm(
            name="inference-only",
            roleArn=f"arn:aws:iam::{A}:role/cleanrooms-ml",
            inferenceContainerConfig={"imageUri": "infer:1"},
        )["configuredModelAlgorithmArn"]
    )


def test_a_model_name_is_unique_in_the_collaboration(collab: Collab) -> None:
    collab.train(name="lookalike")
    b_association = collab.association(name="b-assoc", client=collab.b, membership=MEMBERSHIP_B)
    with pytest.raises(ClientError) as info:
        collab.train_as_b(b_association, name="lookalike")
    assert error_code(info) == "ConflictException"
    # B may train with A's association (and A's data channel), under another name.
    a_association = collab.a.list_configured_model_algorithm_associations(membershipIdentifier=MEMBERSHIP_A)[
        "configuredModelAlgorithmAssociations"
    ][0]["configuredModelAlgorithmAssociationArn"]
    arn = collab.train(a_association, name="b-model", client=collab.b, membership=MEMBERSHIP_B)["trainedModelArn"]
    assert f":{B}:membership/{MEMBERSHIP_B}/trained-model/" in arn


def test_unknown_trained_model_and_version(collab: Collab) -> None:
    arn = collab.train()["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        get(collab, arn, versionIdentifier=str(uuid.UUID(int=1)))
    assert error_code(info) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        # Another ARN of the same shape (its last character changed: an id may end in "0").
        other = arn[:-1] + ("1" if arn.endswith("0") else "0")
        collab.a.list_trained_model_versions(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=other)
    assert error_code(info) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        get(collab, "arn:aws:cleanrooms-ml:us-east-1:111111111111:membership/x/trained-model/y")
    assert error_code(info) == "ValidationException"
    assert "trainedModelArn" in info.value.response["Error"]["Message"]


def test_time_progression_moves_with_the_clock(decorator_aws: Aws) -> None:
    decorator_aws.control.declare_collaboration(COLLABORATION, {A: MEMBERSHIP_A, B: MEMBERSHIP_B})
    collab = Collab(
        decorator_aws,
        a=decorator_aws.client_for_account("cleanroomsml", A),
        b=decorator_aws.client_for_account("cleanroomsml", B),
        outsider=None,
    )
    association = collab.association()
    decorator_aws.control.set_progression(TRAINED_MODEL, "time", seconds=600)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        arn = collab.train(association)["trainedModelArn"]
        assert get(collab, arn)["status"] == "CREATE_PENDING"
        clock.tick(timedelta(seconds=601))
        assert get(collab, arn)["status"] == "CREATE_IN_PROGRESS"
        clock.tick(timedelta(seconds=1200))
        model = get(collab, arn)
    assert model["status"] == "ACTIVE"
    assert model["createTime"] == start
    # It became ACTIVE when its time was up, not when it was next looked at.
    assert model["updateTime"] == start + timedelta(seconds=1200)
