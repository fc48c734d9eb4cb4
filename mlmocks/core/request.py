"""One request as the dispatcher hands it on: what every handler and check reads.

``Body`` parses a JSON body at most once, however many readers it has (the shared-host
ownership check, validation). ``Call`` is the request once routed and validated: the
operation, its arguments by the model's member names, the account and region it is for,
and its body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from moto.core.model import OperationModel

#: A body that is not JSON.
NOT_JSON = object()


class Body:
    """A request body; ``document()`` is its JSON, parsed on first use."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._document: Any = None
        self._parsed = False

    def document(self) -> Any:
        """The parsed JSON (``{}`` for an empty body), or ``NOT_JSON``."""
        if not self._parsed:
            self._parsed = True
            if not self.raw or not self.raw.strip():
                self._document = {}
            else:
                try:
                    self._document = json.loads(self.raw)
                except (ValueError, UnicodeDecodeError, RecursionError):
                    self._document = NOT_JSON
        return self._document

    def json_object(self) -> dict[str, Any]:
        """The JSON document if it is an object, else ``{}``."""
        document = self.document()
        return document if isinstance(document, dict) else {}


@dataclass(frozen=True)
class Call:
    operation: OperationModel
    #: The validated input members, by the model's member names.
    arguments: dict[str, Any]
    account: str
    region: str
    body: Body
