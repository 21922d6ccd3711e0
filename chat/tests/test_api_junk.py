"""The JSON API against junk (issue 12, item 7): every route answers JSON — 400 for malformed
input, 404 for ids that are not the user's or out of range — never a 500, and junk never
reaches the database. First the exact shapes that used to 500, then a fuzzer over every route."""

import datetime as dt
import json
import os

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chat.models import Message, MessageTemplate
from chat.tests.junk import JSON_VALUES, NASTY_STRINGS, RAW, RAW_TOKENS
from patients.models import Doctor, Patient

# What each POST route reads; a junk value goes into one of these (or a field nobody reads).
POST_FIELDS = {
    "/api/chat/send": ["patientId", "messageBody", "clientId", "doctorId"],
    "/api/chat/send-template": ["patientId", "templateId", "params", "clientId", "doctorId"],
    "/api/chat/retry": ["messageId", "doctorId"],
    "/api/chat/pause-ai": ["patientId", "pause", "doctorId"],
    "/api/chat/read": ["patientId", "doctorId"],
    "/api/chat/alerts": ["emergencyAlerts", "doctorId"],
}
GET_FIELDS = {
    "/api/chat/conversations": ["q", "before", "doctorId"],
    "/api/chat/messages/{patient}": ["after", "before", "doctorId"],
}
# The shapes that answered HTML 500s before (issue 12): NUL, lone surrogates, 4,301 digits, deep nesting.
EXACT_JUNK = [
    '"a\\u0000b"',
    '"\\u0000"',
    '"\\ud800"',
    '"x\\udfffy"',
    '["ok", "\\u0000"]',
    '{"k\\u0000": 1}',
    "9" * 4301,
    '"' + "9" * 4301 + '"',
    '"' + "9" * 20 + '"',
    "99999999999999999999",
    "-" + "9" * 4301,
    "NaN",
    "Infinity",
    "1e999",
    "1.5",
    "true",
    "[]",
    "{}",
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    '"' + "x" * 70_000 + '"',
]
GET_JUNK = ["%00", "a%00b", "%ED%A0%80", "%FF%FE", "9" * 4301, "-1", "1.5", "1e999", "9" * 20, "x" * 5000, "0"]
ALLOWED = {200, 201, 400, 403, 404, 409}
API_FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "600"))


@pytest.fixture
def clinics(db, settings):
    """One clinic, its staff member, a patient who wrote five minutes ago (the window is open), a template."""
    doctor = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    staff = User.objects.create_user("desk-a", password="pw-a-123456")
    doctor.members.add(staff)
    wrote = timezone.now() - dt.timedelta(minutes=5)
    mine = Patient.objects.create(doctor=doctor, wa_id="919800000001", last_inbound_at=wrote, last_message_at=wrote)
    template = MessageTemplate.objects.create(doctor=doctor, name="follow_up", body="Hello {{1}}, see you on {{2}}.")
    return {"staff_a": staff, "mine": mine, "template_a": template}


@pytest.fixture
def desk(clinics):
    client = Client()
    client.force_login(clinics["staff_a"])
    return client


def base_body(route: str, clinics) -> dict:
    """A valid request to `route`, so a junk value in one field is the only thing wrong with it."""
    return {
        "/api/chat/send": {"patientId": clinics["mine"].pk, "messageBody": "hello", "clientId": "c-1"},
        "/api/chat/send-template": {
            "patientId": clinics["mine"].pk,
            "templateId": clinics["template_a"].pk,
            "params": ["Rahul", "Monday"],
        },
        "/api/chat/retry": {"messageId": 1},
        "/api/chat/pause-ai": {"patientId": clinics["mine"].pk, "pause": True},
        "/api/chat/read": {"patientId": clinics["mine"].pk},
        "/api/chat/alerts": {"emergencyAlerts": False},
    }[route]


def post_raw(client, route: str, body: dict, field: str, raw: str):
    """POST `body` with `field` set to the raw JSON text `raw` (which json.dumps may not be able to write)."""
    text = json.dumps({**body, field: RAW}).replace(json.dumps(RAW), raw)
    return client.post(route, data=text.encode("utf-8", "surrogatepass"), content_type="application/json")


def assert_json_answer(response, what: str) -> None:
    assert response.status_code in ALLOWED, f"{what}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == "application/json", what
    body = response.json()
    if response.status_code >= 400:
        assert body["error"] and body["code"], what


def assert_no_junk_stored() -> None:
    for text in Message.objects.values_list("text", flat=True):
        assert "\x00" not in text and "\ud800" not in text


@pytest.mark.parametrize("route", sorted(POST_FIELDS))
def test_every_exact_junk_shape_in_every_post_field_gets_a_json_4xx(desk, clinics, route):
    for field in [*POST_FIELDS[route], "unexpected"]:
        for raw in EXACT_JUNK:
            response = post_raw(desk, route, base_body(route, clinics), field, raw)
            assert_json_answer(response, f"{route} {field}={raw[:30]}")
    assert_no_junk_stored()


@pytest.mark.parametrize("route", sorted(GET_FIELDS))
def test_every_exact_junk_shape_in_every_query_parameter_gets_a_json_answer(desk, clinics, route):
    url = route.format(patient=clinics["mine"].pk)
    for field in GET_FIELDS[route]:
        for junk in GET_JUNK:
            assert_json_answer(desk.get(f"{url}?{field}={junk}"), f"{route} {field}={junk[:30]}")


@pytest.mark.parametrize("patient", ["9" * 4301, "9" * 20, "0", "-1", "1.5", "%00", "%ED%A0%80", "١٢"])
def test_a_junk_patient_id_in_the_path_is_a_json_404(desk, patient):
    response = desk.get(f"/api/chat/messages/{patient}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_nul_in_the_message_body_is_refused_with_the_field_named(desk, clinics):
    response = post_raw(desk, "/api/chat/send", base_body("/api/chat/send", clinics), "messageBody", '"a\\u0000b"')
    assert response.status_code == 400
    assert "messageBody holds a NUL character" in response.json()["error"]
    assert not Message.objects.filter(direction="out").exists()


def test_a_4301_digit_patient_id_is_out_of_range_not_a_crash(desk, clinics):
    response = post_raw(desk, "/api/chat/read", {}, "patientId", '"' + "9" * 4301 + '"')
    assert (response.status_code, response.json()["error"]) == (400, "patientId is out of range")


def test_a_body_nested_5000_deep_is_a_400_saying_so(desk):
    response = desk.post("/api/chat/read", data="[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deep" in response.json()["error"]


def test_a_body_over_the_upload_limit_is_a_json_413(desk, clinics, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_raw(
        desk, "/api/chat/send", base_body("/api/chat/send", clinics), "messageBody", '"' + "x" * 2000 + '"'
    )
    assert (response.status_code, response.json()["code"]) == (413, "too_large")


def test_an_unforeseen_error_is_still_answered_in_json(desk, clinics, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("chat.live.mark_read", broken)
    response = desk.post("/api/chat/read", data={"patientId": clinics["mine"].pk}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (500, "server_error")


@st.composite
def junk_requests(draw):
    """A route, a field (one it reads, or not), and a junk value: any JSON, a nasty string or a raw token."""
    route = draw(st.sampled_from(sorted(POST_FIELDS)))
    field = draw(st.sampled_from([*POST_FIELDS[route], "x"]))
    kind = draw(st.sampled_from(["json", "nasty", "raw"]))
    if kind == "raw":
        raw = draw(st.sampled_from(RAW_TOKENS))
    else:
        raw = json.dumps(draw(JSON_VALUES if kind == "json" else NASTY_STRINGS), ensure_ascii=draw(st.booleans()))
    return route, field, raw


@pytest.mark.slow
@hypothesis_settings(
    max_examples=API_FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(junk=junk_requests())
def test_fuzzed_api_requests_always_get_a_json_answer_and_store_no_junk(desk, clinics, junk):
    route, field, raw = junk
    response = post_raw(desk, route, base_body(route, clinics), field, raw)
    assert_json_answer(response, f"{route} {field}={raw[:40]}")
    assert_no_junk_stored()
