"""The live page's JSON API, sending: a staff reply (queued, sent, pauses the bot, once per client
id, limits, the 24-hour window) and a template outside the window.

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

import datetime as dt

import pytest
from django.utils import timezone

from chat import sandbox
from chat.models import Message, MessageTemplate
from chat.tests.api_clinics import make_patient, outgoing, post
from patients.models import Patient

# --- Sending ------------------------------------------------------------------------------------


def test_a_staff_reply_is_queued_sent_and_pauses_the_bot(desk, clinics, pushed, django_capture_on_commit_callbacks):
    patient = clinics["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            desk, "/api/chat/send", {"patientId": patient.pk, "messageBody": "  Come at 5.  ", "clientId": "c1"}
        )
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    assert body["message"]["status"] == "queued"  # as it was when the request committed
    assert body["message"]["sender"] == "staff" and body["message"]["sender_name"] == "Asha Desk"
    message = Message.objects.get(pk=body["message"]["id"])
    assert message.text == "Come at 5."
    assert message.sender_user == clinics["staff_a"]
    assert message.status in ("sent", "delivered")  # the sandbox took it after commit
    assert message.payload["text"]["body"] == "Come at 5."
    patient.refresh_from_db()
    assert patient.ai_paused and patient.ai_paused_by == clinics["staff_a"]
    assert patient.ai_pause_reason == "doctor replied"
    assert patient.last_message_preview == "Come at 5."
    kinds = [event["type"] for doctor_id, event in pushed]
    assert {doctor_id for doctor_id, _ in pushed} == {clinics["a"].pk}
    assert kinds[:2] == ["patient.updated", "message.created"]
    assert "message.status" in kinds


def test_a_staff_reply_cancels_the_bots_queued_reply(desk, clinics, pushed, django_capture_on_commit_callbacks):
    patient = clinics["mine"]
    waiting = outgoing(patient, "bot was about to say this", status="queued")
    with django_capture_on_commit_callbacks(execute=True):
        post(desk, "/api/chat/send", {"patientId": patient.pk, "messageBody": "I'll take it from here"})
    waiting.refresh_from_db()
    assert waiting.status == "failed"
    assert "paused" in waiting.error_title
    statuses = [e["message"] for _, e in pushed if e["type"] == "message.status" and e["message"]["id"] == waiting.pk]
    assert statuses and statuses[0]["status"] == "failed"


def test_a_staff_reply_answers_a_handoff_request(desk, clinics, django_capture_on_commit_callbacks):
    now = timezone.now()
    Patient.objects.filter(pk=clinics["mine"].pk).update(
        ai_paused=True, ai_paused_at=now, ai_pause_reason="patient asked", handoff_requested_at=now
    )
    before = desk.get("/api/chat/conversations").json()["conversations"][0]
    assert before["bot_state"] == "needs_doctor"
    with django_capture_on_commit_callbacks(execute=True):
        post(desk, "/api/chat/send", {"patientId": clinics["mine"].pk, "messageBody": "Doctor here."})
    after = desk.get("/api/chat/conversations").json()["conversations"][0]
    assert (after["bot_state"], after["ai_paused"], after["handoff_requested"]) == ("doctor", True, False)


def test_the_same_client_id_returns_the_first_message_and_sends_nothing_more(
    desk, clinics, django_capture_on_commit_callbacks
):
    patient = clinics["mine"]
    sandbox.OUTBOX.clear()
    body = {"patientId": patient.pk, "messageBody": "Once only", "clientId": "retry-me"}
    with django_capture_on_commit_callbacks(execute=True):
        first = post(desk, "/api/chat/send", body)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = post(desk, "/api/chat/send", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert again.json()["message"]["id"] == first.json()["message"]["id"]
    assert Message.objects.filter(client_id="retry-me").count() == 1
    assert len([r for r in sandbox.OUTBOX if r["body"].get("text", {}).get("body") == "Once only"]) == 1
    assert callbacks == []


def test_a_client_id_reused_for_another_patient_is_409(desk, clinics):
    other = make_patient(clinics["a"], "919800000004", "Other")
    post(desk, "/api/chat/send", {"patientId": clinics["mine"].pk, "messageBody": "one", "clientId": "dup"})
    response = post(desk, "/api/chat/send", {"patientId": other.pk, "messageBody": "two", "clientId": "dup"})
    assert response.status_code == 409
    assert not Message.objects.filter(patient=other, direction="out").exists()


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({"messageBody": ""}, "empty"),
        ({"messageBody": "   \n "}, "empty"),
        ({"messageBody": "x" * 4097}, "4096"),
        ({"messageBody": 42}, "string"),
        ({}, "messageBody"),
        ({"messageBody": "ok", "clientId": ""}, "clientId"),
        ({"messageBody": "ok", "clientId": "c" * 65}, "clientId"),
    ],
)
def test_a_bad_reply_is_400_and_nothing_changes(desk, clinics, body, fragment):
    response = post(desk, "/api/chat/send", {"patientId": clinics["mine"].pk, **body})
    assert response.status_code == 400
    assert fragment in response.json()["error"]
    assert not Message.objects.filter(direction="out").exists()
    assert not Patient.objects.get(pk=clinics["mine"].pk).ai_paused


def test_a_reply_of_exactly_4096_characters_is_accepted(desk, clinics):
    response = post(desk, "/api/chat/send", {"patientId": clinics["mine"].pk, "messageBody": "y" * 4096})
    assert response.status_code == 201


def test_outside_the_window_free_text_is_409_and_nothing_changes(desk, clinics):
    patient = make_patient(clinics["a"], "919800000005", "Quiet", wrote_ago=dt.timedelta(hours=25))
    response = post(desk, "/api/chat/send", {"patientId": patient.pk, "messageBody": "hello?"})
    assert response.status_code == 409
    assert response.json() == {"error": "outside the 24-hour window: send a template", "code": "window_closed"}
    patient.refresh_from_db()
    assert not patient.ai_paused
    assert not Message.objects.filter(patient=patient).exists()


def test_a_template_reaches_a_patient_outside_the_window(desk, clinics, django_capture_on_commit_callbacks):
    patient = make_patient(clinics["a"], "919800000006", "Quiet", wrote_ago=dt.timedelta(days=3))
    body = {
        "patientId": patient.pk,
        "templateId": clinics["template_a"].pk,
        "params": ["Quiet", "Monday"],
        "clientId": "t1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post(desk, "/api/chat/send-template", body)
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["message"]["id"])
    assert message.type == "template" and message.text == "Hello Quiet, see you on Monday."
    assert message.sender == "staff" and message.sender_user == clinics["staff_a"]
    assert message.payload["template"]["name"] == "follow_up"
    assert message.status in ("sent", "delivered")
    assert Patient.objects.get(pk=patient.pk).ai_paused
    again = post(desk, "/api/chat/send-template", body)
    assert again.status_code == 200 and again.json()["message"]["id"] == message.pk


@pytest.mark.parametrize(
    "change, status, fragment",
    [
        ({"params": ["only one"]}, 400, "2 parameters"),
        ({"params": ["a", " "]}, 400, "empty"),
        ({"params": ["a", "line\nbreak"]}, 400, "newline"),
        ({"params": "a,b"}, 400, "list"),
        ({"params": [1, 2]}, 400, "list"),
        ({"templateId": "x"}, 400, "templateId"),
        ({"templateId": 424242}, 404, "template"),
    ],
)
def test_a_bad_template_send_is_refused(desk, clinics, change, status, fragment):
    body = {"patientId": clinics["mine"].pk, "templateId": clinics["template_a"].pk, "params": ["a", "b"], **change}
    response = post(desk, "/api/chat/send-template", body)
    assert response.status_code == status
    assert fragment in response.json()["error"]
    assert not Message.objects.filter(direction="out").exists()


def test_an_inactive_template_cannot_be_sent(desk, clinics):
    MessageTemplate.objects.filter(pk=clinics["template_a"].pk).update(active=False)
    body = {"patientId": clinics["mine"].pk, "templateId": clinics["template_a"].pk, "params": ["a", "b"]}
    assert post(desk, "/api/chat/send-template", body).status_code == 404
