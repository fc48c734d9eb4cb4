"""Export and inference jobs across a collaboration: the two-member scenario and every way
a start or a cancel is refused."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    EXPORT_JOB,
    INFERENCE_JOB,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    OUTSIDER,
    TRAINED_MODEL,
    A,
    B,
    Collab,
    error_code,
    input_channel,
)

INFERENCE_ARN = re.compile(
    rf"^arn:aws:cleanrooms-ml:us-east-1:{B}:membership/{MEMBERSHIP_B}/trained-model-inference-job/[a-z0-9]{{12}}$"
)


def export_jobs(client: Any, model: str, **extra: Any) -> list[dict[str, Any]]:
    return list(
        client.list_collaboration_trained_model_export_jobs(
            collaborationIdentifier=COLLABORATION, trainedModelArn=model, **extra
        )["collaborationTrainedModelExportJobs"]
    )


def inference_job(client: Any, arn: str, membership: str = MEMBERSHIP_B) -> dict[str, Any]:
    job = client.get_trained_model_inference_job(membershipIdentifier=membership, trainedModelInferenceJobArn=arn)
    del job["ResponseMetadata"]
    return dict(job)


def test_two_members_train_export_and_infer(collab: Collab) -> None:
    """A trains and exports to B; B lists the collaboration's export jobs, then runs an
    inference job with A's model and cancels it; A sees all of it through the collaboration."""
    # A trains.
    model = collab.train(name="lookalike")["trainedModelArn"]
    status = collab.a.get_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=model)["status"]
    assert status == "ACTIVE"

    # A exports it to B, and B sees the export job through the collaboration.
    collab.manual(EXPORT_JOB, times=1)
    collab.export(model, name="to-b", description="for B's own use")
    jobs = export_jobs(collab.b, model)
    assert len(jobs) == 1
    job = jobs[0]
    assert job["name"] == "to-b"
    assert job["description"] == "for B's own use"
    assert job["status"] == "CREATE_PENDING"
    assert job["outputConfiguration"] == {"members": [{"accountId": B}]}
    assert job["creatorAccountId"] == A
    assert job["trainedModelArn"] == model
    assert job["membershipIdentifier"] == MEMBERSHIP_A
    assert job["collaborationIdentifier"] == COLLABORATION
    assert "trainedModelVersionIdentifier" not in job
    assert collab.aws.control.advance(EXPORT_JOB, "to-b", steps=2) == "ACTIVE"
    done = export_jobs(collab.b, model)[0]
    assert done["status"] == "ACTIVE"
    assert done["createTime"] < done["updateTime"]
    assert export_jobs(collab.a, model) == [done]

    # B runs an inference job in its own membership with A's model, then cancels it.
    collab.manual(INFERENCE_JOB)
    arn = collab.infer(model, name="score", description="score B's users", tags={"owner": "b"})
    assert INFERENCE_ARN.match(arn)
    started = inference_job(collab.b, arn)
    assert started["status"] == "CREATE_PENDING"
    assert started["trainedModelArn"] == model
    assert started["membershipIdentifier"] == MEMBERSHIP_B
    assert started["tags"] == {"owner": "b"}
    collab.b.cancel_trained_model_inference_job(membershipIdentifier=MEMBERSHIP_B, trainedModelInferenceJobArn=arn)
    assert inference_job(collab.b, arn)["status"] == "CANCEL_PENDING"
    assert collab.aws.control.advance(INFERENCE_JOB, arn) == "CANCEL_IN_PROGRESS"
    assert collab.aws.control.advance(INFERENCE_JOB, arn) == "INACTIVE"
    assert inference_job(collab.b, arn)["status"] == "INACTIVE"

    # A sees B's job through the collaboration, not through its own membership.
    seen = collab.a.list_collaboration_trained_model_inference_jobs(collaborationIdentifier=COLLABORATION)
    assert [(j["trainedModelInferenceJobArn"], j["creatorAccountId"], j["status"])
            for j in seen["collaborationTrainedModelInferenceJobs"]] == [(arn, B, "INACTIVE")]
    assert collab.a.list_trained_model_inference_jobs(membershipIdentifier=MEMBERSHIP_A)["trainedModelInferenceJobs"] == []
    own = collab.b.list_trained_model_inference_jobs(membershipIdentifier=MEMBERSHIP_B)["trainedModelInferenceJobs"]
    assert [(j["trainedModelInferenceJobArn"], j["name"], j["collaborationIdentifier"]) for j in own] == [
        (arn, "score", COLLABORATION)
    ]


def test_an_export_job_can_fail(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    collab.aws.control.fail(EXPORT_JOB, "the receiver has no ML configuration")
    collab.export(model, name="doomed")
    job = export_jobs(collab.b, model)[0]
    assert job["status"] == "CREATE_FAILED"
    assert job["statusDetails"] == {"message": "the receiver has no ML configuration"}


def test_export_job_checks(collab: Collab) -> None:
    no_exports = collab.association(collab.algorithm(name="private"), name="private", policies={})
    private = collab.train(no_exports, name="private-model")["trainedModelArn"]
    model = collab.train(name="model")["trainedModelArn"]
    collab.export(model, name="first")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"receiver": OUTSIDER}, "ValidationException", OUTSIDER),
        ({"trained_model": private}, "ValidationException", "trainedModelExports"),
        ({"name": "first"}, "ConflictException", "first"),
        ({"trainedModelVersionIdentifier": str(uuid.UUID(int=3))}, "ResourceNotFoundException", "Version"),
        ({"trained_model": model[:-12] + "000000000000"}, "ResourceNotFoundException", "not found"),
    ]
    for extra, code, mention in cases:
        target = extra.pop("trained_model", model)
        extra.setdefault("name", "another")
        with pytest.raises(ClientError) as info:
            collab.export(target, **extra)
        assert error_code(info) == code, extra
        assert mention in info.value.response["Error"]["Message"], extra
    # Only the member who trained the model exports it.
    with pytest.raises(ClientError) as info:
        collab.b.start_trained_model_export_job(
            membershipIdentifier=MEMBERSHIP_B,
            trainedModelArn=model,
            name="by-b",
            outputConfiguration={"members": [{"accountId": B}]},
        )
    assert error_code(info) == "ResourceNotFoundException"
    assert [j["name"] for j in export_jobs(collab.a, model)] == ["first"]
    assert export_jobs(collab.a, private) == []


def test_export_needs_an_active_model(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    model = collab.train()["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        collab.export(model)
    assert error_code(info) == "ValidationException"
    assert "CREATE_PENDING" in info.value.response["Error"]["Message"]
    assert export_jobs(collab.b, model) == []
    collab.aws.control.advance(TRAINED_MODEL, model, steps=2)
    collab.export(model)
    assert [j["name"] for j in export_jobs(collab.b, model)] == ["export"]


def test_export_jobs_of_a_version(collab: Collab) -> None:
    model = collab.train(name="base")["trainedModelArn"]
    version = collab.train(
        name="base", incrementalTrainingDataChannels=[{"trainedModelArn": model, "channelName": "m"}]
    )["versionIdentifier"]
    collab.export(model, name="base-export")
    collab.export(model, name="version-export", trainedModelVersionIdentifier=version)
    assert [j["name"] for j in export_jobs(collab.b, model)] == ["version-export", "base-export"]
    only = export_jobs(collab.b, model, trainedModelVersionIdentifier=version)
    assert [(j["name"], j["trainedModelVersionIdentifier"]) for j in only] == [("version-export", version)]


def test_inference_job_description(collab: Collab) -> None:
    policies = {
        "trainedModelExports": {"maxSize": {"unit": "GB", "value": 1.0}, "filesToExport": ["MODEL"]},
        "trainedModelInferenceJobs": {"containerLogs": [{"allowedAccountIds": [B]}]},
    }
    association = collab.association(collab.algorithm(name="logged"), name="logged", policies=policies)
    model = collab.train(association)["trainedModelArn"]
    key = f"arn:aws:kms:us-east-1:{B}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    arn = collab.infer(
        model,
        configuredModelAlgorithmAssociationArn=association,
        containerExecutionParameters={"maxPayloadInMB": 6},
        environment={"BATCH": "64"},
        kmsKeyArn=key,
        mlModelInferencePayerAccountId=B,
    )
    job = inference_job(collab.b, arn)
    assert job["status"] == "ACTIVE"
    assert job["configuredModelAlgorithmAssociationArn"] == association
    assert job["resourceConfig"] == {"instanceType": "ml.m5.xlarge", "instanceCount": 1}
    assert job["outputConfiguration"] == {"accept": "text/csv", "members": [{"accountId": B}]}
    assert job["dataSource"] == {"mlInputChannelArn": collab.scoring_channel()}
    assert job["containerExecutionParameters"] == {"maxPayloadInMB": 6}
    assert job["environment"] == {"BATCH": "64"}
    assert job["kmsKeyArn"] == key
    assert job["mlModelInferencePayerAccountId"] == B
    assert job["logsStatus"] == "PUBLISH_SUCCEEDED"
    assert job["inferenceContainerImageDigest"].startswith("sha256:")
    assert job["createTime"] <= job["updateTime"]
    assert "statusDetails" not in job


def test_an_inference_job_can_fail(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    collab.aws.control.fail(INFERENCE_JOB, "the container ran out of memory", job="oom")
    arn = collab.infer(model, name="oom")
    job = inference_job(collab.b, arn)
    assert (job["status"], job["statusDetails"]) == ("CREATE_FAILED", {"message": "the container ran out of memory"})
    with pytest.raises(ClientError) as info:
        collab.b.cancel_trained_model_inference_job(membershipIdentifier=MEMBERSHIP_B, trainedModelInferenceJobArn=arn)
    assert error_code(info) == "ConflictException"


def test_inference_job_checks(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    training_only = collab.association(
        collab.algorithm(name="training-only", inferenceContainerConfig=None), name="training-only"
    )
    collab.infer(model, name="taken")
    other_membership = str(uuid.UUID(int=5))
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"name": "taken"}, "ConflictException", "taken"),
        ({"trainedModelArn": model[:-12] + "000000000000"}, "ResourceNotFoundException", "not found"),
        ({"trainedModelVersionIdentifier": str(uuid.UUID(int=4))}, "ResourceNotFoundException", "Version"),
        ({"configuredModelAlgorithmAssociationArn": training_only}, "ValidationException", "inference container"),
        (
            {"configuredModelAlgorithmAssociationArn": training_only[:-12] + "000000000000"},
            "ResourceNotFoundException",
            "association",
        ),
        ({"outputConfiguration": {"members": [{"accountId": OUTSIDER}]}}, "ValidationException",
         "outputConfiguration.members.1.accountId"),
        ({"mlModelInferencePayerAccountId": OUTSIDER}, "ValidationException", "mlModelInferencePayerAccountId"),
        ({"dataSource": {"mlInputChannelArn": input_channel(B, other_membership)}}, "ResourceNotFoundException",
         "dataSource"),
        ({"tags": {"aws:cost": "1"}}, "ValidationException", "aws:"),
        ({"resourceConfig": {"instanceType": "ml.m5.xlarge", "instanceCount": 11}}, "ValidationException",
         "resourceConfig.instanceCount"),
    ]
    for extra, code, mention in cases:
        target = extra.pop("trainedModelArn", model)
        with pytest.raises(ClientError) as info:
            collab.infer(target, **{"name": "new", **extra})
        assert error_code(info) == code, extra
        assert mention in info.value.response["Error"]["Message"], extra
    names = collab.b.list_trained_model_inference_jobs(membershipIdentifier=MEMBERSHIP_B)
    assert [j["name"] for j in names["trainedModelInferenceJobs"]] == ["taken"]
    # A may use the same name in its own membership.
    collab.infer(model, name="taken", client=collab.a, membership=MEMBERSHIP_A,
                 dataSource={"mlInputChannelArn": collab.channel()})


def test_inference_needs_an_active_model(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    model = collab.train()["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        collab.infer(model)
    assert error_code(info) == "ValidationException"
    assert "ACTIVE" in info.value.response["Error"]["Message"]
    collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=model)
    collab.aws.control.advance(TRAINED_MODEL, model, steps=2)
    with pytest.raises(ClientError) as info:
        collab.infer(model)
    assert error_code(info) == "ValidationException"
    assert "INACTIVE" in info.value.response["Error"]["Message"]
    listed = collab.a.list_collaboration_trained_model_inference_jobs(collaborationIdentifier=COLLABORATION)
    assert listed["collaborationTrainedModelInferenceJobs"] == []


def test_inference_jobs_filter_by_model_and_version(collab: Collab) -> None:
    first = collab.train(name="first")["trainedModelArn"]
    second = collab.train(name="second")["trainedModelArn"]
    version = collab.train(
        name="first", incrementalTrainingDataChannels=[{"trainedModelArn": first, "channelName": "m"}]
    )["versionIdentifier"]
    collab.infer(first, name="first-base")
    collab.infer(first, name="first-version", trainedModelVersionIdentifier=version)
    collab.infer(second, name="second-base")

    def names(client: Any, **filters: Any) -> list[str]:
        if "membershipIdentifier" in filters:
            jobs = client.list_trained_model_inference_jobs(**filters)["trainedModelInferenceJobs"]
        else:
            jobs = client.list_collaboration_trained_model_inference_jobs(
                collaborationIdentifier=COLLABORATION, **filters
            )["collaborationTrainedModelInferenceJobs"]
        return [j["name"] for j in jobs]

    assert names(collab.a) == ["second-base", "first-version", "first-base"]
    assert names(collab.a, trainedModelArn=first) == ["first-version", "first-base"]
    assert names(collab.a, trainedModelArn=first, trainedModelVersionIdentifier=version) == ["first-version"]
    assert names(collab.b, membershipIdentifier=MEMBERSHIP_B, trainedModelArn=second) == ["second-base"]
    assert names(collab.b, membershipIdentifier=MEMBERSHIP_B, trainedModelVersionIdentifier=version) == [
        "first-version"
    ]


def test_another_members_inference_job_is_not_found_through_ones_membership(collab: Collab) -> None:
    model = collab.train()["trainedModelArn"]
    arn = collab.infer(model)
    for call in (
        lambda: collab.a.get_trained_model_inference_job(membershipIdentifier=MEMBERSHIP_A, trainedModelInferenceJobArn=arn),
        lambda: collab.a.cancel_trained_model_inference_job(
            membershipIdentifier=MEMBERSHIP_A, trainedModelInferenceJobArn=arn
        ),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        inference_job(collab.a, arn)  # through B's membership, as A
    assert error_code(info) == "AccessDeniedException"
