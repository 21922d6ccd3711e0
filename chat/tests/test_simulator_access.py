"""The patient simulator is a staff tool: login required, only the user's own clinics (and only
those whose messages go to the sandbox), another clinic's id is a 404, and the phone's
conversation comes back from the stored messages after a reload."""

import json

import pytest
from django.contrib.auth.models import User

from chat.models import Message
from patients.models import Doctor, Patient

ROUTES = ["/simulator/send", "/simulator/replies", "/simulator/history"]


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""
    settings.LLM_API_KEY = ""


@pytest.fixture
def clinics(db):
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    staff_a = User.objects.create_user("desk-a", password="pw-a-123456")
    staff_b = User.objects.create_user("desk-b", password="pw-b-123456")
    a.members.add(staff_a)
    b.members.add(staff_b)
    return {"a": a, "b": b, "staff_a": staff_a, "staff_b": staff_b}


@pytest.fixture
def desk(client, clinics):
    client.force_login(clinics["staff_a"])
    return client


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_simulator_page_sends_an_anonymous_visitor_to_the_login_form(client, clinics):
    response = client.get("/simulator/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/simulator/"


@pytest.mark.parametrize("route", ROUTES)
def test_the_simulators_endpoints_answer_401_when_logged_out_and_store_nothing(client, clinics, route):
    body = {"doctorId": clinics["a"].pk, "waId": "919811112222", "text": "hi"}
    response = post(client, route, body) if route.endswith("send") else client.get(route, body)
    assert response.status_code == 401
    assert response.json() == {"error": "log in first"}
    assert not Patient.objects.exists()


def test_the_page_lists_only_the_users_own_clinics(desk, clinics):
    page = desk.get("/simulator/")
    assert page.status_code == 200
    doctors = page.context["config"]["doctors"]
    assert [d["id"] for d in doctors] == [clinics["a"].pk]
    assert "Dr. B" not in page.content.decode()


def test_a_superuser_sees_every_sandbox_clinic(client, clinics):
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    doctors = client.get("/simulator/").context["config"]["doctors"]
    assert [d["id"] for d in doctors] == [clinics["a"].pk, clinics["b"].pk]


def test_a_user_of_no_clinic_gets_a_404(client, clinics):
    client.force_login(User.objects.create_user("nobody", password="pw-nobody-1"))
    assert client.get("/simulator/").status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_another_clinics_id_is_a_404_and_nothing_is_stored(desk, clinics, route):
    body = {"doctorId": clinics["b"].pk, "waId": "919811112222", "text": "hi", "after": 0}
    response = post(desk, route, body) if route.endswith("send") else desk.get(route, body)
    assert response.status_code == 404
    assert not Patient.objects.exists()
    assert not Message.objects.exists()


def test_a_clinic_id_that_does_not_exist_is_the_same_404(desk, clinics):
    response = post(desk, "/simulator/send", {"doctorId": 999999, "waId": "919811112222", "text": "hi"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)  # the bot runs on commit, inside the simulator's request
def test_the_simulator_plays_a_patient_through_the_real_webhook(desk, clinics):
    body = {"doctorId": clinics["a"].pk, "waId": "919811112222", "name": "Sim Patient", "text": "Hello clinic"}
    response = post(desk, "/simulator/send", body)
    assert response.status_code == 200
    data = response.json()
    assert data["webhook_status"] == 200
    patient = Patient.objects.get(doctor=clinics["a"], wa_id="919811112222")
    assert data["patient_id"] == patient.pk and patient.name == "Sim Patient"
    assert Message.objects.filter(patient=patient, direction="in", text="Hello clinic").exists()
    assert data["replies"], "the bot answered"
    assert all({"id", "text", "choices", "sender", "at"} <= set(r) for r in data["replies"])
    later = desk.get("/simulator/replies", {"doctorId": clinics["a"].pk, "waId": "919811112222", "after": 0})
    assert [r["id"] for r in later.json()["replies"]] == [r["id"] for r in data["replies"]]


def test_no_clinic_named_means_the_users_first(desk, clinics):
    response = post(desk, "/simulator/send", {"waId": "919811113333", "text": "hi"})
    assert response.status_code == 200
    assert Patient.objects.get(wa_id="919811113333").doctor == clinics["a"]


def test_the_simulator_taps_a_button(desk, clinics):
    choice = {"kind": "button_reply", "id": "menu.book", "title": "Book"}
    response = post(desk, "/simulator/send", {"doctorId": clinics["a"].pk, "waId": "919811113333", "choice": choice})
    assert response.status_code == 200
    tapped = Message.objects.get(patient__wa_id="919811113333", direction="in")
    assert (tapped.type, tapped.reply_id, tapped.text) == ("interactive", "menu.book", "Book")


@pytest.mark.parametrize(
    "body",
    [{"waId": "12", "text": "hi"}, {"waId": "919811112222"}, {"waId": "919811112222", "text": ""}, {"waId": "x"}],
)
def test_the_simulator_refuses_what_a_phone_could_not_send(desk, clinics, body):
    assert post(desk, "/simulator/send", {"doctorId": clinics["a"].pk, **body}).status_code == 400


def test_the_simulator_does_not_exist_outside_demo_mode(desk, clinics, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "a-real-token"
    assert desk.get("/simulator/").status_code == 404
    assert post(desk, "/simulator/send", {"waId": "919811112222", "text": "hi"}).status_code == 404
    assert desk.get("/simulator/replies?waId=1&after=0").status_code == 404
    assert desk.get("/simulator/history?waId=1").status_code == 404
    assert not Patient.objects.filter(wa_id="919811112222").exists()


def test_a_clinic_with_its_own_token_is_not_offered(client, clinics):
    """Its messages would reach real phones: a superuser who sees both clinics is offered only A."""
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    Doctor.objects.filter(pk=clinics["b"].pk).update(access_token="real-token-of-b")
    page = client.get("/simulator/").content.decode()
    assert "Dr. A" in page and "Dr. B" not in page
    response = post(client, "/simulator/send", {"doctorId": clinics["b"].pk, "waId": "919811112222", "text": "hi"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_history_brings_back_the_stored_conversation_after_a_reload(desk, clinics):
    """Both sides, oldest first, with the buttons of the clinic's messages: what a reloaded page
    draws instead of an empty phone. Another number's messages are not in it."""
    phone = {"doctorId": clinics["a"].pk, "waId": "919811114444", "name": "Reload Me"}
    post(desk, "/simulator/send", {**phone, "text": "hi"})
    post(desk, "/simulator/send", {"doctorId": clinics["a"].pk, "waId": "919811115555", "text": "someone else"})
    post(desk, "/simulator/send", {**phone, "text": "what are your timings?"})

    data = desk.get("/simulator/history", {"doctorId": clinics["a"].pk, "waId": "919811114444"}).json()
    stored = Message.objects.filter(patient__wa_id="919811114444").order_by("id")
    assert [m["id"] for m in data["messages"]] == [m.pk for m in stored]
    assert data["patient_id"] == Patient.objects.get(wa_id="919811114444").pk
    said = [(m["direction"], m["text"]) for m in data["messages"] if m["direction"] == "in"]
    assert said == [("in", "hi"), ("in", "what are your timings?")]
    replies = [m for m in data["messages"] if m["direction"] == "out"]
    assert replies and any(m["choices"] for m in replies)
    assert "someone else" not in json.dumps(data)


def test_the_history_of_a_new_number_is_empty(desk, clinics):
    data = desk.get("/simulator/history", {"doctorId": clinics["a"].pk, "waId": "919811116666"}).json()
    assert data == {"patient_id": None, "messages": []}
