"""Lookout for Vision's 22 operations: validated parameters in, output shapes out."""

from __future__ import annotations

from typing import Any

from mlmocks.core.errors import ServiceError
from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ConflictException, ValidationException
from .models import IDEMPOTENCY_WINDOW, LookoutVisionBackend, lookoutvision_backends


class LookoutVisionResponse(TagOperations, ServiceResponse[LookoutVisionBackend]):
    TAG_MEMBERS = ("Key", "Value")
    TAGS_MEMBER = "Tags"
    SERVICE = "lookoutvision"
    BACKENDS = lookoutvision_backends
    VALIDATION_ERROR = ValidationException

    # Ten operations take a ClientToken: the same token and parameters get the first
    # answer again (the service remembers a token for 8 hours); SDKs send a fresh token
    # when the caller gives none.
    CLIENT_TOKEN_LIFETIME = IDEMPOTENCY_WINDOW

    def token_conflict(self, operation: str, member: str, token: str, arguments: dict[str, Any]) -> ServiceError:
        # The service says only that an error occurs; a conflict names its project.
        return ConflictException(
            f"The ClientToken {token} was used for a {operation} request with other parameters",
            arguments["project_name"],
            "PROJECT",
        )


    # -- projects -------------------------------------------------------------------------------

    def create_project(self, project_name: str) -> dict[str, Any]:
        return {"ProjectMetadata": self.backend.create_project(project_name).summary()}

    def describe_project(self, project_name: str) -> dict[str, Any]:
        return {"ProjectDescription": self.backend.project(project_name).detail()}

    def list_projects(
        self, next_token: str | None = None, max_results: int | None = None
    ) -> dict[str, Any]:
        page = self.backend.list_projects(next_token, max_results)
        return {
            "Projects": [project.summary() for project in page.items],
            "NextToken": page.next_token,
        }

    def delete_project(self, project_name: str) -> dict[str, Any]:
        return {"ProjectArn": self.backend.delete_project(project_name).project_arn}

    # -- datasets -------------------------------------------------------------------------------

    def create_dataset(
        self, project_name: str, dataset_type: str, dataset_source: Any = None
    ) -> dict[str, Any]:
        dataset = self.backend.create_dataset(project_name, dataset_type, dataset_source)
        return {"DatasetMetadata": dataset.created_metadata()}

    def describe_dataset(self, project_name: str, dataset_type: str) -> dict[str, Any]:
        return {
            "DatasetDescription": self.backend.describe_dataset(
                project_name, dataset_type
            ).detail()
        }

    def update_dataset_entries(
        self, project_name: str, dataset_type: str, changes: bytes
    ) -> dict[str, Any]:
        self.backend.update_dataset_entries(project_name, dataset_type, changes)
        return {"Status": "UPDATE_IN_PROGRESS"}

    def list_dataset_entries(
        self, project_name: str, dataset_type: str, **filters: Any
    ) -> dict[str, Any]:
        page = self.backend.list_dataset_entries(project_name, dataset_type, **filters)
        return {
            "DatasetEntries": [entry.line for entry in page.items],
            "NextToken": page.next_token,
        }

    def delete_dataset(self, project_name: str, dataset_type: str) -> dict[str, Any]:
        self.backend.delete_dataset(project_name, dataset_type)
        return {}

    # -- models ---------------------------------------------------------------------------------

    def create_model(self, project_name: str, **params: Any) -> dict[str, Any]:
        return {
            "ModelMetadata": self.backend.create_model(project_name, **params).created_metadata()
        }

    def describe_model(self, project_name: str, model_version: str) -> dict[str, Any]:
        return {
            "ModelDescription": self.backend.describe_model(project_name, model_version).detail()
        }

    def list_models(
        self, project_name: str, next_token: str | None = None, max_results: int | None = None
    ) -> dict[str, Any]:
        page = self.backend.list_models(project_name, next_token, max_results)
        return {"Models": [model.summary() for model in page.items], "NextToken": page.next_token}

    def delete_model(self, project_name: str, model_version: str) -> dict[str, Any]:
        return {"ModelArn": self.backend.delete_model(project_name, model_version).model_arn}

    def start_model(
        self,
        project_name: str,
        model_version: str,
        min_inference_units: int,
        max_inference_units: int | None = None,
    ) -> dict[str, Any]:
        return {
            "Status": self.backend.start_model(
                project_name, model_version, min_inference_units, max_inference_units
            )
        }

    def stop_model(self, project_name: str, model_version: str) -> dict[str, Any]:
        return {"Status": self.backend.stop_model(project_name, model_version)}

    def detect_anomalies(
        self, project_name: str, model_version: str, body: bytes, content_type: str
    ) -> dict[str, Any]:
        return {
            "DetectAnomalyResult": self.backend.detect_anomalies(
                project_name, model_version, body, content_type
            )
        }

    # -- model packaging jobs -------------------------------------------------------------------

    def start_model_packaging_job(self, project_name: str, **params: Any) -> dict[str, Any]:
        return {"JobName": self.backend.start_model_packaging_job(project_name, **params).job_name}

    def describe_model_packaging_job(self, project_name: str, job_name: str) -> dict[str, Any]:
        job = self.backend.packaging_job(project_name, job_name).observe()
        return {"ModelPackagingDescription": job.detail()}

    def list_model_packaging_jobs(
        self, project_name: str, next_token: str | None = None, max_results: int | None = None
    ) -> dict[str, Any]:
        page = self.backend.list_model_packaging_jobs(project_name, next_token, max_results)
        return {
            "ModelPackagingJobs": [job.summary() for job in page.items],
            "NextToken": page.next_token,
        }


RESPONSE_CLASS = LookoutVisionResponse
