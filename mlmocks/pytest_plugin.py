"""pytest fixtures, registered through the ``pytest11`` entry point.

``mljobs``: the mock is active for the test; the fixture is the job control.
``mlmocks_server``: an ``mlmocks-server`` in a thread for the whole session; the fixture
is its endpoint URL. ``mlmocks_server_control``: job control of that server.

mlmocks is imported only when a fixture is used, so installing it costs other test
suites nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mlmocks.core.control import JobControl, RemoteJobControl


@pytest.fixture
def mljobs() -> Iterator[JobControl]:
    """Activate ``mock_mljobs`` for one test and hand it the job control."""
    from mlmocks import job_control, mock_mljobs

    with mock_mljobs():
        yield job_control


@pytest.fixture(scope="session")
def mlmocks_server() -> Iterator[str]:
    """Run ``mlmocks-server`` on a free local port for the session; yields its URL."""
    from mlmocks.server import ThreadedServer

    server = ThreadedServer(port=0)
    endpoint = server.start()
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def mlmocks_server_control(mlmocks_server: str) -> RemoteJobControl:
    """Job control of the session's ``mlmocks-server``."""
    from mlmocks import RemoteJobControl

    return RemoteJobControl(mlmocks_server)
