"""Every login door is throttled per username and per address; sessions end after a day idle."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
STAFF_LOGIN, ADMIN_LOGIN = "/accounts/login/", "/admin/login/"


@pytest.fixture
def staff(db):
    users = {name: User.objects.create_user(name, password=f"right-{name}", is_staff=True) for name in ("desk", "doc")}
    return users


def attempt(client: Client, username: str, password: str, *, door: str = STAFF_LOGIN, ip: str = "127.0.0.1"):
    return client.post(door, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def fail(client: Client, username: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong", **kwargs)
        assert response.status_code == 200, "not yet locked: the form answers again"


@time_machine.travel(START, tick=False)
def test_ten_wrong_passwords_lock_that_username_while_others_still_log_in(staff):
    """The 10th failure locks 'desk' (even with the right password) for 15 minutes; 'doc' logs in
    from the same address and from another one."""
    fail(Client(), "desk", 9)
    locked = attempt(Client(), "desk", "wrong")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "900"

    right = attempt(Client(), "desk", "right-desk", ip="10.9.9.9")
    assert right.status_code == 429 and "_auth_user_id" not in right.client.session
    assert logged_in(attempt(Client(), "doc", "right-doc"))
    assert logged_in(attempt(Client(), "doc", "right-doc", ip="10.9.9.9"))


def test_the_lock_lifts_after_the_configured_time_and_tries_meanwhile_do_not_extend_it(staff):
    with time_machine.travel(START, tick=False) as clock:
        fail(Client(), "desk", 9)
        assert attempt(Client(), "desk", "wrong").status_code == 429
        clock.shift(dt.timedelta(minutes=10))
        response = attempt(Client(), "desk", "right-desk")
        assert response.status_code == 429 and "Try again in 5 minutes" in response.content.decode()
        clock.shift(dt.timedelta(minutes=4, seconds=30))
        assert "Try again in 1 minute." in attempt(Client(), "desk", "wrong").content.decode()
        clock.shift(dt.timedelta(seconds=31))
        assert logged_in(attempt(Client(), "desk", "right-desk"))


@time_machine.travel(START, tick=False)
def test_admin_is_a_throttled_door_and_failures_count_across_doors(staff):
    fail(Client(), "desk", 5, door=STAFF_LOGIN)
    fail(Client(), "desk", 4, door=ADMIN_LOGIN)
    response = attempt(Client(), "desk", "wrong", door=ADMIN_LOGIN)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert attempt(Client(), "desk", "right-desk", door=STAFF_LOGIN).status_code == 429


def test_a_success_does_not_forgive_failures_they_expire_after_the_cool_off(staff):
    """So a valid account of one's own cannot reset the count between guesses at another."""
    with time_machine.travel(START, tick=False) as clock:
        fail(Client(), "desk", 9)
        assert logged_in(attempt(Client(), "desk", "right-desk"))
        assert attempt(Client(), "desk", "wrong").status_code == 429
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        fail(Client(), "desk", 9)
        assert logged_in(attempt(Client(), "desk", "right-desk"))


@time_machine.travel(START, tick=False)
def test_one_address_guessing_many_usernames_is_locked_at_its_own_limit(staff, settings):
    """30 failures from one address (3 per username, no username locked) lock the address; the
    same people log in from elsewhere."""
    for n in range(29):
        assert attempt(Client(), f"guess{n % 10}", "wrong", ip="203.0.113.7").status_code == 200
    assert attempt(Client(), "guess9", "wrong", ip="203.0.113.7").status_code == 429
    assert attempt(Client(), "doc", "right-doc", ip="203.0.113.7").status_code == 429
    assert logged_in(attempt(Client(), "doc", "right-doc", ip="198.51.100.1"))


@time_machine.travel(START, tick=False)
def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(30):
        Client().post(
            STAFF_LOGIN,
            {"username": f"guess{n % 10}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # the first hop is the client's own claim
        )
    blocked = Client().post(
        STAFF_LOGIN,
        {"username": "doc", "password": "right-doc"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert blocked.status_code == 429
    other = Client().post(
        STAFF_LOGIN,
        {"username": "doc", "password": "right-doc"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert logged_in(other), "the proxy's own address is not what gets locked"


@pytest.mark.parametrize("form", [{}, {"username": "desk"}, {"password": "x"}, {"username": "\x00", "password": "x"}])
def test_incomplete_or_odd_login_forms_get_the_form_again(staff, form):
    response = Client().post(STAFF_LOGIN, form)
    assert response.status_code == 200


def test_a_session_ends_after_a_working_day_without_activity(staff, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(staff["doc"])
        clock.shift(dt.timedelta(hours=9))
        assert client.get("/appointments/").status_code == 200, "activity moves the expiry forward"
        clock.shift(dt.timedelta(hours=9))
        assert client.get("/appointments/").status_code == 200
        clock.shift(dt.timedelta(minutes=2))
        assert client.get("/appointments/").status_code == 200, "within the refresh interval: no write"
        clock.shift(dt.timedelta(hours=10, minutes=1))
        response = client.get("/appointments/")
        assert response.status_code == 302 and response["Location"].startswith(STAFF_LOGIN)


def test_requests_within_the_refresh_interval_do_not_write_the_session(staff, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(staff["doc"])
    with CaptureQueriesContext(connection) as queries:
        client.get("/appointments/")
    assert not any(q["sql"].startswith('UPDATE "django_session"') for q in queries.captured_queries)
