"""ListCompilationJobs: filters, sort orders, pages, tokens and boto3's paginator."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.serialize import create_serializer
from freezegun import freeze_time

from tests.modes import Aws

from .helpers import KIND, OUTPUT, create_job, error_of, names, status


def _client_sends_milliseconds() -> bool:
    """Whether the installed botocore sends request timestamps to the millisecond (older
    releases send whole seconds, so bounds read from a response lose their fraction)."""
    operation = boto3.session.Session().client("sagemaker", region_name="us-east-1").meta.service_model.operation_model(
        "ListCompilationJobs"
    )
    bound = datetime(2024, 1, 1, 0, 0, 0, 500000, tzinfo=timezone.utc)
    body = create_serializer("json").serialize_to_request({"CreationTimeAfter": bound}, operation)["body"]
    return b".5" in body


MILLISECONDS = _client_sends_milliseconds()
#: Times are shown to the millisecond: keep the steps of a test apart (a second apart
#: where the client sends whole seconds).
STEP = 0.003 if MILLISECONDS else 1.01


def after_bound(moment: datetime) -> datetime:
    """A lower bound that excludes ``moment`` once the client has sent it (a client that
    sends whole seconds would cut it down to before ``moment``: round up instead)."""
    return moment if MILLISECONDS else moment.replace(microsecond=0) + timedelta(seconds=1)


def later() -> None:
    time.sleep(STEP)


def make_jobs(aws: Aws) -> Any:
    """alpha COMPLETED, bravo FAILED, charlie STOPPED, delta INPROGRESS, echo STARTING,
    created in that order, then modified in that order (echo not since its creation)."""
    sagemaker = aws.client("sagemaker")
    aws.control.set_progression(KIND, "manual", times=1000)
    aws.control.fail(KIND, "broken", job="bravo-job")
    for name in ("alpha-job", "bravo-job", "charlie-job", "delta-job", "echo-job"):
        create_job(sagemaker, name=name)
        later()
    aws.control.advance(KIND, "alpha-job", steps=2)
    later()
    aws.control.advance(KIND, "bravo-job", steps=2)
    later()
    sagemaker.stop_compilation_job(CompilationJobName="charlie-job")
    aws.control.advance(KIND, "charlie-job")
    later()
    aws.control.advance(KIND, "delta-job")
    return sagemaker


def test_default_order_and_sorts(aws: Aws) -> None:
    sagemaker = make_jobs(aws)
    list_jobs = sagemaker.list_compilation_jobs
    created = ["alpha-job", "bravo-job", "charlie-job", "delta-job", "echo-job"]
    # Default: CreationTime, Ascending.
    assert names(list_jobs()["CompilationJobSummaries"]) == created
    assert names(list_jobs(SortOrder="Descending")["CompilationJobSummaries"]) == created[::-1]
    assert names(list_jobs(SortBy="CreationTime", SortOrder="Ascending")["CompilationJobSummaries"]) == created
    by_name = list_jobs(SortBy="Name", SortOrder="Descending")["CompilationJobSummaries"]
    assert names(by_name) == sorted(created, reverse=True)
    by_status = list_jobs(SortBy="Status")["CompilationJobSummaries"]
    assert [j["CompilationJobStatus"] for j in by_status] == [
        "COMPLETED", "FAILED", "INPROGRESS", "STARTING", "STOPPED"
    ]
    assert names(by_status) == ["alpha-job", "bravo-job", "delta-job", "echo-job", "charlie-job"]


def test_filters(aws: Aws) -> None:
    sagemaker = make_jobs(aws)
    list_jobs = sagemaker.list_compilation_jobs
    for wanted, name in [
        ("COMPLETED", "alpha-job"),
        ("FAILED", "bravo-job"),
        ("STOPPED", "charlie-job"),
        ("INPROGRESS", "delta-job"),
        ("STARTING", "echo-job"),
    ]:
        summaries = list_jobs(StatusEquals=wanted)["CompilationJobSummaries"]
        assert [(j["CompilationJobName"], j["CompilationJobStatus"]) for j in summaries] == [(name, wanted)]
    assert list_jobs(StatusEquals="STOPPING")["CompilationJobSummaries"] == []
    assert names(list_jobs(NameContains="ha")["CompilationJobSummaries"]) == ["alpha-job", "charlie-job"]
    assert list_jobs(NameContains="HA")["CompilationJobSummaries"] == []

    everything = list_jobs()["CompilationJobSummaries"]
    times = [j["CreationTime"] for j in everything]
    after = list_jobs(CreationTimeAfter=after_bound(times[2]))["CompilationJobSummaries"]
    assert names(after) == ["delta-job", "echo-job"]
    before = list_jobs(CreationTimeBefore=times[1])["CompilationJobSummaries"]
    assert names(before) == ["alpha-job"]
    between = list_jobs(CreationTimeAfter=after_bound(times[0]), CreationTimeBefore=times[3])
    assert names(between["CompilationJobSummaries"]) == ["bravo-job", "charlie-job"]

    # delta was modified last; echo not since it was created, before anything moved.
    modified = {j["CompilationJobName"]: j["LastModifiedTime"] for j in everything}
    newest = list_jobs(LastModifiedTimeAfter=after_bound(modified["charlie-job"]))["CompilationJobSummaries"]
    assert names(newest) == ["delta-job"]
    oldest = list_jobs(LastModifiedTimeBefore=modified["alpha-job"])["CompilationJobSummaries"]
    assert names(oldest) == ["echo-job"]

    combined = list_jobs(StatusEquals="COMPLETED", NameContains="alpha", SortOrder="Descending")
    assert names(combined["CompilationJobSummaries"]) == ["alpha-job"]


def test_time_filters_with_freezegun(decorator_aws: Aws) -> None:
    sagemaker = decorator_aws.client("sagemaker")
    start = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
    with freeze_time(start) as clock:
        for index in range(4):
            create_job(sagemaker, name=f"job-{index}")
            assert status(sagemaker, f"job-{index}") == "COMPLETED"  # finished when looked at
            clock.tick(timedelta(hours=1))
        list_jobs = sagemaker.list_compilation_jobs
        after = list_jobs(CreationTimeAfter=start + timedelta(minutes=30))["CompilationJobSummaries"]
        assert names(after) == ["job-1", "job-2", "job-3"]
        # Bounds are exclusive.
        exact = list_jobs(
            CreationTimeAfter=start + timedelta(hours=1), CreationTimeBefore=start + timedelta(hours=3)
        )
        assert names(exact["CompilationJobSummaries"]) == ["job-2"]
        modified = list_jobs(LastModifiedTimeBefore=start + timedelta(hours=2))
        assert names(modified["CompilationJobSummaries"]) == ["job-0", "job-1"]
        modified = list_jobs(LastModifiedTimeAfter=start + timedelta(hours=2))
        assert names(modified["CompilationJobSummaries"]) == ["job-3"]


def test_pages_and_tokens(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    for index in range(12):
        create_job(sagemaker, name=f"job-{index:02d}")
    list_jobs = sagemaker.list_compilation_jobs
    # Without MaxResults a page holds 10.
    first = list_jobs()
    assert names(first["CompilationJobSummaries"]) == [f"job-{i:02d}" for i in range(10)]
    rest = list_jobs(NextToken=first["NextToken"])
    assert names(rest["CompilationJobSummaries"]) == ["job-10", "job-11"]
    assert "NextToken" not in rest

    seen, token = [], None
    while True:
        page = list_jobs(MaxResults=5, SortBy="Name", SortOrder="Descending",
                         **({"NextToken": token} if token else {}))
        seen.extend(names(page["CompilationJobSummaries"]))
        token = page.get("NextToken")
        if token is None:
            break
        # Tokens are opaque: no job name in them.
        assert "job" not in token
    assert seen == [f"job-{i:02d}" for i in range(11, -1, -1)]

    page = list_jobs(MaxResults=100, NameContains="job-1")
    assert names(page["CompilationJobSummaries"]) == ["job-10", "job-11"] and "NextToken" not in page

    # A filter applies on every page, and the last page has no token.
    filtered = list_jobs(MaxResults=1, NameContains="job-1")
    assert names(filtered["CompilationJobSummaries"]) == ["job-10"]
    last = list_jobs(MaxResults=1, NameContains="job-1", NextToken=filtered["NextToken"])
    assert names(last["CompilationJobSummaries"]) == ["job-11"] and "NextToken" not in last


def test_bad_tokens_and_parameters(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker", validate=False)
    for index in range(3):
        create_job(sagemaker, name=f"job-{index}")
    token = sagemaker.list_compilation_jobs(MaxResults=1)["NextToken"]
    for kwargs in (
        {"NextToken": "not-a-token"},
        # A token made for one order is no good for another.
        {"NextToken": token, "SortOrder": "Descending"},
        {"NextToken": token, "SortBy": "Name"},
    ):
        with pytest.raises(ClientError) as info:
            sagemaker.list_compilation_jobs(**kwargs)
        code, http_status, message = error_of(info)
        assert (code, http_status) == ("ValidationException", 400) and "'NextToken'" in message
    for kwargs, field in [
        ({"MaxResults": 0}, "MaxResults"),
        ({"MaxResults": 101}, "MaxResults"),
        ({"StatusEquals": "Completed"}, "StatusEquals"),
        ({"SortBy": "LastModifiedTime"}, "SortBy"),
        ({"SortOrder": "Up"}, "SortOrder"),
        ({"NameContains": "no spaces"}, "NameContains"),
    ]:
        with pytest.raises(ClientError) as info:
            sagemaker.list_compilation_jobs(**kwargs)
        code, _, message = error_of(info)
        assert code == "ValidationException" and f"'{field}'" in message, message


def test_paginator_walks_everything(aws: Aws) -> None:
    sagemaker = aws.client("sagemaker")
    for index in range(7):
        target = "ml_c5" if index % 2 else "ml_m5"
        create_job(sagemaker, name=f"job-{index}", OutputConfig={**OUTPUT, "TargetDevice": target})
    paginator = sagemaker.get_paginator("list_compilation_jobs")
    pages = list(paginator.paginate(SortBy="Name", PaginationConfig={"PageSize": 3}))
    assert [len(page["CompilationJobSummaries"]) for page in pages] == [3, 3, 1]
    summaries = [s for page in pages for s in page["CompilationJobSummaries"]]
    assert names(summaries) == [f"job-{i}" for i in range(7)]
    assert [s["CompilationTargetDevice"] for s in summaries] == ["ml_m5", "ml_c5"] * 3 + ["ml_m5"]
    limited = paginator.paginate(PaginationConfig={"MaxItems": 4, "PageSize": 3}).build_full_result()
    assert names(limited["CompilationJobSummaries"]) == [f"job-{i}" for i in range(4)]
    assert "NextToken" in limited


def test_paginator_keeps_filters_and_sort_on_every_page(aws: Aws) -> None:
    sagemaker = make_jobs(aws)
    paginator = sagemaker.get_paginator("list_compilation_jobs")
    pages = list(paginator.paginate(SortBy="Status", SortOrder="Descending",
                                    PaginationConfig={"PageSize": 2}))
    assert [len(page["CompilationJobSummaries"]) for page in pages] == [2, 2, 1]
    statuses = [s["CompilationJobStatus"] for page in pages for s in page["CompilationJobSummaries"]]
    assert statuses == ["STOPPED", "STARTING", "INPROGRESS", "FAILED", "COMPLETED"]

    # Resumed from a token, with a filter that only some jobs pass.
    first = paginator.paginate(NameContains="a-job", SortBy="Name",
                               PaginationConfig={"MaxItems": 1}).build_full_result()
    assert names(first["CompilationJobSummaries"]) == ["alpha-job"]
    rest = paginator.paginate(NameContains="a-job", SortBy="Name",
                              PaginationConfig={"StartingToken": first["NextToken"]}).build_full_result()
    assert names(rest["CompilationJobSummaries"]) == ["delta-job"]
