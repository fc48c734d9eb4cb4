"""moto's IAM enforcement applies to mlmocks' operations as to moto's own, and a refusal
is the service's own AccessDeniedException."""

from __future__ import annotations

import pytest
from moto.core import set_initial_no_auth_action_count

from mlmocks import mock_mljobs
from tests.helpers import ROLE, SOURCE, client_allowed


@mock_mljobs
@set_initial_no_auth_action_count(3)
def test_iam_policies_are_enforced() -> None:
    bedrock = client_allowed("bedrock", ["bedrock:CreateModelImportJob"])
    arn = bedrock.create_model_import_job(
        jobName="job-1", importedModelName="model-1", roleArn=ROLE, modelDataSource=SOURCE
    )["jobArn"]
    with pytest.raises(bedrock.exceptions.AccessDeniedException) as info:
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "k", "value": "v"}])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "bedrock:TagResource" in str(info.value)


@mock_mljobs
@set_initial_no_auth_action_count(3)
def test_requests_without_a_body_pass_the_signature_check() -> None:
    # A GET has no body: moto once signed its query (or headers) as one, so every GET
    # failed its signature check.
    bedrock = client_allowed("bedrock", ["bedrock:ListModelImportJobs"])
    assert bedrock.list_model_import_jobs(maxResults=5)["modelImportJobSummaries"] == []
    with pytest.raises(bedrock.exceptions.AccessDeniedException) as info:
        bedrock.list_imported_models()
    assert "bedrock:ListImportedModels" in str(info.value)
