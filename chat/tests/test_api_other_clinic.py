"""The live page's JSON API and chat.live never let a desk into another clinic's inbox: its
patients are not readable, not writable, not even confirmed to exist.

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

import pytest
from django.contrib.auth.models import User

from chat import live
from chat.models import Message
from chat.tests.api_clinics import outgoing, post
from patients.models import Patient

# --- Another clinic's patient: not readable, not writable, not even confirmed to exist ----------


def _attempts(c):
    theirs, secret = c["theirs"], c["secret"]
    failed_theirs = outgoing(theirs, "their failed", status="failed", sender="staff")
    return [
        ("get", f"/api/chat/messages/{theirs.pk}", None),
        ("get", f"/api/chat/messages/{theirs.pk}?after=0", None),
        ("get", f"/api/chat/messages/{theirs.pk}?doctorId={c['a'].pk}", None),
        ("post", "/api/chat/send", {"patientId": theirs.pk, "messageBody": "hi"}),
        ("post", "/api/chat/send", {"patientId": theirs.pk, "messageBody": "hi", "doctorId": c["a"].pk}),
        (
            "post",
            "/api/chat/send-template",
            {"patientId": theirs.pk, "templateId": c["template_b"].pk, "params": ["x"]},
        ),
        (
            "post",
            "/api/chat/send-template",
            {"patientId": c["mine"].pk, "templateId": c["template_b"].pk, "params": ["x"]},
        ),
        ("post", "/api/chat/retry", {"messageId": failed_theirs.pk}),
        ("post", "/api/chat/retry", {"messageId": secret.pk}),
        ("post", "/api/chat/pause-ai", {"patientId": theirs.pk, "pause": True}),
        ("post", "/api/chat/read", {"patientId": theirs.pk}),
    ]


def test_doctor_as_staff_get_404_for_doctor_bs_patient_whatever_ids_they_send(desk, clinics):
    before = Patient.objects.filter(pk=clinics["theirs"].pk).values().get()
    messages_before = Message.objects.filter(doctor=clinics["b"]).count()
    for method, url, body in _attempts(clinics):
        response = desk.get(url) if method == "get" else post(desk, url, body)
        assert response.status_code == 404, (url, body, response.status_code)
        assert response.json()["code"] == "not_found"
        assert "Secret" not in response.content.decode() and "secret" not in response.content.decode()
    assert Patient.objects.filter(pk=clinics["theirs"].pk).values().get() == before
    assert Message.objects.filter(doctor=clinics["b"]).count() == messages_before + 1  # only the fixture's
    assert not Message.objects.filter(doctor=clinics["b"], sender="staff", status="queued").exists()


def test_naming_doctor_b_in_doctor_id_is_403_on_every_route(desk, clinics):
    b = clinics["b"].pk
    theirs = clinics["theirs"].pk
    checks = [
        desk.get(f"/api/chat/conversations?doctorId={b}"),
        desk.get(f"/api/chat/messages/{theirs}?doctorId={b}"),
        post(desk, "/api/chat/send", {"patientId": theirs, "messageBody": "hi", "doctorId": b}),
        post(desk, "/api/chat/pause-ai", {"patientId": theirs, "pause": True, "doctorId": b}),
        post(desk, "/api/chat/read", {"patientId": theirs, "doctorId": b}),
        post(desk, "/api/chat/retry", {"messageId": clinics["secret"].pk, "doctorId": b}),
        post(desk, "/api/chat/send-template", {"patientId": theirs, "templateId": 1, "params": [], "doctorId": b}),
    ]
    assert [r.status_code for r in checks] == [403] * len(checks)
    assert not Patient.objects.get(pk=theirs).ai_paused
    assert Patient.objects.get(pk=theirs).unread_count == 3


def test_a_user_of_no_clinic_sees_nothing(client, clinics):
    client.force_login(User.objects.create_user("nobody", password="pw-nobody-1"))
    assert client.get("/api/chat/conversations").json()["conversations"] == []
    assert client.get(f"/api/chat/messages/{clinics['mine'].pk}").status_code == 404


def test_live_functions_refuse_a_client_doctor_id_outside_the_users_clinics(clinics):
    with pytest.raises(live.Forbidden):
        live.doctor_ids(user=clinics["staff_a"], requested=clinics["b"].pk)
    assert live.doctor_ids(user=clinics["staff_a"], requested=str(clinics["a"].pk)) == [clinics["a"].pk]
