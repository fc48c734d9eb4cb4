"""The Bedrock backend: state for one account and region, composed of the job families
mlmocks owns (the rest of Bedrock is moto's, on the same host)."""

from __future__ import annotations

from mlmocks.core.tags import Tagged, TaggingBackend, TagRules

from . import SPEC
from .copy_jobs import ModelCopyJobs
from .custom_model_deployments import CustomModelDeployments
from .customization_jobs import ModelCustomizationJobs
from .evaluation_jobs import EvaluationJobs
from .exceptions import ResourceNotFoundException, TooManyTagsException
from .import_jobs import ModelImportJobs
from .invocation_jobs import ModelInvocationJobs
from .prompt_optimization_jobs import PromptOptimizationJobs
from .provisioned_throughputs import ProvisionedThroughputs

#: Tags a resource may carry (the TagList shape's max).
MAX_TAGS = 200


class BedrockBackend(
    ModelImportJobs,
    # bedrock-models: each extends CustomModels, so they come before it in the MRO.
    ModelCustomizationJobs,
    ModelCopyJobs,
    ProvisionedThroughputs,
    CustomModelDeployments,
    ModelInvocationJobs,
    EvaluationJobs,
    PromptOptimizationJobs,
    TaggingBackend,
):
    ARN_SERVICE = "bedrock"
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: TooManyTagsException(
            f"A resource can have at most {MAX_TAGS} tags", resourceName=arn
        ),
    )

    def taggable(self, arn: str) -> Tagged:
        resource: Tagged | None = self.import_resource(arn)
        resource = resource or self.model_resource(arn)  # custom models and what serves them
        if resource is None:
            resource = self.invocation_resource(arn)
        if resource is None:
            resource = self.evaluation_resource(arn)
        if resource is None:
            raise ResourceNotFoundException(f"The resource {arn} was not found")
        return resource


bedrock_backends = SPEC.backend_dict(BedrockBackend)
