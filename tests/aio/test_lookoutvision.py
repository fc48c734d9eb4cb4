"""Lookout for Vision through aiobotocore: projects, models, and DetectAnomalies, whose
image is the request body; the same answers as through boto3."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, same_pages, twins  # noqa: E402
from tests.lookoutvision.helpers import (  # noqa: E402
    OUTPUT,
    PROJECT,
    hosted_model,
    jpeg,
    png,
    put_manifest,
    standard_lines,
)
from tests.modes import Aws  # noqa: E402


def test_projects_and_models_create_describe_list_and_errors(aws: Aws) -> None:
    source = put_manifest(aws, standard_lines())

    async def flow() -> None:
        async with twins(aws, "lookoutvision") as (sync, aio):
            for name in ("boards-a", "boards-b", "boards-c"):
                created = await aio.create_project(ProjectName=name)
                assert created["ProjectMetadata"]["ProjectName"] == name
            project = await same(sync, aio, "describe_project", ProjectName="boards-b")
            assert project["ProjectDescription"]["ProjectName"] == "boards-b"
            pages = await same_pages(sync, aio, "list_projects", PaginationConfig={"PageSize": 2})
            assert sorted(p["ProjectName"] for page in pages for p in page["Projects"]) == [
                "boards-a", "boards-b", "boards-c"
            ]
            assert len(pages) == 2
            await aio.create_dataset(ProjectName="boards-a", DatasetType="train", DatasetSource=source)
            for _ in range(3):
                await aio.create_model(ProjectName="boards-a", OutputConfig=OUTPUT)
            model = await same(sync, aio, "describe_model", ProjectName="boards-a", ModelVersion="2")
            assert model["ModelDescription"]["Status"] == "TRAINED"
            models = await same_pages(
                sync, aio, "list_models", ProjectName="boards-a", PaginationConfig={"PageSize": 2}
            )
            assert [[m["ModelVersion"] for m in page["Models"]] for page in models] == [["1", "2"], ["3"]]
            await same_error(sync, aio, "describe_project", "ResourceNotFoundException", ProjectName="nope")
            await same_error(sync, aio, "create_project", "ConflictException", ProjectName="boards-a")

    run(flow)


def test_detect_anomalies_sends_the_image_as_the_body(aws: Aws) -> None:
    hosted_model(aws)

    async def detect(aio: object, sync: object, body: bytes, content_type: str) -> dict:
        answer = await same(
            sync, aio, "detect_anomalies", ProjectName=PROJECT, ModelVersion="1", Body=body, ContentType=content_type
        )
        return answer["DetectAnomalyResult"]  # type: ignore[no-any-return]

    async def flow() -> None:
        async with twins(aws, "lookoutvision") as (sync, aio):
            normal = await detect(aio, sync, png(80, 96), "image/png")
            assert normal["IsAnomalous"] is False
            from_file = await aio.detect_anomalies(
                ProjectName=PROJECT, ModelVersion="1", Body=io.BytesIO(png(80, 96)), ContentType="image/png"
            )
            assert from_file["DetectAnomalyResult"] == normal
            assert (await detect(aio, sync, jpeg(4096, 64, extra=b"ANOMALY"), "image/jpeg"))["IsAnomalous"] is True
            await same_error(
                sync, aio, "detect_anomalies", "ValidationException",
                ProjectName=PROJECT, ModelVersion="1", Body=png(63, 64), ContentType="image/png",
            )

    run(flow)
