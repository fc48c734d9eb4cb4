"""Clean Rooms ML's backend: one per account and region, composed of its families.

Configured model algorithms belong to one account and region (``algorithms``);
everything else belongs to a collaboration, which its members' accounts share
(``collaborations``): associations (``algorithms``), trained models and their export
jobs (``trained_models``), inference jobs (``inference_jobs``), ML input channels
(``input_channels``), ML configurations (``ml_configurations``). The lookalike side is an
account's (``training_datasets``, ``audience_models``, ``configured_audience_models``,
``audience_jobs``). Tags span the families.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.core.resource_tagging import TaggableResourcesMixin, TaggedResource

from mlmocks.core.listing import Store
from mlmocks.core.tags import Tagged, TaggingBackend

from . import SPEC
from .algorithms import AlgorithmsBackend
from .audience_jobs import AudienceJobsBackend
from .collaborations import ARN, Membership, created_in, version_key
from .common import TAG_RULES
from .exceptions import AccessDeniedException, ResourceNotFoundException
from .inference_jobs import InferenceJobsBackend
from .input_channels import InputChannelsBackend
from .ml_configurations import MLConfigurationsBackend
from .trained_models import TrainedModelsBackend


class CleanRoomsMLBackend(
    AlgorithmsBackend,
    TrainedModelsBackend,
    InferenceJobsBackend,
    InputChannelsBackend,
    MLConfigurationsBackend,
    AudienceJobsBackend,
    TaggingBackend,
    TaggableResourcesMixin,
):
    TAG_RULES = TAG_RULES
    #: moto's Resource Groups Tagging API lists every taggable resource of an account.
    SERVICE_NAMESPACE = "cleanrooms-ml"

    def iter_tagged_resources(self) -> Iterator[TaggedResource]:
        # A snapshot: moto keeps this iterator between pages, so it must not hold the lock.
        with self.lock:
            found = []
            own = (("configured-model-algorithm", self.algorithms), *self.lookalike_stores())
            for kind, store in own:
                found += [_tagged(arn, resource, kind) for arn, resource in store.items()]
            for membership in list(self.directory.memberships.values()):
                if membership.account_id != self.account_id:
                    continue
                collaboration = membership.collaboration
                made: tuple[tuple[str, Store[Any]], ...] = (
                    ("configured-model-algorithm-association", collaboration.associations),
                    ("trained-model-inference-job", collaboration.inference_jobs),
                    ("ml-input-channel", collaboration.input_channels),
                )
                for kind, store in made:
                    found += [_tagged(arn, r, kind) for arn, r in store.items() if r.membership is membership]
                # A trained model's versions share its ARN and tags: its base version's key is "<arn>#".
                found += [
                    _tagged(key[:-1], model, "trained-model")
                    for key, model in collaboration.trained_models.items()
                    if key.endswith("#") and model.membership is membership
                ]
        return iter(found)

    def taggable(self, arn: str) -> Tagged:
        match = ARN.fullmatch(arn)
        if match is None:
            raise ResourceNotFoundException(f"Resource {arn} not found")
        if match["account"] != self.account_id:
            raise AccessDeniedException(f"Resource {arn} does not belong to account {self.account_id}")
        algorithm = self.algorithms.get(arn) if match["region"] == self.region_name else None
        if algorithm is not None:
            return algorithm
        lookalike = self.lookalike_taggable(arn) if match["region"] == self.region_name else None
        if lookalike is not None:
            return lookalike
        in_membership = self.made_in_membership(arn)
        if in_membership is not None:
            return _taggable_in(*in_membership, arn)
        raise ResourceNotFoundException(f"Resource {arn} not found")


def _tagged(arn: str, resource: Any, kind: str) -> TaggedResource:
    return TaggedResource(arn, dict(resource.tags), f"cleanrooms-ml:{kind}")


def _taggable_in(membership: Membership, resource_type: str, arn: str) -> Tagged:
    collaboration = membership.collaboration
    what = f"Resource {arn}"
    if resource_type == "configured-model-algorithm-association":
        return created_in(membership, collaboration.associations.get(arn), what)
    if resource_type == "trained-model":
        return created_in(membership, collaboration.trained_models.get(version_key(arn, None)), what)
    if resource_type == "trained-model-inference-job":
        return created_in(membership, collaboration.inference_jobs.get(arn), what)
    if resource_type == "ml-input-channel":
        return created_in(membership, collaboration.input_channels.get(arn), what)
    raise ResourceNotFoundException(f"Resource {arn} not found")


cleanroomsml_backends = SPEC.backend_dict(CleanRoomsMLBackend)
