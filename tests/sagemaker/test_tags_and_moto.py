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


def test_list_tags_pages(aws: Aws) -> None:
    """At most 50 tags and at least 50 a page: one page for a compilation job, and a token
    that is not ours is refused. moto pages its own resources' tags."""
    sagemaker = aws.client("sagemaker")
    arn = create_job(sagemaker, Tags=[{"Key": f"k{i:02d}", "Value": str(i)} for i in range(50)])
    listed = sagemaker.list_tags(ResourceArn=arn, MaxResults=50)
    assert [t["Key"] for t in listed["Tags"]] == [f"k{i:02d}" for i in range(50)]
    assert "NextToken" not in listed
    paged = [t for page in sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn) for t in page["Tags"]]
    assert paged == listed["Tags"]
    with pytest.raises(ClientError) as info:
        sagemaker.list_tags(ResourceArn=arn, NextToken="made-up")
    code, http_status, message = error_of(info)
    assert (code, http_status) == ("ValidationException", 400) and "'NextToken'" in message

    # moto's model keeps more tags than a page: moto answers with its own tokens.
    model_arn = moto_model(sagemaker)
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "team", "Value": "serving"}])
    for batch in range(2):
        sagemaker.add_tags(ResourceArn=model_arn,
                           Tags=[{"Key": f"b{batch}-{i:02d}", "Value": "v"} for i in range(30)])
    first = sagemaker.list_tags(ResourceArn=model_arn, MaxResults=50)
    assert len(first["Tags"]) == 50 and first["NextToken"]
    rest = sagemaker.list_tags(ResourceArn=model_arn, MaxResults=50, NextToken=first["NextToken"])
    assert len(rest["Tags"]) == 11 and "NextToken" not in rest
    every = [t for page in sagemaker.get_paginator("list_tags").paginate(ResourceArn=model_arn)
             for t in page["Tags"]]
    assert {t["Key"] for t in every} == {"team"} | {f"b{b}-{i:02d}" for b in range(2) for i in range(30)}


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


def test_motos_endpoints_and_search_beside_ours(aws: Aws) -> None:
    """An endpoint served from moto's model, moto's tags on it and moto's Search, with a
    compilation job of ours in the same account and region."""
    sagemaker = aws.client("sagemaker")
    compilation_arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}])
    moto_model(sagemaker)
    moto_training_job(sagemaker)
    sagemaker.create_endpoint_config(
        EndpointConfigName="config-1",
        ProductionVariants=[{"VariantName": "main", "ModelName": "model-1",
                             "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}],
    )
    endpoint_arn = sagemaker.create_endpoint(EndpointName="endpoint-1", EndpointConfigName="config-1",
                                             Tags=[{"Key": "team", "Value": "serving"}])["EndpointArn"]
    assert sagemaker.describe_endpoint(EndpointName="endpoint-1")["EndpointConfigName"] == "config-1"
    assert [e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]] == ["endpoint-1"]
    sagemaker.add_tags(ResourceArn=endpoint_arn, Tags=[{"Key": "stage", "Value": "prod"}])
    assert tags_of(sagemaker, endpoint_arn) == {"team": "serving", "stage": "prod"}
    assert tags_of(sagemaker, compilation_arn) == {"team": "vision"}

    found = sagemaker.search(
        Resource="TrainingJob",
        SearchExpression={"Filters": [{"Name": "Tags.team", "Operator": "Equals", "Value": "training"}]},
    )["Results"]
    assert [r["TrainingJob"]["TrainingJobName"] for r in found] == ["train-1"]

    sagemaker.delete_endpoint(EndpointName="endpoint-1")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert names(sagemaker.list_compilation_jobs()["CompilationJobSummaries"]) == ["compile-1"]


def test_resource_groups_tagging_api_sees_compilation_jobs(aws: Aws) -> None:
    """moto's Resource Groups Tagging API lists, tags and untags our compilation jobs beside
    moto's SageMaker resources, whichever backend was used first."""
    sagemaker = aws.client("sagemaker")
    tagging = aws.client("resourcegroupstaggingapi")
    model_arn = moto_model(sagemaker)  # moto's SageMaker first
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "team", "Value": "serving"}])
    compilation_arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}])
    create_job(sagemaker, name="untagged")

    def mapping(**filters: Any) -> dict[str, dict[str, str]]:
        resources = tagging.get_resources(**filters)["ResourceTagMappingList"]
        return {r["ResourceARN"]: {t["Key"]: t["Value"] for t in r["Tags"]} for r in resources}

    assert mapping() == {model_arn: {"team": "serving"}, compilation_arn: {"team": "vision"}}
    assert mapping(ResourceTypeFilters=["sagemaker:compilation-job"]) == {compilation_arn: {"team": "vision"}}
    assert mapping(TagFilters=[{"Key": "team", "Values": ["vision"]}]) == {compilation_arn: {"team": "vision"}}

    failed = tagging.tag_resources(ResourceARNList=[compilation_arn, model_arn], Tags={"cost": "ml"})
    assert failed["FailedResourcesMap"] == {}
    assert tags_of(sagemaker, compilation_arn) == {"team": "vision", "cost": "ml"}
    assert tags_of(sagemaker, model_arn) == {"team": "serving", "cost": "ml"}
    tagging.untag_resources(ResourceARNList=[compilation_arn], TagKeys=["team"])
    assert tags_of(sagemaker, compilation_arn) == {"cost": "ml"}
    assert tags_of(sagemaker, model_arn) == {"team": "serving", "cost": "ml"}
    assert sorted(tagging.get_tag_keys()["TagKeys"]) == ["cost", "cost", "team"]
    # Pages of one: moto keeps the listing between requests, while our jobs keep being served.
    second_arn = create_job(sagemaker, name="compile-2", Tags=[{"Key": "team", "Value": "vision"}])
    walked = []
    for page in tagging.get_paginator("get_resources").paginate(ResourcesPerPage=1):
        walked += [r["ResourceARN"] for r in page["ResourceTagMappingList"]]
        assert len(sagemaker.list_compilation_jobs()["CompilationJobSummaries"]) == 3
    assert sorted(walked) == sorted([compilation_arn, second_arn, model_arn])

    # A compilation job that does not exist is refused, not handed to moto's SageMaker.
    with pytest.raises(ClientError) as info:
        tagging.tag_resources(ResourceARNList=[compilation_arn.replace("compile-1", "gone")], Tags={"a": "b"})
    assert error_of(info)[0] == "ValidationException"
    assert moto_sagemaker_backends[ACCOUNT][REGION].compilation_jobs == {}


def test_tagging_api_asks_ours_first_even_when_motos_sagemaker_came_first(decorator_aws: Aws) -> None:
    """moto's Resource Groups Tagging API tags through the first backend that claims an
    ARN. moto's SageMaker claims every SageMaker ARN, so ours must be asked before it even
    when moto's was in use first (here: reached in-process before any request)."""
    moto_sagemaker_backends[ACCOUNT][REGION]
    sagemaker = decorator_aws.client("sagemaker")
    arn = create_job(sagemaker)
    tagging = decorator_aws.client("resourcegroupstaggingapi")
    assert tagging.tag_resources(ResourceARNList=[arn], Tags={"cost": "ml"})["FailedResourcesMap"] == {}
    assert tags_of(sagemaker, arn) == {"cost": "ml"}
