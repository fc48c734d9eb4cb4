"""Every implemented operation of every service, fuzzed from its botocore input shape.

Each request goes on the wire as an SDK would send it (botocore's serializer, SigV4
signed), in-process through moto's stubber and over HTTP to ``mlmocks-server``. Every
answer must be a 2xx that conforms to the output shape, or one of the operation's
modeled errors (or the service's own validation error) in the service's wire format:
never a 5xx, never a traceback, nothing logged as an error. A rejected request must
leave every backend's full state as it found it. Afterwards the service still answers.

CI runs a fixed, derandomized number of examples; ``MLMOCKS_FUZZ_EXAMPLES=<n>`` runs
``n`` random examples per operation and mode instead.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import botocore
import hypothesis
import moto
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlmocks.core.registry import implemented_operations
from tests.conformance import check_response
from tests.modes import Aws
from tests.reliability import audit, report, state
from tests.reliability.audit import ErrorLog
from tests.reliability.fuzz import Plan, answered_by_moto, validation_code
from tests.reliability.services import fixtures, make
from tests.reliability.wire import (
    MAX_REQUEST_LINE,
    InProcess,
    OverHttp,
    Response,
    WireRequest,
    botocore_operation,
    serialize,
)

LONG_RUN = os.environ.get("MLMOCKS_FUZZ_EXAMPLES")
EXAMPLES = int(LONG_RUN) if LONG_RUN else 30
DEADLINE = timedelta(seconds=20)

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE,
    derandomize=not LONG_RUN,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)

OPERATIONS = sorted((service, op) for service, ops in implemented_operations().items() for op in ops)

report.setting("examples", EXAMPLES)
report.setting("derandomized", not LONG_RUN)
report.setting("deadline_ms", int(DEADLINE.total_seconds() * 1000))
report.setting("moto", moto.__version__)
report.setting("botocore", botocore.__version__)
report.setting("hypothesis", hypothesis.__version__)


def sender_for(aws: Aws) -> InProcess | OverHttp:
    return InProcess() if aws.endpoint is None else OverHttp(aws.endpoint)


def error_code(response: Response) -> str | None:
    if 200 <= response.status < 300:
        return None
    headers = {k.lower(): v for k, v in response.headers.items()}
    code = headers.get("x-amzn-errortype")
    if not code:
        document = _json(response.body)
        code = document.get("__type") or document.get("code") if isinstance(document, dict) else None
    return str(code).split(":")[0].split("#")[-1] if code else None


def _json(body: bytes) -> Any:
    import json

    try:
        return json.loads(body)
    except ValueError:
        return None


def is_html(response: Response) -> bool:
    content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
    head = response.body[:512].lower()
    return "text/html" in content_type or b"<html" in head or b"<!doctype" in head


def problems_with(request: WireRequest, response: Response, log: ErrorLog) -> list[str]:
    """What is wrong with an answer (nothing: [])."""
    found = []
    if response.status >= 500:
        found.append(f"answered {response.status}")
    if is_html(response):
        found.append("an HTML body")
    if b"Traceback" in response.body or b'File "' in response.body:
        found.append("a traceback in the body")
    found += conformance_problems(request, response)
    for record in log.records:
        found.append(f"logged {record.levelname} from {record.name}: {record.getMessage()[:300]}")
    log.records.clear()
    return found


def conformance_problems(request: WireRequest, response: Response) -> list[str]:
    def check(operation: str) -> list[str]:
        return check_response(
            request.service, operation, response.status, response.headers, response.body,
            unmodeled_validation=validation_code(request.service),
        )

    found = check(request.operation)
    if found and answered_by_moto(request):
        # moto's own answer for its own resources: moto's status codes are its own
        # (its Bedrock answers ResourceNotFoundException with 400, the model says 404).
        off_status = [problem for problem in found if "answered with status" in problem]
        if off_status:
            report.moto_deviation(request.service, request.operation, off_status[0])
        found = [problem for problem in found if problem not in off_status]
    if found and request.extra.get("empty label"):
        # The path addresses no operation (the service's UnknownOperationException) or
        # another operation of the service, whose answer must conform to its own model.
        if error_code(response) == "UnknownOperationException" and 400 <= response.status < 500:
            return []
        method = botocore_operation(request.service, request.operation).http["method"]
        for other in sorted(implemented_operations()[request.service]):
            if botocore_operation(request.service, other).http["method"] == method and not check(other):
                return []
    return found


def exchange(sender: InProcess | OverHttp, request: WireRequest, log: ErrorLog) -> Response:
    """Send one request, check the answer and, if it was rejected, that nothing changed."""
    before = state.snapshot()
    response = sender.send(request)
    if response.request_line > MAX_REQUEST_LINE:
        # Above the server's documented limit: the HTTP server refuses it with a 414, in JSON.
        assert response.status == 414 and not is_html(response), response.body[:300]
        assert json.loads(response.body)["__type"] == "RequestURITooLong", response.body[:300]
        log.records.clear()
        request.kind = "request line above the server's limit"
        problems = []
    else:
        problems = problems_with(request, response, log)
    rejected = not 200 <= response.status < 300
    if rejected:
        changed = state.difference(before, state.snapshot())
        if changed:
            problems.append(f"a rejected request changed state: {changed}")
    report.fuzzed(
        request.service, request.operation, sender.mode, request.kind, response.status,
        error_code(response), compared=rejected, html=is_html(response),
    )
    assert not problems, (
        f"{request.service} {request.operation} ({sender.mode}) answered {response.status}:\n  "
        + "\n  ".join(problems)
        + f"\nrequest: {request.describe()}\nanswer: {response.body[:600]!r}"
    )
    return response


def probe(service: str) -> WireRequest | None:
    """A request of the service that needs no input (a List call), to see it still answers.
    (A json-protocol service, SageMaker, POSTs every call: a List* call there.)"""
    for operation in sorted(implemented_operations()[service]):
        model = botocore_operation(service, operation)
        shape = model.input_shape
        reads = model.http.get("method") == "GET" or (
            model.metadata["protocol"] == "json" and operation.startswith(("List", "Describe"))
        )
        if reads and (shape is None or not shape.required_members):
            return serialize(service, operation, {})
    return None


@pytest.mark.parametrize(("service", "operation"), OPERATIONS, ids=[f"{s}.{o}" for s, o in OPERATIONS])
def test_fuzzed_requests(aws: Aws, service: str, operation: str, error_log: ErrorLog) -> None:
    fixture = fixtures().get(service)
    seeds = fixture.setup(make(aws)) if fixture is not None else {}
    sender = sender_for(aws)
    plan = Plan(service, operation, seeds)

    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz(data: Any) -> None:
        exchange(sender, plan.draw(data), error_log)

    with audit.watching() as seen:
        seen.clear()
        fuzz()
        assert not seen, f"request text reached the disk, a shell or an evaluator: {seen}"

    after = probe(service)
    if after is not None:
        response = exchange(sender, after, error_log)
        assert response.status < 400 or fixture is None, f"{service} stopped answering: {response.body[:300]!r}"
