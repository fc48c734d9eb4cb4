"""SageMaker inference optimization jobs (CreateOptimizationJob, DescribeOptimizationJob,
ListOptimizationJobs, StopOptimizationJob, DeleteOptimizationJob): quantization,
compilation, sharding and speculative decoding of a model for a deployment instance type.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .job_common import check_stopping_condition, list_jobs, require_status

OPTIMIZATION_JOB = Lifecycle(
    kind="sagemaker::optimization-job",
    happy_path=("STARTING", "INPROGRESS", "COMPLETED"),
    failed="FAILED",
    stopping=("STOPPING", "STOPPED"),
)

#: Statuses from which StopOptimizationJob may stop a job.
STOPPABLE = ("STARTING", "INPROGRESS")
#: Statuses in which DeleteOptimizationJob may delete a job.
DELETABLE = ("COMPLETED", "FAILED", "STOPPED")
#: Page size of ListOptimizationJobs without MaxResults ("The default is 50").
DEFAULT_MAX_RESULTS = 50
#: The longest FailureReason (the shape's max).
MAX_FAILURE_REASON = 1024
#: OptimizationConfig member -> the technique's name in OptimizationTypes.
TECHNIQUES = {
    "ModelQuantizationConfig": "Quantization",
    "ModelCompilationConfig": "Compilation",
    "ModelShardingConfig": "Sharding",
    "ModelSpeculativeDecodingConfig": "SpeculativeDecoding",
}
#: Accounts of the Deep Learning Containers (the LMI images) per region.
_DLC_ACCOUNTS = {"cn-north-1": "727897471807", "cn-northwest-1": "727897471807"}
_NEURON_PREFIXES = ("ml.inf2.", "ml.trn1.", "ml.trn1n.")


def is_optimization_job_arn(arn: str) -> bool:
    """Whether ``arn`` names an optimization job (of any account, region or partition)."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "sagemaker" and parts[5].startswith("optimization-job/")


def recommended_image(region: str, instance_type: str, configs: list[dict[str, Any]]) -> str:
    """The image to serve the optimized model with: the image a technique ran in, if the
    request named one, else the Large Model Inference container for the instance type."""
    for config in configs:
        for technique in config.values():
            if isinstance(technique, dict) and technique.get("Image"):
                return str(technique["Image"])
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    registry = f"{_DLC_ACCOUNTS.get(region, '763104351884')}.dkr.ecr.{region}{suffix}"
    if instance_type.startswith(_NEURON_PREFIXES):
        return f"{registry}/djl-inference:0.29.0-neuronx-sdk2.19.1"
    return f"{registry}/djl-inference:0.31.0-lmi13.0.0-cu124"


class OptimizationJob(Job):
    LIFECYCLE = OPTIMIZATION_JOB

    def __init__(
        self,
        backend: OptimizationJobs,
        *,
        name: str,
        role_arn: str,
        model_source: dict[str, Any],
        deployment_instance_type: str,
        max_instance_count: int | None,
        environment: dict[str, str] | None,
        configs: list[dict[str, Any]],
        output_config: dict[str, Any],
        stopping_condition: dict[str, Any],
        vpc_config: dict[str, Any] | None,
        training_plan_arns: list[str] | None,
        tags: dict[str, str],
    ) -> None:
        self.name = name
        self.arn = backend.arn(f"optimization-job/{name}")
        self.role_arn = role_arn
        self.model_source = model_source
        self.deployment_instance_type = deployment_instance_type
        self.max_instance_count = max_instance_count
        self.environment = environment
        self.configs = configs
        self.output_config = output_config
        self.stopping_condition = stopping_condition
        self.vpc_config = vpc_config
        self.training_plan_arns = training_plan_arns
        self.tags = tags
        self.types = [TECHNIQUES[member] for config in configs for member in config if member in TECHNIQUES]
        self.region = backend.region_name
        self.start_time: datetime | None = None
        self.output: dict[str, str] | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "INPROGRESS":
            self.start_time = at
        elif status == "COMPLETED":
            image = recommended_image(self.region, self.deployment_instance_type, self.configs)
            self.output = {"RecommendedInferenceImage": image}

    def detail(self) -> dict[str, Any]:
        status = self.status
        failure = self.failure
        return {
            "OptimizationJobArn": self.arn,
            "OptimizationJobStatus": status,
            "OptimizationStartTime": self.start_time,
            "OptimizationEndTime": self.end_time,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": failure[:MAX_FAILURE_REASON] if failure else None,
            "OptimizationJobName": self.name,
            "ModelSource": self.model_source,
            "OptimizationEnvironment": self.environment,
            "DeploymentInstanceType": self.deployment_instance_type,
            "MaxInstanceCount": self.max_instance_count,
            "OptimizationConfigs": self.configs,
            "OutputConfig": self.output_config,
            "OptimizationOutput": self.output,
            "RoleArn": self.role_arn,
            "StoppingCondition": self.stopping_condition,
            "VpcConfig": self.vpc_config,
            "TrainingPlanArns": self.training_plan_arns,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "OptimizationJobName": self.name,
            "OptimizationJobArn": self.arn,
            "CreationTime": self.creation_time,
            "OptimizationJobStatus": self.status,
            "OptimizationStartTime": self.start_time,
            "OptimizationEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "DeploymentInstanceType": self.deployment_instance_type,
            "MaxInstanceCount": self.max_instance_count,
            "OptimizationTypes": self.types,
        }


class OptimizationJobs(ServiceBackend):
    """The optimization job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.optimization_jobs: Store[OptimizationJob] = Store()  # by name

    def create_optimization_job(
        self,
        optimization_job_name: str,
        role_arn: str,
        model_source: dict[str, Any],
        deployment_instance_type: str,
        optimization_configs: list[dict[str, Any]],
        output_config: dict[str, Any],
        stopping_condition: dict[str, Any],
        max_instance_count: int | None = None,
        optimization_environment: dict[str, str] | None = None,
        tags: list[dict[str, str]] | None = None,
        vpc_config: dict[str, Any] | None = None,
        training_plan_arns: list[str] | None = None,
    ) -> OptimizationJob:
        # Every check comes before anything is stored: a rejected request leaves nothing.
        sources = [member for member in ("S3", "SageMakerModel") if member in model_source]
        if len(sources) != 1:
            raise ValidationException(
                "ModelSource must specify exactly one of ModelSource.S3 and ModelSource.SageMakerModel."
            )
        techniques = [member for config in optimization_configs for member in config]
        repeated = sorted({member for member in techniques if techniques.count(member) > 1})
        if repeated:
            raise ValidationException(
                f"OptimizationConfigs may configure each technique once; repeated: {', '.join(repeated)}."
            )
        check_stopping_condition(stopping_condition)
        if optimization_job_name in self.optimization_jobs:
            raise ResourceInUse(
                f"Resource Already Exists: Optimization job with name {optimization_job_name} already "
                "exists. Choose a different name."
            )
        job = OptimizationJob(
            self,
            name=optimization_job_name,
            role_arn=role_arn,
            model_source=model_source,
            deployment_instance_type=deployment_instance_type,
            max_instance_count=max_instance_count,
            environment=optimization_environment,
            configs=optimization_configs,
            output_config=output_config,
            stopping_condition=stopping_condition,
            vpc_config=vpc_config,
            training_plan_arns=training_plan_arns,
            tags=tag_dict(tags, "Key", "Value"),
        )
        self.optimization_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_optimization_job(self, name: str) -> OptimizationJob:
        job = self.optimization_jobs.get(name)
        if job is None:
            raise ResourceNotFound(f"Could not find optimization job '{name}'.")
        return job

    def describe_optimization_job(self, optimization_job_name: str) -> OptimizationJob:
        described: OptimizationJob = self.get_optimization_job(optimization_job_name).observe()
        return described

    def stop_optimization_job(self, optimization_job_name: str) -> None:
        job = self.get_optimization_job(optimization_job_name)
        require_status("optimization", job.name, job.status, STOPPABLE, "stopped")
        job.begin_stopping()

    def delete_optimization_job(self, optimization_job_name: str) -> None:
        job = self.get_optimization_job(optimization_job_name)
        require_status("optimization", job.name, job.status, DELETABLE, "deleted")
        self.optimization_jobs.remove(optimization_job_name)
        job.retired = True

    def list_optimization_jobs(
        self,
        next_token: str | None = None,
        max_results: int | None = None,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        optimization_contains: str | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[OptimizationJob]:
        return list_jobs(
            self.optimization_jobs,
            default_max_results=DEFAULT_MAX_RESULTS,
            next_token=next_token,
            max_results=max_results,
            creation_time_after=creation_time_after,
            creation_time_before=creation_time_before,
            last_modified_time_after=last_modified_time_after,
            last_modified_time_before=last_modified_time_before,
            name_contains=name_contains,
            status_equals=status_equals,
            sort_by=sort_by,
            sort_order=sort_order,
            where=lambda job: optimization_contains is None or any(optimization_contains in kind for kind in job.types),
        )


