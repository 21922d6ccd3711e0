"""The live page's JSON API, reading: the conversation list (clinic, order, keyset pages, search,
doctorId) and a conversation's messages (pages, who sent what, bad ids and bounds).

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat.models import Message
from chat.tests.api_clinics import incoming, make_patient, outgoing
from patients.models import Patient

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
