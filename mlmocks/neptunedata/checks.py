"""What Neptune ML checks of a request beyond its service model (its documented error
messages): IAM role ARNs, S3 locations, ML instance types, least values and choices. The
tables name the inputs by their model member names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from mlmocks.core.spec import service_model

from .exceptions import BadRequestException, InvalidParameterException

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
_S3_URL = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?", re.DOTALL)
ROLE_ARNS = ("neptuneIamRoleArn", "sagemakerIamRoleArn")
S3_LOCATIONS = (
    "inputDataS3Location",
    "processedDataS3Location",
    "trainModelS3Location",
    "modelTransformOutputS3Location",
)
#: Inputs holding an ML instance type, and the SageMaker enum each must be in.
INSTANCE_TYPES = {
    "processingInstanceType": "ProcessingInstanceType",
    "baseProcessingInstanceType": "ProcessingInstanceType",
    "trainingInstanceType": "TrainingInstanceType",
    "instanceType": "ProductionVariantInstanceType",
}
#: Numeric inputs and the least value each takes (0 volume size: Neptune ML chooses).
LEAST_VALUES = {
    "processingInstanceVolumeSizeInGB": 0,
    "trainingInstanceVolumeSizeInGB": 0,
    "baseProcessingInstanceVolumeSizeInGB": 0,
    "processingTimeOutInSeconds": 1,
    "trainingTimeOutInSeconds": 1,
    "maxHPONumberOfTrainingJobs": 1,
    "maxHPOParallelTrainingJobs": 1,
    "instanceCount": 1,
}
#: The two kinds of model Neptune ML trains (``modelType`` of data processing).
MODEL_TYPES = ("heterogeneous", "kge")
#: ``modelName`` of an endpoint: rgcn for heterogeneous graphs, the rest for knowledge
#: graphs, custom for a custom model implementation.
ENDPOINT_MODEL_NAMES = ("rgcn", "kge", "transe", "distmult", "rotate", "custom")


@cache
def _instance_types(enum_shape: str) -> frozenset[str]:
    return frozenset(service_model("sagemaker").shape_for(enum_shape).enum)


def check_request(params: Mapping[str, Any]) -> None:
    """Neptune ML's own checks of any request's inputs (its documented error messages)."""
    for field in ROLE_ARNS:
        value = params.get(field)
        if value is not None and not _ROLE_ARN.fullmatch(value):
            raise BadRequestException(f"{field} {value!r} is not the ARN of an IAM role.")
    locations = [(field, params.get(field)) for field in S3_LOCATIONS]
    for custom in ("customModelTrainingParameters", "customModelTransformParameters"):
        if custom in params:
            locations.append(
                (f"{custom}.sourceS3DirectoryPath", params[custom]["sourceS3DirectoryPath"])
            )
    for field, value in locations:
        if value is not None and not _S3_URL.fullmatch(value):
            raise BadRequestException(
                "Invalid S3 URL or incorrect S3 permissions. Please check your S3 configuration."
                f" ({field}: {value!r})"
            )
    for field, enum_shape in INSTANCE_TYPES.items():
        value = params.get(field)
        if value is not None and value not in _instance_types(enum_shape):
            raise InvalidParameterException(f"Invalid ML instance type. ({field}: {value!r})")
    for field, least in LEAST_VALUES.items():
        value = params.get(field)
        if value is not None and value < least:
            raise InvalidParameterException(f"{field} must be at least {least}, not {value}.")
    check_choice(params, "modelType", MODEL_TYPES)


def check_choice(params: Mapping[str, Any], field: str, choices: tuple[str, ...]) -> None:
    value = params.get(field)
    if value is not None and value not in choices:
        raise InvalidParameterException(
            f"Invalid {field} {value!r}; valid values: {', '.join(choices)}."
        )
