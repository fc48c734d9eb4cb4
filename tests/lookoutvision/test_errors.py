"""Errors in the service's own shapes and statuses, request validation from the model,
project listing, IAM, accounts and regions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto.core import set_initial_no_auth_action_count

from mlmocks import mock_mljobs
from tests.helpers import client_allowed
from tests.lookoutvision.helpers import (
    GREENGRASS,
    OUTPUT,
    PROJECT,
    hosted_model,
    jpeg,
    png,
    trained_model,
)
from tests.modes import Aws

DEVICE = {"Greengrass": {**GREENGRASS, "TargetDevice": "jetson_xavier"}}

#: Every operation that addresses a project, with the rest of a valid request.
PROJECT_OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    ("describe_project", {}),
    ("delete_project", {}),
    ("create_dataset", {"DatasetType": "train"}),
    ("describe_dataset", {"DatasetType": "train"}),
    ("delete_dataset", {"DatasetType": "train"}),
    ("list_dataset_entries", {"DatasetType": "train"}),
    (
        "update_dataset_entries",
        {"DatasetType": "train", "Changes": b'{"source-ref": "s3://b/k.jpg"}'},
    ),
    ("create_model", {"OutputConfig": OUTPUT}),
    ("describe_model", {"ModelVersion": "1"}),
    ("list_models", {}),
    ("delete_model", {"ModelVersion": "1"}),
    ("start_model", {"ModelVersion": "1", "MinInferenceUnits": 1}),
    ("stop_model", {"ModelVersion": "1"}),
    ("detect_anomalies", {"ModelVersion": "1", "Body": png(), "ContentType": "image/png"}),
    ("start_model_packaging_job", {"ModelVersion": "1", "Configuration": DEVICE}),
    ("describe_model_packaging_job", {"JobName": "job"}),
    ("list_model_packaging_jobs", {}),
]


@pytest.mark.parametrize(
    ("operation", "params"), PROJECT_OPERATIONS, ids=[op for op, _ in PROJECT_OPERATIONS]
)
def test_a_missing_project_is_named(aws: Aws, operation: str, params: dict[str, Any]) -> None:
    lv = aws.client("lookoutvision")
    with pytest.raises(lv.exceptions.ResourceNotFoundException) as missing:
        getattr(lv, operation)(ProjectName="no-such-project", **params)
    error = missing.value.response
    assert (error["ResourceId"], error["ResourceType"]) == ("no-such-project", "PROJECT")
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "no-such-project" in error["Error"]["Message"]


@pytest.mark.parametrize(
    ("operation", "params", "field"),
    [
        ("create_project", {"ProjectName": "-starts-with-a-dash"}, "ProjectName"),
        ("create_project", {"ProjectName": "has space"}, "ProjectName"),
        ("create_project", {"ProjectName": "p" * 256}, "ProjectName"),
        ("create_project", {}, "ProjectName"),
        ("list_projects", {"MaxResults": 0}, "MaxResults"),
        ("list_projects", {"MaxResults": 101}, "MaxResults"),
        ("list_projects", {"NextToken": "not a token!"}, "NextToken"),
        ("list_projects", {"NextToken": "Zm9yZ2Vk"}, "NextToken"),
        ("list_models", {"ProjectName": PROJECT, "MaxResults": 101}, "MaxResults"),
        ("list_models", {"ProjectName": PROJECT, "NextToken": "Zm9yZ2Vk"}, "NextToken"),
        ("list_model_packaging_jobs", {"ProjectName": PROJECT, "MaxResults": 0}, "MaxResults"),
        (
            "list_model_packaging_jobs",
            {"ProjectName": PROJECT, "NextToken": "Zm9yZ2Vk"},
            "NextToken",
        ),
        ("create_dataset", {"ProjectName": PROJECT, "DatasetType": "validation"}, "DatasetType"),
        ("describe_model", {"ProjectName": PROJECT, "ModelVersion": "0"}, "ModelVersion"),
        (
            "create_model",
            {"ProjectName": PROJECT, "OutputConfig": {"S3Location": {"Bucket": "b"}}},
            "OutputConfig.S3Location.Bucket",
        ),
        (
            "create_model",
            {"ProjectName": PROJECT, "OutputConfig": OUTPUT, "Description": "with spaces"},
            "Description",
        ),
        (
            "start_model",
            {"ProjectName": PROJECT, "ModelVersion": "1", "MinInferenceUnits": 0},
            "MinInferenceUnits",
        ),
        (
            "start_model_packaging_job",
            {
                "ProjectName": PROJECT,
                "ModelVersion": "1",
                "Configuration": {
                    "Greengrass": {**DEVICE["Greengrass"], "TargetDevice": "raspberry"}
                },
            },
            "Configuration.Greengrass.TargetDevice",
        ),
        (
            "start_model_packaging_job",
            {
                "ProjectName": PROJECT,
                "ModelVersion": "1",
                "Configuration": {
                    "Greengrass": {**DEVICE["Greengrass"], "ComponentVersion": "1.0"}
                },
            },
            "Configuration.Greengrass.ComponentVersion",
        ),
        (
            "tag_resource",
            {"ResourceArn": "arn", "Tags": [{"Key": "", "Value": "v"}]},
            "Tags.1.member.Key",
        ),
    ],
)
def test_input_that_breaks_the_model_is_refused_naming_the_field(
    aws: Aws, operation: str, params: dict[str, Any], field: str
) -> None:
    lv = trained_model(aws)
    projects = lv.list_projects()["Projects"]
    unchecked = aws.client("lookoutvision", validate=False)  # as another SDK's request would arrive
    with pytest.raises(unchecked.exceptions.ValidationException) as invalid:
        getattr(unchecked, operation)(**params)
    assert f"at '{field}'" in str(invalid.value)
    assert invalid.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert lv.list_projects()["Projects"] == projects


def test_a_body_that_is_not_json_is_a_validation_error(aws: Aws) -> None:
    lv = aws.client("lookoutvision")

    def replace_body(request: Any, **_: Any) -> None:
        request.data = b"[not json"

    lv.meta.events.register("before-sign.lookoutvision.CreateProject", replace_body)
    with pytest.raises(lv.exceptions.ValidationException) as invalid:
        lv.create_project(ProjectName=PROJECT)
    assert "JSON" in str(invalid.value)


def test_list_projects_pages_in_creation_order(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    names = [f"project-{letter}" for letter in "edcba"]
    for name in names:
        lv.create_project(ProjectName=name)
    first = lv.list_projects(MaxResults=2)
    assert [p["ProjectName"] for p in first["Projects"]] == names[:2]
    rest = lv.list_projects(NextToken=first["NextToken"])
    assert [p["ProjectName"] for p in rest["Projects"]] == names[2:] and "NextToken" not in rest
    pages = list(lv.get_paginator("list_projects").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["Projects"]) for page in pages] == [2, 2, 1]
    assert [p["ProjectName"] for page in pages for p in page["Projects"]] == names


def test_a_page_holds_100_projects_by_default(decorator_aws: Aws) -> None:
    lv = decorator_aws.client("lookoutvision")
    for index in range(101):
        lv.create_project(ProjectName=f"p{index:03d}")
    page = lv.list_projects()
    assert len(page["Projects"]) == 100 and page["NextToken"]


def test_accounts_and_regions_keep_their_own_projects(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=PROJECT)
    # A region the service never ran in still answers (as moto's services do).
    elsewhere = aws.client("lookoutvision", region="eu-west-2")
    assert elsewhere.list_projects()["Projects"] == []
    arn = elsewhere.create_project(ProjectName=PROJECT)["ProjectMetadata"]["ProjectArn"]
    assert arn.startswith("arn:aws:lookoutvision:eu-west-2:")
    other_account = aws.client_for_account("lookoutvision", "111122223333")
    assert other_account.list_projects()["Projects"] == []
    arn = other_account.create_project(ProjectName=PROJECT)["ProjectMetadata"]["ProjectArn"]
    assert arn.split(":")[4] == "111122223333"
    assert len(lv.list_projects()["Projects"]) == 1


@mock_mljobs
@set_initial_no_auth_action_count(3)
def test_iam_policies_are_enforced() -> None:
    lv = client_allowed(
        "lookoutvision", ["lookoutvision:CreateProject", "lookoutvision:ListProjects"]
    )
    lv.create_project(ProjectName=PROJECT)
    assert [p["ProjectName"] for p in lv.list_projects(MaxResults=10)["Projects"]] == [PROJECT]
    with pytest.raises(lv.exceptions.AccessDeniedException) as denied:
        lv.delete_project(ProjectName=PROJECT)
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "lookoutvision:DeleteProject" in str(denied.value)
    assert [p["ProjectName"] for p in lv.list_projects()["Projects"]] == [PROJECT]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["anomaly-label", "anomaly-label-metadata", "anomaly-mask-ref", "anomaly-mask-ref-metadata"]
)
#: JSON lines about an image of the dataset's bucket, with anything else in them.
LINES = st.dictionaries(KEYS, JSON_VALUES, max_size=4).map(
    lambda extra: {"source-ref": "s3://lv-data/images/x.jpg", **extra}
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=64) | st.sampled_from([png(), jpeg()]).map(lambda image: image[:40]),
    content_type=st.sampled_from(["image/png", "image/jpeg", "image/gif", "text/plain"]),
    line=LINES,
)
def test_no_input_makes_an_internal_error(
    decorator_aws: Aws, body: bytes, content_type: str, line: dict[str, Any]
) -> None:
    lv = decorator_aws.client("lookoutvision", validate=False)
    if not lv.list_projects()["Projects"]:
        hosted_model(decorator_aws)
    for call in (
        lambda: lv.detect_anomalies(
            ProjectName=PROJECT, ModelVersion="1", Body=body or b"x", ContentType=content_type
        ),
        lambda: lv.update_dataset_entries(
            ProjectName=PROJECT, DatasetType="train", Changes=json.dumps(line).encode()
        ),
    ):
        try:
            call()
        except lv.exceptions.ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 409), error
