"""The lookalike (audience) side of Clean Rooms ML: training datasets on moto's Glue
tables, audience models, configured audience models and their policies, audience
generation and export jobs, across the two members of the collaboration (both modes)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    OUTSIDER,
    UNKNOWN_COLLABORATION,
    A,
    B,
    Collab,
    error_code,
)

AUDIENCE_MODEL = "cleanroomsml::audience-model"
GENERATION_JOB = "cleanroomsml::audience-generation-job"
EXPORT_JOB = "cleanroomsml::audience-export-job"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ROLE = f"arn:aws:iam::{A}:role/cleanrooms-ml"
SEED_ROLE = f"arn:aws:iam::{B}:role/seed-reader"
DESTINATION = "s3://audiences/out/"
COLUMNS = [
    {"Name": "user_id", "Type": "string"},
    {"Name": "item_id", "Type": "string"},
    {"Name": "event_time", "Type": "bigint"},
    {"Name": "event_type", "Type": "string"},
]
SCHEMA = [
    {"columnName": "user_id", "columnTypes": ["USER_ID"]},
    {"columnName": "item_id", "columnTypes": ["ITEM_ID"]},
    {"columnName": "event_time", "columnTypes": ["TIMESTAMP"]},
    {"columnName": "event_type", "columnTypes": ["CATEGORICAL_FEATURE"]},
]
SIZES = {"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [5000, 1000]}
SEED = {"dataSource": {"s3Uri": "s3://seeds/users.jsonl"}, "roleArn": SEED_ROLE}


def arn_pattern(account: str, resource_type: str) -> re.Pattern[str]:
    return re.compile(rf"^arn:aws:cleanrooms-ml:us-east-1:{account}:{resource_type}/{UUID}$")


def glue_table(collab: Collab, database: str = "interactions", table: str = "events") -> None:
    glue = collab.aws.client_for_account("glue", A)
    glue.create_database(DatabaseInput={"Name": database})
    glue.create_table(
        DatabaseName=database, TableInput={"Name": table, "StorageDescriptor": {"Columns": COLUMNS}}
    )


def training_data(database: str = "interactions", table: str = "events", schema: Any = None) -> list[dict[str, Any]]:
    source = {"glueDataSource": {"databaseName": database, "tableName": table}}
    return [{"type": "INTERACTIONS", "inputConfig": {"schema": schema or SCHEMA, "dataSource": source}}]


def dataset(collab: Collab, name: str = "events", **extra: Any) -> str:
    params = {"name": name, "roleArn": ROLE, "trainingData": training_data(), **extra}
    return str(collab.a.create_training_dataset(**params)["trainingDatasetArn"])


def audience_model(collab: Collab, training_dataset: str, name: str = "lookalike", **extra: Any) -> str:
    return str(
        collab.a.create_audience_model(name=name, trainingDatasetArn=training_dataset, **extra)["audienceModelArn"]
    )


def configured(collab: Collab, model: str, name: str = "configured", **extra: Any) -> str:
    params: dict[str, Any] = {
        "name": name,
        "audienceModelArn": model,
        "outputConfig": {"destination": {"s3Destination": {"s3Uri": DESTINATION}}, "roleArn": ROLE},
        "sharedAudienceMetrics": ["NONE"],
        "audienceSizeConfig": SIZES,
        **extra,
    }
    params = {key: value for key, value in params.items() if value is not None}  # None: leave out
    return str(collab.a.create_configured_audience_model(**params)["configuredAudienceModelArn"])


def generate(collab: Collab, configured_model: str, name: str = "segment", client: Any = None, **extra: Any) -> str:
    params: dict[str, Any] = {
        "name": name,
        "configuredAudienceModelArn": configured_model,
        "seedAudience": SEED,
        "collaborationId": COLLABORATION,
        **extra,
    }
    params = {key: value for key, value in params.items() if value is not None}  # None: leave out
    return str((client or collab.b).start_audience_generation_job(**params)["audienceGenerationJobArn"])


def lookalike(collab: Collab, **extra: Any) -> str:
    """A's configured audience model, on an ACTIVE audience model of a Glue table."""
    glue_table(collab)
    return configured(collab, audience_model(collab, dataset(collab)), **extra)


def get_job(client: Any, arn: str) -> dict[str, Any]:
    job = dict(client.get_audience_generation_job(audienceGenerationJobArn=arn))
    del job["ResponseMetadata"]
    return job


def export_jobs(client: Any, **extra: Any) -> list[dict[str, Any]]:
    return list(client.list_audience_export_jobs(**extra)["audienceExportJobs"])


def refused(call: Any, code: str, match: str | None = None, **params: Any) -> str:
    with pytest.raises(ClientError) as info:
        call(**params)
    assert error_code(info) == code, info.value.response["Error"]
    message = str(info.value.response["Error"]["Message"])
    if match is not None:
        assert re.search(match, message), message
    return message


# -- the flow ---------------------------------------------------------------------------------


def test_lookalike_flow_across_the_two_members(collab: Collab) -> None:
    """A trains and configures a lookalike model on a Glue table and puts its policy; B
    generates a segment from its seed through the collaboration and exports one size."""
    glue_table(collab)
    training_dataset = dataset(collab, description="a week of events", tags={"team": "ads"})
    assert arn_pattern(A, "training-dataset").match(training_dataset)
    shown = collab.a.get_training_dataset(trainingDatasetArn=training_dataset)
    assert shown["status"] == "ACTIVE"
    assert shown["trainingData"] == training_data()
    assert shown["roleArn"] == ROLE
    assert shown["tags"] == {"team": "ads"}
    assert shown["createTime"] == shown["updateTime"]

    model = audience_model(collab, training_dataset)
    assert arn_pattern(A, "audience-model").match(model)
    assert collab.a.get_audience_model(audienceModelArn=model)["status"] == "ACTIVE"

    configured_model = configured(collab, model)
    assert arn_pattern(A, "configured-audience-model").match(configured_model)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": B}}]})
    put = collab.a.put_configured_audience_model_policy(
        configuredAudienceModelArn=configured_model,
        configuredAudienceModelPolicy=policy,
        policyExistenceCondition="POLICY_MUST_NOT_EXIST",
    )
    assert put["policyHash"] == hashlib.sha256(policy.encode()).hexdigest()

    # B generates a segment with A's configured audience model.
    job = generate(collab, configured_model, description="like our buyers")
    assert arn_pattern(B, "audience-generation-job").match(job)
    seen_by_b = get_job(collab.b, job)
    assert seen_by_b["status"] == "ACTIVE"
    assert seen_by_b["seedAudience"] == SEED
    assert seen_by_b["startedBy"] == B
    assert seen_by_b["collaborationId"] == COLLABORATION
    assert seen_by_b["includeSeedInOutput"] is False
    assert "metrics" not in seen_by_b  # A shares no metrics
    # A sees the job and its metrics, never B's seed.
    seen_by_a = get_job(collab.a, job)
    assert "seedAudience" not in seen_by_a
    metrics = seen_by_a["metrics"]
    sizes = [metric["audienceSize"] for metric in metrics["relevanceMetrics"]]
    assert sizes == [{"type": "ABSOLUTE", "value": 1000}, {"type": "ABSOLUTE", "value": 5000}]
    scores = [metric["score"] for metric in metrics["relevanceMetrics"]]
    assert all(0 <= score <= 10 for score in scores) and scores[0] >= scores[1]
    assert 0 <= metrics["recallMetric"] <= 1
    listed = collab.a.list_audience_generation_jobs(configuredAudienceModelArn=configured_model)
    assert [j["audienceGenerationJobArn"] for j in listed["audienceGenerationJobs"]] == [job]
    assert collab.a.list_audience_generation_jobs()["audienceGenerationJobs"] == []  # A started none

    # B exports one of the configured sizes; a size not configured is refused.
    collab.b.start_audience_export_job(
        name="top-1000",
        audienceGenerationJobArn=job,
        audienceSize={"type": "ABSOLUTE", "value": 1000},
        description="for the campaign",
    )
    [export] = export_jobs(collab.b)
    assert export["status"] == "ACTIVE"
    assert export["audienceSize"] == {"type": "ABSOLUTE", "value": 1000}
    assert export["outputLocation"] == f"{DESTINATION}{job.rsplit('/', 1)[-1]}/top-1000/"
    assert export["description"] == "for the campaign"
    for size in ({"type": "ABSOLUTE", "value": 2000}, {"type": "PERCENTAGE", "value": 1000}):
        refused(
            collab.b.start_audience_export_job,
            "ValidationException",
            "is not one of the sizes",
            name="other",
            audienceGenerationJobArn=job,
            audienceSize=size,
        )
    refused(
        collab.b.start_audience_export_job,
        "ConflictException",
        name="top-1000",
        audienceGenerationJobArn=job,
        audienceSize={"type": "ABSOLUTE", "value": 1000},
    )
    assert len(export_jobs(collab.b)) == 1
    # Only the starter exports.
    refused(
        collab.a.start_audience_export_job,
        "ResourceNotFoundException",
        name="a",
        audienceGenerationJobArn=job,
        audienceSize={"type": "ABSOLUTE", "value": 1000},
    )


# -- training datasets ------------------------------------------------------------------------


def test_training_dataset_checks_its_glue_table_and_schema(collab: Collab) -> None:
    glue_table(collab)
    create = collab.a.create_training_dataset
    base = {"name": "events", "roleArn": ROLE}
    refused(create, "ValidationException", "Database nowhere not found", **base, trainingData=training_data("nowhere"))
    refused(create, "ValidationException", r"Table interactions\.nothing", **base, trainingData=training_data(table="nothing"))
    odd = [*SCHEMA, {"columnName": "price", "columnTypes": ["NUMERICAL_FEATURE"]}]
    refused(create, "ValidationException", "lacks: price", **base, trainingData=training_data(schema=odd))
    no_user = [column for column in SCHEMA if column["columnTypes"] != ["USER_ID"]]
    refused(create, "ValidationException", "exactly one USER_ID", **base, trainingData=training_data(schema=no_user))
    twice = [*SCHEMA, {"columnName": "user_id", "columnTypes": ["CATEGORICAL_FEATURE"]}]
    refused(create, "ValidationException", "user_id repeated", **base, trainingData=training_data(schema=twice))
    refused(
        create,
        "AccessDeniedException",
        "across AWS accounts",
        name="events",
        roleArn=f"arn:aws:iam::{B}:role/other",
        trainingData=training_data(),
    )
    # A table in another account's catalog is looked for there.
    elsewhere = training_data()
    elsewhere[0]["inputConfig"]["dataSource"]["glueDataSource"]["catalogId"] = B
    refused(create, "ValidationException", f"catalog of account {B}", **base, trainingData=elsewhere)
    assert collab.a.list_training_datasets()["trainingDatasets"] == []  # nothing refused was made

    first = dataset(collab)
    refused(create, "ConflictException", **base, trainingData=training_data())
    # Another account has its own names (and its own Glue catalog).
    assert collab.b.list_training_datasets()["trainingDatasets"] == []
    refused(collab.b.get_training_dataset, "ResourceNotFoundException", trainingDatasetArn=first)
    collab.a.delete_training_dataset(trainingDatasetArn=first)
    refused(collab.a.get_training_dataset, "ResourceNotFoundException", trainingDatasetArn=first)
    refused(collab.a.delete_training_dataset, "ResourceNotFoundException", trainingDatasetArn=first)


def test_a_training_dataset_in_use_cannot_be_deleted(collab: Collab) -> None:
    glue_table(collab)
    training_dataset = dataset(collab)
    model = audience_model(collab, training_dataset)
    refused(collab.a.delete_training_dataset, "ConflictException", "lookalike", trainingDatasetArn=training_dataset)
    collab.a.delete_audience_model(audienceModelArn=model)
    collab.a.delete_training_dataset(trainingDatasetArn=training_dataset)
    assert collab.a.list_training_datasets()["trainingDatasets"] == []


# -- audience models --------------------------------------------------------------------------


def test_audience_model_walks_its_lifecycle_and_is_deleted(collab: Collab) -> None:
    glue_table(collab)
    training_dataset = dataset(collab)
    collab.manual(AUDIENCE_MODEL, times=1)
    model = audience_model(
        collab,
        training_dataset,
        trainingDataStartTime="2026-01-01T00:00:00Z",
        trainingDataEndTime="2026-02-01T00:00:00Z",
        kmsKeyArn=f"arn:aws:kms:us-east-1:{A}:key/k1",
        description="weekly",
    )

    def status() -> str:
        return str(collab.a.get_audience_model(audienceModelArn=model)["status"])

    def listed() -> str:  # a list is no look: it moves nothing
        return str(collab.a.list_audience_models()["audienceModels"][0]["status"])

    assert [listed(), listed()] == ["CREATE_PENDING", "CREATE_PENDING"]
    assert [status(), listed(), status()] == ["CREATE_IN_PROGRESS", "CREATE_IN_PROGRESS", "ACTIVE"]
    shown = collab.a.get_audience_model(audienceModelArn=model)
    assert shown["trainingDataStartTime"].isoformat() == "2026-01-01T00:00:00+00:00"
    assert shown["trainingDataEndTime"].isoformat() == "2026-02-01T00:00:00+00:00"
    assert shown["kmsKeyArn"].endswith(":key/k1")
    assert shown["trainingDatasetArn"] == training_dataset

    collab.a.delete_audience_model(audienceModelArn=model)
    assert listed() == "DELETE_PENDING"
    refused(collab.a.delete_audience_model, "ConflictException", "DELETE_PENDING", audienceModelArn=model)
    refused(collab.a.delete_training_dataset, "ConflictException", trainingDatasetArn=training_dataset)
    assert status() == "DELETE_IN_PROGRESS"
    refused(collab.a.get_audience_model, "ResourceNotFoundException", audienceModelArn=model)  # this look ends it
    assert collab.a.list_audience_models()["audienceModels"] == []
    collab.a.delete_training_dataset(trainingDatasetArn=training_dataset)


def test_audience_model_refusals_and_failure(collab: Collab) -> None:
    glue_table(collab)
    training_dataset = dataset(collab)
    create = collab.a.create_audience_model
    unknown = training_dataset[: -len("0000")] + "0000"
    refused(create, "ResourceNotFoundException", name="m", trainingDatasetArn=unknown)
    refused(
        create,
        "ValidationException",
        "before trainingDataEndTime",
        name="m",
        trainingDatasetArn=training_dataset,
        trainingDataStartTime="2026-02-01T00:00:00Z",
        trainingDataEndTime="2026-01-01T00:00:00Z",
    )
    refused(
        collab.b.create_audience_model, "ResourceNotFoundException", name="m", trainingDatasetArn=training_dataset
    )
    assert collab.a.list_audience_models()["audienceModels"] == []

    collab.manual(AUDIENCE_MODEL, times=1000)
    collab.aws.control.fail(AUDIENCE_MODEL, "not enough interactions", job="doomed")
    model = audience_model(collab, training_dataset, name="doomed")
    refused(create, "ConflictException", name="doomed", trainingDatasetArn=training_dataset)
    assert collab.a.get_audience_model(audienceModelArn=model)["status"] == "CREATE_PENDING"
    refused(collab.a.delete_audience_model, "ConflictException", "CREATE_PENDING", audienceModelArn=model)
    refused(
        collab.a.create_configured_audience_model,
        "ValidationException",
        "only an ACTIVE audience model",
        name="c",
        audienceModelArn=model,
        outputConfig={"destination": {"s3Destination": {"s3Uri": DESTINATION}}, "roleArn": ROLE},
        sharedAudienceMetrics=["ALL"],
    )
    assert collab.aws.control.advance(AUDIENCE_MODEL, "doomed", steps=2) == "CREATE_FAILED"
    failed = collab.a.get_audience_model(audienceModelArn=model)
    assert failed["status"] == "CREATE_FAILED"
    assert failed["statusDetails"] == {"message": "not enough interactions"}
    collab.a.delete_audience_model(audienceModelArn=model)  # a failed model can be deleted


# -- configured audience models and their policies ----------------------------------------------


def test_configured_audience_model_defaults_updates_and_deletion(collab: Collab) -> None:
    glue_table(collab)
    training_dataset = dataset(collab)
    model = audience_model(collab, training_dataset)
    arn = configured(collab, model, audienceSizeConfig=None, description="first")
    shown = collab.a.get_configured_audience_model(configuredAudienceModelArn=arn)
    assert shown["status"] == "ACTIVE"
    assert shown["minMatchingSeedSize"] == 500
    assert shown["childResourceTagOnCreatePolicy"] == "NONE"
    assert shown["sharedAudienceMetrics"] == ["NONE"]
    assert "audienceSizeConfig" not in shown
    refused(collab.a.delete_audience_model, "ConflictException", "configured", audienceModelArn=model)

    other = audience_model(collab, training_dataset, name="second")
    collab.a.update_configured_audience_model(
        configuredAudienceModelArn=arn,
        audienceModelArn=other,
        sharedAudienceMetrics=["ALL"],
        minMatchingSeedSize=100,
        audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [10, 20]},
        description="second",
    )
    updated = collab.a.get_configured_audience_model(configuredAudienceModelArn=arn)
    assert updated["audienceModelArn"] == other
    assert updated["sharedAudienceMetrics"] == ["ALL"]
    assert updated["minMatchingSeedSize"] == 100
    assert updated["audienceSizeConfig"]["audienceSizeType"] == "PERCENTAGE"
    assert updated["description"] == "second"
    assert updated["updateTime"] > updated["createTime"]
    collab.a.delete_audience_model(audienceModelArn=model)  # no longer configured

    refused(
        collab.a.update_configured_audience_model,
        "ValidationException",
        "1 to 100",
        configuredAudienceModelArn=arn,
        audienceSizeConfig={"audienceSizeType": "PERCENTAGE", "audienceSizeBins": [10, 200]},
    )
    refused(
        collab.a.update_configured_audience_model,
        "ValidationException",
        "10 repeated",
        configuredAudienceModelArn=arn,
        audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [10, 10]},
    )
    assert collab.a.get_configured_audience_model(configuredAudienceModelArn=arn)["audienceSizeConfig"] == (
        updated["audienceSizeConfig"]
    )
    refused(collab.b.get_configured_audience_model, "ResourceNotFoundException", configuredAudienceModelArn=arn)
    refused(
        collab.a.create_configured_audience_model,
        "ConflictException",
        name="configured",
        audienceModelArn=other,
        outputConfig={"destination": {"s3Destination": {"s3Uri": DESTINATION}}, "roleArn": ROLE},
        sharedAudienceMetrics=["ALL"],
    )

    job = generate(collab, arn)
    refused(collab.a.delete_configured_audience_model, "ConflictException", "segment", configuredAudienceModelArn=arn)
    collab.b.delete_audience_generation_job(audienceGenerationJobArn=job)
    collab.a.delete_configured_audience_model(configuredAudienceModelArn=arn)
    assert collab.a.list_configured_audience_models()["configuredAudienceModels"] == []
    refused(collab.b.start_audience_generation_job, "ResourceNotFoundException",
            name="late", configuredAudienceModelArn=arn, seedAudience=SEED, collaborationId=COLLABORATION)


def test_configured_audience_model_policy_conditions(collab: Collab) -> None:
    arn = lookalike(collab)
    put = collab.a.put_configured_audience_model_policy
    get = collab.a.get_configured_audience_model_policy
    first, second = json.dumps({"Version": "2012-10-17"}), json.dumps({"Version": "2012-10-17", "Statement": []})
    refused(get, "ResourceNotFoundException", "no policy", configuredAudienceModelArn=arn)
    refused(
        put, "ValidationException", "POLICY_MUST_EXIST", configuredAudienceModelArn=arn,
        configuredAudienceModelPolicy=first, policyExistenceCondition="POLICY_MUST_EXIST",
    )
    refused(put, "ValidationException", "JSON", configuredAudienceModelArn=arn, configuredAudienceModelPolicy="{nope")
    refused(
        put, "ValidationException", "previousPolicyHash", configuredAudienceModelArn=arn,
        configuredAudienceModelPolicy=first, previousPolicyHash="a" * 64,
    )
    refused(get, "ResourceNotFoundException", configuredAudienceModelArn=arn)  # nothing refused was kept

    first_hash = put(configuredAudienceModelArn=arn, configuredAudienceModelPolicy=first)["policyHash"]
    shown = get(configuredAudienceModelArn=arn)
    assert (shown["configuredAudienceModelArn"], shown["configuredAudienceModelPolicy"], shown["policyHash"]) == (
        arn, first, first_hash,
    )
    refused(
        put, "ValidationException", "POLICY_MUST_NOT_EXIST", configuredAudienceModelArn=arn,
        configuredAudienceModelPolicy=second, policyExistenceCondition="POLICY_MUST_NOT_EXIST",
    )
    refused(
        put, "ValidationException", "previousPolicyHash", configuredAudienceModelArn=arn,
        configuredAudienceModelPolicy=second, previousPolicyHash="b" * 64,
    )
    second_hash = put(
        configuredAudienceModelArn=arn, configuredAudienceModelPolicy=second, previousPolicyHash=first_hash,
        policyExistenceCondition="POLICY_MUST_EXIST",
    )["policyHash"]
    assert second_hash != first_hash and get(configuredAudienceModelArn=arn)["policyHash"] == second_hash
    collab.a.delete_configured_audience_model_policy(configuredAudienceModelArn=arn)
    refused(get, "ResourceNotFoundException", configuredAudienceModelArn=arn)
    refused(collab.a.delete_configured_audience_model_policy, "ResourceNotFoundException", configuredAudienceModelArn=arn)
    refused(collab.b.put_configured_audience_model_policy, "ResourceNotFoundException",
            configuredAudienceModelArn=arn, configuredAudienceModelPolicy=first)


# -- audience generation and export jobs --------------------------------------------------------


def test_generation_job_lifecycle_metrics_and_deletion(collab: Collab) -> None:
    arn = lookalike(collab, sharedAudienceMetrics=["ALL"])
    collab.manual(GENERATION_JOB, times=1)
    collab.manual(EXPORT_JOB, times=1000)
    job = generate(collab, arn, includeSeedInOutput=True)
    assert collab.b.list_audience_generation_jobs()["audienceGenerationJobs"][0]["status"] == "CREATE_PENDING"
    in_progress = get_job(collab.b, job)
    assert in_progress["status"] == "CREATE_IN_PROGRESS" and "metrics" not in in_progress
    refused(
        collab.b.start_audience_export_job, "ValidationException", "CREATE_IN_PROGRESS",
        name="early", audienceGenerationJobArn=job, audienceSize={"type": "ABSOLUTE", "value": 1000},
    )
    refused(collab.b.delete_audience_generation_job, "ConflictException", audienceGenerationJobArn=job)
    active = get_job(collab.b, job)
    assert active["status"] == "ACTIVE" and active["includeSeedInOutput"] is True
    assert len(active["metrics"]["relevanceMetrics"]) == 2  # shared with B (ALL)

    collab.b.start_audience_export_job(
        name="top", audienceGenerationJobArn=job, audienceSize={"type": "ABSOLUTE", "value": 5000}
    )
    assert export_jobs(collab.b, audienceGenerationJobArn=job)[0]["status"] == "CREATE_PENDING"
    assert "outputLocation" not in export_jobs(collab.b)[0]
    assert collab.aws.control.advance(EXPORT_JOB, "top", steps=2) == "ACTIVE"
    assert export_jobs(collab.b)[0]["outputLocation"].startswith(DESTINATION)

    refused(collab.a.delete_audience_generation_job, "AccessDeniedException", "started by", audienceGenerationJobArn=job)
    collab.b.delete_audience_generation_job(audienceGenerationJobArn=job)
    assert collab.b.list_audience_generation_jobs()["audienceGenerationJobs"][0]["status"] == "DELETE_PENDING"
    assert get_job(collab.a, job)["status"] == "DELETE_IN_PROGRESS"  # the owner's look counts too
    refused(collab.b.get_audience_generation_job, "ResourceNotFoundException", audienceGenerationJobArn=job)
    assert collab.b.list_audience_generation_jobs()["audienceGenerationJobs"] == []
    assert export_jobs(collab.b) == []  # its export jobs went with it


def test_generation_job_failure_and_refusals(collab: Collab) -> None:
    arn = lookalike(collab, childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE", tags={"team": "ads", "env": "a"})
    start = collab.b.start_audience_generation_job
    base = {"name": "g", "configuredAudienceModelArn": arn}
    refused(start, "AccessDeniedException", "collaborationId", **base, seedAudience=SEED)
    refused(start, "ResourceNotFoundException", seedAudience=SEED, collaborationId=UNKNOWN_COLLABORATION, **base)
    refused(collab.outsider.start_audience_generation_job, "AccessDeniedException", OUTSIDER,
            seedAudience=SEED, collaborationId=COLLABORATION, **base)
    refused(start, "ValidationException", "exactly one", **base, collaborationId=COLLABORATION,
            seedAudience={"roleArn": SEED_ROLE})
    sql = {"roleArn": SEED_ROLE, "sqlParameters": {"queryString": "SELECT user_id FROM buyers"}}
    refused(start, "ValidationException", "exactly one", **base, collaborationId=COLLABORATION,
            seedAudience={**SEED, **sql})
    refused(collab.a.start_audience_generation_job, "ValidationException", "collaborationId", **base, seedAudience=sql)
    refused(start, "ValidationException", "sqlComputeConfiguration", **base, collaborationId=COLLABORATION,
            seedAudience={**SEED, "sqlComputeConfiguration": {"worker": {"type": "CR.1X", "number": 2}}})
    assert collab.b.list_audience_generation_jobs()["audienceGenerationJobs"] == []

    collab.aws.control.fail(GENERATION_JOB, "seed too small", job="small")
    failed = generate(collab, arn, name="small", seedAudience=sql, tags={"env": "b"})
    shown = get_job(collab.b, failed)
    assert shown["status"] == "CREATE_FAILED"
    assert shown["statusDetails"] == {"message": "seed too small"}
    assert "metrics" not in shown
    assert re.fullmatch(UUID, shown["protectedQueryIdentifier"])
    assert shown["tags"] == {"team": "ads", "env": "b"}  # from the parent, the request's own win
    assert "tags" not in get_job(collab.a, failed)
    refused(start, "ConflictException", **base | {"name": "small"}, seedAudience=SEED, collaborationId=COLLABORATION)
    # A may use its own configured audience model without a collaboration.
    own = generate(collab, arn, name="own", client=collab.a, collaborationId=None)
    assert "collaborationId" not in get_job(collab.a, own)
    assert get_job(collab.a, own)["tags"] == {"team": "ads", "env": "a"}


def test_generation_job_lists_filter_and_page(collab: Collab) -> None:
    arn = lookalike(collab)
    names = [f"segment-{index}" for index in range(5)]
    for name in names:
        generate(collab, arn, name=name)
    generate(collab, arn, name="a-own", client=collab.a, collaborationId=None)
    paginator = collab.b.get_paginator("list_audience_generation_jobs")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert [len(page["audienceGenerationJobs"]) for page in pages] == [2, 2, 1]
    seen = [job["name"] for page in pages for job in page["audienceGenerationJobs"]]
    assert seen == names[::-1]  # newest first
    by_collaboration = collab.b.list_audience_generation_jobs(collaborationId=COLLABORATION)["audienceGenerationJobs"]
    assert len(by_collaboration) == 5
    by_a = collab.a.list_audience_generation_jobs(configuredAudienceModelArn=arn, collaborationId=COLLABORATION)
    assert {job["startedBy"] for job in by_a["audienceGenerationJobs"]} == {B}
    assert len(collab.a.list_audience_generation_jobs(configuredAudienceModelArn=arn)["audienceGenerationJobs"]) == 6
    refused(collab.outsider.list_audience_generation_jobs, "AccessDeniedException", collaborationId=COLLABORATION)
    refused(collab.b.list_audience_generation_jobs, "ValidationException", "nextToken", nextToken="bogus")


def test_lookalike_lists_page_and_resources_take_tags(collab: Collab) -> None:
    glue_table(collab)
    datasets = [dataset(collab, name=f"events-{index}", tags={"n": str(index)}) for index in range(3)]
    first = collab.a.list_training_datasets(maxResults=2)
    assert [d["trainingDatasetArn"] for d in first["trainingDatasets"]] == datasets[:0:-1]
    rest = collab.a.list_training_datasets(maxResults=2, nextToken=first["nextToken"])
    assert [d["trainingDatasetArn"] for d in rest["trainingDatasets"]] == datasets[:1]
    assert "nextToken" not in rest
    model = audience_model(collab, datasets[0], tags={"kind": "model"})
    configured_model = configured(collab, model, tags={"kind": "configured"})
    job = generate(collab, configured_model, tags={"kind": "job"})
    for client, arn, kind in (
        (collab.a, datasets[0], None),
        (collab.a, model, "model"),
        (collab.a, configured_model, "configured"),
        (collab.b, job, "job"),
    ):
        client.tag_resource(resourceArn=arn, tags={"team": "ads"})
        tags = client.list_tags_for_resource(resourceArn=arn)["tags"]
        assert tags.get("kind") == kind and tags["team"] == "ads"
        client.untag_resource(resourceArn=arn, tagKeys=["team"])
        assert "team" not in client.list_tags_for_resource(resourceArn=arn)["tags"]
    assert collab.a.get_audience_model(audienceModelArn=model)["tags"] == {"kind": "model"}
    refused(collab.a.list_tags_for_resource, "AccessDeniedException", resourceArn=job)
    for listed, member in (
        (collab.a.list_audience_models(maxResults=1), "audienceModels"),
        (collab.a.list_configured_audience_models(maxResults=1), "configuredAudienceModels"),
    ):
        assert len(listed[member]) == 1 and "nextToken" not in listed
