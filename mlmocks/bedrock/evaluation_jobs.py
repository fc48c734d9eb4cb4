"""Bedrock evaluation jobs: model and RAG evaluations, automated or human-based
(CreateEvaluationJob, GetEvaluationJob, ListEvaluationJobs, StopEvaluationJob,
BatchDeleteEvaluationJob).

A job that completes writes its results under the output location in moto's S3, where
moto's S3 has the output bucket, as Bedrock lays them out: for an automated job
``<s3Uri>/<job name>/<job id>/models/<model>/taskTypes/<task type>/datasets/<dataset>/<file id>_output.jsonl``,
for a human-based one ``<s3Uri>/<job name>/<job id>/datasets/<dataset>/<file id>_output.jsonl``;
one line per prompt of the dataset where moto's S3 holds its ``datasetLocation``, with
deterministic scores and responses.
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
from .listing import by_creation_time, job_filter

EVALUATION_JOB = Lifecycle(
    kind="bedrock::evaluation-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
    # BatchDeleteEvaluationJob walks Deleting; a deleted job is gone, so Deleted is never shown.
    other_ends=("Deleted",),
)
#: Statuses a job may be deleted in (the API reference: Failed, Completed, Stopped).
DELETABLE = frozenset({"Completed", "Failed", "Stopped"})
DEFAULT_APPLICATION_TYPE = "ModelEvaluation"
STOPPABLE = frozenset({"InProgress"})
#: The most jobs one ListEvaluationJobs page holds: the model's EvaluationSummaries list
#: is 1 to 5 long (maxResults may ask for up to 1000; the rest comes with nextToken).
MAX_PAGE = 5
#: How messages name the kind of job.
WHAT = "evaluation job"
#: The deterministic score every metric gets.
SCORE = 1.0


class EvaluationJob(Job):
    LIFECYCLE = EVALUATION_JOB

    def __init__(
        self,
        backend: EvaluationJobs,
        *,
        job_name: str,
        job_description: str | None,
        role_arn: str,
        customer_encryption_key_id: str | None,
        application_type: str,
        evaluation_config: dict[str, Any],
        inference_config: dict[str, Any],
        output_data_config: dict[str, Any],
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_name = job_name
        self.job_id = random_id()
        self.job_arn = backend.arn(f"evaluation-job/{self.job_id}")
        self.job_description = job_description
        self.role_arn = role_arn
        self.customer_encryption_key_id = customer_encryption_key_id
        self.application_type = application_type
        self.evaluation_config = evaluation_config
        self.inference_config = inference_config
        self.output_data_config = output_data_config
        self.tags = tags
        self.job_type = "Automated" if "automated" in evaluation_config else "Human"
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, self.job_arn)

    # -- what the configs name ---------------------------------------------------------

    def _metric_configs(self) -> list[dict[str, Any]]:
        config = self.evaluation_config.get("automated") or self.evaluation_config.get("human") or {}
        return list(config.get("datasetMetricConfigs", []))

    def _models(self) -> list[dict[str, Any]]:
        return list(self.inference_config.get("models", []))

    def _rag_configs(self) -> list[dict[str, Any]]:
        return list(self.inference_config.get("ragConfigs", []))

    def _model_identifiers(self) -> list[str]:
        return [m["bedrockModel"]["modelIdentifier"] for m in self._models() if "bedrockModel" in m]

    def _precomputed_sources(self) -> list[str]:
        return [
            m["precomputedInferenceSource"]["inferenceSourceIdentifier"]
            for m in self._models()
            if "precomputedInferenceSource" in m
        ]

    def _knowledge_bases(self) -> list[str]:
        found = []
        for rag in self._rag_configs():
            kb = rag.get("knowledgeBaseConfig") or {}
            if "retrieveConfig" in kb:
                found.append(kb["retrieveConfig"]["knowledgeBaseId"])
            elif "retrieveAndGenerateConfig" in kb:
                generate = kb["retrieveAndGenerateConfig"].get("knowledgeBaseConfiguration")
                if generate:
                    found.append(generate["knowledgeBaseId"])
        return found

    def _precomputed_rag_sources(self) -> list[str]:
        found = []
        for rag in self._rag_configs():
            source = rag.get("precomputedRagSourceConfig") or {}
            for config in source.values():
                found.append(config["ragSourceIdentifier"])
        return found

    def _evaluator_models(self, where: str) -> list[str]:
        automated = self.evaluation_config.get("automated") or {}
        if where == "custom":
            config = (automated.get("customMetricConfig") or {}).get("evaluatorModelConfig") or {}
        else:
            config = automated.get("evaluatorModelConfig") or {}
        return [model["modelIdentifier"] for model in config.get("bedrockEvaluatorModels", [])]

    def _task_types(self) -> list[str]:
        return list(dict.fromkeys(config["taskType"] for config in self._metric_configs()))

    # -- rendering -----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        return {
            "jobArn": self.job_arn,
            "jobName": self.job_name,
            "status": self.status,
            "creationTime": self.creation_time,
            "jobType": self.job_type,
            "evaluationTaskTypes": self._task_types(),
            "modelIdentifiers": self._model_identifiers(),
            "ragIdentifiers": self._knowledge_bases(),
            "evaluatorModelIdentifiers": self._evaluator_models("metrics"),
            "customMetricsEvaluatorModelIdentifiers": self._evaluator_models("custom"),
            "inferenceConfigSummary": {
                "modelConfigSummary": {
                    "bedrockModelIdentifiers": self._model_identifiers(),
                    "precomputedInferenceSourceIdentifiers": self._precomputed_sources(),
                },
                "ragConfigSummary": {
                    "bedrockKnowledgeBaseIdentifiers": self._knowledge_bases(),
                    "precomputedRagSourceIdentifiers": self._precomputed_rag_sources(),
                },
            },
            "applicationType": self.application_type,
        }

    def detail(self) -> dict[str, Any]:
        failure = self.failure
        return {
            "jobName": self.job_name,
            "status": self.status,
            "jobArn": self.job_arn,
            "jobDescription": self.job_description,
            "roleArn": self.role_arn,
            "customerEncryptionKeyId": self.customer_encryption_key_id,
            "jobType": self.job_type,
            "applicationType": self.application_type,
            "evaluationConfig": self.evaluation_config,
            "inferenceConfig": self.inference_config,
            "outputDataConfig": self.output_data_config,
            "creationTime": self.creation_time,
            "lastModifiedTime": self.last_modified_time,
            "failureMessages": [failure] if failure is not None else None,
        }

    # -- lifecycle side effects ------------------------------------------------------

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "Completed":
            self._write_results()
        elif status == "Deleted":
            self.backend.evaluation_jobs.remove(self.job_arn)
            self.retired = True

    def _write_results(self) -> None:
        account, partition = self.backend.account_id, self.backend.partition
        bucket, prefix = split_s3_uri(self.output_data_config["s3Uri"])
        if not s3_has_bucket(account, partition, bucket):
            return
        base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        base += f"{self.job_name}/{self.job_id}/"
        # What answers the prompts: the models, else the knowledge bases / precomputed sources.
        answerers = (
            self._model_identifiers()
            + self._precomputed_sources()
            + self._knowledge_bases()
            + self._precomputed_rag_sources()
        )
        for number, config in enumerate(self._metric_configs(), start=1):
            dataset = config["dataset"]
            prompts = self._prompts(dataset)
            metrics = list(config["metricNames"])
            file_name = f"{self.job_id}{number:04d}_output.jsonl"
            if self.job_type == "Human":
                key = f"{base}datasets/{dataset['name']}/{file_name}"
                s3_put_object(account, partition, bucket, key, _lines(prompts, metrics, answerers, "humanEvaluationResult"))
                continue
            for answerer in answerers:
                model = answerer.rstrip("/").rpartition("/")[2]
                key = f"{base}models/{model}/taskTypes/{config['taskType']}/datasets/{dataset['name']}/{file_name}"
                s3_put_object(account, partition, bucket, key, _lines(prompts, metrics, [answerer], "automatedEvaluationResult"))

    def _prompts(self, dataset: dict[str, Any]) -> list[Any]:
        """The dataset's records, where moto's S3 holds its location (else none)."""
        uri = (dataset.get("datasetLocation") or {}).get("s3Uri")
        if not uri:
            return []
        bucket, key = split_s3_uri(uri)
        objects = s3_objects(self.backend.account_id, self.backend.partition, bucket, key) or {}
        body = objects.get(key, b"")
        records = []
        for line in body.decode("utf-8", "replace").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records


def _lines(prompts: list[Any], metrics: list[str], answerers: list[str], result_key: str) -> bytes:
    lines = []
    for index, prompt in enumerate(prompts, start=1):
        lines.append({
            result_key: {"scores": [{"metricName": metric, "result": SCORE} for metric in metrics]},
            "inputRecord": prompt,
            "modelResponses": [
                {"response": f"mlmocks response to prompt {index}", "modelIdentifier": answerer}
                for answerer in answerers
            ],
        })
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


class EvaluationJobs(ServiceBackend):
    """The evaluation family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.evaluation_jobs: Store[EvaluationJob] = Store()  # by ARN

    def create_evaluation_job(
        self,
        job_name: str,
        role_arn: str,
        evaluation_config: dict[str, Any],
        inference_config: dict[str, Any],
        output_data_config: dict[str, Any],
        job_description: str | None = None,
        customer_encryption_key_id: str | None = None,
        job_tags: list[dict[str, str]] | None = None,
        application_type: str | None = None,
    ) -> EvaluationJob:
        application_type = application_type or DEFAULT_APPLICATION_TYPE
        if not evaluation_config:
            raise ValidationException("evaluationConfig must contain automated or human")
        if application_type == "RagEvaluation":
            if "ragConfigs" not in inference_config:
                raise ValidationException("A RagEvaluation job needs inferenceConfig.ragConfigs")
        elif "models" not in inference_config:
            raise ValidationException("A ModelEvaluation job needs inferenceConfig.models")
        for model in inference_config.get("models", []):
            if not model:
                raise ValidationException("Each inferenceConfig.models entry must contain bedrockModel or precomputedInferenceSource")
        if any(job.job_name == job_name for job in self.evaluation_jobs):
            raise ConflictException(f"An evaluation job named {job_name} already exists")
        job = EvaluationJob(
            self,
            job_name=job_name,
            job_description=job_description,
            role_arn=role_arn,
            customer_encryption_key_id=customer_encryption_key_id,
            application_type=application_type,
            evaluation_config=evaluation_config,
            inference_config=inference_config,
            output_data_config=output_data_config,
            tags=tag_dict(job_tags),
        )
        self.evaluation_jobs.add(job.job_arn, job)
        self.track_job(job)
        return job

    def get_evaluation_job(self, job_identifier: str) -> EvaluationJob:
        return find(self.evaluation_jobs, job_identifier, WHAT)

    def observe_evaluation_job(self, job_identifier: str) -> EvaluationJob:
        """A client's look (GetEvaluationJob)."""
        return look(self.evaluation_jobs, job_identifier, WHAT)

    def stop_evaluation_job(self, job_identifier: str) -> None:
        stop(self.get_evaluation_job(job_identifier), job_identifier, WHAT, STOPPABLE, self.track_job)

    def batch_delete_evaluation_job(self, job_identifiers: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(errors, deleted jobs) as the output shape lists them."""
        return batch_delete(self.evaluation_jobs, job_identifiers, DELETABLE, WHAT, self.track_job)

    def list_evaluation_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        status_equals: str | None = None,
        application_type_equals: str | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[EvaluationJob]:
        common = job_filter(creation_time_after, creation_time_before, name_contains, status_equals)

        def wanted(job: EvaluationJob) -> bool:
            return (
                (application_type_equals is None or job.application_type == application_type_equals)
                and common(job)
                and not job.retired  # its deletion ended as it was looked at
            )

        page_size = min(max_results or MAX_PAGE, MAX_PAGE)
        return by_creation_time(self.evaluation_jobs, wanted, page_size, next_token, sort_order)

    def evaluation_resource(self, arn: str) -> EvaluationJob | None:
        """The evaluation job of an ARN (for tags), if it is one here."""
        return self.evaluation_jobs.get(arn)
