"""Client tokens, written once: a request made again with the same token and the same
parameters gets the first answer again, and the token with other parameters is refused
with the service's conflict error.

Which member carries the token is the service model's: the member it marks
``idempotencyToken`` (SDKs fill it with a fresh token when the caller gives none), or one
the service names where its model marks none. The dispatcher takes the token out of the
arguments before the handler runs, so handlers and backends never see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from moto.core.model import OperationModel

from .errors import ServiceError
from .jobs import now

T = TypeVar("T")


@cache
def modeled_token_member(operation: OperationModel) -> str | None:
    """The input member the model marks as the operation's idempotency token, if any."""
    shape = operation.input_shape
    if shape is None:
        return None
    for name, member in shape.members.items():
        if member.metadata.get("idempotencyToken"):
            return str(name)
    return None


@dataclass
class _Remembered:
    request: dict[str, Any]
    answer: Any
    at: datetime


class ClientTokens:
    """The requests one backend answered with a client token, by operation and token."""

    def __init__(self) -> None:
        self._answered: dict[tuple[str, str], _Remembered] = {}

    def once(
        self,
        operation: str,
        token: str,
        request: dict[str, Any],
        act: Callable[[], T],
        conflict: Callable[[], ServiceError],
        lifetime: timedelta | None = None,
    ) -> T:
        """``act()``'s answer, or the answer of the earlier request with this token (within
        ``lifetime``, if the service bounds it); ``conflict()`` if that request differed."""
        key = (operation, token)
        earlier = self._answered.get(key)
        if earlier is not None and (lifetime is None or now() - earlier.at < lifetime):
            if earlier.request != request:
                raise conflict()
            answer: T = earlier.answer
            return answer
        answer = act()
        self._answered[key] = _Remembered(request, answer, now())
        return answer
