"""Tags on compilation jobs, and moto's own SageMaker answering everything else on the
same host, with its state, in the same test."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.sagemaker.models import sagemaker_backends as moto_sagemaker_backends

from tests.modes import ACCOUNT, REGION, Aws

from .helpers import ROLE, create_job, describe, error_of, names


def tags_of(client: Any, arn: str) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in client.list_tags(ResourceArn=arn)["Tags"]}


def moto_training_job(client: Any, name: str = "train-1") -> str:
    return client.create_training_job(  # type: ignore[no-any-return]
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "111111111111.dkr.ecr.us-east-1.amazonaws.com/algo:1",
                                "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://training/output/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        Tags=[{"Key": "team", "Value": "training"}],
    )["TrainingJobArn"]


def moto_model(client: Any, name: str = "model-1") -> str:
    return client.create_model(  # type: ignore[no-any-return]
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "111111111111.dkr.ecr.us-east-1.amazonaws.com/serve:1",
                          "ModelDataUrl": "s3://training/output/model.tar.gz"},
    )["ModelArn"]


def test_tags_given_at_create_and_after(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}, {"Key": "stage", "Value": "dev"}])
    assert tags_of(sagemaker, arn) == {"team": "vision", "stage": "dev"}

    added = sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "prod"}, {"Key": "cost", "Value": ""}])
    assert {t["Key"]: t["Value"] for t in added["Tags"]} == {"team": "vision", "stage": "prod", "cost": ""}
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team", "not-there"])
    assert tags_of(sagemaker, arn) == {"stage": "prod", "cost": ""}
    listed = sagemaker.list_tags(ResourceArn=arn, MaxResults=50)
    assert "NextToken" not in listed
    paged = [t for page in sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn) for t in page["Tags"]]
    assert {t["Key"] for t in paged} == {"stage", "cost"}

    # At most 50 tags on a resource: a rejected AddTags adds none.
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(49)]
    with pytest.raises(ClientError) as info:
        sagemaker.add_tags(ResourceArn=arn, Tags=too_many)
    assert error_of(info)[0] == "ValidationException" and "50" in error_of(info)[2]
    assert tags_of(sagemaker, arn) == {"stage": "prod", "cost": ""}


def test_tags_of_unknown_or_foreign_compilation_jobs(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    arn = create_job(sagemaker)
    elsewhere = [
        arn.replace("compile-1", "compile-9"),
        arn.replace("us-east-1", "eu-west-1"),  # a job of another region is not found here
        arn.replace(ACCOUNT, "999999999999"),
    ]
    for unknown in elsewhere:
        for call, extra in [
            (sagemaker.list_tags, {}),
            (sagemaker.add_tags, {"Tags": [{"Key": "a", "Value": "b"}]}),
            (sagemaker.delete_tags, {"TagKeys": ["a"]}),
        ]:
            with pytest.raises(ClientError) as info:
                call(ResourceArn=unknown, **extra)
            assert error_of(info)[:2] == ("ValidationException", 400)
    with pytest.raises(ClientError) as info:
        sagemaker.list_tags(ResourceArn=arn, NextToken="made-up")
    assert error_of(info)[0] == "ValidationException"


def test_tag_validation(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    arn = create_job(sagemaker)
    for call, kwargs, field in [
        (sagemaker.add_tags, {"ResourceArn": arn, "Tags": [{"Key": "", "Value": "v"}]}, "Tags.1.member.Key"),
        (sagemaker.add_tags, {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "x" * 257}]},
         "Tags.1.member.Value"),
        (sagemaker.delete_tags, {"ResourceArn": arn, "TagKeys": []}, "TagKeys"),
        (sagemaker.list_tags, {"ResourceArn": arn, "MaxResults": 10}, "MaxResults"),
        (sagemaker.list_tags, {"ResourceArn": arn + "x" * 256}, "ResourceArn"),
    ]:
        with pytest.raises(ClientError) as info:
            call(**kwargs)
        code, _, message = error_of(info)
        assert code == "ValidationException" and f"'{field}'" in message, message
    assert tags_of(sagemaker, arn) == {}


def test_motos_sagemaker_beside_ours(aws: Aws) -> None:
    """Training jobs and models are moto's; compilation jobs are ours; tags and lists
    keep each side's resources apart, and moto's compilation stub is never reached."""
    sagemaker = aws.client("sagemaker")
    training_arn = moto_training_job(sagemaker)
    model_arn = moto_model(sagemaker)
    compilation_arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}])

    assert sagemaker.describe_training_job(TrainingJobName="train-1")["TrainingJobArn"] == training_arn
    assert [j["TrainingJobName"] for j in sagemaker.list_training_jobs()["TrainingJobSummaries"]] == ["train-1"]
    assert [m["ModelName"] for m in sagemaker.list_models()["Models"]] == ["model-1"]
    assert names(sagemaker.list_compilation_jobs()["CompilationJobSummaries"]) == ["compile-1"]

    # Tags: moto's resources through moto, ours through us, in one client.
    sagemaker.add_tags(ResourceArn=training_arn, Tags=[{"Key": "owner", "Value": "ana"}])
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "owner", "Value": "bo"}])
    sagemaker.add_tags(ResourceArn=compilation_arn, Tags=[{"Key": "owner", "Value": "cy"}])
    assert tags_of(sagemaker, training_arn) == {"team": "training", "owner": "ana"}
    assert tags_of(sagemaker, model_arn) == {"owner": "bo"}
    assert tags_of(sagemaker, compilation_arn) == {"team": "vision", "owner": "cy"}
    sagemaker.delete_tags(ResourceArn=model_arn, TagKeys=["owner"])
    assert tags_of(sagemaker, model_arn) == {}
    assert tags_of(sagemaker, compilation_arn) == {"team": "vision", "owner": "cy"}

    # Ours is the real lifecycle, not moto's stub: a stop is answered, a second job name
    # clash is ours, and moto's own compilation jobs stay empty.
    with pytest.raises(ClientError) as info:
        sagemaker.stop_compilation_job(CompilationJobName="compile-1")
    assert error_of(info)[0] == "ValidationException"
    with pytest.raises(sagemaker.exceptions.ResourceInUse):
        create_job(sagemaker)
    assert moto_sagemaker_backends[ACCOUNT][REGION].compilation_jobs == {}

    # moto still answers its own errors.
    with pytest.raises(ClientError) as info:
        sagemaker.describe_model(ModelName="no-such-model")
    assert error_of(info)[0] == "ValidationException"
    sagemaker.delete_model(ModelName="model-1")
    assert sagemaker.list_models()["Models"] == []
    assert describe(sagemaker)["CompilationJobStatus"] == "COMPLETED"


def test_motos_mock_aws_routes_compilation_jobs_to_us(decorator_aws: Aws) -> None:
    """With mlmocks loaded, moto's own decorator nested inside ours answers the same."""
    sagemaker = decorator_aws.client("sagemaker")
    with mock_aws():
        create_job(sagemaker)
        training_arn = moto_training_job(sagemaker)
        assert sagemaker.list_training_jobs()["TrainingJobSummaries"][0]["TrainingJobArn"] == training_arn
    assert describe(sagemaker)["CompilationJobStatus"] == "COMPLETED"
    assert moto_sagemaker_backends[ACCOUNT][REGION].compilation_jobs == {}
