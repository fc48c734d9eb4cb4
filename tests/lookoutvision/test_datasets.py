"""Datasets: created from Ground Truth manifests in moto's S3 (or empty), updated with
JSON lines, listed with filters and pages, deleted."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from tests.lookoutvision.helpers import (
    BUCKET,
    DATASET_KIND,
    MODEL_KIND,
    OUTPUT,
    PROJECT,
    UPDATE_KIND,
    jsonl,
    line,
    project_with_dataset,
    put_manifest,
)
from tests.modes import Aws


def describe(lv: Any, dataset_type: str = "train") -> dict[str, Any]:
    return lv.describe_dataset(ProjectName=PROJECT, DatasetType=dataset_type)["DatasetDescription"]  # type: ignore[no-any-return]


def refs(lv: Any, **filters: Any) -> list[str]:
    entries = lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train", **filters)[
        "DatasetEntries"
    ]
    return [json.loads(entry)["source-ref"].rsplit("/", 1)[1] for entry in entries]


def test_an_empty_dataset_is_created_at_once(aws: Aws) -> None:
    aws.control.set_progression(DATASET_KIND, "manual", times=1000)
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    created = lv.create_dataset(ProjectName=PROJECT, DatasetType="test")["DatasetMetadata"]
    assert (created["DatasetType"], created["Status"]) == ("test", "CREATE_COMPLETE")
    assert describe(lv, "test")["ImageStats"] == {
        "Total": 0,
        "Labeled": 0,
        "Normal": 0,
        "Anomaly": 0,
    }
    assert lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="test")["DatasetEntries"] == []
    with pytest.raises(lv.exceptions.ConflictException) as taken:
        lv.create_dataset(ProjectName=PROJECT, DatasetType="test")
    assert (taken.value.response["ResourceType"], taken.value.response["ResourceId"]) == (
        "DATASET",
        "test",
    )
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        describe(lv, "train")
    assert missing.value.response["ResourceType"] == "DATASET"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_dataset_being_created_refuses_what_needs_it_complete(aws: Aws) -> None:
    aws.control.set_progression(DATASET_KIND, "manual", times=1000)
    lv = project_with_dataset(aws)
    assert describe(lv)["Status"] == "CREATE_IN_PROGRESS"
    for call in (
        lambda: lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train"),
        lambda: lv.update_dataset_entries(
            ProjectName=PROJECT, DatasetType="train", Changes=jsonl([line(9)]).encode()
        ),
        lambda: lv.delete_dataset(ProjectName=PROJECT, DatasetType="train"),
        lambda: lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT),
    ):
        with pytest.raises(lv.exceptions.ConflictException) as conflict:
            call()
        assert conflict.value.response["ResourceType"] == "DATASET"
        assert conflict.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    aws.control.advance(DATASET_KIND, f"{PROJECT}/train")
    assert describe(lv)["Status"] == "CREATE_COMPLETE"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "could not be read"),
        ("{not json", "JSON line 1 is not valid JSON"),
        ('{"anomaly-label": 1}', "JSON line 1 has no source-ref"),
        (jsonl([line(1), line(2, bucket="other-bucket")]), "one S3 bucket"),
        (jsonl([line(1, label="broken")]), "labeled 'broken'"),
        (
            '{"source-ref": "s3://lv-data/a.jpg", "anomaly-label": 1}',
            "without anomaly-label-metadata",
        ),
    ],
)
def test_a_manifest_that_cannot_be_used_fails_the_dataset(
    aws: Aws, manifest: str | None, message: str
) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    if manifest is not None:
        s3.put_object(Bucket=BUCKET, Key="bad.manifest", Body=manifest.encode())
    source = {"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Key": "bad.manifest"}}}
    assert (
        lv.create_dataset(ProjectName=PROJECT, DatasetType="train", DatasetSource=source)[
            "DatasetMetadata"
        ]["Status"]
        == "CREATE_IN_PROGRESS"
    )
    failed = describe(lv)
    assert failed["Status"] == "CREATE_FAILED"
    assert (
        "s3://lv-data/bad.manifest" in failed["StatusMessage"]
        and message in failed["StatusMessage"]
    )
    assert failed["ImageStats"]["Total"] == 0
    with pytest.raises(lv.exceptions.ConflictException):  # no model from a failed dataset
        lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    lv.delete_dataset(ProjectName=PROJECT, DatasetType="train")  # a failed dataset can go
    assert lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]["Datasets"] == []


def test_a_versioned_manifest_is_read_at_that_version(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=BUCKET, Key="m", Body=jsonl([line(1)]).encode())["VersionId"]
    s3.put_object(Bucket=BUCKET, Key="m", Body=jsonl([line(1), line(2)]).encode())
    source = {
        "GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Key": "m", "VersionId": first}}
    }
    lv.create_dataset(ProjectName=PROJECT, DatasetType="train", DatasetSource=source)
    assert describe(lv)["ImageStats"]["Total"] == 1


def test_control_can_fail_a_dataset(aws: Aws) -> None:
    aws.control.fail(DATASET_KIND, "The manifest's images are not readable", job=f"{PROJECT}/train")
    lv = project_with_dataset(aws)
    failed = describe(lv)
    assert (failed["Status"], failed["StatusMessage"]) == (
        "CREATE_FAILED",
        "The manifest's images are not readable",
    )


def test_updates_walk_their_statuses_and_replace_entries_by_source_ref(aws: Aws) -> None:
    aws.control.set_progression(UPDATE_KIND, "manual", times=1000)
    lv = project_with_dataset(aws, [line(1, "normal"), line(2, "anomaly"), line(3, None)])
    assert describe(lv)["ImageStats"] == {"Total": 3, "Labeled": 2, "Normal": 1, "Anomaly": 1}
    changes = jsonl([line(1, "anomaly", day=7), line(4, "normal", day=8)]).encode()
    updated = lv.update_dataset_entries(ProjectName=PROJECT, DatasetType="train", Changes=changes)
    assert updated["Status"] == "UPDATE_IN_PROGRESS"
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    in_progress = describe(lv)
    assert in_progress["Status"] == "UPDATE_IN_PROGRESS"
    assert in_progress["ImageStats"]["Total"] == 3  # not applied yet
    with pytest.raises(lv.exceptions.ConflictException):  # one update at a time
        lv.update_dataset_entries(ProjectName=PROJECT, DatasetType="train", Changes=changes)
    aws.control.advance(UPDATE_KIND, f"{PROJECT}/train")
    complete = describe(lv)
    assert (complete["Status"], complete["StatusMessage"]) == (
        "UPDATE_COMPLETE",
        "The dataset entries were updated.",
    )
    assert complete["ImageStats"] == {"Total": 4, "Labeled": 3, "Normal": 1, "Anomaly": 2}
    assert complete["LastUpdatedTimestamp"] >= complete["CreationTimestamp"]
    assert refs(lv) == [
        "board-1.jpg",
        "board-2.jpg",
        "board-3.jpg",
        "board-4.jpg",
    ]  # replaced in place
    entries = lv.list_dataset_entries(
        ProjectName=PROJECT, DatasetType="train", SourceRefContains="board-1"
    )
    entry = json.loads(entries["DatasetEntries"][0])
    assert (
        entry["anomaly-label-metadata"]["class-name"] == "anomaly"
    )  # the new line replaced the old


def test_a_failed_update_rolls_back(aws: Aws) -> None:
    lv = project_with_dataset(aws, [line(1), line(2, "anomaly")])
    aws.control.fail(UPDATE_KIND, "Could not read the images", job=f"{PROJECT}/train")
    status = lv.update_dataset_entries(
        ProjectName=PROJECT, DatasetType="train", Changes=jsonl([line(5)]).encode()
    )
    assert status["Status"] == "UPDATE_IN_PROGRESS"
    failed = describe(lv)
    assert (failed["Status"], failed["StatusMessage"]) == (
        "UPDATE_FAILED_ROLLBACK_COMPLETE",
        "Could not read the images",
    )
    assert refs(lv) == ["board-1.jpg", "board-2.jpg"]
    aws.control.clear_failures()
    # A rolled-back dataset can be trained on and updated again.
    lv.update_dataset_entries(
        ProjectName=PROJECT, DatasetType="train", Changes=jsonl([line(5)]).encode()
    )
    assert describe(lv)["Status"] == "UPDATE_COMPLETE" and refs(lv)[-1] == "board-5.jpg"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (b"{not json", "JSON line 1 is not valid JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"  \n ", "no JSON lines"),
        (json.dumps(line(7, bucket="elsewhere")).encode(), "one S3 bucket"),
        (json.dumps({"source-ref": "/local/file.jpg"}).encode(), "no source-ref"),
        (
            b'{"source-ref": "s3://lv-data/x.jpg", "anomaly-label": [1], "anomaly-label-metadata": {}}',
            "labeled None",
        ),
        (
            b'{"source-ref": "s3://lv-data/x.jpg", "anomaly-label-metadata": {"class-name": "normal", "creation-date": 12}}',
            "not an ISO 8601 date",
        ),
        (
            b'{"source-ref": "s3://lv-data/x.jpg", "anomaly-mask-ref": "s3://lv-data/m.png", '
            b'"anomaly-mask-ref-metadata": {"internal-color-map": {"0": {"class-name": "dent", "hex-color": "red"}}}}',
            "not #rrggbb",
        ),
    ],
)
def test_changes_are_checked_and_a_refused_update_changes_nothing(
    aws: Aws, changes: bytes, message: str
) -> None:
    lv = project_with_dataset(aws, [line(1)])
    with pytest.raises(lv.exceptions.ValidationException) as invalid:
        lv.update_dataset_entries(ProjectName=PROJECT, DatasetType="train", Changes=changes)
    assert message in str(invalid.value)
    assert describe(lv)["Status"] == "CREATE_COMPLETE" and refs(lv) == ["board-1.jpg"]


def test_list_dataset_entries_filters(aws: Aws) -> None:
    lv = project_with_dataset(
        aws,
        [
            line(1, "normal", day=1),
            line(2, "anomaly", day=5),
            line(3, None),
            line(14, "anomaly", day=9),
        ],
    )
    assert refs(lv) == ["board-1.jpg", "board-2.jpg", "board-3.jpg", "board-14.jpg"]
    assert refs(lv, Labeled=False) == ["board-3.jpg"]
    assert refs(lv, Labeled=True) == ["board-1.jpg", "board-2.jpg", "board-14.jpg"]
    assert refs(lv, AnomalyClass="anomaly") == ["board-2.jpg", "board-14.jpg"]
    assert refs(lv, AnomalyClass="normal") == ["board-1.jpg"]
    assert refs(lv, SourceRefContains="board-1") == ["board-1.jpg", "board-14.jpg"]
    # Dates are the labels' creation dates.
    assert refs(lv, AfterCreationDate=datetime(2026, 1, 3), Labeled=True) == [
        "board-2.jpg",
        "board-14.jpg",
    ]
    assert refs(
        lv, BeforeCreationDate=datetime(2026, 1, 6, tzinfo=timezone.utc), AnomalyClass="anomaly"
    ) == ["board-2.jpg"]
    unchecked = aws.client("lookoutvision", validate=False)
    for bad in ({"AnomalyClass": "broken"}, {"SourceRefContains": "   "}, {"MaxResults": 101}):
        with pytest.raises(unchecked.exceptions.ValidationException) as invalid:
            unchecked.list_dataset_entries(ProjectName=PROJECT, DatasetType="train", **bad)
        assert f"at '{next(iter(bad))}'" in str(invalid.value)


def test_list_dataset_entries_pages(aws: Aws) -> None:
    lv = project_with_dataset(aws, [line(i) for i in range(7)])
    first = lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train", MaxResults=3)
    assert len(first["DatasetEntries"]) == 3 and first["NextToken"]
    pages = lv.get_paginator("list_dataset_entries").paginate(
        ProjectName=PROJECT, DatasetType="train", PaginationConfig={"PageSize": 2}
    )
    seen = [json.loads(entry)["source-ref"] for page in pages for entry in page["DatasetEntries"]]
    assert seen == [f"s3://{BUCKET}/images/board-{i}.jpg" for i in range(7)]
    filtered = lv.get_paginator("list_dataset_entries").paginate(
        ProjectName=PROJECT,
        DatasetType="train",
        SourceRefContains="board-1",
        PaginationConfig={"PageSize": 1},
    )
    assert [len(page["DatasetEntries"]) for page in filtered] == [1]
    with pytest.raises(lv.exceptions.ValidationException) as forged:
        lv.list_dataset_entries(ProjectName=PROJECT, DatasetType="train", NextToken="bm90IG91cnM=")
    assert "NextToken" in str(forged.value)


def test_delete_dataset_walks_delete_in_progress_and_waits_for_training(aws: Aws) -> None:
    aws.control.set_progression(MODEL_KIND, "manual", times=1000)
    lv = project_with_dataset(aws)
    lv.create_dataset(
        ProjectName=PROJECT,
        DatasetType="test",
        DatasetSource=put_manifest(aws, [line(1), line(2, "anomaly")], "test.manifest"),
    )
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    with pytest.raises(lv.exceptions.ConflictException) as training:
        lv.delete_dataset(ProjectName=PROJECT, DatasetType="test")
    assert "training" in str(training.value)
    aws.control.advance(MODEL_KIND, f"{PROJECT}/1")
    aws.control.set_progression(DATASET_KIND, "manual", times=1000)
    assert (
        lv.delete_dataset(ProjectName=PROJECT, DatasetType="test")["ResponseMetadata"][
            "HTTPStatusCode"
        ]
        == 202
    )
    assert describe(lv, "test")["Status"] == "DELETE_IN_PROGRESS"
    with pytest.raises(lv.exceptions.ConflictException):  # already being deleted
        lv.delete_dataset(ProjectName=PROJECT, DatasetType="test")
    with pytest.raises(lv.exceptions.ConflictException):
        lv.create_dataset(ProjectName=PROJECT, DatasetType="test")
    aws.control.advance(DATASET_KIND, f"{PROJECT}/test")
    with pytest.raises(lv.exceptions.ResourceNotFoundException):
        describe(lv, "test")
    # The project is a single-dataset project again; a new test dataset can be made.
    assert (
        lv.create_dataset(ProjectName=PROJECT, DatasetType="test")["DatasetMetadata"]["Status"]
        == "CREATE_COMPLETE"
    )


def test_the_look_that_completes_a_deletion_finds_the_dataset_gone(aws: Aws) -> None:
    lv = project_with_dataset(aws)
    aws.control.set_progression(DATASET_KIND, "manual", times=1)  # one look, one step
    lv.delete_dataset(ProjectName=PROJECT, DatasetType="train")
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as gone:
        describe(lv)
    assert (gone.value.response["ResourceId"], gone.value.response["ResourceType"]) == (
        "train",
        "DATASET",
    )
    assert lv.describe_project(ProjectName=PROJECT)["ProjectDescription"]["Datasets"] == []
