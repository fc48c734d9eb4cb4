"""Fixtures of the reliability tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.reliability.audit import ErrorLog
from tests.reliability.test_faults import Server


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    """Records logged as errors anywhere (the server's threads too) during the test."""
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A started mlmocks-server, for the tests of one module that talk to it over HTTP."""
    started = Server()
    try:
        yield started
    finally:
        started.threaded.stop()
