"""The client half: the installed botocore no longer ships Lookout for Vision, and mlmocks
makes botocore find its copy of the model once mlmocks is imported, however it is
imported (``import mlmocks``, the pytest plugin, the server), for boto3 and the AWS CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import boto3
import pytest

import mlmocks.data
from mlmocks import mock_mljobs
from tests.lookoutvision.helpers import PROJECT
from tests.modes import Aws


def clean_environment() -> dict[str, str]:
    """This process's environment without the data path importing mlmocks added."""
    env = {key: value for key, value in os.environ.items() if key != "AWS_DATA_PATH"}
    return {**env, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=clean_environment(),
        capture_output=True,
        text=True,
    )


def test_the_installed_botocore_lacks_the_service() -> None:
    # What the rest of this file fixes: without mlmocks there is no client at all.
    assert "lookoutvision" in mlmocks.data.missing_from_botocore()
    without = run_python(
        """
        import boto3
        boto3.client("lookoutvision", region_name="us-east-1")
        """
    )
    assert without.returncode != 0 and "UnknownServiceError" in without.stderr


def test_import_mlmocks_is_enough_and_stays_cheap() -> None:
    result = run_python(
        """
        import sys
        import mlmocks
        assert "botocore" not in sys.modules and "moto" not in sys.modules, "import mlmocks stays light"
        import boto3
        lv = boto3.client("lookoutvision", region_name="us-east-1")
        assert lv.can_paginate("list_projects") and lv.can_paginate("list_models")
        assert lv.can_paginate("list_model_packaging_jobs") and lv.can_paginate("list_dataset_entries")
        assert issubclass(lv.exceptions.ConflictException, lv.exceptions.ClientError)
        assert lv.meta.endpoint_url == "https://lookoutvision.us-east-1.amazonaws.com"
        print(len(lv.meta.service_model.operation_names))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "22"


def test_the_pytest_plugin_lends_the_model_to_any_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(
        textwrap.dedent(
            """
            import boto3

            # At import time, before any fixture: the plugin has imported mlmocks.
            assert boto3.client("lookoutvision", region_name="us-east-1").can_paginate("list_models")

            def test_with_the_fixture(mljobs):
                lv = boto3.client("lookoutvision", region_name="us-east-1")
                lv.create_project(ProjectName="from-a-suite")
                pages = lv.get_paginator("list_projects").paginate()
                assert [p["ProjectName"] for page in pages for p in page["Projects"]] == ["from-a-suite"]
                try:
                    lv.describe_project(ProjectName="missing")
                except lv.exceptions.ResourceNotFoundException as error:
                    assert error.response["ResourceType"] == "PROJECT"
                else:
                    raise AssertionError("no ResourceNotFoundException")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_suite.py"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_clients_keep_the_model_when_a_test_replaces_the_environment() -> None:
    with (
        mock_mljobs(),
        mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"}, clear=True),
    ):
        lv = boto3.session.Session().client(
            "lookoutvision",
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="secret",
        )
        assert lv.list_projects()["Projects"] == []


def test_the_model_is_not_lent_where_botocore_ships_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    botocore_data = tmp_path / "botocore-data"
    (botocore_data / "lookoutvision" / "2020-11-20").mkdir(parents=True)
    assert mlmocks.data.missing_from_botocore(str(botocore_data)) == []
    monkeypatch.setenv("AWS_DATA_PATH", "/my/models")
    monkeypatch.setattr(mlmocks.data, "missing_from_botocore", lambda: [])
    mlmocks.data.lend_through_environment()
    assert os.environ["AWS_DATA_PATH"] == "/my/models"
    monkeypatch.setattr(mlmocks.data, "missing_from_botocore", lambda: ["lookoutvision"])
    mlmocks.data.lend_through_environment()
    mlmocks.data.lend_through_environment()  # once only
    assert os.environ["AWS_DATA_PATH"] == os.pathsep.join(["/my/models", mlmocks.data.PATH])


def test_paginators_and_modeled_exceptions(aws: Aws) -> None:
    lv = aws.client("lookoutvision")
    assert sorted(lv.meta.service_model.operation_names) == sorted(
        [
            "CreateDataset",
            "CreateModel",
            "CreateProject",
            "DeleteDataset",
            "DeleteModel",
            "DeleteProject",
            "DescribeDataset",
            "DescribeModel",
            "DescribeModelPackagingJob",
            "DescribeProject",
            "DetectAnomalies",
            "ListDatasetEntries",
            "ListModelPackagingJobs",
            "ListModels",
            "ListProjects",
            "ListTagsForResource",
            "StartModel",
            "StartModelPackagingJob",
            "StopModel",
            "TagResource",
            "UntagResource",
            "UpdateDatasetEntries",
        ]
    )
    for name in (
        "Conflict",
        "ResourceNotFound",
        "Validation",
        "AccessDenied",
        "ServiceQuotaExceeded",
    ):
        assert hasattr(lv.exceptions, f"{name}Exception")
    lv.create_project(ProjectName=PROJECT)
    with pytest.raises(lv.exceptions.ConflictException) as conflict:
        lv.create_project(ProjectName=PROJECT)
    assert conflict.value.response["Error"]["Code"] == "ConflictException"
    assert (conflict.value.response["ResourceId"], conflict.value.response["ResourceType"]) == (
        PROJECT,
        "PROJECT",
    )
    pages = lv.get_paginator("list_projects").paginate(PaginationConfig={"PageSize": 1})
    assert [p["ProjectName"] for page in pages for p in page["Projects"]] == [PROJECT]


def test_the_aws_cli_against_the_server(mlmocks_server: str) -> None:
    """The CLI finds the model through AWS_DATA_PATH: inherited from a process that
    imported mlmocks, or set to ``mlmocks.data.PATH`` in a shell."""
    from tests.modes import _post

    _post(f"{mlmocks_server}/moto-api/reset")
    env = {
        **clean_environment(),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_DATA_PATH": mlmocks.data.PATH,
    }
    base = [sys.executable, "-m", "awscli", "lookoutvision", "--endpoint-url", mlmocks_server]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], env=env, capture_output=True, text=True)

    created = cli("create-project", "--project-name", "cli-project")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["ProjectMetadata"]["ProjectName"] == "cli-project"
    listed = cli("list-projects", "--max-items", "5")
    assert [p["ProjectName"] for p in json.loads(listed.stdout)["Projects"]] == ["cli-project"]
    missing = cli("describe-project", "--project-name", "nope")
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    without = subprocess.run(
        [*base, "list-projects"],
        env=clean_environment() | {"AWS_DEFAULT_REGION": "us-east-1"},
        capture_output=True,
        text=True,
    )
    assert without.returncode != 0 and "Invalid choice" in without.stderr
