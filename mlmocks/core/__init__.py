"""Shared machinery of mlmocks. Knows no service: each service folder describes itself
to these modules (its operations, its errors, its job lifecycles) and they do the rest.

The contract every service keeps
--------------------------------
**Folder.** ``mlmocks/<boto3 name>/``: ``__init__.py`` (the ``ServiceSpec``: hosts, job
kinds, regions), ``responses.py`` (one verb table: a method per operation, named as
boto3 names it), one module per job family holding that family's resources, lifecycles
and backend methods (``bedrock/import_jobs.py``), ``models.py`` (the backend class composed of the families,
and its ``BackendDict``), ``exceptions.py`` (errors, from the model's error shapes),
``control.py`` (what a test author sets up outside the service's API, if anything).
A service imports from ``core`` and moto, never from another service.

**A request** (``core.responses.ServiceResponse``; in process it arrives by
``core.direct``, which skips moto's generic routing for mlmocks' hosts): routed, its body parsed at most
once (``core.request.Body``), validated against the service model once, and handed on as
one ``core.request.Call`` (operation, validated members, account, region, body: the
response's ``call``, its members also ``params``). The service's ``check`` runs, the
client token is honoured (``core.idempotency``), the backend's jobs settle once, then
the handler runs under the backend's lock with the members as snake_case keyword
arguments named as in boto3, and ``self.backend`` typed.
Handlers never settle jobs, parse the body or catch errors: they raise the service's
error and return what the output shape describes.

**A backend method** takes explicit keyword arguments named as in boto3 (no
``**params``; an identifier the service's ``check`` already resolved, such as Clean Rooms
ML's membership, arrives as the resolved object; Neptune ML's four families, whose
many members its checks read by table, take them as one mapping by the model's member
names), and raises the service's modeled errors (``exceptions.py``), never the
job control's.

**A resource** renders through ``summary()`` (its entry in a List output) and
``detail()`` (its Get/Describe output), as dicts of the output shape's member names; a
job's ``observe()`` is a client's look (it counts for ``manual`` progression and moves
the status), distinct from the job control's ``advance`` (a push, through ``step``).

**Shared concerns** live here, once: lifecycles (``jobs``), the job index the control
finds jobs in (``backend.ServiceBackend.track_job``), listing and time ranges
(``listing``), validation (``validation``), errors (``errors``), tags (``tags``), client
tokens (``idempotency``), regions and routing (``registry``), serialization, and every
reach into moto's internals (``moto_compat``).

**State one service reads of another** stays with the service that owns it and is read
through ``registry.backends_of(<boto3 name>)``, typed by a Protocol of the reader's own:
Clean Rooms' collaborations and memberships are ``cleanrooms``' (its API takes them over
from moto, and its ``control.declare_collaboration`` declares them), and Clean Rooms ML
reads them (``cleanroomsml/collaborations.py``: a membership must exist, be the caller's
and be ACTIVE) while keeping its own state in each collaboration. The two share one lock
per region, the owner's, so a call of either service sees the other's writes whole.
"""
