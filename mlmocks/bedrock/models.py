"""The Bedrock backend: state for one account and region, composed of the job families
mlmocks owns (the rest of Bedrock is moto's, on the same host)."""

from __future__ import annotations

from mlmocks.core.tags import Tagged, TaggingBackend, TagRules

from . import SPEC
from .copy_jobs import ModelCopyJobs
from .custom_model_deployments import CustomModelDeployments
from .customization_jobs import ModelCustomizationJobs
from .exceptions import ResourceNotFoundException, TooManyTagsException
from .import_jobs import ImportedModel, ModelImportJob, ModelImportJobs
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
    TaggingBackend,
):
    ARN_SERVICE = "bedrock"
    TAG_RULES = TagRules(
        max_tags=MAX_TAGS,
        too_many=lambda arn, count: TooManyTagsException(
            f"A resource can have at most {MAX_TAGS} tags", resourceName=arn
        ),
    )

    def taggable(self, arn: str) -> ModelImportJob | ImportedModel | Tagged:
        resource: Tagged | None = self.import_resource(arn)
        resource = resource or self.model_resource(arn)  # bedrock-models' families
        if resource is None:
            raise ResourceNotFoundException(f"The resource {arn} was not found")
        return resource


bedrock_backends = SPEC.backend_dict(BedrockBackend)
