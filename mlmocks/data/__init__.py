"""Service models mlmocks ships, for services that current botocore no longer ships
(``<service>/<api-version>/service-2.json`` and friends, botocore's own layout), and how
botocore is made to find them.

Importing ``mlmocks`` adds this folder to ``AWS_DATA_PATH`` when the installed botocore
lacks one of these services. botocore reads that variable whenever it creates a session,
so from then on boto3, botocore and the AWS CLI (in this process and in the processes it
starts) find the shipped models. It costs a directory listing: botocore is not imported.

Sessions made before that (botocore was imported first) and sessions made while a test
replaced ``os.environ`` find the models too: every botocore loader that searches
botocore's own data searches this folder last (``lend_to_loaders``), so botocore's
search path rules (``AWS_DATA_PATH``, then ``~/.aws/models``, then botocore's data) come
first. ``python -m mlmocks data-path`` prints the ``export AWS_DATA_PATH=...`` line for a
shell, where the AWS CLI runs in a process of its own.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import sys
from typing import Any

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


def data_path(current: str | None) -> str:
    """``AWS_DATA_PATH`` with this folder after the folders ``current`` already names
    (so a model of the user's own comes first)."""
    paths = current.split(os.pathsep) if current else []
    return os.pathsep.join(paths if PATH in paths else [*paths, PATH])


def shell_export(current: str | None = None) -> str:
    """The shell line that puts this folder on ``AWS_DATA_PATH`` (``python -m mlmocks
    data-path`` prints it), keeping what the variable (by default this process's) holds."""
    if current is None:
        current = os.environ.get("AWS_DATA_PATH")
    return f"export AWS_DATA_PATH={shlex.quote(data_path(current))}"


def lend_through_environment() -> None:
    """Append this folder to ``AWS_DATA_PATH`` if botocore lacks a shipped service, and,
    where botocore is imported already (its sessions may exist), to its loaders."""
    if not missing_from_botocore():
        return
    os.environ["AWS_DATA_PATH"] = data_path(os.environ.get("AWS_DATA_PATH"))
    if "botocore.loaders" in sys.modules:
        lend_to_loaders()


_lent = False
#: The cached listings of a loader that change when a folder joins its search path.
_LISTINGS = ("list_available_services", "list_api_versions", "determine_latest_version")


def lend_to_loaders() -> None:
    """Make every botocore ``Loader`` that searches botocore's own data, those made
    before this call included, search this folder after all of its own paths, if the
    installed botocore lacks a shipped service. A loader made with
    ``include_default_search_paths=False`` is left as it is."""
    global _lent
    if _lent or not missing_from_botocore():
        return
    from botocore.loaders import Loader

    listed = Loader.list_available_services

    def list_available_services(self: Loader, type_name: str) -> Any:
        paths = self.search_paths
        if PATH not in paths and self.BUILTIN_DATA_PATH in paths:
            paths.append(PATH)
            # A listing made before the folder joined would hide its services.
            cache: dict[tuple[Any, ...], Any] = self._cache
            for key in [key for key in cache if key[0] in _LISTINGS]:
                del cache[key]
        return listed(self, type_name)

    list_available_services.__doc__ = listed.__doc__
    Loader.list_available_services = list_available_services
    _lent = True
