"""The SageMaker backend: state for one account and region, composed of the job families
mlmocks owns (everything else on the host is moto's). Tagged jobs show in moto's
Resource Groups Tagging API beside moto's resources."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from moto.core.resource_tagging import TaggableResourcesMixin, TaggedResource

from mlmocks.core.tags import Tagged, TaggingBackend, TagRules

from . import SPEC
from .automl_jobs import AutoMLJobs
from .compilation_jobs import CompilationJobs
from .edge_packaging_jobs import EdgePackagingJobs
from .exceptions import ValidationException
from .inference_recommendations_jobs import InferenceRecommendationsJobs
from .optimization_jobs import OptimizationJobs
from .processing_jobs import ProcessingJobs
from .search import Searching
from .transform_jobs import TransformJobs
from .tuning_jobs import TuningJobs

#: Tags a SageMaker resource may carry.
MAX_TAGS = 50


@dataclass(frozen=True)
class OwnedResource:
    """A SageMaker resource type mlmocks owns on the shared host: tags on its ARNs are
    ours, and moto's Resource Groups Tagging API lists it. One row a type: a job family
    adds its own row to OWNED_RESOURCES."""

    #: The ARN's resource type (``training-job`` in ``...:training-job/name``).
    arn_type: str
    #: The backend attribute (a core.listing Store) that holds them by name and ARN.
    store: str

    @property
    def tagging_type(self) -> str:
        """Its type in the Resource Groups Tagging API (``sagemaker:training-job``)."""
        return f"sagemaker:{self.arn_type}"


OWNED_RESOURCES: list[OwnedResource] = [
    OwnedResource("compilation-job", "compilation_jobs"),
    OwnedResource("training-job", "training_jobs"),
    OwnedResource("processing-job", "processing_jobs"),
    OwnedResource("transform-job", "transform_jobs"),
    OwnedResource("hyper-parameter-tuning-job", "tuning_jobs"),
    OwnedResource("automl-job", "automl_jobs"),
    OwnedResource("edge-packaging-job", "edge_packaging_jobs"),
    OwnedResource("optimization-job", "optimization_jobs"),
    OwnedResource("inference-recommendations-job", "inference_recommendations_jobs"),
]


def owned_resource(arn: str) -> OwnedResource | None:
    """The row of OWNED_RESOURCES whose type ``arn`` names (any account, region or partition)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sagemaker":
        return None
    arn_type = parts[5].split("/", 1)[0]
    return next((row for row in OWNED_RESOURCES if row.arn_type == arn_type and "/" in parts[5]), None)


def is_owned_arn(arn: str) -> bool:
    return owned_resource(arn) is not None


class SageMakerBackend(
    CompilationJobs,
    TuningJobs,
    ProcessingJobs,
    TransformJobs,
    Searching,
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
                TaggedResource(job.arn, dict(job.tags), row.tagging_type)
                for row in OWNED_RESOURCES
                for job in getattr(self, row.store)
            ]
        return iter(resources)

    def owns_arn(self, arn: str) -> bool:
        # moto's SageMaker backend claims every other SageMaker ARN.
        return is_owned_arn(arn)

    def taggable(self, arn: str) -> Tagged:
        # By ARN only (find would take a name too).
        row = owned_resource(arn)
        job: Tagged | None = getattr(self, row.store).find(arn) if row is not None else None
        if job is None:
            # What SageMaker answers for tags of a resource that does not exist.
            raise ValidationException(f"Resource does not exist: {arn}")
        return job


sagemaker_backends = SPEC.backend_dict(SageMakerBackend)
