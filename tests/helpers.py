"""Bedrock calls shared by the tests of the ways in (decorator, fixtures, server), and
clients of IAM users for the tests of moto's IAM enforcement."""

from __future__ import annotations

import json
from typing import Any

import boto3

ROLE = "arn:aws:iam::123456789012:role/bedrock"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}
KIND = "bedrock::model-import-job"


def import_model(client: Any, name: str = "job-1", model: str = "model-1") -> str:
    return client.create_model_import_job(  # type: ignore[no-any-return]
        jobName=name, importedModelName=model, roleArn=ROLE, modelDataSource=SOURCE
    )["jobArn"]


def job_names(client: Any) -> list[str]:
    return [j["jobName"] for j in client.list_model_import_jobs()["modelImportJobSummaries"]]


def moto_customization_job(bedrock: Any) -> str:
    return bedrock.create_model_customization_job(  # type: ignore[no-any-return]
        jobName="tune-1",
        customModelName="custom-1",
        roleArn=ROLE,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://training/data.jsonl"},
        outputDataConfig={"s3Uri": "s3://training/output/"},
        hyperParameters={},
    )["jobArn"]


def client_allowed(service: str, actions: list[str], user: str = "tester") -> Any:
    """A client of ``service`` signed by a new IAM user allowed only ``actions`` (three
    IAM requests, which count towards moto's initial requests without auth)."""
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_user(UserName=user)
    statement = {"Effect": "Allow", "Action": actions, "Resource": "*"}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    iam.put_user_policy(UserName=user, PolicyName="allowed", PolicyDocument=policy)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
