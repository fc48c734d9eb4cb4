"""What SageMaker compilation jobs lend the reliability tests (see tests/reliability/services.py)."""

from __future__ import annotations

from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages
from tests.sagemaker.helpers import INPUT, OUTPUT, ROLE, STOPPING, create_job


def client(make: Make) -> Any:
    return make("sagemaker")


def setup(make: Make) -> dict[str, list[Any]]:
    arn = create_job(client(make), "fuzz-compilation")
    values: dict[str, list[Any]] = {
        "CompilationJobName": ["fuzz-compilation"],
        "ResourceArn": [arn],
        "RoleArn": [ROLE],
        "InputConfig": [INPUT],
        "OutputConfig": [OUTPUT],
        "StoppingCondition": [STOPPING],
    }
    for member, more in job_family_values(client(make)).items():
        values[member] = values.get(member, []) + more
    return values


def job_family_values(sagemaker: Any) -> dict[str, list[Any]]:
    """Training, processing, transform and tuning jobs for the fuzzed requests to name,
    and whole values of their create requests that pass SageMaker's checks."""
    from tests.sagemaker import job_helpers as jobs

    arns = [
        jobs.create_training_job(sagemaker, "fuzz-training"),
        jobs.create_processing_job(sagemaker, "fuzz-processing"),
        jobs.create_transform_job(sagemaker, "fuzz-transform"),
        jobs.create_tuning_job(sagemaker, "fuzz-tuning"),
    ]
    return {
        "ResourceArn": arns,
        "TrainingJobName": ["fuzz-training"],
        "ProcessingJobName": ["fuzz-processing"],
        "TransformJobName": ["fuzz-transform"],
        "HyperParameterTuningJobName": ["fuzz-tuning"],
        "AlgorithmSpecification": [jobs.ALGORITHM],
        "OutputDataConfig": [jobs.OUTPUT],
        "ResourceConfig": [jobs.RESOURCES],
        # (no InputDataConfig: AutoML jobs have a member of that name of another shape)
        "AppSpecification": [jobs.APP],
        "ProcessingResources": [jobs.PROCESSING_RESOURCES],
        "ProcessingOutputConfig": [jobs.PROCESSING_OUTPUTS],
        "TransformInput": [jobs.TRANSFORM_INPUT],
        "TransformOutput": [jobs.TRANSFORM_OUTPUT],
        "TransformResources": [jobs.TRANSFORM_RESOURCES],
        "ModelName": ["model-1"],
        "HyperParameterTuningJobConfig": [jobs.tuning_config()],
        "TrainingJobDefinition": [jobs.DEFINITION],
        "Resource": ["TrainingJob", "HyperParameterTuningJob"],
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
