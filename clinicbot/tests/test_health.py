"""GET /healthz answers while the process can serve HTTP, without touching the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_query(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert len(queries) == 0


@pytest.mark.django_db
def test_healthz_is_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_needs_no_database(client):
    # No django_db mark: any query would fail the test ("Database access not allowed").
    assert client.get("/healthz").status_code == 200
