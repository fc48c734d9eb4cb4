"""What Bedrock model import lends the reliability tests (see tests/reliability/services.py)."""

from __future__ import annotations

from typing import Any

from tests.reliability.services import Make, ReliabilityFixture, all_pages

ROLE = "arn:aws:iam::123456789012:role/bedrock-import"
SOURCE = {"s3DataSource": {"s3Uri": "s3://my-models/llama/"}}


def client(make: Make) -> Any:
    return make("bedrock")


def setup_import_jobs(make: Make) -> dict[str, list[Any]]:
    """Import jobs and models, batch inference, evaluation and prompt optimization jobs."""
    bedrock = client(make)
    job = create_job(bedrock, "fuzz-job")["jobArn"]
    model = bedrock.get_imported_model(modelIdentifier="fuzz-job-model")["modelArn"]
    values = {
        "jobIdentifier": ["fuzz-job", job],
        "modelIdentifier": ["fuzz-job-model", model],
        "resourceARN": [job, model],
        "roleArn": [ROLE],
        "modelDataSource": [SOURCE],
    }
    for family_values in (batch_inference_values(bedrock), evaluation_values(bedrock), prompt_optimization_values(bedrock)):
        for member, more in family_values.items():
            values.setdefault(member, []).extend(more)
    return values


# -- batch inference (invocation_jobs.py) ---------------------------------------------

BATCH_INPUT = {"s3InputDataConfig": {"s3Uri": "s3://fuzz-batch/input.jsonl"}}
BATCH_OUTPUT = {"s3OutputDataConfig": {"s3Uri": "s3://fuzz-batch/output/"}}
BATCH_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def batch_inference_values(bedrock: Any) -> dict[str, list[Any]]:
    job = bedrock.create_model_invocation_job(
        jobName="fuzz-batch", roleArn=ROLE, modelId=BATCH_MODEL,
        inputDataConfig=BATCH_INPUT, outputDataConfig=BATCH_OUTPUT,
    )["jobArn"]
    return {
        "jobIdentifier": [job, job.rpartition("/")[2]],
        "resourceARN": [job],
        "modelId": [BATCH_MODEL],
        "inputDataConfig": [BATCH_INPUT],
        "outputDataConfig": [BATCH_OUTPUT],
    }


# -- evaluation jobs (evaluation_jobs.py) ---------------------------------------------

EVALUATION_CONFIG = {
    "automated": {
        "datasetMetricConfigs": [
            {"taskType": "Summarization", "dataset": {"name": "fuzz"}, "metricNames": ["Builtin.Accuracy"]}
        ]
    }
}
INFERENCE_CONFIG = {"models": [{"bedrockModel": {"modelIdentifier": BATCH_MODEL, "inferenceParams": "{}"}}]}
EVALUATION_OUTPUT = {"s3Uri": "s3://fuzz-evaluation/output/"}


def evaluation_values(bedrock: Any) -> dict[str, list[Any]]:
    job = bedrock.create_evaluation_job(
        jobName="fuzz-evaluation", roleArn=ROLE, evaluationConfig=EVALUATION_CONFIG,
        inferenceConfig=INFERENCE_CONFIG, outputDataConfig=EVALUATION_OUTPUT,
    )["jobArn"]
    return {
        "jobIdentifier": [job],
        "jobIdentifiers": [[job]],
        "resourceARN": [job],
        "evaluationConfig": [EVALUATION_CONFIG],
        "inferenceConfig": [INFERENCE_CONFIG],
        "outputDataConfig": [EVALUATION_OUTPUT],
    }


def create_job(bedrock: Any, name: str) -> Any:
    return bedrock.create_model_import_job(
        jobName=name, importedModelName=f"{name}-model", roleArn=ROLE, modelDataSource=SOURCE
    )


def create_job_with_token(bedrock: Any, name: str, token: str) -> str:
    return bedrock.create_model_import_job(  # type: ignore[no-any-return]
        jobName=name, importedModelName=f"{name}-model", roleArn=ROLE, modelDataSource=SOURCE,
        clientRequestToken=token,
    )["jobArn"]


def job_names(bedrock: Any) -> list[str]:
    jobs = all_pages(bedrock.list_model_import_jobs, "modelImportJobSummaries", "nextToken")
    return [job["jobName"] for job in jobs]


# -- customization, custom models, copies, throughput, deployments (bedrock-models) -------

BASE = "amazon.titan-text-express-v1:0:8k"
TRAINING = {"s3Uri": "s3://training-bucket/train.jsonl"}
OUTPUT = {"s3Uri": "s3://output-bucket/out/"}


def setup_models(make: Make) -> dict[str, list[Any]]:
    bedrock = client(make)
    job = bedrock.create_model_customization_job(
        jobName="fuzz-tune", customModelName="fuzz-custom", roleArn=ROLE, baseModelIdentifier=BASE,
        trainingDataConfig=TRAINING, outputDataConfig=OUTPUT, hyperParameters={"epochCount": "2"},
    )["jobArn"]
    model = bedrock.get_custom_model(modelIdentifier="fuzz-custom")["modelArn"]
    spare = bedrock.create_model_customization_job(
        jobName="fuzz-tune-2", customModelName="fuzz-custom-2", roleArn=ROLE, baseModelIdentifier=BASE,
        trainingDataConfig=TRAINING, outputDataConfig=OUTPUT,
    )["jobArn"]
    spare_model = bedrock.get_custom_model(modelIdentifier="fuzz-custom-2")["modelArn"]
    copy_job = bedrock.create_model_copy_job(sourceModelArn=model, targetModelName="fuzz-copy")["jobArn"]
    throughput = bedrock.create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName="fuzz-pt", modelId=model
    )["provisionedModelArn"]
    deployment = bedrock.create_custom_model_deployment(
        modelDeploymentName="fuzz-deployment", modelArn=model
    )["customModelDeploymentArn"]
    return {
        "jobIdentifier": ["fuzz-tune", job, "fuzz-tune-2", spare],
        "modelIdentifier": ["fuzz-custom", model, "fuzz-custom-2", spare_model],
        "resourceARN": [job, model, throughput, deployment],
        "baseModelIdentifier": [BASE],
        "trainingDataConfig": [TRAINING],
        "outputDataConfig": [OUTPUT],
        "sourceModelArn": [model],
        "jobArn": [copy_job],
        "modelArn": [model, spare_model],
        "modelId": [BASE, model, "fuzz-custom-2"],
        "desiredModelId": [BASE, spare_model],
        "provisionedModelId": ["fuzz-pt", throughput],
        "customModelDeploymentIdentifier": ["fuzz-deployment", deployment],
    }


def setup(make: Make) -> dict[str, list[Any]]:
    """Every family's resources."""
    seeds = setup_import_jobs(make)
    for member, values in setup_models(make).items():
        seeds[member] = seeds.get(member, []) + values
    return seeds


FIXTURE = ReliabilityFixture(
    client=client,
    setup=setup,
    create_job=create_job,
    job_names=job_names,
    conflict_code="ConflictException",
    create_job_with_token=create_job_with_token,
    describe_job=lambda bedrock, name: bedrock.get_model_import_job(jobIdentifier=name),
    delete_job=lambda bedrock, name: bedrock.delete_imported_model(modelIdentifier=f"{name}-model"),
)


# -- advanced prompt optimization jobs (prompt_optimization_jobs.py) -------------------

PROMPT_INPUT = {"s3Uri": "s3://fuzz-prompts/input.jsonl"}
PROMPT_OUTPUT = {"s3Uri": "s3://fuzz-prompts/output/"}
PROMPT_MODELS = [{"modelId": BATCH_MODEL}]


def prompt_optimization_values(bedrock: Any) -> dict[str, list[Any]]:
    job = bedrock.create_advanced_prompt_optimization_job(
        jobName="fuzz-prompts", inputConfig=PROMPT_INPUT, outputConfig=PROMPT_OUTPUT, modelConfigurations=PROMPT_MODELS,
    )["jobArn"]
    return {
        "jobIdentifier": [job, job.rpartition("/")[2]],
        "jobIdentifiers": [[job]],
        "inputConfig": [PROMPT_INPUT],
        "outputConfig": [PROMPT_OUTPUT],
        "modelConfigurations": [PROMPT_MODELS],
    }
