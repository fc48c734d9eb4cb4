"""Configured model algorithms (an account's) and their associations with a collaboration."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    EXPORT_POLICY,
    INFERENCE_IMAGE,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    OUTSIDER,
    ROLE,
    TRAINED_MODEL,
    TRAINING_IMAGE,
    A,
    B,
    Collab,
    error_code,
)

ALGORITHM_ARN = re.compile(rf"^arn:aws:cleanrooms-ml:us-east-1:{A}:configured-model-algorithm/[a-z0-9]{{12}}$")
ASSOCIATION_ARN = re.compile(
    r"^arn:aws:cleanrooms-ml:us-east-1:(\d{12}):membership/([0-9a-f-]{36})/"
    r"configured-model-algorithm-association/[a-z0-9]{12}$"
)
KMS_KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_configured_model_algorithm_round_trip(collab: Collab) -> None:
    training = {
        "imageUri": TRAINING_IMAGE,
        "entrypoint": ["python", "train.py"],
        "arguments": ["--epochs", "3"],
        "metricDefinitions": [{"name": "loss", "regex": "loss=(.*)"}],
    }
    arn = collab.algorithm(
        name="xgboost",
        description="gradient boosting",
        trainingContainerConfig=training,
        kmsKeyArn=KMS_KEY,
        tags={"team": "ml"},
    )
    assert ALGORITHM_ARN.match(arn)
    got = collab.a.get_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    assert got["configuredModelAlgorithmArn"] == arn
    assert got["name"] == "xgboost"
    assert got["description"] == "gradient boosting"
    assert got["roleArn"] == ROLE
    assert got["trainingContainerConfig"] == training
    assert got["inferenceContainerConfig"] == {"imageUri": INFERENCE_IMAGE}
    assert got["kmsKeyArn"] == KMS_KEY
    assert got["tags"] == {"team": "ml"}
    assert got["createTime"] == got["updateTime"]

    listed = collab.a.list_configured_model_algorithms()["configuredModelAlgorithms"]
    assert listed == [
        {
            "createTime": got["createTime"],
            "updateTime": got["updateTime"],
            "configuredModelAlgorithmArn": arn,
            "name": "xgboost",
            "description": "gradient boosting",
        }
    ]
    collab.a.delete_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    assert collab.a.list_configured_model_algorithms()["configuredModelAlgorithms"] == []
    with pytest.raises(ClientError) as info:
        collab.a.get_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    assert error_code(info) == "ResourceNotFoundException"


def test_configured_model_algorithm_errors(collab: Collab) -> None:
    arn = collab.algorithm(name="taken")
    with pytest.raises(ClientError) as info:
        collab.algorithm(name="taken")
    assert error_code(info) == "ConflictException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(ClientError) as info:
        collab.a.create_configured_model_algorithm(name="no-containers", roleArn=ROLE)
    assert error_code(info) == "ValidationException"
    assert "trainingContainerConfig" in info.value.response["Error"]["Message"]
    # The model's own constraints (botocore checks no patterns: the service does).
    with pytest.raises(ClientError) as info:
        collab.algorithm(name="bad-role", roleArn="arn:aws:iam::123:not-a-role")
    assert error_code(info) == "ValidationException"
    assert "roleArn" in info.value.response["Error"]["Message"]
    # Another account's algorithm is not this account's to see.
    with pytest.raises(ClientError) as info:
        collab.b.get_configured_model_algorithm(configuredModelAlgorithmArn=arn)
    assert error_code(info) == "ResourceNotFoundException"
    assert [a["name"] for a in collab.a.list_configured_model_algorithms()["configuredModelAlgorithms"]] == ["taken"]


def test_an_associated_algorithm_cannot_be_deleted(collab: Collab) -> None:
    algorithm = collab.algorithm()
    association = collab.association(algorithm)
    with pytest.raises(ClientError) as info:
        collab.a.delete_configured_model_algorithm(configuredModelAlgorithmArn=algorithm)
    assert error_code(info) == "ConflictException"
    assert association in info.value.response["Error"]["Message"]
    collab.a.delete_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=association
    )
    collab.a.delete_configured_model_algorithm(configuredModelAlgorithmArn=algorithm)


PRIVACY = {
    "policies": {
        "trainedModels": {
            "containerLogs": [
                {
                    "allowedAccountIds": [A, B],
                    "filterPattern": "ERROR",
                    "logType": "ERROR_SUMMARY",
                    "logRedactionConfiguration": {
                        "entitiesToRedact": ["ALL_PERSONALLY_IDENTIFIABLE_INFORMATION", "CUSTOM"],
                        "customEntityConfig": {"customDataIdentifiers": ["secret-[0-9]+"]},
                    },
                }
            ],
            "containerMetrics": {"noiseLevel": "LOW"},
            "maxArtifactSize": {"unit": "GB", "value": 10.0},
        },
        "trainedModelExports": EXPORT_POLICY,
        "trainedModelInferenceJobs": {
            "containerLogs": [{"allowedAccountIds": [B]}],
            "maxOutputSize": {"unit": "GB", "value": 1.5},
        },
    }
}


def test_association_seen_by_its_member_and_by_the_collaboration(collab: Collab) -> None:
    algorithm = collab.algorithm()
    arn = collab.a.create_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP_A,
        configuredModelAlgorithmArn=algorithm,
        name="assoc",
        description="for the lookalike work",
        privacyConfiguration=PRIVACY,
        tags={"stage": "dev"},
    )["configuredModelAlgorithmAssociationArn"]
    assert ASSOCIATION_ARN.match(arn).groups() == (A, MEMBERSHIP_A)  # type: ignore[union-attr]

    own = collab.a.get_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=arn
    )
    expected: dict[str, Any] = {
        "configuredModelAlgorithmAssociationArn": arn,
        "configuredModelAlgorithmArn": algorithm,
        "name": "assoc",
        "description": "for the lookalike work",
        "membershipIdentifier": MEMBERSHIP_A,
        "collaborationIdentifier": COLLABORATION,
        "privacyConfiguration": PRIVACY,
    }
    assert {k: own[k] for k in expected} == expected
    assert own["tags"] == {"stage": "dev"}

    # Member B sees it through the collaboration, with its creator and without its tags.
    seen = collab.b.get_collaboration_configured_model_algorithm_association(
        collaborationIdentifier=COLLABORATION, configuredModelAlgorithmAssociationArn=arn
    )
    assert {k: seen[k] for k in expected} == expected
    assert seen["creatorAccountId"] == A
    assert "tags" not in seen
    listed = collab.b.list_collaboration_configured_model_algorithm_associations(collaborationIdentifier=COLLABORATION)
    assert [
        (s["configuredModelAlgorithmAssociationArn"], s["creatorAccountId"], s["membershipIdentifier"])
        for s in listed["collaborationConfiguredModelAlgorithmAssociations"]
    ] == [(arn, A, MEMBERSHIP_A)]

    # Through its own membership, B lists only its own associations.
    assert collab.b.list_configured_model_algorithm_associations(membershipIdentifier=MEMBERSHIP_B)[
        "configuredModelAlgorithmAssociations"
    ] == []
    summaries = collab.a.list_configured_model_algorithm_associations(membershipIdentifier=MEMBERSHIP_A)[
        "configuredModelAlgorithmAssociations"
    ]
    assert [(s["configuredModelAlgorithmAssociationArn"], s["collaborationIdentifier"]) for s in summaries] == [
        (arn, COLLABORATION)
    ]
    with pytest.raises(ClientError) as info:
        collab.b.get_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP_B, configuredModelAlgorithmAssociationArn=arn
        )
    assert error_code(info) == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "privacy, field",
    [
        (
            {"policies": {"trainedModels": {"containerLogs": [{"allowedAccountIds": [OUTSIDER]}]}}},
            "privacyConfiguration.policies.trainedModels.containerLogs.1.allowedAccountIds",
        ),
        (
            {"policies": {"trainedModelInferenceJobs": {"containerLogs": [{"allowedAccountIds": [OUTSIDER]}]}}},
            "privacyConfiguration.policies.trainedModelInferenceJobs.containerLogs.1.allowedAccountIds",
        ),
        (
            {
                "policies": {
                    "trainedModels": {
                        "containerLogs": [
                            {"allowedAccountIds": [A], "logRedactionConfiguration": {"entitiesToRedact": ["CUSTOM"]}}
                        ]
                    }
                }
            },
            "customEntityConfig",
        ),
        ({"policies": {"trainedModelExports": {"maxSize": {"unit": "GB", "value": 51.0}, "filesToExport": ["MODEL"]}}},
         "privacyConfiguration.policies.trainedModelExports.maxSize.value"),
    ],
)
def test_association_privacy_configuration_is_checked(collab: Collab, privacy: dict[str, Any], field: str) -> None:
    algorithm = collab.algorithm()
    with pytest.raises(ClientError) as info:
        collab.a.create_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP_A,
            configuredModelAlgorithmArn=algorithm,
            name="assoc",
            privacyConfiguration=privacy,
        )
    assert error_code(info) == "ValidationException"
    assert field in info.value.response["Error"]["Message"]
    assert collab.a.list_configured_model_algorithm_associations(membershipIdentifier=MEMBERSHIP_A)[
        "configuredModelAlgorithmAssociations"
    ] == []


def test_association_errors(collab: Collab) -> None:
    algorithm = collab.algorithm()
    collab.association(algorithm, name="assoc")
    with pytest.raises(ClientError) as info:
        collab.association(algorithm, name="assoc")
    assert error_code(info) == "ConflictException"
    # B may use the same name in its own membership, with its own algorithm ...
    collab.association(name="assoc", client=collab.b, membership=MEMBERSHIP_B)
    # ... but not A's algorithm, which is not B's account's.
    with pytest.raises(ClientError) as info:
        collab.association(algorithm, name="other", client=collab.b, membership=MEMBERSHIP_B)
    assert error_code(info) == "ResourceNotFoundException"
    missing = algorithm[: -12] + "000000000000"
    with pytest.raises(ClientError) as info:
        collab.association(missing, name="other")
    assert error_code(info) == "ResourceNotFoundException"
    names = collab.a.list_collaboration_configured_model_algorithm_associations(collaborationIdentifier=COLLABORATION)
    assert sorted(s["name"] for s in names["collaborationConfiguredModelAlgorithmAssociations"]) == ["assoc", "assoc"]


def test_an_association_in_use_cannot_be_deleted(collab: Collab) -> None:
    collab.manual(TRAINED_MODEL)
    association = collab.association()
    model = collab.train(association)["trainedModelArn"]
    with pytest.raises(ClientError) as info:
        collab.a.delete_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=association
        )
    assert error_code(info) == "ConflictException"
    assert "CREATE_PENDING" in info.value.response["Error"]["Message"]
    collab.a.cancel_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=model)
    collab.aws.control.advance(TRAINED_MODEL, model, steps=2)
    collab.a.delete_configured_model_algorithm_association(
        membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=association
    )
    with pytest.raises(ClientError) as info:
        collab.a.get_configured_model_algorithm_association(
            membershipIdentifier=MEMBERSHIP_A, configuredModelAlgorithmAssociationArn=association
        )
    assert error_code(info) == "ResourceNotFoundException"
