"""The live page's JSON API: every route, every error, and no way into another clinic's inbox."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat import live, sandbox
from chat.models import Message, MessageTemplate
from patients.models import BotPauseLog, Doctor, Patient

GET_ROUTES = ["/api/chat/conversations", "/api/chat/messages/{patient}"]
POST_ROUTES = [
    "/api/chat/send",
    "/api/chat/send-template",
    "/api/chat/retry",
    "/api/chat/pause-ai",
    "/api/chat/read",
]


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed after commit, as (doctor_id, event)."""
    events = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append((doctor_id, event)))
    return events


def make_patient(doctor, wa_id, name, *, wrote_ago=dt.timedelta(minutes=5), unread=0, **fields) -> Patient:
    at = timezone.now() - wrote_ago
    return Patient.objects.create(
        doctor=doctor,
        wa_id=wa_id,
        name=name,
        last_inbound_at=at,
        last_message_at=at,
        last_message_preview=f"hello from {name}",
        unread_count=unread,
        **fields,
    )


def incoming(patient, text="hi", **fields) -> Message:
    return Message.objects.create(
        doctor_id=patient.doctor_id,
        patient=patient,
        direction="in",
        text=text,
        status="received",
        sender="patient",
        processed=True,
        **fields,
    )


def outgoing(patient, text="reply", *, status="sent", sender="bot", **fields) -> Message:
    return Message.objects.create(
        doctor_id=patient.doctor_id,
        patient=patient,
        direction="out",
        text=text,
        status=status,
        sender=sender,
        processed=True,
        payload={"messaging_product": "whatsapp", "to": patient.wa_id, "type": "text", "text": {"body": text}},
        **fields,
    )


@pytest.fixture
def clinics(db):
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    staff_a = User.objects.create_user("desk-a", password="pw-a-123456", first_name="Asha", last_name="Desk")
    staff_b = User.objects.create_user("desk-b", password="pw-b-123456")
    a.members.add(staff_a)
    b.members.add(staff_b)
    mine = make_patient(a, "919800000001", "Rahul Mine", unread=2)
    theirs = make_patient(b, "919800000002", "Secret Theirs", unread=3)
    incoming(mine, "my patient's message")
    secret = incoming(theirs, "their patient's secret")
    template_a = MessageTemplate.objects.create(doctor=a, name="follow_up", body="Hello {{1}}, see you on {{2}}.")
    template_b = MessageTemplate.objects.create(doctor=b, name="other_clinic", body="Hi {{1}}")
    return dict(
        a=a,
        b=b,
        staff_a=staff_a,
        staff_b=staff_b,
        mine=mine,
        theirs=theirs,
        secret=secret,
        template_a=template_a,
        template_b=template_b,
    )


@pytest.fixture
def desk(client, clinics):
    client.force_login(clinics["staff_a"])
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


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


# --- Conversations ------------------------------------------------------------------------------


def test_conversations_are_the_users_clinic_only_newest_first(desk, clinics):
    older = make_patient(clinics["a"], "919800000003", "Older One", wrote_ago=dt.timedelta(hours=2))
    response = desk.get("/api/chat/conversations")
    assert response.status_code == 200
    data = response.json()
    assert [c["id"] for c in data["conversations"]] == [clinics["mine"].pk, older.pk]
    first = data["conversations"][0]
    assert first["name"] == "Rahul Mine"
    assert first["preview"] == "hello from Rahul Mine"
    assert first["unread_count"] == 2
    assert first["window_open"] is True
    assert data["unread_total"] == 2
    assert data["next"] is None
    assert "Secret" not in response.content.decode()


def test_conversation_rows_carry_the_manual_and_needs_doctor_states(desk, clinics):
    now = timezone.now()
    manual = make_patient(clinics["a"], "919800000010", "Manual", ai_paused=True, ai_paused_at=now)
    needs = make_patient(
        clinics["a"], "919800000011", "Needs", ai_paused=True, ai_paused_at=now, handoff_requested_at=now
    )
    rows = {c["id"]: c for c in desk.get("/api/chat/conversations").json()["conversations"]}
    assert rows[manual.pk]["bot_state"] == "doctor" and rows[manual.pk]["ai_paused"] is True
    assert rows[needs.pk]["bot_state"] == "needs_doctor" and rows[needs.pk]["handoff_requested"] is True
    assert rows[clinics["mine"].pk]["bot_state"] == "bot"


def test_a_patient_without_any_message_is_not_a_conversation(desk, clinics):
    Patient.objects.create(doctor=clinics["a"], wa_id="919800000099", name="Never Wrote")
    names = [c["name"] for c in desk.get("/api/chat/conversations").json()["conversations"]]
    assert "Never Wrote" not in names


def test_keyset_pages_cover_every_conversation_once_even_with_equal_times(desk, clinics):
    made = [
        make_patient(clinics["a"], f"9198100{n:05d}", f"P{n}", wrote_ago=dt.timedelta(minutes=n)) for n in range(70)
    ]
    # 40 conversations at the very same instant, straddling the page boundaries
    same = timezone.now() - dt.timedelta(minutes=30)
    Patient.objects.filter(pk__in=[p.pk for p in made[20:60]]).update(last_message_at=same)
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/chat/conversations" + (f"?before={cursor}" if cursor else "")
        data = desk.get(url).json()
        pages += 1
        seen += [(c["last_message_at"], c["id"]) for c in data["conversations"]]
        if pages > 1:
            assert "unread_total" not in data  # the total belongs to the first page only
        cursor = data["next"]
        if not cursor:
            break
    assert pages == 3
    ids = [pk for _, pk in seen]
    assert len(ids) == len(set(ids)) == 71
    assert seen == sorted(seen, key=lambda row: (dt.datetime.fromisoformat(row[0]), row[1]), reverse=True)


def test_the_list_reads_patients_only_never_the_message_table(desk, clinics):
    for n in range(40):
        patient = make_patient(clinics["a"], f"9198200{n:05d}", f"Q{n}")
        incoming(patient, f"message {n}")
    with CaptureQueriesContext(connection) as first:
        data = desk.get("/api/chat/conversations").json()
    with CaptureQueriesContext(connection) as deep:
        desk.get(f"/api/chat/conversations?before={data['next']}")
    for queries in (first, deep):
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "chat_message" not in sql
    # session + user + doctors + page (+ the unread total on the first page): no query per row
    assert len(first.captured_queries) <= 6
    assert len(deep.captured_queries) <= 5


@pytest.mark.parametrize(
    "q, expected",
    [("rahul", ["Rahul Mine"]), ("+91 98000 00001", ["Rahul Mine"]), ("0000003", ["Zoya Third"]), ("zzz", [])],
)
def test_search_finds_by_name_or_number(desk, clinics, q, expected):
    make_patient(clinics["a"], "919800000003", "Zoya Third")
    response = desk.get("/api/chat/conversations", {"q": q})
    assert [c["name"] for c in response.json()["conversations"]] == expected


def test_a_cursor_that_was_not_issued_is_400(desk):
    response = desk.get("/api/chat/conversations?before=yesterday")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]


def test_a_doctor_id_of_another_clinic_is_refused_with_403(desk, clinics):
    response = desk.get("/api/chat/conversations", {"doctorId": clinics["b"].pk})
    assert response.status_code == 403
    assert "Secret" not in response.content.decode()


def test_the_users_own_doctor_id_is_accepted(desk, clinics):
    response = desk.get("/api/chat/conversations", {"doctorId": clinics["a"].pk})
    assert [c["id"] for c in response.json()["conversations"]] == [clinics["mine"].pk]


def test_a_superuser_sees_every_clinic(client, clinics):
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    ids = {c["id"] for c in client.get("/api/chat/conversations").json()["conversations"]}
    assert ids == {clinics["mine"].pk, clinics["theirs"].pk}


# --- Messages -----------------------------------------------------------------------------------


def test_the_thread_is_oldest_to_newest_in_pages_of_50(desk, clinics):
    patient = clinics["mine"]
    made = [incoming(patient, f"m{n}").pk for n in range(120)]
    everything = list(Message.objects.filter(patient=patient).order_by("id").values_list("id", flat=True))
    latest = desk.get(f"/api/chat/messages/{patient.pk}").json()
    assert [m["id"] for m in latest["messages"]] == everything[-50:]
    assert latest["has_older"] is True
    assert latest["patient"]["id"] == patient.pk
    assert [t["name"] for t in latest["templates"]] == ["follow_up"]
    older = desk.get(f"/api/chat/messages/{patient.pk}?before={everything[-50]}").json()
    assert [m["id"] for m in older["messages"]] == everything[-100:-50]
    oldest = desk.get(f"/api/chat/messages/{patient.pk}?before={everything[-100]}").json()
    assert [m["id"] for m in oldest["messages"]] == everything[:-100]
    assert oldest["has_older"] is False
    assert "templates" not in older
    newer = desk.get(f"/api/chat/messages/{patient.pk}?after={made[9]}").json()
    assert [m["id"] for m in newer["messages"]] == everything[everything.index(made[9]) + 1 :][:50]
    assert newer["has_newer"] is True
    tail = desk.get(f"/api/chat/messages/{patient.pk}?after={everything[-3]}").json()
    assert [m["id"] for m in tail["messages"]] == everything[-2:] and tail["has_newer"] is False


def test_a_message_says_who_sent_it_and_how_it_went(desk, clinics):
    patient = clinics["mine"]
    outgoing(patient, "From the bot", status="read")
    outgoing(patient, "From the desk", status="failed", sender="staff", sender_user=clinics["staff_a"])
    Message.objects.filter(text="From the desk").update(error_code=131026, error_title="Message undeliverable")
    incoming(patient, "", type="image", payload={"image": {"id": "1", "filename": "x-ray.jpg"}})
    messages = desk.get(f"/api/chat/messages/{patient.pk}").json()["messages"]
    bot, staff, image = messages[-3:]
    assert (bot["sender"], bot["sender_name"], bot["status"]) == ("bot", "Bot", "read")
    assert (staff["sender_name"], staff["status"], staff["error_code"]) == ("Asha Desk", "failed", 131026)
    assert staff["error_title"] == "Message undeliverable"
    assert (image["media"]["label"], image["media"]["kind"]) == ("Image: x-ray.jpg", "image")


@pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999999"])
def test_a_malformed_patient_id_in_the_path_is_404_json(desk, bad):
    response = desk.get(f"/api/chat/messages/{bad}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_patient_is_404(desk):
    assert desk.get("/api/chat/messages/987654").status_code == 404


@pytest.mark.parametrize("query", ["after=x", "before=-1", "after=1.5"])
def test_a_malformed_bound_is_400(desk, clinics, query):
    response = desk.get(f"/api/chat/messages/{clinics['mine'].pk}?{query}")
    assert response.status_code == 400


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


# --- The pages ----------------------------------------------------------------------------------


def test_the_chat_page_needs_a_login_and_redirects_to_it(client):
    response = client.get("/chat/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/chat/")


def test_the_chat_page_loads_the_shell_with_the_doctors_timezone(desk, clinics):
    Doctor.objects.filter(pk=clinics["a"].pk).update(timezone="Asia/Kolkata")
    response = desk.get("/chat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chat-config"' in html and "Asia/Kolkata" in html
    assert '<script type="module" src="/static/js/chat/main.js">' in html and "/appointments/" in html
    assert "Secret" not in html and "Rahul" not in html  # rows come from the API, not the page


def test_the_admin_link_is_for_staff_only(client, clinics):
    client.force_login(clinics["staff_a"])
    assert 'href="/admin/"' not in client.get("/chat/").content.decode()
    User.objects.filter(pk=clinics["staff_a"].pk).update(is_staff=True)
    assert 'href="/admin/"' in client.get("/chat/").content.decode()


def test_login_then_logout_by_post(client, clinics):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="username"' in page.content
    response = client.post("/accounts/login/", {"username": "desk-a", "password": "pw-a-123456"})
    assert response.status_code == 302 and response["Location"] == "/chat/"
    assert client.get("/chat/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/chat/conversations").status_code == 401


def test_a_wrong_password_shows_an_error(client, clinics):
    response = client.post("/accounts/login/", {"username": "desk-a", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_live_functions_refuse_a_client_doctor_id_outside_the_users_clinics(clinics):
    with pytest.raises(live.Forbidden):
        live.doctor_ids(user=clinics["staff_a"], requested=clinics["b"].pk)
    assert live.doctor_ids(user=clinics["staff_a"], requested=str(clinics["a"].pk)) == [clinics["a"].pk]
