"""Bedrock batch inference: model invocation jobs (CreateModelInvocationJob,
GetModelInvocationJob, ListModelInvocationJobs, StopModelInvocationJob).

Where moto's S3 (of the job's account, or of ``s3BucketOwner``) has the input bucket,
the job reads its input on entering ``Validating``: one ``.jsonl`` object, or every
``.jsonl`` object under a prefix, each line a record ``{"recordId": ..., "modelInput":
{...}}``. A missing object or a malformed line fails the job there. A job that completes
writes, under ``<s3OutputDataConfig.s3Uri>/<job id>/``, one ``<input file name>.out``
per input file (each record with its deterministic ``modelOutput``, or an ``error``
where its ``modelInput`` is not a JSON object, which makes the job
``PartiallyCompleted``) and ``manifest.json.out`` with the totals. Without the input
bucket in moto's S3 the job walks its statuses and writes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from mlmocks.core.backend import random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.moto_compat import s3_has_bucket, s3_objects, s3_put_object
from mlmocks.core.tags import tag_dict

from .custom_models import CustomModels
from .exceptions import ConflictException, ValidationException
from .job_actions import find, stop
from .listing import by_creation_time, job_filter

MODEL_INVOCATION_JOB = Lifecycle(
    kind="bedrock::model-invocation-job",
    happy_path=("Submitted", "Validating", "Scheduled", "InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
    other_ends=("PartiallyCompleted", "Expired"),
)

#: Statuses from which StopModelInvocationJob stops a job.
STOPPABLE = frozenset({"Submitted", "Validating", "Scheduled", "InProgress"})
#: timeoutDurationInHours when the request gives none.
DEFAULT_TIMEOUT_HOURS = 24
INPUT_SUFFIX = ".jsonl"
#: How messages name the kind of job.
WHAT = "model invocation job"


class _Record:
    """One input line, with what the job made of it."""

    def __init__(self, record_id: str, model_input: Any) -> None:
        self.record_id = record_id
        self.model_input = model_input

    @property
    def ok(self) -> bool:
        return isinstance(self.model_input, dict)

    def input_tokens(self) -> int:
        return _tokens(json.dumps(self.model_input, sort_keys=True))

    def output(self, invocation_type: str) -> dict[str, Any]:
        line: dict[str, Any] = {"recordId": self.record_id, "modelInput": self.model_input}
        if not self.ok:
            line["error"] = {"errorCode": 400, "errorMessage": "Malformed input request: modelInput must be a JSON object"}
            return line
        line["modelOutput"] = _model_output(self.record_id, self.model_input, invocation_type, self.input_tokens())
        return line


def _tokens(text: str) -> int:
    return max(1, len(text.split()))


def _output_text(record_id: str) -> str:
    return f"mlmocks response to record {record_id}"


def _model_output(record_id: str, model_input: dict[str, Any], invocation_type: str, input_tokens: int) -> dict[str, Any]:
    """A deterministic response body in the shape the model family answers with."""
    text = _output_text(record_id)
    output_tokens = _tokens(text)
    if invocation_type == "Converse":
        return {
            "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens},
        }
    if "anthropic_version" in model_input or "messages" in model_input:
        return {
            "id": f"msg_{record_id}",
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }
    return {
        "inputTextTokenCount": input_tokens,
        "results": [{"tokenCount": output_tokens, "outputText": text, "completionReason": "FINISH"}],
    }


def output_tokens(line: dict[str, Any]) -> int:
    return _tokens(_output_text(line["recordId"])) if "modelOutput" in line else 0


def split_s3_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


class InputError(Exception):
    """The job's input in S3 cannot be read: it fails validation with this message."""


class ModelInvocationJob(Job):
    LIFECYCLE = MODEL_INVOCATION_JOB

    def __init__(
        self,
        backend: ModelInvocationJobs,
        *,
        job_name: str,
        role_arn: str,
        model_id: str,
        input_data_config: dict[str, Any],
        output_data_config: dict[str, Any],
        client_request_token: str | None,
        vpc_config: dict[str, Any] | None,
        timeout_duration_in_hours: int,
        model_invocation_type: str | None,
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_name = job_name
        self.job_id = random_id()
        self.job_arn = backend.arn(f"model-invocation-job/{self.job_id}")
        self.role_arn = role_arn
        self.model_id = model_id
        self.input_data_config = input_data_config
        self.output_data_config = output_data_config
        self.client_request_token = client_request_token
        self.vpc_config = vpc_config
        self.timeout_duration_in_hours = timeout_duration_in_hours
        self.model_invocation_type = model_invocation_type
        self.tags = tags
        #: Input file key -> its records, once read (None: no input in moto's S3).
        self.inputs: dict[str, list[_Record]] | None = None
        self.counts: dict[str, int] = {}
        super().__init__()
        self.job_expiration_time = self.creation_time + timedelta(hours=timeout_duration_in_hours)

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, self.job_id, self.job_arn)

    def summary(self) -> dict[str, Any]:
        status = self.status
        message = self.failure
        return {
            "jobArn": self.job_arn,
            "jobName": self.job_name,
            "modelId": self.model_id,
            "clientRequestToken": self.client_request_token,
            "roleArn": self.role_arn,
            "status": status,
            "message": message,
            "submitTime": self.creation_time,
            "lastModifiedTime": self.last_modified_time,
            "endTime": self.end_time,
            "inputDataConfig": self.input_data_config,
            "outputDataConfig": self.output_data_config,
            "vpcConfig": self.vpc_config,
            "timeoutDurationInHours": self.timeout_duration_in_hours,
            "jobExpirationTime": self.job_expiration_time,
            "modelInvocationType": self.model_invocation_type,
            **self.counts,
        }

    def detail(self) -> dict[str, Any]:
        return self.summary()

    # -- lifecycle side effects ------------------------------------------------------

    def on_enter(self, status: str, at: datetime) -> None:
        if status in ("Completed", "PartiallyCompleted"):
            if self.inputs is not None:
                self._write_output()
            return
        if self.ending != "Completed":
            return  # stopping, or failing as a test author asked: nothing else to decide
        if at >= self.job_expiration_time:
            self.route(["Expired"])
        elif status == "Validating":
            self._validate()
        elif status == "InProgress" and self.inputs is not None:
            if any(not record.ok for records in self.inputs.values() for record in records):
                self.route(["PartiallyCompleted"])

    def _validate(self) -> None:
        try:
            self.inputs = self._read_input()
        except InputError as error:
            self.route([MODEL_INVOCATION_JOB.failed or "Failed"], failure=str(error))
            return
        if self.inputs is not None:
            total = sum(len(records) for records in self.inputs.values())
            self.counts = {"totalRecordCount": total}

    def _s3_owner(self, config: dict[str, Any]) -> str:
        return str(config.get("s3BucketOwner") or self.backend.account_id)

    def _read_input(self) -> dict[str, list[_Record]] | None:
        config = self.input_data_config.get("s3InputDataConfig") or {}
        uri = config.get("s3Uri")
        if not uri:
            return None
        bucket, key = split_s3_uri(uri)
        objects = s3_objects(self._s3_owner(config), self.backend.partition, bucket, key)
        if objects is None:
            return None  # moto's S3 does not hold the input: nothing to read
        out_config = self.output_data_config.get("s3OutputDataConfig") or {}
        out_bucket, _ = split_s3_uri(out_config.get("s3Uri", ""))
        if not s3_has_bucket(self._s3_owner(out_config), self.backend.partition, out_bucket):
            raise InputError(f"The output S3 bucket {out_bucket} does not exist or is not accessible")
        # Records by output file name: a file's own name, or its path under the prefix.
        if key and not key.endswith("/") and key in objects:
            return {key.rpartition("/")[2]: self._records(uri, objects[key])}
        prefix = key if not key or key.endswith("/") else key + "/"
        files = {name: body for name, body in objects.items() if name.startswith(prefix) and name.endswith(INPUT_SUFFIX)}
        if not files:
            if key.endswith(INPUT_SUFFIX):
                raise InputError(f"The input file {uri} does not exist")
            raise InputError(f"No {INPUT_SUFFIX} files were found at the input location {uri}")
        return {name[len(prefix) :]: self._records(f"s3://{bucket}/{name}", body) for name, body in files.items()}

    @staticmethod
    def _records(uri: str, body: bytes) -> list[_Record]:
        records: list[_Record] = []
        try:
            lines = body.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"The input file {uri} is not UTF-8 encoded JSONL") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise InputError(f"Invalid JSON on line {number} of {uri}") from None
            if not isinstance(record, dict) or "modelInput" not in record:
                raise InputError(f"The record on line {number} of {uri} has no modelInput field")
            record_id = record.get("recordId")
            if record_id is None:
                record_id = f"{number:011d}"  # Bedrock adds an id where the record has none
            elif not isinstance(record_id, str) or not record_id:
                raise InputError(f"The recordId on line {number} of {uri} must be a non-empty string")
            records.append(_Record(record_id, record["modelInput"]))
        if not records:
            raise InputError(f"The input file {uri} holds no records")
        return records

    def _write_output(self) -> None:
        assert self.inputs is not None
        config = self.output_data_config.get("s3OutputDataConfig") or {}
        bucket, prefix = split_s3_uri(config["s3Uri"])
        base = f"{prefix.rstrip('/')}/{self.job_id}/" if prefix.strip("/") else f"{self.job_id}/"
        invocation_type = self.model_invocation_type or "InvokeModel"
        totals = dict.fromkeys(
            ("totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount", "inputTokenCount", "outputTokenCount"),
            0,
        )
        owner = self._s3_owner(config)
        for name, records in self.inputs.items():
            lines = [record.output(invocation_type) for record in records]
            body = "".join(json.dumps(line) + "\n" for line in lines)
            s3_put_object(owner, self.backend.partition, bucket, f"{base}{name}.out", body.encode())
            for record, line in zip(records, lines, strict=True):
                totals["totalRecordCount"] += 1
                totals["processedRecordCount"] += 1
                if record.ok:
                    totals["successRecordCount"] += 1
                    totals["inputTokenCount"] += record.input_tokens()
                    totals["outputTokenCount"] += output_tokens(line)
                else:
                    totals["errorRecordCount"] += 1
        s3_put_object(owner, self.backend.partition, bucket, f"{base}manifest.json.out", json.dumps(totals).encode())
        self.counts = {
            key: totals[key]
            for key in ("totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount")
        }
        self.inputs = None  # written out: the records need not stay in memory


class ModelInvocationJobs(CustomModels):
    """The batch inference family of a Bedrock backend (its jobs may name custom models)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.invocation_jobs: Store[ModelInvocationJob] = Store()  # by ARN, also by id

    def create_model_invocation_job(
        self,
        job_name: str,
        role_arn: str,
        model_id: str,
        input_data_config: dict[str, Any],
        output_data_config: dict[str, Any],
        client_request_token: str | None = None,
        vpc_config: dict[str, Any] | None = None,
        timeout_duration_in_hours: int | None = None,
        tags: list[dict[str, str]] | None = None,
        model_invocation_type: str | None = None,
    ) -> ModelInvocationJob:
        # The model checks modelId's shape (foundation model id or ARN, inference profile,
        # custom model ARN); a custom model must exist here and be Active.
        if ":custom-model/" in model_id:
            self.resolve_model(model_id, "modelId")
        if "s3InputDataConfig" not in input_data_config:
            raise ValidationException("inputDataConfig must contain s3InputDataConfig")
        if "s3OutputDataConfig" not in output_data_config:
            raise ValidationException("outputDataConfig must contain s3OutputDataConfig")
        if any(job.job_name == job_name for job in self.invocation_jobs):
            raise ConflictException(f"A model invocation job named {job_name} already exists")
        job = ModelInvocationJob(
            self,
            job_name=job_name,
            role_arn=role_arn,
            model_id=model_id,
            input_data_config=input_data_config,
            output_data_config=output_data_config,
            client_request_token=client_request_token,
            vpc_config=vpc_config,
            timeout_duration_in_hours=timeout_duration_in_hours or DEFAULT_TIMEOUT_HOURS,
            model_invocation_type=model_invocation_type,
            tags=tag_dict(tags),
        )
        self.invocation_jobs.add(job.job_arn, job, aliases=(job.job_id,))
        self.track_job(job)
        return job

    def get_model_invocation_job(self, job_identifier: str) -> ModelInvocationJob:
        return find(self.invocation_jobs, job_identifier, WHAT)

    def stop_model_invocation_job(self, job_identifier: str) -> None:
        stop(self.get_model_invocation_job(job_identifier), job_identifier, WHAT, STOPPABLE, self.track_job)

    def list_model_invocation_jobs(
        self,
        submit_time_after: datetime | None = None,
        submit_time_before: datetime | None = None,
        status_equals: str | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ModelInvocationJob]:
        wanted = job_filter(submit_time_after, submit_time_before, name_contains, status_equals)
        return by_creation_time(self.invocation_jobs, wanted, max_results, next_token, sort_order)

    def invocation_resource(self, arn: str) -> ModelInvocationJob | None:
        """The invocation job of an ARN (for tags), if it is one here."""
        return self.invocation_jobs.get(arn)
