"""A two-member collaboration, declared through the job control, with a client for each
member's account and one for an account outside it (in both modes, via the ``aws``
fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import Aws

A = "111111111111"
B = "222222222222"
OUTSIDER = "333333333333"
COLLABORATION = "0a1b2c3d-0000-4000-8000-000000000001"
MEMBERSHIP_A = "aaaaaaaa-0000-4000-8000-00000000000a"
MEMBERSHIP_B = "bbbbbbbb-0000-4000-8000-00000000000b"
#: A membership and a collaboration nobody declared.
UNKNOWN_MEMBERSHIP = "deadbeef-0000-4000-8000-000000000000"
UNKNOWN_COLLABORATION = "deadbeef-0000-4000-8000-000000000001"

TRAINED_MODEL = "cleanroomsml::trained-model"
EXPORT_JOB = "cleanroomsml::trained-model-export-job"
INFERENCE_JOB = "cleanroomsml::trained-model-inference-job"

ROLE = f"arn:aws:iam::{A}:role/cleanrooms-ml"
TRAINING_IMAGE = f"{A}.dkr.ecr.us-east-1.amazonaws.com/train:1"
INFERENCE_IMAGE = f"{A}.dkr.ecr.us-east-1.amazonaws.com/infer:1"
EXPORT_POLICY = {"maxSize": {"unit": "GB", "value": 5.0}, "filesToExport": ["MODEL", "OUTPUT"]}
RESOURCES = {"instanceType": "ml.m5.xlarge", "instanceCount": 1, "volumeSizeInGB": 10}


def input_channel(account: str = A, membership: str = MEMBERSHIP_A, name: str = "chan1") -> str:
    return f"arn:aws:cleanrooms-ml:us-east-1:{account}:membership/{membership}/ml-input-channel/{name}"


def error_code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return str(info.value.response["Error"]["Code"])


@dataclass
class Collab:
    aws: Aws
    a: Any
    b: Any
    outsider: Any
    default_association: str | None = None

    # -- setting things up as member A (or another member) ------------------------------------

    def algorithm(self, client: Any = None, name: str = "algo", **extra: Any) -> str:
        params: dict[str, Any] = {
            "name": name,
            "roleArn": ROLE,
            "trainingContainerConfig": {"imageUri": TRAINING_IMAGE},
            "inferenceContainerConfig": {"imageUri": INFERENCE_IMAGE},
            **extra,
        }
        params = {key: value for key, value in params.items() if value is not None}  # None: leave out
        return str((client or self.a).create_configured_model_algorithm(**params)["configuredModelAlgorithmArn"])

    def association(
        self,
        algorithm: str | None = None,
        name: str = "assoc",
        policies: dict[str, Any] | None = None,
        client: Any = None,
        membership: str = MEMBERSHIP_A,
        **extra: Any,
    ) -> str:
        if policies is None:
            policies = {"trainedModelExports": EXPORT_POLICY}
        return str(
            (client or self.a).create_configured_model_algorithm_association(
                membershipIdentifier=membership,
                configuredModelAlgorithmArn=algorithm or self.algorithm(client),
                name=name,
                privacyConfiguration={"policies": policies},
                **extra,
            )["configuredModelAlgorithmAssociationArn"]
        )

    def train(
        self,
        association: str | None = None,
        name: str = "model",
        client: Any = None,
        membership: str = MEMBERSHIP_A,
        **extra: Any,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "membershipIdentifier": membership,
            "name": name,
            "configuredModelAlgorithmAssociationArn": association or self._default_association(),
            "resourceConfig": RESOURCES,
            "dataChannels": [{"mlInputChannelArn": input_channel(), "channelName": "train"}],
            **extra,
        }
        return dict((client or self.a).create_trained_model(**params))

    def train_as_b(self, association: str, name: str = "b-model", **extra: Any) -> dict[str, Any]:
        """Member B trains in its own membership, on its own data."""
        channel = {"mlInputChannelArn": input_channel(B, MEMBERSHIP_B), "channelName": "train"}
        return self.train(
            association, name=name, client=self.b, membership=MEMBERSHIP_B, dataChannels=[channel], **extra
        )

    def _default_association(self) -> str:
        if self.default_association is None:
            self.default_association = self.association(self.algorithm(name="default"), name="default")
        return self.default_association

    def infer(
        self,
        trained_model: str,
        name: str = "inference",
        client: Any = None,
        membership: str = MEMBERSHIP_B,
        **extra: Any,
    ) -> str:
        params: dict[str, Any] = {
            "membershipIdentifier": membership,
            "name": name,
            "trainedModelArn": trained_model,
            "resourceConfig": {"instanceType": "ml.m5.xlarge", "instanceCount": 1},
            "outputConfiguration": {"accept": "text/csv", "members": [{"accountId": B}]},
            "dataSource": {"mlInputChannelArn": input_channel(B, MEMBERSHIP_B, "scoring")},
            **extra,
        }
        return str((client or self.b).start_trained_model_inference_job(**params)["trainedModelInferenceJobArn"])

    def export(self, trained_model: str, name: str = "export", receiver: str = B, **extra: Any) -> None:
        self.a.start_trained_model_export_job(
            membershipIdentifier=MEMBERSHIP_A,
            trainedModelArn=trained_model,
            name=name,
            outputConfiguration={"members": [{"accountId": receiver}]},
            **extra,
        )

    def manual(self, kind: str, times: int = 1000) -> None:
        """Jobs of ``kind`` stay where they are until looked at ``times`` times (or pushed)."""
        self.aws.control.set_progression(kind, "manual", times=times)


@pytest.fixture
def collab(aws: Aws) -> Collab:
    aws.control.declare_collaboration(
        collaboration_id=COLLABORATION, members={A: MEMBERSHIP_A, B: MEMBERSHIP_B}, name="lookalikes"
    )
    return Collab(
        aws,
        a=aws.client_for_account("cleanroomsml", A),
        b=aws.client_for_account("cleanroomsml", B),
        outsider=aws.client_for_account("cleanroomsml", OUTSIDER),
    )
