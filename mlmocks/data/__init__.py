"""Service models mlmocks ships, for services that current botocore no longer ships
(``<service>/<api-version>/service-2.json`` and friends, botocore's own layout), and how
botocore is made to find them.

Importing ``mlmocks`` adds this folder to ``AWS_DATA_PATH`` when the installed botocore
lacks one of these services. botocore reads that variable whenever it creates a session,
so from then on boto3, botocore and the AWS CLI (in this process and in the processes it
starts) find the shipped models. It costs a directory listing: botocore is not imported.
"""

from __future__ import annotations

import importlib.util
import os

#: This folder: a botocore data path.
PATH = os.path.dirname(os.path.abspath(__file__))


def shipped_services() -> list[str]:
    """The services whose models this folder holds."""
    return sorted(
        name
        for name in os.listdir(PATH)
        if not name.startswith(("_", ".")) and os.path.isdir(os.path.join(PATH, name))
    )


def missing_from_botocore(botocore_data: str | None = None) -> list[str]:
    """The shipped services that botocore (by default the installed one, found without
    importing it) does not ship itself."""
    if botocore_data is None:
        spec = importlib.util.find_spec("botocore")
        if spec is None or not spec.submodule_search_locations:
            return shipped_services()
        botocore_data = os.path.join(list(spec.submodule_search_locations)[0], "data")
    return [
        name for name in shipped_services() if not os.path.isdir(os.path.join(botocore_data, name))
    ]


def lend_through_environment() -> None:
    """Append this folder to ``AWS_DATA_PATH`` if botocore lacks a shipped service (after
    any folders already there, so a model of the user's own comes first)."""
    if not missing_from_botocore():
        return
    current = os.environ.get("AWS_DATA_PATH", "")
    paths = current.split(os.pathsep) if current else []
    if PATH not in paths:
        os.environ["AWS_DATA_PATH"] = os.pathsep.join([*paths, PATH])
