"""Bedrock advanced prompt optimization jobs through boto3, in-process and against the
server, with the input and results in moto's S3."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws

KIND = "bedrock::advanced-prompt-optimization-job"
BUCKET = "prompt-opt"
MODELS = [{"modelId": "anthropic.claude-3-haiku-20240307-v1:0"}, {"modelId": "amazon.nova-lite-v1:0"}]
JOB_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:advanced-prompt-optimization-job/([a-z0-9]{{12}})$")
SAMPLES = [{"inputVariables": [{"city": "Paris"}], "referenceResponse": "France"}]
TEMPLATES = [
    {"version": "bedrock-2026-05-14", "templateId": "t1", "promptTemplate": "Where is {{city}}?", "evaluationSamples": SAMPLES},
    {"version": "bedrock-2026-05-14", "templateId": "t2", "promptTemplate": "Describe {{city}}.", "evaluationSamples": SAMPLES},
]


def put_input(aws: Aws, templates: list[Any] | None = None, raw: bytes | None = None) -> Any:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    body = raw if raw is not None else "".join(json.dumps(t) + "\n" for t in templates or TEMPLATES).encode()
    s3.put_object(Bucket=BUCKET, Key="input/templates.jsonl", Body=body)
    return s3


def create_job(bedrock: Any, name: str = "opt-1", models: list[Any] = MODELS, **extra: Any) -> str:
    return bedrock.create_advanced_prompt_optimization_job(  # type: ignore[no-any-return]
        jobName=name,
        inputConfig={"s3Uri": f"s3://{BUCKET}/input/templates.jsonl"},
        outputConfig={"s3Uri": f"s3://{BUCKET}/output/"},
        modelConfigurations=models,
        **extra,
    )["jobArn"]


def results(s3: Any, arn: str) -> list[dict[str, Any]]:
    match = JOB_ARN.match(arn)
    assert match, arn
    key = f"output/{match.group(1)}/advanced_prompt_optimization_results.jsonl"
    return [json.loads(line) for line in s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode().splitlines()]


def test_manual_job_completes_and_writes_its_results(aws: Aws) -> None:
    s3 = put_input(aws)
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(bedrock, jobDescription="first", tags=[{"key": "team", "value": "ml"}])
    job = bedrock.get_advanced_prompt_optimization_job(jobIdentifier=arn)
    assert (job["jobStatus"], job["jobName"], job["jobDescription"]) == ("InProgress", "opt-1", "first")
    assert job["modelConfigurations"] == MODELS
    assert "failureMessage" not in job
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="output/")
    assert aws.control.advance(KIND, "opt-1") == "Completed"
    job = bedrock.get_advanced_prompt_optimization_job(jobIdentifier=arn.rpartition("/")[2])
    assert job["jobStatus"] == "Completed"
    lines = results(s3, arn)
    assert [line["promptTemplateId"] for line in lines] == ["t1", "t2"]
    for line, template in zip(lines, TEMPLATES, strict=True):
        assert [r["modelId"] for r in line["promptOptimizationResults"]] == [m["modelId"] for m in MODELS]
        for result in line["promptOptimizationResults"]:
            assert result["status"] == "Completed"
            assert result["optimizedPromptTemplate"].startswith(template["promptTemplate"])
    # The model's resourceARN pattern admits no prompt optimization job ARN: not taggable afterwards.
    with pytest.raises(bedrock.exceptions.ValidationException, match="resourceARN"):
        bedrock.list_tags_for_resource(resourceARN=arn)


def test_a_template_without_samples_makes_the_job_partly_completed(aws: Aws) -> None:
    s3 = put_input(aws, [TEMPLATES[0], {**TEMPLATES[1], "evaluationSamples": []}])
    bedrock = aws.client("bedrock")
    arn = create_job(bedrock)
    assert bedrock.get_advanced_prompt_optimization_job(jobIdentifier=arn)["jobStatus"] == "PartiallyCompleted"
    statuses = [[r["status"] for r in line["promptOptimizationResults"]] for line in results(s3, arn)]
    assert statuses == [["Completed", "Completed"], ["Failed", "Failed"]]


def test_a_malformed_template_or_a_missing_file_fails_the_job(aws: Aws) -> None:
    put_input(aws, raw=json.dumps(TEMPLATES[0]).encode() + b"\n{\"templateId\": \"t2\"}\n")
    bedrock = aws.client("bedrock")
    job = bedrock.get_advanced_prompt_optimization_job(jobIdentifier=create_job(bedrock))
    assert job["jobStatus"] == "Failed"
    assert job["failureMessage"] == (
        f"The prompt template on line 2 of s3://{BUCKET}/input/templates.jsonl has no promptTemplate"
    )
    aws.client("s3").delete_object(Bucket=BUCKET, Key="input/templates.jsonl")
    job = bedrock.get_advanced_prompt_optimization_job(jobIdentifier=create_job(bedrock, name="opt-2"))
    assert job["failureMessage"] == f"The input file s3://{BUCKET}/input/templates.jsonl does not exist"


def test_an_injected_failure_wins_over_the_input(aws: Aws) -> None:
    put_input(aws, raw=b"{not json\n")
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "service unavailable", job="opt-1")
    job = bedrock.get_advanced_prompt_optimization_job(jobIdentifier=create_job(bedrock))
    assert (job["jobStatus"], job["failureMessage"]) == ("Failed", "service unavailable")


def test_without_input_in_s3_the_job_still_completes(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    assert bedrock.get_advanced_prompt_optimization_job(jobIdentifier=create_job(bedrock))["jobStatus"] == "Completed"


def test_stop_and_batch_delete(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    stopped, running = create_job(bedrock, name="stopped"), create_job(bedrock, name="running")
    bedrock.stop_advanced_prompt_optimization_job(jobIdentifier=stopped)
    assert bedrock.get_advanced_prompt_optimization_job(jobIdentifier=stopped)["jobStatus"] == "Stopping"
    assert aws.control.advance(KIND, stopped) == "Stopped"
    with pytest.raises(bedrock.exceptions.ConflictException, match="Stopped"):
        bedrock.stop_advanced_prompt_optimization_job(jobIdentifier=stopped)
    missing = "abcdefabcdef"
    answer = bedrock.batch_delete_advanced_prompt_optimization_job(jobIdentifiers=[stopped, running, missing])
    assert answer["advancedPromptOptimizationJobs"] == [{"jobIdentifier": stopped, "jobStatus": "Deleting"}]
    assert {(e["jobIdentifier"], e["code"]) for e in answer["errors"]} == {
        (running, "ConflictException"), (missing, "ResourceNotFoundException"),
    }
    assert aws.control.advance(KIND, stopped) == "Deleted"
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_advanced_prompt_optimization_job(jobIdentifier=stopped)
    listed = bedrock.list_advanced_prompt_optimization_jobs()["jobSummaries"]
    assert [job["jobName"] for job in listed] == ["running"]


def test_unknown_jobs_duplicates_and_bad_input(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    for call in (bedrock.get_advanced_prompt_optimization_job, bedrock.stop_advanced_prompt_optimization_job):
        with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
            call(jobIdentifier="abcdefabcdef")
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    create_job(bedrock)
    with pytest.raises(bedrock.exceptions.ConflictException, match="opt-1"):
        create_job(bedrock)
    with pytest.raises(bedrock.exceptions.ValidationException, match="more than once"):
        create_job(bedrock, name="twice", models=[MODELS[0], MODELS[0]])
    raw = aws.client("bedrock", validate=False)
    with pytest.raises(ClientError) as error:
        raw.create_advanced_prompt_optimization_job(
            jobName="ok", inputConfig={"s3Uri": "s3://b/in.jsonl"}, outputConfig={"s3Uri": "s3://bucket/no-slash"},
            modelConfigurations=MODELS,
        )
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "s3Uri" in error.value.response["Error"]["Message"]


def test_client_token_is_idempotent(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = create_job(bedrock, clientToken="token-1")
    assert create_job(bedrock, clientToken="token-1") == first
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, name="other", clientToken="token-1")


def test_list_sorts_and_pages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    for name in ("a", "b", "c"):
        create_job(bedrock, name=name)

    def names(**kwargs: Any) -> list[str]:
        return [job["jobName"] for job in bedrock.list_advanced_prompt_optimization_jobs(**kwargs)["jobSummaries"]]

    assert names() == ["c", "b", "a"]
    assert names(sortBy="CreationTime", sortOrder="Ascending") == ["a", "b", "c"]
    page = bedrock.list_advanced_prompt_optimization_jobs(maxResults=2)
    assert [job["jobName"] for job in page["jobSummaries"]] == ["c", "b"]
    assert names(maxResults=2, nextToken=page["nextToken"]) == ["a"]
    with pytest.raises(bedrock.exceptions.ValidationException, match="nextToken"):
        bedrock.list_advanced_prompt_optimization_jobs(nextToken="bogus")
