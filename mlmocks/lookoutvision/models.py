"""Lookout for Vision for one account and region: the backend, composed of the service's
families, each in its own module (the module is named after the operations):

- ``projects``: CreateProject, DescribeProject, ListProjects, DeleteProject;
- ``datasets``: CreateDataset, DescribeDataset, DeleteDataset, UpdateDatasetEntries,
  ListDatasetEntries (entries read by ``manifests``);
- ``model_versions``: CreateModel, DescribeModel, ListModels, DeleteModel, StartModel,
  StopModel, DetectAnomalies (images read by ``images``), and the tags of models;
- ``packaging_jobs``: StartModelPackagingJob, DescribeModelPackagingJob,
  ListModelPackagingJobs.
"""

from __future__ import annotations

from . import SPEC
from .datasets import DatasetsBackend
from .packaging_jobs import PackagingJobsBackend


class LookoutVisionBackend(PackagingJobsBackend, DatasetsBackend):
    """Projects, their datasets, model versions and model packaging jobs."""


lookoutvision_backends = SPEC.backend_dict(LookoutVisionBackend)
