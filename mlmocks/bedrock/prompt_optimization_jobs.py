"""Bedrock advanced prompt optimization jobs (CreateAdvancedPromptOptimizationJob,
GetAdvancedPromptOptimizationJob, ListAdvancedPromptOptimizationJobs,
StopAdvancedPromptOptimizationJob, BatchDeleteAdvancedPromptOptimizationJob).

Where moto's S3 has the input bucket, the job reads its input file when created: one
prompt template a line, each with ``templateId`` and ``promptTemplate``. A missing file
or a malformed line fails the job. A template with no ``evaluationSamples`` cannot be
optimized: its results say ``Failed`` and the job ends ``PartiallyCompleted``. A job
that completes writes ``<outputConfig.s3Uri><job id>/advanced_prompt_optimization_results.jsonl``
(one line a template: ``promptTemplateId`` and, for each target model, a deterministic
``optimizedPromptTemplate``) where moto's S3 has the output bucket.

The tags given on create are kept with the job; TagResource and ListTagsForResource
cannot name it (their resourceARN pattern admits no prompt optimization job ARN).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.moto_compat import s3_has_bucket, s3_objects, s3_put_object
from mlmocks.core.tags import tag_dict

from .exceptions import ConflictException, ValidationException
from .invocation_jobs import split_s3_uri
from .job_actions import batch_delete, find, look, stop
from .listing import by_creation_time

PROMPT_OPTIMIZATION_JOB = Lifecycle(
    kind="bedrock::advanced-prompt-optimization-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
    other_ends=("PartiallyCompleted", "Deleted"),
)
DELETABLE = frozenset({"Completed", "PartiallyCompleted", "Failed", "Stopped"})
STOPPABLE = frozenset({"InProgress"})
#: How messages name the kind of job.
WHAT = "advanced prompt optimization job"
RESULTS_FILE = "advanced_prompt_optimization_results.jsonl"
#: What the deterministic optimizer adds to every template.
OPTIMIZATION = "\n\nThink step by step, and answer only from the information given."


class PromptOptimizationJob(Job):
    LIFECYCLE = PROMPT_OPTIMIZATION_JOB

    def __init__(
        self,
        backend: PromptOptimizationJobs,
        *,
        job_name: str,
        job_description: str | None,
        input_config: dict[str, Any],
        output_config: dict[str, Any],
        encryption_key_arn: str | None,
        model_configurations: list[dict[str, Any]],
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_name = job_name
        self.job_id = random_id()
        self.job_arn = backend.arn(f"advanced-prompt-optimization-job/{self.job_id}")
        self.job_description = job_description
        self.input_config = input_config
        self.output_config = output_config
        self.encryption_key_arn = encryption_key_arn
        self.model_configurations = model_configurations
        self.tags = tags
        #: The templates read from moto's S3 (None: no input there).
        self.templates: list[dict[str, Any]] | None = None
        super().__init__()
        self._read_input()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, self.job_id, self.job_arn)

    def summary(self) -> dict[str, Any]:
        return {
            "jobArn": self.job_arn,
            "jobName": self.job_name,
            "jobStatus": self.status,
            "creationTime": self.creation_time,
            "lastModifiedTime": self.last_modified_time,
        }

    def detail(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "jobDescription": self.job_description,
            "inputConfig": self.input_config,
            "outputConfig": self.output_config,
            "encryptionKeyArn": self.encryption_key_arn,
            "failureMessage": self.failure,
            "modelConfigurations": self.model_configurations,
        }

    # -- input and output in moto's S3 -------------------------------------------------

    def _read_input(self) -> None:
        uri = self.input_config["s3Uri"]
        bucket, key = split_s3_uri(uri)
        objects = s3_objects(self.backend.account_id, self.backend.partition, bucket, key)
        if objects is None:
            return  # moto's S3 does not hold the input: nothing to read
        message = self._parse(uri, objects.get(key))
        if self.ending != "Completed":
            return  # failing as a test author asked
        if message is not None:
            self.route([PROMPT_OPTIMIZATION_JOB.failed or "Failed"], failure=message)
        elif any(not template.get("evaluationSamples") for template in self.templates or ()):
            self.route(["PartiallyCompleted"])

    def _parse(self, uri: str, body: bytes | None) -> str | None:
        """Why the input cannot be read, if it cannot; else keeps its templates."""
        if body is None:
            return f"The input file {uri} does not exist"
        templates = []
        for number, line in enumerate(body.decode("utf-8", "replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                template = json.loads(line)
            except ValueError:
                return f"Invalid JSON on line {number} of {uri}"
            if not isinstance(template, dict):
                return f"Line {number} of {uri} is not a JSON object"
            for field in ("templateId", "promptTemplate"):
                if not isinstance(template.get(field), str) or not template[field]:
                    return f"The prompt template on line {number} of {uri} has no {field}"
            templates.append(template)
        if not templates:
            return f"The input file {uri} holds no prompt templates"
        self.templates = templates
        return None

    def on_enter(self, status: str, at: datetime) -> None:
        if status in ("Completed", "PartiallyCompleted"):
            self._write_results()
        elif status == "Deleted":
            self.backend.prompt_optimization_jobs.remove(self.job_arn)
            self.retired = True

    def _write_results(self) -> None:
        account, partition = self.backend.account_id, self.backend.partition
        bucket, prefix = split_s3_uri(self.output_config["s3Uri"])
        if self.templates is None or not s3_has_bucket(account, partition, bucket):
            return
        lines = []
        for template in self.templates:
            optimizable = bool(template.get("evaluationSamples"))
            results = []
            for model in self.model_configurations:
                result: dict[str, Any] = {"modelId": model["modelId"], "status": "Completed" if optimizable else "Failed"}
                if optimizable:
                    result["optimizedPromptTemplate"] = template["promptTemplate"] + OPTIMIZATION
                else:
                    result["failureMessage"] = "The prompt template has no evaluationSamples"
                results.append(result)
            lines.append({"promptTemplateId": template["templateId"], "promptOptimizationResults": results})
        body = "".join(json.dumps(line) + "\n" for line in lines).encode()
        s3_put_object(account, partition, bucket, f"{prefix}{self.job_id}/{RESULTS_FILE}", body)


class PromptOptimizationJobs(ServiceBackend):
    """The advanced prompt optimization family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.prompt_optimization_jobs: Store[PromptOptimizationJob] = Store()  # by ARN, also by id

    def create_advanced_prompt_optimization_job(
        self,
        job_name: str,
        input_config: dict[str, Any],
        output_config: dict[str, Any],
        model_configurations: list[dict[str, Any]],
        job_description: str | None = None,
        encryption_key_arn: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> PromptOptimizationJob:
        models = [config["modelId"] for config in model_configurations]
        if not all(models):
            raise ValidationException("Each modelConfigurations entry needs a modelId")
        if len(set(models)) != len(models):
            raise ValidationException("modelConfigurations names a model more than once")
        if any(job.job_name == job_name for job in self.prompt_optimization_jobs):
            raise ConflictException(f"An advanced prompt optimization job named {job_name} already exists")
        job = PromptOptimizationJob(
            self,
            job_name=job_name,
            job_description=job_description,
            input_config=input_config,
            output_config=output_config,
            encryption_key_arn=encryption_key_arn,
            model_configurations=model_configurations,
            tags=tag_dict(tags),
        )
        self.prompt_optimization_jobs.add(job.job_arn, job, aliases=(job.job_id,))
        self.track_job(job)
        return job

    def get_advanced_prompt_optimization_job(self, job_identifier: str) -> PromptOptimizationJob:
        return find(self.prompt_optimization_jobs, job_identifier, WHAT)

    def observe_advanced_prompt_optimization_job(self, job_identifier: str) -> PromptOptimizationJob:
        """A client's look (GetAdvancedPromptOptimizationJob)."""
        return look(self.prompt_optimization_jobs, job_identifier, WHAT)

    def stop_advanced_prompt_optimization_job(self, job_identifier: str) -> None:
        job = self.get_advanced_prompt_optimization_job(job_identifier)
        stop(job, job_identifier, WHAT, STOPPABLE, self.track_job)

    def batch_delete_advanced_prompt_optimization_job(
        self, job_identifiers: list[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return batch_delete(
            self.prompt_optimization_jobs, job_identifiers, DELETABLE, WHAT, self.track_job
        )

    def list_advanced_prompt_optimization_jobs(
        self,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[PromptOptimizationJob]:
        return by_creation_time(
            self.prompt_optimization_jobs, lambda job: not job.retired, max_results, next_token, sort_order
        )
