"""What SageMaker compilation jobs lend the reliability tests (see tests/reliability/services.py)."""

from __future__ import annotations

from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages
from tests.sagemaker.helpers import INPUT, OUTPUT, ROLE, STOPPING, create_job


def client(make: Make) -> Any:
    return make("sagemaker")


def setup(make: Make) -> dict[str, list[Any]]:
    arn = create_job(client(make), "fuzz-compilation")
    return {
        "CompilationJobName": ["fuzz-compilation"],
        "ResourceArn": [arn],
        "RoleArn": [ROLE],
        "InputConfig": [INPUT],
        "OutputConfig": [OUTPUT],
        "StoppingCondition": [STOPPING],
    }


def job_names(sagemaker: Any) -> list[str]:
    jobs = all_pages(sagemaker.list_compilation_jobs, "CompilationJobSummaries", MaxResults=100)
    return [job["CompilationJobName"] for job in jobs]


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    create_job=create_job,
    job_names=job_names,
    conflict_code="ResourceInUse",
    stop_job=lambda sagemaker, name: sagemaker.stop_compilation_job(CompilationJobName=name),
    delete_job=lambda sagemaker, name: sagemaker.delete_compilation_job(CompilationJobName=name),
    describe_job=lambda sagemaker, name: sagemaker.describe_compilation_job(CompilationJobName=name),
)
