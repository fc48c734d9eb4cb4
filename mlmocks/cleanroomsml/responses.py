"""Clean Rooms ML custom-model operations.

A call names where it acts: the caller's membership (``membershipIdentifier``) or a
collaboration the caller is a member of (``collaborationIdentifier``). ``check`` resolves
it once, before the handler runs, and every backend method takes the resolved one
(``membership`` or ``collaboration``) with the call's other arguments by their boto3
names. Each operation is then one of four verbs, and the table at the end of the class
says which; the backend method bears the operation's name (``create_trained_model``).
"""

from __future__ import annotations

from functools import cache, partialmethod
from typing import Any

from botocore import xform_name

from mlmocks.core.jobs import Job
from mlmocks.core.responses import ServiceResponse
from mlmocks.core.spec import operation_model
from mlmocks.core.tags import TagOperations

from .collaborations import Collaboration, Membership
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

    def __init__(self) -> None:
        super().__init__()
        #: Where the call acts, resolved by ``check``: the backend method's ``membership``
        #: or ``collaboration`` argument.
        self.scope: dict[str, Membership | Collaboration] = {}

    def check(self, operation: str) -> None:
        # The membership or collaboration a call names must exist and include the caller.
        membership = self.params.get("membershipIdentifier")
        collaboration = self.params.get("collaborationIdentifier")
        if membership is None and collaboration is None:
            return
        unknown = ResourceNotFoundException if _names_missing_resources(operation) else AccessDeniedException
        backend = self.backend
        with backend.lock:
            if membership is not None:
                self.scope["membership"] = backend.membership(membership, unknown)
            if collaboration is not None:
                self.scope["collaboration"] = backend.collaboration(collaboration, unknown)

    def _call(
        self, membership_identifier: str | None = None, collaboration_identifier: str | None = None, **params: Any
    ) -> Any:
        """The operation's backend method, called in the resolved scope."""
        method = getattr(self.backend, xform_name(self.operation_name))
        return method(**self.scope, **params)

    # -- the four verbs ----------------------------------------------------------------------

    def _create(self, output: dict[str, str], **params: Any) -> dict[str, Any]:
        """Create or start a resource: ``output`` maps the output's members to the
        resource's attributes."""
        made = self._call(**params)
        return {member: getattr(made, attribute) for member, attribute in output.items()}

    def _get(self, view: str, **params: Any) -> dict[str, Any]:
        """One resource, through its ``view``; a Get of a job is a client's look at it."""
        found = self._call(**params)
        if isinstance(found, Job):
            found.observe()
        rendered: dict[str, Any] = getattr(found, view)()
        return rendered

    def _list(self, member: str, view: str, **params: Any) -> dict[str, Any]:
        """A page of resources, each through its ``view``, under the output's ``member``."""
        page = self._call(**params)
        return {member: [getattr(item, view)() for item in page.items], "nextToken": page.next_token}

    def _act(self, **params: Any) -> dict[str, Any]:
        """Delete or cancel: the output is empty."""
        self._call(**params)
        return {}

    # -- which operation is which ------------------------------------------------------------

    # configured model algorithms (algorithms.py)
    create_configured_model_algorithm = partialmethod(_create, {"configuredModelAlgorithmArn": "arn"})
    get_configured_model_algorithm = partialmethod(_get, "detail")
    list_configured_model_algorithms = partialmethod(_list, "configuredModelAlgorithms", "summary")
    delete_configured_model_algorithm = partialmethod(_act)
    # their associations with a collaboration (algorithms.py)
    create_configured_model_algorithm_association = partialmethod(
        _create, {"configuredModelAlgorithmAssociationArn": "arn"}
    )
    get_configured_model_algorithm_association = partialmethod(_get, "detail")
    list_configured_model_algorithm_associations = partialmethod(
        _list, "configuredModelAlgorithmAssociations", "summary"
    )
    delete_configured_model_algorithm_association = partialmethod(_act)
    get_collaboration_configured_model_algorithm_association = partialmethod(_get, "collaboration_detail")
    list_collaboration_configured_model_algorithm_associations = partialmethod(
        _list, "collaborationConfiguredModelAlgorithmAssociations", "collaboration_summary"
    )
    # trained models (trained_models.py)
    create_trained_model = partialmethod(
        _create, {"trainedModelArn": "arn", "versionIdentifier": "version_identifier"}
    )
    get_trained_model = partialmethod(_get, "detail")
    list_trained_models = partialmethod(_list, "trainedModels", "summary")
    list_trained_model_versions = partialmethod(_list, "trainedModels", "summary")
    cancel_trained_model = partialmethod(_act)
    delete_trained_model_output = partialmethod(_act)
    get_collaboration_trained_model = partialmethod(_get, "collaboration_detail")
    list_collaboration_trained_models = partialmethod(
        _list, "collaborationTrainedModels", "collaboration_summary"
    )
    # trained model export jobs (trained_models.py)
    start_trained_model_export_job = partialmethod(_create, {})
    list_collaboration_trained_model_export_jobs = partialmethod(
        _list, "collaborationTrainedModelExportJobs", "collaboration_summary"
    )
    # trained model inference jobs (inference_jobs.py)
    start_trained_model_inference_job = partialmethod(_create, {"trainedModelInferenceJobArn": "arn"})
    get_trained_model_inference_job = partialmethod(_get, "detail")
    list_trained_model_inference_jobs = partialmethod(_list, "trainedModelInferenceJobs", "summary")
    list_collaboration_trained_model_inference_jobs = partialmethod(
        _list, "collaborationTrainedModelInferenceJobs", "collaboration_summary"
    )
    cancel_trained_model_inference_job = partialmethod(_act)
    # training datasets (training_datasets.py)
    create_training_dataset = partialmethod(_create, {"trainingDatasetArn": "arn"})
    get_training_dataset = partialmethod(_get, "detail")
    list_training_datasets = partialmethod(_list, "trainingDatasets", "summary")
    delete_training_dataset = partialmethod(_act)
    # audience models (audience_models.py)
    create_audience_model = partialmethod(_create, {"audienceModelArn": "arn"})
    get_audience_model = partialmethod(_get, "detail")
    list_audience_models = partialmethod(_list, "audienceModels", "summary")
    delete_audience_model = partialmethod(_act)
    # configured audience models and their policies (configured_audience_models.py)
    create_configured_audience_model = partialmethod(_create, {"configuredAudienceModelArn": "arn"})
    get_configured_audience_model = partialmethod(_get, "detail")
    list_configured_audience_models = partialmethod(_list, "configuredAudienceModels", "summary")
    update_configured_audience_model = partialmethod(_create, {"configuredAudienceModelArn": "arn"})
    delete_configured_audience_model = partialmethod(_act)
    put_configured_audience_model_policy = partialmethod(
        _create, {"configuredAudienceModelPolicy": "policy", "policyHash": "policy_hash"}
    )
    get_configured_audience_model_policy = partialmethod(_get, "policy_detail")
    delete_configured_audience_model_policy = partialmethod(_act)
    # audience generation and export jobs (audience_jobs.py)
    start_audience_generation_job = partialmethod(_create, {"audienceGenerationJobArn": "arn"})
    list_audience_generation_jobs = partialmethod(_list, "audienceGenerationJobs", "summary")
    delete_audience_generation_job = partialmethod(_act)
    start_audience_export_job = partialmethod(_create, {})
    list_audience_export_jobs = partialmethod(_list, "audienceExportJobs", "summary")

    def get_audience_generation_job(self, audience_generation_job_arn: str) -> dict[str, Any]:
        """What the caller's account sees of the job (its starter, or the configured
        audience model's owner): a client's look at it."""
        job = self.backend.get_audience_generation_job(audience_generation_job_arn=audience_generation_job_arn)
        job.observe()
        return job.detail_for(self.backend.account_id)

    # ML input channels (input_channels.py)
    create_ml_input_channel = partialmethod(_create, {"mlInputChannelArn": "arn"})
    get_ml_input_channel = partialmethod(_get, "detail")
    list_ml_input_channels = partialmethod(_list, "mlInputChannelsList", "summary")
    get_collaboration_ml_input_channel = partialmethod(_get, "collaboration_detail")
    list_collaboration_ml_input_channels = partialmethod(
        _list, "collaborationMLInputChannelsList", "collaboration_summary"
    )
    delete_ml_input_channel_data = partialmethod(_act)
    # ML configuration of a membership (ml_configurations.py)
    put_ml_configuration = partialmethod(_act)
    get_ml_configuration = partialmethod(_get, "detail")
    delete_ml_configuration = partialmethod(_act)
    # tags: TagOperations


RESPONSE_CLASS = CleanRoomsMLResponse
