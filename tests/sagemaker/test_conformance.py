"""Every response of every operation mlmocks answers for SageMaker, as it crosses the
wire, against botocore's output shape: no unknown keys, required members present, types,
enums, lengths and patterns legal. Errors carry only their modeled members."""

from __future__ import annotations

import json
import math
from typing import Any

import regex
from botocore.model import Shape, StructureShape

from mlmocks.core.spec import service_model
from mlmocks.sagemaker.responses import SageMakerResponse
from tests.modes import Aws

from .helpers import KIND, create_job

MODEL = service_model("sagemaker")


def problems(shape: Shape, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        found = [f"{path}.{key}: not in {shape.name}" for key in value if key not in shape.members]
        found += [
            f"{path}.{name}: required, missing"
            for name in shape.required_members
            if value.get(name) is None
        ]
        for name, member in shape.members.items():
            if value.get(name) is not None:
                found += problems(member, value[name], f"{path}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        found = _size(shape, len(value), path)
        for index, item in enumerate(value):
            found += problems(shape.member, item, f"{path}[{index}]")
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: not a map"]
        return [p for k, v in value.items() for p in problems(shape.value, v, f"{path}.{k}")]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: not a string"]
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            return [f"{path}: {value!r} not in the enum"]
        found = _size(shape, len(value), path)
        pattern = shape.metadata.get("pattern")
        if pattern and regex.fullmatch(pattern, value) is None:
            found.append(f"{path}: {value!r} does not match {pattern}")
        return found
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: not an integer"]
    if kind == "timestamp":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return [] if ok else [f"{path}: not an epoch timestamp"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: not a boolean"]
    return []


def _size(shape: Shape, size: int, path: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and size < low) or (high is not None and size > high):
        return [f"{path}: size {size} outside {low}..{high}"]
    return []


class Recorder:
    """Raw responses of one client, by operation."""

    def __init__(self, client: Any) -> None:
        self.seen: list[tuple[str, int, bytes]] = []
        client.meta.events.register("response-received.sagemaker.*", self.record)

    def record(self, event_name: str, response_dict: Any = None, **_: Any) -> None:
        if response_dict is not None:
            operation = event_name.rsplit(".", 1)[-1]
            self.seen.append((operation, response_dict["status_code"], response_dict["body"]))


def check(operation: str, status: int, body: bytes) -> list[str]:
    text = body.decode() if body else ""
    assert "Traceback" not in text
    document = json.loads(text) if text.strip() else {}
    if status >= 300:
        codes = {shape.name for shape in MODEL.error_shapes} | {"ValidationException"}
        found = [] if document.get("__type") in codes else [f"{operation}: unknown error {document}"]
        extra = set(document) - {"__type", "Message"}
        found += [f"{operation}: error member {key} not modeled" for key in extra]
        if not isinstance(document.get("Message"), str):
            found.append(f"{operation}: error without a message")
        return found
    output = MODEL.operation_model(operation).output_shape
    if output is None:
        return [] if document == {} else [f"{operation}: body for an operation without output"]
    return problems(output, document, operation)


def test_every_response_conforms(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    recorder = Recorder(sagemaker)
    aws.control.set_progression(KIND, "manual", times=2)

    # Every status of the lifecycle, described once each.
    arn = create_job(sagemaker, Tags=[{"Key": "team", "Value": "vision"}],
                     VpcConfig={"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]})
    for _ in range(4):
        sagemaker.describe_compilation_job(CompilationJobName="compile-1")
    aws.control.fail(KIND, "broken", job="failing")
    create_job(sagemaker, name="failing", InputConfig={"S3Uri": "s3://b/m.tar.gz", "Framework": "PYTORCH"})
    for _ in range(4):
        sagemaker.describe_compilation_job(CompilationJobName="failing")
    create_job(sagemaker, name="stopping", OutputConfig={
        "S3OutputLocation": "s3://b/out", "TargetPlatform": {"Os": "ANDROID", "Arch": "ARM64"}})
    sagemaker.stop_compilation_job(CompilationJobName="stopping")
    sagemaker.describe_compilation_job(CompilationJobName="stopping")
    sagemaker.describe_compilation_job(CompilationJobName="stopping")
    aws.control.reset_progression(KIND)

    sagemaker.list_compilation_jobs()
    page = sagemaker.list_compilation_jobs(MaxResults=1, SortBy="Status", SortOrder="Descending")
    sagemaker.list_compilation_jobs(MaxResults=1, SortBy="Status", SortOrder="Descending",
                                    NextToken=page["NextToken"])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    sagemaker.list_tags(ResourceArn=arn)
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["stage"])
    sagemaker.delete_compilation_job(CompilationJobName="failing")

    # And the errors.
    for call, kwargs in [
        (sagemaker.describe_compilation_job, {"CompilationJobName": "missing"}),
        (sagemaker.create_compilation_job, {"CompilationJobName": "bad_name"}),
        (sagemaker.stop_compilation_job, {"CompilationJobName": "compile-1"}),
        (sagemaker.list_tags, {"ResourceArn": arn.replace("compile-1", "missing")}),
        (sagemaker.list_compilation_jobs, {"NextToken": "bad"}),
    ]:
        try:
            call(**kwargs)
        except sagemaker.exceptions.ClientError:
            pass
    try:
        create_job(sagemaker)
    except sagemaker.exceptions.ResourceInUse:
        pass

    operations = {operation for operation, _, _ in recorder.seen}
    assert operations == set(SageMakerResponse.implemented_operations())
    statuses = {
        json.loads(body)["CompilationJobStatus"]
        for operation, code, body in recorder.seen
        if operation == "DescribeCompilationJob" and code == 200
    }
    assert statuses == {"STARTING", "INPROGRESS", "COMPLETED", "FAILED", "STOPPING", "STOPPED"}
    found = [p for operation, code, body in recorder.seen for p in check(operation, code, body)]
    assert found == []


def test_the_checker_can_fail() -> None:
    describe = MODEL.operation_model("DescribeCompilationJob").output_shape
    assert describe is not None
    broken = {"CompilationJobName": "x", "CompilationJobStatus": "DONE", "Extra": 1}
    found = problems(describe, broken, "DescribeCompilationJob")
    assert "DescribeCompilationJob.Extra: not in DescribeCompilationJobResponse" in found
    assert "DescribeCompilationJob.CompilationJobStatus: 'DONE' not in the enum" in found
    assert "DescribeCompilationJob.RoleArn: required, missing" in found
