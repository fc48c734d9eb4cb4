"""The SageMaker backend: state for one account and region, composed of the job families
mlmocks owns (everything else on the host is moto's). Tagged jobs show in moto's
Resource Groups Tagging API beside moto's resources."""

from __future__ import annotations

from collections.abc import Iterator

from moto.core.resource_tagging import TaggableResourcesMixin, TaggedResource

from mlmocks.core.tags import TaggingBackend, TagRules

from . import SPEC
from .compilation_jobs import CompilationJob, CompilationJobs, is_compilation_job_arn
from .exceptions import ValidationException

#: Tags a SageMaker resource may carry.
MAX_TAGS = 50


class SageMakerBackend(CompilationJobs, TaggingBackend, TaggableResourcesMixin):
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
        return iter(resources)

    def owns_arn(self, arn: str) -> bool:
        # moto's SageMaker backend claims every other SageMaker ARN.
        return is_compilation_job_arn(arn)

    def taggable(self, arn: str) -> CompilationJob:
        # By ARN only (find would take a name too).
        job = self.compilation_jobs.find(arn) if arn.startswith("arn:") else None
        if job is None:
            # What SageMaker answers for tags of a resource that does not exist.
            raise ValidationException(f"Resource does not exist: {arn}")
        return job


sagemaker_backends = SPEC.backend_dict(SageMakerBackend)
