"""What Lookout for Vision lends the reliability tests (see tests/reliability/services.py).

The jobs are model packaging jobs of one trained model."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.lookoutvision.helpers import standard_lines
from tests.reliability.services import Make, ReliabilityFixture, all_pages

PROJECT = "fuzz-project"
OUTPUT = {"S3Location": {"Bucket": "lv-data", "Prefix": "out/"}}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
#: Labeled images, normal and anomalous, enough to train on.
LINES = standard_lines()
CONFIGURATION = {
    "Greengrass": {
        "TargetDevice": "jetson_xavier",
        "S3OutputLocation": {"Bucket": "lv-data", "Prefix": "packages/"},
        "ComponentName": "fuzz-component",
    }
}


def client(make: Make) -> Any:
    return make("lookoutvision")


def prepare(make: Make) -> None:
    """A project with a complete train dataset and a trained model, version 1."""
    s3 = make("s3")
    # Bucket names are global: one bucket of manifests for every account and region.
    bucket = f"lv-manifests-{uuid.uuid4().hex[:12]}"
    region = s3.meta.region_name
    location = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    s3.create_bucket(Bucket=bucket, **location)
    s3.put_object(
        Bucket=bucket, Key="train.manifest", Body="\n".join(map(json.dumps, LINES)).encode()
    )
    lv = client(make)
    lv.create_project(ProjectName=PROJECT)
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="train",
        DatasetSource={
            "GroundTruthManifest": {"S3Object": {"Bucket": bucket, "Key": "train.manifest"}}
        },
    )
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)


def setup(make: Make) -> dict[str, list[Any]]:
    prepare(make)
    lv = client(make)
    model = lv.describe_model(ProjectName=PROJECT, ModelVersion="1")["ModelDescription"]
    create_job(lv, "fuzz-packaging")
    lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)  # version 2: trained, not hosted
    lv.create_project(ProjectName="fuzz-empty-project")
    return {
        "ProjectName": [PROJECT, "fuzz-empty-project"],
        "ModelVersion": ["1", "2", "latest"],
        "JobName": ["fuzz-packaging"],
        "ResourceArn": [model["ModelArn"]],
        "Configuration": [CONFIGURATION],
        "OutputConfig": [OUTPUT],
        "ContentType": ["image/jpeg"],
        "Body": [JPEG],
        "Changes": [json.dumps(LINES[0]).encode()],
    }


def create_job(lv: Any, name: str) -> Any:
    return lv.start_model_packaging_job(
        ProjectName=PROJECT, ModelVersion="1", JobName=name, Configuration=CONFIGURATION
    )


def create_job_with_token(lv: Any, name: str, token: str) -> str:
    return lv.start_model_packaging_job(  # type: ignore[no-any-return]
        ProjectName=PROJECT,
        ModelVersion="1",
        JobName=name,
        Configuration=CONFIGURATION,
        ClientToken=token,
    )["JobName"]


def job_names(lv: Any) -> list[str]:
    jobs = all_pages(lv.list_model_packaging_jobs, "ModelPackagingJobs", ProjectName=PROJECT)
    return [job["JobName"] for job in jobs]


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    prepare=prepare,
    create_job=create_job,
    job_names=job_names,
    conflict_code="ConflictException",
    create_job_with_token=create_job_with_token,
    describe_job=lambda lv, name: lv.describe_model_packaging_job(
        ProjectName=PROJECT, JobName=name
    ),
)
