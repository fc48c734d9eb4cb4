"""Watches, with Python's audit hooks, for request text reaching the disk, a shell or an
evaluator: every hostile string the fuzzer sends carries ``CANARY``, and no file
opened, path listed, process started or code compiled may mention it."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from tests.reliability.shapes import CANARY

#: Audit events that touch the disk, run programs or evaluate code.
WATCHED = frozenset(
    {
        "open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.mkdir", "os.rmdir",
        "os.chmod", "os.chown", "os.link", "os.symlink", "os.truncate", "os.utime", "os.walk",
        "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree", "shutil.unpack_archive",
        "glob.glob", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
        "subprocess.Popen", "compile", "exec", "pickle.find_class", "marshal.loads",
        "socket.connect", "socket.getaddrinfo", "urllib.Request", "ctypes.dlopen",
    }
)

_lock = threading.Lock()
_watching = 0
#: (event, arguments) seen mentioning the canary.
SEEN: list[tuple[str, str]] = []
_installed = False


def _mentions(value: Any) -> bool:
    if isinstance(value, str):
        return CANARY in value
    if isinstance(value, (bytes, bytearray)):
        return CANARY.encode() in value
    if isinstance(value, (list, tuple)):
        return any(_mentions(item) for item in value)
    code = getattr(value, "co_consts", None)
    if code is not None:
        return any(_mentions(item) for item in code)
    if hasattr(value, "__fspath__"):
        return CANARY in str(value)
    return False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _watching or event not in WATCHED:
        return
    if _mentions(args):
        SEEN.append((event, repr(args)[:300]))


class watching:
    """Context manager: record watched events that mention the canary while inside."""

    def __enter__(self) -> list[tuple[str, str]]:
        global _watching, _installed
        with _lock:
            if not _installed:
                sys.addaudithook(_hook)
                _installed = True
            _watching += 1
        return SEEN

    def __exit__(self, *exc: Any) -> None:
        global _watching
        with _lock:
            _watching -= 1


class ErrorLog(logging.Handler):
    """Every record logged at ERROR or above, or with a traceback, anywhere: the server
    logs what escapes a request there."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.format(record)  # fills exc_text
            self.records.append(record)
