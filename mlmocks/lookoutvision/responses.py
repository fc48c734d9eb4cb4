"""Lookout for Vision operations: validated parameters in, output shapes out."""

from __future__ import annotations

from typing import Any

from mlmocks.core.responses import ServiceResponse

from .exceptions import ValidationException
from .models import LookoutVisionBackend, lookoutvision_backends


class LookoutVisionResponse(ServiceResponse):
    SERVICE = "lookoutvision"
    BACKENDS = lookoutvision_backends
    VALIDATION_ERROR = ValidationException

    @property
    def backend(self) -> LookoutVisionBackend:
        return lookoutvision_backends[self.current_account][self.region]

    # -- projects --------------------------------------------------------------------------

    def create_project(self, project_name: str, client_token: str | None = None) -> dict[str, Any]:
        return {"ProjectMetadata": self.backend.create_project(project_name).metadata()}

    def describe_project(self, project_name: str) -> dict[str, Any]:
        project = self.backend.project(project_name)
        datasets = [
            {
                "DatasetType": d.dataset_type,
                "CreationTimestamp": d.creation_time,
                "Status": d.status,
                "StatusMessage": d.status_message,
            }
            for d in project.datasets.values()
        ]
        return {"ProjectDescription": {**project.metadata(), "Datasets": datasets}}

    def list_projects(self, next_token: str | None = None, max_results: int | None = None) -> dict[str, Any]:
        page = self.backend.list_projects(max_results, next_token)
        return {"Projects": [p.metadata() for p in page.items], "NextToken": page.next_token}

    def delete_project(self, project_name: str, client_token: str | None = None) -> dict[str, Any]:
        return {"ProjectArn": self.backend.delete_project(project_name).project_arn}

    # -- datasets ------------------------------------------------------------------------------

    def create_dataset(self, project_name: str, dataset_type: str, dataset_source: Any = None,
                       client_token: str | None = None) -> dict[str, Any]:
        dataset = self.backend.create_dataset(project_name, dataset_type, dataset_source)
        # The answer shows the dataset as created, before it moves on.
        return {
            "DatasetMetadata": {
                "DatasetType": dataset.dataset_type,
                "CreationTimestamp": dataset.creation_time,
                "Status": dataset.LIFECYCLE.happy_path[0],
                "StatusMessage": "Creating the dataset.",
            }
        }

    def describe_dataset(self, project_name: str, dataset_type: str) -> dict[str, Any]:
        return {"DatasetDescription": self.backend.dataset(project_name, dataset_type).describe()}

    def delete_dataset(self, project_name: str, dataset_type: str, client_token: str | None = None) -> dict[str, Any]:
        self.backend.delete_dataset(project_name, dataset_type)
        return {}

    def update_dataset_entries(self, project_name: str, dataset_type: str, changes: bytes,
                               client_token: str | None = None) -> dict[str, Any]:
        dataset = self.backend.update_dataset_entries(project_name, dataset_type, changes)
        return {"Status": dataset.status}

    def list_dataset_entries(self, project_name: str, dataset_type: str, **filters: Any) -> dict[str, Any]:
        page = self.backend.list_dataset_entries(project_name, dataset_type, **filters)
        return {"DatasetEntries": page.items, "NextToken": page.next_token}

    # -- models ------------------------------------------------------------------------------

    def create_model(self, project_name: str, client_token: str | None = None, **params: Any) -> dict[str, Any]:
        model = self.backend.create_model(project_name, client_token, **params)
        return {"ModelMetadata": {**model.metadata(), "Status": "TRAINING", "StatusMessage": "Training the model.",
                                  "Performance": None}}

    def describe_model(self, project_name: str, model_version: str) -> dict[str, Any]:
        return {"ModelDescription": self.backend.model(project_name, model_version).describe().describe_model()}

    def list_models(self, project_name: str, next_token: str | None = None, max_results: int | None = None) -> dict[str, Any]:
        page = self.backend.list_models(project_name, next_token, max_results)
        return {"Models": [m.metadata() for m in page.items], "NextToken": page.next_token}

    def delete_model(self, project_name: str, model_version: str, client_token: str | None = None) -> dict[str, Any]:
        return {"ModelArn": self.backend.delete_model(project_name, model_version).model_arn}

    def start_model(self, project_name: str, model_version: str, min_inference_units: int,
                    client_token: str | None = None, max_inference_units: int | None = None) -> dict[str, Any]:
        self.backend.start_model(project_name, model_version, min_inference_units, max_inference_units)
        return {"Status": "STARTING_HOSTING"}

    def stop_model(self, project_name: str, model_version: str, client_token: str | None = None) -> dict[str, Any]:
        self.backend.stop_model(project_name, model_version)
        return {"Status": "STOPPING_HOSTING"}

    def detect_anomalies(self, project_name: str, model_version: str, body: bytes, content_type: str) -> dict[str, Any]:
        result = self.backend.detect_anomalies(project_name, model_version, body, content_type)
        return {"DetectAnomalyResult": result}

    # -- packaging -----------------------------------------------------------------------------

    def start_model_packaging_job(self, project_name: str, client_token: str | None = None, **params: Any) -> dict[str, Any]:
        job = self.backend.start_model_packaging_job(project_name, client_token, **params)
        return {"JobName": job.job_name}

    def describe_model_packaging_job(self, project_name: str, job_name: str) -> dict[str, Any]:
        job = self.backend.packaging_job(project_name, job_name).describe()
        return {"ModelPackagingDescription": job.describe_job()}

    def list_model_packaging_jobs(self, project_name: str, next_token: str | None = None,
                                  max_results: int | None = None) -> dict[str, Any]:
        page = self.backend.list_model_packaging_jobs(project_name, next_token, max_results)
        return {"ModelPackagingJobs": [job.metadata() for job in page.items], "NextToken": page.next_token}

    # -- tags ------------------------------------------------------------------------------------

    def tag_resource(self, resource_arn: str, tags: list[dict[str, str]]) -> dict[str, Any]:
        self.backend.tag_resource(resource_arn, tags)
        return {}

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
        self.backend.untag_resource(resource_arn, tag_keys)
        return {}

    def list_tags_for_resource(self, resource_arn: str) -> dict[str, Any]:
        return {"Tags": self.backend.list_tags_for_resource(resource_arn)}


RESPONSE_CLASS = LookoutVisionResponse
