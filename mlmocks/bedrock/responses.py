"""Bedrock model import operations: validated parameters in, output shapes out."""

from __future__ import annotations

from typing import Any

from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ValidationException
from .models import BedrockBackend, bedrock_backends

_OUR_RESOURCE_TYPES = (":model-import-job/", ":imported-model/")


class BedrockResponse(TagOperations, ServiceResponse[BedrockBackend]):
    SERVICE = "bedrock"
    BACKENDS = bedrock_backends
    VALIDATION_ERROR = ValidationException
    MOTO_SERVICE = "bedrock"
    # The model does not mark this token idempotencyToken; Bedrock honours it.
    CLIENT_TOKENS = {"CreateModelImportJob": "clientRequestToken"}


    # Tags exist on both sides of the host: ours only for import jobs and imported models.
    SHARED_OPERATIONS = frozenset({"TagResource", "UntagResource", "ListTagsForResource"})

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        arn = body.get("resourceARN")
        if not isinstance(arn, str):
            return True  # malformed: ours to reject with a proper validation error
        return any(kind in arn for kind in _OUR_RESOURCE_TYPES)

    def create_model_import_job(self, **params: Any) -> dict[str, Any]:
        job = self.backend.create_model_import_job(**params)
        return {"jobArn": job.job_arn}

    def get_model_import_job(self, job_identifier: str) -> Any:
        return self.backend.get_model_import_job(job_identifier).observe()

    def list_model_import_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_model_import_jobs(**params)
        return {"modelImportJobSummaries": page.items, "nextToken": page.next_token}

    def get_imported_model(self, model_identifier: str) -> Any:
        return self.backend.get_imported_model(model_identifier)

    def list_imported_models(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_imported_models(**params)
        return {"modelSummaries": page.items, "nextToken": page.next_token}

    def delete_imported_model(self, model_identifier: str) -> dict[str, Any]:
        self.backend.delete_imported_model(model_identifier)
        return {}


RESPONSE_CLASS = BedrockResponse
