"""Model versions: training, performance, hosting, DetectAnomalies, deletion, listing, tags."""

from __future__ import annotations

from typing import Any

import pytest

from tests.lookoutvision.helpers import (
    HOSTING_KIND,
    MODEL_KIND,
    OUTPUT,
    PROJECT,
    SEGMENTATION_COLORS,
    hosted_model,
    jpeg,
    jsonl,
    line,
    png,
    project_with_dataset,
    read_png,
    segmentation_line,
    standard_lines,
    trained_model,
)
from tests.modes import Aws


def describe(lv: Any, version: str = "1") -> dict[str, Any]:
    return lv.describe_model(ProjectName=PROJECT, ModelVersion=version)["ModelDescription"]  # type: ignore[no-any-return]


def detect(
    lv: Any, body: bytes, content_type: str = "image/png", version: str = "1"
) -> dict[str, Any]:
    return lv.detect_anomalies(  # type: ignore[no-any-return]
        ProjectName=PROJECT, ModelVersion=version, Body=body, ContentType=content_type
    )["DetectAnomalyResult"]


def test_versions_count_up_and_latest_is_the_highest(aws: Aws) -> None:
    lv = project_with_dataset(aws)
    versions = [
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)["ModelMetadata"]["ModelVersion"]
        for _ in range(3)
    ]
    assert versions == ["1", "2", "3"]
    lv.delete_model(ProjectName=PROJECT, ModelVersion="3")
    assert describe(lv, "latest")["ModelVersion"] == "2"
    assert (
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)["ModelMetadata"]["ModelVersion"]
        == "4"
    )
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        describe(lv, "3")
    error = missing.value.response
    assert (error["ResourceType"], error["ResourceId"]) == ("MODEL", error["ResourceId"])
    assert error["ResourceId"].endswith(f":model/{PROJECT}/3")


def test_performance_follows_the_training_data(aws: Aws) -> None:
    lv = trained_model(aws, standard_lines(6))
    small = describe(lv)["Performance"]
    lv.update_dataset_entries(
        ProjectName=PROJECT,
        DatasetType="train",
        Changes=jsonl([line(i, "anomaly") for i in range(10, 30)]).encode(),
    )
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    large = describe(lv, "2")["Performance"]
    assert large["Recall"] > small["Recall"] and large["Precision"] > small["Precision"]
    assert describe(lv, "1")["Performance"] == small  # deterministic


def test_training_needs_labeled_normal_and_anomalous_images(aws: Aws) -> None:
    lv = project_with_dataset(aws, [line(1, "normal"), line(2, None)])
    created = lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)["ModelMetadata"]
    assert created["Status"] == "TRAINING"
    failed = describe(lv)
    assert failed["Status"] == "TRAINING_FAILED"
    assert "1 images labeled normal and 0 labeled anomaly" in failed["StatusMessage"]
    assert "Performance" not in failed and "EvaluationResult" not in failed
    with pytest.raises(lv.exceptions.ConflictException):
        lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    lv.delete_model(ProjectName=PROJECT, ModelVersion="1")  # a failed model can be deleted


def test_control_fails_training_and_hosting(aws: Aws) -> None:
    aws.control.fail(MODEL_KIND, "Not enough anomalous images to train", job=f"{PROJECT}/1")
    lv = trained_model(aws)
    model = describe(lv)
    assert (model["Status"], model["StatusMessage"]) == (
        "TRAINING_FAILED",
        "Not enough anomalous images to train",
    )

    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    aws.control.fail(HOSTING_KIND, "Out of capacity")
    lv.start_model(ProjectName=PROJECT, ModelVersion="2", MinInferenceUnits=1)
    failed = describe(lv, "2")
    assert (failed["Status"], failed["StatusMessage"]) == ("HOSTING_FAILED", "Out of capacity")
    with pytest.raises(lv.exceptions.ConflictException):
        detect(lv, png(), version="2")
    aws.control.clear_failures()
    assert (
        lv.start_model(ProjectName=PROJECT, ModelVersion="2", MinInferenceUnits=2)["Status"]
        == "STARTING_HOSTING"
    )
    assert describe(lv, "2")["Status"] == "HOSTED"


def test_hosting_is_refused_in_the_wrong_states(aws: Aws) -> None:
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    lv = project_with_dataset(aws)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    for call in (
        lambda: lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1),
        lambda: lv.stop_model(ProjectName=PROJECT, ModelVersion="1"),
        lambda: lv.delete_model(ProjectName=PROJECT, ModelVersion="1"),
        lambda: detect(lv, png()),
    ):
        with pytest.raises(lv.exceptions.ConflictException) as training:
            call()
        assert "TRAINING" in str(training.value)
        assert training.value.response["ResourceId"].endswith(f"model/{PROJECT}/1")
    aws.control.advance(MODEL_KIND, f"{PROJECT}/1")
    with pytest.raises(lv.exceptions.ValidationException) as units:
        lv.start_model(
            ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=3, MaxInferenceUnits=2
        )
    assert "MaxInferenceUnits" in str(units.value)
    assert describe(lv)["Status"] == "TRAINED"  # the refused start changed nothing
    lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=2)
    assert (describe(lv)["MinInferenceUnits"], describe(lv)["MaxInferenceUnits"]) == (2, 2)
    with pytest.raises(lv.exceptions.ConflictException):  # already running
        lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    with pytest.raises(lv.exceptions.ConflictException):  # a running model is not deleted
        lv.delete_model(ProjectName=PROJECT, ModelVersion="1")
    with pytest.raises(lv.exceptions.ConflictException):  # nor its datasets' project
        lv.delete_project(ProjectName=PROJECT)


def test_detect_anomalies_is_deterministic_and_controlled_by_the_image(aws: Aws) -> None:
    lv = hosted_model(aws)
    normal = detect(lv, png(80, 96))
    assert normal == detect(lv, png(80, 96))
    assert normal["IsAnomalous"] is False and 0.8 <= normal["Confidence"] < 1
    assert detect(lv, jpeg(4096, 64, extra=b"ANOMALY"), "image/jpeg")["IsAnomalous"] is True
    assert detect(lv, png(extra=b"ANOMALY"), "image/png; charset=binary")["IsAnomalous"] is True
    assert detect(lv, png(), "IMAGE/PNG")["IsAnomalous"] is False


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (png(), "image/gif", "not supported"),
        (png(), "image/jpeg", "not a valid image/jpeg image"),
        (jpeg(), "image/png", "not a valid image/png image"),
        (b"not an image at all", "image/png", "not a valid image/png image"),
        (png(63, 64), "image/png", "63x64"),
        (jpeg(64, 4097), "image/jpeg", "64x4097"),
        (b"\xff\xd8\xff\xd9", "image/jpeg", "not a valid image/jpeg image"),
    ],
)
def test_detect_anomalies_checks_the_image(
    aws: Aws, body: bytes, content_type: str, message: str
) -> None:
    lv = hosted_model(aws)
    with pytest.raises(lv.exceptions.ValidationException) as invalid:
        detect(lv, body, content_type)
    assert message in str(invalid.value)
    assert invalid.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_segmentation_model_reports_anomaly_classes_and_a_mask(aws: Aws) -> None:
    lv = hosted_model(aws, [line(1), line(2), segmentation_line(3), segmentation_line(4)])
    normal = detect(lv, png(64, 100))
    assert normal["IsAnomalous"] is False
    assert [(a["Name"], a["PixelAnomaly"]) for a in normal["Anomalies"]] == [
        ("background", {"TotalPercentageArea": 1.0, "Color": "#ffffff"})
    ]
    width, height, rows = read_png(normal["AnomalyMask"])
    assert (width, height) == (64, 100) and set(rows) <= {0, 0xFF}

    dented = detect(lv, png(64, 100, extra=b"ANOMALY:dent ANOMALY:scratch"))
    assert dented["IsAnomalous"] is True
    names = [a["Name"] for a in dented["Anomalies"]]
    assert names == ["background", "scratch", "dent"]  # background first, then the model's classes
    colors = {a["Name"]: a["PixelAnomaly"]["Color"] for a in dented["Anomalies"]}
    assert colors == {"background": "#ffffff", **SEGMENTATION_COLORS}
    areas = [a["PixelAnomaly"]["TotalPercentageArea"] for a in dented["Anomalies"]]
    assert abs(sum(areas) - 1) < 1e-3 and all(0 < area < 1 for area in areas)
    # The mask has the image's size, and each class covers its area in its colour.
    width, height, rows = read_png(dented["AnomalyMask"])
    pixels_per_row = 1 + 3 * width
    row_colors = [
        rows[i * pixels_per_row + 1 : i * pixels_per_row + 4].hex() for i in range(height)
    ]
    for anomaly in dented["Anomalies"]:
        share = row_colors.count(anomaly["PixelAnomaly"]["Color"].lstrip("#")) / height
        assert abs(share - anomaly["PixelAnomaly"]["TotalPercentageArea"]) < 1e-3
    # An anomalous image that names no class shows the model's first one.
    assert [a["Name"] for a in detect(lv, png(extra=b"ANOMALY"))["Anomalies"]] == [
        "background",
        "scratch",
    ]


def test_deleting_a_model_walks_deleting_then_it_is_gone(aws: Aws) -> None:
    lv = trained_model(aws)
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    deleted = lv.delete_model(ProjectName=PROJECT, ModelVersion="1")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    arn = deleted["ModelArn"]
    assert describe(lv)["Status"] == "DELETING"
    with pytest.raises(lv.exceptions.ConflictException):
        lv.delete_model(ProjectName=PROJECT, ModelVersion="1")
    with pytest.raises(lv.exceptions.ConflictException):
        lv.delete_project(ProjectName=PROJECT)
    aws.control.advance(MODEL_KIND, arn)
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        describe(lv)
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        lv.list_tags_for_resource(ResourceArn=arn)
    unchecked = aws.client("lookoutvision", validate=False)
    with pytest.raises(
        unchecked.exceptions.ValidationException
    ) as latest:  # DeleteModel takes no 'latest'
        unchecked.delete_model(ProjectName=PROJECT, ModelVersion="latest")
    assert "at 'ModelVersion'" in str(latest.value)


def test_the_look_that_completes_a_deletion_finds_the_model_gone(aws: Aws) -> None:
    lv = trained_model(aws)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)  # version 2, trained at once
    aws.control.set_progression(MODEL_KIND, "manual", times=1)  # one look, one step
    arn = lv.delete_model(ProjectName=PROJECT, ModelVersion="2")["ModelArn"]
    # The look at "latest" is a look at version 2, and completes its deletion: version 2
    # is gone, and the answer names it (not the version that is the latest now).
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as gone:
        describe(lv, "latest")
    assert gone.value.response["ResourceId"] == arn
    assert gone.value.response["ResourceType"] == "MODEL"
    assert "model version 2" in gone.value.response["Error"]["Message"]
    assert describe(lv, "latest")["ModelVersion"] == "1"
    assert [m["ModelVersion"] for m in lv.list_models(ProjectName=PROJECT)["Models"]] == ["1"]


def test_list_models_pages(aws: Aws) -> None:
    lv = project_with_dataset(aws)
    for _ in range(5):
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    first = lv.list_models(ProjectName=PROJECT, MaxResults=2)
    assert [m["ModelVersion"] for m in first["Models"]] == ["1", "2"]
    rest = lv.list_models(ProjectName=PROJECT, MaxResults=100, NextToken=first["NextToken"])
    assert [m["ModelVersion"] for m in rest["Models"]] == [
        "3",
        "4",
        "5",
    ] and "NextToken" not in rest
    pages = list(
        lv.get_paginator("list_models").paginate(
            ProjectName=PROJECT, PaginationConfig={"PageSize": 2}
        )
    )
    assert [[m["ModelVersion"] for m in page["Models"]] for page in pages] == [
        ["1", "2"],
        ["3", "4"],
        ["5"],
    ]
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        lv.list_models(ProjectName="no-such-project")
    assert missing.value.response["ResourceType"] == "PROJECT"


def test_tags_are_on_models(aws: Aws) -> None:
    lv = project_with_dataset(aws)
    arn = lv.create_model(
        ProjectName=PROJECT, OutputConfig=OUTPUT, Tags=[{"Key": "line", "Value": "3"}]
    )["ModelMetadata"]["ModelArn"]
    lv.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "line", "Value": "4"}]
    )
    lv.untag_resource(ResourceArn=arn, TagKeys=["a", "never-there"])
    assert lv.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "line", "Value": "4"}]
    project_arn = lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]["ProjectArn"]
    for other in (project_arn, arn.replace("/1", "/9"), arn.replace("us-east-1", "eu-west-1")):
        with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
            lv.list_tags_for_resource(ResourceArn=other)
        assert (missing.value.response["ResourceId"], missing.value.response["ResourceType"]) == (
            other,
            "MODEL",
        )
    with pytest.raises(lv.exceptions.ValidationException):
        lv.tag_resource(ResourceArn="not-an-arn", Tags=[{"Key": "a", "Value": "1"}])
    with pytest.raises(lv.exceptions.ValidationException) as reserved:
        lv.tag_resource(ResourceArn=arn, Tags=[{"Key": "aws:owner", "Value": "me"}])
    assert "aws:" in str(reserved.value)
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(150)]
    lv.tag_resource(ResourceArn=arn, Tags=many)
    with pytest.raises(lv.exceptions.ServiceQuotaExceededException) as quota:
        lv.tag_resource(ResourceArn=arn, Tags=[{"Key": f"x{i}", "Value": "v"} for i in range(60)])
    error = quota.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert (error["ResourceId"], error["ResourceType"], error["ServiceCode"]) == (
        arn,
        "MODEL",
        "lookoutvision",
    )
    assert error["QuotaCode"]
    assert (
        len(lv.list_tags_for_resource(ResourceArn=arn)["Tags"]) == 151
    )  # the refused call changed nothing
