"""Clean Rooms ML custom-model operations: validated parameters in, output shapes out."""

from __future__ import annotations

from functools import cache
from typing import Any

from mlmocks.core.responses import ServiceResponse
from mlmocks.core.spec import operation_model
from mlmocks.core.tags import TagOperations

from .exceptions import AccessDeniedException, ResourceNotFoundException, ValidationException
from .models import CleanRoomsMLBackend, cleanroomsml_backends


@cache
def _names_missing_resources(operation: str) -> bool:
    """Whether the operation models ResourceNotFoundException (the list operations
    refuse an unknown membership or collaboration as access denied)."""
    errors = operation_model("cleanroomsml", operation).error_shapes
    return any(error.name == "ResourceNotFoundException" for error in errors)


class CleanRoomsMLResponse(TagOperations, ServiceResponse[CleanRoomsMLBackend]):
    SERVICE = "cleanroomsml"
    BACKENDS = cleanroomsml_backends
    VALIDATION_ERROR = ValidationException
    TAG_MEMBERS = None  # a map


    def check(self, operation: str) -> None:
        # The membership or collaboration a call names must exist and include the caller.
        membership = self.params.get("membershipIdentifier")
        collaboration = self.params.get("collaborationIdentifier")
        if membership is None and collaboration is None:
            return
        unknown = ResourceNotFoundException if _names_missing_resources(operation) else AccessDeniedException
        backend = self.backend
        with backend.lock:
            backend.authorize(membership, collaboration, unknown)

    # -- configured model algorithms -------------------------------------------------------------

    def create_configured_model_algorithm(self, **params: Any) -> dict[str, Any]:
        algorithm = self.backend.create_configured_model_algorithm(**params)
        return {"configuredModelAlgorithmArn": algorithm.arn}

    def get_configured_model_algorithm(self, configured_model_algorithm_arn: str) -> dict[str, Any]:
        return self.backend.get_configured_model_algorithm(configured_model_algorithm_arn).detail()

    def list_configured_model_algorithms(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_configured_model_algorithms(**params)
        return {"configuredModelAlgorithms": [a.summary() for a in page.items], "nextToken": page.next_token}

    def delete_configured_model_algorithm(self, configured_model_algorithm_arn: str) -> dict[str, Any]:
        self.backend.delete_configured_model_algorithm(configured_model_algorithm_arn)
        return {}

    # -- associations ----------------------------------------------------------------------------

    def create_configured_model_algorithm_association(self, **params: Any) -> dict[str, Any]:
        association = self.backend.create_configured_model_algorithm_association(**params)
        return {"configuredModelAlgorithmAssociationArn": association.arn}

    def get_configured_model_algorithm_association(self, **params: Any) -> dict[str, Any]:
        return self.backend.get_configured_model_algorithm_association(**params).detail()

    def list_configured_model_algorithm_associations(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_configured_model_algorithm_associations(**params)
        return {
            "configuredModelAlgorithmAssociations": [a.summary() for a in page.items],
            "nextToken": page.next_token,
        }

    def delete_configured_model_algorithm_association(self, **params: Any) -> dict[str, Any]:
        self.backend.delete_configured_model_algorithm_association(**params)
        return {}

    def get_collaboration_configured_model_algorithm_association(self, **params: Any) -> dict[str, Any]:
        return self.backend.get_collaboration_configured_model_algorithm_association(**params).collaboration_view()

    def list_collaboration_configured_model_algorithm_associations(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_collaboration_configured_model_algorithm_associations(**params)
        return {
            "collaborationConfiguredModelAlgorithmAssociations": [a.collaboration_summary() for a in page.items],
            "nextToken": page.next_token,
        }

    # -- trained models --------------------------------------------------------------------------

    def create_trained_model(self, **params: Any) -> dict[str, Any]:
        model = self.backend.create_trained_model(**params)
        return {"trainedModelArn": model.arn, "versionIdentifier": model.version_identifier}

    def get_trained_model(self, **params: Any) -> dict[str, Any]:
        return self.backend.get_trained_model(**params).observe().detail()

    def list_trained_models(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_trained_models(**params)
        return {"trainedModels": [m.summary() for m in page.items], "nextToken": page.next_token}

    def list_trained_model_versions(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_trained_model_versions(**params)
        return {"trainedModels": [m.summary() for m in page.items], "nextToken": page.next_token}

    def cancel_trained_model(self, **params: Any) -> dict[str, Any]:
        self.backend.cancel_trained_model(**params)
        return {}

    def delete_trained_model_output(self, **params: Any) -> dict[str, Any]:
        self.backend.delete_trained_model_output(**params)
        return {}

    def get_collaboration_trained_model(self, **params: Any) -> dict[str, Any]:
        model = self.backend.get_collaboration_trained_model(**params)
        return model.observe().collaboration_view()

    def list_collaboration_trained_models(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_collaboration_trained_models(**params)
        return {
            "collaborationTrainedModels": [m.collaboration_summary() for m in page.items],
            "nextToken": page.next_token,
        }

    # -- export jobs -----------------------------------------------------------------------------

    def start_trained_model_export_job(self, **params: Any) -> dict[str, Any]:
        self.backend.start_trained_model_export_job(**params)
        return {}

    def list_collaboration_trained_model_export_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_collaboration_trained_model_export_jobs(**params)
        return {
            "collaborationTrainedModelExportJobs": [j.collaboration_summary() for j in page.items],
            "nextToken": page.next_token,
        }

    # -- inference jobs --------------------------------------------------------------------------

    def start_trained_model_inference_job(self, **params: Any) -> dict[str, Any]:
        job = self.backend.start_trained_model_inference_job(**params)
        return {"trainedModelInferenceJobArn": job.arn}

    def get_trained_model_inference_job(self, **params: Any) -> dict[str, Any]:
        return self.backend.get_trained_model_inference_job(**params).observe().detail()

    def list_trained_model_inference_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_trained_model_inference_jobs(**params)
        return {"trainedModelInferenceJobs": [j.summary() for j in page.items], "nextToken": page.next_token}

    def list_collaboration_trained_model_inference_jobs(self, **params: Any) -> dict[str, Any]:
        page = self.backend.list_collaboration_trained_model_inference_jobs(**params)
        return {
            "collaborationTrainedModelInferenceJobs": [j.collaboration_summary() for j in page.items],
            "nextToken": page.next_token,
        }

    def cancel_trained_model_inference_job(self, **params: Any) -> dict[str, Any]:
        self.backend.cancel_trained_model_inference_job(**params)
        return {}


RESPONSE_CLASS = CleanRoomsMLResponse
