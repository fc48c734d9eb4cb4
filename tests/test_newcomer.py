"""A newcomer's first hour: what the README promises beyond its examples (those run in
tests/test_readme.py). Fixtures that isolate tests, job kinds known to moto at once,
Lookout for Vision in every session and in the CLI, mlmocks' state on moto's dashboard,
a typed public API, and the release files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import boto3
import pytest

import mlmocks
from mlmocks import RemoteJobControl
from tests.test_readme import clean_environment

ROOT = Path(__file__).resolve().parent.parent
KIND = "bedrock::model-import-job"
IMPORT = dict(
    importedModelName="my-llama",
    roleArn="arn:aws:iam::123456789012:role/bedrock-import",
    modelDataSource={"s3DataSource": {"s3Uri": "s3://my-models/llama/"}},
)


def _pytest_outcomes(tmp_path: Path, source: str) -> dict[str, str]:
    """Run ``source`` as a user's test file with the installed plugin, in a fresh
    process; each test's outcome by name."""
    (tmp_path / "test_user.py").write_text(textwrap.dedent(source))
    report = tmp_path / "junit.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"--junitxml={report}", "--rootdir", str(tmp_path), str(tmp_path / "test_user.py")],
        cwd=tmp_path, env=clean_environment(tmp_path), capture_output=True, text=True, timeout=300,
    )
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        bad = case.find("failure") is not None or case.find("error") is not None
        outcomes[case.get("name", "")] = "failed" if bad else "passed"
    assert outcomes, run.stdout + run.stderr
    return outcomes


# -- fixtures isolate tests ----------------------------------------------------------------


def test_fixtures_leave_nothing_to_the_next_test(tmp_path: Path) -> None:
    outcomes = _pytest_outcomes(tmp_path, f'''
        import json
        import urllib.request

        import boto3
        from moto.moto_api import state_manager

        KIND = "{KIND}"
        IMPORT = {IMPORT!r}


        def test_1_sets_progressions_and_failure_rules(mljobs):
            mljobs.set_progression(KIND, "manual", times=1000)
            state_manager.set_transition("example::thing", {{"progression": "manual", "times": 3}})
            mljobs.fail(KIND, "quota exceeded")
            mljobs.fail(KIND, "out of capacity", job="import-1")


        def test_2_fails_after_setting_them(mljobs):
            mljobs.set_progression(KIND, "manual", times=5)
            mljobs.fail(KIND, "quota exceeded")
            raise AssertionError("this test fails on purpose")


        def test_3_starts_clean(mljobs):
            assert state_manager.get_transition(KIND) == {{"progression": "immediate"}}
            assert state_manager.get_transition("example::thing") == {{"progression": "immediate"}}
            bedrock = boto3.client("bedrock", region_name="us-east-1")
            bedrock.create_model_import_job(jobName="import-1", **IMPORT)
            assert bedrock.get_model_import_job(jobIdentifier="import-1")["status"] == "Completed"


        def _client(url):
            return boto3.client("bedrock", region_name="us-east-1", endpoint_url=url,
                                aws_access_key_id="test", aws_secret_access_key="test")


        def test_4_leaves_a_job_and_a_progression_on_the_server(mlmocks_server, mlmocks_server_control):
            mlmocks_server_control.set_progression(KIND, "manual", times=1000)
            mlmocks_server_control.fail(KIND, "quota exceeded")
            _client(mlmocks_server).create_model_import_job(jobName="import-1", **IMPORT)


        def test_5_server_starts_clean(mlmocks_server, mlmocks_server_control):
            bedrock = _client(mlmocks_server)
            assert bedrock.list_model_import_jobs()["modelImportJobSummaries"] == []
            bedrock.create_model_import_job(jobName="import-2", **IMPORT)
            assert mlmocks_server_control.status(KIND, "import-2") == "Completed"


        def test_6_session_server_keeps_state(mlmocks_session_server):
            bedrock = _client(mlmocks_session_server)
            bedrock.create_model_import_job(jobName="kept", **IMPORT)


        def test_7_session_server_kept_it(mlmocks_session_server):
            jobs = _client(mlmocks_session_server).list_model_import_jobs()["modelImportJobSummaries"]
            assert [job["jobName"] for job in jobs] == ["kept"]
    ''')
    assert outcomes == {
        "test_1_sets_progressions_and_failure_rules": "passed",
        "test_2_fails_after_setting_them": "failed",
        "test_3_starts_clean": "passed",
        "test_4_leaves_a_job_and_a_progression_on_the_server": "passed",
        "test_5_server_starts_clean": "passed",
        "test_6_session_server_keeps_state": "passed",
        "test_7_session_server_kept_it": "passed",
    }


def test_mljobs_puts_back_an_outer_mocks_rules_and_progressions(mljobs: Any) -> None:
    from mlmocks.core.control import failure_rules
    from mlmocks.core.moto_compat import transitions_set
    from mlmocks.pytest_plugin import isolated_mock

    mljobs.fail(KIND, "the outer rule")
    mljobs.set_progression(KIND, "manual", times=3)
    before = (transitions_set(), failure_rules())
    with pytest.raises(RuntimeError), isolated_mock() as control:  # nested in the test's mock
        control.set_progression(KIND, "time", seconds=5)
        control.fail(KIND, "quota exceeded")
        control.fail(KIND, "out of capacity", job="import-1")
        raise RuntimeError("the test failed")
    assert (transitions_set(), failure_rules()) == before


def test_reset_forgets_jobs_rules_and_progressions_in_process(mljobs: Any) -> None:
    bedrock = boto3.client("bedrock", region_name="us-east-1")
    mljobs.set_progression(KIND, "manual", times=1000)
    mljobs.fail(KIND, "quota exceeded")
    bedrock.create_model_import_job(jobName="import-1", **IMPORT)
    mljobs.reset()
    assert bedrock.list_model_import_jobs()["modelImportJobSummaries"] == []
    bedrock.create_model_import_job(jobName="import-2", **IMPORT)
    job = bedrock.get_model_import_job(jobIdentifier="import-2")
    assert job["status"] == "Completed"


def test_reset_over_http_is_a_json_post(mlmocks_server: str) -> None:
    RemoteJobControl(mlmocks_server).set_progression(KIND, "manual", times=1000)
    request = urllib.request.Request(
        f"{mlmocks_server}/mlmocks-api/reset", data=b"{}", method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read()) == {"result": None}
    transition = urllib.request.urlopen(
        f"{mlmocks_server}/moto-api/state-manager/get-transition?model_name={KIND}"
    ).read()
    assert json.loads(transition) == {"progression": "immediate"}


# -- a fresh process: kinds known at once, Lookout for Vision in early sessions ------------


def test_a_fresh_process(tmp_path: Path) -> None:
    """Job kinds known to moto's state manager as soon as the mock is active, before any
    job; and Lookout for Vision's client in sessions made before ``import mlmocks``
    (before moto too, against the server), inside the mock and against the server."""
    script = tmp_path / "fresh.py"
    script.write_text(textwrap.dedent('''
        import json

        import boto3

        bare = boto3.session.Session(region_name="us-east-1")  # before moto and mlmocks
        bare.client("s3")
        boto3.client("s3", region_name="us-east-1")  # boto3's default session
        import moto
        early = boto3.session.Session(region_name="us-east-1")  # after moto, before mlmocks
        early.client("sts")

        import mlmocks
        from mlmocks import mock_mljobs
        from moto.moto_api import state_manager

        found = {}

        def attempt(name, call):
            try:
                found[name] = call()
            except Exception as error:
                found[name] = f"{type(error).__name__}: {error}"

        def projects(session, **options):
            client = session.client("lookoutvision", region_name="us-east-1", **options)
            return client.list_projects()["Projects"]

        with mock_mljobs():
            found["kinds"] = sorted(state_manager.get_registered_models())
            attempt("mock, session made after moto", lambda: projects(early))
            attempt("mock, boto3's default session", lambda: projects(boto3))
        from mlmocks.server import ThreadedServer

        server = ThreadedServer()
        url = server.start()
        options = dict(endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test")
        for name, session in [("before moto", bare), ("after moto", early), ("default", boto3)]:
            attempt(f"server, session {name}", lambda: projects(session, **options))
        server.stop()
        print(json.dumps(found))
    '''))
    env = clean_environment(tmp_path)
    run = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    from mlmocks.core.registry import job_kinds

    assert set(job_kinds()) - set(found.pop("kinds")) == set()
    assert found == {
        "mock, session made after moto": [],
        "mock, boto3's default session": [],
        "server, session before moto": [],
        "server, session after moto": [],
        "server, session default": [],
    }


def test_data_path_line_for_the_cli(tmp_path: Path) -> None:
    env = clean_environment(tmp_path)
    env["AWS_DATA_PATH"] = "/my/models"
    line = subprocess.run(
        [sys.executable, "-m", "mlmocks", "data-path"], env=env, capture_output=True, text=True, timeout=60,
    ).stdout.strip()
    assert line == f"export AWS_DATA_PATH=/my/models{os.pathsep}{mlmocks.data.PATH}"
    # botocore's order stands: the user's folders first, ours after; and only once.
    assert mlmocks.data.data_path(f"{mlmocks.data.PATH}") == mlmocks.data.PATH


def test_loaders_search_our_models_last_and_leave_bare_loaders_alone() -> None:
    from botocore.loaders import Loader

    mlmocks.data.lend_to_loaders()
    loader = Loader(extra_search_paths=["/my/models"])
    loader.list_available_services("service-2")
    assert loader.search_paths[0] == "/my/models" and loader.search_paths[-1] == mlmocks.data.PATH
    bare = Loader(extra_search_paths=["/my/models"], include_default_search_paths=False)
    assert bare.list_available_services("service-2") == [] and bare.search_paths == ["/my/models"]


# -- moto's dashboard ----------------------------------------------------------------------


def test_moto_dashboard_data_lists_mlmocks_resources(mlmocks_server: str) -> None:
    options = dict(region_name="us-east-1", endpoint_url=mlmocks_server,
                   aws_access_key_id="test", aws_secret_access_key="test")
    control = RemoteJobControl(mlmocks_server)
    control.set_progression("sagemaker::compilation-job", "manual", times=1000)
    bedrock = boto3.client("bedrock", **options)
    bedrock.create_model_import_job(jobName="import-1", **IMPORT)
    boto3.client("sagemaker", **options).create_compilation_job(
        CompilationJobName="resnet-c5",
        RoleArn="arn:aws:iam::123456789012:role/neo",
        InputConfig={"S3Uri": "s3://models/resnet/model.tar.gz", "Framework": "PYTORCH"},
        OutputConfig={"S3OutputLocation": "s3://models/compiled", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
    )
    lookout = boto3.client("lookoutvision", **options)
    lookout.create_project(ProjectName="boards")
    lookout.create_dataset(ProjectName="boards", DatasetType="train")
    boto3.client("s3", **options).create_bucket(Bucket="moto-s-own")

    data = json.loads(urllib.request.urlopen(f"{mlmocks_server}/moto-api/data.json").read())
    [job] = data["bedrock"]["ModelImportJob"]
    assert (job["job_name"], job["status"], job["account_id"]) == ("import-1", "Completed", "123456789012")
    [model] = data["bedrock"]["ImportedModel"]
    assert model["model_name"] == "my-llama" and model["job_arn"] == job["job_arn"]
    [compilation] = data["sagemaker"]["mlmocks CompilationJob"]  # moto has a CompilationJob
    assert compilation["status"] == "STARTING"  # a look is not a describe
    assert [p["project_name"] for p in data["lookoutvision"]["Project"]] == ["boards"]
    assert [d["dataset_type"] for d in data["lookoutvision"]["Dataset"]] == ["train"]
    assert data["s3"]["FakeBucket"][0]["name"] == "moto-s-own"  # moto's own, as before
    assert "Completed" in json.dumps(data["bedrock"])
    dashboard = urllib.request.urlopen(f"{mlmocks_server}/moto-api/")
    assert dashboard.status == 200 and b"data.json" in dashboard.read() + _lib_js(mlmocks_server)

    control.reset()
    data = json.loads(urllib.request.urlopen(f"{mlmocks_server}/moto-api/data.json").read())
    assert data["bedrock"]["ModelImportJob"] == [] and data["lookoutvision"]["Project"] == []


def _lib_js(url: str) -> bytes:
    try:
        return urllib.request.urlopen(f"{url}/moto-api/lib.js").read()
    except OSError:
        return b""


def test_deleted_resources_leave_the_dashboard(mljobs: Any) -> None:
    from mlmocks.core import dashboard
    from mlmocks.neptunedata import models

    neptune = boto3.client("neptunedata", region_name="us-east-1",
                           endpoint_url="https://neptune-db.us-east-1.amazonaws.com")
    neptune.start_ml_data_processing_job(
        id="dp-1", inputDataS3Location="s3://graph/export/", processedDataS3Location="s3://graph/processed/"
    )
    neptune.start_ml_model_training_job(id="train-1", dataProcessingJobId="dp-1", trainModelS3Location="s3://graph/model/")
    neptune.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    shown = dashboard.snapshots(models)
    assert [e.id for e in shown["Endpoint"]] == ["endpoint-1"]
    neptune.delete_ml_endpoint(id="endpoint-1")
    assert "Endpoint" not in dashboard.snapshots(models)
    assert [j.id for j in dashboard.snapshots(models)["ModelTrainingJob"]] == ["train-1"]


# -- Neptune: deleting an endpoint twice ---------------------------------------------------


def test_deleting_an_endpoint_still_deleting_is_a_precondition_failure(mlmocks_server: str) -> None:
    control = RemoteJobControl(mlmocks_server)
    neptune = boto3.client("neptunedata", region_name="us-east-1", endpoint_url=mlmocks_server,
                           aws_access_key_id="test", aws_secret_access_key="test")
    neptune.start_ml_data_processing_job(
        id="dp-1", inputDataS3Location="s3://graph/export/", processedDataS3Location="s3://graph/processed/"
    )
    neptune.start_ml_model_training_job(id="train-1", dataProcessingJobId="dp-1", trainModelS3Location="s3://graph/model/")
    neptune.create_ml_endpoint(id="endpoint-1", mlModelTrainingJobId="train-1")
    assert neptune.get_ml_endpoint(id="endpoint-1")["status"] == "InService"
    control.set_progression("neptunedata::ml-endpoint", "manual", times=1000)
    assert neptune.delete_ml_endpoint(id="endpoint-1")["status"] == "Deleting"
    with pytest.raises(neptune.exceptions.PreconditionsFailedException):
        neptune.delete_ml_endpoint(id="endpoint-1")
    control.advance("neptunedata::ml-endpoint", "endpoint-1")
    with pytest.raises(neptune.exceptions.MLResourceNotFoundException):
        neptune.delete_ml_endpoint(id="endpoint-1")


# -- a typed public API --------------------------------------------------------------------

USER_FILE = '''\
from collections.abc import Iterator

from mlmocks import JobControl, RemoteJobControl, job_control, mock_mljobs
from mlmocks.pytest_plugin import mljobs


@mock_mljobs
def check(name: str) -> str:
    job_control.set_progression("bedrock::model-import-job", "manual", times=1000)
    job_control.set_progression("bedrock::model-import-job", "manual", times="many")  # E
    job_control.set_progression("bedrock::model-import-job", "sometimes")  # E
    count: int = job_control.status("bedrock::model-import-job", name)  # E
    return job_control.status("bedrock::model-import-job", name)


remote: JobControl = RemoteJobControl("http://127.0.0.1:5000")  # E
RemoteJobControl("http://127.0.0.1:5000").advance("bedrock::model-import-job", "import-1", steps="2")  # E
check(1)  # E
with mock_mljobs():
    pass
'''


def test_mypy_reports_a_users_type_errors(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    (tmp_path / "user.py").write_text(USER_FILE)
    package_root = Path(mlmocks.__file__).resolve().parent.parent
    (tmp_path / "mypy.ini").write_text(textwrap.dedent(f"""\
        [mypy]
        mypy_path = {package_root}
        follow_imports = silent
        ignore_missing_imports = True
        cache_dir = {tmp_path / "cache"}
        [mypy-moto.*,botocore.*,boto3.*,werkzeug.*]
        follow_imports = skip
    """))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(tmp_path / "mypy.ini"), "user.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    reported = sorted({int(m) for m in re.findall(r"^user\.py:(\d+): error", run.stdout, re.MULTILINE)})
    expected = [n for n, line in enumerate(USER_FILE.splitlines(), 1) if line.endswith("# E")]
    assert reported == expected, run.stdout + run.stderr


# -- release files -------------------------------------------------------------------------


def test_license_is_the_apache_license() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("Apache License")
    assert "Version 2.0, January 2004" in text and "http://www.apache.org/licenses/" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 10_000
    assert "license = Apache-2.0" in (ROOT / "setup.cfg").read_text()


def test_changelog_is_keep_a_changelog_for_users() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^(#{2,3}) (.+)$", text, re.MULTILINE)
    releases = [title for level, title in headings if level == "##"]
    assert releases[0] == "[Unreleased]" and releases[1].startswith("[0.1.0]")
    sections = [title for level, title in headings if level == "###"]
    assert set(sections) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    unreleased = text.split("## [0.1.0]")[0]
    assert {"Added", "Changed", "Fixed"} <= set(re.findall(r"^### (\w+)$", unreleased, re.MULTILINE))
    assert "keepachangelog.com" in text
    # Written for users: no issue numbers, no development timings.
    assert not re.search(r"(?i)\bissue\s*#?\d+|#\d+\b", text)
    assert not re.search(r"\d+(\.\d+)?\s*(ms|µs|us)\b|% less time", text)


def test_readme_states_how_long_the_suite_and_the_long_fuzz_run_take() -> None:
    development = (ROOT / "README.md").read_text().split("## Development", 1)[1]
    assert re.search(r"whole suite[^.]*\babout \d+ minutes?\b", development)
    assert re.search(r"MLMOCKS_FUZZ_EXAMPLES=2000[\s\S]{0,400}?\babout \d+ (minutes|hours?)\b", development)
