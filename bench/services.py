"""What the benchmark measures of each service: one ``ServiceBench`` per service.

An entry says how to set up what the service's jobs need, how to create job number
``i``, its representative describe/get and list calls, and the lists to page through
at scale. Every section of the benchmark (latency, list scaling, memory, server) reads
this table, so adding a service is adding one entry to ``SERVICES``.

moto's own calls of the same protocol (``MOTO_BASELINES``) are what each service's
calls are compared with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"

#: A boto3 method name and its parameters.
Call = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Listing:
    """A list call that the scaling section pages through with boto3's paginator at the
    service's default page size (or calls once, for a list that does not paginate)."""

    label: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)
    #: Puts ``n`` items where this list finds them; by default the service's jobs.
    seed: Callable[[Any, int], None] | None = None


@dataclass(frozen=True)
class ServiceBench:
    #: boto3 name of the service.
    service: str
    #: What one stored job is (shown in the tables).
    job: str
    #: Creates job number ``i`` (names must be unique per ``i``).
    create: Callable[[Any, int], None]
    #: The representative describe/get call (of job 0) and list call; either fixed, or
    #: worked out from the client once the jobs exist (for an id the service made up).
    describe: Call | Callable[[Any], Call]
    list: Call | Callable[[Any], Call]
    #: Lists to page through at N jobs: a plain one, and a filtered and sorted one.
    listings: tuple[Listing, ...]
    #: What must exist before jobs can be created (a project, a trained model, ...).
    prepare: Callable[[Any], None] = lambda client: None
    #: Where the client sends requests in-process (Neptune: a cluster endpoint).
    endpoint_url: str | None = None

    def client(self, **kwargs: Any) -> Any:
        import boto3

        if self.endpoint_url is not None:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        return boto3.client(self.service, region_name=REGION, **kwargs)

    def seed(self, client: Any, n: int, start: int = 0) -> None:
        for i in range(start, start + n):
            self.create(client, i)

    def describe_call(self, client: Any) -> Call:
        return self.describe(client) if callable(self.describe) else self.describe

    def list_call(self, client: Any) -> Call:
        return self.list(client) if callable(self.list) else self.list


def half(i: int) -> str:
    """Half the jobs carry ``<prefix>-a`` in their names, so a name filter keeps half."""
    return "a" if i % 2 else "b"


# -- bedrock: model import jobs (REST-JSON) ---------------------------------------------------

BEDROCK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/bench"


def _bedrock_create(client: Any, i: int) -> None:
    client.create_model_import_job(
        jobName=f"import-{half(i)}-{i:06d}",
        importedModelName=f"model-{i:06d}",
        roleArn=BEDROCK_ROLE,
        modelDataSource={"s3DataSource": {"s3Uri": "s3://bench-models/llama/"}},
    )


BEDROCK = ServiceBench(
    service="bedrock",
    job="model import job",
    create=_bedrock_create,
    describe=("get_model_import_job", {"jobIdentifier": "import-b-000000"}),
    list=("list_model_import_jobs", {}),
    listings=(
        Listing("ListModelImportJobs", "list_model_import_jobs"),
        Listing(
            "ListModelImportJobs status+name, ascending",
            "list_model_import_jobs",
            {"statusEquals": "Completed", "nameContains": "import-a", "sortOrder": "Ascending"},
        ),
    ),
)

# -- sagemaker: compilation jobs (JSON) ---------------------------------------------------------


def _sagemaker_create(client: Any, i: int) -> None:
    client.create_compilation_job(
        CompilationJobName=f"compile-{half(i)}-{i:06d}",
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/bench",
        InputConfig={
            "S3Uri": "s3://bench-models/resnet/model.tar.gz",
            "Framework": "PYTORCH",
            "FrameworkVersion": "1.8",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        },
        OutputConfig={"S3OutputLocation": "s3://bench-models/compiled", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
    )


SAGEMAKER = ServiceBench(
    service="sagemaker",
    job="compilation job",
    create=_sagemaker_create,
    describe=("describe_compilation_job", {"CompilationJobName": "compile-b-000000"}),
    list=("list_compilation_jobs", {}),
    listings=(
        Listing("ListCompilationJobs", "list_compilation_jobs"),
        Listing(
            "ListCompilationJobs status+name, by Status desc",
            "list_compilation_jobs",
            {"StatusEquals": "COMPLETED", "NameContains": "compile-a", "SortBy": "Status", "SortOrder": "Descending"},
        ),
    ),
)

# -- neptunedata: Neptune ML data processing jobs (REST-JSON) ----------------------------------


def _neptune_create(client: Any, i: int) -> None:
    client.start_ml_data_processing_job(
        id=f"dp-{i:06d}",
        inputDataS3Location="s3://bench-graph/export/",
        processedDataS3Location="s3://bench-graph/processed/",
        neptuneIamRoleArn=f"arn:aws:iam::{ACCOUNT}:role/neptune-ml",
    )


NEPTUNEDATA = ServiceBench(
    service="neptunedata",
    job="ML data processing job",
    create=_neptune_create,
    describe=("get_ml_data_processing_job", {"id": "dp-000000"}),
    list=("list_ml_data_processing_jobs", {}),
    # Neptune ML's lists do not paginate: one call returns the newest maxItems ids.
    listings=(
        Listing("ListMLDataProcessingJobs (no paging)", "list_ml_data_processing_jobs"),
        Listing("ListMLDataProcessingJobs maxItems=1024", "list_ml_data_processing_jobs", {"maxItems": 1024}),
    ),
    endpoint_url="https://bench.cluster-abc123xyz.us-east-1.neptune.amazonaws.com:8182",
)

# -- lookoutvision: model packaging jobs (REST-JSON) ---------------------------------------------

LFV_PROJECT = "bench"
LFV_BUCKET = "bench-lookoutvision"


def _manifest_line(i: int) -> str:
    line: dict[str, Any] = {"source-ref": f"s3://{LFV_BUCKET}/images/board-{i:06d}.jpg"}
    if i % 2:  # half the entries are labeled
        line["anomaly-label"] = 1 if i % 3 == 0 else 0
        line["anomaly-label-metadata"] = {
            "class-name": "anomaly" if i % 3 == 0 else "normal",
            "creation-date": "2026-01-01T00:00:00",
            "human-annotated": "yes",
        }
    return json.dumps(line)


def _lfv_prepare(client: Any) -> None:
    """A project with a train dataset from a manifest in moto's S3 and a trained model."""
    import boto3

    endpoint = client.meta.endpoint_url
    server = None if endpoint.endswith("amazonaws.com") else endpoint  # in-process, or a server
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=server)
    s3.create_bucket(Bucket=LFV_BUCKET)
    manifest = "\n".join(_manifest_line(i) for i in range(4))
    s3.put_object(Bucket=LFV_BUCKET, Key="train.manifest", Body=manifest.encode())
    client.create_project(ProjectName=LFV_PROJECT)
    client.create_dataset(
        ProjectName=LFV_PROJECT,
        DatasetType="train",
        DatasetSource={"GroundTruthManifest": {"S3Object": {"Bucket": LFV_BUCKET, "Key": "train.manifest"}}},
    )
    client.describe_dataset(ProjectName=LFV_PROJECT, DatasetType="train")
    client.create_model(ProjectName=LFV_PROJECT, OutputConfig={"S3Location": {"Bucket": LFV_BUCKET}})
    client.describe_model(ProjectName=LFV_PROJECT, ModelVersion="1")


def _lfv_create(client: Any, i: int) -> None:
    client.start_model_packaging_job(
        ProjectName=LFV_PROJECT,
        ModelVersion="1",
        JobName=f"package-{i:06d}",
        Configuration={
            "Greengrass": {
                "TargetDevice": "jetson_xavier",
                "S3OutputLocation": {"Bucket": LFV_BUCKET, "Prefix": "packages/"},
                "ComponentName": "board-inspector",
            }
        },
    )


def _lfv_seed_entries(client: Any, n: int) -> None:
    """``n`` more entries in the train dataset (the 4 of the manifest are there already)."""
    # In calls of 10,000 lines: a call's Changes may hold 10 MiB.
    for start in range(4, 4 + n, 10_000):
        lines = (_manifest_line(i) for i in range(start, min(start + 10_000, 4 + n)))
        client.update_dataset_entries(ProjectName=LFV_PROJECT, DatasetType="train", Changes="\n".join(lines).encode())


LOOKOUTVISION = ServiceBench(
    service="lookoutvision",
    job="model packaging job",
    prepare=_lfv_prepare,
    create=_lfv_create,
    describe=("describe_model_packaging_job", {"ProjectName": LFV_PROJECT, "JobName": "package-000000"}),
    list=("list_model_packaging_jobs", {"ProjectName": LFV_PROJECT}),
    listings=(
        Listing("ListModelPackagingJobs", "list_model_packaging_jobs", {"ProjectName": LFV_PROJECT}),
        # Lookout for Vision's job lists neither filter nor sort: its filtered list is
        # ListDatasetEntries (labeled, one anomaly class, a source-ref substring, in
        # source-ref order), at N entries.
        Listing(
            "ListDatasetEntries labeled+class+ref",
            "list_dataset_entries",
            {
                "ProjectName": LFV_PROJECT,
                "DatasetType": "train",
                "Labeled": True,
                "AnomalyClass": "normal",
                "SourceRefContains": "board-",
            },
            seed=_lfv_seed_entries,
        ),
    ),
)

# -- cleanroomsml: trained models in a collaboration (REST-JSON) -------------------------------

CRML_COLLABORATION = "0a1b2c3d-0000-4000-8000-0000000000be"
CRML_MEMBERSHIP = "aaaaaaaa-0000-4000-8000-0000000000be"
CRML_ROLE = f"arn:aws:iam::{ACCOUNT}:role/cleanrooms-ml"
#: The association the trained models are created from and the ML input channel they
#: train on (made by ``_crml_prepare``).
_crml_association: dict[str, str] = {}


def _crml_prepare(client: Any) -> None:
    """A one-member collaboration (declared through the job control of wherever the client
    sends its requests), an algorithm, its association in the membership and an ML input
    channel for it."""
    from mlmocks import RemoteJobControl, job_control

    endpoint = client.meta.endpoint_url
    control = job_control if endpoint.endswith("amazonaws.com") else RemoteJobControl(endpoint)
    control.declare_collaboration(CRML_COLLABORATION, members={ACCOUNT: CRML_MEMBERSHIP}, region=REGION)
    algorithm = client.create_configured_model_algorithm(
        name="bench-algorithm",
        roleArn=CRML_ROLE,
        trainingContainerConfig={"imageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:1"},
    )["configuredModelAlgorithmArn"]
    _crml_association["arn"] = client.create_configured_model_algorithm_association(
        membershipIdentifier=CRML_MEMBERSHIP,
        configuredModelAlgorithmArn=algorithm,
        name="bench-association",
        privacyConfiguration={"policies": {}},
    )["configuredModelAlgorithmAssociationArn"]
    _crml_association["channel"] = client.create_ml_input_channel(
        membershipIdentifier=CRML_MEMBERSHIP,
        configuredModelAlgorithmAssociations=[_crml_association["arn"]],
        inputChannel={
            "dataSource": {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT 1"}}},
            "roleArn": CRML_ROLE,
        },
        name="bench-channel",
        retentionInDays=30,
    )["mlInputChannelArn"]


def _crml_create(client: Any, i: int) -> None:
    client.create_trained_model(
        membershipIdentifier=CRML_MEMBERSHIP,
        name=f"model-{half(i)}-{i:06d}",
        configuredModelAlgorithmAssociationArn=_crml_association["arn"],
        resourceConfig={"instanceType": "ml.m5.xlarge", "instanceCount": 1, "volumeSizeInGB": 10},
        dataChannels=[{"mlInputChannelArn": _crml_association["channel"], "channelName": "train"}],
    )


def _crml_describe(client: Any) -> Call:
    """GetTrainedModel of the oldest model: its ARN is one the service made up."""
    paginator = client.get_paginator("list_trained_models")
    pages = paginator.paginate(membershipIdentifier=CRML_MEMBERSHIP)
    oldest = [model for page in pages for model in page["trainedModels"]][-1]
    return "get_trained_model", {"membershipIdentifier": CRML_MEMBERSHIP, "trainedModelArn": oldest["trainedModelArn"]}


CLEANROOMSML = ServiceBench(
    service="cleanroomsml",
    job="trained model",
    prepare=_crml_prepare,
    create=_crml_create,
    describe=_crml_describe,
    list=("list_trained_models", {"membershipIdentifier": CRML_MEMBERSHIP}),
    # Clean Rooms ML's lists neither filter nor sort: the second list is the
    # collaboration's view of the same models.
    listings=(
        Listing("ListTrainedModels", "list_trained_models", {"membershipIdentifier": CRML_MEMBERSHIP}),
        Listing(
            "ListCollaborationTrainedModels",
            "list_collaboration_trained_models",
            {"collaborationIdentifier": CRML_COLLABORATION},
        ),
    ),
)

#: Every service, in the order of the tables.
SERVICES: tuple[ServiceBench, ...] = (BEDROCK, SAGEMAKER, NEPTUNEDATA, LOOKOUTVISION, CLEANROOMSML)


# -- moto's own calls, by protocol ------------------------------------------------------------


@dataclass(frozen=True)
class MotoBaseline:
    """moto's own describe and list calls of one protocol, through the same framework."""

    protocol: str
    service: str
    create: Callable[[Any, int], None]
    describe: Call
    list: Call

    def client(self, **kwargs: Any) -> Any:
        import boto3

        return boto3.client(self.service, region_name=REGION, **kwargs)

    def seed(self, client: Any, n: int) -> None:
        for i in range(n):
            self.create(client, i)


def _moto_customization_job(client: Any, i: int) -> None:
    client.create_model_customization_job(
        jobName=f"tune-{i:06d}",
        customModelName=f"custom-{i:06d}",
        roleArn=BEDROCK_ROLE,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://bench-training/data.jsonl"},
        outputDataConfig={"s3Uri": "s3://bench-training/output/"},
        hyperParameters={},
    )


def _moto_model(client: Any, i: int) -> None:
    # A model: moto's on the shared host (mlmocks owns SageMaker's job families).
    client.create_model(
        ModelName=f"model-{i:06d}",
        ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/bench",
        PrimaryContainer={
            "Image": "111111111111.dkr.ecr.us-east-1.amazonaws.com/serve:1",
            "ModelDataUrl": "s3://bench-training/output/model.tar.gz",
        },
    )


MOTO_BASELINES = {
    "rest-json": MotoBaseline(
        protocol="rest-json",
        service="bedrock",
        create=_moto_customization_job,
        describe=("get_model_customization_job", {"jobIdentifier": "tune-000000"}),
        list=("list_model_customization_jobs", {}),
    ),
    "json": MotoBaseline(
        protocol="json",
        service="sagemaker",
        create=_moto_model,
        describe=("describe_model", {"ModelName": "model-000000"}),
        list=("list_models", {}),
    ),
}
