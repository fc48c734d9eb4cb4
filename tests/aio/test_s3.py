"""moto's S3 through aiobotocore under mock_mljobs (and against the server): uploads
(aws-chunked bodies that only an async reader can read), streamed downloads, an event
stream, pages, waiters and modeled errors, the same as through boto3."""

from __future__ import annotations

import pytest

pytest.importorskip("aiobotocore")

from tests.aio.twins import run, same, same_error, same_pages, twins  # noqa: E402
from tests.modes import Aws  # noqa: E402

BUCKET = "async-bucket"


def test_objects_up_down_listed_waited_for_and_missing(aws: Aws) -> None:
    body = bytes(range(256)) * 40  # over one read chunk, not text

    async def flow() -> None:
        async with twins(aws, "s3") as (sync, aio):
            await aio.create_bucket(Bucket=BUCKET)
            await aio.get_waiter("bucket_exists").wait(Bucket=BUCKET, WaiterConfig={"Delay": 0, "MaxAttempts": 2})
            for n in range(3):
                await aio.put_object(Bucket=BUCKET, Key=f"data/{n}.bin", Body=body + bytes([n]))
            await aio.get_waiter("object_exists").wait(
                Bucket=BUCKET, Key="data/2.bin", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
            )
            got = await aio.get_object(Bucket=BUCKET, Key="data/1.bin")
            async with got["Body"] as stream:
                first = await stream.read(100)
                rest = await stream.read()
            assert first + rest == body + b"\x01" == sync.get_object(Bucket=BUCKET, Key="data/1.bin")["Body"].read()
            assert got["ContentLength"] == len(body) + 1
            checked = await aio.get_object(Bucket=BUCKET, Key="data/2.bin", ChecksumMode="ENABLED")
            assert checked["ChecksumCRC32"]  # aiobotocore checks the body against it as it reads
            assert await checked["Body"].read() == body + b"\x02"
            head = await same(sync, aio, "head_object", Bucket=BUCKET, Key="data/0.bin")
            assert head["ContentLength"] == len(body) + 1
            pages = await same_pages(sync, aio, "list_objects_v2", Bucket=BUCKET, PaginationConfig={"PageSize": 2})
            assert [[o["Key"] for o in page["Contents"]] for page in pages] == [
                ["data/0.bin", "data/1.bin"], ["data/2.bin"]
            ]
            await same_error(sync, aio, "get_object", "NoSuchKey", Bucket=BUCKET, Key="data/9.bin")
            await same_error(sync, aio, "list_objects_v2", "NoSuchBucket", Bucket="no-such-bucket-here")

    run(flow)


def test_an_event_stream_reads_as_through_boto3(aws: Aws) -> None:
    select = {
        "Bucket": BUCKET,
        "Key": "table.csv",
        "Expression": "SELECT * FROM S3Object",
        "ExpressionType": "SQL",
        "InputSerialization": {"CSV": {"FileHeaderInfo": "USE"}},
        "OutputSerialization": {"JSON": {}},
    }

    async def flow() -> None:
        async with twins(aws, "s3") as (sync, aio):
            await aio.create_bucket(Bucket=BUCKET)
            await aio.put_object(Bucket=BUCKET, Key="table.csv", Body=b"a,b\n1,2\n3,4\n")
            selected = await aio.select_object_content(**select)
            events = [event async for event in selected["Payload"]]
            assert b'{"a":"3","b":"4"}' in events[0]["Records"]["Payload"]
            assert events == list(sync.select_object_content(**select)["Payload"])

    run(flow)
