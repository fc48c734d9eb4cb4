"""Audience generation jobs (a lookalike segment of a configured audience model's
training data, from a seed audience) and the export jobs that write one of its sizes out.

The seed data provider starts a generation job in its own account, with its own or,
through a collaboration both accounts are members of, another member's configured
audience model. The job is the starter's (its ARN, tags, deletion and export jobs);
the configured audience model's owner sees it too (Get, and List by its configured
audience model), but never its seed audience. A job starts with the configured audience
model's output configuration, audience sizes and metrics sharing as they are then:
later updates of the configured audience model change only jobs started after them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.moto_compat import mock_random
from mlmocks.core.tags import Tagged

from .audience_models import DELETED, DeletedWhenDone, created_then_deleted
from .collaborations import Collaboration
from .common import TAG_RULES, found, page, present, status_details
from .configured_audience_models import (
    AudienceDirectory,
    ConfiguredAudienceModel,
    ConfiguredAudienceModelsBackend,
)
from .exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from .training_datasets import resource_id

GENERATION_JOB = created_then_deleted("cleanroomsml::audience-generation-job")
EXPORT_JOB = Lifecycle(
    kind="cleanroomsml::audience-export-job",
    happy_path=("CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"),
    failed="CREATE_FAILED",
)


def _fraction(*parts: str) -> float:
    """A number in [0, 1) that the same parts always give (the mock's metrics)."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


class AudienceGenerationJob(DeletedWhenDone):
    LIFECYCLE = GENERATION_JOB
    WHAT = "Audience generation job"

    def __init__(
        self,
        arn: str,
        account_id: str,
        configured: ConfiguredAudienceModel,
        collaboration: Collaboration | None,
        stores: tuple[Store[AudienceGenerationJob], Store[AudienceExportJob], AudienceDirectory],
        tags: dict[str, str],
        *,
        name: str,
        seed_audience: dict[str, Any],
        include_seed_in_output: bool | None,
        description: str | None,
    ) -> None:
        self.arn = arn
        self.account_id = account_id
        self.configured = configured
        self.collaboration_id = None if collaboration is None else collaboration.collaboration_id
        self.stores = stores
        self.tags = tags
        self.name = name
        self.seed_audience = seed_audience
        self.include_seed_in_output = bool(include_seed_in_output)
        self.description = description
        # What the configured audience model says as the job starts.
        self.audience_size_config = configured.audience_size_config
        self.shares_metrics = configured.shared_audience_metrics == ["ALL"]
        self.destination = configured.output_config["destination"]["s3Destination"]["s3Uri"]
        self.metrics: dict[str, Any] | None = None
        self.protected_query_identifier: str | None = None
        self.export_jobs: list[AudienceExportJob] = []
        super().__init__()

    @property
    def owner_account_id(self) -> str:
        """The account of the configured audience model (the training data provider)."""
        return self.configured.account_id

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "CREATE_IN_PROGRESS" and "sqlParameters" in self.seed_audience:
            self.protected_query_identifier = str(mock_random.uuid4())
        elif status == "ACTIVE":
            self.metrics = self._metrics()
        super().on_enter(status, at)

    def _metrics(self) -> dict[str, Any]:
        # Relevance falls as the audience grows; both scores are the same for the same job.
        base = 5 + 5 * _fraction(self.arn, "relevance")
        config = self.audience_size_config
        sizes = sorted(config["audienceSizeBins"]) if config else []
        relevance = [
            {
                "audienceSize": {"type": config["audienceSizeType"], "value": size},
                "score": round(base * 0.9**index, 4),
            }
            for index, size in enumerate(sizes)
            if config is not None
        ]
        return {"relevanceMetrics": relevance, "recallMetric": round(0.2 + 0.6 * _fraction(self.arn, "recall"), 4)}

    def forget(self) -> None:
        jobs, export_jobs, directory = self.stores
        jobs.remove(self.arn)
        self.configured.generation_jobs.remove(self.arn)
        directory.generation_jobs.pop(self.arn, None)
        # Deleting a generation job removes everything made of it.
        for export in self.export_jobs:
            export_jobs.remove(export.key)
            export.retired = True

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            audienceGenerationJobArn=self.arn,
            name=self.name,
            description=self.description,
            status=status,
            configuredAudienceModelArn=self.configured.arn,
            collaborationId=self.collaboration_id,
            startedBy=self.account_id,
        )

    def detail_for(self, viewer: str) -> dict[str, Any]:
        """What account ``viewer`` sees: the starter its seed audience and tags, the
        configured audience model's owner its metrics, the starter them too where the
        configured audience model shares them."""
        view = self.summary()
        starter = viewer == self.account_id
        sees_metrics = viewer == self.owner_account_id or self.shares_metrics
        return present(
            **view,
            statusDetails=status_details(self),
            seedAudience=self.seed_audience if starter else None,
            includeSeedInOutput=self.include_seed_in_output,
            metrics=self.metrics if sees_metrics else None,
            tags=self.tags if starter else None,
            protectedQueryIdentifier=self.protected_query_identifier,
        )


class AudienceExportJob(Job):
    LIFECYCLE = EXPORT_JOB

    def __init__(
        self, generation_job: AudienceGenerationJob, name: str, audience_size: dict[str, Any], description: str | None
    ) -> None:
        self.generation_job = generation_job
        self.name = name
        self.audience_size = audience_size
        self.description = description
        self.output_location: str | None = None
        super().__init__()

    @property
    def key(self) -> str:
        return f"{self.generation_job.arn}/{self.name}"

    def identifiers(self) -> tuple[str, ...]:
        return (self.name,)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "ACTIVE":
            job_id = self.generation_job.arn.rsplit("/", 1)[-1]
            self.output_location = f"{self.generation_job.destination.rstrip('/')}/{job_id}/{self.name}/"

    def summary(self) -> dict[str, Any]:
        status = self.status  # first: looking moves the status (and updateTime) on
        return present(
            createTime=self.creation_time,
            updateTime=self.last_modified_time,
            name=self.name,
            audienceGenerationJobArn=self.generation_job.arn,
            audienceSize=self.audience_size,
            description=self.description,
            status=status,
            statusDetails=status_details(self),
            outputLocation=self.output_location,
        )


def _check_seed(seed: dict[str, Any], collaboration: Collaboration | None) -> None:
    source, sql = seed.get("dataSource"), seed.get("sqlParameters")
    if (source is None) == (sql is None):
        raise ValidationException("seedAudience needs exactly one of dataSource and sqlParameters")
    if sql is not None:
        if collaboration is None:
            raise ValidationException("A seed audience from sqlParameters needs the collaborationId the query runs in")
        if not sql.get("queryString") and not sql.get("analysisTemplateArn"):
            raise ValidationException("seedAudience.sqlParameters needs a queryString or an analysisTemplateArn")
    elif "sqlComputeConfiguration" in seed:
        raise ValidationException("seedAudience.sqlComputeConfiguration belongs to a seed audience from sqlParameters")


class AudienceJobsBackend(ConfiguredAudienceModelsBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.audience_generation_jobs: Store[AudienceGenerationJob] = Store()  # by ARN
        self.audience_export_jobs: Store[AudienceExportJob] = Store()  # by generation job ARN and name

    # -- audience generation jobs ---------------------------------------------------------------

    def start_audience_generation_job(
        self,
        name: str,
        configured_audience_model_arn: str,
        seed_audience: dict[str, Any],
        include_seed_in_output: bool | None = None,
        collaboration_id: str | None = None,
        description: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> AudienceGenerationJob:
        directory = self.audience_directory
        configured = found(
            directory.configured_models.get(configured_audience_model_arn),
            f"Configured audience model {configured_audience_model_arn} not found",
        )
        collaboration = None if collaboration_id is None else self.collaboration(collaboration_id, ResourceNotFoundException)
        if configured.account_id != self.account_id:
            # Another member's configured audience model, used through a collaboration.
            if collaboration is None:
                raise AccessDeniedException(
                    f"Configured audience model {configured.arn} belongs to account {configured.account_id}: "
                    "name the collaboration (collaborationId) it is used in"
                )
            if not collaboration.has_member(configured.account_id):
                raise AccessDeniedException(
                    f"The owner of configured audience model {configured.arn} is not a member of collaboration "
                    f"{collaboration.collaboration_id}"
                )
        _check_seed(seed_audience, collaboration)
        if configured.child_resource_tag_on_create_policy == "FROM_PARENT_RESOURCE":
            new_tags = TAG_RULES.checked({**configured.tags, **(tags or {})})
        else:
            new_tags = TAG_RULES.checked(tags)
        if any(other.name == name for other in self.audience_generation_jobs):
            raise ConflictException(f"An audience generation job named {name} already exists")
        arn = self.arn(f"audience-generation-job/{resource_id()}")
        job = AudienceGenerationJob(
            arn,
            self.account_id,
            configured,
            collaboration,
            (self.audience_generation_jobs, self.audience_export_jobs, directory),
            new_tags,
            name=name,
            seed_audience=seed_audience,
            include_seed_in_output=include_seed_in_output,
            description=description,
        )
        self.audience_generation_jobs.add(arn, job)
        configured.generation_jobs.add(arn, job)
        directory.generation_jobs[arn] = job
        self.track_job(job)
        return job

    def get_audience_generation_job(self, audience_generation_job_arn: str) -> AudienceGenerationJob:
        """A job this account started, or one started with its configured audience model."""
        job = self.audience_directory.generation_jobs.get(audience_generation_job_arn)
        if job is None or self.account_id not in (job.account_id, job.owner_account_id):
            raise ResourceNotFoundException(f"Audience generation job {audience_generation_job_arn} not found")
        return job

    def list_audience_generation_jobs(
        self,
        configured_audience_model_arn: str | None = None,
        collaboration_id: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[AudienceGenerationJob]:
        """The jobs this account started; with its own configured audience model, every
        job started with it, by any member."""
        if collaboration_id is not None:
            self.collaboration(collaboration_id, AccessDeniedException)
        own = (
            None
            if configured_audience_model_arn is None
            else self.configured_audience_models.get(configured_audience_model_arn)
        )
        store = self.audience_generation_jobs if own is None else own.generation_jobs

        def wanted(job: AudienceGenerationJob) -> bool:
            return (
                (configured_audience_model_arn is None or job.configured.arn == configured_audience_model_arn)
                and (collaboration_id is None or job.collaboration_id == collaboration_id)
                and job.status != DELETED
            )

        return page(store, wanted, max_results, next_token)

    def delete_audience_generation_job(self, audience_generation_job_arn: str) -> None:
        job = self.get_audience_generation_job(audience_generation_job_arn)
        if job.account_id != self.account_id:
            raise AccessDeniedException(
                f"Audience generation job {job.arn} was started by account {job.account_id}: only it can delete the job"
            )
        job.begin_deleting()
        self.track_job(job)

    # -- audience export jobs -------------------------------------------------------------------

    def start_audience_export_job(
        self,
        name: str,
        audience_generation_job_arn: str,
        audience_size: dict[str, Any],
        description: str | None = None,
    ) -> AudienceExportJob:
        # The seed data provider, who started the generation job, exports its audience.
        job = found(
            self.audience_generation_jobs.get(audience_generation_job_arn),
            f"Audience generation job {audience_generation_job_arn} not found",
        )
        if job.status != "ACTIVE":
            raise ValidationException(
                f"Only an ACTIVE audience generation job can be exported: {job.name} is {job.status}"
            )
        config = job.audience_size_config
        if config is None:
            raise ValidationException(
                f"Configured audience model {job.configured.arn} has no audienceSizeConfig: no audience size "
                "can be exported"
            )
        size_type, size = audience_size["type"], audience_size["value"]
        if size_type != config["audienceSizeType"] or size not in config["audienceSizeBins"]:
            allowed = ", ".join(map(str, config["audienceSizeBins"]))
            raise ValidationException(
                f"audienceSize {size_type} {size} is not one of the sizes of configured audience model "
                f"{job.configured.arn}: {config['audienceSizeType']} {allowed}"
            )
        key = f"{job.arn}/{name}"
        if key in self.audience_export_jobs:
            raise ConflictException(f"An audience export job named {name} already exists for {job.arn}")
        export = AudienceExportJob(job, name, audience_size, description)
        self.audience_export_jobs.add(key, export)
        job.export_jobs.append(export)
        self.track_job(export)
        return export

    def list_audience_export_jobs(
        self,
        audience_generation_job_arn: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[AudienceExportJob]:
        return page(
            self.audience_export_jobs,
            lambda export: audience_generation_job_arn is None
            or export.generation_job.arn == audience_generation_job_arn,
            max_results,
            next_token,
        )

    # -- tags -------------------------------------------------------------------------------------

    def lookalike_stores(self) -> tuple[tuple[str, Store[Any]], ...]:
        """The lookalike side's taggable resources of this account and region, by their
        ARN's resource type."""
        return (
            ("training-dataset", self.training_datasets),
            ("audience-model", self.audience_models),
            ("configured-audience-model", self.configured_audience_models),
            ("audience-generation-job", self.audience_generation_jobs),
        )

    def lookalike_taggable(self, arn: str) -> Tagged | None:
        """The training dataset, audience model, configured audience model or audience
        generation job of this account and region ``arn`` names, if any."""
        for _, store in self.lookalike_stores():
            resource: Tagged | None = store.get(arn)
            if resource is not None:
                return resource
        return None
