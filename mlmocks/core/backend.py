"""What every service backend shares: a lock, ARNs, and where its jobs are found."""

from __future__ import annotations

import string
import threading
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

from .dashboard import track as track_on_dashboard
from .idempotency import ClientTokens
from .jobs import Job
from .moto_compat import mock_random, put_backends_first

_ID_ALPHABET = string.ascii_lowercase + string.digits


def random_id(length: int = 12, alphabet: str = _ID_ALPHABET) -> str:
    """A random identifier (moto's random source, so moto's seeding applies)."""
    return "".join(mock_random.choice(alphabet) for _ in range(length))


class ServiceBackend(BaseBackend):
    """Base of every service backend: state for one account and one region."""

    #: The service name used in this backend's ARNs.
    ARN_SERVICE = ""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        # Each request runs under its backend's lock, so check-then-create is atomic
        # under the threaded server.
        self.lock = threading.RLock()
        self._unfinished_jobs: list[Job] = []
        # What the service holds is listed on moto's dashboard and /moto-api/data.json.
        track_on_dashboard(type(self).__module__)
        self.client_tokens = ClientTokens()
        #: (kind, identifier) -> the jobs known by it, for job control.
        #: kind -> identifier -> the job (or the jobs) it names.
        self._jobs: dict[str, dict[str, Job | list[Job]]] = {}

    @property
    def flask_paths(self) -> dict[str, Any]:
        """The server's routes. werkzeug's ``path`` converter stops at a line break, and a
        label may hold one (``%0A``): such a request is the service's to answer (with its
        validation error), not an HTML 404 from the server."""
        return {
            '/<regex("(?s:.*)"):route>' if path == "/<path:route>" else path: handler
            for path, handler in super().flask_paths.items()
        }

    def track_job(self, job: Job) -> None:
        """Remember a job: the job control finds it by its kind and identifiers (until
        it is ``retired``), and it is settled until it finishes. A job that moves again
        (a stop, a restart) is tracked again."""
        self._unfinished_jobs.append(job)
        of_kind = self._jobs.setdefault(job.LIFECYCLE.kind, {})
        for identifier in job.identifiers():
            # One job (most identifiers name one), or a list of them.
            known = of_kind.get(identifier)
            if known is None:
                of_kind[identifier] = job
            elif isinstance(known, list):
                if job not in known:
                    known.append(job)
            elif known is not job:
                of_kind[identifier] = [known, job]

    def settle_jobs(self) -> None:
        """Let every unfinished job move on, so the side effects of finishing (resources
        a completed job creates) are in place before anyone looks for them. Statuses move
        lazily, and a job nobody looked at may well have finished by now. The dispatcher
        calls it once per request, under the backend's lock, before the handler runs."""
        self._unfinished_jobs = [job for job in self._unfinished_jobs if not job.is_finished]

    def unfinished_jobs(self) -> list[Job]:
        """The jobs not finished when last settled."""
        return self._unfinished_jobs

    def tracked_jobs(self) -> list[Job]:
        """Every job the job control can find here (not retired), each once, oldest
        first: what the jobs page lists."""
        found: dict[int, Job] = {}
        for of_kind in self._jobs.values():
            for known in of_kind.values():
                for job in known if isinstance(known, list) else (known,):
                    if not job.retired:
                        found.setdefault(id(job), job)
        return sorted(found.values(), key=lambda job: job.creation_time)

    def arn(self, resource: str) -> str:
        return f"arn:{self.partition}:{self.ARN_SERVICE}:{self.region_name}:{self.account_id}:{resource}"

    def find_jobs(self, kind: str, identifier: str) -> list[Job]:
        """Every job of ``kind`` known here as ``identifier`` (name, id or ARN), for job
        control; several where a service's names are unique only within a part of it
        (Neptune's clusters)."""
        of_kind = self._jobs.get(kind, {})
        known = of_kind.get(identifier)
        if known is None:
            return []
        current = [job for job in (known if isinstance(known, list) else (known,)) if not job.retired]
        if not current:
            del of_kind[identifier]
        elif len(current) == 1:
            of_kind[identifier] = current[0]
        else:
            of_kind[identifier] = current
        return current


class SharedHostBackendDict(BackendDict):
    """The backends of a service on a host shared with moto, whose backend joins moto's
    Resource Groups Tagging API next to moto's backend for the same ARN namespace.

    That API tags an ARN through the first backend that claims it, in the order backends
    were first used, and moto's backend claims every ARN of its namespace. Put first
    when first used, ours answers for the resources it owns (its ``owns_arn``)."""

    def _create_account_specific_backend(self, account_id: str) -> None:
        put_backends_first(self, lambda: super(SharedHostBackendDict, self)._create_account_specific_backend(account_id))

