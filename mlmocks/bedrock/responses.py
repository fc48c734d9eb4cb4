"""Bedrock's operations that mlmocks owns: validated parameters in, output shapes out.
Everything else on the host is moto's."""

from __future__ import annotations

from typing import Any

from mlmocks.core.errors import ServiceError
from mlmocks.core.responses import ServiceResponse
from mlmocks.core.spec import service_model
from mlmocks.core.tags import TagOperations

from .exceptions import ValidationException
from .models import BedrockBackend, bedrock_backends

_OUR_RESOURCE_TYPES = (
    ":model-import-job/",
    ":imported-model/",
    ":model-customization-job/",
    ":custom-model/",
    ":provisioned-model/",
    ":custom-model-deployment/",
    # Batch inference, evaluation, prompt optimization (bedrock-jobs).
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

    def token_conflict(self, operation: str, member: str, token: str, arguments: dict[str, Any]) -> ServiceError:
        """A client token used again with other parameters: ConflictException where the
        operation models it, else ValidationException (CreateProvisionedModelThroughput,
        CreateModelCopyJob and CreateCustomModelDeployment have no ConflictException)."""
        error = super().token_conflict(operation, member, token, arguments)
        modeled = {shape.name for shape in service_model(self.SERVICE).operation_model(operation).error_shapes}
        return error if error.code in modeled else ValidationException(error.message)

    # -- model customization jobs (customization_jobs.py) ----------------------------------

    def create_model_customization_job(self, **arguments: Any) -> dict[str, Any]:
        return {"jobArn": self.backend.create_model_customization_job(**arguments).job_arn}

    def get_model_customization_job(self, job_identifier: str) -> dict[str, Any]:
        return self.backend.get_model_customization_job(job_identifier).observe().detail()

    def list_model_customization_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_model_customization_jobs(**arguments)
        return {"modelCustomizationJobSummaries": [job.summary() for job in page.items], "nextToken": page.next_token}

    def stop_model_customization_job(self, job_identifier: str) -> dict[str, Any]:
        self.backend.stop_model_customization_job(job_identifier)
        return {}

    # -- custom models (custom_models.py) --------------------------------------------------

    def create_custom_model(self, **arguments: Any) -> dict[str, Any]:
        return {"modelArn": self.backend.create_custom_model(**arguments).model_arn}

    def get_custom_model(self, model_identifier: str) -> dict[str, Any]:
        model = self.backend.get_custom_model(model_identifier)
        if model.creation is not None:
            model.creation.observe()
        return model.detail()

    def list_custom_models(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_custom_models(**arguments)
        return {"modelSummaries": [model.summary() for model in page.items], "nextToken": page.next_token}

    def delete_custom_model(self, model_identifier: str) -> dict[str, Any]:
        self.backend.delete_custom_model(model_identifier)
        return {}

    # -- model copy jobs (copy_jobs.py) ----------------------------------------------------

    def create_model_copy_job(self, **arguments: Any) -> dict[str, Any]:
        return {"jobArn": self.backend.create_model_copy_job(**arguments).job_arn}

    def get_model_copy_job(self, job_arn: str) -> dict[str, Any]:
        return self.backend.get_model_copy_job(job_arn).observe().detail()

    def list_model_copy_jobs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_model_copy_jobs(**arguments)
        return {"modelCopyJobSummaries": [job.summary() for job in page.items], "nextToken": page.next_token}

    # -- provisioned model throughput (provisioned_throughputs.py) -------------------------

    def create_provisioned_model_throughput(self, **arguments: Any) -> dict[str, Any]:
        throughput = self.backend.create_provisioned_model_throughput(**arguments)
        return {"provisionedModelArn": throughput.provisioned_model_arn}

    def get_provisioned_model_throughput(self, provisioned_model_id: str) -> dict[str, Any]:
        return self.backend.get_provisioned_model_throughput(provisioned_model_id).observe().detail()

    def list_provisioned_model_throughputs(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_provisioned_model_throughputs(**arguments)
        return {"provisionedModelSummaries": [t.summary() for t in page.items], "nextToken": page.next_token}

    def update_provisioned_model_throughput(self, **arguments: Any) -> dict[str, Any]:
        self.backend.update_provisioned_model_throughput(**arguments)
        return {}

    def delete_provisioned_model_throughput(self, provisioned_model_id: str) -> dict[str, Any]:
        self.backend.delete_provisioned_model_throughput(provisioned_model_id)
        return {}

    # -- custom model deployments (custom_model_deployments.py) ----------------------------

    def create_custom_model_deployment(self, **arguments: Any) -> dict[str, Any]:
        deployment = self.backend.create_custom_model_deployment(**arguments)
        return {"customModelDeploymentArn": deployment.deployment_arn}

    def get_custom_model_deployment(self, custom_model_deployment_identifier: str) -> dict[str, Any]:
        return self.backend.get_custom_model_deployment(custom_model_deployment_identifier).observe().detail()

    def list_custom_model_deployments(self, **arguments: Any) -> dict[str, Any]:
        page = self.backend.list_custom_model_deployments(**arguments)
        return {"modelDeploymentSummaries": [d.summary() for d in page.items], "nextToken": page.next_token}

    def update_custom_model_deployment(self, **arguments: Any) -> dict[str, Any]:
        deployment = self.backend.update_custom_model_deployment(**arguments)
        return {"customModelDeploymentArn": deployment.deployment_arn}

    def delete_custom_model_deployment(self, custom_model_deployment_identifier: str) -> dict[str, Any]:
        self.backend.delete_custom_model_deployment(custom_model_deployment_identifier)
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
