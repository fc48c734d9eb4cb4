"""IMPLEMENTATION_COVERAGE.md is generated from the models and the code: it must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mlmocks.core.registry import implemented_operations

ROOT = Path(__file__).resolve().parents[2]


def load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("coverage_script", ROOT / "scripts" / "implementation_coverage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_file_is_current() -> None:
    expected = load_script().render()
    actual = (ROOT / "IMPLEMENTATION_COVERAGE.md").read_text()
    assert actual == expected, "run: python scripts/implementation_coverage.py"


def test_every_implemented_operation_is_checked_in_the_file() -> None:
    text = (ROOT / "IMPLEMENTATION_COVERAGE.md").read_text()
    from botocore import xform_name

    for service, operations in implemented_operations().items():
        section = text.split(f"## {service}\n", 1)[1].split("\n## ", 1)[0]
        for operation in operations:
            assert f"- [X] {xform_name(operation)}\n" in section + "\n"
