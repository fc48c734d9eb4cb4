"""Clean Rooms ML keeps the service contract (mlmocks/core/__init__.py): every operation's
backend method bears its name and takes the operation's members by their boto3 names,
with the membership or collaboration the call names already resolved; no ``**params``."""

from __future__ import annotations

import inspect

import pytest
from botocore import xform_name

from mlmocks.cleanroomsml.models import CleanRoomsMLBackend
from mlmocks.cleanroomsml.responses import CleanRoomsMLResponse
from mlmocks.core.spec import operation_model

#: Members ``check`` resolves, and the argument the backend takes the resolved one as.
RESOLVED = {"membershipIdentifier": "membership", "collaborationIdentifier": "collaboration"}
TAG_OPERATIONS = {"TagResource", "UntagResource", "ListTagsForResource"}
OPERATIONS = sorted(CleanRoomsMLResponse.implemented_operations() - TAG_OPERATIONS)


def test_the_operations_are_the_custom_model_and_lookalike_ones() -> None:
    # 25 of the custom-model side, 22 of the lookalike (audience) side, 6 of ML input
    # channels and 3 of ML configuration.
    assert len(OPERATIONS) == 25 + 22 + 6 + 3
    assert {"CreateTrainedModel", "CreateAudienceModel", "CreateMLInputChannel", "PutMLConfiguration"} <= set(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_backend_method_takes_the_members_by_their_boto3_names(operation: str) -> None:
    method = getattr(CleanRoomsMLBackend, xform_name(operation))
    parameters = list(inspect.signature(method).parameters.values())[1:]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters), "no *args or **params"
    members = operation_model("cleanroomsml", operation).input_shape.members
    expected = {RESOLVED.get(name) or xform_name(name) for name in members}
    # One backend method serves a membership's and a collaboration's listing alike.
    taken = {p.name for p in parameters} - ({"membership", "collaboration"} - expected)
    assert expected <= taken
    # Members a later botocore adds (the payer accounts) are optional to an earlier one's.
    assert all(p.default is None for p in parameters if p.name in taken - expected)
