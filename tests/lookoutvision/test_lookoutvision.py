"""Lookout for Vision end to end through boto3 on the current botocore (which no longer
ships the client: mlmocks lends it the model), in-process and against the server."""

from __future__ import annotations

import json
from typing import Any

import botocore.loaders
import pytest

from tests.modes import ACCOUNT, Aws

PROJECT = "circuit-boards"
OUTPUT = {"S3Location": {"Bucket": "lv-data", "Prefix": "out/"}}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
MODEL_KIND = "lookoutvision::model"


def manifest_line(index: int, label: str | None = "normal", day: int = 1) -> dict[str, Any]:
    line: dict[str, Any] = {"source-ref": f"s3://lv-data/images/board-{index}.jpg"}
    if label is not None:
        line["anomaly-label"] = 1 if label == "anomaly" else 0
        line["anomaly-label-metadata"] = {
            "class-name": label,
            "creation-date": f"2026-01-{day:02d}T00:00:00",
            "human-annotated": "yes",
        }
    return line


def setup_project(aws: Aws, lines: list[dict[str, Any]] | None = None) -> Any:
    """A project whose train dataset comes from a manifest in moto's S3."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="lv-data")
    lines = lines or [manifest_line(i, "anomaly" if i % 3 == 0 else "normal", i + 1) for i in range(6)]
    s3.put_object(Bucket="lv-data", Key="train.manifest", Body="\n".join(map(json.dumps, lines)).encode())
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="train",
        DatasetSource={"GroundTruthManifest": {"S3Object": {"Bucket": "lv-data", "Key": "train.manifest"}}},
    )
    return lv


def test_botocore_lacks_the_service_but_the_client_works(aws: Aws) -> None:
    import os

    assert not os.path.isdir(os.path.join(botocore.loaders.Loader.BUILTIN_DATA_PATH, "lookoutvision"))
    lv = aws.client("lookoutvision")
    assert lv.can_paginate("list_projects") and lv.can_paginate("list_dataset_entries")
    assert lv.exceptions.ConflictException.__name__ == "ConflictException"
    assert lv.list_projects()["Projects"] == []


def test_project_dataset_model_host_detect_package(aws: Aws) -> None:
    lv = setup_project(aws)
    project = lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]
    assert project["ProjectArn"] == f"arn:aws:lookoutvision:us-east-1:{ACCOUNT}:project/{PROJECT}"
    assert [d["DatasetType"] for d in project["Datasets"]] == ["train"]

    dataset = lv.describe_dataset(ProjectName=PROJECT, DatasetType="train")["DatasetDescription"]
    assert dataset["Status"] == "CREATE_COMPLETE"
    assert dataset["ImageStats"] == {"Total": 6, "Labeled": 6, "Normal": 4, "Anomaly": 2}

    created = lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT, Tags=[{"Key": "team", "Value": "qa"}])
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    metadata = created["ModelMetadata"]
    assert (metadata["ModelVersion"], metadata["Status"]) == ("1", "TRAINING")
    arn = metadata["ModelArn"]
    assert arn == f"arn:aws:lookoutvision:us-east-1:{ACCOUNT}:model/{PROJECT}/1"

    model = lv.describe_model(ProjectName=PROJECT, ModelVersion="1")["ModelDescription"]
    assert model["Status"] == "TRAINED"
    performance = model["Performance"]
    assert 0 < performance["Recall"] <= 1 and 0 < performance["Precision"] <= 1
    assert model["EvaluationResult"]["Key"].startswith("out/")
    assert "EvaluationEndTimestamp" in model

    with pytest.raises(lv.exceptions.ConflictException) as info:  # not hosted yet
        lv.detect_anomalies(ProjectName=PROJECT, ModelVersion="1", Body=JPEG, ContentType="image/jpeg")
    assert info.value.response["ResourceType"] == "MODEL"
    assert info.value.response["ResourceId"] == arn

    assert lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)["Status"] == "STARTING_HOSTING"
    hosted = lv.describe_model(ProjectName=PROJECT, ModelVersion="latest")["ModelDescription"]
    assert (hosted["Status"], hosted["MinInferenceUnits"]) == ("HOSTED", 1)

    normal = lv.detect_anomalies(ProjectName=PROJECT, ModelVersion="1", Body=JPEG, ContentType="image/jpeg")
    anomalous = lv.detect_anomalies(
        ProjectName=PROJECT, ModelVersion="1", Body=JPEG + b"ANOMALY", ContentType="image/jpeg"
    )
    assert normal["DetectAnomalyResult"]["IsAnomalous"] is False
    assert anomalous["DetectAnomalyResult"]["IsAnomalous"] is True
    again = lv.detect_anomalies(ProjectName=PROJECT, ModelVersion="1", Body=JPEG, ContentType="image/jpeg")
    assert again["DetectAnomalyResult"] == normal["DetectAnomalyResult"]  # deterministic
    for body, content_type in [(JPEG, "image/gif"), (b"not an image", "image/png"), (JPEG, "image/png")]:
        with pytest.raises(lv.exceptions.ValidationException):
            lv.detect_anomalies(ProjectName=PROJECT, ModelVersion="1", Body=body, ContentType=content_type)

    job_name = lv.start_model_packaging_job(
        ProjectName=PROJECT,
        ModelVersion="1",
        Configuration={
            "Greengrass": {
                "TargetPlatform": {"Os": "LINUX", "Arch": "X86_64", "Accelerator": "NVIDIA"},
                "CompilerOptions": '{"gpu-code": "sm_75"}',
                "S3OutputLocation": {"Bucket": "lv-data", "Prefix": "packages/"},
                "ComponentName": "board-inspector",
                "ComponentVersion": "2.0.1",
            }
        },
    )["JobName"]
    job = lv.describe_model_packaging_job(ProjectName=PROJECT, JobName=job_name)["ModelPackagingDescription"]
    assert job["Status"] == "SUCCEEDED"
    assert job["ModelPackagingOutputDetails"]["Greengrass"] == {
        "ComponentVersionArn": f"arn:aws:greengrass:us-east-1:{ACCOUNT}:components:board-inspector:versions:2.0.1",
        "ComponentName": "board-inspector",
        "ComponentVersion": "2.0.1",
    }
    listed = lv.list_model_packaging_jobs(ProjectName=PROJECT)["ModelPackagingJobs"]
    assert [(j["JobName"], j["Status"]) for j in listed] == [(job_name, "SUCCEEDED")]

    assert lv.stop_model(ProjectName=PROJECT, ModelVersion="1")["Status"] == "STOPPING_HOSTING"
    assert lv.describe_model(ProjectName=PROJECT, ModelVersion="1")["ModelDescription"]["Status"] == "TRAINED"
    assert lv.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "qa"}]


def test_wrong_states_are_conflicts_naming_the_resource(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        lv.describe_project(ProjectName="nope")
    assert (missing.value.response["ResourceId"], missing.value.response["ResourceType"]) == ("nope", "PROJECT")
    lv.create_project(ProjectName=PROJECT)
    with pytest.raises(lv.exceptions.ConflictException) as duplicate:
        lv.create_project(ProjectName=PROJECT)
    assert duplicate.value.response["ResourceType"] == "PROJECT"
    with pytest.raises(lv.exceptions.ConflictException) as no_data:
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    assert no_data.value.response["ResourceType"] == "DATASET"
    assert lv.list_models(ProjectName=PROJECT)["Models"] == []

    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    setup_project_dataset(aws, lv)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    with pytest.raises(lv.exceptions.ConflictException):  # still training
        lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    with pytest.raises(lv.exceptions.ConflictException):
        lv.delete_model(ProjectName=PROJECT, ModelVersion="1")
    aws.control.advance(MODEL_KIND, f"{PROJECT}/1")
    lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=2, MaxInferenceUnits=3)
    with pytest.raises(lv.exceptions.ConflictException):  # hosted models are not deleted
        lv.delete_model(ProjectName=PROJECT, ModelVersion="1")
    with pytest.raises(lv.exceptions.ConflictException):  # the project still has things
        lv.delete_project(ProjectName=PROJECT)
    lv.stop_model(ProjectName=PROJECT, ModelVersion="1")
    assert lv.delete_model(ProjectName=PROJECT, ModelVersion="1")["ModelArn"].endswith(f"{PROJECT}/1")
    lv.delete_dataset(ProjectName=PROJECT, DatasetType="train")
    assert lv.delete_project(ProjectName=PROJECT)["ProjectArn"].endswith(f"project/{PROJECT}")


def setup_project_dataset(aws: Aws, lv: Any) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="lv-data")
    s3.put_object(Bucket="lv-data", Key="m", Body=json.dumps(manifest_line(1)).encode())
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="train",
        DatasetSource={"GroundTruthManifest": {"S3Object": {"Bucket": "lv-data", "Key": "m"}}},
    )


def test_failed_training_and_unreadable_manifest(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="test",
        DatasetSource={"GroundTruthManifest": {"S3Object": {"Bucket": "missing", "Key": "x.manifest"}}},
    )
    test_set = lv.describe_dataset(ProjectName=PROJECT, DatasetType="test")["DatasetDescription"]
    assert test_set["Status"] == "CREATE_FAILED"
    assert "s3://missing/x.manifest" in test_set["StatusMessage"]

    setup_project_dataset(aws, lv)
    aws.control.fail(MODEL_KIND, "Not enough anomalous images to train", job=f"{PROJECT}/1")
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    model = lv.describe_model(ProjectName=PROJECT, ModelVersion="1")["ModelDescription"]
    assert (model["Status"], model["StatusMessage"]) == ("TRAINING_FAILED", "Not enough anomalous images to train")
    assert "Performance" not in model
    with pytest.raises(lv.exceptions.ConflictException):
        lv.start_model_packaging_job(
            ProjectName=PROJECT,
            ModelVersion="1",
            Configuration={"Greengrass": {"TargetDevice": "jetson_xavier", "S3OutputLocation": {"Bucket": "lv-data"}, "ComponentName": "c"}},
        )


def test_dataset_entries_filter_update_and_page(aws: Aws) -> None:
    lines = [manifest_line(1, "normal", 1), manifest_line(2, "anomaly", 5), manifest_line(3, None)]
    lv = setup_project(aws, lines)

    def refs(**filters: Any) -> list[str]:
        entries = lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train", **filters)["DatasetEntries"]
        return [json.loads(e)["source-ref"].rsplit("/", 1)[1] for e in entries]

    assert refs() == ["board-1.jpg", "board-2.jpg", "board-3.jpg"]
    assert refs(Labeled=False) == ["board-3.jpg"]
    assert refs(AnomalyClass="anomaly") == ["board-2.jpg"]
    assert refs(SourceRefContains="board-1") == ["board-1.jpg"]
    from datetime import datetime

    assert refs(AfterCreationDate=datetime(2026, 1, 3)) == ["board-2.jpg"]
    assert refs(BeforeCreationDate=datetime(2026, 1, 3)) == ["board-1.jpg"]

    changes = "\n".join(json.dumps(line) for line in [manifest_line(3, "anomaly", 7), manifest_line(4, "normal", 8)])
    assert lv.update_dataset_entries(ProjectName=PROJECT, DatasetType="train", Changes=changes.encode())[
        "Status"
    ] == "UPDATE_COMPLETE"
    stats = lv.describe_dataset(ProjectName=PROJECT, DatasetType="train")["DatasetDescription"]["ImageStats"]
    assert stats == {"Total": 4, "Labeled": 4, "Normal": 2, "Anomaly": 2}
    with pytest.raises(lv.exceptions.ValidationException):
        lv.update_dataset_entries(ProjectName=PROJECT, DatasetType="train", Changes=b"{not json")

    pages = lv.get_paginator("list_dataset_entries").paginate(
        ProjectName=PROJECT, DatasetType="train", PaginationConfig={"PageSize": 3}
    )
    assert sum(len(page["DatasetEntries"]) for page in pages) == 4


def test_lists_paginate_and_validate(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    for index in range(5):
        lv.create_project(ProjectName=f"project-{index}")
    names = [
        p["ProjectName"]
        for page in lv.get_paginator("list_projects").paginate(PaginationConfig={"PageSize": 2})
        for p in page["Projects"]
    ]
    assert names == [f"project-{i}" for i in range(5)]
    unchecked = aws.client("lookoutvision", validate=False)
    for bad in (0, 101):
        with pytest.raises(unchecked.exceptions.ValidationException) as info:
            unchecked.list_projects(MaxResults=bad)
        assert "at 'MaxResults'" in str(info.value)
    with pytest.raises(unchecked.exceptions.ValidationException) as info:
        unchecked.create_project(ProjectName="-starts-with-dash")
    assert "at 'ProjectName'" in str(info.value)
    with pytest.raises(unchecked.exceptions.ValidationException):
        unchecked.list_projects(NextToken="forged==")


def test_packaging_jobs_validation_and_idempotency(aws: Aws) -> None:
    lv = setup_project(aws)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    greengrass = {"S3OutputLocation": {"Bucket": "lv-data"}, "ComponentName": "inspector"}
    for bad in [
        {**greengrass},  # neither target
        {**greengrass, "TargetDevice": "jetson_xavier", "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64"}},
        {**greengrass, "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"}},
    ]:
        with pytest.raises(lv.exceptions.ValidationException):
            lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="1", Configuration={"Greengrass": bad})
    config = {"Greengrass": {**greengrass, "TargetDevice": "jetson_xavier"}}
    first = lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="1", Configuration=config, ClientToken="token-1")
    again = lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="1", Configuration=config, ClientToken="token-1")
    assert first["JobName"] == again["JobName"]
    lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="1", Configuration=config, JobName="named-job")
    with pytest.raises(lv.exceptions.ConflictException):
        lv.start_model_packaging_job(ProjectName=PROJECT, ModelVersion="1", Configuration=config, JobName="named-job")
    assert len(lv.list_model_packaging_jobs(ProjectName=PROJECT)["ModelPackagingJobs"]) == 2
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        lv.describe_model_packaging_job(ProjectName=PROJECT, JobName="nope")


def test_tags_on_models(aws: Aws) -> None:
    lv = setup_project(aws)
    arn = lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)["ModelMetadata"]["ModelArn"]
    lv.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    lv.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert lv.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        lv.list_tags_for_resource(ResourceArn=arn.replace("/1", "/9"))
