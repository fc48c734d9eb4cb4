"""The decorator (function, class, context manager, nested with moto) and the
``mljobs`` pytest fixture."""

from __future__ import annotations

import unittest
from typing import Any

import boto3
import pytest
from moto import mock_aws

from mlmocks import JobControl, mock_mljobs
from tests.helpers import KIND, import_model, job_names, moto_customization_job

# -- decorator ---------------------------------------------------------------------------


@mock_mljobs
def test_function_decorator() -> None:
    bedrock = boto3.client("bedrock", region_name="us-east-1")
    import_model(bedrock)
    assert job_names(bedrock) == ["job-1"]


def test_context_manager_resets_on_exit() -> None:
    with mock_mljobs():
        bedrock = boto3.client("bedrock", region_name="us-east-1")
        import_model(bedrock)
        assert job_names(bedrock) == ["job-1"]
    with mock_mljobs():
        assert job_names(boto3.client("bedrock", region_name="us-east-1")) == []


@mock_mljobs
class TestUnittestClass(unittest.TestCase):
    """moto's rules: with a setUp, state made there is kept for the test method."""

    def setUp(self) -> None:
        self.bedrock = boto3.client("bedrock", region_name="us-east-1")
        import_model(self.bedrock, name="from-setup", model="setup-model")

    def test_sees_setup_state(self) -> None:
        assert job_names(self.bedrock) == ["from-setup"]
        import_model(self.bedrock)
        assert sorted(job_names(self.bedrock)) == ["from-setup", "job-1"]

    def test_each_test_starts_from_setup_only(self) -> None:
        assert job_names(self.bedrock) == ["from-setup"]


@mock_mljobs
class TestPytestClass:
    def setup_method(self, method: Any) -> None:
        self.bedrock = boto3.client("bedrock", region_name="us-east-1")
        import_model(self.bedrock, name="from-setup", model="setup-model")

    def test_one(self) -> None:
        import_model(self.bedrock)
        assert sorted(job_names(self.bedrock)) == ["from-setup", "job-1"]

    def test_two(self) -> None:
        assert job_names(self.bedrock) == ["from-setup"]


@pytest.mark.parametrize("outer", ["mock_mljobs", "mock_aws"])
def test_nests_with_moto_in_either_order(outer: str) -> None:
    first, second = (mock_mljobs, mock_aws) if outer == "mock_mljobs" else (mock_aws, mock_mljobs)
    with first():
        s3 = boto3.client("s3", region_name="us-east-1")
        bedrock = boto3.client("bedrock", region_name="us-east-1")
        s3.create_bucket(Bucket="my-models")
        tune_arn = moto_customization_job(bedrock)
        import_arn = import_model(bedrock)
        with second():
            # Entering the inner mock reset nothing.
            assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["my-models"]
            assert job_names(bedrock) == ["job-1"]
            # (moto looks its own jobs up by name only)
            assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["jobArn"] == tune_arn
            s3.put_object(Bucket="my-models", Key="llama/config.json", Body=b"{}")
        # Leaving it reset nothing either.
        assert job_names(bedrock) == ["job-1"]
        assert s3.list_objects_v2(Bucket="my-models")["KeyCount"] == 1
        assert bedrock.get_model_import_job(jobIdentifier=import_arn)["status"] == "Completed"


@mock_mljobs
def test_moto_bedrock_keeps_working_beside_ours() -> None:
    bedrock = boto3.client("bedrock", region_name="us-east-1")
    tune_arn = moto_customization_job(bedrock)
    import_arn = import_model(bedrock)
    # Tags: moto answers for its resources, mlmocks for its own, on the same operations.
    bedrock.tag_resource(resourceARN=tune_arn, tags=[{"key": "owner", "value": "moto"}])
    bedrock.tag_resource(resourceARN=import_arn, tags=[{"key": "owner", "value": "mlmocks"}])
    assert bedrock.list_tags_for_resource(resourceARN=tune_arn)["tags"] == [
        {"key": "owner", "value": "moto"}
    ]
    assert bedrock.list_tags_for_resource(resourceARN=import_arn)["tags"] == [
        {"key": "owner", "value": "mlmocks"}
    ]
    bedrock.untag_resource(resourceARN=tune_arn, tagKeys=["owner"])
    assert bedrock.list_tags_for_resource(resourceARN=tune_arn)["tags"] == []
    assert [j["jobName"] for j in bedrock.list_model_customization_jobs()["modelCustomizationJobSummaries"]] == ["tune-1"]
    assert bedrock.get_custom_model(modelIdentifier="custom-1")["modelName"] == "custom-1"
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={"textDataDeliveryEnabled": True}
    )
    assert bedrock.get_model_invocation_logging_configuration()["loggingConfig"][
        "textDataDeliveryEnabled"
    ]
    assert job_names(bedrock) == ["job-1"]


# -- pytest fixtures -----------------------------------------------------------------------


def test_mljobs_fixture_hands_out_job_control(mljobs: JobControl) -> None:
    assert KIND in mljobs.kinds()
    bedrock = boto3.client("bedrock", region_name="us-east-1")
    mljobs.fail(KIND, "bad weights", job="job-1")
    import_model(bedrock)
    assert bedrock.get_model_import_job(jobIdentifier="job-1")["status"] == "Failed"
    mljobs.clear_failures()


