"""ClientToken on the ten operations that take one: the same token and parameters get the
first answer again (nothing is done twice); the token with other parameters is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from tests.lookoutvision.helpers import (
    GREENGRASS,
    OUTPUT,
    PROJECT,
    jsonl,
    line,
    project_with_dataset,
    put_manifest,
    trained_model,
)
from tests.modes import Aws

DEVICE = {"Greengrass": {**GREENGRASS, "TargetDevice": "jetson_xavier"}}


def test_projects(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    first = lv.create_project(ProjectName=PROJECT, ClientToken="create-1")
    again = lv.create_project(ProjectName=PROJECT, ClientToken="create-1")
    assert again["ProjectMetadata"] == first["ProjectMetadata"]
    assert len(lv.list_projects()["Projects"]) == 1
    with pytest.raises(lv.exceptions.ConflictException) as other:
        lv.create_project(ProjectName="other-project", ClientToken="create-1")
    error = other.value.response
    assert (
        "create-1" in error["Error"]["Message"] and "other parameters" in error["Error"]["Message"]
    )
    assert (error["ResourceId"], error["ResourceType"]) == ("other-project", "PROJECT")
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert [p["ProjectName"] for p in lv.list_projects()["Projects"]] == [PROJECT]
    with pytest.raises(lv.exceptions.ConflictException):  # a fresh token (the SDK's) is a new call
        lv.create_project(ProjectName=PROJECT)
    # The same token on another operation is another request.
    deleted = lv.delete_project(ProjectName=PROJECT, ClientToken="create-1")["ProjectArn"]
    # A retried delete answers as the first did, though the project is gone.
    assert lv.delete_project(ProjectName=PROJECT, ClientToken="create-1")["ProjectArn"] == deleted
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        lv.delete_project(ProjectName=PROJECT, ClientToken="delete-2")


def test_datasets(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    source = put_manifest(aws, [line(1), line(2, "anomaly")])
    first = lv.create_dataset(
        ProjectName=PROJECT, DatasetType="train", DatasetSource=source, ClientToken="ds-1"
    )
    again = lv.create_dataset(
        ProjectName=PROJECT, DatasetType="train", DatasetSource=source, ClientToken="ds-1"
    )
    assert again["DatasetMetadata"] == first["DatasetMetadata"]
    with pytest.raises(lv.exceptions.ConflictException):
        lv.create_dataset(ProjectName=PROJECT, DatasetType="test", ClientToken="ds-1")
    changes = jsonl([line(3, "anomaly")]).encode()
    for _ in range(2):
        status = lv.update_dataset_entries(
            ProjectName=PROJECT, DatasetType="train", Changes=changes, ClientToken="up-1"
        )
        assert status["Status"] == "UPDATE_IN_PROGRESS"
    with pytest.raises(lv.exceptions.ConflictException):
        lv.update_dataset_entries(
            ProjectName=PROJECT,
            DatasetType="train",
            Changes=jsonl([line(4)]).encode(),
            ClientToken="up-1",
        )
    stats = lv.describe_dataset(ProjectName=PROJECT, DatasetType="train")["DatasetDescription"][
        "ImageStats"
    ]
    assert stats["Total"] == 3
    for _ in range(2):
        lv.delete_dataset(ProjectName=PROJECT, DatasetType="train", ClientToken="del-1")


def test_models_and_hosting(aws: Aws) -> None:
    lv = project_with_dataset(aws)
    first = lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT, ClientToken="model-1")[
        "ModelMetadata"
    ]
    again = lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT, ClientToken="model-1")[
        "ModelMetadata"
    ]
    assert (
        again == first and again["Status"] == "TRAINING"
    )  # the first answer, though it has trained since
    assert [m["ModelVersion"] for m in lv.list_models(ProjectName=PROJECT)["Models"]] == ["1"]
    with pytest.raises(lv.exceptions.ConflictException):
        lv.create_model(
            ProjectName=PROJECT, OutputConfig=OUTPUT, Description="other", ClientToken="model-1"
        )
    for _ in range(2):  # a retried start does not trip over the model it started
        assert (
            lv.start_model(
                ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1, ClientToken="start-1"
            )["Status"]
            == "STARTING_HOSTING"
        )
    with pytest.raises(lv.exceptions.ConflictException):
        lv.start_model(
            ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=2, ClientToken="start-1"
        )
    for _ in range(2):
        assert (
            lv.stop_model(ProjectName=PROJECT, ModelVersion="1", ClientToken="stop-1")["Status"]
            == "STOPPING_HOSTING"
        )
    arns = {
        lv.delete_model(ProjectName=PROJECT, ModelVersion="1", ClientToken="delete-1")["ModelArn"]
        for _ in range(2)
    }
    assert len(arns) == 1 and lv.list_models(ProjectName=PROJECT)["Models"] == []


def test_packaging_jobs(aws: Aws) -> None:
    lv = trained_model(aws)
    names = {
        lv.start_model_packaging_job(
            ProjectName=PROJECT, ModelVersion="1", Configuration=DEVICE, ClientToken="pkg-1"
        )["JobName"]
        for _ in range(2)
    }
    assert len(names) == 1
    assert len(lv.list_model_packaging_jobs(ProjectName=PROJECT)["ModelPackagingJobs"]) == 1
    with pytest.raises(lv.exceptions.ConflictException):
        lv.start_model_packaging_job(
            ProjectName=PROJECT,
            ModelVersion="1",
            Configuration=DEVICE,
            Description="other",
            ClientToken="pkg-1",
        )


def test_a_refused_request_is_not_remembered(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    with pytest.raises(lv.exceptions.ConflictException):  # no train dataset yet
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT, ClientToken="retry-me")
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="train",
        DatasetSource=put_manifest(aws, [line(1), line(2, "anomaly")]),
    )
    assert (
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT, ClientToken="retry-me")[
            "ModelMetadata"
        ]["ModelVersion"]
        == "1"
    )
    unchecked = aws.client("lookoutvision", validate=False)
    with pytest.raises(unchecked.exceptions.ValidationException) as invalid:
        unchecked.create_project(ProjectName="p2", ClientToken="not a token!")
    assert "at 'ClientToken'" in str(invalid.value)


def test_a_token_is_forgotten_after_eight_hours(decorator_aws: Aws) -> None:
    with freeze_time("2026-03-01 08:00:00") as clock:
        lv = decorator_aws.client("lookoutvision")
        lv.create_project(ProjectName="first", ClientToken="day-token")
        clock.tick(timedelta(hours=7, minutes=59))
        with pytest.raises(lv.exceptions.ConflictException):
            lv.create_project(ProjectName="second", ClientToken="day-token")
        clock.tick(timedelta(minutes=2))
        lv.create_project(ProjectName="second", ClientToken="day-token")
        assert [p["ProjectName"] for p in lv.list_projects()["Projects"]] == ["first", "second"]
