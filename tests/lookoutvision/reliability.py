"""What Lookout for Vision lends the reliability tests (see tests/reliability/services.py).

The jobs are model packaging jobs of one trained model."""

from __future__ import annotations

import json
from typing import Any

from tests.modes import Aws
from tests.reliability.services import ReliabilityFixture, all_pages

PROJECT = "fuzz-project"
OUTPUT = {"S3Location": {"Bucket": "lv-data", "Prefix": "out/"}}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
LINES = [{"source-ref": f"s3://lv-data/images/{i}.jpg", "anomaly-label": i % 2} for i in range(4)]
CONFIGURATION = {
    "Greengrass": {
        "TargetDevice": "jetson_xavier",
        "S3OutputLocation": {"Bucket": "lv-data", "Prefix": "packages/"},
        "ComponentName": "fuzz-component",
    }
}


def client(aws: Aws) -> Any:
    return aws.client("lookoutvision")


def prepare(aws: Aws) -> None:
    """A project with a complete train dataset and a trained model, version 1."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="lv-data")
    s3.put_object(Bucket="lv-data", Key="train.manifest", Body="\n".join(map(json.dumps, LINES)).encode())
    lv = client(aws)
    lv.create_project(ProjectName=PROJECT)
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="train",
        DatasetSource={"GroundTruthManifest": {"S3Object": {"Bucket": "lv-data", "Key": "train.manifest"}}},
    )
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)


def setup(aws: Aws) -> dict[str, list[str]]:
    prepare(aws)
    lv = client(aws)
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
        "Bucket": ["lv-data"],
        "Key": ["train.manifest"],
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
        ProjectName=PROJECT, ModelVersion="1", JobName=name, Configuration=CONFIGURATION, ClientToken=token
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
    describe_job=lambda lv, name: lv.describe_model_packaging_job(ProjectName=PROJECT, JobName=name),
)
