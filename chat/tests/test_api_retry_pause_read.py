"""The live page's JSON API: retrying a failed message, pausing and resuming the bot, marking a
conversation read, and what each pushes to the clinic.

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

import datetime as dt

import pytest
from django.utils import timezone

from chat.models import Message
from chat.tests.api_clinics import incoming, make_patient, outgoing, post
from patients.models import BotPauseLog, Patient

# --- Retry --------------------------------------------------------------------------------------


def test_retry_puts_a_failed_message_back_and_it_goes_out(desk, clinics, pushed, django_capture_on_commit_callbacks):
    failed = outgoing(clinics["mine"], "try again", status="failed", sender="staff", error_title="Timeout")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(desk, "/api/chat/retry", {"messageId": failed.pk})
    assert response.status_code == 200
    assert response.json()["message"]["status"] in ("queued", "sent", "delivered")
    failed.refresh_from_db()
    assert failed.status in ("sent", "delivered") and failed.error_title == ""
    assert [e["message"]["status"] for _, e in pushed if e["type"] == "message.status"][0] == "queued"


@pytest.mark.parametrize("status", ["sent", "queued", "read"])
def test_only_a_failed_message_can_be_retried(desk, clinics, status):
    message = outgoing(clinics["mine"], status=status)
    response = post(desk, "/api/chat/retry", {"messageId": message.pk})
    assert response.status_code == 409
    assert Message.objects.get(pk=message.pk).status == status


def test_an_incoming_message_cannot_be_retried(desk, clinics):
    message = incoming(clinics["mine"])
    assert post(desk, "/api/chat/retry", {"messageId": message.pk}).status_code == 409


def test_a_failed_text_outside_the_window_is_not_retried(desk, clinics):
    patient = make_patient(clinics["a"], "919800000007", "Quiet", wrote_ago=dt.timedelta(hours=30))
    message = outgoing(patient, status="failed", sender="staff")
    response = post(desk, "/api/chat/retry", {"messageId": message.pk})
    assert response.status_code == 409 and response.json()["code"] == "window_closed"


def test_a_cancelled_bot_reply_is_not_retried_while_the_bot_is_paused(desk, clinics):
    Patient.objects.filter(pk=clinics["mine"].pk).update(ai_paused=True, ai_paused_at=timezone.now())
    message = outgoing(clinics["mine"], status="failed", sender="bot")
    response = post(desk, "/api/chat/retry", {"messageId": message.pk})
    assert response.status_code == 409 and "paused" in response.json()["error"]


def test_retrying_an_unknown_message_is_404(desk):
    assert post(desk, "/api/chat/retry", {"messageId": 123456}).status_code == 404


# --- Pause / resume and read --------------------------------------------------------------------


def test_pause_and_resume_record_who_and_push_to_the_clinic(desk, clinics, pushed, django_capture_on_commit_callbacks):
    patient = clinics["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        paused = post(desk, "/api/chat/pause-ai", {"patientId": patient.pk, "pause": True})
    row = paused.json()["patient"]
    assert paused.status_code == 200
    assert (row["ai_paused"], row["ai_paused_by"], row["bot_state"]) == (True, "desk-a", "doctor")
    assert row["ai_paused_at"] and row["ai_pause_reason"] == "paused by staff"
    with django_capture_on_commit_callbacks(execute=True):
        resumed = post(desk, "/api/chat/pause-ai", {"patientId": patient.pk, "pause": False})
    assert resumed.json()["patient"]["ai_paused"] is False
    log = list(BotPauseLog.objects.filter(patient=patient).order_by("at", "pk").values_list("paused", "by__username"))
    assert log == [(True, "desk-a"), (False, "desk-a")]
    updates = [e["patient"]["ai_paused"] for d, e in pushed if e["type"] == "patient.updated" and d == clinics["a"].pk]
    assert updates == [True, False]


@pytest.mark.parametrize("pause", ["yes", 1, None, "true"])
def test_pause_must_be_a_boolean(desk, clinics, pause):
    response = post(desk, "/api/chat/pause-ai", {"patientId": clinics["mine"].pk, "pause": pause})
    assert response.status_code == 400
    assert not Patient.objects.get(pk=clinics["mine"].pk).ai_paused


def test_opening_a_conversation_resets_its_unread_count(desk, clinics, pushed, django_capture_on_commit_callbacks):
    patient = clinics["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(desk, "/api/chat/read", {"patientId": patient.pk})
    assert response.status_code == 200
    assert response.json()["patient"]["unread_count"] == 0
    assert Patient.objects.get(pk=patient.pk).unread_count == 0
    assert pushed == [(clinics["a"].pk, pushed[0][1])]
    assert pushed[0][1]["type"] == "patient.updated" and pushed[0][1]["patient"]["unread_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        post(desk, "/api/chat/read", {"patientId": patient.pk})
    assert len(pushed) == 1  # nothing changed the second time, so nothing is pushed
