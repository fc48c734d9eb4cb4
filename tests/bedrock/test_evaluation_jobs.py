"""Bedrock evaluation jobs through boto3, in-process and against the server."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.modes import ACCOUNT, Aws

KIND = "bedrock::evaluation-job"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-eval"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
EVALUATOR = "anthropic.claude-3-5-sonnet-20240620-v1:0"
BUCKET = "eval-results"
JOB_ARN = re.compile(rf"^arn:aws:bedrock:us-east-1:{ACCOUNT}:evaluation-job/([a-z0-9]{{12}})$")
PROMPTS = [{"prompt": "What is 2+2?", "referenceResponse": "4"}, {"prompt": "Capital of France?"}]


def dataset(name: str = "math", uri: str | None = f"s3://{BUCKET}/datasets/prompts.jsonl") -> dict[str, Any]:
    return {"name": name, **({"datasetLocation": {"s3Uri": uri}} if uri else {})}


def automated(task: str = "QuestionAndAnswer") -> dict[str, Any]:
    return {
        "automated": {
            "datasetMetricConfigs": [
                {"taskType": task, "dataset": dataset(), "metricNames": ["Builtin.Accuracy", "Builtin.Robustness"]}
            ],
            "evaluatorModelConfig": {"bedrockEvaluatorModels": [{"modelIdentifier": EVALUATOR}]},
        }
    }


HUMAN = {
    "human": {
        "humanWorkflowConfig": {
            "flowDefinitionArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:flow-definition/review",
            "instructions": "Rate each answer",
        },
        "customMetrics": [{"name": "Helpfulness", "ratingMethod": "ThumbsUpDown"}],
        "datasetMetricConfigs": [{"taskType": "Generation", "dataset": dataset("stories"), "metricNames": ["Helpfulness"]}],
    }
}
MODELS = {"models": [{"bedrockModel": {"modelIdentifier": MODEL, "inferenceParams": "{}"}}]}
RAG = {
    "ragConfigs": [
        {
            "knowledgeBaseConfig": {
                "retrieveConfig": {
                    "knowledgeBaseId": "KB12345678",
                    "knowledgeBaseRetrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 5}},
                }
            }
        }
    ]
}


def create_job(bedrock: Any, name: str = "eval-1", evaluation: dict[str, Any] | None = None,
               inference: dict[str, Any] | None = None, **extra: Any) -> str:
    return bedrock.create_evaluation_job(  # type: ignore[no-any-return]
        jobName=name,
        roleArn=ROLE,
        evaluationConfig=evaluation or automated(),
        inferenceConfig=inference or MODELS,
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/out/"},
        **extra,
    )["jobArn"]


def with_prompts(aws: Aws) -> Any:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="datasets/prompts.jsonl", Body="".join(json.dumps(p) + "\n" for p in PROMPTS))
    return s3


def result_keys(s3: Any) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="out/").get("Contents", []))


def test_automated_model_evaluation_completes_and_writes_its_results(aws: Aws) -> None:
    s3 = with_prompts(aws)
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    created = bedrock.create_evaluation_job(
        jobName="eval-1", roleArn=ROLE, evaluationConfig=automated(), inferenceConfig=MODELS,
        outputDataConfig={"s3Uri": f"s3://{BUCKET}/out/"}, jobDescription="first",
        jobTags=[{"key": "team", "value": "ml"}],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    arn = created["jobArn"]
    match = JOB_ARN.match(arn)
    assert match
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    assert (job["status"], job["jobType"], job["applicationType"]) == ("InProgress", "Automated", "ModelEvaluation")
    assert job["jobDescription"] == "first"
    assert job["evaluationConfig"] == automated()
    assert job["inferenceConfig"] == MODELS
    assert "failureMessages" not in job
    assert result_keys(s3) == []
    assert aws.control.advance(KIND, "eval-1") == "Completed"
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    assert job["status"] == "Completed" and job["lastModifiedTime"] >= job["creationTime"]

    ident = match.group(1)
    (key,) = result_keys(s3)
    assert re.fullmatch(
        rf"out/eval-1/{ident}/models/{re.escape(MODEL)}/taskTypes/QuestionAndAnswer/datasets/math/[a-z0-9]+_output\.jsonl", key
    )
    lines = [json.loads(line) for line in s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode().splitlines()]
    assert [line["inputRecord"] for line in lines] == PROMPTS
    for line in lines:
        scores = line["automatedEvaluationResult"]["scores"]
        assert [score["metricName"] for score in scores] == ["Builtin.Accuracy", "Builtin.Robustness"]
        assert line["modelResponses"][0]["modelIdentifier"] == MODEL
    assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "team", "value": "ml"}]


def test_human_evaluation_results(aws: Aws) -> None:
    s3 = with_prompts(aws)
    bedrock = aws.client("bedrock")
    arn = create_job(bedrock, evaluation=HUMAN)
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    assert (job["status"], job["jobType"]) == ("Completed", "Human")
    (key,) = result_keys(s3)
    assert re.fullmatch(r"out/eval-1/[a-z0-9]{12}/datasets/stories/[a-z0-9]+_output\.jsonl", key)
    summary = bedrock.list_evaluation_jobs()["jobSummaries"][0]
    assert summary["evaluationTaskTypes"] == ["Generation"]
    assert summary["evaluatorModelIdentifiers"] == []


def test_rag_evaluation(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    arn = create_job(bedrock, applicationType="RagEvaluation", inference=RAG)
    job = bedrock.get_evaluation_job(jobIdentifier=arn)
    assert (job["status"], job["applicationType"]) == ("Completed", "RagEvaluation")
    summary = bedrock.list_evaluation_jobs(applicationTypeEquals="RagEvaluation")["jobSummaries"][0]
    assert summary["ragIdentifiers"] == ["KB12345678"]
    assert summary["inferenceConfigSummary"]["ragConfigSummary"]["bedrockKnowledgeBaseIdentifiers"] == ["KB12345678"]
    assert summary["evaluatorModelIdentifiers"] == [EVALUATOR]
    assert "jobSummaries" not in bedrock.list_evaluation_jobs(applicationTypeEquals="ModelEvaluation")


def test_application_type_must_match_the_inference_config(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    with pytest.raises(bedrock.exceptions.ValidationException, match="ragConfigs"):
        create_job(bedrock, applicationType="RagEvaluation", inference=MODELS)
    with pytest.raises(bedrock.exceptions.ValidationException, match="models"):
        create_job(bedrock, inference=RAG)
    assert "jobSummaries" not in bedrock.list_evaluation_jobs()


def test_bad_input_gets_validation_errors_naming_the_field(aws: Aws) -> None:
    bedrock = aws.client("bedrock", validate=False)
    for change, field in [
        ({"jobName": "Upper_Case"}, "jobName"),
        ({"evaluationConfig": {}}, "evaluationConfig"),
        ({"outputDataConfig": {"s3Uri": "http://x"}}, "s3Uri"),
        ({"applicationType": "Other"}, "applicationType"),
    ]:
        params = {"jobName": "ok", "roleArn": ROLE, "evaluationConfig": automated(), "inferenceConfig": MODELS,
                  "outputDataConfig": {"s3Uri": f"s3://{BUCKET}/out/"}, **change}
        with pytest.raises(ClientError) as info:
            bedrock.create_evaluation_job(**params)
        assert info.value.response["Error"]["Code"] == "ValidationException"
        assert field in info.value.response["Error"]["Message"]


def test_failure_injection_fills_failure_messages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.fail(KIND, "the evaluator model is not available")
    job = bedrock.get_evaluation_job(jobIdentifier=create_job(bedrock))
    assert (job["status"], job["failureMessages"]) == ("Failed", ["the evaluator model is not available"])


def test_stop_walks_stopping_to_stopped(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arn = create_job(bedrock)
    bedrock.stop_evaluation_job(jobIdentifier=arn)
    assert bedrock.get_evaluation_job(jobIdentifier=arn)["status"] == "Stopping"
    assert bedrock.list_evaluation_jobs(statusEquals="Stopping")["jobSummaries"][0]["jobArn"] == arn
    assert aws.control.advance(KIND, arn) == "Stopped"
    assert bedrock.get_evaluation_job(jobIdentifier=arn)["status"] == "Stopped"
    with pytest.raises(bedrock.exceptions.ConflictException, match="Stopped"):
        bedrock.stop_evaluation_job(jobIdentifier=arn)


def test_batch_delete_walks_deleting_then_the_job_is_gone(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    done, running = create_job(bedrock, name="done"), create_job(bedrock, name="running")
    aws.control.advance(KIND, done)
    missing = done[:-12] + "abcdefabcdef"
    answer = bedrock.batch_delete_evaluation_job(jobIdentifiers=[done, running, missing])
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["evaluationJobs"] == [{"jobIdentifier": done, "jobStatus": "Deleting"}]
    assert {(e["jobIdentifier"], e["code"]) for e in answer["errors"]} == {
        (running, "ConflictException"), (missing, "ResourceNotFoundException"),
    }
    assert bedrock.get_evaluation_job(jobIdentifier=done)["status"] == "Deleting"
    assert aws.control.advance(KIND, running) == "Completed"
    aws.control.set_progression(KIND, "immediate")
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.get_evaluation_job(jobIdentifier=done)
    assert [job["jobName"] for job in bedrock.list_evaluation_jobs()["jobSummaries"]] == ["running"]
    with pytest.raises(bedrock.exceptions.ResourceNotFoundException):
        bedrock.list_tags_for_resource(resourceARN=done)


def test_unknown_jobs_and_duplicate_names(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    unknown = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:evaluation-job/abcdefabcdef"
    for call in (bedrock.get_evaluation_job, bedrock.stop_evaluation_job):
        with pytest.raises(bedrock.exceptions.ResourceNotFoundException) as info:
            call(jobIdentifier=unknown)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    create_job(bedrock)
    with pytest.raises(bedrock.exceptions.ConflictException, match="eval-1"):
        create_job(bedrock)


def test_client_request_token_is_idempotent(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    first = create_job(bedrock, clientRequestToken="token-1")
    assert create_job(bedrock, clientRequestToken="token-1") == first
    with pytest.raises(bedrock.exceptions.ConflictException):
        create_job(bedrock, name="other", clientRequestToken="token-1")


def test_list_filters_sorts_and_pages(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    aws.control.set_progression(KIND, "manual", times=1000)
    arns = [create_job(bedrock, name=name) for name in ("alpha-1", "beta-1", "alpha-2")]
    aws.control.advance(KIND, arns[1])

    def names(**kwargs: Any) -> list[str]:
        return [job["jobName"] for job in bedrock.list_evaluation_jobs(**kwargs)["jobSummaries"]]

    assert names() == ["alpha-2", "beta-1", "alpha-1"]
    assert names(sortBy="CreationTime", sortOrder="Ascending") == ["alpha-1", "beta-1", "alpha-2"]
    assert names(nameContains="alpha") == ["alpha-2", "alpha-1"]
    assert names(statusEquals="Completed") == ["beta-1"]
    middle = bedrock.get_evaluation_job(jobIdentifier=arns[1])["creationTime"]
    assert names(creationTimeAfter=middle) == ["alpha-2"]
    assert names(creationTimeBefore=middle) == ["alpha-1"]
    page = bedrock.list_evaluation_jobs(maxResults=2)
    assert [job["jobName"] for job in page["jobSummaries"]] == ["alpha-2", "beta-1"]
    rest = bedrock.list_evaluation_jobs(maxResults=2, nextToken=page["nextToken"])
    assert [job["jobName"] for job in rest["jobSummaries"]] == ["alpha-1"] and "nextToken" not in rest
    paged = [
        job["jobName"]
        for page in bedrock.get_paginator("list_evaluation_jobs").paginate(PaginationConfig={"PageSize": 1})
        for job in page["jobSummaries"]
    ]
    assert paged == ["alpha-2", "beta-1", "alpha-1"]
    with pytest.raises(bedrock.exceptions.ValidationException, match="nextToken"):
        bedrock.list_evaluation_jobs(nextToken="bogus")


def test_tags_on_evaluation_and_invocation_jobs_are_ours(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    evaluation = create_job(bedrock)
    invocation = bedrock.create_model_invocation_job(
        jobName="tagged", roleArn=ROLE, modelId=MODEL,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://tag-bucket/in.jsonl"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://tag-bucket/out/"}},
    )["jobArn"]
    for arn in (evaluation, invocation):
        bedrock.tag_resource(resourceARN=arn, tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
        bedrock.untag_resource(resourceARN=arn, tagKeys=["a"])
        assert bedrock.list_tags_for_resource(resourceARN=arn)["tags"] == [{"key": "b", "value": "2"}]
    with pytest.raises(bedrock.exceptions.TooManyTagsException):
        bedrock.tag_resource(resourceARN=evaluation, tags=[{"key": f"k{i}", "value": "v"} for i in range(200)])
    assert len(bedrock.list_tags_for_resource(resourceARN=evaluation)["tags"]) == 1


def test_a_page_holds_at_most_five_jobs_as_the_model_says(aws: Aws) -> None:
    bedrock = aws.client("bedrock")
    assert "jobSummaries" not in bedrock.list_evaluation_jobs()  # the model's list is 1 to 5 long
    for index in range(7):
        create_job(bedrock, name=f"job-{index}")
    page = bedrock.list_evaluation_jobs(maxResults=100)
    assert [job["jobName"] for job in page["jobSummaries"]] == [f"job-{index}" for index in range(6, 1, -1)]
    rest = bedrock.list_evaluation_jobs(maxResults=100, nextToken=page["nextToken"])
    assert [job["jobName"] for job in rest["jobSummaries"]] == ["job-1", "job-0"] and "nextToken" not in rest
    paged = [job["jobName"] for page in bedrock.get_paginator("list_evaluation_jobs").paginate() for job in page["jobSummaries"]]
    assert paged == [f"job-{index}" for index in range(6, -1, -1)]
