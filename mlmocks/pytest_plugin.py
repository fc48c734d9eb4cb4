"""pytest fixtures, registered through the ``pytest11`` entry point.

``mljobs`` (function scope): the mock is active for the test; the fixture is the job
control. On teardown, pass or fail, every progression and failure rule is put back as it
was before the test.

``mlmocks_server`` (function scope): the URL of the session's ``mlmocks-server`` (one
server in a thread for the whole session), reset after the test: no job, resource,
failure rule or progression of one test is seen by the next.
``mlmocks_session_server`` (session scope): the same server without the reset, for
session-scoped fixtures of your own. ``mlmocks_server_control``: job control of that
server.

mlmocks is imported only when a fixture is used, so installing it costs other test
suites nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mlmocks.core.control import JobControl, RemoteJobControl


@contextmanager
def isolated_mock() -> Iterator[JobControl]:
    """``mock_mljobs`` active, and on the way out (an exception too) every progression
    and failure rule put back as it was on the way in (what ``mljobs`` does)."""
    from mlmocks import job_control, mock_mljobs
    from mlmocks.core.control import failure_rules, restore_failure_rules
    from mlmocks.core.moto_compat import restore_transitions, transitions_set

    transitions = transitions_set()
    with mock_mljobs():
        rules = failure_rules()
        try:
            yield job_control
        finally:
            restore_transitions(transitions)
            restore_failure_rules(rules)


@pytest.fixture
def mljobs() -> Iterator[JobControl]:
    """Activate ``mock_mljobs`` for one test and hand it the job control; progressions
    and failure rules are restored on teardown, even when the test fails."""
    with isolated_mock() as control:
        yield control


@pytest.fixture(scope="session")
def mlmocks_session_server() -> Iterator[str]:
    """Run ``mlmocks-server`` on a free local port for the session; yields its URL.
    State carries from test to test: reset it yourself (``RemoteJobControl(url).reset()``)."""
    from mlmocks.server import ThreadedServer

    server = ThreadedServer(port=0)
    endpoint = server.start()
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def mlmocks_server(mlmocks_session_server: str) -> Iterator[str]:
    """The session's ``mlmocks-server`` URL, reset after the test (``reset()`` of its
    job control: every job, resource, failure rule and progression)."""
    from mlmocks import RemoteJobControl

    try:
        yield mlmocks_session_server
    finally:
        RemoteJobControl(mlmocks_session_server).reset()


@pytest.fixture
def mlmocks_server_control(mlmocks_server: str) -> RemoteJobControl:
    """Job control of the session's ``mlmocks-server``."""
    from mlmocks import RemoteJobControl

    return RemoteJobControl(mlmocks_server)
