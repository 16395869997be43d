"""Property-based requests generated from the served OpenAPI document (schemathesis):
no 5xx, and every response conforms to the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service import create_app

EXAMPLES = 250  # per operation: a dozen operations, about three thousand requests
# Tested on their own, not thousands of times here: starting retraining jobs (tests/test_retrain.py)
# and rendering the 通报 with its charts and PDF (tests/test_bulletin.py).
SLOW = ("/api/v1/retrain", "/api/v1/report")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    app = create_app({"instance_path": str(tmp_path_factory.mktemp("fuzz"))})
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    app.extensions["screening"].close()


def test_generated_requests_conform(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations() if result.ok().path not in SLOW]
    assert len(operations) >= 5
    calls = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call_and_validate()
            calls.append(response.status_code)
        run()
    assert len(calls) >= 1000
    assert not [s for s in calls if s >= 500]
