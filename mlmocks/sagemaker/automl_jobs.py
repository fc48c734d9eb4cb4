"""SageMaker Autopilot (AutoML) jobs, V1 and V2 (CreateAutoMLJob, DescribeAutoMLJob,
ListAutoMLJobs, StopAutoMLJob, CreateAutoMLJobV2, DescribeAutoMLJobV2,
ListCandidatesForAutoMLJob).

moto 5.2.5 answers some of these (its jobs stay ``InProgress`` forever); mlmocks takes
them all over. One job is both a V1 and a V2 job: V1 calls see a tabular job's V1
members, V2 calls its V2 members, whichever call created it.

The lifecycle walks ``AutoMLJobSecondaryStatus``; ``AutoMLJobStatus`` follows from it
(``InProgress`` until the job ends ``Completed``, ``Failed`` or ``Stopped``, through
``Stopping``). Candidates appear ``InProgress`` when the job enters ``ModelTuning``
(``TrainingModels`` for a V2 job that is not tabular, as SageMaker names that step),
and end with the job: ``Completed`` with their objective metric, ``Stopped`` or
``Failed``. ``BestCandidate`` is the one whose objective metric is best.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import MILLISECOND, Page, Store, paginate, within
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ResourceNotFound, ValidationException

AUTOML_JOB = Lifecycle(
    kind="sagemaker::automl-job",
    # AutoMLJobSecondaryStatus; AutoMLJobStatus is InProgress until the end.
    happy_path=("Starting", "AnalyzingData", "FeatureEngineering", "ModelTuning", "Completed"),
    failed="Failed",
    stopping=("Stopping", "Stopped"),
)

#: Secondary statuses whose AutoMLJobStatus is not InProgress (the same names).
_PRIMARY = {"Completed": "Completed", "Failed": "Failed", "Stopping": "Stopping", "Stopped": "Stopped"}
#: How a V2 job that is not tabular names the steps of the tabular path it walks.
_NOT_TABULAR_STEPS = {"AnalyzingData": "Starting", "FeatureEngineering": "Starting", "ModelTuning": "TrainingModels"}

#: The longest AutoMLFailureReason (the shape's max).
MAX_FAILURE_REASON = 1024
#: Page size of ListAutoMLJobs and ListCandidatesForAutoMLJob without MaxResults.
DEFAULT_MAX_RESULTS = 10
#: Candidates a mocked job trains (CompletionCriteria.MaxCandidates caps it).
MOCK_CANDIDATES = 3
#: SageMaker's CompletionCriteria defaults (AutoMLJobCompletionCriteria).
DEFAULT_COMPLETION = {
    "MaxCandidates": 250,
    "MaxRuntimePerTrainingJobInSeconds": 86400,
    "MaxAutoMLJobRuntimeInSeconds": 2592000,
}

PROBLEM_TYPE_CONFIGS = {
    "ImageClassificationJobConfig": "ImageClassification",
    "TextClassificationJobConfig": "TextClassification",
    "TimeSeriesForecastingJobConfig": "TimeSeriesForecasting",
    "TabularJobConfig": "Tabular",
    "TextGenerationJobConfig": "TextGeneration",
}
#: Objective metrics each problem type admits, the default first (AutoMLJobObjective).
OBJECTIVE_METRICS: dict[str, tuple[str, ...]] = {
    "BinaryClassification": ("F1", "Accuracy", "AUC", "BalancedAccuracy", "Precision", "Recall"),
    "MulticlassClassification": ("Accuracy", "BalancedAccuracy", "F1macro", "PrecisionMacro", "RecallMacro"),
    "Regression": ("MSE", "MAE", "R2", "RMSE"),
    "ImageClassification": ("Accuracy",),
    "TextClassification": ("Accuracy",),
    "TimeSeriesForecasting": ("AverageWeightedQuantileLoss", "MAPE", "MASE", "RMSE", "WAPE"),
    "TextGeneration": (),
}
#: Metrics for which lower is better.
MINIMIZED = frozenset({"MSE", "MAE", "RMSE", "MAPE", "MASE", "WAPE", "AverageWeightedQuantileLoss"})
#: The problem type Autopilot resolves a tabular job to when the request names none.
INFERRED_PROBLEM_TYPE = "BinaryClassification"


def is_automl_job_arn(arn: str) -> bool:
    """Whether ``arn`` names an AutoML job (of any account, region or partition)."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[2] == "sagemaker" and parts[5].startswith("automl-job/")


def _fraction(*parts: str) -> float:
    """A stable number in [0, 1) from ``parts``."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _hex(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]


class Candidate:
    """One candidate model of an AutoML job."""

    def __init__(self, job: AutoMLJob, index: int, at: datetime) -> None:
        self.job = job
        self.index = index
        tag = _hex(job.arn, str(index))
        self.name = f"{job.name}-{tag}-{index:03d}"
        self.status = "InProgress"
        self.objective_status = "Pending"
        self.creation_time = at
        self.last_modified_time = at
        self.end_time: datetime | None = None
        self.failure_reason: str | None = None
        self.metric_value: float | None = None
        region, prefix = job.backend_region, job.output_prefix
        steps = []
        if job.tabular:
            steps.append(("AWS::SageMaker::ProcessingJob", f"{job.name}-db-1-{_hex(job.arn, 'db')}"))
            steps.append(("AWS::SageMaker::TrainingJob", f"{job.name}-dpp{index}-1-{tag}"))
            steps.append(("AWS::SageMaker::TransformJob", f"{job.name}-dpp{index}-rpb-1-{tag}"))
        steps.append(("AWS::SageMaker::TrainingJob", f"{job.name}-tuning-{tag}-{index:03d}"))
        self.steps = [
            {
                "CandidateStepType": kind,
                "CandidateStepArn": job.arn_prefix + f"{kind.rsplit('::', 1)[1].replace('Job', '').lower()}-job/{name}",
                "CandidateStepName": name,
            }
            for kind, name in steps
        ]
        model = f"{prefix}/tuning/{self.name}/output/model.tar.gz"
        image = f"{_AUTOPILOT_ACCOUNTS.get(region, '683313688378')}.dkr.ecr.{region}.amazonaws.com"
        self.inference_containers = [
            {"Image": f"{image}/sagemaker-xgboost:1.7-1-cpu-py3", "ModelDataUrl": model,
             "Environment": {"SAGEMAKER_PROGRAM": "sagemaker_serve"}},
        ]
        self.explainability = f"{prefix}/documentation/explainability/output"
        self.model_insights = f"{prefix}/documentation/model_monitor/output"

    def end(self, status: str, at: datetime, reason: str | None = None) -> None:
        if self.status not in ("InProgress", "Stopping"):
            return
        self.status = status
        self.last_modified_time = at
        if status == "Stopping":
            return
        self.end_time = at
        if status == "Completed":
            self.objective_status = "Succeeded"
            low = _fraction(self.job.arn, self.name)
            # Better-is-higher metrics in (0.5, 1), lower-is-better ones in (0.05, 1).
            self.metric_value = round(0.5 + 0.49 * low if not self.job.minimized else 0.05 + 0.95 * low, 6)
        elif status == "Failed":
            self.objective_status = "Failed"
            self.failure_reason = reason

    @property
    def sort_value(self) -> float:
        return -1.0 if self.metric_value is None else self.metric_value

    def detail(self) -> dict[str, Any]:
        job = self.job
        out: dict[str, Any] = {
            "CandidateName": self.name,
            "ObjectiveStatus": self.objective_status,
            "CandidateSteps": self.steps,
            "CandidateStatus": self.status,
            "CreationTime": self.creation_time,
            "EndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": self.failure_reason,
        }
        if self.metric_value is not None and job.metric_name:
            metric = {
                "Type": "Minimize" if job.minimized else "Maximize",
                "MetricName": job.metric_name,
                "Value": self.metric_value,
                "StandardMetricName": job.metric_name,
            }
            out["FinalAutoMLJobObjectiveMetric"] = metric
            out["InferenceContainers"] = self.inference_containers
            out["CandidateProperties"] = {
                "CandidateArtifactLocations": {"Explainability": self.explainability, "ModelInsights": self.model_insights},
                "CandidateMetrics": [
                    {"MetricName": job.metric_name, "StandardMetricName": job.metric_name,
                     "Value": self.metric_value, "Set": "Validation"},
                ],
            }
        return out


#: Accounts of the Autopilot images per region (a few; others use us-east-1's).
_AUTOPILOT_ACCOUNTS = {
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-west-2": "246618743249",
    "eu-west-1": "141502667606",
}


class AutoMLJob(Job):
    LIFECYCLE = AUTOML_JOB

    def __init__(
        self,
        backend: AutoMLJobs,
        *,
        name: str,
        version: int,
        input_data_config: list[dict[str, Any]],
        output_data_config: dict[str, Any],
        problem_type_config: dict[str, Any],
        role_arn: str,
        objective: dict[str, Any] | None,
        model_deploy_config: dict[str, Any] | None,
        security_config: dict[str, Any] | None,
        data_split_config: dict[str, Any] | None,
        compute_config: dict[str, Any] | None,
        v1_job_config: dict[str, Any] | None,
        tags: dict[str, str],
    ) -> None:
        self.name = name
        self.version = version
        self.arn = backend.arn(f"automl-job/{name}")
        # The ARN of another resource of this account and region is this and its path (a
        # string, not the backend's method: a snapshot pickles the job).
        self.arn_prefix = backend.arn("")
        self.backend_region = backend.region_name
        self.input_data_config = input_data_config  # V2 channels
        self.output_data_config = output_data_config
        self.problem_type_config = problem_type_config
        [(self.config_member, self.config)] = problem_type_config.items()
        self.problem_type_config_name = PROBLEM_TYPE_CONFIGS[self.config_member]
        self.tabular = self.problem_type_config_name == "Tabular"
        self.role_arn = role_arn
        self.objective = objective
        self.model_deploy_config = model_deploy_config
        self.security_config = security_config
        self.data_split_config = data_split_config
        self.compute_config = compute_config
        self.v1_job_config = v1_job_config
        self.tags = tags
        self.output_prefix = f"{output_data_config['S3OutputPath'].rstrip('/')}/{name}"
        self.candidates_only = bool(self.config.get("GenerateCandidateDefinitionsOnly"))
        problem = self.config.get("ProblemType") if self.tabular else self.problem_type_config_name
        self.problem_type: str | None = problem
        self.candidates: Store[Candidate] = Store()
        self.resolved = False
        self.artifacts: dict[str, str] | None = None
        self.deploy_result: dict[str, str] | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    # -- derived ----------------------------------------------------------------------

    @property
    def metric_name(self) -> str | None:
        if self.objective is not None:
            return str(self.objective["MetricName"])
        defaults = OBJECTIVE_METRICS.get(self.problem_type or "", ())
        return defaults[0] if defaults else None

    @property
    def minimized(self) -> bool:
        return self.metric_name in MINIMIZED

    @property
    def completion_criteria(self) -> dict[str, Any]:
        return {**DEFAULT_COMPLETION, **(self.config.get("CompletionCriteria") or {})}

    def secondary_status(self) -> str:
        status = self.status
        if status == "Completed" and self.candidates_only:
            return "CandidateDefinitionsGenerated"
        if not self.tabular:
            return _NOT_TABULAR_STEPS.get(status, status)
        return status

    def primary_status(self) -> str:
        return _PRIMARY.get(self.status, "InProgress")

    def best_candidate(self) -> Candidate | None:
        done = [c for c in self.candidates if c.metric_value is not None]
        if not done:
            return None
        pick = min if self.minimized else max
        return pick(done, key=lambda c: (c.metric_value, -c.index))

    # -- lifecycle ----------------------------------------------------------------------

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "FeatureEngineering" or (status == "Completed" and not self.resolved):
            # The data is analysed: the problem type and objective are known.
            self.resolved = True
            if self.tabular and self.problem_type is None:
                self.problem_type = INFERRED_PROBLEM_TYPE
            if self.tabular:
                notebooks = f"{self.output_prefix}/sagemaker-automl-candidates/{self.name}-{_hex(self.arn)}/notebooks"
                self.artifacts = {
                    "CandidateDefinitionNotebookLocation": f"{notebooks}/SageMakerAutopilotCandidateDefinitionNotebook.ipynb",
                    "DataExplorationNotebookLocation": f"{notebooks}/SageMakerAutopilotDataExplorationNotebook.ipynb",
                }
        if status == "ModelTuning" and not self.candidates_only:
            count = min(MOCK_CANDIDATES, int(self.completion_criteria["MaxCandidates"]))
            for index in range(1, count + 1):
                candidate = Candidate(self, index, at)
                self.candidates.add(candidate.name, candidate)
        elif status in ("Completed", "Stopping", "Stopped"):
            for candidate in self.candidates:
                candidate.end(status, at)
            if status == "Completed" and self.model_deploy_config and self.best_candidate() is not None:
                endpoint = self.model_deploy_config.get("EndpointName") or f"{self.name}-{_hex(self.arn, 'ep')}"
                self.deploy_result = {"EndpointName": endpoint}
        elif status == "Failed":
            for candidate in self.candidates:
                candidate.end("Failed", at, self.failure)

    # -- what the API shows -------------------------------------------------------------

    def _common(self) -> dict[str, Any]:
        best = self.best_candidate()
        failure = self.failure
        return {
            "AutoMLJobName": self.name,
            "AutoMLJobArn": self.arn,
            "OutputDataConfig": self.output_data_config,
            "RoleArn": self.role_arn,
            "AutoMLJobObjective": self.objective,
            "CreationTime": self.creation_time,
            "EndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": failure[:MAX_FAILURE_REASON] if failure else None,
            "BestCandidate": best.detail() if best is not None else None,
            "AutoMLJobStatus": self.primary_status(),
            "AutoMLJobSecondaryStatus": self.secondary_status(),
            "AutoMLJobArtifacts": self.artifacts,
            "ModelDeployConfig": self.model_deploy_config,
            "ModelDeployResult": self.deploy_result,
        }

    def resolved_objective(self) -> dict[str, Any] | None:
        metric = self.metric_name
        return {"MetricName": metric} if metric else None

    def detail(self) -> dict[str, Any]:
        """DescribeAutoMLJob (V1; a tabular job)."""
        out = self._common()
        config = self.config
        out.update(
            InputDataConfig=_v1_channels(self.input_data_config, config),
            ProblemType=config.get("ProblemType"),
            AutoMLJobConfig=self.v1_job_config or _v1_job_config(self),
            GenerateCandidateDefinitionsOnly=config.get("GenerateCandidateDefinitionsOnly"),
        )
        if self.resolved:
            out["ResolvedAttributes"] = {
                "AutoMLJobObjective": self.resolved_objective(),
                "ProblemType": self.problem_type,
                "CompletionCriteria": self.completion_criteria,
            }
        return out

    def detail_v2(self) -> dict[str, Any]:
        """DescribeAutoMLJobV2."""
        out = self._common()
        out.update(
            AutoMLJobInputDataConfig=self.input_data_config,
            AutoMLProblemTypeConfig=self.problem_type_config,
            AutoMLProblemTypeConfigName=self.problem_type_config_name,
            DataSplitConfig=self.data_split_config,
            SecurityConfig=self.security_config,
            AutoMLComputeConfig=self.compute_config,
        )
        if self.resolved:
            resolved: dict[str, Any] = {
                "AutoMLJobObjective": self.resolved_objective(),
                "CompletionCriteria": self.completion_criteria,
            }
            if self.tabular:
                resolved["AutoMLProblemTypeResolvedAttributes"] = {
                    "TabularResolvedAttributes": {"ProblemType": self.problem_type}
                }
            elif self.problem_type_config_name == "TextGeneration":
                resolved["AutoMLProblemTypeResolvedAttributes"] = {
                    "TextGenerationResolvedAttributes": {"BaseModelName": self.config.get("BaseModelName", "Falcon7BInstruct")}
                }
            out["ResolvedAttributes"] = resolved
        return out

    def summary(self) -> dict[str, Any]:
        failure = self.failure
        return {
            "AutoMLJobName": self.name,
            "AutoMLJobArn": self.arn,
            "AutoMLJobStatus": self.primary_status(),
            "AutoMLJobSecondaryStatus": self.secondary_status(),
            "CreationTime": self.creation_time,
            "EndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "FailureReason": failure[:MAX_FAILURE_REASON] if failure else None,
        }


def _v1_channels(channels: list[dict[str, Any]], config: dict[str, Any]) -> list[dict[str, Any]]:
    """V2 channels of a tabular job as V1's AutoMLChannel (with the target attribute)."""
    out = []
    for channel in channels:
        v1 = {**channel, "TargetAttributeName": config["TargetAttributeName"]}
        if config.get("SampleWeightAttributeName"):
            v1["SampleWeightAttributeName"] = config["SampleWeightAttributeName"]
        out.append(v1)
    return out


def _v1_job_config(job: AutoMLJob) -> dict[str, Any] | None:
    config = job.config
    v1: dict[str, Any] = {}
    for member in ("CompletionCriteria", "CandidateGenerationConfig", "Mode"):
        if member in config:
            v1[member] = config[member]
    if job.security_config:
        v1["SecurityConfig"] = job.security_config
    if job.data_split_config:
        v1["DataSplitConfig"] = job.data_split_config
    return v1 or None


class AutoMLJobs(ServiceBackend):
    """The AutoML job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.automl_jobs: Store[AutoMLJob] = Store()  # by name

    def create_auto_ml_job(
        self,
        auto_ml_job_name: str,
        input_data_config: list[dict[str, Any]],
        output_data_config: dict[str, Any],
        role_arn: str,
        problem_type: str | None = None,
        auto_ml_job_objective: dict[str, Any] | None = None,
        auto_ml_job_config: dict[str, Any] | None = None,
        generate_candidate_definitions_only: bool | None = None,
        tags: list[dict[str, str]] | None = None,
        model_deploy_config: dict[str, Any] | None = None,
    ) -> AutoMLJob:
        targets = {channel["TargetAttributeName"] for channel in input_data_config}
        if len(targets) > 1:
            raise ValidationException(
                "InputDataConfig: every channel must name the same TargetAttributeName."
            )
        job_config = dict(auto_ml_job_config or {})
        tabular: dict[str, Any] = {"TargetAttributeName": input_data_config[0]["TargetAttributeName"]}
        weights = {channel.get("SampleWeightAttributeName") for channel in input_data_config} - {None}
        if weights:
            tabular["SampleWeightAttributeName"] = weights.pop()
        for member in ("CompletionCriteria", "CandidateGenerationConfig", "Mode"):
            if member in job_config:
                tabular[member] = job_config[member]
        if problem_type is not None:
            tabular["ProblemType"] = problem_type
        if generate_candidate_definitions_only is not None:
            tabular["GenerateCandidateDefinitionsOnly"] = generate_candidate_definitions_only
        channels = [
            {key: value for key, value in channel.items() if key not in ("TargetAttributeName", "SampleWeightAttributeName")}
            for channel in input_data_config
        ]
        return self._create(
            name=auto_ml_job_name,
            version=1,
            input_data_config=channels,
            output_data_config=output_data_config,
            problem_type_config={"TabularJobConfig": tabular},
            role_arn=role_arn,
            objective=auto_ml_job_objective,
            model_deploy_config=model_deploy_config,
            security_config=job_config.get("SecurityConfig"),
            data_split_config=job_config.get("DataSplitConfig"),
            compute_config=None,
            v1_job_config=auto_ml_job_config,
            tags=tags,
            channels_member="InputDataConfig",
        )

    def create_auto_ml_job_v2(
        self,
        auto_ml_job_name: str,
        auto_ml_job_input_data_config: list[dict[str, Any]],
        output_data_config: dict[str, Any],
        auto_ml_problem_type_config: dict[str, Any],
        role_arn: str,
        tags: list[dict[str, str]] | None = None,
        security_config: dict[str, Any] | None = None,
        auto_ml_job_objective: dict[str, Any] | None = None,
        model_deploy_config: dict[str, Any] | None = None,
        data_split_config: dict[str, Any] | None = None,
        auto_ml_compute_config: dict[str, Any] | None = None,
    ) -> AutoMLJob:
        return self._create(
            name=auto_ml_job_name,
            version=2,
            input_data_config=auto_ml_job_input_data_config,
            output_data_config=output_data_config,
            problem_type_config=auto_ml_problem_type_config,
            role_arn=role_arn,
            objective=auto_ml_job_objective,
            model_deploy_config=model_deploy_config,
            security_config=security_config,
            data_split_config=data_split_config,
            compute_config=auto_ml_compute_config,
            v1_job_config=None,
            tags=tags,
            channels_member="AutoMLJobInputDataConfig",
        )

    def _create(self, *, name: str, tags: list[dict[str, str]] | None, channels_member: str, **fields: Any) -> AutoMLJob:
        # Every check comes before anything is stored: a rejected request leaves nothing.
        _check_channels(fields["input_data_config"], fields["data_split_config"], channels_member)
        [(member, config)] = fields["problem_type_config"].items()
        _check_objective(PROBLEM_TYPE_CONFIGS[member], config, fields["objective"], fields["version"])
        _check_deploy(fields["model_deploy_config"])
        if name in self.automl_jobs:
            raise ResourceInUse(
                f"Resource Already Exists: Auto ML Job with name {name} already exists. Choose a different name."
            )
        job = AutoMLJob(self, name=name, tags=tag_dict(tags, "Key", "Value"), **fields)
        self.automl_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_automl_job(self, name: str) -> AutoMLJob:
        job = self.automl_jobs.get(name)
        if job is None:
            raise ResourceNotFound(f"Could not find AutoML job with name {name}.")
        return job

    def describe_auto_ml_job(self, auto_ml_job_name: str) -> AutoMLJob:
        job = self.get_automl_job(auto_ml_job_name)
        if not job.tabular:
            raise ValidationException(
                f"AutoML job {auto_ml_job_name} solves a {job.problem_type_config_name} problem: "
                "describe it with DescribeAutoMLJobV2."
            )
        described: AutoMLJob = job.observe()
        return described

    def describe_auto_ml_job_v2(self, auto_ml_job_name: str) -> AutoMLJob:
        described: AutoMLJob = self.get_automl_job(auto_ml_job_name).observe()
        return described

    def stop_auto_ml_job(self, auto_ml_job_name: str) -> None:
        job = self.get_automl_job(auto_ml_job_name)
        if job.primary_status() != "InProgress":
            raise ValidationException(
                f"The request was rejected because the AutoML job {auto_ml_job_name} is in status "
                f"{job.primary_status()}. An AutoML job can be stopped only in status InProgress."
            )
        job.begin_stopping()

    def list_auto_ml_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_order: str | None = None,
        sort_by: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[AutoMLJob]:
        def wanted(job: AutoMLJob) -> bool:
            if name_contains is not None and name_contains not in job.name:
                return False
            if not within(job.creation_time, creation_time_after, creation_time_before, MILLISECOND):
                return False
            status = job.primary_status()  # moves the job on first, so its times are current
            if status_equals is not None and status != status_equals:
                return False
            return within(job.last_modified_time, last_modified_time_after, last_modified_time_before, MILLISECOND)

        sort_by = sort_by or "Name"  # "The default is Name."
        keys: dict[str, Callable[[AutoMLJob], Any]] = {
            "CreationTime": lambda job: job.creation_time,
            "Name": lambda job: job.name,
            "Status": lambda job: job.primary_status(),
        }
        return paginate(
            self.automl_jobs,
            sort_name=sort_by,
            sort_key=keys[sort_by],
            stable=sort_by != "Status",
            descending=sort_order != "Ascending",  # "The default is Descending."
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def list_candidates_for_auto_ml_job(
        self,
        auto_ml_job_name: str,
        status_equals: str | None = None,
        candidate_name_equals: str | None = None,
        sort_order: str | None = None,
        sort_by: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[Candidate]:
        job = self.get_automl_job(auto_ml_job_name)
        job.status  # noqa: B018 - moves the job (and its candidates) on

        def wanted(candidate: Candidate) -> bool:
            if status_equals is not None and candidate.status != status_equals:
                return False
            return candidate_name_equals is None or candidate.name == candidate_name_equals

        sort_by = sort_by or "CreationTime"
        keys: dict[str, Callable[[Candidate], Any]] = {
            "CreationTime": lambda candidate: candidate.creation_time,
            "Status": lambda candidate: candidate.status,
            "FinalObjectiveMetricValue": lambda candidate: candidate.sort_value,
        }
        return paginate(
            job.candidates,
            sort_name=sort_by,
            sort_key=keys[sort_by],
            stable=sort_by == "CreationTime",
            descending=sort_order == "Descending",  # "The default is Ascending."
            where=wanted,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )


def _check_channels(channels: list[dict[str, Any]], data_split: dict[str, Any] | None, member: str) -> None:
    kinds = [channel.get("ChannelType", "training") for channel in channels]
    if kinds.count("training") != 1 or len(kinds) != len(set(kinds)):
        raise ValidationException(
            f"{member} must have exactly one channel of ChannelType training and at most one of "
            "ChannelType validation."
        )
    if "validation" in kinds and data_split is not None:
        raise ValidationException(
            "DataSplitConfig cannot be specified when a validation channel is provided."
        )


def _check_objective(config_name: str, config: dict[str, Any], objective: dict[str, Any] | None, version: int) -> None:
    problem = config.get("ProblemType") if config_name == "Tabular" else config_name
    if config_name == "Tabular" and (problem is None) != (objective is None):
        where = "ProblemType" if version == 1 else "AutoMLProblemTypeConfig.TabularJobConfig.ProblemType"
        raise ValidationException(
            f"{where} and AutoMLJobObjective must be specified together, or neither."
        )
    if objective is None or problem is None:
        return
    allowed = OBJECTIVE_METRICS[problem]
    if objective["MetricName"] not in allowed:
        admitted = ", ".join(allowed) if allowed else "none"
        raise ValidationException(
            f"AutoMLJobObjective.MetricName {objective['MetricName']} is not valid for problem type "
            f"{problem}: valid metrics are {admitted}."
        )


def _check_deploy(config: dict[str, Any] | None) -> None:
    if config and config.get("AutoGenerateEndpointName") and config.get("EndpointName"):
        raise ValidationException(
            "Validation Error: An EndpointName cannot be provided while AutoGenerateEndpoint name is True."
        )
