"""Bedrock custom model import: model import jobs and the imported models a completed
job creates (CreateModelImportJob, GetModelImportJob, ListModelImportJobs,
GetImportedModel, ListImportedModels, DeleteImportedModel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, within
from mlmocks.core.tags import tag_dict

from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time, job_filter

MODEL_IMPORT_JOB = Lifecycle(
    kind="bedrock::model-import-job",
    happy_path=("InProgress", "Completed"),
    failed="Failed",
)

#: What an imported model reports when its weights cannot be inspected.
DEFAULT_ARCHITECTURE = "llama3"


class ModelImportJob(Job):
    LIFECYCLE = MODEL_IMPORT_JOB

    def __init__(
        self,
        backend: ModelImportJobs,
        *,
        job_name: str,
        imported_model_name: str,
        role_arn: str,
        model_data_source: dict[str, Any],
        vpc_config: dict[str, Any] | None,
        imported_model_kms_key_arn: str | None,
        imported_model_tags: dict[str, str],
        tags: dict[str, str],
    ) -> None:
        self.backend = backend
        self.job_name = job_name
        self.job_arn = backend.arn(f"model-import-job/{random_id()}")
        self.imported_model_name = imported_model_name
        self.role_arn = role_arn
        self.model_data_source = model_data_source
        self.vpc_config = vpc_config
        self.imported_model_kms_key_arn = imported_model_kms_key_arn
        self.imported_model_tags = imported_model_tags
        self.tags = tags
        self.imported_model_arn: str | None = None
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.job_name, self.job_arn)

    def summary(self) -> dict[str, Any]:
        return {
            "jobArn": self.job_arn,
            "jobName": self.job_name,
            "status": self.status,
            "lastModifiedTime": self.last_modified_time,
            "creationTime": self.creation_time,
            "endTime": self.end_time,
            "importedModelArn": self.imported_model_arn,
            "importedModelName": self.imported_model_name,
        }

    def detail(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "roleArn": self.role_arn,
            "modelDataSource": self.model_data_source,
            "failureMessage": self.failure,
            "vpcConfig": self.vpc_config,
            "importedModelKmsKeyArn": self.imported_model_kms_key_arn,
        }

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "Completed":
            model = self.backend.create_imported_model(self, at)
            self.imported_model_arn = model.model_arn


class ImportedModel:
    def __init__(self, job: ModelImportJob, model_arn: str, creation_time: datetime) -> None:
        self.model_arn = model_arn
        self.model_name = job.imported_model_name
        self.job_name = job.job_name
        self.job_arn = job.job_arn
        self.model_data_source = job.model_data_source
        self.model_kms_key_arn = job.imported_model_kms_key_arn
        self.creation_time = creation_time
        self.model_architecture = DEFAULT_ARCHITECTURE
        self.instruct_supported = True
        self.custom_model_units = {
            "customModelUnitsPerModelCopy": 1,
            "customModelUnitsVersion": "v1.0",
        }
        self.tags = dict(job.imported_model_tags)

    def summary(self) -> dict[str, Any]:
        return {
            "modelArn": self.model_arn,
            "modelName": self.model_name,
            "creationTime": self.creation_time,
            "instructSupported": self.instruct_supported,
            "modelArchitecture": self.model_architecture,
        }

    def detail(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "jobName": self.job_name,
            "jobArn": self.job_arn,
            "modelDataSource": self.model_data_source,
            "modelKmsKeyArn": self.model_kms_key_arn,
            "customModelUnits": self.custom_model_units,
        }


class ModelImportJobs(ServiceBackend):
    """The model import family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.import_jobs: Store[ModelImportJob] = Store()  # by ARN
        self.imported_models: Store[ImportedModel] = Store()  # by ARN

    # -- model import jobs --------------------------------------------------------------

    def create_model_import_job(
        self,
        job_name: str,
        imported_model_name: str,
        role_arn: str,
        model_data_source: dict[str, Any],
        job_tags: list[dict[str, str]] | None = None,
        imported_model_tags: list[dict[str, str]] | None = None,
        vpc_config: dict[str, Any] | None = None,
        imported_model_kms_key_id: str | None = None,
    ) -> ModelImportJob:
        if self.import_jobs.find(job_name) is not None:
            raise ConflictException(f"A model import job named {job_name} already exists")
        if self._model_name_taken(imported_model_name):
            raise ConflictException(
                f"An imported model named {imported_model_name} already exists or is being imported"
            )
        job = ModelImportJob(
            self,
            job_name=job_name,
            imported_model_name=imported_model_name,
            role_arn=role_arn,
            model_data_source=model_data_source,
            vpc_config=vpc_config,
            imported_model_kms_key_arn=self._kms_key_arn(imported_model_kms_key_id),
            imported_model_tags=tag_dict(imported_model_tags),
            tags=tag_dict(job_tags),
        )
        self.import_jobs.add(job.job_arn, job, aliases=(job_name,))
        self.track_job(job)
        return job

    def get_model_import_job(self, job_identifier: str) -> ModelImportJob:
        job = self.import_jobs.find(job_identifier)
        if job is None:
            raise ResourceNotFoundException(f"The model import job {job_identifier} was not found")
        return job

    def list_model_import_jobs(
        self,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        status_equals: str | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ModelImportJob]:
        wanted = job_filter(creation_time_after, creation_time_before, name_contains, status_equals)
        return by_creation_time(self.import_jobs, wanted, max_results, next_token, sort_order)

    # -- imported models ---------------------------------------------------------------

    def create_imported_model(self, job: ModelImportJob, at: datetime) -> ImportedModel:
        """What a completed import job leaves behind."""
        model = ImportedModel(job, self.arn(f"imported-model/{random_id()}"), at)
        self.imported_models.add(model.model_arn, model, aliases=(model.model_name,))
        return model

    def get_imported_model(self, model_identifier: str) -> ImportedModel:
        model = self.imported_models.find(model_identifier)
        if model is None:
            raise ResourceNotFoundException(f"The imported model {model_identifier} was not found")
        return model

    def list_imported_models(
        self,
        creation_time_before: datetime | None = None,
        creation_time_after: datetime | None = None,
        name_contains: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ImportedModel]:

        def wanted(model: ImportedModel) -> bool:
            return within(
                model.creation_time, creation_time_after, creation_time_before
            ) and (name_contains is None or name_contains in model.model_name)

        return by_creation_time(self.imported_models, wanted, max_results, next_token, sort_order)

    def delete_imported_model(self, model_identifier: str) -> None:
        model = self.get_imported_model(model_identifier)
        self.imported_models.remove(model.model_arn)

    def import_resource(self, arn: str) -> ModelImportJob | ImportedModel | None:
        """The import job or imported model of an ARN (for tags), if it is one here."""
        return self.import_jobs.get(arn) or self.imported_models.get(arn)

    # -- helpers -------------------------------------------------------------------------

    def _model_name_taken(self, name: str) -> bool:
        # Only an import still running claims its model's name (a failed one creates none):
        # settled before every request, those are the unfinished jobs, not every job ever created.
        return self.imported_models.find(name) is not None or any(
            isinstance(job, ModelImportJob) and job.imported_model_name == name
            for job in self.unfinished_jobs()
        )

    def _kms_key_arn(self, key_id: str | None) -> str | None:
        """The key ARN of a key given by id, ARN or alias (aliases resolved through moto's KMS)."""
        if key_id is None:
            return None
        if key_id.startswith("arn:") and ":key/" in key_id:
            return key_id
        if "alias/" not in key_id:
            return f"arn:{self.partition}:kms:{self.region_name}:{self.account_id}:key/{key_id}"
        from moto.kms.models import kms_backends

        alias = key_id[key_id.index("alias/") :]
        kms = kms_backends[self.account_id][self.region_name]
        target = kms.get_key_id_from_alias(alias)
        if target is None:
            raise ValidationException(f"The KMS key alias {alias} does not exist")
        return kms.describe_key(target).arn
