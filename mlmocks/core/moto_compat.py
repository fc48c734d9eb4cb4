"""The one module that reaches into moto's private internals.

mlmocks is a plugin for moto and leans on parts of moto that are not its public API:
routing helpers, the list of every BackendDict, the table of URL patterns, private
methods it overrides. Every such name is reached through here, and
``tests/core/test_moto_compat.py`` imports and exercises each one, so a moto release that
renames or reshapes one fails that test, named, instead of an import deep in a service.

The supported moto range is ``setup.cfg``'s (moto 5.2.5 is the first with
``moto.core.routing``); ``PRIVATE_METHODS`` lists the private methods mlmocks overrides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import moto.backend_index as _backend_index
import moto.backends as _moto_backends
from moto.core.base_backend import BackendDict, backend_lock
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.routing import (
    ActionCandidate,
    ProtocolRouter,
    RequiredArg,
    RestRouter,
    SmithyRule,
    _get_path_info_for_matching,
    _match_path,
    get_router_class,
    to_uri_params,
    to_werkzeug_rule_string,
)
from moto.core.serialize import (
    AttributePickerContext,
    BaseJSONSerializer,
    ResponseSerializer,
    XFormedAttributePicker,
    get_serializer_class,
)

# moto's seeded random source (``/moto-api/seed`` makes ids repeat), for mlmocks' ids.
from moto.moto_api._internal import mock_random

__all__ = [
    "PRIVATE_METHODS",
    "ActionCandidate",
    "AttributePickerContext",
    "BaseJSONSerializer",
    "ProtocolRouter",
    "RequiredArg",
    "ResponseSerializer",
    "RestRouter",
    "SmithyRule",
    "XFormedAttributePicker",
    "get_router_class",
    "get_serializer_class",
    "insert_url_patterns",
    "mock_random",
    "match_path",
    "moto_holds_sagemaker_arn",
    "moto_url_paths",
    "put_backends_first",
    "reset_moto",
    "restore_transitions",
    "s3_has_bucket",
    "s3_objects",
    "s3_put_object",
    "show_on_dashboard",
    "stubber_enabled",
    "transitions_set",
    "to_uri_params",
    "to_werkzeug_rule_string",
    "wrap_botocore_stubber",
    "wrap_get_backend",
]

#: ``BotocoreStubber.__call__(stubber, event_name, request, **kwargs)``: moto's in-process
#: answer to botocore, an ``AWSResponse`` (or None), from the ``before-send`` handler.
StubberCall = Callable[..., Any]

#: Private methods of moto's classes that mlmocks overrides (class, method name): the
#: routers' matching and rule building (core/responses.py), the serializers' walk
#: (core/serialization.py). The compat test checks each still exists.
PRIVATE_METHODS: tuple[tuple[type, str], ...] = (
    (RestRouter, "_match"),
    (RestRouter, "_create_rules"),
    (SmithyRule, "_initialize_candidates"),
    (ResponseSerializer, "_serialize"),
    (ResponseSerializer, "_serialize_type_structure"),
    (ResponseSerializer, "_serialize_type_timestamp"),
    (ResponseSerializer, "_default_serialize"),
    (BaseJSONSerializer, "_serialize_type_string"),
)


def match_path(matcher: Any, path: str, method: str) -> tuple[Any, Any]:
    """moto's REST path matching: the werkzeug rule and arguments of ``path``."""
    return _match_path(matcher, _get_path_info_for_matching(path), method)


def moto_url_paths(moto_service: str) -> list[tuple[re.Pattern[str], Callable[..., Any]]]:
    """moto's own path -> handler table of a service, in moto's matching order."""
    from moto.core import DEFAULT_ACCOUNT_ID

    safe_name = moto_service.replace("-", "")
    backends: Any = _moto_backends._import_backend(safe_name, f"{safe_name}_backends")
    backend = backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [(re.compile(path), handler) for path, handler in backend.url_paths.items()]


def put_backends_first(backends: BackendDict[Any], create: Callable[[], None]) -> None:
    """Run ``create`` (which makes an account's backend) and, if that was this
    BackendDict's first, put it first among moto's BackendDicts: moto's Resource Groups
    Tagging API asks them in that order, and the first to claim an ARN answers for it."""
    instances: list[Any] = BackendDict._instances  # type: ignore[misc]
    with backend_lock:
        new = backends not in instances
        create()
        if new and backends in instances:
            instances.remove(backends)
            instances.insert(0, backends)


def insert_url_patterns(patterns: list[tuple[str, re.Pattern[str]]]) -> None:
    """Put ``patterns`` (service key, URL regex) before moto's own, in place: moto's
    server keeps a reference to that very list."""
    _backend_index.backend_url_patterns[0:0] = patterns


def wrap_get_backend(own: Callable[[str], Any | None]) -> None:
    """Make ``moto.backends.get_backend`` ask ``own`` first (None: moto's own service)."""
    moto_get_backend = _moto_backends.get_backend

    def get_backend(name: Any) -> Any:
        found = own(name)
        return moto_get_backend(name) if found is None else found

    _moto_backends.get_backend = get_backend


def moto_holds_sagemaker_arn(account_id: str, region: str, arn: str) -> bool:
    """Whether moto's SageMaker backend holds a resource with this ARN."""
    from moto.sagemaker.models import sagemaker_backends

    try:
        return sagemaker_backends[account_id][region]._get_resource_from_arn(arn) is not None
    except Exception:  # noqa: BLE001 - whatever moto cannot read, it does not hold
        return False


def s3_objects(account_id: str, partition: str, bucket: str, prefix: str) -> dict[str, bytes] | None:
    """What moto's S3 (of ``account_id``) holds in ``bucket`` under ``prefix``, key ->
    bytes, in key order; None where moto's S3 has no such bucket."""
    from moto.s3.models import FakeKey, s3_backends

    found = s3_backends[account_id][partition].buckets.get(bucket)
    if found is None:
        return None
    # The latest version of each key (a delete marker hides its key).
    keys = [key for key in found.keys.values() if isinstance(key, FakeKey)]
    return {key.name: key.value for key in sorted(keys, key=lambda key: key.name) if key.name.startswith(prefix)}


def s3_has_bucket(account_id: str, partition: str, bucket: str) -> bool:
    """Whether moto's S3 (of ``account_id``) has ``bucket``."""
    from moto.s3.models import s3_backends

    return bucket in s3_backends[account_id][partition].buckets


def s3_put_object(account_id: str, partition: str, bucket: str, key: str, body: bytes) -> bool:
    """Write an object to moto's S3 (of ``account_id``), as a PutObject would; False
    where moto's S3 has no such bucket."""
    from moto.s3.models import s3_backends

    backend = s3_backends[account_id][partition]
    if not s3_has_bucket(account_id, partition, bucket):
        return False
    backend.put_object(bucket, key, body)
    return True


def reset_moto() -> None:
    """moto's whole reset, what ``POST /moto-api/reset`` does: every backend and the
    dashboard's model data."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def transitions_set() -> dict[str, dict[str, Any]]:
    """A copy of the transitions set on moto's state manager (not its registered defaults)."""
    from moto.moto_api import state_manager

    transitions: dict[str, dict[str, Any]] = state_manager._transitions
    return {name: dict(transition) for name, transition in transitions.items()}


def restore_transitions(saved: dict[str, dict[str, Any]]) -> None:
    """Put moto's state manager back to the transitions ``transitions_set`` returned."""
    from moto.moto_api import state_manager

    for name in set(transitions_set()) - set(saved):
        state_manager.unset_transition(name)
    for name, transition in saved.items():
        state_manager.set_transition(name, dict(transition))


def show_on_dashboard(service: str, name: str, model: Any) -> str:
    """List ``model`` (anything with an ``instances_tracked`` list of objects) in moto's
    model data under ``service``, as moto lists its own model classes: ``/moto-api/data.json``
    and moto's dashboard show each instance's public JSON attributes. Returns the name it
    went under: ``name``, or ``mlmocks <name>`` where moto's own models of the service
    have a class of that name (SageMaker's ``CompilationJob``), whichever was imported first."""
    import importlib
    import importlib.util

    from moto.core.model_instances import model_data

    motos = None
    try:
        if importlib.util.find_spec(f"moto.{service}.models") is not None:
            motos = importlib.import_module(f"moto.{service}.models")
    except ImportError:
        pass
    models = model_data[service]
    if hasattr(motos, name) or models.get(name, model) is not model:
        name = f"mlmocks {name}"
    models[name] = model
    return name


def wrap_botocore_stubber(wrap: Callable[[StubberCall], StubberCall]) -> None:
    """Put ``wrap(moto_call)`` in place of ``BotocoreStubber.__call__``, the ``before-send``
    handler through which moto answers botocore in process (turned on by ``mock_aws``, so
    by ``mock_mljobs``). ``moto_call(stubber, event_name, request, **kwargs)`` is moto's
    own: an ``AWSResponse``, or None where moto does not answer. The class is patched, not
    the registered instance, so clients made before this still get it. Once only."""
    if getattr(BotocoreStubber.__call__, "_mlmocks_wrapped", False):
        return
    wrapped = wrap(BotocoreStubber.__call__)
    wrapped._mlmocks_wrapped = True  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = wrapped  # type: ignore[method-assign]


def stubber_enabled(stubber: Any) -> bool:
    """Whether moto's stubber answers now (a mock is active)."""
    return bool(stubber.enabled)
