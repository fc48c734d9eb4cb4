"""Async support costs a process that never uses it nothing: aiobotocore is not loaded
by importing mlmocks, starting the mock, or answering boto3 in process. (This runs
wherever aiobotocore is or is not installed.)"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import mlmocks
from mlmocks import mock_mljobs
import boto3
with mock_mljobs():
    boto3.client("bedrock", region_name="us-east-1").list_model_import_jobs()
    boto3.client("s3", region_name="us-east-1").list_buckets()
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("aiobotocore", "aiohttp", "aioboto3"))
assert not loaded, loaded
print("ok")
"""


def test_mlmocks_does_not_load_aiobotocore() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
