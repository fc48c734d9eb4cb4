"""Clean Rooms ML through aiobotocore: configured model algorithms, the same answers as
through boto3."""

from __future__ import annotations

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, same_pages, twins  # noqa: E402
from tests.modes import ACCOUNT, Aws  # noqa: E402

ROLE = f"arn:aws:iam::{ACCOUNT}:role/cleanrooms-ml"
IMAGE = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/train:1"


def test_algorithms_create_get_list_and_errors(aws: Aws) -> None:
    async def flow() -> None:
        async with twins(aws, "cleanroomsml") as (sync, aio):
            arns = []
            for n in range(3):
                created = await aio.create_configured_model_algorithm(
                    name=f"algo-{n}", roleArn=ROLE, trainingContainerConfig={"imageUri": IMAGE}
                )
                arns.append(created["configuredModelAlgorithmArn"])
            algorithm = await same(sync, aio, "get_configured_model_algorithm", configuredModelAlgorithmArn=arns[1])
            assert (algorithm["name"], algorithm["configuredModelAlgorithmArn"]) == ("algo-1", arns[1])
            pages = await same_pages(
                sync, aio, "list_configured_model_algorithms", PaginationConfig={"PageSize": 2}
            )
            assert len(pages) == 2
            listed = [a["configuredModelAlgorithmArn"] for page in pages for a in page["configuredModelAlgorithms"]]
            assert sorted(listed) == sorted(arns)
            missing = arns[0].rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
            await same_error(
                sync, aio, "get_configured_model_algorithm", "ResourceNotFoundException",
                configuredModelAlgorithmArn=missing,
            )
            await same_error(
                sync, aio, "get_configured_model_algorithm", "ValidationException",
                configuredModelAlgorithmArn=ROLE,  # an ARN, not an algorithm's
            )

    run(flow)
