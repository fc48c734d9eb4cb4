"""Tags on every taggable resource, and every list: order, filters, pages and paginators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.cleanroomsml.conftest import (
    COLLABORATION,
    MEMBERSHIP_A,
    MEMBERSHIP_B,
    A,
    B,
    Collab,
    error_code,
    input_channel,
)


def tags_of(client: Any, arn: str) -> dict[str, str]:
    return dict(client.list_tags_for_resource(resourceArn=arn)["tags"])


def test_tags_on_every_taggable_resource(collab: Collab) -> None:
    algorithm = collab.algorithm(tags={"kind": "algorithm"})
    association = collab.association(algorithm, tags={"kind": "association"})
    model = collab.train(association, tags={"kind": "model"})["trainedModelArn"]
    job = collab.infer(model, tags={"kind": "inference"})
    for client, arn, kind in (
        (collab.a, algorithm, "algorithm"),
        (collab.a, association, "association"),
        (collab.a, model, "model"),
        (collab.b, job, "inference"),
    ):
        assert tags_of(client, arn) == {"kind": kind}
        client.tag_resource(resourceArn=arn, tags={"team": "ml", "kind": "changed"})
        assert tags_of(client, arn) == {"kind": "changed", "team": "ml"}
        client.untag_resource(resourceArn=arn, tagKeys=["kind", "absent"])
        assert tags_of(client, arn) == {"team": "ml"}
    got = collab.a.get_configured_model_algorithm(configuredModelAlgorithmArn=algorithm)
    assert got["tags"] == {"team": "ml"}
    got = collab.b.get_trained_model_inference_job(membershipIdentifier=MEMBERSHIP_B, trainedModelInferenceJobArn=job)
    assert got["tags"] == {"team": "ml"}


def test_a_trained_models_tags_cover_all_its_versions(collab: Collab) -> None:
    model = collab.train(name="base")["trainedModelArn"]
    version = collab.train(
        name="base", incrementalTrainingDataChannels=[{"trainedModelArn": model, "channelName": "m"}]
    )["versionIdentifier"]
    collab.a.tag_resource(resourceArn=model, tags={"stage": "prod"})
    for extra in ({}, {"versionIdentifier": version}):
        got = collab.a.get_trained_model(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=model, **extra)
        assert got["tags"] == {"stage": "prod"}


def test_tag_errors(collab: Collab) -> None:
    algorithm = collab.algorithm()
    model = collab.train()["trainedModelArn"]
    # Another account's resources are not the caller's to tag or read.
    for call in (
        lambda: collab.b.tag_resource(resourceArn=model, tags={"k": "v"}),
        lambda: collab.b.untag_resource(resourceArn=model, tagKeys=["k"]),
        lambda: collab.b.list_tags_for_resource(resourceArn=algorithm),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "AccessDeniedException"
    missing = [
        algorithm[:-12] + "000000000000",
        model[:-12] + "000000000000",
        input_channel(),  # a resource type mlmocks does not keep
        f"arn:aws:cleanrooms-ml:eu-west-1:{A}:configured-model-algorithm/{algorithm[-12:]}",
        f"arn:aws:cleanrooms-ml:us-east-1:{A}:membership/{MEMBERSHIP_B}/trained-model/{model[-12:]}",
    ]
    for arn in missing:
        with pytest.raises(ClientError) as info:
            collab.a.list_tags_for_resource(resourceArn=arn)
        assert error_code(info) == "ResourceNotFoundException", arn
    with pytest.raises(ClientError) as info:
        collab.a.list_tags_for_resource(resourceArn=f"arn:aws:cleanrooms-ml:us-east-1:{A}:collaboration/x")
    assert error_code(info) == "ValidationException"
    assert "resourceArn" in info.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as info:
        collab.a.tag_resource(resourceArn=algorithm, tags={"aws:owner": "me"})
    assert error_code(info) == "ValidationException"
    with pytest.raises(ClientError) as info:
        collab.a.untag_resource(resourceArn=algorithm, tagKeys=["aws:owner"])
    assert error_code(info) == "ValidationException"
    collab.a.tag_resource(resourceArn=algorithm, tags={f"k{i}": "v" for i in range(50)})
    with pytest.raises(ClientError) as info:
        collab.a.tag_resource(resourceArn=algorithm, tags={"one-more": "v"})
    assert error_code(info) == "ValidationException"
    assert "50" in info.value.response["Error"]["Message"]
    assert len(tags_of(collab.a, algorithm)) == 50


# -- lists ------------------------------------------------------------------------------------------


def _every_list(collab: Collab) -> list[tuple[str, Any, dict[str, Any], str, list[str]]]:
    """(operation, client, parameters, result key, names newest first) for every list,
    with five items in each."""
    algorithms = [collab.algorithm(name=f"algo-{i}") for i in range(5)]
    associations = [collab.association(algorithms[0], name=f"assoc-{i}") for i in range(5)]
    models = [collab.train(associations[0], name=f"model-{i}")["trainedModelArn"] for i in range(4)]
    for _ in range(4):
        collab.train(
            associations[0],
            name="model-0",
            incrementalTrainingDataChannels=[{"trainedModelArn": models[0], "channelName": "m"}],
        )
    for i in range(5):
        collab.export(models[0], name=f"export-{i}")
    scoring = {"mlInputChannelArn": collab.channel(associations[0], collab.b, MEMBERSHIP_B)}
    for i in range(5):
        collab.infer(models[1], name=f"inference-{i}", dataSource=scoring)
    newest = list(reversed([f"algo-{i}" for i in range(5)]))
    membership = {"membershipIdentifier": MEMBERSHIP_A}
    collaboration = {"collaborationIdentifier": COLLABORATION}
    return [
        ("list_configured_model_algorithms", collab.a, {}, "configuredModelAlgorithms", newest),
        ("list_configured_model_algorithm_associations", collab.a, membership, "configuredModelAlgorithmAssociations",
         [n.replace("algo", "assoc") for n in newest]),
        ("list_collaboration_configured_model_algorithm_associations", collab.b, collaboration,
         "collaborationConfiguredModelAlgorithmAssociations", [n.replace("algo", "assoc") for n in newest]),
        # model-0 is listed at its latest version, the newest of all.
        ("list_trained_models", collab.a, membership, "trainedModels",
         ["model-0", "model-3", "model-2", "model-1"]),
        ("list_collaboration_trained_models", collab.b, collaboration, "collaborationTrainedModels",
         ["model-0", "model-3", "model-2", "model-1"]),
        ("list_trained_model_versions", collab.a, {**membership, "trainedModelArn": models[0]}, "trainedModels",
         ["model-0"] * 5),
        ("list_collaboration_trained_model_export_jobs", collab.b, {**collaboration, "trainedModelArn": models[0]},
         "collaborationTrainedModelExportJobs", [f"export-{i}" for i in reversed(range(5))]),
        ("list_trained_model_inference_jobs", collab.b, {"membershipIdentifier": MEMBERSHIP_B},
         "trainedModelInferenceJobs", [f"inference-{i}" for i in reversed(range(5))]),
        ("list_collaboration_trained_model_inference_jobs", collab.a, collaboration,
         "collaborationTrainedModelInferenceJobs", [f"inference-{i}" for i in reversed(range(5))]),
    ]


def test_every_list_pages_newest_first_and_paginators_work(collab: Collab) -> None:
    for operation, client, params, key, names in _every_list(collab):
        whole = getattr(client, operation)(**params)
        assert [item["name"] for item in whole[key]] == names, operation
        assert "nextToken" not in whole
        pages = list(client.get_paginator(operation).paginate(**params, PaginationConfig={"PageSize": 2}))
        assert [len(page[key]) for page in pages] == [min(2, len(names) - i) for i in range(0, len(names), 2)]
        assert [item["name"] for page in pages for item in page[key]] == names, operation
        first = getattr(client, operation)(**params, maxResults=3)
        rest = getattr(client, operation)(**params, maxResults=3, nextToken=first["nextToken"])
        assert [i["name"] for i in first[key] + rest[key]] == names, operation
        assert "nextToken" not in rest


def test_summaries_name_their_creator_membership_and_collaboration(collab: Collab) -> None:
    for operation, client, params, key, _ in _every_list(collab):
        for item in getattr(client, operation)(**params)[key]:
            if operation != "list_configured_model_algorithms":
                assert item["collaborationIdentifier"] == COLLABORATION, operation
                assert item["membershipIdentifier"] in (MEMBERSHIP_A, MEMBERSHIP_B), operation
            if operation.startswith("list_collaboration"):
                expected = B if "inference" in operation else A
                assert item["creatorAccountId"] == expected, operation


@pytest.mark.parametrize("max_results", [0, 101])
def test_max_results_out_of_range(collab: Collab, max_results: int) -> None:
    # Without botocore's own checks, as another SDK would send it.
    a = collab.aws.client_for_account("cleanroomsml", A, validate=False)
    calls: list[Callable[[], Any]] = [
        lambda: a.list_configured_model_algorithms(maxResults=max_results),
        lambda: a.list_trained_models(membershipIdentifier=MEMBERSHIP_A, maxResults=max_results),
        lambda: a.list_trained_model_versions(
            membershipIdentifier=MEMBERSHIP_A, trainedModelArn=input_channel(), maxResults=max_results
        ),
        lambda: a.list_collaboration_trained_model_inference_jobs(
            collaborationIdentifier=COLLABORATION, maxResults=max_results
        ),
    ]
    for call in calls:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info) == "ValidationException"
        assert "maxResults" in info.value.response["Error"]["Message"]


def test_default_page_sizes(collab: Collab) -> None:
    model = collab.train(name="base")["trainedModelArn"]
    for _ in range(11):
        collab.train(name="base", incrementalTrainingDataChannels=[{"trainedModelArn": model, "channelName": "m"}])
    versions = collab.a.list_trained_model_versions(membershipIdentifier=MEMBERSHIP_A, trainedModelArn=model)
    assert len(versions["trainedModels"]) == 10  # the documented default
    assert "nextToken" in versions
    for i in range(101):
        collab.algorithm(name=f"algo-{i}")
    algorithms = collab.a.list_configured_model_algorithms()
    assert len(algorithms["configuredModelAlgorithms"]) == 100
    rest = collab.a.list_configured_model_algorithms(nextToken=algorithms["nextToken"])
    # The oldest two: the first of these, and the one the trained model's association uses.
    assert [a["name"] for a in rest["configuredModelAlgorithms"]] == ["algo-0", "default"]


def test_a_next_token_from_elsewhere_is_refused(collab: Collab) -> None:
    for i in range(3):
        collab.algorithm(name=f"algo-{i}")
    token = collab.a.list_configured_model_algorithms(maxResults=1)["nextToken"]
    for bad in ("not-a-token", token[:-2]):
        with pytest.raises(ClientError) as info:
            collab.a.list_configured_model_algorithms(nextToken=bad)
        assert error_code(info) == "ValidationException"
        assert "nextToken" in info.value.response["Error"]["Message"]


def test_lists_show_only_what_the_caller_may_see(collab: Collab) -> None:
    collab.association(collab.algorithm(name="a-algo"), name="a-assoc")
    b_algorithm = collab.algorithm(collab.b, name="b-algo")
    collab.association(b_algorithm, name="b-assoc", client=collab.b, membership=MEMBERSHIP_B)
    collab.train_as_b(collab.association(b_algorithm, name="b-assoc-2", client=collab.b, membership=MEMBERSHIP_B))
    a_models = collab.a.list_trained_models(membershipIdentifier=MEMBERSHIP_A)["trainedModels"]
    assert a_models == []
    b_models = collab.b.list_trained_models(membershipIdentifier=MEMBERSHIP_B)["trainedModels"]
    assert [m["name"] for m in b_models] == ["b-model"]
    shared = collab.a.list_collaboration_configured_model_algorithm_associations(collaborationIdentifier=COLLABORATION)
    assert sorted(
        (s["name"], s["creatorAccountId"]) for s in shared["collaborationConfiguredModelAlgorithmAssociations"]
    ) == [("a-assoc", A), ("b-assoc", B), ("b-assoc-2", B)]
    assert [a["name"] for a in collab.b.list_configured_model_algorithms()["configuredModelAlgorithms"]] == ["b-algo"]


def test_the_resource_groups_tagging_api_lists_an_accounts_resources(collab: Collab) -> None:
    # moto's Resource Groups Tagging API sees Clean Rooms ML's resources, each account its own.
    algorithm = collab.algorithm(tags={"team": "ml"})
    association = collab.association(algorithm, tags={"team": "ml"})
    trained = collab.train(association, tags={"team": "ml"})["trainedModelArn"]
    channel = collab.channels[next(iter(collab.channels))]
    collab.train_as_b(association, tags={"team": "ml"})  # B's: not in A's listing
    tagging = collab.aws.client_for_account("resourcegroupstaggingapi", A)
    listed = {
        entry["ResourceARN"]: {tag["Key"]: tag["Value"] for tag in entry["Tags"]}
        for page in tagging.get_paginator("get_resources").paginate(TagFilters=[{"Key": "team", "Values": ["ml"]}])
        for entry in page["ResourceTagMappingList"]
    }
    assert set(listed) == {algorithm, association, trained}
    assert all(tags == {"team": "ml"} for tags in listed.values())
    # An untagged resource is not listed (as AWS lists only tagged ones) until it is tagged.
    def of_the_service() -> set[str]:
        return {
            entry["ResourceARN"]
            for page in tagging.get_paginator("get_resources").paginate(ResourceTypeFilters=["cleanrooms-ml"])
            for entry in page["ResourceTagMappingList"]
        }

    assert of_the_service() == {algorithm, association, trained}
    collab.a.tag_resource(resourceArn=channel, tags={"stage": "dev"})
    assert of_the_service() == {algorithm, association, trained, channel}
