"""Every audited action writes exactly one AuditEvent; nobody can change or delete one."""

import datetime as dt
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from booking.models import Appointment
from chat.models import Message, MessageTemplate
from patients.models import AuditEvent, BotPauseLog, Doctor, Patient

Action = AuditEvent.Action
AGENT = "Mozilla/5.0 (test browser)"


@pytest.fixture
def clinic(db):
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    desk = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    other = User.objects.create_user("other", password="pw-other-123", is_staff=True)
    a.members.add(desk)
    b.members.add(other)
    desk.user_permissions.add(*_perms())
    other.user_permissions.add(*_perms())
    now = timezone.now() - dt.timedelta(minutes=5)
    mine = Patient.objects.create(doctor=a, wa_id="919800000001", name="Mine", last_inbound_at=now, last_message_at=now)
    theirs = Patient.objects.create(doctor=b, wa_id="919800000002", name="Theirs", last_inbound_at=now)
    Message.objects.create(
        doctor=a, patient=mine, direction="in", text="hello", status="received", sender="patient", processed=True
    )
    template = MessageTemplate.objects.create(doctor=a, name="follow_up", body="Hello {{1}}")
    return {"a": a, "b": b, "desk": desk, "other": other, "mine": mine, "theirs": theirs, "template": template}


def _perms():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label__in=["patients", "booking", "chat"])


@pytest.fixture
def desk(clinic) -> Client:
    client = Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="203.0.113.5")
    client.force_login(clinic["desk"])
    AuditEvent.objects.all().delete()  # the login itself is tested on its own
    return client


def post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def assert_none_written():
    assert list(AuditEvent.objects.values_list("action", flat=True)) == []


def appointment(patient: Patient, *, start: dt.datetime | None = None) -> Appointment:
    start = start or timezone.now() - dt.timedelta(hours=1)
    return Appointment.objects.create(
        doctor=patient.doctor, patient=patient, start=start, end=start + dt.timedelta(minutes=15)
    )


# --- Logins ---------------------------------------------------------------------------------------


def test_a_login_a_failed_login_a_lockout_and_a_logout_each_write_one_event(clinic):
    client = Client(HTTP_USER_AGENT=AGENT)
    client.post("/accounts/login/", {"username": "desk", "password": "wrong"}, REMOTE_ADDR="198.51.100.4")
    failed = only_event()
    assert (failed.action, failed.username, failed.user, failed.ip) == (
        Action.LOGIN_FAILED,
        "desk",
        None,
        "198.51.100.4",
    )
    assert failed.user_agent == AGENT and failed.detail == "/accounts/login/"

    AuditEvent.objects.all().delete()
    client.post("/admin/login/", {"username": "desk", "password": "pw-desk-123"})
    login = only_event()
    assert (login.action, login.user, login.ip) == (Action.LOGIN, clinic["desk"], "127.0.0.1")

    AuditEvent.objects.all().delete()
    client.post("/accounts/logout/")
    assert (only_event().action, only_event().user) == (Action.LOGOUT, clinic["desk"])

    AuditEvent.objects.all().delete()
    AccessAttempt.objects.all().delete()  # a fresh count of failures
    for _ in range(10):
        client.post("/accounts/login/", {"username": "desk", "password": "wrong"})
    client.post("/accounts/login/", {"username": "desk", "password": "pw-desk-123"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [Action.LOGIN_FAILED] * 9 + [Action.LOGIN_LOCKED_OUT] * 2


# --- The live chat --------------------------------------------------------------------------------


def test_opening_a_conversation_writes_one_event_and_catching_up_none(desk, clinic):
    patient = clinic["mine"]
    assert desk.get(f"/api/chat/messages/{patient.pk}").status_code == 200
    event = only_event()
    assert (event.action, event.user, event.doctor, event.patient) == (
        Action.CONVERSATION_OPENED,
        clinic["desk"],
        clinic["a"],
        patient,
    )
    assert (event.ip, event.user_agent) == ("203.0.113.5", AGENT)
    desk.get(f"/api/chat/messages/{patient.pk}?after=0")
    desk.get(f"/api/chat/messages/{patient.pk}?before=999")
    assert AuditEvent.objects.count() == 1


def test_a_staff_reply_writes_one_event_and_its_retried_request_none(desk, clinic):
    body = {"patientId": clinic["mine"].pk, "messageBody": "See you at 5", "clientId": "c-1"}
    assert post_json(desk, "/api/chat/send", body).status_code == 201
    event = only_event()
    sent = Message.objects.get(client_id="c-1")
    assert (event.action, event.patient, event.message_id) == (Action.MESSAGE_SENT, clinic["mine"], sent.pk)
    assert post_json(desk, "/api/chat/send", body).status_code == 200
    assert AuditEvent.objects.count() == 1
    assert "See you" not in event.detail, "the log holds ids, never text"


def test_a_template_send_and_a_retry_each_write_one_event(desk, clinic):
    body = {"patientId": clinic["mine"].pk, "templateId": clinic["template"].pk, "params": ["Asha"]}
    assert post_json(desk, "/api/chat/send-template", body).status_code == 201
    assert (only_event().action, only_event().detail) == (Action.MESSAGE_SENT, "template")
    AuditEvent.objects.all().delete()
    failed = Message.objects.create(
        doctor=clinic["a"], patient=clinic["mine"], direction="out", text="again", status="failed", sender="staff"
    )
    assert post_json(desk, "/api/chat/retry", {"messageId": failed.pk}).status_code == 200
    assert (only_event().action, only_event().message_id) == (Action.MESSAGE_RETRIED, failed.pk)


def test_pausing_and_resuming_the_bot_write_one_event_each(desk, clinic):
    patient = clinic["mine"]
    post_json(desk, "/api/chat/pause-ai", {"patientId": patient.pk, "pause": True})
    assert (only_event().action, only_event().patient) == (Action.BOT_PAUSED, patient)
    post_json(desk, "/api/chat/pause-ai", {"patientId": patient.pk, "pause": False})
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        Action.BOT_PAUSED,
        Action.BOT_RESUMED,
    ]


@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/chat/send", {"patientId": "THEIRS", "messageBody": "hi"}),
        ("/api/chat/pause-ai", {"patientId": "THEIRS", "pause": True}),
        ("/api/chat/send", {"patientId": 999999, "messageBody": "hi"}),
        ("/api/chat/send", {"patientId": "abc", "messageBody": "hi"}),
        ("/api/chat/pause-ai", {"patientId": "MINE", "pause": "yes"}),
        ("/api/chat/retry", {"messageId": 999999}),
    ],
)
def test_refused_requests_write_nothing(desk, clinic, url, body):
    ids = {"THEIRS": clinic["theirs"].pk, "MINE": clinic["mine"].pk}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    assert post_json(desk, url, body).status_code in (400, 404)
    assert desk.get(f"/api/chat/messages/{clinic['theirs'].pk}").status_code == 404
    assert_none_written()


# --- Appointments ---------------------------------------------------------------------------------


def test_marking_and_cancelling_on_the_appointments_page_write_one_event_each(desk, clinic):
    visit = appointment(clinic["mine"])
    desk.post(f"/appointments/{visit.pk}/mark", {"status": "no_show"})
    event = only_event()
    assert (event.action, event.appointment_id, event.patient, event.detail) == (
        Action.APPOINTMENT_MARKED,
        visit.pk,
        clinic["mine"],
        "no_show",
    )
    AuditEvent.objects.all().delete()
    later = appointment(clinic["mine"], start=timezone.now() + dt.timedelta(days=1))
    desk.post(f"/appointments/{later.pk}/cancel", {"note": ""})
    assert (only_event().action, only_event().appointment_id) == (Action.APPOINTMENT_CANCELLED, later.pk)
    desk.post(f"/appointments/{later.pk}/cancel", {"note": ""})
    assert AuditEvent.objects.count() == 1, "cancelling a cancelled visit changes nothing, logs nothing"


def test_another_clinics_appointment_is_404_and_writes_nothing(desk, clinic):
    theirs = appointment(clinic["theirs"])
    assert desk.post(f"/appointments/{theirs.pk}/mark", {"status": "completed"}).status_code == 404
    assert desk.post(f"/appointments/{theirs.pk}/cancel").status_code == 404
    assert_none_written()


# --- Admin --------------------------------------------------------------------------------------


def test_admin_changes_and_actions_write_one_event_each(desk, clinic):
    patient = clinic["mine"]
    assert desk.get(f"/admin/patients/patient/{patient.pk}/change/").status_code == 200
    assert (only_event().action, only_event().detail) == (Action.CONVERSATION_OPENED, "admin")
    AuditEvent.objects.all().delete()

    desk.post(
        "/admin/patients/patient/",
        {"action": "pause_bot", "_selected_action": [patient.pk]},
    )
    assert (only_event().action, only_event().patient) == (Action.BOT_PAUSED, patient)
    AuditEvent.objects.all().delete()

    future = appointment(patient, start=timezone.now() + dt.timedelta(days=2))
    desk.post("/admin/booking/appointment/", {"action": "cancel_appointments", "_selected_action": [future.pk]})
    assert (only_event().action, only_event().appointment_id) == (Action.APPOINTMENT_CANCELLED, future.pk)
    AuditEvent.objects.all().delete()

    response = desk.post(
        "/admin/patients/faqentry/add/",
        {"doctor": clinic["a"].pk, "question": "Parking?", "keywords": "parking", "answer": "Behind", "active": "on"},
    )
    assert response.status_code == 302
    event = only_event()
    assert (event.action, event.doctor, event.user) == (Action.ADMIN_ADDED, clinic["a"], clinic["desk"])
    assert event.detail.startswith("patients.faqentry #")


def test_nobody_can_add_change_or_delete_an_audit_event_not_even_a_superuser(clinic):
    root = User.objects.create_superuser("root", password="pw-root-123")
    client = Client()
    client.force_login(root)
    event = AuditEvent.objects.create(action=Action.LOGIN, user=root, username="root")
    base = "/admin/patients/auditevent/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}{event.pk}/change/", {"action": "logout", "username": "x"}).status_code == 403
    changelist = client.get(base)
    assert "delete_selected" not in changelist.content.decode()
    client.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert (event.action, event.username) == (Action.LOGIN, "root")


def test_the_bot_pause_log_cannot_be_deleted_in_admin(clinic):
    root = User.objects.create_superuser("root", password="pw-root-123")
    client = Client()
    client.force_login(root)
    entry = BotPauseLog.objects.create(patient=clinic["mine"], paused=True, reason="patient asked")
    assert client.post(f"/admin/patients/botpauselog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/admin/patients/botpauselog/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert BotPauseLog.objects.filter(pk=entry.pk).exists()


def test_the_log_is_filterable_by_clinic_user_patient_and_date_and_staff_see_their_clinics_only(desk, clinic):
    root = User.objects.create_superuser("root", password="pw-root-123")
    old = timezone.now() - dt.timedelta(days=40)
    AuditEvent.objects.create(action=Action.LOGIN, user=clinic["desk"], doctor=clinic["a"], patient=clinic["mine"])
    AuditEvent.objects.create(action=Action.LOGOUT, user=clinic["other"], doctor=clinic["b"], patient=clinic["theirs"])
    AuditEvent.objects.create(action=Action.BOT_PAUSED, user=clinic["desk"], doctor=clinic["a"], at=old)
    admin = Client()
    admin.force_login(root)
    base = "/admin/patients/auditevent/"

    def count(client, query=""):
        return client.get(base + query).context["cl"].result_count

    assert count(admin, f"?doctor__id__exact={clinic['b'].pk}") == 1
    assert count(admin, f"?user__id__exact={clinic['desk'].pk}") == 2
    assert count(admin, f"?patient__id__exact={clinic['mine'].pk}") == 1
    day = timezone.localtime(old, clinic["a"].tz)  # admin's date hierarchy is in the clinic's time
    assert count(admin, f"?at__year={day.year}&at__month={day.month}&at__day={day.day}") == 1
    assert count(desk) == 2, "desk sees clinic A's events only"
    assert count(desk, f"?doctor__id__exact={clinic['b'].pk}") == 0


# --- Keeping the log ------------------------------------------------------------------------------


def test_prune_audit_refuses_less_than_a_year(db):
    with pytest.raises(CommandError, match="at least 365"):
        call_command("prune_audit", "--older-than", "364")
    with pytest.raises(CommandError):
        call_command("prune_audit", "--older-than", "-1")


def test_prune_audit_deletes_only_what_is_older(db, capsys):
    now = timezone.now()
    keep = AuditEvent.objects.create(action=Action.LOGIN, at=now - dt.timedelta(days=364))
    AuditEvent.objects.create(action=Action.LOGIN, at=now - dt.timedelta(days=400))
    call_command("prune_audit", "--older-than", "365", "--dry-run")
    assert AuditEvent.objects.count() == 2 and "1 access-log entries" in capsys.readouterr().out
    call_command("prune_audit", "--older-than", "365")
    assert list(AuditEvent.objects.all()) == [keep]


def test_odd_browser_strings_and_addresses_are_stored_safely(clinic, settings):
    """A NUL in the user agent (PostgreSQL refuses NUL in text) and a forged address are cleaned."""
    settings.TRUSTED_PROXY_COUNT = 1
    Client().post(
        "/accounts/login/",
        {"username": "desk", "password": "wrong"},
        HTTP_USER_AGENT="bad\x00agent" + "x" * 500,
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    event = only_event()
    assert event.user_agent.startswith("badagentx") and len(event.user_agent) == 300
    assert event.ip == "127.0.0.1", "an unusable forwarded address falls back to the peer's"
