"""Neptune ML through aiobotocore: the same answers as through boto3. (Neptune's lists
have no paginator: they are bounded by ``maxItems``.)"""

from __future__ import annotations

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, twins  # noqa: E402
from tests.modes import Aws  # noqa: E402
from tests.neptunedata.helpers import CLUSTER  # noqa: E402


def test_data_processing_jobs_start_get_list_and_errors(aws: Aws) -> None:
    # The server is the cluster; in process, the cluster's endpoint is the address.
    endpoint = {} if aws.endpoint is not None else {"endpoint_url": CLUSTER}

    async def flow() -> None:
        async with twins(aws, "neptunedata", **endpoint) as (sync, aio):
            for n in range(3):
                started = await aio.start_ml_data_processing_job(
                    id=f"dp-{n}", inputDataS3Location="s3://graph/export/",
                    processedDataS3Location="s3://graph/processed/",
                )
                assert started["id"] == f"dp-{n}"
            job = await same(sync, aio, "get_ml_data_processing_job", id="dp-1")
            assert (job["id"], job["processingJob"]["status"]) == ("dp-1", "Completed")
            listed = await same(sync, aio, "list_ml_data_processing_jobs", maxItems=2)
            assert listed["ids"] == ["dp-2", "dp-1"]
            await same_error(sync, aio, "get_ml_data_processing_job", "MLResourceNotFoundException", id="dp-9")
            await same_error(
                sync, aio, "start_ml_data_processing_job", "InvalidParameterException",
                id="dp-0", inputDataS3Location="s3://graph/export/", processedDataS3Location="s3://graph/p/",
            )

    run(flow)
