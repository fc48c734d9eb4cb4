"""Bedrock provisioned model throughput and custom model deployments through boto3,
in-process and against the server; the whole path from a customization job to a model
served in two regions; moto's own Bedrock operations beside these."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from freezegun import freeze_time

from tests.bedrock.test_customization import BASE, BASE_ARN, create_job
from tests.modes import ACCOUNT, Aws

PT_KIND = "bedrock::provisioned-model-throughput"
DEPLOY_KIND = "bedrock::custom-model-deployment"
UPDATE_KIND = "bedrock::custom-model-deployment-update"
PT_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:provisioned-model/[a-z0-9]{{12}}$")
DEPLOY_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model-deployment/[a-z0-9]{{12}}$")


def custom_model(bedrock: Any, name: str = "model-1", **extra: Any) -> str:
    create_job(bedrock, name=f"tune-{name}", model=name, **extra)
    return bedrock.get_custom_model(modelIdentifier=name)["modelArn"]  # type: ignore[no-any-return]


def test_customized_model_served_and_copied(aws: Aws) -> None:
    """The issue's flow: a customization job completes into a custom model that a
    provisioned throughput and a custom model deployment serve; a copy job makes it
    visible in a second region."""
    bedrock = aws.client("bedrock")
    for kind in ("bedrock::model-customization-job", PT_KIND, DEPLOY_KIND, "bedrock::model-copy-job"):
        aws.control.set_progression(kind, "manual", times=2)
    create_job(bedrock)
    assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["status"] == "InProgress"
    assert bedrock.get_model_customization_job(jobIdentifier="tune-1")["status"] == "Completed"
    model_arn = bedrock.get_custom_model(modelIdentifier="model-1")["modelArn"]

    pt_arn = bedrock.create_provisioned_model_throughput(
        modelUnits=2, provisionedModelName="tuned-pt", modelId=model_arn, commitmentDuration="OneMonth"
    )["provisionedModelArn"]
    assert PT_ARN.match(pt_arn)
    assert bedrock.get_provisioned_model_throughput(provisionedModelId="tuned-pt")["status"] == "Creating"
    pt = bedrock.get_provisioned_model_throughput(provisionedModelId=pt_arn)
    assert pt["status"] == "InService"
    assert (pt["modelArn"], pt["desiredModelArn"], pt["foundationModelArn"]) == (model_arn, model_arn, BASE_ARN)
    assert (pt["modelUnits"], pt["desiredModelUnits"], pt["commitmentDuration"]) == (2, 2, "OneMonth")
    assert pt["commitmentExpirationTime"] == pt["creationTime"] + timedelta(days=30)

    deployment_arn = bedrock.create_custom_model_deployment(
        modelDeploymentName="tuned-deployment", modelArn=model_arn, description="on demand"
    )["customModelDeploymentArn"]
    assert DEPLOY_ARN.match(deployment_arn)
    assert bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=deployment_arn)["status"] == "Creating"
    deployment = bedrock.get_custom_model_deployment(customModelDeploymentIdentifier="tuned-deployment")
    assert (deployment["status"], deployment["modelArn"], deployment["description"]) == ("Active", model_arn, "on demand")

    west = aws.client("bedrock", region="us-west-2")
    copy_arn = west.create_model_copy_job(sourceModelArn=model_arn, targetModelName="model-1")["jobArn"]
    assert west.get_model_copy_job(jobArn=copy_arn)["status"] == "InProgress"
    assert west.list_custom_models()["modelSummaries"] == []
    assert west.get_model_copy_job(jobArn=copy_arn)["status"] == "Completed"
    copied = west.get_custom_model(modelIdentifier="model-1")
    assert copied["modelArn"].startswith(f"arn:aws:bedrock:us-west-2:{ACCOUNT}:custom-model/")
    # The copy can be served in its region too.
    west.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="west-pt", modelId="model-1")
    assert west.get_provisioned_model_throughput(provisionedModelId="west-pt")["modelArn"] == copied["modelArn"]

    # A served model cannot be deleted.
    with pytest.raises(bedrock.exceptions.ConflictException) as info:
        bedrock.delete_custom_model(modelIdentifier="model-1")
    assert "tuned" in str(info.value)


def test_throughput_serves_foundation_models_by_id_or_arn(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="by-id", modelId=BASE)
    bedrock.create_provisioned_model_throughput(modelUnits=3, provisionedModelName="by-arn", modelId=BASE_ARN)
    for name in ("by-id", "by-arn"):
        pt = bedrock.get_provisioned_model_throughput(provisionedModelId=name)
        assert (pt["modelArn"], pt["foundationModelArn"], pt["status"]) == (BASE_ARN, BASE_ARN, "InService")
        assert "commitmentDuration" not in pt
    for model_id, error in [
        ("no-such-custom-model", bedrock.exceptions.ResourceNotFoundException),
        (BASE_ARN.replace("us-east-1", "eu-west-1"), bedrock.exceptions.ValidationException),
    ]:
        with pytest.raises(error):
            bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="bad", modelId=model_id)
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="by-id", modelId=BASE)
    assert "by-id" in str(info.value)
    plain = aws.client("bedrock", validate=False)
    for params, field in [
        ({"modelUnits": 0}, "modelUnits"),
        ({"commitmentDuration": "OneYear"}, "commitmentDuration"),
        ({"provisionedModelName": "bad name"}, "provisionedModelName"),
    ]:
        with pytest.raises(bedrock.exceptions.ValidationException) as info:
            plain.create_provisioned_model_throughput(**{"modelUnits": 1, "provisionedModelName": "x", "modelId": BASE, **params})
        assert f"'{field}'" in str(info.value)
    assert len(bedrock.list_provisioned_model_throughputs()["provisionedModelSummaries"]) == 2


def test_throughput_update_rename_and_delete(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = custom_model(bedrock, "model-1")
    second = custom_model(bedrock, "model-2")
    other_base = custom_model(bedrock, "model-3", baseModelIdentifier="amazon.nova-lite-v1:0:300k")
    aws.control.set_progression(PT_KIND, "manual", times=1000)
    arn = bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="pt", modelId=first)["provisionedModelArn"]
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.update_provisioned_model_throughput(provisionedModelId="pt", desiredModelId=second)
    assert "Creating" in str(info.value)
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.delete_provisioned_model_throughput(provisionedModelId="pt")
    assert aws.control.advance(PT_KIND, "pt") == "InService"

    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.update_provisioned_model_throughput(provisionedModelId="pt", desiredModelId=other_base)
    assert "desiredModelId" in str(info.value)
    bedrock.update_provisioned_model_throughput(provisionedModelId="pt", desiredModelId=second, desiredProvisionedModelName="pt-renamed")
    pt = bedrock.get_provisioned_model_throughput(provisionedModelId="pt-renamed")
    assert (pt["status"], pt["modelArn"], pt["desiredModelArn"]) == ("Updating", first, second)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_provisioned_model_throughput(provisionedModelId="pt")
    # The model being moved to is in use too.
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.delete_custom_model(modelIdentifier="model-2")
    assert aws.control.advance(PT_KIND, arn) == "InService"
    pt = bedrock.get_provisioned_model_throughput(provisionedModelId=arn)
    assert (pt["status"], pt["modelArn"], pt["desiredModelArn"]) == ("InService", second, second)
    # Back to the base model is allowed.
    bedrock.update_provisioned_model_throughput(provisionedModelId=arn, desiredModelId=BASE)
    aws.control.advance(PT_KIND, arn)
    assert bedrock.get_provisioned_model_throughput(provisionedModelId=arn)["modelArn"] == BASE_ARN
    # Once it serves the base model, its model can change no more.
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.update_provisioned_model_throughput(provisionedModelId=arn, desiredModelId=second)
    assert "base model" in str(info.value)
    bedrock.update_provisioned_model_throughput(provisionedModelId=arn, desiredProvisionedModelName="pt-base")
    assert bedrock.get_provisioned_model_throughput(provisionedModelId="pt-base")["status"] == "InService"

    bedrock.delete_custom_model(modelIdentifier="model-1")  # no longer served
    assert bedrock.delete_provisioned_model_throughput(provisionedModelId=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_provisioned_model_throughput(provisionedModelId=arn)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.update_provisioned_model_throughput(provisionedModelId="pt-base", desiredProvisionedModelName="x")


def test_commitment_blocks_delete_until_it_ends(decorator_aws: Aws) -> None:
    bedrock = decorator_aws.client("bedrock")
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="pt", modelId=BASE, commitmentDuration="OneMonth")
        assert bedrock.get_provisioned_model_throughput(provisionedModelId="pt")["commitmentExpirationTime"] == start + timedelta(days=30)
        with pytest.raises(bedrock.exceptions.ConflictException):
            bedrock.delete_provisioned_model_throughput(provisionedModelId="pt")
        clock.tick(timedelta(days=30, seconds=1))
        bedrock.delete_provisioned_model_throughput(provisionedModelId="pt")
    assert bedrock.list_provisioned_model_throughputs()["provisionedModelSummaries"] == []


def test_throughput_failure_and_list_filters(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    model = custom_model(bedrock)
    aws.control.fail(PT_KIND, "insufficient capacity", job="gamma-pt")
    for name, model_id in [("alpha-pt", BASE), ("beta-pt", model), ("gamma-pt", BASE), ("delta-pt", model)]:
        bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName=name, modelId=model_id)
    failed = bedrock.get_provisioned_model_throughput(provisionedModelId="gamma-pt")
    assert (failed["status"], failed["failureMessage"]) == ("Failed", "insufficient capacity")
    bedrock.delete_provisioned_model_throughput(provisionedModelId="gamma-pt")
    aws.control.clear_failures(PT_KIND)
    bedrock.create_provisioned_model_throughput(modelUnits=1, provisionedModelName="gamma-pt", modelId=BASE)
    listing = bedrock.list_provisioned_model_throughputs
    names = [p["provisionedModelName"] for p in listing()["provisionedModelSummaries"]]
    assert names == ["gamma-pt", "delta-pt", "beta-pt", "alpha-pt"]
    assert [p["provisionedModelName"] for p in listing(sortOrder="Ascending")["provisionedModelSummaries"]] == names[::-1]
    assert [p["provisionedModelName"] for p in listing(modelArnEquals=model)["provisionedModelSummaries"]] == ["delta-pt", "beta-pt"]
    assert [p["provisionedModelName"] for p in listing(nameContains="lph")["provisionedModelSummaries"]] == ["alpha-pt"]
    assert len(listing(statusEquals="InService")["provisionedModelSummaries"]) == 4
    assert listing(statusEquals="Failed")["provisionedModelSummaries"] == []
    times = [p["creationTime"] for p in listing(sortOrder="Ascending")["provisionedModelSummaries"]]
    assert [p["provisionedModelName"] for p in listing(creationTimeBefore=times[1])["provisionedModelSummaries"]] == ["alpha-pt"]
    assert [p["provisionedModelName"] for p in listing(creationTimeAfter=times[2])["provisionedModelSummaries"]] == ["gamma-pt"]
    page = listing(maxResults=3)
    rest = listing(maxResults=3, nextToken=page["nextToken"])
    assert [p["provisionedModelName"] for p in page["provisionedModelSummaries"] + rest["provisionedModelSummaries"]] == names
    walked = [
        p["provisionedModelName"]
        for page in bedrock.get_paginator("list_provisioned_model_throughputs").paginate(PaginationConfig={"PageSize": 1})
        for p in page["provisionedModelSummaries"]
    ]
    assert walked == names
    with pytest.raises(bedrock.exceptions.ValidationException):
        listing(nextToken="nope")


def test_deployment_update_delete_and_failure(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = custom_model(bedrock, "model-1")
    second = custom_model(bedrock, "model-2")
    aws.control.set_progression(UPDATE_KIND, "manual", times=1000)
    arn = bedrock.create_custom_model_deployment(
        modelDeploymentName="dep", modelArn=first, tags=[{"key": "team", "value": "ml"}]
    )["customModelDeploymentArn"]
    assert bedrock.get_custom_model_deployment(customModelDeploymentIdentifier="dep")["status"] == "Active"
    assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "team", "value": "ml"}]

    updated = bedrock.update_custom_model_deployment(customModelDeploymentIdentifier="dep", modelArn=second)
    assert updated["customModelDeploymentArn"] == arn
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    deployment = bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=arn)
    assert deployment["modelArn"] == first
    assert deployment["updateDetails"] == {"modelArn": second, "updateStatus": "Updating"}
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.update_custom_model_deployment(customModelDeploymentIdentifier="dep", modelArn=first)
    with pytest.raises(bedrock.exceptions.ConflictException):
        bedrock.delete_custom_model_deployment(customModelDeploymentIdentifier="dep")
    assert aws.control.advance(UPDATE_KIND, "dep") == "UpdateCompleted"
    deployment = bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=arn)
    assert deployment["modelArn"] == second
    assert deployment["updateDetails"]["updateStatus"] == "UpdateCompleted"
    bedrock.delete_custom_model(modelIdentifier="model-1")  # no longer deployed

    third = custom_model(bedrock, "model-3")
    bedrock.update_custom_model_deployment(customModelDeploymentIdentifier="dep", modelArn=third)
    aws.control.fail(UPDATE_KIND, "the model cannot be deployed on demand", job="dep")
    assert aws.control.advance(UPDATE_KIND, "dep") == "UpdateFailed"
    deployment = bedrock.get_custom_model_deployment(customModelDeploymentIdentifier="dep")
    assert (deployment["status"], deployment["modelArn"]) == ("Active", second)
    assert deployment["failureMessage"] == "the model cannot be deployed on demand"

    assert bedrock.delete_custom_model_deployment(customModelDeploymentIdentifier="dep")["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_custom_model_deployment(customModelDeploymentIdentifier=arn)

    aws.control.fail(DEPLOY_KIND, "no capacity")
    bedrock.create_custom_model_deployment(modelDeploymentName="doomed", modelArn=second)
    doomed = bedrock.get_custom_model_deployment(customModelDeploymentIdentifier="doomed")
    assert (doomed["status"], doomed["failureMessage"]) == ("Failed", "no capacity")
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.update_custom_model_deployment(customModelDeploymentIdentifier="doomed", modelArn=third)


def test_deployment_needs_a_custom_model_here(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    model = custom_model(bedrock)
    missing = model[:-12] + "aaaaaaaaaaaa"
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.create_custom_model_deployment(modelDeploymentName="dep", modelArn=missing)
    plain = aws.client("bedrock", validate=False)
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        plain.create_custom_model_deployment(modelDeploymentName="dep", modelArn=BASE_ARN)
    assert "'modelArn'" in str(info.value)
    bedrock.create_custom_model_deployment(modelDeploymentName="dep", modelArn=model)
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.create_custom_model_deployment(modelDeploymentName="dep", modelArn=model)
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_custom_model_deployment(customModelDeploymentIdentifier="missing")
    assert len(bedrock.list_custom_model_deployments()["modelDeploymentSummaries"]) == 1


def test_deployment_list_filters(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = custom_model(bedrock, "model-1")
    second = custom_model(bedrock, "model-2")
    aws.control.set_progression(DEPLOY_KIND, "manual", times=1000)
    for name, model in [("alpha-dep", first), ("beta-dep", second), ("gamma-dep", first)]:
        bedrock.create_custom_model_deployment(modelDeploymentName=name, modelArn=model)
    aws.control.advance(DEPLOY_KIND, "beta-dep")
    listing = bedrock.list_custom_model_deployments
    names = [d["customModelDeploymentName"] for d in listing()["modelDeploymentSummaries"]]
    assert names == ["gamma-dep", "beta-dep", "alpha-dep"]
    assert [d["customModelDeploymentName"] for d in listing(sortOrder="Ascending")["modelDeploymentSummaries"]] == names[::-1]
    assert [d["customModelDeploymentName"] for d in listing(statusEquals="Active")["modelDeploymentSummaries"]] == ["beta-dep"]
    assert len(listing(statusEquals="Creating")["modelDeploymentSummaries"]) == 2
    assert [d["customModelDeploymentName"] for d in listing(modelArnEquals=first)["modelDeploymentSummaries"]] == ["gamma-dep", "alpha-dep"]
    assert [d["customModelDeploymentName"] for d in listing(nameContains="amm")["modelDeploymentSummaries"]] == ["gamma-dep"]
    times = [d["createdAt"] for d in listing(sortOrder="Ascending")["modelDeploymentSummaries"]]
    assert [d["customModelDeploymentName"] for d in listing(createdBefore=times[1])["modelDeploymentSummaries"]] == ["alpha-dep"]
    assert [d["customModelDeploymentName"] for d in listing(createdAfter=times[1])["modelDeploymentSummaries"]] == ["gamma-dep"]
    walked = [
        d["customModelDeploymentName"]
        for page in bedrock.get_paginator("list_custom_model_deployments").paginate(PaginationConfig={"PageSize": 2})
        for d in page["modelDeploymentSummaries"]
    ]
    assert walked == names


def test_tags_on_throughputs_and_deployments(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    model = custom_model(bedrock)
    pt = bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="pt", modelId=model, tags=[{"key": "a", "value": "1"}]
    )["provisionedModelArn"]
    dep = bedrock.create_custom_model_deployment(modelDeploymentName="dep", modelArn=model)["customModelDeploymentArn"]
    assert bedrock.list_tags_for_resource(resourceARN=pt)["tags"] == [{"key": "a", "value": "1"}]
    for arn in (pt, dep):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "b", "value": "2"}])
        bedrock.untag_resource(resourceARN=arn, tagKeys=["a"])
        assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "b", "value": "2"}]
    bedrock.delete_custom_model_deployment(customModelDeploymentIdentifier="dep")
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.list_tags_for_resource(resourceARN=dep)


def test_state_is_per_account_and_region(aws: Aws) -> None:
    east = aws.client("bedrock")
    other = aws.client_for_account("bedrock", "111111111111")
    model = custom_model(east)
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.get_custom_model(modelIdentifier="model-1")
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.create_custom_model_deployment(modelDeploymentName="dep", modelArn=model)
    custom_model(other)  # the same names, in another account
    other_model = other.get_custom_model(modelIdentifier="model-1")["modelArn"]
    assert ":111111111111:custom-model/" in other_model
    assert [m["modelArn"] for m in east.list_custom_models()["modelSummaries"]] == [model]
    assert other.list_custom_models(isOwned=True)["modelSummaries"][0]["ownerAccountId"] == "111111111111"


def test_moto_bedrock_operations_still_work(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    config = {
        "textDataDeliveryEnabled": True,
        "imageDataDeliveryEnabled": False,
        "embeddingDataDeliveryEnabled": False,
        "s3Config": {"bucketName": "invocation-logs", "keyPrefix": "bedrock"},
    }
    bedrock.put_model_invocation_logging_configuration(loggingConfig=config)
    custom_model(bedrock)
    assert bedrock.get_model_invocation_logging_configuration()["loggingConfig"] == config
    bedrock.delete_model_invocation_logging_configuration()
    assert not bedrock.get_model_invocation_logging_configuration().get("loggingConfig")
    assert [m["modelName"] for m in bedrock.list_custom_models()["modelSummaries"]] == ["model-1"]


def test_client_tokens_on_throughputs_deployments_and_copies(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    model = custom_model(bedrock)
    first = bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="pt", modelId=BASE, clientRequestToken="pt-token"
    )["provisionedModelArn"]
    again = bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="pt", modelId=BASE, clientRequestToken="pt-token"
    )["provisionedModelArn"]
    assert again == first
    # These operations model no ConflictException: a reused token is a validation error.
    with pytest.raises(bedrock.exceptions.ValidationException) as info:
        bedrock.create_provisioned_model_throughput(
            modelUnits=2, provisionedModelName="pt", modelId=BASE, clientRequestToken="pt-token"
        )
    assert "clientRequestToken" in str(info.value)
    dep = bedrock.create_custom_model_deployment(modelDeploymentName="dep", modelArn=model, clientRequestToken="d-token")
    assert bedrock.create_custom_model_deployment(
        modelDeploymentName="dep", modelArn=model, clientRequestToken="d-token"
    )["customModelDeploymentArn"] == dep["customModelDeploymentArn"]
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.create_custom_model_deployment(modelDeploymentName="dep-2", modelArn=model, clientRequestToken="d-token")
    west = aws.client("bedrock", region="us-west-2")
    job = west.create_model_copy_job(sourceModelArn=model, targetModelName="c", clientRequestToken="c-token")["jobArn"]
    assert west.create_model_copy_job(sourceModelArn=model, targetModelName="c", clientRequestToken="c-token")["jobArn"] == job
    assert len(west.list_model_copy_jobs()["modelCopyJobSummaries"]) == 1
    assert len(bedrock.list_provisioned_model_throughputs()["provisionedModelSummaries"]) == 1
