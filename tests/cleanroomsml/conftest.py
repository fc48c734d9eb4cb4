"""A two-member collaboration, declared through the job control, with a client for each
member's account and one for an account outside it (in both modes, via the ``aws``
fixture). Both members have an ML configuration, so either can receive output; trained
models and inference jobs read real ML input channels (``Collab.channel``)."""

from __future__ import annotations

from dataclasses import dataclass, field
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


INPUT_CHANNEL = "cleanroomsml::ml-input-channel"


def input_channel(account: str = A, membership: str = MEMBERSHIP_A, name: str = "chan1") -> str:
    """The ARN of an ML input channel nobody created."""
    return f"arn:aws:cleanrooms-ml:us-east-1:{account}:membership/{membership}/ml-input-channel/{name}"


def output_location(account: str) -> dict[str, Any]:
    return {
        "destination": {"s3Destination": {"s3Uri": f"s3://ml-output-{account}/results"}},
        "roleArn": f"arn:aws:iam::{account}:role/ml-output",
    }


def channel_source(query: str = "SELECT * FROM training_data", account: str = A) -> dict[str, Any]:
    return {
        "dataSource": {"protectedQueryInputParameters": {"sqlParameters": {"queryString": query}}},
        "roleArn": f"arn:aws:iam::{account}:role/ml-input",
    }


def error_code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return str(info.value.response["Error"]["Code"])


@dataclass
class Collab:
    aws: Aws
    a: Any
    b: Any
    outsider: Any
    default_association: str | None = None
    #: ML input channels made so far: (membership, association) -> ARN.
    channels: dict[tuple[str, str], str] = field(default_factory=dict)

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
            **extra,
        }
        if "dataChannels" not in params:
            channel = self.channel(params["configuredModelAlgorithmAssociationArn"], client or self.a, membership)
            params["dataChannels"] = [{"mlInputChannelArn": channel, "channelName": "train"}]
        return dict((client or self.a).create_trained_model(**params))

    def train_as_b(self, association: str, name: str = "b-model", **extra: Any) -> dict[str, Any]:
        """Member B trains in its own membership, on its own data."""
        return self.train(association, name=name, client=self.b, membership=MEMBERSHIP_B, **extra)

    def channel(
        self,
        association: str | None = None,
        client: Any = None,
        membership: str = MEMBERSHIP_A,
        name: str | None = None,
        **extra: Any,
    ) -> str:
        """An ML input channel of ``membership`` for ``association`` (made once, then the
        same one; a new one where ``name`` or ``extra`` is given)."""
        association = association or self._default_association()
        key = (membership, association)
        if name is None and not extra and key in self.channels:
            return self.channels[key]
        account = A if membership == MEMBERSHIP_A else B
        made = (client or (self.a if membership == MEMBERSHIP_A else self.b)).create_ml_input_channel(
            membershipIdentifier=membership,
            configuredModelAlgorithmAssociations=[association],
            inputChannel=channel_source(account=account),
            name=name or f"channel-{len(self.channels) + 1}",
            **{"retentionInDays": 30, **extra},
        )["mlInputChannelArn"]
        if name is None and not extra:
            self.channels[key] = made
        return str(made)

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
            **extra,
        }
        if "dataSource" not in params:
            params["dataSource"] = {"mlInputChannelArn": self.scoring_channel()}
        return str((client or self.b).start_trained_model_inference_job(**params)["trainedModelInferenceJobArn"])

    def scoring_channel(self) -> str:
        """Member B's channel of the data it scores (for the default association)."""
        return self.channel(client=self.b, membership=MEMBERSHIP_B)

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
    made = Collab(
        aws,
        a=aws.client_for_account("cleanroomsml", A),
        b=aws.client_for_account("cleanroomsml", B),
        outsider=aws.client_for_account("cleanroomsml", OUTSIDER),
    )
    made.a.put_ml_configuration(membershipIdentifier=MEMBERSHIP_A, defaultOutputLocation=output_location(A))
    made.b.put_ml_configuration(membershipIdentifier=MEMBERSHIP_B, defaultOutputLocation=output_location(B))
    return made
