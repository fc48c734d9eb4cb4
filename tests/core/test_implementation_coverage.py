"""IMPLEMENTATION_COVERAGE.md claims exactly what mlmocks implements, whatever botocore adds."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "implementation_coverage.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coverage_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script()


@pytest.fixture(scope="module")
def committed() -> str:
    return (ROOT / "IMPLEMENTATION_COVERAGE.md").read_text()


def test_the_committed_file_claims_what_is_implemented(script: ModuleType, committed: str) -> None:
    assert script.problems(committed) == []


def test_the_file_names_the_botocore_it_was_written_from(committed: str) -> None:
    assert "models of botocore 1." in committed


def test_a_freshly_written_file_passes(script: ModuleType) -> None:
    assert script.problems(script.render()) == []


def test_an_implemented_operation_missing_from_the_file_fails(script: ModuleType, committed: str) -> None:
    text = committed.replace("- [X] create_model_import_job\n", "")
    assert script.problems(text) == ["bedrock: create_model_import_job is implemented but not listed"]


def test_an_implemented_operation_marked_not_implemented_fails(script: ModuleType, committed: str) -> None:
    text = committed.replace("- [X] describe_compilation_job\n", "- [ ] describe_compilation_job\n")
    assert script.problems(text) == ["sagemaker: describe_compilation_job is implemented but marked not implemented"]


def test_an_operation_claimed_but_not_implemented_fails(script: ModuleType, committed: str) -> None:
    text = committed.replace("- [ ] create_guardrail\n", "- [X] create_guardrail\n")
    assert script.problems(text) == ["bedrock: create_guardrail is marked implemented but is not"]


def test_operations_a_newer_botocore_adds_or_drops_do_not_fail(script: ModuleType, committed: str) -> None:
    added = committed.replace("- [ ] create_guardrail\n", "- [ ] create_guardrail\n- [ ] some_future_operation\n")
    dropped = committed.replace("- [ ] create_guardrail\n", "")
    assert script.problems(added) == [] and script.problems(dropped) == []


def test_the_check_command_passes_on_the_committed_file() -> None:
    ok = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
