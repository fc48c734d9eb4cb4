"""What Clean Rooms ML lends the reliability tests (see tests/reliability/services.py).

Every account that takes part gets its own collaboration with a second member, declared
through the job control (in-process or over HTTP, as the client is), a configured model
algorithm, an association, an ML input channel for it and an ML configuration; the jobs
are trained models in its membership."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages

OTHER_MEMBER = "999999999999"
RESOURCES = {"instanceType": "ml.m5.xlarge", "instanceCount": 1, "volumeSizeInGB": 10}


@dataclass
class Member:
    """One account's client, with its membership and the association it trains with."""

    client: Any
    account: str
    region: str

    @property
    def membership(self) -> str:
        return f"aaaaaaaa-0000-4000-8000-{self.account}"

    @property
    def collaboration(self) -> str:
        return f"cccccccc-0000-4000-8000-{self.account}"

    def arn(self, resource: str) -> str:
        return f"arn:aws:cleanrooms-ml:{self.region}:{self.account}:{resource}"

    def channel(self, name: str = "fuzz-channel") -> str:
        """The ARN of the membership's ML input channel ``name`` (made by ``prepare``)."""
        found = all_pages(
            self.client.list_ml_input_channels, "mlInputChannelsList", "nextToken", membershipIdentifier=self.membership
        )
        return next(c["mlInputChannelArn"] for c in found if c["name"] == name)

    def association(self) -> str:
        found = all_pages(
            self.client.list_configured_model_algorithm_associations,
            "configuredModelAlgorithmAssociations",
            "nextToken",
            membershipIdentifier=self.membership,
        )
        return next(a["configuredModelAlgorithmAssociationArn"] for a in found if a["name"] == "fuzz-association")

    def trained_model(self, name: str) -> str:
        for model in all_pages(
            self.client.list_trained_models, "trainedModels", "nextToken", membershipIdentifier=self.membership
        ):
            if model["name"] == name:
                return str(model["trainedModelArn"])
        return self.arn(f"membership/{self.membership}/trained-model/{name}")


def client(make: Make) -> Member:
    cleanroomsml = make("cleanroomsml")
    account = make("sts").get_caller_identity()["Account"]
    return Member(cleanroomsml, account, cleanroomsml.meta.region_name)


def _control(member: Member) -> Any:
    from mlmocks import RemoteJobControl, job_control

    endpoint = member.client.meta.endpoint_url
    return job_control if endpoint.endswith(".amazonaws.com") else RemoteJobControl(endpoint)


def prepare(make: Make) -> None:
    """A collaboration of this account and another, an algorithm and its association."""
    member = client(make)
    _control(member).declare_collaboration(
        collaboration_id=member.collaboration,
        members={member.account: member.membership, OTHER_MEMBER: f"bbbbbbbb-0000-4000-8000-{member.account}"},
        region=member.region,
        name="fuzz",
    )
    algorithm = member.client.create_configured_model_algorithm(
        name="fuzz-algorithm",
        roleArn=f"arn:aws:iam::{member.account}:role/cleanrooms-ml",
        trainingContainerConfig={"imageUri": f"{member.account}.dkr.ecr.{member.region}.amazonaws.com/train:1"},
        inferenceContainerConfig={"imageUri": f"{member.account}.dkr.ecr.{member.region}.amazonaws.com/infer:1"},
    )["configuredModelAlgorithmArn"]
    association = member.client.create_configured_model_algorithm_association(
        membershipIdentifier=member.membership,
        configuredModelAlgorithmArn=algorithm,
        name="fuzz-association",
        privacyConfiguration={
            "policies": {
                "trainedModelExports": {"maxSize": {"unit": "GB", "value": 5.0}, "filesToExport": ["MODEL"]}
            }
        },
    )["configuredModelAlgorithmAssociationArn"]
    role = f"arn:aws:iam::{member.account}:role/cleanrooms-ml"
    member.client.create_ml_input_channel(
        membershipIdentifier=member.membership,
        configuredModelAlgorithmAssociations=[association],
        inputChannel={
            "dataSource": {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}},
            "roleArn": role,
        },
        name="fuzz-channel",
        retentionInDays=30,
    )
    member.client.put_ml_configuration(
        membershipIdentifier=member.membership,
        defaultOutputLocation={"destination": {"s3Destination": {"s3Uri": "s3://fuzz-output/ml"}}, "roleArn": role},
    )


def create_job(member: Member, name: str, association: str | None = None) -> Any:
    return member.client.create_trained_model(
        membershipIdentifier=member.membership,
        name=name,
        configuredModelAlgorithmAssociationArn=association or member.association(),
        resourceConfig=RESOURCES,
        dataChannels=[{"mlInputChannelArn": member.channel(), "channelName": "train"}],
    )


def setup(make: Make) -> dict[str, list[Any]]:
    prepare(make)
    member = client(make)
    association = member.association()
    model = create_job(member, "fuzz-model", association)["trainedModelArn"]
    member.client.start_trained_model_export_job(
        membershipIdentifier=member.membership,
        trainedModelArn=model,
        name="fuzz-export",
        outputConfiguration={"members": [{"accountId": member.account}]},
    )
    inference = member.client.start_trained_model_inference_job(
        membershipIdentifier=member.membership,
        name="fuzz-inference",
        trainedModelArn=model,
        resourceConfig={"instanceType": "ml.m5.xlarge", "instanceCount": 1},
        outputConfiguration={"accept": "text/csv", "members": [{"accountId": member.account}]},
        dataSource={"mlInputChannelArn": member.channel()},
    )["trainedModelInferenceJobArn"]
    algorithm = member.client.list_configured_model_algorithms()["configuredModelAlgorithms"][0]
    values: dict[str, list[Any]] = {
        "membershipIdentifier": [member.membership],
        "collaborationIdentifier": [member.collaboration],
        "configuredModelAlgorithmArn": [algorithm["configuredModelAlgorithmArn"]],
        "configuredModelAlgorithmAssociationArn": [association],
        "trainedModelArn": [model],
        "trainedModelInferenceJobArn": [inference],
        "resourceArn": [model, association, inference, algorithm["configuredModelAlgorithmArn"], member.channel()],
        "mlInputChannelArn": [member.channel()],
        "configuredModelAlgorithmAssociations": [[association]],
        "inputChannel": [
            {
                "dataSource": {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}},
                "roleArn": f"arn:aws:iam::{member.account}:role/cleanrooms-ml",
            }
        ],
        "defaultOutputLocation": [
            {
                "destination": {"s3Destination": {"s3Uri": "s3://fuzz-output/ml"}},
                "roleArn": f"arn:aws:iam::{member.account}:role/cleanrooms-ml",
            }
        ],
        "resourceConfig": [RESOURCES],
        "roleArn": [f"arn:aws:iam::{member.account}:role/cleanrooms-ml"],
    }
    for name, extra in lookalike_setup(make, member).items():
        values.setdefault(name, []).extend(extra)
    return values


def lookalike_setup(make: Make, member: Member) -> dict[str, list[Any]]:
    """The lookalike side: a Glue table, a training dataset on it, an audience model, a
    configured audience model with a policy, a generation job and an export job."""
    glue = make("glue")
    glue.create_database(DatabaseInput={"Name": "fuzz_interactions"})
    columns = [{"Name": name, "Type": "string"} for name in ("user_id", "item_id", "event_time")]
    glue.create_table(
        DatabaseName="fuzz_interactions", TableInput={"Name": "events", "StorageDescriptor": {"Columns": columns}}
    )
    role = f"arn:aws:iam::{member.account}:role/cleanrooms-ml"
    training_data = [
        {
            "type": "INTERACTIONS",
            "inputConfig": {
                "schema": [
                    {"columnName": "user_id", "columnTypes": ["USER_ID"]},
                    {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
                    {"columnName": "event_time", "columnTypes": ["TIMESTAMP"]},
                ],
                "dataSource": {"glueDataSource": {"databaseName": "fuzz_interactions", "tableName": "events"}},
            },
        }
    ]
    client = member.client
    dataset = client.create_training_dataset(name="fuzz-dataset", roleArn=role, trainingData=training_data)[
        "trainingDatasetArn"
    ]
    model = client.create_audience_model(name="fuzz-audience-model", trainingDatasetArn=dataset)["audienceModelArn"]
    output = {"destination": {"s3Destination": {"s3Uri": "s3://fuzz-audiences/"}}, "roleArn": role}
    sizes = {"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000]}
    configured = client.create_configured_audience_model(
        name="fuzz-configured",
        audienceModelArn=model,
        outputConfig=output,
        sharedAudienceMetrics=["ALL"],
        audienceSizeConfig=sizes,
    )["configuredAudienceModelArn"]
    policy = '{"Version": "2012-10-17", "Statement": []}'
    client.put_configured_audience_model_policy(
        configuredAudienceModelArn=configured, configuredAudienceModelPolicy=policy
    )
    seed = {"dataSource": {"s3Uri": "s3://fuzz-seeds/users.jsonl"}, "roleArn": role}
    job = client.start_audience_generation_job(
        name="fuzz-segment", configuredAudienceModelArn=configured, seedAudience=seed
    )["audienceGenerationJobArn"]
    client.start_audience_export_job(
        name="fuzz-export", audienceGenerationJobArn=job, audienceSize={"type": "ABSOLUTE", "value": 1000}
    )
    return {
        "trainingDatasetArn": [dataset],
        "audienceModelArn": [model],
        "configuredAudienceModelArn": [configured],
        "audienceGenerationJobArn": [job],
        "resourceArn": [dataset, model, configured, job],
        "trainingData": [training_data],
        "outputConfig": [output],
        "audienceSizeConfig": [sizes],
        "audienceSize": [{"type": "ABSOLUTE", "value": 1000}],
        "seedAudience": [seed],
        "configuredAudienceModelPolicy": [policy],
        "collaborationId": [member.collaboration],
    }


def job_names(member: Member) -> list[str]:
    models = all_pages(
        member.client.list_trained_models, "trainedModels", "nextToken", membershipIdentifier=member.membership
    )
    return [model["name"] for model in models]


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    prepare=prepare,
    create_job=create_job,
    job_names=job_names,
    conflict_code="ConflictException",
    stop_job=lambda member, name: member.client.cancel_trained_model(
        membershipIdentifier=member.membership, trainedModelArn=member.trained_model(name)
    ),
    describe_job=lambda member, name: member.client.get_trained_model(
        membershipIdentifier=member.membership, trainedModelArn=member.trained_model(name)
    ),
    delete_job=lambda member, name: member.client.delete_trained_model_output(
        membershipIdentifier=member.membership, trainedModelArn=member.trained_model(name)
    ),
)
