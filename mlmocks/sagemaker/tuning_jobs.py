"""SageMaker hyperparameter tuning jobs (CreateHyperParameterTuningJob,
DescribeHyperParameterTuningJob, ListHyperParameterTuningJobs,
StopHyperParameterTuningJob, DeleteHyperParameterTuningJob) and their training jobs
(ListTrainingJobsForHyperParameterTuningJob).

A tuning job launches training jobs (round robin over its training job definitions,
each with hyperparameters drawn from its ranges), at most MaxParallelTrainingJobs at a
time and MaxNumberOfTrainingJobs in all: each time it is looked at, finished training
jobs make room for new ones. When it completes, the training jobs it has not launched
yet are launched and every one runs to its end; when it is stopped (or fails), its
running training jobs are stopped. Its counters are its training jobs' statuses, and
its BestTrainingJob the completed one with the best objective metric.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, paginate
from mlmocks.core.moto_compat import mock_random
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ResourceLimitExceeded, ValidationException
from .job_common import DEFAULT_MAX_RESULTS, failure_reason, list_jobs, not_found, require_status
from .training_jobs import DEFAULT_MAX_RUNTIME, TrainingJob, TrainingJobs

TUNING_JOB = Lifecycle(
    kind="sagemaker::hyper-parameter-tuning-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)

STOPPABLE = ("InProgress",)
DELETABLE = ("Completed", "Failed", "Stopped")

#: The most training jobs a tuning job runs at once, and in all (by strategy): the
#: limits "Resource Limits for Automatic Model Tuning" gives, at their highest quota.
MOST_PARALLEL = 100
MOST_TRAINING_JOBS = {"Random": 10000}
DEFAULT_MOST_TRAINING_JOBS = 750


def draw(ranges: dict[str, Any]) -> dict[str, str]:
    """Hyperparameter values drawn from a definition's ranges (moto's seeded random)."""
    values: dict[str, str] = {}
    for r in ranges.get("IntegerParameterRanges") or ():
        first, last = int(float(r["MinValue"])), int(float(r["MaxValue"]))
        values[r["Name"]] = str(mock_random.randint(min(first, last), max(first, last)))
    for r in ranges.get("ContinuousParameterRanges") or ():
        low, high = float(r["MinValue"]), float(r["MaxValue"])
        if r.get("ScalingType") in ("Logarithmic", "ReverseLogarithmic") and low > 0 and high > 0:
            value = math.exp(mock_random.uniform(math.log(low), math.log(high)))
        else:
            value = mock_random.uniform(low, high)
        values[r["Name"]] = repr(round(value, 6))
    for r in ranges.get("CategoricalParameterRanges") or ():
        values[r["Name"]] = mock_random.choice(list(r["Values"]))
    return values


def _check_ranges(ranges: dict[str, Any], where: str) -> None:
    for kind in ("IntegerParameterRanges", "ContinuousParameterRanges"):
        for r in ranges.get(kind) or ():
            try:
                low, high = float(r["MinValue"]), float(r["MaxValue"])
            except ValueError:
                raise ValidationException(
                    f"{where}.{kind}: MinValue and MaxValue of {r['Name']} must be numbers."
                ) from None
            if low > high:
                raise ValidationException(
                    f"{where}.{kind}: MinValue of {r['Name']} must not be greater than its MaxValue."
                )


class TuningJob(Job):
    LIFECYCLE = TUNING_JOB

    def __init__(
        self,
        backend: TuningJobs,
        *,
        name: str,
        config: dict[str, Any],
        definitions: list[dict[str, Any]],
        members: dict[str, Any],
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.name = name
        self.arn = backend.arn(f"hyper-parameter-tuning-job/{name}")
        self.config = config
        self.definitions = definitions
        self.members = members
        self.tags = tags
        self.children: list[str] = []  # names of its training jobs, in launch order
        limits = config["ResourceLimits"]
        self.max_parallel = int(limits["MaxParallelTrainingJobs"])
        self.max_jobs = int(limits.get("MaxNumberOfTrainingJobs") or self.max_parallel)
        super().__init__()
        self.launch()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    # -- its training jobs ----------------------------------------------------------------

    def training_jobs(self) -> list[TrainingJob]:
        return self.backend.training_jobs_named(self.children)

    def launch(self, every: bool = False) -> None:
        """Launch training jobs where there is room (``every``: all it has left)."""
        running = 0 if every else sum(1 for job in self.training_jobs() if not job.is_finished)
        while len(self.children) < self.max_jobs and (every or running < self.max_parallel):
            self._launch_one()
            running += 1

    def _launch_one(self) -> None:
        index = len(self.children)
        definition = self.definitions[index % len(self.definitions)]
        tuned = draw(definition.get("HyperParameterRanges") or self.config.get("ParameterRanges") or {})
        objective = definition.get("TuningObjective") or self.config["HyperParameterTuningJobObjective"]
        config: dict[str, Any] = {
            key: definition[key]
            for key in ("AlgorithmSpecification", "RoleArn", "InputDataConfig", "VpcConfig", "OutputDataConfig",
                        "ResourceConfig", "StoppingCondition", "EnableNetworkIsolation",
                        "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining",
                        "CheckpointConfig", "RetryStrategy", "Environment")
            if key in definition
        }
        config["HyperParameters"] = {**(definition.get("StaticHyperParameters") or {}), **tuned}
        config.setdefault("StoppingCondition", {"MaxRuntimeInSeconds": DEFAULT_MAX_RUNTIME})
        name = f"{self.name}-{index + 1:03d}-{random_id(8, '0123456789abcdef')}"
        self.children.append(name)
        # "Tags that you specify for the tuning job are also added to all training jobs
        # that the tuning job launches."
        self.backend.start_training_job(
            name, config, dict(self.tags), tuning_job_arn=self.arn, definition_name=definition.get("DefinitionName"),
            tuned_hyper_parameters=tuned, objective=objective,
        )

    def refresh(self) -> None:
        """Make room for new training jobs, while the tuning job runs."""
        if self.status == "InProgress":
            self.launch()

    def on_enter(self, status: str, at: datetime) -> None:
        jobs = self.training_jobs()
        if status == "Completed":
            self.launch(every=True)
            for job in self.training_jobs():
                while not job.is_finished:
                    job.step()
        elif status in ("Stopping", "Failed"):
            for job in jobs:
                if job.primary_status == "InProgress":
                    job.begin_stopping()
        if status in ("Stopped", "Failed"):
            for job in jobs:
                while not job.is_finished:
                    job.step()

    # -- what the API shows -------------------------------------------------------------

    def counters(self) -> tuple[dict[str, int], dict[str, int]]:
        training = {"Completed": 0, "InProgress": 0, "RetryableError": 0, "NonRetryableError": 0, "Stopped": 0}
        objective = {"Succeeded": 0, "Pending": 0, "Failed": 0}
        for job in self.training_jobs():
            status = job.primary_status
            training[{"Failed": "NonRetryableError", "Stopping": "InProgress"}.get(status, status)] += 1
            objective[job.tuning_summary()["ObjectiveStatus"]] += 1
        return training, objective

    def best(self) -> TrainingJob | None:
        objective = self.config.get("HyperParameterTuningJobObjective") or {}
        sign = -1.0 if objective.get("Type") == "Minimize" else 1.0
        best: tuple[float, TrainingJob] | None = None
        for job in self.training_jobs():
            value = job.objective_value() if job.primary_status == "Completed" else None
            if value is not None and (best is None or sign * value > sign * best[0]):
                best = (value, job)
        return None if best is None else best[1]

    def detail(self) -> dict[str, Any]:
        status = self.status
        training, objective = self.counters()
        best = self.best()
        runtime = ((self.end_time or self.last_modified_time) - self.creation_time).total_seconds()
        return {
            **self.members,
            "HyperParameterTuningJobName": self.name,
            "HyperParameterTuningJobArn": self.arn,
            "HyperParameterTuningJobConfig": self.config,
            "HyperParameterTuningJobStatus": status,
            "CreationTime": self.creation_time,
            "HyperParameterTuningEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "TrainingJobStatusCounters": training,
            "ObjectiveStatusCounters": objective,
            "BestTrainingJob": best.tuning_summary() if best is not None else None,
            "FailureReason": failure_reason(self.failure),
            "ConsumedResources": {"RuntimeInSeconds": math.ceil(runtime)},
        }

    def summary(self) -> dict[str, Any]:
        status = self.status
        training, objective = self.counters()
        return {
            "HyperParameterTuningJobName": self.name,
            "HyperParameterTuningJobArn": self.arn,
            "HyperParameterTuningJobStatus": status,
            "Strategy": self.config["Strategy"],
            "CreationTime": self.creation_time,
            "HyperParameterTuningEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "TrainingJobStatusCounters": training,
            "ObjectiveStatusCounters": objective,
            "ResourceLimits": self.config["ResourceLimits"],
        }

    def search_record(self) -> dict[str, Any]:
        record = {**self.detail(), "Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()]}
        record.pop("Autotune", None)
        return record


class TuningJobs(TrainingJobs, ServiceBackend):
    """The hyperparameter tuning job family of a SageMaker backend (on its training jobs)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.tuning_jobs: Store[TuningJob] = Store()  # by name

    def create_hyper_parameter_tuning_job(
        self,
        hyper_parameter_tuning_job_name: str,
        hyper_parameter_tuning_job_config: dict[str, Any],
        training_job_definition: dict[str, Any] | None = None,
        training_job_definitions: list[dict[str, Any]] | None = None,
        warm_start_config: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
        autotune: dict[str, Any] | None = None,
    ) -> TuningJob:
        name = hyper_parameter_tuning_job_name
        config = hyper_parameter_tuning_job_config
        if (training_job_definition is None) == (training_job_definitions is None):
            raise ValidationException(
                "Specify either TrainingJobDefinition or TrainingJobDefinitions, not both nor neither."
            )
        definitions = [training_job_definition] if training_job_definition is not None else list(
            training_job_definitions or ()
        )
        for i, definition in enumerate(definitions, 1):
            where = "TrainingJobDefinition" if training_job_definition is not None else f"TrainingJobDefinitions.{i}"
            if "TuningObjective" not in definition and "HyperParameterTuningJobObjective" not in config:
                raise ValidationException(
                    f"HyperParameterTuningJobConfig.HyperParameterTuningJobObjective is required "
                    f"when {where}.TuningObjective is not given."
                )
            if "ResourceConfig" not in definition and "HyperParameterTuningResourceConfig" not in definition:
                raise ValidationException(f"{where}.ResourceConfig is required.")
            algorithm = definition["AlgorithmSpecification"]
            if bool(algorithm.get("TrainingImage")) == bool(algorithm.get("AlgorithmName")):
                raise ValidationException(
                    f"Specify either {where}.AlgorithmSpecification.TrainingImage or "
                    f"{where}.AlgorithmSpecification.AlgorithmName, not both nor neither."
                )
            _check_ranges(definition.get("HyperParameterRanges") or {}, f"{where}.HyperParameterRanges")
        _check_ranges(config.get("ParameterRanges") or {}, "HyperParameterTuningJobConfig.ParameterRanges")
        limits = config["ResourceLimits"]
        most = limits.get("MaxNumberOfTrainingJobs")
        if most is not None and limits["MaxParallelTrainingJobs"] > most:
            raise ValidationException(
                "ResourceLimits.MaxParallelTrainingJobs must not be greater than "
                "ResourceLimits.MaxNumberOfTrainingJobs."
            )
        if limits["MaxParallelTrainingJobs"] > MOST_PARALLEL:
            raise ResourceLimitExceeded(
                f"The number of parallel training jobs per hyperparameter tuning job is limited to "
                f"{MOST_PARALLEL}; ResourceLimits.MaxParallelTrainingJobs is {limits['MaxParallelTrainingJobs']}."
            )
        ceiling = MOST_TRAINING_JOBS.get(config["Strategy"], DEFAULT_MOST_TRAINING_JOBS)
        if (most or 0) > ceiling:
            raise ResourceLimitExceeded(
                f"The number of training jobs per {config['Strategy']} hyperparameter tuning job is "
                f"limited to {ceiling}; ResourceLimits.MaxNumberOfTrainingJobs is {most}."
            )
        if name in self.tuning_jobs:
            raise ResourceInUse(f"Hyperparameter tuning job {name} already exists.")
        checked_tags = self.TAG_RULES.checked(tag_dict(tags, "Key", "Value"))  # type: ignore[attr-defined]
        members = {
            "TrainingJobDefinition": training_job_definition,
            "TrainingJobDefinitions": training_job_definitions,
            "WarmStartConfig": warm_start_config,
            "Autotune": autotune,
        }
        job = TuningJob(
            self, name=name, config=config, definitions=definitions,
            members={k: v for k, v in members.items() if v is not None}, tags=checked_tags,
        )
        self.tuning_jobs.add(name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_tuning_job(self, name: str) -> TuningJob:
        job = self.tuning_jobs.get(name)
        if job is None:
            raise not_found("hyper-parameter tuning", self.arn(f"hyper-parameter-tuning-job/{name}"))
        return job

    def settle_jobs(self) -> None:
        # Finished training jobs make room for new ones before any handler looks.
        for job in self.tuning_jobs:
            job.refresh()
        super().settle_jobs()

    def describe_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> TuningJob:
        job: TuningJob = self.get_tuning_job(hyper_parameter_tuning_job_name).observe()
        job.refresh()
        return job

    def stop_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> None:
        job = self.get_tuning_job(hyper_parameter_tuning_job_name)
        require_status("hyper-parameter tuning", job.name, job.status, STOPPABLE, "stopped")
        job.begin_stopping()

    def delete_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> None:
        job = self.get_tuning_job(hyper_parameter_tuning_job_name)
        require_status("hyper-parameter tuning", job.name, job.status, DELETABLE, "deleted")
        self.tuning_jobs.remove(job.name)
        job.retired = True

    def list_hyper_parameter_tuning_jobs(
        self,
        next_token: str | None = None,
        max_results: int | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        name_contains: str | None = None,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        status_equals: str | None = None,
    ) -> Page[TuningJob]:
        return list_jobs(
            self.tuning_jobs,
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
            default_sort="Name",
        )

    def list_training_jobs_for_hyper_parameter_tuning_job(
        self,
        hyper_parameter_tuning_job_name: str,
        next_token: str | None = None,
        max_results: int | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[TrainingJob]:
        tuning = self.get_tuning_job(hyper_parameter_tuning_job_name)
        children = set(tuning.children)
        sort_by = sort_by or "Name"

        def wanted(job: TrainingJob) -> bool:
            if job.name not in children:
                return False
            if status_equals is not None and job.primary_status != status_equals:
                return False
            # "training jobs that did not return an objective metric are not listed"
            return sort_by != "FinalObjectiveMetricValue" or job.objective_value() is not None

        keys: dict[str, Callable[[TrainingJob], Any]] = {
            "Name": lambda job: job.name,
            "CreationTime": lambda job: job.creation_time,
            "Status": lambda job: job.primary_status,
            "FinalObjectiveMetricValue": lambda job: job.objective_value() or 0.0,
        }
        return paginate(
            self.training_jobs,
            sort_name=sort_by,
            sort_key=keys[sort_by],
            stable=sort_by in ("Name", "CreationTime"),
            descending=sort_order == "Descending",
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )
