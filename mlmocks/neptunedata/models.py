"""Neptune ML: state for one account and region, kept apart per cluster endpoint (the
families are in jobs.py, the request checks in checks.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.listing import Store, paginate

from . import SPEC
from .exceptions import (
    BadRequestException,
    InvalidParameterException,
    MissingParameterException,
    MLResourceNotFoundException,
)
from .jobs import (
    COMPLETED,
    DEFAULT_MAX_ITEMS,
    FAMILIES,
    ID_PATTERN,
    MAX_ID_LENGTH,
    Endpoint,
    NeptuneJob,
)


class Cluster:
    """The Neptune ML jobs and endpoints of one cluster endpoint, by family and id."""

    def __init__(self) -> None:
        self.jobs: dict[type[NeptuneJob], Store[NeptuneJob]] = {
            family: Store() for family in FAMILIES
        }

    def find(self, family: type[NeptuneJob], job_id: str) -> NeptuneJob:
        """The job a Get, Cancel or Delete names."""
        job = self.jobs[family].get(job_id)
        if job is None or job.deleted:
            raise MLResourceNotFoundException(
                "Invalid ID provided. Please check whether a resource with the given ID exists."
                f" (no {family.NOUN} {job_id!r} on this cluster)"
            )
        return job

    def source(self, family: type[NeptuneJob], params: Mapping[str, Any], field: str) -> None:
        """Check the job ``params[field]`` names, if any: one a new job builds on, which
        must exist here and have completed."""
        job_id = params.get(field)
        if job_id is None:
            return
        job = self.jobs[family].get(job_id)
        if job is None or job.deleted:
            raise BadRequestException(
                f"Provided {family.NOUN} doesn't exist. ({field}: {job_id!r})"
            )
        if not job.completed:
            raise BadRequestException(
                f"Provided {family.NOUN} has not completed. ({field}: {job_id!r} is {job.status})"
            )


class NeptuneDataBackend(ServiceBackend):
    # Neptune ML's jobs and endpoints are SageMaker resources, with SageMaker ARNs.
    ARN_SERVICE = "sagemaker"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.clusters: dict[str, Cluster] = {}

    def cluster(self, key: str) -> Cluster:
        if key not in self.clusters:
            self.clusters[key] = Cluster()
        return self.clusters[key]

    # -- the operations ---------------------------------------------------------------------

    def start(
        self, cluster: Cluster, family: type[NeptuneJob], params: dict[str, Any]
    ) -> NeptuneJob:
        """Start a job of ``family`` (Create an endpoint, or update one)."""
        if family is Endpoint and params.get("update"):
            return self._update_endpoint(cluster, params)
        job_id = self._new_id(cluster, family, params.get("id"))
        family.check_sources(self, cluster, params)
        job = family(self, cluster, job_id, params)
        cluster.jobs[family].add(job_id, job)
        self.track_job(job)
        return job

    def get(self, cluster: Cluster, family: type[NeptuneJob], job_id: str) -> dict[str, Any]:
        job = cluster.find(family, job_id)
        job.observe()
        return cluster.find(family, job_id).detail()  # an endpoint may be gone by now

    def list_ids(
        self, cluster: Cluster, family: type[NeptuneJob], max_items: int | None
    ) -> list[str]:
        """Ids of the cluster's jobs of ``family``, most recent first."""
        page = paginate(
            cluster.jobs[family],
            sort_name="CreationTime",
            sort_key=lambda job: job.creation_time,
            descending=True,
            max_results=max_items or DEFAULT_MAX_ITEMS,
        )
        return [job.id for job in page.items]

    def stop(self, cluster: Cluster, family: type[NeptuneJob], job_id: str) -> str:
        """Cancel a job or delete an endpoint; the status it enters."""
        job = cluster.find(family, job_id)
        status = job.stop()
        self.track_job(job)
        return status

    # -- helpers ------------------------------------------------------------------------------

    def forget(self, job: NeptuneJob) -> None:
        """A deleted endpoint: gone from its cluster and from job control."""
        job.cluster.jobs[type(job)].remove(job.id)
        job.retired = True

    def _new_id(self, cluster: Cluster, family: type[NeptuneJob], job_id: str | None) -> str:
        if job_id is None:
            return Endpoint.new_id() if family is Endpoint else str(uuid.uuid4())
        if not 1 <= len(job_id) <= MAX_ID_LENGTH:
            raise InvalidParameterException(
                f"Invalid ID provided. ID can be 1-{MAX_ID_LENGTH} alphanumeric characters. (id: {job_id!r})"
            )
        if not ID_PATTERN.fullmatch(job_id):
            raise InvalidParameterException(
                f"Invalid ID provided. Must contain only letters, digits, or hyphens. (id: {job_id!r})"
            )
        existing = cluster.jobs[family].get(job_id)
        if existing is not None and not existing.deleted:
            raise InvalidParameterException(
                f"Another resource with same ID already exists. Please use a new ID. (id: {job_id!r})"
            )
        return job_id

    def _update_endpoint(self, cluster: Cluster, params: dict[str, Any]) -> NeptuneJob:
        if params.get("id") is None:
            raise MissingParameterException("id is required to update an ML endpoint.")
        endpoint = cluster.find(Endpoint, params["id"])
        assert isinstance(endpoint, Endpoint)
        Endpoint.check_sources(self, cluster, params)
        endpoint.update(params)
        self.track_job(endpoint)
        return endpoint

    def check_sagemaker_training_job(self, name: str) -> None:
        """A transform from a SageMaker training job (mlmocks' SageMaker's, found through
        the registry, since a service never imports another), and completed."""
        from mlmocks.core.registry import specs

        sagemaker = specs()["sagemaker"].backends()[self.account_id][self.region_name]
        # Under the SageMaker backend's own lock: its job moves when its status is read.
        with sagemaker.lock:
            status = sagemaker.training_job_status(name)
        if status is None:
            raise BadRequestException(
                f"Unable to find SageMaker AI resource. Please check your input. (trainingJobName: {name!r})"
            )
        if status != COMPLETED:
            raise BadRequestException(
                "Provided SageMaker AI Training job has not completed."
                f" (trainingJobName: {name!r} is {status})"
            )


neptunedata_backends = SPEC.backend_dict(NeptuneDataBackend)
