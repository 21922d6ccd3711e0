"""The live page itself and the login around it: the shell, the admin link, login and logout.

Two clinics, A and B (fixtures `clinics`, `desk` and `pushed` in chat/tests/conftest.py); the desk is
clinic A's. Helpers in chat/tests/api_clinics.py.
"""

from django.contrib.auth.models import User

from patients.models import Doctor

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
