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
from .models import (
    SageMakerBackend,
    is_automl_family_arn,
    is_compilation_job_arn,
    sagemaker_backends,
)


class SageMakerResponse(ServiceResponse[SageMakerBackend]):
    SERVICE = "sagemaker"
    BACKENDS = sagemaker_backends
    VALIDATION_ERROR = ValidationException
    MOTO_SERVICE = "sagemaker"


    # Tags exist on both sides of the host: ours only for compilation jobs.
    SHARED_OPERATIONS = frozenset({"AddTags", "ListTags", "DeleteTags"})

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        arn = body.get("ResourceArn")
        if not isinstance(arn, str):
            return True  # malformed: ours to reject with a proper validation error
        # moto's SageMaker fails on tags of a resource it does not hold: ours to refuse.
        return is_compilation_job_arn(arn) or is_automl_family_arn(arn) or not self._held_by_moto(arn)

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
