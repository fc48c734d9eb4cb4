"""Puts mlmocks' services into moto's routing, in decorator mode and in server mode.

moto finds a backend in two steps, the same in both modes: the request's URL (in server
mode, the host it infers from the signature's credential scope) is matched against
``moto.backend_index.backend_url_patterns``, whose first match names a service; then
``moto.backends.get_backend(name)`` loads that service's ``BackendDict``, whose ``urls``
route the path to a handler. mlmocks puts its URL patterns first in that list and
teaches ``get_backend`` its own service keys, loading a service's models only when a
request first reaches it.

Where a host is shared with a moto service (bedrock, sagemaker), the mlmocks service
answers the operations it owns and hands every other request to moto's handler for the
same URL (see ``mlmocks.core.responses``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moto.core.base_backend import BackendDict


@dataclass(frozen=True)
class ServiceSpec:
    """What moto needs to know of a service before its models are imported."""

    #: boto3 name of the service, which is also the name of its folder in mlmocks.
    service: str
    #: Regexes of the hosts the service answers on (moto's ``url_bases``), as written in
    #: the commercial partition's form: each is extended to every endpoint variant
    #: botocore builds (see ``endpoint_variants``).
    url_bases: tuple[str, ...]
    #: Job kinds (moto state-manager model names) the service's jobs walk through.
    job_kinds: tuple[str, ...] = ()
    #: The moto service that answers the rest of a shared host, if any.
    moto_service: str | None = None
    #: Name of the BackendDict in the service's ``models`` module.
    backends_name: str = field(default="")
    #: Functions of the service's ``control`` module that the job control offers as
    #: methods of its own, in-process and over HTTP (keyword arguments and results in
    #: JSON types), for state a test author sets up outside the service's API.
    control_methods: tuple[str, ...] = ()
    #: Where botocore lists no regions for the service: the service whose regions its
    #: backends exist in (a region without a backend could only answer an internal error).
    regions_of: str | None = None

    def __post_init__(self) -> None:
        variants = tuple(dict.fromkeys(v for base in self.url_bases for v in endpoint_variants(base)))
        object.__setattr__(self, "url_bases", variants)

    @property
    def key(self) -> str:
        """The name moto knows this service by: never one of moto's own names."""
        return f"mlmocks_{self.service}"

    @property
    def package(self) -> str:
        return f"mlmocks.{self.service}"

    def backend_dict(self, backend_class: type[Any]) -> BackendDict[Any]:
        """The BackendDict of one of the service's backend classes: one backend per
        account and region, reset with moto's."""
        from moto.core.base_backend import BackendDict
        from moto.core.resource_tagging import TaggableResourcesMixin

        from .backend import SharedHostBackendDict

        # A backend that joins moto's Resource Groups Tagging API beside moto's own for
        # the same ARN namespace must be asked first (see SharedHostBackendDict).
        shared = self.moto_service and issubclass(backend_class, TaggableResourcesMixin)
        dict_class = SharedHostBackendDict if shared else BackendDict
        return dict_class(backend_class, self.regions_of or self.service)

    def backends(self) -> BackendDict[Any]:
        models = importlib.import_module(f"{self.package}.models")
        return getattr(models, self.backends_name or f"{self.service}_backends")


#: Folders of the mlmocks package that are not services.
_NOT_SERVICES = {"core", "data"}

_lock = threading.Lock()
_registered = False
_specs: dict[str, ServiceSpec] = {}


def specs() -> dict[str, ServiceSpec]:
    """The spec of every service, by boto3 name (imports only the light packages)."""
    if not _specs:
        import mlmocks

        # A service is a subpackage of mlmocks whose __init__ declares its SPEC.
        for module in pkgutil.iter_modules(mlmocks.__path__):
            if module.ispkg and module.name not in _NOT_SERVICES:
                _specs[module.name] = importlib.import_module(f"mlmocks.{module.name}").SPEC
    return _specs


def backends_of(service: str) -> BackendDict[Any]:
    """Another service's ``BackendDict``, by its boto3 name: how a service reads state
    that another service owns without importing it (Clean Rooms ML reads Clean Rooms'
    memberships). The reader types what it reads by a Protocol of its own."""
    return specs()[service].backends()


def spec_for_kind(kind: str) -> ServiceSpec | None:
    for spec in specs().values():
        if kind in spec.job_kinds:
            return spec
    return None


def job_kinds() -> list[str]:
    return [kind for spec in specs().values() for kind in spec.job_kinds]


def control_method(name: str) -> Callable[..., Any] | None:
    """The control method ``name`` that a service contributes, if any."""
    for spec in specs().values():
        if name in spec.control_methods:
            control = importlib.import_module(f"{spec.package}.control")
            method: Callable[..., Any] = getattr(control, name)
            return method
    return None


def control_methods() -> list[str]:
    return [name for spec in specs().values() for name in spec.control_methods]


def implemented_operations() -> dict[str, frozenset[str]]:
    """Operation names each service implements, by boto3 service name."""
    result = {}
    for name, spec in specs().items():
        responses = importlib.import_module(f"{spec.package}.responses")
        result[name] = responses.RESPONSE_CLASS.implemented_operations()
    return result


#: The DNS suffixes of every partition botocore builds endpoints in, plain and dual-stack
#: (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc), from botocore's partitions.json.
PARTITION_SUFFIXES = (
    r"amazonaws\.com",
    r"amazonaws\.com\.cn",
    r"api\.aws",
    r"api\.amazonwebservices\.com\.cn",
    r"c2s\.ic\.gov",
    r"sc2s\.sgov\.gov",
    r"cloud\.adc-e\.uk",
    r"csp\.hci\.ic\.gov",
    r"amazonaws\.eu",
)
_AMAZONAWS = re.compile(r"\\\.amazonaws(\\\.|\.)com")


def endpoint_variants(url_base: str) -> list[str]:
    """A service's URL pattern, and the same for every endpoint variant botocore can
    build for it (dual-stack, FIPS, the China, GovCloud and other partitions), so a
    request to any of them is answered in process, never sent out."""
    match = _AMAZONAWS.search(url_base)
    if match is None:
        return [url_base]
    prefix, suffix = url_base[: match.start()], url_base[match.end() :]
    # FIPS endpoints put "-fips" after a label of the service's host (bedrock-fips.,
    # api-fips.sagemaker. or api.sagemaker-fips.).
    prefix = re.sub(r"(?<=[a-z0-9])\\\.", r"(?:-fips)?\\.", prefix)
    domains = "|".join(PARTITION_SUFFIXES)
    return [url_base, f"{prefix}\\.(?:{domains}){suffix}"]


def register() -> None:
    """Make moto route requests to mlmocks' services. Safe to call any number of times."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from . import aio, direct
        from .moto_compat import insert_url_patterns, wrap_botocore_stubber, wrap_get_backend
        from .spec import lend_models_to_botocore

        lend_models_to_botocore()
        wrap_botocore_stubber(direct.answering_directly)  # in process, our hosts first
        aio.install()  # async clients (aiobotocore) answered in process too (wraps the above)
        by_key = {spec.key: spec for spec in specs().values()}
        patterns = [
            (spec.key, re.compile(pattern))
            for spec in by_key.values()
            for pattern in spec.url_bases
        ]
        insert_url_patterns(patterns)
        wrap_get_backend(lambda name: by_key[name].backends() if name in by_key else None)
        _register_job_kinds()
        _registered = True


def _register_job_kinds() -> None:
    """Give moto's state manager every job kind's default progression (moto's:
    immediate) now, so the kinds are known to it before the first job of each."""
    from moto.moto_api import state_manager

    registered = set(state_manager.get_registered_models())
    for kind in job_kinds():
        if kind not in registered:
            state_manager.register_default_transition(kind, {"progression": "immediate"})

