"""Scale-out: two daphne processes on one PostgreSQL database and one Redis channel layer.

A webhook posted to the first server must reach a doctor whose browser is connected to the
second; that is what lets a load balancer put the two anywhere. Needs PostgreSQL in
DATABASE_URL and REDIS_URL (CI's second run); skipped, with the reason, otherwise.
"""

import os
import time

import pytest
import requests

from chat.simulator import webhook_payload
from chat.tests.liveserver import Daphne, live_socket, login, postgres_database, prepare_database, server_env
from patients.models import Doctor

DEMO = Doctor(phone_number_id="100200300400500", display_phone_number="919812300000")  # never saved


def _skip_reason() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: two servers need the Redis channel layer"
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not PostgreSQL: two servers on one SQLite file prove nothing"
    return None


@pytest.fixture(scope="module")
def two_servers():
    reason = _skip_reason()
    if reason:
        print(f"\nskipped: {reason}")
        pytest.skip(reason)
    with postgres_database(os.environ["DATABASE_URL"]) as database_url:
        env = server_env(DATABASE_URL=database_url, REDIS_URL=os.environ["REDIS_URL"])
        prepare_database(env)
        with Daphne(env) as first, Daphne(env) as second:
            yield first, second


@pytest.mark.slow
def test_a_webhook_on_one_server_reaches_a_doctor_connected_to_the_other(two_servers):
    first, second = two_servers
    session = login(second.url)
    ws = live_socket(second.url, session)
    try:
        text = f"two servers {time.time_ns()}"
        payload = webhook_payload(doctor=DEMO, wa_id="919800000555", name="Scale Out", text=text)
        response = requests.post(f"{first.url}/webhooks/whatsapp/", json=payload, timeout=30)
        assert response.status_code == 200 and response.json()["stored"] == 1
        deadline = time.monotonic() + 10
        seen = []
        while time.monotonic() < deadline:
            event = ws.recv_json(timeout=deadline - time.monotonic())
            seen.append(event["type"])
            if event["type"] == "message.created" and event["message"]["text"] == text:
                break
        else:
            pytest.fail(f"the message never reached the second server's socket; saw {seen}")
        # And the second server's API agrees: the write the first server made is in the shared database.
        rows = session.get(f"{second.url}/api/chat/conversations", timeout=10).json()["conversations"]
        assert rows[0]["name"] == "Scale Out" and rows[0]["preview"]
        # A reply sent through the second server is heard on a socket of the first.
        ws_first = live_socket(first.url, login(first.url))
        try:
            patient_id = rows[0]["id"]
            csrf = session.cookies["csrftoken"]
            sent = session.post(
                f"{second.url}/api/chat/send",
                json={"patientId": patient_id, "messageBody": "Reply across servers", "clientId": "x-1"},
                headers={"X-CSRFToken": csrf, "Referer": f"{second.url}/chat/"},
                timeout=10,
            )
            assert sent.status_code == 201, sent.text
            while True:
                event = ws_first.recv_json(timeout=10)
                if event["type"] == "message.created" and event["message"]["text"] == "Reply across servers":
                    break
        finally:
            ws_first.close()
    finally:
        ws.close()
