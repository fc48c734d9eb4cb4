"""Every response the tests provoke is also written by moto's own serializer, and must
come out the same: mlmocks writes responses with compiled writers, or moto's serializers
minus per-member work (``mlmocks/core/serialization.py``), neither of which may change a
byte."""

from __future__ import annotations

from typing import Any

from moto.core.serialize import XFormedAttributePicker, get_serializer_class

from mlmocks.core import responses, serialization


class SerializerMismatch(BaseException):
    """Not an Exception: mlmocks answers a serializer that fails with a 500 in the wire
    format, and this must reach the test instead."""


class _Checked:
    def __init__(self, service_name: str, protocol: str, operation_model: Any, ours: Any = None) -> None:
        self._ours = ours or serialization.serializer_class(service_name, protocol)(operation_model=operation_model)
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


def checking_result_writer(service_name: str, operation_name: str) -> Any:
    writer = serialization.result_writer(service_name, operation_name)
    if writer is None:
        return None
    operation_model = serialization.operation_model(service_name, operation_name)

    class Compiled:
        serialize = staticmethod(writer)

    checked = _Checked(service_name, operation_model.service_model.protocol, operation_model, Compiled())
    return checked.serialize


def install() -> None:
    responses.serializer_class = checking_serializer_class  # type: ignore[assignment]
    responses.result_writer = checking_result_writer  # type: ignore[assignment]
