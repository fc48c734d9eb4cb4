"""Lookout for Vision end to end through boto3 on the current botocore (which no longer
ships the client: importing mlmocks lends it the shipped model), under the decorator and
against the server: project -> dataset -> model -> host -> detect -> package -> describe
and list, walking every status with manual progression."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.lookoutvision.helpers import (
    GREENGRASS,
    HOSTING_KIND,
    MODEL_KIND,
    OUTPUT,
    PACKAGING_KIND,
    PROJECT,
    jpeg,
    png,
    put_manifest,
    standard_lines,
)
from tests.modes import ACCOUNT, REGION, Aws

KINDS = ("lookoutvision::dataset", MODEL_KIND, HOSTING_KIND, PACKAGING_KIND)


def walk(describe: Callable[[], dict[str, Any]], until: str) -> dict[str, dict[str, Any]]:
    """What a poller sees until ``until``: the first description in each status, in order."""
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(10):
        description = describe()
        seen.setdefault(description["Status"], description)
        if description["Status"] == until:
            return seen
    raise AssertionError(f"never reached {until}: {list(seen)}")


def test_project_dataset_model_host_detect_package(aws: Aws) -> None:
    for kind in KINDS:  # a step every second describe, so a poller sees every status
        aws.control.set_progression(kind, "manual", times=2)
    lv = aws.client("lookoutvision")

    def dataset() -> dict[str, Any]:
        return lv.describe_dataset(ProjectName=PROJECT, DatasetType="train")["DatasetDescription"]

    def model() -> dict[str, Any]:
        return lv.describe_model(ProjectName=PROJECT, ModelVersion="1")["ModelDescription"]

    def packaging() -> dict[str, Any]:
        return lv.describe_model_packaging_job(ProjectName=PROJECT, JobName="package-1")[
            "ModelPackagingDescription"
        ]

    project = lv.create_project(ProjectName=PROJECT)["ProjectMetadata"]
    assert project["ProjectArn"] == f"arn:aws:lookoutvision:{REGION}:{ACCOUNT}:project/{PROJECT}"
    assert project["ProjectName"] == PROJECT and "CreationTimestamp" in project

    # Dataset: CREATE_IN_PROGRESS -> CREATE_COMPLETE, entries from the manifest.
    source = put_manifest(aws, standard_lines(6))
    created = lv.create_dataset(ProjectName=PROJECT, DatasetType="train", DatasetSource=source)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["DatasetMetadata"]["Status"] == "CREATE_IN_PROGRESS"
    seen = walk(dataset, "CREATE_COMPLETE")
    assert list(seen) == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    creating, complete = seen.values()
    assert creating["StatusMessage"] and complete["StatusMessage"]
    assert creating["ImageStats"] == {"Total": 0, "Labeled": 0, "Normal": 0, "Anomaly": 0}
    assert complete["ImageStats"] == {"Total": 6, "Labeled": 6, "Normal": 4, "Anomaly": 2}
    assert (
        complete["ProjectName"] == PROJECT
        and complete["LastUpdatedTimestamp"] >= complete["CreationTimestamp"]
    )
    entries = lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train")["DatasetEntries"]
    assert [json.loads(e)["source-ref"] for e in entries] == [
        f"s3://lv-data/images/board-{i}.jpg" for i in range(6)
    ]
    described = lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]
    assert [(d["DatasetType"], d["Status"]) for d in described["Datasets"]] == [
        ("train", "CREATE_COMPLETE")
    ]

    # Model: TRAINING -> TRAINED with performance metrics.
    created_model = lv.create_model(
        ProjectName=PROJECT,
        OutputConfig=OUTPUT,
        Description="first",
        Tags=[{"Key": "team", "Value": "qa"}],
    )
    assert created_model["ResponseMetadata"]["HTTPStatusCode"] == 202
    metadata = created_model["ModelMetadata"]
    assert (metadata["ModelVersion"], metadata["Status"], metadata["Description"]) == (
        "1",
        "TRAINING",
        "first",
    )
    assert "Performance" not in metadata
    arn = metadata["ModelArn"]
    assert arn == f"arn:aws:lookoutvision:{REGION}:{ACCOUNT}:model/{PROJECT}/1"
    seen = walk(model, "TRAINED")
    assert list(seen) == ["TRAINING", "TRAINED"]
    assert "Performance" not in seen["TRAINING"] and "EvaluationResult" not in seen["TRAINING"]
    trained = lv.describe_model(ProjectName=PROJECT, ModelVersion="latest")["ModelDescription"]
    assert trained["Status"] == "TRAINED" and trained["StatusMessage"]
    assert set(trained["Performance"]) == {"F1Score", "Recall", "Precision"}
    assert all(0 < value <= 1 for value in trained["Performance"].values())
    assert trained["OutputConfig"] == OUTPUT
    assert trained["EvaluationResult"] == {
        "Bucket": "lv-data",
        "Key": f"out/{PROJECT}/model/1/evaluation-result.json",
    }
    assert trained["EvaluationManifest"]["Key"].endswith("evaluation-manifest.json")
    assert trained["EvaluationEndTimestamp"] >= trained["CreationTimestamp"]
    listed = lv.list_models(ProjectName=PROJECT)["Models"]
    assert [(m["ModelVersion"], m["Status"], m["Performance"]) for m in listed] == [
        ("1", "TRAINED", trained["Performance"])
    ]

    # Hosting: STARTING_HOSTING -> HOSTED, then detection.
    assert (
        lv.start_model(
            ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1, MaxInferenceUnits=3
        )["Status"]
        == "STARTING_HOSTING"
    )
    assert list(walk(model, "HOSTED")) == ["STARTING_HOSTING", "HOSTED"]
    hosted = model()
    assert (hosted["Status"], hosted["MinInferenceUnits"], hosted["MaxInferenceUnits"]) == (
        "HOSTED",
        1,
        3,
    )
    normal = lv.detect_anomalies(
        ProjectName=PROJECT, ModelVersion="1", Body=jpeg(), ContentType="image/jpeg"
    )
    result = normal["DetectAnomalyResult"]
    assert (result["Source"], result["IsAnomalous"]) == ({"Type": "direct"}, False)
    assert 0.8 <= result["Confidence"] < 1 and "Anomalies" not in result  # a classification model
    anomalous = lv.detect_anomalies(
        ProjectName=PROJECT,
        ModelVersion="latest",
        Body=png(extra=b"ANOMALY"),
        ContentType="image/png",
    )["DetectAnomalyResult"]
    assert anomalous["IsAnomalous"] is True

    # Packaging: CREATED -> RUNNING -> SUCCEEDED with the component's details.
    job_name = lv.start_model_packaging_job(
        ProjectName=PROJECT,
        ModelVersion="1",
        JobName="package-1",
        Description="for the line",
        Configuration={
            "Greengrass": {
                **GREENGRASS,
                "TargetPlatform": {"Os": "LINUX", "Arch": "X86_64", "Accelerator": "NVIDIA"},
                "CompilerOptions": json.dumps(
                    {"gpu-code": "sm_75", "trt-ver": "7.1.3", "cuda-ver": "10.2"}
                ),
                "ComponentVersion": "2.0.1",
            }
        },
    )["JobName"]
    assert job_name == "package-1"
    seen = walk(packaging, "SUCCEEDED")
    assert list(seen) == ["CREATED", "RUNNING", "SUCCEEDED"]
    assert "ModelPackagingOutputDetails" not in seen["RUNNING"]
    job = seen["SUCCEEDED"]
    assert job["ModelPackagingOutputDetails"]["Greengrass"] == {
        "ComponentVersionArn": f"arn:aws:greengrass:{REGION}:{ACCOUNT}:components:inspector:versions:2.0.1",
        "ComponentName": "inspector",
        "ComponentVersion": "2.0.1",
    }
    assert (job["ProjectName"], job["ModelVersion"], job["ModelPackagingMethod"]) == (
        PROJECT,
        "1",
        "Greengrass",
    )
    assert job["ModelPackagingJobDescription"] == "for the line"
    assert job["ModelPackagingConfiguration"]["Greengrass"]["ComponentName"] == "inspector"
    assert job["LastUpdatedTimestamp"] >= job["CreationTimestamp"]
    summaries = lv.list_model_packaging_jobs(ProjectName=PROJECT)["ModelPackagingJobs"]
    assert [(j["JobName"], j["Status"]) for j in summaries] == [(job_name, "SUCCEEDED")]
    assert "ModelPackagingConfiguration" not in summaries[0]

    # Stop: STOPPING_HOSTING -> TRAINED; tags on the model; then everything is deleted.
    assert lv.stop_model(ProjectName=PROJECT, ModelVersion="1")["Status"] == "STOPPING_HOSTING"
    assert list(walk(model, "TRAINED")) == ["STOPPING_HOSTING", "TRAINED"]
    assert lv.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "qa"}]

    # Deletion: DELETING, then gone; DELETE_IN_PROGRESS, then gone; then the project.
    assert lv.delete_model(ProjectName=PROJECT, ModelVersion="1")["ModelArn"] == arn
    assert model()["Status"] == "DELETING"
    assert [m["Status"] for m in lv.list_models(ProjectName=PROJECT)["Models"]] == ["DELETING"]
    aws.control.advance(MODEL_KIND, arn)
    assert lv.list_models(ProjectName=PROJECT)["Models"] == []
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        model()
    lv.delete_dataset(ProjectName=PROJECT, DatasetType="train")
    assert dataset()["Status"] == "DELETE_IN_PROGRESS"
    with pytest.raises(lv.exceptions.ConflictException):  # the dataset is not gone yet
        lv.delete_project(ProjectName=PROJECT)
    datasets = lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]["Datasets"]
    assert [(d["DatasetType"], d["Status"]) for d in datasets] == [("train", "DELETE_IN_PROGRESS")]
    aws.control.advance("lookoutvision::dataset", f"{PROJECT}/train")
    assert lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]["Datasets"] == []
    assert lv.delete_project(ProjectName=PROJECT)["ProjectArn"] == project["ProjectArn"]
    assert lv.list_projects()["Projects"] == []
