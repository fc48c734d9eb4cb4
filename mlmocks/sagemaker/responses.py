"""SageMaker compilation job operations: validated parameters in, output shapes out.

Every other SageMaker operation goes to moto's SageMaker on the same host, and so do
AddTags / ListTags / DeleteTags for any resource that is not a compilation job.
"""

from __future__ import annotations

from typing import Any

from mlmocks.core.listing import InvalidToken
from mlmocks.core.moto_compat import moto_holds_sagemaker_arn
from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import tag_dict, tag_list

from .exceptions import ValidationException
from .models import SageMakerBackend, is_owned_arn, sagemaker_backends
from .search import SEARCHABLE


class SageMakerResponse(ServiceResponse[SageMakerBackend]):
    SERVICE = "sagemaker"
    BACKENDS = sagemaker_backends
    VALIDATION_ERROR = ValidationException
    MOTO_SERVICE = "sagemaker"


    # Tags exist on both sides of the host: ours only for our resources (models.py's
    # OWNED_RESOURCES); Search too: ours only for the resource types we hold.
    SHARED_OPERATIONS = frozenset({"AddTags", "ListTags", "DeleteTags", "Search"})

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        if operation == "Search":
            resource = body.get("Resource")
            # Malformed (not a string): ours to reject with a proper validation error.
            return not isinstance(resource, str) or resource in SEARCHABLE
        arn = body.get("ResourceArn")
        if not isinstance(arn, str):
            return True  # malformed: ours to reject with a proper validation error
        # moto's SageMaker fails on tags of a resource it does not hold: ours to refuse.
        return is_owned_arn(arn) or not self._held_by_moto(arn)

    def _held_by_moto(self, arn: str) -> bool:
        return moto_holds_sagemaker_arn(self.current_account, self.region, arn)

    # -- compilation jobs ---------------------------------------------------------------

    def create_compilation_job(self, **params: Any) -> dict[str, Any]:
        job = self.backend.create_compilation_job(**params)
        return {"CompilationJobArn": job.arn}

    def describe_compilation_job(self, compilation_job_name: str) -> dict[str, Any]:
        return self.backend.describe_compilation_job(compilation_job_name).detail()

    def list_compilation_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_compilation_jobs(**params)
        return {
            "CompilationJobSummaries": [job.summary() for job in page.items],
            "NextToken": page.next_token,
        }

    def stop_compilation_job(self, compilation_job_name: str) -> dict[str, Any]:
        self.backend.stop_compilation_job(compilation_job_name)
        return {}

    def delete_compilation_job(self, compilation_job_name: str) -> dict[str, Any]:
        self.backend.delete_compilation_job(compilation_job_name)
        return {}

    # -- training jobs ------------------------------------------------------------------

    def create_training_job(self, **params: Any) -> dict[str, Any]:
        return {"TrainingJobArn": self.backend.create_training_job(**params).arn}

    def describe_training_job(self, training_job_name: str) -> dict[str, Any]:
        return self.backend.describe_training_job(training_job_name).detail()

    def list_training_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_training_jobs(**params)
        return {"TrainingJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_training_job(self, training_job_name: str) -> dict[str, Any]:
        self.backend.stop_training_job(training_job_name)
        return {}

    def update_training_job(self, **params: Any) -> dict[str, Any]:
        return {"TrainingJobArn": self.backend.update_training_job(**params).arn}

    def delete_training_job(self, training_job_name: str) -> dict[str, Any]:
        self.backend.delete_training_job(training_job_name)
        return {}

    # -- hyperparameter tuning jobs -----------------------------------------------------

    def create_hyper_parameter_tuning_job(self, **params: Any) -> dict[str, Any]:
        return {"HyperParameterTuningJobArn": self.backend.create_hyper_parameter_tuning_job(**params).arn}

    def describe_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> dict[str, Any]:
        return self.backend.describe_hyper_parameter_tuning_job(hyper_parameter_tuning_job_name).detail()

    def list_hyper_parameter_tuning_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_hyper_parameter_tuning_jobs(**params)
        return {
            "HyperParameterTuningJobSummaries": [job.summary() for job in page.items],
            "NextToken": page.next_token,
        }

    def stop_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> dict[str, Any]:
        self.backend.stop_hyper_parameter_tuning_job(hyper_parameter_tuning_job_name)
        return {}

    def delete_hyper_parameter_tuning_job(self, hyper_parameter_tuning_job_name: str) -> dict[str, Any]:
        self.backend.delete_hyper_parameter_tuning_job(hyper_parameter_tuning_job_name)
        return {}

    def list_training_jobs_for_hyper_parameter_tuning_job(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_training_jobs_for_hyper_parameter_tuning_job(**params)
        return {"TrainingJobSummaries": [job.tuning_summary() for job in page.items], "NextToken": page.next_token}

    # -- processing jobs ----------------------------------------------------------------

    def create_processing_job(self, **params: Any) -> dict[str, Any]:
        return {"ProcessingJobArn": self.backend.create_processing_job(**params).arn}

    def describe_processing_job(self, processing_job_name: str) -> dict[str, Any]:
        return self.backend.describe_processing_job(processing_job_name).detail()

    def list_processing_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_processing_jobs(**params)
        return {"ProcessingJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_processing_job(self, processing_job_name: str) -> dict[str, Any]:
        self.backend.stop_processing_job(processing_job_name)
        return {}

    def delete_processing_job(self, processing_job_name: str) -> dict[str, Any]:
        self.backend.delete_processing_job(processing_job_name)
        return {}

    # -- transform jobs -----------------------------------------------------------------

    def create_transform_job(self, **params: Any) -> dict[str, Any]:
        return {"TransformJobArn": self.backend.create_transform_job(**params).arn}

    def describe_transform_job(self, transform_job_name: str) -> dict[str, Any]:
        return self.backend.describe_transform_job(transform_job_name).detail()

    def list_transform_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_transform_jobs(**params)
        return {"TransformJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_transform_job(self, transform_job_name: str) -> dict[str, Any]:
        self.backend.stop_transform_job(transform_job_name)
        return {}

    # -- Search, for training and tuning jobs (moto's Search answers the rest) ----------

    def search(self, **params: Any) -> dict[str, Any]:
        member, records, next_token = self.backend.search(**params)
        return {"Results": [{member: found} for found in records], "NextToken": next_token}
    # -- AutoML jobs (V1 and V2) ---------------------------------------------------------

    def create_auto_ml_job(self, **params: Any) -> dict[str, Any]:
        return {"AutoMLJobArn": self.backend.create_auto_ml_job(**params).arn}

    def describe_auto_ml_job(self, auto_ml_job_name: str) -> dict[str, Any]:
        return self.backend.describe_auto_ml_job(auto_ml_job_name).detail()

    def list_auto_ml_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_auto_ml_jobs(**params)
        return {"AutoMLJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_auto_ml_job(self, auto_ml_job_name: str) -> dict[str, Any]:
        self.backend.stop_auto_ml_job(auto_ml_job_name)
        return {}

    def create_auto_ml_job_v2(self, **params: Any) -> dict[str, Any]:
        return {"AutoMLJobArn": self.backend.create_auto_ml_job_v2(**params).arn}

    def describe_auto_ml_job_v2(self, auto_ml_job_name: str) -> dict[str, Any]:
        return self.backend.describe_auto_ml_job_v2(auto_ml_job_name).detail_v2()

    def list_candidates_for_auto_ml_job(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_candidates_for_auto_ml_job(**params)
        return {"Candidates": [candidate.detail() for candidate in page.items], "NextToken": page.next_token}

    # -- edge packaging jobs ------------------------------------------------------------

    def create_edge_packaging_job(self, **params: Any) -> dict[str, Any]:
        self.backend.create_edge_packaging_job(**params)
        return {}

    def describe_edge_packaging_job(self, edge_packaging_job_name: str) -> dict[str, Any]:
        return self.backend.describe_edge_packaging_job(edge_packaging_job_name).detail()

    def list_edge_packaging_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_edge_packaging_jobs(**params)
        return {"EdgePackagingJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_edge_packaging_job(self, edge_packaging_job_name: str) -> dict[str, Any]:
        self.backend.stop_edge_packaging_job(edge_packaging_job_name)
        return {}

    # -- optimization jobs --------------------------------------------------------------

    def create_optimization_job(self, **params: Any) -> dict[str, Any]:
        return {"OptimizationJobArn": self.backend.create_optimization_job(**params).arn}

    def describe_optimization_job(self, optimization_job_name: str) -> dict[str, Any]:
        return self.backend.describe_optimization_job(optimization_job_name).detail()

    def list_optimization_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_optimization_jobs(**params)
        return {"OptimizationJobSummaries": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_optimization_job(self, optimization_job_name: str) -> dict[str, Any]:
        self.backend.stop_optimization_job(optimization_job_name)
        return {}

    def delete_optimization_job(self, optimization_job_name: str) -> dict[str, Any]:
        self.backend.delete_optimization_job(optimization_job_name)
        return {}

    # -- inference recommendations jobs ---------------------------------------------------

    def create_inference_recommendations_job(self, **params: Any) -> dict[str, Any]:
        return {"JobArn": self.backend.create_inference_recommendations_job(**params).arn}

    def describe_inference_recommendations_job(self, job_name: str) -> dict[str, Any]:
        return self.backend.describe_inference_recommendations_job(job_name).detail()

    def list_inference_recommendations_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_inference_recommendations_jobs(**params)
        return {"InferenceRecommendationsJobs": [job.summary() for job in page.items], "NextToken": page.next_token}

    def stop_inference_recommendations_job(self, job_name: str) -> dict[str, Any]:
        self.backend.stop_inference_recommendations_job(job_name)
        return {}

    def list_inference_recommendations_job_steps(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_inference_recommendations_job_steps(**params)
        return {"Steps": [step.step() for step in page.items], "NextToken": page.next_token}

    # -- tags on compilation jobs --------------------------------------------------------

    def add_tags(self, resource_arn: str, tags: list[dict[str, str]]) -> dict[str, Any]:
        self.backend.tag_resource(resource_arn, tag_dict(tags, "Key", "Value"))
        return self.list_tags(resource_arn)

    def list_tags(
        self, resource_arn: str, next_token: str | None = None, max_results: int | None = None
    ) -> dict[str, Any]:
        tags = self.backend.list_tags_for_resource(resource_arn)
        if next_token is not None:
            # A resource has at most 50 tags and a page at least 50: this listing never
            # hands out a token, so any token is not one of its own.
            raise InvalidToken(next_token)
        return {"Tags": tag_list(tags, "Key", "Value")}

    def delete_tags(self, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
        self.backend.untag_resource(resource_arn, tag_keys)
        return {}


RESPONSE_CLASS = SageMakerResponse
