"""Bedrock's operations that mlmocks owns: validated parameters in, output shapes out.
Everything else on the host is moto's."""

from __future__ import annotations

from typing import Any

from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ValidationException
from .models import BedrockBackend, bedrock_backends

_OUR_RESOURCE_TYPES = (
    ":model-import-job/",
    ":imported-model/",
    ":model-invocation-job/",
    ":evaluation-job/",
    # Not taggable (the resourceARN pattern admits none), but ours to refuse properly.
    ":advanced-prompt-optimization-job/",
)


class BedrockResponse(TagOperations, ServiceResponse[BedrockBackend]):
    SERVICE = "bedrock"
    BACKENDS = bedrock_backends
    VALIDATION_ERROR = ValidationException
    MOTO_SERVICE = "bedrock"
    # The model does not mark this token idempotencyToken; Bedrock honours it.
    CLIENT_TOKENS = {"CreateModelImportJob": "clientRequestToken"}

    # Tags exist on both sides of the host: ours only for our resources.
    SHARED_OPERATIONS = frozenset({"TagResource", "UntagResource", "ListTagsForResource"})

    def owns(self, operation: str, body: dict[str, Any]) -> bool:
        arn = body.get("resourceARN")
        if not isinstance(arn, str):
            return True  # malformed: ours to reject with a proper validation error
        return any(kind in arn for kind in _OUR_RESOURCE_TYPES)

    # -- model import jobs (import_jobs.py) ---------------------------------------------

    def create_model_import_job(self, **arguments: Any) -> dict[str, Any]:
        return {"jobArn": self.backend.create_model_import_job(**arguments).job_arn}

    def get_model_import_job(self, job_identifier: str) -> dict[str, Any]:
        return self.backend.get_model_import_job(job_identifier).observe().detail()

    def list_model_import_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_model_import_jobs(**arguments)
        return {"modelImportJobSummaries": [job.summary() for job in page.items], "nextToken": page.next_token}

    def get_imported_model(self, model_identifier: str) -> dict[str, Any]:
        return self.backend.get_imported_model(model_identifier).detail()

    def list_imported_models(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_imported_models(**arguments)
        return {"modelSummaries": [model.summary() for model in page.items], "nextToken": page.next_token}

    def delete_imported_model(self, model_identifier: str) -> dict[str, Any]:
        self.backend.delete_imported_model(model_identifier)
        return {}

    # -- batch inference: model invocation jobs (invocation_jobs.py) --------------------

    def create_model_invocation_job(self, **arguments: Any) -> dict[str, Any]:
        # clientRequestToken is the idempotency token (the dispatcher honours it); the
        # job shows it too.
        token = self.params.get("clientRequestToken")
        return {"jobArn": self.backend.create_model_invocation_job(client_request_token=token, **arguments).job_arn}

    def get_model_invocation_job(self, job_identifier: str) -> dict[str, Any]:
        return self.backend.get_model_invocation_job(job_identifier).observe().detail()

    def list_model_invocation_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_model_invocation_jobs(**arguments)
        return {"invocationJobSummaries": [job.summary() for job in page.items], "nextToken": page.next_token}

    def stop_model_invocation_job(self, job_identifier: str) -> dict[str, Any]:
        self.backend.stop_model_invocation_job(job_identifier)
        return {}

    # -- evaluation jobs (evaluation_jobs.py) -----------------------------------------

    def create_evaluation_job(self, **arguments: Any) -> dict[str, Any]:
        return {"jobArn": self.backend.create_evaluation_job(**arguments).job_arn}

    def get_evaluation_job(self, job_identifier: str) -> dict[str, Any]:
        return self.backend.observe_evaluation_job(job_identifier).detail()

    def list_evaluation_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_evaluation_jobs(**arguments)
        # The model's list holds 1 to 5 summaries: none found, the member is left out.
        summaries = [job.summary() for job in page.items] or None
        return {"jobSummaries": summaries, "nextToken": page.next_token}

    def stop_evaluation_job(self, job_identifier: str) -> dict[str, Any]:
        self.backend.stop_evaluation_job(job_identifier)
        return {}

    def batch_delete_evaluation_job(self, job_identifiers: list[str]) -> dict[str, Any]:
        errors, deleted = self.backend.batch_delete_evaluation_job(job_identifiers)
        return {"errors": errors, "evaluationJobs": deleted}

    # -- advanced prompt optimization jobs (prompt_optimization_jobs.py) --------------

    def create_advanced_prompt_optimization_job(self, **arguments: Any) -> dict[str, Any]:
        return {"jobArn": self.backend.create_advanced_prompt_optimization_job(**arguments).job_arn}

    def get_advanced_prompt_optimization_job(self, job_identifier: str) -> dict[str, Any]:
        return self.backend.observe_advanced_prompt_optimization_job(job_identifier).detail()

    def list_advanced_prompt_optimization_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_advanced_prompt_optimization_jobs(**arguments)
        return {"jobSummaries": [job.summary() for job in page.items], "nextToken": page.next_token}

    def stop_advanced_prompt_optimization_job(self, job_identifier: str) -> dict[str, Any]:
        self.backend.stop_advanced_prompt_optimization_job(job_identifier)
        return {}

    def batch_delete_advanced_prompt_optimization_job(self, job_identifiers: list[str]) -> dict[str, Any]:
        errors, deleted = self.backend.batch_delete_advanced_prompt_optimization_job(job_identifiers)
        return {"errors": errors, "advancedPromptOptimizationJobs": deleted}


RESPONSE_CLASS = BedrockResponse
