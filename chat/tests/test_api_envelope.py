"""The live page's JSON API, the envelope of every route: login, method, CSRF, a JSON object, ids.

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

import json

import pytest
from django.test import Client

from chat.tests.api_clinics import GET_ROUTES, POST_ROUTES, post
from patients.models import Patient

# --- The envelope: login, method, CSRF, JSON ---------------------------------------------------


@pytest.mark.parametrize("route", GET_ROUTES + POST_ROUTES)
def test_every_route_answers_401_json_when_not_logged_in(client, clinics, route):
    url = route.format(patient=clinics["mine"].pk)
    response = client.get(url) if route in GET_ROUTES else post(client, url, {"patientId": clinics["mine"].pk})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("route", GET_ROUTES + POST_ROUTES)
def test_the_wrong_method_is_405_with_the_allowed_one(desk, clinics, route):
    url = route.format(patient=clinics["mine"].pk)
    response = post(desk, url, {}) if route in GET_ROUTES else desk.get(url)
    assert response.status_code == 405
    assert response["Allow"] == ("GET" if route in GET_ROUTES else "POST")
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("route", POST_ROUTES)
def test_a_post_without_the_csrf_token_is_refused_with_json(clinics, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinics["staff_a"])
    response = post(client, route, {"patientId": clinics["mine"].pk, "pause": True})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Patient.objects.get(pk=clinics["mine"].pk).ai_paused


def test_a_post_with_the_csrf_token_from_the_page_is_accepted(clinics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinics["staff_a"])
    page = client.get("/chat/")
    token = page.context["csrf_token"]
    response = client.post(
        "/api/chat/pause-ai",
        data=json.dumps({"patientId": clinics["mine"].pk, "pause": True}),
        content_type="application/json",
        headers={"X-CSRFToken": str(token)},
    )
    assert response.status_code == 200
    assert response.json()["patient"]["ai_paused"] is True


@pytest.mark.parametrize("route", POST_ROUTES)
@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"text"', b"null"])
def test_a_body_that_is_not_a_json_object_is_400(desk, route, body):
    response = desk.post(route, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_json"


@pytest.mark.parametrize(
    "route, body",
    [
        ("/api/chat/send", {"messageBody": "hi"}),
        ("/api/chat/send", {"patientId": "abc", "messageBody": "hi"}),
        ("/api/chat/send", {"patientId": 1.5, "messageBody": "hi"}),
        ("/api/chat/send", {"patientId": True, "messageBody": "hi"}),
        ("/api/chat/send", {"patientId": -4, "messageBody": "hi"}),
        ("/api/chat/send", {"patientId": 2**70, "messageBody": "hi"}),
        ("/api/chat/send-template", {"templateId": 1, "params": []}),
        ("/api/chat/retry", {}),
        ("/api/chat/retry", {"messageId": [1]}),
        ("/api/chat/pause-ai", {"pause": True}),
        ("/api/chat/read", {"patientId": None}),
    ],
)
def test_missing_or_malformed_ids_are_400_with_the_field_named(desk, route, body):
    response = post(desk, route, body)
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid"
    assert any(name in problem["error"] for name in ("patientId", "messageId"))
