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
from moto.core.botocore_stubber import MockRawResponse as _MockRawResponse
from moto.core.exceptions import HTTPException as _HTTPException
from moto.core.request import (
    PRESERVED_HEADER_NAMES_ENVIRON_KEY as _PRESERVED_HEADER_NAMES_ENVIRON_KEY,
)
from moto.core.request import Request as _MotoRequest
from moto.core.request import environ_key_for_header as _environ_key_for_header
from moto.core.request import normalize_request as _normalize_request
from moto.core.request import (
    should_preserve_original_header_name as _should_preserve_original_header_name,
)
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
    HeaderSerializer,
    ResponseSerializer,
    XFormedAttributePicker,
    get_serializer_class,
)

# moto's seeded random source (``/moto-api/seed`` makes ids repeat), for mlmocks' ids.
from moto.moto_api._internal import mock_random

__all__ = [
    "PRIVATE_METHODS",
    "ActionCandidate",
    "HTTPException",
    "MotoRequest",
    "answer_of",
    "backend_urls",
    "config_defers",
    "header_environ_key",
    "normalize_request",
    "preserved_header_names_key",
    "preserves_header_name",
    "record_request",
    "AttributePickerContext",
    "BaseJSONSerializer",
    "HeaderSerializer",
    "ProtocolRouter",
    "RequiredArg",
    "ResponseSerializer",
    "RestRouter",
    "SmithyRule",
    "XFormedAttributePicker",
    "get_router_class",
    "get_serializer_class",
    "glue_table",
    "insert_url_patterns",
    "mock_random",
    "match_path",
    "moto_holds_sagemaker_arn",
    "moto_url_paths",
    "put_backends_first",
    "replace_backends",
    "backends_held",
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


def backends_held(backends: BackendDict[Any]) -> dict[str, dict[str, Any]]:
    """Every backend a BackendDict holds now (account -> region -> backend), read under
    moto's lock (no backend is made)."""
    with backend_lock:
        return {account: dict(regions.items()) for account, regions in backends.items()}


def replace_backends(backends: BackendDict[Any], held: dict[str, dict[str, Any]]) -> None:
    """Put ``held`` (account -> region -> backend) in place of every backend that
    ``backends`` holds: each account's backends as moto makes them (and lists them for
    its reset), each region's backend the one given, not a new one."""
    with backend_lock:
        backends.clear()
        for account, regions in held.items():
            account_backends = backends[account]
            for region, backend in regions.items():
                # AccountSpecificBackend.__getitem__ would make one: set it as a dict.
                dict.__setitem__(account_backends, region, backend)


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


def glue_table(account_id: str, region: str, database_name: str, table_name: str) -> dict[str, Any]:
    """The current version of a table moto's Glue holds in that account and region, as
    GetTable shows it (``StorageDescriptor``, ``PartitionKeys``, ...). ``LookupError``
    naming what is missing where moto holds no such database or table."""
    from moto.glue.models import glue_backends

    backend = glue_backends[account_id][region]
    database = backend.databases.get(database_name)
    if database is None:
        raise LookupError(f"Database {database_name} not found in the Glue catalog of account {account_id}")
    table = database.tables.get(table_name)
    if table is None:
        raise LookupError(f"Table {database_name}.{table_name} not found in the Glue catalog of account {account_id}")
    shown: dict[str, Any] = table.as_dict()
    return shown


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
    by ``mock_mljobs``). ``moto_call(stubber, event_name, request, **kwargs)`` is the call
    it wraps (moto's own, or an earlier wrap's): an ``AWSResponse``, or None where moto
    does not answer. The class is patched, not the registered instance, so clients made
    before this still get it. Once per ``wrap``; a later wrap runs first."""
    current = BotocoreStubber.__call__
    wraps: frozenset[Any] = getattr(current, "_mlmocks_wraps", frozenset())
    if wrap in wraps:
        return
    wrapped = wrap(current)
    wrapped._mlmocks_wraps = wraps | {wrap}  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = wrapped  # type: ignore[method-assign]


def stubber_enabled(stubber: Any) -> bool:
    """Whether moto's stubber answers now (a mock is active)."""
    return bool(stubber.enabled)


# -- what moto's stubber does for one request (core/direct.py does the same) ----------------

#: The request class moto's handlers take (werkzeug's, with moto's header names kept).
MotoRequest = _MotoRequest
#: moto's error raised by a handler, answered with its code, headers and body.
HTTPException = _HTTPException
normalize_request = _normalize_request


def header_environ_key(name: str) -> str:
    """The WSGI environ key of a header, as moto's requests write it."""
    return _environ_key_for_header(name)


def preserves_header_name(name: str) -> bool:
    """Whether moto keeps this header name's spelling (S3 metadata with underscores)."""
    return _should_preserve_original_header_name(name)


def preserved_header_names_key() -> str:
    """The environ key under which moto keeps header names' original spelling."""
    return _PRESERVED_HEADER_NAMES_ENVIRON_KEY


def backend_urls(service_key: str) -> list[tuple[str, Callable[..., Any]]]:
    """A service's URL regex -> handler table, as moto's stubber reads it."""
    from moto.core import DEFAULT_ACCOUNT_ID

    backend_dict = _moto_backends.get_backend(service_key)  # type: ignore[call-overload]
    accounts = backend_dict[DEFAULT_ACCOUNT_ID]
    backend = accounts["us-east-1"] if "us-east-1" in accounts else accounts["aws"]
    return list(backend.urls.items())


def config_defers(service_key: str, clean: str) -> bool:
    """Whether moto's configuration (passthrough, the service whitelist) has a say in a
    request for ``clean`` (its URL without the query, as moto's stubber matches it), so
    that moto's own path should take it."""
    from moto.core.config import passthrough_service, passthrough_url, service_whitelisted

    return (
        passthrough_url(clean) or passthrough_service(service_key) or not service_whitelisted(service_key)
    )


def record_request(request: Any) -> None:
    """Hand a request to moto's recorder (which keeps it only while recording)."""
    from moto.moto_api import recorder

    recorder._record_request(request)


def answer_of(url: str, status: int, headers: Any, body: str | bytes) -> Any:
    """The ``AWSResponse`` moto's stubber gives botocore for a handler's answer."""
    from botocore.awsrequest import AWSResponse

    return AWSResponse(url, status, headers, _MockRawResponse(body))
