"""Projects (CreateProject, DescribeProject, ListProjects, DeleteProject). A project
holds its train and test datasets, its model versions and its model packaging jobs; the
backend of every other family builds on ``ProjectsBackend``, which finds a project."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import now
from mlmocks.core.listing import Page, Store, paginate

from .exceptions import ConflictException, ResourceNotFoundException

if TYPE_CHECKING:
    from .datasets import Dataset
    from .model_versions import Model
    from .packaging_jobs import PackagingJob

#: Page size of a List call without MaxResults.
DEFAULT_MAX_RESULTS = 100


class Project:
    def __init__(self, project_name: str, project_arn: str) -> None:
        self.project_name = project_name
        self.project_arn = project_arn
        self.creation_time = now()
        self.datasets: dict[str, Dataset] = {}  # by dataset type
        self.models: Store[Model] = Store()  # by version
        self.last_version = 0
        self.packaging_jobs: Store[PackagingJob] = Store()  # by job name

    def summary(self) -> dict[str, Any]:
        return {
            "ProjectArn": self.project_arn,
            "ProjectName": self.project_name,
            "CreationTimestamp": self.creation_time,
        }

    def summary_at_creation(self) -> dict[str, Any]:
        """What CreateProject answers: a project is complete as soon as it is created."""
        return self.summary()

    def detail(self) -> dict[str, Any]:
        """What DescribeProject answers."""
        datasets = [
            self.datasets[kind].summary() for kind in ("train", "test") if kind in self.datasets
        ]
        return {**self.summary(), "Datasets": datasets}


class ProjectsBackend(ServiceBackend):
    ARN_SERVICE = "lookoutvision"

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.projects: Store[Project] = Store()  # by name

    def project(self, project_name: str) -> Project:
        """The project (jobs are settled before the request: a deleted dataset or model
        is gone, completed updates are applied)."""
        project = self.projects.get(project_name)
        if project is None:
            raise ResourceNotFoundException(
                f"The project {project_name} does not exist", project_name, "PROJECT"
            )
        return project

    def create_project(self, *, project_name: str) -> Project:
        if project_name in self.projects:
            raise ConflictException(
                f"A project named {project_name} already exists", project_name, "PROJECT"
            )
        project = Project(project_name, self.arn(f"project/{project_name}"))
        self.projects.add(project_name, project)
        return project

    def describe_project(self, *, project_name: str) -> Project:
        return self.project(project_name)

    def list_projects(
        self, *, next_token: str | None = None, max_results: int | None = None
    ) -> Page[Project]:
        return paginate(
            self.projects,
            sort_name="CreationTimestamp",
            sort_key=lambda project: project.creation_time,
            max_results=max_results or DEFAULT_MAX_RESULTS,
            next_token=next_token,
        )

    def delete_project(self, *, project_name: str) -> str:
        """Delete an empty project; returns its ARN."""
        project = self.project(project_name)
        if project.datasets or len(project.models):
            raise ConflictException(
                f"The project {project_name} still has datasets or models; delete them first",
                project_name,
                "PROJECT",
            )
        self.projects.remove(project_name)
        for job in project.packaging_jobs:
            job.retired = True
        return project.project_arn
