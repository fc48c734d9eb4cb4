"""Lookout for Vision's 22 operations: validated parameters in, output shapes out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ValidationException
from .models import LookoutVisionBackend, lookoutvision_backends

Handler = Callable[..., dict[str, Any]]


def idempotent(handler: Handler) -> Handler:
    """An operation with a ClientToken: the same token and parameters get the first answer
    again; the same token with other parameters is a ConflictException (the service says
    only that an error occurs). SDKs send a fresh token when the caller gives none."""
    operation = "".join(word.title() for word in handler.__name__.split("_"))

    @functools.wraps(handler)
    def respond(
        self: LookoutVisionResponse, client_token: str | None = None, **request: Any
    ) -> dict[str, Any]:
        return self.backend.once(operation, client_token, request, lambda: handler(self, **request))

    return respond


class LookoutVisionResponse(TagOperations, ServiceResponse):
    TAG_MEMBERS = ("Key", "Value")
    TAGS_MEMBER = "Tags"
    SERVICE = "lookoutvision"
    BACKENDS = lookoutvision_backends
    VALIDATION_ERROR = ValidationException

    @property
    def backend(self) -> LookoutVisionBackend:
        return lookoutvision_backends[self.current_account][self.region]

    # -- projects -------------------------------------------------------------------------------

    @idempotent
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

    @idempotent
    def delete_project(self, project_name: str) -> dict[str, Any]:
        return {"ProjectArn": self.backend.delete_project(project_name).project_arn}

    # -- datasets -------------------------------------------------------------------------------

    @idempotent
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

    @idempotent
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

    @idempotent
    def delete_dataset(self, project_name: str, dataset_type: str) -> dict[str, Any]:
        self.backend.delete_dataset(project_name, dataset_type)
        return {}

    # -- models ---------------------------------------------------------------------------------

    @idempotent
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

    @idempotent
    def delete_model(self, project_name: str, model_version: str) -> dict[str, Any]:
        return {"ModelArn": self.backend.delete_model(project_name, model_version).model_arn}

    @idempotent
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

    @idempotent
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

    @idempotent
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
