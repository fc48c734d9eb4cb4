"""moto's IAM enforcement on Neptune ML: the neptune-db actions of Neptune's IAM policies
(the Get operations are neptune-db:Get...Status), on every method, and a refusal in
Neptune's own error body."""

from __future__ import annotations

import json

import boto3
import pytest
from moto.core import set_initial_no_auth_action_count

from mlmocks import mock_mljobs

from .helpers import CLUSTER, process

ALLOWED = [
    "neptune-db:StartMLDataProcessingJob",
    "neptune-db:GetMLDataProcessingJobStatus",
    "neptune-db:ListMLDataProcessingJobs",
    "neptune-db:CancelMLDataProcessingJob",
]


@mock_mljobs
@set_initial_no_auth_action_count(3)
def test_neptune_iam_actions_are_enforced() -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName="analyst")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ALLOWED, "Resource": "*"}],
    }
    iam.put_user_policy(UserName="analyst", PolicyName="ml", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="analyst")["AccessKey"]
    client = boto3.client(
        "neptunedata",
        region_name="us-east-1",
        endpoint_url=CLUSTER,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    process(client)  # POST
    assert client.get_ml_data_processing_job(id="dp-1")["status"] == "Completed"  # GET
    assert client.list_ml_data_processing_jobs(maxItems=5)["ids"] == ["dp-1"]  # GET with a query
    with pytest.raises(
        client.exceptions.InvalidParameterException
    ):  # DELETE: allowed, refused later
        client.cancel_ml_data_processing_job(id="dp-1", clean=True)
    with pytest.raises(client.exceptions.AccessDeniedException) as info:
        client.get_ml_endpoint(id="endpoint-1")
    response = info.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "neptune-db:GetMLEndpointStatus" in response["detailedMessage"]
    assert response["code"] == "AccessDeniedException"
    assert response["requestId"] == response["ResponseMetadata"]["RequestId"]
