"""Suite-wide wiring: the `aws` fixtures, and the conformance check of every response."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from botocore.handlers import BUILTIN_HANDLERS

from mlmocks.core import direct
from tests import conformance, serialization_check
from tests.modes import aws, decorator_aws  # noqa: F401  (fixtures for every test folder)

# Every response is also written by moto's own serializer and must come out the same.
serialization_check.install()

# Every request the direct path answers is also built as moto's path builds it, and must
# come out the same (mlmocks/core/direct.py).
direct.CHECK_REQUESTS = True

# The reliability run's figures, gathered from every worker into RELIABILITY.md.
pytest_plugins = ["tests.reliability.report"]

# -- conformance -------------------------------------------------------------------------
# Every client created from here on checks each raw response of an mlmocks operation
# against its output shape (see tests/conformance.py). After a full run, every implemented
# operation must have been seen answered successfully: with xdist, each worker writes what
# it saw to a folder the controller reads.

BUILTIN_HANDLERS.append(("before-parse", conformance.before_parse_hook))

_SEEN_DIR = "mlmocks_seen_dir"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        config.stash[_seen_dir_key] = tempfile.mkdtemp(prefix="mlmocks-seen-")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # xdist hook: hand the folder to each worker
    node.workerinput[_SEEN_DIR] = node.config.stash[_seen_dir_key]


_seen_dir_key = pytest.StashKey[str]()


def _full_run(config: pytest.Config) -> bool:
    """Whether the run took in the whole suite, however pytest was told so (no arguments,
    ``tests``, ``.``, an absolute path to either), with no test left out."""
    suite = Path(__file__).resolve().parent
    whole = config.args_source == pytest.Config.ArgsSource.TESTPATHS or all(
        suite.is_relative_to(Path(config.invocation_params.dir, arg.split("::")[0]).resolve())
        and "::" not in arg
        for arg in config.args
    )
    return (
        whole
        and not config.getoption("keyword")
        and not config.getoption("markexpr")
        and not config.getoption("lf", False)
        and not config.getoption("deselect", None)
        and not config.getoption("ignore", None)
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    workerinput = getattr(config, "workerinput", None)
    folder = workerinput[_SEEN_DIR] if workerinput else config.stash[_seen_dir_key]
    name = workerinput["workerid"] if workerinput else "main"
    Path(folder, f"{name}.json").write_text(json.dumps(sorted(conformance.SEEN)))
    if workerinput:
        return
    seen = {
        tuple(pair) for path in Path(folder).glob("*.json") for pair in json.loads(path.read_text())
    }
    shutil.rmtree(folder, ignore_errors=True)
    if not _full_run(config) or exitstatus != 0:
        return
    from mlmocks.core.registry import implemented_operations

    missing = sorted(
        f"{service} {operation}"
        for service, operations in implemented_operations().items()
        for operation in operations
        if (service, operation) not in seen
    )
    if missing:
        config.stash[_missing_key] = missing
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_missing_key = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    missing = config.stash.get(_missing_key, None)
    if missing:
        terminalreporter.section("conformance", sep="=", red=True)
        terminalreporter.line(
            "These implemented operations were never seen answering successfully, so their "
            "responses were never checked against the model:"
        )
        for entry in missing:
            terminalreporter.line(f"  {entry}")
