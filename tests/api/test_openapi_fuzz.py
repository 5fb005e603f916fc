"""Schemathesis, driven by /api/openapi.json over real HTTP, finds no server error.

Creates are queued but not rendered: jobs go to the ORM broker with no worker running, as
on a server whose queue has not started. No name resolves (there is no outside world in a
test), so fuzzed uploadUrls fail fast instead of reaching the internet.
"""
import os

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from studio.api import outbound
from studio.api.models import ApiKey
from tests.factories import mp3_bytes

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
                failures.append(f"{case.operation.label}: {problem}: {response.text[:300]}")
            assert problem is None

        try:
            fuzz()
        except (AssertionError, BaseExceptionGroup):
            pass  # recorded in `failures`; go on with the other operations
    # 15 + 5 derived outputs (stems, MIDI, timed lyrics) + 5 (lyrics, style, WAV) + persona
    # + replace-section + 4 (MP4, cover art) + add-vocals + upload-extend
    # + kie's Common API (chat/credit, download-url) + sounds
    assert len(tried) == 37, tried
    assert failures == []
    assert calls[0] > 10 * len(tried)


# The body shapes of issue 12's probe: a client's mistakes Studio once answered with code 500.
HOSTILE_TEXT = ["\ud800", "a\udfffb", "nul\x00byte", "n" * 5000 + ".mp3", "1" * 5000]
DEEP_JSON = b"[" * 5000 + b"]" * 5000
DEEP_OBJECT = b'{"prompt": ' + b"[" * 5000 + b"]" * 5000 + b"}"


def _with_hostile_text(case, data):
    """The fuzzer's case with one of its text fields (or a new one) replaced by a hostile
    string; json encodes lone surrogates as escapes, as a client's JSON library does."""
    if isinstance(case.body, dict):
        # A form cannot carry a lone surrogate (it is UTF-8 bytes); JSON's escapes can.
        texts = HOSTILE_TEXT if case.media_type == "application/json" else HOSTILE_TEXT[2:]
        names = sorted(name for name in case.body if name != "file") + ["fileName", "title"]
        case.body[data.draw(st.sampled_from(names))] = data.draw(st.sampled_from(texts))
    if case.query is not None:
        for name in case.query:
            case.query[name] = data.draw(st.sampled_from(HOSTILE_TEXT[2:]))
    return case


def _problem(response) -> str | None:
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    if response.headers.get("Content-Type", "").startswith("application/json"):
        document = response.json()
        if isinstance(document, dict) and document.get("code") == 500:
            return "envelope code 500"
    return None


def test_hostile_body_shapes_get_no_server_error(studio_schema, bearer, live_server):
    """Every operation, fuzzed with lone surrogates, NULs and 5,000-character strings in its
    fields, then sent JSON nested 5,000 deep and a file named with 5,000 characters."""
    failures = []
    for result in studio_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), data=st.data())
        @hypothesis_settings(max_examples=max(EXAMPLES // 3, 5), deadline=None,
                             derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck))
        def fuzz(case, data):
            response = case.call(headers=bearer, timeout=30) if case.body is None else \
                _with_hostile_text(case, data).call(headers=bearer, timeout=30)
            if problem := _problem(response):
                failures.append(f"{case.operation.label}: {problem}: {response.text[:300]}")

        fuzz()
        url = live_server.url + operation.path
        if operation.method.upper() == "POST":
            for raw in (DEEP_JSON, DEEP_OBJECT):
                response = httpx.post(url, content=raw, timeout=30, headers={
                    **bearer, "Content-Type": "application/json"})
                if problem := _problem(response):
                    failures.append(f"{operation.label} deep JSON: {problem}")
            response = httpx.post(url, timeout=30, headers=bearer, files={
                "file": ("n" * 5000 + ".mp3", mp3_bytes(1.0), "audio/mpeg")})
            if problem := _problem(response):
                failures.append(f"{operation.label} long file name: {problem}")
    assert failures == []
