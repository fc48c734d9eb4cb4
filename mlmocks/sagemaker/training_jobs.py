"""SageMaker training jobs (CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs,
StopTrainingJob, UpdateTrainingJob, DeleteTrainingJob).

A training job's lifecycle walks its ``SecondaryStatus`` (Starting, Downloading,
Training, Uploading, Completed; Failed; Stopping, Stopped); its ``TrainingJobStatus``
follows from it (InProgress until it ends). Every status entered is one entry of
``SecondaryStatusTransitions``. A job that ends has its training and billable seconds,
a completed one its ``FinalMetricDataList`` (one value per metric definition of its
algorithm), and a job whose ResourceConfig keeps a warm pool shows the pool's status:
InUse while it runs, Available once it ends, Reused by a matching job created while it
is Available, Terminated once its keep-alive period is over.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle, now
from mlmocks.core.listing import Page, Store
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ValidationException
from .job_common import failure_reason, list_jobs, not_found, require_status

TRAINING_JOB = Lifecycle(
    kind="sagemaker::training-job",
    happy_path=("Starting", "Downloading", "Training", "Uploading", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)

#: TrainingJobStatus of each SecondaryStatus the lifecycle walks.
PRIMARY_STATUS = {
    "Starting": "InProgress",
    "Downloading": "InProgress",
    "Training": "InProgress",
    "Uploading": "InProgress",
    "Completed": "Completed",
    "Failed": "Failed",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
}
#: The StatusMessage of each SecondaryStatusTransition (as SageMaker words them).
STATUS_MESSAGES = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Failed": "Training job failed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
}
#: What moto shows as the algorithm's metric definitions when the request names none;
#: kept, so moto-based tests that read FinalMetricDataList keep finding a metric.
DEFAULT_METRIC_DEFINITIONS = ({"Name": "test:dcg", "Regex": "#quality_metric: host=\\S+, test dcg <score>=(\\S+)"},)
#: StoppingCondition.MaxRuntimeInSeconds without one: one day (the API reference).
DEFAULT_MAX_RUNTIME = 86400


def metric_value(arn: str, metric: str, hyper_parameters: dict[str, str] | None) -> float:
    """A metric's final value: the same for the same job, metric and hyperparameters, so
    a tuning job's best training job is reproducible."""
    seed = f"{arn}|{metric}|{sorted((hyper_parameters or {}).items())}".encode()
    return round(int.from_bytes(hashlib.blake2b(seed, digest_size=8).digest(), "big") / 2**64, 6)


class TrainingJob(Job):
    LIFECYCLE = TRAINING_JOB

    def __init__(
        self,
        backend: TrainingJobs,
        *,
        name: str,
        config: dict[str, Any],
        tags: dict[str, str],
        tuning_job_arn: str | None = None,
        definition_name: str | None = None,
        tuned_hyper_parameters: dict[str, str] | None = None,
        objective: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.arn = backend.arn(f"training-job/{name}")
        #: The create request's members, as the Describe output shows them back.
        self.config = config
        self.tags = tags
        self.tuning_job_arn = tuning_job_arn
        self.definition_name = definition_name
        self.tuned_hyper_parameters = tuned_hyper_parameters or {}
        #: The tuning objective of a tuning job's training job ({Type, MetricName}).
        self.objective = objective
        self.transitions: list[dict[str, Any]] = []
        self.training_start_time: datetime | None = None
        self.final_metrics: list[dict[str, Any]] | None = None
        self.warm_pool_reused_by: tuple[str, datetime] | None = None
        self.warm_pool_terminated_at: datetime | None = None
        super().__init__()
        self._transition("Starting", self.creation_time)

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    # -- the lifecycle ------------------------------------------------------------------

    @property
    def primary_status(self) -> str:
        return PRIMARY_STATUS[self.status]

    @property
    def keep_alive(self) -> int:
        return int((self.config.get("ResourceConfig") or {}).get("KeepAlivePeriodInSeconds") or 0)

    def _transition(self, status: str, at: datetime) -> None:
        if self.transitions:
            self.transitions[-1]["EndTime"] = at
        entry: dict[str, Any] = {"Status": status, "StartTime": at, "StatusMessage": STATUS_MESSAGES[status]}
        if status in TRAINING_JOB.terminal:
            entry["EndTime"] = at
        self.transitions.append(entry)

    def on_enter(self, status: str, at: datetime) -> None:
        self._transition(status, at)
        if status == "Downloading":
            self.training_start_time = at
        if status == "Completed":
            self.final_metrics = [
                {"MetricName": name, "Value": metric_value(self.arn, name, self.config.get("HyperParameters")),
                 "Timestamp": at}
                for name in self.metric_names()
            ]

    def metric_names(self) -> list[str]:
        definitions = (self.config.get("AlgorithmSpecification") or {}).get("MetricDefinitions") or ()
        names = [definition["Name"] for definition in definitions]
        if self.objective is not None and self.objective["MetricName"] not in names:
            names.append(self.objective["MetricName"])  # a built-in algorithm's objective
        return names

    def objective_value(self) -> float | None:
        if self.objective is None or self.final_metrics is None:
            return None
        for metric in self.final_metrics:
            if metric["MetricName"] == self.objective["MetricName"]:
                return float(metric["Value"])
        return None

    # -- seconds and the warm pool -----------------------------------------------------

    def training_seconds(self) -> int | None:
        if self.end_time is None or self.training_start_time is None:
            return None
        # Billed by the second, at least one once the instances ran.
        return max(1, math.ceil((self.end_time - self.training_start_time).total_seconds()))

    def warm_pool_status(self) -> dict[str, Any] | None:
        if not self.keep_alive and self.warm_pool_terminated_at is None:
            return None
        if not self.is_finished:
            return {"Status": "InUse"}
        assert self.end_time is not None
        if self.warm_pool_reused_by is not None:
            by, at = self.warm_pool_reused_by
            retained = math.ceil((at - self.end_time).total_seconds())
            return {"Status": "Reused", "ResourceRetainedBillableTimeInSeconds": retained, "ReusedByJob": by}
        ends = self.warm_pool_terminated_at or self.end_time + timedelta(seconds=self.keep_alive)
        if now() >= ends:
            retained = math.ceil((ends - self.end_time).total_seconds())
            return {"Status": "Terminated", "ResourceRetainedBillableTimeInSeconds": retained}
        return {"Status": "Available"}

    def warm_pool_matches(self, config: dict[str, Any]) -> bool:
        """Whether a new job of ``config`` may reuse this job's Available warm pool."""
        pool = self.warm_pool_status()
        if pool is None or pool["Status"] != "Available":
            return False
        fields = ("InstanceType", "InstanceCount", "VolumeSizeInGB", "VolumeKmsKeyId")
        mine, theirs = self.config.get("ResourceConfig") or {}, config.get("ResourceConfig") or {}
        return all(mine.get(f) == theirs.get(f) for f in fields) and all(
            self.config.get(f) == config.get(f) for f in ("RoleArn", "VpcConfig")
        )

    # -- what the API shows -------------------------------------------------------------

    def detail(self) -> dict[str, Any]:
        status = self.status
        seconds = self.training_seconds()
        return {
            **self.config,
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "TuningJobArn": self.tuning_job_arn,
            "ModelArtifacts": {
                "S3ModelArtifacts": f"{self.config['OutputDataConfig']['S3OutputPath'].rstrip('/')}/"
                f"{self.name}/output/model.tar.gz"
            },
            "TrainingJobStatus": PRIMARY_STATUS[status],
            "SecondaryStatus": status,
            "FailureReason": failure_reason(self.failure),
            "WarmPoolStatus": self.warm_pool_status(),
            "CreationTime": self.creation_time,
            "TrainingStartTime": self.training_start_time,
            "TrainingEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "SecondaryStatusTransitions": [dict(entry) for entry in self.transitions],
            "FinalMetricDataList": self.final_metrics,
            "TrainingTimeInSeconds": seconds,
            "BillableTimeInSeconds": seconds,
        }

    def summary(self) -> dict[str, Any]:
        status = self.status
        return {
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "CreationTime": self.creation_time,
            "TrainingEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "TrainingJobStatus": PRIMARY_STATUS[status],
            "SecondaryStatus": status,
            "WarmPoolStatus": self.warm_pool_status(),
            "TrainingPlanArn": (self.config.get("ResourceConfig") or {}).get("TrainingPlanArn"),
        }

    def search_record(self) -> dict[str, Any]:
        return {**self.detail(), "Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()]}

    def tuning_summary(self) -> dict[str, Any]:
        """Its entry in ListTrainingJobsForHyperParameterTuningJob (and a tuning job's
        BestTrainingJob)."""
        status = self.status
        value = self.objective_value()
        objective_status = "Pending"
        if self.is_finished:
            objective_status = "Succeeded" if value is not None else "Failed"
        summary: dict[str, Any] = {
            "TrainingJobDefinitionName": self.definition_name,
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "TuningJobName": (self.tuning_job_arn or "").rsplit("/", 1)[-1] or None,
            "CreationTime": self.creation_time,
            "TrainingStartTime": self.training_start_time,
            "TrainingEndTime": self.end_time,
            "TrainingJobStatus": PRIMARY_STATUS[status],
            "TunedHyperParameters": self.tuned_hyper_parameters,
            "FailureReason": failure_reason(self.failure),
            "ObjectiveStatus": objective_status,
        }
        if value is not None and self.objective is not None:
            summary["FinalHyperParameterTuningJobObjectiveMetric"] = {
                "Type": self.objective["Type"], "MetricName": self.objective["MetricName"], "Value": value,
            }
        return summary


#: TrainingJobStatus values in which a job may be stopped, deleted.
STOPPABLE = ("InProgress",)
DELETABLE = ("Completed", "Failed", "Stopped")


class TrainingJobs(ServiceBackend):
    """The training job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.training_jobs: Store[TrainingJob] = Store()  # by name

    def create_training_job(
        self,
        training_job_name: str,
        role_arn: str,
        output_data_config: dict[str, Any],
        hyper_parameters: dict[str, str] | None = None,
        algorithm_specification: dict[str, Any] | None = None,
        input_data_config: list[dict[str, Any]] | None = None,
        resource_config: dict[str, Any] | None = None,
        vpc_config: dict[str, Any] | None = None,
        stopping_condition: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        enable_network_isolation: bool | None = None,
        enable_inter_container_traffic_encryption: bool | None = None,
        enable_managed_spot_training: bool | None = None,
        checkpoint_config: dict[str, Any] | None = None,
        debug_hook_config: dict[str, Any] | None = None,
        debug_rule_configurations: list[dict[str, Any]] | None = None,
        tensor_board_output_config: dict[str, Any] | None = None,
        experiment_config: dict[str, Any] | None = None,
        profiler_config: dict[str, Any] | None = None,
        profiler_rule_configurations: list[dict[str, Any]] | None = None,
        environment: dict[str, str] | None = None,
        retry_strategy: dict[str, Any] | None = None,
        remote_debug_config: dict[str, Any] | None = None,
        infra_check_config: dict[str, Any] | None = None,
        session_chaining_config: dict[str, Any] | None = None,
        serverless_job_config: dict[str, Any] | None = None,
        mlflow_config: dict[str, Any] | None = None,
        model_package_config: dict[str, Any] | None = None,
    ) -> TrainingJob:
        if algorithm_specification is None:
            raise ValidationException("AlgorithmSpecification is required to create a training job.")
        if resource_config is None and serverless_job_config is None:
            raise ValidationException("ResourceConfig is required to create a training job.")
        algorithm = dict(algorithm_specification)
        if bool(algorithm.get("TrainingImage")) == bool(algorithm.get("AlgorithmName")):
            raise ValidationException(
                "Specify either AlgorithmSpecification.TrainingImage or "
                "AlgorithmSpecification.AlgorithmName, not both nor neither."
            )
        condition = dict(stopping_condition or {"MaxRuntimeInSeconds": DEFAULT_MAX_RUNTIME})
        if enable_managed_spot_training and "MaxWaitTimeInSeconds" not in condition:
            raise ValidationException(
                "StoppingCondition.MaxWaitTimeInSeconds is required for managed spot training."
            )
        wait, runtime = condition.get("MaxWaitTimeInSeconds"), condition.get("MaxRuntimeInSeconds")
        if wait is not None and runtime is not None and wait < runtime:
            raise ValidationException(
                "StoppingCondition.MaxWaitTimeInSeconds must be equal to or greater than "
                "StoppingCondition.MaxRuntimeInSeconds."
            )
        if not algorithm.get("MetricDefinitions") and algorithm.get("TrainingImage"):
            algorithm["MetricDefinitions"] = [dict(d) for d in DEFAULT_METRIC_DEFINITIONS]
        members = {
            "HyperParameters": hyper_parameters,
            "AlgorithmSpecification": algorithm,
            "RoleArn": role_arn,
            "InputDataConfig": input_data_config,
            "OutputDataConfig": output_data_config,
            "ResourceConfig": resource_config,
            "VpcConfig": vpc_config,
            "StoppingCondition": condition,
            "EnableNetworkIsolation": enable_network_isolation,
            "EnableInterContainerTrafficEncryption": enable_inter_container_traffic_encryption,
            "EnableManagedSpotTraining": enable_managed_spot_training,
            "CheckpointConfig": checkpoint_config,
            "DebugHookConfig": debug_hook_config,
            "DebugRuleConfigurations": debug_rule_configurations,
            "TensorBoardOutputConfig": tensor_board_output_config,
            "ExperimentConfig": experiment_config,
            "ProfilerConfig": profiler_config,
            "ProfilerRuleConfigurations": profiler_rule_configurations,
            "Environment": environment,
            "RetryStrategy": retry_strategy,
            "RemoteDebugConfig": remote_debug_config,
            "InfraCheckConfig": infra_check_config,
            "ServerlessJobConfig": serverless_job_config,
            "MlflowConfig": mlflow_config,
            "ModelPackageConfig": model_package_config,
        }
        config = {key: value for key, value in members.items() if value is not None}
        return self.start_training_job(training_job_name, config, tag_dict(tags, "Key", "Value"))

    def start_training_job(self, name: str, config: dict[str, Any], tags: dict[str, str], **tuning: Any) -> TrainingJob:
        """Store a new training job of checked ``config`` (a tuning job's too)."""
        if name in self.training_jobs:
            raise ResourceInUse(f"Training job names must be unique within an AWS account and region, "
                                f"and a training job with this name already exists ({self.arn('training-job/' + name)})")
        self.TAG_RULES.checked(tags)  # type: ignore[attr-defined]
        pool = None
        if (config.get("ResourceConfig") or {}).get("KeepAlivePeriodInSeconds"):
            pool = next((job for job in self.training_jobs if job.warm_pool_matches(config)), None)
        job = TrainingJob(self, name=name, config=config, tags=tags, **tuning)
        if pool is not None:
            pool.warm_pool_reused_by = (name, job.creation_time)
        self.training_jobs.add(name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_training_job(self, name: str) -> TrainingJob:
        job = self.training_jobs.get(name)
        if job is None:
            raise not_found("training", self.arn(f"training-job/{name}"))
        return job

    def describe_training_job(self, training_job_name: str) -> TrainingJob:
        job: TrainingJob = self.get_training_job(training_job_name).observe()
        return job

    def stop_training_job(self, training_job_name: str) -> None:
        job = self.get_training_job(training_job_name)
        require_status("training", job.name, job.primary_status, STOPPABLE, "stopped")
        job.begin_stopping()

    def delete_training_job(self, training_job_name: str) -> None:
        job = self.get_training_job(training_job_name)
        require_status("training", job.name, job.primary_status, DELETABLE, "deleted")
        self.training_jobs.remove(job.name)
        job.retired = True

    def update_training_job(
        self,
        training_job_name: str,
        profiler_config: dict[str, Any] | None = None,
        profiler_rule_configurations: list[dict[str, Any]] | None = None,
        resource_config: dict[str, Any] | None = None,
        remote_debug_config: dict[str, Any] | None = None,
    ) -> TrainingJob:
        job = self.get_training_job(training_job_name)
        if resource_config is not None:
            keep_alive = resource_config.get("KeepAlivePeriodInSeconds")
            pool = job.warm_pool_status()
            if pool is None or pool["Status"] not in ("InUse", "Available"):
                raise ValidationException(
                    f"The training job {job.name} has no warm pool in use or available: only "
                    "the KeepAlivePeriodInSeconds of a live warm pool can be updated."
                )
            settings = dict(job.config["ResourceConfig"])
            settings["KeepAlivePeriodInSeconds"] = keep_alive
            if not keep_alive:
                job.warm_pool_terminated_at = now() if job.is_finished else None
                settings.pop("KeepAlivePeriodInSeconds")
            job.config["ResourceConfig"] = settings
        updates = {"ProfilerConfig": profiler_config, "ProfilerRuleConfigurations": profiler_rule_configurations,
                   "RemoteDebugConfig": remote_debug_config}
        if any(value is not None for value in updates.values()):
            require_status("training", job.name, job.primary_status, STOPPABLE, "updated")
            for key, value in updates.items():
                if value is not None:
                    job.config[key] = value
        return job

    def list_training_jobs(
        self,
        next_token: str | None = None,
        max_results: int | None = None,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        warm_pool_status_equals: str | None = None,
        training_plan_arn_equals: str | None = None,
    ) -> Page[TrainingJob]:
        def where(job: TrainingJob) -> bool:
            if warm_pool_status_equals is not None:
                pool = job.warm_pool_status()
                if pool is None or pool["Status"] != warm_pool_status_equals:
                    return False
            plan = (job.config.get("ResourceConfig") or {}).get("TrainingPlanArn")
            return training_plan_arn_equals is None or plan == training_plan_arn_equals

        return list_jobs(
            self.training_jobs,
            status_of=lambda job: job.primary_status,
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
            where=where,
        )

    def training_job_status(self, name: str) -> str | None:
        """The TrainingJobStatus of a training job, None if there is none: what other
        services (Neptune ML's transforms from a training job) ask of SageMaker, through
        the registry (``specs()["sagemaker"].backends()``), under this backend's lock."""
        job = self.training_jobs.get(name)
        return None if job is None else job.primary_status

    def training_jobs_named(self, names: Sequence[str]) -> list[TrainingJob]:
        return [job for job in (self.training_jobs.get(name) for name in names) if job is not None]
