"""Schemathesis, driven by /api/openapi.json over real HTTP, finds no server error.

Creates are queued but not rendered: jobs go to the ORM broker with no worker running, as
on a server whose queue has not started. No name resolves (there is no outside world in a
test), so fuzzed uploadUrls fail fast instead of reaching the internet.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from studio.api import outbound
from studio.api.models import ApiKey

pytestmark = pytest.mark.django_db(transaction=True)
# Per operation: about 15 x 25 requests in all by default (under a minute).
EXAMPLES = int(os.environ.get("STUDIO_FUZZ_EXAMPLES", "25"))
# Besides "no server error": every answer is one the document declares, in its shape.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def studio_schema(live_server, settings, monkeypatch):
    settings.JOBS_SYNC = False
    settings.STUDIO_API_RATE = "0/10"  # unlimited: the fuzzer should reach past the limiter

    def nothing_resolves(host, port):
        raise OSError("no outside world in tests")

    monkeypatch.setattr(outbound, "resolve", nothing_resolves)
    return schemathesis.openapi.from_url(live_server.url + "/api/openapi.json")


@pytest.fixture
def bearer(django_user_model):
    user = django_user_model.objects.create_user("fuzz", password="a-long-passphrase")
    return {"Authorization": f"Bearer {ApiKey.issue(user, 'fuzz')[1]}"}


def test_fuzzer_finds_no_server_error(studio_schema, bearer):
    """Every operation in the document, fuzzed with schema-valid and -invalid data."""
    failures, tried, calls = [], [], [0]
    for result in studio_schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                             database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call(headers=bearer, timeout=30)
            calls[0] += 1
            problem = None
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
            elif response.headers.get("Content-Type", [""])[0].startswith("application/json"):
                if response.json().get("code") == 500:
                    problem = "envelope code 500"
            if problem is None:
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as failed:  # all failed checks of this answer at once
                    problem = "; ".join(str(e).splitlines()[0] for e in failed.exceptions)
            if problem:
                failures.append(f"{operation.label}: {problem}: {response.text[:300]}")
            assert problem is None

        try:
            fuzz()
        except (AssertionError, BaseExceptionGroup):
            pass  # recorded in `failures`; go on with the other operations
    assert len(tried) == 15, tried
    assert failures == []
    assert calls[0] > 10 * len(tried)
