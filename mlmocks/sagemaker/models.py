"""The SageMaker backend: state for one account and region, composed of the job families
mlmocks owns (everything else on the host is moto's). Tagged jobs show in moto's
Resource Groups Tagging API beside moto's resources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.core.resource_tagging import TaggableResourcesMixin, TaggedResource

from mlmocks.core.listing import Store
from mlmocks.core.tags import Tagged, TaggingBackend, TagRules

from . import SPEC
from .automl_jobs import AutoMLJobs, is_automl_job_arn
from .compilation_jobs import CompilationJobs, is_compilation_job_arn
from .edge_packaging_jobs import EdgePackagingJobs, is_edge_packaging_job_arn
from .exceptions import ValidationException
from .inference_recommendations_jobs import (
    InferenceRecommendationsJobs,
    is_inference_recommendations_job_arn,
)
from .optimization_jobs import OptimizationJobs, is_optimization_job_arn

#: Tags a SageMaker resource may carry.
MAX_TAGS = 50


class SageMakerBackend(
    CompilationJobs,
    AutoMLJobs,
    EdgePackagingJobs,
    OptimizationJobs,
    InferenceRecommendationsJobs,
    TaggingBackend,
    TaggableResourcesMixin,
):
    ARN_SERVICE = "sagemaker"
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: ValidationException(
            f"Value at 'Tags' failed to satisfy constraint: a resource can have at most "
            f"{MAX_TAGS} tags; {arn} would have {count}."
        ),
    )
    #: moto's Resource Groups Tagging API lists our tagged jobs beside moto's resources.
    SERVICE_NAMESPACE = "sagemaker"

    # -- moto's Resource Groups Tagging API ----------------------------------------------

    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        # A snapshot: moto keeps this iterator between pages, so it must not hold the lock.
        with self.lock:
            resources = [
                TaggedResource(job.arn, dict(job.tags), "sagemaker:compilation-job")
                for job in self.compilation_jobs
            ]
            resources += self._automl_family_tagged_resources()
        return iter(resources)

    def owns_arn(self, arn: str) -> bool:
        # moto's SageMaker backend claims every other SageMaker ARN.
        return is_compilation_job_arn(arn) or is_automl_family_arn(arn)

    def taggable(self, arn: str) -> Tagged:
        # By ARN only (find would take a name too).
        job: Tagged | None = self.compilation_jobs.find(arn) if arn.startswith("arn:") else None
        job = job or self._automl_family_taggable(arn)
        if job is None:
            # What SageMaker answers for tags of a resource that does not exist.
            raise ValidationException(f"Resource does not exist: {arn}")
        return job

    # -- AutoML, edge packaging, optimization and inference recommendations jobs --------

    def _automl_family_tagged_resources(self) -> list[TaggedResource]:
        stores: list[tuple[str, Any]] = [
            ("sagemaker:automl-job", self.automl_jobs),
            ("sagemaker:edge-packaging-job", self.edge_packaging_jobs),
            ("sagemaker:optimization-job", self.optimization_jobs),
            ("sagemaker:inference-recommendations-job", self.inference_recommendations_jobs),
        ]
        return [TaggedResource(job.arn, dict(job.tags), kind) for kind, store in stores for job in store]

    def _automl_family_taggable(self, arn: str) -> Tagged | None:
        if not arn.startswith("arn:"):
            return None
        stores: list[Store[Any]] = [
            self.automl_jobs,
            self.edge_packaging_jobs,
            self.optimization_jobs,
            self.inference_recommendations_jobs,
        ]
        found: Tagged | None = next((job for store in stores if (job := store.find(arn)) is not None), None)
        return found


def is_automl_family_arn(arn: str) -> bool:
    """Whether ``arn`` names an AutoML, edge packaging, optimization or inference
    recommendations job."""
    return (
        is_automl_job_arn(arn)
        or is_edge_packaging_job_arn(arn)
        or is_optimization_job_arn(arn)
        or is_inference_recommendations_job_arn(arn)
    )


sagemaker_backends = SPEC.backend_dict(SageMakerBackend)
