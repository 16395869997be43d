"""Property-based requests generated from the served OpenAPI document (schemathesis):
no 5xx, and every response conforms to the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service import create_app

EXAMPLES = 400  # per operation: six operations, more than two thousand requests


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    app = create_app({"instance_path": str(tmp_path_factory.mktemp("fuzz"))})
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    app.extensions["screening"].close()


def test_generated_requests_conform(api_schema):
    # Starting retraining jobs is tested on its own (tests/test_retrain.py), not thousands of times here.
    operations = [result.ok() for result in api_schema.get_all_operations()
                  if result.ok().path != "/api/v1/retrain"]
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
