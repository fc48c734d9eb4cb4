"""Every private moto name mlmocks relies on, imported and exercised in one place.

A moto release that renames or reshapes one of them fails here, by name, rather than as
an import error deep in a service (see mlmocks/core/moto_compat.py).
"""

from __future__ import annotations

import json
import re

import boto3
import pytest
from moto.core.base_backend import BackendDict, BaseBackend

from mlmocks import mock_mljobs
from mlmocks.core import moto_compat
from mlmocks.core.spec import service_model


@pytest.mark.parametrize(
    ("owner", "method"),
    moto_compat.PRIVATE_METHODS,
    ids=[f"{owner.__name__}.{name}" for owner, name in moto_compat.PRIVATE_METHODS],
)
def test_each_overridden_private_method_still_exists(owner: type, method: str) -> None:
    assert callable(getattr(owner, method, None)), f"moto's {owner.__name__} has no {method}"


def test_rest_path_matching_finds_the_rule_and_labels() -> None:
    model = service_model("bedrock")
    router = moto_compat.get_router_class("bedrock", model.protocol)(model)
    assert isinstance(router, moto_compat.RestRouter)
    matcher = router._map.bind("bedrock.us-east-1.amazonaws.com")
    rule, arguments = moto_compat.match_path(matcher, "/model-import-jobs/job-1", "GET")
    assert isinstance(rule, moto_compat.SmithyRule)
    assert moto_compat.to_uri_params(arguments) == {"jobIdentifier": "job-1"}
    assert "<" in moto_compat.to_werkzeug_rule_string("/a/{b}")


def test_moto_url_paths_are_moto_services_own_handlers() -> None:
    paths = moto_compat.moto_url_paths("bedrock")
    assert paths and all(isinstance(pattern, re.Pattern) and callable(handler) for pattern, handler in paths)


def test_url_patterns_and_backend_lookup_are_hooked_into_moto() -> None:
    import moto.backend_index
    import moto.backends

    with mock_mljobs():
        keys = [key for key, _ in moto.backend_index.backend_url_patterns]
        assert keys[0].startswith("mlmocks_")
        backends = moto.backends.get_backend("mlmocks_bedrock")
        assert isinstance(backends, BackendDict)
        assert moto.backends.get_backend("s3") is not None  # moto's own still found


class _Probe(BaseBackend):
    pass


def test_backends_can_be_put_first_among_motos() -> None:
    probe: BackendDict[_Probe] = BackendDict(_Probe, "sts")
    moto_compat.put_backends_first(probe, lambda: BackendDict._create_account_specific_backend(probe, "123456789012"))
    instances = BackendDict._instances  # type: ignore[misc]
    try:
        assert instances[0] is probe
    finally:
        instances.remove(probe)


@mock_mljobs
def test_sagemaker_arn_lookup_tells_motos_resources_from_others() -> None:
    sagemaker = boto3.client("sagemaker", region_name="us-east-1")
    arn = sagemaker.create_model(
        ModelName="m",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/i:1"},
    )["ModelArn"]
    assert moto_compat.moto_holds_sagemaker_arn("123456789012", "us-east-1", arn)
    assert not moto_compat.moto_holds_sagemaker_arn("123456789012", "us-east-1", arn + "-nobody")


@mock_mljobs
def test_reset_moto_forgets_motos_and_our_state() -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="kept-until-reset")
    moto_compat.reset_moto()
    assert s3.list_buckets()["Buckets"] == []


def test_transitions_can_be_saved_and_put_back() -> None:
    from moto.moto_api import state_manager

    saved = moto_compat.transitions_set()
    state_manager.set_transition("example::compat", {"progression": "manual", "times": 2})
    try:
        assert moto_compat.transitions_set()["example::compat"] == {"progression": "manual", "times": 2}
        moto_compat.restore_transitions(saved)
        assert "example::compat" not in moto_compat.transitions_set()
        assert state_manager.get_transition("example::compat") == {"progression": "immediate"}
    finally:
        state_manager.unset_transition("example::compat")


def test_models_shown_on_motos_dashboard_data() -> None:
    from moto.core.model_instances import model_data, reset_model_data
    from moto.moto_api._internal.responses import MotoAPIResponse

    class Listed:
        def __init__(self) -> None:
            self.instances_tracked = [type("Item", (), {"name": "one", "status": "Done"})()]

    listed, clash = Listed(), Listed()
    try:
        assert moto_compat.show_on_dashboard("compatprobe", "Listed", listed) == "Listed"
        model_data["compatprobe"]["Taken"] = Listed()  # a model of moto's by that name
        assert moto_compat.show_on_dashboard("compatprobe", "Taken", clash) == "mlmocks Taken"
        status, _, body = MotoAPIResponse().model_data(None, "", {})
        assert status == 200
        assert json.loads(body)["compatprobe"]["Listed"] == [{"name": "one", "status": "Done"}]
        reset_model_data()  # moto's reset assigns each model's list
    finally:
        del model_data["compatprobe"]


def test_a_name_moto_uses_for_the_service_is_prefixed_whatever_the_import_order() -> None:
    from moto.core.model_instances import model_data

    kept = model_data["sagemaker"].get("mlmocks CompilationJob")
    try:
        assert moto_compat.show_on_dashboard("sagemaker", "CompilationJob", object()) == "mlmocks CompilationJob"
    finally:
        if kept is None:
            del model_data["sagemaker"]["mlmocks CompilationJob"]
        else:
            model_data["sagemaker"]["mlmocks CompilationJob"] = kept


def test_botocore_stubber_is_wrapped_once_and_answers_through_the_wrapper() -> None:
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.core.models import botocore_stubber

    from mlmocks.core.aio import AwaitableResponse

    with mock_mljobs():  # registers mlmocks, which wraps moto's stubber
        assert getattr(BotocoreStubber.__call__, "_mlmocks_wrapped", False)
        assert moto_compat.stubber_enabled(botocore_stubber)
        seen: list[AWSResponse] = []
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.meta.events.register("after-call", lambda http_response, **_: seen.append(http_response))
        s3.list_buckets()
        assert type(seen[0]) is AwaitableResponse  # moto's answer, through the wrapper
        wrapped = BotocoreStubber.__call__
        moto_compat.wrap_botocore_stubber(lambda call: call)  # a second wrap changes nothing
        assert BotocoreStubber.__call__ is wrapped
    assert not moto_compat.stubber_enabled(botocore_stubber)


def test_ids_come_from_motos_seeded_random_source() -> None:
    from mlmocks.core.backend import random_id
    from mlmocks.core.moto_compat import mock_random

    mock_random.seed(7)
    first = random_id()
    mock_random.seed(7)
    assert random_id() == first


def test_s3_objects_are_read_and_written_through_moto_s3() -> None:
    with mock_mljobs():
        s3 = boto3.client("s3", region_name="us-east-1")
        account = "123456789012"
        assert moto_compat.s3_objects(account, "aws", "no-such-bucket", "") is None
        assert moto_compat.s3_put_object(account, "aws", "no-such-bucket", "k", b"x") is False
        assert not moto_compat.s3_has_bucket(account, "aws", "no-such-bucket")
        s3.create_bucket(Bucket="compat-bucket")
        s3.put_object(Bucket="compat-bucket", Key="in/a.jsonl", Body=b"one")
        s3.put_object(Bucket="compat-bucket", Key="other", Body=b"two")
        assert moto_compat.s3_objects(account, "aws", "compat-bucket", "in/") == {"in/a.jsonl": b"one"}
        assert moto_compat.s3_put_object(account, "aws", "compat-bucket", "out/b", b"three") is True
        assert s3.get_object(Bucket="compat-bucket", Key="out/b")["Body"].read() == b"three"
