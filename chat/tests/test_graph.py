"""The Graph API client against a stub server on loopback: retries, error classes, request shape."""

from __future__ import annotations

import socket
import threading

import pytest

from chat.tests.stub_graph import StubGraph
from chat.whatsapp import outgoing
from chat.whatsapp.graph import GraphClient, GraphError, classify

PHONE_ID = "100200300400500"
VERSION = "v23.0"
TOKEN = "test-token"
BODY = outgoing.text("919800000001", "Your appointment is booked.")


@pytest.fixture
def stub():
    with StubGraph() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(stub, sleeps):
    graph = GraphClient(stub.base_url, VERSION, TOKEN, timeout=2.0, attempts=3, base_delay=0, sleep=sleeps.append)
    yield graph
    graph.close()


# -- the request ----------------------------------------------------------------------------


def test_send_posts_the_body_with_bearer_token_to_the_versioned_path(stub, client):
    """One POST to /<version>/<phone_number_id>/messages, bearer token, the body as JSON; the wamid comes back."""
    assert client.send(PHONE_ID, BODY) == "wamid.stub-1"
    [request] = stub.requests
    assert (request.method, request.path) == ("POST", f"/{VERSION}/{PHONE_ID}/messages")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == BODY


def test_mark_read_posts_a_read_status_for_the_message(stub, client):
    """mark_read sends {messaging_product, status: read, message_id} to the same messages endpoint."""
    assert client.mark_read(PHONE_ID, "wamid.IN-1") is None
    [request] = stub.requests
    assert request.path == f"/{VERSION}/{PHONE_ID}/messages"
    assert request.json == {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN-1"}


def test_mark_read_without_success_is_an_error(stub, client):
    """A 200 that does not say {"success": true} is not taken as done."""
    stub.reply(200, {"success": False})
    with pytest.raises(GraphError) as caught:
        client.mark_read(PHONE_ID, "wamid.IN-1")
    assert caught.value.retryable is False


def test_base_url_with_trailing_slash_still_gives_one_slash(stub, sleeps):
    """WHATSAPP_API_BASE may end in '/'; the path must not get '//'."""
    graph = GraphClient(stub.base_url + "/", VERSION, TOKEN, timeout=2.0, attempts=1, base_delay=0, sleep=sleeps.append)
    graph.send(PHONE_ID, BODY)
    assert stub.requests[0].path == f"/{VERSION}/{PHONE_ID}/messages"


def test_success_without_a_message_id_is_not_retried(stub, client):
    """A 2xx without messages[0].id may still have been sent: raise, but never send it again."""
    stub.reply(200, {"messaging_product": "whatsapp", "messages": []})
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    assert caught.value.retryable is False
    assert len(stub.requests) == 1


# -- retries --------------------------------------------------------------------------------


def test_two_server_errors_then_success_sends_once_in_three_requests(stub, client, sleeps):
    """500, 500, 200: the message goes out once, after three requests and two backoff waits."""
    stub.error(500, 131000, "Something went wrong", times=2)
    assert client.send(PHONE_ID, BODY) == "wamid.stub-1"
    assert len(stub.requests) == 3
    assert all(r.json == BODY for r in stub.requests)
    assert len(sleeps) == 2


def test_retries_stop_after_attempts_and_raise_the_last_error_as_retryable(stub, client, sleeps):
    """Always failing: `attempts` requests, then the last GraphError, retryable so the caller can re-enqueue."""
    stub.error(503, 2, "Service temporarily unavailable", times=5)
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    assert len(stub.requests) == 3
    assert (caught.value.code, caught.value.http_status, caught.value.retryable) == (2, 503, True)
    assert len(sleeps) == 2


def test_backoff_is_exponential_with_full_jitter(stub, sleeps):
    """Each wait is random in [0, base * 2**n): spread out, and bounded by the exponential cap."""
    stub.reply(502, text="bad gateway", times=4)
    graph = GraphClient(stub.base_url, VERSION, TOKEN, timeout=2.0, attempts=5, base_delay=1.0, sleep=sleeps.append)
    assert graph.send(PHONE_ID, BODY) == "wamid.stub-1"
    assert len(sleeps) == 4
    assert all(0 <= wait <= cap for wait, cap in zip(sleeps, [1, 2, 4, 8], strict=True))


@pytest.mark.parametrize(
    ("status", "code"),
    [(429, 130429), (400, 131056), (500, 131000), (503, 1), (429, None)],
    ids=["throughput-130429", "pair-rate-131056", "unknown-131000", "api-unknown-1", "bare-429"],
)
def test_rate_limits_and_transient_errors_are_retried(stub, client, status, code):
    """Throughput (130429, HTTP 429), pair rate (131056) and unknown errors are retried until success."""
    if code is None:
        stub.reply(status, {})
    else:
        stub.error(status, code)
    assert client.send(PHONE_ID, BODY) == "wamid.stub-1"
    assert len(stub.requests) == 2


def test_non_json_502_body_is_tolerated_and_retried(stub, client):
    """A proxy's HTML 502 is not JSON: it still becomes a retryable GraphError, not a crash."""
    stub.reply(502, text="<html><body>502 Bad Gateway</body></html>", times=3)
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    error = caught.value
    assert (error.code, error.http_status, error.retryable) == (None, 502, True)
    assert "502 Bad Gateway" in error.title
    assert len(stub.requests) == 3


def test_a_response_slower_than_the_timeout_is_ambiguous_and_not_retried(stub, sleeps):
    """A read timeout: the request went out, Meta may have accepted it, and its send has no
    idempotency key. One request only, an ambiguous (not retryable) error for the caller to reconcile."""
    stub.reply(200, delay=1.0)
    graph = GraphClient(stub.base_url, VERSION, TOKEN, timeout=0.2, attempts=3, base_delay=0, sleep=sleeps.append)
    with pytest.raises(GraphError) as caught:
        graph.send(PHONE_ID, BODY)
    assert (caught.value.ambiguous, caught.value.retryable, caught.value.http_status) == (True, False, None)
    assert len(stub.requests) == 1 and sleeps == []


def test_a_connection_dropped_mid_response_is_ambiguous(sleeps):
    """The server read the request and hung up without answering: ambiguous, one try."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]

        def hang_up():
            connection, _ = server.accept()
            connection.recv(65536)
            connection.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        graph = GraphClient(f"http://127.0.0.1:{port}", VERSION, TOKEN, timeout=2, attempts=3, sleep=sleeps.append)
        with pytest.raises(GraphError) as caught:
            graph.send(PHONE_ID, BODY)
        thread.join(2)
    assert (caught.value.ambiguous, caught.value.retryable) == (True, False)
    assert sleeps == []


def test_connection_refused_is_retryable(sleeps):
    """Nothing listening: a retryable connection error after `attempts` tries, no exception leaks."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    graph = GraphClient(
        f"http://127.0.0.1:{port}", VERSION, TOKEN, timeout=0.5, attempts=2, base_delay=0, sleep=sleeps.append
    )
    with pytest.raises(GraphError) as caught:
        graph.send(PHONE_ID, BODY)
    assert (caught.value.retryable, caught.value.ambiguous) == (True, False)
    assert len(sleeps) == 1


# -- permanent errors -----------------------------------------------------------------------


@pytest.mark.parametrize("code", [131026, 100, 131008, 131009, 132000, 132012, 131048, 131049])
def test_permanent_error_is_raised_after_one_request(stub, client, code):
    """Undeliverable, bad parameters, template mismatch, spam limits: one request, not retryable."""
    stub.error(400, code, "permanent", details="why it failed")
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    error = caught.value
    assert (error.code, error.retryable, error.token_problem) == (code, False, False)
    assert (error.http_status, error.details, error.title) == (400, "why it failed", "permanent")
    assert len(stub.requests) == 1


def test_outside_the_window_is_not_retried_and_keeps_its_code(stub, client):
    """131047 (24-hour window closed) keeps its code so the pipeline can say "send a template"."""
    stub.error(400, 131047, "Re-engagement message", details="More than 24 hours have passed")
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    assert (caught.value.code, caught.value.retryable) == (131047, False)
    assert caught.value.details == "More than 24 hours have passed"
    assert len(stub.requests) == 1


def test_expired_token_is_a_token_problem_not_retried(stub, client):
    """190 (token expired) flags the token for an admin and is not retried."""
    stub.reply(
        401,
        {
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
                "fbtrace_id": "AbCdEf",
            }
        },
    )
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    error = caught.value
    assert (error.code, error.subcode, error.token_problem, error.retryable) == (190, 463, True, False)
    assert error.fbtrace_id == "AbCdEf"
    assert len(stub.requests) == 1


def test_error_message_does_not_leak_the_token(stub, client):
    """GraphError text ends up in logs and on the doctor's page: it never contains the access token."""
    stub.error(400, 100, "Invalid parameter")
    with pytest.raises(GraphError) as caught:
        client.send(PHONE_ID, BODY)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value.__dict__)


# -- classify -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("http_status", "code", "expected"),
    [
        (None, None, (True, False)),  # timeout / connection error
        (500, None, (True, False)),
        (503, None, (True, False)),
        (429, None, (True, False)),
        (400, 130429, (True, False)),
        (400, 131056, (True, False)),
        (500, 131000, (True, False)),
        (500, 2, (True, False)),
        (500, 1, (True, False)),
        (400, 131047, (False, False)),
        (400, 131026, (False, False)),
        (400, 100, (False, False)),
        (500, 100, (False, False)),  # the code wins: a bad parameter stays bad
        (400, 131008, (False, False)),
        (400, 131009, (False, False)),
        (400, 132000, (False, False)),
        (400, 132012, (False, False)),
        (400, 131048, (False, False)),
        (400, 131049, (False, False)),
        (401, 190, (False, True)),
        (401, None, (False, True)),
        (400, 0, (False, True)),
        (403, 10, (False, True)),
        (403, 200, (False, True)),
        (403, 299, (False, True)),
        (400, None, (False, False)),
        (404, 999999, (False, False)),
    ],
)
def test_classify_says_whether_to_retry_and_whether_the_token_is_at_fault(http_status, code, expected):
    """The one table of retry decisions, from CLOUD_API.md A6."""
    assert classify(http_status, code) == expected


# -- the stub itself ------------------------------------------------------------------------


def test_stub_records_requests_that_the_client_gave_up_on(stub, sleeps):
    """A request that timed out is still in stub.requests: attempt counts are exact."""
    stub.reply(200, delay=1.0)
    graph = GraphClient(stub.base_url, VERSION, TOKEN, timeout=0.2, attempts=1, base_delay=0, sleep=sleeps.append)
    with pytest.raises(GraphError):
        graph.send(PHONE_ID, BODY)
    assert len(stub.wait_for(1)) == 1
    assert stub.pending == 0


def test_stub_default_reply_echoes_the_recipient_and_counts_wamids(stub, client):
    """Default success: contacts[0] echoes `to` (or a BSUID `recipient`), wamids count up from 1."""
    assert client.send(PHONE_ID, BODY) == "wamid.stub-1"
    assert client.send(PHONE_ID, outgoing.text("IN.1349120865", "hi")) == "wamid.stub-2"
    assert [b.get("to") or b.get("recipient") for b in stub.sent_bodies()] == ["919800000001", "IN.1349120865"]


def test_stub_stops_cleanly_with_a_delayed_reply_pending():
    """Stopping while a handler sleeps on a delay returns promptly; a stopped stub has no base_url."""
    server = StubGraph().start()
    server.reply(200, delay=30)
    graph = GraphClient(server.base_url, VERSION, TOKEN, timeout=0.2, attempts=1, base_delay=0, sleep=lambda s: None)
    with pytest.raises(GraphError):
        graph.send(PHONE_ID, BODY)
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.base_url
