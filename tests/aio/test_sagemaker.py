"""SageMaker through aiobotocore: mlmocks' compilation jobs and moto's training jobs
(with a waiter), the same answers as through boto3."""

from __future__ import annotations

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, same_pages, twins  # noqa: E402
from tests.modes import Aws  # noqa: E402
from tests.neptunedata.helpers import sagemaker_training_job  # noqa: E402
from tests.sagemaker.helpers import INPUT, OUTPUT, ROLE, STOPPING  # noqa: E402


def test_compilation_jobs_create_describe_list_and_errors(aws: Aws) -> None:
    async def flow() -> None:
        async with twins(aws, "sagemaker") as (sync, aio):
            arns = []
            for n in range(3):
                created = await aio.create_compilation_job(
                    CompilationJobName=f"compile-{n}",
                    RoleArn=ROLE,
                    InputConfig=INPUT,
                    OutputConfig=OUTPUT,
                    StoppingCondition=STOPPING,
                )
                arns.append(created["CompilationJobArn"])
            job = await same(sync, aio, "describe_compilation_job", CompilationJobName="compile-2")
            assert (job["CompilationJobArn"], job["InputConfig"]) == (arns[2], INPUT)
            pages = await same_pages(
                sync, aio, "list_compilation_jobs", SortBy="Name", SortOrder="Ascending",
                PaginationConfig={"PageSize": 2},
            )
            assert [[s["CompilationJobName"] for s in page["CompilationJobSummaries"]] for page in pages] == [
                ["compile-0", "compile-1"], ["compile-2"]
            ]
            await same_error(
                sync, aio, "describe_compilation_job", "ResourceNotFound", CompilationJobName="compile-9"
            )
            await same_error(
                sync, aio, "create_compilation_job", "ResourceInUse",
                CompilationJobName="compile-0", RoleArn=ROLE, InputConfig=INPUT, OutputConfig=OUTPUT,
                StoppingCondition=STOPPING,
            )

    run(flow)


def test_training_jobs_with_a_waiter(aws: Aws) -> None:
    async def flow() -> None:
        async with twins(aws, "sagemaker") as (sync, aio):
            for n in range(3):
                sagemaker_training_job(sync, f"train-{n}")
            await aio.get_waiter("training_job_completed_or_stopped").wait(
                TrainingJobName="train-1", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
            )
            job = await same(sync, aio, "describe_training_job", TrainingJobName="train-1")
            assert job["TrainingJobStatus"] == "Completed"
            pages = await same_pages(
                sync, aio, "list_training_jobs", SortBy="Name", SortOrder="Ascending",
                PaginationConfig={"PageSize": 1},
            )
            assert [s["TrainingJobName"] for page in pages for s in page["TrainingJobSummaries"]] == [
                "train-0", "train-1", "train-2"
            ]
            # An unknown training job is a ValidationException (unmodeled), as moto's was.
            await same_error(
                sync, aio, "describe_training_job", "ValidationException", modeled=False, TrainingJobName="train-9"
            )

    run(flow)
