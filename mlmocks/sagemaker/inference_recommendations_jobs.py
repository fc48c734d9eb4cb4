"""SageMaker Inference Recommender jobs (CreateInferenceRecommendationsJob,
DescribeInferenceRecommendationsJob, ListInferenceRecommendationsJobs,
StopInferenceRecommendationsJob, ListInferenceRecommendationsJobSteps).

A job benchmarks a model (moto's SageMaker model, which must exist, or a versioned model
package) on a few instance types: one BENCHMARK step per instance type, which starts
when the job does and ends with it. A completed job recommends its benchmarked
endpoint configurations, cheapest per inference first.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.moto_compat import moto_holds_sagemaker_arn
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .job_common import list_jobs

INFERENCE_RECOMMENDATIONS_JOB = Lifecycle(
    kind="sagemaker::inference-recommendations-job",
    happy_path=("PENDING", "IN_PROGRESS", "COMPLETED"),
    failed="FAILED",
    stopping=("STOPPING", "STOPPED"),
)

#: Statuses from which StopInferenceRecommendationsJob may stop a job.
STOPPABLE = ("PENDING", "IN_PROGRESS")
#: Page size of the two List operations without MaxResults.
DEFAULT_MAX_RESULTS = 10
#: The longest FailureReason (the shape's max).
MAX_FAILURE_REASON = 1024
#: The instance types a Default job benchmarks.
DEFAULT_INSTANCE_TYPES = ("ml.c5.xlarge", "ml.m5.xlarge", "ml.g4dn.xlarge")
#: On-demand prices (USD an hour, us-east-1) of the instance types benchmarked most.
_PRICES = {
    "ml.c5.large": 0.102, "ml.c5.xlarge": 0.204, "ml.c5.2xlarge": 0.408, "ml.c6i.xlarge": 0.204,
    "ml.m5.large": 0.115, "ml.m5.xlarge": 0.23, "ml.m5.2xlarge": 0.461, "ml.g4dn.xlarge": 0.736,
    "ml.g5.xlarge": 1.408, "ml.inf1.xlarge": 0.297, "ml.inf2.xlarge": 0.99,
}


def is_inference_recommendations_job_arn(arn: str) -> bool:
    """Whether ``arn`` names an inference recommendations job (of any account, region or
    partition)."""
    parts = arn.split(":", 5)
    return (
        len(parts) == 6 and parts[0] == "arn" and parts[2] == "sagemaker"
        and parts[5].startswith("inference-recommendations-job/")
    )


def _number(*parts: str) -> float:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class Benchmark:
    """One BENCHMARK step: the model load-tested on one endpoint configuration."""

    def __init__(self, job: InferenceRecommendationsJob, index: int, config: dict[str, Any], at: datetime) -> None:
        self.job = job
        self.index = index
        tag = hashlib.sha256(f"{job.arn}|{index}".encode()).hexdigest()[:8]
        self.endpoint_configuration: dict[str, Any] = {"EndpointName": f"sm-epc-{tag}", "VariantName": f"sm-epc-{tag}"}
        if "ServerlessConfig" in config:
            self.endpoint_configuration["ServerlessConfig"] = config["ServerlessConfig"]
        else:
            self.endpoint_configuration["InstanceType"] = config["InstanceType"]
            self.endpoint_configuration["InitialInstanceCount"] = 1
        self.model_configuration: dict[str, Any] = {}
        if config.get("InferenceSpecificationName"):
            self.model_configuration["InferenceSpecificationName"] = config["InferenceSpecificationName"]
        self.recommendation_id = f"{job.name}/{tag}"
        self.status = "IN_PROGRESS"
        self.start_time = at
        self.end_time: datetime | None = None
        self.failure_reason: str | None = None
        seed = _number(job.arn, str(index))
        instance = config.get("InstanceType", "")
        cost = _PRICES.get(instance, 0.5) if instance else round(0.05 + seed / 10, 4)
        invocations = 200 + int(seed * 2000)
        self.metrics = {
            "CostPerHour": cost,
            "CostPerInference": round(cost / (invocations * 60), 10),
            "MaxInvocations": invocations,
            "ModelLatency": 5000 + int(seed * 95000),  # microseconds
            "CpuUtilization": round(20 + seed * 70, 2),
            "MemoryUtilization": round(10 + seed * 60, 2),
            "ModelSetupTime": 60 + int(seed * 240),
        }

    def end(self, status: str, at: datetime, reason: str | None = None) -> None:
        if self.status not in ("IN_PROGRESS", "STOPPING"):
            return
        self.status = status
        if status != "STOPPING":
            self.end_time = at
        self.failure_reason = reason

    def benchmark(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "EndpointConfiguration": self.endpoint_configuration,
            "ModelConfiguration": self.model_configuration,
            "InvocationStartTime": self.start_time,
            "InvocationEndTime": self.end_time,
            "FailureReason": self.failure_reason,
        }
        if self.status == "COMPLETED":
            out["Metrics"] = self.metrics
            out["EndpointMetrics"] = {
                "MaxInvocations": self.metrics["MaxInvocations"], "ModelLatency": self.metrics["ModelLatency"] // 1000,
            }
        return out

    def step(self) -> dict[str, Any]:
        return {"StepType": "BENCHMARK", "JobName": self.job.name, "Status": self.status, "InferenceBenchmark": self.benchmark()}

    def recommendation(self) -> dict[str, Any]:
        return {
            "RecommendationId": self.recommendation_id,
            "Metrics": self.metrics,
            "EndpointConfiguration": self.endpoint_configuration,
            "ModelConfiguration": self.model_configuration,
            "InvocationStartTime": self.start_time,
            "InvocationEndTime": self.end_time,
        }


class InferenceRecommendationsJob(Job):
    LIFECYCLE = INFERENCE_RECOMMENDATIONS_JOB

    def __init__(
        self,
        backend: InferenceRecommendationsJobs,
        *,
        name: str,
        job_type: str,
        role_arn: str,
        input_config: dict[str, Any],
        description: str | None,
        stopping_conditions: dict[str, Any] | None,
        output_config: dict[str, Any] | None,
        tags: dict[str, str],
    ) -> None:
        self.name = name
        self.arn = backend.arn(f"inference-recommendations-job/{name}")
        self.job_type = job_type
        self.role_arn = role_arn
        self.input_config = input_config
        self.description = description
        self.stopping_conditions = stopping_conditions
        self.output_config = output_config
        self.tags = tags
        self.benchmarks: Store[Benchmark] = Store()
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def _endpoint_configs(self) -> list[dict[str, Any]]:
        configs = self.input_config.get("EndpointConfigurations") or []
        if configs:
            return list(configs)
        return [{"InstanceType": instance} for instance in DEFAULT_INSTANCE_TYPES]

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "IN_PROGRESS":
            for index, config in enumerate(self._endpoint_configs()):
                benchmark = Benchmark(self, index, config, at)
                self.benchmarks.add(str(index), benchmark)
        elif status in ("COMPLETED", "STOPPING", "STOPPED"):
            for benchmark in self.benchmarks:
                benchmark.end(status, at)
        elif status == "FAILED":
            for benchmark in self.benchmarks:
                benchmark.end("FAILED", at, (self.failure or "")[:MAX_FAILURE_REASON])

    def detail(self) -> dict[str, Any]:
        status = self.status
        failure = self.failure
        out: dict[str, Any] = {
            "JobName": self.name,
            "JobDescription": self.description,
            "JobType": self.job_type,
            "JobArn": self.arn,
            "RoleArn": self.role_arn,
            "Status": status,
            "CreationTime": self.creation_time,
            "CompletionTime": self.end_time if status == "COMPLETED" else None,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": failure[:MAX_FAILURE_REASON] if failure else None,
            "InputConfig": self.input_config,
            "StoppingConditions": self.stopping_conditions,
        }
        if status == "COMPLETED":
            done = sorted(self.benchmarks, key=lambda b: (b.metrics["CostPerInference"], b.index))
            out["InferenceRecommendations"] = [benchmark.recommendation() for benchmark in done]
            endpoints = self.input_config.get("Endpoints") or []
            out["EndpointPerformances"] = [
                {"Metrics": {"MaxInvocations": 1000 + 100 * i, "ModelLatency": 20 + i}, "EndpointInfo": endpoint}
                for i, endpoint in enumerate(endpoints)
            ] or None
        return out

    def summary(self) -> dict[str, Any]:
        status = self.status
        failure = self.failure
        return {
            "JobName": self.name,
            "JobDescription": self.description or "",  # a required member of the summary
            "JobType": self.job_type,
            "JobArn": self.arn,
            "Status": status,
            "CreationTime": self.creation_time,
            "CompletionTime": self.end_time if status == "COMPLETED" else None,
            "RoleArn": self.role_arn,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": failure[:MAX_FAILURE_REASON] if failure else None,
            "ModelName": self.input_config.get("ModelName"),
            "SamplePayloadUrl": (self.input_config.get("ContainerConfig") or {}).get("PayloadConfig", {}).get("SamplePayloadUrl"),
            "ModelPackageVersionArn": self.input_config.get("ModelPackageVersionArn"),
        }


class InferenceRecommendationsJobs(ServiceBackend):
    """The inference recommendations job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.inference_recommendations_jobs: Store[InferenceRecommendationsJob] = Store()  # by name

    def create_inference_recommendations_job(
        self,
        job_name: str,
        job_type: str,
        role_arn: str,
        input_config: dict[str, Any],
        job_description: str | None = None,
        stopping_conditions: dict[str, Any] | None = None,
        output_config: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> InferenceRecommendationsJob:
        # Every check comes before anything is stored: a rejected request leaves nothing.
        model, package = input_config.get("ModelName"), input_config.get("ModelPackageVersionArn")
        if (model is None) == (package is None):
            raise ValidationException(
                "InputConfig must specify exactly one of InputConfig.ModelName and "
                "InputConfig.ModelPackageVersionArn."
            )
        if model is not None and not moto_holds_sagemaker_arn(self.account_id, self.region_name, self.arn(f"model/{model}")):
            raise ValidationException(f"Could not find model \"{self.arn(f'model/{model}')}\".")
        configs = input_config.get("EndpointConfigurations") or []
        if job_type == "Advanced" and not configs:
            raise ValidationException(
                "InputConfig.EndpointConfigurations is required for an Advanced job (a load test)."
            )
        for index, config in enumerate(configs):
            if ("InstanceType" in config) == ("ServerlessConfig" in config):
                raise ValidationException(
                    f"InputConfig.EndpointConfigurations[{index}] must specify exactly one of "
                    "InstanceType and ServerlessConfig."
                )
        if job_name in self.inference_recommendations_jobs:
            raise ResourceInUse(
                f"Resource Already Exists: Inference recommendations job with name {job_name} already "
                "exists. Choose a different name."
            )
        job = InferenceRecommendationsJob(
            self,
            name=job_name,
            job_type=job_type,
            role_arn=role_arn,
            input_config=input_config,
            description=job_description,
            stopping_conditions=stopping_conditions,
            output_config=output_config,
            tags=tag_dict(tags, "Key", "Value"),
        )
        self.inference_recommendations_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_inference_recommendations_job(self, name: str) -> InferenceRecommendationsJob:
        job = self.inference_recommendations_jobs.get(name)
        if job is None:
            raise ResourceNotFound(f"Could not find inference recommendations job '{name}'.")
        return job

    def describe_inference_recommendations_job(self, job_name: str) -> InferenceRecommendationsJob:
        described: InferenceRecommendationsJob = self.get_inference_recommendations_job(job_name).observe()
        return described

    def stop_inference_recommendations_job(self, job_name: str) -> None:
        job = self.get_inference_recommendations_job(job_name)
        status = job.status
        if status not in STOPPABLE:
            raise ValidationException(
                f"The request was rejected because the inference recommendations job {job_name} is in "
                f"status {status}. A job can be stopped only in status PENDING or IN_PROGRESS."
            )
        job.begin_stopping()

    def list_inference_recommendations_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
        model_name_equals: str | None = None,
        model_package_version_arn_equals: str | None = None,
    ) -> Page[InferenceRecommendationsJob]:
        return list_jobs(
            self.inference_recommendations_jobs,
            creation_time_after=creation_time_after,
            creation_time_before=creation_time_before,
            last_modified_time_after=last_modified_time_after,
            last_modified_time_before=last_modified_time_before,
            name_contains=name_contains,
            status_equals=status_equals,
            sort_by=sort_by,
            sort_order=sort_order,
            next_token=next_token,
            max_results=max_results,
            where=lambda job: (
                model_name_equals is None or job.input_config.get("ModelName") == model_name_equals
            ) and (
                model_package_version_arn_equals is None
                or job.input_config.get("ModelPackageVersionArn") == model_package_version_arn_equals
            ),
        )

    def list_inference_recommendations_job_steps(
        self,
        job_name: str,
        status: str | None = None,
        step_type: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[Benchmark]:
        job = self.get_inference_recommendations_job(job_name)
        job.status  # noqa: B018 - moves the job (and its steps) on

        def wanted(benchmark: Benchmark) -> bool:
            return status is None or benchmark.status == status

        # StepType's one value is BENCHMARK: every step is one.
        return paginate(
            job.benchmarks,
            sort_name="Order",
            sort_key=lambda benchmark: benchmark.index,
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )
