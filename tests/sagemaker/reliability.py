"""What SageMaker compilation jobs lend the reliability tests (see tests/reliability/services.py)."""

from __future__ import annotations

from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages
from tests.sagemaker.helpers import INPUT, OUTPUT, ROLE, STOPPING, create_job


def client(make: Make) -> Any:
    return make("sagemaker")


def setup(make: Make) -> dict[str, list[Any]]:
    arn = create_job(client(make), "fuzz-compilation")
    automl = automl_family_setup(client(make), "fuzz-compilation")
    values: dict[str, list[Any]] = {
        **automl,
        "CompilationJobName": ["fuzz-compilation"],
        "ResourceArn": [arn, *automl["ResourceArn"]],
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


def automl_family_setup(sagemaker: Any, compilation_job: str) -> dict[str, list[Any]]:
    """An AutoML, an edge packaging, an optimization and an inference recommendations job
    (and the model the last benchmarks) for fuzzed requests to name."""
    from tests.sagemaker import test_automl_jobs as automl
    from tests.sagemaker import test_edge_packaging_jobs as edge
    from tests.sagemaker import test_inference_recommendations_jobs as recommendations
    from tests.sagemaker import test_optimization_jobs as optimization

    arns = [automl.create_v1(sagemaker, "fuzz-automl"), automl.create_v2(sagemaker, "fuzz-automl-v2")]
    edge.create(sagemaker, "fuzz-edge", compilation=compilation_job)
    arns.append(sagemaker.describe_edge_packaging_job(EdgePackagingJobName="fuzz-edge")["EdgePackagingJobArn"])
    arns.append(optimization.create(sagemaker, "fuzz-optimization"))
    sagemaker.create_model(ModelName="resnet", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "resnet:1"})
    arns.append(recommendations.create(sagemaker, "fuzz-recommendations"))
    return {
        "AutoMLJobName": ["fuzz-automl", "fuzz-automl-v2"],
        "EdgePackagingJobName": ["fuzz-edge"],
        "OptimizationJobName": ["fuzz-optimization"],
        "JobName": ["fuzz-recommendations"],
        "ModelName": ["resnet"],
        "ResourceArn": arns,
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
