"""Every response the tests provoke is also written by moto's own serializer, and must
come out the same: mlmocks writes responses with moto's serializers minus per-member
work (``mlmocks/core/serialization.py``), which must not change a byte."""

from __future__ import annotations

from typing import Any

from moto.core.serialize import XFormedAttributePicker, get_serializer_class

from mlmocks.core import responses, serialization


class SerializerMismatch(BaseException):
    """Not an Exception: mlmocks answers a serializer that fails with a 500 in the wire
    format, and this must reach the test instead."""


class _Checked:
    def __init__(self, service_name: str, protocol: str, operation_model: Any) -> None:
        self._ours = serialization.serializer_class(service_name, protocol)(operation_model=operation_model)
        self._moto = get_serializer_class(service_name, protocol)
        self._operation_model = operation_model

    def serialize(self, result: Any) -> Any:
        got = self._ours.serialize(result)
        expected = self._moto(
            operation_model=self._operation_model, value_picker=XFormedAttributePicker()
        ).serialize(result)
        if expected != got:
            # Looking at a job may move it on between the two: then a second try matches.
            again = self._ours.serialize(result)
            if expected != again:
                raise SerializerMismatch(
                    f"{self._operation_model.name}: mlmocks wrote {got!r}, moto writes {expected!r}"
                )
        return got


def checking_serializer_class(service_name: str, protocol: str) -> Any:
    def make(operation_model: Any) -> _Checked:
        return _Checked(service_name, protocol, operation_model)

    return make


def install() -> None:
    responses.serializer_class = checking_serializer_class  # type: ignore[assignment]
