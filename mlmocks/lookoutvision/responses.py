"""Lookout for Vision's 22 operations. Each is one of four verbs applied to the backend
method named like it (which takes the operation's members, as boto3 names them): the
table at the end of the class says which operation is which verb, and which member of
its output carries the answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partialmethod
from typing import Any

from mlmocks.core.errors import ServiceError
from mlmocks.core.responses import ServiceResponse
from mlmocks.core.tags import TagOperations

from .exceptions import ConflictException, ValidationException
from .models import LookoutVisionBackend, lookoutvision_backends

Backend = LookoutVisionBackend


class LookoutVisionResponse(TagOperations, ServiceResponse[LookoutVisionBackend]):
    TAG_MEMBERS = ("Key", "Value")
    TAGS_MEMBER = "Tags"
    SERVICE = "lookoutvision"
    BACKENDS = lookoutvision_backends
    VALIDATION_ERROR = ValidationException

    # Ten operations take a ClientToken: the same token and parameters get the first
    # answer again (the service remembers a token for 8 hours); SDKs send a fresh token
    # when the caller gives none.
    CLIENT_TOKEN_LIFETIME = timedelta(hours=8)

    def token_conflict(self, operation: str, member: str, token: str, arguments: dict[str, Any]) -> ServiceError:
        # The service says only that an error occurs; a conflict names its project.
        return ConflictException(
            f"The ClientToken {token} was used for a {operation} request with other parameters",
            arguments["project_name"],
            "PROJECT",
        )

    # -- the four verbs ----------------------------------------------------------------------

    def _create(self, create: Callable[..., Any], output: str, /, **arguments: Any) -> dict[str, Any]:
        """Create a resource: it as the call created it."""
        return {output: create(self.backend, **arguments).summary_at_creation()}

    def _describe(self, describe: Callable[..., Any], output: str, /, **arguments: Any) -> dict[str, Any]:
        """Describe a resource: it after this look (a job's status moves on)."""
        return {output: describe(self.backend, **arguments).detail()}

    def _list(self, list_: Callable[..., Any], output: str, /, **arguments: Any) -> dict[str, Any]:
        """A page of resources: their summaries, and the token of the next page."""
        page = list_(self.backend, **arguments)
        return {output: [item.summary() for item in page.items], "NextToken": page.next_token}

    def _act(self, act: Callable[..., Any], output: str | None = None, /, **arguments: Any) -> dict[str, Any]:
        """Any other operation (delete, start, stop, update, detect): what the backend
        answers, as the one member of the output (an empty output without ``output``)."""
        answer = act(self.backend, **arguments)
        return {} if output is None else {output: answer}

    # -- which operation is which ------------------------------------------------------------

    # projects
    create_project = partialmethod(_create, Backend.create_project, "ProjectMetadata")
    describe_project = partialmethod(_describe, Backend.describe_project, "ProjectDescription")
    list_projects = partialmethod(_list, Backend.list_projects, "Projects")
    delete_project = partialmethod(_act, Backend.delete_project, "ProjectArn")
    # datasets and their entries
    create_dataset = partialmethod(_create, Backend.create_dataset, "DatasetMetadata")
    describe_dataset = partialmethod(_describe, Backend.describe_dataset, "DatasetDescription")
    update_dataset_entries = partialmethod(_act, Backend.update_dataset_entries, "Status")
    list_dataset_entries = partialmethod(_list, Backend.list_dataset_entries, "DatasetEntries")
    delete_dataset = partialmethod(_act, Backend.delete_dataset)
    # model versions: training, hosting, anomaly detection
    create_model = partialmethod(_create, Backend.create_model, "ModelMetadata")
    describe_model = partialmethod(_describe, Backend.describe_model, "ModelDescription")
    list_models = partialmethod(_list, Backend.list_models, "Models")
    delete_model = partialmethod(_act, Backend.delete_model, "ModelArn")
    start_model = partialmethod(_act, Backend.start_model, "Status")
    stop_model = partialmethod(_act, Backend.stop_model, "Status")
    detect_anomalies = partialmethod(_act, Backend.detect_anomalies, "DetectAnomalyResult")
    # model packaging jobs
    start_model_packaging_job = partialmethod(_act, Backend.start_model_packaging_job, "JobName")
    describe_model_packaging_job = partialmethod(
        _describe, Backend.describe_model_packaging_job, "ModelPackagingDescription"
    )
    list_model_packaging_jobs = partialmethod(_list, Backend.list_model_packaging_jobs, "ModelPackagingJobs")
    # tags, of models (TagOperations): tag_resource, untag_resource, list_tags_for_resource


RESPONSE_CLASS = LookoutVisionResponse
