"""Requests for SageMaker's training, processing, transform and tuning jobs, shared by
their tests and the reliability fixture."""

from __future__ import annotations

from typing import Any

from .helpers import ROLE

TRAINING = "sagemaker::training-job"
PROCESSING = "sagemaker::processing-job"
TRANSFORM = "sagemaker::transform-job"
TUNING = "sagemaker::hyper-parameter-tuning-job"

IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"
ALGORITHM = {
    "TrainingImage": IMAGE,
    "TrainingInputMode": "File",
    "MetricDefinitions": [
        {"Name": "validation:accuracy", "Regex": "accuracy=([0-9.]+)"},
        {"Name": "train:loss", "Regex": "loss=([0-9.]+)"},
    ],
}
RESOURCES = {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10}
OUTPUT = {"S3OutputPath": "s3://my-bucket/training/"}
INPUT = [{
    "ChannelName": "train",
    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/data/train/",
                                    "S3DataDistributionType": "FullyReplicated"}},
}]
STOPPING = {"MaxRuntimeInSeconds": 3600}


def without_none(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def create_training_job(client: Any, name: str = "train-1", **overrides: Any) -> str:
    params = without_none({
        "TrainingJobName": name,
        "RoleArn": ROLE,
        "AlgorithmSpecification": ALGORITHM,
        "HyperParameters": {"epochs": "10"},
        "InputDataConfig": INPUT,
        "OutputDataConfig": OUTPUT,
        "ResourceConfig": RESOURCES,
        "StoppingCondition": STOPPING,
        **overrides,
    })
    return client.create_training_job(**params)["TrainingJobArn"]  # type: ignore[no-any-return]


def describe_training_job(client: Any, name: str = "train-1") -> dict[str, Any]:
    described: dict[str, Any] = client.describe_training_job(TrainingJobName=name)
    described.pop("ResponseMetadata", None)
    return described


PROCESSING_RESOURCES = {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}
APP = {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/process:1", "ContainerEntrypoint": ["python3"]}
PROCESSING_OUTPUTS = {"Outputs": [{"OutputName": "features", "S3Output": {
    "S3Uri": "s3://my-bucket/processed/features", "LocalPath": "/opt/ml/processing/output",
    "S3UploadMode": "EndOfJob"}}]}


def create_processing_job(client: Any, name: str = "process-1", **overrides: Any) -> str:
    params = without_none({
        "ProcessingJobName": name,
        "RoleArn": ROLE,
        "AppSpecification": APP,
        "ProcessingResources": PROCESSING_RESOURCES,
        "ProcessingInputs": [{"InputName": "raw", "S3Input": {
            "S3Uri": "s3://my-bucket/raw/", "LocalPath": "/opt/ml/processing/input",
            "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
        "ProcessingOutputConfig": PROCESSING_OUTPUTS,
        "StoppingCondition": STOPPING,
        **overrides,
    })
    return client.create_processing_job(**params)["ProcessingJobArn"]  # type: ignore[no-any-return]


TRANSFORM_INPUT = {"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/batch/in/"}},
                   "ContentType": "text/csv", "SplitType": "Line"}
TRANSFORM_OUTPUT = {"S3OutputPath": "s3://my-bucket/batch/out/", "AssembleWith": "Line"}
TRANSFORM_RESOURCES = {"InstanceType": "ml.m5.large", "InstanceCount": 1}


def create_transform_job(client: Any, name: str = "transform-1", **overrides: Any) -> str:
    params = without_none({
        "TransformJobName": name,
        "ModelName": "model-1",
        "TransformInput": TRANSFORM_INPUT,
        "TransformOutput": TRANSFORM_OUTPUT,
        "TransformResources": TRANSFORM_RESOURCES,
        **overrides,
    })
    return client.create_transform_job(**params)["TransformJobArn"]  # type: ignore[no-any-return]


DEFINITION = {
    "StaticHyperParameters": {"epochs": "5"},
    "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File",
                               "MetricDefinitions": [{"Name": "validation:accuracy", "Regex": "acc=(.*)"}]},
    "RoleArn": ROLE,
    "InputDataConfig": INPUT,
    "OutputDataConfig": OUTPUT,
    "ResourceConfig": RESOURCES,
    "StoppingCondition": STOPPING,
}


def tuning_config(most: int = 4, parallel: int = 2, objective: str = "Maximize") -> dict[str, Any]:
    return {
        "Strategy": "Bayesian",
        "HyperParameterTuningJobObjective": {"Type": objective, "MetricName": "validation:accuracy"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": most, "MaxParallelTrainingJobs": parallel},
        "ParameterRanges": {
            "IntegerParameterRanges": [{"Name": "depth", "MinValue": "1", "MaxValue": "10"}],
            "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.01", "MaxValue": "0.5",
                                           "ScalingType": "Logarithmic"}],
            "CategoricalParameterRanges": [{"Name": "optimizer", "Values": ["sgd", "adam"]}],
        },
    }


def create_tuning_job(client: Any, name: str = "tune-1", **overrides: Any) -> str:
    params = without_none({
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": tuning_config(),
        "TrainingJobDefinition": DEFINITION,
        **overrides,
    })
    return client.create_hyper_parameter_tuning_job(**params)["HyperParameterTuningJobArn"]  # type: ignore[no-any-return]


def describe_tuning_job(client: Any, name: str = "tune-1") -> dict[str, Any]:
    described: dict[str, Any] = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    described.pop("ResponseMetadata", None)
    return described


def children(client: Any, name: str = "tune-1", **params: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
        HyperParameterTuningJobName=name, **params)
    return [summary for page in pages for summary in page["TrainingJobSummaries"]]
